/* Stream arguments of mctx-monitor (see monitor-uri.h). The mctx:// syntax
 * is libmctx's (mctx_uri_parse()); here are the keys the monitor knows and
 * the plain GROUP[:PORT] form.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "monitor-uri.h"

#include <mctx.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* g_autoptr does not call it with NULL, nor does anything else */
void
monitor_stream_spec_free (MonitorStreamSpec * spec)
{
  g_return_if_fail (spec != NULL);
  g_free (spec->group);
  g_strfreev (spec->sources);
  g_strfreev (spec->exclude_sources);
  g_strfreev (spec->interfaces);
  g_free (spec);
}

/* the field a comma-list key fills, or NULL when the key is no list */
static gchar ***
list_field (MonitorStreamSpec * spec, const gchar * key)
{
  if (g_str_equal (key, "interface"))
    return &spec->interfaces;
  if (g_str_equal (key, "sources"))
    return &spec->sources;
  if (g_str_equal (key, "exclude-sources"))
    return &spec->exclude_sources;
  return NULL;
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

/* one query key of a URI (each comes at most once: the parser checks) */
static gboolean
apply_key (const gchar * text, MonitorStreamSpec * spec, const gchar * key,
    const gchar * value, GError ** error)
{
  gchar ***field = list_field (spec, key);
  guint64 v;

  if (field != NULL) {
    /* only sources can be set twice: before '@' and as a parameter */
    if (*field != NULL)
      return fail (error, text, "'%s' given twice", key);
    if (value[0] == '\0')
      return fail (error, text, "'%s' is empty", key);
    *field = g_strsplit (value, ",", -1);
    return TRUE;
  }

  if (g_str_equal (key, "interface-index")) {
    if (!parse_uint (value, G_MAXUINT, &v))
      return fail (error, text, "interface-index '%s' is not a number", value);
    spec->interface_index = v;
  } else if (g_str_equal (key, "buffer-size")) {
    if (!parse_uint (value, G_MAXINT, &v))
      return fail (error, text, "buffer-size '%s' is not a number "
          "0..%d", value, G_MAXINT);
    spec->buffer_size = v;
  } else {
    return fail (error, text, "unknown parameter '%s' (known: interface, "
        "interface-index, sources, exclude-sources, buffer-size)", key);
  }
  return TRUE;
}

/* libmctx's message quotes the URI ("... in URI 'TEXT' ..."); the
 * "stream 'TEXT': " put in front of every message of ours says it once */
static void
drop_quoted_uri (GError ** error, const gchar * text)
{
  g_autofree gchar *quoted = g_strdup_printf (" in URI '%s'", text);
  gchar *at = error && *error ? strstr ((*error)->message, quoted) : NULL;

  if (at != NULL)
    memmove (at, at + strlen (quoted), strlen (at + strlen (quoted)) + 1);
}

static gboolean
parse_uri (const gchar * text, MonitorStreamSpec * spec, GError ** error)
{
  g_autoptr (MctxUri) uri = mctx_uri_parse (text, error);
  guint i;

  if (uri == NULL) {
    drop_quoted_uri (error, text);
    g_prefix_error (error, "stream '%s': ", text);
    return FALSE;
  }
  spec->group = g_steal_pointer (&uri->group);
  spec->port = uri->port;
  spec->sources = g_steal_pointer (&uri->sources);
  for (i = 0; uri->keys[i] != NULL; i++) {
    if (!apply_key (text, spec, uri->keys[i], uri->values[i], error))
      return FALSE;
  }
  return TRUE;
}

/* GROUP, GROUP:PORT, [IPV6]:PORT, or an IPv6 group without brackets (so
 * without a port) */
static gboolean
parse_plain (const gchar * text, MonitorStreamSpec * spec, GError ** error)
{
  const gchar *port = NULL;
  guint64 v;

  if (text[0] == '[') {
    const gchar *close = strchr (text, ']');
    g_autofree gchar *raw = NULL;

    if (close == NULL)
      return fail (error, text, "group: '[' without ']'");
    if (close[1] == ':')
      port = close + 2;
    else if (close[1] != '\0')
      return fail (error, text, "unexpected '%s' after the group", close + 1);
    raw = g_strndup (text + 1, close - text - 1);
    spec->group = g_uri_unescape_string (raw, NULL);
    if (spec->group == NULL)
      return fail (error, text, "group: bad escape");
  } else if (strchr (text, ':') != strrchr (text, ':')) {
    spec->group = g_strdup (text);
  } else {
    const gchar *colon = strchr (text, ':');

    spec->group = colon ? g_strndup (text, colon - text) : g_strdup (text);
    port = colon ? colon + 1 : NULL;
  }
  if (spec->group[0] == '\0')
    return fail (error, text, "group: empty");
  if (port != NULL && !parse_uint (port, 65535, &v))
    return fail (error, text, "port '%s' is not a number 0..65535", port);
  if (port != NULL)
    spec->port = v;
  return TRUE;
}

MonitorStreamSpec *
monitor_stream_spec_parse (const gchar * text, GError ** error)
{
  g_autoptr (MonitorStreamSpec) spec = g_new0 (MonitorStreamSpec, 1);

  spec->port = MCTX_URI_DEFAULT_PORT;
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
  } else if (!parse_plain (text, spec, error)) {
    return NULL;
  }
  return g_steal_pointer (&spec);
}
