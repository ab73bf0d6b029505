/* libmctx - IP multicast sender/receiver library
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mctx-uri.c: mctx:// URI syntax. The one parser of the project: the
 * GStreamer elements map its keys onto their properties, mctx-monitor onto
 * its stream settings.
 */

#include "mctx-private.h"
#include "mctx-boxed-private.h"

#include <string.h>

/* characters left unescaped when writing query values and addresses */
#define VALUE_ALLOWED_CHARS ",:[]@"
#define ADDRESS_ALLOWED_CHARS ":"

G_DEFINE_BOXED_TYPE (MctxUri, mctx_uri, mctx_uri_copy, mctx_uri_free)

static const gchar *const schemes[] = { "mctx", "udp" };

/* "Invalid PART 'TEXT' in URI 'URI' (WHY)", tagged with @part */
static gpointer
invalid (GError ** error, const gchar * part, const gchar * start,
    const gchar * end, const gchar * uri, const gchar * why)
{
  mctx_set_error (error, part, MCTX_ERROR_INVALID_VALUE,
      "Invalid %s '%.*s' in URI '%s' (%s)", part, (int) (end - start), start,
      uri, why);
  return NULL;
}

/* strips one pair of enclosing brackets (required around IPv6 addresses)
 * and unescapes */
static gchar *
parse_address (const gchar * start, const gchar * end, const gchar * uri,
    const gchar * part, GError ** error)
{
  const gchar *s = start, *e = end;
  gchar *res;

  if (s < e && *s == '[') {
    const gchar *close = memchr (s, ']', e - s);

    if (close == NULL)
      return invalid (error, part, start, end, uri, "'[' without ']'");
    if (close != e - 1)
      return invalid (error, part, start, end, uri, "unbalanced brackets");
    s++;
    e--;
  } else if (memchr (s, ':', e - s) != NULL) {
    return invalid (error, part, start, end, uri,
        "an IPv6 address needs brackets");
  }
  if (memchr (s, '[', e - s) != NULL || memchr (s, ']', e - s) != NULL)
    return invalid (error, part, start, end, uri, "unbalanced brackets");

  res = g_uri_unescape_segment (s, e, NULL);
  if (res == NULL)
    return invalid (error, part, start, end, uri, "bad escape");
  return res;
}

static gchar **
parse_sources (const gchar * start, const gchar * end, const gchar * uri,
    GError ** error)
{
  GPtrArray *res = g_ptr_array_new_with_free_func (g_free);
  const gchar *p = start;

  while (TRUE) {
    const gchar *comma = memchr (p, ',', end - p);
    const gchar *item_end = comma ? comma : end;
    gchar *addr = parse_address (p, item_end, uri, "source", error);

    if (addr == NULL)
      goto failed;
    /* neither could be written back ("mctx://,x@..."); no address contains
     * a comma (it would be "%2C" here) */
    if (*g_strstrip (addr) == '\0' || strchr (addr, ',') != NULL) {
      invalid (error, "source", p, item_end, uri, *addr ? "a comma in an "
          "address" : "empty source");
      g_free (addr);
      goto failed;
    }
    g_ptr_array_add (res, addr);
    if (comma == NULL)
      break;
    p = comma + 1;
  }
  g_ptr_array_add (res, NULL);
  return (gchar **) g_ptr_array_free (res, FALSE);

failed:
  g_ptr_array_free (res, TRUE);
  return NULL;
}

static gboolean
parse_port (const gchar * start, const gchar * end, const gchar * uri,
    guint * port, GError ** error)
{
  guint64 val = 0;
  const gchar *p;

  for (p = start; p < end; p++) {
    if (!g_ascii_isdigit (*p))
      break;
    val = val * 10 + (*p - '0');
    if (val > G_MAXUINT16)
      break;
  }
  if (start == end || p < end) {
    invalid (error, "port", start, end, uri, "expected 0 to 65535");
    return FALSE;
  }
  *port = (guint) val;
  return TRUE;
}

static gboolean
query_error (GError ** error, const gchar * what, const gchar * start,
    const gchar * end, const gchar * uri)
{
  mctx_set_error (error, "query", MCTX_ERROR_INVALID_VALUE,
      "Parameter '%.*s' %s in URI '%s' (expected key=value)",
      (int) (end - start), start, what, uri);
  return FALSE;
}

static gboolean
parse_query (const gchar * start, const gchar * end, const gchar * uri,
    GPtrArray * keys, GPtrArray * values, GError ** error)
{
  const gchar *p = start;

  for (; p < end; p++) {
    const gchar *amp = memchr (p, '&', end - p);
    const gchar *item_end = amp ? amp : end;
    const gchar *eq = memchr (p, '=', item_end - p);
    gchar *key, *value;

    if (item_end == p)          /* "&&": skipped */
      continue;
    if (eq == NULL)
      return query_error (error, "has no '='", p, item_end, uri);
    if (eq == p)
      return query_error (error, "has an empty key", p, item_end, uri);

    key = g_uri_unescape_segment (p, eq, NULL);
    value = g_uri_unescape_segment (eq + 1, item_end, NULL);
    if (key == NULL || value == NULL) {
      g_free (key);
      g_free (value);
      invalid (error, "parameter", p, item_end, uri, "bad escape");
      return FALSE;
    }
    if (g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL)) {
      mctx_set_error (error, key, MCTX_ERROR_INVALID_VALUE,
          "Parameter '%s' given twice in URI '%s'", key, uri);
      g_free (key);
      g_free (value);
      return FALSE;
    }
    g_ptr_array_add (keys, key);
    g_ptr_array_add (values, value);
    p = item_end;
  }
  return TRUE;
}

static gchar **
steal_strv (GPtrArray * array)
{
  g_ptr_array_add (array, NULL);
  return (gchar **) g_ptr_array_free (array, FALSE);
}

/**
 * mctx_uri_parse:
 * @text: (nullable): the URI text
 * @error: return location for a #GError, or %NULL
 *
 * Splits an `mctx://` URI (or `udp://`, the scheme of udpsrc's and
 * udpsink's URIs, with the same syntax) into its parts:
 * `SCHEME://[SOURCE[,SOURCE...]@]GROUP[:PORT][/][?KEY=VALUE[&KEY=VALUE...]]`.
 * The scheme is matched in any case. IPv6 addresses (group and sources)
 * must be in brackets; a zone is written `%25zone`. Percent-escapes are
 * decoded in addresses, keys and values; sources are stripped of blanks;
 * empty `&&` pairs are skipped. Addresses are not checked: that is the job
 * of whoever uses them (mctx_parse_group(), ...), with a message naming
 * its own setting.
 *
 * Errors are %MCTX_ERROR_INVALID_VALUE, quoting the URI and the part that
 * is wrong, tagged (mctx_error_get_setting()) with the part: "uri" (no
 * text), "scheme", "path" (a path other than "/", or a fragment),
 * "source", "group", "port", "query" (a parameter without '=' or with an
 * empty key), "parameter" (a bad escape in one) or the key given twice.
 *
 * Returns: (transfer full) (nullable): the parts, or %NULL with @error set
 *
 * Since: 0.2
 */
MctxUri *
mctx_uri_parse (const gchar * text, GError ** error)
{
  g_autoptr (MctxUri) uri = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GPtrArray) values = NULL;
  const gchar *auth = NULL, *auth_end, *at, *host_end, *p, *query = NULL;
  const gchar *query_end;
  guint i;

  if (text == NULL) {
    mctx_set_error (error, "uri", MCTX_ERROR_INVALID_VALUE, "No URI given");
    return NULL;
  }
  for (i = 0; auth == NULL && i < G_N_ELEMENTS (schemes); i++) {
    gsize len = strlen (schemes[i]);

    if (g_ascii_strncasecmp (text, schemes[i], len) == 0
        && strncmp (text + len, "://", 3) == 0)
      auth = text + len + 3;
  }
  if (auth == NULL) {
    mctx_set_error (error, "scheme", MCTX_ERROR_INVALID_VALUE,
        "URI '%s' does not start with 'mctx://' (or 'udp://')", text);
    return NULL;
  }

  uri = g_new0 (MctxUri, 1);
  uri->scheme = g_strdup (schemes[i - 1]);
  uri->port = MCTX_URI_DEFAULT_PORT;
  keys = g_ptr_array_new_with_free_func (g_free);
  values = g_ptr_array_new_with_free_func (g_free);

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
  if (*p != '\0') {
    mctx_set_error (error, "path", MCTX_ERROR_INVALID_VALUE,
        "Unexpected path or fragment '%s' in URI '%s'",
        *p == '#' ? p : auth_end, text);
    return NULL;
  }

  /* userinfo: sources ('@' cannot occur inside brackets) */
  at = g_strrstr_len (auth, auth_end - auth, "@");
  if (at != NULL) {
    uri->sources = parse_sources (auth, at, text, error);
    if (uri->sources == NULL)
      return NULL;
    auth = at + 1;
  }

  /* host and port; an IPv6 group without brackets has several ':' */
  if (*auth == '[') {
    const gchar *close = memchr (auth, ']', auth_end - auth);

    host_end = close ? close + 1 : auth_end;
  } else {
    const gchar *colon = memchr (auth, ':', auth_end - auth);

    if (colon != NULL && memchr (colon + 1, ':', auth_end - colon - 1))
      host_end = auth_end;
    else
      host_end = colon ? colon : auth_end;
  }
  if (host_end == auth)
    return invalid (error, "group", auth, host_end, text, "empty group");
  uri->group = parse_address (auth, host_end, text, "group", error);
  if (uri->group == NULL)
    return NULL;
  if (*uri->group == '\0')
    return invalid (error, "group", auth, host_end, text, "empty group");

  if (host_end < auth_end && *host_end != ':') {
    mctx_set_error (error, "group", MCTX_ERROR_INVALID_VALUE,
        "Unexpected '%.*s' after the group in URI '%s' (expected ':PORT')",
        (int) (auth_end - host_end), host_end, text);
    return NULL;
  }
  if (host_end < auth_end
      && !parse_port (host_end + 1, auth_end, text, &uri->port, error))
    return NULL;

  if (query != NULL
      && !parse_query (query, query_end, text, keys, values, error))
    return NULL;

  uri->keys = steal_strv (g_steal_pointer (&keys));
  uri->values = steal_strv (g_steal_pointer (&values));
  return g_steal_pointer (&uri);
}

/* the string fields and the string-array ones, for copying and freeing */
static const gsize string_fields[] = {
  G_STRUCT_OFFSET (MctxUri, scheme), G_STRUCT_OFFSET (MctxUri, group),
};

static const gsize strv_fields[] = {
  G_STRUCT_OFFSET (MctxUri, sources), G_STRUCT_OFFSET (MctxUri, keys),
  G_STRUCT_OFFSET (MctxUri, values),
};

/**
 * mctx_uri_copy:
 * @uri: a parsed URI
 *
 * Returns: (transfer full): a copy of @uri; %NULL (and a critical) when
 *   @uri is %NULL
 *
 * Since: 0.2
 */
MctxUri *
mctx_uri_copy (const MctxUri * uri)
{
  g_return_val_if_fail (uri != NULL, NULL);
  return mctx_struct_copy_strings (uri, sizeof (*uri), string_fields,
      G_N_ELEMENTS (string_fields), strv_fields, G_N_ELEMENTS (strv_fields));
}

/**
 * mctx_uri_free:
 * @uri: (nullable): a parsed URI
 *
 * Since: 0.2
 */
void
mctx_uri_free (MctxUri * uri)
{
  mctx_struct_free_strings (uri, string_fields, G_N_ELEMENTS (string_fields),
      strv_fields, G_N_ELEMENTS (strv_fields));
}

/**
 * mctx_uri_lookup:
 * @uri: a parsed URI
 * @key: a query key
 *
 * Returns: (nullable): the value of @key, or %NULL when @uri has no such
 *   key (and, with a critical, when @uri or @key is %NULL)
 *
 * Since: 0.2
 */
const gchar *
mctx_uri_lookup (const MctxUri * uri, const gchar * key)
{
  guint i;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  for (i = 0; uri->keys != NULL && uri->keys[i] != NULL; i++) {
    if (g_str_equal (uri->keys[i], key))
      return uri->values[i];
  }
  return NULL;
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

/* every key has a value (values[i] may be "" but not missing) */
static gboolean
keys_have_values (const MctxUri * uri)
{
  guint n_keys = uri->keys ? g_strv_length (uri->keys) : 0;

  return n_keys == 0 || (uri->values != NULL
      && g_strv_length (uri->values) >= n_keys);
}

/**
 * mctx_uri_to_string:
 * @uri: the parts: @scheme may be %NULL ("mctx"), @sources, @keys and
 *   @values %NULL (none); @group must be set and each key needs a value
 *
 * Writes @uri as text: IPv6 addresses in brackets, '%' and other reserved
 * characters escaped (`,:[]@` stay as they are in values), the port
 * always. Blank sources are left out, the others are written stripped.
 *
 * mctx_uri_parse() reads the text back as the same parts (but for the
 * blank and stripped sources) only for a URI that mctx_uri_parse()
 * produced, or one built by hand whose scheme is %NULL, "mctx" or "udp",
 * whose group is not empty, whose port is at most 65535, whose sources
 * contain no ',' and whose keys are not empty and each given once. Any
 * other URI is written all the same, as text that mctx_uri_parse()
 * refuses.
 *
 * Returns: (transfer full) (nullable): the URI text; %NULL (and a
 *   critical) when @uri or its group is %NULL or a key has no value
 *
 * Since: 0.2
 */
gchar *
mctx_uri_to_string (const MctxUri * uri)
{
  GString *str;
  gboolean any = FALSE;
  guint i;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (uri->group != NULL, NULL);
  g_return_val_if_fail (keys_have_values (uri), NULL);
  str = g_string_new (uri->scheme ? uri->scheme : "mctx");
  g_string_append (str, "://");
  for (i = 0; uri->sources != NULL && uri->sources[i] != NULL; i++) {
    gchar *item = g_strstrip (g_strdup (uri->sources[i]));

    if (*item != '\0') {
      if (any)
        g_string_append_c (str, ',');
      append_address (str, item);
      any = TRUE;
    }
    g_free (item);
  }
  if (any)
    g_string_append_c (str, '@');

  append_address (str, uri->group);
  g_string_append_printf (str, ":%u", uri->port);

  for (i = 0; uri->keys != NULL && uri->keys[i] != NULL; i++) {
    gchar *k = g_uri_escape_string (uri->keys[i], NULL, FALSE);
    gchar *v = g_uri_escape_string (uri->values[i], VALUE_ALLOWED_CHARS,
        FALSE);

    g_string_append_printf (str, "%c%s=%s", i == 0 ? '?' : '&', k, v);
    g_free (k);
    g_free (v);
  }
  return g_string_free (str, FALSE);
}
