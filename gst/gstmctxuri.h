/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxuri.h: mctx:// URIs onto mctxsink's and mctxsrc's properties and
 * back; the syntax is libmctx's (MctxUri).
 */
#pragma once

#include <gst/gst.h>
#include <mctx.h>

G_BEGIN_DECLS

MctxUri *gst_mctx_uri_parse (const gchar * uri, GError ** error);

gboolean gst_mctx_uri_value_from_string (GParamSpec * pspec,
    const gchar * text, GValue * value, const gchar * uri, GError ** error);
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
GQuark gst_mctx_uri_bad_quark (void);

void gst_mctx_keep_error (GObject * element, GQuark kind,
    const gchar * property, const gchar * value, GError * error);
const GError *gst_mctx_get_kept_error (GObject * element, GQuark kind,
    const gchar ** property, const gchar ** value);

G_END_DECLS
