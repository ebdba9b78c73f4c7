/* test-overview.c: the numbers behind the overview pictures (code map,
 * frequencies per kind and per case variable, co-occurrence), counted by
 * hand on a small project and checked against retrieval on the example
 * project; and the pictures written as PNG and SVG without a display. */
#include "config.h"

#include <string.h>
#include <libxml/parser.h>
#include <pango/pangocairo.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-overview.h"
#include "cw-overview-chart.h"
#include "cw-test-util.h"

/* ASan builds: fontconfig 2.14 loses a few bytes while it parses its own
 * configuration (no frame of ours on the stack); the leak check of the
 * core and CLI tests would report it for every picture. */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions (void);
const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

/* Quietly: stderr carries the CLI's own messages only. */
const char *__lsan_default_options (void);
const char *
__lsan_default_options (void)
{
  return "print_suppressions=0";
}
#endif

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     arena, int_a, int_b;
  gint64     baan, stage, steun, jobcoach;
} Fixture;

static const char text[] = "Jan: abcdefghijklmnopqrstuvwxyz0123456789 en nog wat meer tekst hier.\n";

static gint64
add_code (CwProject  *project,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_code (project, path, NULL, NULL, &error);

  g_assert_no_error (error);
  return id;
}

static void
code (Fixture    *fixture,
      gint64      document,
      gint64      code_id,
      gint64      start,
      gint64      end,
      const char *coder)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cw_project_add_coding (fixture->project, document, code_id, start, end, coder, NULL, &error), >, 0);
  g_assert_no_error (error);
}

static gint64
import (Fixture        *fixture,
        const char     *name,
        CwDocumentKind  kind)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (files, cw_test_write_file (fixture->dir, name, text));
  ids = cw_project_import (fixture->project, files, kind, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return g_array_index (ids, gint64, 0);
}

/* Three documents (an arena conversation, two interviews), a category
 * "Werk" that cannot be coded, two coders. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 werk;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  fixture->arena = import (fixture, "arena.txt", CW_DOCUMENT_KIND_ARENA);
  fixture->int_a = import (fixture, "interview-a.txt", CW_DOCUMENT_KIND_INTERVIEW);
  fixture->int_b = import (fixture, "interview-b.txt", CW_DOCUMENT_KIND_INTERVIEW);

  fixture->baan = add_code (fixture->project, "Werk/Baan");
  fixture->stage = add_code (fixture->project, "Werk/Stage");
  fixture->steun = add_code (fixture->project, "Steun");
  fixture->jobcoach = add_code (fixture->project, "Steun/Jobcoach");
  werk = cw_project_lookup_code (fixture->project, "Werk", &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_set_code_codable (fixture->project, werk, FALSE, &error));
  g_assert_no_error (error);

  code (fixture, fixture->arena, fixture->baan, 5, 10, "Anna");
  code (fixture, fixture->arena, fixture->baan, 15, 20, "Anna");
  code (fixture, fixture->arena, fixture->stage, 8, 13, "Anna");   /* overlaps both Baan 5-10 */
  code (fixture, fixture->arena, fixture->baan, 5, 10, "Bram");
  code (fixture, fixture->int_a, fixture->steun, 5, 15, "Bram");
  code (fixture, fixture->int_a, fixture->jobcoach, 7, 9, "Bram"); /* inside Steun */
  code (fixture, fixture->int_b, fixture->stage, 5, 8, "Anna");
  code (fixture, fixture->int_b, fixture->baan, 25, 30, "Anna");   /* apart */
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The table as text: "row: a b c | row: ..." — easy to compare. */
static char *
table_string (const CwOverview *overview)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < overview->rows->len; i++)
    {
      g_string_append_printf (out, "%s%s:", i > 0 ? " | " : "", (char *) g_ptr_array_index (overview->rows, i));
      for (guint j = 0; j < overview->columns->len; j++)
        g_string_append_printf (out, " %u", cw_overview_count (overview, i, j));
    }
  return g_string_free (out, FALSE);
}

static char *
columns_string (const CwOverview *overview)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint j = 0; j < overview->columns->len; j++)
    g_string_append_printf (out, "%s%s", j > 0 ? "|" : "", (char *) g_ptr_array_index (overview->columns, j));
  return g_strdup (out->str);
}

static void
test_code_map (Fixture       *fixture,
               gconstpointer  data)
{
  static const struct
  {
    const char *coder;
    const char *table;
    guint       max;
  } cases[] = {
    { NULL, "arena.txt: 3 1 0 0 | interview-a.txt: 0 0 1 1 | interview-b.txt: 1 1 0 0", 3 },
    { "Anna", "arena.txt: 2 1 0 0 | interview-a.txt: 0 0 0 0 | interview-b.txt: 1 1 0 0", 2 },
    { "Bram", "arena.txt: 1 0 0 0 | interview-a.txt: 0 0 1 1 | interview-b.txt: 0 0 0 0", 1 },
    /* A coder who coded nothing: every document and code, all zero. */
    { "Nobody", "arena.txt: 0 0 0 0 | interview-a.txt: 0 0 0 0 | interview-b.txt: 0 0 0 0", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwOverview) map = cw_project_code_map (fixture->project, cases[i].coder, NULL, &error);
      g_autofree char *table = NULL;
      g_autofree char *columns = NULL;

      g_assert_no_error (error);
      table = table_string (map);
      columns = columns_string (map);
      g_test_message ("coder %s: %s", cases[i].coder, table);
      g_assert_cmpint (map->type, ==, CW_OVERVIEW_CODE_MAP);
      g_assert_cmpstr (map->coder, ==, cases[i].coder);
      /* Codable codes only, in codebook order: no column for "Werk". */
      g_assert_cmpstr (columns, ==, "Werk/Baan|Werk/Stage|Steun|Steun/Jobcoach");
      g_assert_cmpstr (table, ==, cases[i].table);
      g_assert_cmpuint (map->max, ==, cases[i].max);
      g_assert_cmpint (g_array_index (map->row_ids, gint64, 1), ==, fixture->int_a);
      g_assert_cmpint (g_array_index (map->column_ids, gint64, 3), ==, fixture->jobcoach);
      g_assert_cmpuint (map->colors->len, ==, 4);
      g_assert_true (g_str_has_prefix (g_ptr_array_index (map->colors, 0), "#"));
    }
}

static void
test_kinds (Fixture       *fixture,
            gconstpointer  data)
{
  static const struct
  {
    const char *coder;
    const char *table;
  } cases[] = {
    { NULL, "Werk/Baan: 3 1 | Werk/Stage: 1 1 | Steun: 0 1 | Steun/Jobcoach: 0 1" },
    { "Anna", "Werk/Baan: 2 1 | Werk/Stage: 1 1 | Steun: 0 0 | Steun/Jobcoach: 0 0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwOverview) kinds = cw_project_frequencies_by_kind (fixture->project, cases[i].coder, NULL, &error);
      g_autofree char *table = NULL;
      g_autofree char *columns = NULL;

      g_assert_no_error (error);
      table = table_string (kinds);
      columns = columns_string (kinds);
      g_assert_cmpstr (kinds->by, ==, "kind");
      /* Only the kinds the project has documents of, in the list's order. */
      g_assert_cmpstr (columns, ==, "arena|interview");
      g_assert_cmpint (g_array_index (kinds->column_ids, gint64, 1), ==, CW_DOCUMENT_KIND_INTERVIEW);
      g_assert_cmpstr (table, ==, cases[i].table);
    }
}

static void
test_variable (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GFile) csv = cw_test_write_file (fixture->dir, "cohort.csv", "id;Uitkomst\nP1;baan\nP2;school\n");
  g_autofree char *path = g_file_get_path (csv);
  g_autoptr(CwCasesImportResult) imported = NULL;
  g_autoptr(CwOverview) by = NULL;
  g_autoptr(CwOverview) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_autofree char *columns = NULL;

  imported = cw_project_import_cases (fixture->project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cw_project_link_case (fixture->project, cw_project_lookup_case (fixture->project, "P1", NULL),
                                       fixture->arena, NULL, &error));
  g_assert_true (cw_project_link_case (fixture->project, cw_project_lookup_case (fixture->project, "P2", NULL),
                                       fixture->int_a, NULL, &error));
  g_assert_no_error (error);

  /* The variable's name as stored, whatever the case asked. */
  by = cw_project_frequencies_by_variable (fixture->project, "uitkomst", 0, &error);
  g_assert_no_error (error);
  table = table_string (by);
  columns = columns_string (by);
  g_assert_cmpint (by->type, ==, CW_OVERVIEW_VARIABLE);
  g_assert_cmpstr (by->by, ==, "Uitkomst");
  g_assert_null (by->coder);
  g_assert_cmpstr (columns, ==, "baan|school");
  /* interview-b has no case: its codings are not counted. */
  g_assert_cmpstr (table, ==, "Werk/Baan: 3 0 | Werk/Stage: 1 0 | Steun: 0 1 | Steun/Jobcoach: 0 1");
  g_assert_cmpint (g_array_index (by->row_ids, gint64, 2), ==, fixture->steun);
  g_assert_cmpuint (by->max, ==, 3);

  missing = cw_project_frequencies_by_variable (fixture->project, "Leeftijd", 0, &error);
  g_assert_null (missing);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "Leeftijd"));
}

static void
test_cooccurrence (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwOverview) all = cw_project_code_cooccurrence (fixture->project, NULL, NULL, &error);
  g_autoptr(CwOverview) anna = NULL;
  g_autofree char *table = NULL;

  g_assert_no_error (error);
  table = table_string (all);
  /* Diagonal: the code's segments. Baan x Stage: Stage 8-13 overlaps
   * Anna's and Bram's Baan 5-10 (two pairs); Steun x Jobcoach: one. */
  g_assert_cmpstr (table, ==,
                   "Werk/Baan: 4 2 0 0 | Werk/Stage: 2 2 0 0 | Steun: 0 0 1 1 | Steun/Jobcoach: 0 0 1 1");
  /* The scale leaves the diagonal out: it counts something else. */
  g_assert_cmpuint (all->max, ==, 2);
  g_assert_cmpint (g_array_index (all->column_ids, gint64, 1), ==, fixture->stage);

  anna = cw_project_code_cooccurrence (fixture->project, "Anna", NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&table, g_free);
  table = table_string (anna);
  g_assert_cmpstr (table, ==,
                   "Werk/Baan: 3 1 0 0 | Werk/Stage: 1 2 0 0 | Steun: 0 0 0 0 | Steun/Jobcoach: 0 0 0 0");
}

/* An empty project: empty tables, no failure. */
static void
test_empty (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  CwProject *project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;
  CwOverview *overview;

  overview = cw_project_code_map (project, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->rows->len, ==, 0);
  g_assert_cmpuint (overview->columns->len, ==, 0);
  cw_overview_free (overview);
  overview = cw_project_frequencies_by_kind (project, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->columns->len, ==, 0);
  cw_overview_free (overview);
  overview = cw_project_code_cooccurrence (project, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->rows->len, ==, 0);
  cw_overview_free (overview);
  g_assert_finalize_object (project);
  cw_test_remove_dir (dir);
}

/* The example project: every cell of the code map is what retrieval with
 * that document and code gives (what `codings --doc --code` prints), the
 * kinds add up to each code's codings, and the co-occurrence diagonal is
 * the code's segments. */
static void
test_example (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = cw_test_copy_example (dir, "example.codewerk");
  g_autoptr(GError) error = NULL;
  CwProject *project = cw_project_open (path, &error);
  g_autoptr(CwOverview) map = NULL;
  g_autoptr(CwOverview) kinds = NULL;
  g_autoptr(CwOverview) pairs = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  guint total = 0;

  g_assert_no_error (error);
  map = cw_project_code_map (project, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (map->rows->len, >=, 6);
  g_assert_cmpuint (map->columns->len, >=, 30);
  for (guint i = 0; i < map->rows->len; i++)
    for (guint j = 0; j < map->columns->len; j++)
      {
        g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
        g_autoptr(GPtrArray) segments = NULL;

        query->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        g_array_append_val (query->document_ids, g_array_index (map->row_ids, gint64, i));
        query->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        g_array_append_val (query->code_ids, g_array_index (map->column_ids, gint64, j));
        segments = cw_project_retrieve (project, query, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (cw_overview_count (map, i, j), ==, segments->len);
        total += segments->len;
      }
  g_assert_cmpuint (total, >, 300);

  kinds = cw_project_frequencies_by_kind (project, NULL, NULL, &error);
  g_assert_no_error (error);
  pairs = cw_project_code_cooccurrence (project, NULL, NULL, &error);
  g_assert_no_error (error);
  codes = cw_project_list_codes (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kinds->rows->len, ==, map->columns->len);
  g_assert_cmpuint (pairs->rows->len, ==, map->columns->len);
  for (guint i = 0; i < kinds->rows->len; i++)
    {
      guint sum = 0, column_sum = 0;
      const CwCode *code = NULL;

      for (guint k = 0; k < codes->len; k++)
        if (((CwCode *) g_ptr_array_index (codes, k))->id == g_array_index (kinds->row_ids, gint64, i))
          code = g_ptr_array_index (codes, k);
      g_assert_nonnull (code);
      for (guint j = 0; j < kinds->columns->len; j++)
        sum += cw_overview_count (kinds, i, j);
      for (guint d = 0; d < map->rows->len; d++)
        column_sum += cw_overview_count (map, d, i);
      g_assert_cmpuint (sum, ==, code->n_codings);
      g_assert_cmpuint (column_sum, ==, code->n_codings);
      g_assert_cmpuint (cw_overview_count (pairs, i, i), ==, code->n_codings);
      /* Symmetric. */
      for (guint j = 0; j < pairs->columns->len; j++)
        g_assert_cmpuint (cw_overview_count (pairs, i, j), ==, cw_overview_count (pairs, j, i));
    }

  g_assert_finalize_object (project);
  cw_test_remove_dir (dir);
}

/* The pictures without a display: a PNG (its signature, at twice the
 * size) and an SVG that parses as XML, for each of the four. */
static void
test_write_pictures (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) csv = cw_test_write_file (fixture->dir, "cohort.csv", "id;Uitkomst\nP1;baan\nP2;school\n");
  g_autofree char *csv_path = g_file_get_path (csv);
  g_autoptr(CwCasesImportResult) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pictures = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_overview_free);

  imported = cw_project_import_cases (fixture->project, csv_path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_ptr_array_add (pictures, cw_project_code_map (fixture->project, NULL, NULL, &error));
  g_ptr_array_add (pictures, cw_project_frequencies_by_kind (fixture->project, NULL, NULL, &error));
  g_ptr_array_add (pictures, cw_project_frequencies_by_variable (fixture->project, "Uitkomst", 0, &error));
  g_ptr_array_add (pictures, cw_project_code_cooccurrence (fixture->project, "Anna", NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < pictures->len; i++)
    {
      const CwOverview *overview = g_ptr_array_index (pictures, i);
      g_autofree char *png = g_strdup_printf ("%s/picture-%u.png", fixture->dir, i);
      g_autofree char *svg = g_strdup_printf ("%s/picture-%u.SVG", fixture->dir, i);
      g_autofree char *part = g_strconcat (png, ".part", NULL);
      g_autofree char *bytes = NULL;
      gsize length;
      xmlDocPtr doc;

      g_assert_true (cw_chart_write (overview, NULL, png, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (png, &bytes, &length, &error));
      g_assert_cmpuint (length, >, 1000);
      g_assert_cmpmem (bytes, 8, "\x89PNG\r\n\x1a\n", 8);
      g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
      g_clear_pointer (&bytes, g_free);

      g_assert_true (cw_chart_write (overview, NULL, svg, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (svg, &bytes, &length, &error));
      doc = xmlReadMemory (bytes, (int) length, "picture.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
      g_assert_nonnull (doc);
      g_assert_cmpstr ((const char *) xmlDocGetRootElement (doc)->name, ==, "svg");
      xmlFreeDoc (doc);
    }

  /* Refusals name the file and leave nothing behind. */
  {
    g_autofree char *gif = g_build_filename (fixture->dir, "picture.gif", NULL);
    g_autofree char *nowhere = g_build_filename (fixture->dir, "no-such-folder", "picture.png", NULL);

    g_assert_false (cw_chart_write (g_ptr_array_index (pictures, 0), NULL, gif, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_nonnull (strstr (error->message, "picture.gif"));
    g_clear_error (&error);
    g_assert_false (cw_chart_write (g_ptr_array_index (pictures, 0), NULL, nowhere, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "picture.png"));
    g_assert_false (g_file_test (gif, G_FILE_TEST_EXISTS));
  }
}

/* What the tooltips say, and where the cells are. */
static void
test_chart_geometry (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwOverview) map = cw_project_code_map (fixture->project, NULL, NULL, &error);
  g_autoptr(CwOverview) pairs = cw_project_code_cooccurrence (fixture->project, NULL, NULL, &error);
  g_autoptr(CwOverview) kinds = cw_project_frequencies_by_kind (fixture->project, NULL, NULL, &error);
  g_autoptr(PangoFontMap) fonts = NULL;
  g_autoptr(GObject) context_object = NULL;
  PangoContext *context;
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 10");
  g_autoptr(CwChart) chart = NULL;
  g_autofree char *text = NULL;
  double x, y;
  guint row, column;

  g_assert_no_error (error);
  fonts = pango_cairo_font_map_new ();
  context = pango_font_map_create_context (fonts);
  context_object = G_OBJECT (context);
  pango_context_set_font_description (context, font);

  text = cw_chart_describe_cell (map, 0, 0);
  g_assert_cmpstr (text, ==, "arena.txt · Werk/Baan: 3 codings");
  g_clear_pointer (&text, g_free);
  text = cw_chart_describe_cell (pairs, 0, 1);
  g_assert_cmpstr (text, ==, "Werk/Baan and Werk/Stage: 2 overlaps");
  g_clear_pointer (&text, g_free);
  text = cw_chart_describe_cell (pairs, 2, 2);
  g_assert_cmpstr (text, ==, "Steun: 1 segment");
  g_clear_pointer (&text, g_free);
  text = cw_chart_describe_cell (kinds, 0, 1);
  g_assert_cmpstr (text, ==, "Werk/Baan · Interviews: 1 coding");
  g_clear_pointer (&text, g_free);

  /* Every cell's centre is that cell; the title is no cell. */
  for (guint i = 0; i < 3; i++)
    {
      CwOverview *overview = i == 0 ? map : i == 1 ? pairs : kinds;

      chart = cw_chart_new (overview, context);
      g_assert_cmpfloat (cw_chart_get_width (chart), >, 200);
      for (guint r = 0; r < overview->rows->len; r++)
        for (guint c = 0; c < overview->columns->len; c++)
          {
            g_assert_true (cw_chart_cell_center (chart, r, c, &x, &y));
            g_assert_true (cw_chart_cell_at (chart, x, y, &row, &column));
            g_assert_cmpuint (row, ==, r);
            g_assert_cmpuint (column, ==, c);
          }
      g_assert_false (cw_chart_cell_at (chart, 20, 20, &row, &column));
      g_assert_false (cw_chart_cell_at (chart, cw_chart_get_width (chart) + 5, y, &row, &column));
      g_clear_pointer (&chart, cw_chart_free);
    }

  /* A row label gives its whole text; a code map's is the document. */
  chart = cw_chart_new (map, context);
  g_assert_true (cw_chart_cell_center (chart, 1, 0, &x, &y));
  text = cw_chart_label_at (chart, 20, y);
  g_assert_cmpstr (text, ==, "interview-a.txt");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/overview/code-map", test_code_map);
  ADD ("/overview/kinds", test_kinds);
  ADD ("/overview/variable", test_variable);
  ADD ("/overview/cooccurrence", test_cooccurrence);
  ADD ("/overview/write-pictures", test_write_pictures);
  ADD ("/overview/chart-geometry", test_chart_geometry);
#undef ADD
  g_test_add_func ("/overview/empty", test_empty);
  g_test_add_func ("/overview/example", test_example);
  return g_test_run ();
}
