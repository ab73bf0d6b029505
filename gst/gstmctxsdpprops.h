/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsdpprops.h: the SDP/SAP side of mctxsrc (sdp, sdp-media:
 * gstmctxsrcsdp.c) and mctxsink (sdp-location, sdp, announce,
 * session-name, announce-interval: gstmctxsinksdp.c), issue #15. The
 * element files call these few hooks; the logic lives in those two files.
 */
#pragma once

#include "gstmctxsrc.h"
#include "gstmctxsink.h"

G_BEGIN_DECLS

/* property ids of their own, far from the elements' enums, so the enums
 * can grow without clashing */
enum
{
  SRC_PROP_SDP = 200,
  SRC_PROP_SDP_MEDIA,
};

enum
{
  SINK_PROP_SDP_LOCATION = 200,
  SINK_PROP_SDP,
  SINK_PROP_ANNOUNCE,
  SINK_PROP_SESSION_NAME,
  SINK_PROP_ANNOUNCE_INTERVAL,
};

/* table rows (NULL setting: the element's own), for the props tables */
#define GST_MCTX_SRC_SDP_SETTINGS \
  {"sdp", NULL, GST_MCTX_SETTING_NONE}, \
  {"sdp-media", NULL, GST_MCTX_SETTING_NONE}
#define GST_MCTX_SINK_SDP_SETTINGS \
  {"sdp-location", NULL, GST_MCTX_SETTING_NONE}, \
  {"announce", NULL, GST_MCTX_SETTING_NONE}, \
  {"session-name", NULL, GST_MCTX_SETTING_NONE}, \
  {"announce-interval", NULL, GST_MCTX_SETTING_NONE}

/* mctxsrc */
void gst_mctx_src_sdp_install_properties (GObjectClass * klass);
void gst_mctx_src_sdp_property_set (GstMctxSrc * src, GParamSpec * pspec);
gboolean gst_mctx_src_sdp_check_start (GstMctxSrc * src);

/* mctxsink */
void gst_mctx_sink_sdp_install_properties (GObjectClass * klass);
void gst_mctx_sink_sdp_init (GstMctxSink * sink);
gboolean gst_mctx_sink_sdp_get_property (GstMctxSink * sink, guint prop_id,
    GValue * value);
gboolean gst_mctx_sink_sdp_set_caps (GstBaseSink * bsink, GstCaps * caps);
void gst_mctx_sink_sdp_stop (GstMctxSink * sink);

G_END_DECLS
