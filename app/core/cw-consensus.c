/* cw-consensus.c: accepting a coder's version of a disagreement into a
 * consensus coder (see cw-consensus.h).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cw-codebook-private.h"
#include "cw-consensus.h"
#include "cw-project-private.h"

typedef struct
{
  gint64 start;
  gint64 end;
} Range;

typedef struct
{
  gint64 id;
  gint64 start;
  gint64 end;
} Existing;

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const Range *ra = a, *rb = b;

  if (ra->start != rb->start)
    return ra->start < rb->start ? -1 : 1;
  if (ra->end != rb->end)
    return ra->end < rb->end ? -1 : 1;
  return 0;
}

/* Sorts and unites overlapping or touching ranges, in place. */
static void
unite (GArray *ranges)
{
  guint kept = 0;

  g_array_sort (ranges, compare_ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      Range *range = &g_array_index (ranges, Range, i);

      if (kept > 0 && range->start <= g_array_index (ranges, Range, kept - 1).end)
        {
          Range *last = &g_array_index (ranges, Range, kept - 1);

          last->end = MAX (last->end, range->end);
          continue;
        }
      g_array_index (ranges, Range, kept++) = *range;
    }
  g_array_set_size (ranges, kept);
}

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
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
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

/* Checks that the place's document and code exist, the code is codable
 * and the place lies inside the text. */
static gboolean
check_place (CwProject             *self,
             const CwDisagreement  *place,
             GError               **error)
{
  g_autoptr(sqlite3_stmt) doc = NULL;
  g_autoptr(sqlite3_stmt) code = NULL;
  gint64 characters;
  int rc;

  doc = _cw_project_prepare (self, "SELECT characters FROM documents WHERE id = ?1", error);
  if (doc == NULL)
    return FALSE;
  sqlite3_bind_int64 (doc, 1, place->document_id);
  rc = sqlite3_step (doc);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no document with id %lld"), (long long) place->document_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the documents"));
      return FALSE;
    }
  characters = sqlite3_column_int64 (doc, 0);
  if (place->start < 0 || place->end <= place->start || place->end > characters)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   /* Translators: the place's start and end offset, then the document's length. */
                   g_dngettext (GETTEXT_PACKAGE, "the place %lld-%lld is not inside the document (%lld character)",
                                "the place %lld-%lld is not inside the document (%lld characters)",
                                (gulong) characters),
                   (long long) place->start, (long long) place->end, (long long) characters);
      return FALSE;
    }

  code = _cw_project_prepare (self, "SELECT codable FROM codes WHERE id = ?1", error);
  if (code == NULL)
    return FALSE;
  sqlite3_bind_int64 (code, 1, place->code_id);
  rc = sqlite3_step (code);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no code with id %lld"), (long long) place->code_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codes"));
      return FALSE;
    }
  if (sqlite3_column_int64 (code, 0) == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("code %lld is a category and cannot be applied"), (long long) place->code_id);
      return FALSE;
    }
  return TRUE;
}

/* The coder's codings of the place's code in its document that overlap
 * [from, to) or, with touching, also merely touch it; appended to ranges
 * (or, with existing, as Existing). */
static gboolean
collect (CwProject             *self,
         const CwDisagreement  *place,
         gint64                 coder_id,
         gboolean               touching,
         GArray                *ranges,
         GArray                *existing,
         GError               **error)
{
  const char *sql = touching
    ? "SELECT id, start, end FROM codings WHERE document_id = ?1 AND code_id = ?2 AND coder_id = ?3"
      " AND start <= ?5 AND end >= ?4 ORDER BY start, end"
    : "SELECT id, start, end FROM codings WHERE document_id = ?1 AND code_id = ?2 AND coder_id = ?3"
      " AND start < ?5 AND end > ?4 ORDER BY start, end";
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, place->document_id);
  sqlite3_bind_int64 (stmt, 2, place->code_id);
  sqlite3_bind_int64 (stmt, 3, coder_id);
  sqlite3_bind_int64 (stmt, 4, place->start);
  sqlite3_bind_int64 (stmt, 5, place->end);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (existing != NULL)
        {
          Existing e = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2) };

          g_array_append_val (existing, e);
        }
      else
        {
          Range r = { sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2) };

          g_array_append_val (ranges, r);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return FALSE;
    }
  return TRUE;
}

/* Whether the consensus coder already has exactly this coding. */
static int
has_coding (CwProject             *self,
            const CwDisagreement  *place,
            gint64                 coder_id,
            const Range           *range,
            GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT 1 FROM codings WHERE document_id = ?1 AND code_id = ?2"
                         " AND coder_id = ?3 AND start = ?4 AND end = ?5",
                         error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, place->document_id);
  sqlite3_bind_int64 (stmt, 2, place->code_id);
  sqlite3_bind_int64 (stmt, 3, coder_id);
  sqlite3_bind_int64 (stmt, 4, range->start);
  sqlite3_bind_int64 (stmt, 5, range->end);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the codings"));
  return -1;
}

static gboolean
in_ranges (GArray *ranges,
           gint64  start,
           gint64  end)
{
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *range = &g_array_index (ranges, Range, i);

      if (range->start == start && range->end == end)
        return TRUE;
    }
  return FALSE;
}

static gboolean
run_sql (CwProject   *self,
         const char  *sql,
         gint64       a,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }
  return TRUE;
}

/* Inside the step: the consensus coder's id, created if new. */
static gint64
ensure_coder (CwProject   *self,
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
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot add the coder"));
      return 0;
    }
  return sqlite3_last_insert_rowid (_cw_project_get_db (self));
}

static gboolean
insert_coding (CwProject             *self,
               const CwDisagreement  *place,
               gint64                 coder_id,
               const Range           *range,
               GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                         error);
  g_autofree char *guid = g_uuid_string_random ();
  g_autofree char *now = _cw_now_iso8601 ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, place->document_id);
  sqlite3_bind_int64 (stmt, 3, place->code_id);
  sqlite3_bind_int64 (stmt, 4, coder_id);
  sqlite3_bind_int64 (stmt, 5, range->start);
  sqlite3_bind_int64 (stmt, 6, range->end);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot add the coding"));
      return FALSE;
    }
  return TRUE;
}

static char *
step_label (const char * const *coders,
            guint               n_coders,
            int                 accepted)
{
  if (accepted >= 0)
    /* Translators: an undo step; the coder whose coding was accepted. */
    return g_strdup_printf (_("Accept %s’s coding"), coders[accepted]);
  if (n_coders == 2)
    return g_strdup (_("Accept both codings"));
  return g_strdup (_("Accept all coders’ codings"));
}

gboolean
cw_project_accept_disagreement (CwProject             *self,
                                const CwDisagreement  *place,
                                const char * const    *coders,
                                int                    accepted,
                                const char            *consensus,
                                guint                 *n_added,
                                guint                 *n_removed,
                                GError               **error)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autofree gint64 *coder_ids = NULL;
  g_autoptr(GArray) target = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GArray) existing = g_array_new (FALSE, FALSE, sizeof (Existing));
  g_autoptr(GArray) add = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GArray) remove = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 consensus_id = 0;
  guint n_coders;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (place != NULL, FALSE);
  g_return_val_if_fail (coders != NULL, FALSE);

  if (n_added != NULL)
    *n_added = 0;
  if (n_removed != NULL)
    *n_removed = 0;

  n_coders = g_strv_length ((char **) coders);
  if (n_coders == 0 || accepted >= (int) n_coders)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("no coder %d among the %u compared"), accepted, n_coders);
      return FALSE;
    }
  name = _cw_clean_name (consensus != NULL ? consensus : CW_CONSENSUS_DEFAULT_CODER, "coder", TRUE, error);
  if (name == NULL)
    return FALSE;
  coder_ids = g_new0 (gint64, n_coders);
  for (guint i = 0; i < n_coders; i++)
    {
      int found;

      if (g_strcmp0 (coders[i], name) == 0)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("the consensus coder '%s' is one of the compared coders"), name);
          return FALSE;
        }
      if ((found = find_coder (self, coders[i], &coder_ids[i], error)) < 0)
        return FALSE;
      if (found == 0)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND, _("no coder named '%s'"), coders[i]);
          return FALSE;
        }
    }
  if (!check_place (self, place, error))
    return FALSE;

  /* The accepted version: full ranges of what overlaps or touches the
   * place, united. */
  for (guint i = 0; i < n_coders; i++)
    if ((accepted < 0 || (guint) accepted == i) &&
        !collect (self, place, coder_ids[i], TRUE, target, NULL, error))
      return FALSE;
  unite (target);

  /* What the consensus has now: replaced where it overlaps or touches the
   * place and is not the accepted version (an earlier decision here, or a
   * neighbour's that the accepted segment now covers); the accepted
   * version added where missing. */
  if (find_coder (self, name, &consensus_id, error) < 0)
    return FALSE;
  if (consensus_id > 0 && !collect (self, place, consensus_id, TRUE, NULL, existing, error))
    return FALSE;
  for (guint i = 0; i < existing->len; i++)
    {
      const Existing *e = &g_array_index (existing, Existing, i);

      if (!in_ranges (target, e->start, e->end))
        g_array_append_val (remove, e->id);
    }
  for (guint i = 0; i < target->len; i++)
    {
      const Range *range = &g_array_index (target, Range, i);
      int found = 0;

      if (consensus_id > 0 && (found = has_coding (self, place, consensus_id, range, error)) < 0)
        return FALSE;
      if (found == 0)
        g_array_append_val (add, *range);
    }
  if (add->len == 0 && remove->len == 0)
    return TRUE;

  label = step_label (coders, n_coders, accepted);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  /* The project may have changed on disk since the reads above; the step
   * holds the write lock from here, and the checks that matter are
   * repeated. */
  if (!check_place (self, place, error) ||
      (consensus_id = ensure_coder (self, name, error)) == 0)
    goto failed;
  for (guint i = 0; i < remove->len; i++)
    {
      gint64 id = g_array_index (remove, gint64, i);

      if (!run_sql (self, "DELETE FROM memos WHERE coding_id = ?1", id, error) ||
          !run_sql (self, "DELETE FROM codings WHERE id = ?1", id, error))
        goto failed;
    }
  for (guint i = 0; i < add->len; i++)
    if (!insert_coding (self, place, consensus_id, &g_array_index (add, Range, i), error))
      goto failed;
  if (!_cw_project_end_step (self, error))
    goto failed;

  if (n_added != NULL)
    *n_added = add->len;
  if (n_removed != NULL)
    *n_removed = remove->len;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

int
cw_project_consensus_coverage (CwProject             *self,
                               const CwDisagreement  *place,
                               const char            *consensus,
                               GError               **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GArray) existing = g_array_new (FALSE, FALSE, sizeof (Existing));
  gint64 id, covered = 0;
  int found;

  g_return_val_if_fail (CW_IS_PROJECT (self), -1);
  g_return_val_if_fail (place != NULL, -1);

  found = find_coder (self, consensus != NULL ? consensus : CW_CONSENSUS_DEFAULT_CODER, &id, error);
  if (found <= 0)
    return found;
  if (place->end <= place->start)
    return 0;
  if (!collect (self, place, id, FALSE, NULL, existing, error))
    return -1;
  for (guint i = 0; i < existing->len; i++)
    {
      const Existing *e = &g_array_index (existing, Existing, i);
      Range r = { MAX (e->start, place->start), MIN (e->end, place->end) };

      g_array_append_val (ranges, r);
    }
  unite (ranges);
  for (guint i = 0; i < ranges->len; i++)
    covered += g_array_index (ranges, Range, i).end - g_array_index (ranges, Range, i).start;
  if (covered == 0)
    return 0;
  return covered >= place->end - place->start ? 2 : 1;
}
