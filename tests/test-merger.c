/* MctxMerger with scripted arrival schedules: no network, no clock; every
 * time is given explicitly, so the results are exact.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include "mctx-test-util.h"
#include <string.h>

#define MS (G_GINT64_CONSTANT (1000000))
#define PKT 32

/* One arrival: leg, sequence number, time. */
typedef struct
{
  gint64 t_ns;
  guint leg;
  guint16 seq;
  guint order;                  /* ties keep the script's order */
} Arrival;

typedef struct
{
  MctxMerger *merger;
  GArray *arrivals;
  GArray *delivered;            /* guint16 in delivery order */
  GArray *events;               /* leg << 1 | up */
  guint outstanding;            /* buffers the merger holds */
} Run;

static void
fill_rtp (guint8 * p, guint16 seq)
{
  memset (p, 0, PKT);
  mctx_test_rtp_header (p, 96, seq, 0, 0);
  /* payload: the sequence number again, to check the buffer moved whole */
  p[12] = seq >> 8;
  p[13] = seq & 0xff;
}

static void
on_leg_state (MctxMerger * m, guint leg, gboolean up, gpointer user_data)
{
  Run *r = user_data;
  guint ev = leg << 1 | (up ? 1 : 0);

  g_array_append_val (r->events, ev);
}

/* The fixture: the merger, its script and what came out of it. */
static void
run_init (Run * r, guint n_legs, guint max_delay_ms)
{
  GError *error = NULL;

  r->merger = mctx_merger_new (n_legs, &error);
  g_assert_no_error (error);
  g_assert_true (mctx_merger_set_max_path_delay (r->merger, max_delay_ms,
          &error));
  g_assert_no_error (error);
  r->arrivals = g_array_new (FALSE, FALSE, sizeof (Arrival));
  r->delivered = g_array_new (FALSE, FALSE, sizeof (guint16));
  r->events = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (r->merger, "leg-state-changed", G_CALLBACK (on_leg_state),
      r);
}

/* two legs, 50 ms window */
static void
run_setup (Run * r, gconstpointer data)
{
  run_init (r, 2, 50);
}

static void
run_setup_three_legs (Run * r, gconstpointer data)
{
  run_init (r, 3, 100);
}

static void
run_teardown (Run * r, gconstpointer data)
{
  g_assert_cmpuint (r->outstanding, ==, 0);
  g_object_unref (r->merger);
  g_array_unref (r->arrivals);
  g_array_unref (r->delivered);
  g_array_unref (r->events);
}

static void
arrive (Run * r, guint leg, guint16 seq, gint64 t_ns)
{
  Arrival a = { t_ns, leg, seq, r->arrivals->len };

  g_array_append_val (r->arrivals, a);
}

static gint
by_time (gconstpointer a, gconstpointer b)
{
  const Arrival *x = a, *y = b;

  if (x->t_ns != y->t_ns)
    return x->t_ns < y->t_ns ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void
take (Run * r, MctxMessage * out, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    guint16 seq = (out[i].buffer[2] << 8) | out[i].buffer[3];

    /* the message came back whole: buffer, user_data, info */
    g_assert_true (out[i].user_data == out[i].buffer);
    g_assert_cmpuint (out[i].info.size, ==, PKT);
    g_assert_cmpuint ((out[i].buffer[12] << 8) | out[i].buffer[13], ==, seq);
    g_array_append_val (r->delivered, seq);
    g_free (out[i].buffer);
    r->outstanding--;
  }
}

static void
pop_at (Run * r, gint64 now_ns)
{
  MctxMessage out[8];
  guint legs[8];
  guint n;

  do {
    n = mctx_merger_pop (r->merger, now_ns, out, G_N_ELEMENTS (out), legs);
    take (r, out, n);
  } while (n == G_N_ELEMENTS (out));
}

static MctxMergerVerdict
push_one (Run * r, guint leg, guint16 seq, gint64 t_ns)
{
  MctxMessage msg = { 0 };
  MctxMergerVerdict v;

  msg.buffer = g_malloc (PKT);
  msg.buffer_size = PKT;
  msg.user_data = msg.buffer;
  msg.info.size = PKT;
  msg.info.wire_size = PKT;
  fill_rtp (msg.buffer, seq);
  v = mctx_merger_push (r->merger, leg, &msg, t_ns);
  if (v == MCTX_MERGER_HELD) {
    g_assert_null (msg.buffer);
    g_assert_null (msg.user_data);
    r->outstanding++;
  } else {
    g_assert_nonnull (msg.buffer);
    g_free (msg.buffer);
  }
  return v;
}

/* Plays the script in time order, popping at every arrival as a receiving
 * thread would, then once more well after the end. */
static void
play (Run * r, gint64 end_ns)
{
  guint i;

  g_array_sort (r->arrivals, by_time);
  for (i = 0; i < r->arrivals->len; i++) {
    const Arrival *a = &g_array_index (r->arrivals, Arrival, i);

    pop_at (r, a->t_ns);
    push_one (r, a->leg, a->seq, a->t_ns);
    pop_at (r, a->t_ns);
  }
  pop_at (r, end_ns);
  g_array_set_size (r->arrivals, 0);
}

static void
assert_delivered_except (Run * r, guint16 first, guint n,
    gboolean (*missing) (guint i))
{
  guint i, k = 0;

  for (i = 0; i < n; i++) {
    if (missing && missing (i))
      continue;
    g_assert_cmpuint (k, <, r->delivered->len);
    g_assert_cmpuint (g_array_index (r->delivered, guint16, k), ==,
        (guint16) (first + i));
    k++;
  }
  g_assert_cmpuint (r->delivered->len, ==, k);
}

static void
get_leg (Run * r, guint leg, MctxMergerLegStats * s)
{
  g_assert_true (mctx_merger_get_leg_stats (r->merger, leg, s));
}

/* ---- schedules ---- */

#define N 2000

static gboolean
drop_a_disjoint (guint i)
{
  return i % 10 == 3;
}

static gboolean
drop_b_disjoint (guint i)
{
  return i % 10 == 7;
}

/* 1000 packets/s; leg B 2 ms behind leg A. */
static void
script_two_legs (Run * r, guint16 first, guint n, gint64 b_delay_ns,
    gboolean (*drop_a) (guint), gboolean (*drop_b) (guint))
{
  guint i;

  for (i = 0; i < n; i++) {
    gint64 t = (gint64) i * MS;

    if (!drop_a || !drop_a (i))
      arrive (r, 0, first + i, t);
    if (!drop_b || !drop_b (i))
      arrive (r, 1, first + i, t + b_delay_ns);
  }
}

static gboolean
drop_a_overlap (guint i)
{
  return i % 10 == 3 || i % 10 == 4;
}

static gboolean
drop_b_overlap (guint i)
{
  return i % 10 == 4 || i % 10 == 5;
}

static gboolean
lost_on_both (guint i)
{
  return i % 10 == 4;
}

/* Leg A silent from 1 s to 3 s: down after leg-timeout, up when it comes
 * back, nothing missing. */
static gboolean
a_silent (guint i)
{
  return i >= 1000 && i < 3000;
}

/* One expected counter: in the merger's stats or in leg A's or B's. */
typedef enum
{
  IN_ST,
  IN_A,
  IN_B
} Where;

typedef struct
{
  Where where;
  gsize offset;
  gsize size;
  gint64 value;
  const gchar *name;
} Expect;

#define EXPECT(where, type, field, v) \
  { where, G_STRUCT_OFFSET (type, field), sizeof (((type *) 0)->field), v, \
    #where "." #field }
#define ST(field, v) EXPECT (IN_ST, MctxMergerStats, field, v)
#define A(field, v) EXPECT (IN_A, MctxMergerLegStats, field, v)
#define B(field, v) EXPECT (IN_B, MctxMergerLegStats, field, v)
#define END { 0, 0, 0, 0, NULL }

/* A two-leg schedule (script_two_legs), played to @tail_ms after its last
 * packet, the sequence checked against @missing, then the counters. */
typedef struct
{
  const gchar *path;
  guint16 first;
  guint n;
  gint64 b_delay_ns;
  gboolean (*drop_a) (guint);
  gboolean (*drop_b) (guint);
  gboolean (*missing) (guint);
  guint leg_timeout_ms;         /* 0: the default */
  guint tail_ms;
  Expect expect[24];
  /* what the counters cannot say */
  void (*check) (Run * r, const MctxMergerLegStats * a,
      const MctxMergerLegStats * b);
} Schedule;

static gint64
expect_get (const Expect * e, const MctxMergerStats * st,
    const MctxMergerLegStats * a, const MctxMergerLegStats * b)
{
  const guint8 *base = e->where == IN_ST ? (const guint8 *) st :
      e->where == IN_A ? (const guint8 *) a : (const guint8 *) b;
  gint64 v64;
  gint32 v32;

  if (e->size == sizeof v64) {
    memcpy (&v64, base + e->offset, sizeof v64);
    return v64;
  }
  g_assert_cmpuint (e->size, ==, sizeof v32);
  memcpy (&v32, base + e->offset, sizeof v32);
  return v32;
}

static void
check_disjoint (Run * r, const MctxMergerLegStats * a,
    const MctxMergerLegStats * b)
{
  g_assert_true (a->up && b->up);
  g_assert_cmpuint (r->events->len, ==, 0);
}

static void
check_silent (Run * r, const MctxMergerLegStats * a,
    const MctxMergerLegStats * b)
{
  /* after the run both went silent too: count only the first two events */
  g_assert_cmpuint (r->events->len, >=, 2);
  g_assert_cmpuint (g_array_index (r->events, guint, 0), ==, 0 << 1 | 0);
  g_assert_cmpuint (g_array_index (r->events, guint, 1), ==, 0 << 1 | 1);
  g_assert_cmpuint (a->outages, >=, 1);
}

static const Schedule schedules[] = {
  {"/merger/disjoint-loss", 1000, N, 2 * MS, drop_a_disjoint,
        drop_b_disjoint, NULL, 0, 100, {
          ST (delivered, N), ST (unrecoverable, 0), ST (duplicates, N - 400),
          ST (late, 0), ST (held, 0),
          A (received, N - 200), B (received, N - 200), A (lost, 200),
          B (lost, 200), A (unique, 200), B (unique, 200),
          A (delivered, N - 200), B (delivered, 200), A (late, 0), B (late, 0),
          /* B's copies of what both carried: 2 ms after A's */
          B (skew_samples, N - 400), B (skew_mean_ns, 2 * MS),
          B (skew_max_ns, 2 * MS), A (skew_samples, 0), END},
      check_disjoint},
  {"/merger/overlapping-loss", 0, N, 2 * MS, drop_a_overlap, drop_b_overlap,
        lost_on_both, 0, 100, {
          ST (delivered, N - 200), ST (unrecoverable, 200),
          A (lost, 400), B (lost, 400),
          A (unique, 200) /* the %10 == 5 ones */ ,
          B (unique, 200) /* the %10 == 3 ones */ , END},
      NULL},
  /* B 40 ms behind, window 50 ms: A's losses are all made good. */
  {"/merger/delay-within-window", 7, N, 40 * MS, drop_a_disjoint, NULL,
        NULL, 0, 100, {
          ST (unrecoverable, 0), ST (late, 0),
          ST (max_held, 37) /* 4..42 without 13, 23, 33 */ ,
          B (skew_mean_ns, 40 * MS), B (unique, 200), B (lost, 0), END},
      NULL},
  /* B 80 ms behind, window 50 ms: A's losses are given up before B's copies
   * come; every B copy is late and none reaches the output. */
  {"/merger/delay-beyond-window", 0, N, 80 * MS, drop_a_disjoint, NULL,
        drop_a_disjoint, 0, 100, {
          ST (delivered, N - 200), ST (unrecoverable, 200), ST (late, N),
          ST (duplicates, 0), B (late, N),
          B (lost, 0) /* it arrived, too late */ ,
          B (delivered, 0), A (unique, N - 200), B (skew_max_ns, 80 * MS),
          END},
      NULL},
  {"/merger/leg-silent", 100, 5000, 3 * MS, a_silent, NULL, NULL, 500, 500, {
          ST (unrecoverable, 0), A (lost, 2000), END},
      check_silent},
  {"/merger/wrap", 65000, N, 2 * MS, drop_a_disjoint, drop_b_disjoint, NULL,
        0, 100, {ST (unrecoverable, 0), ST (late, 0), END},
      NULL},
};

static void
test_schedule (Run * r, gconstpointer data)
{
  const Schedule *s = data;
  GError *error = NULL;
  MctxMergerStats st;
  MctxMergerLegStats a, b;
  const Expect *e;

  if (s->leg_timeout_ms) {
    g_assert_true (mctx_merger_set_leg_timeout (r->merger, s->leg_timeout_ms,
            &error));
    g_assert_no_error (error);
  }
  script_two_legs (r, s->first, s->n, s->b_delay_ns, s->drop_a, s->drop_b);
  play (r, (gint64) (s->n + s->tail_ms) * MS);
  assert_delivered_except (r, s->first, s->n, s->missing);

  mctx_merger_get_stats (r->merger, &st);
  get_leg (r, 0, &a);
  get_leg (r, 1, &b);
  for (e = s->expect; e->name != NULL; e++) {
    gint64 got = expect_get (e, &st, &a, &b);

    if (got != e->value)
      g_error ("%s: %s is %" G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT,
          s->path, e->name, got, e->value);
  }
  if (s->check)
    s->check (r, &a, &b);
}

/* The down event comes at the leg timeout, not before. */
static void
test_leg_timeout_deadline (Run * r, gconstpointer data)
{
  GError *error = NULL;
  gint64 d;

  g_assert_true (mctx_merger_set_leg_timeout (r->merger, 200, &error));
  push_one (r, 0, 1, 0);
  push_one (r, 1, 1, 0);
  pop_at (r, 0);
  push_one (r, 1, 2, 100 * MS);
  pop_at (r, 100 * MS);
  d = mctx_merger_next_deadline (r->merger, 100 * MS);
  g_assert_cmpint (d, ==, 200 * MS);      /* leg 0's silence */
  pop_at (r, 199 * MS);
  g_assert_cmpuint (r->events->len, ==, 0);
  pop_at (r, 200 * MS);
  g_assert_cmpuint (r->events->len, ==, 1);
  g_assert_cmpuint (g_array_index (r->events, guint, 0), ==, 0);
  push_one (r, 0, 3, 250 * MS);
  g_assert_cmpuint (r->events->len, ==, 2);
  g_assert_cmpuint (g_array_index (r->events, guint, 1), ==, 1);
  pop_at (r, 250 * MS);
  assert_delivered_except (r, 1, 3, NULL);
}

/* A held packet waits max-path-delay after the next one arrived; the
 * deadline says so. */
static void
test_gap_deadline (Run * r, gconstpointer data)
{
  MctxMergerStats st;

  g_assert_true (mctx_merger_set_max_path_delay (r->merger, 30, NULL));
  push_one (r, 0, 10, 0);
  pop_at (r, 0);
  g_assert_cmpuint (r->delivered->len, ==, 1);
  push_one (r, 0, 12, 5 * MS);  /* 11 missing */
  pop_at (r, 5 * MS);
  g_assert_cmpuint (r->delivered->len, ==, 1);
  g_assert_cmpint (mctx_merger_next_deadline (r->merger, 5 * MS), ==,
      35 * MS);
  pop_at (r, 34 * MS);
  g_assert_cmpuint (r->delivered->len, ==, 1);
  pop_at (r, 35 * MS);
  g_assert_cmpuint (r->delivered->len, ==, 2);
  g_assert_cmpuint (g_array_index (r->delivered, guint16, 1), ==, 12);
  mctx_merger_get_stats (r->merger, &st);
  g_assert_cmpuint (st.unrecoverable, ==, 1);
  /* 11 from leg 1 now: late, not delivered */
  g_assert_cmpint (push_one (r, 1, 11, 36 * MS), ==, MCTX_MERGER_LATE);
  /* in order and complete: ready at once */
  push_one (r, 1, 13, 40 * MS);
  g_assert_cmpint (mctx_merger_next_deadline (r->merger, 40 * MS), ==,
      40 * MS);
  pop_at (r, 40 * MS);
  g_assert_cmpuint (r->delivered->len, ==, 3);
}

/* Reordering inside one leg is put right. */
static void
test_reorder (Run * r, gconstpointer data)
{
  static const guint16 order[] = { 1, 2, 4, 3, 6, 5, 7 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (order); i++)
    arrive (r, 0, order[i], i * MS);
  play (r, 1000 * MS);
  assert_delivered_except (r, 1, 7, NULL);
}

static void
push_raw (MctxMerger * m, guint leg, const guint8 * data, gsize size,
    MctxMergerVerdict expect)
{
  MctxMessage msg = { 0 };
  guint8 buf[64];

  memcpy (buf, data, size);
  msg.buffer = buf;
  msg.buffer_size = sizeof buf;
  msg.info.size = size;
  g_assert_cmpint (mctx_merger_push (m, leg, &msg, 0), ==, expect);
  g_assert_true (msg.buffer == buf);
}

static void
test_non_rtp (Run * r, gconstpointer data)
{
  static const guint8 text[] = "hello, not RTP";
  static const guint8 rtcp[12] = { 0x80, 200, 0, 2 };
  static const guint8 csrc[16] = { 0x83, 96, 0, 1 };    /* 3 CSRCs, 16 bytes */
  static const guint8 v1[12] = { 0x40, 96, 0, 1 };
  MctxMergerLegStats s;
  MctxMergerStats st;

  push_raw (r->merger, 1, text, sizeof text, MCTX_MERGER_NOT_RTP);
  push_raw (r->merger, 1, rtcp, sizeof rtcp, MCTX_MERGER_NOT_RTP);
  push_raw (r->merger, 1, csrc, sizeof csrc, MCTX_MERGER_NOT_RTP);
  push_raw (r->merger, 1, v1, sizeof v1, MCTX_MERGER_NOT_RTP);
  push_raw (r->merger, 1, v1, 5, MCTX_MERGER_NOT_RTP);
  get_leg (r, 1, &s);
  g_assert_cmpuint (s.non_rtp, ==, 5);
  g_assert_cmpuint (s.received, ==, 0);
  get_leg (r, 0, &s);
  g_assert_cmpuint (s.non_rtp, ==, 0);
  mctx_merger_get_stats (r->merger, &st);
  g_assert_cmpuint (st.non_rtp, ==, 5);
  g_assert_cmpuint (st.held, ==, 0);
  /* a truncated RTP datagram is not taken either */
  {
    MctxMessage msg = { 0 };
    guint8 buf[PKT];

    fill_rtp (buf, 1);
    msg.buffer = buf;
    msg.info.size = PKT;
    msg.info.truncated = TRUE;
    g_assert_cmpint (mctx_merger_push (r->merger, 0, &msg, 0), ==,
        MCTX_MERGER_NOT_RTP);
  }
}

/* Both legs jump back to other sequence numbers (the sender restarted):
 * the merge starts over instead of calling everything late for ever. */
static void
test_restart (Run * r, gconstpointer data)
{
  MctxMergerStats st;

  script_two_legs (r, 40000, 100, 1 * MS, NULL, NULL);
  play (r, 100 * MS);
  script_two_legs (r, 20000, 200, 1 * MS, NULL, NULL);
  {
    guint i;

    for (i = 0; i < r->arrivals->len; i++)
      g_array_index (r->arrivals, Arrival, i).t_ns += 200 * MS;
  }
  play (r, 2000 * MS);
  mctx_merger_get_stats (r->merger, &st);
  g_assert_cmpuint (st.resyncs, ==, 1);
  /* the first 100, then the new numbers from where the restart was seen,
   * in order, each once */
  g_assert_cmpuint (r->delivered->len, >, 100 + 150);
  {
    guint i;
    guint16 prev = g_array_index (r->delivered, guint16, 100);

    g_assert_cmpuint (prev, >=, 20000);
    for (i = 101; i < r->delivered->len; i++) {
      guint16 s = g_array_index (r->delivered, guint16, i);

      g_assert_cmpuint (s, ==, (guint16) (prev + 1));
      prev = s;
    }
    g_assert_cmpuint (prev, ==, 20199);
  }
}

/* Held packets come out of drain in order, without waiting. */
static void
test_drain (Run * r, gconstpointer data)
{
  MctxMessage out[8];
  guint legs[8];
  guint n;

  push_one (r, 2, 5, 0);
  pop_at (r, 0);
  push_one (r, 1, 8, MS);
  push_one (r, 0, 7, 2 * MS);
  pop_at (r, 3 * MS);
  g_assert_cmpuint (r->delivered->len, ==, 1);
  n = mctx_merger_drain (r->merger, out, 8, legs);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (legs[0], ==, 0);
  g_assert_cmpuint (legs[1], ==, 1);
  take (r, out, n);
  g_assert_cmpuint (g_array_index (r->delivered, guint16, 1), ==, 7);
  g_assert_cmpuint (g_array_index (r->delivered, guint16, 2), ==, 8);
}

static void
test_bytes (void)
{
  MctxMerger *m = mctx_merger_new (2, NULL);
  guint8 p[PKT];
  GBytes *b1, *b2, *got;
  guint leg = 9;

  fill_rtp (p, 500);
  b1 = g_bytes_new (p, PKT);
  b2 = g_bytes_new (p, PKT);
  g_assert_cmpint (mctx_merger_push_bytes (m, 1, b1, 0), ==,
      MCTX_MERGER_HELD);
  g_assert_cmpint (mctx_merger_push_bytes (m, 0, b2, MS), ==,
      MCTX_MERGER_DUPLICATE);
  got = mctx_merger_pop_bytes (m, MS, &leg);
  g_assert_true (got == b1);    /* the same bytes, not a copy */
  g_assert_cmpuint (leg, ==, 1);
  g_assert_null (mctx_merger_pop_bytes (m, MS, NULL));
  g_bytes_unref (got);
  /* held bytes are released with the merger */
  fill_rtp (p, 502);
  g_bytes_unref (b2);
  b2 = g_bytes_new (p, PKT);
  g_assert_cmpint (mctx_merger_push_bytes (m, 0, b2, 2 * MS), ==,
      MCTX_MERGER_HELD);
  g_bytes_unref (b2);
  g_bytes_unref (b1);
  g_object_unref (m);
}

static void
check_error (GError ** error, gint code, const gchar * setting,
    const gchar * text)
{
  g_assert_error (*error, MCTX_ERROR, code);
  g_assert_cmpstr (mctx_error_get_setting (*error), ==, setting);
  if (strstr ((*error)->message, text) == NULL)
    g_error ("message '%s' lacks '%s'", (*error)->message, text);
  g_clear_error (error);
}

static void
test_bad_settings (void)
{
  GError *error = NULL;
  MctxMerger *m;

  g_assert_null (mctx_merger_new (1, &error));
  check_error (&error, MCTX_ERROR_INVALID_VALUE, "n-legs",
      "n-legs 1 is out of range (2..8)");
  g_assert_null (mctx_merger_new (9, &error));
  check_error (&error, MCTX_ERROR_INVALID_VALUE, "n-legs", "n-legs 9");

  m = mctx_merger_new (2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mctx_merger_get_max_path_delay (m), ==, 50);
  g_assert_cmpuint (mctx_merger_get_leg_timeout (m), ==, 500);
  g_assert_false (mctx_merger_set_max_path_delay (m, 0, &error));
  check_error (&error, MCTX_ERROR_INVALID_VALUE, "max-path-delay",
      "max-path-delay 0 ms is out of range (1..1000 ms)");
  g_assert_false (mctx_merger_set_max_path_delay (m, 1001, &error));
  check_error (&error, MCTX_ERROR_INVALID_VALUE, "max-path-delay",
      "max-path-delay 1001 ms");
  g_assert_cmpuint (mctx_merger_get_max_path_delay (m), ==, 50);
  g_assert_false (mctx_merger_set_leg_timeout (m, 5, &error));
  check_error (&error, MCTX_ERROR_INVALID_VALUE, "leg-timeout",
      "leg-timeout 5 ms is out of range (10..60000 ms)");
  g_assert_true (mctx_merger_set_max_path_delay (m, 150, &error));
  g_assert_cmpuint (mctx_merger_get_max_path_delay (m), ==, 150);
  g_object_unref (m);
}

static MctxSubscription *
sub (const gchar * group, guint port, const gchar * iface)
{
  MctxSubscription *s = mctx_subscription_new (group, port);

  if (iface) {
    const gchar *ifs[] = { iface, NULL };

    g_object_set (s, "interfaces", ifs, NULL);
  }
  return s;
}

static void
test_bad_legs (void)
{
  GError *error = NULL;
  MctxSubscription *legs[3];
  MctxRedundantSubscription *rs;
  guint i;

  legs[0] = sub ("239.1.1.1", 5004, "red0");
  legs[1] = sub ("239.1.1.1", 5004, "red0");
  g_assert_null (mctx_redundant_subscription_new (legs, 2, &error));
  check_error (&error, MCTX_ERROR_DUPLICATE, "legs",
      "leg 1 (group '239.1.1.1' port 5004, interfaces 'red0') is identical "
      "to leg 0");
  g_object_unref (legs[1]);

  legs[1] = g_object_ref (legs[0]);
  g_assert_null (mctx_redundant_subscription_new (legs, 2, &error));
  check_error (&error, MCTX_ERROR_DUPLICATE, "legs",
      "is the same subscription as leg 0");
  g_object_unref (legs[1]);

  legs[1] = sub ("ff1e::1", 5004, "blue0");
  g_assert_null (mctx_redundant_subscription_new (legs, 2, &error));
  check_error (&error, MCTX_ERROR_FAMILY_MISMATCH, "legs",
      "leg 1 group 'ff1e::1' is IPv6 but leg 0 group '239.1.1.1' is IPv4");
  g_object_unref (legs[1]);

  legs[1] = sub ("10.0.0.1", 5004, NULL);
  g_assert_null (mctx_redundant_subscription_new (legs, 2, &error));
  check_error (&error, MCTX_ERROR_NOT_MULTICAST, "legs", "leg 1");
  g_object_unref (legs[1]);

  g_assert_null (mctx_redundant_subscription_new (legs, 1, &error));
  check_error (&error, MCTX_ERROR_INVALID_VALUE, "n-legs", "n-legs 1");

  /* same group and port on other interfaces, or another group: fine */
  legs[1] = sub ("239.1.1.1", 5004, "blue0");
  legs[2] = sub ("239.1.1.2", 5004, "red0");
  rs = mctx_redundant_subscription_new (legs, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mctx_merger_get_n_legs
      (mctx_redundant_subscription_get_merger (rs)), ==, 3);
  g_assert_true (mctx_redundant_subscription_get_leg (rs, 2) == legs[2]);
  g_assert_null (mctx_redundant_subscription_get_leg (rs, 3));
  g_object_unref (rs);
  for (i = 0; i < 3; i++)
    g_object_unref (legs[i]);
}

/* Not a speed target: prints what merging costs here. */
static void
test_cost (void)
{
  enum { COUNT = 200000 };
  MctxMerger *m = mctx_merger_new (2, NULL);
  guint8 *bufs = g_malloc (2 * 64 * PKT);
  MctxMessage out[64];
  gint64 t0, t1;
  guint i, delivered = 0;

  t0 = g_get_monotonic_time ();
  for (i = 0; i < COUNT; i++) {
    MctxMessage msg = { 0 };
    guint leg;

    for (leg = 0; leg < 2; leg++) {
      msg.buffer = bufs + ((i % 64) * 2 + leg) * PKT;
      msg.buffer_size = PKT;
      msg.info.size = PKT;
      fill_rtp (msg.buffer, i);
      mctx_merger_push (m, leg, &msg, (gint64) i * 10000);
    }
    if (i % 32 == 31)
      delivered += mctx_merger_pop (m, (gint64) i * 10000, out, 64, NULL);
  }
  delivered += mctx_merger_pop (m, (gint64) COUNT * 10000, out, 64, NULL);
  t1 = g_get_monotonic_time ();
  g_assert_cmpuint (delivered, ==, COUNT);
  g_test_message ("merged %u packets from 2 legs: %.1f ns per packet "
      "(both copies pushed, one popped)", COUNT,
      (t1 - t0) * 1000.0 / COUNT);
  g_free (bufs);
  g_object_unref (m);
}

/* B 300 ms behind at 10k packets/s: 3000 packets, more than the ring
 * keeps. Its copies are late, never taken again and never mistaken for a
 * restart; when A stops, B carries on from where A ended. */
static void
test_far_behind_leg (Run * r, gconstpointer data)
{
  MctxMergerStats st;
  MctxMergerLegStats b;
  guint i, k = 0;

  for (i = 0; i < 9000; i++) {
    gint64 t = (gint64) i * MS / 10;

    if (i < 6000 && i % 100 != 50)
      arrive (r, 0, i, t);
    arrive (r, 1, i, t + 300 * MS);
  }
  play (r, 1300 * MS);
  for (i = 0; i < 9000; i++) {
    if (i < 6000 && i % 100 == 50)
      continue;
    g_assert_cmpuint (g_array_index (r->delivered, guint16, k), ==, i);
    k++;
  }
  g_assert_cmpuint (r->delivered->len, ==, k);
  mctx_merger_get_stats (r->merger, &st);
  g_assert_cmpuint (st.resyncs, ==, 0);
  g_assert_cmpuint (st.unrecoverable, ==, 60);
  g_assert_cmpuint (st.duplicates, ==, 0);
  get_leg (r, 1, &b);
  g_assert_cmpuint (b.late, ==, 6000);
  g_assert_cmpuint (b.delivered, ==, 3000);
}

/* After a reset the next packet starts the sequence, even one far behind. */
static void
test_reset (Run * r, gconstpointer data)
{
  MctxMessage out[4];
  guint legs[4], n;

  push_one (r, 0, 100, 0);
  push_one (r, 0, 102, MS);
  pop_at (r, MS);
  g_assert_cmpuint (r->delivered->len, ==, 1);
  n = mctx_merger_drain (r->merger, out, 4, legs);
  take (r, out, n);
  mctx_merger_reset (r->merger);
  g_assert_cmpint (push_one (r, 1, 7, 2 * MS), ==, MCTX_MERGER_HELD);
  g_assert_cmpint (push_one (r, 0, 7, 3 * MS), ==, MCTX_MERGER_DUPLICATE);
  pop_at (r, 3 * MS);
  g_assert_cmpuint (r->delivered->len, ==, 3);
  g_assert_cmpuint (g_array_index (r->delivered, guint16, 2), ==, 7);
}

#define ADD_RUN(path, fn) \
  g_test_add (path, Run, NULL, run_setup, fn, run_teardown)

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (schedules); i++)
    g_test_add (schedules[i].path, Run, &schedules[i], run_setup,
        test_schedule, run_teardown);
  ADD_RUN ("/merger/leg-timeout-deadline", test_leg_timeout_deadline);
  ADD_RUN ("/merger/far-behind-leg", test_far_behind_leg);
  ADD_RUN ("/merger/gap-deadline", test_gap_deadline);
  ADD_RUN ("/merger/reorder", test_reorder);
  ADD_RUN ("/merger/non-rtp", test_non_rtp);
  ADD_RUN ("/merger/restart", test_restart);
  g_test_add ("/merger/drain", Run, NULL, run_setup_three_legs, test_drain,
      run_teardown);
  ADD_RUN ("/merger/reset", test_reset);
  g_test_add_func ("/merger/bytes", test_bytes);
  g_test_add_func ("/merger/bad-settings", test_bad_settings);
  g_test_add_func ("/merger/bad-legs", test_bad_legs);
  g_test_add_func ("/merger/cost", test_cost);
  return g_test_run ();
}
