/* Interop of the SDP mctxsink writes (gst_mctx_sdp_build, and the elements'
 * sdp-location/announce): ffmpeg and GStreamer's sdpdemux play a VP8/RTP
 * stream sent by mctxsink, described only by that SDP (the file mctxsink
 * wrote, or the one it announced with SAP); mctxsrc sdp= receives ffmpeg's
 * own RTP sender from the SDP ffmpeg wrote. Everything runs in the test's
 * own network namespace.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <glib/gstdio.h>
#include <mctx.h>
#include <string.h>
#include <stdlib.h>
#include <signal.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include "mctx-test-netns.h"
#include "gstmctxsdp.h"
#include "gstmctxdescribe.h"

#define GROUP "239.255.10.1"
#define FRAMES 20

/* ffmpeg's path; NULL (and the test skipped) when it is not installed */
static gchar *
find_ffmpeg (void)
{
  gchar *ffmpeg = g_find_program_in_path ("ffmpeg");

  if (ffmpeg == NULL)
    g_test_skip ("ffmpeg not installed");
  return ffmpeg;
}

/* the path of a new, empty temporary file named after @tmpl */
static gchar *
tmp_path (const gchar * tmpl)
{
  gchar *path = NULL;
  gint fd = g_file_open_tmp (tmpl, &path, NULL);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  return path;
}

/* source: NULL for any-source, else the sender's address (SSM group) */
static gchar *
write_sdp (const gchar * group, const gchar * source, guint port)
{
  gchar *sources[] = { (gchar *) source, NULL };
  GstMctxSdpLeg leg = { 0 };
  GstMctxSdpDescription d = { 0 };
  GError *error = NULL;
  gchar *text, *path;

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
  path = tmp_path ("mctx-interop-XXXXXX.sdp");
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
  gchar *ffmpeg = find_ffmpeg ();
  gchar *path, *err = NULL, *last;
  GstElement *sender;
  gint status = 0;
  guint frames = 0;
  GError *error = NULL;

  if (ffmpeg == NULL)
    return;
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

/* filesrc ! sdpdemux ! VP8 decoding of the SDP at @path, playing; @c
 * counts the decoded frames, *@sink is the counting fakesink */
static GstElement *
sdpdemux_start (const gchar * path, Count * c, GstElement ** sink)
{
  GError *error = NULL;
  gchar *desc = g_strdup_printf ("filesrc location=%s ! sdpdemux "
      "! rtpvp8depay ! vp8dec ! fakesink name=out signal-handoffs=true "
      "sync=false", path);
  GstElement *rx = gst_parse_launch (desc, &error);

  g_assert_no_error (error);
  g_free (desc);
  *sink = gst_bin_get_by_name (GST_BIN (rx), "out");
  c->loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (*sink, "handoff", G_CALLBACK (on_handoff), c);
  g_assert_cmpint (gst_element_set_state (rx, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  return rx;
}

/* runs @c's loop until enough frames or 20 s */
static void
sdpdemux_run (Count * c)
{
  GSource *timeout = g_timeout_source_new_seconds (20);

  g_source_set_callback (timeout, give_up, c->loop, NULL);
  g_source_attach (timeout, NULL);
  g_main_loop_run (c->loop);
  g_source_destroy (timeout);
  g_source_unref (timeout);
}

static void
test_sdpdemux (void)
{
  GstElement *sender, *rx, *sink;
  gchar *path;
  Count c = { 0 };

  if (!gst_element_factory_find ("sdpdemux")) {
    g_test_skip ("sdpdemux not installed");
    return;
  }
  path = write_sdp (GROUP, NULL, 5010);
  rx = sdpdemux_start (path, &c, &sink);
  sender = start_sender (GROUP, NULL, 5010);

  sdpdemux_run (&c);
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

/* ---- the elements' own SDP (issue #15) ---- */

/* the frames sent by the element tests below: 3 s at 30 fps, a key frame
 * every GOP frames (the first GOP may be missed by a receiver) */
#define SENT 90
#define GOP 10

/* whether this namespace's /proc/net/igmp has a membership of @group */
static gboolean
group_joined (const gchar * group)
{
  gchar *igmp = NULL, *hex;
  guint32 raw;
  gboolean res;

  g_assert_cmpint (inet_pton (AF_INET, group, &raw), ==, 1);
  /* the kernel prints the address as a host-order %08X of its bytes */
  hex = g_strdup_printf ("%08X", raw);
  g_assert_true (g_file_get_contents ("/proc/net/igmp", &igmp, NULL, NULL));
  res = strstr (igmp, hex) != NULL;
  g_free (igmp);
  g_free (hex);
  return res;
}

/* polls @cond (bounded by @timeout_s): for things another process does */
static gboolean
wait_until (gboolean (*cond) (gconstpointer), gconstpointer data,
    guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (!cond (data)) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (10 * 1000);
  }
  return TRUE;
}

static gboolean
joined_cond (gconstpointer group)
{
  return group_joined (group);
}

static GstMessage *
wait_bus (GstElement * p, GstMessageType types, guint timeout_s)
{
  GstBus *bus = gst_element_get_bus (p);
  GstMessage *m = gst_bus_timed_pop_filtered (bus,
      timeout_s * GST_SECOND, types);

  gst_object_unref (bus);
  return m;
}

/* the last "frame=N" of ffmpeg's progress output */
static guint
ffmpeg_frames (const gchar * err)
{
  const gchar *last = err ? g_strrstr (err, "frame=") : NULL;

  if (last == NULL)
    return 0;
  return (guint) strtoul (last + 6 + strspn (last + 6, " "), NULL, 10);
}

/* ffmpeg decodes the stream described by the file mctxsink's sdp-location
 * wrote: it joins before the first frame is sent (the sender prerolls,
 * which negotiates caps and writes the file, and only plays once ffmpeg's
 * membership is in /proc/net/igmp); all SENT frames decoded, or at least
 * those after the first GOP */
static void
test_ffmpeg_sink_sdp_location (void)
{
  gchar *ffmpeg = find_ffmpeg ();
  gchar *path, *desc, *out_path, *err = NULL;
  GError *error = NULL;
  GstElement *sender;
  GstMessage *m;
  GPid pid;
  gint status = 0;
  guint frames;
  gint64 end;

  if (ffmpeg == NULL)
    return;
  path = tmp_path ("mctx-interop-sink-XXXXXX.sdp");
  g_unlink (path);
  desc = g_strdup_printf ("videotestsrc num-buffers=" G_STRINGIFY (SENT)
      " ! video/x-raw,width=160,height=120,framerate=30/1 "
      "! vp8enc deadline=1 keyframe-max-dist=" G_STRINGIFY (GOP)
      " ! rtpvp8pay pt=96 ! mctxsink address=239.255.10.21 port=5050 "
      "sync=true sdp-location=%s session-name=ffmpeg-interop", path);
  sender = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_free (desc);
  gst_element_set_state (sender, GST_STATE_PAUSED);
  m = wait_bus (sender, GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR, 20);
  g_assert_nonnull (m);
  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_ASYNC_DONE);
  gst_message_unref (m);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  out_path = tmp_path ("mctx-interop-ffmpeg-XXXXXX.log");
  {
    /* -fps_mode passthrough: count decoded frames, none duplicated */
    gchar *cmd = g_strdup_printf ("exec timeout 40 %s -hide_banner -nostdin "
        "-protocol_whitelist file,udp,rtp -i %s -fps_mode passthrough "
        "-frames:v %d -f null - 2>%s", ffmpeg, path, SENT, out_path);
    const gchar *argv[] = { "/bin/sh", "-c", cmd, NULL };

    g_assert_true (g_spawn_async (NULL, (gchar **) argv, NULL,
            G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
    g_assert_no_error (error);
    g_free (cmd);
  }
  g_assert_true (wait_until (joined_cond, "239.255.10.21", 20));

  gst_element_set_state (sender, GST_STATE_PLAYING);
  m = wait_bus (sender, GST_MESSAGE_EOS | GST_MESSAGE_ERROR, 30);
  g_assert_nonnull (m);
  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_EOS);
  gst_message_unref (m);
  stop (sender);

  /* ffmpeg ends by itself once it decoded SENT frames; if it lost some it
   * waits for more: end it (SIGINT: it prints its count) */
  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (waitpid (pid, &status, WNOHANG) == 0) {
    if (g_get_monotonic_time () > end) {
      kill (pid, SIGINT);
      waitpid (pid, &status, 0);
      break;
    }
    g_usleep (20 * 1000);
  }
  g_spawn_close_pid (pid);
  g_assert_true (g_file_get_contents (out_path, &err, NULL, NULL));
  frames = ffmpeg_frames (err);
  g_test_message ("ffmpeg decoded %u of %d frames from mctxsink's SDP",
      frames, SENT);
  if (frames != SENT)
    g_test_message ("ffmpeg said:\n%s", err);
  g_assert_cmpuint (frames, >=, SENT - GOP);
  g_assert_cmpuint (frames, <=, SENT);

  g_unlink (out_path);
  g_unlink (path);
  g_free (out_path);
  g_free (path);
  g_free (err);
  g_free (ffmpeg);
}

typedef struct
{
  gint frames;                  /* atomic */
} Counter;

static void
count_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad, Counter * c)
{
  g_atomic_int_inc (&c->frames);
}

static gboolean
counted_all (gconstpointer data)
{
  return g_atomic_int_get (&((Counter *) data)->frames) >= SENT;
}

static gchar *
ffmpeg_send_argv (const gchar * ffmpeg, const gchar * sdp, guint n)
{
  return g_strdup_printf ("exec timeout 30 %s -hide_banner -nostdin "
      "-loglevel error -re -f lavfi -i testsrc=size=160x120:rate=30 "
      "-frames:v %u -c:v libvpx -deadline realtime -g %d -f rtp "
      "-sdp_file %s rtp://239.255.10.22:5060?ttl=1", ffmpeg, n, GOP, sdp);
}

static void
run_sh (const gchar * cmd)
{
  const gchar *argv[] = { "/bin/sh", "-c", cmd, NULL };
  GError *error = NULL;
  gchar *err = NULL;
  gint status;

  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, 0, NULL, NULL,
          NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("'%s' said:\n%s", cmd, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_free (err);
}

/* mctxsrc sdp= receives ffmpeg's RTP sender from the SDP ffmpeg wrote
 * (-sdp_file: session-level c=IN IP4 group/ttl, a=tool, b=AS): a first
 * ffmpeg run of one frame writes the SDP, the receiver starts from it, a
 * second, identical run sends SENT frames, which vp8dec decodes */
static void
test_ffmpeg_sender_to_mctxsrc (void)
{
  gchar *ffmpeg = find_ffmpeg ();
  gchar *path, *cmd, *desc, *text = NULL;
  GError *error = NULL;
  GstElement *rx, *src, *sink;
  Counter c = { 0 };
  GstCaps *caps;

  if (ffmpeg == NULL)
    return;
  path = tmp_path ("mctx-interop-ffmpeg-XXXXXX.sdp");
  cmd = ffmpeg_send_argv (ffmpeg, path, 1);
  run_sh (cmd);
  g_free (cmd);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_test_message ("ffmpeg's SDP:\n%s", text);
  g_assert_nonnull (strstr (text, "c=IN IP4 239.255.10.22/1"));

  desc = g_strdup_printf ("mctxsrc name=src sdp=%s ! rtpvp8depay "
      "! vp8dec ! fakesink name=out signal-handoffs=true sync=false", path);
  rx = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_free (desc);
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  sink = gst_bin_get_by_name (GST_BIN (rx), "out");
  g_signal_connect (sink, "handoff", G_CALLBACK (count_handoff), &c);
  g_object_get (src, "caps", &caps, NULL);
  g_assert_nonnull (caps);
  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure (caps,
              0), "encoding-name"), ==, "VP8");
  gst_caps_unref (caps);
  /* mctxsrc joins in its start, before set_state returns */
  g_assert_cmpint (gst_element_set_state (rx, GST_STATE_PLAYING), !=,
      GST_STATE_CHANGE_FAILURE);
  g_assert_true (group_joined ("239.255.10.22"));

  cmd = ffmpeg_send_argv (ffmpeg, path, SENT);
  run_sh (cmd);
  g_free (cmd);
  /* the last datagrams are on lo already; bounded for a lossy run */
  wait_until (counted_all, &c, 5);
  g_test_message ("mctxsrc + vp8dec decoded %d of %d frames ffmpeg sent",
      g_atomic_int_get (&c.frames), SENT);
  g_assert_cmpint (g_atomic_int_get (&c.frames), >=, SENT - GOP);
  g_assert_cmpint (g_atomic_int_get (&c.frames), <=, SENT);

  stop (rx);
  gst_object_unref (src);
  gst_object_unref (sink);
  g_unlink (path);
  g_free (path);
  g_free (text);
  g_free (ffmpeg);
}

static void
on_added (MctxSapListener * l, MctxSapSession * s, MctxSapSession ** out)
{
  if (*out == NULL)
    *out = mctx_sap_session_copy (s);
}

static gboolean
flag_up (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* mctxsink announce=true: a SAP listener gets the SDP, which parses back
 * to the stream (group, port, VP8 caps) and which sdpdemux plays */
static void
test_sdpdemux_announced (void)
{
  const gchar *lo[] = { "lo", NULL };
  MctxSapListener *l;
  MctxSapSession *s = NULL;
  GstMctxSdpStream stream = { 0 };
  GstElement *sender, *rx, *sink;
  GError *error = NULL;
  gchar *path, *desc;
  Count c = { 0 };
  gboolean out = FALSE;
  guint id;

  if (!gst_element_factory_find ("sdpdemux")) {
    g_test_skip ("sdpdemux not installed");
    return;
  }
  l = g_object_new (MCTX_TYPE_SAP_LISTENER, "interfaces", lo, NULL);
  g_signal_connect (l, "session-added", G_CALLBACK (on_added), &s);
  g_assert_true (mctx_sap_listener_start (l, &error));
  g_assert_no_error (error);

  desc = g_strdup ("videotestsrc is-live=true num-buffers=600 "
      "! video/x-raw,width=160,height=120,framerate=30/1 "
      "! vp8enc deadline=1 keyframe-max-dist=5 ! rtpvp8pay pt=96 "
      "! mctxsink address=239.255.10.23 port=5070 interface=lo "
      "announce=true announce-interval=1 session-name=announced-vp8");
  sender = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_free (desc);
  gst_element_set_state (sender, GST_STATE_PLAYING);

  id = g_timeout_add_seconds (10, flag_up, &out);
  while (s == NULL && !out)
    g_main_context_iteration (NULL, TRUE);
  if (!out)
    g_source_remove (id);
  g_assert_nonnull (s);
  g_test_message ("announced SDP:\n%s", s->sdp);
  g_assert_cmpstr (s->name, ==, "announced-vp8");
  g_assert_true (gst_mctx_sdp_parse (s->sdp, NULL, &stream, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (stream.leg[0].group, ==, "239.255.10.23");
  g_assert_cmpuint (stream.leg[0].port, ==, 5070);
  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure
          (stream.leg[0].caps, 0), "encoding-name"), ==, "VP8");
  gst_mctx_sdp_stream_clear (&stream);

  path = tmp_path ("mctx-interop-sap-XXXXXX.sdp");
  g_assert_true (g_file_set_contents (path, s->sdp, -1, NULL));
  rx = sdpdemux_start (path, &c, &sink);
  sdpdemux_run (&c);
  g_test_message ("sdpdemux (announced SDP): %d frames decoded",
      g_atomic_int_get (&c.frames));
  g_assert_cmpint (g_atomic_int_get (&c.frames), >=, FRAMES);

  stop (rx);
  stop (sender);
  gst_object_unref (sink);
  g_main_loop_unref (c.loop);
  mctx_sap_session_free (s);
  mctx_sap_listener_stop (l);
  g_object_unref (l);
  g_unlink (path);
  g_free (path);
}

/* gst_init() after the private namespace (mctx_test_main) */
static void
setup (void)
{
  gst_init (NULL, NULL);
}

static const MctxTestCase tests[] = {
  {"/sdp-interop/ffmpeg", test_ffmpeg},
  {"/sdp-interop/ffmpeg-ssm", test_ffmpeg_ssm},
  {"/sdp-interop/sdpdemux", test_sdpdemux},
  {"/sdp-interop/describer-announce", test_describer_announce},
  {"/sdp-interop/ffmpeg-sink-sdp-location", test_ffmpeg_sink_sdp_location},
  {"/sdp-interop/ffmpeg-sender-to-mctxsrc", test_ffmpeg_sender_to_mctxsrc},
  {"/sdp-interop/sdpdemux-announced", test_sdpdemux_announced},
};

MCTX_TEST_MAIN (setup, tests)
