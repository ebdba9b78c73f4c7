/* cw-coding.c: codings, coders, memos and document groups (see
 * cw-coding.h).
 *
 * As in cw-codebook.c, rows are deleted explicitly, memos before what they
 * annotate, so that the history can put them back in the reverse order.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "cw-coding.h"
#include "cw-codebook-private.h"
#include "cw-edit.h"
#include "cw-project-private.h"

static gboolean
run_done (CwProject     *self,
          sqlite3_stmt  *stmt,
          const char    *what,
          GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

/* Runs sql with ?1 = a and (if given) ?2 = b. */
static gboolean
exec_ids (CwProject   *self,
          const char  *sql,
          gint64       a,
          gint64       b,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  if (b != 0)
    sqlite3_bind_int64 (stmt, 2, b);
  return run_done (self, stmt, _("cannot write the project"), error);
}

/* The first column of the first row of sql with ?1 = id: 1 if there is a
 * row (value in *value), 0 if none, -1 on error. */
static int
query_row (CwProject   *self,
           const char  *sql,
           gint64       id,
           gint64      *value,
           char       **text,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (value != NULL)
        *value = sqlite3_column_int64 (stmt, 0);
      if (text != NULL)
        *text = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the project"));
  return -1;
}

/* Coders */

/* The coder's id: 1 found, 0 none, -1 error. */
static int
find_coder (CwProject   *self,
            const char  *name,
            gint64      *id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "SELECT id FROM coders WHERE name = ?1", error);
  int rc;

  *id = 0;
  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the coders"));
  return -1;
}

/* Inside a step: the coder's id, created if new. name is clean. */
static gint64
ensure_coder_row (CwProject   *self,
                  const char  *name,
                  GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *guid = NULL;
  g_autofree char *now = NULL;
  gint64 id;
  int found = find_coder (self, name, &id, error);

  if (found != 0)
    return found > 0 ? id : 0;
  stmt = _cw_project_prepare (self, "INSERT INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return 0;
  guid = g_uuid_string_random ();
  now = _cw_now_iso8601 ();
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, _("cannot add the coder"), error))
    return 0;
  return sqlite3_last_insert_rowid (_cw_project_get_db (self));
}

static char *
clean_coder (const char  *name,
             GError     **error)
{
  return _cw_clean_name (name != NULL ? name : CW_DEFAULT_CODER, "coder", TRUE, error);
}

gint64
cw_project_ensure_coder (CwProject   *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *label = NULL;
  gint64 id;
  int found;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  if ((clean = clean_coder (name, error)) == NULL)
    return 0;
  found = find_coder (self, clean, &id, error);
  if (found != 0)
    return found > 0 ? id : 0;

  label = g_strdup_printf (_("Add coder “%s”"), clean);
  if (!_cw_project_begin_step (self, label, error))
    return 0;
  if ((id = ensure_coder_row (self, clean, error)) == 0 ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return 0;
    }
  return id;
}

GStrv
cw_project_list_coders (CwProject  *self,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self, "SELECT name FROM coders ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the coders"));
      return NULL;
    }
  return g_strv_builder_end (builder);
}

/* Codings */

void
cw_coding_free (CwCoding *coding)
{
  if (coding == NULL)
    return;
  g_free (coding->guid);
  g_free (coding->document);
  g_free (coding->code);
  g_free (coding->color);
  g_free (coding->coder);
  g_free (coding->created_at);
  g_free (coding->speaker);
  g_free (coding->case_id);
  g_free (coding->text);
  g_free (coding->memo);
  g_free (coding);
}

CwCoding *
cw_coding_copy (const CwCoding *coding)
{
  CwCoding *copy;

  g_return_val_if_fail (coding != NULL, NULL);

  copy = g_new0 (CwCoding, 1);
  *copy = *coding;
  copy->guid = g_strdup (coding->guid);
  copy->document = g_strdup (coding->document);
  copy->code = g_strdup (coding->code);
  copy->color = g_strdup (coding->color);
  copy->coder = g_strdup (coding->coder);
  copy->created_at = g_strdup (coding->created_at);
  copy->speaker = g_strdup (coding->speaker);
  copy->case_id = g_strdup (coding->case_id);
  copy->text = g_strdup (coding->text);
  copy->memo = g_strdup (coding->memo);
  return copy;
}

/* A memo's text with something in it, or NULL. */
static const char *
nonempty (const char *text)
{
  if (text == NULL)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return text;
  return NULL;
}

static gint64
insert_memo (CwProject     *self,
             CwMemoTarget   target,
             gint64         target_id,
             const char    *title,
             const char    *text,
             gint64         author_id,
             GError       **error)
{
  static const char * const columns[] = {
    [CW_MEMO_PROJECT] = NULL,
    [CW_MEMO_DOCUMENT] = "document_id",
    [CW_MEMO_CODE] = "code_id",
    [CW_MEMO_CODING] = "coding_id",
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *guid = g_uuid_string_random ();
  g_autofree char *now = _cw_now_iso8601 ();

  if (columns[target] != NULL)
    sql = g_strdup_printf ("INSERT INTO memos (guid, title, text, author_id, created_at, modified_at, %s)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)", columns[target]);
  else
    sql = g_strdup ("INSERT INTO memos (guid, title, text, author_id, created_at, modified_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
  stmt = _cw_project_prepare (self, sql, error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  if (nonempty (title) != NULL)
    sqlite3_bind_text (stmt, 2, title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, text != NULL ? text : "", -1, SQLITE_STATIC);
  if (author_id > 0)
    sqlite3_bind_int64 (stmt, 4, author_id);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  if (columns[target] != NULL)
    sqlite3_bind_int64 (stmt, 6, target_id);
  if (!run_done (self, stmt, _("cannot add the memo"), error))
    return 0;
  return sqlite3_last_insert_rowid (_cw_project_get_db (self));
}

/* The existing coding's id: 1 found, 0 none, -1 error. */
static int
find_coding (CwProject  *self,
             gint64      document_id,
             gint64      code_id,
             gint64      coder_id,
             gint64      start,
             gint64      end,
             gint64     *id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT id FROM codings WHERE document_id = ?1 AND code_id = ?2"
                         " AND coder_id = ?3 AND start = ?4 AND end = ?5",
                         error);
  int rc;

  *id = 0;
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, code_id);
  sqlite3_bind_int64 (stmt, 3, coder_id);
  sqlite3_bind_int64 (stmt, 4, start);
  sqlite3_bind_int64 (stmt, 5, end);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *id = sqlite3_column_int64 (stmt, 0);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the codings"));
  return -1;
}

/* Checks document, code and range; fills the code's path unless
 * code_path is NULL. */
static gboolean
check_coding (CwProject   *self,
              gint64       document_id,
              gint64       code_id,
              gint64       start,
              gint64       end,
              char       **code_path,
              GError     **error)
{
  g_autofree char *document = NULL;
  g_autofree char *path = NULL;
  gint64 characters = 0, codable = 0;
  int found;

  /* The length is stored after the text: read from the table, it takes a
   * walk through the text's overflow pages (from disk at scale). The
   * listing index (cw-project.c) holds it; a file without it (read-only,
   * made by an older version) is read the long way. */
  found = query_row (self, "SELECT characters, name FROM documents INDEXED BY documents_listing WHERE id = ?1",
                     document_id, &characters, &document, NULL);
  if (found < 0)
    found = query_row (self, "SELECT characters, name FROM documents WHERE id = ?1",
                       document_id, &characters, &document, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no document with id %lld"), (long long) document_id);
      return FALSE;
    }
  found = query_row (self, "SELECT codable FROM codes WHERE id = ?1", code_id, &codable, NULL, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no code with id %lld"), (long long) code_id);
      return FALSE;
    }
  /* The path is for messages and labels; code_path NULL: only for a
   * message. */
  if ((code_path != NULL || !codable) && (path = _cw_project_code_path (self, code_id, error)) == NULL)
    return FALSE;
  if (!codable)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("'%s' is a category and cannot be applied"), path);
      return FALSE;
    }
  if (start < 0 || end <= start || end > characters)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("cannot code %lld-%lld of '%s': "
                     "a coding needs 0 <= start < end <= %lld (the document's length)"),
                   (long long) start, (long long) end, document, (long long) characters);
      return FALSE;
    }
  if (code_path != NULL)
    *code_path = g_steal_pointer (&path);
  return TRUE;
}

/* Whether the coding already has a memo with exactly this text. */
static int
has_memo (CwProject   *self,
          gint64       coding_id,
          const char  *text,
          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT 1 FROM memos WHERE coding_id = ?1 AND text = ?2", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, coding_id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the memos"));
  return -1;
}

/* What adding a coding comes to, after checking its arguments. */
typedef enum
{
  ADD_FAILED = -1,
  ADD_NOTHING,   /* the same coding is there, with that memo if one came */
  ADD_MEMO,      /* the same coding is there, the memo is new */
  ADD_CODING,
} AddCase;

static AddCase
look_before_adding (CwProject   *self,
                    gint64       document_id,
                    gint64       code_id,
                    gint64       start,
                    gint64       end,
                    const char  *coder,
                    const char  *memo,
                    char       **path,
                    gint64      *existing,
                    GError     **error)
{
  gint64 coder_id = 0;
  int found;

  *existing = 0;
  if (!check_coding (self, document_id, code_id, start, end, path, error))
    return ADD_FAILED;
  /* The same coding again is the one there is: no new row, and no undo
   * step unless a new memo comes with it. */
  if ((found = find_coder (self, coder, &coder_id, error)) < 0 ||
      (found > 0 && find_coding (self, document_id, code_id, coder_id, start, end, existing, error) < 0))
    return ADD_FAILED;
  if (*existing == 0)
    return ADD_CODING;
  if (memo == NULL)
    return ADD_NOTHING;
  if ((found = has_memo (self, *existing, memo, error)) < 0)
    return ADD_FAILED;
  return found > 0 ? ADD_NOTHING : ADD_MEMO;
}

gint64
cw_project_add_coding (CwProject   *self,
                       gint64       document_id,
                       gint64       code_id,
                       gint64       start,
                       gint64       end,
                       const char  *coder,
                       const char  *memo,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *path = NULL;
  g_autofree char *label = NULL;
  g_autofree char *guid = NULL;
  g_autofree char *now = NULL;
  gint64 coder_id, existing = 0, id;
  AddCase add;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  if ((clean = clean_coder (coder, error)) == NULL)
    return 0;
  memo = nonempty (memo);
  if (memo != NULL && !g_utf8_validate (memo, -1, NULL))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _("a memo must be valid text"));
      return 0;
    }

  /* A coding that is there already is no edit and leaves a burst of text
   * edits going: during one, look before ending it. */
  if (cw_project_get_edit_burst (self) != 0)
    {
      add = look_before_adding (self, document_id, code_id, start, end, clean, memo, &path, &existing, error);
      if (add == ADD_FAILED)
        return 0;
      if (add == ADD_NOTHING)
        return existing;
      g_clear_pointer (&path, g_free);
    }

  /* The checks and the insert in one transaction: another program may
   * change the project before it, not during it (and reads share one
   * lock). */
  if (!_cw_edit_end_burst (self, error) ||
      !_cw_project_begin (self, error))
    return 0;
  add = look_before_adding (self, document_id, code_id, start, end, clean, memo, &path, &existing, error);
  if (add == ADD_FAILED)
    goto failed;
  if (add == ADD_NOTHING)
    {
      _cw_project_rollback (self);
      return existing;
    }
  if (add == ADD_MEMO)
    {
      label = g_strdup_printf (_("Add a memo to “%s”"), path);
      if (!_cw_project_start_step (self, label, error) ||
          (coder_id = ensure_coder_row (self, clean, error)) == 0 ||
          insert_memo (self, CW_MEMO_CODING, existing, NULL, memo, coder_id, error) == 0 ||
          !_cw_project_end_step (self, error))
        goto failed;
      return existing;
    }

  label = g_strdup_printf (_("Apply code “%s”"), path);
  if (!_cw_project_start_step (self, label, error) ||
      (coder_id = ensure_coder_row (self, clean, error)) == 0)
    goto failed;
  stmt = _cw_project_prepare (self,
                              "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                              error);
  if (stmt == NULL)
    goto failed;
  guid = g_uuid_string_random ();
  now = _cw_now_iso8601 ();
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, document_id);
  sqlite3_bind_int64 (stmt, 3, code_id);
  sqlite3_bind_int64 (stmt, 4, coder_id);
  sqlite3_bind_int64 (stmt, 5, start);
  sqlite3_bind_int64 (stmt, 6, end);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, _("cannot add the coding"), error))
    goto failed;
  id = sqlite3_last_insert_rowid (_cw_project_get_db (self));
  if (memo != NULL && insert_memo (self, CW_MEMO_CODING, id, NULL, memo, coder_id, error) == 0)
    goto failed;
  if (!_cw_project_end_step (self, error))
    goto failed;
  return id;

failed:
  _cw_project_abort_step (self);
  return 0;
}

gboolean
cw_project_remove_coding (CwProject   *self,
                          gint64       id,
                          GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *label = NULL;
  gint64 code_id = 0;
  int found;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  found = query_row (self, "SELECT code_id FROM codings WHERE id = ?1", id, &code_id, NULL, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no coding with id %lld"), (long long) id);
      return FALSE;
    }
  path = _cw_project_code_path (self, code_id, NULL);
  label = g_strdup_printf (_("Remove a coding of “%s”"), path ? path : "");
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!exec_ids (self, "DELETE FROM memos WHERE coding_id = ?1", id, 0, error) ||
      !exec_ids (self, "DELETE FROM codings WHERE id = ?1", id, 0, error) ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return TRUE;
}

#define CODING_COLUMNS \
  "c.id, c.guid, c.document_id, c.code_id, k.color, c.coder_id, r.name," \
  " c.start, c.end, c.created_at"

static CwCoding *
coding_from_row (sqlite3_stmt *stmt)
{
  CwCoding *coding = g_new0 (CwCoding, 1);

  coding->id = sqlite3_column_int64 (stmt, 0);
  coding->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  coding->document_id = sqlite3_column_int64 (stmt, 2);
  coding->code_id = sqlite3_column_int64 (stmt, 3);
  coding->color = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  coding->coder_id = sqlite3_column_int64 (stmt, 5);
  coding->coder = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  coding->start = sqlite3_column_int64 (stmt, 7);
  coding->end = sqlite3_column_int64 (stmt, 8);
  coding->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  return coding;
}

typedef struct
{
  gint64  start;
  gint64  end;
  char   *speaker;
} TurnSpan;

static void
turn_span_clear (TurnSpan *turn)
{
  g_free (turn->speaker);
}

/* The document's turns by start. */
static GArray *
load_turns (CwProject  *self,
            gint64      document_id,
            GError    **error)
{
  g_autoptr(GArray) turns = g_array_new (FALSE, FALSE, sizeof (TurnSpan));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_array_set_clear_func (turns, (GDestroyNotify) turn_span_clear);
  stmt = _cw_project_prepare (self,
                              "SELECT t.start, t.end, s.name FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id"
                              " WHERE t.document_id = ?1 ORDER BY t.start, t.idx",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TurnSpan turn = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                        g_strdup ((const char *) sqlite3_column_text (stmt, 2)) };

      g_array_append_val (turns, turn);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the turns"));
      return NULL;
    }
  return g_steal_pointer (&turns);
}

/* The speaker of the turn where [start, end) starts: the turn containing
 * start, else the one whose "Name:" label start is in when the coding
 * reaches into that turn (a whole turn selected with its label), else the
 * last turn starting before. */
static const char *
speaker_at (GArray *turns,
            gint64  start,
            gint64  end)
{
  guint lo = 0, hi = turns->len;
  const TurnSpan *before, *next;

  /* lo: the first turn starting after start. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (turns, TurnSpan, mid).start <= start)
        lo = mid + 1;
      else
        hi = mid;
    }
  before = lo > 0 ? &g_array_index (turns, TurnSpan, lo - 1) : NULL;
  next = lo < turns->len ? &g_array_index (turns, TurnSpan, lo) : NULL;
  if (before != NULL && start < before->end)
    return before->speaker;
  if (next != NULL && end > next->start)
    return next->speaker;
  return before != NULL ? before->speaker : NULL;
}

CwCoding *
cw_project_get_coding (CwProject  *self,
                       gint64      id,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CwCoding) coding = NULL;
  g_autoptr(GArray) turns = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self,
                              "SELECT " CODING_COLUMNS ", d.name, NULL,"
                              " (SELECT m.text FROM memos m WHERE m.coding_id = c.id ORDER BY m.id LIMIT 1)"
                              " FROM codings c JOIN codes k ON k.id = c.code_id"
                              " JOIN coders r ON r.id = c.coder_id"
                              " JOIN documents d ON d.id = c.document_id"
                              " WHERE c.id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no coding with id %lld"), (long long) id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return NULL;
    }
  coding = coding_from_row (stmt);
  coding->document = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  coding->memo = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
  g_clear_pointer (&stmt, _cw_statement_release);
  if ((coding->code = _cw_project_code_path (self, coding->code_id, error)) == NULL ||
      (turns = load_turns (self, coding->document_id, error)) == NULL)
    return NULL;
  coding->speaker = g_strdup (speaker_at (turns, coding->start, coding->end));
  return g_steal_pointer (&coding);
}

GPtrArray *
cw_project_list_document_codings (CwProject  *self,
                                  gint64      document_id,
                                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) codings = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_coding_free);
  g_autoptr(GHashTable) paths = NULL;
  g_autoptr(GHashTable) memos = NULL; /* gint64 * coding id -> text */
  g_autoptr(GArray) turns = NULL;
  g_autofree char *document = NULL;
  int rc, found;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  found = query_row (self, "SELECT id, name FROM documents WHERE id = ?1", document_id, NULL, &document, error);
  if (found < 0)
    return NULL;
  if (found == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no document with id %lld"), (long long) document_id);
      return NULL;
    }

  /* Four flat reads (codes, turns, memos, codings) rather than a subquery
   * per coding: the transcript view calls this on every document open. */
  if ((paths = _cw_project_code_paths (self, error)) == NULL)
    return NULL;

  if ((turns = load_turns (self, document_id, error)) == NULL)
    return NULL;

  memos = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  stmt = _cw_project_prepare (self,
                              "SELECT m.coding_id, m.text FROM codings c JOIN memos m ON m.coding_id = c.id"
                              " WHERE c.document_id = ?1 ORDER BY m.id",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 coding_id = sqlite3_column_int64 (stmt, 0);

      if (!g_hash_table_contains (memos, &coding_id))
        g_hash_table_insert (memos, g_memdup2 (&coding_id, sizeof coding_id),
                             g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the memos"));
      return NULL;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  stmt = _cw_project_prepare (self,
                              "SELECT " CODING_COLUMNS
                              " FROM codings c JOIN codes k ON k.id = c.code_id"
                              " JOIN coders r ON r.id = c.coder_id"
                              " WHERE c.document_id = ?1 ORDER BY c.start, c.end, c.id",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwCoding *coding = coding_from_row (stmt);

      coding->document = g_strdup (document);
      coding->code = g_strdup (g_hash_table_lookup (paths, &coding->code_id));
      coding->memo = g_strdup (g_hash_table_lookup (memos, &coding->id));
      coding->speaker = g_strdup (speaker_at (turns, coding->start, coding->end));
      g_ptr_array_add (codings, coding);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return NULL;
    }
  return g_steal_pointer (&codings);
}

/* Memos */

void
cw_memo_free (CwMemo *memo)
{
  if (memo == NULL)
    return;
  g_free (memo->guid);
  g_free (memo->title);
  g_free (memo->text);
  g_free (memo->author);
  g_free (memo->created_at);
  g_free (memo->modified_at);
  g_free (memo);
}

static gboolean
check_memo_target (CwProject     *self,
                   CwMemoTarget   target,
                   gint64         target_id,
                   GError       **error)
{
  static const char * const checks[] = {
    [CW_MEMO_DOCUMENT] = "SELECT 1 FROM documents WHERE id = ?1",
    [CW_MEMO_CODE] = "SELECT 1 FROM codes WHERE id = ?1",
    [CW_MEMO_CODING] = "SELECT 1 FROM codings WHERE id = ?1",
  };
  int found;

  if (target == CW_MEMO_PROJECT)
    {
      if (target_id != 0)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("a memo on the project has no target id"));
          return FALSE;
        }
      return TRUE;
    }
  found = query_row (self, checks[target], target_id, NULL, NULL, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      /* Whole messages per target: a noun alone would not translate. */
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   target == CW_MEMO_DOCUMENT ? _("no document with id %lld")
                   : target == CW_MEMO_CODE ? _("no code with id %lld")
                   : _("no coding with id %lld"),
                   (long long) target_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_text (const char  *text,
            GError     **error)
{
  if (text != NULL && !g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _("a memo must be valid text"));
      return FALSE;
    }
  return TRUE;
}

gint64
cw_project_add_memo (CwProject     *self,
                     CwMemoTarget   target,
                     gint64         target_id,
                     const char    *title,
                     const char    *text,
                     const char    *author,
                     GError       **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *label = NULL;
  gint64 author_id, id;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);
  g_return_val_if_fail (target >= CW_MEMO_PROJECT && target <= CW_MEMO_CODING, 0);

  if (!check_text (title, error) || !check_text (text, error))
    return 0;
  if ((clean = clean_coder (author, error)) == NULL)
    return 0;
  label = nonempty (title) != NULL ? g_strdup_printf (_("Add memo “%s”"), title)
                                   : g_strdup (_("Add memo"));
  if (!_cw_project_begin_step (self, label, error))
    return 0;
  if (!check_memo_target (self, target, target_id, error) ||
      (author_id = ensure_coder_row (self, clean, error)) == 0 ||
      (id = insert_memo (self, target, target_id, title, text, author_id, error)) == 0 ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return 0;
    }
  return id;
}

gboolean
cw_project_update_memo (CwProject   *self,
                        gint64       id,
                        const char  *title,
                        const char  *text,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CwMemo) memo = NULL;
  g_autofree char *now = NULL;
  const char *new_title, *new_text;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!check_text (title, error) || !check_text (text, error))
    return FALSE;

  stmt = _cw_project_prepare (self, "SELECT title, text FROM memos WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no memo with id %lld"), (long long) id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the memos"));
      return FALSE;
    }
  memo = g_new0 (CwMemo, 1);
  memo->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  memo->text = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  g_clear_pointer (&stmt, _cw_statement_release);

  /* NULL keeps what is there; an empty title removes it. */
  new_title = title == NULL ? memo->title : nonempty (title);
  new_text = text == NULL ? memo->text : text;
  if (g_strcmp0 (new_title, memo->title) == 0 && g_strcmp0 (new_text, memo->text) == 0)
    return TRUE;

  if (!_cw_project_begin_step (self, _("Edit memo"), error))
    return FALSE;
  stmt = _cw_project_prepare (self, "UPDATE memos SET title = ?2, text = ?3, modified_at = ?4 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  now = _cw_now_iso8601 ();
  sqlite3_bind_int64 (stmt, 1, id);
  if (new_title != NULL)
    sqlite3_bind_text (stmt, 2, new_title, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, new_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, _("cannot change the memo"), error) ||
      !_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

gboolean
cw_project_delete_memo (CwProject   *self,
                        gint64       id,
                        GError     **error)
{
  int found;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  found = query_row (self, "SELECT id FROM memos WHERE id = ?1", id, NULL, NULL, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no memo with id %lld"), (long long) id);
      return FALSE;
    }
  if (!_cw_project_begin_step (self, _("Delete memo"), error))
    return FALSE;
  if (!exec_ids (self, "DELETE FROM memos WHERE id = ?1", id, 0, error) ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
cw_project_list_memos (CwProject     *self,
                       CwMemoTarget   target,
                       gint64         target_id,
                       GError       **error)
{
  static const char * const filters[] = {
    [CW_MEMO_PROJECT] = "m.document_id IS NULL AND m.code_id IS NULL AND m.coding_id IS NULL",
    [CW_MEMO_DOCUMENT] = "m.document_id = ?1",
    [CW_MEMO_CODE] = "m.code_id = ?1",
    [CW_MEMO_CODING] = "m.coding_id = ?1",
  };
  static const char * const any[] = {
    [CW_MEMO_PROJECT] = "m.document_id IS NULL AND m.code_id IS NULL AND m.coding_id IS NULL",
    [CW_MEMO_DOCUMENT] = "m.document_id IS NOT NULL",
    [CW_MEMO_CODE] = "m.code_id IS NOT NULL",
    [CW_MEMO_CODING] = "m.coding_id IS NOT NULL",
  };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) memos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_memo_free);
  g_autofree char *sql = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (target >= CW_MEMO_PROJECT && target <= CW_MEMO_CODING, NULL);

  sql = g_strdup_printf ("SELECT m.id, m.guid, m.title, m.text, r.name, m.created_at, m.modified_at,"
                         " coalesce (m.coding_id, m.code_id, m.document_id, 0)"
                         " FROM memos m LEFT JOIN coders r ON r.id = m.author_id"
                         " WHERE %s ORDER BY m.id",
                         target_id != 0 ? filters[target] : any[target]);
  stmt = _cw_project_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  if (target != CW_MEMO_PROJECT && target_id != 0)
    sqlite3_bind_int64 (stmt, 1, target_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwMemo *memo = g_new0 (CwMemo, 1);

      memo->id = sqlite3_column_int64 (stmt, 0);
      memo->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      memo->title = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      memo->text = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      memo->author = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      memo->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      memo->modified_at = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      memo->target = target;
      memo->target_id = target == CW_MEMO_PROJECT ? 0 : sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (memos, memo);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the memos"));
      return NULL;
    }
  return g_steal_pointer (&memos);
}

/* Document groups */

void
cw_document_group_free (CwDocumentGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->guid);
  g_free (group->name);
  g_clear_pointer (&group->document_ids, g_array_unref);
  g_free (group);
}

/* The group's id (and name): 1 found, 0 none (with a NOT_FOUND error),
 * -1 error. */
static int
get_group (CwProject   *self,
           gint64       id,
           char       **name,
           GError     **error)
{
  int found = query_row (self, "SELECT id, name FROM document_groups WHERE id = ?1", id, NULL, name, error);

  if (found == 0)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("no document group with id %lld"), (long long) id);
  return found;
}

/* The id of the group called name (which is clean): > 0, 0 none, -1 error. */
static gint64
find_group (CwProject   *self,
            const char  *name,
            gint64       exclude_id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT id FROM document_groups WHERE name = ?1 AND id != ?2", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, exclude_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the document groups"));
  return -1;
}

gint64
cw_project_add_group (CwProject   *self,
                      const char  *name,
                      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *label = NULL;
  g_autofree char *guid = NULL;
  gint64 clash, id;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  if ((clean = _cw_clean_name (name, "group", TRUE, error)) == NULL)
    return 0;
  label = g_strdup_printf (_("Add group “%s”"), clean);
  if (!_cw_project_begin_step (self, label, error))
    return 0;
  if ((clash = find_group (self, clean, 0, error)) < 0)
    goto failed;
  if (clash > 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("group '%s' already exists"), clean);
      goto failed;
    }
  stmt = _cw_project_prepare (self, "INSERT INTO document_groups (guid, name) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    goto failed;
  guid = g_uuid_string_random ();
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, _("cannot add the group"), error))
    goto failed;
  id = sqlite3_last_insert_rowid (_cw_project_get_db (self));
  if (!_cw_project_end_step (self, error))
    goto failed;
  return id;

failed:
  _cw_project_abort_step (self);
  return 0;
}

gboolean
cw_project_rename_group (CwProject   *self,
                         gint64       id,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *old = NULL;
  g_autofree char *label = NULL;
  gint64 clash;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if ((clean = _cw_clean_name (name, "group", TRUE, error)) == NULL)
    return FALSE;
  if (get_group (self, id, &old, error) <= 0)
    return FALSE;
  if (g_strcmp0 (old, clean) == 0)
    return TRUE;
  label = g_strdup_printf (_("Rename group “%s” to “%s”"), old, clean);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if ((clash = find_group (self, clean, id, error)) < 0)
    goto failed;
  if (clash > 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("group '%s' already exists"), clean);
      goto failed;
    }
  stmt = _cw_project_prepare (self, "UPDATE document_groups SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, _("cannot rename the group"), error) ||
      !_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

gboolean
cw_project_delete_group (CwProject   *self,
                         gint64       id,
                         GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (get_group (self, id, &name, error) <= 0)
    return FALSE;
  label = g_strdup_printf (_("Delete group “%s”"), name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!exec_ids (self, "DELETE FROM document_group_members WHERE group_id = ?1", id, 0, error) ||
      !exec_ids (self, "DELETE FROM document_groups WHERE id = ?1", id, 0, error) ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return TRUE;
}

/* Adds or removes a member; nothing to do is no step at all. */
static gboolean
change_member (CwProject   *self,
               gint64       group_id,
               gint64       document_id,
               gboolean     add,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  int found, member;

  if (get_group (self, group_id, &name, error) <= 0)
    return FALSE;
  found = query_row (self, "SELECT id FROM documents WHERE id = ?1", document_id, NULL, NULL, error);
  if (found < 0)
    return FALSE;
  if (found == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no document with id %lld"), (long long) document_id);
      return FALSE;
    }
  stmt = _cw_project_prepare (self,
                              "SELECT 1 FROM document_group_members WHERE group_id = ?1 AND document_id = ?2",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, group_id);
  sqlite3_bind_int64 (stmt, 2, document_id);
  member = sqlite3_step (stmt);
  if (member != SQLITE_ROW && member != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the document groups"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  if ((member == SQLITE_ROW) == add)
    return TRUE;

  label = add ? g_strdup_printf (_("Add a document to group “%s”"), name)
              : g_strdup_printf (_("Remove a document from group “%s”"), name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!exec_ids (self,
                 add ? "INSERT OR IGNORE INTO document_group_members (group_id, document_id) VALUES (?1, ?2)"
                     : "DELETE FROM document_group_members WHERE group_id = ?1 AND document_id = ?2",
                 group_id, document_id, error) ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
cw_project_group_add_document (CwProject   *self,
                               gint64       group_id,
                               gint64       document_id,
                               GError     **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return change_member (self, group_id, document_id, TRUE, error);
}

gboolean
cw_project_group_remove_document (CwProject   *self,
                                  gint64       group_id,
                                  gint64       document_id,
                                  GError     **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return change_member (self, group_id, document_id, FALSE, error);
}

GPtrArray *
cw_project_list_groups (CwProject  *self,
                        GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_document_group_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self, "SELECT id, guid, name FROM document_groups ORDER BY name, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwDocumentGroup *group = g_new0 (CwDocumentGroup, 1);

      group->id = sqlite3_column_int64 (stmt, 0);
      group->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      group->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      group->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_ptr_array_add (groups, group);
      g_hash_table_insert (by_id, &group->id, group);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the document groups"));
      return NULL;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  stmt = _cw_project_prepare (self,
                              "SELECT group_id, document_id FROM document_group_members ORDER BY group_id, document_id",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 group_id = sqlite3_column_int64 (stmt, 0);
      gint64 document_id = sqlite3_column_int64 (stmt, 1);
      CwDocumentGroup *group = g_hash_table_lookup (by_id, &group_id);

      if (group != NULL)
        g_array_append_val (group->document_ids, document_id);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the document groups"));
      return NULL;
    }
  return g_steal_pointer (&groups);
}

gint64
cw_project_lookup_group (CwProject   *self,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *clean = NULL;
  gint64 id;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  clean = _cw_clean_name (name, "group", TRUE, NULL);
  if (clean == NULL || (id = find_group (self, clean, 0, error)) == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no document group '%s'"), name ? name : "");
      return 0;
    }
  return id > 0 ? id : 0;
}
