/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-private.h"
#include "mctx-pacer.h"

G_BEGIN_DECLS

/* Scratch for sendmmsg with one SCM_TXTIME control message per datagram,
 * grown once and kept: the kernel path allocates nothing per packet. */
typedef struct
{
  struct mmsghdr *mmsg;
  struct iovec *iov;
  guint8 *control;
  guint alloc, iov_alloc;
} MctxTxtimeScratch;

void mctx_txtime_scratch_clear (MctxTxtimeScratch * scratch);

/* SO_TXTIME on a publication's socket: CLOCK_MONOTONIC for fq,
 * CLOCK_TAI for etf. */
gboolean mctx_pacer_kernel_enable (int fd, MctxQdiscKind kind,
    GError ** error);
/* Turns SO_TXTIME off again (before the user-space path takes over). */
void mctx_pacer_kernel_disable (int fd);

/* Non-blocking sendmmsg of n datagrams, each carrying departures[i] +
 * clock_offset_ns as its txtime. Returns the number accepted, or -1 with
 * G_IO_ERROR_WOULD_BLOCK or an MCTX_ERROR. */
gint mctx_pacer_kernel_send (int fd, MctxTxtimeScratch * scratch,
    GOutputMessage * messages, guint n, const gint64 * departures,
    gint64 clock_offset_ns, GError ** error);

G_END_DECLS
