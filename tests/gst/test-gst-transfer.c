/* mctxsink -> mctxsrc over IPv4 and IPv6, buffer lists, interop with
 * udpsink/udpsrc, source filters, foreign traffic, EOS, timeouts, sizes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <gst/net/gstnetaddressmeta.h>
#include <string.h>

static GstElement *
get_source (GstElement * pipe)
{
  GstIterator *it = gst_bin_iterate_sources (GST_BIN (pipe));
  GValue v = G_VALUE_INIT;
  GstElement *e;

  fail_unless (gst_iterator_next (it, &v) == GST_ITERATOR_OK);
  e = g_value_dup_object (&v);
  g_value_unset (&v);
  gst_iterator_free (it);
  return e;
}

static void
check_sender (GstBuffer * buf, const gchar * expected_addr)
{
  GstNetAddressMeta *meta = gst_buffer_get_net_address_meta (buf);
  gchar *got;

  fail_unless (meta != NULL, "no GstNetAddressMeta");
  got = mctx_socket_address_string (meta->addr);
  fail_unless_equals_string (got, expected_addr);
  g_free (got);
}

static void
sink_to_src (const gchar * group, const gchar * extra)
{
  gchar *rx_desc, *tx_desc, *local = NULL;
  GstElement *rx, *sink;
  GstHarness *h;
  guint i;

  rx_desc = g_strdup_printf ("mctxsrc address=%s port=5100 %s", group, extra);
  tx_desc = g_strdup_printf ("mctxsink address=%s port=5100 %s", group, extra);
  rx = mctx_rx_start (rx_desc);
  h = mctx_tx_harness (tx_desc);
  sink = mctx_harness_element (h, "mctxsink");
  g_object_get (sink, "source-address", &local, NULL);
  fail_unless (local != NULL);

  for (i = 0; i < 100; i++) {
    gchar *text = g_strdup_printf ("packet-%03u-%s", i, group);
    GstBuffer *buf;
    GstMapInfo map;

    mctx_tx_send (h, text);
    buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
    fail_unless (buf != NULL, "%s lost", text);
    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless (map.size == strlen (text)
        && memcmp (map.data, text, map.size) == 0);
    gst_buffer_unmap (buf, &map);
    fail_unless (GST_BUFFER_DTS_IS_VALID (buf));
    check_sender (buf, local);
    gst_buffer_unref (buf);
    g_free (text);
  }

  {
    static const MctxStat sent[] = {
      {"packets-sent", 100}, {"send-errors", 0}
    };
    static const MctxStat received[] = {
      {"packets-received", 100}, {"truncated", 0}
    };
    GstElement *src = get_source (rx);

    mctx_assert_stats (sink, sent);
    mctx_assert_stats (src, received);
    gst_object_unref (src);
  }

  g_free (local);
  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
  g_free (rx_desc);
  g_free (tx_desc);
}

GST_START_TEST (test_ipv4)
{
  sink_to_src ("239.5.5.1", "interface=lo");
}

GST_END_TEST;

GST_START_TEST (test_ipv4_default_interface)
{
  /* no interface: the route (224.0.0.0/4 dev lo) decides for both */
  sink_to_src ("239.5.5.2", "");
}

GST_END_TEST;

GST_START_TEST (test_ipv6)
{
  /* lo loops interface-local groups only */
  sink_to_src ("ff11::5:1", "interface=lo");
}

GST_END_TEST;

static GstBuffer *
buffer_of_memories (const gchar * const *parts)
{
  GstBuffer *buf = gst_buffer_new ();
  guint i;

  for (i = 0; parts[i]; i++) {
    gchar *copy = g_strdup (parts[i]);

    gst_buffer_append_memory (buf, gst_memory_new_wrapped (0, copy,
            strlen (copy), 0, strlen (copy), copy, g_free));
  }
  return buf;
}

/* buffer lists and buffers of several memories, through render_list */
GST_START_TEST (test_buffer_lists)
{
  const gchar *parts[] = { "head-", "middle-", "tail", NULL };
  GstElement *rx, *sink;
  GstHarness *h;
  GstBufferList *list;
  guint i, round;

  rx = mctx_rx_start ("mctxsrc address=239.5.5.3 port=5101 interface=lo "
      "buffer-size=1048576");
  h = mctx_tx_harness ("mctxsink address=239.5.5.3 port=5101 interface=lo");
  sink = mctx_harness_element (h, "mctxsink");

  for (round = 0; round < 3; round++) {
    /* grows the preallocated arrays each round */
    guint n = 10 * (round + 1) * (round + 1);

    list = gst_buffer_list_new ();
    for (i = 0; i < n; i++) {
      gchar *text = g_strdup_printf ("list-%u-item-%03u", round, i);

      gst_buffer_list_add (list, mctx_buffer_new_string (text));
      g_free (text);
    }
    gst_buffer_list_add (list, buffer_of_memories (parts));
    fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);

    for (i = 0; i < n; i++) {
      gchar *text = g_strdup_printf ("list-%u-item-%03u", round, i);

      mctx_rx_expect (rx, text);
      g_free (text);
    }
    mctx_rx_expect (rx, "head-middle-tail");
  }

  /* an empty list sends nothing */
  fail_unless_equals_int (gst_pad_push_list (h->srcpad,
          gst_buffer_list_new ()), GST_FLOW_OK);
  fail_unless_equals_int (mctx_get_stat (sink, "packets-sent"),
      10 + 1 + 40 + 1 + 90 + 1);

  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static GstPadProbeReturn
count_lists (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  gint *n = user_data;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    g_atomic_int_inc (n);
  return GST_PAD_PROBE_OK;
}

/* datagrams waiting together come out of mctxsrc as one buffer list */
GST_START_TEST (test_src_pushes_lists)
{
  GstElement *rx, *src;
  GstPad *pad;
  MctxPublication *pub;
  GError *err = NULL;
  gint n_lists = 0;
  guint i;

  rx = mctx_pipeline_parse ("mctxsrc name=src address=239.5.5.4 port=5102 "
      "interface=lo ! appsink name=out sync=false async=false", "src", &src);
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER_LIST, count_lists,
      &n_lists, NULL);

  /* PAUSED: joined, but not reading yet */
  fail_unless_equals_int (gst_element_set_state (rx, GST_STATE_PAUSED),
      GST_STATE_CHANGE_NO_PREROLL);

  pub = mctx_raw_publication ("239.5.5.4", 5102, NULL, "lo");
  for (i = 0; i < 10; i++) {
    gchar *text = g_strdup_printf ("queued-%u", i);

    fail_unless (mctx_publication_send (pub, (const guint8 *) text,
            strlen (text), &err) > 0);
    g_free (text);
  }

  mctx_set_state (rx, GST_STATE_PLAYING);
  for (i = 0; i < 10; i++) {
    gchar *text = g_strdup_printf ("queued-%u", i);

    mctx_rx_expect (rx, text);
    g_free (text);
  }
  fail_unless (g_atomic_int_get (&n_lists) >= 1,
      "10 waiting datagrams were not pushed as a list");

  mctx_publication_close (pub);
  g_object_unref (pub);
  gst_object_unref (pad);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* A GSO-sent list arrives coalesced with gro=true and comes out as one
 * buffer per datagram, in order; batch-size=1 never pushes lists. */
GST_START_TEST (test_gro_and_batch_size)
{
  GstElement *rx, *src;
  GstHarness *h;
  GstBufferList *list;
  GstPad *pad;
  gint n_lists = 0;
  guint i;

  rx = mctx_pipeline_parse ("mctxsrc name=src address=239.5.5.9 port=5109 "
      "interface=lo gro=true batch-size=1 buffer-size=1048576 ! "
      "appsink name=out sync=false async=false", "src", &src);
  pad = gst_element_get_static_pad (src, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER_LIST, count_lists,
      &n_lists, NULL);
  mctx_set_state (rx, GST_STATE_PLAYING);

  h = mctx_tx_harness ("mctxsink address=239.5.5.9 port=5109 interface=lo");
  list = gst_buffer_list_new ();
  for (i = 0; i < 40; i++) {
    /* equal sizes: the sink sends them as one GSO super-datagram */
    gchar *text = g_strdup_printf ("gro-%03u", i);

    gst_buffer_list_add (list, mctx_buffer_new_string (text));
    g_free (text);
  }
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  for (i = 0; i < 40; i++) {
    gchar *text = g_strdup_printf ("gro-%03u", i);

    mctx_rx_expect (rx, text);
    g_free (text);
  }
  fail_unless_equals_int (g_atomic_int_get (&n_lists), 0);
  fail_unless_equals_int (mctx_get_stat (src, "packets-received"), 40);

  gst_harness_teardown (h);
  gst_object_unref (pad);
  gst_object_unref (src);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* {receiver, sender, text}: udpsink -> mctxsrc, mctxsink -> udpsrc */
static const gchar *const interop[][3] = {
  {"mctxsrc address=239.5.5.5 port=5103 interface=lo",
        "udpsink host=239.5.5.5 port=5103 auto-multicast=true sync=false",
      "from-udpsink"},
  {"udpsrc address=239.5.5.6 port=5104 multicast-iface=lo",
      "mctxsink address=239.5.5.6 port=5104 interface=lo", "to-udpsrc"},
};

GST_START_TEST (test_interop)
{
  const gchar *const *c = interop[__i__];
  GstElement *rx = mctx_rx_start (c[0]);
  GstHarness *h = mctx_tx_harness (c[1]);
  gchar *first = g_strdup_printf ("%s-1", c[2]);
  gchar *second = g_strdup_printf ("%s-2", c[2]);

  mctx_tx_send (h, first);
  mctx_tx_send (h, second);
  mctx_rx_expect (rx, first);
  mctx_rx_expect (rx, second);

  g_free (first);
  g_free (second);
  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static GstHarness *
sender_from (const gchar * group, guint port, const gchar * source)
{
  gchar *desc = g_strdup_printf ("mctxsink address=%s port=%u source=%s "
      "interface=lo", group, port, source);
  GstHarness *h = mctx_tx_harness (desc);

  g_free (desc);
  return h;
}

/* SSM: only the listed sources; "junk" is sent first, so it would arrive
 * before the marker if it were not filtered */
static void
check_source_filter (const gchar * group, const gchar * filter,
    const gchar * good, const gchar * bad)
{
  gchar *desc = g_strdup_printf ("mctxsrc address=%s port=5105 "
      "interface=lo %s", group, filter);
  GstElement *rx = mctx_rx_start (desc);
  GstHarness *hbad = sender_from (group, 5105, bad);
  GstHarness *hgood = sender_from (group, 5105, good);
  GstBuffer *buf;
  guint i;

  for (i = 0; i < 3; i++) {
    mctx_tx_send (hbad, "junk");
    mctx_tx_send (hgood, "marker");
    buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
    fail_unless (buf != NULL);
    fail_unless (gst_buffer_memcmp (buf, 0, "marker", 6) == 0
        && gst_buffer_get_size (buf) == 6, "%s with %s let junk from %s in",
        group, filter, bad);
    gst_buffer_unref (buf);
  }
  mctx_rx_expect_nothing (rx);

  gst_harness_teardown (hbad);
  gst_harness_teardown (hgood);
  mctx_pipeline_stop (rx);
  g_free (desc);
}

GST_START_TEST (test_ssm_include_ipv4)
{
  check_source_filter ("232.5.5.1", "sources=10.99.0.1", "10.99.0.1",
      "10.99.0.2");
  check_source_filter ("232.5.5.1", "sources=10.99.0.2", "10.99.0.2",
      "10.99.0.1");
  /* include mode on an any-source group */
  check_source_filter ("239.5.5.7", "sources=10.99.0.1", "10.99.0.1",
      "10.99.0.2");
}

GST_END_TEST;

GST_START_TEST (test_ssm_include_two_sources)
{
  GstElement *rx;
  GstHarness *h1, *h2, *hbad;

  rx = mctx_rx_start ("mctxsrc address=232.5.5.2 port=5106 interface=lo "
      "sources=10.99.0.1,10.99.0.2");
  h1 = sender_from ("232.5.5.2", 5106, "10.99.0.1");
  h2 = sender_from ("232.5.5.2", 5106, "10.99.0.2");
  hbad = sender_from ("232.5.5.2", 5106, "127.0.0.1");

  mctx_tx_send (hbad, "junk");
  mctx_tx_send (h1, "from-1");
  mctx_tx_send (hbad, "junk");
  mctx_tx_send (h2, "from-2");
  mctx_rx_expect (rx, "from-1");
  mctx_rx_expect (rx, "from-2");
  mctx_rx_expect_nothing (rx);

  gst_harness_teardown (h1);
  gst_harness_teardown (h2);
  gst_harness_teardown (hbad);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

GST_START_TEST (test_exclude_ipv4)
{
  check_source_filter ("239.5.5.8", "exclude-sources=10.99.0.2", "10.99.0.1",
      "10.99.0.2");
}

GST_END_TEST;

GST_START_TEST (test_ssm_include_ipv6)
{
  check_source_filter ("ff31::8000:5", "sources=fd00:99::1", "fd00:99::1",
      "fd00:99::2");
}

GST_END_TEST;

GST_START_TEST (test_exclude_ipv6)
{
  check_source_filter ("ff11::5:8", "exclude-sources=fd00:99::2",
      "fd00:99::1", "fd00:99::2");
}

GST_END_TEST;

/* unicast to the port and another group joined on the host never arrive */
GST_START_TEST (test_foreign_traffic)
{
  GstElement *rx, *rx_other;
  GstHarness *h, *h_other;

  rx = mctx_rx_start ("mctxsrc address=239.5.5.9 port=5107 interface=lo");
  /* someone else on the host joins another group on the same port */
  rx_other = mctx_rx_start ("mctxsrc address=239.5.5.10 port=5107 "
      "interface=lo");
  h = mctx_tx_harness ("mctxsink address=239.5.5.9 port=5107 interface=lo");
  h_other = mctx_tx_harness ("mctxsink address=239.5.5.10 port=5107 "
      "interface=lo");

  mctx_test_send_unicast ("127.0.0.1", 5107);

  mctx_tx_send (h_other, "other-group");
  mctx_tx_send (h, "marker");

  mctx_rx_expect (rx, "marker");
  mctx_rx_expect (rx_other, "other-group");
  mctx_rx_expect_nothing (rx);
  mctx_rx_expect_nothing (rx_other);

  gst_harness_teardown (h);
  gst_harness_teardown (h_other);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (rx_other);
}

GST_END_TEST;

GST_START_TEST (test_eos)
{
  GstElement *rx, *tx, *appsrc;
  GstMessage *msg;

  rx = mctx_rx_start ("mctxsrc address=239.5.5.11 port=5108 interface=lo");
  tx = mctx_pipeline_parse ("appsrc name=in format=time ! mctxsink "
      "address=239.5.5.11 port=5108 interface=lo", "in", &appsrc);
  fail_if (gst_element_set_state (tx, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);

  gst_app_src_push_buffer (GST_APP_SRC (appsrc),
      mctx_buffer_new_string ("last-words"));
  gst_app_src_end_of_stream (GST_APP_SRC (appsrc));
  msg = mctx_wait_message (tx, GST_MESSAGE_EOS | GST_MESSAGE_ERROR,
      MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  mctx_rx_expect (rx, "last-words");

  /* EOS sent to a live receiver ends it */
  fail_unless (gst_element_send_event (rx, gst_event_new_eos ()));
  msg = mctx_wait_message (rx, GST_MESSAGE_EOS | GST_MESSAGE_ERROR,
      MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);

  gst_object_unref (appsrc);
  mctx_pipeline_stop (tx);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

GST_START_TEST (test_timeout_message)
{
  GstElement *rx;
  GstMessage *msg;
  const GstStructure *s;
  guint64 timeout = 0;

  rx = mctx_rx_start ("mctxsrc address=239.5.5.12 port=5109 interface=lo "
      "timeout=50000000");
  msg = mctx_wait_message (rx, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR,
      MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "GstMctxSrcTimeout"));
  fail_unless (gst_structure_get_uint64 (s, "timeout", &timeout));
  fail_unless_equals_uint64 (timeout, 50000000);
  gst_message_unref (msg);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* larger than mtu: dropped, counted, reported; not cut */
GST_START_TEST (test_mtu_truncation)
{
  GstElement *rx, *src;
  GstHarness *h;
  gchar *big = g_strnfill (200, 'x');

  rx = mctx_rx_start ("mctxsrc address=239.5.5.13 port=5110 interface=lo "
      "mtu=100");
  src = get_source (rx);
  h = mctx_tx_harness ("mctxsink address=239.5.5.13 port=5110 interface=lo");

  mctx_tx_send (h, big);
  mctx_tx_send (h, "small");
  mctx_rx_expect (rx, "small");
  mctx_rx_expect_nothing (rx);
  fail_unless_equals_uint64 (mctx_get_stat (src, "truncated"), 1);

  mctx_expect_warning (rx, MCTX_CHECK_TIMEOUT, "200", "mtu", NULL);

  /* exactly mtu bytes is fine */
  g_free (big);
  big = g_strnfill (100, 'y');
  mctx_tx_send (h, big);
  mctx_rx_expect (rx, big);

  g_free (big);
  gst_object_unref (src);
  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* a datagram the kernel refuses is a warning, counted, skipped */
GST_START_TEST (test_too_large_datagram)
{
  static const MctxStat one_sent_one_refused[] = {
    {"send-errors", 1}, {"packets-sent", 1}
  };
  GstElement *rx, *tx, *appsrc, *sink;
  GstMessage *msg;

  rx = mctx_rx_start ("mctxsrc address=239.5.5.14 port=5111 interface=lo");
  tx = mctx_pipeline_parse ("appsrc name=in format=time ! mctxsink name=sink "
      "address=239.5.5.14 port=5111 interface=lo sync=false async=false",
      "in", &appsrc);
  sink = gst_bin_get_by_name (GST_BIN (tx), "sink");
  mctx_set_state (tx, GST_STATE_PLAYING);

  gst_app_src_push_buffer (GST_APP_SRC (appsrc),
      gst_buffer_new_allocate (NULL, 70000, NULL));
  gst_app_src_push_buffer (GST_APP_SRC (appsrc),
      mctx_buffer_new_string ("after-the-big-one"));

  msg = mctx_wait_message (tx, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR,
      MCTX_CHECK_TIMEOUT);
  mctx_assert_warning_message (msg, 0, 0, "70000", NULL);
  gst_message_unref (msg);

  mctx_rx_expect (rx, "after-the-big-one");
  /* the appsrc thread may not have returned from the send yet */
  fail_unless (mctx_wait_stat (sink, "packets-sent", 1, MCTX_CHECK_TIMEOUT));
  mctx_assert_stats (sink, one_sent_one_refused);

  gst_object_unref (appsrc);
  gst_object_unref (sink);
  mctx_pipeline_stop (tx);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

GST_START_TEST (test_no_sender_address)
{
  GstElement *rx;
  GstHarness *h;
  GstBuffer *buf;

  rx = mctx_rx_start ("mctxsrc address=239.5.5.15 port=5112 interface=lo "
      "retrieve-sender-address=false");
  h = mctx_tx_harness ("mctxsink address=239.5.5.15 port=5112 interface=lo");
  mctx_tx_send (h, "anonymous");
  buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (buf != NULL);
  fail_unless (gst_buffer_get_net_address_meta (buf) == NULL);
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_ipv4),
  MCTX_CHECK_TEST (test_ipv4_default_interface),
  MCTX_CHECK_TEST (test_ipv6),
  MCTX_CHECK_TEST (test_buffer_lists),
  MCTX_CHECK_TEST (test_src_pushes_lists),
  MCTX_CHECK_TEST (test_gro_and_batch_size),
  MCTX_CHECK_LOOP (test_interop, G_N_ELEMENTS (interop)),
  MCTX_CHECK_TEST (test_ssm_include_ipv4),
  MCTX_CHECK_TEST (test_ssm_include_two_sources),
  MCTX_CHECK_TEST (test_exclude_ipv4),
  MCTX_CHECK_TEST (test_ssm_include_ipv6),
  MCTX_CHECK_TEST (test_exclude_ipv6),
  MCTX_CHECK_TEST (test_foreign_traffic),
  MCTX_CHECK_TEST (test_eos),
  MCTX_CHECK_TEST (test_timeout_message),
  MCTX_CHECK_TEST (test_mtu_truncation),
  MCTX_CHECK_TEST (test_too_large_datagram),
  MCTX_CHECK_TEST (test_no_sender_address),
};

MCTX_CHECK_MAIN (NULL, "mctx-transfer", 60, tests)
