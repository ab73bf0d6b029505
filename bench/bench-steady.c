/* mctx-bench: CPU per datagram at a steady rate. A raw sender (one
 * datagram per send(), or sendmmsg() of two at 200k pkt/s, busy-paced on
 * the sender's CPU) feeds each receiver; the receiving thread's CPU time
 * (its CPU clock; user/system from /proc in clock ticks) over the run,
 * divided by the datagrams it received. The datagrams are RTP (1316 bytes
 * with the header, sequence numbers counting up), so the analyser of
 * mctxsrc does its usual work.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* the rates measured */
static const guint steady_rates[] = { 100000, 200000 };

/* the receivers, in order (the order turns around every other repeat) */
static const BenchRecvKind steady_kinds[] = {
  BENCH_RECV_RAW, BENCH_RECV_LIBMCTX, BENCH_RECV_UDPSRC, BENCH_RECV_MCTXSRC,
  BENCH_RECV_MCTXSRC_STREAM, BENCH_RECV_MCTXSRC_NOANALYSE,
  BENCH_RECV_MCTXSRC_GRO,
};

#define STEADY_MAX_UNIT 4

typedef struct
{
  int fd;
  guint8 data[STEADY_MAX_UNIT][BENCH_SIZE_LARGE];
  guint16 seq;
} SteadySender;

static void
steady_fill (SteadySender * s, guint8 * d)
{
  d[0] = 0x80;
  d[1] = 96;
  d[2] = s->seq >> 8;
  d[3] = s->seq;
  d[7] = s->seq;
  s->seq++;
}

/* Sends @n datagrams at @rate, @unit per call; returns the achieved rate
 * or -1 on an error. */
static gdouble
steady_send (SteadySender * s, guint rate, guint64 n, GError ** error)
{
  guint unit = MIN (STEADY_MAX_UNIT, (rate + 149999) / 150000);
  gint64 period = (gint64) unit * 1000000000 / rate;
  gint64 start = bench_now_ns (), next = start, deadline;
  struct mmsghdr mm[STEADY_MAX_UNIT];
  struct iovec iov[STEADY_MAX_UNIT];
  guint64 sent = 0;
  guint i;

  memset (mm, 0, sizeof (mm));
  for (i = 0; i < unit; i++) {
    iov[i].iov_base = s->data[i];
    iov[i].iov_len = BENCH_SIZE_LARGE;
    mm[i].msg_hdr.msg_iov = &iov[i];
    mm[i].msg_hdr.msg_iovlen = 1;
  }
  /* bounded in time too: twice the planned duration */
  deadline = start + 2 * (gint64) (n * 1e9 / rate) + 1000000000;
  while (sent < n) {
    gint64 now;
    int r;

    while ((now = bench_now_ns ()) < next);
    if (now > deadline)
      break;
    for (i = 0; i < unit; i++)
      steady_fill (s, s->data[i]);
    r = sendmmsg (s->fd, mm, MIN (unit, n - sent), 0);
    if (r < 0) {
      if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
        continue;
      bench_errno_error (error, "steady sendmmsg");
      return -1;
    }
    sent += r;
    next += period;
  }
  return sent / ((bench_now_ns () - start) / 1e9);
}

static void
steady_set (guint rate, BenchRecvKind kind, const gchar * metric,
    guint repeat, gdouble value)
{
  gchar *key = g_strdup_printf ("steady/%u/%s/%s", rate,
      bench_recv_kinds[kind].name, metric);

  bench_result_set (key, repeat, value);
  g_free (key);
}

static void
steady_measure (const BenchOptions * opts, guint rate, BenchRecvKind kind,
    guint repeat)
{
  guint port = BENCH_PORT_BASE + 200 + kind;
  guint64 n = (guint64) (rate * opts->steady_seconds), c0, got;
  SteadySender s = { -1 };
  BenchReceiver *r;
  BenchCpu a, b;
  GError *err = NULL;
  gdouble achieved;
  gchar *what;

  what = g_strdup_printf ("steady %u %s", rate, bench_recv_kinds[kind].name);
  bench_watchdog_arm (30 + (guint) (opts->steady_seconds * 3), what);
  memset (s.data, 0x11, sizeof (s.data));

  r = bench_receiver_start (kind, BENCH_GROUP_RECV, port, opts->rcvbuf, NULL,
      &err);
  if (r == NULL)
    goto failed;
  s.fd = bench_raw_sender_socket (BENCH_GROUP_RECV, port, &err);
  if (s.fd < 0)
    goto failed;

  /* warm up: the join, the pipeline, and the receiving thread known */
  if (steady_send (&s, rate, rate / 50, &err) < 0)
    goto failed;
  bench_receiver_drain (r, rate / 50, 300, 3000, NULL);
  if (!bench_receiver_thread_cpu (r, &a)) {
    g_set_error (&err, G_IO_ERROR, G_IO_ERROR_FAILED,
        "nothing arrived during the warm-up");
    goto failed;
  }

  c0 = bench_receiver_count (r);
  bench_receiver_thread_cpu (r, &a);
  achieved = steady_send (&s, rate, n, &err);
  if (achieved < 0)
    goto failed;
  got = bench_receiver_drain (r, c0 + n, 200, 3000, NULL) - c0;
  bench_receiver_thread_cpu (r, &b);

  steady_set (rate, kind, "cpu_ns", repeat,
      (gdouble) (b.total_ns - a.total_ns) / MAX (got, 1));
  steady_set (rate, kind, "user_ns", repeat,
      (gdouble) (b.user_ns - a.user_ns) / MAX (got, 1));
  steady_set (rate, kind, "sys_ns", repeat,
      (gdouble) (b.sys_ns - a.sys_ns) / MAX (got, 1));
  steady_set (rate, kind, "loss_pct", repeat, 100.0 * (n - MIN (got, n)) / n);
  steady_set (rate, kind, "sent_pps", repeat, achieved);

  printf ("  steady %3uk %-18s %6.0f ns/pkt (user %5.0f, sys %5.0f), "
      "%" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " at %.0f pkt/s\n",
      rate / 1000, bench_recv_kinds[kind].name,
      (gdouble) (b.total_ns - a.total_ns) / MAX (got, 1),
      (gdouble) (b.user_ns - a.user_ns) / MAX (got, 1),
      (gdouble) (b.sys_ns - a.sys_ns) / MAX (got, 1), got, n, achieved);
  fflush (stdout);
  if (achieved < 0.95 * rate)
    bench_note ("steady %u pkt/s, %s, repeat %u: the sender reached only "
        "%.0f pkt/s", rate, bench_recv_kinds[kind].name, repeat + 1, achieved);

failed:
  bench_measure_end ("steady", 18, "steady", kind, s.fd, r, what, &err);
}

void
bench_run_steady (const BenchOptions * opts, guint repeat)
{
  guint i, j, n = G_N_ELEMENTS (steady_kinds);

  for (i = 0; i < G_N_ELEMENTS (steady_rates); i++) {
    for (j = 0; j < n; j++) {
      BenchRecvKind kind = steady_kinds[repeat % 2 ? n - 1 - j : j];

      if ((bench_recv_kind_is_mctxsrc (kind) && !opts->have_mctxsrc)
          || !bench_path_wanted (opts, bench_recv_kinds[kind].name))
        continue;
      steady_measure (opts, steady_rates[i], kind, repeat);
    }
  }
}
