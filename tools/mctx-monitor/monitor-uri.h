/* Stream arguments of mctx-monitor: mctx:// URIs (libmctx's MctxUri, the
 * syntax of docs/elements.md section 5, receiver keys) and plain
 * GROUP[:PORT]. GLib and libmctx only.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gchar *group;                 /* as written, brackets removed */
  guint port;
  gchar **sources;              /* NULL: none given */
  gchar **exclude_sources;
  gchar **interfaces;
  guint interface_index;        /* 0: unset */
  gint buffer_size;             /* -1: unset */
} MonitorStreamSpec;

/* Parses one stream argument; errors (MCTX_ERROR_INVALID_VALUE) quote it. */
MonitorStreamSpec *monitor_stream_spec_parse (const gchar * text,
    GError ** error);
/* @spec: not NULL */
void monitor_stream_spec_free (MonitorStreamSpec * spec);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MonitorStreamSpec, monitor_stream_spec_free)

G_END_DECLS
