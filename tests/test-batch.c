/* Batched send/receive, back-pressure and loss accounting:
 * sendmmsg/recvmmsg with varied sizes, slot compaction, would-block on a
 * rate-limited link, cancellable waits, and the kernel drop counter.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <string.h>

#define N_BATCH 64
#define SLOT_SIZE 2048

static const gchar *lo_only[] = { "lo", NULL };

/* Runs of equal sizes (what GSO batches, with GSO's shorter last segment),
 * odd sizes, 1 byte and an empty datagram. */
static gsize
batch_size (guint i)
{
  if (i < 16)
    return 1200;
  if (i < 32)
    return 1 + (i * 97) % 1400;
  if (i < 47)
    return 300;
  if (i == 47)
    return 123;
  if (i == 62)
    return 1;
  if (i == 63)
    return 0;
  return 1472 - i;
}

static guint8
pattern (guint i, gsize j)
{
  return (guint8) (i * 7 + j);
}

static void
fill (guint8 * buf, guint i, gsize size)
{
  gsize j;

  for (j = 0; j < size; j++)
    buf[j] = pattern (i, j);
}

static gboolean
matches (const guint8 * buf, guint i, gsize size)
{
  gsize j;

  for (j = 0; j < size; j++)
    if (buf[j] != pattern (i, j))
      return FALSE;
  return TRUE;
}

typedef struct
{
  guint8 *buffers[N_BATCH];
  MctxMessage msgs[16];
} Slots;

/* 16 slots, each slot's user_data naming its buffer, so we can check that
 * buffer and user_data travel together when slots are swapped. */
static void
slots_init (Slots * s, guint n)
{
  guint i;

  g_assert_cmpuint (n, <=, G_N_ELEMENTS (s->msgs));
  for (i = 0; i < n; i++) {
    s->buffers[i] = g_malloc0 (SLOT_SIZE);
    s->msgs[i].buffer = s->buffers[i];
    s->msgs[i].buffer_size = SLOT_SIZE;
    s->msgs[i].user_data = GUINT_TO_POINTER (i);
  }
}

static void
slots_check_pairs (Slots * s, guint n)
{
  guint i, seen = 0;

  for (i = 0; i < n; i++) {
    guint owner = GPOINTER_TO_UINT (s->msgs[i].user_data);

    g_assert_cmpuint (owner, <, n);
    g_assert_true (s->msgs[i].buffer == s->buffers[owner]);
    g_assert_cmpuint (s->msgs[i].buffer_size, ==, SLOT_SIZE);
    g_assert_false (seen & (1u << owner));
    seen |= 1u << owner;
  }
}

static void
slots_clear (Slots * s, guint n)
{
  guint i;

  for (i = 0; i < n; i++)
    g_free (s->buffers[i]);
}

/* Receive until `want` datagrams were accepted (bounded in time and
 * rounds); calls check(i, msg) for each in arrival order. */
typedef void (*CheckFunc) (guint index, const MctxMessage * msg,
    gpointer user_data);

static guint
receive_batches (MctxSubscription * sub, guint want, guint n_slots,
    CheckFunc check, gpointer user_data)
{
  Slots slots;
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  guint got = 0, rounds;

  slots_init (&slots, n_slots);
  for (rounds = 0; got < want && rounds < 10000; rounds++) {
    GError *error = NULL;
    gint64 left = deadline - g_get_monotonic_time ();
    gint n, k;

    if (left <= 0)
      break;
    if (!mctx_subscription_wait_readable (sub, left, NULL, &error)) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_error_free (error);
      break;
    }
    n = mctx_subscription_receive_messages (sub, slots.msgs, n_slots, &error);
    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_error_free (error);
      continue;
    }
    g_assert_no_error (error);
    g_assert_cmpint (n, <=, n_slots);
    slots_check_pairs (&slots, n_slots);
    for (k = 0; k < n; k++)
      check (got + k, &slots.msgs[k], user_data);
    got += n;
  }
  slots_clear (&slots, n_slots);
  return got;
}

static void
check_batch_datagram (guint index, const MctxMessage * msg, gpointer unused)
{
  gsize want = batch_size (index);

  if (msg->info.size != want || !matches (msg->buffer, index, want))
    g_error ("datagram %u: size %" G_GSIZE_FORMAT " (expected %"
        G_GSIZE_FORMAT ") or content wrong", index, msg->info.size, want);
  g_assert_cmpuint (msg->info.wire_size, ==, want);
  g_assert_false (msg->info.truncated);
  g_assert_cmpuint (msg->info.interface_index, ==, 1);
}

/* 64 datagrams of varied sizes in one call each way. */
static void
check_send_receive_messages (const gchar * group, guint port, gboolean gso)
{
  MctxSubscription *sub = mctx_test_subscription (group, port,
      "interfaces", lo_only, "receive-buffer-size", 1 << 20, NULL);
  MctxPublication *pub = mctx_publication_new (group, port);
  GOutputMessage msgs[N_BATCH];
  GOutputVector vecs[N_BATCH];
  guint8 *data[N_BATCH];
  MctxPublicationStats pstats;
  MctxSubscriptionStats sstats;
  GError *error = NULL;
  guint i, sent = 0, rounds;
  guint64 total = 0;

  g_object_set (pub, "interface", "lo", NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (pub), "gso"))
    g_object_set (pub, "gso", gso, NULL);
  else if (!gso)
    g_test_message ("no gso property");
  g_assert_true (mctx_publication_open (pub, &error));
  g_assert_no_error (error);

  memset (msgs, 0, sizeof msgs);
  for (i = 0; i < N_BATCH; i++) {
    gsize size = batch_size (i);

    data[i] = g_malloc (MAX (size, 1));
    fill (data[i], i, size);
    vecs[i].buffer = data[i];
    vecs[i].size = size;
    msgs[i].vectors = &vecs[i];
    msgs[i].num_vectors = 1;
    total += size;
  }
  /* the kernel may take fewer than asked: call again with the rest */
  for (rounds = 0; sent < N_BATCH && rounds < 1000; rounds++) {
    gint n = mctx_publication_send_messages (pub, msgs + sent,
        N_BATCH - sent, &error);

    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      g_assert_true (mctx_publication_wait_writable (pub,
              MCTX_TEST_TIMEOUT_US, NULL, &error));
      g_assert_no_error (error);
      continue;
    }
    g_assert_cmpint (n, >, 0);
    g_assert_cmpint (n, <=, N_BATCH - sent);
    sent += n;
  }
  g_assert_cmpuint (sent, ==, N_BATCH);
  for (i = 0; i < N_BATCH; i++)
    g_assert_cmpuint (msgs[i].bytes_sent, ==, batch_size (i));
  mctx_publication_get_stats (pub, &pstats);
  g_assert_cmpuint (pstats.packets_sent, ==, N_BATCH);
  g_assert_cmpuint (pstats.bytes_sent, ==, total);

  g_assert_cmpuint (receive_batches (sub, N_BATCH, 16, check_batch_datagram,
          NULL), ==, N_BATCH);
  mctx_test_assert_empty (sub);
  mctx_subscription_get_stats (sub, &sstats);
  g_assert_cmpuint (sstats.packets_received, ==, N_BATCH);
  g_assert_cmpuint (sstats.bytes_received, ==, total);
  g_assert_cmpuint (sstats.kernel_drops, ==, 0);

  for (i = 0; i < N_BATCH; i++)
    g_free (data[i]);
  g_object_unref (pub);
  g_object_unref (sub);
}

static void
test_batch_ipv4 (void)
{
  check_send_receive_messages ("239.40.0.1", 9000, TRUE);
}

static void
test_batch_ipv6 (void)
{
  check_send_receive_messages ("ff11::40:1", 9000, TRUE);
}

static void
test_batch_no_gso (void)
{
  check_send_receive_messages ("239.40.0.1", 9001, FALSE);
  check_send_receive_messages ("ff11::40:1", 9001, FALSE);
}

/* An oversized datagram stops the batch just before it; alone it is
 * refused with MESSAGE_TOO_LARGE; skipping it, the rest goes. */
static void
test_too_large (void)
{
  MctxSubscription *sub = mctx_test_lo_subscription ("239.40.0.2", 9002);
  MctxPublication *pub = mctx_test_lo_publication ("239.40.0.2", 9002);
  static guint8 big[70000];
  GOutputVector vecs[4] = { {"one", 3}, {"two", 3}, {big, sizeof big},
  {"four", 4}
  };
  GOutputMessage msgs[4];
  GError *error = NULL;
  MctxPublicationStats stats;
  guint i;

  memset (msgs, 0, sizeof msgs);
  for (i = 0; i < 4; i++) {
    msgs[i].vectors = &vecs[i];
    msgs[i].num_vectors = 1;
  }
  g_assert_cmpint (mctx_publication_send_messages (pub, msgs, 4, &error), ==,
      2);
  g_assert_no_error (error);
  g_assert_cmpint (mctx_publication_send_messages (pub, msgs + 2, 2, &error),
      ==, -1);
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_MESSAGE_TOO_LARGE,
      "70000");
  g_assert_cmpint (mctx_publication_send_messages (pub, msgs + 3, 1, &error),
      ==, 1);
  g_assert_no_error (error);
  /* the single-datagram path says the same */
  g_assert_cmpint (mctx_publication_send (pub, big, sizeof big, &error), ==,
      -1);
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_MESSAGE_TOO_LARGE,
      "70000");

  mctx_test_assert_next (sub, "one");
  mctx_test_assert_next (sub, "two");
  mctx_test_assert_next (sub, "four");
  mctx_test_assert_empty (sub);
  mctx_publication_get_stats (pub, &stats);
  g_assert_cmpuint (stats.packets_sent, ==, 3);
  g_assert_cmpuint (stats.send_errors, ==, 2);
  g_assert_cmpuint (stats.would_block, ==, 0);
  g_object_unref (pub);
  g_object_unref (sub);
}

/* Filtered datagrams inside a batch: an IPv6 subscription on a1 while the
 * host is also a member on b1 gets b1's datagrams from the kernel and must
 * drop them, compacting slots (buffer and user_data move together). */
typedef struct
{
  guint next;
} Seq;

static void
check_seq (guint index, const MctxMessage * msg, gpointer user_data)
{
  Seq *seq = user_data;
  gchar *want = g_strdup_printf ("a%u", seq->next++);

  g_assert_cmpmem (msg->buffer, msg->info.size, want, strlen (want));
  g_assert_cmpuint (msg->info.interface_index, ==, mctx_test_ifindex ("a1"));
  g_free (want);
}

static void
test_compaction (void)
{
  const gchar *group = "ff1e::40:3";
  const gchar *a1[] = { "a1", NULL }, *b1[] = { "b1", NULL };
  MctxSubscription *sub = mctx_test_subscription (group, 9003,
      "interfaces", a1, NULL);
  MctxSubscription *b_member = mctx_test_subscription (group, 9003,
      "interfaces", b1, NULL);
  MctxPublication *via_a = mctx_test_publication (group, 9003,
      "interface", "a0", "loop", FALSE, NULL);
  MctxPublication *via_b = mctx_test_publication (group, 9003,
      "interface", "b0", "loop", FALSE, NULL);
  MctxSubscriptionStats stats;
  Slots slots;
  Seq seq = { 0 };
  GError *error = NULL;
  guint i;

  for (i = 0; i < 8; i++) {
    gchar *a = g_strdup_printf ("a%u", i), *x = g_strdup_printf ("x%u", i);

    mctx_test_send_string (via_b, x);
    mctx_test_send_string (via_a, a);
    g_free (a);
    g_free (x);
  }
  /* the b1 member has all x's: the kernel has handled the burst */
  for (i = 0; i < 8; i++) {
    gchar *x = g_strdup_printf ("x%u", i);

    mctx_test_assert_next (b_member, x);
    g_free (x);
  }
  g_assert_cmpuint (receive_batches (sub, 8, 16, check_seq, &seq), ==, 8);
  mctx_subscription_get_stats (sub, &stats);
  g_assert_cmpuint (stats.packets_received, ==, 8);
  g_assert_cmpuint (stats.filtered, ==, 8);

  /* only foreign datagrams waiting: 0, then would-block */
  mctx_test_send_string (via_b, "y");
  mctx_test_assert_next (b_member, "y");
  g_assert_true (mctx_subscription_wait_readable (sub, MCTX_TEST_TIMEOUT_US,
          NULL, &error));
  g_assert_no_error (error);
  slots_init (&slots, 4);
  g_assert_cmpint (mctx_subscription_receive_messages (sub, slots.msgs, 4,
          &error), ==, 0);
  g_assert_no_error (error);
  slots_check_pairs (&slots, 4);
  g_assert_cmpint (mctx_subscription_receive_messages (sub, slots.msgs, 4,
          &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  slots_clear (&slots, 4);

  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (b_member);
  g_object_unref (sub);
}

/* ---- back-pressure on a 1 Mbit/s link ---- */

#define SLOW_SIZE 1000

static void
drain_counting (MctxSubscription * sub, guint * next_seq)
{
  guint8 buf[SLOW_SIZE + 100];
  MctxPacketInfo info;
  guint rounds;

  for (rounds = 0; rounds < 1000; rounds++) {
    GError *error = NULL;
    gssize n = mctx_subscription_receive (sub, buf, sizeof buf, &info,
        &error);
    guint32 seq;

    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_error_free (error);
      return;
    }
    g_assert_cmpint (n, ==, SLOW_SIZE);
    memcpy (&seq, buf, 4);
    /* every datagram, in order, none lost */
    g_assert_cmpuint (seq, ==, *next_seq);
    (*next_seq)++;
  }
}

/* Tiny send buffer, rate-limited egress: sends must report WOULD_BLOCK
 * (bounded count), wait_writable() + retry must deliver everything. First
 * one datagram per call, then in batches of 10 (partial batches resumed
 * where the kernel stopped). */
static void
test_would_block (void)
{
  enum { N_SINGLE = 40, N_BATCHED = 40, N = N_SINGLE + N_BATCHED };
  const gchar *rx_if[] = { "w1", NULL };
  MctxSubscription *sub = mctx_test_subscription ("239.40.0.4", 9004,
      "interfaces", rx_if, "receive-buffer-size", 1 << 20, NULL);
  MctxPublication *pub = mctx_test_publication ("239.40.0.4", 9004,
      "interface", "w0", "loop", FALSE, "send-buffer-size", 4096, NULL);
  guint8 payload[N][SLOW_SIZE];
  GOutputVector vecs[N];
  GOutputMessage msgs[N];
  guint sent = 0, received = 0, would_block = 0, rounds;
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  MctxPublicationStats stats;
  GError *error = NULL;

  g_assert_cmpint (mctx_subscription_get_actual_receive_buffer_size (sub), >=,
      1 << 20);
  memset (msgs, 0, sizeof msgs);
  for (guint32 i = 0; i < N; i++) {
    memset (payload[i], 0x5a, SLOW_SIZE);
    memcpy (payload[i], &i, 4);
    vecs[i].buffer = payload[i];
    vecs[i].size = SLOW_SIZE;
    msgs[i].vectors = &vecs[i];
    msgs[i].num_vectors = 1;
  }

  for (rounds = 0; sent < N && rounds < 100000; rounds++) {
    gint n;

    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    if (sent < N_SINGLE) {
      n = mctx_publication_send (pub, payload[sent], SLOW_SIZE, &error) < 0 ?
          -1 : 1;
    } else {
      n = mctx_publication_send_messages (pub, msgs + sent,
          MIN (10, N - sent), &error);
    }
    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      would_block++;
      /* wait for room (bounded), meanwhile the receiver keeps up */
      drain_counting (sub, &received);
      if (!mctx_publication_wait_writable (pub, MCTX_TEST_TIMEOUT_US, NULL,
              &error))
        g_error ("wait_writable: %s", error->message);
      continue;
    }
    sent += n;
    drain_counting (sub, &received);
  }
  g_assert_cmpuint (sent, ==, N);
  g_test_message ("would-block %u times for %u datagrams", would_block, N);
  g_assert_cmpuint (would_block, >, 0);

  mctx_publication_get_stats (pub, &stats);
  g_assert_cmpuint (stats.packets_sent, ==, N);
  g_assert_cmpuint (stats.bytes_sent, ==, N * SLOW_SIZE);
  /* at least every refusal we saw (a partial batch may count too) */
  g_assert_cmpuint (stats.would_block, >=, would_block);
  g_assert_cmpuint (stats.send_errors, ==, 0);

  /* the queue drains at 1 Mbit/s: the rest arrives within seconds */
  for (rounds = 0; received < N && rounds < 10000; rounds++) {
    if (!mctx_subscription_wait_readable (sub, 3 * G_USEC_PER_SEC, NULL,
            &error))
      g_error ("only %u of %u datagrams arrived: %s", received, N,
          error->message);
    drain_counting (sub, &received);
  }
  g_assert_cmpuint (received, ==, N);

  g_object_unref (pub);
  g_object_unref (sub);
}

/* ---- cancellable waits ---- */

static gpointer
cancel_later (gpointer data)
{
  g_usleep (100 * 1000);        /* not synchronisation: the delay under test */
  g_cancellable_cancel (data);
  return NULL;
}

/* Fill a publication on an 8 kbit/s link so it stays unwritable for
 * seconds. */
static MctxPublication *
stuck_publication (void)
{
  MctxPublication *pub = mctx_test_publication ("239.40.0.5", 9005,
      "interface", "s0", "loop", FALSE, "send-buffer-size", 4096, NULL);
  guint8 buf[SLOW_SIZE] = { 0 };
  guint i;

  for (i = 0; i < 1000; i++) {
    GError *error = NULL;

    if (mctx_publication_send (pub, buf, sizeof buf, &error) < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_error_free (error);
      return pub;
    }
  }
  g_error ("send buffer never filled");
  return NULL;
}

/* mctx_publication_wait_writable() or mctx_subscription_wait_readable() on
 * an object that does not become ready */
typedef gboolean (*WaitFunc) (gpointer obj, gint64 timeout_us,
    GCancellable * cancellable, GError ** error);

static gboolean
wait_writable (gpointer pub, gint64 timeout_us, GCancellable * cancellable,
    GError ** error)
{
  return mctx_publication_wait_writable (pub, timeout_us, cancellable, error);
}

static gboolean
wait_readable (gpointer sub, gint64 timeout_us, GCancellable * cancellable,
    GError ** error)
{
  return mctx_subscription_wait_readable (sub, timeout_us, cancellable,
      error);
}

/* a short timeout says TIMED_OUT; a cancel from another thread ends a wait
 * without a timeout at once, and an already cancelled one does not wait;
 * unrefs obj */
static void
check_wait_cancel (WaitFunc wait, gpointer obj)
{
  GCancellable *cancellable = g_cancellable_new ();
  GError *error = NULL;
  GThread *thread;
  gint64 start, elapsed;

  start = g_get_monotonic_time ();
  g_assert_false (wait (obj, 50 * 1000, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 40 * 1000);

  thread = g_thread_new ("canceller", cancel_later, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (wait (obj, -1, cancellable, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_thread_join (thread);
  g_test_message ("cancelled after %" G_GINT64_FORMAT " us", elapsed);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  start = g_get_monotonic_time ();
  g_assert_false (wait (obj, -1, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 100 * 1000);

  g_object_unref (cancellable);
  g_object_unref (obj);
}

static void
test_cancel_wait_writable (void)
{
  check_wait_cancel (wait_writable, stuck_publication ());
}

static void
test_cancel_wait_readable (void)
{
  check_wait_cancel (wait_readable, mctx_test_lo_subscription ("239.40.0.6",
          9006));
}

static void
test_truncated_batch (void)
{
  MctxSubscription *sub = mctx_test_lo_subscription ("239.40.0.8", 9008);
  MctxPublication *pub = mctx_test_lo_publication ("239.40.0.8", 9008);
  guint8 big[1200], small_bufs[4][100];
  MctxMessage msgs[4];
  MctxSubscriptionStats stats;
  GError *error = NULL;
  guint i, got = 0, rounds;

  fill (big, 3, sizeof big);
  for (i = 0; i < 4; i++) {
    /* alternate: too big, fits */
    gsize size = (i % 2 == 0) ? sizeof big : 50;

    g_assert_cmpint (mctx_publication_send (pub, big, size, &error), ==,
        (gssize) size);
  }
  for (rounds = 0; got < 4 && rounds < 100; rounds++) {
    gint n;

    for (i = got; i < 4; i++) {
      msgs[i].buffer = small_bufs[i];
      msgs[i].buffer_size = sizeof small_bufs[i];
      msgs[i].user_data = NULL;
    }
    g_assert_true (mctx_subscription_wait_readable (sub,
            MCTX_TEST_TIMEOUT_US, NULL, &error));
    n = mctx_subscription_receive_messages (sub, msgs + got, 4 - got,
        &error);
    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&error);
      continue;
    }
    got += n;
  }
  g_assert_cmpuint (got, ==, 4);
  for (i = 0; i < 4; i++) {
    gboolean too_big = i % 2 == 0;

    g_assert_cmpint (msgs[i].info.truncated, ==, too_big);
    g_assert_cmpuint (msgs[i].info.size, ==, too_big ? 100 : 50);
    g_assert_cmpuint (msgs[i].info.wire_size, ==, too_big ? sizeof big : 50);
    g_assert_true (matches (msgs[i].buffer, 3, msgs[i].info.size));
  }
  mctx_subscription_get_stats (sub, &stats);
  g_assert_cmpuint (stats.truncated, ==, 2);
  g_assert_cmpuint (stats.packets_received, ==, 4);
  g_object_unref (pub);
  g_object_unref (sub);
}

/* ---- kernel drop counter ---- */

/* Read everything waiting, one by one or in batches; returns the count of
 * datagrams read and whether "final" was among them. */
static guint
drain_all (MctxSubscription * sub, gboolean batch, gboolean * final)
{
  guint8 bufs[8][SLOW_SIZE + 100];
  MctxMessage msgs[8];
  guint got = 0, rounds, i;

  for (rounds = 0; rounds < 1000; rounds++) {
    GError *error = NULL;
    gint n;

    for (i = 0; i < 8; i++) {
      msgs[i].buffer = bufs[i];
      msgs[i].buffer_size = sizeof bufs[i];
    }
    if (batch) {
      n = mctx_subscription_receive_messages (sub, msgs, 8, &error);
    } else {
      gssize r = mctx_subscription_receive (sub, bufs[0], sizeof bufs[0],
          &msgs[0].info, &error);
      n = r < 0 ? -1 : 1;
    }
    if (n < 0) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_error_free (error);
      return got;
    }
    for (i = 0; i < (guint) n; i++) {
      if (msgs[i].info.size == 5 && memcmp (msgs[i].buffer, "final", 5) == 0)
        *final = TRUE;
      else
        got++;
    }
  }
  g_error ("drain_all: too many rounds");
  return got;
}

/* A small receive buffer, N datagrams sent without reading: most are
 * dropped by the kernel.  SO_RXQ_OVFL reports drops with the next datagram
 * that does get queued, so after draining, one more ("final") is sent:
 * reading it makes every drop visible.  Then drops + received == N.
 * Twice, to check that the cumulative kernel counter is not added up
 * twice. */
static void
check_kernel_drops (gboolean batch, guint port)
{
  enum { N = 200 };
  MctxSubscription *sub = mctx_test_subscription ("239.40.0.7", port,
      "interfaces", lo_only, "receive-buffer-size", 2048, NULL);
  MctxPublication *pub = mctx_test_lo_publication ("239.40.0.7", port);
  guint8 buf[SLOW_SIZE];
  MctxSubscriptionStats stats;
  guint i, round, received = 0, rounds;

  g_test_message ("actual receive buffer %d",
      mctx_subscription_get_actual_receive_buffer_size (sub));
  g_assert_cmpint (mctx_subscription_get_actual_receive_buffer_size (sub), >,
      0);
  g_assert_cmpint (mctx_subscription_get_actual_receive_buffer_size (sub), <,
      64 * 1024);

  memset (buf, 1, SLOW_SIZE);
  for (round = 1; round <= 2; round++) {
    gboolean final = FALSE;

    for (i = 0; i < N; i++) {
      GError *error = NULL;

      if (mctx_publication_send (pub, buf, SLOW_SIZE, &error) < 0)
        g_error ("send %u: %s", i, error->message);
    }
    received += drain_all (sub, batch, &final);
    g_assert_false (final);
    g_assert_cmpuint (received, <, round * N);

    /* the queue is empty: "final" is queued for sure, and reading it
     * carries the overflow count */
    mctx_test_send_string (pub, "final");
    for (rounds = 0; !final && rounds < 100; rounds++) {
      GError *error = NULL;

      if (!mctx_subscription_wait_readable (sub, MCTX_TEST_TIMEOUT_US, NULL,
              &error))
        g_error ("final datagram not received: %s", error->message);
      received += drain_all (sub, batch, &final);
    }
    g_assert_true (final);

    mctx_subscription_get_stats (sub, &stats);
    g_test_message ("round %u: received %u, kernel drops %" G_GUINT64_FORMAT,
        round, received, stats.kernel_drops);
    g_assert_cmpuint (stats.kernel_drops, >, 0);
    g_assert_cmpuint (stats.kernel_drops + received, ==, round * N);
    g_assert_cmpuint (stats.packets_received, ==, received + round);
  }

  g_object_unref (pub);
  g_object_unref (sub);
}

static void
test_kernel_drops (void)
{
  check_kernel_drops (FALSE, 9007);
}

static void
test_kernel_drops_batch (void)
{
  check_kernel_drops (TRUE, 9009);
}

/* links and addresses, in the namespace before any thread exists */
static void
setup (void)
{
  mctx_test_netns_add_link ("a", 1, TRUE, NULL);
  mctx_test_netns_add_link ("b", 2, TRUE, NULL);
  /* w0 -> w1 at 1 Mbit/s; s0 -> s1 at 8 kbit/s (stays full for seconds) */
  mctx_test_netns_add_link ("w", 3, FALSE,
      "tbf rate 1mbit burst 10kb latency 1s");
  mctx_test_netns_add_link_slow ();
}

static const MctxTestCase tests[] = {
  {"/batch/messages/ipv4", test_batch_ipv4},
  {"/batch/messages/ipv6", test_batch_ipv6},
  {"/batch/messages/no-gso", test_batch_no_gso},
  {"/batch/too-large", test_too_large},
  {"/batch/compaction", test_compaction},
  {"/batch/would-block", test_would_block},
  {"/batch/cancel/wait-writable", test_cancel_wait_writable},
  {"/batch/cancel/wait-readable", test_cancel_wait_readable},
  {"/batch/truncated", test_truncated_batch},
  {"/batch/kernel-drops/single", test_kernel_drops},
  {"/batch/kernel-drops/batch", test_kernel_drops_batch},
};

MCTX_TEST_MAIN (setup, tests)
