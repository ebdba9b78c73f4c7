/* cw-codebook-panel.c: the codebook beside a transcript.
 *
 * The codes are a GtkTreeListModel over CwCodeItems. After an edit (or an
 * undo) the codebook is read again: when only names, colours and counts
 * changed, the items are updated in place so that the list keeps its
 * scroll position; when codes moved, came or went, the tree is rebuilt
 * with the folded codes kept folded. Searching rebuilds it with only the
 * matching codes and their parents.
 *
 * Quick keys: the first nine codable codes in the codebook's order get the
 * keys 1 to 9 (see cw_code_quick_keys); moving a code up changes its key.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-code-item.h"
#include "cw-codebook.h"
#include "cw-codebook-private.h"
#include "cw-codebook-panel-private.h"
#include "cw-coding.h"
#include "cw-memo-editor.h"
#include "cw-project-private.h"
#include "cw-window.h"

/* Description edits are saved after this pause in typing. */
#define DESCRIPTION_DELAY_MS 1000

struct _CwCodebookPanel
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *box;
  GtkSearchEntry     *search_entry;
  GtkMenuButton      *add_button;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  GtkStack           *details_stack;
  GtkColorButton     *color_button;
  GtkLabel           *details_path;
  GtkLabel           *details_count;
  GtkSwitch          *codable_switch;
  GtkTextView        *description_view;
  GtkMenuButton      *merge_button;
  GtkWidget          *memo_button;
  AdwButtonContent   *memo_content;
  GMenuModel         *row_menu;

  /* owned */
  CwProject          *project;
  GPtrArray          *codes;       /* CwCode, tree order */
  char               *signature;   /* the tree's shape and the filter */
  GListStore         *roots;       /* CwCodeItem */
  GtkTreeListModel   *tree;
  GtkSingleSelection *selection;
  GHashTable         *items;       /* id -> CwCodeItem */
  GHashTable         *collapsed;   /* ids of folded codes */
  GHashTable         *rows;        /* id -> row box (bound rows only) */
  GtkWidget          *context_menu;
  GtkWidget          *merge_list;  /* GtkListBox in the merge popover */
  GtkWidget          *merge_entry;
  AdwMessageDialog   *dialog;      /* weak */
  gint64              details_id;
  gint64              rename_id;
  gint64              select_after_reload;
  guint               description_timeout;
  gboolean            updating;
  /* The codes were read without their coding counts (opening a project):
   * a worker counts them; until then rows show no number. */
  gboolean            counts_pending;
  /* Another program changed the project: the rows keep their last counts
   * while a worker counts again (30 ms at 200,000 codings on the main
   * loop), so nothing blinks; outside_change marks the ::changed that
   * follows the project's ::external-change. */
  gboolean            counts_stale;
  gboolean            outside_change;
  GCancellable       *count_cancellable;
};

enum {
  CODE_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwCodebookPanel, cw_codebook_panel, GTK_TYPE_WIDGET)

static void update_details (CwCodebookPanel *self);
static void start_rename   (CwCodebookPanel *self,
                            gint64           id);

static void
show_error (CwCodebookPanel *self,
            const GError    *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CW_IS_WINDOW (root))
    cw_window_show_error (CW_WINDOW (root), error->message);
  else
    g_warning ("%s", error->message);
}

static void
show_toast (CwCodebookPanel *self,
            const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (CW_IS_WINDOW (root))
    cw_window_show_toast (CW_WINDOW (root), message);
}

static const CwCode *
find_code (CwCodebookPanel *self,
           gint64           id)
{
  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (self->codes, i);

      if (code->id == id)
        return code;
    }
  return NULL;
}

/* Whether code id is ancestor or the same as descendant. */
static gboolean
is_ancestor_or_self (CwCodebookPanel *self,
                     gint64           id,
                     gint64           descendant)
{
  const CwCode *code = find_code (self, descendant);

  while (code != NULL)
    {
      if (code->id == id)
        return TRUE;
      code = code->parent_id != 0 ? find_code (self, code->parent_id) : NULL;
    }
  return FALSE;
}

/* Codings of the code and of all its descendants, and the number of them. */
static void
count_subtree (CwCodebookPanel *self,
               gint64           id,
               guint           *n_codings,
               guint           *n_subcodes)
{
  *n_codings = 0;
  *n_subcodes = 0;
  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (self->codes, i);

      if (!is_ancestor_or_self (self, id, code->id))
        continue;
      *n_codings += code->n_codings;
      if (code->id != id)
        (*n_subcodes)++;
    }
}

static CwCodeItem *
row_item (GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);

  return row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
}

/* Rows */

static GListModel *
create_child_model (gpointer item,
                    gpointer user_data)
{
  GListStore *children = cw_code_item_get_children (item);

  if (g_list_model_get_n_items (G_LIST_MODEL (children)) == 0)
    return NULL;
  return g_object_ref (G_LIST_MODEL (children));
}

/* A description's first line, shortened: enough for a tooltip. */
static char *
short_description (const char *description)
{
  g_autofree char *line = NULL;
  const char *newline;

  if (description == NULL || description[0] == '\0')
    return NULL;

  newline = strchr (description, '\n');
  line = newline != NULL ? g_strndup (description, newline - description) : g_strdup (description);
  if (g_utf8_strlen (line, -1) > 160)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, 159);

      return g_strconcat (cut, "…", NULL);
    }
  if (newline != NULL)
    return g_strconcat (line, " …", NULL);
  return g_steal_pointer (&line);
}

/* Setting a tooltip asks the display server where the pointer is (a round
 * trip): only when it says something new. */
static void
set_tooltip_if_changed (GtkWidget  *widget,
                        const char *text)
{
  if (text != NULL && text[0] == '\0')
    text = NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

static void
update_row (GtkWidget  *box,
            CwCodeItem *item)
{
  const CwCode *code = cw_code_item_get_code (item);
  GtkWidget *swatch = g_object_get_data (G_OBJECT (box), "swatch");
  GtkLabel *name = g_object_get_data (G_OBJECT (box), "name");
  GtkLabel *key = g_object_get_data (G_OBJECT (box), "key");
  GtkInscription *count = g_object_get_data (G_OBJECT (box), "count");
  CwCodebookPanel *panel = g_object_get_data (G_OBJECT (box), "panel");
  gboolean counted = panel == NULL || !panel->counts_pending;
  g_autofree char *n = counted ? g_strdup_printf ("%u", code->n_codings) : g_strdup ("");
  guint digits = (guint) strlen (n);
  guint quick_key = cw_code_item_get_quick_key (item);

  cw_code_swatch_set_color (swatch, code->color, code->codable);
  gtk_label_set_text (name, code->name);
  if (code->codable)
    gtk_widget_remove_css_class (GTK_WIDGET (name), "cw-category");
  else
    gtk_widget_add_css_class (GTK_WIDGET (name), "cw-category");
  /* As wide as its digits, so it looks like a label; but unlike a label's,
   * a new number is only drawn, not the whole window laid out anew: the
   * size changes only with the number of digits. */
  if (gtk_inscription_get_min_chars (count) != digits)
    {
      gtk_inscription_set_min_chars (count, digits);
      gtk_inscription_set_nat_chars (count, digits);
    }
  gtk_inscription_set_text (count, n);
  gtk_widget_set_visible (GTK_WIDGET (count), counted && (code->codable || code->n_codings > 0));

  if (quick_key > 0)
    {
      g_autofree char *text = g_strdup_printf ("%u", quick_key);
      g_autofree char *tooltip = g_strdup_printf (_("Press %u to code the selection with this code"), quick_key);

      gtk_label_set_text (key, text);
      set_tooltip_if_changed (GTK_WIDGET (key), tooltip);
    }
  gtk_widget_set_visible (GTK_WIDGET (key), quick_key > 0);
  {
    g_autofree char *tooltip = short_description (code->description);

    set_tooltip_if_changed (box, tooltip);
  }
}

static void
item_notify_cb (CwCodeItem *item,
                GParamSpec *pspec,
                GtkWidget  *box)
{
  update_row (box, item);
}

static void
finish_rename (CwCodebookPanel *self,
               GtkWidget       *box,
               gboolean         commit)
{
  GtkStack *stack = g_object_get_data (G_OBJECT (box), "stack");
  GtkEditable *entry = g_object_get_data (G_OBJECT (box), "entry");
  gint64 id = self->rename_id;
  const CwCode *code = find_code (self, id);
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;

  if (id == 0 || g_strcmp0 (gtk_stack_get_visible_child_name (stack), "entry") != 0)
    return;

  self->rename_id = 0;
  name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  gtk_stack_set_visible_child_name (stack, "label");
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));

  if (!commit || code == NULL || name[0] == '\0' || g_strcmp0 (name, code->name) == 0)
    return;

  if (!cw_project_rename_code (self->project, id, name, &error))
    show_error (self, error);
}

static void
rename_activate_cb (GtkWidget *box)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (box, CW_TYPE_CODEBOOK_PANEL));

  finish_rename (self, box, TRUE);
}

static void
rename_leave_cb (GtkEventControllerFocus *controller,
                 GtkWidget               *box)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (box, CW_TYPE_CODEBOOK_PANEL));

  if (self != NULL)
    finish_rename (self, box, TRUE);
}

static gboolean
rename_key_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               GtkWidget             *box)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (box, CW_TYPE_CODEBOOK_PANEL));

  if (keyval != GDK_KEY_Escape)
    return FALSE;
  finish_rename (self, box, FALSE);
  return TRUE;
}

/* On release, not on press: a press may start a drag instead. */
static void
row_released_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *list_item)
{
  GtkWidget *box = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (box, CW_TYPE_CODEBOOK_PANEL));
  g_autoptr(CwCodeItem) item = row_item (list_item);
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  graphene_point_t point;

  if (item == NULL || self->rename_id != 0)
    return;

  if (button == GDK_BUTTON_SECONDARY)
    {
      gtk_single_selection_set_selected (self->selection, gtk_list_item_get_position (list_item));
      if (!gtk_widget_compute_point (box, GTK_WIDGET (self), &GRAPHENE_POINT_INIT (x, y), &point))
        return;
      gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                   &(GdkRectangle) { (int) point.x, (int) point.y, 1, 1 });
      gtk_popover_popup (GTK_POPOVER (self->context_menu));
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      return;
    }

  if (button == GDK_BUTTON_PRIMARY && n_press == 1)
    _cw_codebook_panel_click (self, cw_code_item_get_id (item), (state & GDK_ALT_MASK) == 0);
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkListItem   *list_item)
{
  GtkWidget *box = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (source));
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (box, CW_TYPE_CODEBOOK_PANEL));
  g_autoptr(CwCodeItem) item = row_item (list_item);

  if (item == NULL || self->rename_id != 0 || gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] != '\0')
    return NULL;

  return gdk_content_provider_new_typed (CW_TYPE_CODE_ITEM, item);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               GtkListItem   *list_item)
{
  g_autoptr(CwCodeItem) item = row_item (list_item);
  const CwCode *code;
  GtkWidget *icon, *swatch, *label;

  if (item == NULL)
    return;

  /* A small opaque chip: the row itself would drag its transparent
   * background along, black where there is no compositor. */
  code = cw_code_item_get_code (item);
  icon = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  swatch = cw_code_swatch_new ();
  label = gtk_label_new (code->name);
  cw_code_swatch_set_color (swatch, code->color, code->codable);
  gtk_box_append (GTK_BOX (icon), swatch);
  gtk_box_append (GTK_BOX (icon), label);
  gtk_widget_add_css_class (icon, "cw-drag-icon");
  gtk_drag_icon_set_child (GTK_DRAG_ICON (gtk_drag_icon_get_for_drag (drag)), icon);
  gdk_drag_set_hotspot (drag, -8, -8);
}

static CwDropZone
drop_zone (GtkWidget    *widget,
           const GValue *value,
           double        y)
{
  int height = gtk_widget_get_height (widget);

  /* Text is always coded with the row's code. */
  if (value != NULL && G_VALUE_HOLDS (value, GTK_TYPE_TEXT_BUFFER))
    return CW_DROP_INTO;
  if (y < height * 0.25)
    return CW_DROP_BEFORE;
  if (y > height * 0.75)
    return CW_DROP_AFTER;
  return CW_DROP_INTO;
}

static void
clear_drop_classes (GtkWidget *widget)
{
  gtk_widget_remove_css_class (widget, "cw-drop-before");
  gtk_widget_remove_css_class (widget, "cw-drop-into");
  gtk_widget_remove_css_class (widget, "cw-drop-after");
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                GtkListItem   *list_item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (widget, CW_TYPE_CODEBOOK_PANEL));
  const GValue *value = gtk_drop_target_get_value (target);
  g_autoptr(CwCodeItem) item = row_item (list_item);
  CwDropZone zone;

  clear_drop_classes (widget);
  if (item == NULL || value == NULL)
    return 0;

  zone = drop_zone (widget, value, y);
  if (G_VALUE_HOLDS (value, GTK_TYPE_TEXT_BUFFER))
    {
      if (!cw_code_item_get_code (item)->codable)
        return 0;
      gtk_widget_add_css_class (widget, "cw-drop-into");
      return GDK_ACTION_COPY;
    }

  if (G_VALUE_HOLDS (value, CW_TYPE_CODE_ITEM) && g_value_get_object (value) != NULL)
    {
      gint64 source = cw_code_item_get_id (g_value_get_object (value));

      if (is_ancestor_or_self (self, source, cw_code_item_get_id (item)))
        return 0;
      gtk_widget_add_css_class (widget, zone == CW_DROP_BEFORE ? "cw-drop-before"
                                        : zone == CW_DROP_AFTER ? "cw-drop-after" : "cw-drop-into");
      return GDK_ACTION_MOVE;
    }

  return 0;
}

static void
drop_leave_cb (GtkDropTarget *target)
{
  clear_drop_classes (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target)));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GtkListItem   *list_item)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (gtk_widget_get_ancestor (widget, CW_TYPE_CODEBOOK_PANEL));
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (target));
  g_autoptr(CwCodeItem) item = row_item (list_item);

  clear_drop_classes (widget);
  if (item == NULL)
    return FALSE;

  return _cw_codebook_panel_drop (self, cw_code_item_get_id (item), value,
                                  drop_zone (widget, value, y), (state & GDK_ALT_MASK) == 0);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = cw_code_swatch_new ();
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *key = gtk_label_new (NULL);
  GtkWidget *count = gtk_inscription_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();
  GtkDragSource *drag = gtk_drag_source_new ();
  GtkDropTarget *drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();
  GType types[] = { CW_TYPE_CODE_ITEM, GTK_TYPE_TEXT_BUFFER };

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_stack_add_named (GTK_STACK (stack), name, "label");
  gtk_stack_add_named (GTK_STACK (stack), entry, "entry");
  gtk_stack_set_hhomogeneous (GTK_STACK (stack), FALSE);
  gtk_widget_set_hexpand (stack, TRUE);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (rename_activate_cb), box);
  g_signal_connect (focus, "leave", G_CALLBACK (rename_leave_cb), box);
  gtk_widget_add_controller (entry, focus);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (rename_key_cb), box);
  gtk_widget_add_controller (entry, keys);

  gtk_widget_add_css_class (key, "cw-quick-key");
  gtk_widget_set_valign (key, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "caption");
  gtk_widget_add_css_class (count, "cw-count");
  gtk_widget_set_valign (count, GTK_ALIGN_CENTER);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (count), 0.5);

  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), count);
  gtk_widget_add_css_class (box, "cw-code-row");
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);

  g_object_set_data (G_OBJECT (box), "swatch", swatch);
  g_object_set_data (G_OBJECT (box), "stack", stack);
  g_object_set_data (G_OBJECT (box), "name", name);
  g_object_set_data (G_OBJECT (box), "entry", entry);
  g_object_set_data (G_OBJECT (box), "key", key);
  g_object_set_data (G_OBJECT (box), "count", count);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect (click, "released", G_CALLBACK (row_released_cb), list_item);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));

  gtk_drag_source_set_actions (drag, GDK_ACTION_MOVE | GDK_ACTION_COPY);
  g_signal_connect (drag, "prepare", G_CALLBACK (drag_prepare_cb), list_item);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), list_item);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (drag));

  gtk_drop_target_set_gtypes (drop, types, G_N_ELEMENTS (types));
  gtk_drop_target_set_preload (drop, TRUE);
  g_signal_connect (drop, "motion", G_CALLBACK (drop_motion_cb), list_item);
  g_signal_connect (drop, "enter", G_CALLBACK (drop_motion_cb), list_item);
  g_signal_connect (drop, "leave", G_CALLBACK (drop_leave_cb), NULL);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (drop));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          CwCodebookPanel          *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  CwCodeItem *item = gtk_tree_list_row_get_item (row);
  gint64 id = cw_code_item_get_id (item);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  g_object_set_data (G_OBJECT (box), "panel", self);
  update_row (box, item);
  g_signal_connect_object (item, "notify::code", G_CALLBACK (item_notify_cb), box, 0);
  g_object_set_data_full (G_OBJECT (box), "item", item, g_object_unref);
  g_hash_table_insert (self->rows, g_memdup2 (&id, sizeof id), box);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            CwCodebookPanel          *self)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  CwCodeItem *item = g_object_get_data (G_OBJECT (box), "item");

  if (item != NULL)
    {
      gint64 id = cw_code_item_get_id (item);

      g_signal_handlers_disconnect_by_func (item, item_notify_cb, box);
      if (g_hash_table_lookup (self->rows, &id) == box)
        g_hash_table_remove (self->rows, &id);
      if (self->rename_id == id)
        self->rename_id = 0;
      gtk_stack_set_visible_child_name (g_object_get_data (G_OBJECT (box), "stack"), "label");
      g_object_set_data (G_OBJECT (box), "item", NULL);
    }
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
}

/* Reading the codebook */

static char *
folded (const char *text)
{
  g_autofree char *normalized = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);

  return g_utf8_casefold (normalized != NULL ? normalized : text, -1);
}

/* The tree's shape: which codes, under which parents, in which order, and
 * what the search shows. Same shape: update in place. */
static char *
make_signature (GPtrArray  *codes,
                const char *filter)
{
  GString *signature = g_string_new (filter);

  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);

      g_string_append_printf (signature, ";%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, code->id, code->parent_id);
      /* While searching, a rename can change what matches. */
      if (filter[0] != '\0')
        g_string_append_printf (signature, ":%s", code->name);
    }
  return g_string_free (signature, FALSE);
}

static void
remember_folds (CwCodebookPanel *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));

  /* While searching everything is unfolded: that says nothing. */
  if (self->signature == NULL || self->signature[0] != ';')
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i);
      g_autoptr(CwCodeItem) item = gtk_tree_list_row_get_item (row);
      gint64 id = cw_code_item_get_id (item);

      if (!gtk_tree_list_row_is_expandable (row))
        continue;
      if (gtk_tree_list_row_get_expanded (row))
        g_hash_table_remove (self->collapsed, &id);
      else
        g_hash_table_add (self->collapsed, g_memdup2 (&id, sizeof id));
    }
}

static void
rebuild (CwCodebookPanel *self,
         const char      *filter)
{
  g_autoptr(GHashTable) visible = NULL;
  g_autoptr(GPtrArray) roots = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *needle = filter[0] != '\0' ? folded (filter) : NULL;
  gint64 selected = cw_codebook_panel_get_selected (self);
  guint n;

  remember_folds (self);
  g_hash_table_remove_all (self->items);

  /* A match shows with its parents, to keep its place in the tree. */
  if (needle != NULL)
    {
      visible = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < self->codes->len; i++)
        {
          CwCode *code = g_ptr_array_index (self->codes, i);
          g_autofree char *name = folded (code->name);

          if (strstr (name, needle) == NULL)
            continue;
          for (const CwCode *c = code; c != NULL; c = c->parent_id != 0 ? find_code (self, c->parent_id) : NULL)
            g_hash_table_add (visible, (gpointer) &c->id);
        }
    }

  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (self->codes, i);
      CwCodeItem *parent = code->parent_id != 0 ? g_hash_table_lookup (self->items, &code->parent_id) : NULL;
      CwCodeItem *item;

      if (visible != NULL && !g_hash_table_contains (visible, &code->id))
        continue;

      item = cw_code_item_new (code);
      g_hash_table_insert (self->items, g_memdup2 (&code->id, sizeof code->id), item);
      if (parent != NULL)
        g_list_store_append (cw_code_item_get_children (parent), item);
      else
        g_ptr_array_add (roots, g_object_ref (item));
    }

  self->updating = TRUE;
  g_list_store_splice (self->roots, 0, g_list_model_get_n_items (G_LIST_MODEL (self->roots)),
                       roots->pdata, roots->len);

  /* Unfold all but what the user folded (everything while searching). */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, i);
      g_autoptr(CwCodeItem) item = gtk_tree_list_row_get_item (row);
      gint64 id = cw_code_item_get_id (item);

      if (gtk_tree_list_row_is_expandable (row) && (needle != NULL || !g_hash_table_contains (self->collapsed, &id)))
        {
          gtk_tree_list_row_set_expanded (row, TRUE);
          n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->updating = FALSE;

  if (selected != 0)
    cw_codebook_panel_select_code (self, selected);
}

static void
assign_quick_keys (CwCodebookPanel *self)
{
  g_autoptr(GArray) keys = cw_code_quick_keys (self->codes);
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &item))
    {
      guint key = 0;

      for (guint k = 0; k < keys->len; k++)
        if (g_array_index (keys, gint64, k) == cw_code_item_get_id (item))
          key = k + 1;
      cw_code_item_set_quick_key (item, key);
    }
}

static gboolean
same_code (const CwCode *a,
           const CwCode *b)
{
  return a->id == b->id && a->parent_id == b->parent_id && a->position == b->position &&
         a->codable == b->codable && a->depth == b->depth && a->n_codings == b->n_codings &&
         g_strcmp0 (a->guid, b->guid) == 0 && g_strcmp0 (a->name, b->name) == 0 &&
         g_strcmp0 (a->path, b->path) == 0 && g_strcmp0 (a->color, b->color) == 0 &&
         g_strcmp0 (a->description, b->description) == 0;
}

static void
stop_counting (CwCodebookPanel *self)
{
  if (self->count_cancellable != NULL)
    {
      g_cancellable_cancel (self->count_cancellable);
      g_clear_object (&self->count_cancellable);
    }
  self->counts_pending = FALSE;
  self->counts_stale = FALSE;
}

static void
load (CwCodebookPanel *self,
      gboolean         counted)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *signature = NULL;
  const char *filter;

  if (self->project != NULL)
    {
      /* One short query; counting the codings (30 ms at 200,000) is left
       * to a worker when a project opens. */
      codes = counted ? cw_project_list_codes (self->project, &error)
                      : _cw_project_list_codes_uncounted (self->project, &error);
      if (codes == NULL)
        {
          show_error (self, error);
          return;
        }
    }
  else
    {
      codes = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_code_free);
    }

  /* Counted again on the side: the last counts until then. */
  if (self->counts_stale && !counted && self->codes != NULL)
    {
      g_autoptr(GHashTable) old = g_hash_table_new (g_int64_hash, g_int64_equal);

      for (guint i = 0; i < self->codes->len; i++)
        {
          CwCode *code = g_ptr_array_index (self->codes, i);

          g_hash_table_insert (old, &code->id, code);
        }
      for (guint i = 0; i < codes->len; i++)
        {
          CwCode *code = g_ptr_array_index (codes, i);
          const CwCode *before = g_hash_table_lookup (old, &code->id);

          if (before != NULL)
            code->n_codings = before->n_codings;
        }
    }

  g_clear_pointer (&self->codes, g_ptr_array_unref);
  self->codes = g_steal_pointer (&codes);

  filter = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  signature = make_signature (self->codes, filter);
  if (g_strcmp0 (signature, self->signature) == 0)
    {
      for (guint i = 0; i < self->codes->len; i++)
        {
          const CwCode *code = g_ptr_array_index (self->codes, i);
          CwCodeItem *item = g_hash_table_lookup (self->items, &code->id);

          /* Only rows that show something new are told. */
          if (item != NULL && !same_code (cw_code_item_get_code (item), code))
            cw_code_item_set_code (item, code);
        }
    }
  else
    {
      rebuild (self, filter);
      g_free (self->signature);
      self->signature = g_steal_pointer (&signature);
    }
  assign_quick_keys (self);

  if (self->codes->len == 0)
    gtk_stack_set_visible_child_name (self->list_stack, filter[0] != '\0' ? "no-match" : "empty");
  else if (g_hash_table_size (self->items) == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "no-match");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "list");

  if (self->select_after_reload != 0)
    {
      gint64 id = self->select_after_reload;

      self->select_after_reload = 0;
      cw_codebook_panel_select_code (self, id);
      start_rename (self, id);
    }

  update_details (self);
}

void
cw_codebook_panel_reload (CwCodebookPanel *self)
{
  g_return_if_fail (CW_IS_CODEBOOK_PANEL (self));

  /* Read with counts now: the worker's would be older. */
  stop_counting (self);
  load (self, TRUE);
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;
  GPtrArray *codes;

  /* A connection of its own: connections are not shared across threads. */
  project = _cw_project_open_without_listing_index (task_data, &error);
  if (project == NULL || (codes = cw_project_list_codes (project, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, codes, (GDestroyNotify) g_ptr_array_unref);
}

static void
count_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counted = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GHashTable) counts = NULL;
  GHashTableIter iter;
  gpointer item;
  gboolean was_pending = self->counts_pending;

  /* Cancelled: the panel has moved on (another project, or a change read
   * everything with counts). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_task_get_cancellable (G_TASK (result)) != self->count_cancellable)
    return;
  g_clear_object (&self->count_cancellable);
  if (counted == NULL)
    {
      /* Could not count on the side (the file busy, say): here then. */
      cw_codebook_panel_reload (self);
      return;
    }

  counts = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < counted->len; i++)
    {
      CwCode *code = g_ptr_array_index (counted, i);

      g_hash_table_insert (counts, &code->id, code);
    }
  self->counts_pending = FALSE;
  self->counts_stale = FALSE;
  /* In place: the transcript view shares these codes. No change came in
   * meanwhile (that reloads and cancels), so the sets are the same. */
  for (guint i = 0; i < self->codes->len; i++)
    {
      CwCode *code = g_ptr_array_index (self->codes, i);
      const CwCode *fresh = g_hash_table_lookup (counts, &code->id);

      if (fresh != NULL)
        code->n_codings = fresh->n_codings;
    }
  /* Rows with no number yet all show theirs; after an outside change
   * those that showed the right one already are left alone. */
  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, NULL, &item))
    {
      const CwCode *code = find_code (self, cw_code_item_get_id (item));

      if (code != NULL && (was_pending || code->n_codings != cw_code_item_get_code (item)->n_codings))
        cw_code_item_set_code (item, code);
    }
  update_details (self);
}

static void
start_counting (CwCodebookPanel *self)
{
  g_autoptr(GTask) task = NULL;

  stop_counting (self);
  self->counts_pending = TRUE;
  self->count_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->count_cancellable, count_done_cb, NULL);
  g_task_set_source_tag (task, start_counting);
  g_task_set_task_data (task, g_strdup (cw_project_get_path (self->project)), g_free);
  g_task_run_in_thread (task, count_thread);
}

static void
search_changed_cb (CwCodebookPanel *self)
{
  /* The search only filters: counts still on their way stay so. */
  load (self, !self->counts_pending && !self->counts_stale);
}

/* Details */

static gboolean save_description (CwCodebookPanel *self);

static char *
description_text (CwCodebookPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
update_actions (CwCodebookPanel *self)
{
  const CwCode *code = find_code (self, cw_codebook_panel_get_selected (self));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "codebook.add", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "codebook.add-child", code != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "codebook.rename", code != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "codebook.delete", code != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "codebook.memo", code != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), self->project != NULL);
}

/* The memo button says how many memos the code has: one short query. */
static void
update_memo_button (CwCodebookPanel *self,
                    gint64           id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autofree char *label = NULL;

  if (self->project == NULL)
    return;
  memos = cw_project_list_memos (self->project, CW_MEMO_CODE, id, &error);
  if (memos == NULL)
    {
      g_warning ("Could not read the code's memos: %s", error->message);
      return;
    }
  if (memos->len == 0)
    label = g_strdup (_("Add _Memo…"));
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u _Memo…", "%u _Memos…", memos->len), memos->len);
  adw_button_content_set_label (self->memo_content, label);
}

static void
update_details_count (CwCodebookPanel *self,
                      const CwCode    *code)
{
  g_autofree char *count = NULL;
  guint n_codings, n_subcodes;

  if (self->counts_pending)
    {
      gtk_label_set_text (self->details_count, "");
      return;
    }
  count_subtree (self, code->id, &n_codings, &n_subcodes);
  if (n_codings != code->n_codings)
    /* Translators: codings of the code itself, then with its subcodes. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coding, %u with subcodes",
                                          "%u codings, %u with subcodes", code->n_codings),
                             code->n_codings, n_codings);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coding", "%u codings", code->n_codings),
                             code->n_codings);
  gtk_label_set_text (self->details_count, count);
}

static void
update_details (CwCodebookPanel *self)
{
  gint64 id = cw_codebook_panel_get_selected (self);
  const CwCode *code = find_code (self, id);
  GdkRGBA color;

  update_actions (self);

  /* Leaving a code: its description is saved first. */
  if (self->details_id != id && self->description_timeout != 0)
    save_description (self);

  if (code == NULL)
    {
      self->details_id = 0;
      gtk_stack_set_visible_child_name (self->details_stack, "none");
      return;
    }

  self->updating = TRUE;
  gtk_stack_set_visible_child_name (self->details_stack, "code");
  gtk_label_set_text (self->details_path, code->path);

  update_details_count (self, code);

  cw_code_parse_color (code->color, 1.0, &color);
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color_button), &color);
  gtk_switch_set_active (self->codable_switch, code->codable);
  update_memo_button (self, id);

  /* Not while the user is typing in it: that would move the cursor. */
  if (self->details_id != id || (!gtk_widget_has_focus (GTK_WIDGET (self->description_view)) &&
                                 self->description_timeout == 0))
    {
      g_autofree char *text = description_text (self);
      const char *stored = code->description != NULL ? code->description : "";

      if (g_strcmp0 (text, stored) != 0)
        gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description_view), stored, -1);
    }
  self->details_id = id;
  self->updating = FALSE;
}

static void
selection_changed_cb (CwCodebookPanel *self)
{
  if (!self->updating)
    update_details (self);
}

static void
color_set_cb (CwCodebookPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *color = NULL;
  GdkRGBA rgba;

  if (self->updating || self->details_id == 0)
    return;

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->color_button), &rgba);
  color = g_strdup_printf ("#%02x%02x%02x",
                           (guint) (CLAMP (rgba.red, 0, 1) * 255 + 0.5),
                           (guint) (CLAMP (rgba.green, 0, 1) * 255 + 0.5),
                           (guint) (CLAMP (rgba.blue, 0, 1) * 255 + 0.5));
  if (!cw_project_set_code_color (self->project, self->details_id, color, &error))
    show_error (self, error);
}

static void
codable_changed_cb (CwCodebookPanel *self)
{
  g_autoptr(GError) error = NULL;
  const CwCode *code = find_code (self, self->details_id);
  gboolean active = gtk_switch_get_active (self->codable_switch);

  if (self->updating || code == NULL || code->codable == active)
    return;

  if (!cw_project_set_code_codable (self->project, self->details_id, active, &error))
    {
      show_error (self, error);
      update_details (self);
    }
}

static gboolean
save_description (CwCodebookPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = description_text (self);
  const CwCode *code = find_code (self, self->details_id);

  g_clear_handle_id (&self->description_timeout, g_source_remove);
  if (code == NULL || g_strcmp0 (text, code->description != NULL ? code->description : "") == 0)
    return G_SOURCE_REMOVE;

  if (!cw_project_set_code_description (self->project, code->id, text, &error))
    show_error (self, error);
  return G_SOURCE_REMOVE;
}

static gboolean
description_timeout_cb (gpointer data)
{
  CwCodebookPanel *self = data;

  self->description_timeout = 0;
  return save_description (self);
}

static void
description_changed_cb (CwCodebookPanel *self)
{
  if (self->updating || self->details_id == 0)
    return;

  g_clear_handle_id (&self->description_timeout, g_source_remove);
  self->description_timeout = g_timeout_add (DESCRIPTION_DELAY_MS, description_timeout_cb, self);
}

static void
description_leave_cb (CwCodebookPanel *self)
{
  if (self->description_timeout != 0)
    save_description (self);
}

/* Merging */

static gboolean
merge_filter (GtkListBoxRow *row,
              gpointer       user_data)
{
  CwCodebookPanel *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->merge_entry));
  g_autofree char *needle = NULL;

  if (text[0] == '\0')
    return TRUE;
  needle = folded (text);
  return strstr (g_object_get_data (G_OBJECT (row), "folded"), needle) != NULL;
}

static void
merge_search_changed_cb (CwCodebookPanel *self)
{
  gtk_list_box_invalidate_filter (GTK_LIST_BOX (self->merge_list));
}

static void
merge_into (CwCodebookPanel *self,
            gint64           target_id)
{
  g_autoptr(GError) error = NULL;
  const CwCode *source = find_code (self, self->details_id);
  const CwCode *target = find_code (self, target_id);
  g_autofree char *message = NULL;

  gtk_menu_button_popdown (self->merge_button);
  if (source == NULL || target == NULL)
    return;

  /* Translators: a code merged into another: its codings now have that code. */
  message = g_strdup_printf (_("Merged “%s” into “%s”"), source->name, target->name);
  if (!cw_project_merge_codes (self->project, source->id, target->id, &error))
    {
      show_error (self, error);
      return;
    }
  cw_codebook_panel_select_code (self, target_id);
  show_toast (self, message);
}

static void
merge_row_activated_cb (CwCodebookPanel *self,
                        GtkListBoxRow   *row)
{
  merge_into (self, *(gint64 *) g_object_get_data (G_OBJECT (row), "id"));
}

static void
merge_activate_cb (CwCodebookPanel *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (self->merge_list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && merge_filter (GTK_LIST_BOX_ROW (child), self))
      {
        merge_row_activated_cb (self, GTK_LIST_BOX_ROW (child));
        return;
      }
}

/* The codes the selected one can merge into: any but itself and its own
 * subcodes. */
static void
fill_merge_list (CwCodebookPanel *self)
{
  GtkListBox *list = GTK_LIST_BOX (self->merge_list);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->merge_list)) != NULL)
    gtk_list_box_remove (list, child);
  gtk_editable_set_text (GTK_EDITABLE (self->merge_entry), "");

  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (self->codes, i);
      GtkWidget *row, *box, *swatch, *label;

      if (is_ancestor_or_self (self, self->details_id, code->id))
        continue;

      row = gtk_list_box_row_new ();
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      swatch = cw_code_swatch_new ();
      label = gtk_label_new (code->path);
      cw_code_swatch_set_color (swatch, code->color, code->codable);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_START);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "id", g_memdup2 (&code->id, sizeof code->id), g_free);
      g_object_set_data_full (G_OBJECT (row), "folded", folded (code->path), g_free);
      gtk_list_box_append (list, row);
    }
}

static void
build_merge_popover (CwCodebookPanel *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (_("Merge Into"));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (title, "heading");
  self->merge_entry = gtk_search_entry_new ();
  g_object_set (self->merge_entry, "placeholder-text", _("Search codes"), NULL);
  g_signal_connect_swapped (self->merge_entry, "search-changed", G_CALLBACK (merge_search_changed_cb), self);
  g_signal_connect_swapped (self->merge_entry, "activate", G_CALLBACK (merge_activate_cb), self);

  self->merge_list = gtk_list_box_new ();
  gtk_list_box_set_filter_func (GTK_LIST_BOX (self->merge_list), merge_filter, self, NULL);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->merge_list), TRUE);
  gtk_widget_add_css_class (self->merge_list, "navigation-sidebar");
  g_signal_connect_swapped (self->merge_list, "row-activated", G_CALLBACK (merge_row_activated_cb), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 300);
  gtk_scrolled_window_set_min_content_width (GTK_SCROLLED_WINDOW (scroller), 260);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->merge_list);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), self->merge_entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  g_signal_connect_swapped (popover, "show", G_CALLBACK (fill_merge_list), self);
  gtk_menu_button_set_popover (self->merge_button, popover);
}

/* Actions */

static char *
unique_name (CwCodebookPanel *self,
             gint64           parent_id)
{
  const char *base = _("New code");

  for (guint n = 1;; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (base) : g_strdup_printf ("%s %u", base, n);
      gboolean taken = FALSE;

      for (guint i = 0; self->codes != NULL && i < self->codes->len && !taken; i++)
        {
          const CwCode *code = g_ptr_array_index (self->codes, i);

          taken = code->parent_id == parent_id && g_strcmp0 (code->name, name) == 0;
        }
      if (!taken)
        return g_steal_pointer (&name);
    }
}

static void
add_code (CwCodebookPanel *self,
          gint64           parent_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 id;

  if (self->project == NULL)
    return;

  /* A search would hide the new code. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (parent_id != 0)
    {
      gint64 *key = g_memdup2 (&parent_id, sizeof parent_id);

      g_hash_table_remove (self->collapsed, key);
      g_free (key);
    }

  name = unique_name (self, parent_id);
  id = cw_project_create_code (self->project, parent_id, name, NULL, NULL, TRUE, &error);
  if (id == 0)
    {
      show_error (self, error);
      return;
    }

  /* The project's ::changed reloads the list; then the name is edited. */
  if (find_code (self, id) != NULL)
    {
      cw_codebook_panel_select_code (self, id);
      start_rename (self, id);
    }
  else
    {
      self->select_after_reload = id;
      cw_codebook_panel_reload (self);
    }
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  add_code (CW_CODEBOOK_PANEL (widget), 0);
}

static void
add_child_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);

  add_code (self, cw_codebook_panel_get_selected (self));
}

static void
start_rename (CwCodebookPanel *self,
              gint64           id)
{
  const CwCode *code = find_code (self, id);
  GtkWidget *box = g_hash_table_lookup (self->rows, &id);
  GtkWidget *entry;

  if (code == NULL || box == NULL)
    return;

  entry = g_object_get_data (G_OBJECT (box), "entry");
  self->rename_id = id;
  gtk_editable_set_text (GTK_EDITABLE (entry), code->name);
  gtk_stack_set_visible_child_name (g_object_get_data (G_OBJECT (box), "stack"), "entry");
  gtk_widget_grab_focus (entry);
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, -1);
}

static void
rename_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);

  start_rename (self, cw_codebook_panel_get_selected (self));
}

static void
memo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);
  const CwCode *code = find_code (self, cw_codebook_panel_get_selected (self));

  if (code == NULL || self->project == NULL)
    return;
  cw_memo_editor_open (widget, self->project, CW_MEMO_CODE, code->id, code->path);
}

/* Shift+F10 or the Menu key: the selected code's menu, under its row. */
static void
context_menu_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);
  gint64 id = cw_codebook_panel_get_selected (self);
  GtkWidget *box = g_hash_table_lookup (self->rows, &id);
  graphene_rect_t bounds;

  if (id == 0 || self->rename_id != 0)
    return;
  if (box != NULL && gtk_widget_compute_bounds (box, widget, &bounds))
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu),
                                 &(GdkRectangle) { (int) bounds.origin.x + 24,
                                                   (int) (bounds.origin.y + bounds.size.height), 1, 1 });
  else
    gtk_popover_set_pointing_to (GTK_POPOVER (self->context_menu), &(GdkRectangle) { 24, 24, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->context_menu));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    CwCodebookPanel  *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "id");
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0 || self->project == NULL)
    return;

  if (!cw_project_delete_code (self->project, id, &error))
    show_error (self, error);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);
  gint64 id = cw_codebook_panel_get_selected (self);
  const CwCode *code = find_code (self, id);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  g_autofree char *codings = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;
  guint n_codings, n_subcodes;

  if (code == NULL)
    return;
  /* The dialog says how many codings go: they must be counted. */
  if (self->counts_pending || self->counts_stale)
    {
      cw_codebook_panel_reload (self);
      if ((code = find_code (self, id)) == NULL)
        return;
    }

  count_subtree (self, id, &n_codings, &n_subcodes);
  heading = g_strdup_printf (_("Delete “%s”?"), code->name);
  codings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u coding", "%u codings", n_codings), n_codings);
  if (n_subcodes > 0)
    {
      g_autofree char *subcodes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u subcode", "%u subcodes", n_subcodes),
                                                   n_subcodes);

      /* Translators: "its 2 subcodes and 14 codings" */
      body = g_strdup_printf (_("The code, its %s and %s will be deleted. Undo brings them back."),
                              subcodes, codings);
    }
  else
    {
      /* Translators: "its 14 codings" */
      body = g_strdup_printf (_("The code and its %s will be deleted. Undo brings them back."), codings);
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);

  if (self->dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
  self->dialog = ADW_MESSAGE_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Enter or a double click: code the selection (as a click does). */
static void
activate_cb (CwCodebookPanel *self,
             guint            position)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  g_autoptr(CwCodeItem) item = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (item != NULL)
    _cw_codebook_panel_click (self, cw_code_item_get_id (item), TRUE);
}

/* More codes than this touched by one change of codings: read them all. */
#define MAX_RECOUNTED_CODES 16

/* Only codings changed (one applied, removed, undone): the counts of
 * their codes are read again, one short query each, and their rows told;
 * the rest of the tree, its selection and scroll position stay as they
 * are. FALSE when that cannot be done here (then everything is read). */
static gboolean
recount_codes (CwCodebookPanel *self,
               GArray          *changes)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 selected = cw_codebook_panel_get_selected (self);
  gboolean selected_counts = FALSE;

  if (self->codes == NULL)
    return FALSE;

  for (guint i = 0; i < changes->len; i++)
    {
      const CwCodingChange *change = &g_array_index (changes, CwCodingChange, i);
      gint64 both[] = { change->old_code_id, change->new_code_id };

      for (guint b = 0; b < G_N_ELEMENTS (both); b++)
        {
          gboolean seen = both[b] == 0;

          for (guint k = 0; k < ids->len && !seen; k++)
            seen = g_array_index (ids, gint64, k) == both[b];
          if (seen)
            continue;
          if (ids->len == MAX_RECOUNTED_CODES)
            return FALSE;
          g_array_append_val (ids, both[b]);
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      CwCode *code = (CwCode *) find_code (self, id);
      g_autoptr(CwCode) fresh = NULL;
      CwCodeItem *item;

      if (code == NULL || (fresh = cw_project_get_code (self->project, id, NULL)) == NULL)
        return FALSE;
      if (fresh->n_codings == code->n_codings)
        continue;
      /* In place: the transcript view shares these codes. */
      code->n_codings = fresh->n_codings;
      if ((item = g_hash_table_lookup (self->items, &id)) != NULL)
        cw_code_item_set_code (item, code);
      if (selected != 0 && is_ancestor_or_self (self, selected, id))
        selected_counts = TRUE;
    }

  if (selected_counts && self->details_id == selected)
    update_details_count (self, find_code (self, selected));
  return TRUE;
}

/* After another program's commit: the codes now (one short query), their
 * counts from a worker. */
static void
reload_aside (CwCodebookPanel *self)
{
  gboolean pending = self->counts_pending;

  stop_counting (self);
  /* Rows that had no number yet go on without one. */
  self->counts_pending = pending;
  self->counts_stale = !pending;
  load (self, FALSE);
  start_counting (self);
  self->counts_pending = pending;
  self->counts_stale = !pending;
}

static void
external_change_cb (CwCodebookPanel *self)
{
  self->outside_change = TRUE;
}

static void
project_changed_cb (CwCodebookPanel *self)
{
  GArray *changes = cw_project_get_coding_changes (self->project);

  if (self->outside_change)
    {
      self->outside_change = FALSE;
      reload_aside (self);
      return;
    }
  if (!self->counts_pending && !self->counts_stale && changes != NULL && recount_codes (self, changes))
    return;
  cw_codebook_panel_reload (self);
}

static void
cw_codebook_panel_dispose (GObject *object)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (object);

  if (self->description_timeout != 0)
    save_description (self);
  stop_counting (self);
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->project, external_change_cb, self);
    }
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      self->dialog = NULL;
    }

  g_clear_pointer (&self->context_menu, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_CODEBOOK_PANEL);

  g_clear_object (&self->project);
  g_clear_object (&self->selection);
  g_clear_object (&self->tree);
  g_clear_object (&self->roots);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->collapsed, g_hash_table_unref);

  G_OBJECT_CLASS (cw_codebook_panel_parent_class)->dispose (object);
}

static void
cw_codebook_panel_finalize (GObject *object)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (object);

  g_free (self->signature);

  G_OBJECT_CLASS (cw_codebook_panel_parent_class)->finalize (object);
}

static void
cw_codebook_panel_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);

  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (self->context_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->context_menu));
}

static void
cw_codebook_panel_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CwCodebookPanel *self = CW_CODEBOOK_PANEL (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
cw_codebook_panel_class_init (CwCodebookPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_codebook_panel_dispose;
  object_class->finalize = cw_codebook_panel_finalize;
  widget_class->measure = cw_codebook_panel_measure;
  widget_class->size_allocate = cw_codebook_panel_size_allocate;

  /**
   * CwCodebookPanel::code-chosen:
   * @code_id: the code
   * @snap: whether to snap the text selection to whole words
   *
   * The user clicked or activated a code, or dropped text on it: the text
   * selected in the transcript is to be coded with it.
   */
  signals[CODE_CHOSEN] =
    g_signal_new ("code-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-codebook-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, box);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, add_button);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, list_view);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, details_stack);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, color_button);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, details_path);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, details_count);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, codable_switch);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, description_view);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, merge_button);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, memo_button);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, memo_content);
  gtk_widget_class_bind_template_child (widget_class, CwCodebookPanel, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, color_set_cb);
  gtk_widget_class_bind_template_callback (widget_class, codable_changed_cb);

  gtk_widget_class_install_action (widget_class, "codebook.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "codebook.add-child", NULL, add_child_action);
  gtk_widget_class_install_action (widget_class, "codebook.rename", NULL, rename_action);
  gtk_widget_class_install_action (widget_class, "codebook.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "codebook.memo", NULL, memo_action);
  gtk_widget_class_install_action (widget_class, "codebook.context-menu", NULL, context_menu_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "codebook.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "codebook.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "codebook.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK, "codebook.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "codebook.context-menu", NULL);

  gtk_widget_class_set_css_name (widget_class, "cw-codebook");
}

static void
cw_codebook_panel_init (CwCodebookPanel *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->collapsed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->roots = g_list_store_new (CW_TYPE_CODE_ITEM);
  self->tree = gtk_tree_list_model_new (G_LIST_MODEL (g_object_ref (self->roots)),
                                        FALSE, FALSE, create_child_model, NULL, NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->tree)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->description_view), "changed",
                            G_CALLBACK (description_changed_cb), self);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (description_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->description_view), focus);

  build_merge_popover (self);
  self->context_menu = gtk_popover_menu_new_from_model (self->row_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->context_menu), FALSE);
  gtk_widget_set_halign (self->context_menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->context_menu, GTK_WIDGET (self));

  gtk_stack_set_visible_child_name (self->list_stack, "empty");
  update_details (self);
}

GtkWidget *
cw_codebook_panel_new (void)
{
  return g_object_new (CW_TYPE_CODEBOOK_PANEL, NULL);
}

void
cw_codebook_panel_set_project (CwCodebookPanel *self,
                               CwProject       *project)
{
  g_return_if_fail (CW_IS_CODEBOOK_PANEL (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (self->description_timeout != 0)
    save_description (self);
  if (self->project != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->project, project_changed_cb, self);
      g_signal_handlers_disconnect_by_func (self->project, external_change_cb, self);
    }
  g_set_object (&self->project, project);
  self->outside_change = FALSE;
  if (project != NULL)
    {
      g_signal_connect_swapped (project, "external-change", G_CALLBACK (external_change_cb), self);
      g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
    }

  g_hash_table_remove_all (self->collapsed);
  g_clear_pointer (&self->signature, g_free);
  self->details_id = 0;
  stop_counting (self);
  /* The tree now, the numbers when a worker has counted them. */
  self->counts_pending = project != NULL;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  load (self, project == NULL);
  if (project != NULL)
    start_counting (self);
}

gboolean
_cw_codebook_panel_is_counting (CwCodebookPanel *self)
{
  return self->counts_pending || self->counts_stale;
}

gint64
cw_codebook_panel_get_selected (CwCodebookPanel *self)
{
  GtkTreeListRow *row;
  g_autoptr(CwCodeItem) item = NULL;

  g_return_val_if_fail (CW_IS_CODEBOOK_PANEL (self), 0);

  row = gtk_single_selection_get_selected_item (self->selection);
  if (row == NULL)
    return 0;
  item = gtk_tree_list_row_get_item (row);
  return cw_code_item_get_id (item);
}

gboolean
cw_codebook_panel_select_code (CwCodebookPanel *self,
                               gint64           code_id)
{
  g_autoptr(GArray) chain = g_array_new (FALSE, FALSE, sizeof (gint64));
  const CwCode *code;
  guint position = 0;

  g_return_val_if_fail (CW_IS_CODEBOOK_PANEL (self), FALSE);

  if (!g_hash_table_contains (self->items, &code_id))
    return FALSE;

  /* Unfold from the top down to the code. */
  for (code = find_code (self, code_id); code != NULL;
       code = code->parent_id != 0 ? find_code (self, code->parent_id) : NULL)
    g_array_prepend_val (chain, code->id);

  for (guint level = 0; level < chain->len; level++)
    {
      gint64 id = g_array_index (chain, gint64, level);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tree));
      gboolean found = FALSE;

      for (; position < n; position++)
        {
          g_autoptr(GtkTreeListRow) row = gtk_tree_list_model_get_row (self->tree, position);
          g_autoptr(CwCodeItem) item = gtk_tree_list_row_get_item (row);

          if (cw_code_item_get_id (item) == id)
            {
              found = TRUE;
              if (level + 1 < chain->len)
                gtk_tree_list_row_set_expanded (row, TRUE);
              break;
            }
        }
      if (!found)
        return FALSE;
    }

  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  return TRUE;
}

GPtrArray *
cw_codebook_panel_get_codes (CwCodebookPanel *self)
{
  g_return_val_if_fail (CW_IS_CODEBOOK_PANEL (self), NULL);

  return self->codes;
}

/* For the window and the tests */

void
_cw_codebook_panel_click (CwCodebookPanel *self,
                          gint64           code_id,
                          gboolean         snap)
{
  const CwCode *code = find_code (self, code_id);

  if (code != NULL && code->codable)
    g_signal_emit (self, signals[CODE_CHOSEN], 0, code_id, snap);
}

gboolean
_cw_codebook_panel_drop (CwCodebookPanel *self,
                         gint64           code_id,
                         const GValue    *value,
                         CwDropZone       zone,
                         gboolean         snap)
{
  g_autoptr(GError) error = NULL;
  const CwCode *target = find_code (self, code_id);
  const CwCode *source;
  gint64 parent_id;
  int position;

  if (target == NULL || value == NULL || self->project == NULL)
    return FALSE;

  if (G_VALUE_HOLDS (value, GTK_TYPE_TEXT_BUFFER))
    {
      if (!target->codable)
        return FALSE;
      g_signal_emit (self, signals[CODE_CHOSEN], 0, code_id, snap);
      return TRUE;
    }

  if (!G_VALUE_HOLDS (value, CW_TYPE_CODE_ITEM) || g_value_get_object (value) == NULL)
    return FALSE;

  source = find_code (self, cw_code_item_get_id (g_value_get_object (value)));
  if (source == NULL || is_ancestor_or_self (self, source->id, target->id))
    return FALSE;

  /* Positions count the siblings without the code that moves. */
  switch (zone)
    {
    case CW_DROP_INTO:
      parent_id = target->id;
      position = -1;
      break;
    case CW_DROP_BEFORE:
    case CW_DROP_AFTER:
    default:
      parent_id = target->parent_id;
      position = target->position + (zone == CW_DROP_AFTER ? 1 : 0);
      if (source->parent_id == parent_id && source->position < target->position)
        position--;
      break;
    }

  if (zone != CW_DROP_INTO && source->parent_id == parent_id && position == source->position)
    return TRUE;

  if (!cw_project_move_code (self->project, source->id, parent_id, position, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  if (parent_id != 0)
    {
      gint64 *key = g_memdup2 (&parent_id, sizeof parent_id);

      g_hash_table_remove (self->collapsed, key);
      g_free (key);
      cw_codebook_panel_reload (self);
    }
  cw_codebook_panel_select_code (self, source->id);
  return TRUE;
}

GtkSingleSelection *
_cw_codebook_panel_get_selection (CwCodebookPanel *self)
{
  return self->selection;
}

GtkListView *
_cw_codebook_panel_get_list_view (CwCodebookPanel *self)
{
  return self->list_view;
}

GtkEditable *
_cw_codebook_panel_get_search_entry (CwCodebookPanel *self)
{
  return GTK_EDITABLE (self->search_entry);
}

GtkTextView *
_cw_codebook_panel_get_description (CwCodebookPanel *self)
{
  return self->description_view;
}

GtkLabel *
_cw_codebook_panel_get_details_path (CwCodebookPanel *self)
{
  return self->details_path;
}

GtkEditable *
_cw_codebook_panel_get_rename_entry (CwCodebookPanel *self)
{
  GtkWidget *box;

  if (self->rename_id == 0 || (box = g_hash_table_lookup (self->rows, &self->rename_id)) == NULL)
    return NULL;
  return GTK_EDITABLE (g_object_get_data (G_OBJECT (box), "entry"));
}

AdwMessageDialog *
_cw_codebook_panel_get_dialog (CwCodebookPanel *self)
{
  return self->dialog;
}

void
_cw_codebook_panel_flush (CwCodebookPanel *self)
{
  if (self->description_timeout != 0)
    save_description (self);
}

GtkWidget *
_cw_codebook_panel_get_memo_button (CwCodebookPanel *self)
{
  return self->memo_button;
}

GtkPopover *
_cw_codebook_panel_get_context_menu (CwCodebookPanel *self)
{
  return GTK_POPOVER (self->context_menu);
}
