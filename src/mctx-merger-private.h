/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MctxMerger internals shared by the merge (mctx-merger.c) and the
 * object's settings and counters (mctx-merger-object.c). */
#pragma once

#include "mctx-private.h"
#include "mctx-rtp-seq.h"

G_BEGIN_DECLS

/* 16-bit RTP sequence numbers are unwrapped into a 64-bit counter around
 * the next expected packet ("head"); starting high keeps "behind" values
 * positive. */
#define EXT_BASE (G_GUINT64_CONSTANT (1) << 32)
#define RING_MIN 1024
#define RING_MAX 32768          /* half the sequence space */
/* consecutive pushes of never-seen sequence numbers behind the head, with
 * nothing accepted in between, that mean the sender started over */
#define RESYNC_AFTER 16

#define MAX_PATH_DELAY_MIN 1
#define MAX_PATH_DELAY_MAX 1000
#define DEFAULT_MAX_PATH_DELAY 50
#define LEG_TIMEOUT_MIN 10
#define LEG_TIMEOUT_MAX 60000
#define DEFAULT_LEG_TIMEOUT 500

#define MS_NS G_GINT64_CONSTANT (1000000)

/* relaxed atomics: written by the merging thread, read from any */
#define STORE(field, value) __atomic_store_n (&(field), (value), __ATOMIC_RELAXED)
#define BUMP(field) STORE (field, (field) + 1)
#define DROP(field) STORE (field, (field) > 0 ? (field) - 1 : 0)

enum
{
  ENTRY_EMPTY,
  ENTRY_HELD,
  ENTRY_DELIVERED,
  ENTRY_LOST,
};

typedef struct
{
  MctxMessage msg;              /* valid while HELD */
  gint64 first_ns;              /* arrival of the first copy */
  guint64 ext;                  /* the packet this entry is about */
  guint8 state;
  guint8 mask;                  /* legs whose copy came within the window */
  guint8 late_mask;             /* legs whose copy came after it */
  guint8 first_leg;
  gboolean is_bytes;            /* user_data is a GBytes we hold */
} Entry;

typedef struct
{
  MctxMergerLegStats stats;
  gint64 last_ns;
  gint64 skew_sum_ns;
} Leg;

struct _MctxMerger
{
  GObject parent;

  guint n_legs;
  guint max_path_delay;         /* the properties, in ms */
  guint leg_timeout;
  gint64 max_delay_ns;          /* the same in ns, for the merge */
  gint64 leg_timeout_ns;

  Entry *ring;
  guint ring_size;              /* power of two */
  gboolean started;
  guint64 head;                 /* next packet to hand out */
  guint64 acct;                 /* next decided packet to account per leg */
  guint64 top;                  /* one past the highest packet held */
  guint64 next_held;            /* first HELD after head, 0: unknown */
  guint stale_run;
  gboolean restart;
  gboolean have_time;
  Entry *last_held;             /* the entry the last HELD push filled */

  /* one bit per 16-bit sequence number: decided (delivered or given up)
   * within the last half sequence cycle behind the head */
  guint64 decided[65536 / 64];

  MctxMergerStats stats;
  Leg legs[MCTX_MERGER_MAX_LEGS];
};

/* releases the GBytes that held entries keep (mctx_merger_push_bytes()) */
void mctx_merger_unref_held_bytes (MctxMerger * self);

/* marks a leg up or down and emits MctxMerger::leg-state-changed */
void mctx_merger_set_leg_up (MctxMerger * self, guint leg, gboolean up);

G_END_DECLS
