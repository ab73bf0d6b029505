/* mctx-bench: results, medians, ratios, the tables
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static guint n_repeats;
static GHashTable *results;     /* key -> GArray of gdouble, one per repeat */
static GPtrArray *keys;         /* in the order first set */
static GPtrArray *notes;

void
bench_results_init (guint repeats)
{
  n_repeats = repeats;
  results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      (GDestroyNotify) g_array_unref);
  keys = g_ptr_array_new ();
  notes = g_ptr_array_new_with_free_func (g_free);
}

void
bench_result_set (const gchar * key, guint repeat, gdouble value)
{
  GArray *a = g_hash_table_lookup (results, key);

  g_return_if_fail (repeat < n_repeats);
  if (a == NULL) {
    gdouble nan = NAN;
    gchar *k = g_strdup (key);
    guint i;

    a = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), n_repeats);
    for (i = 0; i < n_repeats; i++)
      g_array_append_val (a, nan);
    g_hash_table_insert (results, k, a);
    g_ptr_array_add (keys, k);
  }
  g_array_index (a, gdouble, repeat) = value;
}

void
bench_note (const gchar * format, ...)
{
  va_list ap;

  va_start (ap, format);
  g_ptr_array_add (notes, g_strdup_vprintf (format, ap));
  va_end (ap);
}

static gint
cmp_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

static gdouble
median_of (gdouble * v, guint n)
{
  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (gdouble), cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

gdouble
bench_result_median (const gchar * key)
{
  GArray *a = g_hash_table_lookup (results, key);
  gdouble v[64];
  guint i, n = 0;

  if (a == NULL)
    return NAN;
  for (i = 0; i < a->len && n < G_N_ELEMENTS (v); i++)
    if (!isnan (g_array_index (a, gdouble, i)))
      v[n++] = g_array_index (a, gdouble, i);
  return median_of (v, n);
}

/* Ratios are taken within a repeat, where both sides ran seconds apart,
 * and then the median over the repeats: the machine's speed drifts more
 * between repeats than within one. */
gdouble
bench_result_ratio (const gchar * key_a, const gchar * key_b)
{
  GArray *a = g_hash_table_lookup (results, key_a);
  GArray *b = g_hash_table_lookup (results, key_b);
  gdouble v[64];
  guint i, n = 0;

  if (a == NULL || b == NULL)
    return NAN;
  for (i = 0; i < a->len && n < G_N_ELEMENTS (v); i++) {
    gdouble x = g_array_index (a, gdouble, i), y = g_array_index (b, gdouble,
        i);

    if (!isnan (x) && !isnan (y) && y != 0)
      v[n++] = x / y;
  }
  return median_of (v, n);
}

/*** formatting **************************************************************/

static gdouble
med (const gchar * fmt, ...) G_GNUC_PRINTF (1, 2);

static gdouble
med (const gchar * fmt, ...)
{
  va_list ap;
  gchar *key;
  gdouble v;

  va_start (ap, fmt);
  key = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  v = bench_result_median (key);
  g_free (key);
  return v;
}

static void
append_rate (GString * s, gdouble pps)
{
  if (isnan (pps))
    g_string_append (s, " – |");
  else if (pps >= 1e6)
    g_string_append_printf (s, " %.2fM |", pps / 1e6);
  else
    g_string_append_printf (s, " %.0fk |", pps / 1e3);
}

/* a cell: @v with @decimals and @suffix, or a dash when not measured */
static void
append_num (GString * s, gint decimals, const gchar * suffix, gdouble v)
{
  if (isnan (v))
    g_string_append (s, " – |");
  else
    g_string_append_printf (s, " %.*f%s |", decimals, v, suffix);
}

typedef struct
{
  const gchar *what;
  gdouble value;
  gdouble target;
  gboolean at_most;             /* the target is a ceiling */
} Target;

static void
add_target (GArray * targets, const gchar * what, gdouble value,
    gdouble target, gboolean at_most)
{
  Target t = { what, value, target, at_most };

  g_array_append_val (targets, t);
}

/* median over the repeats of section/size/a/metric : section/size/b/metric */
static gdouble
path_ratio (const gchar * section, gint size, const gchar * a,
    const gchar * b, const gchar * metric)
{
  gchar *ka = g_strdup_printf ("%s/%d/%s/%s", section, size, a, metric);
  gchar *kb = g_strdup_printf ("%s/%d/%s/%s", section, size, b, metric);
  gdouble r = bench_result_ratio (ka, kb);

  g_free (ka);
  g_free (kb);
  return r;
}

static void
append_target_cell (GString * s, gdouble target, gboolean at_most)
{
  if (target > 0)
    g_string_append_printf (s, " %s %.3g× |\n", at_most ? "≤" : "≥", target);
  else
    g_string_append (s, " |\n");
}

/* a row of one ratio; a target (> 0) is also listed with the others */
static void
ratio_row (GString * s, GArray * targets, const gchar * what, gdouble r,
    gdouble target, gboolean at_most)
{
  g_string_append_printf (s, "| %s |", what);
  append_num (s, 2, "×", r);
  append_target_cell (s, target, at_most);
  if (target > 0)
    add_target (targets, what, r, target, at_most);
}

/* a row of the send ratios, both sizes; the target applies to both */
static void
send_ratio_row (GString * s, GArray * targets, const gchar * section,
    const gchar * what, const gchar * a, const gchar * b,
    const gchar * metric, gdouble target)
{
  gdouble rl = path_ratio (section, BENCH_SIZE_LARGE, a, b, metric);
  gdouble rs = path_ratio (section, BENCH_SIZE_SMALL, a, b, metric);

  g_string_append_printf (s, "| %s |", what);
  append_num (s, 2, "×", rl);
  append_num (s, 2, "×", rs);
  append_target_cell (s, target, FALSE);
  if (target > 0) {
    gchar *l = g_strdup_printf ("%s (%d B)", what, BENCH_SIZE_LARGE);
    gchar *sm = g_strdup_printf ("%s (%d B)", what, BENCH_SIZE_SMALL);

    /* interned: the targets outlive this call */
    add_target (targets, g_intern_string (l), rl, target, FALSE);
    add_target (targets, g_intern_string (sm), rs, target, FALSE);
    g_free (l);
    g_free (sm);
  }
}

static const BenchSendKind send_rows[] = {
  BENCH_SEND_UDPSINK, BENCH_SEND_MCTXSINK,
  BENCH_SEND_UDPSINK_LIST, BENCH_SEND_MCTXSINK_LIST,
  BENCH_SEND_LIBMCTX,
  BENCH_SEND_RAW_SEND, BENCH_SEND_RAW_SENDMMSG, BENCH_SEND_RAW_GSO,
};

static const BenchRecvKind recv_rows[] = {
  BENCH_RECV_UDPSRC, BENCH_RECV_MCTXSRC, BENCH_RECV_MCTXSRC_STREAM,
  BENCH_RECV_MCTXSRC_GRO,
  BENCH_RECV_LIBMCTX, BENCH_RECV_RAW,
};

static void
send_table (GString * s, const gchar * section, gboolean delivered)
{
  const gint sizes[] = { BENCH_SIZE_LARGE, BENCH_SIZE_SMALL };
  guint i, j;

  g_string_append (s, "| path |");
  for (j = 0; j < G_N_ELEMENTS (sizes); j++)
    g_string_append_printf (s, " %d B pkt/s | CPU µs/pkt |%s", sizes[j],
        delivered ? " delivered |" : "");
  g_string_append (s, "\n|---|");
  for (j = 0; j < G_N_ELEMENTS (sizes); j++)
    g_string_append (s, delivered ? "---:|---:|---:|" : "---:|---:|");
  g_string_append_c (s, '\n');

  for (i = 0; i < G_N_ELEMENTS (send_rows); i++) {
    const gchar *name = bench_send_kinds[send_rows[i]].name;

    g_string_append_printf (s, "| %s |", bench_send_kinds[send_rows[i]].label);
    for (j = 0; j < G_N_ELEMENTS (sizes); j++) {
      append_rate (s, med ("%s/%d/%s/pps", section, sizes[j], name));
      append_num (s, 2, "", med ("%s/%d/%s/cpu_ns", section, sizes[j],
              name) / 1000);
      if (delivered)
        append_num (s, 1, " %", med ("%s/%d/%s/delivered_pct", section,
                sizes[j], name));
    }
    g_string_append_c (s, '\n');
  }
  g_string_append_c (s, '\n');
}

static void
send_tables (GString * s, GArray * targets)
{
  g_string_append (s, "### Send, to a joined receiver\n\n"
      "Every datagram is delivered to a raw `recvmmsg()` socket, as a "
      "network would carry it one by one. On lo the kernel does most of "
      "that delivery inside the sender's `send` call, so the CPU column "
      "includes it (the sending thread's time; the receiving thread's is "
      "not counted). *delivered*: what the receiver got; below 100 % it "
      "was the receiver that could not keep up, not the sink dropping "
      "(the element's own counter is checked against the pushes).\n\n");
  send_table (s, "send", TRUE);

  g_string_append (s, "### Send, sender alone (no receiver joined)\n\n"
      "Each datagram is dropped at IP input on lo, and a UDP GSO "
      "super-datagram is never split: this is the sender's own cost, "
      "user space and system call, and it shows the overhead of the "
      "element over the library and the raw socket. The GSO rows here "
      "are not what a NIC without UDP segmentation offload would do.\n\n");
  send_table (s, "send-alone", FALSE);

  g_string_append_printf (s, "| send ratio (median of per-repeat ratios) "
      "| %d B | %d B | target |\n|---|---:|---:|---|\n", BENCH_SIZE_LARGE,
      BENCH_SIZE_SMALL);
  send_ratio_row (s, targets, "send", "mctxsink / udpsink, single buffers",
      "mctxsink", "udpsink", "pps", 1.2);
  send_ratio_row (s, targets, "send", "mctxsink / udpsink, lists of 32",
      "mctxsink-list", "udpsink-list", "pps", 2.5);
  send_ratio_row (s, targets, "send", "mctxsink lists / raw UDP GSO",
      "mctxsink-list", "raw-gso", "pps", 0.8);
  send_ratio_row (s, targets, "send",
      "CPU per packet: mctxsink / udpsink, single", "mctxsink", "udpsink",
      "cpu_ns", 0);
  send_ratio_row (s, targets, "send",
      "CPU per packet: mctxsink / udpsink, lists", "mctxsink-list",
      "udpsink-list", "cpu_ns", 0);
  send_ratio_row (s, targets, "send-alone",
      "sender alone: mctxsink / udpsink, lists of 32", "mctxsink-list",
      "udpsink-list", "pps", 0);
  send_ratio_row (s, targets, "send-alone",
      "sender alone: mctxsink lists / libmctx send_messages()",
      "mctxsink-list", "libmctx", "pps", 0);
  send_ratio_row (s, targets, "send-alone",
      "sender alone: mctxsink lists / raw UDP GSO", "mctxsink-list",
      "raw-gso", "pps", 0);
  g_string_append_c (s, '\n');
}

/* a row of the receive ratios: mctxsrc against @other */
static void
recv_ratio_row (GString * s, GArray * targets, const gchar * what,
    const gchar * other, const gchar * metric, gdouble target)
{
  ratio_row (s, targets, what, path_ratio ("recv", BENCH_SIZE_LARGE,
          "mctxsrc", other, metric), target, FALSE);
}

static void
recv_tables (GString * s, GArray * targets)
{
  const gint L = BENCH_SIZE_LARGE;
  guint i;

  g_string_append_printf (s, "### Receive (%d B datagrams)\n\n"
      "| receiver | lossless pkt/s | burst: received | burst: receive rate "
      "| burst: offered rate |\n|---|---:|---:|---:|---:|\n", L);
  for (i = 0; i < G_N_ELEMENTS (recv_rows); i++) {
    const gchar *name = bench_recv_kinds[recv_rows[i]].name;

    g_string_append_printf (s, "| %s |", bench_recv_kinds[recv_rows[i]].label);
    /* "at least" when most repeats were capped by the sender or ladder */
    if (med ("recv/%d/%s/lossless_capped", L, name) >= 0.5)
      g_string_append (s, " ≥");
    append_rate (s, med ("recv/%d/%s/lossless_pps", L, name));
    append_num (s, 1, " %", med ("recv/%d/%s/burst_pct", L, name));
    append_rate (s, med ("recv/%d/%s/burst_recv_pps", L, name));
    append_rate (s, med ("recv/%d/%s/burst_sent_pps", L, name));
    g_string_append_c (s, '\n');
  }

  g_string_append (s, "\n| receive ratio (median of per-repeat ratios) "
      "| value | target |\n|---|---:|---|\n");
  recv_ratio_row (s, targets, "mctxsrc / udpsrc, lossless rate", "udpsrc",
      "lossless_pps", 2.5);
  recv_ratio_row (s, targets, "mctxsrc / udpsrc, burst received", "udpsrc",
      "burst_pct", 2.5);
  recv_ratio_row (s, targets, "mctxsrc / raw recvmmsg, lossless rate",
      "raw-recvmmsg", "lossless_pps", 0.8);
  recv_ratio_row (s, targets, "mctxsrc / raw recvmmsg, burst received",
      "raw-recvmmsg", "burst_pct", 0.9);
  ratio_row (s, targets, "mctxsrc byte stream / raw recvmmsg, burst received",
      path_ratio ("recv", BENCH_SIZE_LARGE, "mctxsrc-bytestream",
          "raw-recvmmsg", "burst_pct"), 0, FALSE);
  recv_ratio_row (s, targets, "mctxsrc / libmctx, burst received", "libmctx",
      "burst_pct", 0);
  g_string_append_c (s, '\n');
}

static const BenchRecvKind steady_rows[] = {
  BENCH_RECV_RAW, BENCH_RECV_LIBMCTX, BENCH_RECV_MCTXSRC,
  BENCH_RECV_MCTXSRC_STREAM, BENCH_RECV_MCTXSRC_NOANALYSE,
  BENCH_RECV_MCTXSRC_GRO, BENCH_RECV_UDPSRC,
};

static void
steady_ratio_row (GString * s, GArray * targets, guint rate,
    const gchar * what, const gchar * a, const gchar * b, gdouble target)
{
  ratio_row (s, targets, what, path_ratio ("steady", rate, a, b, "cpu_ns"),
      target, TRUE);
}

static void
steady_tables (GString * s, GArray * targets)
{
  static const guint rates[] = { 100000, 200000 };
  guint i, j;

  g_string_append_printf (s, "### CPU per datagram at a steady rate "
      "(%d B RTP datagrams)\n\n| receiver |", BENCH_SIZE_LARGE);
  for (j = 0; j < G_N_ELEMENTS (rates); j++)
    g_string_append_printf (s, " %uk/s: ns per datagram (user / sys) | "
        "%uk/s: × raw | %uk/s: lost |", rates[j] / 1000, rates[j] / 1000,
        rates[j] / 1000);
  g_string_append (s, "\n|---|");
  for (j = 0; j < G_N_ELEMENTS (rates); j++)
    g_string_append (s, "---:|---:|---:|");
  g_string_append_c (s, '\n');
  for (i = 0; i < G_N_ELEMENTS (steady_rows); i++) {
    const gchar *name = bench_recv_kinds[steady_rows[i]].name;

    g_string_append_printf (s, "| %s |",
        bench_recv_kinds[steady_rows[i]].label);
    for (j = 0; j < G_N_ELEMENTS (rates); j++) {
      gdouble cpu = med ("steady/%u/%s/cpu_ns", rates[j], name);

      if (isnan (cpu))
        g_string_append (s, " – |");
      else
        g_string_append_printf (s, " %.0f (%.0f / %.0f) |", cpu,
            med ("steady/%u/%s/user_ns", rates[j], name),
            med ("steady/%u/%s/sys_ns", rates[j], name));
      append_num (s, 2, "×", path_ratio ("steady", rates[j], name,
              "raw-recvmmsg", "cpu_ns"));
      append_num (s, 2, " %", med ("steady/%u/%s/loss_pct", rates[j], name));
    }
    g_string_append_c (s, '\n');
  }
  g_string_append (s, "\n| steady-rate CPU ratio (median of per-repeat "
      "ratios) | value | target |\n|---|---:|---|\n");
  steady_ratio_row (s, targets, 100000,
      "100k/s: mctxsrc / raw recvmmsg, CPU per datagram", "mctxsrc",
      "raw-recvmmsg", 1.25);
  steady_ratio_row (s, targets, 100000,
      "100k/s: mctxsrc byte stream / raw recvmmsg, CPU per datagram",
      "mctxsrc-bytestream", "raw-recvmmsg", 1.1);
  steady_ratio_row (s, targets, 100000,
      "100k/s: mctxsrc / mctxsrc analyse=false (analysis cost)", "mctxsrc",
      "mctxsrc-noanalyse", 1.05);
  steady_ratio_row (s, targets, 100000,
      "100k/s: mctxsrc / udpsrc, CPU per datagram", "mctxsrc", "udpsrc", 0);
  steady_ratio_row (s, targets, 200000,
      "200k/s: mctxsrc / raw recvmmsg, CPU per datagram", "mctxsrc",
      "raw-recvmmsg", 0);
  steady_ratio_row (s, targets, 200000,
      "200k/s: mctxsrc / mctxsrc analyse=false (analysis cost)", "mctxsrc",
      "mctxsrc-noanalyse", 1.05);
  steady_ratio_row (s, targets, 100000,
      "100k/s: mctxsrc gro=true / mctxsrc, CPU per datagram", "mctxsrc-gro",
      "mctxsrc", 0);
  g_string_append_c (s, '\n');
}

static void
latency_tables (GString * s, GArray * targets)
{
  static const BenchKind rows[] = {
    {"udp", "udpsink → udpsrc"},
    {"mctx", "mctxsink → mctxsrc"},
    {"udpsink-mctxsrc", "udpsink → mctxsrc"},
    {"mctxsink-udpsrc", "mctxsink → udpsrc"},
    {"raw", "raw send() → raw recvmmsg()"},
  };
  const gint L = BENCH_SIZE_LARGE;
  gdouble r99, r50;
  guint i;

  g_string_append_printf (s, "### Latency (%d B datagrams, push into the "
      "sink → the source's downstream pad)\n\n"
      "| path | p50 µs | p99 µs | max µs | lost |\n"
      "|---|---:|---:|---:|---:|\n", L);
  for (i = 0; i < G_N_ELEMENTS (rows); i++) {
    g_string_append_printf (s, "| %s |", rows[i].label);
    append_num (s, 1, "", med ("latency/%d/%s/p50_us", L, rows[i].name));
    append_num (s, 1, "", med ("latency/%d/%s/p99_us", L, rows[i].name));
    append_num (s, 1, "", med ("latency/%d/%s/max_us", L, rows[i].name));
    append_num (s, 0, "", med ("latency/%d/%s/lost", L, rows[i].name));
    g_string_append_c (s, '\n');
  }

  r99 = path_ratio ("latency", L, "mctx", "udp", "p99_us");
  r50 = path_ratio ("latency", L, "mctx", "udp", "p50_us");
  g_string_append (s, "\n| latency ratio | value | target |\n|---|---:|---|\n"
      "| p99: mctx / udp |");
  append_num (s, 2, "×", r99);
  append_target_cell (s, 1.0, TRUE);
  g_string_append (s, "| p50: mctx / udp |");
  append_num (s, 2, "×", r50);
  append_target_cell (s, 0, FALSE);
  g_string_append_c (s, '\n');
  add_target (targets, "latency p99: mctx / udp", r99, 1.0, TRUE);
}

/* the tables, also printed at the end of a run */
static gchar *
tables (const BenchOptions * opts)
{
  GString *s = g_string_new (NULL);
  GArray *targets = g_array_new (FALSE, FALSE, sizeof (Target));
  guint i;

  if (opts->run_send)
    send_tables (s, targets);
  if (opts->run_recv)
    recv_tables (s, targets);
  if (opts->run_latency)
    latency_tables (s, targets);
  if (opts->run_steady)
    steady_tables (s, targets);

  g_string_append (s, "### Targets (reported, not asserted)\n\n"
      "| target | measured | wanted | |\n|---|---:|---:|---|\n");
  for (i = 0; i < targets->len; i++) {
    Target *t = &g_array_index (targets, Target, i);
    const gchar *verdict = isnan (t->value) ? "not measured" :
        (t->at_most ? t->value <= t->target : t->value >= t->target) ?
        "met" : "**missed**";

    g_string_append_printf (s, "| %s |", t->what);
    append_num (s, 2, "×", t->value);
    g_string_append_printf (s, " %s %.3g× | %s |\n", t->at_most ? "≤" : "≥",
        t->target, verdict);
  }
  g_string_append_c (s, '\n');

  if (notes->len) {
    g_string_append (s, "Notes from the run:\n\n");
    for (i = 0; i < notes->len; i++)
      g_string_append_printf (s, "- %s\n", (gchar *) notes->pdata[i]);
    g_string_append_c (s, '\n');
  }
  g_array_unref (targets);
  return g_string_free (s, FALSE);
}

gchar *
bench_report_markdown (const BenchOptions * opts, const gchar * machine_info,
    gdouble total_seconds)
{
  GString *s = g_string_new (NULL);
  gchar *t = tables (opts);

  g_string_append_printf (s,
      "# Benchmarks\n\n"
      "Written by `tools/bench.sh` (the program is `bench/mctx-bench.c`; "
      "`tools/bench.sh --quick` for a short run). Do not edit by hand.\n\n"
      "%s\n"
      "Run: %s, %u repeat%s, %.0f s in all. Medians over the repeats; "
      "ratios are the median of the ratios taken within each repeat, where "
      "both sides ran seconds apart (absolute figures swing by up to 2× "
      "between runs on a small VM; ratios are what to read).\n\n",
      machine_info, opts->quick ? "quick" : "full", opts->repeats,
      opts->repeats == 1 ? "" : "s", total_seconds);

  g_string_append_printf (s,
      "## How it measures\n\n"
      "Everything runs in a private network namespace that only has `lo` "
      "(multicast on, `224.0.0.0/4 dev lo`, rp_filter 0), IPv4, TTL 1. Every "
      "load loop is bounded by a count and a deadline, under a watchdog.\n\n"
      "- **Send**: the sink is fed from the benchmark's thread through a pad "
      "of its own (as GstCheck does: no appsrc queue, no streaming thread), "
      "with buffers and lists made before the clock starts and reused; both "
      "sinks get `sync=false async=false enable-last-sample=false`; udpsink "
      "also gets `auto-multicast=false` (otherwise it joins the group it sends "
      "to and the kernel loops a copy of every datagram back up the stack). "
      "%.2f s per measurement, twice: to a joined raw receiver, and alone. "
      "CPU time is `getrusage(RUSAGE_THREAD)` user+system of the sending "
      "thread over the packets (the sink runs in that thread; "
      "RUSAGE_SELF would add the receiving thread). The raw rows are "
      "plain C on a connected socket: `send()` per datagram, `sendmmsg()` of "
      "32, and UDP GSO (`UDP_SEGMENT`, 48 segments of 1316 B, 64 of 188 B) "
      "per call; the libmctx row is `mctx_publication_send_messages()` of 32, "
      "what mctxsink calls.\n"
      "- **Receive**: each receiver alone, with a %d MiB receive buffer "
      "(`buffer-size`; SO_RCVBUFFORCE for the raw socket), behind it "
      "`fakesink sync=false` with a pad probe counting buffers and list "
      "lengths; other properties at their defaults. The libmctx row is "
      "`mctx_subscription_receive_messages()` of 32 in a thread, what "
      "mctxsrc calls. The load is a raw C UDP GSO sender in the same "
      "process. "
      "*Lossless rate*: paced steps of %.2f s up a ladder of rates (then "
      "%u bisection step%s); a step passes when every datagram arrived (a "
      "failed step is tried once more). *Burst*: %" G_GUINT64_FORMAT
      " datagrams as fast as the sender goes; what arrived, and at what "
      "rate from the first send to the last arrival.\n"
      "- **Latency**: %u datagrams/s for %.1f s, each stamped with "
      "CLOCK_MONOTONIC right before the push into the sink (or the raw "
      "`send()`); measured in the probe in front of fakesink (or after "
      "`recvmmsg()`). The crossed pairs tell which side a difference "
      "comes from.\n"
      "- **Steady rate** (issue #11): a raw C sender on a connected socket, "
      "one datagram per `send` at 100k pkt/s (`sendmmsg()` of two at 200k), "
      "busy-paced on CPU 0, sends %.1f s of 1316 B RTP datagrams (sequence "
      "numbers counting up, so mctxsrc's analyser does its usual work) to "
      "each receiver after a warm-up. The CPU time of the receiving thread "
      "(its CPU clock, `pthread_getcpuclockid()`, read from outside; the "
      "user/system split from `/proc/self/task/TID/stat` in 10 ms ticks, so "
      "only roughly) over the run, divided by the datagrams it received. "
      "The softirq work of `lo` runs on the sender's CPU and is in no "
      "receiver's figure. Rows: the raw `recvmmsg()` loop (poll, then read "
      "until empty), libmctx alone, udpsrc, mctxsrc with its defaults, "
      "with `preserve-packetization=false` (its pad probe counts the "
      "datagrams in a buffer by size), with `analyse=false`, and with "
      "`gro=true`.\n"
      "- The sending thread is pinned to CPU 0 and the receiving thread "
      "(the raw/libmctx thread or the source's streaming thread) to CPU 1, "
      "so that the scheduler does not stack them on one core in some "
      "measurements only.\n"
      "- The ladder stops at 1M pkt/s and the GSO sender reaches about "
      "1.2M with a receiver that keeps up: a lossless rate of \"≥ 1.00M\" "
      "is capped by the load, not the receiver, and ratios against it are "
      "lower bounds.\n"
      "- The order of the paths is reversed on every other repeat.\n\n",
      opts->send_seconds, opts->rcvbuf >> 20, opts->step_seconds,
      opts->bisect_steps, opts->bisect_steps == 1 ? "" : "s",
      opts->burst_packets, opts->latency_rate, opts->latency_seconds,
      opts->steady_seconds);

  g_string_append_printf (s, "## Results\n\n%s", t);
  g_string_append (s, "![Send and receive rates, latency]"
      "(benchmarks.png)\n\n"
      "Every sample is in `benchmarks.csv` (section, size, path, metric, "
      "repeat, value).\n");
  g_free (t);
  return g_string_free (s, FALSE);
}

gchar *
bench_report_tables (const BenchOptions * opts)
{
  return tables (opts);
}

gboolean
bench_report_csv (const gchar * path, GError ** error)
{
  GString *s = g_string_new ("section,size,path,metric,repeat,value\n");
  gboolean ok;
  guint i, j;

  for (i = 0; i < keys->len; i++) {
    const gchar *key = keys->pdata[i];
    GArray *a = g_hash_table_lookup (results, key);
    gchar **parts = g_strsplit (key, "/", 4);

    for (j = 0; j < a->len; j++) {
      gdouble v = g_array_index (a, gdouble, j);

      if (isnan (v))
        continue;
      g_string_append_printf (s, "%s,%s,%s,%s,%u,%.6g\n", parts[0],
          parts[1], parts[2], parts[3], j + 1, v);
    }
    g_strfreev (parts);
  }
  ok = g_file_set_contents (path, s->str, s->len, error);
  g_string_free (s, TRUE);
  return ok;
}
