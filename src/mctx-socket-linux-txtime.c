/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-socket.h"
#include "mctx-private.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/net_tstamp.h>

/* The socket layer's part of kernel pacing (Linux): SO_TXTIME on a socket
 * and sendmmsg with a departure time per datagram, which the fq or etf
 * qdisc holds until then. */

#ifndef SO_TXTIME
#define SO_TXTIME 61
#endif
#ifndef SCM_TXTIME
#define SCM_TXTIME SO_TXTIME
#endif

#define TXTIME_CONTROL_SIZE CMSG_SPACE (sizeof (guint64))

gboolean
mctx_sock_enable_txtime (int fd, MctxQdiscKind kind, GError ** error)
{
  struct sock_txtime cfg = { 0 };

  cfg.clockid = kind == MCTX_QDISC_ETF ? CLOCK_TAI : CLOCK_MONOTONIC;
  /* report drops of packets whose time has passed (etf deadline mode is
   * not used: a late packet still goes out) */
  cfg.flags = 0;
  if (setsockopt (fd, SOL_SOCKET, SO_TXTIME, &cfg, sizeof cfg) < 0) {
    mctx_set_errno_error (error, errno, "setsockopt SO_TXTIME");
    return FALSE;
  }
  return TRUE;
}

void
mctx_txtime_scratch_clear (MctxTxtimeScratch * scratch)
{
  g_clear_pointer (&scratch->mmsg, g_free);
  g_clear_pointer (&scratch->iov, g_free);
  g_clear_pointer (&scratch->control, g_free);
  scratch->alloc = scratch->iov_alloc = 0;
}

gint
mctx_sock_send_txtime (int fd, MctxTxtimeScratch * s,
    GOutputMessage * messages, guint n, const gint64 * departures,
    gint64 clock_offset_ns, GError ** error)
{
  guint i, niov = 0, total = 0;
  int r;

  if (n == 0)
    return 0;
  n = MIN (n, UIO_MAXIOV);
  for (i = 0; i < n; i++) {
    if (total + messages[i].num_vectors > UIO_MAXIOV && i > 0) {
      n = i;
      break;
    }
    total += messages[i].num_vectors;
  }
  if (G_UNLIKELY (n > s->alloc)) {
    s->mmsg = g_renew (struct mmsghdr, s->mmsg, n);
    g_free (s->control);
    s->control = g_malloc0 ((gsize) n * TXTIME_CONTROL_SIZE);
    s->alloc = n;
  }
  if (G_UNLIKELY (total > s->iov_alloc)) {
    s->iov = g_renew (struct iovec, s->iov, total);
    s->iov_alloc = total;
  }
  for (i = 0; i < n; i++) {
    struct msghdr *h = &s->mmsg[i].msg_hdr;
    guint8 *ctl = s->control + (gsize) i * TXTIME_CONTROL_SIZE;
    struct cmsghdr *c = (struct cmsghdr *) ctl;
    guint64 txtime = (guint64) (departures[i] + clock_offset_ns);
    guint v;

    memset (h, 0, sizeof *h);
    h->msg_iov = &s->iov[niov];
    for (v = 0; v < messages[i].num_vectors; v++) {
      s->iov[niov].iov_base = (void *) messages[i].vectors[v].buffer;
      s->iov[niov].iov_len = messages[i].vectors[v].size;
      niov++;
    }
    h->msg_iovlen = messages[i].num_vectors;
    h->msg_control = ctl;
    h->msg_controllen = CMSG_SPACE (sizeof (guint64));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_TXTIME;
    c->cmsg_len = CMSG_LEN (sizeof (guint64));
    memcpy (CMSG_DATA (c), &txtime, sizeof txtime);
    s->mmsg[i].msg_len = 0;
  }
  do {
    r = sendmmsg (fd, s->mmsg, n, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    int errsv = errno;

    if (errsv == EAGAIN || errsv == EWOULDBLOCK)
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
          "send buffer full");
    else
      mctx_set_errno_error (error, errsv, "sendmmsg with SO_TXTIME");
    return -1;
  }
  for (i = 0; i < (guint) r; i++)
    messages[i].bytes_sent = s->mmsg[i].msg_len;
  return r;
}
