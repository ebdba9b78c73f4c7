/* What a CwProject::changed is about (cw_project_get_coding_changes): the
 * codings an edit, undo or redo touched when codings are all it touched;
 * NULL (anything may have changed) in every other case, since the window
 * then reads everything again instead of the few codings listed. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     doc;
  gint64     doc2;
  gint64     stage;
  gint64     werk;

  /* What the handlers of the last emission saw. */
  guint      emissions;
  gboolean   known;   /* not NULL */
  GArray    *changes; /* CwCodingChange, a copy */
} Fixture;

static const char interview_text[] =
  "Interviewer: Hoe ging je stage bij de bakker?\n"
  "Kevin: Die stage is mislukt. Ik kwam steeds te laat en de jobcoach belde niet.\n";

static const char other_text[] =
  "Dewi: Stage is leuk en op tijd komen is moeilijk.\n";

static void
changed_cb (CwProject *project,
            Fixture   *fixture)
{
  GArray *changes = cw_project_get_coding_changes (project);

  fixture->emissions++;
  fixture->known = changes != NULL;
  g_clear_pointer (&fixture->changes, g_array_unref);
  if (changes != NULL)
    {
      fixture->changes = g_array_new (FALSE, FALSE, sizeof (CwCodingChange));
      g_array_append_vals (fixture->changes, changes->data, changes->len);
    }
}

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
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "other.txt", other_text));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->doc = g_array_index (ids, gint64, 0);
  fixture->doc2 = g_array_index (ids, gint64, 1);
  fixture->stage = cw_project_add_code (fixture->project, "Stage", "#e15759", NULL, &error);
  g_assert_no_error (error);
  fixture->werk = cw_project_add_code (fixture->project, "Werk", "#59a14f", NULL, &error);
  g_assert_no_error (error);
  /* The coder exists: a first coding by a new coder adds a coder too. */
  g_assert_cmpint (cw_project_ensure_coder (fixture->project, "Anouk", &error), >, 0);
  g_assert_no_error (error);
  g_signal_connect (fixture->project, "changed", G_CALLBACK (changed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->project, fixture);
  g_assert_finalize_object (fixture->project);
  g_clear_pointer (&fixture->changes, g_array_unref);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
add_coding (Fixture *fixture,
            gint64   doc,
            gint64   code,
            gint64   start,
            gint64   end)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_coding (fixture->project, doc, code, start, end, "Anouk", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The last emission listed exactly one change, this one. */
static void
assert_one_change (Fixture *fixture,
                   gint64   coding,
                   gint64   old_document,
                   gint64   old_code,
                   gint64   new_document,
                   gint64   new_code)
{
  const CwCodingChange *change;

  g_assert_true (fixture->known);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  change = &g_array_index (fixture->changes, CwCodingChange, 0);
  g_assert_cmpint (change->coding_id, ==, coding);
  g_assert_cmpint (change->old_document_id, ==, old_document);
  g_assert_cmpint (change->old_code_id, ==, old_code);
  g_assert_cmpint (change->new_document_id, ==, new_document);
  g_assert_cmpint (change->new_code_id, ==, new_code);
}

/* Applying a code, removing the coding, and their undo and redo: each
 * one change, with the document and code before and after. */
static void
test_add_remove_undo (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = add_coding (fixture, fixture->doc, fixture->stage, 13, 45);
  g_assert_cmpuint (fixture->emissions, ==, 1);
  assert_one_change (fixture, id, 0, 0, fixture->doc, fixture->stage);

  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->emissions, ==, 2);
  assert_one_change (fixture, id, fixture->doc, fixture->stage, 0, 0);

  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
  assert_one_change (fixture, id, 0, 0, fixture->doc, fixture->stage);

  g_assert_true (cw_project_remove_coding (fixture->project, id, &error));
  g_assert_no_error (error);
  assert_one_change (fixture, id, fixture->doc, fixture->stage, 0, 0);

  /* The same coding again is the one there is: no edit, no emission. */
  id = add_coding (fixture, fixture->doc2, fixture->werk, 0, 4);
  assert_one_change (fixture, id, 0, 0, fixture->doc2, fixture->werk);
  g_assert_cmpint (add_coding (fixture, fixture->doc2, fixture->werk, 0, 4), ==, id);
  g_assert_cmpuint (fixture->emissions, ==, 5);

  /* Outside a handler nothing is known. */
  g_assert_null (cw_project_get_coding_changes (fixture->project));
}

/* A change of anything but codings (and the undo history) is unknown,
 * even when codings changed with it: a code removed takes its codings. */
static void
test_other_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  add_coding (fixture, fixture->doc, fixture->stage, 13, 45);
  g_assert_true (fixture->known);

  /* A new coder is a row of its own. */
  id = cw_project_add_coding (fixture->project, fixture->doc, fixture->werk, 53, 80, "Bram", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_false (fixture->known);

  /* A memo with the coding. */
  add_coding (fixture, fixture->doc, fixture->werk, 0, 12);
  g_assert_true (fixture->known);
  id = cw_project_add_coding (fixture->project, fixture->doc, fixture->werk, 14, 20, "Anouk", "eerste", &error);
  g_assert_no_error (error);
  g_assert_false (fixture->known);

  add_coding (fixture, fixture->doc, fixture->werk, 21, 30);
  g_assert_true (fixture->known);
  g_assert_true (cw_project_delete_code (fixture->project, fixture->stage, &error));
  g_assert_no_error (error);
  g_assert_false (fixture->known);

  /* The memo's undo. */
  add_coding (fixture, fixture->doc, fixture->werk, 31, 40);
  g_assert_true (fixture->known);
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_true (fixture->known);
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_false (fixture->known);
}

/* A "changed" the core did not emit (a view that asks everyone to read
 * again) is about anything. */
static void
test_emitted_by_hand (Fixture       *fixture,
                      gconstpointer  data)
{
  add_coding (fixture, fixture->doc, fixture->stage, 13, 45);
  g_assert_true (fixture->known);
  g_signal_emit_by_name (fixture->project, "changed");
  g_assert_cmpuint (fixture->emissions, ==, 2);
  g_assert_false (fixture->known);
}

/* Another connection's commit is not seen by this one's hooks: the next
 * emission, whatever it is about, is unknown; the one after is known. */
static void
test_other_connection (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) other = cw_project_open (cw_project_get_path (fixture->project), &error);
  gint64 id;

  g_assert_no_error (error);
  id = cw_project_add_coding (other, fixture->doc, fixture->werk, 0, 12, "Anouk", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpuint (fixture->emissions, ==, 0);

  id = add_coding (fixture, fixture->doc, fixture->stage, 13, 45);
  g_assert_cmpuint (fixture->emissions, ==, 1);
  g_assert_false (fixture->known);

  id = add_coding (fixture, fixture->doc, fixture->stage, 53, 60);
  assert_one_change (fixture, id, 0, 0, fixture->doc, fixture->stage);

  /* What the poll finds is unknown too. */
  cw_project_add_coding (other, fixture->doc, fixture->werk, 61, 70, "Anouk", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_poll_external_change (fixture->project));
  g_assert_false (fixture->known);
  g_assert_finalize_object (g_steal_pointer (&other));
}

/* A transaction rolled back changed nothing: it is not listed with the
 * next edit. Too many codings at once are not listed either. */
static void
test_rollback_and_many (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GString) many = g_string_new (NULL);
  gint64 id;

  g_assert_true (_cw_project_begin_step (fixture->project, "weg", &error));
  g_assert_no_error (error);
  sql = g_strdup_printf ("INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                         " VALUES ('x', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 1, 0, 5, 'nu')",
                         fixture->doc, fixture->werk);
  g_assert_true (_cw_project_exec (fixture->project, sql, &error));
  g_assert_no_error (error);
  _cw_project_abort_step (fixture->project);
  g_assert_cmpuint (fixture->emissions, ==, 0);

  id = add_coding (fixture, fixture->doc, fixture->stage, 13, 45);
  assert_one_change (fixture, id, 0, 0, fixture->doc, fixture->stage);

  /* 300 codings in one step. */
  g_assert_true (_cw_project_begin_step (fixture->project, "veel", &error));
  g_assert_no_error (error);
  for (int i = 0; i < 300; i++)
    g_string_append_printf (many,
                            "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                            " VALUES ('m%d', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                            ", (SELECT id FROM coders WHERE name = 'Anouk'), %d, %d, 'nu');",
                            i, fixture->doc2, fixture->werk, i % 40, i % 40 + 1 + i / 40);
  g_assert_true (_cw_project_exec (fixture->project, many->str, &error));
  g_assert_no_error (error);
  g_assert_true (_cw_project_end_step (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->emissions, ==, 2);
  g_assert_false (fixture->known);

  /* And its undo. */
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_false (fixture->known);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (fixture->project),
                                    "SELECT count(*) FROM codings"), ==, 1);
}

/* A handler that edits again (a nested emission) leaves the handlers
 * after it with "unknown", never with a stale or freed list. */
static void
nested_cb (CwProject *project,
           Fixture   *fixture)
{
  g_autoptr(GError) error = NULL;
  GArray *changes = cw_project_get_coding_changes (project);

  if (fixture->emissions != 1 || changes == NULL)
    return;
  g_assert_cmpuint (changes->len, ==, 1);
  cw_project_add_coding (project, fixture->doc2, fixture->werk, 0, 4, "Anouk", NULL, &error);
  g_assert_no_error (error);
  /* The list this handler was given is still readable. */
  g_assert_cmpuint (changes->len, ==, 1);
}

static void
late_cb (CwProject *project,
         gboolean  *known)
{
  *known = cw_project_get_coding_changes (project) != NULL;
}

static void
test_nested (Fixture       *fixture,
             gconstpointer  data)
{
  gboolean late_known = TRUE;

  g_signal_connect (fixture->project, "changed", G_CALLBACK (nested_cb), fixture);
  g_signal_connect (fixture->project, "changed", G_CALLBACK (late_cb), &late_known);
  add_coding (fixture, fixture->doc, fixture->stage, 13, 45);
  /* Outer emission, then the nested one (which ran every handler). */
  g_assert_cmpuint (fixture->emissions, ==, 2);
  g_assert_false (late_known);
  g_signal_handlers_disconnect_by_func (fixture->project, nested_cb, fixture);
  g_signal_handlers_disconnect_by_func (fixture->project, late_cb, &late_known);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/coding-changes/add-remove-undo", Fixture, NULL, fixture_set_up, test_add_remove_undo, fixture_tear_down);
  g_test_add ("/coding-changes/other", Fixture, NULL, fixture_set_up, test_other_changes, fixture_tear_down);
  g_test_add ("/coding-changes/by-hand", Fixture, NULL, fixture_set_up, test_emitted_by_hand, fixture_tear_down);
  g_test_add ("/coding-changes/other-connection", Fixture, NULL, fixture_set_up, test_other_connection, fixture_tear_down);
  g_test_add ("/coding-changes/rollback-and-many", Fixture, NULL, fixture_set_up, test_rollback_and_many, fixture_tear_down);
  g_test_add ("/coding-changes/nested", Fixture, NULL, fixture_set_up, test_nested, fixture_tear_down);

  return g_test_run ();
}
