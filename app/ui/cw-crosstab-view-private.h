/* cw-crosstab-view-private.h: what the tests look at inside a
 * CwCrosstabView. */
#pragma once

#include "cw-cases.h"
#include "cw-crosstab-view.h"

G_BEGIN_DECLS

/* The table drawn, NULL while none is computed. */
const CwCrosstab *_cw_crosstab_view_get_crosstab      (CwCrosstabView *self);
/* Chooses the variable by name; FALSE when there is none of that name. */
gboolean          _cw_crosstab_view_select_variable   (CwCrosstabView *self,
                                                       const char     *name);
/* TRUE: cells count cases; FALSE: codings. */
void              _cw_crosstab_view_set_count_cases   (CwCrosstabView *self,
                                                       gboolean        cases);
gboolean          _cw_crosstab_view_is_busy           (CwCrosstabView *self);
GtkWidget        *_cw_crosstab_view_get_drawing_area  (CwCrosstabView *self);
/* The tooltip of the cell at (row, column) of the table. */
char             *_cw_crosstab_view_describe_cell     (CwCrosstabView *self,
                                                       guint           row,
                                                       guint           column);
/* What the Export buttons do after their file dialog: PNG or SVG by the
 * file's suffix. */
gboolean          _cw_crosstab_view_export_to         (CwCrosstabView *self,
                                                       GFile          *file,
                                                       GError        **error);
const char       *_cw_crosstab_view_get_last_message  (CwCrosstabView *self);

G_END_DECLS
