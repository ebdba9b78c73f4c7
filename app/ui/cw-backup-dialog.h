/* cw-backup-dialog.h: the project's backups (cw-backup.h), newest first,
 * each with its time, counts and size and a Restore button that asks for
 * confirmation. The dialog restores nothing itself: ::restore (a backup's
 * path) tells its owner, which runs the restore in a worker. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CW_TYPE_BACKUP_DIALOG (cw_backup_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwBackupDialog, cw_backup_dialog, CW, BACKUP_DIALOG, AdwWindow)

/* Lists the backups of the project at project_path (a few small reads). */
CwBackupDialog *cw_backup_dialog_new (GtkWindow  *parent,
                                      const char *project_path);

G_END_DECLS
