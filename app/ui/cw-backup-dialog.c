/* cw-backup-dialog.c: the list of backups and the confirmation. */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-backup.h"
#include "cw-backup-dialog-private.h"

struct _CwBackupDialog
{
  AdwWindow parent_instance;

  /* template */
  GtkStack   *stack;
  GtkListBox *list_box;
  GtkLabel   *folder_label;

  /* owned */
  GPtrArray  *backups; /* CwBackupInfo, newest first */
};

G_DEFINE_FINAL_TYPE (CwBackupDialog, cw_backup_dialog, ADW_TYPE_WINDOW)

enum {
  RESTORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_time (GDateTime *time)
{
  /* Translators: a backup's date and time (g_date_time_format), e.g.
   * "23 November 2026, 17:30:05". */
  return g_date_time_format (time, _("%-d %B %Y, %H:%M:%S"));
}

static char *
describe (const CwBackupInfo *info)
{
  g_autofree char *size = g_format_size (info->size);
  g_autofree char *documents = NULL;
  g_autofree char *codings = NULL;

  if (info->documents < 0)
    /* Translators: %s is a file size. */
    return g_strdup_printf (_("Cannot be read · %s"), size);
  documents = g_strdup_printf (ngettext ("%lld document", "%lld documents", info->documents),
                               (long long) info->documents);
  codings = g_strdup_printf (ngettext ("%lld coding", "%lld codings", info->codings),
                             (long long) info->codings);
  /* Translators: "6 documents, 325 codings · 520.2 kB". */
  return g_strdup_printf (_("%s, %s · %s"), documents, codings, size);
}

static gboolean
close_idle (gpointer data)
{
  gtk_window_close (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
confirm_response_cb (AdwMessageDialog *confirm,
                     const char       *response,
                     gpointer          user_data)
{
  CwBackupDialog *self = user_data;
  const char *path = g_object_get_data (G_OBJECT (confirm), "backup-path");

  if (g_strcmp0 (response, "restore") != 0 || path == NULL)
    return;
  /* The path outlives the dialog: the owner closes it. */
  {
    g_autofree char *copy = g_strdup (path);

    g_signal_emit (self, signals[RESTORE], 0, copy);
    /* Not now: the confirmation, transient for this dialog, is still
     * finishing its response. */
    g_idle_add_full (G_PRIORITY_DEFAULT, close_idle, g_object_ref (self), g_object_unref);
  }
}

AdwMessageDialog *
_cw_backup_dialog_choose (CwBackupDialog *self,
                          guint           i)
{
  const CwBackupInfo *info;
  g_autofree char *when = NULL;
  AdwMessageDialog *confirm;

  g_return_val_if_fail (CW_IS_BACKUP_DIALOG (self), NULL);
  g_return_val_if_fail (i < self->backups->len, NULL);

  info = self->backups->pdata[i];
  when = format_time (info->time);
  confirm = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Restore This Backup?"), NULL));
  adw_message_dialog_format_body (confirm,
                                  _("The project’s contents will be replaced by the backup of %s. "
                                    "The current state is backed up first, so you can return to it "
                                    "by restoring that backup."),
                                  when);
  adw_message_dialog_add_responses (confirm,
                                    "cancel", _("_Cancel"),
                                    "restore", _("_Restore"),
                                    NULL);
  adw_message_dialog_set_response_appearance (confirm, "restore", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (confirm, "cancel");
  adw_message_dialog_set_close_response (confirm, "cancel");
  g_object_set_data_full (G_OBJECT (confirm), "backup-path", g_strdup (info->path), g_free);
  g_signal_connect_object (confirm, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (confirm));
  return confirm;
}

static void
restore_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  CwBackupDialog *self = user_data;

  _cw_backup_dialog_choose (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")));
}

guint
_cw_backup_dialog_get_n_backups (CwBackupDialog *self)
{
  g_return_val_if_fail (CW_IS_BACKUP_DIALOG (self), 0);

  return self->backups->len;
}

static void
fill (CwBackupDialog *self,
      const char     *project_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = cw_backup_get_folder (project_path);
  g_autofree char *where = NULL;

  g_clear_pointer (&self->backups, g_ptr_array_unref);
  self->backups = cw_backup_list (project_path, &error);
  if (self->backups == NULL)
    self->backups = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_backup_info_free);

  for (guint i = 0; i < self->backups->len; i++)
    {
      const CwBackupInfo *info = self->backups->pdata[i];
      g_autofree char *title = format_time (info->time);
      g_autofree char *subtitle = describe (info);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Restore…"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, info->path);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      /* A copy that cannot be read would only be refused. */
      gtk_widget_set_sensitive (button, info->documents >= 0);
      g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (i));
      g_signal_connect_object (button, "clicked", G_CALLBACK (restore_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->list_box, row);
    }

  /* Translators: %s is a folder's path. */
  where = error != NULL ? g_strdup (error->message) : g_strdup_printf (_("Backups are kept in %s"), folder);
  gtk_label_set_text (self->folder_label, where);
  /* An unreadable folder shows its reason under the (empty) list. */
  gtk_stack_set_visible_child_name (self->stack, self->backups->len > 0 || error != NULL ? "list" : "empty");
}

static void
cw_backup_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CW_TYPE_BACKUP_DIALOG);

  G_OBJECT_CLASS (cw_backup_dialog_parent_class)->dispose (object);
}

static void
cw_backup_dialog_finalize (GObject *object)
{
  CwBackupDialog *self = CW_BACKUP_DIALOG (object);

  g_clear_pointer (&self->backups, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_backup_dialog_parent_class)->finalize (object);
}

static void
cw_backup_dialog_class_init (CwBackupDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_backup_dialog_dispose;
  object_class->finalize = cw_backup_dialog_finalize;

  /* ::restore (path): the user confirmed restoring the backup at path. */
  signals[RESTORE] = g_signal_new ("restore", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/codewerk/Codewerk/ui/cw-backup-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CwBackupDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, CwBackupDialog, list_box);
  gtk_widget_class_bind_template_child (widget_class, CwBackupDialog, folder_label);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cw_backup_dialog_init (CwBackupDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CwBackupDialog *
cw_backup_dialog_new (GtkWindow  *parent,
                      const char *project_path)
{
  CwBackupDialog *self;

  g_return_val_if_fail (project_path != NULL, NULL);

  self = g_object_new (CW_TYPE_BACKUP_DIALOG, "transient-for", parent, NULL);
  fill (self, project_path);
  return self;
}
