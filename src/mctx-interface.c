/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"
#include "mctx-object-private.h"

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>

/**
 * SECTION:mctx-interface
 * @title: MctxInterface
 * @short_description: network interfaces: listing and resolution
 *
 * Interfaces can be named by name ("eth0"), by one of their addresses, or by
 * index. Resolution is strict: an unknown name, an address on no interface
 * and an address on two interfaces are errors, never a silent fallback to
 * the default interface.
 */

struct _MctxInterface
{
  GObject parent;
  gchar *name;
  guint index;
  MctxInterfaceFlags flags;
  GArray *addresses;            /* MctxAddress */
};

G_DEFINE_TYPE (MctxInterface, mctx_interface, G_TYPE_OBJECT)

/* mctx_interface_get_<name> () for the fields returned as they are */
#define GETTER(RetType, name, member, fallback) \
  MCTX_DEFINE_GETTER (MctxInterface, mctx_interface, MCTX_IS_INTERFACE, \
      RetType, name, member, fallback)

static void
mctx_interface_finalize (GObject * object)
{
  MctxInterface *self = MCTX_INTERFACE (object);

  g_free (self->name);
  g_array_unref (self->addresses);
  G_OBJECT_CLASS (mctx_interface_parent_class)->finalize (object);
}

static void
mctx_interface_class_init (MctxInterfaceClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = mctx_interface_finalize;
}

static void
mctx_interface_init (MctxInterface * self)
{
}

static void
if_entry_free (gpointer p)
{
  MctxIfEntry *e = p;

  g_array_unref (e->addresses);
  g_free (e);
}

/* The table's entry for @name, added at its place by index when new: the
 * table stays ordered by index. */
static MctxIfEntry *
if_entry_get (GPtrArray * table, const gchar * name, guint index)
{
  MctxIfEntry *e;
  guint i, at = table->len;

  for (i = 0; i < table->len; i++) {
    e = g_ptr_array_index (table, i);
    if (strcmp (e->name, name) == 0)
      return e;
    if (at == table->len && e->index > index)
      at = i;
  }
  e = g_new0 (MctxIfEntry, 1);
  g_strlcpy (e->name, name, sizeof (e->name));
  e->index = index;
  e->addresses = g_array_new (FALSE, TRUE, sizeof (MctxAddress));
  g_ptr_array_insert (table, at, e);
  return e;
}

GPtrArray *
mctx_if_table_load (GError ** error)
{
  struct ifaddrs *ifa_list = NULL, *ifa;
  GPtrArray *table;

  if (getifaddrs (&ifa_list) != 0) {
    mctx_set_errno_error (error, errno, "getifaddrs");
    return NULL;
  }
  table = g_ptr_array_new_with_free_func (if_entry_free);
  for (ifa = ifa_list; ifa != NULL; ifa = ifa->ifa_next) {
    MctxIfEntry *e;
    guint index;
    gchar canonical[IF_NAMESIZE];

    if (ifa->ifa_name == NULL)
      continue;
    index = if_nametoindex (ifa->ifa_name);
    if (index == 0)
      continue;                 /* vanished meanwhile */
    /* an address label ("eth0:1") belongs to its interface ("eth0") */
    if (if_indextoname (index, canonical) == NULL)
      continue;
    e = if_entry_get (table, canonical, index);
    e->flags = MCTX_INTERFACE_FLAG_NONE;
    if (ifa->ifa_flags & IFF_UP)
      e->flags |= MCTX_INTERFACE_FLAG_UP;
    if (ifa->ifa_flags & IFF_RUNNING)
      e->flags |= MCTX_INTERFACE_FLAG_RUNNING;
    if (ifa->ifa_flags & IFF_MULTICAST)
      e->flags |= MCTX_INTERFACE_FLAG_MULTICAST;
    if (ifa->ifa_flags & IFF_LOOPBACK)
      e->flags |= MCTX_INTERFACE_FLAG_LOOPBACK;
    if (ifa->ifa_addr != NULL && (ifa->ifa_addr->sa_family == AF_INET ||
            ifa->ifa_addr->sa_family == AF_INET6)) {
      MctxAddress addr;

      mctx_address_from_sockaddr (ifa->ifa_addr, &addr, NULL);
      /* link-local addresses carry their interface as scope; compare
       * addresses without it, the entry says which interface it is */
      addr.scope_id = 0;
      g_array_append_val (e->addresses, addr);
    }
  }
  freeifaddrs (ifa_list);
  return table;
}

gchar *
mctx_if_table_names (GPtrArray * table)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < table->len; i++) {
    MctxIfEntry *e = g_ptr_array_index (table, i);

    if (i > 0)
      g_string_append (s, ", ");
    g_string_append (s, e->name);
  }
  return g_string_free (s, FALSE);
}

MctxIfEntry *
mctx_if_table_by_name (GPtrArray * table, const gchar * name)
{
  guint i;

  for (i = 0; i < table->len; i++) {
    MctxIfEntry *e = g_ptr_array_index (table, i);

    if (strcmp (e->name, name) == 0)
      return e;
  }
  return NULL;
}

MctxIfEntry *
mctx_if_table_by_index (GPtrArray * table, guint index)
{
  guint i;

  for (i = 0; i < table->len; i++) {
    MctxIfEntry *e = g_ptr_array_index (table, i);

    if (e->index == index)
      return e;
  }
  return NULL;
}

guint
mctx_if_table_find_address (GPtrArray * table, const MctxAddress * addr,
    MctxIfEntry ** first)
{
  MctxAddress bare = *addr;
  guint i, j, n = 0;

  bare.scope_id = 0;
  if (first)
    *first = NULL;
  for (i = 0; i < table->len; i++) {
    MctxIfEntry *e = g_ptr_array_index (table, i);

    if (addr->scope_id != 0 && addr->scope_id != e->index)
      continue;
    for (j = 0; j < e->addresses->len; j++) {
      if (mctx_address_equal (&g_array_index (e->addresses, MctxAddress, j),
              &bare)) {
        if (n == 0 && first)
          *first = e;
        n++;
        break;
      }
    }
  }
  return n;
}

gchar *
mctx_if_table_addresses_text (GPtrArray * table, GSocketFamily family)
{
  GString *s = g_string_new (NULL);
  guint i, j;

  for (i = 0; i < table->len; i++) {
    MctxIfEntry *e = g_ptr_array_index (table, i);

    for (j = 0; j < e->addresses->len; j++) {
      MctxAddress *a = &g_array_index (e->addresses, MctxAddress, j);
      gchar *t;

      if (family != G_SOCKET_FAMILY_INVALID && a->family != family)
        continue;
      t = mctx_address_to_string (a);
      g_string_append_printf (s, "%s%s %s", s->len ? ", " : "", e->name, t);
      g_free (t);
    }
  }
  if (s->len == 0)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

MctxIfEntry *
mctx_if_table_resolve (GPtrArray * table, const gchar * spec,
    GSocketFamily family, const gchar * what, GError ** error)
{
  MctxAddress addr;
  MctxIfEntry *e;
  guint n;

  if (what == NULL)
    what = "interface";
  if (!mctx_check_not_empty (spec, what, MCTX_ERROR_INTERFACE_NOT_FOUND,
          "an interface name or address", error))
    return NULL;
  e = mctx_if_table_by_name (table, spec);
  if (e != NULL)
    return e;

  if (!mctx_address_parse (spec, what, &addr, NULL)) {
    gchar *names = mctx_if_table_names (table);

    mctx_set_error (error, what, MCTX_ERROR_INTERFACE_NOT_FOUND,
        "%s '%s' not found (have: %s)", what, spec, names);
    g_free (names);
    return NULL;
  }
  if (family != G_SOCKET_FAMILY_INVALID && addr.family != family) {
    mctx_set_error (error, what, MCTX_ERROR_FAMILY_MISMATCH,
        "%s '%s' is an %s address but the group is %s", what, spec,
        addr.family == G_SOCKET_FAMILY_IPV4 ? "IPv4" : "IPv6",
        family == G_SOCKET_FAMILY_IPV4 ? "IPv4" : "IPv6");
    return NULL;
  }
  n = mctx_if_table_find_address (table, &addr, &e);
  if (n == 0) {
    gchar *have = mctx_if_table_addresses_text (table, addr.family);

    mctx_set_error (error, what, MCTX_ERROR_INTERFACE_NOT_FOUND,
        "%s '%s': no interface has this address (have: %s)", what, spec,
        have);
    g_free (have);
    return NULL;
  }
  if (n > 1) {
    GString *names = g_string_new (NULL);
    guint i;

    for (i = 0; i < table->len; i++) {
      MctxIfEntry *c = g_ptr_array_index (table, i);
      MctxAddress bare = addr;
      guint j;

      bare.scope_id = 0;
      for (j = 0; j < c->addresses->len; j++)
        if (mctx_address_equal (&g_array_index (c->addresses, MctxAddress, j),
                &bare)) {
          g_string_append_printf (names, "%s%s", names->len ? ", " : "",
              c->name);
          break;
        }
    }
    mctx_set_error (error, what, MCTX_ERROR_AMBIGUOUS_INTERFACE,
        "%s '%s' is an address of several interfaces (%s); name the "
        "interface instead", what, spec, names->str);
    g_string_free (names, TRUE);
    return NULL;
  }
  return e;
}

static MctxInterface *
interface_from_entry (MctxIfEntry * e)
{
  MctxInterface *self = g_object_new (MCTX_TYPE_INTERFACE, NULL);

  self->name = g_strdup (e->name);
  self->index = e->index;
  self->flags = e->flags;
  self->addresses = g_array_ref (e->addresses);
  return self;
}

/**
 * mctx_interface_get_name:
 * @self: an interface
 *
 * Returns: the interface name, e.g. "eth0"
 */
GETTER (const gchar *, name, name, NULL)

/**
 * mctx_interface_get_index:
 * @self: an interface
 *
 * Returns: the interface index
 */
GETTER (guint, index, index, 0)

/**
 * mctx_interface_get_flags:
 * @self: an interface
 *
 * Returns: the interface flags at the time it was listed
 */
GETTER (MctxInterfaceFlags, flags, flags, 0)

/**
 * mctx_interface_get_addresses:
 * @self: an interface
 *
 * Returns: (transfer full) (element-type GInetAddress): the addresses
 */
GList *
mctx_interface_get_addresses (MctxInterface * self)
{
  GList *l = NULL;
  guint i;

  g_return_val_if_fail (MCTX_IS_INTERFACE (self), NULL);
  for (i = self->addresses->len; i > 0; i--)
    l = g_list_prepend (l, mctx_address_to_inet_address (&g_array_index
            (self->addresses, MctxAddress, i - 1)));
  return l;
}

/**
 * mctx_interface_has_address:
 * @self: an interface
 * @addr: an address
 *
 * Returns: whether @addr is one of the interface's addresses
 */
gboolean
mctx_interface_has_address (MctxInterface * self, const MctxAddress * addr)
{
  MctxAddress bare = *addr;
  guint i;

  g_return_val_if_fail (MCTX_IS_INTERFACE (self), FALSE);
  bare.scope_id = 0;
  for (i = 0; i < self->addresses->len; i++)
    if (mctx_address_equal (&g_array_index (self->addresses, MctxAddress, i),
            &bare))
      return TRUE;
  return FALSE;
}

/**
 * mctx_interface_list:
 * @error: return location for a #GError
 *
 * Lists the host's interfaces, ordered by index.
 *
 * Returns: (transfer full) (element-type MctxInterface): the interfaces
 */
GList *
mctx_interface_list (GError ** error)
{
  GPtrArray *table = mctx_if_table_load (error);
  GList *l = NULL;
  guint i;

  if (table == NULL)
    return NULL;
  for (i = table->len; i > 0; i--)
    l = g_list_prepend (l, interface_from_entry (g_ptr_array_index (table,
                i - 1)));
  g_ptr_array_unref (table);
  return l;
}

/**
 * mctx_interface_lookup:
 * @spec: an interface name or one of its addresses
 * @family: the family an address must have, or %G_SOCKET_FAMILY_INVALID
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the interface, or %NULL with
 *   %MCTX_ERROR_INTERFACE_NOT_FOUND or %MCTX_ERROR_AMBIGUOUS_INTERFACE
 */
MctxInterface *
mctx_interface_lookup (const gchar * spec, GSocketFamily family,
    GError ** error)
{
  GPtrArray *table = mctx_if_table_load (error);
  MctxIfEntry *e;
  MctxInterface *ret = NULL;

  if (table == NULL)
    return NULL;
  e = mctx_if_table_resolve (table, spec, family, "interface", error);
  if (e != NULL)
    ret = interface_from_entry (e);
  g_ptr_array_unref (table);
  return ret;
}

/**
 * mctx_interface_lookup_index:
 * @index: an interface index
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the interface
 */
MctxInterface *
mctx_interface_lookup_index (guint index, GError ** error)
{
  GPtrArray *table = mctx_if_table_load (error);
  MctxIfEntry *e;
  MctxInterface *ret = NULL;

  if (table == NULL)
    return NULL;
  e = mctx_if_table_by_index (table, index);
  if (e != NULL) {
    ret = interface_from_entry (e);
  } else {
    gchar *names = mctx_if_table_names (table);

    mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_NOT_FOUND,
        "interface-index %u not found (have: %s)", index, names);
    g_free (names);
  }
  g_ptr_array_unref (table);
  return ret;
}

static MctxInterface *
interface_for_oif (guint oif, const gchar * what, GError ** error)
{
  if (oif == 0) {
    mctx_set_error (error, NULL, MCTX_ERROR_INTERFACE_NOT_FOUND,
        "no route for %s: name an interface", what);
    return NULL;
  }
  return mctx_interface_lookup_index (oif, error);
}

/**
 * mctx_interface_get_default:
 * @family: %G_SOCKET_FAMILY_IPV4 or %G_SOCKET_FAMILY_IPV6
 * @error: return location for a #GError
 *
 * Finds the interface of the default route (the one with the lowest metric
 * in the main table).
 *
 * Returns: (transfer full) (nullable): the interface
 */
MctxInterface *
mctx_interface_get_default (GSocketFamily family, GError ** error)
{
  GError *err = NULL;
  guint oif = mctx_netlink_default_oif (family, &err);

  if (err != NULL) {
    g_propagate_error (error, err);
    return NULL;
  }
  return interface_for_oif (oif, family == G_SOCKET_FAMILY_IPV4 ?
      "the IPv4 default route" : "the IPv6 default route", error);
}

/**
 * mctx_interface_for_destination:
 * @dest: a destination address (e.g. a group)
 * @error: return location for a #GError
 *
 * Asks the kernel's routing table which interface a packet to @dest leaves
 * from.
 *
 * Returns: (transfer full) (nullable): the interface
 */
MctxInterface *
mctx_interface_for_destination (const MctxAddress * dest, GError ** error)
{
  GError *err = NULL;
  guint oif = mctx_netlink_route_oif (dest, &err);
  gchar *text, *what;
  MctxInterface *ret;

  if (err != NULL) {
    g_propagate_error (error, err);
    return NULL;
  }
  text = mctx_address_to_string (dest);
  what = g_strdup_printf ("'%s'", text);
  ret = interface_for_oif (oif, what, error);
  g_free (what);
  g_free (text);
  return ret;
}
