/* cw-history.h: undo and redo for every edit of the codebook, codings,
 * memos and groups, kept in the project file itself, so the window, the
 * command line and the tests share one history and it survives a crash.
 *
 * Triggers record, for each changed row, the SQL that reverses the change;
 * an edit's rows form one step. Undo runs a step's SQL backwards, and what
 * that records becomes the redo step. */
#pragma once

#include "cw-project.h"

G_BEGIN_DECLS

gboolean  cw_project_can_undo        (CwProject  *self);
gboolean  cw_project_can_redo        (CwProject  *self);
/* The label of the step undo/redo would act on ("Add code “Stage”"), or
 * NULL. Free with g_free. */
char     *cw_project_get_undo_label  (CwProject  *self);
char     *cw_project_get_redo_label  (CwProject  *self);
gboolean  cw_project_undo            (CwProject  *self,
                                      GError    **error);
gboolean  cw_project_redo            (CwProject  *self,
                                      GError    **error);

G_END_DECLS
