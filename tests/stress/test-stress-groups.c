/* Many subscriptions in one process, and the kernel's per-socket
 * membership limit.
 *
 * Each subscription (and each mctxsrc) is one socket, so 200 groups are 200
 * subscriptions or 200 elements: they must all receive their own group and
 * nothing else.  The limit net.ipv4.igmp_max_memberships (20) counts the
 * joins of one socket, i.e. one subscription on many interfaces: past it the
 * join must fail with an error that says what to change, and IPv6 (no such
 * limit) must work.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"
#include "mctx-test-util.h"

#include <string.h>
#include <sys/resource.h>

#define N_GROUPS 200
#define PORT 5700
/* veth pairs for the membership limit: 2 x 11 ends + lo = 23 interfaces up
 * with MULTICAST, more than the 20 memberships IPv4 allows per socket */
#define N_PAIRS 11
#define N_IFACES (2 * N_PAIRS + 1)
#define IGMP_MAX_MEMBERSHIPS 20

static const gchar *only_lo[] = { "lo", NULL };
static const gchar *all_ifaces[] = { "all", NULL };

static gchar *
group_of (guint i)
{
  return g_strdup_printf ("239.10.%u.%u", i / 250, i % 250 + 1);
}

/* every group's own datagram, and then nothing: IP_MULTICAST_ALL is off
 * and the destination check holds with 200 groups joined in one process */
GST_START_TEST (test_many_subscriptions)
{
  MctxSubscription *subs[N_GROUPS];
  MctxPublication *pubs[N_GROUPS];
  gint fds_before = mctx_test_count_fds (), fds_open;
  guint i;

  for (i = 0; i < N_GROUPS; i++) {
    gchar *g = group_of (i);

    subs[i] = mctx_test_subscription (g, PORT, "interfaces", only_lo, NULL);
    pubs[i] = mctx_test_publication (g, PORT, "interface", "lo", NULL);
    g_free (g);
  }
  fds_open = mctx_test_count_fds ();
  g_print ("# %d subscriptions + %d publications: %d fds\n", N_GROUPS,
      N_GROUPS, fds_open - fds_before);
  /* a publication is one socket; a subscription one socket and one
   * rtnetlink socket (it rejoins interfaces that come back): nothing more
   * per object, whatever the count */
  fail_unless (fds_open - fds_before <= 3 * N_GROUPS, "%d fds for %d groups",
      fds_open - fds_before, N_GROUPS);

  for (i = 0; i < N_GROUPS; i++) {
    gchar *text = g_strdup_printf ("group-%u", i);

    mctx_test_send_string (pubs[i], text);
    g_free (text);
  }
  for (i = 0; i < N_GROUPS; i++) {
    gchar *text = g_strdup_printf ("group-%u", i);
    MctxSubscriptionStats stats;

    mctx_test_assert_next (subs[i], text);
    mctx_test_assert_empty (subs[i]);
    mctx_subscription_get_stats (subs[i], &stats);
    fail_unless_equals_uint64 (stats.kernel_drops, 0);
    g_free (text);
  }

  for (i = 0; i < N_GROUPS; i++) {
    g_object_unref (subs[i]);
    g_object_unref (pubs[i]);
  }
  fail_unless_equals_int (mctx_test_count_fds (), fds_before);
}

GST_END_TEST;

/* the same with 200 mctxsrc elements in one pipeline */
GST_START_TEST (test_many_elements)
{
  GstElement *pipe = gst_pipeline_new ("many");
  GstElement *sinks[N_GROUPS];
  MctxPublication *pubs[N_GROUPS];
  gint fds_before;
  struct rlimit rl;
  guint i;

  /* ~5 fds per playing mctxsrc and 1 per sender: with fewer, GLib would
   * abort the process in the middle of it; say so instead */
  fail_unless (getrlimit (RLIMIT_NOFILE, &rl) == 0);
  fail_unless (rl.rlim_cur >= 6 * N_GROUPS + 100, "RLIMIT_NOFILE is %lu "
      "(hard %lu): too low for %d mctxsrc and their senders", (gulong)
      rl.rlim_cur, (gulong) rl.rlim_max, N_GROUPS);

  for (i = 0; i < N_GROUPS; i++) {
    gchar *g = group_of (i);
    GstElement *src = gst_element_factory_make ("mctxsrc", NULL);

    sinks[i] = gst_element_factory_make ("appsink", NULL);
    fail_unless (src != NULL && sinks[i] != NULL);
    g_object_set (src, "address", g, "port", PORT, "interface", "lo", NULL);
    g_object_set (sinks[i], "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add_many (GST_BIN (pipe), src, sinks[i], NULL);
    fail_unless (gst_element_link (src, sinks[i]));
    pubs[i] = mctx_test_publication (g, PORT, "interface", "lo", NULL);
    g_free (g);
  }

  fds_before = mctx_test_count_fds ();
  mctx_set_state (pipe, GST_STATE_PLAYING);
  fail_unless (gst_element_get_state (pipe, NULL, NULL, MCTX_CHECK_TIMEOUT)
      == GST_STATE_CHANGE_SUCCESS);
  g_print ("# %d mctxsrc playing: %d more fds\n", N_GROUPS,
      mctx_test_count_fds () - fds_before);

  for (i = 0; i < N_GROUPS; i++) {
    gchar *text = g_strdup_printf ("element-%u", i);

    mctx_test_send_string (pubs[i], text);
    g_free (text);
  }
  for (i = 0; i < N_GROUPS; i++) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sinks[i]),
        MCTX_CHECK_TIMEOUT);
    gchar *text = g_strdup_printf ("element-%u", i);
    GstMapInfo map;

    fail_unless (sample != NULL, "group %u: nothing arrived", i);
    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    fail_unless (map.size == strlen (text)
        && memcmp (map.data, text, map.size) == 0,
        "group %u: got '%.*s'", i, (int) map.size, map.data);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
    /* and nothing of the other 199 groups */
    fail_unless (gst_app_sink_try_pull_sample (GST_APP_SINK (sinks[i]),
            0) == NULL);
    g_free (text);
  }
  fail_unless (mctx_wait_error (pipe, 0) == NULL);

  mctx_pipeline_stop (pipe);
  /* every socket closed */
  fail_unless (mctx_test_count_fds () <= fds_before);
  for (i = 0; i < N_GROUPS; i++)
    g_object_unref (pubs[i]);
}

GST_END_TEST;

static void
set_igmp_max_memberships (guint n)
{
  gchar *v = g_strdup_printf ("%u", n);

  /* per network namespace, so only ours changes */
  mctx_test_sysctl ("ipv4/igmp_max_memberships", v);
  g_free (v);
}

/* interfaces="all" on 23 interfaces: one socket, 23 joins */
GST_START_TEST (test_membership_limit_all)
{
  MctxSubscription *sub;
  GError *err = NULL;

  set_igmp_max_memberships (IGMP_MAX_MEMBERSHIPS);
  sub = mctx_subscription_new ("239.11.0.1", PORT);
  g_object_set (sub, "interfaces", all_ifaces, NULL);
  fail_if (mctx_subscription_open (sub, &err));
  fail_unless (err != NULL);
  g_print ("# IPv4, %d interfaces, limit %d: %s\n", N_IFACES,
      IGMP_MAX_MEMBERSHIPS, err->message);
  /* says what went wrong, on which group, and which knob to turn */
  fail_unless (strstr (err->message, "239.11.0.1") != NULL);
  mctx_test_assert_error (&err, MCTX_ERROR, MCTX_ERROR_TOO_MANY_MEMBERSHIPS,
      "net.ipv4.igmp_max_memberships");
  fail_if (mctx_subscription_is_open (sub));

  /* the knob works: raised, the same subscription opens on all 23 */
  set_igmp_max_memberships (64);
  fail_unless (mctx_subscription_open (sub, &err), "%s",
      err ? err->message : "");
  {
    GArray *idx = mctx_subscription_get_interface_indexes (sub);

    fail_unless_equals_int (idx->len, N_IFACES);
    g_array_unref (idx);
  }
  mctx_subscription_close (sub);
  g_object_unref (sub);
  set_igmp_max_memberships (IGMP_MAX_MEMBERSHIPS);
}

GST_END_TEST;

/* add_interface one by one: the 21st is refused, the first 20 keep working */
GST_START_TEST (test_membership_limit_add)
{
  MctxSubscription *sub;
  MctxPublication *pub;
  GError *err = NULL;
  GArray *idx;
  guint i;

  set_igmp_max_memberships (IGMP_MAX_MEMBERSHIPS);
  sub = mctx_test_subscription ("239.11.0.2", PORT, "interfaces",
      only_lo, NULL);
  for (i = 1; i < N_IFACES; i++) {
    gchar *name = g_strdup_printf ("m%u%c", (i - 1) / 2,
        (i - 1) % 2 ? 'b' : 'a');
    gboolean ok = mctx_subscription_add_interface (sub, name, &err);

    if (i < IGMP_MAX_MEMBERSHIPS) {
      fail_unless (ok, "add_interface %s (#%u): %s", name, i + 1,
          err ? err->message : "");
    } else {
      fail_if (ok, "add_interface %s (#%u) beyond the limit succeeded", name,
          i + 1);
      if (i == IGMP_MAX_MEMBERSHIPS)
        g_print ("# add_interface #%u: %s\n", i + 1, err->message);
      fail_unless (strstr (err->message, name) != NULL, "'%s' does not "
          "name the interface", err->message);
      mctx_test_assert_error (&err, MCTX_ERROR,
          MCTX_ERROR_TOO_MANY_MEMBERSHIPS, "igmp_max_memberships");
    }
    g_free (name);
  }
  idx = mctx_subscription_get_interface_indexes (sub);
  fail_unless_equals_int (idx->len, IGMP_MAX_MEMBERSHIPS);
  g_array_unref (idx);

  /* still open and receiving on what it has */
  fail_unless (mctx_subscription_is_open (sub));
  pub = mctx_test_publication ("239.11.0.2", PORT, "interface", "lo", NULL);
  mctx_test_send_string (pub, "still-here");
  mctx_test_assert_next (sub, "still-here");
  g_object_unref (pub);
  g_object_unref (sub);
}

GST_END_TEST;

/* the element reports the limit as a settings error naming the property */
GST_START_TEST (test_membership_limit_element)
{
  GstElement *pipe;
  GstMessage *msg;
  GError *gerr = NULL;

  set_igmp_max_memberships (IGMP_MAX_MEMBERSHIPS);
  pipe = gst_parse_launch ("mctxsrc address=239.11.0.3 port=5700 "
      "interface=all ! fakesink async=false", NULL);
  fail_unless (pipe != NULL);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  msg = mctx_wait_error (pipe, MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &gerr, NULL);
  g_print ("# mctxsrc interface=all on %d interfaces: %s\n", N_IFACES,
      gerr->message);
  g_clear_error (&gerr);
  mctx_assert_error_message (msg, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "interface", "too many memberships",
      "net.ipv4.igmp_max_memberships", NULL);
  gst_message_unref (msg);
  mctx_pipeline_stop (pipe);
}

GST_END_TEST;

/* IPv6 has no per-socket count (only net.core.optmem_max): 23 joins work */
GST_START_TEST (test_membership_ipv6_all)
{
  MctxSubscription *sub;
  GArray *idx;

  sub = mctx_test_subscription ("ff1e::11:1", PORT, "interfaces",
      all_ifaces, NULL);
  idx = mctx_subscription_get_interface_indexes (sub);
  fail_unless_equals_int (idx->len, N_IFACES);
  g_array_unref (idx);
  g_object_unref (sub);
}

GST_END_TEST;

/* the links and the fd limit, in the namespace before gst starts threads */
static void
setup (void)
{
  struct rlimit rl;
  guint i;

  for (i = 0; i < N_PAIRS; i++) {
    gchar *a = g_strdup_printf ("m%ua", i), *b = g_strdup_printf ("m%ub", i);

    mctx_test_netns_add_veth (a, b, NULL, NULL, NULL, NULL);
    g_free (a);
    g_free (b);
  }

  /* 200 mctxsrc take about 800 fds (socket, rtnetlink monitor, the
   * cancellable's eventfd, ...) and their 200 senders 200 more: past the
   * usual soft limit of 1024, where GLib aborts ("Creating pipes for
   * GWakeup: Too many open files").  A program with this many streams
   * raises its soft limit; so do we, up to the hard limit. */
  if (getrlimit (RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max
      && rl.rlim_cur < 4096) {
    rl.rlim_cur = MIN (rl.rlim_max, 4096);
    setrlimit (RLIMIT_NOFILE, &rl);
  }
}

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_many_subscriptions),
  MCTX_CHECK_TEST (test_many_elements),
  MCTX_CHECK_TEST (test_membership_limit_all),
  MCTX_CHECK_TEST (test_membership_limit_add),
  MCTX_CHECK_TEST (test_membership_limit_element),
  MCTX_CHECK_TEST (test_membership_ipv6_all),
};

MCTX_CHECK_MAIN (setup, "mctx-stress-groups", 60, tests)
