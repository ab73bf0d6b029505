/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

#include <errno.h>
#include <string.h>

/**
 * SECTION:mctx-error
 * @title: Errors
 * @short_description: the MCTX_ERROR domain
 *
 * Every libmctx failure is a #GError. Configuration and system call
 * failures use %MCTX_ERROR; a non-blocking call that would block uses
 * %G_IO_ERROR_WOULD_BLOCK; a cancelled wait uses %G_IO_ERROR_CANCELLED.
 */

G_DEFINE_QUARK (mctx-error-quark, mctx_error)

void
mctx_set_errno_error (GError ** error, int errsv, const gchar * format, ...)
{
  va_list ap;
  gchar *what;
  gint code;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);

  switch (errsv) {
    case EPERM:
    case EACCES:
      code = MCTX_ERROR_PERMISSION;
      break;
    case EMSGSIZE:
      code = MCTX_ERROR_MESSAGE_TOO_LARGE;
      break;
    default:
      code = MCTX_ERROR_SOCKET;
      break;
  }
  g_set_error (error, MCTX_ERROR, code, "%s: %s (errno %d)", what,
      g_strerror (errsv), errsv);
  g_free (what);
}
