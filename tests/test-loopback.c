/* Send and receive on the host: payloads, per-datagram metadata, send
 * reports, announce tuple, live socket options, loop off.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* Compare family and bytes; scope ids are checked separately where they
 * matter. */
static void
assert_address_is (const MctxAddress * addr, const gchar * text)
{
  MctxAddress want;
  GError *error = NULL;
  gchar *got = mctx_address_to_string (addr);

  g_assert_true (mctx_address_parse (text, NULL, &want, &error));
  g_assert_no_error (error);
  if (addr->family != want.family ||
      memcmp (addr->bytes, want.bytes, addr->family ==
          G_SOCKET_FAMILY_IPV4 ? 4 : 16) != 0)
    g_error ("address is %s, expected %s", got, text);
  g_free (got);
}

static gchar *
local_ip (MctxPublication * pub)
{
  GInetSocketAddress *local = mctx_publication_get_local_address (pub);

  g_assert_nonnull (local);
  return g_inet_address_to_string (g_inet_socket_address_get_address (local));
}

static guint16
local_port (MctxPublication * pub)
{
  GInetSocketAddress *local = mctx_publication_get_local_address (pub);

  g_assert_nonnull (local);
  return g_inet_socket_address_get_port (local);
}

typedef struct
{
  const gchar *group;
  const gchar *interface;       /* for both sides; NULL: routing decides */
  const gchar *source;          /* publication's source, or NULL */
  const gchar *expect_source;   /* what the receiver must see */
  guint port;
} Path;

static MctxSubscription *
subscribe (const Path * p)
{
  const gchar *ifs[] = { p->interface, NULL };

  if (p->interface)
    return mctx_test_subscription (p->group, p->port, "interfaces", ifs,
        NULL);
  return mctx_test_subscription (p->group, p->port, NULL);
}

static MctxPublication *
publish (const Path * p)
{
  MctxPublication *pub = mctx_publication_new (p->group, p->port);
  GError *error = NULL;

  if (p->interface)
    g_object_set (pub, "interface", p->interface, NULL);
  if (p->source)
    g_object_set (pub, "source", p->source, NULL);
  if (!mctx_publication_open (pub, &error))
    g_error ("open %s: %s", p->group, error->message);
  return pub;
}

/* One datagram end to end, every metadata field checked. */
static void
check_send_receive (const Path * p)
{
  MctxSubscription *sub = subscribe (p);
  MctxPublication *pub = publish (p);
  const gchar *payload = "payload over loopback";
  guint8 buf[256];
  MctxPacketInfo info;
  MctxSubscriptionStats sstats;
  MctxPublicationStats pstats;
  gint64 now_ns;
  gssize n;
  gchar *src;

  g_assert_cmpstr (mctx_publication_get_source (pub), ==, p->source);
  g_assert_cmpuint (mctx_publication_get_effective_interface_index (pub), ==,
      mctx_test_ifindex ("lo"));

  mctx_test_send_string (pub, payload);
  memset (&info, 0xaa, sizeof info);
  n = mctx_test_receive (sub, buf, sizeof buf, &info, MCTX_TEST_TIMEOUT_US);
  now_ns = g_get_real_time () * 1000;
  g_assert_cmpint (n, ==, strlen (payload));
  g_assert_cmpmem (buf, n, payload, strlen (payload));

  /* metadata */
  g_assert_cmpuint (info.size, ==, strlen (payload));
  g_assert_cmpuint (info.wire_size, ==, strlen (payload));
  g_assert_false (info.truncated);
  src = local_ip (pub);
  assert_address_is (&info.source, src);
  if (p->expect_source)
    g_assert_cmpstr (src, ==, p->expect_source);
  g_free (src);
  g_assert_cmpuint (info.source_port, ==, local_port (pub));
  g_assert_cmpuint (info.source_port, !=, 0);
  assert_address_is (&info.destination, p->group);
  g_assert_cmpuint (info.interface_index, ==, mctx_test_ifindex ("lo"));
  g_assert_cmpint (info.timestamp_ns, !=, 0);
  g_assert_cmpint (ABS (now_ns - info.timestamp_ns), <,
      (gint64) 5000000000);
  {
    GInetSocketAddress *sender = mctx_packet_info_get_sender (&info);
    gchar *dest = mctx_packet_info_get_destination_string (&info);

    g_assert_cmpuint (g_inet_socket_address_get_port (sender), ==,
        local_port (pub));
    g_object_unref (sender);
    g_assert_cmpstr (dest, ==, p->group);
    g_free (dest);
  }

  /* truncation: 100 bytes into a 10-byte buffer */
  memset (buf, 'x', 100);
  g_assert_cmpint (mctx_publication_send (pub, buf, 100, NULL), ==, 100);
  memset (&info, 0, sizeof info);
  n = mctx_test_receive (sub, buf, 10, &info, MCTX_TEST_TIMEOUT_US);
  g_assert_cmpint (n, ==, 10);
  g_assert_true (info.truncated);
  g_assert_cmpuint (info.size, ==, 10);
  g_assert_cmpuint (info.wire_size, ==, 100);

  /* nothing else pending: a truncated datagram is consumed whole */
  mctx_test_assert_empty (sub);

  mctx_subscription_get_stats (sub, &sstats);
  g_assert_cmpuint (sstats.packets_received, ==, 2);
  g_assert_cmpuint (sstats.truncated, ==, 1);
  g_assert_cmpuint (sstats.filtered, ==, 0);
  g_assert_cmpuint (sstats.kernel_drops, ==, 0);
  /* "bytes of datagrams as sent" */
  g_assert_cmpuint (sstats.bytes_received, ==, strlen (payload) + 100);

  mctx_publication_get_stats (pub, &pstats);
  g_assert_cmpuint (pstats.packets_sent, ==, 2);
  g_assert_cmpuint (pstats.bytes_sent, ==, strlen (payload) + 100);
  g_assert_cmpuint (pstats.would_block, ==, 0);
  g_assert_cmpuint (pstats.send_errors, ==, 0);

  g_object_unref (pub);
  g_object_unref (sub);
}

static void
test_ipv4 (void)
{
  /* the kernel picks the source (a global address of lo: 10.99.0.1) */
  Path p = {"239.10.0.1", NULL, NULL, NULL, 6000 };

  check_send_receive (&p);
}

static void
test_ipv4_source (void)
{
  Path p = {"239.10.0.2", "lo", "10.99.0.2", "10.99.0.2", 6001 };

  check_send_receive (&p);
}

static void
test_ipv6 (void)
{
  Path p = {"ff11::10", "lo", NULL, NULL, 6002 };

  check_send_receive (&p);
}

static void
test_ipv6_source (void)
{
  Path p = {"ff11::11", "lo", "fd00:99::2", "fd00:99::2", 6003 };

  check_send_receive (&p);
}

/* Scatter/gather: two vectors make one datagram. */
static void
test_send_vectors (void)
{
  Path p = {"239.10.0.3", NULL, NULL, NULL, 6004 };
  MctxSubscription *sub = subscribe (&p);
  MctxPublication *pub = publish (&p);
  GOutputVector v[2] = { {"gather", 6}, {"-me", 3} };
  GError *error = NULL;

  g_assert_cmpint (mctx_publication_send_vectors (pub, v, 2, &error), ==, 9);
  g_assert_no_error (error);
  mctx_test_assert_next (sub, "gather-me");
  g_object_unref (pub);
  g_object_unref (sub);
}

/* GBytes receive, with an allocated info. */
static void
test_receive_bytes (void)
{
  Path p = {"239.10.0.4", NULL, NULL, NULL, 6005 };
  MctxSubscription *sub = subscribe (&p);
  MctxPublication *pub = publish (&p);
  MctxPacketInfo *info = NULL;
  GError *error = NULL;
  GBytes *bytes;

  mctx_test_send_string (pub, "as bytes");
  g_assert_true (mctx_subscription_wait_readable (sub, MCTX_TEST_TIMEOUT_US,
          NULL, &error));
  bytes = mctx_subscription_receive_bytes (sub, 1500, &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
      "as bytes", 8);
  g_assert_nonnull (info);
  g_assert_cmpuint (info->size, ==, 8);
  assert_address_is (&info->destination, p.group);
  g_bytes_unref (bytes);
  mctx_packet_info_free (info);

  /* nothing waiting: would block, no allocation */
  info = NULL;
  g_assert_null (mctx_subscription_receive_bytes (sub, 1500, &info, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  g_assert_null (info);

  g_object_unref (pub);
  g_object_unref (sub);
}

static void
test_send_report (void)
{
  Path p = {"239.10.0.5", NULL, "10.99.0.1", NULL, 6006 };
  MctxSubscription *sub = subscribe (&p);
  MctxPublication *pub = mctx_test_publication (p.group, p.port,
      "source", "10.99.0.1", "source-port", 40001, NULL);
  MctxSendReport *report;
  GError *error = NULL;
  gchar *s;

  report = mctx_publication_send_with_report (pub, (const guint8 *) "rep", 3,
      &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->bytes_sent, ==, 3);
  g_assert_cmpuint (report->datagrams_sent, ==, 1);
  mctx_test_assert_endpoint (report->destination, "239.10.0.5:6006");
  mctx_test_assert_endpoint (report->local_address, "10.99.0.1:40001");
  s = mctx_send_report_get_source_address (report);
  g_assert_cmpstr (s, ==, "10.99.0.1");
  g_free (s);
  {
    MctxSendReport *copy = mctx_send_report_copy (report);

    g_assert_cmpuint (copy->bytes_sent, ==, 3);
    mctx_send_report_free (copy);
  }
  mctx_send_report_free (report);

  /* and the receiver saw exactly that sender */
  {
    guint8 buf[16];
    MctxPacketInfo info;

    g_assert_cmpint (mctx_test_receive (sub, buf, sizeof buf, &info,
            MCTX_TEST_TIMEOUT_US), ==, 3);
    assert_address_is (&info.source, "10.99.0.1");
    g_assert_cmpuint (info.source_port, ==, 40001);
  }
  g_object_unref (pub);
  g_object_unref (sub);
}

static void
test_announce_tuple (void)
{
  MctxPublication *pub = mctx_publication_new ("239.10.0.6", 6007);
  gchar *source = NULL, *group = NULL;
  guint port = 0;
  GError *error = NULL;

  /* not open: nothing to announce */
  g_assert_false (mctx_publication_get_announce_tuple (pub, &source, &group,
          &port));
  g_assert_null (mctx_publication_get_source (pub));

  /* no configured source: the effective one is announced */
  g_assert_true (mctx_publication_open (pub, &error));
  g_assert_no_error (error);
  g_assert_null (mctx_publication_get_source (pub));
  g_assert_true (mctx_publication_get_announce_tuple (pub, &source, &group,
          &port));
  {
    gchar *effective = local_ip (pub);

    g_assert_cmpstr (source, ==, effective);
    g_assert_cmpstr (source, !=, "0.0.0.0");
    g_free (effective);
  }
  g_assert_cmpstr (group, ==, "239.10.0.6");
  g_assert_cmpuint (port, ==, 6007);
  g_free (source);
  g_free (group);
  mctx_publication_close (pub);

  g_object_set (pub, "source", "10.99.0.2", NULL);
  g_assert_true (mctx_publication_open (pub, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mctx_publication_get_source (pub), ==, "10.99.0.2");
  g_assert_true (mctx_publication_get_announce_tuple (pub, &source, NULL,
          NULL));
  g_assert_cmpstr (source, ==, "10.99.0.2");
  g_free (source);
  g_object_unref (pub);

  /* IPv6 */
  pub = mctx_test_publication ("ff11::12", 6007, "interface", "lo",
      "source", "fd00:99::1", NULL);
  g_assert_true (mctx_publication_get_announce_tuple (pub, &source, &group,
          &port));
  g_assert_cmpstr (source, ==, "fd00:99::1");
  g_assert_cmpstr (group, ==, "ff11::12");
  g_assert_cmpuint (port, ==, 6007);
  g_free (source);
  g_free (group);
  g_object_unref (pub);
}

static gint
sockopt_int (int fd, int level, int name)
{
  gint value = -12345;
  socklen_t len = sizeof value;

  g_assert_no_errno (getsockopt (fd, level, name, &value, &len));
  if (len == 1)                 /* IP_MULTICAST_TTL/LOOP may answer a byte */
    value = *(guint8 *) & value;
  return value;
}

/* ttl, loop and dscp apply to the open socket at once, by setter or by
 * property. */
static void
check_live_options (const gchar * group, const gchar * interface,
    gboolean v6)
{
  MctxPublication *pub = mctx_test_publication (group, 6008,
      "interface", interface, NULL);
  int fd = mctx_publication_get_fd (pub);
  int lvl = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
  int opt_ttl = v6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL;
  int opt_loop = v6 ? IPV6_MULTICAST_LOOP : IP_MULTICAST_LOOP;
  int opt_tos = v6 ? IPV6_TCLASS : IP_TOS;
  GError *error = NULL;
  gint ttl = 0;
  gboolean loop = FALSE;

  g_assert_cmpint (fd, >=, 0);
  /* defaults: ttl 1, loop on, dscp left alone (0) */
  g_assert_cmpint (sockopt_int (fd, lvl, opt_ttl), ==, 1);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_loop), ==, 1);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_tos), ==, 0);

  g_assert_true (mctx_publication_set_ttl (pub, 7, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_ttl), ==, 7);
  g_object_get (pub, "ttl", &ttl, NULL);
  g_assert_cmpint (ttl, ==, 7);
  g_object_set (pub, "ttl", 0, NULL);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_ttl), ==, 0);
  g_object_set (pub, "ttl", 255, NULL);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_ttl), ==, 255);

  g_assert_true (mctx_publication_set_loop (pub, FALSE, &error));
  g_assert_cmpint (sockopt_int (fd, lvl, opt_loop), ==, 0);
  g_object_get (pub, "loop", &loop, NULL);
  g_assert_false (loop);
  g_object_set (pub, "loop", TRUE, NULL);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_loop), ==, 1);

  /* EF = 46 -> TOS/traffic class 0xb8 (ECN bits stay 0) */
  g_assert_true (mctx_publication_set_dscp (pub, 46, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_tos), ==, 46 << 2);
  g_object_set (pub, "dscp", 10, NULL);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_tos), ==, 10 << 2);
  g_assert_true (mctx_publication_set_dscp (pub, 0, &error));
  g_assert_cmpint (sockopt_int (fd, lvl, opt_tos), ==, 0);

  /* a refused value leaves the socket alone */
  g_assert_false (mctx_publication_set_ttl (pub, 256, &error));
  g_clear_error (&error);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_ttl), ==, 255);

  /* settings made before open are applied by open */
  mctx_publication_close (pub);
  g_object_set (pub, "ttl", 9, "loop", FALSE, "dscp", 34, NULL);
  g_assert_true (mctx_publication_open (pub, &error));
  g_assert_no_error (error);
  fd = mctx_publication_get_fd (pub);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_ttl), ==, 9);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_loop), ==, 0);
  g_assert_cmpint (sockopt_int (fd, lvl, opt_tos), ==, 34 << 2);
  g_object_unref (pub);
}

static void
test_live_options_ipv4 (void)
{
  check_live_options ("239.10.0.7", "lo", FALSE);
}

static void
test_live_options_ipv6 (void)
{
  check_live_options ("ff11::13", "lo", TRUE);
}

/* loop=FALSE: a subscriber on the sending interface gets nothing.  Done on
 * a veth: on lo the kernel ignores IP_MULTICAST_LOOP (the datagram itself
 * comes back through lo).  "A" goes out with loop off, then "B" with loop
 * on; the receiver on a0 must see "B" first and nothing else. */
static void
check_loop_off (const gchar * group, guint port)
{
  const gchar *ifs[] = { "a0", NULL };
  MctxSubscription *sub = mctx_test_subscription (group, port,
      "interfaces", ifs, NULL);
  MctxPublication *quiet = mctx_test_publication (group, port,
      "interface", "a0", "loop", FALSE, NULL);
  MctxPublication *marker = mctx_test_publication (group, port,
      "interface", "a0", NULL);
  MctxPublicationStats stats;

  mctx_test_assert_filtered (sub, quiet, "A", marker, "B");
  /* "A" did leave: the kernel took it */
  mctx_publication_get_stats (quiet, &stats);
  g_assert_cmpuint (stats.packets_sent, ==, 1);

  /* and switching loop on at run time brings local delivery back */
  g_assert_true (mctx_publication_set_loop (quiet, TRUE, NULL));
  mctx_test_send_string (quiet, "C");
  mctx_test_assert_next (sub, "C");

  g_object_unref (quiet);
  g_object_unref (marker);
  g_object_unref (sub);
}

static void
test_loop_off_ipv4 (void)
{
  check_loop_off ("239.10.0.8", 6009);
}

static void
test_loop_off_ipv6 (void)
{
  check_loop_off ("ff1e::10:8", 6009);
}

/* /proc/net/igmp{,6} list the groups joined on each interface:
 *   igmp:  "1\tlo        :     1      V3" then "\t\t\t\t010000E0     1 ..."
 *   igmp6: "1    lo              ff020000000000000000000000000001 ..." */
static gboolean
group_joined_on (const gchar * group, const gchar * ifname)
{
  MctxAddress addr;
  gchar *contents = NULL, *hex, **lines, *current = NULL;
  gboolean v6, found = FALSE;
  guint i;

  g_assert_true (mctx_address_parse (group, NULL, &addr, NULL));
  v6 = addr.family == G_SOCKET_FAMILY_IPV6;
  g_assert_true (g_file_get_contents (v6 ? "/proc/net/igmp6" :
          "/proc/net/igmp", &contents, NULL, NULL));
  if (v6) {
    GString *s = g_string_new (NULL);

    for (i = 0; i < 16; i++)
      g_string_append_printf (s, "%02x", addr.bytes[i]);
    hex = g_string_free (s, FALSE);
  } else {
    /* the raw network-order word printed with %08X (little-endian host) */
    guint32 word;

    memcpy (&word, addr.bytes, 4);
    hex = g_strdup_printf ("%08X", GUINT32_FROM_LE (word));
  }
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] && !found; i++) {
    gchar *line = lines[i];
    gchar **f;

    if (!v6 && line[0] != '\0' && !g_ascii_isdigit (line[0])) {
      /* a group line of the current interface block */
      f = g_strsplit_set (g_strstrip (line), " \t", 2);
      found = g_strcmp0 (current, ifname) == 0 && f[0] &&
          g_ascii_strcasecmp (f[0], hex) == 0;
      g_strfreev (f);
      continue;
    }
    f = g_strsplit_set (line, " \t", -1);
    {
      /* drop empty fields from runs of blanks */
      gchar **w = f, **r = f;

      for (; *r; r++) {
        if (**r)
          *w++ = *r;
        else
          g_free (*r);
      }
      *w = NULL;
    }
    if (f[0] && f[1]) {
      if (v6)
        found = g_strcmp0 (f[1], ifname) == 0 && f[2] &&
            g_strcmp0 (f[2], hex) == 0;
      else {
        g_free (current);
        current = g_strdup (f[1]);
      }
    }
    g_strfreev (f);
  }
  g_free (current);
  g_strfreev (lines);
  g_free (hex);
  g_free (contents);
  return found;
}

static void
check_sender_does_not_join (const gchar * group)
{
  MctxPublication *pub = mctx_test_publication (group, 6010,
      "interface", "a0", NULL);
  const gchar *ifs[] = { "a0", NULL };
  MctxSubscription *sub;

  mctx_test_send_string (pub, "x");
  g_assert_false (group_joined_on (group, "a0"));
  g_assert_false (group_joined_on (group, "lo"));
  /* the check itself works: a subscription does join */
  sub = mctx_test_subscription (group, 6010, "interfaces", ifs, NULL);
  g_assert_true (group_joined_on (group, "a0"));
  g_object_unref (sub);
  g_object_unref (pub);
}

static void
test_sender_does_not_join (void)
{
  check_sender_does_not_join ("239.10.0.9");
  check_sender_does_not_join ("ff1e::10:9");
}

static const MctxTestCase tests[] = {
  {"/loopback/ipv4", test_ipv4},
  {"/loopback/ipv4-source", test_ipv4_source},
  {"/loopback/ipv6", test_ipv6},
  {"/loopback/ipv6-source", test_ipv6_source},
  {"/loopback/send-vectors", test_send_vectors},
  {"/loopback/receive-bytes", test_receive_bytes},
  {"/loopback/send-report", test_send_report},
  {"/loopback/announce-tuple", test_announce_tuple},
  {"/loopback/live-options/ipv4", test_live_options_ipv4},
  {"/loopback/live-options/ipv6", test_live_options_ipv6},
  {"/loopback/loop-off/ipv4", test_loop_off_ipv4},
  {"/loopback/loop-off/ipv6", test_loop_off_ipv6},
  {"/loopback/sender-does-not-join", test_sender_does_not_join},
};

MCTX_TEST_MAIN (mctx_test_netns_add_link_a, tests)
