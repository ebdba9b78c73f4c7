/* cw-document-list.c: the project's documents, grouped by kind.
 *
 * GTK 4.8 has no list sections: the kinds are the expandable top rows of a
 * GtkTreeListModel, the documents their children. GtkListView only builds
 * rows for what is on screen, so thousands of documents stay fast.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-document-item.h"
#include "cw-document-list.h"

struct _CwDocumentList
{
  GtkWidget           parent_instance;

  /* template */
  GtkListView        *list_view;

  /* owned */
  GListStore         *groups;    /* CwDocumentItem groups, in kind order */
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  GHashTable         *documents; /* id -> CwDocumentItem */
  gint64              selected_id;
  gboolean            updating;
};

enum {
  DOCUMENT_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwDocumentList, cw_document_list, GTK_TYPE_WIDGET)

/* The order of the headings. */
static const CwDocumentKind kind_order[] = {
  CW_DOCUMENT_KIND_ARENA,
  CW_DOCUMENT_KIND_FOCUS_GROUP,
  CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW,
  CW_DOCUMENT_KIND_INTERVIEW,
  CW_DOCUMENT_KIND_OTHER,
};

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  GListStore *children = cw_document_item_get_children (item);

  return children != NULL ? g_object_ref (G_LIST_MODEL (children)) : NULL;
}

static char *
format_details (const CwDocumentInfo *info)
{
  guint n_speakers = info->speakers != NULL ? g_strv_length (info->speakers) : 0;
  /* %' groups the digits as the locale does: "2.345" in Dutch. */
  g_autofree char *characters = g_strdup_printf ("%'" G_GINT64_FORMAT, info->characters);
  g_autofree char *size = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s character", "%s characters",
                                                        (gulong) MAX (info->characters, 0)),
                                           characters);
  g_autofree char *speakers = NULL;

  if (n_speakers == 0)
    return g_steal_pointer (&size);

  speakers = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u speaker", "%u speakers", n_speakers),
                              n_speakers);
  return g_strdup_printf ("%s · %s", speakers, size);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);
  GtkWidget *count = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), details);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), count);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);

  g_object_set_data (G_OBJECT (list_item), "title", title);
  g_object_set_data (G_OBJECT (list_item), "details", details);
  g_object_set_data (G_OBJECT (list_item), "count", count);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *row_widget = gtk_widget_get_parent (expander);
  GtkLabel *title = g_object_get_data (G_OBJECT (list_item), "title");
  GtkLabel *details = g_object_get_data (G_OBJECT (list_item), "details");
  GtkLabel *count = g_object_get_data (G_OBJECT (list_item), "count");
  CwDocumentItem *item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  /* Documents sit one step in from their kind, no further. */
  gtk_tree_expander_set_indent_for_icon (GTK_TREE_EXPANDER (expander), FALSE);

  if (cw_document_item_is_group (item))
    {
      g_autofree char *n = g_strdup_printf ("%u", g_list_model_get_n_items (G_LIST_MODEL (cw_document_item_get_children (item))));

      gtk_label_set_text (title, cw_document_item_kind_heading (cw_document_item_get_kind (item)));
      gtk_label_set_text (count, n);
      gtk_widget_set_visible (GTK_WIDGET (details), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (count), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (title), "heading");
      gtk_list_item_set_selectable (list_item, FALSE);
      if (row_widget != NULL)
        gtk_widget_add_css_class (row_widget, "cw-kind-row");
    }
  else
    {
      const CwDocumentInfo *info = cw_document_item_get_info (item);
      g_autofree char *text = format_details (info);

      gtk_label_set_text (title, info->name);
      gtk_label_set_text (details, text);
      gtk_widget_set_visible (GTK_WIDGET (details), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (count), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (title), "heading");
      gtk_list_item_set_selectable (list_item, TRUE);
      if (row_widget != NULL)
        gtk_widget_remove_css_class (row_widget, "cw-kind-row");
      gtk_widget_set_tooltip_text (expander, info->original_name);
    }

  g_object_unref (item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
  gtk_widget_set_tooltip_text (gtk_list_item_get_child (list_item), NULL);
}

static void
activate_cb (CwDocumentList *self,
             guint           position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  g_autoptr(CwDocumentItem) item = NULL;

  if (row == NULL)
    return;

  /* Enter or a double click on a kind folds it. */
  item = gtk_tree_list_row_get_item (row);
  if (cw_document_item_is_group (item))
    gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
}

static void
selection_changed_cb (CwDocumentList *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->selection);
  g_autoptr(CwDocumentItem) item = NULL;
  gint64 id;

  if (row == NULL)
    return;

  item = gtk_tree_list_row_get_item (row);
  id = cw_document_item_get_id (item);
  if (id == 0 || id == self->selected_id)
    return;

  self->selected_id = id;
  if (!self->updating)
    g_signal_emit (self, signals[DOCUMENT_SELECTED], 0, id);
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const CwDocumentInfo *info_a = cw_document_item_get_info ((CwDocumentItem *) a);
  const CwDocumentInfo *info_b = cw_document_item_get_info ((CwDocumentItem *) b);

  return g_utf8_collate (info_a->name, info_b->name);
}

void
cw_document_list_set_documents (CwDocumentList *self,
                                GPtrArray      *documents)
{
  g_autoptr(GListStore) groups = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  CwDocumentItem *by_kind[CW_N_DOCUMENT_KINDS] = { NULL };
  gint64 selected = self->selected_id;

  g_return_if_fail (CW_IS_DOCUMENT_LIST (self));

  g_hash_table_remove_all (self->documents);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);
      CwDocumentKind kind = info->kind < CW_N_DOCUMENT_KINDS ? info->kind : CW_DOCUMENT_KIND_OTHER;
      g_autoptr(CwDocumentItem) item = cw_document_item_new_document (info);

      if (by_kind[kind] == NULL)
        by_kind[kind] = cw_document_item_new_group (kind);
      g_list_store_append (cw_document_item_get_children (by_kind[kind]), item);
      g_hash_table_insert (self->documents, g_memdup2 (&info->id, sizeof info->id), g_object_ref (item));
    }

  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    {
      CwDocumentItem *group = by_kind[kind_order[i]];

      if (group == NULL)
        continue;
      g_list_store_sort (cw_document_item_get_children (group), compare_by_name, NULL);
      g_list_store_append (groups, group);
      g_object_unref (group);
    }

  self->updating = TRUE;
  self->selected_id = 0;
  g_list_store_splice (self->groups, 0, g_list_model_get_n_items (G_LIST_MODEL (self->groups)),
                       (gpointer *) NULL, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (groups)); i++)
    {
      g_autoptr(CwDocumentItem) group = g_list_model_get_item (G_LIST_MODEL (groups), i);

      g_list_store_append (self->groups, group);
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;

  if (selected != 0)
    cw_document_list_select_document (self, selected);
}

guint
cw_document_list_get_n_documents (CwDocumentList *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_LIST (self), 0);

  return g_hash_table_size (self->documents);
}

const CwDocumentInfo *
cw_document_list_lookup (CwDocumentList *self,
                         gint64          id)
{
  CwDocumentItem *item;

  g_return_val_if_fail (CW_IS_DOCUMENT_LIST (self), NULL);

  item = g_hash_table_lookup (self->documents, &id);
  return item != NULL ? cw_document_item_get_info (item) : NULL;
}

gboolean
cw_document_list_select_document (CwDocumentList *self,
                                  gint64          id)
{
  guint n;

  g_return_val_if_fail (CW_IS_DOCUMENT_LIST (self), FALSE);

  if (!g_hash_table_contains (self->documents, &id))
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), i);
      g_autoptr(CwDocumentItem) item = gtk_tree_list_row_get_item (row);

      if (!cw_document_item_is_group (item))
        continue;

      if (cw_document_item_get_kind (item) == cw_document_item_get_kind (g_hash_table_lookup (self->documents, &id)))
        {
          GListModel *children = G_LIST_MODEL (cw_document_item_get_children (item));
          guint n_children = g_list_model_get_n_items (children);

          gtk_tree_list_row_set_expanded (row, TRUE);
          for (guint j = 0; j < n_children; j++)
            {
              g_autoptr(CwDocumentItem) child = g_list_model_get_item (children, j);

              if (cw_document_item_get_id (child) == id)
                {
                  self->updating = TRUE;
                  gtk_single_selection_set_selected (self->selection, i + 1 + j);
                  self->updating = FALSE;
                  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item",
                                              "u", i + 1 + j);
                  return TRUE;
                }
            }
        }
    }

  return FALSE;
}

GtkSingleSelection *
cw_document_list_get_selection (CwDocumentList *self)
{
  g_return_val_if_fail (CW_IS_DOCUMENT_LIST (self), NULL);

  return self->selection;
}

static void
cw_document_list_dispose (GObject *object)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_DOCUMENT_LIST);
  /* The scrolled window is a child without an id: unparent it ourselves. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->groups);
  g_clear_pointer (&self->documents, g_hash_table_unref);

  G_OBJECT_CLASS (cw_document_list_parent_class)->dispose (object);
}

static void
cw_document_list_class_init (CwDocumentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_document_list_dispose;

  /**
   * CwDocumentList::document-selected:
   * @id: the document's id
   *
   * The user selected a document.
   */
  signals[DOCUMENT_SELECTED] =
    g_signal_new ("document-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-document-list.ui");
  gtk_widget_class_bind_template_child (widget_class, CwDocumentList, list_view);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-document-list");
}

static void
cw_document_list_init (CwDocumentList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->groups = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->groups)),
                                        FALSE, TRUE, create_child_model, NULL, NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
cw_document_list_new (void)
{
  return g_object_new (CW_TYPE_DOCUMENT_LIST, NULL);
}
