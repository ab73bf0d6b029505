/* Fuzz target for the plugin's SDP input (gst/gstmctxsdp.c, on GStreamer's
 * SDP parser): what mctxsrc does with a user's SDP.  Input: the first byte
 * picks the media selector (none, an index, a mid), the rest is the SDP
 * text (only text starting with "v=": anything else would be a path).
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Checked: a parse gives a multicast group, a usable port and RTP caps,
 * and what it gives builds into an SDP that parses back to the same group
 * and port; a refusal is an MCTX_ERROR whose message names sdp/sdp-media.
 */
#include "gstmctxsdp.h"

#include <gio/gio.h>
#include <mctx.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

/* GLib's quark table grows by allocating a larger block and leaving the
 * old one to lock-free readers, so every old block looks like a leak at
 * exit; this target grows it (each caps field name the fuzzer invents
 * becomes a quark). Under the sanitizers: full stacks on malloc, so that
 * these blocks, and only these, can be told apart and suppressed. */
const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=30";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:_dl_init\nleak:g_quark_from_string\n"
      "leak:g_quark_from_static_string\n";
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static const gchar *selectors[] = { NULL, "0", "1", "mid:1", "a", "v" };
  static gboolean inited;
  GstMctxSdpStream s;
  GError *err = NULL;
  gchar *text;

  if (!inited) {
    gst_init (NULL, NULL);
    inited = TRUE;
  }
  if (size < 3 || size > 16384 || data[1] != 'v' || data[2] != '=')
    return 0;
  text = g_strndup ((const gchar *) data + 1, size - 1);
  if (gst_mctx_sdp_parse (text, selectors[data[0] % G_N_ELEMENTS (selectors)],
          &s, &err)) {
    GInetAddress *g = g_inet_address_new_from_string (s.leg[0].group);
    GstMctxSdpDescription d = { 0 };
    GstMctxSdpStream back;
    gchar *built;

    g_assert (g != NULL && g_inet_address_get_is_multicast (g));
    g_assert (s.leg[0].port >= 1 && s.leg[0].port <= 65535);
    g_assert (s.leg[0].caps != NULL);
    g_assert (!s.has_redundant || s.leg[1].group != NULL);
    d.origin_address = g_inet_address_get_family (g) ==
        G_SOCKET_FAMILY_IPV4 ? "192.0.2.1" : "2001:db8::1";
    d.legs = s.leg;
    d.n_legs = s.has_redundant ? 2 : 1;
    /* legs of another family than the origin, or caps the writer cannot
     * express, may be refused: only check what builds */
    built = gst_mctx_sdp_build (&d, NULL);
    if (built != NULL && gst_mctx_sdp_parse (built, NULL, &back, NULL)) {
      g_assert (strcmp (back.leg[0].group, s.leg[0].group) == 0);
      g_assert (back.leg[0].port == s.leg[0].port);
      gst_mctx_sdp_stream_clear (&back);
    }
    g_free (built);
    g_object_unref (g);
    gst_mctx_sdp_stream_clear (&s);
  } else {
    g_assert (err != NULL && err->domain == MCTX_ERROR);
    g_assert (g_str_has_prefix (err->message, "sdp"));
    g_error_free (err);
  }
  g_free (text);
  return 0;
}
