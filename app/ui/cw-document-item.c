/* cw-document-item.c: a row of the document list: a kind, a document, the
 * "Groups" heading or a document group. */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-document-item.h"

struct _CwDocumentItem
{
  GObject             parent_instance;

  CwDocumentItemType  type;
  CwDocumentKind      kind;
  CwDocumentInfo     *info;     /* documents only */
  GListStore         *children; /* headings and groups */
  gint64              group_id; /* groups only */
  char               *name;     /* groups only */
  gboolean            has_memo;
};

enum {
  PROP_0,
  PROP_HAS_MEMO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
cw_document_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CwDocumentItem *self = CW_DOCUMENT_ITEM (object);

  switch (prop_id)
    {
    case PROP_HAS_MEMO:
      g_value_set_boolean (value, self->has_memo);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_document_item_finalize (GObject *object)
{
  CwDocumentItem *self = CW_DOCUMENT_ITEM (object);

  g_clear_pointer (&self->info, cw_document_info_free);
  g_clear_object (&self->children);
  g_free (self->name);

  G_OBJECT_CLASS (cw_document_item_parent_class)->finalize (object);
}

static void
cw_document_item_class_init (CwDocumentItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_document_item_finalize;
  object_class->get_property = cw_document_item_get_property;

  properties[PROP_HAS_MEMO] =
    g_param_spec_boolean ("has-memo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cw_document_item_init (CwDocumentItem *self)
{
}

CwDocumentItem *
cw_document_item_new_group (CwDocumentKind kind)
{
  CwDocumentItem *self = g_object_new (CW_TYPE_DOCUMENT_ITEM, NULL);

  self->type = CW_DOCUMENT_ITEM_KIND;
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
  self->type = CW_DOCUMENT_ITEM_DOCUMENT;
  self->kind = info->kind;
  self->info = cw_document_info_copy (info);
  return self;
}

CwDocumentItem *
cw_document_item_new_groups_heading (void)
{
  CwDocumentItem *self = g_object_new (CW_TYPE_DOCUMENT_ITEM, NULL);

  self->type = CW_DOCUMENT_ITEM_GROUPS;
  self->kind = CW_DOCUMENT_KIND_OTHER;
  self->children = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  return self;
}

CwDocumentItem *
cw_document_item_new_document_group (gint64      group_id,
                                     const char *name)
{
  CwDocumentItem *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (CW_TYPE_DOCUMENT_ITEM, NULL);
  self->type = CW_DOCUMENT_ITEM_GROUP;
  self->kind = CW_DOCUMENT_KIND_OTHER;
  self->group_id = group_id;
  self->name = g_strdup (name);
  self->children = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  return self;
}

CwDocumentItemType
cw_document_item_get_item_type (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), CW_DOCUMENT_ITEM_DOCUMENT);

  return self->type;
}

gboolean
cw_document_item_is_group (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), FALSE);

  return self->type == CW_DOCUMENT_ITEM_KIND;
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

gint64
cw_document_item_get_group_id (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), 0);

  return self->group_id;
}

const char *
cw_document_item_get_name (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), NULL);

  switch (self->type)
    {
    case CW_DOCUMENT_ITEM_DOCUMENT:
      return self->info->name;
    case CW_DOCUMENT_ITEM_KIND:
      return cw_document_item_kind_heading (self->kind);
    case CW_DOCUMENT_ITEM_GROUPS:
      return _("Groups");
    case CW_DOCUMENT_ITEM_GROUP:
    default:
      return self->name;
    }
}

GListStore *
cw_document_item_get_children (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), NULL);

  return self->children;
}

gboolean
cw_document_item_get_has_memo (CwDocumentItem *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_ITEM (self), FALSE);

  return self->has_memo;
}

void
cw_document_item_set_has_memo (CwDocumentItem *self,
                               gboolean        has_memo)
{
  g_return_if_fail (CW_IS_DOCUMENT_ITEM (self));

  has_memo = !!has_memo;
  if (self->has_memo == has_memo)
    return;
  self->has_memo = has_memo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MEMO]);
}
