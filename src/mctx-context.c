/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"

/**
 * SECTION:mctx-context
 * @title: MctxContext
 * @short_description: a set of publications and subscriptions
 *
 * A context holds publications and subscriptions, refuses a second
 * publication with the same configuration, and sends one datagram to all
 * its publications.
 */

/* The context's two lists, which it keeps alike: added with a reference,
 * removed, listed in the order added. */
enum
{
  PUBLICATIONS,
  SUBSCRIPTIONS,
  N_LISTS
};

struct _MctxContext
{
  GObject parent;
  GPtrArray *members[N_LISTS];
};

G_DEFINE_TYPE (MctxContext, mctx_context, G_TYPE_OBJECT)

static void
mctx_context_finalize (GObject * object)
{
  MctxContext *self = MCTX_CONTEXT (object);
  guint k;

  for (k = 0; k < N_LISTS; k++)
    g_ptr_array_unref (self->members[k]);
  G_OBJECT_CLASS (mctx_context_parent_class)->finalize (object);
}

static void
mctx_context_class_init (MctxContextClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = mctx_context_finalize;
}

static void
mctx_context_init (MctxContext * self)
{
  guint k;

  for (k = 0; k < N_LISTS; k++)
    self->members[k] = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
remove_member (MctxContext * self, guint list, gpointer member)
{
  g_return_val_if_fail (MCTX_IS_CONTEXT (self), FALSE);
  return g_ptr_array_remove (self->members[list], member);
}

static GList *
list_members (MctxContext * self, guint list)
{
  GList *l = NULL;
  guint i;

  g_return_val_if_fail (MCTX_IS_CONTEXT (self), NULL);
  for (i = self->members[list]->len; i > 0; i--)
    l = g_list_prepend (l, g_ptr_array_index (self->members[list], i - 1));
  return l;
}

/**
 * mctx_context_new:
 *
 * Returns: (transfer full): a new, empty context
 */
MctxContext *
mctx_context_new (void)
{
  return g_object_new (MCTX_TYPE_CONTEXT, NULL);
}

/**
 * mctx_context_add:
 * @self: a context
 * @publication: a publication, open or not
 * @error: return location for a #GError
 *
 * Adds a publication. One with the same group, port, source, source port,
 * interface and interface index is refused with %MCTX_ERROR_DUPLICATE.
 *
 * Returns: %TRUE when added
 */
gboolean
mctx_context_add (MctxContext * self, MctxPublication * publication,
    GError ** error)
{
  guint i;

  g_return_val_if_fail (MCTX_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (MCTX_IS_PUBLICATION (publication), FALSE);
  for (i = 0; i < self->members[PUBLICATIONS]->len; i++) {
    MctxPublication *p = g_ptr_array_index (self->members[PUBLICATIONS], i);

    if (p == publication || mctx_publication_same_config (p, publication)) {
      const gchar *src = mctx_publication_get_source (publication);

      mctx_set_error (error, NULL, MCTX_ERROR_DUPLICATE,
          "a publication to group '%s' port %u%s%s with this configuration "
          "is already in the context",
          mctx_publication_get_group (publication),
          mctx_publication_get_port (publication), src ? " from " : "",
          src ? src : "");
      return FALSE;
    }
  }
  g_ptr_array_add (self->members[PUBLICATIONS], g_object_ref (publication));
  return TRUE;
}

/**
 * mctx_context_add_publication:
 * @self: a context
 * @group: the multicast group
 * @port: the destination port
 * @source: (nullable): the local address to send from
 * @interface: (nullable): the outgoing interface (name or address)
 * @error: return location for a #GError
 *
 * Creates, opens and adds a publication in one step.
 *
 * Returns: (transfer none) (nullable): the open publication, owned by the
 *   context, or %NULL on error
 */
MctxPublication *
mctx_context_add_publication (MctxContext * self, const gchar * group,
    guint port, const gchar * source, const gchar * interface,
    GError ** error)
{
  MctxPublication *pub;

  g_return_val_if_fail (MCTX_IS_CONTEXT (self), NULL);
  pub = mctx_publication_new (group, port);
  g_object_set (pub, "source", source, "interface", interface, NULL);
  if (!mctx_context_add (self, pub, error) ||
      !mctx_publication_open (pub, error)) {
    g_ptr_array_remove (self->members[PUBLICATIONS], pub);
    g_object_unref (pub);
    return NULL;
  }
  g_object_unref (pub);
  return pub;
}

/**
 * mctx_context_remove:
 * @self: a context
 * @publication: a publication in the context
 *
 * Returns: %TRUE when it was there
 */
gboolean
mctx_context_remove (MctxContext * self, MctxPublication * publication)
{
  return remove_member (self, PUBLICATIONS, publication);
}

/**
 * mctx_context_get_publications:
 * @self: a context
 *
 * Returns: (transfer container) (element-type MctxPublication): the
 *   publications, in the order added
 */
GList *
mctx_context_get_publications (MctxContext * self)
{
  return list_members (self, PUBLICATIONS);
}

/**
 * mctx_context_add_subscription:
 * @self: a context
 * @subscription: a subscription
 * @error: return location for a #GError
 *
 * Adds a subscription. Several subscriptions to one group and port are
 * fine (each gets every datagram); the same object twice is refused.
 *
 * Returns: %TRUE when added
 */
gboolean
mctx_context_add_subscription (MctxContext * self,
    MctxSubscription * subscription, GError ** error)
{
  g_return_val_if_fail (MCTX_IS_CONTEXT (self), FALSE);
  g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (subscription), FALSE);
  if (g_ptr_array_find (self->members[SUBSCRIPTIONS], subscription, NULL)) {
    mctx_set_error (error, NULL, MCTX_ERROR_DUPLICATE,
        "this subscription to group '%s' port %u is already in the context",
        mctx_subscription_get_group (subscription),
        mctx_subscription_get_port (subscription));
    return FALSE;
  }
  g_ptr_array_add (self->members[SUBSCRIPTIONS], g_object_ref (subscription));
  return TRUE;
}

/**
 * mctx_context_remove_subscription:
 * @self: a context
 * @subscription: a subscription in the context
 *
 * Returns: %TRUE when it was there
 */
gboolean
mctx_context_remove_subscription (MctxContext * self,
    MctxSubscription * subscription)
{
  return remove_member (self, SUBSCRIPTIONS, subscription);
}

/**
 * mctx_context_get_subscriptions:
 * @self: a context
 *
 * Returns: (transfer container) (element-type MctxSubscription): the
 *   subscriptions
 */
GList *
mctx_context_get_subscriptions (MctxContext * self)
{
  return list_members (self, SUBSCRIPTIONS);
}

/**
 * mctx_context_send_all:
 * @self: a context
 * @data: (array length=size): the datagram
 * @size: its size
 * @error: return location for the first #GError
 *
 * Sends one datagram on every open publication, without blocking. A
 * publication that fails does not stop the others; the first error is
 * returned.
 *
 * Returns: how many publications sent it
 */
guint
mctx_context_send_all (MctxContext * self, const guint8 * data, gsize size,
    GError ** error)
{
  guint i, sent = 0;

  g_return_val_if_fail (MCTX_IS_CONTEXT (self), 0);
  for (i = 0; i < self->members[PUBLICATIONS]->len; i++) {
    MctxPublication *p = g_ptr_array_index (self->members[PUBLICATIONS], i);
    GError *err = NULL;

    if (!mctx_publication_is_open (p))
      continue;
    if (mctx_publication_send (p, data, size, &err) >= 0)
      sent++;
    else if (error != NULL && *error == NULL)
      g_propagate_error (error, err);
    else
      g_clear_error (&err);
  }
  return sent;
}
