/* MctxContext: a set of publications (and subscriptions) with duplicate
 * detection and send-to-all.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mctx-test-netns.h"

#include <string.h>

static const gchar *lo_only[] = { "lo", NULL };

static void
test_duplicates (void)
{
  MctxContext *ctx = mctx_context_new ();
  MctxPublication *p1, *p2, *twin;
  GError *error = NULL;
  GList *list;

  p1 = mctx_context_add_publication (ctx, "239.50.0.1", 9100, NULL, "lo",
      &error);
  g_assert_no_error (error);
  g_assert_nonnull (p1);
  g_assert_true (mctx_publication_is_open (p1));

  /* same everything: refused, and the message names the group */
  g_assert_null (mctx_context_add_publication (ctx, "239.50.0.1", 9100, NULL,
          "lo", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE,
      "239.50.0.1");
  /* the same object again */
  g_assert_false (mctx_context_add (ctx, p1, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE,
      "239.50.0.1");
  /* an equal publication made separately, open or not */
  twin = mctx_publication_new ("239.50.0.1", 9100);
  g_object_set (twin, "interface", "lo", NULL);
  g_assert_false (mctx_context_add (ctx, twin, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE,
      "239.50.0.1");
  g_assert_true (mctx_publication_open (twin, &error));
  g_assert_false (mctx_context_add (ctx, twin, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE,
      "239.50.0.1");

  /* any one field different: accepted */
  p2 = mctx_context_add_publication (ctx, "239.50.0.1", 9101, NULL, "lo",
      &error);
  g_assert_no_error (error);
  g_assert_nonnull (p2);
  g_assert_nonnull (mctx_context_add_publication (ctx, "239.50.0.2", 9100,
          NULL, "lo", &error));
  g_assert_no_error (error);
  g_assert_nonnull (mctx_context_add_publication (ctx, "239.50.0.1", 9100,
          "10.99.0.1", "lo", &error));
  g_assert_no_error (error);
  g_assert_nonnull (mctx_context_add_publication (ctx, "239.50.0.1", 9100,
          NULL, NULL, &error));
  g_assert_no_error (error);
  g_object_set (twin, "source-port", 41000, NULL);
  g_assert_true (mctx_context_add (ctx, twin, &error));
  g_assert_no_error (error);
  g_object_unref (twin);
  twin = mctx_publication_new ("239.50.0.1", 9100);
  g_object_set (twin, "interface", "lo", "interface-index", 1, NULL);
  g_assert_true (mctx_context_add (ctx, twin, &error));
  g_assert_no_error (error);
  g_object_unref (twin);

  list = mctx_context_get_publications (ctx);
  g_assert_cmpuint (g_list_length (list), ==, 7);
  g_assert_true (list->data == p1);
  g_assert_true (list->next->data == p2);
  g_list_free (list);

  g_object_unref (ctx);
}

/* The same group written two ways is the same group. */
static void
test_duplicate_spelling (void)
{
  MctxContext *ctx = mctx_context_new ();
  GError *error = NULL;

  g_assert_nonnull (mctx_context_add_publication (ctx, "ff11::50:1", 9102,
          "fd00:99::1", "lo", &error));
  g_assert_no_error (error);
  g_assert_null (mctx_context_add_publication (ctx, "FF11:0::50:1", 9102,
          "fd00:99::1", "lo", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE, NULL);
  g_assert_null (mctx_context_add_publication (ctx, "ff11::50:1", 9102,
          "FD00:99:0::1", "lo", &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE, NULL);
  g_object_unref (ctx);
}

/* A publication that cannot open is not kept. */
static void
test_add_invalid (void)
{
  MctxContext *ctx = mctx_context_new ();
  GError *error = NULL;
  GList *list;

  g_assert_null (mctx_context_add_publication (ctx, "10.0.0.1", 9103, NULL,
          NULL, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_NOT_MULTICAST,
      "10.0.0.1");
  g_assert_null (mctx_context_add_publication (ctx, "239.50.0.3", 9103, NULL,
          "eth9", &error));
  mctx_test_assert_error (&error, MCTX_ERROR,
      MCTX_ERROR_INTERFACE_NOT_FOUND, "eth9");
  list = mctx_context_get_publications (ctx);
  g_assert_null (list);

  /* and the failed one does not block a correct one later */
  g_assert_nonnull (mctx_context_add_publication (ctx, "239.50.0.3", 9103,
          NULL, "lo", &error));
  g_assert_no_error (error);
  g_object_unref (ctx);
}

static void
test_send_all (void)
{
  MctxContext *ctx = mctx_context_new ();
  const gchar *groups[] = { "239.50.1.1", "239.50.1.2", "ff11::50:3" };
  MctxSubscription *subs[3];
  MctxPublication *pubs[3], *stuck;
  GError *error = NULL;
  guint8 fill[1000] = { 0 };
  guint i;

  for (i = 0; i < 3; i++) {
    subs[i] = mctx_test_subscription (groups[i], 9104, "interfaces", lo_only,
        NULL);
    pubs[i] = mctx_context_add_publication (ctx, groups[i], 9104, NULL, "lo",
        &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (mctx_context_send_all (ctx, (const guint8 *) "all", 3,
          &error), ==, 3);
  g_assert_no_error (error);
  for (i = 0; i < 3; i++)
    mctx_test_assert_next (subs[i], "all");

  /* closed publications are skipped */
  mctx_publication_close (pubs[1]);
  g_assert_cmpuint (mctx_context_send_all (ctx, (const guint8 *) "two", 3,
          &error), ==, 2);
  g_assert_no_error (error);
  mctx_test_assert_next (subs[0], "two");
  mctx_test_assert_next (subs[2], "two");
  mctx_test_assert_empty (subs[1]);

  /* one that would block does not stop the others; its error is returned */
  stuck = mctx_publication_new ("239.50.1.4", 9104);
  g_object_set (stuck, "interface", "s0", "loop", FALSE,
      "send-buffer-size", 4096, NULL);
  g_assert_true (mctx_publication_open (stuck, &error));
  for (i = 0; i < 1000; i++)
    if (mctx_publication_send (stuck, fill, sizeof fill, &error) < 0)
      break;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  /* first in the list, so it fails before the others send */
  {
    MctxContext *ctx2 = mctx_context_new ();

    g_assert_true (mctx_context_add (ctx2, stuck, &error));
    g_assert_true (mctx_context_add (ctx2, pubs[0], &error));
    g_assert_true (mctx_context_add (ctx2, pubs[2], &error));
    g_assert_no_error (error);
    g_assert_cmpuint (mctx_context_send_all (ctx2, (const guint8 *) "some", 4,
            &error), ==, 2);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
    g_clear_error (&error);
    /* without an error location it still sends */
    g_assert_cmpuint (mctx_context_send_all (ctx2, (const guint8 *) "more", 4,
            NULL), ==, 2);
    g_object_unref (ctx2);
  }
  mctx_test_assert_next (subs[0], "some");
  mctx_test_assert_next (subs[0], "more");
  mctx_test_assert_next (subs[2], "some");
  mctx_test_assert_next (subs[2], "more");

  g_object_unref (stuck);
  g_object_unref (ctx);
  for (i = 0; i < 3; i++)
    g_object_unref (subs[i]);
}

static void
test_add_remove (void)
{
  MctxContext *ctx = mctx_context_new ();
  MctxPublication *mine = mctx_test_lo_publication ("239.50.2.1", 9105);
  MctxSubscription *sub = mctx_test_lo_subscription ("239.50.2.1", 9105);
  MctxSubscription *sub2 = mctx_test_lo_subscription ("239.50.2.1", 9105);
  MctxPublication *borrowed;
  GError *error = NULL;
  GList *list;

  g_assert_true (mctx_context_add (ctx, mine, &error));
  g_assert_no_error (error);
  borrowed = mctx_context_add_publication (ctx, "239.50.2.2", 9105, NULL,
      "lo", &error);
  g_assert_no_error (error);

  g_assert_cmpuint (mctx_context_send_all (ctx, (const guint8 *) "x", 1,
          NULL), ==, 2);
  mctx_test_assert_next (sub, "x");

  /* removing drops the context's reference only */
  g_assert_true (mctx_context_remove (ctx, mine));
  g_assert_false (mctx_context_remove (ctx, mine));
  g_assert_true (MCTX_IS_PUBLICATION (mine));
  g_assert_true (mctx_publication_is_open (mine));
  mctx_test_send_string (mine, "still mine");
  mctx_test_assert_next (sub, "still mine");
  list = mctx_context_get_publications (ctx);
  g_assert_cmpuint (g_list_length (list), ==, 1);
  g_assert_true (list->data == borrowed);
  g_list_free (list);
  g_assert_cmpuint (mctx_context_send_all (ctx, (const guint8 *) "y", 1,
          NULL), ==, 1);
  mctx_test_assert_empty (sub);
  g_assert_true (mctx_context_remove (ctx, borrowed));
  g_assert_null (mctx_context_get_publications (ctx));
  g_assert_cmpuint (mctx_context_send_all (ctx, (const guint8 *) "z", 1,
          NULL), ==, 0);
  /* and it can come back */
  g_assert_true (mctx_context_add (ctx, mine, &error));
  g_assert_no_error (error);

  /* subscriptions: the same object twice is refused; two to one group and
   * port are fine */
  g_assert_true (mctx_context_add_subscription (ctx, sub, &error));
  g_assert_no_error (error);
  g_assert_false (mctx_context_add_subscription (ctx, sub, &error));
  mctx_test_assert_error (&error, MCTX_ERROR, MCTX_ERROR_DUPLICATE,
      "239.50.2.1");
  g_assert_true (mctx_context_add_subscription (ctx, sub2, &error));
  g_assert_no_error (error);
  list = mctx_context_get_subscriptions (ctx);
  g_assert_cmpuint (g_list_length (list), ==, 2);
  g_assert_true (list->data == sub);
  g_list_free (list);
  g_assert_true (mctx_context_remove_subscription (ctx, sub));
  g_assert_false (mctx_context_remove_subscription (ctx, sub));
  list = mctx_context_get_subscriptions (ctx);
  g_assert_cmpuint (g_list_length (list), ==, 1);
  g_assert_true (list->data == sub2);
  g_list_free (list);

  /* the context holds references: ours outlive it and vice versa */
  g_object_unref (ctx);
  g_assert_true (mctx_publication_is_open (mine));
  g_assert_true (mctx_subscription_is_open (sub2));
  g_object_unref (mine);
  g_object_unref (sub);
  g_object_unref (sub2);
}

static const MctxTestCase tests[] = {
  {"/context/duplicates", test_duplicates},
  {"/context/add-invalid", test_add_invalid},
  {"/context/send-all", test_send_all},
  {"/context/add-remove", test_add_remove},
  /* last: fails with the current library (textual comparison) */
  {"/context/duplicate-spelling", test_duplicate_spelling},
};

/* s0 -> s1 at 8 kbit/s, in the namespace before any thread exists */
MCTX_TEST_MAIN (mctx_test_netns_add_link_slow, tests)
