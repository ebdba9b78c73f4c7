/* cw-pseudonym.c: the pseudonym table, proposals for it, pseudonymised
 * copies and the key (see cw-pseudonym.h).
 *
 * A copy is made in three files: a private working copy of the project
 * (SQLite backup) in a 0700 folder next to the researcher's project, so
 * that the un-pseudonymised text never lands on the medium the copy is
 * written to; the replacements applied there in one transaction; then
 * VACUUM INTO a temporary file next to out_path, which leaves no free page
 * with old text, renamed into place. The working copy is deleted whatever
 * happens.
 *
 * Document texts are replaced in one pass per document (every real string
 * at once, leftmost and then longest first), so a pseudonym is never
 * matched again by a shorter real string; codings and turns are moved with
 * cw-edit.h's rules for a replacement, which for a run of replacements
 * reduce to mapping each start and end (map_start, map_end below). Every
 * other text in the file (names, memos, codes, case values, settings) goes
 * through the same matcher as an SQL function.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cw-coding.h"
#include "cw-import.h"
#include "cw-pseudonym.h"
#include "cw-project-private.h"
#include "cw-spell.h"

/* Created when first needed, not by a schema migration: a project only
 * has it once something was pseudonymised. */
static const char case_pseudonyms_sql[] =
  "CREATE TABLE IF NOT EXISTS case_pseudonyms ("
  "  case_id   INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,"
  "  pseudonym TEXT NOT NULL UNIQUE"
  ")";

/* The same as schema 1's: a pseudonymised copy has none, and may get one
 * again when its user starts a table of their own. */
static const char pseudonyms_sql[] =
  "CREATE TABLE IF NOT EXISTS pseudonyms ("
  "  id        INTEGER PRIMARY KEY,"
  "  real      TEXT NOT NULL UNIQUE,"
  "  pseudonym TEXT NOT NULL,"
  "  category  TEXT"
  ")";

/* Codings are parked this far up while their offsets change, so that no
 * two meet halfway (UNIQUE is checked row by row). */
#define PARK (G_GINT64_CONSTANT (1) << 40)

void
cw_pseudonym_free (CwPseudonym *pseudonym)
{
  if (pseudonym == NULL)
    return;
  g_free (pseudonym->real);
  g_free (pseudonym->pseudonym);
  g_free (pseudonym->category);
  g_free (pseudonym);
}

void
cw_pseudonym_candidate_free (CwPseudonymCandidate *candidate)
{
  if (candidate == NULL)
    return;
  g_free (candidate->real);
  g_free (candidate->source);
  g_free (candidate->category);
  g_free (candidate->suggested_pseudonym);
  g_free (candidate);
}

/* ------------------------------------------------------------------------ */
/* SQL helpers                                                               */

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

static gboolean
table_exists (CwProject  *self,
              const char *name)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", NULL);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/* Inside a step: makes sure the table exists and its edits are recorded
 * for undo. Older files (schema 2 to 5) were set up before the table was
 * tracked; a copy has no table at all. */
static gboolean
prepare_table (CwProject  *self,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean tracked;

  if (!_cw_project_exec (self, pseudonyms_sql, error))
    return FALSE;
  stmt = _cw_project_prepare (self,
                              "SELECT 1 FROM sqlite_master WHERE type = 'trigger'"
                              " AND name = 'pseudonyms_history_insert'",
                              error);
  if (stmt == NULL)
    return FALSE;
  tracked = sqlite3_step (stmt) == SQLITE_ROW;
  g_clear_pointer (&stmt, _cw_statement_release);
  return tracked || _cw_history_track_table (self, "pseudonyms", error);
}

/* ------------------------------------------------------------------------ */
/* The table                                                                 */

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Trimmed and NFC; NULL with CW_PROJECT_ERROR_INVALID when empty, not
 * text, with a line break, or starting with a combining mark (which would
 * join the character before it in the text). */
static char *
clean_field (const char  *value,
             gboolean     is_real,
             GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *normal = NULL;

  if (value == NULL || !g_utf8_validate (value, -1, NULL))
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           is_real ? _("a real name must be valid text")
                                   : _("a pseudonym must be valid text"));
      return NULL;
    }
  trimmed = g_strstrip (g_strdup (value));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           is_real ? _("a real name cannot be empty")
                                   : _("a pseudonym cannot be empty"));
      return NULL;
    }
  if (has_control (trimmed))
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           is_real ? _("a real name cannot contain line breaks or control characters")
                                   : _("a pseudonym cannot contain line breaks or control characters"));
      return NULL;
    }
  normal = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  if (g_unichar_ismark (g_utf8_get_char (normal)))
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           is_real ? _("a real name cannot start with a combining mark")
                                   : _("a pseudonym cannot start with a combining mark"));
      return NULL;
    }
  return g_steal_pointer (&normal);
}

/* NULL for none (NULL, empty or blank); else trimmed, NFC. */
static gboolean
clean_category (const char  *category,
                char       **out,
                GError     **error)
{
  g_autofree char *trimmed = NULL;

  *out = NULL;
  if (category == NULL)
    return TRUE;
  if (!g_utf8_validate (category, -1, NULL) || has_control (category))
    {
      g_set_error_literal (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           _("a category must be text on one line"));
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (category));
  if (*trimmed != '\0')
    *out = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
  return TRUE;
}

/* The id of the row for real other than except_id, 0 when none, -1 on
 * error. */
static gint64
find_real (CwProject   *self,
           const char  *real,
           gint64       except_id,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT id FROM pseudonyms WHERE real = ?1 AND id != ?2", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, real, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, except_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the pseudonym table"));
      return -1;
    }
  return 0;
}

static gboolean
set_exists_error (CwProject   *self,
                  const char  *real,
                  GError     **error)
{
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
               _("“%s” is already in the pseudonym table"), real);
  return FALSE;
}

/* Inside a step (prepare_table done): checks and inserts one row. */
static gint64
insert_row (CwProject   *self,
            const char  *real,
            const char  *pseudonym,
            const char  *category,
            GError     **error)
{
  g_autofree char *clean_real = NULL;
  g_autofree char *clean_pseudonym = NULL;
  g_autofree char *clean_cat = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 clash;

  if ((clean_real = clean_field (real, TRUE, error)) == NULL ||
      (clean_pseudonym = clean_field (pseudonym, FALSE, error)) == NULL ||
      !clean_category (category, &clean_cat, error) ||
      (clash = find_real (self, clean_real, 0, error)) < 0)
    return 0;
  if (clash > 0)
    {
      set_exists_error (self, clean_real, error);
      return 0;
    }
  stmt = _cw_project_prepare (self, "INSERT INTO pseudonyms (real, pseudonym, category) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, clean_real, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, clean_pseudonym, -1, SQLITE_STATIC);
  if (clean_cat != NULL)
    sqlite3_bind_text (stmt, 3, clean_cat, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cw_project_get_db (self));
}

gint64
cw_project_add_pseudonym (CwProject   *self,
                          const char  *real,
                          const char  *pseudonym,
                          const char  *category,
                          GError     **error)
{
  g_autofree char *clean_real = NULL;
  g_autofree char *label = NULL;
  gint64 id;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);

  /* Checked before the step, so that a refusal leaves no empty step. */
  if ((clean_real = clean_field (real, TRUE, error)) == NULL)
    return 0;
  /* Translators: an undo step; %s is the real name, e.g. “Kevin”. */
  label = g_strdup_printf (_("Add pseudonym for “%s”"), clean_real);
  if (!_cw_project_begin_step (self, label, error))
    return 0;
  if (!prepare_table (self, error) ||
      (id = insert_row (self, real, pseudonym, category, error)) == 0)
    {
      _cw_project_abort_step (self);
      return 0;
    }
  if (!_cw_project_end_step (self, error))
    return 0;
  return id;
}

gboolean
cw_project_add_pseudonyms (CwProject                 *self,
                           const CwPseudonym * const *rows,
                           guint                      n,
                           GError                   **error)
{
  g_autofree char *first = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (rows != NULL || n == 0, FALSE);

  if (n == 0)
    return TRUE;
  if ((first = clean_field (rows[0]->real, TRUE, error)) == NULL)
    return FALSE;
  if (n == 1)
    /* Translators: an undo step; %s is the real name, e.g. “Kevin”. */
    label = g_strdup_printf (_("Add pseudonym for “%s”"), first);
  else
    /* Translators: an undo step (the proposals confirmed at once). */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Add %u pseudonym", "Add %u pseudonyms", n), n);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!prepare_table (self, error))
    goto failed;
  /* A real name twice in rows clashes with its own first insert: all or
   * none, as for one already in the table. */
  for (guint i = 0; i < n; i++)
    if (insert_row (self, rows[i]->real, rows[i]->pseudonym, rows[i]->category, error) == 0)
      goto failed;
  return _cw_project_end_step (self, error);

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

/* The row id as it is; FALSE with CW_PROJECT_ERROR_NOT_FOUND when none. */
static gboolean
load_row (CwProject    *self,
          gint64        id,
          CwPseudonym **row,
          GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT real, pseudonym, category FROM pseudonyms WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *row = g_new0 (CwPseudonym, 1);
      (*row)->id = id;
      (*row)->real = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      (*row)->pseudonym = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      (*row)->category = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    _cw_project_set_db_error (self, error, _("cannot read the pseudonym table"));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("no pseudonym with id %lld"), (long long) id);
  return FALSE;
}

gboolean
cw_project_update_pseudonym (CwProject   *self,
                             gint64       id,
                             const char  *real,
                             const char  *pseudonym,
                             const char  *category,
                             GError     **error)
{
  g_autoptr(CwPseudonym) row = NULL;
  g_autofree char *clean_real = NULL;
  g_autofree char *clean_pseudonym = NULL;
  g_autofree char *clean_cat = NULL;
  g_autofree char *label = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 clash;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if ((real != NULL && (clean_real = clean_field (real, TRUE, error)) == NULL) ||
      (pseudonym != NULL && (clean_pseudonym = clean_field (pseudonym, FALSE, error)) == NULL) ||
      !clean_category (category, &clean_cat, error))
    return FALSE;

  if (!table_exists (self, "pseudonyms"))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no pseudonym with id %lld"), (long long) id);
      return FALSE;
    }
  {
    /* The label names the row as it was: look it up before the step. */
    g_autoptr(CwPseudonym) before = NULL;

    if (!load_row (self, id, &before, error))
      return FALSE;
    /* Translators: an undo step; %s is the real name, e.g. “Kevin”. */
    label = g_strdup_printf (_("Change pseudonym of “%s”"), before->real);
  }
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!prepare_table (self, error) || !load_row (self, id, &row, error))
    goto failed;
  if (clean_real != NULL)
    {
      if ((clash = find_real (self, clean_real, id, error)) < 0)
        goto failed;
      if (clash > 0)
        {
          set_exists_error (self, clean_real, error);
          goto failed;
        }
    }
  stmt = _cw_project_prepare (self,
                              "UPDATE pseudonyms SET real = ?2, pseudonym = ?3, category = ?4 WHERE id = ?1",
                              error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, clean_real != NULL ? clean_real : row->real, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, clean_pseudonym != NULL ? clean_pseudonym : row->pseudonym, -1, SQLITE_STATIC);
  if (category == NULL ? row->category != NULL : clean_cat != NULL)
    sqlite3_bind_text (stmt, 4, category == NULL ? row->category : clean_cat, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    goto failed;
  g_clear_pointer (&stmt, _cw_statement_release);
  return _cw_project_end_step (self, error);

failed:
  g_clear_pointer (&stmt, _cw_statement_release);
  _cw_project_abort_step (self);
  return FALSE;
}

gboolean
cw_project_remove_pseudonym (CwProject  *self,
                             gint64      id,
                             GError    **error)
{
  g_autoptr(CwPseudonym) row = NULL;
  g_autofree char *label = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!table_exists (self, "pseudonyms"))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no pseudonym with id %lld"), (long long) id);
      return FALSE;
    }
  if (!load_row (self, id, &row, error))
    return FALSE;
  /* Translators: an undo step; %s is the real name, e.g. “Kevin”. */
  label = g_strdup_printf (_("Remove pseudonym for “%s”"), row->real);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!prepare_table (self, error) ||
      !(stmt = _cw_project_prepare (self, "DELETE FROM pseudonyms WHERE id = ?1", error)))
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (self, stmt, error))
    goto failed;
  if (sqlite3_changes (_cw_project_get_db (self)) == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("no pseudonym with id %lld"), (long long) id);
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  return _cw_project_end_step (self, error);

failed:
  g_clear_pointer (&stmt, _cw_statement_release);
  _cw_project_abort_step (self);
  return FALSE;
}

GPtrArray *
cw_project_list_pseudonyms (CwProject  *self,
                            GError    **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_pseudonym_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  if (!table_exists (self, "pseudonyms"))
    return g_steal_pointer (&rows);
  stmt = _cw_project_prepare (self,
                              "SELECT id, real, pseudonym, category FROM pseudonyms"
                              " ORDER BY category IS NULL, category, pseudonym, real",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwPseudonym *row = g_new0 (CwPseudonym, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->real = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->pseudonym = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row->category = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the pseudonym table"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------------ */
/* Matching                                                                  */

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

typedef struct
{
  gunichar *real;
  glong     real_len;
  gunichar *replacement;
  glong     replacement_len;
  gpointer  data;   /* for counting: the candidate */
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->real);
  g_free (entry->replacement);
  g_free (entry);
}

typedef struct
{
  GPtrArray  *entries;  /* Entry, owned */
  GHashTable *by_first; /* first code point -> GPtrArray of Entry, longest first */
} Matcher;

static void
matcher_free (Matcher *matcher)
{
  if (matcher == NULL)
    return;
  g_hash_table_unref (matcher->by_first);
  g_ptr_array_unref (matcher->entries);
  g_free (matcher);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Matcher, matcher_free)

static Matcher *
matcher_new (void)
{
  Matcher *matcher = g_new0 (Matcher, 1);

  matcher->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  matcher->by_first = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  return matcher;
}

static int
compare_length (gconstpointer a,
                gconstpointer b)
{
  const Entry *x = *(const Entry * const *) a;
  const Entry *y = *(const Entry * const *) b;

  return (y->real_len > x->real_len) - (y->real_len < x->real_len);
}

/* real and replacement: NFC UTF-8. */
static void
matcher_add (Matcher    *matcher,
             const char *real,
             const char *replacement,
             gpointer    data)
{
  Entry *entry = g_new0 (Entry, 1);
  GPtrArray *list;

  entry->real = g_utf8_to_ucs4_fast (real, -1, &entry->real_len);
  entry->replacement = g_utf8_to_ucs4_fast (replacement != NULL ? replacement : "", -1, &entry->replacement_len);
  entry->data = data;
  if (entry->real_len == 0)
    {
      entry_free (entry);
      return;
    }
  g_ptr_array_add (matcher->entries, entry);
  list = g_hash_table_lookup (matcher->by_first, GUINT_TO_POINTER (entry->real[0]));
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (matcher->by_first, GUINT_TO_POINTER (entry->real[0]), list);
    }
  g_ptr_array_add (list, entry);
  g_ptr_array_sort (list, compare_length);
}

/* Whether entry occurs at t[i] as a whole word: no letter, mark or digit
 * just outside a word character at either end, and never a combining mark
 * just after (it would belong to the last letter). */
static gboolean
entry_matches_at (const Entry    *entry,
                  const gunichar *t,
                  glong           n,
                  glong           i)
{
  glong e = i + entry->real_len;

  if (e > n || memcmp (t + i, entry->real, entry->real_len * sizeof (gunichar)) != 0)
    return FALSE;
  if (i > 0 && is_word_char (t[i - 1]) && is_word_char (entry->real[0]))
    return FALSE;
  if (e < n && (g_unichar_ismark (t[e]) || (is_word_char (t[e]) && is_word_char (entry->real[entry->real_len - 1]))))
    return FALSE;
  return TRUE;
}

/* The longest entry at t[i], or NULL. */
static const Entry *
matcher_match_at (const Matcher  *matcher,
                  const gunichar *t,
                  glong           n,
                  glong           i)
{
  GPtrArray *list = g_hash_table_lookup (matcher->by_first, GUINT_TO_POINTER (t[i]));

  if (list == NULL)
    return NULL;
  for (guint k = 0; k < list->len; k++)
    if (entry_matches_at (list->pdata[k], t, n, i))
      return list->pdata[k];
  return NULL;
}

/* One replacement in a text: old [a, b) became new [new_a, new_a + length). */
typedef struct
{
  gint64 a;
  gint64 b;
  gint64 new_a;
  gint64 length;
} Edit;

/* text with every match replaced, leftmost first, then longest; edits (may
 * be NULL) receives them in order. Returns NULL when nothing matched. */
static char *
matcher_apply (const Matcher *matcher,
               const char    *text,
               GArray        *edits)
{
  g_autofree gunichar *t = NULL;
  g_autoptr(GArray) out = NULL;
  gboolean changed = FALSE;
  glong n = 0;

  if (matcher->entries->len == 0 || text == NULL || *text == '\0')
    return NULL;
  t = g_utf8_to_ucs4_fast (text, -1, &n);
  for (glong i = 0; i < n; i++)
    {
      const Entry *entry = matcher_match_at (matcher, t, n, i);

      if (entry == NULL)
        {
          if (out != NULL)
            g_array_append_val (out, t[i]);
          continue;
        }
      if (out == NULL)
        {
          out = g_array_sized_new (FALSE, FALSE, sizeof (gunichar), n + 64);
          g_array_append_vals (out, t, i);
        }
      if (edits != NULL)
        {
          Edit edit = { i, i + entry->real_len, out->len, entry->replacement_len };
          g_array_append_val (edits, edit);
        }
      g_array_append_vals (out, entry->replacement, entry->replacement_len);
      changed = TRUE;
      i += entry->real_len - 1;
    }
  if (!changed)
    return NULL;
  return g_ucs4_to_utf8 ((gunichar *) out->data, out->len, NULL, NULL, NULL);
}

/* Where an offset that starts a range (a coding's or turn's start) goes:
 * inside a replaced name, to the pseudonym's start (cw-edit.h: a range
 * that starts inside a replacement takes all of it). */
static gint64
map_start (GArray *edits,
           gint64  x)
{
  gint64 shift = 0;

  for (guint k = 0; k < edits->len; k++)
    {
      const Edit *e = &g_array_index (edits, Edit, k);

      if (x < e->a)
        break;
      if (x < e->b)
        return e->new_a;
      shift = e->new_a + e->length - e->b;
    }
  return x + shift;
}

/* Where an offset that ends a range goes: inside a replaced name (or at
 * its end), to the pseudonym's end. */
static gint64
map_end (GArray *edits,
         gint64  x)
{
  gint64 shift = 0;

  for (guint k = 0; k < edits->len; k++)
    {
      const Edit *e = &g_array_index (edits, Edit, k);

      if (x <= e->a)
        break;
      if (x <= e->b)
        return e->new_a + e->length;
      shift = e->new_a + e->length - e->b;
    }
  return x + shift;
}

/* ------------------------------------------------------------------------ */
/* Stable case ids                                                           */

/* Gives every case without one the next "C001"-style id, in the order of
 * the cases' ids. Not an undo step: these ids must stay once given out. */
static gboolean
assign_case_ids (CwProject  *self,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 next = 0;
  int rc;

  if (!_cw_project_begin (self, error))
    return FALSE;
  if (!_cw_project_exec (self, case_pseudonyms_sql, error))
    goto failed;

  stmt = _cw_project_prepare (self, "SELECT pseudonym FROM case_pseudonyms", error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *p = (const char *) sqlite3_column_text (stmt, 0);

      if (p != NULL && p[0] == 'C')
        next = MAX (next, g_ascii_strtoll (p + 1, NULL, 10));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  stmt = _cw_project_prepare (self,
                              "SELECT id FROM cases WHERE id NOT IN (SELECT case_id FROM case_pseudonyms) ORDER BY id",
                              error);
  if (stmt == NULL)
    goto failed;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (missing, id);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  if (missing->len == 0)
    {
      _cw_project_rollback (self);
      return TRUE;
    }
  stmt = _cw_project_prepare (self, "INSERT INTO case_pseudonyms (case_id, pseudonym) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    goto failed;
  for (guint i = 0; i < missing->len; i++)
    {
      g_autofree char *id = g_strdup_printf ("C%03" G_GINT64_FORMAT, ++next);

      sqlite3_bind_int64 (stmt, 1, g_array_index (missing, gint64, i));
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      if (!step_done (self, stmt, error))
        goto failed;
      sqlite3_reset (stmt);
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  return _cw_project_commit (self, error);

failed:
  g_clear_pointer (&stmt, _cw_statement_release);
  _cw_project_rollback (self);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Files                                                                     */

/* Moves tmp to path unless path exists (then CW_PROJECT_ERROR_EXISTS):
 * a hard link never overwrites; file systems without links (FAT on a USB
 * stick) get a check and a rename. tmp is gone afterwards either way. */
static gboolean
publish_file (const char  *tmp,
              const char  *path,
              GError     **error)
{
  int saved;

  if (link (tmp, path) == 0)
    {
      g_unlink (tmp);
      return TRUE;
    }
  saved = errno;
  if (saved != EEXIST && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_rename (tmp, path) == 0)
        return TRUE;
      saved = errno;
    }
  else
    saved = EEXIST;
  g_unlink (tmp);
  if (saved == EEXIST)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                 _("%s: the file exists already; choose another name"), path);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("%s: cannot write the file: %s"), path, g_strerror (saved));
  return FALSE;
}

static gboolean
refuse_existing (const char  *path,
                 GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("%s: the file exists already; choose another name"), path);
      return FALSE;
    }
  return TRUE;
}

/* An empty file next to path, mode 0600, for a result to be renamed. */
static char *
make_temp_beside (const char  *path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  char *tmp = g_build_filename (dir, name, NULL);
  int fd = g_mkstemp_full (tmp, O_RDWR, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: cannot write the file: %s"), path, g_strerror (saved));
      g_free (tmp);
      return NULL;
    }
  close (fd);
  return tmp;
}

static void
remove_database (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

/* ------------------------------------------------------------------------ */
/* Pseudonymising a project in place (the private working copy)              */

typedef struct
{
  gint64 id;
  gint64 start;
  gint64 end;
} Range;

static gboolean
load_ranges (CwProject   *self,
             const char  *sql,
             gint64       document_id,
             GArray      *ranges,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Range r = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2) };
      g_array_append_val (ranges, r);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the project"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_sql (CwProject   *self,
         const char  *sql,
         gint64       p1,
         gint64       p2,
         gint64       p3,
         int         *rc_out,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, p1);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, p2);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int64 (stmt, 3, p3);
  rc = sqlite3_step (stmt);
  if (rc_out != NULL)
    *rc_out = rc;
  if (rc == SQLITE_DONE || (rc_out != NULL && rc == SQLITE_CONSTRAINT))
    return TRUE;
  _cw_project_set_db_error (self, error, _("cannot write the project"));
  return FALSE;
}

/* One document: its text, then its turns and codings moved with it. */
static gboolean
pseudonymise_document (CwProject      *self,
                       const Matcher  *matcher,
                       gint64          id,
                       const char     *name,
                       const char     *text,
                       GError        **error)
{
  g_autoptr(GArray) edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *replaced = matcher_apply (matcher, text, edits);
  g_autofree char *normal = NULL;

  if (replaced == NULL)
    return TRUE;
  /* Pseudonyms do not start with a mark and no match is followed by one,
   * so the text stays composed; a script where it would not is refused
   * rather than stored with offsets that no longer fit. */
  normal = g_utf8_normalize (replaced, -1, G_NORMALIZE_NFC);
  if (g_strcmp0 (normal, replaced) != 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("“%s”: a pseudonym would merge with the characters next to it"), name);
      return FALSE;
    }

  stmt = _cw_project_prepare (self, "UPDATE documents SET text = ?2, characters = ?3 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, replaced, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_utf8_strlen (replaced, -1));
  if (!step_done (self, stmt, error))
    return FALSE;
  g_clear_pointer (&stmt, _cw_statement_release);

  /* Turns have no UNIQUE on their offsets. */
  if (!load_ranges (self, "SELECT id, start, \"end\" FROM turns WHERE document_id = ?1", id, ranges, error))
    return FALSE;
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *r = &g_array_index (ranges, Range, i);
      gint64 s = map_start (edits, r->start);
      gint64 e = MAX (s, map_end (edits, r->end));

      if ((s != r->start || e != r->end) &&
          !run_sql (self, "UPDATE turns SET start = ?2, \"end\" = ?3 WHERE id = ?1", r->id, s, e, NULL, error))
        return FALSE;
    }

  /* Codings: parked, then put down in id order; one that now covers
   * exactly what an older coding of its code and coder covers goes, as
   * cw-edit.c does. */
  g_array_set_size (ranges, 0);
  if (!load_ranges (self, "SELECT id, start, \"end\" FROM codings WHERE document_id = ?1 ORDER BY id",
                    id, ranges, error) ||
      !run_sql (self, "UPDATE codings SET start = start + ?2, \"end\" = \"end\" + ?2 WHERE document_id = ?1",
                id, PARK, 0, NULL, error))
    return FALSE;
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *r = &g_array_index (ranges, Range, i);
      gint64 s = map_start (edits, r->start);
      gint64 e = map_end (edits, r->end);
      int rc;

      g_assert (e > s); /* a pseudonym is never empty */
      if (!run_sql (self, "UPDATE codings SET start = ?2, \"end\" = ?3 WHERE id = ?1", r->id, s, e, &rc, error))
        return FALSE;
      if (rc == SQLITE_CONSTRAINT &&
          !run_sql (self, "DELETE FROM codings WHERE id = ?1", r->id, 0, 0, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
pseudonymise_documents (CwProject      *self,
                        const Matcher  *matcher,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  stmt = _cw_project_prepare (self, "SELECT id FROM documents ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the documents"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *text = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      stmt = _cw_project_prepare (self, "SELECT name, text FROM documents WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          _cw_project_set_db_error (self, error, _("cannot read the documents"));
          return FALSE;
        }
      name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      text = g_strndup ((const char *) sqlite3_column_text (stmt, 1), sqlite3_column_bytes (stmt, 1));
      g_clear_pointer (&stmt, _cw_statement_release);
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       _("%s: the text of “%s” is damaged (not UTF-8, or not as long as recorded)"),
                       cw_project_get_path (self), name);
          return FALSE;
        }
      if (!pseudonymise_document (self, matcher, g_array_index (ids, gint64, i), name, text, error))
        return FALSE;
    }
  return TRUE;
}

/* SQL functions on the working copy's connection: cw_pseudonymise (text)
 * and cw_pseudonym_matches (text). */
static void
sql_pseudonymise (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  const Matcher *matcher = sqlite3_user_data (context);
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *replaced;

  if (sqlite3_value_type (argv[0]) != SQLITE_TEXT || text == NULL || !g_utf8_validate (text, -1, NULL) ||
      (replaced = matcher_apply (matcher, text, NULL)) == NULL)
    {
      sqlite3_result_value (context, argv[0]);
      return;
    }
  sqlite3_result_text (context, replaced, -1, g_free);
}

static void
sql_matches (sqlite3_context  *context,
             int               argc,
             sqlite3_value   **argv)
{
  const Matcher *matcher = sqlite3_user_data (context);
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  g_autofree char *replaced = NULL;

  if (sqlite3_value_type (argv[0]) != SQLITE_TEXT || text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      sqlite3_result_int (context, 0);
      return;
    }
  replaced = matcher_apply (matcher, text, NULL);
  sqlite3_result_int (context, replaced != NULL);
}

/* Tables the generic pass leaves alone: SQLite's, the full-text index
 * (rebuilt at the end), what is dropped or emptied anyway, documents'
 * text (done with its offsets) and the stable case ids. */
static gboolean
skip_table (const char *table)
{
  static const char *const skipped[] = {
    "history", "history_steps", "history_state", "index_pending", "pseudonyms", "case_pseudonyms",
    "recordings",
  };

  if (g_str_has_prefix (table, "sqlite_") || g_str_has_prefix (table, "document_index"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (strcmp (table, skipped[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
skip_column (const char *table,
             const char *column)
{
  return strcmp (column, "guid") == 0 ||
         (strcmp (table, "documents") == 0 && strcmp (column, "text") == 0) ||
         (strcmp (table, "cases") == 0 && strcmp (column, "identifier") == 0);
}

/* A UNIQUE name that two rows now share: the later rows get " (2)", ...
 * Only for rowid tables, where every UNIQUE text column is. */
static gboolean
pseudonymise_rows (CwProject     *self,
                   const Matcher *matcher,
                   const char    *table,
                   const char    *column,
                   GError       **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT rowid, \"%s\" FROM \"%s\" WHERE typeof (\"%s\") = 'text'"
                                             " AND cw_pseudonym_matches (\"%s\") ORDER BY rowid",
                                             column, table, column, column);
  g_autofree char *update = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?2 WHERE rowid = ?1", table, column);
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, select, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
      g_ptr_array_add (values, matcher_apply (matcher, (const char *) sqlite3_column_text (stmt, 1), NULL));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the project"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  for (guint i = 0; i < rowids->len; i++)
    {
      const char *value = values->pdata[i];

      if (value == NULL)
        continue;
      for (guint n = 1; ; n++)
        {
          g_autofree char *numbered = n == 1 ? g_strdup (value) : g_strdup_printf ("%s (%u)", value, n);

          stmt = _cw_project_prepare (self, update, error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
          sqlite3_bind_text (stmt, 2, numbered, -1, SQLITE_STATIC);
          rc = sqlite3_step (stmt);
          g_clear_pointer (&stmt, _cw_statement_release);
          if (rc == SQLITE_DONE)
            break;
          if (rc != SQLITE_CONSTRAINT || n >= 1000)
            {
              _cw_project_set_db_error (self, error, _("cannot write the project"));
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Every text value of every other table through the matcher, so that a
 * name in a memo, a code, a speaker, a case value, a document's name, the
 * title or a setting is replaced too, including tables added later. */
static gboolean
pseudonymise_all_text (CwProject      *self,
                       const Matcher  *matcher,
                       GError        **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rowid_tables = g_ptr_array_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = _cw_project_prepare (self, "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *sql = (const char *) sqlite3_column_text (stmt, 1);

      /* Virtual tables and their shadow tables are not ours to rewrite. */
      if (name == NULL || sql == NULL || skip_table (name) || g_str_has_prefix (sql, "CREATE VIRTUAL"))
        continue;
      g_ptr_array_add (tables, g_strdup (name));
      g_ptr_array_add (rowid_tables, GINT_TO_POINTER (strstr (sql, "WITHOUT ROWID") == NULL));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the project"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = tables->pdata[t];
      g_autofree char *info = g_strdup_printf ("PRAGMA table_info (\"%s\")", table);
      g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);

      stmt = _cw_project_prepare (self, info, error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *column = (const char *) sqlite3_column_text (stmt, 1);

          if (!skip_column (table, column))
            g_ptr_array_add (columns, g_strdup (column));
        }
      g_clear_pointer (&stmt, _cw_statement_release);
      if (rc != SQLITE_DONE)
        {
          _cw_project_set_db_error (self, error, _("cannot read the project"));
          return FALSE;
        }

      for (guint c = 0; c < columns->len; c++)
        {
          const char *column = columns->pdata[c];
          g_autofree char *sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = cw_pseudonymise (\"%s\")"
                                                  " WHERE typeof (\"%s\") = 'text' AND cw_pseudonym_matches (\"%s\")",
                                                  table, column, column, column, column);

          rc = sqlite3_exec (_cw_project_get_db (self), sql, NULL, NULL, NULL);
          if (rc == SQLITE_CONSTRAINT && GPOINTER_TO_INT (rowid_tables->pdata[t]))
            {
              if (!pseudonymise_rows (self, matcher, table, column, error))
                return FALSE;
            }
          else if (rc != SQLITE_OK)
            {
              _cw_project_set_db_error (self, error, _("cannot write the project"));
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Case identifiers become their stable ids (copied with the project). */
static gboolean
pseudonymise_case_ids (CwProject  *self,
                       GError    **error)
{
  if (!table_exists (self, "case_pseudonyms"))
    return TRUE;
  /* Through a placeholder: a real id may look like another case's new one. */
  return _cw_project_exec (self,
                           "UPDATE cases SET identifier = char (1) || id;"
                           "UPDATE cases SET identifier ="
                           " (SELECT pseudonym FROM case_pseudonyms WHERE case_id = cases.id)"
                           " WHERE id IN (SELECT case_id FROM case_pseudonyms);",
                           error);
}

static gboolean
pseudonymise_in_place (CwProject      *self,
                       const Matcher  *matcher,
                       GCancellable   *cancellable,
                       GError        **error)
{
  sqlite3 *db = _cw_project_get_db (self);

  if (sqlite3_create_function_v2 (db, "cw_pseudonymise", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                  (void *) matcher, sql_pseudonymise, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_create_function_v2 (db, "cw_pseudonym_matches", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                  (void *) matcher, sql_matches, NULL, NULL, NULL) != SQLITE_OK)
    {
      _cw_project_set_db_error (self, error, _("cannot write the project"));
      return FALSE;
    }

  if (!_cw_project_begin (self, error))
    return FALSE;
  if (!pseudonymise_documents (self, matcher, cancellable, error) ||
      !pseudonymise_case_ids (self, error) ||
      !pseudonymise_all_text (self, matcher, error))
    goto failed;

  /* A recording is the voice itself: the copy does not point at it. */
  if (!_cw_project_exec (self, "UPDATE documents SET media_path = NULL WHERE media_path IS NOT NULL", error) ||
      (table_exists (self, "recordings") && !_cw_project_exec (self, "DELETE FROM recordings", error)) ||
      !_cw_project_exec (self, "DELETE FROM word_list WHERE cw_pseudonym_matches (word)", error) ||
      !_cw_project_exec (self, "DROP TABLE IF EXISTS pseudonyms; DROP TABLE IF EXISTS case_pseudonyms;", error) ||
      !_cw_history_clear (self, error) ||
      !_cw_project_exec (self, "UPDATE history_state SET recording = NULL", error) ||
      /* The index held the old words; a rebuild keeps none of them. */
      !_cw_project_exec (self, "INSERT INTO document_index (document_index) VALUES ('rebuild')", error) ||
      (table_exists (self, "index_pending") && !_cw_project_exec (self, "DELETE FROM index_pending", error)) ||
      (table_exists (self, "sqlite_stat1") && !_cw_project_exec (self, "DELETE FROM sqlite_stat1", error)) ||
      (table_exists (self, "sqlite_stat4") && !_cw_project_exec (self, "DELETE FROM sqlite_stat4", error)))
    goto failed;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto failed;
  return _cw_project_commit (self, error);

failed:
  _cw_project_rollback (self);
  return FALSE;
}

static Matcher *
load_matcher (CwProject  *self,
              GError    **error)
{
  g_autoptr(GPtrArray) rows = cw_project_list_pseudonyms (self, error);
  g_autoptr(Matcher) matcher = NULL;

  if (rows == NULL)
    return NULL;
  matcher = matcher_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      const CwPseudonym *row = rows->pdata[i];
      matcher_add (matcher, row->real, row->pseudonym, NULL);
    }
  return g_steal_pointer (&matcher);
}

/* ------------------------------------------------------------------------ */
/* Exports from the working project (coded segments, a report's subtitle)    */

/* Replaces *field's real strings; text that is not valid UTF-8 is made
 * valid first (a name must not slip through as a broken byte). */
static void
replace_field (const Matcher  *matcher,
               char          **field)
{
  char *replaced;

  if (*field == NULL)
    return;
  if (!g_utf8_validate (*field, -1, NULL))
    {
      char *valid = g_utf8_make_valid (*field, -1);

      g_free (*field);
      *field = valid;
    }
  if ((replaced = matcher_apply (matcher, *field, NULL)) != NULL)
    {
      g_free (*field);
      *field = replaced;
    }
}

char *
cw_project_pseudonymise_text (CwProject   *self,
                              const char  *text,
                              GError     **error)
{
  g_autoptr(Matcher) matcher = NULL;
  char *out;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  if ((matcher = load_matcher (self, error)) == NULL)
    return NULL;
  out = g_strdup (text);
  replace_field (matcher, &out);
  return out;
}

/* identifier -> stable pseudonymous id, every case having one. */
static GHashTable *
load_case_pseudonyms (CwProject  *self,
                      GError    **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (!assign_case_ids (self, error))
    return NULL;
  /* No case: no table either (assign_case_ids made none). */
  if (!table_exists (self, "case_pseudonyms"))
    return g_steal_pointer (&ids);
  stmt = _cw_project_prepare (self,
                              "SELECT c.identifier, p.pseudonym FROM cases c"
                              " JOIN case_pseudonyms p ON p.case_id = c.id",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_hash_table_insert (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* A document's text as a pseudonymised copy has it, with the edits that
 * made it (for moving offsets). */
typedef struct
{
  char   *text;     /* NULL when the document could not be read */
  glong   length;   /* in code points */
  GArray *edits;    /* Edit */
} PseudonymisedText;

static void
pseudonymised_text_free (PseudonymisedText *p)
{
  g_free (p->text);
  g_array_unref (p->edits);
  g_free (p);
}

static PseudonymisedText *
pseudonymise_document_text (CwProject     *self,
                            const Matcher *matcher,
                            gint64         document_id)
{
  PseudonymisedText *p = g_new0 (PseudonymisedText, 1);
  g_autofree char *text = cw_project_get_text (self, document_id, NULL);
  char *replaced;

  p->edits = g_array_new (FALSE, FALSE, sizeof (Edit));
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return p;
  replaced = matcher_apply (matcher, text, p->edits);
  p->text = replaced != NULL ? replaced : g_steal_pointer (&text);
  p->length = g_utf8_strlen (p->text, -1);
  return p;
}

gboolean
cw_project_pseudonymise_segments (CwProject     *self,
                                  GPtrArray     *segments,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(Matcher) matcher = NULL;
  g_autoptr(GHashTable) case_ids = NULL;
  g_autoptr(GHashTable) documents = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (segments != NULL, FALSE);

  if ((matcher = load_matcher (self, error)) == NULL ||
      (case_ids = load_case_pseudonyms (self, error)) == NULL)
    return FALSE;
  documents = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                     (GDestroyNotify) pseudonymised_text_free);

  for (guint i = 0; i < segments->len; i++)
    {
      CwCoding *segment = g_ptr_array_index (segments, i);
      PseudonymisedText *doc = g_hash_table_lookup (documents, &segment->document_id);
      const char *case_id;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (doc == NULL)
        {
          doc = pseudonymise_document_text (self, matcher, segment->document_id);
          g_hash_table_insert (documents, g_memdup2 (&segment->document_id, sizeof (gint64)), doc);
        }

      /* The segment where the copy has it: a range that starts or ends
       * inside a name covers its whole pseudonym, as in a copy. */
      if (doc->text != NULL && segment->start >= 0 && segment->start < segment->end)
        {
          gint64 start = map_start (doc->edits, segment->start);
          gint64 end = map_end (doc->edits, segment->end);

          segment->start = start;
          segment->end = MAX (start, end);
          if (segment->text != NULL && segment->end <= doc->length)
            {
              g_free (segment->text);
              segment->text = g_utf8_substring (doc->text, (glong) segment->start, (glong) segment->end);
            }
        }
      /* Also when the text was cut or the offsets did not fit. */
      replace_field (matcher, &segment->text);
      replace_field (matcher, &segment->document);
      replace_field (matcher, &segment->code);
      replace_field (matcher, &segment->coder);
      replace_field (matcher, &segment->speaker);
      replace_field (matcher, &segment->memo);
      if (segment->case_id != NULL)
        {
          case_id = g_hash_table_lookup (case_ids, segment->case_id);
          g_free (segment->case_id);
          /* A case made since the ids were given out: none rather than
           * the real one. */
          segment->case_id = g_strdup (case_id != NULL ? case_id : "");
        }
    }
  return TRUE;
}

/* A private working copy of self: in a 0700 folder next to the project
 * (the researcher's disk), else in the temporary folder. */
static char *
make_private_dir (CwProject *self)
{
  g_autofree char *dir = g_path_get_dirname (cw_project_get_path (self));
  g_autofree char *tmpl = g_build_filename (dir, ".codewerk-pseudonymise-XXXXXX", NULL);

  if (g_mkdtemp_full (tmpl, 0700) != NULL)
    return g_steal_pointer (&tmpl);
  return g_dir_make_tmp ("codewerk-pseudonymise-XXXXXX", NULL);
}

static gboolean
backup_to (CwProject   *self,
           const char  *path,
           GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  if (sqlite3_open_v2 (path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot write the file: %s"), path, sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return FALSE;
    }
  backup = sqlite3_backup_init (dest, "main", _cw_project_get_db (self), "main");
  if (backup == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot copy the project: %s"), cw_project_get_path (self), sqlite3_errmsg (dest));
      sqlite3_close (dest);
      return FALSE;
    }
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot copy the project: %s"), cw_project_get_path (self), sqlite3_errstr (rc));
      sqlite3_close (dest);
      return FALSE;
    }
  return sqlite3_close (dest) == SQLITE_OK;
}

/* The copy opens like every project: in WAL mode (VACUUM INTO writes a
 * rollback-journal file). */
static gboolean
set_wal (const char  *path,
         GError     **error)
{
  sqlite3 *db = NULL;
  gboolean ok = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
                sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) == SQLITE_OK;

  if (!ok)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 _("%s: cannot write the file: %s"), path, db != NULL ? sqlite3_errmsg (db) : "");
  sqlite3_close (db);
  return ok;
}

gboolean
cw_project_write_pseudonymised_copy (CwProject     *self,
                                     const char    *out_path,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  g_autoptr(Matcher) matcher = NULL;
  g_autoptr(CwProject) copy = NULL;
  g_autofree char *private_dir = NULL;
  g_autofree char *work_path = NULL;
  g_autofree char *out_tmp = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);

  if (!refuse_existing (out_path, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !assign_case_ids (self, error) ||
      (matcher = load_matcher (self, error)) == NULL)
    return FALSE;

  if ((private_dir = make_private_dir (self)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("%s: cannot make a private folder for the working copy"), cw_project_get_path (self));
      return FALSE;
    }
  work_path = g_build_filename (private_dir, "copy.codewerk", NULL);
  if (!backup_to (self, work_path, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      (copy = cw_project_open (work_path, error)) == NULL ||
      !pseudonymise_in_place (copy, matcher, cancellable, error) ||
      (out_tmp = make_temp_beside (out_path, error)) == NULL)
    goto out;

  stmt = _cw_project_prepare (copy, "VACUUM INTO ?1", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, out_tmp, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot write the file: %s"), out_path, sqlite3_errmsg (_cw_project_get_db (copy)));
      goto out;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  g_clear_object (&copy);

  if (!set_wal (out_tmp, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;
  ok = publish_file (out_tmp, out_path, error);

out:
  g_clear_pointer (&stmt, _cw_statement_release);
  g_clear_object (&copy);
  if (out_tmp != NULL)
    remove_database (out_tmp);
  remove_database (work_path);
  g_rmdir (private_dir);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* The key                                                                   */

static void
append_csv_field (GString    *out,
                  const char *value)
{
  if (value == NULL)
    return;
  if (strpbrk (value, ";\"\n\r") == NULL)
    {
      g_string_append (out, value);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString    *out,
                const char *real,
                const char *pseudonym,
                const char *category)
{
  append_csv_field (out, real);
  g_string_append_c (out, ';');
  append_csv_field (out, pseudonym);
  g_string_append_c (out, ';');
  append_csv_field (out, category);
  g_string_append (out, "\r\n");
}

gboolean
cw_project_export_pseudonym_key (CwProject   *self,
                                 const char  *out_path,
                                 GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) csv = g_string_new ("\xEF\xBB\xBF" "real;pseudonym;category\r\n");
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *tmp = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);

  if (!refuse_existing (out_path, error) ||
      !assign_case_ids (self, error) ||
      (rows = cw_project_list_pseudonyms (self, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const CwPseudonym *row = rows->pdata[i];
      append_csv_row (csv, row->real, row->pseudonym, row->category);
    }
  stmt = _cw_project_prepare (self,
                              "SELECT c.identifier, p.pseudonym FROM case_pseudonyms p"
                              " JOIN cases c ON c.id = p.case_id ORDER BY p.pseudonym",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    append_csv_row (csv, (const char *) sqlite3_column_text (stmt, 0),
                    (const char *) sqlite3_column_text (stmt, 1), "case id");
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  if ((tmp = make_temp_beside (out_path, error)) == NULL)
    return FALSE;
  if (!g_file_set_contents_full (tmp, csv->str, csv->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  return publish_file (tmp, out_path, error);
}

/* ------------------------------------------------------------------------ */
/* Proposals                                                                 */

/* Words that name a role, not a person: speakers such as "Interviewer" or
 * "Moeder van Dewi"'s "Moeder". Compared case-folded. */
static const char *const role_words[] = {
  "i", "r", "int", "iv", "o", "m", "v", "p", "d", "l", "j",
  "interviewer", "interviewster", "interviewers", "gespreksleider", "gespreksleidster", "moderator",
  "onderzoeker", "onderzoekster", "respondent", "deelnemer", "deelneemster", "spreker", "speaker",
  "participant", "docent", "docente", "leraar", "lerares", "mentor", "stagebegeleider", "stagedocent",
  "begeleider", "begeleidster", "werkbegeleider", "praktijkbegeleider", "jobcoach", "werkgever",
  "leidinggevende", "teamleider", "ploegleider", "filiaalmanager", "manager", "directeur", "eigenaar",
  "decaan", "trajectbegeleider", "coördinator", "zorgcoördinator", "consulent", "klantmanager",
  "leerling", "jongere", "student", "stagiair", "stagiaire", "ouder", "ouders", "moeder", "vader",
  "broer", "zus", "zuster", "oma", "opa", "tante", "oom", "voogd", "pleegmoeder", "pleegvader",
  "partner", "allen", "iedereen", "groep", "onbekend", "unknown", "anderen", "andere", "alle",
  "medewerker", "collega", "werknemer", "interviewee", "observator", "notulist", "tolk",
};

/* Courtesy titles before a name: "Mevrouw Bakker", "Meneer de Vries". */
static const char *const honorifics[] = {
  "meneer", "mevrouw", "mevr", "mw", "dhr", "juf", "juffrouw", "meester", "mr", "mrs", "ms", "dr",
};

/* Lower-case words inside a name: "Moeder van Dewi", "Jan de Vries". */
static const char *const connectors[] = {
  "van", "de", "der", "den", "het", "'t", "’t", "ten", "ter", "te",
  "el", "al", "la", "le", "da", "di", "du", "von", "zu", "bin",
};

static const char *const school_words[] = {
  "school", "praktijkschool", "college", "lyceum", "roc", "vso", "academie", "hogeschool",
  "scholengemeenschap", "mavo", "vmbo", "havo", "atheneum", "gymnasium", "campus",
};

static const char *const employer_words[] = {
  "bakkerij", "supermarkt", "garage", "bv", "b.v.", "nv", "hotel", "restaurant", "transport",
  "hoveniers", "hoveniersbedrijf", "groenvoorziening", "distributiecentrum", "winkel", "fabriek",
  "bedrijf", "kinderdagverblijf", "zorgcentrum", "verpleeghuis", "schoonmaak", "logistiek",
};

static const char *const place_prepositions[] = {
  "in", "uit", "naar", "te", "rond", "buiten", "richting",
};

static gboolean
in_list (const char         *word,
         const char * const *list,
         gsize               n)
{
  g_autofree char *folded = g_utf8_strdown (word, -1);

  for (gsize i = 0; i < n; i++)
    if (strcmp (folded, list[i]) == 0)
      return TRUE;
  return FALSE;
}

#define IN_LIST(word, list) in_list ((word), (list), G_N_ELEMENTS (list))

static gboolean
is_upper_start (gunichar c)
{
  return g_unichar_isupper (c) || g_unichar_istitle (c);
}

/* "MBO", "PrO", "UWV": abbreviations and coined words, not names here. */
static gboolean
has_inner_capital (const char *word)
{
  gboolean first = TRUE;

  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '-' || c == ' ')
        {
          first = TRUE;
          continue;
        }
      if (!first && is_upper_start (c))
        return TRUE;
      first = FALSE;
    }
  return FALSE;
}

typedef struct
{
  char    *real;
  char    *source;
  char    *category;
  guint    mid_sentence;  /* capitalised occurrences not at a sentence's start */
  guint    place_votes;   /* "in X", "naar X" */
  guint    school_votes;  /* "op X" */
  guint    occurrences;
} Candidate;

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->real);
  g_free (candidate->source);
  g_free (candidate->category);
  g_free (candidate);
}

typedef struct
{
  GHashTable      *candidates; /* real -> Candidate */
  GHashTable      *lower;      /* words seen starting with a lower-case letter, as written */
  GHashTable      *existing;   /* reals in the table */
  CwSpellChecker  *checker;
  gboolean         have_nl;
  gboolean         have_en;
} Proposal;

static Candidate *
get_candidate (Proposal   *proposal,
               const char *real,
               const char *source,
               const char *category)
{
  Candidate *candidate = g_hash_table_lookup (proposal->candidates, real);

  if (candidate == NULL)
    {
      candidate = g_new0 (Candidate, 1);
      candidate->real = g_strdup (real);
      candidate->source = g_strdup (source);
      candidate->category = g_strdup (category);
      g_hash_table_insert (proposal->candidates, candidate->real, candidate);
    }
  else if (candidate->category == NULL && category != NULL)
    candidate->category = g_strdup (category);
  return candidate;
}

/* A common word of Dutch or English (lower-cased), as the dictionaries
 * know it. */
static gboolean
is_common_word (Proposal   *proposal,
                const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);

  if (g_hash_table_contains (proposal->lower, lower))
    return TRUE;
  return (proposal->have_nl && cw_spell_checker_check (proposal->checker, "nl", lower)) ||
         (proposal->have_en && cw_spell_checker_check (proposal->checker, "en", lower));
}

/* A name the dictionary has as an entry of its own with a capital:
 * "Ahmed", "Pieter", and also "Wim" or "Roos" beside the common "wim" and
 * "roos". "Dat" or "Maar" are accepted only as capitalised "dat" and
 * "maar". Without a dictionary nothing is known to be a name. */
static gboolean
is_dictionary_name (Proposal   *proposal,
                    const char *word)
{
  if (cw_spell_checker_is_ignored (proposal->checker, word))
    return FALSE;
  if (proposal->have_nl && cw_spell_checker_is_name (proposal->checker, "nl", word))
    return TRUE;
  /* English has "In", "Van" and "Dat" as names: only where the word is no
   * common word does the English dictionary count ("Ahmed"). */
  return proposal->have_en && !is_common_word (proposal, word) &&
         cw_spell_checker_is_name (proposal->checker, "en", word);
}

/* A name and nothing else: one the dictionary has, whose lower-case form
 * is no word ("ahmed"), so that it is one even at a sentence's start. */
static gboolean
is_proper_noun (Proposal   *proposal,
                const char *word)
{
  return !is_common_word (proposal, word) && is_dictionary_name (proposal, word);
}

typedef struct
{
  glong    start;
  glong    end;
  gboolean capital;
  gboolean sentence_start;
  gboolean label;       /* a speaker label at a line's start */
  gboolean space_after; /* exactly one space before the next word */
} Word;

static gboolean
is_joiner (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == '-';
}

/* Words of t: letters and marks, joined by an apostrophe or hyphen between
 * letters; a word touching a digit is left out. */
static GArray *
split_words (const gunichar *t,
             glong           n)
{
  GArray *words = g_array_new (FALSE, FALSE, sizeof (Word));
  gboolean sentence_start = TRUE;
  gboolean line_head = TRUE;  /* only a timestamp or the label so far */
  guint brackets = 0;         /* inside "[lacht]" or "(stil)": a transcriber's note */

  for (glong i = 0; i < n;)
    {
      gunichar c = t[i];

      if (g_unichar_isalpha (c))
        {
          Word w = { .start = i, .capital = is_upper_start (c), .sentence_start = sentence_start };
          gboolean digit = i > 0 && g_unichar_isdigit (t[i - 1]);
          glong j = i + 1;

          for (;;)
            {
              while (j < n && (g_unichar_isalpha (t[j]) || g_unichar_ismark (t[j])))
                j++;
              if (j + 1 < n && is_joiner (t[j]) && g_unichar_isalpha (t[j + 1]))
                j++;
              else
                break;
            }
          w.end = j;
          if (j < n && g_unichar_isdigit (t[j]))
            digit = TRUE;
          while (j < n && g_unichar_isalnum (t[j]))
            j++;
          /* "Kevin:" at a line's start (after a timestamp): a label. */
          if (line_head && j < n && t[j] == ':')
            w.label = TRUE;
          w.space_after = j + 1 < n && (t[j] == ' ' || t[j] == 0xA0) && g_unichar_isalpha (t[j + 1]);
          if (!digit)
            g_array_append_val (words, w);
          /* "Klaar. [lacht] Dan..." still starts a sentence with "Dan". */
          if (brackets == 0)
            sentence_start = FALSE;
          i = j;
          continue;
        }
      if (c == '\n')
        {
          sentence_start = TRUE;
          line_head = TRUE;
        }
      else if (c == ':' && i > 0 && g_unichar_isdigit (t[i - 1]))
        ; /* a timestamp's colon */
      else if ((c == '"' && i + 1 < n && g_unichar_isalpha (t[i + 1])) || c == 0x201C || c == 0x201E || c == 0x00AB)
        {
          /* Quoted speech or a title opens with a capital: "Van school
           * naar werk" (a straight quote opens when a letter follows). */
          sentence_start = TRUE;
          line_head = FALSE;
        }
      else if (c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ':')
        {
          sentence_start = TRUE;
          if (c == ':')
            line_head = FALSE;
        }
      else if (c == ']' || c == '[' || g_unichar_isdigit (c) || c == ' ' || c == '\t')
        {
          /* "[00:00:09] " before a label keeps the line's head */
          if (c == '[')
            brackets = MIN (brackets + 1, 64);
          else if (c == ']' && brackets > 0)
            brackets--;
        }
      else
        line_head = FALSE;
      i++;
    }
  /* Labels are whole runs: "Moeder van Dewi:" marks all three. */
  for (guint k = words->len; k-- > 1;)
    {
      Word *w = &g_array_index (words, Word, k);
      Word *before = &g_array_index (words, Word, k - 1);

      if (w->label && before->space_after && !before->label)
        before->label = TRUE;
    }
  return words;
}

static char *
ucs4_to_utf8 (const gunichar *t,
              glong           start,
              glong           end)
{
  return g_ucs4_to_utf8 (t + start, end - start, NULL, NULL, NULL);
}

/* The word before t[start], lower-cased, or NULL. */
static char *
word_before (const gunichar *t,
             glong           start)
{
  glong e = start, s;

  while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == 0xA0))
    e--;
  if (e == start)
    return NULL;
  s = e;
  while (s > 0 && g_unichar_isalpha (t[s - 1]))
    s--;
  if (s == e)
    return NULL;
  {
    g_autofree char *word = ucs4_to_utf8 (t, s, e);
    return g_utf8_strdown (word, -1);
  }
}

/* The capitalised words and runs of one document. */
static void
scan_document (Proposal   *proposal,
               const char *text)
{
  glong n = 0;
  g_autofree gunichar *t = g_utf8_to_ucs4_fast (text, -1, &n);
  g_autoptr(GArray) words = split_words (t, n);

  for (guint k = 0; k < words->len;)
    {
      const Word *w = &g_array_index (words, Word, k);
      guint first = k, last = k;
      gboolean honorific = FALSE;

      if (!w->capital || w->label)
        {
          k++;
          continue;
        }
      /* The run: capitalised words one space apart, with lower-case
       * connectors between them ("Praktijkschool De Brug", "Jan van Dijk"). */
      for (guint j = k + 1; j < words->len; j++)
        {
          const Word *prev = &g_array_index (words, Word, j - 1);
          const Word *next = &g_array_index (words, Word, j);
          g_autofree char *word = NULL;

          if (!prev->space_after || next->label || next->sentence_start)
            break;
          if (next->capital)
            {
              last = j;
              continue;
            }
          word = ucs4_to_utf8 (t, next->start, next->end);
          if (!IN_LIST (word, connectors))
            break;
          /* "Kevin van De Brug" is two names. */
          if (j + 1 < words->len && next->space_after)
            {
              const Word *after = &g_array_index (words, Word, j + 1);
              g_autofree char *article = ucs4_to_utf8 (t, after->start, after->end);

              if (after->capital && IN_LIST (article, connectors))
                break;
            }
        }
      k = last + 1;

      /* Trim: titles, roles and abbreviations in front, and a common word
       * opening a sentence ("Toen Kevin" is Kevin); after a title, its
       * particle stays ("Meneer de Vries" is "de Vries"). */
      while (first <= last)
        {
          const Word *f = &g_array_index (words, Word, first);
          g_autofree char *word = ucs4_to_utf8 (t, f->start, f->end);

          if (IN_LIST (word, honorifics))
            honorific = TRUE;
          else if (!f->capital)
            {
              if (honorific)
                break;
            }
          else if (!(has_inner_capital (word) || g_utf8_strlen (word, -1) < 2 || IN_LIST (word, role_words) ||
                     (f->sentence_start && is_common_word (proposal, word))))
            break;
          first++;
        }
      while (last > first)
        {
          const Word *l = &g_array_index (words, Word, last);
          g_autofree char *word = ucs4_to_utf8 (t, l->start, l->end);

          if (!has_inner_capital (word) && !IN_LIST (word, role_words))
            break;
          last--;
        }
      if (first > last)
        continue;

      {
        const Word *f = &g_array_index (words, Word, first);
        const Word *l = &g_array_index (words, Word, last);
        g_autofree char *real = ucs4_to_utf8 (t, f->start, l->end);
        g_autofree char *before = word_before (t, f->start);
        gboolean single = first == last;
        Candidate *candidate;

        /* "Wim" in the middle of a sentence is Wim, though "wim" is a
         * word; at a sentence's start it is no evidence (below). */
        if (single && ((is_common_word (proposal, real) &&
                        (f->sentence_start || !is_dictionary_name (proposal, real))) ||
                       g_utf8_strlen (real, -1) < 2))
          continue;
        /* "Meneer de Vries": a title makes it a person. */
        candidate = get_candidate (proposal, real, "capitalised", honorific ? "person" : NULL);
        if (!f->sentence_start)
          candidate->mid_sentence++;
        if (before != NULL && IN_LIST (before, place_prepositions))
          candidate->place_votes++;
        if (before != NULL && strcmp (before, "op") == 0)
          candidate->school_votes++;
      }
    }
}

/* The name in a speaker's name: "Moeder van Dewi" -> "Dewi", "Mevrouw El
 * Amrani" -> "El Amrani", "Gespreksleider" -> NULL. */
static char *
speaker_person (const char *speaker)
{
  g_auto(GStrv) tokens = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *cleaned = g_strdup (speaker);
  guint first, last;

  /* Brackets and punctuation around words: "Kevin (jongere)". */
  for (char *p = cleaned; *p != '\0'; p++)
    if (strchr ("()[],;:/\"", *p) != NULL)
      *p = ' ';
  tokens = g_strsplit_set (cleaned, " \t", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    if (tokens[i][0] != '\0')
      g_ptr_array_add (kept, tokens[i]);
  if (kept->len == 0)
    return NULL;

  /* From the last role or title on, skip connectors: what follows is the
   * person ("Moeder van Dewi"). */
  first = 0;
  for (guint i = 0; i < kept->len; i++)
    {
      const char *token = kept->pdata[i];
      gboolean digits = TRUE;

      for (const char *p = token; *p != '\0'; p++)
        digits = digits && g_ascii_isdigit (*p);
      if (IN_LIST (token, role_words) || IN_LIST (token, honorifics) || digits)
        first = i + 1;
    }
  while (first < kept->len && IN_LIST ((const char *) kept->pdata[first], connectors) &&
         !(first > 0 && IN_LIST ((const char *) kept->pdata[first - 1], honorifics)))
    first++;
  last = kept->len;
  while (last > first)
    {
      const char *token = kept->pdata[last - 1];
      gboolean digits = TRUE;

      for (const char *p = token; *p != '\0'; p++)
        digits = digits && g_ascii_isdigit (*p);
      if (!digits && !IN_LIST (token, role_words) && !IN_LIST (token, connectors))
        break;
      last--;
    }
  if (first >= last)
    return NULL;
  /* A name starts with a capital; "partner" or "ik" are not names. */
  if (!is_upper_start (g_utf8_get_char (kept->pdata[first])) && !IN_LIST ((const char *) kept->pdata[first], connectors))
    return NULL;
  {
    g_autoptr(GString) name = g_string_new (NULL);

    for (guint i = first; i < last; i++)
      {
        if (name->len > 0)
          g_string_append_c (name, ' ');
        g_string_append (name, kept->pdata[i]);
      }
    if (g_utf8_strlen (name->str, -1) < 2 || has_inner_capital (name->str))
      return NULL;
    return g_string_free (g_steal_pointer (&name), FALSE);
  }
}

static gboolean
propose_speakers (CwProject  *self,
                  Proposal   *proposal,
                  GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "SELECT DISTINCT name FROM speakers ORDER BY name", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *person = speaker_person ((const char *) sqlite3_column_text (stmt, 0));

      if (person != NULL)
        {
          Candidate *candidate = g_hash_table_lookup (proposal->candidates, person);

          /* The speaker is the stronger evidence: a person. */
          if (candidate != NULL)
            g_hash_table_remove (proposal->candidates, person);
          candidate = get_candidate (proposal, person, "speaker", "person");
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the speakers"));
      return FALSE;
    }
  return TRUE;
}

/* What a case variable's name says its values are. */
static const char *
variable_category (const char *name)
{
  static const struct { const char *part; const char *category; } parts[] = {
    { "naam", "person" }, { "name", "person" }, { "voornaam", "person" }, { "achternaam", "person" },
    { "mentor", "person" }, { "coach", "person" }, { "begeleider", "person" },
    { "school", "school" }, { "opleiding", "school" },
    { "woonplaats", "place" }, { "plaats", "place" }, { "stad", "place" }, { "gemeente", "place" },
    { "city", "place" }, { "place", "place" }, { "wijk", "place" }, { "adres", "place" },
    { "werkgever", "employer" }, { "bedrijf", "employer" }, { "employer", "employer" },
    { "stageplek", "employer" }, { "werkplek", "employer" },
  };
  g_autofree char *lower = g_utf8_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (strstr (lower, parts[i].part) != NULL)
      return parts[i].category;
  return NULL;
}

static gboolean
propose_variables (CwProject  *self,
                   Proposal   *proposal,
                   GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT DISTINCT v.name, cv.text FROM case_values cv JOIN variables v ON v.id = cv.variable_id"
                         " WHERE v.type = 'text' AND cv.text IS NOT NULL ORDER BY v.position, v.name, cv.text",
                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *variable = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *value = g_strstrip (g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      const char *category = variable_category (variable);
      g_auto(GStrv) parts = NULL;
      gboolean looks_like_name = TRUE;
      g_autofree char *source = NULL;

      if (!g_utf8_validate (value, -1, NULL) || g_utf8_strlen (value, -1) < 2 ||
          !is_upper_start (g_utf8_get_char (value)) || has_inner_capital (value) || has_control (value))
        continue;
      parts = g_strsplit (value, " ", -1);
      if (g_strv_length (parts) > 4)
        continue;
      for (guint i = 0; parts[i] != NULL; i++)
        for (const char *p = parts[i]; *p != '\0'; p = g_utf8_next_char (p))
          if (g_unichar_isdigit (g_utf8_get_char (p)))
            looks_like_name = FALSE;
      /* Without a telling variable name, only a word no dictionary knows:
       * "Entree" or "Baan" are values, "Kevin" is a name. */
      if (!looks_like_name ||
          (category == NULL && (g_strv_length (parts) > 1 || is_common_word (proposal, value))))
        continue;
      source = g_strdup_printf ("variable:%s", variable);
      if (!g_hash_table_contains (proposal->candidates, value) ||
          g_strcmp0 (((Candidate *) g_hash_table_lookup (proposal->candidates, value))->source, "capitalised") == 0)
        {
          g_hash_table_remove (proposal->candidates, value);
          get_candidate (proposal, value, source, category != NULL ? category : "person");
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return FALSE;
    }
  return TRUE;
}

static const char *
guess_category (const Candidate *candidate)
{
  g_auto(GStrv) words = NULL;

  if (candidate->category != NULL)
    return candidate->category;
  words = g_strsplit (candidate->real, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (IN_LIST (words[i], school_words))
        return "school";
      if (IN_LIST (words[i], employer_words))
        return "employer";
    }
  if (candidate->place_votes > 0 && candidate->place_votes >= candidate->school_votes)
    return "place";
  if (candidate->school_votes > 0)
    return "school";
  if (g_strv_length (words) == 1)
    return "person";
  return NULL;
}

typedef struct
{
  const char *category;
  const char *prefix;
  gboolean    letters;
} Series;

static const Series series[] = {
  { "person", "Persoon", FALSE },
  { "school", "School", TRUE },
  { "place", "Plaats", TRUE },
  { "employer", "Werkgever", FALSE },
  { NULL, "Naam", FALSE },
};

static const Series *
series_of (const char *category)
{
  for (guint i = 0; i < G_N_ELEMENTS (series) - 1; i++)
    if (g_strcmp0 (series[i].category, category) == 0)
      return &series[i];
  return &series[G_N_ELEMENTS (series) - 1];
}

/* 1 -> "A", 26 -> "Z", 27 -> "AA". */
static char *
letters_of (guint n)
{
  GString *s = g_string_new (NULL);

  while (n > 0)
    {
      n--;
      g_string_prepend_c (s, 'A' + n % 26);
      n /= 26;
    }
  return g_string_free (s, FALSE);
}

static guint
number_of_letters (const char *s,
                   gsize       len)
{
  guint n = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (s[i] < 'A' || s[i] > 'Z' || n > 100000)
        return 0;
      n = n * 26 + (s[i] - 'A' + 1);
    }
  return n;
}

/* The highest number (or letter) of a series in the table's pseudonyms,
 * e.g. 3 for "[Persoon 3]". */
static guint
highest_in_series (GPtrArray    *rows,
                   const Series *s)
{
  g_autofree char *head = g_strdup_printf ("[%s ", s->prefix);
  guint highest = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const char *p = ((CwPseudonym *) rows->pdata[i])->pseudonym;
      const char *close;
      guint n;

      if (!g_str_has_prefix (p, head) || (close = strchr (p, ']')) == NULL)
        continue;
      p += strlen (head);
      if (s->letters)
        n = number_of_letters (p, close - p);
      else
        {
          char *end = NULL;
          guint64 v = g_ascii_strtoull (p, &end, 10);

          n = end == close && v < G_MAXUINT ? (guint) v : 0;
        }
      highest = MAX (highest, n);
    }
  return highest;
}

static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const CwPseudonymCandidate *x = *(const CwPseudonymCandidate * const *) a;
  const CwPseudonymCandidate *y = *(const CwPseudonymCandidate * const *) b;

  if (x->occurrences != y->occurrences)
    return x->occurrences > y->occurrences ? -1 : 1;
  return g_utf8_collate (x->real, y->real);
}

/* Counts every candidate's whole-word occurrences, case as written. */
static gboolean
count_occurrences (CwProject     *self,
                   GPtrArray     *candidates,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(Matcher) matcher = matcher_new ();
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  for (guint i = 0; i < candidates->len; i++)
    {
      CwPseudonymCandidate *candidate = candidates->pdata[i];
      matcher_add (matcher, candidate->real, "", candidate);
    }
  stmt = _cw_project_prepare (self, "SELECT text FROM documents ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree gunichar *t = NULL;
      glong n = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        continue;
      t = g_utf8_to_ucs4_fast (text, -1, &n);
      for (glong i = 0; i < n; i++)
        {
          GPtrArray *list = g_hash_table_lookup (matcher->by_first, GUINT_TO_POINTER (t[i]));

          for (guint k = 0; list != NULL && k < list->len; k++)
            {
              Entry *entry = list->pdata[k];

              if (entry_matches_at (entry, t, n, i))
                ((CwPseudonymCandidate *) entry->data)->occurrences++;
            }
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the documents"));
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
cw_project_propose_pseudonyms (CwProject     *self,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_pseudonym_candidate_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) by_real = g_hash_table_new (g_str_hash, g_str_equal);
  Proposal proposal = { 0 };
  GHashTableIter iter;
  gpointer value;
  guint next[G_N_ELEMENTS (series)];
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  if ((rows = cw_project_list_pseudonyms (self, error)) == NULL)
    return NULL;

  proposal.candidates = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) candidate_free);
  proposal.lower = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  proposal.existing = g_hash_table_new (g_str_hash, g_str_equal);
  proposal.checker = cw_spell_checker_get_default ();
  /* Without a dictionary the lower-case words of the project still tell
   * common words from names. */
  proposal.have_nl = cw_spell_checker_load (proposal.checker, "nl", NULL);
  proposal.have_en = cw_spell_checker_load (proposal.checker, "en", NULL);
  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (proposal.existing, ((CwPseudonym *) rows->pdata[i])->real);

  /* Two passes over the texts: the lower-case words first, so that a
   * capitalised word is judged against every document. Memos and code
   * descriptions are read too: they are in the copies as well ("Kevins
   * verhaal" in a memo). */
  for (int pass = 0; pass < 2; pass++)
    {
      stmt = _cw_project_prepare (self,
                                  "SELECT text FROM documents"
                                  " UNION ALL SELECT text FROM memos UNION ALL SELECT title FROM memos"
                                  " UNION ALL SELECT description FROM codes UNION ALL SELECT name FROM codes",
                                  error);
      if (stmt == NULL)
        goto failed;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, 0);

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            goto failed;
          if (text == NULL || !g_utf8_validate (text, -1, NULL))
            continue;
          if (pass == 0)
            {
              glong n = 0;
              g_autofree gunichar *t = g_utf8_to_ucs4_fast (text, -1, &n);
              g_autoptr(GArray) words = split_words (t, n);

              for (guint k = 0; k < words->len; k++)
                {
                  const Word *w = &g_array_index (words, Word, k);

                  if (!w->capital)
                    {
                      g_autofree char *word = ucs4_to_utf8 (t, w->start, w->end);
                      g_hash_table_add (proposal.lower, g_utf8_strdown (word, -1));
                    }
                }
            }
          else
            scan_document (&proposal, text);
        }
      if (rc != SQLITE_DONE)
        {
          _cw_project_set_db_error (self, error, _("cannot read the documents"));
          goto failed;
        }
      g_clear_pointer (&stmt, _cw_statement_release);
    }

  /* A single capitalised word only at sentences' starts is no evidence,
   * unless the dictionary has it as a name: "Ahmed zei..." at a turn's
   * start is where names often are. */
  g_hash_table_iter_init (&iter, proposal.candidates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Candidate *candidate = value;

      if (candidate->mid_sentence == 0 && strchr (candidate->real, ' ') == NULL &&
          !is_proper_noun (&proposal, candidate->real))
        g_hash_table_iter_remove (&iter);
    }

  if (!propose_speakers (self, &proposal, error) ||
      !propose_variables (self, &proposal, error))
    goto failed;

  /* "Almere" is a place when "Almere Buiten" is one. */
  g_hash_table_iter_init (&iter, proposal.candidates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Candidate *longer = value;
      const char *space = strchr (longer->real, ' ');
      g_autofree char *head = space != NULL ? g_strndup (longer->real, space - longer->real) : NULL;
      Candidate *shorter = head != NULL ? g_hash_table_lookup (proposal.candidates, head) : NULL;

      if (shorter != NULL && shorter->category == NULL && longer->category == NULL &&
          longer->place_votes > longer->school_votes)
        shorter->place_votes += longer->place_votes;
    }

  g_hash_table_iter_init (&iter, proposal.candidates);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Candidate *candidate = value;
      CwPseudonymCandidate *out;

      if (g_hash_table_contains (proposal.existing, candidate->real))
        continue;
      out = g_new0 (CwPseudonymCandidate, 1);
      out->real = g_strdup (candidate->real);
      out->source = g_strdup (candidate->source);
      out->category = g_strdup (guess_category (candidate));
      g_ptr_array_add (result, out);
    }

  if (!count_occurrences (self, result, cancellable, error))
    goto failed;
  g_ptr_array_sort (result, compare_candidates);

  /* Suggestions numbered after the table's own; a variant ("Kevins") gets
   * its base's pseudonym with the same ending. */
  for (guint i = 0; i < G_N_ELEMENTS (series); i++)
    next[i] = highest_in_series (rows, &series[i]);
  for (guint i = 0; i < rows->len; i++)
    {
      CwPseudonym *row = rows->pdata[i];
      g_hash_table_insert (by_real, row->real, row->pseudonym);
    }
  for (guint i = 0; i < result->len; i++)
    {
      CwPseudonymCandidate *candidate = result->pdata[i];
      const Series *s = series_of (candidate->category);
      guint index = s - series;
      gsize len = strlen (candidate->real);

      for (const char *suffix = "s\0's\0’s\0"; *suffix != '\0'; suffix += strlen (suffix) + 1)
        {
          gsize slen = strlen (suffix);
          g_autofree char *base = NULL;
          const char *base_pseudonym;

          if (len <= slen + 1 || strcmp (candidate->real + len - slen, suffix) != 0)
            continue;
          base = g_strndup (candidate->real, len - slen);
          if ((base_pseudonym = g_hash_table_lookup (by_real, base)) != NULL)
            {
              candidate->suggested_pseudonym = g_strconcat (base_pseudonym, suffix, NULL);
              break;
            }
        }
      if (candidate->suggested_pseudonym == NULL)
        {
          g_autofree char *mark = s->letters ? letters_of (++next[index]) : g_strdup_printf ("%u", ++next[index]);

          candidate->suggested_pseudonym = g_strdup_printf ("[%s %s]", s->prefix, mark);
        }
      g_hash_table_insert (by_real, candidate->real, candidate->suggested_pseudonym);
    }

  g_hash_table_unref (proposal.candidates);
  g_hash_table_unref (proposal.lower);
  g_hash_table_unref (proposal.existing);
  return g_steal_pointer (&result);

failed:
  g_clear_pointer (&stmt, _cw_statement_release);
  g_hash_table_unref (proposal.candidates);
  g_hash_table_unref (proposal.lower);
  g_hash_table_unref (proposal.existing);
  return NULL;
}
