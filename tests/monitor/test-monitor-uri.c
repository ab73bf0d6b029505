/* mctx-monitor's stream arguments: mctx:// URIs and GROUP[:PORT].
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include "monitor-uri.h"

#include <string.h>

static gchar *
joined (gchar ** list)
{
  return list ? g_strjoinv (",", list) : g_strdup ("-");
}

typedef struct
{
  const gchar *text;
  const gchar *group;           /* NULL: must fail */
  guint port;
  const gchar *sources, *exclude, *interfaces;
  guint index;
  gint buffer;
} Case;

static void
test_good (void)
{
  static const Case cases[] = {
    {"239.1.1.1", "239.1.1.1", 5004, "-", "-", "-", 0, -1},
    {"239.1.1.1:6000", "239.1.1.1", 6000, "-", "-", "-", 0, -1},
    {"[ff3e::1]:5006", "ff3e::1", 5006, "-", "-", "-", 0, -1},
    {"ff3e::1", "ff3e::1", 5004, "-", "-", "-", 0, -1},
    {"mctx://239.1.1.1", "239.1.1.1", 5004, "-", "-", "-", 0, -1},
    {"MCTX://239.1.1.1:7/", "239.1.1.1", 7, "-", "-", "-", 0, -1},
    {"mctx://10.0.0.1,10.0.0.2@232.1.1.1:5004", "232.1.1.1", 5004,
        "10.0.0.1,10.0.0.2", "-", "-", 0, -1},
    {"mctx://[2001:db8::1]@[ff3e::1]:5004?interface=eth0,eth1",
        "ff3e::1", 5004, "2001:db8::1", "-", "eth0,eth1", 0, -1},
    {"mctx://[ff12::1%25lo]:5004", "ff12::1%lo", 5004, "-", "-", "-", 0, -1},
    {"mctx://239.1.1.1:5004?exclude-sources=10.0.0.9&&interface-index=3"
          "&buffer-size=65536", "239.1.1.1", 5004, "-", "10.0.0.9", "-", 3,
        65536},
    {"mctx://239.1.1.1?sources=10.0.0.1", "239.1.1.1", 5004, "10.0.0.1",
        "-", "-", 0, -1},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    const Case *c = &cases[i];
    g_autoptr (GError) error = NULL;
    g_autoptr (MonitorStreamSpec) s = monitor_stream_spec_parse (c->text,
        &error);
    g_autofree gchar *src = NULL, *exc = NULL, *ifs = NULL;

    g_test_message ("%s", c->text);
    g_assert_no_error (error);
    g_assert_nonnull (s);
    src = joined (s->sources);
    exc = joined (s->exclude_sources);
    ifs = joined (s->interfaces);
    g_assert_cmpstr (s->group, ==, c->group);
    g_assert_cmpuint (s->port, ==, c->port);
    g_assert_cmpstr (src, ==, c->sources);
    g_assert_cmpstr (exc, ==, c->exclude);
    g_assert_cmpstr (ifs, ==, c->interfaces);
    g_assert_cmpuint (s->interface_index, ==, c->index);
    g_assert_cmpint (s->buffer_size, ==, c->buffer);
  }
}

static void
test_bad (void)
{
  /* text, what the message must quote */
  static const gchar *const cases[][2] = {
    {"", "empty"},
    {"239.1.1.1:70000", "'70000'"},
    {"239.1.1.1:x", "'x'"},
    {":5004", "group: empty"},
    {"udp://239.1.1.1", "mctx://"},
    {"mctx://239.1.1.1?colour=red", "'colour'"},
    {"mctx://239.1.1.1?ttl", "'ttl' has no '='"},
    {"mctx://239.1.1.1?=1", "empty key"},
    {"mctx://@239.1.1.1", "empty source"},
    {"mctx://[ff3e::1:5004", "without ']'"},
    {"mctx://ff3e::1", "needs brackets"},
    {"mctx://239.1.1.1/path", "'/path'"},
    {"mctx://239.1.1.1#frag", "'#frag'"},
    {"mctx://10.0.0.1@232.1.1.1?sources=10.0.0.2", "'sources' given twice"},
    {"mctx://239.1.1.1?interface=", "'interface' is empty"},
    {"mctx://239.1.1.1?interface-index=-1", "'-1'"},
    {"mctx://239.1.1.1?buffer-size=99999999999", "'99999999999'"},
    {"mctx://239.1.1.1?interface=%zz", "bad escape"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    MonitorStreamSpec *s = monitor_stream_spec_parse (cases[i][0], &error);

    g_test_message ("%s", cases[i][0]);
    g_assert_null (s);
    g_assert_error (error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE);
    if (strstr (error->message, cases[i][1]) == NULL)
      g_error ("'%s': message '%s' lacks '%s'", cases[i][0], error->message,
          cases[i][1]);
    g_assert_nonnull (strstr (error->message, cases[i][0]));
    /* quoted once: libmctx's own quote of the URI is dropped */
    if (cases[i][0][0] != '\0')
      g_assert_null (strstr (strstr (error->message, cases[i][0]) + 1,
              cases[i][0]));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/monitor-uri/good", test_good);
  g_test_add_func ("/monitor-uri/bad", test_bad);
  return g_test_run ();
}
