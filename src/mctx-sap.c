/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "mctx-private.h"
#include "mctx-sap-private.h"
#include "mctx-boxed-private.h"
#include "mctx-sdp-line-private.h"

#include <string.h>

/**
 * SECTION:mctx-sap
 * @title: SAP
 * @short_description: Session Announcement Protocol (RFC 2974)
 *
 * SAP packets carry an SDP session description to a well-known multicast
 * group and port (9875): #MctxSapAnnouncer sends them, #MctxSapListener
 * collects what others announce. The packet codec and the choice of the
 * SAP group for a stream's group are available on their own.
 */

#define SAP_V1 (1 << 5)
#define SAP_A (1 << 4)
#define SAP_R (1 << 3)
#define SAP_T (1 << 2)
#define SAP_E (1 << 1)
#define SAP_C (1 << 0)

static const gchar sdp_mime[] = "application/sdp";

/**
 * mctx_sap_packet_copy:
 * @packet: a #MctxSapPacket
 *
 * Returns: (transfer full): a deep copy
 *
 * Since: 0.2
 */
/**
 * mctx_sap_packet_free:
 * @packet: (nullable): a #MctxSapPacket
 *
 * Since: 0.2
 */
MCTX_DEFINE_STRINGS_BOXED (MctxSapPacket, mctx_sap_packet,
    MCTX_STRING_FIELD (MctxSapPacket, payload_type),
    MCTX_STRING_FIELD (MctxSapPacket, payload))

/**
 * mctx_sap_packet_encode:
 * @origin: the originating source: the announcer's own unicast address
 * @msg_id_hash: the message identifier hash (mctx_sap_message_id_hash())
 * @deletion: a session deletion packet (T bit) instead of an announcement
 * @sdp: the payload: the SDP (for a deletion, at least its `o=` line)
 * @error: return location for a #GError
 *
 * Builds a SAPv1 packet without authentication, encryption or
 * compression, with the payload type `application/sdp`.
 *
 * Returns: (transfer full): the packet, or %NULL when @origin is not a
 *   unicast IPv4 or IPv6 address or @sdp is empty
 *
 * Since: 0.2
 */
GBytes *
mctx_sap_packet_encode (const MctxAddress * origin, guint16 msg_id_hash,
    gboolean deletion, const gchar * sdp, GError ** error)
{
  GByteArray *out;
  gsize alen;
  guint8 hdr[4];

  g_return_val_if_fail (origin != NULL, NULL);

  if (origin->family != G_SOCKET_FAMILY_IPV4 &&
      origin->family != G_SOCKET_FAMILY_IPV6) {
    mctx_set_error (error, "origin", MCTX_ERROR_INVALID_ADDRESS,
        "origin: not an IPv4 or IPv6 address");
    return NULL;
  }
  {
    gchar *text = mctx_address_to_string (origin);
    gboolean ok = mctx_address_check_source (origin, "origin", text, error);

    g_free (text);
    if (!ok)
      return NULL;
  }
  if (sdp == NULL || *sdp == '\0') {
    mctx_set_error (error, "sdp", MCTX_ERROR_INVALID_VALUE,
        "sdp: the payload is empty");
    return NULL;
  }

  alen = origin->family == G_SOCKET_FAMILY_IPV4 ? 4 : 16;
  hdr[0] = SAP_V1 | (alen == 16 ? SAP_A : 0) | (deletion ? SAP_T : 0);
  hdr[1] = 0;                   /* no authentication data */
  hdr[2] = msg_id_hash >> 8;
  hdr[3] = msg_id_hash & 0xff;

  out = g_byte_array_sized_new (4 + alen + sizeof (sdp_mime) + strlen (sdp));
  g_byte_array_append (out, hdr, 4);
  g_byte_array_append (out, origin->bytes, alen);
  g_byte_array_append (out, (const guint8 *) sdp_mime, sizeof (sdp_mime));
  g_byte_array_append (out, (const guint8 *) sdp, strlen (sdp));
  return g_byte_array_free_to_bytes (out);
}

static gboolean
bad_packet (GError ** error, const gchar * what)
{
  mctx_set_error (error, "sap-packet", MCTX_ERROR_INVALID_VALUE,
      "SAP packet: %s", what);
  return FALSE;
}

/**
 * mctx_sap_packet_decode:
 * @data: (array length=size): the datagram
 * @size: its length
 * @error: return location for a #GError
 *
 * Decodes a SAP packet. Version 1 is required (version 0 packets of the
 * old sdr tools are accepted too, as RFC 2974 asks). When the packet has
 * no payload type (allowed when the payload is SDP), @payload_type is
 * %NULL. Encrypted and compressed packets decode with their flags set and
 * the raw payload.
 *
 * Returns: (transfer full): the packet, or %NULL with an error naming what
 *   is wrong (too short, version, authentication length)
 *
 * Since: 0.2
 */
MctxSapPacket *
mctx_sap_packet_decode (const guint8 * data, gsize size, GError ** error)
{
  MctxSapPacket *p;
  gsize alen, off, auth;
  guint version;

  if (size < 4) {
    bad_packet (error, "shorter than the 4-byte header");
    return NULL;
  }
  version = data[0] >> 5;
  if (version > 1) {
    gchar *what = g_strdup_printf ("version %u (only 1 is known)", version);

    bad_packet (error, what);
    g_free (what);
    return NULL;
  }
  alen = (data[0] & SAP_A) ? 16 : 4;
  auth = (gsize) data[1] * 4;
  off = 4 + alen + auth;
  if (size < off) {
    bad_packet (error, "shorter than its header, originating source and "
        "authentication data");
    return NULL;
  }

  p = g_new0 (MctxSapPacket, 1);
  p->deletion = (data[0] & SAP_T) != 0;
  p->encrypted = (data[0] & SAP_E) != 0;
  p->compressed = (data[0] & SAP_C) != 0;
  p->msg_id_hash = (data[2] << 8) | data[3];
  p->origin.family = alen == 4 ? G_SOCKET_FAMILY_IPV4 : G_SOCKET_FAMILY_IPV6;
  memcpy (p->origin.bytes, data + 4, alen);

  /* the payload type may be left out when the payload is SDP (it then
   * starts with "v=0"); otherwise it is a NUL-terminated MIME type */
  if (!p->encrypted && !p->compressed && size - off >= 3 &&
      memcmp (data + off, "v=0", 3) == 0) {
    p->payload_type = NULL;
  } else {
    const guint8 *nul = memchr (data + off, '\0', size - off);

    if (nul == NULL) {
      mctx_sap_packet_free (p);
      bad_packet (error, "the payload type is not NUL-terminated");
      return NULL;
    }
    p->payload_type = g_strndup ((const gchar *) data + off,
        nul - (data + off));
    off = nul - data + 1;
  }
  p->payload = g_strndup ((const gchar *) data + off, size - off);
  return p;
}

/**
 * mctx_sap_message_id_hash:
 * @sdp: the SDP text
 *
 * A 16-bit message identifier hash of @sdp: the same text always gives
 * the same value (FNV-1a folded to 16 bits, never 0), so repeats of an
 * announcement carry the same hash and a changed SDP most likely another.
 *
 * Returns: the hash
 *
 * Since: 0.2
 */
guint16
mctx_sap_message_id_hash (const gchar * sdp)
{
  guint32 h = 2166136261u;
  guint16 folded;

  for (; sdp != NULL && *sdp; sdp++) {
    h ^= (guint8) * sdp;
    h *= 16777619u;
  }
  folded = (h >> 16) ^ (h & 0xffff);
  /* 0 meant "no hash" to SAPv0 receivers */
  return folded ? folded : 1;
}

/**
 * mctx_sap_address_for_group:
 * @group: a stream's multicast group
 * @error: return location for a #GError
 *
 * The group SAP announcements of a stream to @group go to (RFC 2974
 * section 3, RFC 2365 scopes): for IPv4 global groups (224.0.0.0 to
 * 238.255.255.255, source-specific 232/8 included) 224.2.127.254; for
 * administratively scoped groups the highest address of the scope:
 * 239.255.255.255 for 239.255.0.0/16 (local scope), 239.X.255.255 for the
 * local-scope expansion /16s 239.196 to 239.254, 239.195.255.255 for
 * 239.192.0.0/14 (organization-local), 239.63.255.255, 239.127.255.255 and
 * 239.191.255.255 for the expansion /10s; for IPv6 ff0X::2:7ffe with the
 * group's scope X (a `%scope` on the group is kept).
 *
 * Returns: (transfer full): the SAP group, or %NULL when @group is not a
 *   multicast address
 *
 * Since: 0.2
 */
gchar *
mctx_sap_address_for_group (const gchar * group, GError ** error)
{
  MctxAddress g, sap;

  if (!mctx_parse_group (group, "group", &g, error))
    return NULL;
  memset (&sap, 0, sizeof (sap));
  sap.family = g.family;
  if (g.family == G_SOCKET_FAMILY_IPV4) {
    guint8 b1 = g.bytes[1];

    sap.bytes[0] = 239;
    sap.bytes[2] = 255;
    sap.bytes[3] = 255;
    if (g.bytes[0] != 239) {
      sap.bytes[0] = 224;
      sap.bytes[1] = 2;
      sap.bytes[2] = 127;
      sap.bytes[3] = 254;
    } else if (b1 >= 196) {
      sap.bytes[1] = b1;        /* a /16 of local scope */
    } else if (b1 >= 192) {
      sap.bytes[1] = 195;       /* 239.192.0.0/14 */
    } else {
      sap.bytes[1] = (b1 & 0xc0) | 0x3f;        /* a /10 */
    }
  } else {
    sap.bytes[0] = 0xff;
    sap.bytes[1] = g.bytes[1] & 0x0f;
    sap.bytes[13] = 0x02;
    sap.bytes[14] = 0x7f;
    sap.bytes[15] = 0xfe;
    sap.scope_id = g.scope_id;
  }
  return mctx_address_to_string (&sap);
}

/* ---- sessions ---- */

/**
 * mctx_sap_session_copy:
 * @session: a #MctxSapSession
 *
 * Returns: (transfer full): a deep copy
 *
 * Since: 0.2
 */
/**
 * mctx_sap_session_free:
 * @session: (nullable): a #MctxSapSession
 *
 * Since: 0.2
 */
#define STRING(member) MCTX_STRING_FIELD (MctxSapSession, member)
MCTX_DEFINE_STRINGS_BOXED (MctxSapSession, mctx_sap_session, STRING (key),
    STRING (origin_source), STRING (sdp), STRING (name), STRING (origin),
    STRING (group), STRING (source))
#undef STRING

/* "<origin source> <o= fields but the version>" (the o= value without its
 * third field): what identifies one announced session over its updates. */
static gchar *
mctx_sap_origin_key (const gchar * origin_source, const gchar * origin)
{
  GString *key = g_string_new (origin_source);
  guint i;

  for (i = 0; i < 6; i++) {
    gchar *t = mctx_sdp_field (origin, i);

    if (i != 2 && t != NULL) {
      g_string_append_c (key, ' ');
      g_string_append (key, t);
    }
    g_free (t);
  }
  return g_string_free (key, FALSE);
}

MctxSapSession *
mctx_sap_session_new_from_packet (const MctxSapPacket * packet)
{
  MctxSapSession *s = g_new0 (MctxSapSession, 1);
  gchar *m, *port, *filter;

  s->origin_source = mctx_address_to_string (&packet->origin);
  s->msg_id_hash = packet->msg_id_hash;
  s->sdp = g_strdup (packet->payload);
  s->name = mctx_sdp_line (s->sdp, "s=");
  s->origin = mctx_sdp_line (s->sdp, "o=");
  s->key = mctx_sap_origin_key (s->origin_source, s->origin);
  s->group = mctx_sdp_connection_address (s->sdp);

  m = mctx_sdp_line (s->sdp, "m=");
  port = mctx_sdp_field (m, 1);
  if (port != NULL)
    s->port = (guint) g_ascii_strtoull (port, NULL, 10);
  g_free (port);
  g_free (m);

  filter = mctx_sdp_line (s->sdp, "a=source-filter:");
  if (filter != NULL) {
    gchar *mode = mctx_sdp_field (filter, 0);

    if (g_strcmp0 (mode, "incl") == 0)
      s->source = mctx_sdp_field (filter, 4);
    g_free (mode);
  }
  g_free (filter);
  return s;
}

static void
json_string (GString * out, const gchar * key, const gchar * value)
{
  const gchar *p;

  g_string_append_printf (out, "\"%s\":", key);
  if (value == NULL) {
    g_string_append (out, "null");
    return;
  }
  g_string_append_c (out, '"');
  for (p = value; *p; p++) {
    guchar ch = *p;

    if (ch == '"' || ch == '\\')
      g_string_append_printf (out, "\\%c", ch);
    else if (ch == '\n')
      g_string_append (out, "\\n");
    else if (ch == '\r')
      g_string_append (out, "\\r");
    else if (ch < 0x20)
      g_string_append_printf (out, "\\u%04x", ch);
    else
      g_string_append_c (out, ch);
  }
  g_string_append_c (out, '"');
}

void
mctx_sap_session_append_json (const MctxSapSession * s, GString * out)
{
  g_string_append_c (out, '{');
  json_string (out, "name", s->name);
  g_string_append_c (out, ',');
  json_string (out, "origin", s->origin);
  g_string_append_c (out, ',');
  json_string (out, "origin-source", s->origin_source);
  g_string_append_c (out, ',');
  json_string (out, "group", s->group);
  g_string_append_printf (out, ",\"port\":%u,", s->port);
  json_string (out, "source", s->source);
  g_string_append_printf (out, ",\"msg-id-hash\":%u,\"announcements\":%"
      G_GUINT64_FORMAT ",\"interval-ms\":%" G_GINT64_FORMAT
      ",\"age-ms\":%" G_GINT64_FORMAT ",", s->msg_id_hash, s->announcements,
      s->interval_us / 1000,
      (g_get_monotonic_time () - s->last_seen_us) / 1000);
  json_string (out, "sdp", s->sdp);
  g_string_append_c (out, '}');
}

/**
 * mctx_sap_session_to_json:
 * @session: a #MctxSapSession
 *
 * One JSON object (one line) describing @session: `name`, `origin`,
 * `origin-source`, `group`, `port`, `source` (strings or null, port a
 * number), `msg-id-hash`, `announcements`, `interval-ms`, `age-ms` (time
 * since the last announcement) and `sdp`.
 *
 * Returns: (transfer full): the JSON text
 *
 * Since: 0.2
 */
gchar *
mctx_sap_session_to_json (const MctxSapSession * session)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (session != NULL, NULL);
  mctx_sap_session_append_json (session, out);
  return g_string_free (out, FALSE);
}
