/* cw-passphrase-dialog.c: asks for the passphrase of an encrypted copy.
 *
 * A small modal window rather than an AdwMessageDialog: that one closes on
 * every response, and a wrong passphrase must keep the dialog open and ask
 * again. The passphrase leaves the entries once, on accept; the entries
 * (GtkPasswordEntry keeps its text in non-swappable memory) are cleared at
 * once, and every copy made here is overwritten before it is freed.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cw-crypt.h"
#include "cw-passphrase-dialog-private.h"

struct _CwPassphraseDialog
{
  AdwWindow         parent_instance;

  /* template */
  AdwWindowTitle   *window_title;
  GtkButton        *cancel_button;
  GtkButton        *accept_button;
  GtkLabel         *description_label;
  GtkPasswordEntry *passphrase_entry;
  GtkPasswordEntry *repeat_entry;
  GtkSpinner       *spinner;
  GtkLabel         *hint_label;

  CwPassphraseMode  mode;
  gboolean          busy;
  gboolean          done;  /* accepted (NEW) or closed by its owner */
  gboolean          has_error;
};

enum {
  PASSPHRASE_ENTERED,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwPassphraseDialog, cw_passphrase_dialog, ADW_TYPE_WINDOW)

void
cw_passphrase_free (char *passphrase)
{
  if (passphrase == NULL)
    return;
  /* Not optimised away, unlike a plain memset before free. */
  explicit_bzero (passphrase, strlen (passphrase));
  g_free (passphrase);
}

static const char *
entry_text (GtkPasswordEntry *entry)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry));
}

static void
set_hint (CwPassphraseDialog *self,
          const char         *text,
          gboolean            is_error)
{
  gtk_label_set_text (self->hint_label, text);
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint_label), "dim-label");
    }
}

/* Whether the button may be pressed, and the hint that says why not. */
static void
update (CwPassphraseDialog *self)
{
  const char *passphrase = entry_text (self->passphrase_entry);
  const char *repeat = entry_text (self->repeat_entry);
  glong length = g_utf8_strlen (passphrase, -1);
  gboolean valid;

  if (self->mode == CW_PASSPHRASE_MODE_OPEN)
    {
      valid = length > 0;
      if (!self->has_error)
        set_hint (self, "", FALSE);
    }
  else if (length < CW_PASSPHRASE_MIN_LENGTH)
    {
      g_autofree char *text = NULL;

      valid = FALSE;
      if (length == 0)
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Use at least %d character",
                                             "Use at least %d characters", CW_PASSPHRASE_MIN_LENGTH),
                                CW_PASSPHRASE_MIN_LENGTH);
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Too short: use at least %d character",
                                             "Too short: use at least %d characters", CW_PASSPHRASE_MIN_LENGTH),
                                CW_PASSPHRASE_MIN_LENGTH);
      set_hint (self, text, length > 0);
    }
  else if (g_strcmp0 (passphrase, repeat) == 0)
    {
      valid = TRUE;
      set_hint (self, _("The passphrases match"), FALSE);
    }
  else
    {
      valid = FALSE;
      /* Still typing the repetition: no alarm yet. */
      if (g_str_has_prefix (passphrase, repeat))
        set_hint (self, _("Repeat the passphrase"), FALSE);
      else
        set_hint (self, _("The passphrases do not match"), TRUE);
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->accept_button), valid && !self->busy);
}

static void
set_busy (CwPassphraseDialog *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* Not insensitive: the focused entry would lose its focus oddly. */
  gtk_editable_set_editable (GTK_EDITABLE (self->passphrase_entry), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->repeat_entry), !busy);
  if (busy)
    set_hint (self, _("Checking the passphrase…"), FALSE);
  update (self);
}

static void
clear_entries (CwPassphraseDialog *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), "");
}

static void
text_changed_cb (CwPassphraseDialog *self)
{
  /* Typing again: the last error no longer applies. */
  if (self->has_error && entry_text (self->passphrase_entry)[0] != '\0')
    {
      self->has_error = FALSE;
      set_hint (self, "", FALSE);
    }
  update (self);
}

static void
accept_clicked_cb (CwPassphraseDialog *self)
{
  char *passphrase;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->accept_button)))
    return;

  passphrase = g_strdup (entry_text (self->passphrase_entry));
  clear_entries (self);
  g_object_ref (self);
  if (self->mode == CW_PASSPHRASE_MODE_NEW)
    {
      self->done = TRUE;
      g_signal_emit (self, signals[PASSPHRASE_ENTERED], 0, passphrase);
      gtk_window_destroy (GTK_WINDOW (self));
    }
  else
    {
      set_busy (self, TRUE);
      g_signal_emit (self, signals[PASSPHRASE_ENTERED], 0, passphrase);
    }
  cw_passphrase_free (passphrase);
  g_object_unref (self);
}

/* Enter in the first entry: on to the repetition, or accept. */
static void
passphrase_activate_cb (CwPassphraseDialog *self)
{
  if (self->mode == CW_PASSPHRASE_MODE_NEW && !gtk_widget_get_sensitive (GTK_WIDGET (self->accept_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->repeat_entry));
  else
    accept_clicked_cb (self);
}

static void
cancel_clicked_cb (CwPassphraseDialog *self)
{
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
cw_passphrase_dialog_close_request (GtkWindow *window)
{
  CwPassphraseDialog *self = CW_PASSPHRASE_DIALOG (window);

  clear_entries (self);
  if (!self->done)
    {
      self->done = TRUE;
      g_signal_emit (self, signals[CANCELLED], 0);
    }
  return GTK_WINDOW_CLASS (cw_passphrase_dialog_parent_class)->close_request (window);
}

void
cw_passphrase_dialog_set_error (CwPassphraseDialog *self,
                                const char         *message)
{
  g_return_if_fail (CW_IS_PASSPHRASE_DIALOG (self));
  g_return_if_fail (message != NULL);

  set_busy (self, FALSE);
  self->has_error = TRUE;
  set_hint (self, message, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
}

CwPassphraseMode
cw_passphrase_dialog_get_mode (CwPassphraseDialog *self)
{
  g_return_val_if_fail (CW_IS_PASSPHRASE_DIALOG (self), CW_PASSPHRASE_MODE_OPEN);

  return self->mode;
}

CwPassphraseDialog *
cw_passphrase_dialog_new (GtkWindow        *parent,
                          CwPassphraseMode  mode,
                          const char       *file_name)
{
  CwPassphraseDialog *self;
  g_autofree char *description = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  self = g_object_new (CW_TYPE_PASSPHRASE_DIALOG, "transient-for", parent, NULL);
  self->mode = mode;

  if (mode == CW_PASSPHRASE_MODE_OPEN)
    {
      adw_window_title_set_title (self->window_title, _("Encrypted Copy"));
      gtk_button_set_label (self->accept_button, _("_Unlock"));
      /* Translators: the encrypted file's name. */
      description = g_strdup_printf (_("“%s” is encrypted. Enter the passphrase it was encrypted with."),
                                     file_name);
      gtk_widget_set_visible (GTK_WIDGET (self->repeat_entry), FALSE);
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Encrypt Copy"));
      gtk_button_set_label (self->accept_button, _("_Encrypt"));
      /* Translators: the encrypted copy's file name. */
      description = g_strdup_printf (_("“%s” can only be opened with this passphrase. Codewerk does not keep it: "
                                       "without the passphrase no one can open the copy, not even you."),
                                     file_name);
    }
  gtk_window_set_title (GTK_WINDOW (self), adw_window_title_get_title (self->window_title));
  gtk_label_set_text (self->description_label, description);
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->passphrase_entry));
  return self;
}

/* Decrypting with the dialog */

typedef struct
{
  char               *in_path;
  char               *out_path;
  GTask              *task;         /* not owned: the task this is the data of */
  CwPassphraseDialog *dialog;       /* owned; NULL once closed */
  GCancellable       *worker_cancellable;
  gulong              cancelled_id; /* on the task's cancellable */
  gboolean            returned;
} Decrypt;

typedef struct
{
  char *in_path;
  char *out_path;
  char *passphrase;
} Attempt;

static void
attempt_free (Attempt *attempt)
{
  g_free (attempt->in_path);
  g_free (attempt->out_path);
  cw_passphrase_free (attempt->passphrase);
  g_free (attempt);
}

static void
decrypt_close_dialog (Decrypt *decrypt)
{
  CwPassphraseDialog *dialog = g_steal_pointer (&decrypt->dialog);

  if (dialog == NULL)
    return;
  g_signal_handlers_disconnect_matched (dialog, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, decrypt->task);
  dialog->done = TRUE;
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
}

static void
decrypt_free (Decrypt *decrypt)
{
  decrypt_close_dialog (decrypt);
  g_clear_object (&decrypt->worker_cancellable);
  g_free (decrypt->in_path);
  g_free (decrypt->out_path);
  g_free (decrypt);
}

/* Returns once (the user gave up, the outer cancellable fired, or the
 * worker finished for good), then drops the reference that kept the task
 * alive while the dialog was open. */
static void
decrypt_return (GTask  *task,
                GError *error)
{
  Decrypt *decrypt = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (decrypt->returned)
    {
      g_clear_error (&error);
      return;
    }
  decrypt->returned = TRUE;
  if (decrypt->worker_cancellable != NULL)
    g_cancellable_cancel (decrypt->worker_cancellable);
  if (decrypt->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, decrypt->cancelled_id);
      decrypt->cancelled_id = 0;
    }
  decrypt_close_dialog (decrypt);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
attempt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Attempt *attempt = task_data;
  GError *error = NULL;
  gboolean ok;

  ok = cw_crypt_decrypt_file (attempt->in_path, attempt->out_path, attempt->passphrase, cancellable, &error);
  /* Not needed any longer: gone before the result is read. */
  g_clear_pointer (&attempt->passphrase, cw_passphrase_free);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
attempt_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Decrypt *decrypt = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (decrypt->returned)
    {
      /* Given up meanwhile: a file written after all is not wanted. */
      if (ok)
        g_unlink (decrypt->out_path);
      g_clear_error (&error);
      return;
    }
  if (ok)
    decrypt_return (task, NULL);
  else if (g_error_matches (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_WRONG_PASSPHRASE) && decrypt->dialog != NULL)
    {
      g_clear_error (&error);
      cw_passphrase_dialog_set_error (decrypt->dialog, _("Wrong passphrase. Try again."));
    }
  else
    decrypt_return (task, error);
}

static void
passphrase_entered_cb (CwPassphraseDialog *dialog,
                       const char         *passphrase,
                       GTask              *task)
{
  Decrypt *decrypt = g_task_get_task_data (task);
  Attempt *attempt = g_new0 (Attempt, 1);
  g_autoptr(GTask) worker = NULL;

  attempt->in_path = g_strdup (decrypt->in_path);
  attempt->out_path = g_strdup (decrypt->out_path);
  attempt->passphrase = g_strdup (passphrase);
  g_clear_object (&decrypt->worker_cancellable);
  decrypt->worker_cancellable = g_cancellable_new ();

  worker = g_task_new (NULL, decrypt->worker_cancellable, attempt_done_cb, g_object_ref (task));
  g_task_set_source_tag (worker, passphrase_entered_cb);
  g_task_set_task_data (worker, attempt, (GDestroyNotify) attempt_free);
  g_task_set_check_cancellable (worker, FALSE);
  g_task_run_in_thread (worker, attempt_thread);
}

static void
dialog_cancelled_cb (CwPassphraseDialog *dialog,
                     GTask              *task)
{
  Decrypt *decrypt = g_task_get_task_data (task);

  if (decrypt->worker_cancellable != NULL)
    g_cancellable_cancel (decrypt->worker_cancellable);
  /* The window is closing by itself: only let go of it. */
  g_signal_handlers_disconnect_matched (dialog, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, task);
  g_clear_object (&decrypt->dialog);
  decrypt_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
}

static gboolean
outer_cancelled_idle (gpointer data)
{
  GTask *task = data;
  Decrypt *decrypt = g_task_get_task_data (task);

  if (!decrypt->returned)
    decrypt_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
  return G_SOURCE_REMOVE;
}

/* Maybe in another thread: the rest happens on the task's context. */
static void
outer_cancelled_cb (GCancellable *cancellable,
                    GTask        *task)
{
  g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT, outer_cancelled_idle,
                              g_object_ref (task), g_object_unref);
}

void
cw_passphrase_dialog_decrypt_async (GtkWindow           *parent,
                                    GFile               *in_file,
                                    GFile               *out_file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autofree char *name = NULL;
  GTask *task;
  Decrypt *decrypt;

  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (G_IS_FILE (in_file));
  g_return_if_fail (G_IS_FILE (out_file));

  /* This reference lasts until decrypt_return. */
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_passphrase_dialog_decrypt_async);
  g_task_set_check_cancellable (task, FALSE);
  decrypt = g_new0 (Decrypt, 1);
  decrypt->task = task;
  decrypt->in_path = g_file_get_path (in_file);
  decrypt->out_path = g_file_get_path (out_file);
  g_task_set_task_data (task, decrypt, (GDestroyNotify) decrypt_free);

  if (decrypt->in_path == NULL || decrypt->out_path == NULL)
    {
      decrypt_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                                 _("Only local files can be decrypted")));
      return;
    }

  name = g_file_get_basename (in_file);
  decrypt->dialog = g_object_ref (cw_passphrase_dialog_new (parent, CW_PASSPHRASE_MODE_OPEN, name));
  g_signal_connect (decrypt->dialog, "passphrase-entered", G_CALLBACK (passphrase_entered_cb), task);
  g_signal_connect (decrypt->dialog, "cancelled", G_CALLBACK (dialog_cancelled_cb), task);
  /* Destroyed with its parent window: that is giving up too. */
  g_signal_connect (decrypt->dialog, "destroy", G_CALLBACK (dialog_cancelled_cb), task);
  gtk_window_present (GTK_WINDOW (decrypt->dialog));
  if (cancellable != NULL)
    decrypt->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb), task, NULL);
}

gboolean
cw_passphrase_dialog_decrypt_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, cw_passphrase_dialog_decrypt_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* For the tests */

void
_cw_passphrase_dialog_set_text (CwPassphraseDialog *self,
                                const char         *passphrase,
                                const char         *repeat)
{
  gtk_editable_set_text (GTK_EDITABLE (self->passphrase_entry), passphrase);
  if (self->mode == CW_PASSPHRASE_MODE_NEW)
    gtk_editable_set_text (GTK_EDITABLE (self->repeat_entry), repeat != NULL ? repeat : "");
}

gboolean
_cw_passphrase_dialog_can_accept (CwPassphraseDialog *self)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (self->accept_button));
}

void
_cw_passphrase_dialog_accept (CwPassphraseDialog *self)
{
  accept_clicked_cb (self);
}

const char *
_cw_passphrase_dialog_get_hint (CwPassphraseDialog *self)
{
  return gtk_label_get_text (self->hint_label);
}

const char *
_cw_passphrase_dialog_get_text (CwPassphraseDialog *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->passphrase_entry));
}

gboolean
_cw_passphrase_dialog_is_busy (CwPassphraseDialog *self)
{
  return self->busy;
}

/* GObject */

static void
cw_passphrase_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_PASSPHRASE_DIALOG);

  G_OBJECT_CLASS (cw_passphrase_dialog_parent_class)->dispose (object);
}

static void
cw_passphrase_dialog_class_init (CwPassphraseDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cw_passphrase_dialog_dispose;
  window_class->close_request = cw_passphrase_dialog_close_request;

  /**
   * CwPassphraseDialog::passphrase-entered:
   * @passphrase: valid during the emission only; copy it to keep it
   *
   * The user accepted. NEW mode: the dialog closes afterwards. OPEN mode:
   * it waits for its owner to close it or to call set_error.
   */
  signals[PASSPHRASE_ENTERED] =
    g_signal_new ("passphrase-entered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* Closed without a passphrase (Cancel, Escape, the window closed). */
  signals[CANCELLED] =
    g_signal_new ("cancelled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/cw-passphrase-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, passphrase_entry);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, repeat_entry);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, CwPassphraseDialog, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, text_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, accept_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, passphrase_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cw_passphrase_dialog_init (CwPassphraseDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
