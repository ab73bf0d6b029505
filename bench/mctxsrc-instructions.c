/* mctxsrc-instructions: a fixed workload for counting the instructions
 * "mctxsrc ! fakesink" spends per datagram (run under callgrind by
 * tools/instructions.sh): 10000 RTP datagrams of 1316 bytes are queued in
 * the socket while the element is PAUSED (joined, not reading), then read
 * in PLAYING until all have arrived. With batch-size=1 every datagram is a
 * read and a push of its own, as at a steady rate; with the default batch
 * the reads are full lists, as in a burst. Counts do not swing with the
 * machine's load the way CPU times do.
 *
 *   mctxsrc-instructions [PROPERTY=VALUE...]    (extra mctxsrc properties)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"
#include "mctx-tool.h"

#include <gst/gst.h>
#include <mctx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_DATAGRAMS 10000
#define SIZE 1316

static guint64 count;

static GstPadProbeReturn
count_probe (GstPad * pad, GstPadProbeInfo * info, gpointer stream)
{
  guint n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  else if (GPOINTER_TO_INT (stream))
    n = MAX (gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info)) / SIZE, 1);
  __atomic_add_fetch (&count, n, __ATOMIC_RELAXED);
  return GST_PAD_PROBE_OK;
}

int
main (int argc, char **argv)
{
  GString *desc = g_string_new ("mctxsrc name=src address=239.9.9.8 "
      "port=6001 interface=lo buffer-size=67108864");
  GstElement *pipe, *sink;
  GstPad *pad;
  MctxPublication *pub;
  GError *err = NULL;
  guint8 d[SIZE];
  gboolean stream = FALSE;
  gint64 end;
  guint i;

  /* nothing leaves the machine: a namespace of our own with only lo */
  if (!bench_netns_enter (&err)) {
    fprintf (stderr, "mctxsrc-instructions: %s\n", err->message);
    return 77;
  }
  gst_init (&argc, &argv);
  for (i = 1; i < (guint) argc; i++) {
    g_string_append_printf (desc, " %s", argv[i]);
    if (strcmp (argv[i], "preserve-packetization=false") == 0)
      stream = TRUE;
  }
  g_string_append (desc, " ! fakesink name=sink sync=false async=false");
  pipe = gst_parse_launch (desc->str, &err);
  if (pipe == NULL) {
    fprintf (stderr, "%s: %s\n", desc->str, err->message);
    return 1;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_probe, GINT_TO_POINTER (stream),
      NULL);
  gst_object_unref (pad);
  gst_object_unref (sink);

  /* joined, not reading: the datagrams queue in the socket */
  if (gst_element_set_state (pipe, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_FAILURE) {
    fprintf (stderr, "cannot start %s\n", desc->str);
    return 1;
  }
  pub = g_object_new (MCTX_TYPE_PUBLICATION, "group", "239.9.9.8", "port",
      6001, "interface", "lo", "send-buffer-size", 4 << 20, NULL);
  if (!mctx_publication_open (pub, &err)) {
    fprintf (stderr, "%s\n", err->message);
    return 1;
  }
  memset (d, 0x11, sizeof (d));
  d[0] = 0x80;
  d[1] = 96;
  for (i = 0; i < N_DATAGRAMS; i++) {
    d[2] = i >> 8;
    d[3] = i;
    d[7] = i;
    if (!mctx_tool_send (pub, d, sizeof (d), G_USEC_PER_SEC, &err)) {
      fprintf (stderr, "mctxsrc-instructions: send: %s\n", err->message);
      return 1;
    }
  }

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  while (__atomic_load_n (&count, __ATOMIC_RELAXED) < N_DATAGRAMS
      && g_get_monotonic_time () < end)
    g_usleep (1000);
  gst_element_set_state (pipe, GST_STATE_NULL);
  printf ("received %" G_GUINT64_FORMAT " of %u\n", count, N_DATAGRAMS);
  gst_object_unref (pipe);
  g_object_unref (pub);
  g_string_free (desc, TRUE);
  return count == N_DATAGRAMS ? 0 : 1;
}
