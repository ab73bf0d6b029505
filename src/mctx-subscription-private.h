/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* MctxSubscription's insides, shared by its files:
 *   mctx-subscription.c             the object, its properties, open/close
 *   mctx-subscription-plan.c        settings -> MctxSubPlan
 *   mctx-subscription-membership.c  join, leave, block; add/remove interface
 *   mctx-subscription-follow.c      interfaces that go and come back
 *   mctx-subscription-receive.c     the receive path */

#include "mctx-plan.h"

G_BEGIN_DECLS

/* GRO: coalesced reads per system call, 64 KiB each */
#define MCTX_GRO_SLOTS 8
#define MCTX_GRO_BUF_SIZE 65536

/* One coalesced read being split back into its datagrams: they are all
 * @segment bytes long but the last, and share @info but for the sizes. */
typedef struct
{
  const guint8 *data;           /* the next datagram */
  gsize segment;
  gsize left;                   /* bytes not yet handed out */
  MctxPacketInfo info;
} MctxGroSegments;

/* The GRO receive state: the reads of the last system call, and those of
 * their datagrams that did not fit the caller's slots yet. */
typedef struct
{
  guint8 *buf;                  /* MCTX_GRO_SLOTS * MCTX_GRO_BUF_SIZE */
  MctxMessage reads[MCTX_GRO_SLOTS];
  MctxRecvMeta meta[MCTX_GRO_SLOTS];
  MctxGroSegments pending[MCTX_GRO_SLOTS];
  guint first;
  guint count;
} MctxGroRing;

/* What planning resolved: everything open() needs. */
typedef struct
{
  MctxAddress group;
  GArray *ifindexes;            /* guint */
  GArray *filter;               /* MctxAddress, or NULL */
  gboolean exclude;             /* @filter lists sources to block */
} MctxSubPlan;

struct _MctxSubscription
{
  GObject parent;

  /* configuration */
  gchar *group;
  guint port;
  gchar **interfaces;
  guint interface_index;
  gchar **sources;
  gchar **exclude_sources;
  gint receive_buffer_size;
  gboolean gro;
  gboolean follow_interfaces;
  gboolean timestamps;

  /* while open */
  int fd;
  MctxAddress group_addr;
  GArray *ifindexes;            /* guint; 0: an interface that is gone */
  GArray *filter;               /* MctxAddress */
  gboolean exclude;
  gboolean joined;
  gint actual_receive_buffer_size;     /* 0 while closed */
  guint32 last_ovfl;            /* the kernel's drop counter, last seen */
  MctxPollCache poll_cache;

  /* interface following (mctx-subscription-follow.c) */
  int mon_fd;                   /* rtnetlink link events, -1: not followed */
  GPtrArray *if_names;          /* name of each ifindexes entry */
  gboolean all_mode;

  /* receive path scratch, grown and kept (mctx-subscription-receive.c) */
  MctxSockBatch *batch;
  MctxRecvMeta *meta;
  guint meta_alloc;
  MctxGroRing *gro_ring;        /* kept across opens */
  gboolean gro_active;          /* GRO is on for this socket */

  /* updated with relaxed atomics: read from any thread */
  MctxSubscriptionStats stats;
};

#define mctx_subscription_check_open(self, error) \
  MCTX_PLAN_CHECK_OPEN (self, "subscription", error)
#define mctx_subscription_check_call(self, error) \
  MCTX_PLAN_CHECK_CALL (self, MCTX_IS_SUBSCRIPTION, "subscription", error)

/* mctx-subscription.c */
void mctx_subscription_emit_interface_changed (MctxSubscription * self,
    const gchar * name, guint index, gboolean joined);

/* mctx-subscription-plan.c */
gboolean mctx_subscription_plan (MctxSubscription * self, MctxSubPlan * plan,
    GError ** error);
void mctx_sub_plan_clear (MctxSubPlan * plan);

/* mctx-subscription-membership.c */
gboolean mctx_subscription_join_one (MctxSubscription * self, guint index,
    GError ** error);
void mctx_subscription_leave_one (MctxSubscription * self, guint index);
gboolean mctx_subscription_join_all (MctxSubscription * self,
    GError ** error);

/* mctx-subscription-follow.c */
gboolean mctx_subscription_start_following (MctxSubscription * self,
    GError ** error);
void mctx_subscription_stop_following (MctxSubscription * self);

/* mctx-subscription-receive.c */
void mctx_subscription_receive_open (MctxSubscription * self,
    gboolean gro);
void mctx_subscription_receive_close (MctxSubscription * self);
void mctx_subscription_receive_free (MctxSubscription * self);
guint32 mctx_subscription_unreported_drops (MctxSubscription * self);
gboolean mctx_subscription_has_pending (MctxSubscription * self);

G_END_DECLS
