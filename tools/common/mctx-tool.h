/* mctx-tool: what the project's command-line programs share (mctx-monitor,
 * mctx-soak, mctx-bench, bench-merge and the test peers): parsing the
 * command line, stopping on a signal, a bounded send.  Internal: a static
 * library, not installed.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <mctx.h>

G_BEGIN_DECLS

/* Parses the command line with @entries and, unless NULL, @group (such as
 * GStreamer's, which it takes).  @summary (nullable) goes under the usage
 * line of --help.  On FALSE, @error says what was wrong. */
gboolean mctx_tool_parse_options (gint * argc, gchar *** argv,
    const gchar * parameter_string, const gchar * summary,
    const GOptionEntry * entries, GOptionGroup * group, GError ** error);

/* From now on @signum (SIGINT, SIGTERM) asks the program to stop instead
 * of ending it: mctx_tool_stop_requested() turns TRUE, and a poll() or a
 * sleep it interrupts returns. */
void mctx_tool_stop_on (int signum);
gboolean mctx_tool_stop_requested (void);

/* Sends @size bytes of @data as one datagram.  A full socket buffer is
 * waited on and the send tried again, for @timeout_us at most in all
 * (mctx-tool-send.c).  On FALSE, @error is the send's or, prefixed with
 * "wait: ", the wait's. */
gboolean mctx_tool_send (MctxPublication * pub, const guint8 * data,
    gsize size, gint64 timeout_us, GError ** error);

G_END_DECLS
