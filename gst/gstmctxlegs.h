/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxlegs.h: the second leg of an ST 2022-7 stream (redundant-uri),
 * configured from an mctx:// URI through the element's property table.
 */
#pragma once

#include "gstmctxbridge.h"

G_BEGIN_DECLS

gboolean gst_mctx_legs_apply_uri (GObject * element,
    const GstMctxSetting * table, const gchar * source_property,
    const gchar * uri, GObject * lib, GError ** error);

G_END_DECLS
