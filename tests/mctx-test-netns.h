/* Private network namespace and helpers shared by the libmctx tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every test program calls mctx_test_netns_init() first thing in main():
 * it moves the process into a new, empty network namespace, so no test can
 * ever put a packet on a real interface of the machine, and configures
 * loopback for multicast.  Tests in different programs run in parallel
 * without seeing each other's traffic.
 */
#pragma once

#include <mctx.h>
#include "mctx-test-util.h"

G_BEGIN_DECLS

/* Generous bound for anything that should arrive: receives are always
 * synchronised with poll, so this is only hit when something is wrong. */
#define MCTX_TEST_TIMEOUT_US (2 * G_USEC_PER_SEC)

/* unshare(CLONE_NEWNET) + lo set-up.  Must run before g_test_init() and
 * before any thread exists.  When the namespace cannot be created, exits:
 * status 1 when CI=true, otherwise prints a TAP "skip all" plan (and exits 0
 * under --tap, 77 otherwise). */
void mctx_test_netns_init (int *argc, char ***argv);

/* One GTest test of a program's table: @func, or @data_func called with
 * @data (one function for several cases of a table). */
typedef struct
{
  const gchar *path;
  GTestFunc func;
  GTestDataFunc data_func;
  gconstpointer data;
} MctxTestCase;

/* The whole main() of a libmctx test program: the private namespace, then
 * @setup (may be NULL; links and addresses, before any thread exists), then
 * g_test_init() and the tests of the table, in its order. */
#define MCTX_TEST_MAIN(setup, tests) \
  int main (int argc, char **argv) \
  { \
    return mctx_test_main (argc, argv, (setup), (tests), \
        G_N_ELEMENTS (tests)); \
  }
int mctx_test_main (int argc, char **argv, void (*setup) (void),
    const MctxTestCase * tests, guint n_tests);

/* Run a command (split like a shell would) in our namespace; abort the test
 * with its stderr when it fails. */
void mctx_test_run (const gchar * format, ...) G_GNUC_PRINTF (1, 2);
/* Same, but return FALSE instead of failing. */
gboolean mctx_test_try_run (const gchar * format, ...) G_GNUC_PRINTF (1, 2);

/* Write a per-namespace sysctl, path relative to /proc/sys/net, e.g.
 * "ipv4/conf/all/rp_filter". */
void mctx_test_sysctl (const gchar * path, const gchar * value);

/* Create veth pair a <-> b in this namespace, both up with MULTICAST,
 * rp_filter=0 and accept_local=1 (a multicast datagram whose source is a
 * local address arriving on the peer would otherwise be a martian).
 * Addresses are "ip/prefix" strings, IPv6 ones added with nodad; any may be
 * NULL. */
void mctx_test_netns_add_veth (const gchar * a, const gchar * b,
    const gchar * addr4_a, const gchar * addr4_b,
    const gchar * addr6_a, const gchar * addr6_b);

/* The tests' usual link: veth pair NAME0 <-> NAME1 with 10.NET.0.1/24 and
 * 10.NET.0.2/24, and with ipv6 also fdNN::1/64 and fdNN::2/64 (NN: NET in
 * two digits); NET is 1 to 99.  qdisc (may be NULL) becomes NAME0's root
 * qdisc, e.g. a slow tbf. */
void mctx_test_netns_add_link (const gchar * name, guint net, gboolean ipv6,
    const gchar * qdisc);
/* a0 <-> a1 as above (net 1, IPv6 too): a set-up for MCTX_TEST_MAIN */
void mctx_test_netns_add_link_a (void);

/* 8 kbit/s: a small send buffer behind it stays full for seconds */
#define MCTX_TEST_SLOW_QDISC "tbf rate 8kbit burst 2kb latency 10s"
/* s0 -> s1 (net 4, IPv4 only) behind MCTX_TEST_SLOW_QDISC: a tiny send
 * buffer stays full there; a set-up for MCTX_TEST_MAIN */
void mctx_test_netns_add_link_slow (void);

/* if_nametoindex() that fails the test when the interface is missing. */
guint mctx_test_ifindex (const gchar * name);

/* ---- receive helpers (bounded, poll-synchronised) ---- */

/* Wait up to timeout_us for one accepted datagram.  Filtered datagrams make
 * mctx_subscription_receive() report WOULD_BLOCK; keep waiting until the
 * deadline then.  Returns the size, or -1 on timeout (other errors fail the
 * test). */
gssize mctx_test_receive (MctxSubscription * sub, guint8 * buffer,
    gsize size, MctxPacketInfo * info, gint64 timeout_us);

/* Receive one datagram and return its payload as a string (NUL added), or
 * NULL on timeout. */
gchar *mctx_test_receive_string (MctxSubscription * sub, gint64 timeout_us);

/* Assert that the next datagram the subscription delivers is the given
 * string (used with "marker" datagrams: anything that should have been
 * filtered would arrive first). */
void mctx_test_assert_next (MctxSubscription * sub, const gchar * expected);

/* Send junk_text from junk, then marker_text from marker: the subscription
 * must deliver the marker and nothing else (the junk was filtered). */
void mctx_test_assert_filtered (MctxSubscription * sub,
    MctxPublication * junk, const gchar * junk_text,
    MctxPublication * marker, const gchar * marker_text);

/* mctx_test_assert_filtered(), then leave + join, then the same again with
 * " again" after each text: rejoining must restore the source filter (on
 * every interface), not make an any-source join. */
void mctx_test_assert_filter_rejoins (MctxSubscription * sub,
    MctxPublication * junk, const gchar * junk_text,
    MctxPublication * marker, const gchar * marker_text);

/* Assert that nothing is waiting right now (non-blocking receive says
 * WOULD_BLOCK).  Only meaningful after a marker has been received. */
void mctx_test_assert_empty (MctxSubscription * sub);

/* ---- object helpers ---- */

/* New MctxPublication or MctxSubscription (type) of group:port with
 * properties (NULL-terminated name/value pairs as for g_object_set),
 * opened; fails the test if open fails. */
gpointer mctx_test_open (GType type, const gchar * group, guint port,
    const gchar * first_property, ...);
/* mctx_test_open() for a publication / a subscription: (group, port,
 * first_property, ..., NULL) */
#define mctx_test_publication(...) \
  ((MctxPublication *) mctx_test_open (MCTX_TYPE_PUBLICATION, __VA_ARGS__))
#define mctx_test_subscription(...) \
  ((MctxSubscription *) mctx_test_open (MCTX_TYPE_SUBSCRIPTION, __VA_ARGS__))

/* validate, open, is_open, close and get_fd of an MctxPublication or an
 * MctxSubscription alike */
gboolean mctx_test_obj_validate (gpointer obj, GError ** error);
gboolean mctx_test_obj_open (gpointer obj, GError ** error);
gboolean mctx_test_obj_is_open (gpointer obj);
void mctx_test_obj_close (gpointer obj);
gint mctx_test_obj_get_fd (gpointer obj);

/* the same, joined on lo only / sending out of lo */
MctxSubscription *mctx_test_lo_subscription (const gchar * group, guint port);
MctxPublication *mctx_test_lo_publication (const gchar * group, guint port);

/* Send a NUL-less string; fail the test on error. */
void mctx_test_send_string (MctxPublication * pub, const gchar * text);

/* Receives exactly @n datagrams of @size bytes, in order: the first two
 * bytes of each hold its number (0 .. n - 1, little-endian), so nothing was
 * lost or reordered; their kernel receive times (ns) go to @times.  Returns
 * FALSE with @error saying which datagram was wrong, so the caller asserts
 * in its own framework (GTest or gst-check, where an abort says nothing). */
gboolean mctx_test_receive_times (MctxSubscription * sub, guint n,
    gsize size, gint64 * times, GError ** error);

/* Sends the 7 bytes "unicast" from a plain UDP socket to @address:@port
 * (a unicast address of ours: what a subscription must not deliver). */
void mctx_test_send_unicast (const gchar * address, guint port);

/* Assert that a GInetSocketAddress is "ADDRESS:PORT" ("[ADDRESS]:PORT"
 * for IPv6), as g_socket_connectable_to_string() writes it. */
void mctx_test_assert_endpoint (GInetSocketAddress * addr,
    const gchar * expected);

/* Assert error domain/code and that the message mentions `needle`;
 * frees and clears the error. */
#define mctx_test_assert_error(errp, domain, code, needle) \
  mctx_test_assert_error_impl (__FILE__, __LINE__, (errp), (domain), (code), (needle))
void mctx_test_assert_error_impl (const char *file, int line, GError ** error,
    GQuark domain, gint code, const gchar * needle);

G_END_DECLS
