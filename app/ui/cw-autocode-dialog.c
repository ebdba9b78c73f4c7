/* cw-autocode-dialog.c: autocoding from the window.
 *
 * The form reads the codebook and the speakers once, when the dialog
 * opens. A search query is counted as it is typed (a short pause, then
 * cw_project_search_async; a newer query cancels the older search), so the
 * user sees what Autocode will find before anything is written.
 *
 * Autocode runs in a worker thread with its own CwProject on the same file:
 * the core edit is one transaction and one undo step, and the history lives
 * in the file, so the window's undo takes it back. Cancel (or closing the
 * dialog) cancels the worker, which rolls the step back.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-autocode-dialog-private.h"
#include "cw-code-item.h"
#include "cw-codebook.h"
#include "cw-retrieval.h"
#include "cw-window.h"

/* The pause in typing before the preview searches. */
#define PREVIEW_DELAY_MS 200

typedef enum
{
  PREVIEW_NONE,    /* no query */
  PREVIEW_PENDING, /* waiting for the pause or the search */
  PREVIEW_DONE,
  PREVIEW_FAILED,  /* a query the search cannot take */
} PreviewState;

enum
{
  DOCUMENTS_THIS,
  DOCUMENTS_ALL,
};

struct _CwAutocodeDialog
{
  AdwWindow        parent_instance;

  /* template */
  GtkButton       *cancel_button;
  GtkButton       *autocode_button;
  GtkStack        *stack;
  GtkToggleButton *speaker_toggle;
  GtkToggleButton *search_toggle;
  GtkStack        *mode_stack;
  GtkDropDown     *speaker_dropdown;
  AdwEntryRow     *query_row;
  AdwComboRow     *extent_row;
  AdwComboRow     *documents_row;
  GtkDropDown     *code_dropdown;
  GtkLabel        *status_label;
  GtkLabel        *coder_label;
  AdwStatusPage   *running_page;
  GtkSpinner      *spinner;

  /* owned */
  CwProject       *project;
  GSettings       *settings;
  GListStore      *codes;      /* CwCodeItem, codable codes in tree order */
  GtkStringList   *speakers;   /* distinct names, sorted */
  GPtrArray       *documents;  /* CwDocumentInfo */
  GCancellable    *preview_cancellable;
  GCancellable    *run_cancellable;
  char            *category;   /* a category asked for as the code: why none is chosen */
  char            *run_error;  /* why the last run added nothing */
  char            *load_error;
  gint64           document_id;
  guint            preview_timeout;
  PreviewState     preview_state;
  guint            preview_hits;
  guint            preview_documents;
  char            *preview_error;
};

enum
{
  AUTOCODED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwAutocodeDialog, cw_autocode_dialog, ADW_TYPE_WINDOW)

static void update_state     (CwAutocodeDialog *self);
static void schedule_preview (CwAutocodeDialog *self);

static void
cancel_and_clear (GCancellable **cancellable)
{
  if (*cancellable != NULL)
    {
      g_cancellable_cancel (*cancellable);
      g_clear_object (cancellable);
    }
}

/* The same name in another case or composition is the same speaker, as
 * the core matches them. */
static char *
fold_speaker (const char *name)
{
  g_autofree char *normal = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

  return normal != NULL ? g_utf8_casefold (normal, -1) : g_strdup ("");
}

/* Reading the form */

static gboolean
by_speaker (CwAutocodeDialog *self)
{
  return gtk_toggle_button_get_active (self->speaker_toggle);
}

static gboolean
all_documents (CwAutocodeDialog *self)
{
  return self->document_id == 0 || adw_combo_row_get_selected (self->documents_row) == DOCUMENTS_ALL;
}

static gint64
scope_document (CwAutocodeDialog *self)
{
  return all_documents (self) ? 0 : self->document_id;
}

static const CwCode *
chosen_code (CwAutocodeDialog *self)
{
  CwCodeItem *item = gtk_drop_down_get_selected_item (self->code_dropdown);

  return item != NULL ? cw_code_item_get_code (item) : NULL;
}

static const char *
chosen_speaker (CwAutocodeDialog *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->speaker_dropdown);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

/* The query with surrounding space taken off; NULL when there is none. */
static char *
dup_query (CwAutocodeDialog *self)
{
  g_autofree char *query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->query_row))));

  return query[0] != '\0' ? g_steal_pointer (&query) : NULL;
}

static CwAutocodeScope
extent (CwAutocodeDialog *self)
{
  switch (adw_combo_row_get_selected (self->extent_row))
    {
    case 1: return CW_AUTOCODE_SENTENCE;
    case 2: return CW_AUTOCODE_TURN;
    default: return CW_AUTOCODE_HIT;
    }
}

static const CwDocumentInfo *
shown_document (CwAutocodeDialog *self)
{
  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (self->documents, i);

      if (info->id == self->document_id)
        return info;
    }
  return NULL;
}

/* The documents in scope where the speaker has a turn. */
static guint
count_speaker_documents (CwAutocodeDialog *self,
                         const char       *speaker)
{
  g_autofree char *folded = fold_speaker (speaker);
  gint64 only = scope_document (self);
  guint n = 0;

  for (guint i = 0; self->documents != NULL && i < self->documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (self->documents, i);

      if (only != 0 && info->id != only)
        continue;
      for (guint j = 0; info->speakers != NULL && info->speakers[j] != NULL; j++)
        {
          g_autofree char *other = fold_speaker (info->speakers[j]);

          if (g_strcmp0 (folded, other) == 0)
            {
              n++;
              break;
            }
        }
    }
  return n;
}

/* The form's state: what the status line says, and whether Autocode can
 * run. Everything that blocks it is said there. */

static char *
speaker_status (CwAutocodeDialog *self,
                gboolean         *ok,
                gboolean         *problem)
{
  const char *speaker = chosen_speaker (self);
  guint n;

  *ok = FALSE;
  *problem = FALSE;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->speakers)) == 0)
    {
      *problem = TRUE;
      return g_strdup (_("No document in this project has speakers."));
    }
  if (speaker == NULL)
    return g_strdup (_("Choose a speaker."));

  n = count_speaker_documents (self, speaker);
  if (!all_documents (self))
    {
      if (n == 0)
        {
          *problem = TRUE;
          /* Translators: a speaker's name. */
          return g_strdup_printf (_("“%s” does not speak in this document."), speaker);
        }
      *ok = TRUE;
      /* Translators: a speaker's name. */
      return g_strdup_printf (_("Every turn of “%s” in this document."), speaker);
    }

  *ok = n > 0;
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: a speaker's name, then a number of documents. */
                                       "Every turn of “%s”, in %u document.",
                                       "Every turn of “%s”, in %u documents.", n),
                          speaker, n);
}

static char *
search_status (CwAutocodeDialog *self,
               gboolean         *ok,
               gboolean         *problem)
{
  *ok = FALSE;
  *problem = FALSE;

  switch (self->preview_state)
    {
    case PREVIEW_NONE:
      return g_strdup (_("Type what to search for: words, a “phrase”, a prefix*, OR, NOT."));
    case PREVIEW_PENDING:
      /* The worker searches again anyway: no need to wait for the count. */
      *ok = TRUE;
      return g_strdup (_("Searching…"));
    case PREVIEW_FAILED:
      *problem = TRUE;
      /* Translators: why the search cannot be done, from the search itself. */
      return g_strdup_printf (_("Invalid search: %s"), self->preview_error);
    case PREVIEW_DONE:
    default:
      break;
    }

  if (self->preview_hits == 0)
    {
      *problem = TRUE;
      return g_strdup (all_documents (self) ? _("No hits in any document.") : _("No hits in this document."));
    }
  *ok = TRUE;
  if (!all_documents (self))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hit in this document",
                                         "%u hits in this document", self->preview_hits),
                            self->preview_hits);
  if (self->preview_documents == 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hit in 1 document",
                                         "%u hits in 1 document", self->preview_hits),
                            self->preview_hits);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hit in %u documents",
                                       "%u hits in %u documents", self->preview_hits),
                          self->preview_hits, self->preview_documents);
}

static char *
code_status (CwAutocodeDialog *self)
{
  if (self->category != NULL)
    /* Translators: a category's name; a category groups codes and cannot be applied itself. */
    return g_strdup_printf (_("“%s” is a category: choose one of its codes."), self->category);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->codes)) == 0)
    return g_strdup (_("The codebook has no code to apply: add one first."));
  return g_strdup (_("Choose a code."));
}

static void
update_state (CwAutocodeDialog *self)
{
  g_autofree char *status = NULL;
  gboolean running = self->run_cancellable != NULL;
  gboolean ok = FALSE, problem = FALSE;

  /* Also while the template is built, and after dispose. */
  if (self->project == NULL)
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "autocode.run", FALSE);
  if (running)
    return;

  if (self->load_error != NULL)
    {
      status = g_strdup (self->load_error);
      problem = TRUE;
    }
  else if (self->run_error != NULL)
    {
      /* Stays until the form changes. */
      status = g_strdup (self->run_error);
      problem = TRUE;
      ok = TRUE;
    }
  else
    {
      status = by_speaker (self) ? speaker_status (self, &ok, &problem)
                                 : search_status (self, &ok, &problem);
      if (chosen_code (self) == NULL && !problem)
        {
          g_autofree char *what = code_status (self);
          char *both = g_strconcat (status, "\n", what, NULL);

          g_free (status);
          status = both;
          problem = self->category != NULL;
        }
    }

  ok = ok && chosen_code (self) != NULL && self->load_error == NULL;
  gtk_label_set_text (self->status_label, status);
  if (problem)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "autocode.run", ok);
}

/* A change of the form drops the last run's complaint. */
static void
input_changed_cb (CwAutocodeDialog *self)
{
  g_clear_pointer (&self->run_error, g_free);
  update_state (self);
}

static void
code_changed_cb (CwAutocodeDialog *self)
{
  if (chosen_code (self) != NULL)
    g_clear_pointer (&self->category, g_free);
  input_changed_cb (self);
}

static void
mode_toggled_cb (CwAutocodeDialog *self)
{
  gboolean speaker = by_speaker (self);

  gtk_stack_set_visible_child_name (self->mode_stack, speaker ? "speaker" : "search");
  if (speaker)
    {
      g_clear_handle_id (&self->preview_timeout, g_source_remove);
      cancel_and_clear (&self->preview_cancellable);
    }
  else
    schedule_preview (self);
  input_changed_cb (self);
}

static void
documents_changed_cb (CwAutocodeDialog *self)
{
  const CwDocumentInfo *info = shown_document (self);

  /* Which document "this" is. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->documents_row),
                               !all_documents (self) && info != NULL ? info->name : "");
  if (!by_speaker (self))
    schedule_preview (self);
  input_changed_cb (self);
}

/* The preview: how many hits the query has */

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CwAutocodeDialog) self = user_data;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) documents = NULL;

  hits = cw_project_search_finish (CW_PROJECT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->project == NULL)
    return;

  g_clear_object (&self->preview_cancellable);
  g_clear_pointer (&self->preview_error, g_free);
  if (hits == NULL)
    {
      self->preview_state = PREVIEW_FAILED;
      self->preview_error = g_strdup (error->message);
      update_state (self);
      return;
    }

  documents = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < hits->len; i++)
    {
      CwSearchHit *hit = g_ptr_array_index (hits, i);

      g_hash_table_add (documents, &hit->document_id);
    }
  self->preview_state = PREVIEW_DONE;
  self->preview_hits = hits->len;
  self->preview_documents = g_hash_table_size (documents);
  update_state (self);
}

static gboolean
preview_timeout_cb (gpointer data)
{
  CwAutocodeDialog *self = data;
  g_autofree char *query = dup_query (self);

  self->preview_timeout = 0;
  if (query == NULL)
    return G_SOURCE_REMOVE;

  self->preview_cancellable = g_cancellable_new ();
  cw_project_search_async (self->project, query, scope_document (self), 0,
                           self->preview_cancellable, preview_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (CwAutocodeDialog *self)
{
  g_autofree char *query = dup_query (self);

  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  cancel_and_clear (&self->preview_cancellable);
  if (query == NULL || self->project == NULL)
    {
      self->preview_state = PREVIEW_NONE;
      return;
    }

  self->preview_state = PREVIEW_PENDING;
  self->preview_timeout = g_timeout_add (PREVIEW_DELAY_MS, preview_timeout_cb, self);
}

static void
query_changed_cb (CwAutocodeDialog *self)
{
  schedule_preview (self);
  input_changed_cb (self);
}

/* Running */

typedef struct
{
  char            *path;
  gboolean         by_speaker;
  char            *speaker;
  char            *query;
  CwAutocodeScope  scope;
  gint64           document_id;
  gint64           code_id;
  char            *code_name;
  char            *coder;
} Job;

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->speaker);
  g_free (job->query);
  g_free (job->code_name);
  g_free (job->coder);
  g_free (job);
}

/* In the worker: its own connection, one step, rolled back if cancelled. */
static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GError) error = NULL;
  gint64 added;

  project = cw_project_open (job->path, &error);
  if (project == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->by_speaker)
    added = cw_project_autocode_speaker (project, job->speaker, job->document_id, job->code_id,
                                         job->coder, cancellable, &error);
  else
    added = cw_project_autocode_search (project, job->query, job->scope, job->document_id,
                                        job->code_id, job->coder, cancellable, &error);
  if (added < 0)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, (gssize) added);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  CwAutocodeDialog *self = CW_AUTOCODE_DIALOG (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize added;

  added = g_task_propagate_int (G_TASK (result), &error);
  g_clear_object (&self->run_cancellable);
  gtk_spinner_stop (self->spinner);

  /* Closed with its window while the worker ran: it was cancelled, and
   * there is no one left to tell. */
  if (self->project == NULL)
    return;

  if (added > 0)
    {
      g_signal_emit (self, signals[AUTOCODED], 0, (gint64) added, job->code_name);
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      if (CW_IS_WINDOW (parent))
        cw_window_show_toast (CW_WINDOW (parent), _("Autocoding cancelled: nothing was coded"));
      gtk_window_close (GTK_WINDOW (self));
      return;
    }

  /* Nothing new, or a failure: back to the form, saying why. */
  g_free (self->run_error);
  if (error != NULL)
    self->run_error = g_strdup (error->message);
  else
    /* Translators: a code's name. */
    self->run_error = g_strdup_printf (_("Nothing was added: all of it is coded with “%s” already."),
                                       job->code_name);
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_state (self);
}

static char *
dup_coder (CwAutocodeDialog *self)
{
  g_autofree char *coder = g_strstrip (g_settings_get_string (self->settings, "coder"));

  if (coder[0] == '\0')
    {
      g_autoptr(GVariant) fallback = g_settings_get_default_value (self->settings, "coder");

      return g_variant_dup_string (fallback, NULL);
    }
  return g_steal_pointer (&coder);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CwAutocodeDialog *self = CW_AUTOCODE_DIALOG (widget);
  const CwCode *code = chosen_code (self);
  g_autoptr(GTask) task = NULL;
  g_autofree char *description = NULL;
  Job *job;

  if (code == NULL || self->run_cancellable != NULL || self->project == NULL)
    return;
  if (by_speaker (self) ? chosen_speaker (self) == NULL : gtk_editable_get_text (GTK_EDITABLE (self->query_row))[0] == '\0')
    return;

  job = g_new0 (Job, 1);
  job->path = g_strdup (cw_project_get_path (self->project));
  job->by_speaker = by_speaker (self);
  job->speaker = g_strdup (chosen_speaker (self));
  job->query = dup_query (self);
  job->scope = extent (self);
  job->document_id = scope_document (self);
  job->code_id = code->id;
  job->code_name = g_strdup (code->name);
  job->coder = dup_coder (self);

  if (job->by_speaker)
    /* Translators: a speaker's name, then a code's name. */
    description = g_strdup_printf (_("Coding every turn of “%s” with “%s”"), job->speaker, job->code_name);
  else if (job->query != NULL)
    /* Translators: what is searched for, then a code's name. */
    description = g_strdup_printf (_("Coding what “%s” finds with “%s”"), job->query, job->code_name);
  else
    {
      job_free (job);
      return;
    }

  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  cancel_and_clear (&self->preview_cancellable);
  g_clear_pointer (&self->run_error, g_free);
  self->run_cancellable = g_cancellable_new ();
  adw_status_page_set_description (self->running_page, description);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "running");
  update_state (self);

  task = g_task_new (self, self->run_cancellable, run_cb, NULL);
  g_task_set_source_tag (task, run_action);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* A step that committed just before Cancel is reported as done, so the
   * window refreshes and undo can take it back. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

static void
query_activated_cb (CwAutocodeDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "autocode.run", NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwAutocodeDialog *self = CW_AUTOCODE_DIALOG (widget);

  /* run_cb closes the dialog once the worker has rolled back. */
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static gboolean
cw_autocode_dialog_close_request (GtkWindow *window)
{
  CwAutocodeDialog *self = CW_AUTOCODE_DIALOG (window);

  /* Not while the worker writes: cancel it, and run_cb closes. */
  if (self->run_cancellable != NULL)
    {
      g_cancellable_cancel (self->run_cancellable);
      return TRUE;
    }
  return FALSE;
}

/* The lists */

static void
setup_code (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  gboolean in_list = GPOINTER_TO_INT (user_data);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = cw_code_swatch_new ();
  GtkWidget *name = gtk_label_new (NULL);

  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  /* The popup is as wide as its rows' smallest width: only the chosen
   * code in the row may shrink. */
  if (!in_list)
    {
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
    }
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), name);
  if (in_list)
    {
      /* The category above: codes of the same name apart. */
      GtkWidget *parent = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (parent), 0);
      gtk_widget_set_hexpand (parent, TRUE);
      gtk_widget_set_halign (parent, GTK_ALIGN_END);
      gtk_widget_add_css_class (parent, "dim-label");
      gtk_widget_add_css_class (parent, "caption");
      gtk_box_append (GTK_BOX (box), parent);
    }
  gtk_list_item_set_child (list_item, box);
}

static void
bind_code (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  CwCodeItem *item = gtk_list_item_get_item (list_item);
  const CwCode *code = cw_code_item_get_code (item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *swatch = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_next_sibling (swatch);
  GtkWidget *parent = gtk_widget_get_next_sibling (name);

  cw_code_swatch_set_color (swatch, code->color, TRUE);
  gtk_label_set_text (GTK_LABEL (name), code->name);
  if (parent != NULL)
    {
      g_autofree char *path = code->parent_id != 0 ? g_strndup (code->path, strlen (code->path) - strlen (code->name) - 1) : NULL;

      gtk_label_set_text (GTK_LABEL (parent), path != NULL ? path : "");
      gtk_widget_set_visible (parent, path != NULL);
    }
  gtk_widget_set_tooltip_text (box, code->path);
}

/* What typing in the code list matches: the start of a code's name. */
static char *
code_search_string (CwCodeItem *item)
{
  return g_strdup (item != NULL ? cw_code_item_get_code (item)->name : "");
}

static GtkListItemFactory *
code_factory (gboolean in_list)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_code), GINT_TO_POINTER (in_list));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_code), NULL);
  return factory;
}

static int
compare_speakers (gconstpointer a,
                  gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

/* Reads the codes and speakers; a failure is said in the dialog. */
static void
load (CwAutocodeDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  codes = cw_project_list_codes (self->project, &error);
  if (codes == NULL)
    {
      self->load_error = g_strdup (error->message);
      return;
    }
  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);

      if (code->codable)
        g_ptr_array_add (items, cw_code_item_new (code));
    }
  g_list_store_splice (self->codes, 0, 0, items->pdata, items->len);

  self->documents = cw_project_list_documents (self->project, &error);
  if (self->documents == NULL)
    {
      self->load_error = g_strdup (error->message);
      return;
    }
  for (guint i = 0; i < self->documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (self->documents, i);

      for (guint j = 0; info->speakers != NULL && info->speakers[j] != NULL; j++)
        {
          char *folded = fold_speaker (info->speakers[j]);

          /* The first spelling met stands for the others. */
          if (g_hash_table_add (seen, folded))
            g_ptr_array_add (names, info->speakers[j]);
        }
    }
  g_ptr_array_sort (names, compare_speakers);
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->speakers, 0, 0, (const char * const *) names->pdata);
}

/* The speaker to offer first: the shown document's first one. */
static guint
initial_speaker (CwAutocodeDialog *self)
{
  const CwDocumentInfo *info = shown_document (self);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->speakers));
  g_autofree char *folded = NULL;

  if (n == 0)
    return GTK_INVALID_LIST_POSITION;
  if (info == NULL || info->speakers == NULL || info->speakers[0] == NULL)
    return 0;

  folded = fold_speaker (info->speakers[0]);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *other = fold_speaker (gtk_string_list_get_string (self->speakers, i));

      if (g_strcmp0 (folded, other) == 0)
        return i;
    }
  return 0;
}

/* Public */

CwAutocodeDialog *
cw_autocode_dialog_new (GtkWindow *parent,
                        CwProject *project,
                        gint64     document_id)
{
  CwAutocodeDialog *self;
  g_autofree char *coder = NULL;
  g_autofree char *coder_text = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  self = g_object_new (CW_TYPE_AUTOCODE_DIALOG, "transient-for", parent, NULL);
  self->project = g_object_ref (project);
  self->document_id = document_id;
  load (self);

  gtk_drop_down_set_model (self->code_dropdown, G_LIST_MODEL (self->codes));
  /* No code until one is chosen: coding a whole project with a code that
   * merely came first would be an unpleasant surprise. */
  gtk_drop_down_set_selected (self->code_dropdown, GTK_INVALID_LIST_POSITION);

  gtk_drop_down_set_model (self->speaker_dropdown, G_LIST_MODEL (self->speakers));
  gtk_drop_down_set_selected (self->speaker_dropdown, initial_speaker (self));

  if (shown_document (self) == NULL)
    {
      /* No document shown: there is no "this document". */
      self->document_id = 0;
      gtk_widget_set_sensitive (GTK_WIDGET (self->documents_row), FALSE);
    }
  adw_combo_row_set_selected (self->documents_row, DOCUMENTS_ALL);

  coder = dup_coder (self);
  /* Translators: the coder's name, as set under Coder Name in the main menu. */
  coder_text = g_strdup_printf (_("The codings are recorded as coded by “%s”."), coder);
  gtk_label_set_text (self->coder_label, coder_text);

  update_state (self);
  return self;
}

gboolean
cw_autocode_dialog_set_code (CwAutocodeDialog *self,
                             gint64            code_id)
{
  g_autoptr(CwCode) code = NULL;
  guint n;

  g_return_val_if_fail (CW_IS_AUTOCODE_DIALOG (self), FALSE);

  g_clear_pointer (&self->category, g_free);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->codes));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CwCodeItem) item = g_list_model_get_item (G_LIST_MODEL (self->codes), i);

      if (cw_code_item_get_id (item) == code_id)
        {
          gtk_drop_down_set_selected (self->code_dropdown, i);
          update_state (self);
          return TRUE;
        }
    }

  /* Not offered: a category, or gone. */
  code = cw_project_get_code (self->project, code_id, NULL);
  gtk_drop_down_set_selected (self->code_dropdown, GTK_INVALID_LIST_POSITION);
  if (code != NULL && !code->codable)
    self->category = g_strdup (code->name);
  update_state (self);
  return FALSE;
}

gint64
cw_autocode_dialog_get_code (CwAutocodeDialog *self)
{
  const CwCode *code;

  g_return_val_if_fail (CW_IS_AUTOCODE_DIALOG (self), 0);

  code = chosen_code (self);
  return code != NULL ? code->id : 0;
}

void
cw_autocode_dialog_set_search_text (CwAutocodeDialog *self,
                                    const char       *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  gboolean several = FALSE;

  g_return_if_fail (CW_IS_AUTOCODE_DIALOG (self));
  g_return_if_fail (text != NULL);

  /* The selected words as they stand: quotes would end the phrase, and
   * line breaks are spaces to a search. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '"')
        {
          if (query->len > 0 && query->str[query->len - 1] != ' ')
            g_string_append_c (query, ' ');
          continue;
        }
      g_string_append_unichar (query, c);
    }
  while (query->len > 0 && query->str[query->len - 1] == ' ')
    g_string_truncate (query, query->len - 1);
  several = strchr (query->str, ' ') != NULL;
  if (several)
    {
      g_string_prepend_c (query, '"');
      g_string_append_c (query, '"');
    }

  adw_combo_row_set_selected (self->extent_row, 0);
  gtk_toggle_button_set_active (self->search_toggle, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->query_row), query->str);
}

/* GObject */

static void
cw_autocode_dialog_dispose (GObject *object)
{
  CwAutocodeDialog *self = CW_AUTOCODE_DIALOG (object);

  /* A worker still running holds a reference; its callback finds no
   * project and does nothing. */
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  g_clear_handle_id (&self->preview_timeout, g_source_remove);
  cancel_and_clear (&self->preview_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_AUTOCODE_DIALOG);

  g_clear_object (&self->project);
  g_clear_object (&self->settings);
  g_clear_object (&self->codes);
  g_clear_object (&self->speakers);
  g_clear_pointer (&self->documents, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_autocode_dialog_parent_class)->dispose (object);
}

static void
cw_autocode_dialog_finalize (GObject *object)
{
  CwAutocodeDialog *self = CW_AUTOCODE_DIALOG (object);

  g_clear_object (&self->run_cancellable);
  g_free (self->category);
  g_free (self->run_error);
  g_free (self->load_error);
  g_free (self->preview_error);

  G_OBJECT_CLASS (cw_autocode_dialog_parent_class)->finalize (object);
}

static void
cw_autocode_dialog_class_init (CwAutocodeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cw_autocode_dialog_dispose;
  object_class->finalize = cw_autocode_dialog_finalize;
  window_class->close_request = cw_autocode_dialog_close_request;

  /**
   * CwAutocodeDialog::autocoded:
   * @n_added: the codings added
   * @code_name: the code's name
   *
   * The autocoding committed; the dialog closes.
   */
  signals[AUTOCODED] =
    g_signal_new ("autocoded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-autocode-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, autocode_button);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, speaker_toggle);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, search_toggle);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, speaker_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, query_row);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, extent_row);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, documents_row);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, code_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, coder_label);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, running_page);
  gtk_widget_class_bind_template_child (widget_class, CwAutocodeDialog, spinner);

  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, input_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, documents_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, query_activated_cb);

  gtk_widget_class_install_action (widget_class, "autocode.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "autocode.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "autocode.cancel", NULL);
}

static void
flatten_dropdown (GtkDropDown *dropdown)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (dropdown));

  if (GTK_IS_BUTTON (button))
    gtk_widget_add_css_class (button, "flat");
}

static void
cw_autocode_dialog_init (CwAutocodeDialog *self)
{
  g_autoptr(GtkListItemFactory) button_factory = code_factory (FALSE);
  g_autoptr(GtkListItemFactory) list_factory = code_factory (TRUE);
  g_autoptr(GtkExpression) code_expression = NULL;
  g_autoptr(GtkExpression) speaker_expression = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  self->codes = g_list_store_new (CW_TYPE_CODE_ITEM);
  self->speakers = gtk_string_list_new (NULL);

  gtk_drop_down_set_factory (self->code_dropdown, button_factory);
  gtk_drop_down_set_list_factory (self->code_dropdown, list_factory);
  code_expression = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                 G_CALLBACK (code_search_string), NULL, NULL);
  gtk_drop_down_set_expression (self->code_dropdown, code_expression);

  speaker_expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (self->speaker_dropdown, speaker_expression);

  /* In a row the choice reads as the combo rows' values do, not as a
   * button of its own. */
  flatten_dropdown (self->code_dropdown);
  flatten_dropdown (self->speaker_dropdown);
}

/* For the tests */

GtkDropDown *
_cw_autocode_dialog_get_code_dropdown (CwAutocodeDialog *self)
{
  return self->code_dropdown;
}

GtkToggleButton *
_cw_autocode_dialog_get_speaker_toggle (CwAutocodeDialog *self)
{
  return self->speaker_toggle;
}

GtkToggleButton *
_cw_autocode_dialog_get_search_toggle (CwAutocodeDialog *self)
{
  return self->search_toggle;
}

GtkDropDown *
_cw_autocode_dialog_get_speaker_dropdown (CwAutocodeDialog *self)
{
  return self->speaker_dropdown;
}

GtkEditable *
_cw_autocode_dialog_get_query (CwAutocodeDialog *self)
{
  return GTK_EDITABLE (self->query_row);
}

AdwComboRow *
_cw_autocode_dialog_get_extent_row (CwAutocodeDialog *self)
{
  return self->extent_row;
}

AdwComboRow *
_cw_autocode_dialog_get_documents_row (CwAutocodeDialog *self)
{
  return self->documents_row;
}

GtkLabel *
_cw_autocode_dialog_get_status (CwAutocodeDialog *self)
{
  return self->status_label;
}

GtkLabel *
_cw_autocode_dialog_get_coder_label (CwAutocodeDialog *self)
{
  return self->coder_label;
}

GtkButton *
_cw_autocode_dialog_get_autocode_button (CwAutocodeDialog *self)
{
  return self->autocode_button;
}

GtkButton *
_cw_autocode_dialog_get_cancel_button (CwAutocodeDialog *self)
{
  return self->cancel_button;
}

gboolean
_cw_autocode_dialog_is_running (CwAutocodeDialog *self)
{
  return self->run_cancellable != NULL;
}

gboolean
_cw_autocode_dialog_is_previewing (CwAutocodeDialog *self)
{
  return self->preview_timeout != 0 || self->preview_cancellable != NULL;
}
