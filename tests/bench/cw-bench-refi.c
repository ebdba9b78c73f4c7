/* cw-bench-refi: REFI-QDA export and import against their floors.
 *
 *   cw-bench-refi --cli CODEWERK_CLI --project P.codewerk --work DIR
 *                 [--runs N] [--json FILE] [--smoke]
 *
 * (1) `codewerk-cli export P OUT.qdpx` against `zip -q -r` of the same
 *     files (project.qde and the sources/ texts, unpacked from our export);
 * (2) `codewerk-cli import-project NEW IN.qdpx` against `unzip -q` of the
 *     same archive plus a streaming parse of project.qde (a libxml2
 *     xmlTextReader loop in this process, which reads every element and
 *     attribute).
 * Whole processes are timed, wall clock, in turn (A B A B ...) after one
 * warm-up of each, so drift on a shared machine hits both alike; the
 * median is reported. run-refi-bench builds the project (200 transcripts,
 * 20,000 codings, as cw-bench-coding makes it) and calls this.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "cw-codebook.h"
#include "cw-project.h"

static char *cli;
static char *work;
/* Peak RSS of the last process timed_run ran, from /usr/bin/time (-1 when
 * it is missing). */
static gboolean have_time;
static double last_rss_mib = -1;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  double median, min, max;
} Stats;

static Stats
stats (GArray *values)
{
  Stats s = { NAN, NAN, NAN };

  if (values->len == 0)
    return s;
  g_array_sort (values, compare_double);
  s.min = g_array_index (values, double, 0);
  s.max = g_array_index (values, double, values->len - 1);
  s.median = values->len % 2 ? g_array_index (values, double, values->len / 2)
                             : (g_array_index (values, double, values->len / 2 - 1) +
                                g_array_index (values, double, values->len / 2)) / 2;
  return s;
}

/* Runs argv in cwd (NULL: work); the wall time in seconds, < 0 on failure
 * (stderr then printed). */
static double
timed_run (const char * const *argv,
           const char         *cwd)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *rss_file = g_build_filename (work, "rss.time", NULL);
  g_autofree char *rss_text = NULL;
  g_autoptr(GPtrArray) wrapped = g_ptr_array_new ();
  int status = 0;
  gint64 t0;
  double seconds;

  /* /usr/bin/time -f %M: the child's peak RSS in KiB, written to a file so
   * that the child's own stderr stays readable. */
  if (have_time)
    {
      const char *prefix[] = { "/usr/bin/time", "-f", "%M", "-o", rss_file };

      for (guint i = 0; i < G_N_ELEMENTS (prefix); i++)
        g_ptr_array_add (wrapped, (gpointer) prefix[i]);
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (wrapped, (gpointer) argv[i]);
  g_ptr_array_add (wrapped, NULL);
  last_rss_mib = -1;
  t0 = g_get_monotonic_time ();
  if (!g_spawn_sync (cwd != NULL ? cwd : work, (char **) wrapped->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err, &status, &error))
    {
      g_printerr ("cw-bench-refi: %s: %s\n", argv[0], error->message);
      return -1;
    }
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (have_time && g_file_get_contents (rss_file, &rss_text, NULL, NULL))
    {
      /* The figure is on the last line (time puts a failure line first). */
      g_strchomp (rss_text);
      last_rss_mib = g_ascii_strtod (strrchr (rss_text, '\n') != NULL ? strrchr (rss_text, '\n') + 1 : rss_text,
                                     NULL) / 1024.0;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_printerr ("cw-bench-refi: %s %s failed: %s", argv[0], argv[1], err);
      return -1;
    }
  return seconds;
}

static char *
in_work (const char *name)
{
  return g_build_filename (work, name, NULL);
}

static void
remove_project (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static void
remove_tree (const char *path)
{
  const char *argv[] = { "rm", "-rf", path, NULL };

  timed_run (argv, NULL);
}

/* The floor's parse: every node and attribute of project.qde, streamed. */
static gint64
stream_parse (const char *path)
{
  xmlTextReaderPtr reader = xmlReaderForFile (path, NULL, XML_PARSE_NONET | XML_PARSE_COMPACT);
  gint64 elements = 0, selections = 0;
  int rc;

  if (reader == NULL)
    return -1;
  while ((rc = xmlTextReaderRead (reader)) == 1)
    {
      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        continue;
      elements++;
      if (strcmp ((const char *) xmlTextReaderConstLocalName (reader), "PlainTextSelection") == 0)
        {
          xmlChar *start = xmlTextReaderGetAttribute (reader, BAD_CAST "startPosition");

          selections += start != NULL;
          xmlFree (start);
        }
      while (xmlTextReaderMoveToNextAttribute (reader) == 1)
        (void) xmlTextReaderConstValue (reader);
    }
  xmlFreeTextReader (reader);
  return rc == 0 && selections >= 0 ? elements : -1;
}

static double
export_ours (const char *project)
{
  g_autofree char *out = in_work ("ours.qdpx");
  const char *argv[] = { cli, "export", project, out, NULL };

  /* A new file each time: replacing one adds an fsync. */
  g_unlink (out);
  return timed_run (argv, NULL);
}

static double
export_floor (void)
{
  g_autofree char *files = in_work ("files");
  g_autofree char *out = in_work ("floor.zip");
  const char *argv[] = { "zip", "-q", "-r", out, "project.qde", "sources", NULL };

  g_unlink (out);
  return timed_run (argv, files);
}

static double
import_ours (void)
{
  g_autofree char *in = in_work ("ours.qdpx");
  g_autofree char *project = in_work ("imported.codewerk");
  const char *argv[] = { cli, "import-project", project, in, NULL };

  remove_project (project);
  return timed_run (argv, NULL);
}

static double
import_floor (gint64 *elements)
{
  g_autofree char *in = in_work ("ours.qdpx");
  g_autofree char *dir = in_work ("unzipped");
  g_autofree char *qde = g_build_filename (dir, "project.qde", NULL);
  const char *argv[] = { "unzip", "-q", in, "-d", dir, NULL };
  gint64 t0;
  double unzip;

  remove_tree (dir);
  unzip = timed_run (argv, NULL);
  if (unzip < 0)
    return -1;
  t0 = g_get_monotonic_time ();
  *elements = stream_parse (qde);
  if (*elements < 0)
    return -1;
  return unzip + (g_get_monotonic_time () - t0) / 1e6;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* The peak RSS of each job's processes, MiB (-1: not known). */
enum { EXPORT_OURS, EXPORT_FLOOR, IMPORT_OURS, IMPORT_FLOOR, N_JOBS };
static double peak_rss[N_JOBS] = { -1, -1, -1, -1 };

static void
note_rss (int job)
{
  peak_rss[job] = MAX (peak_rss[job], last_rss_mib);
}

static void
json_job (GString    *json,
          const char *name,
          const char *command,
          GArray     *times,
          int         job)
{
  Stats s = stats (times);
  char rss[G_ASCII_DTOSTR_BUF_SIZE] = "null";

  if (peak_rss[job] >= 0)
    g_ascii_formatd (rss, sizeof rss, "%.1f", peak_rss[job]);
  if (times->len == 0)
    {
      g_string_append_printf (json, "    {\"job\": \"%s\", \"command\": \"%s\", \"median_s\": null},\n", name, command);
      return;
    }
  g_string_append_printf (json, "    {\"job\": \"%s\", \"command\": \"%s\", \"median_s\": %.4f, \"min_s\": %.4f,"
                          " \"max_s\": %.4f, \"peak_rss_mib\": %s},\n", name, command, s.median, s.min, s.max, rss);
}

static void
table_row (const char *job,
           GArray     *times,
           double      floor_median)
{
  Stats s = stats (times);

  if (times->len == 0)
    {
      g_print ("| %s | failed | | | |\n", job);
      return;
    }
  g_print ("| %s | %.3f | %.3f | %.3f | %.2f |\n", job, s.median, s.min, s.max, s.median / floor_median);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *files = NULL;
  g_autofree char *qdpx = NULL;
  g_autoptr(GArray) export_ours_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) export_floor_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) import_ours_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) import_floor_s = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) json = g_string_new (NULL);
  gint64 runs = 5, elements = 0, documents = 0, codings = 0, imported_documents = -1, imported_codings = -1;
  gboolean smoke = FALSE, import_ok = TRUE;
  GOptionEntry entries[] = {
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "codewerk-cli to measure", "PATH" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &project_path, "the project to export", "PATH" },
    { "work", 0, 0, G_OPTION_ARG_FILENAME, &work, "a folder for the files", "DIR" },
    { "runs", 0, 0, G_OPTION_ARG_INT64, &runs, "counted runs of each job (5)", "N" },
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &json_path, "write the figures as JSON", "FILE" },
    { "smoke", 0, 0, G_OPTION_ARG_NONE, &smoke, "one run, no warm-up, check the results", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || cli == NULL || project_path == NULL ||
      work == NULL || runs < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "usage: cw-bench-refi --cli PATH --project PATH --work DIR [--runs N]");
      return 2;
    }
  if (smoke)
    runs = 1;
  for (const char *const *tool = (const char *const[]) { "zip", "unzip", NULL }; *tool != NULL; tool++)
    {
      g_autofree char *found = g_find_program_in_path (*tool);

      if (found == NULL)
        {
          g_printerr ("cw-bench-refi: '%s' is missing (Debian: apt-get install %s)\n", *tool, *tool);
          return 1;
        }
    }
  xmlInitParser ();
  /* Absolute: the children run in other folders. */
  if (!g_path_is_absolute (work))
    {
      char *absolute = g_canonicalize_filename (work, NULL);

      g_free (work);
      work = absolute;
    }
  if (!g_path_is_absolute (project_path))
    {
      char *absolute = g_canonicalize_filename (project_path, NULL);

      g_free (project_path);
      project_path = absolute;
    }
  g_mkdir_with_parents (work, 0755);
  have_time = g_file_test ("/usr/bin/time", G_FILE_TEST_IS_EXECUTABLE);

  {
    g_autoptr(CwProject) project = cw_project_open (project_path, &error);
    g_autoptr(GPtrArray) docs = project != NULL ? cw_project_list_documents (project, &error) : NULL;
    g_autoptr(GPtrArray) codes = docs != NULL ? cw_project_list_codes (project, &error) : NULL;

    if (codes == NULL)
      g_error ("%s", error->message);
    documents = docs->len;
    for (guint i = 0; i < codes->len; i++)
      codings += ((CwCode *) codes->pdata[i])->n_codings;
  }

  /* The floor's input: the files of our own export, unpacked. */
  files = in_work ("files");
  qdpx = in_work ("ours.qdpx");
  remove_tree (files);
  if (export_ours (project_path) < 0)
    return 1;
  {
    const char *unzip[] = { "unzip", "-q", qdpx, "-d", files, NULL };

    if (timed_run (unzip, NULL) < 0)
      return 1;
  }

  /* Warm-up, then A B A B ... */
  if (!smoke && (export_floor () < 0 || export_ours (project_path) < 0))
    return 1;
  for (gint64 i = 0; i < runs; i++)
    {
      double a = export_ours (project_path), b;

      note_rss (EXPORT_OURS);
      b = export_floor ();
      note_rss (EXPORT_FLOOR);
      if (a < 0 || b < 0)
        return 1;
      g_array_append_val (export_ours_s, a);
      g_array_append_val (export_floor_s, b);
    }

  if (!smoke)
    {
      import_ok = import_ours () >= 0;
      if (import_floor (&elements) < 0)
        return 1;
    }
  for (gint64 i = 0; i < runs; i++)
    {
      double b = import_floor (&elements), a;

      note_rss (IMPORT_FLOOR);
      a = import_ok ? import_ours () : -1;
      note_rss (IMPORT_OURS);
      if (b < 0)
        return 1;
      g_array_append_val (import_floor_s, b);
      if (a < 0)
        import_ok = FALSE;
      else
        g_array_append_val (import_ours_s, a);
    }
  if (!import_ok)
    g_array_set_size (import_ours_s, 0);

  /* The import really holds the project. */
  if (import_ok)
    {
      g_autofree char *imported = in_work ("imported.codewerk");
      g_autoptr(CwProject) project = cw_project_open (imported, &error);
      g_autoptr(GPtrArray) docs = project != NULL ? cw_project_list_documents (project, &error) : NULL;
      g_autoptr(GPtrArray) codes = docs != NULL ? cw_project_list_codes (project, &error) : NULL;

      if (codes == NULL)
        g_error ("%s", error->message);
      imported_documents = docs->len;
      imported_codings = 0;
      for (guint i = 0; i < codes->len; i++)
        imported_codings += ((CwCode *) codes->pdata[i])->n_codings;
      if (imported_documents != documents || imported_codings != codings)
        {
          g_printerr ("cw-bench-refi: the import holds %" G_GINT64_FORMAT " documents and %" G_GINT64_FORMAT
                      " codings, not %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT "\n",
                      imported_documents, imported_codings, documents, codings);
          import_ok = FALSE;
        }
    }

  {
    Stats eo = stats (export_ours_s), ef = stats (export_floor_s);
    Stats io = stats (import_ours_s), fl = stats (import_floor_s);
    g_autofree char *floor_zip = in_work ("floor.zip");

    g_print ("%" G_GINT64_FORMAT " documents, %" G_GINT64_FORMAT " codings; .qdpx %.1f MiB (zip -r: %.1f MiB),"
             " project.qde %" G_GINT64_FORMAT " elements; %" G_GINT64_FORMAT " runs, medians\n\n",
             documents, codings, file_size (qdpx) / 1048576.0, file_size (floor_zip) / 1048576.0, elements, runs);
    g_print ("| job | median s | min s | max s | × floor |\n| --- | ---: | ---: | ---: | ---: |\n");
    table_row ("floor: `zip -q -r` of project.qde + sources/", export_floor_s, ef.median);
    table_row ("`codewerk-cli export`", export_ours_s, ef.median);
    table_row ("floor: `unzip -q` + streaming parse of project.qde", import_floor_s, fl.median);
    table_row ("`codewerk-cli import-project`", import_ours_s, fl.median);
    g_print ("\ntargets: export ≤ 1.00 × floor (%s), import ≤ 3.00 × floor (%s)\n",
             eo.median <= ef.median ? "met" : "NOT met",
             !import_ok ? "import failed" : io.median <= 3 * fl.median ? "met" : "NOT met");

    g_string_append_printf (json, "{\n  \"benchmark\": \"refi\",\n  \"smoke\": %s,\n  \"documents\": %" G_GINT64_FORMAT
                            ",\n  \"codings\": %" G_GINT64_FORMAT ",\n  \"runs\": %" G_GINT64_FORMAT
                            ",\n  \"qdpx_bytes\": %" G_GINT64_FORMAT ",\n  \"qde_elements\": %" G_GINT64_FORMAT
                            ",\n  \"jobs\": [\n",
                            smoke ? "true" : "false", documents, codings, runs, file_size (qdpx), elements);
    json_job (json, "export-floor", "zip -q -r OUT project.qde sources", export_floor_s, EXPORT_FLOOR);
    json_job (json, "export", "codewerk-cli export", export_ours_s, EXPORT_OURS);
    json_job (json, "import-floor", "unzip -q + xmlTextReader pass over project.qde", import_floor_s, IMPORT_FLOOR);
    json_job (json, "import", "codewerk-cli import-project", import_ours_s, IMPORT_OURS);
    g_string_truncate (json, json->len - 2);
    g_string_append_printf (json, "\n  ],\n  \"export_ratio\": %.3f,\n", eo.median / ef.median);
    if (import_ok)
      g_string_append_printf (json, "  \"import_ratio\": %.3f,\n  \"imported_documents\": %" G_GINT64_FORMAT
                              ",\n  \"imported_codings\": %" G_GINT64_FORMAT "\n}\n",
                              io.median / fl.median, imported_documents, imported_codings);
    else
      g_string_append (json, "  \"import_ratio\": null\n}\n");
    if (json_path != NULL && !g_file_set_contents (json_path, json->str, -1, &error))
      g_error ("%s", error->message);
  }

  remove_tree (files);
  xmlCleanupParser ();
  g_free (cli);
  g_free (work);
  return import_ok ? 0 : 1;
}
