/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The socket layer: every operating-system call libmctx makes on a UDP
 * socket goes through these functions, so the objects above hold no
 * sockaddr, no setsockopt and no control message. mctx-socket-linux.c
 * (options, memberships, waiting) and mctx-socket-linux-io.c (datagram
 * I/O) implement them for Linux; another system gets its own pair of
 * files and a line in src/meson.build (see docs/architecture.md).
 *
 * Conventions: functions that return int give 0 on success or an errno
 * value (never -1), so the caller words the error and names the setting;
 * functions that take a GError word it themselves. */

#include "mctx.h"
#include <net/if.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sys/uio.h>

#ifndef UIO_MAXIOV
#define UIO_MAXIOV 1024
#endif

G_BEGIN_DECLS

/* Sockaddr conversions (mctx-address.c): where MctxAddress meets struct
 * sockaddr, for the socket layer and the interface table. */
socklen_t mctx_address_to_sockaddr (const MctxAddress * addr, guint16 port,
    struct sockaddr_storage *ss);
gboolean mctx_address_from_sockaddr (const struct sockaddr *sa,
    MctxAddress * out, guint16 * port);
GInetSocketAddress *mctx_address_to_socket_address (const MctxAddress * addr,
    guint16 port);

/* --- routes and link events (mctx-netlink.c: rtnetlink on Linux) --- */

/* Netlink route lookup: output interface for a destination, 0 if none. */
guint mctx_netlink_route_oif (const MctxAddress * dest, GError ** error);
guint mctx_netlink_default_oif (GSocketFamily family, GError ** error);

/* Link events: a non-blocking rtnetlink socket subscribed to link changes,
 * and a reader that calls @fn (name, index, flags, deleted) per event. */
int mctx_netlink_link_monitor_open (GError ** error);
typedef void (*MctxLinkEventFunc) (const gchar * name, guint index,
    guint flags, gboolean deleted, gpointer user_data);
gboolean mctx_netlink_link_monitor_read (int fd, MctxLinkEventFunc fn,
    gpointer user_data);

/* Interface names and indexes as the system has them now: 0 / FALSE (and
 * an empty @name) when there is no such interface. */
guint mctx_sock_if_index (const gchar * name);
gboolean mctx_sock_if_name (guint index, gchar name[IF_NAMESIZE]);

/* --- sockets and addresses --- */

/* A non-blocking, close-on-exec UDP socket of @family. */
int mctx_sock_open_udp (GSocketFamily family, int *fd);
void mctx_sock_close (int fd);
int mctx_sock_bind (int fd, const MctxAddress * addr, guint16 port);
int mctx_sock_connect (int fd, const MctxAddress * addr, guint16 port);
int mctx_sock_local_address (int fd, MctxAddress * addr, guint16 * port);
/* Whether the host would let a socket bind @addr (local without being an
 * interface address: all of 127/8, AnyIP routes). */
gboolean mctx_sock_address_is_local (const MctxAddress * addr);
int mctx_sock_set_reuse_address (int fd);
/* The path MTU towards the connected destination, or @fallback. */
gint mctx_sock_path_mtu (int fd, GSocketFamily family, gint fallback);
/* UDP payload room in one IP datagram of @mtu bytes. */
gsize mctx_sock_udp_payload (GSocketFamily family, gint mtu);

/* Sets the send or receive buffer, forcing past the system cap where
 * allowed; returns the granted size in the caller's units, or -1. */
int mctx_sock_set_buffer (int fd, gboolean send, int size, GError ** error);

/* --- sender options --- */

/* Outgoing interface by index, and for IPv4 optionally by address. */
int mctx_sock_set_multicast_if (int fd, GSocketFamily family, guint ifindex,
    const MctxAddress * ifaddr);
int mctx_sock_set_ttl (int fd, GSocketFamily family, gint ttl);
int mctx_sock_set_loop (int fd, GSocketFamily family, gboolean loop);
int mctx_sock_set_dscp (int fd, GSocketFamily family, gint dscp);

/* --- receiver options --- */

/* What a receiving socket must report and keep out: destination and
 * arrival interface per datagram, no other sockets' memberships, the
 * kernel's drop counter. On failure *@option names the option. */
int mctx_sock_setup_receiver (int fd, GSocketFamily family,
    const gchar ** option);
int mctx_sock_set_timestamps (int fd, gboolean on);
/* Coalesced receive of one flow (needs mctx_recv_batch_receive()'s
 * segment size in MctxRecvMeta). */
int mctx_sock_set_gro (int fd, gboolean on);
/* Drops counted by the kernel so far (the counter MctxRecvMeta.drops
 * carries), read without a datagram; FALSE if the system cannot say. */
gboolean mctx_sock_drop_counter (int fd, guint32 * drops);

/* --- memberships (RFC 3678 semantics) --- */

typedef enum
{
  MCTX_MEMBERSHIP_JOIN,         /* any source; @source NULL */
  MCTX_MEMBERSHIP_LEAVE,        /* any source; @source NULL */
  MCTX_MEMBERSHIP_JOIN_SOURCE,
  MCTX_MEMBERSHIP_LEAVE_SOURCE,
  MCTX_MEMBERSHIP_BLOCK_SOURCE, /* after JOIN: exclude one source */
} MctxMembershipOp;

int mctx_sock_membership (int fd, MctxMembershipOp op,
    const MctxAddress * group, const MctxAddress * source, guint ifindex);

/* --- datagram I/O --- */

/* What the kernel said about one received datagram besides MctxPacketInfo.
 * Grows with the receive features (kernel timestamps, ...). */
typedef struct
{
  gboolean has_destination;     /* the packet info's destination is set */
  gboolean has_drops;
  guint32 drops;                /* the kernel's drop counter, wraps */
  gsize gro_segment;            /* > 0: a coalesced read of such datagrams */
} MctxRecvMeta;

/* Per-socket scratch of batch I/O (message headers, vectors, names,
 * control space), grown and kept: a batch call allocates nothing. One
 * type serves a receiving socket and a sending one; one batch is used in
 * one direction. */
typedef struct _MctxSockBatch MctxSockBatch;

MctxSockBatch *mctx_sock_batch_new (void);
void mctx_sock_batch_free (MctxSockBatch * batch);

/* The most datagrams one call can take. */
guint mctx_recv_batch_max (void);

/* Receives up to @n datagrams (n <= mctx_recv_batch_max()) into the
 * slots' buffers, fills each slot's info (source, destination, interface,
 * timestamp, sizes, truncation) and @meta. Returns how many, or -1 with
 * *@errsv (EAGAIN: none waiting). Retries interrupted calls. */
gint mctx_recv_batch_receive (MctxSockBatch * batch, int fd,
    MctxMessage * slots, guint n, MctxRecvMeta * meta, int *errsv);

/* Sends one datagram gathered from @vectors; returns bytes or -1 with
 * *@errsv. */
gssize mctx_sock_send_vectors (int fd, const GOutputVector * vectors,
    guint n_vectors, int *errsv);


/* Sends @messages in one system call where the system allows; with
 * *@gso_ok, runs of equal-sized datagrams up to @gso_max_segment go as
 * one segmented super-datagram, and *@gso_ok turns FALSE for good when
 * the kernel refuses that. Returns the datagrams accepted from the first
 * on (bytes_sent filled, *@bytes their sum) or -1 with *@errsv and
 * *@first_size, the size of the datagram that failed. */
gint mctx_send_batch_send (MctxSockBatch * batch, int fd,
    GOutputMessage * messages, guint n, gboolean * gso_ok,
    gsize gso_max_segment, guint64 * bytes, int *errsv, gsize * first_size);
/* The same without GSO, each datagram carrying departures[i] +
 * @clock_offset_ns as its SO_TXTIME departure time (kernel pacing). */
gint mctx_send_batch_send_txtime (MctxSockBatch * batch, int fd,
    GOutputMessage * messages, guint n, const gint64 * departures,
    gint64 clock_offset_ns, guint64 * bytes, int *errsv, gsize * first_size);

/* --- waiting --- */

/* Keeps the pollable fd of the last GCancellable used, so a streaming
 * thread that waits with the same cancellable over and over does not
 * create and close an eventfd per wait. */
typedef struct
{
  GCancellable *cancellable;
  int fd;
} MctxPollCache;

typedef enum
{
  MCTX_WAIT_READABLE,
  MCTX_WAIT_WRITABLE,
} MctxWaitFor;

#define MCTX_POLL_CACHE_INIT { NULL, -1 }

void mctx_poll_cache_clear (MctxPollCache * cache);
/* The pollable fd of @cancellable, made on first use and kept in @cache
 * until another cancellable comes or the cache is cleared: >= 0; -1 when
 * the cancellable has none; -2 with @error when the process has no file
 * descriptor left (GLib would abort making one). */
int mctx_poll_cache_fd (MctxPollCache * cache, GCancellable * cancellable,
    GError ** error);

/* Several fds at once (the legs of a redundant sender or receiver): each
 * item's @ready is set when its fd is ready as asked. Returns the number
 * of ready items, 0 on timeout (@timeout_ms, -1: none), or -errno. EINTR
 * is retried. */
typedef struct
{
  int fd;
  MctxWaitFor what;
  gboolean ready;
} MctxPollItem;
int mctx_sock_poll (MctxPollItem * items, guint n, gint timeout_ms);
/* Appends @cancellable's fd (from @cache) to @items as item *@n, when it
 * has one; FALSE (with mctx_poll_cache_fd()'s error) when none can be
 * made. Nothing to do for a NULL @cancellable. */
gboolean mctx_poll_add_cancellable (MctxPollItem * items, guint * n,
    GCancellable * cancellable, MctxPollCache * cache, GError ** error);
gboolean mctx_sock_wait (int fd, MctxWaitFor what, gint64 timeout_us,
    GCancellable * cancellable, MctxPollCache * cache, GError ** error);
/* The same, also watching @extra_fd for input: when that is ready first,
 * returns FALSE without error and sets *@extra_ready. */
gboolean mctx_sock_wait_full (int fd, MctxWaitFor what, int extra_fd,
    gboolean * extra_ready, gint64 timeout_us, GCancellable * cancellable,
    MctxPollCache * cache, GError ** error);


/* --- kernel pacing (mctx-socket-linux-txtime.c, mctx-netlink.c) --- */

/* The root qdisc of an interface: fq or etf (or mq of only those) hold
 * datagrams to their txtime; anything else is MCTX_QDISC_OTHER. */
gboolean mctx_netlink_txtime_qdisc (guint ifindex, MctxQdiscKind * kind,
    gchar ** qdisc_name, GError ** error);

/* SO_TXTIME on a sender's socket: CLOCK_MONOTONIC for fq,
 * CLOCK_TAI for etf. */
gboolean mctx_sock_enable_txtime (int fd, MctxQdiscKind kind,
    GError ** error);

/* Precise waits for a sender that paces: sleeps until CLOCK_MONOTONIC
 * @deadline_ns (absolute, as precise as the timer allows), or for at most
 * @timeout_ns until @fd is readable (a cancellable's fd). */
void mctx_sock_sleep_until (gint64 deadline_ns);
void mctx_sock_wait_readable_ns (int fd, gint64 timeout_ns);

G_END_DECLS
