/* mctxsrc's sdp/sdp-media and mctxsink's sdp-location, sdp, announce,
 * session-name, announce-interval (issue #15), in a private network
 * namespace: properties set from an SDP and overridden after it, media
 * selection, bad SDPs failing start with the property and the field named,
 * the sink's SDP (property, file, version bump on new caps, unwritable
 * location), its SAP announcements (interval, deletion at stop, an SDP that
 * reads back to the stream), and the round trip sink SDP -> mctxsrc sdp=,
 * with a DUP pair when both elements have redundant-uri.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <glib/gstdio.h>
#include <string.h>

#define RTP_CAPS "application/x-rtp,media=(string)video,clock-rate=(int)90000," \
  "encoding-name=(string)VP8,payload=(int)96"

static const gchar *sdp_two_media =
    "v=0\r\no=- 7 1 IN IP4 10.99.0.1\r\ns=two\r\nt=0 0\r\n"
    "m=video 5100 RTP/AVP 96\r\nc=IN IP4 239.255.60.1/4\r\n"
    "a=rtpmap:96 VP8/90000\r\na=mid:v\r\n"
    "m=audio 5102 RTP/AVP 97\r\nc=IN IP4 239.255.60.2/4\r\n"
    "a=rtpmap:97 L16/48000/2\r\na=mid:a\r\n";

static gchar *
write_tmp (const gchar * text)
{
  gchar *path = NULL;
  gint fd = g_file_open_tmp ("mctx-gst-sdp-XXXXXX.sdp", &path, NULL);

  fail_unless (fd >= 0);
  close (fd);
  if (text)
    fail_unless (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* an RTP packet (PT 96, SSRC 1) with @payload */
static GstBuffer *
rtp_packet (guint16 seq, const gchar * payload)
{
  gsize len = strlen (payload);
  guint8 *d = g_malloc0 (12 + len);

  /* timestamp: the sequence number; ssrc 1 */
  mctx_test_rtp_header (d, 96, seq, seq, 1);
  memcpy (d + 12, payload, len);
  return gst_buffer_new_wrapped (d, 12 + len);
}

/* ---- mctxsrc ---- */

GST_START_TEST (test_src_sdp_sets_properties)
{
  GstElement *src = gst_element_factory_make ("mctxsrc", NULL);
  const gchar *sdp =
      "v=0\r\no=- 1 1 IN IP4 10.99.0.1\r\ns=ssm\r\nt=0 0\r\n"
      "m=video 5090 RTP/AVP 96\r\nc=IN IP4 232.10.0.9/8\r\n"
      "a=rtpmap:96 VP8/90000\r\n"
      "a=source-filter: incl IN IP4 232.10.0.9 10.99.0.1 10.99.0.2\r\n";
  GstCaps *caps = NULL;
  GstStructure *s;
  guint port;
  gchar *path;

  g_object_set (src, "sdp", sdp, NULL);
  mctx_assert_text (src, "address", "232.10.0.9");
  g_object_get (src, "port", &port, "caps", &caps, NULL);
  fail_unless_equals_int (port, 5090);
  mctx_assert_text (src, "sources", "10.99.0.1,10.99.0.2");
  mctx_assert_text (src, "exclude-sources", NULL);
  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_has_name (s, "application/x-rtp"));
  fail_unless_equals_string (gst_structure_get_string (s, "encoding-name"),
      "VP8");
  gst_caps_unref (caps);

  /* a file, and a property set after it overrides it */
  path = write_tmp (sdp_two_media);
  g_object_set (src, "sdp", path, "port", 6000, NULL);
  mctx_assert_text (src, "address", "239.255.60.1");
  mctx_assert_text (src, "sources", NULL);
  g_object_get (src, "port", &port, NULL);
  fail_unless_equals_int (port, 6000);

  /* the second media by index and by mid; sdp-media applies again */
  g_object_set (src, "sdp-media", "1", NULL);
  mctx_assert_text (src, "address", "239.255.60.2");
  g_object_get (src, "port", &port, "caps", &caps, NULL);
  fail_unless_equals_int (port, 5102);
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (caps, 0), "encoding-name"), "L16");
  gst_caps_unref (caps);
  g_object_set (src, "sdp-media", "v", NULL);
  mctx_assert_text (src, "address", "239.255.60.1");
  /* blank is unset (stripped, as every string setting): media 0 again */
  g_object_set (src, "sdp-media", "1", NULL);
  mctx_assert_text (src, "address", "239.255.60.2");
  g_object_set (src, "sdp-media", " \t", NULL);
  mctx_assert_text (src, "address", "239.255.60.1");

  g_unlink (path);
  g_free (path);
  gst_object_unref (src);
}

GST_END_TEST;

typedef struct
{
  const gchar *sdp;             /* NULL: sdp_two_media */
  const gchar *media;
  const gchar *property;
  const gchar *needle;
} BadSdp;

#define SDP_HEAD "v=0\r\no=- 1 1 IN IP4 10.99.0.1\r\ns=bad\r\nt=0 0\r\n"
static const BadSdp bad_sdps[] = {
  {"not an sdp at all", NULL, "sdp", "is neither SDP text"},
  {"v=0\r\nthis is not sdp\r\n", NULL, "sdp", "line 2"},
  {SDP_HEAD "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      "sdp", "no connection address"},
  {SDP_HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 192.0.2.1/1\r\n"
        "a=rtpmap:96 VP8/90000\r\n", NULL, "sdp", "c=IN IP4 192.0.2.1: a "
        "unicast address"},
  {SDP_HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 232.1.1.1/1\r\n"
        "a=rtpmap:96 VP8/90000\r\n", NULL, "sdp", "group 232.1.1.1 is "
        "source-specific"},
  {SDP_HEAD "m=video 5004 TCP/RTP/AVP 96\r\nc=IN IP4 239.1.1.1/1\r\n"
        "a=rtpmap:96 VP8/90000\r\n", NULL, "sdp", "transport 'TCP/RTP/AVP'"},
  {SDP_HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 239.1.1.1/1\r\n", NULL,
      "sdp", "payload type 96 has no a=rtpmap"},
  {NULL, "2", "sdp-media", "out of range"},
  {NULL, "zz", "sdp-media", "no m= line has a=mid:zz"},
};

GST_START_TEST (test_src_bad_sdp)
{
  const BadSdp *c = &bad_sdps[__i__];
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("mctxsrc", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  gchar *prop = g_strdup_printf ("'%s'", c->property);
  guint port;

  g_object_set (sink, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipe), src, sink, NULL);
  fail_unless (gst_element_link (src, sink));
  g_object_set (src, "address", "239.9.9.9", "port", 5999, NULL);
  g_object_set (src, "sdp-media", c->media, "sdp",
      c->sdp ? c->sdp : sdp_two_media, NULL);
  /* nothing of a bad SDP is applied */
  mctx_assert_text (src, "address", "239.9.9.9");
  g_object_get (src, "port", &port, NULL);
  fail_unless_equals_int (port, 5999);

  mctx_assert_start_fails (pipe, "Invalid value for property", prop,
      c->needle, NULL);
  gst_element_set_state (pipe, GST_STATE_NULL);

  /* unsetting the SDP clears the error: the element starts again */
  g_object_set (src, "sdp", NULL, "interface", "lo", NULL);
  fail_if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
  g_free (prop);
}

GST_END_TEST;

static const gchar *sdp_dup =
    "v=0\r\no=- 9 1 IN IP4 10.99.0.1\r\ns=dup\r\nt=0 0\r\n"
    "a=group:DUP 1 2\r\n"
    "m=video 5110 RTP/AVP 96\r\nc=IN IP4 239.255.61.1/1\r\n"
    "a=rtpmap:96 VP8/90000\r\na=mid:1\r\n"
    "m=video 5112 RTP/AVP 96\r\nc=IN IP4 239.255.61.2/1\r\n"
    "a=rtpmap:96 VP8/90000\r\na=mid:2\r\n";

/* a DUP pair sets redundant-uri to the other leg */
GST_START_TEST (test_src_sdp_dup)
{
  GstElement *src = gst_element_factory_make ("mctxsrc", NULL);

  g_object_set (src, "sdp", sdp_dup, NULL);
  mctx_assert_text (src, "address", "239.255.61.1");
  mctx_assert_text (src, "redundant-uri", "mctx://239.255.61.2:5112");
  /* selecting leg 2 makes leg 1 the redundant one */
  g_object_set (src, "sdp-media", "mid:2", NULL);
  mctx_assert_text (src, "address", "239.255.61.2");
  mctx_assert_text (src, "redundant-uri", "mctx://239.255.61.1:5110");
  gst_object_unref (src);
}

GST_END_TEST;

/* ---- mctxsink ---- */

static GstHarness *
sink_harness (const gchar * props, const gchar * caps, GstBus ** bus)
{
  gchar *desc = g_strdup_printf ("mctxsink %s", props);
  GstHarness *h = gst_harness_new_parse (desc);

  fail_unless (h != NULL);
  g_free (desc);
  if (bus) {
    *bus = gst_bus_new ();
    gst_element_set_bus (h->element, *bus);
  }
  gst_harness_set_src_caps_str (h, caps);
  return h;
}

static void
harness_free (GstHarness * h, GstBus * bus)
{
  if (bus) {
    gst_element_set_bus (h->element, NULL);
    gst_bus_set_flushing (bus, TRUE);
    gst_object_unref (bus);
  }
  gst_harness_teardown (h);
}

GST_START_TEST (test_sink_sdp)
{
  gchar *path = write_tmp (NULL), *props, *sdp, *file = NULL;
  GstElement *sink;
  GstHarness *h;

  props = g_strdup_printf ("address=239.255.62.1 port=5120 ttl=3 "
      "interface=lo sdp-location=%s session-name=\"Studio A\"", path);
  g_unlink (path);
  file = g_strdup_printf ("mctxsink %s", props);
  h = gst_harness_new_parse (file);
  g_clear_pointer (&file, g_free);
  sink = mctx_harness_element (h, "mctxsink");
  fail_unless (mctx_get_text (sink, "sdp") == NULL);
  gst_harness_set_src_caps_str (h, RTP_CAPS);
  fail_unless_equals_int (gst_harness_push (h, rtp_packet (1, "a")),
      GST_FLOW_OK);

  sdp = mctx_get_text (sink, "sdp");
  fail_unless (sdp != NULL);
  GST_INFO ("SDP:\n%s", sdp);
  fail_unless (strstr (sdp, "\r\ns=Studio A\r\n") != NULL);
  fail_unless (strstr (sdp, " 1 IN IP4 10.99.0.1\r\n") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, "\r\nm=video 5120 RTP/AVP 96\r\n") != NULL);
  fail_unless (strstr (sdp, "\r\nc=IN IP4 239.255.62.1/3\r\n") != NULL);
  fail_unless (strstr (sdp, "\r\na=rtpmap:96 VP8/90000\r\n") != NULL);
  fail_unless (strstr (sdp, "source-filter") == NULL);
  fail_unless (g_file_get_contents (path, &file, NULL, NULL));
  fail_unless_equals_string (file, sdp);
  g_free (file);
  g_free (sdp);

  /* new caps: version 2, same session id, the file rewritten */
  gst_harness_set_src_caps_str (h, "application/x-rtp,media=video,"
      "clock-rate=90000,encoding-name=H264,payload=96,"
      "packetization-mode=(string)1");
  fail_unless_equals_int (gst_harness_push (h, rtp_packet (2, "b")),
      GST_FLOW_OK);
  sdp = mctx_get_text (sink, "sdp");
  fail_unless (strstr (sdp, " 2 IN IP4 10.99.0.1\r\n") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, "a=rtpmap:96 H264/90000") != NULL);
  fail_unless (strstr (sdp, "packetization-mode=1") != NULL);
  fail_unless (g_file_get_contents (path, &file, NULL, NULL));
  fail_unless_equals_string (file, sdp);
  g_free (file);
  g_free (sdp);

  gst_harness_teardown (h);
  g_unlink (path);
  g_free (path);
  g_free (props);
}

GST_END_TEST;

/* SSM: a=source-filter with the effective source */
GST_START_TEST (test_sink_sdp_ssm)
{
  GstHarness *h = sink_harness ("address=232.10.0.2 port=5122 "
      "source=10.99.0.2", RTP_CAPS, NULL);
  GstElement *sink = mctx_harness_element (h, "mctxsink");
  gchar *sdp;

  fail_unless_equals_int (gst_harness_push (h, rtp_packet (1, "a")),
      GST_FLOW_OK);
  sdp = mctx_get_text (sink, "sdp");
  fail_unless (strstr (sdp, "a=source-filter: incl IN IP4 232.10.0.2 "
          "10.99.0.2\r\n") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, " IN IP4 10.99.0.2\r\ns=mctx\r\n") != NULL);
  g_free (sdp);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* unwritable sdp-location: a warning naming it and the path; the stream
 * goes on and the sdp property is still there */
GST_START_TEST (test_sink_sdp_location_unwritable)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("address=239.255.62.3 port=5124 "
      "sdp-location=/nonexistent-dir/stream.sdp", RTP_CAPS, &bus);
  GstElement *sink = mctx_harness_element (h, "mctxsink");
  GstMessage *msg;
  gchar *sdp;

  fail_unless_equals_int (gst_harness_push (h, rtp_packet (1, "a")),
      GST_FLOW_OK);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  mctx_assert_warning_message (msg, 0, 0, "'sdp-location'",
      "/nonexistent-dir/stream.sdp", NULL);
  gst_message_unref (msg);
  fail_unless_equals_int (gst_harness_push (h, rtp_packet (2, "b")),
      GST_FLOW_OK);
  fail_unless (mctx_get_stat (sink, "packets-sent") == 2);
  sdp = mctx_get_text (sink, "sdp");
  fail_unless (sdp != NULL);
  g_free (sdp);
  harness_free (h, bus);
}

GST_END_TEST;

/* not RTP: no SDP; asked for a file, a warning says why */
GST_START_TEST (test_sink_sdp_not_rtp)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("address=239.255.62.4 port=5126 "
      "sdp-location=/tmp/never-written.sdp", "application/x-mctx-test", &bus);
  GstElement *sink = mctx_harness_element (h, "mctxsink");
  GstMessage *msg;

  mctx_tx_send (h, "x");
  fail_unless (mctx_get_text (sink, "sdp") == NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  mctx_assert_warning_message (msg, 0, 0, "not RTP caps", NULL);
  gst_message_unref (msg);
  fail_if (g_file_test ("/tmp/never-written.sdp", G_FILE_TEST_EXISTS));
  harness_free (h, bus);
}

GST_END_TEST;

/* announce-interval: 1..3600, 30 by default; out of range is refused by
 * GObject with a warning and the value stays */
GST_START_TEST (test_sink_announce_interval_range)
{
  GstElement *sink = gst_element_factory_make ("mctxsink", NULL);
  GParamSpecUInt *p = G_PARAM_SPEC_UINT (g_object_class_find_property
      (G_OBJECT_GET_CLASS (sink), "announce-interval"));
  guint v;

  fail_unless_equals_int (p->minimum, 1);
  fail_unless_equals_int (p->maximum, 3600);
  fail_unless_equals_int (p->default_value, 30);
  ASSERT_WARNING (g_object_set (sink, "announce-interval", 0, NULL));
  ASSERT_WARNING (g_object_set (sink, "announce-interval", 3601, NULL));
  g_object_get (sink, "announce-interval", &v, NULL);
  fail_unless_equals_int (v, 30);
  g_object_set (sink, "announce-interval", 3600, NULL);
  g_object_get (sink, "announce-interval", &v, NULL);
  fail_unless_equals_int (v, 3600);
  gst_object_unref (sink);
}

GST_END_TEST;

/* ---- SAP ---- */

typedef struct
{
  GPtrArray *events;            /* "session-added", ... */
  MctxSapSession *last;
} Seen;

static void
on_session (MctxSapListener * l, MctxSapSession * s, Seen * seen)
{
  g_ptr_array_add (seen->events, g_strdup (g_signal_name
          (g_signal_get_invocation_hint (l)->signal_id)));
  mctx_sap_session_free (seen->last);
  seen->last = mctx_sap_session_copy (s);
}

static gboolean
timed_out (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* runs the default context until @n events were seen (bounded) */
static void
wait_events (Seen * seen, guint n, guint timeout_s)
{
  gboolean out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, timed_out, &out);

  while (seen->events->len < n && !out)
    g_main_context_iteration (NULL, TRUE);
  if (!out)
    g_source_remove (id);
  fail_unless (seen->events->len >= n, "%u SAP events in %u s, expected %u",
      seen->events->len, timeout_s, n);
}

static MctxSapListener *
listener_new (Seen * seen)
{
  const gchar *lo[] = { "lo", NULL };
  MctxSapListener *l = g_object_new (MCTX_TYPE_SAP_LISTENER, "interfaces",
      lo, NULL);
  GError *error = NULL;

  seen->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (l, "session-added", G_CALLBACK (on_session), seen);
  g_signal_connect (l, "session-updated", G_CALLBACK (on_session), seen);
  g_signal_connect (l, "session-removed", G_CALLBACK (on_session), seen);
  fail_unless (mctx_sap_listener_start (l, &error), "%s",
      error ? error->message : "");
  return l;
}

static void
listener_free (MctxSapListener * l, Seen * seen)
{
  mctx_sap_listener_stop (l);
  g_object_unref (l);
  g_ptr_array_unref (seen->events);
  mctx_sap_session_free (seen->last);
}

static const gchar *
event (Seen * seen, guint i)
{
  return g_ptr_array_index (seen->events, i);
}

/* announce=true: the session appears with the sink's SDP, is heard at the
 * interval, reads back (mctxsrc sdp=) to the stream, and the deletion at
 * stop removes it */
GST_START_TEST (test_sink_announce)
{
  Seen seen = { 0 };
  MctxSapListener *l = listener_new (&seen);
  GstHarness *h = sink_harness ("address=239.255.63.1 port=5130 "
      "interface=lo announce=true announce-interval=1 session-name=sap-test",
      RTP_CAPS, NULL);
  GstElement *sink = mctx_harness_element (h, "mctxsink");
  GstElement *src;
  GPtrArray *sessions;
  gchar *sdp;
  guint port;

  fail_unless_equals_int (gst_harness_push (h, rtp_packet (1, "a")),
      GST_FLOW_OK);
  wait_events (&seen, 1, 10);
  fail_unless_equals_string (event (&seen, 0), "session-added");
  sdp = mctx_get_text (sink, "sdp");
  fail_unless_equals_string (seen.last->sdp, sdp);
  fail_unless_equals_string (seen.last->name, "sap-test");
  fail_unless_equals_string (seen.last->group, "239.255.63.1");
  fail_unless_equals_int (seen.last->port, 5130);

  /* repeats: counted on the session, not as events; 3 announcements take
   * two intervals of 0.67..1.33 s */
  {
    gboolean out = FALSE;
    guint id = g_timeout_add_seconds (8, timed_out, &out);
    MctxSapSession *s = NULL;

    while (!out) {
      sessions = mctx_sap_listener_get_sessions (l);
      fail_unless_equals_int (sessions->len, 1);
      mctx_sap_session_free (s);
      s = mctx_sap_session_copy (g_ptr_array_index (sessions, 0));
      g_ptr_array_unref (sessions);
      if (s->announcements >= 3)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
    if (!out)
      g_source_remove (id);
    fail_unless (s->announcements >= 3);
    GST_INFO ("interval %" G_GINT64_FORMAT " us", s->interval_us);
    fail_unless (s->interval_us >= 600 * 1000 && s->interval_us <= 2000 * 1000,
        "interval %" G_GINT64_FORMAT " us", s->interval_us);
    mctx_sap_session_free (s);
  }
  fail_unless_equals_int (seen.events->len, 1);

  /* the announced SDP configures a receiver for the stream */
  src = gst_element_factory_make ("mctxsrc", NULL);
  g_object_set (src, "sdp", seen.last->sdp, NULL);
  mctx_assert_text (src, "address", "239.255.63.1");
  g_object_get (src, "port", &port, NULL);
  fail_unless_equals_int (port, 5130);
  gst_object_unref (src);

  /* stop: the deletion */
  gst_harness_teardown (h);
  wait_events (&seen, 2, 10);
  fail_unless_equals_string (event (&seen, 1), "session-removed");
  sessions = mctx_sap_listener_get_sessions (l);
  fail_unless_equals_int (sessions->len, 0);
  g_ptr_array_unref (sessions);

  g_free (sdp);
  listener_free (l, &seen);
}

GST_END_TEST;

/* ---- round trips ---- */

/* mctxsink @sink_props (on lo) writes its SDP once a first packet
 * ("first") went out; mctxsrc sdp= that file then receives from it */
typedef struct
{
  gchar *path;
  GstHarness *h;
  GstElement *rx, *src;
} RoundTrip;

static void
round_trip_start (RoundTrip * rt, const gchar * sink_props)
{
  gchar *desc;

  rt->path = write_tmp (NULL);
  desc = g_strdup_printf ("mctxsink %s interface=lo sdp-location=%s",
      sink_props, rt->path);
  rt->h = gst_harness_new_parse (desc);
  g_free (desc);
  gst_harness_set_src_caps_str (rt->h, RTP_CAPS);
  fail_unless_equals_int (gst_harness_push (rt->h, rtp_packet (1, "first")),
      GST_FLOW_OK);

  desc = g_strdup_printf ("mctxsrc name=src sdp=%s interface=lo", rt->path);
  rt->rx = mctx_rx_start (desc);
  g_free (desc);
  rt->src = gst_bin_get_by_name (GST_BIN (rt->rx), "src");
}

/* sends packet @seq with @payload, asserts the next buffer mctxsrc gives is
 * it (one pull: a duplicate would only show in a later pull) */
static void
round_trip_send (RoundTrip * rt, guint16 seq, const gchar * payload)
{
  fail_unless_equals_int (gst_harness_push (rt->h, rtp_packet (seq,
              payload)), GST_FLOW_OK);
  mctx_rx_expect_payload (rt->rx, 12, payload);
}

static void
round_trip_stop (RoundTrip * rt)
{
  gst_object_unref (rt->src);
  mctx_pipeline_stop (rt->rx);
  gst_harness_teardown (rt->h);
  g_unlink (rt->path);
  g_free (rt->path);
}

GST_START_TEST (test_round_trip)
{
  RoundTrip rt;
  GstCaps *caps;

  round_trip_start (&rt, "address=239.255.64.1 port=5140");
  g_object_get (rt.src, "caps", &caps, NULL);
  fail_unless (caps != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (caps, 0), "encoding-name"), "VP8");
  gst_caps_unref (caps);
  round_trip_send (&rt, 2, "second");
  round_trip_stop (&rt);
}

GST_END_TEST;

/* both legs: the sink's SDP has a=group:DUP, mctxsrc sdp= sets the second
 * leg, and each packet arrives once (the ST 2022-7 merge) */
GST_START_TEST (test_round_trip_dup)
{
  RoundTrip rt;
  gchar *sdp;

  round_trip_start (&rt, "address=239.255.65.1 port=5150 "
      "redundant-uri=mctx://239.255.65.2:5152?interface=lo");
  sdp = mctx_get_text (mctx_harness_element (rt.h, "mctxsink"), "sdp");
  fail_unless (strstr (sdp, "a=group:DUP 1 2\r\n") != NULL, "%s", sdp);
  fail_unless (strstr (sdp, "c=IN IP4 239.255.65.2/1\r\n") != NULL, "%s", sdp);
  g_free (sdp);
  mctx_assert_text (rt.src, "redundant-uri", "mctx://239.255.65.2:5152");

  round_trip_send (&rt, 2, "two");
  round_trip_send (&rt, 3, "three");
  mctx_rx_expect_nothing (rt.rx);
  round_trip_stop (&rt);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_src_sdp_sets_properties),
  MCTX_CHECK_LOOP (test_src_bad_sdp, G_N_ELEMENTS (bad_sdps)),
  MCTX_CHECK_TEST (test_src_sdp_dup),
  MCTX_CHECK_TEST (test_sink_sdp),
  MCTX_CHECK_TEST (test_sink_sdp_ssm),
  MCTX_CHECK_TEST (test_sink_sdp_location_unwritable),
  MCTX_CHECK_TEST (test_sink_sdp_not_rtp),
  MCTX_CHECK_TEST (test_sink_announce_interval_range),
  MCTX_CHECK_TEST (test_sink_announce),
  MCTX_CHECK_TEST (test_round_trip),
  MCTX_CHECK_TEST (test_round_trip_dup),
};

MCTX_CHECK_MAIN (NULL, "mctx-sdp-elements", 60, tests)
