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

static gchar *
get_string (GstElement * e, const gchar * property)
{
  gchar *v = NULL;

  g_object_get (e, property, &v, NULL);
  return v;
}

static void
check_string (GstElement * e, const gchar * property, const gchar * want)
{
  gchar *v = get_string (e, property);

  fail_unless_equals_string (v, want);
  g_free (v);
}

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

static gchar *
get_text (GstElement * e, const gchar * property)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
      property);
  GValue v = G_VALUE_INIT, s = G_VALUE_INIT;
  gchar *res;

  g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (e), property, &v);
  g_value_init (&s, G_TYPE_STRING);
  fail_unless (g_value_transform (&v, &s));
  res = g_value_dup_string (&s);
  g_value_unset (&v);
  g_value_unset (&s);
  return res;
}

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
    a = get_text (e, set);
    fail_if (g_strcmp0 (a, p[3]) == 0, "%s not reset through %s", set, other);
    g_free (a);

    gst_util_set_object_arg (G_OBJECT (e), set, p[3]);
    a = get_text (e, p[1]);
    b = get_text (e, p[2]);
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
  check_string (e, "sources", "10.0.0.1,10.0.0.3");
  check_string (e, "exclude-sources", "10.0.0.2");
  check_string (e, "multicast-source", "+10.0.0.1,+10.0.0.3,-10.0.0.2");

  /* commas, spaces, an unsigned entry; it replaces both lists */
  g_object_set (e, "multicast-source", " fd00::1 , +fd00::2", NULL);
  check_string (e, "sources", "fd00::1,fd00::2");
  check_string (e, "exclude-sources", NULL);
  g_object_set (e, "multicast-source", "-10.0.0.9", NULL);
  check_string (e, "sources", NULL);
  check_string (e, "exclude-sources", "10.0.0.9");

  /* our names read back through it */
  g_object_set (e, "sources", "10.0.0.4", "exclude-sources", NULL, NULL);
  check_string (e, "multicast-source", "+10.0.0.4");
  g_object_set (e, "multicast-source", "", NULL);
  check_string (e, "sources", NULL);
  check_string (e, "multicast-source", NULL);

  /* an empty entry is kept, for libmctx to report at start */
  g_object_set (e, "multicast-source", "+10.0.0.1,+", NULL);
  check_string (e, "sources", "10.0.0.1,");
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
    check_string (e, "address", "239.1.1.1");
    g_object_get (e, "port", &port, NULL);
    fail_unless_equals_int (port, 5006);
    check_string (e, "uri", "mctx://239.1.1.1:5006");

    g_object_set (e, "uri", "UDP://[ff15::1:2]:5021?interface=lo", NULL);
    check_string (e, "address", "ff15::1:2");
    check_string (e, "interface", "lo");
    check_string (e, "uri", "mctx://[ff15::1:2]:5021?interface=lo");

    fail_if (gst_uri_handler_set_uri (GST_URI_HANDLER (e),
            "udp://239.1.1.2:5000", &err));
    fail_unless (g_error_matches (err, GST_URI_ERROR,
            GST_URI_ERROR_UNSUPPORTED_PROTOCOL));
    g_clear_error (&err);
    check_string (e, "address", "ff15::1:2");
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
  GstMessage *msg;

  fail_unless (pipe != NULL);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  msg = mctx_wait_error (pipe, MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL);
  mctx_assert_error_message (msg, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "Invalid value for property 'uri'",
      "udp://239.1.1.1:x", NULL);
  gst_message_unref (msg);
  mctx_pipeline_stop (pipe);
}

GST_END_TEST;

/* the next warning's text, or fails */
static gchar *
next_warning (GstElement * pipe)
{
  GstMessage *msg = mctx_wait_message (pipe, GST_MESSAGE_WARNING,
      MCTX_CHECK_TIMEOUT);
  GError *err = NULL;
  gchar *text;

  fail_unless (msg != NULL, "no warning");
  gst_message_parse_warning (msg, &err, NULL);
  text = g_strdup (err->message);
  g_clear_error (&err);
  gst_message_unref (msg);
  return text;
}

/* reuse=false and loop=false: a receiver cannot honour them; it says so and
 * receives anyway */
GST_START_TEST (test_receiver_warnings)
{
  GstElement *rx;
  GstHarness *h;
  gchar *w1, *w2;

  rx = mctx_rx_start ("mctxsrc multicast-group=239.5.6.1 port=5201 "
      "multicast-iface=lo reuse=false loop=false");
  w1 = next_warning (rx);
  w2 = next_warning (rx);
  fail_unless (strstr (w1, "'reuse'") && strstr (w1, "SO_REUSEADDR"), "%s", w1);
  fail_unless (strstr (w2, "'loop'") && strstr (w2, "sender"), "%s", w2);

  h = mctx_tx_harness ("mctxsink host=239.5.6.1 port=5201 "
      "multicast-iface=lo auto-multicast=false");
  mctx_tx_send (h, "still received");
  mctx_rx_expect (rx, "still received");
  gst_harness_teardown (h);
  g_free (w1);
  g_free (w2);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

/* the defaults (and reuse/loop true) post nothing */
GST_START_TEST (test_receiver_no_warning)
{
  GstElement *rx;
  GstHarness *h;

  rx = mctx_rx_start ("mctxsrc multicast-group=239.5.6.2 port=5202 "
      "multicast-iface=lo reuse=true loop=true auto-multicast=true");
  h = mctx_tx_harness ("mctxsink host=239.5.6.2 port=5202 "
      "multicast-iface=lo");
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
  GstElement *rx;
  GstHarness *h;
  GstBuffer *buf;
  gchar *w;

  rx = mctx_rx_start ("mctxsrc multicast-group=239.5.6.3 port=5203 "
      "multicast-iface=lo skip-first-bytes=4");
  h = mctx_tx_harness ("mctxsink host=239.5.6.3 port=5203 "
      "multicast-iface=lo");

  mctx_tx_send (h, "HDR:payload");
  mctx_rx_expect (rx, "payload");
  mctx_tx_send (h, "abc");
  mctx_tx_send (h, "HDR:");
  /* exactly the header: an empty buffer, as udpsrc gives */
  buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  fail_unless (buf != NULL);
  fail_unless_equals_int (gst_buffer_get_size (buf), 0);
  gst_buffer_unref (buf);
  w = next_warning (rx);
  fail_unless (strstr (w, "'skip-first-bytes'") && strstr (w, "3 bytes"),
      "%s", w);
  g_free (w);
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
