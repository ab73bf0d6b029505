/* Fuzz target for mctx-monitor's stream arguments (monitor-uri.c): any
 * text either parses to a group and a port or fails with a message that
 * quotes it.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include "monitor-uri.h"

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *text;
  GError *err = NULL;
  MonitorStreamSpec *spec;

  if (size > 4096)
    return 0;
  text = g_strndup ((const gchar *) data, size);
  spec = monitor_stream_spec_parse (text, &err);
  if (spec) {
    g_assert (err == NULL);
    g_assert (spec->group != NULL && spec->group[0] != '\0');
    g_assert (spec->port <= 65535);
    monitor_stream_spec_free (spec);
  } else {
    g_assert (err != NULL);
    g_assert (strstr (err->message, "stream '") == err->message);
    g_error_free (err);
  }
  g_free (text);
  return 0;
}
