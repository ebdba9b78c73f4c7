/* cw-pseudonym-view.c: the project's pseudonym table, a page of the window.
 *
 * One row per real string. The rows are read on the main thread (a table
 * is a few hundred rows at most) whenever the project changes; every edit
 * goes through the core (cw-pseudonym.h), which makes it one undo step, and
 * the window offers Undo beside the message (::undoable-message). Adding
 * and editing use one small dialog; proposing runs the search for names in
 * a worker (CwPseudonymProposeDialog).
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-pseudonym.h"
#include "cw-pseudonym-view-private.h"

/* CwPseudonymRow: one row as shown. */

#define CW_TYPE_PSEUDONYM_ROW (cw_pseudonym_row_get_type ())
G_DECLARE_FINAL_TYPE (CwPseudonymRow, cw_pseudonym_row, CW, PSEUDONYM_ROW, GObject)

struct _CwPseudonymRow
{
  GObject      parent_instance;

  CwPseudonym *pseudonym;
  char        *search_key; /* casefolded real, pseudonym and category */
};

enum {
  ROW_PROP_0,
  ROW_PROP_REAL,
  ROW_PROP_PSEUDONYM,
  ROW_PROP_CATEGORY_LABEL,
  ROW_N_PROPS
};

static GParamSpec *row_props[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (CwPseudonymRow, cw_pseudonym_row, G_TYPE_OBJECT)

static void
cw_pseudonym_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CwPseudonymRow *self = CW_PSEUDONYM_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_REAL:
      g_value_set_string (value, self->pseudonym->real);
      break;
    case ROW_PROP_PSEUDONYM:
      g_value_set_string (value, self->pseudonym->pseudonym);
      break;
    case ROW_PROP_CATEGORY_LABEL:
      g_value_set_string (value, cw_pseudonym_category_label (self->pseudonym->category));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_pseudonym_row_finalize (GObject *object)
{
  CwPseudonymRow *self = CW_PSEUDONYM_ROW (object);

  g_clear_pointer (&self->pseudonym, cw_pseudonym_free);
  g_free (self->search_key);

  G_OBJECT_CLASS (cw_pseudonym_row_parent_class)->finalize (object);
}

static void
cw_pseudonym_row_class_init (CwPseudonymRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cw_pseudonym_row_get_property;
  object_class->finalize = cw_pseudonym_row_finalize;

  row_props[ROW_PROP_REAL] =
    g_param_spec_string ("real", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_props[ROW_PROP_PSEUDONYM] =
    g_param_spec_string ("pseudonym", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_props[ROW_PROP_CATEGORY_LABEL] =
    g_param_spec_string ("category-label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_props);
}

static void
cw_pseudonym_row_init (CwPseudonymRow *self)
{
}

/* Takes pseudonym. */
static CwPseudonymRow *
cw_pseudonym_row_new (CwPseudonym *pseudonym)
{
  CwPseudonymRow *self = g_object_new (CW_TYPE_PSEUDONYM_ROW, NULL);
  g_autofree char *joined = NULL;

  self->pseudonym = pseudonym;
  joined = g_strjoin ("\n", pseudonym->real, pseudonym->pseudonym,
                      cw_pseudonym_category_label (pseudonym->category), NULL);
  self->search_key = g_utf8_casefold (joined, -1);
  return self;
}

/* Categories */

static const char *const categories[] = { "person", "school", "place", "employer", "organisation", "other", NULL };

const char * const *
cw_pseudonym_categories (void)
{
  return categories;
}

const char *
cw_pseudonym_category_label (const char *category)
{
  if (category == NULL)
    return "";
  if (strcmp (category, "person") == 0)
    return C_("pseudonym category", "Person");
  if (strcmp (category, "school") == 0)
    return C_("pseudonym category", "School");
  if (strcmp (category, "place") == 0)
    return C_("pseudonym category", "Place");
  if (strcmp (category, "employer") == 0)
    return C_("pseudonym category", "Employer");
  if (strcmp (category, "organisation") == 0)
    return C_("pseudonym category", "Organisation");
  if (strcmp (category, "other") == 0)
    return C_("pseudonym category", "Other");
  if (strcmp (category, "case id") == 0)
    return C_("pseudonym category", "Case id");
  return category;
}

/* The view */

struct _CwPseudonymView
{
  GtkWidget           parent_instance;

  /* template */
  GtkWidget          *main_box;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkColumnView      *column_view;
  GtkLabel           *count_label;

  /* owned */
  CwProject          *project;
  gulong              changed_id;
  GListStore         *rows;      /* CwPseudonymRow */
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkSingleSelection *selection;
  char               *search;    /* casefolded */
  guint               reload_id;
  char               *last_message;

  /* weak */
  GtkWidget          *edit_dialog;
  CwPseudonymProposeDialog *propose_dialog;
};

enum {
  MESSAGE,
  UNDOABLE_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwPseudonymView, cw_pseudonym_view, GTK_TYPE_WIDGET)

static void
show_message (CwPseudonymView *self,
              const char      *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

/* A message about an edit the window's undo takes back. */
static void
show_undoable_message (CwPseudonymView *self,
                       const char      *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[UNDOABLE_MESSAGE], 0, message);
}

static CwPseudonymRow *
selected_row (CwPseudonymView *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static void
update_state (CwPseudonymView *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  g_autofree char *count = NULL;
  gboolean has_project = self->project != NULL;

  if (total == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "table");

  if (shown == total)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pseudonym", "%u pseudonyms", total), total);
  else
    /* Translators: rows shown of all the rows of the pseudonym table. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u pseudonym", "%u of %u pseudonyms", total),
                             shown, total);
  gtk_label_set_text (self->count_label, has_project ? count : "");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pseudonyms.add", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pseudonyms.propose", has_project);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pseudonyms.export-key", has_project && total > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pseudonyms.edit", selected_row (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pseudonyms.remove", selected_row (self) != NULL);
}

static void
reload (CwPseudonymView *self)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gint64 selected_id = selected_row (self) != NULL ? selected_row (self)->pseudonym->id : 0;

  if (self->project != NULL)
    {
      list = cw_project_list_pseudonyms (self->project, &error);
      if (list == NULL)
        show_message (self, error->message);
    }
  /* The rows take the entries over from the list. */
  if (list != NULL)
    g_ptr_array_set_free_func (list, NULL);
  for (guint i = 0; list != NULL && i < list->len; i++)
    g_ptr_array_add (rows, cw_pseudonym_row_new (g_ptr_array_index (list, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);

  /* Keep the selection on the same row. */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  for (guint i = 0; selected_id != 0 && i < g_list_model_get_n_items (G_LIST_MODEL (self->selection)); i++)
    {
      g_autoptr(CwPseudonymRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (row->pseudonym->id == selected_id)
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }
    }
  update_state (self);
}

static gboolean
reload_idle (gpointer user_data)
{
  CwPseudonymView *self = user_data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
project_changed_cb (CwPseudonymView *self)
{
  /* Several edits in one turn (Add N) read the table once. */
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle, self);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CwPseudonymView *self = user_data;

  return self->search == NULL || strstr (CW_PSEUDONYM_ROW (item)->search_key, self->search) != NULL;
}

static void
search_changed_cb (CwPseudonymView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (stripped[0] != '\0')
    self->search = g_utf8_casefold (stripped, -1);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_state (self);
}

/* Editing */

static char *
trimmed (const char *text)
{
  return g_strstrip (g_strdup (text != NULL ? text : ""));
}

static gboolean
commit (CwPseudonymView *self,
        gint64           id,
        const char      *real_text,
        const char      *pseudonym_text,
        const char      *category)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *real = trimmed (real_text);
  g_autofree char *pseudonym = trimmed (pseudonym_text);
  g_autofree char *message = NULL;

  if (self->project == NULL)
    return FALSE;

  if (id == 0)
    {
      if (cw_project_add_pseudonym (self->project, real, pseudonym, category, &error) == 0)
        {
          show_message (self, error->message);
          return FALSE;
        }
      /* Translators: a real name, then its pseudonym. */
      message = g_strdup_printf (_("Pseudonym added: “%s” → “%s”"), real, pseudonym);
    }
  else
    {
      /* An empty category clears it rather than keeping it. */
      if (!cw_project_update_pseudonym (self->project, id, real, pseudonym, category != NULL ? category : "",
                                        &error))
        {
          show_message (self, error->message);
          return FALSE;
        }
      message = g_strdup_printf (_("Pseudonym changed: “%s” → “%s”"), real, pseudonym);
    }
  show_undoable_message (self, message);
  return TRUE;
}

typedef struct
{
  CwPseudonymView *self;       /* not owned: the dialog goes with the view */
  gint64           id;         /* 0: a new row */
  AdwEntryRow     *real_row;
  AdwEntryRow     *pseudonym_row;
  AdwComboRow     *category_row;
  GPtrArray       *keys;       /* the combo's categories; "" for none */
} EditDialog;

static void
edit_dialog_free (EditDialog *edit)
{
  g_ptr_array_unref (edit->keys);
  g_free (edit);
}

/* TRUE when real (trimmed) is already another row's. */
static gboolean
is_duplicate (CwPseudonymView *self,
              gint64           id,
              const char      *real)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->rows)); i++)
    {
      g_autoptr(CwPseudonymRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (row->pseudonym->id != id && g_strcmp0 (row->pseudonym->real, real) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
edit_changed_cb (AdwMessageDialog *dialog)
{
  EditDialog *edit = g_object_get_data (G_OBJECT (dialog), "edit");
  g_autofree char *real = trimmed (gtk_editable_get_text (GTK_EDITABLE (edit->real_row)));
  g_autofree char *pseudonym = trimmed (gtk_editable_get_text (GTK_EDITABLE (edit->pseudonym_row)));
  gboolean duplicate = is_duplicate (edit->self, edit->id, real);

  if (duplicate)
    gtk_widget_add_css_class (GTK_WIDGET (edit->real_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (edit->real_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (edit->real_row),
                               duplicate ? _("Already in the table") : NULL);
  adw_message_dialog_set_response_enabled (dialog, "save",
                                           real[0] != '\0' && pseudonym[0] != '\0' && !duplicate &&
                                           strchr (real, '\n') == NULL);
}

static void
edit_response_cb (AdwMessageDialog *dialog,
                  const char       *response)
{
  EditDialog *edit = g_object_get_data (G_OBJECT (dialog), "edit");
  guint index = adw_combo_row_get_selected (edit->category_row);
  const char *category = index < edit->keys->len ? g_ptr_array_index (edit->keys, index) : "";

  if (g_strcmp0 (response, "save") != 0)
    return;
  commit (edit->self, edit->id,
          gtk_editable_get_text (GTK_EDITABLE (edit->real_row)),
          gtk_editable_get_text (GTK_EDITABLE (edit->pseudonym_row)),
          category[0] != '\0' ? category : NULL);
}

static void
open_edit_dialog (CwPseudonymView   *self,
                  const CwPseudonym *pseudonym)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  EditDialog *edit = g_new0 (EditDialog, 1);
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GtkWidget *dialog;
  GtkWidget *list;
  guint selected = 0;

  if (self->edit_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->edit_dialog));

  edit->self = self;
  edit->id = pseudonym != NULL ? pseudonym->id : 0;
  edit->keys = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (edit->keys, g_strdup (""));
  gtk_string_list_append (labels, C_("pseudonym category", "None"));
  for (guint i = 0; categories[i] != NULL; i++)
    {
      g_ptr_array_add (edit->keys, g_strdup (categories[i]));
      gtk_string_list_append (labels, cw_pseudonym_category_label (categories[i]));
    }
  if (pseudonym != NULL && pseudonym->category != NULL)
    {
      guint i;

      for (i = 0; i < edit->keys->len; i++)
        if (g_strcmp0 (g_ptr_array_index (edit->keys, i), pseudonym->category) == 0)
          break;
      /* A category from the command line stays on offer. */
      if (i == edit->keys->len)
        {
          g_ptr_array_add (edit->keys, g_strdup (pseudonym->category));
          gtk_string_list_append (labels, cw_pseudonym_category_label (pseudonym->category));
        }
      selected = i;
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  edit->real_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (edit->real_row), _("Real Name or Word"));
  edit->pseudonym_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (edit->pseudonym_row), _("Pseudonym"));
  edit->category_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (edit->category_row), _("Category"));
  adw_combo_row_set_model (edit->category_row, G_LIST_MODEL (labels));
  adw_combo_row_set_selected (edit->category_row, selected);
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (edit->real_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (edit->pseudonym_row));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (edit->category_row));
  if (pseudonym != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (edit->real_row), pseudonym->real);
      gtk_editable_set_text (GTK_EDITABLE (edit->pseudonym_row), pseudonym->pseudonym);
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   pseudonym != NULL ? _("Edit Pseudonym") : _("Add Pseudonym"),
                                   _("Each spelling is its own row: add “Ahmeds” apart from “Ahmed”. "
                                     "The real name is matched as a whole word, with its case."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", pseudonym != NULL ? _("_Save") : _("_Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "edit", edit, (GDestroyNotify) edit_dialog_free);
  g_signal_connect_swapped (edit->real_row, "changed", G_CALLBACK (edit_changed_cb), dialog);
  g_signal_connect_swapped (edit->pseudonym_row, "changed", G_CALLBACK (edit_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (edit_response_cb), NULL);
  edit_changed_cb (ADW_MESSAGE_DIALOG (dialog));

  self->edit_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->edit_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (pseudonym != NULL ? GTK_WIDGET (edit->pseudonym_row) : GTK_WIDGET (edit->real_row));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (widget);

  if (self->project != NULL)
    open_edit_dialog (self, NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (widget);
  CwPseudonymRow *row = selected_row (self);

  if (self->project != NULL && row != NULL)
    open_edit_dialog (self, row->pseudonym);
}

static void
row_activated_cb (CwPseudonymView *self,
                  guint            position)
{
  g_autoptr(CwPseudonymRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (self->project != NULL && row != NULL)
    open_edit_dialog (self, row->pseudonym);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (widget);
  CwPseudonymRow *row = selected_row (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *real = NULL;

  if (self->project == NULL || row == NULL)
    return;
  real = g_strdup (row->pseudonym->real);
  if (!cw_project_remove_pseudonym (self->project, row->pseudonym->id, &error))
    {
      show_message (self, error->message);
      return;
    }
  /* Translators: the real name whose row was removed. */
  message = g_strdup_printf (_("Pseudonym for “%s” removed"), real);
  show_undoable_message (self, message);
}

/* Proposing */

static void
proposed_added_cb (CwPseudonymView *self,
                   guint            n_added)
{
  g_autofree char *message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pseudonym added", "%u pseudonyms added", n_added), n_added);

  /* One at a time the window's undo takes each back. */
  show_undoable_message (self, message);
}

static void
propose_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->project == NULL)
    return;
  if (self->propose_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->propose_dialog));
      return;
    }
  self->propose_dialog = cw_pseudonym_propose_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                          self->project);
  g_object_add_weak_pointer (G_OBJECT (self->propose_dialog), (gpointer *) &self->propose_dialog);
  g_signal_connect_object (self->propose_dialog, "added", G_CALLBACK (proposed_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->propose_dialog, "message", G_CALLBACK (show_message), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->propose_dialog));
}

/* The key */

static char *
key_file_name (CwPseudonymView *self)
{
  g_autofree char *base = g_path_get_basename (cw_project_get_path (self->project));

  if (g_str_has_suffix (base, ".codewerk"))
    base[strlen (base) - strlen (".codewerk")] = '\0';
  /* Translators: the suggested file name of the pseudonym key; %s is the project's file name. */
  return g_strdup_printf (_("%s pseudonym key.csv"), base);
}

static void
export_key_response_cb (GtkNativeDialog *dialog,
                        int              response,
                        gpointer         user_data)
{
  g_autoptr(CwPseudonymView) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_object_unref (dialog);
  if (file == NULL || self->project == NULL)
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_message (self, _("Only local files can be used"));
      return;
    }
  if (!g_str_has_suffix (path, ".csv"))
    {
      char *with = g_strconcat (path, ".csv", NULL);

      g_free (path);
      path = with;
    }

  /* The chooser asked before replacing; the core never replaces. */
  partial = g_strconcat (path, ".part", NULL);
  g_unlink (partial);
  name = g_path_get_basename (path);
  if (!cw_project_export_pseudonym_key (self->project, partial, &error))
    {
      g_unlink (partial);
      show_message (self, error->message);
      return;
    }
  if (g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_unlink (partial);
      /* Translators: a file name, then the system's reason. */
      message = g_strdup_printf (_("Could not save “%s”: %s"), name, g_strerror (saved));
      show_message (self, message);
      return;
    }
  /* Translators: the key's file name. */
  message = g_strdup_printf (_("Key saved as “%s”: keep it apart from the data"), name);
  show_message (self, message);
}

static void
export_key_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->project == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Pseudonym Key"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  name = key_file_name (self);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (export_key_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
selection_changed_cb (CwPseudonymView *self)
{
  update_state (self);
}

/* Public */

void
cw_pseudonym_view_set_project (CwPseudonymView *self,
                               CwProject       *project)
{
  g_return_if_fail (CW_IS_PSEUDONYM_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  if (project != self->project)
    {
      if (self->edit_dialog != NULL)
        gtk_window_destroy (GTK_WINDOW (self->edit_dialog));
      if (self->propose_dialog != NULL)
        gtk_window_destroy (GTK_WINDOW (self->propose_dialog));
    }
  g_set_object (&self->project, project);
  if (project != NULL)
    self->changed_id = g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_handle_id (&self->reload_id, g_source_remove);
  reload (self);
}

CwPseudonymView *
cw_pseudonym_view_new (void)
{
  return g_object_new (CW_TYPE_PSEUDONYM_VIEW, NULL);
}

/* For the tests */

GStrv
_cw_pseudonym_view_get_rows (CwPseudonymView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwPseudonymRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), i);
      g_autofree char *text = g_strdup_printf ("%s → %s (%s)", row->pseudonym->real, row->pseudonym->pseudonym,
                                               row->pseudonym->category != NULL ? row->pseudonym->category : "");

      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

const char *
_cw_pseudonym_view_get_page (CwPseudonymView *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkSearchEntry *
_cw_pseudonym_view_get_search_entry (CwPseudonymView *self)
{
  return self->search_entry;
}

gboolean
_cw_pseudonym_view_add (CwPseudonymView *self,
                        const char      *real,
                        const char      *pseudonym,
                        const char      *category)
{
  return commit (self, 0, real, pseudonym, category);
}

gboolean
_cw_pseudonym_view_update (CwPseudonymView *self,
                           guint            position,
                           const char      *real,
                           const char      *pseudonym,
                           const char      *category)
{
  g_autoptr(CwPseudonymRow) row = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (row == NULL)
    return FALSE;
  return commit (self, row->pseudonym->id, real, pseudonym, category);
}

void
_cw_pseudonym_view_select (CwPseudonymView *self,
                           guint            position)
{
  gtk_single_selection_set_selected (self->selection, position);
}

GtkWindow *
_cw_pseudonym_view_get_edit_dialog (CwPseudonymView *self)
{
  return self->edit_dialog != NULL ? GTK_WINDOW (self->edit_dialog) : NULL;
}

void
_cw_pseudonym_view_fill_edit_dialog (CwPseudonymView *self,
                                     const char      *real,
                                     const char      *pseudonym,
                                     guint            category_index)
{
  EditDialog *edit;

  g_return_if_fail (self->edit_dialog != NULL);
  edit = g_object_get_data (G_OBJECT (self->edit_dialog), "edit");
  gtk_editable_set_text (GTK_EDITABLE (edit->real_row), real);
  gtk_editable_set_text (GTK_EDITABLE (edit->pseudonym_row), pseudonym);
  adw_combo_row_set_selected (edit->category_row, category_index);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (self->edit_dialog), "save");
}

CwPseudonymProposeDialog *
_cw_pseudonym_view_get_propose_dialog (CwPseudonymView *self)
{
  return self->propose_dialog;
}

const char *
_cw_pseudonym_view_get_last_message (CwPseudonymView *self)
{
  return self->last_message;
}

/* GObject */

static void
cw_pseudonym_view_dispose (GObject *object)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (object);
  GtkWidget *child;

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  /* The dialogs work on this view's project: they go with the view. */
  if (self->edit_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->edit_dialog), (gpointer *) &self->edit_dialog);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->edit_dialog)));
    }
  if (self->propose_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->propose_dialog), (gpointer *) &self->propose_dialog);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->propose_dialog)));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_PSEUDONYM_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->project);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (cw_pseudonym_view_parent_class)->dispose (object);
}

static void
cw_pseudonym_view_finalize (GObject *object)
{
  CwPseudonymView *self = CW_PSEUDONYM_VIEW (object);

  g_free (self->search);
  g_free (self->last_message);

  G_OBJECT_CLASS (cw_pseudonym_view_parent_class)->finalize (object);
}

static void
cw_pseudonym_view_class_init (CwPseudonymViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_pseudonym_view_dispose;
  object_class->finalize = cw_pseudonym_view_finalize;

  /* An edit was refused, or the key was saved: a toast. */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /* An edit the window's undo takes back: a toast with Undo. */
  signals[UNDOABLE_MESSAGE] =
    g_signal_new ("undoable-message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (CW_TYPE_PSEUDONYM_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-pseudonym-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymView, main_box);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymView, stack);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymView, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "pseudonyms.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "pseudonyms.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "pseudonyms.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "pseudonyms.propose", NULL, propose_action);
  gtk_widget_class_install_action (widget_class, "pseudonyms.export-key", NULL, export_key_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "pseudonyms.remove", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "pseudonyms.remove", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-pseudonym-view");
}

static void
cw_pseudonym_view_init (CwPseudonymView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (CW_TYPE_PSEUDONYM_ROW);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  update_state (self);
}
