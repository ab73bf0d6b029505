/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-socket-linux.h"
#include "mctx-socket.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/net_tstamp.h>

/* The socket layer's part of kernel pacing (Linux): SO_TXTIME on a socket,
 * and the batch send of mctx-socket-linux-io.c with a departure time per
 * datagram, which the fq or etf qdisc holds until then. */

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

gint
mctx_sock_send_txtime (int fd, MctxSendBatch * batch,
    GOutputMessage * messages, guint n, const gint64 * departures,
    gint64 clock_offset_ns, GError ** error)
{
  int errsv = 0;
  gint r = mctx_send_batch_send_txtime (batch, fd, messages, n, departures,
      clock_offset_ns, &errsv);

  if (r < 0) {
    if (errsv == EAGAIN || errsv == EWOULDBLOCK)
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
          "send buffer full");
    else
      mctx_set_errno_error (error, errsv, "sendmmsg with SO_TXTIME");
  }
  return r;
}
