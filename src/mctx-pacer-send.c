/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-pacer-private.h"
#include "mctx-publication-private.h"

#include <errno.h>
#include <string.h>

/* The sending half of MctxPacer: sleeping to each slot, handing the
 * datagrams due then to the kernel, and the statistics of what left. */

/* Absolute-time sleeps; with a cancellable, slices of at most
 * CANCEL_SLICE_NS spent waiting on its fd, the last stretch in an
 * absolute sleep so the wake-up is as precise as the timer allows. */
static gboolean
sleep_until (MctxPacer * self, gint64 deadline, GCancellable * cancellable,
    GError ** error)
{
  for (;;) {
    gint64 now, rem;

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      return FALSE;
    now = mctx_pacer_monotonic_ns ();
    if (now >= deadline)
      return TRUE;
    rem = deadline - now;
    if (cancellable != NULL && rem > CANCEL_SLICE_NS) {
      int fd = mctx_poll_cache_fd (&self->poll_cache, cancellable, error);

      /* -2: no file descriptor left (the socket layer's errno error);
       * a cancellable otherwise always has an fd (ppoll skips a -1) */
      if (fd == -2) {
        g_prefix_error (error, "pacer: ");
        return FALSE;
      }
      mctx_sock_wait_readable_ns (fd, rem - CANCEL_SLICE_NS / 2);
    } else {
      mctx_sock_sleep_until (deadline);
    }
  }
}

/**
 * mctx_pacer_wait:
 * @self: a started pacer
 * @departure_ns: the departure time of the next packet (CLOCK_MONOTONIC ns)
 * @now_ns: (out) (optional): the time when the wait ended
 * @cancellable: (nullable): ends the wait early from another thread
 * @error: return location for a #GError
 *
 * Sleeps until the packet may be handed to the kernel: its departure time
 * on the user-space path, 2 ms before it on the kernel path (the kernel
 * holds it the rest). A cancellation is noticed within 1 ms.
 *
 * Returns: %TRUE when the time has come; %FALSE with %G_IO_ERROR_CANCELLED
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_wait (MctxPacer * self, gint64 departure_ns, gint64 * now_ns,
    GCancellable * cancellable, GError ** error)
{
  gint64 target;

  g_return_val_if_fail (MCTX_IS_PACER (self), FALSE);
  target = departure_ns;
  if (self->kernel != MCTX_QDISC_OTHER)
    target -= KERNEL_LOOKAHEAD_NS;
  if (!sleep_until (self, target, cancellable, error))
    return FALSE;
  if (now_ns)
    *now_ns = mctx_pacer_monotonic_ns ();
  return TRUE;
}

static gsize
message_size (const GOutputMessage * msg)
{
  gsize size = 0;
  guint v;

  for (v = 0; v < msg->num_vectors; v++)
    size += msg->vectors[v].size;
  return size;
}

/**
 * mctx_pacer_count_due: (skip)
 * @self: a started pacer
 * @messages: (array length=n): the datagrams
 * @departures: (array length=n) (inout): their departure times, never
 *   decreasing; in %MCTX_PACING_RATE moved later where needed (see below)
 * @n: their number
 * @now_ns: the current time (from mctx_pacer_wait())
 *
 * How many datagrams from the first may be handed over now: those due at
 * @now_ns (within the next 2 ms on the kernel path). Only datagrams due
 * together travel in one call, so a GSO run never bunches datagrams that
 * should be spread.
 *
 * In %MCTX_PACING_RATE the token bucket is applied once more over the real
 * send times, with #MctxPacer:late-tolerance of extra credit: a sender that
 * woke late catches up in a burst of at most #MctxPacer:burst datagrams
 * plus what the rate carries in the tolerance; the departures of the
 * datagrams held back are moved to when the bucket allows them (so 0
 * means: wait again for departures[0]). After a longer stall the rate
 * falls short by the time lost instead of being exceeded.
 *
 * Returns: the number of datagrams due, from the first
 *
 * Since: 0.2
 */
guint
mctx_pacer_count_due (MctxPacer * self, const GOutputMessage * messages,
    gint64 * departures, guint n, gint64 now_ns)
{
  gint64 horizon = now_ns;
  guint k = 0;

  g_return_val_if_fail (MCTX_IS_PACER (self), 0);
  if (self->kernel != MCTX_QDISC_OTHER)
    horizon += KERNEL_LOOKAHEAD_NS;
  if (self->mode != MCTX_PACING_RATE || self->rate == 0) {
    while (k < n && departures[k] <= horizon)
      k++;
    return k;
  }
  while (k < n && departures[k] <= horizon) {
    MctxPacketCost cost;
    gint64 d;
    guint j;

    mctx_pacer_packet_cost (self, message_size (&messages[k]), &cost);
    /* the bucket over real times allows late-tolerance of credit beyond
     * the burst, so wake-up jitter below it costs no rate */
    d = mctx_pacer_bucket_peek (self, &self->sent_bucket, &cost,
        departures[k], self->late_tolerance);

    if (d > horizon) {
      /* held back: it and the ones after it never leave before d */
      for (j = k; j < n && departures[j] < d; j++)
        departures[j] = d;
      break;
    }
    departures[k] = d;
    /* it leaves now, or at d when the kernel holds it */
    mctx_pacer_bucket_take (self, &self->sent_bucket, &cost,
        MAX (d, now_ns));
    k++;
  }
  return k;
}

/**
 * mctx_pacer_send_due: (skip)
 * @self: a started pacer
 * @pub: one leg
 * @messages: (array length=n_messages): the datagrams due now
 * @n_messages: their number (from mctx_pacer_count_due())
 * @departures: (array length=n_messages): their departure times
 * @error: return location for a #GError
 *
 * Hands datagrams to one leg without blocking: through
 * mctx_publication_send_messages() on the user-space path, through one
 * sendmmsg() on the leg's socket with an SCM_TXTIME control message per
 * datagram (and no GSO) on the kernel path; either way the publication
 * counts them in its statistics and words a failure the same way.
 *
 * Returns: as mctx_publication_send_messages(): the number accepted, or -1
 *   with %G_IO_ERROR_WOULD_BLOCK, %MCTX_ERROR_MESSAGE_TOO_LARGE, ...
 *
 * Since: 0.2
 */
gint
mctx_pacer_send_due (MctxPacer * self, MctxPublication * pub,
    GOutputMessage * messages, guint n_messages, const gint64 * departures,
    GError ** error)
{
  g_return_val_if_fail (MCTX_IS_PACER (self), -1);
  g_return_val_if_fail (MCTX_IS_PUBLICATION (pub), -1);

  if (self->kernel == MCTX_QDISC_OTHER)
    return mctx_publication_send_messages (pub, messages, n_messages, error);
  return mctx_publication_send_txtime (pub, messages, n_messages,
      departures, self->clock_offset, error);
}

/**
 * mctx_pacer_account: (skip)
 * @self: a pacer
 * @messages: (array length=n_messages): datagrams that left
 * @n_messages: their number
 * @departures: (array length=n_messages): their departure times
 * @now_ns: when they were handed over
 *
 * Counts datagrams that left in the statistics: call once per datagram of
 * the stream (not once per leg). mctx_pacer_send() calls it itself.
 *
 * Since: 0.2
 */
void
mctx_pacer_account (MctxPacer * self, const GOutputMessage * messages,
    guint n_messages, const gint64 * departures, gint64 now_ns)
{
  guint i;

  g_return_if_fail (MCTX_IS_PACER (self));
  for (i = 0; i < n_messages; i++) {
    gsize size = message_size (&messages[i]);
    gint64 t;

    STAT_SET (self->packets, self->packets + 1);
    STAT_SET (self->bytes, self->bytes + size);
    STAT_SET (self->bits, self->bits + ((guint64) size + self->header_bytes)
        * 8);
    if (now_ns > departures[i] + self->late_tolerance)
      STAT_SET (self->late, self->late + 1);

    /* when it leaves the host: the kernel path holds it to its time */
    t = now_ns;
    if (self->kernel != MCTX_QDISC_OTHER && departures[i] > t)
      t = departures[i];
    if (self->first_time < 0) {
      STAT_SET (self->first_bits, self->bits);
      STAT_SET (self->first_time, t);
    }
    if (t > self->last_time)
      STAT_SET (self->last_time, t);

    /* packets within the last 1 ms, oldest dropped from the ring */
    while (self->ring_len > 0 &&
        self->ring[self->ring_head] <= t - BURST_WINDOW_NS) {
      self->ring_head = (self->ring_head + 1) % BURST_RING;
      self->ring_len--;
    }
    if (self->ring_len == BURST_RING) {
      self->ring_head = (self->ring_head + 1) % BURST_RING;
      self->ring_len--;
    }
    self->ring[(self->ring_head + self->ring_len) % BURST_RING] = t;
    self->ring_len++;
    if (self->ring_len > self->max_burst)
      STAT_SET (self->max_burst, self->ring_len);
  }
}

/**
 * mctx_pacer_send: (skip)
 * @self: a started pacer
 * @pub: the publication (for several legs use the parts: see below)
 * @messages: (array length=n_messages): the datagrams
 * @n_messages: their number
 * @departures: (array length=n_messages) (inout): their departure times,
 *   from mctx_pacer_schedule(); in %MCTX_PACING_RATE some may be moved
 *   later (see mctx_pacer_count_due())
 * @n_done: (out) (optional): how many datagrams were sent; on failure, the
 *   index of the one that failed
 * @cancellable: (nullable): ends the sleeps and waits early
 * @error: return location for a #GError
 *
 * Sends datagrams at their departure times, blocking until the last has
 * been handed over: it sleeps to each slot (mctx_pacer_wait()), sends the
 * datagrams due then in one call (mctx_pacer_count_due(),
 * mctx_pacer_send_due()), and when the socket buffer is full waits until
 * it has room: no datagram is dropped. With redundant legs, do the same
 * loop with one mctx_pacer_send_due() per leg for each batch and one
 * mctx_pacer_account().
 *
 * Returns: %TRUE when all were sent; %FALSE with %G_IO_ERROR_CANCELLED or a
 *   send error (%MCTX_ERROR_MESSAGE_TOO_LARGE: skip datagram @n_done and
 *   call again with the rest)
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_send (MctxPacer * self, MctxPublication * pub,
    GOutputMessage * messages, guint n_messages, gint64 * departures,
    guint * n_done, GCancellable * cancellable, GError ** error)
{
  guint i = 0;

  g_return_val_if_fail (MCTX_IS_PACER (self), FALSE);
  g_return_val_if_fail (MCTX_IS_PUBLICATION (pub), FALSE);

  while (i < n_messages) {
    gint64 now;
    guint k, off = 0;

    if (!mctx_pacer_wait (self, departures[i], &now, cancellable, error))
      goto failed;
    k = mctx_pacer_count_due (self, messages + i, departures + i,
        n_messages - i, now);
    if (k == 0)
      continue;                 /* held back by the bucket: wait again */
    while (off < k) {
      GError *err = NULL;
      gint r = mctx_pacer_send_due (self, pub, messages + i + off, k - off,
          departures + i + off, &err);

      if (r > 0) {
        mctx_pacer_account (self, messages + i + off, r, departures + i + off,
            mctx_pacer_monotonic_ns ());
        off += r;
        continue;
      }
      if (r == 0 || g_error_matches (err, G_IO_ERROR,
              G_IO_ERROR_WOULD_BLOCK)) {
        g_clear_error (&err);
        if (mctx_publication_wait_writable (pub, -1, cancellable, error))
          continue;
      } else {
        g_propagate_error (error, err);
      }
      i += off;
      goto failed;
    }
    i += k;
  }
  if (n_done)
    *n_done = n_messages;
  return TRUE;

failed:
  if (n_done)
    *n_done = i;
  return FALSE;
}

