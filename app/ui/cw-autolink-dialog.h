/* cw-autolink-dialog.h: linking cases to their documents and speakers in
 * one go: the case ids, or the values of a text variable (a name), are
 * matched to speaker and document names, and the user confirms each
 * proposal before anything is linked.
 *
 * Signal "linked" (int n_added): the links were added as one undo step
 * (n_added > 0) and the dialog closed. The project emitted ::changed.
 */
#pragma once

#include <adwaita.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_AUTOLINK_DIALOG (cw_autolink_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwAutolinkDialog, cw_autolink_dialog, CW, AUTOLINK_DIALOG, AdwWindow)

/* A modal dialog over parent for project (kept as a reference), matching
 * the case ids first. */
CwAutolinkDialog *cw_autolink_dialog_new (GtkWindow *parent,
                                          CwProject *project);

G_END_DECLS
