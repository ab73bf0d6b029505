/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxuri.c: mctx:// URI parsing and production shared by mctxsink and
 * mctxsrc.
 *
 * The URI form is
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

/* characters left unescaped in query values and addresses */
#define VALUE_ALLOWED_CHARS ",:[]@"
#define ADDRESS_ALLOWED_CHARS ":"

void
gst_mctx_uri_clear (GstMctxUri * uri)
{
  g_clear_pointer (&uri->source, g_free);
  g_clear_pointer (&uri->group, g_free);
  g_clear_pointer (&uri->keys, g_ptr_array_unref);
  g_clear_pointer (&uri->values, g_ptr_array_unref);
  uri->port = 0;
}

static gchar *
unescape_part (const gchar * start, const gchar * end, const gchar * uri,
    const gchar * what, GError ** error)
{
  gchar *res = g_uri_unescape_segment (start, end, NULL);

  if (res == NULL) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Invalid escape sequence in the %s of URI '%s'", what, uri);
  }
  return res;
}

/* strips one pair of enclosing brackets and unescapes */
static gchar *
parse_address (const gchar * start, const gchar * end, const gchar * uri,
    const gchar * what, GError ** error)
{
  if (start == end)
    goto empty;

  if (*start == '[') {
    if (end - start < 2 || end[-1] != ']')
      goto bad_brackets;
    start++;
    end--;
    if (start == end)
      goto empty;
  } else if (memchr (start, ':', end - start) != NULL) {
    goto need_brackets;
  }

  if (memchr (start, '[', end - start) || memchr (start, ']', end - start))
    goto bad_brackets;

  return unescape_part (start, end, uri, what, error);

  /* ERRORS */
empty:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Empty %s in URI '%s'", what, uri);
    return NULL;
  }
bad_brackets:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Unbalanced brackets in the %s of URI '%s'", what, uri);
    return NULL;
  }
need_brackets:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "IPv6 %s must be written in brackets in URI '%s'", what, uri);
    return NULL;
  }
}

static gboolean
parse_source_list (const gchar * start, const gchar * end, const gchar * uri,
    gchar ** out, GError ** error)
{
  GString *res = g_string_new (NULL);
  const gchar *p = start;

  while (TRUE) {
    const gchar *comma = memchr (p, ',', end - p);
    const gchar *item_end = comma ? comma : end;
    gchar *addr;

    addr = parse_address (p, item_end, uri, "source", error);
    if (addr == NULL) {
      g_string_free (res, TRUE);
      return FALSE;
    }
    if (*g_strstrip (addr) == '\0' || strchr (addr, ',') != NULL) {
      /* neither could be written back ("mctx://,x@..."), and no address
       * contains a comma (it would be "%2C" here) */
      g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
          "%s source address in URI '%s'", *addr ? "Invalid" : "Empty", uri);
      g_free (addr);
      g_string_free (res, TRUE);
      return FALSE;
    }
    if (res->len > 0)
      g_string_append_c (res, ',');
    g_string_append (res, addr);
    g_free (addr);

    if (comma == NULL)
      break;
    p = comma + 1;
  }

  *out = g_string_free (res, FALSE);
  return TRUE;
}

/* Source lists given as parameters may be empty (unset) but must not have
 * blank entries: such a URI could not be written back. */
static gboolean
check_list_values (const GstMctxUri * out, const gchar * uri, GError ** error)
{
  guint i;

  for (i = 0; out->keys != NULL && i < out->keys->len; i++) {
    const gchar *key = g_ptr_array_index (out->keys, i);
    const gchar *value = g_ptr_array_index (out->values, i);
    gchar **items;
    gboolean blank = FALSE;
    guint j;

    if (value == NULL || *value == '\0' || (!g_str_equal (key, "source") &&
            !g_str_equal (key, "sources")
            && !g_str_equal (key, "exclude-sources")))
      continue;
    items = g_strsplit (value, ",", -1);
    for (j = 0; items[j] != NULL; j++)
      blank |= *g_strstrip (items[j]) == '\0';
    g_strfreev (items);
    if (blank) {
      g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
          "Empty entry in parameter '%s' ('%s') of URI '%s'", key, value, uri);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
parse_port (const gchar * start, const gchar * end, const gchar * uri,
    guint * port, GError ** error)
{
  guint64 val = 0;
  const gchar *p;

  if (start == end)
    goto invalid;

  for (p = start; p < end; p++) {
    if (!g_ascii_isdigit (*p))
      goto invalid;
    val = val * 10 + (*p - '0');
    if (val > G_MAXUINT16)
      goto invalid;
  }
  *port = (guint) val;
  return TRUE;

  /* ERRORS */
invalid:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Invalid port '%.*s' in URI '%s' (expected 0 to 65535)",
        (int) (end - start), start, uri);
    return FALSE;
  }
}

static gboolean
parse_query (const gchar * start, const gchar * end, const gchar * uri,
    GstMctxUri * out, GError ** error)
{
  const gchar *p = start;

  while (p < end) {
    const gchar *amp = memchr (p, '&', end - p);
    const gchar *item_end = amp ? amp : end;
    const gchar *eq = memchr (p, '=', item_end - p);
    gchar *key, *value;
    guint i;

    if (item_end == p) {
      p = item_end + 1;
      continue;
    }
    if (eq == NULL || eq == p)
      goto bad_param;

    key = unescape_part (p, eq, uri, "query", error);
    if (key == NULL)
      return FALSE;
    value = unescape_part (eq + 1, item_end, uri, "query", error);
    if (value == NULL) {
      g_free (key);
      return FALSE;
    }

    for (i = 0; i < out->keys->len; i++) {
      if (g_str_equal (g_ptr_array_index (out->keys, i), key)) {
        g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
            "Parameter '%s' given twice in URI '%s'", key, uri);
        g_free (key);
        g_free (value);
        return FALSE;
      }
    }
    g_ptr_array_add (out->keys, key);
    g_ptr_array_add (out->values, value);

    if (amp == NULL)
      break;
    p = amp + 1;
    continue;

  bad_param:
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Invalid parameter '%.*s' in URI '%s' (expected key=value)",
        (int) (item_end - p), p, uri);
    return FALSE;
  }

  return TRUE;
}

/**
 * gst_mctx_uri_scheme_length:
 * @uri: a URI
 *
 * Returns: the length of @uri's scheme when it is `mctx` or `udp` (any
 *   case) followed by `://`, else 0
 */
gsize
gst_mctx_uri_scheme_length (const gchar * uri)
{
  static const gchar *const schemes[] = { GST_MCTX_URI_SCHEME,
    GST_MCTX_URI_UDP_SCHEME
  };
  guint i;

  for (i = 0; uri != NULL && i < G_N_ELEMENTS (schemes); i++) {
    gsize len = strlen (schemes[i]);

    if (g_ascii_strncasecmp (uri, schemes[i], len) == 0
        && strncmp (uri + len, "://", 3) == 0)
      return len;
  }
  return 0;
}

/**
 * gst_mctx_uri_parse:
 * @uri: the URI text
 * @out: (out caller-allocates): the result, to be freed with
 *   gst_mctx_uri_clear() when this returns %TRUE
 * @error: return location for a #GST_URI_ERROR
 *
 * Splits an mctx:// URI into its parts. It does not check that the
 * addresses are valid: the elements do that when they start, with messages
 * that name the property.
 */
gboolean
gst_mctx_uri_parse (const gchar * uri, GstMctxUri * out, GError ** error)
{
  const gchar *auth, *auth_end, *at, *host_end, *p, *query = NULL;
  const gchar *query_end;
  gsize scheme_len;

  memset (out, 0, sizeof (*out));

  if (uri == NULL)
    goto no_uri;

  scheme_len = gst_mctx_uri_scheme_length (uri);
  if (scheme_len == 0)
    goto wrong_scheme;

  out->keys = g_ptr_array_new_with_free_func (g_free);
  out->values = g_ptr_array_new_with_free_func (g_free);
  out->port = GST_MCTX_URI_DEFAULT_PORT;

  auth = uri + scheme_len + 3;
  auth_end = auth + strcspn (auth, "/?#");

  /* path: nothing or "/" */
  p = auth_end;
  if (*p == '/')
    p++;
  if (*p == '?') {
    query = p + 1;
    p = query + strcspn (query, "#");
  }
  query_end = p;
  if (*p != '\0')
    goto bad_path;

  /* userinfo: sources */
  at = g_strrstr_len (auth, auth_end - auth, "@");
  if (at != NULL) {
    if (!parse_source_list (auth, at, uri, &out->source, error))
      goto failed;
    auth = at + 1;
  }

  /* host and port */
  if (*auth == '[') {
    const gchar *close = memchr (auth, ']', auth_end - auth);
    if (close == NULL)
      goto bad_host;
    host_end = close + 1;
  } else {
    host_end = memchr (auth, ':', auth_end - auth);
    if (host_end == NULL)
      host_end = auth_end;
  }

  out->group = parse_address (auth, host_end, uri, "group", error);
  if (out->group == NULL)
    goto failed;

  if (host_end < auth_end) {
    if (*host_end != ':')
      goto bad_host;
    if (!parse_port (host_end + 1, auth_end, uri, &out->port, error))
      goto failed;
  }

  if (query != NULL && !parse_query (query, query_end, uri, out, error))
    goto failed;
  if (!check_list_values (out, uri, error))
    goto failed;

  return TRUE;

  /* ERRORS */
no_uri:
  {
    g_set_error_literal (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "No URI given");
    return FALSE;
  }
wrong_scheme:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_UNSUPPORTED_PROTOCOL,
        "URI '%s' does not start with '" GST_MCTX_URI_SCHEME "://' (or "
        "'" GST_MCTX_URI_UDP_SCHEME "://')", uri);
    return FALSE;
  }
bad_path:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Unexpected path or fragment '%s' in URI '%s'", auth_end, uri);
    gst_mctx_uri_clear (out);
    return FALSE;
  }
bad_host:
  {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
        "Invalid group or port in URI '%s'", uri);
    gst_mctx_uri_clear (out);
    return FALSE;
  }
failed:
  {
    gst_mctx_uri_clear (out);
    return FALSE;
  }
}

static void
append_address (GString * str, const gchar * addr)
{
  gchar *esc = g_uri_escape_string (addr, ADDRESS_ALLOWED_CHARS, FALSE);

  if (strchr (addr, ':') != NULL)
    g_string_append_printf (str, "[%s]", esc);
  else
    g_string_append (str, esc);
  g_free (esc);
}

/**
 * gst_mctx_uri_build:
 * @source: (nullable): a comma separated address list for the part before
 *   '@'
 * @group: the group
 * @port: the port
 * @keys: (nullable): query keys
 * @values: (nullable): query values, same length as @keys
 *
 * Returns: (transfer full): the URI text
 */
gchar *
gst_mctx_uri_build (const gchar * source, const gchar * group, guint port,
    GPtrArray * keys, GPtrArray * values)
{
  GString *str = g_string_new (GST_MCTX_URI_SCHEME "://");
  guint i;

  if (source != NULL && *source != '\0') {
    gchar **items = g_strsplit (source, ",", -1);
    gboolean any = FALSE;

    /* blank entries (a property set by hand to "a,,b") are left out: the
     * parser refuses them */
    for (i = 0; items[i] != NULL; i++) {
      if (*g_strstrip (items[i]) == '\0')
        continue;
      if (any)
        g_string_append_c (str, ',');
      append_address (str, items[i]);
      any = TRUE;
    }
    g_strfreev (items);
    if (any)
      g_string_append_c (str, '@');
  }

  append_address (str, group);
  g_string_append_printf (str, ":%u", port);

  for (i = 0; keys != NULL && i < keys->len; i++) {
    gchar *k = g_uri_escape_string (g_ptr_array_index (keys, i), NULL, FALSE);
    gchar *v = g_uri_escape_string (g_ptr_array_index (values, i),
        VALUE_ALLOWED_CHARS, FALSE);

    g_string_append_printf (str, "%c%s=%s", i == 0 ? '?' : '&', k, v);
    g_free (k);
    g_free (v);
  }

  return g_string_free (str, FALSE);
}

/* converts URI text to a value of the property's type, checking its range */
static gboolean
value_from_string (GParamSpec * pspec, const gchar * text, GValue * value,
    const gchar * uri, GError ** error)
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
  GstMctxUri parsed;
  GValue *values;
  guint n_props, i;
  const gchar *source;
  gboolean ok = FALSE;

  if (!gst_mctx_uri_parse (uri, &parsed, error))
    return FALSE;

  n_props = query_properties ? g_strv_length ((gchar **) query_properties) : 0;
  values = g_new0 (GValue, n_props);
  source = parsed.source;

  for (i = 0; i < parsed.keys->len; i++) {
    const gchar *key = g_ptr_array_index (parsed.keys, i);
    const gchar *text = g_ptr_array_index (parsed.values, i);

    if (g_str_equal (key, source_property)) {
      if (source != NULL) {
        g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_BAD_URI,
            "'%s' given both before '@' and as a parameter in URI '%s'",
            source_property, uri);
        goto done;
      }
      source = text;
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
    guint k;

    g_assert (pspec != NULL);
    for (k = 0; k < parsed.keys->len; k++) {
      if (g_str_equal (g_ptr_array_index (parsed.keys, k), query_properties[i]))
        break;
    }
    if (k < parsed.keys->len) {
      if (!value_from_string (pspec, g_ptr_array_index (parsed.values, k),
              &values[i], uri, error))
        goto done;
    } else {
      g_value_init (&values[i], G_PARAM_SPEC_VALUE_TYPE (pspec));
      g_param_value_set_default (pspec, &values[i]);
    }
  }

  g_object_freeze_notify (object);
  g_object_set (object, "address", parsed.group, "port", parsed.port,
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
  gst_mctx_uri_clear (&parsed);
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
  GPtrArray *keys, *values;
  gchar *address = NULL, *source = NULL, *res;
  guint port = 0, i;

  g_object_get (object, "address", &address, "port", &port, source_property,
      &source, NULL);
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

  res = gst_mctx_uri_build (source, address, port, keys, values);

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
  static const gchar *protocols[] = { GST_MCTX_URI_SCHEME, NULL };

  return protocols;
}

static gchar *
handler_get_uri (GstURIHandler * handler)
{
  const GstMctxUriHandlerInfo *info = handler_info (G_OBJECT_TYPE (handler));

  return gst_mctx_uri_get_from_object (G_OBJECT (handler),
      info->source_property, info->query_properties);
}

/* a URI set through the "uri" property that did not parse, kept for start
 * to report (qdata on the element) */
typedef struct
{
  gchar *uri;
  GError *error;
} BadUri;

static void
bad_uri_free (gpointer data)
{
  BadUri *bad = data;

  g_free (bad->uri);
  g_clear_error (&bad->error);
  g_free (bad);
}

static G_DEFINE_QUARK (gst_mctx_uri_bad_uri, bad_uri);

static gboolean
handler_set_uri (GstURIHandler * handler, const gchar * uri, GError ** error)
{
  const GstMctxUriHandlerInfo *info = handler_info (G_OBJECT_TYPE (handler));

  if (!gst_mctx_uri_set_on_object (G_OBJECT (handler), uri,
          info->source_property, info->query_properties, error))
    return FALSE;
  g_object_set_qdata (G_OBJECT (handler), bad_uri_quark (), NULL);
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
 * setter cannot fail); it is kept and gst_mctx_uri_get_property_error()
 * returns it, so that the element refuses to start with it instead of
 * dropping it unreported. A URI that parses clears it.
 */
void
gst_mctx_uri_set_property (GObject * object, const GValue * value)
{
  BadUri *bad = g_new0 (BadUri, 1);
  const gchar *uri = g_value_get_string (value);
  gboolean ok;

  /* udp:// (udpsrc's and udpsink's URIs) only through the property: the
   * GstURIHandler interface offers mctx:// alone, so that playbin and
   * gst_element_make_from_uri() keep picking udpsrc for udp:// (unicast
   * included) */
  if (uri != NULL && gst_mctx_uri_scheme_length (uri) ==
      strlen (GST_MCTX_URI_UDP_SCHEME))
    ok = handler_set_uri (GST_URI_HANDLER (object), uri, &bad->error);
  else
    ok = gst_uri_handler_set_uri (GST_URI_HANDLER (object), uri, &bad->error);
  if (ok) {
    g_free (bad);
    return;
  }
  GST_WARNING_OBJECT (object, "Could not set URI: %s", bad->error->message);
  bad->uri = g_value_dup_string (value);
  g_object_set_qdata_full (object, bad_uri_quark (), bad, bad_uri_free);
}

/**
 * gst_mctx_uri_get_property_error:
 * @object: the element
 * @uri: (out) (transfer none) (nullable): the URI that did not parse
 *
 * Returns: (transfer none) (nullable): why the last URI set through the
 *   "uri" property did not parse, or %NULL
 */
const GError *
gst_mctx_uri_get_property_error (GObject * object, const gchar ** uri)
{
  BadUri *bad = g_object_get_qdata (object, bad_uri_quark ());

  *uri = bad ? bad->uri : NULL;
  return bad ? bad->error : NULL;
}
