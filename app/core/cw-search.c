/* cw-search.c: full-text search with FTS5, returning character offsets.
 *
 * FTS5 has no offsets() function, so an auxiliary function (cw_hits)
 * tokenizes each matching document once and returns the byte range of every
 * phrase instance; the bytes are then turned into code-point offsets here.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-project-private.h"

#define SNIPPET_CONTEXT 40 /* characters either side of a hit */

void
cw_search_hit_free (CwSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->document);
  g_free (hit->snippet);
  g_free (hit);
}

typedef struct
{
  int    token;   /* token index wanted */
  gint64 start;   /* byte offsets found */
  gint64 end;
} TokenWant;

typedef struct
{
  GArray *wants;  /* TokenWant, sorted by token */
  guint   next;   /* first want not yet satisfied */
  int     index;  /* current token index */
} TokenizeState;

static int
collect_token (void       *user_data,
               int         flags,
               const char *token,
               int         n_token,
               int         start,
               int         end)
{
  TokenizeState *state = user_data;

  /* Colocated tokens (synonyms) share the position of the one before. */
  if (flags & FTS5_TOKEN_COLOCATED)
    return SQLITE_OK;

  while (state->next < state->wants->len &&
         g_array_index (state->wants, TokenWant, state->next).token == state->index)
    {
      TokenWant *want = &g_array_index (state->wants, TokenWant, state->next);

      want->start = start;
      want->end = end;
      state->next++;
    }
  state->index++;

  /* Stop tokenizing once every wanted token is found. */
  return state->next >= state->wants->len ? SQLITE_DONE : SQLITE_OK;
}

static int
compare_want (gconstpointer a,
              gconstpointer b)
{
  const TokenWant *wa = a, *wb = b;

  return (wa->token > wb->token) - (wa->token < wb->token);
}

/* cw_hits(document_index): a blob of int64 pairs (byte start, byte end),
 * one per phrase instance, in document order. */
static void
cw_hits_function (const Fts5ExtensionApi *api,
                  Fts5Context            *fts,
                  sqlite3_context        *context,
                  int                     n_values,
                  sqlite3_value         **values)
{
  g_autoptr(GArray) wants = g_array_new (FALSE, FALSE, sizeof (TokenWant));
  g_autoptr(GArray) result = g_array_new (FALSE, FALSE, sizeof (gint64));
  TokenizeState state = { 0 };
  const char *text = NULL;
  int n_text = 0, n_instances = 0, rc;

  if ((rc = api->xInstCount (fts, &n_instances)) != SQLITE_OK)
    {
      sqlite3_result_error_code (context, rc);
      return;
    }

  for (int i = 0; i < n_instances; i++)
    {
      int phrase, column, offset;
      TokenWant first = { 0 }, last = { 0 };

      if ((rc = api->xInst (fts, i, &phrase, &column, &offset)) != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      first.token = offset;
      last.token = offset + MAX (api->xPhraseSize (fts, phrase), 1) - 1;
      g_array_append_val (wants, first);
      g_array_append_val (wants, last);
    }

  if (wants->len > 0)
    {
      g_autoptr(GArray) sorted = g_array_copy (wants);

      g_array_sort (sorted, compare_want);
      state.wants = sorted;
      if ((rc = api->xColumnText (fts, 0, &text, &n_text)) != SQLITE_OK)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }
      rc = api->xTokenize (fts, text, n_text, &state, collect_token);
      if (rc != SQLITE_OK && rc != SQLITE_DONE)
        {
          sqlite3_result_error_code (context, rc);
          return;
        }

      /* Map each instance's first and last token back through the sorted
       * copy (binary search on token index). */
      for (guint i = 0; i < wants->len; i += 2)
        {
          TokenWant *first = &g_array_index (wants, TokenWant, i);
          TokenWant *last = &g_array_index (wants, TokenWant, i + 1);
          guint a, b;

          if (!g_array_binary_search (sorted, first, compare_want, &a) ||
              !g_array_binary_search (sorted, last, compare_want, &b))
            continue;
          g_array_append_val (result, g_array_index (sorted, TokenWant, a).start);
          g_array_append_val (result, g_array_index (sorted, TokenWant, b).end);
        }
    }

  sqlite3_result_blob64 (context, result->data, result->len * sizeof (gint64), SQLITE_TRANSIENT);
}

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
      sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return api;
}

gboolean
_cw_search_register (sqlite3  *db,
                     GError  **error)
{
  fts5_api *api = get_fts5_api (db);

  if (api == NULL ||
      api->xCreateFunction (api, "cw_hits", NULL, cw_hits_function, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("this SQLite has no full-text search (FTS5)"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_operator (const char *word)
{
  return strcmp (word, "OR") == 0 || strcmp (word, "AND") == 0 || strcmp (word, "NOT") == 0;
}

static gboolean
has_word_character (const char *s,
                    gsize       len)
{
  const char *end = s + len;

  for (const char *p = s; p < end; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* A researcher's query in FTS5 syntax. Every term is quoted so that no
 * character of theirs is read as FTS5 syntax: words, "phrases", prefix*,
 * and the operators OR, AND, NOT in capitals. NULL for an empty query. */
static char *
build_match_expression (const char  *query,
                        GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = query;
  gboolean expect_term = TRUE;
  guint terms = 0;

  if (!g_utf8_validate (query, -1, NULL))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the search is not valid UTF-8"));
      return NULL;
    }

  while (*p)
    {
      const char *start;
      gsize len;
      gboolean quoted = FALSE, prefix = FALSE;

      while (*p && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      if (*p == '"')
        {
          quoted = TRUE;
          start = ++p;
          while (*p && *p != '"')
            p++;
          len = p - start;
          if (*p == '"')
            p++;
        }
      else
        {
          start = p;
          while (*p && !g_unichar_isspace (g_utf8_get_char (p)))
            p = g_utf8_next_char (p);
          len = p - start;
        }
      if (*p == '*')
        {
          prefix = TRUE;
          p++;
        }
      else if (!quoted && len > 1 && start[len - 1] == '*')
        {
          prefix = TRUE;
          len--;
        }

      if (!quoted && !prefix)
        {
          g_autofree char *word = g_strndup (start, len);

          if (is_operator (word))
            {
              if (expect_term)
                {
                  /* Translators: %s is the operator as typed: AND, OR or NOT. */
                  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                               _("the search cannot start with %s, or have two operators in a row"), word);
                  return NULL;
                }
              g_string_append_printf (out, " %s ", word);
              expect_term = TRUE;
              continue;
            }
        }

      /* Punctuation alone ("-", "?") matches no token: skip it. */
      if (!has_word_character (start, len))
        continue;

      if (!expect_term)
        g_string_append (out, " AND ");
      g_string_append_c (out, '"');
      for (gsize i = 0; i < len; i++)
        {
          if (start[i] == '"')
            g_string_append (out, "\"\"");
          else
            g_string_append_c (out, start[i]);
        }
      g_string_append_c (out, '"');
      if (prefix)
        g_string_append (out, " *");
      expect_term = FALSE;
      terms++;
    }

  if (terms == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the search has no words to look for"));
      return NULL;
    }
  if (expect_term)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("the search cannot end with an operator"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

typedef struct
{
  gint64 start;
  gint64 end;
} ByteRange;

static int
compare_range (gconstpointer a,
               gconstpointer b)
{
  const ByteRange *ra = a, *rb = b;

  if (ra->start != rb->start)
    return (ra->start > rb->start) - (ra->start < rb->start);
  return (ra->end > rb->end) - (ra->end < rb->end);
}

static char *
make_snippet (const char *text,
              gsize       text_bytes,
              gint64      hit_start_byte,
              gint64      hit_end_byte,
              gint64     *snippet_hit_start,
              gint64     *snippet_hit_end)
{
  const char *hit_start = text + hit_start_byte;
  const char *hit_end = text + hit_end_byte;
  const char *text_end = text + text_bytes;
  const char *from = hit_start, *to = hit_end;
  GString *out = g_string_new (NULL);

  for (int i = 0; i < SNIPPET_CONTEXT && from > text; i++)
    from = g_utf8_prev_char (from);
  for (int i = 0; i < SNIPPET_CONTEXT && to < text_end; i++)
    to = g_utf8_next_char (to);

  /* Cut at word boundaries so the snippet does not start mid-word. */
  if (from > text)
    {
      const char *space = from;

      while (space < hit_start && !g_unichar_isspace (g_utf8_get_char (space)))
        space = g_utf8_next_char (space);
      if (space < hit_start)
        from = g_utf8_next_char (space);
      g_string_append (out, "…");
    }
  if (to < text_end)
    {
      const char *space = to;

      while (space > hit_end && !g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (space))))
        space = g_utf8_prev_char (space);
      if (space > hit_end)
        to = g_utf8_prev_char (space);
    }

  *snippet_hit_start = g_utf8_strlen (out->str, -1) + g_utf8_pointer_to_offset (from, hit_start);
  *snippet_hit_end = *snippet_hit_start + g_utf8_pointer_to_offset (hit_start, hit_end);

  for (const char *p = from; p < to; p++)
    g_string_append_c (out, (*p == '\n' || *p == '\t' || *p == '\r') ? ' ' : *p);
  if (to < text_end)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

GPtrArray *
cw_project_search (CwProject     *self,
                   const char    *query,
                   gint64         document_id,
                   guint          limit,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_search_hit_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *expression = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  expression = build_match_expression (query, error);
  if (expression == NULL)
    {
      g_prefix_error (error, "%s: ", cw_project_get_path (self));
      return NULL;
    }

  db = _cw_project_get_db (self);
  stmt = _cw_project_prepare (self,
                              "SELECT d.id, d.name, d.text, cw_hits(document_index)"
                              " FROM document_index JOIN documents d ON d.id = document_index.rowid"
                              " WHERE document_index MATCH ?1 AND (?2 = 0 OR document_index.rowid = ?2)"
                              " ORDER BY d.id",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, expression, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, document_id);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 2);
      gsize text_bytes = sqlite3_column_bytes (stmt, 2);
      const gint64 *ranges = sqlite3_column_blob (stmt, 3);
      gsize n_ranges = sqlite3_column_bytes (stmt, 3) / (2 * sizeof (gint64));
      g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (ByteRange));
      const char *cursor = text;
      gint64 cursor_chars = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      /* Walk the text once, in byte order, to turn bytes into characters. */
      g_array_append_vals (order, ranges, n_ranges);
      g_array_sort (order, compare_range);

      for (guint i = 0; i < order->len; i++)
        {
          const ByteRange *range = &g_array_index (order, ByteRange, i);
          CwSearchHit *hit;

          if (range->start < 0 || range->end > (gint64) text_bytes || range->start > range->end)
            continue;
          if (i > 0 && range->start == range[-1].start && range->end == range[-1].end)
            continue; /* the same words hit by two terms */

          hit = g_new0 (CwSearchHit, 1);
          hit->document_id = sqlite3_column_int64 (stmt, 0);
          hit->document = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          cursor_chars += g_utf8_pointer_to_offset (cursor, text + range->start);
          cursor = text + range->start;
          hit->start = cursor_chars;
          hit->end = cursor_chars + g_utf8_pointer_to_offset (cursor, text + range->end);
          hit->snippet = make_snippet (text, text_bytes, range->start, range->end,
                                       &hit->snippet_hit_start, &hit->snippet_hit_end);
          g_ptr_array_add (hits, hit);

          if (limit > 0 && hits->len >= limit)
            return g_steal_pointer (&hits);
        }
    }

  if (rc != SQLITE_DONE)
    {
      if (sqlite3_errcode (db) == SQLITE_ERROR)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                     _("%s: cannot search for '%s': %s"), cw_project_get_path (self), query, sqlite3_errmsg (db));
      else
        _cw_project_set_db_error (self, error, _("cannot search"));
      return NULL;
    }

  return g_steal_pointer (&hits);
}
