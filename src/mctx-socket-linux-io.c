/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Linux socket layer, part two: datagram I/O. recvmmsg with the
 * control messages read into MctxPacketInfo / MctxRecvMeta, and sendmmsg
 * with UDP GSO. Both run per batch with scratch grown once and kept: no
 * allocation and no extra system call per datagram. */
#include "mctx-socket-linux.h"

#include <errno.h>
#include <string.h>
#include <time.h>

/* room for pktinfo, timestamp, drop counter and a GRO segment size */
#define RECV_CONTROL_SIZE 256
#define GSO_MAX_SEGMENTS 64
/* one IPv4 datagram's payload, also safe for IPv6 */
#define GSO_MAX_BYTES 65000
/* one control message per message header: UDP_SEGMENT (a guint16) or
 * SCM_TXTIME (a guint64) */
#define SEND_CONTROL_SIZE CMSG_SPACE (sizeof (guint64))

G_STATIC_ASSERT (sizeof (GOutputVector) == sizeof (struct iovec));
G_STATIC_ASSERT (G_STRUCT_OFFSET (GOutputVector, buffer) ==
    G_STRUCT_OFFSET (struct iovec, iov_base));
G_STATIC_ASSERT (G_STRUCT_OFFSET (GOutputVector, size) ==
    G_STRUCT_OFFSET (struct iovec, iov_len));

/* ---------------------------------------------------------------- scratch */

/* A batch's arrays of one length, in one block that grows as a whole
 * (zeroed; nothing is kept across a grow: every call fills what it
 * uses). Each array starts 16-byte aligned. */
typedef struct
{
  gpointer block;
  guint alloc;
} Scratch;

#define ARRAY_ALIGN(size) (((size) + 15) & ~(gsize) 15)

static void
scratch_grow (Scratch * s, guint n, guint n_arrays, const gsize * elem_size,
    gpointer * const *arrays)
{
  gsize total = 0;
  guint8 *p;
  guint i;

  for (i = 0; i < n_arrays; i++)
    total += ARRAY_ALIGN (elem_size[i] * n);
  g_free (s->block);
  s->block = p = g_malloc0 (total);
  for (i = 0; i < n_arrays; i++) {
    *arrays[i] = p;
    p += ARRAY_ALIGN (elem_size[i] * n);
  }
  s->alloc = n;
}

/* The arrays of a receiving or a sending socket's batch (the other
 * direction's stay NULL). */
struct _MctxSockBatch
{
  Scratch headers;              /* one per datagram at the most: */
  struct mmsghdr *mmsg;
  guint8 *control;              /* control space per header */
  struct sockaddr_storage *names;       /* receive: the sources */
  guint *run_len;               /* send: datagrams per header */
  gsize *sizes;                 /* send: size per datagram */
  Scratch vectors;              /* one per vector: */
  struct iovec *iov;
};

MctxSockBatch *
mctx_sock_batch_new (void)
{
  return g_new0 (MctxSockBatch, 1);
}

void
mctx_sock_batch_free (MctxSockBatch * batch)
{
  if (batch == NULL)
    return;
  g_free (batch->headers.block);
  g_free (batch->vectors.block);
  g_free (batch);
}

/* ---------------------------------------------------------------- receive */

guint
mctx_recv_batch_max (void)
{
  return UIO_MAXIOV;
}

/* Room for @n datagrams (the caller checked that there is not). */
G_GNUC_NO_INLINE static void
recv_batch_grow (MctxSockBatch * b, guint n)
{
  static const gsize header_size[] = { sizeof (struct mmsghdr),
    RECV_CONTROL_SIZE, sizeof (struct sockaddr_storage)
  }, vector_size[] = { sizeof (struct iovec) };
  gpointer *const headers[] = { (gpointer *) & b->mmsg,
    (gpointer *) & b->control, (gpointer *) & b->names
  }, *const vectors[] = { (gpointer *) & b->iov };

  scratch_grow (&b->headers, n, G_N_ELEMENTS (header_size), header_size,
      headers);
  scratch_grow (&b->vectors, n, 1, vector_size, vectors);
}

/* The destination and arrival interface of an IP_PKTINFO or
 * IPV6_PKTINFO control message. @family is a constant at each call, so
 * the inlined copy has no branch and no call per datagram. */
static inline void
read_pktinfo (const struct cmsghdr *c, GSocketFamily family,
    MctxPacketInfo * info)
{
  if (family == G_SOCKET_FAMILY_IPV4) {
    struct in_pktinfo pi;

    memcpy (&pi, CMSG_DATA (c), sizeof (pi));
    memcpy (info->destination.bytes, &pi.ipi_addr, 4);
    info->interface_index = pi.ipi_ifindex;
  } else {
    struct in6_pktinfo pi;

    memcpy (&pi, CMSG_DATA (c), sizeof (pi));
    memcpy (info->destination.bytes, &pi.ipi6_addr, 16);
    info->interface_index = pi.ipi6_ifindex;
  }
  info->destination.family = family;
}

/* One datagram's control messages and name into @info and @meta. */
static inline void
parse_datagram (const struct msghdr *msg, gsize len, gsize buffer_size,
    MctxPacketInfo * info, MctxRecvMeta * meta)
{
  struct cmsghdr *c;

  meta->has_destination = FALSE;
  meta->has_drops = FALSE;
  meta->gro_segment = 0;
  info->interface_index = 0;
  info->timestamp_ns = 0;
  memset (&info->destination, 0, sizeof (info->destination));
  for (c = CMSG_FIRSTHDR (msg); c != NULL;
      c = CMSG_NXTHDR ((struct msghdr *) msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      read_pktinfo (c, G_SOCKET_FAMILY_IPV4, info);
      meta->has_destination = TRUE;
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      read_pktinfo (c, G_SOCKET_FAMILY_IPV6, info);
      meta->has_destination = TRUE;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
      struct timespec ts;

      memcpy (&ts, CMSG_DATA (c), sizeof (ts));
      info->timestamp_ns = (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000)
          + ts.tv_nsec;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
      memcpy (&meta->drops, CMSG_DATA (c), sizeof (meta->drops));
      meta->has_drops = TRUE;
    } else if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
      int seg;

      memcpy (&seg, CMSG_DATA (c), sizeof (seg));
      if (seg > 0 && (gsize) seg < len)
        meta->gro_segment = seg;
    }
  }
  mctx_address_from_sockaddr (msg->msg_name, &info->source,
      &info->source_port);
  info->source.scope_id = 0;
  info->wire_size = len;
  info->truncated = len > buffer_size || (msg->msg_flags & MSG_TRUNC);
  info->size = MIN (len, buffer_size);
}

gint
mctx_recv_batch_receive (MctxSockBatch * b, int fd, MctxMessage * slots,
    guint n, MctxRecvMeta * meta, int *errsv)
{
  struct mmsghdr *restrict mm;
  struct iovec *restrict iov;
  struct sockaddr_storage *restrict names;
  guint8 *restrict control;
  guint i;
  int r;

  if (G_UNLIKELY (n > b->headers.alloc))
    recv_batch_grow (b, n);
  /* locals, so that the stores below need no reload of the arrays */
  mm = b->mmsg;
  iov = b->iov;
  names = b->names;
  control = b->control;
  for (i = 0; i < n; i++) {
    struct msghdr *h = &mm[i].msg_hdr;

    iov[i].iov_base = slots[i].buffer;
    iov[i].iov_len = slots[i].buffer_size;
    h->msg_name = &names[i];
    h->msg_namelen = sizeof (struct sockaddr_storage);
    h->msg_iov = &iov[i];
    h->msg_iovlen = 1;
    h->msg_control = control + (gsize) i * RECV_CONTROL_SIZE;
    h->msg_controllen = RECV_CONTROL_SIZE;
    h->msg_flags = 0;
    mm[i].msg_len = 0;
  }
  /* MSG_TRUNC: msg_len is the datagram's size even when it did not fit */
  do {
    r = recvmmsg (fd, mm, n, MSG_TRUNC, NULL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    *errsv = errno;
    return -1;
  }
  for (i = 0; i < (guint) r; i++)
    parse_datagram (&mm[i].msg_hdr, mm[i].msg_len, slots[i].buffer_size,
        &slots[i].info, &meta[i]);
  return r;
}

/* ------------------------------------------------------------------- send */

gssize
mctx_sock_send_vectors (int fd, const GOutputVector * vectors,
    guint n_vectors, int *errsv)
{
  struct msghdr msg;
  gssize r;

  memset (&msg, 0, sizeof (msg));
  msg.msg_iov = (struct iovec *) vectors;
  msg.msg_iovlen = n_vectors;
  do {
    r = sendmsg (fd, &msg, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0)
    *errsv = errno;
  return r;
}

/* Room for @n datagrams of @n_iov vectors (the caller checked that there
 * is not). */
G_GNUC_NO_INLINE static void
send_batch_grow (MctxSockBatch * b, guint n, guint n_iov)
{
  static const gsize header_size[] = { sizeof (struct mmsghdr),
    sizeof (guint), sizeof (gsize), SEND_CONTROL_SIZE
  }, vector_size[] = { sizeof (struct iovec) };
  gpointer *const headers[] = { (gpointer *) & b->mmsg,
    (gpointer *) & b->run_len, (gpointer *) & b->sizes,
    (gpointer *) & b->control
  }, *const vectors[] = { (gpointer *) & b->iov };

  if (n > b->headers.alloc)
    scratch_grow (&b->headers, n, G_N_ELEMENTS (header_size), header_size,
        headers);
  if (n_iov > b->vectors.alloc)
    scratch_grow (&b->vectors, n_iov, 1, vector_size, vectors);
}

/* Room for @n datagrams, fewer when their vectors would pass UIO_MAXIOV,
 * and their sizes; returns how many fit. */
static inline guint
send_batch_prepare (MctxSockBatch * b, GOutputMessage * messages, guint n)
{
  guint i, total_vectors = 0;

  n = MIN (n, UIO_MAXIOV);
  for (i = 0; i < n; i++) {
    if (total_vectors + messages[i].num_vectors > UIO_MAXIOV && i > 0) {
      n = i;
      break;
    }
    total_vectors += messages[i].num_vectors;
  }
  if (G_UNLIKELY (n > b->headers.alloc || total_vectors > b->vectors.alloc))
    send_batch_grow (b, n, total_vectors);
  for (i = 0; i < n; i++) {
    guint v;
    gsize size = 0;

    for (v = 0; v < messages[i].num_vectors; v++)
      size += messages[i].vectors[v].size;
    b->sizes[i] = size;
  }
  return n;
}

/* Header @nh's control message. */
static inline void
send_batch_control (MctxSockBatch * b, guint nh, int level, int type,
    gconstpointer data, gsize size)
{
  struct msghdr *h = &b->mmsg[nh].msg_hdr;
  guint8 *ctl = b->control + (gsize) nh * SEND_CONTROL_SIZE;
  struct cmsghdr *c = (struct cmsghdr *) ctl;

  h->msg_control = ctl;
  h->msg_controllen = CMSG_SPACE (size);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN (size);
  memcpy (CMSG_DATA (c), data, size);
}

/* Lays out @n datagrams as message headers: with @use_gso, runs of equal
 * sizes (the last may be shorter: GSO's rule), at most 64 segments and one
 * IP datagram's worth of payload, share one header and a UDP_SEGMENT
 * control message. Returns the number of headers. */
static inline guint
send_batch_layout (MctxSockBatch * b, GOutputMessage * messages, guint n,
    gboolean use_gso, gsize gso_max_segment)
{
  guint i, nh = 0, niov = 0;

  for (i = 0; i < n;) {
    struct msghdr *h = &b->mmsg[nh].msg_hdr;
    gsize seg = b->sizes[i], total = seg;
    guint run = 1, k, v;

    if (use_gso && seg > 0 && seg <= gso_max_segment) {
      while (i + run < n && run < GSO_MAX_SEGMENTS) {
        gsize next = b->sizes[i + run];

        if (next == 0 || next > seg || total + next > GSO_MAX_BYTES)
          break;
        total += next;
        run++;
        if (next < seg)
          break;
      }
    }
    memset (h, 0, sizeof (*h));
    h->msg_iov = &b->iov[niov];
    for (k = 0; k < run; k++)
      for (v = 0; v < messages[i + k].num_vectors; v++) {
        b->iov[niov].iov_base = (void *) messages[i + k].vectors[v].buffer;
        b->iov[niov].iov_len = messages[i + k].vectors[v].size;
        niov++;
      }
    h->msg_iovlen = &b->iov[niov] - h->msg_iov;
    if (run > 1) {
      guint16 seg16 = seg;

      send_batch_control (b, nh, SOL_UDP, UDP_SEGMENT, &seg16, sizeof seg16);
    }
    b->mmsg[nh].msg_len = 0;
    b->run_len[nh] = run;
    nh++;
    i += run;
  }
  return nh;
}

/* The datagrams of the first @r headers went: their bytes_sent, and the
 * sum in *@bytes; returns how many. */
static inline guint
send_batch_sent (MctxSockBatch * b, GOutputMessage * messages, int r,
    guint64 * bytes)
{
  guint i, sent = 0;

  *bytes = 0;
  for (i = 0; i < (guint) r; i++) {
    guint k;

    for (k = 0; k < b->run_len[i]; k++, sent++)
      messages[sent].bytes_sent = b->sizes[sent];
    *bytes += b->mmsg[i].msg_len;
  }
  return sent;
}

gint
mctx_send_batch_send (MctxSockBatch * b, int fd, GOutputMessage * messages,
    guint n, gboolean * gso_ok, gsize gso_max_segment, guint64 * bytes,
    int *errsv, gsize * first_size)
{
  guint nh;
  int r;

  n = send_batch_prepare (b, messages, n);
  for (;;) {
    nh = send_batch_layout (b, messages, n, *gso_ok, gso_max_segment);
    do {
      r = sendmmsg (fd, b->mmsg, nh, MSG_NOSIGNAL);
    } while (r < 0 && errno == EINTR);
    if (r >= 0)
      break;
    *errsv = errno;
    /* a kernel or device that refuses GSO: remember, and send plainly */
    if (b->run_len[0] > 1 && (*errsv == EINVAL || *errsv == EIO ||
            *errsv == ENOPROTOOPT || *errsv == EOPNOTSUPP)) {
      *gso_ok = FALSE;
      g_debug ("UDP GSO refused (%s); sending datagrams one by one",
          g_strerror (*errsv));
      continue;
    }
    *first_size = b->sizes[0];
    return -1;
  }
  return send_batch_sent (b, messages, r, bytes);
}

gint
mctx_send_batch_send_txtime (MctxSockBatch * b, int fd,
    GOutputMessage * messages, guint n, const gint64 * departures,
    gint64 clock_offset_ns, guint64 * bytes, int *errsv, gsize * first_size)
{
  guint i;
  int r;

  if (n == 0)
    return 0;
  n = send_batch_prepare (b, messages, n);
  /* without GSO: one header per datagram, each with its departure time */
  send_batch_layout (b, messages, n, FALSE, 0);
  for (i = 0; i < n; i++) {
    guint64 txtime = (guint64) (departures[i] + clock_offset_ns);

    send_batch_control (b, i, SOL_SOCKET, SCM_TXTIME, &txtime, sizeof txtime);
  }
  do {
    r = sendmmsg (fd, b->mmsg, n, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    *errsv = errno;
    *first_size = b->sizes[0];
    return -1;
  }
  return send_batch_sent (b, messages, r, bytes);
}
