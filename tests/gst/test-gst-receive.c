/* mctxsrc's receive path: per-datagram kernel times within one batch, the
 * socket-timestamp meta, byte-stream mode, the analysed streams in "stats"
 * and the GstMctxSrcStats messages.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"
#include "mctx-test-util.h"

#include <gst/net/gstnetaddressmeta.h>

#include <string.h>

/* the sender's spacing in the batch test */
#define SPACING_US 2000
#define N_SPACED 8

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean blocked;
  /* the buffers of the lists pushed, in order */
  GPtrArray *listed;
  guint n_lists;
} Probe;

static GstPadProbeReturn
block_first (GstPad * pad, GstPadProbeInfo * info, Probe * p)
{
  g_mutex_lock (&p->lock);
  p->blocked = TRUE;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
keep_buffer (GstBuffer ** buf, guint idx, gpointer user_data)
{
  Probe *p = user_data;

  g_ptr_array_add (p->listed, gst_buffer_ref (*buf));
  return TRUE;
}

static GstPadProbeReturn
record_list (GstPad * pad, GstPadProbeInfo * info, Probe * p)
{
  GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

  g_mutex_lock (&p->lock);
  p->n_lists++;
  gst_buffer_list_foreach (list, keep_buffer, p);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
  return GST_PAD_PROBE_OK;
}

static void
send_text (MctxPublication * pub, const gchar * text)
{
  GError *err = NULL;

  fail_unless (mctx_publication_send (pub, (const guint8 *) text,
          strlen (text), &err) > 0, "send: %s", err ? err->message : "?");
}

static guint64
kernel_time (GstBuffer * buf)
{
  GstCaps *caps = gst_caps_new_empty_simple ("timestamp/x-unix");
  GstReferenceTimestampMeta *m =
      gst_buffer_get_reference_timestamp_meta (buf, caps);

  gst_caps_unref (caps);
  fail_unless (m != NULL, "no timestamp/x-unix reference meta");
  return m->timestamp;
}

/* Datagrams sent 2 ms apart while the streaming thread is held land in one
 * read; their buffers (one list) carry increasing times spaced as the
 * kernel received them, not one time per read. */
GST_START_TEST (test_batch_times)
{
  GstElement *rx, *src;
  GstPad *pad;
  GstClock *clock;
  GstClockTime now;
  MctxPublication *pub;
  Probe p = { 0 };
  GstBuffer *head;
  gulong block_id;
  gint64 deadline;
  guint i;

  g_mutex_init (&p.lock);
  g_cond_init (&p.cond);
  p.listed = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);

  rx = mctx_rx_start ("mctxsrc name=src address=239.5.6.1 port=5201 "
      "interface=lo socket-timestamp=realtime");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  pad = gst_element_get_static_pad (src, "src");
  block_id = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BLOCK |
      GST_PAD_PROBE_TYPE_BUFFER, (GstPadProbeCallback) block_first, &p, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER_LIST,
      (GstPadProbeCallback) record_list, &p, NULL);

  pub = mctx_raw_publication ("239.5.6.1", 5201, NULL, "lo");
  send_text (pub, "first");

  /* the streaming thread holds "first": the next ones queue in the socket */
  deadline = g_get_monotonic_time () + MCTX_CHECK_TIMEOUT / GST_USECOND;
  g_mutex_lock (&p.lock);
  while (!p.blocked && g_cond_wait_until (&p.cond, &p.lock, deadline));
  fail_unless (p.blocked, "the first buffer never came");
  g_mutex_unlock (&p.lock);

  for (i = 0; i < N_SPACED; i++) {
    gchar *text = g_strdup_printf ("spaced-%u", i);

    /* pacing the sender, not waiting for the receiver */
    g_usleep (SPACING_US);
    send_text (pub, text);
    g_free (text);
  }
  gst_pad_remove_probe (pad, block_id);

  head = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (head != NULL);
  gst_buffer_unref (head);
  for (i = 0; i < N_SPACED; i++) {
    GstBuffer *buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);

    fail_unless (buf != NULL, "buffer %u missing", i);
    gst_buffer_unref (buf);
  }

  clock = gst_element_get_clock (rx);
  now = gst_clock_get_time (clock) - gst_element_get_base_time (rx);
  gst_object_unref (clock);

  g_mutex_lock (&p.lock);
  fail_unless_equals_int (p.n_lists, 1);
  fail_unless_equals_int (p.listed->len, N_SPACED);
  for (i = 0; i < N_SPACED; i++) {
    GstBuffer *buf = g_ptr_array_index (p.listed, i);

    fail_unless (GST_BUFFER_DTS_IS_VALID (buf));
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), GST_BUFFER_DTS (buf));
    fail_unless (GST_BUFFER_DTS (buf) <= now, "a time later than now");
    if (i > 0) {
      GstBuffer *prev = g_ptr_array_index (p.listed, i - 1);
      gint64 dt = GST_BUFFER_DTS (buf) - GST_BUFFER_DTS (prev);
      gint64 dk = kernel_time (buf) - kernel_time (prev);

      /* the kernel saw the sender's spacing (at least), and the buffer
       * times keep it exactly: one clock mapping per read */
      fail_unless (dk >= SPACING_US * GST_USECOND * 3 / 4,
          "kernel spacing %" G_GINT64_FORMAT " ns", dk);
      fail_unless (ABS (dt - dk) <= 1000, "buffer spacing %" G_GINT64_FORMAT
          " ns, kernel spacing %" G_GINT64_FORMAT " ns", dt, dk);
    }
  }
  g_mutex_unlock (&p.lock);

  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (pad);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
  g_ptr_array_unref (p.listed);
  g_mutex_clear (&p.lock);
  g_cond_clear (&p.cond);
}

GST_END_TEST;

/* socket-timestamp defaults to disabled: no reference meta */
GST_START_TEST (test_no_reference_meta_by_default)
{
  GstElement *rx, *src;
  MctxPublication *pub;
  GstBuffer *buf;
  GstCaps *caps = gst_caps_new_empty_simple ("timestamp/x-unix");
  gint mode = -1;

  rx = mctx_rx_start ("mctxsrc name=src address=239.5.6.2 port=5202 "
      "interface=lo");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  g_object_get (src, "socket-timestamp", &mode, NULL);
  fail_unless_equals_int (mode, 0);
  pub = mctx_raw_publication ("239.5.6.2", 5202, NULL, "lo");
  send_text (pub, "plain");
  buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (buf != NULL);
  fail_unless (gst_buffer_get_reference_timestamp_meta (buf, caps) == NULL);
  fail_unless (GST_BUFFER_DTS_IS_VALID (buf));
  /* a read-only share of the batch memory */
  fail_unless_equals_int (gst_buffer_n_memory (buf), 1);
  fail_unless (!gst_memory_is_writable (gst_buffer_peek_memory (buf, 0)));
  gst_buffer_unref (buf);
  gst_caps_unref (caps);
  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* preserve-packetization=false: the datagrams of one read, one buffer */
GST_START_TEST (test_byte_stream)
{
  GstElement *rx, *src;
  MctxPublication *pub;
  GstBuffer *buf;
  GString *want = g_string_new (NULL), *got = g_string_new (NULL);
  GstMapInfo map;
  guint i;

  rx = mctx_pipeline_parse ("mctxsrc name=src address=239.5.6.3 port=5203 "
      "interface=lo preserve-packetization=false ! appsink name=out "
      "sync=false async=false", "src", &src);
  /* PAUSED: joined, not reading yet */
  fail_unless_equals_int (gst_element_set_state (rx, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);
  pub = mctx_raw_publication ("239.5.6.3", 5203, NULL, "lo");
  for (i = 0; i < 6; i++) {
    gchar *text = g_strdup_printf ("<ts-%u>", i);

    send_text (pub, text);
    g_string_append (want, text);
    g_free (text);
  }
  mctx_set_state (rx, GST_STATE_PLAYING);
  buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (buf != NULL);
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  g_string_append_len (got, (const gchar *) map.data, map.size);
  gst_buffer_unmap (buf, &map);
  fail_unless_equals_string (got->str, want->str);
  fail_unless (gst_buffer_get_net_address_meta (buf) != NULL);
  gst_buffer_unref (buf);

  /* the counters still count datagrams */
  fail_unless_equals_uint64 (mctx_get_stat (src, "packets-received"), 6);

  g_string_free (want, TRUE);
  g_string_free (got, TRUE);
  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static void
send_rtp (MctxPublication * pub, guint16 seq, guint32 ssrc)
{
  guint8 d[172];
  GError *err = NULL;

  memset (d, 0x55, sizeof (d));
  mctx_test_rtp_header (d, 96, seq, seq, ssrc);
  fail_unless (mctx_publication_send (pub, d, sizeof (d), &err) > 0);
}

/* the only stream of a stats structure */
static const GstStructure *
only_stream (const GstStructure * s)
{
  const GValue *streams = gst_structure_get_value (s, "streams");

  fail_unless (streams != NULL && GST_VALUE_HOLDS_ARRAY (streams));
  fail_unless_equals_int (gst_value_array_get_size (streams), 1);
  return gst_value_get_structure (gst_value_array_get_value (streams, 0));
}

static guint64
stream_u64 (const GstStructure * st, const gchar * field)
{
  guint64 v = G_MAXUINT64;

  fail_unless (gst_structure_get_uint64 (st, field, &v), "no %s", field);
  return v;
}

/* the next GstMctxSrcStats message (transfer full), or NULL */
static GstStructure *
next_stats_message (GstElement * pipe, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipe);
  GstStructure *s = NULL;
  GstClockTime end = gst_util_get_timestamp () + timeout;

  while (s == NULL) {
    GstClockTime now = gst_util_get_timestamp ();
    GstMessage *msg;

    msg = gst_bus_timed_pop_filtered (bus, end > now ? end - now : 0,
        GST_MESSAGE_ELEMENT);
    if (msg == NULL)
      break;
    if (gst_message_has_name (msg, "GstMctxSrcStats"))
      s = gst_structure_copy (gst_message_get_structure (msg));
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return s;
}

/* RTP with one sequence number left out: the stream's counters in
 * "stats" and in the GstMctxSrcStats messages, the last one at stop */
GST_START_TEST (test_stats_streams)
{
  GstElement *rx, *src;
  MctxPublication *pub;
  GstStructure *stats, *msg;
  const GstStructure *st;
  guint i, rate = 0;

  rx = mctx_rx_start ("mctxsrc name=src address=239.5.6.4 port=5204 "
      "interface=lo stats-interval=20 "
      "caps=application/x-rtp,media=audio,clock-rate=48000");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  pub = mctx_raw_publication ("239.5.6.4", 5204, NULL, "lo");
  for (i = 0; i < 20; i++)
    if (i != 7)
      send_rtp (pub, 100 + i, 0xabcd0001);
  fail_unless (mctx_wait_stat (src, "packets-received", 19,
          MCTX_CHECK_TIMEOUT));

  g_object_get (src, "stats", &stats, NULL);
  st = only_stream (stats);
  fail_unless_equals_string (gst_structure_get_string (st, "kind"), "rtp");
  fail_unless_equals_uint64 (stream_u64 (st, "packets"), 19);
  fail_unless_equals_uint64 (stream_u64 (st, "lost"), 1);
  fail_unless_equals_uint64 (stream_u64 (st, "duplicates"), 0);
  fail_unless (gst_structure_get_uint (st, "ssrc", &i));
  fail_unless_equals_int (i, 0xabcd0001);
  fail_unless (gst_structure_get_uint (st, "clock-rate", &rate));
  fail_unless_equals_int (rate, 48000);
  fail_unless_equals_string (gst_structure_get_string (st, "group"),
      "239.5.6.4");
  gst_structure_free (stats);

  /* a message that has seen them all (the first ones may be earlier) */
  for (;;) {
    msg = next_stats_message (rx, MCTX_CHECK_TIMEOUT);
    fail_unless (msg != NULL, "no GstMctxSrcStats message");
    {
      guint64 n = 0;

      fail_unless (gst_structure_get_uint64 (msg, "packets-received", &n));
      if (n == 19)
        break;
    }
    gst_structure_free (msg);
  }
  fail_unless_equals_uint64 (stream_u64 (only_stream (msg), "lost"), 1);
  gst_structure_free (msg);

  /* stopping posts one more; drain the periodic ones before it (in READY:
   * going to NULL flushes the bus) */
  gst_element_set_state (rx, GST_STATE_READY);
  {
    GstStructure *last = NULL;

    while ((msg = next_stats_message (rx, 0))) {
      g_clear_pointer (&last, gst_structure_free);
      last = msg;
    }
    fail_unless (last != NULL, "no GstMctxSrcStats message at stop");
    fail_unless_equals_uint64 (stream_u64 (only_stream (last), "packets"), 19);
    gst_structure_free (last);
  }
  /* stopped, the property keeps the last run */
  g_object_get (src, "stats", &stats, NULL);
  fail_unless_equals_uint64 (stream_u64 (only_stream (stats), "lost"), 1);
  gst_structure_free (stats);

  gst_element_set_state (rx, GST_STATE_NULL);
  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (src);
  gst_object_unref (rx);
}

GST_END_TEST;

/* with nothing arriving, the messages still come, from the wait */
GST_START_TEST (test_stats_interval_idle)
{
  GstElement *rx;
  GstStructure *msg;
  guint i;

  rx = mctx_rx_start ("mctxsrc address=239.5.6.5 port=5205 interface=lo "
      "stats-interval=10");
  for (i = 0; i < 3; i++) {
    guint64 n = 1;

    msg = next_stats_message (rx, MCTX_CHECK_TIMEOUT);
    fail_unless (msg != NULL, "message %u missing", i);
    fail_unless (gst_structure_get_uint64 (msg, "packets-received", &n));
    fail_unless_equals_uint64 (n, 0);
    fail_unless_equals_int (gst_value_array_get_size
        (gst_structure_get_value (msg, "streams")), 0);
    gst_structure_free (msg);
  }
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* analyse=false: counters, no streams */
GST_START_TEST (test_no_analysis)
{
  GstElement *rx, *src;
  MctxPublication *pub;
  GstStructure *stats;
  GstBuffer *buf;

  rx = mctx_rx_start ("mctxsrc name=src address=239.5.6.6 port=5206 "
      "interface=lo analyse=false");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  pub = mctx_raw_publication ("239.5.6.6", 5206, NULL, "lo");
  send_rtp (pub, 1, 1);
  buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (buf != NULL);
  gst_buffer_unref (buf);
  g_object_get (src, "stats", &stats, NULL);
  fail_unless_equals_int (gst_value_array_get_size (gst_structure_get_value
          (stats, "streams")), 0);
  gst_structure_free (stats);
  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* Buffers downstream still holds keep their bytes while later reads fill
 * new batch memory: 1000 datagrams (several memories' worth) all held by
 * appsink, then checked. */
GST_START_TEST (test_held_buffers_intact)
{
  GstElement *rx, *src;
  MctxPublication *pub;
  guint i, j;

  rx = mctx_rx_start ("mctxsrc name=src address=239.5.6.7 port=5207 "
      "interface=lo mtu=9000");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  pub = mctx_raw_publication ("239.5.6.7", 5207, NULL, "lo");
  for (i = 0; i < 10; i++) {
    for (j = 0; j < 100; j++) {
      gchar *text = g_strdup_printf ("held-%04u", i * 100 + j);

      send_text (pub, text);
      g_free (text);
    }
    /* in chunks, so the socket's buffer never overflows */
    fail_unless (mctx_wait_stat (src, "packets-received", (i + 1) * 100,
            MCTX_CHECK_TIMEOUT));
  }
  for (i = 0; i < 1000; i++) {
    gchar *text = g_strdup_printf ("held-%04u", i);

    mctx_rx_expect (rx, text);
    g_free (text);
  }
  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_batch_times),
  MCTX_CHECK_TEST (test_no_reference_meta_by_default),
  MCTX_CHECK_TEST (test_byte_stream),
  MCTX_CHECK_TEST (test_stats_streams),
  MCTX_CHECK_TEST (test_stats_interval_idle),
  MCTX_CHECK_TEST (test_no_analysis),
  MCTX_CHECK_TEST (test_held_buffers_intact),
};

MCTX_CHECK_MAIN (NULL, "mctx-receive", 60, tests)
