/* test-exchange-window.c: REFI-QDA exchange from the window, driven
 * in-process under Xvfb: export of the project and the codebook through
 * what the file choosers call, checked by importing the files again with
 * the core; a codebook import with warnings (toast, dialog, one undo step);
 * a project import into an empty window; a broken exchange file; Cancel.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-codebook-panel.h"
#include "cw-coding.h"
#include "cw-refi.h"
#include "cw-window-private.h"
#include "cw-test-util.h"
#include "cw-test-zip.h"
#include "cw-test-gui.h"

/* The shared GUI helpers under this file's old names. */
#define wait_until cw_test_wait_until
#define wait_ms cw_test_wait_ms
#define save_screenshot cw_test_save_screenshot
#define TIMEOUT_MS CW_TEST_TIMEOUT_MS
typedef CwTestCondition Condition;


#define GUID(n) "6F9619FF-8B86-4011-B42D-00C0" n
#define NS_PROJECT  "urn:QDA-XML:project:1.0"
#define NS_CODEBOOK "urn:QDA-XML:codebook:1.0"





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



/* A widget in window bound to action (depth first), or NULL. */
static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action)
{
  for (GtkWidget *w = root; w != NULL;)
    {
      if (GTK_IS_ACTIONABLE (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
        return w;
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && w != root && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w == NULL || w == root)
            break;
          w = gtk_widget_get_next_sibling (w);
        }
    }
  return NULL;
}

static gboolean
action_enabled (CwWindow   *window,
                const char *action)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (window), action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* The warnings dialog over window, or NULL. */
static AdwMessageDialog *
find_message_dialog (CwWindow *window)
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

/* The dialog's list of warnings, a line each: selectable labels in a
 * scrolled window. */
static char *
warnings_text (AdwMessageDialog *dialog)
{
  GtkWidget *scrolled = adw_message_dialog_get_extra_child (dialog);
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *box;

  g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
  box = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  if (GTK_IS_VIEWPORT (box))
    box = gtk_viewport_get_child (GTK_VIEWPORT (box));
  for (GtkWidget *w = gtk_widget_get_first_child (box); w != NULL; w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w))
      {
        g_assert_true (gtk_label_get_selectable (GTK_LABEL (w)));
        g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
      }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
close_dialog (AdwMessageDialog *dialog,
              const char       *response)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  adw_message_dialog_response (dialog, response);
  if (weak != NULL)
    gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (wait_until (pointer_gone, &weak));
}

/* Two interviews, a small codebook with a category, and three codings */

static const char interview_kevin[] =
  "Interview met Kevin, 12 maart\n"
  "[00:00:05] Interviewer: Hoe ging het op je stage?\n"
  "[00:00:12] Kevin: Eerst was het moeilijk. Op mijn stageplek kende ik niemand, "
  "maar de jobcoach kwam elke week langs en toen ging het beter.\n";

static const char interview_sanne[] =
  "Interview met Sanne, 3 april\n"
  "[00:00:03] Interviewer: Heb je hulp gehad bij het zoeken?\n"
  "[00:00:09] Sanne: Ja, veel. De jobcoach belde elke maandag! 😀 Dat hielp echt.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     kevin;
  gint64     sanne;
  gint64     stage;     /* "Werk/Stage" */
  gint64     jobcoach;  /* "Begeleiding/Jobcoach" */
  CwWindow  *window;
} Fixture;

static gint64
offset_in (const char *text,
           const char *needle)
{
  const char *found = strstr (text, needle);

  g_assert_nonnull (found);
  return g_utf8_pointer_to_offset (text, found);
}

static void
code_words (Fixture    *fixture,
            gint64      document,
            gint64      code,
            const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, document, &error);
  gint64 start;

  g_assert_no_error (error);
  start = offset_in (text, words);
  g_assert_cmpint (cw_project_add_coding (fixture->project, document, code, start,
                                          start + g_utf8_strlen (words, -1), "Anouk", NULL, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
show_window (CwWindow **window)
{
  *window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (*window), 1100, 700);
  gtk_window_present (GTK_WINDOW (*window));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  gint64 category;

  fixture->dir = cw_test_make_dir ();
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-kevin.txt", interview_kevin));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-sanne.txt", interview_sanne));

  path = g_build_filename (fixture->dir, "stages.codewerk", NULL);
  fixture->project = cw_project_create (path, "Stages 2024", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  fixture->kevin = g_array_index (ids, gint64, 0);
  fixture->sanne = g_array_index (ids, gint64, 1);

  fixture->stage = cw_project_add_code (fixture->project, "Werk/Stage", "#3584e4", "Een stage of leerbaan", &error);
  g_assert_no_error (error);
  fixture->jobcoach = cw_project_add_code (fixture->project, "Begeleiding/Jobcoach", "#e66100", NULL, &error);
  g_assert_no_error (error);
  category = cw_project_lookup_code (fixture->project, "Begeleiding", &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_set_code_codable (fixture->project, category, FALSE, &error));
  g_assert_no_error (error);

  code_words (fixture, fixture->kevin, fixture->stage, "stageplek kende ik niemand");
  code_words (fixture, fixture->kevin, fixture->jobcoach, "de jobcoach kwam elke week langs");
  code_words (fixture, fixture->sanne, fixture->jobcoach, "De jobcoach belde elke maandag! 😀");

  show_window (&fixture->window);
  cw_window_set_project (fixture->window, fixture->project);
  g_assert_true (wait_until (window_idle, fixture->window));
}

static void
destroy_window (CwWindow *window)
{
  gpointer weak = window;

  g_assert_true (wait_until (window_idle, window));
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (wait_until (pointer_gone, &weak));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  destroy_window (fixture->window);
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
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

/* "path=#colour|..." of the codebook, in tree order. */
static char *
codebook_of (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = cw_project_list_codes (project, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);

      g_string_append_printf (out, "%s%s=%s%s", i > 0 ? "|" : "", code->path, code->color,
                              code->codable ? "" : " (category)");
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
dir_has_only (const char         *dir,
              const char * const *names)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!g_strv_contains (names, name))
      {
        g_test_message ("unexpected file: %s", name);
        return FALSE;
      }
  return TRUE;
}

/* Tests */

/* Export the project and its codebook as the file choosers would; the
 * files come back whole through the core's import. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *qdpx = g_build_filename (fixture->dir, "Stages 2024.qdpx", NULL);
  g_autofree char *qdc = g_build_filename (fixture->dir, "Stages 2024.qdc", NULL);
  g_autofree char *again = g_build_filename (fixture->dir, "again.codewerk", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "other.codewerk", NULL);
  g_autofree char *expected = codebook_of (fixture->project);
  g_autofree char *got = NULL;
  g_autoptr(GFile) qdpx_file = g_file_new_for_path (qdpx);
  g_autoptr(GFile) qdc_file = g_file_new_for_path (qdc);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CwProject) imported = NULL;
  g_autoptr(CwProject) fresh = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  guint added = 0, matched = 0;

  g_assert_true (action_enabled (fixture->window, "win.import"));
  g_assert_false (action_enabled (fixture->window, "win.cancel-import"));

  _cw_window_export_project_to (fixture->window, qdpx_file);
  /* Busy: Cancel works, nothing else starts. */
  g_assert_true (_cw_window_is_busy (fixture->window));
  g_assert_true (action_enabled (fixture->window, "win.cancel-import"));
  g_assert_false (action_enabled (fixture->window, "win.import"));
  _cw_window_export_codebook_to (fixture->window, qdc_file);
  g_assert_true (wait_until (window_idle, fixture->window));
  g_assert_false (action_enabled (fixture->window, "win.cancel-import"));
  g_assert_true (action_enabled (fixture->window, "win.import"));

  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Exported to “Stages 2024.qdpx”");
  g_assert_true (g_file_test (qdpx, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (qdc, G_FILE_TEST_EXISTS)); /* refused while busy */

  imported = cw_refi_import_project (qdpx, again, warnings, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpstr (cw_project_get_title (imported), ==, "Stages 2024");
  documents = cw_project_list_documents (imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 2);
  got = codebook_of (imported);
  g_assert_cmpstr (got, ==, expected);
  g_assert_cmpuint (n_codings_in (imported), ==, 3);
  g_assert_cmpuint (n_codings_in (imported), ==, n_codings_in (fixture->project));

  /* The codebook on its own. */
  _cw_window_export_codebook_to (fixture->window, qdc_file);
  g_assert_true (wait_until (window_idle, fixture->window));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Exported to “Stages 2024.qdc”");
  g_assert_true (g_file_test (qdc, G_FILE_TEST_IS_REGULAR));

  fresh = cw_project_create (other, "Ander", &error);
  g_assert_no_error (error);
  g_assert_true (cw_refi_import_codebook (fresh, qdc, &added, &matched, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (added, ==, 4);
  g_assert_cmpuint (matched, ==, 0);
  g_free (got);
  got = codebook_of (fresh);
  g_assert_cmpstr (got, ==, expected);
}

/* An export into a folder that does not exist: the error names the file. */
static void
test_export_error (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "missing", "out.qdpx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *toast;

  _cw_window_export_project_to (fixture->window, file);
  g_assert_true (wait_until (window_idle, fixture->window));
  toast = _cw_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (toast, "out.qdpx"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* Cancel at once: nothing is written, not even a temporary file. */
static void
test_export_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "cancelled.qdpx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  const char *const left[] = { "stages.codewerk", "stages.codewerk-wal", "stages.codewerk-shm",
                               "interview-kevin.txt", "interview-sanne.txt", NULL };

  _cw_window_export_project_to (fixture->window, file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-import", NULL));
  g_assert_true (wait_until (window_idle, fixture->window));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Export cancelled: nothing was written");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (dir_has_only (fixture->dir, left));
}

/* A codebook from another tool: codes matched by path, new codes, a colour
 * that needs repair, a code without a name, a code group. The toast counts, the dialog lists the repair, and one
 * undo takes it all back. */
static const char codebook_qdc[] =
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
  "<CodeBook xmlns=\"" NS_CODEBOOK "\" origin=\"MAXQDA 2022\"><Codes>"
  "<Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\">"
  "<Code guid=\"" GUID ("00000002") "\" name=\"Stage\" isCodable=\"true\"/>"
  "<Code guid=\"" GUID ("00000003") "\" name=\"Eerste baan\" isCodable=\"true\" color=\"255,0,0\">"
  "<Description>De eerste betaalde baan na school</Description></Code>"
  "</Code>"
  "<Code guid=\"" GUID ("00000004") "\" name=\"Netwerk\" isCodable=\"true\" color=\"#2ec27e\"/>"
  "<Code guid=\"" GUID ("00000005") "\" name=\"\" isCodable=\"true\"/>"
  "</Codes>"
  "<Sets><Set guid=\"" GUID ("00000010") "\" name=\"Overgangen\">"
  "<MemberCode targetGUID=\"" GUID ("00000002") "\"/><MemberCode targetGUID=\"" GUID ("00000003") "\"/></Set></Sets>"
  "</CodeBook>";

static void
test_import_codebook (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = cw_test_write_file (fixture->dir, "maxqda.qdc", codebook_qdc);
  CwCodebookPanel *panel = _cw_window_get_codebook_panel (fixture->window);
  g_autofree char *before = codebook_of (fixture->project);
  g_autofree char *after = NULL;
  g_autoptr(CwCode) first_job = NULL;
  AdwMessageDialog *dialog;
  g_autofree char *warnings = NULL;
  const char *tooltip;
  gint64 id;

  g_assert_null (find_message_dialog (fixture->window));
  _cw_window_import_codebook_from (fixture->window, file);
  g_assert_true (wait_until (window_idle, fixture->window));

  /* "Werk" and "Werk/Stage" were there already. */
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Added 3 codes, matched 2");

  /* The window's own connection sees the codes, and so does the panel. */
  id = cw_project_lookup_code (fixture->project, "Werk/Eerste baan", &error);
  g_assert_no_error (error);
  first_job = cw_project_get_code (fixture->project, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_job->description, ==, "De eerste betaalde baan na school");
  g_assert_true (cw_codebook_panel_select_code (panel, id));
  g_assert_true (cw_codebook_panel_select_code (panel, cw_project_lookup_code (fixture->project, "Netwerk", &error)));
  g_assert_no_error (error);

  dialog = find_message_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Imported with Warnings");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“maxqda.qdc”"));
  warnings = warnings_text (dialog);
  g_assert_cmpstr (warnings, ==,
                   "code “Eerste baan”: “255,0,0” is not a colour (#RRGGBB); a default colour was used\n"
                   "a code without a name (GUID " GUID ("00000005") ") was named “Unnamed code”\n"
                   "1 code group is not kept (Codewerk has none): “Overgangen”\n");
  save_screenshot (GTK_WIDGET (dialog), "exchange-warnings.png");
  close_dialog (dialog, "close");

  /* One step, named after the file. */
  tooltip = gtk_widget_get_tooltip_text (find_actionable (GTK_WIDGET (fixture->window), "win.undo"));
  g_assert_nonnull (strstr (tooltip, "Import codebook “maxqda.qdc”"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  after = codebook_of (fixture->project);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Werk/Eerste baan", NULL), ==, 0);
  g_assert_false (cw_codebook_panel_select_code (panel, id));
}

/* A codebook that is not one: an error naming the file, nothing added. */
static void
test_import_codebook_error (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GFile) file = cw_test_write_file (fixture->dir, "notes.qdc", "<Notes><Note/></Notes>");
  g_autofree char *before = codebook_of (fixture->project);
  g_autofree char *after = NULL;
  const char *toast;

  _cw_window_import_codebook_from (fixture->window, file);
  g_assert_true (wait_until (window_idle, fixture->window));
  toast = _cw_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (toast, "notes.qdc"));
  g_assert_nonnull (strstr (toast, "not a REFI-QDA codebook"));
  /* A refused file is a dialog, not only a toast (issue 11). */
  g_assert_nonnull (find_message_dialog (fixture->window));
  after = codebook_of (fixture->project);
  g_assert_cmpstr (after, ==, before);
}

/* The menu: an Exchange section with the four commands, enabled with a
 * project. */
static void
test_menu (Fixture       *fixture,
           gconstpointer  data)
{
  static const char *const expected[] = { "win.export-project", "win.export-codebook",
                                          "win.import-codebook", "app.import-project" };
  GtkMenuButton *button = NULL;
  GMenuModel *menu;
  g_autoptr(GMenuModel) section = NULL;
  GtkPopover *popover;

  for (GtkWidget *w = GTK_WIDGET (fixture->window); w != NULL;)
    {
      if (GTK_IS_MENU_BUTTON (w) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (w)))
        {
          button = GTK_MENU_BUTTON (w);
          break;
        }
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != NULL && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          if (w != NULL)
            w = gtk_widget_get_next_sibling (w);
        }
    }
  g_assert_nonnull (button);

  menu = gtk_menu_button_get_menu_model (button);
  for (int i = 0; i < g_menu_model_get_n_items (menu) && section == NULL; i++)
    {
      g_autofree char *label = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label) &&
          g_strcmp0 (label, "Exchange") == 0)
        section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
    }
  g_assert_nonnull (section);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *action = NULL;

      g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      g_assert_cmpstr (action, ==, expected[i]);
    }

  gtk_menu_button_popup (button);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  wait_ms (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  save_screenshot (GTK_WIDGET (popover), "exchange-menu.png");
  gtk_menu_button_popdown (button);
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

/* The choosers the menu opens: what they suggest and what they filter. */
static void
test_choosers (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GtkFileChooser *chooser;
  GtkFileFilter *filter;

  /* The name comes from the title, without what Windows refuses. */
  g_assert_true (cw_project_set_title (fixture->project, "Cohort: 2024/25", &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-project", NULL));
  g_assert_true (wait_until (chooser_shown, NULL));
  chooser = find_chooser ();
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (name, ==, "Cohort 2024-25.qdpx");
  filter = gtk_file_chooser_get_filter (chooser);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "REFI-QDA projects");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (wait_until (chooser_hidden, NULL));
  g_assert_false (_cw_window_is_busy (fixture->window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-codebook", NULL));
  g_assert_true (wait_until (chooser_shown, NULL));
  chooser = find_chooser ();
  g_free (name);
  name = gtk_file_chooser_get_current_name (chooser);
  g_assert_cmpstr (name, ==, "Cohort 2024-25.qdc");
  filter = gtk_file_chooser_get_filter (chooser);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "REFI-QDA codebooks");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (wait_until (chooser_hidden, NULL));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.import-codebook", NULL));
  g_assert_true (wait_until (chooser_shown, NULL));
  chooser = find_chooser ();
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  filter = gtk_file_chooser_get_filter (chooser);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "REFI-QDA codebooks");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  g_assert_true (wait_until (chooser_hidden, NULL));
  g_assert_false (_cw_window_is_busy (fixture->window));
}

/* Project import into an empty window */

typedef struct
{
  char     *dir;
  CwWindow *window;
} EmptyFixture;

static void
empty_set_up (EmptyFixture  *fixture,
              gconstpointer  data)
{
  fixture->dir = cw_test_make_dir ();
  show_window (&fixture->window);
  g_assert_cmpstr (_cw_window_get_page (fixture->window), ==, "empty");
}

static void
empty_tear_down (EmptyFixture  *fixture,
                 gconstpointer  data)
{
  CwProject *project = cw_window_get_project (fixture->window);
  gpointer weak = project;

  if (project != NULL)
    g_object_add_weak_pointer (G_OBJECT (project), &weak);
  destroy_window (fixture->window);
  g_assert_true (wait_until (pointer_gone, &weak));
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

static const char cohort_kevin[] =
  "Kevin: Eerst was het moeilijk op mijn stageplek.\n"
  "Interviewer: En nu?\n"
  "Kevin: Nu werk ik er vier dagen.\n";

static char *
write_cohort_qdpx (const char *dir,
                   const char *name)
{
  g_autofree char *qde = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GFile) file = NULL;

  qde = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
    "<Project xmlns=\"" NS_PROJECT "\" name=\"Cohort 2023\" origin=\"ATLAS.ti Mac 23.2.1\">"
    "<Users><User guid=\"" GUID ("0000A001") "\" name=\"Anouk\"/></Users>"
    "<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\" color=\"#3584e4\"/>"
    "</Codes></CodeBook>"
    "<Sources>"
    "<TextSource guid=\"" GUID ("0000B001") "\" name=\"Kevin\" plainTextPath=\"internal://k.txt\">"
    "<PlainTextSelection guid=\"" GUID ("0000C001") "\" startPosition=\"%ld\" endPosition=\"%ld\""
    " creatingUser=\"" GUID ("0000A001") "\" creationDateTime=\"2023-05-01T10:00:00Z\">"
    "<Coding guid=\"" GUID ("0000C002") "\" creatingUser=\"" GUID ("0000A001") "\">"
    "<CodeRef targetGUID=\"" GUID ("00000001") "\"/></Coding></PlainTextSelection>"
    "</TextSource>"
    "<PDFSource guid=\"" GUID ("0000B002") "\" name=\"Verslag.pdf\" path=\"internal://v.pdf\"/>"
    "</Sources></Project>",
    (long) (strstr (cohort_kevin, "Nu werk") - cohort_kevin),
    (long) (strstr (cohort_kevin, " dagen") - cohort_kevin + strlen (" dagen")));
  zip = cw_test_zip_build ("project.qde", qde, "sources/k.txt", cohort_kevin, NULL);
  file = cw_test_write_bytes (dir, name, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));
  return g_file_get_path (file);
}

static void
test_import_project (EmptyFixture  *fixture,
                     gconstpointer  data)
{
  g_autofree char *qdpx = write_cohort_qdpx (fixture->dir, "cohort.qdpx");
  g_autofree char *target = g_build_filename (fixture->dir, "cohort.codewerk", NULL);
  g_autoptr(GFile) qdpx_file = g_file_new_for_path (qdpx);
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autofree char *warnings = NULL;
  GValue value = G_VALUE_INIT;
  GdkContentProvider *content;
  AdwMessageDialog *dialog;
  CwProject *project;
  gint64 werk;

  _cw_window_import_project_from (fixture->window, qdpx_file, target_file);
  g_assert_true (_cw_window_is_busy (fixture->window));
  g_assert_true (action_enabled (fixture->window, "win.cancel-import"));
  g_assert_true (wait_until (window_idle, fixture->window));

  /* The window shows the new project. */
  g_assert_cmpstr (_cw_window_get_page (fixture->window), ==, "project");
  project = cw_window_get_project (fixture->window);
  g_assert_nonnull (project);
  g_assert_cmpstr (cw_project_get_path (project), ==, target);
  g_assert_cmpstr (cw_project_get_title (project), ==, "Cohort 2023");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (fixture->window)), ==, "Cohort 2023");
  g_assert_cmpuint (cw_document_list_get_n_documents (_cw_window_get_document_list (fixture->window)), ==, 1);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Imported 1 document");
  werk = cw_project_lookup_code (project, "Werk", &error);
  g_assert_no_error (error);
  g_assert_true (cw_codebook_panel_select_code (_cw_window_get_codebook_panel (fixture->window), werk));
  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  codings = cw_project_list_document_codings (project, ((CwDocumentInfo *) g_ptr_array_index (documents, 0))->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, 1);

  /* The PDF was left out, and the researcher is told. */
  dialog = find_message_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "“cohort.qdpx”"));
  warnings = warnings_text (dialog);
  g_assert_nonnull (strstr (warnings, "1 PDF source was skipped (Codewerk keeps text only): “Verslag.pdf”\n"));

  /* Copy keeps them for a memo. */
  close_dialog (dialog, "copy");
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Warnings copied");
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (fixture->window)));
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, warnings);
  g_value_unset (&value);
}

/* A file that is no exchange file: an error naming it, no project left
 * behind, the window as it was. */
static void
test_import_project_broken (EmptyFixture  *fixture,
                            gconstpointer  data)
{
  g_autoptr(GFile) qdpx_file = cw_test_write_file (fixture->dir, "broken.qdpx", "PK\003\004 this is not a zip at all");
  g_autofree char *target = g_build_filename (fixture->dir, "broken.codewerk", NULL);
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  const char *const left[] = { "broken.qdpx", NULL };
  const char *toast;

  /* The empty window offers the import too (app.import-project). */
  g_assert_nonnull (find_actionable (GTK_WIDGET (fixture->window), "app.import-project"));
  save_screenshot (GTK_WIDGET (fixture->window), "exchange-empty.png");

  _cw_window_import_project_from (fixture->window, qdpx_file, target_file);
  g_assert_true (wait_until (window_idle, fixture->window));

  toast = _cw_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (toast, "broken.qdpx"));
  g_assert_cmpstr (_cw_window_get_page (fixture->window), ==, "empty");
  g_assert_null (cw_window_get_project (fixture->window));
  /* A refused file is a dialog, not only a toast (issue 11). */
  g_assert_nonnull (find_message_dialog (fixture->window));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_true (dir_has_only (fixture->dir, left));
}

/* Cancel: nothing is left, the window stays empty. */
static void
test_import_project_cancel (EmptyFixture  *fixture,
                            gconstpointer  data)
{
  g_autofree char *qdpx = write_cohort_qdpx (fixture->dir, "cohort.qdpx");
  g_autofree char *target = g_build_filename (fixture->dir, "cohort.codewerk", NULL);
  g_autoptr(GFile) qdpx_file = g_file_new_for_path (qdpx);
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  const char *const left[] = { "cohort.qdpx", NULL };

  _cw_window_import_project_from (fixture->window, qdpx_file, target_file);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-import", NULL));
  g_assert_true (wait_until (window_idle, fixture->window));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Import cancelled: nothing was imported");
  g_assert_cmpstr (_cw_window_get_page (fixture->window), ==, "empty");
  g_assert_true (dir_has_only (fixture->dir, left));
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/exchange/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);
  g_test_add ("/exchange/export-error", Fixture, NULL, fixture_set_up, test_export_error, fixture_tear_down);
  g_test_add ("/exchange/export-cancel", Fixture, NULL, fixture_set_up, test_export_cancel, fixture_tear_down);
  g_test_add ("/exchange/import-codebook", Fixture, NULL, fixture_set_up, test_import_codebook, fixture_tear_down);
  g_test_add ("/exchange/import-codebook-error", Fixture, NULL, fixture_set_up, test_import_codebook_error,
              fixture_tear_down);
  g_test_add ("/exchange/menu", Fixture, NULL, fixture_set_up, test_menu, fixture_tear_down);
  g_test_add ("/exchange/choosers", Fixture, NULL, fixture_set_up, test_choosers, fixture_tear_down);
  g_test_add ("/exchange/import-project", EmptyFixture, NULL, empty_set_up, test_import_project, empty_tear_down);
  g_test_add ("/exchange/import-project-broken", EmptyFixture, NULL, empty_set_up, test_import_project_broken,
              empty_tear_down);
  g_test_add ("/exchange/import-project-cancel", EmptyFixture, NULL, empty_set_up, test_import_project_cancel,
              empty_tear_down);

  return g_test_run ();
}
