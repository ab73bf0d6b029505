/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A publication's settings planned: the group, the source and the
 * outgoing interface, checked against each other and the host. The
 * checks a subscription shares are in mctx-plan.c. */
#include "mctx-publication-private.h"

#include <string.h>

/* The setting that chose the interface, for errors about it. */
const gchar *
mctx_publication_interface_setting (MctxPublication * self)
{
  return self->interface != NULL && *self->interface != '\0' ?
      "interface" : "interface-index";
}

static gboolean
plan_source (MctxPublication * self, const MctxPlanInput * in,
    MctxPlan * common, MctxPubPlan * plan, MctxIfEntry ** chosen,
    GError ** error)
{
  MctxIfEntry *first = NULL;
  guint n = mctx_if_table_find_address (common->table, &plan->source, &first);

  if (n == 0 && !mctx_sock_address_is_local (&plan->source)) {
    gchar *have = mctx_if_table_addresses_text (common->table,
        plan->source.family);

    mctx_set_error (error, "source", MCTX_ERROR_INVALID_SOURCE,
        "source '%s' is not an address of this host (have: %s)",
        self->source, have);
    g_free (have);
    return FALSE;
  }
  if (*chosen == NULL && n == 1) {
    *chosen = first;
  } else if (*chosen != NULL && plan->group.family == G_SOCKET_FAMILY_IPV6) {
    MctxAddress on_chosen = plan->source;

    on_chosen.scope_id = (*chosen)->index;
    if (mctx_if_table_find_address (common->table, &on_chosen, NULL) == 0) {
      mctx_set_error (error, mctx_publication_interface_setting (self),
          MCTX_ERROR_INTERFACE_MISMATCH,
          "source '%s' is not an address of interface %s", self->source,
          (*chosen)->name);
      return FALSE;
    }
  }
  if (mctx_address_is_link_local (&plan->source) &&
      plan->source.family == G_SOCKET_FAMILY_IPV6 &&
      plan->source.scope_id == 0) {
    if (*chosen == NULL) {
      mctx_set_error (error, "source", MCTX_ERROR_AMBIGUOUS_INTERFACE,
          "link-local source '%s' is on several interfaces: add %%scope "
          "or name the interface", self->source);
      return FALSE;
    }
    plan->source.scope_id = (*chosen)->index;
  }
  return TRUE;
}

/* Step "settings": source-port and source. */
static gboolean
plan_settings (MctxPublication * self, const MctxPlanInput * in,
    MctxPlan * common, MctxPubPlan * plan, GError ** error)
{
  plan->group = common->group;
  if (!mctx_check_port (self->source_port, "source-port", TRUE, error))
    return FALSE;
  if (self->source != NULL && *self->source != '\0') {
    if (!mctx_parse_source (self->source, "source", &plan->source, error) ||
        !mctx_plan_check_family (in, common, "source", self->source,
            &plan->source, error))
      return FALSE;
    plan->has_source = TRUE;
  }
  return TRUE;
}

/* Step "names": the interface setting, a name or an address. */
static gboolean
plan_names (MctxPublication * self, const MctxPlanInput * in,
    MctxPlan * common, MctxPubPlan * plan, GError ** error)
{
  MctxIfEntry *by_name;

  if (self->interface != NULL && *self->interface != '\0') {
    MctxAddress ia;

    by_name = mctx_if_table_resolve (common->table, self->interface,
        plan->group.family, "interface", error);
    if (by_name == NULL)
      return FALSE;
    if (plan->group.family == G_SOCKET_FAMILY_IPV4 &&
        mctx_if_table_by_name (common->table, self->interface) == NULL &&
        mctx_address_parse (self->interface, NULL, &ia, NULL)) {
      plan->has_ifaddr = TRUE;
      plan->ifaddr = ia;
    }
    common->named = by_name;
  }
  return TRUE;
}

/* Step "choose": the interface named, by index, by scope or by source. */
static gboolean
plan_choose (MctxPublication * self, const MctxPlanInput * in,
    MctxPlan * common, MctxPubPlan * plan, GError ** error)
{
  MctxIfEntry *by_name = common->named, *chosen;

  if (by_name && common->by_index && by_name != common->by_index) {
    mctx_set_error (error, "interface-index", MCTX_ERROR_INTERFACE_MISMATCH,
        "interface '%s' (%s, index %u) and interface-index %u (%s) name "
        "different interfaces", self->interface, by_name->name,
        by_name->index, common->by_index->index, common->by_index->name);
    return FALSE;
  }
  chosen = by_name ? by_name : common->by_index;
  if (common->scoped != NULL) {
    if (chosen && chosen != common->scoped) {
      mctx_plan_error_scope_mismatch (in, common,
          mctx_publication_interface_setting (self),
          chosen->name, error);
      return FALSE;
    }
    chosen = common->scoped;
  }
  if (plan->has_source &&
      !plan_source (self, in, common, plan, &chosen, error))
    return FALSE;
  if (chosen == NULL && mctx_address_needs_interface (&plan->group)) {
    mctx_plan_error_needs_interface (in, error);
    return FALSE;
  }
  plan->ifindex = chosen ? chosen->index : 0;
  return TRUE;
}

/**
 * mctx_publication_validate:
 * @self: a publication
 * @error: return location for a #GError
 *
 * Checks the configuration against the host's interfaces without opening
 * anything. mctx_publication_open() does the same checks.
 *
 * Returns: %TRUE when the configuration can be opened
 */
MCTX_PLAN_DEFINE (MctxPublication, mctx_publication, MCTX_IS_PUBLICATION,
    MctxPubPlan, "interface", plan_settings, plan_names, plan_choose,
    MCTX_PLAN_NOTHING_TO_CLEAR)
