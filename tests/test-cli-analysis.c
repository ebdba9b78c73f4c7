/* codewerk-cli's cohort analyses as a user drives them: codings --case,
 * crosstab (text and JSON, --bins) and matrix (.csv, .sav), and their
 * refusals. The project is built in-process (cohort rows with SQL, so the
 * tests do not depend on the importer), closed, then handed to the CLI. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-project-private.h"
#include "cw-test-util.h"

static const char interview[] =
  "Interviewer: Hoe ging de stage bij de bakker?\n"
  "Kevin: De stage was zwaar. Mijn jobcoach hielp mij wel.\n";
static const char focus[] =
  "Gespreksleider: Wat vinden jullie van school?\n"
  "Sanne: Ik had geen geduld. De stage was kort.\n"
  "Dewi: Stage is leuk en de jobcoach is aardig. De jobcoach belt vaak.\n";

typedef struct
{
  char *dir;
  char *path;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static Result
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Result r = { 0 };
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  r.status = cw_test_run ((const char * const *) argv->pdata, &r.out, &r.err);
  return r;
}

static GVariant *
parse_ok (Result *r)
{
  if (r->status != 0)
    g_error ("codewerk-cli failed (%d): %s", r->status, r->err);
  g_assert_cmpstr (r->err, ==, "");
  return cw_test_parse_json (r->out);
}

static void
assert_failure (Result     *r,
                int         status,
                const char *names)
{
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "codewerk-cli: error: "));
  if (strstr (r->err, names) == NULL)
    g_error ("error «%s» does not name «%s»", r->err, names);
}

static void
code_word (CwProject  *project,
           gint64      document_id,
           const char *text,
           const char *word,
           guint       nth,
           gint64      code_id)
{
  g_autoptr(GError) error = NULL;
  const char *p = text;
  gint64 start;

  for (guint i = 0; i <= nth; i++)
    {
      p = strstr (i == 0 ? p : p + 1, word);
      g_assert_nonnull (p);
    }
  start = g_utf8_pointer_to_offset (text, p);
  cw_project_add_coding (project, document_id, code_id, start, start + g_utf8_strlen (word, -1), NULL, NULL,
                         &error);
  g_assert_no_error (error);
}

/* P1: the interview as a whole; P2 Sanne, P3 Dewi, P4 the focus group as
 * a whole (its moderator's codings). */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *links = NULL;
  gint64 jobcoach, stage, motivatie;

  (void) data;
  f->dir = cw_test_make_dir ();
  project = cw_test_new_project (f->dir);
  f->path = g_strdup (cw_project_get_path (project));
  g_ptr_array_add (files, cw_test_write_file (f->dir, "interview-kevin.txt", interview));
  g_ptr_array_add (files, cw_test_write_file (f->dir, "focusgroep.txt", focus));
  docs = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  jobcoach = cw_project_add_code (project, "Begeleiding/Jobcoach", NULL, NULL, &error);
  stage = cw_project_add_code (project, "Stage", NULL, NULL, &error);
  motivatie = cw_project_add_code (project, "Motivatie", NULL, NULL, &error);
  g_assert_no_error (error);

  code_word (project, g_array_index (docs, gint64, 0), interview, "stage", 1, stage);
  code_word (project, g_array_index (docs, gint64, 0), interview, "zwaar", 0, stage);
  code_word (project, g_array_index (docs, gint64, 0), interview, "bakker", 0, jobcoach);
  code_word (project, g_array_index (docs, gint64, 1), focus, "stage", 0, stage);
  code_word (project, g_array_index (docs, gint64, 1), focus, "Stage", 0, stage);
  code_word (project, g_array_index (docs, gint64, 1), focus, "jobcoach", 0, jobcoach);
  code_word (project, g_array_index (docs, gint64, 1), focus, "jobcoach", 1, jobcoach);
  code_word (project, g_array_index (docs, gint64, 1), focus, "school", 0, motivatie);

  _cw_project_exec (project,
                    "INSERT INTO cases (id, guid, identifier) VALUES"
                    " (1, 'g1', 'P1'), (2, 'g2', 'P2'), (3, 'g3', 'P3'), (4, 'g4', 'P4'), (5, 'g5', 'P5');"
                    "INSERT INTO variables (id, guid, name, label, type, position) VALUES"
                    " (1, 'v1', 'school', 'Opleiding', 'text', 0),"
                    " (2, 'v2', 'uitkomst', 'Uitkomst', 'numeric', 1),"
                    " (3, 'v3', 'iq', NULL, 'numeric', 2);"
                    "INSERT INTO value_labels (variable_id, value, label) VALUES"
                    " (2, 1, 'baan'), (2, 2, 'geen baan');"
                    "INSERT INTO case_values (case_id, variable_id, number, text) VALUES"
                    " (1, 1, NULL, 'vmbo'), (2, 1, NULL, 'pro'), (3, 1, NULL, 'vmbo'), (5, 1, NULL, 'mbo'),"
                    " (1, 2, 1, NULL), (2, 2, 2, NULL), (3, 2, 1, NULL), (4, 2, 2, NULL),"
                    " (1, 3, 55, NULL), (2, 3, 62, NULL), (3, 3, 71, NULL), (4, 3, 88, NULL), (5, 3, 120, NULL);",
                    &error);
  g_assert_no_error (error);
  links = g_strdup_printf ("INSERT INTO case_links (case_id, document_id, speaker_id) VALUES"
                           " (1, %1$" G_GINT64_FORMAT ", NULL),"
                           " (2, %2$" G_GINT64_FORMAT ", (SELECT id FROM speakers WHERE name = 'Sanne')),"
                           " (3, %2$" G_GINT64_FORMAT ", (SELECT id FROM speakers WHERE name = 'Dewi')),"
                           " (4, %2$" G_GINT64_FORMAT ", NULL)",
                           g_array_index (docs, gint64, 0), g_array_index (docs, gint64, 1));
  _cw_project_exec (project, links, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  (void) data;
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ------------------------------------------------------------------------ */

static void
test_codings_case (Fixture       *f,
                   gconstpointer  data)
{
  struct { const char *case_id; const char *expected; } cases[] = {
    { "P1", "Begeleiding/Jobcoach@Interviewer|Stage@Kevin|Stage@Kevin" },
    { "P3", "Stage@Dewi|Begeleiding/Jobcoach@Dewi|Begeleiding/Jobcoach@Dewi" },
    { "P4", "Motivatie@Gespreksleider" },
    { "P5", "" },
  };

  (void) data;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) r = run ("codings", f->path, "--case", cases[i].case_id, "--json", NULL);
      g_autoptr(GVariant) array = parse_ok (&r);
      g_autoptr(GString) got = g_string_new (NULL);

      for (gsize k = 0; k < g_variant_n_children (array); k++)
        {
          g_autoptr(GVariant) coding = cw_test_json_at (array, k);

          g_assert_cmpstr (cw_test_json_str (coding, "case"), ==, cases[i].case_id);
          g_string_append_printf (got, "%s%s@%s", k > 0 ? "|" : "", cw_test_json_str (coding, "code"),
                                  cw_test_json_str (coding, "speaker"));
        }
      g_assert_cmpstr (got->str, ==, cases[i].expected);
    }

  /* Without --case every coding says its case. */
  {
    g_auto(Result) r = run ("codings", f->path, "--json", NULL);
    g_autoptr(GVariant) array = parse_ok (&r);
    g_autoptr(GString) got = g_string_new (NULL);

    for (gsize k = 0; k < g_variant_n_children (array); k++)
      {
        g_autoptr(GVariant) coding = cw_test_json_at (array, k);

        g_string_append_printf (got, "%s%s", k > 0 ? "," : "", cw_test_json_str (coding, "case"));
      }
    g_assert_cmpstr (got->str, ==, "P1,P1,P1,P4,P2,P3,P3,P3");
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The keys of a parsed JSON object, sorted, joined with ','. */
static char *
keys_of (GVariant *object)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  GVariantIter iter;
  const char *key;

  g_variant_iter_init (&iter, object);
  while (g_variant_iter_next (&iter, "{&sv}", &key, NULL))
    g_ptr_array_add (keys, g_strdup (key));
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return g_strjoinv (",", (char **) keys->pdata);
}

static gint64
cell (GVariant   *row,
      const char *which,
      const char *value)
{
  g_autoptr(GVariant) counts = cw_test_json_get (row, which);

  return cw_test_json_int (counts, value);
}

static void
test_crosstab_json (Fixture       *f,
                    gconstpointer  data)
{
  g_auto(Result) r = run ("crosstab", f->path, "school", "--json", NULL);
  g_autoptr(GVariant) table = parse_ok (&r);
  g_autoptr(GVariant) values = cw_test_json_get (table, "values");
  g_autoptr(GVariant) rows = cw_test_json_get (table, "rows");
  g_autofree char *keys = keys_of (table);
  const char *expected_values[] = { "mbo", "pro", "vmbo", "missing" };
  const char *expected_codes[] = { "Begeleiding", "Begeleiding/Jobcoach", "Stage", "Motivatie" };

  (void) data;
  g_assert_cmpstr (keys, ==, "rows,values,variable");
  g_assert_cmpstr (cw_test_json_str (table, "variable"), ==, "school");
  g_assert_cmpuint (g_variant_n_children (values), ==, G_N_ELEMENTS (expected_values));
  for (guint i = 0; i < G_N_ELEMENTS (expected_values); i++)
    {
      g_autoptr(GVariant) value = cw_test_json_at (values, i);

      g_assert_cmpstr (g_variant_get_string (value, NULL), ==, expected_values[i]);
    }
  g_assert_cmpuint (g_variant_n_children (rows), ==, G_N_ELEMENTS (expected_codes));
  for (guint i = 0; i < G_N_ELEMENTS (expected_codes); i++)
    {
      g_autoptr(GVariant) row = cw_test_json_at (rows, i);
      g_autoptr(GVariant) codings = cw_test_json_get (row, "codings");
      g_autofree char *row_keys = keys_of (row);
      g_autofree char *value_keys = keys_of (codings);

      g_assert_cmpstr (row_keys, ==, "cases,code,codings");
      g_assert_cmpstr (cw_test_json_str (row, "code"), ==, expected_codes[i]);
      g_assert_cmpstr (value_keys, ==, "mbo,missing,pro,vmbo");
    }
  {
    g_autoptr(GVariant) jobcoach = cw_test_json_at (rows, 1);
    g_autoptr(GVariant) stage = cw_test_json_at (rows, 2);
    g_autoptr(GVariant) motivatie = cw_test_json_at (rows, 3);

    g_assert_cmpint (cell (jobcoach, "codings", "vmbo"), ==, 3);
    g_assert_cmpint (cell (jobcoach, "cases", "vmbo"), ==, 2);
    g_assert_cmpint (cell (stage, "codings", "vmbo"), ==, 3);
    g_assert_cmpint (cell (stage, "cases", "vmbo"), ==, 2);
    g_assert_cmpint (cell (stage, "codings", "pro"), ==, 1);
    g_assert_cmpint (cell (stage, "codings", "mbo"), ==, 0);
    g_assert_cmpint (cell (motivatie, "codings", "missing"), ==, 1);
    g_assert_cmpint (cell (motivatie, "cases", "missing"), ==, 1);
  }
}

static void
test_crosstab_text_and_bins (Fixture       *f,
                             gconstpointer  data)
{
  (void) data;
  {
    g_auto(Result) r = run ("crosstab", f->path, "uitkomst", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==,
                     "code\tbaan\tgeen baan\n"
                     "Begeleiding\t0 (0)\t0 (0)\n"
                     "Begeleiding/Jobcoach\t3 (2)\t0 (0)\n"
                     "Stage\t3 (2)\t1 (1)\n"
                     "Motivatie\t0 (0)\t1 (1)\n");
  }
  {
    g_auto(Result) r = run ("crosstab", f->path, "iq", "--bins", "2", "--json", NULL);
    g_autoptr(GVariant) table = parse_ok (&r);
    g_autoptr(GVariant) values = cw_test_json_get (table, "values");
    g_autoptr(GVariant) rows = cw_test_json_get (table, "rows");
    g_autoptr(GVariant) stage = cw_test_json_at (rows, 2);
    g_autoptr(GVariant) first = cw_test_json_at (values, 0);
    g_autoptr(GVariant) second = cw_test_json_at (values, 1);

    /* 55..120 in two bins of 33 whole numbers. */
    g_assert_cmpuint (g_variant_n_children (values), ==, 2);
    g_assert_cmpstr (g_variant_get_string (first, NULL), ==, "55–87");
    g_assert_cmpstr (g_variant_get_string (second, NULL), ==, "88–120");
    g_assert_cmpint (cell (stage, "codings", "55–87"), ==, 4);
    g_assert_cmpint (cell (stage, "cases", "55–87"), ==, 3);
  }
  {
    g_auto(Result) r = run ("crosstab", f->path, "iq", "--bins", "zero", NULL);

    assert_failure (&r, 2, "--bins");
  }
  {
    g_auto(Result) r = run ("crosstab", f->path, "lengte", "--json", NULL);

    assert_failure (&r, 1, "lengte");
  }
}

static void
test_matrix (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *csv = g_build_filename (f->dir, "matrix.csv", NULL);
  g_autofree char *sav = g_build_filename (f->dir, "matrix.sav", NULL);
  g_autofree char *xls = g_build_filename (f->dir, "matrix.xls", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  (void) data;
  {
    g_auto(Result) r = run ("matrix", f->path, csv, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
  }
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents,
                                   "\xEF\xBB\xBF" "id;school;uitkomst;iq;Begeleiding;Begeleiding (0/1);"
                                   "Begeleiding/Jobcoach;Begeleiding/Jobcoach (0/1);Stage;Stage (0/1);"
                                   "Motivatie;Motivatie (0/1)\r\n"
                                   "P1;vmbo;1;55;0;0;1;1;2;1;0;0\r\n"
                                   "P2;pro;2;62;0;0;0;0;1;1;0;0\r\n"
                                   "P3;vmbo;1;71;0;0;2;1;1;1;0;0\r\n"
                                   "P4;;2;88;0;0;0;0;0;0;1;1\r\n"
                                   "P5;mbo;;120;0;0;0;0;0;0;0;0\r\n"));
  g_clear_pointer (&contents, g_free);
  {
    g_auto(Result) r = run ("matrix", f->path, sav, NULL);

    g_assert_cmpint (r.status, ==, 0);
  }
  g_assert_true (g_file_get_contents (sav, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 100);
  g_assert_true (memcmp (contents, "$FL2", 4) == 0);
  {
    g_auto(Result) r = run ("matrix", f->path, xls, NULL);

    assert_failure (&r, 1, "matrix.xls");
    g_assert_false (g_file_test (xls, G_FILE_TEST_EXISTS));
  }
  {
    g_auto(Result) r = run ("matrix", f->path, NULL);

    g_assert_cmpint (r.status, ==, 2);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/cli-analysis/codings-case", Fixture, NULL, fixture_set_up, test_codings_case, fixture_tear_down);
  g_test_add ("/cli-analysis/crosstab-json", Fixture, NULL, fixture_set_up, test_crosstab_json, fixture_tear_down);
  g_test_add ("/cli-analysis/crosstab-text-bins", Fixture, NULL, fixture_set_up, test_crosstab_text_and_bins,
              fixture_tear_down);
  g_test_add ("/cli-analysis/matrix", Fixture, NULL, fixture_set_up, test_matrix, fixture_tear_down);
  return g_test_run ();
}
