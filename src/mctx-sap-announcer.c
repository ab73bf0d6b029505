/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"
#include "mctx-sap-private.h"
#include "mctx-field-table-private.h"
#include "mctx-sdp-line-private.h"

#include <string.h>

/**
 * MctxSapAnnouncer:
 *
 * Announces one SDP with SAP (RFC 2974): at start, then every `interval`
 * seconds (randomised by up to a third either way, as RFC 2974 asks, so
 * that announcers do not synchronise), from its own thread, through an
 * #MctxPublication to the SAP group of the stream (or `group`) on port
 * 9875. mctx_sap_announcer_update() replaces the SDP (a new message
 * identifier hash) and announces it at once; mctx_sap_announcer_stop()
 * sends a session deletion packet.
 *
 * Since: 0.2
 */
struct _MctxSapAnnouncer
{
  GObject parent;

  /* configuration (GObject properties) */
  gchar *sdp;
  gchar *group;
  guint port;
  gchar *interface;
  gchar *source;
  gint ttl;
  gboolean loop;
  guint interval;

  /* running state; lock protects sdp, hash, wake, quit while running */
  GMutex lock;
  GCond cond;
  GThread *thread;
  MctxPublication *pub;
  MctxAddress origin;
  guint16 hash;
  gboolean wake;
  gboolean quit;
  gint sent;                    /* atomic */
};

enum
{
  PROP_0,
  PROP_SDP,
  PROP_GROUP,
  PROP_PORT,
  PROP_INTERFACE,
  PROP_SOURCE,
  PROP_TTL,
  PROP_LOOP,
  PROP_INTERVAL,
  PROP_MSG_ID_HASH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define FIELD(member) G_STRUCT_OFFSET (MctxSapAnnouncer, member)

G_DEFINE_FINAL_TYPE (MctxSapAnnouncer, mctx_sap_announcer, G_TYPE_OBJECT);

/**
 * mctx_sap_announcer_new:
 * @sdp: (nullable): the SDP to announce
 *
 * Returns: (transfer full): a stopped announcer
 *
 * Since: 0.2
 */
MctxSapAnnouncer *
mctx_sap_announcer_new (const gchar * sdp)
{
  return g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", sdp, NULL);
}

static gboolean
send_packet (MctxSapAnnouncer * self, const gchar * sdp, guint16 hash,
    gboolean deletion, GError ** error)
{
  GBytes *packet;
  gssize sent;

  packet = mctx_sap_packet_encode (&self->origin, hash, deletion, sdp, error);
  if (packet == NULL)
    return FALSE;
  sent = mctx_publication_send (self->pub, g_bytes_get_data (packet, NULL),
      g_bytes_get_size (packet), error);
  g_bytes_unref (packet);
  if (sent < 0)
    return FALSE;
  g_atomic_int_inc (&self->sent);
  return TRUE;
}

static gint64
next_delay_us (MctxSapAnnouncer * self)
{
  /* RFC 2974 section 3.1: offset the interval by a random amount of up to
   * +/- 1/3 of it */
  gdouble factor = 2.0 / 3.0 + g_random_double () * 2.0 / 3.0;

  return (gint64) (self->interval * factor * G_USEC_PER_SEC);
}

static gpointer
announce_thread (gpointer data)
{
  MctxSapAnnouncer *self = data;
  gint64 deadline;

  g_mutex_lock (&self->lock);
  deadline = g_get_monotonic_time () + next_delay_us (self);
  while (!self->quit) {
    if (!self->wake && g_get_monotonic_time () < deadline) {
      g_cond_wait_until (&self->cond, &self->lock, deadline);
      continue;
    }
    {
      gchar *sdp = g_strdup (self->sdp);
      guint16 hash = self->hash;
      GError *error = NULL;

      self->wake = FALSE;
      g_mutex_unlock (&self->lock);
      /* a failed repeat (interface down, buffer full) is not fatal: the
       * next one may pass */
      if (!send_packet (self, sdp, hash, FALSE, &error)) {
        g_debug ("SAP announcement failed: %s", error->message);
        g_clear_error (&error);
      }
      g_free (sdp);
      g_mutex_lock (&self->lock);
    }
    deadline = g_get_monotonic_time () + next_delay_us (self);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/**
 * mctx_sap_announcer_start:
 * @self: a stopped announcer
 * @error: return location for a #GError
 *
 * Opens the publication to the SAP group, sends the first announcement
 * and starts the thread that repeats it. Fails when `sdp` is unset, the
 * SAP group cannot be chosen (no `c=` multicast address in the SDP and no
 * `group`), the publication does not open (the error names its setting:
 * "interface", "source", ...) or the first send fails.
 *
 * Returns: %TRUE when running
 *
 * Since: 0.2
 */
gboolean
mctx_sap_announcer_start (MctxSapAnnouncer * self, GError ** error)
{
  gchar *group;
  GInetSocketAddress *local;

  g_return_val_if_fail (MCTX_IS_SAP_ANNOUNCER (self), FALSE);

  if (self->thread != NULL) {
    mctx_set_error (error, NULL, MCTX_ERROR_ALREADY_OPEN,
        "the SAP announcer is already running");
    return FALSE;
  }
  if (self->sdp == NULL || *self->sdp == '\0') {
    mctx_set_error (error, "sdp", MCTX_ERROR_INVALID_VALUE,
        "sdp: nothing to announce (unset or empty)");
    return FALSE;
  }
  if (self->group != NULL && *self->group != '\0') {
    group = g_strdup (self->group);
  } else {
    gchar *conn = mctx_sdp_connection_address (self->sdp);

    if (conn == NULL) {
      mctx_set_error (error, "sdp", MCTX_ERROR_INVALID_VALUE,
          "sdp: no c= line to choose the SAP group from (set group)");
      return FALSE;
    }
    group = mctx_sap_address_for_group (conn, error);
    if (group == NULL) {
      g_prefix_error (error, "sdp: c= line: ");
      mctx_error_set_setting (error, "sdp");
      g_free (conn);
      return FALSE;
    }
    g_free (conn);
  }

  self->pub = g_object_new (MCTX_TYPE_PUBLICATION, "group", group,
      "port", self->port, "interface", self->interface, "source",
      self->source, "ttl", self->ttl, "loop", self->loop, NULL);
  g_free (group);
  if (!mctx_publication_open (self->pub, error))
    goto fail;

  local = mctx_publication_get_local_address (self->pub);
  mctx_address_from_inet_address (g_inet_socket_address_get_address (local),
      &self->origin);
  self->hash = mctx_sap_message_id_hash (self->sdp);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MSG_ID_HASH]);
  if (!send_packet (self, self->sdp, self->hash, FALSE, error))
    goto fail;

  self->quit = FALSE;
  self->wake = FALSE;
  self->thread = g_thread_new ("mctx-sap", announce_thread, self);
  return TRUE;

fail:
  g_clear_object (&self->pub);
  return FALSE;
}

/**
 * mctx_sap_announcer_update:
 * @self: an announcer
 * @sdp: the new SDP (bump its `o=` session version)
 * @error: return location for a #GError
 *
 * Replaces the announced SDP. While running, the new SDP (with its new
 * message identifier hash) is announced at once and then at the interval;
 * receivers replace the old description by the session's `o=` identity.
 * The caller bumps the SDP's session version.
 *
 * Returns: %FALSE when @sdp is empty
 *
 * Since: 0.2
 */
gboolean
mctx_sap_announcer_update (MctxSapAnnouncer * self, const gchar * sdp,
    GError ** error)
{
  g_return_val_if_fail (MCTX_IS_SAP_ANNOUNCER (self), FALSE);

  if (sdp == NULL || *sdp == '\0') {
    mctx_set_error (error, "sdp", MCTX_ERROR_INVALID_VALUE,
        "sdp: nothing to announce (empty)");
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  g_free (self->sdp);
  self->sdp = g_strdup (sdp);
  if (self->thread != NULL) {
    self->hash = mctx_sap_message_id_hash (sdp);
    self->wake = TRUE;
    g_cond_signal (&self->cond);
  }
  g_mutex_unlock (&self->lock);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SDP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MSG_ID_HASH]);
  return TRUE;
}

/* The o= line of the SDP, with its line end, for the deletion packet. */
static gchar *
origin_line (const gchar * sdp)
{
  gchar *origin = mctx_sdp_line (sdp, "o=");
  gchar *line = origin ? g_strdup_printf ("o=%s\r\n", origin) : NULL;

  g_free (origin);
  return line;
}

/**
 * mctx_sap_announcer_stop:
 * @self: an announcer
 *
 * Stops the repeats and sends a session deletion packet (the T bit, the
 * last message identifier hash, the SDP's `o=` line as payload), then
 * closes the publication. Does nothing when stopped.
 *
 * Since: 0.2
 */
void
mctx_sap_announcer_stop (MctxSapAnnouncer * self)
{
  gchar *payload;
  GError *error = NULL;

  g_return_if_fail (MCTX_IS_SAP_ANNOUNCER (self));
  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  self->thread = NULL;

  payload = origin_line (self->sdp);
  if (!send_packet (self, payload ? payload : self->sdp, self->hash, TRUE,
          &error)) {
    g_debug ("SAP deletion failed: %s", error->message);
    g_clear_error (&error);
  }
  g_free (payload);
  mctx_publication_close (self->pub);
  g_clear_object (&self->pub);
}

/**
 * mctx_sap_announcer_is_running:
 * @self: an announcer
 *
 * Returns: whether it is started
 *
 * Since: 0.2
 */
gboolean
mctx_sap_announcer_is_running (MctxSapAnnouncer * self)
{
  g_return_val_if_fail (MCTX_IS_SAP_ANNOUNCER (self), FALSE);
  return self->thread != NULL;
}

/**
 * mctx_sap_announcer_get_sent:
 * @self: an announcer
 *
 * Safe from any thread.
 *
 * Returns: SAP packets sent since the object was made (announcements,
 *   repeats and deletions)
 *
 * Since: 0.2
 */
guint64
mctx_sap_announcer_get_sent (MctxSapAnnouncer * self)
{
  g_return_val_if_fail (MCTX_IS_SAP_ANNOUNCER (self), 0);
  return (guint) g_atomic_int_get (&self->sent);
}

static void
mctx_sap_announcer_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  MctxSapAnnouncer *self = MCTX_SAP_ANNOUNCER (object);

  /* sdp is an update while running; interval is read by the thread under
   * the lock; the rest are fields read at start */
  switch (prop_id) {
    case PROP_SDP:
      if (self->thread != NULL && g_value_get_string (value) != NULL)
        mctx_sap_announcer_update (self, g_value_get_string (value), NULL);
      else if (self->thread == NULL)
        mctx_field_set (object, pspec, value);
      break;
    case PROP_INTERVAL:
      g_mutex_lock (&self->lock);
      mctx_field_set (object, pspec, value);
      g_mutex_unlock (&self->lock);
      break;
    default:
      mctx_field_set_property (object, prop_id, value, pspec);
  }
}

static void
mctx_sap_announcer_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  MctxSapAnnouncer *self = MCTX_SAP_ANNOUNCER (object);

  /* sdp and the hash change under the lock while running */
  g_mutex_lock (&self->lock);
  if (prop_id == PROP_MSG_ID_HASH)
    g_value_set_uint (value, self->hash);
  else
    mctx_field_get_property (object, prop_id, value, pspec);
  g_mutex_unlock (&self->lock);
}

static void
mctx_sap_announcer_finalize (GObject * object)
{
  MctxSapAnnouncer *self = MCTX_SAP_ANNOUNCER (object);

  mctx_sap_announcer_stop (self);
  mctx_fields_free (object, properties, N_PROPS);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (mctx_sap_announcer_parent_class)->finalize (object);
}

static const MctxFieldRow announcer_rows[] = {
  /**
   * MctxSapAnnouncer:sdp:
   *
   * The SDP to announce. Set while running, it is an update
   * (mctx_sap_announcer_update()).
   *
   * Since: 0.2
   */
  {PROP_SDP, FIELD (sdp), MCTX_FIELD_STRING, "sdp", "SDP",
      "Session description to announce"},
  /**
   * MctxSapAnnouncer:group:
   *
   * The SAP group to announce on; unset: mctx_sap_address_for_group() of
   * the SDP's first `c=` address. Read at start.
   *
   * Since: 0.2
   */
  {PROP_GROUP, FIELD (group), MCTX_FIELD_STRING, "group", "Group",
      "SAP group (NULL: the one for the SDP's connection address)"},
  /**
   * MctxSapAnnouncer:port:
   *
   * The SAP port, 9875 (another only for tests). Read at start.
   *
   * Since: 0.2
   */
  {PROP_PORT, FIELD (port), MCTX_FIELD_UINT, "port", "Port", "SAP UDP port",
      1, 65535, MCTX_SAP_PORT},
  /**
   * MctxSapAnnouncer:interface:
   *
   * Outgoing interface, as #MctxPublication:interface (give the stream's).
   * Read at start.
   *
   * Since: 0.2
   */
  {PROP_INTERFACE, FIELD (interface), MCTX_FIELD_STRING, "interface",
      "Interface", "Outgoing interface: a name or one of its addresses"},
  /**
   * MctxSapAnnouncer:source:
   *
   * Local address to send from; it is also the packets' originating
   * source. Unset: the address the kernel picks. Read at start.
   *
   * Since: 0.2
   */
  {PROP_SOURCE, FIELD (source), MCTX_FIELD_STRING, "source", "Source",
      "Local address to send from and originating source (NULL: the "
      "kernel's choice)"},
  /**
   * MctxSapAnnouncer:ttl:
   *
   * TTL / hop limit of the announcements: give the stream's, so the
   * announcement reaches as far as the stream. Read at start.
   *
   * Since: 0.2
   */
  {PROP_TTL, FIELD (ttl), MCTX_FIELD_INT, "ttl", "TTL",
      "Time to live / hop limit (the stream's)", 0, 255, 1},
  /**
   * MctxSapAnnouncer:loop:
   *
   * Whether listeners on this host get the announcements. Read at start.
   *
   * Since: 0.2
   */
  {PROP_LOOP, FIELD (loop), MCTX_FIELD_BOOLEAN, "loop", "Loop",
      "Deliver the announcements to listeners on this host too", .def = TRUE},
  /**
   * MctxSapAnnouncer:interval:
   *
   * Seconds between announcements, randomised by up to a third either
   * way. Read at each repeat.
   *
   * Since: 0.2
   */
  {PROP_INTERVAL, FIELD (interval), MCTX_FIELD_UINT, "interval", "Interval",
      "Seconds between announcements (randomised by +/- 1/3)", 1, 3600,
      MCTX_SAP_DEFAULT_INTERVAL},
  /**
   * MctxSapAnnouncer:msg-id-hash:
   *
   * The message identifier hash of the SDP being announced (0 before the
   * first start).
   *
   * Since: 0.2
   */
  /* not a field: a guint16 read under the lock */
  {PROP_MSG_ID_HASH, 0, MCTX_FIELD_UINT, "msg-id-hash", "Message id hash",
      "Message identifier hash being announced", 0, 65535, 0,
      G_PARAM_READABLE},
};

static void
mctx_sap_announcer_class_init (MctxSapAnnouncerClass * klass)
{
  mctx_field_class_init (G_OBJECT_CLASS (klass), mctx_sap_announcer_finalize,
      mctx_sap_announcer_set_property, mctx_sap_announcer_get_property,
      properties, N_PROPS, announcer_rows, G_N_ELEMENTS (announcer_rows));
}

static void
mctx_sap_announcer_init (MctxSapAnnouncer * self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->port = MCTX_SAP_PORT;
  self->ttl = 1;
  self->loop = TRUE;
  self->interval = MCTX_SAP_DEFAULT_INTERVAL;
}
