/* mctxsink's outgoing interface on two veth pairs, loop applied live, and
 * unlocking a sink blocked on a full send buffer (tbf-limited veth).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <string.h>

/* e0a <-> e0b and e1a <-> e1b; the sender uses the "a" ends */
#define E0A_IP "192.0.2.1"
#define E1A_IP "198.51.100.1"
/* t0a <-> t0b, egress of t0a limited to 8 kbit/s */
#define T0A_IP "203.0.113.1"
#define T0A_QDISC "tbf rate 8kbit burst 2kb latency 60s"

static void
check_egress (const gchar * group, guint port, const gchar * tx_props,
    gboolean via_e1, const gchar * expected_source)
{
  gchar *d0, *d1, *dtx, *local = NULL;
  GstElement *rx0, *rx1, *sink;
  GstHarness *h;

  d0 = g_strdup_printf ("mctxsrc address=%s port=%u interface=e0b", group,
      port);
  d1 = g_strdup_printf ("mctxsrc address=%s port=%u interface=e1b", group,
      port);
  dtx = g_strdup_printf ("mctxsink address=%s port=%u %s", group, port,
      tx_props);
  rx0 = mctx_rx_start (d0);
  rx1 = mctx_rx_start (d1);
  h = mctx_tx_harness (dtx);
  sink = mctx_harness_element (h, "mctxsink");

  g_object_get (sink, "source-address", &local, NULL);
  fail_unless (local && g_str_has_prefix (local, expected_source),
      "%s: source-address %s, expected %s", tx_props, GST_STR_NULL (local),
      expected_source);
  g_free (local);

  mctx_tx_send (h, tx_props);
  mctx_tx_send (h, "second");
  if (via_e1) {
    mctx_rx_expect (rx1, tx_props);
    mctx_rx_expect (rx1, "second");
    mctx_rx_expect_nothing (rx0);
  } else {
    mctx_rx_expect (rx0, tx_props);
    mctx_rx_expect (rx0, "second");
    mctx_rx_expect_nothing (rx1);
  }

  gst_harness_teardown (h);
  mctx_pipeline_stop (rx0);
  mctx_pipeline_stop (rx1);
  g_free (d0);
  g_free (d1);
  g_free (dtx);
}

GST_START_TEST (test_interface_by_name)
{
  check_egress ("239.7.7.1", 5300, "interface=e1a", TRUE, E1A_IP ":");
  check_egress ("239.7.7.1", 5300, "interface=e0a", FALSE, E0A_IP ":");
}

GST_END_TEST;

GST_START_TEST (test_interface_by_address)
{
  check_egress ("239.7.7.2", 5301, "interface=" E1A_IP, TRUE, E1A_IP ":");
  check_egress ("239.7.7.2", 5301, "interface=" E0A_IP, FALSE, E0A_IP ":");
}

GST_END_TEST;

GST_START_TEST (test_interface_by_index)
{
  gchar *p1 = g_strdup_printf ("interface-index=%u",
      mctx_test_ifindex ("e1a"));
  gchar *p0 = g_strdup_printf ("interface-index=%u",
      mctx_test_ifindex ("e0a"));

  check_egress ("239.7.7.3", 5302, p1, TRUE, E1A_IP ":");
  check_egress ("239.7.7.3", 5302, p0, FALSE, E0A_IP ":");
  g_free (p0);
  g_free (p1);
}

GST_END_TEST;

GST_START_TEST (test_interface_by_source)
{
  /* the source address alone picks its interface */
  check_egress ("239.7.7.4", 5303, "source=" E1A_IP, TRUE, E1A_IP ":");
}

GST_END_TEST;

/* loop decides whether receivers on the sending interface of this host get
 * a copy; changed while playing */
GST_START_TEST (test_loop_live)
{
  GstElement *local_rx, *peer_rx, *sink;
  GstHarness *h;

  local_rx = mctx_rx_start ("mctxsrc address=239.7.7.5 port=5304 "
      "interface=e0a");
  peer_rx = mctx_rx_start ("mctxsrc address=239.7.7.5 port=5304 "
      "interface=e0b");
  h = mctx_tx_harness ("mctxsink address=239.7.7.5 port=5304 interface=e0a");
  sink = mctx_harness_element (h, "mctxsink");

  mctx_tx_send (h, "loop-on");
  g_object_set (sink, "loop", FALSE, NULL);
  mctx_tx_send (h, "loop-off");
  g_object_set (sink, "loop", TRUE, NULL);
  mctx_tx_send (h, "loop-on-again");

  mctx_rx_expect (peer_rx, "loop-on");
  mctx_rx_expect (peer_rx, "loop-off");
  mctx_rx_expect (peer_rx, "loop-on-again");
  mctx_rx_expect (local_rx, "loop-on");
  mctx_rx_expect (local_rx, "loop-on-again");
  mctx_rx_expect_nothing (local_rx);

  gst_harness_teardown (h);
  mctx_pipeline_stop (local_rx);
  mctx_pipeline_stop (peer_rx);
}

GST_END_TEST;

/* a sender whose render is blocked: the 8 kbit/s link drains one 1400-byte
 * datagram every 1.4 s and the send buffer holds only a few */
static GstElement *
start_blocked_sender (GstElement ** sink_out)
{
  return mctx_start_blocked_sender ("t0a", T0A_QDISC, "239.7.7.6", 5305,
      sink_out);
}

/* the state change does not fail (to NULL: succeeds), and it takes less
 * than a second although the sink is blocked in a send */
static void
set_state_while_blocked (GstElement * tx, GstState state)
{
  gint64 start = g_get_monotonic_time (), elapsed;
  GstStateChangeReturn ret = gst_element_set_state (tx, state);

  elapsed = g_get_monotonic_time () - start;
  if (state == GST_STATE_NULL) {
    fail_unless_equals_int (ret, GST_STATE_CHANGE_SUCCESS);
  } else {
    fail_if (ret == GST_STATE_CHANGE_FAILURE);
  }
  fail_unless (elapsed < G_USEC_PER_SEC, "going to %s took %"
      G_GINT64_FORMAT " us", gst_element_state_get_name (state), elapsed);
}

GST_START_TEST (test_unlock_to_null)
{
  GstElement *tx, *sink;
  guint round;

  for (round = 0; round < 2; round++) {
    tx = start_blocked_sender (&sink);

    set_state_while_blocked (tx, GST_STATE_NULL);
    /* nothing was dropped to get there */
    fail_unless_equals_uint64 (mctx_get_stat (sink, "send-errors"), 0);

    gst_object_unref (sink);
    gst_object_unref (tx);
  }
}

GST_END_TEST;

GST_START_TEST (test_unlock_to_paused_and_back)
{
  GstElement *tx, *sink;
  guint64 sent, blocked;

  tx = start_blocked_sender (&sink);

  set_state_while_blocked (tx, GST_STATE_PAUSED);

  /* back to PLAYING: sending goes on where it stopped */
  sent = mctx_get_stat (sink, "packets-sent");
  blocked = mctx_get_stat (sink, "would-block");
  mctx_set_state (tx, GST_STATE_PLAYING);
  fail_unless (mctx_wait_stat (sink, "packets-sent", sent + 1,
          MCTX_CHECK_TIMEOUT), "no progress after PAUSED -> PLAYING");
  fail_unless (mctx_wait_stat (sink, "would-block", blocked + 1,
          MCTX_CHECK_TIMEOUT));
  fail_unless_equals_uint64 (mctx_get_stat (sink, "send-errors"), 0);

  set_state_while_blocked (tx, GST_STATE_NULL);

  gst_object_unref (sink);
  gst_object_unref (tx);
}

GST_END_TEST;

/* a flush interrupts the wait too, and the sink works after it */
GST_START_TEST (test_unlock_flush)
{
  GstElement *tx, *sink;
  GstPad *pad;
  gint64 start, elapsed;

  tx = start_blocked_sender (&sink);
  pad = gst_element_get_static_pad (sink, "sink");

  start = g_get_monotonic_time ();
  fail_unless (gst_pad_send_event (pad, gst_event_new_flush_start ()));
  elapsed = g_get_monotonic_time () - start;
  fail_unless (elapsed < G_USEC_PER_SEC, "flush-start took %"
      G_GINT64_FORMAT " us", elapsed);
  fail_unless (gst_pad_send_event (pad, gst_event_new_flush_stop (TRUE)));

  gst_object_unref (pad);
  fail_unless_equals_int (gst_element_set_state (tx, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (sink);
  gst_object_unref (tx);
}

GST_END_TEST;

/* the links, in the namespace before gst starts threads */
static void
add_links (void)
{
  mctx_test_netns_add_veth ("e0a", "e0b", E0A_IP "/24", "192.0.2.2/24",
      NULL, NULL);
  mctx_test_netns_add_veth ("e1a", "e1b", E1A_IP "/24", "198.51.100.2/24",
      NULL, NULL);
  mctx_test_netns_add_veth ("t0a", "t0b", T0A_IP "/24", "203.0.113.2/24",
      NULL, NULL);
}

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_interface_by_name),
  MCTX_CHECK_TEST (test_interface_by_address),
  MCTX_CHECK_TEST (test_interface_by_index),
  MCTX_CHECK_TEST (test_interface_by_source),
  MCTX_CHECK_TEST (test_loop_live),
  MCTX_CHECK_TEST (test_unlock_to_null),
  MCTX_CHECK_TEST (test_unlock_to_paused_and_back),
  MCTX_CHECK_TEST (test_unlock_flush),
};

MCTX_CHECK_MAIN (add_links, "mctx-egress", 60, tests)
