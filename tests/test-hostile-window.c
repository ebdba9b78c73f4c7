/* test-hostile-window.c: hostile files refused by the window (issue 11).
 *
 * The example project is open in the window; files from the hostile
 * corpus (BUILD/tests/data/hostile) go through the same calls as the file
 * choosers: a .docx with an external entity (Import Transcripts), a cut-off
 * .qdpx (Import REFI-QDA Project, and Merge), a codebook with an entity
 * bomb (Import Codebook) and a cohort file with a ragged row (Import
 * Cases). Each time a dialog must say what codewerk-cli's error line says
 * for the same file, and the project must stay as it was, row for row.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-cases-view-private.h"
#include "cw-history.h"
#include "cw-window-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  char      *path;    /* the project in the window */
  char      *before;  /* its dump when the window opened it */
  CwProject *project;
  CwWindow  *window;
} Fixture;

static gboolean
window_idle (gpointer data)
{
  CwWindow *window = data;

  return !_cw_window_is_busy (window) && !_cw_cases_view_is_busy (_cw_window_get_cases_view (window));
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* A visible message dialog over window, or NULL. */
static AdwMessageDialog *
find_message (CwWindow *window)
{
  GList *toplevels = gtk_window_list_toplevels ();
  AdwMessageDialog *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == GTK_WINDOW (window))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

static gboolean
message_shown (gpointer data)
{
  return find_message (data) != NULL;
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

/* A file of the hostile corpus, which the build writes. */
static char *
corpus_file (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "tests", "data", "hostile",
                                            name, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing: build the hostile_corpus target", path);
  return g_steal_pointer (&path);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->path = cw_test_copy_example (fixture->dir, "stages.codewerk");
  fixture->project = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  /* Once open: opening may record things of its own (a backup, the
   * coder), which are not what is tested here. */
  fixture->before = cw_test_dump (fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;

  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->before);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The reason codewerk-cli gives for the same file: its one error line,
 * without "codewerk-cli: error: ". It runs on a copy of the project of
 * its own (the window's must not be touched by anyone else). */
static char *
cli_reason (Fixture    *fixture,
            const char *command,
            const char *file)
{
  g_autofree char *copy = cw_test_copy_example (fixture->dir, "cli.codewerk");
  g_autofree char *target = g_build_filename (fixture->dir, "cli-new.codewerk", NULL);
  g_auto(CwCliResult) result = { 0 };
  const char *prefix = "codewerk-cli: error: ";
  gsize len;

  if (strcmp (command, "import-project") == 0)
    result = cw_test_cli (command, target, file, NULL);
  else
    result = cw_test_cli (command, copy, file, NULL);
  cw_test_assert_cli_failure (&result, 1, file);
  g_assert_true (g_str_has_prefix (result.err, prefix));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  len = strlen (result.err);
  g_assert_true (len > 0 && result.err[len - 1] == '\n');
  return g_strndup (result.err + strlen (prefix), len - 1 - strlen (prefix));
}

/* Waits for the refusal and checks it: the heading, the CLI's reason
 * word for word, and that the project was not touched. */
static void
assert_refused (Fixture    *fixture,
                const char *heading,
                const char *reason,
                const char *screenshot)
{
  AdwMessageDialog *dialog;
  g_autofree char *after = NULL;
  const char *body;

  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_true (cw_test_wait_until (message_shown, fixture->window));
  dialog = find_message (fixture->window);
  body = adw_message_dialog_get_body (dialog);
  g_test_message ("dialog: %s / %s", adw_message_dialog_get_heading (dialog), body);
  g_test_message ("cli:    %s", reason);

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  /* The same words as the CLI: the file, the line where there is one, the reason. */
  g_assert_true (g_str_has_prefix (body, reason));
  g_assert_nonnull (strstr (body, "the project is unchanged"));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));

  if (screenshot != NULL)
    {
      cw_test_wait_ms (300);
      cw_test_save_screenshot (GTK_WIDGET (dialog), screenshot);
    }
  close_message (dialog);

  /* Nothing changed: no document, code, coding or undo step more. */
  g_assert_false (cw_project_can_undo (fixture->project));
  after = cw_test_dump (fixture->path);
  if (g_strcmp0 (after, fixture->before) != 0)
    {
      g_auto(GStrv) a = g_strsplit (fixture->before, "\n", -1);
      g_auto(GStrv) b = g_strsplit (after, "\n", -1);

      for (guint i = 0; a[i] != NULL && b[i] != NULL; i++)
        if (strcmp (a[i], b[i]) != 0)
          g_error ("the project changed: «%.200s» became «%.200s»", a[i], b[i]);
      g_error ("the project changed: %u rows became %u", g_strv_length (a), g_strv_length (b));
    }
  g_assert_true (cw_window_get_project (fixture->window) == fixture->project);
}

/* File → Import: a Word file whose XML declares an external entity on
 * /etc/passwd. */
static void
test_docx_external_entity (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *file = corpus_file ("docx-xxe.docx");
  g_autofree char *reason = cli_reason (fixture, "import", file);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_before = cw_document_list_get_n_documents (_cw_window_get_document_list (fixture->window));

  g_assert_nonnull (strstr (reason, "document type declaration"));
  g_ptr_array_add (files, g_file_new_for_path (file));
  _cw_window_import_files (fixture->window, files);
  assert_refused (fixture, "Could Not Import", reason, "hostile-docx-xxe.png");
  g_assert_cmpuint (cw_document_list_get_n_documents (_cw_window_get_document_list (fixture->window)), ==, n_before);
}

/* Import REFI-QDA Project: an archive cut in half. The window keeps the
 * open project and no new file is left where the project would go. */
static void
test_qdpx_truncated_import (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *file = corpus_file ("qdpx-zip-truncated.qdpx");
  g_autofree char *reason = cli_reason (fixture, "import-project", file);
  g_autofree char *target_path = g_build_filename (fixture->dir, "geimporteerd.codewerk", NULL);
  g_autoptr(GFile) qdpx = g_file_new_for_path (file);
  g_autoptr(GFile) target = g_file_new_for_path (target_path);

  g_assert_nonnull (strstr (reason, "damaged"));
  _cw_window_import_project_from (fixture->window, qdpx, target);
  assert_refused (fixture, "Could Not Import the Project", reason, NULL);
  g_assert_false (g_file_test (target_path, G_FILE_TEST_EXISTS));
}

/* Merge: the same cut-off archive as another coder's copy. */
static void
test_qdpx_truncated_merge (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *file = corpus_file ("merge-qdpx-zip-truncated.qdpx");
  g_autofree char *reason = cli_reason (fixture, "merge", file);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (files, g_file_new_for_path (file));
  _cw_window_merge_files (fixture->window, files);
  assert_refused (fixture, "Could Not Merge", reason, NULL);
}

/* Import Codebook: a billion-laughs entity bomb. */
static void
test_qdc_entity_bomb (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *file = corpus_file ("qdc-billion-laughs.qdc");
  g_autofree char *reason = cli_reason (fixture, "codebook-import", file);
  g_autoptr(GFile) qdc = g_file_new_for_path (file);

  _cw_window_import_codebook_from (fixture->window, qdc);
  assert_refused (fixture, "Could Not Import the Codebook", reason, NULL);
}

/* Import Cases: a cohort file whose third line has a field too few. */
static void
test_csv_ragged (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GFile) csv = cw_test_write_file (fixture->dir, "cohort-ragged.csv",
                                             "id;school;iq\nP90;ROC Almere;85\nP91;ROC Flevoland\nP92;Praktijkschool;78\n");
  g_autofree char *file = g_file_get_path (csv);
  g_autofree char *reason = cli_reason (fixture, "cases-import", file);
  g_autofree char *with_line = g_strconcat (file, ":3:", NULL);

  /* The line is part of what both say. */
  g_assert_true (g_str_has_prefix (reason, with_line));
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "cases");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  _cw_cases_view_import_file (_cw_window_get_cases_view (fixture->window), csv);
  assert_refused (fixture, "Could Not Import the Cases", reason, "hostile-csv-ragged.png");
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/hostile-window/docx-external-entity", Fixture, NULL, fixture_set_up, test_docx_external_entity,
              fixture_tear_down);
  g_test_add ("/hostile-window/qdpx-truncated-import", Fixture, NULL, fixture_set_up, test_qdpx_truncated_import,
              fixture_tear_down);
  g_test_add ("/hostile-window/qdpx-truncated-merge", Fixture, NULL, fixture_set_up, test_qdpx_truncated_merge,
              fixture_tear_down);
  g_test_add ("/hostile-window/qdc-entity-bomb", Fixture, NULL, fixture_set_up, test_qdc_entity_bomb,
              fixture_tear_down);
  g_test_add ("/hostile-window/csv-ragged", Fixture, NULL, fixture_set_up, test_csv_ragged, fixture_tear_down);

  return g_test_run ();
}
