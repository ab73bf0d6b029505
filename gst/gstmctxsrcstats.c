/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsrcstats.c: mctxsrc's telemetry. The create loop feeds each batch
 * to an MctxStreamAnalyser (one lock per batch); the "stats" property and
 * the periodic "GstMctxSrcStats" element messages carry the subscription's
 * counters and one structure per analysed stream. Messages are posted from
 * the streaming thread: after a batch when due, from the wait when no data
 * comes (the wait is cut short to the next due time), and once at stop.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsrc.h"
#include "gstmctxsrcmerge.h"

#include <gio/gio.h>

#define GST_CAT_DEFAULT gst_mctx_debug

/* the clock-rate field of the caps (application/x-rtp), 0 when none */
static guint
caps_clock_rate (GstMctxSrc * src)
{
  GValue v = G_VALUE_INIT;
  const GstCaps *caps;
  gint rate = 0;

  gst_mctx_settings_get (&src->settings, GST_OBJECT (src), "caps", &v);
  caps = gst_value_get_caps (&v);
  if (caps && gst_caps_get_size (caps) > 0)
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "clock-rate",
        &rate);
  g_value_unset (&v);
  return rate > 0 ? rate : 0;
}

void
gst_mctx_src_stats_start (GstMctxSrc * src)
{
  MctxStreamAnalyser *analyser = NULL, *old;

  if (gst_mctx_src_get_number (src, "analyse")) {
    guint rate = caps_clock_rate (src);

    analyser = mctx_stream_analyser_new (mctx_subscription_get_port (src->sub));
    if (rate)
      g_object_set (analyser, "clock-rate", rate, NULL);
  }
  GST_OBJECT_LOCK (src);
  old = src->analyser;
  src->analyser = analyser;
  GST_OBJECT_UNLOCK (src);
  g_clear_object (&old);

  src->stats_interval =
      gst_mctx_src_get_number (src, "stats-interval") * GST_MSECOND;
  src->stats_due = g_get_monotonic_time () * 1000 + src->stats_interval;
}

/* The last message of a run (the analyser stays for the stats property). */
void
gst_mctx_src_stats_stop (GstMctxSrc * src)
{
  if (src->stats_interval > 0)
    gst_mctx_src_stats_post (src);
  src->stats_interval = 0;
}

void
gst_mctx_src_stats_feed (GstMctxSrc * src, guint n)
{
  if (src->analyser)
    mctx_stream_analyser_feed_messages (src->analyser, src->messages, n);
}

static GstStructure *
stream_structure (GVariant * dict)
{
  GstStructure *s = gst_structure_new_empty ("stream");
  GVariantIter iter;
  const gchar *key;
  GVariant *value;

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value)) {
    GValue v = G_VALUE_INIT;

    g_dbus_gvariant_to_gvalue (value, &v);
    gst_structure_take_value (s, key, &v);
    g_variant_unref (value);
  }
  return s;
}

static void
add_streams (GstStructure * s, MctxStreamAnalyser * analyser,
    guint64 kernel_drops)
{
  GValue array = G_VALUE_INIT;
  GVariant *streams;
  GVariantIter iter;
  GVariant *dict;

  g_value_init (&array, GST_TYPE_ARRAY);
  if (analyser) {
    mctx_stream_analyser_set_kernel_drops (analyser, kernel_drops);
    streams = g_variant_ref_sink
        (mctx_stream_analyser_get_streams_variant (analyser));
    g_variant_iter_init (&iter, streams);
    while ((dict = g_variant_iter_next_value (&iter))) {
      GValue v = G_VALUE_INIT;

      g_value_init (&v, GST_TYPE_STRUCTURE);
      g_value_take_boxed (&v, stream_structure (dict));
      gst_value_array_append_and_take_value (&array, &v);
      g_variant_unref (dict);
    }
    g_variant_unref (streams);
  }
  gst_structure_take_value (s, "streams", &array);
}

/* The counters of the running subscription (or of the last run) and the
 * analysed streams, in a structure named @name. */
GstStructure *
gst_mctx_src_stats_create (GstMctxSrc * src, const gchar * name)
{
  MctxSubscriptionStats stats;
  MctxStreamAnalyser *analyser;
  GstStructure *s;

  gst_mctx_bridge_get_stats (GST_ELEMENT (src), (gpointer *) & src->sub,
      &src->last_stats, &stats, sizeof (stats));
  GST_OBJECT_LOCK (src);
  analyser = src->analyser ? g_object_ref (src->analyser) : NULL;
  GST_OBJECT_UNLOCK (src);

  s = gst_structure_new_empty (name);
  gst_mctx_structure_set_counters (s, gst_mctx_subscription_counters, &stats,
      sizeof (stats), 1);
  add_streams (s, analyser, stats.kernel_drops);
  g_clear_object (&analyser);
  /* with redundant-uri: the merge's figures and a "legs" array */
  gst_mctx_src_merge_add_stats (src, s);
  return s;
}

void
gst_mctx_src_stats_post (GstMctxSrc * src)
{
  gst_element_post_message (GST_ELEMENT_CAST (src),
      gst_message_new_element (GST_OBJECT_CAST (src),
          gst_mctx_src_stats_create (src, "GstMctxSrcStats")));
}

/* After a batch or a wait: posts the message when it is due. */
void
gst_mctx_src_stats_maybe_post (GstMctxSrc * src)
{
  gint64 now;

  if (src->stats_interval == 0)
    return;
  now = g_get_monotonic_time () * 1000;
  if (now < src->stats_due)
    return;
  gst_mctx_src_stats_post (src);
  src->stats_due += src->stats_interval;
  /* after a stall, the next one a period from now rather than a burst */
  if (src->stats_due <= now)
    src->stats_due = now + src->stats_interval;
}

/* How long (microseconds, -1 = forever) a wait of @wait_us may last so that
 * the next message is not late. */
gint64
gst_mctx_src_stats_wait_limit (GstMctxSrc * src, gint64 wait_us)
{
  gint64 left;

  if (src->stats_interval == 0)
    return wait_us;
  left = (src->stats_due - g_get_monotonic_time () * 1000) / 1000;
  left = MAX (left, 1);
  return wait_us < 0 ? left : MIN (wait_us, left);
}
