/* mctx-instructions: a fixed workload for counting the instructions
 * libmctx spends per datagram (run under callgrind by
 * tools/instructions.sh): 1500 rounds of 32 datagrams of 1316 bytes, sent
 * with send_messages() and received with receive_messages(), on lo in a
 * private network namespace. Instruction counts do not swing with the
 * machine's load the way packet rates do.
 *
 *   mctx-instructions [plain|gro]
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define BATCH 32
#define ROUNDS 1500

int
main (int argc, char **argv)
{
  gboolean gro = argc > 1 && strcmp (argv[1], "gro") == 0;
  const gchar *ifs[] = { "lo", NULL };
  static guint8 bufs[BATCH][2048], payload[BATCH][1316];
  MctxMessage msgs[BATCH];
  GOutputVector vec[BATCH];
  GOutputMessage out[BATCH];
  MctxSubscription *sub;
  MctxPublication *pub;
  GError *err = NULL;
  guint64 got = 0, want = (guint64) BATCH * ROUNDS;
  guint i, r, spins = 0;

  /* nothing leaves the machine: a namespace of our own with only lo */
  if (unshare (CLONE_NEWNET) != 0 ||
      system ("ip link set lo up && ip link set lo multicast on && "
          "ip route add 224.0.0.0/4 dev lo") != 0) {
    fprintf (stderr, "mctx-instructions: needs root (network namespace)\n");
    return 77;
  }
  sub = g_object_new (MCTX_TYPE_SUBSCRIPTION, "group", "239.9.9.9", "port",
      6000, "interfaces", ifs, "receive-buffer-size", 32 << 20, "gro", gro,
      "timestamps", FALSE, "follow-interfaces", FALSE, NULL);
  pub = g_object_new (MCTX_TYPE_PUBLICATION, "group", "239.9.9.9", "port",
      6000, "interface", "lo", NULL);
  if (!mctx_subscription_open (sub, &err) ||
      !mctx_publication_open (pub, &err)) {
    fprintf (stderr, "%s\n", err->message);
    return 1;
  }
  for (i = 0; i < BATCH; i++) {
    vec[i].buffer = payload[i];
    vec[i].size = sizeof (payload[i]);
    memset (&out[i], 0, sizeof (out[i]));
    out[i].vectors = &vec[i];
    out[i].num_vectors = 1;
  }
  for (r = 0; r < ROUNDS; r++) {
    guint sent = 0;

    /* bounded: a socket buffer that never drains ends the run */
    while (sent < BATCH && spins < 100000000) {
      gint n = mctx_publication_send_messages (pub, out + sent, BATCH - sent,
          NULL);
      if (n > 0)
        sent += n;
      spins++;
    }
    while (got < (guint64) BATCH * (r + 1) && spins < 100000000) {
      gint n;

      for (i = 0; i < BATCH; i++) {
        msgs[i].buffer = bufs[i];
        msgs[i].buffer_size = sizeof (bufs[i]);
      }
      n = mctx_subscription_receive_messages (sub, msgs, BATCH, NULL);
      if (n > 0)
        got += n;
      spins++;
    }
  }
  printf ("received %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT "\n", got,
      want);
  g_object_unref (sub);
  g_object_unref (pub);
  return got == want ? 0 : 1;
}
