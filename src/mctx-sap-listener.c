/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"
#include "mctx-sap-private.h"
#include "mctx-field-table-private.h"

#include <glib-unix.h>
#include <string.h>

/**
 * MctxSapListener:
 *
 * Collects the sessions announced with SAP (RFC 2974): one
 * #MctxSubscription per SAP group (`groups`) on port 9875, watched from
 * the thread-default #GMainContext of the thread that calls
 * mctx_sap_listener_start(); the signals are emitted there. The
 * subscriptions follow their interfaces (#MctxSubscription:follow-interfaces):
 * a SAP group is joined again when its interface comes back.
 *
 * A session is identified by the announcement's originating source and
 * its `o=` line without the version, so an update (new SDP, new hash)
 * replaces the old description ("session-updated"). A deletion packet
 * removes it; so does silence longer than the timeout: `timeout` seconds,
 * or with `timeout` 0 the RFC 2974 rule, the larger of ten times the
 * session's measured announcement interval and one hour.
 *
 * Since: 0.2
 */
struct _MctxSapListener
{
  GObject parent;

  gchar **groups;
  gchar **interfaces;
  guint port;
  guint timeout;

  GHashTable *sessions;         /* key -> MctxSapSession */
  GPtrArray *subs;              /* MctxSubscription */
  GPtrArray *sources;           /* GSource */
  guint8 *buffer;
};

#define BUFFER_SIZE 65536
#define RFC_MIN_TIMEOUT_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

enum
{
  PROP_0,
  PROP_GROUPS,
  PROP_INTERFACES,
  PROP_PORT,
  PROP_TIMEOUT,
  N_PROPS
};

enum
{
  SIGNAL_SESSION_ADDED,
  SIGNAL_SESSION_UPDATED,
  SIGNAL_SESSION_REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define FIELD(member) G_STRUCT_OFFSET (MctxSapListener, member)

static const gchar *const default_groups[] = {
  "224.2.127.254", "239.255.255.255", NULL
};

G_DEFINE_FINAL_TYPE (MctxSapListener, mctx_sap_listener, G_TYPE_OBJECT);

/**
 * mctx_sap_listener_new:
 *
 * Returns: (transfer full): a stopped listener on the default groups
 *
 * Since: 0.2
 */
MctxSapListener *
mctx_sap_listener_new (void)
{
  return g_object_new (MCTX_TYPE_SAP_LISTENER, NULL);
}

static MctxSapSession *
find_by_hash (MctxSapListener * self, const gchar * origin_source, guint16 hash)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    MctxSapSession *s = value;

    if (s->msg_id_hash == hash && strcmp (s->origin_source, origin_source) == 0)
      return s;
  }
  return NULL;
}

static void
remove_session (MctxSapListener * self, MctxSapSession * s)
{
  /* the table owns s: keep it alive for the handlers */
  g_hash_table_steal (self->sessions, s->key);
  g_signal_emit (self, signals[SIGNAL_SESSION_REMOVED], 0, s);
  mctx_sap_session_free (s);
}

/**
 * mctx_sap_listener_handle_packet:
 * @self: a listener
 * @data: (array length=size): a SAP datagram
 * @size: its length
 * @now_us: the monotonic time it arrived (g_get_monotonic_time())
 * @error: return location for a #GError
 *
 * Takes one SAP packet into the session table, emitting the signals. The
 * started listener calls it for every datagram; it is public so that
 * packets from elsewhere (a capture, a test) can be fed in.
 *
 * Returns: %FALSE (and nothing changes) when the packet does not decode,
 *   is encrypted or compressed, or carries another payload type than
 *   `application/sdp`
 *
 * Since: 0.2
 */
gboolean
mctx_sap_listener_handle_packet (MctxSapListener * self, const guint8 * data,
    gsize size, gint64 now_us, GError ** error)
{
  MctxSapPacket *p;
  MctxSapSession *s, *old;

  g_return_val_if_fail (MCTX_IS_SAP_LISTENER (self), FALSE);

  p = mctx_sap_packet_decode (data, size, error);
  if (p == NULL)
    return FALSE;
  if (p->encrypted || p->compressed) {
    mctx_set_error (error, "sap-packet", MCTX_ERROR_INVALID_VALUE,
        "SAP packet: %s payloads are not supported",
        p->encrypted ? "encrypted" : "compressed");
    mctx_sap_packet_free (p);
    return FALSE;
  }
  if (p->payload_type != NULL && g_ascii_strcasecmp (p->payload_type,
          "application/sdp") != 0) {
    mctx_set_error (error, "sap-packet", MCTX_ERROR_INVALID_VALUE,
        "SAP packet: payload type '%s' (only application/sdp is known)",
        p->payload_type);
    mctx_sap_packet_free (p);
    return FALSE;
  }

  s = mctx_sap_session_new_from_packet (p);
  old = g_hash_table_lookup (self->sessions, s->key);
  if (p->deletion) {
    /* a deletion carries the o= line; without one, the hash tells */
    if (s->origin == NULL)
      old = find_by_hash (self, s->origin_source, p->msg_id_hash);
    if (old != NULL)
      remove_session (self, old);
    mctx_sap_session_free (s);
  } else if (old == NULL) {
    s->first_seen_us = s->last_seen_us = now_us;
    s->announcements = 1;
    g_hash_table_insert (self->sessions, s->key, s);
    g_signal_emit (self, signals[SIGNAL_SESSION_ADDED], 0, s);
  } else {
    gboolean changed = old->msg_id_hash != s->msg_id_hash ||
        strcmp (old->sdp, s->sdp) != 0;

    s->first_seen_us = old->first_seen_us;
    s->last_seen_us = now_us;
    s->interval_us = now_us - old->last_seen_us;
    s->announcements = old->announcements + 1;
    /* replaces (and frees) old; the key string is s's own */
    g_hash_table_replace (self->sessions, s->key, s);
    if (changed)
      g_signal_emit (self, signals[SIGNAL_SESSION_UPDATED], 0, s);
  }
  mctx_sap_packet_free (p);
  return TRUE;
}

/**
 * mctx_sap_listener_expire:
 * @self: a listener
 * @now_us: the monotonic time to judge by
 *
 * Removes the sessions not heard for longer than the timeout (see
 * #MctxSapListener), emitting "session-removed". The started listener
 * calls it every second.
 *
 * Returns: the number of sessions removed
 *
 * Since: 0.2
 */
guint
mctx_sap_listener_expire (MctxSapListener * self, gint64 now_us)
{
  GHashTableIter iter;
  gpointer value;
  GPtrArray *gone;
  guint i, n;

  g_return_val_if_fail (MCTX_IS_SAP_LISTENER (self), 0);

  gone = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, self->sessions);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    MctxSapSession *s = value;
    gint64 limit;

    if (self->timeout > 0)
      limit = (gint64) self->timeout * G_USEC_PER_SEC;
    else
      limit = MAX (10 * s->interval_us, RFC_MIN_TIMEOUT_US);
    if (now_us - s->last_seen_us > limit)
      g_ptr_array_add (gone, s);
  }
  for (i = 0; i < gone->len; i++)
    remove_session (self, g_ptr_array_index (gone, i));
  n = gone->len;
  g_ptr_array_free (gone, TRUE);
  return n;
}

/**
 * mctx_sap_listener_get_sessions:
 * @self: a listener
 *
 * Returns: (transfer container) (element-type MctxSapSession): copies of
 *   the sessions known now, ordered by key; the array frees them with
 *   itself (g_ptr_array_unref())
 *
 * Since: 0.2
 */
GPtrArray *
mctx_sap_listener_get_sessions (MctxSapListener * self)
{
  GPtrArray *out;
  GList *keys, *l;

  g_return_val_if_fail (MCTX_IS_SAP_LISTENER (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mctx_sap_session_free);
  keys = g_list_sort (g_hash_table_get_keys (self->sessions),
      (GCompareFunc) strcmp);
  for (l = keys; l != NULL; l = l->next)
    g_ptr_array_add (out, mctx_sap_session_copy (g_hash_table_lookup
            (self->sessions, l->data)));
  g_list_free (keys);
  return out;
}

/**
 * mctx_sap_listener_to_json:
 * @self: a listener
 *
 * Returns: (transfer full): the known sessions as a JSON array of
 *   mctx_sap_session_to_json() objects, on one line
 *
 * Since: 0.2
 */
gchar *
mctx_sap_listener_to_json (MctxSapListener * self)
{
  GPtrArray *sessions = mctx_sap_listener_get_sessions (self);
  GString *out = g_string_new ("[");
  guint i;

  for (i = 0; i < sessions->len; i++) {
    if (i > 0)
      g_string_append_c (out, ',');
    mctx_sap_session_append_json (g_ptr_array_index (sessions, i), out);
  }
  g_string_append_c (out, ']');
  g_ptr_array_unref (sessions);
  return g_string_free (out, FALSE);
}

static gboolean
on_readable (gint fd, GIOCondition condition, gpointer user_data)
{
  MctxSubscription *sub = user_data;
  MctxSapListener *self = g_object_get_data (G_OBJECT (sub), "mctx-sap");
  guint n;

  /* bounded: at most 64 datagrams per wake-up, the rest at the next */
  for (n = 0; n < 64; n++) {
    GError *error = NULL;
    gssize len = mctx_subscription_receive (sub, self->buffer, BUFFER_SIZE,
        NULL, &error);

    if (len < 0) {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_debug ("SAP receive: %s", error->message);
      g_clear_error (&error);
      break;
    }
    if (!mctx_sap_listener_handle_packet (self, self->buffer, len,
            g_get_monotonic_time (), &error)) {
      g_debug ("ignored: %s", error->message);
      g_clear_error (&error);
    }
  }
  return G_SOURCE_CONTINUE;
}

/* a SAP group's interface went away or came back: rejoin */
static gboolean
on_interface_event (gint fd, GIOCondition condition, gpointer user_data)
{
  mctx_subscription_process_interface_events (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (gpointer user_data)
{
  mctx_sap_listener_expire (user_data, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

/**
 * mctx_sap_listener_start:
 * @self: a stopped listener
 * @error: return location for a #GError
 *
 * Forgets the sessions known so far, opens a subscription per SAP group
 * and watches them (and the timeouts) from the thread-default main
 * context. A group that does not open fails the start (the error names
 * the group); nothing stays open then.
 *
 * Returns: %TRUE when listening
 *
 * Since: 0.2
 */
gboolean
mctx_sap_listener_start (MctxSapListener * self, GError ** error)
{
  const gchar *const *groups;
  GMainContext *ctx = g_main_context_get_thread_default ();
  GSource *tick;
  guint i;

  g_return_val_if_fail (MCTX_IS_SAP_LISTENER (self), FALSE);

  if (self->subs != NULL) {
    mctx_set_error (error, NULL, MCTX_ERROR_ALREADY_OPEN,
        "the SAP listener is already running");
    return FALSE;
  }
  groups = self->groups ? (const gchar * const *) self->groups : default_groups;
  if (groups[0] == NULL) {
    mctx_set_error (error, "groups", MCTX_ERROR_INVALID_VALUE,
        "groups: empty list");
    return FALSE;
  }

  g_hash_table_remove_all (self->sessions);
  self->subs = g_ptr_array_new_with_free_func (g_object_unref);
  self->sources = g_ptr_array_new ();
  for (i = 0; groups[i] != NULL; i++) {
    MctxSubscription *sub = g_object_new (MCTX_TYPE_SUBSCRIPTION,
        "group", groups[i], "port", self->port, "interfaces",
        self->interfaces, NULL);
    GSource *src;

    g_ptr_array_add (self->subs, sub);
    if (!mctx_subscription_open (sub, error)) {
      g_prefix_error (error, "SAP group %s: ", groups[i]);
      mctx_sap_listener_stop (self);
      return FALSE;
    }
    g_object_set_data (G_OBJECT (sub), "mctx-sap", self);
    src = g_unix_fd_source_new (mctx_subscription_get_fd (sub), G_IO_IN);
    g_source_set_callback (src, (GSourceFunc) (GCallback) on_readable, sub,
        NULL);
    g_source_attach (src, ctx);
    g_ptr_array_add (self->sources, src);
    if (mctx_subscription_get_monitor_fd (sub) >= 0) {
      src = g_unix_fd_source_new (mctx_subscription_get_monitor_fd (sub),
          G_IO_IN);
      g_source_set_callback (src, (GSourceFunc) (GCallback)
          on_interface_event, sub, NULL);
      g_source_attach (src, ctx);
      g_ptr_array_add (self->sources, src);
    }
  }
  tick = g_timeout_source_new_seconds (1);
  g_source_set_callback (tick, on_tick, self, NULL);
  g_source_attach (tick, ctx);
  g_ptr_array_add (self->sources, tick);
  return TRUE;
}

/**
 * mctx_sap_listener_stop:
 * @self: a listener
 *
 * Closes the subscriptions. The sessions known stay readable until the
 * next start. Does nothing when stopped.
 *
 * Since: 0.2
 */
void
mctx_sap_listener_stop (MctxSapListener * self)
{
  guint i;

  g_return_if_fail (MCTX_IS_SAP_LISTENER (self));
  if (self->sources != NULL) {
    for (i = 0; i < self->sources->len; i++) {
      GSource *src = g_ptr_array_index (self->sources, i);

      g_source_destroy (src);
      g_source_unref (src);
    }
    g_clear_pointer (&self->sources, g_ptr_array_unref);
  }
  g_clear_pointer (&self->subs, g_ptr_array_unref);
}

static void
mctx_sap_listener_finalize (GObject * object)
{
  MctxSapListener *self = MCTX_SAP_LISTENER (object);

  mctx_sap_listener_stop (self);
  g_hash_table_unref (self->sessions);
  mctx_fields_free (object, properties, N_PROPS);
  g_free (self->buffer);
  G_OBJECT_CLASS (mctx_sap_listener_parent_class)->finalize (object);
}

static const MctxFieldRow listener_rows[] = {
  /**
   * MctxSapListener:groups:
   *
   * The SAP groups to listen on; unset: 224.2.127.254 (IPv4 global) and
   * 239.255.255.255 (IPv4 local scope). Read at start.
   *
   * Since: 0.2
   */
  {PROP_GROUPS, FIELD (groups), MCTX_FIELD_STRV, "groups", "Groups",
      "SAP groups (NULL: 224.2.127.254 and 239.255.255.255)"},
  /**
   * MctxSapListener:interfaces:
   *
   * Interfaces to join on, as #MctxSubscription:interfaces. Read at start.
   *
   * Since: 0.2
   */
  {PROP_INTERFACES, FIELD (interfaces), MCTX_FIELD_STRV, "interfaces",
      "Interfaces", "Interfaces to join on (names or addresses, or \"all\")"},
  /**
   * MctxSapListener:port:
   *
   * The SAP port, 9875 (another only for tests). Read at start.
   *
   * Since: 0.2
   */
  {PROP_PORT, FIELD (port), MCTX_FIELD_UINT, "port", "Port", "SAP UDP port",
      1, 65535, MCTX_SAP_PORT},
  /**
   * MctxSapListener:timeout:
   *
   * Seconds of silence after which a session is dropped; 0: the RFC 2974
   * rule (the larger of ten measured intervals and one hour).
   *
   * Since: 0.2
   */
  {PROP_TIMEOUT, FIELD (timeout), MCTX_FIELD_UINT, "timeout", "Timeout",
      "Seconds without an announcement before a session is dropped (0: "
      "RFC 2974, max of 10 intervals and 1 hour)", 0, G_MAXUINT, 0},
};

static void
mctx_sap_listener_class_init (MctxSapListenerClass * klass)
{
  /* every property is a field read at start */
  mctx_field_class_init (G_OBJECT_CLASS (klass), mctx_sap_listener_finalize,
      NULL, NULL, properties, N_PROPS, listener_rows,
      G_N_ELEMENTS (listener_rows));

  /**
   * MctxSapListener::session-added:
   * @listener: the listener
   * @session: the new session
   *
   * A session was announced for the first time.
   *
   * Since: 0.2
   */
  signals[SIGNAL_SESSION_ADDED] = g_signal_new ("session-added",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, MCTX_TYPE_SAP_SESSION | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * MctxSapListener::session-updated:
   * @listener: the listener
   * @session: the session with its new SDP
   *
   * A known session was announced with another SDP.
   *
   * Since: 0.2
   */
  signals[SIGNAL_SESSION_UPDATED] = g_signal_new ("session-updated",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, MCTX_TYPE_SAP_SESSION | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * MctxSapListener::session-removed:
   * @listener: the listener
   * @session: the session, as last known
   *
   * A session was deleted by its announcer or timed out.
   *
   * Since: 0.2
   */
  signals[SIGNAL_SESSION_REMOVED] = g_signal_new ("session-removed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, MCTX_TYPE_SAP_SESSION | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
mctx_sap_listener_init (MctxSapListener * self)
{
  self->port = MCTX_SAP_PORT;
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
      (GDestroyNotify) mctx_sap_session_free);
  self->buffer = g_malloc (BUFFER_SIZE);
}
