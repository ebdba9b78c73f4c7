/* cw-merge-review-dialog.h: what a merge of other coders' copies did,
 * shown when it found conflicts or warnings.
 *
 * A summary (documents, codes and codings added and skipped), the
 * conflicts grouped by kind, and what a .qdpx import repaired or left out.
 * Nothing in it changes the project: "Keep Merge" closes it, "Undo Merge"
 * asks the window to undo the merge.
 *
 * Signal "undo-merge" (no arguments): the user chose Undo Merge; the
 * dialog closes after it.
 */
#pragma once

#include <adwaita.h>

#include "cw-merge.h"

G_BEGIN_DECLS

#define CW_TYPE_MERGE_REVIEW_DIALOG (cw_merge_review_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwMergeReviewDialog, cw_merge_review_dialog, CW, MERGE_REVIEW_DIALOG, AdwWindow)

/* A modal dialog over parent showing result (read here, not kept). */
CwMergeReviewDialog *cw_merge_review_dialog_new (GtkWindow           *parent,
                                                 const CwMergeResult *result);

/* The report as plain text, as "Copy Report" puts it on the clipboard. */
const char          *cw_merge_review_dialog_get_report (CwMergeReviewDialog *self);

G_END_DECLS
