/* Set-up shared by the bad input tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "badinput-cases.h"
#include "mctx-test-netns.h"

#include <string.h>

void
badinput_netns_setup (void)
{
  mctx_test_netns_add_veth ("v0", "v1", "10.98.0.1/24", "10.98.0.2/24",
      "fd00:98::1/64", "fd00:98::2/64");
  /* one address on two interfaces: naming it is ambiguous */
  mctx_test_run ("ip addr add 10.97.0.9/32 dev v0");
  mctx_test_run ("ip addr add 10.97.0.9/32 dev v1");
}

gchar *
badinput_expand (const gchar * text)
{
  GString *out;
  const gchar *p;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (p = text; *p != '\0';) {
    const gchar *close;

    if (*p == '{' && (close = strchr (p, '}')) != NULL) {
      gchar *name = g_strndup (p + 1, close - p - 1);

      g_string_append_printf (out, "%u", mctx_test_ifindex (name));
      g_free (name);
      p = close + 1;
    } else {
      g_string_append_c (out, *p++);
    }
  }
  return g_string_free (out, FALSE);
}

gboolean
badinput_run (guint i, BadInput * run)
{
  guint side = i % 2 ? BAD_SRC : BAD_SINK;

  g_assert_cmpuint (i / 2, <, G_N_ELEMENTS (bad_inputs));
  if (!(bad_inputs[i / 2].flags & side))
    return FALSE;
  *run = bad_inputs[i / 2];
  run->flags = (run->flags & ~(BAD_SINK | BAD_SRC)) | side;
  return TRUE;
}
