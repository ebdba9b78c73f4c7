/* cw-document-list.h: the project's documents, grouped by kind, and the
 * document groups. */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_DOCUMENT_LIST (cw_document_list_get_type ())
G_DECLARE_FINAL_TYPE (CwDocumentList, cw_document_list, CW, DOCUMENT_LIST, GtkWidget)

GtkWidget          *cw_document_list_new               (void);
/* The project whose groups and memos the list shows and edits, following
 * its ::changed (keeps a reference; NULL: none). Set_documents takes the
 * project of the CwWindow the list is in when it was not given one. */
void                cw_document_list_set_project       (CwDocumentList *self,
                                                        CwProject      *project);
/* documents: CwDocumentInfo, copied. Keeps the selection if the selected
 * document is still there. */
void                cw_document_list_set_documents     (CwDocumentList *self,
                                                        GPtrArray      *documents);
guint               cw_document_list_get_n_documents   (CwDocumentList *self);
/* Selects the document's row (expanding its kind) without emitting
 * ::document-selected. FALSE when there is no such document. */
gboolean            cw_document_list_select_document   (CwDocumentList *self,
                                                        gint64          id);
/* NULL when there is no such document. */
const CwDocumentInfo *cw_document_list_lookup          (CwDocumentList *self,
                                                        gint64          id);
/* The selection over the rows (GtkTreeListRow of CwDocumentItem). */
GtkSingleSelection *cw_document_list_get_selection     (CwDocumentList *self);

G_END_DECLS
