/* cw-overview-view.h: the coding at a glance — the code map (documents x
 * codes), code frequencies per document kind or per value of a case
 * variable, and the co-occurrence of codes; each exportable as PNG/SVG.
 *
 * Signals:
 *   "message" (const char *text): an export finished or failed; the window
 *     shows it as a toast.
 *   "cell-activated" (gint64 document_id, gint64 code_id, gint64
 *     other_code_id): the user clicked a cell to read its segments: a
 *     document (0: any) and a code, and for a co-occurrence cell the second
 *     code (0: none). */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_OVERVIEW_VIEW (cw_overview_view_get_type ())
G_DECLARE_FINAL_TYPE (CwOverviewView, cw_overview_view, CW, OVERVIEW_VIEW, GtkWidget)

CwOverviewView *cw_overview_view_new         (void);
/* Shows project's pictures (keeps a reference); NULL shows nothing. */
void            cw_overview_view_set_project (CwOverviewView *self,
                                              CwProject      *project);

G_END_DECLS
