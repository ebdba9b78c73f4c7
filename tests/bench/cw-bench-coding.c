/* cw-bench-coding: the coding issue's core figures on the standard corpus.
 *
 *   cw-bench-coding CORPUS_DIR WORK_DIR [--codings N] [--samples N] [--json FILE]
 *
 * Imports the corpus into a new project, adds 30 codes in 6 categories and
 * N codings by two coders (the second reusing most of the first's segments
 * with shifted edges, some with other codes, some new), 2,000 of them in
 * the first document, then measures:
 *   1. one coding through the core with its durable commit (p50, p95),
 *      beside the floor: a 4 KiB write + fdatasync on the same disk;
 *   2. (the window's figure is cw-bench-window's)
 *   3. retrieval of every segment of one code across the corpus, with text.
 * The project is left in WORK_DIR for cw-bench-window.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

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
  g_autoptr(GArray) commit_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) floor_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) retrieve_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GDir) dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *floor_file = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 n_codings = 20000, samples = 1000, first_doc_chars = 0, retrieved = 0, busiest = 0;
  const char *name;
  GOptionEntry entries[] = {
    { "codings", 0, 0, G_OPTION_ARG_INT64, &n_codings, "codings by the two coders (20000)", "N" },
    { "samples", 0, 0, G_OPTION_ARG_INT64, &samples, "single codings timed (1000)", "N" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "write the figures as JSON", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("CORPUS_DIR WORK_DIR");
  int fd;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 3)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "usage: cw-bench-coding CORPUS_DIR WORK_DIR");
      return 2;
    }

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
  first_doc_chars = ((CwDocumentInfo *) documents->pdata[0])->characters;
  for (gint64 i = 0; i < n_codings / 2; i++)
    {
      /* 2,000 codings in the first document, the rest spread evenly. */
      const CwDocumentInfo *doc = i < 1000 ? documents->pdata[0]
                                           : documents->pdata[1 + random_below (documents->len - 1)];
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
                  s = MAX (0, s - random_below (15));
                  e = MIN (doc->characters, e + random_below (15));
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

  /* 1. One coding with its durable commit, and the disk's floor. */
  floor_file = g_build_filename (argv[2], "fsync.floor", NULL);
  fd = g_open (floor_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  for (gint64 i = 0; i < samples; i++)
    {
      char block[4096] = { 0 };
      gint64 t0 = g_get_monotonic_time ();

      if (write (fd, block, sizeof block) != sizeof block || fdatasync (fd) != 0)
        g_error ("floor write failed");
      {
        double ms = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (floor_ms, ms);
      }
    }
  close (fd);
  g_unlink (floor_file);

  for (gint64 i = 0; i < samples; i++)
    {
      const CwDocumentInfo *doc = documents->pdata[random_below (documents->len)];
      gint64 start = random_below (MAX (1, doc->characters - 100));
      gint64 code = g_array_index (code_ids, gint64, random_below (code_ids->len));
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      if (cw_project_add_coding (project, doc->id, code, start, start + 50, "Anouk", NULL, &error) == 0)
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (commit_ms, ms);
    }

  /* The same without the disk: what the commit costs beyond fdatasync. */
  if (!_cw_project_exec (project, "PRAGMA synchronous = OFF", &error))
    g_error ("%s", error->message);
  for (gint64 i = 0; i < samples; i++)
    {
      const CwDocumentInfo *doc = documents->pdata[random_below (documents->len)];
      gint64 start = random_below (MAX (1, doc->characters - 100));
      gint64 code = g_array_index (code_ids, gint64, random_below (code_ids->len));
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      if (cw_project_add_coding (project, doc->id, code, start, start + 60, "Bram", NULL, &error) == 0)
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (cpu_ms, ms);
    }
  if (!_cw_project_exec (project, "PRAGMA synchronous = FULL", &error))
    g_error ("%s", error->message);

  /* 3. Every segment of the busiest code, with its text. */
  {
    g_autoptr(sqlite3_stmt) stmt =
      _cw_project_prepare (project, "SELECT code_id FROM codings GROUP BY code_id ORDER BY count(*) DESC LIMIT 1", &error);
    sqlite3_step (stmt);
    busiest = sqlite3_column_int64 (stmt, 0);
  }
  for (int run = 0; run < 21; run++)
    {
      g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
      g_autoptr(GPtrArray) segments = NULL;
      gint64 t0;
      double ms;

      query->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (query->code_ids, busiest);
      query->with_text = TRUE;
      t0 = g_get_monotonic_time ();
      segments = cw_project_retrieve (project, query, NULL, &error);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      if (segments == NULL)
        g_error ("%s", error->message);
      retrieved = segments->len;
      if (run > 0) /* the first run warms the cache */
        g_array_append_val (retrieve_ms, ms);
    }

  {
    double c50 = percentile (commit_ms, 0.50), c95 = percentile (commit_ms, 0.95);
    double f50 = percentile (floor_ms, 0.50), f95 = percentile (floor_ms, 0.95);
    double r50 = percentile (retrieve_ms, 0.50), r95 = percentile (retrieve_ms, 0.95);
    double u50 = percentile (cpu_ms, 0.50), u95 = percentile (cpu_ms, 0.95);
    g_autofree char *json = g_strdup_printf (
      "{\"documents\":%u,\"codings\":%" G_GINT64_FORMAT ",\"first_document_characters\":%" G_GINT64_FORMAT ","
      "\"coding_commit_ms\":{\"p50\":%.3f,\"p95\":%.3f,\"samples\":%" G_GINT64_FORMAT "},"
      "\"fdatasync_floor_ms\":{\"p50\":%.3f,\"p95\":%.3f},"
      "\"coding_without_sync_ms\":{\"p50\":%.3f,\"p95\":%.3f},"
      "\"retrieve_one_code_ms\":{\"p50\":%.2f,\"p95\":%.2f,\"segments\":%" G_GINT64_FORMAT "},"
      "\"project\":\"%s\"}\n",
      documents->len, n_codings, first_doc_chars, c50, c95, samples, f50, f95, u50, u95, r50, r95, retrieved, path);

    g_print ("| job | p50 ms | p95 ms | floor p50 ms | floor p95 ms |\n| --- | ---: | ---: | ---: | ---: |\n");
    g_print ("| one coding, durable commit (%" G_GINT64_FORMAT " samples) | %.3f | %.3f | %.3f | %.3f |\n",
             samples, c50, c95, f50, f95);
    g_print ("| one coding, commit without fdatasync (what it costs beyond the disk) | %.3f | %.3f | | |\n",
             u50, u95);
    g_print ("| retrieval of one code with text (%" G_GINT64_FORMAT " segments) | %.2f | %.2f | | |\n",
             retrieved, r50, r95);
    if (json_path != NULL && !g_file_set_contents (json_path, json, -1, &error))
      g_error ("%s", error->message);
  }
  return 0;
}
