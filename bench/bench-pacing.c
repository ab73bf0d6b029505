/* bench-pacing: how evenly real GStreamer pipelines put datagrams on a
 * wire, with udpsink, mctxsink pacing=none and mctxsink pacing=timestamps
 * (issue #14), timed by the receiver's kernel timestamps.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The program moves itself into a private network namespace with a veth
 * pair bp0 -> bp1 (nothing leaves the machine), runs each pipeline for a
 * bounded number of frames and receives on bp1 with an MctxSubscription.
 * Per run: the largest number of datagrams within any 1 ms against the
 * ideal (the mean rate's share of 1 ms), each frame's spread (first to last
 * datagram, frames grouped by RTP timestamp) against the frame time, the
 * mean rate against the stream's (bits over the RTP timestamps' time), the
 * losses (RTP sequence gaps) and the CPU time per datagram of the sink's
 * own streaming thread (after a queue). Writes a Markdown fragment and a
 * CSV of the inter-arrival histograms (bench/plot-pacing.py plots it).
 *
 *   bench-pacing [--frames N] [--output FILE.md] [--csv FILE.csv]
 *
 * tools/bench-pacing.sh runs it. Needs root.
 */
#include "bench.h"
#include "mctx-tool.h"

#include <errno.h>
#include <pthread.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GROUP "239.77.0.1"
#define FRAME_NS (40 * G_GINT64_CONSTANT (1000000))
#define MS G_GINT64_CONSTANT (1000000)
#define MAX_PACKETS (400 * 1000)
#define N_BINS 60               /* log bins from 100 ns to 1 s */

typedef struct
{
  const gchar *stream;          /* "raw" or "ts" */
  const gchar *sink;            /* label */
  gboolean rt;                  /* the sink's thread at SCHED_FIFO 10 */
  /* receiver */
  gint64 *t;
  guint32 *rtp_ts;
  guint16 *seq;
  guint16 *size;
  guint n;
  /* sender thread CPU, from the sink pad probe */
  gint64 cpu_first, cpu_last;
  guint64 pushed;
  gchar *sink_stats;
  /* results */
  guint burst, p99_ms;
  gdouble ideal, pkt_rate, spread_median, spread_min, rate_ratio, cpu_us;
  guint64 lost, frames;
  guint64 hist[N_BINS];
} Run;

static gint n_frames = 100;
static gboolean stop_receiver;

static void
run_cmd (const gchar * cmd)
{
  gint status = system (cmd);

  if (status != 0) {
    g_printerr ("bench-pacing: '%s' failed (%d)\n", cmd, status);
    exit (1);
  }
}

/* a private namespace: lo, and the veth pair the datagrams cross */
static void
enter_netns (void)
{
  if (unshare (CLONE_NEWNET) != 0) {
    g_printerr ("bench-pacing: unshare(CLONE_NEWNET): %s (needs root)\n",
        g_strerror (errno));
    exit (1);
  }
  run_cmd ("ip link set lo up");
  run_cmd ("ip link add bp0 type veth peer name bp1");
  run_cmd ("ip addr add 10.77.0.1/24 dev bp0");
  run_cmd ("ip addr add 10.77.0.2/24 dev bp1");
  run_cmd ("ip link set bp0 up multicast on");
  run_cmd ("ip link set bp1 up multicast on");
  run_cmd ("ip route add 224.0.0.0/4 dev bp0");
  /* the source is a local address arriving on bp1: not a martian here */
  run_cmd ("sysctl -qw net.ipv4.conf.all.rp_filter=0 "
      "net.ipv4.conf.bp1.rp_filter=0 net.ipv4.conf.all.accept_local=1 "
      "net.ipv4.conf.bp1.accept_local=1");
}

/* ---- receiver ---- */

typedef struct
{
  Run *run;
  MctxSubscription *sub;
} Receiver;

static gpointer
receiver_thread (gpointer data)
{
  Receiver *r = data;
  Run *run = r->run;
  static guint8 bufs[64][2048];
  MctxMessage msgs[64];
  guint i;

  for (i = 0; i < 64; i++) {
    msgs[i].buffer = bufs[i];
    msgs[i].buffer_size = sizeof bufs[i];
  }
  while (!g_atomic_int_get (&stop_receiver) && run->n < MAX_PACKETS) {
    GError *err = NULL;
    gint got;

    if (!mctx_subscription_wait_readable (r->sub, 50 * 1000, NULL, NULL))
      continue;
    got = mctx_subscription_receive_messages (r->sub, msgs,
        MIN (64, MAX_PACKETS - run->n), &err);
    if (got < 0) {
      g_clear_error (&err);
      continue;
    }
    for (i = 0; i < (guint) got; i++) {
      const guint8 *b = msgs[i].buffer;
      guint k = run->n++;

      run->t[k] = msgs[i].info.timestamp_ns;
      run->size[k] = msgs[i].info.size;
      run->seq[k] = b[2] << 8 | b[3];
      run->rtp_ts[k] = (guint32) b[4] << 24 | b[5] << 16 | b[6] << 8 | b[7];
    }
  }
  return NULL;
}

/* ---- the sender's CPU ---- */

static GstPadProbeReturn
cpu_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Run *run = data;
  gint64 cpu = bench_clock_ns (CLOCK_THREAD_CPUTIME_ID);

  if (run->cpu_first == 0) {
    run->cpu_first = cpu;
    if (run->rt) {
      /* what docs/guide.md 11 advises on a busy host: the sending thread
       * (the sink's, after the queue) at a real-time priority */
      struct sched_param sp = { 0 };

      sp.sched_priority = 10;
      if (pthread_setschedparam (pthread_self (), SCHED_FIFO, &sp) != 0)
        g_printerr ("bench-pacing: SCHED_FIFO refused\n");
    }
  }
  run->cpu_last = cpu;
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    run->pushed += gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST
        (info));
  else
    run->pushed++;
  return GST_PAD_PROBE_OK;
}

/* ---- analysis ---- */

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static guint
bin_of (gint64 gap)
{
  gdouble l;

  if (gap < 100)
    return 0;
  /* 8 bins per decade from 100 ns */
  l = log10 ((gdouble) gap / 100.0) * 8.0;
  return MIN ((guint) l, N_BINS - 1);
}

static void
analyse (Run * run)
{
  GArray *spreads = g_array_new (FALSE, FALSE, sizeof (gdouble));
  guint i, j, first = 0, frame = 0, start_i = 0, end_i = 0;
  guint64 bits = 0;
  gint64 t0 = 0, t1 = 0;
  guint32 ts0 = 0, ts1 = 0;
  guint skip = 5;

  /* frames: runs of one RTP timestamp; skip the first five (start-up:
   * the pacing sink's latency is redistributed after the second frame,
   * which shifts the schedule once) and the last (maybe cut) */
  for (i = 1; i <= run->n; i++) {
    if (i < run->n && run->rtp_ts[i] == run->rtp_ts[first])
      continue;
    if (frame >= skip && i < run->n) {
      gdouble s = (gdouble) (run->t[i - 1] - run->t[first]) / FRAME_NS;

      g_array_append_val (spreads, s);
      if (start_i == 0) {
        start_i = first;
        t0 = run->t[first];
        ts0 = run->rtp_ts[first];
      }
      end_i = i;
      t1 = run->t[i];           /* the next frame's first datagram */
      ts1 = run->rtp_ts[i];
    }
    frame++;
    first = i;
  }
  run->frames = spreads->len;
  if (spreads->len > 0) {
    g_array_sort (spreads, cmp_double);
    run->spread_median = g_array_index (spreads, gdouble, spreads->len / 2);
    run->spread_min = g_array_index (spreads, gdouble, 0);
  }
  g_array_free (spreads, TRUE);

  /* the mean rate over whole frames against the RTP clock's time */
  for (i = start_i; i < end_i; i++)
    bits += (guint64) (run->size[i] + 28) * 8;
  if (end_i > start_i && t1 > t0 && ts1 != ts0) {
    gdouble wire = bits * 1e9 / (t1 - t0);
    gdouble stream = bits / ((guint32) (ts1 - ts0) / 90000.0);

    run->rate_ratio = wire / stream;
    run->pkt_rate = (end_i - start_i) * 1e9 / (t1 - t0);
    run->ideal = run->pkt_rate / 1000.0;
  }

  /* the largest 1 ms window, over the same frames */
  for (i = start_i, j = start_i; i < end_i; i++) {
    while (run->t[i] - run->t[j] >= MS)
      j++;
    run->burst = MAX (run->burst, i - j + 1);
  }
  /* the 99th percentile of the datagrams per (fixed) millisecond */
  if (end_i > start_i) {
    guint n_ms = (run->t[end_i - 1] - t0) / MS + 1, *per_ms = g_new0 (guint,
        n_ms);

    for (i = start_i; i < end_i; i++)
      per_ms[(run->t[i] - t0) / MS]++;
    {
      GArray *sorted = g_array_new (FALSE, FALSE, sizeof (gdouble));

      for (i = 0; i < n_ms; i++) {
        gdouble v = per_ms[i];

        g_array_append_val (sorted, v);
      }
      g_array_sort (sorted, cmp_double);
      run->p99_ms = g_array_index (sorted, gdouble, (n_ms * 99) / 100);
      g_array_free (sorted, TRUE);
    }
    g_free (per_ms);
  }
  for (i = start_i + 1; i < end_i; i++)
    run->hist[bin_of (run->t[i] - run->t[i - 1])]++;

  if (g_getenv ("BENCH_PACING_DUMP") != NULL) {
    gchar *name = g_strdup_printf ("%s/%s-%s.txt",
        g_getenv ("BENCH_PACING_DUMP"), run->stream, run->sink);
    FILE *f = fopen (name, "w");

    for (i = 0; f != NULL && i < run->n; i++)
      fprintf (f, "%" G_GINT64_FORMAT " %u %u\n", run->t[i], run->rtp_ts[i],
          run->seq[i]);
    if (f != NULL)
      fclose (f);
    g_free (name);
  }
  for (i = 1; i < run->n; i++)
    run->lost += (guint16) (run->seq[i] - run->seq[i - 1] - 1);
  if (run->pushed > 0 && run->cpu_last > run->cpu_first)
    run->cpu_us = (run->cpu_last - run->cpu_first) / 1e3 / run->pushed;
}

/* ---- one run ---- */

static const gchar *
stream_desc (const gchar * stream)
{
  if (g_str_equal (stream, "raw"))
    /* 1600x900 UYVY at 25 fps: about 2090 datagrams a frame, 52k/s */
    return "pattern=black ! "
        "video/x-raw,format=UYVY,width=1600,height=900,framerate=25/1 ! "
        "rtpvrawpay mtu=1400";
  /* H.264 at 20 Mbit/s in MPEG-TS over RTP (7 TS packets a datagram) */
  return "! video/x-raw,width=1280,height=720,framerate=25/1 ! "
      "x264enc bitrate=20000 tune=zerolatency speed-preset=ultrafast "
      "key-int-max=25 ! mpegtsmux ! rtpmp2tpay";
}

static void
run_one (Run * run, const gchar * sink_desc, guint port)
{
  gchar *src = g_strdup_printf ("videotestsrc is-live=true num-buffers=%d %s",
      n_frames, stream_desc (run->stream));
  gchar *desc = g_strdup_printf ("%s ! queue max-size-buffers=0 "
      "max-size-bytes=0 max-size-time=2000000000 ! %s name=sink port=%u",
      src, sink_desc, port);
  const gchar *ifs[] = { "bp1", NULL };
  GError *err = NULL;
  GstElement *pipe, *sink;
  GstPad *pad;
  Receiver r = { run, NULL };
  GThread *thread;
  GstBus *bus;
  GstMessage *msg;
  gint64 deadline;

  run->t = g_new (gint64, MAX_PACKETS);
  run->rtp_ts = g_new (guint32, MAX_PACKETS);
  run->seq = g_new (guint16, MAX_PACKETS);
  run->size = g_new (guint16, MAX_PACKETS);

  r.sub = g_object_new (MCTX_TYPE_SUBSCRIPTION, "group", GROUP, "port", port,
      "interfaces", ifs, "receive-buffer-size", 64 * 1024 * 1024,
      "timestamps", TRUE, NULL);
  if (!mctx_subscription_open (r.sub, &err)) {
    g_printerr ("bench-pacing: receiver: %s\n", err->message);
    exit (1);
  }
  g_atomic_int_set (&stop_receiver, 0);
  thread = g_thread_new ("receiver", receiver_thread, &r);

  pipe = gst_parse_launch (desc, &err);
  if (pipe == NULL) {
    g_printerr ("bench-pacing: %s: %s\n", desc, err->message);
    exit (1);
  }
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, cpu_probe, run, NULL);
  gst_object_unref (pad);

  g_printerr ("bench-pacing: %s, %s: %d frames\n", run->stream, run->sink,
      n_frames);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipe);
  /* bounded: the frames' time and a generous margin */
  deadline = g_get_monotonic_time () + (n_frames / 25 + 20) * G_USEC_PER_SEC;
  for (;;) {
    gint64 left = deadline - g_get_monotonic_time ();

    msg = left <= 0 ? NULL : gst_bus_timed_pop_filtered (bus,
        left * GST_USECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR |
        GST_MESSAGE_LATENCY);
    if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_LATENCY)
      break;
    /* as gst-launch-1.0 does: the pacing sink reports a frame of latency
     * once it knows the frame time */
    gst_message_unref (msg);
    gst_bin_recalculate_latency (GST_BIN (pipe));
  }
  if (msg == NULL || GST_MESSAGE_TYPE (msg) != GST_MESSAGE_EOS) {
    g_printerr ("bench-pacing: %s: %s\n", desc, msg ? "error" : "timeout");
    if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &err, NULL);
      g_printerr ("  %s\n", err->message);
    }
    exit (1);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
  /* the last datagrams are in the socket by now; let the thread read them */
  g_usleep (200 * 1000);
  g_atomic_int_set (&stop_receiver, 1);
  g_thread_join (thread);

  if (g_str_has_prefix (sink_desc, "mctxsink")) {
    GstStructure *s;

    g_object_get (sink, "stats", &s, NULL);
    run->sink_stats = g_strdup_printf ("%s, late %" G_GUINT64_FORMAT ", "
        "largest 1 ms burst %" G_GUINT64_FORMAT ", %.2f Mbit/s",
        gst_structure_get_string (s, "pacing-mechanism"),
        g_value_get_uint64 (gst_structure_get_value (s, "late-packets")),
        g_value_get_uint64 (gst_structure_get_value (s, "max-burst-1ms")),
        g_value_get_uint64 (gst_structure_get_value (s,
                "achieved-rate")) / 1e6);
    gst_structure_free (s);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_object_unref (r.sub);
  g_free (desc);
  g_free (src);

  analyse (run);
  g_printerr ("  %u datagrams (%" G_GUINT64_FORMAT " lost), %.0f/s; largest "
      "1 ms burst %u (ideal %.1f, p99 of 1 ms bins %u); frame spread median %.0f %%, min %.0f %%; "
      "rate %.4f of the stream's; %.2f us CPU/datagram%s%s\n", run->n,
      run->lost, run->pkt_rate, run->burst, run->ideal, run->p99_ms,
      run->spread_median * 100, run->spread_min * 100, run->rate_ratio,
      run->cpu_us, run->sink_stats ? "; sink: " : "",
      run->sink_stats ? run->sink_stats : "");
}

/* ---- report ---- */

static void
write_report (Run * runs, guint n_runs, const gchar * md, const gchar * csv)
{
  GString *out = g_string_new (NULL);
  FILE *f;
  guint i, b;

  g_string_append_printf (out, "| stream | sink | datagrams/s | lost | "
      "largest 1 ms burst | ideal | burst / ideal | 1 ms bins, p99 | "
      "frame spread, median | "
      "frame spread, min | mean rate / stream's | sink thread CPU µs/datagram"
      " | sink's stats |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
      "---:|---:|---|\n");
  for (i = 0; i < n_runs; i++) {
    Run *r = &runs[i];

    g_string_append_printf (out, "| %s | %s | %.0f | %" G_GUINT64_FORMAT
        " | %u | %.1f | %.2f× | %u | %.0f %% | %.0f %% | %.4f | %.2f | %s |\n",
        g_str_equal (r->stream, "raw") ? "RTP raw video" : "H.264 MPEG-TS",
        r->sink, r->pkt_rate, r->lost, r->burst, r->ideal,
        r->ideal > 0 ? r->burst / r->ideal : 0, r->p99_ms,
        r->spread_median * 100,
        r->spread_min * 100, r->rate_ratio, r->cpu_us,
        r->sink_stats ? r->sink_stats : "—");
  }
  if (md != NULL) {
    if (!g_file_set_contents (md, out->str, -1, NULL))
      g_printerr ("bench-pacing: cannot write %s\n", md);
  }
  g_print ("%s", out->str);
  g_string_free (out, TRUE);

  if (csv == NULL || (f = fopen (csv, "w")) == NULL)
    return;
  fprintf (f, "stream,sink,bin_low_ns,count\n");
  for (i = 0; i < n_runs; i++)
    for (b = 0; b < N_BINS; b++)
      fprintf (f, "%s,%s,%.0f,%" G_GUINT64_FORMAT "\n", runs[i].stream,
          runs[i].sink, 100.0 * pow (10.0, b / 8.0), runs[i].hist[b]);
  fclose (f);
}

int
main (int argc, char **argv)
{
  gchar *md = NULL, *csv = NULL;
  gboolean no_ts = FALSE;
  GOptionEntry entries[] = {
    {"frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "frames per run (100)",
        "N"},
    {"output", 0, 0, G_OPTION_ARG_FILENAME, &md, "Markdown table", "FILE"},
    {"csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, "inter-arrival histograms",
        "FILE"},
    {"no-ts", 0, 0, G_OPTION_ARG_NONE, &no_ts, "raw video only", NULL},
    {NULL}
  };
  static const struct
  {
    const gchar *label, *desc;
    gboolean rt;
    const gchar *only;          /* only for this stream */
  } sinks[] = {
    {"udpsink", "udpsink host=" GROUP " multicast-iface=bp0 "
          "auto-multicast=false loop=false"},
    {"mctxsink pacing=none", "mctxsink address=" GROUP " interface=bp0 "
          "loop=false pacing=none"},
    {"mctxsink pacing=timestamps", "mctxsink address=" GROUP
          " interface=bp0 loop=false pacing=timestamps"},
    {"mctxsink pacing=timestamps (sink thread SCHED_FIFO)", "mctxsink address="
          GROUP " interface=bp0 loop=false pacing=timestamps", TRUE},
    /* a compressed stream: a rate 10 % above its ~20 Mbit/s (headers
     * counted) */
    {"mctxsink pacing=rate pacing-rate=22000000 pacing-burst=4",
        "mctxsink address=" GROUP " interface=bp0 loop=false pacing=rate "
          "pacing-rate=22000000 pacing-burst=4", FALSE, "ts"},
  };
  const gchar *streams[] = { "raw", "ts" };
  GError *err = NULL;
  Run runs[10];
  guint s, k, n_runs = 0;

  if (!mctx_tool_parse_options (&argc, &argv, "- paced sending benchmark",
          NULL, entries, NULL, &err)) {
    g_printerr ("bench-pacing: %s\n", err->message);
    return 2;
  }
  if (n_frames < 10 || n_frames > 1000) {
    g_printerr ("bench-pacing: --frames %d is out of range (10..1000)\n",
        n_frames);
    return 2;
  }

  /* before any thread exists */
  enter_netns ();
  gst_init (&argc, &argv);

  memset (runs, 0, sizeof runs);
  for (s = 0; s < G_N_ELEMENTS (streams); s++) {
    if (no_ts && s > 0)
      break;
    for (k = 0; k < G_N_ELEMENTS (sinks); k++) {
      Run *r;

      if (sinks[k].only != NULL && !g_str_equal (sinks[k].only, streams[s]))
        continue;
      r = &runs[n_runs++];

      r->stream = streams[s];
      r->sink = sinks[k].label;
      r->rt = sinks[k].rt;
      run_one (r, sinks[k].desc, 5004 + n_runs);
    }
  }
  write_report (runs, n_runs, md, csv);
  return 0;
}
