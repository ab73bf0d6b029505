/* MctxStreamAnalyser: per-stream telemetry from the receive path.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A stream is (source address, source port, group, port).  Each datagram is
 * looked up (last-hit cache, then a hash table keyed by the stream's own
 * key: no allocation), its kind is fixed by the first datagram of the
 * stream, and the per-kind parsers update plain counters.  Memory is
 * allocated only when a new stream appears (and, for MPEG-TS, its 8 KiB
 * per-PID table).  One mutex guards everything; feed_messages() takes it
 * once per batch, so stats can be read from another thread.
 */
#include "mctx-private.h"
#include "mctx-analyser.h"
#include "mctx-boxed-private.h"
#include "mctx-field-table-private.h"
#include "mctx-rtp-seq.h"

#include <string.h>

#define TS_PACKET 188
#define TS_SYNC 0x47
#define TS_NULL_PID 0x1FFF
#define TS_PIDS 8192
#define BITRATE_WINDOW_NS G_GINT64_CONSTANT (1000000000)

/* per-PID state: continuity counter, seen, one duplicate used */
#define PID_SEEN 0x80
#define PID_DUP 0x40
#define PID_CC 0x0F

typedef enum
{
  KIND_UDP,
  KIND_RTP,
  KIND_MPEGTS,
  KIND_RTP_MPEGTS,
} Kind;

static const gchar *const kind_names[] = { "udp", "rtp", "mpegts",
  "rtp-mpegts"
};

typedef struct
{
  /* key */
  MctxAddress source;
  MctxAddress group;
  guint16 source_port;
  guint hash;

  Kind kind;
  guint64 packets;
  guint64 bytes;
  gint64 last_arrival_ns;
  guint64 max_gap_ns;
  gint64 window_start_ns;
  guint64 window_bytes;
  guint64 bitrate_bps;
  guint64 last_size;            /* of the last datagram, for the partial rate */

  /* RTP */
  gboolean have_ssrc;
  guint32 ssrc;
  guint64 ssrc_changes;
  guint clock_rate;
  MctxRtpSeq seq;
  gboolean have_transit;
  gint64 prev_arrival_ns;
  guint32 prev_rtp_ts;
  gdouble jitter;               /* RTP timestamp units */

  /* MPEG-TS */
  guint8 *pid_state;            /* TS_PIDS entries, allocated for TS kinds */
  guint pids;
  guint64 cc_errors;
  guint64 sync_errors;
} Stream;

struct _MctxStreamAnalyser
{
  GObject parent;

  GMutex lock;
  guint port;
  guint clock_rate;
  guint max_streams;
  guint64 kernel_drops;
  guint64 untracked;
  GHashTable *streams;          /* Stream* -> Stream* (key is the stream) */
  GPtrArray *order;             /* Stream*, in order of appearance; owns */
  Stream *last;
};

enum
{
  PROP_0,
  PROP_PORT,
  PROP_CLOCK_RATE,
  PROP_MAX_STREAMS,
  PROP_UNTRACKED,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

#define FIELD(member) G_STRUCT_OFFSET (MctxStreamAnalyser, member)

G_DEFINE_FINAL_TYPE (MctxStreamAnalyser, mctx_stream_analyser, G_TYPE_OBJECT);

/* ---------------------------------------------------------------------- */
/* MctxStreamStats                                                          */

/**
 * mctx_stream_stats_copy:
 * @stats: a #MctxStreamStats
 *
 * Returns: (transfer full): a copy of @stats
 *
 * Since: 0.2
 */
/**
 * mctx_stream_stats_free:
 * @stats: (nullable): a #MctxStreamStats
 *
 * Frees @stats and its strings.
 *
 * Since: 0.2
 */
MCTX_DEFINE_STRINGS_BOXED (MctxStreamStats, mctx_stream_stats,
    MCTX_STRING_FIELD (MctxStreamStats, source),
    MCTX_STRING_FIELD (MctxStreamStats, group))

/**
 * mctx_stream_stats_to_variant:
 * @stats: a #MctxStreamStats
 *
 * The fields of @stats as a dictionary (`a{sv}`), keyed by the field names
 * with `-` for `_` (`source-port`, `bitrate-bps`, `jitter-ms`, ...): strings
 * as `s`, @source_port, @port, @clock_rate and @pids as `u`, @ssrc as `u`,
 * @jitter_ms as `d`, the other counters as `t`. Meant for turning into a
 * GstStructure field by field.
 *
 * Returns: (transfer floating): a new floating #GVariant
 *
 * Since: 0.2
 */
GVariant *
mctx_stream_stats_to_variant (const MctxStreamStats * s)
{
  GVariantBuilder b;

  g_return_val_if_fail (s != NULL, NULL);
  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
#define ADD(key, fmt, val) \
  g_variant_builder_add (&b, "{sv}", key, g_variant_new (fmt, val))
  ADD ("source", "s", s->source ? s->source : "");
  ADD ("source-port", "u", s->source_port);
  ADD ("group", "s", s->group ? s->group : "");
  ADD ("port", "u", s->port);
  ADD ("kind", "s", s->kind ? s->kind : "udp");
  ADD ("packets", "t", s->packets);
  ADD ("bytes", "t", s->bytes);
  ADD ("bitrate-bps", "t", s->bitrate_bps);
  ADD ("max-gap-ns", "t", s->max_gap_ns);
  ADD ("kernel-drops", "t", s->kernel_drops);
  ADD ("ssrc", "u", s->ssrc);
  ADD ("lost", "t", s->lost);
  ADD ("duplicates", "t", s->duplicates);
  ADD ("reordered", "t", s->reordered);
  ADD ("jitter-ms", "d", s->jitter_ms);
  ADD ("ssrc-changes", "t", s->ssrc_changes);
  ADD ("clock-rate", "u", s->clock_rate);
  ADD ("cc-errors", "t", s->cc_errors);
  ADD ("sync-errors", "t", s->sync_errors);
  ADD ("pids", "u", s->pids);
#undef ADD
  return g_variant_builder_end (&b);
}

/* ---------------------------------------------------------------------- */
/* Stream table                                                             */

static guint
key_hash (const MctxAddress * src, guint16 sport, const MctxAddress * grp)
{
  guint h = 2166136261u;
  gsize n = src->family == G_SOCKET_FAMILY_IPV6 ? 16 : 4;
  gsize i;

  for (i = 0; i < n; i++)
    h = (h ^ src->bytes[i]) * 16777619u;
  h = (h ^ (sport & 0xff)) * 16777619u;
  h = (h ^ (sport >> 8)) * 16777619u;
  n = grp->family == G_SOCKET_FAMILY_IPV6 ? 16 : 4;
  for (i = 0; i < n; i++)
    h = (h ^ grp->bytes[i]) * 16777619u;
  return h;
}

static inline gboolean
addr_same (const MctxAddress * a, const MctxAddress * b)
{
  return a->family == b->family && memcmp (a->bytes, b->bytes,
      a->family == G_SOCKET_FAMILY_IPV6 ? 16 : 4) == 0;
}

static inline gboolean
stream_is (const Stream * s, const MctxPacketInfo * info)
{
  return s->source_port == info->source_port
      && addr_same (&s->source, &info->source)
      && addr_same (&s->group, &info->destination);
}

static guint
stream_hash (gconstpointer p)
{
  return ((const Stream *) p)->hash;
}

static gboolean
stream_equal (gconstpointer a, gconstpointer b)
{
  const Stream *x = a, *y = b;
  return x->source_port == y->source_port && addr_same (&x->source,
      &y->source) && addr_same (&x->group, &y->group);
}

static void
stream_free (gpointer p)
{
  Stream *s = p;
  g_free (s->pid_state);
  g_free (s);
}

/* ---------------------------------------------------------------------- */
/* Classification and parsers                                               */

/* TRUE for a sane RTP version 2 header (not RTCP) with its payload within
 * the datagram; *h gets the header, decoded once.  It, rtp_parse() and
 * feed_locked() are forced inline: left to itself gcc puts a call in the
 * per-datagram path and *h in memory (about 15 instructions a datagram
 * more under callgrind). */
G_ALWAYS_INLINE static inline gboolean
rtp_read (const guint8 * d, gsize n, MctxRtpHeader * h)
{
  return mctx_rtp_parse_header (d, n, h) && !mctx_rtp_is_rtcp (h)
      && h->payload_offset != 0;
}

static gboolean
looks_like_ts (const guint8 * d, gsize n)
{
  return n >= TS_PACKET && n % TS_PACKET == 0 && d[0] == TS_SYNC;
}

/* Clock rates of the static payload types (RFC 3551); dynamic ones get
 * 90 kHz, the video rate, unless the clock-rate property says otherwise. */
static guint
guess_clock_rate (guint pt)
{
  switch (pt) {
    case 6:
      return 16000;
    case 10:
    case 11:
      return 44100;
    case 16:
      return 11025;
    case 17:
      return 22050;
    default:
      if (pt <= 18 && pt != 14)
        return 8000;
      return 90000;
  }
}

static void
ts_parse (Stream * s, const guint8 * d, gsize n)
{
  gsize off;

  for (off = 0; off + TS_PACKET <= n; off += TS_PACKET) {
    const guint8 *t = d + off;
    guint pid, afc, cc, last;
    guint8 st;

    if (t[0] != TS_SYNC) {
      s->sync_errors++;
      continue;
    }
    pid = ((t[1] & 0x1f) << 8) | t[2];
    afc = (t[3] >> 4) & 3;
    cc = t[3] & PID_CC;
    st = s->pid_state[pid];
    if (!(st & PID_SEEN)) {
      s->pids++;
      s->pid_state[pid] = PID_SEEN | cc;
      continue;
    }
    if (pid == TS_NULL_PID)
      continue;
    last = st & PID_CC;
    /* discontinuity_indicator: any counter is right */
    if ((afc & 2) && t[4] > 0 && (t[5] & 0x80)) {
      s->pid_state[pid] = PID_SEEN | cc;
      continue;
    }
    if (!(afc & 1)) {
      /* no payload (adaptation only, or reserved 00): no increment */
      if (cc != last)
        s->cc_errors++;
      s->pid_state[pid] = PID_SEEN | (st & PID_DUP) | cc;
      continue;
    }
    if (cc == ((last + 1) & PID_CC)) {
      s->pid_state[pid] = PID_SEEN | cc;
    } else if (cc == last && !(st & PID_DUP)) {
      /* a packet may be sent twice in a row, once */
      s->pid_state[pid] = PID_SEEN | PID_DUP | cc;
    } else {
      s->cc_errors++;
      s->pid_state[pid] = PID_SEEN | cc;
    }
  }
}

G_ALWAYS_INLINE static inline void
rtp_parse (MctxStreamAnalyser * self, Stream * s, const guint8 * d,
    gsize n, gint64 arrival_ns)
{
  MctxRtpHeader h;
  MctxRtpSeqResult r;

  if (!rtp_read (d, n, &h))
    return;

  if (!s->have_ssrc || h.ssrc != s->ssrc) {
    if (s->have_ssrc) {
      s->ssrc_changes++;
      mctx_rtp_seq_restart (&s->seq);
    }
    s->have_ssrc = TRUE;
    s->ssrc = h.ssrc;
    s->have_transit = FALSE;
    s->jitter = 0;
    s->clock_rate = self->clock_rate ? self->clock_rate :
        guess_clock_rate (h.marker_pt & 0x7f);
  }

  r = mctx_rtp_seq_push (&s->seq, h.seq, NULL);
  if (r != MCTX_RTP_SEQ_DUPLICATE && r != MCTX_RTP_SEQ_STRAY &&
      arrival_ns != 0) {
    if (r == MCTX_RTP_SEQ_RESTART)
      s->have_transit = FALSE;
    if (s->have_transit) {
      /* RFC 3550 6.4.1: D = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16 */
      gdouble dr = (gdouble) (arrival_ns - s->prev_arrival_ns) *
          s->clock_rate / 1e9;
      gdouble dd = dr - (gdouble) (gint32) (h.timestamp - s->prev_rtp_ts);
      if (dd < 0)
        dd = -dd;
      s->jitter += (dd - s->jitter) / 16.0;
    }
    s->have_transit = TRUE;
    s->prev_arrival_ns = arrival_ns;
    s->prev_rtp_ts = h.timestamp;
  }

  if (s->kind == KIND_RTP_MPEGTS)
    ts_parse (s, d + h.payload_offset, h.payload_len);
}

static Kind
classify (const guint8 * d, gsize n)
{
  MctxRtpHeader h;

  if (looks_like_ts (d, n))
    return KIND_MPEGTS;
  if (!rtp_read (d, n, &h))
    return KIND_UDP;
  if ((h.marker_pt & 0x7f) == 33 &&
      looks_like_ts (d + h.payload_offset, h.payload_len))
    return KIND_RTP_MPEGTS;
  return KIND_RTP;
}

static Stream *
stream_new (MctxStreamAnalyser * self, const MctxPacketInfo * info,
    guint hash, const guint8 * d, gsize n)
{
  Stream *s = g_new0 (Stream, 1);

  s->source = info->source;
  s->source.scope_id = 0;
  s->group = info->destination;
  s->group.scope_id = 0;
  s->source_port = info->source_port;
  s->hash = hash;
  s->kind = classify (d, n);
  mctx_rtp_seq_init (&s->seq);
  if (s->kind == KIND_MPEGTS || s->kind == KIND_RTP_MPEGTS)
    s->pid_state = g_malloc0 (TS_PIDS);
  g_hash_table_add (self->streams, s);
  g_ptr_array_add (self->order, s);
  return s;
}

static Stream *
stream_find (MctxStreamAnalyser * self, const MctxPacketInfo * info,
    const guint8 * d, gsize n)
{
  Stream key, *s;

  if (self->last && stream_is (self->last, info))
    return self->last;
  key.source = info->source;
  key.group = info->destination;
  key.source_port = info->source_port;
  key.hash = key_hash (&info->source, info->source_port, &info->destination);
  s = g_hash_table_lookup (self->streams, &key);
  if (s == NULL) {
    if (self->order->len >= self->max_streams)
      return NULL;
    s = stream_new (self, info, key.hash, d, n);
  }
  self->last = s;
  return s;
}

G_ALWAYS_INLINE static inline void
feed_locked (MctxStreamAnalyser * self, const MctxPacketInfo * info,
    const guint8 * data, gsize size, gint64 now_ns)
{
  gint64 t = info->timestamp_ns ? info->timestamp_ns : now_ns;
  Stream *s = stream_find (self, info, data, size);

  if (s == NULL) {
    self->untracked++;
    return;
  }
  s->packets++;
  s->bytes += info->wire_size ? info->wire_size : size;

  if (s->last_arrival_ns != 0 && t > s->last_arrival_ns &&
      (guint64) (t - s->last_arrival_ns) > s->max_gap_ns)
    s->max_gap_ns = t - s->last_arrival_ns;
  s->last_arrival_ns = t;

  if (s->window_start_ns == 0)
    s->window_start_ns = t;
  else if (t - s->window_start_ns >= BITRATE_WINDOW_NS) {
    s->bitrate_bps = (guint64) ((gdouble) s->window_bytes * 8e9 /
        (gdouble) (t - s->window_start_ns));
    s->window_start_ns = t;
    s->window_bytes = 0;
  }
  s->last_size = info->wire_size ? info->wire_size : size;
  s->window_bytes += s->last_size;

  switch (s->kind) {
    case KIND_RTP:
    case KIND_RTP_MPEGTS:
      rtp_parse (self, s, data, size, info->timestamp_ns);
      break;
    case KIND_MPEGTS:
      ts_parse (s, data, size);
      break;
    case KIND_UDP:
      break;
  }
}

/* ---------------------------------------------------------------------- */
/* Public API                                                               */

/**
 * mctx_stream_analyser_new:
 * @port: the destination port of the datagrams that will be fed (reported
 *   in every stream's stats; 0 if unknown)
 *
 * Returns: (transfer full): a new analyser with no streams
 *
 * Since: 0.2
 */
MctxStreamAnalyser *
mctx_stream_analyser_new (guint port)
{
  return g_object_new (MCTX_TYPE_STREAM_ANALYSER, "port", port, NULL);
}

/**
 * mctx_stream_analyser_feed:
 * @self: a #MctxStreamAnalyser
 * @info: the datagram's metadata, as filled by a receive function
 * @data: (array length=size): the datagram
 * @size: bytes in @data
 *
 * Accounts one datagram. Allocates only when it starts a new stream.
 *
 * Since: 0.2
 */
void
mctx_stream_analyser_feed (MctxStreamAnalyser * self,
    const MctxPacketInfo * info, const guint8 * data, gsize size)
{
  gint64 now = 0;

  g_return_if_fail (MCTX_IS_STREAM_ANALYSER (self));
  g_return_if_fail (info != NULL);
  g_return_if_fail (data != NULL || size == 0);

  if (info->timestamp_ns == 0)
    now = g_get_real_time () * 1000;
  g_mutex_lock (&self->lock);
  feed_locked (self, info, data, size, now);
  g_mutex_unlock (&self->lock);
}

/**
 * mctx_stream_analyser_feed_messages:
 * @self: a #MctxStreamAnalyser
 * @messages: (array length=n_messages): slots filled by
 *   mctx_subscription_receive_messages()
 * @n_messages: how many of them hold a datagram (its return value)
 *
 * Accounts a batch of datagrams (each slot's `info.size` bytes of its
 * `buffer`), taking the lock once.
 *
 * Since: 0.2
 */
void
mctx_stream_analyser_feed_messages (MctxStreamAnalyser * self,
    const MctxMessage * messages, guint n_messages)
{
  gint64 now = 0;
  guint i;

  g_return_if_fail (MCTX_IS_STREAM_ANALYSER (self));
  g_return_if_fail (messages != NULL || n_messages == 0);

  for (i = 0; i < n_messages && now == 0; i++)
    if (messages[i].info.timestamp_ns == 0)
      now = g_get_real_time () * 1000;
  g_mutex_lock (&self->lock);
  for (i = 0; i < n_messages; i++)
    feed_locked (self, &messages[i].info, messages[i].buffer,
        messages[i].info.size, now);
  g_mutex_unlock (&self->lock);
}

/**
 * mctx_stream_analyser_set_kernel_drops:
 * @self: a #MctxStreamAnalyser
 * @kernel_drops: the socket's drop count, e.g.
 *   #MctxSubscriptionStats.kernel_drops
 *
 * Records the kernel drops of the socket the datagrams come from. The
 * kernel does not say which stream a dropped datagram belonged to, so
 * every stream reports this number.
 *
 * Since: 0.2
 */
void
mctx_stream_analyser_set_kernel_drops (MctxStreamAnalyser * self,
    guint64 kernel_drops)
{
  g_return_if_fail (MCTX_IS_STREAM_ANALYSER (self));
  g_mutex_lock (&self->lock);
  self->kernel_drops = kernel_drops;
  g_mutex_unlock (&self->lock);
}

static void
fill_stats (MctxStreamAnalyser * self, const Stream * s, MctxStreamStats * o,
    gint64 now_ns)
{
  memset (o, 0, sizeof (*o));
  o->source = mctx_address_to_string (&s->source);
  o->source_port = s->source_port;
  o->group = mctx_address_to_string (&s->group);
  o->port = self->port;
  o->kind = kind_names[s->kind];
  o->packets = s->packets;
  o->bytes = s->bytes;
  o->bitrate_bps = s->bitrate_bps;
  /* before the first full window: the rate of what arrived so far */
  if (s->bitrate_bps == 0 && s->last_arrival_ns - s->window_start_ns >=
      BITRATE_WINDOW_NS / 10)
    o->bitrate_bps = (guint64) ((gdouble) (s->window_bytes - s->last_size) *
        8e9 / (gdouble) (s->last_arrival_ns - s->window_start_ns));
  /* a stream that stopped: its rate decays instead of staying frozen */
  if (now_ns - s->window_start_ns > 2 * BITRATE_WINDOW_NS)
    o->bitrate_bps = (guint64) ((gdouble) s->window_bytes * 8e9 /
        (gdouble) (now_ns - s->window_start_ns));
  o->max_gap_ns = s->max_gap_ns;
  o->kernel_drops = self->kernel_drops;
  if (s->kind == KIND_RTP || s->kind == KIND_RTP_MPEGTS) {
    o->ssrc = s->ssrc;
    o->lost = s->seq.lost;
    o->duplicates = s->seq.duplicates;
    o->reordered = s->seq.reordered;
    o->ssrc_changes = s->ssrc_changes;
    o->clock_rate = s->clock_rate;
    if (s->clock_rate)
      o->jitter_ms = s->jitter * 1000.0 / s->clock_rate;
  }
  o->cc_errors = s->cc_errors;
  o->sync_errors = s->sync_errors;
  o->pids = s->pids;
}

/**
 * mctx_stream_analyser_get_streams:
 * @self: a #MctxStreamAnalyser
 *
 * Snapshots of every stream, in the order they appeared. Free with
 * `g_list_free_full (list, (GDestroyNotify) mctx_stream_stats_free)`.
 * (A list rather than an array: bindings take each element over, which
 * an array with a free function does not allow.)
 *
 * Returns: (transfer full) (element-type MctxStreamStats): a new list
 *
 * Since: 0.2
 */
GList *
mctx_stream_analyser_get_streams (MctxStreamAnalyser * self)
{
  GList *out = NULL;
  gint64 now = g_get_real_time () * 1000;
  guint i;

  g_return_val_if_fail (MCTX_IS_STREAM_ANALYSER (self), NULL);
  g_mutex_lock (&self->lock);
  for (i = self->order->len; i > 0; i--) {
    MctxStreamStats *st = g_new (MctxStreamStats, 1);
    fill_stats (self, g_ptr_array_index (self->order, i - 1), st, now);
    out = g_list_prepend (out, st);
  }
  g_mutex_unlock (&self->lock);
  return out;
}

/**
 * mctx_stream_analyser_get_streams_variant:
 * @self: a #MctxStreamAnalyser
 *
 * The same as mctx_stream_analyser_get_streams(), as an array of
 * dictionaries (`aa{sv}`, each as mctx_stream_stats_to_variant()).
 *
 * Returns: (transfer floating): a new floating #GVariant
 *
 * Since: 0.2
 */
GVariant *
mctx_stream_analyser_get_streams_variant (MctxStreamAnalyser * self)
{
  GList *streams, *l;
  GVariantBuilder b;

  g_return_val_if_fail (MCTX_IS_STREAM_ANALYSER (self), NULL);
  streams = mctx_stream_analyser_get_streams (self);
  g_variant_builder_init (&b, G_VARIANT_TYPE ("aa{sv}"));
  for (l = streams; l; l = l->next)
    g_variant_builder_add_value (&b, mctx_stream_stats_to_variant (l->data));
  g_list_free_full (streams, (GDestroyNotify) mctx_stream_stats_free);
  return g_variant_builder_end (&b);
}

/**
 * mctx_stream_analyser_get_n_streams:
 * @self: a #MctxStreamAnalyser
 *
 * Returns: the number of streams seen
 *
 * Since: 0.2
 */
guint
mctx_stream_analyser_get_n_streams (MctxStreamAnalyser * self)
{
  guint n;

  g_return_val_if_fail (MCTX_IS_STREAM_ANALYSER (self), 0);
  g_mutex_lock (&self->lock);
  n = self->order->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * mctx_stream_analyser_reset:
 * @self: a #MctxStreamAnalyser
 *
 * Forgets every stream, the untracked count and the kernel drops.
 *
 * Since: 0.2
 */
void
mctx_stream_analyser_reset (MctxStreamAnalyser * self)
{
  g_return_if_fail (MCTX_IS_STREAM_ANALYSER (self));
  g_mutex_lock (&self->lock);
  self->last = NULL;
  g_hash_table_remove_all (self->streams);
  g_ptr_array_set_size (self->order, 0);
  self->untracked = 0;
  self->kernel_drops = 0;
  g_mutex_unlock (&self->lock);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                  */

/* Every property is a field; the feeding thread reads them under the
 * lock. */
static void
mctx_stream_analyser_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  MctxStreamAnalyser *self = MCTX_STREAM_ANALYSER (object);

  g_mutex_lock (&self->lock);
  mctx_field_set_property (object, prop_id, value, pspec);
  g_mutex_unlock (&self->lock);
}

static void
mctx_stream_analyser_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  MctxStreamAnalyser *self = MCTX_STREAM_ANALYSER (object);

  g_mutex_lock (&self->lock);
  mctx_field_get_property (object, prop_id, value, pspec);
  g_mutex_unlock (&self->lock);
}

static void
mctx_stream_analyser_finalize (GObject * object)
{
  MctxStreamAnalyser *self = MCTX_STREAM_ANALYSER (object);

  g_hash_table_unref (self->streams);
  g_ptr_array_unref (self->order);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (mctx_stream_analyser_parent_class)->finalize (object);
}

static const MctxFieldRow analyser_rows[] = {
  /**
   * MctxStreamAnalyser:port:
   *
   * The destination port of the datagrams fed, reported in the stats.
   *
   * Since: 0.2
   */
  {PROP_PORT, FIELD (port), MCTX_FIELD_UINT, "port", "Port",
      "Destination port reported in the stats", 0, 65535, 0,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT},
  /**
   * MctxStreamAnalyser:clock-rate:
   *
   * RTP clock rate in Hz for the jitter; 0 guesses it from the payload
   * type (static types by RFC 3551, others 90000). Applies to streams and
   * SSRCs that start after the change.
   *
   * Since: 0.2
   */
  {PROP_CLOCK_RATE, FIELD (clock_rate), MCTX_FIELD_UINT, "clock-rate",
      "Clock rate", "RTP clock rate in Hz (0 = from the payload type)", 0,
      G_MAXUINT, 0},
  /**
   * MctxStreamAnalyser:max-streams:
   *
   * Most streams tracked; datagrams of further streams are only counted
   * in #MctxStreamAnalyser:untracked. Bounds the memory a flood of
   * sources can take.
   *
   * Since: 0.2
   */
  {PROP_MAX_STREAMS, FIELD (max_streams), MCTX_FIELD_UINT, "max-streams",
      "Max streams", "Most streams tracked", 1, 65536, 256,
      G_PARAM_READWRITE | G_PARAM_CONSTRUCT},
  /**
   * MctxStreamAnalyser:untracked:
   *
   * Datagrams not accounted because #MctxStreamAnalyser:max-streams
   * streams were already tracked.
   *
   * Since: 0.2
   */
  {PROP_UNTRACKED, FIELD (untracked), MCTX_FIELD_UINT64, "untracked",
      "Untracked", "Datagrams of streams beyond max-streams", 0, G_MAXUINT64,
      0, G_PARAM_READABLE},
};

static void
mctx_stream_analyser_class_init (MctxStreamAnalyserClass * klass)
{
  mctx_field_class_init (G_OBJECT_CLASS (klass),
      mctx_stream_analyser_finalize, mctx_stream_analyser_set_property,
      mctx_stream_analyser_get_property, props, N_PROPS, analyser_rows,
      G_N_ELEMENTS (analyser_rows));
}

static void
mctx_stream_analyser_init (MctxStreamAnalyser * self)
{
  g_mutex_init (&self->lock);
  self->max_streams = 256;
  self->streams = g_hash_table_new (stream_hash, stream_equal);
  self->order = g_ptr_array_new_with_free_func (stream_free);
}
