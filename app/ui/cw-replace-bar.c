/* cw-replace-bar.c: find and replace (Ctrl+H).
 *
 * "Replace" works on the document shown, one match at a time, through the
 * transcript view (so it joins an edit burst in edit mode). "Replace All"
 * runs cw_project_replace_all in a worker on its own connection, in this
 * document or in all of them: one transaction and one undo step; the
 * project's ::changed is emitted afterwards so every view reads it again.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-edit.h"
#include "cw-replace-bar-private.h"
#include "cw-transcript-view-private.h"

struct _CwReplaceBar
{
  GtkWidget         parent_instance;

  /* template */
  GtkSearchBar     *search_bar;
  GtkSearchEntry   *find_entry;
  GtkEntry         *replace_entry;
  GtkCheckButton   *case_check;
  GtkCheckButton   *word_check;
  GtkToggleButton  *document_toggle;
  GtkToggleButton  *all_toggle;
  GtkButton        *replace_button;
  GtkButton        *replace_all_button;
  GtkStack         *all_stack;
  GtkSpinner       *spinner;
  GtkLabel         *status_label;

  /* borrowed */
  CwTranscriptView *view;

  /* owned */
  CwProject        *project;
  GCancellable     *cancellable; /* the Replace All running */
};

enum {
  MESSAGE,
  UNDOABLE_MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwReplaceBar, cw_replace_bar, GTK_TYPE_WIDGET)

static const char *
find_text (CwReplaceBar *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->find_entry));
}

static CwReplaceFlags
flags (CwReplaceBar *self)
{
  CwReplaceFlags result = 0;

  if (gtk_check_button_get_active (self->case_check))
    result |= CW_REPLACE_MATCH_CASE;
  if (gtk_check_button_get_active (self->word_check))
    result |= CW_REPLACE_WHOLE_WORD;
  return result;
}

static gboolean
all_documents (CwReplaceBar *self)
{
  return gtk_toggle_button_get_active (self->all_toggle);
}

static gboolean
has_document (CwReplaceBar *self)
{
  return self->view != NULL && cw_transcript_view_get_document_id (self->view) != 0;
}

/* The matches in the document shown, as replace-all finds them. */
static GArray *
find_matches (CwReplaceBar *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  return cw_edit_find_all (text, find_text (self), flags (self));
}

/* The first match starting at or after from (with wrap, from the start). */
static gboolean
next_match (CwReplaceBar *self,
            gint64        from,
            gboolean      wrap,
            gint64       *match_start,
            gint64       *match_end)
{
  g_autoptr(GArray) matches = NULL;

  if (find_text (self)[0] == '\0' || !has_document (self))
    return FALSE;
  matches = find_matches (self);
  for (guint i = 0; i + 1 < matches->len; i += 2)
    if (g_array_index (matches, gint64, i) >= from)
      {
        *match_start = g_array_index (matches, gint64, i);
        *match_end = g_array_index (matches, gint64, i + 1);
        return TRUE;
      }
  if (wrap && matches->len >= 2)
    {
      *match_start = g_array_index (matches, gint64, 0);
      *match_end = g_array_index (matches, gint64, 1);
      return TRUE;
    }
  return FALSE;
}

static guint
count_matches (CwReplaceBar *self)
{
  g_autoptr(GArray) matches = find_matches (self);

  return matches->len / 2;
}

static void
update_status (CwReplaceBar *self)
{
  g_autofree char *text = NULL;
  gboolean busy = self->cancellable != NULL;
  gboolean has_find = find_text (self)[0] != '\0';

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  if (!has_find || !has_document (self))
    text = g_strdup ("");
  else
    {
      guint n = count_matches (self);

      if (n == 0)
        {
          text = g_strdup (_("Not in this document"));
          if (!all_documents (self))
            gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
        }
      else
        /* Translators: how often the text to find occurs in the document shown. */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in this document",
                                             "%u in this document", n),
                                n);
    }
  gtk_label_set_text (self->status_label, text);

  gtk_widget_set_sensitive (GTK_WIDGET (self->replace_button), has_find && has_document (self) && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->replace_all_button),
                            has_find && self->project != NULL && (all_documents (self) || has_document (self)));
}

static void
find_changed_cb (CwReplaceBar *self)
{
  update_status (self);
}

static void
options_changed_cb (CwReplaceBar *self)
{
  update_status (self);
}

static void
stop_search_cb (CwReplaceBar *self)
{
  cw_replace_bar_close (self);
}

static void
search_mode_cb (CwReplaceBar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar) && self->view != NULL &&
      gtk_widget_get_mapped (GTK_WIDGET (self->view)))
    gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

/* Selects the next match after the selection; FALSE when there is none. */
static gboolean
select_next (CwReplaceBar *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  GtkTextIter sel_start, sel_end;
  gint64 start, end;

  gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end);
  if (!next_match (self, gtk_text_iter_get_offset (&sel_end), TRUE, &start, &end))
    return FALSE;
  cw_transcript_view_select_range (self->view, start, end);
  return TRUE;
}

static void
find_activate_cb (CwReplaceBar *self)
{
  if (has_document (self) && !select_next (self))
    gtk_widget_error_bell (GTK_WIDGET (self));
}

void
_cw_replace_bar_replace (CwReplaceBar *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter sel_start, sel_end;
  gint64 start, end;

  if (!has_document (self) || find_text (self)[0] == '\0' || self->cancellable != NULL)
    return;

  /* The selected text, when it is a match, is replaced; then on to the next. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end);
  if (next_match (self, gtk_text_iter_get_offset (&sel_start), FALSE, &start, &end) &&
      start == gtk_text_iter_get_offset (&sel_start) && end == gtk_text_iter_get_offset (&sel_end))
    {
      const char *replacement = gtk_editable_get_text (GTK_EDITABLE (self->replace_entry));

      if (!cw_transcript_view_replace_range (self->view, start, end, replacement))
        return;
      /* After the new text, so that a replacement containing the find
       * text is not found again. */
      start += g_utf8_strlen (replacement, -1);
      cw_transcript_view_select_range (self->view, start, start);
    }

  if (!select_next (self))
    gtk_widget_error_bell (GTK_WIDGET (self));
  update_status (self);
}

static void
replace_clicked_cb (CwReplaceBar *self)
{
  _cw_replace_bar_replace (self);
}

static void
replace_activate_cb (CwReplaceBar *self)
{
  _cw_replace_bar_replace (self);
}

/* Replace All, in a worker */

typedef struct
{
  char           *path;
  gint64          document_id;
  char           *find;
  char           *replacement;
  CwReplaceFlags  flags;
} ReplaceJob;

static void
replace_job_free (ReplaceJob *job)
{
  g_free (job->path);
  g_free (job->find);
  g_free (job->replacement);
  g_free (job);
}

static void
replace_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReplaceJob *job = task_data;
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GError) error = NULL;
  CwReplaceResult *result = NULL;

  /* A connection of its own: the window's is for the main thread. */
  project = cw_project_open (job->path, &error);
  if (project == NULL ||
      !cw_project_replace_all (project, job->document_id, job->find, job->replacement, job->flags,
                               &result, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) cw_replace_result_free);
}

static void
set_busy (CwReplaceBar *self,
          gboolean      busy)
{
  gtk_stack_set_visible_child_name (self->all_stack, busy ? "busy" : "button");
  gtk_spinner_set_spinning (self->spinner, busy);
  update_status (self);
}

static void
replaced_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CwReplaceBar) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwReplaceResult) replaced = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *message = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  if (cancellable != self->cancellable)
    return; /* the bar moved on to another project */
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (replaced == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[MESSAGE], 0, _("Replace cancelled: nothing was changed"));
      else
        g_signal_emit (self, signals[MESSAGE], 0, error->message);
      return;
    }

  if (replaced->n_replaced == 0)
    {
      g_signal_emit (self, signals[MESSAGE], 0,
                     all_documents (self) ? _("Not found in any document") : _("Not found in this document"));
      return;
    }

  /* Done on another connection: tell everything showing the project. */
  g_signal_emit_by_name (self->project, "document-text-changed", (gint64) 0);
  g_signal_emit_by_name (self->project, "changed");

  if (replaced->documents->len <= 1)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "Replaced %u time",
                                            "Replaced %u times",
                                            replaced->n_replaced),
                               replaced->n_replaced);
  else
    {
      g_autofree char *documents = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%u document",
                                                                 "%u documents",
                                                                 replaced->documents->len),
                                                    replaced->documents->len);

      /* Translators: the second %s is "3 documents". */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Replaced %u time in %s",
                                              "Replaced %u times in %s",
                                              replaced->n_replaced),
                                 replaced->n_replaced, documents);
    }
  if (replaced->removed->len > 0)
    {
      g_autofree char *removed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u coding removed with its text",
                                                               "%u codings removed with their text",
                                                               replaced->removed->len),
                                                  replaced->removed->len);
      g_autofree char *both = g_strconcat (message, "; ", removed, NULL);

      g_free (message);
      message = g_steal_pointer (&both);
    }
  g_signal_emit (self, signals[UNDOABLE_MESSAGE], 0, message);
}

void
_cw_replace_bar_replace_all (CwReplaceBar *self)
{
  g_autoptr(GTask) task = NULL;
  ReplaceJob *job;

  if (self->project == NULL || find_text (self)[0] == '\0' || self->cancellable != NULL)
    return;
  if (!all_documents (self) && !has_document (self))
    return;

  /* The typing so far is its own step, before this one. */
  if (self->view != NULL)
    cw_transcript_view_end_edit_burst (self->view);

  job = g_new0 (ReplaceJob, 1);
  job->path = g_strdup (cw_project_get_path (self->project));
  job->document_id = all_documents (self) ? 0 : cw_transcript_view_get_document_id (self->view);
  job->find = g_strdup (find_text (self));
  job->replacement = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->replace_entry)));
  job->flags = flags (self);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, replaced_cb, g_object_ref (self));
  g_task_set_source_tag (task, _cw_replace_bar_replace_all);
  g_task_set_task_data (task, job, (GDestroyNotify) replace_job_free);
  g_task_run_in_thread (task, replace_thread);
  set_busy (self, TRUE);
}

static void
replace_all_clicked_cb (CwReplaceBar *self)
{
  _cw_replace_bar_replace_all (self);
}

static void
cancel_clicked_cb (CwReplaceBar *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Public */

void
cw_replace_bar_set_project (CwReplaceBar *self,
                            CwProject    *project)
{
  g_return_if_fail (CW_IS_REPLACE_BAR (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
    }
  g_set_object (&self->project, project);
  cw_replace_bar_close (self);
}

static void
view_changed_cb (CwReplaceBar *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    update_status (self);
}

void
cw_replace_bar_set_view (CwReplaceBar     *self,
                         CwTranscriptView *view)
{
  g_return_if_fail (CW_IS_REPLACE_BAR (self));
  g_return_if_fail (view == NULL || CW_IS_TRANSCRIPT_VIEW (view));

  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
    }
  self->view = view;
  if (view != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
      /* A new document or a changed text: count again. */
      g_signal_connect_swapped (view, "notify::buffer", G_CALLBACK (view_changed_cb), self);
    }
}

void
cw_replace_bar_open (CwReplaceBar *self,
                     const char   *find)
{
  g_return_if_fail (CW_IS_REPLACE_BAR (self));

  if (find != NULL && find[0] != '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->find_entry), find);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->find_entry), 0, -1);
  update_status (self);
}

void
cw_replace_bar_close (CwReplaceBar *self)
{
  g_return_if_fail (CW_IS_REPLACE_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

gboolean
cw_replace_bar_get_open (CwReplaceBar *self)
{
  g_return_val_if_fail (CW_IS_REPLACE_BAR (self), FALSE);

  return gtk_search_bar_get_search_mode (self->search_bar);
}

/* For the tests */

GtkEditable *
_cw_replace_bar_get_find_entry (CwReplaceBar *self)
{
  return GTK_EDITABLE (self->find_entry);
}

GtkEditable *
_cw_replace_bar_get_replace_entry (CwReplaceBar *self)
{
  return GTK_EDITABLE (self->replace_entry);
}

GtkCheckButton *
_cw_replace_bar_get_case_check (CwReplaceBar *self)
{
  return self->case_check;
}

GtkCheckButton *
_cw_replace_bar_get_word_check (CwReplaceBar *self)
{
  return self->word_check;
}

GtkToggleButton *
_cw_replace_bar_get_all_toggle (CwReplaceBar *self)
{
  return self->all_toggle;
}

GtkLabel *
_cw_replace_bar_get_status (CwReplaceBar *self)
{
  return self->status_label;
}

gboolean
_cw_replace_bar_is_busy (CwReplaceBar *self)
{
  return self->cancellable != NULL;
}

static void
cw_replace_bar_dispose (GObject *object)
{
  CwReplaceBar *self = CW_REPLACE_BAR (object);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  cw_replace_bar_set_view (self, NULL);
  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_REPLACE_BAR);

  G_OBJECT_CLASS (cw_replace_bar_parent_class)->dispose (object);
}

static void
cw_replace_bar_class_init (CwReplaceBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_replace_bar_dispose;

  /**
   * CwReplaceBar::message:
   * @message: for a toast (nothing found, an error)
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CwReplaceBar::undoable-message:
   * @message: what Replace All did, for a toast with Undo
   */
  signals[UNDOABLE_MESSAGE] =
    g_signal_new ("undoable-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-replace-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, find_entry);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, replace_entry);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, case_check);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, word_check);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, document_toggle);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, all_toggle);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, replace_button);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, replace_all_button);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, all_stack);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwReplaceBar, status_label);
  gtk_widget_class_bind_template_callback (widget_class, find_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, find_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_cb);
  gtk_widget_class_bind_template_callback (widget_class, options_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, replace_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, replace_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, replace_all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cw_replace_bar_init (CwReplaceBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->find_entry));
  update_status (self);
}

GtkWidget *
cw_replace_bar_new (void)
{
  return g_object_new (CW_TYPE_REPLACE_BAR, NULL);
}
