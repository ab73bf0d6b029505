/* Fuzz target for MctxStreamAnalyser's parsers (RTP, MPEG-TS, RTP/TS).
 * Input: records of [flags byte][size, 2 bytes big-endian][datagram]; the
 * flags pick one of four senders and whether a kernel timestamp is given.
 * Whatever comes in, the counters must stay consistent.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  MctxPacketInfo info;
  GList *streams, *l;
  guint64 fed = 0, counted = 0;
  gsize off = 0;
  gint64 t = G_GINT64_CONSTANT (1700000000000000000);

  memset (&info, 0, sizeof (info));
  mctx_address_parse ("239.1.1.1", NULL, &info.destination, NULL);
  mctx_address_parse ("10.0.0.1", NULL, &info.source, NULL);
  while (off + 3 <= size) {
    guint flags = data[off];
    gsize n = ((gsize) data[off + 1] << 8) | data[off + 2];
    off += 3;
    if (n > size - off)
      n = size - off;
    info.source_port = 4000 + (flags & 3);
    t += (flags >> 2) * 1000000;
    info.timestamp_ns = (flags & 0x80) ? 0 : t;
    info.size = info.wire_size = n;
    /* a copy of just this datagram: reads past it are caught by ASan */
    {
      guint8 *copy = g_malloc (n ? n : 1);
      memcpy (copy, data + off, n);
      mctx_stream_analyser_feed (a, &info, copy, n);
      g_free (copy);
    }
    fed++;
    off += n;
  }
  streams = mctx_stream_analyser_get_streams (a);
  for (l = streams; l; l = l->next) {
    MctxStreamStats *s = l->data;
    counted += s->packets;
    g_assert (s->duplicates + s->reordered <= s->packets);
    g_assert (s->jitter_ms >= 0);
    g_assert (s->pids <= 8192);
  }
  g_assert (counted == fed);
  g_list_free_full (streams, (GDestroyNotify) mctx_stream_stats_free);
  g_variant_unref (g_variant_ref_sink (mctx_stream_analyser_get_streams_variant
          (a)));
  g_object_unref (a);
  return 0;
}
