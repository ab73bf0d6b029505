/* mctx-monitor --sap: the sessions announced with SAP (RFC 2974) on the
 * network, as a live table or JSON lines (MctxSapListener).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "monitor-sap.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* the common practical timeout (docs/sdp.md 3.2) */
#define SAP_TIMEOUT_S 90

typedef struct
{
  MctxSapListener *listener;
  GMainLoop *loop;
  gboolean json;
  gint64 start;
} SapMonitor;

static gdouble
elapsed (SapMonitor * m)
{
  return (g_get_monotonic_time () - m->start) / 1e6;
}

/* the o= line's address (its last field), else the SAP origin */
static const gchar *
origin_address (const MctxSapSession * s)
{
  const gchar *sp = s->origin ? strrchr (s->origin, ' ') : NULL;

  return sp ? sp + 1 : s->origin_source;
}

static void
print_table (SapMonitor * m)
{
  GPtrArray *sessions = mctx_sap_listener_get_sessions (m->listener);
  gint64 now = g_get_monotonic_time ();
  guint i;

  if (isatty (STDOUT_FILENO))
    fputs ("\033[H\033[2J", stdout);
  printf ("mctx-monitor --sap: %.1f s, %u session%s\n", elapsed (m),
      sessions->len, sessions->len == 1 ? "" : "s");
  printf ("%-24s %-20s %-20s %6s %-20s %6s %8s\n", "NAME", "ORIGIN",
      "GROUP", "PORT", "SOURCE", "ANN", "AGE");
  for (i = 0; i < sessions->len; i++) {
    const MctxSapSession *s = g_ptr_array_index (sessions, i);

    printf ("%-24s %-20s %-20s %6u %-20s %6" G_GUINT64_FORMAT " %7.1fs\n",
        s->name ? s->name : "-", origin_address (s),
        s->group ? s->group : "-", s->port, s->source ? s->source : "-",
        s->announcements, (now - s->last_seen_us) / 1e6);
  }
  fflush (stdout);
  g_ptr_array_unref (sessions);
}

/* one line: the event, the session it is about, and all sessions now */
static void
print_json (SapMonitor * m, const gchar * event, const MctxSapSession * s)
{
  gchar *one = s ? mctx_sap_session_to_json (s) : NULL;
  gchar *all = mctx_sap_listener_to_json (m->listener);
  gchar t[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (t, sizeof (t), "%.3f", elapsed (m));
  printf ("{\"time\":%s,\"event\":\"%s\",\"session\":%s,\"sessions\":%s}\n",
      t, event, one ? one : "null", all);
  fflush (stdout);
  g_free (one);
  g_free (all);
}

static void
on_session (MctxSapListener * l, MctxSapSession * s, SapMonitor * m)
{
  const gchar *event =
      g_signal_name (g_signal_get_invocation_hint (l)->signal_id);

  if (m->json)
    print_json (m, event, s);
  else
    print_table (m);
}

static gboolean
on_tick (gpointer data)
{
  SapMonitor *m = data;

  /* the table's ages move on; JSON lines only on events */
  if (!m->json)
    print_table (m);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_quit (gpointer data)
{
  g_main_loop_quit (((SapMonitor *) data)->loop);
  return G_SOURCE_REMOVE;
}

/**
 * monitor_sap_run:
 * @groups: (nullable): SAP groups, NULL for the listener's default ones
 * @interfaces: (nullable): interfaces to join on
 * @json: JSON lines instead of the table
 * @duration: seconds, 0 until interrupted
 * @interval: seconds between two table refreshes
 *
 * Returns: the exit status: 0, or 2 when the listener cannot start
 */
gint
monitor_sap_run (gchar ** groups, gchar ** interfaces, gboolean json,
    gdouble duration, gdouble interval)
{
  SapMonitor m = { 0 };
  GError *error = NULL;
  guint tick = 0;

  m.json = json;
  m.loop = g_main_loop_new (NULL, FALSE);
  m.listener = g_object_new (MCTX_TYPE_SAP_LISTENER, "groups", groups,
      "interfaces", interfaces, "timeout", SAP_TIMEOUT_S, NULL);
  g_signal_connect (m.listener, "session-added", G_CALLBACK (on_session), &m);
  g_signal_connect (m.listener, "session-updated", G_CALLBACK (on_session), &m);
  g_signal_connect (m.listener, "session-removed", G_CALLBACK (on_session), &m);
  if (!mctx_sap_listener_start (m.listener, &error)) {
    fprintf (stderr, "mctx-monitor: --sap: cannot listen: %s\n",
        error->message);
    g_error_free (error);
    g_object_unref (m.listener);
    g_main_loop_unref (m.loop);
    return 2;
  }
  fprintf (stderr, "mctx-monitor: listening for SAP announcements\n");
  m.start = g_get_monotonic_time ();

  g_unix_signal_add (SIGINT, on_quit, &m);
  g_unix_signal_add (SIGTERM, on_quit, &m);
  if (duration > 0)
    g_timeout_add ((guint) (duration * 1000), on_quit, &m);
  if (!json) {
    print_table (&m);
    tick = g_timeout_add ((guint) (interval * 1000), on_tick, &m);
  }

  g_main_loop_run (m.loop);

  if (json)
    print_json (&m, "final", NULL);
  else
    print_table (&m);
  if (tick)
    g_source_remove (tick);
  mctx_sap_listener_stop (m.listener);
  g_object_unref (m.listener);
  g_main_loop_unref (m.loop);
  return 0;
}
