/* Process resources and settings from the environment, for the tests and
 * the soak program (GLib only: no namespace, no GStreamer).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* AddressSanitizer keeps freed memory in a quarantine and has shadow
 * memory, so RSS says nothing about leaks there (LeakSanitizer does). */
#if defined(__SANITIZE_ADDRESS__)
#define MCTX_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MCTX_TEST_UNDER_ASAN 1
#endif
#endif
#ifndef MCTX_TEST_UNDER_ASAN
#define MCTX_TEST_UNDER_ASAN 0
#endif

/* open file descriptors of this process (not counting the one used to
 * count them); aborts when /proc/self/fd cannot be read, so two counts
 * always compare exactly */
gint mctx_test_count_fds (void);

/* resident set size in KiB, from /proc/self/status; -1 when unreadable */
gint64 mctx_test_rss_kib (void);

/* a positive count from the environment, or the default */
guint mctx_test_env_uint (const gchar * name, guint def);

/* writes a 12-byte RTP header (version 2, no CSRC, marker clear) at @d */
void mctx_test_rtp_header (guint8 * d, guint8 pt, guint16 seq, guint32 ts,
    guint32 ssrc);

/* the most of the (ascending) times @t, in ns, that fall within any 1 ms:
 * how bursty a paced stream arrived */
guint mctx_test_max_burst_1ms (const gint64 * t, guint n);

G_END_DECLS
