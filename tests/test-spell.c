/* Spell checking: Dutch and English words and misspellings, suggestions,
 * the rules for what is not checked, offsets, the project word list, the
 * session ignore list, a missing dictionary, language detection and
 * loading off the main thread. */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "cw-spell.h"
#include "cw-test-util.h"

/* One checker with both dictionaries for the whole run: Dutch takes a
 * good part of a second to load under load. */
static CwSpellChecker *checker;

static gboolean
strv_has (char **strv,
          const char *word)
{
  return strv != NULL && g_strv_contains ((const char *const *) strv, word);
}

typedef struct
{
  const char *word;
  gboolean    correct;
} WordCase;

static void
check_table (const char     *language,
             const WordCase *cases,
             gsize           n)
{
  for (gsize i = 0; i < n; i++)
    {
      gboolean ok = cw_spell_checker_check (checker, language, cases[i].word);

      if (ok != cases[i].correct)
        g_error ("%s: “%s” should be %s", language, cases[i].word,
                 cases[i].correct ? "correct" : "flagged");
    }
}

static void
test_dutch_words (void)
{
  static const WordCase cases[] = {
    { "praktijkonderwijs", TRUE },
    { "Praktijkonderwijs", TRUE }, /* sentence start */
    { "stage", TRUE },
    { "werkgever", TRUE },
    { "jobcoach", TRUE },
    { "uitkering", TRUE },
    { "entreeopleiding", TRUE },
    { "ideeën", TRUE },
    { "één", TRUE },
    { "Één", TRUE },
    { "Eén", TRUE }, /* the Taalunie allows both at a sentence start */
    { "Eèn", FALSE },
    { "café", TRUE },
    { "m'n", TRUE },
    { "zo'n", TRUE },
    { "m’n", TRUE }, /* typographic apostrophe */
    { "praktijkonderwijs-leerling", TRUE }, /* each part is a word */
    { "Marokkaans-Nederlandse", TRUE },
    { "werkgevr", FALSE },
    { "stagge", FALSE },
    { "ideeen", FALSE },
    { "cafe", FALSE },
    { "praktijkonderwijs-leerlingg", FALSE }, /* a part is wrong */
    { "Dockinga", FALSE }, /* a school, until it is in the word list */
    /* Not checked. */
    { "UWV", TRUE },
    { "PrO", TRUE },
    { "mbo4", TRUE },
    { "2e", TRUE },
    { "x", TRUE },
    { "", TRUE },
  };

  check_table ("nl", cases, G_N_ELEMENTS (cases));
}

static void
test_english_words (void)
{
  static const WordCase cases[] = {
    { "employer", TRUE },
    { "internship", TRUE },
    { "don't", TRUE },
    { "don’t", TRUE },
    { "I", TRUE },
    { "employr", FALSE },
    { "intership", FALSE },
    { "teh", FALSE },
    { "werkgever", FALSE }, /* Dutch is not English */
  };

  check_table ("en", cases, G_N_ELEMENTS (cases));
  /* And English is not Dutch. */
  g_assert_false (cw_spell_checker_check (checker, "nl", "employer"));
  /* Regional codes pick the same dictionary. */
  g_assert_false (cw_spell_checker_check (checker, "en_US", "employr"));
  g_assert_false (cw_spell_checker_check (checker, "nl_BE", "werkgevr"));
}

typedef struct
{
  const char *language;
  const char *word;
  const char *expected;
} SuggestCase;

static void
test_suggest (void)
{
  static const SuggestCase cases[] = {
    { "nl", "werkgevr", "werkgever" },
    { "nl", "stagge", "stage" },
    { "nl", "ideeen", "ideeën" },
    { "nl", "cafe", "café" },
    /* Only the wrong part of a hyphenated word is replaced. */
    { "nl", "praktijkonderwijs-leerlingg", "praktijkonderwijs-leerling" },
    { "en", "employr", "employer" },
    { "en", "intership", "internship" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) suggestions = cw_spell_checker_suggest (checker, cases[i].language, cases[i].word);

      g_assert_nonnull (suggestions);
      g_assert_cmpuint (g_strv_length (suggestions), <=, 8);
      if (!strv_has (suggestions, cases[i].expected))
        g_error ("no “%s” among the suggestions for “%s”", cases[i].expected, cases[i].word);
    }
}

static void
on_suggested (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char ***out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cw_spell_checker_suggest_finish (CW_SPELL_CHECKER (source), result, &error);
  g_assert_no_error (error);
}

static void
test_suggest_async (void)
{
  g_auto(GStrv) suggestions = NULL;

  cw_spell_checker_suggest_async (checker, "nl", "stagge", NULL, on_suggested, &suggestions);
  while (suggestions == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (strv_has (suggestions, "stage"));
}

/* A text and the misspelled words expected in it, in order, separated
 * by '|' ("" for none). */
typedef struct
{
  const char *language;
  const char *text;
  const char *flagged;
} TextCase;

static void
test_find_rules (void)
{
  static const TextCase cases[] = {
    { "nl", "Ik wil een stage bij een werkgevr.", "werkgevr" },
    { "nl", "De stagge was leuk, de werkgevr ook.", "stagge|werkgevr" },
    { "nl", "Ik zit op het praktijkonderwijs en m'n jobcoach helpt.", "" },
    { "nl", "Zo’n ideeën-lijst met auto’s en baby's is handig.", "" },
    /* Abbreviations, digits, single letters. */
    { "nl", "Via het UWV naar mbo2, PrO of VSO. Ik had een 8 voor t en k.", "" },
    /* URLs, e-mail addresses, file names. */
    { "nl", "Zie https://www.voorbeeldschoool.nl/stagge of mail jan@stagge.nl en lees verslag.docx", "" },
    { "nl", "Kijk op www.werkgevr.nl voor de werkgevr.", "werkgevr" },
    /* Speaker labels are not words of the text. */
    { "nl", "Intervieuwer: hoe gaat het?\nLeerlng 2: goed, de stagge is leuk.", "stagge" },
    /* A trailing apostrophe is not part of the word; quotes and brackets
     * around words do not matter. */
    { "nl", "Die jongens' fietsen, \"werkgevr\" (stagge).", "werkgevr|stagge" },
    { "en", "My employr said the internship was fine.", "employr" },
    { "en", "", "" },
    { "nl", "   \n\n  ", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GArray) ranges = cw_spell_find_misspellings (checker, NULL, cases[i].language,
                                                             cases[i].text, 0, -1);
      g_autoptr(GString) got = g_string_new (NULL);

      for (guint j = 0; j < ranges->len; j++)
        {
          CwSpellRange *r = &g_array_index (ranges, CwSpellRange, j);
          const char *s = g_utf8_offset_to_pointer (cases[i].text, r->start);
          const char *e = g_utf8_offset_to_pointer (cases[i].text, r->end);

          g_string_append_printf (got, "%s%.*s", j > 0 ? "|" : "", (int) (e - s), s);
        }
      if (strcmp (got->str, cases[i].flagged) != 0)
        g_error ("“%s”: flagged “%s”, expected “%s”", cases[i].text, got->str, cases[i].flagged);
    }
}

static void
test_offsets (void)
{
  /* Multi-byte characters before the word: offsets count code points. */
  const char *text = "Één café, ideeën… 😀 werkgevr—stagge ’t";
  g_autoptr(GArray) ranges = cw_spell_find_misspellings (checker, NULL, "nl", text, 0, -1);
  g_autoptr(GArray) part = NULL;
  gint64 start, end;

  g_assert_cmpuint (ranges->len, ==, 2);
  cw_test_assert_substring (text, g_array_index (ranges, CwSpellRange, 0).start,
                            g_array_index (ranges, CwSpellRange, 0).end, "werkgevr");
  cw_test_assert_substring (text, g_array_index (ranges, CwSpellRange, 1).start,
                            g_array_index (ranges, CwSpellRange, 1).end, "stagge");
  g_assert_cmpint (g_array_index (ranges, CwSpellRange, 0).start, ==, 20);

  /* A range cutting into a word checks the whole word; words outside
   * the range are left alone. */
  part = cw_spell_find_misspellings (checker, NULL, "nl", text, 23, 24);
  g_assert_cmpuint (part->len, ==, 1);
  g_assert_cmpint (g_array_index (part, CwSpellRange, 0).start, ==, 20);
  g_assert_cmpint (g_array_index (part, CwSpellRange, 0).end, ==, 28);
  g_clear_pointer (&part, g_array_unref);

  /* An empty range (the cursor) touching the word's end. */
  part = cw_spell_find_misspellings (checker, NULL, "nl", text, 28, 28);
  g_assert_cmpuint (part->len, ==, 1);
  g_clear_pointer (&part, g_array_unref);
  part = cw_spell_find_misspellings (checker, NULL, "nl", text, 0, 19);
  g_assert_cmpuint (part->len, ==, 0);
  g_clear_pointer (&part, g_array_unref);

  /* Past the end of the text: nothing, no crash. */
  part = cw_spell_find_misspellings (checker, NULL, "nl", text, 1000, 2000);
  g_assert_cmpuint (part->len, ==, 0);
  g_clear_pointer (&part, g_array_unref);

  /* What the window clears after a keystroke inside "werkgevr—stagge". */
  start = 22;
  end = 23;
  cw_spell_extend_to_words (text, &start, &end);
  g_assert_cmpint (start, ==, 20);
  cw_test_assert_substring (text, start, end, "werkgevr—stagge");
  /* The cursor right after a word touches it (and not the next one). */
  start = end = 19;
  cw_spell_extend_to_words (text, &start, &end);
  cw_test_assert_substring (text, start, end, "😀");
  start = end = 1000;
  cw_spell_extend_to_words (text, &start, &end);
  g_assert_cmpint (start, ==, 1000);
  g_assert_cmpint (end, ==, 1000);
}

static void
test_hostile_text (void)
{
  g_autoptr(GString) long_word = g_string_new ("Ik ");
  g_autoptr(GArray) ranges = NULL;
  gint64 start = 0, end = 5;

  /* Not UTF-8: nothing flagged, nothing read past the end. */
  ranges = cw_spell_find_misspellings (checker, NULL, "nl", "werkgevr \xff\xfe stagge", 0, -1);
  g_assert_cmpuint (ranges->len, ==, 0);
  g_clear_pointer (&ranges, g_array_unref);
  cw_spell_extend_to_words ("ab \xc3", &start, &end);
  g_assert_true (cw_spell_checker_check (checker, "nl", "\xc3("));
  g_assert_true (cw_spell_checker_check (checker, "xx", "werkgevr")); /* unknown language */

  /* An endless "word" is not checked (Hunspell has a length limit). */
  for (int i = 0; i < 10000; i++)
    g_string_append (long_word, "werkgevr");
  g_string_append (long_word, " stagge");
  ranges = cw_spell_find_misspellings (checker, NULL, "nl", long_word->str, 0, -1);
  g_assert_cmpuint (ranges->len, ==, 1);
  g_assert_cmpint (g_array_index (ranges, CwSpellRange, 0).start, ==, 3 + 80000 + 1);
}

/* Random mixes of words, marks, labels, URLs, and sometimes broken bytes,
 * with random ranges: results stay inside the text and the range, in
 * order, and agree with checking the whole text. */
static void
test_random_text (void)
{
  static const char *const pieces[] = {
    "werkgevr", "stagge", "de", "ideeën", "’t", "m'n", "-", "'", ":", "\n",
    "Interviewer: ", " ", "  ", "😀", "e\xcc\x81", "www.", ".nl", "@", "UWV",
    "12", "praktijkonderwijs-", "leerlingg", "\xff", "\xc3", "…", "\t",
  };
  GRand *rand = g_rand_new_with_seed (8);

  for (int round = 0; round < 300; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GArray) all = NULL;
      gboolean valid;
      glong n_chars;
      gint64 start, end;

      for (int i = g_rand_int_range (rand, 0, 40); i > 0; i--)
        {
          const char *piece = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];

          /* Broken bytes in a tenth of the texts only. */
          if ((guchar) piece[0] >= 0xc3 && piece[1] == '\0' && round % 10 != 0)
            continue;
          g_string_append (text, piece);
        }
      valid = g_utf8_validate (text->str, -1, NULL);
      n_chars = valid ? g_utf8_strlen (text->str, -1) : (glong) text->len;
      start = g_rand_int_range (rand, 0, n_chars + 2);
      end = g_rand_int_range (rand, -1, n_chars + 2);

      all = cw_spell_find_misspellings (checker, NULL, "nl", text->str, 0, -1);
      {
        g_autoptr(GArray) ranges = cw_spell_find_misspellings (checker, NULL, "nl", text->str, start, end);
        gint64 s = start, e = end;

        for (guint i = 0; i < ranges->len; i++)
          {
            CwSpellRange *r = &g_array_index (ranges, CwSpellRange, i);
            gboolean found = FALSE;

            g_assert_cmpint (r->start, >=, 0);
            g_assert_cmpint (r->start, <, r->end);
            g_assert_cmpint (r->end, <=, n_chars);
            if (i > 0)
              g_assert_cmpint (r->start, >=, g_array_index (ranges, CwSpellRange, i - 1).end);
            if (valid)
              {
                for (guint j = 0; j < all->len; j++)
                  found |= g_array_index (all, CwSpellRange, j).start == r->start &&
                           g_array_index (all, CwSpellRange, j).end == r->end;
                g_assert_true (found);
              }
          }
        cw_spell_extend_to_words (text->str, &s, &e);
        g_assert_cmpint (s, <=, MAX (start, 0));
        g_assert_cmpint (s, >=, 0);
      }
    }
  g_rand_free (rand);
}

static void
test_ignore (void)
{
  g_autoptr(CwSpellChecker) own = cw_spell_checker_new (NULL);
  const char *text = "De werkgevr en de stagge.";
  g_autoptr(GArray) ranges = NULL;

  g_assert_true (cw_spell_checker_load (own, "nl", NULL));
  g_assert_false (cw_spell_checker_check (own, "nl", "stagge"));
  cw_spell_checker_ignore (own, "stagge");
  g_assert_true (cw_spell_checker_is_ignored (own, "stagge"));
  g_assert_true (cw_spell_checker_check (own, "nl", "stagge"));
  ranges = cw_spell_find_misspellings (own, NULL, "nl", text, 0, -1);
  g_assert_cmpuint (ranges->len, ==, 1);
  cw_test_assert_substring (text, g_array_index (ranges, CwSpellRange, 0).start,
                            g_array_index (ranges, CwSpellRange, 0).end, "werkgevr");
  /* As spelled: a capitalised form is a different word. */
  g_assert_false (cw_spell_checker_check (own, "nl", "Stagge"));
  /* Only this checker, not the shared one. */
  g_assert_false (cw_spell_checker_check (checker, "nl", "stagge"));
  g_assert_finalize_object (g_steal_pointer (&own));
}

static void
on_changed (CwProject *project,
            guint     *count)
{
  (void) project;
  (*count)++;
}

static void
test_word_list (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autofree char *path = g_strdup (cw_project_get_path (project));
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) words = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_auto(GStrv) list = NULL;
  const char *text = "Ik zit op het Dockinga, daarna het vakcollege en de Vakcollege-stagge.";
  guint changed = 0;

  g_signal_connect (project, "changed", G_CALLBACK (on_changed), &changed);
  ranges = cw_spell_find_misspellings (checker, NULL, "nl", text, 0, -1);
  g_assert_cmpuint (ranges->len, ==, 3);
  g_clear_pointer (&ranges, g_array_unref);

  g_assert_true (cw_project_add_word (project, "Dockinga", &error));
  g_assert_no_error (error);
  g_assert_true (cw_project_add_word (project, "  vakcollege ", &error)); /* trimmed */
  g_assert_no_error (error);
  g_assert_true (cw_project_add_word (project, "Dockinga", &error)); /* again: nothing */
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 2);

  g_assert_false (cw_project_add_word (project, "twee woorden", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_add_word (project, "   ", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_add_word (project, "\xff", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  /* The lower-case "vakcollege" also accepts "Vakcollege"; the hyphenated
   * word still has a wrong part. */
  words = cw_project_get_word_set (project, &error);
  g_assert_no_error (error);
  g_assert_true (cw_spell_checker_check_with_words (checker, words, "nl", "Dockinga"));
  g_assert_false (cw_spell_checker_check_with_words (checker, words, "nl", "dockinga"));
  ranges = cw_spell_find_misspellings (checker, words, "nl", text, 0, -1);
  g_assert_cmpuint (ranges->len, ==, 1);
  cw_test_assert_substring (text, g_array_index (ranges, CwSpellRange, 0).start,
                            g_array_index (ranges, CwSpellRange, 0).end, "Vakcollege-stagge");
  g_clear_pointer (&ranges, g_array_unref);
  g_clear_pointer (&words, g_hash_table_unref);

  /* Shared through the file: another coder opening it sees the list. */
  g_clear_object (&project);
  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  list = cw_project_list_words (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (list), ==, 2);
  g_assert_cmpstr (list[0], ==, "Dockinga");
  g_assert_cmpstr (list[1], ==, "vakcollege");
  g_clear_pointer (&list, g_strfreev);

  changed = 0;
  g_signal_connect (project, "changed", G_CALLBACK (on_changed), &changed);
  g_assert_true (cw_project_remove_word (project, "Dockinga", &error));
  g_assert_no_error (error);
  g_assert_true (cw_project_remove_word (project, "Dockinga", &error)); /* gone: nothing */
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  words = cw_project_get_word_set (project, &error);
  g_assert_cmpuint (g_hash_table_size (words), ==, 1);
  g_assert_false (cw_spell_checker_check_with_words (checker, words, "nl", "Dockinga"));
  /* Typographic and straight apostrophes are one word in the list. */
  g_assert_true (cw_project_add_word (project, "Mo’s", &error));
  g_clear_pointer (&words, g_hash_table_unref);
  words = cw_project_get_word_set (project, &error);
  g_assert_true (cw_spell_checker_check_with_words (checker, words, "nl", "Mo's"));
  g_assert_true (cw_spell_checker_check_with_words (checker, words, "nl", "Mo’s"));

  g_clear_pointer (&words, g_hash_table_unref);
  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

static void
test_missing_dictionary (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwSpellChecker) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_auto(GStrv) suggestions = NULL;

  /* The environment decides where dictionaries are looked for. */
  g_setenv ("CODEWERK_HUNSPELL_DIR", dir, TRUE);
  own = cw_spell_checker_new (NULL);
  g_assert_false (cw_spell_checker_load (own, "nl", &error));
  g_assert_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_NO_DICTIONARY);
  g_assert_nonnull (strstr (error->message, "nl.dic"));
  g_assert_nonnull (strstr (error->message, "hunspell-nl"));
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);
  g_unsetenv ("CODEWERK_HUNSPELL_DIR");

  /* Looked for once: the same answer, the app carries on unchecked. */
  g_assert_false (cw_spell_checker_load (own, "nl", &error));
  g_assert_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_NO_DICTIONARY);
  g_clear_error (&error);
  g_assert_false (cw_spell_checker_is_loaded (own, "nl"));
  g_assert_true (cw_spell_checker_check (own, "nl", "werkgevr"));
  ranges = cw_spell_find_misspellings (own, NULL, "nl", "De werkgevr.", 0, -1);
  g_assert_cmpuint (ranges->len, ==, 0);
  suggestions = cw_spell_checker_suggest (own, "nl", "werkgevr");
  g_assert_cmpuint (g_strv_length (suggestions), ==, 0);

  /* English, from an explicit directory without it, says its package. */
  g_clear_object (&own);
  own = cw_spell_checker_new (dir);
  g_assert_false (cw_spell_checker_load (own, "en", &error));
  g_assert_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_NO_DICTIONARY);
  g_assert_nonnull (strstr (error->message, "en_US.dic"));
  g_assert_nonnull (strstr (error->message, "hunspell-en-us"));
  g_clear_error (&error);

  g_assert_false (cw_spell_checker_load (own, "fr", &error));
  g_assert_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_UNKNOWN_LANGUAGE);

  g_assert_finalize_object (g_steal_pointer (&own));
  cw_test_remove_dir (dir);
}

typedef struct
{
  const char *text;
  const char *language;
} DetectCase;

static void
test_detect_language (void)
{
  static const DetectCase cases[] = {
    { "Ik vond de stage bij de supermarkt wel leuk, maar het was niet altijd makkelijk.", "nl" },
    { "Interviewer: Hoe ging het op school?\nJongere: Gewoon, ja. Ik had een jobcoach.", "nl" },
    { "I liked the internship, but it was not easy and the employer did not help.", "en" },
    { "Interviewer: How did you find the job?\nR: My uncle knew the boss, so that helped.", "en" },
    { "", "nl" },
    { "1234 5678 ...", "nl" },
    { "Stage. Supermarkt. Jobcoach.", "nl" }, /* no function words: default */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (cw_detect_language (cases[i].text), ==, cases[i].language);
  g_assert_cmpstr (cw_detect_language ("\xff\xfe the the the"), ==, "nl");
}

static void
test_detect_first_part (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* Decided on the beginning: English after 5,000 Dutch characters does
   * not count. */
  while (text->len < 6000)
    g_string_append (text, "Ik ben op stage en het gaat wel. ");
  for (int i = 0; i < 2000; i++)
    g_string_append (text, "the and the that ");
  g_assert_cmpstr (cw_detect_language (text->str), ==, "nl");
}

static void
test_document_language (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autofree char *path = g_strdup (cw_project_get_path (project));
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  gint64 nl_id, en_id;
  guint changed = 0;
  sqlite3 *db;

  g_ptr_array_add (files, cw_test_write_file (dir, "nl.txt",
                                              "Interviewer: Hoe was de stage?\n"
                                              "Jongere: Niet zo leuk, ik moest de hele dag vegen.\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "en.txt",
                                              "Interviewer: How was the internship?\n"
                                              "Student: It was fine, but I did not like the boss.\n"));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  nl_id = g_array_index (ids, gint64, 0);
  en_id = g_array_index (ids, gint64, 1);

  language = cw_project_get_document_language (project, nl_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (language, ==, "nl");
  g_clear_pointer (&language, g_free);
  language = cw_project_get_document_language (project, en_id, &error);
  g_assert_cmpstr (language, ==, "en");
  g_clear_pointer (&language, g_free);

  /* Detected once and stored. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM documents WHERE language IS NOT NULL"), ==, 2);
  sqlite3_close (db);

  /* The coder overrides it; that survives reopening. */
  g_signal_connect (project, "changed", G_CALLBACK (on_changed), &changed);
  g_assert_true (cw_project_set_document_language (project, nl_id, "en", &error));
  g_assert_no_error (error);
  g_assert_true (cw_project_set_document_language (project, nl_id, "en", &error));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_false (cw_project_set_document_language (project, nl_id, "de", &error));
  g_assert_error (error, CW_SPELL_ERROR, CW_SPELL_ERROR_UNKNOWN_LANGUAGE);
  g_clear_error (&error);
  g_assert_false (cw_project_set_document_language (project, 999, "nl", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  language = cw_project_get_document_language (project, 999, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_null (language);
  g_clear_error (&error);

  g_clear_object (&project);
  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  language = cw_project_get_document_language (project, nl_id, &error);
  g_assert_cmpstr (language, ==, "en");

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

typedef struct
{
  guint  pending;
  GError *errors[2];
} LoadData;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadData *data = user_data;

  /* Finished on the main context, not in the worker. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  data->pending--;
  cw_spell_checker_load_finish (CW_SPELL_CHECKER (source), result, &data->errors[data->pending]);
}

static void
test_load_async (void)
{
  g_autoptr(CwSpellChecker) own = cw_spell_checker_new (NULL);
  LoadData data = { 2, { NULL, NULL } };

  g_assert_false (cw_spell_checker_is_loaded (own, "nl"));
  /* Not loaded yet: nothing is flagged, and asking does not block. */
  g_assert_true (cw_spell_checker_check (own, "nl", "werkgevr"));

  /* Two loads at once read the files once and both succeed. */
  cw_spell_checker_load_async (own, "nl", NULL, on_loaded, &data);
  cw_spell_checker_load_async (own, "nl", NULL, on_loaded, &data);
  while (data.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (data.errors[0]);
  g_assert_no_error (data.errors[1]);
  g_assert_true (cw_spell_checker_is_loaded (own, "nl"));
  g_assert_false (cw_spell_checker_is_loaded (own, "en"));
  g_assert_false (cw_spell_checker_check (own, "nl", "werkgevr"));

  /* Loaded: completes at once (still through the main loop). */
  data.pending = 1;
  cw_spell_checker_load_async (own, "nl", NULL, on_loaded, &data);
  while (data.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (data.errors[0]);

  /* The worker drops its task (and its reference) just after the
   * callback has run. */
  while (g_atomic_int_get (&G_OBJECT (own)->ref_count) > 1)
    g_usleep (1000);
  g_assert_finalize_object (g_steal_pointer (&own));
}

static gpointer
check_in_thread (gpointer text)
{
  GArray *ranges = NULL;

  for (int i = 0; i < 20; i++)
    {
      g_clear_pointer (&ranges, g_array_unref);
      ranges = cw_spell_find_misspellings (checker, NULL, "nl", text, 0, -1);
    }
  return ranges;
}

static void
test_threads (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GThread *threads[4];

  for (int i = 0; i < 50; i++)
    g_string_append_printf (text, "De werkgevr%d en de stagge%c bij het praktijkonderwijs. ", i, 'a' + i % 26);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("spell", check_in_thread, text->str);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autoptr(GArray) ranges = g_thread_join (threads[i]);

      /* "werkgevr12" touches a digit: not checked; "staggea" is flagged. */
      g_assert_cmpuint (ranges->len, ==, 50);
    }
}

int
main (int argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("CODEWERK_HUNSPELL_DIR");

  checker = cw_spell_checker_new (NULL);
  if (!cw_spell_checker_load (checker, "nl", &error) || !cw_spell_checker_load (checker, "en", &error))
    g_error ("the Debian dictionaries (hunspell-nl, hunspell-en-us) are needed: %s", error->message);

  g_test_add_func ("/spell/dutch-words", test_dutch_words);
  g_test_add_func ("/spell/english-words", test_english_words);
  g_test_add_func ("/spell/suggest", test_suggest);
  g_test_add_func ("/spell/suggest-async", test_suggest_async);
  g_test_add_func ("/spell/find-rules", test_find_rules);
  g_test_add_func ("/spell/offsets", test_offsets);
  g_test_add_func ("/spell/hostile-text", test_hostile_text);
  g_test_add_func ("/spell/random-text", test_random_text);
  g_test_add_func ("/spell/ignore", test_ignore);
  g_test_add_func ("/spell/word-list", test_word_list);
  g_test_add_func ("/spell/missing-dictionary", test_missing_dictionary);
  g_test_add_func ("/spell/detect-language", test_detect_language);
  g_test_add_func ("/spell/detect-first-part", test_detect_first_part);
  g_test_add_func ("/spell/document-language", test_document_language);
  g_test_add_func ("/spell/load-async", test_load_async);
  g_test_add_func ("/spell/threads", test_threads);

  status = g_test_run ();
  g_assert_finalize_object (checker);
  return status;
}
