/* test-cli-edit.c: spell checking and correcting transcripts as a user
 * drives codewerk-cli: spell (offsets, suggestions, the language, a
 * missing dictionary), words (the project word list, all or none),
 * language, edit (codings follow; a coding deleted entirely is reported
 * and undo brings it back) and replace (counts, codings on the new words,
 * one undo step), on copies of the example project. */
#include "config.h"

#include <string.h>

#include "cw-test-util.h"

static char *
text_of (const char *project,
         const char *doc)
{
  g_auto(CwCliResult) r = cw_test_cli ("text", project, doc, NULL);

  g_assert_cmpint (r.status, ==, 0);
  return g_steal_pointer (&r.out);
}

/* The code point offset of the first occurrence of needle in text. */
static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

static gboolean
have_dictionary (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/usr/share/hunspell/%s.dic", name);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The words that spell --json lists, "start:end:word" each. */
static GPtrArray *
misspellings (const char *project,
              const char *doc,
              const char *language)
{
  g_autoptr(GVariant) list = language != NULL
    ? cw_test_cli_json ("spell", project, doc, "--language", language, "--json", NULL)
    : cw_test_cli_json ("spell", project, doc, "--json", NULL);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr(GVariant) item = cw_test_json_at (list, i);

      g_ptr_array_add (words, g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s",
                                               cw_test_json_int (item, "start"),
                                               cw_test_json_int (item, "end"),
                                               cw_test_json_str (item, "word")));
    }
  return words;
}

static gboolean
contains (GPtrArray  *strings,
          const char *s)
{
  for (guint i = 0; i < strings->len; i++)
    if (strcmp (strings->pdata[i], s) == 0)
      return TRUE;
  return FALSE;
}

static void
test_spell_and_words (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "spell.codewerk");
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *before = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GVariant) item = NULL;
  g_autoptr(GVariant) suggestions = NULL;
  g_auto(CwCliResult) r = { 0 };
  gint64 at;
  gboolean found = FALSE;

  if (!have_dictionary ("nl"))
    {
      g_test_skip ("hunspell-nl is not installed");
      cw_test_remove_dir (dir);
      return;
    }

  /* A typo typed into the bakery interview: listed where it is. */
  text = text_of (project, "werkgever-interview-bakkerij.txt");
  at = offset_of (text, "brood");
  {
    g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, at);
    g_autoptr(GVariant) edited = NULL;

    edited = cw_test_cli_json ("edit", project, "werkgever-interview-bakkerij.txt",
                               start, start, "werkgevr ", "--json", NULL);
  }
  words = misspellings (project, "werkgever-interview-bakkerij.txt", NULL);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":werkgevr", at, at + 8);
  g_assert_true (contains (words, expected));
  g_clear_pointer (&words, g_ptr_array_unref);

  /* --suggest: the right word among the suggestions. */
  list = cw_test_cli_json ("spell", project, "werkgever-interview-bakkerij.txt", "--suggest", "--json", NULL);
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_clear_pointer (&item, g_variant_unref);
      item = cw_test_json_at (list, i);
      if (strcmp (cw_test_json_str (item, "word"), "werkgevr") != 0)
        continue;
      suggestions = cw_test_json_get (item, "suggestions");
      for (gsize k = 0; k < g_variant_n_children (suggestions); k++)
        {
          g_autoptr(GVariant) s = cw_test_json_at (suggestions, k);

          found |= strcmp (g_variant_get_string (s, NULL), "werkgever") == 0;
        }
    }
  g_assert_true (found);

  /* The word list: added words are no longer listed; all or none. */
  r = cw_test_cli ("words", project, "--add", "werkgevr", "--add", "twee woorden", NULL);
  cw_test_assert_cli_failure (&r, 1, "twee woorden");
  cw_cli_result_clear (&r);
  words = misspellings (project, "werkgever-interview-bakkerij.txt", NULL);
  g_assert_true (contains (words, expected));
  g_clear_pointer (&words, g_ptr_array_unref);

  g_clear_pointer (&list, g_variant_unref);
  list = cw_test_cli_json ("words", project, "--add", "werkgevr", "--add", "Zwolle", "--json", NULL);
  g_assert_cmpuint (g_variant_n_children (list), >=, 2);
  words = misspellings (project, "werkgever-interview-bakkerij.txt", NULL);
  g_assert_false (contains (words, expected));
  g_clear_pointer (&words, g_ptr_array_unref);

  r = cw_test_cli ("words", project, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "werkgevr\n"));
  cw_cli_result_clear (&r);

  g_clear_pointer (&list, g_variant_unref);
  list = cw_test_cli_json ("words", project, "--remove", "werkgevr", "--json", NULL);
  words = misspellings (project, "werkgever-interview-bakkerij.txt", NULL);
  g_assert_true (contains (words, expected));
  g_clear_pointer (&words, g_ptr_array_unref);

  /* An English check of a Dutch text flags Dutch words. */
  if (have_dictionary ("en_US"))
    {
      words = misspellings (project, "werkgever-interview-bakkerij.txt", "en");
      g_assert_cmpuint (words->len, >, 100);
      g_clear_pointer (&words, g_ptr_array_unref);
    }

  /* No dictionary: one clear error naming the package, nothing changed. */
  before = cw_test_dump (project);
  {
    g_autofree char *empty = cw_test_make_dir ();
    g_autofree char *after = NULL;

    g_setenv ("CODEWERK_HUNSPELL_DIR", empty, TRUE);
    r = cw_test_cli ("spell", project, "werkgever-interview-bakkerij.txt", NULL);
    g_unsetenv ("CODEWERK_HUNSPELL_DIR");
    cw_test_assert_cli_failure (&r, 1, "hunspell-nl");
    cw_cli_result_clear (&r);
    after = cw_test_dump (project);
    g_assert_cmpstr (before, ==, after);
    cw_test_remove_dir (empty);
  }

  r = cw_test_cli ("spell", project, "werkgever-interview-bakkerij.txt", "--language", "de", NULL);
  cw_test_assert_cli_failure (&r, 2, "de");
  cw_cli_result_clear (&r);
  cw_test_remove_dir (dir);
}

static void
test_language (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "language.codewerk");
  g_autoptr(GVariant) json = NULL;
  g_auto(CwCliResult) r = { 0 };

  /* Detected from the text: the example transcripts are Dutch. */
  r = cw_test_cli ("language", project, "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "nl\n");
  cw_cli_result_clear (&r);

  json = cw_test_cli_json ("language", project, "1", "en", "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (json, "language"), ==, "en");
  g_assert_cmpstr (cw_test_json_str (json, "document"), ==, "arena-praktijkschool-de-brug.txt");
  r = cw_test_cli ("language", project, "arena-praktijkschool-de-brug.txt", NULL);
  g_assert_cmpstr (r.out, ==, "en\n");
  cw_cli_result_clear (&r);

  r = cw_test_cli ("language", project, "1", "fr", NULL);
  cw_test_assert_cli_failure (&r, 2, "fr");
  cw_cli_result_clear (&r);
  r = cw_test_cli ("language", project, "geen-document.txt", NULL);
  cw_test_assert_cli_failure (&r, 1, "geen-document.txt");
  cw_test_remove_dir (dir);
}

/* The id, start, end and text of the first coding of doc whose text
 * contains needle. */
static gboolean
find_coding (const char *project,
             const char *doc,
             const char *needle,
             gint64     *id,
             gint64     *start,
             gint64     *end,
             char      **text)
{
  g_autoptr(GVariant) list = cw_test_cli_json ("codings", project, "--doc", doc, "--json", NULL);

  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr(GVariant) item = cw_test_json_at (list, i);

      if (strstr (cw_test_json_str (item, "text"), needle) == NULL)
        continue;
      *id = cw_test_json_int (item, "id");
      *start = cw_test_json_int (item, "start");
      *end = cw_test_json_int (item, "end");
      if (text != NULL)
        *text = g_strdup (cw_test_json_str (item, "text"));
      return TRUE;
    }
  return FALSE;
}

static gboolean
coding_exists (const char *project,
               const char *doc,
               gint64      wanted)
{
  g_autoptr(GVariant) list = cw_test_cli_json ("codings", project, "--doc", doc, "--json", NULL);

  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr(GVariant) item = cw_test_json_at (list, i);

      if (cw_test_json_int (item, "id") == wanted)
        return TRUE;
    }
  return FALSE;
}

static void
test_edit (void)
{
  const char *doc = "werkgever-interview-bakkerij.txt";
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "edit.codewerk");
  g_autofree char *original = text_of (project, doc);
  g_autofree char *coded = NULL;
  g_autofree char *coded_after = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *restored = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) removed = NULL;
  g_auto(CwCliResult) r = { 0 };
  gint64 id, start, end, id2, start2, end2;
  char s_start[32], s_end[32];

  g_assert_true (find_coding (project, doc, "stagedocent", &id, &start, &end, &coded));

  /* Text typed before the coding shifts it; it still covers its words. */
  json = cw_test_cli_json ("edit", project, doc, "0", "0", "[Interview 1] ", "--json", NULL);
  g_assert_cmpint (cw_test_json_int (json, "start"), ==, 0);
  g_assert_cmpint (cw_test_json_int (json, "end"), ==, 14);
  g_assert_cmpint (cw_test_json_int (json, "characters"), ==, g_utf8_strlen (original, -1) + 14);
  removed = cw_test_json_get (json, "removed");
  g_assert_cmpuint (g_variant_n_children (removed), ==, 0);
  g_assert_true (find_coding (project, doc, "stagedocent", &id2, &start2, &end2, &coded_after));
  g_assert_cmpint (id2, ==, id);
  g_assert_cmpint (start2, ==, start + 14);
  g_assert_cmpint (end2, ==, end + 14);
  g_assert_cmpstr (coded_after, ==, coded);

  /* Deleting the coded text entirely removes the coding, with a warning
   * naming it; undo brings it back with its id. */
  g_snprintf (s_start, sizeof s_start, "%" G_GINT64_FORMAT, start2);
  g_snprintf (s_end, sizeof s_end, "%" G_GINT64_FORMAT, end2);
  r = cw_test_cli ("edit", project, doc, s_start, s_end, "", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: warning: "));
  {
    g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

    g_assert_nonnull (strstr (r.err, id_text));
  }
  cw_cli_result_clear (&r);
  g_assert_false (coding_exists (project, doc, id));
  r = cw_test_cli ("undo", project, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cw_cli_result_clear (&r);
  g_assert_true (coding_exists (project, doc, id));
  r = cw_test_cli ("undo", project, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cw_cli_result_clear (&r);
  restored = text_of (project, doc);
  g_assert_cmpstr (restored, ==, original);
  g_clear_pointer (&coded_after, g_free);
  g_assert_true (find_coding (project, doc, "stagedocent", &id2, &start2, &end2, &coded_after));
  g_assert_cmpint (start2, ==, start);
  g_assert_cmpint (end2, ==, end);

  /* Refusals change nothing. */
  before = cw_test_dump (project);
  g_snprintf (s_end, sizeof s_end, "%ld", g_utf8_strlen (original, -1) + 1);
  r = cw_test_cli ("edit", project, doc, "0", s_end, "x", NULL);
  cw_test_assert_cli_failure (&r, 1, NULL);
  cw_cli_result_clear (&r);
  r = cw_test_cli ("edit", project, doc, "10", "5", "x", NULL);
  cw_test_assert_cli_failure (&r, 2, "5");
  cw_cli_result_clear (&r);
  r = cw_test_cli ("edit", project, doc, "-1", "5", "x", NULL);
  cw_test_assert_cli_failure (&r, 2, NULL);
  cw_cli_result_clear (&r);
  r = cw_test_cli ("edit", project, doc, "0", "0", "\xff\xfe", NULL);
  cw_test_assert_cli_failure (&r, 1, NULL);
  cw_cli_result_clear (&r);
  after = cw_test_dump (project);
  g_assert_cmpstr (before, ==, after);
  cw_test_remove_dir (dir);
}

/* Occurrences of needle in text, ignoring ASCII case. */
static guint
count_occurrences (const char *text,
                   const char *needle)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  guint n = 0;

  for (const char *p = strstr (lower, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Occurrences of needle (exact case) with no letter or digit just before
 * or after it. */
static guint
count_whole_words (const char *text,
                   const char *needle)
{
  gsize len = strlen (needle);
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    {
      gboolean before = p > text && g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p)));
      gboolean after = p[len] != '\0' && g_unichar_isalnum (g_utf8_get_char (p + len));

      n += !before && !after;
    }
  return n;
}

static void
test_replace (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = cw_test_copy_example (dir, "replace.codewerk");
  g_autoptr(GVariant) documents = cw_test_cli_json ("documents", project, "--json", NULL);
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) per_document = NULL;
  g_autoptr(GPtrArray) originals = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(CwCliResult) r = { 0 };
  gint64 id, start, end, id2, start2, end2;
  g_autofree char *coded = NULL;
  guint expected_total = 0;

  for (gsize i = 0; i < g_variant_n_children (documents); i++)
    {
      g_autoptr(GVariant) doc = cw_test_json_at (documents, i);
      char *text = text_of (project, cw_test_json_str (doc, "name"));

      expected_total += count_occurrences (text, "stagedocent");
      g_ptr_array_add (originals, text);
    }
  g_assert_cmpuint (expected_total, >, 0);
  g_assert_true (find_coding (project, "werkgever-interview-bakkerij.txt", "stagedocent", &id, &start, &end, NULL));

  /* Every occurrence in every document, counted per document. */
  json = cw_test_cli_json ("replace", project, "stagedocent", "stagebegeleider", "--json", NULL);
  g_assert_cmpint (cw_test_json_int (json, "replaced"), ==, expected_total);
  per_document = cw_test_json_get (json, "documents");
  {
    gint64 sum = 0;

    for (gsize i = 0; i < g_variant_n_children (per_document); i++)
      {
        g_autoptr(GVariant) item = cw_test_json_at (per_document, i);
        g_autofree char *text = text_of (project, cw_test_json_str (item, "document"));

        g_assert_cmpuint (count_occurrences (text, "stagedocent"), ==, 0);
        sum += cw_test_json_int (item, "replaced");
      }
    g_assert_cmpint (sum, ==, expected_total);
  }

  /* The coding on the word now covers the new word, grown by 4. */
  g_assert_true (find_coding (project, "werkgever-interview-bakkerij.txt", "stagebegeleider",
                              &id2, &start2, &end2, &coded));
  g_assert_cmpint (id2, ==, id);
  g_assert_cmpint (start2, ==, start);
  g_assert_cmpint (end2 - start2, ==, end - start + 4 * count_occurrences (coded, "stagebegeleider"));

  /* One undo step restores every text byte for byte. */
  r = cw_test_cli ("undo", project, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cw_cli_result_clear (&r);
  for (gsize i = 0; i < g_variant_n_children (documents); i++)
    {
      g_autoptr(GVariant) doc = cw_test_json_at (documents, i);
      g_autofree char *text = text_of (project, cw_test_json_str (doc, "name"));

      g_assert_cmpstr (text, ==, originals->pdata[i]);
    }

  /* --doc, --whole-word and --match-case narrow it down. */
  g_clear_pointer (&json, g_variant_unref);
  {
    g_autofree char *text = text_of (project, "werkgever-interview-bakkerij.txt");
    guint whole = count_whole_words (text, "brood");

    g_assert_cmpuint (whole, >, 0);
    json = cw_test_cli_json ("replace", project, "brood", "BROOD", "--doc", "werkgever-interview-bakkerij.txt",
                             "--whole-word", "--match-case", "--json", NULL);
    g_assert_cmpint (cw_test_json_int (json, "replaced"), ==, whole);
    g_clear_pointer (&text, g_free);
    text = text_of (project, "werkgever-interview-bakkerij.txt");
    g_assert_nonnull (strstr (text, "broodjes"));   /* inside a longer word: kept */
    g_assert_cmpuint (count_whole_words (text, "BROOD"), ==, whole);
    g_assert_cmpuint (count_whole_words (text, "brood"), ==, 0);
  }
  g_clear_pointer (&per_document, g_variant_unref);
  per_document = cw_test_json_get (json, "documents");
  g_assert_cmpuint (g_variant_n_children (per_document), <=, 1);

  /* Refusals change nothing. */
  before = cw_test_dump (project);
  r = cw_test_cli ("replace", project, "", "x", NULL);
  cw_test_assert_cli_failure (&r, 2, NULL);
  cw_cli_result_clear (&r);
  r = cw_test_cli ("replace", project, "brood", "x", "--doc", "geen.txt", NULL);
  cw_test_assert_cli_failure (&r, 1, "geen.txt");
  cw_cli_result_clear (&r);
  after = cw_test_dump (project);
  g_assert_cmpstr (before, ==, after);
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/spell-and-words", test_spell_and_words);
  g_test_add_func ("/cli/language", test_language);
  g_test_add_func ("/cli/edit", test_edit);
  g_test_add_func ("/cli/replace", test_replace);
  return g_test_run ();
}
