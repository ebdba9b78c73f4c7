/* test-merge-window.c: merging another coder's copy from the window,
 * driven in-process under Xvfb through what the file chooser calls.
 *
 * The copies are made from the example project (two coders already): in
 * Bram's copy, through the core, a third coder codes some text, a code is
 * renamed, a document is added and another one's text differs. Then the
 * window merges it: codings appear in the transcript and the codebook's
 * counts, the review dialog lists the conflicts by kind, and Undo Merge
 * puts everything back. Also: a clean merge (a toast with Undo, then the
 * same file again adds nothing), the project's own file refused, a broken
 * file, Cancel, the menu, and the dialog with every kind of conflict.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <sqlite3.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-merge.h"
#include "cw-merge-review-dialog.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"
#include "cw-test-util.h"
#include "cw-test-gui.h"

#define BRAM_CODINGS 3

typedef struct
{
  char      *dir;
  char      *ours;     /* the project in the window */
  char      *theirs;   /* Bram's copy */
  CwProject *project;
  CwWindow  *window;
  gint64     document; /* the document the window opens on */
  gint64     gap_start; /* text nobody coded there, which Bram codes */
  gint64     gap_end;
} Fixture;

static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, len, &error);
  g_assert_no_error (error);
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static guint
n_codings_in (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = cw_project_list_documents (project, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);
      g_autoptr(GPtrArray) codings = cw_project_list_document_codings (project, info->id, &error);

      g_assert_no_error (error);
      n += codings->len;
    }
  return n;
}

/* The codings the codebook panel counts, over all its codes. */
static guint
panel_count (CwWindow *window)
{
  GPtrArray *codes = cw_codebook_panel_get_codes (_cw_window_get_codebook_panel (window));
  guint n = 0;

  for (guint i = 0; i < codes->len; i++)
    n += ((CwCode *) g_ptr_array_index (codes, i))->n_codings;
  return n;
}

static gboolean
panel_has_path (CwWindow   *window,
                const char *path)
{
  GPtrArray *codes = cw_codebook_panel_get_codes (_cw_window_get_codebook_panel (window));

  for (guint i = 0; i < codes->len; i++)
    if (g_strcmp0 (((CwCode *) g_ptr_array_index (codes, i))->path, path) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
transcript_shows_coding (CwWindow *window,
                         gint64    offset)
{
  return _cw_transcript_view_get_coding_tag_at (_cw_window_get_transcript_view (window), offset) != NULL;
}

/* A stretch of at least 20 characters of document that nobody coded. */
static void
find_gap (CwProject *project,
          gint64     document,
          gint64    *start,
          gint64    *end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = cw_project_list_document_codings (project, document, &error);
  g_autofree char *text = cw_project_get_text (project, document, &error);
  gint64 length = g_utf8_strlen (text, -1);
  g_autofree gboolean *coded = g_new0 (gboolean, length);
  gint64 run = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (codings, i);

      for (gint64 c = coding->start; c < coding->end && c < length; c++)
        coded[c] = TRUE;
    }
  /* Skip the first line: a title some views treat apart. */
  for (gint64 c = 100; c < length; c++)
    {
      run = coded[c] ? 0 : run + 1;
      if (run == 20)
        {
          *start = c - 19;
          *end = c + 1;
          return;
        }
    }
  g_assert_not_reached ();
}

static void
show_window (CwWindow **window)
{
  *window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (*window), 1200, 760);
  gtk_window_present (GTK_WINDOW (*window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples",
                                               "example.codewerk", NULL);

  g_assert_true (g_file_test (example, G_FILE_TEST_IS_REGULAR));
  fixture->dir = cw_test_make_dir ();
  fixture->ours = g_build_filename (fixture->dir, "lotte-ruben.codewerk", NULL);
  fixture->theirs = g_build_filename (fixture->dir, "bram.codewerk", NULL);
  copy_file (example, fixture->ours);
  copy_file (example, fixture->theirs);

  fixture->project = cw_project_open (fixture->ours, &error);
  g_assert_no_error (error);
  show_window (&fixture->window);
  cw_window_set_project (fixture->window, fixture->project);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  fixture->document = cw_transcript_view_get_document_id (_cw_window_get_transcript_view (fixture->window));
  g_assert_cmpint (fixture->document, >, 0);
  find_gap (fixture->project, fixture->document, &fixture->gap_start, &fixture->gap_end);
  g_assert_false (transcript_shows_coding (fixture->window, fixture->gap_start));
}

/* Bram, the third coder, codes the gap and two more places in his copy. */
static void
code_as_bram (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) theirs = cw_project_open (fixture->theirs, &error);
  gint64 code;

  g_assert_no_error (error);
  code = cw_project_lookup_code (theirs, "Stage en werk/Stageplek vinden", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < BRAM_CODINGS; i++)
    {
      gint64 start = fixture->gap_start + 6 * i;

      g_assert_cmpint (cw_project_add_coding (theirs, fixture->document, code, start, MIN (start + 6, fixture->gap_end),
                                              "Bram", NULL, &error), >, 0);
      g_assert_no_error (error);
    }
}

/* The copy that conflicts: a renamed code, another text, a new document. */
static void
make_conflicts (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) theirs = cw_project_open (fixture->theirs, &error);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  gint64 code;

  g_assert_no_error (error);
  code = cw_project_lookup_code (theirs, "Stage en werk/Mislukte stage", &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_rename_code (theirs, code, "Stage mislukt", &error));
  g_assert_no_error (error);

  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-bram.txt",
                                              "Interviewer: Hoe gaat het nu?\n"
                                              "Dewi: Goed. Ik werk drie dagen bij de groenvoorziening 🌳.\n"));
  ids = cw_project_import (theirs, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&theirs);

  /* A typo fixed in another tool: Codewerk itself does not edit texts. */
  sql_exec (fixture->theirs, "UPDATE documents SET text = replace (text, 'bakker', 'bakkersbedrijf'),"
                             " characters = characters + 6"
                             " WHERE name = 'werkgever-interview-bakkerij.txt'");
}

static void
destroy_window (CwWindow *window)
{
  gpointer weak = window;

  g_assert_true (cw_test_wait_until (window_idle, window));
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  destroy_window (fixture->window);
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->ours);
  g_free (fixture->theirs);
  g_free (fixture->dir);
}

static void
merge_paths (CwWindow   *window,
             const char *path)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, g_file_new_for_path (path));
  _cw_window_merge_files (window, files);
}

/* A visible window of type over window, or NULL. */
static gpointer
find_dialog (CwWindow *window,
             GType     type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  gpointer dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

static gboolean
review_shown (gpointer data)
{
  return find_dialog (data, CW_TYPE_MERGE_REVIEW_DIALOG) != NULL;
}

static gboolean
message_shown (gpointer data)
{
  return find_dialog (data, ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static GtkWidget *
next_widget (GtkWidget *w,
             GtkWidget *root)
{
  if (gtk_widget_get_first_child (w) != NULL)
    return gtk_widget_get_first_child (w);
  while (w != NULL && w != root && gtk_widget_get_next_sibling (w) == NULL)
    w = gtk_widget_get_parent (w);
  return w == NULL || w == root ? NULL : gtk_widget_get_next_sibling (w);
}

/* What the dialog shows, a line per row: "title | subtitle | value". */
static char *
rows_text (GtkWidget *root)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (GtkWidget *w = root; w != NULL; w = next_widget (w, root))
    if (ADW_IS_ACTION_ROW (w) && gtk_widget_get_visible (w))
      {
        const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (w));

        g_string_append (text, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)));
        g_string_append_printf (text, " | %s |", subtitle != NULL ? subtitle : "");
        /* The value is the suffix label (after the title box). */
        for (GtkWidget *c = next_widget (w, w); c != NULL; c = next_widget (c, w))
          if (GTK_IS_LABEL (c) && gtk_widget_has_css_class (c, "dim-label"))
            g_string_append_printf (text, " %s", gtk_label_get_text (GTK_LABEL (c)));
        g_string_append_c (text, '\n');
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The preferences groups' titles, in order. */
static char *
group_titles (GtkWidget *root)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (GtkWidget *w = root; w != NULL; w = next_widget (w, root))
    if (ADW_IS_PREFERENCES_GROUP (w) && gtk_widget_get_visible (w))
      g_string_append_printf (text, "%s\n", adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (w)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
group_description (GtkWidget  *root,
                   const char *title)
{
  for (GtkWidget *w = root; w != NULL; w = next_widget (w, root))
    if (ADW_IS_PREFERENCES_GROUP (w) &&
        g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (w)), title) == 0)
      return adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (w));
  return NULL;
}

static GtkWidget *
find_window_title (GtkWidget *root)
{
  for (GtkWidget *w = root; w != NULL; w = next_widget (w, root))
    if (ADW_IS_WINDOW_TITLE (w))
      return w;
  return NULL;
}

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action)
{
  for (GtkWidget *w = root; w != NULL; w = next_widget (w, root))
    if (GTK_IS_ACTIONABLE (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
      return w;
  return NULL;
}

static void
close_message (AdwMessageDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  adw_message_dialog_response (dialog, "close");
  if (weak != NULL)
    gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

/* Tests */

/* A copy with conflicts: merged, reviewed, and undone from the dialog. */
static void
test_conflicts (Fixture       *fixture,
                gconstpointer  data)
{
  CwWindow *window = fixture->window;
  CwDocumentList *list = _cw_window_get_document_list (window);
  guint codings_before = n_codings_in (fixture->project);
  guint panel_before = panel_count (window);
  guint documents_before = cw_document_list_get_n_documents (list);
  CwMergeReviewDialog *dialog;
  g_autofree char *rows = NULL;
  g_autofree char *groups = NULL;
  GtkWidget *undo;
  gpointer weak;

  code_as_bram (fixture);
  make_conflicts (fixture);
  g_assert_cmpuint (panel_before, ==, codings_before);

  merge_paths (window, fixture->theirs);
  g_assert_true (_cw_window_is_busy (window));
  g_assert_true (cw_test_wait_until (window_idle, window));
  g_assert_true (cw_test_wait_until (review_shown, window));

  /* Bram's codings are in the project, the codebook's counts and the
   * transcript shown; his new document is in the list. The code keeps
   * our name. */
  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before + BRAM_CODINGS);
  g_assert_cmpuint (panel_count (window), ==, panel_before + BRAM_CODINGS);
  g_assert_true (transcript_shows_coding (window, fixture->gap_start));
  g_assert_cmpuint (cw_document_list_get_n_documents (list), ==, documents_before + 1);
  g_assert_true (panel_has_path (window, "Stage en werk/Mislukte stage"));
  g_assert_false (panel_has_path (window, "Stage en werk/Stage mislukt"));

  dialog = find_dialog (window, CW_TYPE_MERGE_REVIEW_DIALOG);
  rows = rows_text (GTK_WIDGET (dialog));
  groups = group_titles (GTK_WIDGET (dialog));
  g_test_message ("rows:\n%s\ngroups:\n%s", rows, groups);
  g_assert_nonnull (strstr (groups, "Summary\n1 Renamed or Moved Code\n1 Document with Another Text\n"));
  g_assert_null (strstr (groups, "Warnings"));
  g_assert_nonnull (strstr (rows, "Documents |  | 1 added, 5 already here\n"));
  g_assert_nonnull (strstr (rows, "Codings | Skipped: already here, or on a document whose text differs | 3 added, "));
  g_assert_nonnull (strstr (rows, "Also Added | 1 coder |\n"));
  g_assert_nonnull (strstr (rows, "Code “Stage en werk/Mislukte stage” is called “Stage en werk/Stage mislukt” in bram.codewerk"));
  g_assert_nonnull (strstr (rows, "The text of “werkgever-interview-bakkerij.txt” differs in bram.codewerk"));
  g_assert_nonnull (strstr (rows, "its 38 codings there were not merged. |  |\n"));
  g_assert_cmpstr (group_description (GTK_WIDGET (dialog), "1 Document with Another Text"), ==,
                   "38 codings on these documents were not merged: their places in the other text may not fit this one.");
  g_assert_nonnull (strstr (cw_merge_review_dialog_get_report (dialog), "Stage mislukt"));

  /* Enter keeps the merge. */
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) ==
                 find_actionable (GTK_WIDGET (dialog), "window.close"));
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (dialog)) ==
                 find_actionable (GTK_WIDGET (dialog), "window.close"));
  cw_test_save_screenshot (GTK_WIDGET (dialog), "merge-review.png");
  cw_test_save_screenshot (GTK_WIDGET (window), "merge-window.png");

  /* Undo Merge: the window's undo, and everything is as it was. */
  undo = find_actionable (GTK_WIDGET (dialog), "merge-review.undo");
  g_assert_nonnull (undo);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_signal_emit_by_name (undo, "clicked");
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));

  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before);
  g_assert_cmpuint (panel_count (window), ==, panel_before);
  g_assert_false (transcript_shows_coding (window, fixture->gap_start));
  g_assert_cmpuint (cw_document_list_get_n_documents (list), ==, documents_before);
  g_assert_cmpstr (_cw_window_get_last_toast (window), ==, "Merge undone: the project is as it was");
}

/* No conflicts: a toast with Undo; merging the same file again adds
 * nothing and offers nothing to undo. */
static void
test_clean (Fixture       *fixture,
            gconstpointer  data)
{
  CwWindow *window = fixture->window;
  guint codings_before = n_codings_in (fixture->project);

  code_as_bram (fixture);
  merge_paths (window, fixture->theirs);
  g_assert_true (cw_test_wait_until (window_idle, window));
  cw_test_wait_ms (100);
  g_assert_null (find_dialog (window, CW_TYPE_MERGE_REVIEW_DIALOG));
  g_assert_cmpstr (_cw_window_get_last_toast (window), ==,
                   "Merged “bram.codewerk”: 3 codings added, 324 already present");
  g_assert_cmpuint (panel_count (window), ==, codings_before + BRAM_CODINGS);
  g_assert_true (transcript_shows_coding (window, fixture->gap_start));

  merge_paths (window, fixture->theirs);
  g_assert_true (cw_test_wait_until (window_idle, window));
  g_assert_cmpstr (_cw_window_get_last_toast (window), ==,
                   "Merged “bram.codewerk”: 0 codings added, 327 already present");
  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before + BRAM_CODINGS);

  /* The toast's Undo is win.undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo", NULL));
  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before);
  g_assert_cmpuint (panel_count (window), ==, codings_before);
  g_assert_false (transcript_shows_coding (window, fixture->gap_start));
}

/* The open project's own file, also through a link: refused, unchanged. */
static void
test_itself (Fixture       *fixture,
             gconstpointer  data)
{
  CwWindow *window = fixture->window;
  g_autofree char *link = g_build_filename (fixture->dir, "link.codewerk", NULL);
  const char *paths[] = { fixture->ours, link };
  guint codings_before = n_codings_in (fixture->project);

  g_assert_cmpint (symlink (fixture->ours, link), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      AdwMessageDialog *dialog;

      merge_paths (window, paths[i]);
      g_assert_false (_cw_window_is_busy (window));
      g_assert_true (cw_test_wait_until (message_shown, window));
      dialog = find_dialog (window, ADW_TYPE_MESSAGE_DIALOG);
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Cannot Merge a Project into Itself");
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog),
                                i == 0 ? "“lotte-ruben.codewerk” is the project open in this window"
                                       : "“link.codewerk” is the project open in this window"));
      close_message (dialog);
    }
  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before);
  g_assert_false (cw_project_can_undo (fixture->project));
}

/* A broken file among good ones: a message naming it, nothing merged. */
static void
test_broken (Fixture       *fixture,
             gconstpointer  data)
{
  CwWindow *window = fixture->window;
  g_autoptr(GFile) broken = cw_test_write_file (fixture->dir, "kapot.codewerk", "SQLite format 3 but not really");
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint codings_before = n_codings_in (fixture->project);
  AdwMessageDialog *dialog;

  code_as_bram (fixture);
  g_ptr_array_add (files, g_file_new_for_path (fixture->theirs));
  g_ptr_array_add (files, g_object_ref (broken));
  _cw_window_merge_files (window, files);
  g_assert_true (cw_test_wait_until (window_idle, window));
  g_assert_true (cw_test_wait_until (message_shown, window));
  dialog = find_dialog (window, ADW_TYPE_MESSAGE_DIALOG);
  g_test_message ("%s", adw_message_dialog_get_body (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Merge");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "kapot.codewerk"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "the project is unchanged"));
  close_message (dialog);

  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before);
  g_assert_cmpuint (panel_count (window), ==, codings_before);
  g_assert_false (cw_project_can_undo (fixture->project));
}

/* Cancel (the bar's button): rolled back, said so. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  CwWindow *window = fixture->window;
  guint codings_before = n_codings_in (fixture->project);

  code_as_bram (fixture);
  merge_paths (window, fixture->theirs);
  g_assert_true (_cw_window_is_busy (window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-import", NULL));
  g_assert_true (cw_test_wait_until (window_idle, window));
  cw_test_wait_ms (100);
  g_assert_cmpstr (_cw_window_get_last_toast (window), ==, "Merge cancelled: the project is unchanged");
  g_assert_null (find_dialog (window, CW_TYPE_MERGE_REVIEW_DIALOG));
  g_assert_cmpuint (n_codings_in (fixture->project), ==, codings_before);
  g_assert_false (cw_project_can_undo (fixture->project));
}

/* The primary menu's "Coders" section has Merge Projects. */
static void
test_menu (Fixture       *fixture,
           gconstpointer  data)
{
  GtkMenuButton *button = NULL;
  g_autoptr(GMenuModel) section = NULL;
  GMenuModel *menu;
  gboolean found = FALSE;

  for (GtkWidget *w = GTK_WIDGET (fixture->window); w != NULL && button == NULL;
       w = next_widget (w, GTK_WIDGET (fixture->window)))
    if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (w)))
      button = GTK_MENU_BUTTON (w);
  g_assert_nonnull (button);

  menu = gtk_menu_button_get_menu_model (button);
  for (int i = 0; i < g_menu_model_get_n_items (menu) && section == NULL; i++)
    {
      g_autofree char *label = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) &&
          g_strcmp0 (label, "Coders") == 0)
        section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
    }
  g_assert_nonnull (section);
  for (int i = 0; i < g_menu_model_get_n_items (section); i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *label = NULL;

      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      if (g_strcmp0 (action, "win.merge") == 0)
        {
          g_assert_cmpstr (label, ==, "Me_rge Projects…");
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static GtkFileChooser *
find_chooser (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkFileChooser *chooser = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (GTK_IS_FILE_CHOOSER_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      chooser = l->data;
  g_list_free (toplevels);
  return chooser;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

static gboolean
chooser_hidden (gpointer data)
{
  return find_chooser () == NULL;
}

/* The chooser takes several copies, of both kinds; while a merge runs
 * there is none (one writer at a time). */
static void
test_chooser (Fixture       *fixture,
              gconstpointer  data)
{
  CwWindow *window = fixture->window;
  GtkFileChooser *chooser;
  g_autoptr(GListModel) filters = NULL;
  static const char *const names[] = { "Coders’ copies", "Codewerk projects", "REFI-QDA projects" };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.merge", NULL));
  g_assert_true (cw_test_wait_until (chooser_shown, NULL));
  chooser = find_chooser ();
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  g_assert_true (gtk_file_chooser_get_select_multiple (chooser));
  filters = gtk_file_chooser_get_filters (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, names[i]);
    }
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (cw_test_wait_until (chooser_hidden, NULL));
  g_assert_false (_cw_window_is_busy (window));

  merge_paths (window, fixture->theirs);
  g_assert_true (_cw_window_is_busy (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.merge", NULL);
  cw_test_wait_ms (200);
  g_assert_null (find_chooser ());
  g_assert_true (cw_test_wait_until (window_idle, window));
}

/* Every kind of conflict, warnings, and more rows than are shown. */
static void
test_dialog_kinds (void)
{
  static const char *const files[] = { "/tmp/bram.codewerk", "/tmp/sanne.qdpx", NULL };
  g_autoptr(CwMergeResult) result = g_new0 (CwMergeResult, 1);
  g_autoptr(GtkWindow) parent = NULL;
  CwMergeReviewDialog *dialog;
  g_autofree char *groups = NULL;
  g_autofree char *rows = NULL;
  const char *report;
  gpointer weak;
  struct
  {
    CwMergeConflictKind kind;
    const char *name, *document, *variable, *ours, *theirs;
    guint n_codings;
  } conflicts[] = {
    { CW_MERGE_CONFLICT_CODE_RENAMED, NULL, NULL, NULL, "Werk/Stage", "Werk/Leerbaan", 0 },
    { CW_MERGE_CONFLICT_DOCUMENT_TEXT, "interview-kevin.txt", NULL, NULL, NULL, NULL, 4 },
    { CW_MERGE_CONFLICT_DOCUMENT_TEXT, "interview-sanne.txt", NULL, NULL, NULL, NULL, 1 },
    { CW_MERGE_CONFLICT_MEMO_TEXT, "Over stages", NULL, NULL, "Eerste versie", "Tweede versie", 0 },
    { CW_MERGE_CONFLICT_VARIABLE_TYPE, NULL, NULL, "Leeftijd", "numeric", "text", 0 },
    { CW_MERGE_CONFLICT_VALUE_LABEL, "1", NULL, "Opleiding", "Entree", "Entreeopleiding", 0 },
    { CW_MERGE_CONFLICT_CASE_LINK, "R07", "interview-kevin.txt", NULL, NULL, "Kevin & <Co>", 0 },
  };

  result->files = g_strdupv ((char **) files);
  result->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_merge_conflict_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  result->documents_added = 1;
  result->documents_matched = 5;
  result->codings_added = 40;
  result->codings_skipped = 12;
  for (guint i = 0; i < G_N_ELEMENTS (conflicts); i++)
    {
      CwMergeConflict *c = g_new0 (CwMergeConflict, 1);

      c->kind = conflicts[i].kind;
      c->file = g_strdup (files[i % 2]);
      c->name = g_strdup (conflicts[i].name);
      c->document = g_strdup (conflicts[i].document);
      c->variable = g_strdup (conflicts[i].variable);
      c->ours = g_strdup (conflicts[i].ours);
      c->theirs = g_strdup (conflicts[i].theirs);
      c->n_codings = conflicts[i].n_codings;
      g_ptr_array_add (result->conflicts, c);
    }
  /* A cohort whose values differ everywhere: 250 case values. */
  for (guint i = 0; i < 250; i++)
    {
      CwMergeConflict *c = g_new0 (CwMergeConflict, 1);

      c->kind = CW_MERGE_CONFLICT_CASE_VALUE;
      c->file = g_strdup (files[0]);
      c->name = g_strdup_printf ("R%03u", i);
      c->variable = g_strdup ("Woonplaats");
      c->ours = g_strdup ("Almere");
      c->theirs = g_strdup ("Zwolle");
      g_ptr_array_add (result->conflicts, c);
    }
  g_ptr_array_add (result->warnings, g_strdup ("sanne.qdpx: 2 codings outside their document's text were left out"));

  parent = g_object_ref_sink (GTK_WINDOW (gtk_window_new ()));
  dialog = cw_merge_review_dialog_new (parent, result);
  /* Tall enough for the screenshot to show every kind. */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 680, 1500);
  gtk_window_present (GTK_WINDOW (dialog));
  groups = group_titles (GTK_WIDGET (dialog));
  rows = rows_text (GTK_WIDGET (dialog));

  g_assert_cmpstr (groups, ==,
                   "Summary\n"
                   "1 Renamed or Moved Code\n"
                   "2 Documents with Another Text\n"
                   "1 Memo with Another Text\n"
                   "250 Different Case Values\n"
                   "1 Variable of Another Type\n"
                   "1 Different Value Label\n"
                   "1 Case Link Not Merged\n"
                   "Warnings\n");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (find_window_title (GTK_WIDGET (dialog)))), ==,
                   "bram.codewerk, sanne.qdpx");
  /* Markup characters shown as they are. */
  g_assert_nonnull (strstr (rows, "speaker “Kevin & <Co>”"));
  g_assert_nonnull (strstr (rows, "its 4 codings there were not merged."));
  g_assert_nonnull (strstr (rows, "its 1 coding there was not merged."));
  g_assert_cmpstr (group_description (GTK_WIDGET (dialog), "2 Documents with Another Text"), ==,
                   "5 codings on these documents were not merged: their places in the other text may not fit this one.");
  g_assert_nonnull (strstr (rows, "R199"));
  g_assert_null (strstr (rows, "R200"));
  g_assert_nonnull (strstr (rows, "And 50 more: copy the report to see them"));
  g_assert_nonnull (strstr (rows, "sanne.qdpx: 2 codings outside"));
  g_assert_nonnull (strstr (rows, "Codings | Skipped: already here, or on a document whose text differs | 40 added, 12 skipped\n"));

  /* The report has everything, the rows not shown too. */
  report = cw_merge_review_dialog_get_report (dialog);
  g_assert_true (g_str_has_prefix (report, "Merge of bram.codewerk, sanne.qdpx\n257 Conflicts to Review\n"));
  g_assert_nonnull (strstr (report, "5 codings on these documents were not merged"));
  g_assert_nonnull (strstr (report, "R249"));
  g_assert_nonnull (strstr (report, "- sanne.qdpx: 2 codings outside"));

  cw_test_save_screenshot (GTK_WIDGET (dialog), "merge-review-kinds.png");
  for (GtkWidget *w = GTK_WIDGET (dialog); w != NULL; w = next_widget (w, GTK_WIDGET (dialog)))
    if (GTK_IS_SCROLLED_WINDOW (w))
      {
        GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));

        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      }
  cw_test_save_screenshot (GTK_WIDGET (dialog), "merge-review-kinds-end.png");

  /* Keep Merge (Escape, or the button) closes without a word. */
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  gtk_window_destroy (parent);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/merge-window/conflicts", Fixture, NULL, fixture_set_up, test_conflicts, fixture_tear_down);
  g_test_add ("/merge-window/clean", Fixture, NULL, fixture_set_up, test_clean, fixture_tear_down);
  g_test_add ("/merge-window/itself", Fixture, NULL, fixture_set_up, test_itself, fixture_tear_down);
  g_test_add ("/merge-window/broken", Fixture, NULL, fixture_set_up, test_broken, fixture_tear_down);
  g_test_add ("/merge-window/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/merge-window/chooser", Fixture, NULL, fixture_set_up, test_chooser, fixture_tear_down);
  g_test_add ("/merge-window/menu", Fixture, NULL, fixture_set_up, test_menu, fixture_tear_down);
  g_test_add_func ("/merge-window/dialog-kinds", test_dialog_kinds);

  return g_test_run ();
}
