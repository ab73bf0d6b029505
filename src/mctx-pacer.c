/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-pacer-private.h"
#include "mctx-object-private.h"

#include <string.h>
#include <time.h>

/**
 * SECTION:mctx-pacer
 * @title: MctxPacer
 * @short_description: paced sending: departure times and a scheduler
 *
 * A pacer has two halves. The schedule (mctx_pacer_schedule(),
 * mctx_pacer_schedule_frame()) is pure arithmetic: it gives every packet a
 * departure time in CLOCK_MONOTONIC nanoseconds, from a token bucket
 * (%MCTX_PACING_RATE) or by spreading each frame over its time
 * (%MCTX_PACING_TIMESTAMPS). The sender (mctx_pacer_send(), or its parts
 * mctx_pacer_wait(), mctx_pacer_count_due(), mctx_pacer_send_due(),
 * mctx_pacer_account()) holds each packet until its time: in the kernel
 * (SO_TXTIME, when the egress qdisc is fq or etf) or by sleeping to each
 * slot with absolute-time sleeps and sending the packets due together in
 * one call.
 *
 * Since: 0.2
 */

enum
{
  PROP_0,
  PROP_MODE,
  PROP_RATE,
  PROP_BURST,
  PROP_HEADER_BYTES,
  PROP_LATE_TOLERANCE,
  PROP_MECHANISM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define FIELD(member) G_STRUCT_OFFSET (MctxPacer, member)

G_DEFINE_TYPE (MctxPacer, mctx_pacer, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (MctxPacingMode, mctx_pacing_mode,
    G_DEFINE_ENUM_VALUE (MCTX_PACING_NONE, "none"),
    G_DEFINE_ENUM_VALUE (MCTX_PACING_RATE, "rate"),
    G_DEFINE_ENUM_VALUE (MCTX_PACING_TIMESTAMPS, "timestamps"))

G_DEFINE_ENUM_TYPE (MctxPacingMechanism, mctx_pacing_mechanism,
    G_DEFINE_ENUM_VALUE (MCTX_PACING_MECHANISM_AUTO, "auto"),
    G_DEFINE_ENUM_VALUE (MCTX_PACING_MECHANISM_USER_SPACE, "user-space"),
    G_DEFINE_ENUM_VALUE (MCTX_PACING_MECHANISM_KERNEL, "kernel"))

G_DEFINE_ENUM_TYPE (MctxQdiscKind, mctx_qdisc_kind,
    G_DEFINE_ENUM_VALUE (MCTX_QDISC_OTHER, "other"),
    G_DEFINE_ENUM_VALUE (MCTX_QDISC_FQ, "fq"),
    G_DEFINE_ENUM_VALUE (MCTX_QDISC_ETF, "etf"))

static void
reset_schedule (MctxPacer * self)
{
  self->last_departure = G_MININT64;
  memset (&self->bucket, 0, sizeof self->bucket);
  memset (&self->sent_bucket, 0, sizeof self->sent_bucket);
  self->frame_ts = -1;
  self->frame_duration = -1;
  self->frame_expected = 0;
  self->frame_count = 0;
  self->prev_count = 0;
  self->interval = -1;
}

static void
mctx_pacer_init (MctxPacer * self)
{
  self->mode = MCTX_PACING_NONE;
  self->burst = 1;
  self->header_bytes = 28;
  self->late_tolerance = 500 * 1000;
  self->mechanism = MCTX_PACING_MECHANISM_AUTO;
  self->poll_cache.fd = -1;
  self->first_time = -1;
  self->ring = g_new (gint64, BURST_RING);
  reset_schedule (self);
}

static void
mctx_pacer_finalize (GObject * object)
{
  MctxPacer *self = MCTX_PACER (object);

  mctx_poll_cache_clear (&self->poll_cache);
  g_free (self->ring);
  g_free (self->fallback_reason);
  G_OBJECT_CLASS (mctx_pacer_parent_class)->finalize (object);
}

static void
mctx_pacer_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  mctx_field_set_property (object, prop_id, value, pspec);
  /* a new setting starts a new schedule: no debt from the old rate */
  reset_schedule (MCTX_PACER (object));
}

static void
mctx_pacer_class_init (MctxPacerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = mctx_pacer_finalize;
  object_class->set_property = mctx_pacer_set_property;
  object_class->get_property = mctx_field_get_property;

  /**
   * MctxPacer:mode:
   *
   * How departure times are assigned.
   *
   * Since: 0.2
   */
  properties[PROP_MODE] = mctx_param_field (FIELD (mode),
      g_param_spec_enum ("mode", "Mode",
      "How departure times are assigned", MCTX_TYPE_PACING_MODE,
      MCTX_PACING_NONE, rw));
  /**
   * MctxPacer:rate:
   *
   * The most bits per second for %MCTX_PACING_RATE, IP and UDP headers
   * counted (see #MctxPacer:header-bytes); 0 = not set. Checked by
   * mctx_pacer_validate(): 1000 to 100000000000.
   *
   * Since: 0.2
   */
  properties[PROP_RATE] = mctx_param_field (FIELD (rate),
      g_param_spec_uint64 ("rate", "Rate",
      "Most bits per second, headers counted (0 = not set)", 0,
      G_MAXUINT64, 0, rw));
  /**
   * MctxPacer:burst:
   *
   * The most packets that may leave back to back after an idle time in
   * %MCTX_PACING_RATE. Checked by mctx_pacer_validate(): 1 to 65536.
   *
   * Since: 0.2
   */
  properties[PROP_BURST] = mctx_param_field (FIELD (burst),
      g_param_spec_uint ("burst", "Burst",
      "Most packets back to back in rate mode", 0, G_MAXUINT, 1, rw));
  /**
   * MctxPacer:header-bytes:
   *
   * Bytes added to each datagram's payload for the rate: 28 for IPv4
   * (20 IP + 8 UDP), 48 for IPv6 (40 + 8). mctx_pacer_start() sets it from
   * the first leg's group family.
   *
   * Since: 0.2
   */
  properties[PROP_HEADER_BYTES] = mctx_param_field (FIELD (header_bytes),
      g_param_spec_uint ("header-bytes",
      "Header bytes", "Bytes counted per datagram besides the payload", 0,
      1024, 28, rw));
  /**
   * MctxPacer:late-tolerance:
   *
   * A packet handed to the kernel more than this many nanoseconds after
   * its departure time counts as late in #MctxPacerStats.
   *
   * Since: 0.2
   */
  properties[PROP_LATE_TOLERANCE] = mctx_param_field (FIELD (late_tolerance),
      g_param_spec_int64 ("late-tolerance",
      "Late tolerance", "Nanoseconds after its slot a packet counts as late",
      0, G_GINT64_CONSTANT (1000000000), 500 * 1000, rw));
  /**
   * MctxPacer:mechanism:
   *
   * Which mechanism holds packets until their time; applied by
   * mctx_pacer_start().
   *
   * Since: 0.2
   */
  properties[PROP_MECHANISM] = mctx_param_field (FIELD (mechanism),
      g_param_spec_enum ("mechanism", "Mechanism",
      "Kernel (SO_TXTIME) or user-space pacing", MCTX_TYPE_PACING_MECHANISM,
      MCTX_PACING_MECHANISM_AUTO, rw));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/**
 * mctx_pacer_new:
 * @mode: the pacing mode
 *
 * Returns: (transfer full): a new pacer; set #MctxPacer:rate and
 *   #MctxPacer:burst for %MCTX_PACING_RATE
 *
 * Since: 0.2
 */
MctxPacer *
mctx_pacer_new (MctxPacingMode mode)
{
  return g_object_new (MCTX_TYPE_PACER, "mode", mode, NULL);
}

/**
 * mctx_pacer_validate:
 * @self: a pacer
 * @error: return location for a #GError
 *
 * Checks the settings: a rate, when set, within 1000..100000000000 bit/s,
 * and set for %MCTX_PACING_RATE; a burst within 1..65536. Errors are
 * %MCTX_ERROR_INVALID_VALUE naming the setting ("rate", "burst") and the
 * value; mctx_error_get_setting() returns the setting.
 *
 * Returns: %TRUE when the settings can be used
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_validate (MctxPacer * self, GError ** error)
{
  g_return_val_if_fail (MCTX_IS_PACER (self), FALSE);

  if (self->mode == MCTX_PACING_RATE && self->rate == 0) {
    mctx_set_error (error, "rate", MCTX_ERROR_INVALID_VALUE,
        "pacing mode rate needs a rate: rate is 0 (give 1000.."
        "100000000000 bit/s)");
    return FALSE;
  }
  if (self->rate != 0 && (self->rate < RATE_MIN || self->rate > RATE_MAX)) {
    mctx_set_error (error, "rate", MCTX_ERROR_INVALID_VALUE,
        "rate %" G_GUINT64_FORMAT " bit/s is out of range (1000.."
        "100000000000)", self->rate);
    return FALSE;
  }
  if (self->burst < 1 || self->burst > BURST_MAX) {
    mctx_set_error (error, "burst", MCTX_ERROR_INVALID_VALUE,
        "burst %u is out of range (1..%u packets)", self->burst, BURST_MAX);
    return FALSE;
  }
  return TRUE;
}

/**
 * mctx_pacer_reset:
 * @self: a pacer
 *
 * Forgets the schedule: the token bucket is full again and no frame is
 * known (after a flush or a discontinuity). Statistics are kept.
 *
 * Since: 0.2
 */
void
mctx_pacer_reset (MctxPacer * self)
{
  g_return_if_fail (MCTX_IS_PACER (self));
  reset_schedule (self);
}

/* ---- the schedule ---- */

/* A token bucket in the GCRA form: tat is when the bucket would be empty;
 * a packet may leave up to burst-1 packet times before it. The fraction
 * of a nanosecond is kept, so the long-run rate is exact. */
void
mctx_pacer_packet_cost (MctxPacer * self, gsize size, MctxPacketCost * cost)
{
  guint64 num = ((guint64) size + self->header_bytes) * 8
      * G_GUINT64_CONSTANT (1000000000);

  cost->ns = num / self->rate;
  cost->frac = num % self->rate;
}

gint64
mctx_pacer_bucket_peek (MctxPacer * self, const MctxBucket * b,
    const MctxPacketCost * cost, gint64 earliest, gint64 slack)
{
  if (!b->set)
    return earliest;
  return MAX (earliest, b->tat - (gint64) (self->burst - 1) * cost->ns - slack);
}

void
mctx_pacer_bucket_take (MctxPacer * self, MctxBucket * b,
    const MctxPacketCost * cost, gint64 departure)
{
  if (!b->set || departure > b->tat) {
    b->tat = departure;
    b->rem = 0;
    b->set = TRUE;
  }
  b->tat += cost->ns;
  b->rem += cost->frac;
  if (b->rem >= self->rate) {
    b->tat++;
    b->rem -= self->rate;
  }
}

static void
schedule_rate (MctxPacer * self, gint64 now, guint n, const gsize * sizes,
    gint64 * departures)
{
  guint i;

  for (i = 0; i < n; i++) {
    MctxPacketCost cost;
    gint64 d;

    mctx_pacer_packet_cost (self, sizes[i], &cost);
    d = mctx_pacer_bucket_peek (self, &self->bucket, &cost, now, 0);
    mctx_pacer_bucket_take (self, &self->bucket, &cost, d);
    departures[i] = d;
  }
}

static void
begin_frame (MctxPacer * self, gint64 ts, gint64 duration, guint expected)
{
  if (self->frame_ts >= 0) {
    self->prev_count = self->frame_count;
    if (ts > self->frame_ts)
      self->interval = ts - self->frame_ts;
  }
  self->frame_ts = ts;
  self->frame_count = 0;
  self->frame_duration = duration >= 0 ? duration : self->interval;
  self->frame_expected = expected > 0 ? expected : self->prev_count;
}

static void
schedule_frame_part (MctxPacer * self, guint n, gint64 * departures)
{
  gint64 ts = self->frame_ts, dur = self->frame_duration;
  guint expected = self->frame_expected, i;

  for (i = 0; i < n; i++) {
    guint64 k = (guint64) self->frame_count + i;
    gint64 d;

    if (dur <= 0 || expected == 0) {
      /* neither the frame's time nor its size known yet (the first frame
       * without a duration, or the first frame at all): it leaves at its
       * sync time, unspread */
      d = ts;
    } else if (k < expected) {
      d = ts + (gint64) ((k * (guint64) dur) / expected);
    } else {
      /* more packets than the estimate: the rest leave by the frame's
       * end, so the frame never takes more than its own time */
      d = ts + dur;
    }
    departures[i] = d;
  }
  self->frame_count += n;
}

static gboolean
schedule (MctxPacer * self, gint64 now, gint64 ts, gint64 duration,
    guint n, const gsize * sizes, gint64 * departures, gboolean whole)
{
  guint i;

  g_return_val_if_fail (MCTX_IS_PACER (self), FALSE);
  g_return_val_if_fail (n == 0 || departures != NULL, FALSE);
  g_return_val_if_fail (n == 0 || sizes != NULL
      || self->mode != MCTX_PACING_RATE, FALSE);
  if (!mctx_pacer_validate (self, NULL)) {
    g_critical ("mctx_pacer_schedule: invalid settings; call "
        "mctx_pacer_validate() first");
    return FALSE;
  }
  switch (self->mode) {
    case MCTX_PACING_NONE:
      for (i = 0; i < n; i++)
        departures[i] = now;
      return TRUE;
    case MCTX_PACING_RATE:
      schedule_rate (self, now, n, sizes, departures);
      break;
    case MCTX_PACING_TIMESTAMPS:
      if (ts >= 0 && ts - now > MAX_AHEAD_NS) {
        /* not a CLOCK_MONOTONIC time (a clock of another epoch): sleeping
         * to it would stall the stream, and fq would drop it */
        if (!self->warned_ahead)
          g_warning ("pacer: frame timestamp %" G_GINT64_FORMAT " ns is %"
              G_GINT64_FORMAT " s ahead of now (%" G_GINT64_FORMAT "): not a "
              "CLOCK_MONOTONIC time? Sending such frames unpaced", ts,
              (ts - now) / G_GINT64_CONSTANT (1000000000), now);
        self->warned_ahead = TRUE;
        ts = -1;
      }
      if (ts < 0) {
        /* no timestamp: nothing to spread over */
        for (i = 0; i < n; i++)
          departures[i] = now;
      } else {
        if (whole || ts != self->frame_ts)
          begin_frame (self, ts, duration, whole ? n : 0);
        else if (duration > 0)
          self->frame_duration = duration;
        schedule_frame_part (self, n, departures);
      }
      break;
  }
  /* a frame that spilled over pushes the next one back: order is kept */
  for (i = 0; i < n; i++) {
    if (departures[i] < self->last_departure)
      departures[i] = self->last_departure;
    self->last_departure = departures[i];
  }
  return TRUE;
}

/**
 * mctx_pacer_schedule: (skip)
 * @self: a pacer with valid settings
 * @now_ns: the current CLOCK_MONOTONIC time in nanoseconds: the earliest
 *   departure in %MCTX_PACING_RATE and %MCTX_PACING_NONE
 * @timestamp_ns: for %MCTX_PACING_TIMESTAMPS, the sync time (CLOCK_MONOTONIC
 *   ns) of the frame these packets belong to, -1 when unknown (the packets
 *   leave at @now_ns); ignored by the other modes
 * @duration_ns: the frame's duration in ns, -1 when unknown
 * @n_packets: number of packets
 * @sizes: (array length=n_packets) (nullable): their payload sizes in bytes
 *   (may be %NULL except in %MCTX_PACING_RATE)
 * @departures: (array length=n_packets) (out caller-allocates): their
 *   departure times, CLOCK_MONOTONIC ns, never decreasing
 *
 * Gives departure times to packets as they arrive, without waiting for the
 * rest of their frame.
 *
 * In %MCTX_PACING_TIMESTAMPS a frame is the run of calls with the
 * same @timestamp_ns, and its first packet leaves at its timestamp, and
 * packet k at `timestamp + k * duration / expected`, where duration is
 * @duration_ns or, when unknown, the interval between the last two frame
 * timestamps, and expected is the previous frame's packet count. Packets
 * beyond that count leave at the frame's end. A frame whose time or count
 * is not known yet (the first one) leaves at its timestamp, unspread.
 * Departures never go backwards: a frame that overran delays the next.
 * A timestamp more than 10 s ahead of @now_ns is taken for a clock
 * mix-up: those packets leave at @now_ns, with one warning.
 *
 * Returns: %FALSE (with a critical warning) when the settings are invalid
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_schedule (MctxPacer * self, gint64 now_ns, gint64 timestamp_ns,
    gint64 duration_ns, guint n_packets, const gsize * sizes,
    gint64 * departures)
{
  return schedule (self, now_ns, timestamp_ns, duration_ns, n_packets, sizes,
      departures, FALSE);
}

/**
 * mctx_pacer_schedule_frame: (skip)
 * @self: a pacer with valid settings
 * @now_ns: the current CLOCK_MONOTONIC time in ns (see mctx_pacer_schedule())
 * @frame_time_ns: the frame's sync time, CLOCK_MONOTONIC ns
 * @frame_duration_ns: its duration in ns, -1 when unknown (then the
 *   interval since the previous frame)
 * @n_packets: all the frame's packets
 * @sizes: (array length=n_packets) (nullable): their payload sizes
 * @departures: (array length=n_packets) (out caller-allocates): their
 *   departure times
 *
 * Like mctx_pacer_schedule() for a whole frame whose packets are all known:
 * in %MCTX_PACING_TIMESTAMPS packet k leaves at exactly
 * `frame_time + k * duration / n_packets`. Always starts a new frame.
 *
 * Returns: %FALSE when the settings are invalid
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_schedule_frame (MctxPacer * self, gint64 now_ns,
    gint64 frame_time_ns, gint64 frame_duration_ns, guint n_packets,
    const gsize * sizes, gint64 * departures)
{
  return schedule (self, now_ns, frame_time_ns, frame_duration_ns, n_packets,
      sizes, departures, TRUE);
}

/**
 * mctx_pacer_schedule_times:
 * @self: a pacer with valid settings
 * @now_ns: the current CLOCK_MONOTONIC time in ns
 * @timestamp_ns: the frame's sync time (CLOCK_MONOTONIC ns), -1 unknown
 * @duration_ns: the frame's duration in ns, -1 unknown
 * @whole_frame: %TRUE when these are all the frame's packets
 *   (mctx_pacer_schedule_frame()), %FALSE for a part
 *   (mctx_pacer_schedule())
 * @sizes: (array length=n_packets): the packets' payload sizes
 * @n_packets: their number
 *
 * mctx_pacer_schedule() and mctx_pacer_schedule_frame() for language
 * bindings.
 *
 * Returns: (transfer full) (element-type gint64) (nullable): the departure
 *   times, or %NULL when the settings are invalid
 *
 * Since: 0.2
 */
GArray *
mctx_pacer_schedule_times (MctxPacer * self, gint64 now_ns,
    gint64 timestamp_ns, gint64 duration_ns, gboolean whole_frame,
    const gsize * sizes, guint n_packets)
{
  GArray *out = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_packets);

  g_array_set_size (out, n_packets);
  if (!schedule (self, now_ns, timestamp_ns, duration_ns, n_packets, sizes,
          (gint64 *) out->data, whole_frame)) {
    g_array_unref (out);
    return NULL;
  }
  return out;
}

/* ---- starting ---- */

static const gchar *
mechanism_name (MctxPacer * self)
{
  if (!self->started || self->mode == MCTX_PACING_NONE)
    return "none";
  switch (self->kernel) {
    case MCTX_QDISC_FQ:
      return "kernel-fq";
    case MCTX_QDISC_ETF:
      return "kernel-etf";
    default:
      return "user-space";
  }
}

static gint64
tai_offset (void)
{
  struct timespec a, b;

  clock_gettime (CLOCK_TAI, &a);
  clock_gettime (CLOCK_MONOTONIC, &b);
  return ((gint64) a.tv_sec - b.tv_sec) * G_GINT64_CONSTANT (1000000000)
      + (a.tv_nsec - b.tv_nsec);
}

/* MCTX_PACER_ASSUME_QDISC=fq|etf makes every interface look like it has
 * that root qdisc: for tests of the SO_TXTIME path on hosts without fq
 * (the kernel then sends at once, but the path is exercised). */
static gboolean
probe (guint ifindex, MctxQdiscKind * kind, gchar ** qdisc, GError ** error)
{
  const gchar *assume = g_getenv ("MCTX_PACER_ASSUME_QDISC");

  if (assume != NULL && (strcmp (assume, "fq") == 0
          || strcmp (assume, "etf") == 0)) {
    *kind = assume[0] == 'f' ? MCTX_QDISC_FQ : MCTX_QDISC_ETF;
    *qdisc = g_strdup (assume);
    return TRUE;
  }
  return mctx_pacer_probe_kernel (ifindex, kind, qdisc, error);
}

/* Finds the mechanism every leg can do; fills reason when a kernel one
 * was ruled out. */
static MctxQdiscKind
common_kernel_kind (MctxPublication ** legs, guint n_legs, GString * reason)
{
  MctxQdiscKind common = MCTX_QDISC_OTHER;
  guint i;

  for (i = 0; i < n_legs; i++) {
    guint ifindex = mctx_publication_get_effective_interface_index (legs[i]);
    MctxQdiscKind kind = MCTX_QDISC_OTHER;
    gchar *qdisc = NULL;
    GError *err = NULL;
    gchar ifname[IF_NAMESIZE] = "";

    if (ifindex == 0 || !mctx_sock_if_name (ifindex, ifname))
      g_snprintf (ifname, sizeof ifname, "index %u", ifindex);
    if (!probe (ifindex, &kind, &qdisc, &err)) {
      g_string_append_printf (reason, "cannot read the qdisc of interface "
          "%s (%s)", ifname, err->message);
      g_clear_error (&err);
      return MCTX_QDISC_OTHER;
    }
    if (kind == MCTX_QDISC_OTHER) {
      g_string_append_printf (reason, "interface %s has root qdisc %s, "
          "which cannot pace by departure time; configure "
          "`tc qdisc replace dev %s root fq`", ifname,
          qdisc ? qdisc : "(none)", ifname);
      g_free (qdisc);
      return MCTX_QDISC_OTHER;
    }
    g_free (qdisc);
    if (i > 0 && kind != common) {
      g_string_append_printf (reason, "the legs' interfaces have "
          "different qdiscs (fq and etf); configure the same on all");
      return MCTX_QDISC_OTHER;
    }
    common = kind;
  }
  return common;
}

/**
 * mctx_pacer_start:
 * @self: a pacer
 * @legs: (array length=n_legs): the open publications it will send to: one,
 *   or the redundant legs of one stream (all paced the same way)
 * @n_legs: their number
 * @error: return location for a #GError
 *
 * Validates the settings and chooses the mechanism. With
 * %MCTX_PACING_MECHANISM_AUTO or %MCTX_PACING_MECHANISM_KERNEL it reads the
 * root qdisc of each leg's outgoing interface (mctx_pacer_probe_kernel()):
 * when all are fq (or all etf), it turns on SO_TXTIME on each leg's socket
 * and the kernel holds the packets; otherwise the user-space scheduler
 * does. A kernel mechanism asked for and not possible is a g_warning()
 * naming the interface and the `tc` command that enables it; the same text
 * is kept in mctx_pacer_get_fallback_reason(). The choice is in the debug
 * log and in #MctxPacerStats.mechanism. Call it again after a leg reopens
 * (its socket is new). Also resets the schedule.
 *
 * Returns: %TRUE, or %FALSE with the error of mctx_pacer_validate() or
 *   %MCTX_ERROR_NOT_OPEN
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_start (MctxPacer * self, MctxPublication ** legs, guint n_legs,
    GError ** error)
{
  MctxQdiscKind kind = MCTX_QDISC_OTHER;
  GString *reason;
  guint i;

  g_return_val_if_fail (MCTX_IS_PACER (self), FALSE);
  g_return_val_if_fail (n_legs == 0 || legs != NULL, FALSE);

  if (!mctx_pacer_validate (self, error))
    return FALSE;
  for (i = 0; i < n_legs; i++) {
    if (!mctx_publication_is_open (legs[i])) {
      mctx_set_error (error, NULL, MCTX_ERROR_NOT_OPEN,
          "pacer: leg %u (group %s) is not open", i,
          mctx_publication_get_group (legs[i]));
      return FALSE;
    }
  }
  if (n_legs > 0) {
    const gchar *group = mctx_publication_get_group (legs[0]);

    g_object_set (self, "header-bytes",
        group != NULL && strchr (group, ':') != NULL ? 48 : 28, NULL);
  }
  reset_schedule (self);
  g_clear_pointer (&self->fallback_reason, g_free);
  /* SO_TXTIME has no "off": a socket that had it and is now paced in user
   * space sends datagrams without a txtime, which leave at once */

  reason = g_string_new (NULL);
  if (self->mode != MCTX_PACING_NONE
      && self->mechanism != MCTX_PACING_MECHANISM_USER_SPACE && n_legs > 0)
    kind = common_kernel_kind (legs, n_legs, reason);
  for (i = 0; i < n_legs && kind != MCTX_QDISC_OTHER; i++) {
    GError *err = NULL;

    if (!mctx_sock_enable_txtime (mctx_publication_get_fd (legs[i]), kind,
            &err)) {
      g_string_append_printf (reason, "SO_TXTIME refused on group %s (%s)",
          mctx_publication_get_group (legs[i]), err->message);
      g_clear_error (&err);
      kind = MCTX_QDISC_OTHER;
    }
  }
  self->kernel = kind;
  self->clock_offset = kind == MCTX_QDISC_ETF ? tai_offset () : 0;
  self->started = TRUE;

  if (reason->len > 0 && kind == MCTX_QDISC_OTHER) {
    self->fallback_reason = g_strdup_printf ("pacing in user space: %s",
        reason->str);
    if (self->mechanism == MCTX_PACING_MECHANISM_KERNEL)
      g_warning ("kernel pacing requested, but %s", self->fallback_reason);
  }
  g_debug ("pacer: mode %s, mechanism %s%s%s",
      self->mode == MCTX_PACING_RATE ? "rate" :
      self->mode == MCTX_PACING_TIMESTAMPS ? "timestamps" : "none",
      mechanism_name (self), self->fallback_reason ? ": " : "",
      self->fallback_reason ? self->fallback_reason : "");
  g_string_free (reason, TRUE);
  return TRUE;
}

/**
 * mctx_pacer_get_fallback_reason:
 * @self: a started pacer
 *
 * Returns: (nullable): why the kernel mechanism is not used (naming the
 *   interface and the qdisc to configure), or %NULL when it is, or was not
 *   considered
 *
 * Since: 0.2
 */
const gchar *
mctx_pacer_get_fallback_reason (MctxPacer * self)
{
  g_return_val_if_fail (MCTX_IS_PACER (self), NULL);
  return self->fallback_reason;
}

/**
 * mctx_pacer_get_stats:
 * @self: a pacer
 * @stats: (out caller-allocates): filled with the counters
 *
 * Reads the statistics; safe from any thread. They are kept across
 * mctx_pacer_start() and mctx_pacer_reset().
 *
 * Since: 0.2
 */
void
mctx_pacer_get_stats (MctxPacer * self, MctxPacerStats * stats)
{
  gint64 first, last;
  guint64 bits, first_bits;

  g_return_if_fail (MCTX_IS_PACER (self));
  g_return_if_fail (stats != NULL);

  first = MCTX_STAT_GET (self->first_time);
  last = MCTX_STAT_GET (self->last_time);
  bits = MCTX_STAT_GET (self->bits);
  first_bits = MCTX_STAT_GET (self->first_bits);

  stats->mechanism = mechanism_name (self);
  stats->packets = MCTX_STAT_GET (self->packets);
  stats->bytes = MCTX_STAT_GET (self->bytes);
  stats->late = MCTX_STAT_GET (self->late);
  stats->max_burst_1ms = MCTX_STAT_GET (self->max_burst);
  stats->achieved_rate_bps = 0;
  if (stats->packets >= 2 && first >= 0 && last > first && bits > first_bits) {
    /* the first packet's bits went at the start of the span */
    stats->achieved_rate_bps = (guint64) ((gdouble) (bits - first_bits) * 1e9
        / (gdouble) (last - first));
  }
}

/**
 * mctx_pacer_probe_kernel:
 * @ifindex: an interface index
 * @kind: (out): what its root qdisc can do
 * @qdisc_name: (out) (optional) (transfer full) (nullable): the root
 *   qdisc's name ("fq", "noqueue", "mq", ...), %NULL when it has none
 * @error: return location for a #GError
 *
 * Asks the kernel (rtnetlink RTM_GETQDISC) which qdisc is at the root of
 * the interface's egress. %MCTX_QDISC_FQ and %MCTX_QDISC_ETF honour
 * SO_TXTIME departure times; a root `mq` counts when every queue's qdisc
 * is fq (or every one etf), as `net.core.default_qdisc=fq` gives.
 *
 * Returns: %TRUE when the qdiscs could be read (@kind says what they
 *   are), %FALSE with %MCTX_ERROR_INTERFACE_NOT_FOUND or an errno error
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_probe_kernel (guint ifindex, MctxQdiscKind * kind,
    gchar ** qdisc_name, GError ** error)
{
  gchar ifname[IF_NAMESIZE];

  g_return_val_if_fail (kind != NULL, FALSE);
  *kind = MCTX_QDISC_OTHER;
  if (qdisc_name)
    *qdisc_name = NULL;
  if (ifindex == 0 || !mctx_sock_if_name (ifindex, ifname)) {
    mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_NOT_FOUND,
        "no interface has index %u", ifindex);
    return FALSE;
  }
  return mctx_netlink_txtime_qdisc (ifindex, kind, qdisc_name, error);
}
