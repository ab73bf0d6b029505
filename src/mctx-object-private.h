/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Most properties of libmctx's objects are a plain field that open() or
 * start() reads. Such a property's paramspec carries the field's offset,
 * and this one implementation stores, reads and frees it for every class:
 * a class's own set/get_property keeps only the properties that do
 * something when set (a live socket option, a lock, a derived value).
 *
 * Field types follow the paramspec: gchar * (string), gchar ** (strv),
 * any other boxed pointer, GObject *, gboolean, gint (int, enum), guint
 * (uint, flags), gint64, guint64, gdouble. A G_PARAM_EXPLICIT_NOTIFY
 * property notifies only when the value really changes. */

/* Marks @pspec as the field at @offset (G_STRUCT_OFFSET); returns @pspec. */
GParamSpec *mctx_param_field (gsize offset, GParamSpec * pspec);

/* FALSE when @pspec is not field-backed (the caller handles it). */
gboolean mctx_field_set (GObject * object, GParamSpec * pspec,
    const GValue * value);
gboolean mctx_field_get (GObject * object, GParamSpec * pspec,
    GValue * value);

/* GObjectClass set_property / get_property for a class whose properties
 * are all field-backed. */
void mctx_field_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
void mctx_field_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);

/* Sets the fields of the field-backed properties in @pspecs[0..@n) that
 * are not pointers to their paramspec's default, for instance init. */
void mctx_fields_init (GObject * object, GParamSpec ** pspecs, guint n);

/* Frees the pointer fields of the field-backed properties in
 * @pspecs[0..@n) (NULL entries skipped), for finalize. */
void mctx_fields_free (GObject * object, GParamSpec ** pspecs, guint n);

/* A public getter that returns the field @member as it is, after the type
 * check: RetType type_name##_get_##name (TypeName * self). Its doc comment
 * stays above the line that defines it. */
#define MCTX_DEFINE_GETTER(TypeName, type_name, IS_TYPE, RetType, name, \
    member, fallback) \
  RetType type_name##_get_##name (TypeName * self) \
  { \
    g_return_val_if_fail (IS_TYPE (self), fallback); \
    return self->member; \
  }

G_END_DECLS
