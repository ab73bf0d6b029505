/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsinkpacing.c: mctxsink's paced sending (issue #14).
 *
 * One MctxPacer per run (start to stop) gives every datagram a departure
 * time; the loop here sleeps to each slot and hands what is due then to
 * every leg, so redundant legs are paced alike. The schedule and the
 * kernel/user-space choice are libmctx's (docs/libmctx.md 8); this file
 * maps buffer timestamps to CLOCK_MONOTONIC, keeps basesink's unlock and
 * preroll rules, and words the errors in property terms.
 *
 * basesink's own sync is kept: it holds a render call until the sync time
 * of its first buffer, which is also the departure of the frame's first
 * packet, so nothing waits twice; the pacer spreads the rest of the frame
 * after it. With sync=false the pacer alone does the waiting.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsink.h"
#include "gstmctxsinkpacing.h"
#include "gstmctxsinklegs.h"

#include <string.h>
#include <time.h>

#define GST_CAT_DEFAULT gst_mctx_debug

#define DEFAULT_PACING            MCTX_PACING_NONE
#define DEFAULT_PACING_RATE       0
#define DEFAULT_PACING_BURST      1
#define DEFAULT_PACING_MECHANISM  MCTX_PACING_MECHANISM_AUTO

struct _GstMctxSinkPacing
{
  /* the run's pacer, NULL with pacing=none or when stopped; the pointer is
   * changed under the object lock (stats readers), used unlocked by the
   * streaming thread */
  MctxPacer *pacer;
  MctxPacingMode mode;
  /* the run's publications (refs), leg 0 first */
  MctxPublication *legs[GST_MCTX_SINK_N_LEGS];
  guint n_legs;
  /* the user-space mechanism: due runs go out like unpaced batches (on
   * two legs through gst_mctx_sink_legs_send_run()) */
  gboolean user_space;
  /* the last run's counters, for stats after stop */
  MctxPacerStats last;

  /* streaming thread only: per-datagram arrays, grown, never shrunk */
  gint64 *departures;
  guint alloc;
  /* timestamps without a clock: running time -> monotonic anchor */
  gint64 anchor_mono;
  GstClockTime anchor_running;
  /* the last sync time computed and the timestamp it is for: the render
   * calls of one frame share it (no clock, latency, offsets looked up per
   * call); NONE after a new schedule */
  GstClockTime sync_ts;
  gint64 sync_mono;
  /* the clock last seen and whether it is CLOCK_MONOTONIC itself */
  GstClock *clock;
  gboolean clock_is_monotonic;

  /* timestamps: the frame time last seen, and the latency added for it
   * (atomic: read by latency queries) */
  GstClockTime last_ts;
  gint64 frame_time;
  gint64 latency;
  gint latency_valid;

  /* set by the flush probe, taken by the streaming thread */
  gint reset_pending;
  GstPad *probe_pad;
  gulong probe_id;
};

/* {element property, MctxPacer property} of the validated settings */
static const struct
{
  const gchar *property;
  const gchar *setting;
} pacing_rows[] = {
  {"pacing", "mode"},
  {"pacing-rate", "rate"},
  {"pacing-burst", "burst"},
  {"pacing-mechanism", "mechanism"},
};

static gint64
monotonic_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * GST_SECOND + ts.tv_nsec;
}

void
gst_mctx_sink_pacing_install_properties (GObjectClass * gobject_class)
{
  /**
   * GstMctxSink:pacing:
   *
   * How datagrams are spaced out. `none` sends each buffer or list at
   * once (as before). `rate`: never faster than #GstMctxSink:pacing-rate,
   * with bursts of at most #GstMctxSink:pacing-burst datagrams.
   * `timestamps`: the datagrams of each frame (a run of buffers and lists
   * with the same timestamp) are spread evenly over the frame's time, the
   * first at the frame's sync time.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_PACING,
      g_param_spec_enum ("pacing", "Pacing",
          "How datagrams are spaced out: none, rate or timestamps",
          MCTX_TYPE_PACING_MODE, DEFAULT_PACING,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:pacing-rate:
   *
   * The most bits per second with #GstMctxSink:pacing `rate`, IP and UDP
   * headers counted (28 bytes per datagram for IPv4, 48 for IPv6). Required
   * in `rate` mode; checked at start: 1000 to 100000000000. 0 = not set.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_PACING_RATE,
      g_param_spec_uint64 ("pacing-rate", "Pacing rate",
          "Most bits per second in pacing=rate, IP+UDP headers counted "
          "(1000..100000000000; 0 = not set)", 0, G_MAXUINT64,
          DEFAULT_PACING_RATE, G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:pacing-burst:
   *
   * With #GstMctxSink:pacing `rate`, the most datagrams sent back to back
   * after an idle time. Checked at start: 1 to 65536.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_PACING_BURST,
      g_param_spec_uint ("pacing-burst", "Pacing burst",
          "Most datagrams back to back in pacing=rate (1..65536)", 0,
          G_MAXUINT, DEFAULT_PACING_BURST,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:pacing-mechanism:
   *
   * Who holds the datagrams until their time: `auto` uses the kernel's
   * departure-time pacing (SO_TXTIME) when the outgoing interface's root
   * qdisc is fq (or etf), else a user-space scheduler; `kernel` does the
   * same but posts a warning naming the interface and the `tc` command to
   * run when it must fall back; `user-space` never asks the kernel. The
   * mechanism in use is in #GstMctxSink:stats ("pacing-mechanism").
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_PACING_MECHANISM,
      g_param_spec_enum ("pacing-mechanism", "Pacing mechanism",
          "Kernel (SO_TXTIME on fq/etf) or user-space pacing: auto, "
          "user-space or kernel", MCTX_TYPE_PACING_MECHANISM,
          DEFAULT_PACING_MECHANISM,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));
}

GstMctxSinkPacing *
gst_mctx_sink_pacing_new (void)
{
  GstMctxSinkPacing *p = g_new0 (GstMctxSinkPacing, 1);

  p->last.mechanism = "none";
  return p;
}

/* only from finalize: init made @p, so it is never NULL */
void
gst_mctx_sink_pacing_free (GstMctxSinkPacing * p)
{
  g_clear_object (&p->pacer);
  g_free (p->departures);
  g_free (p);
}

/* a flush empties the pipeline: the next buffer starts a new schedule */
static GstPadProbeReturn
flush_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstMctxSinkPacing *p = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP)
    g_atomic_int_set (&p->reset_pending, 1);
  return GST_PAD_PROBE_OK;
}

/* The settings, checked by a pacer even with pacing=none (a bad rate is a
 * mistake whatever the mode). Returns the pacer, or NULL after posting an
 * error naming the property. */
static MctxPacer *
make_pacer (GstMctxSink * sink, MctxPacingMechanism * requested)
{
  MctxPacer *pacer = g_object_new (MCTX_TYPE_PACER, NULL);
  GError *err = NULL;
  const gchar *setting;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (pacing_rows); i++) {
    GValue v = G_VALUE_INIT;

    gst_mctx_settings_get (&sink->settings, GST_OBJECT (sink),
        pacing_rows[i].property, &v);
    if (i == 3) {
      *requested = g_value_get_enum (&v);
      /* kernel: the fallback is our element warning, not libmctx's
       * g_warning; otherwise it behaves as auto */
      if (*requested == MCTX_PACING_MECHANISM_KERNEL)
        g_value_set_enum (&v, MCTX_PACING_MECHANISM_AUTO);
    }
    g_object_set_property (G_OBJECT (pacer), pacing_rows[i].setting, &v);
    g_value_unset (&v);
  }

  if (mctx_pacer_validate (pacer, &err))
    return pacer;

  setting = mctx_error_get_setting (err);
  for (i = 0; i < G_N_ELEMENTS (pacing_rows); i++) {
    if (g_strcmp0 (pacing_rows[i].setting, setting) == 0)
      break;
  }
  if (i == G_N_ELEMENTS (pacing_rows))
    i = 0;
  {
    GValue v = G_VALUE_INIT;
    gchar *value;

    gst_mctx_settings_get (&sink->settings, GST_OBJECT (sink),
        pacing_rows[i].property, &v);
    value = G_VALUE_HOLDS_ENUM (&v) ? NULL : g_strdup_value_contents (&v);
    gst_mctx_bridge_post_settings_error (GST_ELEMENT (sink),
        pacing_rows[i].property, value, err);
    g_free (value);
    g_value_unset (&v);
  }
  g_clear_error (&err);
  g_object_unref (pacer);
  return NULL;
}

/**
 * gst_mctx_sink_pacing_start:
 * @legs: (array length=n_legs): the open publications of this run
 *
 * Checks the pacing settings and, unless pacing=none, starts a pacer on
 * @legs (the mechanism is chosen there). Called from start() after the
 * publications are open, before any buffer.
 *
 * Returns: %FALSE after posting an error (the caller closes the legs)
 */
gboolean
gst_mctx_sink_pacing_start (GstMctxSink * sink, MctxPublication ** legs,
    guint n_legs)
{
  GstMctxSinkPacing *p = sink->pacing;
  MctxPacingMechanism requested = MCTX_PACING_MECHANISM_AUTO;
  MctxPacer *pacer;
  MctxPacerStats stats;
  MctxPacingMode mode;
  const gchar *reason;
  GError *err = NULL;
  guint i;

  g_return_val_if_fail (n_legs <= GST_MCTX_SINK_N_LEGS, FALSE);
  pacer = make_pacer (sink, &requested);
  if (pacer == NULL)
    return FALSE;

  g_object_get (pacer, "mode", &mode, NULL);
  p->mode = mode;
  memset (&p->last, 0, sizeof (p->last));
  p->last.mechanism = "none";
  if (mode == MCTX_PACING_NONE) {
    g_object_unref (pacer);
    GST_DEBUG_OBJECT (sink, "pacing: none");
    return TRUE;
  }

  if (!mctx_pacer_start (pacer, legs, n_legs, &err)) {
    GST_ELEMENT_ERROR (sink, RESOURCE, OPEN_WRITE,
        ("Could not start pacing: %s", err->message), ("%s", err->message));
    g_clear_error (&err);
    g_object_unref (pacer);
    return FALSE;
  }

  mctx_pacer_get_stats (pacer, &stats);
  reason = mctx_pacer_get_fallback_reason (pacer);
  GST_INFO_OBJECT (sink, "pacing: %s, mechanism %s%s%s",
      mode == MCTX_PACING_RATE ? "rate" : "timestamps", stats.mechanism,
      reason ? " (" : "", reason ? reason : "");
  if (reason != NULL && requested == MCTX_PACING_MECHANISM_KERNEL) {
    GST_ELEMENT_WARNING (sink, RESOURCE, SETTINGS,
        ("Kernel pacing requested, but %s", reason),
        ("pacing-mechanism=kernel: %s", reason));
  }

  for (i = 0; i < n_legs; i++)
    p->legs[i] = g_object_ref (legs[i]);
  p->n_legs = n_legs;
  p->user_space = g_str_equal (stats.mechanism, "user-space");
  p->last_ts = GST_CLOCK_TIME_NONE;
  p->frame_time = -1;
  p->latency = 0;
  g_atomic_int_set (&p->latency_valid, 0);
  g_atomic_int_set (&p->reset_pending, 0);
  p->anchor_mono = -1;
  p->sync_ts = GST_CLOCK_TIME_NONE;
  p->clock = NULL;
  p->probe_pad = gst_element_get_static_pad (GST_ELEMENT (sink), "sink");
  p->probe_id = gst_pad_add_probe (p->probe_pad,
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, flush_probe, p, NULL);

  GST_OBJECT_LOCK (sink);
  p->pacer = pacer;
  GST_OBJECT_UNLOCK (sink);
  return TRUE;
}

/* after streaming stopped */
void
gst_mctx_sink_pacing_stop (GstMctxSink * sink)
{
  GstMctxSinkPacing *p = sink->pacing;
  MctxPacer *pacer;
  guint i;

  if (p->probe_pad != NULL) {
    gst_pad_remove_probe (p->probe_pad, p->probe_id);
    gst_clear_object (&p->probe_pad);
    p->probe_id = 0;
  }

  GST_OBJECT_LOCK (sink);
  pacer = p->pacer;
  p->pacer = NULL;
  if (pacer != NULL)
    mctx_pacer_get_stats (pacer, &p->last);
  GST_OBJECT_UNLOCK (sink);
  if (pacer != NULL) {
    GST_DEBUG_OBJECT (sink, "pacing: %s, %" G_GUINT64_FORMAT " packets, %"
        G_GUINT64_FORMAT " late, largest 1 ms burst %u, %" G_GUINT64_FORMAT
        " bit/s", p->last.mechanism, p->last.packets, p->last.late,
        p->last.max_burst_1ms, p->last.achieved_rate_bps);
    g_object_unref (pacer);
  }
  for (i = 0; i < GST_MCTX_SINK_N_LEGS; i++)
    g_clear_object (&p->legs[i]);
  p->n_legs = 0;
}

/**
 * gst_mctx_sink_pacing_adjust_latency:
 * @query: an answered LATENCY query
 *
 * pacing=timestamps spreads a frame over its own time, so its last
 * datagram leaves one frame time after its sync time: that frame is added
 * to the latency the sink reports. It also gives a payloader that pushes a
 * frame in pieces (rtpvrawpay) up to a frame's time to deliver them before
 * their slots.
 */
void
gst_mctx_sink_pacing_adjust_latency (GstMctxSink * sink, GstQuery * query)
{
  gint64 extra = g_atomic_int_get (&sink->pacing->latency_valid) ?
      sink->pacing->latency : 0;
  GstClockTime min, max;
  gboolean live;

  if (extra <= 0)
    return;
  gst_query_parse_latency (query, &live, &min, &max);
  GST_DEBUG_OBJECT (sink, "pacing adds %" GST_TIME_FORMAT " of latency",
      GST_TIME_ARGS (extra));
  gst_query_set_latency (query, live, min + extra,
      GST_CLOCK_TIME_IS_VALID (max) ? max + extra : max);
}

/* the frame time seen changed: report it as latency (the bin asks again) */
static void
update_frame_time (GstMctxSink * sink, GstBuffer * first)
{
  GstMctxSinkPacing *p = sink->pacing;
  GstClockTime ts = GST_BUFFER_PTS (first);
  gint64 ft = -1;

  if (GST_BUFFER_DURATION_IS_VALID (first))
    ft = GST_BUFFER_DURATION (first);
  else if (GST_CLOCK_TIME_IS_VALID (ts) && GST_CLOCK_TIME_IS_VALID (p->last_ts)
      && ts > p->last_ts)
    ft = ts - p->last_ts;
  if (GST_CLOCK_TIME_IS_VALID (ts))
    p->last_ts = ts;
  /* a new value only when it moved by more than a tenth: no latency
   * message per frame for jittery timestamps */
  if (ft <= 0 || ft > GST_SECOND || (p->frame_time > 0
          && ABS (ft - p->frame_time) * 10 <= p->frame_time))
    return;
  p->frame_time = ft;
  p->latency = ft;
  g_atomic_int_set (&p->latency_valid, 1);
  GST_INFO_OBJECT (sink, "pacing: frame time %" GST_TIME_FORMAT ", reported "
      "as latency", GST_TIME_ARGS (ft));
  gst_element_post_message (GST_ELEMENT (sink),
      gst_message_new_latency (GST_OBJECT (sink)));
}

/* streaming thread: whether render goes through gst_mctx_sink_pacing_send() */
gboolean
gst_mctx_sink_pacing_is_active (GstMctxSink * sink)
{
  return sink->pacing->pacer != NULL;
}

/* the stats fields, always present ("none" and zeros without pacing) */
void
gst_mctx_sink_pacing_add_stats (GstMctxSink * sink, GstStructure * s)
{
  GstMctxSinkPacing *p = sink->pacing;
  MctxPacerStats stats;

  GST_OBJECT_LOCK (sink);
  if (p->pacer != NULL)
    mctx_pacer_get_stats (p->pacer, &stats);
  else
    stats = p->last;
  GST_OBJECT_UNLOCK (sink);

  gst_structure_set (s,
      "pacing-mechanism", G_TYPE_STRING, stats.mechanism,
      "late-packets", G_TYPE_UINT64, stats.late,
      "max-burst-1ms", G_TYPE_UINT64, (guint64) stats.max_burst_1ms,
      "achieved-rate", G_TYPE_UINT64, stats.achieved_rate_bps, NULL);
  /* on the kernel path the datagrams bypass the publication's counters
   * (sendmmsg with SCM_TXTIME): the pacer's count them, once per stream,
   * which is what leg 0 sent (the top-level counters are leg 0's) */
  if (g_str_has_prefix (stats.mechanism, "kernel"))
    gst_structure_set (s,
        "packets-sent", G_TYPE_UINT64, stats.packets,
        "bytes-sent", G_TYPE_UINT64, stats.bytes, NULL);
}

/* ---- the streaming thread ---- */

static void
ensure_arrays (GstMctxSinkPacing * p, guint n)
{
  if (n > p->alloc) {
    guint a = MAX (n, MAX (64, p->alloc * 2));

    p->departures = g_renew (gint64, p->departures, a);
    p->alloc = a;
  }
}

static gint64 compute_sync_time (GstMctxSink * sink, GstClockTime ts,
    gint64 now);

/* The buffer's sync time as basesink computes it (running time + base
 * time + latency + ts-offset - render delay, on the pipeline clock), in
 * CLOCK_MONOTONIC ns; -1 without a timestamp. Computed once per frame
 * (the first render call with its timestamp; a pause within a frame then
 * sends the frame's rest at once, as after an unlock). */
static gint64
sync_time_monotonic (GstMctxSink * sink, GstBuffer * buf, gint64 now)
{
  GstMctxSinkPacing *p = sink->pacing;
  GstClockTime ts = GST_BUFFER_PTS_IS_VALID (buf) ? GST_BUFFER_PTS (buf) :
      GST_BUFFER_DTS (buf);

  if (ts != p->sync_ts || !GST_CLOCK_TIME_IS_VALID (ts)) {
    p->sync_mono = compute_sync_time (sink, ts, now);
    p->sync_ts = ts;
  }
  return p->sync_mono;
}

static gint64
compute_sync_time (GstMctxSink * sink, GstClockTime ts, gint64 now)
{
  GstBaseSink *bsink = GST_BASE_SINK (sink);
  GstMctxSinkPacing *p = sink->pacing;
  GstClockTime running, base;
  GstClockTimeDiff t;
  GstClock *clock;
  gint64 mono;

  /* timestamps in a BYTES segment (filesrc, fakesrc) have no sync time */
  if (!GST_CLOCK_TIME_IS_VALID (ts) || bsink->segment.format != GST_FORMAT_TIME)
    return -1;
  running = gst_segment_to_running_time (&bsink->segment, GST_FORMAT_TIME, ts);
  if (!GST_CLOCK_TIME_IS_VALID (running))
    return -1;

  clock = gst_element_get_clock (GST_ELEMENT (sink));
  if (clock == NULL) {
    /* no clock (not in a playing pipeline): keep the timestamps' spacing */
    if (p->anchor_mono < 0 || running < p->anchor_running) {
      p->anchor_mono = now;
      p->anchor_running = running;
    }
    return p->anchor_mono + (gint64) (running - p->anchor_running);
  }

  base = gst_element_get_base_time (GST_ELEMENT (sink));
  t = (GstClockTimeDiff) (running + base + gst_base_sink_get_latency (bsink)
      - gst_base_sink_get_render_delay (bsink))
      + gst_base_sink_get_ts_offset (bsink);

  if (clock != p->clock) {
    gint type = -1;

    p->clock = clock;           /* compared only, never dereferenced later */
    if (GST_IS_SYSTEM_CLOCK (clock))
      g_object_get (clock, "clock-type", &type, NULL);
    p->clock_is_monotonic = type == GST_CLOCK_TYPE_MONOTONIC;
  }
  if (p->clock_is_monotonic)
    mono = t;
  else
    mono = now + (t - (GstClockTimeDiff) gst_clock_get_time (clock));
  gst_object_unref (clock);
  return mono;
}

/* Cancelled by unlock(): wait in preroll. Returns FLUSHING on a flush or
 * a change to READY, OK once PLAYING again (the rest is then rescheduled
 * from now: the base time has moved). */
static GstFlowReturn
unlocked (GstMctxSink * sink, guint i, guint n)
{
  GstMctxSinkPacing *p = sink->pacing;
  GstFlowReturn flow;
  gint64 now;
  guint j;

  GST_DEBUG_OBJECT (sink, "unlocked while pacing (%u of %u sent)", i, n);
  flow = gst_base_sink_wait_preroll (GST_BASE_SINK (sink));
  if (flow != GST_FLOW_OK) {
    g_atomic_int_set (&p->reset_pending, 1);
    return flow;
  }
  mctx_pacer_reset (p->pacer);
  p->sync_ts = GST_CLOCK_TIME_NONE;     /* the base time has moved */
  now = monotonic_ns ();
  for (j = i; j < n; j++)
    p->departures[j] = now;
  return GST_FLOW_OK;
}

/* Kernel mechanism: hands messages[0..k) (all due now) to leg @l with
 * their departure times, with mctxsink's policy: wait while the socket is
 * full, skip a datagram too large, drop while the network is down, fail
 * on anything else. */
static GstFlowReturn
send_leg (GstMctxSink * sink, guint l, GOutputMessage * msgs,
    gint64 * departures, guint k)
{
  MctxPacer *pacer = sink->pacing->pacer;
  MctxPublication *leg = sink->pacing->legs[l];
  GstFlowReturn flow = GST_FLOW_OK;
  GError *err = NULL;
  guint off = 0;

  while (off < k) {
    gint sent = mctx_pacer_send_due (pacer, leg, msgs + off, k - off,
        departures + off, &err);
    gint step = gst_mctx_sink_handle_send (sink, leg, l, sent, &msgs[off],
        &err, &flow);

    if (step < 0)
      return flow;
    off += step;
  }
  return GST_FLOW_OK;
}

/**
 * gst_mctx_sink_pacing_send:
 * @first: the first buffer of the render call (its timestamp, duration and
 *   DISCONT flag stand for the call's)
 * @n_messages: the datagrams in sink->messages
 *
 * Schedules the render call's datagrams and sends each at its time on the
 * legs given to gst_mctx_sink_pacing_start(), all paced the same way.
 * Called with the PREROLL_LOCK held (from render), like the unpaced send.
 *
 * Returns: OK, FLUSHING (unlocked for a flush or READY) or ERROR (posted)
 */
GstFlowReturn
gst_mctx_sink_pacing_send (GstMctxSink * sink, GstBuffer * first, guint n)
{
  GstMctxSinkPacing *p = sink->pacing;
  GOutputMessage *msgs = sink->messages;
  GError *err = NULL;
  gint64 now, ts = -1, duration = -1;
  guint i, l;

  ensure_arrays (p, n);
  if (g_atomic_int_compare_and_exchange (&p->reset_pending, 1, 0)
      || GST_BUFFER_FLAG_IS_SET (first, GST_BUFFER_FLAG_DISCONT)) {
    GST_DEBUG_OBJECT (sink, "pacing: new schedule (flush or discontinuity)");
    mctx_pacer_reset (p->pacer);
    p->anchor_mono = -1;
    p->sync_ts = GST_CLOCK_TIME_NONE;
  }

  now = monotonic_ns ();
  if (p->mode == MCTX_PACING_TIMESTAMPS) {
    if (GST_BUFFER_PTS (first) != p->last_ts)
      update_frame_time (sink, first);
    ts = sync_time_monotonic (sink, first, now);
    if (GST_BUFFER_DURATION_IS_VALID (first))
      duration = GST_BUFFER_DURATION (first);
  }
  mctx_pacer_schedule (p->pacer, now, ts, duration, n, sink->sizes,
      p->departures);

  i = 0;
  while (i < n) {
    GstFlowReturn flow;
    guint k;

    if (!mctx_pacer_wait (p->pacer, p->departures[i], &now, sink->cancellable,
            &err)) {
      if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        goto wait_failed;
      g_clear_error (&err);
      flow = unlocked (sink, i, n);
      if (flow != GST_FLOW_OK)
        return flow;
      continue;
    }
    k = mctx_pacer_count_due (p->pacer, msgs + i, p->departures + i, n - i,
        now);
    if (k == 0)
      continue;                 /* held back by the bucket: wait again */
    if (p->user_space && p->n_legs > 1) {
      /* as unpaced: a full leg never holds the other back beyond the lag
       * budget, an error skips that leg only */
      if (!gst_mctx_sink_legs_send_run (sink, i, k)) {
        flow = unlocked (sink, i + k, n);
        if (flow != GST_FLOW_OK)
          return flow;
        i += k;
        continue;
      }
    } else {
      for (l = 0; l < p->n_legs; l++) {
        flow = send_leg (sink, l, msgs + i, p->departures + i, k);
        if (flow != GST_FLOW_OK)
          return flow;
      }
    }
    mctx_pacer_account (p->pacer, msgs + i, k, p->departures + i,
        monotonic_ns ());
    i += k;
  }
  return GST_FLOW_OK;

  /* ERRORS */
wait_failed:
  {
    GST_ELEMENT_ERROR (sink, RESOURCE, WRITE,
        ("Error while pacing: %s", err->message), ("%s", err->message));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
}
