/* mctxsrc delivers only what it subscribed to, on IPv4 and IPv6.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Real datagrams from several source addresses over veth pairs, in the
 * test's own network namespace:
 *
 *   a0 (S1, S2) <-> a1 (R)      the receiver joins on a1
 *   b0 (SB)     <-> b1          another interface of the receiving host
 *
 * Every case sends the traffic mctxsrc must not deliver ("junk"), then a
 * "marker" datagram it must deliver over the same path as far as possible:
 * the first buffer out of mctxsrc must be the marker (a missing filter
 * shows up as a junk buffer before it), and nothing may follow.  Where the
 * junk is something the host does receive (another group, another
 * interface), a second receiver subscribed to exactly that junk proves it
 * really reached the host.  Senders have loop off, so a datagram sent out
 * of a0 exists only on a1, and one sent out of b0 only on b1.
 */
#include "gstmctx-check.h"

#include <string.h>

typedef struct
{
  const gchar *name;
  const gchar *group;           /* any-source group */
  const gchar *other_group;     /* another group, same port */
  const gchar *ssm_group;       /* source-specific group */
  const gchar *s1, *s2;         /* addresses of a0 */
  const gchar *sb;              /* address of b0 */
  const gchar *r;               /* address of a1 (the receiver's side) */
  const gchar *rb;              /* address of b1 */
  const gchar *loopback;
} Family;

static const Family families[] = {
  {"IPv4", "239.50.0.1", "239.50.0.2", "232.50.0.1", "10.50.1.1",
      "10.50.1.2", "10.50.2.1", "10.50.1.10", "10.50.2.10", "127.0.0.1"},
  {"IPv6", "ff1e::50:1", "ff1e::50:2", "ff3e::50:1", "fd00:50:1::1",
      "fd00:50:1::2", "fd00:50:2::1", "fd00:50:1::10", "fd00:50:2::10",
      "::1"},
  /* link-scope groups: libmctx binds ANY for these (a socket bound to a
   * link-scope group would be tied to one device) and drops what is not
   * for it by each datagram's destination and arrival interface */
  {"IPv6 link-scope", "ff12::50:1", "ff12::50:2", "ff32::50:1",
        "fd00:50:1::1", "fd00:50:1::2", "fd00:50:2::1", "fd00:50:1::10",
      "fd00:50:2::10", "::1"},
};

/* families[] entries whose receiver socket is bound to ANY */
#define BINDS_ANY(f) (g_str_has_prefix ((f)->group, "ff12"))

static void
setup_network (void)
{
  mctx_test_netns_add_veth ("a0", "a1", "10.50.1.1/24", "10.50.1.10/24",
      "fd00:50:1::1/64", "fd00:50:1::10/64");
  mctx_test_netns_add_veth ("b0", "b1", "10.50.2.1/24", "10.50.2.10/24",
      "fd00:50:2::1/64", "fd00:50:2::10/64");
  /* a second source on the sending side of the receiver's link */
  mctx_test_run ("ip addr add 10.50.1.2/24 dev a0");
  mctx_test_run ("ip -6 addr add fd00:50:1::2/64 dev a0 nodad");
}

/* a sender bound to source, out of iface, with loop off: its datagrams
 * exist only on the peer of iface */
static MctxPublication *
sender (const gchar * group, guint port, const gchar * source,
    const gchar * iface)
{
  MctxPublication *pub = mctx_publication_new (group, port);
  GError *err = NULL;

  g_object_set (pub, "source", source, "interface", iface, "loop", FALSE,
      NULL);
  fail_unless (mctx_publication_open (pub, &err), "sender %s from %s on %s: "
      "%s", group, source, iface, err ? err->message : "?");
  return pub;
}

static void
send_text (MctxPublication * pub, const gchar * text)
{
  GError *err = NULL;

  fail_unless_equals_int (mctx_publication_send (pub, (const guint8 *) text,
          strlen (text), &err), (gssize) strlen (text));
}

/* unicast from `from` to to:port (the receiver's port) */
static void
send_unicast (const gchar * from, const gchar * to, guint port,
    const gchar * text)
{
  GInetAddress *src = g_inet_address_new_from_string (from);
  GSocketAddress *bind_addr = g_inet_socket_address_new (src, 0);
  GSocketAddress *dest = g_inet_socket_address_new_from_string (to, port);
  GSocket *sock;
  GError *err = NULL;

  fail_unless (dest != NULL);
  sock = g_socket_new (g_inet_address_get_family (src),
      G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &err);
  fail_unless (sock != NULL);
  fail_unless (g_socket_bind (sock, bind_addr, FALSE, &err), "bind %s: %s",
      from, err ? err->message : "?");
  fail_unless_equals_int (g_socket_send_to (sock, dest, text, strlen (text),
          NULL, &err), (gssize) strlen (text));

  g_object_unref (sock);
  g_object_unref (dest);
  g_object_unref (bind_addr);
  g_object_unref (src);
}

static GstElement *
receiver (const gchar * props, guint port)
{
  gchar *desc = g_strdup_printf ("mctxsrc name=src %s port=%u", props, port);
  GstElement *rx = mctx_rx_start (desc);

  g_free (desc);
  return rx;
}

/* the marker comes first and alone */
static void
expect_only_marker (GstElement * rx, const gchar * marker, const gchar * what)
{
  GstBuffer *buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  GstMapInfo map;

  fail_unless (buf != NULL, "%s: the marker did not arrive", what);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless (map.size == strlen (marker)
      && memcmp (map.data, marker, map.size) == 0,
      "%s: delivered '%.*s' before the marker", what, (int) map.size,
      map.data);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  mctx_rx_expect_nothing (rx);
}

#define FAM (&families[__i__])

/* another group on the same port, joined on the same interface by someone
 * else on the host */
GST_START_TEST (test_other_group)
{
  const Family *f = FAM;
  guint port = 5200 + __i__;
  gchar *props = g_strdup_printf ("address=%s interface=a1", f->group);
  gchar *other = g_strdup_printf ("address=%s interface=a1", f->other_group);
  GstElement *rx = receiver (props, port);
  GstElement *control = receiver (other, port);
  MctxPublication *junk = sender (f->other_group, port, f->s1, "a0");
  MctxPublication *good = sender (f->group, port, f->s1, "a0");

  send_text (junk, "other-group");
  send_text (good, "marker");
  expect_only_marker (rx, "marker", f->name);
  /* the junk did reach the host */
  mctx_rx_expect (control, "other-group");
  mctx_rx_expect_nothing (control);

  g_object_unref (junk);
  g_object_unref (good);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (control);
  g_free (props);
  g_free (other);
}

GST_END_TEST;

/* unicast to the port: to the receiving interface's address, from the
 * peer and from the host itself, and to loopback */
GST_START_TEST (test_unicast)
{
  const Family *f = FAM;
  guint port = 5210 + __i__;
  gchar *props = g_strdup_printf ("address=%s interface=a1", f->group);
  GstElement *rx = receiver (props, port);
  MctxPublication *good = sender (f->group, port, f->s1, "a0");

  send_unicast (f->s1, f->r, port, "unicast-from-peer");
  send_unicast (f->r, f->r, port, "unicast-local");
  send_unicast (f->sb, f->rb, port, "unicast-other-interface");
  send_unicast (f->loopback, f->loopback, port, "unicast-loopback");
  send_text (good, "marker");
  expect_only_marker (rx, "marker", f->name);
  if (BINDS_ANY (f)) {
    GstElement *src = gst_bin_get_by_name (GST_BIN (rx), "src");

    /* the unicast did reach the socket and was dropped by the library
     * (polled: a datagram queued on another CPU may be read after the
     * marker) */
    fail_unless (mctx_wait_stat (src, "filtered", 4, MCTX_CHECK_TIMEOUT),
        "only %" G_GUINT64_FORMAT " unicast datagrams were filtered",
        mctx_get_stat (src, "filtered"));
    fail_unless_equals_int (mctx_get_stat (src, "filtered"), 4);
    gst_object_unref (src);
  }

  g_object_unref (good);
  mctx_pipeline_stop (rx);
  g_free (props);
}

GST_END_TEST;

/* include mode: a source-specific group, and an any-source group with a
 * source list; the other source shares the link */
static void
check_include (const Family * f, const gchar * group, guint port)
{
  gchar *props = g_strdup_printf ("address=%s interface=a1 sources=%s",
      group, f->s1);
  gchar *what = g_strdup_printf ("%s %s sources=%s", f->name, group, f->s1);
  gchar *control_props = g_strdup_printf ("address=%s interface=a1 "
      "sources=%s", group, f->s2);
  GstElement *rx = receiver (props, port);
  /* subscribed to the other source: proves its datagrams reach the host */
  GstElement *control = receiver (control_props, port);
  MctxPublication *junk = sender (group, port, f->s2, "a0");
  MctxPublication *good = sender (group, port, f->s1, "a0");
  guint i;

  for (i = 0; i < 3; i++) {
    send_text (junk, "not-included");
    send_text (good, "marker");
    expect_only_marker (rx, "marker", what);
    expect_only_marker (control, "not-included", what);
  }

  g_object_unref (junk);
  g_object_unref (good);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (control);
  g_free (props);
  g_free (control_props);
  g_free (what);
}

GST_START_TEST (test_include_ssm)
{
  check_include (FAM, FAM->ssm_group, 5220 + __i__);
}

GST_END_TEST;

GST_START_TEST (test_include_asm)
{
  check_include (FAM, FAM->group, 5230 + __i__);
}

GST_END_TEST;

/* exclude mode: the excluded source shares the link with the good one */
GST_START_TEST (test_exclude)
{
  const Family *f = FAM;
  guint port = 5240 + __i__;
  gchar *props = g_strdup_printf ("address=%s interface=a1 "
      "exclude-sources=%s", f->group, f->s2);
  gchar *control_props = g_strdup_printf ("address=%s interface=a1 "
      "sources=%s", f->group, f->s2);
  GstElement *rx = receiver (props, port);
  GstElement *control = receiver (control_props, port);
  MctxPublication *junk = sender (f->group, port, f->s2, "a0");
  MctxPublication *good = sender (f->group, port, f->s1, "a0");
  guint i;

  for (i = 0; i < 3; i++) {
    send_text (junk, "excluded");
    send_text (good, "marker");
    expect_only_marker (rx, "marker", f->name);
    expect_only_marker (control, "excluded", f->name);
  }

  g_object_unref (junk);
  g_object_unref (good);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (control);
  g_free (props);
  g_free (control_props);
}

GST_END_TEST;

/* the same group and port arriving on an interface the receiver did not
 * join, which another receiver on the host did join */
GST_START_TEST (test_other_interface)
{
  const Family *f = FAM;
  guint port = 5250 + __i__;
  gchar *props = g_strdup_printf ("address=%s interface=a1", f->group);
  gchar *other = g_strdup_printf ("address=%s interface=b1", f->group);
  GstElement *rx = receiver (props, port);
  GstElement *control = receiver (other, port);
  MctxPublication *junk = sender (f->group, port, f->sb, "b0");
  MctxPublication *good = sender (f->group, port, f->s1, "a0");
  guint i;

  for (i = 0; i < 3; i++) {
    send_text (junk, "other-interface");
    send_text (good, "marker");
    expect_only_marker (rx, "marker", f->name);
    mctx_rx_expect (control, "other-interface");
    mctx_rx_expect_nothing (control);
  }

  g_object_unref (junk);
  g_object_unref (good);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (control);
  g_free (props);
  g_free (other);
}

GST_END_TEST;

/* a source-specific receiver on a1 with every kind of junk at once: the
 * same group from an unlisted source, from the listed source's address
 * family neighbour on another interface (joined there by someone else),
 * another group, and unicast */
GST_START_TEST (test_everything_at_once)
{
  const Family *f = FAM;
  guint port = 5260 + __i__;
  gchar *props = g_strdup_printf ("address=%s interface=a1 sources=%s",
      f->ssm_group, f->s1);
  gchar *on_b = g_strdup_printf ("address=%s interface=b1 sources=%s",
      f->ssm_group, f->sb);
  gchar *other = g_strdup_printf ("address=%s interface=a1",
      f->other_group);
  GstElement *rx = receiver (props, port);
  GstElement *control_b = receiver (on_b, port);
  GstElement *control_other = receiver (other, port);
  MctxPublication *unlisted = sender (f->ssm_group, port, f->s2, "a0");
  MctxPublication *via_b = sender (f->ssm_group, port, f->sb, "b0");
  MctxPublication *other_group = sender (f->other_group, port, f->s1, "a0");
  MctxPublication *good = sender (f->ssm_group, port, f->s1, "a0");

  send_text (unlisted, "unlisted-source");
  send_text (via_b, "other-interface");
  send_text (other_group, "other-group");
  send_unicast (f->s1, f->r, port, "unicast");
  send_text (good, "marker");
  expect_only_marker (rx, "marker", f->name);
  mctx_rx_expect (control_b, "other-interface");
  mctx_rx_expect (control_other, "other-group");
  mctx_rx_expect_nothing (control_b);
  mctx_rx_expect_nothing (control_other);

  g_object_unref (unlisted);
  g_object_unref (via_b);
  g_object_unref (other_group);
  g_object_unref (good);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (control_b);
  mctx_pipeline_stop (control_other);
  g_free (props);
  g_free (on_b);
  g_free (other);
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_LOOP (test_other_group, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_unicast, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_include_ssm, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_include_asm, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_exclude, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_other_interface, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_everything_at_once, G_N_ELEMENTS (families)),
};

int
main (int argc, char **argv)
{
  return mctx_check_main (argc, argv, setup_network, "mctx-isolation", 60,
      tests);
}
