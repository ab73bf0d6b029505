/* SDP parse and build (gst/gstmctxsdp.c): the fields mctxsrc takes from an
 * SDP, the errors for bad SDPs, and the SDP mctxsink writes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <glib/gstdio.h>
#include <mctx.h>
#include <string.h>
#include "gstmctxsdp.h"
#include "gstmctxdescribe.h"

#define HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=test\r\nt=0 0\r\n"

static void
parse_ok (const gchar * text, const gchar * sel, GstMctxSdpStream * out)
{
  GError *error = NULL;

  if (!gst_mctx_sdp_parse (text, sel, out, &error))
    g_error ("unexpected: %s\nSDP:\n%s", error->message, text);
}

/* the parse fails with code and a message containing every needle */
static void
parse_fails (const gchar * text, const gchar * sel, gint code,
    const gchar * first_needle, ...)
{
  GstMctxSdpStream out;
  GError *error = NULL;
  const gchar *needle;
  va_list ap;

  g_assert_false (gst_mctx_sdp_parse (text, sel, &out, &error));
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_true (error->domain == MCTX_ERROR);
  g_assert_cmpint (error->code, ==, code);
  va_start (ap, first_needle);
  for (needle = first_needle; needle; needle = va_arg (ap, const gchar *))
    if (strstr (error->message, needle) == NULL)
      g_error ("'%s' not in the error '%s'", needle, error->message);
  va_end (ap);
  /* nothing is left set on failure */
  g_assert_null (out.leg[0].group);
  g_assert_null (out.leg[0].caps);
  g_error_free (error);
}

static void
test_parse_basic (void)
{
  GstMctxSdpStream s;
  GstStructure *st;

  parse_ok (HEAD "c=IN IP4 239.1.2.3/16\r\n"
      "m=video 5004 RTP/AVP 96\r\n"
      "a=rtpmap:96 H264/90000\r\n"
      "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\n", NULL, &s);
  g_assert_cmpstr (s.leg[0].group, ==, "239.1.2.3");
  g_assert_cmpuint (s.leg[0].port, ==, 5004);
  g_assert_cmpint (s.leg[0].ttl, ==, 16);
  g_assert_null (s.leg[0].sources);
  g_assert_false (s.has_redundant);
  g_assert_cmpstr (s.session_name, ==, "test");
  g_assert_cmpstr (s.origin_address, ==, "192.0.2.10");
  st = gst_caps_get_structure (s.leg[0].caps, 0);
  g_assert_cmpstr (gst_structure_get_name (st), ==, "application/x-rtp");
  g_assert_cmpstr (gst_structure_get_string (st, "encoding-name"), ==, "H264");
  g_assert_cmpstr (gst_structure_get_string (st, "media"), ==, "video");
  g_assert_cmpstr (gst_structure_get_string (st, "packetization-mode"), ==,
      "1");
  {
    gint pt, rate;

    g_assert_true (gst_structure_get_int (st, "payload", &pt));
    g_assert_true (gst_structure_get_int (st, "clock-rate", &rate));
    g_assert_cmpint (pt, ==, 96);
    g_assert_cmpint (rate, ==, 90000);
  }
  gst_mctx_sdp_stream_clear (&s);

  /* IPv6: no TTL in c=; media-level c= wins over the session's */
  parse_ok (HEAD "c=IN IP4 239.9.9.9/1\r\n"
      "m=audio 5006 RTP/AVP 97\r\n"
      "c=IN IP6 ff0e::101\r\n" "a=rtpmap:97 L24/48000/2\r\n", NULL, &s);
  g_assert_cmpstr (s.leg[0].group, ==, "ff0e::101");
  g_assert_cmpint (s.leg[0].ttl, ==, -1);
  g_assert_cmpuint (s.leg[0].port, ==, 5006);
  gst_mctx_sdp_stream_clear (&s);

  /* a static payload type needs no rtpmap */
  parse_ok (HEAD "c=IN IP4 239.1.1.1/1\r\nm=video 1234 RTP/AVP 33\r\n",
      NULL, &s);
  st = gst_caps_get_structure (s.leg[0].caps, 0);
  g_assert_cmpstr (gst_structure_get_name (st), ==, "application/x-rtp");
  gst_mctx_sdp_stream_clear (&s);
}

static void
test_parse_file (void)
{
  GstMctxSdpStream s;
  gchar *path;
  gint fd;

  fd = g_file_open_tmp ("mctx-sdp-XXXXXX.sdp", &path, NULL);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_set_contents (path, HEAD "c=IN IP4 239.1.1.7/4\r\n"
          "m=video 6000 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", -1, NULL));
  parse_ok (path, NULL, &s);
  g_assert_cmpstr (s.leg[0].group, ==, "239.1.1.7");
  g_assert_cmpuint (s.leg[0].port, ==, 6000);
  gst_mctx_sdp_stream_clear (&s);
  g_unlink (path);
  parse_fails (path, NULL, MCTX_ERROR_INVALID_VALUE, path,
      "neither SDP text", NULL);
  g_free (path);
}

static void
test_parse_ssm (void)
{
  GstMctxSdpStream s;

  parse_ok (HEAD "m=video 5004 RTP/AVP 96\r\n"
      "c=IN IP4 232.1.1.1/32\r\n"
      "a=source-filter: incl IN IP4 232.1.1.1 192.0.2.10 192.0.2.11\r\n"
      "a=rtpmap:96 raw/90000\r\n", NULL, &s);
  g_assert_cmpstr (s.leg[0].group, ==, "232.1.1.1");
  g_assert_nonnull (s.leg[0].sources);
  g_assert_cmpuint (g_strv_length (s.leg[0].sources), ==, 2);
  g_assert_cmpstr (s.leg[0].sources[0], ==, "192.0.2.10");
  g_assert_cmpstr (s.leg[0].sources[1], ==, "192.0.2.11");
  gst_mctx_sdp_stream_clear (&s);

  /* session-level filter with a wildcard destination; IPv6 SSM */
  parse_ok (HEAD "a=source-filter: incl IN IP6 * 2001:db8::1\r\n"
      "m=video 5004 RTP/AVP 96\r\nc=IN IP6 ff3e::8000:1\r\n"
      "a=rtpmap:96 VP8/90000\r\n", NULL, &s);
  g_assert_cmpstr (s.leg[0].sources[0], ==, "2001:db8::1");
  gst_mctx_sdp_stream_clear (&s);

  /* a filter for another destination does not count */
  parse_fails (HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 232.1.1.1/32\r\n"
      "a=source-filter: incl IN IP4 232.9.9.9 192.0.2.10\r\n"
      "a=rtpmap:96 VP8/90000\r\n", NULL, MCTX_ERROR_SSM_NEEDS_SOURCES,
      "232.1.1.1", "source-specific", "a=source-filter", NULL);

  /* exclude filters on an any-source group */
  parse_ok (HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 239.1.1.1/32\r\n"
      "a=source-filter: excl IN IP4 239.1.1.1 192.0.2.66\r\n"
      "a=rtpmap:96 VP8/90000\r\n", NULL, &s);
  g_assert_null (s.leg[0].sources);
  g_assert_cmpstr (s.leg[0].exclude_sources[0], ==, "192.0.2.66");
  gst_mctx_sdp_stream_clear (&s);

  parse_fails (HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 232.1.1.1/32\r\n"
      "a=source-filter: incl IN IP4 232.1.1.1 239.0.0.1\r\n"
      "a=rtpmap:96 VP8/90000\r\n", NULL, MCTX_ERROR_INVALID_SOURCE,
      "source-filter", "239.0.0.1", NULL);
  parse_fails (HEAD "m=video 5004 RTP/AVP 96\r\nc=IN IP4 232.1.1.1/32\r\n"
      "a=source-filter: both IN IP4 232.1.1.1 192.0.2.1\r\n"
      "a=rtpmap:96 VP8/90000\r\n", NULL, MCTX_ERROR_INVALID_VALUE,
      "a=source-filter: both", "incl|excl", NULL);
}

#define DUP_SDP HEAD "a=group:DUP 1 2\r\n" \
  "m=video 5004 RTP/AVP 96\r\nc=IN IP4 239.1.1.1/8\r\n" \
  "a=rtpmap:96 VP8/90000\r\na=mid:1\r\n" \
  "m=video 5006 RTP/AVP 96\r\nc=IN IP4 239.2.2.2/8\r\n" \
  "a=rtpmap:96 VP8/90000\r\na=mid:2\r\n"

static void
test_parse_dup (void)
{
  GstMctxSdpStream s;

  parse_ok (DUP_SDP, NULL, &s);
  g_assert_true (s.has_redundant);
  g_assert_cmpstr (s.leg[0].group, ==, "239.1.1.1");
  g_assert_cmpuint (s.leg[0].port, ==, 5004);
  g_assert_cmpstr (s.leg[0].mid, ==, "1");
  g_assert_cmpstr (s.leg[1].group, ==, "239.2.2.2");
  g_assert_cmpuint (s.leg[1].port, ==, 5006);
  g_assert_cmpstr (s.leg[1].mid, ==, "2");
  g_assert_nonnull (s.leg[1].caps);
  gst_mctx_sdp_stream_clear (&s);

  /* selecting the second leg makes the first the redundant one */
  parse_ok (DUP_SDP, "1", &s);
  g_assert_cmpstr (s.leg[0].mid, ==, "2");
  g_assert_cmpstr (s.leg[1].mid, ==, "1");
  gst_mctx_sdp_stream_clear (&s);
  /* digits are an index; "mid:" names a mid of digits */
  parse_ok (DUP_SDP, "mid:2", &s);
  g_assert_cmpstr (s.leg[0].mid, ==, "2");
  g_assert_cmpuint (s.leg[0].port, ==, 5006);
  gst_mctx_sdp_stream_clear (&s);

  parse_fails (HEAD "a=group:DUP 1 7\r\n"
      "m=video 5004 RTP/AVP 96\r\nc=IN IP4 239.1.1.1/8\r\n"
      "a=rtpmap:96 VP8/90000\r\na=mid:1\r\n", NULL,
      MCTX_ERROR_INVALID_VALUE, "a=group:DUP", "'7'", NULL);
}

#define MULTI_SDP HEAD "c=IN IP4 239.1.1.1/8\r\n" \
  "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=mid:v\r\n" \
  "m=audio 5006 RTP/AVP 97\r\na=rtpmap:97 OPUS/48000/2\r\na=mid:a\r\n"

static void
test_parse_select (void)
{
  GstMctxSdpStream s;
  GstStructure *st;

  parse_ok (MULTI_SDP, NULL, &s);
  g_assert_cmpuint (s.leg[0].port, ==, 5004);
  g_assert_cmpuint (s.leg[0].media_index, ==, 0);
  g_assert_false (s.has_redundant);
  gst_mctx_sdp_stream_clear (&s);

  parse_ok (MULTI_SDP, "1", &s);
  g_assert_cmpuint (s.leg[0].port, ==, 5006);
  g_assert_cmpuint (s.leg[0].media_index, ==, 1);
  st = gst_caps_get_structure (s.leg[0].caps, 0);
  g_assert_cmpstr (gst_structure_get_string (st, "encoding-name"), ==, "OPUS");
  gst_mctx_sdp_stream_clear (&s);

  parse_ok (MULTI_SDP, "a", &s);
  g_assert_cmpuint (s.leg[0].port, ==, 5006);
  g_assert_cmpstr (s.leg[0].mid, ==, "a");
  gst_mctx_sdp_stream_clear (&s);

  parse_ok (MULTI_SDP, "v", &s);
  g_assert_cmpuint (s.leg[0].port, ==, 5004);
  gst_mctx_sdp_stream_clear (&s);

  parse_fails (MULTI_SDP, "2", MCTX_ERROR_INVALID_VALUE, "sdp-media 2",
      "out of range", "2 media", NULL);
  parse_fails (MULTI_SDP, "x", MCTX_ERROR_INVALID_VALUE, "sdp-media 'x'",
      "a=mid:x", "v, a", NULL);
}

static void
test_parse_errors (void)
{
  parse_fails ("", NULL, MCTX_ERROR_INVALID_VALUE, "sdp: empty", NULL);
  parse_fails ("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\nthis is not sdp\r\n",
      NULL, MCTX_ERROR_INVALID_VALUE, "line 3", "this is not sdp", NULL);
  parse_fails ("v=1\r\ns=x\r\n", NULL, MCTX_ERROR_INVALID_VALUE, "line 1",
      "v=0", NULL);
  parse_fails (HEAD, NULL, MCTX_ERROR_INVALID_VALUE, "no media", NULL);
  /* no c= anywhere */
  parse_fails (HEAD "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n",
      NULL, MCTX_ERROR_INVALID_ADDRESS, "media 0", "m=video 5004",
      "no connection address", "c=", NULL);
  /* unicast */
  parse_fails (HEAD "c=IN IP4 192.0.2.1\r\n"
      "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_NOT_MULTICAST, "c=IN IP4 192.0.2.1", "unicast", NULL);
  parse_fails (HEAD "c=IN IP4 not-an-address/3\r\n"
      "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_INVALID_ADDRESS, "not-an-address", NULL);
  parse_fails (HEAD "c=IN IP6 239.1.1.1\r\n"
      "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_NOT_MULTICAST, "address type", NULL);
  /* SSM group without a filter */
  parse_fails (HEAD "c=IN IP4 232.1.1.1/4\r\n"
      "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_SSM_NEEDS_SOURCES, "232.1.1.1", "a=source-filter", NULL);
  /* transports */
  parse_fails (HEAD "c=IN IP4 239.1.1.1/4\r\n"
      "m=video 5004 TCP/RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_INVALID_VALUE, "transport 'TCP/RTP/AVP'", "m=video", NULL);
  parse_fails (HEAD "c=IN IP4 239.1.1.1/4\r\n"
      "m=video 5004 RTP/SAVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_INVALID_VALUE, "RTP/SAVP", NULL);
  /* ports */
  parse_fails (HEAD "c=IN IP4 239.1.1.1/4\r\n"
      "m=video 0 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_INVALID_PORT, "port 0", NULL);
  parse_fails (HEAD "c=IN IP4 239.1.1.1/4\r\n"
      "m=video 5004/2 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_INVALID_PORT, "2 ports", NULL);
  parse_fails (HEAD "c=IN IP4 239.1.1.1/4/3\r\n"
      "m=video 5004 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n", NULL,
      MCTX_ERROR_INVALID_ADDRESS, "3 addresses", NULL);
  /* dynamic payload type without rtpmap */
  parse_fails (HEAD "c=IN IP4 239.1.1.1/4\r\nm=video 5004 RTP/AVP 96\r\n",
      NULL, MCTX_ERROR_INVALID_VALUE, "payload type 96", "a=rtpmap", NULL);
}

static GstCaps *
vp8_caps (void)
{
  return gst_caps_from_string ("application/x-rtp, media=(string)video, "
      "clock-rate=(int)90000, encoding-name=(string)VP8, payload=(int)96, "
      "ssrc=(uint)12345, timestamp-offset=(uint)1, seqnum-offset=(uint)2");
}

static GstSDPMessage *
parse_message (const gchar * text)
{
  GstSDPMessage *msg;

  gst_sdp_message_new (&msg);
  g_assert_cmpint (gst_sdp_message_parse_buffer ((const guint8 *) text,
          strlen (text), msg), ==, GST_SDP_OK);
  return msg;
}

static void
test_build_one (void)
{
  GstMctxSdpLeg leg = { 0 };
  GstMctxSdpDescription d = { 0 };
  GstSDPMessage *msg;
  const GstSDPMedia *m;
  const GstSDPConnection *c;
  const GstSDPOrigin *o;
  GstMctxSdpStream back;
  gchar *text;

  leg.group = (gchar *) "239.10.0.1";
  leg.port = 5004;
  leg.ttl = 8;
  leg.caps = vp8_caps ();
  d.session_name = "camera one";
  d.origin_address = "192.0.2.10";
  d.session_id = 3900000000u;
  d.session_version = 7;
  d.legs = &leg;
  d.n_legs = 1;
  text = gst_mctx_sdp_build (&d, NULL);
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  /* the wire form: CRLF lines, c= with group/ttl */
  g_assert_nonnull (strstr (text, "c=IN IP4 239.10.0.1/8\r\n"));
  g_assert_nonnull (strstr (text, "s=camera one\r\n"));
  g_assert_nonnull (strstr (text, "o=- 3900000000 7 IN IP4 192.0.2.10\r\n"));
  g_assert_null (strstr (text, "ssrc"));
  g_assert_null (strstr (text, "a=group"));

  msg = parse_message (text);
  o = gst_sdp_message_get_origin (msg);
  g_assert_cmpstr (o->sess_id, ==, "3900000000");
  g_assert_cmpstr (o->sess_version, ==, "7");
  g_assert_cmpstr (o->addr, ==, "192.0.2.10");
  g_assert_cmpuint (gst_sdp_message_medias_len (msg), ==, 1);
  m = gst_sdp_message_get_media (msg, 0);
  g_assert_cmpstr (gst_sdp_media_get_media (m), ==, "video");
  g_assert_cmpstr (gst_sdp_media_get_proto (m), ==, "RTP/AVP");
  g_assert_cmpuint (gst_sdp_media_get_port (m), ==, 5004);
  g_assert_cmpstr (gst_sdp_media_get_attribute_val (m, "rtpmap"), ==,
      "96 VP8/90000");
  c = gst_sdp_media_get_connection (m, 0);
  g_assert_cmpstr (c->address, ==, "239.10.0.1");
  g_assert_cmpuint (c->ttl, ==, 8);
  gst_sdp_message_free (msg);

  /* and mctxsrc's parser reads back what mctxsink wrote */
  parse_ok (text, NULL, &back);
  g_assert_cmpstr (back.leg[0].group, ==, "239.10.0.1");
  g_assert_cmpint (back.leg[0].ttl, ==, 8);
  g_assert_cmpstr (back.session_name, ==, "camera one");
  g_assert_cmpstr (gst_structure_get_string (gst_caps_get_structure
          (back.leg[0].caps, 0), "encoding-name"), ==, "VP8");
  gst_mctx_sdp_stream_clear (&back);
  g_free (text);
  gst_caps_unref (leg.caps);
}

static void
test_build_dup_ssm (void)
{
  gchar *src4[] = { (gchar *) "192.0.2.10", NULL };
  gchar *src6[] = { (gchar *) "2001:db8::10", NULL };
  GstMctxSdpLeg legs[2] = { {0}, {0} };
  GstMctxSdpDescription d = { 0 };
  GstMctxSdpStream back;
  GstSDPMessage *msg;
  gchar *text;

  legs[0].group = (gchar *) "232.1.1.1";
  legs[0].port = 5004;
  legs[0].ttl = 1;
  legs[0].sources = src4;
  legs[0].caps = vp8_caps ();
  legs[1].group = (gchar *) "232.2.2.2";
  legs[1].port = 5006;
  legs[1].ttl = 1;
  legs[1].sources = src4;
  legs[1].caps = vp8_caps ();
  d.origin_address = "192.0.2.10";
  d.session_id = 1;
  d.session_version = 1;
  d.legs = legs;
  d.n_legs = 2;
  text = gst_mctx_sdp_build (&d, NULL);
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "a=group:DUP 1 2\r\n"));
  g_assert_nonnull (strstr (text,
          "a=source-filter: incl IN IP4 232.1.1.1 192.0.2.10\r\n"));
  g_assert_nonnull (strstr (text,
          "a=source-filter: incl IN IP4 232.2.2.2 192.0.2.10\r\n"));
  g_assert_nonnull (strstr (text, "a=mid:1\r\n"));
  g_assert_nonnull (strstr (text, "a=mid:2\r\n"));
  g_assert_nonnull (strstr (text, "s=mctx\r\n"));
  msg = parse_message (text);
  g_assert_cmpuint (gst_sdp_message_medias_len (msg), ==, 2);
  gst_sdp_message_free (msg);

  parse_ok (text, NULL, &back);
  g_assert_true (back.has_redundant);
  g_assert_cmpstr (back.leg[0].group, ==, "232.1.1.1");
  g_assert_cmpstr (back.leg[0].sources[0], ==, "192.0.2.10");
  g_assert_cmpstr (back.leg[1].group, ==, "232.2.2.2");
  g_assert_cmpuint (back.leg[1].port, ==, 5006);
  gst_mctx_sdp_stream_clear (&back);
  g_free (text);

  /* IPv6 SSM: no TTL in c= */
  legs[0].group = (gchar *) "ff3e::8000:1";
  legs[0].sources = src6;
  d.origin_address = "2001:db8::10";
  d.n_legs = 1;
  text = gst_mctx_sdp_build (&d, NULL);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "c=IN IP6 ff3e::8000:1\r\n"));
  g_assert_nonnull (strstr (text, "o=- 1 1 IN IP6 2001:db8::10\r\n"));
  g_assert_nonnull (strstr (text,
          "a=source-filter: incl IN IP6 ff3e::8000:1 2001:db8::10\r\n"));
  g_free (text);

  /* ff3e:1:: is outside ff3x::/32 (bytes 2-3 not 0): not source-specific
   * by libmctx's rule, so no source is needed nor written */
  legs[0].group = (gchar *) "ff3e:1::8000:1";
  legs[0].sources = NULL;
  text = gst_mctx_sdp_build (&d, NULL);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "c=IN IP6 ff3e:1::8000:1\r\n"));
  g_assert_null (strstr (text, "a=source-filter"));
  g_free (text);
  gst_caps_unref (legs[0].caps);
  gst_caps_unref (legs[1].caps);
}

static void
build_fails (GstMctxSdpDescription * d, gint code, const gchar * needle)
{
  GError *error = NULL;

  g_assert_null (gst_mctx_sdp_build (d, &error));
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_cmpint (error->code, ==, code);
  g_assert_nonnull (strstr (error->message, needle));
  g_error_free (error);
}

static void
test_build_errors (void)
{
  GstMctxSdpLeg leg = { 0 };
  GstMctxSdpDescription d = { 0 };

  leg.group = (gchar *) "239.1.1.1";
  leg.port = 5004;
  leg.caps = vp8_caps ();
  d.origin_address = "192.0.2.1";
  d.legs = &leg;
  d.n_legs = 0;
  build_fails (&d, MCTX_ERROR_INVALID_VALUE, "0 legs");
  d.n_legs = 1;
  d.origin_address = "nowhere";
  build_fails (&d, MCTX_ERROR_INVALID_SOURCE, "origin address 'nowhere'");
  d.origin_address = "192.0.2.1";
  leg.group = (gchar *) "192.0.2.2";
  build_fails (&d, MCTX_ERROR_NOT_MULTICAST, "group '192.0.2.2'");
  leg.group = (gchar *) "232.1.1.1";
  build_fails (&d, MCTX_ERROR_SSM_NEEDS_SOURCES, "source-specific");
  leg.group = (gchar *) "239.1.1.1";
  leg.port = 0;
  build_fails (&d, MCTX_ERROR_INVALID_PORT, "port 0");
  leg.port = 5004;
  gst_caps_unref (leg.caps);
  leg.caps = gst_caps_from_string ("video/x-raw");
  build_fails (&d, MCTX_ERROR_INVALID_VALUE, "video/x-raw");
  gst_caps_unref (leg.caps);
}

/* what mctxsrc read from an SDP, written again by mctxsink (caps passed
 * through): the a=mid / a=group attributes are not in the caps, so the
 * new SDP has each once and reads back the same (found by fuzzing) */
static void
test_relay_round_trip (void)
{
  GstMctxSdpStream s, back;
  GstMctxSdpDescription d = { 0 };
  gchar *text;

  parse_ok (DUP_SDP, "1", &s);
  g_assert_null (gst_structure_get_string (gst_caps_get_structure
          (s.leg[0].caps, 0), "a-mid"));
  g_assert_null (gst_structure_get_string (gst_caps_get_structure
          (s.leg[0].caps, 0), "a-group"));
  d.origin_address = "192.0.2.1";
  d.legs = s.leg;
  d.n_legs = 2;
  text = gst_mctx_sdp_build (&d, NULL);
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_true (strstr (text, "a=mid:1") == g_strrstr (text, "a=mid:1"));
  g_assert_true (strstr (text, "a=group") == g_strrstr (text, "a=group"));
  parse_ok (text, NULL, &back);
  g_assert_cmpstr (back.leg[0].group, ==, s.leg[0].group);
  g_assert_cmpstr (back.leg[1].group, ==, s.leg[1].group);
  gst_mctx_sdp_stream_clear (&back);
  gst_mctx_sdp_stream_clear (&s);
  g_free (text);

  /* caps that carry them anyway (from elsewhere) are cleaned too */
  {
    GstMctxSdpLeg leg = { 0 };

    leg.group = (gchar *) "239.1.1.1";
    leg.port = 5004;
    leg.caps = gst_caps_from_string ("application/x-rtp, media=video, "
        "clock-rate=90000, encoding-name=VP8, payload=96, a-mid=x, "
        "a-source-filter=\" incl IN IP4 * 10.0.0.1\"");
    d.legs = &leg;
    d.n_legs = 1;
    text = gst_mctx_sdp_build (&d, NULL);
    g_assert_null (strstr (text, "a=mid"));
    g_assert_null (strstr (text, "source-filter"));
    g_free (text);
    gst_caps_unref (leg.caps);
  }
}

/* mctxsink's describer: file, version bumps, errors */
static void
test_describer_file (void)
{
  GstMctxDescriber *d = gst_mctx_describer_new ();
  GstMctxDescribeConfig cfg = { 0 };
  GstMctxSdpLeg leg = { 0 };
  GError *error = NULL;
  gchar *dir, *path, *bad, *text, *sdp;

  dir = g_dir_make_tmp ("mctx-describe-XXXXXX", NULL);
  path = g_build_filename (dir, "stream.sdp", NULL);
  bad = g_build_filename (dir, "no", "such", "dir.sdp", NULL);
  leg.group = (gchar *) "239.1.1.1";
  leg.port = 5004;
  leg.ttl = 4;
  leg.caps = vp8_caps ();
  cfg.location = path;
  cfg.session_name = "cam";
  cfg.origin_address = "192.0.2.1";
  cfg.ttl = 4;

  g_assert_null (gst_mctx_describer_dup_sdp (d));
  g_assert_true (gst_mctx_describer_update (d, &cfg, &leg, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gst_mctx_describer_get_version (d), ==, 1);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  sdp = gst_mctx_describer_dup_sdp (d);
  g_assert_cmpstr (text, ==, sdp);
  g_assert_nonnull (strstr (text, " 1 IN IP4 192.0.2.1\r\n"));
  g_assert_nonnull (strstr (text, "s=cam\r\n"));
  g_free (text);
  g_free (sdp);

  /* the same stream again (a renegotiation to equal caps): no bump */
  g_assert_true (gst_mctx_describer_update (d, &cfg, &leg, 1, NULL));
  g_assert_cmpuint (gst_mctx_describer_get_version (d), ==, 1);

  /* new caps: version 2, same session id, the file rewritten */
  gst_caps_unref (leg.caps);
  leg.caps = gst_caps_from_string ("application/x-rtp, media=(string)video, "
      "clock-rate=(int)90000, encoding-name=(string)H264, payload=(int)97, "
      "packetization-mode=(string)1");
  g_assert_true (gst_mctx_describer_update (d, &cfg, &leg, 1, NULL));
  g_assert_cmpuint (gst_mctx_describer_get_version (d), ==, 2);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, " 2 IN IP4 192.0.2.1\r\n"));
  g_assert_nonnull (strstr (text, "a=rtpmap:97 H264/90000"));
  g_assert_nonnull (strstr (text, "a=fmtp:97 packetization-mode=1"));
  g_free (text);

  /* an unwritable location names the property and the path; the SDP
   * stays readable */
  cfg.location = bad;
  g_assert_false (gst_mctx_describer_update (d, &cfg, &leg, 1, &error));
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "sdp-location"));
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);
  sdp = gst_mctx_describer_dup_sdp (d);
  g_assert_nonnull (sdp);
  g_free (sdp);

  /* a build error (no multicast group) passes through */
  leg.group = (gchar *) "192.0.2.9";
  cfg.location = path;
  g_assert_false (gst_mctx_describer_update (d, &cfg, &leg, 1, &error));
  g_assert_cmpint (error->code, ==, MCTX_ERROR_NOT_MULTICAST);
  g_clear_error (&error);
  g_assert_cmpuint (gst_mctx_describer_get_version (d), ==, 2);

  gst_mctx_describer_free (d);
  gst_caps_unref (leg.caps);
  g_unlink (path);
  g_rmdir (dir);
  g_free (bad);
  g_free (path);
  g_free (dir);
}

/* no network: a plain GTest main, no namespace (and no root) needed */
int
main (int argc, char **argv)
{
  static const struct
  {
    const gchar *path;
    GTestFunc func;
  } tests[] = {
    {"/sdp/parse/basic", test_parse_basic},
    {"/sdp/parse/file", test_parse_file},
    {"/sdp/parse/ssm", test_parse_ssm},
    {"/sdp/parse/dup", test_parse_dup},
    {"/sdp/parse/select", test_parse_select},
    {"/sdp/parse/errors", test_parse_errors},
    {"/sdp/build/one", test_build_one},
    {"/sdp/build/dup-ssm", test_build_dup_ssm},
    {"/sdp/build/errors", test_build_errors},
    {"/sdp/build/relay", test_relay_round_trip},
    {"/sdp/describer/file", test_describer_file},
  };
  guint i;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (tests); i++)
    g_test_add_func (tests[i].path, tests[i].func);
  return g_test_run ();
}
