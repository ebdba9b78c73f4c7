/* cw-crosstab-view.c: codes against the values of one case variable, as a
 * heatmap.
 *
 * The table is computed in a worker on its own connection (a crosstab
 * joins every coding with its case); each new choice cancels the running
 * one. The drawing is one function for the widget and for the PNG and SVG
 * exports, so what is saved is what is seen (in the light palette).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <cairo-svg.h>

#include "cw-cases.h"
#include "cw-crosstab-view-private.h"
#include "cw-overview-chart.h"

/* The heatmap's measures, in pixels. */
#define MARGIN       16.0
#define ROW_HEIGHT   26.0
#define MIN_CELL     56.0
#define MAX_CELL     132.0
#define MAX_LABEL    300.0
#define MAX_HEADER   200.0
#define INDENT       14.0
#define LEGEND_WIDTH 160.0

typedef struct
{
  double r, g, b;
} Rgb;

typedef struct
{
  gboolean fill_background;
  Rgb      background;
  Rgb      foreground;
  Rgb      dim;
  Rgb      grid;
  Rgb      low;   /* no coding */
  Rgb      high;  /* the largest count */
} Palette;

/* Light: pale to deep blue. Dark: the scale runs from the background up
 * to a bright blue, so that more still stands out more. */
static const Palette light_palette = {
  TRUE,
  { 1.0, 1.0, 1.0 },
  { 0.13, 0.13, 0.15 },
  { 0.42, 0.42, 0.45 },
  { 0.86, 0.87, 0.89 },
  { 0.95, 0.96, 0.98 },
  { 0.08, 0.27, 0.55 },
};

static const Palette dark_palette = {
  FALSE,
  { 0.12, 0.12, 0.12 },
  { 0.95, 0.95, 0.95 },
  { 0.65, 0.65, 0.67 },
  { 0.25, 0.25, 0.27 },
  { 0.19, 0.20, 0.23 },
  { 0.47, 0.68, 0.96 },
};

typedef struct
{
  double label_width;   /* the row labels' column */
  double cell_width;
  double title_height;
  double header_height;
  gboolean rotated;     /* the column headings at 45° */
  double grid_x, grid_y;
  double width, height;
  guint rows, columns;
  guint slots;          /* lines: the rows and the group headings */
  guint max;
} Geometry;

struct _CwCrosstabView
{
  GtkWidget        parent_instance;

  /* template */
  GtkWidget       *main_box;
  GtkDropDown     *variable_dropdown;
  GtkWidget       *bins_box;
  GtkSpinButton   *bins_spin;
  GtkToggleButton *codings_toggle;
  GtkToggleButton *cases_toggle;
  GtkStack        *stack;
  GtkDrawingArea  *area;
  AdwStatusPage   *empty_page;
  GtkSpinner      *spinner;
  GtkLabel        *status_label;

  /* owned */
  CwProject       *project;
  gulong           changed_id;
  GPtrArray       *variables;   /* CwVariable, as in the dropdown */
  CwCrosstab      *crosstab;
  GCancellable    *cancellable;
  Geometry         geometry;    /* of the last drawing in the widget */
  guint            reload_id;
  gboolean         loading;     /* filling the dropdown: no computing yet */
  gboolean         stale;       /* to compute again once shown */
  char            *last_message;
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwCrosstabView, cw_crosstab_view, GTK_TYPE_WIDGET)

static void
show_message (CwCrosstabView *self,
              const char     *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

static gboolean
count_cases (CwCrosstabView *self)
{
  return gtk_toggle_button_get_active (self->cases_toggle);
}

static guint
cell_count (const CwCrosstab *crosstab,
            gboolean          cases,
            guint             row,
            guint             column)
{
  guint columns = g_strv_length (crosstab->values);
  const guint *counts = cases ? crosstab->cases : crosstab->codings;

  return counts != NULL ? counts[row * columns + column] : 0;
}

/* A column's heading as shown: the core names the column of cases without
 * a value "missing" (the JSON's key); the window says it in the user's
 * language. */
static const char *
value_heading (const CwCrosstab *crosstab,
               guint             column)
{
  const char *value = crosstab->values[column];

  if (crosstab->values[column + 1] == NULL && g_strcmp0 (value, "missing") == 0)
    /* Translators: the crosstab column of cases with no value. */
    return C_("crosstab", "missing");
  return value;
}

/* Drawing, shared by the widget and the exports */

static void
set_rgb (cairo_t   *cr,
         const Rgb *color)
{
  cairo_set_source_rgb (cr, color->r, color->g, color->b);
}

static Rgb
mix (const Rgb *a,
     const Rgb *b,
     double     t)
{
  Rgb c = { a->r + (b->r - a->r) * t, a->g + (b->g - a->g) * t, a->b + (b->b - a->b) * t };

  return c;
}

static double
luminance (const Rgb *c)
{
  return 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b;
}

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

/* A row whose next row lies below it is a category: in bold. */
static gboolean
is_parent (const CwCrosstab *crosstab,
           guint             row)
{
  const char *path = g_ptr_array_index (crosstab->codes, row);
  const char *next;
  gsize len = strlen (path);

  if (row + 1 >= crosstab->codes->len)
    return FALSE;
  next = g_ptr_array_index (crosstab->codes, row + 1);
  return strncmp (next, path, len) == 0 && next[len] == '/';
}

/* The categories are not codable, so they have no row: a heading line
 * names the group above its first row. Returns the group's path (its
 * first *len bytes of the row's path), or NULL for no heading. */
static const char *
heading_before (const CwCrosstab *crosstab,
                guint             row,
                gsize            *len)
{
  const char *path = g_ptr_array_index (crosstab->codes, row);
  const char *slash = strrchr (path, '/');
  gsize n;

  if (slash == NULL)
    return NULL;
  n = slash - path;
  for (guint j = 0; j < crosstab->codes->len; j++)
    {
      const char *other = g_ptr_array_index (crosstab->codes, j);

      if (strlen (other) == n && strncmp (other, path, n) == 0)
        return NULL;
    }
  if (row > 0)
    {
      const char *previous = g_ptr_array_index (crosstab->codes, row - 1);

      if (strncmp (previous, path, n) == 0 && previous[n] == '/')
        return NULL;
    }
  *len = n;
  return path;
}

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
            gboolean      bold)
{
  g_autoptr(PangoLayout) layout = make_layout (context, text, bold, 1.0);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static char *
legend_caption (const CwCrosstab *crosstab,
                gboolean          cases)
{
  return cases
    ? g_strdup_printf (_("Cases with the code, by “%s”"), crosstab->variable)
    : g_strdup_printf (_("Codings of the code, by “%s”"), crosstab->variable);
}

static void
measure (PangoContext     *context,
         const CwCrosstab *crosstab,
         gboolean          cases,
         Geometry         *geometry)
{
  double widest_value = 0;
  int line_height;
  g_autoptr(PangoLayout) probe = make_layout (context, "Ag", FALSE, 1.0);

  memset (geometry, 0, sizeof *geometry);
  pango_layout_get_pixel_size (probe, NULL, &line_height);
  geometry->rows = crosstab->codes->len;
  geometry->columns = g_strv_length (crosstab->values);

  for (guint i = 0; i < geometry->rows; i++)
    {
      guint depth;
      const char *leaf = leaf_name (g_ptr_array_index (crosstab->codes, i), &depth);

      geometry->label_width = MAX (geometry->label_width,
                                   INDENT * depth + text_width (context, leaf, is_parent (crosstab, i)) + 12);
    }
  geometry->label_width = CLAMP (geometry->label_width, 80, MAX_LABEL);

  for (guint j = 0; j < geometry->columns; j++)
    widest_value = MAX (widest_value, text_width (context, value_heading (crosstab, j), TRUE));
  for (guint i = 0; i < geometry->rows; i++)
    for (guint j = 0; j < geometry->columns; j++)
      geometry->max = MAX (geometry->max, cell_count (crosstab, cases, i, j));

  geometry->cell_width = CLAMP (widest_value + 16, MIN_CELL, MAX_CELL);
  geometry->rotated = widest_value + 12 > geometry->cell_width;
  geometry->title_height = line_height + 14;
  if (geometry->rotated)
    geometry->header_height = MIN (widest_value, MAX_HEADER) * G_SQRT2 / 2 + line_height + 8;
  else
    geometry->header_height = line_height + 12;

  geometry->grid_x = MARGIN + geometry->label_width;
  geometry->grid_y = MARGIN + geometry->title_height + geometry->header_height;
  geometry->width = geometry->grid_x + geometry->columns * geometry->cell_width + MARGIN;
  if (geometry->rotated)
    /* The last heading leans out to the right. */
    geometry->width += MIN (widest_value, MAX_HEADER) * G_SQRT2 / 2;
  geometry->width = MAX (geometry->width, MARGIN * 2 + LEGEND_WIDTH + 240);
  geometry->slots = geometry->rows;
  for (guint i = 0; i < geometry->rows; i++)
    {
      gsize len;

      if (heading_before (crosstab, i, &len) != NULL)
        geometry->slots++;
    }
  geometry->height = geometry->grid_y + geometry->slots * ROW_HEIGHT + 18 + 12 + line_height + 8 + MARGIN;
}

static void
show_layout_at (cairo_t     *cr,
                PangoLayout *layout,
                double       x,
                double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
paint (cairo_t          *cr,
       PangoContext     *context,
       const CwCrosstab *crosstab,
       gboolean          cases,
       const Palette    *palette,
       const Geometry   *g)
{
  g_autofree char *caption = legend_caption (crosstab, cases);
  g_autoptr(PangoLayout) title = make_layout (context, caption, TRUE, 1.0);
  double legend_y;
  int w, h;

  if (palette->fill_background)
    {
      set_rgb (cr, &palette->background);
      cairo_paint (cr);
    }

  set_rgb (cr, &palette->foreground);
  show_layout_at (cr, title, MARGIN, MARGIN);

  /* Column headings: the values. */
  for (guint j = 0; j < g->columns; j++)
    {
      g_autoptr(PangoLayout) layout = make_layout (context, value_heading (crosstab, j), TRUE, 1.0);
      double cx = g->grid_x + (j + 0.5) * g->cell_width;

      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      set_rgb (cr, &palette->foreground);
      if (g->rotated)
        {
          pango_layout_set_width (layout, (int) (MAX_HEADER * PANGO_SCALE));
          pango_layout_get_pixel_size (layout, &w, &h);
          cairo_save (cr);
          cairo_translate (cr, cx - h / 2.0, g->grid_y - 6);
          cairo_rotate (cr, -G_PI / 4);
          show_layout_at (cr, layout, 0, -h / 2.0);
          cairo_restore (cr);
        }
      else
        {
          pango_layout_set_width (layout, (int) ((g->cell_width - 6) * PANGO_SCALE));
          pango_layout_get_pixel_size (layout, &w, &h);
          show_layout_at (cr, layout, cx - w / 2.0, g->grid_y - h - 6);
        }
    }

  /* Rows: the codes, indented by depth, then their cells. */
  for (guint i = 0, slot = 0; i < g->rows; i++, slot++)
    {
      guint depth;
      const char *leaf = leaf_name (g_ptr_array_index (crosstab->codes, i), &depth);
      g_autoptr(PangoLayout) label = make_layout (context, leaf, is_parent (crosstab, i), 1.0);
      double y;
      double indent = MIN (INDENT * depth, g->label_width / 2);
      gsize len;
      const char *group = heading_before (crosstab, i, &len);

      if (group != NULL)
        {
          g_autofree char *text = g_strndup (group, len);
          g_autoptr(PangoLayout) heading = make_layout (context, text, TRUE, 1.0);

          y = g->grid_y + slot * ROW_HEIGHT;
          pango_layout_set_ellipsize (heading, PANGO_ELLIPSIZE_END);
          pango_layout_set_width (heading, (int) ((g->label_width - 12) * PANGO_SCALE));
          pango_layout_get_pixel_size (heading, &w, &h);
          set_rgb (cr, &palette->foreground);
          show_layout_at (cr, heading, MARGIN + MAX (indent - INDENT, 0), y + ROW_HEIGHT - h - 3);
          slot++;
        }
      y = g->grid_y + slot * ROW_HEIGHT;

      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (label, (int) ((g->label_width - indent - 12) * PANGO_SCALE));
      pango_layout_get_pixel_size (label, &w, &h);
      set_rgb (cr, &palette->foreground);
      show_layout_at (cr, label, MARGIN + indent, y + (ROW_HEIGHT - h) / 2);

      for (guint j = 0; j < g->columns; j++)
        {
          guint n = cell_count (crosstab, cases, i, j);
          double t = g->max > 0 ? (double) n / g->max : 0;
          Rgb fill = mix (&palette->low, &palette->high, t);
          Rgb ink = { 1, 1, 1 };
          g_autofree char *text = g_strdup_printf ("%u", n);
          g_autoptr(PangoLayout) number = make_layout (context, text, FALSE, 0.9);
          double x = g->grid_x + j * g->cell_width;

          cairo_rectangle (cr, x + 1, y + 1, g->cell_width - 2, ROW_HEIGHT - 2);
          set_rgb (cr, &fill);
          cairo_fill (cr);

          /* White on dark cells, dark on light ones; zeros recede. */
          if (luminance (&fill) > 0.5)
            ink = n == 0 ? palette->dim : (Rgb) { 0.1, 0.1, 0.12 };
          else if (n == 0)
            ink = palette->dim;
          pango_layout_get_pixel_size (number, &w, &h);
          set_rgb (cr, &ink);
          show_layout_at (cr, number, x + (g->cell_width - w) / 2, y + (ROW_HEIGHT - h) / 2);
        }
    }

  /* The legend: the scale from 0 to the largest count. */
  legend_y = g->grid_y + g->slots * ROW_HEIGHT + 18;
  {
    cairo_pattern_t *gradient = cairo_pattern_create_linear (MARGIN, 0, MARGIN + LEGEND_WIDTH, 0);
    g_autofree char *max_text = g_strdup_printf ("%u", g->max);
    g_autoptr(PangoLayout) zero = make_layout (context, "0", FALSE, 0.85);
    g_autoptr(PangoLayout) top = make_layout (context, max_text, FALSE, 0.85);
    g_autoptr(PangoLayout) unit = make_layout (context, cases ? _("cases") : _("codings"), FALSE, 0.85);

    cairo_pattern_add_color_stop_rgb (gradient, 0, palette->low.r, palette->low.g, palette->low.b);
    cairo_pattern_add_color_stop_rgb (gradient, 1, palette->high.r, palette->high.g, palette->high.b);
    cairo_rectangle (cr, MARGIN, legend_y, LEGEND_WIDTH, 12);
    cairo_set_source (cr, gradient);
    cairo_fill_preserve (cr);
    cairo_pattern_destroy (gradient);
    set_rgb (cr, &palette->grid);
    cairo_set_line_width (cr, 1);
    cairo_stroke (cr);

    set_rgb (cr, &palette->dim);
    show_layout_at (cr, zero, MARGIN, legend_y + 14);
    pango_layout_get_pixel_size (top, &w, &h);
    show_layout_at (cr, top, MARGIN + LEGEND_WIDTH - w, legend_y + 14);
    pango_layout_get_pixel_size (unit, &w, &h);
    show_layout_at (cr, unit, MARGIN + LEGEND_WIDTH + 10, legend_y - 1);
  }
}

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  CwCrosstabView *self = CW_CROSSTAB_VIEW (user_data);
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (area));
  const Palette *palette = adw_style_manager_get_dark (adw_style_manager_get_default ())
                           ? &dark_palette : &light_palette;
  Palette themed = *palette;
  GdkRGBA fg;

  if (self->crosstab == NULL)
    return;

  /* Text in the theme's colour; the scale stays ours. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  themed.foreground = (Rgb) { fg.red, fg.green, fg.blue };
  themed.fill_background = FALSE;

  measure (context, self->crosstab, count_cases (self), &self->geometry);
  paint (cr, context, self->crosstab, count_cases (self), &themed, &self->geometry);
}

/* Hovering */

/* The row on the line at y, or FALSE on a heading or outside. */
static gboolean
row_at (CwCrosstabView *self,
        double          y,
        guint          *row)
{
  const Geometry *g = &self->geometry;
  guint line;

  if (self->crosstab == NULL || y < g->grid_y)
    return FALSE;
  line = (guint) ((y - g->grid_y) / ROW_HEIGHT);
  for (guint i = 0, slot = 0; i < g->rows; i++, slot++)
    {
      gsize len;

      if (heading_before (self->crosstab, i, &len) != NULL && slot++ == line)
        return FALSE;
      if (slot == line)
        {
          *row = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
cell_at (CwCrosstabView *self,
         double          x,
         double          y,
         guint          *row,
         guint          *column)
{
  const Geometry *g = &self->geometry;

  if (self->crosstab == NULL || x < g->grid_x)
    return FALSE;
  *column = (guint) ((x - g->grid_x) / g->cell_width);
  return *column < g->columns && row_at (self, y, row);
}

static char *
describe_cell (CwCrosstabView *self,
               guint           row,
               guint           column)
{
  const CwCrosstab *crosstab = self->crosstab;
  guint codings = cell_count (crosstab, FALSE, row, column);
  guint cases = cell_count (crosstab, TRUE, row, column);
  g_autofree char *codings_text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coding", "%u codings", codings), codings);
  g_autofree char *cases_text =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", cases), cases);

  /* Translators: code path · value: "3 codings" in "2 cases". */
  return g_strdup_printf (_("%s · %s: %s in %s"), (const char *) g_ptr_array_index (crosstab->codes, row),
                          value_heading (crosstab, column), codings_text, cases_text);
}

static gboolean
query_tooltip_cb (CwCrosstabView *self,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip)
{
  guint row, column;
  g_autofree char *text = NULL;

  if (keyboard || !cell_at (self, x, y, &row, &column))
    {
      /* A row's label: the whole path, which the label may cut. */
      if (!keyboard && x < self->geometry.grid_x && row_at (self, y, &row))
        {
          gtk_tooltip_set_text (tooltip, g_ptr_array_index (self->crosstab->codes, row));
          return TRUE;
        }
      return FALSE;
    }
  text = describe_cell (self, row, column);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* Computing in a worker */

typedef struct
{
  char  *path;
  char  *variable;
  guint  bins;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_free (data->path);
  g_free (data->variable);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  CwCrosstab *crosstab;
  GError *error = NULL;

  project = cw_project_open (data->path, &error);
  if (project == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  crosstab = cw_project_crosstab (project, data->variable, data->bins, &error);
  if (crosstab == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, crosstab, (GDestroyNotify) cw_crosstab_free);
}

static void
update_busy (CwCrosstabView *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
update_size (CwCrosstabView *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->area));

  if (self->crosstab == NULL)
    {
      gtk_drawing_area_set_content_width (self->area, 0);
      gtk_drawing_area_set_content_height (self->area, 0);
      return;
    }
  measure (context, self->crosstab, count_cases (self), &self->geometry);
  gtk_drawing_area_set_content_width (self->area, (int) ceil (self->geometry.width));
  gtk_drawing_area_set_content_height (self->area, (int) ceil (self->geometry.height));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
update_status (CwCrosstabView *self)
{
  gboolean has = self->crosstab != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crosstab.export-png", has);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "crosstab.export-svg", has);
  if (has)
    {
      guint rows = self->crosstab->codes->len;
      guint columns = g_strv_length (self->crosstab->values);
      g_autofree char *codes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u code", "%u codes", rows), rows);
      g_autofree char *values = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u value", "%u values", columns),
                                                 columns);
      /* Translators: "12 codes" × "4 values" */
      g_autofree char *text = g_strdup_printf (C_("codes by values", "%s × %s"), codes, values);

      gtk_label_set_text (self->status_label, text);
    }
  else
    gtk_label_set_text (self->status_label, "");
}

static void
compute_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CwCrosstabView *self = CW_CROSSTAB_VIEW (source);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  CwCrosstab *crosstab;

  if (g_task_get_cancellable (task) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  update_busy (self);

  crosstab = g_task_propagate_pointer (task, &error);
  g_clear_pointer (&self->crosstab, cw_crosstab_free);
  self->crosstab = crosstab;
  if (crosstab == NULL)
    {
      adw_status_page_set_title (self->empty_page, _("Could Not Cross the Codes"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (crosstab->codes->len == 0)
    {
      g_clear_pointer (&self->crosstab, cw_crosstab_free);
      adw_status_page_set_title (self->empty_page, _("No Codes"));
      adw_status_page_set_description (self->empty_page, _("Add codes and code some text first."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "heatmap");
  update_size (self);
  update_status (self);
}

static const CwVariable *
selected_variable (CwCrosstabView *self)
{
  guint selected = gtk_drop_down_get_selected (self->variable_dropdown);

  if (self->variables == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= self->variables->len)
    return NULL;
  return g_ptr_array_index (self->variables, selected);
}

static void
compute (CwCrosstabView *self)
{
  const CwVariable *variable = selected_variable (self);
  g_autoptr(GTask) task = NULL;
  ComputeData *data;

  cancel_and_clear (&self->cancellable);
  self->stale = FALSE;
  if (self->project == NULL || variable == NULL)
    {
      g_clear_pointer (&self->crosstab, cw_crosstab_free);
      adw_status_page_set_title (self->empty_page, _("No Case Variables"));
      adw_status_page_set_description (self->empty_page,
                                       _("Import the cohort’s records in the Cases view, link the cases to "
                                         "documents or speakers, and compare the codes across a variable here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_busy (self);
      update_size (self);
      update_status (self);
      return;
    }

  data = g_new0 (ComputeData, 1);
  data->path = g_strdup (cw_project_get_path (self->project));
  data->variable = g_strdup (variable->name);
  data->bins = (guint) gtk_spin_button_get_value_as_int (self->bins_spin);

  self->cancellable = g_cancellable_new ();
  update_busy (self);
  task = g_task_new (self, self->cancellable, compute_cb, NULL);
  g_task_set_source_tag (task, compute);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/* Soon, and only when seen: a hidden view waits until it is shown. */
static void
schedule_compute (CwCrosstabView *self)
{
  if (self->loading)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    compute (self);
  else
    self->stale = TRUE;
}

static void
update_bins (CwCrosstabView *self)
{
  const CwVariable *variable = selected_variable (self);

  /* Labelled numbers have their categories; only plain numbers bin. */
  gtk_widget_set_visible (self->bins_box,
                          variable != NULL && variable->type == CW_VARIABLE_NUMERIC &&
                          (variable->value_labels == NULL || g_hash_table_size (variable->value_labels) == 0));
}

static void
variable_changed_cb (CwCrosstabView *self)
{
  update_bins (self);
  schedule_compute (self);
}

static void
bins_changed_cb (CwCrosstabView *self)
{
  schedule_compute (self);
}

static void
mode_toggled_cb (CwCrosstabView *self)
{
  update_size (self);
}

static void
load_variables (CwCrosstabView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const CwVariable *previous = selected_variable (self);
  g_autofree char *keep = previous != NULL ? g_strdup (previous->name) : NULL;
  guint selected = 0;

  self->loading = TRUE;
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  if (self->project != NULL)
    {
      self->variables = cw_project_list_variables (self->project, &error);
      if (self->variables == NULL)
        show_message (self, error->message);
    }
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      gtk_string_list_append (names, variable->name);
      if (g_strcmp0 (keep, variable->name) == 0)
        selected = i;
    }
  gtk_drop_down_set_model (self->variable_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->variable_dropdown,
                              g_list_model_get_n_items (G_LIST_MODEL (names)) > 0 ? selected : GTK_INVALID_LIST_POSITION);
  gtk_widget_set_sensitive (GTK_WIDGET (self->variable_dropdown), g_list_model_get_n_items (G_LIST_MODEL (names)) > 0);
  update_bins (self);
  self->loading = FALSE;
}

static gboolean
reload_idle (gpointer user_data)
{
  CwCrosstabView *self = user_data;

  self->reload_id = 0;
  load_variables (self);
  schedule_compute (self);
  return G_SOURCE_REMOVE;
}

static void
project_changed_cb (CwCrosstabView *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle, self);
}

/* Exports */

static gboolean
write_image (CwCrosstabView *self,
             const char     *path,
             gboolean        svg,
             GError        **error)
{
  cairo_surface_t *probe = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (probe);
  PangoContext *context = pango_cairo_create_context (cr);
  const PangoFontDescription *font =
    pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self->area)));
  cairo_surface_t *surface;
  Geometry geometry;
  gboolean cases = count_cases (self);
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);

  pango_context_set_font_description (context, font);
  measure (context, self->crosstab, cases, &geometry);
  g_object_unref (context);
  cairo_destroy (cr);
  cairo_surface_destroy (probe);

  surface = cw_picture_surface_new (tmp, svg, geometry.width, geometry.height);
  cr = cairo_create (surface);
  if (!svg)
    cairo_scale (cr, 2, 2);
  context = pango_cairo_create_context (cr);
  pango_context_set_font_description (context, font);
  paint (cr, context, self->crosstab, cases, &light_palette, &geometry);
  g_object_unref (context);
  cairo_destroy (cr);

  return cw_picture_surface_finish (surface, svg, tmp, path, error);
}

gboolean
_cw_crosstab_view_export_to (CwCrosstabView *self,
                             GFile          *file,
                             GError        **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CW_IS_CROSSTAB_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (self->crosstab == NULL || path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Nothing to export yet"));
      return FALSE;
    }
  return write_image (self, path, g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".SVG"), error);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    CwCrosstabView  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *suffix = g_object_get_data (G_OBJECT (chooser), "suffix");
      g_autofree char *path = chosen != NULL ? g_file_get_path (chosen) : NULL;
      g_autoptr(GFile) file = NULL;
      g_autoptr(GError) error = NULL;

      if (path != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (path, -1);

          if (!g_str_has_suffix (lower, suffix))
            {
              g_autofree char *with_suffix = g_strconcat (path, suffix, NULL);

              file = g_file_new_for_path (with_suffix);
            }
          else
            file = g_object_ref (chosen);

          if (_cw_crosstab_view_export_to (self, file, &error))
            {
              g_autofree char *name = g_file_get_basename (file);
              /* Translators: the name of the file written. */
              g_autofree char *message = g_strdup_printf (_("Exported to “%s”"), name);

              show_message (self, message);
            }
          else
            show_message (self, error->message);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwCrosstabView *self = CW_CROSSTAB_VIEW (widget);
  gboolean svg = g_str_equal (action_name, "crosstab.export-svg");
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->crosstab == NULL)
    return;

  chooser = gtk_file_chooser_native_new (svg ? _("Export Heatmap as SVG") : _("Export Heatmap as PNG"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, svg ? _("SVG images") : _("PNG images"));
  gtk_file_filter_add_suffix (filter, svg ? "svg" : "png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Translators: the default file name of an exported heatmap. */
  name = g_strdup_printf (_("crosstab-%s.%s"), self->crosstab->variable, svg ? "svg" : "png");
  g_strdelimit (name, "/\\:", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "suffix", g_strdup (svg ? ".svg" : ".png"), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Public */

void
cw_crosstab_view_set_project (CwCrosstabView *self,
                              CwProject      *project)
{
  g_return_if_fail (CW_IS_CROSSTAB_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  cancel_and_clear (&self->cancellable);
  update_busy (self);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  g_set_object (&self->project, project);
  if (project != NULL)
    self->changed_id = g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
  g_clear_pointer (&self->crosstab, cw_crosstab_free);
  g_clear_handle_id (&self->reload_id, g_source_remove);

  load_variables (self);
  schedule_compute (self);
  update_size (self);
  update_status (self);
}

CwCrosstabView *
cw_crosstab_view_new (void)
{
  return g_object_new (CW_TYPE_CROSSTAB_VIEW, NULL);
}

/* For the tests */

const CwCrosstab *
_cw_crosstab_view_get_crosstab (CwCrosstabView *self)
{
  return self->crosstab;
}

gboolean
_cw_crosstab_view_select_variable (CwCrosstabView *self,
                                   const char     *name)
{
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      if (g_strcmp0 (variable->name, name) == 0)
        {
          if (gtk_drop_down_get_selected (self->variable_dropdown) == i)
            schedule_compute (self);
          else
            gtk_drop_down_set_selected (self->variable_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

void
_cw_crosstab_view_set_count_cases (CwCrosstabView *self,
                                   gboolean        cases)
{
  gtk_toggle_button_set_active (cases ? self->cases_toggle : self->codings_toggle, TRUE);
}

gboolean
_cw_crosstab_view_is_busy (CwCrosstabView *self)
{
  return self->cancellable != NULL || self->reload_id != 0;
}

GtkWidget *
_cw_crosstab_view_get_drawing_area (CwCrosstabView *self)
{
  return GTK_WIDGET (self->area);
}

char *
_cw_crosstab_view_describe_cell (CwCrosstabView *self,
                                 guint           row,
                                 guint           column)
{
  if (self->crosstab == NULL || row >= self->crosstab->codes->len || column >= g_strv_length (self->crosstab->values))
    return NULL;
  return describe_cell (self, row, column);
}

const char *
_cw_crosstab_view_get_last_message (CwCrosstabView *self)
{
  return self->last_message;
}

/* GObject */

static void
cw_crosstab_view_map (GtkWidget *widget)
{
  CwCrosstabView *self = CW_CROSSTAB_VIEW (widget);

  GTK_WIDGET_CLASS (cw_crosstab_view_parent_class)->map (widget);
  if (self->stale)
    compute (self);
}

static void
dark_changed_cb (CwCrosstabView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
cw_crosstab_view_dispose (GObject *object)
{
  CwCrosstabView *self = CW_CROSSTAB_VIEW (object);
  GtkWidget *child;

  cancel_and_clear (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), dark_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_CROSSTAB_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->project);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_clear_pointer (&self->crosstab, cw_crosstab_free);

  G_OBJECT_CLASS (cw_crosstab_view_parent_class)->dispose (object);
}

static void
cw_crosstab_view_finalize (GObject *object)
{
  CwCrosstabView *self = CW_CROSSTAB_VIEW (object);

  g_free (self->last_message);

  G_OBJECT_CLASS (cw_crosstab_view_parent_class)->finalize (object);
}

static void
cw_crosstab_view_class_init (CwCrosstabViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_crosstab_view_dispose;
  object_class->finalize = cw_crosstab_view_finalize;
  widget_class->map = cw_crosstab_view_map;

  /**
   * CwCrosstabView::message:
   * @text: what to tell the user
   *
   * An export finished or failed; the window shows it as a toast.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-crosstab-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, main_box);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, variable_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, bins_box);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, bins_spin);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, codings_toggle);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, cases_toggle);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, stack);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, area);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwCrosstabView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, variable_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, bins_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_tooltip_cb);

  gtk_widget_class_install_action (widget_class, "crosstab.export-png", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "crosstab.export-svg", NULL, export_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-crosstab-view");
}

static void
cw_crosstab_view_init (CwCrosstabView *self)
{
  /* The template's notify handlers fire while it is built: hold them. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;

  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (dark_changed_cb), self);
  gtk_widget_set_visible (self->bins_box, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_status (self);
}
