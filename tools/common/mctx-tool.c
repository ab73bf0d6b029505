/* mctx-tool: option parsing and stopping on a signal (mctx-tool.h)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-tool.h"

#include <signal.h>
#include <string.h>

gboolean
mctx_tool_parse_options (gint * argc, gchar *** argv,
    const gchar * parameter_string, const gchar * summary,
    const GOptionEntry * entries, GOptionGroup * group, GError ** error)
{
  GOptionContext *ctx = g_option_context_new (parameter_string);
  gboolean ok;

  if (summary)
    g_option_context_set_summary (ctx, summary);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (group)
    g_option_context_add_group (ctx, group);
  ok = g_option_context_parse (ctx, argc, argv, error);
  g_option_context_free (ctx);
  return ok;
}

static volatile sig_atomic_t stop_requested;

static void
on_stop_signal (int signum)
{
  stop_requested = 1;
}

void
mctx_tool_stop_on (int signum)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof (sa));
  sa.sa_handler = on_stop_signal;
  /* reads and writes go on; poll() and sleeps return at once all the
   * same (Linux never restarts them) */
  sa.sa_flags = SA_RESTART;
  sigaction (signum, &sa, NULL);
}

gboolean
mctx_tool_stop_requested (void)
{
  return stop_requested != 0;
}
