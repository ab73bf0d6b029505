/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-merger-private.h"

#include <string.h>

/**
 * SECTION:mctx-merger
 * @title: MctxMerger
 * @short_description: SMPTE ST 2022-7 seamless protection merge
 *
 * A merger takes the RTP packets of two or more legs (the same stream sent
 * over separate networks) and hands out each packet once, in sequence
 * order, the first copy to arrive. A packet whose predecessor is missing
 * is held at most #MctxMerger:max-path-delay milliseconds after it
 * arrived, so the other leg can still bring the missing one; after that
 * the missing packet is given up (counted unrecoverable).
 *
 * The merger is a pure core: it reads no socket and no clock. The caller
 * pushes each received datagram with mctx_merger_push() and the time it
 * arrived, and takes the packets that are ready with mctx_merger_pop();
 * mctx_merger_next_deadline() says when to call pop again if nothing
 * arrives. Packets are never copied: a held message (buffer pointer,
 * user_data and info) is moved into the merger and moved out again.
 * Nothing is locked; use a merger from one thread. Its statistics can be
 * read from any thread (relaxed atomics).
 */

/* ---- sequence numbers ---- */

static inline void
decided_set (MctxMerger * self, guint64 ext)
{
  guint16 s = (guint16) ext;

  self->decided[s >> 6] |= G_GUINT64_CONSTANT (1) << (s & 63);
  /* half a cycle ahead is about to become "behind": forget it */
  s += 32768;
  self->decided[s >> 6] &= ~(G_GUINT64_CONSTANT (1) << (s & 63));
}

static inline gboolean
decided_get (MctxMerger * self, guint64 ext)
{
  guint16 s = (guint16) ext;

  return (self->decided[s >> 6] >> (s & 63)) & 1;
}

static inline Entry *
entry_at (MctxMerger * self, guint64 ext)
{
  return &self->ring[ext & (self->ring_size - 1)];
}

/* ---- RTP ---- */

/* Enough of RFC 3550 to tell RTP from other datagrams: version 2, a full
 * fixed header with its CSRCs, and not RTCP multiplexed on the same port
 * (RFC 5761: second byte 192..223 is an RTCP packet type). */
static inline gboolean
parse_rtp (const MctxMessage * msg, guint16 * seq)
{
  MctxRtpHeader h;

  if (msg->info.truncated ||
      !mctx_rtp_parse_header (msg->buffer, msg->info.size, &h))
    return FALSE;
  if (mctx_rtp_is_rtcp (&h))
    return FALSE;
  *seq = h.seq;
  return TRUE;
}

/* ---- legs ---- */


static void
note_time (MctxMerger * self, gint64 now_ns)
{
  guint i;

  /* legs count as up from the first moment the merger sees, so one that
   * never delivers anything is reported after leg-timeout */
  if (self->have_time)
    return;
  self->have_time = TRUE;
  for (i = 0; i < self->n_legs; i++)
    self->legs[i].last_ns = now_ns;
}

/**
 * mctx_merger_check_legs:
 * @self: a merger
 * @now_ns: the current time (same clock as for mctx_merger_push())
 *
 * Reports legs that have been silent for #MctxMerger:leg-timeout
 * (#MctxMerger::leg-state-changed). mctx_merger_pop() does this by itself.
 *
 * Since: 0.2
 */
void
mctx_merger_check_legs (MctxMerger * self, gint64 now_ns)
{
  guint i;

  g_return_if_fail (MCTX_IS_MERGER (self));
  note_time (self, now_ns);
  for (i = 0; i < self->n_legs; i++)
    if (self->legs[i].stats.up &&
        now_ns - self->legs[i].last_ns >= self->leg_timeout_ns)
      mctx_merger_set_leg_up (self, i, FALSE);
}

static void
skew_sample (MctxMerger * self, guint leg, gint64 diff)
{
  Leg *l = &self->legs[leg];

  if (diff < 0)
    diff = 0;
  l->skew_sum_ns += diff;
  BUMP (l->stats.skew_samples);
  STORE (l->stats.skew_mean_ns,
      (gint64) (l->skew_sum_ns / (gint64) l->stats.skew_samples));
  if (diff > l->stats.skew_max_ns)
    STORE (l->stats.skew_max_ns, diff);
}

/* ---- ring ---- */

static void
ring_grow (MctxMerger * self)
{
  guint new_size = self->ring_size * 2;
  Entry *ring = g_new0 (Entry, new_size);
  guint i;

  for (i = 0; i < self->ring_size; i++) {
    Entry *e = &self->ring[i];

    if (e->state != ENTRY_EMPTY)
      ring[e->ext & (new_size - 1)] = *e;
  }
  g_free (self->ring);
  self->ring = ring;
  self->ring_size = new_size;
}

/* Per-leg accounting of a decided packet whose window is over. */
static void
account (MctxMerger * self, Entry * e)
{
  guint i;

  for (i = 0; i < self->n_legs; i++)
    if (!((e->mask | e->late_mask) & (1u << i)))
      BUMP (self->legs[i].stats.lost);
  if (e->state == ENTRY_DELIVERED && (e->mask & (e->mask - 1)) == 0)
    BUMP (self->legs[e->first_leg].stats.unique);
}

static void
account_until (MctxMerger * self, gint64 now_ns, guint64 limit)
{
  while (self->acct < self->head) {
    Entry *e = entry_at (self, self->acct);

    if (self->acct >= limit && e->state == ENTRY_DELIVERED &&
        now_ns - e->first_ns <= self->max_delay_ns)
      break;
    account (self, e);
    self->acct++;
  }
}

/* Makes room for ext, which is at or after head. */
static void
ring_fit (MctxMerger * self, guint64 ext, gint64 now_ns)
{
  while (ext - self->acct >= self->ring_size && self->ring_size < RING_MAX)
    ring_grow (self);
  if (ext - self->acct >= self->ring_size)
    account_until (self, now_ns, ext - self->ring_size + 1);
}

/* ---- push ---- */

static MctxMergerVerdict
push_behind (MctxMerger * self, guint leg, guint64 ext, gint64 now_ns)
{
  Entry *e = entry_at (self, ext);
  Leg *l = &self->legs[leg];
  guint8 bit = 1u << leg;

  if (e->ext == ext && (e->state == ENTRY_DELIVERED
          || e->state == ENTRY_LOST)) {
    self->stale_run = 0;
    if ((e->mask | e->late_mask) & bit) {
      /* the same leg twice */
      BUMP (l->stats.duplicates);
      BUMP (self->stats.duplicates);
      return MCTX_MERGER_DUPLICATE;
    }
    if (e->state == ENTRY_DELIVERED) {
      gint64 diff = now_ns - e->first_ns;

      skew_sample (self, leg, diff);
      if (diff <= self->max_delay_ns) {
        e->mask |= bit;
        if (ext < self->acct) {
          /* accounted early to make room: undo this leg's loss */
          DROP (l->stats.lost);
        }
        BUMP (l->stats.duplicates);
        BUMP (self->stats.duplicates);
        return MCTX_MERGER_DUPLICATE;
      }
    }
    e->late_mask |= bit;
    if (ext < self->acct)
      DROP (l->stats.lost);
    BUMP (l->stats.late);
    BUMP (self->stats.late);
    return MCTX_MERGER_LATE;
  }

  if (decided_get (self, ext)) {
    /* decided, but its entry is gone (more than the ring behind) */
    self->stale_run = 0;
  } else if (++self->stale_run >= RESYNC_AFTER) {
    /* every leg sends numbers we never saw: the sender started over */
    self->restart = TRUE;
  }
  BUMP (l->stats.late);
  BUMP (self->stats.late);
  return MCTX_MERGER_LATE;
}

/**
 * mctx_merger_push: (skip)
 * @self: a merger
 * @leg: the leg the datagram arrived on, 0..n-legs-1
 * @message: a received datagram (e.g. from
 *   mctx_subscription_receive_messages())
 * @now_ns: its arrival time in nanoseconds, on a clock that only goes
 *   forward (e.g. g_get_monotonic_time() * 1000), the same for every call
 *
 * Offers one datagram to the merge. Only the RTP header is read, during
 * this call. With %MCTX_MERGER_HELD the message (buffer pointer,
 * user_data, info) now belongs to the merger and @message is cleared
 * (buffer %NULL, buffer_size 0, user_data %NULL): give the slot a new
 * buffer before receiving into it again. With any other verdict @message
 * is untouched and its buffer can be reused at once.
 *
 * A leg that was reported down comes back up here
 * (#MctxMerger::leg-state-changed is emitted from this call).
 *
 * Returns: what happened to the datagram
 *
 * Since: 0.2
 */
MctxMergerVerdict
mctx_merger_push (MctxMerger * self, guint leg, MctxMessage * message,
    gint64 now_ns)
{
  Leg *l;
  Entry *e;
  guint16 seq;
  guint64 ext;

  g_return_val_if_fail (MCTX_IS_MERGER (self), MCTX_MERGER_NOT_RTP);
  g_return_val_if_fail (leg < self->n_legs, MCTX_MERGER_NOT_RTP);
  g_return_val_if_fail (message != NULL, MCTX_MERGER_NOT_RTP);

  note_time (self, now_ns);
  l = &self->legs[leg];
  if (!parse_rtp (message, &seq)) {
    BUMP (l->stats.non_rtp);
    BUMP (self->stats.non_rtp);
    return MCTX_MERGER_NOT_RTP;
  }
  BUMP (l->stats.received);
  l->last_ns = now_ns;
  if (G_UNLIKELY (!l->stats.up))
    mctx_merger_set_leg_up (self, leg, TRUE);

  if (G_UNLIKELY (!self->started)) {
    self->started = TRUE;
    self->head = self->acct = self->top = EXT_BASE + seq;
    self->next_held = 0;
    self->stale_run = 0;
  }

  ext = mctx_rtp_seq_extend (self->head, seq);
  if (ext < self->head)
    return push_behind (self, leg, ext, now_ns);

  ring_fit (self, ext, now_ns);
  e = entry_at (self, ext);
  if (e->ext == ext && e->state == ENTRY_HELD) {
    guint8 bit = 1u << leg;

    if (!(e->mask & bit)) {
      e->mask |= bit;
      skew_sample (self, leg, now_ns - e->first_ns);
    }
    BUMP (l->stats.duplicates);
    BUMP (self->stats.duplicates);
    self->stale_run = 0;
    return MCTX_MERGER_DUPLICATE;
  }

  e->msg = *message;
  e->first_ns = now_ns;
  e->ext = ext;
  e->state = ENTRY_HELD;
  e->mask = 1u << leg;
  e->late_mask = 0;
  e->first_leg = leg;
  e->is_bytes = FALSE;
  self->last_held = e;
  message->buffer = NULL;
  message->buffer_size = 0;
  message->user_data = NULL;

  if (ext >= self->top)
    self->top = ext + 1;
  if (ext > self->head && self->next_held != 0 && ext < self->next_held)
    self->next_held = ext;
  self->stale_run = 0;
  STORE (self->stats.held, self->stats.held + 1);
  if (self->stats.held > self->stats.max_held)
    STORE (self->stats.max_held, self->stats.held);
  return MCTX_MERGER_HELD;
}

/* ---- pop ---- */

/* The first HELD packet after the head, or 0 when none is held. */
static guint64
find_next_held (MctxMerger * self)
{
  guint64 x;

  if (self->stats.held == 0)
    return 0;
  if (self->next_held != 0)
    return self->next_held;
  for (x = self->head + 1; x < self->top; x++) {
    Entry *e = entry_at (self, x);

    if (e->ext == x && e->state == ENTRY_HELD) {
      self->next_held = x;
      return x;
    }
  }
  return 0;
}

static void
advance_head (MctxMerger * self)
{
  decided_set (self, self->head);
  self->head++;
  if (self->next_held != 0 && self->next_held <= self->head)
    self->next_held = 0;
}

/* Moves out the packets that are ready; force: ignore the deadlines. */
static guint
release (MctxMerger * self, gint64 now_ns, gboolean force,
    MctxMessage * out, guint n_out, guint * legs)
{
  guint n = 0;

  while (n < n_out && self->stats.held > 0) {
    Entry *e = entry_at (self, self->head);
    guint64 g, x;

    if (e->ext == self->head && e->state == ENTRY_HELD) {
      out[n] = e->msg;
      if (legs)
        legs[n] = e->first_leg;
      n++;
      memset (&e->msg, 0, sizeof e->msg);
      e->state = ENTRY_DELIVERED;
      STORE (self->stats.held, self->stats.held - 1);
      BUMP (self->stats.delivered);
      BUMP (self->legs[e->first_leg].stats.delivered);
      advance_head (self);
      continue;
    }

    /* the head is missing: wait for the other legs until max-path-delay
     * after the packet that follows it arrived */
    g = find_next_held (self);
    if (g == 0)
      break;
    if (!force && now_ns - entry_at (self, g)->first_ns < self->max_delay_ns)
      break;
    for (x = self->head; x < g; x++) {
      Entry *m = entry_at (self, x);

      memset (m, 0, sizeof *m);
      m->ext = x;
      m->state = ENTRY_LOST;
      BUMP (self->stats.unrecoverable);
      advance_head (self);
    }
  }
  return n;
}

/* Forgets the sequence: the next packet starts it again. Held messages
 * must be out of the ring (released, or forgotten by the caller). */
static void
forget_sequence (MctxMerger * self)
{
  self->restart = FALSE;
  self->started = FALSE;
  self->stale_run = 0;
  self->next_held = 0;
  memset (self->decided, 0, sizeof self->decided);
  memset (self->ring, 0, sizeof (Entry) * self->ring_size);
}

void
mctx_merger_unref_held_bytes (MctxMerger * self)
{
  guint i;

  for (i = 0; i < self->ring_size; i++)
    if (self->ring[i].state == ENTRY_HELD && self->ring[i].is_bytes)
      g_bytes_unref (self->ring[i].msg.user_data);
}

/**
 * mctx_merger_pop: (skip)
 * @self: a merger
 * @now_ns: the current time (same clock as for mctx_merger_push())
 * @out: (array length=n_out) (out caller-allocates): where the packets go
 * @n_out: room in @out
 * @legs: (array length=n_out) (out caller-allocates) (optional): the leg
 *   each packet came from, or %NULL
 *
 * Hands out, in sequence order, the packets that are ready: those whose
 * predecessors are all delivered or given up. A missing packet is given
 * up (counted unrecoverable) once the packet after it has waited
 * max-path-delay. The messages (buffer, user_data, info as pushed) belong
 * to the caller again. Also reports silent legs and counts per-leg
 * losses of packets whose window is over.
 *
 * Returns: the number of packets in @out
 *
 * Since: 0.2
 */
guint
mctx_merger_pop (MctxMerger * self, gint64 now_ns, MctxMessage * out,
    guint n_out, guint * legs)
{
  guint n;

  g_return_val_if_fail (MCTX_IS_MERGER (self), 0);
  g_return_val_if_fail (out != NULL || n_out == 0, 0);

  mctx_merger_check_legs (self, now_ns);
  if (!self->started)
    return 0;
  n = release (self, now_ns, self->restart, out, n_out, legs);
  if (self->restart && self->stats.held == 0) {
    account_until (self, now_ns, G_MAXUINT64);
    BUMP (self->stats.resyncs);
    forget_sequence (self);
  } else {
    account_until (self, now_ns, 0);
  }
  return n;
}

/**
 * mctx_merger_drain: (skip)
 * @self: a merger
 * @out: (array length=n_out) (out caller-allocates): where the packets go
 * @n_out: room in @out
 * @legs: (array length=n_out) (out caller-allocates) (optional): the leg
 *   each packet came from, or %NULL
 *
 * Hands out the held packets in sequence order without waiting for
 * missing ones (at end of stream, or before the merger is freed: held
 * messages are the caller's buffers and are not released by the merger).
 * Call until it returns less than @n_out.
 *
 * Returns: the number of packets in @out
 *
 * Since: 0.2
 */
guint
mctx_merger_drain (MctxMerger * self, MctxMessage * out, guint n_out,
    guint * legs)
{
  g_return_val_if_fail (MCTX_IS_MERGER (self), 0);
  if (!self->started)
    return 0;
  return release (self, 0, TRUE, out, n_out, legs);
}

/**
 * mctx_merger_next_deadline:
 * @self: a merger
 * @now_ns: the current time
 *
 * When mctx_merger_pop() has something to do even if nothing arrives: a
 * held packet to hand out, a missing packet to give up, or a leg to
 * report silent. Wait for input until then.
 *
 * Returns: the time in nanoseconds (on the caller's clock); @now_ns when a
 *   packet is ready now; %G_MAXINT64 when there is nothing to wait for
 *
 * Since: 0.2
 */
gint64
mctx_merger_next_deadline (MctxMerger * self, gint64 now_ns)
{
  gint64 deadline = G_MAXINT64;
  guint i;

  g_return_val_if_fail (MCTX_IS_MERGER (self), G_MAXINT64);
  for (i = 0; i < self->n_legs; i++)
    if (self->legs[i].stats.up && self->have_time)
      deadline = MIN (deadline, self->legs[i].last_ns + self->leg_timeout_ns);
  if (self->started && self->stats.held > 0) {
    Entry *e = entry_at (self, self->head);

    if (self->restart || (e->ext == self->head && e->state == ENTRY_HELD))
      return now_ns;
    deadline = MIN (deadline,
        entry_at (self, find_next_held (self))->first_ns + self->max_delay_ns);
  }
  return MAX (deadline, now_ns);
}

/**
 * mctx_merger_reset:
 * @self: a merger
 *
 * Starts over as if new, keeping the settings and the counters (e.g. after
 * a flush or when the legs are reconfigured): the next packet starts the
 * sequence, and every leg counts as up again. Drain first: held messages
 * are forgotten (held #GBytes are released).
 *
 * Since: 0.2
 */
void
mctx_merger_reset (MctxMerger * self)
{
  guint i;

  g_return_if_fail (MCTX_IS_MERGER (self));
  mctx_merger_unref_held_bytes (self);
  forget_sequence (self);
  self->have_time = FALSE;
  STORE (self->stats.held, 0);
  for (i = 0; i < self->n_legs; i++)
    STORE (self->legs[i].stats.up, TRUE);
}

/* ---- GBytes (bindings) ---- */

/**
 * mctx_merger_push_bytes:
 * @self: a merger
 * @leg: the leg the packet arrived on
 * @packet: the datagram
 * @now_ns: its arrival time in nanoseconds
 *
 * mctx_merger_push() for bindings: a held packet keeps a reference to
 * @packet (no copy). Take packets out with mctx_merger_pop_bytes(); do
 * not mix with mctx_merger_pop() on one merger.
 *
 * Returns: what happened to the packet
 *
 * Since: 0.2
 */
MctxMergerVerdict
mctx_merger_push_bytes (MctxMerger * self, guint leg, GBytes * packet,
    gint64 now_ns)
{
  MctxMessage msg = { 0 };
  MctxMergerVerdict v;
  gsize size;

  g_return_val_if_fail (MCTX_IS_MERGER (self), MCTX_MERGER_NOT_RTP);
  g_return_val_if_fail (packet != NULL, MCTX_MERGER_NOT_RTP);

  msg.buffer = (guint8 *) g_bytes_get_data (packet, &size);
  msg.buffer_size = size;
  msg.info.size = size;
  msg.info.wire_size = size;
  msg.user_data = packet;
  v = mctx_merger_push (self, leg, &msg, now_ns);
  if (v == MCTX_MERGER_HELD) {
    g_bytes_ref (packet);
    self->last_held->is_bytes = TRUE;
  }
  return v;
}

/**
 * mctx_merger_pop_bytes:
 * @self: a merger
 * @now_ns: the current time
 * @leg: (out) (optional): the leg the packet came from
 *
 * mctx_merger_pop() for bindings, one packet at a time.
 *
 * Returns: (transfer full) (nullable): the next packet in order, or %NULL
 *   when none is ready
 *
 * Since: 0.2
 */
GBytes *
mctx_merger_pop_bytes (MctxMerger * self, gint64 now_ns, guint * leg)
{
  MctxMessage msg;
  guint l = 0;

  g_return_val_if_fail (MCTX_IS_MERGER (self), NULL);
  if (mctx_merger_pop (self, now_ns, &msg, 1, &l) == 0)
    return NULL;
  if (leg)
    *leg = l;
  return msg.user_data;
}
