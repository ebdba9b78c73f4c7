/* test-open-window.c: opening a project without holding up the window
 * (issue 12). A project made by an older Codewerk (no documents_listing
 * index) still lists every document and opens the first; the codebook's
 * counts arrive from a worker and are right, also in the Delete dialog
 * asked for at once; a list longer than a frame's batch ends up complete,
 * in order, with the kind's full count on its heading from the start.
 *
 * Like the other GUI tests it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "cw-codebook.h"
#include "cw-codebook-panel-private.h"
#include "cw-document-item.h"
#include "cw-document-list-private.h"
#include "cw-transcript-view.h"
#include "cw-window-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"

static gboolean
window_idle (gpointer data)
{
  CwWindow *window = data;

  return !_cw_window_is_busy (window) &&
         cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window)) != 0;
}

static gboolean
project_released (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

static CwWindow *
new_window (void)
{
  CwWindow *window = cw_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  cw_test_wait_ms (100);
  return window;
}

static void
close_window (CwWindow  *window,
              CwProject *project)
{
  g_object_ref (project);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (cw_test_wait_until (project_released, project));
  g_object_unref (project);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  value = cw_test_sql_int (db, sql);
  sqlite3_close (db);
  return value;
}

/* The code with the most codings of its own, from the project itself. */
static const CwCode *
busiest (GPtrArray *codes)
{
  const CwCode *best = NULL;

  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);

      if (best == NULL || code->n_codings > best->n_codings)
        best = code;
    }
  return best;
}

static void
test_older_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = cw_test_copy_example (dir, "older.codewerk");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *body = NULL;
  GPtrArray *shown;
  const CwCode *code;
  AdwMessageDialog *dialog;
  CwCodebookPanel *panel;
  CwWindow *window;
  CwProject *project;
  gint64 n_documents;

  /* As an older version left it. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DROP INDEX documents_listing", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'documents_listing'"), ==, 0);
  n_documents = sql_int (path, "SELECT count(*) FROM documents");
  g_assert_cmpint (n_documents, >, 1);

  window = new_window ();
  g_assert_true (cw_window_open_file (window, file, &error));
  g_assert_no_error (error);
  project = cw_window_get_project (window);
  panel = _cw_window_get_codebook_panel (window);

  /* Delete asked for at once: the dialog counts the codings even if the
   * worker has not yet. */
  expected = cw_project_list_codes (project, &error);
  g_assert_no_error (error);
  code = busiest (expected);
  g_assert_cmpuint (code->n_codings, >, 1);
  g_assert_true (cw_codebook_panel_select_code (panel, code->id));
  gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.delete", NULL);
  dialog = _cw_codebook_panel_get_dialog (panel);
  g_assert_nonnull (dialog);
  body = g_strdup_printf ("%u codings", code->n_codings);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), body));
  adw_message_dialog_response (dialog, "cancel");

  /* Everything listed, the first document open, the index made. */
  g_assert_true (cw_test_wait_until (window_idle, window));
  g_assert_cmpuint (cw_document_list_get_n_documents (_cw_window_get_document_list (window)), ==, n_documents);
  g_assert_cmpint (sql_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'documents_listing'"), ==, 1);

  /* The counts the panel shows are the project's. */
  shown = cw_codebook_panel_get_codes (panel);
  g_assert_cmpuint (shown->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const CwCode *a = g_ptr_array_index (expected, i);
      const CwCode *b = g_ptr_array_index (shown, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpuint (a->n_codings, ==, b->n_codings);
    }

  close_window (window, project);
  cw_test_remove_dir (dir);
}

static void
test_long_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *files_dir = g_build_filename (dir, "in", NULL);
  CwProject *project;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GtkTreeListRow) heading = NULL;
  g_autoptr(CwDocumentItem) kind = NULL;
  GListModel *children;
  CwDocumentList *list;
  CwWindow *window;
  const guint n = 150;

  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);
  /* Named so that name order differs from import order. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("gesprek-%03u.txt", (i * 7) % n);

      g_ptr_array_add (files, cw_test_write_file (files_dir, name, "Interviewer: Hoe gaat het?\nKevin: Goed.\n"));
    }
  project = cw_test_new_project (dir);
  ids = cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n);

  window = new_window ();
  cw_window_set_project (window, project);
  g_object_unref (project); /* the window's now */
  list = _cw_window_get_document_list (window);
  g_assert_cmpuint (cw_document_list_get_n_documents (list), ==, n);
  g_assert_true (cw_test_wait_until (window_idle, window));

  /* One kind, its heading first with every document under it, by name. */
  heading = g_list_model_get_item (G_LIST_MODEL (cw_document_list_get_selection (list)), 0);
  kind = gtk_tree_list_row_get_item (heading);
  children = G_LIST_MODEL (cw_document_item_get_children (kind));
  g_assert_cmpuint (g_list_model_get_n_items (children), ==, n);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cw_document_list_get_selection (list))), ==, n + 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwDocumentItem) item = g_list_model_get_item (children, i);
      g_autofree char *name = g_strdup_printf ("gesprek-%03u.txt", i);

      g_assert_cmpstr (cw_document_item_get_name (item), ==, name);
    }

  /* The last document by name can be chosen at once after a fresh listing,
   * before the frames that add it. */
  cw_window_set_project (window, project);
  g_assert_true (cw_document_list_select_document (list, g_array_index (ids, gint64, 107)));
  {
    g_autoptr(CwDocumentItem) selected =
      gtk_tree_list_row_get_item (gtk_single_selection_get_selected_item (cw_document_list_get_selection (list)));

    g_assert_cmpstr (cw_document_item_get_name (selected), ==, "gesprek-149.txt");
  }

  close_window (window, project);
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add_func ("/open-window/older-project", test_older_project);
  g_test_add_func ("/open-window/long-list", test_long_list);

  return g_test_run ();
}
