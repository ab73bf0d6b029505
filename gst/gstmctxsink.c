/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-mctxsink
 * @title: mctxsink
 * @see_also: mctxsrc, udpsink, multiudpsink
 *
 * mctxsink sends every buffer it receives as one UDP datagram to an IPv4 or
 * IPv6 multicast group, using libmctx. It is a drop-in replacement for
 * udpsink in multicast pipelines, with these additions: the outgoing
 * interface can be chosen by name, by IP address or by index and is really
 * used (IP_MULTICAST_IF / IPV6_MULTICAST_IF), the source address and port can
 * be fixed (so that source-specific receivers can name them), TTL, loopback
 * and DSCP can be changed while playing, buffer lists are sent in batches of
 * datagrams with one system call, and counters are available in #GstMctxSink:stats.
 *
 * The sink never drops a buffer to keep up: when the socket's send buffer is
 * full it waits until it can write again. Going to PAUSED, READY or NULL, or
 * a flush, interrupts that wait at once.
 *
 * A datagram larger than the path allows is skipped with a warning message
 * on the bus (at most one a second) and counted in the "send-errors" field
 * of #GstMctxSink:stats. When the outgoing interface is down or gone, the
 * sink posts one warning, drops (and counts) what it cannot send, and posts
 * an info message when sending works again; an interface of the same name
 * that is created again is found by itself. Any other socket error is an
 * error message.
 *
 * #GstMctxSink:pacing spreads the datagrams out: at most
 * #GstMctxSink:pacing-rate bits per second (`rate`), or each frame evenly
 * over its own time (`timestamps`), held by the kernel (SO_TXTIME on an fq
 * qdisc) or by a user-space scheduler (#GstMctxSink:pacing-mechanism).
 *
 * The default #GstMctxSink:ttl of 1 keeps the datagrams on the local network:
 * raise it to cross multicast routers.
 *
 * mctxsink also handles `mctx://` URIs:
 * `mctx://[source@]group:port?interface=eth0&ttl=4`, with IPv6 addresses in
 * brackets, e.g. `mctx://[2001:db8::1]@[ff3e::1]:5004`. The query keys are
 * the property names interface, interface-index, ttl, loop, qos-dscp,
 * source-port and buffer-size.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -v audiotestsrc ! audioconvert ! rtpL16pay ! mctxsink address=239.1.2.3 port=5004 interface=eth0
 * ]| Sends raw audio as RTP to 239.1.2.3:5004 through eth0. A receiver for it:
 * |[
 * gst-launch-1.0 -v mctxsrc address=239.1.2.3 port=5004 interface=eth0 caps="application/x-rtp,media=audio,clock-rate=44100,encoding-name=L16,channels=1" ! rtpjitterbuffer ! rtpL16depay ! audioconvert ! autoaudiosink
 * ]|
 * |[
 * gst-launch-1.0 -v videotestsrc ! x264enc tune=zerolatency ! mpegtsmux ! rtpmp2tpay ! mctxsink address=232.1.1.1 source=192.0.2.10 ttl=8
 * ]| Sends an MPEG-TS stream from source 192.0.2.10 to the source-specific
 * group 232.1.1.1, which receivers join with
 * `mctxsrc address=232.1.1.1 sources=192.0.2.10`.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsink.h"
#include "gstmctxsinklegs.h"
#include "gstmctxbridge.h"
#include "gstmctxelements.h"
#include "gstmctxuri.h"
#include "gstmctxsdpprops.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_mctx_debug

static GstMctxUriHandlerInfo sink_uri_info = { GST_URI_SINK, "source", NULL };

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);

static void gst_mctx_sink_finalize (GObject * object);
static void gst_mctx_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_mctx_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

static gboolean gst_mctx_sink_start (GstBaseSink * bsink);
static gboolean gst_mctx_sink_stop (GstBaseSink * bsink);
static gboolean gst_mctx_sink_unlock (GstBaseSink * bsink);
static gboolean gst_mctx_sink_unlock_stop (GstBaseSink * bsink);
static GstFlowReturn gst_mctx_sink_render (GstBaseSink * bsink,
    GstBuffer * buffer);
static gboolean gst_mctx_sink_query (GstElement * element, GstQuery * query);
static GstFlowReturn gst_mctx_sink_render_list (GstBaseSink * bsink,
    GstBufferList * list);

#define gst_mctx_sink_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstMctxSink, gst_mctx_sink, GST_TYPE_BASE_SINK,
    gst_mctx_uri_handler_add (g_define_type_id, &sink_uri_info));

GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (mctxsink, "mctxsink", GST_RANK_NONE,
    GST_TYPE_MCTX_SINK, mctx_element_init (plugin));

static void
gst_mctx_sink_class_init (GstMctxSinkClass * klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstElementClass *gstelement_class = (GstElementClass *) klass;
  GstBaseSinkClass *gstbasesink_class = (GstBaseSinkClass *) klass;

  gobject_class->set_property = gst_mctx_sink_set_property;
  gobject_class->get_property = gst_mctx_sink_get_property;
  gobject_class->finalize = gst_mctx_sink_finalize;

  sink_uri_info.query_properties =
      gst_mctx_sink_install_properties (gobject_class);

  gst_element_class_add_static_pad_template (gstelement_class, &sink_template);
  gstelement_class->query = GST_DEBUG_FUNCPTR (gst_mctx_sink_query);

  gst_element_class_set_static_metadata (gstelement_class,
      "Multicast sink", "Sink/Network",
      "Sends data as UDP datagrams to an IPv4 or IPv6 multicast group",
      "mctx developers");

  gstbasesink_class->start = GST_DEBUG_FUNCPTR (gst_mctx_sink_start);
  gstbasesink_class->stop = GST_DEBUG_FUNCPTR (gst_mctx_sink_stop);
  gstbasesink_class->unlock = GST_DEBUG_FUNCPTR (gst_mctx_sink_unlock);
  gstbasesink_class->unlock_stop =
      GST_DEBUG_FUNCPTR (gst_mctx_sink_unlock_stop);
  gstbasesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_mctx_sink_sdp_set_caps);
  gstbasesink_class->render = GST_DEBUG_FUNCPTR (gst_mctx_sink_render);
  gstbasesink_class->render_list =
      GST_DEBUG_FUNCPTR (gst_mctx_sink_render_list);
}

static void
gst_mctx_sink_init (GstMctxSink * sink)
{
  gst_mctx_settings_init (&sink->settings, G_OBJECT (sink),
      gst_mctx_sink_settings);
  sink->cancellable = g_cancellable_new ();
  sink->pacing = gst_mctx_sink_pacing_new ();
  gst_mctx_sink_sdp_init (sink);
}

static void
gst_mctx_sink_finalize (GObject * object)
{
  GstMctxSink *sink = GST_MCTX_SINK (object);

  gst_mctx_sink_legs_free (sink);
  g_clear_pointer (&sink->pub, gst_mctx_bridge_discard);
  gst_mctx_settings_clear (&sink->settings);
  g_free (sink->source_address);
  g_clear_object (&sink->cancellable);
  g_free (sink->messages);
  g_free (sink->sizes);
  g_free (sink->vectors);
  g_free (sink->maps);
  gst_mctx_sink_pacing_free (sink->pacing);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* the open publication with a reference, or NULL */
static MctxPublication *
gst_mctx_sink_ref_publication (GstMctxSink * sink)
{
  MctxPublication *pub;

  GST_OBJECT_LOCK (sink);
  pub = sink->pub ? g_object_ref (sink->pub) : NULL;
  GST_OBJECT_UNLOCK (sink);

  return pub;
}

/* applies ttl, loop or qos-dscp to a running publication */
static void
gst_mctx_sink_apply_live (GstMctxSink * sink, GParamSpec * pspec)
{
  MctxPublication *pub = gst_mctx_sink_ref_publication (sink);
  GError *err = NULL;
  const gchar *setting;
  gboolean ok;
  gint value;

  if (pub == NULL)
    return;

  value = gst_mctx_settings_get_number (&sink->settings, GST_OBJECT (sink),
      pspec->name);

  GST_DEBUG_OBJECT (sink, "setting %s to %d while running", pspec->name, value);
  /* by setting, so an alias (udpsink's ttl-mc) works the same */
  setting = gst_mctx_settings_get_setting (&sink->settings, pspec);
  if (g_strcmp0 (setting, "ttl") == 0)
    ok = mctx_publication_set_ttl (pub, value, &err);
  else if (g_strcmp0 (setting, "loop") == 0)
    ok = mctx_publication_set_loop (pub, value, &err);
  else
    ok = mctx_publication_set_dscp (pub, value, &err);
  g_object_unref (pub);

  if (!ok) {
    GST_ELEMENT_WARNING (sink, RESOURCE, SETTINGS,
        ("Could not change property '%s' to %d while running", pspec->name,
            value), ("%s", err->message));
    g_clear_error (&err);
  }
}

static void
gst_mctx_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstMctxSink *sink = GST_MCTX_SINK (object);

  if (!gst_mctx_settings_set_property (&sink->settings,
          GST_OBJECT (sink), pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (pspec->flags & GST_PARAM_MUTABLE_PLAYING)
    gst_mctx_sink_apply_live (sink, pspec);
}

static GstStructure *
gst_mctx_sink_create_stats (GstMctxSink * sink)
{
  MctxPublicationStats stats;
  GstStructure *s;

  gst_mctx_bridge_get_stats (GST_ELEMENT (sink), (gpointer *) & sink->pub,
      &sink->last_stats, &stats, sizeof (stats));
  s = gst_structure_new_empty ("application/x-mctx-sink-stats");
  gst_mctx_structure_set_counters (s, gst_mctx_publication_counters, &stats,
      sizeof (stats), 1);
  gst_mctx_sink_pacing_add_stats (sink, s);
  gst_mctx_sink_legs_add_stats (sink, s);
  return s;
}

static void
gst_mctx_sink_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstMctxSink *sink = GST_MCTX_SINK (object);

  if (prop_id == SINK_PROP_STATS) {
    g_value_take_boxed (value, gst_mctx_sink_create_stats (sink));
  } else if (prop_id == SINK_PROP_SOURCE_ADDRESS) {
    GST_OBJECT_LOCK (sink);
    g_value_set_string (value, sink->source_address);
    GST_OBJECT_UNLOCK (sink);
  } else if (!gst_mctx_sink_sdp_get_property (sink, prop_id, value)
      && !gst_mctx_settings_get_property (&sink->settings,
          GST_OBJECT (sink), pspec, value)) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static gboolean
gst_mctx_sink_unlock (GstBaseSink * bsink)
{
  return gst_mctx_bridge_unlock (GST_ELEMENT (bsink),
      GST_MCTX_SINK (bsink)->cancellable, TRUE);
}

static gboolean
gst_mctx_sink_unlock_stop (GstBaseSink * bsink)
{
  return gst_mctx_bridge_unlock (GST_ELEMENT (bsink),
      GST_MCTX_SINK (bsink)->cancellable, FALSE);
}

static gboolean
gst_mctx_sink_start (GstBaseSink * bsink)
{
  GstMctxSink *sink = GST_MCTX_SINK (bsink);
  MctxPublication *pub = g_object_new (MCTX_TYPE_PUBLICATION, NULL);
  MctxPublication *legs[GST_MCTX_SINK_N_LEGS];
  GInetSocketAddress *local;
  gchar *local_str;

  if (!gst_mctx_bridge_start (GST_ELEMENT (sink), &sink->settings,
          G_OBJECT (pub))) {
    g_object_unref (pub);
    return FALSE;
  }
  if (!gst_mctx_sink_legs_start (sink, pub)) {
    gst_mctx_bridge_discard (pub);
    return FALSE;
  }
  /* each leg paced the same way */
  if (!gst_mctx_sink_pacing_start (sink, legs,
          gst_mctx_sink_legs_collect (sink, pub, legs))) {
    gst_mctx_sink_legs_stop (sink);
    gst_mctx_bridge_discard (pub);
    return FALSE;
  }

  /* transfer none */
  local = mctx_publication_get_local_address (pub);
  local_str = gst_mctx_socket_address_to_string (local ?
      G_SOCKET_ADDRESS (local) : NULL);

  GST_INFO_OBJECT (sink, "sending to %s port %u from %s",
      mctx_publication_get_group (pub), mctx_publication_get_port (pub),
      GST_STR_NULL (local_str));

  g_cancellable_reset (sink->cancellable);

  GST_OBJECT_LOCK (sink);
  sink->pub = pub;
  memset (sink->network_down, 0, sizeof (sink->network_down));
  sink->too_large_skipped = 0;
  sink->last_too_large_warning = 0;
  memset (&sink->last_stats, 0, sizeof (sink->last_stats));
  g_free (sink->source_address);
  sink->source_address = local_str;
  GST_OBJECT_UNLOCK (sink);

  g_object_notify (G_OBJECT (sink), "source-address");
  return TRUE;
}

static gboolean
gst_mctx_sink_stop (GstBaseSink * bsink)
{
  GstMctxSink *sink = GST_MCTX_SINK (bsink);

  gst_mctx_sink_pacing_stop (sink);
  gst_mctx_sink_sdp_stop (sink);
  gst_mctx_sink_legs_stop (sink);
  gst_mctx_bridge_stop (GST_ELEMENT (sink), (gpointer *) & sink->pub,
      &sink->last_stats);

  GST_OBJECT_LOCK (sink);
  g_clear_pointer (&sink->source_address, g_free);
  GST_OBJECT_UNLOCK (sink);
  return TRUE;
}

/* grows the batch arrays; they are never shrunk */
static void
gst_mctx_sink_ensure_capacity (GstMctxSink * sink, guint n_messages,
    guint n_vectors)
{
  if (n_messages > sink->messages_alloc) {
    guint n = MAX (n_messages, MAX (16, sink->messages_alloc * 2));

    sink->messages = g_renew (GOutputMessage, sink->messages, n);
    sink->sizes = g_renew (gsize, sink->sizes, n);
    sink->messages_alloc = n;
  }
  if (n_vectors > sink->vectors_alloc) {
    guint n = MAX (n_vectors, MAX (16, sink->vectors_alloc * 2));

    sink->vectors = g_renew (GOutputVector, sink->vectors, n);
    sink->maps = g_renew (GstMapInfo, sink->maps, n);
    sink->vectors_alloc = n;
  }
}

/* waits until the socket can take more. Called with the PREROLL_LOCK held
 * (from render). OK to retry, FLUSHING when flushing or going to READY. */
static GstFlowReturn
gst_mctx_sink_wait (GstMctxSink * sink, MctxPublication * pub)
{
  GError *err = NULL;

  if (mctx_publication_wait_writable (pub, -1, sink->cancellable, &err))
    return GST_FLOW_OK;

  if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto wait_failed;
  g_clear_error (&err);

  /* unlock() was called, for a flush, a state change to READY or one from
   * PLAYING to PAUSED. Basesink needs the PREROLL_LOCK we hold to go on:
   * wait_preroll() releases it and returns FLUSHING when flushing, or OK
   * once PLAYING again (then unlock_stop() has reset the cancellable). */
  GST_DEBUG_OBJECT (sink, "unlocked while waiting to send");
  return gst_base_sink_wait_preroll (GST_BASE_SINK (sink));

  /* ERRORS */
wait_failed:
  {
    GST_ELEMENT_ERROR (sink, RESOURCE, WRITE,
        ("Error while waiting to send: %s", err->message),
        ("%s", err->message));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
}

/**
 * gst_mctx_sink_handle_send:
 * @pub: the leg sent on
 * @leg: its index (0: the element's own publication)
 * @sent: what the send returned
 * @msg: the first datagram of the send, one of sink->messages (its size is
 *   sink->sizes at the same index)
 * @err: (inout): why it failed, cleared here
 * @flow: (out): what render returns, when this returns -1
 *
 * mctxsink's one policy for what a send means, for every send path (plain,
 * paced): datagrams that went; a full socket is waited out (nothing is
 * dropped for lack of room); a datagram too large is skipped with a
 * rate-limited warning; while the network is down datagrams are dropped
 * with one warning (per leg: a leg that is down does not make the other's
 * sends post "back" messages); anything else is an error.
 *
 * Returns: how many datagrams to move on by (0: send again), or -1 to
 *   stop with @flow
 */
gint
gst_mctx_sink_handle_send (GstMctxSink * sink, MctxPublication * pub,
    guint leg, gint sent, const GOutputMessage * msg, GError ** err,
    GstFlowReturn * flow)
{
  if (sent > 0) {
    if (G_UNLIKELY (sink->network_down[leg])) {
      sink->network_down[leg] = FALSE;
      GST_ELEMENT_INFO (sink, RESOURCE, WRITE,
          ("Sending again: the outgoing interface is back"), (NULL));
    }
    return sent;
  }

  if (sent == 0 || g_error_matches (*err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
    g_clear_error (err);
    GST_LOG_OBJECT (sink, "socket full, waiting");
    *flow = gst_mctx_sink_wait (sink, pub);
    return *flow == GST_FLOW_OK ? 0 : -1;
  }

  if (g_error_matches (*err, MCTX_ERROR, MCTX_ERROR_MESSAGE_TOO_LARGE)) {
    /* every one is counted in stats */
    sink->too_large_skipped++;
    if (gst_mctx_warning_due (&sink->last_too_large_warning)) {
      GST_ELEMENT_WARNING (sink, RESOURCE, WRITE,
          ("Skipped a datagram of %" G_GSIZE_FORMAT " bytes: too large to "
              "send", sink->sizes[msg - sink->messages]),
          ("%s (%" G_GUINT64_FORMAT " skipped so far)", (*err)->message,
              sink->too_large_skipped));
    }
    g_clear_error (err);
    return 1;
  }

  if (g_error_matches (*err, MCTX_ERROR, MCTX_ERROR_NETWORK_DOWN)) {
    /* an interface that goes away (cable, VPN, veth recreated) is not
     * the end of the stream: warn once, drop what cannot be sent, and
     * carry on when the interface (or one of the same name) is back */
    if (!sink->network_down[leg]) {
      sink->network_down[leg] = TRUE;
      GST_ELEMENT_WARNING (sink, RESOURCE, WRITE,
          ("Cannot send, dropping datagrams until the network is back: %s",
              (*err)->message), ("%s", (*err)->message));
    }
    g_clear_error (err);
    return 1;
  }

  GST_ELEMENT_ERROR (sink, RESOURCE, WRITE,
      ("Could not send to the multicast group: %s",
          *err ? (*err)->message : "unknown error"),
      ("%s", *err ? (*err)->message :
          "send returned an error without GError"));
  g_clear_error (err);
  *flow = GST_FLOW_ERROR;
  return -1;
}

static GstFlowReturn
gst_mctx_sink_send (GstMctxSink * sink, guint n_messages)
{
  MctxPublication *pub = sink->pub;
  GstFlowReturn flow = GST_FLOW_OK;
  GError *err = NULL;
  guint off = 0;

  while (off < n_messages) {
    gint sent = mctx_publication_send_messages (pub, sink->messages + off,
        n_messages - off, &err);
    gint step = gst_mctx_sink_handle_send (sink, pub, 0, sent,
        &sink->messages[off], &err, &flow);

    if (step < 0)
      return flow;
    off += step;
  }
  return GST_FLOW_OK;
}

/* maps the memories of @buffers (no copies) into the message arrays, sends
 * them and unmaps */
static GstFlowReturn
gst_mctx_sink_render_buffers (GstMctxSink * sink, GstBuffer ** buffers,
    GstBufferList * list, guint n_buffers)
{
  GstFlowReturn flow;
  guint i, j, n_vectors = 0, n_mapped = 0;

  for (i = 0; i < n_buffers; i++) {
    GstBuffer *buf = buffers ? buffers[i] : gst_buffer_list_get (list, i);

    n_vectors += gst_buffer_n_memory (buf);
  }

  gst_mctx_sink_ensure_capacity (sink, n_buffers, n_vectors);

  for (i = 0; i < n_buffers; i++) {
    GstBuffer *buf = buffers ? buffers[i] : gst_buffer_list_get (list, i);
    guint n_mem = gst_buffer_n_memory (buf);
    GOutputMessage *msg = &sink->messages[i];

    msg->address = NULL;
    msg->vectors = &sink->vectors[n_mapped];
    msg->num_vectors = n_mem;
    msg->bytes_sent = 0;
    msg->control_messages = NULL;
    msg->num_control_messages = 0;
    /* the datagram's size, added up here (one walk of the memories) */
    sink->sizes[i] = 0;

    for (j = 0; j < n_mem; j++) {
      GstMemory *mem = gst_buffer_peek_memory (buf, j);
      GstMapInfo *map = &sink->maps[n_mapped];

      if (!gst_memory_map (mem, map, GST_MAP_READ))
        goto map_failed;
      sink->vectors[n_mapped].buffer = map->data;
      sink->vectors[n_mapped].size = map->size;
      sink->sizes[i] += map->size;
      n_mapped++;
    }
  }

  GST_LOG_OBJECT (sink, "sending %u datagrams (%u vectors)", n_buffers,
      n_vectors);

  if (gst_mctx_sink_pacing_is_active (sink)) {
    flow = gst_mctx_sink_pacing_send (sink,
        buffers ? buffers[0] : gst_buffer_list_get (list, 0), n_buffers);
  } else if (sink->legs)
    flow = gst_mctx_sink_legs_send (sink, n_buffers);
  else
    flow = gst_mctx_sink_send (sink, n_buffers);

done:
  for (i = 0; i < n_mapped; i++)
    gst_memory_unmap (sink->maps[i].memory, &sink->maps[i]);

  return flow;

  /* ERRORS */
map_failed:
  {
    GST_ELEMENT_ERROR (sink, RESOURCE, READ, (NULL),
        ("Could not map a memory of buffer %u for reading", i));
    flow = GST_FLOW_ERROR;
    goto done;
  }
}

static GstFlowReturn
gst_mctx_sink_render (GstBaseSink * bsink, GstBuffer * buffer)
{
  return gst_mctx_sink_render_buffers (GST_MCTX_SINK (bsink), &buffer, NULL, 1);
}

static GstFlowReturn
gst_mctx_sink_render_list (GstBaseSink * bsink, GstBufferList * list)
{
  guint n = gst_buffer_list_length (list);

  if (n == 0)
    return GST_FLOW_OK;

  return gst_mctx_sink_render_buffers (GST_MCTX_SINK (bsink), NULL, list, n);
}

/* the latency pacing adds (gstmctxsinkpacing.c): basesink answers the
 * bin's LATENCY query in its element query */
static gboolean
gst_mctx_sink_query (GstElement * element, GstQuery * query)
{
  if (!GST_ELEMENT_CLASS (parent_class)->query (element, query))
    return FALSE;
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY)
    gst_mctx_sink_pacing_adjust_latency (GST_MCTX_SINK (element), query);
  return TRUE;
}
