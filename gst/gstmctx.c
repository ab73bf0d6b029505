/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * plugin-mctx:
 *
 * IPv4 and IPv6 multicast sink and source (mctxsink, mctxsrc) built on
 * libmctx.
 *
 * Since: 0.1
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxbridge.h"
#include "gstmctxelements.h"

void
mctx_element_init (GstPlugin * plugin)
{
  static gsize res = FALSE;

  if (g_once_init_enter (&res)) {
    GST_DEBUG_CATEGORY_INIT (gst_mctx_debug, "mctx", 0, "mctx elements");
    g_once_init_leave (&res, TRUE);
  }
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (mctxsink, plugin);
  ret |= GST_ELEMENT_REGISTER (mctxsrc, plugin);

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR,
    GST_VERSION_MINOR,
    mctx,
    "IP multicast elements (libmctx)",
    plugin_init, PACKAGE_VERSION, "LGPL", PACKAGE_NAME, PACKAGE_ORIGIN)
