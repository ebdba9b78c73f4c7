/* cw-pseudonym-view-private.h: what the tests do inside a CwPseudonymView. */
#pragma once

#include "cw-pseudonym-propose-dialog.h"
#include "cw-pseudonym-view.h"

G_BEGIN_DECLS

/* The rows as shown (filtered, sorted): "real → pseudonym (category)". */
GStrv        _cw_pseudonym_view_get_rows          (CwPseudonymView *self);
/* "table", "empty" or "no-results". */
const char  *_cw_pseudonym_view_get_page          (CwPseudonymView *self);
GtkSearchEntry *_cw_pseudonym_view_get_search_entry (CwPseudonymView *self);
/* What the Add dialog does with what was typed (category may be NULL). */
gboolean     _cw_pseudonym_view_add               (CwPseudonymView *self,
                                                   const char      *real,
                                                   const char      *pseudonym,
                                                   const char      *category);
/* What the Edit dialog does for the row shown at position. */
gboolean     _cw_pseudonym_view_update            (CwPseudonymView *self,
                                                   guint            position,
                                                   const char      *real,
                                                   const char      *pseudonym,
                                                   const char      *category);
/* Selects the row shown at position. */
void         _cw_pseudonym_view_select            (CwPseudonymView *self,
                                                   guint            position);
/* The dialog that pseudonyms.add or pseudonyms.edit opened, or NULL. */
GtkWindow   *_cw_pseudonym_view_get_edit_dialog   (CwPseudonymView *self);
/* Fills in the open edit dialog and presses its button. */
void         _cw_pseudonym_view_fill_edit_dialog  (CwPseudonymView *self,
                                                   const char      *real,
                                                   const char      *pseudonym,
                                                   guint            category_index);
/* The dialog that pseudonyms.propose opened, or NULL. */
CwPseudonymProposeDialog *_cw_pseudonym_view_get_propose_dialog (CwPseudonymView *self);
const char  *_cw_pseudonym_view_get_last_message  (CwPseudonymView *self);

G_END_DECLS
