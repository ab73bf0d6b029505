/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A publication's send path: one datagram, gathered pieces, or batches
 * (GSO runs in the socket layer), and what a failed send means. */
#include "mctx-publication-private.h"

#include <errno.h>

G_DEFINE_BOXED_TYPE (MctxSendReport, mctx_send_report, mctx_send_report_copy,
    mctx_send_report_free)

/**
 * mctx_send_report_copy:
 * @report: a report
 *
 * Returns: (transfer full): a copy
 */
MctxSendReport *
mctx_send_report_copy (const MctxSendReport * report)
{
  MctxSendReport *copy = g_new0 (MctxSendReport, 1);

  *copy = *report;
  if (copy->destination)
    g_object_ref (copy->destination);
  if (copy->local_address)
    g_object_ref (copy->local_address);
  return copy;
}

/**
 * mctx_send_report_free:
 * @report: a report
 */
void
mctx_send_report_free (MctxSendReport * report)
{
  if (report == NULL)
    return;
  g_clear_object (&report->destination);
  g_clear_object (&report->local_address);
  g_free (report);
}

/**
 * mctx_send_report_get_source_address:
 * @report: a report
 *
 * Returns: (transfer full): the effective source IP as text
 */
gchar *
mctx_send_report_get_source_address (const MctxSendReport * report)
{
  g_return_val_if_fail (report != NULL && report->local_address, NULL);
  return g_inet_address_to_string (g_inet_socket_address_get_address
      (report->local_address));
}

/* The outgoing interface was deleted and maybe created again under the
 * same name with a new index: point the socket at it. Rate-limited, as it
 * runs on the send path while the interface is missing. */
static void
refind_interface (MctxPublication * self)
{
  gint64 now = g_get_monotonic_time ();
  guint idx;
  int r;

  if (self->ifname[0] == '\0' || now - self->last_refind < 100000)
    return;
  self->last_refind = now;
  idx = mctx_sock_if_index (self->ifname);
  if (idx == 0 || idx == self->ifindex)
    return;
  r = mctx_sock_set_multicast_if (self->fd, self->group_addr.family, idx,
      NULL);
  if (r == 0 && mctx_address_needs_interface (&self->group_addr)) {
    MctxAddress g = self->group_addr;

    g.scope_id = idx;
    r = mctx_sock_connect (self->fd, &g, self->port);
    if (r == 0)
      self->group_addr.scope_id = idx;
  }
  if (r == 0) {
    g_debug ("interface %s is back as index %u", self->ifname, idx);
    self->ifindex = idx;
    mctx_publication_notify_interface (self);
  }
}

/* Turns a failed send's errno into the documented error, and counts it. */
static void
send_error (MctxPublication * self, int errsv, gsize size, GError ** error)
{
  if (errsv == EAGAIN || errsv == EWOULDBLOCK) {
    MCTX_STAT_ADD (self->stats.would_block, 1);
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
        "send buffer full");
    return;
  }
  MCTX_STAT_ADD (self->stats.send_errors, 1);
  if (errsv == EMSGSIZE) {
    mctx_set_error (error, NULL, MCTX_ERROR_MESSAGE_TOO_LARGE,
        "datagram of %" G_GSIZE_FORMAT " bytes is too large to send to "
        "'%s' port %u", size, self->group, self->port);
    return;
  }
  if (errsv == ENODEV || errsv == ENXIO || errsv == ENETDOWN ||
      errsv == ENETUNREACH || errsv == EHOSTUNREACH ||
      errsv == EADDRNOTAVAIL) {
    refind_interface (self);
    mctx_set_error (error, NULL, MCTX_ERROR_NETWORK_DOWN,
        "cannot send to '%s' port %u%s%s: %s", self->group, self->port,
        self->ifname[0] ? " on " : "", self->ifname, g_strerror (errsv));
    return;
  }
  mctx_set_errno_error (error, errsv, "send to '%s' port %u", self->group,
      self->port);
}

/**
 * mctx_publication_send:
 * @self: an open publication
 * @data: (array length=size): the datagram
 * @size: its size
 * @error: return location for a #GError
 *
 * Sends one datagram without blocking.
 *
 * Returns: the bytes sent, or -1 with %G_IO_ERROR_WOULD_BLOCK when the
 *   socket buffer is full, %MCTX_ERROR_MESSAGE_TOO_LARGE, or
 *   %MCTX_ERROR_SOCKET
 */
gssize
mctx_publication_send (MctxPublication * self, const guint8 * data,
    gsize size, GError ** error)
{
  GOutputVector v = { data, size };

  return mctx_publication_send_vectors (self, &v, 1, error);
}

/**
 * mctx_publication_send_vectors: (skip)
 * @self: an open publication
 * @vectors: (array length=n_vectors): the pieces of one datagram
 * @n_vectors: number of pieces
 * @error: return location for a #GError
 *
 * Sends one datagram gathered from several pieces, without copying them.
 *
 * Returns: the bytes sent, or -1 (see mctx_publication_send())
 */
gssize
mctx_publication_send_vectors (MctxPublication * self,
    const GOutputVector * vectors, guint n_vectors, GError ** error)
{
  gsize total = 0;
  gssize r;
  guint i;
  int errsv;

  if (!mctx_publication_check_call (self, error))
    return -1;
  r = mctx_sock_send_vectors (self->fd, vectors, n_vectors, &errsv);
  if (r < 0) {
    /* the size is only for the message */
    for (i = 0; i < n_vectors; i++)
      total += vectors[i].size;
    send_error (self, errsv, total, error);
    return -1;
  }
  MCTX_STAT_ADD (self->stats.packets_sent, 1);
  MCTX_STAT_ADD (self->stats.bytes_sent, (guint64) r);
  return r;
}

/**
 * mctx_publication_send_with_report:
 * @self: an open publication
 * @data: (array length=size): the datagram
 * @size: its size
 * @error: return location for a #GError
 *
 * Like mctx_publication_send(), and says what was sent where.
 *
 * Returns: (transfer full) (nullable): the report, or %NULL on error
 */
MctxSendReport *
mctx_publication_send_with_report (MctxPublication * self,
    const guint8 * data, gsize size, GError ** error)
{
  MctxSendReport *report;
  gssize r = mctx_publication_send (self, data, size, error);

  if (r < 0)
    return NULL;
  report = g_new0 (MctxSendReport, 1);
  report->destination = g_object_ref (self->destination);
  report->local_address = g_object_ref (self->local_address);
  report->bytes_sent = r;
  report->datagrams_sent = 1;
  return report;
}

/* One batch: with @departures, kernel pacing's send (no GSO, each
 * datagram leaving at departures[i] + @clock_offset_ns); both share the
 * checks, the scratch, the error wording and the statistics. */
static gint
send_batch (MctxPublication * self, GOutputMessage * messages,
    guint n_messages, const gint64 * departures, gint64 clock_offset_ns,
    GError ** error)
{
  guint64 bytes;
  gsize first_size;
  gint sent;
  int errsv;

  if (!mctx_publication_check_call (self, error))
    return -1;
  if (n_messages == 0)
    return 0;
  if (departures != NULL) {
    sent = mctx_send_batch_send_txtime (self->batch, self->fd, messages,
        n_messages, departures, clock_offset_ns, &bytes, &errsv,
        &first_size);
  } else {
    gboolean gso_ok = self->gso && self->gso_ok;

    sent = mctx_send_batch_send (self->batch, self->fd, messages,
        n_messages, &gso_ok, self->gso_max_segment, &bytes, &errsv,
        &first_size);
    /* a refusal is remembered; the gso setting itself stays as set */
    if (self->gso && !gso_ok)
      self->gso_ok = FALSE;
  }
  if (sent < 0) {
    send_error (self, errsv, first_size, error);
    return -1;
  }
  MCTX_STAT_ADD (self->stats.bytes_sent, bytes);
  MCTX_STAT_ADD (self->stats.packets_sent, (guint64) sent);
  return sent;
}

/**
 * mctx_publication_send_messages: (skip)
 * @self: an open publication
 * @messages: (array length=n_messages): datagrams; the address and control
 *   fields are ignored (the socket is connected), bytes_sent is filled
 * @n_messages: number of datagrams
 * @error: return location for a #GError
 *
 * Sends many datagrams in as few system calls as possible, without
 * blocking and without copying their data: one sendmmsg() in which runs of
 * equal-sized datagrams travel as UDP GSO super-datagrams (up to 64
 * segments; see #MctxPublication:gso), the others one by one. Where the
 * kernel refuses GSO, the publication remembers it and stops trying.
 *
 * Returns: the number of datagrams the kernel accepted (from the first on;
 *   fewer than @n_messages when the buffer filled up: call again with the
 *   rest), or -1 when not even the first was accepted:
 *   %G_IO_ERROR_WOULD_BLOCK, %MCTX_ERROR_MESSAGE_TOO_LARGE (that datagram
 *   alone is refused: skip it) or %MCTX_ERROR_SOCKET.
 */
gint
mctx_publication_send_messages (MctxPublication * self,
    GOutputMessage * messages, guint n_messages, GError ** error)
{
  return send_batch (self, messages, n_messages, NULL, 0, error);
}

gint
mctx_publication_send_txtime (MctxPublication * self,
    GOutputMessage * messages, guint n_messages, const gint64 * departures,
    gint64 clock_offset_ns, GError ** error)
{
  return send_batch (self, messages, n_messages, departures,
      clock_offset_ns, error);
}

/**
 * mctx_publication_wait_writable:
 * @self: an open publication
 * @timeout_us: how long to wait in microseconds, -1 for no limit
 * @cancellable: (nullable): cancels the wait from another thread
 * @error: return location for a #GError
 *
 * Waits until the socket buffer has room.
 *
 * Returns: %TRUE when writable; %FALSE with %G_IO_ERROR_CANCELLED or
 *   %G_IO_ERROR_TIMED_OUT
 */
gboolean
mctx_publication_wait_writable (MctxPublication * self, gint64 timeout_us,
    GCancellable * cancellable, GError ** error)
{
  if (!mctx_publication_check_call (self, error))
    return FALSE;
  return mctx_sock_wait (self->fd, MCTX_WAIT_WRITABLE, timeout_us,
      cancellable, &self->poll_cache, error);
}

