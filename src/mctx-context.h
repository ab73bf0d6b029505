/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-publication.h"
#include "mctx-subscription.h"

G_BEGIN_DECLS

#define MCTX_TYPE_CONTEXT (mctx_context_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxContext, mctx_context, MCTX, CONTEXT, GObject)

MCTX_AVAILABLE_IN_ALL
MctxContext *mctx_context_new (void);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_context_add (MctxContext * self, MctxPublication * publication,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxPublication *mctx_context_add_publication (MctxContext * self,
    const gchar * group, guint port, const gchar * source,
    const gchar * interface, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_context_remove (MctxContext * self,
    MctxPublication * publication);
MCTX_AVAILABLE_IN_ALL
GList *mctx_context_get_publications (MctxContext * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_context_add_subscription (MctxContext * self,
    MctxSubscription * subscription, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_context_remove_subscription (MctxContext * self,
    MctxSubscription * subscription);
MCTX_AVAILABLE_IN_ALL
GList *mctx_context_get_subscriptions (MctxContext * self);
MCTX_AVAILABLE_IN_ALL
guint mctx_context_send_all (MctxContext * self, const guint8 * data,
    gsize size, GError ** error);

G_END_DECLS
