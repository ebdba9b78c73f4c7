/* cw-pseudonym-propose-dialog.h: names found in the project that may need
 * a pseudonym, for the researcher to check, adjust and add. */
#pragma once

#include <adwaita.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_PSEUDONYM_PROPOSE_DIALOG (cw_pseudonym_propose_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwPseudonymProposeDialog, cw_pseudonym_propose_dialog, CW, PSEUDONYM_PROPOSE_DIALOG, AdwWindow)

/* Starts looking at once (in a worker, on its own connection). Signals:
 * "added" (guint n) once the checked candidates are in the table,
 * "message" (string) when looking or adding failed. */
CwPseudonymProposeDialog *cw_pseudonym_propose_dialog_new (GtkWindow *parent,
                                                           CwProject *project);

/* For the tests. */
gboolean    _cw_pseudonym_propose_dialog_is_busy         (CwPseudonymProposeDialog *self);
guint       _cw_pseudonym_propose_dialog_get_n_candidates (CwPseudonymProposeDialog *self);
/* The real string of candidate i, NULL out of range. */
const char *_cw_pseudonym_propose_dialog_get_real        (CwPseudonymProposeDialog *self,
                                                          guint                     i);
void        _cw_pseudonym_propose_dialog_set_checked     (CwPseudonymProposeDialog *self,
                                                          guint                     i,
                                                          gboolean                  checked);
void        _cw_pseudonym_propose_dialog_set_pseudonym   (CwPseudonymProposeDialog *self,
                                                          guint                     i,
                                                          const char               *pseudonym);
/* The Add button's label, and pressing it. */
const char *_cw_pseudonym_propose_dialog_get_add_label   (CwPseudonymProposeDialog *self);
void        _cw_pseudonym_propose_dialog_add             (CwPseudonymProposeDialog *self);

G_END_DECLS
