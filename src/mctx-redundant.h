/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-subscription.h"
#include "mctx-publication.h"
#include "mctx-merger.h"

G_BEGIN_DECLS

#define MCTX_TYPE_REDUNDANT_SUBSCRIPTION (mctx_redundant_subscription_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxRedundantSubscription, mctx_redundant_subscription,
    MCTX, REDUNDANT_SUBSCRIPTION, GObject)

MCTX_AVAILABLE_IN_ALL
gboolean mctx_redundant_check_legs (MctxSubscription ** legs, guint n_legs,
    GError ** error);

MCTX_AVAILABLE_IN_ALL
MctxRedundantSubscription *mctx_redundant_subscription_new (MctxSubscription
    ** legs, guint n_legs, GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxMerger *mctx_redundant_subscription_get_merger (MctxRedundantSubscription
    * self);
MCTX_AVAILABLE_IN_ALL
MctxSubscription *mctx_redundant_subscription_get_leg
    (MctxRedundantSubscription * self, guint leg);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_redundant_subscription_open (MctxRedundantSubscription * self,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_redundant_subscription_close (MctxRedundantSubscription * self);

MCTX_AVAILABLE_IN_ALL
gint mctx_redundant_subscription_receive_messages (MctxRedundantSubscription
    * self, MctxMessage * out, guint n_out, guint * legs, gint64 timeout_us,
    GCancellable * cancellable, GError ** error);
MCTX_AVAILABLE_IN_ALL
GBytes *mctx_redundant_subscription_receive_bytes (MctxRedundantSubscription
    * self, guint * leg, gint64 timeout_us, GCancellable * cancellable,
    GError ** error);

/**
 * MctxRedundantLegResult:
 * @sent: datagrams of the batch this leg sent
 * @dropped: datagrams dropped on this leg because it stayed blocked past
 *   the lag budget while the other legs were done
 * @failed: datagrams this leg could not send (too large, interface down,
 *   socket error, not open)
 * @error: the first such failure, or %NULL; the caller frees it
 *
 * What mctx_redundant_send() did on one leg.
 *
 * Since: 0.2
 */
typedef struct
{
  guint sent;
  guint dropped;
  guint failed;
  GError *error;
} MctxRedundantLegResult;

MCTX_AVAILABLE_IN_ALL
gboolean mctx_redundant_send (MctxPublication ** legs, guint n_legs,
    GOutputMessage * messages, guint n_messages, gint64 lag_timeout_us,
    GCancellable * cancellable, MctxRedundantLegResult * results,
    GError ** error);

G_END_DECLS
