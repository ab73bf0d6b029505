/* Fuzz target for the mctx:// URI code: libmctx's syntax (mctx-uri.c) as
 * the GStreamer plugin uses it (gst/gstmctxuri.c): parsing, producing, and
 * setting/reading URIs on an object with properties of every type URIs
 * carry.  Input: the URI text
 * (up to the first NUL).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Round trips checked:
 *  - parse -> build -> parse gives the same group, port, sources, keys and
 *    values;
 *  - set on an object -> read back -> set on a fresh object gives the same
 *    property values, and reading that back gives the same URI (the
 *    produced URI is canonical).
 */
#include "gstmctxuri.h"

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

/* ---- a stand-in element: the property types URIs carry ---- */

/* property ids, in the order of the specs in fuzz_obj_class_init() */
enum
{
  PROP_0, PROP_ADDRESS, PROP_PORT, PROP_SOURCES, PROP_INTERFACE,
  PROP_INDEX, PROP_TTL, PROP_LOOP, PROP_OFFSET, PROP_TIMEOUT, N_PROPS
};

/* every value kept as a GValue of its property's type: the stand-in needs
 * no code per property */
typedef struct
{
  GObject parent;
  GValue values[N_PROPS];
} FuzzObj;

typedef struct
{
  GObjectClass parent_class;
} FuzzObjClass;

static GType fuzz_obj_get_type (void);
G_DEFINE_TYPE (FuzzObj, fuzz_obj, G_TYPE_OBJECT);

static void
fuzz_obj_set_property (GObject * object, guint id, const GValue * value,
    GParamSpec * pspec)
{
  g_value_copy (value, &((FuzzObj *) object)->values[id]);
}

static void
fuzz_obj_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  g_value_copy (&((FuzzObj *) object)->values[id], value);
}

static void
fuzz_obj_finalize (GObject * object)
{
  FuzzObj *self = (FuzzObj *) object;
  guint i;

  for (i = 1; i < N_PROPS; i++)
    g_value_unset (&self->values[i]);
  G_OBJECT_CLASS (fuzz_obj_parent_class)->finalize (object);
}

static void
fuzz_obj_class_init (FuzzObjClass * klass)
{
  GObjectClass *oc = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  /* ranges and defaults like mctxsrc/mctxsink's */
  GParamSpec *specs[N_PROPS] = {
    NULL,
    g_param_spec_string ("address", NULL, NULL, NULL, rw),
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, 5004, rw),
    g_param_spec_string ("sources", NULL, NULL, NULL, rw),
    g_param_spec_string ("interface", NULL, NULL, NULL, rw),
    g_param_spec_uint ("interface-index", NULL, NULL, 0, G_MAXUINT, 0, rw),
    g_param_spec_int ("ttl", NULL, NULL, 0, 255, 1, rw),
    g_param_spec_boolean ("loop", NULL, NULL, TRUE, rw),
    g_param_spec_int64 ("offset", NULL, NULL, -1, G_MAXINT64, -1, rw),
    g_param_spec_uint64 ("timeout", NULL, NULL, 0, G_MAXUINT64, 0, rw),
  };

  oc->set_property = fuzz_obj_set_property;
  oc->get_property = fuzz_obj_get_property;
  oc->finalize = fuzz_obj_finalize;
  g_object_class_install_properties (oc, N_PROPS, specs);
}

static void
fuzz_obj_init (FuzzObj * self)
{
  GParamSpec **specs;
  guint n, i;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n);
  for (i = 0; i < n; i++) {
    GValue *v = &self->values[specs[i]->param_id];

    g_value_init (v, specs[i]->value_type);
    g_param_value_set_default (specs[i], v);
  }
  g_free (specs);
}

static const gchar *const query_props[] = { "interface", "interface-index",
  "ttl", "loop", "offset", "timeout", NULL
};

/* ---- checks ---- */

/* the source list as the elements will see it: items stripped (the
 * builder strips them), joined with ',' */
static gchar *
normalise_sources (const gchar * s)
{
  gchar **items, *res;
  guint i;

  if (s == NULL)
    return NULL;
  items = g_strsplit (s, ",", -1);
  for (i = 0; items[i]; i++)
    g_strstrip (items[i]);
  res = g_strjoinv (",", items);
  g_strfreev (items);
  return res;
}

static gchar *
joined (gchar ** list)
{
  return list ? g_strjoinv (",", list) : NULL;
}

static gboolean
check_parse_roundtrip (const gchar * text)
{
  MctxUri *a, *b;
  gchar *built;
  gchar *sa, *sb;
  guint i;

  a = gst_mctx_uri_parse (text, NULL);
  if (a == NULL)
    return TRUE;

  built = mctx_uri_to_string (a);
  b = gst_mctx_uri_parse (built, NULL);
  if (b == NULL)
    g_error ("'%s' parsed, but what it produced, '%s', does not", text, built);

  g_assert_cmpstr (a->group, ==, b->group);
  g_assert_cmpuint (a->port, ==, b->port);
  sa = joined (a->sources);
  sb = joined (b->sources);
  if (g_strcmp0 (sa, sb) != 0)
    g_error ("'%s' -> '%s': sources '%s' became '%s'", text, built,
        GST_STR_NULL (sa), GST_STR_NULL (sb));
  g_free (sa);
  g_free (sb);
  g_assert_cmpuint (g_strv_length (a->keys), ==, g_strv_length (b->keys));
  for (i = 0; a->keys[i] != NULL; i++) {
    g_assert_cmpstr (a->keys[i], ==, b->keys[i]);
    g_assert_cmpstr (a->values[i], ==, b->values[i]);
  }

  mctx_uri_free (a);
  mctx_uri_free (b);
  g_free (built);
  return TRUE;
}

static void
assert_same_properties (GObject * a, GObject * b, const gchar * uri)
{
  GParamSpec **specs;
  guint n, i;

  specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);
  for (i = 0; i < n; i++) {
    GValue va = G_VALUE_INIT, vb = G_VALUE_INIT;

    g_value_init (&va, specs[i]->value_type);
    g_value_init (&vb, specs[i]->value_type);
    g_object_get_property (a, specs[i]->name, &va);
    g_object_get_property (b, specs[i]->name, &vb);
    /* source lists: the builder strips blanks around entries, as
     * mctx_split_list() does when the element uses them */
    if (g_str_equal (specs[i]->name, "sources")) {
      g_value_take_string (&va, normalise_sources (g_value_get_string (&va)));
      g_value_take_string (&vb, normalise_sources (g_value_get_string (&vb)));
    }
    /* "" and NULL both mean unset to the elements ("?sources=" sets "",
     * and the URI read back leaves it out) */
    if (G_VALUE_HOLDS_STRING (&va) && g_strcmp0 (g_value_get_string (&va),
            "") == 0)
      g_value_set_string (&va, NULL);
    if (G_VALUE_HOLDS_STRING (&vb) && g_strcmp0 (g_value_get_string (&vb),
            "") == 0)
      g_value_set_string (&vb, NULL);
    if (g_param_values_cmp (specs[i], &va, &vb) != 0) {
      gchar *ca = g_strdup_value_contents (&va);
      gchar *cb = g_strdup_value_contents (&vb);

      g_error ("'%s': property %s was %s, is %s after a round trip", uri,
          specs[i]->name, ca, cb);
    }
    g_value_unset (&va);
    g_value_unset (&vb);
  }
  g_free (specs);
}

static void
check_object_roundtrip (const gchar * text)
{
  GObject *a = g_object_new (fuzz_obj_get_type (), NULL);
  GObject *b;
  gchar *uri1, *uri2;
  GError *err = NULL;

  if (!gst_mctx_uri_set_on_object (a, text, "sources", query_props, &err)) {
    /* a refusal says so in GStreamer's URI error domain */
    g_assert (err != NULL && err->domain == GST_URI_ERROR);
    g_error_free (err);
    g_object_unref (a);
    return;
  }
  uri1 = gst_mctx_uri_get_from_object (a, "sources", query_props);
  if (uri1 == NULL) {
    /* only when no address was set: an empty group is refused at parse */
    gchar *addr = NULL;

    g_object_get (a, "address", &addr, NULL);
    g_assert (addr == NULL || *addr == '\0');
    g_free (addr);
    g_object_unref (a);
    return;
  }

  b = g_object_new (fuzz_obj_get_type (), NULL);
  if (!gst_mctx_uri_set_on_object (b, uri1, "sources", query_props, &err))
    g_error ("'%s' was accepted, but the URI read back, '%s', is not: %s",
        text, uri1, err->message);
  assert_same_properties (a, b, uri1);
  uri2 = gst_mctx_uri_get_from_object (b, "sources", query_props);
  g_assert_cmpstr (uri1, ==, uri2);

  g_free (uri1);
  g_free (uri2);
  g_object_unref (a);
  g_object_unref (b);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *text;

  if (size > 4096)
    return 0;
  text = g_strndup ((const gchar *) data, size);
  if (check_parse_roundtrip (text))
    check_object_roundtrip (text);
  g_free (text);
  return 0;
}
