/* Fuzz target for every libmctx parser of user text: addresses, groups,
 * sources, comma lists, source lists, ports. Input: one line selects the
 * parser by its first byte, the rest is the text.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <mctx.h>

#include <string.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  gchar *text;
  MctxAddress addr;
  GError *err = NULL;
  gchar **list;
  GArray *arr;
  guint which;

  if (size == 0 || size > 4096)
    return 0;
  which = data[0] % 6;
  text = g_strndup ((const gchar *) data + 1, size - 1);

  switch (which) {
    case 0:
      if (mctx_address_parse (text, "address", &addr, &err)) {
        gchar *back = mctx_address_to_string (&addr);
        MctxAddress again;

        /* what we print, we parse back to the same address */
        g_assert (mctx_address_parse (back, NULL, &again, NULL));
        g_assert (mctx_address_equal (&addr, &again));
        g_free (back);
        (void) mctx_address_is_ssm (&addr);
        (void) mctx_address_needs_interface (&addr);
      }
      break;
    case 1:
      if (mctx_parse_group (text, "group", &addr, &err))
        g_assert (mctx_address_is_multicast (&addr));
      break;
    case 2:
      if (mctx_parse_source (text, "source", &addr, &err))
        g_assert (!mctx_address_is_multicast (&addr) &&
            !mctx_address_is_unspecified (&addr));
      break;
    case 3:
      list = mctx_split_list (text, "interfaces", &err);
      if (list != NULL) {
        guint i;

        for (i = 0; list[i] != NULL; i++)
          g_assert (list[i][0] != '\0' && strchr (list[i], ',') == NULL);
        g_strfreev (list);
      }
      break;
    case 4:
      arr = mctx_parse_address_list (text, "sources", &err);
      if (arr != NULL) {
        guint i;

        for (i = 1; i < arr->len; i++)
          g_assert (g_array_index (arr, MctxAddress, i).family ==
              g_array_index (arr, MctxAddress, 0).family);
        g_array_unref (arr);
      }
      break;
    default:{
      guint64 port = g_ascii_strtoull (text, NULL, 10);

      (void) mctx_check_port ((guint) MIN (port, G_MAXUINT), "port", FALSE,
          &err);
      break;
    }
  }
  /* every failure says what it refused */
  if (err != NULL) {
    g_assert (err->domain == MCTX_ERROR);
    g_assert (err->message != NULL && err->message[0] != '\0');
    g_error_free (err);
  }
  g_free (text);
  return 0;
}
