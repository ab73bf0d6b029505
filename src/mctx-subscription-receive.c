/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The receive path. One family of functions:
 *
 *   receive()           = receive_messages() with one slot, repeated while
 *                         only filtered datagrams come
 *   receive_messages()  -> receive_plain()  one batch system call
 *                       -> receive_gro()    coalesced reads, split
 *   both                -> accept_datagram() per datagram, after the socket
 *                         layer has parsed its control messages
 *
 * A new per-datagram step (a statistic, an analysis hook) goes into
 * accept_datagram() or count_delivered(). Nothing here allocates or makes
 * a system call per datagram. */
#include "mctx-subscription-private.h"
#include "mctx-boxed-private.h"

#include <errno.h>
#include <string.h>

/* how many foreign datagrams one receive call drains before giving up */
#define MAX_FILTERED_PER_CALL 4096

/**
 * mctx_packet_info_copy:
 * @info: packet metadata
 *
 * Returns: (transfer full): a copy
 */
/**
 * mctx_packet_info_free:
 * @info: packet metadata
 */
MCTX_DEFINE_PLAIN_BOXED (MctxPacketInfo, mctx_packet_info)

/**
 * mctx_packet_info_get_sender:
 * @info: packet metadata
 *
 * Returns: (transfer full): the sender's address and port
 */
GInetSocketAddress *
mctx_packet_info_get_sender (const MctxPacketInfo * info)
{
  return mctx_address_to_socket_address (&info->source, info->source_port);
}

/**
 * mctx_packet_info_get_destination_string:
 * @info: packet metadata
 *
 * Returns: (transfer full): the destination group as text
 */
gchar *
mctx_packet_info_get_destination_string (const MctxPacketInfo * info)
{
  return mctx_address_to_string (&info->destination);
}

/* ------------------------------------------------------------ open/close */

void
mctx_subscription_receive_open (MctxSubscription * self, gboolean gro)
{
  guint i;

  self->last_ovfl = 0;
  if (self->batch == NULL)
    self->batch = mctx_sock_batch_new ();
  self->gro_active = gro;
  if (!gro)
    return;
  if (self->gro_ring == NULL) {
    self->gro_ring = g_new0 (MctxGroRing, 1);
    self->gro_ring->buf = g_malloc ((gsize) MCTX_GRO_SLOTS *
        MCTX_GRO_BUF_SIZE);
    for (i = 0; i < MCTX_GRO_SLOTS; i++) {
      self->gro_ring->reads[i].buffer = self->gro_ring->buf +
          (gsize) i * MCTX_GRO_BUF_SIZE;
      self->gro_ring->reads[i].buffer_size = MCTX_GRO_BUF_SIZE;
    }
  }
  self->gro_ring->first = 0;
  self->gro_ring->count = 0;
}

/* Drops the kernel counted that no received datagram has reported yet. */
guint32
mctx_subscription_unreported_drops (MctxSubscription * self)
{
  guint32 drops;

  if (!mctx_sock_drop_counter (self->fd, &drops))
    return 0;
  return drops - self->last_ovfl;
}

void
mctx_subscription_receive_close (MctxSubscription * self)
{
  /* keep the drops no datagram reported */
  MCTX_STAT_ADD (self->stats.kernel_drops,
      mctx_subscription_unreported_drops (self));
  self->last_ovfl = 0;
  /* the ring stays allocated for the next open */
  self->gro_active = FALSE;
  if (self->gro_ring != NULL)
    self->gro_ring->count = 0;
}

void
mctx_subscription_receive_free (MctxSubscription * self)
{
  g_clear_pointer (&self->batch, mctx_sock_batch_free);
  g_clear_pointer (&self->meta, g_free);
  self->meta_alloc = 0;
  if (self->gro_ring != NULL) {
    g_free (self->gro_ring->buf);
    g_clear_pointer (&self->gro_ring, g_free);
  }
}

gboolean
mctx_subscription_has_pending (MctxSubscription * self)
{
  return self->gro_active && self->gro_ring->count > 0;
}

/* ------------------------------------------------------ per datagram */

static void
recv_error (MctxSubscription * self, int errsv, GError ** error)
{
  if (errsv == EAGAIN || errsv == EWOULDBLOCK)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
        "no datagram waiting");
  else
    mctx_set_errno_error (error, errsv, "receive from '%s' port %u",
        self->group, self->port);
}

/* Whether a datagram the socket layer parsed is one the caller asked for:
 * to the group, on a joined interface, from an allowed source. Also takes
 * the kernel's drop counter from it. */
static inline gboolean
accept_datagram (MctxSubscription * self, const MctxPacketInfo * info,
    const MctxRecvMeta * meta)
{
  gsize alen = self->group_addr.family == G_SOCKET_FAMILY_IPV4 ? 4 : 16;
  guint i;

  if (meta->has_drops && meta->drops != self->last_ovfl) {
    /* the kernel's counter is 32 bits and wraps; ours does not */
    MCTX_STAT_ADD (self->stats.kernel_drops, (guint32) (meta->drops -
            self->last_ovfl));
    self->last_ovfl = meta->drops;
  }
  if (!meta->has_destination ||
      memcmp (info->destination.bytes, self->group_addr.bytes, alen) != 0 ||
      !mctx_index_array_has (self->ifindexes, info->interface_index))
    goto reject;
  if (self->filter != NULL) {
    gboolean listed = FALSE;

    for (i = 0; i < self->filter->len; i++) {
      if (memcmp (g_array_index (self->filter, MctxAddress, i).bytes,
              info->source.bytes, alen) == 0) {
        listed = TRUE;
        break;
      }
    }
    if (listed == self->exclude)
      goto reject;
  }
  return TRUE;

reject:
  /* a coalesced GRO read stands for several datagrams */
  MCTX_STAT_ADD (self->stats.filtered, meta->gro_segment ?
      (info->wire_size + meta->gro_segment - 1) / meta->gro_segment : 1);
  return FALSE;
}

/* What reached the caller: counted once per call, not per datagram (the
 * counters are atomics that other threads read). */
static void
count_delivered (MctxSubscription * self, const MctxMessage * messages,
    guint n)
{
  guint64 bytes = 0, truncated = 0;
  guint i;

  for (i = 0; i < n; i++) {
    bytes += messages[i].info.wire_size;
    truncated += messages[i].info.truncated;
  }
  MCTX_STAT_ADD (self->stats.packets_received, n);
  MCTX_STAT_ADD (self->stats.bytes_received, bytes);
  if (truncated)
    MCTX_STAT_ADD (self->stats.truncated, truncated);
}

/* ------------------------------------------------------------- batches */

static gint
receive_plain (MctxSubscription * self, MctxMessage * messages, guint n,
    GError ** error)
{
  guint i, kept = 0;
  gint r;
  int errsv;

  n = MIN (n, mctx_recv_batch_max ());
  if (G_UNLIKELY (n > self->meta_alloc)) {
    self->meta = g_renew (MctxRecvMeta, self->meta, n);
    self->meta_alloc = n;
  }
  r = mctx_recv_batch_receive (self->batch, self->fd, messages, n,
      self->meta, &errsv);
  if (r < 0) {
    recv_error (self, errsv, error);
    return -1;
  }
  for (i = 0; i < (guint) r; i++) {
    if (!accept_datagram (self, &messages[i].info, &self->meta[i]))
      continue;
    if (i != kept) {
      MctxMessage tmp = messages[kept];

      messages[kept] = messages[i];
      messages[i] = tmp;
    }
    kept++;
  }
  return kept;
}

/* Moves waiting GRO datagrams into the caller's slots; returns how many. */
static guint
take_pending (MctxSubscription * self, MctxMessage * messages, guint n)
{
  MctxGroRing *ring = self->gro_ring;
  guint filled = 0;

  while (filled < n && ring->count > 0) {
    MctxGroSegments *p = &ring->pending[ring->first];
    MctxMessage *m = &messages[filled];
    gsize seg = MIN (p->segment, p->left);

    m->info = p->info;
    m->info.wire_size = seg;
    m->info.truncated = seg > m->buffer_size;
    m->info.size = MIN (seg, m->buffer_size);
    memcpy (m->buffer, p->data, m->info.size);
    p->data += seg;
    p->left -= seg;
    filled++;
    if (p->left == 0) {
      ring->first = (ring->first + 1) % MCTX_GRO_SLOTS;
      ring->count--;
    }
  }
  return filled;
}

static gint
receive_gro (MctxSubscription * self, MctxMessage * messages, guint n,
    GError ** error)
{
  MctxGroRing *ring = self->gro_ring;
  guint filled, i;
  gint r;
  int errsv;

  filled = take_pending (self, messages, n);
  if (filled == n || ring->count > 0)
    return filled;
  r = mctx_recv_batch_receive (self->batch, self->fd, ring->reads,
      MCTX_GRO_SLOTS, ring->meta, &errsv);
  if (r < 0) {
    if (filled > 0)
      return filled;
    recv_error (self, errsv, error);
    return -1;
  }
  ring->first = 0;
  ring->count = 0;
  for (i = 0; i < (guint) r; i++) {
    MctxGroSegments *p = &ring->pending[ring->count];
    const MctxPacketInfo *info = &ring->reads[i].info;
    gsize len = info->size, seg = ring->meta[i].gro_segment;

    if (!accept_datagram (self, info, &ring->meta[i]))
      continue;
    if (len == 0) {
      /* an empty datagram is still one datagram */
      if (filled < n) {
        messages[filled].info = *info;
        messages[filled].info.truncated = FALSE;
        filled++;
      }
      continue;
    }
    p->info = *info;
    p->data = ring->reads[i].buffer;
    p->left = len;
    p->segment = seg ? seg : len;
    ring->count++;
  }
  return filled + take_pending (self, messages + filled, n - filled);
}

static inline gint
receive_batch (MctxSubscription * self, MctxMessage * messages, guint n,
    GError ** error)
{
  gint r = self->gro_active ? receive_gro (self, messages, n, error) :
      receive_plain (self, messages, n, error);

  if (r > 0)
    count_delivered (self, messages, r);
  return r;
}

/**
 * mctx_subscription_receive_messages: (skip)
 * @self: an open subscription
 * @messages: (array length=n_messages): slots to fill
 * @n_messages: number of slots
 * @error: return location for a #GError
 *
 * Receives up to @n_messages datagrams in one system call (recvmmsg)
 * without blocking. Rejected datagrams are dropped and their slots
 * compacted away by swapping whole #MctxMessage structs.
 *
 * Returns: the number of datagrams delivered in slots 0..n-1; 0 when every
 *   waiting datagram was filtered out (call again); -1 with
 *   %G_IO_ERROR_WOULD_BLOCK when none was waiting, or another error
 */
gint
mctx_subscription_receive_messages (MctxSubscription * self,
    MctxMessage * messages, guint n_messages, GError ** error)
{
  if (!mctx_subscription_check_call (self, error))
    return -1;
  if (n_messages == 0)
    return 0;
  return receive_batch (self, messages, n_messages, error);
}

/**
 * mctx_subscription_receive: (skip)
 * @self: an open subscription
 * @buffer: (array length=size) (out caller-allocates): where the datagram
 *   goes
 * @size: size of @buffer
 * @info: (out caller-allocates) (optional): the datagram's metadata
 * @error: return location for a #GError
 *
 * Receives one datagram without blocking. Datagrams that do not match the
 * configuration are dropped and counted. A datagram larger than @size is
 * cut and flagged in @info and the statistics.
 *
 * Returns: the bytes stored, or -1 with %G_IO_ERROR_WOULD_BLOCK when no
 *   datagram is waiting, or another error
 */
gssize
mctx_subscription_receive (MctxSubscription * self, guint8 * buffer,
    gsize size, MctxPacketInfo * info, GError ** error)
{
  MctxMessage m = {.buffer = buffer,.buffer_size = size };
  guint rounds;

  if (!mctx_subscription_check_call (self, error))
    return -1;
  for (rounds = 0; rounds < MAX_FILTERED_PER_CALL; rounds++) {
    gint got = receive_batch (self, &m, 1, error);

    if (got < 0)
      return -1;
    if (got == 1) {
      if (info != NULL)
        *info = m.info;
      return m.info.size;
    }
  }
  /* a flood of foreign datagrams: let the caller poll again */
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
      "only filtered datagrams waiting");
  return -1;
}

/**
 * mctx_subscription_receive_bytes:
 * @self: an open subscription
 * @max_size: the largest datagram expected
 * @info: (out) (optional) (transfer full): the datagram's metadata
 * @error: return location for a #GError
 *
 * A convenience for bindings: receives one datagram into new memory.
 *
 * Returns: (transfer full) (nullable): the datagram, or %NULL with an error
 *   (%G_IO_ERROR_WOULD_BLOCK when none is waiting)
 */
GBytes *
mctx_subscription_receive_bytes (MctxSubscription * self, gsize max_size,
    MctxPacketInfo ** info, GError ** error)
{
  MctxPacketInfo pi;
  guint8 *buf;
  gssize r;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), NULL);
  buf = g_malloc (MAX (max_size, 1));
  r = mctx_subscription_receive (self, buf, max_size, &pi, error);
  if (r < 0) {
    g_free (buf);
    return NULL;
  }
  if (info)
    *info = mctx_packet_info_copy (&pi);
  return g_bytes_new_take (buf, r);
}
