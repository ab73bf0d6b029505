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

typedef struct _GstMctxSrcBatch GstMctxSrcBatch;
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
  guint cur_mtu;
  guint cur_batch;
  /* the last read did not fill the batch: poll before the next one */
  gboolean last_short;
  MctxMessage *messages;
  guint n_slots;
  guint64 truncated_seen;
  gint64 last_truncated_warning;
  /* set by set_property: create() reads the PLAYING-mutable values again */
  gint props_changed;
  guint64 timeout;
  gboolean want_sender;
  gint socket_timestamp;
  /* the batch memory and the sender address cache (gstmctxsrcbatch.c) */
  GstMctxSrcBatch *batch;
  /* the stream analyser and the stats messages (gstmctxsrcstats.c) */
  MctxStreamAnalyser *analyser;
  guint64 stats_interval;       /* ns, 0 = no messages */
  gint64 stats_due;             /* monotonic ns of the next message */
  /* skip-first-bytes (gstmctxudp.c) */
  guint skip_first_bytes;
  guint64 too_short_seen;
  gint64 last_too_short_warning;

  /* ST 2022-7 merge of two legs (gstmctxsrcmerge.c), NULL without
   * redundant-uri; object lock to read its stats from other threads */
  GstMctxSrcMerge *merge;
};

/**
 * GstMctxSocketTimestampMode:
 * @GST_MCTX_SOCKET_TIMESTAMP_DISABLED: no #GstReferenceTimestampMeta
 * @GST_MCTX_SOCKET_TIMESTAMP_REALTIME: a #GstReferenceTimestampMeta
 *   (caps timestamp/x-unix) with the kernel's receive time (CLOCK_REALTIME)
 *
 * Like udpsrc's GstSocketTimestampMode.
 *
 * Since: 0.2
 */
typedef enum
{
  GST_MCTX_SOCKET_TIMESTAMP_DISABLED = 0,
  GST_MCTX_SOCKET_TIMESTAMP_REALTIME = 1,
} GstMctxSocketTimestampMode;

GType gst_mctx_socket_timestamp_mode_get_type (void);
#define GST_TYPE_MCTX_SOCKET_TIMESTAMP_MODE \
  (gst_mctx_socket_timestamp_mode_get_type ())

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
  /* udpsrc's names */
  SRC_PROP_MULTICAST_GROUP,
  SRC_PROP_MULTICAST_IFACE,
  SRC_PROP_MULTICAST_SOURCE,
  SRC_PROP_AUTO_MULTICAST,
  SRC_PROP_REUSE,
  SRC_PROP_LOOP,
  SRC_PROP_SKIP_FIRST_BYTES,
  SRC_PROP_PRESERVE_PACKETIZATION,
  SRC_PROP_SOCKET_TIMESTAMP,
  SRC_PROP_ANALYSE,
  SRC_PROP_STATS_INTERVAL,
  SRC_PROP_REDUNDANT_URI,
  SRC_PROP_MAX_PATH_DELAY,
  SRC_PROP_LEG_TIMEOUT,
} GstMctxSrcProperty;

extern const GstMctxSetting gst_mctx_src_settings[];
const gchar *const *gst_mctx_src_install_properties (GObjectClass * klass);
guint64 gst_mctx_src_get_number (GstMctxSrc * src, const gchar * property);

/* the pipeline clock and CLOCK_REALTIME, read once per batch, to stamp
 * each datagram with its kernel receive time as running time */
typedef struct
{
  GstClockTime now;             /* running time now, NONE without clock */
  gint64 real_ns;
} GstMctxSrcClock;
void gst_mctx_src_clock_read (GstMctxSrc * src, GstMctxSrcClock * c);
/* the sender address and socket-timestamp metas of a datagram's buffer
 * (the batch code's sender cache; both receive paths) */
void gst_mctx_src_add_metas (GstMctxSrc * src, GstBuffer * buf,
    const MctxPacketInfo * info);
GstClockTime gst_mctx_src_clock_map (const GstMctxSrcClock * c,
    gint64 kernel_ns);

/* gstmctxsrcbatch.c: datagrams received into shared batch memory */
void gst_mctx_src_batch_class_init (void);
gboolean gst_mctx_src_batch_start (GstMctxSrc * src);
void gst_mctx_src_batch_stop (GstMctxSrc * src);
gboolean gst_mctx_src_batch_prepare (GstMctxSrc * src);
guint gst_mctx_src_batch_take (GstMctxSrc * src, guint n,
    GstBuffer ** first, GstBufferList ** list);

/* gstmctxsrcstats.c: stream analysis, the stats property and messages */
void gst_mctx_src_stats_start (GstMctxSrc * src);
void gst_mctx_src_stats_stop (GstMctxSrc * src);
void gst_mctx_src_stats_feed (GstMctxSrc * src, guint n);
GstStructure *gst_mctx_src_stats_create (GstMctxSrc * src,
    const gchar * name);
void gst_mctx_src_stats_post (GstMctxSrc * src);
void gst_mctx_src_stats_maybe_post (GstMctxSrc * src);
gint64 gst_mctx_src_stats_wait_limit (GstMctxSrc * src, gint64 wait_us);

/* shared by the one-leg and the merge receive paths (gstmctxsrc.c) */
void gst_mctx_src_post_timeout (GstMctxSrc * src, guint64 timeout);
GstFlowReturn gst_mctx_src_wait_failed (GstMctxSrc * src, GError ** err);

/* udpsrc's properties that are not aliases (gstmctxudp.c) */
gboolean gst_mctx_src_udp_start (GstMctxSrc * src);
gboolean gst_mctx_src_skip_ok (GstMctxSrc * src, gsize size);
void gst_mctx_src_report_truncated (GstMctxSrc * src,
    const MctxPacketInfo * info, gint leg);

G_END_DECLS
