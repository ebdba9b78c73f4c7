/* cw-overview-view.c: the coding at a glance, in four pictures.
 *
 * The numbers are computed in a worker on its own connection (the code
 * map reads every coding); each new choice cancels the running one. The
 * drawing is cw-overview-chart.c's, the same for the widget, the PNG and
 * SVG exports and `codewerk-cli chart`, so what is saved is what is seen
 * (in the light palette).
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "cw-cases.h"
#include "cw-overview-chart.h"
#include "cw-overview-view-private.h"

struct _CwOverviewView
{
  GtkWidget        parent_instance;

  /* template */
  GtkWidget       *main_box;
  GtkDropDown     *picture_dropdown;
  GtkWidget       *variable_box;
  GtkDropDown     *variable_dropdown;
  GtkWidget       *coder_box;
  GtkDropDown     *coder_dropdown;
  GtkStack        *stack;
  GtkDrawingArea  *area;
  AdwStatusPage   *empty_page;
  GtkSpinner      *spinner;
  GtkLabel        *status_label;

  /* owned */
  CwProject       *project;
  gulong           changed_id;
  GPtrArray       *variables;   /* CwVariable, as in the dropdown */
  GStrv            coders;      /* as in the dropdown after "All coders" */
  CwOverview      *overview;
  CwChart         *chart;       /* measured for the widget's font */
  GCancellable    *cancellable;
  guint            reload_id;
  gboolean         loading;     /* filling the dropdowns: no computing yet */
  gboolean         stale;       /* to compute again once shown */
  char            *last_message;
};

enum {
  MESSAGE,
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwOverviewView, cw_overview_view, GTK_TYPE_WIDGET)

static void compute (CwOverviewView *self);

static void
show_message (CwOverviewView *self,
              const char     *message)
{
  g_free (self->last_message);
  self->last_message = g_strdup (message);
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    g_cancellable_cancel (*cancellable);
  g_clear_object (cancellable);
}

static CwOverviewType
picture (CwOverviewView *self)
{
  guint selected = gtk_drop_down_get_selected (self->picture_dropdown);

  return selected <= CW_OVERVIEW_COOCCURRENCE ? (CwOverviewType) selected : CW_OVERVIEW_CODE_MAP;
}

static const CwVariable *
selected_variable (CwOverviewView *self)
{
  guint selected = gtk_drop_down_get_selected (self->variable_dropdown);

  if (self->variables == NULL || selected == GTK_INVALID_LIST_POSITION || selected >= self->variables->len)
    return NULL;
  return g_ptr_array_index (self->variables, selected);
}

/* NULL: every coder. */
static const char *
selected_coder (CwOverviewView *self)
{
  guint selected = gtk_drop_down_get_selected (self->coder_dropdown);

  if (self->coders == NULL || selected == 0 || selected == GTK_INVALID_LIST_POSITION ||
      selected > g_strv_length (self->coders))
    return NULL;
  return self->coders[selected - 1];
}

/* Drawing */

static void
draw_cb (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  CwOverviewView *self = CW_OVERVIEW_VIEW (user_data);
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (area));
  CwChartPalette themed = *(adw_style_manager_get_dark (adw_style_manager_get_default ())
                            ? cw_chart_palette_dark () : cw_chart_palette_light ());
  GdkRGBA fg;

  if (self->chart == NULL)
    return;

  /* Text in the theme's colour on the view's own background; the scale
   * stays ours. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  themed.foreground = (CwRgb) { fg.red, fg.green, fg.blue };
  themed.fill_background = FALSE;
  cw_chart_paint (self->chart, cr, context, &themed);
}

static void
update_size (CwOverviewView *self)
{
  g_clear_pointer (&self->chart, cw_chart_free);
  if (self->overview == NULL)
    {
      gtk_drawing_area_set_content_width (self->area, 0);
      gtk_drawing_area_set_content_height (self->area, 0);
      return;
    }
  self->chart = cw_chart_new (self->overview, gtk_widget_get_pango_context (GTK_WIDGET (self->area)));
  gtk_drawing_area_set_content_width (self->area, (int) ceil (cw_chart_get_width (self->chart)));
  gtk_drawing_area_set_content_height (self->area, (int) ceil (cw_chart_get_height (self->chart)));
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
update_busy (CwOverviewView *self)
{
  gboolean busy = self->cancellable != NULL;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
}

static void
update_status (CwOverviewView *self)
{
  const CwOverview *o = self->overview;
  g_autofree char *text = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.export-png", o != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.export-svg", o != NULL);
  if (o == NULL)
    {
      gtk_label_set_text (self->status_label, "");
      return;
    }
  if (o->type == CW_OVERVIEW_CODE_MAP)
    {
      g_autofree char *documents =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u document", "%u documents", o->rows->len), o->rows->len);
      g_autofree char *codes =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u code", "%u codes", o->columns->len), o->columns->len);

      /* Translators: "6 documents" × "38 codes" */
      text = g_strdup_printf (C_("documents by codes", "%s × %s"), documents, codes);
    }
  else if (o->type == CW_OVERVIEW_COOCCURRENCE)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u code", "%u codes", o->rows->len), o->rows->len);
  else
    {
      g_autofree char *codes =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u code", "%u codes", o->rows->len), o->rows->len);
      g_autofree char *values =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group", "%u groups", o->columns->len), o->columns->len);

      /* Translators: "38 codes" × "4 groups" (kinds or values) */
      text = g_strdup_printf (C_("codes by groups", "%s × %s"), codes, values);
    }
  gtk_label_set_text (self->status_label, text);
}

/* Which choices apply: the variable to its picture; the coder to all but
 * the variable's, whose crosstab counts every coder. */
static void
update_choices (CwOverviewView *self)
{
  CwOverviewType type = picture (self);

  gtk_widget_set_visible (self->variable_box, type == CW_OVERVIEW_VARIABLE);
  gtk_widget_set_sensitive (self->coder_box, type != CW_OVERVIEW_VARIABLE);
  gtk_widget_set_tooltip_text (self->coder_box, type == CW_OVERVIEW_VARIABLE
                                                ? _("Counts by case variable are every coder’s")
                                                : NULL);
}

static void
show_empty (CwOverviewView *self,
            const char     *title,
            const char     *description)
{
  g_clear_pointer (&self->overview, cw_overview_free);
  adw_status_page_set_title (self->empty_page, title);
  adw_status_page_set_description (self->empty_page, description);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

/* Hovering and clicking */

static char *
tooltip_at (CwOverviewView *self,
            double          x,
            double          y)
{
  guint row, column;

  if (self->chart == NULL)
    return NULL;
  if (cw_chart_cell_at (self->chart, x, y, &row, &column))
    return cw_chart_describe_cell (self->overview, row, column);
  /* A label: the whole of it, which the picture may cut. */
  return cw_chart_label_at (self->chart, x, y);
}

static gboolean
query_tooltip_cb (CwOverviewView *self,
                  int             x,
                  int             y,
                  gboolean        keyboard,
                  GtkTooltip     *tooltip)
{
  g_autofree char *text = keyboard ? NULL : tooltip_at (self, x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static gboolean
click_at (CwOverviewView *self,
          double          x,
          double          y)
{
  const CwOverview *o = self->overview;
  guint row, column;
  gint64 document_id = 0, code_id, other_code_id = 0;

  if (self->chart == NULL || !cw_chart_cell_at (self->chart, x, y, &row, &column))
    return FALSE;
  switch (o->type)
    {
    case CW_OVERVIEW_CODE_MAP:
      document_id = g_array_index (o->row_ids, gint64, row);
      code_id = g_array_index (o->column_ids, gint64, column);
      break;
    case CW_OVERVIEW_COOCCURRENCE:
      code_id = g_array_index (o->row_ids, gint64, row);
      if (row != column)
        other_code_id = g_array_index (o->column_ids, gint64, column);
      break;
    case CW_OVERVIEW_KINDS:
    case CW_OVERVIEW_VARIABLE:
    default:
      code_id = g_array_index (o->row_ids, gint64, row);
      break;
    }
  if (code_id == 0)
    return FALSE;
  g_signal_emit (self, signals[CELL_ACTIVATED], 0, document_id, code_id, other_code_id);
  return TRUE;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             CwOverviewView  *self)
{
  if (gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture)) == GDK_BUTTON_PRIMARY)
    click_at (self, x, y);
}

/* A hand over what a click opens. */
static void
motion_cb (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           CwOverviewView           *self)
{
  guint row, column;
  gboolean on_cell = self->chart != NULL && cw_chart_cell_at (self->chart, x, y, &row, &column);

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->area), on_cell ? "pointer" : NULL);
}

/* Computing in a worker */

typedef struct
{
  char           *path;
  CwOverviewType  type;
  char           *variable;
  char           *coder;
} ComputeData;

static void
compute_data_free (ComputeData *data)
{
  g_free (data->path);
  g_free (data->variable);
  g_free (data->coder);
  g_free (data);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  CwOverview *overview = NULL;
  GError *error = NULL;

  project = cw_project_open (data->path, &error);
  if (project != NULL)
    switch (data->type)
      {
      case CW_OVERVIEW_CODE_MAP:
        overview = cw_project_code_map (project, data->coder, cancellable, &error);
        break;
      case CW_OVERVIEW_KINDS:
        overview = cw_project_frequencies_by_kind (project, data->coder, cancellable, &error);
        break;
      case CW_OVERVIEW_VARIABLE:
        overview = cw_project_frequencies_by_variable (project, data->variable, 0, &error);
        break;
      case CW_OVERVIEW_COOCCURRENCE:
      default:
        overview = cw_project_code_cooccurrence (project, data->coder, cancellable, &error);
        break;
      }
  if (overview == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, overview, (GDestroyNotify) cw_overview_free);
}

static void
compute_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  CwOverviewView *self = CW_OVERVIEW_VIEW (source);
  GTask *task = G_TASK (result);
  g_autoptr(GError) error = NULL;
  CwOverview *overview;

  if (g_task_get_cancellable (task) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  update_busy (self);

  overview = g_task_propagate_pointer (task, &error);
  g_clear_pointer (&self->overview, cw_overview_free);
  self->overview = overview;
  if (overview == NULL)
    show_empty (self, _("Could Not Draw the Picture"), error->message);
  else if (overview->rows->len == 0 || overview->columns->len == 0)
    {
      if (overview->type == CW_OVERVIEW_CODE_MAP && overview->rows->len == 0)
        show_empty (self, _("No Documents"), _("Import transcripts first."));
      else if (overview->type == CW_OVERVIEW_KINDS && overview->columns->len == 0)
        show_empty (self, _("No Documents"), _("Import transcripts first."));
      else
        show_empty (self, _("No Codes"), _("Add codes and code some text first."));
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "chart");
  update_size (self);
  update_status (self);
}

static void
compute (CwOverviewView *self)
{
  CwOverviewType type = picture (self);
  const CwVariable *variable = selected_variable (self);
  g_autoptr(GTask) task = NULL;
  ComputeData *data;

  cancel_and_clear (&self->cancellable);
  self->stale = FALSE;
  if (self->project == NULL || (type == CW_OVERVIEW_VARIABLE && variable == NULL))
    {
      if (type == CW_OVERVIEW_VARIABLE)
        show_empty (self, _("No Case Variables"),
                    _("Import the cohort’s records in the Cases view and link the cases to documents or "
                      "speakers: the codings are then counted per value of a variable here."));
      else
        show_empty (self, _("No Project"), "");
      update_busy (self);
      update_size (self);
      update_status (self);
      return;
    }

  data = g_new0 (ComputeData, 1);
  data->path = g_strdup (cw_project_get_path (self->project));
  data->type = type;
  data->variable = variable != NULL ? g_strdup (variable->name) : NULL;
  data->coder = g_strdup (selected_coder (self));

  self->cancellable = g_cancellable_new ();
  update_busy (self);
  task = g_task_new (self, self->cancellable, compute_cb, NULL);
  g_task_set_source_tag (task, compute);
  g_task_set_task_data (task, data, (GDestroyNotify) compute_data_free);
  g_task_run_in_thread (task, compute_thread);
}

/* Soon, and only when seen: a hidden view waits until it is shown. */
static void
schedule_compute (CwOverviewView *self)
{
  if (self->loading)
    return;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    compute (self);
  else
    self->stale = TRUE;
}

static void
picture_changed_cb (CwOverviewView *self)
{
  update_choices (self);
  schedule_compute (self);
}

static void
choice_changed_cb (CwOverviewView *self)
{
  schedule_compute (self);
}

/* Fills the variable and coder dropdowns, keeping the choices by name. */
static void
load_choices (CwOverviewView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) coders = gtk_string_list_new (NULL);
  const CwVariable *previous = selected_variable (self);
  g_autofree char *keep = previous != NULL ? g_strdup (previous->name) : NULL;
  g_autofree char *keep_coder = g_strdup (selected_coder (self));
  guint selected = 0, selected_coder_index = 0;

  self->loading = TRUE;
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_clear_pointer (&self->coders, g_strfreev);
  if (self->project != NULL)
    {
      self->variables = cw_project_list_variables (self->project, &error);
      if (self->variables == NULL)
        {
          show_message (self, error->message);
          g_clear_error (&error);
        }
      self->coders = cw_project_list_coders (self->project, &error);
      if (self->coders == NULL)
        show_message (self, error->message);
    }
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      gtk_string_list_append (names, variable->name);
      if (g_strcmp0 (keep, variable->name) == 0)
        selected = i;
    }
  gtk_drop_down_set_model (self->variable_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->variable_dropdown,
                              g_list_model_get_n_items (G_LIST_MODEL (names)) > 0 ? selected
                                                                                   : GTK_INVALID_LIST_POSITION);
  gtk_widget_set_sensitive (GTK_WIDGET (self->variable_dropdown), g_list_model_get_n_items (G_LIST_MODEL (names)) > 0);

  gtk_string_list_append (coders, _("All coders"));
  for (guint i = 0; self->coders != NULL && self->coders[i] != NULL; i++)
    {
      gtk_string_list_append (coders, self->coders[i]);
      if (g_strcmp0 (keep_coder, self->coders[i]) == 0)
        selected_coder_index = i + 1;
    }
  gtk_drop_down_set_model (self->coder_dropdown, G_LIST_MODEL (coders));
  gtk_drop_down_set_selected (self->coder_dropdown, selected_coder_index);
  self->loading = FALSE;
}

static gboolean
reload_idle (gpointer user_data)
{
  CwOverviewView *self = user_data;

  self->reload_id = 0;
  load_choices (self);
  schedule_compute (self);
  return G_SOURCE_REMOVE;
}

static void
project_changed_cb (CwOverviewView *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle, self);
}

/* Exports */

gboolean
_cw_overview_view_export_to (CwOverviewView *self,
                             GFile          *file,
                             GError        **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (CW_IS_OVERVIEW_VIEW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  path = g_file_get_path (file);
  if (self->overview == NULL || path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Nothing to export yet"));
      return FALSE;
    }
  return cw_chart_write (self->overview,
                         pango_context_get_font_description (gtk_widget_get_pango_context (GTK_WIDGET (self->area))),
                         path, error);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    CwOverviewView  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *suffix = g_object_get_data (G_OBJECT (chooser), "suffix");
      g_autofree char *path = chosen != NULL ? g_file_get_path (chosen) : NULL;

      if (path != NULL)
        {
          g_autofree char *lower = g_ascii_strdown (path, -1);
          g_autofree char *with_suffix = g_strconcat (path, suffix, NULL);
          g_autoptr(GFile) file = g_str_has_suffix (lower, suffix) ? g_object_ref (chosen)
                                                                   : g_file_new_for_path (with_suffix);
          g_autoptr(GError) error = NULL;

          if (_cw_overview_view_export_to (self, file, &error))
            {
              g_autofree char *name = g_file_get_basename (file);
              /* Translators: the name of the file written. */
              g_autofree char *message = g_strdup_printf (_("Exported to “%s”"), name);

              show_message (self, message);
            }
          else
            show_message (self, error->message);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static char *
default_name (const CwOverview *overview,
              const char       *extension)
{
  char *name;

  switch (overview->type)
    {
    case CW_OVERVIEW_CODE_MAP:
      /* Translators: default file names of the exported pictures. */
      name = g_strdup_printf (_("code-map.%s"), extension);
      break;
    case CW_OVERVIEW_KINDS:
      name = g_strdup_printf (_("codes-by-kind.%s"), extension);
      break;
    case CW_OVERVIEW_VARIABLE:
      /* Translators: %s is the case variable. */
      name = g_strdup_printf (_("codes-by-%s.%s"), overview->by, extension);
      break;
    case CW_OVERVIEW_COOCCURRENCE:
    default:
      name = g_strdup_printf (_("co-occurrence.%s"), extension);
      break;
    }
  g_strdelimit (name, "/\\:", '-');
  return name;
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwOverviewView *self = CW_OVERVIEW_VIEW (widget);
  gboolean svg = g_str_equal (action_name, "overview.export-svg");
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  if (self->overview == NULL)
    return;

  chooser = gtk_file_chooser_native_new (svg ? _("Export Picture as SVG") : _("Export Picture as PNG"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, svg ? _("SVG images") : _("PNG images"));
  gtk_file_filter_add_suffix (filter, svg ? "svg" : "png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  name = default_name (self->overview, svg ? "svg" : "png");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "suffix", g_strdup (svg ? ".svg" : ".png"), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Public */

void
cw_overview_view_set_project (CwOverviewView *self,
                              CwProject      *project)
{
  g_return_if_fail (CW_IS_OVERVIEW_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  cancel_and_clear (&self->cancellable);
  update_busy (self);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  g_set_object (&self->project, project);
  if (project != NULL)
    self->changed_id = g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
  g_clear_pointer (&self->overview, cw_overview_free);
  g_clear_handle_id (&self->reload_id, g_source_remove);

  load_choices (self);
  schedule_compute (self);
  update_size (self);
  update_status (self);
}

CwOverviewView *
cw_overview_view_new (void)
{
  return g_object_new (CW_TYPE_OVERVIEW_VIEW, NULL);
}

/* For the tests */

const CwOverview *
_cw_overview_view_get_overview (CwOverviewView *self)
{
  return self->overview;
}

void
_cw_overview_view_set_picture (CwOverviewView *self,
                               CwOverviewType  type)
{
  if (gtk_drop_down_get_selected (self->picture_dropdown) == (guint) type)
    schedule_compute (self);
  else
    gtk_drop_down_set_selected (self->picture_dropdown, type);
}

gboolean
_cw_overview_view_select_variable (CwOverviewView *self,
                                   const char     *name)
{
  for (guint i = 0; self->variables != NULL && i < self->variables->len; i++)
    {
      const CwVariable *variable = g_ptr_array_index (self->variables, i);

      if (g_strcmp0 (variable->name, name) == 0)
        {
          if (gtk_drop_down_get_selected (self->variable_dropdown) == i)
            schedule_compute (self);
          else
            gtk_drop_down_set_selected (self->variable_dropdown, i);
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
_cw_overview_view_select_coder (CwOverviewView *self,
                                const char     *name)
{
  guint index = 0;

  if (name != NULL)
    {
      for (index = 0; self->coders != NULL && self->coders[index] != NULL; index++)
        if (g_strcmp0 (self->coders[index], name) == 0)
          break;
      if (self->coders == NULL || self->coders[index] == NULL)
        return FALSE;
      index++;
    }
  if (gtk_drop_down_get_selected (self->coder_dropdown) == index)
    schedule_compute (self);
  else
    gtk_drop_down_set_selected (self->coder_dropdown, index);
  return TRUE;
}

gboolean
_cw_overview_view_is_busy (CwOverviewView *self)
{
  return self->cancellable != NULL || self->reload_id != 0;
}

GtkWidget *
_cw_overview_view_get_drawing_area (CwOverviewView *self)
{
  return GTK_WIDGET (self->area);
}

gboolean
_cw_overview_view_cell_center (CwOverviewView *self,
                               guint           row,
                               guint           column,
                               double         *x,
                               double         *y)
{
  return self->chart != NULL && cw_chart_cell_center (self->chart, row, column, x, y);
}

char *
_cw_overview_view_tooltip_at (CwOverviewView *self,
                              double          x,
                              double          y)
{
  return tooltip_at (self, x, y);
}

gboolean
_cw_overview_view_click_at (CwOverviewView *self,
                            double          x,
                            double          y)
{
  return click_at (self, x, y);
}

const char *
_cw_overview_view_get_last_message (CwOverviewView *self)
{
  return self->last_message;
}

/* GObject */

static void
cw_overview_view_map (GtkWidget *widget)
{
  CwOverviewView *self = CW_OVERVIEW_VIEW (widget);

  GTK_WIDGET_CLASS (cw_overview_view_parent_class)->map (widget);
  if (self->stale)
    compute (self);
}

static void
dark_changed_cb (CwOverviewView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
cw_overview_view_dispose (GObject *object)
{
  CwOverviewView *self = CW_OVERVIEW_VIEW (object);
  GtkWidget *child;

  cancel_and_clear (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->project != NULL)
    g_clear_signal_handler (&self->changed_id, self->project);
  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), dark_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_OVERVIEW_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->project);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_clear_pointer (&self->coders, g_strfreev);
  g_clear_pointer (&self->chart, cw_chart_free);
  g_clear_pointer (&self->overview, cw_overview_free);

  G_OBJECT_CLASS (cw_overview_view_parent_class)->dispose (object);
}

static void
cw_overview_view_finalize (GObject *object)
{
  CwOverviewView *self = CW_OVERVIEW_VIEW (object);

  g_free (self->last_message);

  G_OBJECT_CLASS (cw_overview_view_parent_class)->finalize (object);
}

static void
cw_overview_view_class_init (CwOverviewViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_overview_view_dispose;
  object_class->finalize = cw_overview_view_finalize;
  widget_class->map = cw_overview_view_map;

  /**
   * CwOverviewView::message:
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
  /**
   * CwOverviewView::cell-activated:
   * @document_id: the cell's document, 0 for any
   * @code_id: the cell's code
   * @other_code_id: a co-occurrence cell's second code, else 0
   *
   * The user clicked a cell to read the segments behind it.
   */
  signals[CELL_ACTIVATED] =
    g_signal_new ("cell-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-overview-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, main_box);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, picture_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, variable_box);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, variable_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, coder_box);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, coder_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, stack);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, area);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwOverviewView, status_label);
  gtk_widget_class_bind_template_callback (widget_class, picture_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_tooltip_cb);

  gtk_widget_class_install_action (widget_class, "overview.export-png", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "overview.export-svg", NULL, export_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "cw-overview-view");
}

static void
cw_overview_view_init (CwOverviewView *self)
{
  GtkGesture *click;
  GtkEventController *motion;

  /* The template's notify handlers fire while it is built: hold them. */
  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = FALSE;

  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), GTK_EVENT_CONTROLLER (click));
  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->area), motion);
  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (dark_changed_cb), self);

  update_choices (self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_status (self);
}
