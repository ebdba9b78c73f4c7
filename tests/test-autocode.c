/* test-autocode.c: autocoding from the window, driven in-process under
 * Xvfb: the dialog opened by win.autocode, a speaker's turns across
 * documents, search hits grown to their sentence, the preview count,
 * cancelling, categories, and undo of the whole run in one step.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-autocode-dialog-private.h"
#include "cw-code-item.h"
#include "cw-codebook.h"
#include "cw-codebook-panel.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-window-private.h"
#include "cw-test-util.h"
#include "cw-test-gui.h"

/* The shared GUI helpers under this file's old names. */
#define wait_until cw_test_wait_until
#define wait_ms cw_test_wait_ms
#define save_screenshot cw_test_save_screenshot
#define TIMEOUT_MS CW_TEST_TIMEOUT_MS
typedef CwTestCondition Condition;






static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}



/* Two interviews with the same interviewer, and a small codebook */

static const char interview_kevin[] =
  "Interview met Kevin, 12 maart\n"
  "[00:00:05] Interviewer: Hoe ging het op je stage?\n"
  "[00:00:12] Kevin: Eerst was het moeilijk. Op mijn stageplek kende ik niemand, "
  "maar de jobcoach kwam elke week langs en toen ging het beter.\n"
  "[00:01:02] Interviewer: En nu?\n"
  "[00:01:30] Kevin: Nu werk ik er vier dagen. Mijn leidinggevende wil me houden "
  "als ik mijn diploma haal. Dat is wel spannend, want school is niet mijn ding.\n";

static const char interview_sanne[] =
  "Interview met Sanne, 3 april\n"
  "[00:00:03] Interviewer: Heb je hulp gehad bij het zoeken?\n"
  "[00:00:09] Sanne: Ja, veel. Eerst van mijn mentor. De jobcoach belde elke maandag! "
  "Dat hielp echt.\n"
  "[00:00:40] Interviewer: Wat doe je nu?\n"
  "[00:00:45] Sanne: Ik werk in een bakkerij.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     kevin;
  gint64     sanne;
  char      *kevin_text;
  char      *sanne_text;
  gint64     stage;     /* "Stage" */
  gint64     category;  /* "Begeleiding", a category */
  gint64     jobcoach;  /* "Begeleiding/Jobcoach" */
  gint64     work;      /* "Werk" */
  CwWindow  *window;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

typedef struct
{
  CwWindow *window;
  gint64    id;
} DocumentWait;

static gboolean
document_shown (gpointer data)
{
  DocumentWait *wait = data;

  return cw_transcript_view_get_document_id (_cw_window_get_transcript_view (wait->window)) == wait->id &&
         !_cw_window_is_busy (wait->window) &&
         gtk_widget_get_mapped (GTK_WIDGET (_cw_window_get_transcript_view (wait->window)));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DocumentWait wait;

  g_settings_reset (settings, "coder");
  fixture->dir = g_dir_make_tmp ("codewerk-test-autocode-XXXXXX", &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-kevin.txt", interview_kevin));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-sanne.txt", interview_sanne));

  path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  fixture->project = cw_project_create (path, "Stages", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  fixture->kevin = g_array_index (ids, gint64, 0);
  fixture->sanne = g_array_index (ids, gint64, 1);
  fixture->kevin_text = cw_project_get_text (fixture->project, fixture->kevin, &error);
  g_assert_no_error (error);
  fixture->sanne_text = cw_project_get_text (fixture->project, fixture->sanne, &error);
  g_assert_no_error (error);

  fixture->stage = cw_project_add_code (fixture->project, "Stage", "#3584e4", NULL, &error);
  g_assert_no_error (error);
  fixture->jobcoach = cw_project_add_code (fixture->project, "Begeleiding/Jobcoach", "#e66100", NULL, &error);
  g_assert_no_error (error);
  fixture->category = cw_project_lookup_code (fixture->project, "Begeleiding", &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_set_code_codable (fixture->project, fixture->category, FALSE, &error));
  g_assert_no_error (error);
  fixture->work = cw_project_add_code (fixture->project, "Werk", "#2ec27e", NULL, &error);
  g_assert_no_error (error);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  wait.window = fixture->window;
  wait.id = fixture->kevin;
  g_assert_true (wait_until (document_shown, &wait));
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;

  g_assert_true (wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (wait_until (window_gone, &weak));

  g_assert_finalize_object (fixture->project);
  g_free (fixture->kevin_text);
  g_free (fixture->sanne_text);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Helpers */

static gint64
offset_in (const char *text,
           const char *needle)
{
  const char *found = strstr (text, needle);

  g_assert_nonnull (found);
  return g_utf8_pointer_to_offset (text, found);
}

static GPtrArray *
codings_of (Fixture *fixture,
            gint64   document)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = cw_project_list_document_codings (fixture->project, document, &error);

  g_assert_no_error (error);
  return list;
}

static guint
n_codings (Fixture *fixture)
{
  g_autoptr(GPtrArray) kevin = codings_of (fixture, fixture->kevin);
  g_autoptr(GPtrArray) sanne = codings_of (fixture, fixture->sanne);

  return kevin->len + sanne->len;
}

/* The count the codebook panel shows for a code. */
static guint
panel_count (Fixture *fixture,
             gint64   code_id)
{
  GPtrArray *codes = cw_codebook_panel_get_codes (_cw_window_get_codebook_panel (fixture->window));

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);

      if (code->id == code_id)
        return code->n_codings;
    }
  g_assert_not_reached ();
  return 0;
}

static CwAutocodeDialog *
find_dialog (void)
{
  GList *toplevels = gtk_window_list_toplevels ();
  CwAutocodeDialog *dialog = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (CW_IS_AUTOCODE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      dialog = l->data;
  g_list_free (toplevels);
  return dialog;
}

/* Opens the dialog as Ctrl+Shift+A does; the dialog is watched with a
 * weak pointer so that the test can wait for it to close. */
static CwAutocodeDialog *
open_dialog (Fixture   *fixture,
             gpointer  *weak)
{
  CwAutocodeDialog *dialog;

  g_assert_null (find_dialog ());
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.autocode", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (fixture->window));
  *weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), weak);
  wait_ms (50);
  return dialog;
}

static void
choose_speaker (CwAutocodeDialog *dialog,
                const char       *name)
{
  GtkDropDown *dropdown = _cw_autocode_dialog_get_speaker_dropdown (dialog);
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), name) == 0)
        {
          gtk_drop_down_set_selected (dropdown, i);
          return;
        }
    }
  g_assert_not_reached ();
}

static gboolean
can_autocode (CwAutocodeDialog *dialog)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (_cw_autocode_dialog_get_autocode_button (dialog)));
}

static const char *
status_of (CwAutocodeDialog *dialog)
{
  return gtk_label_get_text (_cw_autocode_dialog_get_status (dialog));
}

static gboolean
preview_done (gpointer data)
{
  return !_cw_autocode_dialog_is_previewing (data);
}

static gboolean
run_done (gpointer data)
{
  return !_cw_autocode_dialog_is_running (data);
}

/* The header bar's button bound to the action. */
static GtkWidget *
find_button (Fixture    *fixture,
             const char *action)
{
  for (GtkWidget *w = GTK_WIDGET (fixture->window); w != NULL;)
    {
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
        return w;
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
  g_assert_not_reached ();
  return NULL;
}

static void
click (GtkButton *button)
{
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
}

/* The window's shortcut for win.autocode, as text ("<Shift><Control>a"),
 * and whether it sees keys before the focused widget does. */
static char *
autocode_shortcut (Fixture  *fixture,
                   gboolean *capture)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (fixture->window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (action) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win.autocode") == 0)
            {
              *capture = gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE;
              return gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));
            }
        }
    }
  return NULL;
}

/* Tests */

/* Every turn of the interviewer, in both interviews, with the code
 * selected in the codebook; the toast counts them and undo removes them
 * all at once. */
static void
test_speaker (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GPtrArray) kevin = NULL;
  g_autoptr(GPtrArray) sanne = NULL;
  CwTranscriptView *view = _cw_window_get_transcript_view (fixture->window);
  CwAutocodeDialog *dialog;
  GListModel *speakers;
  gpointer weak = NULL;
  guint expected = 0;

  /* Ctrl+Shift+A, caught before the transcript, where it would drop the
   * selection. */
  {
    gboolean capture = FALSE;
    g_autofree char *trigger = autocode_shortcut (fixture, &capture);

    g_assert_nonnull (trigger);
    g_assert_nonnull (strstr (trigger, "<Shift><Control>a"));
    g_assert_true (capture);
  }

  g_assert_true (cw_codebook_panel_select_code (_cw_window_get_codebook_panel (fixture->window), fixture->stage));
  dialog = open_dialog (fixture, &weak);

  /* Preset: the selected code, turns of a speaker (nothing was selected
   * in the text), every speaker of the project once, in order. */
  g_assert_cmpint (cw_autocode_dialog_get_code (dialog), ==, fixture->stage);
  g_assert_true (gtk_toggle_button_get_active (_cw_autocode_dialog_get_speaker_toggle (dialog)));
  speakers = gtk_drop_down_get_model (_cw_autocode_dialog_get_speaker_dropdown (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (speakers), ==, 3);
  {
    const char *names[] = { "Interviewer", "Kevin", "Sanne" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autoptr(GtkStringObject) item = g_list_model_get_item (speakers, i);

        g_assert_cmpstr (gtk_string_object_get_string (item), ==, names[i]);
      }
  }
  g_assert_nonnull (strstr (gtk_label_get_text (_cw_autocode_dialog_get_coder_label (dialog)), "“Codeur”"));

  /* Sanne does not speak in Kevin's interview: said, and refused. */
  choose_speaker (dialog, "Sanne");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_documents_row (dialog), 0);
  g_assert_cmpstr (status_of (dialog), ==, "“Sanne” does not speak in this document.");
  g_assert_false (can_autocode (dialog));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "autocode.run", NULL) &&
                  _cw_autocode_dialog_is_running (dialog));

  choose_speaker (dialog, "Interviewer");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_documents_row (dialog), 1);
  g_assert_cmpstr (status_of (dialog), ==, "Every turn of “Interviewer”, in 2 documents.");
  g_assert_true (can_autocode (dialog));
  save_screenshot (GTK_WIDGET (dialog), "autocode-speaker.png");

  click (_cw_autocode_dialog_get_autocode_button (dialog));
  g_assert_true (wait_until (window_gone, &weak));
  g_assert_null (find_dialog ());

  /* Stored: exactly the interviewer's turns, as the coder. */
  kevin = codings_of (fixture, fixture->kevin);
  sanne = codings_of (fixture, fixture->sanne);
  for (guint d = 0; d < 2; d++)
    {
      gint64 document = d == 0 ? fixture->kevin : fixture->sanne;
      GPtrArray *list = d == 0 ? kevin : sanne;
      guint k = 0;

      g_clear_pointer (&turns, g_ptr_array_unref);
      turns = cw_project_get_turns (fixture->project, document, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < turns->len; i++)
        {
          const CwTurn *turn = g_ptr_array_index (turns, i);
          const CwCoding *coding;

          if (g_strcmp0 (turn->speaker, "Interviewer") != 0)
            continue;
          g_assert_cmpuint (k, <, list->len);
          coding = g_ptr_array_index (list, k++);
          g_assert_cmpint (coding->code_id, ==, fixture->stage);
          g_assert_cmpint (coding->start, ==, turn->start);
          g_assert_cmpint (coding->end, ==, turn->end);
          g_assert_cmpstr (coding->coder, ==, "Codeur");
        }
      g_assert_cmpuint (k, ==, 2);
      g_assert_cmpuint (list->len, ==, k);
      expected += k;
    }
  cw_test_assert_substring (fixture->kevin_text, ((CwCoding *) kevin->pdata[1])->start,
                            ((CwCoding *) kevin->pdata[1])->end, "En nu?");

  /* The window follows: toast, the codings shown, the codebook's count,
   * undo. */
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Added 4 codings of “Stage”");
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 2);
  g_assert_cmpuint (panel_count (fixture, fixture->stage), ==, expected);
  g_assert_true (gtk_widget_get_sensitive (find_button (fixture, "win.undo")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find_button (fixture, "win.undo")),
                            "Autocode speaker “Interviewer”"));

  /* One step: undo takes all four away. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL));
  g_assert_cmpuint (n_codings (fixture), ==, 0);
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 0);
  g_assert_cmpuint (panel_count (fixture, fixture->stage), ==, 0);
  g_assert_null (strstr (gtk_widget_get_tooltip_text (find_button (fixture, "win.undo")), "Autocode"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find_button (fixture, "win.redo")),
                            "Autocode speaker “Interviewer”"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.redo", NULL));
  g_assert_cmpuint (n_codings (fixture), ==, 4);
}

/* Text selected in the transcript becomes the query; hits grown to their
 * sentence, in both interviews. */
static void
test_search_sentence (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) kevin = NULL;
  g_autoptr(GPtrArray) sanne = NULL;
  CwTranscriptView *view = _cw_window_get_transcript_view (fixture->window);
  CwAutocodeDialog *dialog;
  gpointer weak = NULL;
  gint64 at = offset_in (fixture->kevin_text, "jobcoach");
  const char *kevin_sentence = "Op mijn stageplek kende ik niemand, maar de jobcoach kwam elke week langs en toen ging het beter.";
  const char *sanne_sentence = "De jobcoach belde elke maandag!";
  const CwCoding *coding;

  g_assert_true (cw_codebook_panel_select_code (_cw_window_get_codebook_panel (fixture->window), fixture->jobcoach));
  /* "obcoac": snapped to the word. */
  cw_transcript_view_select_range (view, at + 1, at + 7);
  dialog = open_dialog (fixture, &weak);

  g_assert_cmpint (cw_autocode_dialog_get_code (dialog), ==, fixture->jobcoach);
  g_assert_true (gtk_toggle_button_get_active (_cw_autocode_dialog_get_search_toggle (dialog)));
  g_assert_cmpstr (gtk_editable_get_text (_cw_autocode_dialog_get_query (dialog)), ==, "jobcoach");

  /* The preview counts as the query changes. */
  g_assert_true (wait_until (preview_done, dialog));
  g_assert_cmpstr (status_of (dialog), ==, "2 hits in 2 documents");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_documents_row (dialog), 0);
  g_assert_true (wait_until (preview_done, dialog));
  g_assert_cmpstr (status_of (dialog), ==, "1 hit in this document");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_documents_row (dialog), 1);
  gtk_editable_set_text (_cw_autocode_dialog_get_query (dialog), "bakkerij");
  g_assert_true (wait_until (preview_done, dialog));
  g_assert_cmpstr (status_of (dialog), ==, "1 hit in 1 document");
  gtk_editable_set_text (_cw_autocode_dialog_get_query (dialog), "vrachtwagen");
  g_assert_true (wait_until (preview_done, dialog));
  g_assert_cmpstr (status_of (dialog), ==, "No hits in any document.");
  g_assert_false (can_autocode (dialog));
  gtk_editable_set_text (_cw_autocode_dialog_get_query (dialog), "werk AND");
  g_assert_true (wait_until (preview_done, dialog));
  g_assert_true (g_str_has_prefix (status_of (dialog), "Invalid search: "));
  g_assert_false (can_autocode (dialog));

  gtk_editable_set_text (_cw_autocode_dialog_get_query (dialog), "jobcoach");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_extent_row (dialog), 1);
  g_assert_true (wait_until (preview_done, dialog));
  g_assert_cmpstr (status_of (dialog), ==, "2 hits in 2 documents");
  save_screenshot (GTK_WIDGET (dialog), "autocode.png");

  click (_cw_autocode_dialog_get_autocode_button (dialog));
  g_assert_true (wait_until (window_gone, &weak));

  kevin = codings_of (fixture, fixture->kevin);
  sanne = codings_of (fixture, fixture->sanne);
  g_assert_cmpuint (kevin->len, ==, 1);
  g_assert_cmpuint (sanne->len, ==, 1);
  coding = g_ptr_array_index (kevin, 0);
  g_assert_cmpint (coding->code_id, ==, fixture->jobcoach);
  g_assert_cmpint (coding->start, ==, offset_in (fixture->kevin_text, kevin_sentence));
  g_assert_cmpint (coding->end, ==, coding->start + g_utf8_strlen (kevin_sentence, -1));
  coding = g_ptr_array_index (sanne, 0);
  g_assert_cmpint (coding->code_id, ==, fixture->jobcoach);
  g_assert_cmpint (coding->start, ==, offset_in (fixture->sanne_text, sanne_sentence));
  g_assert_cmpint (coding->end, ==, coding->start + g_utf8_strlen (sanne_sentence, -1));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Added 2 codings of “Jobcoach”");
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 1);

  /* The same again adds nothing: said in the dialog, which stays. */
  dialog = open_dialog (fixture, &weak);
  cw_autocode_dialog_set_search_text (dialog, "jobcoach");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_extent_row (dialog), 1);
  click (_cw_autocode_dialog_get_autocode_button (dialog));
  g_assert_true (_cw_autocode_dialog_is_running (dialog));
  g_assert_true (wait_until (run_done, dialog));
  g_assert_nonnull (weak);
  g_assert_cmpstr (status_of (dialog), ==, "Nothing was added: all of it is coded with “Jobcoach” already.");
  g_assert_cmpuint (n_codings (fixture), ==, 2);

  /* A phrase from a selection of several words. */
  cw_autocode_dialog_set_search_text (dialog, "  de\n\"jobcoach\" ");
  g_assert_cmpstr (gtk_editable_get_text (_cw_autocode_dialog_get_query (dialog)), ==, "\"de jobcoach\"");
  click (_cw_autocode_dialog_get_cancel_button (dialog));
  g_assert_true (wait_until (window_gone, &weak));
}

/* Cancel while the worker waits for the project file: nothing changes. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *undo_before = NULL;
  g_autofree char *undo_after = NULL;
  sqlite3 *db = NULL;
  CwAutocodeDialog *dialog;
  gpointer weak = NULL;

  g_assert_true (cw_codebook_panel_select_code (_cw_window_get_codebook_panel (fixture->window), fixture->work));
  dialog = open_dialog (fixture, &weak);
  choose_speaker (dialog, "Kevin");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_documents_row (dialog), 1);
  undo_before = cw_project_get_undo_label (fixture->project);

  /* Another program writing: the worker's step waits for it. */
  g_assert_cmpint (sqlite3_open (cw_project_get_path (fixture->project), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  click (_cw_autocode_dialog_get_autocode_button (dialog));
  g_assert_true (_cw_autocode_dialog_is_running (dialog));
  wait_ms (100);
  g_assert_true (_cw_autocode_dialog_is_running (dialog));
  g_assert_nonnull (weak);
  /* While it runs, Autocode cannot run twice; closing waits for it. */
  g_assert_false (can_autocode (dialog));
  save_screenshot (GTK_WIDGET (dialog), "autocode-running.png");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_ms (50);
  g_assert_nonnull (weak);
  g_assert_true (_cw_autocode_dialog_is_running (dialog));

  click (_cw_autocode_dialog_get_cancel_button (dialog));
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (wait_until (window_gone, &weak));

  g_assert_cmpuint (n_codings (fixture), ==, 0);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Autocoding cancelled: nothing was coded");
  undo_after = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (undo_after, ==, undo_before);

  /* And without a cancel it goes through. */
  dialog = open_dialog (fixture, &weak);
  choose_speaker (dialog, "Kevin");
  adw_combo_row_set_selected (_cw_autocode_dialog_get_documents_row (dialog), 0);
  g_assert_cmpstr (status_of (dialog), ==, "Every turn of “Kevin” in this document.");
  click (_cw_autocode_dialog_get_autocode_button (dialog));
  g_assert_true (wait_until (window_gone, &weak));
  g_assert_cmpuint (n_codings (fixture), ==, 2);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Added 2 codings of “Werk”");
}

/* A category groups codes and cannot be applied: it is not offered, and
 * choosing it in the codebook leaves the dialog without a code. */
static void
test_category (Fixture       *fixture,
               gconstpointer  data)
{
  CwAutocodeDialog *dialog;
  GListModel *codes;
  gpointer weak = NULL;
  gboolean found_stage = FALSE;

  g_assert_true (cw_codebook_panel_select_code (_cw_window_get_codebook_panel (fixture->window), fixture->category));
  dialog = open_dialog (fixture, &weak);

  codes = gtk_drop_down_get_model (_cw_autocode_dialog_get_code_dropdown (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (codes), ==, 3);
  for (guint i = 0; i < g_list_model_get_n_items (codes); i++)
    {
      g_autoptr(CwCodeItem) item = g_list_model_get_item (codes, i);

      g_assert_cmpint (cw_code_item_get_id (item), !=, fixture->category);
      g_assert_true (cw_code_item_get_code (item)->codable);
      found_stage |= cw_code_item_get_id (item) == fixture->stage;
    }
  g_assert_true (found_stage);

  g_assert_cmpint (cw_autocode_dialog_get_code (dialog), ==, 0);
  g_assert_false (cw_autocode_dialog_set_code (dialog, fixture->category));
  g_assert_cmpint (cw_autocode_dialog_get_code (dialog), ==, 0);
  g_assert_nonnull (strstr (status_of (dialog), "“Begeleiding” is a category: choose one of its codes."));
  g_assert_false (can_autocode (dialog));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "autocode.run", NULL);
  g_assert_false (_cw_autocode_dialog_is_running (dialog));

  /* A code chosen in the list: the complaint goes, Autocode can run. */
  g_assert_true (cw_autocode_dialog_set_code (dialog, fixture->jobcoach));
  g_assert_null (strstr (status_of (dialog), "category"));
  g_assert_true (can_autocode (dialog));

  /* Escape closes; nothing was coded. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "autocode.cancel", NULL));
  g_assert_true (wait_until (window_gone, &weak));
  g_assert_cmpuint (n_codings (fixture), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/autocode/speaker", Fixture, NULL, fixture_set_up, test_speaker, fixture_tear_down);
  g_test_add ("/autocode/search-sentence", Fixture, NULL, fixture_set_up, test_search_sentence, fixture_tear_down);
  g_test_add ("/autocode/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/autocode/category", Fixture, NULL, fixture_set_up, test_category, fixture_tear_down);

  return g_test_run ();
}
