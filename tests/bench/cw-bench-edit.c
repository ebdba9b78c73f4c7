/* cw-bench-edit: issue 8's typing figure. Types 1,000 characters into the
 * middle of a 60,000-character transcript with 500 codings, one
 * cw_project_edit_text per keystroke inside an edit burst, each followed
 * by a spell check of the word at the cursor (as the window does), and
 * reports p50/p95/max per keystroke. Also times the burst's end (the
 * index), its undo and redo, and a few keystrokes outside a burst (each
 * its own step with a re-index: what the burst saves).
 *
 *   cw-bench-edit [--keystrokes N] [--characters N] [--codings N] [--no-spell]
 *
 * Run from a release build; the project is made in a temporary folder.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-edit.h"
#include "cw-history.h"
#include "cw-spell.h"

static const char *const words[] = {
  "ik", "ging", "naar", "de", "stage", "bij", "een", "bakker", "en", "dat", "was", "best", "moeilijk",
  "omdat", "ik", "steeds", "te", "laat", "kwam", "mijn", "jobcoach", "belde", "niet", "terug", "school",
  "praktijkonderwijs", "werk", "hovenier", "gaat", "goed", "nu", "wil", "later", "graag", "monteur",
  "worden", "maar", "eerst", "diploma", "halen", "mentor", "zegt", "dat", "het", "lukt",
};

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *times,
            double  p)
{
  guint i;

  g_array_sort (times, compare_double);
  i = (guint) (p * (times->len - 1) + 0.5);
  return g_array_index (times, double, i);
}

static char *
make_transcript (gint64 characters)
{
  GString *text = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (8);
  gint64 n = 0;
  guint turn = 0;

  while (n < characters)
    {
      const char *speaker = turn++ % 2 ? "Jongere: " : "Interviewer: ";
      guint length = 150 + g_rand_int_range (rand, 0, 300);
      guint k = 0;

      g_string_append (text, speaker);
      n += strlen (speaker);
      while (k < length)
        {
          const char *w = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          g_string_append (text, w);
          g_string_append_c (text, k + strlen (w) + 1 >= length ? '.' : ' ');
          k += strlen (w) + 1;
        }
      g_string_append_c (text, '\n');
      n += k + 1;
    }
  g_rand_free (rand);
  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  gint keystrokes = 1000, characters = 60000, n_codings = 500, unburst = 20;
  gboolean no_spell = FALSE;
  GOptionEntry entries[] = {
    { "keystrokes", 0, 0, G_OPTION_ARG_INT, &keystrokes, "keystrokes to type", "N" },
    { "characters", 0, 0, G_OPTION_ARG_INT, &characters, "length of the transcript", "N" },
    { "codings", 0, 0, G_OPTION_ARG_INT, &n_codings, "codings in it", "N" },
    { "no-spell", 0, 0, G_OPTION_ARG_NONE, &no_spell, "time without the spell check", NULL },
    { NULL },
  };
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;
  g_autofree char *transcript = NULL;
  g_autofree char *text = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) plain = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GRand) rand = NULL;
  CwSpellChecker *spell = NULL;
  const char *sentence = " en toen zei mijn mentor dat ik het best goed deed op mijn stage bij de hovenier,"
                         " al kwam ik soms te laat omdat de bus niet reed.";
  gint64 codes[8], doc, cursor, length;
  gint64 removed = 0;
  guint misspelled = 0;
  double t0, end_burst, undo_time, redo_time;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("cw-bench-edit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "bench.cwp", NULL);
  file = g_build_filename (dir, "transcript.txt", NULL);
  transcript = make_transcript (characters);
  g_assert_true (g_file_set_contents (file, transcript, -1, &error));

  project = cw_project_create (path, "bench", &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, g_file_new_for_path (file));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = g_array_index (ids, gint64, 0);
  text = cw_project_get_text (project, doc, &error);
  length = g_utf8_strlen (text, -1);

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *name = g_strdup_printf ("Thema/Code %u", i);

      codes[i] = cw_project_add_code (project, name, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  rand = g_rand_new_with_seed (500);
  for (int i = 0; i < n_codings; i++)
    {
      gint64 start = g_rand_int_range (rand, 0, (gint32) length - 400);
      gint64 end = start + g_rand_int_range (rand, 20, 400);
      const char *coder = i % 3 ? "Anna" : "Bram";

      cw_project_add_coding (project, doc, codes[i % G_N_ELEMENTS (codes)], start, end, coder, NULL, &error);
      g_assert_no_error (error);
    }

  if (!no_spell)
    {
      spell = cw_spell_checker_new (NULL);
      if (!cw_spell_checker_load (spell, "nl", &error))
        {
          g_printerr ("no Dutch dictionary (%s): timing without the spell check\n", error->message);
          g_clear_error (&error);
          g_clear_object (&spell);
        }
    }

  /* Type into the middle, the burst open as in the window's edit mode. */
  cursor = length / 2;
  g_assert_true (cw_project_begin_edit_burst (project, doc, NULL, &error));
  for (int k = 0; k < keystrokes; k++)
    {
      char c[2] = { sentence[k % strlen (sentence)], 0 };
      g_autoptr(CwEditResult) result = NULL;
      g_autofree char *next = NULL;
      const char *at;
      double t;

      /* The window's copy of the text (its buffer), outside the timing. */
      at = g_utf8_offset_to_pointer (text, cursor);
      next = g_malloc (strlen (text) + 2);
      memcpy (next, text, at - text);
      next[at - text] = c[0];
      strcpy (next + (at - text) + 1, at);

      t = g_get_monotonic_time ();
      if (!cw_project_edit_text (project, doc, cursor, cursor, c, &result, &error))
        g_error ("%s", error->message);
      removed += result->removed->len;
      if (spell != NULL)
        {
          /* The word at the cursor, from the window's copy. */
          gint64 s = cursor, e = cursor + 1;
          g_autoptr(GArray) bad = NULL;

          cw_spell_extend_to_words (next, &s, &e);
          bad = cw_spell_find_misspellings (spell, NULL, "nl", next, s, e);
          misspelled += bad->len;
        }
      t = (g_get_monotonic_time () - t) / 1000.0;
      g_array_append_val (times, t);
      g_free (text);
      text = g_steal_pointer (&next);
      cursor++;
    }

  t0 = g_get_monotonic_time ();
  g_assert_true (cw_project_end_edit_burst (project, &error));
  end_burst = (g_get_monotonic_time () - t0) / 1000.0;
  {
    g_autoptr(GPtrArray) hits = cw_project_search (project, "hovenier", doc, 0, NULL, &error);
    g_assert_no_error (error);
  }
  t0 = g_get_monotonic_time ();
  g_assert_true (cw_project_undo (project, &error));
  undo_time = (g_get_monotonic_time () - t0) / 1000.0;
  t0 = g_get_monotonic_time ();
  g_assert_true (cw_project_redo (project, &error));
  redo_time = (g_get_monotonic_time () - t0) / 1000.0;

  /* Without a burst: every keystroke its own step, snapshot and re-index. */
  for (int k = 0; k < unburst; k++)
    {
      double t = g_get_monotonic_time ();

      if (!cw_project_edit_text (project, doc, cursor, cursor, "x", NULL, &error))
        g_error ("%s", error->message);
      t = (g_get_monotonic_time () - t) / 1000.0;
      g_array_append_val (plain, t);
      cursor++;
    }

  g_print ("document: %" G_GINT64_FORMAT " characters, %d codings requested, %s\n",
           length, n_codings, spell != NULL ? "spell check of the word included (nl)" : "no spell check");
  g_print ("keystrokes: %d in a burst; per keystroke p50 %.3f ms, p95 %.3f ms, max %.3f ms"
           " (codings removed %" G_GINT64_FORMAT ", words flagged %u)\n",
           keystrokes, percentile (times, 0.5), percentile (times, 0.95), percentile (times, 1.0), removed,
           misspelled);
  g_print ("end of burst (re-index): %.2f ms; undo of the burst %.2f ms; redo %.2f ms\n",
           end_burst, undo_time, redo_time);
  g_print ("outside a burst (own step + re-index each): p50 %.3f ms, p95 %.3f ms over %d keystrokes\n",
           percentile (plain, 0.5), percentile (plain, 0.95), unburst);

  g_clear_object (&spell);
  g_clear_object (&project);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *f = g_build_filename (dir, name, NULL);
        g_unlink (f);
      }
    g_rmdir (dir);
  }
  return 0;
}
