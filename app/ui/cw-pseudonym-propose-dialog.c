/* cw-pseudonym-propose-dialog.c: names found in the project that may need
 * a pseudonym, for the researcher to check, adjust and add.
 *
 * Looking reads every document, so it runs in a worker on its own
 * connection and hands over a finished list. Nothing is added until the
 * researcher presses Add: the core only proposes.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-pseudonym.h"
#include "cw-pseudonym-propose-dialog.h"
#include "cw-pseudonym-view.h"

typedef struct
{
  GtkCheckButton *check;
  GtkEntry       *entry;
  GtkDropDown    *category;
} CandidateRow;

struct _CwPseudonymProposeDialog
{
  AdwWindow       parent_instance;

  /* template */
  GtkButton      *add_button;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  GtkListBox     *list_box;

  /* owned */
  CwProject      *project;
  GCancellable   *cancellable;
  GPtrArray      *candidates; /* CwPseudonymCandidate */
  GArray         *rows;       /* CandidateRow, one per candidate */
  GPtrArray      *keys;       /* the dropdowns' categories; "" for none */
};

enum {
  ADDED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwPseudonymProposeDialog, cw_pseudonym_propose_dialog, ADW_TYPE_WINDOW)

static guint
n_checked (CwPseudonymProposeDialog *self)
{
  guint n = 0;

  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      CandidateRow *row = &g_array_index (self->rows, CandidateRow, i);
      g_autofree char *pseudonym = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->entry))));

      if (gtk_check_button_get_active (row->check) && pseudonym[0] != '\0')
        n++;
    }
  return n;
}

static void
update_add_button (CwPseudonymProposeDialog *self)
{
  guint n = n_checked (self);
  g_autofree char *label = NULL;

  if (n == 0)
    label = g_strdup (_("_Add"));
  else
    /* Translators: the button that adds the checked names to the table. */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Add %u", "_Add %u", n), n);
  gtk_button_set_label (self->add_button, label);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), n > 0);
}

static guint
category_index (CwPseudonymProposeDialog *self,
                const char               *category)
{
  for (guint i = 0; category != NULL && i < self->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->keys, i), category) == 0)
      return i;
  return 0;
}

static char *
describe_source (const CwPseudonymCandidate *candidate)
{
  g_autofree char *times = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u time", "%u times",
                                                         candidate->occurrences),
                                            candidate->occurrences);
  const char *source = candidate->source != NULL ? candidate->source : "";
  g_autofree char *where = NULL;

  if (strcmp (source, "speaker") == 0)
    where = g_strdup (_("Speaker"));
  else if (g_str_has_prefix (source, "variable:"))
    /* Translators: a case variable's name. */
    where = g_strdup_printf (_("Case variable “%s”"), source + strlen ("variable:"));
  else
    where = g_strdup (_("Capitalised word"));
  /* Translators: where a name was found, then how often, as "Speaker · 12 times". */
  return g_strdup_printf (C_("candidate", "%s · %s"), where, times);
}

static void
add_candidate_row (CwPseudonymProposeDialog   *self,
                   GtkStringList              *labels,
                   const CwPseudonymCandidate *candidate)
{
  CandidateRow row;
  GtkWidget *action_row = adw_action_row_new ();
  g_autofree char *subtitle = describe_source (candidate);
  const char *source = candidate->source != NULL ? candidate->source : "";

  row.check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (row.check), GTK_ALIGN_CENTER);
  /* Speakers and case names are names; a capitalised word is a guess. */
  gtk_check_button_set_active (row.check, strcmp (source, "capitalised") != 0);
  row.entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_text (GTK_EDITABLE (row.entry),
                         candidate->suggested_pseudonym != NULL ? candidate->suggested_pseudonym : "");
  gtk_editable_set_width_chars (GTK_EDITABLE (row.entry), 14);
  gtk_widget_set_valign (GTK_WIDGET (row.entry), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row.entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Pseudonym"), -1);
  row.category = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL));
  gtk_drop_down_set_selected (row.category, category_index (self, candidate->category));
  gtk_widget_set_valign (GTK_WIDGET (row.category), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (row.category), "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row.category), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Category"), -1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), candidate->real);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (action_row), GTK_WIDGET (row.check));
  adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), GTK_WIDGET (row.entry));
  adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), GTK_WIDGET (row.category));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (action_row), GTK_WIDGET (row.check));
  g_signal_connect_swapped (row.check, "toggled", G_CALLBACK (update_add_button), self);
  g_signal_connect_swapped (row.entry, "changed", G_CALLBACK (update_add_button), self);
  gtk_list_box_append (self->list_box, action_row);
  g_array_append_val (self->rows, row);
}

static void
show_candidates (CwPseudonymProposeDialog *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);

  for (guint i = 0; i < self->keys->len; i++)
    {
      const char *key = g_ptr_array_index (self->keys, i);

      gtk_string_list_append (labels, key[0] == '\0' ? C_("pseudonym category", "None")
                                                     : cw_pseudonym_category_label (key));
    }
  for (guint i = 0; i < self->candidates->len; i++)
    add_candidate_row (self, labels, g_ptr_array_index (self->candidates, i));
  gtk_stack_set_visible_child_name (self->stack, self->candidates->len > 0 ? "list" : "empty");
  update_add_button (self);
}

/* Looking */

static void
propose_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(CwProject) project = NULL;
  GPtrArray *candidates;
  GError *error = NULL;

  project = cw_project_open (path, &error);
  candidates = project != NULL ? cw_project_propose_pseudonyms (project, cancellable, &error) : NULL;
  if (candidates == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, candidates, (GDestroyNotify) g_ptr_array_unref);
}

static void
propose_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CwPseudonymProposeDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&candidates, g_ptr_array_unref);
      return;
    }
  g_clear_object (&self->cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (candidates == NULL)
    {
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  self->candidates = candidates;
  show_candidates (self);
}

/* Adding */

static void
add_clicked_cb (CwPseudonymProposeDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_pseudonym_free);
  guint added = 0;

  if (self->candidates == NULL || self->project == NULL)
    return;
  for (guint i = 0; i < self->rows->len; i++)
    {
      CandidateRow *row = &g_array_index (self->rows, CandidateRow, i);
      const CwPseudonymCandidate *candidate = g_ptr_array_index (self->candidates, i);
      guint index = gtk_drop_down_get_selected (row->category);
      const char *category = index < self->keys->len ? g_ptr_array_index (self->keys, index) : "";
      g_autofree char *pseudonym = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->entry))));
      CwPseudonym *chosen_row;

      if (!gtk_check_button_get_active (row->check) || pseudonym[0] == '\0')
        continue;
      chosen_row = g_new0 (CwPseudonym, 1);
      chosen_row->real = g_strdup (candidate->real);
      chosen_row->pseudonym = g_steal_pointer (&pseudonym);
      chosen_row->category = category[0] != '\0' ? g_strdup (category) : NULL;
      g_ptr_array_add (chosen, chosen_row);
    }
  /* One undo step for the lot, as it was one click; all or none. */
  if (cw_project_add_pseudonyms (self->project, (const CwPseudonym * const *) chosen->pdata, chosen->len, &error))
    added = chosen->len;

  g_object_ref (self);
  if (added > 0)
    g_signal_emit (self, signals[ADDED], 0, added);
  if (error != NULL)
    g_signal_emit (self, signals[MESSAGE], 0, error->message);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}

CwPseudonymProposeDialog *
cw_pseudonym_propose_dialog_new (GtkWindow *parent,
                                 CwProject *project)
{
  CwPseudonymProposeDialog *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  self = g_object_new (CW_TYPE_PSEUDONYM_PROPOSE_DIALOG, "transient-for", parent, NULL);
  self->project = g_object_ref (project);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);

  task = g_task_new (NULL, self->cancellable, propose_done_cb, g_object_ref (self));
  g_task_set_source_tag (task, cw_pseudonym_propose_dialog_new);
  g_task_set_task_data (task, g_strdup (cw_project_get_path (project)), g_free);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, propose_thread);
  return self;
}

/* For the tests */

gboolean
_cw_pseudonym_propose_dialog_is_busy (CwPseudonymProposeDialog *self)
{
  return self->cancellable != NULL;
}

guint
_cw_pseudonym_propose_dialog_get_n_candidates (CwPseudonymProposeDialog *self)
{
  return self->candidates != NULL ? self->candidates->len : 0;
}

const char *
_cw_pseudonym_propose_dialog_get_real (CwPseudonymProposeDialog *self,
                                       guint                     i)
{
  if (self->candidates == NULL || i >= self->candidates->len)
    return NULL;
  return ((CwPseudonymCandidate *) g_ptr_array_index (self->candidates, i))->real;
}

void
_cw_pseudonym_propose_dialog_set_checked (CwPseudonymProposeDialog *self,
                                          guint                     i,
                                          gboolean                  checked)
{
  g_return_if_fail (i < self->rows->len);
  gtk_check_button_set_active (g_array_index (self->rows, CandidateRow, i).check, checked);
}

void
_cw_pseudonym_propose_dialog_set_pseudonym (CwPseudonymProposeDialog *self,
                                            guint                     i,
                                            const char               *pseudonym)
{
  g_return_if_fail (i < self->rows->len);
  gtk_editable_set_text (GTK_EDITABLE (g_array_index (self->rows, CandidateRow, i).entry), pseudonym);
}

const char *
_cw_pseudonym_propose_dialog_get_add_label (CwPseudonymProposeDialog *self)
{
  return gtk_button_get_label (self->add_button);
}

void
_cw_pseudonym_propose_dialog_add (CwPseudonymProposeDialog *self)
{
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->add_button)))
    add_clicked_cb (self);
}

/* GObject */

static void
cw_pseudonym_propose_dialog_dispose (GObject *object)
{
  CwPseudonymProposeDialog *self = CW_PSEUDONYM_PROPOSE_DIALOG (object);

  /* The worker's callback holds a reference: cancelling lets it finish. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_PSEUDONYM_PROPOSE_DIALOG);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (cw_pseudonym_propose_dialog_parent_class)->dispose (object);
}

static void
cw_pseudonym_propose_dialog_finalize (GObject *object)
{
  CwPseudonymProposeDialog *self = CW_PSEUDONYM_PROPOSE_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_pseudonym_propose_dialog_parent_class)->finalize (object);
}

static void
cw_pseudonym_propose_dialog_class_init (CwPseudonymProposeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_pseudonym_propose_dialog_dispose;
  object_class->finalize = cw_pseudonym_propose_dialog_finalize;

  signals[ADDED] =
    g_signal_new ("added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-pseudonym-propose-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymProposeDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymProposeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymProposeDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwPseudonymProposeDialog, list_box);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cw_pseudonym_propose_dialog_init (CwPseudonymProposeDialog *self)
{
  const char * const *categories = cw_pseudonym_categories ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_array_new (FALSE, FALSE, sizeof (CandidateRow));
  self->keys = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->keys, g_strdup (""));
  for (guint i = 0; categories[i] != NULL; i++)
    g_ptr_array_add (self->keys, g_strdup (categories[i]));
  update_add_button (self);
}
