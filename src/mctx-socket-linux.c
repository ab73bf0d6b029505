/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Linux socket layer, part one: sockets, options, memberships and
 * waiting (datagram I/O is in mctx-socket-linux-io.c). */
#include "mctx-socket-linux.h"

#include <errno.h>
#include <time.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <string.h>
#include <netinet/ip.h>
#include <linux/sock_diag.h>

static int
family_af (GSocketFamily family)
{
  return family == G_SOCKET_FAMILY_IPV4 ? AF_INET : AF_INET6;
}

static int
setopt_int (int fd, int level, int opt, int v)
{
  return setsockopt (fd, level, opt, &v, sizeof (v)) < 0 ? errno : 0;
}

int
mctx_sock_open_udp (GSocketFamily family, int *fd)
{
  *fd = socket (family_af (family), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
      IPPROTO_UDP);
  return *fd < 0 ? errno : 0;
}

void
mctx_sock_close (int fd)
{
  if (fd >= 0)
    close (fd);
}

int
mctx_sock_bind (int fd, const MctxAddress * addr, guint16 port)
{
  struct sockaddr_storage ss;
  socklen_t len = mctx_address_to_sockaddr (addr, port, &ss);

  return bind (fd, (struct sockaddr *) &ss, len) < 0 ? errno : 0;
}

int
mctx_sock_connect (int fd, const MctxAddress * addr, guint16 port)
{
  struct sockaddr_storage ss;
  socklen_t len = mctx_address_to_sockaddr (addr, port, &ss);

  return connect (fd, (struct sockaddr *) &ss, len) < 0 ? errno : 0;
}

int
mctx_sock_local_address (int fd, MctxAddress * addr, guint16 * port)
{
  struct sockaddr_storage ss;
  socklen_t len = sizeof (ss);

  if (getsockname (fd, (struct sockaddr *) &ss, &len) < 0)
    return errno;
  mctx_address_from_sockaddr ((struct sockaddr *) &ss, addr, port);
  return 0;
}

gboolean
mctx_sock_address_is_local (const MctxAddress * addr)
{
  int fd = socket (family_af (addr->family), SOCK_DGRAM | SOCK_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = mctx_sock_bind (fd, addr, 0) == 0;
  close (fd);
  return ok;
}

guint
mctx_sock_if_index (const gchar * name)
{
  return if_nametoindex (name);
}

gboolean
mctx_sock_if_name (guint index, gchar name[IF_NAMESIZE])
{
  if (if_indextoname (index, name) != NULL)
    return TRUE;
  name[0] = '\0';
  return FALSE;
}

int
mctx_sock_set_reuse_address (int fd)
{
  return setopt_int (fd, SOL_SOCKET, SO_REUSEADDR, 1);
}

gint
mctx_sock_path_mtu (int fd, GSocketFamily family, gint fallback)
{
  int mtu = 0;
  socklen_t len = sizeof (mtu);
  gboolean v4 = family == G_SOCKET_FAMILY_IPV4;

  if (getsockopt (fd, v4 ? IPPROTO_IP : IPPROTO_IPV6, v4 ? IP_MTU : IPV6_MTU,
          &mtu, &len) < 0)
    return fallback;
  return mtu;
}

gsize
mctx_sock_udp_payload (GSocketFamily family, gint mtu)
{
  /* IP header (20 or 40) and UDP header (8) */
  return mtu - (family == G_SOCKET_FAMILY_IPV4 ? 28 : 48);
}

int
mctx_sock_set_multicast_if (int fd, GSocketFamily family, guint ifindex,
    const MctxAddress * ifaddr)
{
  if (family == G_SOCKET_FAMILY_IPV4) {
    struct ip_mreqn mreqn;

    memset (&mreqn, 0, sizeof (mreqn));
    mreqn.imr_ifindex = ifindex;
    if (ifaddr != NULL)
      memcpy (&mreqn.imr_address, ifaddr->bytes, 4);
    return setsockopt (fd, IPPROTO_IP, IP_MULTICAST_IF, &mreqn,
        sizeof (mreqn)) < 0 ? errno : 0;
  }
  return setopt_int (fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex);
}

int
mctx_sock_set_ttl (int fd, GSocketFamily family, gint ttl)
{
  return family == G_SOCKET_FAMILY_IPV4 ?
      setopt_int (fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl) :
      setopt_int (fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl);
}

int
mctx_sock_set_loop (int fd, GSocketFamily family, gboolean loop)
{
  return family == G_SOCKET_FAMILY_IPV4 ?
      setopt_int (fd, IPPROTO_IP, IP_MULTICAST_LOOP, loop ? 1 : 0) :
      setopt_int (fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, loop ? 1 : 0);
}

int
mctx_sock_set_dscp (int fd, GSocketFamily family, gint dscp)
{
  /* the code point is the upper six bits of the TOS / traffic class */
  return family == G_SOCKET_FAMILY_IPV4 ?
      setopt_int (fd, IPPROTO_IP, IP_TOS, dscp << 2) :
      setopt_int (fd, IPPROTO_IPV6, IPV6_TCLASS, dscp << 2);
}

int
mctx_sock_setup_receiver (int fd, GSocketFamily family,
    const gchar ** option)
{
  int r;

#define TRY(level, opt, v) \
  if ((r = setopt_int (fd, level, opt, v)) != 0) { \
    *option = #opt; \
    return r; \
  }
  TRY (SOL_SOCKET, SO_REUSEADDR, 1);
  if (family == G_SOCKET_FAMILY_IPV4) {
    TRY (IPPROTO_IP, IP_MULTICAST_ALL, 0);
    TRY (IPPROTO_IP, IP_PKTINFO, 1);
  } else {
    TRY (IPPROTO_IPV6, IPV6_V6ONLY, 1);
    TRY (IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
    /* Linux >= 4.20; older kernels keep the leak that the subscription's
     * per-datagram destination check closes */
    (void) setopt_int (fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0);
  }
  TRY (SOL_SOCKET, SO_RXQ_OVFL, 1);
#undef TRY
  return 0;
}

int
mctx_sock_set_timestamps (int fd, gboolean on)
{
  return setopt_int (fd, SOL_SOCKET, SO_TIMESTAMPNS, on ? 1 : 0);
}

int
mctx_sock_set_gro (int fd, gboolean on)
{
  return setopt_int (fd, SOL_UDP, UDP_GRO, on ? 1 : 0);
}

/* SO_RXQ_OVFL rides on the next datagram, so drops at the end of a burst
 * would otherwise never show; SO_MEMINFO reads the same counter now. */
gboolean
mctx_sock_drop_counter (int fd, guint32 * drops)
{
  guint32 mem[SK_MEMINFO_VARS];
  socklen_t len = sizeof (mem);

  if (fd < 0 || getsockopt (fd, SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
      len < (SK_MEMINFO_DROPS + 1) * sizeof (guint32))
    return FALSE;
  *drops = mem[SK_MEMINFO_DROPS];
  return TRUE;
}

int
mctx_sock_membership (int fd, MctxMembershipOp op, const MctxAddress * group,
    const MctxAddress * source, guint ifindex)
{
  static const int opts[] = {
    [MCTX_MEMBERSHIP_JOIN] = MCAST_JOIN_GROUP,
    [MCTX_MEMBERSHIP_LEAVE] = MCAST_LEAVE_GROUP,
    [MCTX_MEMBERSHIP_JOIN_SOURCE] = MCAST_JOIN_SOURCE_GROUP,
    [MCTX_MEMBERSHIP_LEAVE_SOURCE] = MCAST_LEAVE_SOURCE_GROUP,
    [MCTX_MEMBERSHIP_BLOCK_SOURCE] = MCAST_BLOCK_SOURCE,
  };
  int level = group->family == G_SOCKET_FAMILY_IPV4 ? IPPROTO_IP :
      IPPROTO_IPV6;
  MctxAddress g = *group;

  /* the interface is the request's own field, not the scope id */
  g.scope_id = 0;
  if (source == NULL) {
    struct group_req gr;

    memset (&gr, 0, sizeof (gr));
    gr.gr_interface = ifindex;
    mctx_address_to_sockaddr (&g, 0, &gr.gr_group);
    return setsockopt (fd, level, opts[op], &gr, sizeof (gr)) < 0 ? errno : 0;
  } else {
    struct group_source_req gsr;
    MctxAddress s = *source;

    s.scope_id = 0;
    memset (&gsr, 0, sizeof (gsr));
    gsr.gsr_interface = ifindex;
    mctx_address_to_sockaddr (&g, 0, &gsr.gsr_group);
    mctx_address_to_sockaddr (&s, 0, &gsr.gsr_source);
    return setsockopt (fd, level, opts[op], &gsr, sizeof (gsr)) < 0 ?
        errno : 0;
  }
}

/* --- waiting: the socket, a cancellable, a timeout --- */

void
mctx_poll_cache_clear (MctxPollCache * cache)
{
  if (cache->cancellable != NULL) {
    g_cancellable_release_fd (cache->cancellable);
    g_clear_object (&cache->cancellable);
  }
  cache->fd = -1;
}

/* GLib aborts the process when it cannot make a cancellable's eventfd
 * (out of file descriptors): find out first, and fail the wait instead. */
static gboolean
can_make_fd (GError ** error)
{
  int probe = eventfd (0, EFD_CLOEXEC);

  if (probe < 0) {
    mctx_set_errno_error (error, errno, "cannot wait for cancellation");
    return FALSE;
  }
  close (probe);
  return TRUE;
}

int
mctx_poll_cache_fd (MctxPollCache * cache, GCancellable * cancellable,
    GError ** error)
{
  GPollFD gpfd;

  if (cache->cancellable == cancellable && cache->cancellable != NULL)
    return cache->fd;
  mctx_poll_cache_clear (cache);
  if (!can_make_fd (error))
    return -2;
  if (!g_cancellable_make_pollfd (cancellable, &gpfd))
    return -1;
  cache->cancellable = g_object_ref (cancellable);
  cache->fd = gpfd.fd;
  return cache->fd;
}

/* Waits until @fd is readable or writable, @cancellable fires, or the
 * timeout passes. The cancellable's fd is how an element's unlock() wakes
 * a blocked streaming thread at once. */
gboolean
mctx_sock_wait (int fd, MctxWaitFor what, gint64 timeout_us,
    GCancellable * cancellable, MctxPollCache * cache, GError ** error)
{
  return mctx_sock_wait_full (fd, what, -1, NULL, timeout_us,
      cancellable, cache, error);
}

gboolean
mctx_sock_wait_full (int fd, MctxWaitFor what, int extra_fd,
    gboolean * extra_ready, gint64 timeout_us, GCancellable * cancellable,
    MctxPollCache * cache, GError ** error)
{
  struct pollfd pfd[3];
  GPollFD cfd;
  nfds_t n = 1, ci = 0, ei = 0;
  gint64 deadline = 0;
  gboolean have_cfd = FALSE, ret = FALSE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (fd < 0) {
    mctx_set_error (error, NULL, MCTX_ERROR_NOT_OPEN, "not open");
    return FALSE;
  }
  if (extra_ready)
    *extra_ready = FALSE;
  pfd[0].fd = fd;
  pfd[0].events = what == MCTX_WAIT_WRITABLE ? POLLOUT : POLLIN;
  if (cancellable != NULL) {
    int cancel_fd = -1;

    if (cache != NULL) {
      cancel_fd = mctx_poll_cache_fd (cache, cancellable, error);
      if (cancel_fd == -2)
        return FALSE;
    } else {
      if (!can_make_fd (error))
        return FALSE;
      if (g_cancellable_make_pollfd (cancellable, &cfd)) {
        have_cfd = TRUE;
        cancel_fd = cfd.fd;
      }
    }
    if (cancel_fd >= 0) {
      ci = n++;
      pfd[ci].fd = cancel_fd;
      pfd[ci].events = POLLIN;
    }
  }
  if (extra_fd >= 0) {
    ei = n++;
    pfd[ei].fd = extra_fd;
    pfd[ei].events = POLLIN;
  }
  if (timeout_us >= 0)
    deadline = g_get_monotonic_time () + timeout_us;

  for (;;) {
    int timeout_ms = -1, r;
    nfds_t k;

    for (k = 0; k < n; k++)
      pfd[k].revents = 0;
    if (timeout_us >= 0) {
      gint64 left = deadline - g_get_monotonic_time ();

      timeout_ms = left <= 0 ? 0 : (int) MIN ((left + 999) / 1000, G_MAXINT);
    }
    r = poll (pfd, n, timeout_ms);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      mctx_set_errno_error (error, errno, "poll");
      break;
    }
    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      break;
    if (r > 0 && pfd[0].revents != 0) {
      /* POLLERR (e.g. a pending ICMP error) also ends the wait: the next
       * send/receive reports it */
      ret = TRUE;
      break;
    }
    if (r > 0 && ei != 0 && pfd[ei].revents != 0) {
      *extra_ready = TRUE;
      break;
    }
    if (timeout_us >= 0 && g_get_monotonic_time () >= deadline) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "timed out after %" G_GINT64_FORMAT " us", timeout_us);
      break;
    }
  }
  if (have_cfd)
    g_cancellable_release_fd (cancellable);
  return ret;
}

/* Sets SO_SNDBUF/SO_RCVBUF, falling back to the *FORCE variant (needs
 * CAP_NET_ADMIN) when net.core.[rw]mem_max caps it. Returns the size the
 * kernel granted in the caller's units (the kernel reports double, to
 * account for its bookkeeping), or -1 on error. */
int
mctx_sock_set_buffer (int fd, gboolean send, int size, GError ** error)
{
  int opt = send ? SO_SNDBUF : SO_RCVBUF;
  int force = send ? SO_SNDBUFFORCE : SO_RCVBUFFORCE;
  int got = 0;
  socklen_t len = sizeof (got);

  if (size > 0) {
    if (setsockopt (fd, SOL_SOCKET, opt, &size, sizeof (size)) < 0) {
      mctx_set_errno_error (error, errno, "%s %d",
          send ? "send-buffer-size" : "receive-buffer-size", size);
      return -1;
    }
    if (getsockopt (fd, SOL_SOCKET, opt, &got, &len) == 0 && got / 2 < size)
      (void) setsockopt (fd, SOL_SOCKET, force, &size, sizeof (size));
  }
  len = sizeof (got);
  if (getsockopt (fd, SOL_SOCKET, opt, &got, &len) < 0) {
    mctx_set_errno_error (error, errno, "getsockopt buffer size");
    return -1;
  }
  return got / 2;
}

void
mctx_sock_sleep_until (gint64 deadline_ns)
{
  struct timespec ts;

  ts.tv_sec = deadline_ns / 1000000000;
  ts.tv_nsec = deadline_ns % 1000000000;
  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR);
}

void
mctx_sock_wait_readable_ns (int fd, gint64 timeout_ns)
{
  struct pollfd pfd = { fd, POLLIN, 0 };
  struct timespec ts;

  ts.tv_sec = timeout_ns / 1000000000;
  ts.tv_nsec = timeout_ns % 1000000000;
  ppoll (&pfd, 1, &ts, NULL);
}

gboolean
mctx_poll_add_cancellable (MctxPollItem * items, guint * n,
    GCancellable * cancellable, MctxPollCache * cache, GError ** error)
{
  int fd;

  if (cancellable == NULL)
    return TRUE;
  fd = mctx_poll_cache_fd (cache, cancellable, error);
  if (fd == -2)
    return FALSE;
  if (fd >= 0) {
    items[*n].fd = fd;
    items[*n].what = MCTX_WAIT_READABLE;
    items[(*n)++].ready = FALSE;
  }
  return TRUE;
}

int
mctx_sock_poll (MctxPollItem * items, guint n, gint timeout_ms)
{
  struct pollfd pfd[64];
  guint i;
  int r;

  g_return_val_if_fail (n <= G_N_ELEMENTS (pfd), -EINVAL);
  for (i = 0; i < n; i++) {
    pfd[i].fd = items[i].fd;
    pfd[i].events = items[i].what == MCTX_WAIT_WRITABLE ? POLLOUT : POLLIN;
    pfd[i].revents = 0;
  }
  do {
    r = poll (pfd, n, timeout_ms);
  } while (r < 0 && errno == EINTR);
  if (r < 0)
    return -errno;
  for (i = 0; i < n; i++)
    items[i].ready = pfd[i].revents != 0;
  return r;
}
