/* Process resources and settings from the environment.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-util.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

gint
mctx_test_count_fds (void)
{
  DIR *d = opendir ("/proc/self/fd");
  gint n = 0;

  g_assert (d != NULL);
  while (readdir (d) != NULL)
    n++;
  closedir (d);
  return n - 3;                 /* ".", ".." and the directory's own fd */
}

gint64
mctx_test_rss_kib (void)
{
  FILE *f = fopen ("/proc/self/status", "r");
  gchar line[256];
  gint64 kib = -1;

  if (f == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL) {
    if (strncmp (line, "VmRSS:", 6) == 0) {
      kib = g_ascii_strtoll (line + 6, NULL, 10);
      break;
    }
  }
  fclose (f);
  return kib;
}

guint
mctx_test_env_uint (const gchar * name, guint def)
{
  const gchar *s = g_getenv (name);
  guint64 v;

  if (s == NULL || *s == '\0')
    return def;
  v = g_ascii_strtoull (s, NULL, 10);
  if (v == 0 || v > G_MAXUINT)
    return def;
  return (guint) v;
}

void
mctx_test_rtp_header (guint8 * d, guint8 pt, guint16 seq, guint32 ts,
    guint32 ssrc)
{
  d[0] = 0x80;
  d[1] = pt;
  d[2] = seq >> 8;
  d[3] = seq;
  d[4] = ts >> 24;
  d[5] = ts >> 16;
  d[6] = ts >> 8;
  d[7] = ts;
  d[8] = ssrc >> 24;
  d[9] = ssrc >> 16;
  d[10] = ssrc >> 8;
  d[11] = ssrc;
}

guint
mctx_test_max_burst_1ms (const gint64 * t, guint n)
{
  guint i, j = 0, best = 0;

  for (i = 0; i < n; i++) {
    while (t[i] - t[j] >= 1000000)
      j++;
    best = MAX (best, i - j + 1);
  }
  return best;
}
