/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Interfaces come and go (a USB NIC replugged, a VPN or veth recreated):
 * the kernel drops memberships with the device, and a new device of the
 * same name gets a new index. Following link events by name lets a
 * long-running receiver carry on by itself. */
#include "mctx-subscription-private.h"

#include <string.h>

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
        mctx_subscription_leave_one (self, index);
      *cur = 0;
      mctx_subscription_emit_interface_changed (self, want, index, FALSE);
      return;
    }
    if (strcmp (want, name) != 0)
      continue;
    known = TRUE;
    if (!deleted && *cur == 0) {
      GError *err = NULL;

      /* may fail while the new device is still being set up: the next
       * event for it (e.g. going up) tries again */
      if (self->joined && !mctx_subscription_join_one (self, index, &err)) {
        g_debug ("rejoin on %s (index %u) failed: %s", name, index,
            err->message);
        g_error_free (err);
        return;
      }
      *cur = index;
      mctx_subscription_emit_interface_changed (self, name, index, TRUE);
      return;
    }
  }
  if (!known && !deleted && self->all_mode && (flags & IFF_UP) &&
      (flags & IFF_MULTICAST)) {
    if (self->joined && !mctx_subscription_join_one (self, index, NULL))
      return;
    g_array_append_val (self->ifindexes, index);
    g_ptr_array_add (self->if_names, g_strdup (name));
    mctx_subscription_emit_interface_changed (self, name, index, TRUE);
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
    guint now = mctx_sock_if_index (want);

    if (cur != 0 && (!mctx_sock_if_name (cur, name) ||
            strcmp (name, want) != 0))
      on_link_event (want, cur, 0, TRUE, self);
    if (now != 0 && g_array_index (self->ifindexes, guint, i) == 0)
      on_link_event (want, now, IFF_UP, FALSE, self);
  }
}

/* Remembers the joined interfaces' names and, with follow-interfaces,
 * opens the link monitor; an error names follow-interfaces. */
gboolean
mctx_subscription_start_following (MctxSubscription * self, GError ** error)
{
  guint i;

  self->if_names = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < self->ifindexes->len; i++) {
    gchar name[IF_NAMESIZE] = "";

    mctx_sock_if_name (g_array_index (self->ifindexes, guint, i), name);
    g_ptr_array_add (self->if_names, g_strdup (name));
  }
  self->all_mode = self->interfaces != NULL && self->interfaces[0] != NULL &&
      g_ascii_strcasecmp (self->interfaces[0], "all") == 0;
  self->mon_fd = -1;
  if (!self->follow_interfaces)
    return TRUE;
  self->mon_fd = mctx_netlink_link_monitor_open (error);
  if (self->mon_fd < 0) {
    g_prefix_error (error, "follow-interfaces: ");
    mctx_error_set_setting (error, "follow-interfaces");
    mctx_subscription_stop_following (self);
    return FALSE;
  }
  return TRUE;
}

void
mctx_subscription_stop_following (MctxSubscription * self)
{
  g_clear_pointer (&self->if_names, g_ptr_array_unref);
  mctx_sock_close (self->mon_fd);
  self->mon_fd = -1;
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
