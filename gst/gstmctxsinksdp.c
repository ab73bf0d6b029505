/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsinksdp.c: mctxsink describes and announces itself (issue #15,
 * docs/sdp.md sections 2 and 3): sdp-location, sdp, announce,
 * session-name, announce-interval.
 *
 * Each caps event (GstBaseSink::set_caps) hands the stream as it is then
 * (group, port, TTL, the effective source, the caps, and the redundant
 * leg opened from `redundant-uri`) to the element's
 * GstMctxDescriber, which keeps one session identity for the element's
 * life, writes the file and runs the SAP announcer. Stop sends the SAP
 * deletion.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsdpprops.h"
#include "gstmctxdescribe.h"
#include "gstmctxsinklegs.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_mctx_debug

#define DEFAULT_ANNOUNCE_INTERVAL MCTX_SAP_DEFAULT_INTERVAL

static G_DEFINE_QUARK (gst_mctx_sink_describer, describer);

void
gst_mctx_sink_sdp_install_properties (GObjectClass * gobject_class)
{
  /**
   * GstMctxSink:sdp-location:
   *
   * A file to write the stream's SDP (RFC 4566) to once caps are
   * negotiated, and again (replaced atomically) when the caps change: the
   * group and TTL (`c=`), the port and payload (`m=`, `a=rtpmap`,
   * `a=fmtp` from the RTP caps), the effective source address (`o=`, and
   * `a=source-filter: incl` for a source-specific group), and both legs
   * with `a=group:DUP` when a redundant leg is set. Needs RTP caps. A
   * failed write posts a warning naming the property and the path; the
   * stream goes on.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_SDP_LOCATION,
      g_param_spec_string ("sdp-location", "SDP location",
          "Write the stream's SDP to this file once caps are negotiated "
          "(unset: no file)", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:sdp:
   *
   * The stream's SDP once RTP caps are negotiated (the text written to
   * #GstMctxSink:sdp-location and announced); %NULL before.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_SDP,
      g_param_spec_string ("sdp", "SDP",
          "The stream's SDP, once RTP caps are negotiated", NULL,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:announce:
   *
   * Announce the stream's SDP with SAP (RFC 2974) from the first negotiated
   * caps until the sink stops: on the SAP group of the stream group's
   * scope, port 9875, through the stream's interface and with its TTL,
   * every #GstMctxSink:announce-interval seconds; a deletion packet at
   * stop; a new session version when the caps change.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_ANNOUNCE,
      g_param_spec_boolean ("announce", "Announce",
          "Announce the stream's SDP with SAP (RFC 2974)", FALSE,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:session-name:
   *
   * The SDP's session name (`s=` line); unset: "mctx".
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_SESSION_NAME,
      g_param_spec_string ("session-name", "Session name",
          "The SDP's s= line (unset: mctx)", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSink:announce-interval:
   *
   * Seconds between two SAP announcements, each randomised by up to a third
   * either way (RFC 2974 section 3.1). docs/sdp.md says why the default is
   * 30 s rather than the RFC's 300 s floor.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SINK_PROP_ANNOUNCE_INTERVAL,
      g_param_spec_uint ("announce-interval", "Announce interval",
          "Seconds between SAP announcements", 1, 3600,
          DEFAULT_ANNOUNCE_INTERVAL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));
}

static GstMctxDescriber *
describer (GstMctxSink * sink)
{
  return g_object_get_qdata (G_OBJECT (sink), describer_quark ());
}

/* at init: the session id is taken once for the element's life */
void
gst_mctx_sink_sdp_init (GstMctxSink * sink)
{
  g_object_set_qdata_full (G_OBJECT (sink), describer_quark (),
      gst_mctx_describer_new (), (GDestroyNotify) gst_mctx_describer_free);
}

gboolean
gst_mctx_sink_sdp_get_property (GstMctxSink * sink, guint prop_id,
    GValue * value)
{
  if (prop_id != SINK_PROP_SDP)
    return FALSE;
  g_value_take_string (value, gst_mctx_describer_dup_sdp (describer (sink)));
  return TRUE;
}

static gchar *
get_string (GstMctxSink * sink, const gchar * property)
{
  return gst_mctx_settings_get_string (&sink->settings, GST_OBJECT (sink),
      property);
}

static gint
get_int (GstMctxSink * sink, const gchar * property)
{
  return gst_mctx_settings_get_number (&sink->settings, GST_OBJECT (sink),
      property);
}

/* the address @pub sends from (the kernel's choice without `source`) */
static gchar *
local_address_of (MctxPublication * pub)
{
  /* transfer none */
  GInetSocketAddress *local = mctx_publication_get_local_address (pub);

  return local ? g_inet_address_to_string (g_inet_socket_address_get_address
      (local)) : NULL;
}

/* the redundant leg as opened at start (its group, port, TTL and own
 * source); an SSM leg without a source cannot be described */
static void
redundant_leg (MctxPublication * pub, GstMctxSdpLeg * leg, GstCaps * caps,
    gchar ** sources)
{
  const gchar *source = mctx_publication_get_source (pub);
  gint ttl;

  g_object_get (pub, "ttl", &ttl, NULL);
  leg->group = g_strdup (mctx_publication_get_group (pub));
  leg->port = mctx_publication_get_port (pub);
  leg->ttl = ttl;
  if (source != NULL && gst_mctx_sdp_is_ssm (leg->group)) {
    sources[0] = g_strdup (source);
    leg->sources = sources;
  }
  leg->caps = caps;
}

/**
 * gst_mctx_sink_sdp_set_caps:
 *
 * GstBaseSink::set_caps: describes the stream with the new caps. Never
 * refuses caps: SDP problems are warnings (when a file or announcements
 * were asked for) and the stream goes on.
 */
gboolean
gst_mctx_sink_sdp_set_caps (GstBaseSink * bsink, GstCaps * caps)
{
  GstMctxSink *sink = GST_MCTX_SINK (bsink);
  GstMctxDescribeConfig cfg = { 0 };
  GstMctxSdpLeg legs[2];
  gchar *sources0[2] = { NULL, NULL }, *sources1[2] = { NULL, NULL };
  gchar *session_name, *location, *interface, *source, *origin = NULL, *group;
  MctxPublication *pubs[GST_MCTX_SINK_N_LEGS];
  guint n_legs = 0, i;
  gboolean announce, ok;
  GError *error = NULL;
  const GstStructure *s;

  memset (legs, 0, sizeof (legs));
  location = get_string (sink, "sdp-location");
  announce = get_int (sink, "announce");
  s = gst_caps_get_structure (caps, 0);
  if (!gst_structure_has_name (s, "application/x-rtp")) {
    GST_DEBUG_OBJECT (sink, "caps %" GST_PTR_FORMAT " are not RTP: no SDP",
        caps);
    if (location != NULL || announce)
      GST_ELEMENT_WARNING (sink, STREAM, FORMAT,
          ("Cannot describe the stream in SDP (for %s): caps '%s' are not "
              "RTP caps", location ? "'sdp-location'" : "'announce'",
              gst_structure_get_name (s)), (NULL));
    g_free (location);
    return TRUE;
  }

  session_name = get_string (sink, "session-name");
  interface = get_string (sink, "interface");
  source = get_string (sink, "source");
  group = get_string (sink, "address");
  /* the open publications (caps come after start) */
  GST_OBJECT_LOCK (sink);
  if (sink->pub != NULL)
    n_legs = gst_mctx_sink_legs_collect (sink, sink->pub, pubs);
  for (i = 0; i < n_legs; i++)
    g_object_ref (pubs[i]);
  GST_OBJECT_UNLOCK (sink);
  if (n_legs > 0)
    origin = local_address_of (pubs[0]);

  cfg.session_name = session_name;
  cfg.location = location;
  cfg.announce = announce;
  cfg.announce_interval = get_int (sink, "announce-interval");
  cfg.interface = interface;
  cfg.ttl = get_int (sink, "ttl");
  cfg.source = source;
  cfg.origin_address = origin ? origin : source;

  legs[0].group = group;
  legs[0].port = get_int (sink, "port");
  legs[0].ttl = cfg.ttl;
  legs[0].caps = caps;
  /* receivers of an SSM group need the sender's source to join */
  if (gst_mctx_sdp_is_ssm (group) && cfg.origin_address != NULL) {
    sources0[0] = g_strdup (cfg.origin_address);
    legs[0].sources = sources0;
  }

  if (n_legs > 1)
    redundant_leg (pubs[1], &legs[1], caps, sources1);
  ok = gst_mctx_describer_update (describer (sink), &cfg, legs,
      MAX (n_legs, 1), &error);

  if (ok) {
    GST_INFO_OBJECT (sink, "SDP version %" G_GUINT64_FORMAT "%s%s%s",
        gst_mctx_describer_get_version (describer (sink)),
        location ? ", written to " : "", location ? location : "",
        announce ? ", announced" : "");
  } else if (error->domain == G_FILE_ERROR) {
    GST_ELEMENT_WARNING (sink, RESOURCE, OPEN_WRITE,
        ("Could not write the SDP (property 'sdp-location'): %s",
            error->message), ("%s", error->message));
  } else if (g_str_has_prefix (error->message, "announce: ")) {
    GST_ELEMENT_WARNING (sink, RESOURCE, SETTINGS,
        ("Could not announce the stream for property 'announce': %s",
            error->message + strlen ("announce: ")), ("%s", error->message));
  } else if (location != NULL || announce || n_legs > 1) {
    GST_ELEMENT_WARNING (sink, STREAM, FORMAT,
        ("Cannot describe the stream in SDP: %s", error->message),
        ("%s", error->message));
  } else {
    GST_DEBUG_OBJECT (sink, "no SDP: %s", error->message);
  }
  g_clear_error (&error);

  g_object_notify (G_OBJECT (sink), "sdp");

  for (i = 0; i < n_legs; i++)
    g_object_unref (pubs[i]);
  g_free (legs[1].group);
  g_free (sources0[0]);
  g_free (sources1[0]);
  g_free (session_name);
  g_free (location);
  g_free (interface);
  g_free (source);
  g_free (origin);
  g_free (group);
  return TRUE;
}

/* at the sink's stop: the SAP deletion (the SDP itself stays readable) */
void
gst_mctx_sink_sdp_stop (GstMctxSink * sink)
{
  gst_mctx_describer_stop (describer (sink));
}
