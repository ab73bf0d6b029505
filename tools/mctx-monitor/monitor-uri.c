/* Stream arguments of mctx-monitor (see monitor-uri.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "monitor-uri.h"

#include <mctx.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void
monitor_stream_spec_free (MonitorStreamSpec * spec)
{
  if (spec == NULL)
    return;
  g_free (spec->group);
  g_strfreev (spec->sources);
  g_strfreev (spec->exclude_sources);
  g_strfreev (spec->interfaces);
  g_free (spec);
}

static gboolean fail (GError ** error, const gchar * text,
    const gchar * format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError ** error, const gchar * text, const gchar * format, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "stream '%s': %s", text, msg);
  g_free (msg);
  return FALSE;
}

static gboolean
parse_uint (const gchar * s, guint64 max, guint64 * out)
{
  gchar *end = NULL;
  guint64 v;

  if (s == NULL || !g_ascii_isdigit (s[0]))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (s, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

/* "[v6]" or "v4" at the start of s; *rest points after it. */
static gchar *
take_address (const gchar * text, const gchar * s, const gchar * stop,
    const gchar ** rest, const gchar * what, GError ** error)
{
  gchar *raw, *addr;
  gsize n;

  if (*s == '[') {
    const gchar *close = strchr (s, ']');
    if (close == NULL) {
      fail (error, text, "%s: '[' without ']'", what);
      return NULL;
    }
    raw = g_strndup (s + 1, close - s - 1);
    *rest = close + 1;
  } else {
    n = strcspn (s, stop);
    raw = g_strndup (s, n);
    *rest = s + n;
    if (strchr (raw, ':')) {
      fail (error, text, "%s '%s': an IPv6 address needs brackets", what, raw);
      g_free (raw);
      return NULL;
    }
  }
  addr = g_uri_unescape_string (raw, NULL);
  if (addr == NULL || addr[0] == '\0') {
    fail (error, text, "%s: %s", what, addr ? "empty" : "bad escape");
    g_free (addr);
    addr = NULL;
  }
  g_free (raw);
  return addr;
}

static gboolean
parse_port (const gchar * text, const gchar * s, guint * port, GError ** error)
{
  guint64 v;

  if (!parse_uint (s, 65535, &v))
    return fail (error, text, "port '%s' is not a number 0..65535", s);
  *port = v;
  return TRUE;
}

static gboolean
set_list (const gchar * text, gchar *** field, const gchar * key,
    const gchar * value, GError ** error)
{
  /* also catches sources given both before '@' and as a parameter */
  if (*field != NULL)
    return fail (error, text, "'%s' given twice", key);
  if (value[0] == '\0')
    return fail (error, text, "'%s' is empty", key);
  *field = g_strsplit (value, ",", -1);
  return TRUE;
}

static gboolean
parse_query (const gchar * text, MonitorStreamSpec * spec, const gchar * q,
    GError ** error)
{
  g_auto (GStrv) pairs = g_strsplit (q, "&", -1);
  gboolean seen_index = FALSE, seen_buffer = FALSE;
  guint i;

  for (i = 0; pairs[i]; i++) {
    const gchar *eq;
    g_autofree gchar *key = NULL, *value = NULL;
    guint64 v;

    if (pairs[i][0] == '\0')
      continue;
    eq = strchr (pairs[i], '=');
    if (eq == NULL)
      return fail (error, text, "parameter '%s' has no '='", pairs[i]);
    key = g_uri_unescape_segment (pairs[i], eq, NULL);
    value = g_uri_unescape_string (eq + 1, NULL);
    if (key == NULL || value == NULL)
      return fail (error, text, "bad escape in '%s'", pairs[i]);
    if (key[0] == '\0')
      return fail (error, text, "parameter '%s' has an empty key", pairs[i]);

    if (g_str_equal (key, "interface")) {
      if (!set_list (text, &spec->interfaces, key, value, error))
        return FALSE;
    } else if (g_str_equal (key, "sources")) {
      if (!set_list (text, &spec->sources, key, value, error))
        return FALSE;
    } else if (g_str_equal (key, "exclude-sources")) {
      if (!set_list (text, &spec->exclude_sources, key, value, error))
        return FALSE;
    } else if (g_str_equal (key, "interface-index")) {
      if (seen_index)
        return fail (error, text, "'%s' given twice", key);
      if (!parse_uint (value, G_MAXUINT, &v))
        return fail (error, text, "interface-index '%s' is not a number",
            value);
      spec->interface_index = v;
      seen_index = TRUE;
    } else if (g_str_equal (key, "buffer-size")) {
      if (seen_buffer)
        return fail (error, text, "'%s' given twice", key);
      if (!parse_uint (value, G_MAXINT, &v))
        return fail (error, text, "buffer-size '%s' is not a number "
            "0..%d", value, G_MAXINT);
      spec->buffer_size = v;
      seen_buffer = TRUE;
    } else {
      return fail (error, text, "unknown parameter '%s' (known: interface, "
          "interface-index, sources, exclude-sources, buffer-size)", key);
    }
  }
  return TRUE;
}

static gboolean
parse_uri (const gchar * text, MonitorStreamSpec * spec, GError ** error)
{
  const gchar *s = text + strlen ("mctx://");
  const gchar *at, *q, *hash, *rest;
  g_autofree gchar *authority = NULL;

  hash = strchr (s, '#');
  if (hash)
    return fail (error, text, "a URI fragment ('%s') is not allowed", hash);
  q = strchr (s, '?');
  authority = q ? g_strndup (s, q - s) : g_strdup (s);
  if (g_str_has_suffix (authority, "/"))
    authority[strlen (authority) - 1] = '\0';

  /* sources before '@' (an '@' inside brackets cannot occur) */
  at = strrchr (authority, '@');
  if (at) {
    g_autofree gchar *list = g_strndup (authority, at - authority);
    g_auto (GStrv) parts = NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
    guint i;

    if (list[0] == '\0') {
      g_ptr_array_free (out, TRUE);
      return fail (error, text, "empty source before '@'");
    }
    parts = g_strsplit (list, ",", -1);
    for (i = 0; parts[i]; i++) {
      gchar *a = take_address (text, parts[i], "", &rest, "source", error);
      if (a == NULL || *rest != '\0') {
        if (a)
          fail (error, text, "source '%s': junk after the address", parts[i]);
        g_free (a);
        g_ptr_array_free (out, TRUE);
        return FALSE;
      }
      g_ptr_array_add (out, a);
    }
    g_ptr_array_add (out, NULL);
    spec->sources = (gchar **) g_ptr_array_free (out, FALSE);
    s = at + 1;
  } else {
    s = authority;
  }

  if (s[0] != '[' && strchr (s, ':') != strrchr (s, ':'))
    return fail (error, text, "group '%s': an IPv6 address needs brackets", s);
  spec->group = take_address (text, s, ":/", &rest, "group", error);
  if (spec->group == NULL)
    return FALSE;
  if (*rest == ':') {
    if (!parse_port (text, rest + 1, &spec->port, error))
      return FALSE;
  } else if (*rest != '\0') {
    return fail (error, text, "unexpected '%s' after the group", rest);
  }

  if (q && !parse_query (text, spec, q + 1, error))
    return FALSE;
  return TRUE;
}

MonitorStreamSpec *
monitor_stream_spec_parse (const gchar * text, GError ** error)
{
  g_autoptr (MonitorStreamSpec) spec = g_new0 (MonitorStreamSpec, 1);

  spec->port = 5004;
  spec->buffer_size = -1;
  if (text == NULL || text[0] == '\0') {
    fail (error, text ? text : "", "empty");
    return NULL;
  }
  if (g_ascii_strncasecmp (text, "mctx://", 7) == 0) {
    if (!parse_uri (text, spec, error))
      return NULL;
  } else if (strstr (text, "://")) {
    fail (error, text, "only mctx:// URIs or GROUP[:PORT] are understood");
    return NULL;
  } else if (text[0] == '[') {
    const gchar *rest;
    spec->group = take_address (text, text, "", &rest, "group", error);
    if (spec->group == NULL)
      return NULL;
    if (*rest == ':') {
      if (!parse_port (text, rest + 1, &spec->port, error))
        return NULL;
    } else if (*rest != '\0') {
      fail (error, text, "unexpected '%s' after the group", rest);
      return NULL;
    }
  } else if (strchr (text, ':') != strrchr (text, ':')) {
    /* an IPv6 group without brackets, so without a port */
    spec->group = g_strdup (text);
  } else {
    const gchar *colon = strchr (text, ':');
    spec->group = colon ? g_strndup (text, colon - text) : g_strdup (text);
    if (spec->group[0] == '\0') {
      fail (error, text, "group: empty");
      return NULL;
    }
    if (colon && !parse_port (text, colon + 1, &spec->port, error))
      return NULL;
  }
  return g_steal_pointer (&spec);
}
