/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/ip.h>

/**
 * SECTION:mctx-publication
 * @title: MctxPublication
 * @short_description: a multicast sender
 *
 * A publication sends datagrams to one group and port through its own
 * non-blocking UDP socket, connected to the group. Configure it with
 * properties, then mctx_publication_open().
 *
 * The outgoing interface is always set explicitly when one is known: by
 * #MctxPublication:interface (a name or one of the interface's addresses),
 * by #MctxPublication:interface-index, or by #MctxPublication:source when
 * that address belongs to exactly one interface. Otherwise the routing
 * table decides. A publication never joins its group.
 *
 * Sends never block: a full socket buffer gives %G_IO_ERROR_WOULD_BLOCK,
 * and mctx_publication_wait_writable() waits for room.
 *
 * Configuration properties changed while open take effect at the next
 * open; #MctxPublication:ttl, #MctxPublication:loop and
 * #MctxPublication:dscp apply at once.
 *
 * A publication may be used from one thread at a time; statistics and the
 * live settings may be read and changed from any thread.
 */

#define DEFAULT_PORT 5004
#define DEFAULT_TTL 1
#define DEFAULT_LOOP TRUE
#define DEFAULT_DSCP -1
#define DEFAULT_GSO TRUE

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif
#define MCTX_GSO_MAX_SEGMENTS 64
/* one IPv4 datagram's payload, also safe for IPv6 */
#define MCTX_GSO_MAX_BYTES 65000
#define MCTX_GSO_CONTROL_SIZE CMSG_SPACE (sizeof (guint16))

G_STATIC_ASSERT (sizeof (GOutputVector) == sizeof (struct iovec));
G_STATIC_ASSERT (G_STRUCT_OFFSET (GOutputVector, buffer) ==
    G_STRUCT_OFFSET (struct iovec, iov_base));
G_STATIC_ASSERT (G_STRUCT_OFFSET (GOutputVector, size) ==
    G_STRUCT_OFFSET (struct iovec, iov_len));

struct _MctxPublication
{
  GObject parent;

  /* configuration */
  gchar *group;
  guint port;
  gchar *source;
  guint source_port;
  gchar *interface;
  guint interface_index;
  gint ttl;
  gboolean loop;
  gint dscp;
  gint send_buffer_size;

  /* while open */
  int fd;
  MctxAddress group_addr;
  MctxAddress local_addr;
  guint16 local_port;
  guint ifindex;
  GInetSocketAddress *destination;
  GInetSocketAddress *local_address;
  gint actual_send_buffer_size;

  /* sendmmsg scratch, grown and kept: no allocation per batch */
  struct mmsghdr *mmsg;
  guint *run_len;               /* datagrams per mmsghdr */
  gsize *sizes;                 /* size per datagram */
  guint8 *control;              /* one UDP_SEGMENT cmsg per mmsghdr */
  guint mmsg_alloc;
  struct iovec *iov;
  guint iov_alloc;

  /* the outgoing interface's name, to find it again if it is recreated */
  gchar ifname[IF_NAMESIZE];
  gint64 last_refind;
  MctxPollCache poll_cache;

  /* UDP GSO: wanted, and still believed to work on this socket */
  gboolean gso;
  gboolean gso_ok;
  gsize gso_max_segment;

  /* statistics, updated with relaxed atomics */
  guint64 packets_sent;
  guint64 bytes_sent;
  guint64 would_block;
  guint64 send_errors;
};

enum
{
  PROP_0,
  PROP_GROUP,
  PROP_PORT,
  PROP_SOURCE,
  PROP_SOURCE_PORT,
  PROP_INTERFACE,
  PROP_INTERFACE_INDEX,
  PROP_TTL,
  PROP_LOOP,
  PROP_DSCP,
  PROP_SEND_BUFFER_SIZE,
  PROP_LOCAL_ADDRESS,
  PROP_EFFECTIVE_INTERFACE_INDEX,
  PROP_FD,
  PROP_GSO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_TYPE (MctxPublication, mctx_publication, G_TYPE_OBJECT)

#define STAT_ADD(p, v) __atomic_fetch_add (&(p), (v), __ATOMIC_RELAXED)
#define STAT_GET(p) __atomic_load_n (&(p), __ATOMIC_RELAXED)

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

/* What validation resolved: everything open() needs, nothing allocated. */
typedef struct
{
  MctxAddress group;
  gboolean has_source;
  MctxAddress source;
  guint ifindex;                /* 0: the routing table decides */
  gboolean has_ifaddr;          /* IPv4 interface named by address */
  MctxAddress ifaddr;
} PubPlan;

static const gchar *
family_name (GSocketFamily f)
{
  return f == G_SOCKET_FAMILY_IPV4 ? "IPv4" : "IPv6";
}

/* An address can be local without being an interface address (all of
 * 127/8, AnyIP routes): ask the kernel with a throwaway bind. */
static gboolean
source_is_local (const MctxAddress * source)
{
  struct sockaddr_storage ss;
  socklen_t len = mctx_address_to_sockaddr (source, 0, &ss);
  int fd = socket (ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = bind (fd, (struct sockaddr *) &ss, len) == 0;
  close (fd);
  return ok;
}

static gboolean
pub_plan (MctxPublication * self, PubPlan * plan, GError ** error)
{
  GPtrArray *table = NULL;
  MctxIfEntry *by_name = NULL, *by_index = NULL, *chosen = NULL;
  gboolean ok = FALSE;

  memset (plan, 0, sizeof (*plan));
  if (self->group == NULL) {
    mctx_set_error (error, "group", MCTX_ERROR_INVALID_ADDRESS,
        "group is not set: expected a multicast address");
    return FALSE;
  }
  if (!mctx_parse_group (self->group, "group", &plan->group, error))
    return FALSE;
  if (!mctx_check_port (self->port, "port", FALSE, error))
    return FALSE;
  if (!mctx_check_port (self->source_port, "source-port", TRUE, error))
    return FALSE;
  if (self->source != NULL && *self->source != '\0') {
    if (!mctx_parse_source (self->source, "source", &plan->source, error))
      return FALSE;
    if (plan->source.family != plan->group.family) {
      mctx_set_error (error, "source", MCTX_ERROR_FAMILY_MISMATCH,
          "source '%s' is %s but group '%s' is %s", self->source,
          family_name (plan->source.family), self->group,
          family_name (plan->group.family));
      return FALSE;
    }
    plan->has_source = TRUE;
  }

  table = mctx_if_table_load (error);
  if (table == NULL)
    return FALSE;

  if (self->interface != NULL && *self->interface != '\0') {
    MctxAddress ia;

    by_name = mctx_if_table_resolve (table, self->interface,
        plan->group.family, "interface", error);
    if (by_name == NULL)
      goto out;
    if (plan->group.family == G_SOCKET_FAMILY_IPV4 &&
        mctx_if_table_by_name (table, self->interface) == NULL &&
        mctx_address_parse (self->interface, NULL, &ia, NULL)) {
      plan->has_ifaddr = TRUE;
      plan->ifaddr = ia;
    }
  }
  if (self->interface_index != 0) {
    by_index = mctx_if_table_by_index (table, self->interface_index);
    if (by_index == NULL) {
      gchar *names = mctx_if_table_names (table);

      mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "interface-index %u not found (have: %s)", self->interface_index,
          names);
      g_free (names);
      goto out;
    }
  }
  if (by_name && by_index && by_name != by_index) {
    mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_MISMATCH,
        "interface '%s' (%s, index %u) and interface-index %u (%s) name "
        "different interfaces", self->interface, by_name->name,
        by_name->index, by_index->index, by_index->name);
    goto out;
  }
  chosen = by_name ? by_name : by_index;

  if (plan->group.scope_id != 0) {
    MctxIfEntry *scoped = mctx_if_table_by_index (table, plan->group.scope_id);

    if (scoped == NULL) {
      mctx_set_error (error, "group", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "group '%s': scope interface %u not found", self->group,
          plan->group.scope_id);
      goto out;
    }
    if (chosen && chosen != scoped) {
      mctx_set_error (error,
          self->interface ? "interface" : "interface-index",
          MCTX_ERROR_INTERFACE_MISMATCH,
          "group '%s' is scoped to %s but the interface is %s", self->group,
          scoped->name, chosen->name);
      goto out;
    }
    chosen = scoped;
  }

  if (plan->has_source) {
    MctxIfEntry *first = NULL;
    guint n = mctx_if_table_find_address (table, &plan->source, &first);

    if (n == 0 && !source_is_local (&plan->source)) {
      gchar *have = mctx_if_table_addresses_text (table, plan->source.family);

      mctx_set_error (error, "source", MCTX_ERROR_INVALID_SOURCE,
          "source '%s' is not an address of this host (have: %s)",
          self->source, have);
      g_free (have);
      goto out;
    }
    if (chosen == NULL && n == 1) {
      chosen = first;
    } else if (chosen != NULL && plan->group.family == G_SOCKET_FAMILY_IPV6) {
      MctxAddress on_chosen = plan->source;

      on_chosen.scope_id = chosen->index;
      if (mctx_if_table_find_address (table, &on_chosen, NULL) == 0) {
        mctx_set_error (error,
            self->interface ? "interface" : "interface-index",
            MCTX_ERROR_INTERFACE_MISMATCH,
            "source '%s' is not an address of interface %s", self->source,
            chosen->name);
        goto out;
      }
    }
    if (mctx_address_is_link_local (&plan->source) &&
        plan->source.family == G_SOCKET_FAMILY_IPV6 &&
        plan->source.scope_id == 0) {
      if (chosen == NULL) {
        mctx_set_error (error, "source", MCTX_ERROR_AMBIGUOUS_INTERFACE,
            "link-local source '%s' is on several interfaces: add %%scope "
            "or name the interface", self->source);
        goto out;
      }
      plan->source.scope_id = chosen->index;
    }
  }

  if (chosen == NULL && mctx_address_needs_interface (&plan->group)) {
    mctx_set_error (error, "interface", MCTX_ERROR_SCOPE_REQUIRED,
        "group '%s' is interface- or link-local: set interface, "
        "interface-index or a %%scope", self->group);
    goto out;
  }
  plan->ifindex = chosen ? chosen->index : 0;
  ok = TRUE;

out:
  g_ptr_array_unref (table);
  return ok;
}

static gboolean
apply_ttl (int fd, GSocketFamily family, gint ttl, GError ** error)
{
  int v = ttl;
  int r = family == G_SOCKET_FAMILY_IPV4 ?
      setsockopt (fd, IPPROTO_IP, IP_MULTICAST_TTL, &v, sizeof (v)) :
      setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &v, sizeof (v));

  if (r < 0) {
    mctx_set_errno_error (error, errno, "ttl %d", ttl);
    return FALSE;
  }
  return TRUE;
}

static gboolean
apply_loop (int fd, GSocketFamily family, gboolean loop, GError ** error)
{
  int v = loop ? 1 : 0;
  int r = family == G_SOCKET_FAMILY_IPV4 ?
      setsockopt (fd, IPPROTO_IP, IP_MULTICAST_LOOP, &v, sizeof (v)) :
      setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &v, sizeof (v));

  if (r < 0) {
    mctx_set_errno_error (error, errno, "loop %d", v);
    return FALSE;
  }
  return TRUE;
}

static gboolean
apply_dscp (int fd, GSocketFamily family, gint dscp, GError ** error)
{
  int v, r;

  if (dscp < 0)
    return TRUE;
  v = dscp << 2;
  r = family == G_SOCKET_FAMILY_IPV4 ?
      setsockopt (fd, IPPROTO_IP, IP_TOS, &v, sizeof (v)) :
      setsockopt (fd, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof (v));
  if (r < 0) {
    mctx_set_errno_error (error, errno, "dscp %d", dscp);
    return FALSE;
  }
  return TRUE;
}

/**
 * mctx_publication_new:
 * @group: the multicast group (IPv4 or IPv6)
 * @port: the destination UDP port
 *
 * Creates a closed publication. Nothing is checked until
 * mctx_publication_validate() or mctx_publication_open().
 *
 * Returns: (transfer full): a new publication
 */
MctxPublication *
mctx_publication_new (const gchar * group, guint port)
{
  return g_object_new (MCTX_TYPE_PUBLICATION, "group", group, "port", port,
      NULL);
}

/**
 * mctx_publication_validate:
 * @self: a publication
 * @error: return location for a #GError
 *
 * Checks the configuration against the host's interfaces without opening
 * anything. mctx_publication_open() does the same checks.
 *
 * Returns: %TRUE when the configuration can be opened
 */
gboolean
mctx_publication_validate (MctxPublication * self, GError ** error)
{
  PubPlan plan;

  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  return pub_plan (self, &plan, error);
}

/**
 * mctx_publication_open:
 * @self: a publication
 * @error: return location for a #GError
 *
 * Validates the configuration, creates the socket, binds the source,
 * selects the outgoing interface, applies TTL, loop and DSCP, and connects
 * to the group. On failure nothing stays open.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_publication_open (MctxPublication * self, GError ** error)
{
  PubPlan plan;
  struct sockaddr_storage ss;
  socklen_t sslen;
  GSocketFamily family;
  int fd = -1, one = 1;

  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  if (self->fd >= 0) {
    mctx_set_error (error, NULL, MCTX_ERROR_ALREADY_OPEN,
        "publication to '%s' port %u is already open", self->group,
        self->port);
    return FALSE;
  }
  if (!pub_plan (self, &plan, error))
    return FALSE;
  family = plan.group.family;

  fd = socket (family == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6,
      SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) {
    mctx_set_errno_error (error, errno, "socket");
    return FALSE;
  }

  if (self->source_port != 0 &&
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof (one)) < 0) {
    mctx_set_errno_error (error, errno, "SO_REUSEADDR");
    goto fail;
  }
  if (plan.has_source || self->source_port != 0) {
    MctxAddress any = {.family = family };

    sslen = mctx_address_to_sockaddr (plan.has_source ? &plan.source : &any,
        self->source_port, &ss);
    if (bind (fd, (struct sockaddr *) &ss, sslen) < 0) {
      mctx_set_errno_error (error, errno, "cannot bind source '%s' port %u",
          plan.has_source ? self->source : "any", self->source_port);
      goto fail;
    }
  }

  if (plan.ifindex != 0 || plan.has_ifaddr) {
    if (family == G_SOCKET_FAMILY_IPV4) {
      struct ip_mreqn mreqn;

      memset (&mreqn, 0, sizeof (mreqn));
      mreqn.imr_ifindex = plan.ifindex;
      if (plan.has_ifaddr)
        memcpy (&mreqn.imr_address, plan.ifaddr.bytes, 4);
      if (setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &mreqn,
              sizeof (mreqn)) < 0) {
        mctx_set_errno_error (error, errno, "IP_MULTICAST_IF index %u",
            plan.ifindex);
        goto fail;
      }
    } else {
      int idx = plan.ifindex;

      if (setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx,
              sizeof (idx)) < 0) {
        mctx_set_errno_error (error, errno, "IPV6_MULTICAST_IF index %u",
            plan.ifindex);
        goto fail;
      }
    }
  }

  if (!apply_ttl (fd, family, self->ttl, error) ||
      !apply_loop (fd, family, self->loop, error) ||
      !apply_dscp (fd, family, self->dscp, error))
    goto fail;
  self->actual_send_buffer_size = mctx_socket_set_buffer (fd, TRUE,
      self->send_buffer_size, error);
  if (self->actual_send_buffer_size < 0)
    goto fail;

  /* The destination keeps a scope id only for ff_1/ff_2 groups */
  if (mctx_address_needs_interface (&plan.group))
    plan.group.scope_id = plan.ifindex;
  else
    plan.group.scope_id = 0;
  sslen = mctx_address_to_sockaddr (&plan.group, self->port, &ss);
  if (connect (fd, (struct sockaddr *) &ss, sslen) < 0) {
    mctx_set_errno_error (error, errno, "cannot connect to group '%s' port %u",
        self->group, self->port);
    goto fail;
  }

  sslen = sizeof (ss);
  if (getsockname (fd, (struct sockaddr *) &ss, &sslen) < 0) {
    mctx_set_errno_error (error, errno, "getsockname");
    goto fail;
  }
  mctx_address_from_sockaddr ((struct sockaddr *) &ss, &self->local_addr,
      &self->local_port);

  /* GSO segments must each fit the path MTU; larger datagrams go out
   * one by one and the kernel fragments them */
  {
    int mtu = 0;
    socklen_t mlen = sizeof (mtu);

    if (getsockopt (fd, family == G_SOCKET_FAMILY_IPV4 ? IPPROTO_IP :
            IPPROTO_IPV6, family == G_SOCKET_FAMILY_IPV4 ? IP_MTU : IPV6_MTU,
            &mtu, &mlen) < 0)
      mtu = 1500;
    self->gso_max_segment = mtu - (family == G_SOCKET_FAMILY_IPV4 ? 28 : 48);
    self->gso_ok = TRUE;
  }
  self->group_addr = plan.group;
  self->ifindex = plan.ifindex;
  self->ifname[0] = '\0';
  if (plan.ifindex != 0)
    if_indextoname (plan.ifindex, self->ifname);
  if (self->ifindex == 0)
    self->ifindex = mctx_netlink_route_oif (&plan.group, NULL);
  self->destination = mctx_address_to_socket_address (&plan.group,
      self->port);
  self->local_address = mctx_address_to_socket_address (&self->local_addr,
      self->local_port);
  self->fd = fd;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ADDRESS]);
  return TRUE;

fail:
  close (fd);
  return FALSE;
}

/**
 * mctx_publication_close:
 * @self: a publication
 *
 * Closes the socket. The configuration stays; the publication can be
 * opened again. Statistics are kept.
 */
void
mctx_publication_close (MctxPublication * self)
{
  g_return_if_fail (MCTX_IS_PUBLICATION (self));
  if (self->fd >= 0) {
    close (self->fd);
    self->fd = -1;
  }
  g_clear_object (&self->destination);
  g_clear_object (&self->local_address);
  mctx_poll_cache_clear (&self->poll_cache);
  self->ifindex = 0;
}

/**
 * mctx_publication_is_open:
 * @self: a publication
 *
 * Returns: whether the publication is open
 */
gboolean
mctx_publication_is_open (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  return self->fd >= 0;
}

static gboolean
check_open (MctxPublication * self, GError ** error)
{
  if (G_LIKELY (self->fd >= 0))
    return TRUE;
  mctx_set_error (error, NULL, MCTX_ERROR_NOT_OPEN,
      "publication to '%s' port %u is not open", self->group
      ? self->group : "(unset)", self->port);
  return FALSE;
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
  idx = if_nametoindex (self->ifname);
  if (idx == 0 || idx == self->ifindex)
    return;
  if (self->group_addr.family == G_SOCKET_FAMILY_IPV4) {
    struct ip_mreqn mreqn;

    memset (&mreqn, 0, sizeof (mreqn));
    mreqn.imr_ifindex = idx;
    r = setsockopt (self->fd, IPPROTO_IP, IP_MULTICAST_IF, &mreqn,
        sizeof (mreqn));
  } else {
    int i6 = idx;

    r = setsockopt (self->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &i6,
        sizeof (i6));
    if (r == 0 && mctx_address_needs_interface (&self->group_addr)) {
      struct sockaddr_storage ss;
      MctxAddress g = self->group_addr;
      socklen_t len;

      g.scope_id = idx;
      len = mctx_address_to_sockaddr (&g, self->port, &ss);
      r = connect (self->fd, (struct sockaddr *) &ss, len);
      if (r == 0)
        self->group_addr.scope_id = idx;
    }
  }
  if (r == 0) {
    g_debug ("interface %s is back as index %u", self->ifname, idx);
    self->ifindex = idx;
    g_object_notify_by_pspec (G_OBJECT (self),
        properties[PROP_EFFECTIVE_INTERFACE_INDEX]);
  }
}

/* Turns a failed send's errno into the documented error, and counts it. */
static void
send_error (MctxPublication * self, int errsv, gsize size, GError ** error)
{
  if (errsv == EAGAIN || errsv == EWOULDBLOCK) {
    STAT_ADD (self->would_block, 1);
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
        "send buffer full");
    return;
  }
  STAT_ADD (self->send_errors, 1);
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
  struct msghdr msg;
  gsize total = 0;
  gssize r;
  guint i;

  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), -1);
  if (!check_open (self, error))
    return -1;
  memset (&msg, 0, sizeof (msg));
  msg.msg_iov = (struct iovec *) vectors;
  msg.msg_iovlen = n_vectors;
  do {
    r = sendmsg (self->fd, &msg, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    int errsv = errno;

    /* the size is only for the message */
    for (i = 0; i < n_vectors; i++)
      total += vectors[i].size;
    send_error (self, errsv, total, error);
    return -1;
  }
  STAT_ADD (self->packets_sent, 1);
  STAT_ADD (self->bytes_sent, (guint64) r);
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

static void
ensure_scratch (MctxPublication * self, guint n, guint n_iov)
{
  if (G_UNLIKELY (n > self->mmsg_alloc)) {
    self->mmsg = g_renew (struct mmsghdr, self->mmsg, n);
    self->run_len = g_renew (guint, self->run_len, n);
    self->sizes = g_renew (gsize, self->sizes, n);
    g_free (self->control);
    self->control = g_malloc0 ((gsize) n * MCTX_GSO_CONTROL_SIZE);
    self->mmsg_alloc = n;
  }
  if (G_UNLIKELY (n_iov > self->iov_alloc)) {
    self->iov = g_renew (struct iovec, self->iov, n_iov);
    self->iov_alloc = n_iov;
  }
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
  guint i, n, nh, niov, total_vectors, sent;
  gboolean use_gso;
  int r;

  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), -1);
  if (!check_open (self, error))
    return -1;
  if (n_messages == 0)
    return 0;
  n = MIN (n_messages, UIO_MAXIOV);
  total_vectors = 0;
  for (i = 0; i < n; i++) {
    if (total_vectors + messages[i].num_vectors > UIO_MAXIOV && i > 0) {
      n = i;
      break;
    }
    total_vectors += messages[i].num_vectors;
  }
  ensure_scratch (self, n, total_vectors);
  for (i = 0; i < n; i++) {
    guint v;
    gsize size = 0;

    for (v = 0; v < messages[i].num_vectors; v++)
      size += messages[i].vectors[v].size;
    self->sizes[i] = size;
  }

again:
  use_gso = self->gso && self->gso_ok;
  nh = 0;
  niov = 0;
  for (i = 0; i < n;) {
    struct msghdr *h = &self->mmsg[nh].msg_hdr;
    gsize seg = self->sizes[i], total = seg;
    guint run = 1, k, v;

    /* A run: equal sizes, the last one may be shorter (GSO's rule), at
     * most 64 segments and one IP datagram's worth of payload. */
    if (use_gso && seg > 0 && seg <= self->gso_max_segment) {
      while (i + run < n && run < MCTX_GSO_MAX_SEGMENTS) {
        gsize next = self->sizes[i + run];

        if (next == 0 || next > seg || total + next > MCTX_GSO_MAX_BYTES)
          break;
        total += next;
        run++;
        if (next < seg)
          break;
      }
    }
    memset (h, 0, sizeof (*h));
    h->msg_iov = &self->iov[niov];
    for (k = 0; k < run; k++)
      for (v = 0; v < messages[i + k].num_vectors; v++) {
        self->iov[niov].iov_base = (void *) messages[i + k].vectors[v].buffer;
        self->iov[niov].iov_len = messages[i + k].vectors[v].size;
        niov++;
      }
    h->msg_iovlen = &self->iov[niov] - h->msg_iov;
    if (run > 1) {
      guint8 *ctl = self->control + (gsize) nh * MCTX_GSO_CONTROL_SIZE;
      struct cmsghdr *c = (struct cmsghdr *) ctl;
      guint16 seg16 = seg;

      h->msg_control = ctl;
      h->msg_controllen = CMSG_SPACE (sizeof (guint16));
      c->cmsg_level = SOL_UDP;
      c->cmsg_type = UDP_SEGMENT;
      c->cmsg_len = CMSG_LEN (sizeof (guint16));
      memcpy (CMSG_DATA (c), &seg16, sizeof (seg16));
    }
    self->mmsg[nh].msg_len = 0;
    self->run_len[nh] = run;
    nh++;
    i += run;
  }

  do {
    r = sendmmsg (self->fd, self->mmsg, nh, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    int errsv = errno;

    /* a kernel or device that refuses GSO: remember, and send plainly */
    if (self->run_len[0] > 1 && (errsv == EINVAL || errsv == EIO ||
            errsv == ENOPROTOOPT || errsv == EOPNOTSUPP)) {
      self->gso_ok = FALSE;
      g_debug ("UDP GSO refused (%s); sending datagrams one by one",
          g_strerror (errsv));
      goto again;
    }
    send_error (self, errsv, self->sizes[0], error);
    return -1;
  }
  sent = 0;
  for (i = 0; i < (guint) r; i++) {
    guint k;

    for (k = 0; k < self->run_len[i]; k++, sent++)
      messages[sent].bytes_sent = self->sizes[sent];
    STAT_ADD (self->bytes_sent, self->mmsg[i].msg_len);
  }
  STAT_ADD (self->packets_sent, (guint64) sent);
  return sent;
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
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  return mctx_socket_wait (self->fd, POLLOUT, timeout_us, cancellable,
      &self->poll_cache, error);
}

/**
 * mctx_publication_get_fd:
 * @self: a publication
 *
 * The socket, for poll or an event loop (e.g. asyncio's add_writer). It
 * stays owned by the publication.
 *
 * Returns: the file descriptor, or -1 when closed
 */
gint
mctx_publication_get_fd (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), -1);
  return self->fd;
}

/**
 * mctx_publication_get_group:
 * @self: a publication
 *
 * Returns: (nullable): the configured group
 */
const gchar *
mctx_publication_get_group (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), NULL);
  return self->group;
}

/**
 * mctx_publication_get_port:
 * @self: a publication
 *
 * Returns: the destination port
 */
guint
mctx_publication_get_port (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), 0);
  return self->port;
}

/**
 * mctx_publication_get_source:
 * @self: a publication
 *
 * Returns: (nullable): the configured source address, if any
 */
const gchar *
mctx_publication_get_source (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), NULL);
  return self->source;
}

/**
 * mctx_publication_get_local_address:
 * @self: a publication
 *
 * The effective local address and port the kernel chose (or the bound
 * source), which receivers see as the sender.
 *
 * Returns: (transfer none) (nullable): the address, %NULL when closed
 */
GInetSocketAddress *
mctx_publication_get_local_address (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), NULL);
  return self->local_address;
}

/**
 * mctx_publication_get_effective_interface_index:
 * @self: a publication
 *
 * Returns: the outgoing interface: the configured one, or the one the
 *   routing table gave for the group at open time; 0 when closed or unknown
 */
guint
mctx_publication_get_effective_interface_index (MctxPublication * self)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), 0);
  return self->ifindex;
}

/**
 * mctx_publication_get_announce_tuple:
 * @self: an open publication
 * @source: (out) (optional) (transfer full): the effective source address
 * @group: (out) (optional) (transfer full): the group
 * @port: (out) (optional): the port
 *
 * The (source, group, port) triple a receiver needs for a source-specific
 * subscription, e.g. to put in an SDP announcement.
 *
 * Returns: %FALSE when the publication is not open
 */
gboolean
mctx_publication_get_announce_tuple (MctxPublication * self, gchar ** source,
    gchar ** group, guint * port)
{
  MctxAddress bare;

  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  if (self->fd < 0)
    return FALSE;
  if (source) {
    bare = self->local_addr;
    bare.scope_id = 0;
    *source = mctx_address_to_string (&bare);
  }
  if (group) {
    bare = self->group_addr;
    bare.scope_id = 0;
    *group = mctx_address_to_string (&bare);
  }
  if (port)
    *port = self->port;
  return TRUE;
}

/**
 * mctx_publication_get_stats:
 * @self: a publication
 * @stats: (out caller-allocates): the counters
 *
 * Reads the counters; safe from any thread.
 */
void
mctx_publication_get_stats (MctxPublication * self,
    MctxPublicationStats * stats)
{
  g_return_if_fail (MCTX_IS_PUBLICATION (self));
  stats->packets_sent = STAT_GET (self->packets_sent);
  stats->bytes_sent = STAT_GET (self->bytes_sent);
  stats->would_block = STAT_GET (self->would_block);
  stats->send_errors = STAT_GET (self->send_errors);
}

/**
 * mctx_publication_set_ttl:
 * @self: a publication
 * @ttl: time to live (IPv6 hop limit), 0..255
 * @error: return location for a #GError
 *
 * Applies at once when open. TTL 1 keeps traffic on the local network.
 *
 * Returns: %TRUE on success; %MCTX_ERROR_INVALID_VALUE when out of range
 */
gboolean
mctx_publication_set_ttl (MctxPublication * self, gint ttl, GError ** error)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  if (ttl < 0 || ttl > 255) {
    mctx_set_error (error, "ttl", MCTX_ERROR_INVALID_VALUE,
        "ttl %d is out of range (0..255)", ttl);
    return FALSE;
  }
  if (self->fd >= 0 && !apply_ttl (self->fd, self->group_addr.family, ttl,
          error))
    return FALSE;
  if (self->ttl != ttl) {
    self->ttl = ttl;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TTL]);
  }
  return TRUE;
}

/**
 * mctx_publication_set_loop:
 * @self: a publication
 * @loop: whether local receivers get a copy of what is sent
 * @error: return location for a #GError
 *
 * Applies at once when open.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_publication_set_loop (MctxPublication * self, gboolean loop,
    GError ** error)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  loop = ! !loop;
  if (self->fd >= 0 && !apply_loop (self->fd, self->group_addr.family, loop,
          error))
    return FALSE;
  if (self->loop != loop) {
    self->loop = loop;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
  }
  return TRUE;
}

/**
 * mctx_publication_set_dscp:
 * @self: a publication
 * @dscp: DiffServ code point 0..63, or -1 to leave the socket's value
 * @error: return location for a #GError
 *
 * Applies at once when open.
 *
 * Returns: %TRUE on success; %MCTX_ERROR_INVALID_VALUE when out of range
 */
gboolean
mctx_publication_set_dscp (MctxPublication * self, gint dscp,
    GError ** error)
{
  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  if (dscp < -1 || dscp > 63) {
    mctx_set_error (error, "dscp", MCTX_ERROR_INVALID_VALUE,
        "dscp %d is out of range (-1..63)", dscp);
    return FALSE;
  }
  if (self->fd >= 0 && !apply_dscp (self->fd, self->group_addr.family, dscp,
          error))
    return FALSE;
  if (self->dscp != dscp) {
    self->dscp = dscp;
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DSCP]);
  }
  return TRUE;
}

static void
mctx_publication_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

static void
mctx_publication_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  MctxPublication *self = MCTX_PUBLICATION (object);
  GValue old = G_VALUE_INIT;
  gboolean changed;
  GError *err = NULL;

  /* explicit notify: only when the value really changes */
  g_value_init (&old, pspec->value_type);
  mctx_publication_get_property (object, prop_id, &old, pspec);
  changed = g_param_values_cmp (pspec, &old, value) != 0;
  g_value_unset (&old);

  switch (prop_id) {
    case PROP_GROUP:
      g_free (self->group);
      self->group = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_SOURCE:
      g_free (self->source);
      self->source = g_value_dup_string (value);
      break;
    case PROP_SOURCE_PORT:
      self->source_port = g_value_get_uint (value);
      break;
    case PROP_INTERFACE:
      g_free (self->interface);
      self->interface = g_value_dup_string (value);
      break;
    case PROP_INTERFACE_INDEX:
      self->interface_index = g_value_get_uint (value);
      break;
    case PROP_TTL:
      if (!mctx_publication_set_ttl (self, g_value_get_int (value), &err))
        goto live_error;
      break;
    case PROP_LOOP:
      if (!mctx_publication_set_loop (self, g_value_get_boolean (value), &err))
        goto live_error;
      break;
    case PROP_DSCP:
      if (!mctx_publication_set_dscp (self, g_value_get_int (value), &err))
        goto live_error;
      break;
    case PROP_SEND_BUFFER_SIZE:
      self->send_buffer_size = g_value_get_int (value);
      break;
    case PROP_GSO:
      self->gso = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
  }
  /* ttl, loop and dscp notify from their setters */
  if (changed && prop_id != PROP_TTL && prop_id != PROP_LOOP &&
      prop_id != PROP_DSCP)
    g_object_notify_by_pspec (object, pspec);
  return;

live_error:
  /* a property setter cannot return an error; callers who care use the
   * mctx_publication_set_*() functions */
  g_warning ("%s", err->message);
  g_error_free (err);
}

static void
mctx_publication_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  MctxPublication *self = MCTX_PUBLICATION (object);

  switch (prop_id) {
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_SOURCE_PORT:
      g_value_set_uint (value, self->source_port);
      break;
    case PROP_INTERFACE:
      g_value_set_string (value, self->interface);
      break;
    case PROP_INTERFACE_INDEX:
      g_value_set_uint (value, self->interface_index);
      break;
    case PROP_TTL:
      g_value_set_int (value, self->ttl);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    case PROP_DSCP:
      g_value_set_int (value, self->dscp);
      break;
    case PROP_SEND_BUFFER_SIZE:
      g_value_set_int (value, self->fd >= 0 ? self->actual_send_buffer_size :
          self->send_buffer_size);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_object (value, self->local_address);
      break;
    case PROP_EFFECTIVE_INTERFACE_INDEX:
      g_value_set_uint (value, self->ifindex);
      break;
    case PROP_FD:
      g_value_set_int (value, self->fd);
      break;
    case PROP_GSO:
      g_value_set_boolean (value, self->gso);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
mctx_publication_finalize (GObject * object)
{
  MctxPublication *self = MCTX_PUBLICATION (object);

  mctx_publication_close (self);
  g_free (self->group);
  g_free (self->source);
  g_free (self->interface);
  g_free (self->mmsg);
  g_free (self->run_len);
  g_free (self->sizes);
  g_free (self->control);
  g_free (self->iov);
  G_OBJECT_CLASS (mctx_publication_parent_class)->finalize (object);
}

static void
mctx_publication_class_init (MctxPublicationClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      G_PARAM_EXPLICIT_NOTIFY;

  gobject_class->set_property = mctx_publication_set_property;
  gobject_class->get_property = mctx_publication_get_property;
  gobject_class->finalize = mctx_publication_finalize;

  /**
   * MctxPublication:group:
   *
   * The multicast group to send to, IPv4 or IPv6 (an IPv6 interface- or
   * link-local group may carry a `%scope`).
   */
  properties[PROP_GROUP] = g_param_spec_string ("group", "Group",
      "Multicast group to send to (IPv4 or IPv6)", NULL, rw);
  /**
   * MctxPublication:port:
   *
   * The destination UDP port (1..65535; 0 is refused at open).
   */
  properties[PROP_PORT] = g_param_spec_uint ("port", "Port",
      "Destination UDP port", 0, 65535, DEFAULT_PORT, rw);
  /**
   * MctxPublication:source:
   *
   * The exact local address to bind and send from. When it belongs to
   * exactly one interface, it also selects the outgoing interface.
   */
  properties[PROP_SOURCE] = g_param_spec_string ("source", "Source",
      "Local address to send from (NULL: chosen by the kernel)", NULL, rw);
  /**
   * MctxPublication:source-port:
   *
   * The local UDP port to send from, 0 for any.
   */
  properties[PROP_SOURCE_PORT] = g_param_spec_uint ("source-port",
      "Source port", "Local UDP port to send from (0: any)", 0, 65535, 0, rw);
  /**
   * MctxPublication:interface:
   *
   * The outgoing interface, by name (e.g. "eth0") or by one of its
   * addresses.
   */
  properties[PROP_INTERFACE] = g_param_spec_string ("interface", "Interface",
      "Outgoing interface: a name or one of its addresses", NULL, rw);
  /**
   * MctxPublication:interface-index:
   *
   * The outgoing interface by index, 0 for none.
   */
  properties[PROP_INTERFACE_INDEX] = g_param_spec_uint ("interface-index",
      "Interface index", "Outgoing interface by index (0: not set)", 0,
      G_MAXUINT, 0, rw);
  /**
   * MctxPublication:ttl:
   *
   * IPv4 TTL or IPv6 hop limit of sent datagrams. The default, 1, keeps
   * traffic on the local network: routers do not forward it.
   */
  properties[PROP_TTL] = g_param_spec_int ("ttl", "TTL",
      "Time to live / hop limit (1 stays on the local network)", 0, 255,
      DEFAULT_TTL, rw);
  /**
   * MctxPublication:loop:
   *
   * Whether receivers on this host get a copy of what is sent.
   */
  properties[PROP_LOOP] = g_param_spec_boolean ("loop", "Loop",
      "Deliver sent datagrams to receivers on this host too", DEFAULT_LOOP,
      rw);
  /**
   * MctxPublication:dscp:
   *
   * DiffServ code point for sent datagrams, -1 to leave it alone.
   */
  properties[PROP_DSCP] = g_param_spec_int ("dscp", "DSCP",
      "DiffServ code point (-1: leave as is)", -1, 63, DEFAULT_DSCP, rw);
  /**
   * MctxPublication:send-buffer-size:
   *
   * Requested socket send buffer in bytes, 0 for the kernel default. While
   * open, reads back the size the kernel granted.
   */
  properties[PROP_SEND_BUFFER_SIZE] = g_param_spec_int ("send-buffer-size",
      "Send buffer size",
      "Socket send buffer in bytes (0: kernel default); reads the granted "
      "size while open", 0, G_MAXINT, 0, rw);
  /**
   * MctxPublication:local-address:
   *
   * The effective local address and port, while open.
   */
  properties[PROP_LOCAL_ADDRESS] = g_param_spec_object ("local-address",
      "Local address", "Effective local address and port while open",
      G_TYPE_INET_SOCKET_ADDRESS, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MctxPublication:effective-interface-index:
   *
   * The outgoing interface in use, while open.
   */
  properties[PROP_EFFECTIVE_INTERFACE_INDEX] =
      g_param_spec_uint ("effective-interface-index",
      "Effective interface index", "Outgoing interface in use while open",
      0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * MctxPublication:fd:
   *
   * The socket's file descriptor while open, else -1.
   */
  properties[PROP_FD] = g_param_spec_int ("fd", "File descriptor",
      "Socket file descriptor while open (-1: closed)", -1, G_MAXINT, -1,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MctxPublication:gso:
   *
   * Whether mctx_publication_send_messages() may send runs of equal-sized
   * datagrams as one UDP GSO super-datagram (Linux 4.18+). It falls back
   * by itself where the kernel refuses; turn it off only to compare.
   */
  properties[PROP_GSO] = g_param_spec_boolean ("gso", "GSO",
      "Send runs of equal-sized datagrams with UDP segmentation offload",
      DEFAULT_GSO, rw);

  g_object_class_install_properties (gobject_class, N_PROPS, properties);
}

static void
mctx_publication_init (MctxPublication * self)
{
  self->fd = -1;
  self->port = DEFAULT_PORT;
  self->ttl = DEFAULT_TTL;
  self->loop = DEFAULT_LOOP;
  self->dscp = DEFAULT_DSCP;
  self->gso = DEFAULT_GSO;
  self->poll_cache.fd = -1;
}

/* For MctxContext's duplicate check. */
gboolean mctx_publication_same_config (MctxPublication * a,
    MctxPublication * b);

/* Equal as addresses when both parse ("FF11:0::1" is "ff11::1"), else as
 * text (interface names). */
static gboolean
same_spec (const gchar * x, const gchar * y)
{
  MctxAddress ax, ay;

  if (x == NULL || y == NULL || *x == '\0' || *y == '\0')
    return (x == NULL || *x == '\0') == (y == NULL || *y == '\0');
  if (mctx_address_parse (x, NULL, &ax, NULL) &&
      mctx_address_parse (y, NULL, &ay, NULL))
    return mctx_address_equal (&ax, &ay);
  return strcmp (x, y) == 0;
}

gboolean
mctx_publication_same_config (MctxPublication * a, MctxPublication * b)
{
  return same_spec (a->group, b->group) && a->port == b->port &&
      same_spec (a->source, b->source) &&
      a->source_port == b->source_port &&
      same_spec (a->interface, b->interface) &&
      a->interface_index == b->interface_index;
}
