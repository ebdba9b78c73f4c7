/* cw-document-item.c: a row of the document list: a kind or a document. */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-document-item.h"

struct _CwDocumentItem
{
  GObject         parent_instance;

  CwDocumentKind  kind;
  CwDocumentInfo *info;     /* documents only */
  GListStore     *children; /* groups only */
};

G_DEFINE_FINAL_TYPE (CwDocumentItem, cw_document_item, G_TYPE_OBJECT)

const char *
cw_document_item_kind_heading (CwDocumentKind kind)
{
  switch (kind)
    {
    case CW_DOCUMENT_KIND_ARENA:
      return _("Arena conversations");
    case CW_DOCUMENT_KIND_FOCUS_GROUP:
      return _("Focus groups");
    case CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW:
      return _("Employer interviews");
    case CW_DOCUMENT_KIND_INTERVIEW:
      return _("Interviews");
    case CW_DOCUMENT_KIND_OTHER:
    case CW_N_DOCUMENT_KINDS:
    default:
      return _("Other");
    }
}

static void
cw_document_item_finalize (GObject *object)
{
  CwDocumentItem *self = CW_DOCUMENT_ITEM (object);

  g_clear_pointer (&self->info, cw_document_info_free);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (cw_document_item_parent_class)->finalize (object);
}

static void
cw_document_item_class_init (CwDocumentItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_document_item_finalize;
}

static void
cw_document_item_init (CwDocumentItem *self)
{
}

CwDocumentItem *
cw_document_item_new_group (CwDocumentKind kind)
{
  CwDocumentItem *self = g_object_new (CW_TYPE_DOCUMENT_ITEM, NULL);

  self->kind = kind;
  self->children = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  return self;
}

CwDocumentItem *
cw_document_item_new_document (const CwDocumentInfo *info)
{
  CwDocumentItem *self;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (CW_TYPE_DOCUMENT_ITEM, NULL);
  self->kind = info->kind;
  self->info = cw_document_info_copy (info);
  return self;
}

gboolean
cw_document_item_is_group (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), FALSE);

  return self->children != NULL;
}

CwDocumentKind
cw_document_item_get_kind (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), CW_DOCUMENT_KIND_OTHER);

  return self->kind;
}

const CwDocumentInfo *
cw_document_item_get_info (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), NULL);

  return self->info;
}

gint64
cw_document_item_get_id (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), 0);

  return self->info != NULL ? self->info->id : 0;
}

GListStore *
cw_document_item_get_children (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), NULL);

  return self->children;
}
