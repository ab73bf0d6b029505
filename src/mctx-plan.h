/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The settings planner shared by MctxPublication and MctxSubscription:
 * validate() and open() both plan first, and every check the two objects
 * have in common is made here once, with one wording for its error. A
 * plan resolves text settings into addresses and interface indexes; it
 * opens nothing. */

#include "mctx-private.h"

G_BEGIN_DECLS

typedef struct
{
  const gchar *group;           /* the group setting's text */
  guint port;
  guint interface_index;        /* 0: not set */
  const gchar *interface_setting;       /* "interface" or "interfaces" */
} MctxPlanInput;

typedef struct
{
  MctxAddress group;
  GPtrArray *table;             /* the host's interfaces, while planning */
  MctxIfEntry *named;           /* the interface a names step resolved */
  MctxIfEntry *by_index;        /* interface-index's interface, or NULL */
  MctxIfEntry *scoped;          /* the group's %scope interface, or NULL */
} MctxPlan;

/* An object's planner is the shared sequence with the object's own steps
 * in between: group and port; SETTINGS (what needs no interface table);
 * the table loaded; NAMES (interfaces the object's own settings name);
 * interface-index and the group's scope resolved; CHOOSE (the final
 * interfaces). A step that fails leaves the object's plan to clear. */
typedef enum
{
  MCTX_PLAN_SETTINGS,
  MCTX_PLAN_NAMES,
  MCTX_PLAN_CHOOSE,
} MctxPlanStage;

/* @plan is the object's own result. */
typedef gboolean (*MctxPlanStep) (gpointer self, MctxPlanStage stage,
    const MctxPlanInput * in, MctxPlan * common, gpointer plan,
    GError ** error);

gboolean mctx_plan_run (const MctxPlanInput * in, MctxPlanStep step,
    gpointer self, gpointer plan, GError ** error);

/* Defines an object's planning from its three typed steps (self, in,
 * common, plan, error); @setting names its interface setting in errors,
 * @clear frees what its plan holds:
 *   gboolean type_name##_plan (TypeName * self, PlanType * plan, GError **)
 *     zeroes @plan and plans; a plan that fails is cleared;
 *   gboolean type_name##_validate (TypeName * self, GError **)
 *     the public check (IS_TYPE first): plans, then forgets the plan. */
#define MCTX_PLAN_DEFINE(TypeName, type_name, IS_TYPE, PlanType, setting, \
    settings, names, choose, clear) \
static gboolean \
type_name##_plan_step (gpointer self, MctxPlanStage stage, \
    const MctxPlanInput * in, MctxPlan * common, gpointer plan, \
    GError ** error) \
{ \
  switch (stage) { \
    case MCTX_PLAN_SETTINGS: \
      return settings (self, in, common, plan, error); \
    case MCTX_PLAN_NAMES: \
      return names (self, in, common, plan, error); \
    case MCTX_PLAN_CHOOSE: \
      return choose (self, in, common, plan, error); \
  } \
  g_return_val_if_reached (FALSE); \
} \
gboolean \
type_name##_plan (TypeName * self, PlanType * plan, GError ** error) \
{ \
  MctxPlanInput in = { self->group, self->port, self->interface_index, \
    setting }; \
\
  memset (plan, 0, sizeof (*plan)); \
  if (mctx_plan_run (&in, type_name##_plan_step, self, plan, error)) \
    return TRUE; \
  clear (plan); \
  return FALSE; \
} \
gboolean \
type_name##_validate (TypeName * self, GError ** error) \
{ \
  PlanType plan; \
\
  g_return_val_if_fail (IS_TYPE (self), FALSE); \
  if (!type_name##_plan (self, &plan, error)) \
    return FALSE; \
  clear (&plan); \
  return TRUE; \
}

/* For the public calls that need the socket: IS_TYPE (self) checked as
 * g_return_val_if_fail() would (a critical naming the caller, FALSE),
 * then MCTX_PLAN_CHECK_OPEN. */
#define MCTX_PLAN_CHECK_CALL(self, IS_TYPE, kind, error) \
  (G_LIKELY (IS_TYPE (self)) ? MCTX_PLAN_CHECK_OPEN (self, kind, error) : \
      (g_return_if_fail_warning (G_LOG_DOMAIN, G_STRFUNC, \
              #IS_TYPE " (self)"), FALSE))

/* For open(): FALSE with MCTX_ERROR_ALREADY_OPEN when @self is open. */
#define MCTX_PLAN_CHECK_CLOSED(self, kind, error) \
  ((self)->fd < 0 || \
      mctx_plan_fail_already_open (kind, (self)->group, (self)->port, error))

/* The @clear of MCTX_PLAN_DEFINE for a plan that holds nothing. */
#define MCTX_PLAN_NOTHING_TO_CLEAR(plan) ((void) (plan))

/* For calls that need the socket: FALSE with MCTX_ERROR_NOT_OPEN unless
 * @self (a publication or subscription, named @kind) is open. */
#define MCTX_PLAN_CHECK_OPEN(self, kind, error) \
  (G_LIKELY ((self)->fd >= 0) || \
      mctx_plan_fail_not_open (kind, (self)->group, (self)->port, error))

/* @addr (the @setting's entry @text) has the group's family. */
gboolean mctx_plan_check_family (const MctxPlanInput * in,
    const MctxPlan * plan, const gchar * setting, const gchar * text,
    const MctxAddress * addr, GError ** error);

/* The one wording of each shared error. */
void mctx_plan_error_scope_mismatch (const MctxPlanInput * in,
    const MctxPlan * plan, const gchar * setting, const gchar * given,
    GError ** error);
void mctx_plan_error_needs_interface (const MctxPlanInput * in,
    GError ** error);
/* Always FALSE, for "return open || fail". */
gboolean mctx_plan_fail_not_open (const gchar * kind, const gchar * group,
    guint port, GError ** error);
gboolean mctx_plan_fail_already_open (const gchar * kind,
    const gchar * group, guint port, GError ** error);
/* A setting the system refused at open: names it. */
void mctx_plan_error_refused (const gchar * setting, int errsv,
    const gchar * detail, GError ** error);

/* The properties every publication and subscription has, field-backed:
 * group, port, interface-index (@rw) and the read-only fd, made at the
 * given ids and G_STRUCT_OFFSET()s; @sender picks the blurbs. */
void mctx_plan_params (GParamSpec ** properties, gboolean sender,
    GParamFlags rw, guint group, gsize group_field, guint port,
    gsize port_field, guint interface_index, gsize interface_index_field,
    guint fd, gsize fd_field);

G_END_DECLS
