/* mctxsink / mctxsrc: properties, URIs, bad values, states, restarts.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <stdlib.h>
#include <string.h>

typedef struct
{
  const gchar *prop;
  const gchar *value;
} PropValue;

/* every property of the NULL-terminated table has its value */
static void
check_values (GstElement * e, const PropValue * table)
{
  guint i;

  for (i = 0; table[i].prop; i++)
    mctx_assert_text (e, table[i].prop, table[i].value);
}

static const PropValue sink_defaults[] = {
  {"address", NULL}, {"port", "5004"}, {"source", NULL}, {"source-port", "0"},
  {"interface", NULL}, {"interface-index", "0"}, {"ttl", "1"},
  {"loop", "true"}, {"qos-dscp", "-1"}, {"buffer-size", "0"},
  {"source-address", NULL}, {"uri", NULL}, {"sync", "true"}, {NULL, NULL}
};

static const PropValue src_defaults[] = {
  {"address", NULL}, {"port", "5004"}, {"interface", NULL},
  {"interface-index", "0"}, {"sources", NULL}, {"exclude-sources", NULL},
  {"buffer-size", "0"}, {"mtu", "1500"}, {"timeout", "0"},
  {"retrieve-sender-address", "true"}, {"batch-size", "32"}, {"gro", "false"},
  {"uri", NULL}, {"do-timestamp", "true"}, {NULL, NULL}
};

GST_START_TEST (test_sink_defaults)
{
  GstElement *e = gst_element_factory_make ("mctxsink", NULL);
  GstElementFactory *f;
  GstStructure *s = NULL;
  guint64 v;

  fail_unless (e != NULL);
  check_values (e, sink_defaults);

  g_object_get (e, "stats", &s, NULL);
  fail_unless (s != NULL);
  fail_unless (gst_structure_get_uint64 (s, "packets-sent", &v) && v == 0);
  fail_unless (gst_structure_get_uint64 (s, "bytes-sent", &v) && v == 0);
  fail_unless (gst_structure_get_uint64 (s, "would-block", &v) && v == 0);
  fail_unless (gst_structure_get_uint64 (s, "send-errors", &v) && v == 0);
  gst_structure_free (s);

  f = gst_element_get_factory (e);
  fail_unless_equals_string (gst_element_factory_get_metadata (f,
          GST_ELEMENT_METADATA_KLASS), "Sink/Network");

  /* live properties */
  fail_unless (g_object_class_find_property (G_OBJECT_GET_CLASS (e),
          "ttl")->flags & GST_PARAM_MUTABLE_PLAYING);
  fail_unless (g_object_class_find_property (G_OBJECT_GET_CLASS (e),
          "loop")->flags & GST_PARAM_MUTABLE_PLAYING);
  fail_unless (g_object_class_find_property (G_OBJECT_GET_CLASS (e),
          "qos-dscp")->flags & GST_PARAM_MUTABLE_PLAYING);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_src_defaults)
{
  GstElement *e = gst_element_factory_make ("mctxsrc", NULL);
  GstElementFactory *f;
  GstStructure *s = NULL;
  const gchar *fields[] = { "packets-received", "bytes-received",
    "kernel-drops", "filtered", "truncated", NULL
  };
  guint64 v;
  guint i;

  fail_unless (e != NULL);
  check_values (e, src_defaults);
  fail_unless (gst_base_src_is_live (GST_BASE_SRC (e)));

  g_object_get (e, "stats", &s, NULL);
  fail_unless (s != NULL);
  for (i = 0; fields[i]; i++)
    fail_unless (gst_structure_get_uint64 (s, fields[i], &v) && v == 0,
        "stats field %s", fields[i]);
  gst_structure_free (s);

  f = gst_element_get_factory (e);
  fail_unless_equals_string (gst_element_factory_get_metadata (f,
          GST_ELEMENT_METADATA_KLASS), "Source/Network");
  gst_object_unref (e);
}

GST_END_TEST;

static void
check_roundtrip (const gchar * factory, const PropValue * table)
{
  GstElement *e = gst_element_factory_make (factory, NULL);
  guint i;

  for (i = 0; table[i].prop; i++) {
    gchar *got;

    gst_util_set_object_arg (G_OBJECT (e), table[i].prop, table[i].value);
    got = mctx_get_text (e, table[i].prop);
    fail_unless (g_strcmp0 (got, table[i].value) == 0,
        "%s: %s set to '%s' reads back '%s'", factory, table[i].prop,
        table[i].value, got);
    g_free (got);
  }
  gst_object_unref (e);
}

GST_START_TEST (test_property_roundtrip)
{
  static const PropValue sink_props[] = {
    {"address", "239.1.2.3"}, {"address", "ff3e::1234"}, {"port", "6000"},
    {"port", "65535"}, {"source", "192.0.2.1"}, {"source-port", "7000"},
    {"interface", "eth0"}, {"interface", "192.0.2.1"},
    {"interface-index", "3"}, {"ttl", "0"}, {"ttl", "255"}, {"loop", "false"},
    {"qos-dscp", "46"}, {"qos-dscp", "-1"}, {"buffer-size", "1048576"},
    {NULL, NULL}
  };
  static const PropValue src_props[] = {
    {"address", "232.1.1.1"}, {"address", "ff31::8000:1"}, {"port", "1"},
    {"interface", "lo,eth0"}, {"interface", "all"}, {"interface-index", "7"},
    {"sources", "10.0.0.1,10.0.0.2"}, {"exclude-sources", "2001:db8::1"},
    {"buffer-size", "4194304"}, {"mtu", "9000"}, {"mtu", "65535"},
    {"timeout", "1000000000"}, {"retrieve-sender-address", "false"},
    {"batch-size", "1"}, {"batch-size", "1024"}, {"gro", "true"},
    {NULL, NULL}
  };
  GstElement *e;
  GstCaps *caps, *got = NULL;

  check_roundtrip ("mctxsink", sink_props);
  check_roundtrip ("mctxsrc", src_props);

  e = gst_element_factory_make ("mctxsrc", NULL);
  caps = gst_caps_from_string ("application/x-rtp,media=video");
  g_object_set (e, "caps", caps, NULL);
  g_object_get (e, "caps", &got, NULL);
  fail_unless (got != NULL && gst_caps_is_equal (caps, got));
  gst_caps_unref (got);
  gst_caps_unref (caps);
  gst_object_unref (e);
}

GST_END_TEST;

typedef struct
{
  const gchar *factory;
  const gchar *uri;
  const gchar *canonical;
  /* some properties the URI must have set */
  const gchar *prop1, *value1, *prop2, *value2;
} UriCase;

static const UriCase uri_cases[] = {
  {"mctxsink", "mctx://239.1.2.3:5004", NULL, "address", "239.1.2.3",
      "port", "5004"},
  {"mctxsink", "mctx://239.1.2.3:6000?interface=eth0&ttl=4", NULL,
      "interface", "eth0", "ttl", "4"},
  {"mctxsink", "mctx://239.1.2.3:6000?ttl=4&interface=eth0",
      "mctx://239.1.2.3:6000?interface=eth0&ttl=4", "ttl", "4", NULL, NULL},
  {"mctxsink", "mctx://[ff3e::1]:5004", NULL, "address", "ff3e::1", NULL,
      NULL},
  {"mctxsink", "mctx://[2001:db8::1]@[ff3e::1]:5004", NULL, "source",
      "2001:db8::1", "address", "ff3e::1"},
  {"mctxsink", "mctx://10.0.0.1@232.1.1.1",
        "mctx://10.0.0.1@232.1.1.1:5004", "source", "10.0.0.1", "port",
      "5004"},
  {"mctxsink", "MCTX://239.1.2.3:5004/?ttl=2", "mctx://239.1.2.3:5004?ttl=2",
      "ttl", "2", NULL, NULL},
  /* base 10, as in a redundant leg's URI (test-gst-redundant) */
  {"mctxsink", "mctx://239.1.2.3:5004?ttl=010", "mctx://239.1.2.3:5004?ttl=10",
      "ttl", "10", NULL, NULL},
  {"mctxsink",
        "mctx://239.1.2.3:5004?interface-index=3&ttl=8&loop=false&qos-dscp=46"
        "&source-port=7000&buffer-size=65536", NULL, "loop", "false",
      "qos-dscp", "46"},
  {"mctxsink", "mctx://239.1.2.3:5004?ttl=1&loop=true",
      "mctx://239.1.2.3:5004", "ttl", "1", NULL, NULL},
  {"mctxsink", "mctx://239.1.2.3:5004?source=10.0.0.1",
      "mctx://10.0.0.1@239.1.2.3:5004", "source", "10.0.0.1", NULL, NULL},
  {"mctxsrc", "mctx://239.1.1.1:5004", NULL, "address", "239.1.1.1", NULL,
      NULL},
  {"mctxsrc", "mctx://10.0.0.1,10.0.0.2@232.1.1.1:5004?interface=lo,eth0",
      NULL, "sources", "10.0.0.1,10.0.0.2", "interface", "lo,eth0"},
  {"mctxsrc", "mctx://[2001:db8::1]@[ff3e::1]:5004", NULL, "sources",
      "2001:db8::1", "address", "ff3e::1"},
  {"mctxsrc", "mctx://[2001:db8::1],[2001:db8::2]@[ff3e::1]:5004", NULL,
      "sources", "2001:db8::1,2001:db8::2", NULL, NULL},
  {"mctxsrc", "mctx://239.1.1.1:5004?sources=10.0.0.1",
      "mctx://10.0.0.1@239.1.1.1:5004", "sources", "10.0.0.1", NULL, NULL},
  {"mctxsrc",
        "mctx://239.1.1.1:5004?interface=all&exclude-sources=10.0.0.9,10.0.0.8"
        "&buffer-size=1000000&mtu=9000&timeout=1000000000", NULL,
      "exclude-sources", "10.0.0.9,10.0.0.8", "mtu", "9000"},
  {"mctxsrc", "mctx://[ff12::1%25lo]:5004?interface=lo", NULL, "address",
      "ff12::1%lo", NULL, NULL},
  {"mctxsrc", "mctx://239.1.1.1:5004?interface-index=2", NULL,
      "interface-index", "2", NULL, NULL},
};

GST_START_TEST (test_uri_roundtrip)
{
  const UriCase *c = &uri_cases[__i__];
  GstElement *e = gst_element_factory_make (c->factory, NULL);
  GError *err = NULL;
  gchar *got;

  fail_unless (gst_uri_handler_set_uri (GST_URI_HANDLER (e), c->uri, &err),
      "%s: cannot set '%s': %s", c->factory, c->uri, err ? err->message : "?");

  got = gst_uri_handler_get_uri (GST_URI_HANDLER (e));
  fail_unless_equals_string (got, c->canonical ? c->canonical : c->uri);

  /* the canonical URI round-trips exactly, also through the property */
  g_object_set (e, "uri", got, NULL);
  g_free (got);
  g_object_get (e, "uri", &got, NULL);
  fail_unless_equals_string (got, c->canonical ? c->canonical : c->uri);
  g_free (got);

  if (c->prop1)
    mctx_assert_text (e, c->prop1, c->value1);
  if (c->prop2)
    mctx_assert_text (e, c->prop2, c->value2);

  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_uri_resets_unmentioned)
{
  GstElement *e = gst_element_factory_make ("mctxsink", NULL);
  gint ttl;
  gchar *iface, *source;

  g_object_set (e, "uri", "mctx://10.0.0.1@239.1.1.1:5004?ttl=9&interface=lo",
      NULL);
  g_object_get (e, "ttl", &ttl, NULL);
  fail_unless_equals_int (ttl, 9);
  g_object_set (e, "uri", "mctx://239.1.1.2:5006", NULL);
  g_object_get (e, "ttl", &ttl, "interface", &iface, "source", &source, NULL);
  fail_unless_equals_int (ttl, 1);
  fail_unless (iface == NULL && source == NULL);
  mctx_assert_text (e, "address", "239.1.1.2");
  gst_object_unref (e);
}

GST_END_TEST;

/* BAD_URI, but for the two not in mctx:// (UNSUPPORTED_PROTOCOL) */
static const gchar *bad_uris[] = {
  "mctx://",
  "mctx://239.1.1.1:99999",
  "mctx://239.1.1.1:abc",
  "mctx://239.1.1.1:",
  "mctx://ff3e::1:5004",
  "mctx://[ff3e::1:5004",
  "mctx://239.1.1.1:5004?bogus=1",
  "mctx://239.1.1.1:5004?ttl=300",
  "mctx://239.1.1.1:5004?ttl=x",
  "mctx://239.1.1.1:5004?ttl",
  "mctx://239.1.1.1:5004?ttl=1&ttl=2",
  "mctx://239.1.1.1?scheme=1&scheme=2",
  "mctx://239.1.1.1:5004?loop=maybe",
  "mctx://239.1.1.1:5004/path",
  "mctx://239.1.1.1:5004#frag",
  "mctx://10.0.0.1@239.1.1.1:5004?source=10.0.0.2",
  "mctx://@239.1.1.1:5004",
  "udp://239.1.1.1:5004",
  "mctx:239.1.1.1",
};

GST_START_TEST (test_uri_invalid)
{
  const gchar *factories[] = { "mctxsink", "mctxsrc" };
  guint f;

  for (f = 0; f < G_N_ELEMENTS (factories); f++) {
    GstElement *e = gst_element_factory_make (factories[f], NULL);
    GError *err = NULL;
    gchar *uri;
    guint i;

    fail_unless (gst_uri_handler_set_uri (GST_URI_HANDLER (e),
            "mctx://239.9.9.9:5555?interface=lo", NULL));

    for (i = 0; i < G_N_ELEMENTS (bad_uris); i++) {
      gint code = g_str_has_prefix (bad_uris[i], "mctx://") ?
          GST_URI_ERROR_BAD_URI : GST_URI_ERROR_UNSUPPORTED_PROTOCOL;

      fail_if (gst_uri_handler_set_uri (GST_URI_HANDLER (e), bad_uris[i],
              &err), "%s accepted '%s'", factories[f], bad_uris[i]);
      fail_unless (g_error_matches (err, GST_URI_ERROR, code),
          "no GST_URI_ERROR %d for '%s': %s", code, bad_uris[i],
          err ? err->message : "no error");
      g_clear_error (&err);
      /* nothing changed */
      uri = gst_uri_handler_get_uri (GST_URI_HANDLER (e));
      fail_unless_equals_string (uri, "mctx://239.9.9.9:5555?interface=lo");
      g_free (uri);
    }
    gst_object_unref (e);
  }
}

GST_END_TEST;

GST_START_TEST (test_make_from_uri)
{
  GstElement *e;
  GError *err = NULL;
  gint ttl;

  fail_unless (gst_uri_protocol_is_supported (GST_URI_SRC, "mctx"));
  fail_unless (gst_uri_protocol_is_supported (GST_URI_SINK, "mctx"));

  e = gst_element_make_from_uri (GST_URI_SRC,
      "mctx://10.99.0.1@232.1.1.1:5004?interface=lo", NULL, &err);
  fail_unless (e != NULL, "%s", err ? err->message : "?");
  fail_unless_equals_string (GST_OBJECT_NAME (gst_element_get_factory (e)),
      "mctxsrc");
  mctx_assert_text (e, "sources", "10.99.0.1");
  mctx_assert_text (e, "interface", "lo");
  gst_object_unref (e);

  e = gst_element_make_from_uri (GST_URI_SINK,
      "mctx://[ff3e::1]:6000?ttl=4", NULL, &err);
  fail_unless (e != NULL, "%s", err ? err->message : "?");
  fail_unless_equals_string (GST_OBJECT_NAME (gst_element_get_factory (e)),
      "mctxsink");
  g_object_get (e, "ttl", &ttl, NULL);
  fail_unless_equals_int (ttl, 4);
  gst_object_unref (e);
}

GST_END_TEST;

/* uridecodebin picks mctxsrc for the scheme and data flows through it */
static void
on_source_setup (GstElement * udb, GstElement * source, gpointer user_data)
{
  GstElement **found = user_data;
  GstCaps *caps = gst_caps_from_string ("application/x-mctx-test");

  *found = gst_object_ref (source);
  /* raw caps: uridecodebin exposes the pad without decoding */
  g_object_set (source, "caps", caps, NULL);
  gst_caps_unref (caps);
}

static void
on_pad_added (GstElement * udb, GstPad * pad, gpointer user_data)
{
  GstElement *sink = user_data;
  GstPad *sinkpad = gst_element_get_static_pad (sink, "sink");

  fail_unless_equals_int (gst_pad_link (pad, sinkpad), GST_PAD_LINK_OK);
  gst_object_unref (sinkpad);
}

GST_START_TEST (test_uridecodebin)
{
  GstElement *pipe, *udb, *sink, *source = NULL;
  GstHarness *h;
  GstSample *sample;
  GstCaps *caps;

  pipe = gst_pipeline_new (NULL);
  udb = gst_element_factory_make ("uridecodebin", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  fail_unless (udb && sink);
  caps = gst_caps_from_string ("application/x-mctx-test");
  g_object_set (udb, "uri", "mctx://239.1.1.77:5077?interface=lo",
      "caps", caps, NULL);
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_caps_unref (caps);
  gst_bin_add_many (GST_BIN (pipe), udb, sink, NULL);
  g_signal_connect (udb, "source-setup", G_CALLBACK (on_source_setup), &source);
  g_signal_connect (udb, "pad-added", G_CALLBACK (on_pad_added), sink);
  mctx_set_state (pipe, GST_STATE_PLAYING);

  fail_unless (source != NULL);
  fail_unless_equals_string (GST_OBJECT_NAME (gst_element_get_factory
          (source)), "mctxsrc");
  mctx_assert_text (source, "interface", "lo");
  gst_object_unref (source);

  h = mctx_tx_harness ("mctxsink address=239.1.1.77 port=5077 interface=lo");
  mctx_tx_send (h, "through-uridecodebin");
  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
      MCTX_CHECK_TIMEOUT);
  fail_unless (sample != NULL);
  fail_unless_equals_int (gst_buffer_get_size (gst_sample_get_buffer
          (sample)), strlen ("through-uridecodebin"));
  gst_sample_unref (sample);

  gst_harness_teardown (h);
  mctx_pipeline_stop (pipe);
}

GST_END_TEST;

/* like gst-plugins-good's generic/states test, for our two elements, both
 * unconfigured (start fails) and configured */
static void
run_state_sequence (const gchar * factory, const gchar * props,
    const GstState * seq, guint n)
{
  GstElement *e = gst_element_factory_make (factory, NULL);
  GstBus *bus = mctx_element_own_bus (e);
  guint i;

  mctx_set_props (e, props);
  for (i = 0; i < n; i++) {
    GstStateChangeReturn ret = gst_element_set_state (e, seq[i]);

    if (*props != '\0')
      fail_if (ret == GST_STATE_CHANGE_FAILURE, "%s: going to %s failed",
          factory, gst_element_state_get_name (seq[i]));
    gst_element_get_state (e, NULL, NULL, 0);
  }
  mctx_element_free (e, bus);
}

GST_START_TEST (test_states)
{
  static const GstState up_down[] = { GST_STATE_READY, GST_STATE_PAUSED,
    GST_STATE_PLAYING, GST_STATE_PAUSED, GST_STATE_READY, GST_STATE_NULL
  };
  static const GstState up[] = { GST_STATE_READY, GST_STATE_PAUSED,
    GST_STATE_PLAYING
  };
  static const GstState jumps[] = { GST_STATE_PLAYING, GST_STATE_NULL,
    GST_STATE_PAUSED, GST_STATE_READY, GST_STATE_PLAYING, GST_STATE_READY
  };
  const gchar *factories[] = { "mctxsink", "mctxsrc" };
  const gchar *props[] = { "", "address=239.1.1.5 interface=lo",
    "address=ff11::5 interface=lo"
  };
  guint f, p;

  for (f = 0; f < G_N_ELEMENTS (factories); f++) {
    for (p = 0; p < G_N_ELEMENTS (props); p++) {
      run_state_sequence (factories[f], props[p], up_down,
          G_N_ELEMENTS (up_down));
      run_state_sequence (factories[f], props[p], up, G_N_ELEMENTS (up));
      run_state_sequence (factories[f], props[p], jumps, G_N_ELEMENTS (jumps));
    }
  }
}

GST_END_TEST;

/* 20 NULL -> PLAYING -> NULL cycles of a sender and a receiver, with data
 * each time */
GST_START_TEST (test_restart_cycles)
{
  GstElement *rx, *tx, *appsrc;
  gint fds = 0;
  guint i;

  rx = mctx_rx_start ("mctxsrc address=239.1.1.40 port=5040 interface=lo");
  tx = mctx_pipeline_parse ("appsrc name=in format=time ! mctxsink name=sink "
      "address=239.1.1.40 port=5040 interface=lo sync=false async=false",
      "in", &appsrc);

  for (i = 0; i < 20; i++) {
    gchar *text = g_strdup_printf ("cycle-%u", i);

    if (i > 0)
      mctx_set_state (rx, GST_STATE_PLAYING);
    mctx_set_state (tx, GST_STATE_PLAYING);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc),
            mctx_buffer_new_string (text)), GST_FLOW_OK);
    mctx_rx_expect (rx, text);
    g_free (text);

    fail_unless_equals_int (gst_element_set_state (tx, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (gst_element_set_state (rx, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    /* the first cycle may allocate fds kept for good (bus, clock) */
    if (i == 0)
      fds = mctx_test_count_fds ();
    else
      fail_unless_equals_int (mctx_test_count_fds (), fds);
  }

  gst_object_unref (appsrc);
  gst_object_unref (tx);
  gst_object_unref (rx);
}

GST_END_TEST;

/* loop, ttl and qos-dscp change while playing */
GST_START_TEST (test_live_properties)
{
  GstElement *rx;
  GstHarness *h;
  GstElement *sink;
  gchar *local = NULL;

  rx = mctx_rx_start ("mctxsrc address=239.1.1.41 port=5041 interface=lo");
  h = mctx_tx_harness ("mctxsink address=239.1.1.41 port=5041 interface=lo");
  sink = mctx_harness_element (h, "mctxsink");

  g_object_get (sink, "source-address", &local, NULL);
  /* "ADDRESS:PORT": an address of lo and the port the kernel picked */
  fail_unless (local != NULL && strrchr (local, ':') != NULL
      && atoi (strrchr (local, ':') + 1) > 0, "source-address is %s",
      GST_STR_NULL (local));
  g_free (local);

  mctx_tx_send (h, "before");
  mctx_rx_expect (rx, "before");

  /* (loop itself is checked on a veth pair in test-gst-egress: on lo the
   * wire loops back whatever IP_MULTICAST_LOOP says) */
  g_object_set (sink, "ttl", 5, "qos-dscp", 46, "loop", FALSE, NULL);
  g_object_set (sink, "loop", TRUE, NULL);
  mctx_tx_send (h, "after");
  mctx_rx_expect (rx, "after");
  mctx_rx_expect_nothing (rx);

  fail_unless_equals_int (mctx_get_stat (sink, "packets-sent"), 2);

  gst_harness_teardown (h);
  mctx_pipeline_stop (rx);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_sink_defaults),
  MCTX_CHECK_TEST (test_src_defaults),
  MCTX_CHECK_TEST (test_property_roundtrip),
  MCTX_CHECK_LOOP (test_uri_roundtrip, G_N_ELEMENTS (uri_cases)),
  MCTX_CHECK_TEST (test_uri_resets_unmentioned),
  MCTX_CHECK_TEST (test_uri_invalid),
  MCTX_CHECK_TEST (test_make_from_uri),
  MCTX_CHECK_TEST (test_uridecodebin),
  MCTX_CHECK_TEST (test_states),
  MCTX_CHECK_TEST (test_restart_cycles),
  MCTX_CHECK_TEST (test_live_properties),
};

MCTX_CHECK_MAIN (NULL, "mctx-elements", 60, tests)
