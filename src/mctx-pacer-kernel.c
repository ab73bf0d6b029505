/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-pacer-private.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/pkt_sched.h>
#include <linux/net_tstamp.h>

/* The kernel half of pacing: is the egress qdisc one that holds packets to
 * their SO_TXTIME departure time (fq, etf), and sending with a txtime per
 * datagram. */

#ifndef SO_TXTIME
#define SO_TXTIME 61
#endif
#ifndef SCM_TXTIME
#define SCM_TXTIME SO_TXTIME
#endif

#define TXTIME_CONTROL_SIZE CMSG_SPACE (sizeof (guint64))

typedef struct
{
  guint ifindex;
  guint32 root_handle;
  gchar root[32];
  /* children of a root mq (a multi-queue device): all must pace */
  guint children, children_fq, children_etf;
} QdiscScan;

static void
scan_qdisc (QdiscScan * scan, struct tcmsg *tcm, int len)
{
  struct rtattr *rta;
  const gchar *kind = NULL;

  if ((guint) tcm->tcm_ifindex != scan->ifindex)
    return;
  for (rta = TCA_RTA (tcm); RTA_OK (rta, len); rta = RTA_NEXT (rta, len))
    if (rta->rta_type == TCA_KIND)
      kind = RTA_DATA (rta);
  if (kind == NULL)
    return;
  if (tcm->tcm_parent == TC_H_ROOT) {
    g_strlcpy (scan->root, kind, sizeof scan->root);
    scan->root_handle = tcm->tcm_handle;
  } else if (tcm->tcm_parent != TC_H_INGRESS) {
    /* counted against the root once the dump is complete */
    scan->children++;
    if (strcmp (kind, "fq") == 0)
      scan->children_fq++;
    else if (strcmp (kind, "etf") == 0)
      scan->children_etf++;
  }
}

/**
 * mctx_pacer_probe_kernel:
 * @ifindex: an interface index
 * @kind: (out): what its root qdisc can do
 * @qdisc_name: (out) (optional) (transfer full) (nullable): the root
 *   qdisc's name ("fq", "noqueue", "mq", ...), %NULL when it has none
 * @error: return location for a #GError
 *
 * Asks the kernel (rtnetlink RTM_GETQDISC) which qdisc is at the root of
 * the interface's egress. %MCTX_QDISC_FQ and %MCTX_QDISC_ETF honour
 * SO_TXTIME departure times; a root `mq` counts when every queue's qdisc
 * is fq (or every one etf), as `net.core.default_qdisc=fq` gives.
 *
 * Returns: %TRUE when the qdiscs could be read (@kind says what they
 *   are), %FALSE with %MCTX_ERROR_INTERFACE_NOT_FOUND or an errno error
 *
 * Since: 0.2
 */
gboolean
mctx_pacer_probe_kernel (guint ifindex, MctxQdiscKind * kind,
    gchar ** qdisc_name, GError ** error)
{
  struct
  {
    struct nlmsghdr nlh;
    struct tcmsg tcm;
  } req;
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK };
  QdiscScan scan = { 0 };
  gchar ifname[IF_NAMESIZE];
  guint8 *buf;
  gboolean done = FALSE, ok = TRUE;
  guint rounds = 0;
  int fd;

  g_return_val_if_fail (kind != NULL, FALSE);
  *kind = MCTX_QDISC_OTHER;
  if (qdisc_name)
    *qdisc_name = NULL;
  if (ifindex == 0 || if_indextoname (ifindex, ifname) == NULL) {
    mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_NOT_FOUND,
        "no interface has index %u", ifindex);
    return FALSE;
  }

  fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    mctx_set_errno_error (error, errno, "netlink socket");
    return FALSE;
  }
  memset (&req, 0, sizeof req);
  req.nlh.nlmsg_len = NLMSG_LENGTH (sizeof (struct tcmsg));
  req.nlh.nlmsg_type = RTM_GETQDISC;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.nlh.nlmsg_seq = 1;
  req.tcm.tcm_family = AF_UNSPEC;
  /* older kernels ignore the index in a dump: filtered below as well */
  req.tcm.tcm_ifindex = ifindex;
  if (sendto (fd, &req, req.nlh.nlmsg_len, 0, (struct sockaddr *) &sa,
          sizeof sa) < 0) {
    mctx_set_errno_error (error, errno, "netlink qdisc request");
    close (fd);
    return FALSE;
  }

  scan.ifindex = ifindex;
  buf = g_malloc (32768);
  while (!done && rounds++ < 10000) {
    ssize_t n = recv (fd, buf, 32768, 0);
    struct nlmsghdr *nlh;

    if (n < 0) {
      if (errno == EINTR)
        continue;
      mctx_set_errno_error (error, errno, "netlink qdisc reply");
      ok = FALSE;
      break;
    }
    for (nlh = (struct nlmsghdr *) buf; NLMSG_OK (nlh, (size_t) n);
        nlh = NLMSG_NEXT (nlh, n)) {
      if (nlh->nlmsg_type == NLMSG_DONE) {
        done = TRUE;
        break;
      }
      if (nlh->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA (nlh);

        if (e->error != 0) {
          mctx_set_errno_error (error, -e->error, "netlink qdisc dump of %s",
              ifname);
          ok = FALSE;
        }
        done = TRUE;
        break;
      }
      if (nlh->nlmsg_type == RTM_NEWQDISC)
        scan_qdisc (&scan, NLMSG_DATA (nlh),
            nlh->nlmsg_len - NLMSG_LENGTH (sizeof (struct tcmsg)));
    }
  }
  g_free (buf);
  close (fd);
  if (!ok)
    return FALSE;

  if (strcmp (scan.root, "fq") == 0)
    *kind = MCTX_QDISC_FQ;
  else if (strcmp (scan.root, "etf") == 0)
    *kind = MCTX_QDISC_ETF;
  else if (strcmp (scan.root, "mq") == 0 && scan.children > 0) {
    if (scan.children_fq == scan.children)
      *kind = MCTX_QDISC_FQ;
    else if (scan.children_etf == scan.children)
      *kind = MCTX_QDISC_ETF;
  }
  if (qdisc_name && scan.root[0])
    *qdisc_name = g_strdup (scan.root);
  return TRUE;
}

gboolean
mctx_pacer_kernel_enable (int fd, MctxQdiscKind kind, GError ** error)
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
mctx_pacer_kernel_send (int fd, MctxTxtimeScratch * s,
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
