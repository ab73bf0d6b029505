/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxlegs.c: a redundant leg's settings from its mctx:// URI. The URI
 * carries what differs per leg (group, port, sources, interfaces, TTL,
 * DSCP, ...): exactly the query keys of the element's own URIs that map
 * to a libmctx setting. Element-wide keys (mtu, timeout) are refused in a
 * leg's URI: they would silently apply to both legs or to none.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxlegs.h"
#include "gstmctxuri.h"

/* @text (a URI value) read as @row's property of @element, the way the
 * element's own URI reads it, then set as @row's libmctx setting on @lib */
static gboolean
apply_text (GObject * element, const GstMctxSetting * row,
    const gchar * text, const gchar * uri, GObject * lib, GError ** error)
{
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (element),
      row->property);
  GValue v = G_VALUE_INIT;
  gboolean ok;

  if (!gst_mctx_uri_value_from_string (pspec, text, &v, uri, error))
    return FALSE;
  ok = gst_mctx_bridge_apply_setting (lib, row, &v, error);
  g_value_unset (&v);
  return ok;
}

/**
 * gst_mctx_legs_apply_uri:
 * @element: the element (its property types parse the URI's values)
 * @table: its settings table
 * @source_property: the property the part before '@' sets
 * @uri: the leg's mctx:// URI
 * @lib: a closed #MctxPublication or #MctxSubscription
 *
 * Sets @lib's group, port, source(s) and every query key of @uri, each
 * value read as in the element's own URIs. Keys that are no per-leg
 * setting of the element are refused.
 *
 * Returns: %FALSE with an #MCTX_ERROR or a #GST_URI_ERROR
 */
gboolean
gst_mctx_legs_apply_uri (GObject * element, const GstMctxSetting * table,
    const gchar * source_property, const gchar * uri, GObject * lib,
    GError ** error)
{
  MctxUri *parsed;
  gint row;
  gchar *joined;
  gboolean ok = FALSE;
  guint i;

  parsed = gst_mctx_uri_parse (uri, error);
  if (parsed == NULL)
    return FALSE;

  g_object_set (lib, "group", parsed->group, "port", parsed->port, NULL);
  joined = parsed->sources ? g_strjoinv (",", parsed->sources) : NULL;
  if (joined != NULL && !apply_text (element,
          &table[gst_mctx_settings_find_row (table, source_property)],
          joined, uri, lib, error))
    goto done;
  for (i = 0; parsed->keys[i] != NULL; i++) {
    const gchar *key = parsed->keys[i];

    row = gst_mctx_settings_find_row (table, key);
    if (row < 0 || table[row].setting == NULL
        || (!(table[row].flags & GST_MCTX_SETTING_URI)
            && !g_str_equal (key, source_property))) {
      g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
          "parameter '%s' is not a setting of one leg (set it on the "
          "element)", key);
      goto done;
    }
    if (!apply_text (element, &table[row], parsed->values[i], uri, lib,
            error))
      goto done;
  }
  ok = TRUE;

done:
  g_free (joined);
  mctx_uri_free (parsed);
  return ok;
}
