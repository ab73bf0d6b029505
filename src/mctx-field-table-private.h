/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-object-private.h"

G_BEGIN_DECLS

/* A class's properties as a table: one row a property, from which
 * mctx_field_class_init() makes the paramspecs (field-backed when the
 * row has an offset) and installs them. For the classes whose properties
 * are plain values: strings and string arrays (default NULL), booleans,
 * ints, uints and uint64s. */
typedef enum
{
  MCTX_FIELD_STRING,
  MCTX_FIELD_STRV,
  MCTX_FIELD_BOOLEAN,
  MCTX_FIELD_INT,
  MCTX_FIELD_UINT,
  MCTX_FIELD_UINT64,
} MctxFieldKind;

typedef struct
{
  guint id;                     /* index in the class's GParamSpec array */
  gsize offset;                 /* G_STRUCT_OFFSET of the field; 0: none */
  MctxFieldKind kind;
  const gchar *name;
  const gchar *nick;
  const gchar *blurb;
  gint64 min;                   /* numbers: range and default; */
  guint64 max;                  /* a boolean's default is def != 0 */
  guint64 def;
  GParamFlags flags;            /* 0: G_PARAM_READWRITE; static strings
                                 * always */
} MctxFieldRow;

/* The class_init of such a class: sets @klass's finalize, set_property and
 * get_property (NULL: mctx_field_set_property / mctx_field_get_property,
 * when every property is a field), fills @pspecs[row.id] for each of the
 * @n_rows rows and installs @pspecs[1..@n_pspecs). */
void mctx_field_class_init (GObjectClass * klass,
    void (*finalize) (GObject * object), GObjectSetPropertyFunc set_property,
    GObjectGetPropertyFunc get_property, GParamSpec ** pspecs,
    guint n_pspecs, const MctxFieldRow * rows, guint n_rows);

G_END_DECLS
