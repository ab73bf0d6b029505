/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

void mctx_element_init (GstPlugin * plugin);

GST_ELEMENT_REGISTER_DECLARE (mctxsink);
GST_ELEMENT_REGISTER_DECLARE (mctxsrc);

G_END_DECLS
