/* mctx-demo: libmctx end to end, inside a private network namespace.
 *
 * Two senders (127.0.0.2 and 127.0.0.3) publish to one any-source group
 * and one source-specific group; four subscriptions show what each gets:
 * any-source, any-source excluding one sender, and source-specific for
 * each sender. Everything stays on the namespace's own loopback interface.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BATCH 32

static gchar *opt_group = NULL;
static gchar *opt_ssm_group = NULL;
static gint opt_packets = 20000;
static gint opt_size = 1316;
static gint opt_port = 5004;
static gboolean opt_gro = FALSE;

static GOptionEntry entries[] = {
  {"group", 'g', 0, G_OPTION_ARG_STRING, &opt_group,
      "Any-source group (default 239.255.1.1)", "ADDR"},
  {"ssm-group", 's', 0, G_OPTION_ARG_STRING, &opt_ssm_group,
      "Source-specific group (default 232.1.1.1)", "ADDR"},
  {"packets", 'n', 0, G_OPTION_ARG_INT, &opt_packets,
      "Datagrams per sender and group (1..1000000, default 20000)", "N"},
  {"size", 0, 0, G_OPTION_ARG_INT, &opt_size,
      "Datagram size in bytes (16..8192, default 1316)", "BYTES"},
  {"port", 'p', 0, G_OPTION_ARG_INT, &opt_port, "UDP port (default 5004)",
      "PORT"},
  {"gro", 0, 0, G_OPTION_ARG_NONE, &opt_gro,
      "Receive with UDP GRO (coalesced reads)", NULL},
  {NULL}
};

/* FALSE, with the message printed, on an unknown option or a number out
 * of its range */
static gboolean
parse_options (gint * argc, gchar *** argv)
{
  const struct
  {
    const gchar *name;
    const gint *value;
    gint min, max;
  } ranges[] = {
    {"packets", &opt_packets, 1, 1000000}, {"size", &opt_size, 16, 8192},
    {"port", &opt_port, 1, 65535},
  };
  GOptionContext *ctx;
  GError *err = NULL;
  gboolean ok;
  guint i;

  ctx = g_option_context_new ("- libmctx demo in a private network namespace");
  g_option_context_add_main_entries (ctx, entries, NULL);
  ok = g_option_context_parse (ctx, argc, argv, &err);
  g_option_context_free (ctx);
  if (!ok) {
    g_printerr ("mctx-demo: %s\n", err->message);
    g_error_free (err);
    return FALSE;
  }
  if (opt_group == NULL)
    opt_group = g_strdup ("239.255.1.1");
  if (opt_ssm_group == NULL)
    opt_ssm_group = g_strdup ("232.1.1.1");
  for (i = 0; i < G_N_ELEMENTS (ranges); i++) {
    gint v = *ranges[i].value;

    if (v < ranges[i].min || v > ranges[i].max) {
      g_printerr ("mctx-demo: --%s %d: must be %d..%d\n", ranges[i].name, v,
          ranges[i].min, ranges[i].max);
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
run (const gchar * cmd)
{
  gint status = 0;
  GError *err = NULL;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &err)) {
    g_printerr ("mctx-demo: %s: %s\n", cmd, err->message);
    g_error_free (err);
    return FALSE;
  }
  if (!g_spawn_check_wait_status (status, NULL)) {
    g_printerr ("mctx-demo: '%s' failed\n", cmd);
    return FALSE;
  }
  return TRUE;
}

/* A private network namespace: nothing we send can reach a real network. */
static gboolean
isolate (void)
{
  if (unshare (CLONE_NEWNET) != 0) {
    g_printerr ("mctx-demo: cannot create a private network namespace "
        "(%s); run as root\n", g_strerror (errno));
    return FALSE;
  }
  return run ("ip link set lo up multicast on") &&
      run ("ip route add 224.0.0.0/4 dev lo");
}

typedef struct
{
  const gchar *label;
  MctxSubscription *sub;
  guint64 from[2];
  guint64 bad_payload;
} Receiver;

static MctxSubscription *
subscribe (const gchar * group, const gchar * key, const gchar * value)
{
  MctxSubscription *sub = mctx_subscription_new (group, opt_port);
  const gchar *list[] = { value, NULL };
  GError *err = NULL;

  g_object_set (sub, "receive-buffer-size", 4 * 1024 * 1024, "gro", opt_gro,
      NULL);
  if (key != NULL)
    g_object_set (sub, key, list, NULL);
  if (!mctx_subscription_open (sub, &err)) {
    g_printerr ("mctx-demo: subscription to %s: %s\n", group, err->message);
    exit (1);
  }
  return sub;
}

static void
drain (Receiver * r, guint8 * bufs, MctxMessage * msgs)
{
  GError *err = NULL;
  guint i;
  gint n;

  for (;;) {
    for (i = 0; i < BATCH; i++) {
      msgs[i].buffer = bufs + (gsize) i * 65536;
      msgs[i].buffer_size = 65536;
    }
    n = mctx_subscription_receive_messages (r->sub, msgs, BATCH, &err);
    if (n < 0) {
      if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_printerr ("mctx-demo: %s: %s\n", r->label, err->message);
      g_clear_error (&err);
      return;
    }
    for (i = 0; i < (guint) n; i++) {
      /* the payload names its sender: byte 0 is the sender's number */
      guint8 who = msgs[i].buffer[0];

      if (who < 2 && msgs[i].info.source.bytes[3] == 2 + who)
        r->from[who]++;
      else
        r->bad_payload++;
    }
  }
}

int
main (int argc, char **argv)
{
  GError *err = NULL;
  MctxContext *mctx;
  MctxPublication *pubs[2][2];
  Receiver recv[5];
  const gchar *sources[2] = { "127.0.0.2", "127.0.0.3" };
  guint8 *payload, *bufs;
  MctxMessage msgs[BATCH];
  GOutputVector vec[BATCH];
  GOutputMessage out[BATCH];
  gint64 start, deadline;
  guint g, s, i, r;

  if (!parse_options (&argc, &argv))
    return 2;
  if (!isolate ())
    return 1;

  recv[0] = (Receiver) {
  "any-source", subscribe (opt_group, NULL, NULL)};
  recv[1] = (Receiver) {
  "any-source, exclude 127.0.0.3", subscribe (opt_group, "exclude-sources",
        sources[1])};
  recv[2] = (Receiver) {
  "source-specific 127.0.0.2", subscribe (opt_ssm_group, "sources",
        sources[0])};
  recv[3] = (Receiver) {
  "source-specific 127.0.0.3", subscribe (opt_ssm_group, "sources",
        sources[1])};

  mctx = mctx_context_new ();
  for (g = 0; g < 2; g++)
    for (s = 0; s < 2; s++) {
      pubs[g][s] = mctx_context_add_publication (mctx,
          g == 0 ? opt_group : opt_ssm_group, opt_port, sources[s], NULL,
          &err);
      if (pubs[g][s] == NULL) {
        g_printerr ("mctx-demo: publication: %s\n", err->message);
        return 1;
      }
    }

  g_print ("mctx-demo: %d datagrams of %d bytes from each of %s and %s to "
      "%s and %s, port %d\n", opt_packets, opt_size, sources[0], sources[1],
      opt_group, opt_ssm_group, opt_port);

  payload = g_malloc0 (2 * opt_size);
  payload[0] = 0;
  payload[opt_size] = 1;
  bufs = g_malloc ((gsize) BATCH * 65536);
  start = g_get_monotonic_time ();
  deadline = start + 30 * G_USEC_PER_SEC;
  for (g = 0; g < 2; g++)
    for (s = 0; s < 2; s++) {
      gint left = opt_packets;

      while (left > 0 && g_get_monotonic_time () < deadline) {
        guint n = MIN (left, BATCH);
        gint sent;

        for (i = 0; i < n; i++) {
          vec[i].buffer = payload + s * opt_size;
          vec[i].size = opt_size;
          out[i] = (GOutputMessage) {
          NULL, &vec[i], 1, 0, NULL, 0};
        }
        sent = mctx_publication_send_messages (pubs[g][s], out, n, &err);
        if (sent < 0) {
          if (!g_error_matches (err, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
            g_printerr ("mctx-demo: send: %s\n", err->message);
            return 1;
          }
          g_clear_error (&err);
          mctx_publication_wait_writable (pubs[g][s], 100000, NULL, NULL);
        } else {
          left -= sent;
        }
        /* read as we go so the receivers' buffers never overflow */
        for (r = 0; r < 4; r++)
          drain (&recv[r], bufs, msgs);
      }
    }
  for (r = 0; r < 4; r++) {
    while (mctx_subscription_wait_readable (recv[r].sub, 200000, NULL, NULL))
      drain (&recv[r], bufs, msgs);
  }

  g_print ("\n%-32s %12s %12s %10s %10s\n", "subscription", "from .0.2",
      "from .0.3", "dropped", "filtered");
  for (r = 0; r < 4; r++) {
    MctxSubscriptionStats st;

    mctx_subscription_get_stats (recv[r].sub, &st);
    g_print ("%-32s %12" G_GUINT64_FORMAT " %12" G_GUINT64_FORMAT " %10"
        G_GUINT64_FORMAT " %10" G_GUINT64_FORMAT "\n", recv[r].label,
        recv[r].from[0], recv[r].from[1], st.kernel_drops, st.filtered);
  }
  g_print ("\nelapsed %.2f s\n",
      (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  {
    /* what each subscription must have received */
    guint64 want[4][2] = {
      {opt_packets, opt_packets}, {opt_packets, 0},
      {opt_packets, 0}, {0, opt_packets}
    };
    gboolean ok = TRUE;

    for (r = 0; r < 4; r++)
      ok = ok && recv[r].from[0] == want[r][0] &&
          recv[r].from[1] == want[r][1] && recv[r].bad_payload == 0;
    g_print ("%s\n", ok ? "demo OK: every subscription got exactly what it "
        "asked for" : "demo FAILED: see the table");
    for (r = 0; r < 4; r++)
      g_object_unref (recv[r].sub);
    g_object_unref (mctx);
    g_free (payload);
    g_free (bufs);
    return ok ? 0 : 1;
  }
}
