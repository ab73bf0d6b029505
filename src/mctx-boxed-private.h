/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* G_DEFINE_BOXED_TYPE plus copy and free for a boxed type that is plain
 * data (no pointers): a copy is the bytes. */
#define MCTX_DEFINE_PLAIN_BOXED(TypeName, type_name) \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, \
      type_name##_free) \
  TypeName *type_name##_copy (const TypeName * boxed) \
  { \
    return g_memdup2 (boxed, sizeof (TypeName)); \
  } \
  void type_name##_free (TypeName * boxed) \
  { \
    g_free (boxed); \
  }

/* A boxed struct whose only owned pointers are strings (gchar *) and
 * NULL-terminated string arrays (gchar **): a copy is its bytes with each
 * string and array duplicated, freeing frees each. The fields are given
 * by their offsets (G_STRUCT_OFFSET). */
gpointer mctx_struct_copy_strings (gconstpointer boxed, gsize size,
    const gsize * strings, guint n_strings, const gsize * strvs,
    guint n_strvs);
void mctx_struct_free_strings (gpointer boxed, const gsize * strings,
    guint n_strings, const gsize * strvs, guint n_strvs);

/* G_DEFINE_BOXED_TYPE plus copy and free for such a struct; the variadic
 * arguments name its string members. Both functions take a parameter
 * named `boxed`; free is NULL-safe. */
#define MCTX_DEFINE_STRINGS_BOXED(TypeName, type_name, ...) \
  G_DEFINE_BOXED_TYPE (TypeName, type_name, type_name##_copy, \
      type_name##_free) \
  static const gsize type_name##_strings[] = { __VA_ARGS__ }; \
  TypeName *type_name##_copy (const TypeName * boxed) \
  { \
    return mctx_struct_copy_strings (boxed, sizeof (TypeName), \
        type_name##_strings, G_N_ELEMENTS (type_name##_strings), NULL, 0); \
  } \
  void type_name##_free (TypeName * boxed) \
  { \
    mctx_struct_free_strings (boxed, type_name##_strings, \
        G_N_ELEMENTS (type_name##_strings), NULL, 0); \
  }

/* One string member of TypeName, for MCTX_DEFINE_STRINGS_BOXED. */
#define MCTX_STRING_FIELD(TypeName, member) G_STRUCT_OFFSET (TypeName, member)

G_END_DECLS
