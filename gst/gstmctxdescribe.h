/* mctxsink's SDP output: the file (sdp-location), the readable SDP (sdp)
 * and the SAP announcements (announce), kept in step with the caps.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include "gstmctxsdp.h"

G_BEGIN_DECLS

/* The sink's properties as they are when the caps (or the sink's
 * address) change; the describer copies what it keeps. */
typedef struct
{
  const gchar *session_name;    /* session-name */
  const gchar *location;        /* sdp-location, NULL: no file */
  gboolean announce;            /* announce */
  guint announce_interval;      /* announce-interval, seconds */
  const gchar *interface;       /* the stream's outgoing interface or NULL */
  gint ttl;                     /* the stream's ttl */
  const gchar *source;          /* the sink's source property, or NULL */
  const gchar *origin_address;  /* effective source address of the stream */
} GstMctxDescribeConfig;

typedef struct _GstMctxDescriber GstMctxDescriber;

GstMctxDescriber *gst_mctx_describer_new (void);
void gst_mctx_describer_free (GstMctxDescriber * self);

gboolean gst_mctx_describer_update (GstMctxDescriber * self,
    const GstMctxDescribeConfig * config, const GstMctxSdpLeg * legs,
    guint n_legs, GError ** error);
gchar *gst_mctx_describer_dup_sdp (GstMctxDescriber * self);
guint64 gst_mctx_describer_get_version (GstMctxDescriber * self);
void gst_mctx_describer_stop (GstMctxDescriber * self);

G_END_DECLS
