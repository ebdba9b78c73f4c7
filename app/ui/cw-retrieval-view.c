/* cw-retrieval-view.c: coded segments back out, filtered and combined.
 *
 * Every filter change cancels the running retrieval and starts a new one
 * in a worker, which opens its own connection to the project, retrieves
 * the segments and reads each document's text once for the context around
 * them. The rows are built on the main thread from the finished result.
 *
 * The Cases filter is a condition on the case variables: built row by row
 * (variable, operator, value) or typed as text. The text is what applies;
 * the rows write it, and a typed condition that is one flat AND or OR
 * list fills the rows back in. It is checked as it is typed (the parser is
 * pure and quick); the cases it selects are counted in the worker.
 *
 * A segment whose document has a recording (its file found) and whose
 * turn a time gets a play button; the window plays it through the
 * transcript's own "Play From Here". Exports may be pseudonymised (the
 * file chooser's choice): copies of the segments, pseudonymised by the
 * core in the export's worker; the rows keep the real text.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "cw-case-condition.h"
#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-document-item.h"
#include "cw-exchange.h"
#include "cw-list-filler.h"
#include "cw-media.h"
#include "cw-pseudonym.h"
#include "cw-report.h"
#include "cw-retrieval.h"
#include "cw-retrieval-view-private.h"

/* Characters of context on either side of a segment. */
#define CONTEXT_CHARS 90

/* CwSegmentItem: immutable once made, so rows and exports can share it
 * across threads. */

struct _CwSegmentItem
{
  GObject   parent_instance;

  CwCoding *segment;
  char     *before;
  char     *after;
  double    play_time; /* seconds to play it from; < 0: no recording or no time */
};

G_DEFINE_FINAL_TYPE (CwSegmentItem, cw_segment_item, G_TYPE_OBJECT)

static void
cw_segment_item_finalize (GObject *object)
{
  CwSegmentItem *self = CW_SEGMENT_ITEM (object);

  g_clear_pointer (&self->segment, cw_coding_free);
  g_free (self->before);
  g_free (self->after);

  G_OBJECT_CLASS (cw_segment_item_parent_class)->finalize (object);
}

static void
cw_segment_item_class_init (CwSegmentItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cw_segment_item_finalize;
}

static void
cw_segment_item_init (CwSegmentItem *self)
{
}

/* Takes segment. */
static CwSegmentItem *
cw_segment_item_new (CwCoding *segment,
                     char     *before,
                     char     *after,
                     double    play_time)
{
  CwSegmentItem *self = g_object_new (CW_TYPE_SEGMENT_ITEM, NULL);

  self->segment = segment;
  self->before = before;
  self->after = after;
  self->play_time = play_time;
  return self;
}

double
_cw_segment_item_get_play_time (CwSegmentItem *self)
{
  g_return_val_if_fail (CW_IS_SEGMENT_ITEM (self), -1);
  return self->play_time;
}

const CwCoding *
_cw_segment_item_get_segment (CwSegmentItem *self)
{
  g_return_val_if_fail (CW_IS_SEGMENT_ITEM (self), NULL);
  return self->segment;
}

const char *
_cw_segment_item_get_before (CwSegmentItem *self)
{
  g_return_val_if_fail (CW_IS_SEGMENT_ITEM (self), NULL);
  return self->before;
}

const char *
_cw_segment_item_get_after (CwSegmentItem *self)
{
  g_return_val_if_fail (CW_IS_SEGMENT_ITEM (self), NULL);
  return self->after;
}

/* The view */

struct _CwRetrievalView
{
  GtkWidget        parent_instance;

  /* template */
  GtkWidget       *main_box;
  GtkMenuButton   *codes_button;
  GtkPopover      *codes_popover;
  GtkSearchEntry  *codes_search;
  GtkBox          *codes_box;
  GtkLabel        *codes_empty;
  GtkButton       *codes_clear;
  GtkLabel        *codes_label;
  GtkDropDown     *combine_dropdown;
  GtkSwitch       *subcodes_switch;
  GtkButton       *document_button;
  GtkLabel        *document_label;
  GtkDropDown     *kind_dropdown;
  GtkDropDown     *group_dropdown;
  GtkDropDown     *coder_dropdown;
  GtkDropDown     *speaker_dropdown;
  GtkStack        *results_stack;
  GtkListView     *list_view;
  AdwStatusPage   *empty_page;
  GtkSpinner      *spinner;
  GtkLabel        *count_label;
  GtkMenuButton   *cases_button;
  GtkPopover      *cases_popover;
  GtkDropDown     *match_dropdown;
  GtkBox          *rows_box;
  GtkLabel        *rows_note;
  GtkButton       *add_row_button;
  GtkEntry        *condition_entry;
  GtkLabel        *condition_error;
  GtkLabel        *popover_count;
  GtkLabel        *cases_label;
  GtkLabel        *cases_count;

  /* owned */
  CwProject       *project;
  gulong           changed_id;
  GListStore      *segments;      /* CwSegmentItem */
  GPtrArray       *codes;         /* CwCode: the codebook */
  GHashTable      *code_checks;   /* code id -> GtkCheckButton (in codes_box) */
  GArray          *code_ids;      /* gint64: the chosen codes, in the order chosen */
  gint64           document_id;   /* only this document's segments, or 0 */
  GArray          *group_ids;     /* gint64: the group dropdown's entries after "any" */
  GCancellable    *retrieve_cancellable;
  GCancellable    *export_cancellable;
  guint            refresh_id;
  CwListFiller    *filler;        /* fills segments a batch per frame */
  guint            n_documents;
  gboolean         retrieving;
  gboolean         exporting;
  gboolean         loading;       /* filling the filters: no retrieval yet */
  gboolean         stale;         /* results to redo once the view is shown */
  gboolean         filters_stale; /* codes, coders, ... to reload first */
  char            *last_message;
  GPtrArray       *variables;     /* CwVariable: the case variables */
  char            *variables_key; /* their names and types, to see a change */
  char            *case_condition; /* the condition applied (canonical), or NULL */
  gboolean         syncing;       /* rows and entry being set from each other */
  guint            condition_id;  /* the typed condition to check */
  gboolean         counted;       /* n_matching and n_cases are for case_condition */
  guint            n_matching;
  guint            n_cases;
};

enum {
  SEGMENT_ACTIVATED,
  PLAY_REQUESTED,
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwRetrievalView, cw_retrieval_view, GTK_TYPE_WIDGET)

/* The kind dropdown's entries after "any". */
static const CwDocumentKind kind_order[] = {
  CW_DOCUMENT_KIND_ARENA,
  CW_DOCUMENT_KIND_FOCUS_GROUP,
  CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW,
  CW_DOCUMENT_KIND_INTERVIEW,
  CW_DOCUMENT_KIND_OTHER,
};

static void schedule_refresh        (CwRetrievalView *self);
static void codes_search_changed_cb (CwRetrievalView *self);
static void reload_condition        (CwRetrievalView *self);

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

static void
show_message (CwRetrievalView *self,
              const char      *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static void
update_actions (CwRetrievalView *self)
{
  gboolean can_export = self->project != NULL && !self->exporting &&
                        g_list_model_get_n_items (G_LIST_MODEL (self->segments)) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retrieval.export-csv", can_export);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retrieval.export-report", can_export);
}

static void
update_busy (CwRetrievalView *self)
{
  gboolean busy = self->retrieving || self->refresh_id != 0 || self->exporting || cw_list_filler_is_busy (self->filler);

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static const CwCode *
lookup_code (CwRetrievalView *self,
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

/* A dropdown's choice after its first entry ("any"), or NULL. */
static const char *
dropdown_choice (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);
  GListModel *model = gtk_drop_down_get_model (dropdown);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || model == NULL)
    return NULL;
  return gtk_string_list_get_string (GTK_STRING_LIST (model), selected);
}

/* The code chooser */

static void
update_codes_label (CwRetrievalView *self)
{
  g_autoptr(GString) tooltip = g_string_new (NULL);
  g_autofree char *label = NULL;
  const CwCode *first = NULL;
  guint n = self->code_ids->len;

  for (guint i = 0; i < n; i++)
    {
      const CwCode *code = lookup_code (self, g_array_index (self->code_ids, gint64, i));

      if (code == NULL)
        continue;
      if (first == NULL)
        first = code;
      if (tooltip->len > 0)
        g_string_append_c (tooltip, '\n');
      g_string_append (tooltip, code->path);
    }

  if (first == NULL)
    label = g_strdup (_("All codes"));
  else if (n == 1)
    label = g_strdup (first->name);
  else
    /* Translators: the first chosen code and how many more are chosen. */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s and %u more", "%s and %u more", n - 1),
                             first->name, n - 1);

  gtk_label_set_text (self->codes_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->codes_button),
                               tooltip->len > 0 ? tooltip->str : _("Codes to Retrieve"));
  /* Combining needs two codes at least. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->combine_dropdown), n >= 2);
  gtk_widget_set_sensitive (GTK_WIDGET (self->codes_clear), n > 0);
}

static gboolean
has_code_id (GArray *ids,
             gint64  id,
             guint  *index)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }
  return FALSE;
}

static void
code_toggled_cb (GtkCheckButton  *check,
                 CwRetrievalView *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (check), "code-id");
  gboolean active = gtk_check_button_get_active (check);
  guint index;
  gboolean present = has_code_id (self->code_ids, id, &index);

  /* Idempotent: set_codes sets the buttons after the list. */
  if (active && !present)
    g_array_append_val (self->code_ids, id);
  else if (!active && present)
    g_array_remove_index (self->code_ids, index);
  else
    return;

  update_codes_label (self);
  schedule_refresh (self);
}

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const GdkRGBA *color = g_object_get_data (G_OBJECT (area), "color");
  double radius = MIN (width, height) / 2.0;

  if (color == NULL)
    return;
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill (cr);
}

/* Draws a code's colour: a dot in the chooser, a bar beside a segment. */
static void
draw_bar (GtkDrawingArea *area,
          cairo_t        *cr,
          int             width,
          int             height,
          gpointer        user_data)
{
  const GdkRGBA *color = g_object_get_data (G_OBJECT (area), "color");
  GdkRGBA grey = { 0.6, 0.6, 0.6, 1 };

  cairo_rectangle (cr, 0, 0, width, height);
  gdk_cairo_set_source_rgba (cr, color != NULL ? color : &grey);
  cairo_fill (cr);
}

static void
set_area_color (GtkWidget  *area,
                const char *color)
{
  GdkRGBA rgba;

  if (color != NULL && gdk_rgba_parse (&rgba, color))
    g_object_set_data_full (G_OBJECT (area), "color", gdk_rgba_copy (&rgba), (GDestroyNotify) gdk_rgba_free);
  else
    g_object_set_data (G_OBJECT (area), "color", NULL);
  gtk_widget_queue_draw (area);
}

static void
rebuild_code_chooser (CwRetrievalView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->codes_box))) != NULL)
    gtk_box_remove (self->codes_box, child);
  g_hash_table_remove_all (self->code_checks);

  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (self->codes, i);
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *swatch = gtk_drawing_area_new ();
      GtkWidget *label = gtk_label_new (code->name);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 10);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 10);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, NULL, NULL);
      gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
      set_area_color (swatch, code->color);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      if (!code->codable)
        gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);
      gtk_check_button_set_child (GTK_CHECK_BUTTON (check), box);
      gtk_widget_set_margin_start (check, 18 * (int) code->depth);
      if (code->description != NULL && code->description[0] != '\0')
        gtk_widget_set_tooltip_text (check, code->description);

      g_object_set_data_full (G_OBJECT (check), "code-id", g_memdup2 (&code->id, sizeof code->id), g_free);
      g_object_set_data_full (G_OBJECT (check), "path", g_utf8_casefold (code->path, -1), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), has_code_id (self->code_ids, code->id, NULL));
      g_signal_connect (check, "toggled", G_CALLBACK (code_toggled_cb), self);
      gtk_box_append (self->codes_box, check);
      g_hash_table_insert (self->code_checks, g_memdup2 (&code->id, sizeof code->id), check);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->codes_empty), self->codes == NULL || self->codes->len == 0);
  codes_search_changed_cb (self);
}

static void
codes_search_changed_cb (CwRetrievalView *self)
{
  g_autofree char *needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->codes_search)), -1);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->codes_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *path = g_object_get_data (G_OBJECT (child), "path");

      gtk_widget_set_visible (child, needle[0] == '\0' || (path != NULL && strstr (path, needle) != NULL));
    }
}

static void
codes_clear_cb (CwRetrievalView *self)
{
  cw_retrieval_view_set_codes (self, NULL, 0);
}

/* The Cases filter */

/* The operator dropdown's entries, in CwConditionOperator order. */
static const char *
operator_label (CwConditionOperator op)
{
  switch (op)
    {
    case CW_CONDITION_EQUAL:
      return "=";
    case CW_CONDITION_NOT_EQUAL:
      return "≠";
    case CW_CONDITION_LESS:
      return "<";
    case CW_CONDITION_LESS_EQUAL:
      return "≤";
    case CW_CONDITION_GREATER:
      return ">";
    case CW_CONDITION_GREATER_EQUAL:
      return "≥";
    case CW_CONDITION_MISSING:
      return _("is missing");
    case CW_CONDITION_NOT_MISSING:
    default:
      return _("is not missing");
    }
}

static const CwVariable *
selected_variable (CwRetrievalView *self,
                   GtkWidget       *row)
{
  guint index = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row), "variable"));

  if (self->variables == NULL || index >= self->variables->len)
    return NULL;
  return g_ptr_array_index (self->variables, index);
}

static gboolean
takes_value (CwConditionOperator op)
{
  return op != CW_CONDITION_MISSING && op != CW_CONDITION_NOT_MISSING;
}

typedef struct
{
  double      value;
  const char *label;
} LabelItem;

static int
compare_label_items (gconstpointer a,
                     gconstpointer b)
{
  double x = ((const LabelItem *) a)->value, y = ((const LabelItem *) b)->value;

  return x < y ? -1 : x > y;
}

/* A variable's value labels, by value. */
static GArray *
label_items (const CwVariable *variable)
{
  GArray *items = g_array_new (FALSE, FALSE, sizeof (LabelItem));
  GHashTableIter iter;
  gpointer key, value;

  if (variable == NULL || variable->value_labels == NULL)
    return items;
  g_hash_table_iter_init (&iter, variable->value_labels);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_array_append_vals (items, &(LabelItem) { *(double *) key, value }, 1);
  g_array_sort (items, compare_label_items);
  return items;
}

/* Shows the value as the variable wants it: a dropdown of its value labels,
 * else an entry (hinting the format); nothing for (not) missing. A value
 * that is no label (`status < 2.5`) keeps the entry. */
static void
row_update_value (CwRetrievalView *self,
                  GtkWidget       *row,
                  gboolean         prefer_entry)
{
  const CwVariable *variable = selected_variable (self, row);
  GtkDropDown *op = g_object_get_data (G_OBJECT (row), "operator");
  GtkStack *stack = g_object_get_data (G_OBJECT (row), "stack");
  GtkDropDown *labels = g_object_get_data (G_OBJECT (row), "labels");
  GtkEntry *entry = g_object_get_data (G_OBJECT (row), "entry");
  g_autoptr(GArray) items = label_items (variable);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  const char *placeholder;

  for (guint i = 0; i < items->len; i++)
    gtk_string_list_append (list, g_array_index (items, LabelItem, i).label);
  gtk_drop_down_set_model (labels, G_LIST_MODEL (list));
  g_object_set_data_full (G_OBJECT (row), "label-variable",
                          g_strdup (variable != NULL ? variable->name : NULL), g_free);

  if (variable == NULL || variable->type == CW_VARIABLE_TEXT)
    placeholder = _("text");
  else if (variable->type == CW_VARIABLE_DATE)
    placeholder = _("yyyy-mm-dd");
  else
    placeholder = _("number");
  gtk_entry_set_placeholder_text (entry, placeholder);

  gtk_stack_set_visible_child_name (stack, items->len > 0 && !prefer_entry ? "labels" : "entry");
  gtk_widget_set_visible (GTK_WIDGET (stack), takes_value (gtk_drop_down_get_selected (op)));
}

/* The row as condition text, or NULL while it is incomplete. */
static char *
row_text (CwRetrievalView *self,
          GtkWidget       *row)
{
  const CwVariable *variable = selected_variable (self, row);
  CwConditionOperator op = gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (row), "operator"));
  GtkStack *stack = g_object_get_data (G_OBJECT (row), "stack");
  g_autofree char *value = NULL;

  if (variable == NULL || op > CW_CONDITION_NOT_MISSING)
    return NULL;
  if (takes_value (op))
    {
      if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "labels") == 0)
        {
          GtkStringObject *item = gtk_drop_down_get_selected_item (g_object_get_data (G_OBJECT (row), "labels"));

          if (item != NULL)
            value = g_strdup (gtk_string_object_get_string (item));
        }
      else
        value = g_strstrip (g_strdup (gtk_editable_get_text (g_object_get_data (G_OBJECT (row), "entry"))));
      if (value == NULL || value[0] == '\0')
        return NULL;
    }
  return cw_case_condition_format_term (variable->name, op, value);
}

static guint
n_rows (CwRetrievalView *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static GtkWidget *
nth_row (CwRetrievalView *self,
         guint            index)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box));

  for (; child != NULL && index > 0; index--)
    child = gtk_widget_get_next_sibling (child);
  return child;
}

static void
update_cases_label (CwRetrievalView *self)
{
  g_autofree char *count = NULL;

  if (self->case_condition != NULL && self->counted)
    /* Translators: cases that meet the condition, of all cases. */
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u case", "%u of %u cases", self->n_cases),
                             self->n_matching, self->n_cases);

  gtk_label_set_text (self->cases_label, self->case_condition != NULL ? self->case_condition : _("All cases"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cases_button),
                               self->case_condition != NULL ? self->case_condition
                               : self->variables != NULL && self->variables->len > 0
                               ? _("Cases Whose Variables Meet a Condition")
                               : _("No cohort records: import cases to filter by their variables"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->cases_button),
                            self->case_condition != NULL || (self->variables != NULL && self->variables->len > 0));
  gtk_label_set_text (self->cases_count, count != NULL ? count : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cases_count), count != NULL);
  gtk_label_set_text (self->popover_count, count != NULL ? count : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retrieval.clear-condition",
                                 self->case_condition != NULL || n_rows (self) > 0 ||
                                 gtk_entry_get_text_length (self->condition_entry) > 0);
}

static void
show_condition_error (CwRetrievalView *self,
                      const char      *message)
{
  gtk_label_set_text (self->condition_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->condition_error), message != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->condition_entry), message);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->condition_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->condition_entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->condition_entry), GTK_ACCESSIBLE_STATE_INVALID,
                               message != NULL ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE, -1);
}

static void builder_changed_cb (CwRetrievalView *self);
static void remove_row_cb      (GtkButton       *button,
                                CwRetrievalView *self);

static void
row_variable_changed_cb (GtkDropDown     *dropdown,
                         GParamSpec      *pspec,
                         CwRetrievalView *self)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (dropdown));

  row_update_value (self, row, FALSE);
  builder_changed_cb (self);
}

static void
row_operator_changed_cb (GtkDropDown     *dropdown,
                         GParamSpec      *pspec,
                         CwRetrievalView *self)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (dropdown));
  GtkStack *stack = g_object_get_data (G_OBJECT (row), "stack");

  gtk_widget_set_visible (GTK_WIDGET (stack), takes_value (gtk_drop_down_get_selected (dropdown)));
  builder_changed_cb (self);
}

/* A builder row: variable, operator, value, remove. */
static GtkWidget *
add_row (CwRetrievalView *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) operators = gtk_string_list_new (NULL);
  g_autoptr(GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  GtkWidget *variable, *op, *stack, *entry, *labels, *remove;

  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    gtk_string_list_append (names, ((CwVariable *) g_ptr_array_index (self->variables, i))->name);
  for (CwConditionOperator o = CW_CONDITION_EQUAL; o <= CW_CONDITION_NOT_MISSING; o++)
    gtk_string_list_append (operators, operator_label (o));

  variable = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_drop_down_set_expression (GTK_DROP_DOWN (variable), expression);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (variable), TRUE);
  gtk_widget_set_hexpand (variable, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (variable), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Variable"), -1);
  op = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (operators)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (op), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comparison"), -1);
  entry = gtk_entry_new ();
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  labels = gtk_drop_down_new (NULL, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (labels), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Value"), -1);
  stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (stack), entry, "entry");
  gtk_stack_add_named (GTK_STACK (stack), labels, "labels");
  gtk_stack_set_hhomogeneous (GTK_STACK (stack), FALSE);
  gtk_widget_set_size_request (stack, 150, -1);
  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_set_tooltip_text (remove, _("Remove Condition"));
  gtk_widget_add_css_class (remove, "flat");

  gtk_box_append (GTK_BOX (row), variable);
  gtk_box_append (GTK_BOX (row), op);
  gtk_box_append (GTK_BOX (row), stack);
  gtk_box_append (GTK_BOX (row), remove);
  g_object_set_data (G_OBJECT (row), "variable", variable);
  g_object_set_data (G_OBJECT (row), "operator", op);
  g_object_set_data (G_OBJECT (row), "stack", stack);
  g_object_set_data (G_OBJECT (row), "entry", entry);
  g_object_set_data (G_OBJECT (row), "labels", labels);
  gtk_box_append (self->rows_box, row);
  row_update_value (self, row, FALSE);

  g_signal_connect (variable, "notify::selected", G_CALLBACK (row_variable_changed_cb), self);
  g_signal_connect (op, "notify::selected", G_CALLBACK (row_operator_changed_cb), self);
  g_signal_connect_swapped (entry, "changed", G_CALLBACK (builder_changed_cb), self);
  g_signal_connect_swapped (labels, "notify::selected", G_CALLBACK (builder_changed_cb), self);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_row_cb), self);
  return row;
}

static void
clear_rows (CwRetrievalView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box))) != NULL)
    gtk_box_remove (self->rows_box, child);
}

static guint
variable_index (CwRetrievalView *self,
                const char      *name)
{
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    if (g_strcmp0 (((CwVariable *) g_ptr_array_index (self->variables, i))->name, name) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

/* Sets a row to term, as a user would choose it. */
static void
row_set (CwRetrievalView     *self,
         GtkWidget           *row,
         const char          *variable_name,
         CwConditionOperator  op,
         const char          *value)
{
  guint index = variable_index (self, variable_name);
  const CwVariable *variable;
  GtkDropDown *labels = g_object_get_data (G_OBJECT (row), "labels");
  GtkEntry *entry = g_object_get_data (G_OBJECT (row), "entry");
  guint label_index = GTK_INVALID_LIST_POSITION;

  if (index == GTK_INVALID_LIST_POSITION)
    return;
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (row), "variable"), index);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (row), "operator"), op);
  variable = g_ptr_array_index (self->variables, index);
  if (value != NULL)
    {
      g_autoptr(GArray) items = label_items (variable);
      char *end = NULL;
      double number = g_ascii_strtod (value, &end);
      /* Canonical numbers are written with a point. */
      gboolean is_number = end != NULL && end != value && *end == '\0';

      for (guint i = 0; i < items->len; i++)
        {
          LabelItem *item = &g_array_index (items, LabelItem, i);

          if (g_strcmp0 (item->label, value) == 0 || (is_number && item->value == number))
            label_index = i;
        }
    }
  row_update_value (self, row, value != NULL && label_index == GTK_INVALID_LIST_POSITION);
  if (label_index != GTK_INVALID_LIST_POSITION)
    gtk_drop_down_set_selected (labels, label_index);
  else
    gtk_editable_set_text (GTK_EDITABLE (entry), value != NULL ? value : "");
}

typedef enum
{
  FROM_BUILDER,
  FROM_ENTRY,
  FROM_RELOAD,
} ConditionSource;

static void
update_condition_actions (CwRetrievalView *self)
{
  gboolean flat = !gtk_widget_get_visible (GTK_WIDGET (self->rows_note));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "retrieval.add-condition",
                                 flat && self->variables != NULL && self->variables->len > 0);
}

/* Checks text and, when it is a condition, applies it. A typed condition
 * fills the rows back in where they can show it. */
static void
apply_condition (CwRetrievalView *self,
                 const char      *text,
                 ConditionSource  source)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(CwCaseCondition) condition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (stripped[0] != '\0')
    {
      condition = cw_case_condition_parse (stripped, self->variables != NULL ? self->variables : none, &error);
      if (condition == NULL)
        {
          show_condition_error (self, error->message);
          /* A condition that no longer fits the variables is dropped. */
          if (source == FROM_RELOAD && self->case_condition != NULL)
            {
              g_clear_pointer (&self->case_condition, g_free);
              self->counted = FALSE;
              update_cases_label (self);
              schedule_refresh (self);
            }
          update_cases_label (self);
          return;
        }
      canonical = cw_case_condition_to_string (condition);
    }
  show_condition_error (self, NULL);

  if (source != FROM_BUILDER)
    {
      gboolean any = FALSE;
      g_autoptr(GPtrArray) terms = condition != NULL ? cw_case_condition_get_terms (condition, &any) : NULL;

      self->syncing = TRUE;
      if (condition == NULL || terms != NULL)
        {
          clear_rows (self);
          for (guint i = 0; terms != NULL && i < terms->len; i++)
            {
              CwConditionTerm *term = g_ptr_array_index (terms, i);

              row_set (self, add_row (self), term->variable, term->op, term->value);
            }
          if (terms != NULL && terms->len > 1)
            gtk_drop_down_set_selected (self->match_dropdown, any ? 1 : 0);
          gtk_widget_set_visible (GTK_WIDGET (self->rows_box), TRUE);
          gtk_widget_set_visible (GTK_WIDGET (self->rows_note), FALSE);
        }
      else
        {
          clear_rows (self);
          gtk_widget_set_visible (GTK_WIDGET (self->rows_box), FALSE);
          gtk_widget_set_visible (GTK_WIDGET (self->rows_note), TRUE);
        }
      self->syncing = FALSE;
      update_condition_actions (self);
    }

  if (g_strcmp0 (canonical, self->case_condition) != 0)
    {
      g_free (self->case_condition);
      self->case_condition = g_steal_pointer (&canonical);
      self->counted = FALSE;
      schedule_refresh (self);
    }
  update_cases_label (self);
}

/* The rows changed: they write the text. */
static void
builder_changed_cb (CwRetrievalView *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean any = gtk_drop_down_get_selected (self->match_dropdown) == 1;

  if (self->syncing)
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->rows_box)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      g_autofree char *term = row_text (self, row);

      if (term == NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, any ? " OR " : " AND ");
      g_string_append (text, term);
    }
  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->condition_entry), text->str);
  self->syncing = FALSE;
  g_clear_handle_id (&self->condition_id, g_source_remove);
  apply_condition (self, text->str, FROM_BUILDER);
}

static gboolean
condition_entry_idle (gpointer user_data)
{
  CwRetrievalView *self = user_data;

  self->condition_id = 0;
  apply_condition (self, gtk_editable_get_text (GTK_EDITABLE (self->condition_entry)), FROM_ENTRY);
  return G_SOURCE_REMOVE;
}

/* Checked once the text has settled: replacing it (a paste over a
 * selection) passes through an empty text that must not clear the rows. */
static void
condition_entry_changed_cb (CwRetrievalView *self)
{
  if (self->syncing)
    return;
  if (self->condition_id == 0)
    self->condition_id = g_idle_add_full (G_PRIORITY_DEFAULT, condition_entry_idle, self, NULL);
}

static void
remove_row_cb (GtkButton       *button,
               CwRetrievalView *self)
{
  GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (button));
  GtkWidget *next = gtk_widget_get_next_sibling (row) != NULL ? gtk_widget_get_next_sibling (row)
                                                               : gtk_widget_get_prev_sibling (row);

  /* Keep the focus in the builder for the keyboard. */
  if (next != NULL)
    gtk_widget_grab_focus (g_object_get_data (G_OBJECT (next), "variable"));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->add_row_button));
  gtk_box_remove (self->rows_box, row);
  builder_changed_cb (self);
}

static void
add_condition_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (widget);
  GtkWidget *row = add_row (self);

  gtk_widget_grab_focus (g_object_get_data (G_OBJECT (row), "variable"));
  builder_changed_cb (self);
}

static void
clear_condition_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (widget);

  self->syncing = TRUE;
  clear_rows (self);
  gtk_editable_set_text (GTK_EDITABLE (self->condition_entry), "");
  self->syncing = FALSE;
  g_clear_handle_id (&self->condition_id, g_source_remove);
  apply_condition (self, "", FROM_RELOAD);
}

/* An empty builder offers its first row at once. */
static void
cases_popover_show_cb (CwRetrievalView *self)
{
  if (n_rows (self) == 0 && gtk_entry_get_text_length (self->condition_entry) == 0 &&
      self->variables != NULL && self->variables->len > 0)
    {
      self->syncing = TRUE;
      add_row (self);
      self->syncing = FALSE;
      update_cases_label (self);
    }
}

/* The variables were (re)loaded: when they changed, the rows follow them
 * and the condition is checked again. */
static void
reload_condition (CwRetrievalView *self)
{
  g_autoptr(GString) key = g_string_new (NULL);

  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      g_string_append_printf (key, "%s\x1f%d\x1f%u\x1e", variable->name, variable->type,
                              variable->value_labels != NULL ? g_hash_table_size (variable->value_labels) : 0);
    }
  if (self->variables_key != NULL && strcmp (key->str, self->variables_key) == 0)
    {
      update_cases_label (self);
      return;
    }
  g_free (self->variables_key);
  self->variables_key = g_string_free (g_steal_pointer (&key), FALSE);
  apply_condition (self, gtk_editable_get_text (GTK_EDITABLE (self->condition_entry)), FROM_RELOAD);
  update_condition_actions (self);
}

/* The filters */

static void
set_strings (GtkDropDown        *dropdown,
             const char         *any,
             const char * const *strings)
{
  const char *previous = dropdown_choice (dropdown);
  g_autofree char *keep = g_strdup (previous);
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  gtk_string_list_append (list, any);
  for (guint i = 0; strings != NULL && strings[i] != NULL; i++)
    {
      gtk_string_list_append (list, strings[i]);
      if (keep != NULL && strcmp (keep, strings[i]) == 0)
        selected = i + 1;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (dropdown, selected);
  /* A choice of one ("any") is no choice. */
  gtk_widget_set_sensitive (GTK_WIDGET (dropdown), g_list_model_get_n_items (G_LIST_MODEL (list)) > 1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
load_filters (CwRetrievalView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) group_names = g_ptr_array_new ();
  g_autoptr(GPtrArray) speakers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) coders = NULL;
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 group_id = 0;
  guint group_index = gtk_drop_down_get_selected (self->group_dropdown);

  self->loading = TRUE;
  self->filters_stale = FALSE;

  if (group_index != GTK_INVALID_LIST_POSITION && group_index > 0 && group_index <= self->group_ids->len)
    group_id = g_array_index (self->group_ids, gint64, group_index - 1);

  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_array_set_size (self->group_ids, 0);

  if (self->project != NULL)
    {
      self->codes = cw_project_list_codes (self->project, &error);
      if (self->codes == NULL)
        {
          g_warning ("Could not list the codes: %s", error->message);
          g_clear_error (&error);
        }
      coders = cw_project_list_coders (self->project, &error);
      if (error != NULL)
        {
          g_warning ("Could not list the coders: %s", error->message);
          g_clear_error (&error);
        }
      groups = cw_project_list_groups (self->project, &error);
      if (error != NULL)
        {
          g_warning ("Could not list the groups: %s", error->message);
          g_clear_error (&error);
        }
      documents = cw_project_list_documents_brief (self->project, &error);
      if (error != NULL)
        {
          g_warning ("Could not list the documents: %s", error->message);
          g_clear_error (&error);
        }
      /* A few rows, like the codes: read here, not in a worker. */
      self->variables = cw_project_list_variables (self->project, &error);
      if (self->variables == NULL)
        {
          g_warning ("Could not list the case variables: %s", error->message);
          g_clear_error (&error);
        }
    }

  /* Chosen codes that are gone (deleted, merged) drop out. */
  for (guint i = 0; i < self->code_ids->len; i++)
    {
      gint64 id = g_array_index (self->code_ids, gint64, i);

      if (lookup_code (self, id) != NULL)
        g_array_append_val (kept, id);
    }
  g_array_unref (self->code_ids);
  self->code_ids = kept;
  rebuild_code_chooser (self);
  update_codes_label (self);

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (groups, i);

      g_array_append_val (self->group_ids, group->id);
      g_ptr_array_add (group_names, group->name);
    }
  g_ptr_array_add (group_names, NULL);
  set_strings (self->group_dropdown, _("Any group"), (const char * const *) group_names->pdata);
  /* Groups may share a name with another after a rename: keep by id. */
  for (guint i = 0; i < self->group_ids->len; i++)
    if (g_array_index (self->group_ids, gint64, i) == group_id)
      gtk_drop_down_set_selected (self->group_dropdown, i + 1);

  set_strings (self->coder_dropdown, _("Any coder"), (const char * const *) coders);

  /* Every speaker of every document: a role such as "Interviewer" once. */
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);

      for (guint j = 0; info->speakers != NULL && info->speakers[j] != NULL; j++)
        if (g_hash_table_add (seen, info->speakers[j]))
          g_ptr_array_add (speakers, g_strdup (info->speakers[j]));
    }
  g_ptr_array_sort (speakers, compare_strings);
  g_ptr_array_add (speakers, NULL);
  set_strings (self->speaker_dropdown, _("Any speaker"), (const char * const *) speakers->pdata);

  reload_condition (self);
  self->loading = FALSE;
}

static CwRetrievalQuery *
build_query (CwRetrievalView *self)
{
  CwRetrievalQuery *query = cw_retrieval_query_new ();
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint group = gtk_drop_down_get_selected (self->group_dropdown);
  guint combine = gtk_drop_down_get_selected (self->combine_dropdown);

  if (self->code_ids->len > 0)
    {
      query->code_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), self->code_ids->len);
      g_array_append_vals (query->code_ids, self->code_ids->data, self->code_ids->len);
    }
  if (self->document_id != 0)
    {
      query->document_ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), 1);
      g_array_append_val (query->document_ids, self->document_id);
    }
  query->include_subcodes = gtk_switch_get_active (self->subcodes_switch);
  /* With one code the (insensitive) choice does not apply: AND would merge
   * its overlapping codings into regions. */
  if (self->code_ids->len >= 2)
    query->combine = combine == 1 ? CW_COMBINE_AND : combine == 2 ? CW_COMBINE_NOT : CW_COMBINE_OR;
  else
    query->combine = CW_COMBINE_OR;
  query->kind = kind > 0 && kind <= G_N_ELEMENTS (kind_order) ? (int) kind_order[kind - 1] : -1;
  query->group_id = group > 0 && group <= self->group_ids->len ? g_array_index (self->group_ids, gint64, group - 1) : 0;
  query->coder = g_strdup (dropdown_choice (self->coder_dropdown));
  query->speaker = g_strdup (dropdown_choice (self->speaker_dropdown));
  query->case_condition = g_strdup (self->case_condition);
  /* The worker reads each text for the context and cuts the segments out
   * of it itself: the core reading them too read every text twice. */
  query->with_text = FALSE;
  return query;
}

/* Retrieval in a worker */

typedef struct
{
  char             *path;
  CwRetrievalQuery *query;
} RetrieveData;

static void
retrieve_data_free (RetrieveData *data)
{
  g_free (data->path);
  cw_retrieval_query_free (data->query);
  g_free (data);
}

typedef struct
{
  GPtrArray *items;      /* CwSegmentItem */
  gboolean   counted;    /* a condition: the cases were counted */
  guint      n_matching; /* cases meeting it */
  guint      n_cases;    /* cases in all */
} RetrieveResult;

static void
retrieve_result_free (RetrieveResult *result)
{
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_free (result);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RetrieveResult, retrieve_result_free)

/* Moves through one document's text by character offset; segments come
 * by start, so each step is short. */
typedef struct
{
  const char *text;
  gint64      length;
  const char *pointer;
  gint64      offset;
} Cursor;

static const char *
cursor_at (Cursor *cursor,
           gint64  offset)
{
  offset = CLAMP (offset, 0, cursor->length);
  cursor->pointer = g_utf8_offset_to_pointer (cursor->pointer, (glong) (offset - cursor->offset));
  cursor->offset = offset;
  return cursor->pointer;
}

/* The turn around offset, or NULL. turns are by start. */
static const CwTurn *
find_turn (GPtrArray *turns,
           gint64     offset)
{
  guint low = 0, high = turns != NULL ? turns->len : 0;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const CwTurn *turn = g_ptr_array_index (turns, middle);

      if (offset < turn->start)
        high = middle;
      else if (offset >= turn->end)
        low = middle + 1;
      else
        return turn;
    }
  return NULL;
}

/* Up to CONTEXT_CHARS before and after the segment, within its turn (or
 * line), cut at a word with "…" where the text goes on. */
static void
make_context (Cursor     *cursor,
              GPtrArray  *turns,
              gint64      start,
              gint64      end,
              char      **before,
              char      **after)
{
  const CwTurn *first = find_turn (turns, start);
  const CwTurn *last = find_turn (turns, MAX (start, end - 1));
  gint64 from = MAX (start - CONTEXT_CHARS, first != NULL ? first->start : 0);
  gint64 to = MIN (end + CONTEXT_CHARS, last != NULL ? last->end : cursor->length);
  const char *p_from = cursor_at (cursor, from);
  const char *p_start = cursor_at (cursor, start);
  const char *p_end = cursor_at (cursor, end);
  const char *p_to = cursor_at (cursor, to);
  const char *p;
  gboolean cut;

  /* Before: from the start of the line, or from a word. */
  cut = first == NULL || from > first->start;
  for (p = p_start; p > p_from; p--)
    if (p[-1] == '\n')
      {
        p_from = p;
        cut = FALSE;
        break;
      }
  if (cut && from > 0)
    {
      const char *space = p_from;

      while (space < p_start && *space != ' ')
        space++;
      p_from = space < p_start ? space + 1 : p_start;
    }
  {
    g_autofree char *text = g_strndup (p_from, p_start - p_from);

    *before = g_strconcat (cut && from > 0 && p_from < p_start ? "…" : "", text, NULL);
  }

  /* After: to the end of the line, or to a word. */
  cut = last == NULL || to < last->end;
  for (p = p_end; p < p_to; p++)
    if (*p == '\n')
      {
        p_to = p;
        cut = FALSE;
        break;
      }
  if (cut && to < cursor->length)
    {
      const char *space = p_to;

      while (space > p_end && space[-1] != ' ')
        space--;
      if (space > p_end)
        p_to = space - 1;
      else
        p_to = p_end;
    }
  {
    g_autofree char *text = g_strndup (p_end, p_to - p_end);

    *after = g_strconcat (text, cut && to < cursor->length && p_to > p_end ? "…" : "", NULL);
  }
  /* Leave the cursor at the segment's start for the next one. */
  cursor_at (cursor, start);
}

static void
retrieve_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RetrieveData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(RetrieveResult) result = g_new0 (RetrieveResult, 1);
  g_autofree char *text = NULL;
  GError *error = NULL;
  gint64 document_id = 0;
  gboolean playable = FALSE;
  Cursor cursor = { NULL };

  project = cw_project_open (data->path, &error);
  if (project == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  segments = cw_project_retrieve (project, data->query, cancellable, &error);
  if (segments == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < segments->len; i++)
    {
      CwCoding *segment = cw_coding_copy (g_ptr_array_index (segments, i));
      char *before = NULL;
      char *after = NULL;

      if (segment->document_id != document_id)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, &error))
            {
              cw_coding_free (segment);
              g_task_return_error (task, error);
              return;
            }
          document_id = segment->document_id;
          g_clear_pointer (&text, g_free);
          g_clear_pointer (&turns, g_ptr_array_unref);
          /* The segment's text comes from here: a text that cannot be read
           * fails the retrieval, as it did in the core. */
          text = cw_project_get_text (project, document_id, &error);
          if (text == NULL && error == NULL)
            text = g_strdup ("");
          if (text == NULL)
            {
              cw_coding_free (segment);
              g_task_return_error (task, error);
              return;
            }
          turns = cw_project_get_turns (project, document_id, NULL);
          /* A recording whose file is there: the row offers to play it. */
          {
            g_autoptr(CwRecording) recording = cw_project_get_recording (project, document_id, NULL);

            playable = recording != NULL && recording->resolved_path != NULL;
          }
          cursor.text = cursor.pointer = text;
          cursor.length = g_utf8_strlen (text, -1);
          cursor.offset = 0;
        }

      if (segment->start >= 0 && segment->end <= cursor.length && segment->start <= segment->end)
        {
          make_context (&cursor, turns, segment->start, segment->end, &before, &after);
          if (segment->text == NULL)
            segment->text = g_utf8_substring (text, (glong) segment->start, (glong) segment->end);
        }
      else if (segment->text == NULL)
        {
          /* Offsets past the text: clamped to it, as the core cuts them. */
          gint64 start = CLAMP (segment->start, 0, cursor.length);

          segment->text = g_utf8_substring (text, (glong) start, (glong) CLAMP (segment->end, start, cursor.length));
        }
      /* The time as the transcript's "Play From Here" finds it. */
      g_ptr_array_add (items, cw_segment_item_new (segment, before, after,
                                                   playable && turns != NULL
                                                   ? cw_turns_time_at_offset (turns, segment->start) : -1));
    }

  /* The retrieval checked the condition already: counting cannot fail on it. */
  if (data->query->case_condition != NULL)
    {
      g_autoptr(GArray) ids = cw_project_match_cases (project, data->query->case_condition, &result->n_cases,
                                                      cancellable, &error);

      if (ids == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      result->n_matching = ids->len;
      result->counted = TRUE;
    }
  result->items = g_steal_pointer (&items);
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) retrieve_result_free);
}

static void
set_count (CwRetrievalView *self,
           guint            n_segments,
           guint            n_documents)
{
  g_autofree char *segments = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u segment", "%u segments", n_segments),
                                               n_segments);
  g_autofree char *documents = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %u document", "in %u documents",
                                                             n_documents),
                                                n_documents);
  /* Translators: "42 segments" "in 7 documents" */
  g_autofree char *text = g_strdup_printf (C_("segments in documents", "%s %s"), segments, documents);

  gtk_label_set_text (self->count_label, n_segments > 0 ? text : segments);
}

static void
filled_cb (gpointer user_data)
{
  CwRetrievalView *self = user_data;

  update_busy (self);
  update_actions (self);
}

static void
retrieve_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (source);
  GTask *task = G_TASK (result);
  g_autoptr(RetrieveResult) retrieved = NULL;
  GPtrArray *items;
  g_autoptr(GHashTable) documents = NULL;
  g_autoptr(GError) error = NULL;

  /* A newer run replaced this one (or the view is going). */
  if (g_task_get_cancellable (task) != self->retrieve_cancellable)
    return;

  self->retrieving = FALSE;
  g_clear_object (&self->retrieve_cancellable);
  update_busy (self);

  retrieved = g_task_propagate_pointer (task, &error);
  if (retrieved == NULL)
    {
      self->counted = FALSE;
      update_cases_label (self);
      cw_list_filler_cancel (self->filler);
      g_list_store_remove_all (self->segments);
      gtk_label_set_text (self->count_label, "");
      adw_status_page_set_title (self->empty_page, _("Could Not Retrieve the Segments"));
      adw_status_page_set_description (self->empty_page, error->message);
      gtk_stack_set_visible_child_name (self->results_stack, "empty");
      update_actions (self);
      return;
    }

  items = retrieved->items;
  self->counted = retrieved->counted;
  self->n_matching = retrieved->n_matching;
  self->n_cases = retrieved->n_cases;
  update_cases_label (self);

  documents = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < items->len; i++)
    {
      CwSegmentItem *item = g_ptr_array_index (items, i);

      g_hash_table_add (documents, &item->segment->document_id);
    }
  self->n_documents = g_hash_table_size (documents);

  /* A batch per frame: GTK 4.8 builds and measures each new row of wrapped
   * text in the next frame's layout, a millisecond or more each. */
  cw_list_filler_set (self->filler, items);
  update_busy (self);
  set_count (self, items->len, self->n_documents);
  adw_status_page_set_title (self->empty_page, _("No Coded Segments"));
  adw_status_page_set_description (self->empty_page, self->codes == NULL || self->codes->len == 0
                                   ? _("The codebook is empty: add codes and code some text first.")
                                   : self->case_condition != NULL && self->counted && self->n_matching == 0
                                   ? _("No case meets the condition on the case variables.")
                                   : _("No segment matches these codes and filters."));
  gtk_stack_set_visible_child_name (self->results_stack, items->len > 0 ? "results" : "empty");
  if (items->len > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
  update_actions (self);
}

static gboolean
refresh_idle (gpointer user_data)
{
  CwRetrievalView *self = user_data;
  g_autoptr(GTask) task = NULL;
  RetrieveData *data;

  self->refresh_id = 0;
  cancel_and_clear (&self->retrieve_cancellable);
  if (self->filters_stale)
    load_filters (self);

  if (self->project == NULL)
    {
      self->retrieving = FALSE;
      cw_list_filler_cancel (self->filler);
      g_list_store_remove_all (self->segments);
      gtk_label_set_text (self->count_label, "");
      update_busy (self);
      update_actions (self);
      return G_SOURCE_REMOVE;
    }

  data = g_new0 (RetrieveData, 1);
  data->path = g_strdup (cw_project_get_path (self->project));
  data->query = build_query (self);

  self->retrieve_cancellable = g_cancellable_new ();
  self->retrieving = TRUE;
  update_busy (self);

  task = g_task_new (self, self->retrieve_cancellable, retrieve_cb, NULL);
  g_task_set_source_tag (task, refresh_idle);
  g_task_set_task_data (task, data, (GDestroyNotify) retrieve_data_free);
  g_task_run_in_thread (task, retrieve_thread);
  return G_SOURCE_REMOVE;
}

/* Coalesces the changes of one turn of the main loop into one retrieval,
 * and stops the one running: its result would be stale. */
static void
schedule_refresh (CwRetrievalView *self)
{
  if (self->loading)
    return;
  cancel_and_clear (&self->retrieve_cancellable);
  self->retrieving = FALSE;
  /* Hidden, the view waits: every coding made in the transcript would
   * otherwise read the whole project again. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      g_clear_handle_id (&self->refresh_id, g_source_remove);
      update_busy (self);
      return;
    }
  self->stale = FALSE;
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_idle, self, NULL);
  update_busy (self);
}

static void
filter_changed_cb (CwRetrievalView *self)
{
  schedule_refresh (self);
}

static void
project_changed_cb (CwRetrievalView *self)
{
  self->filters_stale = TRUE;
  schedule_refresh (self);
}

/* The rows */

static gboolean
header_query_tooltip_cb (GtkWidget  *header,
                         int         x,
                         int         y,
                         gboolean    keyboard,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  const char *text = gtk_label_get_text (GTK_LABEL (header));

  if (text[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
play_query_tooltip_cb (GtkWidget  *play,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip,
                       gpointer    user_data)
{
  gtk_tooltip_set_text (tooltip, _("Play From Here"));
  return TRUE;
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *bar = gtk_drawing_area_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *play = gtk_button_new_from_icon_name ("media-playback-start-symbolic");

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (bar), 4);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (bar), draw_bar, NULL, NULL);
  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_label_set_ellipsize (GTK_LABEL (header), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (header, "caption");
  gtk_widget_add_css_class (header, "dim-label");
  /* The whole header, which the row may cut short; asked for when the
   * pointer rests on it (setting a tooltip on each bind costs a round trip
   * to the display server). */
  gtk_widget_set_has_tooltip (header, TRUE);
  g_signal_connect (header, "query-tooltip", G_CALLBACK (header_query_tooltip_cb), NULL);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  /* Long segments stop after a few lines; the document shows the rest. */
  gtk_label_set_lines (GTK_LABEL (text), 6);
  gtk_label_set_ellipsize (GTK_LABEL (text), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (text), 20);
  gtk_widget_set_hexpand (labels, TRUE);

  gtk_box_append (GTK_BOX (labels), header);
  gtk_box_append (GTK_BOX (labels), text);
  /* Shown for a segment whose document has a recording and whose turn a
   * time: a click opens the document and plays from that time. */
  gtk_widget_set_valign (play, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (play, "flat");
  gtk_widget_add_css_class (play, "circular");
  /* Asked for, as the header's: gtk_widget_set_tooltip_text asks the
   * display server where the pointer is, for each new row. */
  gtk_widget_set_has_tooltip (play, TRUE);
  g_signal_connect (play, "query-tooltip", G_CALLBACK (play_query_tooltip_cb), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (play), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Play From Here"), -1);

  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), play);
  gtk_list_item_set_child (list_item, box);

  g_object_set_data (G_OBJECT (list_item), "bar", bar);
  g_object_set_data (G_OBJECT (list_item), "header", header);
  g_object_set_data (G_OBJECT (list_item), "text", text);
  g_object_set_data (G_OBJECT (list_item), "play", play);
}

static char *
row_header (const CwCoding *segment)
{
  const char *fields[] = { segment->document, segment->speaker, segment->coder, segment->code };
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL && fields[i][0] != '\0')
      g_ptr_array_add (parts, (gpointer) fields[i]);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  CwSegmentItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *bar = g_object_get_data (G_OBJECT (list_item), "bar");
  GtkLabel *header = g_object_get_data (G_OBJECT (list_item), "header");
  GtkLabel *text = g_object_get_data (G_OBJECT (list_item), "text");
  GtkWidget *play = g_object_get_data (G_OBJECT (list_item), "play");
  g_autofree char *header_text = row_header (item->segment);
  g_autofree char *before = g_markup_escape_text (item->before != NULL ? item->before : "", -1);
  g_autofree char *segment = g_markup_escape_text (item->segment->text != NULL ? item->segment->text : "", -1);
  g_autofree char *after = g_markup_escape_text (item->after != NULL ? item->after : "", -1);
  g_autofree char *markup = NULL;
  GdkRGBA color;

  /* The context dim; the segment on its code's colour, as in the
   * transcript. */
  if (item->segment->color != NULL && gdk_rgba_parse (&color, item->segment->color))
    markup = g_strdup_printf ("<span alpha=\"55%%\">%s</span>"
                              "<span background=\"#%02x%02x%02x\" bgalpha=\"22%%\">%s</span>"
                              "<span alpha=\"55%%\">%s</span>",
                              before, (int) (color.red * 255), (int) (color.green * 255), (int) (color.blue * 255),
                              segment, after);
  else
    markup = g_strdup_printf ("<span alpha=\"55%%\">%s</span>%s<span alpha=\"55%%\">%s</span>",
                              before, segment, after);

  set_area_color (bar, item->segment->color);
  gtk_label_set_text (header, header_text);
  gtk_label_set_markup (text, markup);
  /* The segment itself, not its position: the rows are re-bound as the
   * results change. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (play), "(xxx)", item->segment->document_id,
                                    item->segment->start, item->segment->end);
  /* Named once it has a target (a name without one is a type mismatch). */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (play), "retrieval.play-segment");
  gtk_widget_set_visible (play, item->play_time >= 0);
}

static void
segment_activate_cb (CwRetrievalView *self,
                     guint            position)
{
  g_autoptr(CwSegmentItem) item = g_list_model_get_item (G_LIST_MODEL (self->segments), position);

  if (item == NULL)
    return;
  g_signal_emit (self, signals[SEGMENT_ACTIVATED], 0,
                 item->segment->document_id, item->segment->start, item->segment->end);
}

static void
play_segment_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gint64 document_id, start, end;

  g_variant_get (parameter, "(xxx)", &document_id, &start, &end);
  g_signal_emit (widget, signals[PLAY_REQUESTED], 0, document_id, start, end);
}

/* Export */

typedef enum
{
  EXPORT_CSV,
  EXPORT_REPORT,
} ExportKind;

typedef struct
{
  ExportKind  kind;
  GPtrArray  *items;   /* CwSegmentItem */
  GFile      *file;
  char       *title;
  char       *subtitle;
  char       *project_path; /* pseudonymised: the table is read from it; else NULL */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_ptr_array_unref (data->items);
  g_object_unref (data->file);
  g_free (data->project_path);
  g_free (data->title);
  g_free (data->subtitle);
  g_free (data);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autofree char *subtitle = NULL;
  GError *error = NULL;
  gboolean ok;

  if (data->project_path == NULL)
    {
      /* Borrowed: the items (and their segments) live as long as the task. */
      segments = g_ptr_array_sized_new (data->items->len);
      for (guint i = 0; i < data->items->len; i++)
        g_ptr_array_add (segments, ((CwSegmentItem *) g_ptr_array_index (data->items, i))->segment);
      subtitle = g_strdup (data->subtitle);
    }
  else
    {
      /* Copies, pseudonymised with the table (the rows keep the real
       * text); the query's words too: they may name a speaker or a case. */
      segments = g_ptr_array_new_full (data->items->len, (GDestroyNotify) cw_coding_free);
      for (guint i = 0; i < data->items->len; i++)
        g_ptr_array_add (segments, cw_coding_copy (((CwSegmentItem *) g_ptr_array_index (data->items, i))->segment));
      project = cw_project_open (data->project_path, &error);
      if (project == NULL ||
          !cw_project_pseudonymise_segments (project, segments, cancellable, &error) ||
          (data->subtitle != NULL && (subtitle = cw_project_pseudonymise_text (project, data->subtitle, &error)) == NULL))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  if (data->kind == EXPORT_CSV)
    ok = cw_report_write_csv (segments, data->file, cancellable, &error);
  else
    ok = cw_report_write_odt (segments, data->title, subtitle, data->file, cancellable, &error);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (source);
  ExportData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (data->file);
  g_autofree char *message = NULL;

  if (g_task_get_cancellable (G_TASK (result)) != self->export_cancellable)
    return;
  self->exporting = FALSE;
  g_clear_object (&self->export_cancellable);
  update_busy (self);
  update_actions (self);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    /* Translators: the file's name, then why. */
    message = g_strdup_printf (_("Could not export to “%s”: %s"), name, error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u segment to “%s”",
                                            "Exported %u segments to “%s”", data->items->len),
                               data->items->len, name);
  show_message (self, message);
}

static void
start_export (CwRetrievalView *self,
              ExportKind       kind,
              GFile           *file,
              gboolean         pseudonymise)
{
  g_autoptr(GTask) task = NULL;
  ExportData *data;
  GListModel *model = G_LIST_MODEL (self->segments);
  guint n;

  if (self->exporting)
    return;
  /* Exports and tests want every row now. */
  cw_list_filler_flush (self->filler);
  n = g_list_model_get_n_items (model);

  data = g_new0 (ExportData, 1);
  data->kind = kind;
  data->file = g_object_ref (file);
  data->items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (data->items, g_list_model_get_item (model, i));
  data->title = g_strdup (_("Coded Segments"));
  data->subtitle = _cw_retrieval_view_describe_query (self);
  data->project_path = pseudonymise ? g_strdup (cw_project_get_path (self->project)) : NULL;

  self->exporting = TRUE;
  self->export_cancellable = g_cancellable_new ();
  update_busy (self);
  update_actions (self);

  task = g_task_new (self, self->export_cancellable, export_cb, NULL);
  g_task_set_source_tag (task, start_export);
  g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  CwRetrievalView *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      ExportKind kind = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "kind"));

      if (file != NULL)
        start_export (self, kind, file, cw_exchange_get_pseudonymise_choice (GTK_FILE_CHOOSER (dialog)));
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (widget);
  gboolean csv = g_str_equal (action_name, "retrieval.export-csv");
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (csv ? _("Export Segments as CSV") : _("Export Segments as a Report"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, csv ? _("CSV table") : _("OpenDocument text"));
  gtk_file_filter_add_suffix (filter, csv ? "csv" : "odt");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser),
                                     csv ? _("coded-segments.csv") : _("coded-segments.odt"));
  g_object_set_data (G_OBJECT (chooser), "kind", GINT_TO_POINTER (csv ? EXPORT_CSV : EXPORT_REPORT));
  /* Quotations name people: on by default when the project keeps a
   * pseudonym table. */
  if (self->project != NULL)
    cw_exchange_add_pseudonymise_choice (GTK_FILE_CHOOSER (chooser), self->project);

  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Public */

void
cw_retrieval_view_set_project (CwRetrievalView *self,
                               CwProject       *project)
{
  g_return_if_fail (CW_IS_RETRIEVAL_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (project != self->project)
    {
      if (self->project != NULL)
        g_clear_signal_handler (&self->changed_id, self->project);
      g_set_object (&self->project, project);
      g_array_set_size (self->code_ids, 0);
      self->document_id = 0;
      gtk_widget_set_visible (GTK_WIDGET (self->document_button), FALSE);
      cw_list_filler_cancel (self->filler);
      g_list_store_remove_all (self->segments);
      if (project != NULL)
        self->changed_id = g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
    }

  /* The codes, documents and speakers are read when the view is first
   * shown (refresh_idle): opening a project should not wait for them. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    load_filters (self);
  else
    self->filters_stale = TRUE;
  schedule_refresh (self);
}

CwProject *
cw_retrieval_view_get_project (CwRetrievalView *self)
{
  g_return_val_if_fail (CW_IS_RETRIEVAL_VIEW (self), NULL);
  return self->project;
}

void
cw_retrieval_view_set_codes (CwRetrievalView *self,
                             const gint64    *code_ids,
                             guint            n)
{
  g_return_if_fail (CW_IS_RETRIEVAL_VIEW (self));
  g_return_if_fail (code_ids != NULL || n == 0);

  g_array_set_size (self->code_ids, 0);
  for (guint i = 0; i < n; i++)
    if (!has_code_id (self->code_ids, code_ids[i], NULL))
      g_array_append_val (self->code_ids, code_ids[i]);

  /* Toggling the buttons is idempotent now that the list is set. */
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, self->code_checks);
    while (g_hash_table_iter_next (&iter, &key, &value))
      gtk_check_button_set_active (value, has_code_id (self->code_ids, *(gint64 *) key, NULL));
  }

  update_codes_label (self);
  schedule_refresh (self);
}

void
cw_retrieval_view_set_document (CwRetrievalView *self,
                                gint64           document_id)
{
  g_autoptr(CwDocumentInfo) info = NULL;

  g_return_if_fail (CW_IS_RETRIEVAL_VIEW (self));

  if (document_id != 0 && self->project != NULL)
    info = cw_project_get_document_info (self->project, document_id, NULL);
  self->document_id = info != NULL ? document_id : 0;
  if (info != NULL)
    {
      /* Translators: the retrieval view shows one document's segments. */
      g_autofree char *label = g_strdup_printf (_("Document: %s"), info->name);

      gtk_label_set_label (self->document_label, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->document_button), self->document_id != 0);
  schedule_refresh (self);
}

gint64
cw_retrieval_view_get_document (CwRetrievalView *self)
{
  g_return_val_if_fail (CW_IS_RETRIEVAL_VIEW (self), 0);
  return self->document_id;
}

static void
document_button_clicked_cb (CwRetrievalView *self)
{
  cw_retrieval_view_set_document (self, 0);
}

CwRetrievalView *
cw_retrieval_view_new (void)
{
  return g_object_new (CW_TYPE_RETRIEVAL_VIEW, NULL);
}

/* Internals for the tests */

GListModel *
_cw_retrieval_view_get_segments (CwRetrievalView *self)
{
  /* Exports and tests want every row now. */
  cw_list_filler_flush (self->filler);
  return G_LIST_MODEL (self->segments);
}

GtkListView *
_cw_retrieval_view_get_list_view (CwRetrievalView *self)
{
  return self->list_view;
}

gboolean
_cw_retrieval_view_is_busy (CwRetrievalView *self)
{
  return self->retrieving || self->refresh_id != 0 || self->exporting || self->condition_id != 0 ||
         cw_list_filler_is_busy (self->filler);
}

const char *
_cw_retrieval_view_get_count_text (CwRetrievalView *self)
{
  return gtk_label_get_text (self->count_label);
}

const char *
_cw_retrieval_view_get_last_message (CwRetrievalView *self)
{
  return self->last_message;
}

GtkDropDown *
_cw_retrieval_view_get_combine_dropdown (CwRetrievalView *self)
{
  return self->combine_dropdown;
}

GtkDropDown *
_cw_retrieval_view_get_coder_dropdown (CwRetrievalView *self)
{
  return self->coder_dropdown;
}

GtkDropDown *
_cw_retrieval_view_get_speaker_dropdown (CwRetrievalView *self)
{
  return self->speaker_dropdown;
}

GtkDropDown *
_cw_retrieval_view_get_kind_dropdown (CwRetrievalView *self)
{
  return self->kind_dropdown;
}

GtkSwitch *
_cw_retrieval_view_get_subcodes_switch (CwRetrievalView *self)
{
  return self->subcodes_switch;
}

GtkMenuButton *
_cw_retrieval_view_get_codes_button (CwRetrievalView *self)
{
  return self->codes_button;
}

GtkCheckButton *
_cw_retrieval_view_get_code_check (CwRetrievalView *self,
                                   gint64           code_id)
{
  return g_hash_table_lookup (self->code_checks, &code_id);
}

GtkMenuButton *
_cw_retrieval_view_get_cases_button (CwRetrievalView *self)
{
  return self->cases_button;
}

GtkEditable *
_cw_retrieval_view_get_condition_entry (CwRetrievalView *self)
{
  return GTK_EDITABLE (self->condition_entry);
}

GtkDropDown *
_cw_retrieval_view_get_match_dropdown (CwRetrievalView *self)
{
  return self->match_dropdown;
}

const char *
_cw_retrieval_view_get_condition_error (CwRetrievalView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->condition_error)) ? gtk_label_get_text (self->condition_error) : "";
}

const char *
_cw_retrieval_view_get_case_condition (CwRetrievalView *self)
{
  return self->case_condition;
}

const char *
_cw_retrieval_view_get_cases_count_text (CwRetrievalView *self)
{
  return gtk_label_get_text (self->cases_count);
}

gboolean
_cw_retrieval_view_get_rows_shown (CwRetrievalView *self)
{
  return gtk_widget_get_visible (GTK_WIDGET (self->rows_box)) && !gtk_widget_get_visible (GTK_WIDGET (self->rows_note));
}

guint
_cw_retrieval_view_get_n_condition_rows (CwRetrievalView *self)
{
  return n_rows (self);
}

void
_cw_retrieval_view_set_condition_row (CwRetrievalView     *self,
                                      guint                index,
                                      const char          *variable,
                                      CwConditionOperator  op,
                                      const char          *value)
{
  GtkWidget *row = nth_row (self, index);

  g_return_if_fail (row != NULL);
  row_set (self, row, variable, op, value);
}

char *
_cw_retrieval_view_describe_query (CwRetrievalView *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) codes = g_string_new (NULL);
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  const char *group = dropdown_choice (self->group_dropdown);
  const char *coder = dropdown_choice (self->coder_dropdown);
  const char *speaker = dropdown_choice (self->speaker_dropdown);

  for (guint i = 0; i < self->code_ids->len; i++)
    {
      const CwCode *code = lookup_code (self, g_array_index (self->code_ids, gint64, i));

      if (code == NULL)
        continue;
      if (codes->len > 0)
        g_string_append (codes, ", ");
      g_string_append (codes, code->path);
    }

  if (codes->len == 0)
    g_ptr_array_add (parts, g_strdup (_("All codes")));
  else
    g_ptr_array_add (parts, g_strdup_printf (_("Codes: %s"), codes->str));
  if (self->code_ids->len >= 2)
    {
      GtkStringObject *combine = gtk_drop_down_get_selected_item (self->combine_dropdown);

      if (combine != NULL)
        g_ptr_array_add (parts, g_strdup (gtk_string_object_get_string (combine)));
    }
  if (codes->len > 0 && gtk_switch_get_active (self->subcodes_switch))
    g_ptr_array_add (parts, g_strdup (_("with subcodes")));
  if (kind > 0 && kind <= G_N_ELEMENTS (kind_order))
    g_ptr_array_add (parts, g_strdup (cw_document_item_kind_heading (kind_order[kind - 1])));
  if (group != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Group: %s"), group));
  if (coder != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Coder: %s"), coder));
  if (speaker != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Speaker: %s"), speaker));
  if (self->case_condition != NULL)
    g_ptr_array_add (parts, g_strdup_printf (_("Cases: %s"), self->case_condition));
  if (gtk_label_get_text (self->count_label)[0] != '\0')
    g_ptr_array_add (parts, g_strdup (gtk_label_get_text (self->count_label)));

  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

void
_cw_retrieval_view_export_csv (CwRetrievalView *self,
                               GFile           *file)
{
  start_export (self, EXPORT_CSV, file, FALSE);
}

void
_cw_retrieval_view_export_report (CwRetrievalView *self,
                                  GFile           *file)
{
  start_export (self, EXPORT_REPORT, file, FALSE);
}

void
_cw_retrieval_view_export_csv_full (CwRetrievalView *self,
                                    GFile           *file,
                                    gboolean         pseudonymise)
{
  start_export (self, EXPORT_CSV, file, pseudonymise);
}

void
_cw_retrieval_view_export_report_full (CwRetrievalView *self,
                                       GFile           *file,
                                       gboolean         pseudonymise)
{
  start_export (self, EXPORT_REPORT, file, pseudonymise);
}

/* GObject */

static void
cw_retrieval_view_map (GtkWidget *widget)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (widget);

  GTK_WIDGET_CLASS (cw_retrieval_view_parent_class)->map (widget);
  if (self->stale)
    schedule_refresh (self);
}

static void
cw_retrieval_view_dispose (GObject *object)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (object);
  GtkWidget *child;

  cancel_and_clear (&self->retrieve_cancellable);
  cancel_and_clear (&self->export_cancellable);
  self->retrieving = FALSE;
  self->exporting = FALSE;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->condition_id, g_source_remove);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  g_clear_pointer (&self->code_checks, g_hash_table_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_RETRIEVAL_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->project);
  g_clear_pointer (&self->filler, cw_list_filler_free);
  g_clear_object (&self->segments);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->variables, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_retrieval_view_parent_class)->dispose (object);
}

static void
cw_retrieval_view_finalize (GObject *object)
{
  CwRetrievalView *self = CW_RETRIEVAL_VIEW (object);

  g_array_unref (self->code_ids);
  g_array_unref (self->group_ids);
  g_free (self->last_message);
  g_free (self->variables_key);
  g_free (self->case_condition);

  G_OBJECT_CLASS (cw_retrieval_view_parent_class)->finalize (object);
}

static void
cw_retrieval_view_class_init (CwRetrievalViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_retrieval_view_dispose;
  object_class->finalize = cw_retrieval_view_finalize;
  widget_class->map = cw_retrieval_view_map;

  /**
   * CwRetrievalView::segment-activated:
   * @document_id: the segment's document
   * @start: its first character
   * @end: the character after it
   *
   * The user chose a segment to read in its document.
   */
  signals[SEGMENT_ACTIVATED] =
    g_signal_new ("segment-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64);

  /**
   * CwRetrievalView::play-requested:
   * @document_id: the segment's document
   * @start: its first character
   * @end: the character after it
   *
   * "Play From Here" on a segment: the window opens it in its document and
   * plays the recording from the time of the segment's turn.
   */
  signals[PLAY_REQUESTED] =
    g_signal_new ("play-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64);

  /**
   * CwRetrievalView::message:
   * @text: what to tell the user
   *
   * An export finished or failed; the window shows it as a toast.
   */
  signals[MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-retrieval-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, main_box);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_button);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_popover);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_search);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_box);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_empty);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_clear);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, codes_label);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, combine_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, subcodes_switch);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, document_button);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, document_label);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, coder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, speaker_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, results_stack);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, cases_button);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, cases_popover);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, match_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, rows_box);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, rows_note);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, add_row_button);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, condition_entry);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, condition_error);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, popover_count);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, cases_label);
  gtk_widget_class_bind_template_child (widget_class, CwRetrievalView, cases_count);
  gtk_widget_class_bind_template_callback (widget_class, builder_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, condition_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, codes_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, codes_clear_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, document_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, segment_activate_cb);

  gtk_widget_class_install_action (widget_class, "retrieval.export-csv", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "retrieval.export-report", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "retrieval.play-segment", "(xxx)", play_segment_action);
  gtk_widget_class_install_action (widget_class, "retrieval.add-condition", NULL, add_condition_action);
  gtk_widget_class_install_action (widget_class, "retrieval.clear-condition", NULL, clear_condition_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-retrieval-view");
}

static void
cw_retrieval_view_init (CwRetrievalView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  GtkNoSelection *selection;

  self->segments = g_list_store_new (CW_TYPE_SEGMENT_ITEM);
  self->filler = cw_list_filler_new (GTK_WIDGET (self), self->segments, filled_cb, self);
  self->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->group_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->code_checks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  /* The template's notify handlers fire while it is built: hold them. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_string_list_append (kinds, _("Any kind"));
  for (guint i = 0; i < G_N_ELEMENTS (kind_order); i++)
    gtk_string_list_append (kinds, cw_document_item_kind_heading (kind_order[i]));
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  set_strings (self->group_dropdown, _("Any group"), NULL);
  set_strings (self->coder_dropdown, _("Any coder"), NULL);
  set_strings (self->speaker_dropdown, _("Any speaker"), NULL);
  {
    g_autoptr(GtkExpression) expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

    gtk_drop_down_set_expression (self->speaker_dropdown, expression);
  }

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->segments)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  g_signal_connect_swapped (self->cases_popover, "show", G_CALLBACK (cases_popover_show_cb), self);
  update_codes_label (self);
  update_cases_label (self);
  update_condition_actions (self);
  update_busy (self);
  gtk_stack_set_visible_child_name (self->results_stack, "empty");
  self->loading = FALSE;
  update_actions (self);
}
