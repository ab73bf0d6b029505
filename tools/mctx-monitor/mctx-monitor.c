/* mctx-monitor: join multicast streams and show their telemetry
 * (MctxStreamAnalyser) as a live table or JSON lines.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Exit status: 0 when every stream received datagrams and nothing was
 * lost or broken, 1 when something was, 2 for a bad argument or setting.
 */
#include <mctx.h>
#include "monitor-uri.h"
#include "monitor-sap.h"
#include "mctx-tool.h"

#include <glib/gstdio.h>
#include <errno.h>
#include <stdlib.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BATCH 32
#define SLOT_SIZE 9216          /* jumbo frames; larger datagrams are cut */
#define MAX_BATCHES_PER_WAKE 64 /* keeps the refresh on time under load */

typedef struct
{
  gchar *arg;                   /* as given on the command line */
  MctxSubscription *sub;
  MctxStreamAnalyser *analyser;
  MctxMessage msgs[BATCH];
  GHashTable *prev_packets;     /* "source:port" -> guint64[2] */
  /* --redundant: the two legs merged (ST 2022-7); sub is leg 0's */
  MctxRedundantSubscription *rs;
  MctxSubscription *leg1;
  MctxPacketInfo merged_name;    /* the first packet's: its source and group */
  gboolean have_merged_name;
  guint8 slab[BATCH * SLOT_SIZE];       /* the msgs' buffers */
} Stream;

static gchar *opt_source;
static gchar *opt_interface;
static gboolean opt_json;
static gdouble opt_duration;
static gint64 opt_count;
static gchar *opt_plot;
static gint opt_rx_buffer = -1;
static gdouble opt_interval = 1.0;
static gint opt_clock_rate;
static gboolean opt_sap;
static gchar *opt_sap_group;
static gchar *opt_redundant;

static GOptionEntry entries[] = {
  {"source", 's', 0, G_OPTION_ARG_STRING, &opt_source,
        "Source-specific: receive only from these sources (comma list)",
      "ADDR[,ADDR...]"},
  {"interface", 'i', 0, G_OPTION_ARG_STRING, &opt_interface,
        "Join on these interfaces (names or addresses, comma list, or all)",
      "IF[,IF...]"},
  {"json", 'j', 0, G_OPTION_ARG_NONE, &opt_json,
      "One JSON object per stream per interval, and a final one", NULL},
  {"duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration,
      "Stop after this many seconds (0: run until interrupted)", "SECONDS"},
  {"count", 'c', 0, G_OPTION_ARG_INT64, &opt_count,
      "Stop once every stream argument received N datagrams", "N"},
  {"plot", 'p', 0, G_OPTION_ARG_FILENAME, &opt_plot,
      "At the end, plot rate and loss over time to this PNG", "FILE.png"},
  {"rx-buffer-size", 'b', 0, G_OPTION_ARG_INT, &opt_rx_buffer,
        "Kernel receive buffer per stream, bytes (0: system default)",
      "BYTES"},
  {"interval", 0, 0, G_OPTION_ARG_DOUBLE, &opt_interval,
      "Seconds between two reports (default 1)", "SECONDS"},
  {"clock-rate", 0, 0, G_OPTION_ARG_INT, &opt_clock_rate,
      "RTP clock rate in Hz for the jitter (0: from the payload type)", "HZ"},
  {"sap", 0, 0, G_OPTION_ARG_NONE, &opt_sap,
        "List the sessions announced with SAP (no STREAM arguments; with "
        "--json, --interface, --duration, --interval)", NULL},
  {"sap-group", 0, 0, G_OPTION_ARG_STRING, &opt_sap_group,
        "With --sap: listen on these SAP groups (default 224.2.127.254 and "
        "239.255.255.255)", "GROUP[,GROUP...]"},
  {"redundant", 'r', 0, G_OPTION_ARG_STRING, &opt_redundant,
        "ST 2022-7: the second leg of the one STREAM; both are merged, the "
        "merged stream analysed, and each leg's merge figures shown",
      "STREAM"},
  {NULL}
};

static void
bad_argument (const gchar * format, ...)
G_GNUC_PRINTF (1, 2);

     static void bad_argument (const gchar * format, ...)
{
  va_list ap;
  va_start (ap, format);
  fputs ("mctx-monitor: ", stderr);
  vfprintf (stderr, format, ap);
  fputc ('\n', stderr);
  va_end (ap);
  exit (2);
}

/* the option a libmctx setting came from */
static const gchar *
option_of (const GError * error)
{
  const gchar *setting = mctx_error_get_setting (error);

  if (setting == NULL)
    return NULL;
  if (g_str_equal (setting, "interfaces") ||
      g_str_equal (setting, "interface") ||
      g_str_equal (setting, "interface-index"))
    return "--interface";
  if (g_str_equal (setting, "sources") ||
      g_str_equal (setting, "exclude-sources"))
    return "--source";
  if (g_str_equal (setting, "receive-buffer-size"))
    return "--rx-buffer-size";
  return NULL;
}

static gchar **
split_option (const gchar * name, const gchar * value)
{
  g_autoptr (GError) error = NULL;
  gchar **list = mctx_split_list (value, name, &error);

  if (list == NULL)
    bad_argument ("bad %s '%s': %s", name, value, error->message);
  return list;
}

/* a list setting of a stream: from its URI, else from the option, if any */
static void
set_list (MctxSubscription * sub, const gchar * property,
    gchar ** from_uri, const gchar * option, const gchar * value)
{
  g_auto (GStrv) list = NULL;

  if (from_uri == NULL && value != NULL)
    from_uri = list = split_option (option, value);
  if (from_uri)
    g_object_set (sub, property, from_uri, NULL);
}

static Stream *
stream_new (const gchar * arg)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MonitorStreamSpec) spec = monitor_stream_spec_parse (arg, &error);
  Stream *st;
  guint i;

  if (spec == NULL)
    bad_argument ("%s", error->message);
  if (spec->port == 0)
    bad_argument ("stream '%s': port 0 cannot be joined", arg);

  st = g_new0 (Stream, 1);
  st->arg = g_strdup (arg);
  st->sub = mctx_subscription_new (spec->group, spec->port);
  set_list (st->sub, "sources", spec->sources, "--source", opt_source);
  if (spec->exclude_sources)
    g_object_set (st->sub, "exclude-sources", spec->exclude_sources, NULL);
  set_list (st->sub, "interfaces", spec->interfaces, "--interface",
      opt_interface);
  if (spec->interface_index)
    g_object_set (st->sub, "interface-index", spec->interface_index, NULL);
  if (spec->buffer_size >= 0)
    g_object_set (st->sub, "receive-buffer-size", spec->buffer_size, NULL);
  else if (opt_rx_buffer > 0)
    g_object_set (st->sub, "receive-buffer-size", opt_rx_buffer, NULL);

  if (!mctx_subscription_validate (st->sub, &error)) {
    const gchar *opt = option_of (error);
    if (opt)
      bad_argument ("bad %s for stream '%s': %s", opt, arg, error->message);
    bad_argument ("bad stream '%s': %s", arg, error->message);
  }

  st->analyser = mctx_stream_analyser_new (spec->port);
  if (opt_clock_rate > 0)
    g_object_set (st->analyser, "clock-rate", (guint) opt_clock_rate, NULL);
  for (i = 0; i < BATCH; i++) {
    st->msgs[i].buffer = st->slab + i * SLOT_SIZE;
    st->msgs[i].buffer_size = SLOT_SIZE;
  }
  st->prev_packets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  return st;
}

static void
stream_free (Stream * st)
{
  if (st->rs) {
    mctx_redundant_subscription_close (st->rs);
    g_object_unref (st->rs);
    g_object_unref (st->leg1);
  }
  /* the last reference: finalizing closes it (NULL: a --redundant leg's,
   * taken by the first stream) */
  g_clear_object (&st->sub);
  g_object_unref (st->analyser);
  g_hash_table_unref (st->prev_packets);
  g_free (st->arg);
  g_free (st);
}

/* Reads what is waiting into the analyser, bounded (--redundant: merges
 * what is waiting or comes within timeout_us); FALSE on a receive error */
static gboolean
stream_read (Stream * st, gint64 timeout_us)
{
  MctxSubscriptionStats a, b = { 0 };
  guint n_batches;

  for (n_batches = 0; n_batches < MAX_BATCHES_PER_WAKE; n_batches++) {
    g_autoptr (GError) error = NULL;
    gint n = st->rs ? mctx_redundant_subscription_receive_messages (st->rs,
        st->msgs, BATCH, NULL, n_batches == 0 ? timeout_us : 0, NULL, &error)
        : mctx_subscription_receive_messages (st->sub, st->msgs, BATCH,
        &error);

    if (n < 0) {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        break;
      fprintf (stderr, "mctx-monitor: %s: %s\n", st->arg, error->message);
      return FALSE;
    }
    /* one stream for the analyser, which keys streams by source, port and
     * group: the legs' copies come from different senders to different
     * groups (one per network), so all are named by the first packet's */
    for (gint i = 0; st->rs && i < n; i++) {
      MctxPacketInfo *info = &st->msgs[i].info;

      if (!st->have_merged_name) {
        st->merged_name = *info;
        st->have_merged_name = TRUE;
      }
      info->source = st->merged_name.source;
      info->source_port = st->merged_name.source_port;
      info->destination = st->merged_name.destination;
    }
    mctx_stream_analyser_feed_messages (st->analyser, st->msgs, n);
  }
  mctx_subscription_get_stats (st->sub, &a);
  if (st->leg1)
    mctx_subscription_get_stats (st->leg1, &b);
  mctx_stream_analyser_set_kernel_drops (st->analyser,
      a.kernel_drops + b.kernel_drops);
  return TRUE;
}

static guint64
stream_packets (Stream * st)
{
  MctxSubscriptionStats stats;

  if (st->rs) {
    MctxMergerStats ms;

    mctx_merger_get_stats (mctx_redundant_subscription_get_merger (st->rs),
        &ms);
    return ms.delivered;
  }
  mctx_subscription_get_stats (st->sub, &stats);
  return stats.packets_received;
}

/* the merge figures of --redundant: JSON fields, or table lines */
static void
merge_report (Stream * st, GString * json)
{
  MctxMerger *m = mctx_redundant_subscription_get_merger (st->rs);
  MctxMergerStats ms;
  guint l;

  mctx_merger_get_stats (m, &ms);
  if (json)
    g_string_append_printf (json, ",\"merge\":{\"delivered\":%"
        G_GUINT64_FORMAT ",\"unrecoverable\":%" G_GUINT64_FORMAT
        ",\"duplicates\":%" G_GUINT64_FORMAT ",\"late\":%" G_GUINT64_FORMAT
        ",\"non_rtp\":%" G_GUINT64_FORMAT "},\"legs\":[", ms.delivered,
        ms.unrecoverable, ms.duplicates, ms.late, ms.non_rtp);
  else
    printf ("  merge: %" G_GUINT64_FORMAT " delivered, %" G_GUINT64_FORMAT
        " unrecoverable, %" G_GUINT64_FORMAT " duplicates dropped, %"
        G_GUINT64_FORMAT
        " late\n  %-4s %-30s %9s %9s %7s %7s %6s %17s %4s %7s\n", ms.delivered,
        ms.unrecoverable, ms.duplicates, ms.late, "LEG", "STREAM", "RECEIVED",
        "DELIVERED", "UNIQUE", "LOST", "LATE", "SKEW MEAN/MAX", "UP",
        "OUTAGES");
  for (l = 0; l < 2; l++) {
    MctxMergerLegStats ls;
    MctxSubscription *sub = l == 0 ? st->sub : st->leg1;

    mctx_merger_get_leg_stats (m, l, &ls);
    if (json) {
      g_string_append_printf (json, "%s{\"leg\":%u,\"group\":\"%s\","
          "\"port\":%u,\"received\":%" G_GUINT64_FORMAT ",\"delivered\":%"
          G_GUINT64_FORMAT ",\"unique\":%" G_GUINT64_FORMAT ",\"lost\":%"
          G_GUINT64_FORMAT ",\"late\":%" G_GUINT64_FORMAT ",\"duplicates\":%"
          G_GUINT64_FORMAT ",\"non_rtp\":%" G_GUINT64_FORMAT
          ",\"skew_mean_ns\":%" G_GINT64_FORMAT ",\"skew_max_ns\":%"
          G_GINT64_FORMAT ",\"up\":%s,\"outages\":%" G_GUINT64_FORMAT "}",
          l ? "," : "", l, mctx_subscription_get_group (sub),
          mctx_subscription_get_port (sub), ls.received, ls.delivered,
          ls.unique, ls.lost, ls.late, ls.duplicates, ls.non_rtp,
          ls.skew_mean_ns, ls.skew_max_ns, ls.up ? "true" : "false",
          ls.outages);
    } else {
      g_autofree gchar *name = g_strdup_printf ("%s:%u",
          mctx_subscription_get_group (sub), mctx_subscription_get_port (sub));

      printf ("  %-4u %-30s %9" G_GUINT64_FORMAT " %9" G_GUINT64_FORMAT " %7"
          G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT " %6" G_GUINT64_FORMAT
          " %7.2f/%7.2fms %4s %7" G_GUINT64_FORMAT "\n", l,
          l == 0 ? st->arg : opt_redundant, ls.received, ls.delivered,
          ls.unique, ls.lost, ls.late, ls.skew_mean_ns / 1e6,
          ls.skew_max_ns / 1e6, ls.up ? "yes" : "no", ls.outages);
    }
  }
  if (json)
    g_string_append_c (json, ']');
}

static gboolean
stats_broken (const MctxStreamStats * s)
{
  return s->lost || s->duplicates || s->reordered || s->cc_errors ||
      s->sync_errors || s->kernel_drops;
}

/* "key":"value", escaped as JSON needs (the stream argument is the user's
 * text), or "key":null */
static void
json_string (GString * out, const gchar * key, const gchar * value)
{
  const guchar *c;

  g_string_append_printf (out, "\"%s\":%s", key, value ? "\"" : "null");
  for (c = (const guchar *) value; c && *c; c++) {
    if (*c == '"' || *c == '\\')
      g_string_append_printf (out, "\\%c", *c);
    else if (*c < 0x20)
      g_string_append_printf (out, "\\u%04x", *c);
    else
      g_string_append_c (out, *c);
  }
  if (value)
    g_string_append_c (out, '"');
}

static void
print_json (Stream * st, const MctxStreamStats * s, gdouble t,
    guint64 interval_packets, gboolean final)
{
  GString *o = g_string_new ("{");
  gchar jit[G_ASCII_DTOSTR_BUF_SIZE], tt[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (tt, sizeof (tt), "%.3f", t);
  g_string_append_printf (o, "\"time\":%s,", tt);
  json_string (o, "stream", st->arg);
  g_string_append_c (o, ',');
  json_string (o, "group", mctx_subscription_get_group (st->sub));
  g_string_append_printf (o, ",\"port\":%u,",
      mctx_subscription_get_port (st->sub));
  json_string (o, "source", s ? s->source : NULL);
  g_string_append_printf (o, ",\"source_port\":%u,", s ? s->source_port : 0);
  json_string (o, "kind", s ? s->kind : NULL);
  if (s) {
    g_ascii_formatd (jit, sizeof (jit), "%.6f", s->jitter_ms);
    g_string_append_printf (o, ",\"packets\":%" G_GUINT64_FORMAT
        ",\"bytes\":%" G_GUINT64_FORMAT ",\"interval_packets\":%"
        G_GUINT64_FORMAT ",\"bitrate_bps\":%" G_GUINT64_FORMAT
        ",\"max_gap_ns\":%" G_GUINT64_FORMAT ",\"ssrc\":%u"
        ",\"lost\":%" G_GUINT64_FORMAT ",\"duplicates\":%" G_GUINT64_FORMAT
        ",\"reordered\":%" G_GUINT64_FORMAT ",\"jitter_ms\":%s"
        ",\"ssrc_changes\":%" G_GUINT64_FORMAT ",\"cc_errors\":%"
        G_GUINT64_FORMAT ",\"sync_errors\":%" G_GUINT64_FORMAT
        ",\"pids\":%u,\"kernel_drops\":%" G_GUINT64_FORMAT,
        s->packets, s->bytes, interval_packets, s->bitrate_bps,
        s->max_gap_ns, s->ssrc, s->lost, s->duplicates, s->reordered, jit,
        s->ssrc_changes, s->cc_errors, s->sync_errors, s->pids,
        s->kernel_drops);
  } else {
    MctxSubscriptionStats ss;
    mctx_subscription_get_stats (st->sub, &ss);
    g_string_append_printf (o, ",\"packets\":0,\"bytes\":0,"
        "\"interval_packets\":0,\"bitrate_bps\":0,\"max_gap_ns\":0,"
        "\"ssrc\":0,\"lost\":0,\"duplicates\":0,\"reordered\":0,"
        "\"jitter_ms\":0,\"ssrc_changes\":0,\"cc_errors\":0,"
        "\"sync_errors\":0,\"pids\":0,\"kernel_drops\":%" G_GUINT64_FORMAT,
        ss.kernel_drops);
  }
  if (st->rs)
    merge_report (st, o);
  if (final)
    g_string_append (o, ",\"final\":true");
  g_string_append (o, "}\n");
  fputs (o->str, stdout);
  g_string_free (o, TRUE);
}

static void
print_table_header (void)
{
  printf ("%-24s %-22s %-10s %10s %9s %9s %7s %7s %7s %9s %7s %7s\n",
      "STREAM", "SOURCE", "KIND", "PACKETS", "PKT/S", "MBIT/S", "LOST",
      "DUP", "REORD", "JITTER", "CC", "DROPS");
}

static void
print_row (Stream * st, const MctxStreamStats * s, gdouble pps)
{
  g_autofree gchar *src = NULL;
  g_autofree gchar *name = g_strdup_printf ("%s:%u",
      mctx_subscription_get_group (st->sub),
      mctx_subscription_get_port (st->sub));
  MctxSubscriptionStats ss;

  if (s == NULL) {
    mctx_subscription_get_stats (st->sub, &ss);
    printf ("%-24s %-22s %-10s %10u %9.0f %9.3f %7s %7s %7s %9s %7s %7"
        G_GUINT64_FORMAT "\n", name, "-", "-", 0, 0.0, 0.0, "-", "-", "-",
        "-", "-", ss.kernel_drops);
    return;
  }
  src = g_strdup_printf ("%s:%u", s->source, s->source_port);
  printf ("%-24s %-22s %-10s %10" G_GUINT64_FORMAT " %9.0f %9.3f %7"
      G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT
      " %7.3fms %7" G_GUINT64_FORMAT " %7" G_GUINT64_FORMAT "\n", name, src,
      s->kind, s->packets, pps, s->bitrate_bps / 1e6, s->lost,
      s->duplicates, s->reordered, s->jitter_ms,
      s->cc_errors + s->sync_errors, s->kernel_drops);
}

/* One report of every stream; returns whether any is broken. */
static gboolean
report (GPtrArray * streams, gdouble t, gdouble dt, gboolean final, FILE * csv)
{
  gboolean broken = FALSE;
  guint i;

  if (!opt_json) {
    if (isatty (STDOUT_FILENO))
      fputs ("\033[H\033[2J", stdout);
    printf ("mctx-monitor: %.1f s%s\n", t, final ? ", final" : "");
    print_table_header ();
  }
  for (i = 0; i < streams->len; i++) {
    Stream *st = g_ptr_array_index (streams, i);
    GList *stats = mctx_stream_analyser_get_streams (st->analyser), *l;

    if (stats == NULL) {
      broken = TRUE;            /* nothing received at all */
      if (opt_json)
        print_json (st, NULL, t, 0, final);
      else
        print_row (st, NULL, 0);
    }
    for (l = stats; l; l = l->next) {
      MctxStreamStats *s = l->data;
      g_autofree gchar *key = g_strdup_printf ("%s:%u", s->source,
          s->source_port);
      guint64 *prev = g_hash_table_lookup (st->prev_packets, key);
      guint64 delta, delta_bytes;
      gdouble interval_bps;

      if (prev == NULL) {
        prev = g_new0 (guint64, 2);     /* packets, bytes */
        g_hash_table_insert (st->prev_packets, g_strdup (key), prev);
      }
      delta = s->packets - prev[0];
      delta_bytes = s->bytes - prev[1];
      prev[0] = s->packets;
      prev[1] = s->bytes;
      /* the plot shows the rate of each interval, which follows a stream
       * that stops at once (the analyser's rate is over a second) */
      interval_bps = dt > 0 ? delta_bytes * 8 / dt : 0;
      broken |= stats_broken (s);
      if (opt_json)
        print_json (st, s, t, delta, final);
      else
        print_row (st, s, dt > 0 ? delta / dt : 0);
      if (csv && !final)
        fprintf (csv, "%.3f,%s:%u %s:%u,%" G_GUINT64_FORMAT ",%"
            G_GUINT64_FORMAT ",%" G_GUINT64_FORMAT "\n", t,
            mctx_subscription_get_group (st->sub),
            mctx_subscription_get_port (st->sub), s->source, s->source_port,
            s->packets, (guint64) interval_bps, s->lost);
    }
    if (st->rs && !opt_json)
      merge_report (st, NULL);
    g_list_free_full (stats, (GDestroyNotify) mctx_stream_stats_free);
  }
  fflush (stdout);
  return broken;
}

static gchar *
plot_script (const gchar * argv0)
{
  const gchar *env = g_getenv ("MCTX_MONITOR_PLOT");
  g_autofree gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree gchar *dir = NULL;
  gchar *path;

  if (env && env[0])
    return g_strdup (env);
  dir = g_path_get_dirname (exe ? exe : argv0);
  path = g_build_filename (dir, "mctx-monitor-plot", NULL);
  return path;
}

static gboolean
run_plot (const gchar * argv0, const gchar * csv_path)
{
  g_autofree gchar *script = plot_script (argv0);
  g_autoptr (GError) error = NULL;
  gchar *args[] = { (gchar *) "/usr/bin/python3", script,
    (gchar *) csv_path, opt_plot, NULL
  };
  gint status = 0;

  if (!g_spawn_sync (NULL, args, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
          NULL, &status, &error) || !g_spawn_check_wait_status (status,
          &error)) {
    fprintf (stderr, "mctx-monitor: --plot '%s': %s (%s)\n", opt_plot,
        error->message, script);
    return FALSE;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *streams;
  struct pollfd *fds;
  gint64 start, next, deadline = G_MAXINT64, last_report;
  g_autofree gchar *csv_path = NULL;
  FILE *csv = NULL;
  gboolean broken, failed = FALSE;
  guint i;
  gint status;

  if (!mctx_tool_parse_options (&argc, &argv, "STREAM... | --sap - show "
          "multicast stream telemetry, or the sessions announced with SAP",
          "STREAM is mctx://[SOURCE[,SOURCE...]@]GROUP[:PORT][?interface=...]\n"
          "or GROUP[:PORT] (IPv6 in brackets: [ff3e::1]:5004); the port\n"
          "defaults to 5004. Exit status: 0 nothing lost or broken, 1 "
          "something\nwas (or a stream received nothing), 2 a bad argument "
          "or setting.", entries, NULL, &error))
    bad_argument ("%s (see --help)", error->message);
  if (opt_sap_group && !opt_sap)
    bad_argument ("--sap-group '%s' needs --sap", opt_sap_group);
  if (opt_sap) {
    g_auto (GStrv) groups = NULL;
    g_auto (GStrv) interfaces = NULL;

    if (argc > 1)
      bad_argument ("--sap takes no STREAM argument ('%s')", argv[1]);
    if (opt_source || opt_count || opt_plot || opt_rx_buffer != -1
        || opt_clock_rate)
      bad_argument ("--sap lists announcements: --source, --count, --plot, "
          "--rx-buffer-size and --clock-rate do not apply");
    if (opt_duration < 0)
      bad_argument ("bad --duration '%g': must be 0 or more seconds",
          opt_duration);
    if (!(opt_interval >= 0.01 && opt_interval <= 3600))
      bad_argument ("bad --interval '%g': must be 0.01..3600 seconds",
          opt_interval);
    if (opt_sap_group)
      groups = split_option ("--sap-group", opt_sap_group);
    if (opt_interface)
      interfaces = split_option ("--interface", opt_interface);
    return monitor_sap_run (groups, interfaces, opt_json, opt_duration,
        opt_interval);
  }
  if (argc < 2)
    bad_argument ("no stream given (see --help)");
  if (opt_duration < 0)
    bad_argument ("bad --duration '%g': must be 0 or more seconds",
        opt_duration);
  if (opt_count < 0)
    bad_argument ("bad --count '%" G_GINT64_FORMAT "': must be 0 or more",
        opt_count);
  if (!(opt_interval >= 0.01 && opt_interval <= 3600))
    bad_argument ("bad --interval '%g': must be 0.01..3600 seconds",
        opt_interval);
  if (opt_rx_buffer < 0 && opt_rx_buffer != -1)
    bad_argument ("bad --rx-buffer-size '%d': must be 0 or more bytes",
        opt_rx_buffer);
  if (opt_clock_rate < 0)
    bad_argument ("bad --clock-rate '%d': must be 0 or more Hz",
        opt_clock_rate);
  if (opt_plot) {
    g_autofree gchar *dir = g_path_get_dirname (opt_plot);
    if (!g_str_has_suffix (opt_plot, ".png"))
      bad_argument ("bad --plot '%s': the file name must end in .png",
          opt_plot);
    if (access (dir, W_OK) != 0)
      bad_argument ("bad --plot '%s': cannot write to '%s': %s", opt_plot,
          dir, g_strerror (errno));
  }

  if (opt_redundant && argc != 2)
    bad_argument ("bad --redundant '%s': it is the second leg of one STREAM, "
        "and %d streams were given", opt_redundant, argc - 1);

  streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  for (i = 1; i < (guint) argc; i++)
    g_ptr_array_add (streams, stream_new (argv[i]));
  if (opt_redundant) {
    Stream *st = g_ptr_array_index (streams, 0);
    Stream *leg1 = stream_new (opt_redundant);
    MctxSubscription *legs[2] = { st->sub, leg1->sub };

    st->rs = mctx_redundant_subscription_new (legs, 2, &error);
    if (st->rs == NULL)
      bad_argument ("bad --redundant '%s': %s", opt_redundant, error->message);
    if (!mctx_redundant_subscription_open (st->rs, &error)) {
      const gchar *opt = option_of (error);
      bad_argument ("cannot join stream '%s' and --redundant '%s'%s%s: %s",
          st->arg, opt_redundant, opt ? " with " : "", opt ? opt : "",
          error->message);
    }
    /* only its subscription is kept: the merged stream is analysed as
     * the first leg's */
    st->leg1 = g_steal_pointer (&leg1->sub);
    stream_free (leg1);
  }
  for (i = 0; i < streams->len && !opt_redundant; i++) {
    Stream *st = g_ptr_array_index (streams, i);
    gint granted;
    if (!mctx_subscription_open (st->sub, &error)) {
      const gchar *opt = option_of (error);
      bad_argument ("cannot join stream '%s'%s%s: %s", st->arg,
          opt ? " with " : "", opt ? opt : "", error->message);
    }
    granted = mctx_subscription_get_actual_receive_buffer_size (st->sub);
    if (opt_rx_buffer > 0 && granted < opt_rx_buffer)
      fprintf (stderr, "mctx-monitor: warning: --rx-buffer-size %d: the "
          "kernel granted %d bytes for stream '%s' (raise "
          "net.core.rmem_max or run with CAP_NET_ADMIN)\n", opt_rx_buffer,
          granted, st->arg);
  }
  fprintf (stderr, "mctx-monitor: joined %u stream%s\n", streams->len,
      streams->len == 1 ? "" : "s");

  if (opt_plot) {
    gint fd = g_file_open_tmp ("mctx-monitor-XXXXXX.csv", &csv_path, &error);
    if (fd < 0)
      bad_argument ("--plot '%s': %s", opt_plot, error->message);
    csv = fdopen (fd, "w");
    fprintf (csv, "time,stream,packets,bitrate_bps,lost\n");
  }

  mctx_tool_stop_on (SIGINT);
  mctx_tool_stop_on (SIGTERM);

  fds = g_new0 (struct pollfd, streams->len);
  start = last_report = g_get_monotonic_time ();
  next = start + (gint64) (opt_interval * G_USEC_PER_SEC);
  if (opt_duration > 0)
    deadline = start + (gint64) (opt_duration * G_USEC_PER_SEC);

  while (!mctx_tool_stop_requested () && !failed) {
    gint64 now = g_get_monotonic_time ();
    gint64 wake = MIN (next, deadline);
    gint timeout_ms = wake > now ? (gint) ((wake - now + 999) / 1000) : 0;
    gboolean all_counted = opt_count > 0;

    if (opt_redundant) {
      Stream *st = g_ptr_array_index (streams, 0);

      if (!stream_read (st, (gint64) timeout_ms * 1000))
        failed = TRUE;
      goto after_wait;
    }
    for (i = 0; i < streams->len; i++) {
      Stream *st = g_ptr_array_index (streams, i);
      fds[i].fd = mctx_subscription_get_fd (st->sub);
      fds[i].events = POLLIN;
      fds[i].revents = 0;
    }
    if (poll (fds, streams->len, timeout_ms) < 0 && errno != EINTR) {
      fprintf (stderr, "mctx-monitor: poll: %s\n", g_strerror (errno));
      failed = TRUE;
      break;
    }
    for (i = 0; i < streams->len; i++) {
      Stream *st = g_ptr_array_index (streams, i);
      if ((fds[i].revents & (POLLIN | POLLERR)) && !stream_read (st, 0))
        failed = TRUE;
    }
  after_wait:
    for (i = 0; i < streams->len; i++) {
      if (opt_count > 0 && stream_packets (g_ptr_array_index (streams, i))
          < (guint64) opt_count)
        all_counted = FALSE;
    }
    now = g_get_monotonic_time ();
    if (all_counted || now >= deadline)
      break;
    if (now >= next) {
      report (streams, (now - start) / 1e6, (now - last_report) / 1e6,
          FALSE, csv);
      last_report = now;
      while (next <= now)
        next += (gint64) (opt_interval * G_USEC_PER_SEC);
    }
  }

  /* whatever is still queued belongs to the run (merged: what the window
   * still holds comes out within max-path-delay) */
  for (i = 0; i < streams->len; i++) {
    Stream *st = g_ptr_array_index (streams, i);

    stream_read (st, st->rs ? 100 * 1000 : 0);
  }
  {
    gint64 now = g_get_monotonic_time ();
    broken = report (streams, (now - start) / 1e6, (now - last_report) / 1e6,
        TRUE, NULL);
  }
  status = failed || broken ? 1 : 0;

  if (csv) {
    fclose (csv);
    if (!run_plot (argv[0], csv_path))
      status = 2;
    g_unlink (csv_path);
  }
  g_free (fds);
  g_ptr_array_unref (streams);
  return status;
}
