/* The cohort commands of codewerk-cli: cases-import, cases, variables,
 * link, on small files and on the example project. */
#include "config.h"

#include <string.h>

#include "cw-test-util.h"

#define RESET() G_STMT_START { g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free); } G_STMT_END

static int
cli (char       **out,
     char       **err,
     const char  *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  return cw_test_run ((const char * const *) argv->pdata, out, err);
}

static void
test_import_list_link (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = g_build_filename (dir, "p.codewerk", NULL);
  g_autoptr(GFile) csv = cw_test_write_file (dir, "cohort.csv",
                                             "\xef\xbb\xbf" "Deelnemer;Naam;IQ;Gemiddelde\r\nD001;Kevin;68;6,5\r\n"
                                             "D002;Sanne;;7\r\n");
  g_autoptr(GFile) text = cw_test_write_file (dir, "arena.txt", "Gespreksleider: Welkom.\nKevin: Hoi.\n");
  g_autofree char *csv_path = g_file_get_path (csv);
  g_autofree char *text_path = g_file_get_path (text);
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) variables = NULL;
  g_autoptr(GVariant) documents = NULL;
  g_autoptr(GVariant) link = NULL;
  char *out = NULL, *err = NULL;

  g_assert_cmpint (cli (&out, &err, "new", project, NULL), ==, 0);
  RESET ();
  g_assert_cmpint (cli (&out, &err, "import", project, text_path, NULL), ==, 0);
  RESET ();

  g_assert_cmpint (cli (&out, &err, "cases-import", project, csv_path, "--json", NULL), ==, 0);
  json = cw_test_parse_json (out);
  g_assert_cmpint (cw_test_json_int (json, "cases"), ==, 2);
  g_assert_cmpint (cw_test_json_int (json, "variables"), ==, 3);
  g_assert_cmpint (cw_test_json_int (json, "added"), ==, 2);
  g_clear_pointer (&json, g_variant_unref);
  RESET ();

  g_assert_cmpint (cli (&out, &err, "link", project, "D001", "arena.txt", "--speaker", "Kevin", NULL), ==, 0);
  RESET ();
  g_assert_cmpint (cli (&out, &err, "link", project, "D001", "arena.txt", "--speaker", "Nobody", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "Nobody"));
  RESET ();
  g_assert_cmpint (cli (&out, &err, "link", project, "D404", "arena.txt", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "D404"));
  RESET ();

  g_assert_cmpint (cli (&out, &err, "cases", project, "--json", NULL), ==, 0);
  json = cw_test_parse_json (out);
  g_assert_cmpuint (g_variant_n_children (json), ==, 2);
  first = cw_test_json_at (json, 0);
  g_assert_cmpstr (cw_test_json_str (first, "id"), ==, "D001");
  variables = cw_test_json_get (first, "variables");
  g_assert_cmpstr (cw_test_json_str (variables, "Naam"), ==, "Kevin");
  g_assert_cmpint (cw_test_json_int (variables, "IQ"), ==, 68);
  {
    g_autoptr(GVariant) mean = cw_test_json_get (variables, "Gemiddelde");
    g_assert_cmpfloat_with_epsilon (g_variant_get_double (mean), 6.5, 1e-9);
  }
  documents = cw_test_json_get (first, "documents");
  g_assert_cmpuint (g_variant_n_children (documents), ==, 1);
  link = cw_test_json_at (documents, 0);
  g_assert_cmpstr (cw_test_json_str (link, "speaker"), ==, "Kevin");
  g_clear_pointer (&first, g_variant_unref);
  g_clear_pointer (&variables, g_variant_unref);
  first = cw_test_json_at (json, 1);
  variables = cw_test_json_get (first, "variables");
  g_assert_true (cw_test_json_is_null (variables, "IQ"));
  g_clear_pointer (&json, g_variant_unref);
  RESET ();

  g_assert_cmpint (cli (&out, &err, "variables", project, "--json", NULL), ==, 0);
  json = cw_test_parse_json (out);
  g_assert_cmpuint (g_variant_n_children (json), ==, 3);
  {
    g_autoptr(GVariant) iq = cw_test_json_at (json, 1);
    g_assert_cmpstr (cw_test_json_str (iq, "name"), ==, "IQ");
    g_assert_cmpstr (cw_test_json_str (iq, "type"), ==, "numeric");
  }
  g_clear_pointer (&json, g_variant_unref);
  RESET ();

  /* --remove, then the text listing. */
  g_assert_cmpint (cli (&out, &err, "link", project, "D001", "arena.txt", "--speaker", "Kevin", "--remove", NULL),
                   ==, 0);
  RESET ();
  g_assert_cmpint (cli (&out, &err, "cases", project, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "id\tNaam\tIQ\tGemiddelde\nD001\tKevin\t68\t6.5\nD002\tSanne\t\t7\n"));
  RESET ();
  cw_test_remove_dir (dir);
}

static void
test_refusal (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = g_build_filename (dir, "p.codewerk", NULL);
  g_autoptr(GFile) csv = cw_test_write_file (dir, "bad.csv", "naam;leeftijd\nKevin;18\n");
  g_autofree char *csv_path = g_file_get_path (csv);
  g_autofree char *expected = NULL;
  char *out = NULL, *err = NULL;

  g_assert_cmpint (cli (&out, &err, "new", project, NULL), ==, 0);
  RESET ();
  g_assert_cmpint (cli (&out, &err, "cases-import", project, csv_path, NULL), ==, 1);
  expected = g_strdup_printf ("codewerk-cli: error: %s:1: no id column: use --id with one of: naam, leeftijd\n",
                              csv_path);
  g_assert_cmpstr (err, ==, expected);
  RESET ();
  g_assert_cmpint (cli (&out, &err, "cases-import", project, csv_path, "--id", "Naam", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"cases\":1"));
  RESET ();
  cw_test_remove_dir (dir);
}

/* The example project holds the cohort and its links (make-example). */
static void
test_example (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk",
                                               NULL);
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) dewi = NULL;
  g_autoptr(GVariant) documents = NULL;
  g_autoptr(GVariant) variables = NULL;
  char *out = NULL, *err = NULL;

  g_assert_cmpint (cli (&out, &err, "cases", example, "--json", NULL), ==, 0);
  json = cw_test_parse_json (out);
  g_assert_cmpuint (g_variant_n_children (json), ==, 24);
  dewi = cw_test_json_at (json, 3);
  g_assert_cmpstr (cw_test_json_str (dewi, "id"), ==, "D004");
  variables = cw_test_json_get (dewi, "variables");
  g_assert_cmpstr (cw_test_json_str (variables, "Naam"), ==, "Dewi");
  documents = cw_test_json_get (dewi, "documents");
  g_assert_cmpuint (g_variant_n_children (documents), ==, 4);
  RESET ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-cases/import-list-link", test_import_list_link);
  g_test_add_func ("/cli-cases/refusal", test_refusal);
  g_test_add_func ("/cli-cases/example", test_example);
  return g_test_run ();
}
