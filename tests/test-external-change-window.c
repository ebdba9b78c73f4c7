/* test-external-change-window.c: the window open on a copy of the example
 * project while codewerk-cli writes to it (issue 11): a new code, a coding
 * in the open transcript and an imported document show up by themselves,
 * with one toast per burst, the selection and the scroll positions kept;
 * Undo right after an outside edit shows first what it would now undo.
 *
 * Like the other GUI tests it needs a display and fails without one.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-codebook-panel-private.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"

#define OUTSIDE_TOAST "Project changed outside Codewerk; updated"

typedef struct
{
  char      *dir;
  char      *path;
  CwProject *project;
  CwWindow  *window;
} Fixture;

static gboolean
document_shown (gpointer data)
{
  CwWindow *window = data;
  CwTranscriptView *view = _cw_window_get_transcript_view (window);

  return cw_transcript_view_get_document_id (view) != 0 && !_cw_window_is_busy (window) &&
         gtk_widget_get_mapped (GTK_WIDGET (view));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->path = cw_test_copy_example (fixture->dir, "example.codewerk");
  fixture->project = cw_project_open (fixture->path, &error);
  g_assert_no_error (error);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  g_assert_true (cw_test_wait_until (document_shown, fixture->window));
}

static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Workers the window started may hold the project a little longer. */
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

  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (cw_test_wait_until (window_gone, &weak));
  cw_test_wait_until (project_released, fixture->project);
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The first run of n characters in the shown document with no coding. */
static gint64
uncoded_run (CwTranscriptView *view,
             gint64            n,
             gint64            from)
{
  const CwDocument *document = cw_transcript_view_get_document (view);
  gint64 run = 0;

  for (gint64 offset = from; offset < document->info->characters; offset++)
    {
      run = _cw_transcript_view_get_coding_tag_at (view, offset) == NULL ? run + 1 : 0;
      if (run == n)
        return offset - n + 1;
    }
  g_assert_not_reached ();
  return -1;
}

typedef struct
{
  Fixture    *fixture;
  const char *code;      /* path in the codebook panel, or NULL */
  gint64      document;  /* in the document list, or 0 */
  gint64      coded;     /* an offset the transcript shows coded, or -1 */
} Expect;

static gboolean
panel_has_code (CwCodebookPanel *panel,
                const char      *path)
{
  GPtrArray *codes = cw_codebook_panel_get_codes (panel);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    if (g_strcmp0 (((CwCode *) g_ptr_array_index (codes, i))->path, path) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
window_shows (gpointer data)
{
  Expect *expect = data;
  CwWindow *window = expect->fixture->window;

  return (expect->code == NULL || panel_has_code (_cw_window_get_codebook_panel (window), expect->code)) &&
         (expect->document == 0 ||
          cw_document_list_lookup (_cw_window_get_document_list (window), expect->document) != NULL) &&
         (expect->coded < 0 ||
          _cw_transcript_view_get_coding_tag_at (_cw_window_get_transcript_view (window), expect->coded) != NULL);
}

static void
run_cli_ok (const char *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (cw_test_run ((const char * const *) argv->pdata, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
}

static GtkAdjustment *
vadjustment (gpointer scrollable)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (scrollable));
}

static gboolean
scrollable_down (gpointer data)
{
  GtkAdjustment *adjustment = data;

  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) > 200;
}

static void
test_cli_writes_show_up (Fixture       *fixture,
                         gconstpointer  data)
{
  CwTranscriptView *view = _cw_window_get_transcript_view (fixture->window);
  CwCodebookPanel *panel = _cw_window_get_codebook_panel (fixture->window);
  GtkAdjustment *codebook_scroll = vadjustment (_cw_codebook_panel_get_list_view (panel));
  GtkAdjustment *transcript_scroll = vadjustment (view);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) imported = NULL;
  g_autofree char *document = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *start2 = NULL;
  g_autofree char *end2 = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *file_path = NULL;
  gint64 shown = cw_transcript_view_get_document_id (view);
  gint64 selected_code, run, run2, new_document;
  double codebook_at, transcript_at;
  Expect expect = { fixture, NULL, 0, -1 };

  document = g_strdup (cw_transcript_view_get_document (view)->info->name);

  /* The user is somewhere in the codebook and in the transcript. */
  selected_code = cw_project_lookup_code (fixture->project, "Werkgever/Motief werkgever", &error);
  g_assert_no_error (error);
  g_assert_true (cw_codebook_panel_select_code (panel, selected_code));
  g_assert_true (cw_test_wait_until (scrollable_down, codebook_scroll));
  g_assert_true (cw_test_wait_until (scrollable_down, transcript_scroll));
  gtk_adjustment_set_value (codebook_scroll, 150);
  gtk_adjustment_set_value (transcript_scroll, 180);
  cw_test_wait_ms (200);
  codebook_at = gtk_adjustment_get_value (codebook_scroll);
  transcript_at = gtk_adjustment_get_value (transcript_scroll);
  g_assert_cmpfloat (codebook_at, >, 0);
  g_assert_cmpfloat (transcript_at, >, 0);

  /* Uncoded text a third of the way down what the user sees. */
  {
    GdkRectangle visible;
    GtkTextIter iter;

    gtk_text_view_get_visible_rect (GTK_TEXT_VIEW (view), &visible);
    gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (view), &iter, visible.x, visible.y + visible.height / 3);
    run = uncoded_run (view, 12, gtk_text_iter_get_offset (&iter));
    run2 = uncoded_run (view, 12, run + 12);
  }

  /* Another program: a code, a coding in the open transcript, a document. */
  start = g_strdup_printf ("%" G_GINT64_FORMAT, run + 2);
  end = g_strdup_printf ("%" G_GINT64_FORMAT, run + 10);
  run_cli_ok ("code-add", fixture->path, "Van buiten/Nieuwe code", "--color", "#e01b24", NULL);
  run_cli_ok ("code", fixture->path, document, start, end, "Van buiten/Nieuwe code", "--coder", "script", NULL);
  file = cw_test_write_file (fixture->dir, "interview-nieuw.txt",
                             "Interviewer: Hoe gaat het nu?\nJongere: Goed, ik werk bij de kinderboerderij.\n");
  file_path = g_file_get_path (file);
  imported = cw_test_cli_json ("import", fixture->path, file_path, "--json", NULL);
  new_document = cw_test_json_int (cw_test_json_at (imported, 0), "id");

  /* The window follows within a poll or two. */
  expect.code = "Van buiten/Nieuwe code";
  expect.document = new_document;
  expect.coded = run + 5;
  g_assert_true (cw_test_wait_until (window_shows, &expect));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, OUTSIDE_TOAST);
  g_assert_null (_cw_transcript_view_get_coding_tag_at (view, run + 11));

  /* Where the user was, they still are. */
  g_assert_cmpint (cw_transcript_view_get_document_id (view), ==, shown);
  g_assert_cmpint (cw_codebook_panel_get_selected (panel), ==, selected_code);
  cw_test_wait_ms (300);
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (codebook_scroll) - codebook_at), <, 1);
  /* The text view measures its lines lazily: a few pixels may go. */
  g_assert_cmpfloat (fabs (gtk_adjustment_get_value (transcript_scroll) - transcript_at), <, 20);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "external-change.png");

  /* More from the same script soon after: followed, but no second toast. */
  cw_window_show_toast (fixture->window, "Ander bericht");
  start2 = g_strdup_printf ("%" G_GINT64_FORMAT, run2 + 1);
  end2 = g_strdup_printf ("%" G_GINT64_FORMAT, run2 + 9);
  run_cli_ok ("code", fixture->path, document, start2, end2, "Van buiten/Nieuwe code", "--coder", "script", NULL);
  expect.coded = run2 + 4;
  g_assert_true (cw_test_wait_until (window_shows, &expect));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Ander bericht");
}

static gint64
count_codings (Fixture    *fixture,
               const char *coder)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM codings c JOIN coders k ON k.id = c.coder_id"
                                          " WHERE k.name = '%s'", coder);
  sqlite3 *db = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  n = cw_test_sql_int (db, sql);
  sqlite3_close (db);
  return n;
}

/* The history is the file's, so Undo takes back the newest step, whoever
 * made it: right after another program added one, Undo first says so. */
static void
test_undo_after_outside_edit (Fixture       *fixture,
                              gconstpointer  data)
{
  CwTranscriptView *view = _cw_window_get_transcript_view (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *label = NULL;
  g_autofree char *expected = NULL;
  gint64 code, run;

  run = uncoded_run (view, 20, 0);
  code = cw_project_lookup_code (fixture->project, "Werkgever/Motief werkgever", &error);
  g_assert_no_error (error);

  /* The user codes; then a script codes elsewhere before the next poll. */
  cw_project_add_coding (fixture->project, cw_transcript_view_get_document_id (view), code, run, run + 5,
                         "venster", NULL, &error);
  g_assert_no_error (error);
  start = g_strdup_printf ("%" G_GINT64_FORMAT, run + 10);
  end = g_strdup_printf ("%" G_GINT64_FORMAT, run + 15);
  run_cli_ok ("code", fixture->path, cw_transcript_view_get_document (view)->info->name, start, end,
              "Werkgever/Motief werkgever", "--coder", "script", NULL);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  label = cw_project_get_undo_label (fixture->project);
  expected = g_strdup_printf (OUTSIDE_TOAST ". Undo again to undo “%s”", label);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, expected);
  g_assert_cmpint (count_codings (fixture, "venster"), ==, 1);
  g_assert_cmpint (count_codings (fixture, "script"), ==, 1);

  /* Again: the newest step, the script's, is undone; then the user's. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_cmpint (count_codings (fixture, "script"), ==, 0);
  g_assert_cmpint (count_codings (fixture, "venster"), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_cmpint (count_codings (fixture, "venster"), ==, 0);
  g_assert_null (_cw_transcript_view_get_coding_tag_at (view, run + 2));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;
  GdkDisplay *display;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    g_error ("no display: the GUI tests need one (DISPLAY, e.g. from Xvfb)");
  adw_init ();

  display = gdk_display_get_default ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), RESOURCE_BASE "/icons");

  g_test_add ("/external-change/cli-writes-show-up", Fixture, NULL, fixture_set_up,
              test_cli_writes_show_up, fixture_tear_down);
  g_test_add ("/external-change/undo-after-outside-edit", Fixture, NULL, fixture_set_up,
              test_undo_after_outside_edit, fixture_tear_down);

  return g_test_run ();
}
