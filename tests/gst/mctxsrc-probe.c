/* mctxsrc-probe: runs "mctxsrc PROPERTIES ! fakesink" until a number of
 * datagrams were received (or a time is up), stops it, and prints the
 * counters of the last GstMctxSrcStats message (the one posted at stop) and
 * of the "stats" property, one key=value a line:
 *
 *   messages=N                 GstMctxSrcStats messages seen
 *   msg.packets-received=...   the last message's counters
 *   msg.stream.lost=...        ...and its only stream's fields
 *   prop.packets-received=...  the same from "stats" after stop
 *   prop.stream.lost=...
 *
 * Prints "playing" on stderr once the element has joined. For the fault
 * tests (test-mctxsrc-faults.sh); only ever run inside a test namespace.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gint opt_count;
static gdouble opt_duration = 10;

static GOptionEntry entries[] = {
  {"count", 'n', 0, G_OPTION_ARG_INT, &opt_count,
      "stop once this many datagrams were received", "N"},
  {"duration", 'd', 0, G_OPTION_ARG_DOUBLE, &opt_duration,
      "stop after this many seconds at most", "S"},
  {NULL}
};

static gboolean
print_field (GQuark field, const GValue * value, gpointer prefix)
{
  if (G_VALUE_HOLDS_UINT64 (value))
    printf ("%s%s=%" G_GUINT64_FORMAT "\n", (const gchar *) prefix,
        g_quark_to_string (field), g_value_get_uint64 (value));
  else if (G_VALUE_HOLDS_UINT (value))
    printf ("%s%s=%u\n", (const gchar *) prefix, g_quark_to_string (field),
        g_value_get_uint (value));
  else if (G_VALUE_HOLDS_STRING (value))
    printf ("%s%s=%s\n", (const gchar *) prefix, g_quark_to_string (field),
        g_value_get_string (value));
  return TRUE;
}

static void
print_stats (const gchar * prefix, const GstStructure * s)
{
  const GValue *streams = gst_structure_get_value (s, "streams");
  gchar *sp = g_strdup_printf ("%sstream.", prefix);

  gst_structure_foreach (s, print_field, (gpointer) prefix);
  printf ("%sstreams=%u\n", prefix, streams ?
      gst_value_array_get_size (streams) : 0);
  if (streams && gst_value_array_get_size (streams) == 1)
    gst_structure_foreach (gst_value_get_structure
        (gst_value_array_get_value (streams, 0)), print_field, sp);
  g_free (sp);
}

/* a GstMctxSrcStats message: counted, the last one kept */
static void
take_messages (GstBus * bus, GstClockTime timeout, guint * n,
    GstStructure ** last)
{
  GstMessage *msg;

  while ((msg = gst_bus_timed_pop_filtered (bus, timeout,
              GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR))) {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *err = NULL;

      gst_message_parse_error (msg, &err, NULL);
      fprintf (stderr, "error: %s\n", err->message);
      exit (1);
    }
    if (gst_message_has_name (msg, "GstMctxSrcStats")) {
      (*n)++;
      if (*last)
        gst_structure_free (*last);
      *last = gst_structure_copy (gst_message_get_structure (msg));
    }
    gst_message_unref (msg);
    timeout = 0;
  }
}

int
main (int argc, char **argv)
{
  GOptionContext *ctx = g_option_context_new ("PROPERTIES...");
  GError *err = NULL;
  GstElement *pipe, *src;
  GstStructure *last = NULL, *stats;
  GString *desc;
  GstBus *bus;
  gint64 end;
  guint n = 0;
  gint i;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &err)) {
    fprintf (stderr, "%s\n", err->message);
    return 2;
  }
  g_option_context_free (ctx);

  desc = g_string_new ("mctxsrc name=src");
  for (i = 1; i < argc; i++)
    g_string_append_printf (desc, " %s", argv[i]);
  g_string_append (desc, " ! fakesink sync=false async=false");
  pipe = gst_parse_launch (desc->str, &err);
  if (pipe == NULL) {
    fprintf (stderr, "cannot parse '%s': %s\n", desc->str, err->message);
    return 2;
  }
  g_string_free (desc, TRUE);
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  bus = gst_element_get_bus (pipe);

  if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    take_messages (bus, 0, &n, &last);
    fprintf (stderr, "cannot start\n");
    return 1;
  }
  gst_element_get_state (pipe, NULL, NULL, GST_CLOCK_TIME_NONE);
  fprintf (stderr, "playing\n");

  end = g_get_monotonic_time () + (gint64) (opt_duration * G_USEC_PER_SEC);
  while (g_get_monotonic_time () < end) {
    guint64 got = 0;

    take_messages (bus, 20 * GST_MSECOND, &n, &last);
    g_object_get (src, "stats", &stats, NULL);
    gst_structure_get_uint64 (stats, "packets-received", &got);
    gst_structure_free (stats);
    if (opt_count > 0 && got >= (guint64) opt_count)
      break;
  }

  /* READY: stop() posts the last message (NULL would flush the bus) */
  gst_element_set_state (pipe, GST_STATE_READY);
  take_messages (bus, 0, &n, &last);
  printf ("messages=%u\n", n);
  if (last)
    print_stats ("msg.", last);
  g_object_get (src, "stats", &stats, NULL);
  print_stats ("prop.", stats);
  gst_structure_free (stats);
  g_clear_pointer (&last, gst_structure_free);

  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (pipe);
  return 0;
}
