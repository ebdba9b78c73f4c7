/* cw-history.c: undo and redo, kept in the project file (see cw-history.h).
 *
 * Triggers on the tracked tables write, for every row an edit inserts,
 * deletes or updates, the SQL statement that reverses it into `history`,
 * under the step that history_state.recording names. Recording is on only
 * inside an edit's transaction, so imports and merges are not recorded and
 * a crash can never leave it on. Undoing a step runs its statements in
 * reverse order while recording into a new redo step, which redo replays
 * the same way. This is the undo/redo technique of the SQLite documentation,
 * kept in the file so that every connection shares one history.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-history.h"
#include "cw-project-private.h"

/* How many undo steps are kept. */
#define HISTORY_DEPTH 500

/* Tables whose edits are undoable. Tables of later schemas are added with
 * _cw_history_track_table by the migration that creates them, after these:
 * recordings (schema 5, cw-media.c). */
static const char *const tracked_tables[] = {
  "codes", "codings", "memos", "document_groups", "document_group_members",
  "cases", "variables", "value_labels", "case_values", "case_links",
  /* Files made before this was listed get the triggers from
   * cw-pseudonym.c on their first pseudonym edit. */
  "pseudonyms",
};

static const char history_schema[] =
  "CREATE TABLE history_steps ("
  "  id    INTEGER PRIMARY KEY,"
  "  label TEXT NOT NULL,"
  "  redo  INTEGER NOT NULL DEFAULT 0" /* 1: an undone step, to redo */
  ");"
  "CREATE TABLE history ("
  "  id      INTEGER PRIMARY KEY,"
  "  step_id INTEGER NOT NULL REFERENCES history_steps (id) ON DELETE CASCADE,"
  "  sql     TEXT NOT NULL"
  ");"
  "CREATE INDEX history_by_step ON history (step_id, id);"
  "CREATE TABLE history_state ("
  "  id        INTEGER PRIMARY KEY CHECK (id = 1),"
  "  recording INTEGER" /* the step being recorded, NULL when none */
  ");"
  "INSERT INTO history_state (id, recording) VALUES (1, NULL);";

#define RECORDING_STEP "(SELECT recording FROM history_state WHERE id = 1)"

/* Tables whose updates only are undoable: their rows come and go with
 * imports, which are not steps, but text corrections (cw-edit.c) change
 * them in place. */
static const char *const update_tracked_tables[] = {
  "documents", "turns",
};

/* Builds the triggers of one table from its columns: all three, or only
 * the one for updates. */
static gboolean
install_triggers (CwProject   *self,
                  const char  *table,
                  gboolean     updates_only,
                  GError     **error)
{
  g_autofree char *info_sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", table);
  g_autoptr(sqlite3_stmt) info = _cw_project_prepare (self, info_sql, error);
  g_autoptr(GString) columns = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(GString) sets = g_string_new (NULL);
  g_autoptr(GString) old_key = g_string_new (NULL);
  g_autoptr(GString) new_key = g_string_new (NULL);
  g_autofree char *sql = NULL;
  int rc;

  if (info == NULL)
    return FALSE;

  while ((rc = sqlite3_step (info)) == SQLITE_ROW)
    {
      const char *column = (const char *) sqlite3_column_text (info, 1);
      gboolean key = sqlite3_column_int (info, 5) > 0;

      g_string_append_printf (columns, "%s\"%s\"", columns->len ? "," : "", column);
      g_string_append_printf (values, "%s || quote (old.\"%s\")", values->len ? " || ','" : "", column);
      g_string_append_printf (sets, "%s || '\"%s\" = ' || quote (old.\"%s\")",
                              sets->len ? " || ', '" : "", column, column);
      if (key)
        {
          g_string_append_printf (old_key, "%s || '\"%s\" = ' || quote (old.\"%s\")",
                                  old_key->len ? " || ' AND '" : "", column, column);
          g_string_append_printf (new_key, "%s || '\"%s\" = ' || quote (new.\"%s\")",
                                  new_key->len ? " || ' AND '" : "", column, column);
        }
    }
  if (rc != SQLITE_DONE || columns->len == 0 || old_key->len == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot set up the history of table %s"), cw_project_get_path (self), table);
      return FALSE;
    }

  if (updates_only)
    sql = g_strdup_printf (
      "CREATE TRIGGER IF NOT EXISTS \"%1$s_history_update\" AFTER UPDATE ON \"%1$s\""
      " WHEN " RECORDING_STEP " IS NOT NULL BEGIN"
      "  INSERT INTO history (step_id, sql) VALUES (" RECORDING_STEP ","
      "    'UPDATE \"%1$s\" SET ' %2$s || ' WHERE ' %3$s);"
      " END;",
      table, sets->str, old_key->str);
  else
  sql = g_strdup_printf (
    "CREATE TRIGGER \"%1$s_history_insert\" AFTER INSERT ON \"%1$s\""
    " WHEN " RECORDING_STEP " IS NOT NULL BEGIN"
    "  INSERT INTO history (step_id, sql) VALUES (" RECORDING_STEP ","
    "    'DELETE FROM \"%1$s\" WHERE ' %2$s);"
    " END;"
    "CREATE TRIGGER \"%1$s_history_delete\" AFTER DELETE ON \"%1$s\""
    " WHEN " RECORDING_STEP " IS NOT NULL BEGIN"
    "  INSERT INTO history (step_id, sql) VALUES (" RECORDING_STEP ","
    "    'INSERT INTO \"%1$s\" (%3$s) VALUES (' %4$s || ')');"
    " END;"
    "CREATE TRIGGER \"%1$s_history_update\" AFTER UPDATE ON \"%1$s\""
    " WHEN " RECORDING_STEP " IS NOT NULL BEGIN"
    "  INSERT INTO history (step_id, sql) VALUES (" RECORDING_STEP ","
    "    'UPDATE \"%1$s\" SET ' %5$s || ' WHERE ' %6$s);"
    " END;",
    table, new_key->str, columns->str,
    values->str, sets->str, old_key->str);

  return _cw_project_exec (self, sql, error);
}

gboolean
_cw_history_install (CwProject  *self,
                     GError    **error)
{
  if (!_cw_project_exec (self, history_schema, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (tracked_tables); i++)
    if (!install_triggers (self, tracked_tables[i], FALSE, error))
      return FALSE;
  return _cw_history_track_text (self, error);
}

gboolean
_cw_history_track_table (CwProject   *self,
                         const char  *table,
                         GError     **error)
{
  return install_triggers (self, table, FALSE, error);
}

gboolean
_cw_history_track_text (CwProject  *self,
                        GError    **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (update_tracked_tables); i++)
    if (!install_triggers (self, update_tracked_tables[i], TRUE, error))
      return FALSE;
  return TRUE;
}

gint64
_cw_history_pause (CwProject  *self,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT recording FROM history_state WHERE id = 1", error);
  gint64 step;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the history"));
      return -1;
    }
  step = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _cw_statement_release);
  if (!_cw_project_exec (self, "UPDATE history_state SET recording = NULL WHERE id = 1", error))
    return -1;
  return step;
}

gboolean
_cw_history_resume (CwProject   *self,
                    gint64       step,
                    const char  *undo_sql,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (step <= 0)
    return TRUE;
  if (undo_sql != NULL)
    {
      stmt = _cw_project_prepare (self, "INSERT INTO history (step_id, sql) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, step);
      sqlite3_bind_text (stmt, 2, undo_sql, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _cw_project_set_db_error (self, error, _("cannot write the history"));
          return FALSE;
        }
      g_clear_pointer (&stmt, _cw_statement_release);
    }
  stmt = _cw_project_prepare (self, "UPDATE history_state SET recording = ?1 WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the history"));
      return FALSE;
    }
  return TRUE;
}

gboolean
_cw_history_clear (CwProject  *self,
                   GError    **error)
{
  return _cw_project_exec (self, "DELETE FROM history_steps", error);
}

static gboolean
run_int (CwProject   *self,
         const char  *sql,
         gint64       argument,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, argument);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the history"));
      return FALSE;
    }
  return TRUE;
}

static gint64
new_step (CwProject   *self,
          const char  *label,
          gboolean     redo,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "INSERT INTO history_steps (label, redo) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, label != NULL ? label : "", -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, redo);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the history"));
      return 0;
    }
  return sqlite3_last_insert_rowid (_cw_project_get_db (self));
}

static gboolean
set_recording (CwProject  *self,
               gint64      step,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "UPDATE history_state SET recording = ?1 WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  if (step > 0)
    sqlite3_bind_int64 (stmt, 1, step);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the history"));
      return FALSE;
    }
  return TRUE;
}

gint64
_cw_history_new_step (CwProject   *self,
                      const char  *label,
                      GError     **error)
{
  gint64 step;

  if (!_cw_project_exec (self, "DELETE FROM history_steps WHERE redo = 1", error) ||
      (step = new_step (self, label, FALSE, error)) == 0 ||
      !run_int (self,
                "DELETE FROM history_steps WHERE redo = 0 AND id <="
                " (SELECT id FROM history_steps WHERE redo = 0 ORDER BY id DESC LIMIT 1 OFFSET ?1)",
                HISTORY_DEPTH, error))
    return 0;
  return step;
}

gboolean
_cw_history_record (CwProject   *self,
                    gint64       step,
                    const char  *sql,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "INSERT INTO history (step_id, sql) VALUES (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, step);
  sqlite3_bind_text (stmt, 2, sql, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the history"));
      return FALSE;
    }
  return TRUE;
}

/* The undo and redo steps in memory, so that the window can ask for the
 * top of each after every change without reading the table: the redo
 * flag has no index, and a scan from the newest id may pass every step of
 * the other kind. The steps are read once and then followed through this
 * connection's own edits, undos and redos. They are read again when the
 * file moved in any other way: another connection's commit (the pager's
 * SQLITE_FCNTL_DATA_VERSION moves without a commit of ours) or one of
 * ours that changed history_steps other than below (the commit hook
 * counts those). */
typedef struct
{
  gint64  id;
  char   *label;
} Step;

typedef struct
{
  /* What the file was when the stacks were right; version 0: not known. */
  guintptr  version;
  guint64   own_commits;
  guint64   steps_commits;
  GArray   *stacks[2];      /* Step, oldest first: [0] undo, [1] redo */
  /* The step of the edit being recorded, and whether the stacks were
   * right when its transaction began. */
  gint64    pending;
  char     *pending_label;
  gboolean  pending_known;
} History;

static G_DEFINE_QUARK (cw-history-steps, history)

static void
step_clear (gpointer data)
{
  g_free (((Step *) data)->label);
}

static void
history_free (gpointer data)
{
  History *h = data;

  g_array_unref (h->stacks[0]);
  g_array_unref (h->stacks[1]);
  g_free (h->pending_label);
  g_free (h);
}

static History *
get_history (CwProject *self)
{
  History *h = g_object_get_qdata (G_OBJECT (self), history_quark ());

  if (h == NULL)
    {
      h = g_new0 (History, 1);
      for (int i = 0; i < 2; i++)
        {
          h->stacks[i] = g_array_new (FALSE, FALSE, sizeof (Step));
          g_array_set_clear_func (h->stacks[i], step_clear);
        }
      g_object_set_qdata_full (G_OBJECT (self), history_quark (), h, history_free);
    }
  return h;
}

static guintptr
data_version (CwProject *self)
{
  unsigned int version = 0;

  if (sqlite3_file_control (_cw_project_get_db (self), "main", SQLITE_FCNTL_DATA_VERSION, &version) != SQLITE_OK)
    return 0;
  /* 0 stands for "not known" below. */
  return (guintptr) version + 1;
}

/* Whether the stacks are those of the file as this connection sees it:
 * since they were right, the file moved only by our own commits (one
 * version each), none of which changed a step. */
static gboolean
history_current (CwProject *self,
                 History   *h)
{
  guint64 own, steps;

  if (h->version == 0)
    return FALSE;
  _cw_project_get_commit_counts (self, &own, &steps);
  return steps == h->steps_commits && data_version (self) - h->version == own - h->own_commits;
}

/* Marks the stacks right as of now (after a commit of ours that they
 * follow), or not known (right FALSE). */
static void
history_mark (CwProject *self,
              History   *h,
              gboolean   right)
{
  h->version = right ? data_version (self) : 0;
  _cw_project_get_commit_counts (self, &h->own_commits, &h->steps_commits);
}

static void
history_push (History    *h,
              gboolean    redo,
              gint64      id,
              const char *label)
{
  Step step = { id, g_strdup (label != NULL ? label : "") };

  g_array_append_val (h->stacks[redo], step);
}

/* The stacks, read again when the file moved otherwise than they
 * followed; NULL when the history cannot be read. */
static History *
load_history (CwProject *self)
{
  History *h = get_history (self);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  /* Outside a transaction, a read lets the pager see other connections'
   * commits (inside one, BEGIN did). */
  if (sqlite3_get_autocommit (_cw_project_get_db (self)))
    {
      stmt = _cw_project_prepare (self, "PRAGMA data_version", NULL);
      if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
        return NULL;
      g_clear_pointer (&stmt, _cw_statement_release);
    }
  if (history_current (self, h))
    return h;

  stmt = _cw_project_prepare (self, "SELECT id, label, redo FROM history_steps ORDER BY id", NULL);
  if (stmt == NULL)
    return NULL;
  g_array_set_size (h->stacks[0], 0);
  g_array_set_size (h->stacks[1], 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    history_push (h, sqlite3_column_int (stmt, 2) != 0, sqlite3_column_int64 (stmt, 0),
                  (const char *) sqlite3_column_text (stmt, 1));
  if (rc != SQLITE_DONE)
    {
      history_mark (self, h, FALSE);
      return NULL;
    }
  history_mark (self, h, TRUE);
  return h;
}

/* The newest step to undo (redo FALSE) or to redo; 0 when none. */
static gint64
top_step (CwProject  *self,
          gboolean    redo,
          char      **label)
{
  History *h = load_history (self);
  Step *top;

  if (h == NULL || h->stacks[redo]->len == 0)
    return 0;
  top = &g_array_index (h->stacks[redo], Step, h->stacks[redo]->len - 1);
  if (label != NULL)
    *label = g_strdup (top->label);
  return top->id;
}

/* Steps beyond the depth, oldest first. Inside an edit there is no redo
 * step, so they are the table's oldest rows: counting its pages costs less
 * than walking the newest 500 rows for the 501st. */
static gboolean
forget_old_steps (CwProject  *self,
                  gint64     *counted,
                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "SELECT count(*) FROM history_steps", error);
  gint64 steps;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the history"));
      return FALSE;
    }
  steps = sqlite3_column_int64 (stmt, 0);
  *counted = steps;
  g_clear_pointer (&stmt, _cw_statement_release);
  if (steps <= HISTORY_DEPTH)
    return TRUE;
  return run_int (self,
                  "DELETE FROM history_steps WHERE id IN (SELECT id FROM history_steps ORDER BY id LIMIT ?1)",
                  steps - HISTORY_DEPTH, error);
}

gboolean
_cw_project_begin_step (CwProject   *self,
                        const char  *label,
                        GError     **error)
{
  /* Any other edit ends a burst of text edits: steps do not nest. */
  return _cw_edit_end_burst (self, error) &&
         _cw_project_begin (self, error) &&
         _cw_project_start_step (self, label, error);
}

gboolean
_cw_project_start_step (CwProject   *self,
                        const char  *label,
                        GError     **error)
{
  History *h;
  gint64 step;

  _cw_project_presize_wal (self);
  /* Read once if need be (BEGIN has let the pager see other connections'
   * commits): followed from here on, the next edits need not look for
   * redo steps. */
  h = load_history (self);
  if (h != NULL)
    h->pending_known = TRUE;
  else
    (h = get_history (self))->pending_known = FALSE;
  /* A new edit makes the undone steps unreachable. */
  if (((!h->pending_known || h->stacks[1]->len > 0) &&
       !_cw_project_run (self, "DELETE FROM history_steps WHERE redo = 1", error)) ||
      (step = new_step (self, label, FALSE, error)) == 0 ||
      !set_recording (self, step, error))
    {
      _cw_project_rollback (self);
      return FALSE;
    }
  h->pending = step;
  g_free (h->pending_label);
  h->pending_label = g_strdup (label);
  return TRUE;
}

gboolean
_cw_project_end_step (CwProject  *self,
                      GError    **error)
{
  History *h = get_history (self);
  gboolean emptied = FALSE;
  gint64 counted = 0;

  /* An edit that changed nothing leaves no step to undo; old steps beyond
   * the depth are forgotten. */
  if (_cw_project_run (self,
                       "DELETE FROM history_steps WHERE id = " RECORDING_STEP
                       " AND NOT EXISTS (SELECT 1 FROM history WHERE step_id = " RECORDING_STEP ")",
                       error))
    emptied = sqlite3_changes (_cw_project_get_db (self)) > 0;
  else
    counted = -1;
  if (counted < 0 ||
      !set_recording (self, 0, error) ||
      !forget_old_steps (self, &counted, error) ||
      !_cw_project_commit (self, error))
    {
      _cw_project_rollback (self);
      history_mark (self, h, FALSE);
      return FALSE;
    }

  /* The stacks follow: no redo step, this step on top unless it went, the
   * oldest beyond the depth gone. The count the table had is the check
   * that nothing else in the transaction added or removed a step. */
  if (h->pending_known)
    {
      g_array_set_size (h->stacks[1], 0);
      if (!emptied)
        history_push (h, FALSE, h->pending, h->pending_label);
      if (counted == h->stacks[0]->len && h->pending > 0)
        {
          if (h->stacks[0]->len > HISTORY_DEPTH)
            g_array_remove_range (h->stacks[0], 0, h->stacks[0]->len - HISTORY_DEPTH);
        }
      else
        h->pending_known = FALSE;
    }
  /* Read before any other statement could see another commit. */
  history_mark (self, h, h->pending_known);
  h->pending = 0;
  h->pending_known = FALSE;
  _cw_project_emit_changed (self);
  return TRUE;
}

void
_cw_project_abort_step (CwProject *self)
{
  _cw_project_rollback (self);
  get_history (self)->pending_known = FALSE;
}

gboolean
cw_project_can_undo (CwProject *self)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return top_step (self, FALSE, NULL) > 0;
}

gboolean
cw_project_can_redo (CwProject *self)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return top_step (self, TRUE, NULL) > 0;
}

char *
cw_project_get_undo_label (CwProject *self)
{
  char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  top_step (self, FALSE, &label);
  return label;
}

char *
cw_project_get_redo_label (CwProject *self)
{
  char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  top_step (self, TRUE, &label);
  return label;
}

/* The document whose text (or turns) a history statement changes, else 0:
 * the window reloads those after undo and redo. Both the triggers and
 * cw-edit.c write them as UPDATE "documents" ... WHERE "id" = N. */
static gint64
changed_document (const char *sql)
{
  static const char prefix[] = "UPDATE \"documents\" SET ";
  static const char key[] = " WHERE \"id\" = ";
  const char *where;

  if (!g_str_has_prefix (sql, prefix) || (where = g_strrstr (sql, key)) == NULL)
    return 0;
  return g_ascii_strtoll (where + strlen (key), NULL, 10);
}

/* A statement that puts one row back by its id (UPDATE "t" SET ... WHERE
 * "id" = N, from the triggers and cw-edit.c) must find that row. Every
 * edit of a tracked table is a step, so the row is there unless a program
 * that keeps no history (an SQL tool, an older Codewerk) changed it: then
 * the step would be undone by halves. Deletes are not checked: redoing the
 * removal of a code deletes its codings twice, once by cascade. */
static gboolean
updates_one_row (const char *sql)
{
  static const char key[] = " WHERE \"id\" = ";
  const char *where;
  char *end;

  if (!g_str_has_prefix (sql, "UPDATE \"") || (where = g_strrstr (sql, key)) == NULL)
    return FALSE;
  g_ascii_strtoll (where + strlen (key), &end, 10);
  return end != where + strlen (key) && *end == '\0';
}

/* After a step could not be undone because its rows were changed behind
 * the history's back: nothing older can be trusted to undo cleanly
 * either, so those steps are forgotten (all redo steps, for a redo). The
 * data stays exactly as it is. */
static void
forget_conflict (CwProject   *self,
                 gboolean     redo,
                 gint64       step,
                 const char  *label,
                 GError     **error)
{
  if (_cw_project_begin (self, NULL))
    {
      gboolean ok = redo
                    ? _cw_project_exec (self, "DELETE FROM history_steps WHERE redo = 1", NULL)
                    : run_int (self, "DELETE FROM history_steps WHERE redo = 0 AND id <= ?1", step, NULL);

      if (!ok || !_cw_project_commit (self, NULL))
        _cw_project_rollback (self);
    }
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
               redo
               ? _("%s: cannot redo “%s”: another program changed the same data since; nothing was redone, and the redo steps were dropped")
               : _("%s: cannot undo “%s”: another program changed the same data since; nothing was undone, and this and older steps can no longer be undone"),
               cw_project_get_path (self), label != NULL ? label : "");
  _cw_project_emit_changed (self);
}

/* Runs one statement of a step; a constraint it breaks or a row it does
 * not find is a conflict with an edit the history does not know. */
static gboolean
replay_statement (CwProject   *self,
                  const char  *sql,
                  gboolean    *conflict,
                  GError     **error)
{
  sqlite3 *db = _cw_project_get_db (self);

  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      if (sqlite3_errcode (db) == SQLITE_CONSTRAINT)
        *conflict = TRUE;
      else
        _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }
  if (updates_one_row (sql) && sqlite3_changes (db) == 0)
    {
      *conflict = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* Replays step backwards, recording the reverse into a new step of the
 * other kind, and drops step. */
static gboolean
replay (CwProject  *self,
        gboolean    redo,
        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) statements = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *label = NULL;
  g_autoptr(GArray) documents = g_array_new (FALSE, FALSE, sizeof (gint64));
  History *h;
  gint64 step, reverse = 0;
  gboolean conflict = FALSE, follows = TRUE;
  int rc;

  if (!_cw_edit_end_burst (self, error) ||
      !_cw_project_begin (self, error))
    return FALSE;

  step = top_step (self, redo, &label);
  if (step == 0)
    {
      _cw_project_rollback (self);
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   redo ? _("%s: nothing to redo") : _("%s: nothing to undo"), cw_project_get_path (self));
      return FALSE;
    }

  stmt = _cw_project_prepare (self, "SELECT sql FROM history WHERE step_id = ?1 ORDER BY id DESC", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, step);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *sql = (const char *) sqlite3_column_text (stmt, 0);
      gint64 document_id = changed_document (sql);

      g_ptr_array_add (statements, g_strdup (sql));
      /* A statement about the steps themselves (a merge's undo drops
       * the redo step it records): the stacks are read again after. */
      if (strstr (sql, "history_steps") != NULL)
        follows = FALSE;
      if (document_id > 0)
        g_array_append_val (documents, document_id);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the history"));
      goto failed;
    }

  /* Rows come back in reverse order of their removal: a code's codings may
   * be restored before the code itself, so check references at COMMIT. */
  if ((reverse = new_step (self, label, !redo, error)) == 0 ||
      !set_recording (self, reverse, error) ||
      !_cw_project_exec (self, "PRAGMA defer_foreign_keys = ON", error))
    goto failed;

  for (guint i = 0; i < statements->len; i++)
    if (!replay_statement (self, g_ptr_array_index (statements, i), &conflict, error))
      goto failed;

  if (!set_recording (self, 0, error) ||
      !run_int (self, "DELETE FROM history_steps WHERE id = ?1", step, error))
    goto failed;
  /* The deferred foreign keys are checked here. */
  if (sqlite3_exec (_cw_project_get_db (self), "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      if (sqlite3_errcode (_cw_project_get_db (self)) == SQLITE_CONSTRAINT)
        conflict = TRUE;
      else
        _cw_project_set_db_error (self, error, _("cannot write the project"));
      goto failed;
    }

  /* The stacks follow: the step goes, its reverse is the other kind's
   * top. (They were right at BEGIN: top_step read them again if not.) */
  h = get_history (self);
  if (follows && h->stacks[redo]->len > 0 &&
      g_array_index (h->stacks[redo], Step, h->stacks[redo]->len - 1).id == step)
    {
      g_array_set_size (h->stacks[redo], h->stacks[redo]->len - 1);
      history_push (h, !redo, reverse, label);
      history_mark (self, h, TRUE);
    }
  else
    history_mark (self, h, FALSE);

  for (guint i = 0; i < documents->len; i++)
    _cw_project_emit_document_text_changed (self, g_array_index (documents, gint64, i));
  _cw_project_emit_changed (self);
  return TRUE;

failed:
  _cw_project_rollback (self);
  history_mark (self, get_history (self), FALSE);
  if (conflict)
    forget_conflict (self, redo, step, label, error);
  return FALSE;
}

gboolean
cw_project_undo (CwProject  *self,
                 GError    **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return replay (self, FALSE, error);
}

gboolean
cw_project_redo (CwProject  *self,
                 GError    **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return replay (self, TRUE, error);
}
