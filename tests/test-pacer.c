/* MctxPacer: the schedule (exact departure times, no network), bad
 * settings, and the kernel-path probe falling back on interfaces without
 * fq/etf.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <string.h>

#define MS (G_GINT64_CONSTANT (1000000))
#define T0 (G_GINT64_CONSTANT (1000000000000))  /* an arbitrary "now" */

static MctxPacer *
rate_pacer (guint64 rate, guint burst)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_RATE);
  GError *error = NULL;

  g_object_set (p, "rate", rate, "burst", burst, NULL);
  g_assert_true (mctx_pacer_validate (p, &error));
  g_assert_no_error (error);
  return p;
}

/* Rate mode: each step schedules @n datagrams of @size payload bytes,
 * asked at T0 + @at; every departure must be T0 + the expected offset. */
typedef struct
{
  gint64 at;
  guint n;
  gsize size;
  gint64 expect[10];
} RateStep;

typedef struct
{
  const gchar *name;
  guint64 rate;
  guint burst;
  guint header_bytes;           /* 0: the default */
  RateStep steps[3];            /* until n == 0 */
} RateCase;

static const RateCase rate_cases[] = {
  /* 972 payload + 28 header bytes = 8000 bits: 1 ms each at 8 Mbit/s */
  {"exact", 8000000, 1, 0, {
          {0, 10, 972, {0, MS, 2 * MS, 3 * MS, 4 * MS, 5 * MS, 6 * MS, 7 * MS,
                  8 * MS, 9 * MS}},
          /* asked again before the debt is paid: continues where it was */
          {2 * MS, 1, 972, {10 * MS}},
      }},
  {"burst", 8000000, 3, 0, {
          /* three back to back, then one per millisecond */
          {0, 8, 972, {0, 0, 0, MS, 2 * MS, 3 * MS, 4 * MS, 5 * MS}},
          /* idle long enough for the bucket to refill: a new burst of 3 */
          {100 * MS, 4, 972, {100 * MS, 100 * MS, 100 * MS, 101 * MS}},
          /* the last left at 101 ms with the bucket empty; at 102 ms one
           * packet time of credit has come back, not three */
          {102 * MS, 3, 972, {102 * MS, 103 * MS, 104 * MS}},
      }},
  /* 224 bits at 3000 bit/s is 74666666.67 ns: the fractions add up, so
   * three packets take exactly 224 ms */
  {"fraction", 3000, 1, 0, {
          {0, 4, 0, {0, 74666666, 149333333, 224 * MS}},
      }},
  /* header-bytes counts: 48 (IPv6) makes 952 payload bytes 8000 bits */
  {"headers", 8000000, 1, 48, {
          {0, 2, 952, {0, MS}},
      }},
};

/* one GTest per row of rate_cases (a failing case hides no other) */
static void
test_rate (gconstpointer data)
{
  const RateCase *c = data;
  MctxPacer *p = rate_pacer (c->rate, c->burst);
  const RateStep *step;

  g_test_message ("rate case %s", c->name);
  if (c->header_bytes)
    g_object_set (p, "header-bytes", c->header_bytes, NULL);
  for (step = c->steps; step < c->steps + 3 && step->n; step++) {
    gsize sizes[10];
    gint64 d[10];
    guint i;

    for (i = 0; i < step->n; i++)
      sizes[i] = step->size;
    g_assert_true (mctx_pacer_schedule (p, T0 + step->at, -1, -1, step->n,
            sizes, d));
    for (i = 0; i < step->n; i++)
      g_assert_cmpint (d[i] - T0, ==, step->expect[i]);
  }
  g_object_unref (p);
}

static void
test_none (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_NONE);
  gint64 d[3];

  g_assert_true (mctx_pacer_schedule (p, T0, T0 + 5 * MS, 40 * MS, 3, NULL,
          d));
  g_assert_cmpint (d[0], ==, T0);
  g_assert_cmpint (d[2], ==, T0);
  g_object_unref (p);
}

/* a whole frame: packet k at exactly start + k * 40 ms / 100 */
static void
test_frame_exact (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  gint64 d[100], start = T0 + 5 * MS;
  guint i;

  g_assert_true (mctx_pacer_schedule_frame (p, T0, start, 40 * MS, 100,
          NULL, d));
  for (i = 0; i < 100; i++)
    g_assert_cmpint (d[i], ==, start + i * 400000);

  /* 3 packets over 10 ms: the division rounds down per packet */
  g_assert_true (mctx_pacer_schedule_frame (p, T0, start + 40 * MS, 10 * MS,
          3, NULL, d));
  g_assert_cmpint (d[0], ==, start + 40 * MS);
  g_assert_cmpint (d[1], ==, start + 40 * MS + 3333333);
  g_assert_cmpint (d[2], ==, start + 40 * MS + 6666666);
  g_object_unref (p);
}

/* Frames arriving as several lists with the same timestamp, like
 * rtpvrawpay pushes them. */
static void
push_frame (MctxPacer * p, gint64 ts, gint64 dur, guint n_lists,
    guint per_list, gint64 * d)
{
  guint l;

  for (l = 0; l < n_lists; l++)
    g_assert_true (mctx_pacer_schedule (p, T0, ts, dur, per_list, NULL,
            d + l * per_list));
}

static void
test_frames_streaming (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  gint64 d[160], f0 = T0, f1 = T0 + 40 * MS, f2 = T0 + 80 * MS,
      f3 = T0 + 120 * MS;
  guint i;

  /* first frame: its packet count is not known yet, so it is not spread */
  push_frame (p, f0, 40 * MS, 4, 25, d);
  for (i = 0; i < 100; i++)
    g_assert_cmpint (d[i], ==, f0);

  /* second frame: 100 expected (the first frame's count), spread */
  push_frame (p, f1, 40 * MS, 4, 25, d);
  for (i = 0; i < 100; i++)
    g_assert_cmpint (d[i], ==, f1 + i * 400000);

  /* a bigger frame: packets beyond the estimate leave at the frame's end */
  push_frame (p, f2, 40 * MS, 4, 40, d);
  for (i = 0; i < 100; i++)
    g_assert_cmpint (d[i], ==, f2 + i * 400000);
  for (i = 100; i < 160; i++)
    g_assert_cmpint (d[i], ==, f2 + 40 * MS);

  /* the next frame expects 160 */
  push_frame (p, f3, 40 * MS, 1, 4, d);
  g_assert_cmpint (d[0], ==, f3);
  g_assert_cmpint (d[1], ==, f3 + 250000);
  g_assert_cmpint (d[3], ==, f3 + 750000);
  g_object_unref (p);
}

/* Without durations: the interval between the last two frame timestamps. */
static void
test_frames_no_duration (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  gint64 d[50];
  guint i;

  push_frame (p, T0, -1, 2, 25, d);
  for (i = 0; i < 50; i++)
    g_assert_cmpint (d[i], ==, T0);
  /* 20 ms since the first frame: 50 packets over 20 ms */
  push_frame (p, T0 + 20 * MS, -1, 2, 25, d);
  for (i = 0; i < 50; i++)
    g_assert_cmpint (d[i], ==, T0 + 20 * MS + i * 400000);
  /* a timestamp of another clock (far ahead): unpaced, one warning */
  g_test_expect_message ("mctx", G_LOG_LEVEL_WARNING,
      "*3599 s ahead of now*not a CLOCK_MONOTONIC time*");
  g_assert_true (mctx_pacer_schedule (p, T0 + 50 * MS,
          T0 + G_GINT64_CONSTANT (3600000000000), -1, 2, NULL, d));
  g_assert_true (mctx_pacer_schedule (p, T0 + 50 * MS,
          T0 + G_GINT64_CONSTANT (3600040000000), -1, 2, NULL, d));
  g_test_assert_expected_messages ();
  g_assert_cmpint (d[0], ==, T0 + 50 * MS);
  /* buffers without a timestamp leave at "now" */
  g_assert_true (mctx_pacer_schedule (p, T0 + 100 * MS, -1, -1, 2, NULL, d));
  g_assert_cmpint (d[0], ==, T0 + 100 * MS);
  g_object_unref (p);
}

/* A frame that overruns (its sync time came too soon) delays the next one:
 * departures never go backwards. Reset forgets. */
static void
test_frames_monotonic (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  gint64 d[10];

  g_assert_true (mctx_pacer_schedule_frame (p, T0, T0, 40 * MS, 10, NULL,
          d));
  g_assert_cmpint (d[9], ==, T0 + 36 * MS);
  g_assert_true (mctx_pacer_schedule_frame (p, T0, T0 + 10 * MS, 40 * MS, 10,
          NULL, d));
  g_assert_cmpint (d[0], ==, T0 + 36 * MS);
  g_assert_cmpint (d[6], ==, T0 + 36 * MS);
  g_assert_cmpint (d[7], ==, T0 + 38 * MS);

  mctx_pacer_reset (p);
  g_assert_true (mctx_pacer_schedule_frame (p, T0, T0, 40 * MS, 1, NULL, d));
  g_assert_cmpint (d[0], ==, T0);
  g_object_unref (p);
}

/* A sender that woke late: rate mode does not catch up in a burst (the
 * bucket over real times holds the rest back, moving their departures);
 * timestamps mode sends what is due at once to keep the frame on time. */
static void
test_late_wake (void)
{
  static guint8 data[972];
  GOutputVector vec[10];
  GOutputMessage msg[10];
  gsize sizes[10];
  gint64 d[10];
  MctxPacer *p = rate_pacer (8000000, 1);
  guint i;

  memset (msg, 0, sizeof msg);
  for (i = 0; i < 10; i++) {
    vec[i].buffer = data;
    vec[i].size = sizes[i] = sizeof data;
    msg[i].vectors = &vec[i];
    msg[i].num_vectors = 1;
  }
  g_assert_true (mctx_pacer_schedule (p, T0, -1, -1, 10, sizes, d));
  g_assert_cmpint (d[5], ==, T0 + 5 * MS);

  /* woke 5.2 ms late: one goes; with 0.5 ms of tolerance the next may go
   * at 5.7 ms, and the later ones due before that wait for it too */
  g_assert_cmpuint (mctx_pacer_count_due (p, msg, d, 10, T0 + 5200000), ==,
      1);
  g_assert_cmpint (d[0], ==, T0);
  for (i = 1; i < 6; i++)
    g_assert_cmpint (d[i], ==, T0 + 5700000);
  g_assert_cmpint (d[6], ==, T0 + 6 * MS);
  g_assert_cmpuint (mctx_pacer_count_due (p, msg + 1, d + 1, 9,
          T0 + 5700000), ==, 1);
  g_assert_cmpint (d[2], ==, T0 + 6700000);
  g_assert_cmpint (d[6], ==, T0 + 6700000);
  g_assert_cmpint (d[7], ==, T0 + 7 * MS);
  /* not yet */
  g_assert_cmpuint (mctx_pacer_count_due (p, msg + 2, d + 2, 8,
          T0 + 6600000), ==, 0);
  g_object_unref (p);

  p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  g_assert_true (mctx_pacer_schedule_frame (p, T0, T0, 10 * MS, 10, NULL,
          d));
  g_assert_cmpuint (mctx_pacer_count_due (p, msg, d, 10, T0 + 5200000), ==,
      6);
  g_assert_cmpint (d[5], ==, T0 + 5 * MS);
  g_object_unref (p);
}

static void
expect_invalid (MctxPacer * p, const gchar * setting, const gchar * needle)
{
  GError *error = NULL;

  g_assert_false (mctx_pacer_validate (p, &error));
  g_assert_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE);
  g_assert_cmpstr (mctx_error_get_setting (error), ==, setting);
  g_test_message ("%s", error->message);
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      needle);
}

static void
test_bad_settings (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_RATE);
  MctxPublication *pub;
  GError *error = NULL;
  gint64 d[1];

  expect_invalid (p, "rate", "rate is 0");
  g_object_set (p, "rate", (guint64) 999, NULL);
  expect_invalid (p, "rate", "rate 999 bit/s is out of range");
  g_object_set (p, "rate", G_GUINT64_CONSTANT (100000000001), NULL);
  expect_invalid (p, "rate", "rate 100000000001 bit/s");
  g_object_set (p, "rate", (guint64) 1000, "burst", 0, NULL);
  expect_invalid (p, "burst", "burst 0 is out of range (1..65536");
  g_object_set (p, "burst", 65537, NULL);
  expect_invalid (p, "burst", "burst 65537");
  g_object_set (p, "burst", 65536, NULL);
  g_assert_true (mctx_pacer_validate (p, NULL));

  /* a bad rate is bad in any mode; no rate is fine outside rate mode */
  g_object_set (p, "mode", MCTX_PACING_TIMESTAMPS, "rate", (guint64) 0, NULL);
  g_assert_true (mctx_pacer_validate (p, NULL));
  g_object_set (p, "rate", (guint64) 5, NULL);
  expect_invalid (p, "rate", "rate 5 bit/s");

  /* start refuses the same way, and a closed leg */
  pub = mctx_publication_new ("239.1.2.3", 5004);
  g_assert_false (mctx_pacer_start (p, &pub, 1, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "rate 5");
  g_object_set (p, "rate", (guint64) 0, NULL);
  g_assert_false (mctx_pacer_start (p, &pub, 1, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN,
      "239.1.2.3");

  /* the schedule refuses invalid settings loudly */
  g_object_set (p, "mode", MCTX_PACING_RATE, NULL);
  g_test_expect_message ("mctx", G_LOG_LEVEL_CRITICAL, "*invalid settings*");
  g_assert_false (mctx_pacer_schedule (p, T0, -1, -1, 1, (gsize[]) {
          1}, d));
  g_test_assert_expected_messages ();
  g_object_unref (pub);
  g_object_unref (p);
}

/* ---- the kernel path on this host: no fq, so it falls back ---- */

static void
test_probe (void)
{
  MctxQdiscKind kind = MCTX_QDISC_FQ;
  gchar *name = NULL;
  GError *error = NULL;

  /* veth without a qdisc (noqueue) */
  g_assert_true (mctx_pacer_probe_kernel (mctx_test_ifindex ("pa0"), &kind,
          &name, &error));
  g_assert_no_error (error);
  g_test_message ("pa0 root qdisc: %s", name ? name : "(none)");
  g_assert_cmpint (kind, ==, MCTX_QDISC_OTHER);
  g_free (name);

  /* a root qdisc that exists here but cannot pace by departure time */
  mctx_test_run ("tc qdisc replace dev pb0 root tbf rate 1gbit burst 64kb "
      "latency 10ms");
  g_assert_true (mctx_pacer_probe_kernel (mctx_test_ifindex ("pb0"), &kind,
          &name, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "tbf");
  g_assert_cmpint (kind, ==, MCTX_QDISC_OTHER);
  g_free (name);

  g_assert_false (mctx_pacer_probe_kernel (123456, &kind, NULL, &error));
  mctx_test_assert_error (&error, MCTX_ERROR,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "123456");
}

static MctxPublication *
pub_on (const gchar * ifname, guint port)
{
  return mctx_test_publication ("239.40.0.1", port, "interface", ifname,
      "loop", FALSE, NULL);
}

static void
test_fallback (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  MctxPublication *legs[2] = { pub_on ("pa0", 9000), pub_on ("pb0", 9000) };
  MctxPacerStats stats;
  GError *error = NULL;

  mctx_pacer_get_stats (p, &stats);
  g_assert_cmpstr (stats.mechanism, ==, "none");

  /* auto: quietly user space, the reason kept */
  g_assert_true (mctx_pacer_start (p, legs, 1, &error));
  g_assert_no_error (error);
  mctx_pacer_get_stats (p, &stats);
  g_assert_cmpstr (stats.mechanism, ==, "user-space");
  g_assert_nonnull (strstr (mctx_pacer_get_fallback_reason (p),
          "interface pa0 has root qdisc"));

  /* kernel asked for: a warning naming the interface and the fix; with
   * two legs, the one that cannot */
  g_object_set (p, "mechanism", MCTX_PACING_MECHANISM_KERNEL, NULL);
  g_test_expect_message ("mctx", G_LOG_LEVEL_WARNING,
      "kernel pacing requested, but pacing in user space: interface pa0 has "
      "root qdisc * `tc qdisc replace dev pa0 root fq`");
  g_assert_true (mctx_pacer_start (p, legs, 2, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  mctx_pacer_get_stats (p, &stats);
  g_assert_cmpstr (stats.mechanism, ==, "user-space");

  /* user space asked for: nothing probed, nothing to say */
  g_object_set (p, "mechanism", MCTX_PACING_MECHANISM_USER_SPACE, NULL);
  g_assert_true (mctx_pacer_start (p, legs, 2, &error));
  g_assert_null (mctx_pacer_get_fallback_reason (p));

  /* mode none: no mechanism */
  g_object_set (p, "mode", MCTX_PACING_NONE, "mechanism",
      MCTX_PACING_MECHANISM_KERNEL, NULL);
  g_assert_true (mctx_pacer_start (p, legs, 2, &error));
  mctx_pacer_get_stats (p, &stats);
  g_assert_cmpstr (stats.mechanism, ==, "none");

  g_object_unref (legs[0]);
  g_object_unref (legs[1]);
  g_object_unref (p);
}

/* The SO_TXTIME send path, forced on (the kernel here sends at once since
 * there is no fq, but every datagram must arrive whole and in order). */
static void
test_kernel_path_forced (void)
{
  const gchar *ifs[] = { "pa1", NULL };
  MctxSubscription *sub = mctx_test_subscription ("239.40.0.1", 9001,
      "interfaces", ifs, NULL);
  MctxPublication *pub = pub_on ("pa0", 9001);
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_RATE);
  guint8 payload[20][64];
  GOutputVector vec[20];
  GOutputMessage msg[20];
  gsize sizes[20];
  gint64 d[20], now = g_get_monotonic_time () * 1000;
  MctxPacerStats stats;
  MctxPublicationStats pstats;
  GError *error = NULL;
  guint i, done = 0;

  g_setenv ("MCTX_PACER_ASSUME_QDISC", "fq", TRUE);
  g_object_set (p, "rate", G_GUINT64_CONSTANT (10000000), "mechanism",
      MCTX_PACING_MECHANISM_KERNEL, NULL);
  g_assert_true (mctx_pacer_start (p, &pub, 1, &error));
  g_unsetenv ("MCTX_PACER_ASSUME_QDISC");
  g_assert_no_error (error);
  mctx_pacer_get_stats (p, &stats);
  g_assert_cmpstr (stats.mechanism, ==, "kernel-fq");

  memset (msg, 0, sizeof msg);
  for (i = 0; i < 20; i++) {
    memset (payload[i], 'a' + i, 64);
    vec[i].buffer = payload[i];
    vec[i].size = 64;
    msg[i].vectors = &vec[i];
    msg[i].num_vectors = 1;
    sizes[i] = 64;
  }
  g_assert_true (mctx_pacer_schedule (p, now, -1, -1, 20, sizes, d));
  g_assert_true (mctx_pacer_send (p, pub, msg, 20, d, &done, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (done, ==, 20);
  for (i = 0; i < 20; i++) {
    guint8 buf[128];
    MctxPacketInfo info;

    g_assert_cmpint (mctx_test_receive (sub, buf, sizeof buf, &info,
            MCTX_TEST_TIMEOUT_US), ==, 64);
    g_assert_cmpint (buf[0], ==, 'a' + i);
    g_assert_cmpint (buf[63], ==, 'a' + i);
  }
  mctx_pacer_get_stats (p, &stats);
  g_assert_cmpuint (stats.packets, ==, 20);
  g_assert_cmpuint (stats.bytes, ==, 20 * 64);
  /* the kernel path goes through the publication, which counts them */
  mctx_publication_get_stats (pub, &pstats);
  g_assert_cmpuint (pstats.packets_sent, ==, 20);
  g_assert_cmpuint (pstats.bytes_sent, ==, 20 * 64);
  g_object_unref (p);
  g_object_unref (pub);
  g_object_unref (sub);
}

/* a cancelled wait ends at once, with CANCELLED */
static void
test_cancel (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  GCancellable *c = g_cancellable_new ();
  GError *error = NULL;
  gint64 far = (g_get_monotonic_time () + 60 * G_USEC_PER_SEC) * 1000;

  g_cancellable_cancel (c);
  g_assert_false (mctx_pacer_wait (p, far, NULL, c, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_object_unref (c);
  g_object_unref (p);
}

static gpointer
cancel_later (gpointer data)
{
  GCancellable *c = data;

  g_usleep (50 * 1000);
  g_cancellable_cancel (c);
  return NULL;
}

/* cancelled from another thread while asleep: wakes within a slice */
static void
test_cancel_thread (void)
{
  MctxPacer *p = mctx_pacer_new (MCTX_PACING_TIMESTAMPS);
  GCancellable *c = g_cancellable_new ();
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 far = (start + 60 * G_USEC_PER_SEC) * 1000;
  GThread *t = g_thread_new ("cancel", cancel_later, c);

  g_assert_false (mctx_pacer_wait (p, far, NULL, c, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_thread_join (t);
  g_object_unref (c);
  g_object_unref (p);
}

/* the links, in the namespace before any thread exists */
static void
setup (void)
{
  mctx_test_netns_add_veth ("pa0", "pa1", "10.40.1.1/24", "10.40.1.2/24",
      NULL, NULL);
  mctx_test_netns_add_veth ("pb0", "pb1", "10.40.2.1/24", "10.40.2.2/24",
      NULL, NULL);
}

static const MctxTestCase tests[] = {
  {"/pacer/rate/exact", NULL, test_rate, &rate_cases[0]},
  {"/pacer/rate/burst", NULL, test_rate, &rate_cases[1]},
  {"/pacer/rate/fraction", NULL, test_rate, &rate_cases[2]},
  {"/pacer/rate/headers", NULL, test_rate, &rate_cases[3]},
  {"/pacer/none", test_none},
  {"/pacer/frames/exact", test_frame_exact},
  {"/pacer/frames/streaming", test_frames_streaming},
  {"/pacer/frames/no-duration", test_frames_no_duration},
  {"/pacer/frames/monotonic", test_frames_monotonic},
  {"/pacer/late-wake", test_late_wake},
  {"/pacer/bad-settings", test_bad_settings},
  {"/pacer/kernel/probe", test_probe},
  {"/pacer/kernel/fallback", test_fallback},
  {"/pacer/kernel/forced", test_kernel_path_forced},
  {"/pacer/cancel", test_cancel},
  {"/pacer/cancel-thread", test_cancel_thread},
};

MCTX_TEST_MAIN (setup, tests)
