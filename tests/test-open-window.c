/* test-open-window.c: opening a project without holding up the window
 * (issue 12). A project made by an older Codewerk (no documents_listing
 * index) still lists every document and opens the first; the codebook's
 * counts arrive from a worker and are right, also in the Delete dialog
 * asked for at once; a list longer than a frame's batch ends up complete,
 * in order, with the kind's full count on its heading from the start, also
 * while the list is not on screen; another connection's commit reaches the
 * list and the codebook from workers, the selection kept and the last
 * counts shown meanwhile.
 *
 * Like the other GUI tests it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-codebook-panel-private.h"
#include "cw-code-item.h"
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

/* Imports n one-turn interviews named so that name order differs from
 * import order; returns their ids in import order. */
static GArray *
import_interviews (CwProject  *project,
                   const char *dir,
                   guint       n)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *files_dir = g_build_filename (dir, "in", NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  GArray *ids;

  g_assert_cmpint (g_mkdir (files_dir, 0700), ==, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("gesprek-%03u.txt", (i * 7) % n);

      g_ptr_array_add (files, cw_test_write_file (files_dir, name, "Interviewer: Hoe gaat het?\nKevin: Goed.\n"));
    }
  ids = cw_project_import (project, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n);
  return ids;
}

/* Documents under the list's first kind, as a walk over the model sees. */
static guint
listed_under_first_kind (CwDocumentList *list)
{
  g_autoptr(GtkTreeListRow) heading = g_list_model_get_item (G_LIST_MODEL (cw_document_list_get_selection (list)), 0);
  g_autoptr(CwDocumentItem) kind = gtk_tree_list_row_get_item (heading);

  return g_list_model_get_n_items (G_LIST_MODEL (cw_document_item_get_children (kind)));
}

static gboolean
list_filled (gpointer data)
{
  return !_cw_document_list_is_filling (data);
}

/* A window not on screen (not yet presented, or the list's page not shown)
 * has no frames: the list still fills in full. */
static void
test_hidden_list_fills (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  CwProject *project = cw_test_new_project (dir);
  g_autoptr(GArray) ids = import_interviews (project, dir, 150);
  CwDocumentList *list;
  CwWindow *window;

  window = cw_window_new (NULL);
  cw_window_set_project (window, project);
  g_object_unref (project); /* the window's now */
  list = _cw_window_get_document_list (window);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (list)));
  g_assert_cmpuint (cw_document_list_get_n_documents (list), ==, 150);

  g_assert_true (cw_test_wait_until (list_filled, list));
  g_assert_cmpuint (listed_under_first_kind (list), ==, 150);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cw_document_list_get_selection (list))), ==, 151);

  close_window (window, project);
  cw_test_remove_dir (dir);
}

typedef struct
{
  CwWindow *window;
  gint64    added;       /* the document the other connection imported */
  gint64    code;
  guint     count_before;
  gboolean  seen;
  gboolean  listed_at_once;
  guint     count_at_once;
  gboolean  counted_at_once;
} Outside;

/* The count the code's row shows (its item's), G_MAXUINT if it has none. */
static guint
row_count (CwWindow *window,
           gint64    id)
{
  GtkListView *view = _cw_codebook_panel_get_list_view (_cw_window_get_codebook_panel (window));
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (view));

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(CwCodeItem) item = gtk_tree_list_row_get_item (row);

      if (cw_code_item_get_id (item) == id)
        return cw_code_item_get_code (item)->n_codings;
    }
  return G_MAXUINT;
}

static const CwCode *
find_panel_code (CwWindow *window,
                 gint64    id)
{
  GPtrArray *codes = cw_codebook_panel_get_codes (_cw_window_get_codebook_panel (window));

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    if (((const CwCode *) g_ptr_array_index (codes, i))->id == id)
      return g_ptr_array_index (codes, i);
  return NULL;
}

/* Right after the window has handled the change: what it shows then. */
static void
outside_changed_cb (CwProject *project,
                    Outside   *outside)
{
  const CwCode *code = find_panel_code (outside->window, outside->code);

  if (outside->seen)
    return;
  outside->seen = TRUE;
  outside->listed_at_once =
    cw_document_list_lookup (_cw_window_get_document_list (outside->window), outside->added) != NULL;
  outside->count_at_once = code != NULL ? code->n_codings : G_MAXUINT;
  outside->counted_at_once = !_cw_codebook_panel_is_counting (_cw_window_get_codebook_panel (outside->window));
}

static gboolean
outside_followed (gpointer data)
{
  Outside *outside = data;

  return outside->seen && !_cw_window_is_busy (outside->window) &&
         cw_document_list_lookup (_cw_window_get_document_list (outside->window), outside->added) != NULL;
}

/* Another connection imports a document and codes: the window lists and
 * counts again on workers (the main loop only compares and shows), keeps
 * the selected document, and shows the last counts until the new ones. */
static void
test_outside_change_aside (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *more = g_build_filename (dir, "meer", NULL);
  CwProject *project = cw_test_new_project (dir);
  g_autoptr(GArray) ids = import_interviews (project, dir, 60);
  g_autoptr(CwProject) other = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) added = NULL;
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(CwDocumentItem) selected = NULL;
  gint64 chosen = g_array_index (ids, gint64, 30);
  Outside outside = { 0 };
  CwDocumentList *list;
  CwWindow *window;

  outside.code = cw_project_add_code (project, "Werk/Stage", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_coding (project, chosen, outside.code, 0, 11, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);

  window = new_window ();
  outside.window = window;
  cw_window_set_project (window, project);
  g_object_unref (project); /* the window's now */
  list = _cw_window_get_document_list (window);
  g_assert_true (cw_test_wait_until (window_idle, window));
  g_assert_true (cw_document_list_select_document (list, chosen));
  g_signal_emit_by_name (list, "document-selected", chosen);
  g_assert_true (cw_test_wait_until (window_idle, window));
  g_assert_cmpuint (find_panel_code (window, outside.code)->n_codings, ==, 1);

  /* Another connection to the same file: a document and a coding. */
  other = cw_project_open (cw_project_get_path (project), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (more, 0700), ==, 0);
  g_ptr_array_add (files, cw_test_write_file (more, "aaa-eerste.txt", "Interviewer: En nu?\nKevin: Werk.\n"));
  added = cw_project_import (other, files, CW_DOCUMENT_KIND_INTERVIEW, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  outside.added = g_array_index (added, gint64, 0);
  g_assert_cmpint (cw_project_add_coding (other, outside.added, outside.code, 0, 11, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);

  g_signal_connect_after (project, "changed", G_CALLBACK (outside_changed_cb), &outside);
  g_assert_true (cw_test_wait_until (outside_followed, &outside));
  g_signal_handlers_disconnect_by_func (project, outside_changed_cb, &outside);

  /* On the main loop only the short reads: the list and the counts came
   * later, and meanwhile the code showed its last count, not none. */
  g_assert_false (outside.listed_at_once);
  g_assert_false (outside.counted_at_once);
  g_assert_cmpuint (outside.count_at_once, ==, 1);

  /* Then everything, as a fresh open would show it. */
  g_assert_cmpuint (cw_document_list_get_n_documents (list), ==, 61);
  g_assert_true (cw_test_wait_until (list_filled, list));
  g_assert_cmpuint (listed_under_first_kind (list), ==, 61);
  g_assert_cmpuint (find_panel_code (window, outside.code)->n_codings, ==, 2);
  g_assert_cmpuint (row_count (window, outside.code), ==, 2);
  g_assert_cmpint (cw_transcript_view_get_document_id (_cw_window_get_transcript_view (window)), ==, chosen);
  row = gtk_single_selection_get_selected_item (cw_document_list_get_selection (list));
  g_assert_nonnull (row);
  row = g_object_ref (row);
  selected = gtk_tree_list_row_get_item (row);
  g_assert_cmpint (cw_document_item_get_id (selected), ==, chosen);

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
  g_test_add_func ("/open-window/hidden-list-fills", test_hidden_list_fills);
  g_test_add_func ("/open-window/outside-change-aside", test_outside_change_aside);

  return g_test_run ();
}
