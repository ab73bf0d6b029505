/* Interfaces on a real (virtual) wire: two veth pairs, a0<->a1 and b0<->b1.
 * Senders have loop off, so the only copy of a datagram is the one that
 * crossed the wire: where it arrives shows which interface it left from.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

typedef struct
{
  const gchar *group;
  /* per side: sender interface, its v4/v6 address, receiver interface */
  const gchar *tx[2], *tx_addr[2], *rx[2];
} Wire;

static const Wire wire4 = { "239.30.0.1",
  {"a0", "b0"}, {"10.1.0.1", "10.2.0.1"}, {"a1", "b1"}
};

static const Wire wire6 = { "ff1e::30:1",
  {"a0", "b0"}, {"fd01::1", "fd02::1"}, {"a1", "b1"}
};

static MctxSubscription *
sub_on (const gchar * group, guint port, const gchar * ifname)
{
  const gchar *ifs[] = { ifname, NULL };

  return mctx_test_subscription (group, port, "interfaces", ifs, NULL);
}

/* Sender whose way out is chosen by the given property only. */
typedef enum
{
  BY_NAME,
  BY_ADDRESS,
  BY_INDEX,
  BY_SOURCE,
} Choice;

static MctxPublication *
pub_choosing (const Wire * w, guint port, guint side, Choice how)
{
  MctxPublication *pub = mctx_publication_new (w->group, port);
  GError *error = NULL;

  g_object_set (pub, "loop", FALSE, NULL);
  switch (how) {
    case BY_NAME:
      g_object_set (pub, "interface", w->tx[side], NULL);
      break;
    case BY_ADDRESS:
      g_object_set (pub, "interface", w->tx_addr[side], NULL);
      break;
    case BY_INDEX:
      g_object_set (pub, "interface-index", mctx_test_ifindex (w->tx[side]),
          NULL);
      break;
    case BY_SOURCE:
      g_object_set (pub, "source", w->tx_addr[side], NULL);
      break;
  }
  if (!mctx_publication_open (pub, &error))
    g_error ("open: %s", error->message);
  return pub;
}

/* The chosen interface decides which receiver gets the datagram: send on
 * the chosen side, then a marker on the other side through a plainly
 * configured publication. Each receiver must see exactly its own. */
static void
check_choice (const Wire * w, guint port, Choice how)
{
  guint side;

  for (side = 0; side < 2; side++) {
    guint other = 1 - side;
    MctxSubscription *rx[2];
    MctxPublication *chosen, *marker;
    MctxPacketInfo info;
    guint8 buf[64];
    gssize n;

    rx[0] = sub_on (w->group, port, w->rx[0]);
    rx[1] = sub_on (w->group, port, w->rx[1]);
    chosen = pub_choosing (w, port, side, how);
    marker = pub_choosing (w, port, other, BY_NAME);
    g_test_message ("%s: choice %d, side %s", w->group, how, w->tx[side]);

    g_assert_cmpuint (mctx_publication_get_effective_interface_index (chosen),
        ==, mctx_test_ifindex (w->tx[side]));

    mctx_test_send_string (chosen, "chosen");
    mctx_test_send_string (marker, "marker");

    n = mctx_test_receive (rx[side], buf, sizeof buf, &info,
        MCTX_TEST_TIMEOUT_US);
    g_assert_cmpint (n, ==, 6);
    g_assert_cmpmem (buf, n, "chosen", 6);
    g_assert_cmpuint (info.interface_index, ==,
        mctx_test_ifindex (w->rx[side]));
    {
      /* the sender the publication reports; with a source, that one */
      gchar *src = mctx_address_to_string (&info.source);
      gchar *local = g_inet_address_to_string (g_inet_socket_address_get_address
          (mctx_publication_get_local_address (chosen)));

      g_assert_cmpstr (src, ==, local);
      if (how == BY_SOURCE)
        g_assert_cmpstr (src, ==, w->tx_addr[side]);
      g_free (local);
      g_free (src);
    }
    mctx_test_assert_empty (rx[side]);
    mctx_test_assert_next (rx[other], "marker");
    mctx_test_assert_empty (rx[other]);

    g_object_unref (chosen);
    g_object_unref (marker);
    g_object_unref (rx[0]);
    g_object_unref (rx[1]);
  }
}

/* Each choice on both families, on its own port.  By source: a source
 * address alone selects its interface; without it, IPv4 to 239/8 would
 * follow the 224/4 route to lo. */
static void
test_choice (gconstpointer data)
{
  Choice how = GPOINTER_TO_INT (data);

  check_choice (&wire4, 8000 + how, how);
  check_choice (&wire6, 8000 + how, how);
}

/* A subscription on a1 does not get what arrived on b1, even while another
 * socket of the host has joined the group on b1 (for IPv6 the kernel hands
 * such datagrams to every member socket; libmctx must drop them). */
static void
check_wrong_interface (const Wire * w, guint port)
{
  MctxSubscription *on_a = sub_on (w->group, port, w->rx[0]);
  MctxSubscription *on_b = sub_on (w->group, port, w->rx[1]);
  MctxPublication *via_a = pub_choosing (w, port, 0, BY_NAME);
  MctxPublication *via_b = pub_choosing (w, port, 1, BY_NAME);
  MctxSubscriptionStats stats;
  guint i;

  for (i = 0; i < 3; i++)
    mctx_test_send_string (via_b, "arrived on b1");
  mctx_test_send_string (via_a, "arrived on a1");
  mctx_test_assert_next (on_a, "arrived on a1");
  mctx_test_assert_empty (on_a);
  for (i = 0; i < 3; i++)
    mctx_test_assert_next (on_b, "arrived on b1");
  mctx_test_assert_empty (on_b);

  mctx_subscription_get_stats (on_a, &stats);
  g_assert_cmpuint (stats.packets_received, ==, 1);
  g_test_message ("%s: filtered on a1: %" G_GUINT64_FORMAT, w->group,
      stats.filtered);
  if (g_str_has_prefix (w->group, "ff")) {
    /* observable for IPv6 only: IPv4 memberships are per interface in the
     * kernel already */
    g_assert_cmpuint (stats.filtered, ==, 3);
  }
  mctx_subscription_get_stats (on_b, &stats);
  g_assert_cmpuint (stats.packets_received, ==, 3);

  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (on_a);
  g_object_unref (on_b);
}

/* A check run on the IPv4 wire, then on the IPv6 one, on one port. */
typedef struct
{
  void (*check) (const Wire * w, guint port);
  guint port;
} BothWires;

static void
test_both_wires (gconstpointer data)
{
  const BothWires *t = data;

  t->check (&wire4, t->port);
  t->check (&wire6, t->port);
}

static const BothWires wrong_interface = { check_wrong_interface, 8004 };

/* An IPv6 link-scope group: the same group number exists on every link;
 * only the chosen link's datagrams, to this group, are delivered. */
static void
test_ipv6_link_scope (void)
{
  MctxSubscription *sub = sub_on ("ff12::30:2", 8005, "a1");
  MctxSubscription *other_group = sub_on ("ff12::30:3", 8005, "a1");
  MctxSubscription *other_link = sub_on ("ff12::30:2", 8005, "b1");
  MctxPublication *pub_a = mctx_test_publication ("ff12::30:2", 8005,
      "interface", "a0", "loop", FALSE, NULL);
  MctxPublication *pub_b = mctx_test_publication ("ff12::30:2", 8005,
      "interface", "b0", "loop", FALSE, NULL);
  MctxPublication *pub_other = mctx_test_publication ("ff12::30:3", 8005,
      "interface", "a0", "loop", FALSE, NULL);

  /* unicast to a1's address and our port */
  mctx_test_send_unicast ("fd01::2", 8005);
  mctx_test_send_string (pub_other, "other group");
  mctx_test_assert_filtered (sub, pub_b, "other link", pub_a, "mine");
  mctx_test_assert_next (other_group, "other group");
  mctx_test_assert_empty (other_group);
  mctx_test_assert_next (other_link, "other link");
  mctx_test_assert_empty (other_link);

  g_object_unref (pub_a);
  g_object_unref (pub_b);
  g_object_unref (pub_other);
  g_object_unref (sub);
  g_object_unref (other_group);
  g_object_unref (other_link);
}

/* how often the interface is in the list: 1 when joined, never twice */
static guint
count_index (GArray * indexes, const gchar * ifname)
{
  guint i, n = 0, index = mctx_test_ifindex (ifname);

  for (i = 0; i < indexes->len; i++)
    n += g_array_index (indexes, guint, i) == index;
  return n;
}

/* "all": every up, multicast-capable interface; datagrams from both links
 * arrive, each tagged with its arrival interface. */
static void
check_all (const Wire * w, guint port, const gchar * const *ifs)
{
  MctxSubscription *sub = mctx_test_subscription (w->group, port,
      "interfaces", ifs, NULL);
  MctxPublication *via_a = pub_choosing (w, port, 0, BY_NAME);
  MctxPublication *via_b = pub_choosing (w, port, 1, BY_NAME);
  GArray *indexes = mctx_subscription_get_interface_indexes (sub);
  guint8 buf[64];
  MctxPacketInfo info;
  gboolean seen_a = FALSE, seen_b = FALSE;
  guint i;

  g_assert_cmpuint (count_index (indexes, "a1"), ==, 1);
  g_assert_cmpuint (count_index (indexes, "b1"), ==, 1);
  if (g_strcmp0 (ifs[0], "all") == 0) {
    g_assert_cmpuint (count_index (indexes, "a0"), ==, 1);
    g_assert_cmpuint (count_index (indexes, "lo"), ==, 1);
    /* c1 is down, c0 has no MULTICAST flag */
    g_assert_cmpuint (count_index (indexes, "c1"), ==, 0);
    g_assert_cmpuint (count_index (indexes, "c0"), ==, 0);
  } else {
    g_assert_cmpuint (indexes->len, ==, 2);
  }
  g_array_unref (indexes);

  mctx_test_send_string (via_a, "a");
  mctx_test_send_string (via_b, "b");
  for (i = 0; i < 2; i++) {
    gssize n = mctx_test_receive (sub, buf, sizeof buf, &info,
        MCTX_TEST_TIMEOUT_US);

    g_assert_cmpint (n, ==, 1);
    if (buf[0] == 'a') {
      g_assert_false (seen_a);
      seen_a = TRUE;
      g_assert_cmpuint (info.interface_index, ==, mctx_test_ifindex ("a1"));
    } else {
      g_assert_cmpint (buf[0], ==, 'b');
      g_assert_false (seen_b);
      seen_b = TRUE;
      g_assert_cmpuint (info.interface_index, ==, mctx_test_ifindex ("b1"));
    }
  }
  /* sent with loop off: no extra copies from the a0/b0 memberships */
  mctx_test_send_string (via_a, "end");
  mctx_test_assert_next (sub, "end");
  mctx_test_assert_empty (sub);

  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (sub);
}

static void
test_all_interfaces (void)
{
  const gchar *all[] = { "all", NULL };

  check_all (&wire4, 8006, all);
  check_all (&wire6, 8006, all);
}

static void
test_interface_list_property (void)
{
  const gchar *by_name[] = { "a1", "b1", NULL };
  const gchar *by_addr4[] = { "10.1.0.2", "10.2.0.2", NULL };
  const gchar *by_addr6[] = { "fd01::2", "fd02::2", NULL };

  check_all (&wire4, 8007, by_name);
  check_all (&wire6, 8007, by_name);
  check_all (&wire4, 8008, by_addr4);
  check_all (&wire6, 8008, by_addr6);
}

/* "interface-index" on a subscription. */
static void
test_subscription_interface_index (void)
{
  MctxSubscription *sub = mctx_test_subscription (wire4.group, 8009,
      "interface-index", mctx_test_ifindex ("b1"), NULL);
  MctxPublication *via_a = pub_choosing (&wire4, 8009, 0, BY_NAME);
  MctxPublication *via_b = pub_choosing (&wire4, 8009, 1, BY_NAME);
  GArray *indexes = mctx_subscription_get_interface_indexes (sub);

  g_assert_cmpuint (indexes->len, ==, 1);
  g_assert_cmpuint (g_array_index (indexes, guint, 0), ==,
      mctx_test_ifindex ("b1"));
  g_array_unref (indexes);
  mctx_test_assert_filtered (sub, via_a, "via a", via_b, "via b");
  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (sub);
}

/* Interfaces added and removed while open. */
static void
check_add_remove (const Wire * w, guint port)
{
  MctxSubscription *sub = sub_on (w->group, port, w->rx[0]);
  MctxPublication *via_a = pub_choosing (w, port, 0, BY_NAME);
  MctxPublication *via_b = pub_choosing (w, port, 1, BY_NAME);
  /* keeps the host a member on b1 throughout, so a forgotten filter
   * would show */
  MctxSubscription *b_member = sub_on (w->group, port, w->rx[1]);
  GError *error = NULL;
  GArray *indexes;

  mctx_test_assert_filtered (sub, via_b, "b before", via_a, "a before");

  g_assert_true (mctx_subscription_add_interface (sub, w->rx[1], &error));
  g_assert_no_error (error);
  indexes = mctx_subscription_get_interface_indexes (sub);
  g_assert_cmpuint (indexes->len, ==, 2);
  g_assert_cmpuint (count_index (indexes, w->rx[1]), ==, 1);
  g_array_unref (indexes);
  mctx_test_send_string (via_b, "b added");
  mctx_test_assert_next (sub, "b added");

  g_assert_true (mctx_subscription_remove_interface (sub, w->rx[0], &error));
  g_assert_no_error (error);
  indexes = mctx_subscription_get_interface_indexes (sub);
  g_assert_cmpuint (indexes->len, ==, 1);
  g_assert_cmpuint (g_array_index (indexes, guint, 0), ==,
      mctx_test_ifindex (w->rx[1]));
  g_array_unref (indexes);
  mctx_test_assert_filtered (sub, via_a, "a removed", via_b, "b only");

  /* errors: unknown interface, removing one that is not there */
  g_assert_false (mctx_subscription_add_interface (sub, "eth9", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "eth9");
  g_assert_false (mctx_subscription_remove_interface (sub, w->rx[0], &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, w->rx[0]));
  g_clear_error (&error);
  /* adding one twice is refused or harmless, never a double delivery */
  mctx_subscription_add_interface (sub, w->rx[1], &error);
  g_clear_error (&error);
  mctx_test_send_string (via_b, "once");
  mctx_test_assert_next (sub, "once");
  mctx_test_assert_empty (sub);

  g_object_unref (b_member);
  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (sub);
}

static const BothWires add_remove = { check_add_remove, 8010 };

/* Source filters apply on every joined interface: "all" with an include
 * list takes the listed source from a1 and nothing from b1. */
static void
check_ssm_all (const gchar * group, const gchar * allowed, guint port)
{
  const gchar *all[] = { "all", NULL };
  const gchar *sources[] = { allowed, NULL };
  MctxSubscription *sub = mctx_test_subscription (group, port,
      "interfaces", all, "sources", sources, NULL);
  MctxPublication *via_a = mctx_test_publication (group, port,
      "interface", "a0", "loop", FALSE, NULL);
  MctxPublication *via_b = mctx_test_publication (group, port,
      "interface", "b0", "loop", FALSE, NULL);

  mctx_test_assert_filter_rejoins (sub, via_b, "from b", via_a, "from a");

  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (sub);
}

static void
test_ssm_all (void)
{
  check_ssm_all ("232.30.0.4", "10.1.0.1", 8011);
  check_ssm_all ("ff3e::8000:30", "fd01::1", 8011);
}

/* An interface added at run time gets the same source filter as the
 * others: include (SSM) and exclude. b0 has a second address for the
 * unwanted source. */
static void
check_add_keeps_filter (const gchar * group, const gchar * prop,
    const gchar * listed, const gchar * wanted, const gchar * unwanted,
    guint port)
{
  const gchar *a1[] = { "a1", NULL };
  const gchar *list[] = { listed, NULL };
  MctxSubscription *sub = mctx_test_subscription (group, port,
      "interfaces", a1, prop, list, NULL);
  MctxPublication *good = mctx_test_publication (group, port,
      "interface", "b0", "source", wanted, "loop", FALSE, NULL);
  MctxPublication *bad = mctx_test_publication (group, port,
      "interface", "b0", "source", unwanted, "loop", FALSE, NULL);
  GError *error = NULL;

  g_assert_true (mctx_subscription_add_interface (sub, "b1", &error));
  g_assert_no_error (error);
  mctx_test_assert_filtered (sub, bad, "unwanted", good, "wanted");

  g_object_unref (good);
  g_object_unref (bad);
  g_object_unref (sub);
}

static void
test_add_interface_keeps_filter (void)
{
  check_add_keeps_filter ("232.30.0.5", "sources", "10.2.0.1", "10.2.0.1",
      "10.2.0.3", 8012);
  check_add_keeps_filter ("ff3e::8000:31", "sources", "fd02::1", "fd02::1",
      "fd02::3", 8012);
  check_add_keeps_filter ("239.30.0.6", "exclude-sources", "10.2.0.3",
      "10.2.0.1", "10.2.0.3", 8013);
  check_add_keeps_filter ("ff1e::30:6", "exclude-sources", "fd02::3",
      "fd02::1", "fd02::3", 8013);
}

/* No interface given: the one the routing table picks for the group, for
 * subscriptions and publications alike (a route sends 239.31/16 and
 * ff1e::31:0/112 to b1). */
static void
check_routed (const gchar * group, guint port)
{
  MctxSubscription *sub = mctx_test_subscription (group, port, NULL);
  MctxPublication *routed = mctx_test_publication (group, port, NULL);
  MctxPublication *via_a = mctx_test_publication (group, port,
      "interface", "a0", "loop", FALSE, NULL);
  MctxPublication *via_b = mctx_test_publication (group, port,
      "interface", "b0", "loop", FALSE, NULL);
  GArray *indexes = mctx_subscription_get_interface_indexes (sub);

  g_assert_cmpuint (indexes->len, ==, 1);
  g_assert_cmpuint (g_array_index (indexes, guint, 0), ==,
      mctx_test_ifindex ("b1"));
  g_array_unref (indexes);
  g_assert_cmpuint (mctx_publication_get_effective_interface_index (routed),
      ==, mctx_test_ifindex ("b1"));

  mctx_test_assert_filtered (sub, via_a, "via a", via_b, "via b");

  g_object_unref (routed);
  g_object_unref (via_a);
  g_object_unref (via_b);
  g_object_unref (sub);
}

static void
test_routed_interface (void)
{
  check_routed ("239.31.0.1", 8014);
  check_routed ("ff1e::31:1", 8014);
}

/* ---- interface discovery ---- */

static MctxInterface *
find_in_list (GList * list, const gchar * name)
{
  GList *l;

  for (l = list; l; l = l->next)
    if (g_strcmp0 (mctx_interface_get_name (l->data), name) == 0)
      return l->data;
  return NULL;
}

static gboolean
has_inet (MctxInterface * iface, const gchar * text)
{
  GList *addrs = mctx_interface_get_addresses (iface), *l;
  gboolean found = FALSE;

  for (l = addrs; l; l = l->next) {
    gchar *s = g_inet_address_to_string (l->data);

    if (g_strcmp0 (s, text) == 0)
      found = TRUE;
    g_free (s);
  }
  g_list_free_full (addrs, g_object_unref);
  return found;
}

static void
test_interface_list (void)
{
  GError *error = NULL;
  GList *list = mctx_interface_list (&error);
  MctxInterface *lo, *a0, *a1, *c0, *c1;
  MctxAddress addr;
  const MctxInterfaceFlags up_mc = MCTX_INTERFACE_FLAG_UP |
      MCTX_INTERFACE_FLAG_RUNNING | MCTX_INTERFACE_FLAG_MULTICAST;

  g_assert_no_error (error);
  /* lo a0 a1 b0 b1 c0 c1 and nothing else in our namespace */
  g_assert_cmpuint (g_list_length (list), ==, 7);

  lo = find_in_list (list, "lo");
  a0 = find_in_list (list, "a0");
  a1 = find_in_list (list, "a1");
  c0 = find_in_list (list, "c0");
  c1 = find_in_list (list, "c1");
  g_assert_nonnull (lo);
  g_assert_nonnull (a0);
  g_assert_nonnull (a1);
  g_assert_nonnull (c0);
  g_assert_nonnull (c1);

  g_assert_cmpuint (mctx_interface_get_index (lo), ==, 1);
  g_assert_cmpuint (mctx_interface_get_index (a0), ==, mctx_test_ifindex ("a0"));
  g_assert_cmpuint (mctx_interface_get_index (a1), ==, mctx_test_ifindex ("a1"));
  g_assert_cmpuint (mctx_interface_get_flags (lo) & (up_mc |
          MCTX_INTERFACE_FLAG_LOOPBACK), ==, up_mc | MCTX_INTERFACE_FLAG_LOOPBACK);
  g_assert_cmpuint (mctx_interface_get_flags (a0), ==, up_mc);
  g_assert_cmpuint (mctx_interface_get_flags (a1), ==, up_mc);
  /* c1 is down (so c0 has no carrier either); c0 has no MULTICAST */
  g_assert_false (mctx_interface_get_flags (c1) & MCTX_INTERFACE_FLAG_UP);
  g_assert_false (mctx_interface_get_flags (c1) & MCTX_INTERFACE_FLAG_RUNNING);
  g_assert_true (mctx_interface_get_flags (c0) & MCTX_INTERFACE_FLAG_UP);
  g_assert_false (mctx_interface_get_flags (c0) &
      MCTX_INTERFACE_FLAG_MULTICAST);
  g_assert_false (mctx_interface_get_flags (c0) & MCTX_INTERFACE_FLAG_RUNNING);

  g_assert_true (has_inet (a0, "10.1.0.1"));
  g_assert_true (has_inet (a0, "fd01::1"));
  g_assert_false (has_inet (a0, "10.1.0.2"));
  g_assert_true (has_inet (a1, "10.1.0.2"));
  g_assert_true (has_inet (a1, "fd01::2"));
  g_assert_true (has_inet (lo, "127.0.0.1"));
  g_assert_true (has_inet (lo, "::1"));

  g_assert_true (mctx_address_parse ("fd01::1", NULL, &addr, NULL));
  g_assert_true (mctx_interface_has_address (a0, &addr));
  g_assert_false (mctx_interface_has_address (a1, &addr));

  g_list_free_full (list, g_object_unref);
}

static void
assert_iface (MctxInterface * iface, GError * error, const gchar * name)
{
  g_assert_no_error (error);
  g_assert_nonnull (iface);
  g_assert_cmpstr (mctx_interface_get_name (iface), ==, name);
  g_object_unref (iface);
}

static void
test_interface_lookup (void)
{
  GError *error = NULL;
  MctxInterface *iface;
  MctxAddress dest;

  iface = mctx_interface_lookup ("b1", G_SOCKET_FAMILY_INVALID, &error);
  assert_iface (iface, error, "b1");
  iface = mctx_interface_lookup ("10.1.0.2", G_SOCKET_FAMILY_IPV4, &error);
  assert_iface (iface, error, "a1");
  iface = mctx_interface_lookup ("fd02::2", G_SOCKET_FAMILY_IPV6, &error);
  assert_iface (iface, error, "b1");
  iface = mctx_interface_lookup ("fd02::1", G_SOCKET_FAMILY_INVALID, &error);
  assert_iface (iface, error, "b0");
  iface = mctx_interface_lookup_index (mctx_test_ifindex ("b0"), &error);
  assert_iface (iface, error, "b0");

  g_assert_null (mctx_interface_lookup ("eth9", G_SOCKET_FAMILY_INVALID,
          &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "eth9");
  g_assert_null (mctx_interface_lookup ("10.9.9.9", G_SOCKET_FAMILY_IPV4,
          &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "10.9.9.9");
  g_assert_null (mctx_interface_lookup_index (9999, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_INTERFACE_NOT_FOUND,
      "9999");
  /* an address of the wrong family for the lookup */
  g_assert_null (mctx_interface_lookup ("10.1.0.2", G_SOCKET_FAMILY_IPV6,
          &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == MCTX_ERROR);
  g_assert_nonnull (strstr (error->message, "10.1.0.2"));
  g_clear_error (&error);

  /* routing decisions */
  g_assert_true (mctx_address_parse ("10.2.0.77", NULL, &dest, NULL));
  iface = mctx_interface_for_destination (&dest, &error);
  assert_iface (iface, error, "b0");
  g_assert_true (mctx_address_parse ("fd01::77", NULL, &dest, NULL));
  iface = mctx_interface_for_destination (&dest, &error);
  assert_iface (iface, error, "a0");
  g_assert_true (mctx_address_parse ("239.30.0.99", NULL, &dest, NULL));
  iface = mctx_interface_for_destination (&dest, &error);
  assert_iface (iface, error, "lo");
}

static void
test_default_interface (void)
{
  GError *error = NULL;
  MctxInterface *iface;

  /* no default route yet */
  g_assert_null (mctx_interface_get_default (G_SOCKET_FAMILY_IPV4, &error));
  g_assert_error (error, MCTX_ERROR, MCTX_ERROR_INTERFACE_NOT_FOUND);
  g_clear_error (&error);

  mctx_test_run ("ip route add default dev b0 metric 10");
  mctx_test_run ("ip -6 route add default dev a0");
  iface = mctx_interface_get_default (G_SOCKET_FAMILY_IPV4, &error);
  assert_iface (iface, error, "b0");
  iface = mctx_interface_get_default (G_SOCKET_FAMILY_IPV6, &error);
  assert_iface (iface, error, "a0");

  /* the lowest metric wins (b0 has 10) */
  mctx_test_run ("ip route add default dev a0 metric 5");
  iface = mctx_interface_get_default (G_SOCKET_FAMILY_IPV4, &error);
  assert_iface (iface, error, "a0");

  mctx_test_run ("ip route del default dev a0 metric 5");
  mctx_test_run ("ip route del default dev b0 metric 10");
  mctx_test_run ("ip -6 route del default dev a0");
}

/* An address label ("a0:7") is an address of a0, not an interface. */
static void
test_address_label (void)
{
  const gchar *all[] = { "all", NULL };
  MctxSubscription *sub;
  MctxInterface *itf;
  GList *list, *l;
  GError *error = NULL;
  guint a0 = 0;

  mctx_test_run ("ip addr add 10.1.0.77/24 dev a0 label a0:7");
  list = mctx_interface_list (&error);
  g_assert_no_error (error);
  for (l = list; l != NULL; l = l->next) {
    g_assert_cmpstr (mctx_interface_get_name (l->data), !=, "a0:7");
    if (g_strcmp0 (mctx_interface_get_name (l->data), "a0") == 0)
      a0++;
  }
  g_assert_cmpuint (a0, ==, 1);
  g_list_free_full (list, g_object_unref);
  itf = mctx_interface_lookup ("10.1.0.77", G_SOCKET_FAMILY_IPV4, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mctx_interface_get_name (itf), ==, "a0");
  g_object_unref (itf);
  /* "all" must not join a0 twice (that fails with EADDRINUSE) */
  sub = mctx_test_subscription ("239.30.0.77", 5077, "interfaces", all, NULL);
  g_object_unref (sub);
  mctx_test_run ("ip addr del 10.1.0.77/24 dev a0");
}

/* links and addresses, in the namespace before any thread exists */
static void
setup (void)
{
  mctx_test_netns_add_link ("a", 1, TRUE, NULL);
  mctx_test_netns_add_link ("b", 2, TRUE, NULL);
  /* second addresses on b0: a second source on the b link */
  mctx_test_run ("ip addr add 10.2.0.3/24 dev b0");
  mctx_test_run ("ip -6 addr add fd02::3/64 dev b0 nodad");
  /* routes that pick b1 for some groups */
  mctx_test_run ("ip route add 239.31.0.0/16 dev b1");
  mctx_test_run ("ip -6 route add ff1e::31:0/112 dev b1 table local");
  /* c0/c1: c1 down, c0 up without MULTICAST: never part of "all" */
  mctx_test_run ("ip link add c0 type veth peer name c1");
  mctx_test_run ("ip link set c0 multicast off up");
}

static const MctxTestCase tests[] = {
  {"/veth/choice/by-name", NULL, test_choice, GINT_TO_POINTER (BY_NAME)},
  {"/veth/choice/by-address", NULL, test_choice,
      GINT_TO_POINTER (BY_ADDRESS)},
  {"/veth/choice/by-index", NULL, test_choice, GINT_TO_POINTER (BY_INDEX)},
  {"/veth/choice/by-source", NULL, test_choice, GINT_TO_POINTER (BY_SOURCE)},
  {"/veth/wrong-interface", NULL, test_both_wires, &wrong_interface},
  {"/veth/ipv6-link-scope", test_ipv6_link_scope},
  {"/veth/all-interfaces", test_all_interfaces},
  {"/veth/interface-list-property", test_interface_list_property},
  {"/veth/subscription-interface-index", test_subscription_interface_index},
  {"/veth/add-remove-interface", NULL, test_both_wires, &add_remove},
  {"/veth/ssm-all", test_ssm_all},
  {"/veth/routed-interface", test_routed_interface},
  {"/veth/add-interface-keeps-filter", test_add_interface_keeps_filter},
  {"/veth/interfaces/list", test_interface_list},
  {"/veth/interfaces/lookup", test_interface_lookup},
  {"/veth/interfaces/default", test_default_interface},
  {"/veth/interfaces/address-label", test_address_label},
};

MCTX_TEST_MAIN (setup, tests)
