/* cw-backup-dialog-private.h: what the tests look at in a CwBackupDialog. */
#pragma once

#include "cw-backup-dialog.h"

G_BEGIN_DECLS

/* Rows shown (0 when the "No Backups" page shows). */
guint             _cw_backup_dialog_get_n_backups (CwBackupDialog *self);
/* What the i-th row's Restore button does: shows the confirmation (its
 * responses "cancel" and "restore") and returns it. */
AdwMessageDialog *_cw_backup_dialog_choose        (CwBackupDialog *self,
                                                   guint           i);

G_END_DECLS
