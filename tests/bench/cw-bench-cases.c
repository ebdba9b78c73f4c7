/* cw-bench-cases: times cw_project_import_cases on a generated cohort
 * file of 10,000 cases x 40 variables (';', decimal comma, BOM, CRLF), the
 * issue's target being under 0.3 s; then a re-import of the same file.
 * Usage: cw-bench-cases [DIR] */
#include "config.h"

#include <glib/gstdio.h>

#include "cw-cases.h"

#define CASES     10000
#define VARIABLES 40

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = argc > 1 ? g_strdup (argv[1]) : g_dir_make_tmp ("cw-bench-cases-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "cohort.csv", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.codewerk", NULL);
  g_autoptr(GString) text = g_string_new ("\xef\xbb\xbf" "Deelnemer");
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (6);
  gint64 start;

  for (guint v = 0; v < VARIABLES; v++)
    g_string_append_printf (text, ";V%02u", v);
  g_string_append (text, "\r\n");
  for (guint c = 0; c < CASES; c++)
    {
      g_string_append_printf (text, "D%05u", c);
      for (guint v = 0; v < VARIABLES; v++)
        switch (v % 4)
          {
          case 0: g_string_append_printf (text, ";%d", g_rand_int_range (rand, 0, 100)); break;
          case 1: g_string_append_printf (text, ";%d,%d", g_rand_int_range (rand, 1, 10), g_rand_int_range (rand, 0, 10)); break;
          case 2: g_string_append_printf (text, ";%s", g_rand_boolean (rand) ? "baan" : "geen baan"); break;
          default: g_string_append (text, g_rand_int_range (rand, 0, 5) == 0 ? ";" : ";2016-09-01"); break;
          }
      g_string_append (text, "\r\n");
    }
  g_rand_free (rand);
  g_remove (path);
  if (!g_file_set_contents (csv, text->str, (gssize) text->len, &error) ||
      !(project = cw_project_create (path, "bench", &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (int run = 0; run < 2; run++)
    {
      start = g_get_monotonic_time ();
      g_clear_pointer (&result, cw_cases_import_result_free);
      result = cw_project_import_cases (project, csv, NULL, NULL, &error);
      if (result == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%s: %u cases x %u variables in %.3f s\n", run == 0 ? "import" : "re-import",
               result->cases, result->variables, (g_get_monotonic_time () - start) / 1e6);
    }
  return 0;
}
