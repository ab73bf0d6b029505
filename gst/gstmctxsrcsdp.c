/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsrcsdp.c: mctxsrc configured from an SDP (issue #15, docs/sdp.md
 * section 1): the sdp and sdp-media properties.
 *
 * The SDP is parsed when either property is set and its values are
 * written into address, port, sources, exclude-sources, caps (and the
 * redundant leg's redundant-uri), so properties set afterwards override
 * them. A setter cannot fail: a bad SDP changes nothing, and its error is
 * kept on the element for the next start to report, naming the property.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsdpprops.h"
#include "gstmctxsdp.h"
#include "gstmctxuri.h"


#define GST_CAT_DEFAULT gst_mctx_debug

/* the property the redundant (ST 2022-7) leg goes to */
#define REDUNDANT_PROPERTY "redundant-uri"

/* the kind of the last apply's failure, kept for start */
static G_DEFINE_QUARK (gst_mctx_src_sdp_error, sdp_error);

void
gst_mctx_src_sdp_install_properties (GObjectClass * gobject_class)
{
  /**
   * GstMctxSrc:sdp:
   *
   * An SDP (RFC 4566) describing the stream to receive: the SDP text itself
   * (starting with "v=") or the path of an SDP file. Setting it writes the
   * SDP's group (#GstMctxSrc:address), port, source filters
   * (#GstMctxSrc:sources from `a=source-filter: incl`,
   * #GstMctxSrc:exclude-sources from `excl`) and caps (from `a=rtpmap` and
   * `a=fmtp`) into those properties at once, so that properties set after
   * it override it. When the media is one of an `a=group:DUP` pair
   * (RFC 7104), the other one becomes the redundant ST 2022-7 leg
   * (`redundant-uri`). A bad SDP changes no property and makes the next
   * start fail with an error naming the line or field.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_SDP,
      g_param_spec_string ("sdp", "SDP",
          "SDP text (starting with v=) or the path of an SDP file: sets "
          "address, port, sources, exclude-sources, caps (and the redundant "
          "leg of an a=group:DUP pair)", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));

  /**
   * GstMctxSrc:sdp-media:
   *
   * Which media of a multi-media #GstMctxSrc:sdp to receive: an m= line
   * index counted from 0, an `a=mid` value, or `mid:VALUE` for a mid made
   * of digits. Unset: the first mid of the first `a=group:DUP` line, else
   * media 0. Setting it while #GstMctxSrc:sdp is set applies the SDP again.
   *
   * Since: 0.2
   */
  g_object_class_install_property (gobject_class, SRC_PROP_SDP_MEDIA,
      g_param_spec_string ("sdp-media", "SDP media",
          "Which media of the SDP: an m= index (0, 1, ...), an a=mid value or "
          "mid:VALUE (unset: the first DUP leg, else media 0)", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_READY |
          G_PARAM_STATIC_STRINGS));
}

static gchar *
get_string (GstMctxSrc * src, const gchar * property)
{
  return gst_mctx_settings_get_string (&src->settings, GST_OBJECT (src),
      property);
}

static void
keep_error (GstMctxSrc * src, const gchar * property, const gchar * value,
    GError * error)
{
  GST_WARNING_OBJECT (src, "%s", error->message);
  gst_mctx_keep_error (G_OBJECT (src), sdp_error_quark (), property,
      value, error);
}

/* a text that is an SDP, not a path: the error should not quote all of it */
static gboolean
is_sdp_text (const gchar * text)
{
  while (*text && g_ascii_isspace (*text))
    text++;
  return g_str_has_prefix (text, "v=");
}

/* the list as the element's comma-separated string, or NULL */
static gchar *
join_list (gchar ** list)
{
  return list && list[0] ? g_strjoinv (",", list) : NULL;
}

/* leg 2 as an mctx:// URI: sources before '@', exclude-sources as a key */
static gchar *
leg_uri (const GstMctxSdpLeg * leg)
{
  gchar *keys[] = { (gchar *) "exclude-sources", NULL };
  gchar *values[] = { NULL, NULL };
  MctxUri parts = { NULL, leg->sources, leg->group, leg->port, keys + 1,
    values + 1
  };
  gchar *uri;

  if (leg->exclude_sources && leg->exclude_sources[0]) {
    values[0] = join_list (leg->exclude_sources);
    parts.keys = keys;
    parts.values = values;
  }
  uri = mctx_uri_to_string (&parts);
  g_free (values[0]);
  return uri;
}

static void
apply (GstMctxSrc * src)
{
  GObject *obj = G_OBJECT (src);
  GstMctxSdpStream stream = { 0 };
  GError *error = NULL;
  gchar *sdp = get_string (src, "sdp");
  gchar *media = get_string (src, "sdp-media");
  gchar *sources, *exclude, *redundant = NULL;

  gst_mctx_keep_error (obj, sdp_error_quark (), NULL, NULL, NULL);
  /* get_string() strips: blank is NULL */
  if (sdp == NULL)
    goto done;

  if (!gst_mctx_sdp_parse (sdp, media, &stream, &error)) {
    /* the parser starts its messages with the field they are about */
    if (g_str_has_prefix (error->message, "sdp-media"))
      keep_error (src, "sdp-media", media, error);
    else
      keep_error (src, "sdp", is_sdp_text (sdp) ? NULL : sdp, error);
    goto done;
  }

  sources = join_list (stream.leg[0].sources);
  exclude = join_list (stream.leg[0].exclude_sources);
  if (stream.has_redundant)
    redundant = leg_uri (&stream.leg[1]);
  GST_INFO_OBJECT (src, "SDP '%s': group %s port %u, sources %s, caps %"
      GST_PTR_FORMAT "%s%s", GST_STR_NULL (stream.session_name),
      stream.leg[0].group, stream.leg[0].port, GST_STR_NULL (sources),
      stream.leg[0].caps, redundant ? ", redundant leg " : "",
      redundant ? redundant : "");

  g_object_freeze_notify (obj);
  g_object_set (obj, "address", stream.leg[0].group,
      "port", stream.leg[0].port, "sources", sources,
      "exclude-sources", exclude, "caps", stream.leg[0].caps, NULL);
  /* a DUP pair sets the second leg; a single media clears one an earlier
   * SDP set (an explicit redundant-uri set after this one still wins) */
  g_object_set (obj, REDUNDANT_PROPERTY, redundant, NULL);
  g_object_thaw_notify (obj);

  g_free (sources);
  g_free (exclude);
  g_free (redundant);

done:
  gst_mctx_sdp_stream_clear (&stream);
  g_free (sdp);
  g_free (media);
}

/**
 * gst_mctx_src_sdp_property_set:
 *
 * After mctxsrc stored a property: applies the SDP when it was sdp or
 * sdp-media.
 */
void
gst_mctx_src_sdp_property_set (GstMctxSrc * src, GParamSpec * pspec)
{
  if (pspec->param_id == SRC_PROP_SDP || pspec->param_id == SRC_PROP_SDP_MEDIA)
    apply (src);
}

/**
 * gst_mctx_src_sdp_check_start:
 *
 * At start, before anything opens: an SDP that did not apply fails the
 * start with "Invalid value for property 'sdp'" (or 'sdp-media').
 *
 * Returns: %FALSE when an error was posted
 */
gboolean
gst_mctx_src_sdp_check_start (GstMctxSrc * src)
{
  return !gst_mctx_bridge_post_kept_error (GST_ELEMENT (src),
      sdp_error_quark ());
}
