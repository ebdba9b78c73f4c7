/* Full-text search: diacritics, prefixes, phrases, operators, and exact
 * character offsets of every hit. */
#include "config.h"

#include <string.h>

#include "cw-project.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     first;  /* id of arena.txt */
  gint64     second; /* id of emoji.txt */
} Fixture;

static const char arena_text[] =
  "Gespreksleider: Wat zijn jullie ideeën over stage?\n"
  "Kevin: Mijn stageplek was bij de bakker. Ik kwam altijd op tijd.\n"
  "Sanne: Ik had geen IDEEËN. De bakker had geen geduld.\n";

static const char emoji_text[] =
  "Dewi: 😀😀 Stage is leuk 👍🏽 en op de tijd letten is moeilijk.\n"
  "Jordy: Een jobcoach helpt, zegt mijn moeder.\n";

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "arena.txt", arena_text));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "emoji.txt", emoji_text));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->first = g_array_index (ids, gint64, 0);
  fixture->second = g_array_index (ids, gint64, 1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

typedef struct
{
  const char *query;
  const char *expected; /* "doc:covered text|doc:covered text|..." in order */
} SearchCase;

static const SearchCase search_cases[] = {
  /* Diacritics and case are folded both ways. */
  { "ideeen", "arena.txt:ideeën|arena.txt:IDEEËN" },
  { "IDEEËN", "arena.txt:ideeën|arena.txt:IDEEËN" },
  /* Prefix queries. */
  { "stag*", "arena.txt:stage|arena.txt:stageplek|emoji.txt:Stage" },
  /* A phrase hits only the words in a row, and covers all of them. */
  { "\"op tijd\"", "arena.txt:op tijd" },
  { "\"geen geduld\"", "arena.txt:geen geduld" },
  /* All words must occur in the document. */
  { "bakker geduld", "arena.txt:bakker|arena.txt:bakker|arena.txt:geduld" },
  { "bakker jobcoach", "" },
  { "bakker OR jobcoach", "arena.txt:bakker|arena.txt:bakker|emoji.txt:jobcoach" },
  { "stage NOT bakker", "emoji.txt:Stage" },
  /* Offsets count code points: emoji before the hit. */
  { "leuk", "emoji.txt:leuk" },
  { "moeder", "emoji.txt:moeder" },
  /* Characters that mean something to FTS5 are just characters here. */
  { "bakker.", "arena.txt:bakker|arena.txt:bakker" },
  { "(geduld)", "arena.txt:geduld" },
  { "sanne:", "arena.txt:Sanne" },
  { "nergens", "" },
};

static void
test_search_table (Fixture       *fixture,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (search_cases); i++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) got = g_string_new (NULL);

      hits = cw_project_search (fixture->project, search_cases[i].query, 0, 0, NULL, &error);
      g_assert_no_error (error);
      for (guint h = 0; h < hits->len; h++)
        {
          const CwSearchHit *hit = g_ptr_array_index (hits, h);
          const char *text = hit->document_id == fixture->first ? arena_text : emoji_text;
          const char *from = g_utf8_offset_to_pointer (text, hit->start);
          const char *to = g_utf8_offset_to_pointer (text, hit->end);

          if (h > 0)
            g_string_append_c (got, '|');
          g_string_append_printf (got, "%s:%.*s", hit->document, (int) (to - from), from);
        }
      if (g_strcmp0 (got->str, search_cases[i].expected) != 0)
        g_error ("query «%s»: expected «%s», got «%s»", search_cases[i].query,
                 search_cases[i].expected, got->str);
    }
}

static void
test_offsets_against_stored_text (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const CwSearchHit *hit;

  hits = cw_project_search (fixture->project, "tijd", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
  hit = g_ptr_array_index (hits, 1);
  g_assert_cmpstr (hit->document, ==, "emoji.txt");
  /* "Dewi: " 6, two emoji 2, " Stage is leuk " 15, thumbs + skin tone 2,
   * " en op de " 10: tijd starts at 35. */
  g_assert_cmpint (hit->start, ==, 35);
  g_assert_cmpint (hit->end, ==, 39);
  text = cw_project_get_text (fixture->project, hit->document_id, &error);
  cw_test_assert_substring (text, hit->start, hit->end, "tijd");
}

static void
test_snippet (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  const CwSearchHit *hit;

  hits = cw_project_search (fixture->project, "geduld", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_nonnull (strstr (hit->snippet, "bakker had geen geduld"));
  g_assert_null (strchr (hit->snippet, '\n'));
  cw_test_assert_substring (hit->snippet, hit->snippet_hit_start, hit->snippet_hit_end, "geduld");
  /* The snippet starts at a word, marked as cut. */
  g_assert_true (g_str_has_prefix (hit->snippet, "…"));
}

static void
test_scope_and_limit (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;

  hits = cw_project_search (fixture->project, "stag*", fixture->second, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((CwSearchHit *) hits->pdata[0])->document, ==, "emoji.txt");
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = cw_project_search (fixture->project, "stag*", 0, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 2);
}

static void
test_invalid_queries (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char *queries[] = { "", "   ", "?!", "OR bakker", "bakker OR", "NOT", "bakker AND OR stage" };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = cw_project_search (fixture->project, queries[i], 0, 0, NULL, &error);

      g_assert_null (hits);
      g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
      /* The message names the project. */
      g_assert_nonnull (strstr (error->message, cw_project_get_path (fixture->project)));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/search/table", Fixture, NULL, fixture_set_up, test_search_table, fixture_tear_down);
  g_test_add ("/search/offsets", Fixture, NULL, fixture_set_up, test_offsets_against_stored_text, fixture_tear_down);
  g_test_add ("/search/snippet", Fixture, NULL, fixture_set_up, test_snippet, fixture_tear_down);
  g_test_add ("/search/scope-and-limit", Fixture, NULL, fixture_set_up, test_scope_and_limit, fixture_tear_down);
  g_test_add ("/search/invalid", Fixture, NULL, fixture_set_up, test_invalid_queries, fixture_tear_down);
  return g_test_run ();
}
