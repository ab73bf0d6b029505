/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsrcbatch.c: mctxsrc's receive memory. A batch is read into one
 * large block, an arena, and each datagram's buffer wraps its region
 * (read-only) and holds a reference on the arena: per datagram only the
 * buffer and its memory header are allocated. (A wrap with a release
 * function costs about half the instructions of a gst_memory_share() of
 * one parent memory, which locks and links the parent every time.) Batch
 * after batch fill the arena from the front, and when the rest is too small
 * for a full batch it is retired. A retired arena comes back once
 * downstream has released every buffer of it (its refcount is ours alone
 * again), so at a steady state nothing large is allocated.
 *
 * With preserve-packetization=false the datagrams of a batch are moved
 * together in the memory and pushed as one buffer (byte streams).
 *
 * Times come from the kernel: each datagram's receive time (CLOCK_REALTIME)
 * is mapped onto the pipeline clock with one read of each clock per batch.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsrc.h"

#include <gst/net/gstnetaddressmeta.h>
#include <string.h>
#include <time.h>

#define GST_CAT_DEFAULT gst_mctx_debug

/* datagram regions start on this alignment */
#define SLOT_ALIGN 16
/* an arena holds at least this many bytes (several small batches) */
#define ARENA_MIN_SIZE (256 * 1024)
/* retired arenas waiting for downstream to release them */
#define N_SPARES 4
/* senders whose GSocketAddress is kept (direct-mapped) */
#define N_SENDERS 16
/* at most one warning about too large datagrams per this many microseconds */

/* a block shared by the buffers made from it: one reference is ours (while
 * it is current or a spare), one per buffer */
typedef struct
{
  gint ref;
  guint8 *data;
} ArenaBlock;

typedef struct
{
  ArenaBlock *block;
  guint8 *data;                 /* block->data, NULL when none */
} Arena;

typedef struct
{
  MctxAddress addr;
  guint16 port;
  GSocketAddress *sockaddr;
} Sender;

struct _GstMctxSrcBatch
{
  gsize stride;                 /* bytes per datagram slot */
  gsize arena_size;
  Arena cur;
  gsize offset;                 /* first free byte of cur */
  Arena spares[N_SPARES];
  guint next_spare;
  Sender senders[N_SENDERS];
  gboolean byte_stream;
};

static GstCaps *unix_caps;

static const GEnumValue socket_timestamp_values[] = {
  {GST_MCTX_SOCKET_TIMESTAMP_DISABLED, "Disable additional timestamps",
      "disabled"},
  {GST_MCTX_SOCKET_TIMESTAMP_REALTIME,
        "Timestamp with the kernel's receive time (CLOCK_REALTIME, ns)",
      "realtime"},
  {0, NULL, NULL}
};

GType
gst_mctx_socket_timestamp_mode_get_type (void)
{
  static gsize type;

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstMctxSocketTimestampMode",
        socket_timestamp_values);

    g_once_init_leave (&type, t);
  }
  return type;
}

void
gst_mctx_src_batch_class_init (void)
{
  unix_caps = gst_caps_new_empty_simple ("timestamp/x-unix");
  GST_MINI_OBJECT_FLAG_SET (unix_caps, GST_MINI_OBJECT_FLAG_MAY_BE_LEAKED);
}

static void
arena_block_unref (gpointer data)
{
  ArenaBlock *block = data;

  if (g_atomic_int_dec_and_test (&block->ref)) {
    g_free (block->data);
    g_free (block);
  }
}

static void
arena_clear (Arena * a)
{
  g_clear_pointer (&a->block, arena_block_unref);
  a->data = NULL;
}

static gboolean
arena_new (Arena * a, gsize size)
{
  guint8 *data = g_try_malloc (size);

  if (data == NULL)
    return FALSE;
  a->block = g_new (ArenaBlock, 1);
  a->block->ref = 1;
  a->block->data = a->data = data;
  return TRUE;
}

static inline gboolean
arena_is_free (const Arena * a)
{
  return a->block && g_atomic_int_get (&a->block->ref) == 1;
}

/* Gives the batch a fresh arena: the current one again, a released spare,
 * or a new one (the current one waits among the spares). */
static gboolean
batch_next_arena (GstMctxSrcBatch * b)
{
  Arena victim;
  guint i;

  b->offset = 0;
  if (b->cur.block == NULL)
    return arena_new (&b->cur, b->arena_size);
  if (arena_is_free (&b->cur))
    return TRUE;
  for (i = 0; i < N_SPARES; i++) {
    if (arena_is_free (&b->spares[i])) {
      Arena tmp = b->cur;

      b->cur = b->spares[i];
      b->spares[i] = tmp;
      return TRUE;
    }
  }
  /* none released yet: the oldest spare goes (its memory lives on in the
   * buffers downstream holds) */
  victim = b->spares[b->next_spare];
  b->spares[b->next_spare] = b->cur;
  b->next_spare = (b->next_spare + 1) % N_SPARES;
  b->cur.block = NULL;
  arena_clear (&victim);
  return arena_new (&b->cur, b->arena_size);
}

/* after gst_mctx_src_merge_start(): the merge reads into buffers of its
 * own pool and uses only the sender cache, so it gets no arena and no
 * messages */
gboolean
gst_mctx_src_batch_start (GstMctxSrc * src)
{
  GstMctxSrcBatch *b = g_new0 (GstMctxSrcBatch, 1);

  src->batch = b;
  if (src->merge != NULL)
    return TRUE;
  b->stride = GST_ROUND_UP_N ((gsize) src->cur_mtu, SLOT_ALIGN);
  b->arena_size = MAX (b->stride * src->cur_batch, ARENA_MIN_SIZE);
  b->byte_stream = !gst_mctx_src_get_number (src, "preserve-packetization");
  src->n_slots = src->cur_batch;
  src->messages = g_new0 (MctxMessage, src->n_slots);
  return batch_next_arena (b);
}

void
gst_mctx_src_batch_stop (GstMctxSrc * src)
{
  GstMctxSrcBatch *b = src->batch;
  guint i;

  if (b) {
    arena_clear (&b->cur);
    for (i = 0; i < N_SPARES; i++)
      arena_clear (&b->spares[i]);
    for (i = 0; i < N_SENDERS; i++)
      g_clear_object (&b->senders[i].sockaddr);
    g_clear_pointer (&src->batch, g_free);
  }
  g_clear_pointer (&src->messages, g_free);
  src->n_slots = 0;
}

/* Points every slot at its region of the arena, a full batch of them. */
gboolean
gst_mctx_src_batch_prepare (GstMctxSrc * src)
{
  GstMctxSrcBatch *b = src->batch;
  guint8 *base;
  guint i;

  if (b->offset + b->stride * src->n_slots > b->arena_size
      && !batch_next_arena (b))
    return FALSE;
  base = b->cur.data + b->offset;
  for (i = 0; i < src->n_slots; i++) {
    src->messages[i].buffer = base + i * b->stride;
    src->messages[i].buffer_size = src->cur_mtu;
  }
  return TRUE;
}

static GSocketAddress *
batch_sender_address (GstMctxSrcBatch * b, const MctxPacketInfo * info)
{
  guint h = info->source_port ^ info->source.bytes[3] ^
      info->source.bytes[15] ^ (info->source.bytes[2] << 3);
  Sender *s = &b->senders[h % N_SENDERS];

  if (s->sockaddr == NULL || s->port != info->source_port
      || !mctx_address_equal (&s->addr, &info->source)) {
    g_clear_object (&s->sockaddr);
    s->sockaddr = G_SOCKET_ADDRESS (mctx_packet_info_get_sender (info));
    s->addr = info->source;
    s->port = info->source_port;
  }
  return s->sockaddr;
}

/**
 * gst_mctx_src_report_truncated:
 * @leg: the leg it came on (merge path), or -1
 *
 * Counts a datagram larger than "mtu" (dropped), with a warning at most
 * once a second. The one-leg and merge paths share the count.
 */
void
gst_mctx_src_report_truncated (GstMctxSrc * src, const MctxPacketInfo * info,
    gint leg)
{
  gchar on_leg[32] = "";

  src->truncated_seen++;
  if (!gst_mctx_warning_due (&src->last_truncated_warning))
    return;
  if (leg >= 0)
    g_snprintf (on_leg, sizeof (on_leg), " on leg %d", leg);
  GST_ELEMENT_WARNING (src, STREAM, FAILED,
      ("Dropped a datagram of %" G_GSIZE_FORMAT " bytes%s, larger than "
          "property 'mtu' (%u bytes); raise 'mtu' to receive such datagrams",
          info->wire_size, on_leg, src->cur_mtu),
      ("%" G_GUINT64_FORMAT " datagrams dropped as too large so far",
          src->truncated_seen));
}


void
gst_mctx_src_clock_read (GstMctxSrc * src, GstMctxSrcClock * c)
{
  GstClock *clock;
  struct timespec ts;

  c->now = GST_CLOCK_TIME_NONE;
  c->real_ns = 0;
  GST_OBJECT_LOCK (src);
  clock = GST_ELEMENT_CLOCK (src) ? gst_object_ref (GST_ELEMENT_CLOCK (src))
      : NULL;
  GST_OBJECT_UNLOCK (src);
  if (clock == NULL)
    return;
  {
    GstClockTime now = gst_clock_get_time (clock);
    GstClockTime base = gst_element_get_base_time (GST_ELEMENT_CAST (src));

    clock_gettime (CLOCK_REALTIME, &ts);
    c->real_ns = (gint64) ts.tv_sec * GST_SECOND + ts.tv_nsec;
    c->now = now > base ? now - base : 0;
  }
  gst_object_unref (clock);
}

/* the running time at which the kernel received a datagram: now less its
 * age, never later than now nor before 0 */
GstClockTime
gst_mctx_src_clock_map (const GstMctxSrcClock * c, gint64 kernel_ns)
{
  gint64 age;

  if (!GST_CLOCK_TIME_IS_VALID (c->now))
    return GST_CLOCK_TIME_NONE;
  if (kernel_ns == 0)
    return c->now;
  age = c->real_ns - kernel_ns;
  if (age <= 0)
    return c->now;
  return (GstClockTime) age < c->now ? c->now - age : 0;
}

/* the sender address and socket-timestamp metas, on both receive paths
 * (gstmctxsrcmerge.c too) */
void
gst_mctx_src_add_metas (GstMctxSrc * src, GstBuffer * buf,
    const MctxPacketInfo * info)
{
  if (src->want_sender) {
    GSocketAddress *addr = batch_sender_address (src->batch, info);

    if (addr)
      gst_buffer_add_net_address_meta (buf, addr);
  }
  if (src->socket_timestamp == GST_MCTX_SOCKET_TIMESTAMP_REALTIME
      && info->timestamp_ns > 0)
    gst_buffer_add_reference_timestamp_meta (buf, unix_caps,
        info->timestamp_ns, GST_CLOCK_TIME_NONE);
}

static inline GstBuffer *
batch_buffer (GstMctxSrcBatch * b, guint8 * data, gsize size)
{
  g_atomic_int_inc (&b->cur.block->ref);
  /* maxsize = size: the memory cannot grow into its neighbours */
  return gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY, data, size,
      0, size, b->cur.block, arena_block_unref);
}

/* byte-stream mode: the batch's datagrams moved together, one buffer */
static guint
batch_take_stream (GstMctxSrc * src, guint n, const GstMctxSrcClock * c,
    GstBuffer ** first)
{
  GstMctxSrcBatch *b = src->batch;
  guint8 *start = src->messages[0].buffer, *end = start;
  const MctxPacketInfo *info0 = NULL;
  gsize skip = src->skip_first_bytes;
  GstBuffer *buf;
  guint i;

  for (i = 0; i < n; i++) {
    MctxMessage *msg = &src->messages[i];

    if (msg->info.truncated || msg->info.wire_size > msg->buffer_size) {
      gst_mctx_src_report_truncated (src, &msg->info, -1);
      continue;
    }
    if (G_UNLIKELY (skip > 0) && !gst_mctx_src_skip_ok (src, msg->info.size))
      continue;
    if (info0 == NULL)
      info0 = &msg->info;
    /* slots lie in arrival order, so this never overwrites a later one */
    if (msg->buffer + skip != end)
      memmove (end, msg->buffer + skip, msg->info.size - skip);
    end += msg->info.size - skip;
  }
  if (info0 == NULL)
    return 0;
  buf = batch_buffer (b, start, end - start);
  GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf) =
      gst_mctx_src_clock_map (c, info0->timestamp_ns);
  gst_mctx_src_add_metas (src, buf, info0);
  b->offset = GST_ROUND_UP_N ((gsize) (end - b->cur.data), SLOT_ALIGN);
  *first = buf;
  return 1;
}

/* Makes buffers of the @n datagrams in the first slots: one in @first, or
 * more in @list. Returns how many buffers. */
guint
gst_mctx_src_batch_take (GstMctxSrc * src, guint n, GstBuffer ** first,
    GstBufferList ** list)
{
  GstMctxSrcBatch *b = src->batch;
  GstMctxSrcClock c;
  guint8 *used_end = b->cur.data + b->offset;
  guint i, n_out = 0;

  gst_mctx_src_clock_read (src, &c);
  if (b->byte_stream)
    return batch_take_stream (src, n, &c, first);

  for (i = 0; i < n; i++) {
    MctxMessage *msg = &src->messages[i];
    GstBuffer *buf;
    GstClockTime ts;

    if (msg->info.truncated || msg->info.wire_size > msg->buffer_size) {
      gst_mctx_src_report_truncated (src, &msg->info, -1);
      continue;
    }
    /* filtered datagrams were swapped behind: slots are not in order */
    if (msg->buffer + b->stride > used_end)
      used_end = msg->buffer + b->stride;

    if (G_LIKELY (src->skip_first_bytes == 0))
      buf = batch_buffer (b, msg->buffer, msg->info.size);
    else if (gst_mctx_src_skip_ok (src, msg->info.size))
      buf = batch_buffer (b, msg->buffer + src->skip_first_bytes,
          msg->info.size - src->skip_first_bytes);
    else
      continue;
    ts = gst_mctx_src_clock_map (&c, msg->info.timestamp_ns);
    GST_BUFFER_DTS (buf) = ts;
    GST_BUFFER_PTS (buf) = ts;
    gst_mctx_src_add_metas (src, buf, &msg->info);

    if (n_out == 0) {
      *first = buf;
    } else {
      if (*list == NULL) {
        *list = gst_buffer_list_new_sized (n);
        gst_buffer_list_add (*list, *first);
      }
      gst_buffer_list_add (*list, buf);
    }
    n_out++;
  }
  b->offset = used_end - b->cur.data;
  return n_out;
}
