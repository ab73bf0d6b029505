/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>
#include <gio/gio.h>
#include <mctx.h>

#include "gstmctxbridge.h"

G_BEGIN_DECLS

#define GST_TYPE_MCTX_SRC (gst_mctx_src_get_type ())
G_DECLARE_FINAL_TYPE (GstMctxSrc, gst_mctx_src, GST, MCTX_SRC, GstPushSrc)

typedef struct _GstMctxSrcSlot GstMctxSrcSlot;
typedef struct _GstMctxSrcMerge GstMctxSrcMerge;

/**
 * GstMctxSrc:
 *
 * Opaque data structure.
 *
 * Since: 0.1
 */
struct _GstMctxSrc
{
  GstPushSrc parent;

  /* property values, protected by the object lock */
  GstMctxSettings settings;

  /* the open subscription (object lock to read it from other threads) */
  MctxSubscription *sub;
  MctxSubscriptionStats last_stats;

  GCancellable *cancellable;
  /* GStreamer < 1.25.1: a submitted buffer list basesrc has not taken yet,
   * and whether create() may submit one (see gstmctxsrc.c) */
  GMutex list_lock;
  GCond list_cond;
  gboolean list_in_flight;
  gboolean playing;

  /* streaming thread only */
  GstBufferPool *pool;
  guint cur_mtu;
  guint cur_batch;
  /* the last read did not fill the batch: poll before the next one */
  gboolean last_short;
  MctxMessage *messages;
  GstMctxSrcSlot *slots;
  guint n_slots;
  guint64 truncated_seen;
  gint64 last_truncated_warning;
  /* the last sender, to reuse its GSocketAddress */
  MctxAddress last_sender;
  guint16 last_sender_port;
  GSocketAddress *last_sender_addr;

  /* ST 2022-7 merge of two legs (gstmctxsrcmerge.c), NULL without
   * redundant-uri; object lock to read its stats from other threads */
  GstMctxSrcMerge *merge;
};

typedef enum
{
  SRC_PROP_0,
  SRC_PROP_ADDRESS,
  SRC_PROP_PORT,
  SRC_PROP_INTERFACE,
  SRC_PROP_INTERFACE_INDEX,
  SRC_PROP_SOURCES,
  SRC_PROP_EXCLUDE_SOURCES,
  SRC_PROP_BUFFER_SIZE,
  SRC_PROP_MTU,
  SRC_PROP_CAPS,
  SRC_PROP_TIMEOUT,
  SRC_PROP_RETRIEVE_SENDER_ADDRESS,
  SRC_PROP_STATS,
  SRC_PROP_URI,
  SRC_PROP_BATCH_SIZE,
  SRC_PROP_GRO,
  SRC_PROP_REDUNDANT_URI,
  SRC_PROP_MAX_PATH_DELAY,
  SRC_PROP_LEG_TIMEOUT,
} GstMctxSrcProperty;

extern const GstMctxSetting gst_mctx_src_settings[];
const gchar *const *gst_mctx_src_install_properties (GObjectClass * klass);

G_END_DECLS
