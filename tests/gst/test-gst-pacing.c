/* mctxsink pacing (issue #14) through the element, timed by the receiver's
 * kernel timestamps on a veth pair in the test's own namespace.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The bounds are generous (a loaded 2-core machine): a paced 100-datagram
 * frame at 25 fps must arrive spread over more than half its 40 ms, the
 * same frame unpaced within a few ms; a rate is never exceeded by more than
 * a few % and reached within a factor of two. No speed target.
 */
#include "gstmctx-check.h"

#include <string.h>

#define MS (G_GINT64_CONSTANT (1000000))
#define GROUP "239.42.0.1"
#define SIZE 1200
#define PER_FRAME 100
#define LISTS 4                 /* one frame as 4 lists, as rtpvrawpay does */
#define FRAMES 4
#define FRAME_NS (40 * MS)
#define MAX_PACKETS 400

static void
setup (void)
{
  /* p0 -> p1, IPv4 only, the default (noqueue) root qdisc */
  mctx_test_netns_add_link ("p", 42, FALSE, NULL);
  /* q0 -> q1: a second leg, set down by test_legs_one_down */
  mctx_test_netns_add_link ("q", 43, FALSE, NULL);
}

static MctxSubscription *
receiver (guint port)
{
  const gchar *ifs[] = { "p1", NULL };

  /* every datagram of a run waits in the socket until the end */
  return mctx_test_subscription (GROUP, port, "interfaces", ifs,
      "receive-buffer-size", 4 * 1024 * 1024, NULL);
}

/* a receiver on p1 and "appsrc ! mctxsink PROPS" on p0 (sync on, the
 * usual); link_start () leaves the sender in NULL */
typedef struct
{
  MctxSubscription *sub;
  GstElement *pipe;
  GstElement *sink;             /* the pipeline keeps it */
} Link;

static void
link_start (Link * l, guint port, const gchar * props)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! "
      "mctxsink name=sink address=" GROUP " port=%u interface=p0 loop=false "
      "%s", port, props);

  l->sub = receiver (port);
  l->pipe = mctx_pipeline_parse (desc, "sink", &l->sink);
  g_free (desc);
  gst_object_unref (l->sink);
}

static void
link_stop (Link * l)
{
  mctx_pipeline_stop (l->pipe);
  g_object_unref (l->sub);
}

static GstBuffer *
packet (guint seq, GstClockTime pts, GstClockTime duration)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, SIZE, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0, SIZE);
  map.data[0] = seq & 0xff;
  map.data[1] = seq >> 8;
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = duration;
  return buf;
}

/* @n datagrams from @seq on, stamped @pts and @duration, as one list */
static void
push_list (Link * l, guint seq, guint n, GstClockTime pts,
    GstClockTime duration)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (l->pipe), "src");
  GstBufferList *list = gst_buffer_list_new ();
  guint i;

  for (i = 0; i < n; i++)
    gst_buffer_list_add (list, packet (seq + i, pts, duration));
  fail_unless_equals_int (gst_app_src_push_buffer_list (GST_APP_SRC (src),
          list), GST_FLOW_OK);
  gst_object_unref (src);
}

/* frames of PER_FRAME datagrams in LISTS lists, all stamped alike, no
 * duration (the frame time is the interval between frames) */
static void
push_frames (Link * l, guint n_frames)
{
  guint f, i;

  for (f = 0; f < n_frames; f++)
    for (i = 0; i < LISTS; i++)
      push_list (l, (f * LISTS + i) * (PER_FRAME / LISTS), PER_FRAME / LISTS,
          f * FRAME_NS, GST_CLOCK_TIME_NONE);
}

/* EOS after what was pushed; once the sink has it, the @n datagrams that
 * must have arrived, in order, and their kernel receive times */
static void
finish (Link * l, guint n, gint64 * times)
{
  GstElement *src = gst_bin_get_by_name (GST_BIN (l->pipe), "src");
  GstMessage *msg;
  GError *error = NULL;

  fail_unless_equals_int (gst_app_src_end_of_stream (GST_APP_SRC (src)),
      GST_FLOW_OK);
  gst_object_unref (src);
  msg = mctx_wait_message (l->pipe, GST_MESSAGE_EOS | GST_MESSAGE_ERROR,
      10 * GST_SECOND);
  fail_unless (msg != NULL, "no EOS");
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS, "error: %"
      GST_PTR_FORMAT, msg);
  gst_message_unref (msg);
  fail_unless (mctx_test_receive_times (l->sub, n, SIZE, times, &error),
      "%s", error->message);
}

/* the frames' spreads (first to last datagram) */
static void
run_frames (const gchar * props, guint port, gint64 * spread, guint * burst,
    GstStructure ** stats)
{
  Link l;
  gint64 times[FRAMES * PER_FRAME];
  guint f;

  link_start (&l, port, props);
  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  push_frames (&l, FRAMES);
  finish (&l, FRAMES * PER_FRAME, times);
  for (f = 0; f < FRAMES; f++) {
    spread[f] = times[(f + 1) * PER_FRAME - 1] - times[f * PER_FRAME];
    g_print ("%s: frame %u spread over %.2f ms\n", props, f, spread[f] / 1e6);
  }
  /* from the second frame on (the first one is not spread) */
  *burst = mctx_test_max_burst_1ms (times + PER_FRAME,
      (FRAMES - 1) * PER_FRAME);
  g_object_get (l.sink, "stats", stats, NULL);
  {
    gchar *text = gst_structure_to_string (*stats);

    g_print ("%s: largest 1 ms burst %u (from frame 1); %s\n", props,
        *burst, text);
    g_free (text);
  }
  link_stop (&l);
}

static guint64
field_u64 (const GstStructure * s, const gchar * name)
{
  guint64 v = 0;

  fail_unless (gst_structure_get_uint64 (s, name, &v), "no %s in %"
      GST_PTR_FORMAT, name, s);
  return v;
}

/* frames pushed as lists with one timestamp: spread with
 * pacing=timestamps (from the second frame on: the first one's size is
 * unknown), bunched without */
GST_START_TEST (test_frames_spread)
{
  gint64 paced[FRAMES], unpaced[FRAMES];
  guint paced_burst, unpaced_burst, f;
  GstStructure *ps, *us;

  run_frames ("pacing=timestamps", 9200, paced, &paced_burst, &ps);
  run_frames ("pacing=none", 9201, unpaced, &unpaced_burst, &us);

  for (f = 1; f < FRAMES; f++) {
    fail_unless (paced[f] > FRAME_NS / 2, "paced frame %u spread over %.2f ms"
        " only", f, paced[f] / 1e6);
    /* a frame never takes much longer than its time */
    fail_unless (paced[f] < 2 * FRAME_NS, "paced frame %u: %.2f ms", f,
        paced[f] / 1e6);
  }
  for (f = 0; f < FRAMES; f++)
    fail_unless (unpaced[f] < 10 * MS, "unpaced frame %u spread over %.2f ms",
        f, unpaced[f] / 1e6);
  fail_unless (paced[2] > 4 * unpaced[2]);
  /* only a stall of most of a frame would bunch a paced one */
  fail_unless (paced_burst < PER_FRAME, "1 ms bursts: paced %u, unpaced %u",
      paced_burst, unpaced_burst);

  fail_unless_equals_string (gst_structure_get_string (ps,
          "pacing-mechanism"), "user-space");
  fail_unless_equals_int (field_u64 (ps, "packets-sent"), FRAMES * PER_FRAME);
  fail_unless (field_u64 (ps, "max-burst-1ms") >= 1);
  /* the first frame leaves in one burst: at most it */
  fail_unless (field_u64 (ps, "max-burst-1ms") <= PER_FRAME);
  fail_unless (field_u64 (ps, "late-packets") <= FRAMES * PER_FRAME);
  fail_unless (field_u64 (ps, "achieved-rate") > 0);

  /* without pacing the fields are there, and say so */
  fail_unless_equals_string (gst_structure_get_string (us,
          "pacing-mechanism"), "none");
  fail_unless_equals_int (field_u64 (us, "late-packets"), 0);
  fail_unless_equals_int (field_u64 (us, "max-burst-1ms"), 0);
  fail_unless_equals_int (field_u64 (us, "achieved-rate"), 0);
  gst_structure_free (ps);
  gst_structure_free (us);
}

GST_END_TEST;

/* buffers with a duration: the frame time is that, not the interval */
GST_START_TEST (test_frames_duration)
{
  Link l;
  gint64 times[3 * PER_FRAME], spread;
  guint f;

  link_start (&l, 9202, "pacing=timestamps");
  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  /* 80 ms frames stamped 80 ms apart, each declaring 20 ms: spread over
   * about 20 ms, not 80 */
  for (f = 0; f < 3; f++)
    push_list (&l, f * PER_FRAME, PER_FRAME, f * 2 * FRAME_NS, FRAME_NS / 2);
  finish (&l, 3 * PER_FRAME, times);
  for (f = 1; f < 3; f++) {
    spread = times[(f + 1) * PER_FRAME - 1] - times[f * PER_FRAME];
    g_print ("frame %u: %.2f ms\n", f, spread / 1e6);
    fail_unless (spread > FRAME_NS / 4, "frame %u: %.2f ms", f, spread / 1e6);
    fail_unless (spread < FRAME_NS + FRAME_NS / 2, "frame %u: %.2f ms", f,
        spread / 1e6);
  }
  link_stop (&l);
}

GST_END_TEST;

/* pacing=rate: 200 datagrams in one list at 10 Mbit/s (headers counted:
 * 1228 bytes each, about 196 ms), the receiver's rate and the stats */
GST_START_TEST (test_rate)
{
  const guint64 rate = 10000000;
  const guint n = 200;
  Link l;
  GstElement *sink;
  GstStructure *s;
  gint64 times[MAX_PACKETS];
  gdouble seen, achieved;
  guint burst;

  link_start (&l, 9203, "pacing=rate pacing-rate=10000000 pacing-burst=2");
  sink = l.sink;
  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  push_list (&l, 0, n, 0, GST_CLOCK_TIME_NONE);
  finish (&l, n, times);

  /* the first pacing-burst datagrams leave together: count from there */
  seen = (gdouble) (n - 2) * (SIZE + 28) * 8 * 1e9 / (times[n - 1] - times[1]);
  burst = mctx_test_max_burst_1ms (times, n);
  g_object_get (sink, "stats", &s, NULL);
  achieved = field_u64 (s, "achieved-rate");
  {
    gchar *text = gst_structure_to_string (s);

    g_print ("rate %" G_GUINT64_FORMAT ": received at %.0f bit/s, largest "
        "1 ms burst %u; %s\n", rate, seen, burst, text);
    g_free (text);
  }

  fail_unless (seen < rate * 1.05, "received at %.0f bit/s", seen);
  fail_unless (seen > rate * 0.5, "received at %.0f bit/s", seen);
  fail_unless (achieved < rate * 1.05 && achieved > rate * 0.5,
      "achieved-rate %.0f", achieved);
  /* 10 Mbit/s is one datagram a ms: bursts stay small (catch-ups after a
   * late wake-up included) */
  fail_unless (burst <= 20, "largest 1 ms burst %u", burst);
  fail_unless_equals_string (gst_structure_get_string (s,
          "pacing-mechanism"), "user-space");
  fail_unless_equals_int (field_u64 (s, "packets-sent"), n);
  fail_unless (field_u64 (s, "max-burst-1ms") >= 2);
  fail_unless (field_u64 (s, "max-burst-1ms") <= 20);
  fail_unless (field_u64 (s, "late-packets") <= n);
  gst_structure_free (s);

  gst_object_ref (sink);
  link_stop (&l);
  /* after stop the last run's counters stay */
  g_object_get (sink, "stats", &s, NULL);
  fail_unless_equals_string (gst_structure_get_string (s,
          "pacing-mechanism"), "user-space");
  fail_unless_equals_int (field_u64 (s, "packets-sent"), n);
  gst_structure_free (s);
  gst_object_unref (sink);
}

GST_END_TEST;

/* pacing-mechanism=kernel on an interface without fq: a warning naming the
 * interface and the command, then user-space pacing that works */
GST_START_TEST (test_kernel_warning)
{
  Link l;
  GstMessage *msg;
  GstStructure *s;
  gint64 times[FRAMES * PER_FRAME];

  link_start (&l, 9204, "pacing=timestamps pacing-mechanism=kernel");
  mctx_set_state (l.pipe, GST_STATE_PAUSED);
  msg = mctx_wait_message (l.pipe, GST_MESSAGE_WARNING, MCTX_CHECK_TIMEOUT);
  mctx_assert_warning_message (msg, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "Kernel pacing requested", "interface p0",
      "tc qdisc replace dev p0 root fq", NULL);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (l.sink));
  gst_message_unref (msg);

  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  push_frames (&l, FRAMES);
  finish (&l, FRAMES * PER_FRAME, times);
  g_object_get (l.sink, "stats", &s, NULL);
  fail_unless_equals_string (gst_structure_get_string (s,
          "pacing-mechanism"), "user-space");
  gst_structure_free (s);
  /* auto falls back without a warning */
  fail_unless (mctx_wait_message (l.pipe, GST_MESSAGE_WARNING, 0) == NULL);
  link_stop (&l);
}

GST_END_TEST;

/* the kernel path through the element (SO_TXTIME): this kernel has no fq,
 * so the test makes every interface look like it has one; the datagrams
 * then leave at once, but every one arrives and is counted */
GST_START_TEST (test_kernel_path)
{
  Link l;
  GstStructure *s;
  gint64 times[FRAMES * PER_FRAME];

  /* a forked test process, no other thread yet */
  g_setenv ("MCTX_PACER_ASSUME_QDISC", "fq", TRUE);
  link_start (&l, 9205, "pacing=timestamps pacing-mechanism=kernel");
  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  push_frames (&l, FRAMES);
  finish (&l, FRAMES * PER_FRAME, times);
  fail_unless (mctx_wait_message (l.pipe, GST_MESSAGE_WARNING, 0) == NULL);
  g_object_get (l.sink, "stats", &s, NULL);
  fail_unless_equals_string (gst_structure_get_string (s,
          "pacing-mechanism"), "kernel-fq");
  fail_unless_equals_int (field_u64 (s, "packets-sent"), FRAMES * PER_FRAME);
  gst_structure_free (s);
  link_stop (&l);
}

GST_END_TEST;

/* a flush while a frame is being paced: unlocked at once, then it goes on */
GST_START_TEST (test_flush_while_pacing)
{
  Link l;
  guint8 buf[2048];
  MctxPacketInfo info;
  GstState state;

  link_start (&l, 9206, "pacing=rate pacing-rate=1000000");
  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  /* 100 datagrams at 1 Mbit/s: about a second */
  push_list (&l, 0, 100, 0, GST_CLOCK_TIME_NONE);
  /* the first ones arrive: the sink is inside the paced send */
  fail_unless_equals_int (mctx_test_receive (l.sub, buf, sizeof buf, &info,
          MCTX_TEST_TIMEOUT_US), SIZE);
  fail_unless (mctx_wait_stat (l.sink, "packets-sent", 2, MCTX_CHECK_TIMEOUT));
  /* READY unlocks the wait at once, long before the list's second */
  fail_unless_equals_int (gst_element_set_state (l.pipe, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  gst_element_get_state (l.pipe, &state, NULL, 0);
  fail_unless_equals_int (state, GST_STATE_READY);
  fail_unless (mctx_get_stat (l.sink, "packets-sent") < 100);
  link_stop (&l);
}

GST_END_TEST;

/* paced with two legs, leg 1's interface down: leg 0 sends everything,
 * the stream goes on, and leg 1's failure is a warning at most once a
 * second, not messages on every due batch (pacing-burst 1: each datagram
 * is a batch of its own) */
GST_START_TEST (test_legs_one_down)
{
  Link l;
  gint64 times[MAX_PACKETS];
  GstElement *src;
  GstMessage *msg;
  GstBus *bus;
  GError *error = NULL;
  guint i, warnings = 0, infos = 0;
  GstStructure *stats;
  const GValue *legs;

  link_start (&l, 9207, "pacing=rate pacing-rate=20000000 "
      "redundant-uri=mctx://239.42.0.2:9207?interface=q0");
  mctx_set_state (l.pipe, GST_STATE_PLAYING);
  mctx_test_run ("ip link set q0 down");
  for (i = 0; i < MAX_PACKETS / 25; i++)
    push_list (&l, i * 25, 25, 0, GST_CLOCK_TIME_NONE);
  src = gst_bin_get_by_name (GST_BIN (l.pipe), "src");
  fail_unless_equals_int (gst_app_src_end_of_stream (GST_APP_SRC (src)),
      GST_FLOW_OK);
  gst_object_unref (src);

  /* every message up to EOS (an error fails) */
  bus = gst_element_get_bus (l.pipe);
  while ((msg = gst_bus_timed_pop (bus, 10 * GST_SECOND)) != NULL) {
    GstMessageType type = GST_MESSAGE_TYPE (msg);

    fail_if (type == GST_MESSAGE_ERROR, "error: %" GST_PTR_FORMAT, msg);
    warnings += type == GST_MESSAGE_WARNING;
    infos += type == GST_MESSAGE_INFO;
    gst_message_unref (msg);
    if (type == GST_MESSAGE_EOS)
      break;
  }
  gst_object_unref (bus);
  fail_unless (msg != NULL, "no EOS");
  mctx_test_run ("ip link set q0 up");
  fail_unless (mctx_test_receive_times (l.sub, MAX_PACKETS, SIZE, times,
          &error), "%s", error ? error->message : "");

  g_object_get (l.sink, "stats", &stats, NULL);
  legs = gst_structure_get_value (stats, "legs");
  fail_unless (legs != NULL && gst_value_array_get_size (legs) == 2);
  fail_unless (field_u64 (gst_value_get_structure
          (gst_value_array_get_value (legs, 1)), "failed") > 0);
  gst_structure_free (stats);
  fail_unless_equals_int (infos, 0);
  fail_unless (warnings >= 1 && warnings <= 2, "%u warnings", warnings);
  link_stop (&l);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_frames_spread),
  MCTX_CHECK_TEST (test_frames_duration),
  MCTX_CHECK_TEST (test_rate),
  MCTX_CHECK_TEST (test_kernel_warning),
  MCTX_CHECK_TEST (test_kernel_path),
  MCTX_CHECK_TEST (test_flush_while_pacing),
  MCTX_CHECK_TEST (test_legs_one_down),
};

MCTX_CHECK_MAIN (setup, "mctx-pacing", 60, tests)
