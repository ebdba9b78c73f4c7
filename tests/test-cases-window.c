/* test-cases-window.c: the Cases and Crosstab views and the matrix export
 * of a project window, driven in-process under Xvfb.
 *
 * The test needs a display (the test script starts Xvfb): without one it
 * fails rather than skips.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-history.h"
#include "cw-cases-view-private.h"
#include "cw-crosstab-view-private.h"
#include "cw-project-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-window-private.h"

static const char focus_group[] =
  "[00:00:01] Gespreksleider: Hoe is het na school gegaan?\n"
  "[00:00:09] Kevin: Ik heb nu een vaste baan bij de bakkerij.\n"
  "[00:00:20] Sanne: Ik loop stage bij een garage.\n"
  "[00:00:31] Daan: De jobcoach helpt me met solliciteren.\n";

static const char interview_mila[] =
  "[00:00:01] Interviewer: Vertel eens over je werk.\n"
  "[00:00:05] Mila: Ik werk in de zorg, een echte baan met een contract.\n"
  "[00:00:40] Interviewer: En daarvoor?\n"
  "[00:00:44] Mila: Daarvoor had ik ook al een baan in een winkel.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  CwWindow  *window;
  gint64     focus, mila;
  gint64     baan, stage, jobcoach;
} Fixture;

static gboolean
window_idle (gpointer data)
{
  CwWindow *window = data;

  return !_cw_window_is_busy (window) &&
         !_cw_cases_view_is_busy (_cw_window_get_cases_view (window)) &&
         !_cw_crosstab_view_is_busy (_cw_window_get_crosstab_view (window));
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
code_words (Fixture    *fixture,
            gint64      document,
            gint64      code,
            const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, document, &error);
  const char *found;
  gint64 start;

  g_assert_no_error (error);
  found = strstr (text, words);
  g_assert_nonnull (found);
  start = g_utf8_pointer_to_offset (text, found);
  g_assert_cmpint (cw_project_add_coding (fixture->project, document, code, start,
                                          start + g_utf8_strlen (words, -1), NULL, NULL, &error),
                   >, 0);
  g_assert_no_error (error);
}

static void
exec (Fixture    *fixture,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_cw_project_exec (fixture->project, sql, &error));
  g_assert_no_error (error);
}

/* The cohort through SQL: value labels cannot come from a CSV file. */
static void
add_cohort (Fixture *fixture)
{
  static const char *const links[][2] = {
    { "P1", "Kevin" }, { "P2", "Sanne" }, { "P3", "Daan" }, { "P4", NULL }, { "P5", "Mila" },
  };

  exec (fixture,
        "INSERT INTO variables (id, guid, name, label, type, position) VALUES"
        " (1, 'a0000000-0000-4000-8000-000000000001', 'naam', 'Roepnaam', 'text', 0),"
        " (2, 'a0000000-0000-4000-8000-000000000002', 'status', 'Status na een jaar', 'numeric', 1),"
        " (3, 'a0000000-0000-4000-8000-000000000003', 'iq', 'Totaal IQ', 'numeric', 2);"
        "INSERT INTO value_labels (variable_id, value, label) VALUES"
        " (2, 1, 'baan'), (2, 2, 'school'), (2, 3, 'thuis');"
        "INSERT INTO cases (id, guid, identifier) VALUES"
        " (1, 'b0000000-0000-4000-8000-000000000001', 'P1'),"
        " (2, 'b0000000-0000-4000-8000-000000000002', 'P2'),"
        " (3, 'b0000000-0000-4000-8000-000000000003', 'P3'),"
        " (4, 'b0000000-0000-4000-8000-000000000004', 'P4'),"
        " (5, 'b0000000-0000-4000-8000-000000000005', 'P5'),"
        " (6, 'b0000000-0000-4000-8000-000000000006', 'P10');"
        "INSERT INTO case_values (case_id, variable_id, number, text) VALUES"
        " (1, 1, NULL, 'Kevin'), (1, 2, 1, NULL), (1, 3, 82, NULL),"
        " (2, 1, NULL, 'Sanne'), (2, 2, 2, NULL), (2, 3, 74.5, NULL),"
        " (3, 1, NULL, 'Daan'),  (3, 2, 3, NULL),"
        " (4, 1, NULL, 'Noor'),  (4, 2, 2, NULL), (4, 3, 91, NULL),"
        " (5, 1, NULL, 'Mila'),  (5, 2, 1, NULL), (5, 3, 68, NULL),"
        " (6, 1, NULL, 'Sem'),   (6, 3, 77, NULL);");

  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 kase = cw_project_lookup_case (fixture->project, links[i][0], &error);
      gint64 document = g_strcmp0 (links[i][1], "Mila") == 0 ? fixture->mila : fixture->focus;

      g_assert_no_error (error);
      g_assert_true (cw_project_link_case (fixture->project, kase, document, links[i][1], &error));
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  gboolean with_cases = GPOINTER_TO_INT (data);

  fixture->dir = cw_test_make_dir ();
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "focusgroep.txt", focus_group));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-mila.txt", interview_mila));
  path = g_build_filename (fixture->dir, "cohort.codewerk", NULL);
  fixture->project = cw_project_create (path, "Cohort 2024", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  fixture->focus = g_array_index (ids, gint64, 0);
  fixture->mila = g_array_index (ids, gint64, 1);

  fixture->baan = cw_project_add_code (fixture->project, "Werk/Baan", "#3584e4", NULL, &error);
  g_assert_no_error (error);
  fixture->stage = cw_project_add_code (fixture->project, "Werk/Stage", "#33d17a", NULL, &error);
  g_assert_no_error (error);
  fixture->jobcoach = cw_project_add_code (fixture->project, "Begeleiding/Jobcoach", "#e66100", NULL, &error);
  g_assert_no_error (error);

  code_words (fixture, fixture->focus, fixture->baan, "een vaste baan bij de bakkerij");
  code_words (fixture, fixture->focus, fixture->stage, "Ik loop stage");
  code_words (fixture, fixture->focus, fixture->jobcoach, "De jobcoach helpt");
  code_words (fixture, fixture->mila, fixture->baan, "een echte baan");
  code_words (fixture, fixture->mila, fixture->baan, "ook al een baan");

  if (with_cases)
    add_cohort (fixture);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
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
show_cases (Fixture *fixture)
{
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "cases");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  return _cw_window_get_cases_view (fixture->window);
}

static void
assert_order (CwCasesView        *view,
              const char * const *expected)
{
  g_auto(GStrv) ids = _cw_cases_view_get_identifiers (view);
  g_autofree char *got = g_strjoinv (" ", ids);
  g_autofree char *want = g_strjoinv (" ", (char **) expected);

  g_assert_cmpstr (got, ==, want);
}

/* The variable's stored value of a case, as text ("" when missing). */
static char *
stored_value (Fixture    *fixture,
              const char *identifier,
              guint       variable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cases = cw_project_list_cases (fixture->project, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < cases->len; i++)
    {
      const CwCase *kase = g_ptr_array_index (cases, i);
      GVariant *value;

      if (strcmp (kase->identifier, identifier) != 0)
        continue;
      value = g_ptr_array_index (kase->values, variable);
      if (value == NULL)
        return g_strdup ("");
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
        return g_strdup_printf ("%g", g_variant_get_double (value));
      return g_variant_dup_string (value, NULL);
    }
  g_assert_not_reached ();
}

static guint
row_of (CwCasesView *view,
        const char  *identifier)
{
  g_auto(GStrv) ids = _cw_cases_view_get_identifiers (view);

  for (guint i = 0; ids[i] != NULL; i++)
    if (strcmp (ids[i], identifier) == 0)
      return i;
  g_assert_not_reached ();
}

static void
test_table (Fixture       *fixture,
            gconstpointer  data)
{
  CwCasesView *view = show_cases (fixture);
  GtkColumnView *column_view = _cw_cases_view_get_column_view (view);
  GListModel *columns = gtk_column_view_get_columns (column_view);
  g_autoptr(GtkColumnViewColumn) id_column = NULL;
  g_autoptr(GtkColumnViewColumn) iq_column = NULL;
  g_autoptr(GtkColumnViewColumn) status_column = NULL;
  g_autofree char *status = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *iq = NULL;
  g_autofree char *links = NULL;
  g_autofree char *unlinked = NULL;
  static const char *const by_id[] = { "P1", "P2", "P3", "P4", "P5", "P10", NULL };
  static const char *const by_iq[] = { "P5", "P2", "P10", "P1", "P4", "P3", NULL };
  static const char *const by_iq_down[] = { "P3", "P4", "P1", "P10", "P2", "P5", NULL };

  g_assert_cmpstr (_cw_cases_view_get_page (view), ==, "cases");
  /* The id, three variables, "Linked to". */
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (column_view))), ==, 6);
  g_assert_cmpstr (_cw_cases_view_get_count_text (view), ==, "6 cases · 3 variables");

  id_column = g_list_model_get_item (columns, 0);
  status_column = g_list_model_get_item (columns, 2);
  iq_column = g_list_model_get_item (columns, 3);
  g_assert_cmpstr (gtk_column_view_column_get_title (status_column), ==, "status");
  g_assert_cmpstr (gtk_column_view_column_get_title (iq_column), ==, "iq");

  gtk_column_view_sort_by_column (column_view, id_column, GTK_SORT_ASCENDING);
  /* P10 after P5: identifiers sort as people number them. */
  assert_order (view, by_id);

  /* A labelled value shows its label; a missing one shows nothing. */
  status = _cw_cases_view_get_cell_text (view, 0, 2);
  g_assert_cmpstr (status, ==, "1 · baan");
  missing = _cw_cases_view_get_cell_text (view, 2, 3);
  g_assert_null (missing);
  iq = _cw_cases_view_get_cell_text (view, 1, 3);
  g_assert_true (g_strcmp0 (iq, "74.5") == 0 || g_strcmp0 (iq, "74,5") == 0);
  links = _cw_cases_view_get_cell_text (view, 0, 4);
  g_assert_nonnull (strstr (links, "focusgroep"));
  g_assert_nonnull (strstr (links, "(Kevin)"));
  unlinked = _cw_cases_view_get_cell_text (view, 5, 4);
  g_assert_null (unlinked);

  /* Numbers as numbers (74.5 before 77), the missing one last; GTK 4.8
   * inverts the whole order for descending. */
  gtk_column_view_sort_by_column (column_view, iq_column, GTK_SORT_ASCENDING);
  assert_order (view, by_iq);
  gtk_column_view_sort_by_column (column_view, iq_column, GTK_SORT_DESCENDING);
  assert_order (view, by_iq_down);

  gtk_column_view_sort_by_column (column_view, id_column, GTK_SORT_ASCENDING);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "cases.png");
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  CwCasesView *view = show_cases (fixture);
  g_autofree char *before = stored_value (fixture, "P1", 2);
  g_autofree char *cell = NULL;
  g_autofree char *after = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *label = NULL;
  g_autofree char *cleared = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpstr (before, ==, "82");

  /* A number, with a decimal comma as the cohort files have it. */
  g_assert_true (_cw_cases_view_commit_text (view, row_of (view, "P1"), 2, "95,5"));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  after = stored_value (fixture, "P1", 2);
  g_assert_cmpstr (after, ==, "95.5");
  cell = _cw_cases_view_get_cell_text (view, row_of (view, "P1"), 3);
  g_assert_true (g_strcmp0 (cell, "95.5") == 0 || g_strcmp0 (cell, "95,5") == 0);

  /* Undoable as one step. */
  g_assert_true (cw_project_can_undo (fixture->project));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_free (after);
  after = stored_value (fixture, "P1", 2);
  g_assert_cmpstr (after, ==, "82");

  /* Not a number: refused with a message, nothing stored. */
  g_assert_false (_cw_cases_view_commit_text (view, row_of (view, "P1"), 2, "veel"));
  g_assert_nonnull (strstr (_cw_cases_view_get_last_message (view), "veel"));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, _cw_cases_view_get_last_message (view));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  refused = stored_value (fixture, "P1", 2);
  g_assert_cmpstr (refused, ==, "82");

  /* A value label stands for its value. */
  g_assert_true (_cw_cases_view_commit_text (view, row_of (view, "P10"), 1, "school"));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  label = stored_value (fixture, "P10", 1);
  g_assert_cmpstr (label, ==, "2");
  g_free (cell);
  cell = _cw_cases_view_get_cell_text (view, row_of (view, "P10"), 2);
  g_assert_cmpstr (cell, ==, "2 · school");

  /* Emptied: missing. Text: as typed. */
  g_assert_true (_cw_cases_view_commit_text (view, row_of (view, "P2"), 2, ""));
  g_assert_true (_cw_cases_view_commit_text (view, row_of (view, "P2"), 0, "Sanne B."));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  cleared = stored_value (fixture, "P2", 2);
  g_assert_cmpstr (cleared, ==, "");
  text = stored_value (fixture, "P2", 0);
  g_assert_cmpstr (text, ==, "Sanne B.");
}

/* The variable type a user chooses in a column header's menu. */
static CwVariableType
variable_type (Fixture    *fixture,
               const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variables = cw_project_list_variables (fixture->project, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (variables, i);

      if (strcmp (variable->name, name) == 0)
        return variable->type;
    }
  g_assert_not_reached ();
}

static gint64
variable_id (Fixture    *fixture,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variables = cw_project_list_variables (fixture->project, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (variables, i);

      if (strcmp (variable->name, name) == 0)
        return variable->id;
    }
  g_assert_not_reached ();
}

static void
test_change_type (Fixture       *fixture,
                  gconstpointer  data)
{
  CwCasesView *view = show_cases (fixture);
  GtkColumnView *column_view = _cw_cases_view_get_column_view (view);
  g_autoptr(GtkColumnViewColumn) iq_column = g_list_model_get_item (gtk_column_view_get_columns (column_view), 3);
  GMenuModel *menu = gtk_column_view_column_get_header_menu (iq_column);
  g_autofree char *toast = NULL;
  g_autofree char *value = NULL;

  /* The header menu offers the two other types, not the current one. */
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 2);
  g_assert_cmpint (variable_type (fixture, "iq"), ==, CW_VARIABLE_NUMERIC);

  gtk_widget_activate_action (GTK_WIDGET (view), "cases.set-type", "(xs)", variable_id (fixture, "iq"), "text");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_cmpint (variable_type (fixture, "iq"), ==, CW_VARIABLE_TEXT);
  value = stored_value (fixture, "P1", 2);
  g_assert_cmpstr (value, ==, "82");
  toast = g_strdup (_cw_window_get_last_toast (fixture->window));
  g_assert_nonnull (strstr (toast, "iq"));

  /* Text that is not a date cannot become a date: refused, nothing changes. */
  gtk_widget_activate_action (GTK_WIDGET (view), "cases.set-type", "(xs)", variable_id (fixture, "iq"), "date");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_cmpint (variable_type (fixture, "iq"), ==, CW_VARIABLE_TEXT);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, _cw_cases_view_get_last_message (view));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), !=, toast);

  /* One undo step back to numbers. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_cmpint (variable_type (fixture, "iq"), ==, CW_VARIABLE_NUMERIC);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  CwCasesView *view = show_cases (fixture);
  CwCrosstabView *crosstab = _cw_window_get_crosstab_view (fixture->window);
  g_autofree char *csv = g_build_filename (fixture->dir, "cohort.csv", NULL);
  g_autoptr(GFile) file = NULL;
  g_auto(GStrv) ids = NULL;

  g_assert_cmpstr (_cw_cases_view_get_page (view), ==, "empty");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (view)));
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "cases-empty.png");

  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "crosstab");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_null (_cw_crosstab_view_get_crosstab (crosstab));

  /* Importing fills the table (and the crosstab's variables). */
  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "cases");
  file = cw_test_write_file (fixture->dir, "cohort.csv", "id;leeftijd;woonplaats\r\nP7;19;Utrecht\r\nP8;21,5;Zeist\r\n");
  _cw_cases_view_import_file (view, file);
  g_assert_true (_cw_cases_view_is_busy (view));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_nonnull (strstr (_cw_cases_view_get_last_message (view), "2"));
  g_assert_cmpstr (_cw_cases_view_get_page (view), ==, "cases");
  ids = _cw_cases_view_get_identifiers (view);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_true (cw_project_can_undo (fixture->project));
  g_assert_true (_cw_crosstab_view_select_variable (crosstab, "leeftijd"));
}

static guint
column_of (const CwCrosstab *crosstab,
           const char       *value)
{
  for (guint j = 0; crosstab->values[j] != NULL; j++)
    if (strcmp (crosstab->values[j], value) == 0)
      return j;
  g_assert_not_reached ();
}

static guint
row_of_code (const CwCrosstab *crosstab,
             const char       *path)
{
  for (guint i = 0; i < crosstab->codes->len; i++)
    if (strcmp (g_ptr_array_index (crosstab->codes, i), path) == 0)
      return i;
  g_assert_not_reached ();
}

static gboolean
crosstab_ready (gpointer data)
{
  CwCrosstabView *view = data;
  const CwCrosstab *crosstab = _cw_crosstab_view_get_crosstab (view);

  return !_cw_crosstab_view_is_busy (view) && crosstab != NULL && g_strcmp0 (crosstab->variable, "status") == 0;
}

static void
test_crosstab (Fixture       *fixture,
               gconstpointer  data)
{
  CwCrosstabView *view = _cw_window_get_crosstab_view (fixture->window);
  const CwCrosstab *crosstab;
  guint columns, baan, school, row;
  g_autofree char *tooltip = NULL;
  g_autofree char *png = g_build_filename (fixture->dir, "heatmap.png", NULL);
  g_autofree char *svg = g_build_filename (fixture->dir, "heatmap.svg", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png);
  g_autoptr(GFile) svg_file = g_file_new_for_path (svg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *svg_text = NULL;

  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "crosstab");
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_true (_cw_crosstab_view_select_variable (view, "status"));
  g_assert_false (_cw_crosstab_view_select_variable (view, "geen"));
  g_assert_true (cw_test_wait_until (crosstab_ready, view));

  crosstab = _cw_crosstab_view_get_crosstab (view);
  columns = g_strv_length (crosstab->values);
  baan = column_of (crosstab, "baan");
  school = column_of (crosstab, "school");
  row = row_of_code (crosstab, "Werk/Baan");
  /* Kevin once and Mila twice, both "baan". */
  g_assert_cmpuint (crosstab->codings[row * columns + baan], ==, 3);
  g_assert_cmpuint (crosstab->cases[row * columns + baan], ==, 2);
  g_assert_cmpuint (crosstab->codings[row * columns + school], ==, 0);
  row = row_of_code (crosstab, "Werk/Stage");
  g_assert_cmpuint (crosstab->codings[row * columns + school], ==, 1);

  row = row_of_code (crosstab, "Werk/Baan");
  tooltip = _cw_crosstab_view_describe_cell (view, row, baan);
  g_assert_cmpstr (tooltip, ==, "Werk/Baan · baan: 3 codings in 2 cases");

  /* The heatmap takes the room it needs, and scrolls. */
  g_assert_cmpint (gtk_drawing_area_get_content_height (GTK_DRAWING_AREA (_cw_crosstab_view_get_drawing_area (view))),
                   >, (int) crosstab->codes->len * 20);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "crosstab.png");

  g_assert_true (_cw_crosstab_view_export_to (view, png_file, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), >, 200);
  g_assert_true (_cw_crosstab_view_export_to (view, svg_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &svg_text, NULL, &error));
  g_assert_true (g_str_has_prefix (svg_text, "<?xml") || g_str_has_prefix (svg_text, "<svg"));
  g_assert_nonnull (strstr (svg_text, "<svg"));

  /* Counting cases redraws from the same table. */
  _cw_crosstab_view_set_count_cases (view, TRUE);
  g_assert_true (_cw_crosstab_view_get_crosstab (view) == crosstab);

  /* An edit recomputes it: Sanne's stage now counts under "baan". */
  {
    g_autoptr(GError) edit_error = NULL;

    g_assert_true (cw_project_set_case_value (fixture->project, cw_project_lookup_case (fixture->project, "P2", NULL),
                                              2, g_variant_new_double (1), &edit_error));
    g_assert_no_error (edit_error);
  }
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_true (cw_test_wait_until (crosstab_ready, view));
  crosstab = _cw_crosstab_view_get_crosstab (view);
  columns = g_strv_length (crosstab->values);
  row = row_of_code (crosstab, "Werk/Stage");
  g_assert_cmpuint (crosstab->codings[row * columns + column_of (crosstab, "baan")], ==, 1);
}

static void
test_matrix (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "matrix.csv", NULL);
  g_autofree char *bad = g_build_filename (fixture->dir, "missing", "matrix.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  _cw_window_export_matrix_to (fixture->window, file);
  g_assert_true (_cw_window_is_busy (fixture->window));
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF" "id;"));
  g_assert_nonnull (strstr (contents, "\r\nP1;"));
  g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "matrix.csv"));

  /* A folder that is not there: an error that names the file. */
  _cw_window_export_matrix_to (fixture->window, bad_file);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_assert_nonnull (strstr (_cw_window_get_last_toast (fixture->window), "matrix.csv"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/cases-window/table", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_table, fixture_tear_down);
  g_test_add ("/cases-window/edit", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_edit, fixture_tear_down);
  g_test_add ("/cases-window/change-type", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_change_type,
              fixture_tear_down);
  g_test_add ("/cases-window/empty", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_empty, fixture_tear_down);
  g_test_add ("/cases-window/crosstab", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_crosstab,
              fixture_tear_down);
  g_test_add ("/cases-window/matrix", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_matrix, fixture_tear_down);

  return g_test_run ();
}
