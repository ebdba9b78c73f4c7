/* test-overview-window.c: the Overview page on a copy of the example
 * project, driven in-process under Xvfb: each picture drawn (pixels that
 * are not background), its numbers the core's, the coder filter, a click
 * on a cell taking the user to Retrieval with that code, the exports as
 * PNG and SVG, and dark mode. Screenshots of each picture are saved.
 *
 * The test needs a display (the test script starts Xvfb): without one it
 * fails rather than skips.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <libxml/parser.h>

#include "cw-overview.h"
#include "cw-overview-view-private.h"
#include "cw-retrieval-view-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-window-private.h"

typedef struct
{
  char           *dir;
  char           *path;
  CwProject      *project;
  CwWindow       *window;
  CwOverviewView *view;
  /* The last cell-activated signal. */
  guint           activations;
  gint64          document_id, code_id, other_code_id;
} Fixture;

static gboolean
window_idle (gpointer data)
{
  Fixture *fixture = data;

  return !_cw_window_is_busy (fixture->window) && !_cw_overview_view_is_busy (fixture->view) &&
         !_cw_retrieval_view_is_busy (_cw_window_get_retrieval_view (fixture->window));
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
cell_activated_cb (CwOverviewView *view,
                   gint64          document_id,
                   gint64          code_id,
                   gint64          other_code_id,
                   Fixture        *fixture)
{
  fixture->activations++;
  fixture->document_id = document_id;
  fixture->code_id = code_id;
  fixture->other_code_id = other_code_id;
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
  fixture->view = _cw_window_get_overview_view (fixture->window);
  g_assert_nonnull (fixture->view);
  g_signal_connect (fixture->view, "cell-activated", G_CALLBACK (cell_activated_cb), fixture);
  g_assert_true (cw_test_wait_until (window_idle, fixture));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

typedef struct
{
  Fixture        *fixture;
  CwOverviewType  type;
} Ready;

static gboolean
picture_ready (gpointer data)
{
  Ready *ready = data;
  const CwOverview *overview = _cw_overview_view_get_overview (ready->fixture->view);

  return window_idle (ready->fixture) && overview != NULL && overview->type == ready->type;
}

static const CwOverview *
show_picture (Fixture        *fixture,
              CwOverviewType  type)
{
  Ready ready = { fixture, type };

  adw_view_stack_set_visible_child_name (_cw_window_get_view_stack (fixture->window), "overview");
  _cw_overview_view_set_picture (fixture->view, type);
  g_assert_true (cw_test_wait_until (picture_ready, &ready));
  cw_test_wait_ms (200);
  return _cw_overview_view_get_overview (fixture->view);
}

/* How many pixels of the drawing differ from its first (the background):
 * a picture, not an empty area. */
static guint
drawn_pixels (Fixture *fixture)
{
  GtkWidget *area = _cw_overview_view_get_drawing_area (fixture->view);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (area);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int width = gtk_widget_get_width (area);
  int height = gtk_widget_get_height (area);
  guint differing = 0;

  g_assert_cmpint (width, >, 100);
  g_assert_cmpint (height, >, 100);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (fixture->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (gsize i = 1; i < (gsize) width * height; i++)
    if (memcmp (pixels + i * 4, pixels, 4) != 0)
      differing++;
  return differing;
}

/* A cell with codings (and, for co-occurrence, off the diagonal). */
static gboolean
find_cell (const CwOverview *overview,
           guint            *row,
           guint            *column)
{
  for (guint i = 0; i < overview->rows->len; i++)
    for (guint j = 0; j < overview->columns->len; j++)
      if (cw_overview_count (overview, i, j) > 0 && (overview->type != CW_OVERVIEW_COOCCURRENCE || i != j))
        {
          *row = i;
          *column = j;
          return TRUE;
        }
  return FALSE;
}

static guint
core_segments (Fixture *fixture,
               gint64   document_id,
               gint64   code_id)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;

  query->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (query->code_ids, code_id);
  if (document_id != 0)
    {
      query->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (query->document_ids, document_id);
    }
  segments = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  return segments->len;
}

static void
assert_same_table (const CwOverview *shown,
                   const CwOverview *core)
{
  g_assert_cmpuint (shown->rows->len, ==, core->rows->len);
  g_assert_cmpuint (shown->columns->len, ==, core->columns->len);
  for (guint i = 0; i < core->rows->len; i++)
    for (guint j = 0; j < core->columns->len; j++)
      g_assert_cmpuint (cw_overview_count (shown, i, j), ==, cw_overview_count (core, i, j));
}

static void
test_code_map (Fixture       *fixture,
               gconstpointer  data)
{
  const CwOverview *map = show_picture (fixture, CW_OVERVIEW_CODE_MAP);
  g_autoptr(CwOverview) core = NULL;
  g_autoptr(CwOverview) lotte = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *expected = NULL;
  CwRetrievalView *retrieval = _cw_window_get_retrieval_view (fixture->window);
  guint row = 0, column = 0, n;
  double x, y;

  core = cw_project_code_map (fixture->project, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_table (map, core);
  g_assert_cmpuint (drawn_pixels (fixture), >, 20000);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-code-map.png");

  /* Hovering a cell tells its count. */
  g_assert_true (find_cell (map, &row, &column));
  n = cw_overview_count (map, row, column);
  g_assert_true (_cw_overview_view_cell_center (fixture->view, row, column, &x, &y));
  tooltip = _cw_overview_view_tooltip_at (fixture->view, x, y);
  expected = g_strdup_printf ("%s · %s: %u coding%s", (char *) g_ptr_array_index (map->rows, row),
                              (char *) g_ptr_array_index (map->columns, column), n, n == 1 ? "" : "s");
  g_assert_cmpstr (tooltip, ==, expected);

  /* Clicking it: the document and the code, then Retrieval with the code. */
  g_assert_true (_cw_overview_view_click_at (fixture->view, x, y));
  g_assert_cmpuint (fixture->activations, ==, 1);
  g_assert_cmpint (fixture->document_id, ==, g_array_index (map->row_ids, gint64, row));
  g_assert_cmpint (fixture->code_id, ==, g_array_index (map->column_ids, gint64, column));
  g_assert_cmpint (fixture->other_code_id, ==, 0);
  g_assert_cmpuint (core_segments (fixture, fixture->document_id, fixture->code_id), ==, n);
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (_cw_window_get_view_stack (fixture->window)), ==,
                   "retrieval");
  /* That code's segments in that document, with a button that takes the
   * document filter off. */
  g_assert_cmpint (cw_retrieval_view_get_document (retrieval), ==, fixture->document_id);
  g_assert_cmpuint (g_list_model_get_n_items (_cw_retrieval_view_get_segments (retrieval)), ==, n);
  for (guint i = 0; i < g_list_model_get_n_items (_cw_retrieval_view_get_segments (retrieval)); i++)
    {
      g_autoptr(CwSegmentItem) item = g_list_model_get_item (_cw_retrieval_view_get_segments (retrieval), i);

      g_assert_cmpint (_cw_segment_item_get_segment (item)->code_id, ==, fixture->code_id);
      g_assert_cmpint (_cw_segment_item_get_segment (item)->document_id, ==, fixture->document_id);
    }
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-code-map-retrieval.png");
  cw_retrieval_view_set_document (retrieval, 0);
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  g_assert_cmpuint (g_list_model_get_n_items (_cw_retrieval_view_get_segments (retrieval)), ==,
                    core_segments (fixture, 0, fixture->code_id));

  /* Off the grid: nothing happens. */
  g_assert_false (_cw_overview_view_click_at (fixture->view, 5, 5));
  g_assert_cmpuint (fixture->activations, ==, 1);

  /* One coder's codings. */
  map = show_picture (fixture, CW_OVERVIEW_CODE_MAP);
  g_assert_true (_cw_overview_view_select_coder (fixture->view, "Lotte"));
  g_assert_false (_cw_overview_view_select_coder (fixture->view, "Niemand"));
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  map = _cw_overview_view_get_overview (fixture->view);
  g_assert_cmpstr (map->coder, ==, "Lotte");
  lotte = cw_project_code_map (fixture->project, "Lotte", NULL, &error);
  g_assert_no_error (error);
  assert_same_table (map, lotte);
  g_assert_true (_cw_overview_view_select_coder (fixture->view, NULL));
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  g_assert_null (_cw_overview_view_get_overview (fixture->view)->coder);
}

static void
test_frequencies (Fixture       *fixture,
                  gconstpointer  data)
{
  const CwOverview *kinds = show_picture (fixture, CW_OVERVIEW_KINDS);
  g_autoptr(CwOverview) core = NULL;
  g_autoptr(GError) error = NULL;
  guint row = 0, column = 0;
  double x, y;

  core = cw_project_frequencies_by_kind (fixture->project, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_table (kinds, core);
  g_assert_cmpuint (drawn_pixels (fixture), >, 20000);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-kinds.png");

  /* A bar opens its code's segments. */
  g_assert_true (find_cell (kinds, &row, &column));
  g_assert_true (_cw_overview_view_cell_center (fixture->view, row, column, &x, &y));
  g_assert_true (_cw_overview_view_click_at (fixture->view, x, y));
  g_assert_cmpint (fixture->code_id, ==, g_array_index (kinds->row_ids, gint64, row));
  g_assert_cmpint (fixture->document_id, ==, 0);

  /* By a case variable, as the crosstab counts. */
  show_picture (fixture, CW_OVERVIEW_VARIABLE);
  g_assert_true (_cw_overview_view_select_variable (fixture->view, "Uitkomst"));
  g_assert_false (_cw_overview_view_select_variable (fixture->view, "Schoenmaat"));
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  {
    const CwOverview *by = _cw_overview_view_get_overview (fixture->view);
    g_autoptr(CwOverview) core_by = cw_project_frequencies_by_variable (fixture->project, "Uitkomst", 0, &error);

    g_assert_no_error (error);
    g_assert_cmpint (by->type, ==, CW_OVERVIEW_VARIABLE);
    g_assert_cmpstr (by->by, ==, "Uitkomst");
    assert_same_table (by, core_by);
  }
  cw_test_wait_ms (200);
  g_assert_cmpuint (drawn_pixels (fixture), >, 20000);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-uitkomst.png");
}

static void
test_cooccurrence (Fixture       *fixture,
                   gconstpointer  data)
{
  const CwOverview *pairs = show_picture (fixture, CW_OVERVIEW_COOCCURRENCE);
  g_autoptr(CwOverview) core = NULL;
  g_autoptr(GError) error = NULL;
  CwRetrievalView *retrieval = _cw_window_get_retrieval_view (fixture->window);
  guint row = 0, column = 0;
  double x, y;

  core = cw_project_code_cooccurrence (fixture->project, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_same_table (pairs, core);
  g_assert_cmpuint (drawn_pixels (fixture), >, 20000);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-cooccurrence.png");

  /* An overlap cell: both codes to Retrieval. */
  g_assert_true (find_cell (pairs, &row, &column));
  g_assert_true (_cw_overview_view_cell_center (fixture->view, row, column, &x, &y));
  g_assert_true (_cw_overview_view_click_at (fixture->view, x, y));
  g_assert_cmpint (fixture->code_id, ==, g_array_index (pairs->row_ids, gint64, row));
  g_assert_cmpint (fixture->other_code_id, ==, g_array_index (pairs->column_ids, gint64, column));
  g_assert_true (cw_test_wait_until (window_idle, fixture));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (_cw_window_get_view_stack (fixture->window)), ==,
                   "retrieval");
  g_assert_cmpuint (g_list_model_get_n_items (_cw_retrieval_view_get_segments (retrieval)), >, 0);

  /* Dark: still drawn, the labels in the theme's light text. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  show_picture (fixture, CW_OVERVIEW_CODE_MAP);
  g_assert_cmpuint (drawn_pixels (fixture), >, 20000);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-code-map-dark.png");
  show_picture (fixture, CW_OVERVIEW_COOCCURRENCE);
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-cooccurrence-dark.png");
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *png = g_build_filename (fixture->dir, "codekaart.png", NULL);
  g_autofree char *svg = g_build_filename (fixture->dir, "codekaart.svg", NULL);
  g_autofree char *bad = g_build_filename (fixture->dir, "missing", "codekaart.png", NULL);
  g_autoptr(GFile) png_file = g_file_new_for_path (png);
  g_autoptr(GFile) svg_file = g_file_new_for_path (svg);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *bytes = NULL;
  gsize length;
  xmlDocPtr doc;

  show_picture (fixture, CW_OVERVIEW_CODE_MAP);

  g_assert_true (_cw_overview_view_export_to (fixture->view, png_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (png, &bytes, &length, &error));
  g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  /* Twice the size on screen. */
  g_assert_cmpint (gdk_texture_get_width (texture), >=,
                   2 * gtk_drawing_area_get_content_width (GTK_DRAWING_AREA (
                         _cw_overview_view_get_drawing_area (fixture->view))) - 2);
  g_clear_pointer (&bytes, g_free);

  g_assert_true (_cw_overview_view_export_to (fixture->view, svg_file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (svg, &bytes, &length, &error));
  doc = xmlReadMemory (bytes, (int) length, "codekaart.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
  g_assert_nonnull (doc);
  g_assert_cmpstr ((const char *) xmlDocGetRootElement (doc)->name, ==, "svg");
  xmlFreeDoc (doc);

  g_assert_false (_cw_overview_view_export_to (fixture->view, bad_file, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "codekaart.png"));
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/overview-window/code-map", test_code_map);
  ADD ("/overview-window/frequencies", test_frequencies);
  ADD ("/overview-window/cooccurrence", test_cooccurrence);
  ADD ("/overview-window/export", test_export);
#undef ADD
  return g_test_run ();
}
