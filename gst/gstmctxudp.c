/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxudp.c: udpsrc's properties on mctxsrc that are not plain aliases
 * of ours (those are rows of the table in gstmctxsrcprops.c): what
 * auto-multicast, reuse and loop mean for a multicast receiver, checked at
 * start, and skip-first-bytes, applied to each buffer.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsrc.h"

#define GST_CAT_DEFAULT gst_mctx_debug

/**
 * gst_mctx_src_udp_start:
 * @src: the element, starting
 *
 * Checks udpsrc's auto-multicast, reuse and loop: what cannot be honoured
 * fails the start (an error naming the property) or posts a warning, never
 * passes silently. Reads skip-first-bytes for gst_mctx_src_skip_ok().
 *
 * Returns: %FALSE when the start must fail (the error is posted)
 */
gboolean
gst_mctx_src_udp_start (GstMctxSrc * src)
{
  GstElement *element = GST_ELEMENT (src);

  if (!gst_mctx_src_get_number (src, "auto-multicast")) {
    GError *err = g_error_new_literal (MCTX_ERROR, MCTX_ERROR_INVALID_VALUE,
        "mctxsrc always joins the group it receives (a multicast receiver "
        "gets nothing it has not joined); false, leaving the membership to "
        "someone else, cannot be honoured: remove auto-multicast=false");

    gst_mctx_bridge_post_settings_error (element, "auto-multicast", "false",
        err);
    g_error_free (err);
    return FALSE;
  }

  if (!gst_mctx_src_get_number (src, "reuse"))
    GST_ELEMENT_WARNING (src, RESOURCE, SETTINGS,
        ("Property 'reuse' is false, but mctxsrc always shares its port "
            "(SO_REUSEADDR) so that other receivers of the group on this "
            "host keep working; the setting has no effect"), (NULL));

  if (!gst_mctx_src_get_number (src, "loop"))
    GST_ELEMENT_WARNING (src, RESOURCE, SETTINGS,
        ("Property 'loop' has no effect on a receiver: multicast loopback "
            "is the sender's option on Linux; set loop=false on the sender "
            "(mctxsink, udpsink) to keep its datagrams from this host"),
        (NULL));

  src->skip_first_bytes = gst_mctx_src_get_number (src, "skip-first-bytes");
  src->too_short_seen = 0;
  src->last_too_short_warning = 0;
  return TRUE;
}

/**
 * gst_mctx_src_skip_ok:
 * @src: the element
 * @size: a datagram's size
 *
 * Whether a datagram of @size bytes is long enough for skip-first-bytes
 * (the batch code then wraps only what follows them: no copy). A shorter
 * one is reported, at most once a second, and is to be dropped.
 *
 * Returns: %FALSE when the datagram is too short and must be dropped
 */
gboolean
gst_mctx_src_skip_ok (GstMctxSrc * src, gsize size)
{
  if (G_LIKELY (size >= src->skip_first_bytes))
    return TRUE;

  src->too_short_seen++;
  if (gst_mctx_warning_due (&src->last_too_short_warning)) {
    GST_ELEMENT_WARNING (src, STREAM, FAILED,
        ("Dropped a datagram of %" G_GSIZE_FORMAT " bytes, shorter than "
            "property 'skip-first-bytes' (%u bytes)", size,
            src->skip_first_bytes),
        ("%" G_GUINT64_FORMAT " datagrams dropped as too short so far",
            src->too_short_seen));
  }
  return FALSE;
}
