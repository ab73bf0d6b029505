/* udpsrc's and udpsink's property names on mctxsrc and mctxsink: aliases
 * share one value with our names, multicast-source's +/- list, udp:// URIs
 * through the "uri" property (and not through the GstURIHandler interface),
 * the warnings and the error for what a multicast receiver cannot honour,
 * and skip-first-bytes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pipelines written for udpsrc/udpsink are run in
 * tests/dropin/test-udp-dropin.sh; bad values through the aliases are rows
 * of tests/badinput/badinput-cases.h.
 */
#include "gstmctx-check.h"

#include <string.h>

/* {element, alias, our name, a value as text} */
static const gchar *const alias_pairs[][4] = {
  {"mctxsink", "host", "address", "239.7.7.7"},
  {"mctxsink", "multicast-iface", "interface", "lo"},
  {"mctxsink", "ttl-mc", "ttl", "7"},
  {"mctxsink", "bind-address", "source", "10.99.0.1"},
  {"mctxsink", "bind-port", "source-port", "6001"},
  {"mctxsrc", "multicast-group", "address", "239.7.7.8"},
  {"mctxsrc", "multicast-iface", "interface", "lo,v9"},
};

/* one value: setting either name is read back through both */
GST_START_TEST (test_alias_shares_value)
{
  const gchar *const *p = alias_pairs[__i__];
  GstElement *e = gst_element_factory_make (p[0], NULL);
  guint way;

  for (way = 0; way < 2; way++) {
    const gchar *set = way == 0 ? p[1] : p[2];
    gchar *a, *b;

    const gchar *other = way == 0 ? p[2] : p[1];
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
        other);
    GValue def = G_VALUE_INIT;

    /* back to the default through the other name first */
    g_value_init (&def, G_PARAM_SPEC_VALUE_TYPE (pspec));
    g_param_value_set_default (pspec, &def);
    g_object_set_property (G_OBJECT (e), other, &def);
    g_value_unset (&def);
    a = mctx_get_text (e, set);
    fail_if (g_strcmp0 (a, p[3]) == 0, "%s not reset through %s", set, other);
    g_free (a);

    gst_util_set_object_arg (G_OBJECT (e), set, p[3]);
    a = mctx_get_text (e, p[1]);
    b = mctx_get_text (e, p[2]);
    fail_unless_equals_string (a, p[3]);
    fail_unless_equals_string (b, p[3]);
    g_free (a);
    g_free (b);
  }
  gst_object_unref (e);
}

GST_END_TEST;

/* udpsrc 1.24's list: '+' (or no sign) include, '-' exclude */
GST_START_TEST (test_multicast_source)
{
  GstElement *e = gst_element_factory_make ("mctxsrc", NULL);

  g_object_set (e, "multicast-source", "+10.0.0.1-10.0.0.2+10.0.0.3", NULL);
  mctx_assert_text (e, "sources", "10.0.0.1,10.0.0.3");
  mctx_assert_text (e, "exclude-sources", "10.0.0.2");
  mctx_assert_text (e, "multicast-source", "+10.0.0.1,+10.0.0.3,-10.0.0.2");

  /* commas, spaces, an unsigned entry; it replaces both lists */
  g_object_set (e, "multicast-source", " fd00::1 , +fd00::2", NULL);
  mctx_assert_text (e, "sources", "fd00::1,fd00::2");
  mctx_assert_text (e, "exclude-sources", NULL);
  g_object_set (e, "multicast-source", "-10.0.0.9", NULL);
  mctx_assert_text (e, "sources", NULL);
  mctx_assert_text (e, "exclude-sources", "10.0.0.9");

  /* our names read back through it */
  g_object_set (e, "sources", "10.0.0.4", "exclude-sources", NULL, NULL);
  mctx_assert_text (e, "multicast-source", "+10.0.0.4");
  g_object_set (e, "multicast-source", "", NULL);
  mctx_assert_text (e, "sources", NULL);
  mctx_assert_text (e, "multicast-source", NULL);

  /* an empty entry is kept, for libmctx to report at start */
  g_object_set (e, "multicast-source", "+10.0.0.1,+", NULL);
  mctx_assert_text (e, "sources", "10.0.0.1,");
  gst_object_unref (e);
}

GST_END_TEST;

/* udp:// through the property, read back as mctx://; the interface (and so
 * playbin) keeps udp:// for udpsrc/udpsink */
GST_START_TEST (test_udp_uri)
{
  const gchar *factories[] = { "mctxsrc", "mctxsink" };
  GError *err = NULL;
  GstElement *e;
  guint f, port = 0;

  for (f = 0; f < G_N_ELEMENTS (factories); f++) {
    e = gst_element_factory_make (factories[f], NULL);
    g_object_set (e, "uri", "udp://239.1.1.1:5006", NULL);
    mctx_assert_text (e, "address", "239.1.1.1");
    g_object_get (e, "port", &port, NULL);
    fail_unless_equals_int (port, 5006);
    mctx_assert_text (e, "uri", "mctx://239.1.1.1:5006");

    g_object_set (e, "uri", "UDP://[ff15::1:2]:5021?interface=lo", NULL);
    mctx_assert_text (e, "address", "ff15::1:2");
    mctx_assert_text (e, "interface", "lo");
    mctx_assert_text (e, "uri", "mctx://[ff15::1:2]:5021?interface=lo");

    fail_if (gst_uri_handler_set_uri (GST_URI_HANDLER (e),
            "udp://239.1.1.2:5000", &err));
    fail_unless (g_error_matches (err, GST_URI_ERROR,
            GST_URI_ERROR_UNSUPPORTED_PROTOCOL));
    g_clear_error (&err);
    mctx_assert_text (e, "address", "ff15::1:2");
    gst_object_unref (e);
  }

  e = gst_element_make_from_uri (GST_URI_SRC, "udp://239.1.1.1:5000", NULL,
      NULL);
  fail_unless (e != NULL);
  fail_unless_equals_string (GST_OBJECT_NAME (gst_element_get_factory (e)),
      "udpsrc");
  gst_object_unref (e);
}

GST_END_TEST;

/* a udp:// URI that does not parse: start fails naming 'uri' */
GST_START_TEST (test_udp_uri_bad)
{
  GstElement *pipe = gst_parse_launch ("mctxsrc name=src "
      "uri=udp://239.1.1.1:x ! fakesink async=false", NULL);

  fail_unless (pipe != NULL);
  mctx_assert_start_fails (pipe, "Invalid value for property 'uri'",
      "udp://239.1.1.1:x", NULL);
  mctx_pipeline_stop (pipe);
}

GST_END_TEST;

/* mctxsrc on 239.5.6.@n port 520@n and a mctxsink harness sending there
 * (both on lo), by udpsrc's and udpsink's property names, with @src_props
 * and @sink_props */
static GstElement *
udp_pair (guint n, const gchar * src_props, const gchar * sink_props,
    GstHarness ** h)
{
  gchar *rx_desc = g_strdup_printf ("mctxsrc multicast-group=239.5.6.%u "
      "port=%u multicast-iface=lo %s", n, 5200 + n, src_props);
  gchar *tx_desc = g_strdup_printf ("mctxsink host=239.5.6.%u port=%u "
      "multicast-iface=lo %s", n, 5200 + n, sink_props);
  GstElement *rx = mctx_rx_start (rx_desc);

  *h = mctx_tx_harness (tx_desc);
  g_free (rx_desc);
  g_free (tx_desc);
  return rx;
}

/* reuse=false and loop=false: a receiver cannot honour them; it says so and
 * receives anyway */
GST_START_TEST (test_receiver_warnings)
{
  GstHarness *h;
  GstElement *rx = udp_pair (1, "reuse=false loop=false",
      "auto-multicast=false", &h);

  mctx_expect_warning (rx, MCTX_CHECK_TIMEOUT, "'reuse'", "SO_REUSEADDR", NULL);
  mctx_expect_warning (rx, MCTX_CHECK_TIMEOUT, "'loop'", "sender", NULL);
  mctx_tx_send (h, "still received");
  mctx_rx_expect (rx, "still received");
  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* the defaults (and reuse/loop true) post nothing */
GST_START_TEST (test_receiver_no_warning)
{
  GstHarness *h;
  GstElement *rx = udp_pair (2, "reuse=true loop=true auto-multicast=true",
      "", &h);

  mctx_tx_send (h, "one");
  mctx_rx_expect (rx, "one");
  fail_unless (mctx_wait_message (rx, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR,
          0) == NULL);
  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* header bytes stripped; a datagram shorter than them dropped, reported */
GST_START_TEST (test_skip_first_bytes)
{
  GstHarness *h;
  GstElement *rx = udp_pair (3, "skip-first-bytes=4", "", &h);
  GstBuffer *buf;

  mctx_tx_send (h, "HDR:payload");
  mctx_rx_expect (rx, "payload");
  mctx_tx_send (h, "abc");
  mctx_tx_send (h, "HDR:");
  /* exactly the header: an empty buffer, as udpsrc gives */
  buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (buf != NULL);
  fail_unless_equals_int (gst_buffer_get_size (buf), 0);
  gst_buffer_unref (buf);
  mctx_expect_warning (rx, MCTX_CHECK_TIMEOUT, "'skip-first-bytes'",
      "3 bytes", NULL);
  mctx_tx_send (h, "HDR:next");
  mctx_rx_expect (rx, "next");

  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_LOOP (test_alias_shares_value, G_N_ELEMENTS (alias_pairs)),
  MCTX_CHECK_TEST (test_multicast_source),
  MCTX_CHECK_TEST (test_udp_uri),
  MCTX_CHECK_TEST (test_udp_uri_bad),
  MCTX_CHECK_TEST (test_receiver_warnings),
  MCTX_CHECK_TEST (test_receiver_no_warning),
  MCTX_CHECK_TEST (test_skip_first_bytes),
};

MCTX_CHECK_MAIN (NULL, "mctx-udpnames", 30, tests)
