/* cw-exchange.h: REFI-QDA exchange off the main thread.
 *
 * _async/_finish wrappers around cw-refi.h for the window. Each worker opens
 * its own CwProject on the project's path (one SQLite connection per thread);
 * the caller's CwProject is only read for its path. Progress is reported on
 * the caller's main context, and never after the callback has run.
 */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

void       cw_exchange_export_project_async   (CwProject            *project,
                                               GFile                *file,
                                               CwProgressFunc        progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean   cw_exchange_export_project_finish  (GAsyncResult         *result,
                                               GError              **error);

void       cw_exchange_export_codebook_async  (CwProject            *project,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean   cw_exchange_export_codebook_finish (GAsyncResult         *result,
                                               GError              **error);

/* One undoable step on the worker's connection: the caller's CwProject does
 * not know of it, so emit its ::changed once this has finished. */
void       cw_exchange_import_codebook_async  (CwProject            *project,
                                               GFile                *file,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* warnings (may be NULL) receives the import's warnings (strings). */
gboolean   cw_exchange_import_codebook_finish (GAsyncResult         *result,
                                               guint                *added,
                                               guint                *matched,
                                               GPtrArray           **warnings,
                                               GError              **error);

/* Creates the project target from the exchange file qdpx. */
void       cw_exchange_import_project_async   (GFile                *qdpx,
                                               GFile                *target,
                                               CwProgressFunc        progress,
                                               gpointer              progress_data,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
/* The new project, opened on the calling thread. */
CwProject *cw_exchange_import_project_finish  (GAsyncResult         *result,
                                               GPtrArray           **warnings,
                                               GError              **error);

/* Issue 10: privacy. Each writes a new file (replacing one the user chose
 * to replace, never the open project itself) from a worker's own
 * connection. */

/* The project as a .qdpx written from a pseudonymised temporary copy: no
 * real name of the table is in it. */
void       cw_exchange_export_pseudonymised_async  (CwProject            *project,
                                                    GFile                *file,
                                                    CwProgressFunc        progress,
                                                    gpointer              progress_data,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   cw_exchange_export_pseudonymised_finish (GAsyncResult         *result,
                                                    GError              **error);

/* The codebook (.qdc) written from a pseudonymised temporary copy: code
 * names and descriptions without a real name of the table. */
void       cw_exchange_export_pseudonymised_codebook_async  (CwProject           *project,
                                                             GFile               *file,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean   cw_exchange_export_pseudonymised_codebook_finish (GAsyncResult        *result,
                                                             GError             **error);

/* For a worker that exports from a pseudonymised copy (the case x code
 * matrix): the copy, written to a private temporary folder (*temp_dir)
 * and opened. Close it with cw_exchange_close_pseudonymised, also after
 * an error (temp_dir may then be set or NULL). */
CwProject *cw_exchange_open_pseudonymised  (CwProject     *project,
                                            char         **temp_dir,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Takes copy (may be NULL) and temp_dir (may be NULL): closes and deletes. */
void       cw_exchange_close_pseudonymised (CwProject     *copy,
                                            char          *temp_dir);

/* The export dialogs' "Pseudonymise with the pseudonym table" check
 * (a boolean choice of the file chooser), on by default when project's
 * table has a row. */
void       cw_exchange_add_pseudonymise_choice (GtkFileChooser *chooser,
                                                CwProject      *project);
gboolean   cw_exchange_get_pseudonymise_choice (GtkFileChooser *chooser);

/* A pseudonymised copy of the whole project (cw-pseudonym.h). */
void       cw_exchange_write_pseudonymised_async   (CwProject            *project,
                                                    GFile                *file,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   cw_exchange_write_pseudonymised_finish  (GAsyncResult         *result,
                                                    GError              **error);

/* An encrypted copy (cw-crypt.h). The job keeps its own copy of
 * passphrase and overwrites it once the copy is written. */
void       cw_exchange_write_encrypted_async       (CwProject            *project,
                                                    GFile                *file,
                                                    const char           *passphrase,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   cw_exchange_write_encrypted_finish      (GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
