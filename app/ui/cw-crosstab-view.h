/* cw-crosstab-view.h: codes against the values of one case variable, as a
 * heatmap. */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_CROSSTAB_VIEW (cw_crosstab_view_get_type ())
G_DECLARE_FINAL_TYPE (CwCrosstabView, cw_crosstab_view, CW, CROSSTAB_VIEW, GtkWidget)

CwCrosstabView *cw_crosstab_view_new         (void);
/* Shows project's variables (keeps a reference); NULL shows nothing. */
void            cw_crosstab_view_set_project (CwCrosstabView *self,
                                              CwProject      *project);

G_END_DECLS
