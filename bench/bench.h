/* mctx-bench: shared declarations
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <mctx.h>
#include <time.h>

G_BEGIN_DECLS

/* IPv4 only: IPv6 multicast is not looped back over lo on these kernels */
#define BENCH_GROUP_SEND    "239.255.77.1"
#define BENCH_GROUP_RECV    "239.255.77.2"
#define BENCH_GROUP_LATENCY "239.255.77.3"
#define BENCH_PORT_BASE     15000

/* the two datagram sizes: 7 MPEG-TS packets in RTP-less UDP, and one */
#define BENCH_SIZE_LARGE 1316
#define BENCH_SIZE_SMALL 188

/* buffer lists fed to the sinks, and batches of the raw sendmmsg */
#define BENCH_LIST_LEN 32

typedef struct
{
  gboolean quick;
  guint repeats;
  gdouble send_seconds;         /* per send measurement */
  guint64 send_max_packets;     /* count bound of one send measurement */
  gdouble step_seconds;         /* per step of the lossless-rate search */
  const guint *ladder;          /* rates tried, ascending, 0-terminated */
  guint bisect_steps;
  guint64 burst_packets;
  gdouble burst_seconds;        /* deadline of the burst sender */
  gdouble latency_seconds;
  guint latency_rate;
  gint rcvbuf;                  /* receive buffer of every receiver */
  gboolean have_mctxsink;
  gboolean have_mctxsrc;
  gdouble steady_seconds;       /* per steady-rate measurement */
  gboolean run_send, run_recv, run_latency, run_steady;
  gchar **paths;                /* only these paths (names), NULL: all */
} BenchOptions;

gboolean bench_path_wanted (const BenchOptions * opts, const gchar * name);

/* The sending thread runs on one CPU and the receiving thread on another,
 * so that the scheduler does not put them (and the load's softirq work)
 * on one core in some measurements and not in others. */
#define BENCH_CPU_SENDER 0
#define BENCH_CPU_RECEIVER 1
void bench_pin_thread (guint cpu);

/* the payload of every datagram starts with this (latency and checks) */
typedef struct
{
  guint64 seq;
  gint64 sent_ns;
} BenchStamp;

/* the name (in keys and the CSV) and label (in the tables) of a path */
typedef struct
{
  const gchar *name;
  const gchar *label;
} BenchKind;

/* GError from errno (G_IO_ERROR) saying "what: strerror"; returns FALSE */
gboolean bench_errno_error (GError ** error, const gchar * what);

/*** time ******************************************************************/

#define BENCH_NS_PER_SEC G_GINT64_CONSTANT (1000000000)

/* @clock now, in nanoseconds; -1 if there is no such clock (that of a
 * thread that has ended) */
static inline gint64
bench_clock_ns (clockid_t clock)
{
  struct timespec ts;

  if (clock_gettime (clock, &ts) != 0)
    return -1;
  return (gint64) ts.tv_sec * BENCH_NS_PER_SEC + ts.tv_nsec;
}

static inline gint64
bench_now_ns (void)
{
  return bench_clock_ns (CLOCK_MONOTONIC);
}

gint64 bench_thread_cpu_ns (void);
/* sleeps until CLOCK_MONOTONIC reaches @t_ns (bench-util.c, which
 * bench-merge and bench-pacing link too) */
void bench_sleep_until (gint64 t_ns);
void bench_sleep_ms (guint ms);

/* Every measurement runs under a watchdog: if it is not over after
 * @seconds, the program reports @what and exits. */
void bench_watchdog_arm (guint seconds, const gchar * what);
void bench_watchdog_disarm (void);

/*** private network (bench-netns.c) ****************************************/

gboolean bench_netns_enter (GError ** error);
guint bench_lo_index (void);

/*** latency log: filled by the receivers ************************************/

typedef struct
{
  guint64 n;                    /* datagrams the sender will send */
  guint64 received;
  guint64 out_of_range;
  gint64 lat_ns[];              /* indexed by sequence number, -1 = missing */
} BenchLatencyLog;

/* one allocation: g_free() it */
BenchLatencyLog *bench_latency_log_new (guint64 n);
void bench_latency_log_record (BenchLatencyLog * log, const guint8 * data,
    gsize size, gint64 now_ns);
/* percentiles of the recorded latencies, in microseconds */
void bench_latency_log_summary (BenchLatencyLog * log, gdouble * p50_us,
    gdouble * p99_us, gdouble * max_us, guint64 * lost);

/*** raw sockets (bench-raw.c) ***********************************************/

typedef enum
{
  BENCH_RAW_SEND,               /* one send() per datagram */
  BENCH_RAW_SENDMMSG,           /* sendmmsg() of BENCH_LIST_LEN */
  BENCH_RAW_GSO,                /* one send() of up to 64 UDP GSO segments */
} BenchRawMode;

int bench_raw_sender_socket (const gchar * group, guint port, GError ** error);
int bench_raw_receiver_socket (const gchar * group, guint port, gint rcvbuf,
    GError ** error);
guint bench_gso_segments (gsize size);

typedef struct
{
  guint64 packets;
  gint64 elapsed_ns;
} BenchPacedResult;

/* Sends @size-byte datagrams with UDP GSO, paced at @rate per second
 * (0: as fast as possible), until @max_packets are sent or @seconds have
 * passed. */
gboolean bench_raw_send_paced (int fd, gsize size, gdouble rate,
    guint64 max_packets, gdouble seconds, BenchPacedResult * result,
    GError ** error);

/*** senders (bench-send.c) **************************************************/

typedef enum
{
  BENCH_SEND_RAW_SEND,
  BENCH_SEND_RAW_SENDMMSG,
  BENCH_SEND_RAW_GSO,
  BENCH_SEND_LIBMCTX,
  BENCH_SEND_UDPSINK,
  BENCH_SEND_UDPSINK_LIST,
  BENCH_SEND_MCTXSINK,
  BENCH_SEND_MCTXSINK_LIST,
  BENCH_SEND_N_KINDS
} BenchSendKind;

typedef struct _BenchSender BenchSender;

extern const BenchKind bench_send_kinds[BENCH_SEND_N_KINDS];
BenchSender *bench_sender_new (BenchSendKind kind, const gchar * group,
    guint port, gsize size, GError ** error);
void bench_sender_free (BenchSender * s);
/* sends one unit: 1 datagram, a list / batch, or a GSO super-datagram */
gboolean bench_sender_send_unit (BenchSender * s, GError ** error);
guint bench_sender_unit (BenchSender * s);
/* sends one datagram carrying @seq and the current time */
gboolean bench_sender_send_stamped (BenchSender * s, guint64 seq,
    GError ** error);
/* datagrams the element counted as sent, or -1 if it has no counter */
gint64 bench_sender_element_count (BenchSender * s);

void bench_run_send (const BenchOptions * opts, guint repeat);
void bench_run_latency (const BenchOptions * opts, guint repeat);

/*** receivers (bench-recv.c) ************************************************/

typedef enum
{
  BENCH_RECV_RAW,               /* recvmmsg() of 64 */
  BENCH_RECV_LIBMCTX,           /* mctx_subscription_receive_messages() */
  BENCH_RECV_UDPSRC,
  BENCH_RECV_MCTXSRC,
  BENCH_RECV_MCTXSRC_GRO,       /* mctxsrc gro=true */
  BENCH_RECV_MCTXSRC_STREAM,    /* mctxsrc preserve-packetization=false */
  BENCH_RECV_MCTXSRC_NOANALYSE, /* mctxsrc analyse=false */
  BENCH_RECV_N_KINDS
} BenchRecvKind;

static inline gboolean
bench_recv_kind_is_mctxsrc (BenchRecvKind kind)
{
  return kind >= BENCH_RECV_MCTXSRC;
}

/* CPU time of a receiving thread so far */
typedef struct
{
  gint64 total_ns;              /* its CPU clock */
  gint64 user_ns, sys_ns;       /* the split, in clock ticks (10 ms) */
} BenchCpu;

typedef struct _BenchReceiver BenchReceiver;

extern const BenchKind bench_recv_kinds[BENCH_RECV_N_KINDS];
BenchReceiver *bench_receiver_start (BenchRecvKind kind, const gchar * group,
    guint port, gint rcvbuf, BenchLatencyLog * log, GError ** error);
guint64 bench_receiver_count (BenchReceiver * r);
/* the kernel's drop count for the socket, or -1 when unknown */
gint64 bench_receiver_kernel_drops (BenchReceiver * r);
/* waits until @expected have arrived or nothing came for @quiet_ms;
 * @last_ns: when the count last grew */
guint64 bench_receiver_drain (BenchReceiver * r, guint64 expected,
    guint quiet_ms, guint max_ms, gint64 * last_ns);
void bench_receiver_stop (BenchReceiver * r);
/* FALSE until the receiving thread has handled a datagram */
gboolean bench_receiver_thread_cpu (BenchReceiver * r, BenchCpu * cpu);

/* The end of one receive measurement of @kind, passed or failed: @fd
 * (the sender's socket, or -1) closed, @r stopped, the watchdog off and
 * @what freed; a failure (@error set) printed as "  SECTION KIND FAILED:"
 * (KIND padded to @width), noted as "NOUN KIND failed:" and cleared. */
void bench_measure_end (const gchar * section, gint width,
    const gchar * noun, BenchRecvKind kind, int fd, BenchReceiver * r,
    gchar * what, GError ** error);

/* steady-rate CPU per datagram (bench-steady.c) */
void bench_run_steady (const BenchOptions * opts, guint repeat);

void bench_run_recv (const BenchOptions * opts, guint repeat);

/*** results (bench-report.c) ***********************************************/

void bench_results_init (guint repeats);
/* one value per key and repeat; keys are "section/size/path/metric" */
void bench_result_set (const gchar * key, guint repeat, gdouble value);
gdouble bench_result_median (const gchar * key);
/* median over the repeats of key_a / key_b taken in the same repeat */
gdouble bench_result_ratio (const gchar * key_a, const gchar * key_b);
void bench_note (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

gchar *bench_report_markdown (const BenchOptions * opts,
    const gchar * machine_info, gdouble total_seconds);
gchar *bench_report_tables (const BenchOptions * opts);
gboolean bench_report_csv (const gchar * path, GError ** error);

G_END_DECLS
