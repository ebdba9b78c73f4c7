/* cw-agreement-dialog.h: inter-coder agreement in the window (issue 7):
 * choose coders, unit, overlap, codes and documents; see the per-code
 * table colour-coded by the usual thresholds; export it as CSV; go on to
 * review the disagreements.
 *
 * The statistics are computed in a worker on its own connection to the
 * project file, again after every change of the form (a newer request
 * cancels the older one).
 *
 * Signal "review-requested": the user asked to review the disagreements
 * of the coders, codes and documents chosen (read them with
 * cw_agreement_dialog_get_options and cw_agreement_dialog_get_consensus).
 */
#pragma once

#include <adwaita.h>

#include "cw-agreement.h"

G_BEGIN_DECLS

#define CW_TYPE_AGREEMENT_DIALOG (cw_agreement_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwAgreementDialog, cw_agreement_dialog, CW, AGREEMENT_DIALOG, AdwWindow)

/* A dialog over parent for project (kept as a reference); the first two
 * coders (other than the consensus coder) are chosen. */
CwAgreementDialog  *cw_agreement_dialog_new           (GtkWindow         *parent,
                                                       CwProject         *project);
/* The comparison the form describes; NULL while fewer than two coders, no
 * code or no document is chosen. Free with cw_agreement_options_free. */
CwAgreementOptions *cw_agreement_dialog_get_options   (CwAgreementDialog *self);
/* The consensus coder's name as typed (trimmed), or the default. Free
 * with g_free. */
char               *cw_agreement_dialog_get_consensus (CwAgreementDialog *self);

/* A deep copy, for handing options to a worker. */
CwAgreementOptions *cw_agreement_options_copy         (const CwAgreementOptions *options);

/* Loads the agreement and review style sheet once per display. */
void                cw_agreement_style_ensure         (void);

G_END_DECLS
