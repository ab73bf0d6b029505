/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-subscription-private.h"
#include "mctx-object-private.h"

#include <string.h>

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

#define DEFAULT_GRO FALSE

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

#define FIELD(member) G_STRUCT_OFFSET (MctxSubscription, member)

G_DEFINE_TYPE (MctxSubscription, mctx_subscription, G_TYPE_OBJECT)

/* mctx_subscription_get_<name> () for the fields returned as they are */
#define GETTER(RetType, name, member, fallback) \
  MCTX_DEFINE_GETTER (MctxSubscription, mctx_subscription, \
      MCTX_IS_SUBSCRIPTION, RetType, name, member, fallback)

void
mctx_subscription_emit_interface_changed (MctxSubscription * self,
    const gchar * name, guint index, gboolean joined)
{
  MCTX_STAT_ADD (self->stats.interface_changes, 1);
  g_signal_emit (self, signals[SIGNAL_INTERFACE_CHANGED], 0, name, index,
      joined);
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

/* Creates, sets up and binds the socket: each option a setting asked for
 * is applied or the error names the setting. */
static int
open_socket (MctxSubscription * self, const MctxSubPlan * plan,
    gboolean * gro, GError ** error)
{
  GSocketFamily family = plan->group.family;
  const gchar *option = NULL;
  MctxAddress bind_addr;
  gint granted;
  int fd, errsv;

  *gro = FALSE;
  errsv = mctx_sock_open_udp (family, &fd);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "socket");
    return -1;
  }
  errsv = mctx_sock_setup_receiver (fd, family, &option);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "%s", option);
    goto fail;
  }
  /* kernel timestamps cost a little per datagram (and switch on
   * timestamping host-wide): only when asked for */
  if (self->timestamps && (errsv = mctx_sock_set_timestamps (fd, TRUE)) != 0) {
    mctx_plan_error_refused ("timestamps", errsv, NULL, error);
    goto fail;
  }
  /* UDP GRO: Linux >= 5.0 */
  if (self->gro) {
    errsv = mctx_sock_set_gro (fd, TRUE);
    if (errsv != 0) {
      mctx_plan_error_refused ("gro", errsv, "(UDP GRO)", error);
      goto fail;
    }
    *gro = TRUE;
  }
  granted = mctx_sock_set_buffer (fd, FALSE, self->receive_buffer_size,
      error);
  if (granted < 0) {
    mctx_error_set_setting (error, "receive-buffer-size");
    goto fail;
  }

  /* Binding the group keeps unicast and other groups out in the kernel;
   * link-scope IPv6 groups would tie the socket to one device, so those
   * bind ANY and rely on the per-datagram check. */
  bind_addr = plan->group;
  bind_addr.scope_id = 0;
  if (mctx_address_needs_interface (&plan->group)) {
    memset (&bind_addr, 0, sizeof (bind_addr));
    bind_addr.family = G_SOCKET_FAMILY_IPV6;
  }
  errsv = mctx_sock_bind (fd, &bind_addr, self->port);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "cannot bind group '%s' port %u",
        self->group, self->port);
    goto fail;
  }
  self->actual_receive_buffer_size = granted;
  return fd;

fail:
  mctx_sock_close (fd);
  return -1;
}

/**
 * mctx_subscription_open:
 * @self: a subscription
 * @error: return location for a #GError
 *
 * Validates the configuration, creates and binds the socket and joins the
 * group on every chosen interface. On failure nothing stays open or
 * joined; an error about a setting names it (mctx_error_get_setting()).
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_subscription_open (MctxSubscription * self, GError ** error)
{
  MctxSubPlan plan;
  gboolean gro;
  int fd;

  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (self), FALSE);
  if (!MCTX_PLAN_CHECK_CLOSED (self, "subscription", error) ||
      !mctx_subscription_plan (self, &plan, error))
    return FALSE;
  fd = open_socket (self, &plan, &gro, error);
  if (fd < 0) {
    mctx_sub_plan_clear (&plan);
    return FALSE;
  }

  self->fd = fd;
  self->group_addr = plan.group;
  self->ifindexes = plan.ifindexes;
  self->filter = plan.filter;
  self->exclude = plan.exclude;
  mctx_subscription_receive_open (self, gro);
  if (!mctx_subscription_join_all (self, error))
    goto fail;
  if (!mctx_subscription_start_following (self, error)) {
    mctx_subscription_leave (self, NULL);
    goto fail;
  }
  g_object_notify_by_pspec (G_OBJECT (self),
      properties[PROP_ACTUAL_RECEIVE_BUFFER_SIZE]);
  return TRUE;

fail:
  mctx_subscription_receive_close (self);
  g_clear_pointer (&self->ifindexes, g_array_unref);
  g_clear_pointer (&self->filter, g_array_unref);
  self->fd = -1;
  self->actual_receive_buffer_size = 0;
  mctx_sock_close (fd);
  return FALSE;
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
  mctx_subscription_receive_close (self);
  mctx_sock_close (self->fd);
  self->fd = -1;
  self->actual_receive_buffer_size = 0;
  self->joined = FALSE;
  g_clear_pointer (&self->ifindexes, g_array_unref);
  g_clear_pointer (&self->filter, g_array_unref);
  mctx_subscription_stop_following (self);
  mctx_poll_cache_clear (&self->poll_cache);
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

  if (!mctx_subscription_check_call (self, error))
    return FALSE;
  if (timeout_us >= 0)
    deadline = g_get_monotonic_time () + timeout_us;
  for (;;) {
    gboolean events = FALSE;
    gint64 left = -1;

    if (timeout_us >= 0)
      left = MAX (deadline - g_get_monotonic_time (), 0);
    /* segments of a coalesced read are still waiting to be taken */
    if (mctx_subscription_has_pending (self))
      return TRUE;
    if (mctx_sock_wait_full (self->fd, MCTX_WAIT_READABLE, self->mon_fd,
            &events, left, cancellable, &self->poll_cache, error))
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
GETTER (gint, fd, fd, -1)

/**
 * mctx_subscription_get_group:
 * @self: a subscription
 *
 * Returns: (nullable): the configured group
 */
GETTER (const gchar *, group, group, NULL)

/**
 * mctx_subscription_get_port:
 * @self: a subscription
 *
 * Returns: the port
 */
GETTER (guint, port, port, 0)

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
GETTER (gint, actual_receive_buffer_size, actual_receive_buffer_size, 0)

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
  MCTX_STATS_READ (stats, &self->stats);
  stats->kernel_drops += mctx_subscription_unreported_drops (self);
}

static void
mctx_subscription_finalize (GObject * object)
{
  MctxSubscription *self = MCTX_SUBSCRIPTION (object);

  mctx_subscription_close (self);
  mctx_fields_free (object, properties, N_PROPS);
  mctx_subscription_receive_free (self);
  G_OBJECT_CLASS (mctx_subscription_parent_class)->finalize (object);
}

static void
mctx_subscription_class_init (MctxSubscriptionClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->set_property = mctx_field_set_property;
  gobject_class->get_property = mctx_field_get_property;
  gobject_class->finalize = mctx_subscription_finalize;

  /**
   * MctxSubscription:interfaces:
   *
   * Interfaces to receive on, by name or address; the single entry "all"
   * means every interface that is up and multicast-capable; none means
   * the interface the routing table picks for the group.
   */
  properties[PROP_INTERFACES] = mctx_param_field (FIELD (interfaces),
      g_param_spec_boxed ("interfaces",
      "Interfaces",
      "Interfaces to join on (names or addresses, or \"all\"; none: the "
      "routing table's choice)", G_TYPE_STRV, rw));
  /**
   * MctxSubscription:sources:
   *
   * Source-specific multicast: receive only from these sources.
   */
  properties[PROP_SOURCES] = mctx_param_field (FIELD (sources),
      g_param_spec_boxed ("sources", "Sources",
      "Receive only from these source addresses (source-specific multicast)",
      G_TYPE_STRV, rw));
  /**
   * MctxSubscription:exclude-sources:
   *
   * Any-source multicast with these sources blocked by the kernel.
   */
  properties[PROP_EXCLUDE_SOURCES] = mctx_param_field (FIELD (exclude_sources),
      g_param_spec_boxed ("exclude-sources",
      "Exclude sources", "Receive from any source except these",
      G_TYPE_STRV, rw));
  /**
   * MctxSubscription:receive-buffer-size:
   *
   * Requested socket receive buffer in bytes, 0 for the kernel default.
   * Above net.core.rmem_max it needs CAP_NET_ADMIN; see
   * #MctxSubscription:actual-receive-buffer-size for what was granted.
   */
  properties[PROP_RECEIVE_BUFFER_SIZE] =
      mctx_param_field (FIELD (receive_buffer_size),
      g_param_spec_int ("receive-buffer-size", "Receive buffer size",
      "Socket receive buffer in bytes (0: kernel default)", 0, G_MAXINT, 0,
      rw));
  /**
   * MctxSubscription:actual-receive-buffer-size:
   *
   * The receive buffer the kernel granted, while open.
   */
  properties[PROP_ACTUAL_RECEIVE_BUFFER_SIZE] =
      mctx_param_field (FIELD (actual_receive_buffer_size),
      g_param_spec_int ("actual-receive-buffer-size",
      "Actual receive buffer size",
      "Receive buffer the kernel granted, while open", 0, G_MAXINT, 0, ro));

  /**
   * MctxSubscription:gro:
   *
   * Let the kernel coalesce datagrams of one flow (UDP GRO, Linux 5.0+):
   * fewer, larger reads, split back into datagrams before they reach the
   * caller, with one copy each. Worth it at high packet rates. Where the
   * kernel refuses it, open fails with an error naming "gro".
   */
  properties[PROP_GRO] = mctx_param_field (FIELD (gro),
      g_param_spec_boolean ("gro", "GRO",
      "Receive coalesced datagrams (UDP GRO) and split them again; fewer "
      "system calls at high rates", DEFAULT_GRO, rw));

  /**
   * MctxSubscription:follow-interfaces:
   *
   * Follow interface changes while open: when a joined interface is
   * deleted and a new one of the same name appears, join it again (and,
   * with "all", join interfaces that appear). Events are handled inside
   * mctx_subscription_wait_readable(), or by
   * mctx_subscription_process_interface_events(). When the link monitor
   * cannot be opened, open fails with an error naming "follow-interfaces".
   */
  properties[PROP_FOLLOW_INTERFACES] =
      mctx_param_field (FIELD (follow_interfaces),
      g_param_spec_boolean ("follow-interfaces", "Follow interfaces",
      "Rejoin an interface that is deleted and comes back under the same "
      "name", TRUE, rw));

  /**
   * MctxSubscription:timestamps:
   *
   * Ask the kernel for each datagram's receive time
   * (#MctxPacketInfo.timestamp_ns). Takes effect at open.
   */
  properties[PROP_TIMESTAMPS] = mctx_param_field (FIELD (timestamps),
      g_param_spec_boolean ("timestamps",
      "Timestamps", "Report the kernel's receive time of each datagram",
      TRUE, rw));

  /**
   * MctxSubscription:group:
   *
   * The multicast group to receive, IPv4 or IPv6.
   */
  /**
   * MctxSubscription:port:
   *
   * The UDP port to receive on (0 is refused at open).
   */
  /**
   * MctxSubscription:interface-index:
   *
   * An interface to receive on, by index, 0 for none.
   */
  /**
   * MctxSubscription:fd:
   *
   * The socket's file descriptor while open, else -1.
   */
  mctx_plan_params (properties, FALSE, rw, PROP_GROUP, FIELD (group),
      PROP_PORT, FIELD (port), PROP_INTERFACE_INDEX, FIELD (interface_index),
      PROP_FD, FIELD (fd));

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
  /* every setting starts at its property's default (fd at -1) */
  mctx_fields_init (G_OBJECT (self), properties, N_PROPS);
  self->mon_fd = -1;
  self->poll_cache.fd = -1;
}
