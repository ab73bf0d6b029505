/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxcommon.c: helpers shared by mctxsink and mctxsrc.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxcommon.h"

#include <string.h>

GST_DEBUG_CATEGORY (gst_mctx_debug);

/**
 * gst_mctx_set_lib_property:
 * @object: a libmctx object
 * @name: its property name
 * @value: the value, converted to the property's type if needed
 * @error: return location for an error
 *
 * Like g_object_set_property(), but reports a missing property, a value
 * that cannot be converted or a value out of the property's range as an
 * error instead of a warning that leaves the old value in place.
 */
gboolean
gst_mctx_set_lib_property (GObject * object, const gchar * name,
    const GValue * value, GError ** error)
{
  GParamSpec *pspec;
  GValue tmp = G_VALUE_INIT;
  gchar *contents;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE))
    goto no_property;

  g_value_init (&tmp, G_PARAM_SPEC_VALUE_TYPE (pspec));
  if (!g_value_transform (value, &tmp))
    goto wrong_type;
  if (g_param_value_validate (pspec, &tmp))
    goto out_of_range;

  g_object_set_property (object, name, &tmp);
  g_value_unset (&tmp);
  return TRUE;

  /* ERRORS */
no_property:
  {
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_FAILED,
        "%s has no writable property '%s'", G_OBJECT_TYPE_NAME (object), name);
    return FALSE;
  }
wrong_type:
  {
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_FAILED,
        "Cannot convert %s to %s for property '%s' of %s",
        G_VALUE_TYPE_NAME (value), g_type_name (G_VALUE_TYPE (&tmp)), name,
        G_OBJECT_TYPE_NAME (object));
    g_value_unset (&tmp);
    return FALSE;
  }
out_of_range:
  {
    contents = g_strdup_value_contents (value);
    g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
        "Value %s is out of range for '%s'", contents, name);
    g_free (contents);
    g_value_unset (&tmp);
    return FALSE;
  }
}

gboolean
gst_mctx_set_lib_string (GObject * object, const gchar * name,
    const gchar * value, GError ** error)
{
  GValue v = G_VALUE_INIT;
  gboolean ret;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_string (&v, value);
  ret = gst_mctx_set_lib_property (object, name, &v, error);
  g_value_unset (&v);
  return ret;
}

gboolean
gst_mctx_set_lib_strv (GObject * object, const gchar * name, gchar ** value,
    GError ** error)
{
  GValue v = G_VALUE_INIT;
  gboolean ret;

  g_value_init (&v, G_TYPE_STRV);
  g_value_set_boxed (&v, value);
  ret = gst_mctx_set_lib_property (object, name, &v, error);
  g_value_unset (&v);
  return ret;
}

gboolean
gst_mctx_set_lib_int (GObject * object, const gchar * name, gint value,
    GError ** error)
{
  GValue v = G_VALUE_INIT;
  gboolean ret;

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, value);
  ret = gst_mctx_set_lib_property (object, name, &v, error);
  g_value_unset (&v);
  return ret;
}

gboolean
gst_mctx_set_lib_uint (GObject * object, const gchar * name, guint value,
    GError ** error)
{
  GValue v = G_VALUE_INIT;
  gboolean ret;

  g_value_init (&v, G_TYPE_UINT);
  g_value_set_uint (&v, value);
  ret = gst_mctx_set_lib_property (object, name, &v, error);
  g_value_unset (&v);
  return ret;
}

gboolean
gst_mctx_set_lib_boolean (GObject * object, const gchar * name,
    gboolean value, GError ** error)
{
  GValue v = G_VALUE_INIT;
  gboolean ret;

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, value);
  ret = gst_mctx_set_lib_property (object, name, &v, error);
  g_value_unset (&v);
  return ret;
}

/**
 * gst_mctx_settings_message:
 * @property: the element property the error is about
 * @value: (nullable): its value
 * @error: the libmctx error
 *
 * Returns: (transfer full): "Invalid value for property 'P': MESSAGE", with
 *   the value appended when the message does not already quote it
 */
gchar *
gst_mctx_settings_message (const gchar * property, const gchar * value,
    const GError * error)
{
  const gchar *msg = error ? error->message : "invalid value";

  if (value == NULL || *value == '\0')
    return g_strdup_printf ("Invalid value for property '%s': %s", property,
        msg);
  if (strstr (msg, value) != NULL)
    return g_strdup_printf ("Invalid value for property '%s': %s", property,
        msg);
  return g_strdup_printf ("Invalid value for property '%s': %s (value '%s')",
      property, msg, value);
}

/**
 * gst_mctx_socket_address_to_string:
 * @addr: (nullable): a #GInetSocketAddress
 *
 * Returns: (transfer full) (nullable): "ADDRESS:PORT", with the IPv6
 *   address in brackets
 */
gchar *
gst_mctx_socket_address_to_string (GSocketAddress * addr)
{
  GInetAddress *inet;
  gchar *host, *res;
  guint port;

  if (addr == NULL || !G_IS_INET_SOCKET_ADDRESS (addr))
    return NULL;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    res = g_strdup_printf ("[%s]:%u", host, port);
  else
    res = g_strdup_printf ("%s:%u", host, port);
  g_free (host);
  return res;
}

/* Maps a libmctx setting name (mctx_error_get_setting()) to the element's
 * property through @pairs, a NULL-terminated list of (setting, property)
 * pairs; NULL when the setting is NULL or not the element's. */
const gchar *
gst_mctx_property_for_setting (const gchar * setting,
    const gchar * const *pairs)
{
  guint i;

  for (i = 0; setting != NULL && pairs[i] != NULL; i += 2)
    if (g_str_equal (pairs[i], setting))
      return pairs[i + 1];
  return NULL;
}
