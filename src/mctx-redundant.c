/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"
#include "mctx-object-private.h"

#include "mctx-socket.h"
#include <string.h>

/**
 * SECTION:mctx-redundant
 * @title: MctxRedundantSubscription
 * @short_description: receive one stream over two or more legs, merged
 *
 * Drives an #MctxMerger from two or more #MctxSubscription legs: waits on
 * all their sockets with one poll(), reads each readable leg in batches
 * into buffers of its own pool, pushes the datagrams into the merger and
 * returns the merged packets in order. For an event loop or element of
 * your own, use #MctxMerger directly with your own buffers.
 */

#define BATCH 32
#define DEFAULT_PACKET_SIZE 2048
/* buffers held by the merger, in flight and loaned out together */
#define POOL_MAX 40000

struct _MctxRedundantSubscription
{
  GObject parent;

  MctxSubscription *legs[MCTX_MERGER_MAX_LEGS];
  guint n_legs;
  MctxMerger *merger;
  guint packet_size;
  guint cur_size;               /* size of the buffers in the pool */

  GPtrArray *all;               /* every buffer we allocated */
  GPtrArray *free;              /* buffers nobody holds */
  GPtrArray *loaned;            /* handed out by the last receive */
  MctxMessage scratch[BATCH];
  GQueue pending;               /* GBytes for receive_bytes */
  GQueue pending_legs;
  MctxPollCache poll_cache;     /* the cancellable's fd between waits */
};

enum
{
  PROP_0,
  PROP_PACKET_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MctxRedundantSubscription, mctx_redundant_subscription,
    G_TYPE_OBJECT)

static gchar *
describe_leg (MctxSubscription * sub)
{
  gchar **ifs = NULL;
  gchar *joined, *text;

  g_object_get (sub, "interfaces", &ifs, NULL);
  joined = ifs ? g_strjoinv (",", ifs) : g_strdup ("");
  text = g_strdup_printf ("group '%s' port %u%s%s%s",
      mctx_subscription_get_group (sub) ? mctx_subscription_get_group (sub)
      : "(unset)", mctx_subscription_get_port (sub),
      *joined ? ", interfaces '" : "", joined, *joined ? "'" : "");
  g_free (joined);
  g_strfreev (ifs);
  return text;
}

static gboolean
same_strv (gchar ** a, gchar ** b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || !*a) && (b == NULL || !*b);
  return g_strv_equal ((const gchar * const *) a, (const gchar * const *) b);
}

/* Two legs that would receive the very same datagrams. */
static gboolean
same_leg (MctxSubscription * a, MctxSubscription * b,
    const MctxAddress * ga, const MctxAddress * gb)
{
  gchar **ia = NULL, **ib = NULL, **sa = NULL, **sb = NULL;
  guint xa = 0, xb = 0;
  gboolean same;

  if (!mctx_address_equal (ga, gb) ||
      mctx_subscription_get_port (a) != mctx_subscription_get_port (b))
    return FALSE;
  g_object_get (a, "interfaces", &ia, "interface-index", &xa, "sources", &sa,
      NULL);
  g_object_get (b, "interfaces", &ib, "interface-index", &xb, "sources", &sb,
      NULL);
  same = xa == xb && same_strv (ia, ib) && same_strv (sa, sb);
  g_strfreev (ia);
  g_strfreev (ib);
  g_strfreev (sa);
  g_strfreev (sb);
  return same;
}

/**
 * mctx_redundant_check_legs:
 * @legs: (array length=n_legs): the subscriptions, leg 0 first
 * @n_legs: how many, 2..%MCTX_MERGER_MAX_LEGS
 * @error: return location for a #GError
 *
 * Checks that the subscriptions can be merged: each has a valid group,
 * all groups are of one family, and no two legs are identical (same
 * group, port, interfaces and sources would receive the same datagrams
 * twice and protect nothing). Errors carry the setting "legs" (or
 * "n-legs").
 *
 * Returns: %FALSE with %MCTX_ERROR_INVALID_VALUE (count),
 *   %MCTX_ERROR_INVALID_ADDRESS / %MCTX_ERROR_NOT_MULTICAST (a group),
 *   %MCTX_ERROR_FAMILY_MISMATCH or %MCTX_ERROR_DUPLICATE
 *
 * Since: 0.2
 */
gboolean
mctx_redundant_check_legs (MctxSubscription ** legs, guint n_legs,
    GError ** error)
{
  MctxAddress groups[MCTX_MERGER_MAX_LEGS];
  guint i, j;

  if (!mctx_check_n_legs (n_legs, MCTX_MERGER_MAX_LEGS, error))
    return FALSE;
  g_return_val_if_fail (legs != NULL, FALSE);
  for (i = 0; i < n_legs; i++) {
    const gchar *group;

    g_return_val_if_fail (MCTX_IS_SUBSCRIPTION (legs[i]), FALSE);
    group = mctx_subscription_get_group (legs[i]);
    if (group == NULL) {
      mctx_set_error (error, "legs", MCTX_ERROR_INVALID_ADDRESS,
          "leg %u: group is not set: expected a multicast address", i);
      return FALSE;
    }
    if (!mctx_address_parse (group, "group", &groups[i], error)) {
      g_prefix_error (error, "leg %u: ", i);
      mctx_error_set_setting (error, "legs");
      return FALSE;
    }
    if (!mctx_address_is_multicast (&groups[i])) {
      mctx_set_error (error, "legs", MCTX_ERROR_NOT_MULTICAST,
          "leg %u: group '%s' is not a multicast address", i, group);
      return FALSE;
    }
    if (groups[i].family != groups[0].family) {
      mctx_set_error (error, "legs", MCTX_ERROR_FAMILY_MISMATCH,
          "leg %u group '%s' is %s but leg 0 group '%s' is %s: the legs of "
          "one merge must be of one family", i, group,
          groups[i].family == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4",
          mctx_subscription_get_group (legs[0]),
          groups[0].family == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4");
      return FALSE;
    }
    for (j = 0; j < i; j++) {
      if (legs[i] == legs[j] ||
          same_leg (legs[i], legs[j], &groups[i], &groups[j])) {
        gchar *what = describe_leg (legs[i]);

        mctx_set_error (error, "legs", MCTX_ERROR_DUPLICATE,
            "leg %u (%s) is %s leg %u: each leg needs its own group, port "
            "or interfaces", i, what,
            legs[i] == legs[j] ? "the same subscription as" :
            "identical to", j);
        g_free (what);
        return FALSE;
      }
    }
  }
  return TRUE;
}

/**
 * mctx_redundant_subscription_new:
 * @legs: (array length=n_legs): the subscriptions, leg 0 first (open or
 *   not; references are taken)
 * @n_legs: how many, 2..%MCTX_MERGER_MAX_LEGS
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a receiver, or %NULL with the error
 *   of mctx_redundant_check_legs()
 *
 * Since: 0.2
 */
MctxRedundantSubscription *
mctx_redundant_subscription_new (MctxSubscription ** legs, guint n_legs,
    GError ** error)
{
  MctxRedundantSubscription *self;
  guint i;

  if (!mctx_redundant_check_legs (legs, n_legs, error))
    return NULL;
  self = g_object_new (MCTX_TYPE_REDUNDANT_SUBSCRIPTION, NULL);
  self->n_legs = n_legs;
  for (i = 0; i < n_legs; i++)
    self->legs[i] = g_object_ref (legs[i]);
  self->merger = mctx_merger_new (n_legs, error);
  g_assert (self->merger != NULL);
  return self;
}

/**
 * mctx_redundant_subscription_get_merger:
 * @self: a receiver
 *
 * The merger, for its settings (#MctxMerger:max-path-delay,
 * #MctxMerger:leg-timeout), statistics and signals.
 *
 * Returns: (transfer none): the merger
 *
 * Since: 0.2
 */
MctxMerger *
mctx_redundant_subscription_get_merger (MctxRedundantSubscription * self)
{
  g_return_val_if_fail (MCTX_IS_REDUNDANT_SUBSCRIPTION (self), NULL);
  return self->merger;
}

/**
 * mctx_redundant_subscription_get_leg:
 * @self: a receiver
 * @leg: 0..n-1
 *
 * Returns: (transfer none) (nullable): the subscription of @leg
 *
 * Since: 0.2
 */
MctxSubscription *
mctx_redundant_subscription_get_leg (MctxRedundantSubscription * self,
    guint leg)
{
  g_return_val_if_fail (MCTX_IS_REDUNDANT_SUBSCRIPTION (self), NULL);
  return leg < self->n_legs ? self->legs[leg] : NULL;
}

static void
pool_clear (MctxRedundantSubscription * self)
{
  guint i;

  g_queue_clear_full (&self->pending, (GDestroyNotify) g_bytes_unref);
  g_queue_clear (&self->pending_legs);
  g_ptr_array_set_size (self->loaned, 0);
  g_ptr_array_set_size (self->free, 0);
  g_ptr_array_set_size (self->all, 0);
  for (i = 0; i < BATCH; i++)
    memset (&self->scratch[i], 0, sizeof self->scratch[i]);
}

/**
 * mctx_redundant_subscription_open:
 * @self: a receiver
 * @error: return location for a #GError
 *
 * Opens the legs that are not open yet. All or nothing: when one fails,
 * the ones opened here are closed again and the error names the leg.
 *
 * Returns: %TRUE when every leg is open
 *
 * Since: 0.2
 */
gboolean
mctx_redundant_subscription_open (MctxRedundantSubscription * self,
    GError ** error)
{
  gboolean opened[MCTX_MERGER_MAX_LEGS] = { FALSE };
  guint i;

  g_return_val_if_fail (MCTX_IS_REDUNDANT_SUBSCRIPTION (self), FALSE);
  for (i = 0; i < self->n_legs; i++) {
    if (mctx_subscription_is_open (self->legs[i]))
      continue;
    if (!mctx_subscription_open (self->legs[i], error)) {
      guint j;

      g_prefix_error (error, "leg %u: ", i);
      for (j = 0; j < i; j++)
        if (opened[j])
          mctx_subscription_close (self->legs[j]);
      return FALSE;
    }
    opened[i] = TRUE;
  }
  return TRUE;
}

/**
 * mctx_redundant_subscription_close:
 * @self: a receiver
 *
 * Closes every leg and forgets the packets held by the merger.
 *
 * Since: 0.2
 */
void
mctx_redundant_subscription_close (MctxRedundantSubscription * self)
{
  MctxMessage out[BATCH];
  guint i;

  g_return_if_fail (MCTX_IS_REDUNDANT_SUBSCRIPTION (self));
  for (i = 0; i < self->n_legs; i++)
    mctx_subscription_close (self->legs[i]);
  /* held messages point into our pool: take them back before freeing */
  while (mctx_merger_drain (self->merger, out, BATCH, NULL) == BATCH);
  pool_clear (self);
  mctx_poll_cache_clear (&self->poll_cache);
}

static guint8 *
pool_take (MctxRedundantSubscription * self)
{
  guint8 *buf;

  if (self->free->len > 0)
    return g_ptr_array_steal_index_fast (self->free, self->free->len - 1);
  if (self->all->len >= POOL_MAX)
    return NULL;
  /* only while the pool grows to what the merge holds at most */
  buf = g_malloc (self->cur_size);
  g_ptr_array_add (self->all, buf);
  return buf;
}

static void
give_back_loans (MctxRedundantSubscription * self)
{
  guint i;

  for (i = 0; i < self->loaned->len; i++)
    g_ptr_array_add (self->free, self->loaned->pdata[i]);
  g_ptr_array_set_size (self->loaned, 0);
}

/* Reads one leg until it would block (bounded); FALSE on a real error. */
static gboolean
read_leg (MctxRedundantSubscription * self, guint leg, GError ** error)
{
  guint round;

  for (round = 0; round < 16; round++) {
    GError *err = NULL;
    gint64 now_ns;
    gint n, i;

    for (i = 0; i < BATCH; i++) {
      if (self->scratch[i].buffer == NULL) {
        self->scratch[i].buffer = pool_take (self);
        if (self->scratch[i].buffer == NULL)
          return TRUE;          /* pool exhausted: the kernel keeps them */
      }
      self->scratch[i].buffer_size = self->cur_size;
    }
    n = mctx_subscription_receive_messages (self->legs[leg], self->scratch,
        BATCH, &err);
    if (n < 0) {
      if (g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
        g_error_free (err);
        return TRUE;
      }
      g_propagate_prefixed_error (error, err, "leg %u: ", leg);
      return FALSE;
    }
    now_ns = g_get_monotonic_time () * 1000;
    for (i = 0; i < n; i++)
      mctx_merger_push (self->merger, leg, &self->scratch[i], now_ns);
    if (n < BATCH && n > 0)
      return TRUE;
  }
  return TRUE;
}

/**
 * mctx_redundant_subscription_receive_messages: (skip)
 * @self: an open receiver
 * @out: (array length=n_out): where the merged packets go
 * @n_out: room in @out
 * @legs: (array length=n_out) (nullable): the leg of each packet, or %NULL
 * @timeout_us: how long to wait in microseconds, -1 for no limit
 * @cancellable: (nullable): cancels the wait from another thread
 * @error: return location for a #GError
 *
 * Waits for merged packets and returns those that are ready, in sequence
 * order. The buffers of @out belong to the receiver and stay valid until
 * the next receive or close; the info of each message is that of the
 * copy that was delivered.
 *
 * Returns: the number of packets (at least 1), or -1 with
 *   %G_IO_ERROR_TIMED_OUT, %G_IO_ERROR_CANCELLED or a receive error naming
 *   the leg
 *
 * Since: 0.2
 */
gint
mctx_redundant_subscription_receive_messages (MctxRedundantSubscription *
    self, MctxMessage * out, guint n_out, guint * legs, gint64 timeout_us,
    GCancellable * cancellable, GError ** error)
{
  MctxPollItem fds[2 * MCTX_MERGER_MAX_LEGS + 1];
  gint64 deadline_us = timeout_us >= 0 ?
      g_get_monotonic_time () + timeout_us : G_MAXINT64;
  gboolean polled;
  guint i;

  g_return_val_if_fail (MCTX_IS_REDUNDANT_SUBSCRIPTION (self), -1);
  g_return_val_if_fail (out != NULL && n_out > 0, -1);

  for (i = 0; i < self->n_legs; i++) {
    if (!mctx_subscription_is_open (self->legs[i])) {
      mctx_set_error (error, NULL, MCTX_ERROR_NOT_OPEN,
          "leg %u (subscription to '%s' port %u) is not open", i,
          mctx_subscription_get_group (self->legs[i]),
          mctx_subscription_get_port (self->legs[i]));
      return -1;
    }
  }
  if (self->cur_size != self->packet_size && self->all->len == 0)
    self->cur_size = self->packet_size;
  give_back_loans (self);

  for (polled = FALSE;; polled = TRUE) {
    gint64 now_us, wake_ns, wait_us;
    guint nfds = 0, n;
    int r;

    /* every leg on entry; after a poll only the readable ones, so an idle
     * leg costs no receive call (and no EAGAIN error) per wake-up */
    for (i = 0; i < self->n_legs; i++)
      if ((!polled || fds[2 * i].ready) && !read_leg (self, i, error))
        return -1;
    now_us = g_get_monotonic_time ();
    n = mctx_merger_pop (self->merger, now_us * 1000, out, n_out, legs);
    if (n > 0) {
      for (i = 0; i < n; i++)
        g_ptr_array_add (self->loaned, out[i].buffer);
      return n;
    }
    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      return -1;
    if (now_us >= deadline_us) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "timed out after %" G_GINT64_FORMAT " us", timeout_us);
      return -1;
    }

    wake_ns = mctx_merger_next_deadline (self->merger, now_us * 1000);
    wait_us = deadline_us - now_us;
    if (wake_ns != G_MAXINT64)
      wait_us = MIN (wait_us, (wake_ns - now_us * 1000 + 999) / 1000);
    for (i = 0; i < self->n_legs; i++) {
      fds[nfds].fd = mctx_subscription_get_fd (self->legs[i]);
      fds[nfds++].what = MCTX_WAIT_READABLE;
      fds[nfds].fd = mctx_subscription_get_monitor_fd (self->legs[i]);
      fds[nfds++].what = MCTX_WAIT_READABLE;
    }
    if (!mctx_poll_add_cancellable (fds, &nfds, cancellable,
            &self->poll_cache, error))
      return -1;
    r = mctx_sock_poll (fds, nfds, wait_us == G_MAXINT64 ? -1 :
        (int) MIN ((wait_us + 999) / 1000, G_MAXINT));
    if (r < 0) {
      mctx_set_errno_error (error, -r, "poll on %u legs", self->n_legs);
      return -1;
    }
    for (i = 0; i < self->n_legs; i++)
      if (fds[2 * i + 1].fd >= 0 && fds[2 * i + 1].ready)
        mctx_subscription_process_interface_events (self->legs[i]);
  }
}

/**
 * mctx_redundant_subscription_receive_bytes:
 * @self: an open receiver
 * @leg: (out) (optional): the leg the packet came from
 * @timeout_us: how long to wait in microseconds, -1 for no limit
 * @cancellable: (nullable): cancels the wait from another thread
 * @error: return location for a #GError
 *
 * One merged packet at a time, as #GBytes (a copy: for bindings and
 * simple programs).
 *
 * Returns: (transfer full) (nullable): the next packet, or %NULL with the
 *   errors of mctx_redundant_subscription_receive_messages()
 *
 * Since: 0.2
 */
GBytes *
mctx_redundant_subscription_receive_bytes (MctxRedundantSubscription * self,
    guint * leg, gint64 timeout_us, GCancellable * cancellable,
    GError ** error)
{
  g_return_val_if_fail (MCTX_IS_REDUNDANT_SUBSCRIPTION (self), NULL);

  if (g_queue_is_empty (&self->pending)) {
    MctxMessage out[BATCH];
    guint legs[BATCH];
    gint n, i;

    n = mctx_redundant_subscription_receive_messages (self, out, BATCH, legs,
        timeout_us, cancellable, error);
    if (n < 0)
      return NULL;
    for (i = 0; i < n; i++) {
      g_queue_push_tail (&self->pending,
          g_bytes_new (out[i].buffer, out[i].info.size));
      g_queue_push_tail (&self->pending_legs, GUINT_TO_POINTER (legs[i]));
    }
    give_back_loans (self);
  }
  if (leg)
    *leg = GPOINTER_TO_UINT (g_queue_peek_head (&self->pending_legs));
  g_queue_pop_head (&self->pending_legs);
  return g_queue_pop_head (&self->pending);
}

static void
mctx_redundant_subscription_finalize (GObject * object)
{
  MctxRedundantSubscription *self = MCTX_REDUNDANT_SUBSCRIPTION (object);
  guint i;

  if (self->merger) {
    MctxMessage out[BATCH];

    while (mctx_merger_drain (self->merger, out, BATCH, NULL) == BATCH);
    g_object_unref (self->merger);
  }
  pool_clear (self);
  mctx_poll_cache_clear (&self->poll_cache);
  g_ptr_array_unref (self->all);
  g_ptr_array_unref (self->free);
  g_ptr_array_unref (self->loaned);
  for (i = 0; i < self->n_legs; i++)
    g_object_unref (self->legs[i]);
  G_OBJECT_CLASS (mctx_redundant_subscription_parent_class)->finalize
      (object);
}

static void
mctx_redundant_subscription_class_init (MctxRedundantSubscriptionClass *
    klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->set_property = mctx_field_set_property;
  gobject_class->get_property = mctx_field_get_property;
  gobject_class->finalize = mctx_redundant_subscription_finalize;

  /**
   * MctxRedundantSubscription:packet-size:
   *
   * Size of each receive buffer in bytes; larger datagrams are truncated
   * and dropped as not RTP. Takes effect while no buffer is allocated
   * (before the first receive, or after close).
   *
   * Since: 0.2
   */
  properties[PROP_PACKET_SIZE] = mctx_param_field (G_STRUCT_OFFSET
      (MctxRedundantSubscription, packet_size),
      g_param_spec_uint ("packet-size", "Packet size",
          "Size of each receive buffer in bytes", 64, 65535,
          DEFAULT_PACKET_SIZE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (gobject_class, N_PROPS, properties);
}

static void
mctx_redundant_subscription_init (MctxRedundantSubscription * self)
{
  self->packet_size = DEFAULT_PACKET_SIZE;
  self->cur_size = DEFAULT_PACKET_SIZE;
  self->all = g_ptr_array_new_with_free_func (g_free);
  self->free = g_ptr_array_new ();
  self->loaned = g_ptr_array_new ();
  g_queue_init (&self->pending);
  g_queue_init (&self->pending_legs);
  self->poll_cache.fd = -1;
}
