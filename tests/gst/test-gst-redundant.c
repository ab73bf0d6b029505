/* mctxsrc redundant-uri and mctxsink redundant-uri (SMPTE ST 2022-7) over
 * two separate networks in a private namespace: "red" (red0 <-> red1) and
 * "blue" (blue0 <-> blue1); the sender sends from the *0 ends, mctxsrc
 * joins on the *1 ends. nftables (netdev ingress on red1 / blue1, numgen)
 * drops chosen packets of each leg; a crafted sender (two publications)
 * delays one leg's copies where the test needs it; mctxsink redundant-uri
 * is the sender end to end in the others.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <string.h>

#define RED_GROUP "239.71.0.1"
#define BLUE_GROUP "239.72.0.1"

static gboolean
have_nft (void)
{
  return mctx_test_try_run ("nft list tables");
}

/* red0 10.71.0.1 <-> red1 10.71.0.2, blue0 10.72.0.1 <-> blue1 10.72.0.2 */
static void
setup (void)
{
  mctx_test_netns_add_link ("red", 71, FALSE, NULL);
  mctx_test_netns_add_link ("blue", 72, FALSE, NULL);
}

/* a fresh ingress chain on red1 and blue1; @red / @blue: a numgen drop
 * rule ("mod 10 == 3") or NULL */
static void
drop_rules (guint port, const gchar * red, const gchar * blue)
{
  const gchar *dev[2] = { "red1", "blue1" };
  const gchar *rule[2] = { red, blue };
  guint i;

  mctx_test_try_run ("nft delete table netdev redundant_t");
  mctx_test_run ("nft add table netdev redundant_t");
  for (i = 0; i < 2; i++) {
    mctx_test_run ("nft add chain netdev redundant_t in_%s "
        "{ type filter hook ingress device %s priority 0 ; }", dev[i], dev[i]);
    /* numgen counts only the stream's datagrams: the match before it
     * stops evaluation for IGMP and the like */
    if (rule[i])
      mctx_test_run ("nft add rule netdev redundant_t in_%s udp dport %u "
          "numgen inc %s drop", dev[i], port, rule[i]);
  }
}

/* ---- senders ---- */

typedef struct
{
  guint port;
  guint count;
  guint16 first_seq;
  /* crafted: blue's copy of packet i goes out with red's of i + lag */
  guint lag;
  /* mctxsink: red0 goes down before packet cut_at for cut_len packets */
  guint cut_at, cut_len;
  gboolean use_sink;
  /* a non-RTP datagram on blue before packet junk_at (0: none) */
  guint junk_at;
} SendPlan;

static void
rtp_packet (guint8 * pkt, gsize size, guint16 seq)
{
  memset (pkt, 0, size);
  mctx_test_rtp_header (pkt, 96, seq, 0, 0);
}

static void
send_raw (MctxPublication * pub, const guint8 * pkt, gsize size)
{
  GError *error = NULL;

  /* bounded retry when the socket buffer is full */
  while (mctx_publication_send (pub, pkt, size, &error) < 0) {
    fail_unless (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK),
        "send: %s", error->message);
    g_clear_error (&error);
    fail_unless (mctx_publication_wait_writable (pub, MCTX_TEST_TIMEOUT_US,
            NULL, NULL));
  }
}

static gpointer
crafted_send_thread (gpointer data)
{
  SendPlan *p = data;
  MctxPublication *red, *blue;
  guint8 pkt[200];
  guint i;

  red = mctx_test_publication (RED_GROUP, p->port, "interface", "red0",
      "loop", FALSE, NULL);
  blue = mctx_test_publication (BLUE_GROUP, p->port, "interface", "blue0",
      "loop", FALSE, NULL);
  for (i = 0; i < p->count + p->lag; i++) {
    if (i < p->count) {
      rtp_packet (pkt, sizeof pkt, p->first_seq + i);
      send_raw (red, pkt, sizeof pkt);
    }
    if (p->junk_at != 0 && i == p->junk_at)
      send_raw (blue, (const guint8 *) "not an RTP packet", 17);
    if (i >= p->lag) {
      rtp_packet (pkt, sizeof pkt, p->first_seq + i - p->lag);
      send_raw (blue, pkt, sizeof pkt);
    }
    /* pacing (not synchronisation): about 1000 packets/s per leg, so a
     * lag of N packets is N ms or more */
    g_usleep (1000);
  }
  mctx_publication_close (red);
  mctx_publication_close (blue);
  g_object_unref (red);
  g_object_unref (blue);
  return NULL;
}

/* appsrc ! mctxsink address=RED redundant-uri=BLUE */
static gpointer
sink_send_thread (gpointer data)
{
  SendPlan *p = data;
  gchar *desc;
  GstElement *pipe, *src;
  guint i;

  desc = g_strdup_printf ("appsrc name=src format=time "
      "caps=application/x-rtp ! mctxsink name=sink sync=false "
      "address=" RED_GROUP " port=%u interface=red0 loop=false "
      "redundant-uri=mctx://" BLUE_GROUP ":%u?interface=blue0", p->port,
      p->port);
  pipe = gst_parse_launch (desc, NULL);
  g_free (desc);
  fail_unless (pipe != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  mctx_set_state (pipe, GST_STATE_PLAYING);

  for (i = 0; i < p->count; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, 200, NULL);
    GstMapInfo map;

    if (p->cut_len && i == p->cut_at)
      mctx_test_run ("ip link set red0 down");
    if (p->cut_len && i == p->cut_at + p->cut_len)
      mctx_test_run ("ip link set red0 up");
    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    rtp_packet (map.data, map.size, p->first_seq + i);
    gst_buffer_unmap (buf, &map);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (src), buf),
        GST_FLOW_OK);
    g_usleep (1000);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  gst_object_unref (src);
  {
    GstMessage *msg = mctx_wait_message (pipe, GST_MESSAGE_EOS,
        MCTX_CHECK_TIMEOUT);

    fail_unless (msg != NULL, "the sender did not finish");
    gst_message_unref (msg);
  }
  mctx_pipeline_stop (pipe);
  return NULL;
}

/* ---- receiver ---- */

typedef struct
{
  GstElement *pipe;
  GstElement *src;
  GArray *seqs;                 /* guint16 as received downstream */
  guint with_kernel_time;       /* of them, with a reference timestamp meta */
} Rx;

typedef struct
{
  guint leg;
  gboolean up;
  gchar *uri;
  gboolean after_first_buffer;
} LegEvent;

/* what the receiving streaming thread saw, in its order (one test per
 * process, so one log) */
static struct
{
  GMutex lock;
  GArray *events;
  gboolean got_buffer;
} leg_log;

static GstBusSyncReply
log_leg_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  const GstStructure *st = gst_message_get_structure (msg);
  LegEvent e;

  if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ELEMENT
      || !(gst_structure_has_name (st, "GstMctxSrcLegDown")
          || gst_structure_has_name (st, "GstMctxSrcLegUp")))
    return GST_BUS_PASS;
  e.up = gst_structure_has_name (st, "GstMctxSrcLegUp");
  gst_structure_get_uint (st, "leg", &e.leg);
  e.uri = g_strdup (gst_structure_get_string (st, "uri"));
  g_mutex_lock (&leg_log.lock);
  e.after_first_buffer = leg_log.got_buffer;
  g_array_append_val (leg_log.events, e);
  g_mutex_unlock (&leg_log.lock);
  return GST_BUS_PASS;
}

static GstPadProbeReturn
note_first_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_mutex_lock (&leg_log.lock);
  leg_log.got_buffer = TRUE;
  g_mutex_unlock (&leg_log.lock);
  return GST_PAD_PROBE_REMOVE;
}

/* leg-down messages of @leg before any buffer went downstream */
static guint
downs_before_first_buffer (guint leg)
{
  guint i, n = 0;

  g_mutex_lock (&leg_log.lock);
  for (i = 0; i < leg_log.events->len; i++) {
    LegEvent *e = &g_array_index (leg_log.events, LegEvent, i);

    if (!e->after_first_buffer && !e->up && e->leg == leg)
      n++;
  }
  g_mutex_unlock (&leg_log.lock);
  return n;
}

static void
rx_start (Rx * rx, guint port, const gchar * extra)
{
  gchar *desc = g_strdup_printf ("mctxsrc name=msrc address=" RED_GROUP
      " port=%u interface=red1 buffer-size=4194304 "
      "redundant-uri=mctx://" BLUE_GROUP ":%u?interface=blue1 %s ! "
      "appsink name=out sync=false async=false max-buffers=0 "
      "emit-signals=false", port, port, extra ? extra : "");

  GstElement *out;
  GstBus *bus;
  GstPad *pad;
  GError *err = NULL;

  leg_log.events = g_array_new (FALSE, TRUE, sizeof (LegEvent));
  leg_log.got_buffer = FALSE;
  /* as mctx_rx_start (), with the logger and the probe in place before
   * PLAYING */
  rx->pipe = gst_parse_launch (desc, &err);
  fail_unless (rx->pipe != NULL, "%s", err ? err->message : "?");
  g_free (desc);
  out = gst_bin_get_by_name (GST_BIN (rx->pipe), "out");
  rx->src = gst_bin_get_by_name (GST_BIN (rx->pipe), "msrc");
  pad = gst_element_get_static_pad (out, "sink");
  gst_object_unref (out);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, note_first_buffer, NULL, NULL);
  gst_object_unref (pad);
  bus = gst_element_get_bus (rx->pipe);
  gst_bus_set_sync_handler (bus, log_leg_message, NULL, NULL);
  gst_object_unref (bus);
  mctx_set_state (rx->pipe, GST_STATE_PLAYING);
  rx->seqs = g_array_new (FALSE, FALSE, sizeof (guint16));
  rx->with_kernel_time = 0;
}

/* everything that arrives until @count buffers or a quiet second */
static void
rx_collect (Rx * rx, guint count)
{
  while (rx->seqs->len < count) {
    GstBuffer *buf = mctx_rx_pull (rx->pipe, GST_SECOND);
    GstMapInfo map;
    guint16 seq;

    if (buf == NULL)
      break;
    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless (map.size == 200, "a buffer of %" G_GSIZE_FORMAT " bytes",
        map.size);
    seq = map.data[2] << 8 | map.data[3];
    gst_buffer_unmap (buf, &map);
    if (gst_buffer_get_reference_timestamp_meta (buf, NULL))
      rx->with_kernel_time++;
    gst_buffer_unref (buf);
    g_array_append_val (rx->seqs, seq);
  }
}

static void
rx_stop (Rx * rx)
{
  guint i;

  mctx_pipeline_stop (rx->pipe);
  for (i = 0; leg_log.events && i < leg_log.events->len; i++)
    g_free (g_array_index (leg_log.events, LegEvent, i).uri);
  g_clear_pointer (&leg_log.events, g_array_unref);
  gst_object_unref (rx->src);
  g_array_unref (rx->seqs);
}

/* asserts: strictly increasing (unwrapped from @first), no duplicate;
 * Returns: a bitmap over 0..count-1 of the offsets received */
static guint8 *
check_order (Rx * rx, guint16 first, guint count)
{
  guint8 *seen = g_malloc0 (count);
  gint last = -1;
  guint i;

  for (i = 0; i < rx->seqs->len; i++) {
    guint16 off = (guint16) (g_array_index (rx->seqs, guint16, i) - first);

    fail_unless (off < count, "sequence %u outside the stream",
        g_array_index (rx->seqs, guint16, i));
    fail_unless ((gint) off > last, "offset %u after %d: out of order or "
        "a duplicate", off, last);
    seen[off] = 1;
    last = off;
  }
  return seen;
}

static GstStructure *
get_stats (GstElement * e)
{
  GstStructure *s = NULL;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (s != NULL);
  return s;
}

static guint64
leg_stat (const GstStructure * s, guint leg, const gchar * field)
{
  const GValue *legs = gst_structure_get_value (s, "legs");
  const GstStructure *ls;
  guint64 v = 0;

  fail_unless (legs != NULL && GST_VALUE_HOLDS_ARRAY (legs), "no legs");
  fail_unless_equals_int (gst_value_array_get_size (legs), 2);
  ls = gst_value_get_structure (gst_value_array_get_value (legs, leg));
  fail_unless (gst_structure_get_uint64 (ls, field, &v), "leg %u: no %s",
      leg, field);
  return v;
}

static guint64
stat (const GstStructure * s, const gchar * field)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s", field);
  return v;
}

/* the merged stream as mctxsrc's analysis saw it: one stream, whichever
 * leg brought each packet */
static guint64
merged_stream_stat (const GstStructure * s, const gchar * field)
{
  const GValue *streams = gst_structure_get_value (s, "streams");
  const GstStructure *st;
  guint64 v = 0;

  fail_unless (streams != NULL, "no streams");
  fail_unless_equals_int (gst_value_array_get_size (streams), 1);
  st = gst_value_get_structure (gst_value_array_get_value (streams, 0));
  fail_unless (gst_structure_get_uint64 (st, field, &v), "no %s", field);
  return v;
}

/* one figure of the stats: of leg 0 or 1, of the element, or of the
 * analysis of the merged stream */
#define ELEMENT -1
#define MERGED -2
typedef struct
{
  gint leg;
  const gchar *field;
  guint64 value;
} Figure;

/* asserts each figure of the table has its value */
#define assert_figures(src, want) \
  assert_figures_impl ((src), (want), G_N_ELEMENTS (want))
static void
assert_figures_impl (GstElement * src, const Figure * want, guint n)
{
  GstStructure *s = get_stats (src);
  guint i;

  for (i = 0; i < n; i++) {
    guint64 v;

    if (want[i].leg == ELEMENT)
      v = stat (s, want[i].field);
    else if (want[i].leg == MERGED)
      v = merged_stream_stat (s, want[i].field);
    else
      v = leg_stat (s, want[i].leg, want[i].field);

    fail_unless (v == want[i].value, "figure %u (%s): %" G_GUINT64_FORMAT
        ", expected %" G_GUINT64_FORMAT, i, want[i].field, v, want[i].value);
  }
  gst_structure_free (s);
}

/* polls until leg @leg's @field reaches @n (counters settle when the
 * packets' windows are over), bounded */
static void
wait_leg_stat (GstElement * src, guint leg, const gchar * field, guint64 n)
{
  gint64 deadline = g_get_monotonic_time () + MCTX_CHECK_TIMEOUT / 1000;

  for (;;) {
    GstStructure *s = get_stats (src);
    guint64 v = leg_stat (s, leg, field);

    gst_structure_free (s);
    if (v >= n || g_get_monotonic_time () > deadline)
      break;
    g_usleep (1000);
  }
}

/* polls until the merger has counted @n unrecoverable (its windows are
 * over), bounded */
static void
wait_unrecoverable (GstElement * src, guint64 n)
{
  fail_unless (mctx_wait_stat (src, "unrecoverable", n, MCTX_CHECK_TIMEOUT),
      "unrecoverable stays below %" G_GUINT64_FORMAT, n);
}

static void
run (Rx * rx, SendPlan * plan)
{
  GThread *t = g_thread_new ("sender", plan->use_sink ? sink_send_thread :
      crafted_send_thread, plan);

  rx_collect (rx, plan->count);
  g_thread_join (t);
  /* what the merge still holds after the sender stopped */
  rx_collect (rx, plan->count);
}

/* everything arrived once and in order, but for the offsets = @lost mod 10
 * (-1: none missing) */
static void
check_arrived (Rx * rx, SendPlan * plan, gint lost)
{
  guint8 *seen;
  guint i;

  fail_unless_equals_int (rx->seqs->len,
      lost < 0 ? plan->count : plan->count - plan->count / 10);
  seen = check_order (rx, plan->first_seq, plan->count);
  for (i = 0; i < plan->count; i++) {
    if (lost < 0)
      fail_unless (seen[i], "offset %u missing", i);
    else
      fail_unless_equals_int (seen[i], i % 10 != (guint) lost);
  }
  g_free (seen);
}

/* sends @plan with nft dropping @red_rule on red and @blue_rule on blue
 * (NULL: none), collects what arrives and asserts it is all but the
 * offsets = @lost mod 10 (-1: none), once and in order; FALSE (skipped)
 * where nft cannot run */
static gboolean
run_with_loss (Rx * rx, SendPlan * plan, const gchar * red_rule,
    const gchar * blue_rule, const gchar * extra, gint lost)
{
  if (!have_nft ()) {
    GST_INFO ("nft cannot run here: skipped");
    return FALSE;
  }
  drop_rules (plan->port, red_rule, blue_rule);
  rx_start (rx, plan->port, extra);
  run (rx, plan);
  check_arrived (rx, plan, lost);
  return TRUE;
}

/* ---- tests ---- */

/* a different tenth lost on each leg, mctxsink as the sender (end to end),
 * sequence numbers wrapping at 65535: everything arrives, once, in order */
GST_START_TEST (test_disjoint_loss_end_to_end)
{
  SendPlan plan = { 6100, 2000, 65000, 0, 0, 0, TRUE, 0 };
  const Figure want[] = {
    {ELEMENT, "delivered", plan.count}, {ELEMENT, "unrecoverable", 0},
    {0, "received", plan.count * 9 / 10}, {1, "received", plan.count * 9 / 10},
    /* what each leg alone saved: the other's losses */
    {0, "unique", plan.count / 10}, {1, "unique", plan.count / 10},
    /* the analysis sees the merged stream: nothing lost, nothing twice */
    {MERGED, "packets", plan.count}, {MERGED, "lost", 0},
    {MERGED, "duplicates", 0}
  };
  Rx rx;
  GstStructure *s;

  if (!run_with_loss (&rx, &plan, "mod 10 == 3", "mod 10 == 7", NULL, -1))
    return;

  wait_leg_stat (rx.src, 0, "unique", plan.count / 10);
  wait_leg_stat (rx.src, 1, "unique", plan.count / 10);
  assert_figures (rx.src, want);
  s = get_stats (rx.src);
  fail_unless_equals_int (leg_stat (s, 0, "delivered") +
      leg_stat (s, 1, "delivered"), plan.count);
  gst_structure_free (s);
  rx_stop (&rx);
}

GST_END_TEST;

/* blue lags about 10 ms, within max-path-delay 50: red's lost tenth comes
 * from blue, nothing is missing; blue's skew shows the lag */
GST_START_TEST (test_delay_within_window)
{
  SendPlan plan = { 6104, 1500, 40000, 10, 0, 0, FALSE, 0 };
  const Figure want[] = {
    {ELEMENT, "unrecoverable", 0}, {ELEMENT, "late", 0},
    {1, "unique", plan.count / 10}
  };
  Rx rx;
  GstStructure *s;
  gint64 skew = 0;

  if (!run_with_loss (&rx, &plan, "mod 10 == 3", NULL, "max-path-delay=50", -1))
    return;

  wait_leg_stat (rx.src, 1, "unique", plan.count / 10);
  assert_figures (rx.src, want);
  s = get_stats (rx.src);
  {
    const GValue *legs = gst_structure_get_value (s, "legs");
    const GstStructure *blue =
        gst_value_get_structure (gst_value_array_get_value (legs, 1));

    fail_unless (gst_structure_get_int64 (blue, "skew-mean", &skew));
  }
  /* at least the 10 ms it was held back by, well below the window */
  fail_unless (skew >= 9 * GST_MSECOND && skew < 50 * GST_MSECOND,
      "blue skew %" G_GINT64_FORMAT " ns", skew);
  gst_structure_free (s);
  rx_stop (&rx);
}

GST_END_TEST;

/* losses the merge cannot repair: exactly the offsets = 3 mod 10 are
 * missing downstream (still no duplicate and no disorder), and counted */
typedef struct
{
  SendPlan plan;
  const gchar *red_rule, *blue_rule, *extra;
  Figure want[5];
  guint n_want;
} Unrepairable;

static const Unrepairable unrepairable[] = {
  /* overlapping loss: red loses offsets = 3 mod 10, blue 3 and 8 mod 10;
   * 1800 copies on red, 1600 on blue, 1800 delivered, and the analysis of
   * the merged stream counts the same loss */
  {{6102, 2000, 1000, 0, 0, 0, FALSE, 0}, "mod 10 == 3", "mod 5 == 3", NULL,
      {{ELEMENT, "unrecoverable", 200}, {ELEMENT, "duplicates", 1600},
          {0, "lost", 200}, {1, "lost", 400}, {MERGED, "lost", 200}}, 5},
  /* blue lags about 100 ms, beyond max-path-delay 20: blue's copies are
   * all late, red's lost tenth is lost for good */
  {{6106, 1500, 30000, 100, 0, 0, FALSE, 0}, "mod 10 == 3", NULL,
      "max-path-delay=20 leg-timeout=5000",
      {{ELEMENT, "unrecoverable", 150}, {1, "late", 1500},
          {1, "delivered", 0}, {ELEMENT, "late", 1500}}, 4},
};

GST_START_TEST (test_unrepairable_loss)
{
  const Unrepairable *c = &unrepairable[__i__];
  SendPlan plan = c->plan;
  Rx rx;

  if (!run_with_loss (&rx, &plan, c->red_rule, c->blue_rule, c->extra, 3))
    return;

  wait_unrecoverable (rx.src, plan.count / 10);
  assert_figures_impl (rx.src, c->want, c->n_want);
  rx_stop (&rx);
}

GST_END_TEST;

/* the GstMctxSrcLegDown / GstMctxSrcLegUp messages after the first
 * buffer reached the appsink: before it, a leg may be reported down (the
 * sender took longer than leg-timeout to start) and is up with its first
 * packet. Both are posted from the streaming thread that also pushes the
 * buffers, so the order is exact. */
static GArray *
leg_events (GstElement * pipe)
{
  GArray *ev = g_array_new (FALSE, TRUE, sizeof (LegEvent));
  guint i;

  g_mutex_lock (&leg_log.lock);
  for (i = 0; i < leg_log.events->len; i++) {
    LegEvent e = g_array_index (leg_log.events, LegEvent, i);

    if (e.after_first_buffer) {
      e.uri = g_strdup (e.uri);
      g_array_append_val (ev, e);
    }
  }
  g_mutex_unlock (&leg_log.lock);
  return ev;
}

/* red0 set down for about 2 s mid-stream and up again (mctxsink sending,
 * end to end): nothing is missing downstream, red is reported down then
 * up, its counters match the outage */
GST_START_TEST (test_leg_link_down)
{
  SendPlan plan = { 6108, 4000, 100, 0, 1000, 2000, TRUE, 0 };
  Rx rx;
  GstStructure *s;
  GArray *ev;
  guint i;
  guint64 received;

  rx_start (&rx, plan.port, "leg-timeout=200");
  run (&rx, &plan);

  check_arrived (&rx, &plan, -1);

  ev = leg_events (rx.pipe);
  fail_unless_equals_int (ev->len, 2);
  fail_unless_equals_int (g_array_index (ev, LegEvent, 0).leg, 0);
  fail_unless (!g_array_index (ev, LegEvent, 0).up);
  fail_unless_equals_int (g_array_index (ev, LegEvent, 1).leg, 0);
  fail_unless (g_array_index (ev, LegEvent, 1).up);
  fail_unless (g_str_has_prefix (g_array_index (ev, LegEvent, 0).uri,
          "mctx://" RED_GROUP ":"), "uri %s",
      g_array_index (ev, LegEvent, 0).uri);
  for (i = 0; i < ev->len; i++)
    g_free (g_array_index (ev, LegEvent, i).uri);
  g_array_unref (ev);

  s = get_stats (rx.src);
  fail_unless_equals_int (stat (s, "unrecoverable"), 0);
  /* the outage, and one before the stream if the sender took longer than
   * leg-timeout to start */
  fail_unless_equals_int (leg_stat (s, 0, "outages"),
      1 + downs_before_first_buffer (0));
  fail_unless_equals_int (leg_stat (s, 1, "received"), plan.count);
  received = leg_stat (s, 0, "received");
  /* the cut covers 2000 packets; a few queued on either side of the
   * link change may go either way */
  fail_unless (received >= plan.count - plan.cut_len - 50
      && received <= plan.count - plan.cut_len + 50,
      "red received %" G_GUINT64_FORMAT, received);
  fail_unless_equals_int (leg_stat (s, 1, "unique"), plan.count - received);
  gst_structure_free (s);
  rx_stop (&rx);
}

GST_END_TEST;

/* mctxsink's per-leg figures */
GST_START_TEST (test_sink_leg_stats)
{
  GstHarness *h = mctx_tx_harness ("mctxsink address=" RED_GROUP " port=6112 "
      "interface=red0 redundant-uri=mctx://" BLUE_GROUP
      ":6112?interface=blue0&ttl=4");
  GstElement *sink = mctx_harness_element (h, "mctxsink");
  GstStructure *s;
  const GValue *legs;
  const GstStructure *l1;
  guint64 v;
  guint i;

  for (i = 0; i < 10; i++)
    mctx_tx_send (h, "0123456789abc");
  s = get_stats (sink);
  fail_unless_equals_int (stat (s, "packets-sent"), 10);
  legs = gst_structure_get_value (s, "legs");
  fail_unless (legs != NULL);
  fail_unless_equals_int (gst_value_array_get_size (legs), 2);
  l1 = gst_value_get_structure (gst_value_array_get_value (legs, 1));
  fail_unless (gst_structure_get_uint64 (l1, "packets-sent", &v));
  fail_unless_equals_int (v, 10);
  fail_unless (gst_structure_get_uint64 (l1, "dropped", &v));
  fail_unless_equals_int (v, 0);
  fail_unless (g_str_has_prefix (gst_structure_get_string (l1, "uri"),
          "mctx://" BLUE_GROUP));
  gst_structure_free (s);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* a leg's URI values read as the element's own URI reads them:
 * ?ttl=010 is TTL 10 on the wire (base 10, not octal 8); nft on blue1
 * drops every other TTL, so the datagram arrives only if it is 10 */
GST_START_TEST (test_sink_leg_uri_decimal)
{
  static const gchar *blue1[] = { "blue1", NULL };
  GstHarness *h;
  MctxSubscription *sub;

  if (!have_nft ()) {
    GST_INFO ("nft cannot run here: skipped");
    return;
  }
  drop_rules (6113, NULL, NULL);
  mctx_test_run ("nft add rule netdev redundant_t in_blue1 udp dport 6113 "
      "ip ttl != 10 drop");
  sub = mctx_test_subscription (BLUE_GROUP, 6113, "interfaces", blue1, NULL);
  h = mctx_tx_harness ("mctxsink address=" RED_GROUP " port=6113 "
      "interface=red0 redundant-uri=mctx://" BLUE_GROUP
      ":6113?interface=blue0&ttl=010&loop=false");
  mctx_tx_send (h, "ttl-10");
  mctx_test_assert_next (sub, "ttl-10");
  gst_harness_teardown (h);
  mctx_test_obj_close (sub);
  g_object_unref (sub);
  mctx_test_try_run ("nft delete table netdev redundant_t");
}

GST_END_TEST;

/* blue's socket stays full (an 8 kbit/s qdisc behind a 4 KiB send
 * buffer): the sink drops on blue only, red gets every datagram, and no
 * push waits for blue longer than the lag budget */
GST_START_TEST (test_sink_one_leg_blocked)
{
  GstHarness *h;
  GstElement *sink;
  Rx red;
  GstStructure *s;
  const GValue *legs;
  guint64 dropped[2], sent[2];
  gint64 t0, elapsed;
  guint i;

  mctx_test_run ("tc qdisc add dev blue0 root " MCTX_TEST_SLOW_QDISC);
  red.pipe = mctx_rx_start ("mctxsrc name=msrc address=" RED_GROUP
      " port=6114 interface=red1 buffer-size=4194304");
  red.src = gst_bin_get_by_name (GST_BIN (red.pipe), "msrc");
  red.seqs = g_array_new (FALSE, FALSE, sizeof (guint16));
  h = mctx_tx_harness ("mctxsink address=" RED_GROUP " port=6114 "
      "interface=red0 loop=false redundant-uri=mctx://" BLUE_GROUP
      ":6114?interface=blue0&buffer-size=4096");
  sink = mctx_harness_element (h, "mctxsink");

  t0 = g_get_monotonic_time ();
  for (i = 0; i < 200; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, 200, NULL);
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    rtp_packet (map.data, map.size, i);
    gst_buffer_unmap (buf, &map);
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  }
  elapsed = g_get_monotonic_time () - t0;
  rx_collect (&red, 200);
  fail_unless_equals_int (red.seqs->len, 200);
  g_free (check_order (&red, 0, 200));

  s = get_stats (sink);
  legs = gst_structure_get_value (s, "legs");
  for (i = 0; i < 2; i++) {
    const GstStructure *l =
        gst_value_get_structure (gst_value_array_get_value (legs, i));

    fail_unless (gst_structure_get_uint64 (l, "dropped", &dropped[i]));
    fail_unless (gst_structure_get_uint64 (l, "packets-sent", &sent[i]));
  }
  gst_structure_free (s);
  fail_unless_equals_int (dropped[0], 0);
  fail_unless_equals_int (sent[0], 200);
  fail_unless (dropped[1] > 0, "blue dropped nothing");
  fail_unless_equals_int (sent[1] + dropped[1], 200);
  /* the 8 kbit/s leg would take 40 s for these; red would wait 20 ms (the
   * lag budget) on each of the 200 pushes (4 s) if a leg that dropped got
   * the budget again: a bound for that, not a speed target */
  fail_unless (elapsed < 100 * 20 * G_TIME_SPAN_MILLISECOND,
      "200 pushes took %" G_GINT64_FORMAT " us", elapsed);

  gst_harness_teardown (h);
  rx_stop (&red);
  mctx_test_run ("tc qdisc del dev blue0 root");
}

GST_END_TEST;

/* nothing sent: both legs are reported down after leg-timeout, and the
 * element's timeout message still comes */
GST_START_TEST (test_silent_legs_and_timeout)
{
  Rx rx;
  GArray *ev;
  GstMessage *msg;
  guint i, down = 0;

  rx_start (&rx, 6116, "leg-timeout=50 timeout=200000000");
  msg = mctx_wait_message (rx.pipe, GST_MESSAGE_ELEMENT, MCTX_CHECK_TIMEOUT);
  /* leg-down messages come first (50 ms), then the timeout (200 ms) */
  while (msg && !gst_structure_has_name (gst_message_get_structure (msg),
          "GstMctxSrcTimeout")) {
    if (gst_structure_has_name (gst_message_get_structure (msg),
            "GstMctxSrcLegDown"))
      down++;
    gst_message_unref (msg);
    msg = mctx_wait_message (rx.pipe, GST_MESSAGE_ELEMENT, MCTX_CHECK_TIMEOUT);
  }
  fail_unless (msg != NULL, "no GstMctxSrcTimeout");
  gst_message_unref (msg);
  fail_unless_equals_int (down, 2);
  ev = leg_events (rx.pipe);
  for (i = 0; i < ev->len; i++)
    g_free (g_array_index (ev, LegEvent, i).uri);
  g_array_unref (ev);
  rx_stop (&rx);
}

GST_END_TEST;

/* datagrams a leg brings that the merge cannot use: dropped, counted,
 * one warning naming the leg (one a second at most); the stream goes on */
typedef struct
{
  SendPlan plan;
  const gchar *props;
  guint arrive;                 /* buffers downstream, in order */
  Figure want[3];
  guint n_want;
  const gchar *warning[2];
} LegDrop;

static const LegDrop leg_drops[] = {
  /* a non-RTP datagram on blue; socket-timestamp applies to merged
   * buffers too */
  {{6110, 500, 7, 0, 0, 0, FALSE, 250}, "socket-timestamp=realtime", 500,
      {{1, "non-rtp", 1}, {0, "non-rtp", 0}, {ELEMENT, "non-rtp", 1}}, 3,
      {"leg 1", BLUE_GROUP}},
  /* 20 datagrams larger than mtu on both legs, both counted in truncated */
  {{6118, 20, 0, 0, 0, 0, FALSE, 0}, "mtu=150", 0,
      {{ELEMENT, "truncated", 2 * 20}, {ELEMENT, "delivered", 0}}, 2,
      {"on leg ", "'mtu'"}},
};

GST_START_TEST (test_leg_drops)
{
  const LegDrop *c = &leg_drops[__i__];
  SendPlan plan = c->plan;
  Rx rx;

  rx_start (&rx, plan.port, c->props);
  run (&rx, &plan);
  fail_unless_equals_int (rx.seqs->len, c->arrive);
  fail_unless_equals_int (rx.with_kernel_time, c->arrive);
  g_free (check_order (&rx, plan.first_seq, plan.count));
  assert_figures_impl (rx.src, c->want, c->n_want);
  mctx_expect_warning (rx.pipe, 0, c->warning[0], c->warning[1], NULL);
  fail_unless (mctx_wait_message (rx.pipe, GST_MESSAGE_WARNING, 0) == NULL);
  rx_stop (&rx);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_disjoint_loss_end_to_end),
  MCTX_CHECK_LOOP (test_unrepairable_loss, G_N_ELEMENTS (unrepairable)),
  MCTX_CHECK_TEST (test_delay_within_window),
  MCTX_CHECK_TEST (test_leg_link_down),
  MCTX_CHECK_LOOP (test_leg_drops, G_N_ELEMENTS (leg_drops)),
  MCTX_CHECK_TEST (test_sink_leg_stats),
  MCTX_CHECK_TEST (test_sink_leg_uri_decimal),
  MCTX_CHECK_TEST (test_sink_one_leg_blocked),
  MCTX_CHECK_TEST (test_silent_legs_and_timeout),
};

MCTX_CHECK_MAIN (setup, "mctx-redundant", 60, tests);
