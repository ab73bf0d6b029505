/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsrcmerge.h: mctxsrc's ST 2022-7 receive path (redundant-uri):
 * two legs merged by an MctxMerger in the streaming thread.
 */
#pragma once

#include "gstmctxsrc.h"

G_BEGIN_DECLS

/* how many legs mctxsrc merges: its own URI and redundant-uri */
#define GST_MCTX_SRC_N_LEGS 2

gboolean gst_mctx_src_merge_start (GstMctxSrc * src, MctxSubscription * leg0);
void gst_mctx_src_merge_stop (GstMctxSrc * src);
void gst_mctx_src_merge_free (GstMctxSrc * src);
GstFlowReturn gst_mctx_src_merge_create (GstMctxSrc * src,
    GstBuffer ** outbuf);
void gst_mctx_src_merge_add_stats (GstMctxSrc * src, GstStructure * s);

/* in gstmctxsrc.c: hands a list to basesrc (with the < 1.25.1 guard) */
GstFlowReturn gst_mctx_src_submit_list (GstMctxSrc * src,
    GstBufferList * list);

G_END_DECLS
