/* cw-codebook.c: the code tree (see cw-codebook.h).
 *
 * Positions among siblings are kept 0..n-1 without gaps. Deletes are done
 * row by row, children before parents and memos before what they annotate,
 * rather than left to ON DELETE CASCADE: the history triggers then record
 * the rows in an order whose reverse re-inserts parents first.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "cw-codebook.h"
#include "cw-codebook-private.h"
#include "cw-project-private.h"

/* Tableau 10 plus two: distinct from each other, readable as a tinted
 * background behind black text. */
static const char * const palette[] = {
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#499894", "#d37295",
};

/* Deeper than any codebook; stops a walk up a corrupt (cyclic) tree. */
#define MAX_DEPTH 10000

void
cw_code_free (CwCode *code)
{
  if (code == NULL)
    return;
  g_free (code->guid);
  g_free (code->name);
  g_free (code->path);
  g_free (code->color);
  g_free (code->description);
  g_free (code);
}

CwCode *
cw_code_copy (const CwCode *code)
{
  CwCode *copy;

  g_return_val_if_fail (code != NULL, NULL);

  copy = g_new0 (CwCode, 1);
  *copy = *code;
  copy->guid = g_strdup (code->guid);
  copy->name = g_strdup (code->name);
  copy->path = g_strdup (code->path);
  copy->color = g_strdup (code->color);
  copy->description = g_strdup (code->description);
  return copy;
}

char *
_cw_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

char *
cw_code_normalize_color (const char *color)
{
  g_autofree char *s = NULL;
  gsize len;

  if (color == NULL)
    return NULL;
  s = g_strstrip (g_strdup (color));
  len = strlen (s);
  if (s[0] != '#' || (len != 4 && len != 7))
    return NULL;
  for (gsize i = 1; i < len; i++)
    if (!g_ascii_isxdigit (s[i]))
      return NULL;
  if (len == 4)
    {
      char r = g_ascii_tolower (s[1]), g = g_ascii_tolower (s[2]), b = g_ascii_tolower (s[3]);

      return g_strdup_printf ("#%c%c%c%c%c%c", r, r, g, g, b, b);
    }
  return g_ascii_strdown (s, -1);
}

/* Whole sentences per kind of name: "code", "coder" or "group" alone
 * would not translate into a grammatical message. */
typedef struct
{
  const char *what;
  const char *invalid;
  const char *empty;
  const char *control;
} NameMessages;

static const NameMessages name_messages[] = {
  { "code", N_("a code name must be valid text"), N_("a code name cannot be empty"),
    N_("a code name cannot contain line breaks or control characters") },
  { "coder", N_("a coder name must be valid text"), N_("a coder name cannot be empty"),
    N_("a coder name cannot contain line breaks or control characters") },
  { "group", N_("a group name must be valid text"), N_("a group name cannot be empty"),
    N_("a group name cannot contain line breaks or control characters") },
  { NULL, N_("a name must be valid text"), N_("a name cannot be empty"),
    N_("a name cannot contain line breaks or control characters") },
};

char *
_cw_clean_name (const char  *name,
                const char  *what,
                gboolean     allow_slash,
                GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *normal = NULL;
  const NameMessages *messages = name_messages;

  while (messages->what != NULL && g_strcmp0 (messages->what, what) != 0)
    messages++;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _(messages->invalid));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (name));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _(messages->empty));
      return NULL;
    }
  /* Only code names forbid the slash: it separates a code path's levels. */
  if (!allow_slash && strchr (trimmed, '/') != NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("code name '%s' contains '/', which separates the levels of a code's path"),
                   trimmed);
      return NULL;
    }
  for (const char *p = trimmed; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _(messages->control));
        return NULL;
      }
  /* Names typed on different systems compare equal once composed. */
  normal = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  return g_steal_pointer (&normal);
}

/* Descriptions: empty means none. */
static const char *
clean_description (const char *description)
{
  if (description == NULL)
    return NULL;
  for (const char *p = description; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return description;
  return NULL;
}

static void
bind_parent (sqlite3_stmt *stmt,
             int           column,
             gint64        parent_id)
{
  if (parent_id > 0)
    sqlite3_bind_int64 (stmt, column, parent_id);
  else
    sqlite3_bind_null (stmt, column);
}

static gboolean
run_done (CwProject     *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot change the codebook"));
      return FALSE;
    }
  return TRUE;
}

/* One code's row: its parent (0 at the top), name and codable flag. */
typedef struct
{
  gint64    parent_id;
  char     *name;
  gboolean  codable;
} CodeRow;

static gboolean
get_code_row (CwProject  *self,
              gint64      id,
              CodeRow    *row,
              GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT parent_id, name, codable FROM codes WHERE id = ?1", error);
  int rc;

  memset (row, 0, sizeof *row);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row->parent_id = sqlite3_column_int64 (stmt, 0);
      row->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->codable = sqlite3_column_int (stmt, 2) != 0;
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("no code with id %lld"), (long long) id);
  else
    _cw_project_set_db_error (self, error, _("cannot read the codebook"));
  return FALSE;
}

static void
code_row_clear (CodeRow *row)
{
  g_clear_pointer (&row->name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CodeRow, code_row_clear)

char *
_cw_project_code_path (CwProject  *self,
                       gint64      id,
                       GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) path = NULL;
  int rc;

  stmt = _cw_project_prepare (self,
                              "WITH RECURSIVE up (id, parent_id, name, depth) AS ("
                              "  SELECT id, parent_id, name, 0 FROM codes WHERE id = ?1"
                              "  UNION ALL"
                              "  SELECT c.id, c.parent_id, c.name, up.depth + 1"
                              "  FROM codes c JOIN up ON c.id = up.parent_id"
                              "  WHERE up.depth < ?2"
                              ") SELECT name FROM up ORDER BY depth DESC",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int (stmt, 2, MAX_DEPTH);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (path == NULL)
        path = g_string_new (NULL);
      else
        g_string_append_c (path, '/');
      g_string_append (path, (const char *) sqlite3_column_text (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return NULL;
    }
  if (path == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no code with id %lld"), (long long) id);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* The path a child called name of parent_id would have. */
static char *
child_path (CwProject  *self,
            gint64      parent_id,
            const char *name)
{
  g_autofree char *parent = NULL;

  if (parent_id <= 0 || (parent = _cw_project_code_path (self, parent_id, NULL)) == NULL)
    return g_strdup (name);
  return g_strconcat (parent, "/", name, NULL);
}

/* The child of parent_id (0: top level) called name: its id, 0 if there
 * is none, -1 on error. exclude_id is not counted (a code does not clash
 * with itself). */
static gint64
find_child (CwProject   *self,
            gint64       parent_id,
            const char  *name,
            gint64       exclude_id,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT id FROM codes WHERE parent_id IS ?1 AND name = ?2 AND id != ?3"
                         " ORDER BY position, id LIMIT 1",
                         error);
  int rc;

  if (stmt == NULL)
    return -1;
  bind_parent (stmt, 1, parent_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, exclude_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (self, error, _("cannot read the codebook"));
  return -1;
}

/* The children of parent_id in order, without exclude_id. */
static GArray *
list_children (CwProject  *self,
               gint64      parent_id,
               gint64      exclude_id,
               GError    **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT id FROM codes WHERE parent_id IS ?1 AND id != ?2 ORDER BY position, id",
                         error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_parent (stmt, 1, parent_id);
  sqlite3_bind_int64 (stmt, 2, exclude_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* Gives ids the positions 0..n-1 under parent_id, touching only the rows
 * that change (each change is a row in the undo history). */
static gboolean
place_children (CwProject  *self,
                gint64      parent_id,
                GArray     *ids,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "UPDATE codes SET parent_id = ?2, position = ?3"
                         " WHERE id = ?1 AND (parent_id IS NOT ?2 OR position != ?3)",
                         error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      bind_parent (stmt, 2, parent_id);
      sqlite3_bind_int (stmt, 3, (int) i);
      if (!run_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
renumber_children (CwProject  *self,
                   gint64      parent_id,
                   GError    **error)
{
  g_autoptr(GArray) ids = list_children (self, parent_id, 0, error);

  return ids != NULL && place_children (self, parent_id, ids, error);
}

/* The first palette colour no code has yet; when all are taken, the
 * palette again from the start. */
static char *
pick_color (CwProject  *self,
            GError    **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT lower(color) FROM codes WHERE color IS NOT NULL", error);
  guint n = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_hash_table_add (used, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    if (!g_hash_table_contains (used, palette[i]))
      return g_strdup (palette[i]);
  return g_strdup (palette[n % G_N_ELEMENTS (palette)]);
}

/* Inserts a code after its siblings; name is clean and known not to clash.
 * color may be NULL (picked from the palette). */
static gint64
insert_code (CwProject   *self,
             gint64       parent_id,
             const char  *name,
             const char  *color,
             const char  *description,
             gboolean     codable,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) siblings = NULL;
  g_autofree char *guid = g_uuid_string_random ();
  g_autofree char *now = _cw_now_iso8601 ();
  g_autofree char *picked = NULL;

  if (color == NULL && (color = picked = pick_color (self, error)) == NULL)
    return 0;
  if ((siblings = list_children (self, parent_id, 0, error)) == NULL)
    return 0;
  stmt = _cw_project_prepare (self,
                              "INSERT INTO codes (guid, parent_id, name, color, description, position, codable, created_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  bind_parent (stmt, 2, parent_id);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, color, -1, SQLITE_STATIC);
  if (clean_description (description) != NULL)
    sqlite3_bind_text (stmt, 5, description, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 6, (int) siblings->len);
  sqlite3_bind_int (stmt, 7, codable ? 1 : 0);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cw_project_get_db (self));
}

/* Splits a path into clean names. */
static GStrv
split_path (const char  *path,
            GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  if (path == NULL || !g_utf8_validate (path, -1, NULL))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("a code path must be valid text"));
      return NULL;
    }
  parts = g_strsplit (path, "/", -1);
  if (parts[0] == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _("a code path cannot be empty"));
      return NULL;
    }
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      char *name = _cw_clean_name (parts[i], "code", FALSE, &local);

      if (name == NULL)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("'%s' is not a code path: %s"), path, local->message);
          return NULL;
        }
      g_ptr_array_add (names, name);
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static char *
check_color (const char  *color,
             GError     **error)
{
  char *normal = cw_code_normalize_color (color);

  if (normal == NULL)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                 _("'%s' is not a colour; use #RRGGBB or #RGB"), color ? color : "");
  return normal;
}

/* Reading */

static CwCode *
code_from_row (sqlite3_stmt *stmt)
{
  CwCode *code = g_new0 (CwCode, 1);

  code->id = sqlite3_column_int64 (stmt, 0);
  code->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  code->parent_id = sqlite3_column_int64 (stmt, 2);
  code->name = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  code->color = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  code->description = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  code->position = sqlite3_column_int (stmt, 6);
  code->codable = sqlite3_column_int (stmt, 7) != 0;
  code->n_codings = (guint) sqlite3_column_int64 (stmt, 8);
  return code;
}

static int
compare_siblings (gconstpointer a,
                  gconstpointer b)
{
  const CwCode *x = *(CwCode * const *) a;
  const CwCode *y = *(CwCode * const *) b;

  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* The tree depth first; the coding counts only when asked for (they cost a
 * pass over the codings_by_code index). */
static GPtrArray *
list_codes (CwProject  *self,
            gboolean    with_counts,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  g_autoptr(GHashTable) children = NULL; /* gint64 * parent id -> GPtrArray of CwCode */
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_code_free);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  int rc;

  /* One pass over codes and one over the codings_by_code index, however
   * large the project. */
  stmt = _cw_project_prepare (self,
                              with_counts
                              ? "SELECT c.id, c.guid, c.parent_id, c.name, c.color, c.description,"
                                " c.position, c.codable, coalesce (n.count, 0)"
                                " FROM codes c LEFT JOIN"
                                " (SELECT code_id, count(*) AS count FROM codings GROUP BY code_id) n"
                                " ON n.code_id = c.id"
                              : "SELECT c.id, c.guid, c.parent_id, c.name, c.color, c.description,"
                                " c.position, c.codable, 0 FROM codes c",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwCode *code = code_from_row (stmt);

      g_ptr_array_add (all, code);
      g_hash_table_insert (by_id, &code->id, code);
    }
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_foreach (all, (GFunc) cw_code_free, NULL);
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return NULL;
    }

  children = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < all->len; i++)
    {
      CwCode *code = g_ptr_array_index (all, i);
      GPtrArray *list;

      if (code->parent_id == 0 || !g_hash_table_contains (by_id, &code->parent_id))
        {
          g_ptr_array_add (roots, code);
          continue;
        }
      list = g_hash_table_lookup (children, &code->parent_id);
      if (list == NULL)
        {
          CwCode *parent = g_hash_table_lookup (by_id, &code->parent_id);

          list = g_ptr_array_new ();
          g_hash_table_insert (children, &parent->id, list);
        }
      g_ptr_array_add (list, code);
    }

  /* Depth first without recursion: push siblings in reverse order. */
  g_ptr_array_sort (roots, compare_siblings);
  for (guint i = roots->len; i > 0; i--)
    g_ptr_array_add (stack, g_ptr_array_index (roots, i - 1));
  while (stack->len > 0)
    {
      CwCode *code = g_ptr_array_steal_index (stack, stack->len - 1);
      GPtrArray *list = g_hash_table_lookup (children, &code->id);

      if (code->parent_id == 0 || !g_hash_table_contains (by_id, &code->parent_id))
        {
          code->depth = 0;
          code->path = g_strdup (code->name);
        }
      else
        {
          const CwCode *parent = g_hash_table_lookup (by_id, &code->parent_id);

          code->depth = parent->depth + 1;
          code->path = g_strconcat (parent->path, "/", code->name, NULL);
        }
      g_ptr_array_add (result, code);

      if (list != NULL)
        {
          g_ptr_array_sort (list, compare_siblings);
          for (guint i = list->len; i > 0; i--)
            g_ptr_array_add (stack, g_ptr_array_index (list, i - 1));
        }
    }

  /* Codes on a cycle (a damaged file) are never reached from a root. */
  if (result->len != all->len)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

      for (guint i = 0; i < result->len; i++)
        g_hash_table_add (seen, g_ptr_array_index (result, i));
      for (guint i = 0; i < all->len; i++)
        if (!g_hash_table_contains (seen, g_ptr_array_index (all, i)))
          cw_code_free (g_ptr_array_index (all, i));
    }

  return g_steal_pointer (&result);
}

GPtrArray *
cw_project_list_codes (CwProject  *self,
                       GError    **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  return list_codes (self, TRUE, error);
}

GPtrArray *
_cw_project_list_codes_uncounted (CwProject  *self,
                                  GError    **error)
{
  return list_codes (self, FALSE, error);
}

GHashTable *
_cw_project_code_paths (CwProject  *self,
                        GError    **error)
{
  g_autoptr(GPtrArray) codes = list_codes (self, FALSE, error);
  GHashTable *paths;

  if (codes == NULL)
    return NULL;
  paths = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < codes->len; i++)
    {
      CwCode *code = g_ptr_array_index (codes, i);

      g_hash_table_insert (paths, g_memdup2 (&code->id, sizeof code->id), g_steal_pointer (&code->path));
    }
  return paths;
}

CwCode *
cw_project_get_code (CwProject  *self,
                     gint64      id,
                     GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(CwCode) code = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self,
                              "SELECT id, guid, parent_id, name, color, description, position, codable,"
                              " (SELECT count(*) FROM codings WHERE code_id = codes.id)"
                              " FROM codes WHERE id = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no code with id %lld"), (long long) id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return NULL;
    }
  code = code_from_row (stmt);
  if ((code->path = _cw_project_code_path (self, id, error)) == NULL)
    return NULL;
  for (const char *p = code->path; *p != '\0'; p++)
    if (*p == '/')
      code->depth++;
  return g_steal_pointer (&code);
}

gint64
cw_project_lookup_code (CwProject   *self,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) names = NULL;
  gint64 id = 0;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  names = split_path (path, &local);
  if (names == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no code '%s'"), path ? path : "");
      return 0;
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      id = find_child (self, id, names[i], 0, error);
      if (id < 0)
        return 0;
      if (id == 0)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                       _("no code '%s'"), path);
          return 0;
        }
    }
  return id;
}

/* Editing */

gint64
cw_project_add_code (CwProject   *self,
                     const char  *path,
                     const char  *color,
                     const char  *description,
                     GError     **error)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *label = NULL;
  gint64 parent_id = 0;
  guint n;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  if ((names = split_path (path, error)) == NULL)
    return 0;
  if (color != NULL && (normal = check_color (color, error)) == NULL)
    return 0;
  n = g_strv_length (names);

  label = g_strdup_printf (_("Add code “%s”"), names[n - 1]);
  if (!_cw_project_begin_step (self, label, error))
    return 0;
  for (guint i = 0; i < n; i++)
    {
      gboolean last = i + 1 == n;
      gint64 id = find_child (self, parent_id, names[i], 0, error);

      if (id < 0)
        goto failed;
      if (id > 0 && last)
        {
          g_autofree char *existing = _cw_project_code_path (self, id, NULL);

          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                       _("code '%s' already exists"), existing);
          goto failed;
        }
      if (id == 0)
        {
          id = insert_code (self, parent_id, names[i],
                            last ? normal : NULL, last ? description : NULL, TRUE, error);
          if (id == 0)
            goto failed;
        }
      parent_id = id;
    }
  if (!_cw_project_end_step (self, error))
    return 0;
  return parent_id;

failed:
  _cw_project_abort_step (self);
  return 0;
}

gint64
cw_project_create_code (CwProject   *self,
                        gint64       parent_id,
                        const char  *name,
                        const char  *color,
                        const char  *description,
                        gboolean     codable,
                        GError     **error)
{
  g_autofree char *clean = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *label = NULL;
  gint64 clash, id;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  if ((clean = _cw_clean_name (name, "code", FALSE, error)) == NULL)
    return 0;
  if (color != NULL && (normal = check_color (color, error)) == NULL)
    return 0;

  label = g_strdup_printf (_("Add code “%s”"), clean);
  if (!_cw_project_begin_step (self, label, error))
    return 0;
  if (parent_id > 0)
    {
      g_auto(CodeRow) parent = { 0 };

      if (!get_code_row (self, parent_id, &parent, error))
        goto failed;
    }
  clash = find_child (self, parent_id, clean, 0, error);
  if (clash < 0)
    goto failed;
  if (clash > 0)
    {
      g_autofree char *path = child_path (self, parent_id, clean);

      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("code '%s' already exists"), path);
      goto failed;
    }
  id = insert_code (self, parent_id, clean, normal, description, codable, error);
  if (id == 0 || !_cw_project_end_step (self, error))
    goto failed;
  return id;

failed:
  _cw_project_abort_step (self);
  return 0;
}

gboolean
cw_project_rename_code (CwProject   *self,
                        gint64       id,
                        const char  *name,
                        GError     **error)
{
  g_auto(CodeRow) row = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *label = NULL;
  gint64 clash;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if ((clean = _cw_clean_name (name, "code", FALSE, error)) == NULL)
    return FALSE;
  if (!get_code_row (self, id, &row, error))
    return FALSE;
  if (g_strcmp0 (row.name, clean) == 0)
    return TRUE;

  label = g_strdup_printf (_("Rename code “%s” to “%s”"), row.name, clean);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  clash = find_child (self, row.parent_id, clean, id, error);
  if (clash < 0)
    goto failed;
  if (clash > 0)
    {
      g_autofree char *path = child_path (self, row.parent_id, clean);

      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("code '%s' already exists"), path);
      goto failed;
    }
  stmt = _cw_project_prepare (self, "UPDATE codes SET name = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  if (!run_done (self, stmt, error) || !_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

/* Sets one column of one code in its own step; value NULL stores NULL. */
static gboolean
update_code_column (CwProject   *self,
                    gint64       id,
                    const char  *sql,
                    const char  *label,
                    const char  *value,
                    int          number,
                    GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  stmt = _cw_project_prepare (self, sql, error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  else if (number >= 0)
    sqlite3_bind_int (stmt, 2, number);
  else
    sqlite3_bind_null (stmt, 2);
  if (!run_done (self, stmt, error) || !_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

gboolean
cw_project_set_code_color (CwProject   *self,
                           gint64       id,
                           const char  *color,
                           GError     **error)
{
  g_autoptr(CwCode) code = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if ((normal = check_color (color, error)) == NULL)
    return FALSE;
  if ((code = cw_project_get_code (self, id, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (code->color, normal) == 0)
    return TRUE;
  label = g_strdup_printf (_("Change the colour of “%s”"), code->name);
  return update_code_column (self, id, "UPDATE codes SET color = ?2 WHERE id = ?1",
                             label, normal, -1, error);
}

gboolean
cw_project_set_code_description (CwProject   *self,
                                 gint64       id,
                                 const char  *description,
                                 GError     **error)
{
  g_autoptr(CwCode) code = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (description != NULL && !g_utf8_validate (description, -1, NULL))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("a description must be valid text"));
      return FALSE;
    }
  description = clean_description (description);
  if ((code = cw_project_get_code (self, id, error)) == NULL)
    return FALSE;
  if (g_strcmp0 (code->description, description) == 0)
    return TRUE;
  label = g_strdup_printf (_("Change the description of “%s”"), code->name);
  return update_code_column (self, id, "UPDATE codes SET description = ?2 WHERE id = ?1",
                             label, description, -1, error);
}

gboolean
cw_project_set_code_codable (CwProject   *self,
                             gint64       id,
                             gboolean     codable,
                             GError     **error)
{
  g_autoptr(CwCode) code = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if ((code = cw_project_get_code (self, id, error)) == NULL)
    return FALSE;
  if (!code->codable == !codable)
    return TRUE;
  /* A category has no codings of its own: that is what the flag promises
   * to the retrieval and the agreement counts. */
  if (!codable && code->n_codings > 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "'%s' has %u coding; move or remove it before making it a category",
                                "'%s' has %u codings; move or remove them before making it a category",
                                code->n_codings),
                   code->path, code->n_codings);
      return FALSE;
    }
  label = codable ? g_strdup_printf (_("Make “%s” codable"), code->name)
                  : g_strdup_printf (_("Make “%s” a category"), code->name);
  return update_code_column (self, id, "UPDATE codes SET codable = ?2 WHERE id = ?1",
                             label, NULL, codable ? 1 : 0, error);
}

/* Whether ancestor is id or one of id's ancestors. */
static gboolean
is_within (CwProject  *self,
           gint64      id,
           gint64      ancestor,
           gboolean   *within,
           GError    **error)
{
  *within = FALSE;
  for (guint depth = 0; id > 0 && depth < MAX_DEPTH; depth++)
    {
      g_auto(CodeRow) row = { 0 };

      if (id == ancestor)
        {
          *within = TRUE;
          return TRUE;
        }
      if (!get_code_row (self, id, &row, error))
        return FALSE;
      id = row.parent_id;
    }
  return TRUE;
}

gboolean
cw_project_move_code (CwProject   *self,
                      gint64       id,
                      gint64       new_parent_id,
                      int          position,
                      GError     **error)
{
  g_auto(CodeRow) row = { 0 };
  g_autoptr(GArray) siblings = NULL;
  g_autofree char *label = NULL;
  gboolean within;
  gint64 clash;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (new_parent_id < 0)
    new_parent_id = 0;
  if (!get_code_row (self, id, &row, error))
    return FALSE;

  /* A drop where the code already is: no empty step in the history. */
  if (new_parent_id == row.parent_id)
    {
      g_autoptr(GArray) current = list_children (self, row.parent_id, 0, error);
      guint index = 0, last;

      if (current == NULL)
        return FALSE;
      while (index < current->len && g_array_index (current, gint64, index) != id)
        index++;
      last = current->len > 0 ? current->len - 1 : 0;
      if (index == (position < 0 || (guint) position > last ? last : (guint) position))
        return TRUE;
    }

  label = g_strdup_printf (_("Move code “%s”"), row.name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;

  if (new_parent_id > 0)
    {
      if (!is_within (self, new_parent_id, id, &within, error))
        goto failed;
      if (within)
        {
          g_autofree char *path = _cw_project_code_path (self, id, NULL);
          g_autofree char *target = _cw_project_code_path (self, new_parent_id, NULL);

          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("cannot move code '%s' into itself ('%s')"), path, target);
          goto failed;
        }
    }
  clash = find_child (self, new_parent_id, row.name, id, error);
  if (clash < 0)
    goto failed;
  if (clash > 0)
    {
      g_autofree char *path = child_path (self, new_parent_id, row.name);

      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("code '%s' already exists"), path);
      goto failed;
    }

  siblings = list_children (self, new_parent_id, id, error);
  if (siblings == NULL)
    goto failed;
  if (position < 0 || (guint) position > siblings->len)
    position = siblings->len;
  g_array_insert_val (siblings, position, id);
  if (!place_children (self, new_parent_id, siblings, error))
    goto failed;
  if (row.parent_id != new_parent_id && !renumber_children (self, row.parent_id, error))
    goto failed;

  if (!_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

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
  return run_done (self, stmt, error);
}

static gint64
count_codings (CwProject  *self,
               gint64      code_id,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT count(*) FROM codings WHERE code_id = ?1", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, code_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* Merges source into target inside the caller's step; same-named children
 * merge recursively. */
static gboolean
merge_into (CwProject  *self,
            gint64      source,
            gint64      target,
            GError    **error)
{
  g_auto(CodeRow) source_row = { 0 };
  g_auto(CodeRow) target_row = { 0 };
  gboolean within;
  gint64 n;

  if (!get_code_row (self, source, &source_row, error) ||
      !get_code_row (self, target, &target_row, error) ||
      !is_within (self, target, source, &within, error))
    return FALSE;
  if (within)
    {
      g_autofree char *from = _cw_project_code_path (self, source, NULL);
      g_autofree char *into = _cw_project_code_path (self, target, NULL);

      if (source == target)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                     _("cannot merge code '%s' into itself"), from);
      else
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                     _("cannot merge code '%s' into its own sub-code '%s'"), from, into);
      return FALSE;
    }
  /* Children first, one at a time from the front: a recursive merge may
   * change what source holds (when source is a child of target), so the
   * list is read again each round, and codings move only afterwards. */
  for (;;)
    {
      g_autoptr(GArray) children = list_children (self, source, 0, error);
      g_auto(CodeRow) child = { 0 };
      gint64 child_id, same;

      if (children == NULL)
        return FALSE;
      if (children->len == 0)
        break;
      child_id = g_array_index (children, gint64, 0);
      if (!get_code_row (self, child_id, &child, error))
        return FALSE;
      same = find_child (self, target, child.name, child_id, error);
      if (same < 0)
        return FALSE;
      if (same > 0)
        {
          if (!merge_into (self, child_id, same, error))
            return FALSE;
        }
      else
        {
          g_autoptr(GArray) siblings = list_children (self, target, child_id, error);

          if (siblings == NULL)
            return FALSE;
          g_array_append_val (siblings, child_id);
          if (!place_children (self, target, siblings, error))
            return FALSE;
        }
    }

  if (!target_row.codable)
    {
      if ((n = count_codings (self, source, error)) < 0)
        return FALSE;
      if (n > 0)
        {
          g_autofree char *into = _cw_project_code_path (self, target, NULL);

          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("'%s' is a category and cannot be applied; its codings would have no place"), into);
          return FALSE;
        }
    }

  /* Codings target already has (same document, coder and range) collapse:
   * their memos go to target's coding, the duplicate goes. The UNIQUE
   * index on codings makes each probe a lookup. */
  if (!exec_ids (self,
                 "UPDATE memos SET coding_id = ("
                 "  SELECT t.id FROM codings s JOIN codings t"
                 "  ON t.document_id = s.document_id AND t.code_id = ?2 AND t.coder_id = s.coder_id"
                 "  AND t.start = s.start AND t.end = s.end"
                 "  WHERE s.id = memos.coding_id)"
                 " WHERE coding_id IN ("
                 "  SELECT s.id FROM codings s JOIN codings t"
                 "  ON t.document_id = s.document_id AND t.code_id = ?2 AND t.coder_id = s.coder_id"
                 "  AND t.start = s.start AND t.end = s.end"
                 "  WHERE s.code_id = ?1)",
                 source, target, error) ||
      !exec_ids (self,
                 "DELETE FROM codings WHERE code_id = ?1 AND EXISTS ("
                 "  SELECT 1 FROM codings t WHERE t.document_id = codings.document_id"
                 "  AND t.code_id = ?2 AND t.coder_id = codings.coder_id"
                 "  AND t.start = codings.start AND t.end = codings.end)",
                 source, target, error) ||
      !exec_ids (self, "UPDATE codings SET code_id = ?2 WHERE code_id = ?1", source, target, error) ||
      !exec_ids (self, "UPDATE memos SET code_id = ?2 WHERE code_id = ?1", source, target, error))
    return FALSE;

  return exec_ids (self, "DELETE FROM codes WHERE id = ?1", source, 0, error) &&
         renumber_children (self, source_row.parent_id, error);
}

gboolean
cw_project_merge_codes (CwProject   *self,
                        gint64       source_id,
                        gint64       target_id,
                        GError     **error)
{
  g_auto(CodeRow) source = { 0 };
  g_auto(CodeRow) target = { 0 };
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!get_code_row (self, source_id, &source, error) ||
      !get_code_row (self, target_id, &target, error))
    return FALSE;

  label = g_strdup_printf (_("Merge “%s” into “%s”"), source.name, target.name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!merge_into (self, source_id, target_id, error) ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
cw_project_delete_code (CwProject   *self,
                        gint64       id,
                        GError     **error)
{
  g_auto(CodeRow) row = { 0 };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *label = NULL;
  int rc;

#define SUBTREE \
  "WITH RECURSIVE sub (id, depth) AS (" \
  "  SELECT ?1, 0 UNION ALL" \
  "  SELECT c.id, sub.depth + 1 FROM codes c JOIN sub ON c.parent_id = sub.id" \
  "  WHERE sub.depth < 10000) "

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!get_code_row (self, id, &row, error))
    return FALSE;
  label = g_strdup_printf (_("Delete code “%s”"), row.name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;

  if (!exec_ids (self,
                 SUBTREE "DELETE FROM memos WHERE coding_id IN"
                 " (SELECT id FROM codings WHERE code_id IN (SELECT id FROM sub))",
                 id, 0, error) ||
      !exec_ids (self, SUBTREE "DELETE FROM codings WHERE code_id IN (SELECT id FROM sub)", id, 0, error) ||
      !exec_ids (self, SUBTREE "DELETE FROM memos WHERE code_id IN (SELECT id FROM sub)", id, 0, error))
    goto failed;

  /* Deepest first, so no delete reaches a child through the cascade. */
  stmt = _cw_project_prepare (self, SUBTREE "SELECT id FROM sub ORDER BY depth DESC", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 code_id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, code_id);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  for (guint i = 0; i < ids->len; i++)
    if (!exec_ids (self, "DELETE FROM codes WHERE id = ?1", g_array_index (ids, gint64, i), 0, error))
      goto failed;
  if (!renumber_children (self, row.parent_id, error) ||
      !_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

#undef SUBTREE

failed:
  _cw_project_abort_step (self);
  return FALSE;
}
