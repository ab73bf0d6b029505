/* Helpers for the mctx element tests (gst-check).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every test program calls gst_mctx_check_init() first thing in main(): it
 * moves the process into a private network namespace (before any thread
 * exists) so no packet can reach a real interface, configures lo for
 * multicast, then initialises gst-check.
 */
#pragma once

#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/base/gstbasesrc.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <mctx.h>
#include "mctx-test-netns.h"

G_BEGIN_DECLS

/* waits for anything that should happen; only hit when something is wrong */
#define MCTX_CHECK_TIMEOUT (5 * GST_SECOND)
/* how long "nothing arrives" is given, after a marker proved delivery */
#define MCTX_CHECK_QUIET (100 * GST_MSECOND)

void gst_mctx_check_init (int *argc, char ***argv);

/* One entry of a test program's suite: a GST_START_TEST function run
 * @loops times (__i__ = 0 .. loops - 1). */
typedef struct
{
  TFun func;
  const gchar *name;
  gint loops;
} MctxCheckTest;

#define MCTX_CHECK_TEST(f) { (f), #f, 1 }
#define MCTX_CHECK_LOOP(f, n) { (f), #f, (n) }

/* The whole main() of an element test program: the private namespace,
 * then @setup (may be NULL; links and addresses, before any thread
 * exists), then gst-check, then the suite @name of one test case with
 * @timeout seconds per test.  Returns the exit status. */
#define mctx_check_main(argc, argv, setup, name, timeout, tests) \
  mctx_check_main_impl ((argc), (argv), (setup), (name), __FILE__, \
      (timeout), (tests), G_N_ELEMENTS (tests))
/* main() itself, calling mctx_check_main() */
#define MCTX_CHECK_MAIN(setup, name, timeout, tests) \
  int main (int argc, char **argv) \
  { \
    return mctx_check_main (argc, argv, (setup), (name), (timeout), \
        (tests)); \
  }
int mctx_check_main_impl (int argc, char **argv, void (*setup) (void),
    const gchar * name, const gchar * file, guint timeout,
    const MctxCheckTest * tests, guint n_tests);

/* "DESC ! appsink name=out" in a pipeline set to PLAYING (joined when this
 * returns) */
GstElement *mctx_rx_start (const gchar * src_desc);
/* next buffer, or NULL after timeout */
GstBuffer *mctx_rx_pull (GstElement * rx, GstClockTime timeout);
/* asserts the next buffer holds exactly text */
void mctx_rx_expect (GstElement * rx, const gchar * text);
/* asserts the next buffer is @header bytes (not compared) then text */
void mctx_rx_expect_payload (GstElement * rx, gsize header,
    const gchar * text);
/* asserts no buffer arrives within MCTX_CHECK_QUIET */
void mctx_rx_expect_nothing (GstElement * rx);

/* a harness around "mctxsink DESC-PROPERTIES", playing, with
 * stream-start, caps and segment sent */
GstHarness *mctx_tx_harness (const gchar * sink_desc);
void mctx_tx_send (GstHarness * h, const gchar * text);
/* the element made by the factory inside the harness (transfer none) */
GstElement *mctx_harness_element (GstHarness * h, const gchar * factory);
GstBuffer *mctx_buffer_new_string (const gchar * text);

/* pipeline helpers */
/* sets "prop=value prop=value" (values may hold '=', as URIs do; "prop="
 * resets prop to NULL); fails the test on an item without '=' */
void mctx_set_props (GstElement * element, const gchar * desc);
void mctx_pipeline_stop (GstElement * pipeline);
/* gst_parse_launch() that fails the test on an error; with @name, the
 * element of that name in *element (a reference: the caller unrefs it) */
GstElement *mctx_pipeline_parse (const gchar * desc, const gchar * name,
    GstElement ** element);
/* an element outside a pipeline gets a bus of its own (returned: the
 * caller's); mctx_element_free() sets it to NULL (asserted), takes the bus
 * away, flushes and unrefs both */
GstBus *mctx_element_own_bus (GstElement * element);
void mctx_element_free (GstElement * element, GstBus * bus);
/* a property as text: a string as it is (NULL too), another value
 * serialized as gst-launch writes it; mctx_assert_text() compares it */
gchar *mctx_get_text (GstElement * element, const gchar * property);
void mctx_assert_text (GstElement * element, const gchar * property,
    const gchar * want);
/* sets state, fails the test on FAILURE */
void mctx_set_state (GstElement * element, GstState state);
/* the next message of one of the types on the bus, or NULL after timeout */
GstMessage *mctx_wait_message (GstElement * pipeline, GstMessageType types,
    GstClockTime timeout);
/* the next ERROR message on the bus, or NULL after timeout */
GstMessage *mctx_wait_error (GstElement * pipeline, GstClockTime timeout);
/* asserts @msg is of @type (ERROR or WARNING), its domain/code (domain 0:
 * any) and that its text contains each string of the NULL-terminated list */
void mctx_assert_message (GstMessage * msg, GstMessageType type,
    GQuark domain, gint code, const gchar * first_needle, ...)
    G_GNUC_NULL_TERMINATED;
#define mctx_assert_error_message(msg, domain, code, ...) \
  mctx_assert_message ((msg), GST_MESSAGE_ERROR, (domain), (code), \
      __VA_ARGS__)
#define mctx_assert_warning_message(msg, domain, code, ...) \
  mctx_assert_message ((msg), GST_MESSAGE_WARNING, (domain), (code), \
      __VA_ARGS__)
/* asserts that setting @element (with a bus) to PLAYING fails with a
 * GST_RESOURCE_ERROR_SETTINGS error whose text holds each string of the
 * NULL-terminated list; the element stays where it is */
void mctx_assert_start_fails (GstElement * element,
    const gchar * first_needle, ...) G_GNUC_NULL_TERMINATED;
/* asserts the next WARNING of @pipeline, within @timeout, holds each
 * string of the NULL-terminated list */
void mctx_expect_warning (GstElement * pipeline, GstClockTime timeout,
    const gchar * first_needle, ...) G_GNUC_NULL_TERMINATED;

/* a guint64 field of the "stats" property */
/* An appsrc ! mctxsink pipeline whose render waits on a full send buffer:
 * @qdisc (a slow tbf) replaces the root qdisc of @dev, the sink gets a
 * 4 KiB send buffer and 40 single 1400-byte buffers; returns in PLAYING once
 * the sink has seen a would-block. */
GstElement *mctx_start_blocked_sender (const gchar * dev, const gchar * qdisc,
    const gchar * group, guint port, GstElement ** sink_out);

guint64 mctx_get_stat (GstElement * element, const gchar * field);
/* asserts each field of the table has its value */
typedef struct
{
  const gchar *field;
  guint64 value;
} MctxStat;
#define mctx_assert_stats(element, want) \
  mctx_assert_stats_impl ((element), (want), G_N_ELEMENTS (want))
void mctx_assert_stats_impl (GstElement * element, const MctxStat * want,
    guint n);
/* polls the stat until it reaches at least min, bounded by timeout */
gboolean mctx_wait_stat (GstElement * element, const gchar * field,
    guint64 min, GstClockTime timeout);

/* sender through libmctx directly (synchronous, for ordering tests) */
MctxPublication *mctx_raw_publication (const gchar * group, guint port,
    const gchar * source, const gchar * interface);

/* "ADDRESS:PORT", IPv6 in brackets (as mctxsink:source-address) */
gchar *mctx_socket_address_string (GSocketAddress * addr);

G_END_DECLS
