/* UDP GRO receive: coalesced reads split back into datagrams, across calls,
 * with exact counters; kernel timestamps on request only.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define GROUP "239.50.0.1"
#define N 64
#define SIZE 1000

/* 64 equal datagrams sent with GSO arrive on lo as one coalesced read. */
static void
send_burst (MctxPublication * pub, guint8 (*payload)[SIZE])
{
  GOutputVector vec[N];
  GOutputMessage msg[N];
  GError *err = NULL;
  guint i, sent = 0;

  for (i = 0; i < N; i++) {
    memset (payload[i], i, SIZE);
    vec[i].buffer = payload[i];
    vec[i].size = SIZE;
    msg[i] = (GOutputMessage) {
    NULL, &vec[i], 1, 0, NULL, 0};
  }
  while (sent < N) {
    gint r = mctx_publication_send_messages (pub, msg + sent, N - sent, &err);

    g_assert_no_error (err);
    g_assert_cmpint (r, >, 0);
    sent += r;
  }
}

static void
test_gro_split_across_calls (void)
{
  static guint8 payload[N][SIZE];
  static guint8 bufs[10][2048];
  MctxSubscription *sub;
  MctxPublication *pub;
  MctxMessage msgs[10];
  MctxSubscriptionStats st;
  GError *err = NULL;
  guint got = 0, i, calls = 0;

  sub = mctx_test_subscription (GROUP, 7100, "gro", TRUE,
      "receive-buffer-size", 1 << 20, NULL);
  pub = mctx_test_publication (GROUP, 7100, NULL);
  send_burst (pub, payload);

  /* ten slots per call: the coalesced read needs seven calls, and the
   * segments held between calls must keep wait_readable() true */
  while (got < N && calls++ < 100) {
    gint n;

    g_assert_true (mctx_subscription_wait_readable (sub,
            MCTX_TEST_TIMEOUT_US, NULL, &err));
    g_assert_no_error (err);
    for (i = 0; i < 10; i++) {
      msgs[i].buffer = bufs[i];
      msgs[i].buffer_size = sizeof (bufs[i]);
    }
    n = mctx_subscription_receive_messages (sub, msgs, 10, &err);
    if (n < 0) {
      g_assert_error (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
      g_clear_error (&err);
      continue;
    }
    for (i = 0; i < (guint) n; i++, got++) {
      g_assert_cmpuint (msgs[i].info.size, ==, SIZE);
      g_assert_cmpuint (msgs[i].info.wire_size, ==, SIZE);
      g_assert_false (msgs[i].info.truncated);
      /* in order, each its own datagram */
      g_assert_cmpuint (msgs[i].buffer[0], ==, got);
      g_assert_cmpuint (msgs[i].buffer[SIZE - 1], ==, got);
    }
  }
  g_assert_cmpuint (got, ==, N);
  mctx_test_assert_empty (sub);
  mctx_subscription_get_stats (sub, &st);
  g_assert_cmpuint (st.packets_received, ==, N);
  g_assert_cmpuint (st.bytes_received, ==, N * SIZE);
  g_assert_cmpuint (st.filtered, ==, 0);
  g_object_unref (pub);
  g_object_unref (sub);
}

/* A single receive() works on GRO sockets too, and truncates per datagram. */
static void
test_gro_single_receive_truncates (void)
{
  static guint8 payload[N][SIZE];
  MctxSubscription *sub;
  MctxPublication *pub;
  MctxPacketInfo info;
  MctxSubscriptionStats st;
  guint8 small[100];
  guint i;

  sub = mctx_test_subscription (GROUP, 7101, "gro", TRUE,
      "receive-buffer-size", 1 << 20, NULL);
  pub = mctx_test_publication (GROUP, 7101, NULL);
  send_burst (pub, payload);
  for (i = 0; i < N; i++) {
    gssize r = mctx_test_receive (sub, small, sizeof (small), &info,
        MCTX_TEST_TIMEOUT_US);

    g_assert_cmpint (r, ==, sizeof (small));
    g_assert_true (info.truncated);
    g_assert_cmpuint (info.wire_size, ==, SIZE);
    g_assert_cmpuint (small[0], ==, i);
  }
  mctx_subscription_get_stats (sub, &st);
  g_assert_cmpuint (st.packets_received, ==, N);
  g_assert_cmpuint (st.truncated, ==, N);
  g_object_unref (pub);
  g_object_unref (sub);
}

static void
test_timestamps_optional (void)
{
  MctxSubscription *on, *off;
  MctxPublication *pub;
  MctxPacketInfo info;
  guint8 buf[64];
  gint64 now = g_get_real_time () * 1000;

  on = mctx_test_subscription (GROUP, 7102, NULL);
  off = mctx_test_subscription (GROUP, 7102, "timestamps", FALSE, NULL);
  pub = mctx_test_publication (GROUP, 7102, NULL);
  mctx_test_send_string (pub, "t");
  g_assert_cmpint (mctx_test_receive (on, buf, sizeof (buf), &info,
          MCTX_TEST_TIMEOUT_US), ==, 1);
  g_assert_cmpint (info.timestamp_ns, >=, now - 5 * (gint64) G_USEC_PER_SEC * 1000);
  g_assert_cmpint (mctx_test_receive (off, buf, sizeof (buf), &info,
          MCTX_TEST_TIMEOUT_US), ==, 1);
  g_assert_cmpint (info.timestamp_ns, ==, 0);
  g_object_unref (pub);
  g_object_unref (on);
  g_object_unref (off);
}

/* Drops at the end of a burst show at once, with nothing read after them,
 * and stay counted after close. */
static void
test_drops_without_a_later_datagram (void)
{
  MctxSubscription *sub;
  MctxPublication *pub;
  MctxSubscriptionStats st;
  guint8 buf[2048];
  guint i, received = 0;

  sub = mctx_test_subscription (GROUP, 7106, "receive-buffer-size", 4096,
      NULL);
  pub = mctx_test_publication (GROUP, 7106, NULL);
  for (i = 0; i < 200; i++)
    mctx_test_send_string (pub, "a datagram that will not all fit in the "
        "receive buffer of this subscription");
  mctx_subscription_get_stats (sub, &st);
  g_assert_cmpuint (st.kernel_drops, >, 0);
  g_assert_cmpuint (st.packets_received, ==, 0);
  while (mctx_test_receive (sub, buf, sizeof (buf), NULL, 0) >= 0)
    received++;
  mctx_subscription_get_stats (sub, &st);
  g_assert_cmpuint (received + st.kernel_drops, ==, 200);
  mctx_subscription_close (sub);
  mctx_subscription_get_stats (sub, &st);
  g_assert_cmpuint (received + st.kernel_drops, ==, 200);
  g_object_unref (pub);
  g_object_unref (sub);
}

/* Out of file descriptors, a wait with a cancellable is an error, not an
 * abort inside GLib (which cannot make the cancellable's eventfd). */
static void
test_wait_without_fds (void)
{
  MctxSubscription *sub;
  GCancellable *cancel = g_cancellable_new ();
  GError *err = NULL;
  GArray *held = g_array_new (FALSE, FALSE, sizeof (int));
  guint i;
  int fd;

  sub = mctx_test_subscription (GROUP, 7107, NULL);
  /* use up every descriptor below the limit (bounded by the limit) */
  while ((fd = dup (0)) >= 0)
    g_array_append_val (held, fd);
  g_assert_cmpint (errno, ==, EMFILE);
  g_assert_false (mctx_subscription_wait_readable (sub, 1000, cancel, &err));
  g_assert_error (err, MCTX_ERROR, MCTX_ERROR_SOCKET);
  g_assert_nonnull (strstr (err->message, "Too many open files"));
  g_clear_error (&err);
  for (i = 0; i < held->len; i++)
    close (g_array_index (held, int, i));
  g_array_unref (held);
  /* and with descriptors back, the same wait works (times out) */
  g_assert_false (mctx_subscription_wait_readable (sub, 1000, cancel, &err));
  g_assert_error (err, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&err);
  g_object_unref (cancel);
  g_object_unref (sub);
}

static void
count_notify (GObject * obj, GParamSpec * pspec, guint * n)
{
  (*n)++;
}

/* Every configuration property tells its listeners when it changes. */
static void
test_publication_notify (void)
{
  MctxPublication *pub = mctx_publication_new (GROUP, 7103);
  guint n = 0;

  g_signal_connect (pub, "notify", G_CALLBACK (count_notify), &n);
  g_object_set (pub, "group", "239.50.0.2", "port", 7104, "source",
      "127.0.0.1", "source-port", 7105, "interface", "lo", "interface-index",
      1, "send-buffer-size", 65536, "gso", FALSE, "ttl", 5, "loop", FALSE,
      "dscp", 10, NULL);
  g_assert_cmpuint (n, ==, 11);
  /* unchanged settings do not notify again */
  g_object_set (pub, "ttl", 5, "group", "239.50.0.2", "port", 7104, "gso",
      FALSE, NULL);
  g_assert_cmpuint (n, ==, 11);
  g_object_unref (pub);
}

static const MctxTestCase tests[] = {
  {"/gro/split-across-calls", test_gro_split_across_calls},
  {"/gro/single-receive-truncates", test_gro_single_receive_truncates},
  {"/subscription/timestamps-optional", test_timestamps_optional},
  {"/publication/notify", test_publication_notify},
  {"/subscription/drops-without-a-later-datagram", test_drops_without_a_later_datagram},
  {"/subscription/wait-without-fds", test_wait_without_fds},
};

MCTX_TEST_MAIN (NULL, tests)
