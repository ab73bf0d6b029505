/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxuri.h: mctx:// URI parsing and production shared by mctxsink and
 * mctxsrc.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_MCTX_URI_SCHEME "mctx"
#define GST_MCTX_URI_UDP_SCHEME "udp"
#define GST_MCTX_URI_DEFAULT_PORT 5004

/**
 * GstMctxUri:
 * @source: the part before '@' with brackets and escapes removed (a comma
 *   separated list of addresses), or %NULL
 * @group: the multicast group, brackets and escapes removed
 * @port: the port, %GST_MCTX_URI_DEFAULT_PORT when the URI has none
 * @keys: the query keys, unescaped, in URI order
 * @values: the query values, unescaped, same order as @keys
 *
 * A parsed `mctx://[source@]group[:port][?key=value&...]` URI.
 */
typedef struct
{
  gchar *source;
  gchar *group;
  guint port;
  GPtrArray *keys;
  GPtrArray *values;
} GstMctxUri;

gsize gst_mctx_uri_scheme_length (const gchar * uri);
gboolean gst_mctx_uri_parse (const gchar * uri, GstMctxUri * out,
    GError ** error);
void gst_mctx_uri_clear (GstMctxUri * uri);
gchar *gst_mctx_uri_build (const gchar * source, const gchar * group,
    guint port, GPtrArray * keys, GPtrArray * values);

gboolean gst_mctx_uri_set_on_object (GObject * object, const gchar * uri,
    const gchar * source_property, const gchar * const *query_properties,
    GError ** error);
gchar *gst_mctx_uri_get_from_object (GObject * object,
    const gchar * source_property, const gchar * const *query_properties);

/**
 * GstMctxUriHandlerInfo:
 * @type: source or sink
 * @source_property: the property the part before '@' sets
 * @query_properties: the properties URIs carry as query keys, in the order
 *   they are written (may be filled in class_init)
 *
 * What the one GstURIHandler implementation needs to know of an element.
 */
typedef struct
{
  GstURIType type;
  const gchar *source_property;
  const gchar *const *query_properties;
} GstMctxUriHandlerInfo;

void gst_mctx_uri_handler_add (GType type, const GstMctxUriHandlerInfo * info);
void gst_mctx_uri_set_property (GObject * object, const GValue * value);
const GError *gst_mctx_uri_get_property_error (GObject * object,
    const gchar ** uri);

G_END_DECLS
