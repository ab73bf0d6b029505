/* mctx-bench: the receive paths and the receive measurements
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define RAW_BATCH 64
#define LIBMCTX_BATCH 32
#define SLOT_SIZE 2048

struct _BenchReceiver
{
  BenchRecvKind kind;
  guint64 count;                /* atomic: datagrams that reached us */
  guint64 drops;                /* atomic: SO_RXQ_OVFL of the raw socket */
  BenchLatencyLog *log;

  /* raw and libmctx: a thread of our own */
  GThread *thread;
  gint stop;
  int fd;
  MctxSubscription *sub;

  /* GStreamer: src ! fakesink, counted by a probe on fakesink's pad */
  GstElement *pipeline;
  GstElement *src;

  /* the receiving thread, learned from inside it (see note_thread()) */
  gint have_thread;
  clockid_t cpu_clock;
  pid_t tid;
};

const BenchKind bench_recv_kinds[BENCH_RECV_N_KINDS] = {
  [BENCH_RECV_RAW] = {"raw-recvmmsg", "raw recvmmsg(), 64 per call"},
  [BENCH_RECV_LIBMCTX] = {"libmctx", "libmctx receive_messages(), 32"},
  [BENCH_RECV_UDPSRC] = {"udpsrc", "udpsrc ! fakesink"},
  [BENCH_RECV_MCTXSRC] = {"mctxsrc", "mctxsrc ! fakesink"},
  [BENCH_RECV_MCTXSRC_GRO] = {"mctxsrc-gro", "mctxsrc gro=true ! fakesink"},
  [BENCH_RECV_MCTXSRC_STREAM] = {"mctxsrc-bytestream",
      "mctxsrc preserve-packetization=false ! fakesink"},
  [BENCH_RECV_MCTXSRC_NOANALYSE] = {"mctxsrc-noanalyse",
      "mctxsrc analyse=false ! fakesink"},
};

/* Called in the receiving thread: its CPU clock and id, so that the
 * steady-rate measurement can read its CPU time from outside. */
static void
note_thread (BenchReceiver * r)
{
  if (g_atomic_int_get (&r->have_thread))
    return;
  if (pthread_getcpuclockid (pthread_self (), &r->cpu_clock) != 0)
    return;
  r->tid = syscall (SYS_gettid);
  g_atomic_int_set (&r->have_thread, 1);
}

/* The start of the raw and libmctx receiving threads: pinned, noted, and
 * their slab of @batch datagram slots (the caller frees it). */
static guint8 *
receiver_thread_begin (BenchReceiver * r, guint batch)
{
  bench_pin_thread (BENCH_CPU_RECEIVER);
  note_thread (r);
  return g_malloc ((gsize) batch * SLOT_SIZE);
}

/*** raw recvmmsg ************************************************************/

static gpointer
raw_thread (gpointer data)
{
  BenchReceiver *r = data;
  struct mmsghdr mm[RAW_BATCH];
  struct iovec iov[RAW_BATCH];
  guint8 *bufs = receiver_thread_begin (r, RAW_BATCH);
  union
  {
    struct cmsghdr align;
    char buf[CMSG_SPACE (sizeof (guint32))];
  } ctl[RAW_BATCH];
  guint i;

  memset (mm, 0, sizeof (mm));
  for (i = 0; i < RAW_BATCH; i++) {
    iov[i].iov_base = bufs + i * SLOT_SIZE;
    iov[i].iov_len = SLOT_SIZE;
    mm[i].msg_hdr.msg_iov = &iov[i];
    mm[i].msg_hdr.msg_iovlen = 1;
  }

  while (!g_atomic_int_get (&r->stop)) {
    struct pollfd p = { r->fd, POLLIN, 0 };

    if (poll (&p, 1, 10) <= 0)
      continue;
    /* read until empty; the stop flag bounds it when the sender is faster */
    while (!g_atomic_int_get (&r->stop)) {
      struct cmsghdr *c;
      gint64 now;
      int n;

      for (i = 0; i < RAW_BATCH; i++) {
        mm[i].msg_hdr.msg_control = ctl[i].buf;
        mm[i].msg_hdr.msg_controllen = sizeof (ctl[i].buf);
      }
      n = recvmmsg (r->fd, mm, RAW_BATCH, MSG_DONTWAIT, NULL);
      if (n <= 0)
        break;
      if (r->log) {
        now = bench_now_ns ();
        for (i = 0; i < (guint) n; i++)
          bench_latency_log_record (r->log, iov[i].iov_base, mm[i].msg_len,
              now);
      }
      for (c = CMSG_FIRSTHDR (&mm[n - 1].msg_hdr); c;
          c = CMSG_NXTHDR (&mm[n - 1].msg_hdr, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
          guint32 d;

          memcpy (&d, CMSG_DATA (c), sizeof (d));
          __atomic_store_n (&r->drops, d, __ATOMIC_RELAXED);
        }
      __atomic_add_fetch (&r->count, n, __ATOMIC_RELAXED);
    }
  }
  g_free (bufs);
  return NULL;
}

/*** libmctx *****************************************************************/

static gpointer
libmctx_thread (gpointer data)
{
  BenchReceiver *r = data;
  MctxMessage msgs[LIBMCTX_BATCH];
  guint8 *bufs = receiver_thread_begin (r, LIBMCTX_BATCH);
  guint i;

  memset (msgs, 0, sizeof (msgs));
  for (i = 0; i < LIBMCTX_BATCH; i++) {
    msgs[i].buffer = bufs + i * SLOT_SIZE;
    msgs[i].buffer_size = SLOT_SIZE;
  }

  while (!g_atomic_int_get (&r->stop)) {
    GError *err = NULL;
    gint n = mctx_subscription_receive_messages (r->sub, msgs,
        LIBMCTX_BATCH, &err);

    if (n < 0) {
      gboolean would_block = g_error_matches (err, G_IO_ERROR,
          G_IO_ERROR_WOULD_BLOCK);

      g_clear_error (&err);
      if (!would_block) {
        g_printerr ("libmctx receiver: %s\n", "receive failed");
        break;
      }
      /* 10 ms so that the stop flag is seen */
      mctx_subscription_wait_readable (r->sub, 10000, NULL, NULL);
      continue;
    }
    if (r->log) {
      gint64 now = bench_now_ns ();

      for (i = 0; i < (guint) n; i++)
        bench_latency_log_record (r->log, msgs[i].buffer, msgs[i].info.size,
            now);
    }
    __atomic_add_fetch (&r->count, n, __ATOMIC_RELAXED);
  }
  g_free (bufs);
  return NULL;
}

/*** GStreamer ***************************************************************/

static void
record_buffer (BenchReceiver * r, GstBuffer * buf, gint64 now)
{
  GstMapInfo map;

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    bench_latency_log_record (r->log, map.data, map.size, now);
    gst_buffer_unmap (buf, &map);
  }
}

/* runs in the source's streaming thread, in front of fakesink */
static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  BenchReceiver *r = data;
  guint n = 1;

  if (G_UNLIKELY (!r->have_thread))
    note_thread (r);
  if (r->kind == BENCH_RECV_MCTXSRC_STREAM) {
    /* one buffer holds the datagrams of a read, all of the same size */
    gsize size = gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info));

    n = MAX (size / BENCH_SIZE_LARGE, 1);
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    n = gst_buffer_list_length (list);
    if (r->log) {
      gint64 now = bench_now_ns ();
      guint i;

      for (i = 0; i < n; i++)
        record_buffer (r, gst_buffer_list_get (list, i), now);
    }
  } else if (r->log) {
    record_buffer (r, GST_PAD_PROBE_INFO_BUFFER (info), bench_now_ns ());
  }
  __atomic_add_fetch (&r->count, n, __ATOMIC_RELAXED);
  return GST_PAD_PROBE_OK;
}

/* posted from the streaming thread itself when its task starts: pin it */
static GstBusSyncReply
stream_status (GstBus * bus, GstMessage * msg, gpointer data)
{
  GstStreamStatusType type;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_STREAM_STATUS) {
    gst_message_parse_stream_status (msg, &type, NULL);
    if (type == GST_STREAM_STATUS_TYPE_ENTER)
      bench_pin_thread (BENCH_CPU_RECEIVER);
  }
  return GST_BUS_PASS;
}

static gboolean
gst_start (BenchReceiver * r, const gchar * group, guint port, gint rcvbuf,
    GError ** error)
{
  const gchar *factory = r->kind == BENCH_RECV_UDPSRC ? "udpsrc" : "mctxsrc";
  GstElement *sink;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;

  r->src = gst_element_factory_make (factory, NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  if (r->src == NULL || sink == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "no element %s or fakesink (GST_PLUGIN_PATH?)", factory);
    gst_clear_object (&r->src);
    gst_clear_object (&sink);
    return FALSE;
  }
  /* both with their defaults but for the group and the receive buffer */
  g_object_set (r->src, "address", group, "port", port, "buffer-size",
      rcvbuf, NULL);
  if (r->kind == BENCH_RECV_MCTXSRC_GRO)
    g_object_set (r->src, "gro", TRUE, NULL);
  if (r->kind == BENCH_RECV_MCTXSRC_STREAM)
    g_object_set (r->src, "preserve-packetization", FALSE, NULL);
  if (r->kind == BENCH_RECV_MCTXSRC_NOANALYSE)
    g_object_set (r->src, "analyse", FALSE, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, "silent", TRUE,
      "enable-last-sample", FALSE, NULL);

  r->pipeline = gst_pipeline_new (NULL);
  bus = gst_element_get_bus (r->pipeline);
  gst_bus_set_sync_handler (bus, stream_status, NULL, NULL);
  gst_object_unref (bus);
  gst_bin_add_many (GST_BIN (r->pipeline), r->src, sink, NULL);
  gst_element_link (r->src, sink);

  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_probe, r, NULL);
  gst_object_unref (pad);

  if (gst_element_set_state (r->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE
      || gst_element_get_state (r->pipeline, NULL, NULL,
          5 * GST_SECOND) == GST_STATE_CHANGE_FAILURE) {
    bus = gst_element_get_bus (r->pipeline);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    if (msg) {
      GError *e = NULL;

      gst_message_parse_error (msg, &e, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", factory,
          e->message);
      g_clear_error (&e);
      gst_message_unref (msg);
    } else {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s does not start",
          factory);
    }
    gst_object_unref (bus);
    return FALSE;
  }
  return TRUE;
}

/*** public ******************************************************************/

BenchReceiver *
bench_receiver_start (BenchRecvKind kind, const gchar * group, guint port,
    gint rcvbuf, BenchLatencyLog * log, GError ** error)
{
  BenchReceiver *r = g_new0 (BenchReceiver, 1);

  r->kind = kind;
  r->log = log;
  r->fd = -1;

  switch (kind) {
    case BENCH_RECV_RAW:
      r->fd = bench_raw_receiver_socket (group, port, rcvbuf, error);
      if (r->fd < 0)
        goto failed;
      r->thread = g_thread_new ("raw-recv", raw_thread, r);
      break;
    case BENCH_RECV_LIBMCTX:
      r->sub = mctx_subscription_new (group, port);
      g_object_set (r->sub, "receive-buffer-size", rcvbuf, NULL);
      if (!mctx_subscription_open (r->sub, error))
        goto failed;
      r->thread = g_thread_new ("libmctx-recv", libmctx_thread, r);
      break;
    default:
      if (!gst_start (r, group, port, rcvbuf, error))
        goto failed;
      break;
  }
  return r;

failed:
  bench_receiver_stop (r);
  return NULL;
}

guint64
bench_receiver_count (BenchReceiver * r)
{
  return __atomic_load_n (&r->count, __ATOMIC_RELAXED);
}

gint64
bench_receiver_kernel_drops (BenchReceiver * r)
{
  switch (r->kind) {
    case BENCH_RECV_RAW:
      return __atomic_load_n (&r->drops, __ATOMIC_RELAXED);
    case BENCH_RECV_LIBMCTX:{
      MctxSubscriptionStats st;

      mctx_subscription_get_stats (r->sub, &st);
      return st.kernel_drops;
    }
    case BENCH_RECV_MCTXSRC:
    case BENCH_RECV_MCTXSRC_GRO:
    case BENCH_RECV_MCTXSRC_STREAM:
    case BENCH_RECV_MCTXSRC_NOANALYSE:{
      GstStructure *st = NULL;
      guint64 v;
      gint64 ret = -1;

      g_object_get (r->src, "stats", &st, NULL);
      if (st && gst_structure_get_uint64 (st, "kernel-drops", &v))
        ret = v;
      if (st)
        gst_structure_free (st);
      return ret;
    }
    default:
      return -1;
  }
}

gboolean
bench_receiver_thread_cpu (BenchReceiver * r, BenchCpu * cpu)
{
  gchar *path, *text = NULL, *p;
  gchar **f;
  long tick = sysconf (_SC_CLK_TCK);

  memset (cpu, 0, sizeof (*cpu));
  if (!g_atomic_int_get (&r->have_thread)
      || (cpu->total_ns = bench_clock_ns (r->cpu_clock)) < 0) {
    cpu->total_ns = 0;
    return FALSE;
  }
  /* the split, in clock ticks: /proc/self/task/TID/stat fields 14 and 15
   * (counted after the ")" that ends the thread's name) */
  path = g_strdup_printf ("/proc/self/task/%d/stat", (int) r->tid);
  if (g_file_get_contents (path, &text, NULL, NULL)
      && (p = strrchr (text, ')')) != NULL) {
    f = g_strsplit (p + 2, " ", 0);
    if (g_strv_length (f) > 12 && tick > 0) {
      cpu->user_ns = g_ascii_strtoll (f[11], NULL, 10) * 1000000000 / tick;
      cpu->sys_ns = g_ascii_strtoll (f[12], NULL, 10) * 1000000000 / tick;
    }
    g_strfreev (f);
  }
  g_free (text);
  g_free (path);
  return TRUE;
}

guint64
bench_receiver_drain (BenchReceiver * r, guint64 expected, guint quiet_ms,
    guint max_ms, gint64 * last_ns)
{
  gint64 start = bench_now_ns (), last_change = start;
  guint64 last = bench_receiver_count (r);

  while (last < expected) {
    gint64 now;
    guint64 c;

    bench_sleep_ms (2);
    now = bench_now_ns ();
    c = bench_receiver_count (r);
    if (c != last) {
      last = c;
      last_change = now;
    } else if (now - last_change > (gint64) quiet_ms * 1000000) {
      break;
    }
    if (now - start > (gint64) max_ms * 1000000)
      break;
  }
  if (last_ns)
    *last_ns = last_change;
  return last;
}

void
bench_receiver_stop (BenchReceiver * r)
{
  if (r == NULL)
    return;
  if (r->thread) {
    g_atomic_int_set (&r->stop, 1);
    g_thread_join (r->thread);
  }
  if (r->pipeline) {
    gst_element_set_state (r->pipeline, GST_STATE_NULL);
    gst_object_unref (r->pipeline);
  }
  if (r->sub) {
    mctx_subscription_close (r->sub);
    g_object_unref (r->sub);
  }
  if (r->fd >= 0)
    close (r->fd);
  g_free (r);
}

/*** the measurements ********************************************************/

typedef struct
{
  gboolean lossless;
  gboolean sender_limited;
  gdouble achieved;
} StepResult;

/* One step of the lossless-rate search: @rate for step_seconds. */
static gboolean
step (const BenchOptions * opts, BenchReceiver * r, int fd, gdouble rate,
    StepResult * res, GError ** error)
{
  guint64 n = (guint64) (rate * opts->step_seconds), c0, got;
  BenchPacedResult sent;

  c0 = bench_receiver_count (r);
  if (!bench_raw_send_paced (fd, BENCH_SIZE_LARGE, rate, n,
          opts->step_seconds * 1.3 + 0.05, &sent, error))
    return FALSE;
  got = bench_receiver_drain (r, c0 + sent.packets, 50, 1000, NULL) - c0;

  res->achieved = sent.packets / (sent.elapsed_ns / 1e9);
  res->lossless = got == sent.packets;
  /* the sender could not keep the rate: the answer is "at least" */
  res->sender_limited = sent.packets < n || res->achieved < 0.95 * rate;
  return TRUE;
}

/* a lost datagram at one step can be a scheduling accident: try twice */
static gboolean
step_twice (const BenchOptions * opts, BenchReceiver * r, int fd,
    gdouble rate, StepResult * res, GError ** error)
{
  if (!step (opts, r, fd, rate, res, error))
    return FALSE;
  if (!res->lossless && !res->sender_limited)
    return step (opts, r, fd, rate, res, error);
  return TRUE;
}

static gboolean
lossless_search (const BenchOptions * opts, BenchReceiver * r, int fd,
    gdouble * best_out, gboolean * limited_out, GError ** error)
{
  gdouble best = 0, fail = 0;
  StepResult res;
  guint i;

  *limited_out = FALSE;
  for (i = 0; opts->ladder[i]; i++) {
    if (!step_twice (opts, r, fd, opts->ladder[i], &res, error))
      return FALSE;
    if (res.sender_limited) {
      if (res.lossless) {
        best = MAX (best, res.achieved);
        *limited_out = TRUE;
      } else {
        fail = opts->ladder[i];
      }
      break;
    }
    if (!res.lossless) {
      fail = opts->ladder[i];
      break;
    }
    best = opts->ladder[i];
  }
  /* the top of the ladder without loss: the answer is "at least" */
  if (fail == 0)
    *limited_out = TRUE;

  /* narrow between the last rate without loss and the first with */
  for (i = 0; fail > 0 && i < opts->bisect_steps; i++) {
    gdouble mid = (best + fail) / 2;

    if (!step_twice (opts, r, fd, mid, &res, error))
      return FALSE;
    if (res.lossless && !res.sender_limited)
      best = mid;
    else
      fail = mid;
  }
  *best_out = best;
  return TRUE;
}

static void
set_result (BenchRecvKind kind, const gchar * metric, guint repeat,
    gdouble value)
{
  gchar *key = g_strdup_printf ("recv/%d/%s/%s", BENCH_SIZE_LARGE,
      bench_recv_kinds[kind].name, metric);

  bench_result_set (key, repeat, value);
  g_free (key);
}

static void
measure (const BenchOptions * opts, BenchRecvKind kind, guint repeat)
{
  guint port = BENCH_PORT_BASE + 100 + kind;
  BenchReceiver *r;
  GError *err = NULL;
  BenchPacedResult sent;
  gdouble best = 0, burst_pct, recv_pps;
  gboolean limited = FALSE;
  guint64 c0, got;
  gint64 d0, d1, t_first, t_last;
  guint budget;
  gchar *what;
  int fd = -1;

  /* generous: ladder, bisection, burst and drains */
  budget = 60 + (guint) (opts->burst_seconds * 2);
  what = g_strdup_printf ("receive %s", bench_recv_kinds[kind].name);
  bench_watchdog_arm (budget, what);

  r = bench_receiver_start (kind, BENCH_GROUP_RECV, port, opts->rcvbuf, NULL,
      &err);
  if (r == NULL)
    goto failed;
  fd = bench_raw_sender_socket (BENCH_GROUP_RECV, port, &err);
  if (fd < 0)
    goto failed;

  /* warm up until datagrams flow: the join and the pipeline are ready */
  if (!bench_raw_send_paced (fd, BENCH_SIZE_LARGE, 20000, 1000, 1.0, &sent,
          &err))
    goto failed;
  if (bench_receiver_drain (r, sent.packets, 500, 2000, NULL) == 0) {
    g_set_error (&err, G_IO_ERROR, G_IO_ERROR_FAILED,
        "nothing arrived during the warm-up");
    goto failed;
  }

  if (!lossless_search (opts, r, fd, &best, &limited, &err))
    goto failed;
  set_result (kind, "lossless_pps", repeat, best);
  set_result (kind, "lossless_capped", repeat, limited);

  /* the burst: as fast as the raw GSO sender goes */
  c0 = bench_receiver_count (r);
  d0 = bench_receiver_kernel_drops (r);
  t_first = bench_now_ns ();
  if (!bench_raw_send_paced (fd, BENCH_SIZE_LARGE, 0, opts->burst_packets,
          opts->burst_seconds, &sent, &err))
    goto failed;
  got = bench_receiver_drain (r, c0 + sent.packets, 200, 3000, &t_last)
      - c0;
  /* the receiving took from the first send to the last arrival */
  recv_pps = got / (MAX (t_last - t_first, 1) / 1e9);
  d1 = bench_receiver_kernel_drops (r);
  burst_pct = 100.0 * got / sent.packets;

  set_result (kind, "burst_pct", repeat, burst_pct);
  set_result (kind, "burst_sent_pps", repeat,
      sent.packets / (sent.elapsed_ns / 1e9));
  set_result (kind, "burst_recv_pps", repeat, recv_pps);

  printf ("  recv %-13s lossless %s%7.0f pkt/s   burst: %" G_GUINT64_FORMAT
      " of %" G_GUINT64_FORMAT " (%5.1f %%) at %7.0f pkt/s sent",
      bench_recv_kinds[kind].name, limited ? ">=" : "  ", best, got,
      sent.packets, burst_pct, sent.packets / (sent.elapsed_ns / 1e9));
  if (d0 >= 0 && d1 >= 0)
    printf (", kernel drops %" G_GINT64_FORMAT, d1 - d0);
  printf ("\n");
  fflush (stdout);
  if (limited)
    bench_note ("receive %s, repeat %u: no loss at %.0f pkt/s, the most "
        "the paced sender reached or the top of the ladder; the lossless "
        "rate is at least that", bench_recv_kinds[kind].name, repeat + 1,
        best);

failed:
  bench_measure_end ("recv", 13, "receive", kind, fd, r, what, &err);
}

void
bench_measure_end (const gchar * section, gint width, const gchar * noun,
    BenchRecvKind kind, int fd, BenchReceiver * r, gchar * what,
    GError ** error)
{
  const gchar *name = bench_recv_kinds[kind].name;

  if (fd >= 0)
    close (fd);
  bench_receiver_stop (r);
  bench_watchdog_disarm ();
  if (*error) {
    printf ("  %s %-*s FAILED: %s\n", section, width, name,
        (*error)->message);
    bench_note ("%s %s failed: %s", noun, name, (*error)->message);
    g_clear_error (error);
  }
  g_free (what);
}

void
bench_run_recv (const BenchOptions * opts, guint repeat)
{
  static const BenchRecvKind order[] = {
    BENCH_RECV_UDPSRC, BENCH_RECV_MCTXSRC, BENCH_RECV_MCTXSRC_STREAM,
    BENCH_RECV_MCTXSRC_GRO, BENCH_RECV_LIBMCTX, BENCH_RECV_RAW,
  };
  guint j, n = G_N_ELEMENTS (order);

  for (j = 0; j < n; j++) {
    BenchRecvKind kind = order[repeat % 2 ? n - 1 - j : j];

    if ((bench_recv_kind_is_mctxsrc (kind) && !opts->have_mctxsrc)
        || !bench_path_wanted (opts, bench_recv_kinds[kind].name))
      continue;
    measure (opts, kind, repeat);
  }
}
