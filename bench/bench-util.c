/* mctx-bench: time, watchdog, latency log
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* user + system time of the calling thread */
gint64
bench_thread_cpu_ns (void)
{
  struct rusage ru;

  getrusage (RUSAGE_THREAD, &ru);
  return ((gint64) ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000
      + ((gint64) ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

void
bench_sleep_until (gint64 t_ns)
{
  struct timespec ts = { t_ns / BENCH_NS_PER_SEC, t_ns % BENCH_NS_PER_SEC };

  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR);
}

void
bench_sleep_ms (guint ms)
{
  bench_sleep_until (bench_now_ns () + (gint64) ms * 1000000);
}

void
bench_pin_thread (guint cpu)
{
  cpu_set_t set;

  /* one CPU: nothing to separate */
  if (g_get_num_processors () < 2)
    return;
  CPU_ZERO (&set);
  CPU_SET (cpu % g_get_num_processors (), &set);
  pthread_setaffinity_np (pthread_self (), sizeof (set), &set);
}

/* --paths: a filter for profiling one path at a time */
gboolean
bench_path_wanted (const BenchOptions * opts, const gchar * name)
{
  return opts->paths == NULL || g_strv_contains ((const gchar * const *)
      opts->paths, name);
}

/*** watchdog ****************************************************************/

static char watchdog_what[256];

static void
watchdog_fired (int sig)
{
  static const char prefix[] = "\nmctx-bench: watchdog: stuck in ";
  ssize_t r;

  r = write (STDERR_FILENO, prefix, sizeof (prefix) - 1);
  r = write (STDERR_FILENO, watchdog_what, strlen (watchdog_what));
  r = write (STDERR_FILENO, "\n", 1);
  (void) r;
  _exit (3);
}

void
bench_watchdog_arm (guint seconds, const gchar * what)
{
  static gboolean installed;

  if (!installed) {
    struct sigaction sa;

    memset (&sa, 0, sizeof (sa));
    sa.sa_handler = watchdog_fired;
    sigaction (SIGALRM, &sa, NULL);
    installed = TRUE;
  }
  /* SIGALRM goes to any thread; all threads exit with the process */
  g_strlcpy (watchdog_what, what, sizeof (watchdog_what));
  alarm (seconds);
}

void
bench_watchdog_disarm (void)
{
  alarm (0);
}

/*** latency log *************************************************************/

BenchLatencyLog *
bench_latency_log_new (guint64 n)
{
  BenchLatencyLog *log = g_malloc0 (sizeof (BenchLatencyLog) +
      n * sizeof (gint64));
  guint64 i;

  log->n = n;
  for (i = 0; i < n; i++)
    log->lat_ns[i] = -1;
  return log;
}

/* called from one receiving thread at a time */
void
bench_latency_log_record (BenchLatencyLog * log, const guint8 * data,
    gsize size, gint64 now_ns)
{
  BenchStamp st;

  if (size < sizeof (st))
    return;
  memcpy (&st, data, sizeof (st));
  if (st.seq >= log->n) {
    log->out_of_range++;
    return;
  }
  if (log->lat_ns[st.seq] < 0)
    log->received++;
  log->lat_ns[st.seq] = now_ns - st.sent_ns;
}

static gint
cmp_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gdouble
percentile (const gint64 * sorted, guint64 n, gdouble p)
{
  guint64 i;

  if (n == 0)
    return NAN;
  /* nearest rank */
  i = (guint64) (p * n + 0.999999);
  i = CLAMP (i, 1, n);
  return sorted[i - 1] / 1000.0;
}

void
bench_latency_log_summary (BenchLatencyLog * log, gdouble * p50_us,
    gdouble * p99_us, gdouble * max_us, guint64 * lost)
{
  gint64 *v = g_new (gint64, log->n);
  guint64 i, n = 0;

  for (i = 0; i < log->n; i++)
    if (log->lat_ns[i] >= 0)
      v[n++] = log->lat_ns[i];
  qsort (v, n, sizeof (gint64), cmp_gint64);
  *p50_us = percentile (v, n, 0.50);
  *p99_us = percentile (v, n, 0.99);
  *max_us = n ? v[n - 1] / 1000.0 : NAN;
  *lost = log->n - n;
  g_free (v);
}

gboolean
bench_errno_error (GError ** error, const gchar * what)
{
  int errsv = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "%s: %s",
      what, g_strerror (errsv));
  return FALSE;
}
