/* cw-autolink-dialog-private.h: what the tests reach inside the dialog. */
#pragma once

#include "cw-autolink-dialog.h"
#include "cw-cases.h"

G_BEGIN_DECLS

/* What to match: 0 the case ids, then the project's text variables. */
AdwComboRow      *_cw_autolink_dialog_get_match_row      (CwAutolinkDialog *self);
/* Selects the text variable called name; FALSE when it is not offered. */
gboolean          _cw_autolink_dialog_select_variable    (CwAutolinkDialog *self,
                                                          const char       *name);
guint             _cw_autolink_dialog_get_n_proposals    (CwAutolinkDialog *self);
const CwCaseLink *_cw_autolink_dialog_get_proposal       (CwAutolinkDialog *self,
                                                          guint             index);
/* The row's text as shown: "P01 · Sam", "→ interview · Sam". */
char             *_cw_autolink_dialog_get_row_text       (CwAutolinkDialog *self,
                                                          guint             index);
GtkCheckButton   *_cw_autolink_dialog_get_check          (CwAutolinkDialog *self,
                                                          guint             index);
GtkButton        *_cw_autolink_dialog_get_link_button    (CwAutolinkDialog *self);
GtkButton        *_cw_autolink_dialog_get_select_all     (CwAutolinkDialog *self);
GtkButton        *_cw_autolink_dialog_get_select_none    (CwAutolinkDialog *self);
/* "list" or "empty". */
const char       *_cw_autolink_dialog_get_page           (CwAutolinkDialog *self);
AdwStatusPage    *_cw_autolink_dialog_get_empty_page     (CwAutolinkDialog *self);
GtkLabel         *_cw_autolink_dialog_get_count_label    (CwAutolinkDialog *self);

G_END_DECLS
