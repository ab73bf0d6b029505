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

/* Which setting an error is about travels with the error itself (an
 * extended GError domain), so callers that map settings to their own names,
 * like the GStreamer elements, never have to guess from the message. */
typedef struct
{
  const gchar *setting;         /* interned, or NULL */
} MctxErrorPrivate;

static void
mctx_error_private_init (MctxErrorPrivate * priv)
{
  priv->setting = NULL;
}

static void
mctx_error_private_copy (const MctxErrorPrivate * src, MctxErrorPrivate * dest)
{
  dest->setting = src->setting;
}

static void
mctx_error_private_clear (MctxErrorPrivate * priv)
{
}

G_DEFINE_EXTENDED_ERROR (MctxError, mctx_error)

/**
 * mctx_error_get_setting:
 * @error: a #GError
 *
 * The setting a configuration error is about, by its libmctx property
 * name: "group", "port", "source", "source-port", "interface",
 * "interface-index", "ttl", "dscp", "send-buffer-size" for a publication;
 * "group", "port", "interfaces", "interface-index", "sources",
 * "exclude-sources", "receive-buffer-size" for a subscription; "n-legs",
 * "max-path-delay", "leg-timeout", "legs" for a merger and its legs; "sdp",
 * "group", "origin", "sap-packet" for SAP (an announcer's publication
 * errors keep the publication's names).
 *
 * Returns: (nullable): the setting, or %NULL when the error is not in
 *   %MCTX_ERROR or not about one setting (e.g. a failed system call)
 */
const gchar *
mctx_error_get_setting (const GError * error)
{
  MctxErrorPrivate *priv;

  if (error == NULL || error->domain != MCTX_ERROR)
    return NULL;
  priv = mctx_error_get_private (error);
  return priv ? priv->setting : NULL;
}

void
mctx_error_set_setting (GError ** error, const gchar * setting)
{
  if (error != NULL && *error != NULL && (*error)->domain == MCTX_ERROR)
    mctx_error_get_private (*error)->setting = g_intern_string (setting);
}

void
mctx_set_error (GError ** error, const gchar * setting, gint code,
    const gchar * format, ...)
{
  va_list ap;
  GError *err;

  if (error == NULL)
    return;
  va_start (ap, format);
  err = g_error_new_valist (MCTX_ERROR, code, format, ap);
  va_end (ap);
  mctx_error_get_private (err)->setting = g_intern_string (setting);
  g_propagate_error (error, err);
}

gboolean
mctx_check_range (GError ** error, const gchar * setting, gint64 value,
    gint64 min, gint64 max, const gchar * unit)
{
  if (value >= min && value <= max)
    return TRUE;
  mctx_set_error (error, setting, MCTX_ERROR_INVALID_VALUE,
      "%s %" G_GINT64_FORMAT "%s is out of range (%" G_GINT64_FORMAT "..%"
      G_GINT64_FORMAT "%s)", setting, value, unit, min, max, unit);
  return FALSE;
}

gboolean
mctx_check_n_legs (guint n_legs, guint max, GError ** error)
{
  if (n_legs >= 2 && n_legs <= max)
    return TRUE;
  mctx_set_error (error, "n-legs", MCTX_ERROR_INVALID_VALUE,
      "n-legs %u is out of range (2..%u): a merge needs two or more legs",
      n_legs, max);
  return FALSE;
}

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
