/* Codings, coders, memos and document groups. (Their undo and redo is
 * tested under /codebook/undo/ in test-codebook.c.) */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     doc;   /* interview.txt */
  gint64     doc2;  /* emoji.txt */
  gint64     stage; /* Stage/Mislukt */
  gint64     werk;  /* Werk */
} Fixture;

/* Code point offsets: "Interviewer: " 0-13, the question 13-45, "\n";
 * "Kevin: " 46-53, Kevin's answer 53-124; ... */
static const char interview_text[] =
  "Interviewer: Hoe ging je stage bij de bakker?\n"
  "Kevin: Die stage is mislukt. Ik kwam steeds te laat en de jobcoach belde niet.\n"
  "Interviewer: En nu?\n"
  "Kevin: Nu werk ik bij een hovenier, dat gaat goed.\n";

static const char emoji_text[] =
  "Dewi: 😀😀 Stage is leuk 👍🏽 en op tijd komen is moeilijk.\n";

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
  fixture->doc2 = g_array_index (ids, gint64, 1);
  fixture->stage = cw_project_add_code (fixture->project, "Stage/Mislukt", "#e15759", NULL, &error);
  g_assert_no_error (error);
  fixture->werk = cw_project_add_code (fixture->project, "Werk", "#59a14f", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* Where needle starts in text, in code points. */
static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

static gint64
add_coding (Fixture    *fixture,
            gint64      doc,
            gint64      code,
            gint64      start,
            gint64      end,
            const char *coder)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_coding (fixture->project, doc, code, start, end, coder, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  sqlite3 *db;
  gint64 n;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  n = cw_test_sql_int (db, sql);
  sqlite3_close (db);
  return n;
}

static void
test_add_and_get (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCoding) coding = NULL;
  g_autoptr(CwCoding) copy = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, fixture->doc, NULL);
  gint64 start = offset_of (interview_text, "Die stage is mislukt");
  gint64 end = start + (gint64) strlen ("Die stage is mislukt");
  gint64 id;

  id = cw_project_add_coding (fixture->project, fixture->doc, fixture->stage, start, end, "Anna",
                              "Eerste stage, bakkerij", &error);
  g_assert_no_error (error);
  coding = cw_project_get_coding (fixture->project, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coding->id, ==, id);
  g_assert_nonnull (coding->guid);
  g_assert_cmpint (coding->document_id, ==, fixture->doc);
  g_assert_cmpstr (coding->document, ==, "interview.txt");
  g_assert_cmpint (coding->code_id, ==, fixture->stage);
  g_assert_cmpstr (coding->code, ==, "Stage/Mislukt");
  g_assert_cmpstr (coding->color, ==, "#e15759");
  g_assert_cmpstr (coding->coder, ==, "Anna");
  g_assert_cmpint (coding->coder_id, >, 0);
  g_assert_cmpint (coding->start, ==, start);
  g_assert_cmpint (coding->end, ==, end);
  g_assert_true (g_str_has_suffix (coding->created_at, "Z"));
  g_assert_cmpuint (strlen (coding->created_at), ==, strlen ("2024-05-01T12:00:00Z"));
  g_assert_cmpstr (coding->speaker, ==, "Kevin");
  g_assert_null (coding->case_id);
  g_assert_null (coding->text);
  g_assert_cmpstr (coding->memo, ==, "Eerste stage, bakkerij");
  cw_test_assert_substring (text, coding->start, coding->end, "Die stage is mislukt");

  copy = cw_coding_copy (coding);
  g_assert_cmpstr (copy->code, ==, "Stage/Mislukt");
  g_assert_cmpstr (copy->memo, ==, coding->memo);

  g_assert_null (cw_project_get_coding (fixture->project, 9999, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

/* Offsets count code points: emoji are one character each. */
static void
test_emoji_offsets (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, fixture->doc2, NULL);
  gint64 start = offset_of (emoji_text, "op tijd");
  gint64 characters = g_utf8_strlen (emoji_text, -1) - 1; /* the import drops the last newline */
  gint64 id;

  id = add_coding (fixture, fixture->doc2, fixture->werk, start, start + 7, NULL);
  cw_test_assert_substring (text, start, start + 7, "op tijd");
  {
    g_autoptr(CwCoding) coding = cw_project_get_coding (fixture->project, id, &error);

    g_assert_no_error (error);
    /* No coder given: the default. */
    g_assert_cmpstr (coding->coder, ==, "Codeur");
    g_assert_cmpstr (coding->speaker, ==, "Dewi");
  }
  /* Up to the very end is allowed, one past is not. */
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, characters);
  add_coding (fixture, fixture->doc2, fixture->werk, 0, characters, "Anna");
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->doc2, fixture->werk, 0, characters + 1,
                                          "Anna", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
}

typedef struct
{
  gint64 start;
  gint64 end;
  int    error; /* -1: accepted */
} BoundsCase;

static void
test_bounds (Fixture       *fixture,
             gconstpointer  data)
{
  gint64 n = g_utf8_strlen (interview_text, -1) - 1;
  const BoundsCase cases[] = {
    { 0, 1, -1 },
    { 0, n, -1 },
    { n - 1, n, -1 },
    { -1, 5, CW_PROJECT_ERROR_INVALID },
    { 5, 5, CW_PROJECT_ERROR_INVALID },
    { 6, 5, CW_PROJECT_ERROR_INVALID },
    { 0, n + 1, CW_PROJECT_ERROR_INVALID },
    { n, n + 1, CW_PROJECT_ERROR_INVALID },
    { G_MAXINT64 - 1, G_MAXINT64, CW_PROJECT_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = cw_project_add_coding (fixture->project, fixture->doc, fixture->stage,
                                         cases[i].start, cases[i].end, "Anna", NULL, &error);

      if (cases[i].error < 0)
        {
          g_assert_no_error (error);
          g_assert_cmpint (id, >, 0);
        }
      else
        {
          g_assert_error (error, CW_PROJECT_ERROR, cases[i].error);
          g_assert_cmpint (id, ==, 0);
          g_assert_nonnull (strstr (error->message, "interview.txt"));
        }
    }
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM codings"), ==, 3);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 category;

  g_assert_cmpint (cw_project_add_coding (fixture->project, 999, fixture->stage, 0, 5, "Anna", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->doc, 999, 0, 5, "Anna", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->doc, fixture->stage, 0, 5, "  ", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  category = cw_project_lookup_code (fixture->project, "Stage", NULL);
  g_assert_true (cw_project_set_code_codable (fixture->project, category, FALSE, &error));
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->doc, category, 0, 5, "Anna", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "'Stage' is a category and cannot be applied");
  g_clear_error (&error);

  /* Nothing was written, not even a coder. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM codings"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM coders"), ==, 0);

  g_assert_false (cw_project_remove_coding (fixture->project, 999, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (cw_project_list_document_codings (fixture->project, 999, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  gint64 id, again;

  id = add_coding (fixture, fixture->doc, fixture->stage, 53, 73, "Anna");

  /* The same coder, code and range: the same coding, nothing written. */
  again = add_coding (fixture, fixture->doc, fixture->stage, 53, 73, "Anna");
  g_assert_cmpint (again, ==, id);
  /* The coder's name as typed, with spaces: still Anna. */
  again = add_coding (fixture, fixture->doc, fixture->stage, 53, 73, " Anna ");
  g_assert_cmpint (again, ==, id);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM codings"), ==, 1);

  /* Again with a memo: the memo is added to the coding there is, once. */
  again = cw_project_add_coding (fixture->project, fixture->doc, fixture->stage, 53, 73, "Anna", "later gezien", &error);
  g_assert_no_error (error);
  g_assert_cmpint (again, ==, id);
  again = cw_project_add_coding (fixture->project, fixture->doc, fixture->stage, 53, 73, "Anna", "later gezien", &error);
  g_assert_cmpint (again, ==, id);
  memos = cw_project_list_memos (fixture->project, CW_MEMO_CODING, id, &error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->author, ==, "Anna");

  /* Another coder, another code, another range: new codings. */
  g_assert_cmpint (add_coding (fixture, fixture->doc, fixture->stage, 53, 73, "Bram"), !=, id);
  g_assert_cmpint (add_coding (fixture, fixture->doc, fixture->werk, 53, 73, "Anna"), !=, id);
  g_assert_cmpint (add_coding (fixture, fixture->doc, fixture->stage, 53, 74, "Anna"), !=, id);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM codings"), ==, 4);
}

static void
count_changed (guint *changed)
{
  (*changed)++;
}

/* Repeating a coding commits nothing, so no "changed" and (with the
 * history) no empty undo step. */
static void
test_idempotent_no_signal (Fixture       *fixture,
                           gconstpointer  data)
{
  guint changed = 0;

  add_coding (fixture, fixture->doc, fixture->stage, 53, 73, "Anna");
  g_signal_connect_swapped (fixture->project, "changed", G_CALLBACK (count_changed), &changed);
  add_coding (fixture, fixture->doc, fixture->stage, 53, 73, "Anna");
  g_assert_cmpuint (changed, ==, 0);
  add_coding (fixture, fixture->doc, fixture->stage, 53, 74, "Anna");
  g_assert_cmpuint (changed, ==, 1);
  g_signal_handlers_disconnect_by_func (fixture->project, count_changed, &changed);
}

static char *
describe (GPtrArray *codings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < codings->len; i++)
    {
      const CwCoding *c = g_ptr_array_index (codings, i);

      g_string_append_printf (out, "%s%s %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s %s",
                              i > 0 ? "|" : "", c->code, c->start, c->end, c->coder,
                              c->speaker ? c->speaker : "-");
    }
  return g_string_free (out, FALSE);
}

/* Overlapping and nested codings of different codes and coders, listed by
 * start, end, id. */
static void
test_overlaps_and_order (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autofree char *got = NULL;
  gint64 late = cw_project_add_code (fixture->project, "Stage/Mislukt/Te laat", NULL, NULL, &error);
  gint64 answer = offset_of (interview_text, "Die stage");
  gint64 now = offset_of (interview_text, "Nu werk");

  add_coding (fixture, fixture->doc, fixture->werk, now, now + 20, "Anna");
  add_coding (fixture, fixture->doc, fixture->stage, answer, answer + 71, "Anna");
  add_coding (fixture, fixture->doc, late, answer + 29, answer + 48, "Anna");   /* nested */
  add_coding (fixture, fixture->doc, late, answer + 29, answer + 48, "Bram");   /* same range, other coder */
  add_coding (fixture, fixture->doc, fixture->werk, answer + 20, answer + 40, "Bram"); /* overlapping */
  add_coding (fixture, fixture->doc, fixture->werk, answer, answer + 10, "Bram");      /* same start, shorter */
  add_coding (fixture, fixture->doc, fixture->werk, 0, 5, "Anna");
  add_coding (fixture, fixture->doc2, fixture->werk, 0, 4, "Anna");                    /* elsewhere */

  codings = cw_project_list_document_codings (fixture->project, fixture->doc, &error);
  g_assert_no_error (error);
  got = describe (codings);
  g_assert_cmpstr (got, ==,
                   "Werk 0-5 Anna -"
                   "|Werk 53-63 Bram Kevin"
                   "|Stage/Mislukt 53-124 Anna Kevin"
                   "|Werk 73-93 Bram Kevin"
                   "|Stage/Mislukt/Te laat 82-101 Anna Kevin"
                   "|Stage/Mislukt/Te laat 82-101 Bram Kevin"
                   "|Werk 152-172 Anna Kevin");
  for (guint i = 0; i < codings->len; i++)
    {
      const CwCoding *c = g_ptr_array_index (codings, i);

      g_assert_cmpstr (c->document, ==, "interview.txt");
      g_assert_nonnull (c->color);
      g_assert_null (c->text);
    }
}

/* The speaker is the one of the turn where the coding starts. */
static void
test_speaker (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) turns = cw_project_get_turns (fixture->project, fixture->doc, &error);
  g_autoptr(GPtrArray) codings = NULL;
  g_autofree char *got = NULL;
  gint64 late = cw_project_add_code (fixture->project, "Stage/Mislukt/Te laat", NULL, NULL, &error);
  const CwTurn *second, *third;
  gint64 id;

  g_assert_cmpuint (turns->len, ==, 4);
  second = g_ptr_array_index (turns, 1);
  third = g_ptr_array_index (turns, 2);
  g_assert_cmpstr (third->speaker, ==, "Interviewer");
  g_assert_cmpint (third->start, ==, offset_of (interview_text, "En nu?"));
  /* From the last character of Kevin's answer into the question: Kevin. */
  add_coding (fixture, fixture->doc, fixture->werk, second->end - 1, third->end, "Anna");
  /* The whole turn with its "Interviewer:" label: the interviewer. */
  add_coding (fixture, fixture->doc, late, third->start - 13, third->end, "Anna");
  /* Only the label and the line break before it: the turn before. */
  add_coding (fixture, fixture->doc, fixture->werk, second->end, third->start - 2, "Anna");
  id = add_coding (fixture, fixture->doc, fixture->stage, third->start, third->end, "Anna");
  codings = cw_project_list_document_codings (fixture->project, fixture->doc, &error);
  got = describe (codings);
  g_assert_cmpstr (got, ==,
                   "Werk 123-144 Anna Kevin"
                   "|Werk 124-136 Anna Kevin"
                   "|Stage/Mislukt/Te laat 125-144 Anna Interviewer"
                   "|Stage/Mislukt 138-144 Anna Interviewer");
  {
    g_autoptr(CwCoding) one = cw_project_get_coding (fixture->project, id, &error);

    g_assert_cmpstr (one->speaker, ==, "Interviewer");
  }
}

static void
test_remove (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  gint64 id, other;

  id = cw_project_add_coding (fixture->project, fixture->doc, fixture->stage, 0, 5, "Anna", "weg", &error);
  other = add_coding (fixture, fixture->doc, fixture->werk, 0, 5, "Anna");
  g_assert_true (cw_project_remove_coding (fixture->project, id, &error));
  g_assert_no_error (error);
  codings = cw_project_list_document_codings (fixture->project, fixture->doc, &error);
  g_assert_cmpuint (codings->len, ==, 1);
  g_assert_cmpint (((CwCoding *) g_ptr_array_index (codings, 0))->id, ==, other);
  /* Its memo went with it. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM memos"), ==, 0);
  g_assert_false (cw_project_remove_coding (fixture->project, id, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

/* The project's files copied mid-session, as a crash leaves them (the
 * file and its -wal, no -shm), and that copy opened. */
static CwProject *
open_as_after_crash (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *copy_dir = g_build_filename (fixture->dir, "after-crash", NULL);
  g_autofree char *copy = g_build_filename (copy_dir, "test.codewerk", NULL);
  g_autofree char *copy_wal = g_strconcat (copy, "-wal", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  CwProject *reopened;
  gsize length;

  g_assert_cmpint (g_mkdir (copy_dir, 0755), ==, 0);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy, contents, length, &error));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (wal, &contents, &length, &error));
  g_assert_true (g_file_set_contents (copy_wal, contents, length, &error));
  g_assert_no_error (error);
  reopened = cw_project_open (copy, &error);
  g_assert_no_error (error);
  return reopened;
}

/* A coding session long enough that the -wal is grown ahead of its
 * frames (cw-project.c), cut off as by a crash: what the files on disk
 * hold then is every coding made, in a file SQLite finds sound. */
static void
test_session_survives_crash (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(CwProject) reopened = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf info;

  for (gint64 i = 0; i < 60; i++)
    add_coding (fixture, fixture->doc, i % 2 ? fixture->stage : fixture->werk, i, i + 10, "Anna");
  /* Grown past what 60 codings write: the case this test is about. */
  g_assert_cmpint (g_stat (wal, &info), ==, 0);
  g_assert_cmpint (info.st_size, >, 4 * 1024 * 1024);

  reopened = open_as_after_crash (fixture);
  codings = cw_project_list_document_codings (reopened, fixture->doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, 60);
  g_assert_cmpstr (cw_test_sql_text (_cw_project_get_db (reopened), "PRAGMA integrity_check"), ==, "ok");
  g_assert_true (cw_project_undo (reopened, &error));
  g_assert_no_error (error);
}

/* The checkpoint that copies the WAL into the file runs in a thread of
 * the project's own, between codings, not inside the commit that crosses
 * the threshold (SQLite's autocheckpoint): the file changes while no
 * call is running. Codings in quick succession let the WAL grow, within
 * bounds, and the files as a crash leaves them mid-session hold every
 * coding. */
static void
test_checkpoint_between_codings (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(CwProject) reopened = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  guint between = 0;
  gint64 max_wal = 0;
  GStatBuf before, after;
  const int n = 300;

  for (gint64 i = 0; i < n; i++)
    {
      g_assert_cmpint (g_stat (path, &after), ==, 0);
      if (i > 0 && (after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
                    after.st_mtim.tv_nsec != before.st_mtim.tv_nsec))
        between++;
      add_coding (fixture, fixture->doc, i % 2 ? fixture->stage : fixture->werk, i % 150, i % 150 + 1 + i / 150, "Anna");
      g_assert_cmpint (g_stat (path, &before), ==, 0);
      /* Now and then a pause, as between a user's codings. */
      if (i % 25 == 24)
        g_usleep (100 * 1000);
      g_assert_cmpint (g_stat (wal, &after), ==, 0);
      max_wal = MAX (max_wal, after.st_size);
    }
  g_assert_cmpuint (between, >, 0);
  /* Twice the autocheckpoint's 1,000 frames at most, and the 128 the
   * -wal is grown by beyond (cw-project.c), and a commit. */
  g_assert_cmpint (max_wal, <=, 2200 * (4096 + 24) + 32);

  reopened = open_as_after_crash (fixture);
  codings = cw_project_list_document_codings (reopened, fixture->doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, n);
  g_assert_cmpstr (cw_test_sql_text (_cw_project_get_db (reopened), "PRAGMA integrity_check"), ==, "ok");
}

/* What the transcript view loads on every document open. */
static void
test_list_fast (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  gint64 coder = cw_project_ensure_coder (fixture->project, "Anna", &error);
  gint64 n = g_utf8_strlen (interview_text, -1) - 1;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'x')", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < 20000; i++)
    {
      char guid[32];

      g_snprintf (guid, sizeof guid, "g%d", i);
      sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_TRANSIENT);
      /* 2,000 in this document, the rest elsewhere. */
      sqlite3_bind_int64 (stmt, 2, i < 2000 ? fixture->doc : fixture->doc2);
      sqlite3_bind_int64 (stmt, 3, i % 2 ? fixture->stage : fixture->werk);
      sqlite3_bind_int64 (stmt, 4, coder);
      sqlite3_bind_int (stmt, 5, i < 2000 ? (i * 7) % (n - 10) : i);
      sqlite3_bind_int (stmt, 6, i < 2000 ? (i * 7) % (n - 10) + 1 + i % 9 : i + 1);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO memos (guid, text, created_at, modified_at, coding_id)"
                                     " SELECT 'm' || id, 'memo ' || id, 'x', 'x', id FROM codings WHERE id % 10 = 0",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* The first read after another connection's write reloads the cache;
   * time the second, as when a document is opened again. */
  codings = cw_project_list_document_codings (fixture->project, fixture->doc, &error);
  g_clear_pointer (&codings, g_ptr_array_unref);
  codings = cw_project_list_document_codings (fixture->project, fixture->doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, 2000);
  for (guint i = 1; i < codings->len; i++)
    {
      const CwCoding *a = g_ptr_array_index (codings, i - 1);
      const CwCoding *b = g_ptr_array_index (codings, i);

      g_assert_true (a->start < b->start ||
                     (a->start == b->start && (a->end < b->end || (a->end == b->end && a->id < b->id))));
      g_assert_nonnull (b->code);
      if (b->id % 10 == 0)
        g_assert_nonnull (b->memo);
      else
        g_assert_null (b->memo);
    }
}

static void
test_coders (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) coders = NULL;
  gint64 bram, again;

  bram = cw_project_ensure_coder (fixture->project, "Bram", &error);
  g_assert_no_error (error);
  again = cw_project_ensure_coder (fixture->project, "  Bram ", &error);
  g_assert_cmpint (again, ==, bram);
  add_coding (fixture, fixture->doc, fixture->werk, 0, 5, "Anna");
  add_coding (fixture, fixture->doc, fixture->werk, 0, 5, NULL);
  g_assert_cmpint (cw_project_ensure_coder (fixture->project, "", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  coders = cw_project_list_coders (fixture->project, NULL);
  g_assert_cmpuint (g_strv_length (coders), ==, 3);
  g_assert_cmpstr (coders[0], ==, "Anna");
  g_assert_cmpstr (coders[1], ==, "Bram");
  g_assert_cmpstr (coders[2], ==, "Codeur");
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM coders WHERE length(guid) = 36 AND created_at LIKE '____-__-__T__:__:__Z'"), ==, 3);
}

/* Memos */

static void
test_memos (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 coding = add_coding (fixture, fixture->doc, fixture->werk, 0, 5, "Anna");
  struct
  {
    CwMemoTarget target;
    gint64       target_id;
    gint64       id;
  } memos[] = {
    { CW_MEMO_PROJECT, 0, 0 },
    { CW_MEMO_DOCUMENT, fixture->doc, 0 },
    { CW_MEMO_CODE, fixture->werk, 0 },
    { CW_MEMO_CODING, coding, 0 },
  };
  const CwMemo *memo;

  for (guint i = 0; i < G_N_ELEMENTS (memos); i++)
    {
      g_autofree char *title = g_strdup_printf ("Titel %u", i);
      g_autofree char *text = g_strdup_printf ("Tekst %u", i);

      memos[i].id = cw_project_add_memo (fixture->project, memos[i].target, memos[i].target_id,
                                         title, text, i % 2 ? "Bram" : NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (memos[i].id, >, 0);
    }

  for (guint i = 0; i < G_N_ELEMENTS (memos); i++)
    {
      g_autofree char *title = g_strdup_printf ("Titel %u", i);
      g_autofree char *text = g_strdup_printf ("Tekst %u", i);

      list = cw_project_list_memos (fixture->project, memos[i].target, memos[i].target_id, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (list->len, ==, 1);
      memo = g_ptr_array_index (list, 0);
      g_assert_cmpint (memo->id, ==, memos[i].id);
      g_assert_cmpint (memo->target, ==, memos[i].target);
      g_assert_cmpint (memo->target_id, ==, memos[i].target_id);
      g_assert_cmpstr (memo->title, ==, title);
      g_assert_cmpstr (memo->text, ==, text);
      g_assert_cmpstr (memo->author, ==, i % 2 ? "Bram" : "Codeur");
      g_assert_nonnull (memo->guid);
      g_assert_true (g_str_has_suffix (memo->created_at, "Z"));
      g_assert_cmpstr (memo->created_at, ==, memo->modified_at);
      g_clear_pointer (&list, g_ptr_array_unref);

      /* target_id 0: every memo of that kind (here one each). */
      list = cw_project_list_memos (fixture->project, memos[i].target, 0, &error);
      g_assert_cmpuint (list->len, ==, 1);
      g_clear_pointer (&list, g_ptr_array_unref);
    }
  /* The project memo has no target columns at all. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM memos WHERE document_id IS NULL"
                                   " AND code_id IS NULL AND coding_id IS NULL"), ==, 1);
  {
    g_autoptr(CwCoding) c = cw_project_get_coding (fixture->project, coding, &error);

    g_assert_cmpstr (c->memo, ==, "Tekst 3");
  }

  /* Edit: NULL keeps, "" clears the title. */
  g_assert_true (cw_project_update_memo (fixture->project, memos[1].id, NULL, "Herzien", &error));
  g_assert_no_error (error);
  list = cw_project_list_memos (fixture->project, CW_MEMO_DOCUMENT, fixture->doc, &error);
  memo = g_ptr_array_index (list, 0);
  g_assert_cmpstr (memo->title, ==, "Titel 1");
  g_assert_cmpstr (memo->text, ==, "Herzien");
  g_assert_cmpstr (memo->modified_at, >=, memo->created_at);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (cw_project_update_memo (fixture->project, memos[1].id, "", NULL, &error));
  list = cw_project_list_memos (fixture->project, CW_MEMO_DOCUMENT, fixture->doc, &error);
  memo = g_ptr_array_index (list, 0);
  g_assert_null (memo->title);
  g_assert_cmpstr (memo->text, ==, "Herzien");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Delete. */
  g_assert_true (cw_project_delete_memo (fixture->project, memos[2].id, &error));
  g_assert_no_error (error);
  list = cw_project_list_memos (fixture->project, CW_MEMO_CODE, fixture->werk, &error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Refusals. */
  g_assert_false (cw_project_delete_memo (fixture->project, memos[2].id, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_update_memo (fixture->project, 999, "x", "y", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_memo (fixture->project, CW_MEMO_CODING, 999, NULL, "x", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_memo (fixture->project, CW_MEMO_DOCUMENT, 999, NULL, "x", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_memo (fixture->project, CW_MEMO_PROJECT, 5, NULL, "x", NULL, &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM memos"), ==, 3);
}

/* Document groups */

static void
test_groups (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  const CwDocumentGroup *group;
  gint64 school, wave;

  school = cw_project_add_group (fixture->project, " School De Brug ", &error);
  g_assert_no_error (error);
  wave = cw_project_add_group (fixture->project, "Meting 1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_lookup_group (fixture->project, "School De Brug", &error), ==, school);
  g_assert_cmpint (cw_project_add_group (fixture->project, "School De Brug", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==, "group 'School De Brug' already exists");
  g_clear_error (&error);
  g_assert_cmpint (cw_project_add_group (fixture->project, "  ", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  /* Membership: a document may be in several groups; adding twice and
   * removing what is not there are fine. */
  g_assert_true (cw_project_group_add_document (fixture->project, school, fixture->doc, &error));
  g_assert_true (cw_project_group_add_document (fixture->project, school, fixture->doc, &error));
  g_assert_true (cw_project_group_add_document (fixture->project, school, fixture->doc2, &error));
  g_assert_true (cw_project_group_add_document (fixture->project, wave, fixture->doc, &error));
  g_assert_true (cw_project_group_remove_document (fixture->project, wave, fixture->doc2, &error));
  g_assert_no_error (error);
  g_assert_false (cw_project_group_add_document (fixture->project, school, 999, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_group_add_document (fixture->project, 999, fixture->doc, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  groups = cw_project_list_groups (fixture->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (groups->len, ==, 2);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpstr (group->name, ==, "Meting 1");
  g_assert_cmpuint (group->document_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (group->document_ids, gint64, 0), ==, fixture->doc);
  group = g_ptr_array_index (groups, 1);
  g_assert_cmpstr (group->name, ==, "School De Brug");
  g_assert_nonnull (group->guid);
  g_assert_cmpuint (group->document_ids->len, ==, 2);
  g_clear_pointer (&groups, g_ptr_array_unref);

  g_assert_true (cw_project_group_remove_document (fixture->project, school, fixture->doc, &error));
  g_assert_true (cw_project_rename_group (fixture->project, wave, "Meting 2", &error));
  g_assert_no_error (error);
  g_assert_false (cw_project_rename_group (fixture->project, wave, "School De Brug", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_lookup_group (fixture->project, "Meting 1", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cw_project_delete_group (fixture->project, wave, &error));
  g_assert_no_error (error);
  groups = cw_project_list_groups (fixture->project, &error);
  g_assert_cmpuint (groups->len, ==, 1);
  group = g_ptr_array_index (groups, 0);
  g_assert_cmpuint (group->document_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (group->document_ids, gint64, 0), ==, fixture->doc2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM document_group_members"), ==, 1);
  g_assert_false (cw_project_delete_group (fixture->project, wave, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/coding/add-and-get", Fixture, NULL, fixture_set_up, test_add_and_get, fixture_tear_down);
  g_test_add ("/coding/emoji-offsets", Fixture, NULL, fixture_set_up, test_emoji_offsets, fixture_tear_down);
  g_test_add ("/coding/bounds", Fixture, NULL, fixture_set_up, test_bounds, fixture_tear_down);
  g_test_add ("/coding/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/coding/idempotent", Fixture, NULL, fixture_set_up, test_idempotent, fixture_tear_down);
  g_test_add ("/coding/idempotent-no-signal", Fixture, NULL, fixture_set_up, test_idempotent_no_signal, fixture_tear_down);
  g_test_add ("/coding/overlaps-and-order", Fixture, NULL, fixture_set_up, test_overlaps_and_order, fixture_tear_down);
  g_test_add ("/coding/speaker", Fixture, NULL, fixture_set_up, test_speaker, fixture_tear_down);
  g_test_add ("/coding/remove", Fixture, NULL, fixture_set_up, test_remove, fixture_tear_down);
  g_test_add ("/coding/checkpoint-between-codings", Fixture, NULL, fixture_set_up, test_checkpoint_between_codings,
              fixture_tear_down);
  g_test_add ("/coding/session-survives-crash", Fixture, NULL, fixture_set_up, test_session_survives_crash,
              fixture_tear_down);
  g_test_add ("/coding/list-fast", Fixture, NULL, fixture_set_up, test_list_fast, fixture_tear_down);
  g_test_add ("/coding/coders", Fixture, NULL, fixture_set_up, test_coders, fixture_tear_down);
  g_test_add ("/coding/memos", Fixture, NULL, fixture_set_up, test_memos, fixture_tear_down);
  g_test_add ("/coding/groups", Fixture, NULL, fixture_set_up, test_groups, fixture_tear_down);

  return g_test_run ();
}
