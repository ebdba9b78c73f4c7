/* The project file: creation, opening (and refusing), import transactions,
 * lookups and the off-thread variants. */
#include "config.h"

#include <sqlite3.h>
#include <glib/gstdio.h>

#include "cw-project.h"
#include "cw-test-util.h"

static void
test_create (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "p.codewerk", NULL);
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  project = cw_project_create (path, "Schoolverlaters", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_project_get_title (project), ==, "Schoolverlaters");
  g_assert_cmpstr (cw_project_get_path (project), ==, path);
  g_clear_object (&project);

  /* What another program sees in the file. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "PRAGMA application_id"), ==, CW_PROJECT_APPLICATION_ID);
  g_assert_cmpint (cw_test_sql_int (db, "PRAGMA user_version"), ==, CW_PROJECT_SCHEMA_VERSION);
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM sqlite_master WHERE name IN "
                                        "('documents','turns','speakers','codes','codings','coders','memos',"
                                        "'cases','variables','case_values','case_links','document_index')"), ==, 12);
  sqlite3_close (db);

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_project_get_title (project), ==, "Schoolverlaters");
  g_assert_true (cw_project_set_title (project, "Cohort 2014", &error));
  g_assert_no_error (error);
  g_clear_object (&project);
  project = cw_project_open (path, &error);
  g_assert_cmpstr (cw_project_get_title (project), ==, "Cohort 2014");
  g_clear_object (&project);

  cw_test_remove_dir (dir);
}

static void
test_create_untitled (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "veldwerk.codewerk", NULL);
  g_autoptr(CwProject) project = cw_project_create (path, NULL, NULL);

  /* Without a title the file's name stands in. */
  g_assert_cmpstr (cw_project_get_title (project), ==, "veldwerk");
  g_clear_object (&project);
  cw_test_remove_dir (dir);
}

static void
test_create_refuses_existing (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  CwProject *project;

  g_assert_true (g_file_set_contents (path, "years of work", -1, NULL));
  project = cw_project_create (path, "x", &error);
  g_assert_null (project);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "years of work");
  cw_test_remove_dir (dir);
}

static void
test_open_refusals (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing.codewerk", NULL);
  g_autofree char *text = g_build_filename (dir, "text.codewerk", NULL);
  g_autofree char *other = g_build_filename (dir, "other.sqlite", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.codewerk", NULL);
  g_autofree char *before = NULL, *after = NULL;
  gsize before_len, after_len;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  sqlite3 *db;

  project = cw_project_open (missing, &error);
  g_assert_null (project);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "Interviewer: dit is geen project\n", -1, NULL));
  project = cw_project_open (text, &error);
  g_assert_null (project);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT);
  g_assert_nonnull (strstr (error->message, text));
  g_clear_error (&error);

  /* Another program's database: refused and left byte-identical. */
  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (other, &before, &before_len, NULL));
  project = cw_project_open (other, &error);
  g_assert_null (project);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (other, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  {
    g_autofree char *wal = g_strconcat (other, "-wal", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }

  /* A project from a newer Codewerk. */
  project = cw_project_create (newer, "new", &error);
  g_assert_no_error (error);
  g_clear_object (&project);
  g_assert_cmpint (sqlite3_open (newer, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  project = cw_project_open (newer, &error);
  g_assert_null (project);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, "newer version"));

  cw_test_remove_dir (dir);
}

static void
test_import_and_read (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) brief = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  CwDocumentInfo *info;
  const CwTurn *turn;

  g_ptr_array_add (files, cw_test_write_file (dir, "werkgever-interview-bakker.txt",
                                              "Interviewer: Hoe lang werkt Kevin al bij u?\n"
                                              "Werkgever: Nu een jaar. Hij komt altijd op tijd.\n"
                                              "Interviewer: En de jobcoach?\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "notities.txt", "Geen sprekers hier.\n"));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);

  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 2);
  info = g_ptr_array_index (documents, 0);
  g_assert_cmpint (info->id, ==, g_array_index (ids, gint64, 0));
  g_assert_cmpstr (info->name, ==, "werkgever-interview-bakker.txt");
  g_assert_cmpint (info->kind, ==, CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW);
  g_assert_cmpuint (info->n_turns, ==, 3);
  g_assert_cmpuint (g_strv_length (info->speakers), ==, 2);
  g_assert_cmpstr (info->speakers[0], ==, "Interviewer");
  g_assert_cmpstr (info->speakers[1], ==, "Werkgever");
  g_assert_nonnull (info->guid);
  g_assert_nonnull (info->imported_at);

  /* The window's listing: the same documents in the same order with the
   * same details, only the turns not counted. */
  brief = cw_project_list_documents_brief (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (brief->len, ==, documents->len);
  for (guint i = 0; i < brief->len; i++)
    {
      const CwDocumentInfo *full_info = g_ptr_array_index (documents, i);
      const CwDocumentInfo *brief_info = g_ptr_array_index (brief, i);

      g_assert_cmpint (brief_info->id, ==, full_info->id);
      g_assert_cmpstr (brief_info->name, ==, full_info->name);
      g_assert_cmpstr (brief_info->guid, ==, full_info->guid);
      g_assert_cmpint (brief_info->kind, ==, full_info->kind);
      g_assert_cmpint (brief_info->characters, ==, full_info->characters);
      g_assert_cmpstr (brief_info->original_name, ==, full_info->original_name);
      g_assert_true (g_strv_equal ((const char * const *) brief_info->speakers,
                                   (const char * const *) full_info->speakers));
      g_assert_cmpuint (brief_info->n_turns, ==, 0);
    }

  text = cw_project_get_text (project, info->id, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "Interviewer: Hoe lang werkt Kevin al bij u?\nWerkgever: Nu een jaar."));
  g_assert_cmpint (info->characters, ==, g_utf8_strlen (text, -1));

  turns = cw_project_get_turns (project, info->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (turns->len, ==, 3);
  turn = g_ptr_array_index (turns, 1);
  g_assert_cmpstr (turn->speaker, ==, "Werkgever");
  cw_test_assert_substring (text, turn->start, turn->end, "Nu een jaar. Hij komt altijd op tijd.");

  info = g_ptr_array_index (documents, 1);
  g_assert_cmpuint (info->n_turns, ==, 0);
  g_assert_cmpuint (g_strv_length (info->speakers), ==, 0);

  cw_test_remove_dir (dir);
}

static void
test_import_unique_names (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *sub = g_build_filename (dir, "wave2", NULL);
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir (sub, 0700);
  g_ptr_array_add (files, cw_test_write_file (dir, "interview.txt", "Eerste golf.\n"));
  g_ptr_array_add (files, cw_test_write_file (sub, "interview.txt", "Tweede golf.\n"));
  ids = cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_array_unref);
  ids = cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  documents = cw_project_list_documents (project, &error);
  g_assert_cmpuint (documents->len, ==, 4);
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 0))->name, ==, "interview.txt");
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 1))->name, ==, "interview (2).txt");
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 2))->name, ==, "interview (3).txt");
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 3))->name, ==, "interview (4).txt");
  g_assert_cmpint (((CwDocumentInfo *) g_ptr_array_index (documents, 3))->kind, ==, CW_DOCUMENT_KIND_INTERVIEW);
  g_assert_cmpstr (((CwDocumentInfo *) g_ptr_array_index (documents, 3))->original_name, ==, "interview.txt");

  cw_test_remove_dir (dir);
}

static void
test_import_all_or_nothing (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *dump_before = NULL, *dump_after = NULL;

  g_ptr_array_add (files, cw_test_write_file (dir, "goed.txt", "Interviewer: Dit gaat goed.\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "leeg.txt", ""));
  g_ptr_array_add (files, cw_test_write_file (dir, "ook-goed.txt", "R: Ook goed.\n"));

  dump_before = cw_test_dump (cw_project_get_path (project));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_null (ids);
  g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "leeg.txt"));
  g_clear_error (&error);

  documents = cw_project_list_documents (project, &error);
  g_assert_cmpuint (documents->len, ==, 0);
  g_clear_pointer (&documents, g_ptr_array_unref);

  /* Cancelled before it starts: nothing either. */
  g_ptr_array_remove_index (files, 1);
  g_cancellable_cancel (cancellable);
  ids = cw_project_import (project, files, -1, NULL, NULL, cancellable, &error);
  g_assert_null (ids);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  dump_after = cw_test_dump (cw_project_get_path (project));
  g_assert_cmpstr (dump_before, ==, dump_after);

  cw_test_remove_dir (dir);
}

static void
test_lookup (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = NULL;
  gint64 first, second;

  g_ptr_array_add (files, cw_test_write_file (dir, "a.txt", "Eerste.\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "1", "Een document dat '1' heet.\n"));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  first = g_array_index (ids, gint64, 0);
  second = g_array_index (ids, gint64, 1);

  g_assert_cmpint (cw_project_lookup_document (project, "a.txt", &error), ==, first);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, second);
  /* "1" is both a name and an id: the name wins. */
  g_assert_cmpint (cw_project_lookup_document (project, "1", &error), ==, second);
  g_assert_cmpint (cw_project_lookup_document (project, id_text, &error), ==, second);
  g_assert_no_error (error);

  g_assert_cmpint (cw_project_lookup_document (project, "onbekend.txt", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "onbekend.txt"));
  g_clear_error (&error);

  g_assert_true (cw_project_set_document_kind (project, first, CW_DOCUMENT_KIND_FOCUS_GROUP, &error));
  g_assert_no_error (error);
  {
    g_autoptr(CwDocumentInfo) info = cw_project_get_document_info (project, first, &error);
    g_assert_cmpint (info->kind, ==, CW_DOCUMENT_KIND_FOCUS_GROUP);
  }
  g_assert_false (cw_project_set_document_kind (project, 9999, CW_DOCUMENT_KIND_ARENA, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);

  cw_test_remove_dir (dir);
}

typedef struct
{
  GMainLoop *loop;
  GArray    *ids;
  GPtrArray *hits;
  CwDocument *document;
  GError    *error;
  guint      progress_calls;
  guint      last_done;
  GThread   *main_thread;
} AsyncState;

static void
on_progress (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  AsyncState *state = user_data;

  /* Progress reaches the caller's thread, never the worker's. */
  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpuint (total, ==, 3);
  g_assert_cmpuint (done, >=, state->last_done);
  state->last_done = done;
  state->progress_calls++;
}

static void
on_imported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  state->ids = cw_project_import_finish (CW_PROJECT (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState *state = user_data;

  state->hits = cw_project_search_finish (CW_PROJECT (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->document = cw_project_load_document_finish (CW_PROJECT (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  AsyncState state = { 0 };
  const CwSearchHit *hit;

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  g_ptr_array_add (files, cw_test_write_file (dir, "een.txt", "Leerling: Ik wil bij de bakker werken.\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "twee.txt", "Ouder: Hij praat over niets anders.\n"));
  g_ptr_array_add (files, cw_test_write_file (dir, "drie.txt", "Docent: De bakker heeft geduld.\n"));

  cw_project_import_async (project, files, -1, on_progress, &state, NULL, on_imported, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.ids->len, ==, 3);
  g_assert_cmpuint (state.progress_calls, >=, 3);
  g_assert_cmpuint (state.last_done, ==, 3);

  cw_project_search_async (project, "bakker", 0, 0, NULL, on_searched, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_cmpuint (state.hits->len, ==, 2);
  hit = g_ptr_array_index (state.hits, 1);
  g_assert_cmpstr (hit->document, ==, "drie.txt");
  g_assert_cmpint (hit->start, ==, 11);
  g_assert_cmpint (hit->end, ==, 17);

  cw_project_load_document_async (project, g_array_index (state.ids, gint64, 1), NULL, on_loaded, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_cmpstr (state.document->info->name, ==, "twee.txt");
  g_assert_cmpstr (state.document->text, ==, "Ouder: Hij praat over niets anders.");
  g_assert_cmpuint (state.document->turns->len, ==, 1);

  g_array_unref (state.ids);
  g_ptr_array_unref (state.hits);
  cw_document_free (state.document);
  g_main_loop_unref (state.loop);
  cw_test_remove_dir (dir);
}


static guint
search_async_count (CwProject  *project,
                    AsyncState *state,
                    const char *query)
{
  guint n;

  cw_project_search_async (project, query, 0, 0, NULL, on_searched, state);
  g_main_loop_run (state->loop);
  g_assert_no_error (state->error);
  n = state->hits->len;
  g_clear_pointer (&state->hits, g_ptr_array_unref);
  return n;
}

/* Searches one after another share a worker's connection: each still sees
 * what was committed since the last one, and a project file put in the
 * place of the one that connection opened is read, not the old one. */
static void
test_async_kept_reader (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *other_dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  AsyncState state = { 0 };

  state.loop = g_main_loop_new (NULL, FALSE);
  state.main_thread = g_thread_self ();
  g_ptr_array_add (files, cw_test_write_file (dir, "een.txt", "Leerling: Ik wil bij de bakker werken.\n"));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_array_unref);

  g_assert_cmpuint (search_async_count (project, &state, "bakker"), ==, 1);
  g_assert_cmpuint (search_async_count (project, &state, "bakker"), ==, 1);

  g_ptr_array_add (more, cw_test_write_file (dir, "twee.txt", "Docent: De bakker heeft geduld. Bakker!\n"));
  ids = cw_project_import (project, more, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (search_async_count (project, &state, "bakker"), ==, 3);

  /* Another project renamed over this one's file (this one's WAL emptied
   * first, as SQLite would otherwise read its frames into the newcomer). */
  {
    g_autoptr(CwProject) other = cw_test_new_project (other_dir);
    g_autoptr(GPtrArray) other_files = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GArray) other_ids = NULL;
    g_autofree char *other_path = NULL;
    sqlite3 *db = NULL;

    g_ptr_array_add (other_files, cw_test_write_file (other_dir, "drie.txt", "Ouder: Geen bakker hier, wel een slager.\n"));
    other_ids = cw_project_import (other, other_files, -1, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    other_path = g_strdup (cw_project_get_path (other));
    g_clear_object (&other); /* checkpoints its WAL into the file */
    g_assert_cmpuint (search_async_count (project, &state, "slager"), ==, 0);

    g_assert_cmpint (sqlite3_open (cw_project_get_path (project), &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
    g_assert_cmpint (g_rename (other_path, cw_project_get_path (project)), ==, 0);
  }
  g_assert_cmpuint (search_async_count (project, &state, "slager"), ==, 1);

  g_main_loop_unref (state.loop);
  cw_test_remove_dir (dir);
  cw_test_remove_dir (other_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/project/create", test_create);
  g_test_add_func ("/project/create-untitled", test_create_untitled);
  g_test_add_func ("/project/create-refuses-existing", test_create_refuses_existing);
  g_test_add_func ("/project/open-refusals", test_open_refusals);
  g_test_add_func ("/project/import-and-read", test_import_and_read);
  g_test_add_func ("/project/import-unique-names", test_import_unique_names);
  g_test_add_func ("/project/import-all-or-nothing", test_import_all_or_nothing);
  g_test_add_func ("/project/lookup", test_lookup);
  g_test_add_func ("/project/async", test_async);
  g_test_add_func ("/project/async-kept-reader", test_async_kept_reader);
  return g_test_run ();
}
