/* mctxsink's SDP output: file, property and SAP announcements.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * One session identity per describer (the sink): the o= session id is
 * taken once, the version starts at 1 and goes up whenever the described
 * stream changes, so files, the sdp property and SAP receivers see one
 * session being updated, never a new one.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxdescribe.h"

#include <mctx.h>
#include <string.h>

struct _GstMctxDescriber
{
  GMutex lock;                  /* sdp: read from any thread */
  guint64 session_id;
  guint64 version;
  gchar *sdp;                   /* last built, NULL before */
  gchar *body;                  /* what the version describes (no o=) */
  gchar *written;               /* the location the SDP was last written to */
  MctxSapAnnouncer *announcer;
};

GstMctxDescriber *
gst_mctx_describer_new (void)
{
  GstMctxDescriber *self = g_new0 (GstMctxDescriber, 1);

  g_mutex_init (&self->lock);
  self->session_id = gst_mctx_sdp_ntp_now ();
  return self;
}

void
gst_mctx_describer_free (GstMctxDescriber * self)
{
  if (self == NULL)
    return;
  gst_mctx_describer_stop (self);
  g_free (self->sdp);
  g_free (self->body);
  g_free (self->written);
  g_mutex_clear (&self->lock);
  g_free (self);
}

/* the SDP without its o= line: equal bodies describe the same stream */
static gchar *
sdp_body (const gchar * sdp)
{
  GString *out = g_string_new (NULL);
  const gchar *p = sdp;

  while (*p) {
    gsize len = strcspn (p, "\n") + (p[strcspn (p, "\n")] ? 1 : 0);

    if (strncmp (p, "o=", 2) != 0)
      g_string_append_len (out, p, len);
    p += len;
  }
  return g_string_free (out, FALSE);
}

static gchar *
build (GstMctxDescriber * self, const GstMctxDescribeConfig * config,
    const GstMctxSdpLeg * legs, guint n_legs, guint64 version, GError ** error)
{
  GstMctxSdpDescription d = { 0 };

  d.session_name = config->session_name;
  d.origin_address = config->origin_address;
  d.session_id = self->session_id;
  d.session_version = version;
  d.legs = legs;
  d.n_legs = n_legs;
  return gst_mctx_sdp_build (&d, error);
}

static gboolean
announce (GstMctxDescriber * self, const GstMctxDescribeConfig * config,
    const gchar * sdp, gboolean changed, GError ** error)
{
  if (!config->announce) {
    /* announce turned off: say goodbye */
    if (self->announcer != NULL)
      gst_mctx_describer_stop (self);
    return TRUE;
  }
  if (self->announcer == NULL) {
    self->announcer = g_object_new (MCTX_TYPE_SAP_ANNOUNCER, "sdp", sdp,
        "interface", config->interface, "source", config->source,
        "ttl", config->ttl,
        "interval", MAX (config->announce_interval, 1), NULL);
    if (!mctx_sap_announcer_start (self->announcer, error)) {
      g_prefix_error (error, "announce: ");
      g_clear_object (&self->announcer);
      return FALSE;
    }
    return TRUE;
  }
  g_object_set (self->announcer, "interval", MAX (config->announce_interval,
          1), NULL);
  if (changed)
    return mctx_sap_announcer_update (self->announcer, sdp, error);
  return TRUE;
}

/**
 * gst_mctx_describer_update:
 * @config: the sink's settings now
 * @legs: (array length=n_legs): the stream, and its redundant leg
 * @error: MCTX_ERROR from the SDP build, a G_FILE_ERROR naming
 *   sdp-location and the path, or an "announce: " error
 *
 * Call when caps are negotiated (and when they change). Builds the SDP;
 * when it describes something new, bumps the session version, writes the
 * file (atomically) and announces the new SDP. A failed file write or
 * announcement leaves the new SDP in place (readable), so the caller may
 * warn and go on.
 */
gboolean
gst_mctx_describer_update (GstMctxDescriber * self,
    const GstMctxDescribeConfig * config, const GstMctxSdpLeg * legs,
    guint n_legs, GError ** error)
{
  gchar *sdp, *body;
  gboolean changed;
  guint64 version;

  g_return_val_if_fail (self != NULL && config != NULL, FALSE);

  /* built once with the version it gets if it describes something new:
   * the body compared leaves out the o= line, the only one the version
   * is in */
  version = self->body != NULL ? self->version + 1 : MAX (self->version, 1);
  sdp = build (self, config, legs, n_legs, version, error);
  if (sdp == NULL)
    return FALSE;
  body = sdp_body (sdp);
  changed = self->body == NULL || strcmp (body, self->body) != 0;
  if (changed) {
    g_mutex_lock (&self->lock);
    g_free (self->sdp);
    self->sdp = sdp;
    g_free (self->body);
    self->body = body;
    self->version = version;
    g_mutex_unlock (&self->lock);
  } else {
    g_free (sdp);
    g_free (body);
  }

  if (config->location != NULL && *config->location != '\0' &&
      (changed || g_strcmp0 (config->location, self->written) != 0)) {
    GError *err = NULL;

    g_free (self->written);
    self->written = NULL;
    if (g_file_set_contents (config->location, self->sdp, -1, &err)) {
      self->written = g_strdup (config->location);
    } else {
      g_set_error (error, err->domain, err->code,
          "sdp-location '%s': %s", config->location, err->message);
      g_error_free (err);
      announce (self, config, self->sdp, changed, NULL);
      return FALSE;
    }
  }
  return announce (self, config, self->sdp, changed, error);
}

/* (transfer full) (nullable): the SDP, for the sink's sdp property */
gchar *
gst_mctx_describer_dup_sdp (GstMctxDescriber * self)
{
  gchar *sdp;

  g_mutex_lock (&self->lock);
  sdp = g_strdup (self->sdp);
  g_mutex_unlock (&self->lock);
  return sdp;
}

guint64
gst_mctx_describer_get_version (GstMctxDescriber * self)
{
  return self->version;
}

/* At the sink's stop: the SAP deletion. The SDP and version stay, so a
 * restart with the same caps announces the same session again. */
void
gst_mctx_describer_stop (GstMctxDescriber * self)
{
  if (self->announcer != NULL) {
    mctx_sap_announcer_stop (self->announcer);
    g_clear_object (&self->announcer);
  }
}
