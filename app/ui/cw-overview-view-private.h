/* cw-overview-view-private.h: what the tests look at inside a
 * CwOverviewView. */
#pragma once

#include "cw-overview.h"
#include "cw-overview-view.h"

G_BEGIN_DECLS

/* The numbers drawn, NULL while none are computed. */
const CwOverview *_cw_overview_view_get_overview     (CwOverviewView *self);
/* Chooses the picture as the picture dropdown does. */
void              _cw_overview_view_set_picture      (CwOverviewView *self,
                                                      CwOverviewType  type);
/* Chooses the case variable by name; FALSE when there is none. */
gboolean          _cw_overview_view_select_variable  (CwOverviewView *self,
                                                      const char     *name);
/* Chooses the coder by name, NULL for every coder; FALSE when unknown. */
gboolean          _cw_overview_view_select_coder     (CwOverviewView *self,
                                                      const char     *name);
gboolean          _cw_overview_view_is_busy          (CwOverviewView *self);
GtkWidget        *_cw_overview_view_get_drawing_area (CwOverviewView *self);
/* The centre of a cell in the drawing area's coordinates. */
gboolean          _cw_overview_view_cell_center      (CwOverviewView *self,
                                                      guint           row,
                                                      guint           column,
                                                      double         *x,
                                                      double         *y);
/* The tooltip at (x, y) of the drawing area, NULL for none. */
char             *_cw_overview_view_tooltip_at       (CwOverviewView *self,
                                                      double          x,
                                                      double          y);
/* What a click at (x, y) of the drawing area does; FALSE: not on a cell. */
gboolean          _cw_overview_view_click_at         (CwOverviewView *self,
                                                      double          x,
                                                      double          y);
/* What the Export buttons do after their file dialog: PNG or SVG by the
 * file's suffix. */
gboolean          _cw_overview_view_export_to        (CwOverviewView *self,
                                                      GFile          *file,
                                                      GError        **error);
const char       *_cw_overview_view_get_last_message (CwOverviewView *self);

G_END_DECLS
