/* ST 2022-7 over real sockets: two networks, "red" (red0 <-> red1) and
 * "blue" (blue0 <-> blue1), in a private namespace. One RTP stream is sent
 * on both; nftables drops a different tenth of it on each receiving
 * interface (numgen), and MctxRedundantSubscription must deliver all of
 * it, in order, once.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <string.h>

#define GROUP "239.70.0.1"
#define PORT 6000
#define COUNT 2000
#define FIRST_SEQ 65000         /* wraps during the run */

/* The sender: one RTP stream on both legs, from @first_seq; a 1 ms pause
 * (pacing, not synchronisation) after every @pause_every packets; when
 * @cut_to is set, nftables drops all of leg red (on cred1) from packet
 * @cut_from until packet @cut_to. */
typedef struct
{
  MctxPublication *pub[2];
  guint count;
  guint16 first_seq;
  guint pause_every;
  guint cut_from, cut_to;
} Sender;

static void
send_both (Sender * s, const guint8 * pkt, gsize size)
{
  guint leg;

  for (leg = 0; leg < 2; leg++) {
    GError *error = NULL;

    /* bounded retry when a socket buffer is full */
    while (mctx_publication_send (s->pub[leg], pkt, size, &error) < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      g_assert_true (mctx_publication_wait_writable (s->pub[leg],
              MCTX_TEST_TIMEOUT_US, NULL, NULL));
    }
  }
}

static gpointer
send_thread (gpointer data)
{
  Sender *s = data;
  guint8 pkt[200];
  guint i;

  memset (pkt, 0, sizeof pkt);
  for (i = 0; i < s->count; i++) {
    guint16 seq = s->first_seq + i;

    if (s->cut_to && i == s->cut_from)
      mctx_test_run ("nft add rule netdev cred1_t in udp dport %u drop",
          PORT + 2);
    if (s->cut_to && i == s->cut_to)
      mctx_test_run ("nft flush chain netdev cred1_t in");
    mctx_test_rtp_header (pkt, 96, seq, 0, 0);
    send_both (s, pkt, sizeof pkt);
    if (i % s->pause_every == s->pause_every - 1)
      g_usleep (1000);
  }
  return NULL;
}

/* The fixture of the two-network tests: a redundant subscription on
 * @red1 and @blue1, a publication on @red0 and one on @blue0. */
typedef struct
{
  MctxSubscription *legs[2];
  MctxRedundantSubscription *rs;
  MctxMerger *merger;
  Sender s;
  GThread *thread;
} Redundant;

static void
redundant_open (Redundant * r, const gchar * group, guint port,
    const gchar * red0, const gchar * red1, const gchar * blue0,
    const gchar * blue1)
{
  const gchar *rx[2] = { red1, blue1 }, *tx[2] = { red0, blue0 };
  GError *error = NULL;
  guint leg;

  for (leg = 0; leg < 2; leg++) {
    const gchar *ifs[] = { rx[leg], NULL };

    r->legs[leg] = mctx_subscription_new (group, port);
    g_object_set (r->legs[leg], "interfaces", ifs, "receive-buffer-size",
        4 << 20, NULL);
  }
  r->rs = mctx_redundant_subscription_new (r->legs, 2, &error);
  g_assert_no_error (error);
  g_assert_true (mctx_redundant_subscription_open (r->rs, &error));
  g_assert_no_error (error);
  r->merger = mctx_redundant_subscription_get_merger (r->rs);
  for (leg = 0; leg < 2; leg++)
    r->s.pub[leg] = mctx_test_publication (group, port, "interface",
        tx[leg], "loop", FALSE, NULL);
}

/* Starts the sender and receives until all came or @seconds passed: each
 * datagram whole and in order, counted by the leg it came from. */
static guint
redundant_receive_all (Redundant * r, guint seconds, guint from[2])
{
  MctxMessage out[64];
  guint leg_of[64];
  guint got = 0;
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  GError *error = NULL;

  r->thread = g_thread_new ("sender", send_thread, &r->s);
  while (got < r->s.count && g_get_monotonic_time () < deadline) {
    gint n, i;

    n = mctx_redundant_subscription_receive_messages (r->rs, out,
        G_N_ELEMENTS (out), leg_of, MCTX_TEST_TIMEOUT_US, NULL, &error);
    if (n < 0) {
      g_test_message ("receive: %s", error->message);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_clear_error (&error);
      break;
    }
    for (i = 0; i < n; i++) {
      guint16 seq = (out[i].buffer[2] << 8) | out[i].buffer[3];

      g_assert_cmpuint (seq, ==, (guint16) (r->s.first_seq + got));
      g_assert_cmpuint (out[i].info.size, ==, 200);
      from[leg_of[i]]++;
      got++;
    }
  }
  g_thread_join (r->thread);
  return got;
}

static void
redundant_close (Redundant * r)
{
  guint leg;

  mctx_redundant_subscription_close (r->rs);
  g_object_unref (r->rs);
  for (leg = 0; leg < 2; leg++) {
    g_object_unref (r->legs[leg]);
    g_object_unref (r->s.pub[leg]);
  }
}

static gboolean
have_nft (void)
{
  return mctx_test_try_run ("nft list tables");
}

static void
drop_tenth (const gchar * ifname, guint residue)
{
  mctx_test_run ("nft add table netdev %s_t", ifname);
  mctx_test_run ("nft add chain netdev %s_t in "
      "{ type filter hook ingress device %s priority 0 ; }", ifname, ifname);
  /* numgen counts only the stream's datagrams: the match before it
   * stops evaluation for IGMP and the like */
  mctx_test_run ("nft add rule netdev %s_t in udp dport %u "
      "numgen inc mod 10 == %u drop", ifname, PORT, residue);
}

static void
on_leg_state (MctxMerger * m, guint leg, gboolean up, gpointer user_data)
{
  g_test_message ("leg %u %s", leg, up ? "up" : "down");
}

static void
test_disjoint_drops (void)
{
  Redundant r = { 0 };
  guint got, from[2] = { 0, 0 };
  GError *error = NULL;
  MctxMessage out[64];
  MctxMergerStats st;
  MctxMergerLegStats ls[2];

  if (!have_nft ()) {
    g_test_skip ("nft cannot run here");
    return;
  }
  mctx_test_netns_add_veth ("red0", "red1", "10.71.0.1/24", "10.71.0.2/24",
      NULL, NULL);
  mctx_test_netns_add_veth ("blue0", "blue1", "10.72.0.1/24", "10.72.0.2/24",
      NULL, NULL);
  drop_tenth ("red1", 3);
  drop_tenth ("blue1", 7);

  redundant_open (&r, GROUP, PORT, "red0", "red1", "blue0", "blue1");
  g_signal_connect (r.merger, "leg-state-changed", G_CALLBACK (on_leg_state),
      NULL);
  g_assert_true (mctx_merger_set_leg_timeout (r.merger, 5000, &error));
  /* about 10k packets/s per leg */
  r.s.count = COUNT;
  r.s.first_seq = FIRST_SEQ;
  r.s.pause_every = 10;
  got = redundant_receive_all (&r, 20, from);
  g_assert_cmpuint (got, ==, COUNT);

  /* once more after the window, so per-leg losses are counted */
  g_assert_cmpint (mctx_redundant_subscription_receive_messages (r.rs, out,
          G_N_ELEMENTS (out), NULL, 200000, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);

  mctx_merger_get_stats (r.merger, &st);
  mctx_merger_get_leg_stats (r.merger, 0, &ls[0]);
  mctx_merger_get_leg_stats (r.merger, 1, &ls[1]);
  g_test_message ("delivered %" G_GUINT64_FORMAT " (red %u, blue %u), "
      "unrecoverable %" G_GUINT64_FORMAT ", red lost %" G_GUINT64_FORMAT
      " unique %" G_GUINT64_FORMAT ", blue lost %" G_GUINT64_FORMAT
      " unique %" G_GUINT64_FORMAT ", blue skew mean %" G_GINT64_FORMAT
      " ns max %" G_GINT64_FORMAT " ns, max held %u", st.delivered, from[0],
      from[1], st.unrecoverable, ls[0].lost, ls[0].unique, ls[1].lost,
      ls[1].unique, ls[1].skew_mean_ns, ls[1].skew_max_ns, st.max_held);
  g_assert_cmpuint (st.delivered, ==, COUNT);
  g_assert_cmpuint (st.unrecoverable, ==, 0);
  g_assert_cmpuint (ls[0].received, ==, COUNT - COUNT / 10);
  g_assert_cmpuint (ls[1].received, ==, COUNT - COUNT / 10);
  g_assert_cmpuint (ls[0].lost, ==, COUNT / 10);
  g_assert_cmpuint (ls[1].lost, ==, COUNT / 10);
  g_assert_cmpuint (ls[0].unique, ==, COUNT / 10);
  g_assert_cmpuint (ls[1].unique, ==, COUNT / 10);
  g_assert_cmpuint (ls[0].non_rtp + ls[1].non_rtp, ==, 0);
  redundant_close (&r);
}

/* A non-RTP datagram on one leg is counted on that leg and dropped. */
static void
test_non_rtp_leg (void)
{
  MctxSubscription *legs[2];
  MctxRedundantSubscription *rs;
  MctxPublication *pub[2];
  GError *error = NULL;
  GBytes *b;
  guint leg = 9;
  MctxMergerLegStats ls;
  static const guint8 rtp[12] = { 0x80, 96, 0, 42 };

  legs[0] = mctx_subscription_new ("239.70.0.2", PORT + 1);
  legs[1] = mctx_subscription_new ("239.70.0.3", PORT + 1);
  rs = mctx_redundant_subscription_new (legs, 2, &error);
  g_assert_no_error (error);
  g_assert_true (mctx_redundant_subscription_open (rs, &error));
  pub[0] = mctx_test_publication ("239.70.0.2", PORT + 1, NULL);
  pub[1] = mctx_test_publication ("239.70.0.3", PORT + 1, NULL);
  mctx_test_send_string (pub[1], "not RTP at all");
  g_assert_cmpint (mctx_publication_send (pub[1], rtp, sizeof rtp, &error),
      ==, sizeof rtp);
  b = mctx_redundant_subscription_receive_bytes (rs, &leg,
      MCTX_TEST_TIMEOUT_US, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (b), ==, sizeof rtp);
  g_assert_cmpuint (leg, ==, 1);
  g_bytes_unref (b);
  mctx_merger_get_leg_stats (mctx_redundant_subscription_get_merger (rs), 1,
      &ls);
  g_assert_cmpuint (ls.non_rtp, ==, 1);
  g_assert_cmpuint (ls.received, ==, 1);
  mctx_merger_get_leg_stats (mctx_redundant_subscription_get_merger (rs), 0,
      &ls);
  g_assert_cmpuint (ls.non_rtp, ==, 0);

  /* closed: receiving names the leg */
  mctx_redundant_subscription_close (rs);
  g_assert_null (mctx_redundant_subscription_receive_bytes (rs, NULL, 0, NULL,
          &error));
  g_assert_error (error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN);
  g_assert_nonnull (strstr (error->message, "leg 0"));
  g_clear_error (&error);

  g_object_unref (rs);
  g_object_unref (legs[0]);
  g_object_unref (legs[1]);
  g_object_unref (pub[0]);
  g_object_unref (pub[1]);
}

/* Sending: one leg's socket stays full (tbf at 8 kbit/s); the other leg
 * still gets every datagram, and the blocked leg drops only its own. */
static void
test_send_one_leg_blocked (void)
{
  enum { BATCHES = 20, PER_BATCH = 32 };
  MctxPublication *pubs[2];
  MctxSubscription *rx;
  MctxRedundantLegResult res[2];
  GOutputMessage msgs[PER_BATCH];
  GOutputVector vecs[PER_BATCH];
  guint8 pkt[PER_BATCH][200];
  guint b, i, got = 0, red_sent = 0, red_dropped = 0, blue_sent = 0;
  GError *error = NULL;
  const gchar *ifs[] = { "sblue1", NULL };

  mctx_test_netns_add_veth ("sred0", "sred1", "10.73.0.1/24",
      "10.73.0.2/24", NULL, NULL);
  mctx_test_run ("tc qdisc add dev sred0 root tbf rate 8kbit burst 2kb "
      "latency 10s");
  mctx_test_netns_add_veth ("sblue0", "sblue1", "10.74.0.1/24",
      "10.74.0.2/24", NULL, NULL);
  rx = mctx_test_subscription ("239.70.0.9", PORT, "interfaces", ifs,
      "receive-buffer-size", 4 << 20, NULL);
  pubs[0] = mctx_test_publication ("239.70.0.9", PORT, "interface", "sred0",
      "loop", FALSE, "send-buffer-size", 4096, NULL);
  pubs[1] = mctx_test_publication ("239.70.0.9", PORT, "interface",
      "sblue0", "loop", FALSE, NULL);

  for (b = 0; b < BATCHES; b++) {
    for (i = 0; i < PER_BATCH; i++) {
      guint16 seq = b * PER_BATCH + i;

      memset (pkt[i], 0, sizeof pkt[i]);
      mctx_test_rtp_header (pkt[i], 96, seq, 0, 0);
      vecs[i].buffer = pkt[i];
      vecs[i].size = sizeof pkt[i];
      msgs[i].address = NULL;
      msgs[i].vectors = &vecs[i];
      msgs[i].num_vectors = 1;
      msgs[i].bytes_sent = 0;
      msgs[i].control_messages = NULL;
      msgs[i].num_control_messages = 0;
    }
    g_assert_true (mctx_redundant_send (pubs, 2, msgs, PER_BATCH, 5000, NULL,
            res, &error));
    g_assert_no_error (error);
    for (i = 0; i < 2; i++) {
      g_assert_null (res[i].error);
      g_assert_cmpuint (res[i].failed, ==, 0);
      g_assert_cmpuint (res[i].sent + res[i].dropped, ==, PER_BATCH);
    }
    red_sent += res[0].sent;
    red_dropped += res[0].dropped;
    blue_sent += res[1].sent;
    g_assert_cmpuint (res[1].dropped, ==, 0);
  }
  g_test_message ("red sent %u dropped %u, blue sent %u", red_sent,
      red_dropped, blue_sent);
  g_assert_cmpuint (blue_sent, ==, BATCHES * PER_BATCH);
  g_assert_cmpuint (red_dropped, >, 0);

  for (i = 0; i < BATCHES * PER_BATCH; i++) {
    guint8 buf[256];
    MctxPacketInfo info;
    gssize n = mctx_test_receive (rx, buf, sizeof buf, &info,
        MCTX_TEST_TIMEOUT_US);

    if (n < 0)
      break;
    g_assert_cmpuint ((buf[2] << 8) | buf[3], ==, i);
    got++;
  }
  g_assert_cmpuint (got, ==, BATCHES * PER_BATCH);

  /* a leg that is not open fails on its own; the other sends */
  mctx_publication_close (pubs[0]);
  g_assert_true (mctx_redundant_send (pubs, 2, msgs, PER_BATCH, 5000, NULL,
          res, &error));
  g_assert_cmpuint (res[0].failed, ==, PER_BATCH);
  g_assert_error (res[0].error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN);
  g_clear_error (&res[0].error);
  g_assert_cmpuint (res[1].sent, ==, PER_BATCH);

  g_object_unref (pubs[0]);
  g_object_unref (pubs[1]);
  g_object_unref (rx);
}

/* Leg red cut for a while (nftables drops all of it) mid-stream: reported
 * down after leg-timeout and up when it returns; blue carries the stream,
 * nothing is missing. */
static void
record_state (MctxMerger * m, guint leg, gboolean up, gpointer user_data)
{
  GArray *events = user_data;
  guint ev = leg << 1 | (up ? 1 : 0);

  g_test_message ("leg %u %s", leg, up ? "up" : "down");
  g_array_append_val (events, ev);
}

static void
test_leg_cut (void)
{
  Redundant r = { 0 };
  GError *error = NULL;
  GArray *events = g_array_new (FALSE, FALSE, sizeof (guint));
  guint got, from[2] = { 0, 0 };
  MctxMergerStats st;
  MctxMergerLegStats red;

  if (!have_nft ()) {
    g_test_skip ("nft cannot run here");
    g_array_unref (events);
    return;
  }
  mctx_test_netns_add_veth ("cred0", "cred1", "10.75.0.1/24", "10.75.0.2/24",
      NULL, NULL);
  mctx_test_netns_add_veth ("cblue0", "cblue1", "10.76.0.1/24",
      "10.76.0.2/24", NULL, NULL);
  mctx_test_run ("nft add table netdev cred1_t");
  mctx_test_run ("nft add chain netdev cred1_t in "
      "{ type filter hook ingress device cred1 priority 0 ; }");

  redundant_open (&r, "239.70.0.5", PORT + 2, "cred0", "cred1", "cblue0",
      "cblue1");
  g_assert_true (mctx_merger_set_leg_timeout (r.merger, 200, &error));
  g_signal_connect (r.merger, "leg-state-changed", G_CALLBACK (record_state),
      events);
  /* about 1000 packets/s, so the cut lasts about 0.8 s */
  r.s.count = 2000;
  r.s.pause_every = 1;
  r.s.cut_from = 600;
  r.s.cut_to = 1400;
  got = redundant_receive_all (&r, 30, from);
  g_assert_cmpuint (got, ==, r.s.count);

  mctx_merger_get_stats (r.merger, &st);
  mctx_merger_get_leg_stats (r.merger, 0, &red);
  g_assert_cmpuint (st.unrecoverable, ==, 0);
  g_assert_cmpuint (events->len, >=, 2);
  g_assert_cmpuint (g_array_index (events, guint, 0), ==, 0 << 1 | 0);
  g_assert_cmpuint (g_array_index (events, guint, 1), ==, 0 << 1 | 1);
  g_assert_cmpuint (red.outages, ==, 1);
  /* datagrams still queued in the veth when the rule changes may fall on
   * either side of it */
  g_assert_cmpuint (red.received, >=, r.s.count - 802);
  g_assert_cmpuint (red.received, <=, r.s.count - 798);
  g_assert_true (red.up);
  redundant_close (&r);
  g_array_unref (events);
}

static const MctxTestCase tests[] = {
  {"/redundant/disjoint-drops", test_disjoint_drops},
  {"/redundant/non-rtp-leg", test_non_rtp_leg},
  {"/redundant/leg-cut", test_leg_cut},
  {"/redundant/send-one-leg-blocked", test_send_one_leg_blocked},
};

MCTX_TEST_MAIN (NULL, tests)
