/* test-agreement-window.c: the agreement dialog and the review of
 * disagreements, on the example project (Lotte and Ruben) and on a small
 * hand-made one, driven in-process under Xvfb. Every figure is compared
 * with the core's answer, not with a number written down here.
 *
 * The test needs a display (the test script starts Xvfb): without one it
 * fails rather than skips.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "cw-agreement-dialog-private.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-consensus.h"
#include "cw-history.h"
#include "cw-review-view-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-window-private.h"

typedef struct
{
  char      *dir;
  char      *path;
  CwProject *project;
  CwWindow  *window;
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
open_window (Fixture *fixture)
{
  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
}

static void
example_set_up (Fixture       *fixture,
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
  open_window (fixture);
}

/* Two coders, two codes of which only one is used: its figures are
 * defined, the other's kappa and alpha are not. */
static void
small_set_up (Fixture       *fixture,
              gconstpointer  data)
{
  static const char text[] =
    "Kevin: Die stage is mislukt. Ik kwam steeds te laat en de jobcoach belde niet.\n"
    "Kevin: Nu werk ik bij een hovenier, dat gaat goed.\n";
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gint64 doc, stage;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  fixture->path = g_strdup (cw_project_get_path (fixture->project));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview.txt", text));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = g_array_index (ids, gint64, 0);
  stage = cw_project_add_code (fixture->project, "Stage", "#e15759", NULL, &error);
  g_assert_no_error (error);
  cw_project_add_code (fixture->project, "Nooit gebruikt", "#59a14f", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_coding (fixture->project, doc, stage, 7, 28, "Lotte", NULL, &error), >, 0);
  g_assert_cmpint (cw_project_add_coding (fixture->project, doc, stage, 11, 28, "Ruben", NULL, &error), >, 0);
  g_assert_cmpint (cw_project_add_coding (fixture->project, doc, stage, 86, 110, "Ruben", NULL, &error), >, 0);
  g_assert_no_error (error);
  open_window (fixture);
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
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gboolean
dialog_idle (gpointer data)
{
  return !_cw_agreement_dialog_is_busy (data);
}

static void
wait_dialog (CwAgreementDialog *dialog)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (cw_test_wait_until (dialog_idle, dialog));
}

static CwAgreementDialog *
open_dialog (Fixture *fixture)
{
  CwAgreementDialog *dialog = cw_agreement_dialog_new (GTK_WINDOW (fixture->window), fixture->project);

  gtk_window_set_default_size (GTK_WINDOW (dialog), 1180, 720);
  gtk_window_present (GTK_WINDOW (dialog));
  wait_dialog (dialog);
  return dialog;
}

/* The dialog the window opened. */
static CwAgreementDialog *
find_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (CW_IS_AGREEMENT_DIALOG (l->data))
      return l->data;
  g_assert_not_reached ();
}

static void
close_dialog (CwAgreementDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

static CwAgreementOptions *
lotte_and_ruben (CwAgreementUnit unit)
{
  CwAgreementOptions *options = cw_agreement_options_new ();
  const char *coders[] = { "Lotte", "Ruben", NULL };

  g_strfreev (options->coders);
  options->coders = g_strdupv ((char **) coders);
  options->unit = unit;
  options->overlap = CW_AGREEMENT_DEFAULT_OVERLAP;
  return options;
}

static CwAgreement *
core_agreement (Fixture         *fixture,
                CwAgreementUnit  unit)
{
  g_autoptr(CwAgreementOptions) options = lotte_and_ruben (unit);
  g_autoptr(GError) error = NULL;
  CwAgreement *agreement = cw_project_agreement (fixture->project, options, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (agreement);
  return agreement;
}

/* As the table writes a percentage and a statistic (in the C locale). */
static char *
percent_text (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.1f %%", value);
}

static char *
statistic_text (double value)
{
  return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%.3f", value);
}

static const char *
expected_level (double value)
{
  if (isnan (value))
    return "cw-undefined";
  return value >= 0.8 ? "cw-good" : value >= 0.667 ? "cw-tentative" : "cw-poor";
}

static void
assert_table_matches (CwAgreementDialog *dialog,
                      const CwAgreement *core)
{
  const CwAgreement *shown = _cw_agreement_dialog_get_result (dialog);
  guint overall = core->codes->len;
  g_autofree char *percent = NULL;
  g_autofree char *kappa = NULL;
  g_autofree char *want_percent = percent_text (core->percent);
  g_autofree char *want_kappa = statistic_text (core->kappa);
  g_autofree char *name = NULL;

  g_assert_nonnull (shown);
  g_assert_cmpstr (_cw_agreement_dialog_get_page (dialog), ==, "table");
  g_assert_cmpint (shown->unit, ==, core->unit);
  g_assert_cmpuint (shown->codes->len, ==, core->codes->len);
  g_assert_cmpfloat (shown->percent, ==, core->percent);
  /* A row per code, then the overall row. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (_cw_agreement_dialog_get_column_view (dialog)))),
                    ==, core->codes->len + 1);
  name = _cw_agreement_dialog_get_cell_text (dialog, overall, CW_AGREEMENT_COLUMN_CODE, NULL);
  g_assert_cmpstr (name, ==, "Overall");
  percent = _cw_agreement_dialog_get_cell_text (dialog, overall, CW_AGREEMENT_COLUMN_PERCENT, NULL);
  g_assert_cmpstr (percent, ==, want_percent);
  kappa = _cw_agreement_dialog_get_cell_text (dialog, overall, CW_AGREEMENT_COLUMN_KAPPA, NULL);
  g_assert_cmpstr (kappa, ==, want_kappa);
  g_assert_cmpstr (_cw_agreement_dialog_get_cell_level (dialog, overall, CW_AGREEMENT_COLUMN_KAPPA), ==,
                   expected_level (core->kappa));

  /* Per code too, for each code. */
  for (guint i = 0; i < core->codes->len; i++)
    {
      const CwAgreementCode *code = &g_array_index (core->codes, CwAgreementCode, i);
      g_autofree char *path = _cw_agreement_dialog_get_cell_text (dialog, i, CW_AGREEMENT_COLUMN_CODE, NULL);
      g_autofree char *code_percent = _cw_agreement_dialog_get_cell_text (dialog, i, CW_AGREEMENT_COLUMN_PERCENT, NULL);
      g_autofree char *code_want = percent_text (code->percent);

      g_assert_cmpstr (path, ==, code->path);
      g_assert_cmpstr (code_percent, ==, code_want);
      g_assert_cmpstr (_cw_agreement_dialog_get_cell_level (dialog, i, CW_AGREEMENT_COLUMN_ALPHA), ==,
                       expected_level (code->alpha));
    }
}

static gboolean
column_visible (CwAgreementDialog *dialog,
                CwAgreementColumn  column)
{
  return gtk_column_view_column_get_visible (_cw_agreement_dialog_get_column (dialog, column));
}

static void
test_dialog (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CwAgreement) characters = core_agreement (fixture, CW_AGREEMENT_UNIT_CHARACTER);
  g_autoptr(CwAgreement) segments = core_agreement (fixture, CW_AGREEMENT_UNIT_SEGMENT);
  g_autoptr(CwAgreement) documents = core_agreement (fixture, CW_AGREEMENT_UNIT_DOCUMENT);
  CwAgreementDialog *dialog = open_dialog (fixture);
  const CwAgreement *shown;

  /* Lotte and Ruben, chosen from the start, by character. */
  shown = _cw_agreement_dialog_get_result (dialog);
  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->n_coders, ==, 2);
  g_assert_cmpstr (shown->coders[0], ==, "Lotte");
  g_assert_cmpstr (shown->coders[1], ==, "Ruben");
  assert_table_matches (dialog, characters);
  g_assert_true (column_visible (dialog, CW_AGREEMENT_COLUMN_U_ALPHA));
  g_assert_true (column_visible (dialog, CW_AGREEMENT_COLUMN_ALPHA));
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_MATCHED));
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_UNANIMOUS));
  g_assert_false (gtk_widget_get_visible (_cw_agreement_dialog_get_pairs_box (dialog)));
  g_assert_cmpstr (gtk_column_view_column_get_title (_cw_agreement_dialog_get_column (dialog, CW_AGREEMENT_COLUMN_UNITS)),
                   ==, "Characters");
  cw_test_save_screenshot (GTK_WIDGET (dialog), "agreement.png");

  /* By segment: other columns, other figures. */
  adw_combo_row_set_selected (_cw_agreement_dialog_get_unit_row (dialog), 1);
  wait_dialog (dialog);
  assert_table_matches (dialog, segments);
  g_assert_true (column_visible (dialog, CW_AGREEMENT_COLUMN_MATCHED));
  g_assert_true (column_visible (dialog, CW_AGREEMENT_COLUMN_UNMATCHED));
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_KAPPA));
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_ALPHA));
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_U_ALPHA));
  g_assert_cmpstr (gtk_column_view_column_get_title (_cw_agreement_dialog_get_column (dialog, CW_AGREEMENT_COLUMN_UNITS)),
                   ==, "Segments");
  cw_test_save_screenshot (GTK_WIDGET (dialog), "agreement-segment.png");

  adw_combo_row_set_selected (_cw_agreement_dialog_get_unit_row (dialog), 2);
  wait_dialog (dialog);
  assert_table_matches (dialog, documents);
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_MATCHED));
  g_assert_false (column_visible (dialog, CW_AGREEMENT_COLUMN_U_ALPHA));

  /* One coder left: nothing to compare, no review. */
  g_assert_true (_cw_agreement_dialog_set_coder (dialog, "Ruben", FALSE));
  wait_dialog (dialog);
  g_assert_cmpstr (_cw_agreement_dialog_get_page (dialog), ==, "empty");
  g_assert_null (cw_agreement_dialog_get_options (dialog));
  g_assert_true (_cw_agreement_dialog_set_coder (dialog, "Ruben", TRUE));
  wait_dialog (dialog);
  g_assert_cmpstr (_cw_agreement_dialog_get_page (dialog), ==, "table");

  close_dialog (dialog);
}

static int
count_coder (Fixture    *fixture,
             const char *coder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = cw_project_list_documents (fixture->project, &error);
  int n = 0;

  g_assert_no_error (error);
  for (guint d = 0; d < documents->len; d++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, d);
      g_autoptr(GPtrArray) codings = cw_project_list_document_codings (fixture->project, info->id, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < codings->len; i++)
        n += g_strcmp0 (((CwCoding *) g_ptr_array_index (codings, i))->coder, coder) == 0;
    }
  return n;
}

static gboolean
review_idle (gpointer data)
{
  return !_cw_review_view_is_busy (data);
}

static void
wait_review (CwReviewView *review)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (cw_test_wait_until (review_idle, review));
}

static void
test_review (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CwAgreementOptions) options = lotte_and_ruben (CW_AGREEMENT_UNIT_CHARACTER);
  g_autoptr(GPtrArray) core = NULL;
  g_autoptr(GError) error = NULL;
  AdwViewStack *stack = _cw_window_get_view_stack (fixture->window);
  CwAgreementDialog *dialog;
  gpointer weak;
  CwReviewView *review;
  const CwDisagreement *place;
  guint lotte_place = G_MAXUINT;
  int before;

  core = cw_project_list_disagreements (fixture->project, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (core->len, >, 2);

  /* The page is hidden until a review starts. */
  review = _cw_window_get_review_view (fixture->window);
  g_assert_nonnull (review);
  g_assert_false (adw_view_stack_page_get_visible (adw_view_stack_get_page (stack,
                                                                            adw_view_stack_get_child_by_name (stack, "review"))));

  /* win.agreement opens the dialog; its button closes it and shows the
   * review. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.agreement", NULL));
  dialog = find_dialog ();
  wait_dialog (dialog);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (weak), &weak);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "agreement.review", NULL));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  wait_review (review);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "review");
  g_assert_cmpstr (_cw_review_view_get_page (review), ==, "review");

  /* The same places as the core, in its order. */
  g_assert_cmpuint (_cw_review_view_get_n_disagreements (review), ==, core->len);
  for (guint i = 0; i < core->len; i++)
    {
      const CwDisagreement *want = g_ptr_array_index (core, i);

      place = _cw_review_view_get_disagreement (review, i);
      g_assert_cmpint (place->document_id, ==, want->document_id);
      g_assert_cmpint (place->code_id, ==, want->code_id);
      g_assert_cmpint (place->start, ==, want->start);
      g_assert_cmpint (place->end, ==, want->end);
      if (lotte_place == G_MAXUINT && want->coded[0] && !want->coded[1] && i > 0)
        lotte_place = i;
    }
  g_assert_cmpuint (lotte_place, !=, G_MAXUINT);

  /* The first is selected and shown; Next and Previous move. */
  g_assert_cmpint (_cw_review_view_get_selected (review), ==, 0);
  g_assert_cmpint (_cw_review_view_get_document_id (review), ==, ((CwDisagreement *) g_ptr_array_index (core, 0))->document_id);
  gtk_widget_activate_action (GTK_WIDGET (review), "review.next", NULL);
  wait_review (review);
  g_assert_cmpint (_cw_review_view_get_selected (review), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (review), "review.previous", NULL);
  g_assert_cmpint (_cw_review_view_get_selected (review), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (review), "review.previous", NULL);
  g_assert_cmpint (_cw_review_view_get_selected (review), ==, (int) core->len - 1); /* wraps */

  /* To a place only Lotte coded: one lane per coder and the consensus. */
  while (_cw_review_view_get_selected (review) != (int) lotte_place)
    gtk_widget_activate_action (GTK_WIDGET (review), "review.next", NULL);
  wait_review (review);
  place = _cw_review_view_get_disagreement (review, lotte_place);
  g_assert_cmpint (_cw_review_view_get_document_id (review), ==, place->document_id);
  g_assert_cmpuint (_cw_review_lanes_get_n_lanes (_cw_review_view_get_lanes (review)), ==, 3);
  g_assert_cmpuint (_cw_review_lanes_count_bars (_cw_review_view_get_lanes (review), 0), >, 0);
  g_assert_cmpuint (_cw_review_lanes_count_bars (_cw_review_view_get_lanes (review), 2), ==, 0);
  g_assert_cmpint (_cw_review_view_get_coverage (review, lotte_place), ==, 0);

  /* Accept Lotte: the consensus coder codes it, with an Undo toast. */
  before = count_coder (fixture, "Consensus");
  g_assert_cmpint (before, ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (review), "review.accept", "i", 0);
  wait_review (review);
  g_assert_cmpint (count_coder (fixture, "Consensus"), >, before);
  g_assert_true (g_str_has_prefix (_cw_window_get_last_toast (fixture->window), "Accepted Lotte’s coding of"));
  g_assert_cmpint (_cw_review_view_get_coverage (review, lotte_place), ==, 2);
  g_assert_cmpint (_cw_review_view_get_selected (review), ==, (int) lotte_place);
  g_assert_cmpuint (_cw_review_lanes_count_bars (_cw_review_view_get_lanes (review), 2), >, 0);
  {
    g_autofree char *label = cw_project_get_undo_label (fixture->project);

    g_assert_cmpstr (label, ==, "Accept Lotte’s coding");
  }
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "review.png");

  /* The window's undo takes it back; the list follows. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  wait_review (review);
  g_assert_cmpint (count_coder (fixture, "Consensus"), ==, before);
  g_assert_cmpint (_cw_review_view_get_coverage (review, lotte_place), ==, 0);
  g_assert_cmpuint (_cw_review_lanes_count_bars (_cw_review_view_get_lanes (review), 2), ==, 0);
  g_assert_cmpuint (_cw_review_view_get_n_disagreements (review), ==, core->len);
}

/* Undefined figures, the CSV export and win.review without the dialog. */
static void
test_small (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CwAgreement) core = core_agreement (fixture, CW_AGREEMENT_UNIT_CHARACTER);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "agreement.csv", NULL);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv_path);
  g_autofree char *csv = NULL;
  g_autofree char *kappa = NULL;
  g_autofree char *tooltip = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  CwAgreementDialog *dialog = open_dialog (fixture);
  CwReviewView *review;
  guint unused = G_MAXUINT;

  assert_table_matches (dialog, core);
  for (guint i = 0; i < core->codes->len; i++)
    if (g_strcmp0 (g_array_index (core->codes, CwAgreementCode, i).path, "Nooit gebruikt") == 0)
      unused = i;
  g_assert_cmpuint (unused, !=, G_MAXUINT);
  g_assert_true (isnan (g_array_index (core->codes, CwAgreementCode, unused).kappa));
  kappa = _cw_agreement_dialog_get_cell_text (dialog, unused, CW_AGREEMENT_COLUMN_KAPPA, &tooltip);
  g_assert_cmpstr (kappa, ==, "—");
  g_assert_cmpstr (tooltip, ==, "Undefined: nobody used this code");
  g_assert_cmpstr (_cw_agreement_dialog_get_cell_level (dialog, unused, CW_AGREEMENT_COLUMN_KAPPA), ==, "cw-undefined");

  /* The table as CSV, written in a worker: ';', decimal comma, undefined
   * left empty, the overall row last. */
  _cw_agreement_dialog_export_to (dialog, csv_file);
  wait_dialog (dialog);
  g_assert_true (g_str_has_prefix (_cw_agreement_dialog_get_last_toast (dialog), "Exported to"));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "code;units;percent;percent_unanimous;kappa;alpha;u_alpha;matched;unmatched\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + core->codes->len + 1 + 1);
  g_assert_true (g_str_has_prefix (lines[1 + unused], "Nooit gebruikt;"));
  g_assert_nonnull (strstr (lines[1 + unused], ";100;;;"));   /* percent 100, kappa and alpha undefined */
  g_assert_true (g_str_has_prefix (lines[1 + core->codes->len], "(overall);"));
  {
    g_autofree char *units = g_strdup_printf ("(overall);%" G_GINT64_FORMAT ";", core->units);

    g_assert_true (g_str_has_prefix (lines[1 + core->codes->len], units));
    g_assert_nonnull (strchr (lines[1 + core->codes->len] + strlen (units), ','));
    g_assert_null (strchr (lines[1 + core->codes->len] + strlen (units), '.'));
  }
  close_dialog (dialog);

  /* win.review on its own compares the first two coders. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.review", NULL);
  review = _cw_window_get_review_view (fixture->window);
  wait_review (review);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (_cw_window_get_view_stack (fixture->window)), ==, "review");
  /* [7, 11) Lotte only, [86, 110) Ruben only. */
  g_assert_cmpuint (_cw_review_view_get_n_disagreements (review), ==, 2);
  g_assert_cmpint (_cw_review_view_get_disagreement (review, 0)->start, ==, 7);
  g_assert_cmpint (_cw_review_view_get_disagreement (review, 0)->end, ==, 11);

  /* Accept Both at the first place: Lotte's and Ruben's segments united. */
  gtk_widget_activate_action (GTK_WIDGET (review), "review.accept", "i", -1);
  wait_review (review);
  g_assert_cmpint (count_coder (fixture, "Consensus"), ==, 1);
  g_assert_cmpint (_cw_review_view_get_coverage (review, 0), ==, 2);
  /* Again: nothing new, said so. */
  gtk_widget_activate_action (GTK_WIDGET (review), "review.accept", "i", -1);
  wait_review (review);
  g_assert_cmpint (count_coder (fixture, "Consensus"), ==, 1);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "The consensus already has this version");
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/agreement-window/dialog", Fixture, NULL, example_set_up, test_dialog, fixture_tear_down);
  g_test_add ("/agreement-window/review", Fixture, NULL, example_set_up, test_review, fixture_tear_down);
  g_test_add ("/agreement-window/small", Fixture, NULL, small_set_up, test_small, fixture_tear_down);

  return g_test_run ();
}
