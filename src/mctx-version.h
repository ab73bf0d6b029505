/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

/* Symbols are hidden by default (-fvisibility=hidden); this marks the API. */
#if defined(MCTX_COMPILATION)
#define MCTX_AVAILABLE_IN_ALL __attribute__((visibility ("default"))) extern
#else
#define MCTX_AVAILABLE_IN_ALL extern
#endif

/* The three functions every boxed type of libmctx has: its GType, a copy
 * and a free (G_DEFINE_BOXED_TYPE defines the first). */
#define MCTX_DECLARE_BOXED(TypeName, type_name) \
  MCTX_AVAILABLE_IN_ALL GType type_name##_get_type (void) G_GNUC_CONST; \
  MCTX_AVAILABLE_IN_ALL TypeName *type_name##_copy (const TypeName * boxed); \
  MCTX_AVAILABLE_IN_ALL void type_name##_free (TypeName * boxed)
