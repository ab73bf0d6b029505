/* GStreamer mctx plugin
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gstmctxsrcmerge.c: mctxsrc with #GstMctxSrc:redundant-uri set receives
 * two legs (SMPTE ST 2022-7) and merges them with an MctxMerger, in the
 * streaming thread: each leg is read in batches into its own slots of
 * buffers from the merge's own pool (a held datagram may wait up to
 * max-path-delay, longer than the one-leg path's batch blocks should), every datagram is pushed into the merger with its arrival
 * time, and what the merger hands out goes downstream as a buffer list.
 * A held datagram is the slot's buffer itself (no copy); the slot gets a
 * fresh one. No lock is taken per packet: the merger's counters are
 * relaxed atomics that the stats reader may read from any thread.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstmctxsrcmerge.h"
#include "gstmctxlegs.h"

#include <gst/net/gstnetaddressmeta.h>
#include <errno.h>
#include <poll.h>

#define GST_CAT_DEFAULT gst_mctx_debug

/* one pop hands out at most this many; more follow in the next one */
#define POP_BATCH 256
/* every leg, as a mask of GstMctxSrcMerge.ready */
#define ALL_LEGS ((1u << GST_MCTX_SRC_N_LEGS) - 1)

typedef struct
{
  GstBuffer *buffer;
  GstMapInfo map;
} MergeSlot;

typedef struct
{
  MctxSubscription *sub;
  gchar *uri;
  MctxMessage *messages;
  MergeSlot *slots;
  MctxSubscriptionStats last_stats;
  guint64 non_rtp_seen;
  gint64 last_non_rtp_warning;
} MergeLeg;

struct _GstMctxSrcMerge
{
  MctxMerger *merger;
  GstBufferPool *pool;
  MergeLeg legs[GST_MCTX_SRC_N_LEGS];
  guint n_slots;
  MctxMessage out[POP_BATCH];
  /* the merger's counters at stop */
  MctxMergerStats last_stats;
  MctxMergerLegStats last_leg_stats[GST_MCTX_SRC_N_LEGS];
  gboolean stopped;
  gint64 last_arrival_us;
  /* the legs the next pass reads (bit per leg): the ones the last poll
   * found readable, all of them after a pass that got data */
  guint ready;
  /* the merged stream's name for the analyser */
  MctxAddress stream_source, stream_group;
  guint16 stream_source_port;
  gboolean have_stream_source;
  /* the element's cancellable as an fd, made once per run (a wait must
   * not create and close an eventfd) */
  gint cancel_fd;
};

static void
leg_state_changed (MctxMerger * merger, guint leg, gboolean up,
    GstMctxSrc * src)
{
  GstMctxSrcMerge *m = src->merge;
  const gchar *uri = m->legs[leg].uri;

  GST_INFO_OBJECT (src, "leg %u (%s) is %s", leg, uri, up ? "up" : "down");
  gst_element_post_message (GST_ELEMENT_CAST (src),
      gst_message_new_element (GST_OBJECT_CAST (src),
          gst_structure_new (up ? "GstMctxSrcLegUp" : "GstMctxSrcLegDown",
              "leg", G_TYPE_UINT, leg, "uri", G_TYPE_STRING, uri, NULL)));
}

/* leg 0's URI as the element's own */
static gchar *
main_uri (GstMctxSrc * src)
{
  gchar *uri = gst_uri_handler_get_uri (GST_URI_HANDLER (src));

  return uri ? uri : g_strdup ("");
}

static void
free_slots (GstMctxSrcMerge * m)
{
  guint l, i;

  for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
    MergeLeg *leg = &m->legs[l];

    for (i = 0; leg->slots && i < m->n_slots; i++) {
      if (leg->slots[i].buffer) {
        gst_buffer_unmap (leg->slots[i].buffer, &leg->slots[i].map);
        gst_buffer_unref (leg->slots[i].buffer);
      }
    }
    g_clear_pointer (&leg->slots, g_free);
    g_clear_pointer (&leg->messages, g_free);
  }
}

static void
drain (GstMctxSrcMerge * m)
{
  guint n, i;

  while ((n = mctx_merger_drain (m->merger, m->out, POP_BATCH, NULL)) > 0) {
    for (i = 0; i < n; i++)
      gst_buffer_unref (m->out[i].user_data);
  }
}

/**
 * gst_mctx_src_merge_start:
 *
 * Called by start() with leg 0 (src->sub) open. Without redundant-uri it
 * does nothing. Otherwise it opens leg 1, checks the pair and sets up the
 * merger; on failure it posts an error naming the property.
 *
 * Returns: %FALSE on failure
 */
gboolean
gst_mctx_src_merge_start (GstMctxSrc * src, MctxSubscription * leg0)
{
  GstMctxSrcMerge *m;
  MctxSubscription *legs[GST_MCTX_SRC_N_LEGS];
  GObject *sub;
  gchar *uri;
  guint delay, timeout, i;
  GError *err = NULL;
  const gchar *property = "redundant-uri";
  gchar *value;

  uri = gst_mctx_settings_get_string (&src->settings, GST_OBJECT (src),
      "redundant-uri");
  if (uri == NULL) {
    /* a single-leg run: no merge figures from an earlier one */
    gst_mctx_src_merge_free (src);
    return TRUE;
  }
  delay = gst_mctx_settings_get_number (&src->settings, GST_OBJECT (src),
      "max-path-delay");
  timeout = gst_mctx_settings_get_number (&src->settings, GST_OBJECT (src),
      "leg-timeout");

  /* the last run's figures go; a stats reader never sees a half-made
   * merge: it is published once complete */
  gst_mctx_src_merge_free (src);
  m = g_new0 (GstMctxSrcMerge, 1);
  m->cancel_fd = -1;
  m->legs[0].uri = main_uri (src);
  m->legs[1].uri = g_strdup (uri);

  sub = g_object_new (MCTX_TYPE_SUBSCRIPTION, "timestamps", TRUE, NULL);
  /* the element-wide socket settings apply to both legs */
  {
    gboolean gro = FALSE;
    gint size = 0;

    g_object_get (leg0, "gro", &gro, "receive-buffer-size", &size, NULL);
    g_object_set (sub, "gro", gro, "receive-buffer-size", size, NULL);
  }
  if (!gst_mctx_legs_apply_uri (G_OBJECT (src), src->settings.table,
          "sources", uri, sub, &err))
    goto failed;

  legs[0] = leg0;
  legs[1] = MCTX_SUBSCRIPTION (sub);
  if (!mctx_redundant_check_legs (legs, GST_MCTX_SRC_N_LEGS, &err))
    goto failed;

  m->merger = mctx_merger_new (GST_MCTX_SRC_N_LEGS, &err);
  if (m->merger == NULL)
    goto failed;
  property = "max-path-delay";
  if (!mctx_merger_set_max_path_delay (m->merger, delay, &err))
    goto failed;
  property = "leg-timeout";
  if (!mctx_merger_set_leg_timeout (m->merger, timeout, &err))
    goto failed;

  property = "redundant-uri";
  if (!mctx_subscription_open (MCTX_SUBSCRIPTION (sub), &err))
    goto failed;

  m->pool = gst_buffer_pool_new ();
  {
    GstStructure *config = gst_buffer_pool_get_config (m->pool);

    gst_buffer_pool_config_set_params (config, NULL, src->cur_mtu, 0, 0);
    if (!gst_buffer_pool_set_config (m->pool, config)
        || !gst_buffer_pool_set_active (m->pool, TRUE)) {
      g_set_error (&err, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NO_SPACE_LEFT,
          "could not set up a pool of %u byte buffers (property 'mtu')",
          src->cur_mtu);
      gst_clear_object (&m->pool);
      goto failed;
    }
  }

  m->cancel_fd = g_cancellable_get_fd (src->cancellable);
  g_signal_connect (m->merger, "leg-state-changed",
      G_CALLBACK (leg_state_changed), src);
  m->legs[0].sub = g_object_ref (leg0);
  m->legs[1].sub = MCTX_SUBSCRIPTION (sub);
  m->ready = ALL_LEGS;
  m->last_arrival_us = g_get_monotonic_time ();

  GST_INFO_OBJECT (src, "merging leg 0 %s and leg 1 %s, max-path-delay %u "
      "ms, leg-timeout %u ms", m->legs[0].uri, uri, delay, timeout);

  GST_OBJECT_LOCK (src);
  src->merge = m;
  GST_OBJECT_UNLOCK (src);
  g_free (uri);
  return TRUE;

failed:
  if (g_str_equal (property, "redundant-uri"))
    value = g_strdup (uri);
  else
    value = g_strdup_printf ("%u", g_str_equal (property, "max-path-delay") ?
        delay : timeout);
  gst_mctx_bridge_post_settings_error (GST_ELEMENT (src), property, value, err);
  g_free (value);
  g_clear_error (&err);
  gst_mctx_bridge_discard (sub);
  /* never published: no figures for a run that did not start */
  g_clear_object (&m->merger);
  for (i = 0; i < GST_MCTX_SRC_N_LEGS; i++)
    g_free (m->legs[i].uri);
  g_free (m);
  g_free (uri);
  return FALSE;
}

/* keeps the counters for the stats property; closes leg 1 (leg 0 is the
 * element's own subscription). A published merge is complete (merger,
 * pool and both legs): merge_start publishes it only then. */
void
gst_mctx_src_merge_stop (GstMctxSrc * src)
{
  GstMctxSrcMerge *m = src->merge;
  guint i;

  if (m == NULL || m->stopped)
    return;

  free_slots (m);
  drain (m);
  /* the pool goes now (its GstPoll holds fds); buffers still downstream
   * keep it alive until they return */
  gst_buffer_pool_set_active (m->pool, FALSE);
  gst_clear_object (&m->pool);

  GST_OBJECT_LOCK (src);
  mctx_merger_get_stats (m->merger, &m->last_stats);
  for (i = 0; i < GST_MCTX_SRC_N_LEGS; i++) {
    mctx_merger_get_leg_stats (m->merger, i, &m->last_leg_stats[i]);
    gst_mctx_lib_get_stats (m->legs[i].sub, &m->legs[i].last_stats);
  }
  m->stopped = TRUE;
  GST_OBJECT_UNLOCK (src);

  if (m->cancel_fd >= 0) {
    g_cancellable_release_fd (src->cancellable);
    m->cancel_fd = -1;
  }
  g_signal_handlers_disconnect_by_data (m->merger, src);
  mctx_subscription_close (m->legs[1].sub);
}

void
gst_mctx_src_merge_free (GstMctxSrc * src)
{
  GstMctxSrcMerge *m;
  guint i;

  gst_mctx_src_merge_stop (src);
  /* unpublished first: stats readers take it under the object lock */
  m = gst_mctx_bridge_unpublish (GST_ELEMENT (src), (gpointer *) & src->merge);
  if (m == NULL)
    return;
  for (i = 0; i < GST_MCTX_SRC_N_LEGS; i++) {
    g_clear_object (&m->legs[i].sub);
    g_free (m->legs[i].uri);
  }
  g_clear_object (&m->merger);
  g_free (m);
}

/* gives every slot of every leg a mapped buffer of cur_mtu bytes */
static GstFlowReturn
fill_slots (GstMctxSrc * src, GstMctxSrcMerge * m)
{
  guint l, i;

  if (m->legs[0].slots == NULL) {
    m->n_slots = src->cur_batch;
    for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
      m->legs[l].slots = g_new0 (MergeSlot, m->n_slots);
      m->legs[l].messages = g_new0 (MctxMessage, m->n_slots);
      for (i = 0; i < m->n_slots; i++)
        m->legs[l].messages[i].user_data = &m->legs[l].slots[i];
    }
  }

  for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
    for (i = 0; i < m->n_slots; i++) {
      MctxMessage *msg = &m->legs[l].messages[i];
      MergeSlot *slot = msg->user_data;

      if (slot->buffer == NULL) {
        GstFlowReturn flow;

        flow = gst_buffer_pool_acquire_buffer (m->pool, &slot->buffer, NULL);
        if (flow != GST_FLOW_OK) {
          slot->buffer = NULL;
          return flow;
        }
        if (!gst_buffer_map (slot->buffer, &slot->map, GST_MAP_WRITE)) {
          gst_buffer_unref (slot->buffer);
          slot->buffer = NULL;
          return GST_FLOW_ERROR;
        }
      }
      msg->buffer = slot->map.data;
      msg->buffer_size = slot->map.size;
    }
  }
  return GST_FLOW_OK;
}

static void
report_non_rtp (GstMctxSrc * src, guint l, MergeLeg * leg)
{
  leg->non_rtp_seen++;
  if (!gst_mctx_warning_due (&leg->last_non_rtp_warning))
    return;
  GST_ELEMENT_WARNING (src, STREAM, WRONG_TYPE,
      ("Dropped a datagram on leg %u (%s) that is not RTP: the legs of a "
          "redundant stream must carry RTP", l, leg->uri),
      ("%" G_GUINT64_FORMAT " non-RTP datagrams dropped on leg %u so far",
          leg->non_rtp_seen, l));
}


/* the clocks of one pass of create() over the legs, each read once and
 * only when needed */
typedef struct
{
  gint64 now_ns;                /* monotonic; 0 until read */
  GstMctxSrcClock clock;        /* running time; for the held datagrams */
  gboolean have_clock;
} MergePass;

static gint64
pass_now (MergePass * p)
{
  if (p->now_ns == 0)
    p->now_ns = g_get_monotonic_time () * 1000;
  return p->now_ns;
}

/* reads what is waiting on leg @l (one batch) into the merger.
 * Returns: datagrams read, 0 when none was waiting, -1 on error */
static gint
read_leg (GstMctxSrc * src, GstMctxSrcMerge * m, guint l, MergePass * p,
    GError ** error)
{
  MergeLeg *leg = &m->legs[l];
  gint64 now_ns;
  gint n, i;

  n = mctx_subscription_receive_messages (leg->sub, leg->messages, m->n_slots,
      error);
  if (n < 0) {
    if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
      g_clear_error (error);
      return 0;
    }
    return -1;
  }
  if (n == 0)
    return 0;

  now_ns = pass_now (p);
  m->last_arrival_us = now_ns / 1000;

  for (i = 0; i < n; i++) {
    MctxMessage *msg = &leg->messages[i];
    MergeSlot *slot = msg->user_data;
    MctxMergerVerdict verdict;

    if (msg->info.truncated || msg->info.wire_size > msg->buffer_size) {
      gst_mctx_src_report_truncated (src, &msg->info, l);
      continue;
    }

    /* the merger keeps user_data: the buffer itself, not the slot */
    msg->user_data = slot->buffer;
    verdict = mctx_merger_push (m->merger, l, msg, now_ns);
    if (verdict == MCTX_MERGER_HELD) {
      GstBuffer *buf = slot->buffer;

      /* the merger reads the header at push only: unmapped, the buffer
       * waits in the merger as plain memory */
      gst_buffer_unmap (buf, &slot->map);
      slot->buffer = NULL;
      /* as on the one-leg path: each buffer at its datagram's kernel
       * time */
      if (!p->have_clock) {
        gst_mctx_src_clock_read (src, &p->clock);
        p->have_clock = TRUE;
      }
      GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf) =
          gst_mctx_src_clock_map (&p->clock, msg->info.timestamp_ns);
      /* sender address and socket-timestamp metas as on one leg */
      gst_mctx_src_add_metas (src, buf, &msg->info);
    } else if (verdict == MCTX_MERGER_NOT_RTP) {
      report_non_rtp (src, l, leg);
    }
    msg->user_data = slot;
  }
  return n;
}

/* waits for a leg to become readable, an interface event, the merger's
 * next deadline, the element's timeout or unlock, from @now_ns (the
 * pass's); sets m->ready to the legs to read.
 * Returns: FALSE when cancelled */
static gboolean
wait_legs (GstMctxSrc * src, GstMctxSrcMerge * m, gint64 now_ns,
    GError ** error)
{
  struct pollfd fds[2 * GST_MCTX_SRC_N_LEGS + 1];
  guint64 timeout = src->timeout;
  gint64 now_us = now_ns / 1000;
  gint64 wake_ns, wait_us = -1;
  guint nfds = 0, l;
  gint r;

  wake_ns = mctx_merger_next_deadline (m->merger, now_ns);
  if (wake_ns != G_MAXINT64)
    wait_us = MAX (0, (wake_ns - now_ns + 999) / 1000);
  /* wake up for a periodic stats message too */
  wait_us = gst_mctx_src_stats_wait_limit (src, wait_us);
  if (timeout > 0) {
    gint64 t = m->last_arrival_us + (gint64) (timeout / 1000) - now_us;

    if (t <= 0) {
      gst_mctx_src_post_timeout (src, timeout);
      m->last_arrival_us = now_us;
      t = timeout / 1000;
    }
    wait_us = wait_us < 0 ? t : MIN (wait_us, t);
  }

  for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
    fds[nfds].fd = mctx_subscription_get_fd (m->legs[l].sub);
    fds[nfds].events = POLLIN;
    fds[nfds++].revents = 0;
    fds[nfds].fd = mctx_subscription_get_monitor_fd (m->legs[l].sub);
    fds[nfds].events = POLLIN;
    fds[nfds++].revents = 0;
  }
  if ((fds[nfds].fd = m->cancel_fd) >= 0) {
    fds[nfds].events = POLLIN;
    fds[nfds++].revents = 0;
  }

  do {
    r = poll (fds, nfds, wait_us < 0 ? -1 :
        (int) MIN ((wait_us + 999) / 1000, G_MAXINT));
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
        "poll on the legs: %s", g_strerror (errno));
    return FALSE;
  }
  m->ready = 0;
  for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
    /* an error too: the read reports it */
    if (fds[2 * l].revents & (POLLIN | POLLERR | POLLHUP))
      m->ready |= 1u << l;
    if (fds[2 * l + 1].fd >= 0 && (fds[2 * l + 1].revents & POLLIN))
      mctx_subscription_process_interface_events (m->legs[l].sub);
  }
  if (g_cancellable_set_error_if_cancelled (src->cancellable, error))
    return FALSE;
  return TRUE;
}

/**
 * gst_mctx_src_merge_create:
 *
 * create() with two legs: reads both, merges, and hands out the ready
 * packets as one buffer (or a buffer list).
 */
GstFlowReturn
gst_mctx_src_merge_create (GstMctxSrc * src, GstBuffer ** outbuf)
{
  GstMctxSrcMerge *m = src->merge;
  GstBufferList *list = NULL;
  GError *err = NULL;
  GstFlowReturn flow;
  guint n, i, l;
  gint got;

  *outbuf = NULL;

  for (;;) {
    MergePass pass = { 0, };

    flow = fill_slots (src, m);
    if (flow != GST_FLOW_OK)
      goto alloc_failed;

    /* only the legs known to be readable: an idle leg's read is a failed
     * recvmmsg() and a GError */
    got = 0;
    for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
      gint r;

      if (!(m->ready & (1u << l)))
        continue;
      r = read_leg (src, m, l, &pass, &err);
      if (r < 0)
        goto receive_failed;
      got += r;
    }
    /* data was waiting: more may be, on either leg */
    m->ready = got > 0 ? ALL_LEGS : 0;

    n = mctx_merger_pop (m->merger, pass_now (&pass), m->out, POP_BATCH,
        NULL);
    if (n > 0)
      break;
    /* data was waiting: read again before polling */
    if (got > 0)
      continue;
    if (!wait_legs (src, m, pass.now_ns, &err))
      return gst_mctx_src_wait_failed (src, &err);
    gst_mctx_src_stats_maybe_post (src);
  }

  for (i = 0; i < n; i++) {
    GstBuffer *buf = m->out[i].user_data;

    gst_buffer_set_size (buf, m->out[i].info.size);
    if (src->analyser) {
      MctxPacketInfo *info = &m->out[i].info;

      /* the merged stream is what is analysed, as one stream (the legs
       * come from different senders to different groups): named by its
       * first packet's sender and group, whichever leg brought it. The
       * popped slots are ours: their info is only read below */
      if (!m->have_stream_source) {
        m->stream_source = info->source;
        m->stream_source_port = info->source_port;
        m->stream_group = info->destination;
        m->have_stream_source = TRUE;
      }
      info->source = m->stream_source;
      info->source_port = m->stream_source_port;
      info->destination = m->stream_group;
    }
  }
  /* the popped slots still point at the held buffers' data: one call
   * (one lock) per batch, no map per packet */
  if (src->analyser)
    mctx_stream_analyser_feed_messages (src->analyser, m->out, n);
  gst_mctx_src_stats_maybe_post (src);

  for (i = 0; i < n; i++) {
    GstBuffer *buf = m->out[i].user_data;

    if (n == 1) {
      *outbuf = buf;
      return GST_FLOW_OK;
    }
    if (list == NULL)
      list = gst_buffer_list_new_sized (n);
    gst_buffer_list_add (list, buf);
  }
  return gst_mctx_src_submit_list (src, list);

  /* ERRORS */
alloc_failed:
  {
    if (flow == GST_FLOW_FLUSHING)
      return flow;
    GST_ELEMENT_ERROR (src, RESOURCE, NO_SPACE_LEFT, (NULL),
        ("Could not get a buffer of %u bytes", src->cur_mtu));
    return GST_FLOW_ERROR;
  }
receive_failed:
  {
    GST_ELEMENT_ERROR (src, RESOURCE, READ, (NULL),
        ("Could not receive on leg %u: %s", l,
            err ? err->message : "unknown error"));
    g_clear_error (&err);
    return GST_FLOW_ERROR;
  }
}

/* the counters the merge adds, as gst_mctx_structure_set_counters() reads
 * them: the first guint64 fields of the structs, in order */
static const gchar *const leg_socket_counters[] = { "packets-received",
  "bytes-received", "kernel-drops", NULL
};

static const gchar *const leg_merge_counters[] = { "received", "delivered",
  "unique", "lost", "late", "duplicates", "non-rtp", NULL
};

G_STATIC_ASSERT (G_STRUCT_OFFSET (MctxMergerLegStats, non_rtp) ==
    6 * sizeof (guint64));

static const gchar *const merge_counters[] = { "delivered", "unrecoverable",
  "duplicates", "late", "non-rtp", "resyncs", NULL
};

G_STATIC_ASSERT (G_STRUCT_OFFSET (MctxMergerStats, resyncs) ==
    5 * sizeof (guint64));

static GstStructure *
leg_structure (guint l, const gchar * uri, const MctxMergerLegStats * ls,
    const MctxSubscriptionStats * ss)
{
  GstStructure *s = gst_structure_new ("application/x-mctx-src-leg-stats",
      "leg", G_TYPE_UINT, l,
      "uri", G_TYPE_STRING, uri,
      "up", G_TYPE_BOOLEAN, ls->up, NULL);

  gst_mctx_structure_set_counters (s, leg_socket_counters, ss, sizeof (*ss), 1);
  gst_mctx_structure_set_counters (s, leg_merge_counters, ls, sizeof (*ls), 1);
  gst_structure_set (s, "skew-mean", G_TYPE_INT64, ls->skew_mean_ns,
      "skew-max", G_TYPE_INT64, ls->skew_max_ns,
      "outages", G_TYPE_UINT64, ls->outages, NULL);
  return s;
}

/**
 * gst_mctx_src_merge_add_stats:
 *
 * Adds the merge's figures to the stats structure @s (built from leg 0's
 * subscription): the socket counters become the sums over both legs, and
 * "legs" (a #GST_TYPE_ARRAY of one structure per leg), "delivered",
 * "unrecoverable", "duplicates", "late", "non-rtp", "resyncs" and
 * "max-held" are added. Nothing without redundant-uri.
 */
void
gst_mctx_src_merge_add_stats (GstMctxSrc * src, GstStructure * s)
{
  MctxMergerStats ms;
  MctxMergerLegStats ls[GST_MCTX_SRC_N_LEGS];
  MctxSubscriptionStats ss[GST_MCTX_SRC_N_LEGS];
  gchar *uris[GST_MCTX_SRC_N_LEGS] = { NULL, };
  GValue legs = G_VALUE_INIT;
  GstMctxSrcMerge *m;
  guint l;

  GST_OBJECT_LOCK (src);
  m = src->merge;
  if (m == NULL) {
    GST_OBJECT_UNLOCK (src);
    return;
  }
  if (m->stopped) {
    ms = m->last_stats;
    for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
      ls[l] = m->last_leg_stats[l];
      ss[l] = m->legs[l].last_stats;
    }
  } else {
    mctx_merger_get_stats (m->merger, &ms);
    for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
      mctx_merger_get_leg_stats (m->merger, l, &ls[l]);
      mctx_subscription_get_stats (m->legs[l].sub, &ss[l]);
    }
  }
  for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++)
    uris[l] = g_strdup (m->legs[l].uri);
  GST_OBJECT_UNLOCK (src);

  g_value_init (&legs, GST_TYPE_ARRAY);
  for (l = 0; l < GST_MCTX_SRC_N_LEGS; l++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, leg_structure (l, uris[l], &ls[l], &ss[l]));
    gst_value_array_append_and_take_value (&legs, &v);
    g_free (uris[l]);
  }

  /* the socket counters summed over the legs */
  gst_mctx_structure_set_counters (s, gst_mctx_subscription_counters, ss,
      sizeof (ss[0]), GST_MCTX_SRC_N_LEGS);
  gst_mctx_structure_set_counters (s, merge_counters, &ms, sizeof (ms), 1);
  gst_structure_set (s, "max-held", G_TYPE_UINT, ms.max_held, NULL);
  gst_structure_take_value (s, "legs", &legs);
}
