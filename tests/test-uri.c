/* mctx:// URI syntax (mctx-uri.c): parts, escapes, writing back, and every
 * error with its tag and a message quoting the URI and the bad part.
 * No network.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>

#include <string.h>

/* "k=v&k=v" of a parsed URI, "-" when it has no keys */
static gchar *
query_text (const MctxUri * uri)
{
  GString *str = g_string_new (NULL);
  guint i;

  for (i = 0; uri->keys[i] != NULL; i++)
    g_string_append_printf (str, "%s%s=%s", i ? "&" : "", uri->keys[i],
        uri->values[i]);
  g_assert_null (uri->values[i]);
  if (str->len == 0)
    g_string_append_c (str, '-');
  return g_string_free (str, FALSE);
}

/* "SCHEME SOURCES GROUP PORT QUERY" of a parsed URI, "-" for no sources */
static gchar *
parts_text (const MctxUri * uri)
{
  g_autofree gchar *sources = uri->sources ? g_strjoinv (",", uri->sources) :
      g_strdup ("-");
  g_autofree gchar *query = query_text (uri);

  return g_strdup_printf ("%s %s %s %u %s", uri->scheme, sources, uri->group,
      uri->port, query);
}

typedef struct
{
  const gchar *text;
  const gchar *scheme, *sources, *group;
  guint port;
  const gchar *query;
  const gchar *written;         /* mctx_uri_to_string() */
} GoodUri;

static const GoodUri good_uris[] = {
  {"mctx://239.1.1.1", "mctx", "-", "239.1.1.1", 5004, "-",
      "mctx://239.1.1.1:5004"},
  {"MCTX://239.1.1.1:7/", "mctx", "-", "239.1.1.1", 7, "-",
      "mctx://239.1.1.1:7"},
  {"udp://239.1.1.1:0", "udp", "-", "239.1.1.1", 0, "-",
      "udp://239.1.1.1:0"},
  {"mctx://10.0.0.1,%2010.0.0.2@232.1.1.1:65535", "mctx",
        "10.0.0.1,10.0.0.2", "232.1.1.1", 65535, "-",
      "mctx://10.0.0.1,10.0.0.2@232.1.1.1:65535"},
  {"mctx://[2001:db8::1]@[ff3e::1]:5006?interface=eth0,eth1", "mctx",
        "2001:db8::1", "ff3e::1", 5006, "interface=eth0,eth1",
      "mctx://[2001:db8::1]@[ff3e::1]:5006?interface=eth0,eth1"},
  {"mctx://[ff12::1%25lo]", "mctx", "-", "ff12::1%lo", 5004, "-",
      "mctx://[ff12::1%25lo]:5004"},
  {"mctx://239.1.1.1/?&ttl=2&&loop=&a%20b=c%26d&", "mctx", "-",
        "239.1.1.1", 5004, "ttl=2&loop=&a b=c&d",
      "mctx://239.1.1.1:5004?ttl=2&loop=&a%20b=c%26d"},
  {"mctx://239.1.1.1?uri=mctx://x@[::1]", "mctx", "-", "239.1.1.1", 5004,
      "uri=mctx://x@[::1]", "mctx://239.1.1.1:5004?uri=mctx:%2F%2Fx@[::1]"},
  /* a key is any text: "?ttl" is for the caller to refuse */
  {"mctx://239.1.1.1??ttl=2", "mctx", "-", "239.1.1.1", 5004, "?ttl=2",
      "mctx://239.1.1.1:5004?%3Fttl=2"},
};

/* one test case per URI (/uri/good/N) */
static void
test_good (gconstpointer data)
{
  const GoodUri *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (MctxUri) uri = mctx_uri_parse (c->text, &error);
  g_autoptr (MctxUri) again = NULL;
  g_autoptr (MctxUri) copy = NULL;
  g_autofree gchar *parts = NULL, *expected = NULL, *written = NULL;
  g_autofree gchar *rewritten = NULL, *parts_again = NULL, *copied = NULL;

  g_assert_no_error (error);
  parts = parts_text (uri);
  expected = g_strdup_printf ("%s %s %s %u %s", c->scheme, c->sources,
      c->group, c->port, c->query);
  g_assert_cmpstr (parts, ==, expected);

  /* written back, it reads as the same parts (mctx_uri_to_string()'s
   * promise for a parsed URI), and writes the same text again */
  written = mctx_uri_to_string (uri);
  g_assert_cmpstr (written, ==, c->written);
  again = mctx_uri_parse (written, &error);
  g_assert_no_error (error);
  parts_again = parts_text (again);
  g_assert_cmpstr (parts_again, ==, parts);
  rewritten = mctx_uri_to_string (again);
  g_assert_cmpstr (rewritten, ==, written);

  copy = mctx_uri_copy (uri);
  copied = mctx_uri_to_string (copy);
  g_assert_cmpstr (copied, ==, written);
}

#define STRV(...) ((gchar *[]) { __VA_ARGS__, NULL })

/* URIs built by hand: mctx_uri_to_string() writes each; mctx_uri_parse()
 * reads back those its documentation promises and refuses the others */
typedef struct
{
  MctxUri uri;
  const gchar *written;
  const gchar *parts;           /* read back, or NULL: refused */
  const gchar *tag;             /* the refusal's mctx_error_get_setting() */
} BuiltUri;

static const BuiltUri built_uris[] = {
  {{NULL, STRV (" 10.0.0.1 ", " "), "ff3e::1", 9, STRV ("a b", "x"),
            STRV ("1&2", "")},
        "mctx://10.0.0.1@[ff3e::1]:9?a%20b=1%262&x=",
      "mctx 10.0.0.1 ff3e::1 9 a b=1&2&x=", NULL},
  {{"udp", NULL, "[x]", 65535, NULL, NULL}, "udp://%5Bx%5D:65535",
      "udp - [x] 65535 -", NULL},
  {{NULL, NULL, "", 1, NULL, NULL}, "mctx://:1", NULL, "group"},
  {{NULL, STRV ("a,b"), "g", 1, NULL, NULL}, "mctx://a%2Cb@g:1", NULL,
      "source"},
  {{NULL, NULL, "g", 70000, NULL, NULL}, "mctx://g:70000", NULL, "port"},
  {{"http", NULL, "g", 1, NULL, NULL}, "http://g:1", NULL, "scheme"},
  {{NULL, NULL, "g", 1, STRV (""), STRV ("1")}, "mctx://g:1?=1", NULL,
      "query"},
  {{NULL, NULL, "g", 1, STRV ("k", "k"), STRV ("1", "2")},
      "mctx://g:1?k=1&k=2", NULL, "k"},
};

static void
test_built (gconstpointer data)
{
  const BuiltUri *c = data;
  g_autofree gchar *written = mctx_uri_to_string (&c->uri);
  g_autoptr (GError) error = NULL;
  g_autoptr (MctxUri) again = mctx_uri_parse (written, &error);
  g_autofree gchar *parts = NULL;

  g_assert_cmpstr (written, ==, c->written);
  if (c->parts == NULL) {
    g_assert_null (again);
    g_assert_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE);
    g_assert_cmpstr (mctx_error_get_setting (error), ==, c->tag);
    return;
  }
  g_assert_no_error (error);
  parts = parts_text (again);
  g_assert_cmpstr (parts, ==, c->parts);
}

/* the argument checks: a critical naming the function, and NULL */
static void
test_checks (void)
{
  MctxUri parts = { NULL, NULL, (gchar *) "g", 1, NULL, NULL };
  MctxUri no_value = { NULL, NULL, (gchar *) "g", 1, STRV ("a", "b"),
    STRV ("1")
  };
  static const gchar *const calls[] = {
    "mctx_uri_copy", "mctx_uri_lookup", "mctx_uri_lookup",
    "mctx_uri_to_string", "mctx_uri_to_string", "mctx_uri_to_string",
  };
  guint i;

  mctx_uri_free (NULL);         /* NULL-safe, no critical */
  for (i = 0; i < G_N_ELEMENTS (calls); i++) {
    g_autofree gchar *pattern = g_strdup_printf ("*%s*assertion*", calls[i]);
    gconstpointer res = &parts;

    g_test_expect_message ("mctx", G_LOG_LEVEL_CRITICAL, pattern);
    switch (i) {
      case 0:
        res = mctx_uri_copy (NULL);
        break;
      case 1:
        res = mctx_uri_lookup (NULL, "a");
        break;
      case 2:
        res = mctx_uri_lookup (&parts, NULL);
        break;
      case 3:
        res = mctx_uri_to_string (NULL);
        break;
      case 4:
        parts.group = NULL;
        res = mctx_uri_to_string (&parts);
        break;
      default:
        res = mctx_uri_to_string (&no_value);
        break;
    }
    g_test_assert_expected_messages ();
    g_assert_null (res);
  }
}

static void
test_lookup (void)
{
  g_autoptr (MctxUri) uri = mctx_uri_parse ("mctx://239.1.1.1?ttl=3&loop=",
      NULL);
  MctxUri parts = { NULL, NULL, (gchar *) "ff3e::1", 9, NULL, NULL };
  g_autofree gchar *text = mctx_uri_to_string (&parts);
  g_autoptr (GError) error = NULL;
  GValue v = G_VALUE_INIT;

  g_assert_cmpstr (mctx_uri_lookup (uri, "ttl"), ==, "3");
  g_assert_cmpstr (mctx_uri_lookup (uri, "loop"), ==, "");
  g_assert_null (mctx_uri_lookup (uri, "mtu"));
  /* the whole message, as docs/elements.md shows it */
  g_assert_null (mctx_uri_parse ("mctx://bad:x", &error));
  g_assert_cmpstr (error->message, ==,
      "Invalid port 'x' in URI 'mctx://bad:x' (expected 0 to 65535)");
  /* no scheme, sources or keys: mctx:// with the group and port only */
  g_assert_cmpstr (text, ==, "mctx://[ff3e::1]:9");

  /* a boxed type, for bindings */
  g_value_init (&v, MCTX_TYPE_URI);
  g_value_set_boxed (&v, uri);
  g_assert_cmpstr (((MctxUri *) g_value_get_boxed (&v))->group, ==,
      "239.1.1.1");
  g_value_unset (&v);
}

typedef struct
{
  const gchar *text;
  const gchar *tag;             /* mctx_error_get_setting() */
  const gchar *says;            /* a part of the message */
} BadUri;

static const BadUri bad_uris[] = {
  {NULL, "uri", "No URI given"},
  {"http://239.1.1.1", "scheme", "does not start with 'mctx://'"},
  {"mctx:239.1.1.1", "scheme", "does not start with 'mctx://'"},
  {"mctx://", "group", "Invalid group '' in URI"},
  {"mctx://:5004", "group", "Invalid group '' in URI"},
  {"mctx://[]:5004", "group", "Invalid group '[]' in URI"},
  {"mctx://239.1.1.1:99999", "port", "Invalid port '99999' in URI"},
  {"mctx://239.1.1.1:", "port", "Invalid port '' in URI"},
  {"mctx://239.1.1.1:-1", "port", "Invalid port '-1' in URI"},
  {"mctx://239.1.1.1:5x", "port", "(expected 0 to 65535)"},
  {"mctx://ff3e::1", "group", "(an IPv6 address needs brackets)"},
  {"mctx://[ff3e::1:5004", "group", "'[ff3e::1:5004' in URI"},
  {"mctx://[ff3e::1:5004", "group", "('[' without ']')"},
  {"mctx://[ff3e::1]]:5004", "group", "Unexpected ']:5004' after the group"},
  {"mctx://[ff3e::1]x", "group", "Unexpected 'x' after the group"},
  {"mctx://[ff[3e::1]", "group", "(unbalanced brackets)"},
  {"mctx://%zz:5004", "group", "Invalid group '%zz' in URI"},
  {"mctx://%zz:5004", "group", "(bad escape)"},
  {"mctx://@239.1.1.1", "source", "Invalid source '' in URI"},
  {"mctx://@239.1.1.1", "source", "(empty source)"},
  {"mctx://10.0.0.1,,10.0.0.2@239.1.1.1", "source", "(empty source)"},
  {"mctx://%20@239.1.1.1", "source", "Invalid source '%20' in URI"},
  {"mctx://a%2Cb@239.1.1.1", "source", "'a%2Cb' in URI"},
  {"mctx://ff3e::2@[ff3e::1]", "source", "'ff3e::2' in URI"},
  {"mctx://[ff3e::2@[ff3e::1]", "source", "('[' without ']')"},
  {"mctx://[ff3e::2]x@[ff3e::1]", "source", "(unbalanced brackets)"},
  {"mctx://239.1.1.1/path", "path", "Unexpected path or fragment '/path'"},
  {"mctx://239.1.1.1?ttl=1#frag", "path", "fragment '#frag'"},
  {"mctx://239.1.1.1:5004&ttl=2", "port", "'5004&ttl=2'"},
  {"mctx://239.1.1.1?ttl", "query", "Parameter 'ttl' has no '=' in URI"},
  {"mctx://239.1.1.1?ttl=1&=1", "query", "Parameter '=1' has an empty key"},
  {"mctx://239.1.1.1?ttl=%zz", "parameter", "Invalid parameter 'ttl=%zz'"},
  {"mctx://239.1.1.1?%zz=1", "parameter", "(bad escape)"},
  {"mctx://239.1.1.1?ttl=1&ttl=2", "ttl", "Parameter 'ttl' given twice"},
};

static void
test_bad (gconstpointer data)
{
  const BadUri *c = data;
  g_autoptr (GError) error = NULL;
  MctxUri *uri = mctx_uri_parse (c->text, &error);

  g_assert_null (uri);
  g_assert_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE);
  g_assert_cmpstr (mctx_error_get_setting (error), ==, c->tag);
  if (strstr (error->message, c->says) == NULL)
    g_error ("'%s': message '%s' lacks '%s'", c->text, error->message, c->says);
  if (c->text != NULL) {
    g_autofree gchar *quoted = g_strdup_printf ("'%s'", c->text);

    g_assert_nonnull (strstr (error->message, quoted));
  }
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);
  /* each URI is its own case, named by its row */
  for (i = 0; i < G_N_ELEMENTS (good_uris); i++) {
    g_autofree gchar *path = g_strdup_printf ("/uri/good/%02u", i);

    g_test_add_data_func (path, &good_uris[i], test_good);
  }
  for (i = 0; i < G_N_ELEMENTS (bad_uris); i++) {
    g_autofree gchar *path = g_strdup_printf ("/uri/bad/%02u", i);

    g_test_add_data_func (path, &bad_uris[i], test_bad);
  }
  for (i = 0; i < G_N_ELEMENTS (built_uris); i++) {
    g_autofree gchar *path = g_strdup_printf ("/uri/built/%02u", i);

    g_test_add_data_func (path, &built_uris[i], test_built);
  }
  g_test_add_func ("/uri/lookup", test_lookup);
  g_test_add_func ("/uri/checks", test_checks);
  return g_test_run ();
}
