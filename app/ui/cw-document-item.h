/* cw-document-item.h: a row of the document list: a kind or a document. */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_DOCUMENT_ITEM (cw_document_item_get_type ())
G_DECLARE_FINAL_TYPE (CwDocumentItem, cw_document_item, CW, DOCUMENT_ITEM, GObject)

/* A kind's header; its documents are in cw_document_item_get_children(). */
CwDocumentItem       *cw_document_item_new_group    (CwDocumentKind        kind);
/* A document (info is copied). */
CwDocumentItem       *cw_document_item_new_document (const CwDocumentInfo *info);

gboolean              cw_document_item_is_group     (CwDocumentItem       *self);
CwDocumentKind        cw_document_item_get_kind     (CwDocumentItem       *self);
/* NULL for a group. */
const CwDocumentInfo *cw_document_item_get_info     (CwDocumentItem       *self);
/* 0 for a group. */
gint64                cw_document_item_get_id       (CwDocumentItem       *self);
/* A group's documents (CwDocumentItem); NULL for a document. */
GListStore           *cw_document_item_get_children (CwDocumentItem       *self);
/* The kind's plural heading, translated: "Focus groups". */
const char           *cw_document_item_kind_heading (CwDocumentKind        kind);

G_END_DECLS
