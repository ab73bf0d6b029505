/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MctxMerger as an object: construction, settings, counters, GObject
 * boilerplate. The merge itself is in mctx-merger.c. */
#include "mctx-merger-private.h"
#include "mctx-object-private.h"
#include "mctx-boxed-private.h"

enum
{
  PROP_0,
  PROP_N_LEGS,
  PROP_MAX_PATH_DELAY,
  PROP_LEG_TIMEOUT,
  N_PROPS
};

enum
{
  SIGNAL_LEG_STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define FIELD(member) G_STRUCT_OFFSET (MctxMerger, member)

G_DEFINE_FINAL_TYPE (MctxMerger, mctx_merger, G_TYPE_OBJECT)

/**
 * mctx_merger_leg_stats_copy:
 * @stats: leg statistics
 *
 * Returns: (transfer full): a copy
 *
 * Since: 0.2
 */
/**
 * mctx_merger_leg_stats_free:
 * @stats: leg statistics from mctx_merger_leg_stats_copy()
 *
 * Since: 0.2
 */
MCTX_DEFINE_PLAIN_BOXED (MctxMergerLegStats, mctx_merger_leg_stats)

/**
 * mctx_merger_stats_copy:
 * @stats: merger statistics
 *
 * Returns: (transfer full): a copy
 *
 * Since: 0.2
 */
/**
 * mctx_merger_stats_free:
 * @stats: merger statistics from mctx_merger_stats_copy()
 *
 * Since: 0.2
 */
MCTX_DEFINE_PLAIN_BOXED (MctxMergerStats, mctx_merger_stats)

/* ---- legs ---- */

void
mctx_merger_set_leg_up (MctxMerger * self, guint leg, gboolean up)
{
  Leg *l = &self->legs[leg];

  if (l->stats.up == up)
    return;
  STORE (l->stats.up, up);
  if (!up)
    BUMP (l->stats.outages);
  g_signal_emit (self, signals[SIGNAL_LEG_STATE_CHANGED], 0, leg, up);
}

/* ---- settings ---- */

/**
 * mctx_merger_new:
 * @n_legs: how many legs to merge, 2..%MCTX_MERGER_MAX_LEGS
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a merger, or %NULL with
 *   %MCTX_ERROR_INVALID_VALUE (setting "n-legs")
 *
 * Since: 0.2
 */
MctxMerger *
mctx_merger_new (guint n_legs, GError ** error)
{
  if (!mctx_check_n_legs (n_legs, MCTX_MERGER_MAX_LEGS, error))
    return NULL;
  return g_object_new (MCTX_TYPE_MERGER, "n-legs", n_legs, NULL);
}

/**
 * mctx_merger_get_n_legs:
 * @self: a merger
 *
 * Returns: the number of legs
 *
 * Since: 0.2
 */
guint
mctx_merger_get_n_legs (MctxMerger * self)
{
  g_return_val_if_fail (MCTX_IS_MERGER (self), 0);
  return self->n_legs;
}

/* The millisecond settings: checked against their paramspec's range
 * (errors name the property), then set as the property. */
static gboolean
set_ms (MctxMerger * self, guint prop, guint ms, GError ** error)
{
  GParamSpecUInt *spec;

  spec = G_PARAM_SPEC_UINT (properties[prop]);
  if (!mctx_check_range (error, g_param_spec_get_name (properties[prop]), ms,
          spec->minimum, spec->maximum, " ms"))
    return FALSE;
  g_object_set (self, g_param_spec_get_name (properties[prop]), ms, NULL);
  return TRUE;
}

/**
 * mctx_merger_set_max_path_delay:
 * @self: a merger
 * @ms: the path differential to absorb, 1..1000 milliseconds
 * @error: return location for a #GError
 *
 * Sets #MctxMerger:max-path-delay; takes effect at once.
 *
 * Returns: %FALSE with %MCTX_ERROR_INVALID_VALUE when out of range
 *
 * Since: 0.2
 */
gboolean
mctx_merger_set_max_path_delay (MctxMerger * self, guint ms, GError ** error)
{
  g_return_val_if_fail (MCTX_IS_MERGER (self), FALSE);
  return set_ms (self, PROP_MAX_PATH_DELAY, ms, error);
}

/**
 * mctx_merger_get_max_path_delay:
 * @self: a merger
 *
 * Returns: #MctxMerger:max-path-delay in milliseconds
 *
 * Since: 0.2
 */
guint
mctx_merger_get_max_path_delay (MctxMerger * self)
{
  g_return_val_if_fail (MCTX_IS_MERGER (self), 0);
  return self->max_path_delay;
}

/**
 * mctx_merger_set_leg_timeout:
 * @self: a merger
 * @ms: silence after which a leg is reported down, 10..60000 milliseconds
 * @error: return location for a #GError
 *
 * Sets #MctxMerger:leg-timeout; takes effect at once.
 *
 * Returns: %FALSE with %MCTX_ERROR_INVALID_VALUE when out of range
 *
 * Since: 0.2
 */
gboolean
mctx_merger_set_leg_timeout (MctxMerger * self, guint ms, GError ** error)
{
  g_return_val_if_fail (MCTX_IS_MERGER (self), FALSE);
  return set_ms (self, PROP_LEG_TIMEOUT, ms, error);
}

/**
 * mctx_merger_get_leg_timeout:
 * @self: a merger
 *
 * Returns: #MctxMerger:leg-timeout in milliseconds
 *
 * Since: 0.2
 */
guint
mctx_merger_get_leg_timeout (MctxMerger * self)
{
  g_return_val_if_fail (MCTX_IS_MERGER (self), 0);
  return self->leg_timeout;
}

/**
 * mctx_merger_get_stats:
 * @self: a merger
 * @stats: (out caller-allocates): filled with the counters
 *
 * Safe from any thread.
 *
 * Since: 0.2
 */
void
mctx_merger_get_stats (MctxMerger * self, MctxMergerStats * stats)
{
  g_return_if_fail (MCTX_IS_MERGER (self));
  g_return_if_fail (stats != NULL);
  stats->delivered = MCTX_STAT_GET (self->stats.delivered);
  stats->unrecoverable = MCTX_STAT_GET (self->stats.unrecoverable);
  stats->duplicates = MCTX_STAT_GET (self->stats.duplicates);
  stats->late = MCTX_STAT_GET (self->stats.late);
  stats->non_rtp = MCTX_STAT_GET (self->stats.non_rtp);
  stats->resyncs = MCTX_STAT_GET (self->stats.resyncs);
  stats->held = MCTX_STAT_GET (self->stats.held);
  stats->max_held = MCTX_STAT_GET (self->stats.max_held);
}

/**
 * mctx_merger_get_leg_stats:
 * @self: a merger
 * @leg: 0..n-legs-1
 * @stats: (out caller-allocates): filled with the leg's counters
 *
 * Safe from any thread.
 *
 * Returns: %FALSE when @leg is out of range
 *
 * Since: 0.2
 */
gboolean
mctx_merger_get_leg_stats (MctxMerger * self, guint leg,
    MctxMergerLegStats * stats)
{
  const MctxMergerLegStats *s;

  g_return_val_if_fail (MCTX_IS_MERGER (self), FALSE);
  g_return_val_if_fail (stats != NULL, FALSE);
  if (leg >= self->n_legs)
    return FALSE;
  s = &self->legs[leg].stats;
  stats->received = MCTX_STAT_GET (s->received);
  stats->delivered = MCTX_STAT_GET (s->delivered);
  stats->unique = MCTX_STAT_GET (s->unique);
  stats->lost = MCTX_STAT_GET (s->lost);
  stats->late = MCTX_STAT_GET (s->late);
  stats->duplicates = MCTX_STAT_GET (s->duplicates);
  stats->non_rtp = MCTX_STAT_GET (s->non_rtp);
  stats->skew_mean_ns = MCTX_STAT_GET (s->skew_mean_ns);
  stats->skew_max_ns = MCTX_STAT_GET (s->skew_max_ns);
  stats->skew_samples = MCTX_STAT_GET (s->skew_samples);
  stats->up = MCTX_STAT_GET (s->up);
  stats->outages = MCTX_STAT_GET (s->outages);
  return TRUE;
}

/* ---- GObject ---- */

static void
mctx_merger_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  MctxMerger *self = MCTX_MERGER (object);

  mctx_field_set_property (object, prop_id, value, pspec);
  /* the merge itself compares nanoseconds */
  self->max_delay_ns = self->max_path_delay * MS_NS;
  self->leg_timeout_ns = self->leg_timeout * MS_NS;
}

static void
mctx_merger_finalize (GObject * object)
{
  MctxMerger *self = MCTX_MERGER (object);

  /* held GBytes are ours; held messages are the caller's (see drain) */
  mctx_merger_unref_held_bytes (self);
  g_free (self->ring);
  G_OBJECT_CLASS (mctx_merger_parent_class)->finalize (object);
}

static void
mctx_merger_class_init (MctxMergerClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      G_PARAM_EXPLICIT_NOTIFY;

  gobject_class->set_property = mctx_merger_set_property;
  gobject_class->get_property = mctx_field_get_property;
  gobject_class->finalize = mctx_merger_finalize;

  /**
   * MctxMerger:n-legs:
   *
   * How many legs are merged. Set at construction.
   *
   * Since: 0.2
   */
  properties[PROP_N_LEGS] = mctx_param_field (FIELD (n_legs),
      g_param_spec_uint ("n-legs", "Legs", "How many legs are merged", 2,
          MCTX_MERGER_MAX_LEGS, 2, G_PARAM_READWRITE |
          G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * MctxMerger:max-path-delay:
   *
   * The path differential the merge absorbs, in milliseconds: how long a
   * packet is held back waiting for a missing predecessor from another
   * leg. ST 2022-7 skew classes: A 10 ms, B 50 ms (the default), C 150 ms.
   * Packets are held only while one is missing, so a larger value costs
   * latency only when a leg loses a packet.
   *
   * Since: 0.2
   */
  properties[PROP_MAX_PATH_DELAY] = mctx_param_field (FIELD (max_path_delay),
      g_param_spec_uint ("max-path-delay", "Maximum path delay",
          "Path differential absorbed, in milliseconds", MAX_PATH_DELAY_MIN,
          MAX_PATH_DELAY_MAX, DEFAULT_MAX_PATH_DELAY, rw));

  /**
   * MctxMerger:leg-timeout:
   *
   * Silence in milliseconds after which a leg is reported down.
   *
   * Since: 0.2
   */
  properties[PROP_LEG_TIMEOUT] = mctx_param_field (FIELD (leg_timeout),
      g_param_spec_uint ("leg-timeout", "Leg timeout",
          "Silence after which a leg is reported down, in milliseconds",
          LEG_TIMEOUT_MIN, LEG_TIMEOUT_MAX, DEFAULT_LEG_TIMEOUT, rw));

  g_object_class_install_properties (gobject_class, N_PROPS, properties);

  /**
   * MctxMerger::leg-state-changed:
   * @self: the merger
   * @leg: the leg
   * @up: %TRUE when it delivers again, %FALSE when it went silent
   *
   * Emitted from mctx_merger_push() (up) or mctx_merger_pop() /
   * mctx_merger_check_legs() (down), in the merging thread.
   *
   * Since: 0.2
   */
  signals[SIGNAL_LEG_STATE_CHANGED] = g_signal_new ("leg-state-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
mctx_merger_init (MctxMerger * self)
{
  guint i;

  self->n_legs = 2;
  self->max_path_delay = DEFAULT_MAX_PATH_DELAY;
  self->leg_timeout = DEFAULT_LEG_TIMEOUT;
  self->max_delay_ns = DEFAULT_MAX_PATH_DELAY * MS_NS;
  self->leg_timeout_ns = DEFAULT_LEG_TIMEOUT * MS_NS;
  self->ring_size = RING_MIN;
  self->ring = g_new0 (Entry, self->ring_size);
  for (i = 0; i < MCTX_MERGER_MAX_LEGS; i++)
    self->legs[i].stats.up = TRUE;
}
