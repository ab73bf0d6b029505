/* mctx-bench: mctxsink/mctxsrc against udpsink/udpsrc and raw sockets, in
 * one run, side by side
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Needs root: it moves itself into a private network namespace (only lo)
 * before anything else, so no datagram can leave the machine.
 */
#include "bench.h"
#include "mctx-tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

static const guint ladder_full[] = {
  50000, 100000, 150000, 200000, 300000, 400000, 500000, 650000, 800000,
  1000000, 0
};

static const guint ladder_quick[] = {
  50000, 100000, 200000, 400000, 700000, 1000000, 0
};

/* the sections of a run, in order: --only names, progress labels */
static const struct
{
  const gchar *name;
  const gchar *label;
  gsize wanted;                 /* offset of the BenchOptions flag */
  void (*run) (const BenchOptions * opts, guint repeat);
} sections[] = {
  {"send", "send", G_STRUCT_OFFSET (BenchOptions, run_send), bench_run_send},
  {"recv", "receive", G_STRUCT_OFFSET (BenchOptions, run_recv),
      bench_run_recv},
  {"latency", "latency", G_STRUCT_OFFSET (BenchOptions, run_latency),
      bench_run_latency},
  {"steady", "steady rate", G_STRUCT_OFFSET (BenchOptions, run_steady),
      bench_run_steady},
};

#define SECTION_WANTED(opts, i) \
  G_STRUCT_MEMBER (gboolean, (opts), sections[i].wanted)

static gchar *
cpu_model (void)
{
  gchar *text = NULL, *model = NULL;
  gchar **lines, **l;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL))
    return g_strdup ("unknown CPU");
  lines = g_strsplit (text, "\n", -1);
  for (l = lines; *l && model == NULL; l++)
    if (g_str_has_prefix (*l, "model name")) {
      const gchar *colon = strchr (*l, ':');

      if (colon)
        model = g_strstrip (g_strdup (colon + 1));
    }
  g_strfreev (lines);
  g_free (text);
  return model ? model : g_strdup ("unknown CPU");
}

static gchar *
source_revision (void)
{
#ifdef BENCH_SOURCE_DIR
  const gchar *argv[] = { "git", "-C", BENCH_SOURCE_DIR, "describe",
    "--always", "--dirty", NULL
  };
  gchar *out = NULL;
  gint status;

  if (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, NULL)
      && g_spawn_check_wait_status (status, NULL) && out)
    return g_strstrip (out);
  g_free (out);
#endif
  return g_strdup ("unknown");
}

static gchar *
machine_info (void)
{
  struct utsname u;
  GDateTime *now = g_date_time_new_now_local ();
  gchar *date = g_date_time_format (now, "%Y-%m-%d %H:%M %Z");
  gchar *cpu = cpu_model (), *rev = source_revision (), *gst =
      gst_version_string ();
  gchar *info;

  uname (&u);
  info = g_strdup_printf ("- Machine: %u CPUs (%s), %s %s %s\n"
      "- Date: %s\n- %s, mctx %s\n", g_get_num_processors (), cpu,
      u.sysname, u.release, u.machine, date, gst, rev);
  g_date_time_unref (now);
  g_free (date);
  g_free (cpu);
  g_free (rev);
  g_free (gst);
  return info;
}

/* total and stolen CPU time so far (jiffies, all CPUs): a VM's host
 * taking time shows up as steal, and as noise in the figures */
static void
cpu_times (guint64 * total, guint64 * steal)
{
  gchar *text = NULL;
  guint64 v[8] = { 0 };

  *total = *steal = 0;
  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL))
    return;
  if (sscanf (text, "cpu %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
          G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %"
          G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
          &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
    *total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
    *steal = v[7];
  }
  g_free (text);
}

static gboolean
element_exists (const gchar * name)
{
  GstElementFactory *f = gst_element_factory_find (name);

  if (f == NULL)
    return FALSE;
  gst_object_unref (f);
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean quick = FALSE;
  gint repeats = 0;
  gchar *output = NULL, *csv = NULL, *only = NULL, *paths = NULL;
  GOptionEntry entries[] = {
    {"quick", 'q', 0, G_OPTION_ARG_NONE, &quick,
        "A short run (about a minute)", NULL},
    {"repeats", 'r', 0, G_OPTION_ARG_INT, &repeats,
        "Repeats of every measurement (default 3, quick 2)", "N"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
        "Write the report (Markdown) here", "FILE"},
    {"csv", 0, 0, G_OPTION_ARG_FILENAME, &csv,
        "Write every sample here", "FILE"},
    {"paths", 0, 0, G_OPTION_ARG_STRING, &paths,
        "Comma separated paths to run, by the names in the CSV (for "
        "profiling one path)", "LIST"},
    {"only", 0, 0, G_OPTION_ARG_STRING, &only,
        "Comma separated sections to run: send, recv, latency, steady",
        "LIST"},
    {NULL}
  };
  BenchOptions opts;
  GError *err = NULL;
  gchar *info, *report;
  guint64 total0, steal0, total1, steal1;
  gint64 t_start;
  guint i, r;

  /* First thing, before GLib or GStreamer start any thread: unshare()
   * moves only the calling thread into the new namespace. */
  if (!bench_netns_enter (&err)) {
    g_printerr ("mctx-bench: %s\n", err->message);
    return 77;
  }

  if (!mctx_tool_parse_options (&argc, &argv,
          "- mctx vs udp elements vs raw sockets", NULL, entries,
          gst_init_get_option_group (), &err)) {
    g_printerr ("mctx-bench: %s\n", err->message);
    return 2;
  }
  gst_init (&argc, &argv);

#ifdef BENCH_PLUGIN_DIR
  /* the plugin from this build tree, unless told otherwise */
  if (g_getenv ("GST_PLUGIN_PATH") == NULL)
    gst_registry_scan_path (gst_registry_get (), BENCH_PLUGIN_DIR);
#endif

  /* the senders run in this thread; threads started from here inherit
   * this until they pin themselves */
  bench_pin_thread (BENCH_CPU_SENDER);

  /* pacing sleeps of tens of microseconds need a tight timer slack */
  prctl (PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);

  memset (&opts, 0, sizeof (opts));
  opts.quick = quick;
  opts.repeats = repeats > 0 ? repeats : quick ? 2 : 3;
  opts.repeats = MIN (opts.repeats, 32);
  opts.send_seconds = quick ? 0.2 : 0.5;
  opts.send_max_packets = 20000000;
  opts.step_seconds = quick ? 0.2 : 0.3;
  opts.ladder = quick ? ladder_quick : ladder_full;
  opts.bisect_steps = quick ? 0 : 1;
  opts.burst_packets = quick ? 300000 : 1000000;
  opts.burst_seconds = 10;
  opts.latency_seconds = quick ? 0.5 : 1.0;
  opts.latency_rate = 10000;
  opts.rcvbuf = 4 << 20;
  opts.steady_seconds = quick ? 1.0 : 3.0;
  for (i = 0; i < G_N_ELEMENTS (sections); i++)
    SECTION_WANTED (&opts, i) = only == NULL;
  if (only) {
    gchar **parts = g_strsplit (only, ",", -1), **p;

    for (p = parts; *p; p++) {
      for (i = 0; i < G_N_ELEMENTS (sections); i++)
        if (g_str_equal (*p, sections[i].name))
          break;
      if (i == G_N_ELEMENTS (sections)) {
        g_printerr ("mctx-bench: unknown section '%s'\n", *p);
        return 2;
      }
      SECTION_WANTED (&opts, i) = TRUE;
    }
    g_strfreev (parts);
  }
  if (paths)
    opts.paths = g_strsplit (paths, ",", -1);
  opts.have_mctxsink = element_exists ("mctxsink");
  opts.have_mctxsrc = element_exists ("mctxsrc");
  if (!element_exists ("udpsink") || !element_exists ("udpsrc")
      || !element_exists ("fakesink")) {
    g_printerr ("mctx-bench: udpsink, udpsrc and fakesink are needed "
        "(gstreamer1.0-plugins-good, -base)\n");
    return 1;
  }

  bench_results_init (opts.repeats);
  if (!opts.have_mctxsink)
    bench_note ("mctxsink not found: its rows are empty");
  if (!opts.have_mctxsrc)
    bench_note ("mctxsrc not found: its rows are empty");

  info = machine_info ();
  printf ("mctx-bench: %s run, %u repeats, private network namespace (lo)\n"
      "%s\n", quick ? "quick" : "full", opts.repeats, info);
  fflush (stdout);

  cpu_times (&total0, &steal0);
  t_start = bench_now_ns ();
  for (i = 0; i < G_N_ELEMENTS (sections); i++)
    for (r = 0; SECTION_WANTED (&opts, i) && r < opts.repeats; r++) {
      printf ("%s, repeat %u of %u\n", sections[i].label, r + 1,
          opts.repeats);
      sections[i].run (&opts, r);
    }

  cpu_times (&total1, &steal1);
  if (total1 > total0) {
    gchar *more = g_strdup_printf ("%s- CPU time stolen by the hypervisor "
        "during the run: %.1f %%\n", info,
        100.0 * (steal1 - steal0) / (total1 - total0));

    g_free (info);
    info = more;
  }

  report = bench_report_tables (&opts);
  printf ("\n%s", report);
  g_free (report);

  if (output) {
    report = bench_report_markdown (&opts, info,
        (bench_now_ns () - t_start) / 1e9);
    if (!g_file_set_contents (output, report, -1, &err)) {
      g_printerr ("mctx-bench: %s\n", err->message);
      return 1;
    }
    printf ("wrote %s\n", output);
    g_free (report);
  }
  if (csv) {
    if (!bench_report_csv (csv, &err)) {
      g_printerr ("mctx-bench: %s\n", err->message);
      return 1;
    }
    printf ("wrote %s\n", csv);
  }

  g_free (info);
  g_free (output);
  g_free (csv);
  g_free (only);
  g_free (paths);
  g_strfreev (opts.paths);
  return 0;
}
