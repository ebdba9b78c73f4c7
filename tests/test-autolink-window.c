/* test-autolink-window.c: "Link Automatically…" in the Cases view, driven
 * in-process under Xvfb: the proposals for the case ids and for a name
 * variable, checking and unchecking, Link adding exactly the checked ones
 * as one undo step, the toast, the table afterwards, the empty states,
 * and Escape.
 *
 * The test needs a display (the test script starts Xvfb): without one it
 * fails rather than skips.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-autolink-dialog-private.h"
#include "cw-cases.h"
#include "cw-cases-view-private.h"
#include "cw-history.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-window-private.h"

/* Everyone speaks twice: a label used once before the talk is a header. */
static const char interview_sam[] =
  "Interviewer: Hoe gaat het nu met werk?\n"
  "Sam: Goed, ik werk vier dagen bij een garage.\n"
  "Interviewer: En school?\n"
  "Sam: Die heb ik afgemaakt.\n";

static const char focus_group[] =
  "Gespreksleider: Welkom allemaal.\n"
  "Sam: Hoi.\n"
  "Noor: Hallo.\n"
  "Gespreksleider: Wie heeft er een stage?\n"
  "Noor: Ik loop stage in de zorg.\n"
  "Sam: Ik niet meer.\n";

static const char employer[] =
  "Interviewer: Hoe doet hij het?\n"
  "Werkgever: Hij is op tijd en leert snel.\n"
  "Interviewer: Blijft hij?\n"
  "Werkgever: Als hij zijn diploma haalt.\n";

static const char cohort[] =
  "id;naam;opleiding;iq\n"
  "P01;Sam;mbo 1;85\n"
  "P02;Noor;mbo 2;90\n"
  "P03;Daan;vso;77\n";

typedef struct
{
  char      *dir;
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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GFile) csv = NULL;
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autofree char *path = NULL;
  g_autofree char *csv_path = NULL;

  fixture->dir = cw_test_make_dir ();
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-sam.txt", interview_sam));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "groepsgesprek.txt", focus_group));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "Interview P03 werkgever.txt", employer));
  path = g_build_filename (fixture->dir, "cohort.codewerk", NULL);
  fixture->project = cw_project_create (path, "Cohort 2024", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 3);

  csv = cw_test_write_file (fixture->dir, "cohort.csv", cohort);
  csv_path = g_file_get_path (csv);
  result = cw_project_import_cases (fixture->project, csv_path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->cases, ==, 3);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "cases");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
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
  g_free (fixture->dir);
}

static CwCasesView *
cases_view (Fixture *fixture)
{
  return _cw_window_get_cases_view (fixture->window);
}

/* Opens the dialog as the button "Link Automatically…" does; watched with
 * a weak pointer so the test can wait for it to close. */
static CwAutolinkDialog *
open_dialog (Fixture  *fixture,
             gpointer *weak)
{
  CwAutolinkDialog *dialog;

  g_assert_null (_cw_cases_view_get_autolink_dialog (cases_view (fixture)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cases_view (fixture)), "cases.autolink", NULL));
  dialog = _cw_cases_view_get_autolink_dialog (cases_view (fixture));
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  *weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), weak);
  cw_test_wait_ms (50);
  return dialog;
}

/* The rows as shown, one a line. */
static char *
rows_text (CwAutolinkDialog *dialog)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < _cw_autolink_dialog_get_n_proposals (dialog); i++)
    {
      g_autofree char *row = _cw_autolink_dialog_get_row_text (dialog, i);

      g_string_append_printf (text, "%s\n", row);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
link_label (CwAutolinkDialog *dialog)
{
  return gtk_button_get_label (_cw_autolink_dialog_get_link_button (dialog));
}

static gboolean
can_link (CwAutolinkDialog *dialog)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (_cw_autolink_dialog_get_link_button (dialog)));
}

/* The project's links as "P01@interview-sam.txt#Sam", in order. */
static char *
links_text (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = cw_project_list_case_links (fixture->project, 0, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < links->len; i++)
    {
      const CwCaseLink *link = links->pdata[i];

      g_string_append_printf (text, "%s%s@%s", i > 0 ? ", " : "", link->case_identifier, link->document);
      if (link->speaker != NULL)
        g_string_append_printf (text, "#%s", link->speaker);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
linked_cell (Fixture    *fixture,
             const char *identifier)
{
  CwCasesView *view = cases_view (fixture);
  g_auto(GStrv) ids = _cw_cases_view_get_identifiers (view);

  for (guint i = 0; ids[i] != NULL; i++)
    if (strcmp (ids[i], identifier) == 0)
      /* id, naam, opleiding, iq, then "Linked to". */
      return _cw_cases_view_get_cell_text (view, i, 4);
  g_assert_not_reached ();
}

static void
test_link (Fixture       *fixture,
           gconstpointer  data)
{
  CwAutolinkDialog *dialog;
  gpointer weak = NULL;
  GListModel *choices;
  g_autofree char *by_id = NULL;
  g_autofree char *by_name = NULL;
  g_autofree char *linked = NULL;
  g_autofree char *cell = NULL;
  g_autofree char *unlinked = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *label = NULL;

  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (cases_view (fixture))));
  dialog = open_dialog (fixture, &weak);

  /* The choices: the ids, then the text variables (not iq, a number). */
  choices = adw_combo_row_get_model (_cw_autolink_dialog_get_match_row (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (choices), ==, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 0), ==, "Case ids");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 1), ==, "naam");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (choices), 2), ==, "opleiding");
  g_assert_false (_cw_autolink_dialog_select_variable (dialog, "iq"));

  /* By id: only P03 is named, in a document's name; the name variable is
   * shown next to the id. */
  g_assert_cmpuint (adw_combo_row_get_selected (_cw_autolink_dialog_get_match_row (dialog)), ==, 0);
  g_assert_cmpstr (_cw_autolink_dialog_get_page (dialog), ==, "list");
  by_id = rows_text (dialog);
  g_assert_cmpstr (by_id, ==, "P03 · Daan → Interview P03 werkgever.txt · whole document\n");
  g_assert_cmpstr (link_label (dialog), ==, "_Link 1");

  /* By name: Sam's interview (by its name and its speaker), Sam in the
   * focus group, Noor there. */
  g_assert_true (_cw_autolink_dialog_select_variable (dialog, "naam"));
  by_name = rows_text (dialog);
  g_assert_cmpstr (by_name, ==,
                   "P01 · Sam → interview-sam.txt · whole document\n"
                   "P01 · Sam → interview-sam.txt · Sam\n"
                   "P01 · Sam → groepsgesprek.txt · Sam\n"
                   "P02 · Noor → groepsgesprek.txt · Noor\n");
  for (guint i = 0; i < 4; i++)
    g_assert_true (gtk_check_button_get_active (_cw_autolink_dialog_get_check (dialog, i)));
  g_assert_null (_cw_autolink_dialog_get_check (dialog, 4));
  g_assert_cmpstr (link_label (dialog), ==, "_Link 4");
  g_assert_cmpstr (gtk_label_get_text (_cw_autolink_dialog_get_count_label (dialog)), ==,
                   "4 of 4 proposals checked");

  /* Select none: nothing to link; select all: everything again. */
  g_signal_emit_by_name (_cw_autolink_dialog_get_select_none (dialog), "clicked");
  g_assert_false (gtk_check_button_get_active (_cw_autolink_dialog_get_check (dialog, 0)));
  g_assert_cmpstr (link_label (dialog), ==, "_Link 0");
  g_assert_false (can_link (dialog));
  g_signal_emit_by_name (_cw_autolink_dialog_get_select_all (dialog), "clicked");
  g_assert_true (gtk_check_button_get_active (_cw_autolink_dialog_get_check (dialog, 3)));
  g_assert_true (can_link (dialog));

  /* Sam of the focus group is someone else: unchecked. */
  gtk_check_button_set_active (_cw_autolink_dialog_get_check (dialog, 2), FALSE);
  g_assert_cmpstr (link_label (dialog), ==, "_Link 3");
  g_assert_cmpstr (gtk_label_get_text (_cw_autolink_dialog_get_count_label (dialog)), ==,
                   "3 of 4 proposals checked");
  cw_test_save_screenshot (GTK_WIDGET (dialog), "autolink-dialog.png");

  g_signal_emit_by_name (_cw_autolink_dialog_get_link_button (dialog), "clicked");
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  g_assert_null (_cw_cases_view_get_autolink_dialog (cases_view (fixture)));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));

  /* Exactly the checked three, as one step, said in a toast. */
  linked = links_text (fixture);
  g_assert_cmpstr (linked, ==, "P01@interview-sam.txt, P01@interview-sam.txt#Sam, P02@groepsgesprek.txt#Noor");
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Link 2 cases");
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "3 links added");
  cell = linked_cell (fixture, "P01");
  g_assert_cmpstr (cell, ==, "interview-sam.txt, interview-sam.txt (Sam)");
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "autolink-cases.png");

  /* The window's undo takes both back. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  undone = links_text (fixture);
  g_assert_cmpstr (undone, ==, "");
  unlinked = linked_cell (fixture, "P01");
  g_assert_null (unlinked);
}

/* The Escape binding of the dialog's class, activated as a key press is. */
static void
press_escape (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

          if (strcmp (trigger, "Escape") != 0)
            continue;
          found = TRUE;
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                       gtk_shortcut_get_arguments (shortcut)));
        }
    }
  g_assert_true (found);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  CwAutolinkDialog *dialog;
  gpointer weak = NULL;
  AdwStatusPage *empty;
  g_autofree char *none = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* Nothing linked, nothing matching the school type. */
  dialog = open_dialog (fixture, &weak);
  g_assert_true (_cw_autolink_dialog_select_variable (dialog, "opleiding"));
  empty = _cw_autolink_dialog_get_empty_page (dialog);
  g_assert_cmpstr (_cw_autolink_dialog_get_page (dialog), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No Matches");
  g_assert_cmpstr (adw_status_page_get_description (empty), ==,
                   "No value of “opleiding” appears in the name of a speaker or a document.");
  g_assert_false (can_link (dialog));
  press_escape (GTK_WIDGET (dialog));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  none = links_text (fixture);
  g_assert_cmpstr (none, ==, "");

  /* Everything that matches linked already (as the dialog would). */
  proposals = cw_project_propose_case_links_by (fixture->project, "naam", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_link_cases (fixture->project, proposals, &error), ==, 4);
  g_assert_no_error (error);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  before = links_text (fixture);

  dialog = open_dialog (fixture, &weak);
  g_assert_true (_cw_autolink_dialog_select_variable (dialog, "naam"));
  empty = _cw_autolink_dialog_get_empty_page (dialog);
  g_assert_cmpstr (_cw_autolink_dialog_get_page (dialog), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "Nothing to Link");
  g_assert_cmpstr (adw_status_page_get_description (empty), ==, "Every case that matches is already linked.");
  g_assert_cmpstr (link_label (dialog), ==, "_Link");
  g_assert_false (can_link (dialog));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (_cw_autolink_dialog_get_select_all (dialog))));
  cw_test_save_screenshot (GTK_WIDGET (dialog), "autolink-empty.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  after = links_text (fixture);
  g_assert_cmpstr (after, ==, before);
}

/* No cases: the button is off until there are some. */
static void
test_no_cases (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CwCasesView *view = cases_view (fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_cmpstr (_cw_cases_view_get_page (view), ==, "empty");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (view), "cases.autolink", NULL) &&
                  _cw_cases_view_get_autolink_dialog (view) != NULL);
  g_assert_null (_cw_cases_view_get_autolink_dialog (view));
  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_cmpstr (_cw_cases_view_get_page (view), ==, "cases");
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/autolink-window/link", Fixture, NULL, fixture_set_up, test_link, fixture_tear_down);
  g_test_add ("/autolink-window/empty", Fixture, NULL, fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/autolink-window/no-cases", Fixture, NULL, fixture_set_up, test_no_cases, fixture_tear_down);

  return g_test_run ();
}
