/* Many NULL -> PLAYING -> NULL cycles of a sender and a receiver with
 * traffic flowing: the number of open file descriptors and the resident
 * memory stay flat.
 *
 * MCTX_STRESS_CYCLES sets the count (default 2,000, which takes about 2 s;
 * 3.5 s with the sanitizers).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"
#include "mctx-test-util.h"

#include <string.h>

#define DEFAULT_CYCLES 2000
#define GROUP "239.9.0.1"
#define PORT 5600
/* buffers the sender pushes per cycle and must all arrive */
#define PER_CYCLE 10
/* buffers pushed right before the sender is stopped: some are in flight
 * when the socket closes */
#define IN_FLIGHT 10
/* RSS may grow this much after warm-up: pools and caches settle in the
 * first cycles; a leak of even 100 bytes per cycle would show at 2,000 */
#define RSS_SLACK_KIB 1024

/* background traffic from another socket to the same group, so that the
 * receiver is stopped and started while datagrams keep arriving */
typedef struct
{
  MctxPublication *pub;
  gint stop;
  guint64 sent;
  GThread *thread;
} Feeder;

static gpointer
feeder_run (gpointer data)
{
  Feeder *f = data;
  static const guint8 payload[] = "bg";

  while (!g_atomic_int_get (&f->stop)) {
    guint i;

    /* ~8 datagrams per ms: enough to always have some arriving, little
     * enough to leave the CPU to the cycles */
    for (i = 0; i < 8; i++) {
      if (mctx_publication_send (f->pub, payload, 2, NULL) == 2)
        f->sent++;
    }
    g_usleep (1000);
  }
  return NULL;
}

typedef struct
{
  gint tx_received;             /* "tx-" datagrams of the current cycle */
  gint bg_received;
  gint cycle;                   /* cycle whose datagrams are counted */
} RxCounts;

static void
count_buffer (RxCounts * c, GstBuffer * buf)
{
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return;
  if (map.size > 3 && memcmp (map.data, "tx-", 3) == 0) {
    gchar text[32];
    gsize n = MIN (map.size, sizeof text - 1);

    memcpy (text, map.data, n);
    text[n] = '\0';
    /* "tx-CYCLE-INDEX" */
    if (atoi (text + 3) == g_atomic_int_get (&c->cycle))
      g_atomic_int_inc (&c->tx_received);
  } else if (map.size == 2 && memcmp (map.data, "bg", 2) == 0) {
    g_atomic_int_inc (&c->bg_received);
  }
  gst_buffer_unmap (buf, &map);
}

static gboolean
count_list_item (GstBuffer ** buf, guint idx, gpointer data)
{
  count_buffer (data, *buf);
  return TRUE;
}

static GstPadProbeReturn
rx_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    count_buffer (data, GST_PAD_PROBE_INFO_BUFFER (info));
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        count_list_item, data);
  return GST_PAD_PROBE_OK;
}

/* pops everything from the bus (an unread bus grows by a few messages per
 * state change, which would look like a leak) and fails on errors */
static void
drain_bus (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  while ((msg = gst_bus_pop (bus)) != NULL) {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      fail ("error from %s: %s", GST_MESSAGE_SRC_NAME (msg), err->message);
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

static void
push_text (GstElement * appsrc, const gchar * text)
{
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc),
          mctx_buffer_new_string (text)), GST_FLOW_OK);
}

GST_START_TEST (test_cycles_flat)
{
  guint cycles = mctx_test_env_uint ("MCTX_STRESS_CYCLES", DEFAULT_CYCLES);
  guint warmup = MAX (10, cycles / 10);
  GstElement *rx, *tx, *appsrc, *src;
  GstPad *pad;
  RxCounts counts = { 0, };
  Feeder feeder = { 0, };
  gint fds = -1;
  gint64 rss_base = -1, rss, rss_max = 0, start, elapsed;
  guint i, j;

  feeder.pub = mctx_raw_publication (GROUP, PORT, NULL, "lo");
  feeder.thread = g_thread_new ("feeder", feeder_run, &feeder);

  rx = gst_parse_launch ("mctxsrc name=src address=" GROUP " port=5600 "
      "interface=lo ! fakesink sync=false async=false", NULL);
  tx = gst_parse_launch ("appsrc name=in format=time ! mctxsink "
      "address=" GROUP " port=5600 interface=lo sync=false async=false", NULL);
  fail_unless (rx != NULL && tx != NULL);
  appsrc = gst_bin_get_by_name (GST_BIN (tx), "in");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, rx_probe, &counts, NULL);
  gst_object_unref (pad);

  start = g_get_monotonic_time ();
  for (i = 0; i < cycles; i++) {
    gint64 deadline;

    g_atomic_int_set (&counts.cycle, i);
    g_atomic_int_set (&counts.tx_received, 0);

    /* the receiver joins in READY -> PAUSED, inside set_state */
    mctx_set_state (rx, GST_STATE_PLAYING);
    mctx_set_state (tx, GST_STATE_PLAYING);
    for (j = 0; j < PER_CYCLE; j++) {
      gchar *text = g_strdup_printf ("tx-%u-%u", i, j);

      push_text (appsrc, text);
      g_free (text);
    }
    deadline = g_get_monotonic_time () + MCTX_CHECK_TIMEOUT / GST_USECOND;
    while (g_atomic_int_get (&counts.tx_received) < PER_CYCLE
        && g_get_monotonic_time () < deadline)
      g_usleep (200);
    fail_unless_equals_int (g_atomic_int_get (&counts.tx_received), PER_CYCLE);

    /* stop with datagrams still queued in appsrc / in the socket */
    for (j = 0; j < IN_FLIGHT; j++)
      push_text (appsrc, "in-flight");
    fail_unless_equals_int (gst_element_set_state (tx, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (rx, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    drain_bus (tx);
    drain_bus (rx);

    /* the first cycle may allocate fds kept for good (bus, clock) */
    if (i == 0)
      fds = mctx_test_count_fds ();
    else
      fail_unless_equals_int (mctx_test_count_fds (), fds);

    rss = mctx_test_rss_kib ();
    if (i + 1 == warmup)
      rss_base = rss;
    if (i + 1 >= warmup)
      rss_max = MAX (rss_max, rss);
  }
  elapsed = g_get_monotonic_time () - start;

  g_atomic_int_set (&feeder.stop, 1);
  g_thread_join (feeder.thread);

  g_print ("# %u cycles in %.1f s (%.2f ms each); fds %d; RSS %"
      G_GINT64_FORMAT " KiB after %u warm-up cycles, max %" G_GINT64_FORMAT
      " KiB, end %" G_GINT64_FORMAT " KiB; background datagrams sent %"
      G_GUINT64_FORMAT ", received %d\n", cycles, elapsed / 1e6,
      elapsed / 1e3 / cycles, fds, rss_base, warmup, rss_max,
      mctx_test_rss_kib (), feeder.sent, g_atomic_int_get (&counts.bg_received));

  /* the background traffic did reach the receiver */
  fail_unless (g_atomic_int_get (&counts.bg_received) > 0);
  fail_unless (rss_base > 0);
  if (MCTX_TEST_UNDER_ASAN)
    g_print ("# AddressSanitizer build: RSS not checked (quarantine)\n");
  else
    fail_unless (rss_max - rss_base <= RSS_SLACK_KIB,
        "RSS grew by %" G_GINT64_FORMAT " KiB over %u cycles after warm-up "
        "(allowed %d KiB)", rss_max - rss_base, cycles - warmup, RSS_SLACK_KIB);

  gst_object_unref (src);
  gst_object_unref (appsrc);
  gst_object_unref (tx);
  gst_object_unref (rx);
  g_object_unref (feeder.pub);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_cycles_flat),
};

/* generous: a cycle takes a few ms, much more under the sanitizers */
MCTX_CHECK_MAIN (NULL, "mctx-stress-cycles",
    60 + mctx_test_env_uint ("MCTX_STRESS_CYCLES", DEFAULT_CYCLES) / 20, tests)
