/* Undo and redo, kept in the project file: the mechanism itself, on raw
 * edits made inside steps (the codebook and coding tests undo their own
 * operations). */
#include "config.h"

#include <string.h>

#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-test-util.h"

static gint64
count (CwProject  *project,
       const char *sql)
{
  return cw_test_sql_int (_cw_project_get_db (project), sql);
}

/* One edit: the SQL inside one step. */
static void
edit (CwProject  *project,
      const char *label,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_cw_project_begin_step (project, label, &error));
  g_assert_no_error (error);
  g_assert_true (_cw_project_exec (project, sql, &error));
  g_assert_no_error (error);
  g_assert_true (_cw_project_end_step (project, &error));
  g_assert_no_error (error);
}

static void
undo (CwProject *project)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
}

static void
redo (CwProject *project)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_redo (project, &error));
  g_assert_no_error (error);
}

#define ADD_CODE(id, name) \
  "INSERT INTO codes (id, guid, name, color, created_at) VALUES (" #id ", 'g" #id "', '" name "', '#112233', 'now')"

static void
test_insert_update_delete (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  g_assert_false (cw_project_can_undo (project));
  g_assert_false (cw_project_can_redo (project));
  g_assert_false (cw_project_undo (project, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  edit (project, "Add code “Stage”", ADD_CODE (1, "Stage"));
  g_assert_true (cw_project_can_undo (project));
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Add code “Stage”");

  edit (project, "Rename", "UPDATE codes SET name = 'Stages', color = '#abcdef', description = 'x' WHERE id = 1");
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes WHERE name = 'Stages'"), ==, 1);
  undo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes WHERE name = 'Stage' AND color = '#112233'"
                                   " AND description IS NULL"), ==, 1);
  redo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes WHERE name = 'Stages' AND description = 'x'"), ==, 1);
  undo (project);
  /* The undone step waits to be redone. */
  g_assert_cmpint (count (project, "SELECT count(*) FROM history_steps WHERE redo = 1"), ==, 1);

  undo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes"), ==, 0);
  g_assert_false (cw_project_can_undo (project));
  redo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes WHERE id = 1 AND guid = 'g1'"), ==, 1);

  /* A new edit drops what could have been redone. */
  g_assert_true (cw_project_can_redo (project));
  edit (project, "Add code “Werk”", ADD_CODE (2, "Werk"));
  g_assert_false (cw_project_can_redo (project));

  cw_test_remove_dir (dir);
}

static void
test_cascade (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *restored = NULL;

  g_ptr_array_add (files, cw_test_write_file (dir, "a.txt", "I: Hoe ging de stage?\nR: Slecht.\n"));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  /* An import is not an undoable edit. */
  g_assert_false (cw_project_can_undo (project));

  edit (project, "Set up",
        ADD_CODE (1, "Stage") "; " ADD_CODE (2, "Mislukt") ";"
        "UPDATE codes SET parent_id = 1 WHERE id = 2;"
        "INSERT INTO coders (id, guid, name, created_at) VALUES (1, 'c', 'Anouk', 'now');"
        "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
        " VALUES ('k1', 1, 2, 1, 3, 21, 'now'), ('k2', 1, 1, 1, 25, 32, 'now');"
        "INSERT INTO memos (guid, text, created_at, modified_at, coding_id) VALUES ('m', 'hm', 'now', 'now', 1);");
  before = cw_test_dump (cw_project_get_path (project));

  /* Deleting the parent cascades to the child, the codings and the memo. */
  edit (project, "Delete code", "DELETE FROM codes WHERE id = 1");
  g_assert_cmpint (count (project, "SELECT count(*) FROM codings"), ==, 0);
  g_assert_cmpint (count (project, "SELECT count(*) FROM memos"), ==, 0);

  undo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes"), ==, 2);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codings"), ==, 2);
  g_assert_cmpint (count (project, "SELECT count(*) FROM memos WHERE coding_id = 1"), ==, 1);
  g_assert_cmpint (count (project, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
  restored = cw_test_dump (cw_project_get_path (project));
  /* Every row as it was, apart from the history tables. */
  g_assert_cmpstr (strstr (before, "codes:"), !=, NULL);
  {
    g_auto(GStrv) a = g_strsplit (before, "\n", -1);
    g_auto(GStrv) b = g_strsplit (restored, "\n", -1);
    guint na = 0, nb = 0;

    for (guint i = 0; a[i]; i++)
      if (!g_str_has_prefix (a[i], "history"))
        {
          while (b[nb] && g_str_has_prefix (b[nb], "history"))
            nb++;
          g_assert_cmpstr (a[i], ==, b[nb]);
          nb++;
          na++;
        }
    g_assert_cmpuint (na, >, 10);
  }

  redo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes"), ==, 0);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codings"), ==, 0);

  cw_test_remove_dir (dir);
}

static void
test_empty_and_aborted_steps (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;

  edit (project, "Nothing", "UPDATE codes SET name = 'x' WHERE id = 42");
  g_assert_false (cw_project_can_undo (project));
  g_assert_cmpint (count (project, "SELECT count(*) FROM history_steps"), ==, 0);

  g_assert_true (_cw_project_begin_step (project, "Aborted", &error));
  g_assert_true (_cw_project_exec (project, ADD_CODE (1, "Stage"), &error));
  _cw_project_abort_step (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes"), ==, 0);
  g_assert_false (cw_project_can_undo (project));
  g_assert_cmpint (count (project, "SELECT recording IS NULL FROM history_state"), ==, 1);

  cw_test_remove_dir (dir);
}

static void
test_shared_between_connections (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) window = cw_test_new_project (dir);
  g_autoptr(CwProject) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  cli = cw_project_open (cw_project_get_path (window), &error);
  g_assert_no_error (error);
  edit (cli, "Add code “Stage”", ADD_CODE (1, "Stage"));
  label = cw_project_get_undo_label (window);
  g_assert_cmpstr (label, ==, "Add code “Stage”");
  undo (window);
  g_assert_cmpint (count (cli, "SELECT count(*) FROM codes"), ==, 0);

  cw_test_remove_dir (dir);
}

/* A new edit drops every step to redo, however it came there: undone
 * through this connection, through another, or in a copy of the file
 * restored into this connection (as cw_backup_restore does). */
static void
test_new_edit_drops_redo (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) window = cw_test_new_project (dir);
  g_autoptr(CwProject) cli = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;

  cli = cw_project_open (cw_project_get_path (window), &error);
  g_assert_no_error (error);
  edit (window, "Add", ADD_CODE (1, "Stage"));
  edit (window, "Add", ADD_CODE (2, "Werk"));

  undo (window);
  g_assert_true (cw_project_can_redo (window));
  edit (window, "Add", ADD_CODE (3, "School"));
  g_assert_false (cw_project_can_redo (window));

  undo (cli);
  g_assert_true (cw_project_can_redo (window));
  edit (window, "Add", ADD_CODE (4, "Thuis"));
  g_assert_false (cw_project_can_redo (window));
  g_assert_false (cw_project_can_redo (cli));

  /* A copy with a step to redo, put back under the window's connection. */
  undo (window);
  g_assert_cmpint (sqlite3_open (":memory:", &copy), ==, SQLITE_OK);
  backup = sqlite3_backup_init (copy, "main", _cw_project_get_db (window), "main");
  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  sqlite3_backup_finish (backup);
  redo (window);
  edit (window, "Add", ADD_CODE (5, "Stage 2"));
  g_assert_false (cw_project_can_redo (window));
  backup = sqlite3_backup_init (_cw_project_get_db (window), "main", copy, "main");
  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  sqlite3_backup_finish (backup);
  sqlite3_close (copy);
  g_assert_true (cw_project_can_redo (window));
  edit (window, "Add", ADD_CODE (6, "Werkgever"));
  g_assert_false (cw_project_can_redo (window));
  g_assert_cmpint (count (window, "SELECT count(*) FROM history_steps WHERE redo = 1"), ==, 0);

  cw_test_remove_dir (dir);
}

static void
count_changed (CwProject *project,
               guint     *counter)
{
  (*counter)++;
}

static void
test_changed_signal (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  CwProject *project = cw_test_new_project (dir);
  guint changed = 0;

  g_signal_connect (project, "changed", G_CALLBACK (count_changed), &changed);
  edit (project, "Add", ADD_CODE (1, "Stage"));
  g_assert_cmpuint (changed, ==, 1);
  undo (project);
  redo (project);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_finalize_object (project);

  cw_test_remove_dir (dir);
}

static void
test_depth (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;

  /* Speed only: this test makes 510 commits. */
  g_assert_true (_cw_project_exec (project, "PRAGMA synchronous = OFF", &error));
  for (int i = 1; i <= 510; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO codes (id, guid, name, created_at)"
                                              " VALUES (%d, 'g%d', 'c%d', 'now')", i, i, i);
      edit (project, "Add", sql);
    }
  g_assert_cmpint (count (project, "SELECT count(*) FROM history_steps"), ==, 500);
  for (int i = 0; i < 500; i++)
    undo (project);
  g_assert_false (cw_project_can_undo (project));
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes"), ==, 10);

  cw_test_remove_dir (dir);
}

/* Virtual machine instructions SQLite ran while the progress handler was
 * on: what the window's questions cost after each change. */
static guint vm_steps;

static int
count_vm_steps (void *data)
{
  vm_steps++;
  return 0;
}

/* The window's four questions after a change; cheap: answered without
 * reading the steps again (a reload reads thousands of rows). */
static void
assert_tops (CwProject  *project,
             const char *undo_label,
             const char *redo_label,
             gboolean    cheap)
{
  sqlite3 *db = _cw_project_get_db (project);
  g_autofree char *undo_now = NULL;
  g_autofree char *redo_now = NULL;
  gboolean can_undo, can_redo;

  vm_steps = 0;
  sqlite3_progress_handler (db, 1, count_vm_steps, NULL);
  can_undo = cw_project_can_undo (project);
  can_redo = cw_project_can_redo (project);
  undo_now = cw_project_get_undo_label (project);
  redo_now = cw_project_get_redo_label (project);
  sqlite3_progress_handler (db, 0, NULL, NULL);

  g_assert_cmpint (can_undo, ==, undo_label != NULL);
  g_assert_cmpint (can_redo, ==, redo_label != NULL);
  g_assert_cmpstr (undo_now, ==, undo_label);
  g_assert_cmpstr (redo_now, ==, redo_label);
  if (cheap)
    g_assert_cmpuint (vm_steps, <, 200);
}

/* Thousands of steps, as another program may leave them (2,000 to undo
 * under 1,000 to redo): undo, redo and their labels stay right after
 * undo, redo, a new edit and another connection's change, and after our
 * own changes they are answered without reading every step. */
static void
test_deep_history (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) window = cw_test_new_project (dir);
  g_autoptr(CwProject) cli = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("BEGIN;");
  sqlite3 *other = NULL;

  for (int i = 1; i <= 2000; i++)
    g_string_append_printf (sql,
                            "INSERT INTO codes (id, guid, name, created_at) VALUES (%d, 'g%d', 'c%d', 'now');"
                            "INSERT INTO history_steps (id, label, redo) VALUES (%d, 'Add c%d', 0);"
                            "INSERT INTO history (step_id, sql) VALUES (%d, 'DELETE FROM \"codes\" WHERE \"id\" = %d');",
                            i, i, i, i, i, i, i);
  for (int i = 2001; i <= 3000; i++)
    g_string_append_printf (sql,
                            "INSERT INTO history_steps (id, label, redo) VALUES (%d, 'Add r%d', 1);"
                            "INSERT INTO history (step_id, sql) VALUES (%d, 'INSERT INTO codes (id, guid, name, created_at)"
                            " VALUES (%d, ''g%d'', ''r%d'', ''now'')');",
                            i, i, i, i + 5000, i, i);
  g_string_append (sql, "COMMIT;");
  /* Another program writes them: the window has not looked yet. */
  g_assert_cmpint (count (window, "SELECT count(*) FROM history_steps"), ==, 0);
  g_assert_cmpint (sqlite3_open_v2 (cw_project_get_path (window), &other, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  assert_tops (window, "Add c2000", "Add r3000", FALSE);
  assert_tops (window, "Add c2000", "Add r3000", TRUE);

  undo (window);
  g_assert_cmpint (count (window, "SELECT count(*) FROM codes WHERE id = 2000"), ==, 0);
  assert_tops (window, "Add c1999", "Add c2000", TRUE);
  redo (window);
  g_assert_cmpint (count (window, "SELECT count(*) FROM codes WHERE id = 2000"), ==, 1);
  assert_tops (window, "Add c2000", "Add r3000", TRUE);
  redo (window);
  g_assert_cmpint (count (window, "SELECT count(*) FROM codes WHERE id = 8000"), ==, 1);
  assert_tops (window, "Add r3000", "Add r2999", TRUE);
  undo (window);
  undo (window);
  assert_tops (window, "Add c1999", "Add c2000", TRUE);

  edit (window, "Add Stage", ADD_CODE (9001, "Stage"));
  assert_tops (window, "Add Stage", NULL, TRUE);
  g_assert_cmpint (count (window, "SELECT count(*) FROM history_steps"), ==, 500);
  g_assert_cmpint (count (window, "SELECT count(*) FROM history_steps WHERE redo = 1"), ==, 0);
  edit (window, "Nothing", "UPDATE codes SET name = 'x' WHERE id = 99999");
  assert_tops (window, "Add Stage", NULL, TRUE);

  /* Another connection undoes: seen without polling. */
  cli = cw_project_open (cw_project_get_path (window), &error);
  g_assert_no_error (error);
  undo (cli);
  assert_tops (window, "Add c1999", "Add Stage", FALSE);
  assert_tops (window, "Add c1999", "Add Stage", TRUE);
  redo (window);
  assert_tops (cli, "Add Stage", NULL, FALSE);
  g_assert_cmpint (count (cli, "SELECT count(*) FROM codes WHERE id = 9001"), ==, 1);

  /* Undone down to the last of the 500 kept. */
  g_assert_true (_cw_project_exec (window, "PRAGMA synchronous = OFF", &error));
  for (int i = 0; i < 500; i++)
    undo (window);
  assert_tops (window, NULL, "Add c1501", TRUE);
  g_assert_false (cw_project_undo (window, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);

  g_clear_object (&cli);
  cw_test_remove_dir (dir);
}

/* Drops the history triggers of the tables whose names match like. */
static void
drop_history_triggers (sqlite3    *db,
                       const char *like)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                       " AND name LIKE '%_history_%' AND tbl_name LIKE ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP TRIGGER \"%s\"", (char *) names->pdata[i]);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    }
}

/* Version 2 had no undo for the cohort tables. */
static void
test_migration_from_version_2 (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = NULL;
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  path = g_strdup (cw_project_get_path (project));
  g_clear_object (&project);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  drop_history_triggers (db, "case%");
  drop_history_triggers (db, "variables");
  drop_history_triggers (db, "value_labels");
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (project, "PRAGMA user_version"), ==, CW_PROJECT_SCHEMA_VERSION);
  g_assert_cmpint (count (project, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                   " AND name LIKE 'case_values_history_%'"), ==, 3);
  edit (project, "Add", "INSERT INTO cases (id, guid, identifier) VALUES (1, 'g1', 'P01')");
  edit (project, "Add", "INSERT INTO variables (id, guid, name) VALUES (1, 'g2', 'age');"
                        "INSERT INTO case_values (case_id, variable_id, number) VALUES (1, 1, 18)");
  undo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM case_values"), ==, 0);
  g_assert_cmpint (count (project, "SELECT count(*) FROM variables"), ==, 0);
  undo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM cases"), ==, 0);

  cw_test_remove_dir (dir);
}

static void
test_migration_from_version_1 (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = NULL;
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  path = g_strdup (cw_project_get_path (project));
  g_clear_object (&project);

  /* Make it a version 1 file: no history. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  drop_history_triggers (db, "%");
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TABLE history; DROP TABLE history_steps; DROP TABLE history_state;"
                                 "DROP INDEX memos_by_coding; DROP INDEX memos_by_code; DROP INDEX memos_by_document;"
                                 "PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count (project, "PRAGMA user_version"), ==, CW_PROJECT_SCHEMA_VERSION);
  edit (project, "Add", ADD_CODE (1, "Stage"));
  undo (project);
  g_assert_cmpint (count (project, "SELECT count(*) FROM codes"), ==, 0);

  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history/insert-update-delete", test_insert_update_delete);
  g_test_add_func ("/history/cascade", test_cascade);
  g_test_add_func ("/history/empty-and-aborted", test_empty_and_aborted_steps);
  g_test_add_func ("/history/shared-between-connections", test_shared_between_connections);
  g_test_add_func ("/history/new-edit-drops-redo", test_new_edit_drops_redo);
  g_test_add_func ("/history/changed-signal", test_changed_signal);
  g_test_add_func ("/history/depth", test_depth);
  g_test_add_func ("/history/deep-history-tops", test_deep_history);
  g_test_add_func ("/history/migration-from-version-1", test_migration_from_version_1);
  g_test_add_func ("/history/migration-from-version-2", test_migration_from_version_2);
  return g_test_run ();
}
