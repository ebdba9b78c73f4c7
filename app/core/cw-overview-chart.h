/* cw-overview-chart.h: the overview pictures drawn with Cairo and Pango —
 * the code map, the frequency bars and the co-occurrence matrix — for the
 * window and for `codewerk-cli chart`, and written as PNG or SVG.
 *
 * No GTK: the window hands in its Pango context and palette, the CLI a
 * plain one, so a saved picture is the one seen (in the light palette).
 * Built as its own small library, so the core stays free of drawing. */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "cw-overview.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b;
} CwRgb;

typedef struct
{
  gboolean fill_background;
  CwRgb    background;
  CwRgb    foreground;
  CwRgb    dim;
  CwRgb    grid;
  CwRgb    zebra;   /* every other row, to follow a row across */
  CwRgb    low;     /* a shaded cell with nothing */
  CwRgb    high;    /* a shaded cell with the most */
} CwChartPalette;

const CwChartPalette *cw_chart_palette_light (void);
const CwChartPalette *cw_chart_palette_dark  (void);

/* A picture measured for one overview and one font; it borrows overview,
 * which must outlive it. */
typedef struct _CwChart CwChart;

CwChart  *cw_chart_new    (const CwOverview *overview,
                           PangoContext     *context);
void      cw_chart_free   (CwChart          *chart);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwChart, cw_chart_free)

double    cw_chart_get_width  (const CwChart *chart);
double    cw_chart_get_height (const CwChart *chart);

/* Draws at (0, 0) in the chart's own units (pixels at scale 1). */
void      cw_chart_paint  (const CwChart        *chart,
                           cairo_t              *cr,
                           PangoContext         *context,
                           const CwChartPalette *palette);

/* The cell (a square, a shaded cell or a bar) under (x, y). */
gboolean  cw_chart_cell_at       (const CwChart *chart,
                                  double         x,
                                  double         y,
                                  guint         *row,
                                  guint         *column);
/* The centre of a cell, for the tests and for keyboard focus. */
gboolean  cw_chart_cell_center   (const CwChart *chart,
                                  guint          row,
                                  guint          column,
                                  double        *x,
                                  double        *y);
/* A row's or a column's label under (x, y), whose text may be cut short:
 * returns the whole of it, or NULL. */
char     *cw_chart_label_at      (const CwChart *chart,
                                  double         x,
                                  double         y);

/* A cell in words, as its tooltip says it ("doc · code: 3 codings"). */
char     *cw_chart_describe_cell (const CwOverview *overview,
                                  guint             row,
                                  guint             column);
/* A column heading as shown: kinds and "missing" in the user's language. */
const char *cw_chart_column_heading (const CwOverview *overview,
                                     guint             column);
/* The picture's title, as drawn at its top. */
char     *cw_chart_title         (const CwOverview *overview);

/* Writes the picture, light palette, PNG (at twice the size) or SVG by
 * path's suffix; whole or not at all. font NULL: "Sans 10". */
gboolean  cw_chart_write         (const CwOverview            *overview,
                                  const PangoFontDescription  *font,
                                  const char                  *path,
                                  GError                     **error);

/* Writing a picture file whole or not at all: draw on the surface made for
 * tmp (a PNG is twice the size: scale by 2), then finish, which writes,
 * frees the surface and renames tmp to path (removing tmp on failure). */
cairo_surface_t *cw_picture_surface_new    (const char       *tmp,
                                            gboolean          svg,
                                            double            width,
                                            double            height);
gboolean         cw_picture_surface_finish (cairo_surface_t  *surface,
                                            gboolean          svg,
                                            const char       *tmp,
                                            const char       *path,
                                            GError          **error);

G_END_DECLS
