/* libmctx - IP multicast sender/receiver library
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mctx-uri.h: the syntax of mctx:// URIs, shared by the GStreamer elements
 * and mctx-monitor.
 */
#pragma once

#include "mctx-inside.h"

#include <glib-object.h>
#include "mctx-version.h"

G_BEGIN_DECLS

/**
 * MCTX_URI_DEFAULT_PORT:
 *
 * The port of a URI that names none, and the default of the
 * #MctxPublication:port and #MctxSubscription:port properties.
 *
 * Since: 0.2
 */
#define MCTX_URI_DEFAULT_PORT 5004

/**
 * MctxUri:
 * @scheme: "mctx" or "udp", in lower case
 * @sources: (array zero-terminated=1) (nullable): the addresses before
 *   '@', brackets and escapes removed, or %NULL when there is no '@'
 * @group: the group, brackets and escapes removed
 * @port: the port, %MCTX_URI_DEFAULT_PORT when the URI has none
 * @keys: (array zero-terminated=1): the query keys, unescaped, in URI
 *   order, each at most once
 * @values: (array zero-terminated=1): the query values, unescaped, in the
 *   order of @keys (an empty value stays "")
 *
 * A parsed `mctx://[SOURCE[,SOURCE...]@]GROUP[:PORT][/][?KEY=VALUE&...]`
 * URI. Only the syntax is checked: addresses are not parsed and keys mean
 * nothing here; what they set is up to the caller.
 *
 * Since: 0.2
 */
typedef struct
{
  gchar *scheme;
  gchar **sources;
  gchar *group;
  guint port;
  gchar **keys;
  gchar **values;
} MctxUri;

#define MCTX_TYPE_URI (mctx_uri_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_uri_get_type (void) G_GNUC_CONST;

MCTX_AVAILABLE_IN_ALL
MctxUri *mctx_uri_parse (const gchar * text, GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxUri *mctx_uri_copy (const MctxUri * uri);
MCTX_AVAILABLE_IN_ALL
void mctx_uri_free (MctxUri * uri);
MCTX_AVAILABLE_IN_ALL
const gchar *mctx_uri_lookup (const MctxUri * uri, const gchar * key);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_uri_to_string (const MctxUri * uri);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MctxUri, mctx_uri_free)

G_END_DECLS
