/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-publication.h"

G_BEGIN_DECLS

/**
 * MctxPacingMode:
 * @MCTX_PACING_NONE: every packet leaves at once (no pacing).
 * @MCTX_PACING_RATE: never faster than #MctxPacer:rate bits per second
 *   (IP and UDP headers counted), with bursts of at most #MctxPacer:burst
 *   packets.
 * @MCTX_PACING_TIMESTAMPS: the packets of each frame are spread evenly over
 *   the frame's time, the first at the frame's sync time.
 *
 * How a #MctxPacer assigns departure times.
 *
 * Since: 0.2
 */
typedef enum
{
  MCTX_PACING_NONE,
  MCTX_PACING_RATE,
  MCTX_PACING_TIMESTAMPS,
} MctxPacingMode;

/**
 * MctxPacingMechanism:
 * @MCTX_PACING_MECHANISM_AUTO: the kernel's departure-time pacing where
 *   the egress qdisc can do it (fq or etf), else the user-space scheduler.
 * @MCTX_PACING_MECHANISM_USER_SPACE: always the user-space scheduler.
 * @MCTX_PACING_MECHANISM_KERNEL: the kernel's pacing; when an interface
 *   cannot do it, a warning names the interface and what to configure, and
 *   the user-space scheduler takes over.
 *
 * Which mechanism a #MctxPacer should use to hold packets until their
 * departure time.
 *
 * Since: 0.2
 */
typedef enum
{
  MCTX_PACING_MECHANISM_AUTO,
  MCTX_PACING_MECHANISM_USER_SPACE,
  MCTX_PACING_MECHANISM_KERNEL,
} MctxPacingMechanism;

/**
 * MctxQdiscKind:
 * @MCTX_QDISC_OTHER: a root qdisc that cannot pace by departure time (or
 *   none: the interface's default).
 * @MCTX_QDISC_FQ: fq (CLOCK_MONOTONIC departure times, SO_TXTIME).
 * @MCTX_QDISC_ETF: etf (CLOCK_TAI departure times, SO_TXTIME).
 *
 * What mctx_pacer_probe_kernel() found on an interface.
 *
 * Since: 0.2
 */
typedef enum
{
  MCTX_QDISC_OTHER,
  MCTX_QDISC_FQ,
  MCTX_QDISC_ETF,
} MctxQdiscKind;

#define MCTX_TYPE_PACING_MODE (mctx_pacing_mode_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_pacing_mode_get_type (void) G_GNUC_CONST;
#define MCTX_TYPE_PACING_MECHANISM (mctx_pacing_mechanism_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_pacing_mechanism_get_type (void) G_GNUC_CONST;
#define MCTX_TYPE_QDISC_KIND (mctx_qdisc_kind_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_qdisc_kind_get_type (void) G_GNUC_CONST;

/**
 * MctxPacerStats:
 * @mechanism: the active mechanism: "none" (mode none, or not started),
 *   "user-space", "kernel-fq" or "kernel-etf"; a static string
 * @packets: packets handed to the kernel
 * @bytes: their payload bytes
 * @late: packets handed over later than their departure time plus
 *   #MctxPacer:late-tolerance
 * @max_burst_1ms: the largest number of packets that left within any 1 ms
 *   (by departure time on the kernel path)
 * @achieved_rate_bps: bits per second (headers counted) from the first
 *   packet to the last one, 0 before two packets left
 *
 * Counters of one pacer, read with mctx_pacer_get_stats().
 *
 * Since: 0.2
 */
typedef struct
{
  const gchar *mechanism;
  guint64 packets;
  guint64 bytes;
  guint64 late;
  guint max_burst_1ms;
  guint64 achieved_rate_bps;
} MctxPacerStats;

#define MCTX_TYPE_PACER (mctx_pacer_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxPacer, mctx_pacer, MCTX, PACER, GObject)

MCTX_AVAILABLE_IN_ALL
MctxPacer *mctx_pacer_new (MctxPacingMode mode);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_validate (MctxPacer * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_start (MctxPacer * self, MctxPublication ** legs,
    guint n_legs, GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_pacer_reset (MctxPacer * self);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_schedule (MctxPacer * self, gint64 now_ns,
    gint64 timestamp_ns, gint64 duration_ns, guint n_packets,
    const gsize * sizes, gint64 * departures);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_schedule_frame (MctxPacer * self, gint64 now_ns,
    gint64 frame_time_ns, gint64 frame_duration_ns, guint n_packets,
    const gsize * sizes, gint64 * departures);
MCTX_AVAILABLE_IN_ALL
GArray *mctx_pacer_schedule_times (MctxPacer * self, gint64 now_ns,
    gint64 timestamp_ns, gint64 duration_ns, gboolean whole_frame,
    const gsize * sizes, guint n_packets);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_send (MctxPacer * self, MctxPublication * pub,
    GOutputMessage * messages, guint n_messages, gint64 * departures,
    guint * n_done, GCancellable * cancellable, GError ** error);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_wait (MctxPacer * self, gint64 departure_ns,
    gint64 * now_ns, GCancellable * cancellable, GError ** error);
MCTX_AVAILABLE_IN_ALL
guint mctx_pacer_count_due (MctxPacer * self,
    const GOutputMessage * messages, gint64 * departures, guint n,
    gint64 now_ns);
MCTX_AVAILABLE_IN_ALL
gint mctx_pacer_send_due (MctxPacer * self, MctxPublication * pub,
    GOutputMessage * messages, guint n_messages, const gint64 * departures,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_pacer_account (MctxPacer * self, const GOutputMessage * messages,
    guint n_messages, const gint64 * departures, gint64 now_ns);

MCTX_AVAILABLE_IN_ALL
void mctx_pacer_get_stats (MctxPacer * self, MctxPacerStats * stats);
MCTX_AVAILABLE_IN_ALL
const gchar *mctx_pacer_get_fallback_reason (MctxPacer * self);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_pacer_probe_kernel (guint ifindex, MctxQdiscKind * kind,
    gchar ** qdisc_name, GError ** error);

G_END_DECLS
