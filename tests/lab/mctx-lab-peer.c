/* mctx-lab-peer: the sender and receiver the lab tests run on their hosts.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 *   mctx-lab-peer send GROUP PORT [--source A] [--interface IF] [--ttl N]
 *                      [--count N] [--rate PPS] [--tag T] [--end]
 *   mctx-lab-peer recv GROUP PORT [--sources A,B] [--interface IF]
 *                      [--ends N] [--leave] [--leave-after MS] [--gaps MS]
 *                      [--timeout MS]
 *
 * Datagrams carry "TAG SEQ" (data) or "END" (a marker).  A receiver prints
 * "joined" once its subscription is open, counts data per sender address
 * and tag, and stops after it has seen --ends markers (or, with --ends 0,
 * at SIGTERM or the timeout): a marker sent after a burst
 * proves that everything of the burst that was going to arrive has arrived
 * (same path, in order), so "nothing arrived" is checked without waiting.
 * With --leave it then leaves the group (socket kept open), prints "left",
 * and counts whatever still arrives until SIGTERM or the timeout.
 * A receiver also reports when the first data datagram arrived after the
 * join and the longest silence between two data datagrams (the outage of a
 * stream sent with --rate while the network reconverges); with --gaps it
 * prints each silence of at least that length as it ends ("gap MS").
 * "missing" counts the sequence numbers skipped between the data datagrams
 * that did arrive (one sender and tag assumed), "late" those that came out
 * of order or twice.
 *
 * It does not create a namespace: the lab fixture (lab.sh) runs it inside
 * one of its hosts.
 */
#include <mctx.h>
#include "mctx-tool.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static gchar *opt_source = NULL;
static gchar *opt_sources = NULL;
static gchar *opt_interface = NULL;
static gchar *opt_tag = NULL;
static gint opt_ttl = 1;
static gint opt_count = 100;
static gint opt_rate = 0;
static gint opt_size = 64;
static gint opt_ends = 1;
static gint opt_timeout_ms = 10000;
static gint opt_buffer = 2 * 1024 * 1024;
static gboolean opt_end = FALSE;
static gboolean opt_leave = FALSE;
static gint opt_leave_after_ms = 0;
static gint opt_gaps_ms = 0;

static GOptionEntry entries[] = {
  {"source", 0, 0, G_OPTION_ARG_STRING, &opt_source,
      "send: source address", "ADDR"},
  {"sources", 0, 0, G_OPTION_ARG_STRING, &opt_sources,
      "recv: comma separated sources (source-specific)", "A,B"},
  {"interface", 0, 0, G_OPTION_ARG_STRING, &opt_interface,
      "interface name", "IF"},
  {"ttl", 0, 0, G_OPTION_ARG_INT, &opt_ttl, "send: TTL / hop limit", "N"},
  {"count", 0, 0, G_OPTION_ARG_INT, &opt_count,
      "send: data datagrams (0..100000)", "N"},
  {"size", 0, 0, G_OPTION_ARG_INT, &opt_size,
      "send: datagram size (16..1400)", "BYTES"},
  {"rate", 0, 0, G_OPTION_ARG_INT, &opt_rate,
      "send: datagrams per second (0: at once; <= 100000)", "PPS"},
  {"tag", 0, 0, G_OPTION_ARG_STRING, &opt_tag, "send: payload tag", "T"},
  {"end", 0, 0, G_OPTION_ARG_NONE, &opt_end,
      "send: finish with an END marker", NULL},
  {"ends", 0, 0, G_OPTION_ARG_INT, &opt_ends,
      "recv: stop after this many END markers", "N"},
  {"leave", 0, 0, G_OPTION_ARG_NONE, &opt_leave,
      "recv: after the markers, leave and count what still arrives", NULL},
  {"leave-after", 0, 0, G_OPTION_ARG_INT, &opt_leave_after_ms,
      "recv: leave this long after the join (markers or not)", "MS"},
  {"gaps", 0, 0, G_OPTION_ARG_INT, &opt_gaps_ms,
      "recv: print each silence of this length or more", "MS"},
  {"buffer", 0, 0, G_OPTION_ARG_INT, &opt_buffer,
      "recv: socket receive buffer in bytes", "BYTES"},
  {"timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout_ms,
      "bound on the whole run", "MS"},
  {NULL}
};

static void
send_one (MctxPublication * pub, const guint8 * data, gsize size)
{
  GError *error = NULL;

  if (!mctx_tool_send (pub, data, size, opt_timeout_ms * 1000, &error)) {
    g_printerr ("send: %s\n", error->message);
    exit (1);
  }
}

static int
do_send (const gchar * group, guint port)
{
  GError *error = NULL;
  MctxPublication *pub = mctx_publication_new (group, port);
  MctxPublicationStats stats;
  guint8 buf[1400];
  gint64 start;
  gint i;

  g_object_set (pub, "ttl", opt_ttl, NULL);
  if (opt_source)
    g_object_set (pub, "source", opt_source, NULL);
  if (opt_interface)
    g_object_set (pub, "interface", opt_interface, NULL);
  if (!mctx_publication_open (pub, &error)) {
    g_printerr ("send: %s\n", error->message);
    return 1;
  }
  start = g_get_monotonic_time ();
  for (i = 0; i < opt_count && !mctx_tool_stop_requested (); i++) {
    if (opt_rate > 0) {
      /* paced from the start time, so delays do not accumulate */
      gint64 due = start + (gint64) i * G_USEC_PER_SEC / opt_rate;
      gint64 now = g_get_monotonic_time ();
      if (due > now)
        g_usleep (due - now);
    }
    memset (buf, '.', opt_size);
    snprintf ((gchar *) buf, opt_size, "%s %d", opt_tag ? opt_tag : "DATA", i);
    send_one (pub, buf, opt_size);
  }
  if (opt_end)
    send_one (pub, (const guint8 *) "END", 3);
  mctx_publication_get_stats (pub, &stats);
  printf ("sent %" G_GUINT64_FORMAT "\n", stats.packets_sent);
  g_object_unref (pub);
  return 0;
}

static int
do_recv (const gchar * group, guint port)
{
  GError *error = NULL;
  MctxSubscription *sub = mctx_subscription_new (group, port);
  MctxSubscriptionStats stats;
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;
  gint64 deadline = g_get_monotonic_time () + opt_timeout_ms * 1000;
  gint ends = 0;
  gboolean left = FALSE;
  guint64 total = 0, after_leave = 0;
  gint64 joined_at, first_at = 0, last_at = 0, max_gap = 0;
  gint64 last_seq = -1;
  guint64 missing = 0, late = 0;

  /* a burst is sent as fast as the sender can: with the default buffer
   * (208 KiB) a receiver that the scheduler keeps waiting on a loaded
   * machine overflows it (seen in CI-like runs: Udp6RcvbufErrors) */
  g_object_set (sub, "receive-buffer-size", opt_buffer, NULL);
  if (opt_sources) {
    gchar **sources = g_strsplit (opt_sources, ",", -1);
    g_object_set (sub, "sources", sources, NULL);
    g_strfreev (sources);
  }
  if (opt_interface) {
    const gchar *ifaces[] = { opt_interface, NULL };
    g_object_set (sub, "interfaces", ifaces, NULL);
  }
  if (!mctx_subscription_open (sub, &error)) {
    g_printerr ("recv: %s\n", error->message);
    return 1;
  }
  printf ("joined\n");
  joined_at = g_get_monotonic_time ();

  while (!mctx_tool_stop_requested ()
      && g_get_monotonic_time () < deadline) {
    guint8 buf[2048];
    MctxPacketInfo info;
    gssize n;

    gboolean leave_now = opt_leave_after_ms > 0
        && g_get_monotonic_time () - joined_at >= opt_leave_after_ms * 1000;

    if (!left && ((opt_ends > 0 && ends >= opt_ends) || leave_now)) {
      if (!opt_leave && !leave_now)
        break;
      if (!mctx_subscription_leave (sub, &error)) {
        g_printerr ("recv: leave: %s\n", error->message);
        return 1;
      }
      left = TRUE;
      printf ("left\n");
    }
    /* short waits so SIGTERM is seen promptly */
    if (!mctx_subscription_wait_readable (sub, 100000, NULL, &error)) {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)) {
        g_clear_error (&error);
        continue;
      }
      g_printerr ("recv: wait: %s\n", error->message);
      return 1;
    }
    n = mctx_subscription_receive (sub, buf, sizeof buf - 1, &info, &error);
    if (n < 0) {
      /* filtered datagrams report would-block */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
        g_clear_error (&error);
        continue;
      }
      g_printerr ("recv: %s\n", error->message);
      return 1;
    }
    if (left) {
      after_leave++;
      continue;
    }
    if (n == 3 && memcmp (buf, "END", 3) == 0) {
      ends++;
      continue;
    } else {
      /* counted per sender address and tag (the payload's first word) */
      gchar *src = mctx_address_to_string (&info.source);
      gchar *tag_key;
      gpointer old;
      gint64 now = g_get_monotonic_time ();
      const gchar *space;
      gint64 seq;

      if (first_at == 0) {
        /* at once: the join latency is read while the receiver runs */
        first_at = now;
        printf ("first-data-ms %.1f\n", (first_at - joined_at) / 1000.0);
      } else {
        if (now - last_at > max_gap)
          max_gap = now - last_at;
        if (opt_gaps_ms > 0 && now - last_at >= opt_gaps_ms * 1000)
          printf ("gap %.1f\n", (now - last_at) / 1000.0);
      }
      last_at = now;

      buf[n] = 0;
      space = strchr ((gchar *) buf, ' ');
      seq = space ? g_ascii_strtoll (space + 1, NULL, 10) : -1;
      if (seq > last_seq) {
        if (last_seq >= 0)
          missing += seq - last_seq - 1;
        last_seq = seq;
      } else {
        late++;
      }
      tag_key = g_strdup_printf ("%s tag %.*s", src,
          (int) strcspn ((gchar *) buf, " "), (gchar *) buf);
      g_free (src);
      old = g_hash_table_lookup (counts, tag_key);
      g_hash_table_insert (counts, tag_key,
          GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + 1));
      total++;
    }
  }

  mctx_subscription_get_stats (sub, &stats);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    printf ("source %s packets %" G_GSIZE_FORMAT "\n", (gchar *) key,
        GPOINTER_TO_SIZE (value));
  printf ("ends %d\n", ends);
  printf ("total %" G_GUINT64_FORMAT "\n", total);
  printf ("after-leave %" G_GUINT64_FORMAT "\n", after_leave);
  printf ("kernel-drops %" G_GUINT64_FORMAT "\n", stats.kernel_drops);
  printf ("max-gap-ms %.1f\n", max_gap / 1000.0);
  printf ("missing %" G_GUINT64_FORMAT "\n", missing);
  printf ("late %" G_GUINT64_FORMAT "\n", late);
  g_hash_table_unref (counts);
  g_object_unref (sub);
  return 0;
}

int
main (int argc, char **argv)
{
  GError *error = NULL;
  gint64 port;
  int ret;

  if (!mctx_tool_parse_options (&argc, &argv, "send|recv GROUP PORT", NULL,
          entries, NULL, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  if (argc != 4 || opt_count < 0 || opt_count > 100000 || opt_size < 16
      || opt_size > 1400 || opt_rate < 0 || opt_rate > 100000
      || opt_ends < 0 || opt_leave_after_ms < 0 || opt_gaps_ms < 0) {
    g_printerr ("usage: mctx-lab-peer send|recv GROUP PORT [options]\n");
    return 2;
  }
  port = g_ascii_strtoll (argv[3], NULL, 10);
  /* the output is read by scripts while the program runs */
  setvbuf (stdout, NULL, _IOLBF, 0);
  mctx_tool_stop_on (SIGTERM);

  if (strcmp (argv[1], "send") == 0)
    ret = do_send (argv[2], port);
  else if (strcmp (argv[1], "recv") == 0)
    ret = do_recv (argv[2], port);
  else {
    g_printerr ("unknown command %s\n", argv[1]);
    ret = 2;
  }
  g_free (opt_source);
  g_free (opt_sources);
  g_free (opt_interface);
  g_free (opt_tag);
  return ret;
}
