/* test-coding-window.c: coding in the window, driven in-process under Xvfb:
 * the codebook panel, the three ways of coding a selection, word snapping,
 * the coloured codings, the stripes, undo and redo.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-code-item.h"
#include "cw-codebook.h"
#include "cw-codebook-panel-private.h"
#include "cw-coding.h"
#include "cw-coding-stripes-private.h"
#include "cw-history.h"
#include "cw-transcript-view-private.h"
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



/* A project with one interview and a small codebook */

static const char interview[] =
  "Interview met Kevin, 12 maart\n"
  "[00:00:05] Interviewer: Hoe ging het op je stage?\n"
  "[00:00:12] Kevin: Eerst was het moeilijk. Op mijn stageplek kende ik niemand, "
  "maar de jobcoach kwam elke week langs en toen ging het beter.\n"
  "[00:01:02] Interviewer: En nu?\n"
  "[00:01:30] Kevin: Nu werk ik er vier dagen. Mijn leidinggevende wil me houden "
  "als ik mijn diploma haal. Dat is wel spannend, want school is niet mijn ding.\n";

/* The document's text as stored (the importer takes the times out). */
static char *stored_text;

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     document;
  gint64     stage;       /* "Stage", key 1 */
  gint64     category;    /* "Begeleiding", a category: no key */
  gint64     jobcoach;    /* "Begeleiding/Jobcoach", key 2 */
  gint64     work;        /* "Werk", key 3 */
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
  g_autofree char *file = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  DocumentWait wait;

  g_settings_reset (settings, "coder");
  fixture->dir = g_dir_make_tmp ("codewerk-test-coding-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (fixture->dir, "interview-kevin.txt", NULL);
  g_file_set_contents (file, interview, -1, &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, g_file_new_for_path (file));

  path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  fixture->project = cw_project_create (path, "Stages", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->document = g_array_index (ids, gint64, 0);
  stored_text = cw_project_get_text (fixture->project, fixture->document, &error);
  g_assert_no_error (error);

  fixture->stage = cw_project_add_code (fixture->project, "Stage", "#3584e4", "Alles over de stageplek.", &error);
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
  wait.id = fixture->document;
  g_assert_true (wait_until (document_shown, &wait));
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Work the window started (a worker reading the project for a page) may
 * hold the project a little after the window is gone; a leak never lets
 * go, and the assertion below still catches it. */
static gboolean
project_released (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
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

  wait_until (project_released, fixture->project);
  g_assert_finalize_object (fixture->project);
  g_clear_pointer (&stored_text, g_free);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Helpers */

static CwTranscriptView *
view_of (Fixture *fixture)
{
  return _cw_window_get_transcript_view (fixture->window);
}

static CwCodebookPanel *
panel_of (Fixture *fixture)
{
  return _cw_window_get_codebook_panel (fixture->window);
}

/* The character offset of the first occurrence of needle in the text. */
static gint64
offset_of (const char *needle)
{
  const char *found = strstr (stored_text, needle);

  g_assert_nonnull (found);
  return g_utf8_pointer_to_offset (stored_text, found);
}

static void
select_text (Fixture    *fixture,
             const char *needle,
             int         skip_start,
             int         skip_end)
{
  gint64 start = offset_of (needle);

  cw_transcript_view_select_range (view_of (fixture), start + skip_start,
                                   start + g_utf8_strlen (needle, -1) - skip_end);
}

static GPtrArray *
codings (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = cw_project_list_document_codings (fixture->project, fixture->document, &error);

  g_assert_no_error (error);
  return list;
}

/* Asserts the document has exactly one coding, of code, over expected. */
static const CwCoding *
assert_one_coding (GPtrArray  *list,
                   gint64      code,
                   const char *expected)
{
  const CwCoding *coding;

  g_assert_cmpuint (list->len, ==, 1);
  coding = g_ptr_array_index (list, 0);
  g_assert_cmpint (coding->code_id, ==, code);
  cw_test_assert_substring (stored_text, coding->start, coding->end, expected);
  return coding;
}

static void
activate (Fixture    *fixture,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), action, NULL));
}

static GtkWidget *
find_button (Fixture    *fixture,
             const char *action)
{
  GtkWidget *button = NULL;

  /* The header bar's button, bound to the action. */
  for (GtkWidget *w = GTK_WIDGET (fixture->window); w != NULL;)
    {
      if (GTK_IS_ACTIONABLE (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
        {
          button = w;
          break;
        }
      /* depth-first walk */
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
  return button;
}

static gboolean
action_enabled (Fixture    *fixture,
                const char *action)
{
  return gtk_widget_get_sensitive (find_button (fixture, action));
}

/* Emits a key press on the view's own key controller, as GTK would. */
static gboolean
press_key (Fixture         *fixture,
           guint            keyval,
           GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (view_of (fixture)));
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller) ||
          gtk_event_controller_get_propagation_phase (controller) != GTK_PHASE_CAPTURE)
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      return handled;
    }

  g_assert_not_reached ();
  return FALSE;
}

/* Tests */

/* (a) Select text, click a code: the coding snaps to whole words; undo
 * and redo in the header bar take it away and bring it back. */
static void
test_click (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  CwTranscriptView *view = view_of (fixture);
  GtkTextTag *tag;

  g_assert_null (_cw_transcript_view_get_coding_tag_at (view, offset_of ("mijn stageplek")));

  /* A click without a selection only selects the code. */
  cw_transcript_view_select_range (view, 4, 4);
  _cw_codebook_panel_click (panel_of (fixture), fixture->stage, TRUE);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_null (_cw_window_get_last_toast (fixture->window));
  g_clear_pointer (&list, g_ptr_array_unref);

  /* "ijn stagepl" is coded as "mijn stageplek". */
  select_text (fixture, "mijn stageplek", 1, 2);
  _cw_codebook_panel_click (panel_of (fixture), fixture->stage, TRUE);
  list = codings (fixture);
  assert_one_coding (list, fixture->stage, "mijn stageplek");
  g_assert_cmpstr (((CwCoding *) list->pdata[0])->coder, ==, "Codeur");
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Coded “Stage”");

  /* The view shows it in the code's colour, translucent. */
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 1);
  tag = _cw_transcript_view_get_coding_tag_at (view, offset_of ("stageplek"));
  g_assert_nonnull (tag);
  {
    GdkRGBA *rgba = NULL;

    g_object_get (tag, "background-rgba", &rgba, NULL);
    g_assert_nonnull (rgba);
    g_assert_cmpfloat_with_epsilon (rgba->alpha, 0.30, 0.01);
    g_assert_cmpfloat_with_epsilon (rgba->blue, 0xe4 / 255.0, 0.01);
    gdk_rgba_free (rgba);
  }
  g_assert_null (_cw_transcript_view_get_coding_tag_at (view, offset_of ("mijn stageplek") - 2));

  /* The codebook counts it. */
  {
    g_autoptr(CwCode) code = cw_project_get_code (fixture->project, fixture->stage, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (code->n_codings, ==, 1);
  }

  /* Undo, redo; the button says what it undoes. */
  g_assert_true (action_enabled (fixture, "win.undo"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (find_button (fixture, "win.undo")), "Apply code “Stage”"));
  g_assert_false (action_enabled (fixture, "win.redo"));
  activate (fixture, "win.undo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 0);
  g_assert_null (_cw_transcript_view_get_coding_tag_at (view, offset_of ("stageplek")));
  g_assert_true (action_enabled (fixture, "win.redo"));

  activate (fixture, "win.redo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  assert_one_coding (list, fixture->stage, "mijn stageplek");
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 1);
  g_assert_false (action_enabled (fixture, "win.redo"));

  /* Activating a row (Enter, double click) codes too, as the coder set in
   * the preferences; a category cannot code. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    GtkSingleSelection *selection = _cw_codebook_panel_get_selection (panel_of (fixture));
    GtkListView *list_view = _cw_codebook_panel_get_list_view (panel_of (fixture));
    g_autoptr(GPtrArray) after = NULL;

    g_settings_set_string (settings, "coder", "Anouk");
    select_text (fixture, "vier dagen", 0, 0);
    g_assert_true (cw_codebook_panel_select_code (panel_of (fixture), fixture->category));
    g_signal_emit_by_name (list_view, "activate", gtk_single_selection_get_selected (selection));
    g_clear_pointer (&list, g_ptr_array_unref);
    list = codings (fixture);
    g_assert_cmpuint (list->len, ==, 1);

    g_assert_true (cw_codebook_panel_select_code (panel_of (fixture), fixture->work));
    g_signal_emit_by_name (list_view, "activate", gtk_single_selection_get_selected (selection));
    after = codings (fixture);
    g_assert_cmpuint (after->len, ==, 2);
    for (guint i = 0; i < after->len; i++)
      {
        const CwCoding *coding = g_ptr_array_index (after, i);

        if (coding->code_id == fixture->work)
          {
            cw_test_assert_substring (stored_text, coding->start, coding->end, "vier dagen");
            g_assert_cmpstr (coding->coder, ==, "Anouk");
          }
      }
    g_settings_reset (settings, "coder");
  }
}


/* (b) Dragging: the selection dropped on a code's row, and a code's row
 * dropped on the selection. Both go through the drop handlers with the
 * values GTK would hand them. */
static void
test_drop (Fixture       *fixture,
           gconstpointer  data)
{
  CwTranscriptView *view = view_of (fixture);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_auto(GValue) text_value = G_VALUE_INIT;
  g_auto(GValue) code_value = G_VALUE_INIT;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) work = NULL;
  g_autoptr(CwCodeItem) item = NULL;
  gboolean dropped = FALSE;

  /* Text onto the row of "Jobcoach": the text view's drag offers its
   * buffer. Alt held: the selection is coded exactly as it is. */
  select_text (fixture, "de jobcoach kwam", 1, 1);
  g_value_init (&text_value, GTK_TYPE_TEXT_BUFFER);
  g_value_set_object (&text_value, buffer);
  g_assert_true (_cw_codebook_panel_drop (panel_of (fixture), fixture->jobcoach, &text_value, CW_DROP_INTO, FALSE));
  list = codings (fixture);
  assert_one_coding (list, fixture->jobcoach, "e jobcoach kwa");
  /* A category takes no text. */
  g_assert_false (_cw_codebook_panel_drop (panel_of (fixture), fixture->category, &text_value, CW_DROP_INTO, TRUE));

  activate (fixture, "win.undo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 0);

  /* The row of "Werk" onto the selected text. */
  work = cw_project_get_code (fixture->project, fixture->work, &error);
  g_assert_no_error (error);
  item = cw_code_item_new (work);
  g_value_init (&code_value, CW_TYPE_CODE_ITEM);
  g_value_set_object (&code_value, item);
  select_text (fixture, "Nu werk ik er", 4, 1);
  g_signal_emit_by_name (_cw_transcript_view_get_drop_target (view), "drop", &code_value, 100.0, 100.0, &dropped);
  g_assert_true (dropped);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  assert_one_coding (list, fixture->work, "werk ik er");

  activate (fixture, "win.undo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 0);
  activate (fixture, "win.redo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  assert_one_coding (list, fixture->work, "werk ik er");

  /* Without a selection a dropped code does nothing. */
  cw_transcript_view_select_range (view, 3, 3);
  g_signal_emit_by_name (_cw_transcript_view_get_drop_target (view), "drop", &code_value, 100.0, 100.0, &dropped);
  g_assert_false (dropped);
}

/* Moving codes in the codebook by dragging rows. */
static void
test_move (Fixture       *fixture,
           gconstpointer  data)
{
  CwCodebookPanel *panel = panel_of (fixture);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) work = NULL;
  g_autoptr(CwCodeItem) item = NULL;
  g_autoptr(GPtrArray) codes = NULL;

  work = cw_project_get_code (fixture->project, fixture->work, &error);
  g_assert_no_error (error);
  item = cw_code_item_new (work);
  g_value_init (&value, CW_TYPE_CODE_ITEM);
  g_value_set_object (&value, item);

  /* Onto "Begeleiding": its last child. */
  g_assert_true (_cw_codebook_panel_drop (panel, fixture->category, &value, CW_DROP_INTO, TRUE));
  g_clear_pointer (&work, cw_code_free);
  work = cw_project_get_code (fixture->project, fixture->work, &error);
  g_assert_cmpstr (work->path, ==, "Begeleiding/Werk");
  g_assert_cmpint (work->position, ==, 1);
  g_assert_cmpint (cw_codebook_panel_get_selected (panel), ==, fixture->work);

  /* Above "Stage": first at the top. */
  g_assert_true (_cw_codebook_panel_drop (panel, fixture->stage, &value, CW_DROP_BEFORE, TRUE));
  codes = cw_project_list_codes (fixture->project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((CwCode *) codes->pdata[0])->path, ==, "Werk");
  g_assert_cmpstr (((CwCode *) codes->pdata[1])->path, ==, "Stage");

  /* Below "Stage", from above it: one step down. */
  g_assert_true (_cw_codebook_panel_drop (panel, fixture->stage, &value, CW_DROP_AFTER, TRUE));
  g_clear_pointer (&codes, g_ptr_array_unref);
  codes = cw_project_list_codes (fixture->project, &error);
  g_assert_cmpstr (((CwCode *) codes->pdata[0])->path, ==, "Stage");
  g_assert_cmpstr (((CwCode *) codes->pdata[1])->path, ==, "Werk");

  /* Not into itself. */
  g_assert_false (_cw_codebook_panel_drop (panel, fixture->work, &value, CW_DROP_INTO, TRUE));

  /* Undo puts it back under "Stage"... before it, and so on. */
  activate (fixture, "win.undo");
  g_clear_pointer (&codes, g_ptr_array_unref);
  codes = cw_project_list_codes (fixture->project, &error);
  g_assert_cmpstr (((CwCode *) codes->pdata[0])->path, ==, "Werk");
}

typedef struct
{
  GtkPopover *popover;
  gboolean    visible;
} PopoverWait;

static gboolean
popover_state (gpointer data)
{
  PopoverWait *wait = data;

  return gtk_widget_get_visible (GTK_WIDGET (wait->popover)) == wait->visible;
}

/* (c) The quick keys 1 to 9 and the code chooser (Ctrl+Space). */
static void
test_keys (Fixture       *fixture,
           gconstpointer  data)
{
  CwTranscriptView *view = view_of (fixture);
  g_autoptr(GPtrArray) list = NULL;
  PopoverWait wait = { _cw_transcript_view_get_code_chooser (view), TRUE };

  /* Key 1 is "Stage", the first codable code; a category has no key. */
  select_text (fixture, "mijn stageplek", 1, 2);
  g_assert_true (press_key (fixture, GDK_KEY_1, 0));
  list = codings (fixture);
  assert_one_coding (list, fixture->stage, "mijn stageplek");
  activate (fixture, "win.undo");

  /* Alt+2: "Jobcoach", exactly the selection. */
  select_text (fixture, "mijn stageplek", 1, 2);
  g_assert_true (press_key (fixture, GDK_KEY_2, GDK_ALT_MASK));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  assert_one_coding (list, fixture->jobcoach, "ijn stagepl");
  activate (fixture, "win.undo");

  /* No code behind key 9; with Ctrl a digit is not a quick key. */
  g_assert_false (press_key (fixture, GDK_KEY_9, 0));
  g_assert_false (press_key (fixture, GDK_KEY_1, GDK_CONTROL_MASK));

  /* Ctrl+Space, type part of a name, Enter. */
  select_text (fixture, "diploma haal", 2, 0);
  g_assert_true (press_key (fixture, GDK_KEY_space, GDK_CONTROL_MASK));
  g_assert_true (wait_until (popover_state, &wait));
  gtk_editable_set_text (_cw_transcript_view_get_chooser_entry (view), "coach");
  /* What the entry does after its typing delay, now. */
  g_signal_emit_by_name (_cw_transcript_view_get_chooser_entry (view), "search-changed");
  g_signal_emit_by_name (_cw_transcript_view_get_chooser_entry (view), "activate");
  wait.visible = FALSE;
  g_assert_true (wait_until (popover_state, &wait));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  assert_one_coding (list, fixture->jobcoach, "diploma haal");

  activate (fixture, "win.undo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 0);
  activate (fixture, "win.redo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  assert_one_coding (list, fixture->jobcoach, "diploma haal");

  /* Nothing selected: nothing coded, and the user is told. */
  cw_transcript_view_select_range (view, 10, 10);
  g_assert_true (press_key (fixture, GDK_KEY_3, 0));
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Select the text to code first");
}

static gint64
add_coding (Fixture    *fixture,
            gint64      code,
            const char *needle,
            const char *coder,
            const char *memo)
{
  g_autoptr(GError) error = NULL;
  gint64 start = offset_of (needle);
  gint64 id = cw_project_add_coding (fixture->project, fixture->document, code, start,
                                     start + g_utf8_strlen (needle, -1), coder, memo, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static const CwStripeBar *
find_bar (GArray *bars,
          gint64  coding_id)
{
  for (guint i = 0; i < bars->len; i++)
    if (g_array_index (bars, CwStripeBar, i).coding_id == coding_id)
      return &g_array_index (bars, CwStripeBar, i);
  g_assert_not_reached ();
  return NULL;
}

/* Overlapping codings of three codes: mixed colours, a bar each in the
 * stripes, side by side; hover, click and remove. */
static void
test_stripes (Fixture       *fixture,
              gconstpointer  data)
{
  CwTranscriptView *view = view_of (fixture);
  CwCodingStripes *stripes = _cw_transcript_view_get_stripes (view);
  g_autoptr(GArray) bars = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *tooltip = NULL;
  gint64 outer, inner, other, later;
  GtkTextTag *both, *one;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter start, end;

  outer = add_coding (fixture, fixture->stage,
                      "Eerst was het moeilijk. Op mijn stageplek kende ik niemand, maar de jobcoach kwam elke week langs",
                      "Anouk", "Begin van de stage: eenzaam.");
  inner = add_coding (fixture, fixture->jobcoach, "de jobcoach kwam elke week langs en toen ging het beter", "Anouk", NULL);
  other = add_coding (fixture, fixture->work, "mijn stageplek kende ik niemand", "Jeroen", NULL);
  later = add_coding (fixture, fixture->work, "Nu werk ik er vier dagen", "Jeroen", NULL);

  /* The window follows the edits made through the project. */
  g_assert_cmpuint (cw_transcript_view_get_codings (view)->len, ==, 4);

  /* One bar per coding; the three overlapping ones in three lanes. */
  bars = _cw_coding_stripes_get_bars (stripes);
  g_assert_cmpuint (bars->len, ==, 4);
  g_assert_cmpuint (find_bar (bars, outer)->lane, !=, find_bar (bars, inner)->lane);
  g_assert_cmpuint (find_bar (bars, outer)->lane, !=, find_bar (bars, other)->lane);
  g_assert_cmpuint (find_bar (bars, inner)->lane, !=, find_bar (bars, other)->lane);
  g_assert_cmpuint (_cw_coding_stripes_get_n_lanes (stripes), ==, 3);
  /* A coding on its own line takes the first lane again. */
  g_assert_cmpuint (find_bar (bars, later)->lane, ==, 0);

  /* Overlaps show as a mix: their own tag, more opaque than one code. */
  both = _cw_transcript_view_get_coding_tag_at (view, offset_of ("jobcoach"));
  one = _cw_transcript_view_get_coding_tag_at (view, offset_of ("Eerst"));
  g_assert_nonnull (both);
  g_assert_nonnull (one);
  g_assert_true (both != one);
  {
    GdkRGBA *mixed = NULL, *single = NULL;

    g_object_get (both, "background-rgba", &mixed, NULL);
    g_object_get (one, "background-rgba", &single, NULL);
    g_assert_cmpfloat (mixed->alpha, >, single->alpha + 0.1);
    gdk_rgba_free (mixed);
    gdk_rgba_free (single);
  }

  /* Hover: code, coder, memo. */
  tooltip = _cw_coding_stripes_describe (stripes, outer);
  g_assert_cmpstr (tooltip, ==, "Stage · Anouk · Begin van de stage: eenzaam.");

  /* Click: the coding's text is selected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.select-coding", "x", inner));
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, offset_of ("de jobcoach kwam"));
  g_assert_true (gtk_text_iter_has_tag (&start, gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer),
                                                                            "selected-coding")));

  save_screenshot (GTK_WIDGET (fixture->window), "coding.png");

  /* Right click, "Remove Coding". */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.remove-coding", "x", other));
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 3);
  g_clear_pointer (&bars, g_array_unref);
  bars = _cw_coding_stripes_get_bars (stripes);
  g_assert_cmpuint (bars->len, ==, 3);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Coding removed");

  activate (fixture, "win.undo");
  g_clear_pointer (&list, g_ptr_array_unref);
  list = codings (fixture);
  g_assert_cmpuint (list->len, ==, 4);
}

/* Many codings in one document: every one gets its bar. */
static void
test_many_codings (Fixture       *fixture,
                   gconstpointer  data)
{
  CwTranscriptView *view = view_of (fixture);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_coding_free);
  g_autoptr(GArray) bars = NULL;
  gint64 length = g_utf8_strlen (stored_text, -1);
  guint lanes;

  /* Built by hand, as the query would return them, by start. */
  for (guint i = 0; i < 2000; i++)
    {
      CwCoding *coding = g_new0 (CwCoding, 1);

      coding->id = i + 1;
      coding->code_id = i % 3 == 0 ? fixture->stage : i % 3 == 1 ? fixture->jobcoach : fixture->work;
      coding->code = g_strdup (i % 3 == 0 ? "Stage" : i % 3 == 1 ? "Begeleiding/Jobcoach" : "Werk");
      coding->color = g_strdup (i % 3 == 0 ? "#3584e4" : i % 3 == 1 ? "#e66100" : "#2ec27e");
      coding->coder = g_strdup ("Codeur");
      coding->start = (gint64) i * (length - 20) / 2000;
      coding->end = coding->start + 5 + i % 15;
      g_ptr_array_add (list, coding);
    }

  cw_transcript_view_set_codings (view, list);
  bars = _cw_coding_stripes_get_bars (_cw_transcript_view_get_stripes (view));
  g_assert_cmpuint (bars->len, ==, 2000);
  lanes = _cw_coding_stripes_get_n_lanes (_cw_transcript_view_get_stripes (view));
  g_assert_cmpuint (lanes, >, 1);
  /* Drawing copes (only what is on screen is measured). */
  gtk_widget_queue_draw (GTK_WIDGET (view));
  wait_ms (200);
  cw_transcript_view_set_codings (view, NULL);
}

/* The codebook panel: details, rename, description, colour, delete. */
static void
test_codebook (Fixture       *fixture,
               gconstpointer  data)
{
  CwCodebookPanel *panel = panel_of (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) code = NULL;
  GtkTextBuffer *description;
  GtkEditable *entry;
  AdwMessageDialog *dialog;

  add_coding (fixture, fixture->jobcoach, "de jobcoach kwam elke week langs", "Anouk", NULL);
  add_coding (fixture, fixture->stage, "mijn stageplek", "Anouk", NULL);

  /* Details of the selected code. */
  g_assert_true (cw_codebook_panel_select_code (panel, fixture->stage));
  g_assert_cmpstr (gtk_label_get_text (_cw_codebook_panel_get_details_path (panel)), ==, "Stage");
  description = gtk_text_view_get_buffer (_cw_codebook_panel_get_description (panel));
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (description, &start, &end);
    text = gtk_text_buffer_get_text (description, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Alles over de stageplek.");
  }

  /* The description is saved after a pause in typing. */
  gtk_text_buffer_set_text (description, "Alles over de stageplek. Niet: school.", -1);
  _cw_codebook_panel_flush (panel);
  code = cw_project_get_code (fixture->project, fixture->stage, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (code->description, ==, "Alles over de stageplek. Niet: school.");

  /* Rename in place (F2). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.rename", NULL));
  entry = _cw_codebook_panel_get_rename_entry (panel);
  g_assert_nonnull (entry);
  gtk_editable_set_text (entry, "Stageplek");
  g_signal_emit_by_name (entry, "activate");
  g_clear_pointer (&code, cw_code_free);
  code = cw_project_get_code (fixture->project, fixture->stage, &error);
  g_assert_cmpstr (code->name, ==, "Stageplek");
  g_assert_cmpstr (gtk_label_get_text (_cw_codebook_panel_get_details_path (panel)), ==, "Stageplek");

  /* Search: only matches and their parents. */
  gtk_editable_set_text (_cw_codebook_panel_get_search_entry (panel), "coach");
  /* What the entry does after its typing delay, now. */
  g_signal_emit_by_name (_cw_codebook_panel_get_search_entry (panel), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_cw_codebook_panel_get_selection (panel))), ==, 2);
  gtk_editable_set_text (_cw_codebook_panel_get_search_entry (panel), "");
  g_signal_emit_by_name (_cw_codebook_panel_get_search_entry (panel), "search-changed");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (_cw_codebook_panel_get_selection (panel))), ==, 4);

  g_assert_true (cw_codebook_panel_select_code (panel, fixture->jobcoach));
  save_screenshot (GTK_WIDGET (panel), "codebook.png");

  /* Delete asks first, naming the codings that go with the code. */
  g_assert_true (cw_codebook_panel_select_code (panel, fixture->category));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.delete", NULL));
  dialog = _cw_codebook_panel_get_dialog (panel);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 subcode and 1 coding"));
  adw_message_dialog_response (dialog, "cancel");
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Begeleiding/Jobcoach", NULL), ==, fixture->jobcoach);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.delete", NULL));
  dialog = _cw_codebook_panel_get_dialog (panel);
  adw_message_dialog_response (dialog, "delete");
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Begeleiding/Jobcoach", NULL), ==, 0);
  g_assert_cmpuint (cw_transcript_view_get_codings (view_of (fixture))->len, ==, 1);

  activate (fixture, "win.undo");
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "Begeleiding/Jobcoach", NULL), ==, fixture->jobcoach);
  g_assert_cmpuint (cw_transcript_view_get_codings (view_of (fixture))->len, ==, 2);

  /* A new code is named and renamed at once. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "codebook.add", NULL));
  entry = _cw_codebook_panel_get_rename_entry (panel);
  g_assert_nonnull (entry);
  gtk_editable_set_text (entry, "School");
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpint (cw_project_lookup_code (fixture->project, "School", NULL), >, 0);
}

/* The retrieval view is the window's second view; a segment chosen there
 * opens in the transcript. */
static void
test_retrieval (Fixture       *fixture,
                gconstpointer  data)
{
  AdwViewStack *stack = _cw_window_get_view_stack (fixture->window);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view_of (fixture)));
  GtkTextIter start, end;
  gint64 from = offset_of ("mijn diploma");

  /* The page "retrieval" holds the retrieval view (built on first use). */
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (_cw_window_get_retrieval_view (fixture->window)),
                                         adw_view_stack_get_child_by_name (stack, "retrieval")));
  adw_view_stack_set_visible_child_name (stack, "retrieval");
  wait_ms (100);

  g_signal_emit_by_name (_cw_window_get_retrieval_view (fixture->window), "segment-activated",
                         fixture->document, from, from + 12);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "documents");
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, from);
  g_assert_cmpint (gtk_text_iter_get_offset (&end), ==, from + 12);
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/coding-window/click", Fixture, NULL, fixture_set_up, test_click, fixture_tear_down);
  g_test_add ("/coding-window/drop", Fixture, NULL, fixture_set_up, test_drop, fixture_tear_down);
  g_test_add ("/coding-window/move", Fixture, NULL, fixture_set_up, test_move, fixture_tear_down);
  g_test_add ("/coding-window/keys", Fixture, NULL, fixture_set_up, test_keys, fixture_tear_down);
  g_test_add ("/coding-window/stripes", Fixture, NULL, fixture_set_up, test_stripes, fixture_tear_down);
  g_test_add ("/coding-window/many-codings", Fixture, NULL, fixture_set_up, test_many_codings, fixture_tear_down);
  g_test_add ("/coding-window/codebook", Fixture, NULL, fixture_set_up, test_codebook, fixture_tear_down);
  g_test_add ("/coding-window/retrieval", Fixture, NULL, fixture_set_up, test_retrieval, fixture_tear_down);

  return g_test_run ();
}
