/* Test sender for the mctx-monitor tests: crafted RTP, MPEG-TS or RTP/TS
 * datagrams with known faults (reordering, SSRC changes, sequence wraps,
 * missing TS packets), sent with MctxPublication.  Bounded in count; a
 * blocked socket is waited on.  Only ever run inside a test namespace.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include "mctx-test-util.h"
#include "mctx-tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gchar *opt_interface;
static gchar *opt_kind = (gchar *) "rtp";
static gint opt_count = 100;
static gint opt_seq_start;
static gint opt_reorder_every;
static gint opt_ssrc_change_at = -1;
static gint opt_ts_drop_every;
static gint opt_gap_us = 200;
static gint opt_final_after_ms;
static gint opt_size = 200;

static GOptionEntry entries[] = {
  {"interface", 'i', 0, G_OPTION_ARG_STRING, &opt_interface, "out", "IF"},
  {"kind", 'k', 0, G_OPTION_ARG_STRING, &opt_kind, "rtp|ts|rtp-ts|udp", "K"},
  {"count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "datagrams", "N"},
  {"seq-start", 0, 0, G_OPTION_ARG_INT, &opt_seq_start, "first seq", "S"},
  {"reorder-every", 0, 0, G_OPTION_ARG_INT, &opt_reorder_every,
      "swap datagrams i and i+1 when i % K == K-2", "K"},
  {"ssrc-change-at", 0, 0, G_OPTION_ARG_INT, &opt_ssrc_change_at,
      "from datagram I on: another SSRC, sequence from 30000", "I"},
  {"ts-drop-every", 0, 0, G_OPTION_ARG_INT, &opt_ts_drop_every,
      "leave out every K-th TS packet of PID 0x100 (7 per datagram)", "K"},
  {"gap-us", 0, 0, G_OPTION_ARG_INT, &opt_gap_us, "between datagrams", "US"},
  {"final-after-ms", 0, 0, G_OPTION_ARG_INT, &opt_final_after_ms,
      "send the last datagram this long after the others", "MS"},
  {"size", 0, 0, G_OPTION_ARG_INT, &opt_size, "RTP/UDP payload bytes", "B"},
  {NULL}
};

static guint ts_index;          /* TS packets of PID 0x100 made so far */

static gsize
ts_payload (guint8 * d)
{
  gsize len = 0;
  guint k;

  for (k = 0; k < 7; k++) {
    guint i = ts_index++;
    if (opt_ts_drop_every > 0 && i % opt_ts_drop_every ==
        (guint) opt_ts_drop_every - 1)
      continue;
    memset (d + len, 0xff, 188);
    d[len] = 0x47;
    d[len + 1] = 0x01;          /* PID 0x100 */
    d[len + 2] = 0x00;
    d[len + 3] = 0x10 | (i & 0xf);
    len += 188;
  }
  return len;
}

static gsize
make (guint8 * d, guint i)
{
  gboolean changed = opt_ssrc_change_at >= 0 && i >= (guint)
      opt_ssrc_change_at;
  guint16 seq = changed ? 30000 + (i - opt_ssrc_change_at) :
      (guint16) (opt_seq_start + i);
  guint32 ssrc = changed ? 0x5eed0002 : 0x5eed0001;
  guint32 ts = i * 3000u;
  gsize len = 0;
  gboolean ts_kind = g_str_equal (opt_kind, "ts") ||
      g_str_equal (opt_kind, "rtp-ts");

  if (g_str_equal (opt_kind, "udp")) {
    memset (d, 'u', opt_size);
    return opt_size;
  }
  if (!g_str_equal (opt_kind, "ts")) {
    mctx_test_rtp_header (d, ts_kind ? 33 : 96, seq, ts, ssrc);
    len = 12;
  }
  if (ts_kind)
    return len + ts_payload (d + len);
  memset (d + len, 0x55, opt_size);
  return len + opt_size;
}

static void
send_one (MctxPublication * pub, const guint8 * d, gsize len)
{
  g_autoptr (GError) error = NULL;

  if (!mctx_tool_send (pub, d, len, 5 * G_USEC_PER_SEC, &error)) {
    fprintf (stderr, "send: %s\n", error->message);
    exit (1);
  }
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  MctxPublication *pub;
  guint8 a[2048], b[2048];
  gint i;

  if (!mctx_tool_parse_options (&argc, &argv, "GROUP PORT", NULL, entries,
          NULL, &error) || argc != 3) {
    fprintf (stderr, "usage: %s [OPTION...] GROUP PORT\n", argv[0]);
    return 2;
  }
  pub = mctx_publication_new (argv[1], atoi (argv[2]));
  g_object_set (pub, "loop", FALSE, NULL);
  if (opt_interface)
    g_object_set (pub, "interface", opt_interface, NULL);
  if (!mctx_publication_open (pub, &error)) {
    fprintf (stderr, "open: %s\n", error->message);
    return 1;
  }
  for (i = 0; i < opt_count; i++) {
    gsize la = make (a, i);
    if (opt_reorder_every > 1 && i % opt_reorder_every ==
        opt_reorder_every - 2 && i + 1 < opt_count) {
      gsize lb = make (b, i + 1);
      send_one (pub, b, lb);
      send_one (pub, a, la);
      i++;
    } else {
      if (i == opt_count - 1 && opt_final_after_ms > 0)
        g_usleep (opt_final_after_ms * 1000);
      send_one (pub, a, la);
    }
    if (opt_gap_us > 0)
      g_usleep (opt_gap_us);
  }
  g_object_unref (pub);
  return 0;
}
