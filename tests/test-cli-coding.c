/* codewerk-cli's coding commands as a user drives them: code-add, codes,
 * code, codings, autocode, memo, memos, undo and redo. Spawns the binary,
 * reads its JSON, checks exit codes, the one-line error and that a failed
 * command leaves the project file as it was. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
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

/* Runs a command that must succeed and returns its parsed JSON. */
static GVariant *
run_json (const char *first,
          ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) cli ());
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) "--json");
  g_ptr_array_add (argv, NULL);

  status = cw_test_run ((const char * const *) argv->pdata, &out, &err);
  if (status != 0)
    g_error ("%s %s failed (%d): %s", (char *) argv->pdata[1], (char *) argv->pdata[2], status, err);
  g_assert_cmpstr (err, ==, "");
  return cw_test_parse_json (out);
}

/* A failure: exit 1, nothing on stdout, exactly one error line naming what. */
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

static void
assert_usage (Result     *r,
              const char *names)
{
  g_assert_cmpint (r->status, ==, 2);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_true (g_str_has_prefix (r->err, "codewerk-cli: error: "));
  if (names != NULL && strstr (r->err, names) == NULL)
    g_error ("usage error «%s» does not name «%s»", r->err, names);
}

/* The fixture: two transcripts of different kinds, with speakers. */
static const char interview_text[] =
  "I: Hoe kwam je aan je stage?\n"
  "R: Via school. Mijn mentor had het geregeld. De jobcoach komt elke week.\n"
  "I: En thuis?\n"
  "R: Mijn moeder helpt. De jobcoach belt haar ook.\n";
static const char focus_text[] =
  "Moeder: Mijn zoon zoekt werk. De gemeente helpt niet.\n"
  "Vader: De jobcoach is goud waard.\n";

typedef struct
{
  char *dir;
  char *path;       /* the project */
  char *interview;  /* stored texts */
  char *focus;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) a = NULL, b = NULL;
  g_autofree char *a_path = NULL, *b_path = NULL;

  f->dir = cw_test_make_dir ();
  f->path = g_build_filename (f->dir, "p.codewerk", NULL);
  a = cw_test_write_file (f->dir, "interview-a.txt", interview_text);
  b = cw_test_write_file (f->dir, "focusgroep-b.txt", focus_text);
  a_path = g_file_get_path (a);
  b_path = g_file_get_path (b);
  {
    g_auto(Result) created = run ("new", f->path, NULL);
    g_auto(Result) ia = run ("import", f->path, a_path, "--kind", "interview", NULL);
    g_auto(Result) ib = run ("import", f->path, b_path, "--kind", "focus-group", NULL);
    g_auto(Result) ta = run ("text", f->path, "interview-a.txt", NULL);
    g_auto(Result) tb = run ("text", f->path, "focusgroep-b.txt", NULL);

    g_assert_cmpint (created.status, ==, 0);
    g_assert_cmpint (ia.status, ==, 0);
    g_assert_cmpint (ib.status, ==, 0);
    f->interview = g_steal_pointer (&ta.out);
    f->focus = g_steal_pointer (&tb.out);
  }
  g_unsetenv ("CODEWERK_CODER");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_unsetenv ("CODEWERK_CODER");
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->interview);
  g_free (f->focus);
}

/* The character range of the nth (from 1) occurrence of needle, as strings
 * for the command line. */
typedef struct
{
  char start[24];
  char end[24];
} Range;

static Range
find (const char *text,
      const char *needle,
      guint       nth)
{
  const char *hit = text;
  Range range;
  glong start;

  for (guint i = 0; i < nth; i++)
    {
      hit = strstr (i == 0 ? hit : hit + 1, needle);
      g_assert_nonnull (hit);
    }
  start = g_utf8_pointer_to_offset (text, hit);
  g_snprintf (range.start, sizeof range.start, "%ld", start);
  g_snprintf (range.end, sizeof range.end, "%ld", start + g_utf8_strlen (needle, -1));
  return range;
}

static gint64
add_coding (Fixture    *f,
            const char *doc,
            const char *fragment,
            const char *code,
            const char *coder)
{
  Range r = find (strcmp (doc, "interview-a.txt") == 0 ? f->interview : f->focus, fragment, 1);
  g_autoptr(GVariant) json = run_json ("code", f->path, doc, r.start, r.end, code, "--coder", coder, NULL);

  return cw_test_json_int (json, "id");
}

static void
add_code (Fixture    *f,
          const char *path)
{
  g_autoptr(GVariant) json = run_json ("code-add", f->path, path, NULL);

  g_assert_cmpstr (cw_test_json_str (json, "path"), ==, path);
}

/* The texts of a codings --json answer, joined with "|". */
static char *
texts_of (GVariant *segments)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (gsize i = 0; i < g_variant_n_children (segments); i++)
    {
      g_autoptr(GVariant) s = cw_test_json_at (segments, i);

      g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", cw_test_json_str (s, "text"));
    }
  return g_strdup (out->str);
}

static void
test_help (void)
{
  static const char *commands[] = { "code-add", "codes", "code", "codings", "autocode", "memo", "memos",
                                    "undo", "redo" };
  g_auto(Result) help = run ("--help", NULL);
  g_auto(Result) sub = run ("codings", "--help", NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (help.status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *line = g_strdup_printf ("\n  %s ", commands[i]);
      g_assert_nonnull (strstr (help.out, line));
    }
  /* Wrapped for a terminal, usage lines included. */
  lines = g_strsplit (help.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_utf8_strlen (lines[i], -1) > 80)
      g_error ("help line longer than 80 columns: «%s»", lines[i]);
  g_assert_cmpint (sub.status, ==, 0);
  g_assert_nonnull (strstr (sub.out, "--and"));
  g_assert_nonnull (strstr (sub.out, "--subcodes"));
}

static void
test_code_add_and_codes (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GVariant) added = NULL, codes = NULL, parent = NULL, child = NULL, mentor = NULL, stage = NULL;
  g_autoptr(GVariant) codable = NULL;
  g_autofree char *before = NULL, *after = NULL;

  added = run_json ("code-add", f->path, "Begeleiding/Jobcoach", "--color", "#3465A4",
                    "--description", "Begeleiding door een jobcoach.", NULL);
  g_assert_cmpstr (cw_test_json_str (added, "path"), ==, "Begeleiding/Jobcoach");
  g_assert_cmpint (cw_test_json_int (added, "id"), >, 0);
  add_code (f, "Stage");
  add_code (f, "Begeleiding/Mentor school");

  /* Depth first: a parent, then its children in order, then the next. */
  codes = run_json ("codes", f->path, NULL);
  g_assert_cmpuint (g_variant_n_children (codes), ==, 4);
  parent = cw_test_json_at (codes, 0);
  child = cw_test_json_at (codes, 1);
  mentor = cw_test_json_at (codes, 2);
  stage = cw_test_json_at (codes, 3);
  g_assert_cmpstr (cw_test_json_str (parent, "path"), ==, "Begeleiding");
  g_assert_cmpstr (cw_test_json_str (parent, "name"), ==, "Begeleiding");
  g_assert_true (cw_test_json_is_null (parent, "parent"));
  g_assert_true (g_str_has_prefix (cw_test_json_str (parent, "color"), "#"));
  g_assert_cmpint (cw_test_json_int (child, "id"), ==, cw_test_json_int (added, "id"));
  g_assert_cmpstr (cw_test_json_str (child, "name"), ==, "Jobcoach");
  g_assert_cmpstr (cw_test_json_str (child, "parent"), ==, "Begeleiding");
  g_assert_cmpstr (cw_test_json_str (child, "color"), ==, "#3465a4");
  g_assert_cmpstr (cw_test_json_str (child, "description"), ==, "Begeleiding door een jobcoach.");
  g_assert_cmpint (cw_test_json_int (child, "codings"), ==, 0);
  codable = cw_test_json_get (child, "codable");
  g_assert_true (g_variant_get_boolean (codable));
  g_assert_true (cw_test_json_is_null (mentor, "description"));
  g_assert_cmpstr (cw_test_json_str (mentor, "path"), ==, "Begeleiding/Mentor school");
  g_assert_cmpstr (cw_test_json_str (stage, "path"), ==, "Stage");

  {
    g_auto(Result) plain = run ("codes", f->path, NULL);
    g_assert_cmpint (plain.status, ==, 0);
    g_assert_nonnull (strstr (plain.out, "\tBegeleiding/Mentor school\t"));
  }

  before = cw_test_dump (f->path);
  {
    g_auto(Result) again = run ("code-add", f->path, "Begeleiding/Jobcoach", NULL);
    g_auto(Result) colour = run ("code-add", f->path, "Nieuw", "--color", "blauwig", NULL);
    g_auto(Result) short_colour = run ("code-add", f->path, "Nieuw", "--color", "#12345", NULL);
    g_auto(Result) missing = run ("code-add", f->path, NULL);

    assert_failure (&again, "Begeleiding/Jobcoach");
    assert_failure (&colour, "blauwig");
    assert_failure (&short_colour, "#12345");
    assert_usage (&missing, NULL);
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_code (Fixture       *f,
           gconstpointer  data)
{
  const char *fragment = "De jobcoach komt elke week.";
  Range r = find (f->interview, fragment, 1);
  g_autoptr(GVariant) first = NULL, again = NULL, other = NULL, codings = NULL, coding = NULL, codes = NULL;
  g_autoptr(GVariant) by_env = NULL, by_default = NULL, coders = NULL;
  g_autofree char *before = NULL, *after = NULL;
  g_autofree char *length = g_strdup_printf ("%ld", g_utf8_strlen (f->interview, -1));
  g_autofree char *past = g_strdup_printf ("%ld", g_utf8_strlen (f->interview, -1) + 1);

  add_code (f, "Begeleiding/Jobcoach");

  first = run_json ("code", f->path, "interview-a.txt", r.start, r.end, "Begeleiding/Jobcoach",
                    "--coder", "Anouk", NULL);
  /* The same coder, code and range again is the same coding. */
  again = run_json ("code", f->path, "1", r.start, r.end, "Begeleiding/Jobcoach", "--coder", "Anouk", NULL);
  other = run_json ("code", f->path, "interview-a.txt", r.start, r.end, "Begeleiding/Jobcoach",
                    "--coder", "Bram", NULL);
  g_assert_cmpint (cw_test_json_int (first, "id"), >, 0);
  g_assert_cmpint (cw_test_json_int (again, "id"), ==, cw_test_json_int (first, "id"));
  g_assert_cmpint (cw_test_json_int (other, "id"), !=, cw_test_json_int (first, "id"));

  codings = run_json ("codings", f->path, "--coder", "Anouk", NULL);
  g_assert_cmpuint (g_variant_n_children (codings), ==, 1);
  coding = cw_test_json_at (codings, 0);
  g_assert_cmpint (cw_test_json_int (coding, "id"), ==, cw_test_json_int (first, "id"));
  g_assert_cmpstr (cw_test_json_str (coding, "document"), ==, "interview-a.txt");
  g_assert_cmpstr (cw_test_json_str (coding, "code"), ==, "Begeleiding/Jobcoach");
  g_assert_cmpstr (cw_test_json_str (coding, "coder"), ==, "Anouk");
  g_assert_cmpstr (cw_test_json_str (coding, "speaker"), ==, "R");
  g_assert_true (cw_test_json_is_null (coding, "case"));
  g_assert_cmpstr (cw_test_json_str (coding, "text"), ==, fragment);
  cw_test_assert_substring (f->interview, cw_test_json_int (coding, "start"), cw_test_json_int (coding, "end"),
                            fragment);

  codes = run_json ("codes", f->path, NULL);
  {
    g_autoptr(GVariant) jobcoach = cw_test_json_at (codes, 1);
    g_assert_cmpint (cw_test_json_int (jobcoach, "codings"), ==, 2);
  }

  /* The coder: --coder, else $CODEWERK_CODER, else Codeur. */
  g_setenv ("CODEWERK_CODER", "Carla", TRUE);
  by_env = run_json ("code", f->path, "focusgroep-b.txt", "0", "6", "Begeleiding/Jobcoach", NULL);
  g_unsetenv ("CODEWERK_CODER");
  by_default = run_json ("code", f->path, "focusgroep-b.txt", "0", "6", "Begeleiding/Jobcoach", NULL);
  g_assert_cmpint (cw_test_json_int (by_env, "id"), !=, cw_test_json_int (by_default, "id"));
  coders = run_json ("codings", f->path, "--doc", "focusgroep-b.txt", NULL);
  g_assert_cmpuint (g_variant_n_children (coders), ==, 2);
  {
    g_autoptr(GVariant) c0 = cw_test_json_at (coders, 0);
    g_autoptr(GVariant) c1 = cw_test_json_at (coders, 1);
    const char *a = cw_test_json_str (c0, "coder"), *b = cw_test_json_str (c1, "coder");

    g_assert_true ((g_str_equal (a, "Carla") && g_str_equal (b, "Codeur"))
                   || (g_str_equal (a, "Codeur") && g_str_equal (b, "Carla")));
  }

  /* Plain output: the id alone. */
  {
    g_auto(Result) plain = run ("code", f->path, "interview-a.txt", r.start, r.end, "Begeleiding/Jobcoach",
                                "--coder", "Anouk", NULL);
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT "\n", cw_test_json_int (first, "id"));

    g_assert_cmpint (plain.status, ==, 0);
    g_assert_cmpstr (plain.out, ==, expected);
  }

  /* Refusals: each exits 1 (or 2 for wrong usage) and changes nothing. */
  {
    g_autoptr(CwProject) project = cw_project_open (f->path, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (project);
    g_assert_true (cw_project_set_code_codable (project, cw_project_lookup_code (project, "Begeleiding", NULL),
                                                FALSE, &error));
    g_assert_no_error (error);
  }
  before = cw_test_dump (f->path);
  {
    g_auto(Result) unknown = run ("code", f->path, "interview-a.txt", r.start, r.end, "Stage/Nergens", NULL);
    g_auto(Result) category = run ("code", f->path, "interview-a.txt", r.start, r.end, "Begeleiding", NULL);
    g_auto(Result) doc = run ("code", f->path, "onbekend.txt", r.start, r.end, "Begeleiding/Jobcoach", NULL);
    g_auto(Result) empty = run ("code", f->path, "interview-a.txt", r.start, r.start, "Begeleiding/Jobcoach", NULL);
    g_auto(Result) reversed = run ("code", f->path, "interview-a.txt", r.end, r.start, "Begeleiding/Jobcoach", NULL);
    g_auto(Result) negative = run ("code", f->path, "interview-a.txt", "-1", "5", "Begeleiding/Jobcoach", NULL);
    g_auto(Result) beyond = run ("code", f->path, "interview-a.txt", "0", past, "Begeleiding/Jobcoach", NULL);
    g_auto(Result) words = run ("code", f->path, "interview-a.txt", "begin", r.end, "Begeleiding/Jobcoach", NULL);
    g_auto(Result) suffix = run ("code", f->path, "interview-a.txt", r.start, "12x", "Begeleiding/Jobcoach", NULL);
    g_auto(Result) coder = run ("code", f->path, "interview-a.txt", r.start, r.end, "Begeleiding/Jobcoach",
                                "--coder", "", NULL);
    g_auto(Result) few = run ("code", f->path, "interview-a.txt", r.start, r.end, NULL);

    assert_failure (&unknown, "no code 'Stage/Nergens'");
    g_assert_nonnull (strstr (unknown.err, "code-add"));
    assert_failure (&category, "Begeleiding");
    assert_failure (&doc, "onbekend.txt");
    assert_failure (&empty, NULL);
    assert_failure (&reversed, NULL);
    assert_failure (&negative, NULL);
    assert_failure (&beyond, NULL);
    assert_usage (&words, "begin");
    assert_usage (&suffix, "12x");
    assert_usage (&coder, "--coder");
    assert_usage (&few, NULL);
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);

  /* The whole text is a valid range. */
  {
    g_autoptr(GVariant) all = run_json ("code", f->path, "interview-a.txt", "0", length, "Begeleiding/Jobcoach", NULL);
    g_assert_cmpint (cw_test_json_int (all, "id"), >, 0);
  }
}

static void
test_codings_filters (Fixture       *f,
                      gconstpointer  data)
{
  static const char *keys[] = { "id", "document", "start", "end", "code", "coder", "speaker", "case", "text" };
  gint64 mentor_a, jobcoach_a, thuis_b, jobcoach_b, jobcoach_focus;
  g_autofree char *before = NULL, *after = NULL;

  add_code (f, "Begeleiding/Jobcoach");
  add_code (f, "Begeleiding/Mentor");
  add_code (f, "Thuis");
  mentor_a = add_coding (f, "interview-a.txt", "Mijn mentor had het geregeld.", "Begeleiding/Mentor", "Anouk");
  jobcoach_a = add_coding (f, "interview-a.txt", "Mijn mentor had het geregeld. De jobcoach komt elke week.",
                           "Begeleiding/Jobcoach", "Anouk");
  thuis_b = add_coding (f, "interview-a.txt", "Mijn moeder helpt. De jobcoach belt haar ook.", "Thuis", "Bram");
  jobcoach_b = add_coding (f, "interview-a.txt", "De jobcoach belt haar ook.", "Begeleiding/Jobcoach", "Bram");
  jobcoach_focus = add_coding (f, "focusgroep-b.txt", "De jobcoach is goud waard.", "Begeleiding/Jobcoach", "Bram");
  g_assert_cmpint (thuis_b, >, 0);
  g_assert_cmpint (mentor_a, >, 0);

  {
    g_autoptr(GVariant) all = run_json ("codings", f->path, NULL);
    g_autoptr(GVariant) first = cw_test_json_at (all, 0);

    g_assert_cmpuint (g_variant_n_children (all), ==, 5);
    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      g_variant_unref (cw_test_json_get (first, keys[i]));
  }

  /* Table: the options, and the coded texts expected, in document order. */
  {
    static const struct
    {
      const char *options[7];
      const char *texts;
    } cases[] = {
      { { "--code", "Begeleiding/Jobcoach" },
        "Mijn mentor had het geregeld. De jobcoach komt elke week.|De jobcoach belt haar ook.|De jobcoach is goud waard." },
      /* A category's own codings, then with the codes below it. */
      { { "--code", "Begeleiding" }, "" },
      { { "--code", "Begeleiding", "--subcodes" },
        "Mijn mentor had het geregeld.|Mijn mentor had het geregeld. De jobcoach komt elke week.|"
        "De jobcoach belt haar ook.|De jobcoach is goud waard." },
      { { "--doc", "focusgroep-b.txt" }, "De jobcoach is goud waard." },
      { { "--kind", "focus-group" }, "De jobcoach is goud waard." },
      { { "--speaker", "Vader" }, "De jobcoach is goud waard." },
      { { "--coder", "Anouk" },
        "Mijn mentor had het geregeld.|Mijn mentor had het geregeld. De jobcoach komt elke week." },
      { { "--code", "Begeleiding/Jobcoach", "--coder", "Bram", "--doc", "interview-a.txt" },
        "De jobcoach belt haar ook." },
      /* AND: the overlap. OR: either. NOT: the first's segments that overlap none of the others. */
      { { "--code", "Begeleiding/Jobcoach", "--and", "Thuis" }, "De jobcoach belt haar ook." },
      { { "--code", "Begeleiding/Mentor", "--and", "Begeleiding/Jobcoach" }, "Mijn mentor had het geregeld." },
      { { "--code", "Begeleiding/Mentor", "--or", "Thuis" },
        "Mijn mentor had het geregeld.|Mijn moeder helpt. De jobcoach belt haar ook." },
      { { "--code", "Begeleiding/Jobcoach", "--not", "Thuis" },
        "Mijn mentor had het geregeld. De jobcoach komt elke week.|De jobcoach is goud waard." },
      { { "--code", "Begeleiding/Jobcoach", "--not", "Thuis", "--not", "Begeleiding/Mentor" },
        "De jobcoach is goud waard." },
      { { "--code", "Begeleiding/Jobcoach", "--and", "Thuis", "--and", "Begeleiding/Mentor" }, "" },
      { { "--case", "K-001" }, "" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(GPtrArray) argv = g_ptr_array_new ();
        g_autofree char *out = NULL, *err = NULL, *texts = NULL;
        g_autoptr(GVariant) json = NULL;
        int status;

        g_ptr_array_add (argv, (gpointer) cli ());
        g_ptr_array_add (argv, (gpointer) "codings");
        g_ptr_array_add (argv, f->path);
        for (guint j = 0; cases[i].options[j] != NULL; j++)
          g_ptr_array_add (argv, (gpointer) cases[i].options[j]);
        g_ptr_array_add (argv, (gpointer) "--json");
        g_ptr_array_add (argv, NULL);
        status = cw_test_run ((const char * const *) argv->pdata, &out, &err);
        if (status != 0)
          g_error ("case %u: exit %d: %s", i, status, err);
        json = cw_test_parse_json (out);
        texts = texts_of (json);
        if (!g_str_equal (texts, cases[i].texts))
          g_error ("case %u (%s %s %s): «%s», expected «%s»", i, cases[i].options[0], cases[i].options[1],
                   cases[i].options[2] ? cases[i].options[2] : "", texts, cases[i].texts);
      }
  }

  /* Stored codings keep their ids; an AND segment is an overlap, not one. */
  {
    g_autoptr(GVariant) jobcoach = run_json ("codings", f->path, "--code", "Begeleiding/Jobcoach", NULL);
    g_autoptr(GVariant) and = run_json ("codings", f->path, "--code", "Begeleiding/Jobcoach", "--and", "Thuis", NULL);
    g_autoptr(GVariant) j0 = cw_test_json_at (jobcoach, 0);
    g_autoptr(GVariant) j1 = cw_test_json_at (jobcoach, 1);
    g_autoptr(GVariant) j2 = cw_test_json_at (jobcoach, 2);
    g_autoptr(GVariant) overlap = cw_test_json_at (and, 0);

    g_assert_cmpint (cw_test_json_int (j0, "id"), ==, jobcoach_a);
    g_assert_cmpint (cw_test_json_int (j1, "id"), ==, jobcoach_b);
    g_assert_cmpint (cw_test_json_int (j2, "id"), ==, jobcoach_focus);
    g_assert_true (cw_test_json_is_null (overlap, "id"));
    g_assert_cmpstr (cw_test_json_str (overlap, "document"), ==, "interview-a.txt");
    cw_test_assert_substring (f->interview, cw_test_json_int (overlap, "start"), cw_test_json_int (overlap, "end"),
                              "De jobcoach belt haar ook.");
  }

  {
    g_auto(Result) plain = run ("codings", f->path, "--speaker", "Vader", NULL);
    g_assert_cmpint (plain.status, ==, 0);
    g_assert_true (g_str_has_prefix (plain.out, "focusgroep-b.txt:"));
    g_assert_nonnull (strstr (plain.out, "\tBegeleiding/Jobcoach\tBram\tVader\tDe jobcoach is goud waard.\n"));
  }

  before = cw_test_dump (f->path);
  {
    g_auto(Result) code = run ("codings", f->path, "--code", "Nergens", NULL);
    g_auto(Result) other = run ("codings", f->path, "--code", "Thuis", "--or", "Nergens", NULL);
    g_auto(Result) doc = run ("codings", f->path, "--doc", "onbekend.txt", NULL);
    g_auto(Result) group = run ("codings", f->path, "--group", "School Noord", NULL);
    g_auto(Result) kind = run ("codings", f->path, "--kind", "podcast", NULL);
    g_auto(Result) alone = run ("codings", f->path, "--and", "Thuis", NULL);
    g_auto(Result) mixed = run ("codings", f->path, "--code", "Thuis", "--and", "Begeleiding/Mentor",
                                "--not", "Begeleiding/Jobcoach", NULL);

    assert_failure (&code, "Nergens");
    assert_failure (&other, "Nergens");
    assert_failure (&doc, "onbekend.txt");
    assert_failure (&group, "School Noord");
    assert_usage (&kind, "podcast");
    assert_usage (&alone, "--code");
    assert_usage (&mixed, NULL);
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_autocode (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *before = NULL, *after = NULL;

  add_code (f, "Antwoord");
  add_code (f, "Jobcoach/Woord");
  add_code (f, "Jobcoach/Zin");
  add_code (f, "Jobcoach/Beurt");

  /* Every turn of a speaker in one document; again adds nothing. */
  {
    g_autoptr(GVariant) added = run_json ("autocode", f->path, "Antwoord", "--speaker", "R",
                                          "--doc", "interview-a.txt", "--coder", "Anouk", NULL);
    g_autoptr(GVariant) again = run_json ("autocode", f->path, "Antwoord", "--speaker", "R",
                                          "--doc", "interview-a.txt", "--coder", "Anouk", NULL);
    g_autoptr(GVariant) codings = run_json ("codings", f->path, "--code", "Antwoord", NULL);
    g_autofree char *texts = texts_of (codings);

    g_assert_cmpint (cw_test_json_int (added, "added"), ==, 2);
    g_assert_cmpint (cw_test_json_int (again, "added"), ==, 0);
    g_assert_cmpstr (texts, ==, "Via school. Mijn mentor had het geregeld. De jobcoach komt elke week.|"
                                "Mijn moeder helpt. De jobcoach belt haar ook.");
  }
  /* A speaker in any document. */
  {
    g_autoptr(GVariant) added = run_json ("autocode", f->path, "Antwoord", "--speaker", "Moeder", NULL);
    g_assert_cmpint (cw_test_json_int (added, "added"), ==, 1);
  }

  /* Search hits, their sentences, their turns. */
  {
    g_autoptr(GVariant) hits = run_json ("autocode", f->path, "Jobcoach/Woord", "--search", "jobcoach", NULL);
    g_autoptr(GVariant) sentences = run_json ("autocode", f->path, "Jobcoach/Zin", "--search", "jobcoach",
                                              "--scope", "sentence", NULL);
    g_autoptr(GVariant) turns = run_json ("autocode", f->path, "Jobcoach/Beurt", "--search", "jobcoach",
                                          "--scope", "turn", "--doc", "focusgroep-b.txt", NULL);
    g_autoptr(GVariant) words = run_json ("codings", f->path, "--code", "Jobcoach/Woord", NULL);
    g_autoptr(GVariant) zinnen = run_json ("codings", f->path, "--code", "Jobcoach/Zin", NULL);
    g_autoptr(GVariant) beurten = run_json ("codings", f->path, "--code", "Jobcoach/Beurt", NULL);
    g_autofree char *word_texts = texts_of (words);
    g_autofree char *zin_texts = texts_of (zinnen);
    g_autofree char *beurt_texts = texts_of (beurten);

    g_assert_cmpint (cw_test_json_int (hits, "added"), ==, 3);
    g_assert_cmpint (cw_test_json_int (sentences, "added"), ==, 3);
    g_assert_cmpint (cw_test_json_int (turns, "added"), ==, 1);
    g_assert_cmpstr (word_texts, ==, "jobcoach|jobcoach|jobcoach");
    g_assert_cmpstr (zin_texts, ==, "De jobcoach komt elke week.|De jobcoach belt haar ook.|De jobcoach is goud waard.");
    g_assert_cmpstr (beurt_texts, ==, "De jobcoach is goud waard.");
  }
  {
    g_auto(Result) plain = run ("autocode", f->path, "Jobcoach/Woord", "--search", "jobcoach", NULL);
    g_assert_cmpint (plain.status, ==, 0);
    g_assert_cmpstr (plain.out, ==, "0 codings added\n");
  }

  before = cw_test_dump (f->path);
  {
    g_auto(Result) both = run ("autocode", f->path, "Antwoord", "--speaker", "R", "--search", "stage", NULL);
    g_auto(Result) neither = run ("autocode", f->path, "Antwoord", NULL);
    g_auto(Result) scope = run ("autocode", f->path, "Antwoord", "--search", "stage", "--scope", "alinea", NULL);
    g_auto(Result) scope_speaker = run ("autocode", f->path, "Antwoord", "--speaker", "R", "--scope", "turn", NULL);
    g_auto(Result) code = run ("autocode", f->path, "Nergens", "--speaker", "R", NULL);
    g_auto(Result) doc = run ("autocode", f->path, "Antwoord", "--speaker", "R", "--doc", "onbekend.txt", NULL);
    g_auto(Result) query = run ("autocode", f->path, "Antwoord", "--search", "OR", NULL);

    assert_usage (&both, NULL);
    assert_usage (&neither, NULL);
    assert_usage (&scope, "alinea");
    assert_usage (&scope_speaker, "--scope");
    assert_failure (&code, "Nergens");
    assert_failure (&doc, "onbekend.txt");
    assert_failure (&query, NULL);
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_memos (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GVariant) doc_memo = NULL, code_memo = NULL, project_memo = NULL, coding_memo = NULL;
  g_autoptr(GVariant) all = NULL, of_doc = NULL, of_coding = NULL, memo = NULL, of_project = NULL;
  g_autofree char *coding_id = NULL;
  g_autofree char *before = NULL, *after = NULL;
  gint64 coding;
  Range r = find (f->interview, "Mijn moeder helpt.", 1);

  add_code (f, "Thuis");
  {
    g_autoptr(GVariant) coded = run_json ("code", f->path, "interview-a.txt", r.start, r.end, "Thuis",
                                          "--memo", "Moeder als steun.", NULL);
    coding = cw_test_json_int (coded, "id");
    coding_id = g_strdup_printf ("%" G_GINT64_FORMAT, coding);
  }

  doc_memo = run_json ("memo", f->path, "--doc", "interview-a.txt", "--title", "Setting",
                       "Afgenomen op school.", "--author", "Anouk", NULL);
  g_setenv ("CODEWERK_CODER", "Bram", TRUE);
  code_memo = run_json ("memo", f->path, "--code", "Thuis", "Alles over het gezin.", NULL);
  g_unsetenv ("CODEWERK_CODER");
  project_memo = run_json ("memo", f->path, "--project", "Onderzoeksvraag: wat helpt?", NULL);
  coding_memo = run_json ("memo", f->path, "--coding", coding_id, "Tweede gedachte.", NULL);
  g_assert_cmpint (cw_test_json_int (doc_memo, "id"), >, 0);

  all = run_json ("memos", f->path, NULL);
  g_assert_cmpuint (g_variant_n_children (all), ==, 5);

  of_doc = run_json ("memos", f->path, "--doc", "interview-a.txt", NULL);
  g_assert_cmpuint (g_variant_n_children (of_doc), ==, 1);
  memo = cw_test_json_at (of_doc, 0);
  g_assert_cmpint (cw_test_json_int (memo, "id"), ==, cw_test_json_int (doc_memo, "id"));
  g_assert_cmpstr (cw_test_json_str (memo, "target"), ==, "document");
  g_assert_cmpint (cw_test_json_int (memo, "target_id"), ==, 1);
  g_assert_cmpstr (cw_test_json_str (memo, "title"), ==, "Setting");
  g_assert_cmpstr (cw_test_json_str (memo, "text"), ==, "Afgenomen op school.");
  g_assert_cmpstr (cw_test_json_str (memo, "author"), ==, "Anouk");
  g_assert_cmpuint (strlen (cw_test_json_str (memo, "created_at")), >=, 10);
  g_clear_pointer (&memo, g_variant_unref);

  {
    g_autoptr(GVariant) of_code = run_json ("memos", f->path, "--code", "Thuis", NULL);
    g_autoptr(GVariant) m = cw_test_json_at (of_code, 0);

    g_assert_cmpuint (g_variant_n_children (of_code), ==, 1);
    g_assert_cmpstr (cw_test_json_str (m, "target"), ==, "code");
    g_assert_cmpstr (cw_test_json_str (m, "author"), ==, "Bram");
    g_assert_true (cw_test_json_is_null (m, "title"));
  }

  /* The memo given with the coding, and the one added later. */
  of_coding = run_json ("memos", f->path, "--coding", coding_id, NULL);
  g_assert_cmpuint (g_variant_n_children (of_coding), ==, 2);
  memo = cw_test_json_at (of_coding, 0);
  g_assert_cmpstr (cw_test_json_str (memo, "target"), ==, "coding");
  g_assert_cmpint (cw_test_json_int (memo, "target_id"), ==, coding);
  g_assert_cmpstr (cw_test_json_str (memo, "text"), ==, "Moeder als steun.");

  of_project = run_json ("memos", f->path, "--project", NULL);
  {
    g_autoptr(GVariant) m = cw_test_json_at (of_project, 0);

    g_assert_cmpuint (g_variant_n_children (of_project), ==, 1);
    g_assert_cmpstr (cw_test_json_str (m, "target"), ==, "project");
    g_assert_true (cw_test_json_is_null (m, "target_id"));
    g_assert_cmpstr (cw_test_json_str (m, "author"), ==, "Codeur");
  }

  before = cw_test_dump (f->path);
  {
    g_auto(Result) none = run ("memo", f->path, "Zwevend.", NULL);
    g_auto(Result) two = run ("memo", f->path, "--doc", "1", "--project", "Twee.", NULL);
    g_auto(Result) not_id = run ("memo", f->path, "--coding", "de eerste", "Tekst.", NULL);
    g_auto(Result) no_coding = run ("memo", f->path, "--coding", "999", "Tekst.", NULL);
    g_auto(Result) no_doc = run ("memo", f->path, "--doc", "onbekend.txt", "Tekst.", NULL);
    g_auto(Result) no_code = run ("memo", f->path, "--code", "Nergens", "Tekst.", NULL);
    g_auto(Result) list_two = run ("memos", f->path, "--doc", "1", "--code", "Thuis", NULL);
    g_auto(Result) list_doc = run ("memos", f->path, "--doc", "onbekend.txt", NULL);

    assert_usage (&none, NULL);
    assert_usage (&two, NULL);
    assert_usage (&not_id, "de eerste");
    assert_failure (&no_coding, "999");
    assert_failure (&no_doc, "onbekend.txt");
    assert_failure (&no_code, "Nergens");
    assert_usage (&list_two, NULL);
    assert_failure (&list_doc, "onbekend.txt");
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_undo_redo (Fixture       *f,
                gconstpointer  data)
{
  Range r = find (f->interview, "Mijn moeder helpt.", 1);
  g_autofree char *before = NULL;

  {
    g_auto(Result) nothing = run ("undo", f->path, NULL);
    g_auto(Result) nothing_redo = run ("redo", f->path, NULL);

    assert_failure (&nothing, "nothing to undo");
    assert_failure (&nothing_redo, "nothing to redo");
  }

  add_code (f, "Thuis");
  before = cw_test_dump (f->path);
  {
    g_autoptr(GVariant) coded = run_json ("code", f->path, "interview-a.txt", r.start, r.end, "Thuis", NULL);
    g_autoptr(GVariant) undone = run_json ("undo", f->path, NULL);
    g_autoptr(GVariant) gone = run_json ("codings", f->path, NULL);
    g_autoptr(GVariant) redone = run_json ("redo", f->path, NULL);
    g_autoptr(GVariant) back = run_json ("codings", f->path, NULL);
    g_autoptr(GVariant) coding = NULL;

    g_assert_cmpuint (strlen (cw_test_json_str (undone, "undone")), >, 0);
    g_assert_cmpstr (cw_test_json_str (redone, "redone"), ==, cw_test_json_str (undone, "undone"));
    g_assert_cmpuint (g_variant_n_children (gone), ==, 0);
    g_assert_cmpuint (g_variant_n_children (back), ==, 1);
    coding = cw_test_json_at (back, 0);
    g_assert_cmpint (cw_test_json_int (coding, "id"), ==, cw_test_json_int (coded, "id"));
    g_assert_cmpstr (cw_test_json_str (coding, "text"), ==, "Mijn moeder helpt.");
  }

  /* Plain output prints the label; undoing everything empties the codebook. */
  {
    g_auto(Result) undo_coding = run ("undo", f->path, NULL);
    g_auto(Result) undo_code = run ("undo", f->path, NULL);
    g_auto(Result) more = run ("undo", f->path, NULL);
    g_autoptr(GVariant) codes = run_json ("codes", f->path, NULL);

    g_assert_cmpint (undo_coding.status, ==, 0);
    g_assert_cmpuint (strlen (undo_coding.out), >, 1);
    g_assert_true (g_str_has_suffix (undo_coding.out, "\n"));
    g_assert_cmpint (undo_code.status, ==, 0);
    g_assert_nonnull (strstr (undo_code.out, "Thuis"));
    assert_failure (&more, "nothing to undo");
    g_assert_cmpuint (g_variant_n_children (codes), ==, 0);
  }
  {
    g_auto(Result) redo_code = run ("redo", f->path, NULL);
    g_autoptr(GVariant) codes = run_json ("codes", f->path, NULL);

    g_assert_cmpint (redo_code.status, ==, 0);
    g_assert_cmpuint (g_variant_n_children (codes), ==, 1);
  }
}

static void
test_groups (Fixture       *f,
             gconstpointer  data)
{
  Range r = find (f->interview, "Mijn moeder helpt.", 1);
  g_autoptr(GVariant) created = NULL, groups = NULL, group = NULL, documents = NULL;
  g_autoptr(GVariant) all = NULL, in_group = NULL;
  g_autofree char *before = NULL;

  add_code (f, "Thuis");
  {
    g_autoptr(GVariant) coded = run_json ("code", f->path, "interview-a.txt", r.start, r.end, "Thuis", NULL);
  }

  created = run_json ("group", f->path, "Wave 2016", "interview-a.txt", NULL);
  groups = run_json ("groups", f->path, NULL);
  g_assert_cmpuint (g_variant_n_children (groups), ==, 1);
  group = cw_test_json_at (groups, 0);
  g_assert_cmpint (cw_test_json_int (group, "id"), ==, cw_test_json_int (created, "id"));
  g_assert_cmpstr (cw_test_json_str (group, "name"), ==, "Wave 2016");
  documents = cw_test_json_get (group, "documents");
  g_assert_cmpuint (g_variant_n_children (documents), ==, 1);

  /* The group filters the codings. */
  all = run_json ("codings", f->path, NULL);
  in_group = run_json ("codings", f->path, "--group", "Wave 2016", NULL);
  g_assert_cmpuint (g_variant_n_children (in_group), ==, 1);
  g_assert_cmpuint (g_variant_n_children (all), >=, g_variant_n_children (in_group));

  /* A wrong document changes nothing, not even the group's creation. */
  before = cw_test_dump (f->path);
  {
    g_auto(Result) wrong = run ("group", f->path, "Wave 2017", "focusgroep-b.txt", "nope.txt", NULL);
    g_auto(Result) missing = run ("group", f->path, "Nope", "interview-a.txt", "--remove", NULL);
    g_auto(Result) deleted = run ("group-delete", f->path, "Nope", NULL);
    g_autofree char *after = NULL;

    assert_failure (&wrong, "nope.txt");
    assert_failure (&missing, "Nope");
    assert_failure (&deleted, "Nope");
    after = cw_test_dump (f->path);
    g_assert_cmpstr (before, ==, after);
  }

  {
    g_auto(Result) removed = run ("group", f->path, "Wave 2016", "interview-a.txt", "--remove", NULL);
    g_auto(Result) deleted = run ("group-delete", f->path, "Wave 2016", NULL);
    g_autoptr(GVariant) none = NULL;

    g_assert_cmpint (removed.status, ==, 0);
    g_assert_cmpint (deleted.status, ==, 0);
    none = run_json ("groups", f->path, NULL);
    g_assert_cmpuint (g_variant_n_children (none), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-coding/help", test_help);
  g_test_add ("/cli-coding/code-add-and-codes", Fixture, NULL, fixture_set_up, test_code_add_and_codes,
              fixture_tear_down);
  g_test_add ("/cli-coding/code", Fixture, NULL, fixture_set_up, test_code, fixture_tear_down);
  g_test_add ("/cli-coding/codings-filters", Fixture, NULL, fixture_set_up, test_codings_filters,
              fixture_tear_down);
  g_test_add ("/cli-coding/autocode", Fixture, NULL, fixture_set_up, test_autocode, fixture_tear_down);
  g_test_add ("/cli-coding/memos", Fixture, NULL, fixture_set_up, test_memos, fixture_tear_down);
  g_test_add ("/cli-coding/undo-redo", Fixture, NULL, fixture_set_up, test_undo_redo, fixture_tear_down);
  g_test_add ("/cli-coding/groups", Fixture, NULL, fixture_set_up, test_groups, fixture_tear_down);
  return g_test_run ();
}
