/* Standalone driver for the fuzz targets when libFuzzer is not used (gcc):
 * runs every file named on the command line, or every file of a named
 * directory, through LLVMFuzzerTestOneInput once.
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static guint
run_file (const gchar * path)
{
  gchar *data = NULL;
  gsize len = 0;
  GError *err = NULL;

  if (!g_file_get_contents (path, &data, &len, &err)) {
    g_printerr ("%s\n", err->message);
    g_error_free (err);
    return 0;
  }
  LLVMFuzzerTestOneInput ((const guint8 *) data, len);
  g_free (data);
  return 1;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  int i;

  for (i = 1; i < argc; i++) {
    if (g_file_test (argv[i], G_FILE_TEST_IS_DIR)) {
      GDir *dir = g_dir_open (argv[i], 0, NULL);
      const gchar *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL) {
        gchar *path = g_build_filename (argv[i], name, NULL);

        n += run_file (path);
        g_free (path);
      }
      if (dir)
        g_dir_close (dir);
    } else {
      n += run_file (argv[i]);
    }
  }
  printf ("ran %u inputs\n", n);
  return n > 0 ? 0 : 1;
}
