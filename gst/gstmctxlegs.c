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

#include <string.h>

static const GstMctxSetting *
find_row (const GstMctxSetting * table, const gchar * property)
{
  guint i;

  for (i = 0; table[i].property != NULL; i++) {
    if (g_str_equal (table[i].property, property))
      return &table[i];
  }
  return NULL;
}

/* @text (a URI value) as @property of @element, then as @row's libmctx
 * setting on @lib */
static gboolean
apply_text (GObject * element, const GstMctxSetting * row,
    const gchar * text, GObject * lib, GError ** error)
{
  GParamSpec *epspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (element),
      row->property);
  GParamSpec *lpspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (lib), row->setting);
  GValue ev = G_VALUE_INIT, lv = G_VALUE_INIT;
  GType ltype;
  gboolean ok = FALSE;

  if (epspec == NULL || lpspec == NULL) {
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_FAILED,
        "'%s' cannot be set per leg", row->property);
    return FALSE;
  }
  ltype = G_PARAM_SPEC_VALUE_TYPE (lpspec);
  g_value_init (&lv, ltype);

  if (G_PARAM_SPEC_VALUE_TYPE (epspec) == G_TYPE_STRING) {
    gchar *stripped = g_strstrip (g_strdup (text));

    if (*stripped == '\0') {
      ok = TRUE;
    } else if (ltype == G_TYPE_STRV) {
      gchar **items = g_strsplit (stripped, ",", -1);
      guint i;

      for (i = 0; items[i] != NULL; i++)
        g_strstrip (items[i]);
      g_value_take_boxed (&lv, items);
      ok = TRUE;
    } else {
      g_value_set_string (&lv, stripped);
      ok = TRUE;
    }
    g_free (stripped);
  } else {
    g_value_init (&ev, G_PARAM_SPEC_VALUE_TYPE (epspec));
    if (!gst_value_deserialize (&ev, text)) {
      g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
          "'%s' value '%s' is not a valid %s", row->property, text,
          g_type_name (G_PARAM_SPEC_VALUE_TYPE (epspec)));
    } else if (g_param_value_validate (epspec, &ev)
        || !g_value_transform (&ev, &lv)
        || g_param_value_validate (lpspec, &lv)) {
      g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
          "'%s' value '%s' is out of range", row->property, text);
    } else {
      ok = TRUE;
    }
    g_value_unset (&ev);
  }

  if (ok && G_VALUE_TYPE (&lv) != G_TYPE_INVALID)
    g_object_set_property (lib, row->setting, &lv);
  g_value_unset (&lv);
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
 * Sets @lib's group, port, source(s) and every query key of @uri. Keys
 * that are no per-leg setting of the element are refused.
 *
 * Returns: %FALSE with an #MCTX_ERROR
 */
gboolean
gst_mctx_legs_apply_uri (GObject * element, const GstMctxSetting * table,
    const gchar * source_property, const gchar * uri, GObject * lib,
    GError ** error)
{
  MctxUri *parsed;
  const GstMctxSetting *row;
  gchar *joined;
  gboolean ok = FALSE;
  guint i;

  parsed = gst_mctx_uri_parse (uri, error);
  if (parsed == NULL)
    return FALSE;

  g_object_set (lib, "group", parsed->group, "port", parsed->port, NULL);
  joined = parsed->sources ? g_strjoinv (",", parsed->sources) : NULL;
  if (joined != NULL && !apply_text (element, find_row (table,
              source_property), joined, lib, error))
    goto done;
  for (i = 0; parsed->keys[i] != NULL; i++) {
    const gchar *key = parsed->keys[i];

    row = find_row (table, key);
    if (row == NULL || row->setting == NULL
        || (!(row->flags & GST_MCTX_SETTING_URI)
            && !g_str_equal (key, source_property))) {
      g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
          "parameter '%s' is not a setting of one leg (set it on the "
          "element)", key);
      goto done;
    }
    if (!apply_text (element, row, parsed->values[i], lib, error))
      goto done;
  }
  ok = TRUE;

done:
  g_free (joined);
  mctx_uri_free (parsed);
  return ok;
}
