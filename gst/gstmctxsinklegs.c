/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsinklegs.c: mctxsink with #GstMctxSink:redundant-uri sends every
 * buffer on two legs (SMPTE ST 2022-7), each through its own publication
 * and the same batched, non-blocking path, with mctx_redundant_send(): a
 * leg whose socket is full never delays the other beyond the lag budget,
 * and never makes it drop anything.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsinklegs.h"
#include "gstmctxlegs.h"


#define GST_CAT_DEFAULT gst_mctx_debug

/* how long a blocked leg may lag once the other is done with a batch;
 * then the rest of the batch is dropped on that leg only. A leg that
 * dropped gets no budget (drops at once what it cannot take) until it
 * takes a whole batch again: a leg that stays blocked must not hold the
 * other back by the budget on every batch. */
#define LEG_LAG_BUDGET_US (20 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  MctxPublication *pub;
  gchar *uri;
  guint64 dropped;
  guint64 failed;
  gint64 last_warning;
  MctxPublicationStats last_stats;
} SinkLeg;

struct _GstMctxSinkLegs
{
  SinkLeg legs[GST_MCTX_SINK_N_LEGS];
  gboolean stopped;
  /* a leg dropped in the last batch: no lag budget for this one */
  gboolean lagging;
};

/* the element-wide values a leg's URI does not name */
static const gchar *const inherited[] = {
  "ttl", "loop", "dscp", "send-buffer-size", NULL
};

/**
 * gst_mctx_sink_legs_start:
 * @leg0: the element's own publication, open
 *
 * Without redundant-uri: nothing (and no figures of an earlier run).
 * Otherwise opens leg 1 from its URI; on failure posts an error naming
 * redundant-uri.
 */
gboolean
gst_mctx_sink_legs_start (GstMctxSink * sink, MctxPublication * leg0)
{
  GstMctxSinkLegs *l;
  GObject *pub;
  GError *err = NULL;
  gchar *uri;
  guint i;

  uri = gst_mctx_settings_get_string (&sink->settings, GST_OBJECT (sink),
      "redundant-uri");
  if (uri == NULL) {
    gst_mctx_sink_legs_free (sink);
    return TRUE;
  }

  pub = g_object_new (MCTX_TYPE_PUBLICATION, NULL);
  for (i = 0; inherited[i] != NULL; i++) {
    GValue v = G_VALUE_INIT;

    g_object_get_property (G_OBJECT (leg0), inherited[i], &v);
    g_object_set_property (pub, inherited[i], &v);
    g_value_unset (&v);
  }
  if (!gst_mctx_legs_apply_uri (G_OBJECT (sink), sink->settings.table,
          "source", uri, pub, &err)
      || !mctx_publication_open (MCTX_PUBLICATION (pub), &err))
    goto failed;

  gst_mctx_sink_legs_free (sink);
  l = g_new0 (GstMctxSinkLegs, 1);
  l->legs[0].pub = g_object_ref (leg0);
  l->legs[0].uri = gst_uri_handler_get_uri (GST_URI_HANDLER (sink));
  l->legs[1].pub = MCTX_PUBLICATION (pub);
  l->legs[1].uri = uri;

  GST_INFO_OBJECT (sink, "sending on leg 0 %s and leg 1 %s",
      l->legs[0].uri, uri);

  GST_OBJECT_LOCK (sink);
  sink->legs = l;
  GST_OBJECT_UNLOCK (sink);
  return TRUE;

failed:
  gst_mctx_bridge_post_settings_error (GST_ELEMENT (sink), "redundant-uri",
      uri, err);
  g_clear_error (&err);
  gst_mctx_bridge_discard (pub);
  g_free (uri);
  return FALSE;
}

/* keeps the counters; closes leg 1 (leg 0 is the element's own) */
void
gst_mctx_sink_legs_stop (GstMctxSink * sink)
{
  GstMctxSinkLegs *l = sink->legs;
  guint i;

  if (l == NULL || l->stopped)
    return;
  GST_OBJECT_LOCK (sink);
  for (i = 0; i < GST_MCTX_SINK_N_LEGS; i++)
    gst_mctx_lib_get_stats (l->legs[i].pub, &l->legs[i].last_stats);
  l->stopped = TRUE;
  GST_OBJECT_UNLOCK (sink);
  mctx_publication_close (l->legs[1].pub);
}

void
gst_mctx_sink_legs_free (GstMctxSink * sink)
{
  GstMctxSinkLegs *l;
  guint i;

  gst_mctx_sink_legs_stop (sink);
  l = gst_mctx_bridge_unpublish (GST_ELEMENT (sink), (gpointer *) & sink->legs);
  for (i = 0; l != NULL && i < GST_MCTX_SINK_N_LEGS; i++) {
    g_clear_object (&l->legs[i].pub);
    g_free (l->legs[i].uri);
  }
  g_free (l);
}

static void
leg_warning (GstMctxSink * sink, guint i, SinkLeg * leg,
    const MctxRedundantLegResult * r)
{
  if (!gst_mctx_warning_due (&leg->last_warning))
    return;
  GST_ELEMENT_WARNING (sink, RESOURCE, WRITE,
      ("Leg %u (%s) could not send %u datagrams; the other leg sent them",
          i, leg->uri, r->failed + r->dropped),
      ("%s (%" G_GUINT64_FORMAT " failed, %" G_GUINT64_FORMAT
          " dropped as blocked on this leg so far)",
          r->error ? r->error->message : "blocked past the lag budget",
          leg->failed, leg->dropped));
}

/**
 * gst_mctx_sink_legs_send_run:
 * @first: the first datagram of the run in sink->messages
 * @n_messages: the datagrams of the run
 *
 * Sends sink->messages[first..first+n_messages) on both legs, with
 * mctx_redundant_send()'s rules (for the unpaced path and the paced
 * user-space one).
 *
 * Returns: %FALSE when unlocked (flush, or leaving PLAYING) while both
 *   legs were blocked: the rest of the run is not sent
 */
gboolean
gst_mctx_sink_legs_send_run (GstMctxSink * sink, guint first,
    guint n_messages)
{
  GstMctxSinkLegs *l = sink->legs;
  MctxPublication *pubs[GST_MCTX_SINK_N_LEGS];
  MctxRedundantLegResult res[GST_MCTX_SINK_N_LEGS];
  GError *err = NULL;
  gboolean ok;
  guint i;

  for (i = 0; i < GST_MCTX_SINK_N_LEGS; i++)
    pubs[i] = l->legs[i].pub;

  ok = mctx_redundant_send (pubs, GST_MCTX_SINK_N_LEGS, sink->messages + first,
      n_messages, l->lagging ? 0 : LEG_LAG_BUDGET_US, sink->cancellable, res,
      &err);

  l->lagging = FALSE;
  for (i = 0; i < GST_MCTX_SINK_N_LEGS; i++) {
    SinkLeg *leg = &l->legs[i];

    if (res[i].dropped > 0)
      l->lagging = TRUE;

    if (res[i].failed > 0 || res[i].dropped > 0) {
      leg->failed += res[i].failed;
      leg->dropped += res[i].dropped;
      leg_warning (sink, i, leg, &res[i]);
    }
    g_clear_error (&res[i].error);
  }

  if (!ok) {
    GST_DEBUG_OBJECT (sink, "unlocked while waiting to send: %s",
        err ? err->message : "");
    g_clear_error (&err);
  }
  return ok;
}

/**
 * gst_mctx_sink_legs_send:
 *
 * Sends the batch prepared in sink->messages on both legs.
 */
GstFlowReturn
gst_mctx_sink_legs_send (GstMctxSink * sink, guint n_messages)
{
  if (gst_mctx_sink_legs_send_run (sink, 0, n_messages))
    return GST_FLOW_OK;

  /* unlocked while both legs were blocked: the rest of this batch is not
   * sent; basesink needs the PREROLL_LOCK we hold to go on (as in
   * gst_mctx_sink_wait()) */
  return gst_base_sink_wait_preroll (GST_BASE_SINK (sink));
}

static GstStructure *
leg_structure (guint i, const SinkLeg * leg, const MctxPublicationStats * st)
{
  return gst_structure_new ("application/x-mctx-sink-leg-stats",
      "leg", G_TYPE_UINT, i,
      "uri", G_TYPE_STRING, leg->uri ? leg->uri : "",
      "packets-sent", G_TYPE_UINT64, st->packets_sent,
      "bytes-sent", G_TYPE_UINT64, st->bytes_sent,
      "would-block", G_TYPE_UINT64, st->would_block,
      "send-errors", G_TYPE_UINT64, st->send_errors,
      "dropped", G_TYPE_UINT64, leg->dropped,
      "failed", G_TYPE_UINT64, leg->failed, NULL);
}

/**
 * gst_mctx_sink_legs_add_stats:
 *
 * With redundant-uri: the stats structure @s (built from leg 0) gets
 * "legs", a #GST_TYPE_ARRAY of one structure per leg; the top-level
 * counters stay leg 0's.
 */
void
gst_mctx_sink_legs_add_stats (GstMctxSink * sink, GstStructure * s)
{
  MctxPublicationStats st[GST_MCTX_SINK_N_LEGS];
  GstStructure *ls[GST_MCTX_SINK_N_LEGS];
  GValue legs = G_VALUE_INIT;
  GstMctxSinkLegs *l;
  guint i;

  GST_OBJECT_LOCK (sink);
  l = sink->legs;
  if (l == NULL) {
    GST_OBJECT_UNLOCK (sink);
    return;
  }
  for (i = 0; i < GST_MCTX_SINK_N_LEGS; i++) {
    if (l->stopped)
      st[i] = l->legs[i].last_stats;
    else
      mctx_publication_get_stats (l->legs[i].pub, &st[i]);
    ls[i] = leg_structure (i, &l->legs[i], &st[i]);
  }
  GST_OBJECT_UNLOCK (sink);

  g_value_init (&legs, GST_TYPE_ARRAY);
  for (i = 0; i < GST_MCTX_SINK_N_LEGS; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, ls[i]);
    gst_value_array_append_and_take_value (&legs, &v);
  }
  gst_structure_take_value (s, "legs", &legs);
}

/**
 * gst_mctx_sink_legs_collect:
 * @leg0: the element's own publication
 * @legs: (out): filled with the open legs, @leg0 first
 *
 * For what handles every leg alike (pacing, SDP). Start, or with the
 * object lock.
 *
 * Returns: the number of legs, 1 without redundant-uri
 */
guint
gst_mctx_sink_legs_collect (GstMctxSink * sink, MctxPublication * leg0,
    MctxPublication * legs[GST_MCTX_SINK_N_LEGS])
{
  GstMctxSinkLegs *l = sink->legs;
  guint n = 1, i;

  legs[0] = leg0;
  if (l == NULL || l->stopped)
    return 1;
  for (i = 1; i < GST_MCTX_SINK_N_LEGS; i++)
    legs[n++] = l->legs[i].pub;
  return n;
}
