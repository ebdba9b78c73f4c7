/* codewerk-cli as a user drives it: spawn the binary, read its JSON, check
 * exit codes and the one-line error. */
#include "config.h"

#include <string.h>

#include "cw-test-util.h"

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

/* Runs codewerk-cli with the NULL-terminated arguments. */
static Result
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Result r = { 0 };
  va_list args;

  g_ptr_array_add (argv, (gpointer) cli ());
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  r.status = cw_test_run ((const char * const *) argv->pdata, &r.out, &r.err);
  return r;
}

/* A failure: exit 1, nothing on stdout, exactly one error line naming what. */
static void
assert_failure (Result     *r,
                const char *names)
{
  g_assert_cmpint (r->status, ==, 1);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "codewerk-cli: error: "));
  g_assert_true (g_str_has_suffix (r->err, "\n"));
  g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
  if (names != NULL && strstr (r->err, names) == NULL)
    g_error ("error line «%s» does not name «%s»", r->err, names);
}

static void
test_help_and_usage (void)
{
  static const char *commands[] = { "new", "import", "documents", "text", "turns", "search" };
  g_auto(Result) help = run ("--help", NULL);
  g_auto(Result) none = run (NULL, NULL);
  g_auto(Result) unknown = run ("frobnicate", "x.codewerk", NULL);
  g_auto(Result) option = run ("documents", "x.codewerk", "--frob", NULL);
  g_auto(Result) missing = run ("text", "x.codewerk", NULL);
  g_auto(Result) extra = run ("documents", "x.codewerk", "y", NULL);
  g_auto(Result) kind = run ("import", "x.codewerk", "a.txt", "--kind", "podcast", NULL);
  g_auto(Result) sub = run ("import", "--help", NULL);

  g_assert_cmpint (help.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", commands[i]);
      g_assert_nonnull (strstr (help.out, line));
    }
  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_nonnull (strstr (unknown.err, "codewerk-cli: error: unknown command 'frobnicate'"));
  g_assert_cmpint (option.status, ==, 2);
  g_assert_nonnull (strstr (option.err, "--frob"));
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_cmpint (extra.status, ==, 2);
  g_assert_cmpint (kind.status, ==, 2);
  g_assert_nonnull (strstr (kind.err, "podcast"));
  g_assert_cmpint (sub.status, ==, 0);
  g_assert_nonnull (strstr (sub.out, "--kind"));
}

static void
test_new (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.codewerk", NULL);
  g_autofree char *nowhere = g_build_filename (dir, "no", "such", "dir", "p.codewerk", NULL);
  g_auto(Result) created = run ("new", path, "--title", "Arena 2016", NULL);
  g_auto(Result) again = run ("new", path, NULL);
  g_auto(Result) bad = run ("new", nowhere, NULL);
  g_auto(Result) docs = run ("documents", path, "--json", NULL);

  g_assert_cmpint (created.status, ==, 0);
  g_assert_cmpstr (created.out, ==, "");
  assert_failure (&again, path);
  assert_failure (&bad, nowhere);
  g_assert_cmpint (docs.status, ==, 0);
  g_assert_cmpstr (docs.out, ==, "[]\n");
  cw_test_remove_dir (dir);
}

static void
test_import_documents_text_turns (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.codewerk", NULL);
  g_autoptr(GFile) a = cw_test_write_file (dir, "arena-de-brug.txt",
                                           "[00:00:05] Gespreksleider: Welkom allemaal.\n"
                                           "[00:00:09] Kevin: Ik ben Kevin. Ik zit op De Brug.\n"
                                           "Ik loop stage bij een bakker.\n"
                                           "[00:01:02] Gespreksleider: Dank je.\n");
  g_autoptr(GFile) b = cw_test_write_file (dir, "notitie.txt", "Het punt is: geen sprekers.\n");
  g_autofree char *a_path = g_file_get_path (a);
  g_autofree char *b_path = g_file_get_path (b);
  g_autoptr(GVariant) docs = NULL, turns = NULL, doc = NULL, second = NULL, turn = NULL, speakers = NULL;
  g_auto(Result) created = run ("new", path, NULL);
  g_auto(Result) imported = run ("import", path, a_path, b_path, "--json", NULL);
  g_auto(Result) listed = run ("documents", path, "--json", NULL);
  g_auto(Result) text = run ("text", path, "arena-de-brug.txt", NULL);
  g_auto(Result) text_by_id = run ("text", path, "1", NULL);
  g_auto(Result) turned = run ("turns", path, "arena-de-brug.txt", "--json", NULL);
  g_auto(Result) plain_docs = run ("documents", path, NULL);
  g_auto(Result) unknown_doc = run ("text", path, "onbekend.txt", NULL);
  g_auto(Result) unknown_turns = run ("turns", path, "42", NULL);
  const char *stored;
  gsize n;

  g_assert_cmpint (created.status, ==, 0);
  g_assert_cmpint (imported.status, ==, 0);
  docs = cw_test_parse_json (imported.out);
  g_assert_cmpuint (g_variant_n_children (docs), ==, 2);

  g_assert_cmpint (listed.status, ==, 0);
  g_clear_pointer (&docs, g_variant_unref);
  docs = cw_test_parse_json (listed.out);
  g_assert_cmpuint (g_variant_n_children (docs), ==, 2);
  doc = cw_test_json_at (docs, 0);
  g_assert_cmpint (cw_test_json_int (doc, "id"), ==, 1);
  g_assert_cmpstr (cw_test_json_str (doc, "name"), ==, "arena-de-brug.txt");
  g_assert_cmpstr (cw_test_json_str (doc, "kind"), ==, "arena");
  g_assert_cmpint (cw_test_json_int (doc, "turns"), ==, 3);
  speakers = cw_test_json_get (doc, "speakers");
  n = g_variant_n_children (speakers);
  g_assert_cmpuint (n, ==, 2);

  /* text prints the stored text exactly: stamps gone, labels kept. */
  g_assert_cmpint (text.status, ==, 0);
  g_assert_cmpstr (text.out, ==, text_by_id.out);
  g_assert_true (g_str_has_prefix (text.out, "Gespreksleider: Welkom allemaal.\nKevin: Ik ben Kevin."));
  g_assert_null (strstr (text.out, "00:00"));
  g_assert_cmpint (cw_test_json_int (doc, "characters"), ==, g_utf8_strlen (text.out, -1));

  g_assert_cmpint (turned.status, ==, 0);
  turns = cw_test_parse_json (turned.out);
  g_assert_cmpuint (g_variant_n_children (turns), ==, 3);
  turn = cw_test_json_at (turns, 1);
  g_assert_cmpint (cw_test_json_int (turn, "index"), ==, 1);
  g_assert_cmpstr (cw_test_json_str (turn, "speaker"), ==, "Kevin");
  stored = text.out;
  cw_test_assert_substring (stored, cw_test_json_int (turn, "start"), cw_test_json_int (turn, "end"),
                            "Ik ben Kevin. Ik zit op De Brug.\nIk loop stage bij een bakker.");
  {
    g_autoptr(GVariant) time = cw_test_json_get (turn, "time");
    g_assert_true (g_variant_is_of_type (time, G_VARIANT_TYPE_DOUBLE));
    g_assert_cmpfloat (g_variant_get_double (time), ==, 9.0);
  }

  second = cw_test_json_at (docs, 1);
  g_assert_cmpint (cw_test_json_int (second, "turns"), ==, 0);
  g_assert_cmpstr (cw_test_json_str (second, "kind"), ==, "other");

  g_assert_cmpint (plain_docs.status, ==, 0);
  g_assert_nonnull (strstr (plain_docs.out, "arena-de-brug.txt"));

  assert_failure (&unknown_doc, "onbekend.txt");
  assert_failure (&unknown_turns, "42");

  cw_test_remove_dir (dir);
}

static void
test_import_refusals_change_nothing (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.codewerk", NULL);
  g_autoptr(GFile) good = cw_test_write_file (dir, "goed.txt", "I: Hoe gaat het?\nR: Goed.\n");
  g_autoptr(GFile) binary = cw_test_write_bytes (dir, "opname.txt", "\x00\x01\x02\x03\xff\xfe\x00\x00garbage\x00", 16);
  g_autoptr(GFile) broken = cw_test_write_file (dir, "kapot.docx", "PK\x03\x04 not really a zip");
  g_autofree char *good_path = g_file_get_path (good);
  g_autofree char *binary_path = g_file_get_path (binary);
  g_autofree char *broken_path = g_file_get_path (broken);
  g_autofree char *missing_path = g_build_filename (dir, "bestaat-niet.txt", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_auto(Result) created = run ("new", path, NULL);
  g_auto(Result) seed = run ("import", path, good_path, NULL);

  g_assert_cmpint (created.status, ==, 0);
  g_assert_cmpint (seed.status, ==, 0);
  before = cw_test_dump (path);

  {
    g_auto(Result) r = run ("import", path, good_path, binary_path, NULL);
    assert_failure (&r, "opname.txt");
  }
  {
    g_auto(Result) r = run ("import", path, broken_path, "--json", NULL);
    assert_failure (&r, "kapot.docx");
  }
  {
    g_auto(Result) r = run ("import", path, missing_path, NULL);
    assert_failure (&r, "bestaat-niet.txt");
  }
  {
    g_auto(Result) r = run ("import", good_path, good_path, NULL);
    assert_failure (&r, "goed.txt");
  }

  after = cw_test_dump (path);
  g_assert_cmpstr (before, ==, after);
  cw_test_remove_dir (dir);
}

static void
test_search (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.codewerk", NULL);
  g_autoptr(GFile) a = cw_test_write_file (dir, "focusgroep.txt",
                                           "Moeder: Ik had zoveel ideeën voor zijn stage.\n"
                                           "Vader: 👍 De jobcoach ook.\n");
  g_autofree char *a_path = g_file_get_path (a);
  g_autoptr(GVariant) hits = NULL, hit = NULL;
  g_auto(Result) created = run ("new", path, NULL);
  g_auto(Result) imported = run ("import", path, a_path, NULL);
  g_auto(Result) found = run ("search", path, "ideeen", "--json", NULL);
  g_auto(Result) coach = run ("search", path, "jobcoach", "--json", NULL);
  g_auto(Result) plain = run ("search", path, "stag*", NULL);
  g_auto(Result) invalid = run ("search", path, "OR", NULL);
  g_auto(Result) scoped = run ("search", path, "stage", "--doc", "nope.txt", NULL);

  g_assert_cmpint (imported.status, ==, 0);
  g_assert_cmpint (found.status, ==, 0);
  hits = cw_test_parse_json (found.out);
  g_assert_cmpuint (g_variant_n_children (hits), ==, 1);
  hit = cw_test_json_at (hits, 0);
  g_assert_cmpstr (cw_test_json_str (hit, "document"), ==, "focusgroep.txt");
  g_assert_cmpint (cw_test_json_int (hit, "start"), ==, 22);
  g_assert_cmpint (cw_test_json_int (hit, "end"), ==, 28);
  g_assert_nonnull (strstr (cw_test_json_str (hit, "snippet"), "ideeën"));
  g_clear_pointer (&hit, g_variant_unref);
  g_clear_pointer (&hits, g_variant_unref);

  /* "Moeder: ... stage.\n" is 46 characters; "Vader: 👍 De " 12 more. */
  hits = cw_test_parse_json (coach.out);
  hit = cw_test_json_at (hits, 0);
  g_assert_cmpint (cw_test_json_int (hit, "start"), ==, 58);
  g_assert_cmpint (cw_test_json_int (hit, "end"), ==, 66);

  g_assert_cmpint (plain.status, ==, 0);
  g_assert_nonnull (strstr (plain.out, "focusgroep.txt:39-44: "));
  assert_failure (&invalid, path);
  assert_failure (&scoped, "nope.txt");
  cw_test_remove_dir (dir);
}

static void
test_not_a_project (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GFile) text = cw_test_write_file (dir, "transcript.txt", "I: Hallo.\n");
  g_autofree char *text_path = g_file_get_path (text);
  g_autofree char *missing = g_build_filename (dir, "missing.codewerk", NULL);
  g_auto(Result) r1 = run ("documents", text_path, NULL);
  g_auto(Result) r2 = run ("documents", missing, "--json", NULL);

  assert_failure (&r1, "transcript.txt");
  g_assert_nonnull (strstr (r1.err, "not a Codewerk project"));
  assert_failure (&r2, "missing.codewerk");
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/help-and-usage", test_help_and_usage);
  g_test_add_func ("/cli/new", test_new);
  g_test_add_func ("/cli/import-documents-text-turns", test_import_documents_text_turns);
  g_test_add_func ("/cli/import-refusals-change-nothing", test_import_refusals_change_nothing);
  g_test_add_func ("/cli/search", test_search);
  g_test_add_func ("/cli/not-a-project", test_not_a_project);
  return g_test_run ();
}
