/* test-cli-team.c: several coders, as a user drives codewerk-cli: merging
 * coders' copies (merge: counts, idempotence, a renamed code as a
 * conflict, broken files refused without a change, .qdpx input, undo),
 * inter-coder agreement (agreement: the JSON shape, the same numbers as
 * the core computes, hand-worked values, restrictions, three coders,
 * refusals) and changing a case variable's type (variable-type).
 *
 * Copies of the example project (Lotte's and Ruben's codings) play the
 * coders' copies; a small hand-made project has values worked out here. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cw-agreement.h"
#include "cw-codebook.h"
#include "cw-test-util.h"

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
runv (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Result r = { 0 };

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  r.status = cw_test_run ((const char * const *) argv->pdata, &r.out, &r.err);
  return r;
}

static Result
run (const char *first,
     ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return runv ((const char * const *) args->pdata);
}

/* A command that must succeed quietly. */
static void
run_ok (const char *first,
        ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(Result) r = { 0 };
  va_list ap;

  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  r = runv ((const char * const *) args->pdata);
  if (r.status != 0)
    g_error ("codewerk-cli %s failed (%d): %s", first, r.status, r.err);
  g_assert_cmpstr (r.err, ==, "");
}

static GVariant *
parse_ok (Result *r)
{
  if (r->status != 0)
    g_error ("codewerk-cli failed (%d): %s", r->status, r->err);
  g_assert_cmpstr (r->err, ==, "");
  return cw_test_parse_json (r->out);
}

/* Exit status, nothing on stdout, and exactly one error line on stderr
 * that names `names` (a usage error adds its usage lines after it). */
static void
assert_failure (Result     *r,
                int         status,
                const char *names)
{
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "codewerk-cli: error: "));
  if (status == 1)
    {
      g_assert_true (g_str_has_suffix (r->err, "\n"));
      g_assert_true (strchr (r->err, '\n') == r->err + strlen (r->err) - 1);
    }
  if (names != NULL && strstr (r->err, names) == NULL)
    g_error ("error «%s» does not name «%s»", r->err, names);
}

static char *
example_path (void)
{
  return g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk", NULL);
}

/* A coder's own copy of the example project: dir/name. */
static char *
copy_example (const char *dir,
              const char *name)
{
  g_autofree char *example = example_path ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (example);
  g_autoptr(GFile) copy = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (example, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The stdout of a command that must succeed. */
static char *
output_of (const char *command,
           const char *project,
           const char *option)
{
  g_auto(Result) r = run (command, project, option, NULL);

  if (r.status != 0)
    g_error ("codewerk-cli %s failed (%d): %s", command, r.status, r.err);
  return g_steal_pointer (&r.out);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* Every coding as "document|start|end|code|coder", sorted: what a user
 * sees in `codings`, without the ids. */
static GPtrArray *
coding_tuples (const char *project)
{
  g_auto(Result) r = run ("codings", project, "--json", NULL);
  g_autoptr(GVariant) json = parse_ok (&r);
  GPtrArray *tuples = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < g_variant_n_children (json); i++)
    {
      g_autoptr(GVariant) row = cw_test_json_at (json, i);

      g_ptr_array_add (tuples, g_strdup_printf ("%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s|%s",
                                                cw_test_json_str (row, "document"),
                                                cw_test_json_int (row, "start"),
                                                cw_test_json_int (row, "end"),
                                                cw_test_json_str (row, "code"),
                                                cw_test_json_str (row, "coder")));
    }
  g_ptr_array_sort (tuples, compare_strings);
  return tuples;
}

static void
assert_same_tuples (GPtrArray *a,
                    GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
}

static guint
count_with_coder (GPtrArray  *tuples,
                  const char *coder)
{
  g_autofree char *suffix = g_strconcat ("|", coder, NULL);
  guint n = 0;

  for (guint i = 0; i < tuples->len; i++)
    n += g_str_has_suffix (tuples->pdata[i], suffix);
  return n;
}

static void
assert_merge_counts (GVariant *json,
                     gint64    documents,
                     gint64    codes,
                     gint64    codings_added,
                     gint64    codings_skipped)
{
  g_assert_cmpint (cw_test_json_int (json, "documents"), ==, documents);
  g_assert_cmpint (cw_test_json_int (json, "codes"), ==, codes);
  g_assert_cmpint (cw_test_json_int (json, "codings_added"), ==, codings_added);
  g_assert_cmpint (cw_test_json_int (json, "codings_skipped"), ==, codings_skipped);
}

static const char sanne_interview[] =
  "Interviewer: Hoe vond je de stage bij de groenvoorziening?\n"
  "Jordy: Zwaar, maar de jobcoach hielp. Eén keer ben ik te laat gekomen.\n";

/* Sanne codes in her own copy: two codings on the example's documents,
 * a new code, a new transcript she imported herself. 4 codings, 1
 * document, 2 codes (Nieuw and Nieuw/Buiten werken). */
static void
sanne_codes (const char *dir,
             const char *copy)
{
  g_autoptr(GFile) file = cw_test_write_file (dir, "interview-jordy.txt", sanne_interview);
  g_autofree char *path = g_file_get_path (file);

  run_ok ("code", copy, "1", "10", "20", "Begeleiding/Jobcoach", "--coder", "Sanne", NULL);
  run_ok ("code", copy, "focusgroep-ouders-almere.odt", "30", "50", "Begeleiding/Mentor school", "--coder", "Sanne",
          NULL);
  run_ok ("code-add", copy, "Nieuw/Buiten werken", NULL);
  run_ok ("code", copy, "2", "60", "90", "Nieuw/Buiten werken", "--coder", "Sanne", NULL);
  run_ok ("import", copy, path, NULL);
  run_ok ("code", copy, "interview-jordy.txt", "13", "58", "Nieuw/Buiten werken", "--coder", "Sanne", NULL);
}

static void
test_merge (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *lotte = copy_example (dir, "lotte.codewerk");
  g_autofree char *other = copy_example (dir, "other.codewerk");
  g_autofree char *sanne = copy_example (dir, "sanne.codewerk");
  g_autofree char *qdpx = g_build_filename (dir, "sanne.qdpx", NULL);
  g_autofree char *codings_before = output_of ("codings", lotte, "--json");
  g_autofree char *documents_before = output_of ("documents", lotte, "--json");
  g_autofree char *codes_before = output_of ("codes", lotte, "--json");
  g_autoptr(GPtrArray) before = coding_tuples (lotte);
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GPtrArray) from_qdpx = NULL;
  guint n = before->len;

  g_assert_cmpuint (n, >, 100);
  g_assert_cmpuint (count_with_coder (before, "Sanne"), ==, 0);
  sanne_codes (dir, sanne);
  run_ok ("export", sanne, qdpx, NULL);

  /* Sanne's work arrives: the contract's four counts. */
  {
    g_auto(Result) r = run ("merge", lotte, sanne, "--json", NULL);
    g_autoptr(GVariant) json = parse_ok (&r);
    g_autoptr(GVariant) conflicts = cw_test_json_get (json, "conflicts");

    assert_merge_counts (json, 1, 2, 4, n);
    g_assert_cmpuint (g_variant_n_children (conflicts), ==, 0);
  }
  /* Sanne's copy is only read: nothing appears beside it. */
  {
    g_autofree char *wal = g_strconcat (sanne, "-wal", NULL);
    g_autofree char *shm = g_strconcat (sanne, "-shm", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  }
  merged = coding_tuples (lotte);
  g_assert_cmpuint (merged->len, ==, n + 4);
  g_assert_cmpuint (count_with_coder (merged, "Sanne"), ==, 4);
  g_assert_cmpuint (count_with_coder (merged, "Lotte"), ==, count_with_coder (before, "Lotte"));
  {
    g_autoptr(GPtrArray) expected = g_ptr_array_new ();
    g_autofree char *texts = NULL;
    g_autofree char *theirs = NULL;

    g_ptr_array_add (expected, "arena-praktijkschool-de-brug.txt|10|20|Begeleiding/Jobcoach|Sanne");
    g_ptr_array_add (expected, "focusgroep-ouders-almere.odt|30|50|Begeleiding/Mentor school|Sanne");
    g_ptr_array_add (expected, "focusgroep-ouders-almere.odt|60|90|Nieuw/Buiten werken|Sanne");
    g_ptr_array_add (expected, "interview-jordy.txt|13|58|Nieuw/Buiten werken|Sanne");
    for (guint i = 0; i < expected->len; i++)
      g_assert_true (g_ptr_array_find_with_equal_func (merged, expected->pdata[i], g_str_equal, NULL));

    /* The new transcript came with its text: the coding is on the same words. */
    texts = output_of ("text", lotte, "interview-jordy.txt");
    theirs = output_of ("text", sanne, "interview-jordy.txt");
    g_assert_cmpstr (texts, ==, theirs);
    g_assert_nonnull (strstr (texts, "Eén keer"));
  }

  /* The same file again adds nothing. */
  {
    g_auto(Result) r = run ("merge", lotte, sanne, "--json", NULL);
    g_autoptr(GVariant) json = parse_ok (&r);

    assert_merge_counts (json, 0, 0, 0, n + 4);
  }
  {
    g_autoptr(GPtrArray) again = coding_tuples (lotte);

    assert_same_tuples (again, merged);
  }

  /* Her .qdpx merges into a fresh copy with the same counts and the same
   * codings; and the .codewerk after it adds nothing (same GUIDs). */
  {
    g_auto(Result) r = run ("merge", other, qdpx, "--json", NULL);
    g_autoptr(GVariant) json = parse_ok (&r);

    assert_merge_counts (json, 1, 2, 4, n);
  }
  from_qdpx = coding_tuples (other);
  assert_same_tuples (from_qdpx, merged);
  {
    g_auto(Result) r = run ("merge", other, sanne, "--json", NULL);
    g_autoptr(GVariant) json = parse_ok (&r);

    assert_merge_counts (json, 0, 0, 0, n + 4);
  }

  /* Undo takes the merge back: documents, codes and codings as before. */
  {
    g_auto(Result) r = run ("undo", lotte, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "sanne.codewerk"));
  }
  {
    g_autofree char *codings_after = output_of ("codings", lotte, "--json");
    g_autofree char *documents_after = output_of ("documents", lotte, "--json");
    g_autofree char *codes_after = output_of ("codes", lotte, "--json");

    g_assert_cmpstr (codings_after, ==, codings_before);
    g_assert_cmpstr (documents_after, ==, documents_before);
    g_assert_cmpstr (codes_after, ==, codes_before);
  }

  cw_test_remove_dir (dir);
}

/* A code renamed in the other copy is a conflict: reported, and ours kept. */
static void
test_merge_conflict (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *lotte = copy_example (dir, "lotte.codewerk");
  g_autofree char *plain = copy_example (dir, "plain.codewerk");
  g_autofree char *ruben = copy_example (dir, "ruben.codewerk");
  guint n;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CwProject) project = cw_project_open (ruben, &error);
    gint64 id;

    g_assert_no_error (error);
    id = cw_project_lookup_code (project, "Begeleiding/Jobcoach", &error);
    g_assert_no_error (error);
    g_assert_true (cw_project_rename_code (project, id, "Coach op de werkplek", &error));
    g_assert_no_error (error);
  }
  run_ok ("code", ruben, "1", "100", "140", "Begeleiding/Coach op de werkplek", "--coder", "Ruben", NULL);
  {
    g_autoptr(GPtrArray) tuples = coding_tuples (lotte);

    n = tuples->len;
  }

  {
    g_auto(Result) r = run ("merge", lotte, ruben, "--json", NULL);
    g_autoptr(GVariant) json = parse_ok (&r);
    g_autoptr(GVariant) conflicts = cw_test_json_get (json, "conflicts");
    g_autoptr(GVariant) conflict = NULL;

    assert_merge_counts (json, 0, 0, 1, n);
    g_assert_cmpuint (g_variant_n_children (conflicts), ==, 1);
    conflict = cw_test_json_at (conflicts, 0);
    g_assert_cmpstr (cw_test_json_str (conflict, "kind"), ==, "code-renamed");
    g_assert_cmpstr (cw_test_json_str (conflict, "file"), ==, ruben);
    g_assert_cmpstr (cw_test_json_str (conflict, "ours"), ==, "Begeleiding/Jobcoach");
    g_assert_cmpstr (cw_test_json_str (conflict, "theirs"), ==, "Begeleiding/Coach op de werkplek");
  }
  /* Ruben's coding went to our code, whose name stayed. */
  {
    g_autoptr(GPtrArray) tuples = coding_tuples (lotte);
    g_autofree char *codes = output_of ("codes", lotte, NULL);

    g_assert_true (g_ptr_array_find_with_equal_func (tuples,
                                                     "arena-praktijkschool-de-brug.txt|100|140|Begeleiding/Jobcoach|Ruben",
                                                     g_str_equal, NULL));
    g_assert_null (strstr (codes, "Coach op de werkplek"));
  }

  /* Plain output: the summary on stdout, one conflict line on stderr. */
  {
    g_auto(Result) r = run ("merge", plain, ruben, NULL);
    g_autofree char *summary = g_strdup_printf ("0 documents added, 0 codes added, 1 coding added, %u codings skipped\n",
                                                n);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, summary);
    lines = g_strsplit (r.err, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    g_assert_cmpstr (lines[1], ==, "");
    g_assert_true (g_str_has_prefix (lines[0], "codewerk-cli: conflict: "));
    g_assert_nonnull (strstr (lines[0], "Begeleiding/Jobcoach"));
    g_assert_nonnull (strstr (lines[0], "Coach op de werkplek"));
  }

  cw_test_remove_dir (dir);
}

/* Broken other files: exit 1, one line naming the file, nothing changed;
 * a good file beside a broken one is not merged either. */
static void
test_merge_broken (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *lotte = copy_example (dir, "lotte.codewerk");
  g_autofree char *sanne = copy_example (dir, "sanne.codewerk");
  g_autofree char *example = example_path ();
  g_autofree char *qdpx = g_build_filename (dir, "sanne.qdpx", NULL);
  g_autofree char *dump = NULL;
  g_autofree char *project_bytes = NULL;
  g_autofree char *qdpx_bytes = NULL;
  gsize project_len = 0, qdpx_len = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);

  run_ok ("code", sanne, "1", "10", "20", "Begeleiding/Jobcoach", "--coder", "Sanne", NULL);
  run_ok ("export", sanne, qdpx, NULL);
  g_assert_true (g_file_get_contents (example, &project_bytes, &project_len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (qdpx, &qdpx_bytes, &qdpx_len, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (project_len, >, 40000);

  {
    g_autoptr(GFile) f1 = cw_test_write_file (dir, "tekst.codewerk", "Dit is geen project maar een notitie.\n");
    g_autoptr(GFile) f2 = cw_test_write_bytes (dir, "afgebroken.codewerk", project_bytes, project_len / 2);
    g_autoptr(GFile) f3 = cw_test_write_bytes (dir, "kop.codewerk", project_bytes, 4096);
    g_autoptr(GFile) f4 = cw_test_write_file (dir, "leeg.codewerk", "");
    g_autoptr(GFile) f5 = cw_test_write_file (dir, "tekst.qdpx", "PK? nee.\n");
    g_autoptr(GFile) f6 = cw_test_write_bytes (dir, "afgebroken.qdpx", qdpx_bytes, qdpx_len / 2);

    g_ptr_array_add (bad, g_file_get_path (f1));
    g_ptr_array_add (bad, g_file_get_path (f2));
    g_ptr_array_add (bad, g_file_get_path (f3));
    g_ptr_array_add (bad, g_file_get_path (f4));
    g_ptr_array_add (bad, g_file_get_path (f5));
    g_ptr_array_add (bad, g_file_get_path (f6));
    g_ptr_array_add (bad, g_build_filename (dir, "bestaat-niet.codewerk", NULL));
  }

  dump = cw_test_dump (lotte);
  for (guint i = 0; i < bad->len; i++)
    {
      const char *path = bad->pdata[i];
      g_autofree char *prefix = g_strdup_printf ("codewerk-cli: error: %s", path);
      g_autofree char *after = NULL;

      g_test_message ("%s", path);
      {
        g_auto(Result) r = run ("merge", lotte, path, "--json", NULL);

        assert_failure (&r, 1, path);
        /* The line is about the broken file, not about our project. */
        g_assert_true (g_str_has_prefix (r.err, prefix));
      }
      {
        g_auto(Result) r = run ("merge", lotte, sanne, path, NULL);

        assert_failure (&r, 1, path);
      }
      after = cw_test_dump (lotte);
      g_assert_cmpstr (after, ==, dump);
    }

  cw_test_remove_dir (dir);
}

/* A JSON number, or NAN for null. */
static double
json_stat (GVariant   *object,
           const char *key)
{
  g_autoptr(GVariant) value = cw_test_json_get (object, key);

  if (g_variant_is_of_type (value, G_VARIANT_TYPE ("mv")))
    {
      g_assert_cmpuint (g_variant_n_children (value), ==, 0);
      return NAN;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (double) g_variant_get_int64 (value);
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE));
  return g_variant_get_double (value);
}

static void
assert_stat (GVariant   *object,
             const char *key,
             double      expected)
{
  double got = json_stat (object, key);

  if (isnan (expected) || isnan (got))
    {
      if (isnan (expected) != isnan (got))
        g_error ("\"%s\": expected %g, got %g", key, expected, got);
      return;
    }
  if (fabs (got - expected) > 1e-9)
    g_error ("\"%s\": expected %.17g, got %.17g", key, expected, got);
}

static gboolean
has_key (GVariant   *object,
         const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (object, key, NULL);

  return value != NULL;
}

static CwAgreement *
core_agreement (const char         *path,
                const char * const *coders,
                CwAgreementUnit     unit,
                guint               overlap,
                const char * const *codes,
                const char * const *docs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (path, &error);
  g_autoptr(CwAgreementOptions) options = cw_agreement_options_new ();
  CwAgreement *agreement;

  g_assert_no_error (error);
  options->coders = g_strdupv ((char **) coders);
  options->unit = unit;
  options->overlap = overlap;
  for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
    {
      gint64 id = cw_project_lookup_code (project, codes[i], &error);

      g_assert_no_error (error);
      if (options->code_ids == NULL)
        options->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (options->code_ids, id);
    }
  for (guint i = 0; docs != NULL && docs[i] != NULL; i++)
    {
      gint64 id = cw_project_lookup_document (project, docs[i], &error);

      g_assert_no_error (error);
      if (options->document_ids == NULL)
        options->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (options->document_ids, id);
    }
  agreement = cw_project_agreement (project, options, NULL, &error);
  g_assert_no_error (error);
  return agreement;
}

/* The CLI's JSON holds the contract's keys and the core's numbers. */
static void
assert_agreement_json (GVariant          *json,
                       const CwAgreement *expected)
{
  gboolean character = expected->unit == CW_AGREEMENT_UNIT_CHARACTER;
  gboolean segment = expected->unit == CW_AGREEMENT_UNIT_SEGMENT;
  gboolean many = expected->n_coders > 2;
  g_autoptr(GVariant) coders = cw_test_json_get (json, "coders");
  g_autoptr(GVariant) codes = cw_test_json_get (json, "codes");
  g_autoptr(GVariant) overall = cw_test_json_get (json, "overall");

  g_assert_cmpstr (cw_test_json_str (json, "unit"), ==, cw_agreement_unit_to_string (expected->unit));
  g_assert_cmpuint (g_variant_n_children (coders), ==, expected->n_coders);
  for (guint i = 0; i < expected->n_coders; i++)
    {
      g_autoptr(GVariant) coder = cw_test_json_at (coders, i);

      g_assert_cmpstr (g_variant_get_string (coder, NULL), ==, expected->coders[i]);
    }

  g_assert_cmpuint (g_variant_n_children (codes), ==, expected->codes->len);
  for (guint i = 0; i < expected->codes->len; i++)
    {
      const CwAgreementCode *row = &g_array_index (expected->codes, CwAgreementCode, i);
      g_autoptr(GVariant) code = cw_test_json_at (codes, i);

      g_assert_cmpstr (cw_test_json_str (code, "code"), ==, row->path);
      g_assert_cmpint (cw_test_json_int (code, "units"), ==, row->units);
      assert_stat (code, "percent", row->percent);
      assert_stat (code, "kappa", row->kappa);
      assert_stat (code, "alpha", row->alpha);
      g_assert_true (has_key (code, "u_alpha") == character);
      if (character)
        assert_stat (code, "u_alpha", row->u_alpha);
      g_assert_true (has_key (code, "percent_unanimous") == many);
      if (many)
        assert_stat (code, "percent_unanimous", row->percent_unanimous);
      if (segment)
        {
          g_assert_cmpint (cw_test_json_int (code, "matched"), ==, row->matched);
          g_assert_cmpint (cw_test_json_int (code, "unmatched"), ==, row->unmatched);
        }
    }

  g_assert_cmpint (cw_test_json_int (overall, "units"), ==, expected->units);
  assert_stat (overall, "percent", expected->percent);
  assert_stat (overall, "kappa", expected->kappa);
  assert_stat (overall, "alpha", expected->alpha);
  g_assert_true (has_key (overall, "cu_alpha") == character);
  if (character)
    assert_stat (overall, "cu_alpha", expected->cu_alpha);
  g_assert_true (has_key (overall, "percent_unanimous") == many);
  if (many)
    assert_stat (overall, "percent_unanimous", expected->percent_unanimous);

  g_assert_true (has_key (json, "pairs") == many);
  if (many)
    {
      g_autoptr(GVariant) pairs = cw_test_json_get (json, "pairs");

      g_assert_cmpuint (g_variant_n_children (pairs), ==, expected->pairs->len);
      g_assert_cmpuint (expected->pairs->len, ==, expected->n_coders * (expected->n_coders - 1) / 2);
      for (guint p = 0; p < expected->pairs->len; p++)
        {
          const CwAgreementPair *pair = &g_array_index (expected->pairs, CwAgreementPair, p);
          g_autoptr(GVariant) object = cw_test_json_at (pairs, p);
          g_autoptr(GVariant) names = cw_test_json_get (object, "coders");
          g_autoptr(GVariant) a = cw_test_json_at (names, 0);
          g_autoptr(GVariant) b = cw_test_json_at (names, 1);

          g_assert_cmpstr (g_variant_get_string (a, NULL), ==, expected->coders[pair->coder_a]);
          g_assert_cmpstr (g_variant_get_string (b, NULL), ==, expected->coders[pair->coder_b]);
          g_assert_cmpint (cw_test_json_int (object, "units"), ==, pair->units);
          assert_stat (object, "percent", pair->percent);
          assert_stat (object, "kappa", pair->kappa);
        }
    }
}

/* Runs `agreement PATH --coders CODERS EXTRA... --json` and checks it
 * against the core; returns the parsed JSON. */
static GVariant *
check_agreement (const char         *path,
                 const char         *coders,
                 const char * const *extra,
                 CwAgreementUnit     unit,
                 guint               overlap,
                 const char * const *codes,
                 const char * const *docs)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_auto(GStrv) names = g_strsplit (coders, ",", -1);
  g_autoptr(CwAgreement) expected = core_agreement (path, (const char * const *) names, unit, overlap, codes, docs);
  g_auto(Result) r = { 0 };
  GVariant *json;

  g_ptr_array_add (args, "agreement");
  g_ptr_array_add (args, (gpointer) path);
  g_ptr_array_add (args, "--coders");
  g_ptr_array_add (args, (gpointer) coders);
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, "--json");
  g_ptr_array_add (args, NULL);
  r = runv ((const char * const *) args->pdata);
  json = parse_ok (&r);
  assert_agreement_json (json, expected);
  return json;
}

static GVariant *
code_row (GVariant   *json,
          const char *path)
{
  g_autoptr(GVariant) codes = cw_test_json_get (json, "codes");

  for (gsize i = 0; i < g_variant_n_children (codes); i++)
    {
      GVariant *row = cw_test_json_at (codes, i);

      if (g_strcmp0 (cw_test_json_str (row, "code"), path) == 0)
        return row;
      g_variant_unref (row);
    }
  g_error ("no code %s in the agreement", path);
  return NULL;
}

/* The example project: Lotte and Ruben, every unit, the core's numbers. */
static void
test_agreement_example (void)
{
  g_autofree char *example = example_path ();
  static const char *const segment[] = { "--unit", "segment", NULL };
  static const char *const segment80[] = { "--unit", "segment", "--overlap", "80", NULL };
  static const char *const document[] = { "--unit", "document", NULL };
  static const char *const character[] = { "--unit", "character", NULL };
  static const char *const restrict_args[] = {
    "--code", "Werkgever/Loonkostensubsidie", "--code", "Begeleiding/Jobcoach",
    "--doc", "arena-praktijkschool-de-brug.txt", "--doc", "4", NULL
  };
  static const char *const restrict_codes[] = { "Werkgever/Loonkostensubsidie", "Begeleiding/Jobcoach", NULL };
  static const char *const restrict_docs[] = { "arena-praktijkschool-de-brug.txt", "4", NULL };
  static const char *const one_code[] = { "--code", "Begeleiding/Jobcoach", NULL };
  static const char *const jobcoach[] = { "Begeleiding/Jobcoach", NULL };
  g_autoptr(GVariant) by_default = NULL;
  g_autoptr(GVariant) by_character = NULL;
  g_autoptr(GVariant) by_segment = NULL;
  g_autoptr(GVariant) by_segment80 = NULL;
  g_autoptr(GVariant) by_document = NULL;
  g_autoptr(GVariant) restricted = NULL;
  g_autoptr(GVariant) single = NULL;
  g_autofree char *codes_text = output_of ("codes", example, "--json");
  g_autoptr(GVariant) codebook = cw_test_parse_json (codes_text);
  gsize codable = 0;

  g_assert_true (g_file_test (example, G_FILE_TEST_EXISTS));
  for (gsize i = 0; i < g_variant_n_children (codebook); i++)
    {
      g_autoptr(GVariant) code = cw_test_json_at (codebook, i);
      g_autoptr(GVariant) flag = cw_test_json_get (code, "codable");

      codable += g_variant_get_boolean (flag);
    }

  by_default = check_agreement (example, "Lotte,Ruben", NULL, CW_AGREEMENT_UNIT_CHARACTER, 90, NULL, NULL);
  by_character = check_agreement (example, "Lotte,Ruben", character, CW_AGREEMENT_UNIT_CHARACTER, 90, NULL, NULL);
  g_assert_true (g_variant_equal (by_default, by_character));
  {
    g_autoptr(GVariant) codes = cw_test_json_get (by_default, "codes");
    g_autoptr(GVariant) overall = cw_test_json_get (by_default, "overall");
    double percent = json_stat (overall, "percent");
    double kappa = json_stat (overall, "kappa");

    /* Every codable code of the codebook is listed; the two coders
     * mostly agree, but not always. */
    g_assert_cmpuint (g_variant_n_children (codes), ==, codable);
    g_assert_cmpfloat (percent, >, 90);
    g_assert_cmpfloat (percent, <, 100);
    g_assert_cmpfloat (kappa, >, 0.4);
    g_assert_cmpfloat (kappa, <, 1);
  }

  by_segment = check_agreement (example, "Lotte,Ruben", segment, CW_AGREEMENT_UNIT_SEGMENT, 90, NULL, NULL);
  by_segment80 = check_agreement (example, "Lotte,Ruben", segment80, CW_AGREEMENT_UNIT_SEGMENT, 80, NULL, NULL);
  g_assert_cmpint (cw_test_json_int (by_segment, "overlap"), ==, 90);
  g_assert_cmpint (cw_test_json_int (by_segment80, "overlap"), ==, 80);
  {
    g_autoptr(GVariant) at90 = cw_test_json_get (by_segment, "overall");
    g_autoptr(GVariant) at80 = cw_test_json_get (by_segment80, "overall");

    /* A looser overlap matches at least as many segments. */
    g_assert_cmpint (cw_test_json_int (at80, "matched"), >=, cw_test_json_int (at90, "matched"));
  }
  by_document = check_agreement (example, "Lotte,Ruben", document, CW_AGREEMENT_UNIT_DOCUMENT, 90, NULL, NULL);
  {
    g_autoptr(GVariant) row = code_row (by_document, "Begeleiding/Jobcoach");

    /* Six documents, each a unit. */
    g_assert_cmpint (cw_test_json_int (row, "units"), ==, 6);
  }

  /* --code and --doc restrict: the codes in the order given, the
   * characters of the two documents only. */
  restricted = check_agreement (example, "Lotte,Ruben", restrict_args, CW_AGREEMENT_UNIT_CHARACTER, 90,
                                restrict_codes, restrict_docs);
  {
    g_autoptr(GVariant) codes = cw_test_json_get (restricted, "codes");
    g_autoptr(GVariant) first = cw_test_json_at (codes, 0);
    g_autoptr(GVariant) second = cw_test_json_at (codes, 1);

    g_assert_cmpuint (g_variant_n_children (codes), ==, 2);
    g_assert_cmpstr (cw_test_json_str (first, "code"), ==, "Werkgever/Loonkostensubsidie");
    g_assert_cmpstr (cw_test_json_str (second, "code"), ==, "Begeleiding/Jobcoach");
    g_assert_cmpint (cw_test_json_int (first, "units"), ==, 15530 + 7945);
    g_assert_cmpint (cw_test_json_int (restricted, "documents"), ==, 2);
  }

  /* One code alone has the numbers it has among all codes. */
  single = check_agreement (example, "Lotte,Ruben", one_code, CW_AGREEMENT_UNIT_CHARACTER, 90, jobcoach, NULL);
  {
    g_autoptr(GVariant) codes = cw_test_json_get (single, "codes");
    g_autoptr(GVariant) alone = cw_test_json_at (codes, 0);
    g_autoptr(GVariant) among = code_row (by_default, "Begeleiding/Jobcoach");

    g_assert_cmpuint (g_variant_n_children (codes), ==, 1);
    g_assert_true (g_variant_equal (alone, among));
  }

  /* The plain table: a header, a line per code, the overall line. */
  {
    g_auto(Result) r = run ("agreement", example, "--coders", "Lotte,Ruben", NULL);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.err, ==, "");
    lines = g_strsplit (g_strchomp (r.out), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, codable + 2);
    g_assert_true (g_str_has_prefix (lines[1], "Begeleiding/Jobcoach\t"));
    g_assert_true (g_str_has_prefix (lines[codable + 1], "overall\t"));
  }
}

static const char hand_text[] =
  "Interviewer: Hoe gaat het met de stage bij de bakkerij in Zwolle?\n"
  "Kevin: Goed. Mijn jobcoach belt elke week en de baas is geduldig. Ik ben er één keer te laat "
  "gekomen, daarna nooit meer. Het geld is fijn.\n";

/* Cohen's kappa of two binary raters over n units: a and b units coded by
 * each, both coded by both. */
static double
hand_kappa (double n,
            double a,
            double b,
            double both)
{
  double agree = (both + (n - a - b + both)) / n;
  double chance = (a / n) * (b / n) + (1 - a / n) * (1 - b / n);

  return (agree - chance) / (1 - chance);
}

/* Krippendorff's alpha (nominal, two coders, no missing values): from the
 * coincidences of 1s and 0s. */
static double
hand_alpha (double n,
            double a,
            double b,
            double both)
{
  double differ = a + b - 2 * both;
  double ones = 2 * both + differ;
  double zeros = 2 * (n - a - b + both) + differ;
  double pairable = 2 * n;

  return 1 - (pairable - 1) * differ / (ones * zeros);
}

/* A hand-made project: two transcripts (with "één": offsets count code
 * points), X codes [0,100) and Y [0,85) of the first with Werk, X also
 * [10,40) of the second; nobody uses Ongebruikt. */
static void
test_agreement_hand (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "hand.codewerk", NULL);
  g_autoptr(GFile) een = cw_test_write_file (dir, "een.txt", hand_text);
  g_autofree char *twee_text = NULL;
  g_autoptr(GFile) twee = NULL;
  g_autofree char *een_path = g_file_get_path (een);
  g_autofree char *twee_path = NULL;
  static const char *const only_een[] = { "een.txt", NULL };
  static const char *const werk[] = { "Werk", NULL };
  double n1, n2, n;

  {
    g_autoptr(GString) s = g_string_new (hand_text);

    g_string_replace (s, "bakkerij", "supermarkt", 1);
    twee_text = g_string_free (g_steal_pointer (&s), FALSE);
  }
  twee = cw_test_write_file (dir, "twee.txt", twee_text);
  twee_path = g_file_get_path (twee);

  run_ok ("new", path, NULL);
  run_ok ("import", path, een_path, twee_path, NULL);
  run_ok ("code-add", path, "Werk", NULL);
  run_ok ("code-add", path, "Ongebruikt", NULL);
  run_ok ("code", path, "een.txt", "0", "100", "Werk", "--coder", "X", NULL);
  run_ok ("code", path, "een.txt", "0", "85", "Werk", "--coder", "Y", NULL);
  run_ok ("code", path, "twee.txt", "10", "40", "Werk", "--coder", "X", NULL);
  /* Y's [0,85) is 85 % of the union with X's [0,100). The lengths in
   * code points ("één" is 3 of them, 6 bytes) of the stored texts. */
  {
    g_autofree char *docs = output_of ("documents", path, "--json");
    g_autofree char *stored = output_of ("text", path, "een.txt");
    g_autoptr(GVariant) json = cw_test_parse_json (docs);
    g_autoptr(GVariant) first = cw_test_json_at (json, 0);
    g_autoptr(GVariant) second = cw_test_json_at (json, 1);

    n1 = (double) cw_test_json_int (first, "characters");
    n2 = (double) cw_test_json_int (second, "characters");
    g_assert_cmpfloat (n1, ==, (double) g_utf8_strlen (stored, -1));
    g_assert_cmpfloat (n1, <, (double) strlen (stored));
    g_assert_cmpfloat (n1, >, 150);
    n = n1 + n2;
  }

  /* Characters: X coded 130, Y 85, both 85. */
  {
    g_autoptr(GVariant) json = check_agreement (path, "X,Y", NULL, CW_AGREEMENT_UNIT_CHARACTER, 90, NULL, NULL);
    g_autoptr(GVariant) werk_row = code_row (json, "Werk");
    g_autoptr(GVariant) unused = code_row (json, "Ongebruikt");

    g_assert_cmpint (cw_test_json_int (werk_row, "units"), ==, (gint64) n);
    assert_stat (werk_row, "percent", (n - 45) / n * 100);
    assert_stat (werk_row, "kappa", hand_kappa (n, 130, 85, 85));
    assert_stat (werk_row, "alpha", hand_alpha (n, 130, 85, 85));
    /* Nobody used it: the coders agree everywhere, but kappa and alpha
     * are undefined, not 0 or 1. */
    assert_stat (unused, "percent", 100);
    g_assert_true (cw_test_json_is_null (unused, "kappa"));
    g_assert_true (cw_test_json_is_null (unused, "alpha"));
  }

  /* Segments in the first transcript: 85 % overlap matches at 80, not at 90. */
  {
    static const char *const at80[] = { "--unit", "segment", "--overlap", "80", "--doc", "een.txt", NULL };
    static const char *const at90[] = { "--unit", "segment", "--overlap", "90", "--doc", "een.txt", NULL };
    static const char *const at85[] = { "--unit", "segment", "--overlap", "85", "--doc", "een.txt", NULL };
    static const char *const at86[] = { "--unit", "segment", "--overlap", "86", "--doc", "een.txt", NULL };
    g_autoptr(GVariant) j80 = check_agreement (path, "X,Y", at80, CW_AGREEMENT_UNIT_SEGMENT, 80, NULL, only_een);
    g_autoptr(GVariant) j90 = check_agreement (path, "X,Y", at90, CW_AGREEMENT_UNIT_SEGMENT, 90, NULL, only_een);
    g_autoptr(GVariant) j85 = check_agreement (path, "X,Y", at85, CW_AGREEMENT_UNIT_SEGMENT, 85, NULL, only_een);
    g_autoptr(GVariant) j86 = check_agreement (path, "X,Y", at86, CW_AGREEMENT_UNIT_SEGMENT, 86, NULL, only_een);
    g_autoptr(GVariant) w80 = code_row (j80, "Werk");
    g_autoptr(GVariant) w90 = code_row (j90, "Werk");
    g_autoptr(GVariant) w85 = code_row (j85, "Werk");
    g_autoptr(GVariant) w86 = code_row (j86, "Werk");

    g_assert_cmpint (cw_test_json_int (w80, "matched"), ==, 2);
    g_assert_cmpint (cw_test_json_int (w80, "unmatched"), ==, 0);
    assert_stat (w80, "percent", 100);
    g_assert_cmpint (cw_test_json_int (w90, "matched"), ==, 0);
    g_assert_cmpint (cw_test_json_int (w90, "unmatched"), ==, 2);
    assert_stat (w90, "percent", 0);
    /* Exactly 85 %: compared as integers, so 85 matches and 86 does not. */
    g_assert_cmpint (cw_test_json_int (w85, "matched"), ==, 2);
    g_assert_cmpint (cw_test_json_int (w86, "matched"), ==, 0);
  }
  /* The plain table of the segment unit shows the comparisons. */
  {
    g_auto(Result) r = run ("agreement", path, "--coders", "X,Y", "--unit", "segment", "--overlap", "80",
                            "--doc", "een.txt", NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==,
                     "code\tunits\tpercent\tkappa\talpha\tmatched\tunmatched\n"
                     "Werk\t2\t100.0\t-\t-\t2\t0\n"
                     "Ongebruikt\t0\t-\t-\t-\t0\t0\n"
                     "overall\t2\t100.0\t1.000\t-\t2\t0\n");
  }

  /* Documents: both used Werk in the first, only X in the second. */
  {
    static const char *const by_document[] = { "--unit", "document", NULL };
    g_autoptr(GVariant) json = check_agreement (path, "X,Y", by_document, CW_AGREEMENT_UNIT_DOCUMENT, 90, NULL,
                                                NULL);
    g_autoptr(GVariant) werk_row = code_row (json, "Werk");
    g_autoptr(GVariant) unused = code_row (json, "Ongebruikt");

    g_assert_cmpint (cw_test_json_int (werk_row, "units"), ==, 2);
    assert_stat (werk_row, "percent", 50);
    assert_stat (werk_row, "kappa", 0);
    g_assert_true (cw_test_json_is_null (unused, "kappa"));
    g_assert_true (cw_test_json_is_null (unused, "alpha"));
  }

  /* Restricted to one code and one document: X 100, Y 85 of n1. */
  {
    static const char *const args[] = { "--code", "Werk", "--doc", "een.txt", NULL };
    g_autoptr(GVariant) json = check_agreement (path, "X,Y", args, CW_AGREEMENT_UNIT_CHARACTER, 90, werk, only_een);
    g_autoptr(GVariant) codes = cw_test_json_get (json, "codes");
    g_autoptr(GVariant) werk_row = code_row (json, "Werk");

    g_assert_cmpuint (g_variant_n_children (codes), ==, 1);
    g_assert_cmpint (cw_test_json_int (werk_row, "units"), ==, (gint64) n1);
    assert_stat (werk_row, "percent", (n1 - 15) / n1 * 100);
    assert_stat (werk_row, "kappa", hand_kappa (n1, 100, 85, 85));
  }

  /* A third coder, Z, codes [0,100) of the first: pairs, and unanimous
   * agreement beside the mean pairwise one. */
  run_ok ("code", path, "een.txt", "0", "100", "Werk", "--coder", "Z", NULL);
  {
    g_autoptr(GVariant) json = check_agreement (path, "X,Y,Z", NULL, CW_AGREEMENT_UNIT_CHARACTER, 90, NULL, NULL);
    g_autoptr(GVariant) werk_row = code_row (json, "Werk");
    g_autoptr(GVariant) pairs = cw_test_json_get (json, "pairs");

    g_assert_cmpuint (g_variant_n_children (pairs), ==, 3);
    /* Disagreeing characters: X-Y 45, X-Z 30, Y-Z 15; any of them 45. */
    assert_stat (werk_row, "percent", ((n - 45) + (n - 30) + (n - 15)) / (3 * n) * 100);
    assert_stat (werk_row, "percent_unanimous", (n - 45) / n * 100);
  }
  /* The plain table: the unanimous column, then a line per pair. */
  {
    g_auto(Result) r = run ("agreement", path, "--coders", "X,Y,Z", "--code", "Werk", NULL);
    g_autofree char *werk_line = g_strdup_printf ("Werk\t%d\t%.1f\t%.1f\t",
                                                  (int) n, ((n - 45) + (n - 30) + (n - 15)) / (3 * n) * 100,
                                                  (n - 45) / n * 100);
    g_autofree char *pair_line = g_strdup_printf ("\nX\tZ\t%d\t%.1f\t", (int) n, (n - 30) / n * 100);
    g_auto(GStrv) lines = NULL;

    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (r.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 9);
    g_assert_cmpstr (lines[0], ==, "code\tunits\tpercent\tunanimous\tkappa\talpha");
    g_assert_true (g_str_has_prefix (lines[1], werk_line));
    g_assert_cmpstr (lines[3], ==, "");
    g_assert_cmpstr (lines[4], ==, "coder\tcoder\tunits\tpercent\tkappa");
    g_assert_nonnull (strstr (r.out, pair_line));
  }

  /* Refusals. */
  {
    static const struct
    {
      const char *args[8];
      int         status;
      const char *names;
    } refused[] = {
      { { "--coders", "X" }, 2, "--coders" },
      { { "--unit", "character" }, 2, "--coders" },
      { { "--coders", "X,Y", "--unit", "bogus" }, 2, "bogus" },
      { { "--coders", "X,Y", "--unit", "segment", "--overlap", "0" }, 2, "--overlap" },
      { { "--coders", "X,Y", "--unit", "segment", "--overlap", "101" }, 2, "--overlap" },
      { { "--coders", "X,Y", "--overlap", "negentig" }, 2, "--overlap" },
      { { "--coders", "X,X" }, 2, "X" },
      { { "--coders", "X,Nobody" }, 1, "Nobody" },
      { { "--coders", "X,Y", "--code", "Bestaat/Niet" }, 1, "Bestaat/Niet" },
      { { "--coders", "X,Y", "--doc", "drie.txt" }, 1, "drie.txt" },
    };
    g_autofree char *dump = cw_test_dump (path);

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(GPtrArray) args = g_ptr_array_new ();
        g_auto(Result) r = { 0 };
        g_autofree char *after = NULL;

        g_ptr_array_add (args, "agreement");
        g_ptr_array_add (args, path);
        for (guint a = 0; refused[i].args[a] != NULL; a++)
          g_ptr_array_add (args, (gpointer) refused[i].args[a]);
        g_ptr_array_add (args, "--json");
        g_ptr_array_add (args, NULL);
        g_test_message ("refusal %u", i);
        r = runv ((const char * const *) args->pdata);
        assert_failure (&r, refused[i].status, refused[i].names);
        after = cw_test_dump (path);
        g_assert_cmpstr (after, ==, dump);
      }
  }

  cw_test_remove_dir (dir);
}

static const char *
variable_type (const char *project,
               const char *name)
{
  static char type[16];
  g_autofree char *text = output_of ("variables", project, "--json");
  g_autoptr(GVariant) json = cw_test_parse_json (text);

  for (gsize i = 0; i < g_variant_n_children (json); i++)
    {
      g_autoptr(GVariant) variable = cw_test_json_at (json, i);

      if (g_strcmp0 (cw_test_json_str (variable, "name"), name) == 0)
        {
          g_strlcpy (type, cw_test_json_str (variable, "type"), sizeof type);
          return type;
        }
    }
  g_error ("no variable %s", name);
  return NULL;
}

/* D001's IQ as `cases --json` prints it. */
static GVariant *
first_iq (const char *project)
{
  g_autofree char *text = output_of ("cases", project, "--json");
  g_autoptr(GVariant) json = cw_test_parse_json (text);
  g_autoptr(GVariant) first = cw_test_json_at (json, 0);
  g_autoptr(GVariant) variables = cw_test_json_get (first, "variables");

  g_assert_cmpstr (cw_test_json_str (first, "id"), ==, "D001");
  return cw_test_json_get (variables, "IQ");
}

static void
test_variable_type (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = copy_example (dir, "cohort.codewerk");
  g_autofree char *dump = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpstr (variable_type (project, "IQ"), ==, "numeric");
  {
    g_autoptr(GVariant) iq = first_iq (project);

    g_assert_true (g_variant_is_of_type (iq, G_VARIANT_TYPE_INT64));
    g_assert_cmpint (g_variant_get_int64 (iq), ==, 68);
  }

  run_ok ("variable-type", project, "IQ", "text", NULL);
  g_assert_cmpstr (variable_type (project, "IQ"), ==, "text");
  {
    g_autoptr(GVariant) iq = first_iq (project);

    g_assert_cmpstr (g_variant_get_string (iq, NULL), ==, "68");
  }
  {
    g_auto(Result) r = run ("undo", project, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "IQ"));
  }
  g_assert_cmpstr (variable_type (project, "IQ"), ==, "numeric");
  {
    g_autoptr(GVariant) iq = first_iq (project);

    g_assert_cmpint (g_variant_get_int64 (iq), ==, 68);
  }

  /* A variable is named as elsewhere in the CLI (crosstab, --where):
   * regardless of case. Text holding numbers becomes numeric again. */
  run_ok ("variable-type", project, "iq", "text", NULL);
  g_assert_cmpstr (variable_type (project, "IQ"), ==, "text");
  run_ok ("variable-type", project, "IQ", "numeric", NULL);
  g_assert_cmpstr (variable_type (project, "IQ"), ==, "numeric");

  /* Refused, and nothing changes. */
  dump = cw_test_dump (project);
  {
    g_auto(Result) r = run ("variable-type", project, "Uitkomst", "numeric", NULL);

    assert_failure (&r, 1, "Uitkomst");
  }
  {
    g_auto(Result) r = run ("variable-type", project, "IQ", "bogus", NULL);

    assert_failure (&r, 2, "bogus");
  }
  {
    g_auto(Result) r = run ("variable-type", project, "Lengte", "numeric", NULL);

    assert_failure (&r, 1, "Lengte");
  }
  {
    g_auto(Result) r = run ("variable-type", project, "IQ", NULL);

    g_assert_cmpint (r.status, ==, 2);
  }
  after = cw_test_dump (project);
  g_assert_cmpstr (after, ==, dump);
  g_assert_cmpstr (variable_type (project, "Uitkomst"), ==, "text");

  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-team/merge", test_merge);
  g_test_add_func ("/cli-team/merge-conflict", test_merge_conflict);
  g_test_add_func ("/cli-team/merge-broken", test_merge_broken);
  g_test_add_func ("/cli-team/agreement-example", test_agreement_example);
  g_test_add_func ("/cli-team/agreement-hand", test_agreement_hand);
  g_test_add_func ("/cli-team/variable-type", test_variable_type);

  return g_test_run ();
}
