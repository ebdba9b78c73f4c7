/* cw-bench-spell: the spell checker's figures for issue 8.
 *
 *   cw-bench-spell [--runs N] [--list] [EXAMPLES_DIR]
 *
 * Dictionary load time per language (a fresh checker each run); checking
 * one word, first time (Hunspell) and again (cache); a whole 60,000
 * character document; and the spell part of a keystroke: 1,000 characters
 * typed into the middle of that document, each followed by
 * cw_spell_extend_to_words + cw_spell_find_misspellings on the whole
 * text, as the window does. --list prints the words flagged in the
 * example transcripts. Timings: best and median of runs, p50/p95 of
 * per-item times. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cw-spell.h"

/* Nanoseconds: one cached check is well under a microsecond. */
static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  gsize i;

  if (values->len == 0)
    return 0;
  qsort (values->data, values->len, sizeof (double), compare_doubles);
  i = (gsize) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, i);
}

static char *
read_examples (const char *dir)
{
  static const char *const names[] = {
    "arena-praktijkschool-de-brug.txt",
    "werkgever-interview-bakkerij.txt",
    "werkgever-interview-groenvoorziening.txt",
  };
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_file_get_contents (path, &contents, NULL, &error))
        g_error ("%s", error->message);
      /* One example is Windows-1252 on purpose (for the importer). */
      if (!g_utf8_validate (contents, -1, NULL))
        {
          char *utf8 = g_convert (contents, -1, "UTF-8", "WINDOWS-1252", NULL, NULL, &error);

          if (utf8 == NULL)
            g_error ("%s: %s", path, error->message);
          g_free (contents);
          contents = utf8;
        }
      g_string_append (text, contents);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

static void
bench_load (const char *language,
            int         runs)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < runs; i++)
    {
      g_autoptr(CwSpellChecker) checker = cw_spell_checker_new (NULL);
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double ms;

      if (!cw_spell_checker_load (checker, language, &error))
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (times, ms);
    }
  qsort (times->data, times->len, sizeof (double), compare_doubles);
  g_print ("| load %s | best %.0f ms | median %.0f ms |\n", language,
           g_array_index (times, double, 0), percentile (times, 0.5));
}

/* The distinct words of text, by a plain split on non-letters. */
static GPtrArray *
distinct_words (const char *text)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalpha (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p > start)
        {
          char *word = g_strndup (start, p - start);

          /* contains, not add: add would swap in the key freed below. */
          if (!g_hash_table_contains (seen, word))
            {
              g_hash_table_add (seen, word);
              g_ptr_array_add (words, word);
            }
          else
            g_free (word);
        }
    }
  return words;
}

static void
bench_words (CwSpellChecker *checker,
             GPtrArray      *words)
{
  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint i = 0; i < words->len; i++)
        {
          gint64 t0 = now_ns ();
          double us;

          cw_spell_checker_check (checker, "nl", words->pdata[i]);
          us = (now_ns () - t0) / 1000.0;
          g_array_append_val (times, us);
        }
      g_print ("| check one word, %s (%u words) | p50 %.2f us | p95 %.2f us |\n",
               pass == 0 ? "first time" : "again", words->len,
               percentile (times, 0.5), percentile (times, 0.95));
    }
}

static void
bench_document (CwSpellChecker *checker,
                const char     *text,
                int             runs)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint flagged = 0;

  for (int i = 0; i < runs; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(GArray) ranges = cw_spell_find_misspellings (checker, NULL, "nl", text, 0, -1);
      double ms = (g_get_monotonic_time () - t0) / 1000.0;

      flagged = ranges->len;
      g_array_append_val (times, ms);
    }
  qsort (times->data, times->len, sizeof (double), compare_doubles);
  {
    /* First time: every word goes to Hunspell (a fresh cache). */
    g_autoptr(CwSpellChecker) fresh = cw_spell_checker_new (NULL);
    g_autoptr(GArray) ranges = NULL;
    gint64 t0;

    cw_spell_checker_load (fresh, "nl", NULL);
    t0 = g_get_monotonic_time ();
    ranges = cw_spell_find_misspellings (fresh, NULL, "nl", text, 0, -1);
    g_print ("| whole document, first time | %.1f ms | |\n", (g_get_monotonic_time () - t0) / 1000.0);
  }
  g_print ("| whole document (%ld characters, %u flagged), cached | best %.1f ms | median %.1f ms |\n",
           g_utf8_strlen (text, -1), flagged, g_array_index (times, double, 0), percentile (times, 0.5));
}

static void
bench_typing (CwSpellChecker *checker,
              const char     *document)
{
  static const char typed[] =
    "de jongere heeft na lang zoeken een stageplek gevonden bij een bakkerij in het dorp, "
    "en zijn jobcoach komt elke week langs om te kijken hoe het gaat met de werkgevr. ";
  g_autoptr(GString) text = g_string_new (document);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  gint64 pos = g_utf8_strlen (document, -1) / 2;
  const char *t = typed;

  /* Start at a line start so the typing does not split a word. */
  while (pos > 0 && *g_utf8_offset_to_pointer (text->str, pos - 1) != '\n')
    pos--;

  for (int i = 0; i < 1000; i++)
    {
      gunichar ch = g_utf8_get_char (t);
      gint64 start = pos, end = pos + 1, t0;
      double us;

      g_string_insert_unichar (text, g_utf8_offset_to_pointer (text->str, pos) - text->str, ch);
      t0 = now_ns ();
      cw_spell_extend_to_words (text->str, &start, &end);
      {
        g_autoptr(GArray) ranges = cw_spell_find_misspellings (checker, NULL, "nl", text->str, start, end);
      }
      us = (now_ns () - t0) / 1000.0;
      g_array_append_val (times, us);
      pos++;
      t = g_utf8_next_char (t);
      if (*t == '\0')
        t = typed;
    }
  g_print ("| keystroke: re-check the word on a %ld-character text | p50 %.0f us | p95 %.0f us |\n",
           g_utf8_strlen (text->str, -1), percentile (times, 0.5), percentile (times, 0.95));
}

int
main (int argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("[EXAMPLES_DIR]");
  g_autoptr(GError) error = NULL;
  g_autoptr(CwSpellChecker) checker = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GString) document = g_string_new (NULL);
  g_autofree char *examples = NULL;
  const char *dir;
  int runs = 5;
  gboolean list = FALSE;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per timing (default 5)", "N" },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "Print the words flagged in the examples", NULL },
    { NULL, 0, 0, 0, NULL, NULL, NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  dir = argc > 1 ? argv[1] : g_getenv ("CODEWERK_EXAMPLES");
  if (dir == NULL)
    dir = "examples";
  runs = MAX (runs, 1);

  examples = read_examples (dir);
  while (g_utf8_strlen (document->str, -1) < 60000)
    g_string_append (document, examples);
  g_string_truncate (document, g_utf8_offset_to_pointer (document->str, 60000) - document->str);

  g_print ("| what | best / p50 | median / p95 |\n| --- | --- | --- |\n");
  bench_load ("nl", runs);
  bench_load ("en", runs);

  checker = cw_spell_checker_new (NULL);
  if (!cw_spell_checker_load (checker, "nl", &error))
    g_error ("%s", error->message);
  words = distinct_words (examples);
  bench_words (checker, words);
  bench_document (checker, document->str, runs);
  bench_typing (checker, document->str);
  {
    static const char *const wrong[] = { "werkgevr", "stagge", "ideeen", "jobcoak", "praktijkonderwijs-leerlingg" };
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

    for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_auto(GStrv) suggestions = cw_spell_checker_suggest (checker, "nl", wrong[i]);
        double ms = (g_get_monotonic_time () - t0) / 1000.0;

        g_array_append_val (times, ms);
      }
    g_print ("| suggestions for a Dutch misspelling (%u words) | median %.0f ms | max %.0f ms |\n",
             times->len, percentile (times, 0.5), percentile (times, 1.0));
  }

  if (list)
    {
      g_autoptr(GArray) ranges = cw_spell_find_misspellings (checker, NULL, "nl", examples, 0, -1);

      g_print ("\nFlagged in the examples (%u):", ranges->len);
      for (guint i = 0; i < ranges->len; i++)
        {
          CwSpellRange *r = &g_array_index (ranges, CwSpellRange, i);
          const char *s = g_utf8_offset_to_pointer (examples, r->start);
          const char *e = g_utf8_offset_to_pointer (examples, r->end);

          g_print (" %.*s", (int) (e - s), s);
        }
      g_print ("\n");
    }
  return 0;
}
