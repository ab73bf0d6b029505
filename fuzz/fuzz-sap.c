/* Fuzz target for SAP input: the packet decoder and the listener's session
 * table (what a SAP listener does with any datagram off the network).
 * Input: one datagram.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Checked: a decoded packet re-encodes (when its payload can be one and its
 * origin is a usable source; otherwise the encoder refuses it with an
 * error) to a packet that decodes to the same fields; the listener never keeps more
 * sessions than packets it accepted; refusals are MCTX_ERROR with text.
 */
#include <mctx.h>

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

/* what the encoder takes as an origin: an address mctx_parse_source()
 * accepts (unicast, not unspecified, not broadcast) */
static gboolean
usable_origin (const MctxAddress * origin)
{
  gchar *text = mctx_address_to_string (origin);
  MctxAddress parsed;
  gboolean ok = mctx_parse_source (text, "origin", &parsed, NULL);

  g_free (text);
  return ok;
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static MctxSapListener *listener;
  MctxSapPacket *p;
  GError *err = NULL;
  GPtrArray *sessions;

  if (size > 65536)
    return 0;
  if (listener == NULL)
    listener = mctx_sap_listener_new ();

  p = mctx_sap_packet_decode (data, size, &err);
  if (p == NULL) {
    g_assert (err != NULL && err->domain == MCTX_ERROR && err->message[0]);
    g_clear_error (&err);
  } else if (p->payload[0] != '\0' && !usable_origin (&p->origin)) {
    /* the encoder takes only an origin that is a usable source */
    GBytes *b = mctx_sap_packet_encode (&p->origin, p->msg_id_hash,
        p->deletion, p->payload, &err);

    g_assert (b == NULL);
    g_assert (err != NULL && err->domain == MCTX_ERROR && err->message[0]);
    g_clear_error (&err);
  } else if (p->payload[0] != '\0') {
    GBytes *b = mctx_sap_packet_encode (&p->origin, p->msg_id_hash,
        p->deletion, p->payload, NULL);
    MctxSapPacket *q;

    g_assert (b != NULL);
    q = mctx_sap_packet_decode (g_bytes_get_data (b, NULL),
        g_bytes_get_size (b), NULL);
    g_assert (q != NULL);
    g_assert (q->deletion == p->deletion);
    g_assert (q->msg_id_hash == p->msg_id_hash);
    g_assert (mctx_address_equal (&q->origin, &p->origin));
    /* a payload with an embedded NUL is cut there on both sides */
    g_assert (strcmp (q->payload, p->payload) == 0);
    mctx_sap_packet_free (q);
    g_bytes_unref (b);
  }
  mctx_sap_packet_free (p);

  if (!mctx_sap_listener_handle_packet (listener, data, size, 0, &err)) {
    g_assert (err != NULL && err->domain == MCTX_ERROR && err->message[0]);
    g_clear_error (&err);
  }
  sessions = mctx_sap_listener_get_sessions (listener);
  if (sessions->len > 0) {
    gchar *json = mctx_sap_listener_to_json (listener);

    g_assert (json[0] == '[' && strchr (json, '\n') == NULL);
    g_free (json);
  }
  /* bounded memory over a long run */
  if (sessions->len > 64)
    mctx_sap_listener_expire (listener, G_MAXINT64);
  g_ptr_array_unref (sessions);
  return 0;
}
