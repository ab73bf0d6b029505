/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <glib-object.h>
#include "mctx-version.h"
#include "mctx-subscription.h"

G_BEGIN_DECLS

/**
 * MctxStreamStats:
 * @source: the sender's address, as text
 * @source_port: the sender's UDP port
 * @group: the destination (group) address, as text
 * @port: the destination port (the analyser's #MctxStreamAnalyser:port)
 * @kind: "rtp", "mpegts", "rtp-mpegts" or "udp" (a static string)
 * @packets: datagrams
 * @bytes: their sizes as sent
 * @bitrate_bps: bits per second over the last full second of arrivals
 * @max_gap_ns: largest time between two consecutive datagrams
 * @kernel_drops: datagrams the socket's kernel buffer dropped (as set with
 *   mctx_stream_analyser_set_kernel_drops(); the same for every stream)
 * @ssrc: RTP: the current SSRC
 * @lost: RTP: sequence numbers missing
 * @duplicates: RTP: sequence numbers received again
 * @reordered: RTP: sequence numbers received after a later one
 * @jitter_ms: RTP: RFC 3550 interarrival jitter, milliseconds
 * @ssrc_changes: RTP: times the SSRC changed
 * @clock_rate: RTP: the clock rate the jitter is computed with (Hz)
 * @cc_errors: MPEG-TS: continuity-counter errors (TR 101 290 1.4)
 * @sync_errors: MPEG-TS: 188-byte packets not starting with 0x47
 * @pids: MPEG-TS: PIDs seen (the null PID included)
 *
 * A snapshot of one stream's counters. Fields of another kind are 0.
 *
 * Since: 0.2
 */
typedef struct
{
  gchar *source;
  guint source_port;
  gchar *group;
  guint port;
  const gchar *kind;
  guint64 packets;
  guint64 bytes;
  guint64 bitrate_bps;
  guint64 max_gap_ns;
  guint64 kernel_drops;
  guint32 ssrc;
  guint64 lost;
  guint64 duplicates;
  guint64 reordered;
  gdouble jitter_ms;
  guint64 ssrc_changes;
  guint clock_rate;
  guint64 cc_errors;
  guint64 sync_errors;
  guint pids;
} MctxStreamStats;

#define MCTX_TYPE_STREAM_STATS (mctx_stream_stats_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_stream_stats_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxStreamStats *mctx_stream_stats_copy (const MctxStreamStats * stats);
MCTX_AVAILABLE_IN_ALL
void mctx_stream_stats_free (MctxStreamStats * stats);
MCTX_AVAILABLE_IN_ALL
GVariant *mctx_stream_stats_to_variant (const MctxStreamStats * stats);

#define MCTX_TYPE_STREAM_ANALYSER (mctx_stream_analyser_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxStreamAnalyser, mctx_stream_analyser, MCTX,
    STREAM_ANALYSER, GObject)

MCTX_AVAILABLE_IN_ALL
MctxStreamAnalyser *mctx_stream_analyser_new (guint port);
MCTX_AVAILABLE_IN_ALL
void mctx_stream_analyser_feed (MctxStreamAnalyser * self,
    const MctxPacketInfo * info, const guint8 * data, gsize size);
MCTX_AVAILABLE_IN_ALL
void mctx_stream_analyser_feed_messages (MctxStreamAnalyser * self,
    const MctxMessage * messages, guint n_messages);
MCTX_AVAILABLE_IN_ALL
void mctx_stream_analyser_set_kernel_drops (MctxStreamAnalyser * self,
    guint64 kernel_drops);
MCTX_AVAILABLE_IN_ALL
GList *mctx_stream_analyser_get_streams (MctxStreamAnalyser * self);
MCTX_AVAILABLE_IN_ALL
GVariant *mctx_stream_analyser_get_streams_variant (MctxStreamAnalyser *
    self);
MCTX_AVAILABLE_IN_ALL
guint mctx_stream_analyser_get_n_streams (MctxStreamAnalyser * self);
MCTX_AVAILABLE_IN_ALL
void mctx_stream_analyser_reset (MctxStreamAnalyser * self);

G_END_DECLS
