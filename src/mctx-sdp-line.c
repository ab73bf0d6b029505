/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-sdp-line-private.h"

#include <string.h>

gchar *
mctx_sdp_line (const gchar * sdp, const gchar * prefix)
{
  gsize plen = strlen (prefix);
  const gchar *p = sdp;

  while (p != NULL && *p) {
    const gchar *end = p + strcspn (p, "\r\n");

    if ((gsize) (end - p) >= plen && strncmp (p, prefix, plen) == 0)
      return g_strndup (p + plen, end - p - plen);
    p = end + strspn (end, "\r\n");
  }
  return NULL;
}

gchar *
mctx_sdp_field (const gchar * text, guint n)
{
  const gchar *p = text;

  while (p != NULL && *p) {
    gsize len;

    p += strspn (p, " \t");
    len = strcspn (p, " \t");
    if (len == 0)
      break;
    if (n-- == 0)
      return g_strndup (p, len);
    p += len;
  }
  return NULL;
}

gchar *
mctx_sdp_connection_address (const gchar * sdp)
{
  gchar *c = mctx_sdp_line (sdp, "c=");
  gchar *addr = mctx_sdp_field (c, 2);

  if (addr != NULL)
    addr[strcspn (addr, "/")] = '\0';
  g_free (c);
  return addr;
}
