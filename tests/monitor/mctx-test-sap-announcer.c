/* A SAP announcer for the mctx-monitor --sap test: announces the SDP of a
 * stream (built from the arguments) with MctxSapAnnouncer every INTERVAL
 * seconds, COUNT times in all, then stops, which sends the deletion.
 *   mctx-test-sap-announcer NAME GROUP PORT SOURCE INTERFACE INTERVAL COUNT
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include <stdio.h>
#include <stdlib.h>

int
main (int argc, char **argv)
{
  MctxSapAnnouncer *a;
  GError *error = NULL;
  gchar *sdp;
  guint interval, count;

  if (argc != 8) {
    fprintf (stderr, "usage: %s NAME GROUP PORT SOURCE INTERFACE INTERVAL "
        "COUNT\n", argv[0]);
    return 2;
  }
  interval = atoi (argv[6]);
  count = atoi (argv[7]);
  sdp = g_strdup_printf ("v=0\r\no=- 42 1 IN IP4 %s\r\ns=%s\r\nt=0 0\r\n"
      "m=video %s RTP/AVP 96\r\nc=IN IP4 %s/1\r\na=rtpmap:96 VP8/90000\r\n"
      "a=source-filter: incl IN IP4 %s %s\r\n", argv[4], argv[1], argv[3],
      argv[2], argv[2], argv[4]);
  a = g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", sdp, "interface",
      argv[5], "source", argv[4], "interval", interval, NULL);
  if (!mctx_sap_announcer_start (a, &error)) {
    fprintf (stderr, "mctx-test-sap-announcer: %s\n", error->message);
    return 1;
  }
  /* the announcer's own thread repeats; wait for COUNT announcements,
   * bounded by twice the longest randomised interval */
  {
    gint64 deadline = g_get_monotonic_time () +
        (gint64) count * interval * 2 * G_USEC_PER_SEC;

    while (mctx_sap_announcer_get_sent (a) < count
        && g_get_monotonic_time () < deadline)
      g_usleep (20 * 1000);
  }
  printf ("sent %" G_GUINT64_FORMAT "\n", mctx_sap_announcer_get_sent (a));
  mctx_sap_announcer_stop (a);
  g_object_unref (a);
  g_free (sdp);
  return 0;
}
