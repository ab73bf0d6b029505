/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsinklegs.h: mctxsink's ST 2022-7 send path (redundant-uri):
 * every buffer on two legs.
 */
#pragma once

#include "gstmctxsink.h"

G_BEGIN_DECLS

gboolean gst_mctx_sink_legs_start (GstMctxSink * sink,
    MctxPublication * leg0);
void gst_mctx_sink_legs_stop (GstMctxSink * sink);
void gst_mctx_sink_legs_free (GstMctxSink * sink);
gboolean gst_mctx_sink_legs_send_run (GstMctxSink * sink, guint first,
    guint n_messages);
GstFlowReturn gst_mctx_sink_legs_send (GstMctxSink * sink,
    guint n_messages);
void gst_mctx_sink_legs_add_stats (GstMctxSink * sink, GstStructure * s);
guint gst_mctx_sink_legs_collect (GstMctxSink * sink, MctxPublication * leg0,
    MctxPublication * legs[GST_MCTX_SINK_N_LEGS]);

G_END_DECLS
