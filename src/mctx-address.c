/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"
#include "mctx-boxed-private.h"
#include "mctx-socket.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <string.h>

/**
 * SECTION:mctx-address
 * @title: Addresses
 * @short_description: parsing and validation of groups, sources and lists
 *
 * All parsing of user-supplied addresses happens here, once, so that every
 * caller (the library objects, the GStreamer elements, the fuzzers) reports
 * the same error naming the same value. The @what argument of the parsers
 * names the setting in error messages, e.g. "group" or "sources".
 */

/**
 * mctx_address_copy:
 * @addr: an address
 *
 * Returns: (transfer full): a copy of @addr
 */
/**
 * mctx_address_free:
 * @addr: an address
 */
MCTX_DEFINE_PLAIN_BOXED (MctxAddress, mctx_address)

gboolean
mctx_check_not_empty (const gchar * text, const gchar * what, gint code,
    const gchar * expected, GError ** error)
{
  if (text != NULL && *text != '\0')
    return TRUE;
  mctx_set_error (error, what, code, "%s is empty: expected %s", what,
      expected);
  return FALSE;
}

static gsize
address_len (const MctxAddress * addr)
{
  return addr->family == G_SOCKET_FAMILY_IPV4 ? 4 : 16;
}

/**
 * mctx_address_parse:
 * @text: an IPv4 or IPv6 address; IPv6 may carry `%scope` (name or index)
 *   and may be enclosed in brackets
 * @what: (nullable): the setting's name for error messages
 * @out: (out caller-allocates): the parsed address
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; %MCTX_ERROR_INVALID_ADDRESS or
 *   %MCTX_ERROR_INTERFACE_NOT_FOUND (unknown scope) otherwise
 */
gboolean
mctx_address_parse (const gchar * text, const gchar * what, MctxAddress * out,
    GError ** error)
{
  gchar buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 4];
  const gchar *p;
  gchar *pct;
  gsize len;
  MctxAddress addr = { 0 };

  if (what == NULL)
    what = "address";
  if (!mctx_check_not_empty (text, what, MCTX_ERROR_INVALID_ADDRESS,
          "an IPv4 or IPv6 address", error))
    return FALSE;
  len = strlen (text);
  if (len >= sizeof (buf))
    goto invalid;
  p = text;
  if (p[0] == '[') {
    if (len < 3 || p[len - 1] != ']')
      goto invalid;
    memcpy (buf, p + 1, len - 2);
    buf[len - 2] = '\0';
  } else {
    memcpy (buf, p, len + 1);
  }

  pct = strchr (buf, '%');
  if (pct != NULL)
    *pct++ = '\0';

  if (inet_pton (AF_INET, buf, addr.bytes) == 1) {
    addr.family = G_SOCKET_FAMILY_IPV4;
    if (pct != NULL)
      goto invalid;
  } else if (inet_pton (AF_INET6, buf, addr.bytes) == 1) {
    addr.family = G_SOCKET_FAMILY_IPV6;
    if (pct != NULL) {
      guint64 idx;
      gchar *end = NULL;

      if (*pct == '\0')
        goto invalid;
      idx = g_ascii_strtoull (pct, &end, 10);
      if (end != NULL && *end == '\0' && end != pct) {
        if (idx == 0 || idx > G_MAXUINT32)
          goto invalid;
        addr.scope_id = (guint32) idx;
      } else {
        addr.scope_id = mctx_sock_if_index (pct);
        if (addr.scope_id == 0) {
          mctx_set_error (error, what, MCTX_ERROR_INTERFACE_NOT_FOUND,
              "%s '%s': scope interface '%s' not found", what, text, pct);
          return FALSE;
        }
      }
    }
  } else {
    goto invalid;
  }

  *out = addr;
  return TRUE;

invalid:
  mctx_set_error (error, what, MCTX_ERROR_INVALID_ADDRESS,
      "%s '%s' is not an IPv4 or IPv6 address", what, text);
  return FALSE;
}

/**
 * mctx_address_to_string:
 * @addr: an address
 *
 * Returns: (transfer full): the textual form, with `%index` when a scope
 *   id is set
 */
gchar *
mctx_address_to_string (const MctxAddress * addr)
{
  gchar buf[INET6_ADDRSTRLEN];

  if (addr->family == G_SOCKET_FAMILY_IPV4) {
    inet_ntop (AF_INET, addr->bytes, buf, sizeof (buf));
    return g_strdup (buf);
  }
  if (addr->family != G_SOCKET_FAMILY_IPV6)
    return g_strdup ("(none)");
  inet_ntop (AF_INET6, addr->bytes, buf, sizeof (buf));
  if (addr->scope_id != 0)
    return g_strdup_printf ("%s%%%u", buf, addr->scope_id);
  return g_strdup (buf);
}

/**
 * mctx_address_equal:
 * @a: an address
 * @b: an address
 *
 * Returns: whether family, bytes and scope id are equal
 */
gboolean
mctx_address_equal (const MctxAddress * a, const MctxAddress * b)
{
  if (a->family != b->family)
    return FALSE;
  if (a->family != G_SOCKET_FAMILY_IPV4 && a->family != G_SOCKET_FAMILY_IPV6)
    return TRUE;
  return a->scope_id == b->scope_id &&
      memcmp (a->bytes, b->bytes, address_len (a)) == 0;
}

/**
 * mctx_address_is_multicast:
 * @addr: an address
 *
 * Returns: whether @addr is in 224.0.0.0/4 or ff00::/8
 */
gboolean
mctx_address_is_multicast (const MctxAddress * addr)
{
  if (addr->family == G_SOCKET_FAMILY_IPV4)
    return (addr->bytes[0] & 0xf0) == 0xe0;
  if (addr->family == G_SOCKET_FAMILY_IPV6)
    return addr->bytes[0] == 0xff;
  return FALSE;
}

/**
 * mctx_address_is_ssm:
 * @addr: an address
 *
 * Returns: whether @addr is in a source-specific range (232.0.0.0/8,
 *   ff3x::/32)
 */
gboolean
mctx_address_is_ssm (const MctxAddress * addr)
{
  if (addr->family == G_SOCKET_FAMILY_IPV4)
    return addr->bytes[0] == 232;
  if (addr->family == G_SOCKET_FAMILY_IPV6)
    return addr->bytes[0] == 0xff && (addr->bytes[1] & 0xf0) == 0x30 &&
        addr->bytes[2] == 0 && addr->bytes[3] == 0;
  return FALSE;
}

/**
 * mctx_address_is_unspecified:
 * @addr: an address
 *
 * Returns: whether @addr is 0.0.0.0 or ::
 */
gboolean
mctx_address_is_unspecified (const MctxAddress * addr)
{
  static const guint8 zero[16] = { 0 };

  if (addr->family != G_SOCKET_FAMILY_IPV4 &&
      addr->family != G_SOCKET_FAMILY_IPV6)
    return TRUE;
  return memcmp (addr->bytes, zero, address_len (addr)) == 0;
}

/**
 * mctx_address_is_link_local:
 * @addr: an address
 *
 * Returns: whether @addr is a link-local unicast address (169.254/16,
 *   fe80::/10)
 */
gboolean
mctx_address_is_link_local (const MctxAddress * addr)
{
  if (addr->family == G_SOCKET_FAMILY_IPV4)
    return addr->bytes[0] == 169 && addr->bytes[1] == 254;
  if (addr->family == G_SOCKET_FAMILY_IPV6)
    return addr->bytes[0] == 0xfe && (addr->bytes[1] & 0xc0) == 0x80;
  return FALSE;
}

/**
 * mctx_address_needs_interface:
 * @addr: an address
 *
 * Returns: whether @addr is an IPv6 interface- or link-local multicast group
 *   (ff_1, ff_2), which is only meaningful with an interface
 */
gboolean
mctx_address_needs_interface (const MctxAddress * addr)
{
  guint scope;

  if (addr->family != G_SOCKET_FAMILY_IPV6 || addr->bytes[0] != 0xff)
    return FALSE;
  scope = addr->bytes[1] & 0x0f;
  return scope == 1 || scope == 2;
}

/**
 * mctx_address_to_inet_address:
 * @addr: an address
 *
 * Returns: (transfer full): a new #GInetAddress (the scope id is dropped)
 */
GInetAddress *
mctx_address_to_inet_address (const MctxAddress * addr)
{
  return g_inet_address_new_from_bytes (addr->bytes, addr->family);
}

/**
 * mctx_address_from_inet_address:
 * @inet: a #GInetAddress
 * @out: (out caller-allocates): the address
 */
void
mctx_address_from_inet_address (GInetAddress * inet, MctxAddress * out)
{
  memset (out, 0, sizeof (*out));
  out->family = g_inet_address_get_family (inet);
  memcpy (out->bytes, g_inet_address_to_bytes (inet),
      g_inet_address_get_native_size (inet));
}

socklen_t
mctx_address_to_sockaddr (const MctxAddress * addr, guint16 port,
    struct sockaddr_storage *ss)
{
  memset (ss, 0, sizeof (*ss));
  if (addr->family == G_SOCKET_FAMILY_IPV4) {
    struct sockaddr_in *sin = (struct sockaddr_in *) ss;

    sin->sin_family = AF_INET;
    sin->sin_port = g_htons (port);
    memcpy (&sin->sin_addr, addr->bytes, 4);
    return sizeof (*sin);
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;

    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = g_htons (port);
    memcpy (&sin6->sin6_addr, addr->bytes, 16);
    sin6->sin6_scope_id = addr->scope_id;
    return sizeof (*sin6);
  }
}

gboolean
mctx_address_from_sockaddr (const struct sockaddr *sa, MctxAddress * out,
    guint16 * port)
{
  memset (out, 0, sizeof (*out));
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *) sa;

    out->family = G_SOCKET_FAMILY_IPV4;
    memcpy (out->bytes, &sin->sin_addr, 4);
    if (port)
      *port = g_ntohs (sin->sin_port);
    return TRUE;
  }
  if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) sa;

    out->family = G_SOCKET_FAMILY_IPV6;
    memcpy (out->bytes, &sin6->sin6_addr, 16);
    out->scope_id = sin6->sin6_scope_id;
    if (port)
      *port = g_ntohs (sin6->sin6_port);
    return TRUE;
  }
  return FALSE;
}

GInetSocketAddress *
mctx_address_to_socket_address (const MctxAddress * addr, guint16 port)
{
  struct sockaddr_storage ss;
  socklen_t len = mctx_address_to_sockaddr (addr, port, &ss);

  return G_INET_SOCKET_ADDRESS (g_socket_address_new_from_native (&ss, len));
}

/* The checks of a group (@addr, the setting @what's @text): multicast,
 * and a scope id only where an interface is needed. */
static gboolean
check_group (const MctxAddress * addr, const gchar * what,
    const gchar * text, GError ** error)
{
  if (!mctx_address_is_multicast (addr)) {
    mctx_set_error (error, what, MCTX_ERROR_NOT_MULTICAST,
        "%s '%s' is not a multicast address (IPv4 224.0.0.0/4, IPv6 ff00::/8)",
        what, text);
    return FALSE;
  }
  if (addr->scope_id != 0 && !mctx_address_needs_interface (addr)) {
    mctx_set_error (error, what, MCTX_ERROR_INVALID_SCOPE,
        "%s '%s': a scope id applies only to interface- or link-local "
        "groups (ff01::/16, ff02::/16)", what, text);
    return FALSE;
  }
  return TRUE;
}

/* The checks of a source: unicast, usable, a scope id only on link-local
 * addresses (also the SAP origin's, mctx-sap.c). */
gboolean
mctx_address_check_source (const MctxAddress * addr, const gchar * what,
    const gchar * text, GError ** error)
{
  if (mctx_address_is_multicast (addr)) {
    mctx_set_error (error, what, MCTX_ERROR_INVALID_SOURCE,
        "%s '%s' is a multicast address; a source must be unicast", what,
        text);
    return FALSE;
  }
  if (mctx_address_is_unspecified (addr) ||
      (addr->family == G_SOCKET_FAMILY_IPV4 && addr->bytes[0] == 255 &&
          addr->bytes[1] == 255 && addr->bytes[2] == 255
          && addr->bytes[3] == 255)) {
    mctx_set_error (error, what, MCTX_ERROR_INVALID_SOURCE,
        "%s '%s' is not a usable source address", what, text);
    return FALSE;
  }
  if (addr->scope_id != 0 && !mctx_address_is_link_local (addr)) {
    mctx_set_error (error, what, MCTX_ERROR_INVALID_SCOPE,
        "%s '%s': a scope id applies only to link-local addresses (fe80::/10)",
        what, text);
    return FALSE;
  }
  return TRUE;
}

/* Parses @text for the setting @what (@fallback when NULL) and checks it;
 * @out is written only on success. */
static gboolean
parse_checked (const gchar * text, const gchar * what,
    const gchar * fallback, gboolean (*check) (const MctxAddress * addr,
        const gchar * what, const gchar * text, GError ** error),
    MctxAddress * out, GError ** error)
{
  MctxAddress addr;

  if (what == NULL)
    what = fallback;
  if (!mctx_address_parse (text, what, &addr, error) ||
      !check (&addr, what, text, error))
    return FALSE;
  *out = addr;
  return TRUE;
}

/**
 * mctx_parse_group:
 * @text: a multicast group address
 * @what: (nullable): the setting's name for error messages ("group")
 * @out: (out caller-allocates): the parsed group
 * @error: return location for a #GError
 *
 * Parses and validates a group: it must be multicast, and a scope id is
 * accepted only on IPv6 interface- and link-local groups.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_parse_group (const gchar * text, const gchar * what, MctxAddress * out,
    GError ** error)
{
  return parse_checked (text, what, "group", check_group, out, error);
}

/**
 * mctx_parse_source:
 * @text: a unicast source address
 * @what: (nullable): the setting's name for error messages ("source")
 * @out: (out caller-allocates): the parsed source
 * @error: return location for a #GError
 *
 * Parses and validates a unicast source address: not multicast, not
 * unspecified, and a scope id only on link-local addresses.
 *
 * Returns: %TRUE on success
 */
gboolean
mctx_parse_source (const gchar * text, const gchar * what, MctxAddress * out,
    GError ** error)
{
  return parse_checked (text, what, "source", mctx_address_check_source, out,
      error);
}

/**
 * mctx_split_list:
 * @text: (nullable): a comma-separated list
 * @what: (nullable): the setting's name for error messages
 * @error: return location for a #GError
 *
 * Splits a comma-separated list, trimming blanks around entries. Empty and
 * duplicate entries are errors (%MCTX_ERROR_INVALID_VALUE). %NULL or an
 * empty string give an empty list.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   entries, or %NULL on error
 */
gchar **
mctx_split_list (const gchar * text, const gchar * what, GError ** error)
{
  gchar **parts;
  guint i, j;

  if (what == NULL)
    what = "list";
  if (text == NULL)
    return g_new0 (gchar *, 1);
  {
    const gchar *p = text;

    while (g_ascii_isspace (*p))
      p++;
    if (*p == '\0')
      return g_new0 (gchar *, 1);
  }

  parts = g_strsplit (text, ",", -1);
  for (i = 0; parts[i] != NULL; i++) {
    g_strstrip (parts[i]);
    if (parts[i][0] == '\0') {
      mctx_set_error (error, what, MCTX_ERROR_INVALID_VALUE,
          "%s '%s' has an empty entry", what, text);
      g_strfreev (parts);
      return NULL;
    }
    for (j = 0; j < i; j++) {
      if (g_strcmp0 (parts[i], parts[j]) == 0) {
        mctx_set_error (error, what, MCTX_ERROR_INVALID_VALUE,
            "%s '%s' lists '%s' twice", what, text, parts[i]);
        g_strfreev (parts);
        return NULL;
      }
    }
  }
  return parts;
}

static GArray *
parse_source_strv (const gchar * const *entries, const gchar * text,
    const gchar * what, GError ** error)
{
  GArray *arr = g_array_new (FALSE, TRUE, sizeof (MctxAddress));
  guint i, j;

  for (i = 0; entries != NULL && entries[i] != NULL; i++) {
    MctxAddress addr;

    if (!mctx_parse_source (entries[i], what, &addr, error))
      goto fail;
    for (j = 0; j < arr->len; j++) {
      MctxAddress *prev = &g_array_index (arr, MctxAddress, j);

      if (prev->family != addr.family) {
        mctx_set_error (error, what, MCTX_ERROR_FAMILY_MISMATCH,
            "%s '%s' mixes IPv4 and IPv6 addresses ('%s')", what, text,
            entries[i]);
        goto fail;
      }
      if (mctx_address_equal (prev, &addr)) {
        mctx_set_error (error, what, MCTX_ERROR_INVALID_VALUE,
            "%s '%s' lists '%s' twice", what, text, entries[i]);
        goto fail;
      }
    }
    g_array_append_val (arr, addr);
  }
  return arr;

fail:
  g_array_unref (arr);
  return NULL;
}

GArray *
mctx_parse_source_strv (const gchar * const *entries, const gchar * what,
    GError ** error)
{
  gchar *text = entries ? g_strjoinv (",", (gchar **) entries) : g_strdup ("");
  GArray *arr;
  guint i;

  for (i = 0; entries != NULL && entries[i] != NULL; i++) {
    if (entries[i][0] == '\0') {
      mctx_set_error (error, what, MCTX_ERROR_INVALID_VALUE,
          "%s '%s' has an empty entry", what, text);
      g_free (text);
      return NULL;
    }
  }
  arr = parse_source_strv (entries, text, what, error);
  g_free (text);
  return arr;
}

/**
 * mctx_parse_address_list: (skip)
 * @text: (nullable): comma-separated unicast source addresses
 * @what: (nullable): the setting's name for error messages ("sources")
 * @error: return location for a #GError
 *
 * Parses a list of source addresses: every entry must be a valid source,
 * all of one family, none repeated.
 *
 * Returns: (transfer full) (element-type MctxAddress) (nullable): the
 *   addresses, or %NULL on error
 */
GArray *
mctx_parse_address_list (const gchar * text, const gchar * what,
    GError ** error)
{
  gchar **parts;
  GArray *arr;

  if (what == NULL)
    what = "sources";
  parts = mctx_split_list (text, what, error);
  if (parts == NULL)
    return NULL;
  arr = parse_source_strv ((const gchar * const *) parts, text, what, error);
  g_strfreev (parts);
  return arr;
}

/**
 * mctx_check_port:
 * @port: a port number
 * @what: (nullable): the setting's name for error messages ("port")
 * @allow_zero: whether 0 (any) is allowed
 * @error: return location for a #GError
 *
 * Returns: %TRUE when @port is in range, else %MCTX_ERROR_INVALID_PORT
 */
gboolean
mctx_check_port (guint port, const gchar * what, gboolean allow_zero,
    GError ** error)
{
  if (what == NULL)
    what = "port";
  if ((port == 0 && !allow_zero) || port > 65535) {
    mctx_set_error (error, what, MCTX_ERROR_INVALID_PORT,
        "%s %u is out of range (%u..65535)", what, port, allow_zero ? 0 : 1);
    return FALSE;
  }
  return TRUE;
}
