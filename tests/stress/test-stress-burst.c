/* Nothing lost, and prompt to stop.
 *
 * - A burst of 200,000 buffers into mctxsink with a 4 KiB send buffer on a
 *   rate-limited veth: the sink waits whenever the buffer is full instead of
 *   dropping, so its packets-sent and what a receiver with a 32 MiB buffer
 *   counts (distinct sequence numbers in the payload) are both 200,000.
 * - Going to NULL, or a flush, while render is blocked on a full send buffer
 *   returns in under 100 ms; so does stopping an idle mctxsrc.  The links
 *   are made slow enough (one datagram per 350 ms) that a sink that only
 *   noticed the state change after its current datagram left would miss the
 *   bound.
 *
 * MCTX_STRESS_BURST sets the burst size (default 200000).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"
#include "mctx-test-util.h"

#include <string.h>

#define DEFAULT_BURST 200000
#define PAYLOAD 64
/* burst link b0 -> b1: the first SLOW_PART datagrams meet a link of
 * 4 Mbit/s (~4,700 of these ~106-byte frames a second: slower than any
 * build of the sink, so it certainly has to wait), then the link opens up
 * to 1 Gbit/s and the rest go as fast as the sink and the receiver can.
 * The queue may hold a minute, so the qdisc itself never drops. */
#define SLOW_QDISC_BURST "tbf rate 4mbit burst 4kb latency 60s"
#define FAST_QDISC_BURST "tbf rate 1gbit burst 256kb latency 60s"
#define SLOW_PART 5000
#define BURST_GROUP "239.12.0.1"
#define BURST_PORT 5800
/* slow link u0 -> u1: a 1400-byte datagram every 350 ms */
#define SLOW_QDISC "tbf rate 32kbit burst 2kb latency 60s"
#define RESPONSIVE_US (100 * 1000)
#define ROUNDS 3

/* ---- the counting receiver ---- */

static const gchar *only_b1[] = { "b1", NULL };

typedef struct
{
  MctxSubscription *sub;
  guint64 expected;             /* stop after this many */
  gint64 deadline_us;           /* or at this monotonic time */
  gint sender_done;             /* then give the rest 5 s at most */
  /* results, read after the join */
  guint64 received;
  guint64 next_seq;
  guint64 out_of_order;         /* below the highest seen: veth may reorder
                                 * when the sender moves between CPUs */
  guint64 duplicates;
  guint64 bad_size;             /* wrong size or sequence number */
  guint8 *seen;                 /* one bit per sequence number */
} Counter;

#define BATCH 64

static gpointer
counter_run (gpointer data)
{
  Counter *c = data;
  MctxMessage msgs[BATCH];
  guint8 *bufs = g_malloc (BATCH * 2048);
  guint i;

  while (c->received < c->expected && g_get_monotonic_time () < c->deadline_us) {
    GError *err = NULL;
    gint n;

    if (g_atomic_int_get (&c->sender_done) == 1) {
      g_atomic_int_set (&c->sender_done, 2);
      c->deadline_us = MIN (c->deadline_us,
          g_get_monotonic_time () + 5 * G_USEC_PER_SEC);
    }
    for (i = 0; i < BATCH; i++) {
      msgs[i].buffer = bufs + i * 2048;
      msgs[i].buffer_size = 2048;
      msgs[i].user_data = NULL;
    }
    n = mctx_subscription_receive_messages (c->sub, msgs, BATCH, &err);
    if (n < 0) {
      if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_error ("receive: %s", err->message);
      g_clear_error (&err);
      /* bounded wait; the loop condition bounds the whole */
      if (!mctx_subscription_wait_readable (c->sub, 100 * 1000, NULL, &err))
        g_clear_error (&err);
      continue;
    }
    for (i = 0; i < (guint) n; i++) {
      guint64 seq;

      if (msgs[i].info.size != PAYLOAD) {
        c->bad_size++;
        continue;
      }
      memcpy (&seq, msgs[i].buffer, sizeof seq);
      seq = GUINT64_FROM_BE (seq);
      if (seq >= c->expected) {
        c->bad_size++;
        continue;
      }
      if (c->seen[seq / 8] & (1 << (seq % 8))) {
        c->duplicates++;
        continue;
      }
      c->seen[seq / 8] |= 1 << (seq % 8);
      if (seq < c->next_seq)
        c->out_of_order++;
      else
        c->next_seq = seq + 1;
      c->received++;
    }
  }
  g_free (bufs);
  return NULL;
}

GST_START_TEST (test_burst_nothing_lost)
{
  guint burst = mctx_test_env_uint ("MCTX_STRESS_BURST", DEFAULT_BURST);
  Counter counter = { 0, };
  MctxSubscriptionStats rx_stats;
  GThread *thread;
  GstHarness *h;
  GstElement *sink;
  gint64 start, elapsed;
  guint i;
  gint granted;
  guint64 slow_blocked = 0;

  mctx_test_try_run ("tc qdisc del dev b0 root");
  mctx_test_run ("tc qdisc add dev b0 root " SLOW_QDISC_BURST);

  /* 32 MiB is above net.core.rmem_max: SO_RCVBUFFORCE (we are root) */
  counter.sub = mctx_test_subscription (BURST_GROUP, BURST_PORT,
      "interfaces", only_b1, "receive-buffer-size", 32 * 1024 * 1024, NULL);
  granted = mctx_subscription_get_actual_receive_buffer_size (counter.sub);
  fail_unless (granted >= 32 * 1024 * 1024, "receive buffer %d", granted);
  counter.expected = burst;
  counter.seen = g_malloc0 (burst / 8 + 1);
  counter.deadline_us = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  thread = g_thread_new ("counter", counter_run, &counter);

  h = mctx_tx_harness ("mctxsink address=" BURST_GROUP " port=5800 "
      "interface=b0 loop=false buffer-size=4096 sync=false");
  sink = mctx_harness_element (h, "mctxsink");

  start = g_get_monotonic_time ();
  for (i = 0; i < burst; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, PAYLOAD, NULL);
    guint64 seq = GUINT64_TO_BE ((guint64) i);
    GstMapInfo map;

    if (i == SLOW_PART) {
      slow_blocked = mctx_get_stat (sink, "would-block");
      mctx_test_run ("tc qdisc change dev b0 root " FAST_QDISC_BURST);
    }
    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    memset (map.data, 0x5a, map.size);
    memcpy (map.data, &seq, sizeof seq);
    gst_buffer_unmap (buf, &map);
    /* render returns once the kernel took the datagram, waiting as long
     * as the 4 KiB buffer is full */
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  }
  elapsed = g_get_monotonic_time () - start;
  g_atomic_int_set (&counter.sender_done, 1);
  if (burst <= SLOW_PART)
    slow_blocked = mctx_get_stat (sink, "would-block");

  g_thread_join (thread);
  mctx_subscription_get_stats (counter.sub, &rx_stats);

  g_print ("# burst of %u: pushed in %.2f s (%.0f/s); sink packets-sent %"
      G_GUINT64_FORMAT ", would-block %" G_GUINT64_FORMAT " (%"
      G_GUINT64_FORMAT " in the first %u), send-errors %"
      G_GUINT64_FORMAT "; received %" G_GUINT64_FORMAT " distinct, out of "
      "order %" G_GUINT64_FORMAT ", kernel drops %" G_GUINT64_FORMAT "\n",
      burst,
      elapsed / 1e6, burst / (elapsed / 1e6),
      mctx_get_stat (sink, "packets-sent"), mctx_get_stat (sink,
          "would-block"), slow_blocked, SLOW_PART, mctx_get_stat (sink,
          "send-errors"),
      counter.received, counter.out_of_order, rx_stats.kernel_drops);

  /* the sink handed every buffer to the kernel, having had to wait */
  fail_unless_equals_uint64 (mctx_get_stat (sink, "packets-sent"), burst);
  fail_unless_equals_uint64 (mctx_get_stat (sink, "send-errors"), 0);
  fail_unless (slow_blocked > 0,
      "the 4 KiB send buffer never filled: the test did not test waiting");
  /* and the kernel delivered every one, once (the order is the veth's
   * business: it may swap a few when the sender changes CPU) */
  fail_unless_equals_uint64 (counter.received, burst);
  fail_unless_equals_uint64 (counter.duplicates, 0);
  fail_unless_equals_uint64 (counter.bad_size, 0);
  fail_unless_equals_uint64 (rx_stats.kernel_drops, 0);
  fail_unless_equals_uint64 (rx_stats.packets_received, burst);

  gst_harness_teardown (h);
  g_free (counter.seen);
  g_object_unref (counter.sub);
  mctx_test_run ("tc qdisc del dev b0 root");
}

GST_END_TEST;

/* ---- unlock timing ---- */

/* a sender whose render waits on a full send buffer: 40 datagrams of 1400
 * bytes, a link that drains one every 350 ms and a buffer of a few */
static GstElement *
start_blocked_sender (GstElement ** sink_out)
{
  return mctx_start_blocked_sender ("u0", SLOW_QDISC, "239.12.0.2", 5801,
      sink_out);
}

static void
check_responsive (const gchar * what, gint64 elapsed, gint64 * worst)
{
  *worst = MAX (*worst, elapsed);
  fail_unless (elapsed < RESPONSIVE_US, "%s took %" G_GINT64_FORMAT " us "
      "(bound %d us)", what, elapsed, RESPONSIVE_US);
}

/* sets @e to NULL, which must succeed within the bound */
static void
stop_in_time (GstElement * e, const gchar * what, gint64 * worst)
{
  gint64 start = g_get_monotonic_time ();

  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  check_responsive (what, g_get_monotonic_time () - start, worst);
}

/* a blocked sender stopped; with @flush, flushed first */
static void
blocked_sink_round (gboolean flush, gint64 * worst)
{
  GstElement *sink, *tx = start_blocked_sender (&sink);

  if (flush) {
    GstPad *pad = gst_element_get_static_pad (sink, "sink");
    gint64 start = g_get_monotonic_time ();

    /* basesink takes the lock render holds while it waits: this returns
     * only once render has let go */
    fail_unless (gst_pad_send_event (pad, gst_event_new_flush_start ()));
    check_responsive ("flush-start while blocked",
        g_get_monotonic_time () - start, worst);
    start = g_get_monotonic_time ();
    fail_unless (gst_pad_send_event (pad, gst_event_new_flush_stop (TRUE)));
    check_responsive ("flush-stop", g_get_monotonic_time () - start, worst);
    gst_object_unref (pad);
    stop_in_time (tx, "NULL after the flush", worst);
  } else {
    stop_in_time (tx, "PLAYING -> NULL while blocked", worst);
    /* it was blocked, not done: the link cannot have drained 40 */
    fail_unless (mctx_get_stat (sink, "packets-sent") < 40);
  }
  gst_object_unref (sink);
  gst_object_unref (tx);
}

/* an idle receiver: proven to be inside its wait by its own timeout
 * message, then stopped well before the next one would come */
static void
idle_src_round (gboolean unused, gint64 * worst)
{
  GstElement *rx = gst_parse_launch ("mctxsrc address=239.12.0.3 "
      "port=5802 interface=lo timeout=300000000 ! fakesink async=false",
      NULL);
  GstBus *bus = gst_element_get_bus (rx);
  GstMessage *msg;

  mctx_set_state (rx, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, MCTX_CHECK_TIMEOUT,
      GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL && gst_message_has_name (msg,
          "GstMctxSrcTimeout"));
  gst_message_unref (msg);
  stop_in_time (rx, "idle mctxsrc PLAYING -> NULL", worst);
  gst_object_unref (bus);
  gst_object_unref (rx);
}

/* ROUNDS rounds of @round, then the worst time seen */
static void
rounds (const gchar * what, void (*round) (gboolean, gint64 *), gboolean arg)
{
  gint64 worst = 0;
  guint i;

  for (i = 0; i < ROUNDS; i++)
    round (arg, &worst);
  g_print ("# %s: worst %.1f ms of %d\n", what, worst / 1e3, ROUNDS);
}

GST_START_TEST (test_blocked_sink_to_null)
{
  rounds ("blocked mctxsink to NULL", blocked_sink_round, FALSE);
}

GST_END_TEST;

GST_START_TEST (test_blocked_sink_flush)
{
  rounds ("blocked mctxsink flush", blocked_sink_round, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_idle_src_to_null)
{
  rounds ("idle mctxsrc to NULL", idle_src_round, FALSE);
}

GST_END_TEST;

/* the links, in the namespace before gst starts threads */
static void
add_links (void)
{
  mctx_test_netns_add_link ("b", 1, FALSE, NULL);
  mctx_test_netns_add_link ("u", 2, FALSE, NULL);
}

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_burst_nothing_lost),
  MCTX_CHECK_TEST (test_blocked_sink_to_null),
  MCTX_CHECK_TEST (test_blocked_sink_flush),
  MCTX_CHECK_TEST (test_idle_src_to_null),
};

MCTX_CHECK_MAIN (add_links, "mctx-stress-burst", 150, tests)
