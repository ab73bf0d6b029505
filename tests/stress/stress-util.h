/* Small helpers shared by the stress tests: process resources and counts
 * from the environment.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* AddressSanitizer keeps freed memory in a quarantine and has shadow
 * memory, so RSS says nothing about leaks there (LeakSanitizer does). */
#if defined(__SANITIZE_ADDRESS__)
#define STRESS_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRESS_UNDER_ASAN 1
#endif
#endif
#ifndef STRESS_UNDER_ASAN
#define STRESS_UNDER_ASAN 0
#endif

/* open file descriptors of this process, "." and ".." and the one of the
 * directory stream included (constant, so comparisons are exact) */
static inline gint
stress_count_fds (void)
{
  DIR *d = opendir ("/proc/self/fd");
  gint n = 0;

  if (d == NULL)
    return -1;
  while (readdir (d) != NULL)
    n++;
  closedir (d);
  return n;
}

/* resident set size in KiB, from /proc/self/status; -1 when unreadable */
static inline gint64
stress_rss_kib (void)
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

/* a positive count from the environment, or the default */
static inline guint
stress_env_uint (const gchar * name, guint def)
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
