/* MctxPacer on a wire: a veth pair in the test's own namespace, timed by the
 * receiver's kernel timestamps. The bounds are generous (a loaded 2-core
 * machine): a paced frame must be spread over more than half its time, an
 * unpaced one bunched within a few ms, and a rate held within a few %.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <string.h>
#include <sys/resource.h>

#define MS (G_GINT64_CONSTANT (1000000))
#define SIZE 1200
#define MAX_PACKETS 400

typedef struct
{
  MctxPacer *pacer;
  MctxPublication *legs[2];
  guint n_legs;
  guint n_frames, per_list, lists;      /* timestamps: frames of lists */
  guint n_packets;              /* rate / none: one run */
  gint64 frame_ns;
  gboolean whole;               /* one schedule_frame per frame */
  /* results */
  gdouble cpu_ns_per_packet;
} Sender;

static guint8 payload[MAX_PACKETS][SIZE];
static GOutputVector vectors[MAX_PACKETS];
static GOutputMessage messages[MAX_PACKETS];
static gsize sizes[MAX_PACKETS];
static gint64 departures[MAX_PACKETS];

static gint64
now_ns (void)
{
  return g_get_monotonic_time () * 1000;
}

static gint64
thread_cpu_ns (void)
{
  struct rusage ru;

  getrusage (RUSAGE_THREAD, &ru);
  return ((gint64) ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000
      + ((gint64) ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* The element's loop for several legs: wait once per batch, send the batch
 * on every leg, count it once. */
static void
send_legs (Sender * s, GOutputMessage * msgs, guint n, gint64 * d)
{
  guint i = 0, l;

  while (i < n) {
    gint64 now;
    guint k;
    GError *error = NULL;

    g_assert_true (mctx_pacer_wait (s->pacer, d[i], &now, NULL, &error));
    k = mctx_pacer_count_due (s->pacer, msgs + i, d + i, n - i, now);
    if (k == 0)
      continue;                 /* held back: wait again */
    for (l = 0; l < s->n_legs; l++) {
      guint off = 0;

      while (off < k) {
        gint r = mctx_pacer_send_due (s->pacer, s->legs[l], msgs + i + off,
            k - off, d + i + off, &error);

        if (r > 0) {
          off += r;
          continue;
        }
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
        g_clear_error (&error);
        g_assert_true (mctx_publication_wait_writable (s->legs[l], -1, NULL,
                NULL));
      }
    }
    mctx_pacer_account (s->pacer, msgs + i, k, d + i, now_ns ());
    i += k;
  }
}

static void
send_batch (Sender * s, guint first, guint n)
{
  GError *error = NULL;
  guint done = 0;

  if (s->n_legs > 1) {
    send_legs (s, messages + first, n, departures + first);
    return;
  }
  g_assert_true (mctx_pacer_send (s->pacer, s->legs[0], messages + first, n,
          departures + first, &done, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done, ==, n);
}

static gpointer
sender_thread (gpointer data)
{
  Sender *s = data;
  gint64 cpu = thread_cpu_ns ();
  guint total = 0, f, l;

  if (s->n_frames > 0) {
    /* frames start 5 ms from now, one every frame_ns */
    gint64 start = now_ns () + 5 * MS;

    for (f = 0; f < s->n_frames; f++) {
      gint64 ts = start + f * s->frame_ns;
      guint per_frame = s->lists * s->per_list;

      if (s->whole) {
        g_assert_true (mctx_pacer_schedule_frame (s->pacer, now_ns (), ts,
                s->frame_ns, per_frame, sizes, departures + total));
        send_batch (s, total, per_frame);
        total += per_frame;
        continue;
      }
      for (l = 0; l < s->lists; l++) {
        g_assert_true (mctx_pacer_schedule (s->pacer, now_ns (), ts,
                s->frame_ns, s->per_list, sizes, departures + total));
        send_batch (s, total, s->per_list);
        total += s->per_list;
      }
    }
  } else {
    g_assert_true (mctx_pacer_schedule (s->pacer, now_ns (), -1, -1,
            s->n_packets, sizes, departures));
    send_batch (s, 0, s->n_packets);
    total = s->n_packets;
  }
  s->cpu_ns_per_packet = (gdouble) (thread_cpu_ns () - cpu) / total;
  return NULL;
}

static MctxSubscription *
sub_on (const gchar * ifname, guint port)
{
  const gchar *ifs[] = { ifname, NULL };

  /* room for a whole run: with two legs, one is read after the other */
  return mctx_test_subscription ("239.41.0.1", port, "interfaces", ifs,
      "receive-buffer-size", 4 * 1024 * 1024, NULL);
}

static MctxPublication *
pub_on (const gchar * ifname, guint port)
{
  return mctx_test_publication ("239.41.0.1", port, "interface", ifname,
      "loop", FALSE, NULL);
}

typedef struct
{
  gint64 spread[8];             /* first to last packet of each frame */
  guint burst;
  gdouble cpu;
} FrameResult;

static void
run_frames (MctxPacingMode mode, gboolean whole, guint n_frames,
    guint lists, guint per_list, guint n_legs, guint port,
    FrameResult * res)
{
  static const gchar *tx[2] = { "qa0", "qb0" }, *rx[2] = { "qa1", "qb1" };
  MctxSubscription *subs[2];
  Sender s = { 0 };
  GThread *thread;
  gint64 times[2][MAX_PACKETS];
  guint per_frame = lists * per_list, n = n_frames * per_frame, l, f;
  MctxPacerStats stats;
  GError *error = NULL;

  g_assert_cmpuint (n, <=, MAX_PACKETS);
  s.pacer = mctx_pacer_new (mode);
  s.n_legs = n_legs;
  s.n_frames = n_frames;
  s.lists = lists;
  s.per_list = per_list;
  s.frame_ns = 40 * MS;
  s.whole = whole;
  for (l = 0; l < n_legs; l++) {
    subs[l] = sub_on (rx[l], port);
    s.legs[l] = pub_on (tx[l], port);
  }
  g_assert_true (mctx_pacer_start (s.pacer, s.legs, n_legs, &error));
  g_assert_no_error (error);

  thread = g_thread_new ("sender", sender_thread, &s);
  for (l = 0; l < n_legs; l++) {
    /* @error is set exactly when it returns FALSE */
    mctx_test_receive_times (subs[l], n, SIZE, times[l], &error);
    g_assert_no_error (error);
  }
  g_thread_join (thread);

  for (f = 0; f < n_frames; f++) {
    const gint64 *t = times[0] + f * per_frame;

    res->spread[f] = t[per_frame - 1] - t[0];
    g_test_message ("mode %d frame %u: spread %.2f ms", mode, f,
        res->spread[f] / 1e6);
    for (l = 1; l < n_legs; l++) {
      const gint64 *u = times[l] + f * per_frame;
      gint64 other = u[per_frame - 1] - u[0];

      g_test_message ("  leg %u: spread %.2f ms", l, other / 1e6);
      /* each leg paced the same way */
      if (mode == MCTX_PACING_TIMESTAMPS && f > 0)
        g_assert_cmpint (other, >, s.frame_ns / 2);
    }
  }
  res->burst = mctx_test_max_burst_1ms (times[0], n);
  res->cpu = s.cpu_ns_per_packet;
  mctx_pacer_get_stats (s.pacer, &stats);
  g_test_message ("mode %d: receiver's largest 1 ms burst %u; pacer: %s, "
      "late %" G_GUINT64_FORMAT ", largest 1 ms burst %u, "
      "sender CPU %.0f ns/packet", mode, res->burst, stats.mechanism,
      stats.late, stats.max_burst_1ms, res->cpu);
  g_assert_cmpuint (stats.packets, ==, n);
  for (l = 0; l < n_legs; l++) {
    g_object_unref (s.legs[l]);
    g_object_unref (subs[l]);
  }
  g_object_unref (s.pacer);
}

/* one 100-packet frame at 25 fps, paced vs not */
static void
test_frame_spread (void)
{
  FrameResult paced = { 0 }, unpaced = { 0 };

  run_frames (MCTX_PACING_TIMESTAMPS, TRUE, 1, 1, 100, 1, 9100, &paced);
  run_frames (MCTX_PACING_NONE, TRUE, 1, 1, 100, 1, 9101, &unpaced);
  g_test_message ("spread: paced %.2f ms, unpaced %.2f ms (frame 40 ms, "
      "ideal paced 39.6 ms); 1 ms bursts: paced %u (ideal 3), unpaced %u",
      paced.spread[0] / 1e6, unpaced.spread[0] / 1e6, paced.burst,
      unpaced.burst);
  g_assert_cmpint (paced.spread[0], >, 20 * MS);
  g_assert_cmpint (paced.spread[0], <, 80 * MS);
  g_assert_cmpint (unpaced.spread[0], <, 10 * MS);
  g_assert_cmpint (paced.spread[0], >, 4 * unpaced.spread[0]);
  g_assert_cmpuint (paced.burst, <, unpaced.burst);
}

/* frames arriving as 4 lists of 25 with the same timestamp, as from
 * rtpvrawpay: the first frame is not spread (its size is unknown), the
 * next ones are */
static void
test_frames_streamed (void)
{
  FrameResult r = { 0 };

  run_frames (MCTX_PACING_TIMESTAMPS, FALSE, 3, 4, 25, 1, 9102, &r);
  g_assert_cmpint (r.spread[0], <, 20 * MS);
  g_assert_cmpint (r.spread[1], >, 20 * MS);
  g_assert_cmpint (r.spread[2], >, 20 * MS);
}

/* two redundant legs, each paced the same way */
static void
test_legs (void)
{
  FrameResult r = { 0 };

  run_frames (MCTX_PACING_TIMESTAMPS, FALSE, 2, 2, 50, 2, 9103, &r);
  g_assert_cmpint (r.spread[1], >, 20 * MS);
}

/* 400 datagrams at 20 Mbit/s (about 200 ms): the rate seen by the receiver
 * and by the pacer's statistics is within a few % */
static void
test_rate (void)
{
  const guint64 rate = 20000000;
  MctxSubscription *sub = sub_on ("qa1", 9104);
  Sender s = { 0 };
  GThread *thread;
  gint64 times[MAX_PACKETS];
  MctxPacerStats stats;
  GError *error = NULL;
  gdouble seen, bits = (gdouble) (MAX_PACKETS - 1) * (SIZE + 28) * 8;

  s.pacer = mctx_pacer_new (MCTX_PACING_RATE);
  /* 5 ms of slack for a loaded machine's wake-ups: up to 10 datagrams
   * more in a catch-up burst, and the rate held */
  g_object_set (s.pacer, "rate", rate, "burst", 1, "late-tolerance",
      5 * MS, NULL);
  s.legs[0] = pub_on ("qa0", 9104);
  s.n_legs = 1;
  s.n_packets = MAX_PACKETS;
  g_assert_true (mctx_pacer_start (s.pacer, s.legs, 1, &error));
  g_assert_no_error (error);
  thread = g_thread_new ("sender", sender_thread, &s);
  mctx_test_receive_times (sub, MAX_PACKETS, SIZE, times, &error);
  g_assert_no_error (error);
  g_thread_join (thread);

  seen = bits * 1e9 / (gdouble) (times[MAX_PACKETS - 1] - times[0]);
  mctx_pacer_get_stats (s.pacer, &stats);
  g_test_message ("rate: asked %" G_GUINT64_FORMAT ", received %.0f, pacer "
      "%" G_GUINT64_FORMAT " bit/s; late %" G_GUINT64_FORMAT "; largest 1 ms "
      "burst %u at the receiver (ideal 3), %u by the pacer; CPU %.0f "
      "ns/packet", rate, seen, stats.achieved_rate_bps, stats.late,
      mctx_test_max_burst_1ms (times, MAX_PACKETS), stats.max_burst_1ms,
      s.cpu_ns_per_packet);
  /* never faster, and the pacer's own figure is the receiver's */
  g_assert_cmpfloat (seen, <, rate * 1.03);
  g_assert_cmpfloat ((gdouble) stats.achieved_rate_bps, <, seen * 1.02);
  g_assert_cmpfloat ((gdouble) stats.achieved_rate_bps, >, seen * 0.98);
  /* and as fast as asked, unless the sender was stalled beyond the
   * tolerance (a starved machine): then the pacer says so, and the time
   * lost is not made up in a burst */
  if (stats.late == 0)
    g_assert_cmpfloat (seen, >, rate * 0.95);
  else
    g_test_message ("sender stalled (%" G_GUINT64_FORMAT " late): the rate "
        "fell short, as it must rather than burst", stats.late);
  /* the catch-up bursts stay within burst + tolerance * rate: 1 + 10 */
  g_assert_cmpuint (stats.max_burst_1ms, <=, 3 + 11);
  g_assert_cmpuint (stats.packets, ==, MAX_PACKETS);
  g_assert_cmpuint (stats.bytes, ==, MAX_PACKETS * SIZE);
  g_object_unref (s.legs[0]);
  g_object_unref (s.pacer);
  g_object_unref (sub);
}

/* the links (before any thread exists) and the datagrams */
static void
setup (void)
{
  guint i;

  mctx_test_netns_add_veth ("qa0", "qa1", "10.41.1.1/24", "10.41.1.2/24",
      NULL, NULL);
  mctx_test_netns_add_veth ("qb0", "qb1", "10.41.2.1/24", "10.41.2.2/24",
      NULL, NULL);
  for (i = 0; i < MAX_PACKETS; i++) {
    payload[i][0] = i & 0xff;
    payload[i][1] = i >> 8;
    vectors[i].buffer = payload[i];
    vectors[i].size = SIZE;
    messages[i].vectors = &vectors[i];
    messages[i].num_vectors = 1;
    sizes[i] = SIZE;
  }
}

static const MctxTestCase tests[] = {
  {"/pacer-veth/frame-spread", test_frame_spread},
  {"/pacer-veth/frames-streamed", test_frames_streamed},
  {"/pacer-veth/legs", test_legs},
  {"/pacer-veth/rate", test_rate},
};

MCTX_TEST_MAIN (setup, tests)
