/* mctx-bench: the send paths and the send measurement
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif

/* pre-made buffers and lists, reused round robin (powers of two) */
#define N_RING_BUFFERS 64
#define N_RING_LISTS 8

struct _BenchSender
{
  BenchSendKind kind;
  gsize size;
  guint unit;                   /* datagrams per send_unit() */
  guint64 next;

  /* raw */
  int fd;
  guint8 *payload;              /* unit * size bytes (raw, libmctx) */
  struct mmsghdr mmsg[BENCH_LIST_LEN];
  struct iovec iov[BENCH_LIST_LEN];

  /* libmctx */
  MctxPublication *pub;
  GOutputMessage msgs[BENCH_LIST_LEN];
  GOutputVector vecs[BENCH_LIST_LEN];

  /* GStreamer */
  GstElement *pipeline;
  GstElement *sink;
  GstPad *feeder;
  GstBuffer *buffers[N_RING_BUFFERS];
  GstBufferList *lists[N_RING_LISTS];
};

const BenchKind bench_send_kinds[BENCH_SEND_N_KINDS] = {
  [BENCH_SEND_RAW_SEND] = {"raw-send", "raw send(), 1 per call"},
  [BENCH_SEND_RAW_SENDMMSG] = {"raw-sendmmsg", "raw sendmmsg(), 32 per call"},
  [BENCH_SEND_RAW_GSO] = {"raw-gso", "raw UDP GSO, 48/64 per call"},
  [BENCH_SEND_LIBMCTX] = {"libmctx", "libmctx send_messages(), 32"},
  [BENCH_SEND_UDPSINK] = {"udpsink", "udpsink, single buffers"},
  [BENCH_SEND_UDPSINK_LIST] = {"udpsink-list", "udpsink, lists of 32"},
  [BENCH_SEND_MCTXSINK] = {"mctxsink", "mctxsink, single buffers"},
  [BENCH_SEND_MCTXSINK_LIST] = {"mctxsink-list", "mctxsink, lists of 32"},
};

static void
write_stamp (guint8 * data, guint64 seq)
{
  BenchStamp st = { seq, bench_now_ns () };

  memcpy (data, &st, sizeof (st));
}

/* Takes the first error message off the bus, if any. */
static gboolean
bus_error (GstElement * pipeline, GError ** error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gboolean found = msg != NULL;

  if (msg) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s (%s)",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message,
        dbg ? dbg : "");
    g_clear_error (&err);
    g_free (dbg);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return found;
}

/*** raw *********************************************************************/

static gboolean
raw_setup (BenchSender * s, const gchar * group, guint port, GError ** error)
{
  guint i;

  s->fd = bench_raw_sender_socket (group, port, error);
  if (s->fd < 0)
    return FALSE;

  switch (s->kind) {
    case BENCH_SEND_RAW_SEND:
      s->unit = 1;
      break;
    case BENCH_SEND_RAW_SENDMMSG:
      s->unit = BENCH_LIST_LEN;
      break;
    case BENCH_SEND_RAW_GSO:{
      int seg = s->size;

      s->unit = bench_gso_segments (s->size);
      if (setsockopt (s->fd, SOL_UDP, UDP_SEGMENT, &seg, sizeof (seg)) < 0)
        return bench_errno_error (error, "UDP_SEGMENT");
      break;
    }
    default:
      g_assert_not_reached ();
  }

  s->payload = g_malloc0 (s->unit * s->size);
  for (i = 0; i < s->unit; i++)
    write_stamp (s->payload + i * s->size, G_MAXUINT64);

  if (s->kind == BENCH_SEND_RAW_SENDMMSG) {
    for (i = 0; i < s->unit; i++) {
      s->iov[i].iov_base = s->payload + i * s->size;
      s->iov[i].iov_len = s->size;
      s->mmsg[i].msg_hdr.msg_iov = &s->iov[i];
      s->mmsg[i].msg_hdr.msg_iovlen = 1;
    }
  }
  return TRUE;
}

static gboolean
raw_send_unit (BenchSender * s, GError ** error)
{
  guint off = 0;
  gssize r = 0;

  switch (s->kind) {
    case BENCH_SEND_RAW_SEND:
      r = send (s->fd, s->payload, s->size, 0);
      break;
    case BENCH_SEND_RAW_GSO:
      r = send (s->fd, s->payload, s->unit * s->size, 0);
      break;
    case BENCH_SEND_RAW_SENDMMSG:
      /* blocking socket: a short count means an error on the next one */
      while (off < s->unit) {
        r = sendmmsg (s->fd, s->mmsg + off, s->unit - off, 0);
        if (r < 0)
          break;
        off += r;
      }
      if (off == s->unit)
        return TRUE;
      break;
    default:
      g_assert_not_reached ();
  }
  if (r < 0)
    return bench_errno_error (error, "raw send");
  return TRUE;
}

/*** libmctx *****************************************************************/

static gboolean
libmctx_setup (BenchSender * s, const gchar * group, guint port,
    GError ** error)
{
  guint i;

  s->unit = BENCH_LIST_LEN;
  s->pub = mctx_publication_new (group, port);
  if (!mctx_publication_open (s->pub, error))
    return FALSE;

  s->payload = g_malloc0 (s->unit * s->size);
  for (i = 0; i < s->unit; i++) {
    write_stamp (s->payload + i * s->size, G_MAXUINT64);
    s->vecs[i].buffer = s->payload + i * s->size;
    s->vecs[i].size = s->size;
    s->msgs[i].vectors = &s->vecs[i];
    s->msgs[i].num_vectors = 1;
  }
  return TRUE;
}

/* what mctxsink does with a list, without GStreamer */
static gboolean
libmctx_send_unit (BenchSender * s, GError ** error)
{
  guint off = 0;

  while (off < s->unit) {
    GError *err = NULL;
    gint n = mctx_publication_send_messages (s->pub, s->msgs + off,
        s->unit - off, &err);

    if (n > 0) {
      off += n;
      continue;
    }
    if (n == 0 || g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_clear_error (&err);
      if (!mctx_publication_wait_writable (s->pub, 100000, NULL, &err)
          && !g_error_matches (err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        g_propagate_error (error, err);
        return FALSE;
      }
      g_clear_error (&err);
      continue;
    }
    g_propagate_error (error, err);
    return FALSE;
  }
  return TRUE;
}

/*** GStreamer sinks *********************************************************/

static GstBuffer *
new_buffer (gsize size)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  write_stamp (map.data, G_MAXUINT64);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* The sink is fed straight from this thread through a pad of our own, the
 * way GstCheck does: no appsrc queue and no streaming thread, so both sinks
 * get identical feeding and the CPU time is the sink's (and the kernel's). */
static gboolean
gst_setup (BenchSender * s, const gchar * group, guint port, GError ** error)
{
  gboolean udp = s->kind == BENCH_SEND_UDPSINK
      || s->kind == BENCH_SEND_UDPSINK_LIST;
  gboolean list = s->kind == BENCH_SEND_UDPSINK_LIST
      || s->kind == BENCH_SEND_MCTXSINK_LIST;
  const gchar *factory = udp ? "udpsink" : "mctxsink";
  GstPad *sinkpad;
  GstSegment segment;
  GstCaps *caps;
  guint i, j;

  s->unit = list ? BENCH_LIST_LEN : 1;
  s->sink = gst_element_factory_make (factory, NULL);
  if (s->sink == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no element %s (GST_PLUGIN_PATH?)", factory);
    return FALSE;
  }
  s->pipeline = gst_pipeline_new (NULL);
  gst_bin_add (GST_BIN (s->pipeline), s->sink);

  if (udp) {
    /* udpsink joins the group it sends to unless told not to; a joined
     * group makes the kernel loop a copy of every datagram back up the
     * stack, which mctxsink does not pay for */
    g_object_set (s->sink, "host", group, "port", port, "auto-multicast",
        FALSE, NULL);
  } else {
    g_object_set (s->sink, "address", group, "port", port, NULL);
  }
  /* no clock waits, no preroll wait, no last-sample bookkeeping */
  g_object_set (s->sink, "sync", FALSE, "async", FALSE, "enable-last-sample",
      FALSE, NULL);

  if (gst_element_set_state (s->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    if (!bus_error (s->pipeline, error))
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "%s does not start", factory);
    return FALSE;
  }

  s->feeder = gst_pad_new ("feeder", GST_PAD_SRC);
  gst_pad_set_active (s->feeder, TRUE);
  sinkpad = gst_element_get_static_pad (s->sink, "sink");
  if (gst_pad_link (s->feeder, sinkpad) != GST_PAD_LINK_OK) {
    gst_object_unref (sinkpad);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot link to %s",
        factory);
    return FALSE;
  }
  gst_object_unref (sinkpad);

  caps = gst_caps_new_empty_simple ("application/x-mctx-bench");
  gst_segment_init (&segment, GST_FORMAT_TIME);
  if (!gst_pad_push_event (s->feeder,
          gst_event_new_stream_start ("mctx-bench"))
      || !gst_pad_push_event (s->feeder, gst_event_new_caps (caps))
      || !gst_pad_push_event (s->feeder, gst_event_new_segment (&segment))) {
    gst_caps_unref (caps);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "%s refuses the stream start, caps or segment", factory);
    return FALSE;
  }
  gst_caps_unref (caps);

  /* everything allocated before timing */
  if (list) {
    for (i = 0; i < N_RING_LISTS; i++) {
      s->lists[i] = gst_buffer_list_new_sized (BENCH_LIST_LEN);
      for (j = 0; j < BENCH_LIST_LEN; j++)
        gst_buffer_list_add (s->lists[i], new_buffer (s->size));
    }
  } else {
    for (i = 0; i < N_RING_BUFFERS; i++)
      s->buffers[i] = new_buffer (s->size);
  }
  return TRUE;
}

static gboolean
gst_flow_error (BenchSender * s, GstFlowReturn flow, GError ** error)
{
  if (!bus_error (s->pipeline, error))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "push: %s",
        gst_flow_get_name (flow));
  return FALSE;
}

static gboolean
gst_send_unit (BenchSender * s, GError ** error)
{
  GstFlowReturn flow;

  /* the sink drops its reference before returning, so the ring's buffers
   * come back with one reference and are pushed again */
  if (s->unit == 1)
    flow = gst_pad_push (s->feeder,
        gst_buffer_ref (s->buffers[s->next % N_RING_BUFFERS]));
  else
    flow = gst_pad_push_list (s->feeder,
        gst_buffer_list_ref (s->lists[s->next % N_RING_LISTS]));
  s->next++;
  if (G_UNLIKELY (flow != GST_FLOW_OK))
    return gst_flow_error (s, flow, error);
  return TRUE;
}

/*** public ******************************************************************/

BenchSender *
bench_sender_new (BenchSendKind kind, const gchar * group, guint port,
    gsize size, GError ** error)
{
  BenchSender *s = g_new0 (BenchSender, 1);
  gboolean ok;

  s->kind = kind;
  s->size = size;
  s->fd = -1;
  switch (kind) {
    case BENCH_SEND_RAW_SEND:
    case BENCH_SEND_RAW_SENDMMSG:
    case BENCH_SEND_RAW_GSO:
      ok = raw_setup (s, group, port, error);
      break;
    case BENCH_SEND_LIBMCTX:
      ok = libmctx_setup (s, group, port, error);
      break;
    default:
      ok = gst_setup (s, group, port, error);
      break;
  }
  if (!ok) {
    bench_sender_free (s);
    return NULL;
  }
  return s;
}

void
bench_sender_free (BenchSender * s)
{
  guint i;

  if (s == NULL)
    return;
  if (s->pipeline) {
    gst_element_set_state (s->pipeline, GST_STATE_NULL);
    gst_object_unref (s->pipeline);
  }
  if (s->feeder) {
    gst_pad_set_active (s->feeder, FALSE);
    gst_object_unref (s->feeder);
  }
  for (i = 0; i < N_RING_BUFFERS; i++)
    gst_clear_buffer (&s->buffers[i]);
  for (i = 0; i < N_RING_LISTS; i++)
    gst_clear_buffer_list (&s->lists[i]);
  if (s->pub) {
    mctx_publication_close (s->pub);
    g_object_unref (s->pub);
  }
  if (s->fd >= 0)
    close (s->fd);
  g_free (s->payload);
  g_free (s);
}

guint
bench_sender_unit (BenchSender * s)
{
  return s->unit;
}

gboolean
bench_sender_send_unit (BenchSender * s, GError ** error)
{
  switch (s->kind) {
    case BENCH_SEND_RAW_SEND:
    case BENCH_SEND_RAW_SENDMMSG:
    case BENCH_SEND_RAW_GSO:
      return raw_send_unit (s, error);
    case BENCH_SEND_LIBMCTX:
      return libmctx_send_unit (s, error);
    default:
      return gst_send_unit (s, error);
  }
}

/* one datagram; only for the single-datagram kinds (latency test) */
gboolean
bench_sender_send_stamped (BenchSender * s, guint64 seq, GError ** error)
{
  GstBuffer *buf;
  GstMapInfo map;
  GstFlowReturn flow;

  g_return_val_if_fail (s->unit == 1, FALSE);

  if (s->kind == BENCH_SEND_RAW_SEND) {
    write_stamp (s->payload, seq);
    if (send (s->fd, s->payload, s->size, 0) < 0)
      return bench_errno_error (error, "send");
    return TRUE;
  }

  buf = s->buffers[s->next++ % N_RING_BUFFERS];
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  write_stamp (map.data, seq);
  gst_buffer_unmap (buf, &map);
  flow = gst_pad_push (s->feeder, gst_buffer_ref (buf));
  if (flow != GST_FLOW_OK)
    return gst_flow_error (s, flow, error);
  return TRUE;
}

gint64
bench_sender_element_count (BenchSender * s)
{
  if (s->pub) {
    MctxPublicationStats st;

    mctx_publication_get_stats (s->pub, &st);
    return st.packets_sent;
  }
  if (s->sink && g_object_class_find_property (G_OBJECT_GET_CLASS (s->sink),
          "stats")) {
    GstStructure *st = NULL;
    guint64 v = 0;

    g_object_get (s->sink, "stats", &st, NULL);
    if (st && gst_structure_get_uint64 (st, "packets-sent", &v)) {
      gst_structure_free (st);
      return v;
    }
    if (st)
      gst_structure_free (st);
  }
  return -1;
}

/*** the measurement *********************************************************/

static void
set_result (const gchar * section, gsize size, BenchSendKind kind,
    const gchar * metric, guint repeat, gdouble value)
{
  gchar *key = g_strdup_printf ("%s/%zu/%s/%s", section, size,
      bench_send_kinds[kind].name, metric);

  bench_result_set (key, repeat, value);
  g_free (key);
}

/* With @with_rx a raw receiver is joined to the group and counts what
 * arrives: then the kernel delivers every datagram separately, as a
 * network would carry it, and does it mostly in the sender's system call
 * (loopback runs the receive path in the sending thread). Without one,
 * lo drops each datagram at IP input, and a UDP GSO super-datagram is
 * never split: the sender's own cost only. */
static void
measure (const BenchOptions * opts, BenchSendKind kind, gsize size,
    gboolean with_rx, guint repeat)
{
  const gchar *section = with_rx ? "send" : "send-alone";
  guint port = BENCH_PORT_BASE + kind;
  BenchReceiver *rx = NULL;
  BenchSender *s = NULL;
  GError *err = NULL;
  gint64 t0, t1, c0, c1, deadline, counted0, counted1;
  guint64 sent = 0, warm = 0, got = 0;
  gchar *what;
  guint i;
  gdouble pps, cpu_ns;

  what = g_strdup_printf ("%s %s %zu B", section, bench_send_kinds[kind].name,
      size);
  bench_watchdog_arm ((guint) opts->send_seconds + 20, what);

  if (with_rx) {
    rx = bench_receiver_start (BENCH_RECV_RAW, BENCH_GROUP_SEND, port,
        opts->rcvbuf, NULL, &err);
    if (rx == NULL)
      goto failed;
  }

  s = bench_sender_new (kind, BENCH_GROUP_SEND, port, size, &err);
  if (s == NULL)
    goto failed;

  /* warm up: first-use allocations, page faults, the route cache */
  for (i = 0; i < 16; i++)
    if (!bench_sender_send_unit (s, &err))
      goto failed;
  warm = 16 * s->unit;
  if (rx)
    bench_receiver_drain (rx, warm, 50, 500, NULL);
  counted0 = bench_sender_element_count (s);

  /* the sending thread's time: the receiver thread's is not the
   * sender's, but the kernel's delivery done in the send call is */
  c0 = bench_thread_cpu_ns ();
  t0 = bench_now_ns ();
  deadline = t0 + (gint64) (opts->send_seconds * 1e9);
  /* bounded by count and by time */
  while (sent < opts->send_max_packets) {
    if (G_UNLIKELY (!bench_sender_send_unit (s, &err)))
      goto failed;
    sent += s->unit;
    if (bench_now_ns () >= deadline)
      break;
  }
  t1 = bench_now_ns ();
  c1 = bench_thread_cpu_ns ();
  counted1 = bench_sender_element_count (s);

  pps = sent / ((t1 - t0) / 1e9);
  cpu_ns = (gdouble) (c1 - c0) / sent;
  set_result (section, size, kind, "pps", repeat, pps);
  set_result (section, size, kind, "cpu_ns", repeat, cpu_ns);

  printf ("  %-10s %-14s %4zu B: %9.0f pkt/s  %6.3f us CPU/pkt", section,
      bench_send_kinds[kind].name, size, pps, cpu_ns / 1000.0);
  if (counted0 >= 0 && counted1 - counted0 != (gint64) sent) {
    printf ("  [element counted %" G_GINT64_FORMAT " of %" G_GUINT64_FORMAT
        "]", counted1 - counted0, sent);
    bench_note ("%s %s %zu B: the element counted %" G_GINT64_FORMAT
        " datagrams sent of %" G_GUINT64_FORMAT " pushed", section,
        bench_send_kinds[kind].name, size, counted1 - counted0, sent);
  }
  if (rx) {
    got = bench_receiver_drain (rx, warm + sent, 100, 2000, NULL) - warm;
    set_result (section, size, kind, "delivered_pct", repeat,
        100.0 * got / sent);
    printf ("  delivered %5.1f %%", 100.0 * got / sent);
  }
  printf ("\n");
  fflush (stdout);
  goto done;

failed:
  printf ("  %-10s %-14s %4zu B: FAILED: %s\n", section,
      bench_send_kinds[kind].name, size, err->message);
  bench_note ("%s %s %zu B failed: %s", section, bench_send_kinds[kind].name,
      size, err->message);
  g_clear_error (&err);
done:
  bench_sender_free (s);
  bench_receiver_stop (rx);
  bench_watchdog_disarm ();
  g_free (what);
}

void
bench_run_send (const BenchOptions * opts, guint repeat)
{
  static const gsize sizes[] = { BENCH_SIZE_LARGE, BENCH_SIZE_SMALL };
  /* the pairs compared stay next to each other; the order is reversed on
   * every other repeat so that neither side always goes first */
  static const BenchSendKind order[] = {
    BENCH_SEND_UDPSINK, BENCH_SEND_MCTXSINK,
    BENCH_SEND_UDPSINK_LIST, BENCH_SEND_MCTXSINK_LIST,
    BENCH_SEND_LIBMCTX,
    BENCH_SEND_RAW_SEND, BENCH_SEND_RAW_SENDMMSG, BENCH_SEND_RAW_GSO,
  };
  guint i, j, m, n = G_N_ELEMENTS (order);

  for (m = 0; m < 2; m++) {
    for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
      for (j = 0; j < n; j++) {
        BenchSendKind kind = order[repeat % 2 ? n - 1 - j : j];

        if ((!opts->have_mctxsink && (kind == BENCH_SEND_MCTXSINK
                    || kind == BENCH_SEND_MCTXSINK_LIST))
            || !bench_path_wanted (opts, bench_send_kinds[kind].name))
          continue;
        measure (opts, kind, sizes[i], m == 0, repeat);
      }
    }
  }
}
