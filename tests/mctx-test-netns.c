/* Private network namespace and helpers shared by the libmctx tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Report a failure the GTest way (TAP "not ok" + bail out), not g_error(). */
#define fail(...) fail_impl (__FILE__, __LINE__, G_STRFUNC, __VA_ARGS__)
static void G_GNUC_PRINTF (4, 5) G_GNUC_NORETURN
fail_impl (const char *file, int line, const char *func, const char *fmt, ...)
{
  va_list ap;
  gchar *msg;

  va_start (ap, fmt);
  msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
  g_free (msg);
  abort ();
}

static void
skip_all (int argc, char **argv, const gchar * why)
{
  gboolean tap = FALSE;
  int i;

  for (i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--tap") == 0)
      tap = TRUE;

  if (g_strcmp0 (g_getenv ("CI"), "true") == 0) {
    fprintf (stderr, "%s: cannot create a private network namespace: %s\n"
        "CI=true: refusing to skip (the tests must not touch real "
        "interfaces, so they need CAP_SYS_ADMIN/CAP_NET_ADMIN)\n",
        argv[0], why);
    exit (1);
  }

  /* With meson's TAP protocol a non-zero status is an error, so announce the
   * skip in TAP and exit 0; as a plain program use the autotools 77. */
  printf ("1..0 # SKIP no private network namespace: %s\n", why);
  fflush (stdout);
  exit (tap ? 0 : 77);
}

static gboolean
run_argv (gchar ** argv, gboolean must_succeed)
{
  gchar *out = NULL, *err = NULL;
  gint status = 0;
  GError *error = NULL;
  gboolean ok;
  gchar *cmd = g_strjoinv (" ", argv);

  ok = g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
      &out, &err, &status, &error);
  if (!ok) {
    if (must_succeed)
      fail ("cannot run '%s': %s", cmd, error->message);
    g_clear_error (&error);
  } else {
    ok = g_spawn_check_wait_status (status, NULL);
    if (!ok && must_succeed)
      fail ("'%s' failed (status %d): %s%s", cmd, status,
          err ? err : "", out ? out : "");
  }
  g_free (out);
  g_free (err);
  g_free (cmd);
  return ok;
}

static gboolean
run_va (gboolean must_succeed, const gchar * format, va_list ap)
{
  gchar *line = g_strdup_vprintf (format, ap);
  gchar **argv = NULL;
  GError *error = NULL;
  gboolean ok;

  if (!g_shell_parse_argv (line, NULL, &argv, &error))
    fail ("bad command line '%s': %s", line, error->message);
  ok = run_argv (argv, must_succeed);
  g_strfreev (argv);
  g_free (line);
  return ok;
}

void
mctx_test_run (const gchar * format, ...)
{
  va_list ap;

  va_start (ap, format);
  run_va (TRUE, format, ap);
  va_end (ap);
}

gboolean
mctx_test_try_run (const gchar * format, ...)
{
  va_list ap;
  gboolean ok;

  va_start (ap, format);
  ok = run_va (FALSE, format, ap);
  va_end (ap);
  return ok;
}

void
mctx_test_sysctl (const gchar * path, const gchar * value)
{
  gchar *full = g_build_filename ("/proc/sys/net", path, NULL);
  FILE *f;

  /* g_file_set_contents() would write a temp file and rename: not for
   * /proc, so write in place. */
  f = fopen (full, "w");
  if (f == NULL)
    fail ("cannot open %s: %s", full, g_strerror (errno));
  if (fputs (value, f) < 0 || fclose (f) != 0)
    fail ("cannot write '%s' to %s: %s", value, full, g_strerror (errno));
  g_free (full);
}

static void
sysctl_if_exists (const gchar * path, const gchar * value)
{
  gchar *full = g_build_filename ("/proc/sys/net", path, NULL);

  if (g_file_test (full, G_FILE_TEST_EXISTS))
    mctx_test_sysctl (path, value);
  g_free (full);
}

static void
configure_interface_sysctls (const gchar * ifname)
{
  gchar *p;

  p = g_strdup_printf ("ipv4/conf/%s/rp_filter", ifname);
  mctx_test_sysctl (p, "0");
  g_free (p);
  p = g_strdup_printf ("ipv4/conf/%s/accept_local", ifname);
  mctx_test_sysctl (p, "1");
  g_free (p);
  p = g_strdup_printf ("ipv6/conf/%s/disable_ipv6", ifname);
  sysctl_if_exists (p, "0");
  g_free (p);
}

void
mctx_test_netns_init (int *argc, char ***argv)
{
  if (unshare (CLONE_NEWNET) != 0)
    skip_all (*argc, *argv, g_strerror (errno));

  /* Defaults first, so interfaces created later (veth) inherit them. */
  configure_interface_sysctls ("all");
  configure_interface_sysctls ("default");

  mctx_test_run ("ip link set lo up multicast on");
  configure_interface_sysctls ("lo");

  /* IPv4 multicast goes to lo unless a test picks another interface. */
  mctx_test_run ("ip route add 224.0.0.0/4 dev lo");
  /* The kernel adds the IPv6 multicast route for every interface but lo.
   * A plain "ff00::/8 dev lo" route is turned into a reject route by the
   * kernel (routes via lo must be local; sendto() succeeds, the datagram is
   * counted in Ip6OutNoRoutes and dropped), so add it as a "local" route:
   * output goes through lo and is delivered to the group's members. Its
   * metric (1024) loses against the veth multicast routes (256). */
  mctx_test_run ("ip -6 route add local ff00::/8 dev lo table local");

  /* Extra local addresses, so two publications can have distinct sources
   * (SSM include/exclude tests). */
  mctx_test_run ("ip addr add 10.99.0.1/32 dev lo");
  mctx_test_run ("ip addr add 10.99.0.2/32 dev lo");
  mctx_test_run ("ip -6 addr add fd00:99::1/128 dev lo nodad");
  mctx_test_run ("ip -6 addr add fd00:99::2/128 dev lo nodad");
}

/* Bounded poll for IFF_RUNNING (carrier), read in our own namespace. */
static void
wait_running (const gchar * name)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  struct ifreq ifr;
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  memset (&ifr, 0, sizeof (ifr));
  g_strlcpy (ifr.ifr_name, name, sizeof (ifr.ifr_name));
  for (;;) {
    g_assert_cmpint (ioctl (fd, SIOCGIFFLAGS, &ifr), ==, 0);
    if (ifr.ifr_flags & IFF_RUNNING)
      break;
    if (g_get_monotonic_time () > deadline)
      fail ("interface %s has no carrier after 5 s", name);
    g_usleep (1000);
  }
  close (fd);
}

void
mctx_test_netns_add_veth (const gchar * a, const gchar * b,
    const gchar * addr4_a, const gchar * addr4_b,
    const gchar * addr6_a, const gchar * addr6_b)
{
  const gchar *names[2] = { a, b };
  const gchar *v4[2] = { addr4_a, addr4_b };
  const gchar *v6[2] = { addr6_a, addr6_b };
  int i;

  mctx_test_run ("ip link add %s type veth peer name %s", a, b);
  for (i = 0; i < 2; i++) {
    configure_interface_sysctls (names[i]);
    /* No router solicitations/DAD noise on the test links. */
    {
      gchar *p = g_strdup_printf ("ipv6/conf/%s/accept_dad", names[i]);
      sysctl_if_exists (p, "0");
      g_free (p);
    }
    if (v4[i])
      mctx_test_run ("ip addr add %s dev %s", v4[i], names[i]);
    if (v6[i])
      mctx_test_run ("ip -6 addr add %s dev %s nodad", v6[i], names[i]);
    mctx_test_run ("ip link set %s up multicast on", names[i]);
  }
  /* "up" is asynchronous: until the carrier is there the kernel drops
   * what is sent, which a loaded machine makes visible */
  for (i = 0; i < 2; i++)
    wait_running (names[i]);
}

int
mctx_test_main (int argc, char **argv, void (*setup) (void),
    const MctxTestCase * tests, guint n_tests)
{
  guint i;

  mctx_test_netns_init (&argc, &argv);
  if (setup != NULL)
    setup ();
  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < n_tests; i++) {
    if (tests[i].data_func != NULL)
      g_test_add_data_func (tests[i].path, tests[i].data, tests[i].data_func);
    else
      g_test_add_func (tests[i].path, tests[i].func);
  }
  return g_test_run ();
}

void
mctx_test_netns_add_link (const gchar * name, guint net, gboolean ipv6,
    const gchar * qdisc)
{
  gchar *a = g_strdup_printf ("%s0", name), *b = g_strdup_printf ("%s1", name);
  gchar *v4a = g_strdup_printf ("10.%u.0.1/24", net);
  gchar *v4b = g_strdup_printf ("10.%u.0.2/24", net);
  gchar *v6a = ipv6 ? g_strdup_printf ("fd%02u::1/64", net) : NULL;
  gchar *v6b = ipv6 ? g_strdup_printf ("fd%02u::2/64", net) : NULL;

  g_assert_cmpuint (net, >=, 1);
  g_assert_cmpuint (net, <=, 99);
  mctx_test_netns_add_veth (a, b, v4a, v4b, v6a, v6b);
  if (qdisc != NULL)
    mctx_test_run ("tc qdisc add dev %s root %s", a, qdisc);
  g_free (a);
  g_free (b);
  g_free (v4a);
  g_free (v4b);
  g_free (v6a);
  g_free (v6b);
}

void
mctx_test_netns_add_link_a (void)
{
  mctx_test_netns_add_link ("a", 1, TRUE, NULL);
}

void
mctx_test_netns_add_link_slow (void)
{
  mctx_test_netns_add_link ("s", 4, FALSE, MCTX_TEST_SLOW_QDISC);
}

guint
mctx_test_ifindex (const gchar * name)
{
  guint index = if_nametoindex (name);

  if (index == 0)
    fail ("interface %s not found: %s", name, g_strerror (errno));
  return index;
}

/* ---- receive helpers ---- */

gssize
mctx_test_receive (MctxSubscription * sub, guint8 * buffer, gsize size,
    MctxPacketInfo * info, gint64 timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  guint rounds;

  /* Bounded both in time and in count (a filtered datagram costs a
   * round). */
  for (rounds = 0; rounds < 10000; rounds++) {
    GError *error = NULL;
    gint64 left = deadline - g_get_monotonic_time ();
    gssize n;

    if (left < 0)
      left = 0;
    if (!mctx_subscription_wait_readable (sub, left, NULL, &error)) {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_error_free (error);
      return -1;
    }
    n = mctx_subscription_receive (sub, buffer, size, info, &error);
    if (n >= 0)
      return n;
    /* Readable, but everything waiting was filtered out. */
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    g_error_free (error);
    if (left == 0)
      return -1;
  }
  fail ("mctx_test_receive: too many rounds");
  return -1;
}

gchar *
mctx_test_receive_string (MctxSubscription * sub, gint64 timeout_us)
{
  guint8 buf[2048];
  MctxPacketInfo info;
  gssize n;

  n = mctx_test_receive (sub, buf, sizeof buf - 1, &info, timeout_us);
  if (n < 0)
    return NULL;
  g_assert_cmpint (n, ==, info.size);
  return g_strndup ((const gchar *) buf, n);
}

void
mctx_test_assert_next (MctxSubscription * sub, const gchar * expected)
{
  gchar *got = mctx_test_receive_string (sub, MCTX_TEST_TIMEOUT_US);

  if (got == NULL)
    fail ("expected datagram \"%s\" on %s:%u, got nothing within %d s",
        expected, mctx_subscription_get_group (sub),
        mctx_subscription_get_port (sub),
        (int) (MCTX_TEST_TIMEOUT_US / G_USEC_PER_SEC));
  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

void
mctx_test_assert_empty (MctxSubscription * sub)
{
  guint8 buf[2048];
  MctxPacketInfo info;
  GError *error = NULL;
  gssize n;

  n = mctx_subscription_receive (sub, buf, sizeof buf - 1, &info, &error);
  if (n >= 0) {
    buf[n] = 0;
    fail ("expected nothing on %s:%u, got \"%s\"",
        mctx_subscription_get_group (sub), mctx_subscription_get_port (sub),
        (gchar *) buf);
  }
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_error_free (error);
}

void
mctx_test_assert_filtered (MctxSubscription * sub, MctxPublication * junk,
    const gchar * junk_text, MctxPublication * marker,
    const gchar * marker_text)
{
  mctx_test_send_string (junk, junk_text);
  mctx_test_send_string (marker, marker_text);
  mctx_test_assert_next (sub, marker_text);
  mctx_test_assert_empty (sub);
}

void
mctx_test_assert_filter_rejoins (MctxSubscription * sub,
    MctxPublication * junk, const gchar * junk_text,
    MctxPublication * marker, const gchar * marker_text)
{
  gchar *junk_again = g_strconcat (junk_text, " again", NULL);
  gchar *marker_again = g_strconcat (marker_text, " again", NULL);

  mctx_test_assert_filtered (sub, junk, junk_text, marker, marker_text);
  g_assert_true (mctx_subscription_leave (sub, NULL));
  g_assert_true (mctx_subscription_join (sub, NULL));
  mctx_test_assert_filtered (sub, junk, junk_again, marker, marker_again);
  g_free (junk_again);
  g_free (marker_again);
}

/* ---- object helpers ---- */

gpointer
mctx_test_open (GType type, const gchar * group, guint port,
    const gchar * first_property, ...)
{
  GObject *obj = g_object_new (type, "group", group, "port", port, NULL);
  GError *error = NULL;
  va_list ap;

  if (first_property) {
    va_start (ap, first_property);
    g_object_set_valist (obj, first_property, ap);
    va_end (ap);
  }
  if (!mctx_test_obj_open (obj, &error))
    fail ("opening %s %s:%u failed: %s", G_OBJECT_TYPE_NAME (obj), group,
        port, error->message);
  return obj;
}

gboolean
mctx_test_obj_validate (gpointer obj, GError ** error)
{
  if (MCTX_IS_PUBLICATION (obj))
    return mctx_publication_validate (obj, error);
  return mctx_subscription_validate (obj, error);
}

gboolean
mctx_test_obj_open (gpointer obj, GError ** error)
{
  if (MCTX_IS_PUBLICATION (obj))
    return mctx_publication_open (obj, error);
  return mctx_subscription_open (obj, error);
}

gboolean
mctx_test_obj_is_open (gpointer obj)
{
  if (MCTX_IS_PUBLICATION (obj))
    return mctx_publication_is_open (obj);
  return mctx_subscription_is_open (obj);
}

void
mctx_test_obj_close (gpointer obj)
{
  if (MCTX_IS_PUBLICATION (obj))
    mctx_publication_close (obj);
  else
    mctx_subscription_close (obj);
}

gint
mctx_test_obj_get_fd (gpointer obj)
{
  if (MCTX_IS_PUBLICATION (obj))
    return mctx_publication_get_fd (obj);
  return mctx_subscription_get_fd (obj);
}

MctxSubscription *
mctx_test_lo_subscription (const gchar * group, guint port)
{
  const gchar *lo[] = { "lo", NULL };

  return mctx_test_subscription (group, port, "interfaces", lo, NULL);
}

MctxPublication *
mctx_test_lo_publication (const gchar * group, guint port)
{
  return mctx_test_publication (group, port, "interface", "lo", NULL);
}

gboolean
mctx_test_receive_times (MctxSubscription * sub, guint n, gsize size,
    gint64 * times, GError ** error)
{
  guint8 *buf = g_malloc (size + 1);
  guint i;

  for (i = 0; i < n; i++) {
    MctxPacketInfo info;
    gssize r = mctx_test_receive (sub, buf, size + 1, &info,
        MCTX_TEST_TIMEOUT_US);

    if (r != (gssize) size) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "datagram %u of %u: "
          "%s%" G_GSSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT, i, n,
          r < 0 ? "none arrived in time, " : "", r, size);
      break;
    }
    if ((guint) (buf[0] | (buf[1] << 8)) != (i & 0xffff)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "datagram %u of %u "
          "is number %u (lost or reordered)", i, n, buf[0] | (buf[1] << 8));
      break;
    }
    if (info.timestamp_ns <= 0) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "datagram %u of %u "
          "has no kernel receive time", i, n);
      break;
    }
    times[i] = info.timestamp_ns;
  }
  g_free (buf);
  return i == n;
}

void
mctx_test_send_unicast (const gchar * address, guint port)
{
  GInetAddress *ia = g_inet_address_new_from_string (address);
  GSocketAddress *dest;
  GSocket *sock;
  GError *error = NULL;

  g_assert_nonnull (ia);
  dest = g_inet_socket_address_new (ia, port);
  sock = g_socket_new (g_inet_address_get_family (ia), G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_socket_send_to (sock, dest, "unicast", 7, NULL, &error),
      ==, 7);
  g_assert_no_error (error);
  g_object_unref (sock);
  g_object_unref (dest);
  g_object_unref (ia);
}

void
mctx_test_send_string (MctxPublication * pub, const gchar * text)
{
  GError *error = NULL;
  gssize n;

  n = mctx_publication_send (pub, (const guint8 *) text, strlen (text),
      &error);
  if (n < 0)
    fail ("sending \"%s\" to %s:%u failed: %s", text,
        mctx_publication_get_group (pub), mctx_publication_get_port (pub),
        error->message);
  g_assert_cmpint (n, ==, (gssize) strlen (text));
}

void
mctx_test_assert_endpoint (GInetSocketAddress * addr, const gchar * expected)
{
  gchar *s;

  g_assert_true (G_IS_INET_SOCKET_ADDRESS (addr));
  s = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (addr));
  g_assert_cmpstr (s, ==, expected);
  g_free (s);
}

void
mctx_test_assert_error_impl (const char *file, int line, GError ** error,
    GQuark domain, gint code, const gchar * needle)
{
  GError *e = *error;

  if (e == NULL)
    fail ("%s:%d: expected error %s #%d mentioning '%s', got success",
        file, line, g_quark_to_string (domain), code, needle);
  if (e->domain != domain || e->code != code)
    fail ("%s:%d: expected error %s #%d, got %s #%d: %s", file, line,
        g_quark_to_string (domain), code, g_quark_to_string (e->domain),
        e->code, e->message);
  if (needle && strstr (e->message, needle) == NULL)
    fail ("%s:%d: error message '%s' does not mention '%s'", file, line,
        e->message, needle);
  g_clear_error (error);
}
