/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <glib-object.h>
#include "mctx-version.h"
#include "mctx-subscription.h"

G_BEGIN_DECLS

/**
 * MCTX_MERGER_MAX_LEGS:
 *
 * The most legs one #MctxMerger merges (ST 2022-7 uses two).
 *
 * Since: 0.2
 */
#define MCTX_MERGER_MAX_LEGS 8

/**
 * MctxMergerVerdict:
 * @MCTX_MERGER_HELD: the first copy of a packet: the merger took the
 *   message (its buffer and user_data) and hands it back through
 *   mctx_merger_pop() or mctx_merger_drain(); the caller's slot is emptied
 *   and needs a new buffer before it is used again
 * @MCTX_MERGER_DUPLICATE: another copy of a packet already held or
 *   delivered, arrived within the window; not taken, the slot keeps its
 *   buffer
 * @MCTX_MERGER_LATE: a copy that arrived after the window (its packet was
 *   delivered more than max-path-delay earlier, or given up as lost); not
 *   taken
 * @MCTX_MERGER_NOT_RTP: the datagram is not RTP (too short, version not 2,
 *   RTCP, truncated); counted in the leg's non_rtp and not taken
 *
 * What mctx_merger_push() did with a datagram.
 *
 * Since: 0.2
 */
typedef enum
{
  MCTX_MERGER_HELD,
  MCTX_MERGER_DUPLICATE,
  MCTX_MERGER_LATE,
  MCTX_MERGER_NOT_RTP,
} MctxMergerVerdict;

/**
 * MctxMergerLegStats:
 * @received: RTP packets that arrived on this leg (all copies)
 * @delivered: packets delivered from this leg's copy (it arrived first)
 * @unique: delivered packets that no other leg supplied within the window:
 *   what this leg alone saved
 * @lost: packets this leg never supplied (counted once the packet's window
 *   is over; a copy that arrives later moves it from @lost to @late)
 * @late: copies that arrived after the window
 * @duplicates: copies dropped because an earlier copy was taken
 * @non_rtp: datagrams that were not RTP, dropped
 * @skew_mean_ns: mean of (this leg's arrival - first copy's arrival) over
 *   this leg's copies that came after another leg's copy of the same
 *   packet (late ones included); 0 when this leg is always first
 * @skew_max_ns: the largest such difference
 * @skew_samples: copies that went into @skew_mean_ns
 * @up: the leg delivers packets (%FALSE after leg-timeout of silence)
 * @outages: times the leg went down
 *
 * Counters of one leg of an #MctxMerger.
 *
 * Since: 0.2
 */
typedef struct
{
  guint64 received;
  guint64 delivered;
  guint64 unique;
  guint64 lost;
  guint64 late;
  guint64 duplicates;
  guint64 non_rtp;
  gint64 skew_mean_ns;
  gint64 skew_max_ns;
  guint64 skew_samples;
  gboolean up;
  guint64 outages;
} MctxMergerLegStats;

/**
 * MctxMergerStats:
 * @delivered: packets handed out, each once, in sequence order
 * @unrecoverable: packets lost on every leg (sequence gaps given up)
 * @duplicates: copies dropped as duplicates (all legs)
 * @late: copies dropped as late (all legs)
 * @non_rtp: non-RTP datagrams dropped (all legs)
 * @resyncs: times the merger started over because the sequence numbers
 *   jumped backwards on every leg (a sender restart)
 * @held: packets held right now, waiting for a missing predecessor
 * @max_held: the most packets held at one time
 *
 * Counters of an #MctxMerger as a whole.
 *
 * Since: 0.2
 */
typedef struct
{
  guint64 delivered;
  guint64 unrecoverable;
  guint64 duplicates;
  guint64 late;
  guint64 non_rtp;
  guint64 resyncs;
  guint held;
  guint max_held;
} MctxMergerStats;

#define MCTX_TYPE_MERGER_LEG_STATS (mctx_merger_leg_stats_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_merger_leg_stats_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxMergerLegStats *mctx_merger_leg_stats_copy (const MctxMergerLegStats *
    stats);
MCTX_AVAILABLE_IN_ALL
void mctx_merger_leg_stats_free (MctxMergerLegStats * stats);

#define MCTX_TYPE_MERGER_STATS (mctx_merger_stats_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_merger_stats_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxMergerStats *mctx_merger_stats_copy (const MctxMergerStats * stats);
MCTX_AVAILABLE_IN_ALL
void mctx_merger_stats_free (MctxMergerStats * stats);

#define MCTX_TYPE_MERGER (mctx_merger_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxMerger, mctx_merger, MCTX, MERGER, GObject)

MCTX_AVAILABLE_IN_ALL
MctxMerger *mctx_merger_new (guint n_legs, GError ** error);
MCTX_AVAILABLE_IN_ALL
guint mctx_merger_get_n_legs (MctxMerger * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_merger_set_max_path_delay (MctxMerger * self, guint ms,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
guint mctx_merger_get_max_path_delay (MctxMerger * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_merger_set_leg_timeout (MctxMerger * self, guint ms,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
guint mctx_merger_get_leg_timeout (MctxMerger * self);

MCTX_AVAILABLE_IN_ALL
MctxMergerVerdict mctx_merger_push (MctxMerger * self, guint leg,
    MctxMessage * message, gint64 now_ns);
MCTX_AVAILABLE_IN_ALL
guint mctx_merger_pop (MctxMerger * self, gint64 now_ns,
    MctxMessage * out, guint n_out, guint * legs);
MCTX_AVAILABLE_IN_ALL
guint mctx_merger_drain (MctxMerger * self, MctxMessage * out, guint n_out,
    guint * legs);
MCTX_AVAILABLE_IN_ALL
gint64 mctx_merger_next_deadline (MctxMerger * self, gint64 now_ns);
MCTX_AVAILABLE_IN_ALL
void mctx_merger_check_legs (MctxMerger * self, gint64 now_ns);
MCTX_AVAILABLE_IN_ALL
void mctx_merger_reset (MctxMerger * self);

MCTX_AVAILABLE_IN_ALL
MctxMergerVerdict mctx_merger_push_bytes (MctxMerger * self, guint leg,
    GBytes * packet, gint64 now_ns);
MCTX_AVAILABLE_IN_ALL
GBytes *mctx_merger_pop_bytes (MctxMerger * self, gint64 now_ns,
    guint * leg);

MCTX_AVAILABLE_IN_ALL
void mctx_merger_get_stats (MctxMerger * self, MctxMergerStats * stats);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_merger_get_leg_stats (MctxMerger * self, guint leg,
    MctxMergerLegStats * stats);

G_END_DECLS
