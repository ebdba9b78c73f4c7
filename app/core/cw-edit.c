/* cw-edit.c: correcting a document's text without losing codings (see
 * cw-edit.h for the rules).
 *
 * Undo. Recording by the history triggers stays off while an edit moves
 * rows: shifting 500 codings per keystroke would record 500 statements per
 * keystroke. Instead, the first time a step touches a document it writes
 * statements that put the document back as it was (replayed newest first):
 *
 *   UPDATE "documents" SET "text" = <old>, "characters" = <n> WHERE "id" = D
 *   UPDATE "turns" SET "start" = s, "end" = e WHERE "id" = t      (each turn)
 *   UPDATE "codings" SET "start" = "start" + BIG, ... WHERE "document_id" = D
 *   UPDATE "codings" SET "start" = s, "end" = e WHERE "id" = c  (each coding)
 *
 * The BIG move parks every coding far above any offset first, so that
 * putting them back one by one never meets UNIQUE (document, code, coder,
 * start, end) halfway. A coding an edit removes is first parked below zero
 * (each coding at its own distance) and then deleted with recording on, so
 * the triggers record its row and its memos; undo inserts them back before
 * the statements above run. Undo runs all this with recording on, so
 * documents and turns have update triggers (schema 4) and redo works as for
 * any other step.
 *
 * Bursts. Every keystroke is its own committed transaction (a crash loses
 * nothing committed); the burst's step is made by its first keystroke. With
 * synchronous = NORMAL during a burst a commit is not flushed to disk:
 * it survives the program crashing, a power cut may lose the last
 * keystrokes (never consistency). The document's FTS entry is left as it
 * was until the burst ends (index_pending, see cw-project.c schema 4).
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cw-codebook-private.h"
#include "cw-edit.h"
#include "cw-project-private.h"

/* Where codings are parked while undo puts them back; above any offset. */
#define PARK_ABOVE (G_GINT64_CONSTANT (1) << 62)
/* Removed codings are parked at their offsets minus (id mod 2^29 + 1)
 * times this: below zero, apart from each other, and still above
 * -PARK_ABOVE so that undo's move by PARK_ABOVE cannot overflow. */
#define PARK_REMOVED (G_GINT64_CONSTANT (1) << 32)

/* A keystroke writes some 35 pages (the text's overflow pages, codings
 * and their indexes); checkpointing every 1,000 pages (SQLite's default)
 * would stall one keystroke in 30. */
#define BURST_CHECKPOINT 8000

typedef struct
{
  gint64    document_id;
  char     *label;   /* NULL: "Edit “name”" */
  gint64    step;    /* 0 until the first edit */
} Burst;

static GQuark
burst_quark (void)
{
  return g_quark_from_static_string ("cw-edit-burst");
}

static void
burst_free (Burst *burst)
{
  g_free (burst->label);
  g_free (burst);
}

static Burst *
get_burst (CwProject *self)
{
  return g_object_get_qdata (G_OBJECT (self), burst_quark ());
}

void
cw_removed_coding_free (CwRemovedCoding *coding)
{
  if (coding == NULL)
    return;
  g_free (coding->code);
  g_free (coding->coder);
  g_free (coding);
}

void
cw_edit_result_free (CwEditResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->removed, g_ptr_array_unref);
  g_free (result);
}

static void
replace_count_free (CwReplaceCount *count)
{
  g_free (count->document);
  g_free (count);
}

void
cw_replace_result_free (CwReplaceResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->documents, g_ptr_array_unref);
  g_clear_pointer (&result->removed, g_ptr_array_unref);
  g_free (result);
}

/* SQL helpers */

static gboolean
step_done (CwProject     *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }
  return TRUE;
}

/* Runs sql with up to three integer parameters. */
static gboolean
run3 (CwProject   *self,
      const char  *sql,
      gint64       p1,
      gint64       p2,
      gint64       p3,
      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);
  int n;

  if (stmt == NULL)
    return FALSE;
  n = sqlite3_bind_parameter_count (stmt);
  if (n >= 1)
    sqlite3_bind_int64 (stmt, 1, p1);
  if (n >= 2)
    sqlite3_bind_int64 (stmt, 2, p2);
  if (n >= 3)
    sqlite3_bind_int64 (stmt, 3, p3);
  return step_done (self, stmt, error);
}

/* As run3, but a UNIQUE clash returns FALSE with *clash set and no error
 * (the statement's changes are undone; the transaction goes on). */
static gboolean
run3_may_clash (CwProject   *self,
                const char  *sql,
                gint64       p1,
                gint64       p2,
                gint64       p3,
                gboolean    *clash,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);
  int rc;

  *clash = FALSE;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p1);
  sqlite3_bind_int64 (stmt, 2, p2);
  sqlite3_bind_int64 (stmt, 3, p3);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc == SQLITE_CONSTRAINT)
    {
      *clash = TRUE;
      return FALSE;
    }
  _cw_project_set_db_error (self, error, _("cannot write the project"));
  return FALSE;
}

typedef struct
{
  char   *name;
  char   *text;
  gint64  characters;
} Document;

static void
document_clear (Document *document)
{
  g_clear_pointer (&document->name, g_free);
  g_clear_pointer (&document->text, g_free);
}

/* g_utf8_strlen, faster on long texts: counts the bytes that start a
 * character (text is valid UTF-8). */
static gint64
count_characters (const char *text,
                  gsize       bytes)
{
  const unsigned char *p = (const unsigned char *) text;
  gint64 n = 0;

  for (gsize i = 0; i < bytes; i++)
    n += (p[i] & 0xC0) != 0x80;
  return n;
}

static gboolean
load_document (CwProject  *self,
               gint64      id,
               Document   *document,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT name, text, characters FROM documents WHERE id = ?1", error);
  gsize bytes;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"), cw_project_get_path (self), (long long) id);
      return FALSE;
    }
  document->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  bytes = sqlite3_column_bytes (stmt, 1);
  document->text = g_strndup ((const char *) sqlite3_column_text (stmt, 1), bytes);
  document->characters = sqlite3_column_int64 (stmt, 2);
  /* A damaged file must not make us read past the text. */
  if (!g_utf8_validate (document->text, bytes, NULL) ||
      document->characters != count_characters (document->text, bytes))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the text of “%s” is damaged (not UTF-8, or not as long as recorded)"),
                   cw_project_get_path (self), document->name);
      document_clear (document);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_text (CwProject   *self,
            gint64       document_id,
            const char  *text,
            gint64       characters,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "UPDATE documents SET text = ?2, characters = ?3 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, characters);
  return step_done (self, stmt, error);
}

/* Undo: the statements that put document_id back as it is now (see the
 * top of the file), added to step. */
static gboolean
snapshot_document (CwProject  *self,
                   gint64      step,
                   gint64      document_id,
                   GError    **error)
{
  return run3 (self,
               "INSERT INTO history (step_id, sql) SELECT ?1,"
               " printf ('UPDATE \"codings\" SET \"start\" = %lld, \"end\" = %lld WHERE \"id\" = %lld',"
               "         start, \"end\", id)"
               " FROM codings WHERE document_id = ?2 ORDER BY id",
               step, document_id, 0, error) &&
         run3 (self,
               "INSERT INTO history (step_id, sql) SELECT ?1,"
               " printf ('UPDATE \"codings\" SET \"start\" = \"start\" + %lld, \"end\" = \"end\" + %lld"
               " WHERE \"document_id\" = %lld', ?3, ?3, ?2)"
               " WHERE EXISTS (SELECT 1 FROM codings WHERE document_id = ?2)",
               step, document_id, PARK_ABOVE, error) &&
         run3 (self,
               "INSERT INTO history (step_id, sql) SELECT ?1,"
               " printf ('UPDATE \"turns\" SET \"start\" = %lld, \"end\" = %lld WHERE \"id\" = %lld',"
               "         start, \"end\", id)"
               " FROM turns WHERE document_id = ?2 ORDER BY id",
               step, document_id, 0, error) &&
         run3 (self,
               "INSERT INTO history (step_id, sql) SELECT ?1,"
               " 'UPDATE \"documents\" SET \"text\" = ' || quote (text) || ', \"characters\" = '"
               " || characters || ' WHERE \"id\" = ' || id"
               " FROM documents WHERE id = ?2",
               step, document_id, 0, error);
}

/* Removes a coding whose text is gone (or that now duplicates another),
 * so that undo brings it back with its memos: parked below zero (start, end
 * are its offsets now), then deleted with recording on. */
static gboolean
remove_coding (CwProject  *self,
               gint64      step,
               gint64      document_id,
               gint64      id,
               gint64      start,
               gint64      end,
               GPtrArray  *removed,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT c.code_id, k.name FROM codings c JOIN coders k ON k.id = c.coder_id"
                         " WHERE c.id = ?1",
                         error);
  gint64 park = ((id % (G_GINT64_CONSTANT (1) << 29)) + 1) * PARK_REMOVED;
  CwRemovedCoding *coding;
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return FALSE;
    }
  coding = g_new0 (CwRemovedCoding, 1);
  coding->id = id;
  coding->document_id = document_id;
  coding->code = _cw_project_code_path (self, sqlite3_column_int64 (stmt, 0), NULL);
  coding->coder = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  coding->start = start;
  coding->end = end;
  g_ptr_array_add (removed, coding);
  g_clear_pointer (&stmt, _cw_statement_release);

  if (!run3 (self, "UPDATE codings SET start = ?2, \"end\" = ?3 WHERE id = ?1",
             id, start - park, end - park, error) ||
      !_cw_history_resume (self, step, NULL, error))
    return FALSE;
  ok = run3 (self, "DELETE FROM codings WHERE id = ?1", id, 0, 0, error);
  if (_cw_history_pause (self, ok ? error : NULL) < 0)
    return FALSE;
  return ok;
}

/* The coding of id's document, code and coder at [start, end); -1 on
 * error. */
static gint64
find_twin (CwProject  *self,
           gint64      id,
           gint64      start,
           gint64      end,
           GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT t.id FROM codings c JOIN codings t ON t.document_id = c.document_id"
                         " AND t.code_id = c.code_id AND t.coder_id = c.coder_id"
                         " WHERE c.id = ?1 AND t.start = ?2 AND t.\"end\" = ?3",
                         error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, start);
  sqlite3_bind_int64 (stmt, 3, end);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct
{
  gint64 id;
  gint64 start;
  gint64 end;
  gint64 new_start;
  gint64 new_end;
} Touched;

/* Moves turns and codings of document_id for the replacement of [a, b)
 * (old offsets) by length code points; the rules are in cw-edit.h. */
static gboolean
move_offsets (CwProject  *self,
              gint64      step,
              gint64      document_id,
              gint64      a,
              gint64      b,
              gint64      length,
              GPtrArray  *removed,
              GError    **error)
{
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (Touched));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean insertion = a == b;
  gint64 delta = length - (b - a);
  /* Codings starting at or after this only shift. */
  gint64 shift_from = insertion ? a : b;
  guint n_moved = 0;
  gboolean clash;
  int rc;

  /* Turns: insertions at a turn's edges go inside it. No UNIQUE on their
   * offsets, so one statement does. */
  if (insertion)
    {
      if (!run3 (self,
                 "UPDATE turns SET start = CASE WHEN start > ?2 THEN start + ?3 ELSE start END,"
                 " \"end\" = \"end\" + ?3 WHERE document_id = ?1 AND \"end\" >= ?2",
                 document_id, a, length, error))
        return FALSE;
    }
  else
    {
      stmt = _cw_project_prepare (self,
                                  "UPDATE turns SET"
                                  " start = CASE WHEN start < ?2 THEN start WHEN start < ?3 THEN ?2"
                                  "         ELSE start + ?4 END,"
                                  " \"end\" = CASE WHEN \"end\" <= ?2 THEN \"end\" WHEN \"end\" <= ?3 THEN ?2 + ?5"
                                  "         ELSE \"end\" + ?4 END"
                                  " WHERE document_id = ?1 AND \"end\" > ?2",
                                  error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, document_id);
      sqlite3_bind_int64 (stmt, 2, a);
      sqlite3_bind_int64 (stmt, 3, b);
      sqlite3_bind_int64 (stmt, 4, delta);
      sqlite3_bind_int64 (stmt, 5, length);
      if (!step_done (self, stmt, error))
        return FALSE;
      g_clear_pointer (&stmt, _cw_statement_release);
    }

  /* Codings around the edit: computed here, written after the shift. */
  stmt = _cw_project_prepare (self,
                              "SELECT id, start, \"end\" FROM codings"
                              " WHERE document_id = ?1 AND start < ?2 AND \"end\" > ?3 ORDER BY id",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, shift_from);
  sqlite3_bind_int64 (stmt, 3, a);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Touched t = {
        .id = sqlite3_column_int64 (stmt, 0),
        .start = sqlite3_column_int64 (stmt, 1),
        .end = sqlite3_column_int64 (stmt, 2),
      };

      if (insertion)
        {
          /* Strictly inside: grows. */
          t.new_start = t.start;
          t.new_end = t.end + length;
        }
      else
        {
          t.new_start = t.start < a ? t.start : a;
          t.new_end = t.end <= b ? a + length : t.end + delta;
        }
      g_array_append_val (touched, t);
      if (t.new_end > t.new_start && (t.new_start != t.start || t.new_end != t.end))
        n_moved++;
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  /* Codings after the edit shift. One statement; UNIQUE is checked row by
   * row, so two codings of one code a shift apart clash halfway: then
   * park them above everything and bring them down. */
  if (delta != 0 &&
      !run3_may_clash (self,
                       "UPDATE codings SET start = start + ?3, \"end\" = \"end\" + ?3"
                       " WHERE document_id = ?1 AND start >= ?2",
                       document_id, shift_from, delta, &clash, error))
    {
      if (!clash ||
          !run3 (self,
                 "UPDATE codings SET start = start + ?3, \"end\" = \"end\" + ?3"
                 " WHERE document_id = ?1 AND start >= ?2",
                 document_id, shift_from, delta + PARK_ABOVE, error) ||
          !run3 (self,
                 "UPDATE codings SET start = start - ?2, \"end\" = \"end\" - ?2"
                 " WHERE document_id = ?1 AND start >= ?2",
                 document_id, PARK_ABOVE, 0, error))
        return FALSE;
    }

  /* Several codings around the edit: park them first, so that they do not
   * meet each other halfway. */
  if (n_moved > 1)
    for (guint i = 0; i < touched->len; i++)
      {
        Touched *t = &g_array_index (touched, Touched, i);

        if (t->new_end > t->new_start && (t->new_start != t->start || t->new_end != t->end) &&
            !run3 (self, "UPDATE codings SET start = start + ?2, \"end\" = \"end\" + ?2 WHERE id = ?1",
                   t->id, PARK_ABOVE, 0, error))
          return FALSE;
      }

  for (guint i = 0; i < touched->len; i++)
    {
      Touched *t = &g_array_index (touched, Touched, i);

      if (t->new_end <= t->new_start)
        {
          /* Its text is gone. */
          if (!remove_coding (self, step, document_id, t->id, t->start, t->end, removed, error))
            return FALSE;
        }
      else if (t->new_start != t->start || t->new_end != t->end)
        {
          if (!run3_may_clash (self, "UPDATE codings SET start = ?2, \"end\" = ?3 WHERE id = ?1",
                               t->id, t->new_start, t->new_end, &clash, error))
            {
              gint64 other;

              /* Now the same as another coding of its code by its coder:
               * the newer of the two goes. */
              if (!clash || (other = find_twin (self, t->id, t->new_start, t->new_end, error)) < 0)
                return FALSE;
              if (other > t->id)
                {
                  if (!remove_coding (self, step, document_id, other, t->new_start, t->new_end, removed, error) ||
                      !run3 (self, "UPDATE codings SET start = ?2, \"end\" = ?3 WHERE id = ?1",
                             t->id, t->new_start, t->new_end, error))
                    return FALSE;
                }
              else if (!remove_coding (self, step, document_id, t->id, t->new_start, t->new_end, removed, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* Text */

/* CR LF and CR become LF, then NFC; NULL if not valid UTF-8. */
static char *
normalize_input (const char *text)
{
  g_autoptr(GString) lf = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  if (strchr (text, '\r') == NULL)
    return g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  lf = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (lf, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (lf, *p);
    }
  return g_utf8_normalize (lf->str, -1, G_NORMALIZE_NFC);
}

static gboolean
is_combining (const char *p)
{
  return g_unichar_combining_class (g_utf8_get_char (p)) != 0;
}

/* Replaces [*a, *b) of text (n characters) with replacement (already
 * normalised). Widens [*a, *b) over a combining mark that would otherwise
 * end up after a different base character, and composes that stretch
 * again, so the text stays NFC. Returns the new text; *length is the
 * length of what took [*a, *b)'s place. */
static char *
splice (const char  *text,
        gint64       n,
        gint64      *a,
        gint64      *b,
        const char  *replacement,
        gint64      *length)
{
  const char *end = text + strlen (text);
  const char *a0 = g_utf8_offset_to_pointer (text, *a);
  const char *b0 = g_utf8_offset_to_pointer (a0, *b - *a);
  const char *pa = a0, *pb = b0;
  g_autofree char *middle = NULL;
  GString *result;

  /* A mark starting the replacement, or left behind by a deletion,
   * combines with the character before: take that (and its marks) in. */
  if (*a > 0 && ((replacement[0] != '\0' && is_combining (replacement)) ||
                 (replacement[0] == '\0' && pb < end && is_combining (pb))))
    {
      do
        {
          pa = g_utf8_prev_char (pa);
          (*a)--;
        }
      while (*a > 0 && is_combining (pa));
    }
  /* Marks after the edit may compose with the replacement's last letter. */
  while (pb < end && is_combining (pb))
    {
      pb = g_utf8_next_char (pb);
      (*b)++;
    }
  g_assert (*b <= n);

  if (pa == a0 && pb == b0)
    middle = g_strdup (replacement);
  else
    {
      g_autoptr(GString) joined = g_string_new_len (pa, a0 - pa);

      g_string_append (joined, replacement);
      g_string_append_len (joined, b0, pb - b0);
      middle = g_utf8_normalize (joined->str, joined->len, G_NORMALIZE_NFC);
      g_assert (middle != NULL); /* the text and replacement are valid UTF-8 */
    }

  *length = g_utf8_strlen (middle, -1);
  result = g_string_sized_new ((end - text) + strlen (middle));
  g_string_append_len (result, text, pa - text);
  g_string_append (result, middle);
  g_string_append_len (result, pb, end - pb);
  return g_string_free (result, FALSE);
}

/* Bursts and steps */

static char *
default_label (const char *document)
{
  /* Translators: an undo step; %s is a document's name. */
  return g_strdup_printf (_("Edit “%s”"), document);
}

/* Whether step is still the newest step to undo: when another program's
 * edit came in between, the burst goes on in a step of its own. */
static gboolean
is_top_step (CwProject *self,
             gint64     step)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT id FROM history_steps WHERE redo = 0 ORDER BY id DESC LIMIT 1", NULL);

  return stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) == step;
}

/* Brings document_id's index entry up to date if a burst left it behind. */
static gboolean
flush_index (CwProject  *self,
             gint64      document_id,
             GError    **error)
{
  sqlite3 *db = _cw_project_get_db (self);

  if (!run3 (self,
             "INSERT INTO document_index (document_index, rowid, text)"
             " SELECT 'delete', document_id, indexed_text FROM index_pending WHERE document_id = ?1",
             document_id, 0, 0, error) ||
      !run3 (self, "DELETE FROM index_pending WHERE document_id = ?1", document_id, 0, 0, error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    return TRUE;
  return run3 (self,
               "INSERT INTO document_index (rowid, text) SELECT id, text FROM documents WHERE id = ?1",
               document_id, 0, 0, error);
}

static gboolean
flush_index_now (CwProject  *self,
                 gint64      document_id,
                 GError    **error)
{
  if (!_cw_project_begin (self, error))
    return FALSE;
  if (!flush_index (self, document_id, error) || !_cw_project_commit (self, error))
    {
      _cw_project_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
_cw_edit_end_burst (CwProject  *self,
                    GError    **error)
{
  Burst *burst = g_object_steal_qdata (G_OBJECT (self), burst_quark ());
  gboolean ok;

  if (burst == NULL)
    return TRUE;
  /* Back to a flush per commit: the one below also makes the burst's
   * keystrokes durable. */
  _cw_project_exec (self, "PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 1000", NULL);
  ok = flush_index_now (self, burst->document_id, error);
  if (burst->step != 0)
    _cw_project_emit_changed (self);
  burst_free (burst);
  return ok;
}

gboolean
cw_project_end_edit_burst (CwProject  *self,
                           GError    **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  return _cw_edit_end_burst (self, error);
}

gboolean
cw_project_begin_edit_burst (CwProject   *self,
                             gint64       document_id,
                             const char  *label,
                             GError     **error)
{
  Document document = { 0 };
  Burst *burst;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!_cw_edit_end_burst (self, error))
    return FALSE;
  if (!load_document (self, document_id, &document, error))
    return FALSE;
  document_clear (&document);

  burst = g_new0 (Burst, 1);
  burst->document_id = document_id;
  burst->label = g_strdup (label);
  g_object_set_qdata_full (G_OBJECT (self), burst_quark (), burst, (GDestroyNotify) burst_free);
  /* Committed keystrokes survive the program crashing without a flush to
   * disk each (see the top of the file). */
  return _cw_project_exec (self, "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = " G_STRINGIFY (BURST_CHECKPOINT), error);
}

gint64
cw_project_get_edit_burst (CwProject *self)
{
  Burst *burst;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);
  burst = get_burst (self);
  return burst != NULL ? burst->document_id : 0;
}

gboolean
cw_project_flush_edit_index (CwProject  *self,
                             GError    **error)
{
  Burst *burst;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  burst = get_burst (self);
  return burst == NULL || flush_index_now (self, burst->document_id, error);
}

gboolean
_cw_edit_recover (CwProject  *self,
                  GError    **error)
{
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT document_id FROM index_pending", NULL);
  g_autoptr(GError) local_error = NULL;

  (void) error;
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (pending, id);
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  if (pending->len == 0)
    return TRUE;

  /* A read-only or busy file opens all the same: the index of those
   * documents stays as it was until a later open succeeds. */
  if (!_cw_project_begin (self, &local_error))
    {
      g_debug ("%s: cannot re-index interrupted edits: %s", cw_project_get_path (self), local_error->message);
      return TRUE;
    }
  for (guint i = 0; i < pending->len; i++)
    if (!flush_index (self, g_array_index (pending, gint64, i), &local_error))
      {
        _cw_project_rollback (self);
        g_debug ("%s: cannot re-index interrupted edits: %s", cw_project_get_path (self), local_error->message);
        return TRUE;
      }
  if (!_cw_project_commit (self, &local_error))
    g_debug ("%s: cannot re-index interrupted edits: %s", cw_project_get_path (self), local_error->message);
  return TRUE;
}

/* Editing */

gboolean
cw_project_edit_text (CwProject     *self,
                      gint64         document_id,
                      gint64         start,
                      gint64         end,
                      const char    *replacement,
                      CwEditResult **result,
                      GError       **error)
{
  g_autoptr(CwEditResult) done = NULL;
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_removed_coding_free);
  g_autofree char *normal = NULL;
  g_autofree char *new_text = NULL;
  Document document = { 0 };
  Burst *burst;
  gboolean in_burst;
  gint64 a = start, b = end, length = 0, step, old_step = 0;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (result == NULL || *result == NULL, FALSE);

  if ((normal = normalize_input (replacement)) == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the new text is not valid UTF-8"), cw_project_get_path (self));
      return FALSE;
    }

  burst = get_burst (self);
  if (burst != NULL && burst->document_id != document_id)
    {
      if (!_cw_edit_end_burst (self, error))
        return FALSE;
      burst = NULL;
    }
  in_burst = burst != NULL;
  if (in_burst)
    old_step = burst->step;

  if (!_cw_project_begin (self, error))
    return FALSE;
  if (!load_document (self, document_id, &document, error))
    goto failed;
  if (start < 0 || end < start || end > document.characters)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   /* Translators: the project, two offsets, the document's name and its length. */
                   g_dngettext (GETTEXT_PACKAGE, "%s: characters %lld to %lld are not in “%s” (%lld character)",
                                "%s: characters %lld to %lld are not in “%s” (%lld characters)",
                                (gulong) document.characters),
                   cw_project_get_path (self), (long long) start, (long long) end, document.name, (long long) document.characters);
      goto failed;
    }

  done = g_new0 (CwEditResult, 1);
  done->document_id = document_id;
  if (start == end && normal[0] == '\0')
    {
      /* Nothing to do: no step. */
      _cw_project_rollback (self);
      done->start = done->replaced_start = done->replaced_end = start;
      done->characters = document.characters;
      done->removed = g_steal_pointer (&removed);
      document_clear (&document);
      if (result != NULL)
        *result = g_steal_pointer (&done);
      return TRUE;
    }

  new_text = splice (document.text, document.characters, &a, &b, normal, &length);

  if (in_burst && burst->step != 0 && is_top_step (self, burst->step))
    step = burst->step;
  else
    {
      g_autofree char *label = NULL;

      if (!in_burst || burst->label == NULL)
        label = default_label (document.name);
      if ((step = _cw_history_new_step (self, label != NULL ? label : burst->label, error)) == 0 ||
          !snapshot_document (self, step, document_id, error))
        goto failed;
      if (in_burst)
        burst->step = step;
    }
  /* In a burst, the index entry waits for its end (the text it was built
   * from is kept for FTS5's delete). */
  if (in_burst &&
      !run3 (self,
             "INSERT INTO index_pending (document_id, indexed_text) SELECT id, text FROM documents"
             " WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM index_pending WHERE document_id = ?1)",
             document_id, 0, 0, error))
    goto failed;

  if (!move_offsets (self, step, document_id, a, b, length, removed, error) ||
      !write_text (self, document_id, new_text, document.characters - (b - a) + length, error) ||
      !_cw_project_commit (self, error))
    goto failed;

  done->start = a;
  done->length = length;
  done->replaced_start = a;
  done->replaced_end = b;
  done->characters = document.characters - (b - a) + length;
  done->removed = g_steal_pointer (&removed);
  document_clear (&document);

  _cw_project_emit_document_text_changed (self, document_id);
  if (!in_burst)
    _cw_project_emit_changed (self);
  if (result != NULL)
    *result = g_steal_pointer (&done);
  return TRUE;

failed:
  if (in_burst)
    burst->step = old_step;
  _cw_project_rollback (self);
  document_clear (&document);
  return FALSE;
}

/* Find and replace */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

static gunichar
fold (gunichar c)
{
  return g_unichar_tolower (c);
}

GArray *
cw_edit_find_all (const char     *text,
                  const char     *find,
                  CwReplaceFlags  flags)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree gunichar *t = NULL;
  g_autofree gunichar *f = NULL;
  g_autofree char *find_nfc = NULL;
  glong tn = 0, fn = 0;
  gboolean match_case = (flags & CW_REPLACE_MATCH_CASE) != 0;
  gboolean whole_word = (flags & CW_REPLACE_WHOLE_WORD) != 0;

  if (text == NULL || find == NULL || !g_utf8_validate (text, -1, NULL) ||
      (find_nfc = normalize_input (find)) == NULL || find_nfc[0] == '\0')
    return matches;

  t = g_utf8_to_ucs4_fast (text, -1, &tn);
  f = g_utf8_to_ucs4_fast (find_nfc, -1, &fn);
  if (!match_case)
    for (glong k = 0; k < fn; k++)
      f[k] = fold (f[k]);

  for (glong i = 0; i + fn <= tn;)
    {
      glong k = 0;

      while (k < fn && (match_case ? t[i + k] : fold (t[i + k])) == f[k])
        k++;
      if (k == fn &&
          (!whole_word ||
           ((i == 0 || !is_word_char (t[i - 1]) || !is_word_char (f[0])) &&
            (i + fn == tn || !is_word_char (t[i + fn]) || !is_word_char (f[fn - 1])))))
        {
          gint64 s = i, e = i + fn;

          g_array_append_val (matches, s);
          g_array_append_val (matches, e);
          i += fn;
        }
      else
        i++;
    }
  return matches;
}

typedef struct
{
  gint64  id;
  char   *name;
} DocumentRef;

static void
document_ref_clear (DocumentRef *ref)
{
  g_free (ref->name);
}

gboolean
cw_project_replace_all (CwProject        *self,
                        gint64            document_id,
                        const char       *find,
                        const char       *replacement,
                        CwReplaceFlags    flags,
                        CwReplaceResult **result,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(CwReplaceResult) done = NULL;
  g_autoptr(GArray) documents = g_array_new (FALSE, FALSE, sizeof (DocumentRef));
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *find_nfc = NULL;
  g_autofree char *normal = NULL;
  gint64 step = 0, length;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (result == NULL || *result == NULL, FALSE);

  g_array_set_clear_func (documents, (GDestroyNotify) document_ref_clear);
  if ((find_nfc = normalize_input (find)) == NULL || (normal = normalize_input (replacement)) == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the text to find or to replace it with is not valid UTF-8"), cw_project_get_path (self));
      return FALSE;
    }
  if (find_nfc[0] == '\0')
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: nothing to find"), cw_project_get_path (self));
      return FALSE;
    }
  length = g_utf8_strlen (normal, -1);

  if (!_cw_edit_end_burst (self, error) || !_cw_project_begin (self, error))
    return FALSE;

  done = g_new0 (CwReplaceResult, 1);
  done->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) replace_count_free);
  done->removed = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_removed_coding_free);

  stmt = _cw_project_prepare (self,
                              document_id > 0 ? "SELECT id, name FROM documents WHERE id = ?1"
                                              : "SELECT id, name FROM documents ORDER BY position, id",
                              error);
  if (stmt == NULL)
    goto failed;
  if (document_id > 0)
    sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DocumentRef ref = { sqlite3_column_int64 (stmt, 0), g_strdup ((const char *) sqlite3_column_text (stmt, 1)) };
      g_array_append_val (documents, ref);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the documents"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  if (document_id > 0 && documents->len == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"), cw_project_get_path (self), (long long) document_id);
      goto failed;
    }

  for (guint i = 0; i < documents->len; i++)
    {
      DocumentRef *ref = &g_array_index (documents, DocumentRef, i);
      g_autoptr(GArray) matches = NULL;
      g_autoptr(GString) text = NULL;
      Document document = { 0 };
      CwReplaceCount *count;
      const char *p;
      gint64 at;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      if (!load_document (self, ref->id, &document, error))
        goto failed;
      matches = cw_edit_find_all (document.text, find_nfc, flags);
      if (matches->len == 0)
        {
          document_clear (&document);
          continue;
        }

      if (step == 0)
        {
          /* Translators: an undo step: replace “Ahmet” with “Ahmed”. */
          g_autofree char *label = g_strdup_printf (_("Replace “%s” with “%s”"), find_nfc, normal);

          if ((step = _cw_history_new_step (self, label, error)) == 0)
            {
              document_clear (&document);
              goto failed;
            }
        }
      if (!snapshot_document (self, step, ref->id, error))
        {
          document_clear (&document);
          goto failed;
        }

      /* From the last match back: an edit never moves the ones before it. */
      for (guint m = matches->len; m >= 2; m -= 2)
        if (!move_offsets (self, step, ref->id, g_array_index (matches, gint64, m - 2),
                           g_array_index (matches, gint64, m - 1), length, done->removed, error))
          {
            document_clear (&document);
            goto failed;
          }

      text = g_string_sized_new (strlen (document.text) + 16);
      p = document.text;
      at = 0;
      for (guint m = 0; m < matches->len; m += 2)
        {
          const char *s = g_utf8_offset_to_pointer (p, g_array_index (matches, gint64, m) - at);
          const char *e = g_utf8_offset_to_pointer (s, g_array_index (matches, gint64, m + 1) -
                                                       g_array_index (matches, gint64, m));

          g_string_append_len (text, p, s - p);
          g_string_append (text, normal);
          p = e;
          at = g_array_index (matches, gint64, m + 1);
        }
      g_string_append (text, p);
      if (!write_text (self, ref->id, text->str,
                       document.characters + (gint64) (matches->len / 2) * length -
                       (gint64) (matches->len / 2) * g_utf8_strlen (find_nfc, -1),
                       error))
        {
          document_clear (&document);
          goto failed;
        }
      document_clear (&document);

      count = g_new0 (CwReplaceCount, 1);
      count->document_id = ref->id;
      count->document = g_strdup (ref->name);
      count->n_replaced = matches->len / 2;
      g_ptr_array_add (done->documents, count);
      done->n_replaced += count->n_replaced;
      g_array_append_val (changed, ref->id);
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto failed;
  if (step == 0)
    _cw_project_rollback (self);
  else if (!_cw_project_commit (self, error))
    goto failed;

  for (guint i = 0; i < changed->len; i++)
    _cw_project_emit_document_text_changed (self, g_array_index (changed, gint64, i));
  if (step != 0)
    _cw_project_emit_changed (self);
  if (result != NULL)
    *result = g_steal_pointer (&done);
  return TRUE;

failed:
  _cw_project_rollback (self);
  return FALSE;
}
