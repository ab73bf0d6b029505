/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The little SDP reading libmctx does (SAP's display fields, the SAP group
 * of an SDP, the o= line of a deletion): lines by their type prefix and
 * whitespace-separated fields. Not an SDP parser (libmctx has none). */

/* The rest of the first line of @sdp (NULL-safe) that starts with @prefix
 * ("c=", "a=source-filter:"), up to the line end; NULL when none. */
gchar *mctx_sdp_line (const gchar * sdp, const gchar * prefix);

/* Field @n (0-based) of @text (NULL-safe), fields being separated by
 * spaces and tabs; NULL when there are fewer. */
gchar *mctx_sdp_field (const gchar * text, guint n);

/* The address of the first c= line (its third field) without a /ttl or
 * /count suffix; NULL when none. */
gchar *mctx_sdp_connection_address (const gchar * sdp);

G_END_DECLS
