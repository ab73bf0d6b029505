/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-address.h"

G_BEGIN_DECLS

/**
 * MctxSendReport:
 * @destination: the group and port the datagram went to
 * @local_address: the effective local (source) address and port
 * @bytes_sent: bytes handed to the kernel
 * @datagrams_sent: datagrams handed to the kernel
 *
 * What one send did. Returned by mctx_publication_send_with_report().
 */
typedef struct
{
  GInetSocketAddress *destination;
  GInetSocketAddress *local_address;
  gsize bytes_sent;
  guint datagrams_sent;
} MctxSendReport;

#define MCTX_TYPE_SEND_REPORT (mctx_send_report_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_send_report_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxSendReport *mctx_send_report_copy (const MctxSendReport * report);
MCTX_AVAILABLE_IN_ALL
void mctx_send_report_free (MctxSendReport * report);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_send_report_get_source_address (const MctxSendReport * report);

/**
 * MctxPublicationStats:
 * @packets_sent: datagrams the kernel accepted
 * @bytes_sent: payload bytes the kernel accepted
 * @would_block: sends refused because the socket buffer was full
 * @send_errors: datagrams refused for any other reason
 *
 * Counters of one publication, read with mctx_publication_get_stats().
 */
typedef struct
{
  guint64 packets_sent;
  guint64 bytes_sent;
  guint64 would_block;
  guint64 send_errors;
} MctxPublicationStats;

#define MCTX_TYPE_PUBLICATION (mctx_publication_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxPublication, mctx_publication, MCTX, PUBLICATION,
    GObject)

MCTX_AVAILABLE_IN_ALL
MctxPublication *mctx_publication_new (const gchar * group, guint port);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_validate (MctxPublication * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_open (MctxPublication * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_publication_close (MctxPublication * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_is_open (MctxPublication * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_wait_writable (MctxPublication * self, gint64 timeout_us,
    GCancellable * cancellable, GError ** error);
MCTX_AVAILABLE_IN_ALL
gint mctx_publication_get_fd (MctxPublication * self);

MCTX_AVAILABLE_IN_ALL
gssize mctx_publication_send (MctxPublication * self, const guint8 * data,
    gsize size, GError ** error);
MCTX_AVAILABLE_IN_ALL
MctxSendReport *mctx_publication_send_with_report (MctxPublication * self,
    const guint8 * data, gsize size, GError ** error);
MCTX_AVAILABLE_IN_ALL
gssize mctx_publication_send_vectors (MctxPublication * self,
    const GOutputVector * vectors, guint n_vectors, GError ** error);
MCTX_AVAILABLE_IN_ALL
gint mctx_publication_send_messages (MctxPublication * self,
    GOutputMessage * messages, guint n_messages, GError ** error);

MCTX_AVAILABLE_IN_ALL
const gchar *mctx_publication_get_group (MctxPublication * self);
MCTX_AVAILABLE_IN_ALL
guint mctx_publication_get_port (MctxPublication * self);
MCTX_AVAILABLE_IN_ALL
const gchar *mctx_publication_get_source (MctxPublication * self);
MCTX_AVAILABLE_IN_ALL
GInetSocketAddress *mctx_publication_get_local_address (MctxPublication *
    self);
MCTX_AVAILABLE_IN_ALL
guint mctx_publication_get_effective_interface_index (MctxPublication * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_get_announce_tuple (MctxPublication * self,
    gchar ** source, gchar ** group, guint * port);
MCTX_AVAILABLE_IN_ALL
void mctx_publication_get_stats (MctxPublication * self,
    MctxPublicationStats * stats);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_set_ttl (MctxPublication * self, gint ttl,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_set_loop (MctxPublication * self, gboolean loop,
    GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_publication_set_dscp (MctxPublication * self, gint dscp,
    GError ** error);

G_END_DECLS
