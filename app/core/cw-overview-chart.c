/* cw-overview-chart.c: the overview pictures, drawn with Cairo and Pango.
 *
 * Three shapes share one frame (a title, row labels on the left, a grid):
 * - the code map: documents x codes, a square per cell whose area grows
 *   with the codings, in the code's colour (MAXQDA's Code Matrix Browser);
 * - the frequencies: small multiples, one panel of horizontal bars per
 *   kind or value, one scale for all panels, each bar with its count;
 * - the co-occurrence: codes x codes, cells shaded from the background to
 *   blue by the count, the diagonal (segments of the code) set apart.
 * Codes on an axis keep codebook order; their top-level categories name
 * the groups (a band over the columns, a heading line between rows).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "cw-overview-chart.h"

/* Measures, in pixels at scale 1. */
#define MARGIN       16.0
#define CELL         26.0   /* a code map cell */
#define SHADE_CELL   28.0   /* a co-occurrence cell: room for a number */
#define BAR_ROW      24.0
#define BAR_HEIGHT   14.0
#define MIN_PANEL    130.0
#define MAX_PANEL    210.0
#define MAX_LABEL    300.0
#define MAX_HEADER   190.0
#define INDENT       14.0
#define LEGEND_WIDTH 160.0

static const CwChartPalette light_palette = {
  TRUE,
  { 1.0, 1.0, 1.0 },
  { 0.13, 0.13, 0.15 },
  { 0.42, 0.42, 0.45 },
  { 0.84, 0.85, 0.87 },
  { 0.96, 0.965, 0.975 },
  { 0.95, 0.96, 0.98 },
  { 0.08, 0.27, 0.55 },
};

/* Dark: the shading runs from the background up to a bright blue, so that
 * more still stands out more. */
static const CwChartPalette dark_palette = {
  FALSE,
  { 0.12, 0.12, 0.12 },
  { 0.95, 0.95, 0.95 },
  { 0.65, 0.65, 0.67 },
  { 0.30, 0.30, 0.32 },
  { 0.17, 0.17, 0.18 },
  { 0.19, 0.20, 0.23 },
  { 0.47, 0.68, 0.96 },
};

const CwChartPalette *
cw_chart_palette_light (void)
{
  return &light_palette;
}

const CwChartPalette *
cw_chart_palette_dark (void)
{
  return &dark_palette;
}

/* A line on the row axis: a row, or a heading naming the group below. */
typedef struct
{
  int   row;     /* -1: a heading */
  char *heading; /* owned, for a heading */
} Slot;

struct _CwChart
{
  const CwOverview *overview;
  gboolean code_rows;     /* rows are codes: indented, with headings */
  gboolean code_columns;  /* columns are codes: upright, in bands */
  gboolean bars;
  double   width, height;
  double   title_height;
  double   label_width;
  double   band_height;
  double   header_height;
  double   grid_x, grid_y;
  double   cell_width;    /* a matrix cell, or a bar panel */
  double   row_height;
  double   bar_room;      /* the longest bar */
  double   legend_y;
  int      line_height;
  GArray  *slots;         /* Slot */
};

static void
slot_clear (gpointer data)
{
  Slot *slot = data;

  g_free (slot->heading);
}

void
cw_chart_free (CwChart *chart)
{
  if (chart == NULL)
    return;
  g_clear_pointer (&chart->slots, g_array_unref);
  g_free (chart);
}

double
cw_chart_get_width (const CwChart *chart)
{
  return chart->width;
}

double
cw_chart_get_height (const CwChart *chart)
{
  return chart->height;
}

/* Words */

static const char *
kind_heading (const char *kind)
{
  CwDocumentKind value;

  if (!cw_document_kind_from_string (kind, &value))
    return kind;
  switch (value)
    {
    case CW_DOCUMENT_KIND_ARENA:
      return _("Arena conversations");
    case CW_DOCUMENT_KIND_FOCUS_GROUP:
      return _("Focus groups");
    case CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW:
      return _("Employer interviews");
    case CW_DOCUMENT_KIND_INTERVIEW:
      return _("Interviews");
    case CW_DOCUMENT_KIND_OTHER:
    case CW_N_DOCUMENT_KINDS:
    default:
      return _("Other");
    }
}

const char *
cw_chart_column_heading (const CwOverview *overview,
                         guint             column)
{
  const char *value;

  g_return_val_if_fail (overview != NULL && column < overview->columns->len, NULL);

  value = g_ptr_array_index (overview->columns, column);
  if (overview->type == CW_OVERVIEW_KINDS)
    return kind_heading (value);
  /* The core names the column of cases without a value "missing" (the
   * JSON's key); the picture says it in the user's language. */
  if (overview->type == CW_OVERVIEW_VARIABLE && column + 1 == overview->columns->len &&
      g_strcmp0 (value, "missing") == 0)
    return C_("crosstab", "missing");
  return value;
}

char *
cw_chart_title (const CwOverview *overview)
{
  g_return_val_if_fail (overview != NULL, NULL);

  switch (overview->type)
    {
    case CW_OVERVIEW_CODE_MAP:
      return g_strdup (_("Code Map: Codings per Document and Code"));
    case CW_OVERVIEW_KINDS:
      return g_strdup (_("Codings per Code, by Document Kind"));
    case CW_OVERVIEW_VARIABLE:
      /* Translators: %s is a case variable, e.g. "Uitkomst". */
      return g_strdup_printf (_("Codings per Code, by “%s”"), overview->by);
    case CW_OVERVIEW_COOCCURRENCE:
    default:
      return g_strdup (_("Co-occurrence of Codes"));
    }
}

static char *
subtitle (const CwOverview *overview)
{
  g_autofree char *who = overview->coder != NULL
    /* Translators: whose codings a picture counts. */
    ? g_strdup_printf (_("coder %s"), overview->coder)
    : g_strdup (_("all coders"));

  switch (overview->type)
    {
    case CW_OVERVIEW_CODE_MAP:
      /* Translators: %s is "all coders" or "coder NAME". */
      return g_strdup_printf (_("The larger the square, the more codings; %s"), who);
    case CW_OVERVIEW_KINDS:
      return g_strdup_printf (_("One scale for all kinds; %s"), who);
    case CW_OVERVIEW_VARIABLE:
      return g_strdup (_("A coding counts for the case linked to its speaker or document; all coders"));
    case CW_OVERVIEW_COOCCURRENCE:
    default:
      return g_strdup_printf (_("Pairs of overlapping segments; the diagonal counts the segments of the code; %s"),
                              who);
    }
}

char *
cw_chart_describe_cell (const CwOverview *overview,
                        guint             row,
                        guint             column)
{
  guint n;

  g_return_val_if_fail (overview != NULL, NULL);
  g_return_val_if_fail (row < overview->rows->len && column < overview->columns->len, NULL);

  n = cw_overview_count (overview, row, column);
  if (overview->type == CW_OVERVIEW_COOCCURRENCE)
    {
      if (row == column)
        /* Translators: a code path and its number of coded segments. */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u segment", "%s: %u segments", n),
                                (const char *) g_ptr_array_index (overview->rows, row), n);
      /* Translators: two code paths, and how often their segments overlap. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %s: %u overlap", "%s and %s: %u overlaps", n),
                              (const char *) g_ptr_array_index (overview->rows, row),
                              (const char *) g_ptr_array_index (overview->columns, column), n);
    }
  {
    g_autofree char *codings =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coding", "%u codings", n), n);
    const char *first = g_ptr_array_index (overview->rows, row);
    const char *second = overview->type == CW_OVERVIEW_CODE_MAP
      ? g_ptr_array_index (overview->columns, column)
      : cw_chart_column_heading (overview, column);

    /* Translators: document · code: "3 codings", or code · value: ... */
    return g_strdup_printf (_("%s · %s: %s"), first, second, codings);
  }
}

/* Paths */

static const char *
leaf_name (const char *path,
           guint      *depth)
{
  const char *leaf = path;

  *depth = 0;
  for (const char *p = path; *p != '\0'; p++)
    if (*p == '/')
      {
        (*depth)++;
        leaf = p + 1;
      }
  return leaf;
}

/* The length of the top-level category's name in path. */
static gsize
top_length (const char *path)
{
  const char *slash = strchr (path, '/');

  return slash != NULL ? (gsize) (slash - path) : strlen (path);
}

/* A code column's label: the band above names the top-level category, and
 * a deeper code follows its parent, so its name with a "›" per level
 * below the second says enough (the tooltip has the path). */
static char *
column_label (const char *path)
{
  guint depth;
  const char *leaf = leaf_name (path, &depth);
  GString *label = g_string_new (NULL);

  for (guint i = 1; i < depth; i++)
    g_string_append (label, "› ");
  g_string_append (label, leaf);
  return g_string_free (label, FALSE);
}

static gboolean
same_top (const char *a,
          const char *b)
{
  gsize n = top_length (a);

  return n == top_length (b) && strncmp (a, b, n) == 0;
}

/* Categories have no row: a heading names the group above its first row
 * (the path's parent), unless that parent is a row, or the row before
 * already lies in it. */
static char *
heading_before (const GPtrArray *paths,
                guint            row)
{
  const char *path = g_ptr_array_index (paths, row);
  const char *slash = strrchr (path, '/');
  gsize n;

  if (slash == NULL)
    return NULL;
  n = slash - path;
  for (guint j = 0; j < paths->len; j++)
    {
      const char *other = g_ptr_array_index (paths, j);

      if (strlen (other) == n && strncmp (other, path, n) == 0)
        return NULL;
    }
  if (row > 0)
    {
      const char *previous = g_ptr_array_index (paths, row - 1);

      if (strncmp (previous, path, n) == 0 && previous[n] == '/')
        return NULL;
    }
  return g_strndup (path, n);
}

/* Text */

static PangoLayout *
make_layout (PangoContext *context,
             const char   *text,
             gboolean      bold,
             double        scale)
{
  PangoLayout *layout = pango_layout_new (context);

  pango_layout_set_text (layout, text, -1);
  if (bold || scale != 1.0)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      if (bold)
        pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      if (scale != 1.0)
        pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static double
text_width (PangoContext *context,
            const char   *text,
            gboolean      bold,
            double        scale)
{
  g_autoptr(PangoLayout) layout = make_layout (context, text, bold, scale);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static void
show_at (cairo_t     *cr,
         PangoLayout *layout,
         double       x,
         double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
set_rgb (cairo_t     *cr,
         const CwRgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

static CwRgb
mix (const CwRgb *a,
     const CwRgb *b,
     double       t)
{
  CwRgb c = { a->r + (b->r - a->r) * t, a->g + (b->g - a->g) * t, a->b + (b->b - a->b) * t };

  return c;
}

static double
luminance (const CwRgb *c)
{
  return 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b;
}

static CwRgb
parse_color (const char *text)
{
  unsigned int r = 0x88, g = 0x88, b = 0x88;
  CwRgb c;

  if (text != NULL && text[0] == '#' && strlen (text) == 7)
    sscanf (text + 1, "%2x%2x%2x", &r, &g, &b);
  c.r = r / 255.0;
  c.g = g / 255.0;
  c.b = b / 255.0;
  return c;
}

/* Measuring */

static double
row_label_width (const CwChart *chart,
                 PangoContext  *context)
{
  const CwOverview *o = chart->overview;
  double widest = 0;

  for (guint i = 0; i < chart->slots->len; i++)
    {
      const Slot *slot = &g_array_index (chart->slots, Slot, i);

      if (slot->row < 0)
        {
          guint depth;

          leaf_name (slot->heading, &depth);
          widest = MAX (widest, INDENT * depth + text_width (context, slot->heading, TRUE, 1.0));
        }
      else if (chart->code_rows)
        {
          guint depth;
          const char *leaf = leaf_name (g_ptr_array_index (o->rows, slot->row), &depth);

          widest = MAX (widest, INDENT * depth + text_width (context, leaf, FALSE, 1.0));
        }
      else
        widest = MAX (widest, text_width (context, g_ptr_array_index (o->rows, slot->row), FALSE, 1.0));
    }
  return CLAMP (widest + 14, 80, MAX_LABEL);
}

CwChart *
cw_chart_new (const CwOverview *overview,
              PangoContext     *context)
{
  CwChart *chart;
  g_autoptr(PangoLayout) probe = NULL;
  g_autofree char *title = NULL;
  g_autofree char *sub = NULL;
  double title_width, header = 0;
  guint rows, columns;

  g_return_val_if_fail (overview != NULL, NULL);
  g_return_val_if_fail (PANGO_IS_CONTEXT (context), NULL);

  chart = g_new0 (CwChart, 1);
  chart->overview = overview;
  chart->code_rows = overview->type != CW_OVERVIEW_CODE_MAP;
  chart->code_columns = overview->type == CW_OVERVIEW_CODE_MAP || overview->type == CW_OVERVIEW_COOCCURRENCE;
  chart->bars = overview->type == CW_OVERVIEW_KINDS || overview->type == CW_OVERVIEW_VARIABLE;
  rows = overview->rows->len;
  columns = overview->columns->len;

  probe = make_layout (context, "Ag", FALSE, 1.0);
  pango_layout_get_pixel_size (probe, NULL, &chart->line_height);

  chart->slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  g_array_set_clear_func (chart->slots, slot_clear);
  for (guint i = 0; i < rows; i++)
    {
      Slot slot = { (int) i, NULL };

      if (chart->code_rows)
        {
          Slot heading = { -1, heading_before (overview->rows, i) };

          if (heading.heading != NULL)
            g_array_append_val (chart->slots, heading);
        }
      g_array_append_val (chart->slots, slot);
    }

  title = cw_chart_title (overview);
  sub = subtitle (overview);
  title_width = MAX (text_width (context, title, TRUE, 1.2), text_width (context, sub, FALSE, 0.9));
  chart->title_height = chart->line_height * 1.2 + 4 + chart->line_height * 0.9 + 18;
  chart->label_width = row_label_width (chart, context);

  if (chart->code_columns)
    {
      for (guint j = 0; j < columns; j++)
        {
          g_autofree char *label = column_label (g_ptr_array_index (overview->columns, j));

          header = MAX (header, text_width (context, label, FALSE, 0.9));
        }
      chart->band_height = chart->line_height + 10;
      chart->header_height = MIN (header, MAX_HEADER) + 10;
      chart->cell_width = overview->type == CW_OVERVIEW_CODE_MAP ? CELL : SHADE_CELL;
      chart->row_height = chart->cell_width;
    }
  else
    {
      /* One panel per value: wide enough for its heading, within reason,
       * and for the longest count beside the longest bar. */
      g_autofree char *max_text = g_strdup_printf ("%u", overview->max);
      double count_width = text_width (context, max_text, FALSE, 0.85);

      for (guint j = 0; j < columns; j++)
        header = MAX (header, text_width (context, cw_chart_column_heading (overview, j), TRUE, 1.0));
      chart->cell_width = CLAMP (header + 16, MIN_PANEL, MAX_PANEL);
      chart->bar_room = chart->cell_width - count_width - 24;
      chart->header_height = chart->line_height + 12;
      chart->row_height = BAR_ROW;
    }

  chart->grid_x = MARGIN + chart->label_width + 6;
  chart->grid_y = MARGIN + chart->title_height + chart->band_height + chart->header_height;
  chart->legend_y = chart->grid_y + chart->slots->len * chart->row_height + 18;
  chart->width = chart->grid_x + columns * chart->cell_width + MARGIN;
  chart->width = MAX (chart->width, MARGIN * 2 + MAX (title_width, LEGEND_WIDTH + 200));
  chart->height = chart->legend_y + (chart->bars ? 0 : 30 + chart->line_height) + MARGIN;
  return chart;
}

/* Where things are */

static double
slot_y (const CwChart *chart,
        guint          slot)
{
  return chart->grid_y + slot * chart->row_height;
}

static gboolean
slot_of_row (const CwChart *chart,
             guint          row,
             guint         *slot)
{
  for (guint i = 0; i < chart->slots->len; i++)
    if (g_array_index (chart->slots, Slot, i).row == (int) row)
      {
        *slot = i;
        return TRUE;
      }
  return FALSE;
}

static const Slot *
slot_at (const CwChart *chart,
         double         y)
{
  guint line;

  if (y < chart->grid_y)
    return NULL;
  line = (guint) ((y - chart->grid_y) / chart->row_height);
  return line < chart->slots->len ? &g_array_index (chart->slots, Slot, line) : NULL;
}

gboolean
cw_chart_cell_at (const CwChart *chart,
                  double         x,
                  double         y,
                  guint         *row,
                  guint         *column)
{
  const Slot *slot;
  guint j;

  g_return_val_if_fail (chart != NULL, FALSE);

  if (x < chart->grid_x || (slot = slot_at (chart, y)) == NULL || slot->row < 0)
    return FALSE;
  j = (guint) ((x - chart->grid_x) / chart->cell_width);
  if (j >= chart->overview->columns->len)
    return FALSE;
  *row = slot->row;
  *column = j;
  return TRUE;
}

gboolean
cw_chart_cell_center (const CwChart *chart,
                      guint          row,
                      guint          column,
                      double        *x,
                      double        *y)
{
  guint slot;

  g_return_val_if_fail (chart != NULL, FALSE);

  if (column >= chart->overview->columns->len || !slot_of_row (chart, row, &slot))
    return FALSE;
  *x = chart->grid_x + (column + 0.5) * chart->cell_width;
  *y = slot_y (chart, slot) + chart->row_height / 2;
  return TRUE;
}

char *
cw_chart_label_at (const CwChart *chart,
                   double         x,
                   double         y)
{
  const CwOverview *o;
  const Slot *slot;

  g_return_val_if_fail (chart != NULL, NULL);

  o = chart->overview;
  if (x < chart->grid_x && x >= MARGIN && (slot = slot_at (chart, y)) != NULL)
    return g_strdup (slot->row < 0 ? slot->heading : g_ptr_array_index (o->rows, slot->row));
  if (x >= chart->grid_x && y < chart->grid_y && y >= MARGIN + chart->title_height)
    {
      guint j = (guint) ((x - chart->grid_x) / chart->cell_width);

      if (j >= o->columns->len)
        return NULL;
      if (chart->code_columns && y < MARGIN + chart->title_height + chart->band_height)
        {
          const char *path = g_ptr_array_index (o->columns, j);

          return g_strndup (path, top_length (path));
        }
      return g_strdup (chart->code_columns ? g_ptr_array_index (o->columns, j) : cw_chart_column_heading (o, j));
    }
  return NULL;
}

/* Painting */

static void
paint_title (const CwChart        *chart,
             cairo_t              *cr,
             PangoContext         *context,
             const CwChartPalette *palette)
{
  g_autofree char *title = cw_chart_title (chart->overview);
  g_autofree char *sub = subtitle (chart->overview);
  g_autoptr(PangoLayout) title_layout = make_layout (context, title, TRUE, 1.2);
  g_autoptr(PangoLayout) sub_layout = make_layout (context, sub, FALSE, 0.9);
  int h;

  set_rgb (cr, &palette->foreground);
  show_at (cr, title_layout, MARGIN, MARGIN);
  pango_layout_get_pixel_size (title_layout, NULL, &h);
  set_rgb (cr, &palette->dim);
  show_at (cr, sub_layout, MARGIN, MARGIN + h + 4);
}

static void
paint_row_labels (const CwChart        *chart,
                  cairo_t              *cr,
                  PangoContext         *context,
                  const CwChartPalette *palette)
{
  const CwOverview *o = chart->overview;
  int w, h;

  for (guint i = 0; i < chart->slots->len; i++)
    {
      const Slot *slot = &g_array_index (chart->slots, Slot, i);
      double y = slot_y (chart, i);
      double indent = 0;
      const char *text;
      g_autoptr(PangoLayout) layout = NULL;

      if (slot->row < 0)
        {
          guint depth;

          leaf_name (slot->heading, &depth);
          indent = MIN (INDENT * depth, chart->label_width / 2);
          layout = make_layout (context, slot->heading, TRUE, 1.0);
        }
      else
        {
          guint depth = 0;

          text = g_ptr_array_index (o->rows, slot->row);
          if (chart->code_rows)
            {
              text = leaf_name (text, &depth);
              indent = MIN (INDENT * depth, chart->label_width / 2);
            }
          layout = make_layout (context, text, FALSE, 1.0);
        }
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (layout, (int) ((chart->label_width - indent - 10) * PANGO_SCALE));
      pango_layout_get_pixel_size (layout, &w, &h);
      set_rgb (cr, &palette->foreground);
      /* Headings sit on the line below them, close to their group. */
      show_at (cr, layout, MARGIN + indent,
               slot->row < 0 ? y + chart->row_height - h - 2 : y + (chart->row_height - h) / 2);
    }
}

/* The bands naming the top-level categories, the upright code labels
 * under them, and the lines between groups down through the grid. */
static void
paint_code_columns (const CwChart        *chart,
                    cairo_t              *cr,
                    PangoContext         *context,
                    const CwChartPalette *palette)
{
  const CwOverview *o = chart->overview;
  double band_y = MARGIN + chart->title_height;
  double bottom = chart->grid_y + chart->slots->len * chart->row_height;
  guint n = o->columns->len;
  guint group = 0;
  int w, h;

  for (guint start = 0; start < n; group++)
    {
      const char *first = g_ptr_array_index (o->columns, start);
      guint end = start + 1;
      double x0, x1;

      while (end < n && same_top (first, g_ptr_array_index (o->columns, end)))
        end++;
      x0 = chart->grid_x + start * chart->cell_width;
      x1 = chart->grid_x + end * chart->cell_width;

      /* Alternate the bands so neighbouring groups stay apart. */
      set_rgb (cr, group % 2 == 0 ? &palette->zebra : &palette->background);
      if (group % 2 == 0 || palette->fill_background)
        {
          cairo_rectangle (cr, x0, band_y, x1 - x0, chart->band_height - 4);
          cairo_fill (cr);
        }
      if (end - start > 1 || strchr (first, '/') != NULL)
        {
          g_autofree char *name = g_strndup (first, top_length (first));
          g_autoptr(PangoLayout) layout = make_layout (context, name, TRUE, 0.9);

          pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
          pango_layout_set_width (layout, (int) (MAX (x1 - x0 - 6, 1) * PANGO_SCALE));
          pango_layout_get_pixel_size (layout, &w, &h);
          set_rgb (cr, &palette->foreground);
          show_at (cr, layout, (x0 + x1 - w) / 2, band_y + (chart->band_height - 4 - h) / 2);
        }
      if (start > 0)
        {
          set_rgb (cr, &palette->dim);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, round (x0) + 0.5, band_y);
          cairo_line_to (cr, round (x0) + 0.5, bottom);
          cairo_stroke (cr);
        }
      start = end;
    }

  for (guint j = 0; j < n; j++)
    {
      g_autofree char *label = column_label (g_ptr_array_index (o->columns, j));
      g_autoptr(PangoLayout) layout = make_layout (context, label, FALSE, 0.9);
      double cx = chart->grid_x + (j + 0.5) * chart->cell_width;

      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (layout, (int) (MAX_HEADER * PANGO_SCALE));
      pango_layout_get_pixel_size (layout, &w, &h);
      set_rgb (cr, &palette->foreground);
      /* Upright, read from the bottom: the text ends at the grid. */
      cairo_save (cr);
      cairo_translate (cr, cx - h / 2.0, chart->grid_y - 6);
      cairo_rotate (cr, -G_PI / 2);
      show_at (cr, layout, 0, 0);
      cairo_restore (cr);
    }
}

static void
paint_zebra (const CwChart        *chart,
             cairo_t              *cr,
             const CwChartPalette *palette,
             double                x,
             double                width)
{
  guint n = 0;

  set_rgb (cr, &palette->zebra);
  for (guint i = 0; i < chart->slots->len; i++)
    {
      const Slot *slot = &g_array_index (chart->slots, Slot, i);

      if (slot->row < 0)
        continue;
      if (n++ % 2 == 1)
        {
          cairo_rectangle (cr, x, slot_y (chart, i), width, chart->row_height);
          cairo_fill (cr);
        }
    }
}

static void
paint_code_map (const CwChart        *chart,
                cairo_t              *cr,
                PangoContext         *context,
                const CwChartPalette *palette)
{
  const CwOverview *o = chart->overview;
  double side = chart->cell_width - 8;
  int w, h;

  paint_code_columns (chart, cr, context, palette);

  for (guint i = 0; i < chart->slots->len; i++)
    {
      const Slot *slot = &g_array_index (chart->slots, Slot, i);
      double y = slot_y (chart, i);

      for (guint j = 0; slot->row >= 0 && j < o->columns->len; j++)
        {
          guint n = cw_overview_count (o, slot->row, j);
          CwRgb fill = parse_color (g_ptr_array_index (o->colors, j));
          CwRgb edge = mix (&fill, &palette->foreground, 0.45);
          double s, cx = chart->grid_x + (j + 0.5) * chart->cell_width, cy = y + chart->row_height / 2;

          if (n == 0)
            {
              /* A dot: nothing here, yet the grid stays readable. */
              set_rgb (cr, &palette->grid);
              cairo_arc (cr, cx, cy, 1.2, 0, 2 * G_PI);
              cairo_fill (cr);
              continue;
            }
          /* The area grows with the count; one coding still shows. */
          s = 5 + (side - 5) * sqrt ((double) n / MAX (o->max, 1));
          cairo_rectangle (cr, cx - s / 2, cy - s / 2, s, s);
          set_rgb (cr, &fill);
          cairo_fill_preserve (cr);
          set_rgb (cr, &edge);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);
        }
    }

  /* The legend: three squares, from one coding to the most. */
  {
    guint steps[3] = { 1, MAX (o->max / 2, 1), MAX (o->max, 1) };
    double x = MARGIN;
    double y = chart->legend_y;
    g_autoptr(PangoLayout) unit = make_layout (context, _("codings per document and code"), FALSE, 0.85);

    for (guint k = 0; k < 3; k++)
      {
        g_autofree char *text = g_strdup_printf ("%u", steps[k]);
        g_autoptr(PangoLayout) number = make_layout (context, text, FALSE, 0.85);
        double s = 5 + (side - 5) * sqrt ((double) steps[k] / MAX (o->max, 1));

        if (k > 0 && steps[k] == steps[k - 1])
          continue;
        cairo_rectangle (cr, x + (side - s) / 2, y + (side - s) / 2, s, s);
        set_rgb (cr, &palette->dim);
        cairo_fill (cr);
        pango_layout_get_pixel_size (number, &w, &h);
        set_rgb (cr, &palette->foreground);
        show_at (cr, number, x + side + 4, y + (side - h) / 2);
        x += side + 4 + w + 14;
      }
    pango_layout_get_pixel_size (unit, &w, &h);
    set_rgb (cr, &palette->dim);
    show_at (cr, unit, x + 6, y + (side - h) / 2);
  }
}

static void
paint_cooccurrence (const CwChart        *chart,
                    cairo_t              *cr,
                    PangoContext         *context,
                    const CwChartPalette *palette)
{
  const CwOverview *o = chart->overview;
  double size = chart->cell_width;
  int w, h;

  paint_code_columns (chart, cr, context, palette);

  for (guint i = 0; i < chart->slots->len; i++)
    {
      const Slot *slot = &g_array_index (chart->slots, Slot, i);
      double y = slot_y (chart, i);

      for (guint j = 0; slot->row >= 0 && j < o->columns->len; j++)
        {
          guint n = cw_overview_count (o, slot->row, j);
          gboolean diagonal = (guint) slot->row == j;
          double t = o->max > 0 ? MIN ((double) n / o->max, 1.0) : 0;
          CwRgb fill = diagonal ? palette->background : mix (&palette->low, &palette->high, t);
          CwRgb ink;
          double x = chart->grid_x + j * size;

          cairo_rectangle (cr, x + 1, y + 1, size - 2, size - 2);
          set_rgb (cr, &fill);
          cairo_fill (cr);
          if (diagonal)
            {
              /* The code's own segments: framed in its colour, not shaded
               * on the scale of the overlaps. */
              CwRgb color = parse_color (g_ptr_array_index (o->colors, j));

              cairo_rectangle (cr, x + 2, y + 2, size - 4, size - 4);
              set_rgb (cr, &color);
              cairo_set_line_width (cr, 2);
              cairo_stroke (cr);
            }
          if (n == 0)
            continue;
          {
            g_autofree char *text = g_strdup_printf ("%u", n);
            g_autoptr(PangoLayout) number = make_layout (context, text, diagonal, 0.75);

            pango_layout_get_pixel_size (number, &w, &h);
            if (w > size - 3)
              continue;
            /* White on dark cells, dark on light ones. */
            if (diagonal)
              ink = palette->foreground;
            else if (luminance (&fill) > 0.5)
              ink = (CwRgb) { 0.1, 0.1, 0.12 };
            else
              ink = (CwRgb) { 1, 1, 1 };
            set_rgb (cr, &ink);
            show_at (cr, number, x + (size - w) / 2, y + (size - h) / 2);
          }
        }
    }

  /* The legend: the scale from none to the most overlaps. */
  {
    double y = chart->legend_y;
    cairo_pattern_t *gradient = cairo_pattern_create_linear (MARGIN, 0, MARGIN + LEGEND_WIDTH, 0);
    g_autofree char *max_text = g_strdup_printf ("%u", o->max);
    g_autoptr(PangoLayout) zero = make_layout (context, "0", FALSE, 0.85);
    g_autoptr(PangoLayout) top = make_layout (context, max_text, FALSE, 0.85);
    g_autoptr(PangoLayout) unit = make_layout (context, _("overlapping pairs of segments"), FALSE, 0.85);

    cairo_pattern_add_color_stop_rgb (gradient, 0, palette->low.r, palette->low.g, palette->low.b);
    cairo_pattern_add_color_stop_rgb (gradient, 1, palette->high.r, palette->high.g, palette->high.b);
    cairo_rectangle (cr, MARGIN, y, LEGEND_WIDTH, 12);
    cairo_set_source (cr, gradient);
    cairo_fill_preserve (cr);
    cairo_pattern_destroy (gradient);
    set_rgb (cr, &palette->grid);
    cairo_set_line_width (cr, 1);
    cairo_stroke (cr);
    set_rgb (cr, &palette->dim);
    show_at (cr, zero, MARGIN, y + 14);
    pango_layout_get_pixel_size (top, &w, &h);
    show_at (cr, top, MARGIN + LEGEND_WIDTH - w, y + 14);
    show_at (cr, unit, MARGIN + LEGEND_WIDTH + 10, y - 1);
  }
}

static void
paint_bars (const CwChart        *chart,
            cairo_t              *cr,
            PangoContext         *context,
            const CwChartPalette *palette)
{
  const CwOverview *o = chart->overview;
  double bottom = chart->grid_y + chart->slots->len * chart->row_height;
  int w, h;

  for (guint j = 0; j < o->columns->len; j++)
    {
      double x0 = chart->grid_x + j * chart->cell_width;
      g_autoptr(PangoLayout) heading = make_layout (context, cw_chart_column_heading (o, j), TRUE, 1.0);

      pango_layout_set_ellipsize (heading, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (heading, (int) ((chart->cell_width - 10) * PANGO_SCALE));
      pango_layout_get_pixel_size (heading, &w, &h);
      set_rgb (cr, &palette->foreground);
      show_at (cr, heading, x0 + 8, chart->grid_y - h - 6);

      /* Each panel's zero line. */
      set_rgb (cr, &palette->dim);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, round (x0 + 8) + 0.5, chart->grid_y - 2);
      cairo_line_to (cr, round (x0 + 8) + 0.5, bottom);
      cairo_stroke (cr);
    }

  for (guint i = 0; i < chart->slots->len; i++)
    {
      const Slot *slot = &g_array_index (chart->slots, Slot, i);
      double y = slot_y (chart, i);

      if (slot->row < 0)
        continue;
      for (guint j = 0; j < o->columns->len; j++)
        {
          guint n = cw_overview_count (o, slot->row, j);
          double x0 = round (chart->grid_x + j * chart->cell_width + 8) + 1;
          double length = o->max > 0 ? chart->bar_room * n / o->max : 0;
          CwRgb fill = parse_color (g_ptr_array_index (o->colors, slot->row));
          g_autofree char *text = NULL;
          g_autoptr(PangoLayout) number = NULL;

          if (n == 0)
            continue;
          /* One coding is still a visible bar. */
          length = MAX (length, 2);
          cairo_rectangle (cr, x0, y + (chart->row_height - BAR_HEIGHT) / 2, length, BAR_HEIGHT);
          set_rgb (cr, &fill);
          cairo_fill_preserve (cr);
          fill = mix (&fill, &palette->foreground, 0.45);
          set_rgb (cr, &fill);
          cairo_set_line_width (cr, 1);
          cairo_stroke (cr);

          text = g_strdup_printf ("%u", n);
          number = make_layout (context, text, FALSE, 0.85);
          pango_layout_get_pixel_size (number, &w, &h);
          set_rgb (cr, &palette->foreground);
          show_at (cr, number, x0 + length + 4, y + (chart->row_height - h) / 2);
        }
    }
}

void
cw_chart_paint (const CwChart        *chart,
                cairo_t              *cr,
                PangoContext         *context,
                const CwChartPalette *palette)
{
  g_return_if_fail (chart != NULL);
  g_return_if_fail (cr != NULL);

  if (palette->fill_background)
    {
      set_rgb (cr, &palette->background);
      cairo_paint (cr);
    }
  paint_title (chart, cr, context, palette);
  /* Stripes first: the labels and marks go on top of them. */
  if (chart->overview->type != CW_OVERVIEW_COOCCURRENCE)
    paint_zebra (chart, cr, palette, MARGIN,
                 chart->grid_x - MARGIN + chart->overview->columns->len * chart->cell_width);
  paint_row_labels (chart, cr, context, palette);
  switch (chart->overview->type)
    {
    case CW_OVERVIEW_CODE_MAP:
      paint_code_map (chart, cr, context, palette);
      break;
    case CW_OVERVIEW_COOCCURRENCE:
      paint_cooccurrence (chart, cr, context, palette);
      break;
    case CW_OVERVIEW_KINDS:
    case CW_OVERVIEW_VARIABLE:
    default:
      paint_bars (chart, cr, context, palette);
      break;
    }
}

/* Files */

static gboolean
has_suffix (const char *path,
            const char *suffix)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  return g_str_has_suffix (lower, suffix);
}

/* A picture file being written at tmp: SVG at the size, PNG at twice the
 * size (sharp on paper and on a HiDPI screen). */
cairo_surface_t *
cw_picture_surface_new (const char *tmp,
                        gboolean    svg,
                        double      width,
                        double      height)
{
  if (svg)
    return cairo_svg_surface_create (tmp, width, height);
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width * 2), (int) ceil (height * 2));
}

gboolean
cw_picture_surface_finish (cairo_surface_t  *surface,
                           gboolean          svg,
                           const char       *tmp,
                           const char       *path,
                           GError          **error)
{
  cairo_status_t status;

  if (svg)
    {
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  else
    status = cairo_surface_write_to_png (surface, tmp);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  /* Whole or not at all: a half-written picture replaces nothing. */
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write “%s”: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
cw_chart_write (const CwOverview            *overview,
                const PangoFontDescription  *font,
                const char                  *path,
                GError                     **error)
{
  g_autoptr(PangoFontDescription) fallback = NULL;
  g_autoptr(PangoFontMap) fonts = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr(CwChart) chart = NULL;
  cairo_surface_t *probe, *surface;
  cairo_t *cr;
  PangoContext *context;
  gboolean svg;

  g_return_val_if_fail (overview != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  svg = has_suffix (path, ".svg");
  if (!svg && !has_suffix (path, ".png"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("%s: a picture is written as .png or .svg"), path);
      return FALSE;
    }
  if (font == NULL)
    font = fallback = pango_font_description_from_string ("Sans 10");

  /* Measured with the font of the picture, not of a screen. A font map of
   * our own, freed at the end: the default one lives (and holds
   * fontconfig's patterns) until the process ends. */
  fonts = pango_cairo_font_map_new ();
  probe = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cr = cairo_create (probe);
  context = pango_font_map_create_context (fonts);
  pango_cairo_update_context (cr, context);
  pango_context_set_font_description (context, font);
  chart = cw_chart_new (overview, context);
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_destroy (probe);

  tmp = g_strconcat (path, ".part", NULL);
  surface = cw_picture_surface_new (tmp, svg, chart->width, chart->height);
  cr = cairo_create (surface);
  if (!svg)
    cairo_scale (cr, 2, 2);
  context = pango_font_map_create_context (fonts);
  pango_cairo_update_context (cr, context);
  pango_context_set_font_description (context, font);
  cw_chart_paint (chart, cr, context, &light_palette);
  g_object_unref (context);
  cairo_destroy (cr);

  return cw_picture_surface_finish (surface, svg, tmp, path, error);
}
