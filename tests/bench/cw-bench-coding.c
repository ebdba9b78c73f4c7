/* cw-bench-coding: the standard project and the core figures on it.
 *
 *   cw-bench-coding CORPUS_DIR WORK_DIR [--codings N] [--samples N] [--json FILE]
 *                   [--cohort FILE] [--split DIR] [--setup-only]
 *   cw-bench-coding --job JOB --project P.codewerk [--runs N] [--samples N]
 *                   [--query Q] [--words W,W,...]
 *
 * The first form builds WORK_DIR/coding-bench.codewerk (below); --cohort
 * imports a cohort file and links case i to document i; --split writes
 * DIR/anouk.codewerk and DIR/bram.codewerk, the project with only that
 * coder's codings (for the merge job); --setup-only skips the figures and
 * prints one JSON line about the project.
 *
 * The second form measures one job of tests/bench/run-suite on an existing
 * project and prints one JSON line ("ms" is the job's figure): commit,
 * batch (autocode every hit of Q: one transaction), retrieve, search (per
 * keystroke over all documents, as the search entry asks the core), crosstab
 * and matrix. commit and batch change the project: give them a copy.
 *
 * Imports the corpus into a new project, adds 30 codes in 6 categories and
 * N codings by two coders (the second reusing most of the first's segments
 * with shifted edges, some with other codes, some new), 2,000 of them in
 * the largest document (the first of the largest), then measures:
 *   1. one coding through the core with its durable commit (p50, p95),
 *      beside the floor: a 4 KiB write + fdatasync on the same disk;
 *   2. (the window's figure is cw-bench-window's)
 *   3. retrieval of every segment of one code across the corpus, with text.
 * The project is left in WORK_DIR for cw-bench-window.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-project-private.h"
#include "cw-retrieval.h"

static guint64 state = 0x9E3779B97F4A7C15ull;

static guint64
next_random (void)
{
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

static gint64
random_below (gint64 n)
{
  return n > 0 ? (gint64) (next_random () % (guint64) n) : 0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, MIN (values->len - 1, (guint) (p * values->len)));
}

static int
compare_files (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (g_file_peek_path (*(GFile **) a), g_file_peek_path (*(GFile **) b));
}


/* p50 and p95 of values (sorted in place) as JSON members. */
static void
append_percentiles (GString    *json,
                    const char *prefix,
                    GArray     *values)
{
  g_string_append_printf (json, ",\"%sp50_ms\":%.4f,\"%sp95_ms\":%.4f,\"%smax_ms\":%.4f", prefix,
                          percentile (values, 0.50), prefix, percentile (values, 0.95), prefix,
                          percentile (values, 1.0));
}

static void
fail (const GError *error)
{
  g_printerr ("cw-bench-coding: %s\n", error != NULL ? error->message : "failed");
  exit (1);
}

static double
elapsed_ms (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

/* The codable code with the most codings. */
static gint64
busiest_code (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (project, "SELECT code_id FROM codings GROUP BY code_id ORDER BY count(*) DESC, code_id LIMIT 1",
                         &error);

  if (stmt == NULL)
    fail (error);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static GPtrArray *
list_documents (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *documents = cw_project_list_documents (project, &error);

  if (documents == NULL || documents->len == 0)
    fail (error);
  return documents;
}

/* One coding with its durable commit, against a 4 KiB write + fdatasync
 * in the project's folder, and the same coding without the sync. */
static void
job_commit (CwProject *project,
            gint64     samples,
            GString   *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = list_documents (project);
  g_autoptr(GPtrArray) codes = cw_project_list_codes (project, &error);
  g_autoptr(GArray) commit_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *folder = g_path_get_dirname (cw_project_get_path (project));
  g_autofree char *floor_file = g_build_filename (folder, "fsync.floor", NULL);
  g_autoptr(GArray) code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int fd;

  if (codes == NULL)
    fail (error);
  for (guint i = 0; i < codes->len; i++)
    if (((CwCode *) codes->pdata[i])->codable)
      g_array_append_val (code_ids, ((CwCode *) codes->pdata[i])->id);
  if (code_ids->len == 0)
    fail (NULL);

  /* The project was copied just before: written out first, as a project
   * on disk is. Otherwise the first checkpoint's sync writes the whole
   * copy (148 MB at scale 10) and the disk is busy with it meanwhile. */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *file = g_strconcat (cw_project_get_path (project), i ? "-wal" : "", NULL);

      fd = g_open (file, O_RDONLY, 0);
      if (fd >= 0)
        {
          fsync (fd);
          close (fd);
        }
    }

  fd = g_open (floor_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    g_error ("%s: cannot write", floor_file);
  for (gint64 i = 0; i < samples; i++)
    {
      char block[4096] = { 0 };
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      if (write (fd, block, sizeof block) != sizeof block || fdatasync (fd) != 0)
        g_error ("floor write failed");
      ms = elapsed_ms (t0);
      g_array_append_val (floor_ms, ms);
    }
  close (fd);
  g_unlink (floor_file);

  for (int sync = 1; sync >= 0; sync--)
    {
      if (!_cw_project_exec (project, sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF", &error))
        fail (error);
      for (gint64 i = 0; i < samples; i++)
        {
          const CwDocumentInfo *doc = documents->pdata[random_below (documents->len)];
          gint64 start = random_below (MAX (1, doc->characters - 100));
          gint64 code = g_array_index (code_ids, gint64, random_below (code_ids->len));
          gint64 t0 = g_get_monotonic_time ();
          double ms;

          if (cw_project_add_coding (project, doc->id, code, start, MIN (doc->characters, start + 50 + sync),
                                     sync ? "Anouk" : "Bram", NULL, &error) == 0)
            fail (error);
          ms = elapsed_ms (t0);
          g_array_append_val (sync ? commit_ms : cpu_ms, ms);
        }
    }
  if (!_cw_project_exec (project, "PRAGMA synchronous = FULL", &error))
    fail (error);

  g_string_append_printf (json, "{\"job\":\"commit\",\"samples\":%" G_GINT64_FORMAT ",\"ms\":%.4f", samples,
                          percentile (commit_ms, 0.95));
  append_percentiles (json, "", commit_ms);
  append_percentiles (json, "floor_", floor_ms);
  append_percentiles (json, "nosync_", cpu_ms);
  g_string_append (json, "}");
}

/* Autocoding every hit of query: the batch a user starts with one click,
 * all codings in one transaction and one undo step. */
static void
job_batch (CwProject  *project,
           const char *query,
           GString    *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = cw_project_list_codes (project, &error);
  gint64 code = 0, added, t0;
  double ms;

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    if (((CwCode *) codes->pdata[i])->codable)
      code = ((CwCode *) codes->pdata[i])->id;
  if (code == 0)
    fail (error);
  t0 = g_get_monotonic_time ();
  added = cw_project_autocode_search (project, query, CW_AUTOCODE_HIT, 0, code, "Anouk", NULL, &error);
  ms = elapsed_ms (t0);
  if (added < 0 || (added == 0 && error != NULL))
    fail (error);
  g_string_append_printf (json, "{\"job\":\"batch\",\"ms\":%.3f,\"codings\":%" G_GINT64_FORMAT ",\"query\":\"%s\"}",
                          ms, added, query);
}

/* Every segment of the busiest code with its text, as the retrieval view
 * asks for it; the first run warms the cache. */
static void
job_retrieve (CwProject *project,
              gint64     runs,
              GString   *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 code = busiest_code (project);
  guint segments = 0;

  for (gint64 run = 0; run <= runs; run++)
    {
      g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
      g_autoptr(GPtrArray) found = NULL;
      gint64 t0;
      double one;

      query->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (query->code_ids, code);
      query->with_text = TRUE;
      t0 = g_get_monotonic_time ();
      found = cw_project_retrieve (project, query, NULL, &error);
      one = elapsed_ms (t0);
      if (found == NULL)
        fail (error);
      segments = found->len;
      if (run > 0)
        g_array_append_val (ms, one);
    }
  g_string_append_printf (json, "{\"job\":\"retrieve\",\"runs\":%" G_GINT64_FORMAT ",\"ms\":%.3f,\"segments\":%u",
                          runs, percentile (ms, 0.5), segments);
  append_percentiles (json, "", ms);
  g_string_append (json, "}");
}

/* Search as you type: each word letter by letter, every prefix one query
 * over all documents with the search entry's limit (500), as the window's
 * results search calls the core. The figure is the p95 per keystroke. */
static void
job_search (CwProject  *project,
            const char *words,
            gint64      runs,
            GString    *json)
{
  g_auto(GStrv) list = g_strsplit (words, ",", -1);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint keystrokes = 0, last_hits = 0;

  /* One pass unmeasured: the first query opens the index's pages. */
  for (gint64 run = 0; run <= runs; run++)
    for (guint w = 0; list[w] != NULL; w++)
      for (const char *end = g_utf8_next_char (list[w]); ; end = g_utf8_next_char (end))
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *typed = g_strndup (list[w], end - list[w]);
          g_autoptr(GPtrArray) hits = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double one;

          hits = cw_project_search (project, typed, 0, 500, NULL, &error);
          one = elapsed_ms (t0);
          if (hits == NULL)
            fail (error);
          if (run > 0)
            {
              g_array_append_val (ms, one);
              keystrokes++;
            }
          last_hits = hits->len;
          if (*end == '\0')
            break;
        }
  g_string_append_printf (json, "{\"job\":\"search\",\"keystrokes\":%u,\"ms\":%.3f,\"last_hits\":%u",
                          keystrokes, percentile (ms, 0.95), last_hits);
  append_percentiles (json, "", ms);
  g_string_append (json, "}");
}

static void
job_crosstab (CwProject *project,
              gint64     runs,
              GString   *json)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  guint with_case = 0, rows = 0, columns = 0;

  for (gint64 run = 0; run <= runs; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(CwCrosstab) crosstab = cw_project_crosstab (project, "Opleiding", 0, &error);
      double one = elapsed_ms (t0);

      if (crosstab == NULL)
        fail (error);
      rows = crosstab->codes->len;
      columns = g_strv_length (crosstab->values);
      with_case = 0;
      for (guint i = 0; i < rows * columns; i++)
        with_case += crosstab->codings[i];
      if (run > 0)
        g_array_append_val (ms, one);
    }
  if (with_case == 0)
    {
      g_printerr ("cw-bench-coding: the crosstab counts no coding with a case (no cohort linked?)\n");
      exit (1);
    }
  g_string_append_printf (json, "{\"job\":\"crosstab\",\"runs\":%" G_GINT64_FORMAT ",\"ms\":%.3f,\"codes\":%u,"
                          "\"values\":%u,\"codings_with_case\":%u",
                          runs, percentile (ms, 0.5), rows, columns, with_case);
  append_percentiles (json, "", ms);
  g_string_append (json, "}");
}

static void
job_matrix (CwProject *project,
            gint64     runs,
            GString   *json)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *folder = g_path_get_dirname (cw_project_get_path (project));
  g_autofree char *out = g_build_filename (folder, "matrix-bench.csv", NULL);
  GStatBuf st = { 0 };

  for (gint64 run = 0; run <= runs; run++)
    {
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double one;

      if (!cw_project_export_matrix (project, out, NULL, &error))
        fail (error);
      one = elapsed_ms (t0);
      if (run > 0)
        g_array_append_val (ms, one);
    }
  g_stat (out, &st);
  g_unlink (out);
  g_string_append_printf (json, "{\"job\":\"matrix\",\"runs\":%" G_GINT64_FORMAT ",\"ms\":%.3f,\"bytes\":%" G_GINT64_FORMAT,
                          runs, percentile (ms, 0.5), (gint64) st.st_size);
  append_percentiles (json, "", ms);
  g_string_append (json, "}");
}

/* Imports the cohort and links case i to the i-th document (by name), in
 * one step, as auto-linking does. */
static void
link_cohort (CwProject  *project,
             const char *cohort,
             GPtrArray  *documents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCasesImportResult) imported = cw_project_import_cases (project, cohort, NULL, NULL, &error);
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);

  if (imported == NULL)
    fail (error);
  for (guint i = 0; i < documents->len; i++)
    {
      g_autofree char *identifier = NULL;
      const CwDocumentInfo *doc = documents->pdata[i];
      const char *digits = strpbrk (doc->name, "0123456789");
      CwCaseLink *link;
      gint64 case_id;

      if (digits == NULL)
        continue;
      identifier = g_strdup_printf ("P%.*s", (int) strspn (digits, "0123456789"), digits);
      if ((case_id = cw_project_lookup_case (project, identifier, NULL)) <= 0)
        continue;
      link = g_new0 (CwCaseLink, 1);
      link->case_id = case_id;
      link->document_id = doc->id;
      g_ptr_array_add (links, link);
    }
  if (cw_project_link_cases (project, links, &error) < 0)
    fail (error);
}

/* DIR/anouk.codewerk and DIR/bram.codewerk: copies with one coder's
 * codings each, as two coders' projects would be before a merge. */
static void
split_by_coder (CwProject  *project,
                const char *directory)
{
  static const char *coders[] = { "Anouk", "Bram" };

  g_mkdir_with_parents (directory, 0755);
  for (guint c = 0; c < G_N_ELEMENTS (coders); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *lower = g_ascii_strdown (coders[c], -1);
      g_autofree char *name = g_strconcat (lower, ".codewerk", NULL);
      g_autofree char *path = g_build_filename (directory, name, NULL);
      g_autoptr(CwProject) copy = NULL;
      char *sql;
      gboolean ok;

      g_unlink (path);
      sql = sqlite3_mprintf ("VACUUM INTO %Q", path);
      ok = _cw_project_exec (project, sql, &error);
      sqlite3_free (sql);
      if (!ok || (copy = cw_project_open (path, &error)) == NULL)
        fail (error);
      /* Not recorded for undo (no step is being recorded): the copy starts
       * as a project that never held the other coder's work. */
      sql = sqlite3_mprintf ("DELETE FROM codings WHERE coder_id <> (SELECT id FROM coders WHERE name = %Q)", coders[c]);
      ok = _cw_project_exec (copy, sql, &error);
      sqlite3_free (sql);
      if (!ok)
        fail (error);
    }
}

static int
run_job (const char *job,
         const char *project_path,
         gint64      runs,
         gint64      samples,
         const char *query,
         const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (project_path, &error);
  g_autoptr(GString) json = g_string_new (NULL);

  if (project == NULL)
    fail (error);
  if (g_str_equal (job, "commit"))
    job_commit (project, samples, json);
  else if (g_str_equal (job, "batch"))
    job_batch (project, query, json);
  else if (g_str_equal (job, "retrieve"))
    job_retrieve (project, runs, json);
  else if (g_str_equal (job, "search"))
    job_search (project, words, runs, json);
  else if (g_str_equal (job, "crosstab"))
    job_crosstab (project, runs, json);
  else if (g_str_equal (job, "matrix"))
    job_matrix (project, runs, json);
  else
    {
      g_printerr ("cw-bench-coding: no job '%s' (commit, batch, retrieve, search, crosstab, matrix)\n", job);
      return 2;
    }
  g_print ("%s\n", json->str);
  return 0;
}

static const char *categories[6] = {
  "Begeleiding", "Stage", "Thuissituatie", "Werkgever", "Persoonlijk", "Uitkomst",
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GArray) code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json_path = NULL;
  sqlite3_stmt *insert = NULL;
  g_autofree char *cohort = NULL;
  g_autofree char *split_dir = NULL;
  g_autofree char *job = NULL;
  g_autofree char *job_project = NULL;
  g_autofree char *batch_query = NULL;
  g_autofree char *words = NULL;
  gboolean setup_only = FALSE;
  gint64 n_codings = 20000, samples = 1000, runs = 5;
  const CwDocumentInfo *busy = NULL;
  const char *name;
  GOptionEntry entries[] = {
    { "codings", 0, 0, G_OPTION_ARG_INT64, &n_codings, "codings by the two coders (20000)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT64, &samples, "single codings timed (1000)", "N" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "write the figures as JSON", "FILE" },
    { "cohort", 0, 0, G_OPTION_ARG_FILENAME, &cohort, "import this cohort file, case i linked to document i", "FILE" },
    { "split", 0, 0, G_OPTION_ARG_FILENAME, &split_dir, "write the project split by coder into DIR", "DIR" },
    { "setup-only", 0, 0, G_OPTION_ARG_NONE, &setup_only, "build the project, measure nothing", NULL },
    { "job", 0, 0, G_OPTION_ARG_STRING, &job, "measure one job on --project", "JOB" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &job_project, "the project for --job", "P" },
    { "runs", 0, 0, G_OPTION_ARG_INT64, &runs, "--job: timed runs after a warm-up (5)", "N" },
    { "query", 0, 0, G_OPTION_ARG_STRING, &batch_query, "--job batch: what to autocode (het)", "Q" },
    { "words", 0, 0, G_OPTION_ARG_STRING, &words, "--job search: words typed letter by letter", "W,W" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CORPUS_DIR WORK_DIR");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || samples < 1 ||
      (job == NULL && argc != 3) || (job != NULL && (argc != 1 || job_project == NULL)))
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "usage: cw-bench-coding CORPUS_DIR WORK_DIR | --job JOB --project P");
      return 2;
    }
  if (job != NULL)
    return run_job (job, job_project, runs, samples, batch_query != NULL ? batch_query : "het",
                    words != NULL ? words : "werkgever,ideeën,begeleiding,stage,uitkering");

  /* The project, the codebook, the codings: setup, not timed. */
  dir = g_dir_open (argv[1], 0, &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".txt"))
      g_ptr_array_add (files, g_file_new_build_filename (argv[1], name, NULL));
  g_ptr_array_sort (files, compare_files);
  g_mkdir_with_parents (argv[2], 0755);
  path = g_build_filename (argv[2], "coding-bench.codewerk", NULL);
  g_unlink (path);
  project = cw_project_create (path, "Coding benchmark", &error);
  if (project == NULL || !cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  documents = cw_project_list_documents (project, &error);

  for (guint c = 0; c < 6; c++)
    for (guint k = 0; k < 5; k++)
      {
        g_autofree char *code_path = g_strdup_printf ("%s/Thema %u", categories[c], k + 1);
        gint64 id = cw_project_add_code (project, code_path, NULL, NULL, &error);

        if (id == 0)
          g_error ("%s", error->message);
        g_array_append_val (code_ids, id);
      }
  cw_project_ensure_coder (project, "Anouk", &error);
  cw_project_ensure_coder (project, "Bram", &error);

  if (!_cw_project_begin (project, &error))
    g_error ("%s", error->message);
  insert = _cw_project_prepare (project,
                                "INSERT OR IGNORE INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                                " VALUES (?1, ?2, ?3, (SELECT id FROM coders WHERE name = ?4), ?5, ?6, 'now')",
                                &error);
  /* The largest document gets 2,000 codings (the window opens it); the
   * rest are spread evenly over the others. */
  busy = documents->pdata[0];
  for (guint d = 1; d < documents->len; d++)
    if (((CwDocumentInfo *) documents->pdata[d])->characters > busy->characters)
      busy = documents->pdata[d];
  for (gint64 i = 0; i < n_codings / 2; i++)
    {
      const CwDocumentInfo *doc = busy;

      if (i >= 1000 && documents->len > 1)
        do
          doc = documents->pdata[random_below (documents->len)];
        while (doc == busy);
      gint64 start = random_below (MAX (1, doc->characters - 400));
      gint64 end = start + 20 + random_below (300);
      gint64 code = g_array_index (code_ids, gint64, random_below (code_ids->len));
      int roll = (int) random_below (100);

      for (int coder = 0; coder < 2; coder++)
        {
          g_autofree char *guid = g_uuid_string_random ();
          gint64 s = start, e = MIN (end, doc->characters), k = code;

          if (coder == 1)
            {
              if (roll < 60)
                ; /* the same segment */
              else if (roll < 85)
                {
                  /* Drawn first: MAX () and MIN () evaluate an argument twice. */
                  gint64 earlier = random_below (15), later = random_below (15);

                  s = MAX (0, s - earlier);
                  e = MIN (doc->characters, e + later);
                }
              else if (roll < 95)
                k = g_array_index (code_ids, gint64, random_below (code_ids->len));
              else
                {
                  s = random_below (MAX (1, doc->characters - 200));
                  e = s + 30;
                }
            }
          sqlite3_bind_text (insert, 1, guid, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (insert, 2, doc->id);
          sqlite3_bind_int64 (insert, 3, k);
          sqlite3_bind_text (insert, 4, coder == 0 ? "Anouk" : "Bram", -1, SQLITE_STATIC);
          sqlite3_bind_int64 (insert, 5, s);
          sqlite3_bind_int64 (insert, 6, MAX (e, s + 1));
          if (sqlite3_step (insert) != SQLITE_DONE)
            g_error ("insert failed");
          sqlite3_reset (insert);
        }
    }
  sqlite3_finalize (insert);
  if (!_cw_project_commit (project, &error))
    g_error ("%s", error->message);
  if (cohort != NULL)
    link_cohort (project, cohort, documents);
  /* A checkpoint now, so that timing later starts from a settled file. */
  if (!_cw_project_exec (project, "PRAGMA wal_checkpoint(TRUNCATE)", &error))
    g_error ("%s", error->message);
  if (split_dir != NULL)
    split_by_coder (project, split_dir);
  if (setup_only)
    {
      g_autoptr(sqlite3_stmt) count = _cw_project_prepare (project, "SELECT count(*) FROM codings", &error);
      gint64 total_chars = 0;

      for (guint d = 0; d < documents->len; d++)
        total_chars += ((CwDocumentInfo *) documents->pdata[d])->characters;
      if (count == NULL || sqlite3_step (count) != SQLITE_ROW)
        g_error ("cannot count the codings");
      g_print ("{\"project\":\"%s\",\"documents\":%u,\"characters\":%" G_GINT64_FORMAT ",\"codings\":%" G_GINT64_FORMAT
               ",\"largest_document\":%" G_GINT64_FORMAT ",\"largest_document_characters\":%" G_GINT64_FORMAT "}\n",
               path, documents->len, total_chars, (gint64) sqlite3_column_int64 (count, 0), busy->id, busy->characters);
      return 0;
    }

  /* The coding issue's figures: one coding with its durable commit (and
   * the disk's floor), and the retrieval of one code. */
  {
    g_autoptr(GString) commit = g_string_new (NULL);
    g_autoptr(GString) retrieve = g_string_new (NULL);
    g_autofree char *both = NULL;

    job_commit (project, samples, commit);
    job_retrieve (project, 20, retrieve);
    g_print ("%s\n%s\n", commit->str, retrieve->str);
    both = g_strdup_printf ("[%s,\n %s]\n", commit->str, retrieve->str);
    if (json_path != NULL && !g_file_set_contents (json_path, both, -1, &error))
      g_error ("%s", error->message);
  }
  return 0;
}
