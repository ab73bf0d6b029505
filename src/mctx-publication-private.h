/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* MctxPublication's insides, shared by its files:
 *   mctx-publication.c       the object, its properties, open/close
 *   mctx-publication-plan.c  settings -> MctxPubPlan
 *   mctx-publication-send.c  the send path */

#include "mctx-plan.h"

G_BEGIN_DECLS

/* What validation resolved: everything open() needs, nothing allocated. */
typedef struct
{
  MctxAddress group;
  gboolean has_source;
  MctxAddress source;
  guint ifindex;                /* 0: the routing table decides */
  gboolean has_ifaddr;          /* IPv4 interface named by address */
  MctxAddress ifaddr;
} MctxPubPlan;

struct _MctxPublication
{
  GObject parent;

  /* configuration */
  gchar *group;
  guint port;
  gchar *source;
  guint source_port;
  gchar *interface;
  guint interface_index;
  gint ttl;
  gboolean loop;
  gint dscp;
  gint send_buffer_size;

  /* while open */
  int fd;
  MctxAddress group_addr;
  MctxAddress local_addr;
  guint16 local_port;
  guint ifindex;
  GInetSocketAddress *destination;
  GInetSocketAddress *local_address;
  gint actual_send_buffer_size;

  /* sendmmsg scratch, grown and kept: no allocation per batch */
  MctxSockBatch *batch;

  /* the outgoing interface's name, to find it again if it is recreated */
  gchar ifname[IF_NAMESIZE];
  gint64 last_refind;
  MctxPollCache poll_cache;

  /* UDP GSO: wanted, and still believed to work on this socket */
  gboolean gso;
  gboolean gso_ok;
  gsize gso_max_segment;

  /* updated with relaxed atomics: read from any thread */
  MctxPublicationStats stats;
};

#define mctx_publication_check_open(self, error) \
  MCTX_PLAN_CHECK_OPEN (self, "publication", error)
#define mctx_publication_check_call(self, error) \
  MCTX_PLAN_CHECK_CALL (self, MCTX_IS_PUBLICATION, "publication", error)

/* mctx-publication-plan.c */
gboolean mctx_publication_plan (MctxPublication * self, MctxPubPlan * plan,
    GError ** error);
/* The setting that chose the interface, for errors about it. */
const gchar *mctx_publication_interface_setting (MctxPublication * self);

/* mctx-publication.c: the outgoing interface's index changed */
void mctx_publication_notify_interface (MctxPublication * self);

/* mctx-publication-send.c: the kernel pacer's send (mctx-pacer-send.c),
 * as mctx_publication_send_messages() without GSO, each datagram leaving
 * at departures[i] + @clock_offset_ns (SO_TXTIME). */
gint mctx_publication_send_txtime (MctxPublication * self,
    GOutputMessage * messages, guint n_messages, const gint64 * departures,
    gint64 clock_offset_ns, GError ** error);

G_END_DECLS
