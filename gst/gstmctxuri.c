/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxuri.c: mctx:// URIs onto mctxsink's and mctxsrc's properties and
 * back, and their GstURIHandler. The syntax is libmctx's (mctx_uri_parse(),
 * mctx_uri_to_string()); what is element-specific is here: query keys are
 * property names. The URI form is
 *
 *   mctx://[source[,source...]@]group[:port][/][?key=value[&key=value...]]
 *
 * IPv6 addresses (group and sources) are written in brackets, e.g.
 * `mctx://[2001:db8::1]@[ff3e::1]:5004`; a zone id is written `%25zone`.
 * Query keys are element property names. A URI describes the whole
 * configuration that URIs can carry: properties it does not mention are
 * reset to their defaults when it is set, and the URI read back from an
 * element names every such property that differs from its default, in a
 * fixed order, so that setting and reading back round-trips.
 *
 * udpsrc's and udpsink's `udp://group:port` URIs parse the same way (same
 * rules, same query keys) when set through the "uri" property; they read
 * back as mctx:// URIs.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxuri.h"

#include <string.h>

/* Source lists given as parameters may be empty (unset) but must not have
 * blank entries: such a URI could not be written back. */
static gboolean
check_list_values (const MctxUri * parsed, const gchar * uri, GError ** error)
{
  guint i;

  for (i = 0; parsed->keys[i] != NULL; i++) {
    const gchar *key = parsed->keys[i];
    const gchar *value = parsed->values[i];
    gchar **items;
    gboolean blank = FALSE;
    guint j;

    if (*value == '\0' || (!g_str_equal (key, "source")
            && !g_str_equal (key, "sources")
            && !g_str_equal (key, "exclude-sources")))
      continue;
    items = g_strsplit (value, ",", -1);
    for (j = 0; items[j] != NULL; j++)
      blank |= *g_strstrip (items[j]) == '\0';
    g_strfreev (items);
    if (blank) {
      g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
          "Empty entry in parameter '%s' ('%s') of URI '%s'", key, value, uri);
      return FALSE;
    }
  }
  return TRUE;
}

/**
 * gst_mctx_uri_parse:
 * @uri: (nullable): the URI text
 * @error: return location for an #MCTX_ERROR
 *
 * mctx_uri_parse(), and source lists given as query keys ("source",
 * "sources", "exclude-sources") refused when they have blank entries. It
 * does not check that the addresses are valid: the elements do that when
 * they start, with messages that name the property.
 *
 * Returns: (transfer full) (nullable): the parts
 */
MctxUri *
gst_mctx_uri_parse (const gchar * uri, GError ** error)
{
  MctxUri *parsed = mctx_uri_parse (uri, error);

  if (parsed != NULL && !check_list_values (parsed, uri, error))
    g_clear_pointer (&parsed, mctx_uri_free);
  return parsed;
}

/* an MCTX_ERROR of the parser as the GST_URI_ERROR GstURIHandler wants:
 * UNSUPPORTED_PROTOCOL when @uri is not in one of the parser's schemes,
 * BAD_URI for the rest. The error's setting tag cannot tell: a query key
 * "scheme" given twice is tagged "scheme" too. */
static void
set_uri_error (GError ** error, GError * err, const gchar * uri)
{
  gboolean known_scheme = uri == NULL
      || g_ascii_strncasecmp (uri, "mctx://", 7) == 0
      || g_ascii_strncasecmp (uri, "udp://", 6) == 0;

  g_set_error_literal (error, GST_URI_ERROR, known_scheme ?
      GST_URI_ERROR_BAD_URI : GST_URI_ERROR_UNSUPPORTED_PROTOCOL,
      err->message);
  g_error_free (err);
}

/**
 * gst_mctx_uri_value_from_string:
 * @pspec: the property
 * @text: a URI query value
 * @value: (out caller-allocates): an uninitialised #GValue; set on success
 * @uri: the URI, for the message
 *
 * Converts URI text to a value of @pspec's type (integers in base 10,
 * booleans true/false/1/0/yes/no, an empty string unset), checking its
 * range: the one reading of URI values, the element's own URI and a
 * redundant leg's alike.
 *
 * Returns: %FALSE with a #GST_URI_ERROR quoting @text
 */
gboolean
gst_mctx_uri_value_from_string (GParamSpec * pspec, const gchar * text,
    GValue * value, const gchar * uri, GError ** error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gboolean ok = TRUE;

  g_value_init (value, type);

  if (type == G_TYPE_STRING) {
    g_value_set_string (value, *text ? text : NULL);
  } else if (type == G_TYPE_BOOLEAN) {
    if (!g_ascii_strcasecmp (text, "true") || !strcmp (text, "1")
        || !g_ascii_strcasecmp (text, "yes"))
      g_value_set_boolean (value, TRUE);
    else if (!g_ascii_strcasecmp (text, "false") || !strcmp (text, "0")
        || !g_ascii_strcasecmp (text, "no"))
      g_value_set_boolean (value, FALSE);
    else
      ok = FALSE;
  } else if (type == G_TYPE_INT || type == G_TYPE_INT64) {
    gint64 v;

    ok = g_ascii_string_to_signed (text, 10,
        type == G_TYPE_INT ? G_MININT : G_MININT64,
        type == G_TYPE_INT ? G_MAXINT : G_MAXINT64, &v, NULL);
    if (ok && type == G_TYPE_INT)
      g_value_set_int (value, (gint) v);
    else if (ok)
      g_value_set_int64 (value, v);
  } else if (type == G_TYPE_UINT || type == G_TYPE_UINT64) {
    guint64 v;

    ok = g_ascii_string_to_unsigned (text, 10, 0,
        type == G_TYPE_UINT ? G_MAXUINT : G_MAXUINT64, &v, NULL);
    if (ok && type == G_TYPE_UINT)
      g_value_set_uint (value, (guint) v);
    else if (ok)
      g_value_set_uint64 (value, v);
  } else {
    ok = FALSE;
  }

  /* g_param_value_validate() returns TRUE when it had to change the value */
  if (ok && g_param_value_validate (pspec, value))
    ok = FALSE;

  if (!ok) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Invalid value '%s' for parameter '%s' in URI '%s'", text,
        g_param_spec_get_name (pspec), uri);
    g_value_unset (value);
  }
  return ok;
}

static gchar *
value_to_string (const GValue * value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_STRING)
    return g_value_dup_string (value);
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (g_value_get_boolean (value) ? "true" : "false");
  if (type == G_TYPE_INT)
    return g_strdup_printf ("%d", g_value_get_int (value));
  if (type == G_TYPE_UINT)
    return g_strdup_printf ("%u", g_value_get_uint (value));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, g_value_get_int64 (value));
  if (type == G_TYPE_UINT64)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, g_value_get_uint64 (value));
  return NULL;
}

static gboolean
strv_contains (const gchar * const *strv, const gchar * str)
{
  return strv != NULL && g_strv_contains (strv, str);
}

/**
 * gst_mctx_uri_set_on_object:
 * @object: the element
 * @uri: the URI
 * @source_property: the property the part before '@' sets ("source" or
 *   "sources"); it may also be given as a query key
 * @query_properties: the properties URIs carry as query keys
 * @error: return location for a #GST_URI_ERROR
 *
 * Parses @uri and, if all of it is valid, sets "address", "port",
 * @source_property and every one of @query_properties (to its default when
 * @uri does not name it). Nothing is changed when this fails.
 */
gboolean
gst_mctx_uri_set_on_object (GObject * object, const gchar * uri,
    const gchar * source_property, const gchar * const *query_properties,
    GError ** error)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  MctxUri *parsed;
  GValue *values;
  guint n_props, i;
  const gchar *source;
  gchar *joined;
  gboolean ok = FALSE;
  GError *err = NULL;

  parsed = gst_mctx_uri_parse (uri, &err);
  if (parsed == NULL) {
    set_uri_error (error, err, uri);
    return FALSE;
  }

  n_props = query_properties ? g_strv_length ((gchar **) query_properties) : 0;
  values = g_new0 (GValue, n_props);
  joined = parsed->sources ? g_strjoinv (",", parsed->sources) : NULL;
  source = joined;

  for (i = 0; parsed->keys[i] != NULL; i++) {
    const gchar *key = parsed->keys[i];

    if (g_str_equal (key, source_property)) {
      if (source != NULL) {
        g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
            "'%s' given both before '@' and as a parameter in URI '%s'",
            source_property, uri);
        goto done;
      }
      source = parsed->values[i];
      continue;
    }
    if (!strv_contains (query_properties, key)) {
      g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
          "Unknown parameter '%s' in URI '%s'", key, uri);
      goto done;
    }
  }

  for (i = 0; i < n_props; i++) {
    GParamSpec *pspec = g_object_class_find_property (klass,
        query_properties[i]);
    const gchar *text = mctx_uri_lookup (parsed, query_properties[i]);

    g_assert (pspec != NULL);
    if (text != NULL) {
      if (!gst_mctx_uri_value_from_string (pspec, text, &values[i], uri,
              error))
        goto done;
    } else {
      g_value_init (&values[i], G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_param_value_set_default (pspec, &values[i]);
    }
  }

  g_object_freeze_notify (object);
  g_object_set (object, "address", parsed->group, "port", parsed->port,
      source_property, source, NULL);
  for (i = 0; i < n_props; i++)
    g_object_set_property (object, query_properties[i], &values[i]);
  g_object_thaw_notify (object);
  ok = TRUE;

done:
  for (i = 0; i < n_props; i++) {
    if (G_IS_VALUE (&values[i]))
      g_value_unset (&values[i]);
  }
  g_free (values);
  g_free (joined);
  mctx_uri_free (parsed);
  return ok;
}

/**
 * gst_mctx_uri_get_from_object:
 * @object: the element
 * @source_property: the property written before '@'
 * @query_properties: the properties URIs carry, in the order to write them
 *
 * Returns: (transfer full) (nullable): the element's URI, or %NULL when its
 *   "address" is not set
 */
gchar *
gst_mctx_uri_get_from_object (GObject * object, const gchar * source_property,
    const gchar * const *query_properties)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (object);
  MctxUri parts = { NULL };
  GPtrArray *keys, *values;
  gchar *address = NULL, *source = NULL, *res;
  guint i;

  g_object_get (object, "address", &address, "port", &parts.port,
      source_property, &source, NULL);
  if (address == NULL || *address == '\0') {
    g_free (address);
    g_free (source);
    return NULL;
  }

  keys = g_ptr_array_new ();
  values = g_ptr_array_new_with_free_func (g_free);

  for (i = 0; query_properties != NULL && query_properties[i] != NULL; i++) {
    GParamSpec *pspec = g_object_class_find_property (klass,
        query_properties[i]);
    GValue value = G_VALUE_INIT;
    gchar *text;

    g_assert (pspec != NULL);
    g_value_init (&value, G_PARAM_SPEC_VALUE_TYPE (pspec));
    g_object_get_property (object, query_properties[i], &value);
    if (!g_param_value_defaults (pspec, &value)) {
      text = value_to_string (&value);
      if (text != NULL && *text != '\0') {
        g_ptr_array_add (keys, (gpointer) query_properties[i]);
        g_ptr_array_add (values, text);
      } else {
        g_free (text);
      }
    }
    g_value_unset (&value);
  }
  g_ptr_array_add (keys, NULL);
  g_ptr_array_add (values, NULL);

  /* blank entries (a property set by hand to "a,,b") are left out */
  parts.sources = source ? g_strsplit (source, ",", -1) : NULL;
  parts.group = address;
  parts.keys = (gchar **) keys->pdata;
  parts.values = (gchar **) values->pdata;
  res = mctx_uri_to_string (&parts);

  g_strfreev (parts.sources);
  g_ptr_array_unref (keys);
  g_ptr_array_unref (values);
  g_free (address);
  g_free (source);
  return res;
}

/*** GstURIHandler, for both elements ****************************************/

static G_DEFINE_QUARK (gst_mctx_uri_handler_info, handler_info);

static const GstMctxUriHandlerInfo *
handler_info (GType type)
{
  return g_type_get_qdata (type, handler_info_quark ());
}

static GstURIType
handler_get_type (GType type)
{
  return handler_info (type)->type;
}

static const gchar *const *
handler_get_protocols (GType type)
{
  static const gchar *protocols[] = { "mctx", NULL };

  return protocols;
}

static gchar *
handler_get_uri (GstURIHandler * handler)
{
  const GstMctxUriHandlerInfo *info = handler_info (G_OBJECT_TYPE (handler));

  return gst_mctx_uri_get_from_object (G_OBJECT (handler),
      info->source_property, info->query_properties);
}

/* a setting that did not apply when it was set (a property setter cannot
 * fail), kept as qdata on the element for the next start to report */
typedef struct
{
  gchar *property;
  gchar *value;
  GError *error;
} KeptError;

static void
kept_error_free (gpointer data)
{
  KeptError *e = data;

  g_free (e->property);
  g_free (e->value);
  g_clear_error (&e->error);
  g_free (e);
}

/**
 * gst_mctx_keep_error:
 * @element: the element
 * @kind: which setting: one error of each kind is kept
 * @property: the property the start error will name
 * @value: (nullable): the value it will quote
 * @error: (transfer full) (nullable): why it did not apply; %NULL forgets
 *   the kept one (the setting applied)
 */
void
gst_mctx_keep_error (GObject * element, GQuark kind, const gchar * property,
    const gchar * value, GError * error)
{
  KeptError *e;

  if (error == NULL) {
    g_object_set_qdata (element, kind, NULL);
    return;
  }
  e = g_new0 (KeptError, 1);
  e->property = g_strdup (property);
  e->value = g_strdup (value);
  e->error = error;
  g_object_set_qdata_full (element, kind, e, kept_error_free);
}

/**
 * gst_mctx_get_kept_error:
 * @property: (out) (transfer none): the property to name
 * @value: (out) (transfer none) (nullable): the value to quote
 *
 * Returns: (transfer none) (nullable): the error kept for @kind, or %NULL
 */
const GError *
gst_mctx_get_kept_error (GObject * element, GQuark kind,
    const gchar ** property, const gchar ** value)
{
  KeptError *e = g_object_get_qdata (element, kind);

  *property = e ? e->property : NULL;
  *value = e ? e->value : NULL;
  return e ? e->error : NULL;
}

/* the kind of the error kept for start (gst_mctx_keep_error()): a
 * URI set through the "uri" property that did not parse */
G_DEFINE_QUARK (gst_mctx_uri_bad_uri, gst_mctx_uri_bad);

static gboolean
handler_set_uri (GstURIHandler * handler, const gchar * uri, GError ** error)
{
  const GstMctxUriHandlerInfo *info = handler_info (G_OBJECT_TYPE (handler));

  if (!gst_mctx_uri_set_on_object (G_OBJECT (handler), uri,
          info->source_property, info->query_properties, error))
    return FALSE;
  gst_mctx_keep_error (G_OBJECT (handler), gst_mctx_uri_bad_quark (),
      NULL, NULL, NULL);
  return TRUE;
}

static void
handler_iface_init (gpointer g_iface, gpointer iface_data)
{
  GstURIHandlerInterface *iface = g_iface;

  iface->get_type = handler_get_type;
  iface->get_protocols = handler_get_protocols;
  iface->get_uri = handler_get_uri;
  iface->set_uri = handler_set_uri;
}

/**
 * gst_mctx_uri_handler_add:
 * @type: the element type, while it is being registered
 * @info: (transfer none): kept for good
 *
 * Implements GstURIHandler on @type.
 */
void
gst_mctx_uri_handler_add (GType type, const GstMctxUriHandlerInfo * info)
{
  const GInterfaceInfo iface_info = { handler_iface_init, NULL, NULL };

  g_type_set_qdata (type, handler_info_quark (), (gpointer) info);
  g_type_add_interface_static (type, GST_TYPE_URI_HANDLER, &iface_info);
}

/**
 * gst_mctx_uri_set_property:
 * @object: the element
 * @value: the "uri" property's new value
 *
 * Sets the URI. One that does not parse changes no setting (a property
 * setter cannot fail); it is kept (gst_mctx_keep_error()), so that
 * the element refuses to start with it instead of dropping it unreported.
 * A URI that parses clears it.
 */
void
gst_mctx_uri_set_property (GObject * object, const GValue * value)
{
  const gchar *uri = g_value_get_string (value);
  GError *err = NULL;
  gboolean ok;

  /* udp:// (udpsrc's and udpsink's URIs) only through the property: the
   * GstURIHandler interface offers mctx:// alone, so that playbin and
   * gst_element_make_from_uri() keep picking udpsrc for udp:// (unicast
   * included) */
  if (uri != NULL && g_ascii_strncasecmp (uri, "udp://", 6) == 0)
    ok = handler_set_uri (GST_URI_HANDLER (object), uri, &err);
  else
    ok = gst_uri_handler_set_uri (GST_URI_HANDLER (object), uri, &err);
  if (ok)
    return;
  GST_WARNING_OBJECT (object, "Could not set URI: %s", err->message);
  gst_mctx_keep_error (object, gst_mctx_uri_bad_quark (), "uri", uri, err);
}
