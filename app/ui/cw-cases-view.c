/* cw-cases-view.c: the cohort's cases and their variables, as a table.
 *
 * One row per case, one column per variable, built again whenever the
 * variables change. The rows are read on the main thread (a cohort is a few
 * hundred cases at most); an import runs in a worker on its own connection.
 * A double click on a cell edits it; the value goes through
 * cw_project_set_case_value, which checks it and makes it undoable.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "cw-autolink-dialog.h"
#include "cw-cases.h"
#include "cw-cases-view-private.h"
#include "cw-window.h"

/* CwCaseRow: one case as shown, with its links in words. */

#define CW_TYPE_CASE_ROW (cw_case_row_get_type ())
G_DECLARE_FINAL_TYPE (CwCaseRow, cw_case_row, CW, CASE_ROW, GObject)

struct _CwCaseRow
{
  GObject  parent_instance;

  CwCase  *kase;
  char    *links;
};

G_DEFINE_FINAL_TYPE (CwCaseRow, cw_case_row, G_TYPE_OBJECT)

static void
cw_case_row_finalize (GObject *object)
{
  CwCaseRow *self = CW_CASE_ROW (object);

  g_clear_pointer (&self->kase, cw_case_free);
  g_free (self->links);

  G_OBJECT_CLASS (cw_case_row_parent_class)->finalize (object);
}

static void
cw_case_row_class_init (CwCaseRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_case_row_finalize;
}

static void
cw_case_row_init (CwCaseRow *self)
{
}

/* The view */

struct _CwCasesView
{
  GtkWidget       parent_instance;

  /* template */
  GtkWidget      *main_box;
  GtkStack       *stack;
  GtkColumnView  *column_view;
  AdwStatusPage  *empty_page;
  GtkSpinner     *spinner;
  GtkLabel       *count_label;

  /* owned */
  CwProject      *project;
  gulong          changed_id;
  GListStore     *rows;        /* CwCaseRow */
  GtkSortListModel *sorted;
  GPtrArray      *variables;   /* CwVariable, the columns after the id */
  char           *signature;   /* the variables as last built into columns */
  GCancellable   *import_cancellable;
  guint           reload_id;
  gboolean        stale;       /* hidden when the project changed: reload once shown */
  char           *last_message;

  /* weak */
  CwAutolinkDialog *autolink_dialog;
};

enum {
  MESSAGE,
  UNDOABLE_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwCasesView, cw_cases_view, GTK_TYPE_WIDGET)

/* Which column a cell or a sorter is for. */
#define ID_COLUMN    -1
#define LINKS_COLUMN -2

static void
show_message (CwCasesView *self,
              const char  *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

/* A message about an edit that the window's undo takes back: the window
 * offers Undo beside it. */
static void
show_undoable_message (CwCasesView *self,
                       const char  *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[UNDOABLE_MESSAGE], 0, message);
}

static const CwVariable *
get_variable (CwCasesView *self,
              int          index)
{
  if (self->variables == NULL || index < 0 || (guint) index >= self->variables->len)
    return NULL;
  return g_ptr_array_index (self->variables, index);
}

static GVariant *
get_value (CwCaseRow *row,
           int        index)
{
  if (row->kase->values == NULL || index < 0 || (guint) index >= row->kase->values->len)
    return NULL;
  return g_ptr_array_index (row->kase->values, index);
}

/* A number as people write it here: no ".0" on whole numbers, the
 * locale's decimal mark. */
static char *
format_number (double number)
{
  if (isfinite (number) && number == floor (number) && fabs (number) < 1e15)
    return g_strdup_printf ("%.0f", number);
  return g_strdup_printf ("%.10g", number);
}

static const char *
value_label (const CwVariable *variable,
             double            number)
{
  if (variable->value_labels == NULL)
    return NULL;
  return g_hash_table_lookup (variable->value_labels, &number);
}

/* The cell's text; NULL for a missing value. */
static char *
format_value (const CwVariable *variable,
              GVariant         *value)
{
  if (value == NULL)
    return NULL;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      double number = g_variant_get_double (value);
      g_autofree char *text = format_number (number);
      const char *label = variable != NULL ? value_label (variable, number) : NULL;

      if (label != NULL)
        /* Translators: a coded value and its label, as "1 · job". */
        return g_strdup_printf (C_("value label", "%s · %s"), text, label);
      return g_steal_pointer (&text);
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  return g_variant_print (value, FALSE);
}

/* What an edit starts from: the value alone, without its label. */
static char *
raw_value (GVariant *value)
{
  if (value == NULL)
    return g_strdup ("");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return format_number (g_variant_get_double (value));
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return g_variant_dup_string (value, NULL);
  return g_strdup ("");
}

/* Reading the cases */

static char *
variables_signature (GPtrArray *variables)
{
  GString *signature = g_string_new (NULL);

  for (guint i = 0; variables != NULL && i < variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (variables, i);

      g_string_append_printf (signature, "%" G_GINT64_FORMAT ":%s:%s:%d\n", variable->id, variable->name,
                              variable->label != NULL ? variable->label : "", variable->type);
    }
  return g_string_free (signature, FALSE);
}

static void update_count (CwCasesView *self);
static void rebuild_columns (CwCasesView *self);

static void
reload (CwCasesView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_case = NULL;
  g_autofree char *signature = NULL;

  if (self->project == NULL)
    {
      g_list_store_remove_all (self->rows);
      g_clear_pointer (&self->variables, g_ptr_array_unref);
      g_clear_pointer (&self->signature, g_free);
      rebuild_columns (self);
      update_count (self);
      return;
    }

  /* Hidden, the view waits: a coding made in the transcript would
   * otherwise rebuild every row. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;

  variables = cw_project_list_variables (self->project, &error);
  if (variables != NULL)
    cases = cw_project_list_cases (self->project, &error);
  if (cases != NULL)
    links = cw_project_list_case_links (self->project, 0, &error);
  if (links == NULL)
    {
      show_message (self, error->message);
      return;
    }

  /* Each case's links in words: "Interview Sanne (Sanne), Focus group". */
  by_case = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < links->len; i++)
    {
      const CwCaseLink *link = g_ptr_array_index (links, i);
      GPtrArray *texts = g_hash_table_lookup (by_case, &link->case_id);

      if (texts == NULL)
        {
          texts = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_case, g_memdup2 (&link->case_id, sizeof link->case_id), texts);
        }
      if (link->speaker != NULL)
        /* Translators: a document and the speaker in it linked to a case. */
        g_ptr_array_add (texts, g_strdup_printf (_("%s (%s)"), link->document, link->speaker));
      else
        g_ptr_array_add (texts, g_strdup (link->document));
    }

  for (guint i = 0; i < cases->len; i++)
    {
      CwCaseRow *row = g_object_new (CW_TYPE_CASE_ROW, NULL);
      GPtrArray *texts;

      row->kase = g_steal_pointer (&g_ptr_array_index (cases, i));
      texts = g_hash_table_lookup (by_case, &row->kase->id);
      if (texts != NULL)
        {
          g_ptr_array_add (texts, NULL);
          row->links = g_strjoinv (", ", (char **) texts->pdata);
        }
      g_ptr_array_add (rows, row);
    }

  signature = variables_signature (variables);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  self->variables = g_steal_pointer (&variables);
  if (g_strcmp0 (signature, self->signature) != 0)
    {
      g_free (self->signature);
      self->signature = g_steal_pointer (&signature);
      rebuild_columns (self);
    }

  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  update_count (self);
}

static gboolean
reload_idle (gpointer user_data)
{
  CwCasesView *self = user_data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* After the main loop's turn: an edit's ::changed arrives while its cell
 * still handles the key press. */
static void
schedule_reload (CwCasesView *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle, self);
}

static void
update_count (CwCasesView *self)
{
  guint n_cases = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  guint n_variables = self->variables != NULL ? self->variables->len : 0;
  g_autofree char *cases = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u case", "%u cases", n_cases), n_cases);
  g_autofree char *variables = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u variable", "%u variables",
                                                             n_variables),
                                                n_variables);
  /* Translators: "24 cases" · "9 variables" */
  g_autofree char *text = g_strdup_printf (C_("cases and variables", "%s · %s"), cases, variables);

  gtk_label_set_text (self->count_label, self->project != NULL && n_cases > 0 ? text : "");
  gtk_stack_set_visible_child_name (self->stack, n_cases > 0 ? "cases" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.import",
                                 self->project != NULL && self->import_cancellable == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cases.autolink",
                                 self->project != NULL && self->import_cancellable == NULL && n_cases > 0);
}

/* Editing */

static gboolean
parse_number (const CwVariable *variable,
              const char       *text,
              double           *number)
{
  g_autofree char *copy = g_strdup (text);
  char *end = NULL;
  GHashTableIter iter;
  gpointer key, label;

  /* Either decimal mark: the cohort files use the comma. */
  g_strdelimit (copy, ",", '.');
  *number = g_ascii_strtod (copy, &end);
  if (end != copy)
    {
      while (g_ascii_isspace (*end))
        end++;
      /* "1 · job" as shown, or the number alone. */
      if (*end == '\0' || g_str_has_prefix (end, "·"))
        return isfinite (*number);
    }

  /* A value label typed for its value. */
  if (variable->value_labels != NULL)
    {
      g_autofree char *folded = g_utf8_casefold (text, -1);

      g_hash_table_iter_init (&iter, variable->value_labels);
      while (g_hash_table_iter_next (&iter, &key, &label))
        {
          g_autofree char *other = g_utf8_casefold (label, -1);

          if (strcmp (folded, other) == 0)
            {
              *number = *(double *) key;
              return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
commit_text (CwCasesView *self,
             CwCaseRow   *row,
             int          index,
             const char  *text)
{
  const CwVariable *variable = get_variable (self, index);
  g_autoptr(GError) error = NULL;
  g_autofree char *stripped = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GVariant *value = NULL;

  if (self->project == NULL || variable == NULL)
    return FALSE;

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    value = NULL;
  else if (variable->type == CW_VARIABLE_NUMERIC)
    {
      double number;

      if (!parse_number (variable, stripped, &number))
        {
          g_autofree char *message =
            /* Translators: the text typed, then the variable's name. */
            g_strdup_printf (_("“%s” is not a number: “%s” takes numbers only"), stripped, variable->name);

          show_message (self, message);
          schedule_reload (self);
          return FALSE;
        }
      value = g_variant_new_double (number);
    }
  else
    value = g_variant_new_string (stripped);

  /* Unchanged: no undo step for nothing. */
  before = raw_value (get_value (row, index));
  if (value != NULL)
    after = raw_value (value);
  if (g_strcmp0 (before, after != NULL ? after : "") == 0)
    {
      if (value != NULL)
        g_variant_unref (g_variant_ref_sink (value));
      return TRUE;
    }

  if (!cw_project_set_case_value (self->project, row->kase->id, variable->id, value, &error))
    {
      if (variable->type == CW_VARIABLE_DATE)
        {
          g_autofree char *message =
            /* Translators: the text typed, then the variable's name. */
            g_strdup_printf (_("“%s” is not a date: “%s” takes dates as yyyy-mm-dd"), stripped, variable->name);

          show_message (self, message);
        }
      else
        show_message (self, error->message);
      schedule_reload (self);
      return FALSE;
    }
  schedule_reload (self);
  return TRUE;
}

/* The cells: a label, and an entry while editing. */

typedef struct
{
  CwCasesView *self;  /* not owned: the columns go with the view */
  int          index;
} ColumnData;

static void
stop_editing (GtkStack *cell,
              gboolean  commit)
{
  CwCasesView *self = g_object_get_data (G_OBJECT (cell), "view");
  GtkListItem *item = g_object_get_data (G_OBJECT (cell), "list-item");
  GtkWidget *entry = gtk_stack_get_child_by_name (cell, "entry");
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "index"));
  CwCaseRow *row;
  g_autofree char *text = NULL;

  if (!GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "editing")))
    return;
  /* Before committing: a refusal reloads, and the reload unfocuses. */
  g_object_set_data (G_OBJECT (cell), "editing", GINT_TO_POINTER (FALSE));
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_stack_set_visible_child_name (cell, "label");

  row = item != NULL ? gtk_list_item_get_item (item) : NULL;
  if (commit && row != NULL)
    commit_text (self, row, index, text);
}

static void
start_editing (GtkStack *cell)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (cell), "list-item");
  GtkWidget *entry = gtk_stack_get_child_by_name (cell, "entry");
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "index"));
  CwCaseRow *row = item != NULL ? gtk_list_item_get_item (item) : NULL;
  g_autofree char *text = NULL;

  if (row == NULL)
    return;
  text = raw_value (get_value (row, index));
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_object_set_data (G_OBJECT (cell), "editing", GINT_TO_POINTER (TRUE));
  gtk_stack_set_visible_child_name (cell, "entry");
  gtk_widget_grab_focus (entry);
  gtk_editable_select_region (GTK_EDITABLE (entry), 0, -1);
}

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkStack        *cell)
{
  if (n_press == 2 && !GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "editing")))
    start_editing (cell);
}

static void
entry_activate_cb (GtkEntry *entry,
                   GtkStack *cell)
{
  stop_editing (cell, TRUE);
}

static gboolean
entry_key_cb (GtkEventControllerKey *controller,
              guint                  keyval,
              guint                  keycode,
              GdkModifierType        state,
              GtkStack              *cell)
{
  if (keyval != GDK_KEY_Escape)
    return FALSE;
  stop_editing (cell, FALSE);
  return TRUE;
}

static void
entry_focus_leave_cb (GtkEventControllerFocus *controller,
                      GtkStack                *cell)
{
  stop_editing (cell, TRUE);
}

/* Asked for only when the pointer rests on a cell: setting a tooltip text
 * on each cell costs GTK a round trip to the display server per cell. */
static gboolean
cell_query_tooltip_cb (GtkWidget  *cell,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  int index = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (cell), "index"));
  GtkWidget *label;
  const char *text;

  if (index >= 0)
    {
      gtk_tooltip_set_text (tooltip, _("Double-click to edit"));
      return TRUE;
    }
  if (index != LINKS_COLUMN)
    return FALSE;
  /* The links, often cut short in the column. */
  label = gtk_stack_get_child_by_name (GTK_STACK (cell), "label");
  text = gtk_label_get_text (GTK_LABEL (label));
  if (text[0] == '\0' || g_str_equal (text, "–"))
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            ColumnData               *data)
{
  GtkWidget *cell = gtk_stack_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkEventController *controller;

  gtk_stack_set_hhomogeneous (GTK_STACK (cell), FALSE);
  gtk_stack_set_vhomogeneous (GTK_STACK (cell), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_stack_add_named (GTK_STACK (cell), label, "label");
  g_object_set_data (G_OBJECT (cell), "view", data->self);
  g_object_set_data (G_OBJECT (cell), "list-item", item);
  g_object_set_data (G_OBJECT (cell), "index", GINT_TO_POINTER (data->index));

  if (data->index >= 0)
    {
      GtkWidget *entry = gtk_entry_new ();
      GtkGesture *gesture = gtk_gesture_click_new ();

      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 6);
      gtk_stack_add_named (GTK_STACK (cell), entry, "entry");
      g_signal_connect (entry, "activate", G_CALLBACK (entry_activate_cb), cell);
      controller = gtk_event_controller_key_new ();
      g_signal_connect (controller, "key-pressed", G_CALLBACK (entry_key_cb), cell);
      gtk_widget_add_controller (entry, controller);
      controller = gtk_event_controller_focus_new ();
      g_signal_connect (controller, "leave", G_CALLBACK (entry_focus_leave_cb), cell);
      gtk_widget_add_controller (entry, controller);
      g_signal_connect (gesture, "pressed", G_CALLBACK (cell_pressed_cb), cell);
      gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (gesture));
    }
  else if (data->index == ID_COLUMN)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "caption");

  if (data->index >= 0 || data->index == LINKS_COLUMN)
    {
      gtk_widget_set_has_tooltip (cell, TRUE);
      g_signal_connect (cell, "query-tooltip", G_CALLBACK (cell_query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (item, cell);
}

/* The text a cell shows; NULL for a missing value. */
static char *
cell_text (CwCasesView *self,
           CwCaseRow   *row,
           int          index)
{
  if (index == ID_COLUMN)
    return g_strdup (row->kase->identifier);
  if (index == LINKS_COLUMN)
    return g_strdup (row->links);
  return format_value (get_variable (self, index), get_value (row, index));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           ColumnData               *data)
{
  GtkStack *cell = GTK_STACK (gtk_list_item_get_child (item));
  GtkLabel *label = GTK_LABEL (gtk_stack_get_child_by_name (cell, "label"));
  CwCaseRow *row = gtk_list_item_get_item (item);
  const CwVariable *variable = get_variable (data->self, data->index);
  g_autofree char *text = cell_text (data->self, row, data->index);
  gboolean plain_number = variable != NULL && variable->type == CW_VARIABLE_NUMERIC &&
                          (variable->value_labels == NULL || g_hash_table_size (variable->value_labels) == 0);

  g_object_set_data (G_OBJECT (cell), "editing", GINT_TO_POINTER (FALSE));
  gtk_stack_set_visible_child_name (cell, "label");
  gtk_label_set_text (label, text != NULL ? text : "–");
  /* Missing values recede; plain numbers line up on the right. */
  if (text == NULL && data->index != LINKS_COLUMN)
    gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");
  gtk_label_set_xalign (label, plain_number || (text == NULL && data->index >= 0) ? 1.0 : 0.0);
  if (plain_number)
    gtk_widget_add_css_class (GTK_WIDGET (label), "numeric");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "numeric");
}

/* Sorting: numbers as numbers, ids as people number them ("P2" before
 * "P10"), missing values last. */

static int
compare_missing (gboolean a_missing,
                 gboolean b_missing)
{
  return (a_missing ? 1 : 0) - (b_missing ? 1 : 0);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  ColumnData *data = user_data;
  CwCaseRow *row_a = CW_CASE_ROW ((gpointer) a);
  CwCaseRow *row_b = CW_CASE_ROW ((gpointer) b);
  GVariant *value_a, *value_b;
  int result;

  if (data->index == ID_COLUMN || data->index == LINKS_COLUMN)
    {
      const char *text_a = data->index == ID_COLUMN ? row_a->kase->identifier : row_a->links;
      const char *text_b = data->index == ID_COLUMN ? row_b->kase->identifier : row_b->links;
      g_autofree char *key_a = NULL;
      g_autofree char *key_b = NULL;

      if (text_a == NULL || text_b == NULL)
        return compare_missing (text_a == NULL, text_b == NULL);
      key_a = g_utf8_collate_key_for_filename (text_a, -1);
      key_b = g_utf8_collate_key_for_filename (text_b, -1);
      result = strcmp (key_a, key_b);
      return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }

  value_a = get_value (row_a, data->index);
  value_b = get_value (row_b, data->index);
  if (value_a == NULL || value_b == NULL)
    return compare_missing (value_a == NULL, value_b == NULL);

  if (g_variant_is_of_type (value_a, G_VARIANT_TYPE_DOUBLE) && g_variant_is_of_type (value_b, G_VARIANT_TYPE_DOUBLE))
    {
      double x = g_variant_get_double (value_a);
      double y = g_variant_get_double (value_b);

      return x < y ? GTK_ORDERING_SMALLER : x > y ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
  if (g_variant_is_of_type (value_a, G_VARIANT_TYPE_STRING) && g_variant_is_of_type (value_b, G_VARIANT_TYPE_STRING))
    {
      result = g_utf8_collate (g_variant_get_string (value_a, NULL), g_variant_get_string (value_b, NULL));
      return result < 0 ? GTK_ORDERING_SMALLER : result > 0 ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
    }
  return GTK_ORDERING_EQUAL;
}

static GtkColumnViewColumn *
make_column (CwCasesView *self,
             const char  *title,
             int          index)
{
  ColumnData *data = g_new0 (ColumnData, 1);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;
  GtkSorter *sorter;

  data->self = self;
  data->index = index;
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), data);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), data);
  /* The sorter owns the column's data: both live as long as the column. */
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_rows, data, g_free));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (column, sorter);
  gtk_column_view_column_set_resizable (column, TRUE);
  g_object_unref (sorter);
  return column;
}

/* The inferred type can be wrong (postcodes as numbers, years as text):
 * the column header's menu changes it, as `variable-type` does. */
static void
set_type_menu (GtkColumnViewColumn *column,
               const CwVariable    *variable)
{
  static const struct { CwVariableType type; const char *label; } types[] = {
    { CW_VARIABLE_NUMERIC, N_("Change Type to _Number") },
    { CW_VARIABLE_TEXT, N_("Change Type to _Text") },
    { CW_VARIABLE_DATE, N_("Change Type to _Date") },
  };
  g_autoptr(GMenu) menu = g_menu_new ();

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (types[t].type == variable->type)
        continue;
      item = g_menu_item_new (_(types[t].label), NULL);
      g_menu_item_set_action_and_target_value (item, "cases.set-type",
                                               g_variant_new ("(xs)", variable->id,
                                                              cw_variable_type_to_string (types[t].type)));
      g_menu_append_item (menu, item);
    }
  gtk_column_view_column_set_header_menu (column, G_MENU_MODEL (menu));
}

static void
set_type_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CwCasesView *self = CW_CASES_VIEW (widget);
  g_autoptr(GError) error = NULL;
  const char *type_name;
  CwVariableType type = CW_VARIABLE_TEXT;
  gint64 variable_id;

  g_variant_get (parameter, "(x&s)", &variable_id, &type_name);
  if (self->project == NULL)
    return;
  if (g_str_equal (type_name, "numeric"))
    type = CW_VARIABLE_NUMERIC;
  else if (g_str_equal (type_name, "date"))
    type = CW_VARIABLE_DATE;

  if (!cw_project_set_variable_type (self->project, variable_id, type, &error))
    {
      show_message (self, error->message);
      return;
    }
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      if (variable->id == variable_id)
        {
          g_autofree char *message = NULL;

          if (type == CW_VARIABLE_NUMERIC)
            /* Translators: a case variable's name. */
            message = g_strdup_printf (_("“%s” now holds numbers"), variable->name);
          else if (type == CW_VARIABLE_DATE)
            /* Translators: a case variable's name. */
            message = g_strdup_printf (_("“%s” now holds dates"), variable->name);
          else
            /* Translators: a case variable's name. */
            message = g_strdup_printf (_("“%s” now holds text"), variable->name);
          show_undoable_message (self, message);
          break;
        }
    }
  schedule_reload (self);
}

static void
rebuild_columns (CwCasesView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  GtkColumnViewColumn *column;

  while (g_list_model_get_n_items (columns) > 0)
    {
      column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
      g_object_unref (column);
    }

  if (self->project == NULL)
    return;

  column = make_column (self, _("Case"), ID_COLUMN);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);

  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      column = make_column (self, variable->name, (int) i);
      /* The header's tooltip: GtkColumnViewColumn has none in GTK 4.8, so
       * the title says the name and the label comes with the cells. */
      set_type_menu (column, variable);
      gtk_column_view_append_column (self->column_view, column);
      g_object_set_data_full (G_OBJECT (column), "label", g_strdup (variable->label), g_free);
      g_object_unref (column);
    }

  column = make_column (self, _("Linked to"), LINKS_COLUMN);
  gtk_column_view_column_set_expand (column, TRUE);
  gtk_column_view_append_column (self->column_view, column);
  g_object_unref (column);

  /* Column headers are buttons inside the column view: their tooltips are
   * set once they exist. */
  for (GtkWidget *header = gtk_widget_get_first_child (GTK_WIDGET (self->column_view)); header != NULL;
       header = gtk_widget_get_next_sibling (header))
    if (g_strcmp0 (gtk_widget_get_css_name (header), "header") == 0)
      {
        guint i = 0;

        for (GtkWidget *button = gtk_widget_get_first_child (header); button != NULL;
             button = gtk_widget_get_next_sibling (button), i++)
          {
            const CwVariable *variable = i >= 1 ? get_variable (self, (int) i - 1) : NULL;

            gtk_widget_set_tooltip_text (button, variable != NULL ? variable->label : NULL);
          }
      }
}

/* Import */

typedef struct
{
  char *project_path;
  char *path;
} ImportData;

static void
import_data_free (ImportData *data)
{
  g_free (data->project_path);
  g_free (data->path);
  g_free (data);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  CwCasesImportResult *result;
  GError *error = NULL;

  project = cw_project_open (data->project_path, &error);
  if (project == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  result = cw_project_import_cases (project, data->path, NULL, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) cw_cases_import_result_free);
}

static void
show_warnings (CwCasesView *self,
               GPtrArray   *warnings)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *dialog;

  for (guint i = 0; i < warnings->len && i < 50; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", (const char *) g_ptr_array_index (warnings, i));
  if (warnings->len > 50)
    g_string_append_printf (text, "\n…");

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Imported with Warnings"), text->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
import_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CwCasesView *self = CW_CASES_VIEW (source);
  GTask *task = G_TASK (result);
  g_autoptr(CwCasesImportResult) imported = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (g_task_get_cancellable (task) != self->import_cancellable)
    return;
  g_clear_object (&self->import_cancellable);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  update_count (self);

  imported = g_task_propagate_pointer (task, &error);
  if (imported == NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      /* A refused file gets the window's dialog, which a toast is not. */
      if (CW_IS_WINDOW (root) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_free (self->last_message);
          self->last_message = g_strdup (error->message);
          cw_window_show_refusal (CW_WINDOW (root), _("Could Not Import the Cases"), error->message);
        }
      else
        show_message (self, error->message);
      return;
    }

  /* The worker wrote on its own connection: say so to everyone showing
   * the project, undo included. */
  if (self->project != NULL)
    g_signal_emit_by_name (self->project, "changed");

  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          /* Translators: cases in the file, new ones, variables. */
                                          "Imported %u case (%u new) with %u variables",
                                          "Imported %u cases (%u new) with %u variables",
                                          imported->cases),
                             imported->cases, imported->added, imported->variables);
  show_undoable_message (self, message);
  if (imported->warnings != NULL && imported->warnings->len > 0)
    show_warnings (self, imported->warnings);
}

void
_cw_cases_view_import_file (CwCasesView *self,
                            GFile       *file)
{
  g_autoptr(GTask) task = NULL;
  ImportData *data;

  g_return_if_fail (CW_IS_CASES_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->project == NULL || self->import_cancellable != NULL)
    return;

  data = g_new0 (ImportData, 1);
  data->project_path = g_strdup (cw_project_get_path (self->project));
  data->path = g_file_get_path (file);
  if (data->path == NULL)
    {
      import_data_free (data);
      return;
    }

  self->import_cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  update_count (self);

  task = g_task_new (self, self->import_cancellable, import_cb, NULL);
  g_task_set_source_tag (task, _cw_cases_view_import_file);
  g_task_set_task_data (task, data, (GDestroyNotify) import_data_free);
  g_task_run_in_thread (task, import_thread);
}

static void
import_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    CwCasesView     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        _cw_cases_view_import_file (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *suffixes)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (filter, suffixes[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwCasesView *self = CW_CASES_VIEW (widget);
  static const char *const all[] = { "csv", "tsv", "txt", "sav", "zsav", NULL };
  static const char *const text[] = { "csv", "tsv", "txt", NULL };
  static const char *const spss[] = { "sav", "zsav", NULL };
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  if (self->project == NULL || self->import_cancellable != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import Cases"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  add_filter (GTK_FILE_CHOOSER (chooser), _("Cohort records"), all);
  add_filter (GTK_FILE_CHOOSER (chooser), _("CSV or tab-separated text"), text);
  add_filter (GTK_FILE_CHOOSER (chooser), _("SPSS data files"), spss);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Auto-linking */

static void
autolinked_cb (CwCasesView *self,
               int          n_added)
{
  g_autofree char *message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d link added", "%d links added", n_added), n_added);

  /* The project emitted ::changed: the table reloads by itself. */
  show_undoable_message (self, message);
}

static void
autolink_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CwCasesView *self = CW_CASES_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->project == NULL || self->import_cancellable != NULL)
    return;
  if (self->autolink_dialog != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->autolink_dialog));
      return;
    }
  self->autolink_dialog = cw_autolink_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->project);
  g_object_add_weak_pointer (G_OBJECT (self->autolink_dialog), (gpointer *) &self->autolink_dialog);
  g_signal_connect_object (self->autolink_dialog, "linked", G_CALLBACK (autolinked_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->autolink_dialog));
}

/* Public */

static void
project_changed_cb (CwCasesView *self)
{
  schedule_reload (self);
}

void
cw_cases_view_set_project (CwCasesView *self,
                           CwProject   *project)
{
  g_return_if_fail (CW_IS_CASES_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  if (self->autolink_dialog != NULL && project != self->project)
    gtk_window_destroy (GTK_WINDOW (self->autolink_dialog));  /* its weak pointer clears */
  g_set_object (&self->project, project);
  if (project != NULL)
    self->changed_id = g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);

  g_clear_pointer (&self->signature, g_free);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  /* Not another project's rows while this one waits to be shown. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    g_list_store_remove_all (self->rows);
  reload (self);
}

CwCasesView *
cw_cases_view_new (void)
{
  return g_object_new (CW_TYPE_CASES_VIEW, NULL);
}

/* For the tests */

GtkColumnView *
_cw_cases_view_get_column_view (CwCasesView *self)
{
  return self->column_view;
}

static CwCaseRow *
row_at (CwCasesView *self,
        guint        position)
{
  gpointer item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (item == NULL)
    return NULL;
  g_object_unref (item); /* the store keeps it */
  return item;
}

GStrv
_cw_cases_view_get_identifiers (CwCasesView *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));

  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, row_at (self, i)->kase->identifier);
  return g_strv_builder_end (builder);
}

char *
_cw_cases_view_get_cell_text (CwCasesView *self,
                              guint        row,
                              guint        column)
{
  CwCaseRow *item = row_at (self, row);
  guint n_variables = self->variables != NULL ? self->variables->len : 0;

  if (item == NULL || column > n_variables + 1)
    return NULL;
  if (column == 0)
    return cell_text (self, item, ID_COLUMN);
  if (column == n_variables + 1)
    return cell_text (self, item, LINKS_COLUMN);
  return cell_text (self, item, (int) column - 1);
}

gboolean
_cw_cases_view_commit_text (CwCasesView *self,
                            guint        row,
                            guint        variable,
                            const char  *text)
{
  CwCaseRow *item = row_at (self, row);

  if (item == NULL)
    return FALSE;
  return commit_text (self, item, (int) variable, text);
}

const char *
_cw_cases_view_get_page (CwCasesView *self)
{
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
_cw_cases_view_get_count_text (CwCasesView *self)
{
  return gtk_label_get_text (self->count_label);
}

const char *
_cw_cases_view_get_last_message (CwCasesView *self)
{
  return self->last_message;
}

gboolean
_cw_cases_view_is_busy (CwCasesView *self)
{
  return self->import_cancellable != NULL || self->reload_id != 0;
}

CwAutolinkDialog *
_cw_cases_view_get_autolink_dialog (CwCasesView *self)
{
  return self->autolink_dialog;
}

/* GObject */

static void
cw_cases_view_dispose (GObject *object)
{
  CwCasesView *self = CW_CASES_VIEW (object);
  GtkWidget *child;

  if (self->import_cancellable != NULL)
    g_cancellable_cancel (self->import_cancellable);
  g_clear_object (&self->import_cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  /* The dialog works on this view's project: it goes with the view. */
  if (self->autolink_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->autolink_dialog), (gpointer *) &self->autolink_dialog);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->autolink_dialog)));
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_CASES_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->project);
  g_clear_object (&self->sorted);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->variables, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_cases_view_parent_class)->dispose (object);
}

static void
cw_cases_view_finalize (GObject *object)
{
  CwCasesView *self = CW_CASES_VIEW (object);

  g_free (self->signature);
  g_free (self->last_message);

  G_OBJECT_CLASS (cw_cases_view_parent_class)->finalize (object);
}

static void
cw_cases_view_map (GtkWidget *widget)
{
  CwCasesView *self = CW_CASES_VIEW (widget);

  GTK_WIDGET_CLASS (cw_cases_view_parent_class)->map (widget);
  if (self->stale)
    {
      g_clear_handle_id (&self->reload_id, g_source_remove);
      reload (self);
    }
}

static void
cw_cases_view_class_init (CwCasesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_cases_view_dispose;
  object_class->finalize = cw_cases_view_finalize;
  widget_class->map = cw_cases_view_map;

  /**
   * CwCasesView::message:
   * @text: what to tell the user
   *
   * An import finished or failed, or an edit was refused; the window shows
   * it as a toast.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[UNDOABLE_MESSAGE] =
    g_signal_new ("undoable-message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-cases-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CwCasesView, main_box);
  gtk_widget_class_bind_template_child (widget_class, CwCasesView, stack);
  gtk_widget_class_bind_template_child (widget_class, CwCasesView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CwCasesView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CwCasesView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwCasesView, count_label);

  gtk_widget_class_install_action (widget_class, "cases.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "cases.autolink", NULL, autolink_action);
  gtk_widget_class_install_action (widget_class, "cases.set-type", "(xs)", set_type_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-cases-view");
}

static void
cw_cases_view_init (CwCasesView *self)
{
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (CW_TYPE_CASE_ROW);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                          g_object_ref (gtk_column_view_get_sorter (self->column_view)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  update_count (self);
}
