/* mctx-bench: plain sockets, the limits the elements are compared with
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif

#define GSO_MAX_BYTES 65000

static gboolean
fill_sockaddr (struct sockaddr_in *sin, const gchar * group, guint port)
{
  memset (sin, 0, sizeof (*sin));
  sin->sin_family = AF_INET;
  sin->sin_port = htons (port);
  return inet_pton (AF_INET, group, &sin->sin_addr) == 1;
}

/* the most UDP GSO segments of @size in one call: 64, or what fits in
 * one IP datagram (48 of 1316 bytes) */
guint
bench_gso_segments (gsize size)
{
  return MIN (64, GSO_MAX_BYTES / size);
}

/* A blocking UDP socket connect()ed to the group, out of lo (the route),
 * TTL 1, loop on: what mctxsink sets up, minus the library. */
int
bench_raw_sender_socket (const gchar * group, guint port, GError ** error)
{
  struct sockaddr_in sin;
  struct ip_mreqn mreqn;
  int fd, one = 1;

  if (!fill_sockaddr (&sin, group, port)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "bad group %s", group);
    return -1;
  }
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return bench_errno_error (error, "socket"), -1;

  memset (&mreqn, 0, sizeof (mreqn));
  mreqn.imr_ifindex = bench_lo_index ();
  if (setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &mreqn,
          sizeof (mreqn)) < 0
      || setsockopt (fd, IPPROTO_IP, IP_MULTICAST_TTL, &one, sizeof (one)) < 0
      || setsockopt (fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
          sizeof (one)) < 0
      || connect (fd, (struct sockaddr *) &sin, sizeof (sin)) < 0) {
    bench_errno_error (error, "raw sender socket");
    close (fd);
    return -1;
  }
  return fd;
}

/* A socket bound to the group and joined on lo, with @rcvbuf bytes of
 * receive buffer (forced: we are root), counting kernel drops. */
int
bench_raw_receiver_socket (const gchar * group, guint port, gint rcvbuf,
    GError ** error)
{
  struct sockaddr_in sin;
  struct ip_mreqn mreqn;
  int fd, one = 1, zero = 0;

  if (!fill_sockaddr (&sin, group, port)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "bad group %s", group);
    return -1;
  }
  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return bench_errno_error (error, "socket"), -1;

  memset (&mreqn, 0, sizeof (mreqn));
  mreqn.imr_multiaddr = sin.sin_addr;
  mreqn.imr_ifindex = bench_lo_index ();
  if (setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof (one)) < 0
      || (rcvbuf > 0 && setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
              sizeof (rcvbuf)) < 0)
      || setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof (one)) < 0
      || setsockopt (fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero,
          sizeof (zero)) < 0
      || bind (fd, (struct sockaddr *) &sin, sizeof (sin)) < 0
      || setsockopt (fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreqn,
          sizeof (mreqn)) < 0) {
    bench_errno_error (error, "raw receiver socket");
    close (fd);
    return -1;
  }
  return fd;
}

/**
 * bench_raw_send_paced:
 *
 * The load generator of the receive tests. Each call sends as many
 * segments as are due (at most one GSO super-datagram's worth), then
 * sleeps until the next one is due, so bursts stay short at any rate.
 * Bounded by @max_packets and by @seconds.
 */
gboolean
bench_raw_send_paced (int fd, gsize size, gdouble rate, guint64 max_packets,
    gdouble seconds, BenchPacedResult * result, GError ** error)
{
  guint max_segs = bench_gso_segments (size);
  guint8 *buf = g_malloc0 (size * max_segs);
  int seg = size;
  gint64 t0, now, deadline;
  guint64 sent = 0;
  gboolean ok = TRUE;

  if (setsockopt (fd, SOL_UDP, UDP_SEGMENT, &seg, sizeof (seg)) < 0) {
    g_free (buf);
    return bench_errno_error (error, "UDP_SEGMENT");
  }

  t0 = now = bench_now_ns ();
  deadline = t0 + (gint64) (seconds * 1e9);
  while (sent < max_packets && now < deadline) {
    guint64 k = MIN (max_packets - sent, max_segs);
    gssize r;

    if (rate > 0) {
      guint64 due = (guint64) ((now - t0) * rate / 1e9) + 1;

      if (due <= sent) {
        bench_sleep_until (t0 + (gint64) (sent * 1e9 / rate));
        now = bench_now_ns ();
        continue;
      }
      k = MIN (k, due - sent);
    }

    r = send (fd, buf, k * size, 0);
    if (r < 0) {
      if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN) {
        now = bench_now_ns ();
        continue;
      }
      ok = bench_errno_error (error, "send (GSO)");
      break;
    }
    sent += k;
    now = bench_now_ns ();
  }

  result->packets = sent;
  result->elapsed_ns = bench_now_ns () - t0;
  g_free (buf);
  return ok;
}
