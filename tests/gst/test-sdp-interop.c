/* Interop of the SDP mctxsink will write (gst_mctx_sdp_build): ffmpeg and
 * GStreamer's sdpdemux play a VP8/RTP stream sent by mctxsink, described
 * only by that SDP.  Everything runs in the test's own network namespace.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <mctx.h>
#include <string.h>
#include <stdlib.h>
#include "mctx-test-netns.h"
#include "gstmctxsdp.h"
#include "gstmctxdescribe.h"

#define GROUP "239.255.10.1"
#define FRAMES 20

/* source: NULL for any-source, else the sender's address (SSM group) */
static gchar *
write_sdp (const gchar * group, const gchar * source, guint port)
{
  gchar *sources[] = { (gchar *) source, NULL };
  GstMctxSdpLeg leg = { 0 };
  GstMctxSdpDescription d = { 0 };
  GError *error = NULL;
  gchar *text, *path;
  gint fd;

  leg.group = (gchar *) group;
  leg.sources = source ? sources : NULL;
  leg.port = port;
  leg.ttl = 1;
  /* the caps rtpvp8pay pt=96 negotiates */
  leg.caps = gst_caps_from_string ("application/x-rtp, media=(string)video, "
      "clock-rate=(int)90000, encoding-name=(string)VP8, payload=(int)96, "
      "ssrc=(uint)1, timestamp-offset=(uint)0, seqnum-offset=(uint)0");
  d.session_name = "interop";
  d.origin_address = source ? source : "127.0.0.1";
  d.session_id = gst_mctx_sdp_ntp_now ();
  d.session_version = 1;
  d.legs = &leg;
  d.n_legs = 1;
  text = gst_mctx_sdp_build (&d, &error);
  g_assert_no_error (error);
  g_test_message ("SDP:\n%s", text);
  fd = g_file_open_tmp ("mctx-interop-XXXXXX.sdp", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_free (text);
  gst_caps_unref (leg.caps);
  return path;
}

/* ~20 s of live 30 fps VP8 with a key frame every 5 frames: long enough
 * for the receiver to start, bounded in any case */
static GstElement *
start_sender (const gchar * group, const gchar * source, guint port)
{
  GError *error = NULL;
  gchar *desc = g_strdup_printf ("videotestsrc is-live=true num-buffers=600 "
      "! video/x-raw,width=160,height=120,framerate=30/1 "
      "! vp8enc deadline=1 keyframe-max-dist=5 ! rtpvp8pay pt=96 "
      "! mctxsink address=%s port=%u%s%s", group, port,
      source ? " source=" : "", source ? source : "");
  GstElement *p = gst_parse_launch (desc, &error);

  g_assert_no_error (error);
  g_free (desc);
  g_assert_cmpint (gst_element_set_state (p, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  return p;
}

static void
stop (GstElement * p)
{
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
}

static void
run_ffmpeg (const gchar * group, const gchar * source, guint port)
{
  gchar *ffmpeg = g_find_program_in_path ("ffmpeg");
  gchar *path, *err = NULL, *last;
  GstElement *sender;
  gint status = 0;
  guint frames = 0;
  GError *error = NULL;

  if (ffmpeg == NULL) {
    g_test_skip ("ffmpeg not installed");
    return;
  }
  path = write_sdp (group, source, port);
  sender = start_sender (group, source, port);
  {
    const gchar *argv[] = { "timeout", "30", ffmpeg, "-hide_banner",
      "-nostdin", "-protocol_whitelist", "file,udp,rtp", "-i", path,
      "-frames:v", G_STRINGIFY (FRAMES), "-f", "null", "-", NULL
    };
    g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL,
            G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, &err, &status, &error));
  }
  g_assert_no_error (error);
  stop (sender);

  /* the progress line's last "frame=N" */
  last = g_strrstr (err, "frame=");
  if (last != NULL)
    frames = (guint) strtoul (last + 6 + strspn (last + 6, " "), NULL, 10);
  g_test_message ("ffmpeg exit %d, %u frames decoded", status, frames);
  if (frames != FRAMES)
    g_test_message ("ffmpeg said:\n%s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpuint (frames, ==, FRAMES);

  g_unlink (path);
  g_free (path);
  g_free (err);
  g_free (ffmpeg);
}

static void
test_ffmpeg (void)
{
  run_ffmpeg (GROUP, NULL, 5004);
}

/* ffmpeg joins (S,G) from the SDP's a=source-filter: incl */
static void
test_ffmpeg_ssm (void)
{
  run_ffmpeg ("232.10.0.1", "10.99.0.1", 5020);
}

typedef struct
{
  gint frames;                  /* atomic */
  GMainLoop *loop;
} Count;

static void
on_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Count * c)
{
  if (g_atomic_int_add (&c->frames, 1) + 1 == FRAMES)
    g_main_loop_quit (c->loop);
}

static gboolean
give_up (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
test_sdpdemux (void)
{
  GstElement *sender, *rx, *sink;
  GError *error = NULL;
  gchar *path, *desc;
  Count c = { 0 };
  GSource *timeout;

  if (!gst_element_factory_find ("sdpdemux")) {
    g_test_skip ("sdpdemux not installed");
    return;
  }
  path = write_sdp (GROUP, NULL, 5010);
  desc = g_strdup_printf ("filesrc location=%s ! sdpdemux ! rtpvp8depay "
      "! vp8dec ! fakesink name=out signal-handoffs=true sync=false", path);
  rx = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_free (desc);
  sink = gst_bin_get_by_name (GST_BIN (rx), "out");
  c.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (sink, "handoff", G_CALLBACK (on_handoff), &c);
  g_assert_cmpint (gst_element_set_state (rx, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  sender = start_sender (GROUP, NULL, 5010);

  timeout = g_timeout_source_new_seconds (20);
  g_source_set_callback (timeout, give_up, c.loop, NULL);
  g_source_attach (timeout, NULL);
  g_main_loop_run (c.loop);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_test_message ("sdpdemux: %d frames decoded", g_atomic_int_get (&c.frames));
  g_assert_cmpint (g_atomic_int_get (&c.frames), >=, FRAMES);

  stop (sender);
  stop (rx);
  gst_object_unref (sink);
  g_main_loop_unref (c.loop);
  g_unlink (path);
  g_free (path);
}

/* mctxsink's describer announces its SDP; a listener sees the session,
 * its update on a caps change (same key, version 2) and its deletion */
typedef struct
{
  gchar *what;
  MctxSapSession *last;
  GMainLoop *loop;
} Seen;

static void
on_session (MctxSapListener * l, MctxSapSession * s, Seen * seen)
{
  g_free (seen->what);
  seen->what = g_strdup (g_signal_name (g_signal_get_invocation_hint
          (l)->signal_id));
  mctx_sap_session_free (seen->last);
  seen->last = mctx_sap_session_copy (s);
  g_main_loop_quit (seen->loop);
}

static void
wait_for (Seen * seen, const gchar * what)
{
  GSource *timeout = g_timeout_source_new_seconds (10);

  g_source_set_callback (timeout, give_up, seen->loop, NULL);
  g_source_attach (timeout, NULL);
  g_clear_pointer (&seen->what, g_free);
  g_main_loop_run (seen->loop);
  g_source_destroy (timeout);
  g_source_unref (timeout);
  g_assert_cmpstr (seen->what, ==, what);
}

static void
test_describer_announce (void)
{
  const gchar *lo[] = { "lo", NULL };
  GstMctxDescriber *d = gst_mctx_describer_new ();
  GstMctxDescribeConfig cfg = { 0 };
  GstMctxSdpLeg leg = { 0 };
  MctxSapListener *l;
  Seen seen = { 0 };
  GError *error = NULL;
  gchar *sdp, *key;

  seen.loop = g_main_loop_new (NULL, FALSE);
  l = g_object_new (MCTX_TYPE_SAP_LISTENER, "interfaces", lo, NULL);
  g_signal_connect (l, "session-added", G_CALLBACK (on_session), &seen);
  g_signal_connect (l, "session-updated", G_CALLBACK (on_session), &seen);
  g_signal_connect (l, "session-removed", G_CALLBACK (on_session), &seen);
  g_assert_true (mctx_sap_listener_start (l, &error));
  g_assert_no_error (error);

  leg.group = (gchar *) GROUP;
  leg.port = 5030;
  leg.ttl = 1;
  leg.caps = gst_caps_from_string ("application/x-rtp, media=(string)video, "
      "clock-rate=(int)90000, encoding-name=(string)VP8, payload=(int)96");
  cfg.session_name = "announced";
  cfg.origin_address = "10.99.0.1";
  cfg.announce = TRUE;
  cfg.announce_interval = 1;
  cfg.interface = "lo";
  cfg.ttl = 1;
  g_assert_true (gst_mctx_describer_update (d, &cfg, &leg, 1, &error));
  g_assert_no_error (error);
  wait_for (&seen, "session-added");
  sdp = gst_mctx_describer_dup_sdp (d);
  g_assert_cmpstr (seen.last->sdp, ==, sdp);
  g_assert_cmpstr (seen.last->name, ==, "announced");
  g_assert_cmpstr (seen.last->group, ==, GROUP);
  g_assert_cmpuint (seen.last->port, ==, 5030);
  key = g_strdup (seen.last->key);
  g_free (sdp);

  gst_caps_unref (leg.caps);
  leg.caps = gst_caps_from_string ("application/x-rtp, media=(string)video, "
      "clock-rate=(int)90000, encoding-name=(string)H264, payload=(int)96");
  g_assert_true (gst_mctx_describer_update (d, &cfg, &leg, 1, &error));
  wait_for (&seen, "session-updated");
  g_assert_cmpstr (seen.last->key, ==, key);
  g_assert_nonnull (strstr (seen.last->sdp, "H264"));
  g_assert_nonnull (strstr (seen.last->origin, " 2 IN IP4 10.99.0.1"));

  gst_mctx_describer_stop (d);
  wait_for (&seen, "session-removed");
  g_assert_cmpstr (seen.last->key, ==, key);

  gst_mctx_describer_free (d);
  gst_caps_unref (leg.caps);
  mctx_sap_listener_stop (l);
  g_object_unref (l);
  mctx_sap_session_free (seen.last);
  g_free (seen.what);
  g_free (key);
  g_main_loop_unref (seen.loop);
}

int
main (int argc, char **argv)
{
  mctx_test_netns_init (&argc, &argv);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdp-interop/ffmpeg", test_ffmpeg);
  g_test_add_func ("/sdp-interop/ffmpeg-ssm", test_ffmpeg_ssm);
  g_test_add_func ("/sdp-interop/sdpdemux", test_sdpdemux);
  g_test_add_func ("/sdp-interop/describer-announce", test_describer_announce);
  return g_test_run ();
}
