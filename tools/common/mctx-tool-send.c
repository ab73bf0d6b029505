/* mctx-tool: a bounded send (mctx-tool.h)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-tool.h"

gboolean
mctx_tool_send (MctxPublication * pub, const guint8 * data, gsize size,
    gint64 timeout_us, GError ** error)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  GError *err = NULL;

  /* would-block only while the socket buffer is full */
  while (mctx_publication_send (pub, data, size, &err) < 0) {
    if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_propagate_error (error, err);
      return FALSE;
    }
    g_clear_error (&err);
    if (!mctx_publication_wait_writable (pub,
            MAX (deadline - g_get_monotonic_time (), 0), NULL, error)) {
      g_prefix_error (error, "wait: ");
      return FALSE;
    }
  }
  return TRUE;
}
