/* SDP in and out for mctxsrc / mctxsink (issue #15).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Parsing and writing is GStreamer's SDP library (GstSDPMessage and its
 * caps helpers); this file only checks what a multicast RTP receiver needs
 * and maps it to mctx settings, with errors that name the line or field.
 * docs/sdp.md has the mapping both ways.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsdp.h"

#include <gio/gio.h>
#include <gst/sdp/sdp.h>
#include <mctx.h>
#include <string.h>
#include <stdlib.h>

void
gst_mctx_sdp_stream_clear (GstMctxSdpStream * stream)
{
  guint i;

  g_clear_pointer (&stream->session_name, g_free);
  g_clear_pointer (&stream->origin_address, g_free);
  for (i = 0; i < G_N_ELEMENTS (stream->leg); i++) {
    GstMctxSdpLeg *leg = &stream->leg[i];

    g_clear_pointer (&leg->group, g_free);
    g_clear_pointer (&leg->sources, g_strfreev);
    g_clear_pointer (&leg->exclude_sources, g_strfreev);
    gst_clear_caps (&leg->caps);
    g_clear_pointer (&leg->mid, g_free);
  }
  memset (stream, 0, sizeof (*stream));
}

static gboolean
sdp_error (GError ** error, gint code, const gchar * format, ...)
{
  va_list ap;

  va_start (ap, format);
  if (error != NULL)
    *error = g_error_new_valist (MCTX_ERROR, code, format, ap);
  va_end (ap);
  return FALSE;
}

/* Text or the contents of the file it names. */
static gchar *
load_sdp (const gchar * path_or_text, GError ** error)
{
  const gchar *p = path_or_text;
  gchar *contents = NULL;
  GError *err = NULL;

  if (p == NULL || *p == '\0') {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE, "sdp: empty");
    return NULL;
  }
  while (g_ascii_isspace (*p))
    p++;
  if (g_str_has_prefix (p, "v="))
    return g_strdup (p);
  if (!g_file_get_contents (path_or_text, &contents, NULL, &err)) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp: '%s' is neither SDP text (starting with v=) nor a readable "
        "file: %s", path_or_text, err->message);
    g_error_free (err);
    return NULL;
  }
  /* (GStreamer's parser asserts on an empty buffer) */
  if (*g_strstrip (contents) == '\0') {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE, "sdp: file '%s' is empty",
        path_or_text);
    g_free (contents);
    return NULL;
  }
  return contents;
}

/* GstSDPMessage skips lines it does not understand; a file that is not
 * SDP at all should fail, naming the first line that is not "x=...". */
static gboolean
check_lines (const gchar * text, GError ** error)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; ok && lines[i] != NULL; i++) {
    gchar *l = g_strchomp (lines[i]);

    if (*l == '\0')
      continue;
    if (i == 0 && strcmp (l, "v=0") != 0)
      ok = sdp_error (error, MCTX_ERROR_INVALID_VALUE,
          "sdp: line 1 '%s': an SDP starts with v=0", l);
    else if (!g_ascii_islower (l[0]) || l[1] != '=')
      ok = sdp_error (error, MCTX_ERROR_INVALID_VALUE,
          "sdp: line %u '%s' is not an SDP line (<type>=<value>)", i + 1, l);
  }
  g_strfreev (lines);
  return ok;
}

static gchar *
media_line (const GstSDPMedia * media)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append_printf (s, "m=%s %u", gst_sdp_media_get_media (media),
      gst_sdp_media_get_port (media));
  if (gst_sdp_media_get_num_ports (media) > 1)
    g_string_append_printf (s, "/%u", gst_sdp_media_get_num_ports (media));
  g_string_append_printf (s, " %s", gst_sdp_media_get_proto (media));
  for (i = 0; i < gst_sdp_media_formats_len (media); i++)
    g_string_append_printf (s, " %s", gst_sdp_media_get_format (media, i));
  return g_string_free (s, FALSE);
}

/**
 * gst_mctx_sdp_is_ssm:
 * @group: (nullable): a group address (NULL, or not an IP address: %FALSE)
 *
 * Whether @group is source-specific, by libmctx's rule
 * (mctx_address_is_ssm()): the one test for the SDP code of both elements.
 */
gboolean
gst_mctx_sdp_is_ssm (const gchar * group)
{
  GInetAddress *inet = group ? g_inet_address_new_from_string (group) : NULL;
  MctxAddress a;

  if (inet == NULL)
    return FALSE;
  mctx_address_from_inet_address (inet, &a);
  g_object_unref (inet);
  return mctx_address_is_ssm (&a);
}

/* a=source-filter: <mode> IN <addrtype> <dest> <src>... (RFC 4570) */
static gboolean
parse_source_filter (const gchar * value, const gchar * where,
    const gchar * group, GPtrArray * incl, GPtrArray * excl, GError ** error)
{
  gchar **f = g_strsplit_set (value, " \t", -1);
  GPtrArray *tokens = g_ptr_array_new ();
  GInetAddress *dest_group = g_inet_address_new_from_string (group);
  gboolean ok = TRUE;
  guint i;

  for (i = 0; f[i] != NULL; i++)
    if (*f[i] != '\0')
      g_ptr_array_add (tokens, f[i]);

  if (tokens->len < 5 || (strcmp (tokens->pdata[0], "incl") != 0 &&
          strcmp (tokens->pdata[0], "excl") != 0) ||
      strcmp (tokens->pdata[1], "IN") != 0) {
    ok = sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp: %s a=source-filter:%s: expected 'incl|excl IN IP4|IP6|* "
        "<destination> <source>...'", where, value);
  } else {
    const gchar *dest = tokens->pdata[3];
    GInetAddress *d = g_inet_address_new_from_string (dest);

    /* a filter for another destination does not apply to this group */
    if (strcmp (dest, "*") == 0 || (d && g_inet_address_equal (d, dest_group))) {
      for (i = 4; ok && i < tokens->len; i++) {
        GInetAddress *src = g_inet_address_new_from_string (tokens->pdata[i]);

        if (src == NULL || g_inet_address_get_is_multicast (src) ||
            g_inet_address_get_family (src) !=
            g_inet_address_get_family (dest_group))
          ok = sdp_error (error, MCTX_ERROR_INVALID_SOURCE,
              "sdp: %s a=source-filter:%s: source '%s' is not a unicast "
              "address of the group's family", where, value,
              (gchar *) tokens->pdata[i]);
        else
          g_ptr_array_add (strcmp (tokens->pdata[0], "incl") == 0 ? incl :
              excl, g_strdup (tokens->pdata[i]));
        g_clear_object (&src);
      }
    }
    g_clear_object (&d);
  }
  g_clear_object (&dest_group);
  g_ptr_array_free (tokens, TRUE);
  g_strfreev (f);
  return ok;
}

static gchar **
take_strv (GPtrArray * a)
{
  if (a->len == 0) {
    g_ptr_array_free (a, TRUE);
    return NULL;
  }
  g_ptr_array_add (a, NULL);
  return (gchar **) g_ptr_array_free (a, FALSE);
}

static gboolean
source_filters (const GstSDPMessage * msg, const GstSDPMedia * media,
    const gchar * where, GstMctxSdpLeg * leg, GError ** error)
{
  GPtrArray *incl = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *excl = g_ptr_array_new_with_free_func (g_free);
  const gchar *v;
  guint i;
  gboolean ok = TRUE, media_level = FALSE;

  /* media-level filters replace session-level ones (RFC 4570 3.2) */
  for (i = 0; ok && (v = gst_sdp_media_get_attribute_val_n (media,
              "source-filter", i)) != NULL; i++) {
    media_level = TRUE;
    ok = parse_source_filter (v, where, leg->group, incl, excl, error);
  }
  for (i = 0; ok && !media_level && (v = gst_sdp_message_get_attribute_val_n
          (msg, "source-filter", i)) != NULL; i++)
    ok = parse_source_filter (v, "session", leg->group, incl, excl, error);

  if (ok && incl->len > 0 && excl->len > 0)
    ok = sdp_error (error, MCTX_ERROR_INCLUDE_AND_EXCLUDE,
        "sdp: %s: both incl and excl source filters apply to group %s",
        where, leg->group);
  if (!ok) {
    g_ptr_array_free (incl, TRUE);
    g_ptr_array_free (excl, TRUE);
    return FALSE;
  }
  leg->sources = take_strv (incl);
  leg->exclude_sources = take_strv (excl);
  return TRUE;
}

/* Attributes mctx reads or writes as transport settings, not stream
 * properties: kept out of the caps, so that caps passed from an mctxsrc
 * to an mctxsink do not write them twice. */
static void
strip_transport_fields (GstCaps * caps)
{
  guint i;

  for (i = 0; i < gst_caps_get_size (caps); i++)
    gst_structure_remove_fields (gst_caps_get_structure (caps, i), "a-mid",
        "a-group", "a-source-filter", NULL);
}

static gboolean
fill_leg (const GstSDPMessage * msg, guint index, GstMctxSdpLeg * leg,
    GError ** error)
{
  const GstSDPMedia *media = gst_sdp_message_get_media (msg, index);
  const GstSDPConnection *conn = NULL;
  GInetAddress *addr;
  gchar *mline = media_line (media);
  gchar *where = g_strdup_printf ("media %u (%s)", index, mline);
  const gchar *proto = gst_sdp_media_get_proto (media);
  const gchar *fmt;
  gint pt;
  gboolean ok = FALSE;

  leg->media_index = index;
  leg->mid = g_strdup (gst_sdp_media_get_attribute_val (media, "mid"));

  if (g_strcmp0 (proto, "RTP/AVP") != 0 && g_strcmp0 (proto, "RTP/AVPF") != 0) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp: %s: transport '%s' is not supported (RTP/AVP or RTP/AVPF over "
        "UDP)", where, GST_STR_NULL (proto));
    goto out;
  }
  leg->port = gst_sdp_media_get_port (media);
  if (leg->port == 0 || leg->port > 65535) {
    sdp_error (error, MCTX_ERROR_INVALID_PORT,
        "sdp: %s: port %u is not usable (0 disables the media)", where,
        leg->port);
    goto out;
  }
  if (gst_sdp_media_get_num_ports (media) > 1) {
    sdp_error (error, MCTX_ERROR_INVALID_PORT,
        "sdp: %s: %u ports (layered encoding) are not supported", where,
        gst_sdp_media_get_num_ports (media));
    goto out;
  }

  if (gst_sdp_media_connections_len (media) > 0)
    conn = gst_sdp_media_get_connection (media, 0);
  else if (msg->connection.address != NULL && *msg->connection.address)
    conn = &msg->connection;
  if (conn == NULL || conn->address == NULL) {
    sdp_error (error, MCTX_ERROR_INVALID_ADDRESS,
        "sdp: %s: no connection address (no c= line in the media or the "
        "session)", where);
    goto out;
  }
  if (g_strcmp0 (conn->nettype, "IN") != 0 ||
      (g_strcmp0 (conn->addrtype, "IP4") != 0 &&
          g_strcmp0 (conn->addrtype, "IP6") != 0)) {
    sdp_error (error, MCTX_ERROR_INVALID_ADDRESS,
        "sdp: %s: c=%s %s %s: network type must be IN, address type IP4 or "
        "IP6", where, GST_STR_NULL (conn->nettype),
        GST_STR_NULL (conn->addrtype), conn->address);
    goto out;
  }
  addr = g_inet_address_new_from_string (conn->address);
  if (addr == NULL || !g_inet_address_get_is_multicast (addr) ||
      g_inet_address_get_family (addr) !=
      (strcmp (conn->addrtype, "IP4") == 0 ? G_SOCKET_FAMILY_IPV4 :
          G_SOCKET_FAMILY_IPV6)) {
    sdp_error (error, addr ? MCTX_ERROR_NOT_MULTICAST :
        MCTX_ERROR_INVALID_ADDRESS,
        "sdp: %s: c=IN %s %s: %s", where, conn->addrtype, conn->address,
        addr == NULL ? "not an address" :
        !g_inet_address_get_is_multicast (addr) ?
        "a unicast address; mctxsrc needs a multicast group" :
        "the address is not of the c= line's address type");
    g_clear_object (&addr);
    goto out;
  }
  if (conn->addr_number > 1) {
    sdp_error (error, MCTX_ERROR_INVALID_ADDRESS,
        "sdp: %s: c=IN %s %s: %u addresses (layered encoding) are not "
        "supported", where, conn->addrtype, conn->address, conn->addr_number);
    g_object_unref (addr);
    goto out;
  }
  leg->group = g_strdup (conn->address);
  leg->ttl = (strcmp (conn->addrtype, "IP4") == 0 && conn->ttl > 0) ?
      (gint) conn->ttl : -1;

  if (!source_filters (msg, media, where, leg, error)) {
    g_object_unref (addr);
    goto out;
  }
  if (gst_mctx_sdp_is_ssm (leg->group) && leg->sources == NULL) {
    sdp_error (error, MCTX_ERROR_SSM_NEEDS_SOURCES,
        "sdp: %s: group %s is source-specific but no a=source-filter: incl "
        "line names its source", where, leg->group);
    g_object_unref (addr);
    goto out;
  }
  g_object_unref (addr);

  fmt = gst_sdp_media_get_format (media, 0);
  pt = fmt ? atoi (fmt) : -1;
  if (fmt == NULL || pt < 0 || pt > 127) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp: %s: payload type '%s' is not an RTP payload type (0..127)",
        where, GST_STR_NULL (fmt));
    goto out;
  }
  leg->caps = gst_sdp_media_get_caps_from_media (media, pt);
  if (leg->caps == NULL) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp: %s: payload type %d has no a=rtpmap (and is not a static "
        "payload type)", where, pt);
    goto out;
  }
  gst_structure_set_name (gst_caps_get_structure (leg->caps, 0),
      "application/x-rtp");
  gst_sdp_message_attributes_to_caps (msg, leg->caps);
  gst_sdp_media_attributes_to_caps (media, leg->caps);
  strip_transport_fields (leg->caps);
  ok = TRUE;

out:
  g_free (where);
  g_free (mline);
  return ok;
}

static gint
media_by_mid (const GstSDPMessage * msg, const gchar * mid)
{
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (msg); i++)
    if (g_strcmp0 (gst_sdp_media_get_attribute_val (gst_sdp_message_get_media
                (msg, i), "mid"), mid) == 0)
      return i;
  return -1;
}

/* The mids of the session's a=group:DUP lines, each group a strv. */
static GPtrArray *
dup_groups (const GstSDPMessage * msg)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_strfreev);
  const gchar *v;
  guint i;

  for (i = 0; (v = gst_sdp_message_get_attribute_val_n (msg, "group", i)); i++) {
    gchar **t;

    if (!g_str_has_prefix (v, "DUP "))
      continue;
    t = g_strsplit_set (v + 4, " \t", -1);
    g_ptr_array_add (groups, t);
  }
  return groups;
}

static gchar *
mid_list (const GstSDPMessage * msg)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < gst_sdp_message_medias_len (msg); i++) {
    const gchar *mid = gst_sdp_media_get_attribute_val
        (gst_sdp_message_get_media (msg, i), "mid");

    if (mid != NULL)
      g_string_append_printf (s, "%s%s", s->len ? ", " : "", mid);
  }
  return g_string_free (s, FALSE);
}

/**
 * gst_mctx_sdp_parse:
 * @path_or_text: SDP text (starting with "v=") or the path of an SDP file
 * @media_selector: (nullable): an m= index ("0", "1", ...: all digits),
 *   else an a=mid value ("mid:2" for a mid made of digits); NULL: the
 *   first leg of an a=group:DUP, else media 0
 * @out: (out caller-allocates): the stream; clear it with
 *   gst_mctx_sdp_stream_clear()
 * @error: MCTX_ERROR naming the line, field and value
 *
 * When the selected media's mid is in an a=group:DUP, the other mid of
 * that group becomes leg[1] (has_redundant).
 */
gboolean
gst_mctx_sdp_parse (const gchar * path_or_text, const gchar * media_selector,
    GstMctxSdpStream * out, GError ** error)
{
  GstSDPMessage *msg = NULL;
  GPtrArray *dups = NULL;
  gchar *text;
  gint primary = -1, redundant = -1;
  guint n, i, j;
  gboolean ok = FALSE;

  memset (out, 0, sizeof (*out));
  text = load_sdp (path_or_text, error);
  if (text == NULL)
    return FALSE;
  if (!check_lines (text, error))
    goto out;
  gst_sdp_message_new (&msg);
  if (gst_sdp_message_parse_buffer ((const guint8 *) text, strlen (text),
          msg) != GST_SDP_OK) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE, "sdp: not parsable as SDP");
    goto out;
  }
  n = gst_sdp_message_medias_len (msg);
  if (n == 0) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE, "sdp: no media (m= line)");
    goto out;
  }
  dups = dup_groups (msg);

  if (media_selector == NULL || *media_selector == '\0') {
    if (dups->len > 0) {
      gchar **first = g_ptr_array_index (dups, 0);

      primary = first[0] ? media_by_mid (msg, first[0]) : -1;
      if (primary < 0) {
        sdp_error (error, MCTX_ERROR_INVALID_VALUE,
            "sdp: a=group:DUP names mid '%s', but no m= line has "
            "a=mid:%s", GST_STR_NULL (first[0]), GST_STR_NULL (first[0]));
        goto out;
      }
    } else {
      primary = 0;
    }
  } else if (g_ascii_isdigit (media_selector[0]) &&
      strspn (media_selector, "0123456789") == strlen (media_selector)) {
    guint64 idx = g_ascii_strtoull (media_selector, NULL, 10);

    if (idx >= n) {
      sdp_error (error, MCTX_ERROR_INVALID_VALUE,
          "sdp-media %s: out of range, the SDP has %u media (m= lines, "
          "0..%u)", media_selector, n, n - 1);
      goto out;
    }
    primary = (gint) idx;
  } else {
    /* "mid:" forces a mid, for mids made of digits */
    const gchar *mid = g_str_has_prefix (media_selector, "mid:") ?
        media_selector + 4 : media_selector;

    primary = media_by_mid (msg, mid);
    if (primary < 0) {
      gchar *mids = mid_list (msg);

      sdp_error (error, MCTX_ERROR_INVALID_VALUE,
          "sdp-media '%s': no m= line has a=mid:%s (mids: %s)",
          media_selector, mid, *mids ? mids : "none");
      g_free (mids);
      goto out;
    }
  }

  /* RFC 7104: the other member of the primary's DUP group is leg 2 */
  {
    const gchar *pmid = gst_sdp_media_get_attribute_val
        (gst_sdp_message_get_media (msg, primary), "mid");

    for (i = 0; pmid != NULL && redundant < 0 && i < dups->len; i++) {
      gchar **g = g_ptr_array_index (dups, i);

      if (!g_strv_contains ((const gchar * const *) g, pmid))
        continue;
      for (j = 0; g[j] != NULL; j++) {
        if (*g[j] == '\0' || strcmp (g[j], pmid) == 0)
          continue;
        redundant = media_by_mid (msg, g[j]);
        if (redundant < 0) {
          sdp_error (error, MCTX_ERROR_INVALID_VALUE,
              "sdp: a=group:DUP names mid '%s', but no m= line has "
              "a=mid:%s", g[j], g[j]);
          goto out;
        }
        break;
      }
    }
  }

  if (!fill_leg (msg, primary, &out->leg[0], error))
    goto out;
  if (redundant >= 0) {
    if (!fill_leg (msg, redundant, &out->leg[1], error))
      goto out;
    out->has_redundant = TRUE;
  }
  out->session_name = g_strdup (gst_sdp_message_get_session_name (msg));
  if (gst_sdp_message_get_origin (msg) != NULL)
    out->origin_address = g_strdup (gst_sdp_message_get_origin (msg)->addr);
  ok = TRUE;

out:
  if (!ok)
    gst_mctx_sdp_stream_clear (out);
  if (dups)
    g_ptr_array_unref (dups);
  if (msg)
    gst_sdp_message_free (msg);
  g_free (text);
  return ok;
}

guint64
gst_mctx_sdp_ntp_now (void)
{
  /* seconds since 1900, as RFC 4566 suggests for o= ids */
  return (guint64) (g_get_real_time () / G_USEC_PER_SEC) +
      G_GUINT64_CONSTANT (2208988800);
}

static const gchar *
addrtype_of (const gchar * address, GInetAddress ** out)
{
  GInetAddress *a = g_inet_address_new_from_string (address);
  const gchar *t = NULL;

  if (a != NULL)
    t = g_inet_address_get_family (a) == G_SOCKET_FAMILY_IPV4 ? "IP4" : "IP6";
  if (out)
    *out = a;
  else
    g_clear_object (&a);
  return t;
}

static gboolean
add_leg (GstSDPMessage * msg, const GstMctxSdpLeg * leg, guint i,
    guint n_legs, GError ** error)
{
  GstSDPMedia *media;
  GstCaps *caps = NULL;
  GInetAddress *group = NULL;
  const gchar *t = leg->group ? addrtype_of (leg->group, &group) : NULL;
  gboolean ok = FALSE;

  if (t == NULL || !g_inet_address_get_is_multicast (group)) {
    g_clear_object (&group);
    return sdp_error (error, MCTX_ERROR_NOT_MULTICAST,
        "sdp leg %u: group '%s' is not a multicast address", i,
        GST_STR_NULL (leg->group));
  }
  if (leg->port == 0 || leg->port > 65535) {
    g_object_unref (group);
    return sdp_error (error, MCTX_ERROR_INVALID_PORT,
        "sdp leg %u: port %u (1..65535)", i, leg->port);
  }
  if (gst_mctx_sdp_is_ssm (leg->group)
      && (leg->sources == NULL || leg->sources[0] == NULL)) {
    g_object_unref (group);
    return sdp_error (error, MCTX_ERROR_SSM_NEEDS_SOURCES,
        "sdp leg %u: group %s is source-specific: the sender's source "
        "address is needed for a=source-filter", i, leg->group);
  }
  gst_sdp_media_new (&media);
  if (leg->caps != NULL) {
    caps = gst_caps_copy (leg->caps);
    strip_transport_fields (caps);
  }
  if (caps == NULL || gst_sdp_media_set_media_from_caps (caps, media) !=
      GST_SDP_OK) {
    gchar *c = leg->caps ? gst_caps_to_string (leg->caps) : NULL;

    sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp leg %u: caps '%s' are not RTP caps with media, payload, "
        "clock-rate and encoding-name", i, GST_STR_NULL (c));
    g_free (c);
    goto out;
  }
  gst_sdp_media_set_proto (media, "RTP/AVP");
  gst_sdp_media_set_port_info (media, leg->port, 1);
  /* RFC 4566: an IPv4 multicast c= carries the TTL; IPv6 has none */
  gst_sdp_media_add_connection (media, "IN", t, leg->group,
      strcmp (t, "IP4") == 0 ? (leg->ttl >= 0 ? leg->ttl : 1) : 0, 1);
  if (leg->sources != NULL && leg->sources[0] != NULL) {
    gchar *srcs = g_strjoinv (" ", leg->sources);
    gchar *v = g_strdup_printf (" incl IN %s %s %s", t, leg->group, srcs);

    gst_sdp_media_add_attribute (media, "source-filter", v);
    g_free (v);
    g_free (srcs);
  }
  if (n_legs > 1) {
    gchar *mid = g_strdup_printf ("%u", i + 1);

    gst_sdp_media_add_attribute (media, "mid", mid);
    g_free (mid);
  }
  gst_sdp_message_add_media (msg, media);
  ok = TRUE;

out:
  gst_sdp_media_free (media);
  gst_clear_caps (&caps);
  g_object_unref (group);
  return ok;
}

/**
 * gst_mctx_sdp_build:
 * @desc: the session and its one or two legs
 * @error: MCTX_ERROR naming the leg and field
 *
 * Returns: (transfer full): the SDP text (CRLF line ends), or NULL
 */
gchar *
gst_mctx_sdp_build (const GstMctxSdpDescription * desc, GError ** error)
{
  GstSDPMessage *msg;
  const gchar *otype;
  gchar *id, *version, *text = NULL;
  guint i;

  g_return_val_if_fail (desc != NULL, NULL);

  if (desc->n_legs < 1 || desc->n_legs > 2 || desc->legs == NULL) {
    sdp_error (error, MCTX_ERROR_INVALID_VALUE,
        "sdp: %u legs (1, or 2 for a redundant pair)", desc->n_legs);
    return NULL;
  }
  otype = desc->origin_address ? addrtype_of (desc->origin_address, NULL) :
      NULL;
  if (otype == NULL) {
    sdp_error (error, MCTX_ERROR_INVALID_SOURCE,
        "sdp: origin address '%s' is not an IP address",
        GST_STR_NULL (desc->origin_address));
    return NULL;
  }

  gst_sdp_message_new (&msg);
  gst_sdp_message_set_version (msg, "0");
  id = g_strdup_printf ("%" G_GUINT64_FORMAT, desc->session_id);
  version = g_strdup_printf ("%" G_GUINT64_FORMAT, desc->session_version);
  gst_sdp_message_set_origin (msg, "-", id, version, "IN", otype,
      desc->origin_address);
  g_free (id);
  g_free (version);
  gst_sdp_message_set_session_name (msg, desc->session_name &&
      *desc->session_name ? desc->session_name : "mctx");
  gst_sdp_message_add_time (msg, "0", "0", NULL);
  if (desc->n_legs == 2)
    gst_sdp_message_add_attribute (msg, "group", "DUP 1 2");

  for (i = 0; i < desc->n_legs; i++)
    if (!add_leg (msg, &desc->legs[i], i, desc->n_legs, error))
      goto out;
  text = gst_sdp_message_as_text (msg);

out:
  gst_sdp_message_free (msg);
  return text;
}
