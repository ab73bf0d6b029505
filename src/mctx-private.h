/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx.h"
#include "mctx-socket.h"
#include <net/if.h>

G_BEGIN_DECLS

/* Parses a strv of sources (for the GStrv properties). */
GArray *mctx_parse_source_strv (const gchar * const *entries,
    const gchar * what, GError ** error);

/* An MCTX_ERROR that records the setting it is about (may be NULL). */
void mctx_set_error (GError ** error, const gchar * setting, gint code,
    const gchar * format, ...) G_GNUC_PRINTF (4, 5);

/* FALSE with @code when @text is NULL or empty: "<what> is empty:
 * expected <expected>". */
gboolean mctx_check_not_empty (const gchar * text, const gchar * what,
    gint code, const gchar * expected, GError ** error);

/* FALSE with MCTX_ERROR_INVALID_VALUE naming @setting when @value is
 * outside @min..@max: "<setting> <value><unit> is out of range
 * (<min>..<max><unit>)"; @unit is "" or e.g. " ms". */
gboolean mctx_check_range (GError ** error, const gchar * setting,
    gint64 value, gint64 min, gint64 max, const gchar * unit);

/* The n-legs check of a merge and a redundant publication. */
gboolean mctx_check_n_legs (guint n_legs, guint max, GError ** error);

/* Re-points an MCTX_ERROR raised by a shared helper at the caller's
 * setting (e.g. the interface resolver's "interface" is a subscription's
 * "interfaces"). */
void mctx_error_set_setting (GError ** error, const gchar * setting);

/* errno-carrying error, message: "<what>: <strerror>" */
void mctx_set_errno_error (GError ** error, int errsv, const gchar * format,
    ...) G_GNUC_PRINTF (3, 4);

/* The checks of a source address (what mctx_parse_source() does
 * after parsing): not multicast, unspecified or 255.255.255.255, a scope
 * id only on link-local; errors INVALID_SOURCE / INVALID_SCOPE name @what
 * and @text. */
gboolean mctx_address_check_source (const MctxAddress * addr,
    const gchar * what, const gchar * text, GError ** error);

/* Interface table snapshot (getifaddrs + flags). */
typedef struct
{
  gchar name[64];
  guint index;
  MctxInterfaceFlags flags;
  GArray *addresses;            /* MctxAddress */
} MctxIfEntry;

GPtrArray *mctx_if_table_load (GError ** error);
gchar *mctx_if_table_names (GPtrArray * table);
gchar *mctx_if_table_addresses_text (GPtrArray * table,
    GSocketFamily family);
MctxIfEntry *mctx_if_table_by_name (GPtrArray * table, const gchar * name);
MctxIfEntry *mctx_if_table_by_index (GPtrArray * table, guint index);
/* Resolves a name or address spec to an entry; errors name the spec. */
MctxIfEntry *mctx_if_table_resolve (GPtrArray * table, const gchar * spec,
    GSocketFamily family, const gchar * what, GError ** error);
/* Entries holding addr; returns count and the first match. */
guint mctx_if_table_find_address (GPtrArray * table, const MctxAddress * addr,
    MctxIfEntry ** first);

/* Counters read from any thread while the owner's thread updates them. */
#define MCTX_STAT_ADD(p, v) __atomic_fetch_add (&(p), (v), __ATOMIC_RELAXED)
#define MCTX_STAT_GET(p) __atomic_load_n (&(p), __ATOMIC_RELAXED)
/* Reads a whole struct of such guint64 counters into @dest, a struct of the
 * same type (the public statistics structs hold guint64 only). */
#define MCTX_STATS_READ(dest, src) \
  mctx_stats_read ((guint64 *) (dest), (const guint64 *) (src), \
      sizeof (*(dest)) / sizeof (guint64))
static inline void
mctx_stats_read (guint64 * dest, const guint64 * src, gsize n)
{
  gsize i;

  for (i = 0; i < n; i++)
    dest[i] = MCTX_STAT_GET (src[i]);
}

/* "IPv4" / "IPv6", for messages. */
const gchar *mctx_family_name (GSocketFamily family);
/* An integer from /proc/sys, or @fallback. */
gint mctx_read_sysctl_int (const gchar * path, gint fallback);
/* Whether the guint array holds @index (inline: runs per datagram). */
static inline gboolean
mctx_index_array_has (GArray * arr, guint index)
{
  guint i;

  for (i = 0; i < arr->len; i++)
    if (g_array_index (arr, guint, i) == index)
      return TRUE;
  return FALSE;
}

/* For MctxContext's duplicate check (mctx-publication.c). */
gboolean mctx_publication_same_config (MctxPublication * a,
    MctxPublication * b);

G_END_DECLS
