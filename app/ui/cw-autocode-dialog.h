/* cw-autocode-dialog.h: autocoding from the window: every turn of a
 * speaker, or every search hit (the words, their sentence or their turn),
 * with one code, in this document or in all of them.
 *
 * The edit runs in a worker thread on its own connection to the project
 * file, as one undo step; Cancel rolls it back.
 *
 * Signal "autocoded" (gint64 n_added, const char *code_name): the edit
 * committed n_added codings (n_added > 0) and the dialog closed. The
 * project object given to the dialog did not make the edit, so it did not
 * emit ::changed: whoever shows the project refreshes on this signal.
 */
#pragma once

#include <adwaita.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_AUTOCODE_DIALOG (cw_autocode_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwAutocodeDialog, cw_autocode_dialog, CW, AUTOCODE_DIALOG, AdwWindow)

/* A modal dialog over parent for project (kept as a reference). document_id
 * is the document shown (0: none), the one "This document" means. */
CwAutocodeDialog *cw_autocode_dialog_new         (GtkWindow        *parent,
                                                  CwProject        *project,
                                                  gint64            document_id);
/* Chooses the code; FALSE (and no code chosen) when it is a category or
 * there is no such code. */
gboolean          cw_autocode_dialog_set_code    (CwAutocodeDialog *self,
                                                  gint64            code_id);
/* The chosen code's id, 0 when none. */
gint64            cw_autocode_dialog_get_code    (CwAutocodeDialog *self);
/* Switches to search hits with text as the query: a phrase when it has
 * several words. */
void              cw_autocode_dialog_set_search_text (CwAutocodeDialog *self,
                                                      const char       *text);

G_END_DECLS
