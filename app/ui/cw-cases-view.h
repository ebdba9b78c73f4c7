/* cw-cases-view.h: the cohort's cases and their variables, as a table. */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_CASES_VIEW (cw_cases_view_get_type ())
G_DECLARE_FINAL_TYPE (CwCasesView, cw_cases_view, CW, CASES_VIEW, GtkWidget)

CwCasesView *cw_cases_view_new         (void);
/* Shows project's cases (keeps a reference); NULL shows nothing. */
void         cw_cases_view_set_project (CwCasesView *self,
                                        CwProject   *project);

G_END_DECLS
