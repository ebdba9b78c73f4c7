/* cw-memo-editor.c: a small dialog to write, edit and delete the memos of
 * a document, a code or a coding.
 *
 * A target may have several memos: the dialog shows one at a time, with
 * arrows to page through them and "New Memo" for another. A memo edited
 * and then left through the arrows is saved first, so paging never loses
 * text; Cancel (or Escape) drops what was not saved. Every save or delete
 * is one step of the project's undo history.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-memo-editor.h"
#include "cw-window.h"

struct _CwMemoEditor
{
  AdwWindow       parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkEntry       *title_entry;
  GtkTextView    *text_view;
  GtkLabel       *info_label;
  GtkWidget      *nav_box;
  GtkLabel       *position_label;

  /* owned */
  CwProject      *project;
  GPtrArray      *memos;   /* CwMemo of the target, oldest first */
  CwMemoTarget    target;
  gint64          target_id;
  guint           current; /* index into memos; memos->len: a new memo */
  gboolean        loading;
};

G_DEFINE_FINAL_TYPE (CwMemoEditor, cw_memo_editor, ADW_TYPE_WINDOW)

CwProject *
cw_memo_editor_find_project (GtkWidget *widget)
{
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  return CW_IS_WINDOW (root) ? cw_window_get_project (CW_WINDOW (root)) : NULL;
}

char *
cw_memo_editor_get_coder (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *coder = g_settings_get_string (settings, "coder");
  g_autoptr(GVariant) fallback = NULL;

  g_strstrip (coder);
  if (coder[0] != '\0')
    return g_steal_pointer (&coder);
  /* A blank setting: the name the codings get too. */
  fallback = g_settings_get_default_value (settings, "coder");
  return g_variant_dup_string (fallback, NULL);
}

static const CwMemo *
current_memo (CwMemoEditor *self)
{
  return self->current < self->memos->len ? g_ptr_array_index (self->memos, self->current) : NULL;
}

static char *
buffer_text (CwMemoEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
entry_title (CwMemoEditor *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_entry))));
}

static gboolean
is_empty (CwMemoEditor *self)
{
  g_autofree char *title = entry_title (self);
  g_autofree char *text = buffer_text (self);

  return title[0] == '\0' && g_strstrip (text)[0] == '\0';
}

/* The fields differ from the memo shown (or, for a new one, are not empty). */
static gboolean
is_changed (CwMemoEditor *self)
{
  const CwMemo *memo = current_memo (self);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (memo == NULL)
    return !is_empty (self);

  title = entry_title (self);
  text = buffer_text (self);
  return g_strcmp0 (title, memo->title != NULL ? memo->title : "") != 0 ||
         g_strcmp0 (text, memo->text != NULL ? memo->text : "") != 0;
}

static guint
n_shown (CwMemoEditor *self)
{
  return self->memos->len + (self->current == self->memos->len ? 1 : 0);
}

static void
update_actions (CwMemoEditor *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "memo.save", !is_empty (self));
  gtk_widget_action_set_enabled (widget, "memo.delete", current_memo (self) != NULL);
  gtk_widget_action_set_enabled (widget, "memo.previous", self->current > 0);
  gtk_widget_action_set_enabled (widget, "memo.next", self->current + 1 < n_shown (self));
  gtk_widget_action_set_enabled (widget, "memo.new", current_memo (self) != NULL);
}

static char *
format_date (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 != NULL ? g_date_time_new_from_iso8601 (iso8601, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso8601 != NULL ? iso8601 : "");
  local = g_date_time_to_local (utc);
  /* Translators: a memo's date and time, for g_date_time_format(); write
   * them as your language does (Dutch: "%d-%m-%Y %H:%M"). */
  return g_date_time_format (local, _("%Y-%m-%d %H:%M"));
}

static void
show_current (CwMemoEditor *self)
{
  const CwMemo *memo = current_memo (self);
  g_autofree char *info = NULL;
  g_autofree char *position = NULL;

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), memo != NULL && memo->title != NULL ? memo->title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view),
                            memo != NULL && memo->text != NULL ? memo->text : "", -1);
  self->loading = FALSE;

  if (memo == NULL)
    {
      g_autofree char *coder = cw_memo_editor_get_coder ();

      /* Translators: the author of a memo not saved yet. */
      info = g_strdup_printf (_("New memo by %s"), coder);
    }
  else
    {
      g_autofree char *created = format_date (memo->created_at);
      const char *author = memo->author != NULL ? memo->author : "";

      if (memo->modified_at != NULL && g_strcmp0 (memo->modified_at, memo->created_at) != 0)
        {
          g_autofree char *modified = format_date (memo->modified_at);

          /* Translators: author, date written, date last changed. */
          info = g_strdup_printf (_("%s · %s · edited %s"), author, created, modified);
        }
      else
        {
          /* Translators: author and date written. */
          info = g_strdup_printf (_("%s · %s"), author, created);
        }
    }
  gtk_label_set_text (self->info_label, info);
  gtk_widget_remove_css_class (GTK_WIDGET (self->info_label), "error");

  /* Translators: which memo of how many, as "2 of 3". */
  position = g_strdup_printf (_("%u of %u"), self->current + 1, n_shown (self));
  gtk_label_set_text (self->position_label, position);
  gtk_widget_set_visible (self->nav_box, n_shown (self) > 1);

  update_actions (self);
}

static void
show_error (CwMemoEditor *self,
            const GError *error)
{
  gtk_label_set_text (self->info_label, error->message);
  gtk_widget_add_css_class (GTK_WIDGET (self->info_label), "error");
}

static gboolean
load (CwMemoEditor  *self,
      GError       **error)
{
  GPtrArray *memos = cw_project_list_memos (self->project, self->target, self->target_id, error);

  if (memos == NULL)
    return FALSE;
  g_clear_pointer (&self->memos, g_ptr_array_unref);
  self->memos = memos;
  return TRUE;
}

/* Writes the fields to the project if they changed; saved_id gets the
 * memo's id (0 for a new memo left empty). */
static gboolean
save_current (CwMemoEditor  *self,
              gint64        *saved_id,
              GError       **error)
{
  const CwMemo *memo = current_memo (self);
  g_autofree char *title = NULL;
  g_autofree char *text = NULL;

  if (saved_id != NULL)
    *saved_id = memo != NULL ? memo->id : 0;
  if (!is_changed (self))
    return TRUE;

  title = entry_title (self);
  text = buffer_text (self);
  if (memo == NULL)
    {
      g_autofree char *coder = cw_memo_editor_get_coder ();
      gint64 id = cw_project_add_memo (self->project, self->target, self->target_id,
                                       title[0] != '\0' ? title : NULL, text, coder, error);

      if (id == 0)
        return FALSE;
      if (saved_id != NULL)
        *saved_id = id;
      return TRUE;
    }

  return cw_project_update_memo (self->project, memo->id, title, text, error);
}

/* Shows the memo at index, saving the one shown first. */
static void
move_to (CwMemoEditor *self,
         guint         index)
{
  g_autoptr(GError) error = NULL;

  /* A new memo, once saved, is the last of the list. */
  if (!save_current (self, NULL, &error) || !load (self, &error))
    {
      show_error (self, error);
      return;
    }
  self->current = MIN (index, self->memos->len);
  show_current (self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwMemoEditor *self = CW_MEMO_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (is_empty (self))
    return;
  if (!save_current (self, NULL, &error))
    {
      show_error (self, error);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CwMemoEditor *self = CW_MEMO_EDITOR (widget);
  const CwMemo *memo = current_memo (self);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;

  if (memo == NULL)
    return;
  /* Undo (Ctrl+Z in the window) brings it back: no question asked, but
   * a word that it happened. */
  if (!cw_project_delete_memo (self->project, memo->id, &error))
    {
      show_error (self, error);
      return;
    }
  if (CW_IS_WINDOW (parent))
    cw_window_show_toast (CW_WINDOW (parent), _("Memo deleted"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CwMemoEditor *self = CW_MEMO_EDITOR (widget);

  if (self->current > 0)
    move_to (self, self->current - 1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwMemoEditor *self = CW_MEMO_EDITOR (widget);

  if (self->current + 1 < n_shown (self))
    move_to (self, self->current + 1);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CwMemoEditor *self = CW_MEMO_EDITOR (widget);

  if (current_memo (self) == NULL)
    return;
  move_to (self, G_MAXUINT);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
contents_changed_cb (CwMemoEditor *self)
{
  if (!self->loading)
    update_actions (self);
}

static void
cw_memo_editor_dispose (GObject *object)
{
  CwMemoEditor *self = CW_MEMO_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CW_TYPE_MEMO_EDITOR);
  g_clear_object (&self->project);
  g_clear_pointer (&self->memos, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_memo_editor_parent_class)->dispose (object);
}

static void
cw_memo_editor_class_init (CwMemoEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_memo_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-memo-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, CwMemoEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwMemoEditor, title_entry);
  gtk_widget_class_bind_template_child (widget_class, CwMemoEditor, text_view);
  gtk_widget_class_bind_template_child (widget_class, CwMemoEditor, info_label);
  gtk_widget_class_bind_template_child (widget_class, CwMemoEditor, nav_box);
  gtk_widget_class_bind_template_child (widget_class, CwMemoEditor, position_label);
  gtk_widget_class_bind_template_callback (widget_class, contents_changed_cb);

  gtk_widget_class_install_action (widget_class, "memo.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "memo.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "memo.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "memo.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "memo.new", NULL, new_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "memo.save", NULL);
}

static void
cw_memo_editor_init (CwMemoEditor *self)
{
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->memos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_memo_free);

  /* Ctrl+Enter saves, also from inside the text, which would otherwise
   * take the key as a new line. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("memo.save")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("memo.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (contents_changed_cb), self, G_CONNECT_SWAPPED);
}

static const char *
target_heading (CwMemoTarget target)
{
  switch (target)
    {
    case CW_MEMO_DOCUMENT:
      return _("Document Memo");
    case CW_MEMO_CODE:
      return _("Code Memo");
    case CW_MEMO_CODING:
      return _("Coding Memo");
    case CW_MEMO_PROJECT:
    default:
      return _("Project Memo");
    }
}

CwMemoEditor *
cw_memo_editor_open (GtkWidget    *from,
                     CwProject    *project,
                     CwMemoTarget  target,
                     gint64        target_id,
                     const char   *name)
{
  g_autoptr(GError) error = NULL;
  CwMemoEditor *self;
  GtkRoot *root;

  g_return_val_if_fail (from == NULL || GTK_IS_WIDGET (from), NULL);
  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);

  root = from != NULL ? gtk_widget_get_root (from) : NULL;
  self = g_object_new (CW_TYPE_MEMO_EDITOR, NULL);
  self->project = g_object_ref (project);
  self->target = target;
  self->target_id = target_id;
  if (!load (self, &error))
    {
      if (CW_IS_WINDOW (root))
        cw_window_show_error (CW_WINDOW (root), error->message);
      else
        g_warning ("%s", error->message);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  adw_window_title_set_title (self->window_title, target_heading (target));
  adw_window_title_set_subtitle (self->window_title, name != NULL ? name : "");
  gtk_window_set_title (GTK_WINDOW (self), target_heading (target));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));

  self->current = 0;
  show_current (self);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  return self;
}

gint64
cw_memo_editor_get_memo_id (CwMemoEditor *self)
{
  const CwMemo *memo;

  g_return_val_if_fail (CW_IS_MEMO_EDITOR (self), 0);

  memo = current_memo (self);
  return memo != NULL ? memo->id : 0;
}

guint
cw_memo_editor_get_n_memos (CwMemoEditor *self)
{
  g_return_val_if_fail (CW_IS_MEMO_EDITOR (self), 0);

  return self->memos->len;
}

void
cw_memo_editor_set_contents (CwMemoEditor *self,
                             const char   *title,
                             const char   *text)
{
  g_return_if_fail (CW_IS_MEMO_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), title != NULL ? title : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

char *
cw_memo_editor_get_text (CwMemoEditor *self)
{
  g_return_val_if_fail (CW_IS_MEMO_EDITOR (self), NULL);

  return buffer_text (self);
}

const char *
cw_memo_editor_get_title (CwMemoEditor *self)
{
  g_return_val_if_fail (CW_IS_MEMO_EDITOR (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->title_entry));
}

const char *
cw_memo_editor_get_info (CwMemoEditor *self)
{
  g_return_val_if_fail (CW_IS_MEMO_EDITOR (self), NULL);

  return gtk_label_get_text (self->info_label);
}
