/* Accepting a coder's version of a disagreement into a consensus coder
 * (cw-consensus.h): full ranges, union, replacement of an earlier
 * decision, idempotence, one undo step, refusals. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-consensus.h"
#include "cw-history.h"
#include "cw-test-util.h"

/* 0-9 "Interview:", ... plain ASCII, so byte and code point offsets agree
 * in the first document; the second has multi-byte characters. */
static const char interview_text[] =
  "Kevin: Die stage is mislukt. Ik kwam steeds te laat en de jobcoach belde niet.\n"
  "Kevin: Nu werk ik bij een hovenier, dat gaat goed.\n";

static const char emoji_text[] =
  "Dewi: 😀😀 Stage is leuk 👍🏽 en op tijd komen is moeilijk.\n";

static const char *const two[] = { "Lotte", "Ruben", NULL };
static const char *const three[] = { "Lotte", "Ruben", "Mia", NULL };

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     doc;
  gint64     emoji;
  gint64     stage;
  gint64     werk;
} Fixture;


static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview.txt", interview_text));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "emoji.txt", emoji_text));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->doc = g_array_index (ids, gint64, 0);
  fixture->emoji = g_array_index (ids, gint64, 1);
  fixture->stage = cw_project_add_code (fixture->project, "Stage", "#e15759", NULL, &error);
  g_assert_no_error (error);
  fixture->werk = cw_project_add_code (fixture->project, "Werk", "#59a14f", NULL, &error);
  g_assert_no_error (error);
  /* Compared coders exist, even one who coded nothing. */
  for (guint i = 0; three[i] != NULL; i++)
    {
      g_assert_cmpint (cw_project_ensure_coder (fixture->project, three[i], &error), >, 0);
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static void
code (Fixture    *fixture,
      gint64      doc,
      gint64      code_id,
      gint64      start,
      gint64      end,
      const char *coder)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cw_project_add_coding (fixture->project, doc, code_id, start, end, coder, NULL, &error), >, 0);
  g_assert_no_error (error);
}

/* The coder's codings of the code in the document as "s-e s-e". */
static char *
ranges_of (Fixture    *fixture,
           gint64      doc,
           gint64      code_id,
           const char *coder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = cw_project_list_document_codings (fixture->project, doc, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (codings, i);

      if (coding->code_id != code_id || g_strcmp0 (coding->coder, coder) != 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT, coding->start, coding->end);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static CwDisagreement
place_at (gint64 doc,
          gint64 code_id,
          gint64 start,
          gint64 end)
{
  CwDisagreement place = { 0 };

  place.document_id = doc;
  place.code_id = code_id;
  place.start = start;
  place.end = end;
  return place;
}

static void
accept (Fixture            *fixture,
        const CwDisagreement *place,
        const char * const *coders,
        int                 accepted,
        guint               expect_added,
        guint               expect_removed)
{
  g_autoptr(GError) error = NULL;
  guint added = 99, removed = 99;

  g_assert_true (cw_project_accept_disagreement (fixture->project, place, coders, accepted, NULL,
                                                 &added, &removed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, expect_added);
  g_assert_cmpuint (removed, ==, expect_removed);
}

#define assert_consensus(fixture, doc, code_id, expected) \
  G_STMT_START { \
    g_autofree char *got_ = ranges_of ((fixture), (doc), (code_id), "Consensus"); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

/* Lotte [10, 50), Ruben [20, 50): they differ on [10, 20). Accepting Lotte
 * copies her whole segment, not the sliver; accepting Ruben gives his. */
static void
test_full_ranges (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  CwDisagreement place = place_at (fixture->doc, fixture->stage, 10, 20);

  code (fixture, fixture->doc, fixture->stage, 10, 50, "Lotte");
  code (fixture, fixture->doc, fixture->stage, 20, 50, "Ruben");

  accept (fixture, &place, two, 0, 1, 0);
  assert_consensus (fixture, fixture->doc, fixture->stage, "10-50");
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Accept Lotte’s coding");
  /* The compared coders' codings are left alone. */
  {
    g_autofree char *lotte = ranges_of (fixture, fixture->doc, fixture->stage, "Lotte");
    g_autofree char *ruben = ranges_of (fixture, fixture->doc, fixture->stage, "Ruben");

    g_assert_cmpstr (lotte, ==, "10-50");
    g_assert_cmpstr (ruben, ==, "20-50");
  }

  /* Changing one's mind replaces the decision. */
  accept (fixture, &place, two, 1, 1, 1);
  assert_consensus (fixture, fixture->doc, fixture->stage, "20-50");

  /* Undo takes back one step at a time. */
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  assert_consensus (fixture, fixture->doc, fixture->stage, "10-50");
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  assert_consensus (fixture, fixture->doc, fixture->stage, "");
  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
  assert_consensus (fixture, fixture->doc, fixture->stage, "10-50");
}

/* The same decision twice adds nothing and makes no second undo step. */
static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CwDisagreement place = place_at (fixture->doc, fixture->stage, 10, 20);

  code (fixture, fixture->doc, fixture->stage, 10, 50, "Lotte");
  code (fixture, fixture->doc, fixture->stage, 20, 50, "Ruben");

  accept (fixture, &place, two, 0, 1, 0);
  accept (fixture, &place, two, 0, 0, 0);
  /* Both versions united are Lotte's here: nothing new either. */
  accept (fixture, &place, two, -1, 0, 0);
  assert_consensus (fixture, fixture->doc, fixture->stage, "10-50");

  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  assert_consensus (fixture, fixture->doc, fixture->stage, "");
  /* The first accept was the only step: next in line is the fixture's
   * coding of Ruben's. */
  {
    g_autofree char *label = cw_project_get_undo_label (fixture->project);

    g_assert_cmpstr (label, ==, "Apply code “Stage”");
  }
}

/* Accept Both: the union of the versions, overlapping ones united. */
static void
test_union (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *label = NULL;
  CwDisagreement place = place_at (fixture->doc, fixture->stage, 5, 10);

  code (fixture, fixture->doc, fixture->stage, 5, 30, "Lotte");
  code (fixture, fixture->doc, fixture->stage, 10, 40, "Ruben");
  /* Far away: not part of this place's versions. */
  code (fixture, fixture->doc, fixture->stage, 90, 100, "Ruben");

  accept (fixture, &place, two, -1, 1, 0);
  assert_consensus (fixture, fixture->doc, fixture->stage, "5-40");
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Accept both codings");
}

/* Three coders: "all" unites each one's version; the label says so. */
static void
test_three_coders (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *label = NULL;
  CwDisagreement place = place_at (fixture->doc, fixture->werk, 80, 90);

  code (fixture, fixture->doc, fixture->werk, 80, 95, "Lotte");
  code (fixture, fixture->doc, fixture->werk, 90, 100, "Ruben");
  code (fixture, fixture->doc, fixture->werk, 100, 110, "Mia");

  accept (fixture, &place, three, 2, 0, 0); /* Mia did not code 80-90 and does not touch it */
  assert_consensus (fixture, fixture->doc, fixture->werk, "");
  accept (fixture, &place, three, -1, 1, 0);
  /* Ruben's touches the place; Mia's only touches Ruben's: not included. */
  assert_consensus (fixture, fixture->doc, fixture->werk, "80-100");
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Accept all coders’ codings");
}

/* Accepting the coder who did not code the place means "not coded here":
 * an earlier decision that coded it is removed. */
static void
test_not_coded (Fixture       *fixture,
                gconstpointer  data)
{
  CwDisagreement place = place_at (fixture->doc, fixture->stage, 60, 70);

  code (fixture, fixture->doc, fixture->stage, 60, 70, "Lotte");

  accept (fixture, &place, two, 1, 0, 0);
  assert_consensus (fixture, fixture->doc, fixture->stage, "");
  accept (fixture, &place, two, 0, 1, 0);
  assert_consensus (fixture, fixture->doc, fixture->stage, "60-70");
  accept (fixture, &place, two, 1, 0, 1);
  assert_consensus (fixture, fixture->doc, fixture->stage, "");
  /* Another code's consensus codings are not touched. */
  code (fixture, fixture->doc, fixture->werk, 60, 70, "Consensus");
  accept (fixture, &place, two, 0, 1, 0);
  accept (fixture, &place, two, 1, 0, 1);
  {
    g_autofree char *werk = ranges_of (fixture, fixture->doc, fixture->werk, "Consensus");

    g_assert_cmpstr (werk, ==, "60-70");
  }
}

/* Offsets are code points: a place among emoji lands where it should. */
static void
test_multibyte (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, fixture->emoji, &error);
  /* "Stage is leuk 👍🏽" starts after "Dewi: 😀😀 " (9 code points). */
  gint64 start = 9, end = 9 + 16;
  CwDisagreement place = place_at (fixture->emoji, fixture->stage, start, start + 5);

  g_assert_no_error (error);
  cw_test_assert_substring (text, start, end, "Stage is leuk 👍🏽");
  code (fixture, fixture->emoji, fixture->stage, start, end, "Ruben");
  accept (fixture, &place, two, 1, 1, 0);
  assert_consensus (fixture, fixture->emoji, fixture->stage, "9-25");
}

static void
test_coverage (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CwDisagreement place = place_at (fixture->doc, fixture->stage, 10, 20);
  CwDisagreement wider = place_at (fixture->doc, fixture->stage, 0, 20);

  g_assert_cmpint (cw_project_consensus_coverage (fixture->project, &place, NULL, &error), ==, 0);
  g_assert_no_error (error);
  code (fixture, fixture->doc, fixture->stage, 10, 50, "Lotte");
  accept (fixture, &place, two, 0, 1, 0);
  g_assert_cmpint (cw_project_consensus_coverage (fixture->project, &place, NULL, &error), ==, 2);
  g_assert_cmpint (cw_project_consensus_coverage (fixture->project, &wider, NULL, &error), ==, 1);
  g_assert_cmpint (cw_project_consensus_coverage (fixture->project, &place, "Nobody", &error), ==, 0);
  g_assert_no_error (error);
}

/* A named consensus coder, and the refusals. */
static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CwDisagreement place = place_at (fixture->doc, fixture->stage, 10, 20);
  CwDisagreement outside = place_at (fixture->doc, fixture->stage, 10, 100000);
  CwDisagreement no_doc = place_at (9999, fixture->stage, 10, 20);
  CwDisagreement no_code = place_at (fixture->doc, 9999, 10, 20);
  static const char *const unknown[] = { "Lotte", "Nobody", NULL };
  guint added = 0;

  code (fixture, fixture->doc, fixture->stage, 10, 50, "Lotte");
  code (fixture, fixture->doc, fixture->stage, 20, 50, "Ruben");

  g_assert_false (cw_project_accept_disagreement (fixture->project, &place, two, 0, "Lotte", NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_accept_disagreement (fixture->project, &place, two, 2, NULL, NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_accept_disagreement (fixture->project, &place, unknown, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_accept_disagreement (fixture->project, &outside, two, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_accept_disagreement (fixture->project, &no_doc, two, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_accept_disagreement (fixture->project, &no_code, two, 0, NULL, NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_accept_disagreement (fixture->project, &place, two, 0, "  ", NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  assert_consensus (fixture, fixture->doc, fixture->stage, "");

  g_assert_true (cw_project_accept_disagreement (fixture->project, &place, two, 0, "Overeenstemming",
                                                 &added, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 1);
  {
    g_autofree char *named = ranges_of (fixture, fixture->doc, fixture->stage, "Overeenstemming");

    g_assert_cmpstr (named, ==, "10-50");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/consensus/full-ranges", test_full_ranges);
  ADD ("/consensus/idempotent", test_idempotent);
  ADD ("/consensus/union", test_union);
  ADD ("/consensus/three-coders", test_three_coders);
  ADD ("/consensus/not-coded", test_not_coded);
  ADD ("/consensus/multibyte", test_multibyte);
  ADD ("/consensus/coverage", test_coverage);
  ADD ("/consensus/refusals", test_refusals);
#undef ADD

  return g_test_run ();
}
