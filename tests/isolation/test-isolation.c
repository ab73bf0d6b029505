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

/* text comes first and alone: a missing filter shows as something else
 * arriving first, a duplicate as something after it */
static void
expect_only (GstElement * rx, const gchar * text, const gchar * what)
{
  GstBuffer *buf = mctx_rx_pull (rx, MCTX_CHECK_TIMEOUT);
  GstMapInfo map;

  fail_unless (buf != NULL, "%s: '%s' did not arrive", what, text);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless (map.size == strlen (text)
      && memcmp (map.data, text, map.size) == 0,
      "%s: delivered '%.*s' before '%s'", what, (int) map.size, map.data,
      text);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  mctx_rx_expect_nothing (rx);
}

/* text with each "{field}" replaced by that field of the family */
static gchar *
fam_expand (const Family * f, const gchar * text)
{
  static const struct
  {
    const gchar *key;
    gsize offset;
  } fields[] = {
    {"{group}", G_STRUCT_OFFSET (Family, group)},
    {"{other_group}", G_STRUCT_OFFSET (Family, other_group)},
    {"{ssm_group}", G_STRUCT_OFFSET (Family, ssm_group)},
    {"{s1}", G_STRUCT_OFFSET (Family, s1)},
    {"{s2}", G_STRUCT_OFFSET (Family, s2)},
    {"{sb}", G_STRUCT_OFFSET (Family, sb)},
  };
  gchar *res = g_strdup (text);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++) {
    gchar **parts = g_strsplit (res, fields[i].key, -1);

    g_free (res);
    res = g_strjoinv (G_STRUCT_MEMBER (const gchar *, f, fields[i].offset),
        parts);
    g_strfreev (parts);
  }
  fail_unless (strchr (res, '{') == NULL, "unknown field in '%s'", text);
  return res;
}

/* The shape of most cases: a receiver (props) and a control receiver
 * (control_props) on one port.  Each round sends the junk to junk_group
 * from junk_source out of junk_iface, then the marker to group from s1 out
 * of a0: the receiver gets the marker alone, the control the junk alone
 * (which proves the junk reached the host).  Strings name the family's
 * fields as "{field}". */
typedef struct
{
  const gchar *junk_text;       /* also names the case */
  guint port;                   /* plus the family's index */
  const gchar *group, *props;
  const gchar *control_props;
  const gchar *junk_group, *junk_source, *junk_iface;
  guint rounds;
} JunkCase;

static const JunkCase junk_cases[] = {
  /* another group on the same port, joined on the same interface by
   * someone else on the host */
  {"other-group", 5200, "{group}", "address={group} interface=a1",
      "address={other_group} interface=a1", "{other_group}", "{s1}", "a0", 1},
  /* include mode: a source-specific group, and an any-source group with a
   * source list; the other source shares the link (the control subscribes
   * to it) */
  {"not-included", 5220, "{ssm_group}",
        "address={ssm_group} interface=a1 sources={s1}",
        "address={ssm_group} interface=a1 sources={s2}", "{ssm_group}",
      "{s2}", "a0", 3},
  {"not-included", 5230, "{group}",
        "address={group} interface=a1 sources={s1}",
        "address={group} interface=a1 sources={s2}", "{group}", "{s2}", "a0",
      3},
  /* exclude mode: the excluded source shares the link with the good one */
  {"excluded", 5240, "{group}",
        "address={group} interface=a1 exclude-sources={s2}",
        "address={group} interface=a1 sources={s2}", "{group}", "{s2}", "a0",
      3},
  /* the same group and port arriving on an interface the receiver did not
   * join, which another receiver on the host did join */
  {"other-interface", 5250, "{group}", "address={group} interface=a1",
      "address={group} interface=b1", "{group}", "{sb}", "b0", 3},
};

/* every junk case for every family */
GST_START_TEST (test_junk)
{
  guint fam = __i__ % G_N_ELEMENTS (families);
  const Family *f = &families[fam];
  const JunkCase *c = &junk_cases[__i__ / G_N_ELEMENTS (families)];
  guint port = c->port + fam;
  gchar *group = fam_expand (f, c->group);
  gchar *props = fam_expand (f, c->props);
  gchar *control_props = fam_expand (f, c->control_props);
  gchar *junk_group = fam_expand (f, c->junk_group);
  gchar *junk_source = fam_expand (f, c->junk_source);
  gchar *what = g_strdup_printf ("%s, %s: %s", f->name, c->junk_text, props);
  GstElement *rx = receiver (props, port);
  GstElement *control = receiver (control_props, port);
  MctxPublication *junk = sender (junk_group, port, junk_source,
      c->junk_iface);
  MctxPublication *good = sender (group, port, f->s1, "a0");
  guint i;

  for (i = 0; i < c->rounds; i++) {
    send_text (junk, c->junk_text);
    send_text (good, "marker");
    expect_only (rx, "marker", what);
    expect_only (control, c->junk_text, what);
  }

  g_object_unref (junk);
  g_object_unref (good);
  mctx_pipeline_stop (rx);
  mctx_pipeline_stop (control);
  g_free (group);
  g_free (props);
  g_free (control_props);
  g_free (junk_group);
  g_free (junk_source);
  g_free (what);
}

GST_END_TEST;

#define FAM (&families[__i__])

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
  expect_only (rx, "marker", f->name);
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
  expect_only (rx, "marker", f->name);
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
  MCTX_CHECK_LOOP (test_junk,
      G_N_ELEMENTS (junk_cases) * G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_unicast, G_N_ELEMENTS (families)),
  MCTX_CHECK_LOOP (test_everything_at_once, G_N_ELEMENTS (families)),
};

MCTX_CHECK_MAIN (setup_network, "mctx-isolation", 60, tests)
