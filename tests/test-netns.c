/* Self-test of the test namespace, with plain sockets and no libmctx.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * When a libmctx test fails, this tells whether the kernel set-up (lo
 * multicast routes, veth pairs, sysctls) or the library is to blame.
 */
#include "mctx-test-netns.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
receiver (int family, const gchar * group, const gchar * ifname, guint port)
{
  int one = 1, zero = 0;
  int fd = socket (family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one,
          sizeof one));
  if (family == AF_INET) {
    struct sockaddr_in sa = {.sin_family = AF_INET,.sin_port = htons (port) };
    struct ip_mreqn mreq = { 0 };

    g_assert_no_errno (setsockopt (fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero,
            sizeof zero));
    g_assert_no_errno (bind (fd, (struct sockaddr *) &sa, sizeof sa));
    g_assert_cmpint (inet_pton (AF_INET, group, &mreq.imr_multiaddr), ==, 1);
    mreq.imr_ifindex = mctx_test_ifindex (ifname);
    g_assert_no_errno (setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
            sizeof mreq));
  } else {
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6,.sin6_port =
          htons (port) };
    struct ipv6_mreq mreq = { 0 };

    g_assert_no_errno (setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL,
            &zero, sizeof zero));
    g_assert_no_errno (bind (fd, (struct sockaddr *) &sa, sizeof sa));
    g_assert_cmpint (inet_pton (AF_INET6, group, &mreq.ipv6mr_multiaddr), ==,
        1);
    mreq.ipv6mr_interface = mctx_test_ifindex (ifname);
    g_assert_no_errno (setsockopt (fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP,
            &mreq, sizeof mreq));
  }
  return fd;
}

static void
send_to (int family, const gchar * group, const gchar * ifname, guint port,
    int loop, const gchar * text)
{
  int fd = socket (family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ssize_t n;

  g_assert_cmpint (fd, >=, 0);
  if (family == AF_INET) {
    struct ip_mreqn mreq = {.imr_ifindex = mctx_test_ifindex (ifname) };
    struct sockaddr_in sa = {.sin_family = AF_INET,.sin_port = htons (port) };

    g_assert_no_errno (setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &mreq,
            sizeof mreq));
    g_assert_no_errno (setsockopt (fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop,
            sizeof loop));
    g_assert_cmpint (inet_pton (AF_INET, group, &sa.sin_addr), ==, 1);
    n = sendto (fd, text, strlen (text), 0, (struct sockaddr *) &sa,
        sizeof sa);
  } else {
    int index = mctx_test_ifindex (ifname);
    struct sockaddr_in6 sa = {.sin6_family = AF_INET6,.sin6_port =
          htons (port) };

    g_assert_no_errno (setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
            &index, sizeof index));
    g_assert_no_errno (setsockopt (fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP,
            &loop, sizeof loop));
    g_assert_cmpint (inet_pton (AF_INET6, group, &sa.sin6_addr), ==, 1);
    n = sendto (fd, text, strlen (text), 0, (struct sockaddr *) &sa,
        sizeof sa);
  }
  g_assert_cmpint (n, ==, (ssize_t) strlen (text));
  close (fd);
}

/* Next datagram on fd, or NULL after the timeout. */
static gchar *
receive_text (int fd, int timeout_ms)
{
  struct pollfd pfd = {.fd = fd,.events = POLLIN };
  char buf[256];
  ssize_t n;

  if (poll (&pfd, 1, timeout_ms) <= 0)
    return NULL;
  n = recv (fd, buf, sizeof buf, 0);
  g_assert_cmpint (n, >=, 0);
  return g_strndup (buf, n);
}

static void
expect (int fd, const gchar * text)
{
  gchar *got = receive_text (fd, 2000);

  g_assert_cmpstr (got, ==, text);
  g_free (got);
}

static void
check_lo (int family, const gchar * group)
{
  int rx = receiver (family, group, "lo", 4000);

  send_to (family, group, "lo", 4000, 1, "on lo");
  expect (rx, "on lo");
  close (rx);
}

static void
test_lo_ipv4 (void)
{
  check_lo (AF_INET, "239.1.2.3");
}

static void
test_lo_ipv6 (void)
{
  check_lo (AF_INET6, "ff11::1234");
  check_lo (AF_INET6, "ff31::8000:1234");
}

/* Sent out of a0 with loop off, the only copy is the one arriving on a1;
 * a member on a0 gets nothing (the marker sent with loop on comes first).
 * One receiver at a time: an IPv6 socket joined on a0 would also get what
 * arrives on a1 while another socket is joined there (the kernel does not
 * check the membership's interface for IPv6) - libmctx must filter that. */
static void
check_veth (int family, const gchar * group)
{
  int rx;

  rx = receiver (family, group, "a1", 4001);
  send_to (family, group, "a0", 4001, 0, "wire");
  expect (rx, "wire");
  close (rx);

  rx = receiver (family, group, "a0", 4001);
  send_to (family, group, "a0", 4001, 0, "not looped");
  send_to (family, group, "a0", 4001, 1, "looped");
  expect (rx, "looped");
  close (rx);
}

static void
test_veth_ipv4 (void)
{
  check_veth (AF_INET, "239.1.2.4");
}

static void
test_veth_ipv6 (void)
{
  check_veth (AF_INET6, "ff1e::1234");
}

static const MctxTestCase tests[] = {
  {"/netns/lo/ipv4", test_lo_ipv4},
  {"/netns/lo/ipv6", test_lo_ipv6},
  {"/netns/veth/ipv4", test_veth_ipv4},
  {"/netns/veth/ipv6", test_veth_ipv6},
};

MCTX_TEST_MAIN (mctx_test_netns_add_link_a, tests)
