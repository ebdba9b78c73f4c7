/* cw-backup.h: the last versions of a project, kept beside it.
 *
 * Where: a folder next to the project named after its file plus
 * "-backups" (study.codewerk -> study.codewerk-backups/), made 0700; in it
 * one complete project file per backup, "STEM YYYY-MM-DD HH.MM.SS.codewerk"
 * (STEM: the project's file name without ".codewerk"; local time; " (2)",
 * " (3)" ... when two fall in one second), 0600: the data is personal. A
 * backup is an ordinary project file (rollback journal, no -wal beside
 * it): Codewerk can open a copy of it directly.
 *
 * How: the SQLite online backup API copies the open project in one read
 * transaction, so a backup is a consistent snapshot even while another
 * program writes. The copy is written to a hidden temporary file in the
 * folder (".cw-tmp-XXXXXX", flock()ed while it is written), synced, and
 * only then given its backup name with link(), which never replaces a
 * file: a crash leaves at most a temporary file, never half a backup under
 * a backup's name. The next backup deletes temporary files whose writer is
 * gone (their lock is free).
 *
 * Skipping: a backup is skipped when the project has not changed since a
 * backup that still exists. The test is a fingerprint of the files, kept
 * in the folder (".cw-last-backup"): size, mtime, ctime and inode of the
 * project and of its -wal when that holds frames. Every commit writes one
 * of the two files, and ctime cannot be set back by tools, so a change is
 * never missed; a checkpoint without changes costs one backup too many,
 * never one too few. The fingerprint is taken before the copy: a commit
 * during the copy makes the next one differ.
 *
 * Restoring: the backup is checked (a Codewerk project, PRAGMA
 * integrity_check, not newer than this version, the same project GUID),
 * copied to a temporary file and opened there (an older format is updated
 * on the copy, never on the backup), then the current state is backed up
 * (never skipped, never rotated away), and the online backup API copies the
 * temporary file into the open project as one write transaction. The
 * project file is not replaced: other connections (the window, a worker,
 * codewerk-cli) stay valid and see either the old or the restored state,
 * and a crash during the restore leaves the old one (WAL). Closing and
 * renaming instead would leave other connections on an unlinked file,
 * losing what they write. The undo history comes back with the data; to
 * undo a restore, restore the backup it made.
 */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_BACKUP_ERROR (cw_backup_error_quark ())

typedef enum
{
  CW_BACKUP_ERROR_FAILED,        /* the folder or a copy cannot be written */
  CW_BACKUP_ERROR_NOT_A_BACKUP,  /* not a project, damaged, or another project's */
  CW_BACKUP_ERROR_NEWER_VERSION, /* made by a newer Codewerk */
  CW_BACKUP_ERROR_NOT_FOUND,     /* no such backup */
} CwBackupError;

typedef enum
{
  CW_BACKUP_FLAGS_NONE  = 0,
  CW_BACKUP_FLAGS_FORCE = 1 << 0, /* even when the project has not changed */
} CwBackupFlags;

typedef struct
{
  char      *path;
  GDateTime *time;        /* local time, from the name */
  gint64     size;        /* bytes */
  gint64     documents;   /* -1 when the file cannot be read as a project */
  gint64     codings;     /* -1 likewise */
} CwBackupInfo;

void          cw_backup_info_free   (CwBackupInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwBackupInfo, cw_backup_info_free)

GQuark        cw_backup_error_quark (void);

/* The backups folder of the project at project_path (need not exist). */
char         *cw_backup_get_folder  (const char    *project_path);

/* Backs up the open project and then keeps the newest keep backups,
 * deleting older ones. keep 0 makes none (backups are off). Skipped
 * (TRUE, *out_path NULL) when the project has not changed since a backup
 * that is still there, unless flags has CW_BACKUP_FLAGS_FORCE. out_path
 * may be NULL. Uses project's connection: call it on project's thread. */
gboolean      cw_backup_make        (CwProject      *project,
                                     guint           keep,
                                     CwBackupFlags   flags,
                                     char          **out_path,
                                     GCancellable   *cancellable,
                                     GError        **error);

/* The backups of the project at project_path, newest first (CwBackupInfo;
 * empty when there are none). Each is opened read-only for its counts. */
GPtrArray    *cw_backup_list        (const char     *project_path,
                                     GError        **error);

/* Replaces the open project's contents by backup_path's (see above).
 * *undo_path (may be NULL) gets the backup of the state before. On an
 * error the project is as it was. */
gboolean      cw_backup_restore     (CwProject      *project,
                                     const char     *backup_path,
                                     char          **undo_path,
                                     GCancellable   *cancellable,
                                     GError        **error);

/* Off-thread variants: each opens its own connection to project_path. */
void          cw_backup_make_async     (const char           *project_path,
                                        guint                 keep,
                                        CwBackupFlags         flags,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean      cw_backup_make_finish    (GAsyncResult         *result,
                                        char                **out_path,
                                        GError              **error);
void          cw_backup_restore_async  (const char           *project_path,
                                        const char           *backup_path,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean      cw_backup_restore_finish (GAsyncResult         *result,
                                        char                **undo_path,
                                        GError              **error);

G_END_DECLS
