/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-address.h"

G_BEGIN_DECLS

/**
 * MctxInterfaceFlags:
 * @MCTX_INTERFACE_FLAG_NONE: no flag
 * @MCTX_INTERFACE_FLAG_UP: administratively up
 * @MCTX_INTERFACE_FLAG_RUNNING: operationally up (carrier)
 * @MCTX_INTERFACE_FLAG_MULTICAST: supports multicast
 * @MCTX_INTERFACE_FLAG_LOOPBACK: a loopback interface
 *
 * Interface state as reported by the kernel.
 */
typedef enum
{
  MCTX_INTERFACE_FLAG_NONE = 0,
  MCTX_INTERFACE_FLAG_UP = 1 << 0,
  MCTX_INTERFACE_FLAG_RUNNING = 1 << 1,
  MCTX_INTERFACE_FLAG_MULTICAST = 1 << 2,
  MCTX_INTERFACE_FLAG_LOOPBACK = 1 << 3,
} MctxInterfaceFlags;

#define MCTX_TYPE_INTERFACE (mctx_interface_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxInterface, mctx_interface, MCTX, INTERFACE, GObject)

MCTX_AVAILABLE_IN_ALL
const gchar *mctx_interface_get_name (MctxInterface * self);
MCTX_AVAILABLE_IN_ALL
guint mctx_interface_get_index (MctxInterface * self);
MCTX_AVAILABLE_IN_ALL
MctxInterfaceFlags mctx_interface_get_flags (MctxInterface * self);
MCTX_AVAILABLE_IN_ALL
GList *mctx_interface_get_addresses (MctxInterface * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_interface_has_address (MctxInterface * self,
    const MctxAddress * addr);

MCTX_AVAILABLE_IN_ALL
GList *mctx_interface_list (GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxInterface *mctx_interface_lookup (const gchar * spec,
    GSocketFamily family, GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxInterface *mctx_interface_lookup_index (guint index, GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxInterface *mctx_interface_get_default (GSocketFamily family,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxInterface *mctx_interface_for_destination (const MctxAddress * dest,
    GError ** error);

G_END_DECLS
