/* SAP (RFC 2974): packet codec, hash, SAP group per scope, the listener's
 * session table, and an announcer heard by the listener and by a plain
 * socket inside the test's own network namespace.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "mctx-test-netns.h"

#define SDP1 "v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=Camera \"one\"\r\n" \
  "t=0 0\r\nm=video 5004 RTP/AVP 96\r\nc=IN IP4 239.255.1.1/1\r\n" \
  "a=rtpmap:96 VP8/90000\r\n"
#define SDP2 "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=Camera \"one\"\r\n" \
  "t=0 0\r\nm=video 5004 RTP/AVP 96\r\nc=IN IP4 239.255.1.1/1\r\n" \
  "a=rtpmap:96 H264/90000\r\n"

static void
addr (const gchar * text, MctxAddress * out)
{
  g_assert_true (mctx_address_parse (text, NULL, out, NULL));
}

static void
test_encode_decode (void)
{
  MctxAddress o4, o6;
  GBytes *b;
  const guint8 *d;
  gsize n;
  MctxSapPacket *p;
  gchar *s;

  addr ("192.0.2.10", &o4);
  b = mctx_sap_packet_encode (&o4, 0xbeef, FALSE, SDP1, NULL);
  g_assert_nonnull (b);
  d = g_bytes_get_data (b, &n);
  /* V=1, A=0 (IPv4), R=0, T=0, E=0, C=0; no auth; hash; source */
  g_assert_cmphex (d[0], ==, 0x20);
  g_assert_cmphex (d[1], ==, 0);
  g_assert_cmphex (d[2], ==, 0xbe);
  g_assert_cmphex (d[3], ==, 0xef);
  g_assert_cmpmem (d + 4, 4, o4.bytes, 4);
  g_assert_cmpstr ((const gchar *) d + 8, ==, "application/sdp");
  g_assert_cmpuint (n, ==, 8 + 16 + strlen (SDP1));
  g_assert_cmpmem (d + 24, n - 24, SDP1, strlen (SDP1));

  p = mctx_sap_packet_decode (d, n, NULL);
  g_assert_nonnull (p);
  g_assert_false (p->deletion);
  g_assert_false (p->encrypted);
  g_assert_false (p->compressed);
  g_assert_cmpuint (p->msg_id_hash, ==, 0xbeef);
  g_assert_true (mctx_address_equal (&p->origin, &o4));
  g_assert_cmpstr (p->payload_type, ==, "application/sdp");
  g_assert_cmpstr (p->payload, ==, SDP1);
  mctx_sap_packet_free (p);
  g_bytes_unref (b);

  /* IPv6 origin sets A; deletion sets T */
  addr ("2001:db8::1", &o6);
  b = mctx_sap_packet_encode (&o6, 7, TRUE, "o=- 42 1 IN IP6 2001:db8::1\r\n",
      NULL);
  d = g_bytes_get_data (b, &n);
  g_assert_cmphex (d[0], ==, 0x20 | 0x10 | 0x04);
  g_assert_cmpmem (d + 4, 16, o6.bytes, 16);
  p = mctx_sap_packet_decode (d, n, NULL);
  g_assert_true (p->deletion);
  g_assert_true (mctx_address_equal (&p->origin, &o6));
  s = mctx_address_to_string (&p->origin);
  g_assert_cmpstr (s, ==, "2001:db8::1");
  g_free (s);
  g_assert_cmpstr (p->payload, ==, "o=- 42 1 IN IP6 2001:db8::1\r\n");
  mctx_sap_packet_free (p);
  g_bytes_unref (b);
}

static void
test_decode_variants (void)
{
  /* no payload type (allowed for SDP), 4 bytes of authentication data */
  static const guint8 bare[] = { 0x20, 1, 0x12, 0x34, 10, 0, 0, 1,
    0xaa, 0xbb, 0xcc, 0xdd, 'v', '=', '0', '\r', '\n'
  };
  static const guint8 v0[] = { 0x00, 0, 0, 1, 10, 0, 0, 1, 'v', '=', '0' };
  static const guint8 v2[] = { 0x40, 0, 0, 1, 10, 0, 0, 1, 'v', '=', '0' };
  static const guint8 noterm[] = { 0x20, 0, 0, 1, 10, 0, 0, 1, 'a', 'b' };
  static const guint8 short6[] = { 0x30, 0, 0, 1, 0xfe, 0x80, 0, 0 };
  MctxSapPacket *p;
  GError *error = NULL;
  MctxAddress o;

  p = mctx_sap_packet_decode (bare, sizeof (bare), NULL);
  g_assert_nonnull (p);
  g_assert_null (p->payload_type);
  g_assert_cmpstr (p->payload, ==, "v=0\r\n");
  g_assert_cmpuint (p->msg_id_hash, ==, 0x1234);
  mctx_sap_packet_free (p);

  p = mctx_sap_packet_decode (v0, sizeof (v0), NULL);
  g_assert_nonnull (p);
  mctx_sap_packet_free (p);

  g_assert_null (mctx_sap_packet_decode (v2, sizeof (v2), &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "version 2");
  g_assert_null (mctx_sap_packet_decode (noterm, sizeof (noterm), &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "payload type");
  g_assert_null (mctx_sap_packet_decode (short6, sizeof (short6), &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "shorter");
  g_assert_null (mctx_sap_packet_decode (v2, 3, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "4-byte header");

  /* encode refuses what no SAP packet can carry */
  addr ("239.1.1.1", &o);
  g_assert_null (mctx_sap_packet_encode (&o, 1, FALSE, SDP1, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_SOURCE,
      "239.1.1.1");
  addr ("255.255.255.255", &o);
  g_assert_null (mctx_sap_packet_encode (&o, 1, FALSE, SDP1, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_SOURCE,
      "255.255.255.255");
  addr ("192.0.2.1", &o);
  g_assert_null (mctx_sap_packet_encode (&o, 1, FALSE, "", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "empty");
}

static void
test_hash (void)
{
  guint16 h1 = mctx_sap_message_id_hash (SDP1);

  /* the same text gives the same hash in every run and version: the
   * value is pinned, so a change of the function shows here */
  g_assert_cmpuint (h1, ==, mctx_sap_message_id_hash (SDP1));
  g_assert_cmpuint (mctx_sap_message_id_hash ("v=0\r\n"), ==, 0xd100);
  g_assert_cmpuint (h1, !=, mctx_sap_message_id_hash (SDP2));
  g_assert_cmpuint (h1, !=, 0);
  g_assert_cmpuint (mctx_sap_message_id_hash (""), !=, 0);
}

static void
test_scope_address (void)
{
  static const struct
  {
    const gchar *group, *sap;
  } cases[] = {
    {"224.0.1.1", "224.2.127.254"},
    {"233.252.0.1", "224.2.127.254"},
    {"232.1.1.1", "224.2.127.254"},
    {"239.255.0.1", "239.255.255.255"},
    {"239.255.200.7", "239.255.255.255"},
    {"239.254.1.1", "239.254.255.255"},
    {"239.200.0.1", "239.200.255.255"},
    {"239.192.0.1", "239.195.255.255"},
    {"239.195.9.9", "239.195.255.255"},
    {"239.1.2.3", "239.63.255.255"},
    {"239.100.0.1", "239.127.255.255"},
    {"239.150.0.1", "239.191.255.255"},
    {"ff0e::1", "ff0e::2:7ffe"},
    {"ff05::1234", "ff05::2:7ffe"},
    {"ff08::1", "ff08::2:7ffe"},
    {"ff3e::8000:1", "ff0e::2:7ffe"},
    {"ff15::1", "ff05::2:7ffe"},
    {"ff02::1%1", "ff02::2:7ffe%1"},
  };
  GError *error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar *sap = mctx_sap_address_for_group (cases[i].group, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sap, ==, cases[i].sap);
    g_free (sap);
  }
  g_assert_null (mctx_sap_address_for_group ("192.0.2.1", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_MULTICAST,
      "192.0.2.1");
  g_assert_null (mctx_sap_address_for_group ("bogus", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
}

/* ---- listener table, fed by hand ---- */

typedef struct
{
  guint added, updated, removed;
  MctxSapSession *last;
  GMainLoop *loop;
  /* the wire tests' listener and announcer (sap_start) */
  MctxSapListener *l;
  MctxSapAnnouncer *a;
} Events;

static void
remember (Events * ev, const MctxSapSession * s)
{
  mctx_sap_session_free (ev->last);
  ev->last = mctx_sap_session_copy (s);
  if (ev->loop)
    g_main_loop_quit (ev->loop);
}

static void
on_added (MctxSapListener * l, MctxSapSession * s, Events * ev)
{
  ev->added++;
  remember (ev, s);
}

static void
on_updated (MctxSapListener * l, MctxSapSession * s, Events * ev)
{
  ev->updated++;
  remember (ev, s);
}

static void
on_removed (MctxSapListener * l, MctxSapSession * s, Events * ev)
{
  ev->removed++;
  remember (ev, s);
}

static void
connect_events (MctxSapListener * l, Events * ev)
{
  g_signal_connect (l, "session-added", G_CALLBACK (on_added), ev);
  g_signal_connect (l, "session-updated", G_CALLBACK (on_updated), ev);
  g_signal_connect (l, "session-removed", G_CALLBACK (on_removed), ev);
}

static void
feed (MctxSapListener * l, const gchar * origin, guint16 hash,
    gboolean deletion, const gchar * payload, gint64 now)
{
  MctxAddress o;
  GBytes *b;
  GError *error = NULL;

  addr (origin, &o);
  b = mctx_sap_packet_encode (&o, hash, deletion, payload, NULL);
  g_assert_true (mctx_sap_listener_handle_packet (l, g_bytes_get_data (b,
              NULL), g_bytes_get_size (b), now, &error));
  g_assert_no_error (error);
  g_bytes_unref (b);
}

static guint
n_sessions (MctxSapListener * l)
{
  GPtrArray *a = mctx_sap_listener_get_sessions (l);
  guint n = a->len;

  g_ptr_array_unref (a);
  return n;
}

#define SEC G_GINT64_CONSTANT (1000000)

static void
test_listener_table (void)
{
  MctxSapListener *l = mctx_sap_listener_new ();
  Events ev = { 0 };
  GPtrArray *a;
  MctxSapSession *s;
  gchar *json;
  const gchar *ssm = "v=0\r\no=- 9 1 IN IP4 192.0.2.20\r\ns=ssm\r\nt=0 0\r\n"
      "m=audio 6000 RTP/AVP 97\r\nc=IN IP4 232.1.1.1/16\r\n"
      "a=source-filter: incl IN IP4 232.1.1.1 192.0.2.20\r\n";

  connect_events (l, &ev);
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 1000 * SEC);
  g_assert_cmpuint (ev.added, ==, 1);
  g_assert_cmpstr (ev.last->name, ==, "Camera \"one\"");
  g_assert_cmpstr (ev.last->origin, ==, "- 42 1 IN IP4 127.0.0.1");
  g_assert_cmpstr (ev.last->group, ==, "239.255.1.1");
  g_assert_cmpuint (ev.last->port, ==, 5004);
  g_assert_null (ev.last->source);
  g_assert_cmpstr (ev.last->origin_source, ==, "127.0.0.1");

  /* a repeat: no signal, counted, interval measured */
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 1030 * SEC);
  g_assert_cmpuint (ev.added + ev.updated + ev.removed, ==, 1);
  a = mctx_sap_listener_get_sessions (l);
  g_assert_cmpuint (a->len, ==, 1);
  s = g_ptr_array_index (a, 0);
  g_assert_cmpuint (s->announcements, ==, 2);
  g_assert_cmpint (s->interval_us, ==, 30 * SEC);
  g_ptr_array_unref (a);

  /* a new version of the same session replaces it */
  feed (l, "127.0.0.1", 12, FALSE, SDP2, 1031 * SEC);
  g_assert_cmpuint (ev.updated, ==, 1);
  g_assert_cmpuint (n_sessions (l), ==, 1);
  g_assert_cmpuint (ev.last->msg_id_hash, ==, 12);
  g_assert_nonnull (strstr (ev.last->sdp, "H264"));

  /* another session, SSM, from another announcer */
  feed (l, "192.0.2.20", 5, FALSE, ssm, 1032 * SEC);
  g_assert_cmpuint (ev.added, ==, 2);
  g_assert_cmpstr (ev.last->source, ==, "192.0.2.20");
  g_assert_cmpstr (ev.last->group, ==, "232.1.1.1");
  g_assert_cmpuint (n_sessions (l), ==, 2);

  json = mctx_sap_listener_to_json (l);
  g_test_message ("%s", json);
  g_assert_true (json[0] == '[' && json[strlen (json) - 1] == ']');
  g_assert_nonnull (strstr (json, "\"name\":\"Camera \\\"one\\\"\""));
  g_assert_nonnull (strstr (json, "\"group\":\"232.1.1.1\",\"port\":6000,"
          "\"source\":\"192.0.2.20\""));
  g_assert_nonnull (strstr (json, "\\r\\n"));
  g_assert_null (strchr (json, '\n'));
  g_free (json);

  /* deletion by the o= line (its version does not matter) */
  feed (l, "127.0.0.1", 12, TRUE, "o=- 42 2 IN IP4 127.0.0.1\r\n", 1033 * SEC);
  g_assert_cmpuint (ev.removed, ==, 1);
  g_assert_cmpstr (ev.last->name, ==, "Camera \"one\"");
  g_assert_cmpuint (n_sessions (l), ==, 1);
  /* deletion by hash alone (no o= in the payload) */
  feed (l, "192.0.2.20", 5, TRUE, "v=0\r\n", 1034 * SEC);
  g_assert_cmpuint (ev.removed, ==, 2);
  g_assert_cmpuint (n_sessions (l), ==, 0);
  /* a deletion of nothing is harmless */
  feed (l, "192.0.2.20", 5, TRUE, "v=0\r\n", 1035 * SEC);
  g_assert_cmpuint (ev.removed, ==, 2);

  mctx_sap_session_free (ev.last);
  g_object_unref (l);
}

static void
test_listener_timeout (void)
{
  MctxSapListener *l = mctx_sap_listener_new ();
  Events ev = { 0 };
  GError *error = NULL;
  static const guint8 enc[] = { 0x22, 0, 0, 1, 10, 0, 0, 1, 'x', 0, 'y' };
  static const guint8 other[] = { 0x20, 0, 0, 1, 10, 0, 0, 1,
    't', '/', 'p', 0, 'y'
  };

  connect_events (l, &ev);
  /* RFC rule: 5 s interval measured -> max (50 s, 1 h) = 1 h */
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 0);
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 5 * SEC);
  g_assert_cmpuint (mctx_sap_listener_expire (l, 3605 * SEC - 1), ==, 0);
  g_assert_cmpuint (mctx_sap_listener_expire (l, 3606 * SEC), ==, 1);
  g_assert_cmpuint (ev.removed, ==, 1);

  /* RFC rule with a long interval: 10 intervals of 600 s */
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 10000 * SEC);
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 10600 * SEC);
  g_assert_cmpuint (mctx_sap_listener_expire (l, 16500 * SEC), ==, 0);
  g_assert_cmpuint (mctx_sap_listener_expire (l, 16601 * SEC), ==, 1);

  /* a practical timeout */
  g_object_set (l, "timeout", 90, NULL);
  feed (l, "127.0.0.1", 11, FALSE, SDP1, 20000 * SEC);
  g_assert_cmpuint (mctx_sap_listener_expire (l, 20090 * SEC), ==, 0);
  g_assert_cmpuint (mctx_sap_listener_expire (l, 20091 * SEC), ==, 1);
  g_assert_cmpuint (ev.removed, ==, 3);

  /* refused packets change nothing */
  g_assert_false (mctx_sap_listener_handle_packet (l, enc, sizeof (enc), 0,
          &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "encrypted");
  g_assert_false (mctx_sap_listener_handle_packet (l, other, sizeof (other),
          0, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "t/p");
  g_assert_cmpuint (n_sessions (l), ==, 0);

  mctx_sap_session_free (ev.last);
  g_object_unref (l);
}

static void
test_announcer_errors (void)
{
  MctxSapAnnouncer *a = mctx_sap_announcer_new (NULL);
  GError *error = NULL;

  g_assert_false (mctx_sap_announcer_start (a, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "sdp");
  g_object_set (a, "sdp", "v=0\r\ns=no c line\r\n", NULL);
  g_assert_false (mctx_sap_announcer_start (a, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
      "no c= line");
  g_object_set (a, "sdp", "v=0\r\nc=IN IP4 192.0.2.1\r\n", NULL);
  g_assert_false (mctx_sap_announcer_start (a, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_MULTICAST,
      "192.0.2.1");
  g_object_set (a, "sdp", SDP1, "interface", "nosuch0", NULL);
  g_assert_false (mctx_sap_announcer_start (a, &error));
  g_assert_cmpstr (mctx_error_get_setting (error), ==, "interface");
  g_clear_error (&error);
  g_assert_false (mctx_sap_announcer_is_running (a));
  g_assert_false (mctx_sap_announcer_update (a, "", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INVALID_VALUE, "sdp");
  g_object_unref (a);
}

/* ---- on the wire (private namespace, lo) ---- */

static int
raw_listener (const gchar * group, guint port)
{
  struct sockaddr_in sin = { 0 };
  struct ip_mreqn mreq = { 0 };
  int one = 1, fd = socket (AF_INET, SOCK_DGRAM, 0);

  g_assert_cmpint (fd, >=, 0);
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof (one));
  sin.sin_family = AF_INET;
  sin.sin_port = htons (port);
  inet_pton (AF_INET, group, &sin.sin_addr);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &sin, sizeof (sin)), ==, 0);
  inet_pton (AF_INET, group, &mreq.imr_multiaddr);
  mreq.imr_ifindex = mctx_test_ifindex ("lo");
  g_assert_cmpint (setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
          sizeof (mreq)), ==, 0);
  return fd;
}

/* next datagram on fd within timeout_ms, decoded; NULL on timeout.  The
 * IPv4 TTL it arrived with goes to *ttl when the socket has IP_RECVTTL. */
static MctxSapPacket *
raw_receive_ttl (int fd, gint timeout_ms, gint64 * when, gint * ttl)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  guint8 buf[4096];
  union
  {
    struct cmsghdr align;
    char buf[CMSG_SPACE (sizeof (int))];
  } control;
  struct iovec iov = { buf, sizeof (buf) };
  struct msghdr msg = { 0 };
  struct cmsghdr *cm;
  gssize n;

  if (poll (&pfd, 1, timeout_ms) != 1)
    return NULL;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = &control;
  msg.msg_controllen = sizeof (control);
  n = recvmsg (fd, &msg, 0);
  g_assert_cmpint (n, >, 0);
  if (when)
    *when = g_get_monotonic_time ();
  for (cm = CMSG_FIRSTHDR (&msg); ttl && cm; cm = CMSG_NXTHDR (&msg, cm))
    if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL)
      memcpy (ttl, CMSG_DATA (cm), sizeof (int));
  return mctx_sap_packet_decode (buf, n, NULL);
}

static MctxSapPacket *
raw_receive (int fd, gint timeout_ms, gint64 * when)
{
  return raw_receive_ttl (fd, timeout_ms, when, NULL);
}

static gboolean
fail_timeout (gpointer data)
{
  g_error ("timed out waiting for %s", (const gchar *) data);
  return G_SOURCE_REMOVE;
}

/* run the loop until a signal quits it; bounded */
static void
wait_event (Events * ev, const gchar * what)
{
  guint id = g_timeout_add_seconds (10, fail_timeout, (gpointer) what);

  g_main_loop_run (ev->loop);
  g_source_remove (id);
}

/* The wire tests' fixture: @ev gets a main loop and counts what its
 * listener reports; the listener is started, then the announcer. */
static void
sap_start (Events * ev)
{
  GError *error = NULL;

  ev->loop = g_main_loop_new (NULL, FALSE);
  connect_events (ev->l, ev);
  g_assert_true (mctx_sap_listener_start (ev->l, &error));
  g_assert_no_error (error);
  g_assert_true (mctx_sap_announcer_start (ev->a, &error));
  g_assert_no_error (error);
}

/* finalize stops each: the announcer first (its deletion, unless stopped
 * before), then the listener */
static void
sap_finish (Events * ev)
{
  g_object_unref (ev->a);
  g_object_unref (ev->l);
  mctx_sap_session_free (ev->last);
  g_main_loop_unref (ev->loop);
}

static void
test_announce_on_wire (void)
{
  const gchar *lo[] = { "lo", NULL };
  Events ev = { 0 };
  MctxSapPacket *p;
  gint64 t1, t2;
  guint hash, i;
  gchar *origin;
  int fd;

  fd = raw_listener ("239.255.255.255", MCTX_SAP_PORT);
  ev.l = g_object_new (MCTX_TYPE_SAP_LISTENER, "interfaces", lo, NULL);
  /* the SAP group comes from the SDP's c= (239.255.1.1: local scope) */
  ev.a = g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", SDP1, "interface", "lo",
      "interval", 1, NULL);
  sap_start (&ev);
  g_assert_true (mctx_sap_announcer_is_running (ev.a));
  g_object_get (ev.a, "msg-id-hash", &hash, NULL);
  g_assert_cmpuint (hash, ==, mctx_sap_message_id_hash (SDP1));

  /* the plain socket sees the first announcement and two repeats about a
   * second apart (1 s +/- 1/3) */
  p = raw_receive (fd, 5000, &t1);
  g_assert_nonnull (p);
  g_assert_false (p->deletion);
  g_assert_cmpuint (p->msg_id_hash, ==, hash);
  g_assert_cmpstr (p->payload, ==, SDP1);
  g_assert_cmpstr (p->payload_type, ==, "application/sdp");
  /* the originating source is the address the announcer sends from */
  origin = mctx_address_to_string (&p->origin);
  g_assert_true (p->origin.family == G_SOCKET_FAMILY_IPV4);
  g_assert_false (mctx_address_is_unspecified (&p->origin));
  mctx_sap_packet_free (p);
  for (i = 0; i < 2; i++) {
    p = raw_receive (fd, 5000, &t2);
    g_assert_nonnull (p);
    g_assert_cmpstr (p->payload, ==, SDP1);
    mctx_sap_packet_free (p);
    g_test_message ("repeat after %" G_GINT64_FORMAT " ms", (t2 - t1) / 1000);
    g_assert_cmpint (t2 - t1, >=, 600 * 1000);
    g_assert_cmpint (t2 - t1, <=, 2000 * 1000);
    t1 = t2;
  }

  /* the listener has it */
  if (ev.added == 0)
    wait_event (&ev, "session-added");
  g_assert_cmpuint (ev.added, ==, 1);
  g_assert_cmpstr (ev.last->sdp, ==, SDP1);
  g_assert_cmpstr (ev.last->group, ==, "239.255.1.1");
  g_assert_cmpstr (ev.last->origin_source, ==, origin);
  g_free (origin);

  /* an update is announced at once with a new hash */
  g_assert_true (mctx_sap_announcer_update (ev.a, SDP2, NULL));
  wait_event (&ev, "session-updated");
  g_assert_cmpuint (ev.updated, ==, 1);
  g_assert_cmpstr (ev.last->sdp, ==, SDP2);
  g_assert_cmpuint (ev.last->msg_id_hash, ==, mctx_sap_message_id_hash (SDP2));
  g_assert_cmpuint (ev.added, ==, 1);

  /* stop sends the deletion */
  mctx_sap_announcer_stop (ev.a);
  g_assert_false (mctx_sap_announcer_is_running (ev.a));
  wait_event (&ev, "session-removed");
  g_assert_cmpuint (ev.removed, ==, 1);
  g_assert_cmpuint (ev.added, ==, 1);
  for (;;) {
    p = raw_receive (fd, 5000, NULL);
    g_assert_nonnull (p);
    if (p->deletion)
      break;
    mctx_sap_packet_free (p);
  }
  g_assert_cmpuint (p->msg_id_hash, ==, mctx_sap_message_id_hash (SDP2));
  g_assert_cmpstr (p->payload, ==, "o=- 42 2 IN IP4 127.0.0.1\r\n");
  mctx_sap_packet_free (p);
  g_assert_cmpuint (mctx_sap_announcer_get_sent (ev.a), >=, 5);

  sap_finish (&ev);
  close (fd);
}

/* a global group's announcement goes to 224.2.127.254, with the TTL */
static void
test_announce_global (void)
{
  const gchar *sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=g\r\nt=0 0\r\n"
      "m=video 5004 RTP/AVP 96\r\nc=IN IP4 233.252.0.1/3\r\n"
      "a=rtpmap:96 VP8/90000\r\n";
  MctxSapAnnouncer *a;
  MctxSapPacket *p;
  int one = 1, ttl = -1, fd = raw_listener ("224.2.127.254", MCTX_SAP_PORT);

  g_assert_cmpint (setsockopt (fd, IPPROTO_IP, IP_RECVTTL, &one,
          sizeof (one)), ==, 0);
  a = g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", sdp, "interface", "lo",
      "ttl", 3, NULL);
  g_assert_true (mctx_sap_announcer_start (a, NULL));
  p = raw_receive_ttl (fd, 5000, NULL, &ttl);
  g_assert_nonnull (p);
  g_assert_cmpstr (p->payload, ==, sdp);
  g_assert_cmpint (ttl, ==, 3);
  mctx_sap_packet_free (p);
  g_object_unref (a);           /* finalize stops: the deletion */
  p = raw_receive (fd, 5000, NULL);
  g_assert_nonnull (p);
  g_assert_true (p->deletion);
  mctx_sap_packet_free (p);
  close (fd);
}

/* IPv6: the A bit and a 16-byte originating source, on the interface-local
 * SAP group (the only IPv6 scope lo loops back) */
static void
test_announce_ipv6 (void)
{
  const gchar *sdp = "v=0\r\no=- 6 1 IN IP6 ::1\r\ns=six\r\nt=0 0\r\n"
      "m=video 5004 RTP/AVP 96\r\nc=IN IP6 ff01::1234\r\n"
      "a=rtpmap:96 VP8/90000\r\n";
  const gchar *groups[] = { "ff01::2:7ffe%lo", NULL };
  Events ev = { 0 };
  gchar *sap;

  /* what the announcer would pick for the stream's group */
  sap = mctx_sap_address_for_group ("ff01::1234%lo", NULL);
  g_assert_cmpstr (sap, ==, "ff01::2:7ffe%1");  /* lo is index 1 */

  ev.l = g_object_new (MCTX_TYPE_SAP_LISTENER, "groups", groups, NULL);
  ev.a = g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", sdp, "group", sap,
      "interval", 1, NULL);
  sap_start (&ev);
  wait_event (&ev, "IPv6 session-added");
  g_assert_cmpstr (ev.last->sdp, ==, sdp);
  g_assert_nonnull (strchr (ev.last->origin_source, ':'));
  g_assert_cmpstr (ev.last->group, ==, "ff01::1234");
  mctx_sap_announcer_stop (ev.a);
  wait_event (&ev, "IPv6 session-removed");
  g_assert_cmpuint (ev.removed, ==, 1);

  sap_finish (&ev);
  g_free (sap);
}

/* the listener's SAP membership comes back with its interface, and the
 * announcer finds its recreated interface again */
static void
test_listener_rejoin (void)
{
  const gchar *ifs[] = { "sap1", NULL };
  Events ev = { 0 };

  mctx_test_netns_add_veth ("sap0", "sap1", "10.41.0.1/24", "10.41.0.2/24",
      NULL, NULL);
  ev.l = g_object_new (MCTX_TYPE_SAP_LISTENER, "interfaces", ifs, NULL);
  ev.a = g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", SDP1, "interface",
      "sap0", "interval", 1, "loop", FALSE, NULL);
  sap_start (&ev);
  wait_event (&ev, "session-added over veth");
  g_assert_cmpstr (ev.last->origin_source, ==, "10.41.0.1");

  /* the pair goes away and comes back under the same names */
  mctx_test_run ("ip link del sap0");
  mctx_test_netns_add_veth ("sap0", "sap1", "10.41.0.1/24", "10.41.0.2/24",
      NULL, NULL);
  /* announced at once and repeated every second: arrives once both sides
   * have found the new interfaces */
  g_assert_true (mctx_sap_announcer_update (ev.a, SDP2, NULL));
  wait_event (&ev, "session-updated after the interfaces came back");
  g_assert_cmpstr (ev.last->sdp, ==, SDP2);

  sap_finish (&ev);
}

static const MctxTestCase tests[] = {
  {"/sap/packet/encode-decode", test_encode_decode},
  {"/sap/packet/decode-variants", test_decode_variants},
  {"/sap/hash", test_hash},
  {"/sap/scope-address", test_scope_address},
  {"/sap/listener/table", test_listener_table},
  {"/sap/listener/timeout", test_listener_timeout},
  {"/sap/announcer/errors", test_announcer_errors},
  {"/sap/wire/announce", test_announce_on_wire},
  {"/sap/wire/global", test_announce_global},
  {"/sap/wire/ipv6", test_announce_ipv6},
  {"/sap/wire/rejoin", test_listener_rejoin},
};

MCTX_TEST_MAIN (NULL, tests)
