/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-mctxsrc
 * @title: mctxsrc
 * @see_also: mctxsink, udpsrc
 *
 * mctxsrc receives UDP datagrams sent to an IPv4 or IPv6 multicast group and
 * pushes each one as a buffer, using libmctx. It is a drop-in replacement
 * for udpsrc in multicast pipelines, with these additions:
 *
 * - only datagrams sent to the group, from the allowed sources and arriving
 *   on the joined interfaces are delivered: unicast datagrams to the same
 *   port and other groups joined on the host are dropped (and counted in
 *   "filtered" of #GstMctxSrc:stats);
 * - source-specific multicast (#GstMctxSrc:sources, also for IPv6) and
 *   source exclusion (#GstMctxSrc:exclude-sources);
 * - the group can be joined on several interfaces, or on all of them;
 * - the datagrams waiting in the socket are read in batches with one system
 *   call and pushed as a buffer list;
 * - datagrams larger than #GstMctxSrc:mtu are reported and dropped instead
 *   of being cut, and the datagrams the kernel dropped because the receive
 *   buffer was full are counted ("kernel-drops" in #GstMctxSrc:stats).
 *
 * Each buffer is timestamped (DTS and PTS) with the running time at which
 * the kernel received its datagram (its socket receive time, mapped onto the
 * pipeline clock), so the buffers of one batch keep their own arrival
 * times. Buffers carry the sender's address in a #GstNetAddressMeta unless
 * #GstMctxSrc:retrieve-sender-address is %FALSE, and the kernel time in a
 * #GstReferenceTimestampMeta when #GstMctxSrc:socket-timestamp asks for it.
 *
 * The datagrams of a batch are read into one large memory that the buffers
 * share (see #GstMctxSrc:preserve-packetization for byte streams).
 *
 * Every datagram is fed to a stream analyser (RTP sequence loss, duplicates,
 * reordering, jitter, SSRC changes; MPEG-TS continuity) unless
 * #GstMctxSrc:analyse is %FALSE; the streams are in the "streams" field of
 * #GstMctxSrc:stats, and #GstMctxSrc:stats-interval posts the statistics
 * as "GstMctxSrcStats" element messages.
 *
 * When #GstMctxSrc:timeout is set and no datagram arrives for that long, the
 * element posts an element message named "GstMctxSrcTimeout" with a
 * #guint64 field "timeout" (the timeout in nanoseconds), and keeps waiting.
 *
 * When a joined interface is deleted, and again when an interface of the
 * same name comes back and is joined again (reception resumes by itself),
 * the element posts a "GstMctxSrcInterfaceChanged" element message with
 * fields "interface" (string), "index" (uint) and "joined" (boolean).
 *
 * mctxsrc handles `mctx://` URIs: `mctx://[sources@]group:port?key=value`,
 * with IPv6 addresses in brackets, e.g. `mctx://[2001:db8::1]@[ff3e::1]:5004`.
 * The part before '@' sets #GstMctxSrc:sources; the query keys are the
 * property names interface, interface-index, sources, exclude-sources,
 * buffer-size, mtu and timeout.
 *
 * ## Example launch lines
 * |[
 * gst-launch-1.0 -v audiotestsrc ! audioconvert ! rtpL16pay ! mctxsink address=239.1.2.3 port=5004 interface=eth0
 * ]| A sender. The matching receiver:
 * |[
 * gst-launch-1.0 -v mctxsrc address=239.1.2.3 port=5004 interface=eth0 caps="application/x-rtp,media=audio,clock-rate=44100,encoding-name=L16,channels=1" ! rtpjitterbuffer ! rtpL16depay ! audioconvert ! autoaudiosink
 * ]|
 * |[
 * gst-launch-1.0 -v mctxsrc uri="mctx://192.0.2.10@232.1.1.1:5004?interface=eth0" caps="application/x-rtp,media=video,clock-rate=90000,encoding-name=MP2T" ! rtpjitterbuffer ! rtpmp2tdepay ! tsdemux ! decodebin ! autovideosink
 * ]| Receives the source-specific stream of 192.0.2.10 on 232.1.1.1.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsrc.h"
#include "gstmctxsrcmerge.h"
#include "gstmctxbridge.h"
#include "gstmctxelements.h"
#include "gstmctxuri.h"
#include "gstmctxsdpprops.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_mctx_debug

static GstMctxUriHandlerInfo src_uri_info = { GST_URI_SRC, "sources", NULL };

/* longest unlock() waits for basesrc to take a submitted list */
#define LIST_HANDOFF_TIMEOUT (100 * G_TIME_SPAN_MILLISECOND)

/* the running GStreamer's basesrc needs the list handoff (see
 * gst_mctx_src_list_handoff_wait()) */
static gboolean list_needs_guard;

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);

static void gst_mctx_src_finalize (GObject * object);
static void gst_mctx_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_mctx_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

static GstCaps *gst_mctx_src_get_caps (GstBaseSrc * bsrc, GstCaps * filter);
static gboolean gst_mctx_src_start (GstBaseSrc * bsrc);
static gboolean gst_mctx_src_stop (GstBaseSrc * bsrc);
static gboolean gst_mctx_src_unlock (GstBaseSrc * bsrc);
static gboolean gst_mctx_src_unlock_stop (GstBaseSrc * bsrc);
static GstFlowReturn gst_mctx_src_create (GstPushSrc * psrc, GstBuffer ** buf);
static GstStateChangeReturn gst_mctx_src_change_state (GstElement * element,
    GstStateChange transition);
static gboolean gst_mctx_src_send_event (GstElement * element,
    GstEvent * event);
static void gst_mctx_src_list_handoff_wait (GstMctxSrc * src);
static void gst_mctx_src_get_times (GstBaseSrc * bsrc, GstBuffer * buffer,
    GstClockTime * start, GstClockTime * end);

#define gst_mctx_src_parent_class parent_class
G_DEFINE_TYPE_WITH_CODE (GstMctxSrc, gst_mctx_src, GST_TYPE_PUSH_SRC,
    gst_mctx_uri_handler_add (g_define_type_id, &src_uri_info));

GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (mctxsrc, "mctxsrc", GST_RANK_PRIMARY,
    GST_TYPE_MCTX_SRC, mctx_element_init (plugin));

static void
gst_mctx_src_class_init (GstMctxSrcClass * klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstElementClass *gstelement_class = (GstElementClass *) klass;
  GstBaseSrcClass *gstbasesrc_class = (GstBaseSrcClass *) klass;
  GstPushSrcClass *gstpushsrc_class = (GstPushSrcClass *) klass;

  {
    guint major, minor, micro, nano;

    gst_version (&major, &minor, &micro, &nano);
    list_needs_guard = major == 1 && (minor < 25 || (minor == 25 && micro < 1));
  }

  gobject_class->set_property = gst_mctx_src_set_property;
  gobject_class->get_property = gst_mctx_src_get_property;
  gobject_class->finalize = gst_mctx_src_finalize;

  src_uri_info.query_properties =
      gst_mctx_src_install_properties (gobject_class);
  gst_mctx_src_batch_class_init ();

  gst_element_class_add_static_pad_template (gstelement_class, &src_template);

  gst_element_class_set_static_metadata (gstelement_class,
      "Multicast source", "Source/Network",
      "Receives UDP datagrams sent to an IPv4 or IPv6 multicast group",
      "mctx developers");

  gstelement_class->change_state =
      GST_DEBUG_FUNCPTR (gst_mctx_src_change_state);
  gstelement_class->send_event = GST_DEBUG_FUNCPTR (gst_mctx_src_send_event);
  gstbasesrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_mctx_src_get_caps);
  gstbasesrc_class->start = GST_DEBUG_FUNCPTR (gst_mctx_src_start);
  gstbasesrc_class->stop = GST_DEBUG_FUNCPTR (gst_mctx_src_stop);
  gstbasesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_mctx_src_unlock);
  gstbasesrc_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_mctx_src_unlock_stop);
  gstbasesrc_class->get_times = GST_DEBUG_FUNCPTR (gst_mctx_src_get_times);

  gstpushsrc_class->create = GST_DEBUG_FUNCPTR (gst_mctx_src_create);
}

static void
gst_mctx_src_init (GstMctxSrc * src)
{
  gst_mctx_settings_init (&src->settings, G_OBJECT (src),
      gst_mctx_src_settings);
  src->cancellable = g_cancellable_new ();
  g_mutex_init (&src->list_lock);
  g_cond_init (&src->list_cond);

  gst_base_src_set_live (GST_BASE_SRC (src), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (src), GST_FORMAT_TIME);
  gst_base_src_set_do_timestamp (GST_BASE_SRC (src), TRUE);
}

static void
gst_mctx_src_finalize (GObject * object)
{
  GstMctxSrc *src = GST_MCTX_SRC (object);

  gst_mctx_src_batch_stop (src);
  gst_mctx_src_merge_free (src);
  g_clear_pointer (&src->sub, gst_mctx_bridge_discard);
  g_clear_object (&src->analyser);
  gst_mctx_settings_clear (&src->settings);
  g_clear_object (&src->cancellable);
  g_mutex_clear (&src->list_lock);
  g_cond_clear (&src->list_cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_mctx_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstMctxSrc *src = GST_MCTX_SRC (object);

  if (!gst_mctx_settings_set_property (&src->settings,
          GST_OBJECT (src), pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (prop_id == SRC_PROP_CAPS)
    gst_pad_mark_reconfigure (GST_BASE_SRC_PAD (src));
  else {
    gst_mctx_src_sdp_property_set (src, pspec);
    g_atomic_int_set (&src->props_changed, 1);
  }
}

/* From the streaming thread (libmctx handles interface events inside
 * its wait): tell the application. */
static void
gst_mctx_src_interface_changed (MctxSubscription * sub, const gchar * name,
    guint index, gboolean joined, GstMctxSrc * src)
{
  GST_INFO_OBJECT (src, "interface %s (index %u) %s", name, index,
      joined ? "joined again" : "is gone");
  gst_element_post_message (GST_ELEMENT_CAST (src),
      gst_message_new_element (GST_OBJECT_CAST (src),
          gst_structure_new ("GstMctxSrcInterfaceChanged",
              "interface", G_TYPE_STRING, name,
              "index", G_TYPE_UINT, index,
              "joined", G_TYPE_BOOLEAN, joined, NULL)));
}

static void
gst_mctx_src_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstMctxSrc *src = GST_MCTX_SRC (object);

  if (prop_id == SRC_PROP_STATS)
    g_value_take_boxed (value, gst_mctx_src_stats_create (src,
            "application/x-mctx-src-stats"));
  else if (!gst_mctx_settings_get_property (&src->settings,
          GST_OBJECT (src), pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static GstCaps *
gst_mctx_src_get_caps (GstBaseSrc * bsrc, GstCaps * filter)
{
  GstMctxSrc *src = GST_MCTX_SRC (bsrc);
  GstCaps *caps, *result;
  GValue v = G_VALUE_INIT;

  gst_mctx_settings_get (&src->settings, GST_OBJECT (src), "caps", &v);
  caps = g_value_dup_boxed (&v);
  g_value_unset (&v);

  if (caps) {
    if (filter) {
      result = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
      gst_caps_unref (caps);
    } else {
      result = caps;
    }
  } else {
    result = filter ? gst_caps_ref (filter) : gst_caps_new_any ();
  }

  return result;
}

static gboolean
gst_mctx_src_unlock (GstBaseSrc * bsrc)
{
  GstMctxSrc *src = GST_MCTX_SRC (bsrc);

  gboolean ret;

  /* under list_lock: create() checks the cancellable there */
  g_mutex_lock (&src->list_lock);
  ret = gst_mctx_bridge_unlock (GST_ELEMENT (src), src->cancellable, TRUE);
  gst_mctx_src_list_handoff_wait (src);
  g_mutex_unlock (&src->list_lock);

  return ret;
}

static gboolean
gst_mctx_src_unlock_stop (GstBaseSrc * bsrc)
{
  return gst_mctx_bridge_unlock (GST_ELEMENT (bsrc),
      GST_MCTX_SRC (bsrc)->cancellable, FALSE);
}

/* an unsigned, enum or boolean property the element reads itself */
guint64
gst_mctx_src_get_number (GstMctxSrc * src, const gchar * property)
{
  return gst_mctx_settings_get_number (&src->settings, GST_OBJECT (src),
      property);
}

static gboolean
gst_mctx_src_start (GstBaseSrc * bsrc)
{
  GstMctxSrc *src = GST_MCTX_SRC (bsrc);
  MctxSubscription *sub;
  gint requested = 0, actual;

  if (!gst_mctx_src_udp_start (src) || !gst_mctx_src_sdp_check_start (src))
    return FALSE;

  sub = g_object_new (MCTX_TYPE_SUBSCRIPTION, NULL);
  /* every buffer is stamped with its datagram's kernel receive time */
  g_object_set (sub, "timestamps", TRUE, NULL);
  g_signal_connect (sub, "interface-changed",
      G_CALLBACK (gst_mctx_src_interface_changed), src);

  if (!gst_mctx_bridge_start (GST_ELEMENT (src), &src->settings,
          G_OBJECT (sub))) {
    g_object_unref (sub);
    return FALSE;
  }

  g_object_get (sub, "receive-buffer-size", &requested, NULL);
  actual = mctx_subscription_get_actual_receive_buffer_size (sub);
  GST_DEBUG_OBJECT (src, "receive buffer: requested %d, have %d", requested,
      actual);
  if (requested > 0 && actual >= 0 && actual < requested) {
    GST_ELEMENT_WARNING (src, RESOURCE, SETTINGS,
        ("Could not get a receive buffer of %d bytes for property "
            "'buffer-size', the kernel granted %d bytes", requested, actual),
        ("raise net.core.rmem_max or give the process CAP_NET_ADMIN"));
  }

  src->cur_mtu = gst_mctx_src_get_number (src, "mtu");
  src->cur_batch = gst_mctx_src_get_number (src, "batch-size");
  src->last_short = FALSE;
  src->truncated_seen = 0;
  src->last_truncated_warning = 0;
  g_atomic_int_set (&src->props_changed, 1);
  /* the merge first: with it on, the batch needs no receive memory */
  if (!gst_mctx_src_merge_start (src, sub))
    goto merge_failed;
  if (!gst_mctx_src_batch_start (src))
    goto alloc_failed;

  GST_INFO_OBJECT (src, "receiving %s port %u",
      mctx_subscription_get_group (sub), mctx_subscription_get_port (sub));

  GST_OBJECT_LOCK (src);
  src->sub = sub;
  memset (&src->last_stats, 0, sizeof (src->last_stats));
  GST_OBJECT_UNLOCK (src);
  gst_mctx_src_stats_start (src);
  return TRUE;

  /* ERRORS */
alloc_failed:
  GST_ELEMENT_ERROR (src, RESOURCE, NO_SPACE_LEFT, (NULL),
      ("Could not allocate %u datagrams of %u bytes (properties "
          "'batch-size' and 'mtu')", src->cur_batch, src->cur_mtu));
  /* only a one-leg run gets here (a merge's batch allocates nothing);
   * fall through: the same undoing */
  gst_mctx_src_batch_stop (src);
merge_failed:
  {
    gst_mctx_bridge_discard (sub);
    return FALSE;
  }
}

static gboolean
gst_mctx_src_stop (GstBaseSrc * bsrc)
{
  GstMctxSrc *src = GST_MCTX_SRC (bsrc);

  /* the merge first: its last figures go into the final stats message */
  gst_mctx_src_merge_stop (src);
  gst_mctx_src_stats_stop (src);
  gst_mctx_src_batch_stop (src);

  gst_mctx_bridge_stop (GST_ELEMENT (src), (gpointer *) & src->sub,
      &src->last_stats);
  return TRUE;
}

/* GstBaseSrc before 1.25.1 unrefs the NULL buffer create() returns after
 * gst_base_src_submit_buffer_list() (a GStreamer-CRITICAL) when, back under
 * its live lock, it finds the element no longer PLAYING and the wait for
 * PLAYING then fails (going to READY). So on those versions a list is only
 * submitted while PLAYING and not unlocked, and leaving PLAYING (and
 * unlock()) first waits until basesrc is past that check, which
 * get_times() reports: basesrc calls it next, under the live lock. The wait
 * is bounded in case basesrc takes another way out (a pending EOS). */
static void
gst_mctx_src_list_handoff_wait (GstMctxSrc * src)
{
  gint64 deadline = g_get_monotonic_time () + LIST_HANDOFF_TIMEOUT;

  while (src->list_in_flight
      && g_cond_wait_until (&src->list_cond, &src->list_lock, deadline));
  src->list_in_flight = FALSE;
}

static gboolean
gst_mctx_src_list_handoff_begin (GstMctxSrc * src)
{
  gboolean ok;

  g_mutex_lock (&src->list_lock);
  ok = src->playing && !g_cancellable_is_cancelled (src->cancellable);
  src->list_in_flight = ok;
  g_mutex_unlock (&src->list_lock);
  return ok;
}

static void
gst_mctx_src_list_handoff_end (GstMctxSrc * src)
{
  g_mutex_lock (&src->list_lock);
  src->list_in_flight = FALSE;
  g_cond_broadcast (&src->list_cond);
  g_mutex_unlock (&src->list_lock);
}

/* a list for basesrc, from the merge path (gstmctxsrcmerge.c) */
GstFlowReturn
gst_mctx_src_submit_list (GstMctxSrc * src, GstBufferList * list)
{
  if (G_UNLIKELY (list_needs_guard) && !gst_mctx_src_list_handoff_begin (src)) {
    gst_buffer_list_unref (list);
    return GST_FLOW_FLUSHING;
  }
  gst_base_src_submit_buffer_list (GST_BASE_SRC (src), list);
  return GST_FLOW_OK;
}

static void
gst_mctx_src_get_times (GstBaseSrc * bsrc, GstBuffer * buffer,
    GstClockTime * start, GstClockTime * end)
{
  GstMctxSrc *src = GST_MCTX_SRC (bsrc);

  /* no clock sync: the buffers are stamped with the time they arrived */
  *start = *end = GST_CLOCK_TIME_NONE;
  if (G_UNLIKELY (src->list_in_flight))
    gst_mctx_src_list_handoff_end (src);
}

/* an application's EOS: the statistics up to now, before the pipeline
 * winds down (stop() posts them again) */
static gboolean
gst_mctx_src_send_event (GstElement * element, GstEvent * event)
{
  GstMctxSrc *src = GST_MCTX_SRC (element);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && src->stats_interval > 0)
    gst_mctx_src_stats_post (src);
  return GST_ELEMENT_CLASS (parent_class)->send_event (element, event);
}

static GstStateChangeReturn
gst_mctx_src_change_state (GstElement * element, GstStateChange transition)
{
  GstMctxSrc *src = GST_MCTX_SRC (element);

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      g_mutex_lock (&src->list_lock);
      src->playing = TRUE;
      g_mutex_unlock (&src->list_lock);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* before basesrc clears live_running */
      g_mutex_lock (&src->list_lock);
      src->playing = FALSE;
      gst_mctx_src_list_handoff_wait (src);
      g_mutex_unlock (&src->list_lock);
      break;
    default:
      break;
  }
  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}

/* the PLAYING-mutable properties create() uses, read again after a change */
static void
gst_mctx_src_reload (GstMctxSrc * src)
{
  if (!g_atomic_int_compare_and_exchange (&src->props_changed, 1, 0))
    return;
  src->timeout = gst_mctx_src_get_number (src, "timeout");
  src->want_sender = gst_mctx_src_get_number (src, "retrieve-sender-address");
  src->socket_timestamp = gst_mctx_src_get_number (src, "socket-timestamp");
}

/* The element message for #GstMctxSrc:timeout (both receive paths). */
void
gst_mctx_src_post_timeout (GstMctxSrc * src, guint64 timeout)
{
  GST_DEBUG_OBJECT (src, "no data for %" GST_TIME_FORMAT,
      GST_TIME_ARGS (timeout));
  gst_element_post_message (GST_ELEMENT_CAST (src),
      gst_message_new_element (GST_OBJECT_CAST (src),
          gst_structure_new ("GstMctxSrcTimeout",
              "timeout", G_TYPE_UINT64, timeout, NULL)));
}

/* What create() returns when a wait failed: FLUSHING when unlock()
 * cancelled it, else an element error. Clears *err. */
GstFlowReturn
gst_mctx_src_wait_failed (GstMctxSrc * src, GError ** err)
{
  if (g_error_matches (*err, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    GST_DEBUG_OBJECT (src, "unlocked while waiting for data");
    g_clear_error (err);
    return GST_FLOW_FLUSHING;
  }
  GST_ELEMENT_ERROR (src, RESOURCE, READ, (NULL),
      ("Error while waiting for data: %s", (*err)->message));
  g_clear_error (err);
  return GST_FLOW_ERROR;
}

static GstFlowReturn
gst_mctx_src_create (GstPushSrc * psrc, GstBuffer ** outbuf)
{
  GstMctxSrc *src = GST_MCTX_SRC (psrc);
  MctxSubscription *sub = src->sub;
  GstBufferList *list = NULL;
  GstBuffer *first = NULL;
  GError *err = NULL;
  gint64 wait_start = 0, timeout_us, wait_us, now;
  gint n, n_out;

  *outbuf = NULL;
  gst_mctx_src_reload (src);
  if (src->merge)
    return gst_mctx_src_merge_create (src, outbuf);

again:
  gst_mctx_src_reload (src);
  if (!gst_mctx_src_batch_prepare (src))
    goto alloc_failed;

  /* At high rates read straight away (data is waiting: a poll would be
   * wasted); after a short read the socket is likely empty, so poll first
   * rather than spend a read on nothing. */
  if (src->last_short) {
    src->last_short = FALSE;
    goto wait;
  }
  n = mctx_subscription_receive_messages (sub, src->messages, src->n_slots,
      &err);

  if (n < 0) {
    if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
      goto receive_failed;
    g_clear_error (&err);

  wait:
    /* the timeout counts from the start of the wait; the wait is cut
     * short when a stats message is due, and then goes on */
    now = g_get_monotonic_time ();
    if (wait_start == 0)
      wait_start = now;
    timeout_us = src->timeout > 0 ? (gint64) MAX (src->timeout / GST_USECOND,
        1) : -1;
    wait_us = timeout_us < 0 ? -1 : MAX (wait_start + timeout_us - now, 1);
    wait_us = gst_mctx_src_stats_wait_limit (src, wait_us);

    if (!mctx_subscription_wait_readable (sub, wait_us, src->cancellable, &err)) {
      if (err == NULL || g_error_matches (err, G_IO_ERROR,
              G_IO_ERROR_TIMED_OUT)) {
        g_clear_error (&err);
        gst_mctx_src_stats_maybe_post (src);
        now = g_get_monotonic_time ();
        if (timeout_us >= 0 && now - wait_start >= timeout_us) {
          gst_mctx_src_post_timeout (src, src->timeout);
          wait_start = now;
        }
        goto again;
      }
      return gst_mctx_src_wait_failed (src, &err);
    }
    /* something arrived (even if it is then filtered): a new timeout */
    wait_start = 0;
    goto again;
  }

  if (n == 0) {
    GST_LOG_OBJECT (src, "all waiting datagrams were filtered");
    goto again;
  }
  src->last_short = (guint) n < src->n_slots;

  gst_mctx_src_stats_feed (src, n);
  n_out = gst_mctx_src_batch_take (src, n, &first, &list);
  gst_mctx_src_stats_maybe_post (src);
  if (n_out == 0)
    goto again;

  if (list) {
    GST_LOG_OBJECT (src, "pushing a list of %d buffers", n_out);
    return gst_mctx_src_submit_list (src, list);
  } else {
    GST_LOG_OBJECT (src, "pushing a buffer of %" G_GSIZE_FORMAT " bytes",
        gst_buffer_get_size (first));
    *outbuf = first;
  }

  return GST_FLOW_OK;

  /* ERRORS */
alloc_failed:
  {
    GST_ELEMENT_ERROR (src, RESOURCE, NO_SPACE_LEFT, (NULL),
        ("Could not allocate %u datagrams of %u bytes", src->n_slots,
            src->cur_mtu));
    return GST_FLOW_ERROR;
  }
receive_failed:
  {
    GST_ELEMENT_ERROR (src, RESOURCE, READ, (NULL),
        ("Could not receive: %s", err ? err->message : "unknown error"));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
}
