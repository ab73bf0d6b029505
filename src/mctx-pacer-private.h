/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-private.h"
#include "mctx-socket.h"
#include "mctx-pacer.h"

#include <time.h>

G_BEGIN_DECLS

/* token bucket (GCRA): when it would be empty, and the fraction of a ns
 * in 1/rate ns */
typedef struct
{
  gboolean set;
  gint64 tat;
  guint64 rem;
} MctxBucket;

/* What one packet costs the bucket: whole ns and the remainder of the
 * division by the rate; computed once per packet, for peek and take. */
typedef struct
{
  gint64 ns;
  guint64 frac;
} MctxPacketCost;

/* how long one sleep may go without looking at the cancellable: the
 * sink's unlock wakes the streaming thread within this */
#define CANCEL_SLICE_NS (1000 * 1000)
/* on the kernel path, packets are handed over this long before they are
 * due: few wake-ups, and few enough packets queued in fq per flow
 * (flow_limit is 100 packets by default) */
#define KERNEL_LOOKAHEAD_NS (2 * 1000 * 1000)
/* window of the largest-burst statistic, and its history size */
#define BURST_WINDOW_NS (1000 * 1000)
#define BURST_RING 4096
/* a frame timestamp further ahead than this is a clock mix-up */
#define MAX_AHEAD_NS (G_GINT64_CONSTANT (10) * 1000000000)

/* statistics may be read from another thread (an element's stats
 * property): relaxed atomics, written by the sending thread only */
#define STAT_SET(p, v) __atomic_store_n (&(p), (v), __ATOMIC_RELAXED)

#define RATE_MIN G_GUINT64_CONSTANT (1000)
#define RATE_MAX G_GUINT64_CONSTANT (100000000000)
#define BURST_MAX 65536

struct _MctxPacer
{
  GObject parent;

  /* settings */
  MctxPacingMode mode;
  guint64 rate;
  guint burst;
  guint header_bytes;
  gint64 late_tolerance;
  MctxPacingMechanism mechanism;

  /* schedule state */
  gint64 last_departure;
  MctxBucket bucket;            /* rate mode: the schedule's */
  MctxBucket sent_bucket;       /* rate mode: the same over real send times */
  gint64 frame_ts;              /* current frame's timestamp, -1 none */
  gint64 frame_duration;        /* its time, <= 0 unknown */
  guint frame_expected;         /* packets expected in it, 0 unknown */
  guint frame_count;            /* packets scheduled in it so far */
  guint prev_count;             /* the previous frame's packets */
  gint64 interval;              /* between the last two frames, -1 unknown */

  /* sending */
  MctxQdiscKind kernel;         /* MCTX_QDISC_OTHER: user space */
  gboolean started;
  gboolean warned_ahead;
  gint64 clock_offset;          /* CLOCK_TAI - CLOCK_MONOTONIC for etf */
  gchar *fallback_reason;
  MctxPollCache poll_cache;     /* the cancellable's fd between waits */

  /* statistics */
  guint64 packets, bytes, late, bits;
  guint64 first_bits;
  gint64 first_time, last_time;
  guint max_burst;
  gint64 *ring;
  guint ring_head, ring_len;
};

static inline gint64
mctx_pacer_monotonic_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* The earliest departure the bucket allows a packet of that cost, not
 * before earliest, with slack ns more credit than the burst; and taking it
 * at departure.  A packet's cost (a 64-bit division) is computed once for
 * its peek and its take. */
void mctx_pacer_packet_cost (MctxPacer * self, gsize size,
    MctxPacketCost * cost);
gint64 mctx_pacer_bucket_peek (MctxPacer * self, const MctxBucket * b,
    const MctxPacketCost * cost, gint64 earliest, gint64 slack);
void mctx_pacer_bucket_take (MctxPacer * self, MctxBucket * b,
    const MctxPacketCost * cost, gint64 departure);

G_END_DECLS
