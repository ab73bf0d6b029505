/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A subscription's settings planned: the group, the source filter and the
 * interfaces to join, checked against each other and the host. The
 * checks a publication shares are in mctx-plan.c. */
#include "mctx-subscription-private.h"

#include <string.h>

void
mctx_sub_plan_clear (MctxSubPlan * plan)
{
  g_clear_pointer (&plan->ifindexes, g_array_unref);
  g_clear_pointer (&plan->filter, g_array_unref);
}

static gboolean
parse_filter (const MctxPlanInput * in, const MctxPlan * common,
    gchar ** list, const gchar * what, GArray ** out, GError ** error)
{
  GArray *arr;
  guint i;

  *out = NULL;
  if (list == NULL || list[0] == NULL)
    return TRUE;
  arr = mctx_parse_source_strv ((const gchar * const *) list, what, error);
  if (arr == NULL)
    return FALSE;
  for (i = 0; i < arr->len; i++) {
    if (!mctx_plan_check_family (in, common, what, list[i],
            &g_array_index (arr, MctxAddress, i), error)) {
      g_array_unref (arr);
      return FALSE;
    }
  }
  *out = arr;
  return TRUE;
}

static gboolean
add_interfaces (GPtrArray * table, gchar ** specs, GSocketFamily family,
    GArray * out, GError ** error)
{
  guint i;

  if (specs == NULL || specs[0] == NULL)
    return TRUE;
  if (g_strv_length (specs) == 1 && g_ascii_strcasecmp (specs[0], "all") == 0) {
    for (i = 0; i < table->len; i++) {
      MctxIfEntry *e = g_ptr_array_index (table, i);

      if ((e->flags & MCTX_INTERFACE_FLAG_UP) &&
          (e->flags & MCTX_INTERFACE_FLAG_MULTICAST))
        g_array_append_val (out, e->index);
    }
    if (out->len == 0) {
      gchar *names = mctx_if_table_names (table);

      mctx_set_error (error, "interfaces", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "interfaces 'all': no interface is up and multicast-capable "
          "(have: %s)", names);
      g_free (names);
      return FALSE;
    }
    return TRUE;
  }
  for (i = 0; specs[i] != NULL; i++) {
    MctxIfEntry *e;

    if (specs[i][0] == '\0' || g_ascii_strcasecmp (specs[i], "all") == 0) {
      gchar *text = g_strjoinv (",", specs);

      mctx_set_error (error, "interfaces", MCTX_ERROR_INVALID_VALUE,
          specs[i][0] == '\0' ? "interfaces '%s' has an empty entry" :
          "interfaces '%s': 'all' cannot be combined with other entries",
          text);
      g_free (text);
      return FALSE;
    }
    e = mctx_if_table_resolve (table, specs[i], family, "interface", error);
    if (e == NULL) {
      mctx_error_set_setting (error, "interfaces");
      return FALSE;
    }
    if (mctx_index_array_has (out, e->index)) {
      mctx_set_error (error, "interfaces", MCTX_ERROR_INVALID_VALUE,
          "interfaces names %s twice ('%s')", e->name, specs[i]);
      return FALSE;
    }
    g_array_append_val (out, e->index);
  }
  return TRUE;
}

/* Step "settings": the source filter. */
static gboolean
plan_sources (MctxSubscription * self, const MctxPlanInput * in,
    MctxPlan * common, MctxSubPlan * plan, GError ** error)
{
  GArray *excl = NULL;
  gint limit;
  gboolean v4 = common->group.family == G_SOCKET_FAMILY_IPV4;

  plan->group = common->group;
  if (!parse_filter (in, common, self->sources, "sources", &plan->filter,
          error) ||
      !parse_filter (in, common, self->exclude_sources, "exclude-sources",
          &excl, error))
    return FALSE;
  if (plan->filter != NULL && excl != NULL) {
    mctx_set_error (error, "exclude-sources", MCTX_ERROR_INCLUDE_AND_EXCLUDE,
        "sources and exclude-sources cannot both be set "
        "(sources '%s', exclude-sources '%s')", self->sources[0],
        self->exclude_sources[0]);
    g_array_unref (excl);
    return FALSE;
  }
  if (mctx_address_is_ssm (&common->group) && plan->filter == NULL) {
    mctx_set_error (error, "sources", MCTX_ERROR_SSM_NEEDS_SOURCES,
        "group '%s' is in the source-specific range (%s): set sources",
        self->group, v4 ? "232.0.0.0/8" : "ff3x::/32");
    g_clear_pointer (&excl, g_array_unref);
    return FALSE;
  }
  if (excl != NULL) {
    plan->filter = excl;
    plan->exclude = TRUE;
  }
  limit = v4 ? mctx_read_sysctl_int ("/proc/sys/net/ipv4/igmp_max_msf", 10) :
      mctx_read_sysctl_int ("/proc/sys/net/ipv6/mld_max_msf", 64);
  if (plan->filter != NULL && limit > 0 && plan->filter->len > (guint) limit) {
    const gchar *what = plan->exclude ? "exclude-sources" : "sources";

    mctx_set_error (error, what, MCTX_ERROR_TOO_MANY_SOURCES,
        "%s lists %u sources but the kernel allows %d per group (net.%s)",
        what, plan->filter->len, limit,
        v4 ? "ipv4.igmp_max_msf" : "ipv6.mld_max_msf");
    return FALSE;
  }
  return TRUE;
}

static gchar *
index_names (GPtrArray * table, GArray * ifindexes)
{
  GString *given = g_string_new (NULL);
  guint k;

  for (k = 0; k < ifindexes->len; k++) {
    MctxIfEntry *e = mctx_if_table_by_index (table,
        g_array_index (ifindexes, guint, k));

    g_string_append_printf (given, "%s%s", k ? "," : "", e ? e->name : "?");
  }
  return g_string_free (given, FALSE);
}

/* Step "names": the interfaces setting. */
static gboolean
plan_names (MctxSubscription * self, const MctxPlanInput * in,
    MctxPlan * common, MctxSubPlan * plan, GError ** error)
{
  plan->ifindexes = g_array_new (FALSE, FALSE, sizeof (guint));
  return add_interfaces (common->table, self->interfaces,
      common->group.family, plan->ifindexes, error);
}

/* Step "choose": interface-index, the scope or the route complete them. */
static gboolean
plan_choose (MctxSubscription * self, const MctxPlanInput * in,
    MctxPlan * common, MctxSubPlan * plan, GError ** error)
{
  GPtrArray *table = common->table;
  GArray *ifx = plan->ifindexes;

  if (common->by_index != NULL) {
    MctxIfEntry *e = common->by_index;

    if (ifx->len > 0 && !mctx_index_array_has (ifx, e->index)) {
      mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_MISMATCH,
          "interface-index %u (%s) is not among interfaces '%s'",
          self->interface_index, e->name, self->interfaces[0]);
      return FALSE;
    }
    if (ifx->len == 0)
      g_array_append_val (ifx, e->index);
  }
  if (common->scoped != NULL) {
    if (ifx->len > 1 || (ifx->len == 1 &&
            !mctx_index_array_has (ifx, common->scoped->index))) {
      gchar *given = index_names (table, ifx);

      mctx_plan_error_scope_mismatch (in, common, self->interfaces ?
          "interfaces" : "interface-index", given, error);
      g_free (given);
      return FALSE;
    }
    if (ifx->len == 0)
      g_array_append_val (ifx, common->scoped->index);
  }
  if (ifx->len == 0) {
    guint oif;

    if (mctx_address_needs_interface (&common->group)) {
      mctx_plan_error_needs_interface (in, error);
      return FALSE;
    }
    oif = mctx_netlink_route_oif (&common->group, NULL);
    if (oif == 0 || mctx_if_table_by_index (table, oif) == NULL) {
      gchar *names = mctx_if_table_names (table);

      mctx_set_error (error, "interfaces", MCTX_ERROR_INTERFACE_NOT_FOUND,
          "no route for group '%s': set interfaces (have: %s)", self->group,
          names);
      g_free (names);
      return FALSE;
    }
    g_array_append_val (ifx, oif);
  }
  return TRUE;
}

/**
 * mctx_subscription_validate:
 * @self: a subscription
 * @error: return location for a #GError
 *
 * Checks the configuration against the host's interfaces without opening.
 *
 * Returns: %TRUE when the configuration can be opened
 */
MCTX_PLAN_DEFINE (MctxSubscription, mctx_subscription, MCTX_IS_SUBSCRIPTION,
    MctxSubPlan, "interfaces", plan_sources, plan_names, plan_choose,
    mctx_sub_plan_clear)
