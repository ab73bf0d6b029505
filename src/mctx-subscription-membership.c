/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A subscription's memberships: joining the group (with its source
 * filter) on each interface, leaving, and the interfaces added or removed
 * while open. */
#include "mctx-subscription-private.h"

#include <errno.h>

static void
join_error (MctxSubscription * self, int errsv, const gchar * op,
    guint index, const MctxAddress * source, GError ** error)
{
  gchar ifname[IF_NAMESIZE] = "";
  gchar *src = source ? mctx_address_to_string (source) : NULL;
  gboolean v4 = self->group_addr.family == G_SOCKET_FAMILY_IPV4;

  mctx_sock_if_name (index, ifname);
  if (errsv == ENOBUFS && source == NULL) {
    mctx_set_error (error, "interfaces", MCTX_ERROR_TOO_MANY_MEMBERSHIPS,
        "cannot join group '%s' on %s: too many memberships on one socket "
        "(%u interfaces asked for; the limit is %s = %d)", self->group,
        ifname, self->ifindexes ? self->ifindexes->len : 1,
        v4 ? "net.ipv4.igmp_max_memberships" : "net.core.optmem_max",
        mctx_read_sysctl_int (v4 ? "/proc/sys/net/ipv4/igmp_max_memberships"
            : "/proc/sys/net/core/optmem_max", -1));
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

static inline const MctxAddress *
filter_entry (MctxSubscription * self, guint i)
{
  return &g_array_index (self->filter, MctxAddress, i);
}

/* Leaves on one interface; errors are ignored: the interface may be gone. */
void
mctx_subscription_leave_one (MctxSubscription * self, guint index)
{
  guint i;

  if (self->filter != NULL && !self->exclude) {
    for (i = 0; i < self->filter->len; i++)
      (void) mctx_sock_membership (self->fd, MCTX_MEMBERSHIP_LEAVE_SOURCE,
          &self->group_addr, filter_entry (self, i), index);
  } else {
    (void) mctx_sock_membership (self->fd, MCTX_MEMBERSHIP_LEAVE,
        &self->group_addr, NULL, index);
  }
}

gboolean
mctx_subscription_join_one (MctxSubscription * self, guint index,
    GError ** error)
{
  guint i;
  int errsv;

  if (self->filter != NULL && !self->exclude) {
    for (i = 0; i < self->filter->len; i++) {
      const MctxAddress *src = filter_entry (self, i);

      errsv = mctx_sock_membership (self->fd, MCTX_MEMBERSHIP_JOIN_SOURCE,
          &self->group_addr, src, index);
      if (errsv != 0) {
        /* the first source creates the membership: ENOBUFS there means
         * too many groups, later it means too many sources */
        join_error (self, errsv, "join", index, i == 0 && errsv == ENOBUFS ?
            NULL : src, error);
        mctx_subscription_leave_one (self, index);
        return FALSE;
      }
    }
    return TRUE;
  }

  errsv = mctx_sock_membership (self->fd, MCTX_MEMBERSHIP_JOIN,
      &self->group_addr, NULL, index);
  if (errsv != 0) {
    join_error (self, errsv, "join", index, NULL, error);
    return FALSE;
  }
  for (i = 0; self->exclude && i < self->filter->len; i++) {
    const MctxAddress *src = filter_entry (self, i);

    errsv = mctx_sock_membership (self->fd, MCTX_MEMBERSHIP_BLOCK_SOURCE,
        &self->group_addr, src, index);
    if (errsv != 0) {
      join_error (self, errsv, "block source for", index, src, error);
      mctx_subscription_leave_one (self, index);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
mctx_subscription_join_all (MctxSubscription * self, GError ** error)
{
  guint i, j;

  for (i = 0; i < self->ifindexes->len; i++) {
    guint index = g_array_index (self->ifindexes, guint, i);

    /* 0: an interface that is gone, rejoined when it comes back */
    if (index != 0 && !mctx_subscription_join_one (self, index, error)) {
      for (j = 0; j < i; j++)
        if (g_array_index (self->ifindexes, guint, j) != 0)
          mctx_subscription_leave_one (self,
              g_array_index (self->ifindexes, guint, j));
      return FALSE;
    }
  }
  self->joined = TRUE;
  return TRUE;
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
  if (!mctx_subscription_check_call (self, error))
    return FALSE;
  if (self->joined)
    return TRUE;
  return mctx_subscription_join_all (self, error);
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

  if (!mctx_subscription_check_call (self, error))
    return FALSE;
  if (!self->joined)
    return TRUE;
  for (i = 0; i < self->ifindexes->len; i++)
    if (g_array_index (self->ifindexes, guint, i) != 0)
      mctx_subscription_leave_one (self,
          g_array_index (self->ifindexes, guint, i));
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

/* The table entry @spec names, or NULL with an error. */
static MctxIfEntry *
resolve_open (MctxSubscription * self, const gchar * spec,
    GPtrArray ** table, GError ** error)
{
  MctxIfEntry *e;

  *table = NULL;
  if (!mctx_subscription_check_open (self, error))
    return NULL;
  *table = mctx_if_table_load (error);
  if (*table == NULL)
    return NULL;
  e = mctx_if_table_resolve (*table, spec, self->group_addr.family,
      "interface", error);
  if (e == NULL)
    g_clear_pointer (table, g_ptr_array_unref);
  return e;
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
  e = resolve_open (self, spec, &table, error);
  if (e == NULL)
    return FALSE;
  if (mctx_index_array_has (self->ifindexes, e->index)) {
    mctx_set_error (error, NULL, MCTX_ERROR_INVALID_VALUE,
        "interface '%s' is already joined", spec);
  } else if (!self->joined || mctx_subscription_join_one (self, e->index,
          error)) {
    g_array_append_val (self->ifindexes, e->index);
    g_ptr_array_add (self->if_names, g_strdup (e->name));
    ok = TRUE;
  }
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
  guint i;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  e = resolve_open (self, spec, &table, error);
  if (e == NULL)
    return FALSE;
  for (i = 0; i < self->ifindexes->len; i++) {
    if (g_array_index (self->ifindexes, guint, i) == e->index) {
      if (self->joined)
        mctx_subscription_leave_one (self, e->index);
      g_array_remove_index (self->ifindexes, i);
      g_ptr_array_remove_index (self->if_names, i);
      g_ptr_array_unref (table);
      return TRUE;
    }
  }
  mctx_set_error (error, NULL, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "interface '%s' is not joined", spec);
  g_ptr_array_unref (table);
  return FALSE;
}
