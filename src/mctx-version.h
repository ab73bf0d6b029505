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

/* Internal to these headers (the underscore keeps it out of the API and
 * the GIR): the calls a publication and a subscription both have, declared
 * once: type_name##_new (group, port), _validate, _open, _close, _is_open,
 * _wait_##ready and _get_fd (documented where they are defined). */
#define _MCTX_DECLARE_ENDPOINT(TypeName, type_name, ready) \
  MCTX_AVAILABLE_IN_ALL \
  TypeName *type_name##_new (const gchar * group, guint port); \
  MCTX_AVAILABLE_IN_ALL \
  gboolean type_name##_validate (TypeName * self, GError ** error); \
  MCTX_AVAILABLE_IN_ALL \
  gboolean type_name##_open (TypeName * self, GError ** error); \
  MCTX_AVAILABLE_IN_ALL void type_name##_close (TypeName * self); \
  MCTX_AVAILABLE_IN_ALL gboolean type_name##_is_open (TypeName * self); \
  MCTX_AVAILABLE_IN_ALL \
  gboolean type_name##_wait_##ready (TypeName * self, gint64 timeout_us, \
      GCancellable * cancellable, GError ** error); \
  MCTX_AVAILABLE_IN_ALL gint type_name##_get_fd (TypeName * self)
