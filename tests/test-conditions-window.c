/* test-conditions-window.c: the Cases filter of the retrieval view on the
 * example project, driven in-process under Xvfb: the condition builder,
 * the typed condition with its inline errors, the count of cases, and the
 * segments compared with the core's answer.
 *
 * The test needs a display (the test script starts Xvfb): without one it
 * fails rather than skips.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-case-condition.h"
#include "cw-retrieval.h"
#include "cw-retrieval-view-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  CwProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk",
                                               NULL);
  g_autoptr(GFile) source = g_file_new_for_path (example);
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;

  /* A copy: the build's example stays as built. */
  fixture->dir = cw_test_make_dir ();
  fixture->path = g_build_filename (fixture->dir, "example.codewerk", NULL);
  copy = g_file_new_for_path (fixture->path);
  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fixture->project = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gboolean
view_idle (gpointer data)
{
  return !_cw_retrieval_view_is_busy (data);
}

static void
wait_idle (CwRetrievalView *view)
{
  /* Let a change reach the idle that starts the retrieval first. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (cw_test_wait_until (view_idle, view));
}

static guint
n_segments (CwRetrievalView *view)
{
  return g_list_model_get_n_items (_cw_retrieval_view_get_segments (view));
}

/* What the core retrieves for the condition (NULL: none). */
static guint
core_count (Fixture    *fixture,
            const char *condition)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  query->case_condition = g_strdup (condition);
  segments = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  return segments->len;
}

/* "N of M cases" as the core counts them. */
static char *
core_cases (Fixture    *fixture,
            const char *condition)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  guint n_cases = 0;

  ids = cw_project_match_cases (fixture->project, condition, &n_cases, NULL, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("%u of %u cases", ids->len, n_cases);
}

static void
assert_view_matches_core (Fixture         *fixture,
                          CwRetrievalView *view,
                          const char      *condition)
{
  g_autofree char *cases = core_cases (fixture, condition);

  g_assert_cmpstr (_cw_retrieval_view_get_case_condition (view), ==, condition);
  g_assert_cmpuint (n_segments (view), ==, core_count (fixture, condition));
  g_assert_cmpstr (_cw_retrieval_view_get_cases_count_text (view), ==, cases);
  for (guint i = 0; i < n_segments (view); i++)
    {
      g_autoptr(CwSegmentItem) item = g_list_model_get_item (_cw_retrieval_view_get_segments (view), i);

      g_assert_nonnull (_cw_segment_item_get_segment (item)->case_id);
    }
}

static GtkWindow *
new_window (CwRetrievalView *view)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_title (window, "Retrieval");
  gtk_window_set_default_size (window, 1100, 720);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  g_assert_true (cw_test_wait_until ((CwTestCondition) gtk_widget_get_mapped, view));
  return window;
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
type_condition (CwRetrievalView *view,
                const char      *text)
{
  gtk_editable_set_text (_cw_retrieval_view_get_condition_entry (view), text);
  wait_idle (view);
}

static void
test_conditions (Fixture       *fixture,
                 gconstpointer  data)
{
  CwRetrievalView *view = cw_retrieval_view_new ();
  GtkWindow *window = new_window (view);
  GtkMenuButton *button = _cw_retrieval_view_get_cases_button (view);
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  GtkEditable *entry = _cw_retrieval_view_get_condition_entry (view);
  gpointer weak_window = window, weak_view = view;
  guint all;

  cw_retrieval_view_set_project (view, fixture->project);
  wait_idle (view);
  all = n_segments (view);
  g_assert_cmpuint (all, ==, core_count (fixture, NULL));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_null (_cw_retrieval_view_get_case_condition (view));
  g_assert_cmpstr (_cw_retrieval_view_get_cases_count_text (view), ==, "");

  /* The builder offers a row at once; IQ < 70 as a user picks it. */
  gtk_menu_button_popup (button);
  g_assert_true (cw_test_wait_until ((CwTestCondition) gtk_widget_get_mapped, popover));
  g_assert_cmpuint (_cw_retrieval_view_get_n_condition_rows (view), ==, 1);
  _cw_retrieval_view_set_condition_row (view, 0, "IQ", CW_CONDITION_LESS, "70");
  wait_idle (view);
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "IQ < 70");
  assert_view_matches_core (fixture, view, "IQ < 70");
  g_assert_cmpuint (n_segments (view), <, all);
  g_assert_cmpuint (n_segments (view), >, 0);
  {
    g_autofree char *words = _cw_retrieval_view_describe_query (view);

    g_assert_nonnull (strstr (words, "Cases: IQ < 70"));
  }
  cw_test_save_screenshot (popover, "retrieval-conditions.png");

  /* A second row: all of them (AND), then any (OR). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "retrieval.add-condition", NULL));
  g_assert_cmpuint (_cw_retrieval_view_get_n_condition_rows (view), ==, 2);
  _cw_retrieval_view_set_condition_row (view, 1, "Uitkomst", CW_CONDITION_EQUAL, "baan");
  wait_idle (view);
  assert_view_matches_core (fixture, view, "IQ < 70 AND Uitkomst = baan");
  gtk_drop_down_set_selected (_cw_retrieval_view_get_match_dropdown (view), 1);
  wait_idle (view);
  assert_view_matches_core (fixture, view, "IQ < 70 OR Uitkomst = baan");
  /* (Not) missing takes no value. */
  _cw_retrieval_view_set_condition_row (view, 1, "Gemiddelde", CW_CONDITION_MISSING, NULL);
  wait_idle (view);
  assert_view_matches_core (fixture, view, "IQ < 70 OR Gemiddelde is missing");

  gtk_menu_button_popdown (button);
  cw_test_save_screenshot (GTK_WIDGET (window), "retrieval-conditions-window.png");
  gtk_menu_button_popup (button);

  /* Typed: an error shows inline and leaves the last condition applied. */
  type_condition (view, "IQ <");
  g_assert_cmpstr (_cw_retrieval_view_get_condition_error (view), ==, "column 5: a value is expected after “<”");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (entry)), ==,
                   "column 5: a value is expected after “<”");
  g_assert_cmpstr (_cw_retrieval_view_get_case_condition (view), ==, "IQ < 70 OR Gemiddelde is missing");
  cw_test_save_screenshot (popover, "retrieval-conditions-error.png");

  /* A group the rows cannot show: the text alone. */
  type_condition (view, "(iq < 70 of uitkomst = baan) en geslacht = v");
  g_assert_cmpstr (_cw_retrieval_view_get_condition_error (view), ==, "");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_false (_cw_retrieval_view_get_rows_shown (view));
  assert_view_matches_core (fixture, view, "(IQ < 70 OR Uitkomst = baan) AND Geslacht = v");

  /* A flat list fills the rows back in. */
  type_condition (view, "Uitkomst = opleiding OF Uitkomst = \"geen baan\"");
  g_assert_true (_cw_retrieval_view_get_rows_shown (view));
  g_assert_cmpuint (_cw_retrieval_view_get_n_condition_rows (view), ==, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (_cw_retrieval_view_get_match_dropdown (view)), ==, 1);
  assert_view_matches_core (fixture, view, "Uitkomst = opleiding OR Uitkomst = \"geen baan\"");

  /* No case meets it: nothing, and the header says so. */
  type_condition (view, "IQ > 200");
  assert_view_matches_core (fixture, view, "IQ > 200");
  g_assert_cmpuint (n_segments (view), ==, 0);

  /* All cases again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "retrieval.clear-condition", NULL));
  wait_idle (view);
  g_assert_null (_cw_retrieval_view_get_case_condition (view));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_cmpuint (_cw_retrieval_view_get_n_condition_rows (view), ==, 0);
  g_assert_cmpuint (n_segments (view), ==, all);
  g_assert_cmpstr (_cw_retrieval_view_get_cases_count_text (view), ==, "");
  gtk_menu_button_popdown (button);

  g_object_add_weak_pointer (G_OBJECT (window), &weak_window);
  g_object_add_weak_pointer (G_OBJECT (view), &weak_view);
  gtk_window_destroy (window);
  g_assert_true (cw_test_wait_until (pointer_gone, &weak_window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak_view));
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/conditions-window/example", Fixture, NULL, fixture_set_up, test_conditions, fixture_tear_down);

  return g_test_run ();
}
