/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-object-private.h"

static GQuark
field_quark (void)
{
  static GQuark q;

  if (G_UNLIKELY (q == 0))
    q = g_quark_from_static_string ("mctx-field-offset");
  return q;
}

GParamSpec *
mctx_param_field (gsize offset, GParamSpec * pspec)
{
  /* offset 0 is the parent instance, never a property's field */
  g_return_val_if_fail (offset > 0, pspec);
  g_param_spec_set_qdata (pspec, field_quark (), GSIZE_TO_POINTER (offset));
  return pspec;
}

static gpointer
field_of (GObject * object, GParamSpec * pspec)
{
  gsize offset = GPOINTER_TO_SIZE (g_param_spec_get_qdata (pspec,
          field_quark ()));

  return offset ? G_STRUCT_MEMBER_P (object, offset) : NULL;
}

static void
free_pointer (GType type, gpointer * f)
{
  gpointer old = *f;

  *f = NULL;
  if (old == NULL)
    return;
  switch (G_TYPE_FUNDAMENTAL (type)) {
    case G_TYPE_STRING:
      g_free (old);
      break;
    case G_TYPE_BOXED:
      g_boxed_free (type, old);
      break;
    case G_TYPE_OBJECT:
      g_object_unref (old);
      break;
    default:
      break;
  }
}

/* Copies between @value and the field @f: into the field when @into_field (a
 * pointer field's old value freed, the new one a copy), else out of it.
 * One case a field type, for both directions. */
#define SCALAR_CASE(fundamental, ctype, kind) \
    case fundamental: \
      if (into_field) \
        *(ctype *) f = g_value_get_##kind (value); \
      else \
        g_value_set_##kind (value, *(ctype *) f); \
      break
#define POINTER_CASE(fundamental, kind) \
    case fundamental: \
      if (into_field) { \
        free_pointer (pspec->value_type, f); \
        *(gpointer *) f = g_value_dup_##kind (value); \
      } else { \
        g_value_set_##kind (value, *(gpointer *) f); \
      } \
      break

static gboolean
access_field (GParamSpec * pspec, gpointer f, GValue * value,
    gboolean into_field)
{
  switch (G_TYPE_FUNDAMENTAL (pspec->value_type)) {
    POINTER_CASE (G_TYPE_STRING, string);
    POINTER_CASE (G_TYPE_BOXED, boxed);
    POINTER_CASE (G_TYPE_OBJECT, object);
    SCALAR_CASE (G_TYPE_INT, gint, int);
    SCALAR_CASE (G_TYPE_ENUM, gint, enum);
    SCALAR_CASE (G_TYPE_UINT, guint, uint);
    SCALAR_CASE (G_TYPE_FLAGS, guint, flags);
    SCALAR_CASE (G_TYPE_INT64, gint64, int64);
    SCALAR_CASE (G_TYPE_UINT64, guint64, uint64);
    SCALAR_CASE (G_TYPE_DOUBLE, gdouble, double);
    case G_TYPE_BOOLEAN:
      /* stored as 0/1 so that comparisons and getters agree */
      if (into_field)
        *(gboolean *) f = g_value_get_boolean (value) ? TRUE : FALSE;
      else
        g_value_set_boolean (value, *(gboolean *) f);
      break;
    default:
      g_return_val_if_reached (FALSE);
  }
  return TRUE;
}

#undef SCALAR_CASE
#undef POINTER_CASE

gboolean
mctx_field_get (GObject * object, GParamSpec * pspec, GValue * value)
{
  gpointer f = field_of (object, pspec);

  return f != NULL && access_field (pspec, f, value, FALSE);
}

static void
store (GParamSpec * pspec, gpointer f, const GValue * value)
{
  access_field (pspec, f, (GValue *) value, TRUE);
}

gboolean
mctx_field_set (GObject * object, GParamSpec * pspec, const GValue * value)
{
  gpointer f = field_of (object, pspec);
  gboolean changed = TRUE;

  if (f == NULL)
    return FALSE;
  if (pspec->flags & G_PARAM_EXPLICIT_NOTIFY) {
    GValue old = G_VALUE_INIT;

    g_value_init (&old, pspec->value_type);
    mctx_field_get (object, pspec, &old);
    changed = g_param_values_cmp (pspec, &old, value) != 0;
    g_value_unset (&old);
  }
  store (pspec, f, value);
  if (changed && (pspec->flags & G_PARAM_EXPLICIT_NOTIFY))
    g_object_notify_by_pspec (object, pspec);
  return TRUE;
}

void
mctx_field_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  if (!mctx_field_set (object, pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

void
mctx_field_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  if (!mctx_field_get (object, pspec, value))
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static gboolean
is_pointer (GParamSpec * pspec)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (pspec->value_type);

  return fundamental == G_TYPE_STRING || fundamental == G_TYPE_BOXED ||
      fundamental == G_TYPE_OBJECT;
}

void
mctx_fields_init (GObject * object, GParamSpec ** pspecs, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    GValue v = G_VALUE_INIT;
    gpointer f;

    /* pointer fields start NULL (g_object_new zeroes the instance) */
    if (pspecs[i] == NULL || (f = field_of (object, pspecs[i])) == NULL ||
        is_pointer (pspecs[i]))
      continue;
    g_value_init (&v, pspecs[i]->value_type);
    g_param_value_set_default (pspecs[i], &v);
    store (pspecs[i], f, &v);
    g_value_unset (&v);
  }
}

void
mctx_fields_free (GObject * object, GParamSpec ** pspecs, guint n)
{
  guint i;

  for (i = 0; i < n; i++) {
    gpointer f;

    if (pspecs[i] != NULL && (f = field_of (object, pspecs[i])) != NULL &&
        is_pointer (pspecs[i]))
      free_pointer (pspecs[i]->value_type, f);
  }
}
