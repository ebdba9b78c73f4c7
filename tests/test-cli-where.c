/* test-cli-where.c: `codings --where EXPR` on the example project: the
 * same codings as the core retrieves and as --case gives case by case,
 * combined with the other filters, and the error line of a bad condition. */
#include "config.h"

#include <string.h>

#include "cw-case-condition.h"
#include "cw-cases.h"
#include "cw-retrieval.h"
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

static char *
example_path (void)
{
  return g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk", NULL);
}

/* The "case" of every element of a codings --json array, counted (a
 * coding without a case under ""). */
static GHashTable *
count_cases (const char *json_text,
             guint      *total)
{
  g_autoptr(GVariant) json = cw_test_parse_json (json_text);
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  *total = (guint) g_variant_n_children (json);
  for (gsize i = 0; i < g_variant_n_children (json); i++)
    {
      g_autoptr(GVariant) row = cw_test_json_at (json, i);
      const char *kase = cw_test_json_is_null (row, "case") ? "" : cw_test_json_str (row, "case");

      g_hash_table_insert (counts, g_strdup (kase),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, kase)) + 1));
    }
  return counts;
}

static gboolean
has_id (GArray *ids,
        gint64  id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
test_where (void)
{
  g_autofree char *example = example_path ();
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GHashTable) every = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GArray) low = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_auto(GStrv) lines = NULL;
  char *out = NULL, *err = NULL;
  guint total = 0, all = 0, matched_with_codings = 0;

  g_assert_true (g_file_test (example, G_FILE_TEST_EXISTS));

  g_assert_cmpint (cli (&out, &err, "codings", example, "--where", "IQ < 70", "--json", NULL), ==, 0);
  g_assert_cmpstr (err, ==, "");
  counts = count_cases (out, &total);
  RESET ();
  g_assert_cmpuint (total, >, 0);
  g_assert_false (g_hash_table_contains (counts, ""));

  g_assert_cmpint (cli (&out, &err, "codings", example, "--json", NULL), ==, 0);
  every = count_cases (out, &all);
  RESET ();
  g_assert_cmpuint (total, <, all);

  /* The core's answer: the same codings. */
  project = cw_project_open (example, &error);
  g_assert_no_error (error);
  query->case_condition = g_strdup ("iq < 70");
  segments = cw_project_retrieve (project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, ==, total);

  /* Case by case: a case with IQ < 70 keeps every coding --case gives
   * it; any other case keeps none. */
  cases = cw_project_list_cases (project, &error);
  g_assert_no_error (error);
  low = cw_project_match_cases (project, "IQ < 70", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (low->len, >, 1);
  g_assert_cmpuint (low->len, <, cases->len);
  for (guint i = 0; i < cases->len; i++)
    {
      const CwCase *kase = g_ptr_array_index (cases, i);
      guint expected = GPOINTER_TO_UINT (g_hash_table_lookup (every, kase->identifier));
      guint kept = GPOINTER_TO_UINT (g_hash_table_lookup (counts, kase->identifier));

      if (has_id (low, kase->id))
        {
          g_assert_cmpuint (kept, ==, expected);
          matched_with_codings += expected > 0;
        }
      else
        g_assert_cmpuint (kept, ==, 0);
    }
  g_assert_cmpuint (matched_with_codings, >, 1);

  /* The text output has a line per coding. */
  g_assert_cmpint (cli (&out, &err, "codings", example, "--where", "IQ < 70", NULL), ==, 0);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, total);
  RESET ();

  /* With the other filters; Dutch keywords, quotes, decimal commas. */
  g_assert_cmpint (cli (&out, &err, "codings", example, "--where", "IQ < 70", "--coder", "Lotte", "--json", NULL), ==, 0);
  {
    g_autoptr(GHashTable) some = NULL;
    guint n = 0;

    some = count_cases (out, &n);
    g_assert_cmpuint (n, <, total);
  }
  RESET ();
  g_assert_cmpint (cli (&out, &err, "codings", example, "--where",
                        "NIET (Uitkomst = \"geen baan\" OF Gemiddelde < 6,0) EN IQ is not missing", "--json", NULL),
                   ==, 0);
  {
    g_autoptr(GHashTable) some = NULL;
    g_autoptr(GArray) ids = cw_project_match_cases (project,
                                                    "NOT (uitkomst = 'geen baan' OR gemiddelde < 6) AND iq is not missing",
                                                    NULL, NULL, &error);
    GHashTableIter iter;
    gpointer key;
    guint n = 0;

    g_assert_no_error (error);
    some = count_cases (out, &n);
    g_assert_cmpuint (n, >, 0);
    g_hash_table_iter_init (&iter, some);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        gint64 id = cw_project_lookup_case (project, key, &error);

        g_assert_no_error (error);
        g_assert_true (has_id (ids, id));
      }
  }
  RESET ();
}

static const struct
{
  const char *where;
  const char *line;
} bad[] = {
  { "IQ <", "codewerk-cli: error: --where: column 5: a value is expected after “<”\n" },
  { "IQ < 70 EN (Uitkomst = baan", "codewerk-cli: error: --where: column 28: “)” is expected to close the “(” at column 12\n" },
  { "Uitkomst = geen baan",
    "codewerk-cli: error: --where: column 17: AND or OR is expected before “baan” (quote a value with spaces: \"geen baan\")\n" },
  { "IQ < zeventig", "codewerk-cli: error: --where: column 6: “zeventig” is not a number, and “IQ” is numeric\n" },
  { "Leeftijd > 18",
    "codewerk-cli: error: --where: column 1: no variable “Leeftijd”; the variables are: Naam, Geslacht, "
    "Geboortejaar, Onderwijsprofiel, IQ, Motivatie, AantalStages, MisluktStages, Begeleidingsniveau, "
    "PolitieContact, Leerplicht, Uitkomst, BaanBehouden, Startjaar, Gemiddelde\n" },
  { "", "codewerk-cli: error: --where: column 1: a condition is expected\n" },
  { " ", "codewerk-cli: error: --where: column 2: a condition is expected\n" },
};

static void
test_bad (void)
{
  g_autofree char *example = example_path ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *out = NULL, *err = NULL;

      g_test_message ("%s", bad[i].where);
      g_assert_cmpint (cli (&out, &err, "codings", example, "--where", bad[i].where, "--json", NULL), ==, 1);
      g_assert_cmpstr (out, ==, "");
      g_assert_cmpstr (err, ==, bad[i].line);
      RESET ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-where/example", test_where);
  g_test_add_func ("/cli-where/bad", test_bad);

  return g_test_run ();
}
