/* What a subscription must NOT deliver: other groups, unicast to its port,
 * sources outside its include list or inside its exclude list, anything
 * while it has left the group.  And what it must: every datagram to each
 * of several subscriptions of one group and port.
 *
 * Negative checks use markers instead of timeouts: the unwanted datagram is
 * sent first, then a wanted one; the wanted one must be the next delivered.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const gchar *lo_only[] = { "lo", NULL };

/* Publication from a given source on lo. */
static MctxPublication *
pub_from (const gchar * group, guint port, const gchar * source)
{
  return mctx_test_publication (group, port, "interface", "lo",
      "source", source, NULL);
}

/* Two groups on the same port: each subscription gets its own only. */
static void
check_other_group (const gchar * g1, const gchar * g2, guint port)
{
  MctxSubscription *s1 = mctx_test_lo_subscription (g1, port);
  MctxSubscription *s2 = mctx_test_lo_subscription (g2, port);
  MctxPublication *p1 = mctx_test_publication (g1, port, "interface", "lo",
      NULL);
  MctxPublication *p2 = mctx_test_publication (g2, port, "interface", "lo",
      NULL);

  mctx_test_assert_filtered (s1, p2, "to g2", p1, "to g1");
  mctx_test_assert_next (s2, "to g2");
  mctx_test_assert_empty (s2);

  g_object_unref (p1);
  g_object_unref (p2);
  g_object_unref (s1);
  g_object_unref (s2);
}

static void
test_other_group_ipv4 (void)
{
  check_other_group ("239.20.0.1", "239.20.0.2", 7000);
}

static void
test_other_group_ipv6 (void)
{
  check_other_group ("ff11::20:1", "ff11::20:2", 7000);
}

/* A group only we listen to on this port: another process' group on the
 * same port must not leak in even though the host has joined it (the
 * IP_MULTICAST_ALL pitfall). */
static void
test_foreign_membership (void)
{
  MctxSubscription *mine = mctx_test_lo_subscription ("239.20.0.3", 7001);
  MctxPublication *other = mctx_test_lo_publication ("239.20.0.4", 7001);
  MctxPublication *own = mctx_test_lo_publication ("239.20.0.3", 7001);
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ip_mreqn mreq = {.imr_ifindex = 1 };
  int one = 1;
  struct sockaddr_in sa = {.sin_family = AF_INET,.sin_port = htons (7001) };

  /* a plain socket, as another program would have, joins 239.20.0.4 */
  g_assert_no_errno (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one,
          sizeof one));
  g_assert_no_errno (bind (fd, (struct sockaddr *) &sa, sizeof sa));
  inet_pton (AF_INET, "239.20.0.4", &mreq.imr_multiaddr);
  g_assert_no_errno (setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
          sizeof mreq));

  mctx_test_assert_filtered (mine, other, "foreign", own, "own");

  close (fd);
  g_object_unref (other);
  g_object_unref (own);
  g_object_unref (mine);
}

/* Unicast to the subscription's port (on any of the local addresses,
 * @local is NULL-terminated) never reaches the caller. */
static void
check_unicast (const gchar * group, const gchar * const *local, guint port)
{
  MctxSubscription *sub = mctx_test_lo_subscription (group, port);
  MctxPublication *marker = mctx_test_lo_publication (group, port);

  for (; *local; local++)
    mctx_test_send_unicast (*local, port);
  mctx_test_send_string (marker, "marker");
  mctx_test_assert_next (sub, "marker");
  mctx_test_assert_empty (sub);
  g_object_unref (marker);
  g_object_unref (sub);
}

static void
test_unicast_ipv4 (void)
{
  const gchar *local[] = { "127.0.0.1", "10.99.0.1", NULL };

  check_unicast ("239.20.0.5", local, 7002);
}

static void
test_unicast_ipv6 (void)
{
  const gchar *local[] = { "::1", "fd00:99::1", NULL };

  check_unicast ("ff11::20:5", local, 7002);
}

/* Source filters on lo: of two real sources, @ok gets through and @bad
 * does not, also after leave + join.  An include list names @ok (and a
 * second subscription listing both gets both); an exclude list names
 * @bad. */
static void
check_source_filter (gboolean exclude, const gchar * group,
    const gchar * ok, const gchar * bad, guint port)
{
  const gchar *listed[] = { exclude ? bad : ok, NULL };
  const gchar *both[] = { ok, bad, NULL };
  MctxSubscription *sub = mctx_test_subscription (group, port,
      "interfaces", lo_only, exclude ? "exclude-sources" : "sources", listed,
      NULL);
  MctxSubscription *sub2 = exclude ? NULL : mctx_test_subscription (group,
      port, "interfaces", lo_only, "sources", both, NULL);
  MctxPublication *p_ok = pub_from (group, port, ok);
  MctxPublication *p_bad = pub_from (group, port, bad);
  guint8 buf[64];
  MctxPacketInfo info;

  if (exclude) {
    mctx_test_assert_filter_rejoins (sub, p_bad, "excluded", p_ok,
        "welcome");
  } else {
    mctx_test_assert_filter_rejoins (sub, p_bad, "from outsider", p_ok,
        "from listed");
    /* the one listing both got both, the outsider's first */
    mctx_test_assert_next (sub2, "from outsider");
    g_assert_cmpint (mctx_test_receive (sub2, buf, sizeof buf, &info,
            MCTX_TEST_TIMEOUT_US), ==, strlen ("from listed"));
    {
      gchar *src = mctx_address_to_string (&info.source);

      g_assert_cmpstr (src, ==, ok);
      g_free (src);
    }
    g_object_unref (sub2);
  }
  g_object_unref (p_ok);
  g_object_unref (p_bad);
  g_object_unref (sub);
}

/* the groups (each with the source that passes and the one that does not)
 * of one test, on one port */
typedef struct
{
  gboolean exclude;
  guint port;
  const gchar *runs[2][3];      /* group, ok, bad; NULL group: no run */
} SourceTest;

static const SourceTest ssm_include_ipv4 = { FALSE, 7003,
  {{"232.20.0.1", "10.99.0.1", "10.99.0.2"}}
};

static const SourceTest ssm_include_ipv6 = { FALSE, 7003,
  {{"ff31::8000:20", "fd00:99::1", "fd00:99::2"}}
};

/* Include list on an any-source group (IGMPv3/MLDv2 include mode). */
static const SourceTest include_asm = { FALSE, 7004,
  {{"239.20.0.6", "10.99.0.2", "10.99.0.1"},
      {"ff11::20:6", "fd00:99::2", "fd00:99::1"}}
};

static const SourceTest exclude_ipv4 = { TRUE, 7005,
  {{"239.20.0.7", "10.99.0.2", "10.99.0.1"}}
};

static const SourceTest exclude_ipv6 = { TRUE, 7005,
  {{"ff11::20:7", "fd00:99::2", "fd00:99::1"}}
};

static void
test_source_filter (gconstpointer data)
{
  const SourceTest *t = data;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (t->runs) && t->runs[i][0]; i++)
    check_source_filter (t->exclude, t->runs[i][0], t->runs[i][1],
        t->runs[i][2], t->port);
}

/* Several subscriptions to one group and port in one process: each gets
 * every datagram, in order. */
static void
check_fan_out (const gchar * group, guint port)
{
  enum { N_SUBS = 3, N_MSGS = 5 };
  MctxSubscription *subs[N_SUBS];
  MctxPublication *pub = mctx_test_lo_publication (group, port);
  guint i, j;

  for (i = 0; i < N_SUBS; i++)
    subs[i] = mctx_test_subscription (group, port, "interfaces", lo_only,
        NULL);
  for (j = 0; j < N_MSGS; j++) {
    gchar *text = g_strdup_printf ("msg %u", j);

    mctx_test_send_string (pub, text);
    g_free (text);
  }
  for (i = 0; i < N_SUBS; i++) {
    MctxSubscriptionStats stats;

    for (j = 0; j < N_MSGS; j++) {
      gchar *text = g_strdup_printf ("msg %u", j);

      mctx_test_assert_next (subs[i], text);
      g_free (text);
    }
    mctx_test_assert_empty (subs[i]);
    mctx_subscription_get_stats (subs[i], &stats);
    g_assert_cmpuint (stats.packets_received, ==, N_MSGS);
    g_object_unref (subs[i]);
  }
  g_object_unref (pub);
}

static void
test_fan_out_ipv4 (void)
{
  check_fan_out ("239.20.0.8", 7006);
}

static void
test_fan_out_ipv6 (void)
{
  check_fan_out ("ff11::20:8", 7006);
}

/* leave() drops the membership while the socket stays open; join() brings
 * it back.  A second, always-joined subscription is the marker: once it has
 * a datagram, the kernel has delivered that datagram everywhere. */
static void
check_join_leave (const gchar * group, guint port)
{
  MctxSubscription *sub = mctx_test_lo_subscription (group, port);
  MctxSubscription *witness = mctx_test_lo_subscription (group, port);
  MctxPublication *pub = mctx_test_lo_publication (group, port);
  GError *error = NULL;
  gint fd = mctx_subscription_get_fd (sub);

  g_assert_true (mctx_subscription_is_joined (sub));
  mctx_test_send_string (pub, "1");
  mctx_test_assert_next (sub, "1");
  mctx_test_assert_next (witness, "1");

  g_assert_true (mctx_subscription_leave (sub, &error));
  g_assert_no_error (error);
  g_assert_false (mctx_subscription_is_joined (sub));
  g_assert_true (mctx_subscription_is_open (sub));
  g_assert_cmpint (mctx_subscription_get_fd (sub), ==, fd);
  mctx_test_send_string (pub, "2");
  mctx_test_assert_next (witness, "2");
  mctx_test_assert_empty (sub);

  g_assert_true (mctx_subscription_join (sub, &error));
  g_assert_no_error (error);
  g_assert_true (mctx_subscription_is_joined (sub));
  g_assert_cmpint (mctx_subscription_get_fd (sub), ==, fd);
  mctx_test_send_string (pub, "3");
  mctx_test_assert_next (sub, "3");
  mctx_test_assert_next (witness, "3");

  /* leave twice / join twice are harmless */
  g_assert_true (mctx_subscription_leave (sub, &error));
  g_assert_no_error (error);
  mctx_subscription_leave (sub, &error);
  g_clear_error (&error);
  g_assert_false (mctx_subscription_is_joined (sub));
  g_assert_true (mctx_subscription_join (sub, &error));
  g_assert_no_error (error);
  mctx_subscription_join (sub, &error);
  g_clear_error (&error);
  g_assert_true (mctx_subscription_is_joined (sub));
  mctx_test_send_string (pub, "4");
  mctx_test_assert_next (sub, "4");
  mctx_test_assert_empty (sub);

  g_object_unref (pub);
  g_object_unref (witness);
  g_object_unref (sub);
}

static void
test_join_leave_ipv4 (void)
{
  check_join_leave ("239.20.0.9", 7007);
}

static void
test_join_leave_ipv6 (void)
{
  check_join_leave ("ff11::20:9", 7007);
}

/* join/leave on a closed subscription are refused. */
static void
test_join_not_open (void)
{
  MctxSubscription *sub = mctx_subscription_new ("239.20.0.10", 7008);
  GError *error = NULL;

  g_assert_false (mctx_subscription_is_joined (sub));
  g_assert_false (mctx_subscription_join (sub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN, NULL);
  g_assert_false (mctx_subscription_leave (sub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_OPEN, NULL);
  g_object_unref (sub);
}

static const MctxTestCase tests[] = {
  {"/filter/other-group/ipv4", test_other_group_ipv4},
  {"/filter/other-group/ipv6", test_other_group_ipv6},
  {"/filter/foreign-membership", test_foreign_membership},
  {"/filter/unicast/ipv4", test_unicast_ipv4},
  {"/filter/unicast/ipv6", test_unicast_ipv6},
  {"/filter/ssm-include/ipv4", NULL, test_source_filter, &ssm_include_ipv4},
  {"/filter/ssm-include/ipv6", NULL, test_source_filter, &ssm_include_ipv6},
  {"/filter/include-asm", NULL, test_source_filter, &include_asm},
  {"/filter/exclude/ipv4", NULL, test_source_filter, &exclude_ipv4},
  {"/filter/exclude/ipv6", NULL, test_source_filter, &exclude_ipv6},
  {"/filter/fan-out/ipv4", test_fan_out_ipv4},
  {"/filter/fan-out/ipv6", test_fan_out_ipv6},
  {"/filter/join-leave/ipv4", test_join_leave_ipv4},
  {"/filter/join-leave/ipv6", test_join_leave_ipv6},
  {"/filter/join-not-open", test_join_not_open},
};

MCTX_TEST_MAIN (NULL, tests)
