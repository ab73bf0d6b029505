/* SDP in and out for mctxsrc / mctxsink (issue #15), on GStreamer's SDP
 * library.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* One leg: one m= section (RFC 7104 a=group:DUP pairs two of them). */
typedef struct
{
  gchar *group;                 /* c= address without /ttl */
  guint port;                   /* m= port */
  gint ttl;                     /* IPv4 c= /ttl; -1: none (IPv6, absent) */
  gchar **sources;              /* a=source-filter: incl; NULL when none */
  gchar **exclude_sources;      /* a=source-filter: excl; NULL when none */
  GstCaps *caps;                /* application/x-rtp from rtpmap/fmtp */
  gchar *mid;                   /* a=mid, or NULL */
  guint media_index;            /* index of the m= line */
} GstMctxSdpLeg;

/* What gst_mctx_sdp_parse() gives mctxsrc. */
typedef struct
{
  gchar *session_name;          /* s= */
  gchar *origin_address;        /* o= unicast address */
  GstMctxSdpLeg leg[2];         /* leg[1] set when has_redundant */
  gboolean has_redundant;
} GstMctxSdpStream;

void gst_mctx_sdp_stream_clear (GstMctxSdpStream * stream);

gboolean gst_mctx_sdp_parse (const gchar * path_or_text,
    const gchar * media_selector, GstMctxSdpStream * out, GError ** error);

/* What mctxsink knows, for gst_mctx_sdp_build(). Only the fields named
 * here are read from the legs: group, port, ttl, sources (the sender's
 * own source for a=source-filter, needed for SSM groups), caps. */
typedef struct
{
  const gchar *session_name;    /* s=; NULL or "": "mctx" */
  const gchar *origin_address;  /* o= address: the effective source */
  guint64 session_id;           /* o= sess-id: stable for the sink */
  guint64 session_version;      /* o= sess-version: bumped on caps change */
  const GstMctxSdpLeg *legs;    /* 1 or 2 legs */
  guint n_legs;
} GstMctxSdpDescription;

gchar *gst_mctx_sdp_build (const GstMctxSdpDescription * desc,
    GError ** error);

gboolean gst_mctx_sdp_is_ssm (const gchar * group);

/* An NTP-format timestamp of now (RFC 4566's suggestion for o= ids). */
guint64 gst_mctx_sdp_ntp_now (void);

G_END_DECLS
