/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(MCTX_INSIDE) && !defined(MCTX_COMPILATION)
#error "Only <mctx.h> can be included directly."
#endif

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-address.h"

G_BEGIN_DECLS

/**
 * MCTX_SAP_PORT:
 *
 * The UDP port of SAP announcements (RFC 2974).
 *
 * Since: 0.2
 */
#define MCTX_SAP_PORT 9875

/**
 * MCTX_SAP_DEFAULT_INTERVAL:
 *
 * The default announcement interval in seconds (docs/sdp.md says why).
 *
 * Since: 0.2
 */
#define MCTX_SAP_DEFAULT_INTERVAL 30

/**
 * MctxSapPacket:
 * @deletion: the T bit: a session deletion packet
 * @encrypted: the E bit (the payload is then not readable)
 * @compressed: the C bit (zlib; libmctx does not inflate it)
 * @msg_id_hash: the message identifier hash
 * @origin: the originating source (IPv6 when the A bit is set)
 * @payload_type: (nullable): the MIME type of the payload, %NULL when the
 *   packet omits it (an SDP payload then)
 * @payload: the payload as text (NUL-terminated copy)
 *
 * A decoded SAP packet. Authentication data, when present, is skipped.
 *
 * Since: 0.2
 */
typedef struct
{
  gboolean deletion;
  gboolean encrypted;
  gboolean compressed;
  guint16 msg_id_hash;
  MctxAddress origin;
  gchar *payload_type;
  gchar *payload;
} MctxSapPacket;

#define MCTX_TYPE_SAP_PACKET (mctx_sap_packet_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_sap_packet_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxSapPacket *mctx_sap_packet_copy (const MctxSapPacket * packet);
MCTX_AVAILABLE_IN_ALL
void mctx_sap_packet_free (MctxSapPacket * packet);

MCTX_AVAILABLE_IN_ALL
GBytes *mctx_sap_packet_encode (const MctxAddress * origin,
    guint16 msg_id_hash, gboolean deletion, const gchar * sdp,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxSapPacket *mctx_sap_packet_decode (const guint8 * data, gsize size,
    GError ** error);

MCTX_AVAILABLE_IN_ALL
guint16 mctx_sap_message_id_hash (const gchar * sdp);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_sap_address_for_group (const gchar * group, GError ** error);

/**
 * MctxSapSession:
 * @key: what identifies the session: the SAP originating source and the
 *   `o=` line without its version
 * @origin_source: the SAP packet's originating source
 * @msg_id_hash: the message identifier hash of the last announcement
 * @sdp: the announced SDP text
 * @name: (nullable): the `s=` line's text
 * @origin: (nullable): the `o=` line's value (after `o=`)
 * @group: (nullable): the first connection address (`c=`, without TTL)
 * @port: the first `m=` line's port, 0 when none
 * @source: (nullable): the first source of an `a=source-filter: incl`
 * @first_seen_us: monotonic time (g_get_monotonic_time()) of the first
 *   announcement
 * @last_seen_us: monotonic time of the last announcement
 * @interval_us: the last measured time between two announcements, 0 until
 *   the second
 * @announcements: announcements heard (repeats included)
 *
 * One announced session as an #MctxSapListener holds it. The fields other
 * than @sdp are read from the SDP's lines for display; libmctx does not
 * parse SDP beyond that.
 *
 * Since: 0.2
 */
typedef struct
{
  gchar *key;
  gchar *origin_source;
  guint16 msg_id_hash;
  gchar *sdp;
  gchar *name;
  gchar *origin;
  gchar *group;
  guint port;
  gchar *source;
  gint64 first_seen_us;
  gint64 last_seen_us;
  gint64 interval_us;
  guint64 announcements;
} MctxSapSession;

#define MCTX_TYPE_SAP_SESSION (mctx_sap_session_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_sap_session_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxSapSession *mctx_sap_session_copy (const MctxSapSession * session);
MCTX_AVAILABLE_IN_ALL
void mctx_sap_session_free (MctxSapSession * session);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_sap_session_to_json (const MctxSapSession * session);

/* ---- announcer ---- */

#define MCTX_TYPE_SAP_ANNOUNCER (mctx_sap_announcer_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxSapAnnouncer, mctx_sap_announcer, MCTX,
    SAP_ANNOUNCER, GObject)

MCTX_AVAILABLE_IN_ALL
MctxSapAnnouncer *mctx_sap_announcer_new (const gchar * sdp);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_sap_announcer_start (MctxSapAnnouncer * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_sap_announcer_update (MctxSapAnnouncer * self,
    const gchar * sdp, GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_sap_announcer_stop (MctxSapAnnouncer * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_sap_announcer_is_running (MctxSapAnnouncer * self);
MCTX_AVAILABLE_IN_ALL
guint64 mctx_sap_announcer_get_sent (MctxSapAnnouncer * self);

/* ---- listener ---- */

#define MCTX_TYPE_SAP_LISTENER (mctx_sap_listener_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxSapListener, mctx_sap_listener, MCTX,
    SAP_LISTENER, GObject)

MCTX_AVAILABLE_IN_ALL
MctxSapListener *mctx_sap_listener_new (void);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_sap_listener_start (MctxSapListener * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_sap_listener_stop (MctxSapListener * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_sap_listener_handle_packet (MctxSapListener * self,
    const guint8 * data, gsize size, gint64 now_us, GError ** error);
MCTX_AVAILABLE_IN_ALL
guint mctx_sap_listener_expire (MctxSapListener * self, gint64 now_us);
MCTX_AVAILABLE_IN_ALL
GPtrArray *mctx_sap_listener_get_sessions (MctxSapListener * self);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_sap_listener_to_json (MctxSapListener * self);

G_END_DECLS
