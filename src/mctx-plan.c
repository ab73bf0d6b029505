/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-plan.h"
#include "mctx-object-private.h"

#include <string.h>

const gchar *
mctx_family_name (GSocketFamily family)
{
  return family == G_SOCKET_FAMILY_IPV4 ? "IPv4" : "IPv6";
}

gint
mctx_read_sysctl_int (const gchar * path, gint fallback)
{
  gchar *text = NULL;
  gint v = fallback;

  if (g_file_get_contents (path, &text, NULL, NULL)) {
    v = (gint) g_ascii_strtoll (text, NULL, 10);
    g_free (text);
  }
  return v;
}

/* Group set and multicast, port set. */
static gboolean
plan_group (const MctxPlanInput * in, MctxPlan * plan, GError ** error)
{
  if (in->group == NULL) {
    mctx_set_error (error, "group", MCTX_ERROR_INVALID_ADDRESS,
        "group is not set: expected a multicast address");
    return FALSE;
  }
  if (!mctx_parse_group (in->group, "group", &plan->group, error))
    return FALSE;
  return mctx_check_port (in->port, "port", FALSE, error);
}

/* interface-index and the group's scope, which must both exist. */
static gboolean
plan_interfaces (const MctxPlanInput * in, MctxPlan * plan, GError ** error)
{
  if (in->interface_index != 0) {
    plan->by_index = mctx_if_table_by_index (plan->table,
        in->interface_index);
    if (plan->by_index == NULL) {
      gchar *names = mctx_if_table_names (plan->table);

      mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "interface-index %u not found (have: %s)", in->interface_index,
          names);
      g_free (names);
      return FALSE;
    }
  }
  if (plan->group.scope_id != 0) {
    plan->scoped = mctx_if_table_by_index (plan->table, plan->group.scope_id);
    if (plan->scoped == NULL) {
      mctx_set_error (error, "group", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "group '%s': scope interface %u not found", in->group,
          plan->group.scope_id);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
mctx_plan_run (const MctxPlanInput * in, MctxPlanStep step, gpointer self,
    gpointer plan, GError ** error)
{
  MctxPlan common;
  gboolean ok;

  memset (&common, 0, sizeof (common));
  if (!plan_group (in, &common, error) ||
      !step (self, MCTX_PLAN_SETTINGS, in, &common, plan, error))
    return FALSE;
  common.table = mctx_if_table_load (error);
  if (common.table == NULL)
    return FALSE;
  ok = step (self, MCTX_PLAN_NAMES, in, &common, plan, error) &&
      plan_interfaces (in, &common, error) &&
      step (self, MCTX_PLAN_CHOOSE, in, &common, plan, error);
  g_ptr_array_unref (common.table);
  return ok;
}

gboolean
mctx_plan_check_family (const MctxPlanInput * in, const MctxPlan * plan,
    const gchar * setting, const gchar * text, const MctxAddress * addr,
    GError ** error)
{
  if (addr->family == plan->group.family)
    return TRUE;
  mctx_set_error (error, setting, MCTX_ERROR_FAMILY_MISMATCH,
      "%s '%s' is %s but group '%s' is %s", setting, text,
      mctx_family_name (addr->family), in->group,
      mctx_family_name (plan->group.family));
  return FALSE;
}

void
mctx_plan_error_scope_mismatch (const MctxPlanInput * in,
    const MctxPlan * plan, const gchar * setting, const gchar * given,
    GError ** error)
{
  mctx_set_error (error, setting, MCTX_ERROR_INTERFACE_MISMATCH,
      "group '%s' is scoped to %s but %s is %s", in->group,
      plan->scoped ? plan->scoped->name : "an unknown interface", setting,
      given);
}

void
mctx_plan_error_needs_interface (const MctxPlanInput * in, GError ** error)
{
  mctx_set_error (error, in->interface_setting, MCTX_ERROR_SCOPE_REQUIRED,
      "group '%s' is interface- or link-local: set %s, interface-index or "
      "a %%scope", in->group, in->interface_setting);
}

gboolean
mctx_plan_fail_not_open (const gchar * kind, const gchar * group, guint port,
    GError ** error)
{
  mctx_set_error (error, NULL, MCTX_ERROR_NOT_OPEN,
      "%s to '%s' port %u is not open", kind, group ? group : "(unset)", port);
  return FALSE;
}

gboolean
mctx_plan_fail_already_open (const gchar * kind, const gchar * group,
    guint port, GError ** error)
{
  mctx_set_error (error, NULL, MCTX_ERROR_ALREADY_OPEN,
      "%s to '%s' port %u is already open", kind, group, port);
  return FALSE;
}

void
mctx_plan_error_refused (const gchar * setting, int errsv,
    const gchar * detail, GError ** error)
{
  mctx_set_errno_error (error, errsv, "%s%s%s", setting, detail ? " " : "",
      detail ? detail : "");
  mctx_error_set_setting (error, setting);
}

void
mctx_plan_params (GParamSpec ** properties, gboolean sender, GParamFlags rw,
    guint group, gsize group_field, guint port, gsize port_field,
    guint interface_index, gsize interface_index_field, guint fd,
    gsize fd_field)
{
  properties[group] = mctx_param_field (group_field,
      g_param_spec_string ("group", "Group", sender ?
          "Multicast group to send to (IPv4 or IPv6)" :
          "Multicast group to receive (IPv4 or IPv6)", NULL, rw));
  properties[port] = mctx_param_field (port_field,
      g_param_spec_uint ("port", "Port", sender ? "Destination UDP port" :
          "UDP port to receive on", 0, 65535, MCTX_URI_DEFAULT_PORT, rw));
  properties[interface_index] = mctx_param_field (interface_index_field,
      g_param_spec_uint ("interface-index", "Interface index", sender ?
          "Outgoing interface by index (0: not set)" :
          "Interface to join on, by index (0: not set)", 0, G_MAXUINT, 0,
          rw));
  properties[fd] = mctx_param_field (fd_field,
      g_param_spec_int ("fd", "File descriptor",
          "Socket file descriptor while open (-1: closed)", -1, G_MAXINT, -1,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}
