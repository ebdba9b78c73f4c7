/* Search hits against FTS5's own reading of the text: cw_project_search
 * finds token positions with its own scanner (issue 12), and every hit
 * must be where FTS5's highlight() puts it, in text with the characters
 * that make tokenizing hard: diacritics precomposed and combining, other
 * scripts, four-byte letters, emoji, invisible separators, and words at
 * every alignment. Also: a limit gives the first hits of the whole list,
 * one document's hits are those of the whole list, and text that is not
 * well-formed UTF-8 is searched without harm. */
#include "config.h"

#include <string.h>

#include "cw-project.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  GArray    *ids;  /* gint64 */
} Fixture;

/* Words (some of them two tokens, or none) and what goes between them. */
static const char *const words[] = {
  "werk", "Werk", "WERK", "werkgever", "ideeën", "IDEEËN", "ideeen", "coördinator", "één", "naïef",
  "Élan", "ça", "Øresund", "þorn", "straße", "ß", "İstanbul", "ǅemal", "ﬁets",
  "x\xcc\x81y",               /* x, combining acute (no precomposed form), y */
  "\xcc\x81" "abc",           /* a combining acute where no token is open */
  "q\xcc\x83\xcc\x81",        /* q and two combining marks */
  "日本語", "中文", "Ελλάδα", "Москва", "עברית", "العربية", "हिन्दी", "ภาษาไทย",
  "\xf0\x9d\x90\x80\xf0\x9d\x90\x81", /* mathematical bold A and B: four-byte letters */
  "\xee\x80\x80" "pu",        /* a private-use character (category Co) */
  "①②", "Ⅻ", "42", "3,5", "2016", "x2",
  "a_b", "co-op", "don’t", "e-mail", "a·b", "µm", "ª", "º",
  "a\xe2\x80\x8b" "b",        /* zero-width space */
  "a\xc2\xad" "b",            /* soft hyphen */
  "a\xe2\x80\x8d" "b",        /* zero-width joiner */
  "😀", "👍🏽", "a😀b", "×", "÷", "a×b", "c÷d",
  "a", "ab", "abcdefg", "abcdefghijklmno", "abcdefghijklmnopqrstuvwxyz0123456789",
  "ëëëëëëëëëëëëëëëë", "aëaëaëaëaëaëaëaë", "Ëa", "aË",
};

static const char *const gaps[] = {
  " ", " ", " ", "  ", "\n", ", ", ". ", " – ", "\t", "\xc2\xa0", " (", ") ", "’", "…", " 😀 ", "\"", "\n\n",
  "-", "/", " × ", "\xe3\x80\x80", /* ideographic space */
};

/* Queries: each word, and some that hit several words or none. */
static const char *const extra_queries[] = {
  "werk*", "idee*", "\"werk werkgever\"", "werk OR werkgever", "werk NOT coördinator",
  "abc*", "a", "b", "xy", "x", "y", "q", "pu", "ab", "co", "op", "don", "t", "mail", "ë*", "nergens",
};

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);

  /* Three documents of random words: with some thousands of words, each
   * word meets each alignment to eight and sixteen bytes. */
  for (int d = 0; d < 3; d++)
    {
      g_autoptr(GString) text = g_string_new ("Interviewer: ");
      g_autofree char *name = g_strdup_printf ("doc%d.txt", d);

      for (int w = 0; w < 3000; w++)
        {
          g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          g_string_append (text, gaps[g_rand_int_range (rand, 0, G_N_ELEMENTS (gaps))]);
        }
      g_string_append (text, "einde");
      g_ptr_array_add (files, cw_test_write_file (fixture->dir, name, text->str));
    }
  fixture->ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->ids, g_array_unref);
  g_assert_finalize_object (g_steal_pointer (&fixture->project));
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The query as FTS5 reads it, for words and the extra queries: words are
 * quoted whole, as cw_project_search does. */
static char *
fts5_expression (const char *query)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) terms = g_strsplit (query, " ", -1);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *term = terms[i];
      gboolean prefix = g_str_has_suffix (term, "*") && strlen (term) > 1;

      if (g_str_equal (term, "OR") || g_str_equal (term, "NOT"))
        {
          g_string_append_printf (out, " %s ", term);
          continue;
        }
      if (out->len > 0 && !g_str_has_suffix (out->str, " "))
        g_string_append (out, " AND ");
      if (term[0] == '"')
        {
          /* A phrase: the rest of the query up to the closing quote. */
          g_autoptr(GString) phrase = g_string_new (term + 1);

          while (!g_str_has_suffix (phrase->str, "\"") && terms[i + 1] != NULL)
            g_string_append_printf (phrase, " %s", terms[++i]);
          g_string_truncate (phrase, phrase->len - 1);
          g_string_append_printf (out, "\"%s\"", phrase->str);
          continue;
        }
      g_string_append_c (out, '"');
      for (const char *p = term; *p && !(prefix && p[1] == '\0'); p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
      if (prefix)
        g_string_append (out, " *");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* "id:start-end|..." of FTS5's highlight(): its own tokenizer's reading. */
static char *
expected_hits (const char *path,
               const char *query)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *expression = fts5_expression (query);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT rowid, highlight(document_index, 0, char(1), char(2))"
                                       " FROM document_index WHERE document_index MATCH ?1 ORDER BY rowid",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *marked = (const char *) sqlite3_column_text (stmt, 1);
      gint64 chars = 0, start = -1;

      for (const char *p = marked; *p; p = g_utf8_next_char (p))
        {
          if (*p == '\1')
            start = chars;
          else if (*p == '\2')
            g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                                    out->len > 0 ? "|" : "", id, start, chars);
          else
            chars++;
        }
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
format_hits (GPtrArray *hits)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < hits->len; i++)
    {
      const CwSearchHit *hit = g_ptr_array_index (hits, i);

      g_string_append_printf (out, "%s%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT,
                              i > 0 ? "|" : "", hit->document_id, hit->start, hit->end);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
search (Fixture    *fixture,
        const char *query,
        gint64      document_id,
        guint       limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = cw_project_search (fixture->project, query, document_id, limit, NULL, &error);

  g_assert_no_error (error);
  return hits;
}

static GPtrArray *
all_queries (void)
{
  GPtrArray *queries = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_ptr_array_add (queries, (gpointer) words[i]);
  for (guint i = 0; i < G_N_ELEMENTS (extra_queries); i++)
    g_ptr_array_add (queries, (gpointer) extra_queries[i]);
  return queries;
}

static void
test_hits_where_fts5_has_them (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) queries = all_queries ();
  guint with_hits = 0;

  for (guint q = 0; q < queries->len; q++)
    {
      const char *query = g_ptr_array_index (queries, q);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = cw_project_search (fixture->project, query, 0, 0, NULL, &error);
      g_autofree char *got = NULL;
      g_autofree char *expected = NULL;

      /* Words that are no token at all ("😀", "×") are refused. */
      if (g_error_matches (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID))
        continue;
      g_assert_no_error (error);
      got = format_hits (hits);
      expected = expected_hits (cw_project_get_path (fixture->project), query);
      if (g_strcmp0 (got, expected) != 0)
        g_error ("query «%s»: expected «%.300s», got «%.300s»", query, expected, got);
      with_hits += hits->len > 0;

      /* Every hit covers what it says: the stored text at its offsets is
       * the snippet's marked part (which has spaces for line breaks). */
      for (guint i = 0; i < hits->len; i += 97)
        {
          const CwSearchHit *hit = g_ptr_array_index (hits, i);
          g_autofree char *text = cw_project_get_text (fixture->project, hit->document_id, &error);
          const char *from = g_utf8_offset_to_pointer (hit->snippet, hit->snippet_hit_start);
          const char *to = g_utf8_offset_to_pointer (hit->snippet, hit->snippet_hit_end);
          g_autofree char *marked = g_strndup (from, to - from);
          g_autofree char *covered = NULL;

          g_assert_no_error (error);
          from = g_utf8_offset_to_pointer (text, hit->start);
          to = g_utf8_offset_to_pointer (text, hit->end);
          covered = g_strdelimit (g_strndup (from, to - from), "\n\t\r", ' ');
          g_assert_cmpstr (covered, ==, marked);
        }
    }
  /* Nearly every query finds something: the comparison is not empty. */
  g_assert_cmpuint (with_hits, >, G_N_ELEMENTS (words) - 10);
}

static void
test_limit_and_scope (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *const queries[] = { "werk", "werk OR werk*", "werk*", "a", "ideeën OR idee*", "\"werk werkgever\"" };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) all = search (fixture, queries[q], 0, 0);
      g_autofree char *all_text = format_hits (all);
      static const guint limits[] = { 1, 2, 3, 7, 50, 333, 500 };

      g_assert_cmpuint (all->len, >, 3);

      /* A limit gives the first hits of the whole list, across documents
       * and inside one; the same words hit by two terms count once. */
      for (guint l = 0; l < G_N_ELEMENTS (limits); l++)
        {
          g_autoptr(GPtrArray) some = search (fixture, queries[q], 0, limits[l]);
          g_autofree char *some_text = format_hits (some);

          g_assert_cmpuint (some->len, ==, MIN (limits[l], all->len));
          g_assert_true (g_str_has_prefix (all_text, some_text));
          for (guint i = 0; i < some->len; i++)
            {
              const CwSearchHit *a = g_ptr_array_index (all, i), *b = g_ptr_array_index (some, i);

              g_assert_cmpstr (a->snippet, ==, b->snippet);
              g_assert_cmpstr (a->document, ==, b->document);
              g_assert_cmpint (a->snippet_hit_start, ==, b->snippet_hit_start);
              g_assert_cmpint (a->snippet_hit_end, ==, b->snippet_hit_end);
            }
        }

      /* One document's hits are its hits in the whole list. */
      for (guint d = 0; d < fixture->ids->len; d++)
        {
          gint64 id = g_array_index (fixture->ids, gint64, d);
          g_autoptr(GPtrArray) one = search (fixture, queries[q], id, 0);
          g_autoptr(GPtrArray) two = search (fixture, queries[q], id, 2);
          g_autoptr(GPtrArray) filtered = g_ptr_array_new ();
          g_autofree char *one_text = format_hits (one);
          g_autofree char *filtered_text = NULL;

          for (guint i = 0; i < all->len; i++)
            if (((CwSearchHit *) g_ptr_array_index (all, i))->document_id == id)
              g_ptr_array_add (filtered, g_ptr_array_index (all, i));
          filtered_text = format_hits (filtered);
          g_assert_cmpstr (one_text, ==, filtered_text);
          g_assert_cmpuint (two->len, ==, MIN (2, one->len));
        }
    }
}

/* Text that is not well-formed UTF-8 (written past the importer, which
 * refuses it) is searched the slow way, without harm. */
static void
test_malformed_text (Fixture       *fixture,
                     gconstpointer  data)
{
  /* Four times "werk" in each. */
  static const char *const texts[] = {
    "werk \xff werk\xc3 werk \x80\x80 werk",
    "\xe2\x82 werk \xf0\x9f\x98 werk werk, werk",
    "\xed\xa0\x80 werk \xc0\xaf werk werk. werk",   /* a surrogate and an overlong slash */
    "werk werk werk \xf8\x88\x80\x80\x80 werk",
    /* Bytes that would pass for letters of U+00C0..U+00FF, among ASCII. */
    "werk \xc3 a b c d e f g h i j k l m n o p q r s t u v w x y z werk werk werk",
    "werk \xa9 a b c d e f g h i j k l m n o p q r s t u v w x y z werk werk werk",
    "werk a b c d e f g h i j k \xc3\xc3 l m n o p q r s t u v w x y z werk werk werk",
  };
  const char *path = cw_project_get_path (fixture->project);
  gint64 id = g_array_index (fixture->ids, gint64, 0);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE documents SET text = ?1 WHERE id = ?2", -1, &stmt, NULL),
                       ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, texts[i], -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      sqlite3_close (db);

      hits = search (fixture, "werk", id, 0);
      g_assert_cmpuint (hits->len, ==, 4);
      for (guint h = 0; h < hits->len; h++)
        {
          const CwSearchHit *hit = g_ptr_array_index (hits, h);

          /* Characters counted as GLib steps through such bytes. */
          g_assert_cmpint (strncmp (g_utf8_offset_to_pointer (texts[i], hit->start), "werk", 4), ==, 0);

          g_assert_cmpint (hit->start, >=, 0);
          g_assert_cmpint (hit->end - hit->start, ==, 4);
          g_assert_cmpint (hit->snippet_hit_end - hit->snippet_hit_start, ==, 4);
        }
      g_clear_pointer (&hits, g_ptr_array_unref);
      hits = search (fixture, "werk", 0, 3);
      g_assert_cmpuint (hits->len, ==, 3);
    }
}

/* Texts are read a part at a time, as far as the hits need them: a hit
 * wherever the parts end (a word cut, a letter of two or three bytes cut)
 * is found where FTS5 has it, with the snippet it has where nothing is
 * cut (the same words at the start of a short text). */
static void
test_hits_across_reads (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  static const char *const heads[] = { "", "日本語 ", "coördinator ", "x\xcc\x81y ", "ëë " };
  static const guint tails[] = { 20, 400 };
  guint n_short = 0;

  /* The words: a hit near the start of a short text, then the same after
   * filler that puts it at each byte around the first read's end (16 KiB)
   * and the second's. */
  for (guint t = 0; t < G_N_ELEMENTS (tails); t++)
    for (guint h = 0; h < G_N_ELEMENTS (heads); h++)
      for (int shift = -1; shift <= 30; shift++)
        {
          g_autoptr(GString) words_around = g_string_new ("begin ");
          g_autoptr(GString) text = g_string_new (NULL);
          g_autofree char *name = g_strdup_printf ("t%u-h%u-s%d.txt", t, h, shift);

          for (int i = 0; i < 12; i++)
            g_string_append (words_around, "één twee ideeën ");
          g_string_append_printf (words_around, "%sdoelwoörd ", heads[h]);
          while (words_around->len < 200 + tails[t])
            g_string_append (words_around, "naïef en ");
          g_string_append (words_around, "eind");

          if (shift >= 0)
            {
              /* Filler so that the word starts at byte at, from 20 bytes
               * before a read's end to 10 after. */
              gsize at = (shift % 2 == 0 ? 16384 : 32768) - 20 + shift;
              gsize filler = at - (strstr (words_around->str, "doelwoörd") - words_around->str);

              while (text->len + 5 < filler)
                g_string_append (text, "vul ");
              while (text->len + 1 < filler)
                g_string_append_c (text, 'v');
              g_string_append_c (text, ' ');
              g_assert_cmpuint (text->len, ==, filler);
            }
          else
            n_short++;
          g_string_append (text, words_around->str);
          g_ptr_array_add (files, cw_test_write_file (dir, name, text->str));
        }
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  hits = cw_project_search (project, "doelwoörd", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, files->len);
  got = format_hits (hits);
  expected = expected_hits (cw_project_get_path (project), "doelwoörd");
  g_assert_cmpstr (got, ==, expected);

  /* Each text's snippet is that of its short text (the first of its 32). */
  for (guint i = 0; i < hits->len; i++)
    {
      const CwSearchHit *hit = g_ptr_array_index (hits, i);
      const CwSearchHit *short_hit = g_ptr_array_index (hits, i - i % 32);

      g_assert_cmpstr (hit->snippet, ==, short_hit->snippet);
      g_assert_cmpint (hit->snippet_hit_start, ==, short_hit->snippet_hit_start);
      g_assert_cmpint (hit->snippet_hit_end, ==, short_hit->snippet_hit_end);
    }
  g_assert_cmpuint (n_short, ==, hits->len / 32);

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/search-tokens/hits-where-fts5-has-them", Fixture, NULL, fixture_set_up,
              test_hits_where_fts5_has_them, fixture_tear_down);
  g_test_add ("/search-tokens/limit-and-scope", Fixture, NULL, fixture_set_up, test_limit_and_scope,
              fixture_tear_down);
  g_test_add ("/search-tokens/malformed-text", Fixture, NULL, fixture_set_up, test_malformed_text,
              fixture_tear_down);
  g_test_add_func ("/search-tokens/hits-across-reads", test_hits_across_reads);
  return g_test_run ();
}
