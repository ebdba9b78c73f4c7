/* codewerk-cli's REFI-QDA commands as a user drives them: codebook-export,
 * export, codebook-import and import-project. Spawns the binary, checks
 * exit codes, the one error line naming the file, warnings on stderr (or
 * in the JSON), that a failed command leaves nothing behind, and the round
 * trip export -> import-project -> codes/codings. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"
#include "cw-zip.h"

static const char *
cli (void)
{
  const char *path = g_getenv ("CODEWERK_CLI");

  g_assert_nonnull (path);
  return path;
}

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
run_argv (const char *first,
          va_list     args,
          gboolean    json)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Result r = { 0 };

  g_ptr_array_add (argv, (gpointer) cli ());
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  if (json)
    g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, NULL);
  r.status = cw_test_run ((const char * const *) argv->pdata, &r.out, &r.err);
  return r;
}

/* Runs codewerk-cli with the NULL-terminated arguments. */
static Result
run (const char *first,
     ...)
{
  va_list args;
  Result r;

  va_start (args, first);
  r = run_argv (first, args, FALSE);
  va_end (args);
  return r;
}

/* A command that must succeed, with --json: its parsed output. */
static GVariant *
run_json (const char *first,
          ...)
{
  g_auto(Result) r = { 0 };
  va_list args;

  va_start (args, first);
  r = run_argv (first, args, TRUE);
  va_end (args);
  if (r.status != 0)
    g_error ("%s failed (%d): %s", first, r.status, r.err);
  g_assert_cmpstr (r.err, ==, "");
  return cw_test_parse_json (r.out);
}

static void
run_ok (const char *first,
        ...)
{
  g_auto(Result) r = { 0 };
  va_list args;

  va_start (args, first);
  r = run_argv (first, args, FALSE);
  va_end (args);
  if (r.status != 0)
    g_error ("%s failed (%d): %s", first, r.status, r.err);
}

/* A failure: exit 1, nothing on stdout, one error line naming what. */
static void
assert_failure (Result     *r,
                const char *names)
{
  g_assert_cmpint (r->status, ==, 1);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "codewerk-cli: error: "));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
  if (names != NULL && strstr (r->err, names) == NULL)
    g_error ("error line «%s» does not name «%s»", r->err, names);
}

static const char interview_text[] =
  "I: Hoe kwam je aan je stage?\n"
  "R: Via school. Mijn mentor had het geregeld. De jobcoach komt elke week 😀.\n"
  "I: En thuis?\n"
  "R: Mijn moeder helpt. De jobcoach belt haar ook.\n";
static const char focus_text[] =
  "Moeder: Mijn zoon zoekt werk. De gemeente helpt niet.\n"
  "Vader: De jobcoach is goud waard.\n";

typedef struct
{
  char *dir;
  char *path; /* the project */
} Fixture;

static char *
in_dir (Fixture    *f,
        const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) a = NULL, b = NULL;
  g_autofree char *a_path = NULL, *b_path = NULL;

  f->dir = cw_test_make_dir ();
  f->path = in_dir (f, "p.codewerk");
  a = cw_test_write_file (f->dir, "interview-a.txt", interview_text);
  b = cw_test_write_file (f->dir, "focusgroep-b.txt", focus_text);
  a_path = g_file_get_path (a);
  b_path = g_file_get_path (b);
  run_ok ("new", f->path, "--title", "Stages & werk", NULL);
  run_ok ("import", f->path, a_path, b_path, NULL);
  run_ok ("code-add", f->path, "Begeleiding/Jobcoach", "--color", "#4F7FBF", "--description",
          "Een jobcoach\nvan buiten", NULL);
  run_ok ("code-add", f->path, "Begeleiding/Mentor school", NULL);
  run_ok ("code-add", f->path, "Thuis", "--color", "#c00", NULL);
  /* Two coders on one range, with different codes; more elsewhere. */
  run_ok ("code", f->path, "interview-a.txt", "74", "100", "Begeleiding/Jobcoach", "--coder", "Anouk",
          "--memo", "Elke week!", NULL);
  run_ok ("code", f->path, "interview-a.txt", "74", "100", "Begeleiding/Mentor school", "--coder", "Bram", NULL);
  run_ok ("code", f->path, "interview-a.txt", "120", "138", "Thuis", "--coder", "Anouk", NULL);
  run_ok ("code", f->path, "focusgroep-b.txt", "61", "86", "Begeleiding/Jobcoach", "--coder", "Bram", NULL);
  run_ok ("memo", f->path, "--code", "Thuis", "--title", "Grens", "Ouders, broers en zussen.", NULL);
  run_ok ("memo", f->path, "--project", "Twee coders.", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
test_codebook_export (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *qdc = in_dir (f, "codes.qdc");
  g_auto(Result) r = run ("codebook-export", f->path, qdc, NULL);
  g_autoptr(GBytes) bytes = NULL;
  const char *text;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "");
  bytes = read_file (qdc);
  text = g_bytes_get_data (bytes, NULL);
  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
  g_assert_nonnull (strstr (text, "xmlns=\"urn:QDA-XML:codebook:1.0\""));
  g_assert_nonnull (strstr (text, "name=\"Mentor school\""));
  g_assert_nonnull (strstr (text, "color=\"#CC0000\""));
  g_assert_nonnull (strstr (text, "Een jobcoach\nvan buiten"));
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *qdpx = in_dir (f, "p.qdpx");
  g_auto(Result) r = run ("export", f->path, qdpx, NULL);
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GBytes) qde = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "");
  zip = read_file (qdpx);
  entries = cw_zip_list_entries (zip, qdpx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (entries->pdata[0], ==, "project.qde");
  g_assert_true (g_str_has_prefix (entries->pdata[1], "sources/"));
  qde = cw_zip_read_entry (zip, "project.qde", 16 * 1024 * 1024, qdpx, &error);
  g_assert_no_error (error);
  text = g_bytes_get_data (qde, NULL);
  g_assert_nonnull (strstr (text, "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Stages &amp; werk\""));
  g_assert_nonnull (strstr (text, "<User "));
  g_assert_nonnull (strstr (text, "name=\"Anouk\""));
  g_assert_nonnull (strstr (text, "startPosition=\"74\" endPosition=\"100\""));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *missing = in_dir (f, "weg.codewerk");
  g_autofree char *out_qdc = in_dir (f, "out.qdc");
  g_autofree char *no_dir_qdpx = g_build_filename (f->dir, "geen-map", "p.qdpx", NULL);
  g_autofree char *no_dir_qdc = g_build_filename (f->dir, "geen-map", "p.qdc", NULL);
  g_autofree char *before = cw_test_dump (f->path);
  g_autofree char *after = NULL;

  /* A missing project: named, and no output file. */
  {
    g_auto(Result) r = run ("codebook-export", missing, out_qdc, NULL);

    assert_failure (&r, missing);
    g_assert_false (g_file_test (out_qdc, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *qdpx = in_dir (f, "out.qdpx");
    g_auto(Result) r = run ("export", missing, qdpx, NULL);

    assert_failure (&r, missing);
    g_assert_false (g_file_test (qdpx, G_FILE_TEST_EXISTS));
  }
  /* An output that cannot be written: the output file is named. */
  {
    g_auto(Result) r = run ("export", f->path, no_dir_qdpx, NULL);

    assert_failure (&r, no_dir_qdpx);
  }
  {
    g_auto(Result) r = run ("codebook-export", f->path, no_dir_qdc, NULL);

    assert_failure (&r, no_dir_qdc);
  }
  /* Usage. */
  {
    g_auto(Result) r = run ("export", f->path, NULL);

    g_assert_cmpint (r.status, ==, 2);
  }
  {
    g_auto(Result) r = run ("import-project", f->path, NULL);

    g_assert_cmpint (r.status, ==, 2);
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* The import commands' refusals (cw-refi-import.c). */
static void
test_import_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *before = cw_test_dump (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GFile) not_xml = cw_test_write_file (f->dir, "kapot.qdc", "Dit is geen XML, maar gewoon tekst.\n");
  g_autoptr(GFile) not_zip = cw_test_write_file (f->dir, "kapot.qdpx", "<Project name=\"geen zip\"/>\n");
  g_autofree char *not_xml_path = g_file_get_path (not_xml);
  g_autofree char *not_zip_path = g_file_get_path (not_zip);
  g_autofree char *missing_qdc = in_dir (f, "weg.qdc");
  g_autofree char *missing_project = in_dir (f, "weg.codewerk");
  g_autofree char *created = in_dir (f, "nieuw.codewerk");

  {
    g_auto(Result) r = run ("codebook-import", f->path, not_xml_path, NULL);

    assert_failure (&r, not_xml_path);
  }
  {
    g_auto(Result) r = run ("codebook-import", f->path, missing_qdc, NULL);

    assert_failure (&r, missing_qdc);
  }
  {
    g_auto(Result) r = run ("codebook-import", missing_project, not_xml_path, NULL);

    assert_failure (&r, missing_project);
  }
  /* A .qdpx that is no zip: refused, and no project left behind. */
  {
    g_auto(Result) r = run ("import-project", created, not_zip_path, NULL);

    assert_failure (&r, not_zip_path);
    g_assert_false (g_file_test (created, G_FILE_TEST_EXISTS));
  }
  /* import-project never overwrites a project. */
  {
    g_autofree char *qdpx = in_dir (f, "p.qdpx");
    g_auto(Result) r = { 0 };

    run_ok ("export", f->path, qdpx, NULL);
    r = run ("import-project", f->path, qdpx, NULL);
    assert_failure (&r, f->path);
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* Warnings: stderr lines, exit 0; with --json inside the JSON only. */
static void
test_import_warnings (Fixture       *f,
                      gconstpointer  data)
{
  /* A Taguette-style empty <Sets/> (invalid) and a colour outside RGBType. */
  static const char qdc[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"hand made\">\n"
    "  <Codes>\n"
    "    <Code guid=\"0B5C6A4E-8C1F-4B7E-9A55-3C2D1E0F9A11\" name=\"Zelfstandigheid\" isCodable=\"true\""
    " color=\"255,0,0\"/>\n"
    "  </Codes>\n"
    "  <Sets/>\n"
    "</CodeBook>\n";
  g_autoptr(GFile) file = cw_test_write_file (f->dir, "hand.qdc", qdc);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *other = in_dir (f, "other.codewerk");

  run_ok ("new", other, NULL);
  {
    g_auto(Result) r = run ("codebook-import", f->path, path, NULL);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: warning: "));
    lines = g_strsplit (r.err, "\n", -1);
    for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
      g_assert_true (g_str_has_prefix (lines[i], "codewerk-cli: warning: "));
    g_assert_nonnull (strstr (r.out, "1"));
  }
  {
    g_autoptr(GVariant) json = run_json ("codebook-import", other, path, NULL);
    g_autoptr(GVariant) warnings = cw_test_json_get (json, "warnings");

    g_assert_cmpint (cw_test_json_int (json, "added"), ==, 1);
    g_assert_cmpint (cw_test_json_int (json, "matched"), ==, 0);
    g_assert_cmpuint (g_variant_n_children (warnings), >=, 1);
  }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* codes --json without ids: "path|parent|color|description|codings", sorted. */
static char *
codes_signature (const char *project)
{
  g_autoptr(GVariant) codes = run_json ("codes", project, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  for (gsize i = 0; i < g_variant_n_children (codes); i++)
    {
      g_autoptr(GVariant) code = cw_test_json_at (codes, i);
      gboolean top = cw_test_json_is_null (code, "parent");
      gboolean no_description = cw_test_json_is_null (code, "description");

      g_ptr_array_add (rows, g_strdup_printf ("%s|%s|%s|%s|%" G_GINT64_FORMAT, cw_test_json_str (code, "path"),
                                              top ? "-" : cw_test_json_str (code, "parent"),
                                              cw_test_json_str (code, "color"),
                                              no_description ? "-" : cw_test_json_str (code, "description"),
                                              cw_test_json_int (code, "codings")));
    }
  g_ptr_array_sort (rows, compare_strings);
  g_ptr_array_add (rows, NULL);
  joined = g_strjoinv ("\n", (char **) rows->pdata);
  return g_steal_pointer (&joined);
}

/* codings --json without ids: "document|start|end|code|coder|text", sorted. */
static char *
codings_signature (const char *project)
{
  g_autoptr(GVariant) codings = run_json ("codings", project, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < g_variant_n_children (codings); i++)
    {
      g_autoptr(GVariant) coding = cw_test_json_at (codings, i);

      g_ptr_array_add (rows, g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s|%s|%s",
                                              cw_test_json_str (coding, "document"),
                                              cw_test_json_int (coding, "start"), cw_test_json_int (coding, "end"),
                                              cw_test_json_str (coding, "code"), cw_test_json_str (coding, "coder"),
                                              cw_test_json_str (coding, "text")));
    }
  g_ptr_array_sort (rows, compare_strings);
  g_ptr_array_add (rows, NULL);
  return g_strjoinv ("\n", (char **) rows->pdata);
}

static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *qdpx = in_dir (f, "p.qdpx");
  g_autofree char *copy = in_dir (f, "kopie.codewerk");
  g_autofree char *codes_a = NULL, *codes_b = NULL, *codings_a = NULL, *codings_b = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) warnings = NULL;

  run_ok ("export", f->path, qdpx, NULL);
  json = run_json ("import-project", copy, qdpx, NULL);
  g_assert_cmpint (cw_test_json_int (json, "documents"), ==, 2);
  g_assert_cmpint (cw_test_json_int (json, "codes"), ==, 4);
  g_assert_cmpint (cw_test_json_int (json, "codings"), ==, 4);
  /* Our own file imports without a word to say. */
  warnings = cw_test_json_get (json, "warnings");
  g_assert_cmpuint (g_variant_n_children (warnings), ==, 0);

  codes_a = codes_signature (f->path);
  codes_b = codes_signature (copy);
  g_assert_cmpstr (codes_a, ==, codes_b);
  codings_a = codings_signature (f->path);
  codings_b = codings_signature (copy);
  g_assert_cmpstr (codings_a, ==, codings_b);
  {
    g_auto(Result) a = run ("text", f->path, "interview-a.txt", NULL);
    g_auto(Result) b = run ("text", copy, "interview-a.txt", NULL);

    g_assert_cmpint (b.status, ==, 0);
    g_assert_cmpstr (a.out, ==, b.out);
  }

  /* The codebook round trip: everything matched the second time. */
  {
    g_autofree char *qdc = in_dir (f, "codes.qdc");
    g_autofree char *empty = in_dir (f, "leeg.codewerk");
    g_autoptr(GVariant) first = NULL;
    g_autoptr(GVariant) again = NULL;
    g_autofree char *codes_c = NULL;

    run_ok ("codebook-export", f->path, qdc, NULL);
    run_ok ("new", empty, NULL);
    first = run_json ("codebook-import", empty, qdc, NULL);
    g_assert_cmpint (cw_test_json_int (first, "added"), ==, 4);
    g_assert_cmpint (cw_test_json_int (first, "matched"), ==, 0);
    again = run_json ("codebook-import", empty, qdc, NULL);
    g_assert_cmpint (cw_test_json_int (again, "added"), ==, 0);
    g_assert_cmpint (cw_test_json_int (again, "matched"), ==, 4);
    /* The same tree, colours and descriptions (no codings there). */
    codes_c = codes_signature (empty);
    g_assert_nonnull (strstr (codes_c, "Begeleiding/Jobcoach|Begeleiding|#4f7fbf|Een jobcoach\nvan buiten|0"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-refi/codebook-export", test_codebook_export);
  ADD ("/cli-refi/export", test_export);
  ADD ("/cli-refi/errors", test_errors);
  /* These need cw-refi-import.c. */
  ADD ("/cli-refi/import-errors", test_import_errors);
  ADD ("/cli-refi/import-warnings", test_import_warnings);
  ADD ("/cli-refi/round-trip", test_round_trip);
#undef ADD

  return g_test_run ();
}
