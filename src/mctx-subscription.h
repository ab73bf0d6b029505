/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "mctx-inside.h"

#include <gio/gio.h>
#include "mctx-version.h"
#include "mctx-address.h"

G_BEGIN_DECLS

/**
 * MctxPacketInfo:
 * @source: the sender's address
 * @source_port: the sender's UDP port
 * @destination: the destination (group) address of the datagram
 * @interface_index: the interface the datagram arrived on
 * @timestamp_ns: kernel receive time, nanoseconds since the Unix epoch
 *   (CLOCK_REALTIME), or 0 when the kernel gave none
 * @size: bytes stored in the caller's buffer
 * @wire_size: the datagram's full size; larger than @size when truncated
 * @truncated: the datagram did not fit the buffer
 *
 * Per-datagram metadata, filled by the receive functions without allocating.
 */
typedef struct
{
  MctxAddress source;
  guint16 source_port;
  MctxAddress destination;
  guint interface_index;
  gint64 timestamp_ns;
  gsize size;
  gsize wire_size;
  gboolean truncated;
} MctxPacketInfo;

/**
 * MctxMessage:
 * @buffer: (array length=buffer_size): where the datagram goes (caller's)
 * @buffer_size: size of @buffer
 * @user_data: caller's pointer that travels with @buffer
 * @info: filled on receive
 *
 * One slot of a batch receive. Datagrams that are filtered out are dropped
 * inside mctx_subscription_receive_messages(), which compacts the array by
 * swapping whole slots: after the call, slot i holds the i-th accepted
 * datagram, and @buffer / @user_data moved with it.
 */
typedef struct
{
  guint8 *buffer;
  gsize buffer_size;
  gpointer user_data;
  MctxPacketInfo info;
} MctxMessage;

/**
 * MctxSubscriptionStats:
 * @packets_received: datagrams delivered to the caller
 * @bytes_received: bytes delivered to the caller (of datagrams as sent)
 * @kernel_drops: datagrams the kernel dropped for this socket because its
 *   receive buffer was full (SO_RXQ_OVFL)
 * @filtered: datagrams dropped because of their destination, source or
 *   arrival interface
 * @truncated: datagrams larger than the caller's buffer
 * @interface_changes: interfaces lost (deleted) or rejoined (recreated)
 *   while open
 *
 * Counters of one subscription.
 */
typedef struct
{
  guint64 packets_received;
  guint64 bytes_received;
  guint64 kernel_drops;
  guint64 filtered;
  guint64 truncated;
  guint64 interface_changes;
} MctxSubscriptionStats;

#define MCTX_TYPE_PACKET_INFO (mctx_packet_info_get_type ())
MCTX_AVAILABLE_IN_ALL
GType mctx_packet_info_get_type (void) G_GNUC_CONST;
MCTX_AVAILABLE_IN_ALL
MctxPacketInfo *mctx_packet_info_copy (const MctxPacketInfo * info);
MCTX_AVAILABLE_IN_ALL
void mctx_packet_info_free (MctxPacketInfo * info);
MCTX_AVAILABLE_IN_ALL
GInetSocketAddress *mctx_packet_info_get_sender (const MctxPacketInfo * info);
MCTX_AVAILABLE_IN_ALL
gchar *mctx_packet_info_get_destination_string (const MctxPacketInfo * info);

#define MCTX_TYPE_SUBSCRIPTION (mctx_subscription_get_type ())
MCTX_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (MctxSubscription, mctx_subscription, MCTX,
    SUBSCRIPTION, GObject)

MCTX_AVAILABLE_IN_ALL
MctxSubscription *mctx_subscription_new (const gchar * group, guint port);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_validate (MctxSubscription * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_open (MctxSubscription * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
void mctx_subscription_close (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_is_open (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_wait_readable (MctxSubscription * self, gint64 timeout_us,
    GCancellable * cancellable, GError ** error);
MCTX_AVAILABLE_IN_ALL
gint mctx_subscription_get_fd (MctxSubscription * self);

MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_join (MctxSubscription * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_leave (MctxSubscription * self, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_is_joined (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_add_interface (MctxSubscription * self,
    const gchar * spec, GError ** error);
MCTX_AVAILABLE_IN_ALL
gboolean mctx_subscription_remove_interface (MctxSubscription * self,
    const gchar * spec, GError ** error);

MCTX_AVAILABLE_IN_ALL
gssize mctx_subscription_receive (MctxSubscription * self, guint8 * buffer,
    gsize size, MctxPacketInfo * info, GError ** error);
MCTX_AVAILABLE_IN_ALL
GBytes *mctx_subscription_receive_bytes (MctxSubscription * self,
    gsize max_size, MctxPacketInfo ** info, GError ** error);
MCTX_AVAILABLE_IN_ALL
gint mctx_subscription_receive_messages (MctxSubscription * self,
    MctxMessage * messages, guint n_messages, GError ** error);

MCTX_AVAILABLE_IN_ALL
gint mctx_subscription_get_monitor_fd (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
void mctx_subscription_process_interface_events (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
const gchar *mctx_subscription_get_group (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
guint mctx_subscription_get_port (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
GArray *mctx_subscription_get_interface_indexes (MctxSubscription * self);
MCTX_AVAILABLE_IN_ALL
gint mctx_subscription_get_actual_receive_buffer_size (MctxSubscription *
    self);
MCTX_AVAILABLE_IN_ALL
void mctx_subscription_get_stats (MctxSubscription * self,
    MctxSubscriptionStats * stats);

G_END_DECLS
