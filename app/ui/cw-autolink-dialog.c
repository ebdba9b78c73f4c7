/* cw-autolink-dialog.c: linking cases to documents and speakers in one go.
 *
 * The proposals come from cw_project_propose_case_links_by, each a row
 * with a check button, checked at first: the matcher is careful, but the
 * researcher knows that "Sam" in one interview is not the Sam of the
 * cohort. Link adds the checked ones with cw_project_link_cases, one undo
 * step. That runs on the main thread: a few hundred inserts in one
 * transaction take milliseconds, less than a worker's round trip.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-autolink-dialog-private.h"
#include "cw-cases.h"

/* CwAutolinkItem: one proposal and whether it is checked. */

#define CW_TYPE_AUTOLINK_ITEM (cw_autolink_item_get_type ())
G_DECLARE_FINAL_TYPE (CwAutolinkItem, cw_autolink_item, CW, AUTOLINK_ITEM, GObject)

struct _CwAutolinkItem
{
  GObject     parent_instance;

  CwCaseLink *link;
  char       *name;    /* the case's name value, or NULL */
  gboolean    active;
};

enum
{
  ITEM_PROP_0,
  ITEM_PROP_ACTIVE,
  ITEM_N_PROPS
};

static GParamSpec *item_props[ITEM_N_PROPS];

G_DEFINE_FINAL_TYPE (CwAutolinkItem, cw_autolink_item, G_TYPE_OBJECT)

static void
cw_autolink_item_finalize (GObject *object)
{
  CwAutolinkItem *self = CW_AUTOLINK_ITEM (object);

  g_clear_pointer (&self->link, cw_case_link_free);
  g_free (self->name);

  G_OBJECT_CLASS (cw_autolink_item_parent_class)->finalize (object);
}

static void
cw_autolink_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CwAutolinkItem *self = CW_AUTOLINK_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_autolink_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CwAutolinkItem *self = CW_AUTOLINK_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_ACTIVE:
      if (self->active != g_value_get_boolean (value))
        {
          self->active = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_autolink_item_class_init (CwAutolinkItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_autolink_item_finalize;
  object_class->get_property = cw_autolink_item_get_property;
  object_class->set_property = cw_autolink_item_set_property;

  item_props[ITEM_PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_props);
}

static void
cw_autolink_item_init (CwAutolinkItem *self)
{
  self->active = TRUE;
}

/* The dialog */

struct _CwAutolinkDialog
{
  AdwWindow       parent_instance;

  /* template */
  GtkButton      *cancel_button;
  GtkButton      *link_button;
  AdwComboRow    *match_row;
  GtkStringList  *match_model;
  GtkWidget      *selection_box;
  GtkLabel       *count_label;
  GtkButton      *select_all_button;
  GtkButton      *select_none_button;
  GtkStack       *stack;
  GtkListBox     *list_box;
  AdwStatusPage  *empty_page;

  /* owned */
  CwProject      *project;
  GListStore     *items;      /* CwAutolinkItem */
  GPtrArray      *variables;  /* char*, the text variables offered after "Case ids" */
  char           *name_variable;  /* shown next to the ids when matching them, or NULL */
  gboolean        loading;
};

enum
{
  LINKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwAutolinkDialog, cw_autolink_dialog, ADW_TYPE_WINDOW)

/* The chosen variable, NULL for the case ids. */
static const char *
chosen_variable (CwAutolinkDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->match_row);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || self->variables == NULL ||
      selected > self->variables->len)
    return NULL;
  return g_ptr_array_index (self->variables, selected - 1);
}

static guint
count_active (CwAutolinkDialog *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint active = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwAutolinkItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (item->active)
        active++;
    }
  return active;
}

static void
update_state (CwAutolinkDialog *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint active = count_active (self);
  g_autofree char *label = NULL;
  g_autofree char *count = NULL;

  if (n == 0)
    label = g_strdup (_("_Link"));
  else
    /* Translators: the button that links the checked proposals; %u is how many. */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Link %u", "_Link %u", active), active);
  gtk_button_set_label (self->link_button, label);
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        /* Translators: checked proposals, then all proposals. */
                                        "%u of %u proposal checked", "%u of %u proposals checked", n),
                           active, n);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_set_visible (self->selection_box, n > 0);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "autolink.link", active > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "autolink.select-all", active < n);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "autolink.select-none", active > 0);
}

static void
show_empty (CwAutolinkDialog *self,
            const char       *title,
            const char       *description)
{
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Whether a variable's name says it holds names. */
static gboolean
is_name_variable (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);

  return strstr (folded, "naam") != NULL || strstr (folded, "name") != NULL;
}

static void
load_variables (CwAutolinkDialog *self)
{
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GError) error = NULL;

  self->variables = g_ptr_array_new_with_free_func (g_free);
  self->loading = TRUE;
  gtk_string_list_append (self->match_model, _("Case ids"));
  variables = cw_project_list_variables (self->project, &error);
  for (guint i = 0; variables != NULL && i < variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (variables, i);

      if (variable->type != CW_VARIABLE_TEXT)
        continue;
      g_ptr_array_add (self->variables, g_strdup (variable->name));
      gtk_string_list_append (self->match_model, variable->name);
      if (self->name_variable == NULL && is_name_variable (variable->name))
        self->name_variable = g_strdup (variable->name);
    }
  adw_combo_row_set_selected (self->match_row, 0);
  self->loading = FALSE;
}

/* Each case's value of variable, as text: what the rows show next to
 * the id. */
static GHashTable *
case_names (CwAutolinkDialog *self,
            const char       *variable)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  int column = -1;

  if (variable == NULL)
    return g_steal_pointer (&names);
  variables = cw_project_list_variables (self->project, NULL);
  for (guint i = 0; variables != NULL && i < variables->len && column < 0; i++)
    if (g_strcmp0 (((const CwVariable *) g_ptr_array_index (variables, i))->name, variable) == 0)
      column = (int) i;
  if (column < 0)
    return g_steal_pointer (&names);
  cases = cw_project_list_cases (self->project, NULL);
  for (guint i = 0; cases != NULL && i < cases->len; i++)
    {
      const CwCase *kase = g_ptr_array_index (cases, i);
      GVariant *value = (guint) column < kase->values->len ? g_ptr_array_index (kase->values, column) : NULL;

      if (value != NULL && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        g_hash_table_insert (names, g_memdup2 (&kase->id, sizeof kase->id), g_variant_dup_string (value, NULL));
    }
  return g_steal_pointer (&names);
}

static void
item_active_cb (CwAutolinkDialog *self)
{
  update_state (self);
}

static void
propose (CwAutolinkDialog *self)
{
  const char *variable = chosen_variable (self);
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;

  proposals = cw_project_propose_case_links_by (self->project, variable, &error);
  names = case_names (self, variable != NULL ? variable : self->name_variable);
  for (guint i = 0; proposals != NULL && i < proposals->len; i++)
    {
      CwAutolinkItem *item = g_object_new (CW_TYPE_AUTOLINK_ITEM, NULL);

      item->link = g_steal_pointer (&g_ptr_array_index (proposals, i));
      item->name = g_strdup (g_hash_table_lookup (names, &item->link->case_id));
      g_signal_connect_object (item, "notify::active", G_CALLBACK (item_active_cb), self, G_CONNECT_SWAPPED);
      g_ptr_array_add (items, item);
    }
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       items->pdata, items->len);

  if (proposals == NULL)
    show_empty (self, _("Cannot Propose Links"), error->message);
  else if (items->len > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      g_autoptr(GPtrArray) cases = cw_project_list_cases (self->project, NULL);
      g_autoptr(GPtrArray) documents = cw_project_list_documents (self->project, NULL);
      g_autoptr(GPtrArray) links = cw_project_list_case_links (self->project, 0, NULL);
      g_autofree char *description = NULL;

      if (cases == NULL || cases->len == 0)
        show_empty (self, _("No Cases"), _("Import the cohort’s records first."));
      else if (documents == NULL || documents->len == 0)
        show_empty (self, _("No Documents"), _("Import the interviews first."));
      else if (links != NULL && links->len > 0)
        show_empty (self, _("Nothing to Link"), _("Every case that matches is already linked."));
      else
        {
          if (variable == NULL)
            description = g_strdup (_("No case id appears in the name of a speaker or a document."));
          else
            /* Translators: a variable's name. */
            description = g_strdup_printf (_("No value of “%s” appears in the name of a speaker or a document."),
                                           variable);
          show_empty (self, _("No Matches"), description);
        }
    }
  update_state (self);
}

static void
match_changed_cb (CwAutolinkDialog *self)
{
  if (self->project != NULL && !self->loading)
    propose (self);
}

/* The rows */

static char *
row_title (CwAutolinkItem *item)
{
  if (item->name != NULL && item->name[0] != '\0' && g_strcmp0 (item->name, item->link->case_identifier) != 0)
    /* Translators: a case's id and its name, as "P01 · Sam". */
    return g_strdup_printf (C_("case and name", "%s · %s"), item->link->case_identifier, item->name);
  return g_strdup (item->link->case_identifier);
}

static char *
row_subtitle (CwAutolinkItem *item)
{
  if (item->link->speaker != NULL)
    /* Translators: where a case would be linked: a document, then a speaker in it. */
    return g_strdup_printf (_("→ %s · %s"), item->link->document, item->link->speaker);
  /* Translators: where a case would be linked: a document as a whole. */
  return g_strdup_printf (_("→ %s · whole document"), item->link->document);
}

static GtkWidget *
create_row (gpointer item_pointer,
            gpointer user_data)
{
  CwAutolinkItem *item = item_pointer;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *title = row_title (item);
  g_autofree char *subtitle = row_subtitle (item);
  g_autofree char *title_markup = g_markup_escape_text (title, -1);
  g_autofree char *subtitle_markup = g_markup_escape_text (subtitle, -1);
  g_autofree char *accessible = g_strdup_printf ("%s %s", title, subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle_markup);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  /* Activating the row (a click, Space, Enter) toggles it. */
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_bind_property (item, "active", check, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_set_data (G_OBJECT (row), "check", check);
  return row;
}

/* Actions */

static void
set_all (CwAutolinkDialog *self,
         gboolean          active)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwAutolinkItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      g_object_set (item, "active", active, NULL);
    }
}

static void
select_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  set_all (CW_AUTOLINK_DIALOG (widget), TRUE);
}

static void
select_none_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  set_all (CW_AUTOLINK_DIALOG (widget), FALSE);
}

static void
link_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwAutolinkDialog *self = CW_AUTOLINK_DIALOG (widget);
  g_autoptr(GPtrArray) links = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  int added;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwAutolinkItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (item->active)
        g_ptr_array_add (links, item->link);  /* the store keeps the item */
    }
  if (links->len == 0)
    return;

  added = cw_project_link_cases (self->project, links, &error);
  if (added < 0)
    {
      /* The project changed under the dialog (a case deleted): propose
       * again from what is there now, and say why nothing was linked. */
      propose (self);
      if (g_list_model_get_n_items (G_LIST_MODEL (self->items)) > 0)
        gtk_label_set_text (self->count_label, error->message);
      else
        show_empty (self, _("Nothing Was Linked"), error->message);
      return;
    }
  g_signal_emit (self, signals[LINKED], 0, added);
  gtk_window_close (GTK_WINDOW (self));
}

/* Public */

CwAutolinkDialog *
cw_autolink_dialog_new (GtkWindow *parent,
                        CwProject *project)
{
  CwAutolinkDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  self = g_object_new (CW_TYPE_AUTOLINK_DIALOG, "transient-for", parent, NULL);
  self->project = g_object_ref (project);
  load_variables (self);
  propose (self);
  return self;
}

/* GObject */

static void
cw_autolink_dialog_dispose (GObject *object)
{
  CwAutolinkDialog *self = CW_AUTOLINK_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_AUTOLINK_DIALOG);
  g_clear_object (&self->project);
  g_clear_object (&self->items);
  g_clear_pointer (&self->variables, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_autolink_dialog_parent_class)->dispose (object);
}

static void
cw_autolink_dialog_finalize (GObject *object)
{
  CwAutolinkDialog *self = CW_AUTOLINK_DIALOG (object);

  g_free (self->name_variable);

  G_OBJECT_CLASS (cw_autolink_dialog_parent_class)->finalize (object);
}

static void
cw_autolink_dialog_class_init (CwAutolinkDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_autolink_dialog_dispose;
  object_class->finalize = cw_autolink_dialog_finalize;

  /**
   * CwAutolinkDialog::linked:
   * @n_added: the links added
   *
   * The checked links were added as one undo step; the dialog closes.
   */
  signals[LINKED] =
    g_signal_new ("linked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-autolink-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, link_button);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, match_row);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, match_model);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, selection_box);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, select_all_button);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, select_none_button);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, CwAutolinkDialog, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, match_changed_cb);

  gtk_widget_class_install_action (widget_class, "autolink.link", NULL, link_action);
  gtk_widget_class_install_action (widget_class, "autolink.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "autolink.select-none", NULL, select_none_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "autolink.link", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "autolink.link", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK, "autolink.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "autolink.select-none", NULL);
}

static void
cw_autolink_dialog_init (CwAutolinkDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->items = g_list_store_new (CW_TYPE_AUTOLINK_ITEM);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->items), create_row, NULL, NULL);
  update_state (self);
}

/* For the tests */

AdwComboRow *
_cw_autolink_dialog_get_match_row (CwAutolinkDialog *self)
{
  return self->match_row;
}

gboolean
_cw_autolink_dialog_select_variable (CwAutolinkDialog *self,
                                     const char       *name)
{
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->variables, i), name) == 0)
      {
        adw_combo_row_set_selected (self->match_row, i + 1);
        return TRUE;
      }
  return FALSE;
}

guint
_cw_autolink_dialog_get_n_proposals (CwAutolinkDialog *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

const CwCaseLink *
_cw_autolink_dialog_get_proposal (CwAutolinkDialog *self,
                                  guint             index)
{
  g_autoptr(CwAutolinkItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), index);

  return item != NULL ? item->link : NULL;  /* the store keeps it */
}

char *
_cw_autolink_dialog_get_row_text (CwAutolinkDialog *self,
                                  guint             index)
{
  g_autoptr(CwAutolinkItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), index);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (item == NULL)
    return NULL;
  title = row_title (item);
  subtitle = row_subtitle (item);
  return g_strdup_printf ("%s %s", title, subtitle);
}

GtkCheckButton *
_cw_autolink_dialog_get_check (CwAutolinkDialog *self,
                               guint             index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, (int) index);

  return row != NULL ? g_object_get_data (G_OBJECT (row), "check") : NULL;
}

GtkButton *
_cw_autolink_dialog_get_link_button (CwAutolinkDialog *self)
{
  return self->link_button;
}

GtkButton *
_cw_autolink_dialog_get_select_all (CwAutolinkDialog *self)
{
  return self->select_all_button;
}

GtkButton *
_cw_autolink_dialog_get_select_none (CwAutolinkDialog *self)
{
  return self->select_none_button;
}

const char *
_cw_autolink_dialog_get_page (CwAutolinkDialog *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

AdwStatusPage *
_cw_autolink_dialog_get_empty_page (CwAutolinkDialog *self)
{
  return self->empty_page;
}

GtkLabel *
_cw_autolink_dialog_get_count_label (CwAutolinkDialog *self)
{
  return self->count_label;
}
