/* cw-document-list.c: the project's documents, grouped by kind, and the
 * document groups.
 *
 * GTK 4.8 has no list sections: the kinds are the expandable top rows of a
 * GtkTreeListModel, the documents their children. After the kinds comes a
 * "Groups" heading with one expandable row per document group, its
 * documents under it (a document in several groups is listed under each).
 * GtkListView only builds rows for what is on screen, so thousands of
 * documents stay fast.
 *
 * The list follows its project's ::changed: a changed set of groups
 * rebuilds only the groups' section (the kinds keep their rows and the
 * scroll position), and the documents' memo marks are updated in place.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "cw-coding.h"
#include "cw-document-item.h"
#include "cw-document-list-private.h"
#include "cw-list-filler.h"
#include "cw-memo-editor.h"
#include "cw-window.h"

struct _CwDocumentList
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *scroller;
  GtkListView        *list_view;

  /* owned */
  CwProject          *project;
  GListStore         *roots;     /* CwDocumentItem: the kinds, in kind order, then "Groups" */
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  GHashTable         *documents; /* id -> CwDocumentItem */
  GPtrArray          *doc_groups; /* CwDocumentGroup, as last read */
  char               *groups_signature;
  GHashTable         *collapsed; /* ids of the groups the user folded */
  gboolean            groups_folded;
  GtkWidget          *menu;      /* GtkPopoverMenu */
  GMenuModel         *menu_model;
  GSimpleActionGroup *group_actions; /* the menu's group check boxes */
  AdwMessageDialog   *dialog;    /* weak */
  gint64              selected_id;
  gboolean            updating;
  /* Documents not yet under their kind, in the list's order: GtkListView
   * builds a row for each new item near the top (about 200), 0.5 ms
   * apiece, and measures and draws it in the next frame, so a long list
   * goes in a batch per frame, each as large as the last frame's cost per
   * document lets it be within a budget (CwFrameBudget, as CwListFiller). */
  GPtrArray          *pending;   /* CwDocumentItem */
  guint               n_added;   /* of pending */
  guint               fill_id;   /* tick callback, while on screen */
  guint               fill_idle; /* idle source, while not: no frames then */
  CwFrameBudget       budget;    /* on screen; batch 0: until a frame has shown what one costs */
};

/* The first documents shown at once on screen (what a project opens on),
 * and a batch off screen, where an idle turn takes it. */
#define FIRST_BATCH 8
#define IDLE_BATCH 40

enum {
  DOCUMENT_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwDocumentList, cw_document_list, GTK_TYPE_WIDGET)

static void refresh_annotations (CwDocumentList *self);

/* The order of the headings. */
static const CwDocumentKind kind_order[] = {
  CW_DOCUMENT_KIND_ARENA,
  CW_DOCUMENT_KIND_FOCUS_GROUP,
  CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW,
  CW_DOCUMENT_KIND_INTERVIEW,
  CW_DOCUMENT_KIND_OTHER,
};

static void
show_error (CwDocumentList *self,
            const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CW_IS_WINDOW (root))
    cw_window_show_error (CW_WINDOW (root), error->message);
  else
    g_warning ("%s", error->message);
}

static void
show_toast (CwDocumentList *self,
            const char     *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CW_IS_WINDOW (root))
    cw_window_show_toast (CW_WINDOW (root), message);
}

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

/* Rows */

static void popup_menu_at (CwDocumentList *self,
                           GtkTreeListRow *row,
                           GtkWidget      *widget,
                           double          x,
                           double          y);

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkListItem     *list_item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  CwDocumentList *self = CW_DOCUMENT_LIST (gtk_widget_get_ancestor (widget, CW_TYPE_DOCUMENT_LIST));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (self == NULL || gtk_list_item_get_item (list_item) == NULL)
    return;
  if (button != GDK_BUTTON_SECONDARY && (event == NULL || !gdk_event_triggers_context_menu (event)))
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, gtk_list_item_get_item (list_item), widget, x, y);
}

static void
row_long_pressed_cb (GtkGestureLongPress *gesture,
                     double               x,
                     double               y,
                     GtkListItem         *list_item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  CwDocumentList *self = CW_DOCUMENT_LIST (gtk_widget_get_ancestor (widget, CW_TYPE_DOCUMENT_LIST));

  if (self == NULL || gtk_list_item_get_item (list_item) == NULL)
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu_at (self, gtk_list_item_get_item (list_item), widget, x, y);
}

/* Tooltips asked for only when the pointer rests on a row: setting a
 * tooltip text costs GTK a round trip to the display server, and a list of
 * 2,000 documents creates and binds its rows in a burst. */
static gboolean
memo_query_tooltip_cb (GtkWidget  *memo,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  gtk_tooltip_set_text (tooltip, _("Has memos"));
  return TRUE;
}

static gboolean
row_query_tooltip_cb (GtkWidget   *expander,
                      int          x,
                      int          y,
                      gboolean     keyboard,
                      GtkTooltip  *tooltip,
                      GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr(CwDocumentItem) item = NULL;
  const CwDocumentInfo *info;

  if (row == NULL)
    return FALSE;
  item = gtk_tree_list_row_get_item (row);
  if (cw_document_item_get_item_type (item) != CW_DOCUMENT_ITEM_DOCUMENT)
    return FALSE;
  info = cw_document_item_get_info (item);
  if (info == NULL || info->original_name == NULL || info->original_name[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, info->original_name);
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name ("folder-symbolic");
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);
  GtkWidget *memo = gtk_image_new_from_icon_name ("document-edit-symbolic");
  GtkWidget *count = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "caption");
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_add_css_class (memo, "dim-label");
  gtk_widget_set_has_tooltip (memo, TRUE);
  g_signal_connect (memo, "query-tooltip", G_CALLBACK (memo_query_tooltip_cb), NULL);
  gtk_widget_set_hexpand (labels, TRUE);
  /* Level with the expander's arrow when a heading has no details line. */
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (memo, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (icon, FALSE);
  gtk_widget_set_visible (memo, FALSE);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), details);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), memo);
  gtk_box_append (GTK_BOX (box), count);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);

  /* Right click or long press: the row's menu. */
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (click));
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect (long_press, "pressed", G_CALLBACK (row_long_pressed_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (long_press));

  g_object_set_data (G_OBJECT (expander), "cw-list-item", list_item);
  gtk_widget_set_has_tooltip (expander, TRUE);
  g_signal_connect (expander, "query-tooltip", G_CALLBACK (row_query_tooltip_cb), list_item);
  g_object_set_data (G_OBJECT (list_item), "title", title);
  g_object_set_data (G_OBJECT (list_item), "details", details);
  g_object_set_data (G_OBJECT (list_item), "count", count);
  g_object_set_data (G_OBJECT (list_item), "icon", icon);
  g_object_set_data (G_OBJECT (list_item), "memo", memo);
}

static void
has_memo_cb (CwDocumentItem *item,
             GParamSpec     *pspec,
             GtkWidget      *memo)
{
  gtk_widget_set_visible (memo, cw_document_item_get_has_memo (item));
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
  GtkWidget *icon = g_object_get_data (G_OBJECT (list_item), "icon");
  GtkWidget *memo = g_object_get_data (G_OBJECT (list_item), "memo");
  CwDocumentItem *item = gtk_tree_list_row_get_item (row);
  CwDocumentItemType type = cw_document_item_get_item_type (item);
  gboolean heading = type == CW_DOCUMENT_ITEM_KIND || type == CW_DOCUMENT_ITEM_GROUPS;

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  /* Documents sit one step in from their kind, no further. */
  gtk_tree_expander_set_indent_for_icon (GTK_TREE_EXPANDER (expander), FALSE);

  gtk_label_set_text (title, cw_document_item_get_name (item));
  gtk_widget_set_visible (icon, type == CW_DOCUMENT_ITEM_GROUP);
  if (heading)
    gtk_widget_add_css_class (GTK_WIDGET (title), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (title), "heading");
  if (row_widget != NULL)
    {
      if (heading)
        gtk_widget_add_css_class (row_widget, "cw-kind-row");
      else
        gtk_widget_remove_css_class (row_widget, "cw-kind-row");
    }

  if (type != CW_DOCUMENT_ITEM_DOCUMENT)
    {
      /* A kind's documents may still be arriving: its count is known. */
      guint total = type == CW_DOCUMENT_ITEM_KIND
                      ? GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), "cw-total"))
                      : g_list_model_get_n_items (G_LIST_MODEL (cw_document_item_get_children (item)));
      g_autofree char *n = g_strdup_printf ("%u", total);

      gtk_label_set_text (count, n);
      gtk_widget_set_visible (GTK_WIDGET (details), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (count), TRUE);
      gtk_widget_set_visible (memo, FALSE);
      gtk_list_item_set_selectable (list_item, FALSE);
    }
  else
    {
      const CwDocumentInfo *info = cw_document_item_get_info (item);
      g_autofree char *text = format_details (info);
      gulong handler;

      gtk_label_set_text (details, text);
      gtk_widget_set_visible (GTK_WIDGET (details), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (count), FALSE);
      gtk_list_item_set_selectable (list_item, TRUE);

      gtk_widget_set_visible (memo, cw_document_item_get_has_memo (item));
      handler = g_signal_connect_object (item, "notify::has-memo", G_CALLBACK (has_memo_cb), memo, 0);
      g_object_set_data_full (G_OBJECT (list_item), "bound-item", g_object_ref (item), g_object_unref);
      g_object_set_data (G_OBJECT (list_item), "memo-handler", GSIZE_TO_POINTER (handler));
    }

  g_object_unref (item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  CwDocumentItem *item = g_object_get_data (G_OBJECT (list_item), "bound-item");
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "memo-handler"));

  /* Connected with the mark as its object: gone already if it was. */
  if (item != NULL && handler != 0 && g_signal_handler_is_connected (item, handler))
    g_signal_handler_disconnect (item, handler);
  g_object_set_data (G_OBJECT (list_item), "memo-handler", NULL);
  g_object_set_data (G_OBJECT (list_item), "bound-item", NULL);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
}

static void
activate_cb (CwDocumentList *self,
             guint           position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  g_autoptr(CwDocumentItem) item = NULL;

  if (row == NULL)
    return;

  /* Enter or a double click on a heading or group folds it. */
  item = gtk_tree_list_row_get_item (row);
  if (cw_document_item_get_item_type (item) != CW_DOCUMENT_ITEM_DOCUMENT)
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

typedef struct
{
  char           *key;
  CwDocumentItem *item;
} SortEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (((const SortEntry *) a)->key, ((const SortEntry *) b)->key);
}

/* Sorts items in place in the order of g_utf8_collate() on their names,
 * each name's collation key made once, not twice per comparison (2,000
 * documents made g_utf8_collate() a visible part of opening a project). */
static void
sort_by_name (GPtrArray *items)
{
  g_autofree SortEntry *entries = g_new (SortEntry, MAX (items->len, 1));

  for (guint i = 0; i < items->len; i++)
    {
      entries[i].item = g_ptr_array_index (items, i);
      entries[i].key = g_utf8_collate_key (cw_document_item_get_info (entries[i].item)->name, -1);
    }
  qsort (entries, items->len, sizeof *entries, compare_entries);
  for (guint i = 0; i < items->len; i++)
    {
      items->pdata[i] = entries[i].item;
      g_free (entries[i].key);
    }
}

static void
append_sorted_by_name (GListStore *store,
                       GPtrArray  *items)
{
  sort_by_name (items);
  g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0, items->pdata, items->len);
}

/* Adds pending documents under their kinds up to the count'th, a run of
 * one kind in one splice. */
static void
fill_to (CwDocumentList *self,
         guint           count)
{
  count = MIN (count, self->pending != NULL ? self->pending->len : 0);
  self->updating = TRUE;
  while (self->n_added < count)
    {
      CwDocumentItem *first = g_ptr_array_index (self->pending, self->n_added);
      CwDocumentItem *kind = g_object_get_data (G_OBJECT (first), "cw-kind");
      GListStore *store = cw_document_item_get_children (kind);
      guint end = self->n_added + 1;

      while (end < count && g_object_get_data (g_ptr_array_index (self->pending, end), "cw-kind") == kind)
        end++;
      g_list_store_splice (store, g_list_model_get_n_items (G_LIST_MODEL (store)), 0,
                           self->pending->pdata + self->n_added, end - self->n_added);
      self->n_added = end;
    }
  self->updating = FALSE;
  if (self->pending != NULL && self->n_added == self->pending->len)
    g_clear_pointer (&self->pending, g_ptr_array_unref);
}

static void
stop_filling (CwDocumentList *self)
{
  if (self->fill_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fill_id);
  self->fill_id = 0;
  g_clear_handle_id (&self->fill_idle, g_source_remove);
  cw_frame_budget_watch (&self->budget, NULL);
}

static gboolean
fill_tick_cb (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       data)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);

  cw_frame_budget_watch (&self->budget, clock);
  /* Nothing until a frame has measured what a document costs. */
  if (self->budget.batch == 0)
    return G_SOURCE_CONTINUE;
  cw_frame_budget_add (&self->budget, self->budget.batch);
  fill_to (self, self->n_added + self->budget.batch);
  if (self->pending != NULL)
    return G_SOURCE_CONTINUE;
  self->fill_id = 0;
  cw_frame_budget_watch (&self->budget, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
fill_idle_cb (gpointer data)
{
  CwDocumentList *self = data;

  fill_to (self, self->n_added + IDLE_BATCH);
  if (self->pending != NULL)
    return G_SOURCE_CONTINUE;
  self->fill_idle = 0;
  return G_SOURCE_REMOVE;
}

/* The rest of pending, a batch per frame on screen; off screen (another
 * page shown) there are no frames, so a batch per idle turn, after
 * anything more urgent: the model is complete either way. */
static void
start_filling (CwDocumentList *self)
{
  stop_filling (self);
  if (self->pending == NULL)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      /* Back on screen: a first batch to measure by. */
      if (self->budget.batch == 0 && self->budget.added == 0)
        self->budget.batch = FIRST_BATCH;
      cw_frame_budget_watch (&self->budget, gtk_widget_get_frame_clock (GTK_WIDGET (self)));
      self->fill_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fill_tick_cb, NULL, NULL);
    }
  else
    self->fill_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, fill_idle_cb, self, NULL);
}

/* The top row holding the groups, or NULL. */
static GtkTreeListRow *
groups_heading_row (CwDocumentList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->roots));
  g_autoptr(CwDocumentItem) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->roots), n - 1) : NULL;

  if (last == NULL || cw_document_item_get_item_type (last) != CW_DOCUMENT_ITEM_GROUPS)
    return NULL;
  return gtk_tree_list_model_get_child_row (self->tree, n - 1);
}

/* Notes which groups the user folded, so that a rebuild keeps them so. */
static void
remember_folds (CwDocumentList *self)
{
  g_autoptr(GtkTreeListRow) heading = groups_heading_row (self);
  guint n;

  if (heading == NULL)
    return;

  self->groups_folded = !gtk_tree_list_row_get_expanded (heading);
  if (self->groups_folded)
    return;

  n = g_list_model_get_n_items (gtk_tree_list_row_get_children (heading));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_row_get_child_row (heading, i);
      g_autoptr(CwDocumentItem) item = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
      gint64 id;

      if (item == NULL)
        continue;
      id = cw_document_item_get_group_id (item);
      if (gtk_tree_list_row_get_expanded (row))
        g_hash_table_remove (self->collapsed, &id);
      else
        g_hash_table_add (self->collapsed, g_memdup2 (&id, sizeof id));
    }
}

static void
apply_folds (CwDocumentList *self)
{
  g_autoptr(GtkTreeListRow) heading = groups_heading_row (self);
  guint n;

  if (heading == NULL)
    return;

  gtk_tree_list_row_set_expanded (heading, !self->groups_folded);
  if (self->groups_folded)
    return;

  n = g_list_model_get_n_items (gtk_tree_list_row_get_children (heading));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_row_get_child_row (heading, i);
      g_autoptr(CwDocumentItem) item = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
      gint64 id;

      if (item == NULL)
        continue;
      id = cw_document_item_get_group_id (item);
      gtk_tree_list_row_set_expanded (row, !g_hash_table_contains (self->collapsed, &id));
    }
}

static CwDocumentItem *
build_groups_heading (CwDocumentList *self)
{
  CwDocumentItem *heading;
  GListStore *groups;

  if (self->doc_groups == NULL || self->doc_groups->len == 0)
    return NULL;

  heading = cw_document_item_new_groups_heading ();
  groups = cw_document_item_get_children (heading);
  for (guint i = 0; i < self->doc_groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (self->doc_groups, i);
      g_autoptr(CwDocumentItem) item = cw_document_item_new_document_group (group->id, group->name);
      g_autoptr(GPtrArray) members = g_ptr_array_new ();

      /* The documents' own items: their memo mark follows in both places. */
      for (guint j = 0; group->document_ids != NULL && j < group->document_ids->len; j++)
        {
          gint64 id = g_array_index (group->document_ids, gint64, j);
          CwDocumentItem *document = g_hash_table_lookup (self->documents, &id);

          if (document != NULL)
            g_ptr_array_add (members, document);
        }
      append_sorted_by_name (cw_document_item_get_children (item), members);
      g_list_store_append (groups, item);
    }
  return heading;
}

/* Replaces the groups' section (the last top row) after the kinds. */
static void
rebuild_groups (CwDocumentList *self)
{
  g_autoptr(CwDocumentItem) heading = NULL;
  g_autoptr(GtkTreeListRow) old = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->roots));
  gint64 selected = self->selected_id;

  remember_folds (self);
  heading = build_groups_heading (self);
  old = groups_heading_row (self);

  self->updating = TRUE;
  g_list_store_splice (self->roots, old != NULL ? n - 1 : n, old != NULL ? 1 : 0,
                       heading != NULL ? (gpointer *) &heading : NULL, heading != NULL ? 1 : 0);
  apply_folds (self);
  self->updating = FALSE;

  /* The selected row was in the groups: select the document again. */
  if (selected != 0 && gtk_single_selection_get_selected_item (self->selection) == NULL)
    {
      self->selected_id = 0;
      cw_document_list_select_document (self, selected);
    }
}

void
cw_document_list_set_documents (CwDocumentList *self,
                                GPtrArray      *documents)
{
  g_autoptr(GListStore) roots = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  CwDocumentItem *by_kind[CW_N_DOCUMENT_KINDS] = { NULL };
  GPtrArray *members[CW_N_DOCUMENT_KINDS] = { NULL };
  gint64 selected = self->selected_id;
  CwProject *project;

  g_return_if_fail (CW_IS_DOCUMENT_LIST (self));

  /* The window hands over documents of its project: follow that project
   * (groups, memos) without the window having to say so. */
  project = cw_memo_editor_find_project (GTK_WIDGET (self));
  if (project != NULL && project != self->project)
    cw_document_list_set_project (self, project);

  g_hash_table_remove_all (self->documents);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);
      CwDocumentKind kind = info->kind < CW_N_DOCUMENT_KINDS ? info->kind : CW_DOCUMENT_KIND_OTHER;
      g_autoptr(CwDocumentItem) item = cw_document_item_new_document (info);

      if (by_kind[kind] == NULL)
        {
          by_kind[kind] = cw_document_item_new_group (kind);
          members[kind] = g_ptr_array_new_with_free_func (g_object_unref);
        }
      g_ptr_array_add (members[kind], g_object_ref (item));
      g_hash_table_insert (self->documents, g_memdup2 (&info->id, sizeof info->id), g_object_ref (item));
    }

  stop_filling (self);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->n_added = 0;
  self->pending = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    {
      CwDocumentItem *group = by_kind[kind_order[i]];
      GPtrArray *kind_members = members[kind_order[i]];

      if (group == NULL)
        continue;
      sort_by_name (kind_members);
      for (guint j = 0; j < kind_members->len; j++)
        {
          /* Borrowed: the kind's row outlives what is pending under it. */
          g_object_set_data (G_OBJECT (kind_members->pdata[j]), "cw-kind", group);
          g_ptr_array_add (self->pending, g_object_ref (kind_members->pdata[j]));
        }
      g_object_set_data (G_OBJECT (group), "cw-total", GUINT_TO_POINTER (kind_members->len));
      g_ptr_array_unref (kind_members);
      g_list_store_append (roots, group);
      g_object_unref (group);
    }

  self->updating = TRUE;
  self->selected_id = 0;
  g_list_store_splice (self->roots, 0, g_list_model_get_n_items (G_LIST_MODEL (self->roots)),
                       (gpointer *) NULL, 0);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (roots)); i++)
    {
      g_autoptr(CwDocumentItem) kind = g_list_model_get_item (G_LIST_MODEL (roots), i);
      g_autoptr(GtkTreeListRow) row = NULL;

      g_list_store_append (self->roots, kind);
      row = gtk_tree_list_model_get_child_row (self->tree, i);
      gtk_tree_list_row_set_expanded (row, TRUE);
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;

  /* The top now, the rest over the next frames (from the first one, when
   * the list is not on screen yet: a project opening); that frame's cost
   * sizes the next batch. */
  self->budget.batch = 0;
  self->budget.added = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    cw_frame_budget_add (&self->budget, FIRST_BATCH);
  fill_to (self, FIRST_BATCH);
  start_filling (self);

  /* The groups and memo marks as they are now. */
  g_clear_pointer (&self->groups_signature, g_free);
  refresh_annotations (self);

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

  /* Still to come: the list up to it (the rest follows frame by frame). */
  for (guint i = self->n_added; self->pending != NULL && i < self->pending->len; i++)
    if (cw_document_item_get_id (g_ptr_array_index (self->pending, i)) == id)
      fill_to (self, i + 1);

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
                  self->selected_id = id;
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

/* Groups and memos */

static char *
groups_signature (GPtrArray *groups)
{
  GString *signature = g_string_new (NULL);

  for (guint i = 0; i < groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (groups, i);

      g_string_append_printf (signature, "%" G_GINT64_FORMAT ":%s:", group->id, group->name);
      for (guint j = 0; group->document_ids != NULL && j < group->document_ids->len; j++)
        g_string_append_printf (signature, "%" G_GINT64_FORMAT ",", g_array_index (group->document_ids, gint64, j));
      g_string_append_c (signature, '\n');
    }
  return g_string_free (signature, FALSE);
}

/* Two short queries on every ::changed: the groups with their members and
 * which documents have memos. */
static void
refresh_annotations (CwDocumentList *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autoptr(GHashTable) with_memo = NULL;
  g_autofree char *signature = NULL;
  GHashTableIter iter;
  gpointer value;

  if (self->project != NULL)
    {
      groups = cw_project_list_groups (self->project, &error);
      if (groups == NULL)
        {
          show_error (self, error);
          return;
        }
      memos = cw_project_list_memos (self->project, CW_MEMO_DOCUMENT, 0, &error);
      if (memos == NULL)
        {
          show_error (self, error);
          return;
        }
    }
  else
    {
      groups = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_document_group_free);
      memos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_memo_free);
    }

  with_memo = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < memos->len; i++)
    {
      CwMemo *memo = g_ptr_array_index (memos, i);

      g_hash_table_add (with_memo, &memo->target_id);
    }
  g_hash_table_iter_init (&iter, self->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64 id = cw_document_item_get_id (value);

      cw_document_item_set_has_memo (value, g_hash_table_contains (with_memo, &id));
    }

  signature = groups_signature (groups);
  g_clear_pointer (&self->doc_groups, g_ptr_array_unref);
  self->doc_groups = g_steal_pointer (&groups);
  if (g_strcmp0 (signature, self->groups_signature) != 0)
    {
      g_free (self->groups_signature);
      self->groups_signature = g_steal_pointer (&signature);
      rebuild_groups (self);
    }
}

static void
project_changed_cb (CwDocumentList *self)
{
  /* Groups and memos stay as they were when only codings changed. */
  if (cw_project_get_coding_changes (self->project) != NULL)
    return;
  refresh_annotations (self);
}

void
cw_document_list_set_project (CwDocumentList *self,
                              CwProject      *project)
{
  g_return_if_fail (CW_IS_DOCUMENT_LIST (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
  g_set_object (&self->project, project);
  if (self->project != NULL)
    g_signal_connect_swapped (self->project, "changed", G_CALLBACK (project_changed_cb), self);
  g_hash_table_remove_all (self->collapsed);
  self->groups_folded = FALSE;
  refresh_annotations (self);
}

static const CwDocumentGroup *
find_group (CwDocumentList *self,
            gint64          id)
{
  for (guint i = 0; self->doc_groups != NULL && i < self->doc_groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (self->doc_groups, i);

      if (group->id == id)
        return group;
    }
  return NULL;
}

static gboolean
group_contains (const CwDocumentGroup *group,
                gint64                 document_id)
{
  for (guint i = 0; group->document_ids != NULL && i < group->document_ids->len; i++)
    if (g_array_index (group->document_ids, gint64, i) == document_id)
      return TRUE;
  return FALSE;
}

static gboolean
group_name_taken (CwDocumentList *self,
                  const char     *name,
                  gint64          except)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  for (guint i = 0; self->doc_groups != NULL && i < self->doc_groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (self->doc_groups, i);
      g_autofree char *other = g_utf8_casefold (group->name, -1);

      if (group->id != except && g_strcmp0 (folded, other) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The group check boxes of the "Add to Group" menu. */
static void
group_toggled_cb (GSimpleAction  *action,
                  GVariant       *state,
                  CwDocumentList *self)
{
  g_autoptr(GError) error = NULL;
  gint64 group_id = *(gint64 *) g_object_get_data (G_OBJECT (action), "group-id");
  gint64 document_id = *(gint64 *) g_object_get_data (G_OBJECT (action), "document-id");
  gboolean ok;

  if (self->project == NULL)
    return;
  if (g_variant_get_boolean (state))
    ok = cw_project_group_add_document (self->project, group_id, document_id, &error);
  else
    ok = cw_project_group_remove_document (self->project, group_id, document_id, &error);
  if (!ok)
    {
      show_error (self, error);
      return;
    }
  g_simple_action_set_state (action, state);
}

static GMenuModel *
document_menu (CwDocumentList *self,
               gint64          document_id,
               gint64          in_group)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) first = g_menu_new ();
  g_autoptr(GMenu) groups = g_menu_new ();
  g_autoptr(GMenu) group_list = g_menu_new ();
  g_autoptr(GMenu) group_new = g_menu_new ();
  g_autoptr(GMenuItem) memo = g_menu_item_new (_("_Memo…"), NULL);
  g_autoptr(GMenuItem) create = g_menu_item_new (_("_New Group…"), NULL);
  g_autoptr(GSimpleActionGroup) actions = g_simple_action_group_new ();

  g_menu_item_set_action_and_target_value (memo, "documents.memo", g_variant_new_int64 (document_id));
  g_menu_append_item (first, memo);

  for (guint i = 0; self->doc_groups != NULL && i < self->doc_groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (self->doc_groups, i);
      g_autofree char *name = g_strdup_printf ("group-%" G_GINT64_FORMAT, group->id);
      g_autofree char *detailed = g_strdup_printf ("docgroup.%s", name);
      g_autoptr(GSimpleAction) action = g_simple_action_new_stateful (name, NULL,
                                                                      g_variant_new_boolean (group_contains (group, document_id)));
      g_autoptr(GMenuItem) item = g_menu_item_new (group->name, detailed);

      g_object_set_data_full (G_OBJECT (action), "group-id", g_memdup2 (&group->id, sizeof group->id), g_free);
      g_object_set_data_full (G_OBJECT (action), "document-id", g_memdup2 (&document_id, sizeof document_id), g_free);
      g_signal_connect_object (action, "change-state", G_CALLBACK (group_toggled_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (actions), G_ACTION (action));
      g_menu_append_item (group_list, item);
    }
  g_menu_item_set_action_and_target_value (create, "documents.new-group", g_variant_new_int64 (document_id));
  g_menu_append_item (group_new, create);
  g_menu_append_section (groups, NULL, G_MENU_MODEL (group_list));
  g_menu_append_section (groups, NULL, G_MENU_MODEL (group_new));
  g_menu_append_submenu (first, _("Add to _Group"), G_MENU_MODEL (groups));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (first));

  if (in_group != 0 && find_group (self, in_group) != NULL)
    {
      g_autoptr(GMenu) section = g_menu_new ();
      /* Translators: the group the document is listed under. */
      g_autofree char *label = g_strdup_printf (_("Remove from “%s”"), find_group (self, in_group)->name);
      g_autoptr(GMenuItem) remove = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (remove, "documents.remove-from-group",
                                               g_variant_new ("(xx)", in_group, document_id));
      g_menu_append_item (section, remove);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
    }

  g_set_object (&self->group_actions, actions);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "docgroup", G_ACTION_GROUP (actions));
  return G_MENU_MODEL (menu);
}

static GMenuModel *
group_menu (CwDocumentList *self,
            gint64          group_id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename Group…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete Group"), NULL);

  g_menu_item_set_action_and_target_value (rename, "documents.rename-group", g_variant_new_int64 (group_id));
  g_menu_item_set_action_and_target_value (delete, "documents.delete-group", g_variant_new_int64 (group_id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  return G_MENU_MODEL (menu);
}

static GMenuModel *
groups_heading_menu (CwDocumentList *self)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenuItem) create = g_menu_item_new (_("_New Group…"), NULL);

  g_menu_item_set_action_and_target_value (create, "documents.new-group", g_variant_new_int64 (0));
  g_menu_append_item (menu, create);
  return G_MENU_MODEL (menu);
}

/* The menu of row; FALSE when it has none (a kind's heading). */
static gboolean
prepare_menu (CwDocumentList *self,
              GtkTreeListRow *row)
{
  g_autoptr(CwDocumentItem) item = gtk_tree_list_row_get_item (row);
  g_autoptr(GMenuModel) model = NULL;

  if (self->project == NULL)
    return FALSE;

  switch (cw_document_item_get_item_type (item))
    {
    case CW_DOCUMENT_ITEM_DOCUMENT:
      {
        g_autoptr(GtkTreeListRow) parent = gtk_tree_list_row_get_parent (row);
        g_autoptr(CwDocumentItem) parent_item = parent != NULL ? gtk_tree_list_row_get_item (parent) : NULL;
        gint64 in_group = parent_item != NULL ? cw_document_item_get_group_id (parent_item) : 0;

        model = document_menu (self, cw_document_item_get_id (item), in_group);
      }
      break;
    case CW_DOCUMENT_ITEM_GROUP:
      model = group_menu (self, cw_document_item_get_group_id (item));
      break;
    case CW_DOCUMENT_ITEM_GROUPS:
      model = groups_heading_menu (self);
      break;
    case CW_DOCUMENT_ITEM_KIND:
    default:
      return FALSE;
    }

  g_set_object (&self->menu_model, model);
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), model);
  return TRUE;
}

static void
popup_menu_at (CwDocumentList *self,
               GtkTreeListRow *row,
               GtkWidget      *widget,
               double          x,
               double          y)
{
  graphene_point_t point;

  if (!prepare_menu (self, row))
    return;
  if (!gtk_widget_compute_point (widget, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                               &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

/* The row widget (a child of the list view) showing position, or NULL. */
static GtkWidget *
find_row_widget (CwDocumentList *self,
                 guint           position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *expander = gtk_widget_get_first_child (child);
      GtkListItem *list_item = expander != NULL ? g_object_get_data (G_OBJECT (expander), "cw-list-item") : NULL;

      if (list_item != NULL && gtk_list_item_get_item (list_item) != NULL &&
          gtk_list_item_get_position (list_item) == position)
        return child;
    }
  return NULL;
}

/* The row that has the keyboard focus, else the selected one. */
static guint
focused_position (CwDocumentList *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  for (GtkWidget *w = focus; w != NULL && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      GtkWidget *child = gtk_widget_get_first_child (w);
      GtkListItem *list_item = g_object_get_data (G_OBJECT (w), "cw-list-item");

      if (list_item == NULL && child != NULL)
        list_item = g_object_get_data (G_OBJECT (child), "cw-list-item");
      if (list_item != NULL && gtk_list_item_get_item (list_item) != NULL)
        return gtk_list_item_get_position (list_item);
    }
  return gtk_single_selection_get_selected (self->selection);
}

gboolean
_cw_document_list_popup_menu (CwDocumentList *self,
                              guint           position)
{
  g_autoptr(GtkTreeListRow) row = NULL;
  GtkWidget *row_widget;
  graphene_rect_t bounds;

  g_return_val_if_fail (CW_IS_DOCUMENT_LIST (self), FALSE);

  row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  if (row == NULL || !prepare_menu (self, row))
    return FALSE;

  /* Under the row, near its start, as a right click there would. */
  row_widget = find_row_widget (self, position);
  if (row_widget != NULL && gtk_widget_compute_bounds (row_widget, GTK_WIDGET (self), &bounds))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu),
                                 &(GdkRectangle) { (int) bounds.origin.x + 24,
                                                   (int) (bounds.origin.y + bounds.size.height) - 4, 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { 24, 24, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
  return TRUE;
}

static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);
  guint position = focused_position (self);

  if (position != GTK_INVALID_LIST_POSITION)
    _cw_document_list_popup_menu (self, position);
}

static void
memo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);
  const CwDocumentInfo *info = cw_document_list_lookup (self, id);

  if (self->project == NULL || info == NULL)
    return;
  cw_memo_editor_open (widget, self->project, CW_MEMO_DOCUMENT, id, info->name);
}

/* The name dialog for a new group or a renamed one. */

static void
set_dialog (CwDocumentList   *self,
            AdwMessageDialog *dialog)
{
  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = dialog;
  if (dialog != NULL)
    g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
}

static void
name_changed_cb (GtkEditable      *entry,
                 AdwMessageDialog *dialog)
{
  CwDocumentList *self = g_object_get_data (G_OBJECT (dialog), "list");
  gint64 group_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "group-id");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  const CwDocumentGroup *group = find_group (self, group_id);
  gboolean taken = name[0] != '\0' && group_name_taken (self, name, group_id);
  gboolean same = group != NULL && g_strcmp0 (group->name, name) == 0;

  adw_message_dialog_set_response_enabled (dialog, "save", name[0] != '\0' && !taken && !same);
  if (taken)
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
}

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  CwDocumentList   *self)
{
  g_autoptr(GError) error = NULL;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  gint64 group_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "group-id");
  gint64 document_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "document-id");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_strcmp0 (response, "save") != 0 || name[0] == '\0' || self->project == NULL)
    return;

  if (group_id != 0)
    {
      if (!cw_project_rename_group (self->project, group_id, name, &error))
        show_error (self, error);
      return;
    }

  /* Two steps of the history: a new group, then the document in it. */
  group_id = cw_project_add_group (self->project, name, &error);
  if (group_id == 0 ||
      (document_id != 0 && !cw_project_group_add_document (self->project, group_id, document_id, &error)))
    show_error (self, error);
}

static void
ask_group_name (CwDocumentList *self,
                gint64          group_id,
                gint64          document_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const CwDocumentGroup *group = find_group (self, group_id);
  const CwDocumentInfo *info = cw_document_list_lookup (self, document_id);
  g_autofree char *body = NULL;
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *dialog;

  if (group != NULL)
    body = g_strdup (_("Documents can be in several groups, such as a school, a region or a wave."));
  else if (info != NULL)
    /* Translators: the document that goes into the new group. */
    body = g_strdup_printf (_("A group of documents, such as a school, a region or a wave. “%s” goes into it."),
                            info->name);
  else
    body = g_strdup (_("A group of documents, such as a school, a region or a wave."));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   group != NULL ? _("Rename Group") : _("New Group"), body);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Group name"));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", group != NULL ? _("_Rename") : _("_Create"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "list", self);
  g_object_set_data_full (G_OBJECT (dialog), "group-id", g_memdup2 (&group_id, sizeof group_id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "document-id", g_memdup2 (&document_id, sizeof document_id), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (name_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  gtk_editable_set_text (GTK_EDITABLE (entry), group != NULL ? group->name : "");
  name_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));

  set_dialog (self, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_group_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ask_group_name (CW_DOCUMENT_LIST (widget), 0, g_variant_get_int64 (parameter));
}

static void
rename_group_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);
  gint64 id = g_variant_get_int64 (parameter);

  if (find_group (self, id) != NULL)
    ask_group_name (self, id, 0);
}

static void
delete_group_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 id = g_variant_get_int64 (parameter);
  const CwDocumentGroup *group = find_group (self, id);

  if (self->project == NULL || group == NULL)
    return;

  /* Translators: a group was deleted; its documents are not. */
  message = g_strdup_printf (_("Group “%s” deleted; its documents stay"), group->name);
  /* Only the grouping goes, and undo brings it back: no question asked. */
  if (!cw_project_delete_group (self->project, id, &error))
    {
      show_error (self, error);
      return;
    }
  show_toast (self, message);
}

static void
remove_from_group_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);
  g_autoptr(GError) error = NULL;
  gint64 group_id, document_id;

  g_variant_get (parameter, "(xx)", &group_id, &document_id);
  if (self->project != NULL &&
      !cw_project_group_remove_document (self->project, group_id, document_id, &error))
    show_error (self, error);
}

/* For the tests */

GMenuModel *
_cw_document_list_get_menu_model (CwDocumentList *self)
{
  return self->menu_model;
}

GtkPopover *
_cw_document_list_get_menu (CwDocumentList *self)
{
  return GTK_POPOVER (self->menu);
}

GActionGroup *
_cw_document_list_get_group_actions (CwDocumentList *self)
{
  return self->group_actions != NULL ? G_ACTION_GROUP (self->group_actions) : NULL;
}

AdwMessageDialog *
_cw_document_list_get_dialog (CwDocumentList *self)
{
  return self->dialog;
}

/* The widget */

static void
cw_document_list_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);

  gtk_widget_measure (self->scroller, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
cw_document_list_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);

  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

gboolean
_cw_document_list_is_filling (CwDocumentList *self)
{
  return self->pending != NULL;
}

static void
cw_document_list_map (GtkWidget *widget)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);

  GTK_WIDGET_CLASS (cw_document_list_parent_class)->map (widget);
  start_filling (self);
}

static void
cw_document_list_unmap (GtkWidget *widget)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (widget);

  /* Ticks stop while unmapped: idle turns go on. */
  GTK_WIDGET_CLASS (cw_document_list_parent_class)->unmap (widget);
  start_filling (self);
}

static void
cw_document_list_dispose (GObject *object)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (object);

  stop_filling (self);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
  /* The name dialog points back here. */
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  set_dialog (self, NULL);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_DOCUMENT_LIST);
  g_clear_object (&self->project);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->roots);
  g_clear_object (&self->menu_model);
  g_clear_object (&self->group_actions);
  g_clear_pointer (&self->documents, g_hash_table_unref);
  g_clear_pointer (&self->doc_groups, g_ptr_array_unref);
  g_clear_pointer (&self->collapsed, g_hash_table_unref);

  G_OBJECT_CLASS (cw_document_list_parent_class)->dispose (object);
}

static void
cw_document_list_finalize (GObject *object)
{
  CwDocumentList *self = CW_DOCUMENT_LIST (object);

  g_free (self->groups_signature);

  G_OBJECT_CLASS (cw_document_list_parent_class)->finalize (object);
}

static void
cw_document_list_class_init (CwDocumentListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_document_list_dispose;
  object_class->finalize = cw_document_list_finalize;
  widget_class->measure = cw_document_list_measure;
  widget_class->size_allocate = cw_document_list_size_allocate;
  widget_class->map = cw_document_list_map;
  widget_class->unmap = cw_document_list_unmap;

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
  gtk_widget_class_bind_template_child (widget_class, CwDocumentList, scroller);
  gtk_widget_class_bind_template_child (widget_class, CwDocumentList, list_view);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);

  gtk_widget_class_install_action (widget_class, "documents.context-menu", NULL, context_menu_action);
  gtk_widget_class_install_action (widget_class, "documents.memo", "x", memo_action);
  gtk_widget_class_install_action (widget_class, "documents.new-group", "x", new_group_action);
  gtk_widget_class_install_action (widget_class, "documents.rename-group", "x", rename_group_action);
  gtk_widget_class_install_action (widget_class, "documents.delete-group", "x", delete_group_action);
  gtk_widget_class_install_action (widget_class, "documents.remove-from-group", "(xx)", remove_from_group_action);

  /* The keyboard's way to a row's menu. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "documents.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "documents.context-menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "cw-document-list");
}

static void
cw_document_list_init (CwDocumentList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A frame slow on its own (a long transcript's first layout) must not
   * leave the list creeping on a document or two a frame. */
  self->budget.min_batch = FIRST_BATCH;
  self->documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->collapsed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->roots = g_list_store_new (CW_TYPE_DOCUMENT_ITEM);
  /* Not autoexpanding: the kinds open when added, the groups as they were. */
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->roots)),
                                        FALSE, FALSE, create_child_model, NULL, NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));
}

GtkWidget *
cw_document_list_new (void)
{
  return g_object_new (CW_TYPE_DOCUMENT_LIST, NULL);
}
