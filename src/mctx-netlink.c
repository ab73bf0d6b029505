/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* Route lookups over rtnetlink: the kernel's own answer to "which interface
 * would this leave from", without sending anything. */

static int
nl_open (GError ** error)
{
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

  if (fd < 0)
    mctx_set_errno_error (error, errno, "netlink socket");
  return fd;
}

static gboolean
nl_send (int fd, struct nlmsghdr *nlh, GError ** error)
{
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK };

  if (sendto (fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *) &sa,
          sizeof (sa)) < 0) {
    mctx_set_errno_error (error, errno, "netlink request");
    return FALSE;
  }
  return TRUE;
}

/* Calls fn for each message of @type until NLMSG_DONE (dump) or one
 * reply. Returns -errno for a netlink error, 0 otherwise. */
static int
nl_recv (int fd, guint16 type, gboolean dump, void (*fn) (struct nlmsghdr *,
        gpointer), gpointer data, GError ** error)
{
  /* 32 KiB: the kernel never splits one route message across reads */
  guint8 *buf = g_malloc (32768);
  int ret = 0;
  gboolean done = FALSE;
  guint rounds = 0;

  while (!done && rounds++ < 100000) {
    ssize_t n = recv (fd, buf, 32768, 0);
    struct nlmsghdr *nlh;

    if (n < 0) {
      if (errno == EINTR)
        continue;
      mctx_set_errno_error (error, errno, "netlink reply");
      ret = -EIO;
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

        ret = e->error;
        done = TRUE;
        break;
      }
      if (nlh->nlmsg_type == type) {
        fn (nlh, data);
        if (!dump) {
          done = TRUE;
          break;
        }
      }
    }
  }
  g_free (buf);
  return ret;
}

/* One request and its reply on a socket of its own: -EIO when the socket
 * or the exchange failed (@error set), else as nl_recv(). */
static int
nl_query (struct nlmsghdr *nlh, guint16 type, gboolean dump,
    void (*fn) (struct nlmsghdr *, gpointer), gpointer data, GError ** error)
{
  int fd = nl_open (error), ret;

  if (fd < 0)
    return -EIO;
  ret = nl_send (fd, nlh, error) ? nl_recv (fd, type, dump, fn, data, error)
      : -EIO;
  close (fd);
  return ret;
}

typedef struct
{
  guint oif;
  guint32 priority;
  gboolean found;
} RouteResult;

/* The 32-bit attributes of a route message that the lookups read. */
typedef struct
{
  guint32 table, priority, oif;
} RouteAttrs;

static void
route_attrs (struct nlmsghdr *nlh, RouteAttrs * out)
{
  struct rtmsg *rtm = NLMSG_DATA (nlh);
  int len = RTM_PAYLOAD (nlh);
  struct rtattr *rta;

  out->table = rtm->rtm_table;
  out->priority = out->oif = 0;
  for (rta = RTM_RTA (rtm); RTA_OK (rta, len); rta = RTA_NEXT (rta, len)) {
    if (RTA_PAYLOAD (rta) < sizeof (guint32))
      continue;
    if (rta->rta_type == RTA_TABLE)
      memcpy (&out->table, RTA_DATA (rta), sizeof (guint32));
    else if (rta->rta_type == RTA_PRIORITY)
      memcpy (&out->priority, RTA_DATA (rta), sizeof (guint32));
    else if (rta->rta_type == RTA_OIF)
      memcpy (&out->oif, RTA_DATA (rta), sizeof (guint32));
  }
}

static void
route_oif_cb (struct nlmsghdr *nlh, gpointer data)
{
  RouteResult *res = data;
  RouteAttrs a;

  route_attrs (nlh, &a);
  res->oif = a.oif;
  res->found = TRUE;
}

/* An RTM_GETROUTE request, with room for a destination and an oif. */
typedef struct
{
  struct nlmsghdr nlh;
  struct rtmsg rtm;
  guint8 attrs[64];
} RouteRequest;

static void
route_request_init (RouteRequest * req, GSocketFamily family, guint16 flags)
{
  memset (req, 0, sizeof (*req));
  req->nlh.nlmsg_len = NLMSG_LENGTH (sizeof (struct rtmsg));
  req->nlh.nlmsg_type = RTM_GETROUTE;
  req->nlh.nlmsg_flags = flags;
  req->nlh.nlmsg_seq = 1;
  req->rtm.rtm_family = family == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6;
}

static void
route_request_add (RouteRequest * req, guint16 type, gconstpointer data,
    gsize size)
{
  struct rtattr *rta = (struct rtattr *) (((guint8 *) req) +
      NLMSG_ALIGN (req->nlh.nlmsg_len));

  rta->rta_type = type;
  rta->rta_len = RTA_LENGTH (size);
  memcpy (RTA_DATA (rta), data, size);
  req->nlh.nlmsg_len = NLMSG_ALIGN (req->nlh.nlmsg_len) + rta->rta_len;
}

guint
mctx_netlink_route_oif (const MctxAddress * dest, GError ** error)
{
  RouteRequest req;
  RouteResult res = { 0 };
  gsize alen = dest->family == G_SOCKET_FAMILY_IPV4 ? 4 : 16;
  int ret;

  route_request_init (&req, dest->family, NLM_F_REQUEST);
  req.rtm.rtm_dst_len = alen * 8;
  route_request_add (&req, RTA_DST, dest->bytes, alen);
  if (dest->scope_id != 0) {
    guint32 oif = dest->scope_id;

    route_request_add (&req, RTA_OIF, &oif, sizeof (oif));
  }
  ret = nl_query (&req.nlh, RTM_NEWROUTE, FALSE, route_oif_cb, &res, error);
  if (ret == -EIO)
    return 0;
  /* unreachable destinations are "no route", not a failure */
  return ret == 0 ? res.oif : 0;
}

static void
default_route_cb (struct nlmsghdr *nlh, gpointer data)
{
  struct rtmsg *rtm = NLMSG_DATA (nlh);
  RouteResult *res = data;
  RouteAttrs a;

  if (rtm->rtm_dst_len != 0 || rtm->rtm_type != RTN_UNICAST)
    return;
  route_attrs (nlh, &a);
  if (a.table != RT_TABLE_MAIN || a.oif == 0)
    return;
  if (!res->found || a.priority < res->priority) {
    res->found = TRUE;
    res->priority = a.priority;
    res->oif = a.oif;
  }
}

guint
mctx_netlink_default_oif (GSocketFamily family, GError ** error)
{
  RouteRequest req;
  RouteResult res = { 0 };
  int ret;

  route_request_init (&req, family, NLM_F_REQUEST | NLM_F_DUMP);
  ret = nl_query (&req.nlh, RTM_NEWROUTE, TRUE, default_route_cb, &res,
      error);
  if (ret < 0 && ret != -EIO)
    mctx_set_errno_error (error, -ret, "route dump");
  return res.oif;
}

int
mctx_netlink_link_monitor_open (GError ** error)
{
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK,.nl_groups = RTMGRP_LINK };
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
      NETLINK_ROUTE);

  if (fd < 0) {
    mctx_set_errno_error (error, errno, "netlink link monitor");
    return -1;
  }
  if (bind (fd, (struct sockaddr *) &sa, sizeof (sa)) < 0) {
    mctx_set_errno_error (error, errno, "netlink link monitor bind");
    close (fd);
    return -1;
  }
  return fd;
}

/* Drains pending link events. Returns FALSE if events were lost (ENOBUFS):
 * the caller should then re-check its interfaces from scratch. */
gboolean
mctx_netlink_link_monitor_read (int fd, MctxLinkEventFunc fn,
    gpointer user_data)
{
  guint8 buf[16384] __attribute__((aligned (4)));
  gboolean complete = TRUE;
  guint rounds;

  for (rounds = 0; rounds < 1024; rounds++) {
    ssize_t n = recv (fd, buf, sizeof (buf), 0);
    struct nlmsghdr *nlh;

    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == ENOBUFS) {
        complete = FALSE;
        continue;
      }
      break;                    /* EAGAIN: drained */
    }
    for (nlh = (struct nlmsghdr *) buf; NLMSG_OK (nlh, (size_t) n);
        nlh = NLMSG_NEXT (nlh, n)) {
      struct ifinfomsg *ifi;
      struct rtattr *rta;
      int len;
      const gchar *name = NULL;

      if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
        continue;
      ifi = NLMSG_DATA (nlh);
      len = IFLA_PAYLOAD (nlh);
      for (rta = IFLA_RTA (ifi); RTA_OK (rta, len); rta = RTA_NEXT (rta, len))
        if (rta->rta_type == IFLA_IFNAME)
          name = RTA_DATA (rta);
      if (name != NULL)
        fn (name, ifi->ifi_index, ifi->ifi_flags,
            nlh->nlmsg_type == RTM_DELLINK, user_data);
    }
  }
  return complete;
}

/* --- the root qdisc of an interface (for pacing: fq and etf hold each
 * datagram until its SO_TXTIME departure time) --- */

#include <linux/pkt_sched.h>

/* Non-root qdiscs counted by the major of their parent's handle: the
 * children of a root mq (a multi-queue device) must all pace, and the
 * root may come after them in the dump. A few parents are enough (mq's
 * children and what hangs below them); further ones are not counted. */
#define SCAN_PARENTS 8

typedef struct
{
  guint32 major;                /* TC_H_MAJ of the parent's handle */
  guint children, children_fq, children_etf;
} QdiscParent;

typedef struct
{
  guint ifindex;
  guint32 root_handle;
  gchar root[32];
  guint n_parents;
  QdiscParent parents[SCAN_PARENTS];
} QdiscScan;

static QdiscParent *
scan_parent (QdiscScan * scan, guint32 major, gboolean add)
{
  guint i;

  for (i = 0; i < scan->n_parents; i++)
    if (scan->parents[i].major == major)
      return &scan->parents[i];
  if (!add || scan->n_parents == SCAN_PARENTS)
    return NULL;
  scan->parents[scan->n_parents].major = major;
  return &scan->parents[scan->n_parents++];
}

static void
scan_qdisc_msg (struct nlmsghdr *nlh, gpointer data)
{
  QdiscScan *scan = data;
  struct tcmsg *tcm = NLMSG_DATA (nlh);
  int len = nlh->nlmsg_len - NLMSG_LENGTH (sizeof (struct tcmsg));
  struct rtattr *rta;
  const gchar *kind = NULL;
  QdiscParent *parent;

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
  } else if (tcm->tcm_parent != TC_H_INGRESS &&
      (parent = scan_parent (scan, TC_H_MAJ (tcm->tcm_parent), TRUE))) {
    /* matched with the root's handle once the dump is complete */
    parent->children++;
    if (strcmp (kind, "fq") == 0)
      parent->children_fq++;
    else if (strcmp (kind, "etf") == 0)
      parent->children_etf++;
  }
}

gboolean
mctx_netlink_txtime_qdisc (guint ifindex, MctxQdiscKind * kind,
    gchar ** qdisc_name, GError ** error)
{
  struct
  {
    struct nlmsghdr nlh;
    struct tcmsg tcm;
  } req;
  QdiscScan scan = { 0 };
  QdiscParent *mq;
  int ret;

  *kind = MCTX_QDISC_OTHER;
  memset (&req, 0, sizeof req);
  req.nlh.nlmsg_len = NLMSG_LENGTH (sizeof (struct tcmsg));
  req.nlh.nlmsg_type = RTM_GETQDISC;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.nlh.nlmsg_seq = 1;
  req.tcm.tcm_family = AF_UNSPEC;
  /* older kernels ignore the index in a dump: filtered by the scan too */
  req.tcm.tcm_ifindex = ifindex;
  scan.ifindex = ifindex;
  ret = nl_query (&req.nlh, RTM_NEWQDISC, TRUE, scan_qdisc_msg, &scan, error);
  if (ret != 0) {
    if (error != NULL && *error == NULL)
      mctx_set_errno_error (error, -ret, "netlink qdisc dump of interface %u",
          ifindex);
    return FALSE;
  }

  if (strcmp (scan.root, "fq") == 0)
    *kind = MCTX_QDISC_FQ;
  else if (strcmp (scan.root, "etf") == 0)
    *kind = MCTX_QDISC_ETF;
  else if (strcmp (scan.root, "mq") == 0 &&
      (mq = scan_parent (&scan, TC_H_MAJ (scan.root_handle), FALSE))) {
    if (mq->children_fq == mq->children)
      *kind = MCTX_QDISC_FQ;
    else if (mq->children_etf == mq->children)
      *kind = MCTX_QDISC_ETF;
  }
  if (qdisc_name && scan.root[0])
    *qdisc_name = g_strdup (scan.root);
  return TRUE;
}
