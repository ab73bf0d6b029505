/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/sock_diag.h>

/**
 * SECTION:mctx-subscription
 * @title: MctxSubscription
 * @short_description: a multicast receiver
 *
 * A subscription receives datagrams sent to one group and port, on one,
 * several or all interfaces, from any source (optionally excluding some)
 * or from listed sources only (source-specific multicast).
 *
 * Only datagrams sent to the group, from an allowed source and arriving on
 * a joined interface reach the caller. The kernel does most of the work:
 * the socket is bound to the group (so unicast to the port and other
 * groups stay out), %IP_MULTICAST_ALL / %IPV6_MULTICAST_ALL are off (so
 * other sockets' memberships do not leak in), and source filters are
 * kernel-side. Each datagram's destination, arrival interface and source
 * are still checked against the configuration, because an ANY-bound socket
 * (IPv6 link-scope groups) or a race with a membership change could let
 * one through; such datagrams are counted in #MctxSubscriptionStats.filtered.
 *
 * Several subscriptions to the same group and port, in one process or
 * several, each receive every datagram.
 */

#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif
#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

#ifndef UDP_GRO
#define UDP_GRO 104
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define DEFAULT_PORT 5004
#define DEFAULT_GRO FALSE
/* coalesced reads per system call in GRO mode, 64 KiB each */
#define GRO_SLOTS 8
#define GRO_BUF_SIZE 65536
/* room for pktinfo, timestamp, drop counter and a GRO segment size */
#define CONTROL_SIZE 256
/* how many foreign datagrams one receive call drains before giving up */
#define MAX_FILTERED_PER_CALL 4096

struct _MctxSubscription
{
  GObject parent;

  /* configuration */
  gchar *group;
  guint port;
  gchar **interfaces;
  guint interface_index;
  gchar **sources;
  gchar **exclude_sources;
  gint receive_buffer_size;
  gboolean gro;
  gboolean follow_interfaces;

  /* while open */
  int mon_fd;                   /* rtnetlink link events, -1: not followed */
  MctxPollCache poll_cache;
  gboolean timestamps;
  GPtrArray *if_names;          /* name of each ifindexes entry */
  gboolean all_mode;
  int fd;
  MctxAddress group_addr;
  GArray *ifindexes;            /* guint */
  GArray *filter;               /* MctxAddress */
  gboolean exclude;
  gboolean joined;
  gint actual_receive_buffer_size;
  guint32 last_ovfl;

  /* GRO: coalesced reads, split into the caller's slots; segments that
   * did not fit wait here for the next call */
  gboolean gro_active;
  guint8 *gro_buf;
  struct mmsghdr gro_mmsg[GRO_SLOTS];
  struct iovec gro_iov[GRO_SLOTS];
  struct sockaddr_storage gro_names[GRO_SLOTS];
  guint8 *gro_control;
  struct
  {
    const guint8 *data;
    gsize segment;
    gsize left;
    MctxPacketInfo info;
  } pending[GRO_SLOTS];
  guint pending_first;
  guint pending_count;

  /* recvmmsg scratch, grown and kept */
  struct mmsghdr *mmsg;
  struct iovec *iov;
  guint8 *control;
  struct sockaddr_storage *names;
  guint scratch_alloc;

  /* statistics */
  guint64 packets_received;
  guint64 bytes_received;
  guint64 kernel_drops;
  guint64 filtered;
  guint64 truncated;
  guint64 interface_changes;
};

enum
{
  PROP_0,
  PROP_GROUP,
  PROP_PORT,
  PROP_INTERFACES,
  PROP_INTERFACE_INDEX,
  PROP_SOURCES,
  PROP_EXCLUDE_SOURCES,
  PROP_RECEIVE_BUFFER_SIZE,
  PROP_ACTUAL_RECEIVE_BUFFER_SIZE,
  PROP_FD,
  PROP_GRO,
  PROP_FOLLOW_INTERFACES,
  PROP_TIMESTAMPS,
  N_PROPS
};

enum
{
  SIGNAL_INTERFACE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_TYPE (MctxSubscription, mctx_subscription, G_TYPE_OBJECT)

#define STAT_ADD(p, v) __atomic_fetch_add (&(p), (v), __ATOMIC_RELAXED)
#define STAT_GET(p) __atomic_load_n (&(p), __ATOMIC_RELAXED)
#define STAT_SET(p, v) __atomic_store_n (&(p), (v), __ATOMIC_RELAXED)

G_DEFINE_BOXED_TYPE (MctxPacketInfo, mctx_packet_info, mctx_packet_info_copy,
    mctx_packet_info_free)

/**
 * mctx_packet_info_copy:
 * @info: packet metadata
 *
 * Returns: (transfer full): a copy
 */
MctxPacketInfo *
mctx_packet_info_copy (const MctxPacketInfo * info)
{
  return g_memdup2 (info, sizeof (*info));
}

/**
 * mctx_packet_info_free:
 * @info: packet metadata
 */
void
mctx_packet_info_free (MctxPacketInfo * info)
{
  g_free (info);
}

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

typedef struct
{
  MctxAddress group;
  GArray *ifindexes;
  GArray *filter;
  gboolean exclude;
} SubPlan;

static void
sub_plan_clear (SubPlan * plan)
{
  g_clear_pointer (&plan->ifindexes, g_array_unref);
  g_clear_pointer (&plan->filter, g_array_unref);
}

static const gchar *
family_name (GSocketFamily f)
{
  return f == G_SOCKET_FAMILY_IPV4 ? "IPv4" : "IPv6";
}

static gboolean
has_index (GArray * arr, guint index)
{
  guint i;

  for (i = 0; i < arr->len; i++)
    if (g_array_index (arr, guint, i) == index)
      return TRUE;
  return FALSE;
}

static gint
read_sysctl_int (const gchar * path, gint fallback)
{
  gchar *text = NULL;
  gint v = fallback;

  if (g_file_get_contents (path, &text, NULL, NULL)) {
    v = (gint) g_ascii_strtoll (text, NULL, 10);
    g_free (text);
  }
  return v;
}

static gboolean
parse_filter (gchar ** list, const gchar * what, GSocketFamily family,
    GArray ** out, GError ** error)
{
  GArray *arr;
  guint i;

  *out = NULL;
  if (list == NULL || list[0] == NULL)
    return TRUE;
  arr = mctx_parse_source_strv ((const gchar * const *) list, what, error);
  if (arr == NULL)
    return FALSE;
  for (i = 0; i < arr->len; i++) {
    if (g_array_index (arr, MctxAddress, i).family != family) {
      mctx_set_error (error, what, MCTX_ERROR_FAMILY_MISMATCH,
          "%s entry '%s' is %s but the group is %s", what, list[i],
          family_name (g_array_index (arr, MctxAddress, i).family),
          family_name (family));
      g_array_unref (arr);
      return FALSE;
    }
  }
  *out = arr;
  return TRUE;
}

static gboolean
add_interfaces (GPtrArray * table, gchar ** specs, GSocketFamily family,
    GArray * out, GError ** error)
{
  guint i;

  if (specs == NULL || specs[0] == NULL)
    return TRUE;
  if (g_strv_length (specs) == 1 && g_ascii_strcasecmp (specs[0], "all") == 0) {
    for (i = 0; i < table->len; i++) {
      MctxIfEntry *e = g_ptr_array_index (table, i);

      if ((e->flags & MCTX_INTERFACE_FLAG_UP) &&
          (e->flags & MCTX_INTERFACE_FLAG_MULTICAST))
        g_array_append_val (out, e->index);
    }
    if (out->len == 0) {
      gchar *names = mctx_if_table_names (table);

      mctx_set_error (error, "interfaces", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "interfaces 'all': no interface is up and multicast-capable "
          "(have: %s)", names);
      g_free (names);
      return FALSE;
    }
    return TRUE;
  }
  for (i = 0; specs[i] != NULL; i++) {
    MctxIfEntry *e;

    if (specs[i][0] == '\0' || g_ascii_strcasecmp (specs[i], "all") == 0) {
      gchar *text = g_strjoinv (",", specs);

      mctx_set_error (error, "interfaces", MCTX_ERROR_INVALID_VALUE,
          specs[i][0] == '\0' ? "interfaces '%s' has an empty entry" :
          "interfaces '%s': 'all' cannot be combined with other entries",
          text);
      g_free (text);
      return FALSE;
    }
    e = mctx_if_table_resolve (table, specs[i], family, "interface", error);
    if (e == NULL) {
      mctx_error_set_setting (error, "interfaces");
      return FALSE;
    }
    if (has_index (out, e->index)) {
      mctx_set_error (error, "interfaces", MCTX_ERROR_INVALID_VALUE,
          "interfaces names %s twice ('%s')", e->name, specs[i]);
      return FALSE;
    }
    g_array_append_val (out, e->index);
  }
  return TRUE;
}

static gboolean
sub_plan (MctxSubscription * self, SubPlan * plan, GError ** error)
{
  GPtrArray *table = NULL;
  GArray *excl = NULL;
  gboolean ok = FALSE;
  gint limit;

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
  if (!parse_filter (self->sources, "sources", plan->group.family,
          &plan->filter, error))
    goto out;
  if (!parse_filter (self->exclude_sources, "exclude-sources",
          plan->group.family, &excl, error))
    goto out;
  if (plan->filter != NULL && excl != NULL) {
    mctx_set_error (error, "exclude-sources", MCTX_ERROR_INCLUDE_AND_EXCLUDE,
        "sources and exclude-sources cannot both be set "
        "(sources '%s', exclude-sources '%s')", self->sources[0],
        self->exclude_sources[0]);
    goto out;
  }
  if (mctx_address_is_ssm (&plan->group) && plan->filter == NULL) {
    mctx_set_error (error, "sources", MCTX_ERROR_SSM_NEEDS_SOURCES,
        "group '%s' is in the source-specific range (%s): set sources",
        self->group, plan->group.family == G_SOCKET_FAMILY_IPV4 ?
        "232.0.0.0/8" : "ff3x::/32");
    goto out;
  }
  if (excl != NULL) {
    plan->filter = excl;
    plan->exclude = TRUE;
    excl = NULL;
  }
  limit = plan->group.family == G_SOCKET_FAMILY_IPV4 ?
      read_sysctl_int ("/proc/sys/net/ipv4/igmp_max_msf", 10) :
      read_sysctl_int ("/proc/sys/net/ipv6/mld_max_msf", 64);
  if (plan->filter != NULL && limit > 0 && plan->filter->len > (guint) limit) {
    mctx_set_error (error,
        plan->exclude ? "exclude-sources" : "sources",
        MCTX_ERROR_TOO_MANY_SOURCES,
        "%s lists %u sources but the kernel allows %d per group "
        "(net.%s)", plan->exclude ? "exclude-sources" : "sources",
        plan->filter->len, limit,
        plan->group.family == G_SOCKET_FAMILY_IPV4 ? "ipv4.igmp_max_msf" :
        "ipv6.mld_max_msf");
    goto out;
  }

  table = mctx_if_table_load (error);
  if (table == NULL)
    goto out;
  plan->ifindexes = g_array_new (FALSE, FALSE, sizeof (guint));
  if (!add_interfaces (table, self->interfaces, plan->group.family,
          plan->ifindexes, error))
    goto out;
  if (self->interface_index != 0) {
    MctxIfEntry *e = mctx_if_table_by_index (table, self->interface_index);

    if (e == NULL) {
      gchar *names = mctx_if_table_names (table);

      mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "interface-index %u not found (have: %s)", self->interface_index,
          names);
      g_free (names);
      goto out;
    }
    if (plan->ifindexes->len > 0 && !has_index (plan->ifindexes, e->index)) {
      mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_MISMATCH,
          "interface-index %u (%s) is not among interfaces '%s'",
          self->interface_index, e->name, self->interfaces[0]);
      goto out;
    }
    if (plan->ifindexes->len == 0)
      g_array_append_val (plan->ifindexes, e->index);
  }
  if (plan->group.scope_id != 0) {
    if (plan->ifindexes->len > 0 &&
        (plan->ifindexes->len > 1 ||
            !has_index (plan->ifindexes, plan->group.scope_id))) {
      MctxIfEntry *scoped = mctx_if_table_by_index (table,
          plan->group.scope_id);
      GString *given = g_string_new (NULL);
      guint k;

      for (k = 0; k < plan->ifindexes->len; k++) {
        MctxIfEntry *e = mctx_if_table_by_index (table,
            g_array_index (plan->ifindexes, guint, k));

        g_string_append_printf (given, "%s%s", k ? "," : "",
            e ? e->name : "?");
      }
      mctx_set_error (error, "interfaces", MCTX_ERROR_INTERFACE_MISMATCH,
          "group '%s' is scoped to %s but interfaces is '%s'", self->group,
          scoped ? scoped->name : "an unknown interface", given->str);
      g_string_free (given, TRUE);
      goto out;
    }
    if (mctx_if_table_by_index (table, plan->group.scope_id) == NULL) {
      mctx_set_error (error, "group", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "group '%s': scope interface %u not found", self->group,
          plan->group.scope_id);
      goto out;
    }
    if (plan->ifindexes->len == 0)
      g_array_append_val (plan->ifindexes, plan->group.scope_id);
  }
  if (plan->ifindexes->len == 0) {
    guint oif;

    if (mctx_address_needs_interface (&plan->group)) {
      mctx_set_error (error, "interfaces", MCTX_ERROR_SCOPE_REQUIRED,
          "group '%s' is interface- or link-local: set interfaces, "
          "interface-index or a %%scope", self->group);
      goto out;
    }
    oif = mctx_netlink_route_oif (&plan->group, NULL);
    if (oif == 0 || mctx_if_table_by_index (table, oif) == NULL) {
      gchar *names = mctx_if_table_names (table);

      mctx_set_error (error, "interfaces", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "no route for group '%s': set interfaces (have: %s)", self->group,
          names);
      g_free (names);
      goto out;
    }
    g_array_append_val (plan->ifindexes, oif);
  }
  ok = TRUE;

out:
  if (excl)
    g_array_unref (excl);
  if (table)
    g_ptr_array_unref (table);
  if (!ok)
    sub_plan_clear (plan);
  return ok;
}

static void
fill_group_req (struct group_req *gr, const MctxAddress * group, guint index)
{
  MctxAddress g = *group;

  memset (gr, 0, sizeof (*gr));
  gr->gr_interface = index;
  g.scope_id = 0;
  mctx_address_to_sockaddr (&g, 0, &gr->gr_group);
}

static void
fill_group_source_req (struct group_source_req *gsr,
    const MctxAddress * group, const MctxAddress * source, guint index)
{
  MctxAddress g = *group, s = *source;

  memset (gsr, 0, sizeof (*gsr));
  gsr->gsr_interface = index;
  g.scope_id = 0;
  s.scope_id = 0;
  mctx_address_to_sockaddr (&g, 0, &gsr->gsr_group);
  mctx_address_to_sockaddr (&s, 0, &gsr->gsr_source);
}

static int
sol_for (const MctxAddress * group)
{
  return group->family == G_SOCKET_FAMILY_IPV4 ? IPPROTO_IP : IPPROTO_IPV6;
}

static void
join_error (MctxSubscription * self, int errsv, const gchar * op,
    guint index, const MctxAddress * source, GError ** error)
{
  gchar ifname[IF_NAMESIZE] = "";
  gchar *src = source ? mctx_address_to_string (source) : NULL;
  gboolean v4 = self->group_addr.family == G_SOCKET_FAMILY_IPV4;

  if_indextoname (index, ifname);
  if (errsv == ENOBUFS && source == NULL) {
    mctx_set_error (error, "interfaces", MCTX_ERROR_TOO_MANY_MEMBERSHIPS,
        "cannot join group '%s' on %s: too many memberships on one socket "
        "(%u interfaces asked for; the limit is %s = %d)", self->group,
        ifname, self->ifindexes ? self->ifindexes->len : 1,
        v4 ? "net.ipv4.igmp_max_memberships" : "net.core.optmem_max",
        read_sysctl_int (v4 ? "/proc/sys/net/ipv4/igmp_max_memberships" :
            "/proc/sys/net/core/optmem_max", -1));
  } else if (errsv == ENOBUFS) {
    mctx_set_error (error,
        self->exclude ? "exclude-sources" : "sources",
        MCTX_ERROR_TOO_MANY_SOURCES,
        "cannot add source '%s' for group '%s' on %s: too many sources "
        "(%s)", src, self->group, ifname, v4 ? "net.ipv4.igmp_max_msf" :
        "net.ipv6.mld_max_msf");
  } else if (errsv == ENODEV) {
    mctx_set_error (error, "interfaces", MCTX_ERROR_INTERFACE_NOT_FOUND,
        "cannot join group '%s': interface %u is gone", self->group, index);
  } else {
    mctx_set_errno_error (error, errsv, "%s group '%s'%s%s on %s (index %u)",
        op, self->group, src ? " source " : "", src ? src : "",
        ifname[0] ? ifname : "?", index);
  }
  g_free (src);
}

/* Leaves on one interface; errors are ignored: the interface may be gone. */
static void
leave_one (MctxSubscription * self, guint index)
{
  int sol = sol_for (&self->group_addr);
  guint i;

  if (self->filter != NULL && !self->exclude) {
    for (i = 0; i < self->filter->len; i++) {
      struct group_source_req gsr;

      fill_group_source_req (&gsr, &self->group_addr,
          &g_array_index (self->filter, MctxAddress, i), index);
      (void) setsockopt (self->fd, sol, MCAST_LEAVE_SOURCE_GROUP, &gsr,
          sizeof (gsr));
    }
  } else {
    struct group_req gr;

    fill_group_req (&gr, &self->group_addr, index);
    (void) setsockopt (self->fd, sol, MCAST_LEAVE_GROUP, &gr, sizeof (gr));
  }
}

static gboolean
join_one (MctxSubscription * self, guint index, GError ** error)
{
  int sol = sol_for (&self->group_addr);
  guint i;

  if (self->filter != NULL && !self->exclude) {
    for (i = 0; i < self->filter->len; i++) {
      struct group_source_req gsr;
      const MctxAddress *src = &g_array_index (self->filter, MctxAddress, i);

      fill_group_source_req (&gsr, &self->group_addr, src, index);
      if (setsockopt (self->fd, sol, MCAST_JOIN_SOURCE_GROUP, &gsr,
              sizeof (gsr)) < 0) {
        int errsv = errno;

        /* the first source creates the membership: ENOBUFS there means
         * too many groups, later it means too many sources */
        join_error (self, errsv, "join", index, i == 0 && errsv == ENOBUFS ?
            NULL : src, error);
        leave_one (self, index);
        return FALSE;
      }
    }
    return TRUE;
  }

  {
    struct group_req gr;

    fill_group_req (&gr, &self->group_addr, index);
    if (setsockopt (self->fd, sol, MCAST_JOIN_GROUP, &gr, sizeof (gr)) < 0) {
      join_error (self, errno, "join", index, NULL, error);
      return FALSE;
    }
  }
  for (i = 0; self->exclude && i < self->filter->len; i++) {
    struct group_source_req gsr;
    const MctxAddress *src = &g_array_index (self->filter, MctxAddress, i);

    fill_group_source_req (&gsr, &self->group_addr, src, index);
    if (setsockopt (self->fd, sol, MCAST_BLOCK_SOURCE, &gsr,
            sizeof (gsr)) < 0) {
      join_error (self, errno, "block source for", index, src, error);
      leave_one (self, index);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
join_all (MctxSubscription * self, GError ** error)
{
  guint i, j;

  for (i = 0; i < self->ifindexes->len; i++) {
    guint index = g_array_index (self->ifindexes, guint, i);

    /* 0: an interface that is gone, rejoined when it comes back */
    if (index != 0 && !join_one (self, index, error)) {
      for (j = 0; j < i; j++)
        if (g_array_index (self->ifindexes, guint, j) != 0)
          leave_one (self, g_array_index (self->ifindexes, guint, j));
      return FALSE;
    }
  }
  self->joined = TRUE;
  return TRUE;
}

/* Interfaces come and go (a USB NIC replugged, a VPN or veth recreated):
 * the kernel drops memberships with the device, and a new device of the
 * same name gets a new index. Following link events by name lets a
 * long-running receiver carry on by itself. */

static void
emit_change (MctxSubscription * self, const gchar * name, guint index,
    gboolean joined)
{
  STAT_ADD (self->interface_changes, 1);
  g_signal_emit (self, signals[SIGNAL_INTERFACE_CHANGED], 0, name, index,
      joined);
}

static void
on_link_event (const gchar * name, guint index, guint flags,
    gboolean deleted, gpointer user_data)
{
  MctxSubscription *self = user_data;
  gboolean known = FALSE;
  guint i;

  for (i = 0; i < self->ifindexes->len; i++) {
    guint *cur = &g_array_index (self->ifindexes, guint, i);
    const gchar *want = g_ptr_array_index (self->if_names, i);

    if (deleted && *cur == index) {
      /* clears the socket's stale membership entry for the old index */
      if (self->joined)
        leave_one (self, index);
      *cur = 0;
      emit_change (self, want, index, FALSE);
      return;
    }
    if (strcmp (want, name) != 0)
      continue;
    known = TRUE;
    if (!deleted && *cur == 0) {
      GError *err = NULL;

      /* may fail while the new device is still being set up: the next
       * event for it (e.g. going up) tries again */
      if (self->joined && !join_one (self, index, &err)) {
        g_debug ("rejoin on %s (index %u) failed: %s", name, index,
            err->message);
        g_error_free (err);
        return;
      }
      *cur = index;
      emit_change (self, name, index, TRUE);
      return;
    }
  }
  if (!known && !deleted && self->all_mode && (flags & IFF_UP) &&
      (flags & IFF_MULTICAST)) {
    if (self->joined && !join_one (self, index, NULL))
      return;
    g_array_append_val (self->ifindexes, index);
    g_ptr_array_add (self->if_names, g_strdup (name));
    emit_change (self, name, index, TRUE);
  }
}

/* After lost events: compare every entry with the kernel's view. */
static void
rescan_interfaces (MctxSubscription * self)
{
  guint i;

  for (i = 0; i < self->ifindexes->len; i++) {
    guint cur = g_array_index (self->ifindexes, guint, i);
    const gchar *want = g_ptr_array_index (self->if_names, i);
    gchar name[IF_NAMESIZE];
    guint now = if_nametoindex (want);

    if (cur != 0 && (if_indextoname (cur, name) == NULL ||
            strcmp (name, want) != 0))
      on_link_event (want, cur, 0, TRUE, self);
    if (now != 0 && g_array_index (self->ifindexes, guint, i) == 0)
      on_link_event (want, now, IFF_UP, FALSE, self);
  }
}

static void
start_following (MctxSubscription * self)
{
  guint i;

  self->if_names = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < self->ifindexes->len; i++) {
    gchar name[IF_NAMESIZE] = "";

    if_indextoname (g_array_index (self->ifindexes, guint, i), name);
    g_ptr_array_add (self->if_names, g_strdup (name));
  }
  self->all_mode = self->interfaces != NULL && self->interfaces[0] != NULL &&
      g_ascii_strcasecmp (self->interfaces[0], "all") == 0;
  self->mon_fd = -1;
  if (self->follow_interfaces) {
    GError *err = NULL;

    self->mon_fd = mctx_netlink_link_monitor_open (&err);
    if (self->mon_fd < 0) {
      g_debug ("not following interfaces: %s", err->message);
      g_error_free (err);
    }
  }
}

/**
 * mctx_subscription_get_monitor_fd:
 * @self: a subscription
 *
 * The rtnetlink socket that reports interface changes while open (see
 * #MctxSubscription:follow-interfaces). Callers running their own event
 * loop watch it for input and call
 * mctx_subscription_process_interface_events();
 * mctx_subscription_wait_readable() does both by itself.
 *
 * Returns: the file descriptor, or -1
 */
gint
mctx_subscription_get_monitor_fd (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), -1);
  return self->fd >= 0 ? self->mon_fd : -1;
}

/**
 * mctx_subscription_process_interface_events:
 * @self: a subscription
 *
 * Handles pending interface events without blocking: leaves interfaces
 * that were deleted and rejoins interfaces of the same name when they come
 * back, emitting #MctxSubscription::interface-changed for each.
 */
void
mctx_subscription_process_interface_events (MctxSubscription * self)
{
  g_return_if_fail (MCTX_IS_SUBSCRIPTION (self));
  if (self->fd < 0 || self->mon_fd < 0)
    return;
  if (!mctx_netlink_link_monitor_read (self->mon_fd, on_link_event, self))
    rescan_interfaces (self);
}

/**
 * mctx_subscription_new:
 * @group: the multicast group (IPv4 or IPv6)
 * @port: the UDP port
 *
 * Creates a closed subscription.
 *
 * Returns: (transfer full): a new subscription
 */
MctxSubscription *
mctx_subscription_new (const gchar * group, guint port)
{
  return g_object_new (MCTX_TYPE_SUBSCRIPTION, "group", group, "port", port,
      NULL);
}

/**
 * mctx_subscription_validate:
 * @self: a subscription
 * @error: return location for a #GError
 *
 * Checks the configuration against the host's interfaces without opening.
 *
 * Returns: %TRUE when the configuration can be opened
 */
gboolean
mctx_subscription_validate (MctxSubscription * self, GError ** error)
{
  SubPlan plan;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!sub_plan (self, &plan, error))
    return FALSE;
  sub_plan_clear (&plan);
  return TRUE;
}

static gboolean
setopt_int (int fd, int level, int opt, int v, const gchar * name,
    GError ** error)
{
  if (setsockopt (fd, level, opt, &v, sizeof (v)) < 0) {
    mctx_set_errno_error (error, errno, "%s", name);
    return FALSE;
  }
  return TRUE;
}

/**
 * mctx_subscription_open:
 * @self: a subscription
 * @error: return location for a #GError
 *
 * Validates the configuration, creates and binds the socket and joins the
 * group on every chosen interface. On failure nothing stays open or
 * joined.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_subscription_open (MctxSubscription * self, GError ** error)
{
  SubPlan plan;
  struct sockaddr_storage ss;
  socklen_t sslen;
  MctxAddress bind_addr;
  gboolean v4;
  int fd;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (self->fd >= 0) {
    mctx_set_error (error, NULL, MCTX_ERROR_ALREADY_OPEN,
        "subscription to '%s' port %u is already open", self->group,
        self->port);
    return FALSE;
  }
  if (!sub_plan (self, &plan, error))
    return FALSE;
  v4 = plan.group.family == G_SOCKET_FAMILY_IPV4;

  fd = socket (v4 ? AF_INET : AF_INET6,
      SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0) {
    mctx_set_errno_error (error, errno, "socket");
    sub_plan_clear (&plan);
    return FALSE;
  }
  if (!setopt_int (fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR", error))
    goto fail;
  if (v4) {
    if (!setopt_int (fd, IPPROTO_IP, IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL",
            error) ||
        !setopt_int (fd, IPPROTO_IP, IP_PKTINFO, 1, "IP_PKTINFO", error))
      goto fail;
  } else {
    if (!setopt_int (fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY", error) ||
        !setopt_int (fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1,
            "IPV6_RECVPKTINFO", error))
      goto fail;
    /* Linux >= 4.20; older kernels keep the leak that the pktinfo check
     * below closes */
    (void) setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, &(int) {
        0}, sizeof (int));
  }
  /* kernel timestamps cost a little per datagram (and switch on
   * timestamping host-wide): only when asked for */
  if ((self->timestamps && !setopt_int (fd, SOL_SOCKET, SO_TIMESTAMPNS, 1,
              "SO_TIMESTAMPNS", error))
      || !setopt_int (fd, SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL", error))
    goto fail;
  self->gro_active = FALSE;
  if (self->gro) {
    /* Linux >= 5.0; without it datagrams simply arrive one by one */
    if (setsockopt (fd, SOL_UDP, UDP_GRO, &(int) {
            1}, sizeof (int)) == 0) {
      self->gro_active = TRUE;
      if (self->gro_buf == NULL) {
        self->gro_buf = g_malloc ((gsize) GRO_SLOTS * GRO_BUF_SIZE);
        self->gro_control = g_malloc0 ((gsize) GRO_SLOTS * CONTROL_SIZE);
      }
    }
  }
  self->pending_count = 0;
  self->pending_first = 0;
  self->actual_receive_buffer_size = mctx_socket_set_buffer (fd, FALSE,
      self->receive_buffer_size, error);
  if (self->actual_receive_buffer_size < 0)
    goto fail;

  /* Binding the group keeps unicast and other groups out in the kernel;
   * link-scope IPv6 groups would tie the socket to one device, so those
   * bind ANY and rely on the per-datagram check. */
  bind_addr = plan.group;
  bind_addr.scope_id = 0;
  if (mctx_address_needs_interface (&plan.group)) {
    memset (&bind_addr, 0, sizeof (bind_addr));
    bind_addr.family = G_SOCKET_FAMILY_IPV6;
  }
  sslen = mctx_address_to_sockaddr (&bind_addr, self->port, &ss);
  if (bind (fd, (struct sockaddr *) &ss, sslen) < 0) {
    mctx_set_errno_error (error, errno, "cannot bind group '%s' port %u",
        self->group, self->port);
    goto fail;
  }

  self->fd = fd;
  self->group_addr = plan.group;
  self->ifindexes = plan.ifindexes;
  self->filter = plan.filter;
  self->exclude = plan.exclude;
  plan.ifindexes = NULL;
  plan.filter = NULL;
  self->last_ovfl = 0;
  if (!join_all (self, error)) {
    g_clear_pointer (&self->ifindexes, g_array_unref);
    g_clear_pointer (&self->filter, g_array_unref);
    self->fd = -1;
    goto fail;
  }
  start_following (self);
  g_object_notify_by_pspec (G_OBJECT (self),
      properties[PROP_ACTUAL_RECEIVE_BUFFER_SIZE]);
  return TRUE;

fail:
  sub_plan_clear (&plan);
  close (fd);
  return FALSE;
}

/* Drops the kernel counted that no received datagram has reported yet:
 * SO_RXQ_OVFL rides on the next datagram, so drops at the end of a burst
 * would otherwise never show. SO_MEMINFO reads the same counter now. */
static guint32
unreported_drops (MctxSubscription * self)
{
  guint32 mem[SK_MEMINFO_VARS];
  socklen_t len = sizeof (mem);
  int fd = self->fd;

  if (fd < 0 || getsockopt (fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
      len < (SK_MEMINFO_DROPS + 1) * sizeof (guint32))
    return 0;
  return mem[SK_MEMINFO_DROPS] - self->last_ovfl;
}

/**
 * mctx_subscription_close:
 * @self: a subscription
 *
 * Leaves the group and closes the socket. Statistics are kept.
 */
void
mctx_subscription_close (MctxSubscription * self)
{
  g_return_if_fail (MCTX_IS_SUBSCRIPTION (self));
  if (self->fd < 0)
    return;
  /* keep the drops no datagram reported */
  STAT_ADD (self->kernel_drops, unreported_drops (self));
  close (self->fd);
  self->fd = -1;
  self->joined = FALSE;
  self->last_ovfl = 0;
  g_clear_pointer (&self->ifindexes, g_array_unref);
  g_clear_pointer (&self->filter, g_array_unref);
  g_clear_pointer (&self->if_names, g_ptr_array_unref);
  if (self->mon_fd >= 0) {
    close (self->mon_fd);
    self->mon_fd = -1;
  }
  mctx_poll_cache_clear (&self->poll_cache);
  self->pending_count = 0;
}

/**
 * mctx_subscription_is_open:
 * @self: a subscription
 *
 * Returns: whether the subscription is open
 */
gboolean
mctx_subscription_is_open (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  return self->fd >= 0;
}

static gboolean
check_open (MctxSubscription * self, GError ** error)
{
  if (G_LIKELY (self->fd >= 0))
    return TRUE;
  mctx_set_error (error, NULL, MCTX_ERROR_NOT_OPEN,
      "subscription to '%s' port %u is not open", self->group ?
      self->group : "(unset)", self->port);
  return FALSE;
}

/**
 * mctx_subscription_join:
 * @self: an open subscription
 * @error: return location for a #GError
 *
 * Joins again after mctx_subscription_leave(). Joining when joined does
 * nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_subscription_join (MctxSubscription * self, GError ** error)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  if (self->joined)
    return TRUE;
  return join_all (self, error);
}

/**
 * mctx_subscription_leave:
 * @self: an open subscription
 * @error: return location for a #GError
 *
 * Leaves the group on every interface; the socket stays open (datagrams
 * already queued can still be read) and mctx_subscription_join() rejoins.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_subscription_leave (MctxSubscription * self, GError ** error)
{
  guint i;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  if (!self->joined)
    return TRUE;
  for (i = 0; i < self->ifindexes->len; i++)
    if (g_array_index (self->ifindexes, guint, i) != 0)
      leave_one (self, g_array_index (self->ifindexes, guint, i));
  self->joined = FALSE;
  return TRUE;
}

/**
 * mctx_subscription_is_joined:
 * @self: a subscription
 *
 * Returns: whether the group is joined
 */
gboolean
mctx_subscription_is_joined (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  return self->joined;
}

static MctxIfEntry *
resolve_one (MctxSubscription * self, GPtrArray * table, const gchar * spec,
    GError ** error)
{
  return mctx_if_table_resolve (table, spec, self->group_addr.family,
      "interface", error);
}

/**
 * mctx_subscription_add_interface:
 * @self: an open subscription
 * @spec: an interface name or address
 * @error: return location for a #GError
 *
 * Starts receiving on one more interface (joining it when joined). Lasts
 * until close; the #MctxSubscription:interfaces property is not changed.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_subscription_add_interface (MctxSubscription * self, const gchar * spec,
    GError ** error)
{
  GPtrArray *table;
  MctxIfEntry *e;
  gboolean ok = FALSE;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  table = mctx_if_table_load (error);
  if (table == NULL)
    return FALSE;
  e = resolve_one (self, table, spec, error);
  if (e == NULL)
    goto out;
  if (has_index (self->ifindexes, e->index)) {
    mctx_set_error (error, NULL, MCTX_ERROR_INVALID_VALUE,
        "interface '%s' is already joined", spec);
    goto out;
  }
  if (self->joined && !join_one (self, e->index, error))
    goto out;
  g_array_append_val (self->ifindexes, e->index);
  g_ptr_array_add (self->if_names, g_strdup (e->name));
  ok = TRUE;
out:
  g_ptr_array_unref (table);
  return ok;
}

/**
 * mctx_subscription_remove_interface:
 * @self: an open subscription
 * @spec: an interface name or address
 * @error: return location for a #GError
 *
 * Stops receiving on an interface.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_subscription_remove_interface (MctxSubscription * self,
    const gchar * spec, GError ** error)
{
  GPtrArray *table;
  MctxIfEntry *e;
  gboolean ok = FALSE;
  guint i;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  table = mctx_if_table_load (error);
  if (table == NULL)
    return FALSE;
  e = resolve_one (self, table, spec, error);
  if (e == NULL)
    goto out;
  for (i = 0; i < self->ifindexes->len; i++) {
    if (g_array_index (self->ifindexes, guint, i) == e->index) {
      if (self->joined)
        leave_one (self, e->index);
      g_array_remove_index (self->ifindexes, i);
      g_ptr_array_remove_index (self->if_names, i);
      ok = TRUE;
      goto out;
    }
  }
  mctx_set_error (error, NULL, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "interface '%s' is not joined", spec);
out:
  g_ptr_array_unref (table);
  return ok;
}

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

/* Reads the control messages of one datagram into @info; returns whether
 * the datagram is one the caller asked for. Runs per datagram: no
 * allocation, no system call. */
static gboolean
parse_and_accept (MctxSubscription * self, struct msghdr *msg, gsize len,
    gsize buffer_size, MctxPacketInfo * info, gsize * gro_segment)
{
  struct cmsghdr *c;
  guint i;
  gboolean dest_seen = FALSE;
  gsize alen = self->group_addr.family == G_SOCKET_FAMILY_IPV4 ? 4 : 16;

  *gro_segment = 0;
  info->interface_index = 0;
  info->timestamp_ns = 0;
  memset (&info->destination, 0, sizeof (info->destination));
  for (c = CMSG_FIRSTHDR (msg); c != NULL; c = CMSG_NXTHDR (msg, c)) {
    if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo pi;

      memcpy (&pi, CMSG_DATA (c), sizeof (pi));
      info->destination.family = G_SOCKET_FAMILY_IPV4;
      memcpy (info->destination.bytes, &pi.ipi_addr, 4);
      info->interface_index = pi.ipi_ifindex;
      dest_seen = TRUE;
    } else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo pi;

      memcpy (&pi, CMSG_DATA (c), sizeof (pi));
      info->destination.family = G_SOCKET_FAMILY_IPV6;
      memcpy (info->destination.bytes, &pi.ipi6_addr, 16);
      info->interface_index = pi.ipi6_ifindex;
      dest_seen = TRUE;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
      struct timespec ts;

      memcpy (&ts, CMSG_DATA (c), sizeof (ts));
      info->timestamp_ns = (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000)
          + ts.tv_nsec;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
      guint32 drops;

      memcpy (&drops, CMSG_DATA (c), sizeof (drops));
      if (drops != self->last_ovfl) {
        /* the kernel's counter is 32 bits and wraps; ours does not */
        STAT_ADD (self->kernel_drops, (guint32) (drops - self->last_ovfl));
        self->last_ovfl = drops;
      }
    } else if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO) {
      int seg;

      memcpy (&seg, CMSG_DATA (c), sizeof (seg));
      if (seg > 0 && (gsize) seg < len)
        *gro_segment = seg;
    }
  }
  mctx_address_from_sockaddr (msg->msg_name, &info->source,
      &info->source_port);
  info->source.scope_id = 0;
  info->wire_size = len;
  info->truncated = len > buffer_size || (msg->msg_flags & MSG_TRUNC);
  info->size = MIN (len, buffer_size);

  if (!dest_seen ||
      memcmp (info->destination.bytes, self->group_addr.bytes, alen) != 0 ||
      !has_index (self->ifindexes, info->interface_index))
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
  STAT_ADD (self->filtered, *gro_segment ?
      (len + *gro_segment - 1) / *gro_segment : 1);
  return FALSE;
}

static inline void
count_delivered (MctxSubscription * self, const MctxPacketInfo * info)
{
  STAT_ADD (self->packets_received, 1);
  STAT_ADD (self->bytes_received, info->wire_size);
  if (info->truncated)
    STAT_ADD (self->truncated, 1);
}

/* Moves waiting GRO segments into the caller's slots; returns how many. */
static guint
take_pending (MctxSubscription * self, MctxMessage * messages, guint n)
{
  guint filled = 0;

  while (filled < n && self->pending_count > 0) {
    typeof (self->pending[0]) * p = &self->pending[self->pending_first];
    MctxMessage *m = &messages[filled];
    gsize seg = MIN (p->segment, p->left);

    m->info = p->info;
    m->info.wire_size = seg;
    m->info.truncated = seg > m->buffer_size;
    m->info.size = MIN (seg, m->buffer_size);
    memcpy (m->buffer, p->data, m->info.size);
    count_delivered (self, &m->info);
    p->data += seg;
    p->left -= seg;
    filled++;
    if (p->left == 0) {
      self->pending_first = (self->pending_first + 1) % GRO_SLOTS;
      self->pending_count--;
    }
  }
  return filled;
}

static gint
receive_gro (MctxSubscription * self, MctxMessage * messages, guint n,
    GError ** error)
{
  guint filled, i;
  int r;

  filled = take_pending (self, messages, n);
  if (filled == n || self->pending_count > 0)
    return filled;
  for (i = 0; i < GRO_SLOTS; i++) {
    struct msghdr *h = &self->gro_mmsg[i].msg_hdr;

    self->gro_iov[i].iov_base = self->gro_buf + (gsize) i * GRO_BUF_SIZE;
    self->gro_iov[i].iov_len = GRO_BUF_SIZE;
    h->msg_name = &self->gro_names[i];
    h->msg_namelen = sizeof (struct sockaddr_storage);
    h->msg_iov = &self->gro_iov[i];
    h->msg_iovlen = 1;
    h->msg_control = self->gro_control + (gsize) i * CONTROL_SIZE;
    h->msg_controllen = CONTROL_SIZE;
    h->msg_flags = 0;
  }
  do {
    r = recvmmsg (self->fd, self->gro_mmsg, GRO_SLOTS, 0, NULL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    if (filled > 0)
      return filled;
    recv_error (self, errno, error);
    return -1;
  }
  self->pending_first = 0;
  self->pending_count = 0;
  for (i = 0; i < (guint) r; i++) {
    typeof (self->pending[0]) * p = &self->pending[self->pending_count];
    gsize len = self->gro_mmsg[i].msg_len, seg;

    if (!parse_and_accept (self, &self->gro_mmsg[i].msg_hdr, len,
            GRO_BUF_SIZE, &p->info, &seg))
      continue;
    p->data = self->gro_iov[i].iov_base;
    p->left = len;
    p->segment = seg ? seg : MAX (len, 1);
    if (len == 0) {
      /* an empty datagram is still one datagram */
      p->left = 0;
      if (filled < n) {
        messages[filled].info = p->info;
        messages[filled].info.size = 0;
        messages[filled].info.wire_size = 0;
        messages[filled].info.truncated = FALSE;
        count_delivered (self, &messages[filled].info);
        filled++;
      }
      continue;
    }
    self->pending_count++;
  }
  return filled + take_pending (self, messages + filled, n - filled);
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
  guint8 control[CONTROL_SIZE] __attribute__((aligned (8)));
  struct sockaddr_storage name;
  MctxPacketInfo local_info;
  struct iovec iov;
  struct msghdr msg;
  guint rounds;
  gsize seg;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), -1);
  if (!check_open (self, error))
    return -1;
  if (info == NULL)
    info = &local_info;
  if (self->gro_active) {
    MctxMessage m = {.buffer = buffer,.buffer_size = size };
    gint got;

    for (rounds = 0; rounds < MAX_FILTERED_PER_CALL; rounds++) {
      got = receive_gro (self, &m, 1, error);
      if (got < 0)
        return -1;
      if (got == 1) {
        *info = m.info;
        return info->size;
      }
    }
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
        "only filtered datagrams waiting");
    return -1;
  }
  for (rounds = 0; rounds < MAX_FILTERED_PER_CALL; rounds++) {
    gssize r;

    iov.iov_base = buffer;
    iov.iov_len = size;
    memset (&msg, 0, sizeof (msg));
    msg.msg_name = &name;
    msg.msg_namelen = sizeof (name);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof (control);
    do {
      r = recvmsg (self->fd, &msg, MSG_TRUNC);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
      recv_error (self, errno, error);
      return -1;
    }
    if (parse_and_accept (self, &msg, r, size, info, &seg)) {
      count_delivered (self, info);
      return info->size;
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

static void
ensure_scratch (MctxSubscription * self, guint n)
{
  if (G_LIKELY (n <= self->scratch_alloc))
    return;
  self->mmsg = g_renew (struct mmsghdr, self->mmsg, n);
  self->iov = g_renew (struct iovec, self->iov, n);
  g_free (self->control);
  self->control = g_malloc0 ((gsize) n * CONTROL_SIZE);
  self->names = g_renew (struct sockaddr_storage, self->names, n);
  self->scratch_alloc = n;
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
  guint i, n, kept = 0;
  int r;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), -1);
  if (!check_open (self, error))
    return -1;
  if (n_messages == 0)
    return 0;
  if (self->gro_active)
    return receive_gro (self, messages, n_messages, error);
  n = MIN (n_messages, UIO_MAXIOV);
  ensure_scratch (self, n);
  for (i = 0; i < n; i++) {
    struct msghdr *h = &self->mmsg[i].msg_hdr;

    self->iov[i].iov_base = messages[i].buffer;
    self->iov[i].iov_len = messages[i].buffer_size;
    h->msg_name = &self->names[i];
    h->msg_namelen = sizeof (struct sockaddr_storage);
    h->msg_iov = &self->iov[i];
    h->msg_iovlen = 1;
    h->msg_control = self->control + (gsize) i * CONTROL_SIZE;
    h->msg_controllen = CONTROL_SIZE;
    h->msg_flags = 0;
    self->mmsg[i].msg_len = 0;
  }
  do {
    r = recvmmsg (self->fd, self->mmsg, n, MSG_TRUNC, NULL);
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    recv_error (self, errno, error);
    return -1;
  }
  for (i = 0; i < (guint) r; i++) {
    gsize seg;

    if (!parse_and_accept (self, &self->mmsg[i].msg_hdr,
            self->mmsg[i].msg_len, messages[i].buffer_size,
            &messages[i].info, &seg))
      continue;
    count_delivered (self, &messages[i].info);
    if (i != kept) {
      MctxMessage tmp = messages[kept];

      messages[kept] = messages[i];
      messages[i] = tmp;
    }
    kept++;
  }
  return kept;
}

/**
 * mctx_subscription_wait_readable:
 * @self: an open subscription
 * @timeout_us: how long to wait in microseconds, -1 for no limit
 * @cancellable: (nullable): cancels the wait from another thread
 * @error: return location for a #GError
 *
 * Waits until a datagram is waiting. Interface events that arrive
 * meanwhile are handled on the way (see
 * mctx_subscription_process_interface_events()).
 *
 * Returns: %TRUE when readable; %FALSE with %G_IO_ERROR_CANCELLED or
 *   %G_IO_ERROR_TIMED_OUT
 */
gboolean
mctx_subscription_wait_readable (MctxSubscription * self, gint64 timeout_us,
    GCancellable * cancellable, GError ** error)
{
  gint64 deadline = 0;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!check_open (self, error))
    return FALSE;
  if (timeout_us >= 0)
    deadline = g_get_monotonic_time () + timeout_us;
  for (;;) {
    gboolean events = FALSE;
    gint64 left = -1;

    if (timeout_us >= 0)
      left = MAX (deadline - g_get_monotonic_time (), 0);
    /* segments of a coalesced read are still waiting to be taken */
    if (self->pending_count > 0)
      return TRUE;
    if (mctx_socket_wait_full (self->fd, POLLIN, self->mon_fd, &events, left,
            cancellable, &self->poll_cache, error))
      return TRUE;
    if (!events)
      return FALSE;
    mctx_subscription_process_interface_events (self);
  }
}

/**
 * mctx_subscription_get_fd:
 * @self: a subscription
 *
 * Returns: the socket for poll or an event loop, -1 when closed
 */
gint
mctx_subscription_get_fd (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), -1);
  return self->fd;
}

/**
 * mctx_subscription_get_group:
 * @self: a subscription
 *
 * Returns: (nullable): the configured group
 */
const gchar *
mctx_subscription_get_group (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), NULL);
  return self->group;
}

/**
 * mctx_subscription_get_port:
 * @self: a subscription
 *
 * Returns: the port
 */
guint
mctx_subscription_get_port (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), 0);
  return self->port;
}

/**
 * mctx_subscription_get_interface_indexes:
 * @self: a subscription
 *
 * Returns: (transfer full) (element-type guint): the interfaces received
 *   on, while open (empty when closed)
 */
GArray *
mctx_subscription_get_interface_indexes (MctxSubscription * self)
{
  GArray *arr = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), arr);
  if (self->ifindexes)
    g_array_append_vals (arr, self->ifindexes->data, self->ifindexes->len);
  return arr;
}

/**
 * mctx_subscription_get_actual_receive_buffer_size:
 * @self: a subscription
 *
 * Returns: the receive buffer the kernel granted (in the units requested),
 *   or 0 when closed
 */
gint
mctx_subscription_get_actual_receive_buffer_size (MctxSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), 0);
  return self->fd >= 0 ? self->actual_receive_buffer_size : 0;
}

/**
 * mctx_subscription_get_stats:
 * @self: a subscription
 * @stats: (out caller-allocates): the counters
 *
 * Reads the counters; safe from any thread while the subscription stays
 * open. The kernel drop count includes drops that no datagram has reported
 * yet (read from the socket with SO_MEMINFO).
 */
void
mctx_subscription_get_stats (MctxSubscription * self,
    MctxSubscriptionStats * stats)
{
  g_return_if_fail (MCTX_IS_SUBSCRIPTION (self));
  stats->packets_received = STAT_GET (self->packets_received);
  stats->bytes_received = STAT_GET (self->bytes_received);
  stats->kernel_drops = STAT_GET (self->kernel_drops) +
      unreported_drops (self);
  stats->filtered = STAT_GET (self->filtered);
  stats->truncated = STAT_GET (self->truncated);
  stats->interface_changes = STAT_GET (self->interface_changes);
}

static void
mctx_subscription_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  MctxSubscription *self = MCTX_SUBSCRIPTION (object);

  switch (prop_id) {
    case PROP_GROUP:
      g_free (self->group);
      self->group = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_INTERFACES:
      g_strfreev (self->interfaces);
      self->interfaces = g_value_dup_boxed (value);
      break;
    case PROP_INTERFACE_INDEX:
      self->interface_index = g_value_get_uint (value);
      break;
    case PROP_SOURCES:
      g_strfreev (self->sources);
      self->sources = g_value_dup_boxed (value);
      break;
    case PROP_EXCLUDE_SOURCES:
      g_strfreev (self->exclude_sources);
      self->exclude_sources = g_value_dup_boxed (value);
      break;
    case PROP_RECEIVE_BUFFER_SIZE:
      self->receive_buffer_size = g_value_get_int (value);
      break;
    case PROP_GRO:
      self->gro = g_value_get_boolean (value);
      break;
    case PROP_FOLLOW_INTERFACES:
      self->follow_interfaces = g_value_get_boolean (value);
      break;
    case PROP_TIMESTAMPS:
      self->timestamps = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
mctx_subscription_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  MctxSubscription *self = MCTX_SUBSCRIPTION (object);

  switch (prop_id) {
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_INTERFACES:
      g_value_set_boxed (value, self->interfaces);
      break;
    case PROP_INTERFACE_INDEX:
      g_value_set_uint (value, self->interface_index);
      break;
    case PROP_SOURCES:
      g_value_set_boxed (value, self->sources);
      break;
    case PROP_EXCLUDE_SOURCES:
      g_value_set_boxed (value, self->exclude_sources);
      break;
    case PROP_RECEIVE_BUFFER_SIZE:
      g_value_set_int (value, self->receive_buffer_size);
      break;
    case PROP_ACTUAL_RECEIVE_BUFFER_SIZE:
      g_value_set_int (value,
          mctx_subscription_get_actual_receive_buffer_size (self));
      break;
    case PROP_FD:
      g_value_set_int (value, self->fd);
      break;
    case PROP_GRO:
      g_value_set_boolean (value, self->gro);
      break;
    case PROP_FOLLOW_INTERFACES:
      g_value_set_boolean (value, self->follow_interfaces);
      break;
    case PROP_TIMESTAMPS:
      g_value_set_boolean (value, self->timestamps);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
mctx_subscription_finalize (GObject * object)
{
  MctxSubscription *self = MCTX_SUBSCRIPTION (object);

  mctx_subscription_close (self);
  g_free (self->group);
  g_strfreev (self->interfaces);
  g_strfreev (self->sources);
  g_strfreev (self->exclude_sources);
  g_free (self->mmsg);
  g_free (self->iov);
  g_free (self->control);
  g_free (self->names);
  g_free (self->gro_buf);
  g_free (self->gro_control);
  G_OBJECT_CLASS (mctx_subscription_parent_class)->finalize (object);
}

static void
mctx_subscription_class_init (MctxSubscriptionClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->set_property = mctx_subscription_set_property;
  gobject_class->get_property = mctx_subscription_get_property;
  gobject_class->finalize = mctx_subscription_finalize;

  /**
   * MctxSubscription:group:
   *
   * The multicast group to receive, IPv4 or IPv6.
   */
  properties[PROP_GROUP] = g_param_spec_string ("group", "Group",
      "Multicast group to receive (IPv4 or IPv6)", NULL, rw);
  /**
   * MctxSubscription:port:
   *
   * The UDP port to receive on (0 is refused at open).
   */
  properties[PROP_PORT] = g_param_spec_uint ("port", "Port",
      "UDP port to receive on", 0, 65535, DEFAULT_PORT, rw);
  /**
   * MctxSubscription:interfaces:
   *
   * Interfaces to receive on, by name or address; the single entry "all"
   * means every interface that is up and multicast-capable; none means
   * the interface the routing table picks for the group.
   */
  properties[PROP_INTERFACES] = g_param_spec_boxed ("interfaces",
      "Interfaces",
      "Interfaces to join on (names or addresses, or \"all\"; none: the "
      "routing table's choice)", G_TYPE_STRV, rw);
  /**
   * MctxSubscription:interface-index:
   *
   * An interface to receive on, by index, 0 for none.
   */
  properties[PROP_INTERFACE_INDEX] = g_param_spec_uint ("interface-index",
      "Interface index", "Interface to join on, by index (0: not set)", 0,
      G_MAXUINT, 0, rw);
  /**
   * MctxSubscription:sources:
   *
   * Source-specific multicast: receive only from these sources.
   */
  properties[PROP_SOURCES] = g_param_spec_boxed ("sources", "Sources",
      "Receive only from these source addresses (source-specific multicast)",
      G_TYPE_STRV, rw);
  /**
   * MctxSubscription:exclude-sources:
   *
   * Any-source multicast with these sources blocked by the kernel.
   */
  properties[PROP_EXCLUDE_SOURCES] = g_param_spec_boxed ("exclude-sources",
      "Exclude sources", "Receive from any source except these",
      G_TYPE_STRV, rw);
  /**
   * MctxSubscription:receive-buffer-size:
   *
   * Requested socket receive buffer in bytes, 0 for the kernel default.
   * Above net.core.rmem_max it needs CAP_NET_ADMIN; see
   * #MctxSubscription:actual-receive-buffer-size for what was granted.
   */
  properties[PROP_RECEIVE_BUFFER_SIZE] =
      g_param_spec_int ("receive-buffer-size", "Receive buffer size",
      "Socket receive buffer in bytes (0: kernel default)", 0, G_MAXINT, 0,
      rw);
  /**
   * MctxSubscription:actual-receive-buffer-size:
   *
   * The receive buffer the kernel granted, while open.
   */
  properties[PROP_ACTUAL_RECEIVE_BUFFER_SIZE] =
      g_param_spec_int ("actual-receive-buffer-size",
      "Actual receive buffer size",
      "Receive buffer the kernel granted, while open", 0, G_MAXINT, 0, ro);
  /**
   * MctxSubscription:fd:
   *
   * The socket's file descriptor while open, else -1.
   */
  properties[PROP_FD] = g_param_spec_int ("fd", "File descriptor",
      "Socket file descriptor while open (-1: closed)", -1, G_MAXINT, -1, ro);

  /**
   * MctxSubscription:gro:
   *
   * Let the kernel coalesce datagrams of one flow (UDP GRO, Linux 5.0+):
   * fewer, larger reads, split back into datagrams before they reach the
   * caller, with one copy each. Worth it at high packet rates.
   */
  properties[PROP_GRO] = g_param_spec_boolean ("gro", "GRO",
      "Receive coalesced datagrams (UDP GRO) and split them again; fewer "
      "system calls at high rates", DEFAULT_GRO, rw);

  /**
   * MctxSubscription:follow-interfaces:
   *
   * Follow interface changes while open: when a joined interface is
   * deleted and a new one of the same name appears, join it again (and,
   * with "all", join interfaces that appear). Events are handled inside
   * mctx_subscription_wait_readable(), or by
   * mctx_subscription_process_interface_events().
   */
  properties[PROP_FOLLOW_INTERFACES] = g_param_spec_boolean
      ("follow-interfaces", "Follow interfaces",
      "Rejoin an interface that is deleted and comes back under the same "
      "name", TRUE, rw);

  /**
   * MctxSubscription:timestamps:
   *
   * Ask the kernel for each datagram's receive time
   * (#MctxPacketInfo.timestamp_ns). Takes effect at open.
   */
  properties[PROP_TIMESTAMPS] = g_param_spec_boolean ("timestamps",
      "Timestamps", "Report the kernel's receive time of each datagram",
      TRUE, rw);

  g_object_class_install_properties (gobject_class, N_PROPS, properties);

  /**
   * MctxSubscription::interface-changed:
   * @self: the subscription
   * @name: the interface name
   * @index: its index (the old one when lost, the new one when joined)
   * @joined: %TRUE when (re)joined, %FALSE when the interface went away
   *
   * Emitted from the thread that handles interface events.
   */
  signals[SIGNAL_INTERFACE_CHANGED] = g_signal_new ("interface-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
mctx_subscription_init (MctxSubscription * self)
{
  self->fd = -1;
  self->port = DEFAULT_PORT;
  self->gro = DEFAULT_GRO;
  self->follow_interfaces = TRUE;
  self->mon_fd = -1;
  self->poll_cache.fd = -1;
  self->timestamps = TRUE;
}
