/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-boxed-private.h"

gpointer
mctx_struct_copy_strings (gconstpointer boxed, gsize size,
    const gsize * strings, guint n_strings, const gsize * strvs,
    guint n_strvs)
{
  gpointer copy;
  guint i;

  g_return_val_if_fail (boxed != NULL, NULL);
  copy = g_memdup2 (boxed, size);
  for (i = 0; i < n_strings; i++)
    G_STRUCT_MEMBER (gchar *, copy, strings[i]) =
        g_strdup (G_STRUCT_MEMBER (const gchar *, boxed, strings[i]));
  for (i = 0; i < n_strvs; i++)
    G_STRUCT_MEMBER (gchar **, copy, strvs[i]) =
        g_strdupv (G_STRUCT_MEMBER (gchar **, boxed, strvs[i]));
  return copy;
}

void
mctx_struct_free_strings (gpointer boxed, const gsize * strings,
    guint n_strings, const gsize * strvs, guint n_strvs)
{
  guint i;

  if (boxed == NULL)
    return;
  for (i = 0; i < n_strings; i++)
    g_free (G_STRUCT_MEMBER (gchar *, boxed, strings[i]));
  for (i = 0; i < n_strvs; i++)
    g_strfreev (G_STRUCT_MEMBER (gchar **, boxed, strvs[i]));
  g_free (boxed);
}
