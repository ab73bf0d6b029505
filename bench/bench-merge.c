/* bench-merge: what the ST 2022-7 merge in mctxsrc costs, at a steady rate.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * In a private network namespace (loopback only), a sender process sends
 * RTP datagrams of 1316 bytes at a steady rate, on one group or on two (the
 * same sequence numbers on both, as mctxsink redundant-uri does), and this
 * process receives them with a GStreamer pipeline, three ways:
 *
 *   one-leg      mctxsrc ! fakesink                       (one copy sent)
 *   two-sources  two mctxsrc ! fakesink, one per leg      (both copies, no merge)
 *   merged       mctxsrc redundant-uri=... ! fakesink     (both copies, merged)
 *
 * It reports the receiving process's CPU time (user + system, getrusage)
 * from the start of the sender to the last datagram, per packet delivered
 * downstream. merged - two-sources is what the merge itself costs; merged -
 * one-leg is what protection costs in all (reading the second copy
 * included). Bounded: every run ends at its packet count or a deadline.
 *
 *   bench-merge [--rate PPS] [--seconds S] [--repeats N] [--markdown]
 *
 * --markdown prints the section tools/bench.sh appends to
 * docs/benchmarks.md.
 *   bench-merge --send GROUPS RATE COUNT        (the sender, run by itself)
 *
 * --send is the child's mode only: it enters no namespace (it must share
 * its parent's) and sends on lo only.
 */

#include "bench.h"
#include "mctx-tool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#define GROUP_RED "239.255.78.1"
#define GROUP_BLUE "239.255.78.2"
#define PORT 15400
#define SIZE 1316

static gdouble
cpu_seconds (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
      ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* the sender: COUNT packets at RATE per second on 1 or 2 groups */
static int
run_sender (guint n_groups, guint rate, guint count)
{
  const gchar *groups[2] = { GROUP_RED, GROUP_BLUE };
  MctxPublication *pub[2];
  guint8 pkt[SIZE];
  gint64 start, period = 1000000000 / rate;
  guint i, g;

  for (g = 0; g < n_groups; g++) {
    GError *err = NULL;

    pub[g] = mctx_publication_new (groups[g], PORT);
    g_object_set (pub[g], "interface", "lo", "send-buffer-size", 4 << 20, NULL);
    if (!mctx_publication_open (pub[g], &err)) {
      g_printerr ("sender: %s\n", err->message);
      return 1;
    }
  }
  memset (pkt, 0, sizeof pkt);
  pkt[0] = 0x80;
  pkt[1] = 96;
  start = bench_now_ns ();
  for (i = 0; i < count; i++) {
    /* in bursts of 8: a steady rate without a wake-up per packet */
    if (i % 8 == 0)
      bench_sleep_until (start + (gint64) i * period);
    pkt[2] = (i >> 8) & 0xff;
    pkt[3] = i & 0xff;
    for (g = 0; g < n_groups; g++) {
      GError *err = NULL;

      if (!mctx_tool_send (pub[g], pkt, sizeof pkt, G_USEC_PER_SEC, &err)) {
        g_printerr ("sender: %s\n", err->message);
        return 1;
      }
    }
  }
  for (g = 0; g < n_groups; g++) {
    mctx_publication_close (pub[g]);
    g_object_unref (pub[g]);
  }
  return 0;
}

static guint64
stat_of (GstElement * e, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  gst_structure_get_uint64 (s, field, &v);
  gst_structure_free (s);
  return v;
}

typedef enum
{
  ONE_LEG,
  TWO_SOURCES,
  MERGED,
} Mode;

static const gchar *const mode_names[] = { "one-leg", "two-sources",
  "merged"
};

/* one run; Returns: CPU seconds per million packets delivered, or -1 */
static gdouble
run_mode (Mode mode, guint rate, guint count, const gchar * self)
{
  const gchar *common = "port=" G_STRINGIFY (PORT) " interface=lo "
      "buffer-size=8388608 retrieve-sender-address=false";
  gchar *desc, *send_args[6], rate_s[16], count_s[16];
  GstElement *pipe, *a, *b = NULL;
  GError *err = NULL;
  GPid pid;
  gdouble cpu0, cpu1;
  gint64 deadline;
  guint64 got = 0;
  gint status;
  gboolean sender_ok;

  if (mode == ONE_LEG)
    desc = g_strdup_printf ("mctxsrc name=a address=" GROUP_RED " %s ! "
        "fakesink sync=false async=false", common);
  else if (mode == TWO_SOURCES)
    desc = g_strdup_printf ("mctxsrc name=a address=" GROUP_RED " %s ! "
        "fakesink sync=false async=false mctxsrc name=b address=" GROUP_BLUE
        " %s ! " "fakesink sync=false async=false", common, common);
  else
    desc = g_strdup_printf ("mctxsrc name=a address=" GROUP_RED " %s "
        "redundant-uri=mctx://" GROUP_BLUE ":" G_STRINGIFY (PORT)
        "?interface=lo&buffer-size=8388608 ! fakesink sync=false async=false",
        common);
  pipe = gst_parse_launch (desc, &err);
  g_free (desc);
  if (pipe == NULL) {
    g_printerr ("%s\n", err->message);
    return -1;
  }
  a = gst_bin_get_by_name (GST_BIN (pipe), "a");
  b = gst_bin_get_by_name (GST_BIN (pipe), "b");
  if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("the receiver did not start\n");
    return -1;
  }
  /* the joins happen in start (READY to PAUSED), inside set_state: no
   * need to wait for the sinks to preroll before sending */

  g_snprintf (rate_s, sizeof rate_s, "%u", rate);
  g_snprintf (count_s, sizeof count_s, "%u", count);
  send_args[0] = (gchar *) self;
  send_args[1] = (gchar *) "--send";
  send_args[2] = (gchar *) (mode == ONE_LEG ? "1" : "2");
  send_args[3] = rate_s;
  send_args[4] = count_s;
  send_args[5] = NULL;

  cpu0 = cpu_seconds ();
  if (!g_spawn_async (NULL, send_args, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
          NULL, &pid, &err)) {
    g_printerr ("sender: %s\n", err->message);
    return -1;
  }
  deadline = bench_now_ns () + ((gint64) count / rate + 5) * 1000000000;
  while (bench_now_ns () < deadline) {
    if (mode == MERGED)
      got = stat_of (a, "delivered");
    else
      got = stat_of (a, "packets-received");
    if (got >= count && (b == NULL || stat_of (b, "packets-received") >= count))
      break;
    g_usleep (2000);
  }
  cpu1 = cpu_seconds ();
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  /* a sender that stopped early (send error, blocked > 1 s) sent less
   * than asked: what was received measures nothing */
  sender_ok = WIFEXITED (status) && WEXITSTATUS (status) == 0;

  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (a);
  if (b)
    gst_object_unref (b);
  gst_object_unref (pipe);
  if (!sender_ok) {
    g_printerr ("%s: the sender failed (%s %d), no measurement\n",
        mode_names[mode], WIFEXITED (status) ? "exit status" : "signal",
        WIFEXITED (status) ? WEXITSTATUS (status) : WTERMSIG (status));
    return -1;
  }
  if (got < count)
    g_printerr ("%s: %" G_GUINT64_FORMAT " of %u delivered\n",
        mode_names[mode], got, count);
  return (cpu1 - cpu0) / (got ? got : 1) * 1e6;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  gint rate = 20000, repeats = 3;
  gboolean markdown = FALSE;
  gdouble seconds = 5;
  GOptionEntry entries[] = {
    {"rate", 0, 0, G_OPTION_ARG_INT, &rate, "packets per second per leg",
        "PPS"},
    {"seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "per run", "S"},
    {"repeats", 0, 0, G_OPTION_ARG_INT, &repeats, "runs per mode", "N"},
    {"markdown", 0, 0, G_OPTION_ARG_NONE, &markdown,
        "a section for docs/benchmarks.md", NULL},
    {NULL}
  };
  GError *err = NULL;
  gdouble med[3];
  guint count, m, r;

  /* the child, already in its parent's namespace (see above) */
  if (argc == 5 && g_str_equal (argv[1], "--send"))
    return run_sender (atoi (argv[2]), atoi (argv[3]), atoi (argv[4]));

  if (!mctx_tool_parse_options (&argc, &argv,
          "- the cost of mctxsrc's ST 2022-7 merge", NULL, entries, NULL,
          &err)) {
    g_printerr ("%s\n", err->message);
    return 2;
  }
  if (rate < 100 || rate > 1000000 || seconds < 0.5 || seconds > 60
      || repeats < 1 || repeats > 20) {
    g_printerr ("--rate 100..1000000, --seconds 0.5..60, --repeats 1..20\n");
    return 2;
  }
  /* our own network namespace: nothing leaves this host */
  if (!bench_netns_enter (&err)) {
    g_printerr ("bench-merge: %s\n", err->message);
    return 77;
  }
#ifdef BENCH_PLUGIN_DIR
  g_setenv ("GST_PLUGIN_PATH", BENCH_PLUGIN_DIR, FALSE);
#endif
  gst_init (&argc, &argv);

  count = (guint) (rate * seconds);
  if (markdown)
    g_print ("\n## ST 2022-7 merge (mctxsrc redundant-uri)\n\n"
        "Written by `bench/bench-merge.c` (`tools/bench.sh` appends it). "
        "A sender process sends RTP datagrams of %d B at a steady %d "
        "packets/s per leg for %.1f s (%u packets) in a private namespace "
        "on `lo`; the receiving process's CPU time (user + system, "
        "`getrusage`) from the sender's start to the last packet, divided by "
        "the packets of the stream, median of %d runs: *one-leg* `mctxsrc` "
        "(one copy sent), *two-sources* two `mctxsrc`, one per leg (both "
        "copies, no merge: every packet goes downstream twice), *merged* "
        "`mctxsrc redundant-uri=...` (both copies read, merged, each packet "
        "downstream once).\n\n| receiver | CPU per packet of the stream | "
        "runs |\n|---|---:|---|\n", SIZE, rate, seconds, count, repeats);
  else
    g_print ("bench-merge: %d packets/s per leg, %u packets of %d bytes per "
        "run, median of %d runs; CPU of the receiving process (user + "
        "system)\n", rate, count, SIZE, repeats);
  for (m = 0; m < 3; m++) {
    gdouble *v = g_new (gdouble, repeats);

    for (r = 0; r < (guint) repeats; r++) {
      v[r] = run_mode (m, rate, count, "/proc/self/exe");
      /* a failed run has no figure: no median of it either */
      if (v[r] < 0) {
        g_free (v);
        return 1;
      }
    }
    qsort (v, repeats, sizeof (gdouble), cmp_double);
    med[m] = v[repeats / 2];
    if (markdown)
      g_print ("| %s | %.2f us |", mode_names[m], med[m]);
    else
      g_print ("  %-12s %6.2f us CPU per delivered packet (runs:",
          mode_names[m], med[m]);
    for (r = 0; r < (guint) repeats; r++)
      g_print (" %.2f", v[r]);
    g_print (markdown ? " |\n" : ")\n");
    g_free (v);
  }
  if (markdown) {
    g_print ("\nProtection in all (merged / one-leg): **%.2fx** (%+.2f us per "
        "packet: the second copy is read too). Against two plain sources "
        "(merged - two-sources): %+.2f us per packet: merging in one "
        "streaming thread costs no more than receiving both copies "
        "separately. The merge algorithm alone is about 0.1 us per packet "
        "(`tests/test-merger.c`, `/merger/cost`).\n", med[2] / med[0],
        med[2] - med[0], med[2] - med[1]);
    return 0;
  }
  g_print ("  merge alone (merged - two-sources): %+.2f us per packet\n",
      med[2] - med[1]);
  g_print ("  protection in all (merged - one-leg): %+.2f us per packet "
      "(x%.2f)\n", med[2] - med[0], med[2] / med[0]);
  return 0;
}
