/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsinkpacing.h: mctxsink's paced sending (issue #14): the pacing
 * properties, one MctxPacer per run, and the send loop that holds each
 * datagram until its departure time, for one leg or several.
 */
#pragma once

#include <gst/gst.h>
#include <mctx.h>

G_BEGIN_DECLS

typedef struct _GstMctxSink GstMctxSink;

/**
 * GstMctxSinkPacing:
 *
 * The pacing state of one mctxsink (opaque).
 */
typedef struct _GstMctxSinkPacing GstMctxSinkPacing;

/* the property ids, after those of gstmctxsink.h */
enum
{
  SINK_PROP_PACING = 100,
  SINK_PROP_PACING_RATE,
  SINK_PROP_PACING_BURST,
  SINK_PROP_PACING_MECHANISM,
};

void gst_mctx_sink_pacing_install_properties (GObjectClass * klass);

GstMctxSinkPacing *gst_mctx_sink_pacing_new (void);
void gst_mctx_sink_pacing_free (GstMctxSinkPacing * pacing);

gboolean gst_mctx_sink_pacing_start (GstMctxSink * sink,
    MctxPublication ** legs, guint n_legs);
void gst_mctx_sink_pacing_stop (GstMctxSink * sink);
gboolean gst_mctx_sink_pacing_is_active (GstMctxSink * sink);
GstFlowReturn gst_mctx_sink_pacing_send (GstMctxSink * sink,
    GstBuffer * first, guint n_messages);
void gst_mctx_sink_pacing_adjust_latency (GstMctxSink * sink,
    GstQuery * query);
void gst_mctx_sink_pacing_add_stats (GstMctxSink * sink,
    GstStructure * stats);

G_END_DECLS
