/* Helpers for the mctx element tests (gst-check).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <string.h>

void
gst_mctx_check_init (int *argc, char ***argv)
{
  /* first: unshare(CLONE_NEWNET) must happen before any thread exists */
  mctx_test_netns_init (argc, argv);
  gst_check_init (argc, argv);
}

int
mctx_check_main_impl (int argc, char **argv, void (*setup) (void),
    const gchar * name, const gchar * file, guint timeout,
    const MctxCheckTest * tests, guint n_tests)
{
  Suite *s;
  TCase *tc;
  guint i;

  mctx_test_netns_init (&argc, &argv);
  if (setup != NULL)
    setup ();
  gst_check_init (&argc, &argv);

  s = suite_create (name);
  tc = tcase_create ("general");
  tcase_set_timeout (tc, timeout);
  suite_add_tcase (s, tc);
  for (i = 0; i < n_tests; i++)
    _tcase_add_test (tc, tests[i].func, tests[i].name, 0, 0, 0,
        tests[i].loops);
  return gst_check_run_suite (s, name, file);
}

GstElement *
mctx_rx_start (const gchar * src_desc)
{
  gchar *desc = g_strdup_printf ("%s ! appsink name=out sync=false "
      "async=false max-buffers=0 emit-signals=false", src_desc);
  GstElement *pipe = mctx_pipeline_parse (desc, NULL, NULL);

  g_free (desc);
  mctx_set_state (pipe, GST_STATE_PLAYING);
  return pipe;
}

GstBuffer *
mctx_rx_pull (GstElement * rx, GstClockTime timeout)
{
  GstElement *out = gst_bin_get_by_name (GST_BIN (rx), "out");
  GstSample *sample;
  GstBuffer *buf = NULL;

  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (out), timeout);
  if (sample) {
    buf = gst_buffer_ref (gst_sample_get_buffer (sample));
    gst_sample_unref (sample);
  }
  gst_object_unref (out);
  return buf;
}

void
mctx_rx_expect_payload (GstElement * rx, gsize header, const gchar * text)
{
  GstBuffer *buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  gsize len = strlen (text);
  GstMapInfo map;

  fail_unless (buf != NULL, "expected '%s', nothing arrived", text);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless (map.size == header + len
      && memcmp (map.data + header, text, len) == 0,
      "expected %" G_GSIZE_FORMAT " bytes then '%s', got %" G_GSIZE_FORMAT
      " bytes: '%.*s'", header, text, map.size, (int) map.size, map.data);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
}

void
mctx_rx_expect (GstElement * rx, const gchar * text)
{
  mctx_rx_expect_payload (rx, 0, text);
}

void
mctx_rx_expect_nothing (GstElement * rx)
{
  GstBuffer *buf = mctx_rx_pull (rx, MCTX_CHECK_QUIET);
  GstMapInfo map;

  if (buf) {
    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail ("expected nothing, got '%.*s'", (int) map.size, map.data);
  }
}

GstHarness *
mctx_tx_harness (const gchar * sink_desc)
{
  GstHarness *h = gst_harness_new_parse (sink_desc);

  fail_unless (h != NULL);
  gst_harness_set_src_caps_str (h, "application/x-mctx-test");
  return h;
}

GstBuffer *
mctx_buffer_new_string (const gchar * text)
{
  gsize len = strlen (text);

  return gst_buffer_new_memdup (text, len);
}

void
mctx_tx_send (GstHarness * h, const gchar * text)
{
  GstFlowReturn flow = gst_harness_push (h, mctx_buffer_new_string (text));

  fail_unless_equals_int (flow, GST_FLOW_OK);
}

void
mctx_set_props (GstElement * element, const gchar * desc)
{
  gchar **items = g_strsplit (desc, " ", -1);
  guint i;

  for (i = 0; items[i]; i++) {
    gchar *eq = strchr (items[i], '=');

    fail_unless (eq != NULL, "no '=' in '%s' of '%s'", items[i], desc);
    *eq = '\0';
    if (eq[1] == '\0')
      g_object_set (element, items[i], NULL, NULL);
    else
      gst_util_set_object_arg (G_OBJECT (element), items[i], eq + 1);
  }
  g_strfreev (items);
}

void
mctx_set_state (GstElement * element, GstState state)
{
  GstStateChangeReturn ret = gst_element_set_state (element, state);

  /* live pipelines and async=false sinks: no waiting for preroll */
  fail_if (ret == GST_STATE_CHANGE_FAILURE, "could not set %s to %s",
      GST_OBJECT_NAME (element), gst_element_state_get_name (state));
}

GstElement *
mctx_harness_element (GstHarness * h, const gchar * factory)
{
  GstElement *found = NULL;
  GstIterator *it;
  GValue v = G_VALUE_INIT;

  if (g_str_equal (GST_OBJECT_NAME (gst_element_get_factory (h->element)),
          factory))
    return h->element;

  it = gst_bin_iterate_recurse (GST_BIN (h->element));
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *child = g_value_get_object (&v);
    GstElementFactory *f = gst_element_get_factory (child);

    if (found == NULL && f && g_str_equal (GST_OBJECT_NAME (f), factory))
      found = child;            /* the bin keeps it alive */
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  fail_unless (found != NULL, "no %s in the harness", factory);
  return found;
}

GstElement *
mctx_pipeline_parse (const gchar * desc, const gchar * name,
    GstElement ** element)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);

  fail_unless (pipe != NULL, "cannot parse '%s': %s", desc,
      err ? err->message : "?");
  g_clear_error (&err);
  if (name != NULL) {
    *element = gst_bin_get_by_name (GST_BIN (pipe), name);
    fail_unless (*element != NULL, "no %s in '%s'", name, desc);
  }
  return pipe;
}

GstBus *
mctx_element_own_bus (GstElement * element)
{
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (element, bus);
  return bus;
}

void
mctx_element_free (GstElement * element, GstBus * bus)
{
  fail_unless_equals_int (gst_element_set_state (element, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_element_set_bus (element, NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (element);
}

gchar *
mctx_get_text (GstElement * element, const gchar * property)
{
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (element), property);
  GValue v = G_VALUE_INIT;
  gchar *res;

  fail_unless (pspec != NULL, "%s has no property '%s'",
      GST_OBJECT_NAME (element), property);
  g_value_init (&v, G_PARAM_SPEC_VALUE_TYPE (pspec));
  g_object_get_property (G_OBJECT (element), property, &v);
  /* a string as it is (NULL stays NULL), the rest as gst-launch writes it */
  res = G_VALUE_HOLDS_STRING (&v) ? g_value_dup_string (&v) :
      gst_value_serialize (&v);
  g_value_unset (&v);
  return res;
}

void
mctx_assert_text (GstElement * element, const gchar * property,
    const gchar * want)
{
  gchar *v = mctx_get_text (element, property);

  fail_unless (g_strcmp0 (v, want) == 0, "%s: '%s' is '%s', expected '%s'",
      GST_OBJECT_NAME (element), property, GST_STR_NULL (v),
      GST_STR_NULL (want));
  g_free (v);
}

void
mctx_pipeline_stop (GstElement * pipeline)
{
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pipeline);
}

GstMessage *
mctx_wait_message (GstElement * pipeline, GstMessageType types,
    GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout, types);

  gst_object_unref (bus);
  return msg;
}

GstMessage *
mctx_wait_error (GstElement * pipeline, GstClockTime timeout)
{
  return mctx_wait_message (pipeline, GST_MESSAGE_ERROR, timeout);
}

/* the ERROR or WARNING @msg (of @type) has @domain/@code (domain 0: any)
 * and a text holding every needle */
static void
assert_message_va (GstMessage * msg, GstMessageType type, GQuark domain,
    gint code, const gchar * first_needle, va_list ap)
{
  const gchar *what = gst_message_type_get_name (type);
  GError *err = NULL;
  gchar *debug = NULL;
  const gchar *needle;

  fail_unless (msg != NULL, "no %s message", what);
  fail_unless (GST_MESSAGE_TYPE (msg) == type, "a %s message, not %s",
      GST_MESSAGE_TYPE_NAME (msg), what);
  if (type == GST_MESSAGE_ERROR)
    gst_message_parse_error (msg, &err, &debug);
  else
    gst_message_parse_warning (msg, &err, &debug);
  fail_unless (domain == 0 || (err->domain == domain && err->code == code),
      "unexpected %s %s:%d: %s", what, g_quark_to_string (err->domain),
      err->code, err->message);

  for (needle = first_needle; needle; needle = va_arg (ap, const gchar *))
  {
    fail_unless (strstr (err->message, needle) != NULL,
        "%s message '%s' does not contain '%s'", what, err->message, needle);
  }

  g_clear_error (&err);
  g_free (debug);
}

void
mctx_assert_message (GstMessage * msg, GstMessageType type, GQuark domain,
    gint code, const gchar * first_needle, ...)
{
  va_list ap;

  va_start (ap, first_needle);
  assert_message_va (msg, type, domain, code, first_needle, ap);
  va_end (ap);
}

void
mctx_assert_start_fails (GstElement * element, const gchar * first_needle, ...)
{
  GstBus *bus = gst_element_get_bus (element);
  GstMessage *msg;
  va_list ap;

  fail_unless (bus != NULL, "%s has no bus", GST_OBJECT_NAME (element));
  fail_unless_equals_int (gst_element_set_state (element, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, MCTX_CHECK_TIMEOUT, GST_MESSAGE_ERROR);
  va_start (ap, first_needle);
  assert_message_va (msg, GST_MESSAGE_ERROR, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, first_needle, ap);
  va_end (ap);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

void
mctx_expect_warning (GstElement * pipeline, GstClockTime timeout,
    const gchar * first_needle, ...)
{
  GstMessage *msg = mctx_wait_message (pipeline, GST_MESSAGE_WARNING,
      timeout);
  va_list ap;

  va_start (ap, first_needle);
  assert_message_va (msg, GST_MESSAGE_WARNING, 0, 0, first_needle, ap);
  va_end (ap);
  gst_message_unref (msg);
}

guint64
mctx_get_stat (GstElement * element, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = 0;

  g_object_get (element, "stats", &s, NULL);
  fail_unless (s != NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no field %s", field);
  gst_structure_free (s);
  return v;
}

void
mctx_assert_stats_impl (GstElement * element, const MctxStat * want, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    guint64 v = mctx_get_stat (element, want[i].field);

    fail_unless (v == want[i].value, "%s: %s is %" G_GUINT64_FORMAT
        ", expected %" G_GUINT64_FORMAT, GST_OBJECT_NAME (element),
        want[i].field, v, want[i].value);
  }
}

gboolean
mctx_wait_stat (GstElement * element, const gchar * field, guint64 min,
    GstClockTime timeout)
{
  gint64 deadline = g_get_monotonic_time () + timeout / GST_USECOND;

  while (mctx_get_stat (element, field) < min) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (1000);
  }
  return TRUE;
}

MctxPublication *
mctx_raw_publication (const gchar * group, guint port, const gchar * source,
    const gchar * interface)
{
  MctxPublication *pub = mctx_publication_new (group, port);
  GError *err = NULL;

  g_object_set (pub, "source", source, "interface", interface, NULL);
  fail_unless (mctx_publication_open (pub, &err), "open %s: %s", group,
      err ? err->message : "?");
  return pub;
}

gchar *
mctx_socket_address_string (GSocketAddress * addr)
{
  GInetAddress *inet;
  gchar *host, *res;

  fail_unless (G_IS_INET_SOCKET_ADDRESS (addr));
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (addr));
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    res = g_strdup_printf ("[%s]:%u", host,
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr)));
  else
    res = g_strdup_printf ("%s:%u", host,
        g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr)));
  g_free (host);
  return res;
}

GstElement *
mctx_start_blocked_sender (const gchar * dev, const gchar * qdisc,
    const gchar * group, guint port, GstElement ** sink_out)
{
  GstElement *tx, *appsrc, *sink;
  gchar *desc;
  guint i;

  /* a fresh, empty queue: what earlier tests left would delay us */
  mctx_test_try_run ("tc qdisc del dev %s root", dev);
  mctx_test_run ("tc qdisc add dev %s root %s", dev, qdisc);

  desc = g_strdup_printf ("appsrc name=in format=time max-bytes=0 "
      "! mctxsink name=sink address=%s port=%u interface=%s "
      "buffer-size=4096 loop=false sync=false async=false", group, port, dev);
  tx = mctx_pipeline_parse (desc, "in", &appsrc);
  g_free (desc);
  sink = gst_bin_get_by_name (GST_BIN (tx), "sink");

  /* single buffers: a list of equal buffers would leave as one UDP GSO
   * send, which the socket takes whole however small its buffer */
  for (i = 0; i < 40; i++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (appsrc),
            gst_buffer_new_allocate (NULL, 1400, NULL)), GST_FLOW_OK);
  gst_object_unref (appsrc);

  mctx_set_state (tx, GST_STATE_PLAYING);
  fail_unless (mctx_wait_stat (sink, "would-block", 1, MCTX_CHECK_TIMEOUT),
      "the sender never found its send buffer full");
  *sink_out = sink;
  return tx;
}
