/* mctx-soak: a sender and a receiver through the mctx elements for a set
 * time at a steady rate, sampled every few seconds: sent, received, lost
 * (sequence numbers in the payload), kernel drops, resident memory and open
 * file descriptors.  Ends with a verdict: nothing lost, memory flat.
 *
 * It sends to the network it is given: run it through tools/soak.sh, which
 * makes a private network namespace with a veth pair first.
 *
 *   sender:   appsrc (timestamped buffers) ! mctxsink sync=true
 *             (the pipeline clock paces the rate)
 *   receiver: mctxsrc ! fakesink, a pad probe counts sequence numbers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>

#include "mctx-test-util.h"
#include "mctx-tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gint opt_seconds = 600;
static gint opt_rate = 2000;
static gint opt_size = 1316;
static gint opt_interval = 10;
static gint opt_warmup = -1;
static gdouble opt_max_growth = 10.0;
static gint opt_rx_buffer = 0;
static gchar *opt_group = NULL;
static gint opt_port = 5004;
static gchar *opt_tx_iface = NULL;
static gchar *opt_rx_iface = NULL;

static GOptionEntry entries[] = {
  {"seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds,
      "How long to send (default 600)", "N"},
  {"rate", 0, 0, G_OPTION_ARG_INT, &opt_rate,
      "Datagrams per second (default 2000)", "PPS"},
  {"size", 0, 0, G_OPTION_ARG_INT, &opt_size,
      "Datagram payload in bytes, at least 8 (default 1316)", "BYTES"},
  {"interval", 0, 0, G_OPTION_ARG_INT, &opt_interval,
      "Seconds between samples (default 10)", "S"},
  {"warmup", 0, 0, G_OPTION_ARG_INT, &opt_warmup,
      "Seconds before the memory baseline is taken (default: a fifth of "
        "the run, at most 60, at least one interval)", "S"},
  {"max-rss-growth", 0, 0, G_OPTION_ARG_DOUBLE, &opt_max_growth,
      "Allowed RSS growth after warm-up, percent (default 10)", "PCT"},
  {"rx-buffer-size", 0, 0, G_OPTION_ARG_INT, &opt_rx_buffer,
      "mctxsrc buffer-size (default 0: the system's)", "BYTES"},
  {"group", 0, 0, G_OPTION_ARG_STRING, &opt_group,
      "Multicast group (default 239.77.0.1)", "ADDR"},
  {"port", 0, 0, G_OPTION_ARG_INT, &opt_port, "UDP port (default 5004)",
      "PORT"},
  {"tx-interface", 0, 0, G_OPTION_ARG_STRING, &opt_tx_iface,
      "Sender's interface (required)", "IF"},
  {"rx-interface", 0, 0, G_OPTION_ARG_STRING, &opt_rx_iface,
      "Receiver's interface (required)", "IF"},
  {NULL}
};

/* ---- receiver accounting (streaming thread writes, sampler reads) ---- */

typedef struct
{
  guint64 received;
  guint64 next_seq;             /* one past the highest seen */
  guint64 gaps;                 /* sequence numbers skipped when seen */
  guint64 late;                 /* below next_seq: reordered or duplicated */
  guint64 bad;                  /* too short to hold a sequence number */
} RxCount;

static RxCount rx;

#define LOAD(x) __atomic_load_n (&(x), __ATOMIC_RELAXED)
#define STORE(x, v) __atomic_store_n (&(x), (v), __ATOMIC_RELAXED)

static void
count_buffer (GstBuffer * buf)
{
  guint64 seq, next;

  if (gst_buffer_extract (buf, 0, &seq, sizeof seq) != sizeof seq) {
    STORE (rx.bad, LOAD (rx.bad) + 1);
    return;
  }
  seq = GUINT64_FROM_BE (seq);
  next = LOAD (rx.next_seq);
  if (seq >= next) {
    STORE (rx.gaps, LOAD (rx.gaps) + (seq - next));
    STORE (rx.next_seq, seq + 1);
  } else {
    STORE (rx.late, LOAD (rx.late) + 1);
  }
  STORE (rx.received, LOAD (rx.received) + 1);
}

static gboolean
count_list_item (GstBuffer ** buf, guint idx, gpointer data)
{
  count_buffer (*buf);
  return TRUE;
}

static GstPadProbeReturn
rx_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    count_buffer (GST_PAD_PROBE_INFO_BUFFER (info));
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        count_list_item, NULL);
  return GST_PAD_PROBE_OK;
}

static guint64
stat_u64 (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  if (s) {
    gst_structure_get_uint64 (s, field, &v);
    gst_structure_free (s);
  }
  return v;
}

/* ---- the run ---- */

typedef struct
{
  GMainLoop *loop;
  GstElement *tx, *rx, *appsrc, *sink, *src;
  guint64 total;                /* datagrams to send */
  gint64 start_us;
  gint64 warmup_us;
  gint64 rss_base, rss_max_after, rss_first;
  gboolean tx_eos;
  gboolean failed;
  gint64 drain_deadline_us;
  guint64 kernel_drops_last;
} Soak;

static void
print_header (void)
{
  g_print ("%8s %11s %11s %11s %8s %8s %8s %9s %5s\n", "time_s", "sent",
      "received", "expected", "lost", "late", "k_drops", "rss_kib", "fds");
}

static void
print_row (Soak * s, const gchar * mark)
{
  gdouble t = (g_get_monotonic_time () - s->start_us) / 1e6;
  guint64 sent = stat_u64 (s->sink, "packets-sent");
  guint64 received = LOAD (rx.received);
  guint64 expected = LOAD (rx.next_seq);
  guint64 drops = stat_u64 (s->src, "kernel-drops");
  gint64 rss = mctx_test_rss_kib ();

  s->kernel_drops_last = drops;
  g_print ("%8.1f %11" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT " %11"
      G_GUINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GUINT64_FORMAT " %8"
      G_GUINT64_FORMAT " %9" G_GINT64_FORMAT " %5d%s\n", t, sent, received,
      expected, (gint64) (expected - MIN (expected, received)),
      LOAD (rx.late), drops, rss, mctx_test_count_fds (), mark);

  if (s->rss_first < 0)
    s->rss_first = rss;
  if (g_get_monotonic_time () - s->start_us >= s->warmup_us) {
    if (s->rss_base < 0)
      s->rss_base = rss;
    s->rss_max_after = MAX (s->rss_max_after, rss);
  }
}

static gboolean
on_sample (gpointer data)
{
  Soak *s = data;

  print_row (s, "");
  return G_SOURCE_CONTINUE;
}

/* after the sender's EOS: bounded wait for the last datagrams */
static gboolean
on_drain (gpointer data)
{
  Soak *s = data;
  guint64 sent = stat_u64 (s->sink, "packets-sent");

  if (LOAD (rx.received) >= sent
      || g_get_monotonic_time () > s->drain_deadline_us) {
    g_main_loop_quit (s->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_bus (GstBus * bus, GstMessage * msg, gpointer data)
{
  Soak *s = data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      g_printerr ("ERROR from %s: %s\n%s\n", GST_MESSAGE_SRC_NAME (msg),
          err->message, dbg ? dbg : "");
      g_clear_error (&err);
      g_free (dbg);
      s->failed = TRUE;
      g_main_loop_quit (s->loop);
      break;
    }
    case GST_MESSAGE_WARNING:{
      GError *err = NULL;

      gst_message_parse_warning (msg, &err, NULL);
      g_printerr ("WARNING from %s: %s\n", GST_MESSAGE_SRC_NAME (msg),
          err->message);
      g_clear_error (&err);
      break;
    }
    case GST_MESSAGE_EOS:
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (s->tx) && !s->tx_eos) {
        s->tx_eos = TRUE;
        s->drain_deadline_us = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
        g_timeout_add (10, on_drain, s);
      }
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* pushes timestamped buffers; appsrc blocks when 100 ms are queued, and
 * mctxsink (sync=true) sends each at its time */
static gpointer
feed (gpointer data)
{
  Soak *s = data;
  guint64 i;

  for (i = 0; i < s->total; i++) {
    GstBuffer *buf = gst_buffer_new_allocate (NULL, opt_size, NULL);
    guint64 seq = GUINT64_TO_BE (i);
    GstMapInfo map;

    gst_buffer_map (buf, &map, GST_MAP_WRITE);
    memset (map.data, (guint8) i, map.size);
    memcpy (map.data, &seq, sizeof seq);
    gst_buffer_unmap (buf, &map);
    GST_BUFFER_PTS (buf) = gst_util_uint64_scale (i, GST_SECOND, opt_rate);
    GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (1, GST_SECOND, opt_rate);
    if (gst_app_src_push_buffer (GST_APP_SRC (s->appsrc), buf) != GST_FLOW_OK)
      break;                    /* stopped */
  }
  gst_app_src_end_of_stream (GST_APP_SRC (s->appsrc));
  return NULL;
}

int
main (int argc, char **argv)
{
  GError *err = NULL;
  Soak s = { 0, };
  gchar *desc;
  GstPad *pad;
  GstBus *bus;
  GThread *feeder;
  guint64 sent, received, expected, drops, would_block, send_errors;
  gdouble growth;
  gboolean ok_loss, ok_mem;

  if (!mctx_tool_parse_options (&argc, &argv, "- mctx soak test", NULL,
          entries, gst_init_get_option_group (), &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  if (opt_tx_iface == NULL || opt_rx_iface == NULL || opt_seconds <= 0
      || opt_rate <= 0 || opt_size < 8 || opt_size > 65000
      || opt_interval <= 0) {
    g_printerr ("need --tx-interface and --rx-interface, positive --seconds, "
        "--rate and --interval, and 8 <= --size <= 65000\n");
    return 2;
  }
  if (opt_group == NULL)
    opt_group = g_strdup ("239.77.0.1");
  if (opt_warmup < 0)
    opt_warmup = CLAMP (opt_seconds / 5, opt_interval, 60);

  s.loop = g_main_loop_new (NULL, FALSE);
  s.total = (guint64) opt_seconds * opt_rate;
  s.warmup_us = (gint64) opt_warmup * G_USEC_PER_SEC;
  s.rss_base = s.rss_first = -1;

  desc = g_strdup_printf ("mctxsrc name=src address=%s port=%d "
      "interface=%s buffer-size=%d mtu=%d ! fakesink sync=false async=false",
      opt_group, opt_port, opt_rx_iface, opt_rx_buffer, MAX (opt_size, 1500));
  s.rx = gst_parse_launch (desc, &err);
  g_free (desc);
  if (s.rx == NULL) {
    g_printerr ("receiver: %s\n", err->message);
    return 2;
  }
  /* queue at most 100 ms ahead of the clock */
  desc = g_strdup_printf ("appsrc name=in format=time block=true "
      "max-buffers=%d max-bytes=0 max-time=0 ! mctxsink name=sink "
      "address=%s port=%d interface=%s loop=false sync=true",
      MAX (opt_rate / 10, 2), opt_group, opt_port, opt_tx_iface);
  s.tx = gst_parse_launch (desc, &err);
  g_free (desc);
  if (s.tx == NULL) {
    g_printerr ("sender: %s\n", err->message);
    return 2;
  }
  s.appsrc = gst_bin_get_by_name (GST_BIN (s.tx), "in");
  s.sink = gst_bin_get_by_name (GST_BIN (s.tx), "sink");
  s.src = gst_bin_get_by_name (GST_BIN (s.rx), "src");
  pad = gst_element_get_static_pad (s.src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, rx_probe, NULL, NULL);
  gst_object_unref (pad);

  bus = gst_element_get_bus (s.rx);
  gst_bus_add_watch (bus, on_bus, &s);
  gst_object_unref (bus);
  bus = gst_element_get_bus (s.tx);
  gst_bus_add_watch (bus, on_bus, &s);
  gst_object_unref (bus);

  /* receiver first: it has joined once set_state returns */
  if (gst_element_set_state (s.rx, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE
      || gst_element_set_state (s.tx, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("could not start (see the error above)\n");
    s.failed = TRUE;
  }

  g_print ("# mctx soak: %d s at %d datagrams/s of %d bytes, %s:%d, "
      "%s -> %s; sample every %d s, memory baseline after %d s\n",
      opt_seconds, opt_rate, opt_size, opt_group, opt_port, opt_tx_iface,
      opt_rx_iface, opt_interval, opt_warmup);
  print_header ();
  s.start_us = g_get_monotonic_time ();
  feeder = g_thread_new ("feeder", feed, &s);
  g_timeout_add ((guint) opt_interval * 1000, on_sample, &s);
  if (!s.failed)
    g_main_loop_run (s.loop);

  print_row (&s, "  (end)");

  gst_element_set_state (s.tx, GST_STATE_NULL);
  g_thread_join (feeder);
  gst_element_set_state (s.rx, GST_STATE_NULL);

  sent = stat_u64 (s.sink, "packets-sent");
  would_block = stat_u64 (s.sink, "would-block");
  send_errors = stat_u64 (s.sink, "send-errors");
  drops = stat_u64 (s.src, "kernel-drops");
  received = LOAD (rx.received);
  expected = LOAD (rx.next_seq);

  g_print ("\n# sender: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
      " datagrams handed to the kernel (would-block %" G_GUINT64_FORMAT
      ", send-errors %" G_GUINT64_FORMAT ")\n", sent, s.total, would_block,
      send_errors);
  g_print ("# receiver: %" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT
      " lost, %" G_GUINT64_FORMAT " late, %" G_GUINT64_FORMAT
      " malformed, %" G_GUINT64_FORMAT " kernel drops\n", received,
      sent - MIN (sent, received), LOAD (rx.late), LOAD (rx.bad), drops);
  ok_loss = !s.failed && sent == s.total && received == sent
      && expected == sent && drops == 0 && send_errors == 0
      && LOAD (rx.bad) == 0;

  growth = s.rss_base > 0 ?
      100.0 * (s.rss_max_after - s.rss_base) / s.rss_base : 0.0;
  ok_mem = s.rss_base > 0 && growth <= opt_max_growth;
  if (s.rss_base > 0)
    g_print ("# memory: RSS %" G_GINT64_FORMAT " KiB at the first sample, %"
        G_GINT64_FORMAT " KiB after warm-up, at most %" G_GINT64_FORMAT
        " KiB later: %+.1f%% (allowed %.1f%%)\n", s.rss_first, s.rss_base,
        s.rss_max_after, growth, opt_max_growth);
  else
    g_print ("# memory: the run ended before the warm-up did; no verdict\n");

  g_print ("VERDICT: %s (loss: %s, memory: %s)\n",
      ok_loss && ok_mem ? "PASS" : "FAIL", ok_loss ? "none" : "SEEN",
      ok_mem ? "flat" : "GREW or unknown");

  gst_object_unref (s.appsrc);
  gst_object_unref (s.sink);
  gst_object_unref (s.src);
  gst_object_unref (s.tx);
  gst_object_unref (s.rx);
  g_main_loop_unref (s.loop);
  return ok_loss && ok_mem ? 0 : 1;
}
