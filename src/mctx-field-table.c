/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-field-table-private.h"

static GParamSpec *
row_pspec (const MctxFieldRow * r)
{
  GParamFlags flags = (r->flags ? r->flags : G_PARAM_READWRITE) |
      G_PARAM_STATIC_STRINGS;

  switch (r->kind) {
    case MCTX_FIELD_STRING:
      return g_param_spec_string (r->name, r->nick, r->blurb, NULL, flags);
    case MCTX_FIELD_STRV:
      return g_param_spec_boxed (r->name, r->nick, r->blurb, G_TYPE_STRV,
          flags);
    case MCTX_FIELD_BOOLEAN:
      return g_param_spec_boolean (r->name, r->nick, r->blurb, r->def != 0,
          flags);
    case MCTX_FIELD_INT:
      return g_param_spec_int (r->name, r->nick, r->blurb, (gint) r->min,
          (gint) r->max, (gint) r->def, flags);
    case MCTX_FIELD_UINT:
      return g_param_spec_uint (r->name, r->nick, r->blurb, (guint) r->min,
          (guint) r->max, (guint) r->def, flags);
    case MCTX_FIELD_UINT64:
      return g_param_spec_uint64 (r->name, r->nick, r->blurb,
          (guint64) r->min, r->max, r->def, flags);
  }
  g_return_val_if_reached (NULL);
}

void
mctx_field_class_init (GObjectClass * klass,
    void (*finalize) (GObject * object), GObjectSetPropertyFunc set_property,
    GObjectGetPropertyFunc get_property, GParamSpec ** pspecs,
    guint n_pspecs, const MctxFieldRow * rows, guint n_rows)
{
  guint i;

  klass->finalize = finalize;
  klass->set_property = set_property ? set_property : mctx_field_set_property;
  klass->get_property = get_property ? get_property : mctx_field_get_property;
  for (i = 0; i < n_rows; i++) {
    GParamSpec *pspec = row_pspec (&rows[i]);

    g_return_if_fail (rows[i].id > 0 && rows[i].id < n_pspecs);
    pspecs[rows[i].id] = rows[i].offset ?
        mctx_param_field (rows[i].offset, pspec) : pspec;
  }
  g_object_class_install_properties (klass, n_pspecs, pspecs);
}
