/* cw-document-item.h: a row of the document list: a kind, a document, the
 * "Groups" heading or a document group. */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

typedef enum
{
  CW_DOCUMENT_ITEM_DOCUMENT,
  CW_DOCUMENT_ITEM_KIND,   /* a kind's heading, with its documents */
  CW_DOCUMENT_ITEM_GROUPS, /* the "Groups" heading, with the groups */
  CW_DOCUMENT_ITEM_GROUP,  /* a document group, with its documents */
} CwDocumentItemType;

#define CW_TYPE_DOCUMENT_ITEM (cw_document_item_get_type ())
G_DECLARE_FINAL_TYPE (CwDocumentItem, cw_document_item, CW, DOCUMENT_ITEM, GObject)

/* A kind's header; its documents are in cw_document_item_get_children(). */
CwDocumentItem       *cw_document_item_new_group    (CwDocumentKind        kind);
/* A document (info is copied). */
CwDocumentItem       *cw_document_item_new_document (const CwDocumentInfo *info);
/* The heading over the document groups (its children). */
CwDocumentItem       *cw_document_item_new_groups_heading (void);
/* A document group; its documents are its children. */
CwDocumentItem       *cw_document_item_new_document_group (gint64      group_id,
                                                           const char *name);

CwDocumentItemType    cw_document_item_get_item_type (CwDocumentItem *self);
/* TRUE for a kind's header only. */
gboolean              cw_document_item_is_group     (CwDocumentItem       *self);
CwDocumentKind        cw_document_item_get_kind     (CwDocumentItem       *self);
/* NULL unless a document. */
const CwDocumentInfo *cw_document_item_get_info     (CwDocumentItem       *self);
/* The document's id; 0 for a heading or group. */
gint64                cw_document_item_get_id       (CwDocumentItem       *self);
/* A document group's id, 0 for anything else. */
gint64                cw_document_item_get_group_id (CwDocumentItem       *self);
/* What the row shows as its title. */
const char           *cw_document_item_get_name     (CwDocumentItem       *self);
/* The children (CwDocumentItem) of a heading or group; NULL for a document. */
GListStore           *cw_document_item_get_children (CwDocumentItem       *self);
/* Whether a document has memos (the row shows a mark); notifies. */
gboolean              cw_document_item_get_has_memo (CwDocumentItem       *self);
void                  cw_document_item_set_has_memo (CwDocumentItem       *self,
                                                     gboolean              has_memo);
/* The kind's plural heading, translated: "Focus groups". */
const char           *cw_document_item_kind_heading (CwDocumentKind        kind);

G_END_DECLS
