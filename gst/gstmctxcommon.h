/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxcommon.h: helpers shared by mctxsink and mctxsrc.
 */
#pragma once

#include <gst/gst.h>
#include <mctx.h>

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_mctx_debug);

gboolean gst_mctx_set_lib_property (GObject * object, const gchar * name,
    const GValue * value, GError ** error);
gboolean gst_mctx_set_lib_string (GObject * object, const gchar * name,
    const gchar * value, GError ** error);
gboolean gst_mctx_set_lib_strv (GObject * object, const gchar * name,
    gchar ** value, GError ** error);
gboolean gst_mctx_set_lib_int (GObject * object, const gchar * name,
    gint value, GError ** error);
gboolean gst_mctx_set_lib_uint (GObject * object, const gchar * name,
    guint value, GError ** error);
gboolean gst_mctx_set_lib_boolean (GObject * object, const gchar * name,
    gboolean value, GError ** error);

gchar *gst_mctx_settings_message (const gchar * property,
    const gchar * value, const GError * error);
gchar *gst_mctx_socket_address_to_string (GSocketAddress * addr);

const gchar *gst_mctx_property_for_setting (const gchar * setting,
    const gchar * const *pairs);

G_END_DECLS
