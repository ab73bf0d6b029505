/* mctxsink / mctxsrc refuse malformed and conflicting settings cleanly.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * For every row of badinput-cases.h: start fails with
 * GST_RESOURCE_ERROR_SETTINGS naming the property and the value, the
 * element is back in NULL with no file descriptor left open (three times in
 * a row, so a leak per attempt shows), and once the row's fix is applied the
 * same element reaches PLAYING.  Garbage URIs are refused by
 * gst_element_make_from_uri() and gst_uri_handler_set_uri() with an error
 * that quotes them and leave the element's settings as they were; set
 * through the "uri" property, the next start fails naming 'uri' and the
 * URI, until a URI that parses is set.
 */
#include "gstmctx-check.h"
#include "badinput-cases.h"

#include <string.h>

/* a row's settings, "{NAME}" expanded */
static void
set_props (GstElement * e, const gchar * desc)
{
  gchar *expanded = badinput_expand (desc);

  mctx_set_props (e, expanded);
  g_free (expanded);
}

static GstElement *
make_pipeline (const BadInput * c, GstElement ** e)
{
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *other;

  if (c->flags & BAD_SINK) {
    *e = gst_element_factory_make ("mctxsink", "under-test");
    other = gst_element_factory_make ("fakesrc", NULL);
    /* a few small zeroed buffers are enough to prove the sink works */
    gst_util_set_object_arg (G_OBJECT (other), "sizetype", "fixed");
    gst_util_set_object_arg (G_OBJECT (other), "filltype", "zero");
    g_object_set (other, "num-buffers", 3, "sizemax", 16, NULL);
    g_object_set (*e, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add_many (GST_BIN (pipe), other, *e, NULL);
    fail_unless (gst_element_link (other, *e));
  } else {
    *e = gst_element_factory_make ("mctxsrc", "under-test");
    other = gst_element_factory_make ("fakesink", NULL);
    /* a live source never prerolls the sink without data */
    g_object_set (other, "async", FALSE, NULL);
    gst_bin_add_many (GST_BIN (pipe), *e, other, NULL);
    fail_unless (gst_element_link (*e, other));
  }
  return pipe;
}

GST_START_TEST (test_bad_input)
{
  BadInput run;
  const BadInput *c = &run;
  GstElement *pipe, *e;
  GstState state;
  gchar *prop, *value;
  gint fds = 0;
  guint round;

  /* a row for the other element only: nothing to do in this run */
  if (!badinput_run (__i__, &run))
    return;
  prop = g_strdup_printf ("'%s'", c->property);
  value = badinput_expand (c->value);
  pipe = make_pipeline (c, &e);
  set_props (e, c->bad);

  /* three times: a failed start leaves the element as good as new */
  for (round = 0; round < 3; round++) {
    GstMessage *msg;
    GstBus *bus;

    fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
        GST_STATE_CHANGE_FAILURE);
    msg = mctx_wait_error (pipe, MCTX_CHECK_TIMEOUT);
    fail_unless (msg != NULL, "'%s': no error message", c->bad);
    fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (e));
    mctx_assert_error_message (msg, GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, "Invalid value for property", prop,
        value ? value : prop, NULL);
    gst_message_unref (msg);

    fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    gst_element_get_state (e, &state, NULL, 0);
    fail_unless_equals_int (state, GST_STATE_NULL);

    /* drop the base class's generic "failed to start" error after ours */
    bus = gst_element_get_bus (pipe);
    gst_bus_set_flushing (bus, TRUE);
    gst_bus_set_flushing (bus, FALSE);
    gst_object_unref (bus);

    /* the first attempt may create fds kept for good (the bus's) */
    if (round == 0)
      fds = mctx_test_count_fds ();
    else
      fail_unless_equals_int (mctx_test_count_fds (), fds);
  }

  set_props (e, c->fix);
  fail_if (gst_element_set_state (pipe, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE, "'%s' still fails after '%s'", c->bad, c->fix);
  fail_unless_equals_int (gst_element_get_state (pipe, &state, NULL,
          MCTX_CHECK_TIMEOUT), GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (state, GST_STATE_PLAYING);
  fail_unless (mctx_wait_error (pipe, 0) == NULL);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  fail_unless_equals_int (mctx_test_count_fds (), fds);

  gst_object_unref (pipe);
  g_free (prop);
  g_free (value);
}

GST_END_TEST;

GST_START_TEST (test_garbage_uri)
{
  const gchar *uri = garbage_uris[__i__];
  static const GstURIType types[] = { GST_URI_SRC, GST_URI_SINK };
  static const gchar *good = "mctx://239.9.9.9:5555?interface=lo";
  guint t;

  for (t = 0; t < G_N_ELEMENTS (types); t++) {
    GError *err = NULL;
    GstElement *e;
    GstMessage *msg;
    GstElement *pipe;
    gchar *now;

    e = gst_element_make_from_uri (types[t], uri, NULL, &err);
    fail_unless (e == NULL, "made an element from '%s'", uri);
    fail_unless (err != NULL && err->domain == GST_URI_ERROR,
        "no GST_URI_ERROR for '%s'", uri);
    g_clear_error (&err);

    /* through the interface: the error quotes the URI; nothing changes */
    e = gst_element_make_from_uri (types[t], good, NULL, &err);
    fail_unless (e != NULL, "%s", err ? err->message : "?");
    fail_if (gst_uri_handler_set_uri (GST_URI_HANDLER (e), uri, &err));
    fail_unless (err != NULL && err->domain == GST_URI_ERROR);
    fail_unless (strstr (err->message, uri) != NULL,
        "error '%s' does not quote '%s'", err->message, uri);
    g_clear_error (&err);

    /* through the property: no setting changes, but the URI is not
     * dropped unreported either: start fails naming 'uri' and the URI (on
     * the bus of the pipeline it is in, which owns it) */
    pipe = gst_pipeline_new (NULL);
    fail_unless (gst_bin_add (GST_BIN (pipe), e));
    g_object_set (e, "uri", uri, NULL);
    now = gst_uri_handler_get_uri (GST_URI_HANDLER (e));
    fail_unless_equals_string (now, good);
    g_free (now);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PLAYING),
        GST_STATE_CHANGE_FAILURE);
    msg = mctx_wait_error (pipe, 0);
    fail_unless (msg != NULL, "no error for '%s'", uri);
    mctx_assert_error_message (msg, GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, "Invalid value for property 'uri'", uri,
        NULL);
    gst_message_unref (msg);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);

    /* a URI that parses clears it, and it starts again */
    g_object_set (e, "uri", good, NULL);
    fail_if (gst_element_set_state (e, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE, "'%s' broke the element", uri);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    gst_object_unref (pipe);
  }
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_LOOP (test_bad_input, 2 * G_N_ELEMENTS (bad_inputs)),
  MCTX_CHECK_LOOP (test_garbage_uri, G_N_ELEMENTS (garbage_uris)),
};

MCTX_CHECK_MAIN (badinput_netns_setup, "mctx-badinput", 60, tests)
