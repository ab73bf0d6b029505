/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

#include "mctx-socket.h"

/* Sending one batch on every leg of a redundant (ST 2022-7) stream.  Each
 * leg has its own position in the batch, so a leg whose socket is full
 * never stops the others; see docs/redundancy.md. */

static void
leg_failed (MctxRedundantLegResult * r, GError * err)
{
  r->failed++;
  if (r->error == NULL)
    r->error = err;
  else
    g_error_free (err);
}

/* The loop of mctx_redundant_send(), with the cancellable's fd kept in
 * @cache over its waits. */
static gboolean
send_legs (MctxPublication ** legs, guint n_legs, GOutputMessage * messages,
    guint n_messages, gint64 lag_timeout_us, GCancellable * cancellable,
    MctxPollCache * cache, MctxRedundantLegResult * results, GError ** error)
{
  gboolean blocked[MCTX_MERGER_MAX_LEGS] = { FALSE };
  gint64 lag_deadline = G_MAXINT64;
  guint i;

  for (;;) {
    MctxPollItem fds[MCTX_MERGER_MAX_LEGS + 1];
    guint nfds = 0, unfinished = 0, done = 0;
    gint timeout_ms = -1;
    int r;

    /* every leg that is not blocked goes as far as it can */
    for (i = 0; i < n_legs; i++) {
      MctxRedundantLegResult *res = &results[i];

      while (!blocked[i] && res->sent + res->dropped + res->failed <
          n_messages) {
        guint pos = res->sent + res->dropped + res->failed;
        GError *err = NULL;
        gint k = mctx_publication_send_messages (legs[i], messages + pos,
            n_messages - pos, &err);

        if (k > 0) {
          res->sent += k;
        } else if (k == 0 || g_error_matches (err, G_IO_ERROR,
                G_IO_ERROR_WOULD_BLOCK)) {
          g_clear_error (&err);
          blocked[i] = TRUE;
        } else if (g_error_matches (err, MCTX_ERROR, MCTX_ERROR_NOT_OPEN)) {
          /* nothing of this batch can go on this leg */
          leg_failed (res, err);
          res->failed += n_messages - pos - 1;
        } else {
          leg_failed (res, err);
        }
      }
      if (res->sent + res->dropped + res->failed == n_messages)
        done++;
      else
        unfinished++;
    }
    if (unfinished == 0)
      return TRUE;

    if (done > 0 && lag_timeout_us >= 0) {
      gint64 now = g_get_monotonic_time ();

      if (lag_deadline == G_MAXINT64)
        lag_deadline = now + lag_timeout_us;
      if (now >= lag_deadline) {
        /* the others are done: the blocked legs drop the rest */
        for (i = 0; i < n_legs; i++) {
          MctxRedundantLegResult *res = &results[i];

          res->dropped = n_messages - res->sent - res->failed;
        }
        return TRUE;
      }
      timeout_ms = (gint) MIN ((lag_deadline - now + 999) / 1000, G_MAXINT);
    }

    for (i = 0; i < n_legs; i++) {
      if (!blocked[i])
        continue;
      fds[nfds].fd = mctx_publication_get_fd (legs[i]);
      fds[nfds++].what = MCTX_WAIT_WRITABLE;
    }
    if (!mctx_poll_add_cancellable (fds, &nfds, cancellable, cache, error))
      return FALSE;
    r = mctx_sock_poll (fds, nfds, timeout_ms);
    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      return FALSE;
    if (r < 0) {
      /* not a leg's fault; count it on every unfinished leg and stop */
      for (i = 0; i < n_legs; i++) {
        MctxRedundantLegResult *res = &results[i];
        guint left = n_messages - res->sent - res->dropped - res->failed;

        if (left > 0) {
          GError *err = NULL;

          mctx_set_errno_error (&err, -r, "poll before sending");
          leg_failed (res, err);
          res->failed += left - 1;
        }
      }
      return TRUE;
    }
    /* a leg whose fd turned writable (or reports an error) tries again */
    nfds = 0;
    for (i = 0; i < n_legs; i++) {
      if (!blocked[i])
        continue;
      if (fds[nfds++].ready)
        blocked[i] = FALSE;
    }
  }
}

/**
 * mctx_redundant_send: (skip)
 * @legs: (array length=n_legs): one open publication per leg
 * @n_legs: how many, 1..%MCTX_MERGER_MAX_LEGS
 * @messages: (array length=n_messages): the datagrams, as for
 *   mctx_publication_send_messages()
 * @n_messages: how many
 * @lag_timeout_us: how long a blocked leg may lag behind the others
 *   once they are done, in microseconds; -1: no limit (the slowest leg
 *   paces), 0: drop at once on a leg that would block
 * @cancellable: (nullable): cancels a wait from another thread
 * @results: (array length=n_legs) (out caller-allocates): per-leg
 *   outcome; the caller frees each result's error
 * @error: return location for a #GError
 *
 * Sends every datagram of @messages on every leg, each leg through its
 * own publication in batches (sendmmsg, GSO), non-blocking. Legs that can
 * take datagrams are sent to at once; blocked legs are waited for with one
 * poll(). While every unfinished leg is blocked the call waits (back
 * pressure, nothing lost). When the others are done, a blocked leg gets
 * @lag_timeout_us more; then the rest of the batch is dropped on that leg
 * only (counted in its result's dropped). A datagram a leg cannot send at
 * all (too large, interface down, socket error, not open) is skipped on
 * that leg (failed, and the first such error is kept in the result).
 *
 * Returns: %TRUE when every leg is done with the batch; %FALSE only with
 *   %G_IO_ERROR_CANCELLED, or an errno error when no file descriptor is
 *   left to wait for @cancellable (the results say how far each leg got)
 *
 * Since: 0.2
 */
gboolean
mctx_redundant_send (MctxPublication ** legs, guint n_legs,
    GOutputMessage * messages, guint n_messages, gint64 lag_timeout_us,
    GCancellable * cancellable, MctxRedundantLegResult * results,
    GError ** error)
{
  MctxPollCache cache = MCTX_POLL_CACHE_INIT;
  gboolean ret;
  guint i;

  g_return_val_if_fail (legs != NULL && results != NULL, FALSE);
  g_return_val_if_fail (n_legs >= 1 && n_legs <= MCTX_MERGER_MAX_LEGS, FALSE);
  g_return_val_if_fail (messages != NULL || n_messages == 0, FALSE);

  for (i = 0; i < n_legs; i++) {
    g_return_val_if_fail (MCTX_IS_PUBLICATION (legs[i]), FALSE);
    results[i].sent = results[i].dropped = results[i].failed = 0;
    results[i].error = NULL;
  }
  ret = send_legs (legs, n_legs, messages, n_messages, lag_timeout_us,
      cancellable, &cache, results, error);
  mctx_poll_cache_clear (&cache);
  return ret;
}
