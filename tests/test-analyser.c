/* MctxStreamAnalyser and the RTP sequence tracker on crafted datagrams:
 * exact counts of loss, duplicates, reordering, wraps, SSRC changes,
 * jitter against a hand-computed value, MPEG-TS continuity rules.  No
 * network: datagrams are built here and fed directly.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include "mctx-rtp-seq.h"
#include "mctx-test-util.h"

#include <string.h>

#define MS (G_GINT64_CONSTANT (1000000))
/* arrivals a little in the past: the analyser decays the rate of a stream
 * that has been silent for over 2 s of real time */
static gint64 BASE_NS;

typedef struct
{
  MctxPacketInfo info;
  guint8 buf[2048];
  gsize len;
} Pkt;

static void
pkt_init (Pkt * p, const gchar * source, guint16 sport, gint64 ts_ns)
{
  memset (p, 0, sizeof (*p));
  g_assert_true (mctx_address_parse (source, "source", &p->info.source, NULL));
  g_assert_true (mctx_address_parse (strchr (source, ':') ? "ff3e::1" :
          "239.1.1.1", "group", &p->info.destination, NULL));
  p->info.source_port = sport;
  p->info.timestamp_ns = ts_ns;
}

static void
rtp_header (Pkt * p, guint pt, guint16 seq, guint32 ts, guint32 ssrc)
{
  mctx_test_rtp_header (p->buf, pt, seq, ts, ssrc);
  p->len = 12;
}

static void
feed (MctxStreamAnalyser * a, Pkt * p)
{
  p->info.size = p->info.wire_size = p->len;
  mctx_stream_analyser_feed (a, &p->info, p->buf, p->len);
}

/* one RTP datagram of PT 96 with a 100-byte payload */
static void
feed_rtp (MctxStreamAnalyser * a, guint16 seq, guint32 ssrc)
{
  Pkt p;
  pkt_init (&p, "10.0.0.1", 4000, BASE_NS + seq * MS);
  rtp_header (&p, 96, seq, seq * 3000u, ssrc);
  memset (p.buf + 12, 0xab, 100);
  p.len += 100;
  feed (a, &p);
}

static void
free_streams (GList * l)
{
  g_list_free_full (l, (GDestroyNotify) mctx_stream_stats_free);
}

static MctxStreamStats *
only_stream (MctxStreamAnalyser * a, GList ** keep)
{
  *keep = mctx_stream_analyser_get_streams (a);
  g_assert_cmpuint (g_list_length (*keep), ==, 1);
  return (*keep)->data;
}

/* the RTP counters of a stream */
static void
assert_rtp_counts (const MctxStreamStats * s, guint64 packets, guint32 ssrc,
    guint64 ssrc_changes, guint64 lost, guint64 dup, guint64 reord)
{
  g_assert_cmpuint (s->packets, ==, packets);
  g_assert_cmpuint (s->ssrc, ==, ssrc);
  g_assert_cmpuint (s->ssrc_changes, ==, ssrc_changes);
  g_assert_cmpuint (s->lost, ==, lost);
  g_assert_cmpuint (s->duplicates, ==, dup);
  g_assert_cmpuint (s->reordered, ==, reord);
}

static void
check_rtp (const guint16 * seqs, guint n, guint64 lost, guint64 dup,
    guint64 reord)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  GList *keep;
  MctxStreamStats *s;
  guint i;

  for (i = 0; i < n; i++)
    feed_rtp (a, seqs[i], 0x11223344);
  s = only_stream (a, &keep);
  g_assert_cmpstr (s->kind, ==, "rtp");
  assert_rtp_counts (s, n, 0x11223344, 0, lost, dup, reord);
  g_assert_cmpuint (s->port, ==, 5004);
  g_assert_cmpstr (s->source, ==, "10.0.0.1");
  g_assert_cmpuint (s->source_port, ==, 4000);
  g_assert_cmpstr (s->group, ==, "239.1.1.1");
  free_streams (keep);
  g_object_unref (a);
}

static void
test_rtp_in_order (void)
{
  guint16 seqs[100];
  guint i;
  for (i = 0; i < 100; i++)
    seqs[i] = 1000 + i;
  check_rtp (seqs, 100, 0, 0, 0);
}

static void
test_rtp_loss (void)
{
  static const guint16 seqs[] = { 0, 1, 2, 5, 6, 8, 9 };
  check_rtp (seqs, G_N_ELEMENTS (seqs), 3, 0, 0);
}

static void
test_rtp_duplicates (void)
{
  static const guint16 seqs[] = { 0, 1, 1, 2, 2, 2, 3, 1 };
  check_rtp (seqs, G_N_ELEMENTS (seqs), 0, 4, 0);
}

static void
test_rtp_reorder (void)
{
  /* 3 before 2, and 7 before 5 and 6: three arrived after a later one;
   * none is lost in the end */
  static const guint16 seqs[] = { 0, 1, 3, 2, 4, 7, 5, 6, 8 };
  static const guint16 late_dup[] = { 0, 2, 1, 1, 3 };
  check_rtp (seqs, G_N_ELEMENTS (seqs), 0, 0, 3);
  check_rtp (late_dup, G_N_ELEMENTS (late_dup), 0, 1, 1);
}

static void
test_rtp_wrap (void)
{
  static const guint16 wrap[] = { 65533, 65534, 65535, 0, 1, 2 };
  static const guint16 wrap_gap[] = { 65533, 65534, 1, 2 };
  static const guint16 wrap_reorder[] = { 65534, 0, 65535, 1 };
  guint16 twice[140000 / 1];
  guint i;

  check_rtp (wrap, G_N_ELEMENTS (wrap), 0, 0, 0);
  check_rtp (wrap_gap, G_N_ELEMENTS (wrap_gap), 2, 0, 0);
  check_rtp (wrap_reorder, G_N_ELEMENTS (wrap_reorder), 0, 0, 1);
  /* more than two wraps, every 1000th number missing: 140 gaps, the last
   * one at the very end, which no later number shows: 139 lost */
  for (i = 0; i < G_N_ELEMENTS (twice); i++)
    twice[i] = (guint16) (i + 60000);
  {
    guint16 *kept = g_new (guint16, G_N_ELEMENTS (twice));
    guint n = 0;
    for (i = 0; i < G_N_ELEMENTS (twice); i++)
      if (i % 1000 != 999)
        kept[n++] = twice[i];
    check_rtp (kept, n, 139, 0, 0);
    g_free (kept);
  }
}

/* a very late packet (further back than the window) is a stray: no loss,
 * no restart; a sender that restarts elsewhere (two in a row) is followed
 * without loss */
static void
test_rtp_stray (void)
{
  guint16 seqs[2100];
  guint n = 0, i;

  for (i = 0; i < 2000; i++)
    seqs[n++] = i;
  seqs[n++] = 500;
  for (i = 2000; i < 2010; i++)
    seqs[n++] = i;
  check_rtp (seqs, n, 0, 0, 0);
  /* restart 20000 ahead, then 3 missing after it: 3 lost */
  seqs[n++] = 22000;
  seqs[n++] = 22001;
  seqs[n++] = 22005;
  check_rtp (seqs, n, 3, 0, 0);
}

static void
test_rtp_ssrc_change (void)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  GList *keep;
  MctxStreamStats *s;
  guint i;

  for (i = 100; i < 110; i++)
    feed_rtp (a, i, 0xaaaa);
  /* the new sender starts anywhere: no loss for the jump */
  for (i = 40000; i < 40010; i++)
    if (i != 40004)
      feed_rtp (a, i, 0xbbbb);
  /* and the old one again, continuing: another change, no loss */
  feed_rtp (a, 110, 0xaaaa);
  s = only_stream (a, &keep);
  assert_rtp_counts (s, 20, 0xaaaa, 2, 1, 0, 0);
  free_streams (keep);
  g_object_unref (a);
}

/* PT 0 (8000 Hz), 160 samples a packet, arrivals at 0, 20, 50, 60 ms:
 * D = 0, 80, 80 timestamp units; J = 0, 5, 5 + 75/16 = 9.6875 units
 * = 9.6875 / 8000 s = 1.2109375 ms. */
static void
test_rtp_jitter (void)
{
  static const gint64 arrival_ms[] = { 0, 20, 50, 60 };
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  GList *keep;
  MctxStreamStats *s;
  guint i;

  for (i = 0; i < 4; i++) {
    Pkt p;
    pkt_init (&p, "10.0.0.1", 4000, BASE_NS + arrival_ms[i] * MS);
    rtp_header (&p, 0, 7 + i, 1000 + 160 * i, 1);
    p.len += 160;
    feed (a, &p);
  }
  s = only_stream (a, &keep);
  g_assert_cmpuint (s->clock_rate, ==, 8000);
  g_assert_cmpfloat_with_epsilon (s->jitter_ms, 1.2109375, 1e-9);
  g_assert_cmpuint (s->max_gap_ns, ==, 30 * MS);
  free_streams (keep);
  g_object_unref (a);

  /* the same at 90 kHz set by the property, PT 96 (no guess),
   * timestamps 1800 apart (20 ms): D = 0, 900, 900 -> J = 109.6875 units
   * = 1.21875 ms */
  a = mctx_stream_analyser_new (5004);
  g_object_set (a, "clock-rate", 90000, NULL);
  for (i = 0; i < 4; i++) {
    Pkt p;
    pkt_init (&p, "10.0.0.1", 4000, BASE_NS + arrival_ms[i] * MS);
    rtp_header (&p, 96, 7 + i, 0xfffff000u + 1800 * i, 1);      /* wraps */
    p.len += 10;
    feed (a, &p);
  }
  s = only_stream (a, &keep);
  g_assert_cmpuint (s->clock_rate, ==, 90000);
  g_assert_cmpfloat_with_epsilon (s->jitter_ms,
      (900.0 / 16 + (900.0 - 900.0 / 16) / 16) / 90.0, 1e-9);
  free_streams (keep);
  g_object_unref (a);
}

/* ---- MPEG-TS ---- */

typedef struct
{
  guint pid, cc, afc;           /* afc: 1 payload, 2 adaptation only, 3 both */
  gboolean discontinuity;
  gboolean bad_sync;
} TsSpec;

static void
ts_packet (guint8 * t, const TsSpec * ts)
{
  memset (t, 0xff, 188);
  t[0] = ts->bad_sync ? 0x00 : 0x47;
  t[1] = (ts->pid >> 8) & 0x1f;
  t[2] = ts->pid & 0xff;
  t[3] = (ts->afc << 4) | (ts->cc & 0xf);
  if (ts->afc & 2) {
    t[4] = ts->afc == 2 ? 183 : 1;
    t[5] = ts->discontinuity ? 0x80 : 0x00;
  }
}

/* feeds the packets, up to 7 per datagram, plain or in RTP PT 33 */
static MctxStreamAnalyser *
feed_ts (const TsSpec * specs, guint n, gboolean in_rtp)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  guint i = 0;
  guint16 seq = 0;

  while (i < n) {
    Pkt p;
    guint k;
    pkt_init (&p, "10.0.0.2", 4001, BASE_NS + seq * MS);
    if (in_rtp)
      rtp_header (&p, 33, seq, seq * 900u, 0x33);
    for (k = 0; k < 7 && i < n; k++, i++) {
      ts_packet (p.buf + p.len, &specs[i]);
      p.len += 188;
    }
    seq++;
    feed (a, &p);
  }
  return a;
}

static void
check_ts (const TsSpec * specs, guint n, guint64 cc_errors,
    guint64 sync_errors, guint pids)
{
  gint r;
  for (r = 0; r < 2; r++) {
    MctxStreamAnalyser *a = feed_ts (specs, n, r);
    GList *keep;
    MctxStreamStats *s = only_stream (a, &keep);
    g_assert_cmpstr (s->kind, ==, r ? "rtp-mpegts" : "mpegts");
    g_assert_cmpuint (s->cc_errors, ==, cc_errors);
    g_assert_cmpuint (s->sync_errors, ==, sync_errors);
    g_assert_cmpuint (s->pids, ==, pids);
    g_assert_cmpuint (s->lost, ==, 0);
    if (r)
      g_assert_cmpuint (s->clock_rate, ==, 90000);
    free_streams (keep);
    g_object_unref (a);
  }
}

static void
test_ts_continuity (void)
{
  TsSpec good[40];
  guint i;

  /* two PIDs, counters wrapping 15 -> 0 */
  for (i = 0; i < 40; i++)
    good[i] = (TsSpec) {
    0x100 + i % 2, (i / 2) & 0xf, 1, FALSE, FALSE};
  check_ts (good, 40, 0, 0, 2);

  /* one packet of PID 0x100 missing (as if dropped inside a datagram) */
  {
    TsSpec gap[] = { {0x100, 0, 1}, {0x100, 1, 1}, {0x100, 3, 1},
    {0x100, 4, 1}, {0x101, 9, 1}, {0x101, 12, 1}
    };
    check_ts (gap, G_N_ELEMENTS (gap), 2, 0, 2);
  }
}

static void
test_ts_rules (void)
{
  /* a duplicate once is allowed, twice is an error */
  TsSpec dup[] = { {0x100, 0, 1}, {0x100, 1, 1}, {0x100, 1, 1},
  {0x100, 2, 1}, {0x100, 2, 1}, {0x100, 2, 1}, {0x100, 3, 1}
  };
  /* adaptation-only packets (10) keep the counter; one that increments
   * is an error, and the count resynchronises on it */
  TsSpec adapt[] = { {0x100, 0, 1}, {0x100, 1, 1}, {0x100, 1, 2},
  {0x100, 1, 2}, {0x100, 2, 3}, {0x100, 3, 2}, {0x100, 3, 1}
  };
  /* the discontinuity indicator allows a jump */
  TsSpec disc[] = { {0x100, 0, 1}, {0x100, 1, 1}, {0x100, 9, 3, TRUE},
  {0x100, 10, 1}, {0x100, 4, 3, FALSE}
  };
  /* the null PID is never checked; a bad sync byte is counted and skipped */
  TsSpec null_sync[] = { {0x1fff, 0, 1}, {0x1fff, 7, 1}, {0x1fff, 7, 1},
  {0x1fff, 2, 1}, {0x100, 0, 1}, {0x100, 5, 1, FALSE, TRUE}, {0x100, 1, 1}
  };

  check_ts (dup, G_N_ELEMENTS (dup), 1, 0, 1);
  check_ts (adapt, G_N_ELEMENTS (adapt), 1, 0, 1);
  check_ts (disc, G_N_ELEMENTS (disc), 1, 0, 1);
  check_ts (null_sync, G_N_ELEMENTS (null_sync), 0, 1, 2);
}

/* ---- the rest ---- */

static void
test_udp_streams (void)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (6000);
  GList *streams;
  MctxStreamStats *s;
  MctxMessage msgs[4];
  Pkt p[4];
  guint i;
  guint64 untracked = 99;
  GVariant *v, *child;
  GVariantDict d;
  const gchar *kind = NULL;
  guint64 packets = 0;

  /* the rate decays by real time: arrivals end 0.5 s before now */
  BASE_NS = g_get_real_time () * 1000 - 1500 * MS;
  /* 100 datagrams of 1000 bytes every 10 ms: 1 s of arrivals; half way,
   * the partial window gives the same rate */
  for (i = 0; i <= 100; i++) {
    pkt_init (&p[0], "10.0.0.3", 7000, BASE_NS + i * 10 * MS);
    memset (p[0].buf, 'x', 1000);
    p[0].len = 1000;
    feed (a, &p[0]);
    if (i == 50) {
      streams = mctx_stream_analyser_get_streams (a);
      s = g_list_nth_data (streams, 0);
      g_assert_cmpuint (s->bitrate_bps, ==, 800000);
      free_streams (streams);
    }
  }
  /* a batch: a second source, a second port of the first one, IPv6 */
  pkt_init (&p[0], "10.0.0.4", 7000, BASE_NS);
  pkt_init (&p[1], "10.0.0.3", 7001, BASE_NS);
  pkt_init (&p[2], "2001:db8::1", 7000, BASE_NS);
  pkt_init (&p[3], "10.0.0.4", 7000, BASE_NS + 5 * MS);
  for (i = 0; i < 4; i++) {
    memcpy (p[i].buf, "hello", 5);
    msgs[i].buffer = p[i].buf;
    msgs[i].buffer_size = sizeof (p[i].buf);
    msgs[i].user_data = NULL;
    msgs[i].info = p[i].info;
    msgs[i].info.size = msgs[i].info.wire_size = 5;
  }
  mctx_stream_analyser_feed_messages (a, msgs, 4);
  mctx_stream_analyser_set_kernel_drops (a, 17);

  streams = mctx_stream_analyser_get_streams (a);
  g_assert_cmpuint (g_list_length (streams), ==, 4);
  g_assert_cmpuint (mctx_stream_analyser_get_n_streams (a), ==, 4);
  s = g_list_nth_data (streams, 0);
  g_assert_cmpstr (s->kind, ==, "udp");
  g_assert_cmpuint (s->packets, ==, 101);
  g_assert_cmpuint (s->bytes, ==, 101000);
  g_assert_cmpuint (s->bitrate_bps, ==, 800000);
  g_assert_cmpuint (s->max_gap_ns, ==, 10 * MS);
  g_assert_cmpuint (s->kernel_drops, ==, 17);
  g_assert_cmpuint (s->lost, ==, 0);
  s = g_list_nth_data (streams, 1);
  g_assert_cmpstr (s->source, ==, "10.0.0.4");
  g_assert_cmpuint (s->packets, ==, 2);
  g_assert_cmpuint (s->max_gap_ns, ==, 5 * MS);
  s = g_list_nth_data (streams, 2);
  g_assert_cmpuint (s->source_port, ==, 7001);
  g_assert_cmpuint (s->packets, ==, 1);
  s = g_list_nth_data (streams, 3);
  g_assert_cmpstr (s->source, ==, "2001:db8::1");
  g_assert_cmpstr (s->group, ==, "ff3e::1");
  g_assert_cmpuint (s->port, ==, 6000);

  /* the copy is deep */
  s = mctx_stream_stats_copy (g_list_nth_data (streams, 3));
  g_assert_cmpstr (s->source, ==, "2001:db8::1");
  mctx_stream_stats_free (s);
  free_streams (streams);

  v = g_variant_ref_sink (mctx_stream_analyser_get_streams_variant (a));
  g_assert_cmpstr (g_variant_get_type_string (v), ==, "aa{sv}");
  g_assert_cmpuint (g_variant_n_children (v), ==, 4);
  child = g_variant_get_child_value (v, 0);
  g_variant_dict_init (&d, child);
  g_variant_unref (child);
  g_assert_true (g_variant_dict_lookup (&d, "kind", "&s", &kind));
  g_assert_cmpstr (kind, ==, "udp");
  g_assert_true (g_variant_dict_lookup (&d, "packets", "t", &packets));
  g_assert_cmpuint (packets, ==, 101);
  g_assert_true (g_variant_dict_contains (&d, "jitter-ms"));
  g_assert_true (g_variant_dict_contains (&d, "cc-errors"));
  g_variant_dict_clear (&d);
  g_variant_unref (v);

  /* max-streams: a fifth stream is not tracked */
  g_object_set (a, "max-streams", 4, NULL);
  pkt_init (&p[0], "10.0.0.9", 7000, BASE_NS);
  p[0].len = 3;
  feed (a, &p[0]);
  g_object_get (a, "untracked", &untracked, NULL);
  g_assert_cmpuint (untracked, ==, 1);
  g_assert_cmpuint (mctx_stream_analyser_get_n_streams (a), ==, 4);

  mctx_stream_analyser_reset (a);
  g_assert_cmpuint (mctx_stream_analyser_get_n_streams (a), ==, 0);
  g_object_unref (a);
}

static void
test_not_rtp (void)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  GList *keep;
  MctxStreamStats *s;
  Pkt p;

  /* version 2 but the CSRC count runs past the end: plain UDP */
  pkt_init (&p, "10.0.0.1", 4000, BASE_NS);
  rtp_header (&p, 96, 1, 0, 1);
  p.buf[0] = 0x8f;
  p.len = 20;
  feed (a, &p);
  s = only_stream (a, &keep);
  g_assert_cmpstr (s->kind, ==, "udp");
  g_assert_cmpuint (s->clock_rate, ==, 0);
  free_streams (keep);
  g_object_unref (a);
}

/* RTCP on the RTP port (RFC 5761: second byte 192..223) is not RTP: a
 * first datagram of RTPFB (205) makes a udp stream; one inside an RTP
 * stream, with another SSRC and a far sequence number, changes nothing
 * but packets */
static void
test_rtcp_not_rtp (void)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  GList *keep;
  MctxStreamStats *s;
  Pkt p;
  guint i;

  pkt_init (&p, "10.0.0.1", 4000, BASE_NS);
  rtp_header (&p, 205, 0x1234, 0, 0x5678);
  p.buf[0] = 0x81;              /* V=2, FMT 1 (generic NACK) */
  p.len = 16;
  feed (a, &p);
  s = only_stream (a, &keep);
  g_assert_cmpstr (s->kind, ==, "udp");
  free_streams (keep);
  g_object_unref (a);

  a = mctx_stream_analyser_new (5004);
  for (i = 0; i < 10; i++) {
    feed_rtp (a, i, 0x11223344);
    if (i == 4)
      feed (a, &p);
  }
  s = only_stream (a, &keep);
  g_assert_cmpstr (s->kind, ==, "rtp");
  assert_rtp_counts (s, 11, 0x11223344, 0, 0, 0, 0);
  free_streams (keep);
  g_object_unref (a);
}

/* the tracker itself, beyond what the analyser tests reach */
static void
test_seq_window (void)
{
  MctxRtpSeq seq;
  guint64 ext1, ext2;
  guint i;

  mctx_rtp_seq_init (&seq);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 10, &ext1), ==, MCTX_RTP_SEQ_FIRST);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 12, &ext2), ==, MCTX_RTP_SEQ_NEXT);
  g_assert_cmpuint (ext2 - ext1, ==, 2);
  g_assert_cmpuint (seq.lost, ==, 1);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 11, NULL), ==,
      MCTX_RTP_SEQ_REORDERED);
  g_assert_cmpuint (seq.lost, ==, 0);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 11, NULL), ==,
      MCTX_RTP_SEQ_DUPLICATE);
  /* move a whole window on: 10 is now too old to judge, a stray; nothing
   * else changes, and the stream goes on */
  for (i = 13; i < 13 + MCTX_RTP_SEQ_WINDOW; i++)
    mctx_rtp_seq_push (&seq, i, NULL);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 10, NULL), ==,
      MCTX_RTP_SEQ_STRAY);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, i, NULL), ==, MCTX_RTP_SEQ_NEXT);
  g_assert_cmpuint (seq.stray, ==, 1);
  g_assert_cmpuint (seq.restarts, ==, 0);
  g_assert_cmpuint (seq.lost, ==, 0);
  /* a stray followed by its successor is a restarted sender (backwards) */
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 10, NULL), ==,
      MCTX_RTP_SEQ_STRAY);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 11, NULL), ==,
      MCTX_RTP_SEQ_RESTART);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 12, NULL), ==, MCTX_RTP_SEQ_NEXT);
  g_assert_cmpuint (seq.restarts, ==, 1);
  /* and a jump of more than MAX_JUMP the same way (forwards), no loss */
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 12 + MCTX_RTP_SEQ_MAX_JUMP + 1,
          NULL), ==, MCTX_RTP_SEQ_STRAY);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 12 + MCTX_RTP_SEQ_MAX_JUMP + 2,
          NULL), ==, MCTX_RTP_SEQ_RESTART);
  g_assert_cmpuint (seq.restarts, ==, 2);
  g_assert_cmpuint (seq.stray, ==, 3);
  g_assert_cmpuint (seq.lost, ==, 0);
  g_assert_cmpuint (seq.duplicates, ==, 1);
  g_assert_cmpuint (seq.reordered, ==, 1);
  /* a number just inside the window after a large step is still judged */
  mctx_rtp_seq_init (&seq);
  mctx_rtp_seq_push (&seq, 0, NULL);
  mctx_rtp_seq_push (&seq, MCTX_RTP_SEQ_WINDOW, NULL);
  g_assert_cmpuint (seq.lost, ==, MCTX_RTP_SEQ_WINDOW - 1);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 1, NULL), ==,
      MCTX_RTP_SEQ_REORDERED);
  g_assert_cmpint (mctx_rtp_seq_push (&seq, 0, NULL), ==, MCTX_RTP_SEQ_STRAY);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  BASE_NS = g_get_real_time () * 1000 - 1500 * MS;
  g_test_add_func ("/analyser/rtp/in-order", test_rtp_in_order);
  g_test_add_func ("/analyser/rtp/loss", test_rtp_loss);
  g_test_add_func ("/analyser/rtp/duplicates", test_rtp_duplicates);
  g_test_add_func ("/analyser/rtp/reorder", test_rtp_reorder);
  g_test_add_func ("/analyser/rtp/wrap", test_rtp_wrap);
  g_test_add_func ("/analyser/rtp/stray", test_rtp_stray);
  g_test_add_func ("/analyser/rtp/ssrc-change", test_rtp_ssrc_change);
  g_test_add_func ("/analyser/rtp/jitter", test_rtp_jitter);
  g_test_add_func ("/analyser/rtp/not-rtp", test_not_rtp);
  g_test_add_func ("/analyser/rtp/rtcp-not-rtp", test_rtcp_not_rtp);
  g_test_add_func ("/analyser/ts/continuity", test_ts_continuity);
  g_test_add_func ("/analyser/ts/rules", test_ts_rules);
  g_test_add_func ("/analyser/udp/streams", test_udp_streams);
  g_test_add_func ("/analyser/seq/window", test_seq_window);
  return g_test_run ();
}
