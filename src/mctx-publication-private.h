/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* MctxPublication's insides, shared by its files:
 *   mctx-publication.c       the object, its properties, planning, open/close
 *   mctx-publication-send.c  the send path */

#include "mctx-plan.h"

G_BEGIN_DECLS

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
  MctxSendBatch *batch;

  /* the outgoing interface's name, to find it again if it is recreated */
  gchar ifname[IF_NAMESIZE];
  gint64 last_refind;
  MctxPollCache poll_cache;

  /* UDP GSO: wanted, and still believed to work on this socket */
  gboolean gso;
  gboolean gso_ok;
  gsize gso_max_segment;

  /* statistics, updated with relaxed atomics */
  guint64 packets_sent;
  guint64 bytes_sent;
  guint64 would_block;
  guint64 send_errors;
};

static inline void
mctx_publication_plan_input (MctxPublication * self, MctxPlanInput * in)
{
  in->kind = "publication";
  in->group = self->group;
  in->port = self->port;
  in->interface_index = self->interface_index;
  in->interface_setting = "interface";
}

static inline gboolean
mctx_publication_check_open (MctxPublication * self, GError ** error)
{
  MctxPlanInput in;

  if (G_LIKELY (self->fd >= 0))
    return TRUE;
  mctx_publication_plan_input (self, &in);
  mctx_plan_error_not_open (&in, error);
  return FALSE;
}

/* mctx-publication.c: the outgoing interface's index changed */
void mctx_publication_notify_interface (MctxPublication * self);

G_END_DECLS
