/* cw-bench-cases: the cohort issue's figures (release build; run-cases-bench
 * beside this file runs both modes and prints the table).
 *
 *   cw-bench-cases import [--runs N] [--cases N] [--variables N] [--dir DIR]
 *     A cohort file of 10,000 cases x 40 variables as Dutch spreadsheets
 *     write it (';', decimal comma, BOM, CRLF; numbers, decimals, text,
 *     dates with gaps), imported into a new project (target: under 0.3 s),
 *     then imported again into the same project (an unchanged re-import).
 *   cw-bench-cases matrix [--runs N] [--codings N] [--dir DIR]
 *     200 cases (8 variables) linked to 168 documents (160 interviews by
 *     document, 8 focus groups by speaker), 30 codes, 20,000 codings; times
 *     the case x code matrix as .csv and as .sav (target: under 0.1 s).
 *
 * Each figure: the best and the median of --runs runs (5), and the
 * process's peak RSS. Setup (writing the files, building the project) is
 * not timed. */
#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-project-private.h"

static gint64 runs = 5;
static gint64 n_cases = 10000;
static gint64 n_variables = 40;
static gint64 n_codings = 20000;
static char *dir = NULL;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
peak_rss_mib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

/* One table row: job, best, median, runs, peak RSS so far. */
static void
report (const char *job,
        GArray     *seconds)
{
  g_array_sort (seconds, compare_doubles);
  g_print ("| %s | %.3f | %.3f | %u | %.0f |\n", job, g_array_index (seconds, double, 0),
           g_array_index (seconds, double, seconds->len / 2), seconds->len, peak_rss_mib ());
}

static void
fail (const GError *error)
{
  g_printerr ("cw-bench-cases: %s\n", error->message);
  exit (1);
}

static void
remove_project (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

/* ---- import ---- */

static char *
write_cohort (guint cases,
              guint variables)
{
  g_autoptr(GString) text = g_string_new ("\xef\xbb\xbf" "Deelnemer");
  g_autoptr(GError) error = NULL;
  char *csv = g_build_filename (dir, "cohort.csv", NULL);
  GRand *rand = g_rand_new_with_seed (6);

  for (guint v = 0; v < variables; v++)
    g_string_append_printf (text, ";V%02u", v);
  g_string_append (text, "\r\n");
  for (guint c = 0; c < cases; c++)
    {
      g_string_append_printf (text, "D%05u", c);
      for (guint v = 0; v < variables; v++)
        switch (v % 4)
          {
          case 0: g_string_append_printf (text, ";%d", g_rand_int_range (rand, 0, 100)); break;
          case 1: g_string_append_printf (text, ";%d,%d", g_rand_int_range (rand, 1, 10), g_rand_int_range (rand, 0, 10)); break;
          case 2: g_string_append_printf (text, ";%s", g_rand_boolean (rand) ? "baan" : "geen baan"); break;
          default: g_string_append (text, g_rand_int_range (rand, 0, 5) == 0 ? ";" : ";01-09-2016"); break;
          }
      g_string_append (text, "\r\n");
    }
  g_rand_free (rand);
  if (!g_file_set_contents (csv, text->str, (gssize) text->len, &error))
    fail (error);
  return csv;
}

static void
bench_import (void)
{
  g_autofree char *csv = write_cohort ((guint) n_cases, (guint) n_variables);
  g_autofree char *path = g_build_filename (dir, "import.codewerk", NULL);
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) again = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *job = NULL;
  g_autoptr(GError) error = NULL;

  for (gint64 run = 0; run < runs; run++)
    {
      g_autoptr(CwProject) project = NULL;

      remove_project (path);
      if (!(project = cw_project_create (path, "bench", &error)))
        fail (error);
      for (int pass = 0; pass < 2; pass++)
        {
          g_autoptr(CwCasesImportResult) result = NULL;
          gint64 start = g_get_monotonic_time ();
          double seconds;

          result = cw_project_import_cases (project, csv, NULL, NULL, &error);
          seconds = (g_get_monotonic_time () - start) / 1e6;
          if (result == NULL)
            fail (error);
          if (result->cases != n_cases || result->added != (pass == 0 ? n_cases : 0))
            {
              g_printerr ("cw-bench-cases: %u cases, %u new\n", result->cases, result->added);
              exit (1);
            }
          g_array_append_val (pass == 0 ? first : again, seconds);
        }
    }
  remove_project (path);
  job = g_strdup_printf ("import %" G_GINT64_FORMAT " cases x %" G_GINT64_FORMAT " variables, new project",
                         n_cases, n_variables);
  report (job, first);
  g_free (job);
  job = g_strdup_printf ("import the same file again (nothing changes)");
  report (job, again);
}

/* ---- matrix ---- */

#define MATRIX_CASES   200
#define INTERVIEWS     160
#define FOCUS_GROUPS   8
#define GROUP_MEMBERS  5

static const char *words[] = {
  "stage", "werk", "school", "begeleider", "jobcoach", "baas", "collega", "rooster", "contract", "motivatie",
  "thuis", "moeder", "geld", "uitkering", "opleiding", "mbo", "diploma", "vriend", "politie", "zorg",
};

static void
append_sentence (GString *text,
                 GRand   *rand)
{
  guint n = (guint) g_rand_int_range (rand, 6, 18);

  for (guint w = 0; w < n; w++)
    g_string_append_printf (text, "%s%s", w == 0 ? "" : " ", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
  g_string_append (text, ". ");
}

static CwProject *
build_matrix_project (const char *path)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) docs = NULL;
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCasesImportResult) imported = NULL;
  g_autofree char *cohort = g_build_filename (dir, "matrix-cohort.csv", NULL);
  static const char *categories[6] = { "Begeleiding", "Stage", "Thuissituatie", "Werkgever", "Persoonlijk", "Uitkomst" };
  GRand *rand = g_rand_new_with_seed (7);
  sqlite3_stmt *insert;
  gint64 coder;

  remove_project (path);
  if (!(project = cw_project_create (path, "matrix bench", &error)))
    fail (error);

  /* The cohort: numbers, a labelled outcome, text and dates. */
  g_string_assign (text, "Deelnemer;IQ;Motivatie;Stages;Uitkomst;Opleiding;Woonplaats;Start;Einde\n");
  for (guint c = 0; c < MATRIX_CASES; c++)
    g_string_append_printf (text, "P%03u;%d;%d,%d;%d;%d;%s;%s;%02d-%02d-2015;%s\n", c + 1,
                            g_rand_int_range (rand, 55, 120), g_rand_int_range (rand, 1, 10), g_rand_int_range (rand, 0, 10),
                            g_rand_int_range (rand, 0, 6), g_rand_int_range (rand, 1, 4),
                            g_rand_boolean (rand) ? "vmbo" : "pro", g_rand_boolean (rand) ? "Zwolle" : "Almere",
                            g_rand_int_range (rand, 1, 29), g_rand_int_range (rand, 1, 13),
                            g_rand_int_range (rand, 0, 4) == 0 ? "" : "2016-08-31");
  if (!g_file_set_contents (cohort, text->str, -1, &error) ||
      !(imported = cw_project_import_cases (project, cohort, NULL, NULL, &error)))
    fail (error);

  /* Interviews (one participant each) and focus groups (five). */
  for (guint d = 0; d < INTERVIEWS + FOCUS_GROUPS; d++)
    {
      gboolean group = d >= INTERVIEWS;
      g_autofree char *name = g_strdup_printf (group ? "focusgroep-%02u.txt" : "interview-%03u.txt",
                                               group ? d - INTERVIEWS + 1 : d + 1);
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_string_truncate (text, 0);
      for (guint t = 0; t < 60; t++)
        {
          if (t % 2 == 0)
            g_string_append (text, group ? "Moderator: " : "Interviewer: ");
          else if (group)
            g_string_append_printf (text, "Deelnemer%u: ", (t / 2) % GROUP_MEMBERS + 1);
          else
            g_string_append (text, "Deelnemer: ");
          for (guint s = 0, n = (guint) g_rand_int_range (rand, 1, 5); s < n; s++)
            append_sentence (text, rand);
          g_string_append (text, "\n\n");
        }
      if (!g_file_set_contents (file, text->str, -1, &error))
        fail (error);
      g_ptr_array_add (files, g_file_new_for_path (file));
    }
  if (!(docs = cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error)))
    fail (error);
  {
    g_autoptr(GPtrArray) infos = cw_project_list_documents (project, &error);

    if (infos == NULL)
      fail (error);
    for (guint d = 0; d < docs->len; d++)
      for (guint i = 0; i < infos->len; i++)
        if (((CwDocumentInfo *) infos->pdata[i])->id == g_array_index (docs, gint64, d))
          g_array_append_val (lengths, ((CwDocumentInfo *) infos->pdata[i])->characters);
  }

  for (guint c = 0; c < 6; c++)
    for (guint k = 0; k < 5; k++)
      {
        g_autofree char *code_path = g_strdup_printf ("%s/Thema %u", categories[c], k + 1);
        gint64 id = cw_project_add_code (project, code_path, NULL, NULL, &error);

        if (id == 0)
          fail (error);
        g_array_append_val (code_ids, id);
      }

  /* Links: through the API, one undoable step each. */
  for (guint c = 0; c < MATRIX_CASES; c++)
    {
      g_autofree char *identifier = g_strdup_printf ("P%03u", c + 1);
      g_autofree char *speaker = NULL;
      gint64 case_id = cw_project_lookup_case (project, identifier, &error);
      guint d = c < INTERVIEWS ? c : INTERVIEWS + (c - INTERVIEWS) / GROUP_MEMBERS;

      if (c >= INTERVIEWS)
        speaker = g_strdup_printf ("Deelnemer%u", (c - INTERVIEWS) % GROUP_MEMBERS + 1);
      if (case_id <= 0 ||
          !cw_project_link_case (project, case_id, g_array_index (docs, gint64, d), speaker, &error))
        fail (error);
    }

  /* The codings in one transaction, as cw-bench-coding makes them. */
  if ((coder = cw_project_ensure_coder (project, "Anouk", &error)) <= 0 || !_cw_project_begin (project, &error))
    fail (error);
  insert = _cw_project_prepare (project,
                                "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                                " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'now')",
                                &error);
  if (insert == NULL)
    fail (error);
  for (gint64 i = 0; i < n_codings; i++)
    {
      g_autofree char *guid = g_uuid_string_random ();
      guint d = (guint) g_rand_int_range (rand, 0, (gint32) docs->len);
      gint64 length = g_array_index (lengths, gint64, d);
      gint64 start = g_rand_int_range (rand, 0, (gint32) MAX (1, length - 400));

      sqlite3_bind_text (insert, 1, guid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, g_array_index (docs, gint64, d));
      sqlite3_bind_int64 (insert, 3, g_array_index (code_ids, gint64, g_rand_int_range (rand, 0, (gint32) code_ids->len)));
      sqlite3_bind_int64 (insert, 4, coder);
      sqlite3_bind_int64 (insert, 5, start);
      sqlite3_bind_int64 (insert, 6, MIN (length, start + 20 + g_rand_int_range (rand, 0, 300)));
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          g_printerr ("cw-bench-cases: %s\n", sqlite3_errmsg (_cw_project_get_db (project)));
          exit (1);
        }
      sqlite3_reset (insert);
    }
  _cw_statement_release (insert);
  if (!_cw_project_commit (project, &error))
    fail (error);
  g_rand_free (rand);
  return g_steal_pointer (&project);
}

static void
bench_matrix (void)
{
  g_autofree char *path = g_build_filename (dir, "matrix.codewerk", NULL);
  g_autoptr(CwProject) project = build_matrix_project (path);
  static const char *formats[] = { "csv", "sav" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCrosstab) crosstab = cw_project_crosstab (project, "Opleiding", 0, &error);
  guint with_case = 0;

  /* The links hold: nearly every coding has a case (not those in a focus
   * group moderator's turns). */
  if (crosstab == NULL)
    fail (error);
  for (guint i = 0; i < crosstab->codes->len * g_strv_length (crosstab->values); i++)
    with_case += crosstab->codings[i];
  if (with_case < n_codings * 8 / 10)
    {
      g_printerr ("cw-bench-cases: only %u of %" G_GINT64_FORMAT " codings have a case\n", with_case, n_codings);
      exit (1);
    }

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++)
    {
      g_autofree char *out = g_strdup_printf ("%s/matrix.%s", dir, formats[f]);
      g_autofree char *job = NULL;
      g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));

      for (gint64 run = 0; run < runs; run++)
        {
          gint64 start = g_get_monotonic_time ();
          double s;

          if (!cw_project_export_matrix (project, out, NULL, &error))
            fail (error);
          s = (g_get_monotonic_time () - start) / 1e6;
          g_array_append_val (seconds, s);
        }
      job = g_strdup_printf ("matrix .%s, %u cases x 30 codes, %" G_GINT64_FORMAT " codings (%u with a case)",
                             formats[f], MATRIX_CASES, n_codings, with_case);
      report (job, seconds);
      g_remove (out);
    }
  g_clear_object (&project);
  remove_project (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("import|matrix");
  g_autofree char *made = NULL;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT64, &runs, "timed runs per figure (5)", "N" },
    { "cases", 0, 0, G_OPTION_ARG_INT64, &n_cases, "import: cases (10000)", "N" },
    { "variables", 0, 0, G_OPTION_ARG_INT64, &n_variables, "import: variables (40)", "N" },
    { "codings", 0, 0, G_OPTION_ARG_INT64, &n_codings, "matrix: codings (20000)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "work folder (default: a new temporary one)", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || runs < 1 || n_cases < 1 ||
      n_variables < 1 || n_codings < 0 ||
      (g_strcmp0 (argv[1], "import") != 0 && g_strcmp0 (argv[1], "matrix") != 0))
    {
      g_printerr ("usage: cw-bench-cases import|matrix [--runs N] [--cases N] [--variables N]"
                  " [--codings N] [--dir DIR]\n");
      return 2;
    }
  if (dir == NULL && (dir = made = g_dir_make_tmp ("cw-bench-cases-XXXXXX", &error)) == NULL)
    fail (error);
  g_mkdir_with_parents (dir, 0755);
  if (g_strcmp0 (argv[1], "import") == 0)
    bench_import ();
  else
    bench_matrix ();
  if (made != NULL)
    {
      /* Only what this run wrote: the generated files, then the folder. */
      g_autoptr(GDir) folder = g_dir_open (made, 0, NULL);
      const char *name;

      while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
        {
          g_autofree char *file = g_build_filename (made, name, NULL);

          g_remove (file);
        }
      g_rmdir (made);
    }
  else
    g_free (dir);
  return 0;
}
