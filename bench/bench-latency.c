/* mctx-bench: latency from the push into the sink to the source's
 * downstream pad, at a steady rate
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <stdio.h>

typedef struct
{
  const gchar *name;
  BenchSendKind send;
  BenchRecvKind recv;
} LatencyPair;

/* the crossed pairs tell which side a difference comes from */
static const LatencyPair pairs[] = {
  {"udp", BENCH_SEND_UDPSINK, BENCH_RECV_UDPSRC},
  {"mctx", BENCH_SEND_MCTXSINK, BENCH_RECV_MCTXSRC},
  {"udpsink-mctxsrc", BENCH_SEND_UDPSINK, BENCH_RECV_MCTXSRC},
  {"mctxsink-udpsrc", BENCH_SEND_MCTXSINK, BENCH_RECV_UDPSRC},
  {"raw", BENCH_SEND_RAW_SEND, BENCH_RECV_RAW},
};

static void
set_result (const LatencyPair * p, const gchar * metric, guint repeat,
    gdouble value)
{
  gchar *key = g_strdup_printf ("latency/%d/%s/%s", BENCH_SIZE_LARGE,
      p->name, metric);

  bench_result_set (key, repeat, value);
  g_free (key);
}

static void
measure (const BenchOptions * opts, const LatencyPair * p, guint repeat)
{
  guint port = BENCH_PORT_BASE + 200 + (p - pairs);
  guint64 n = (guint64) (opts->latency_rate * opts->latency_seconds), i;
  gint64 period = 1000000000 / opts->latency_rate, t0;
  BenchLatencyLog *log = bench_latency_log_new (n);
  BenchReceiver *r = NULL;
  BenchSender *s = NULL;
  GError *err = NULL;
  gdouble p50, p99, max;
  guint64 lost;
  gchar *what;

  what = g_strdup_printf ("latency %s", p->name);
  bench_watchdog_arm ((guint) opts->latency_seconds + 30, what);

  r = bench_receiver_start (p->recv, BENCH_GROUP_LATENCY, port, opts->rcvbuf,
      log, &err);
  if (r == NULL)
    goto failed;
  s = bench_sender_new (p->send, BENCH_GROUP_LATENCY, port,
      BENCH_SIZE_LARGE, &err);
  if (s == NULL)
    goto failed;

  /* warm up with sequence numbers the log ignores, until they arrive */
  for (i = 0; i < 100; i++) {
    if (!bench_sender_send_stamped (s, G_MAXUINT64 - i, &err))
      goto failed;
    bench_sleep_until (bench_now_ns () + period);
  }
  bench_receiver_drain (r, 100, 300, 2000, NULL);

  /* the send times are kept on a fixed grid, so a late wake-up does not
   * shift the rest; the stamp is taken right before the push */
  t0 = bench_now_ns ();
  for (i = 0; i < n; i++) {
    bench_sleep_until (t0 + (gint64) i * period);
    if (!bench_sender_send_stamped (s, i, &err))
      goto failed;
    /* bounded in time too: twice the planned duration */
    if (bench_now_ns () - t0 > 2 * (gint64) n * period)
      break;
  }
  bench_receiver_drain (r, 100 + n, 200, 2000, NULL);
  bench_sender_free (s);
  s = NULL;
  bench_receiver_stop (r);
  r = NULL;

  bench_latency_log_summary (log, &p50, &p99, &max, &lost);
  set_result (p, "p50_us", repeat, p50);
  set_result (p, "p99_us", repeat, p99);
  set_result (p, "max_us", repeat, max);
  set_result (p, "lost", repeat, lost);
  printf ("  latency %-15s p50 %7.1f us  p99 %7.1f us  max %8.1f us  lost %"
      G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "\n", p->name, p50, p99, max,
      lost, n);
  fflush (stdout);
  goto done;

failed:
  printf ("  latency %-15s FAILED: %s\n", p->name, err->message);
  bench_note ("latency %s failed: %s", p->name, err->message);
  g_clear_error (&err);
done:
  bench_sender_free (s);
  bench_receiver_stop (r);
  g_free (log);
  bench_watchdog_disarm ();
  g_free (what);
}

void
bench_run_latency (const BenchOptions * opts, guint repeat)
{
  guint j, n = G_N_ELEMENTS (pairs);

  for (j = 0; j < n; j++) {
    const LatencyPair *p = &pairs[repeat % 2 ? n - 1 - j : j];

    if ((p->send == BENCH_SEND_MCTXSINK && !opts->have_mctxsink)
        || (p->recv == BENCH_RECV_MCTXSRC && !opts->have_mctxsrc)
        || !bench_path_wanted (opts, p->name))
      continue;
    measure (opts, p, repeat);
  }
}
