/* cw-agreement-dialog-private.h: what the tests reach inside the dialog. */
#pragma once

#include "cw-agreement-dialog.h"

G_BEGIN_DECLS

/* The per-code table's columns. */
typedef enum
{
  CW_AGREEMENT_COLUMN_CODE,
  CW_AGREEMENT_COLUMN_UNITS,
  CW_AGREEMENT_COLUMN_PERCENT,
  CW_AGREEMENT_COLUMN_UNANIMOUS,
  CW_AGREEMENT_COLUMN_KAPPA,
  CW_AGREEMENT_COLUMN_ALPHA,
  CW_AGREEMENT_COLUMN_U_ALPHA,
  CW_AGREEMENT_COLUMN_MATCHED,
  CW_AGREEMENT_COLUMN_UNMATCHED,
  CW_AGREEMENT_N_COLUMNS
} CwAgreementColumn;

/* TRUE while a computation is pending or runs, or an export runs. */
gboolean           _cw_agreement_dialog_is_busy        (CwAgreementDialog *self);
/* The last result shown, NULL when none. */
const CwAgreement *_cw_agreement_dialog_get_result     (CwAgreementDialog *self);
/* "empty", "running" or "table". */
const char        *_cw_agreement_dialog_get_page       (CwAgreementDialog *self);
AdwComboRow       *_cw_agreement_dialog_get_unit_row   (CwAgreementDialog *self);
GtkColumnView     *_cw_agreement_dialog_get_column_view (CwAgreementDialog *self);
GtkColumnViewColumn *_cw_agreement_dialog_get_column   (CwAgreementDialog *self,
                                                        CwAgreementColumn  column);
GtkWidget         *_cw_agreement_dialog_get_pairs_box  (CwAgreementDialog *self);
/* Checks or unchecks a coder; FALSE when there is no such coder. */
gboolean           _cw_agreement_dialog_set_coder      (CwAgreementDialog *self,
                                                        const char        *name,
                                                        gboolean           chosen);
/* The text of a cell of the per-code table (the overall row is the last),
 * as the table shows it; its tooltip in *tooltip (may be NULL). */
char              *_cw_agreement_dialog_get_cell_text  (CwAgreementDialog *self,
                                                        guint              row,
                                                        CwAgreementColumn  column,
                                                        char             **tooltip);
/* The CSS class for the level of a cell ("cw-good", ...), or NULL. */
const char        *_cw_agreement_dialog_get_cell_level (CwAgreementDialog *self,
                                                        guint              row,
                                                        CwAgreementColumn  column);
/* What the file chooser does with the file chosen: writes the table in a
 * worker (busy until done). */
void               _cw_agreement_dialog_export_to      (CwAgreementDialog *self,
                                                        GFile             *file);
/* The message of the last toast, NULL when none. */
const char        *_cw_agreement_dialog_get_last_toast (CwAgreementDialog *self);

G_END_DECLS
