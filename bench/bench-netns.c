/* mctx-bench: the private network namespace every measurement runs in
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static guint lo_index;

static gboolean
write_sysctl (const gchar * path, const gchar * value, GError ** error)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gssize len = strlen (value);

  if (fd < 0 || write (fd, value, len) != len) {
    int errsv = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
        "cannot write %s: %s", path, g_strerror (errsv));
    if (fd >= 0)
      close (fd);
    return FALSE;
  }
  close (fd);
  return TRUE;
}

/* "ip link set lo up multicast on" */
static gboolean
lo_up (int fd, GError ** error)
{
  struct ifreq ifr;

  memset (&ifr, 0, sizeof (ifr));
  g_strlcpy (ifr.ifr_name, "lo", IFNAMSIZ);
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    goto failed;
  ifr.ifr_flags |= IFF_UP | IFF_MULTICAST;
  if (ioctl (fd, SIOCSIFFLAGS, &ifr) < 0)
    goto failed;
  return TRUE;

failed:
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
      "cannot bring lo up with multicast: %s", g_strerror (errno));
  return FALSE;
}

/* "ip route add 224.0.0.0/4 dev lo" */
static gboolean
multicast_route (int fd, GError ** error)
{
  struct rtentry rt;
  struct sockaddr_in *dst = (struct sockaddr_in *) &rt.rt_dst;
  struct sockaddr_in *mask = (struct sockaddr_in *) &rt.rt_genmask;
  char dev[IFNAMSIZ] = "lo";

  memset (&rt, 0, sizeof (rt));
  dst->sin_family = AF_INET;
  dst->sin_addr.s_addr = inet_addr ("224.0.0.0");
  mask->sin_family = AF_INET;
  mask->sin_addr.s_addr = inet_addr ("240.0.0.0");
  rt.rt_gateway.sa_family = AF_INET;
  rt.rt_flags = RTF_UP;
  rt.rt_dev = dev;
  if (ioctl (fd, SIOCADDRT, &rt) < 0 && errno != EEXIST) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "cannot add the route 224.0.0.0/4 dev lo: %s", g_strerror (errno));
    return FALSE;
  }
  return TRUE;
}

/* The hard rule: nothing may leave through a real interface. A fresh
 * namespace has only lo; refuse to run if anything else is there. */
static gboolean
only_lo (GError ** error)
{
  struct if_nameindex *ifs = if_nameindex (), *i;
  gboolean ok = TRUE;

  if (ifs == NULL) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "cannot list interfaces: %s", g_strerror (errno));
    return FALSE;
  }
  for (i = ifs; i->if_index != 0; i++) {
    if (strcmp (i->if_name, "lo") == 0) {
      lo_index = i->if_index;
    } else {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
          "interface %s in the benchmark's namespace: refusing to run",
          i->if_name);
      ok = FALSE;
      break;
    }
  }
  if_freenameindex (ifs);
  if (ok && lo_index == 0) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no lo");
    ok = FALSE;
  }
  return ok;
}

/**
 * bench_netns_enter:
 *
 * Moves the process into a new, private network namespace with only lo,
 * up, multicast-capable, routing 224.0.0.0/4, with rp_filter off. Must be
 * called before any thread exists: unshare() moves the calling thread only.
 */
gboolean
bench_netns_enter (GError ** error)
{
  static const gchar *const rp[] = {
    "/proc/sys/net/ipv4/conf/all/rp_filter",
    "/proc/sys/net/ipv4/conf/default/rp_filter",
    "/proc/sys/net/ipv4/conf/lo/rp_filter",
  };
  gboolean ok;
  guint i;
  int fd;

  if (unshare (CLONE_NEWNET) != 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "cannot create a private network namespace (needs root): %s",
        g_strerror (errno));
    return FALSE;
  }
  if (!only_lo (error))
    return FALSE;

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "socket: %s", g_strerror (errno));
    return FALSE;
  }
  ok = lo_up (fd, error) && multicast_route (fd, error);
  close (fd);
  if (!ok)
    return FALSE;

  /* /proc/sys/net shows the namespace of whoever opens it: ours now */
  for (i = 0; i < G_N_ELEMENTS (rp); i++)
    if (!write_sysctl (rp[i], "0", error))
      return FALSE;

  return TRUE;
}

guint
bench_lo_index (void)
{
  return lo_index;
}
