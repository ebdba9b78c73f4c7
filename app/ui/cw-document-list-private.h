/* cw-document-list-private.h: what the tests reach inside the list. */
#pragma once

#include <adwaita.h>

#include "cw-document-list.h"

G_BEGIN_DECLS

/* What a right click (or Shift+F10) on the row at position does: opens
 * its menu. FALSE when the row has none (a kind's heading). */
gboolean          _cw_document_list_popup_menu        (CwDocumentList *self,
                                                       guint           position);
/* The last menu opened, and the popover showing it. */
GMenuModel       *_cw_document_list_get_menu_model    (CwDocumentList *self);
GtkPopover       *_cw_document_list_get_menu          (CwDocumentList *self);
/* The check boxes of the last "Add to Group" menu ("group-<id>"). */
GActionGroup     *_cw_document_list_get_group_actions (CwDocumentList *self);
/* The last group name dialog (new or rename), or NULL. */
AdwMessageDialog *_cw_document_list_get_dialog        (CwDocumentList *self);
/* TRUE while a long list is still being filled, a batch per frame. */
gboolean          _cw_document_list_is_filling        (CwDocumentList *self);

G_END_DECLS
