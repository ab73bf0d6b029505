/* gst/gstmctxbridge.c on its own: a table with aliases (several property
 * names for one libmctx setting, as udpsrc's names will be), errors that
 * name the property the user wrote, list and empty-string conversion.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Built from the plugin's sources (like fuzz/fuzz-uri) with a test element
 * whose table has the aliases "host" and "multicast-group" of "address"
 * (setting "group") and "multicast-iface" of "interface".
 */
#include "gstmctx-check.h"
#include "gstmctxbridge.h"
#include "gstmctxuri.h"

#include <string.h>

typedef struct
{
  GstElement parent;
  GstMctxSettings settings;
} TestBridge;

typedef struct
{
  GstElementClass parent_class;
} TestBridgeClass;

/* the string properties get the ids from PROP_STRINGS on */
enum
{
  PROP_0, PROP_PORT, PROP_MTU, PROP_INT_PORT, PROP_STRINGS
};

static const gchar *const string_properties[] = {
  "address", "host", "multicast-group", "interface", "multicast-iface",
  "sources", "uri", "exclude-sources", "signed"
};

static const GstMctxSetting test_settings[] = {
  {"address", "group", GST_MCTX_SETTING_NONE},
  {"port", "port", GST_MCTX_SETTING_NONE},
  {"interface", "interfaces", GST_MCTX_SETTING_URI},
  {"sources", "sources", GST_MCTX_SETTING_NONE},
  {"mtu", NULL, GST_MCTX_SETTING_URI},
  /* aliases */
  {"host", "group", GST_MCTX_SETTING_NONE},
  {"multicast-group", "group", GST_MCTX_SETTING_NONE},
  {"multicast-iface", "interfaces", GST_MCTX_SETTING_NONE},
  {"exclude-sources", "exclude-sources", GST_MCTX_SETTING_NONE},
  /* both lists at once (udpsrc's multicast-source) */
  {"signed", "sources", GST_MCTX_SETTING_SIGNED_LIST, "exclude-sources"},
  /* another value type than its main property */
  {"int-port", "port", GST_MCTX_SETTING_NONE},
  {NULL, NULL, GST_MCTX_SETTING_NONE}
};

static GstMctxUriHandlerInfo test_uri_info = { GST_URI_SRC, "sources", NULL };

static GType test_bridge_get_type (void);
G_DEFINE_TYPE_WITH_CODE (TestBridge, test_bridge, GST_TYPE_ELEMENT,
    gst_mctx_uri_handler_add (g_define_type_id, &test_uri_info));

static void
test_bridge_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  TestBridge *self = (TestBridge *) object;

  if (!gst_mctx_settings_set_property (&self->settings,
          GST_OBJECT (self), pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
test_bridge_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  TestBridge *self = (TestBridge *) object;

  if (!gst_mctx_settings_get_property (&self->settings,
          GST_OBJECT (self), pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
test_bridge_finalize (GObject * object)
{
  gst_mctx_settings_clear (&((TestBridge *) object)->settings);
  G_OBJECT_CLASS (test_bridge_parent_class)->finalize (object);
}

static void
test_bridge_class_init (TestBridgeClass * klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  guint i;

  oc->set_property = test_bridge_set_property;
  oc->get_property = test_bridge_get_property;
  oc->finalize = test_bridge_finalize;
  for (i = 0; i < G_N_ELEMENTS (string_properties); i++)
    g_object_class_install_property (oc, PROP_STRINGS + i,
        g_param_spec_string (string_properties[i], "", "", NULL, rw));
  g_object_class_install_property (oc, PROP_PORT,
      g_param_spec_uint ("port", "", "", 0, 65535, 5004, rw));
  g_object_class_install_property (oc, PROP_MTU,
      g_param_spec_uint ("mtu", "", "", 1, 65535, 1500, rw));
  g_object_class_install_property (oc, PROP_INT_PORT,
      g_param_spec_int ("int-port", "", "", 0, 65535, 5004, rw));
  test_uri_info.query_properties = gst_mctx_settings_class_init (oc,
      test_settings);
}

static void
test_bridge_init (TestBridge * self)
{
  gst_mctx_settings_init (&self->settings, G_OBJECT (self), test_settings);
}

/* the checked fixture of every test: a fresh test element @e on a bus
 * of its own, freed (set to NULL, asserted) after the test */
static GstElement *e;
static GstBus *bus;

static void
element_setup (void)
{
  e = g_object_new (test_bridge_get_type (), NULL);
  bus = mctx_element_own_bus (e);
}

static void
element_teardown (void)
{
  mctx_element_free (e, bus);
}

/* starts @e on a fresh subscription; on failure, the error's text */
static gchar *
start (void)
{
  MctxSubscription *sub = g_object_new (MCTX_TYPE_SUBSCRIPTION, NULL);
  TestBridge *self = (TestBridge *) e;
  gchar *text = NULL;

  if (gst_mctx_bridge_start (e, &self->settings, G_OBJECT (sub))) {
    mctx_subscription_close (sub);
  } else {
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    GError *err = NULL;

    fail_unless (msg != NULL, "start failed without an error message");
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
            GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
    text = g_strdup (err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  fail_if (mctx_subscription_is_open (sub));
  g_object_unref (sub);
  return text;
}

static void
assert_names (gchar * text, const gchar * property, const gchar * value)
{
  gchar *quoted = g_strdup_printf ("property '%s'", property);

  fail_unless (text != NULL, "started");
  fail_unless (strstr (text, quoted) != NULL, "'%s' does not name %s", text,
      quoted);
  fail_unless (value == NULL || strstr (text, value) != NULL,
      "'%s' does not name '%s'", text, value);
  g_free (quoted);
  g_free (text);
}

/* sets the string property @prop to @value, then start is refused naming
 * @prop and @shown (the value as the error shows it; NULL: none) */
static void
assert_refused (const gchar * prop, const gchar * value, const gchar * shown)
{
  g_object_set (e, prop, value, NULL);
  assert_names (start (), prop, shown);
}

/* an alias and its main property share one value */
GST_START_TEST (test_alias_shares_value)
{
  gchar *v = NULL;

  g_object_set (e, "host", "239.1.2.3", NULL);
  g_object_get (e, "address", &v, NULL);
  fail_unless_equals_string (v, "239.1.2.3");
  g_free (v);
  g_object_set (e, "address", "239.1.2.4", NULL);
  g_object_get (e, "multicast-group", &v, NULL);
  fail_unless_equals_string (v, "239.1.2.4");
  g_free (v);
}

GST_END_TEST;

/* the error about a setting names the property that was set last */
GST_START_TEST (test_alias_error_names_written_property)
{
  static const gchar *names[] = { "host", "multicast-group", "address" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    assert_refused (names[i], "10.1.2.3", "10.1.2.3");
  /* unset through an alias: still about the one written */
  assert_refused ("multicast-group", NULL, NULL);

  g_object_set (e, "address", "239.1.2.3", NULL);
  assert_refused ("multicast-iface", "nosuch9", "nosuch9");
  assert_refused ("interface", "nosuch8", "nosuch8");
}

GST_END_TEST;

/* nothing is checked by the bridge, all by libmctx: comma lists reach it
 * with their empty entries, an empty string is unset */
GST_START_TEST (test_lists_and_empty)
{

  g_object_set (e, "address", "239.1.2.3", NULL);
  assert_refused ("interface", "lo,,lo", "lo,,lo");
  g_object_set (e, "interface", "lo", NULL);
  assert_refused ("sources", "10.0.0.1,", "10.0.0.1,");
  g_object_set (e, "sources", "", NULL);
  fail_unless (start () == NULL);
  assert_refused ("address", "", NULL);
}

GST_END_TEST;

/* a URI the "uri" property refused is reported at start, naming 'uri' */
GST_START_TEST (test_bad_uri_reported)
{
  gchar *uri = NULL;

  g_object_set (e, "uri", "mctx://239.1.2.3:5004?interface=lo&mtu=9000", NULL);
  fail_unless (start () == NULL);
  assert_refused ("uri", "mctx://239.1.2.3:99999", "mctx://239.1.2.3:99999");
  g_object_get (e, "uri", &uri, NULL);
  fail_unless_equals_string (uri,
      "mctx://239.1.2.3:5004?interface=lo&mtu=9000");
  g_free (uri);
  fail_unless (gst_uri_handler_set_uri (GST_URI_HANDLER (e),
          "mctx://239.1.2.3:5004?interface=lo", NULL));
  fail_unless (start () == NULL);
}

GST_END_TEST;

/* a signed list is an alias of two settings: '+' (or none) and '-' */
GST_START_TEST (test_signed_list)
{
  gchar *inc = NULL, *exc = NULL, *v = NULL;

  g_object_set (e, "signed", "+10.0.0.1-10.0.0.2,10.0.0.3", NULL);
  g_object_get (e, "sources", &inc, "exclude-sources", &exc, "signed", &v,
      NULL);
  fail_unless_equals_string (inc, "10.0.0.1,10.0.0.3");
  fail_unless_equals_string (exc, "10.0.0.2");
  fail_unless_equals_string (v, "+10.0.0.1,+10.0.0.3,-10.0.0.2");
  g_free (inc);
  g_free (exc);
  g_free (v);

  /* errors about either list name it while it was set last */
  g_object_set (e, "address", "239.1.2.3", "interface", "lo", NULL);
  assert_refused ("signed", "+bogus", "bogus");
  assert_refused ("signed", "-bogus2", "bogus2");
  assert_refused ("exclude-sources", "bogus3", "bogus3");
  g_object_set (e, "signed", "", NULL);
  fail_unless (start () == NULL);
}

GST_END_TEST;

/* an alias of another type converts both ways; errors name it */
GST_START_TEST (test_alias_other_type)
{
  guint port = 0;
  gint iport = 0;

  g_object_set (e, "int-port", 6000, NULL);
  g_object_get (e, "port", &port, NULL);
  fail_unless_equals_int (port, 6000);
  g_object_set (e, "port", 6001, NULL);
  g_object_get (e, "int-port", &iport, NULL);
  fail_unless_equals_int (iport, 6001);
  g_object_set (e, "address", "239.1.2.3", "interface", "lo", "int-port", 0,
      NULL);
  assert_names (start (), "int-port", "0");
}

GST_END_TEST;

static Suite *
bridge_suite (void)
{
  Suite *s = suite_create ("mctx-bridge");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, element_setup, element_teardown);
  tcase_add_test (tc, test_alias_shares_value);
  tcase_add_test (tc, test_alias_error_names_written_property);
  tcase_add_test (tc, test_lists_and_empty);
  tcase_add_test (tc, test_bad_uri_reported);
  tcase_add_test (tc, test_signed_list);
  tcase_add_test (tc, test_alias_other_type);
  return s;
}

int
main (int argc, char **argv)
{
  gst_mctx_check_init (&argc, &argv);
  GST_DEBUG_CATEGORY_INIT (gst_mctx_debug, "mctx", 0, "mctx elements");
  return gst_check_run_suite (bridge_suite (), "mctx-bridge", __FILE__);
}
