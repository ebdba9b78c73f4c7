/* cw-cases-view-private.h: what the tests look at inside a CwCasesView. */
#pragma once

#include "cw-autolink-dialog.h"
#include "cw-cases-view.h"

G_BEGIN_DECLS

GtkColumnView *_cw_cases_view_get_column_view (CwCasesView *self);
/* The rows as shown (sorted): the case identifiers, in order. */
GStrv          _cw_cases_view_get_identifiers (CwCasesView *self);
/* The text of a cell as shown: column 0 is the id, then the variables,
 * then "Linked to". NULL out of range. */
char          *_cw_cases_view_get_cell_text   (CwCasesView *self,
                                               guint        row,
                                               guint        column);
/* What editing a variable's cell (variable 0 is the first variable) does
 * with the text typed: stores it, or refuses it with a message. */
gboolean       _cw_cases_view_commit_text     (CwCasesView *self,
                                               guint        row,
                                               guint        variable,
                                               const char  *text);
/* "cases" or "empty". */
const char    *_cw_cases_view_get_page        (CwCasesView *self);
const char    *_cw_cases_view_get_count_text  (CwCasesView *self);
const char    *_cw_cases_view_get_last_message (CwCasesView *self);
/* What the import file chooser does with the file chosen (in a worker). */
void           _cw_cases_view_import_file     (CwCasesView *self,
                                               GFile       *file);
gboolean       _cw_cases_view_is_busy         (CwCasesView *self);
/* The dialog "Link Automatically…" opened (cases.autolink), NULL when
 * none is open. */
CwAutolinkDialog *_cw_cases_view_get_autolink_dialog (CwCasesView *self);

G_END_DECLS
