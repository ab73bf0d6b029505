/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <string.h>

/* Waits for @events on @fd, or for @cancellable, or for the timeout. The
 * cancellable's fd is how an element's unlock() wakes a blocked streaming
 * thread at once. */
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

static int
poll_cache_fd (MctxPollCache * cache, GCancellable * cancellable,
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

gboolean
mctx_socket_wait (int fd, short events, gint64 timeout_us,
    GCancellable * cancellable, MctxPollCache * cache, GError ** error)
{
  return mctx_socket_wait_full (fd, events, -1, NULL, timeout_us,
      cancellable, cache, error);
}

/* The same, also watching @extra_fd for input: when that is ready first,
 * returns FALSE without error and sets *@extra_ready. */
gboolean
mctx_socket_wait_full (int fd, short events, int extra_fd,
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
  pfd[0].events = events;
  if (cancellable != NULL) {
    int cancel_fd = -1;

    if (cache != NULL) {
      cancel_fd = poll_cache_fd (cache, cancellable, error);
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
mctx_socket_set_buffer (int fd, gboolean send, int size, GError ** error)
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
