/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-socket-linux.h"
#include "mctx-socket.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <linux/net_tstamp.h>

/* The socket layer's part of kernel pacing (Linux): SO_TXTIME on a socket,
 * so that the departure time per datagram of
 * mctx_send_batch_send_txtime() (mctx-socket-linux-io.c) makes the fq or
 * etf qdisc hold it until then. */

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
