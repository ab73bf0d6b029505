/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-publication-private.h"
#include "mctx-object-private.h"

#include <string.h>

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

#define DEFAULT_TTL 1
#define DEFAULT_LOOP TRUE
#define DEFAULT_DSCP -1
#define DEFAULT_GSO TRUE

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

#define FIELD(member) G_STRUCT_OFFSET (MctxPublication, member)

G_DEFINE_TYPE (MctxPublication, mctx_publication, G_TYPE_OBJECT)
G_STATIC_ASSERT (PROP_LOOP == PROP_TTL + 1 && PROP_DSCP == PROP_TTL + 2);

/* mctx_publication_get_<name> () for the fields returned as they are */
#define GETTER(RetType, name, member, fallback) \
  MCTX_DEFINE_GETTER (MctxPublication, mctx_publication, MCTX_IS_PUBLICATION, \
      RetType, name, member, fallback)

/* The settings an open socket takes at once (ttl, loop, dscp; consecutive
 * property ids): the socket option each sets and its field. */
typedef struct
{
  int (*set) (int fd, GSocketFamily family, gint value);
  gsize field;
} LiveOption;

static const LiveOption live_options[] = {
  [PROP_TTL - PROP_TTL] = {mctx_sock_set_ttl, FIELD (ttl)},
  [PROP_LOOP - PROP_TTL] = {mctx_sock_set_loop, FIELD (loop)},
  [PROP_DSCP - PROP_TTL] = {mctx_sock_set_dscp, FIELD (dscp)},
};

/* Applies the live option @i's @value to @fd; a dscp of -1 leaves the
 * socket's value. An error names the setting. */
static gboolean
apply_live (int fd, GSocketFamily family, guint i, gint value,
    GError ** error)
{
  const gchar *name = properties[PROP_TTL + i]->name;
  int errsv;

  if (value < 0)
    return TRUE;
  errsv = live_options[i].set (fd, family, value);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "%s %d", name, value);
    mctx_error_set_setting (error, name);
  }
  return errsv == 0;
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

/* Binds the source, picks the interface, applies every sender option and
 * connects: each setting is applied or the error names it. */
static gboolean
setup_socket (MctxPublication * self, int fd, MctxPubPlan * plan,
    GError ** error)
{
  GSocketFamily family = plan->group.family;
  guint i;
  int errsv;

  if (self->source_port != 0 &&
      (errsv = mctx_sock_set_reuse_address (fd)) != 0) {
    mctx_plan_error_refused ("source-port", errsv, "(SO_REUSEADDR)", error);
    return FALSE;
  }
  if (plan->has_source || self->source_port != 0) {
    MctxAddress any = {.family = family };

    errsv = mctx_sock_bind (fd, plan->has_source ? &plan->source : &any,
        self->source_port);
    if (errsv != 0) {
      mctx_set_errno_error (error, errsv, "cannot bind source '%s' port %u",
          plan->has_source ? self->source : "any", self->source_port);
      mctx_error_set_setting (error, plan->has_source ? "source" :
          "source-port");
      return FALSE;
    }
  }
  if (plan->ifindex != 0 || plan->has_ifaddr) {
    errsv = mctx_sock_set_multicast_if (fd, family, plan->ifindex,
        plan->has_ifaddr ? &plan->ifaddr : NULL);
    if (errsv != 0) {
      mctx_set_errno_error (error, errsv, "%s index %u",
          family == G_SOCKET_FAMILY_IPV4 ? "IP_MULTICAST_IF" :
          "IPV6_MULTICAST_IF", plan->ifindex);
      mctx_error_set_setting (error, mctx_publication_interface_setting (self));
      return FALSE;
    }
  }
  for (i = 0; i < G_N_ELEMENTS (live_options); i++)
    if (!apply_live (fd, family, i, G_STRUCT_MEMBER (gint, self,
                live_options[i].field), error))
      return FALSE;
  self->actual_send_buffer_size = mctx_sock_set_buffer (fd, TRUE,
      self->send_buffer_size, error);
  if (self->actual_send_buffer_size < 0) {
    mctx_error_set_setting (error, "send-buffer-size");
    return FALSE;
  }

  /* The destination keeps a scope id only for ff_1/ff_2 groups */
  if (mctx_address_needs_interface (&plan->group))
    plan->group.scope_id = plan->ifindex;
  else
    plan->group.scope_id = 0;
  errsv = mctx_sock_connect (fd, &plan->group, self->port);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "cannot connect to group '%s' port %u",
        self->group, self->port);
    return FALSE;
  }
  errsv = mctx_sock_local_address (fd, &self->local_addr, &self->local_port);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "getsockname");
    return FALSE;
  }
  return TRUE;
}

/**
 * mctx_publication_open:
 * @self: a publication
 * @error: return location for a #GError
 *
 * Validates the configuration, creates the socket, binds the source,
 * selects the outgoing interface, applies TTL, loop and DSCP, and connects
 * to the group. On failure nothing stays open; an error about a setting
 * names it (mctx_error_get_setting()).
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_publication_open (MctxPublication * self, GError ** error)
{
  MctxPubPlan plan;
  GSocketFamily family;
  int fd = -1, errsv;

  g_return_val_if_fail (MCTX_IS_PUBLICATION (self), FALSE);
  if (!MCTX_PLAN_CHECK_CLOSED (self, "publication", error) ||
      !mctx_publication_plan (self, &plan, error))
    return FALSE;
  family = plan.group.family;
  errsv = mctx_sock_open_udp (family, &fd);
  if (errsv != 0) {
    mctx_set_errno_error (error, errsv, "socket");
    return FALSE;
  }
  if (!setup_socket (self, fd, &plan, error)) {
    mctx_sock_close (fd);
    return FALSE;
  }

  /* GSO segments must each fit the path MTU; larger datagrams go out
   * one by one and the kernel fragments them */
  self->gso_max_segment = mctx_sock_udp_payload (family,
      mctx_sock_path_mtu (fd, family, 1500));
  self->gso_ok = TRUE;
  if (self->batch == NULL)
    self->batch = mctx_sock_batch_new ();
  self->group_addr = plan.group;
  self->ifindex = plan.ifindex;
  self->ifname[0] = '\0';
  if (plan.ifindex != 0)
    mctx_sock_if_name (plan.ifindex, self->ifname);
  if (self->ifindex == 0)
    self->ifindex = mctx_netlink_route_oif (&plan.group, NULL);
  self->destination = mctx_address_to_socket_address (&plan.group,
      self->port);
  self->local_address = mctx_address_to_socket_address (&self->local_addr,
      self->local_port);
  self->fd = fd;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCAL_ADDRESS]);
  return TRUE;
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
    mctx_sock_close (self->fd);
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

void
mctx_publication_notify_interface (MctxPublication * self)
{
  g_object_notify_by_pspec (G_OBJECT (self),
      properties[PROP_EFFECTIVE_INTERFACE_INDEX]);
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
GETTER (gint, fd, fd, -1)

/**
 * mctx_publication_get_group:
 * @self: a publication
 *
 * Returns: (nullable): the configured group
 */
GETTER (const gchar *, group, group, NULL)

/**
 * mctx_publication_get_port:
 * @self: a publication
 *
 * Returns: the destination port
 */
GETTER (guint, port, port, 0)

/**
 * mctx_publication_get_source:
 * @self: a publication
 *
 * Returns: (nullable): the configured source address, if any
 */
GETTER (const gchar *, source, source, NULL)

/**
 * mctx_publication_get_local_address:
 * @self: a publication
 *
 * The effective local address and port the kernel chose (or the bound
 * source), which receivers see as the sender.
 *
 * Returns: (transfer none) (nullable): the address, %NULL when closed
 */
GETTER (GInetSocketAddress *, local_address, local_address, NULL)

/**
 * mctx_publication_get_effective_interface_index:
 * @self: a publication
 *
 * Returns: the outgoing interface: the configured one, or the one the
 *   routing table gave for the group at open time; 0 when closed or unknown
 */
GETTER (guint, effective_interface_index, ifindex, 0)

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
  MCTX_STATS_READ (stats, &self->stats);
}

/* ttl, loop or dscp (@prop): checked against its paramspec, applied at
 * once when open, then kept (and a change notified) */
static gboolean
set_live (MctxPublication * self, guint prop, gint value, GError ** error)
{
  GParamSpec *pspec = properties[prop];
  gint *field;

  if (G_IS_PARAM_SPEC_BOOLEAN (pspec))
    value = value != 0;
  else if (!mctx_check_range (error, pspec->name, value,
          G_PARAM_SPEC_INT (pspec)->minimum,
          G_PARAM_SPEC_INT (pspec)->maximum, ""))
    return FALSE;
  if (self->fd >= 0 && !apply_live (self->fd, self->group_addr.family,
          prop - PROP_TTL, value, error))
    return FALSE;
  field = G_STRUCT_MEMBER_P (self, live_options[prop - PROP_TTL].field);
  if (*field != value) {
    *field = value;
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
  }
  return TRUE;
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
  return set_live (self, PROP_TTL, ttl, error);
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
  return set_live (self, PROP_LOOP, loop, error);
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
  return set_live (self, PROP_DSCP, dscp, error);
}

static void
mctx_publication_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GError *err = NULL;

  /* ttl, loop and dscp apply to an open socket (and notify); the rest are
   * fields read at open */
  if (prop_id < PROP_TTL || prop_id > PROP_DSCP) {
    mctx_field_set_property (object, prop_id, value, pspec);
    return;
  }
  if (!set_live (MCTX_PUBLICATION (object), prop_id,
          G_VALUE_HOLDS_BOOLEAN (value) ? g_value_get_boolean (value) :
          g_value_get_int (value), &err)) {
    /* a property setter cannot return an error; callers who care use the
     * mctx_publication_set_*() functions */
    g_warning ("%s", err->message);
    g_error_free (err);
  }
}

static void
mctx_publication_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  MctxPublication *self = MCTX_PUBLICATION (object);

  /* send-buffer-size: a set notifies when the request changes, not the grant */
  if (prop_id == PROP_SEND_BUFFER_SIZE)
    g_value_set_int (value, self->fd >= 0 ? self->actual_send_buffer_size :
        self->send_buffer_size);
  else
    mctx_field_get_property (object, prop_id, value, pspec);
}

static void
mctx_publication_finalize (GObject * object)
{
  MctxPublication *self = MCTX_PUBLICATION (object);

  mctx_publication_close (self);
  mctx_fields_free (object, properties, N_PROPS);
  g_clear_pointer (&self->batch, mctx_sock_batch_free);
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
   * MctxPublication:source:
   *
   * The exact local address to bind and send from. When it belongs to
   * exactly one interface, it also selects the outgoing interface.
   */
  properties[PROP_SOURCE] = mctx_param_field (FIELD (source),
      g_param_spec_string ("source", "Source",
      "Local address to send from (NULL: chosen by the kernel)", NULL, rw));
  /**
   * MctxPublication:source-port:
   *
   * The local UDP port to send from, 0 for any.
   */
  properties[PROP_SOURCE_PORT] = mctx_param_field (FIELD (source_port),
      g_param_spec_uint ("source-port",
      "Source port", "Local UDP port to send from (0: any)", 0, 65535, 0, rw));
  /**
   * MctxPublication:interface:
   *
   * The outgoing interface, by name (e.g. "eth0") or by one of its
   * addresses.
   */
  properties[PROP_INTERFACE] = mctx_param_field (FIELD (interface),
      g_param_spec_string ("interface", "Interface",
      "Outgoing interface: a name or one of its addresses", NULL, rw));
  /**
   * MctxPublication:ttl:
   *
   * IPv4 TTL or IPv6 hop limit of sent datagrams. The default, 1, keeps
   * traffic on the local network: routers do not forward it.
   */
  properties[PROP_TTL] = mctx_param_field (FIELD (ttl),
      g_param_spec_int ("ttl", "TTL",
      "Time to live / hop limit (1 stays on the local network)", 0, 255,
      DEFAULT_TTL, rw));
  /**
   * MctxPublication:loop:
   *
   * Whether receivers on this host get a copy of what is sent.
   */
  properties[PROP_LOOP] = mctx_param_field (FIELD (loop),
      g_param_spec_boolean ("loop", "Loop",
      "Deliver sent datagrams to receivers on this host too", DEFAULT_LOOP,
      rw));
  /**
   * MctxPublication:dscp:
   *
   * DiffServ code point for sent datagrams, -1 to leave it alone.
   */
  properties[PROP_DSCP] = mctx_param_field (FIELD (dscp),
      g_param_spec_int ("dscp", "DSCP",
      "DiffServ code point (-1: leave as is)", -1, 63, DEFAULT_DSCP, rw));
  /**
   * MctxPublication:send-buffer-size:
   *
   * Requested socket send buffer in bytes, 0 for the kernel default. While
   * open, reads back the size the kernel granted.
   */
  properties[PROP_SEND_BUFFER_SIZE] =
      mctx_param_field (FIELD (send_buffer_size),
      g_param_spec_int ("send-buffer-size", "Send buffer size",
          "Socket send buffer in bytes (0: kernel default); reads the "
          "granted size while open", 0, G_MAXINT, 0, rw));
  /**
   * MctxPublication:local-address:
   *
   * The effective local address and port, while open.
   */
  properties[PROP_LOCAL_ADDRESS] = mctx_param_field (FIELD (local_address),
      g_param_spec_object ("local-address",
      "Local address", "Effective local address and port while open",
      G_TYPE_INET_SOCKET_ADDRESS, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  /**
   * MctxPublication:effective-interface-index:
   *
   * The outgoing interface in use, while open.
   */
  properties[PROP_EFFECTIVE_INTERFACE_INDEX] =
      mctx_param_field (FIELD (ifindex),
      g_param_spec_uint ("effective-interface-index",
      "Effective interface index", "Outgoing interface in use while open",
      0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * MctxPublication:gso:
   *
   * Whether mctx_publication_send_messages() may send runs of equal-sized
   * datagrams as one UDP GSO super-datagram (Linux 4.18+). It falls back
   * by itself where the kernel refuses; turn it off only to compare.
   */
  properties[PROP_GSO] = mctx_param_field (FIELD (gso),
      g_param_spec_boolean ("gso", "GSO",
      "Send runs of equal-sized datagrams with UDP segmentation offload",
      DEFAULT_GSO, rw));

  /**
   * MctxPublication:group:
   *
   * The multicast group to send to, IPv4 or IPv6 (an IPv6 interface- or
   * link-local group may carry a `%scope`).
   */
  /**
   * MctxPublication:port:
   *
   * The destination UDP port (1..65535; 0 is refused at open).
   */
  /**
   * MctxPublication:interface-index:
   *
   * The outgoing interface by index, 0 for none.
   */
  /**
   * MctxPublication:fd:
   *
   * The socket's file descriptor while open, else -1.
   */
  mctx_plan_params (properties, TRUE, rw, PROP_GROUP, FIELD (group),
      PROP_PORT, FIELD (port), PROP_INTERFACE_INDEX, FIELD (interface_index),
      PROP_FD, FIELD (fd));

  g_object_class_install_properties (gobject_class, N_PROPS, properties);
}

static void
mctx_publication_init (MctxPublication * self)
{
  /* every setting starts at its property's default (fd at -1) */
  mctx_fields_init (G_OBJECT (self), properties, N_PROPS);
  self->poll_cache.fd = -1;
}

/* For MctxContext's duplicate check (declared in mctx-private.h). */
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
