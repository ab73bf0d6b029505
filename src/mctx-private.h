/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx.h"
#include "mctx-socket.h"
#include <sys/socket.h>
#include <netinet/in.h>
#include <net/if.h>
#include <sys/uio.h>

#ifndef UIO_MAXIOV
#define UIO_MAXIOV 1024
#endif

G_BEGIN_DECLS

/* Sockaddr conversions: the only place MctxAddress meets struct sockaddr. */
socklen_t mctx_address_to_sockaddr (const MctxAddress * addr, guint16 port,
    struct sockaddr_storage *ss);
gboolean mctx_address_from_sockaddr (const struct sockaddr *sa,
    MctxAddress * out, guint16 * port);
GInetSocketAddress *mctx_address_to_socket_address (const MctxAddress * addr,
    guint16 port);

/* Parses a strv of sources (for the GStrv properties). */
GArray *mctx_parse_source_strv (const gchar * const *entries,
    const gchar * what, GError ** error);

/* An MCTX_ERROR that records the setting it is about (may be NULL). */
void mctx_set_error (GError ** error, const gchar * setting, gint code,
    const gchar * format, ...) G_GNUC_PRINTF (4, 5);

/* Re-points an MCTX_ERROR raised by a shared helper at the caller's
 * setting (e.g. the interface resolver's "interface" is a subscription's
 * "interfaces"). */
void mctx_error_set_setting (GError ** error, const gchar * setting);

/* errno-carrying error, message: "<what>: <strerror>" */
void mctx_set_errno_error (GError ** error, int errsv, const gchar * format,
    ...) G_GNUC_PRINTF (3, 4);

/* Interface table snapshot (getifaddrs + flags). */
typedef struct
{
  gchar name[64];
  guint index;
  MctxInterfaceFlags flags;
  GArray *addresses;            /* MctxAddress */
} MctxIfEntry;

GPtrArray *mctx_if_table_load (GError ** error);
gchar *mctx_if_table_names (GPtrArray * table);
gchar *mctx_if_table_addresses_text (GPtrArray * table,
    GSocketFamily family);
MctxIfEntry *mctx_if_table_by_name (GPtrArray * table, const gchar * name);
MctxIfEntry *mctx_if_table_by_index (GPtrArray * table, guint index);
/* Resolves a name or address spec to an entry; errors name the spec. */
MctxIfEntry *mctx_if_table_resolve (GPtrArray * table, const gchar * spec,
    GSocketFamily family, const gchar * what, GError ** error);
/* Entries holding addr; returns count and the first match. */
guint mctx_if_table_find_address (GPtrArray * table, const MctxAddress * addr,
    MctxIfEntry ** first);

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

/* Counters read from any thread while the owner's thread updates them. */
#define MCTX_STAT_ADD(p, v) __atomic_fetch_add (&(p), (v), __ATOMIC_RELAXED)
#define MCTX_STAT_GET(p) __atomic_load_n (&(p), __ATOMIC_RELAXED)

/* "IPv4" / "IPv6", for messages. */
const gchar *mctx_family_name (GSocketFamily family);
/* An integer from /proc/sys, or @fallback. */
gint mctx_read_sysctl_int (const gchar * path, gint fallback);
/* Whether the guint array holds @index. */
gboolean mctx_index_array_has (GArray * arr, guint index);

/* For MctxContext's duplicate check (mctx-publication.c). */
gboolean mctx_publication_same_config (MctxPublication * a,
    MctxPublication * b);

G_END_DECLS
