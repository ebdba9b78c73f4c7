/* cw-project.c: the project file, one SQLite database.
 *
 * The schema is laid out for everything the workbench will hold (codebook,
 * codings by several coders, memos, document groups, cohort cases and their
 * variables, links of cases to documents and speakers), so that later
 * features add rows, not rewrites. Every change runs in one transaction:
 * a failed command leaves the file as it was.
 */
#define _GNU_SOURCE /* renameat2 */
/* sqlite3_preupdate_hook(): Debian's libsqlite3 is built with it (it has
 * the session extension); the header declares it only when asked. */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include "config.h"

#include <stdio.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "cw-import.h"
#include "cw-project-private.h"

struct _CwProject
{
  GObject  parent_instance;

  sqlite3    *db;
  char       *path;
  char       *title;
  /* SQL text -> GPtrArray of idle statements for it */
  GHashTable *statements;
  guint       n_cached;

  /* Noticing commits of other connections (cw_project_poll_external_change):
   * PRAGMA data_version as last seen, and the commits this process made to
   * the file through its other connections by then. */
  char       *file_key;   /* canonical path: this process's count of commits */
  gint64      data_version;
  guint64     local_seen;
  guint64     own_commits; /* through this connection (its commit hook) */
  /* Of those, the ones that changed undo steps (cw-history.c keeps the
   * steps in memory while only its own commits touched them). */
  guint64     steps_commits;
  gboolean    txn_steps;

  /* What a "changed" is about (cw_project_get_coding_changes): the coding
   * changes (CwCodingChange) of the open transaction and of those committed
   * since the last emission; *_other when anything but codings changed, or
   * more codings than MAX_CODING_CHANGES. */
  GArray     *txn_codings;
  gboolean    txn_other;
  GArray     *committed_codings;
  gboolean    committed_other;
  gint64      changes_version; /* PRAGMA data_version at the last emission */
  GArray     *handed_over;     /* for the emission starting (borrowed) */
  GArray     *coding_changes;  /* of the emission running (borrowed); NULL: unknown */
  int         codings_layout; /* codings' columns where the hook reads them: 1, not: -1, 0: to see */
  gint64      wal_target;     /* _cw_project_presize_wal's size; 0: not known yet */
  /* Checkpoints by a thread of ours instead of in the commit that crosses
   * the threshold (see wal_hook_cb); frames 0: SQLite's own (not looked
   * at yet, or autocheckpoint off). */
  gboolean       checkpoint_looked;
  gint64         checkpoint_frames;
  struct _Checkpointer *checkpointer;

  /* A worker's connection kept for the next read-only task (search as one
   * types runs one per keystroke): it keeps its page cache, so the next
   * search finds what the last one read (see take_reader). Only ever
   * exchanged atomically; in a kept reader, the file it opened. */
  gpointer    spare_reader;
  guint64     reader_dev;
  guint64     reader_ino;
};

/* Which CwProject owns a connection, so that a statement given back through
 * g_autoptr finds its cache. Connections are used by one thread each, but
 * the map is shared by all. */
static GMutex owners_lock;
static GHashTable *owners;
/* Canonical project path -> guint64: commits made to that file by every
 * connection of this process (under owners_lock). A change the data_version
 * shows while this count did not move came from another program. */
static GHashTable *local_commits;

/* How long a statement waits for another connection's write lock (or a WAL
 * recovery or checkpoint) before it fails with "busy". Workers and the CLI
 * can wait; the window's quick polls do not (see poll_external_change). */
#define BUSY_TIMEOUT_MS 10000

#define MAX_CACHED_STATEMENTS 256

/* Beyond this many codings in one change, views reload everything anyway. */
#define MAX_CODING_CHANGES 256

G_DEFINE_TYPE (CwProject, cw_project, G_TYPE_OBJECT)

G_DEFINE_QUARK (cw-project-error-quark, cw_project_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  DOCUMENT_TEXT_CHANGED,
  EXTERNAL_CHANGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Version 1. Offsets are code points into documents.text. */
static const char schema_v1[] =
  "CREATE TABLE project ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT"
  ") WITHOUT ROWID;"

  "CREATE TABLE coders ("
  "  id         INTEGER PRIMARY KEY,"
  "  guid       TEXT NOT NULL UNIQUE,"
  "  name       TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL"
  ");"

  "CREATE TABLE documents ("
  "  id            INTEGER PRIMARY KEY,"
  "  guid          TEXT NOT NULL UNIQUE,"
  "  name          TEXT NOT NULL UNIQUE,"
  "  kind          TEXT NOT NULL DEFAULT 'other'"
  "                CHECK (kind IN ('other','arena','focus-group','employer-interview','interview')),"
  "  original_name TEXT,"
  "  imported_at   TEXT NOT NULL,"
  "  text          TEXT NOT NULL,"
  "  characters    INTEGER NOT NULL,"
  "  language      TEXT,"
  "  media_path    TEXT,"
  "  position      INTEGER NOT NULL DEFAULT 0"
  ");"

  "CREATE TABLE speakers ("
  "  id          INTEGER PRIMARY KEY,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL,"
  "  role        TEXT,"
  "  UNIQUE (document_id, name)"
  ");"

  "CREATE TABLE turns ("
  "  id          INTEGER PRIMARY KEY,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  idx         INTEGER NOT NULL,"
  "  speaker_id  INTEGER REFERENCES speakers (id) ON DELETE SET NULL,"
  "  start       INTEGER NOT NULL,"
  "  end         INTEGER NOT NULL CHECK (end >= start),"
  "  time        REAL,"
  "  UNIQUE (document_id, idx)"
  ");"

  "CREATE TABLE codes ("
  "  id          INTEGER PRIMARY KEY,"
  "  guid        TEXT NOT NULL UNIQUE,"
  "  parent_id   INTEGER REFERENCES codes (id) ON DELETE CASCADE,"
  "  name        TEXT NOT NULL,"
  "  color       TEXT,"
  "  description TEXT,"
  "  position    INTEGER NOT NULL DEFAULT 0,"
  "  codable     INTEGER NOT NULL DEFAULT 1,"
  "  created_at  TEXT NOT NULL"
  ");"
  "CREATE INDEX codes_by_parent ON codes (parent_id, position);"

  "CREATE TABLE codings ("
  "  id          INTEGER PRIMARY KEY,"
  "  guid        TEXT NOT NULL UNIQUE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  code_id     INTEGER NOT NULL REFERENCES codes (id) ON DELETE CASCADE,"
  "  coder_id    INTEGER NOT NULL REFERENCES coders (id),"
  "  start       INTEGER NOT NULL,"
  "  end         INTEGER NOT NULL CHECK (end > start),"
  "  created_at  TEXT NOT NULL,"
  "  UNIQUE (document_id, code_id, coder_id, start, end)"
  ");"
  "CREATE INDEX codings_by_code ON codings (code_id);"
  "CREATE INDEX codings_by_document ON codings (document_id, start);"

  "CREATE TABLE memos ("
  "  id          INTEGER PRIMARY KEY,"
  "  guid        TEXT NOT NULL UNIQUE,"
  "  title       TEXT,"
  "  text        TEXT NOT NULL DEFAULT '',"
  "  author_id   INTEGER REFERENCES coders (id),"
  "  created_at  TEXT NOT NULL,"
  "  modified_at TEXT NOT NULL,"
  "  document_id INTEGER REFERENCES documents (id) ON DELETE CASCADE,"
  "  code_id     INTEGER REFERENCES codes (id) ON DELETE CASCADE,"
  "  coding_id   INTEGER REFERENCES codings (id) ON DELETE CASCADE"
  ");"

  "CREATE TABLE document_groups ("
  "  id   INTEGER PRIMARY KEY,"
  "  guid TEXT NOT NULL UNIQUE,"
  "  name TEXT NOT NULL UNIQUE,"
  "  description TEXT"
  ");"
  "CREATE TABLE document_group_members ("
  "  group_id    INTEGER NOT NULL REFERENCES document_groups (id) ON DELETE CASCADE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (group_id, document_id)"
  ") WITHOUT ROWID;"

  "CREATE TABLE cases ("
  "  id         INTEGER PRIMARY KEY,"
  "  guid       TEXT NOT NULL UNIQUE,"
  "  identifier TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE variables ("
  "  id       INTEGER PRIMARY KEY,"
  "  guid     TEXT NOT NULL UNIQUE,"
  "  name     TEXT NOT NULL UNIQUE,"
  "  label    TEXT,"
  "  type     TEXT NOT NULL DEFAULT 'text' CHECK (type IN ('numeric','text','date')),"
  "  position INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE value_labels ("
  "  variable_id INTEGER NOT NULL REFERENCES variables (id) ON DELETE CASCADE,"
  "  value       REAL NOT NULL,"
  "  label       TEXT NOT NULL,"
  "  PRIMARY KEY (variable_id, value)"
  ") WITHOUT ROWID;"
  "CREATE TABLE case_values ("
  "  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
  "  variable_id INTEGER NOT NULL REFERENCES variables (id) ON DELETE CASCADE,"
  "  number      REAL,"
  "  text        TEXT,"
  "  PRIMARY KEY (case_id, variable_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE case_links ("
  "  id          INTEGER PRIMARY KEY,"
  "  case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,"
  "  document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,"
  "  speaker_id  INTEGER REFERENCES speakers (id) ON DELETE CASCADE,"
  "  UNIQUE (case_id, document_id, speaker_id)"
  ");"

  "CREATE TABLE word_list ("
  "  word TEXT PRIMARY KEY"
  ") WITHOUT ROWID;"

  "CREATE TABLE pseudonyms ("
  "  id        INTEGER PRIMARY KEY,"
  "  real      TEXT NOT NULL UNIQUE,"
  "  pseudonym TEXT NOT NULL,"
  "  category  TEXT"
  ");"

  /* The index reads its text from documents (external content): the text is
   * stored once. Triggers keep it in step with edits and deletes; new
   * documents are indexed in one statement at the end of the transaction
   * that adds them (_cw_project_index_new_documents): an insert trigger
   * would flush a small index segment per document, which doubles the
   * time of a large import. */
  "CREATE VIRTUAL TABLE document_index USING fts5 ("
  "  text, content = 'documents', content_rowid = 'id',"
  "  tokenize = 'unicode61 remove_diacritics 2'"
  ");"
  "CREATE TRIGGER documents_after_delete AFTER DELETE ON documents BEGIN"
  "  INSERT INTO document_index (document_index, rowid, text) VALUES ('delete', old.id, old.text);"
  "END;"
  "CREATE TRIGGER documents_after_update AFTER UPDATE OF text ON documents BEGIN"
  "  INSERT INTO document_index (document_index, rowid, text) VALUES ('delete', old.id, old.text);"
  "  INSERT INTO document_index (rowid, text) VALUES (new.id, new.text);"
  "END;";

/* Version 2: undo history (cw-history.c) and indexes for memos. */
static const char schema_v2[] =
  "CREATE INDEX memos_by_coding ON memos (coding_id);"
  "CREATE INDEX memos_by_code ON memos (code_id);"
  "CREATE INDEX memos_by_document ON memos (document_id);";

/* Version 4: text corrections (cw-edit.c). While a burst of edits is open,
 * its document's index entry is left as it was and the text it was built
 * from kept in index_pending: re-indexing a long transcript per keystroke
 * costs more than the keystroke. The burst's end (or the next open, after
 * a crash) deletes the old entry with that text and indexes the new one.
 * The triggers follow: no re-index while pending, and a deleted document
 * takes its pending entry with it. */
static const char schema_v4[] =
  "CREATE TABLE IF NOT EXISTS index_pending ("
  "  document_id  INTEGER PRIMARY KEY,"
  "  indexed_text TEXT NOT NULL"
  ");"
  "DROP TRIGGER IF EXISTS documents_after_delete;"
  "DROP TRIGGER IF EXISTS documents_after_update;"
  "CREATE TRIGGER documents_after_delete AFTER DELETE ON documents BEGIN"
  "  INSERT INTO document_index (document_index, rowid, text) VALUES ('delete', old.id,"
  "    coalesce ((SELECT indexed_text FROM index_pending WHERE document_id = old.id), old.text));"
  "  DELETE FROM index_pending WHERE document_id = old.id;"
  "END;"
  "CREATE TRIGGER documents_after_update AFTER UPDATE OF text ON documents"
  " WHEN NOT EXISTS (SELECT 1 FROM index_pending WHERE document_id = old.id) BEGIN"
  "  INSERT INTO document_index (document_index, rowid, text) VALUES ('delete', old.id, old.text);"
  "  INSERT INTO document_index (rowid, text) VALUES (new.id, new.text);"
  "END;";

/* Version 5: recordings of documents (cw-media.c), referenced by path,
 * never copied; attaching and detaching are undoable. */
static const char schema_v5[] =
  "CREATE TABLE IF NOT EXISTS recordings ("
  "  document_id   INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,"
  "  stored_path   TEXT NOT NULL,"
  "  original_path TEXT NOT NULL,"
  "  kind          INTEGER,"
  "  content_type  TEXT"
  ");"
  /* Made afresh by install_v5, so that running it twice is harmless. */
  "DROP TRIGGER IF EXISTS recordings_history_insert;"
  "DROP TRIGGER IF EXISTS recordings_history_delete;"
  "DROP TRIGGER IF EXISTS recordings_history_update;";

/* Schema 5 on a project that has the history tables already. */
static gboolean
install_v5 (CwProject  *self,
            GError    **error)
{
  return _cw_project_exec (self, schema_v5, error) &&
         _cw_history_track_table (self, "recordings", error);
}

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

sqlite3 *
_cw_project_get_db (CwProject *self)
{
  return self->db;
}

void
_cw_project_set_db_error (CwProject   *self,
                          GError     **error,
                          const char  *what)
{
  int code = sqlite3_errcode (self->db);

  if (code == SQLITE_NOTADB)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                 _("%s: not a Codewerk project (not an SQLite database)"), self->path);
  else if ((code & 0xff) == SQLITE_CORRUPT)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 _("%s: the project file is damaged (%s)"), self->path, sqlite3_errmsg (self->db));
  else if (code == SQLITE_FULL)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 _("%s: the disk is full; nothing was changed"), self->path);
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 _("%s: the project is busy in another program; try again"), self->path);
  else if (code == SQLITE_READONLY)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 _("%s: the project file is read-only"), self->path);
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 "%s: %s: %s", self->path, what, sqlite3_errmsg (self->db));
}

sqlite3_stmt *
_cw_project_prepare (CwProject   *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  GPtrArray *idle = g_hash_table_lookup (self->statements, sql);

  if (idle != NULL && idle->len > 0)
    {
      self->n_cached--;
      return g_ptr_array_steal_index_fast (idle, idle->len - 1);
    }

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _cw_project_set_db_error (self, error, _("cannot read the project"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

void
_cw_statement_release (sqlite3_stmt *stmt)
{
  CwProject *owner;
  GPtrArray *idle;

  if (stmt == NULL)
    return;

  g_mutex_lock (&owners_lock);
  owner = owners != NULL ? g_hash_table_lookup (owners, sqlite3_db_handle (stmt)) : NULL;
  g_mutex_unlock (&owners_lock);

  if (owner == NULL || owner->n_cached >= MAX_CACHED_STATEMENTS)
    {
      sqlite3_finalize (stmt);
      return;
    }

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  idle = g_hash_table_lookup (owner->statements, sqlite3_sql (stmt));
  if (idle == NULL)
    {
      idle = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_finalize);
      g_hash_table_insert (owner->statements, g_strdup (sqlite3_sql (stmt)), idle);
    }
  g_ptr_array_add (idle, stmt);
  owner->n_cached++;
}

/* Called right after the connection opens, before its first statement. */
static void
register_owner (CwProject *self)
{
  /* Even the first read may find another program closing the file (its
   * last checkpoint) or recovering the WAL: wait for that, do not fail. */
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);

  g_mutex_lock (&owners_lock);
  if (owners == NULL)
    owners = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (owners, self->db, self);
  g_mutex_unlock (&owners_lock);
}

gboolean
_cw_project_exec (CwProject   *self,
                  const char  *sql,
                  GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_cw_project_run (CwProject   *self,
                 const char  *sql,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      /* The statement's error, before the reset in its release. */
      _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }
  return TRUE;
}

/* Frames the WAL keeps room for beyond the autocheckpoint's threshold:
 * the checkpoint runs after the commit that crosses it. */
#define WAL_HEADROOM_FRAMES 128
/* How far past the autocheckpoint's threshold the WAL may grow while
 * commits keep coming (see wal_hook_cb). */
#define CHECKPOINT_BACKLOG 2
/* The quiet after the last commit that the checkpoint thread waits for. */
#define CHECKPOINT_IDLE_US (50 * G_TIME_SPAN_MILLISECOND)
/* Grown only once a session has written this much: a single edit (the
 * command line's) does not pay for writing out a full-size WAL. */
#define WAL_PRESIZE_AFTER (256 * 1024)

static gint64
pragma_int (CwProject   *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the project"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

void
_cw_project_presize_wal (CwProject *self)
{
  static const char zeros[64 * 1024];
  sqlite3_file *wal = NULL;
  sqlite3_int64 size = 0;
  g_autoptr(sqlite3_stmt) mode = NULL;

  /* The journal's file, which in WAL mode is the -wal; its size is all
   * an edit looks at once the file is grown. */
  if (sqlite3_get_autocommit (self->db) ||
      sqlite3_file_control (self->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK ||
      wal == NULL || wal->pMethods == NULL || wal->pMethods->xFileSize (wal, &size) != SQLITE_OK ||
      size < WAL_PRESIZE_AFTER || (self->wal_target > 0 && size >= self->wal_target))
    return;
  if (self->wal_target == 0)
    {
      gint64 page_size = pragma_int (self, "PRAGMA page_size", NULL);
      /* With our wal hook the pragma says 0 (no autocheckpoint). */
      gint64 frames = self->checkpoint_frames > 0 ? self->checkpoint_frames
                                                  : pragma_int (self, "PRAGMA wal_autocheckpoint", NULL);

      if (page_size <= 0 || frames <= 0)
        return;
      /* During a burst of commits our checkpoints wait (wal_hook_cb):
       * the WAL holds up to CHECKPOINT_BACKLOG times the threshold. */
      if (self->checkpoint_frames > 0)
        frames *= CHECKPOINT_BACKLOG;
      self->wal_target = 32 + (frames + WAL_HEADROOM_FRAMES) * (page_size + 24);
      if (size >= self->wal_target)
        return;
    }
  mode = _cw_project_prepare (self, "PRAGMA journal_mode", NULL);
  if (mode == NULL || sqlite3_step (mode) != SQLITE_ROW ||
      g_ascii_strcasecmp ((const char *) sqlite3_column_text (mode, 0), "wal") != 0)
    return;
  g_clear_pointer (&mode, _cw_statement_release);

  /* Only past the end, and with the write lock held: no other connection
   * appends meanwhile, readers read only frames below the end, and
   * recovery stops at the first frame that is not valid (zeros are not). */
  while (size < self->wal_target)
    {
      int n = (int) MIN ((sqlite3_int64) sizeof zeros, self->wal_target - size);

      if (wal->pMethods->xWrite (wal, zeros, n, size) != SQLITE_OK)
        return;
      size += n;
    }
  wal->pMethods->xSync (wal, SQLITE_SYNC_NORMAL);
}

/* Checkpoints off the commit path. SQLite's autocheckpoint runs in the
 * commit after which the WAL holds wal_autocheckpoint frames: that commit
 * copies a few hundred pages into the file and syncs it (5 ms at scale 1,
 * 10-12 ms at scale 10 on the benchmark's disk). Instead, a thread of
 * ours with its own connection runs the same PASSIVE checkpoint once no
 * commit came for CHECKPOINT_IDLE_US: between a user's codings, and
 * never with its sync competing against a burst of commits for the disk.
 * The WAL starts again from its beginning only when a checkpoint has
 * copied all of it before the next transaction begins: a commit that
 * came during the thread's checkpoint copies what it added itself. A
 * burst of commits (a script, the benchmark) lets the WAL grow to
 * CHECKPOINT_BACKLOG times the threshold, and then the commit
 * checkpoints, as SQLite would: the WAL stays bounded. Durability is
 * unchanged: a commit's frames are synced before it returns, whoever
 * copies them later. */
typedef struct _Checkpointer
{
  GMutex    lock;
  GCond     cond;     /* wanted or stop set; running cleared */
  gboolean  wanted;
  gboolean  running;
  gboolean  stop;
  gint64    last_commit; /* monotonic time */
  guint     passes;   /* since the WAL last started again */
  char     *path;
  GThread  *thread;
} Checkpointer;

static gpointer
checkpointer_run (gpointer data)
{
  Checkpointer *c = data;
  sqlite3 *db = NULL;

  g_mutex_lock (&c->lock);
  for (;;)
    {
      while (!c->wanted && !c->stop)
        g_cond_wait (&c->cond, &c->lock);
      /* Until the commits pause (or a commit took the work over). */
      while (c->wanted && !c->stop && g_get_monotonic_time () < c->last_commit + CHECKPOINT_IDLE_US)
        g_cond_wait_until (&c->cond, &c->lock, c->last_commit + CHECKPOINT_IDLE_US);
      if (c->stop)
        break;
      if (!c->wanted)
        continue;
      c->wanted = FALSE;
      c->running = TRUE;
      g_mutex_unlock (&c->lock);

      if (db == NULL)
        {
          /* Syncs as every connection of ours (the WAL before the pages are
           * copied, the file after); never writes a transaction. */
          if (sqlite3_open_v2 (c->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
              sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
            g_clear_pointer (&db, sqlite3_close);
          else
            sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
        }
      /* Busy (another checkpoint running) or failed: the commits after
       * copy what is left. */
      if (db != NULL)
        sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

      g_mutex_lock (&c->lock);
      c->running = FALSE;
      c->passes++;
      g_cond_broadcast (&c->cond);
    }
  g_mutex_unlock (&c->lock);
  if (db != NULL)
    sqlite3_close (db);
  return NULL;
}

static void
checkpointer_stop (Checkpointer *c)
{
  g_mutex_lock (&c->lock);
  c->stop = TRUE;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  if (c->thread != NULL)
    g_thread_join (c->thread);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
  g_free (c->path);
  g_free (c);
}

static Checkpointer *
checkpointer_new (const char *path)
{
  Checkpointer *c = g_new0 (Checkpointer, 1);

  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->path = g_strdup (path);
  c->thread = g_thread_try_new ("cw-checkpoint", checkpointer_run, c, NULL);
  if (c->thread == NULL)
    g_clear_pointer (&c, checkpointer_stop);
  return c;
}

/* Runs after every commit, on the committing connection's thread, with
 * the frames the WAL now holds (all of them, copied or not). */
static int
wal_hook_cb (void       *data,
             sqlite3    *db,
             const char *db_name,
             int         frames)
{
  CwProject *self = data;
  Checkpointer *c;
  gboolean copy_here;

  if (strcmp (db_name, "main") != 0)
    {
      if (frames >= self->checkpoint_frames)
        sqlite3_wal_checkpoint (db, db_name);
      return SQLITE_OK;
    }
  c = self->checkpointer;
  if (frames < self->checkpoint_frames)
    {
      /* The WAL started again. */
      if (c != NULL)
        {
          g_mutex_lock (&c->lock);
          c->passes = 0;
          g_mutex_unlock (&c->lock);
        }
      return SQLITE_OK;
    }
  if (c == NULL && (c = self->checkpointer = checkpointer_new (sqlite3_db_filename (db, "main"))) == NULL)
    {
      sqlite3_wal_checkpoint (db, db_name);
      return SQLITE_OK;
    }

  g_mutex_lock (&c->lock);
  c->last_commit = g_get_monotonic_time ();
  if (frames >= self->checkpoint_frames * CHECKPOINT_BACKLOG)
    {
      c->wanted = FALSE;
      while (c->running)
        g_cond_wait (&c->cond, &c->lock);
      copy_here = TRUE;
    }
  else if (c->wanted || c->running)
    copy_here = FALSE;
  else if (c->passes == 0)
    {
      c->wanted = TRUE;
      g_cond_broadcast (&c->cond);
      copy_here = FALSE;
    }
  else
    copy_here = TRUE;   /* what came while the thread copied the rest */
  g_mutex_unlock (&c->lock);

  if (copy_here)
    sqlite3_wal_checkpoint (db, db_name);
  return SQLITE_OK;
}

/* Takes the autocheckpoint over (once per connection, before its first
 * write): keeps its threshold, checkpoints in our thread. */
static void
take_over_checkpoints (CwProject *self)
{
  gint64 frames;

  self->checkpoint_looked = TRUE;
  frames = pragma_int (self, "PRAGMA wal_autocheckpoint", NULL);
  if (frames <= 0 || frames > G_MAXINT / CHECKPOINT_BACKLOG)
    return;
  self->checkpoint_frames = frames;
  sqlite3_wal_hook (self->db, wal_hook_cb, self);
}

gboolean
_cw_project_begin (CwProject  *self,
                   GError    **error)
{
  if (!self->checkpoint_looked)
    take_over_checkpoints (self);
  /* IMMEDIATE takes the write lock now, so a concurrent writer makes us
   * wait (busy_timeout) instead of failing halfway through. */
  return _cw_project_run (self, "BEGIN IMMEDIATE", error);
}

gboolean
_cw_project_commit (CwProject  *self,
                    GError    **error)
{
  if (!_cw_project_run (self, "COMMIT", error))
    {
      _cw_project_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_cw_project_rollback (CwProject *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
cw_project_finalize (GObject *object)
{
  CwProject *self = CW_PROJECT (object);

  if (self->db != NULL)
    {
      g_mutex_lock (&owners_lock);
      if (owners != NULL)
        g_hash_table_remove (owners, self->db);
      g_mutex_unlock (&owners_lock);
    }
  g_clear_object ((CwProject **) &self->spare_reader);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  /* Its connection closes first: ours, the last, checkpoints as always. */
  g_clear_pointer (&self->checkpointer, checkpointer_stop);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->txn_codings, g_array_unref);
  g_clear_pointer (&self->committed_codings, g_array_unref);
  g_free (self->path);
  g_free (self->title);
  g_free (self->file_key);

  G_OBJECT_CLASS (cw_project_parent_class)->finalize (object);
}

static void
cw_project_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CwProject *self = CW_PROJECT (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_project_class_init (CwProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cw_project_finalize;
  object_class->get_property = cw_project_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwProject::changed:
   *
   * Emitted after an edit through this object (or undo/redo) committed,
   * and after cw_project_poll_external_change() found another
   * connection's commit (then after ::external-change).
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * CwProject::document-text-changed:
   * @document_id: the edited document, 0 when any may have changed (undo)
   *
   * Emitted after an edit of a document's text committed (cw-edit.h):
   * every keystroke of a burst, a replace-all, an undo or redo.
   */
  signals[DOCUMENT_TEXT_CHANGED] =
    g_signal_new ("document-text-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * CwProject::external-change:
   * @other_program: TRUE when the commit came from another program; FALSE
   *   when it may have come from another connection of this process (a
   *   worker, another window on the same file)
   *
   * Emitted by cw_project_poll_external_change() when another connection
   * committed to the file since the last poll. ::document-text-changed
   * (0) and ::changed follow, so everything that follows those reloads.
   */
  signals[EXTERNAL_CHANGE] =
    g_signal_new ("external-change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static gint64 read_data_version    (CwProject *self,
                                    int        busy_ms);
static void   check_codings_layout (CwProject *self);

/* Hands what was committed since the last emission over to the emission
 * about to start; NULL when that is not known for sure. */
static GArray *
take_coding_changes (CwProject *self)
{
  g_autoptr(GArray) changes = g_steal_pointer (&self->committed_codings);
  gboolean other = self->committed_other;
  gint64 version;

  self->committed_codings = g_array_new (FALSE, FALSE, sizeof (CwCodingChange));
  self->committed_other = FALSE;

  /* Another connection's commit (a worker's, another program's) is not in
   * what our hooks saw; nor is a transaction still open. */
  version = read_data_version (self, 0);
  if (version < 0 || version != self->changes_version)
    other = TRUE;
  self->changes_version = version;
  if (self->codings_layout == 0)
    check_codings_layout (self);
  if (other || self->codings_layout <= 0 || !sqlite3_get_autocommit (self->db))
    return NULL;
  return g_steal_pointer (&changes);
}

void
_cw_project_emit_changed (CwProject *self)
{
  /* Owned here, so that it outlives a nested emission (a handler that
   * edits again): changed_first_cb lends it to this emission only. */
  g_autoptr(GArray) changes = take_coding_changes (self);

  self->handed_over = changes;
  g_signal_emit (self, signals[CHANGED], 0);
  self->handed_over = NULL;
  self->coding_changes = NULL;
}

/* Connected first, so it runs before every other handler of every
 * emission: what this one is about is what _cw_project_emit_changed handed
 * over for it; a "changed" emitted by anyone else is about anything. */
static void
changed_first_cb (CwProject *self,
                  gpointer   data)
{
  self->coding_changes = self->handed_over;
  self->handed_over = NULL;
}

GArray *
cw_project_get_coding_changes (CwProject *self)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  return self->coding_changes;
}

/* Before every row change made through this connection, triggers and
 * cascades included (WITHOUT ROWID tables too, unlike the update hook). */
static void
preupdate_cb (void          *data,
              sqlite3       *db,
              int            op,
              const char    *db_name,
              const char    *table,
              sqlite3_int64  old_key,
              sqlite3_int64  new_key)
{
  CwProject *self = data;
  CwCodingChange change = { 0 };
  sqlite3_value *value;

  /* temp tables are no project data; the history is bookkeeping. */
  if (strcmp (db_name, "main") != 0)
    return;
  if (strcmp (table, "history_steps") == 0)
    self->txn_steps = TRUE;
  if (self->txn_other)
    return;
  if (strcmp (table, "codings") != 0)
    {
      if (!g_str_has_prefix (table, "history"))
        self->txn_other = TRUE;
      return;
    }
  if (self->txn_codings->len >= MAX_CODING_CHANGES || (op == SQLITE_UPDATE && old_key != new_key))
    {
      self->txn_other = TRUE;
      return;
    }

  change.coding_id = op == SQLITE_INSERT ? new_key : old_key;
  if (op != SQLITE_INSERT)
    {
      if (sqlite3_preupdate_old (db, 2, &value) == SQLITE_OK)
        change.old_document_id = sqlite3_value_int64 (value);
      if (sqlite3_preupdate_old (db, 3, &value) == SQLITE_OK)
        change.old_code_id = sqlite3_value_int64 (value);
    }
  if (op != SQLITE_DELETE)
    {
      if (sqlite3_preupdate_new (db, 2, &value) == SQLITE_OK)
        change.new_document_id = sqlite3_value_int64 (value);
      if (sqlite3_preupdate_new (db, 3, &value) == SQLITE_OK)
        change.new_code_id = sqlite3_value_int64 (value);
    }
  g_array_append_val (self->txn_codings, change);
}

/* A rolled back transaction changed nothing. (A statement that failed
 * inside a transaction that commits may leave changes listed that did not
 * happen: readers look at the rows.) */
static void
rollback_hook_cb (void *data)
{
  CwProject *self = data;

  g_array_set_size (self->txn_codings, 0);
  self->txn_other = FALSE;
  self->txn_steps = FALSE;
}

/* The hooks read the document (column 2) and the code (3) of codings.
 * Looked at once there is a schema (a new project has none yet). */
static void
check_codings_layout (CwProject *self)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT * FROM codings LIMIT 0", -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return;
    }
  self->codings_layout = sqlite3_column_count (stmt) > 3 &&
                         g_strcmp0 (sqlite3_column_name (stmt, 2), "document_id") == 0 &&
                         g_strcmp0 (sqlite3_column_name (stmt, 3), "code_id") == 0 ? 1 : -1;
  sqlite3_finalize (stmt);
}

static void
watch_codings (CwProject *self)
{
  sqlite3_preupdate_hook (self->db, preupdate_cb, self);
  sqlite3_rollback_hook (self->db, rollback_hook_cb, self);
  self->changes_version = self->data_version;
}

void
_cw_project_emit_document_text_changed (CwProject *self,
                                        gint64     document_id)
{
  g_signal_emit (self, signals[DOCUMENT_TEXT_CHANGED], 0, document_id);
}

/* Commits */

/* This process's commits to key so far. Call with owners_lock held. */
static guint64 *
local_count (const char *key)
{
  guint64 *count;

  if (local_commits == NULL)
    local_commits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  count = g_hash_table_lookup (local_commits, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (local_commits, g_strdup (key), count);
    }
  return count;
}

/* Commits to the file by this process's other connections (workers,
 * other windows), as far as this connection knows. */
static guint64
others_in_process (CwProject *self)
{
  guint64 total;

  g_mutex_lock (&owners_lock);
  total = *local_count (self->file_key);
  g_mutex_unlock (&owners_lock);
  return total - self->own_commits;
}

/* Runs on the connection's own thread just before a commit. */
static int
commit_hook_cb (void *data)
{
  CwProject *self = data;

  /* Read-only transactions end through here too. */
  if (sqlite3_txn_state (self->db, NULL) != SQLITE_TXN_WRITE)
    return 0;
  self->own_commits++;
  if (self->txn_steps)
    self->steps_commits++;
  self->txn_steps = FALSE;
  g_array_append_vals (self->committed_codings, self->txn_codings->data, self->txn_codings->len);
  self->committed_other |= self->txn_other;
  if (self->committed_codings->len > MAX_CODING_CHANGES)
    self->committed_other = TRUE;
  g_array_set_size (self->txn_codings, 0);
  self->txn_other = FALSE;
  g_mutex_lock (&owners_lock);
  (*local_count (self->file_key))++;
  g_mutex_unlock (&owners_lock);
  return 0;
}

void
_cw_project_get_commit_counts (CwProject *self,
                               guint64   *own,
                               guint64   *steps)
{
  *own = self->own_commits;
  *steps = self->steps_commits;
}

/* PRAGMA data_version, which moves when another connection commits;
 * -1 when the file is busy (busy_ms: how long to wait) or unreadable. */
static gint64
read_data_version (CwProject *self,
                   int        busy_ms)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_busy_timeout (self->db, busy_ms);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _cw_statement_release);
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  return version;
}

static void
watch_commits (CwProject *self)
{
  g_free (self->file_key);
  self->file_key = g_canonicalize_filename (self->path, NULL);
  self->own_commits = 0;
  /* A new connection: undo steps kept in memory are looked at again. */
  self->steps_commits++;
  sqlite3_commit_hook (self->db, commit_hook_cb, self);
  self->data_version = read_data_version (self, BUSY_TIMEOUT_MS);
  self->local_seen = others_in_process (self);
}

gboolean
cw_project_poll_external_change (CwProject *self)
{
  gint64 version;
  guint64 others;
  gboolean other_program;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  /* Inside a transaction the version is that of its snapshot. */
  if (self->file_key == NULL || !sqlite3_get_autocommit (self->db))
    return FALSE;

  /* Never wait here: this runs on the window's main loop, and a file that
   * is busy now is looked at again on the next poll. */
  version = read_data_version (self, 0);
  if (version < 0)
    return FALSE;
  others = others_in_process (self);
  if (self->data_version < 0)
    {
      self->data_version = version;
      self->local_seen = others;
      return FALSE;
    }
  if (version == self->data_version)
    return FALSE;

  /* Our count moves before the commit is visible (the hook runs first):
   * it is updated only together with the version, so a commit of ours
   * never passes for another program's. */
  other_program = others == self->local_seen;
  self->data_version = version;
  self->local_seen = others;

  g_signal_emit (self, signals[EXTERNAL_CHANGE], 0, other_program);
  _cw_project_emit_document_text_changed (self, 0);
  _cw_project_emit_changed (self);
  return TRUE;
}

static void
cw_project_init (CwProject *self)
{
  self->data_version = -1;
  self->changes_version = -1;
  self->txn_codings = g_array_new (FALSE, FALSE, sizeof (CwCodingChange));
  self->committed_codings = g_array_new (FALSE, FALSE, sizeof (CwCodingChange));
  g_signal_connect (self, "changed", G_CALLBACK (changed_first_cb), NULL);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
}

/* Pragmas for every connection. synchronous=FULL: a committed coding
 * survives a power cut. */
static gboolean
configure_connection (CwProject  *self,
                      GError    **error)
{
  sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (self->db, FALSE);
  if (!_cw_project_exec (self,
                         "PRAGMA foreign_keys = ON;"
                         "PRAGMA synchronous = FULL;"
                         "PRAGMA temp_store = MEMORY;"
                         "PRAGMA cache_size = -16000;",
                         error) ||
      !_cw_search_register (self->db, error))
    return FALSE;
  watch_commits (self);
  watch_codings (self);
  return TRUE;
}

static gboolean
load_title (CwProject  *self,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT value FROM project WHERE key = 'title'", error);

  if (stmt == NULL)
    return FALSE;
  g_clear_pointer (&self->title, g_free);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (self->title == NULL || *self->title == '\0')
    {
      g_autofree char *base = g_path_get_basename (self->path);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      g_free (self->title);
      self->title = g_strdup (base);
    }
  return TRUE;
}

static gboolean
set_meta (CwProject   *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "INSERT OR REPLACE INTO project (key, value) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }
  return TRUE;
}

static void
remove_database_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* Removes what a crash in cw_project_create left beside path: an empty
 * project under NAME.creating-XXXXXX. Files touched in the last minute may
 * belong to a create that is running now. */
static void
remove_stale_creations (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".creating-", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *file = NULL;
      GStatBuf st;

      if (!g_str_has_prefix (name, prefix) || strlen (name) != strlen (prefix) + 6)
        continue;
      file = g_build_filename (dir, name, NULL);
      if (g_lstat (file, &st) == 0 && S_ISREG (st.st_mode) && now - (gint64) st.st_mtime > 60)
        remove_database_files (file);
    }
}

/* Writes a new project's schema into the empty file at path (which it
 * removes again on failure). */
static CwProject *
create_in (const char  *path,
           const char  *title,
           gboolean     unsynced,
           GError     **error)
{
  g_autoptr(CwProject) self = NULL;
  g_autofree char *created = now_iso8601 ();
  g_autofree char *guid = g_uuid_string_random ();
  g_autofree char *sql = NULL;

  self = g_object_new (CW_TYPE_PROJECT, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      _cw_project_set_db_error (self, error, _("cannot create the project"));
      g_clear_object (&self);
      remove_database_files (path);
      return NULL;
    }
  register_owner (self);

  sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                         CW_PROJECT_APPLICATION_ID, CW_PROJECT_SCHEMA_VERSION);

  /* unsynced: a file that is thrown away on failure and synced by its
   * maker when done needs neither a journal on disk nor syncing. */
  if (!_cw_project_exec (self, unsynced ? "PRAGMA journal_mode = MEMORY" : "PRAGMA journal_mode = WAL", error) ||
      !configure_connection (self, error) ||
      (unsynced && !_cw_project_exec (self, "PRAGMA synchronous = OFF", error)) ||
      !_cw_project_begin (self, error) ||
      !_cw_project_exec (self, schema_v1, error) ||
      !_cw_project_exec (self, schema_v2, error) ||
      !_cw_history_install (self, error) ||
      !_cw_project_exec (self, schema_v4, error) ||
      !install_v5 (self, error) ||
      !_cw_project_exec (self, sql, error) ||
      !set_meta (self, "title", title, error) ||
      !set_meta (self, "guid", guid, error) ||
      !set_meta (self, "created_at", created, error) ||
      !set_meta (self, "created_by", "Codewerk " PACKAGE_VERSION, error) ||
      !_cw_project_commit (self, error) ||
      !load_title (self, error))
    {
      _cw_project_rollback (self);
      g_clear_object (&self);
      remove_database_files (path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

CwProject *
_cw_project_create_in_place (const char  *path,
                             const char  *title,
                             GError     **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* O_EXCL: never overwrite a file, even one that appears meanwhile. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                     _("%s: the file already exists; choose another name"), path);
      else
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                     _("%s: cannot create the project: %s"), path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return create_in (path, title, TRUE, error);
}

CwProject *
cw_project_create (const char  *path,
                   const char  *title,
                   GError     **error)
{
  g_autoptr(CwProject) self = NULL;
  g_autofree char *temp_path = NULL;
  g_autofree char *temp_wal = NULL;
  g_autofree char *temp_shm = NULL;
  int fd, saved;

  g_return_val_if_fail (path != NULL, NULL);

  /* Never overwrite a project (checked here, and again by the rename at the
   * end for one that appears meanwhile). */
  if (g_file_test (path, G_FILE_TEST_EXISTS) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("%s: the file already exists; choose another name"), path);
      return NULL;
    }

  /* Built under a temporary name beside path and renamed into place when
   * complete: a crash halfway leaves no half-made file that is no project
   * and blocks the name (test-crash). */
  remove_stale_creations (path);
  temp_path = g_strconcat (path, ".creating-XXXXXX", NULL);
  fd = g_mkstemp_full (temp_path, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: cannot create the project: %s"), path, g_strerror (saved));
      return NULL;
    }
  close (fd);

  self = create_in (temp_path, title, FALSE, error);
  if (self == NULL)
    return NULL;
  /* Everything into the file itself: the -wal keeps its temporary name. */
  if (!_cw_project_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    {
      g_clear_object (&self);
      remove_database_files (temp_path);
      return NULL;
    }
  g_clear_object (&self);

  temp_wal = g_strconcat (temp_path, "-wal", NULL);
  temp_shm = g_strconcat (temp_path, "-shm", NULL);
  if (g_file_test (temp_wal, G_FILE_TEST_EXISTS))
    {
      GStatBuf st;

      if (g_stat (temp_wal, &st) != 0 || st.st_size > 0)
        {
          remove_database_files (temp_path);
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                       _("%s: cannot create the project: %s"), path, _("the new file was not written completely"));
          return NULL;
        }
    }
  /* An empty -wal and the -shm, if the close left them. */
  g_unlink (temp_wal);
  g_unlink (temp_shm);

  saved = _cw_rename_no_replace (temp_path, path);
  if (saved != 0)
    {
      remove_database_files (temp_path);
      if (saved == EEXIST)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                     _("%s: the file already exists; choose another name"), path);
      else
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                     _("%s: cannot create the project: %s"), path, g_strerror (saved));
      return NULL;
    }
  _cw_sync_directory_of (path);

  return cw_project_open (path, error);
}

/* Listing the documents reads columns stored after each document's text,
 * and without an index that holds them SQLite walks the overflow pages of
 * every text to get there: 75 MB for 2,000 transcripts, 0.1 s each time
 * the window, retrieval or agreement lists them. Created in new projects
 * and in older ones on first open; only an index, so older versions of
 * Codewerk read the file as before. Best effort: a file that cannot be
 * written just goes without. */
static void
ensure_listing_index (CwProject *self)
{
  if (sqlite3_db_readonly (self->db, "main") == 1)
    return;
  sqlite3_exec (self->db,
                "CREATE INDEX IF NOT EXISTS documents_listing ON documents"
                " (id, guid, name, kind, original_name, imported_at, characters, language, media_path, position)",
                NULL, NULL, NULL);
}

gboolean
_cw_project_has_listing_index (CwProject *self)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self,
                                                      "SELECT 1 FROM sqlite_master"
                                                      " WHERE type = 'index' AND name = 'documents_listing'",
                                                      NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW;
}

/* Forward migrations, one transaction for all of them: a project is
 * either at the old version or at this one. */
static gboolean
migrate (CwProject  *self,
         gint64      version,
         GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA user_version = %d", CW_PROJECT_SCHEMA_VERSION);

  if (!_cw_project_begin (self, error))
    return FALSE;
  /* 1 -> 2: undo history. */
  if (version < 2 && (!_cw_project_exec (self, schema_v2, error) || !_cw_history_install (self, error)))
    goto failed;
  /* 2 -> 3: the cohort tables become undoable. A project made at version 1
   * got them with _cw_history_install above. */
  if (version == 2)
    {
      static const char *const cohort_tables[] = {
        "cases", "variables", "value_labels", "case_values", "case_links",
      };

      for (guint i = 0; i < G_N_ELEMENTS (cohort_tables); i++)
        if (!_cw_history_track_table (self, cohort_tables[i], error))
          goto failed;
    }
  /* 3 -> 4: text corrections; updates of documents and turns become
   * undoable (version 1 got that from _cw_history_install). */
  if (version >= 2 && version < 4 && !_cw_history_track_text (self, error))
    goto failed;
  if (version < 4 && !_cw_project_exec (self, schema_v4, error))
    goto failed;
  /* 4 -> 5: recordings. */
  if (version < 5 && !install_v5 (self, error))
    goto failed;
  if (!_cw_project_exec (self, sql, error) || !_cw_project_commit (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_rollback (self);
  g_prefix_error (error, _("%s: cannot update the project to this version of Codewerk: "), self->path);
  return FALSE;
}

/* Reads the start of path and its size through SQLite's own file layer.
 * A plain open() and close() of the project would drop every POSIX lock
 * this process holds on it (the window's connection, while a worker opens
 * its own): another program closing the file would then think itself the
 * last one and checkpoint and delete the WAL under us. SQLite keeps such a
 * descriptor open until its locks are gone. Returns errno, 0 on success. */
int
_cw_rename_no_replace (const char *from,
                       const char *to)
{
  int saved;

#ifdef RENAME_NOREPLACE
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  saved = errno;
  if (saved != EINVAL && saved != ENOSYS && saved != ENOTSUP)
    return saved;
#endif
  if (link (from, to) == 0)
    {
      g_unlink (from);
      return 0;
    }
  saved = errno;
  if (saved == EEXIST || g_file_test (to, G_FILE_TEST_EXISTS))
    return EEXIST;
  if (g_rename (from, to) == 0)
    return 0;
  return errno;
}

void
_cw_sync_directory_of (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

int
_cw_read_file_start (const char *path,
                     guchar     *buffer,
                     gssize      length,
                     gssize     *n_read,
                     gint64     *size)
{
  sqlite3_vfs *vfs = sqlite3_vfs_find (NULL);
  sqlite3_file *file = g_malloc0 (vfs->szOsFile);
  g_autofree char *full = g_malloc0 (vfs->mxPathname + 1);
  sqlite3_int64 file_size = 0;
  int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB;
  int rc, saved;

  errno = 0;
  /* The name as SQLite itself would give it to the file layer. */
  rc = vfs->xFullPathname (vfs, path, vfs->mxPathname + 1, full);
  if ((rc & 0xff) == SQLITE_OK) /* SQLITE_OK_SYMLINK: a link resolved */
    rc = vfs->xOpen (vfs, full, file, flags, &flags);
  saved = errno != 0 ? errno : EIO;
  if (rc == SQLITE_OK)
    rc = file->pMethods->xFileSize (file, &file_size);
  *n_read = MIN (length, (gssize) MAX (file_size, 0));
  if (rc == SQLITE_OK && *n_read > 0)
    rc = file->pMethods->xRead (file, buffer, (int) *n_read, 0);
  if (file->pMethods != NULL)
    file->pMethods->xClose (file);
  g_free (file);
  *size = file_size;
  return rc == SQLITE_OK ? 0 : saved;
}

/* The SQLite header, read before SQLite opens the file (which could write
 * to it): not SQLite, or cut short, is refused without touching it. With a
 * -wal or -journal beside the file the header may lag behind; SQLite
 * judges then. */
static gboolean
check_header (const char  *path,
              GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *journal = g_strconcat (path, "-journal", NULL);
  guchar header[100];
  GStatBuf wal_info;
  guint64 page_size, pages;
  gint64 size = 0;
  gssize n = 0;
  int saved;

  saved = _cw_read_file_start (path, header, sizeof header, &n, &size);
  if (saved != 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  if (size == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project (the file is empty)"), path);
      return FALSE;
    }
  if (n != sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project (not an SQLite database)"), path);
      return FALSE;
    }
  if ((g_stat (wal, &wal_info) == 0 && wal_info.st_size > 0) ||
      (g_stat (journal, &wal_info) == 0 && wal_info.st_size > 0))
    return TRUE;
  /* Bytes 16-17: the page size (1 means 65536); 28-31: the page count,
   * valid when the change counter (24-27) equals bytes 92-95. */
  page_size = (guint64) header[16] << 8 | header[17];
  if (page_size == 1)
    page_size = 65536;
  pages = (guint64) header[28] << 24 | (guint64) header[29] << 16 | (guint64) header[30] << 8 | header[31];
  if (memcmp (header + 24, header + 92, 4) == 0 && pages > 0 && page_size >= 512 &&
      (guint64) size < pages * page_size)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: the project file is damaged (cut short)"), path);
      return FALSE;
    }
  return TRUE;
}

/* The tables every project has had since schema 1; a file tagged as ours
 * without them is refused before anything is written to it. */
static gboolean
has_project_tables (CwProject  *self,
                    GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 n = pragma_int (self,
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                         " name IN ('project', 'documents', 'turns', 'codes', 'codings')", &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return n == 5;
}

static CwProject *open_project (const char  *path,
                                gboolean     listing_index,
                                GError     **error);

CwProject *
cw_project_open (const char  *path,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_project (path, TRUE, error);
}

CwProject *
_cw_project_open_without_listing_index (const char  *path,
                                        GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return open_project (path, FALSE, error);
}

static CwProject *
open_project (const char  *path,
              gboolean     listing_index,
              GError     **error)
{
  g_autoptr(CwProject) self = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 application_id, version;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no such project file"), path);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project (not a regular file)"), path);
      return NULL;
    }

  if (!check_header (path, error))
    return NULL;

  self = g_object_new (CW_TYPE_PROJECT, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
    {
      _cw_project_set_db_error (self, error, _("cannot open the project"));
      return NULL;
    }
  register_owner (self);

  /* Look before touching anything: a file that is not ours is left alone.
   * -1 is a value (any 32-bit number can be there), not only a failure. */
  application_id = pragma_int (self, "PRAGMA application_id", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (application_id != CW_PROJECT_APPLICATION_ID)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project"), path);
      return NULL;
    }

  version = pragma_int (self, "PRAGMA user_version", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (version > CW_PROJECT_SCHEMA_VERSION)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NEWER_VERSION,
                   _("%s: made by a newer version of Codewerk (project format %lld, this version reads up to %d); please update Codewerk"),
                   path, (long long) version, CW_PROJECT_SCHEMA_VERSION);
      return NULL;
    }
  if (version < 1 || !has_project_tables (self, error))
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                     _("%s: not a Codewerk project (incomplete project file)"), path);
      return NULL;
    }

  if (!configure_connection (self, error))
    return NULL;

  if (version < CW_PROJECT_SCHEMA_VERSION && !migrate (self, version, error))
    return NULL;
  if (listing_index)
    ensure_listing_index (self);

  if (!_cw_edit_recover (self, error))
    return NULL;

  if (!load_title (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cw_project_get_path (CwProject *self)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  return self->path;
}

const char *
cw_project_get_title (CwProject *self)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  return self->title;
}

gboolean
cw_project_set_title (CwProject   *self,
                      const char  *title,
                      GError     **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!_cw_project_begin (self, error))
    return FALSE;
  if (!set_meta (self, "title", title, error) || !_cw_project_commit (self, error))
    {
      _cw_project_rollback (self);
      return FALSE;
    }
  load_title (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  return TRUE;
}

/* Documents */

void
cw_document_info_free (CwDocumentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->guid);
  g_free (info->name);
  g_free (info->original_name);
  g_free (info->imported_at);
  g_strfreev (info->speakers);
  g_free (info);
}

CwDocumentInfo *
cw_document_info_copy (const CwDocumentInfo *info)
{
  CwDocumentInfo *copy = g_new0 (CwDocumentInfo, 1);

  *copy = *info;
  copy->guid = g_strdup (info->guid);
  copy->name = g_strdup (info->name);
  copy->original_name = g_strdup (info->original_name);
  copy->imported_at = g_strdup (info->imported_at);
  copy->speakers = g_strdupv (info->speakers);
  return copy;
}

void
cw_document_free (CwDocument *document)
{
  if (document == NULL)
    return;
  cw_document_info_free (document->info);
  g_free (document->text);
  g_clear_pointer (&document->turns, g_ptr_array_unref);
  g_free (document);
}

#define DOCUMENT_COLUMNS \
  "d.id, d.guid, d.name, d.kind, d.original_name, d.imported_at, d.characters," \
  " (SELECT count(*) FROM turns t WHERE t.document_id = d.id)"
/* Counting the turns reads every document's part of the turns index: most
 * of a listing's cost on a large project. */
#define DOCUMENT_COLUMNS_BRIEF \
  "d.id, d.guid, d.name, d.kind, d.original_name, d.imported_at, d.characters, 0"

static CwDocumentInfo *
document_info_from_row (sqlite3_stmt *stmt)
{
  CwDocumentInfo *info = g_new0 (CwDocumentInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  info->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (!cw_document_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &info->kind))
    info->kind = CW_DOCUMENT_KIND_OTHER;
  info->original_name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  info->imported_at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  info->characters = sqlite3_column_int64 (stmt, 6);
  info->n_turns = sqlite3_column_int (stmt, 7);
  return info;
}

/* Fills in speakers for the documents in infos (keyed by id). */
static gboolean
load_speakers (CwProject   *self,
               GPtrArray   *infos,
               gint64       only_document,
               GError     **error)
{
  g_autoptr(GHashTable) lists = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _cw_project_prepare (self,
                              only_document > 0
                              ? "SELECT document_id, name FROM speakers WHERE document_id = ?1 ORDER BY id"
                              : "SELECT document_id, name FROM speakers ORDER BY document_id, id",
                              error);
  if (stmt == NULL)
    return FALSE;
  if (only_document > 0)
    sqlite3_bind_int64 (stmt, 1, only_document);

  for (guint i = 0; i < infos->len; i++)
    {
      CwDocumentInfo *info = g_ptr_array_index (infos, i);
      g_hash_table_insert (lists, &info->id, g_ptr_array_new ());
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      GPtrArray *list = g_hash_table_lookup (lists, &id);

      if (list != NULL)
        g_ptr_array_add (list, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the speakers"));
      return FALSE;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      CwDocumentInfo *info = g_ptr_array_index (infos, i);
      GPtrArray *list = g_hash_table_lookup (lists, &info->id);

      g_ptr_array_add (list, NULL);
      info->speakers = g_memdup2 (list->pdata, sizeof (char *) * list->len);
    }
  return TRUE;
}

static GPtrArray *
list_documents (CwProject   *self,
                const char  *sql,
                GError     **error)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_document_info_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _cw_project_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (infos, document_info_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot list the documents"));
      return NULL;
    }
  if (!load_speakers (self, infos, 0, error))
    return NULL;
  return g_steal_pointer (&infos);
}

GPtrArray *
cw_project_list_documents (CwProject  *self,
                           GError    **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  return list_documents (self, "SELECT " DOCUMENT_COLUMNS " FROM documents d ORDER BY d.id", error);
}

GPtrArray *
cw_project_list_documents_brief (CwProject  *self,
                                 GError    **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  return list_documents (self, "SELECT " DOCUMENT_COLUMNS_BRIEF " FROM documents d ORDER BY d.id", error);
}

CwDocumentInfo *
cw_project_get_document_info (CwProject  *self,
                              gint64      id,
                              GError    **error)
{
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_document_info_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self, "SELECT " DOCUMENT_COLUMNS " FROM documents d WHERE d.id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"), self->path, (long long) id);
      return NULL;
    }
  g_ptr_array_add (infos, document_info_from_row (stmt));
  if (!load_speakers (self, infos, id, error))
    return NULL;
  return g_ptr_array_steal_index (infos, 0);
}

gint64
cw_project_lookup_document (CwProject   *self,
                            const char  *id_or_name,
                            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 id = 0;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);
  g_return_val_if_fail (id_or_name != NULL, 0);

  /* A name wins over an id: a document may well be called "2019". */
  stmt = _cw_project_prepare (self,
                              "SELECT id FROM documents WHERE name = ?1"
                              " UNION ALL SELECT id FROM documents WHERE CAST(id AS TEXT) = ?1"
                              " LIMIT 1",
                              error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, id_or_name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);

  if (id == 0)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no document '%s' (see the list of documents)"), self->path, id_or_name);
  return id;
}

char *
cw_project_get_text (CwProject  *self,
                     gint64      id,
                     GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self, "SELECT text FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"), self->path, (long long) id);
      return NULL;
    }
  return g_strndup ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_bytes (stmt, 0));
}

GPtrArray *
cw_project_get_turns (CwProject  *self,
                      gint64      id,
                      GError    **error)
{
  g_autoptr(GPtrArray) turns = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_turn_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self,
                              "SELECT s.name, t.start, t.end, t.time FROM turns t"
                              " LEFT JOIN speakers s ON s.id = t.speaker_id"
                              " WHERE t.document_id = ?1 ORDER BY t.idx",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      double time = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? -1 : sqlite3_column_double (stmt, 3);

      g_ptr_array_add (turns, cw_turn_new ((const char *) sqlite3_column_text (stmt, 0),
                                           sqlite3_column_int64 (stmt, 1),
                                           sqlite3_column_int64 (stmt, 2),
                                           time));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the turns"));
      return NULL;
    }
  return g_steal_pointer (&turns);
}

CwDocument *
cw_project_load_document (CwProject  *self,
                          gint64      id,
                          GError    **error)
{
  g_autoptr(CwDocument) document = g_new0 (CwDocument, 1);

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  /* One read transaction: text and turns from the same snapshot. Deferred
   * is right here: it never writes, so it never needs the write lock, and
   * its first read waits for a busy file like any other. */
  if (!_cw_project_exec (self, "BEGIN", error))
    return NULL;
  document->info = cw_project_get_document_info (self, id, error);
  if (document->info != NULL)
    document->text = cw_project_get_text (self, id, error);
  if (document->text != NULL)
    document->turns = cw_project_get_turns (self, id, error);
  _cw_project_rollback (self);

  if (document->turns == NULL)
    return NULL;
  return g_steal_pointer (&document);
}

gboolean
cw_project_set_document_kind (CwProject       *self,
                              gint64           id,
                              CwDocumentKind   kind,
                              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  stmt = _cw_project_prepare (self, "UPDATE documents SET kind = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, cw_document_kind_to_string (kind), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot change the document"));
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"), self->path, (long long) id);
      return FALSE;
    }
  return TRUE;
}

gboolean
_cw_project_index_new_documents (CwProject  *self,
                                 gint64      first_id,
                                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "INSERT INTO document_index (rowid, text)"
                         " SELECT id, text FROM documents WHERE id >= ?1 ORDER BY id",
                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot index the documents"));
      return FALSE;
    }
  return TRUE;
}

/* Import */

typedef struct
{
  sqlite3_stmt *document;
  sqlite3_stmt *speaker;
  sqlite3_stmt *turn;
  GHashTable   *names;
  char         *now;
} ImportStatements;

static void
import_statements_clear (ImportStatements *st)
{
  sqlite3_finalize (st->document);
  sqlite3_finalize (st->speaker);
  sqlite3_finalize (st->turn);
  g_clear_pointer (&st->names, g_hash_table_unref);
  g_clear_pointer (&st->now, g_free);
}

static gboolean
load_names (CwProject   *self,
            GHashTable  *names,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "SELECT name FROM documents", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the documents"));
      return FALSE;
    }
  return TRUE;
}

/* Names are how researchers refer to documents: keep them unique by
 * numbering a second "interview.txt" as "interview (2).txt". */
static char *
unique_name (GHashTable *names,
             const char *base)
{
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = NULL;
  const char *extension;

  if (!g_hash_table_contains (names, base))
    return g_strdup (base);

  if (dot == NULL || dot == base)
    dot = base + strlen (base);
  stem = g_strndup (base, dot - base);
  extension = dot;

  for (guint n = 2;; n++)
    {
      char *candidate = g_strdup_printf ("%s (%u)%s", stem, n, extension);

      if (!g_hash_table_contains (names, candidate))
        return candidate;
      g_free (candidate);
    }
}

static gboolean
step_done (CwProject    *self,
           sqlite3_stmt *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot store the document"));
      return FALSE;
    }
  return TRUE;
}

static gint64
store_document (CwProject        *self,
                ImportStatements *st,
                const char       *filename,
                CwParsedDocument *parsed,
                int               kind,
                GError          **error)
{
  g_autoptr(GHashTable) speakers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *guid = g_uuid_string_random ();
  g_autofree char *name = unique_name (st->names, filename);
  CwDocumentKind document_kind;
  gint64 document_id;

  document_kind = kind >= 0 ? (CwDocumentKind) kind : cw_import_guess_kind (filename, parsed->text);

  sqlite3_bind_text (st->document, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->document, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->document, 3, cw_document_kind_to_string (document_kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (st->document, 4, filename, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->document, 5, st->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (st->document, 6, parsed->text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (st->document, 7, parsed->characters);
  if (!step_done (self, st->document, error))
    return 0;
  document_id = sqlite3_last_insert_rowid (self->db);
  g_hash_table_add (st->names, g_steal_pointer (&name));

  for (guint i = 0; i < parsed->turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (parsed->turns, i);
      gint64 speaker_id = 0;

      if (turn->speaker != NULL)
        {
          gpointer found;

          if (g_hash_table_lookup_extended (speakers, turn->speaker, NULL, &found))
            speaker_id = GPOINTER_TO_SIZE (found);
          else
            {
              sqlite3_bind_int64 (st->speaker, 1, document_id);
              sqlite3_bind_text (st->speaker, 2, turn->speaker, -1, SQLITE_STATIC);
              if (!step_done (self, st->speaker, error))
                return 0;
              speaker_id = sqlite3_last_insert_rowid (self->db);
              g_hash_table_insert (speakers, turn->speaker, GSIZE_TO_POINTER ((gsize) speaker_id));
            }
        }

      sqlite3_bind_int64 (st->turn, 1, document_id);
      sqlite3_bind_int (st->turn, 2, i);
      if (speaker_id > 0)
        sqlite3_bind_int64 (st->turn, 3, speaker_id);
      sqlite3_bind_int64 (st->turn, 4, turn->start);
      sqlite3_bind_int64 (st->turn, 5, turn->end);
      if (turn->time >= 0)
        sqlite3_bind_double (st->turn, 6, turn->time);
      if (!step_done (self, st->turn, error))
        return 0;
    }

  return document_id;
}

/* Parsing the next files on the other core while SQLite stores this one.
 * The parser runs at most PARSE_AHEAD documents ahead, which bounds the
 * memory a large import takes. */
#define PARSE_AHEAD 3

typedef struct
{
  CwParsedDocument *parsed;
  GError           *error;
} ParseResult;

typedef struct
{
  GPtrArray    *files;   /* GFile, owned */
  GCancellable *outer;   /* the caller's, may be NULL */
  GAsyncQueue  *results; /* ParseResult, in file order */
  GAsyncQueue  *credits; /* one per document the parser may still get ahead */
  gint          stop;    /* atomic */
  GThread      *thread;
} Parser;

static gpointer
parser_thread (gpointer data)
{
  Parser *parser = data;

  for (guint i = 0; i < parser->files->len; i++)
    {
      ParseResult *result;
      gboolean failed;

      g_async_queue_pop (parser->credits);
      if (g_atomic_int_get (&parser->stop))
        break;
      result = g_new0 (ParseResult, 1);
      result->parsed = cw_import_file (g_ptr_array_index (parser->files, i), parser->outer, &result->error);
      /* Once pushed, the result belongs to the other thread. */
      failed = result->parsed == NULL;
      g_async_queue_push (parser->results, result);
      if (failed)
        break; /* the import stops at the first bad file */
    }
  return NULL;
}

static Parser *
parser_start (GPtrArray    *files,
              GCancellable *cancellable)
{
  Parser *parser = g_new0 (Parser, 1);

  parser->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (parser->files, g_object_ref (g_ptr_array_index (files, i)));
  parser->outer = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  parser->results = g_async_queue_new ();
  parser->credits = g_async_queue_new ();
  for (guint i = 0; i < PARSE_AHEAD; i++)
    g_async_queue_push (parser->credits, GINT_TO_POINTER (1));
  parser->thread = g_thread_new ("cw-import-parse", parser_thread, parser);
  return parser;
}

/* The next file's document, in order. */
static CwParsedDocument *
parser_next (Parser  *parser,
             GError **error)
{
  ParseResult *result = g_async_queue_pop (parser->results);
  CwParsedDocument *parsed = result->parsed;

  g_async_queue_push (parser->credits, GINT_TO_POINTER (1));
  if (parsed == NULL)
    g_propagate_error (error, result->error);
  g_free (result);
  return parsed;
}

static void
parser_stop (Parser *parser)
{
  ParseResult *result;

  g_atomic_int_set (&parser->stop, 1);
  /* Wake it wherever it waits; it sees stop and returns. */
  for (guint i = 0; i <= parser->files->len; i++)
    g_async_queue_push (parser->credits, GINT_TO_POINTER (1));
  g_thread_join (parser->thread);

  while ((result = g_async_queue_try_pop (parser->results)) != NULL)
    {
      cw_parsed_document_free (result->parsed);
      g_clear_error (&result->error);
      g_free (result);
    }
  g_async_queue_unref (parser->results);
  g_async_queue_unref (parser->credits);
  g_clear_object (&parser->outer);
  g_ptr_array_unref (parser->files);
  g_free (parser);
}

GArray *
cw_project_import (CwProject       *self,
                   GPtrArray       *files,
                   int              kind,
                   CwProgressFunc   progress,
                   gpointer         progress_data,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ImportStatements st = { 0 };
  Parser *parser = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (files != NULL, NULL);

  if (!_cw_project_begin (self, error))
    return NULL;

  st.now = now_iso8601 ();
  st.names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!load_names (self, st.names, error) ||
      !(st.document = _cw_project_prepare (self,
                                           "INSERT INTO documents (guid, name, kind, original_name, imported_at, text, characters)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error)) ||
      !(st.speaker = _cw_project_prepare (self, "INSERT INTO speakers (document_id, name) VALUES (?1, ?2)", error)) ||
      !(st.turn = _cw_project_prepare (self,
                                       "INSERT INTO turns (document_id, idx, speaker_id, start, end, time)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error)))
    goto failed;

  parser = parser_start (files, cancellable);
  for (guint i = 0; i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autoptr(CwParsedDocument) parsed = NULL;
      g_autofree char *basename = g_file_get_basename (file);
      gint64 id;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      if (progress != NULL)
        progress (i, files->len, basename, progress_data);

      parsed = parser_next (parser, error);
      if (parsed == NULL)
        goto failed;
      id = store_document (self, &st, basename, parsed, kind, error);
      if (id == 0)
        goto failed;
      g_array_append_val (ids, id);
    }
  g_clear_pointer (&parser, parser_stop);

  import_statements_clear (&st);
  if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
      (ids->len > 0 && !_cw_project_index_new_documents (self, g_array_index (ids, gint64, 0), error)) ||
      !_cw_project_commit (self, error))
    {
      _cw_project_rollback (self);
      return NULL;
    }
  if (progress != NULL)
    progress (files->len, files->len, NULL, progress_data);
  return g_steal_pointer (&ids);

failed:
  g_clear_pointer (&parser, parser_stop);
  import_statements_clear (&st);
  _cw_project_rollback (self);
  return NULL;
}

/* Off-thread work: each task runs one operation on a connection of its own
 * (opened for it, or for read-only work the one the last such task kept)
 * and returns the finished result. */

typedef struct _TaskData TaskData;

/* Runs in the worker on the worker's own connection. */
typedef gpointer (*TaskOperation) (CwProject     *project,
                                   TaskData      *data,
                                   GCancellable  *cancellable,
                                   GError       **error);

struct _TaskData
{
  char           *path;
  TaskOperation   operation;
  GDestroyNotify  result_free;
  GPtrArray      *files;
  int             kind;
  char           *query;
  gint64          document_id;
  guint           limit;
  CwProgressFunc  progress;
  gpointer        progress_data;
  GMainContext   *context;
  gboolean        read_only; /* may run on a kept reader */
};

static void
task_data_free (TaskData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->files, g_ptr_array_unref);
  g_free (data->query);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data);
}

static TaskData *
task_data_new (CwProject      *self,
               TaskOperation   operation,
               GDestroyNotify  result_free)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->path = g_strdup (self->path);
  data->operation = operation;
  data->result_free = result_free;
  data->context = g_main_context_ref_thread_default ();
  return data;
}

/* The kept reader if it still reads the file at path (a file put in its
 * place since would not be seen through the old descriptor), else NULL. */
static CwProject *
take_reader (CwProject  *self,
             const char *path)
{
  g_autoptr(CwProject) reader = g_atomic_pointer_exchange (&self->spare_reader, NULL);
  GStatBuf st;

  if (reader == NULL || g_stat (path, &st) != 0 ||
      (guint64) st.st_dev != reader->reader_dev || (guint64) st.st_ino != reader->reader_ino)
    return NULL;
  return g_steal_pointer (&reader);
}

/* Keeps reader for the next read-only task unless one is kept already or
 * it is inside a read (a statement left stepping would hold its snapshot
 * and keep the WAL from being restarted). */
static void
give_back_reader (CwProject *self,
                  CwProject *reader,
                  GStatBuf  *st)
{
  sqlite3_stmt *stmt = NULL;

  if (!sqlite3_get_autocommit (reader->db))
    return;
  while ((stmt = sqlite3_next_stmt (reader->db, stmt)) != NULL)
    if (sqlite3_stmt_busy (stmt))
      return;
  if (st != NULL)
    {
      reader->reader_dev = st->st_dev;
      reader->reader_ino = st->st_ino;
    }
  if (g_atomic_pointer_compare_and_exchange (&self->spare_reader, NULL, reader))
    g_object_ref (reader);
}

static void
task_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CwProject *self = source_object;
  TaskData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  gpointer result = NULL;
  GError *error = NULL;
  GStatBuf st;
  gboolean fresh = FALSE;

  if (data->read_only)
    project = take_reader (self, data->path);
  if (project == NULL)
    {
      /* The file as it is before opening: a kept reader must match it. */
      fresh = data->read_only && g_stat (data->path, &st) == 0;
      project = cw_project_open (data->path, &error);
    }
  if (project != NULL)
    result = data->operation (project, data, cancellable, &error);
  if (project != NULL && data->read_only && (fresh || project->reader_ino != 0))
    give_back_reader (self, project, fresh ? &st : NULL);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, data->result_free);
}

static void
run_task (CwProject           *self,
          TaskData            *data,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, task_thread);
}

static gpointer
finish_task (CwProject     *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  CwProgressFunc  func;
  gpointer        user_data;
  guint           done;
  guint           total;
  char           *current;
} ProgressReport;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->func (report->done, report->total, report->current, report->user_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (ProgressReport *report)
{
  g_free (report->current);
  g_free (report);
}

/* Progress is reported on the caller's main context, never the worker's. */
static void
forward_progress (guint       done,
                  guint       total,
                  const char *current,
                  gpointer    user_data)
{
  TaskData *data = user_data;
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->func = data->progress;
  report->user_data = data->progress_data;
  report->done = done;
  report->total = total;
  report->current = g_strdup (current);
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_progress, report,
                              (GDestroyNotify) progress_report_free);
}

static gpointer
import_operation (CwProject     *project,
                  TaskData      *data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return cw_project_import (project, data->files, data->kind,
                            data->progress != NULL ? forward_progress : NULL, data,
                            cancellable, error);
}

void
cw_project_import_async (CwProject           *self,
                         GPtrArray           *files,
                         int                  kind,
                         CwProgressFunc       progress,
                         gpointer             progress_data,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (CW_IS_PROJECT (self));
  g_return_if_fail (files != NULL);

  data = task_data_new (self, import_operation, (GDestroyNotify) g_array_unref);
  data->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < files->len; i++)
    g_ptr_array_add (data->files, g_file_dup (g_ptr_array_index (files, i)));
  data->kind = kind;
  data->progress = progress;
  data->progress_data = progress_data;
  run_task (self, data, cw_project_import_async, cancellable, callback, user_data);
}

GArray *
cw_project_import_finish (CwProject     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_task (self, result, cw_project_import_async, error);
}

static gpointer
search_operation (CwProject     *project,
                  TaskData      *data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return cw_project_search (project, data->query, data->document_id, data->limit, cancellable, error);
}

void
cw_project_search_async (CwProject           *self,
                         const char          *query,
                         gint64               document_id,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (CW_IS_PROJECT (self));
  g_return_if_fail (query != NULL);

  data = task_data_new (self, search_operation, (GDestroyNotify) g_ptr_array_unref);
  data->read_only = TRUE;
  data->query = g_strdup (query);
  data->document_id = document_id;
  data->limit = limit;
  run_task (self, data, cw_project_search_async, cancellable, callback, user_data);
}

GPtrArray *
cw_project_search_finish (CwProject     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return finish_task (self, result, cw_project_search_async, error);
}

static gpointer
load_document_operation (CwProject     *project,
                         TaskData      *data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return cw_project_load_document (project, data->document_id, error);
}

void
cw_project_load_document_async (CwProject           *self,
                                gint64               id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (CW_IS_PROJECT (self));

  data = task_data_new (self, load_document_operation, (GDestroyNotify) cw_document_free);
  data->read_only = TRUE;
  data->document_id = id;
  run_task (self, data, cw_project_load_document_async, cancellable, callback, user_data);
}

CwDocument *
cw_project_load_document_finish (CwProject     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_task (self, result, cw_project_load_document_async, error);
}
