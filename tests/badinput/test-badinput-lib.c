/* libmctx refuses the same malformed and conflicting settings as the
 * elements (badinput-cases.h), through its own API.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each row's element properties are mapped to MctxPublication (mctxsink
 * rows) or MctxSubscription (mctxsrc rows) properties; open must fail with
 * an MCTX_ERROR whose message names the library's property and the value,
 * leave the object closed with no file descriptor left, fail the same way
 * a second time, and succeed once the fix is applied.  URI rows are
 * element-only: libmctx has no URI syntax.
 */
#include "mctx-test-netns.h"
#include "badinput-cases.h"

#include <string.h>

typedef struct
{
  const gchar *element;
  const gchar *library;
} NameMap;

static const NameMap sink_names[] = {
  {"address", "group"}, {"qos-dscp", "dscp"},
  {"buffer-size", "send-buffer-size"}, {NULL, NULL}
};

static const NameMap src_names[] = {
  {"address", "group"}, {"interface", "interfaces"},
  {"buffer-size", "receive-buffer-size"}, {NULL, NULL}
};

static const gchar *
lib_name (const BadInput * c, const gchar * element_name)
{
  const NameMap *map = (c->flags & BAD_SINK) ? sink_names : src_names;
  guint i;

  for (i = 0; map[i].element; i++) {
    if (g_str_equal (map[i].element, element_name))
      return map[i].library;
  }
  return element_name;
}

/* sets one element-style "name=text" on the library object, converting the
 * text to the property's type (comma lists to string arrays, keeping empty
 * entries so the library sees them) */
static void
set_one (GObject * obj, const BadInput * c, const gchar * name,
    const gchar * text)
{
  const gchar *prop = lib_name (c, name);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (obj),
      prop);
  GValue v = G_VALUE_INIT;
  GType type;

  g_assert_nonnull (pspec);
  type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  g_value_init (&v, type);
  if (*text == '\0') {
    g_param_value_set_default (pspec, &v);
  } else if (type == G_TYPE_STRING) {
    g_value_set_string (&v, text);
  } else if (type == G_TYPE_STRV) {
    g_value_take_boxed (&v, g_strsplit (text, ",", -1));
  } else if (type == G_TYPE_UINT) {
    g_value_set_uint (&v, (guint) g_ascii_strtoull (text, NULL, 10));
  } else if (type == G_TYPE_INT) {
    g_value_set_int (&v, (gint) g_ascii_strtoll (text, NULL, 10));
  } else if (type == G_TYPE_BOOLEAN) {
    g_value_set_boolean (&v, g_str_equal (text, "true"));
  } else {
    g_assert_not_reached ();
  }
  g_object_set_property (obj, prop, &v);
  g_value_unset (&v);
}

static void
set_props (GObject * obj, const BadInput * c, const gchar * desc)
{
  gchar *expanded = badinput_expand (desc);
  gchar **items = g_strsplit (expanded, " ", -1);
  guint i;

  for (i = 0; items[i]; i++) {
    gchar *eq = strchr (items[i], '=');

    g_assert_nonnull (eq);
    *eq = '\0';
    set_one (obj, c, items[i], eq + 1);
  }
  g_strfreev (items);
  g_free (expanded);
}

static void
test_bad_input (gconstpointer data)
{
  const BadInput *c = data;
  GObject *obj;
  /* the library's messages speak of each entry of "interfaces" as an
   * "interface" */
  const gchar *prop = g_str_equal (lib_name (c, c->property), "interfaces") ?
      "interface" : lib_name (c, c->property);
  gchar *value = badinput_expand (c->value);
  GString *problems = g_string_new (NULL);
  gint fds = mctx_test_count_fds ();
  GError *err = NULL;
  gboolean value_missing = FALSE;
  guint round;
  gint fd;

  if (c->flags & BAD_SINK)
    obj = g_object_new (MCTX_TYPE_PUBLICATION, NULL);
  else
    obj = g_object_new (MCTX_TYPE_SUBSCRIPTION, NULL);
  set_props (obj, c, c->bad);

  /* twice: a failed open leaves the object as good as new */
  for (round = 0; round < 2 && problems->len == 0; round++) {
    if (mctx_test_obj_open (obj, &err)) {
      g_string_append (problems, "opened; ");
      mctx_test_obj_close (obj);
      break;
    }
    g_assert_nonnull (err);
    if (round == 0)
      g_test_message ("'%s': %s", c->bad, err->message);
    g_assert_true (err->domain == MCTX_ERROR);
    if (strstr (err->message, prop) == NULL)
      g_string_append_printf (problems, "error '%s' does not name '%s'; ",
          err->message, prop);
    /* and says so in a form a program can use, without reading text */
    if (g_strcmp0 (mctx_error_get_setting (err), lib_name (c, c->property)))
      g_string_append_printf (problems, "mctx_error_get_setting() says '%s', "
          "not '%s'; ", mctx_error_get_setting (err),
          lib_name (c, c->property));
    if (value != NULL && strstr (err->message, value) == NULL) {
      if (c->flags & BAD_LIB_VALUE_TODO)
        value_missing = TRUE;
      else
        g_string_append_printf (problems, "error '%s' does not name '%s'; ",
            err->message, value);
    }
    g_clear_error (&err);

    g_assert_false (mctx_test_obj_is_open (obj));
    g_object_get (obj, "fd", &fd, NULL);
    g_assert_cmpint (fd, ==, -1);
    g_assert_cmpint (mctx_test_count_fds (), ==, fds);
  }

  set_props (obj, c, c->fix);
  if (mctx_test_obj_open (obj, &err)) {
    g_assert_true (mctx_test_obj_is_open (obj));
    g_assert_cmpint (mctx_test_count_fds (), >, fds);
    mctx_test_obj_close (obj);
  } else {
    g_string_append_printf (problems, "still fails after '%s': %s; ", c->fix,
        err->message);
    g_clear_error (&err);
  }
  g_assert_cmpint (mctx_test_count_fds (), ==, fds);

  if ((c->flags & BAD_LIB_VALUE_TODO) && !value_missing && problems->len == 0)
    g_string_append (problems, "names the value now: drop BAD_LIB_VALUE_TODO");

  if (problems->len > 0)
    g_test_fail_printf ("'%s': %s", c->bad, problems->str);
  else if (value_missing)
    g_test_incomplete ("libmctx's error does not name the value yet");

  g_string_free (problems, TRUE);
  g_object_unref (obj);
  g_free (value);
}

/* each row on each of its sides (badinput_run) */
static BadInput runs[2 * G_N_ELEMENTS (bad_inputs)];

int
main (int argc, char **argv)
{
  guint i, n = 0;

  mctx_test_netns_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  badinput_netns_setup ();

  for (i = 0; i < G_N_ELEMENTS (runs); i++) {
    const BadInput *c = &runs[i];
    gchar *path;

    if (!badinput_run (i, &runs[i]) || (c->flags & BAD_ELEMENT_ONLY))
      continue;
    path = g_strdup_printf ("/badinput/%s/%02u",
        (c->flags & BAD_SINK) ? "publication" : "subscription", i / 2);
    g_test_add_data_func (path, c, test_bad_input);
    g_free (path);
    n++;
  }
  g_assert_cmpuint (n, >=, 80);
  return g_test_run ();
}
