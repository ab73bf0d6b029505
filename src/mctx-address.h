/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"

G_BEGIN_DECLS

/**
 * MctxAddress:
 * @family: %G_SOCKET_FAMILY_IPV4 or %G_SOCKET_FAMILY_IPV6
 * @bytes: the address in network byte order (4 or 16 bytes used)
 * @scope_id: IPv6 scope id (interface index) or 0
 *
 * A parsed IP address, held by value so the hot path never allocates.
 */
typedef struct
{
  GSocketFamily family;
  guint8 bytes[16];
  guint32 scope_id;
} MctxAddress;

#define MCTX_TYPE_ADDRESS (mctx_address_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_address_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxAddress *mctx_address_copy (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
void mctx_address_free (MctxAddress * addr);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_parse (const gchar * text, const gchar * what,
    MctxAddress * out, GError ** error);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_address_to_string (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_equal (const MctxAddress * a, const MctxAddress * b);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_is_multicast (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_is_ssm (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_is_unspecified (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_is_link_local (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_address_needs_interface (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
GInetAddress *mctx_address_to_inet_address (const MctxAddress * addr);
MCTX_AVAILABLE_IN_ALL
void mctx_address_from_inet_address (GInetAddress * inet, MctxAddress * out);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_parse_group (const gchar * text, const gchar * what,
    MctxAddress * out, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_parse_source (const gchar * text, const gchar * what,
    MctxAddress * out, GError ** error);
MCTX_AVAILABLE_IN_ALL
GArray *mctx_parse_address_list (const gchar * text, const gchar * what,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
gchar **mctx_split_list (const gchar * text, const gchar * what,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_check_port (guint port, const gchar * what, gboolean allow_zero,
    GError ** error);

G_END_DECLS
