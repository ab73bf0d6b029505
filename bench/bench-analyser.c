/* Cost of MctxStreamAnalyser per datagram: crafted datagrams fed from
 * memory (no network), in batches of 32 as mctxsrc would, and one by one,
 * one stream or 100 (other source ports).  The figure includes patching
 * the sequence number, timestamp and TS counters of each datagram.
 *   bench-analyser [DATAGRAMS]
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 32
#define SIZE 1328               /* 12-byte RTP header + 7 x 188 */
#define TS_SIZE 1316            /* 7 x 188 */

typedef enum
{
  K_UDP,
  K_RTP,
  K_TS,
  K_RTP_TS,
} Kind;
static const char *names[] = { "udp", "rtp", "mpegts", "rtp-mpegts" };

/* full: the whole datagram; otherwise only the fields that change */
static void
craft (guint8 * d, Kind k, guint i, gboolean full)
{
  gsize off = 0, j;

  if (full)
    memset (d, 0x11, SIZE);
  if (k == K_RTP || k == K_RTP_TS) {
    d[0] = 0x80;
    d[1] = k == K_RTP_TS ? 33 : 96;
    d[2] = i >> 8;
    d[3] = i;
    d[4] = d[5] = 0;
    d[6] = (i * 3) >> 8;
    d[7] = i * 3;
    d[8] = d[9] = d[10] = d[11] = 7;
    off = 12;
  }
  if (k == K_TS || k == K_RTP_TS)
    for (j = 0; j < 7; j++) {
      guint8 *t = d + off + j * 188;
      t[0] = 0x47;
      t[1] = 0x01;              /* PID 0x100 */
      t[2] = 0x00;
      t[3] = 0x10 | ((i * 7 + j) & 0xf);
    }
}

static double
run (Kind k, guint streams, guint64 n, gboolean batched)
{
  MctxStreamAnalyser *a = mctx_stream_analyser_new (5004);
  MctxMessage msgs[BATCH];
  guint8 *slab = g_malloc (BATCH * SIZE);
  MctxAddress src, grp;
  gint64 t0, t1;
  guint64 i, done = 0;
  guint b;

  mctx_address_parse ("10.0.0.1", "source", &src, NULL);
  mctx_address_parse ("239.1.1.1", "group", &grp, NULL);
  for (b = 0; b < BATCH; b++) {
    memset (&msgs[b], 0, sizeof (msgs[b]));
    msgs[b].buffer = slab + b * SIZE;
    msgs[b].buffer_size = SIZE;
    msgs[b].info.source = src;
    msgs[b].info.destination = grp;
    msgs[b].info.size = msgs[b].info.wire_size = k == K_TS ? TS_SIZE : SIZE;
    craft (msgs[b].buffer, k, 0, TRUE);
  }
  /* the payloads change per round only in the header fields that count */
  t0 = g_get_monotonic_time ();
  for (i = 0; done < n; i++) {
    for (b = 0; b < BATCH; b++) {
      guint64 seq = (i * BATCH + b) / streams;
      craft (msgs[b].buffer, k, (guint) seq, FALSE);
      msgs[b].info.source_port = 4000 + (i * BATCH + b) % streams;
      msgs[b].info.timestamp_ns = G_GINT64_CONSTANT (1700000000000000000) +
          (gint64) (i * BATCH + b) * 10000;
    }
    if (batched)
      mctx_stream_analyser_feed_messages (a, msgs, BATCH);
    else
      for (b = 0; b < BATCH; b++)
        mctx_stream_analyser_feed (a, &msgs[b].info, msgs[b].buffer,
            msgs[b].info.size);
    done += BATCH;
  }
  t1 = g_get_monotonic_time ();
  {
    GList *s = mctx_stream_analyser_get_streams (a);
    MctxStreamStats *st = s->data;
    if (g_list_length (s) != streams || st->lost || st->cc_errors
        || !g_str_equal (st->kind, names[k]))
      fprintf (stderr, "unexpected counts: %u streams, kind %s, lost %"
          G_GUINT64_FORMAT ", cc %" G_GUINT64_FORMAT "\n", g_list_length (s),
          st->kind, st->lost, st->cc_errors);
    g_list_free_full (s, (GDestroyNotify) mctx_stream_stats_free);
  }
  g_object_unref (a);
  g_free (slab);
  return (t1 - t0) * 1000.0 / done;
}

static double
best (Kind k, guint streams, guint64 n, gboolean batched)
{
  double m = G_MAXDOUBLE;
  gint r;

  for (r = 0; r < 5; r++)
    m = MIN (m, run (k, streams, n, batched));
  return m;
}

int
main (int argc, char **argv)
{
  guint64 n = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 2000000;
  Kind k;

  /* best of 5 runs: the machine is shared */
  printf ("kind,streams,mode,ns_per_datagram\n");
  for (k = K_UDP; k <= K_RTP_TS; k++) {
    printf ("%s,1,batch32,%.1f\n", names[k], best (k, 1, n, TRUE));
    printf ("%s,1,single,%.1f\n", names[k], best (k, 1, n, FALSE));
    printf ("%s,100,batch32,%.1f\n", names[k], best (k, 100, n, TRUE));
  }
  return 0;
}
