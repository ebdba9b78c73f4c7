/* cw-project-private.h: what the core's other files share about CwProject. */
#pragma once

#include <sqlite3.h>

#include "cw-project.h"

G_BEGIN_DECLS

sqlite3  *_cw_project_get_db       (CwProject   *self);
/* Sets a CW_PROJECT_ERROR_DATABASE error from the connection's last error. */
void      _cw_project_set_db_error (CwProject   *self,
                                    GError     **error,
                                    const char  *what);
/* Prepared statements are cached per connection: preparing costs more than
 * running most of our statements. */
sqlite3_stmt *_cw_project_prepare  (CwProject   *self,
                                    const char  *sql,
                                    GError     **error);
gboolean  _cw_project_exec         (CwProject   *self,
                                    const char  *sql,
                                    GError     **error);
/* One statement without results, through the statement cache: for those
 * every edit runs (sqlite3_exec parses its text each time). */
gboolean  _cw_project_run          (CwProject   *self,
                                    const char  *sql,
                                    GError     **error);
/* Grows the -wal, inside a write transaction, once to the size the
 * checkpoints keep it at (written blocks): a commit that appends to the file
 * costs its fdatasync an ext4 journal commit for the new blocks and size,
 * one that writes over blocks already there does not. SQLite reuses the
 * WAL from its start after each checkpoint, but a session starts with an
 * empty file and would append for its first thousand frames (about a
 * hundred codings): grown once the session has written a few. Best effort. */
void      _cw_project_presize_wal  (CwProject   *self);
/* BEGIN IMMEDIATE; COMMIT; ROLLBACK (the last never fails the caller). */
gboolean  _cw_project_begin        (CwProject   *self,
                                    GError     **error);
gboolean  _cw_project_commit       (CwProject   *self,
                                    GError     **error);
void      _cw_project_rollback     (CwProject   *self);
/* Write transactions this connection committed, and how many of them
 * changed history_steps (both counted by its commit hook). */
void      _cw_project_get_commit_counts (CwProject *self,
                                         guint64   *own,
                                         guint64   *steps);

/* Every transaction that adds documents calls this before COMMIT with the
 * first new id: new rows get ids above all existing ones. */
gboolean  _cw_project_index_new_documents (CwProject  *self,
                                           gint64      first_id,
                                           GError    **error);

/* cw_project_open without creating the documents_listing index in an
 * older project (a quarter of a second at 2,000 documents): for the
 * window's main thread, whose open worker makes it on its own connection
 * with cw_project_open. */
CwProject *_cw_project_open_without_listing_index (const char  *path,
                                                   GError     **error);
/* Whether the project has the documents_listing index (one look at the
 * schema): without it, listing the documents reads every text. */
gboolean   _cw_project_has_listing_index (CwProject *self);

/* Registers the FTS5 helpers on a fresh connection. */
gboolean  _cw_search_register      (sqlite3     *db,
                                    GError     **error);

/* Gives a statement from _cw_project_prepare back for reuse (reset, its
 * bindings cleared); any other statement is finalized. g_autoptr does this. */
void      _cw_statement_release    (sqlite3_stmt *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, _cw_statement_release)

G_END_DECLS

G_BEGIN_DECLS

/* An undoable edit: BEGIN IMMEDIATE plus a new history step with label.
 * End with _cw_project_end_step (commits, emits CwProject::changed) or
 * _cw_project_abort_step (rolls back). Steps do not nest. */
gboolean  _cw_project_begin_step   (CwProject   *self,
                                    const char  *label,
                                    GError     **error);
/* The step alone, inside a transaction begun with _cw_project_begin
 * (after _cw_edit_end_burst): for an edit that reads what it needs first.
 * Rolls back when it fails. */
gboolean  _cw_project_start_step   (CwProject   *self,
                                    const char  *label,
                                    GError     **error);
gboolean  _cw_project_end_step     (CwProject   *self,
                                    GError     **error);
void      _cw_project_abort_step   (CwProject   *self);

/* Emits CwProject::changed (on the thread that owns self). */
void      _cw_project_emit_changed (CwProject   *self);
/* Emits CwProject::document-text-changed (0: any document). */
void      _cw_project_emit_document_text_changed (CwProject *self,
                                                  gint64     document_id);

/* Schema migration 1 -> 2: the history tables and triggers. Runs inside
 * the caller's transaction. */
gboolean  _cw_history_install      (CwProject   *self,
                                    GError     **error);

/* Schema migration 2 -> 3: makes one more table's edits undoable (the
 * cohort tables). Runs inside the caller's transaction. */
gboolean  _cw_history_track_table  (CwProject   *self,
                                    const char  *table,
                                    GError     **error);

/* For bulk inserts inside a step (a cohort import): stops the triggers
 * recording and returns the step (0 when none, -1 on error); resume adds
 * undo_sql (may be NULL), one statement that reverses them all, and
 * records again. Undoing runs undo_sql with recording on, so the redo step
 * still gets every row. */
gint64    _cw_history_pause        (CwProject   *self,
                                    GError     **error);
gboolean  _cw_history_resume       (CwProject   *self,
                                    gint64       step,
                                    const char  *undo_sql,
                                    GError     **error);

/* Schema migration 3 -> 4: updates of documents and turns become
 * undoable (text corrections, cw-edit.c). Part of _cw_history_install. */
gboolean  _cw_history_track_text   (CwProject   *self,
                                    GError     **error);

/* For edits that write their own undo SQL (cw-edit.c), inside the
 * caller's transaction: a new undo step (redo steps dropped, old steps
 * beyond the depth forgotten) with recording left off, and one statement
 * added to a step. Undo runs a step's statements newest first. */
gint64    _cw_history_new_step     (CwProject   *self,
                                    const char  *label,
                                    GError     **error);
gboolean  _cw_history_record       (CwProject   *self,
                                    gint64       step,
                                    const char  *sql,
                                    GError     **error);

/* Ends an open burst of text edits (cw-edit.c), if any; called before
 * every other step, undo and redo. */
gboolean  _cw_edit_end_burst       (CwProject   *self,
                                    GError     **error);
/* On open: re-indexes documents whose burst a crash interrupted. */
gboolean  _cw_edit_recover         (CwProject   *self,
                                    GError     **error);

/* Forgets every undo and redo step (inside the caller's transaction), for
 * tools that build a project that should open with nothing to undo. */
gboolean  _cw_history_clear        (CwProject   *self,
                                    GError     **error);

/* The project created at path itself (O_EXCL), not under a temporary name
 * first as cw_project_create does: for importers that build under a
 * temporary name of their own. It is left without a journal on disk and
 * without syncing (journal_mode MEMORY, synchronous OFF): the importer
 * removes it on failure, and sets WAL and syncs it when done. */
CwProject *_cw_project_create_in_place (const char  *path,
                                        const char  *title,
                                        GError     **error);

/* Renames from to to without ever replacing a file at to (renameat2
 * RENAME_NOREPLACE, else a hard link, else a checked rename on file
 * systems such as FAT that have neither). Returns 0, or an errno value:
 * EEXIST when something is at to. */
int       _cw_rename_no_replace    (const char  *from,
                                    const char  *to);

/* Syncs the folder of path, so that a rename into it is durable. */
void      _cw_sync_directory_of    (const char  *path);

/* Reads up to length bytes from the start of path (and its size) without
 * open() and close(): closing any descriptor of a file drops every POSIX
 * lock this process holds on it, and with them the guard of the WAL that
 * our open connections use. Use it for every look at a project file that
 * may be open in this process. Returns 0, or an errno value. */
int       _cw_read_file_start      (const char  *path,
                                    guchar      *buffer,
                                    gssize       length,
                                    gssize      *n_read,
                                    gint64      *size);

/* The current coder's name when none is given. */
#define CW_DEFAULT_CODER "Codeur"

G_END_DECLS
