/* Interfaces that go away and come back under running elements: mctxsrc
 * rejoins by itself and says so on the bus and in its stats; mctxsink
 * warns, drops while it cannot send, and resumes.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstmctx-check.h"

#include <string.h>

#define GROUP "239.60.0.1"

static void
make_wire (void)
{
  mctx_test_netns_add_veth ("g0", "g1", "10.60.0.1/24", "10.60.0.2/24",
      NULL, NULL);
}

/* The element message named @name, or NULL after @timeout. */
static GstMessage *
wait_element_message (GstElement * pipeline, const gchar * name,
    GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstClockTime deadline = gst_util_get_timestamp () + timeout;
  GstMessage *msg = NULL;

  while (gst_util_get_timestamp () < deadline) {
    msg = gst_bus_timed_pop_filtered (bus, deadline -
        gst_util_get_timestamp (), GST_MESSAGE_ELEMENT);
    if (msg == NULL)
      break;
    if (gst_structure_has_name (gst_message_get_structure (msg), name))
      break;
    gst_message_unref (msg);
    msg = NULL;
  }
  gst_object_unref (bus);
  return msg;
}

static void
push_text (GstElement * tx, const gchar * text)
{
  GstElement *in = gst_bin_get_by_name (GST_BIN (tx), "in");

  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (in),
          mctx_buffer_new_string (text)), GST_FLOW_OK);
  gst_object_unref (in);
}

GST_START_TEST (test_interface_recreated)
{
  GstElement *rx, *tx, *src;
  GstMessage *msg;
  GstBuffer *buf = NULL;
  const GstStructure *st;
  gboolean joined;
  guint i;

  make_wire ();
  rx = mctx_rx_start ("mctxsrc name=src address=" GROUP " port=6001 "
      "interface=g1");
  src = gst_bin_get_by_name (GST_BIN (rx), "src");
  tx = gst_parse_launch ("appsrc name=in is-live=true format=time ! "
      "mctxsink address=" GROUP " port=6001 interface=g0 loop=false "
      "sync=false", NULL);
  mctx_set_state (tx, GST_STATE_PLAYING);

  push_text (tx, "before");
  mctx_rx_expect (rx, "before");

  mctx_test_run ("ip link del g0");
  /* the source notices at once (it is waiting for data) */
  msg = wait_element_message (rx, "GstMctxSrcInterfaceChanged",
      MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL, "no GstMctxSrcInterfaceChanged after delete");
  st = gst_message_get_structure (msg);
  fail_unless_equals_string (gst_structure_get_string (st, "interface"),
      "g1");
  fail_unless (gst_structure_get_boolean (st, "joined", &joined));
  fail_if (joined);
  gst_message_unref (msg);

  /* the sink keeps going: a warning, not an error */
  push_text (tx, "lost");
  msg = mctx_wait_message (tx, GST_MESSAGE_WARNING | GST_MESSAGE_ERROR,
      MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_WARNING);
  gst_message_unref (msg);

  make_wire ();
  msg = wait_element_message (rx, "GstMctxSrcInterfaceChanged",
      MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL, "no GstMctxSrcInterfaceChanged after re-create");
  st = gst_message_get_structure (msg);
  fail_unless (gst_structure_get_boolean (st, "joined", &joined));
  fail_unless (joined);
  gst_message_unref (msg);

  /* the sink re-finds g0 within a few sends (it retries every 100 ms) */
  for (i = 0; i < 50 && buf == NULL; i++) {
    push_text (tx, "after");
    buf = mctx_rx_pull (rx, 100 * GST_MSECOND);
  }
  fail_unless (buf != NULL, "nothing received after the interface came back");
  gst_buffer_unref (buf);
  msg = mctx_wait_message (tx, GST_MESSAGE_INFO, MCTX_CHECK_TIMEOUT);
  fail_unless (msg != NULL, "no info message when sending resumed");
  gst_message_unref (msg);
  fail_unless_equals_int (mctx_get_stat (src, "interface-changes"), 2);

  gst_object_unref (src);
  mctx_pipeline_stop (tx);
  mctx_pipeline_stop (rx);
  mctx_test_run ("ip link del g0");
}

GST_END_TEST;

static const MctxCheckTest tests[] = {
  MCTX_CHECK_TEST (test_interface_recreated),
};

MCTX_CHECK_MAIN (NULL, "mctx-interfaces", 60, tests)
