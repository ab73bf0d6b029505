/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>
#include <gio/gio.h>
#include <mctx.h>

#include "gstmctxbridge.h"
#include "gstmctxsinkpacing.h"

G_BEGIN_DECLS

/* redundant-uri: leg 0 (the element's own publication) and leg 1 */
#define GST_MCTX_SINK_N_LEGS 2

#define GST_TYPE_MCTX_SINK (gst_mctx_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstMctxSink, gst_mctx_sink, GST, MCTX_SINK, GstBaseSink)

typedef struct _GstMctxSinkLegs GstMctxSinkLegs;

/**
 * GstMctxSink:
 *
 * Opaque data structure.
 *
 * Since: 0.1
 */
struct _GstMctxSink
{
  GstBaseSink parent;

  /* property values, protected by the object lock */
  GstMctxSettings settings;
  gchar *source_address;

  /* the open publication (object lock to read it from other threads) */
  MctxPublication *pub;
  MctxPublicationStats last_stats;

  /* cancelled by unlock, reset by unlock_stop */
  GCancellable *cancellable;

  /* streaming thread: the outgoing interface of each leg is down or gone */
  gboolean network_down[GST_MCTX_SINK_N_LEGS];
  guint64 too_large_skipped;
  gint64 last_too_large_warning;

  /* preallocated batch arrays, streaming thread only */
  GOutputMessage *messages;
  gsize *sizes;                 /* per message: its buffer's size */
  guint messages_alloc;
  GOutputVector *vectors;
  guint vectors_alloc;
  GstMapInfo *maps;

  /* paced sending (gstmctxsinkpacing.c) */
  GstMctxSinkPacing *pacing;
  /* ST 2022-7: the second leg (gstmctxsinklegs.c), NULL without
   * redundant-uri; object lock to read its stats from other threads */
  GstMctxSinkLegs *legs;
};

typedef enum
{
  SINK_PROP_0,
  SINK_PROP_ADDRESS,
  SINK_PROP_PORT,
  SINK_PROP_SOURCE,
  SINK_PROP_SOURCE_PORT,
  SINK_PROP_INTERFACE,
  SINK_PROP_INTERFACE_INDEX,
  SINK_PROP_TTL,
  SINK_PROP_LOOP,
  SINK_PROP_QOS_DSCP,
  SINK_PROP_BUFFER_SIZE,
  SINK_PROP_SOURCE_ADDRESS,
  SINK_PROP_STATS,
  SINK_PROP_URI,
  /* udpsink's names */
  SINK_PROP_HOST,
  SINK_PROP_MULTICAST_IFACE,
  SINK_PROP_TTL_MC,
  SINK_PROP_BIND_ADDRESS,
  SINK_PROP_BIND_PORT,
  SINK_PROP_AUTO_MULTICAST,
  SINK_PROP_REDUNDANT_URI,
} GstMctxSinkProperty;

extern const GstMctxSetting gst_mctx_sink_settings[];
const gchar *const *gst_mctx_sink_install_properties (GObjectClass * klass);

/* gstmctxsink.c: what a send means, for every send path */
gint gst_mctx_sink_handle_send (GstMctxSink * sink, MctxPublication * pub,
    guint leg, gint sent, const GOutputMessage * msg, GError ** err,
    GstFlowReturn * flow);

G_END_DECLS
