/* cw-retrieval.c: coded segments back out (filters and AND/OR/NOT), the
 * code co-occurrence matrix, and autocoding by speaker or search hit.
 *
 * Retrieval is one SQL query (bound parameters only) that returns the
 * codings of the filter sorted by document and start, and one pass over
 * them; speakers and texts come from per-document lookups made as the pass
 * reaches each document, so nothing is quadratic in the corpus.
 *
 * Definitions used throughout (offsets are code points, end exclusive):
 *  - Two segments [a, b) and [c, d) overlap iff a < d && c < b: they share
 *    at least one character. Adjacent segments [0, 5) and [5, 9) do not.
 *  - A segment's speaker is that of the first turn not yet ended at the
 *    segment's start, if the segment reaches into it: the turn containing
 *    the start, or, for a segment that begins on a "Name:" label, that
 *    name's turn.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#include "cw-retrieval.h"
#include "cw-case-condition.h"
#include "cw-codebook.h"
#include "cw-project-private.h"
#include "cw-retrieval-private.h"
#include "cw-text-blob-private.h"

/* ------------------------------------------------------------------------ */
/* Queries                                                                  */

CwRetrievalQuery *
cw_retrieval_query_new (void)
{
  CwRetrievalQuery *query = g_new0 (CwRetrievalQuery, 1);

  query->kind = -1;
  query->combine = CW_COMBINE_OR;
  return query;
}

void
cw_retrieval_query_free (CwRetrievalQuery *query)
{
  if (query == NULL)
    return;
  g_clear_pointer (&query->code_ids, g_array_unref);
  g_clear_pointer (&query->document_ids, g_array_unref);
  g_free (query->coder);
  g_free (query->speaker);
  g_free (query->case_id);
  g_free (query->case_condition);
  g_free (query);
}

void
cw_cooccurrence_free (CwCooccurrence *matrix)
{
  if (matrix == NULL)
    return;
  g_clear_pointer (&matrix->code_ids, g_array_unref);
  g_free (matrix->counts);
  g_free (matrix);
}

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */

static char *
now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
}

/* Speaker names and roles compare as NFC, case-folded, trimmed. */
static char *
fold_name (const char *name)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *normal = NULL;

  if (name == NULL)
    return NULL;
  trimmed = g_strstrip (g_strdup (name));
  normal = g_utf8_normalize (trimmed, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  if (normal == NULL)
    return NULL;
  return g_utf8_casefold (normal, -1);
}

static gboolean
folded_equal (const char *folded,
              const char *name)
{
  g_autofree char *other = NULL;

  if (folded == NULL || name == NULL)
    return FALSE;
  other = fold_name (name);
  return other != NULL && strcmp (folded, other) == 0;
}

/* "[1,2,3]": ids go to SQLite as one JSON parameter (json_each), so a
 * filter of any length is still one bound value. */
static char *
ids_to_json (const GArray *ids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (ids, gint64, i));
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static GArray *
dedup_ids (const GArray *ids)
{
  GArray *result = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      gint64 *id = &g_array_index (ids, gint64, i);

      if (g_hash_table_add (seen, id))
        g_array_append_val (result, *id);
    }
  return result;
}

static gboolean
is_blank_text (const char *text)
{
  /* Invalid text is not blank: the condition's parser says what is wrong. */
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

static gboolean
check_cancelled (GCancellable  *cancellable,
                 GError       **error)
{
  return g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* ------------------------------------------------------------------------ */
/* The codebook, loaded once per call                                       */

typedef struct
{
  gint64    id;
  gint64    parent_id;
  int       position;
  gboolean  codable;
  char     *name;
  char     *color;
  char     *path;
} CodeInfo;

static void
code_info_free (CodeInfo *info)
{
  g_free (info->name);
  g_free (info->color);
  g_free (info->path);
  g_free (info);
}

typedef struct
{
  GPtrArray  *codes; /* CodeInfo, owned */
  GHashTable *by_id; /* &id -> CodeInfo */
} CodeMap;

static void
code_map_free (CodeMap *map)
{
  if (map == NULL)
    return;
  g_clear_pointer (&map->by_id, g_hash_table_unref);
  g_clear_pointer (&map->codes, g_ptr_array_unref);
  g_free (map);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CodeMap, code_map_free)

static const char *
code_path (CodeMap  *map,
           CodeInfo *info,
           guint     depth)
{
  CodeInfo *parent;

  if (info->path != NULL)
    return info->path;
  parent = info->parent_id != 0 ? g_hash_table_lookup (map->by_id, &info->parent_id) : NULL;
  /* The depth bound only guards against a corrupt file with a cycle. */
  if (parent == NULL || depth > 256)
    info->path = g_strdup (info->name);
  else
    info->path = g_strconcat (code_path (map, parent, depth + 1), "/", info->name, NULL);
  return info->path;
}

static CodeMap *
code_map_load (CwProject  *self,
               GError    **error)
{
  g_autoptr(CodeMap) map = g_new0 (CodeMap, 1);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  map->codes = g_ptr_array_new_with_free_func ((GDestroyNotify) code_info_free);
  map->by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  stmt = _cw_project_prepare (self,
                              "SELECT id, coalesce (parent_id, 0), position, codable, name, color"
                              " FROM codes",
                              error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CodeInfo *info = g_new0 (CodeInfo, 1);

      info->id = sqlite3_column_int64 (stmt, 0);
      info->parent_id = sqlite3_column_int64 (stmt, 1);
      info->position = sqlite3_column_int (stmt, 2);
      info->codable = sqlite3_column_int (stmt, 3) != 0;
      info->name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      info->color = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      if (info->name == NULL)
        info->name = g_strdup ("");
      g_ptr_array_add (map->codes, info);
      g_hash_table_insert (map->by_id, &info->id, info);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return NULL;
    }
  for (guint i = 0; i < map->codes->len; i++)
    code_path (map, g_ptr_array_index (map->codes, i), 0);
  return g_steal_pointer (&map);
}

static int
compare_siblings (gconstpointer a,
                  gconstpointer b)
{
  const CodeInfo *x = *(CodeInfo * const *) a;
  const CodeInfo *y = *(CodeInfo * const *) b;

  if (x->parent_id != y->parent_id)
    return x->parent_id < y->parent_id ? -1 : 1;
  if (x->position != y->position)
    return x->position < y->position ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

static void
append_subtree (GPtrArray  *sorted,
                GHashTable *first_child,
                gint64      parent_id,
                gboolean    codable_only,
                GArray     *out,
                guint       depth)
{
  gpointer value;
  guint i;

  if (depth > 256 || !g_hash_table_lookup_extended (first_child, &parent_id, NULL, &value))
    return;
  for (i = GPOINTER_TO_UINT (value); i < sorted->len; i++)
    {
      CodeInfo *info = g_ptr_array_index (sorted, i);

      if (info->parent_id != parent_id)
        break;
      if (info->codable || !codable_only)
        g_array_append_val (out, info->id);
      append_subtree (sorted, first_child, info->id, codable_only, out, depth + 1);
    }
}

/* Every (codable) code's id, depth first as the codebook shows them. */
static GArray *
code_map_ordered_ids (CodeMap  *map,
                      gboolean  codable_only)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_sized_new (map->codes->len);
  g_autoptr(GHashTable) first_child = g_hash_table_new (g_int64_hash, g_int64_equal);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Borrowed: not g_ptr_array_copy, which would take over the free func. */
  for (guint i = 0; i < map->codes->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (map->codes, i));
  g_ptr_array_sort (sorted, compare_siblings);
  for (guint i = sorted->len; i-- > 0;)
    {
      CodeInfo *info = g_ptr_array_index (sorted, i);

      g_hash_table_insert (first_child, &info->parent_id, GUINT_TO_POINTER (i));
    }
  append_subtree (sorted, first_child, 0, codable_only, out, 0);
  return out;
}

/* ------------------------------------------------------------------------ */
/* Turns of one document, for speakers                                      */

typedef struct
{
  gint64 start;
  gint64 end;
  int    speaker; /* index into TurnIndex.names, -1 for none */
} TurnSpan;

/* The turns of one document, read lazily: the lookups of a pass come in
 * offset order, so the turns are read (in order, through the
 * (document_id, idx) index) only as far as the last lookup needs. The
 * table has no index on start or end; this merge is the cheap way. */
typedef struct
{
  CwProject    *project;
  sqlite3_stmt *speakers_stmt;
  sqlite3_stmt *turns_stmt;
  char         *filter;      /* folded speaker filter, or NULL */
  gint64        document_id; /* loaded, 0 for none */
  gboolean      more;        /* turns_stmt may have more turns */
  gboolean      failed;      /* reading the turns failed */
  GArray       *turns;       /* TurnSpan, by start, as far as read */
  GArray       *speaker_ids; /* gint64, one per speaker of the document */
  GPtrArray    *names;       /* char*, likewise */
  GArray       *matches;     /* gboolean, likewise: the filter matches */
  guint         last_speaker;
} TurnIndex;

static void
turn_index_clear (TurnIndex *ti)
{
  g_clear_pointer (&ti->speakers_stmt, sqlite3_finalize);
  g_clear_pointer (&ti->turns_stmt, sqlite3_finalize);
  g_clear_pointer (&ti->filter, g_free);
  g_clear_pointer (&ti->turns, g_array_unref);
  g_clear_pointer (&ti->speaker_ids, g_array_unref);
  g_clear_pointer (&ti->names, g_ptr_array_unref);
  g_clear_pointer (&ti->matches, g_array_unref);
}

static void
turn_index_init (TurnIndex  *ti,
                 CwProject  *project,
                 const char *filter)
{
  memset (ti, 0, sizeof *ti);
  ti->project = project;
  ti->filter = fold_name (filter);
  ti->turns = g_array_new (FALSE, FALSE, sizeof (TurnSpan));
  ti->speaker_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ti->names = g_ptr_array_new_with_free_func (g_free);
  ti->matches = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

/* Starts on a document: its speakers now, its turns as they are needed. */
static gboolean
turn_index_load (TurnIndex  *ti,
                 gint64      document_id,
                 GError    **error)
{
  int rc;

  if (ti->document_id == document_id)
    return TRUE;
  ti->document_id = 0;
  ti->more = FALSE;
  ti->last_speaker = 0;
  g_array_set_size (ti->turns, 0);
  g_array_set_size (ti->speaker_ids, 0);
  g_ptr_array_set_size (ti->names, 0);
  g_array_set_size (ti->matches, 0);

  if (ti->turns_stmt == NULL &&
      (!(ti->speakers_stmt = _cw_project_prepare (ti->project,
                                                  "SELECT id, name, role FROM speakers"
                                                  " WHERE document_id = ?1 ORDER BY id", error)) ||
       !(ti->turns_stmt = _cw_project_prepare (ti->project,
                                               "SELECT start, end, speaker_id FROM turns"
                                               " WHERE document_id = ?1 ORDER BY idx", error))))
    return FALSE;

  sqlite3_reset (ti->speakers_stmt);
  sqlite3_bind_int64 (ti->speakers_stmt, 1, document_id);
  while ((rc = sqlite3_step (ti->speakers_stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (ti->speakers_stmt, 0);
      const char *name = (const char *) sqlite3_column_text (ti->speakers_stmt, 1);
      const char *role = (const char *) sqlite3_column_text (ti->speakers_stmt, 2);
      gboolean match = ti->filter != NULL &&
                       (folded_equal (ti->filter, name) || folded_equal (ti->filter, role));

      g_array_append_val (ti->speaker_ids, id);
      g_ptr_array_add (ti->names, g_strdup (name));
      g_array_append_val (ti->matches, match);
    }
  sqlite3_reset (ti->speakers_stmt);
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (ti->project, error, _("cannot read the speakers"));
      return FALSE;
    }

  sqlite3_reset (ti->turns_stmt);
  sqlite3_bind_int64 (ti->turns_stmt, 1, document_id);
  ti->more = TRUE;
  ti->document_id = document_id;
  return TRUE;
}

/* Reads turns until one ends after offset (or there are no more). */
static void
turn_index_read_past (TurnIndex *ti,
                      gint64     offset)
{
  while (ti->more &&
         (ti->turns->len == 0 || g_array_index (ti->turns, TurnSpan, ti->turns->len - 1).end <= offset))
    {
      int rc = sqlite3_step (ti->turns_stmt);
      TurnSpan span;

      if (rc != SQLITE_ROW)
        {
          ti->more = FALSE;
          ti->failed |= rc != SQLITE_DONE;
          sqlite3_reset (ti->turns_stmt);
          break;
        }
      span.start = sqlite3_column_int64 (ti->turns_stmt, 0);
      span.end = sqlite3_column_int64 (ti->turns_stmt, 1);
      span.speaker = -1;
      if (sqlite3_column_type (ti->turns_stmt, 2) != SQLITE_NULL)
        {
          gint64 speaker_id = sqlite3_column_int64 (ti->turns_stmt, 2);
          guint n = ti->speaker_ids->len;

          /* Few speakers; the last one found is the likeliest. */
          if (ti->last_speaker >= n || g_array_index (ti->speaker_ids, gint64, ti->last_speaker) != speaker_id)
            for (ti->last_speaker = 0; ti->last_speaker < n; ti->last_speaker++)
              if (g_array_index (ti->speaker_ids, gint64, ti->last_speaker) == speaker_id)
                break;
          if (ti->last_speaker < n)
            span.speaker = ti->last_speaker;
        }
      g_array_append_val (ti->turns, span);
    }
}

/* After a pass: whether every turn could be read. */
static gboolean
turn_index_check (TurnIndex  *ti,
                  GError    **error)
{
  if (!ti->failed)
    return TRUE;
  _cw_project_set_db_error (ti->project, error, _("cannot read the turns"));
  return FALSE;
}

/* The first turn not yet ended at start (turns come in text order and do
 * not overlap, so their ends are sorted too), or NULL. */
static const TurnSpan *
turn_index_find (TurnIndex *ti,
                 gint64     start)
{
  guint lo = 0, hi;

  turn_index_read_past (ti, start);
  hi = ti->turns->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (ti->turns, TurnSpan, mid).end <= start)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < ti->turns->len ? &g_array_index (ti->turns, TurnSpan, lo) : NULL;
}

/* The turn a segment belongs to (see the top of the file), or NULL. */
static const TurnSpan *
turn_index_segment_turn (TurnIndex *ti,
                         gint64     start,
                         gint64     end)
{
  const TurnSpan *turn = turn_index_find (ti, start);

  return turn != NULL && turn->start < end ? turn : NULL;
}

/* The turn whose utterance contains offset, or NULL. */
static const TurnSpan *
turn_index_containing (TurnIndex *ti,
                       gint64     offset)
{
  const TurnSpan *turn = turn_index_find (ti, offset);

  return turn != NULL && turn->start <= offset ? turn : NULL;
}

static const char *
turn_index_speaker (TurnIndex      *ti,
                    const TurnSpan *turn)
{
  return turn != NULL && turn->speaker >= 0 ? g_ptr_array_index (ti->names, turn->speaker) : NULL;
}

static gboolean
turn_index_matches (TurnIndex      *ti,
                    const TurnSpan *turn)
{
  return turn != NULL && turn->speaker >= 0 && g_array_index (ti->matches, gboolean, turn->speaker);
}

/* ------------------------------------------------------------------------ */
/* Cases (cohort records) of segments                                       */

typedef struct
{
  gint64  id;
  char   *identifier;
} CaseRef;

/* The case links, loaded once per call. A coding's case is the case linked
 * to the speaker of its turn, else the case linked to its document (a link
 * without speaker). Where several cases are linked to one speaker or to one
 * document as a whole, the first by case id wins: that keeps the answer
 * stable whatever order the links were made in. */
typedef struct
{
  GPtrArray  *refs;        /* CaseRef, owned */
  GHashTable *by_speaker;  /* &speaker_id -> CaseRef */
  GHashTable *by_document; /* &document_id -> CaseRef */
} CaseMap;

static void
case_ref_free (CaseRef *ref)
{
  g_free (ref->identifier);
  g_free (ref);
}

static void
case_map_clear (CaseMap *cm)
{
  g_clear_pointer (&cm->by_speaker, g_hash_table_unref);
  g_clear_pointer (&cm->by_document, g_hash_table_unref);
  g_clear_pointer (&cm->refs, g_ptr_array_unref);
}

static gboolean
case_map_load (CaseMap    *cm,
               CwProject  *project,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  memset (cm, 0, sizeof *cm);
  cm->refs = g_ptr_array_new_with_free_func ((GDestroyNotify) case_ref_free);
  cm->by_speaker = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  cm->by_document = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  stmt = _cw_project_prepare (project,
                              "SELECT l.document_id, l.speaker_id, k.id, k.identifier"
                              " FROM case_links l JOIN cases k ON k.id = l.case_id"
                              " ORDER BY k.id, l.id",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean whole = sqlite3_column_type (stmt, 1) == SQLITE_NULL;
      gint64 key = sqlite3_column_int64 (stmt, whole ? 0 : 1);
      GHashTable *table = whole ? cm->by_document : cm->by_speaker;
      gint64 case_id = sqlite3_column_int64 (stmt, 2);
      CaseRef *ref = cm->refs->len > 0 ? g_ptr_array_index (cm->refs, cm->refs->len - 1) : NULL;

      if (g_hash_table_contains (table, &key))
        continue;
      if (ref == NULL || ref->id != case_id)
        {
          ref = g_new0 (CaseRef, 1);
          ref->id = case_id;
          ref->identifier = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          g_ptr_array_add (cm->refs, ref);
        }
      g_hash_table_insert (table, g_memdup2 (&key, sizeof key), ref);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("cannot read the case links"));
      return FALSE;
    }
  return TRUE;
}

/* The case of a segment of document_id in turn (NULL: no turn), or NULL. */
static const CaseRef *
case_map_lookup (CaseMap        *cm,
                 TurnIndex      *ti,
                 gint64          document_id,
                 const TurnSpan *turn)
{
  const CaseRef *ref = NULL;

  if (turn != NULL && turn->speaker >= 0 && g_hash_table_size (cm->by_speaker) > 0)
    {
      gint64 speaker_id = g_array_index (ti->speaker_ids, gint64, turn->speaker);

      ref = g_hash_table_lookup (cm->by_speaker, &speaker_id);
    }
  if (ref == NULL)
    ref = g_hash_table_lookup (cm->by_document, &document_id);
  return ref;
}

/* ------------------------------------------------------------------------ */
/* Text of one document, read as far as its segments reach                  */

/* What is read of a text at a time: about one overflow page, so that the
 * walk reads hardly more than it passes. */
#define TEXT_PIECE 4096

typedef struct
{
  CwProject    *project;
  gboolean      in_pieces; /* else each text is read whole when loaded */
  CwTextBlob    blob;     /* documents.text, read in pieces as the walk needs */
  sqlite3_stmt *stmt;     /* or the whole text, where the blob cannot be read */
  gboolean      checked;  /* whether the database's text is UTF-8 */
  gboolean      by_blob;
  gint64        document_id;
  gboolean      loaded;
  const char   *text;     /* blob's buffer, or owned by stmt's current row */
  const char   *limit;    /* the end of what is read of it */
  gsize         have;     /* bytes of the text read so far */
  gsize         total;    /* bytes of the text */
  gsize         p;        /* cursor: the byte offset of code point pos */
  gint64        pos;
} TextIndex;

static void
text_index_init (TextIndex *ti,
                 CwProject *project)
{
  memset (ti, 0, sizeof *ti);
  ti->project = project;
}

/* For one pass in offset order that may stop short of the end. */
static void
text_index_init_pieces (TextIndex *ti,
                        CwProject *project)
{
  text_index_init (ti, project);
  ti->in_pieces = TRUE;
}

static void
text_index_clear (TextIndex *ti)
{
  _cw_text_blob_clear (&ti->blob);
  g_clear_pointer (&ti->stmt, sqlite3_finalize);
  ti->text = ti->limit = NULL;
  ti->loaded = FALSE;
}

/* Reads the next piece of the text into the buffer. */
static gboolean
text_index_more (TextIndex  *ti,
                 GError    **error)
{
  gsize n = MIN (TEXT_PIECE, ti->total - ti->have);

  if (n == 0)
    return TRUE;
  if (_cw_text_blob_read (&ti->blob, ti->have + n) != SQLITE_OK)
    {
      _cw_project_set_db_error (ti->project, error, _("cannot read the document"));
      return FALSE;
    }
  ti->have = ti->blob.have;
  ti->limit = ti->text + ti->have;
  return TRUE;
}

/* The whole text through SELECT, as a fallback: a document that is not
 * there gets its error here. */
static gboolean
text_index_select (TextIndex  *ti,
                   gint64      document_id,
                   GError    **error)
{
  if (ti->stmt == NULL)
    {
      ti->stmt = _cw_project_prepare (ti->project, "SELECT text FROM documents WHERE id = ?1", error);
      if (ti->stmt == NULL)
        return FALSE;
    }
  sqlite3_reset (ti->stmt);
  sqlite3_bind_int64 (ti->stmt, 1, document_id);
  switch (sqlite3_step (ti->stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no document with id %lld"),
                   cw_project_get_path (ti->project), (long long) document_id);
      return FALSE;
    default:
      _cw_project_set_db_error (ti->project, error, _("cannot read the document"));
      return FALSE;
    }
  /* The pointer stays valid until the statement is stepped or reset. */
  ti->text = (const char *) sqlite3_column_text (ti->stmt, 0);
  if (ti->text == NULL)
    ti->text = "";
  ti->have = ti->total = (gsize) sqlite3_column_bytes (ti->stmt, 0);
  ti->limit = ti->text + ti->have;
  return TRUE;
}

/* Segments come by document and start, and a document's last segment is
 * often well before its end: the text is read through an incremental blob
 * only as far as the walk goes (at scale 10, two thirds of the bytes for
 * the busiest code) instead of whole through the page cache. */
static gboolean
text_index_load (TextIndex  *ti,
                 gint64      document_id,
                 GError    **error)
{
  if (ti->loaded && ti->document_id == document_id)
    return TRUE;
  ti->loaded = FALSE;
  ti->text = ti->limit = "";
  ti->have = ti->total = ti->p = 0;
  ti->pos = 0;

  /* A blob gives the stored bytes: only a UTF-8 database stores UTF-8. */
  if (!ti->checked && ti->in_pieces)
    {
      g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (ti->project, "PRAGMA encoding", error);

      if (stmt == NULL)
        return FALSE;
      ti->by_blob = sqlite3_step (stmt) == SQLITE_ROW &&
                    g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "UTF-8") == 0;
      ti->checked = TRUE;
    }

  /* No such row (or no text): SELECT says so as before. */
  if (ti->in_pieces && ti->by_blob && _cw_text_blob_open (&ti->blob, _cw_project_get_db (ti->project), document_id))
    {
      ti->total = ti->blob.total;
      ti->text = ti->limit = ti->blob.buffer;
      ti->document_id = document_id;
      ti->loaded = TRUE;
      return TRUE;
    }
  if (!text_index_select (ti, document_id, error))
    return FALSE;
  ti->document_id = document_id;
  ti->loaded = TRUE;
  return TRUE;
}

/* Moves the cursor forward to code point target, stopping at the end of
 * the text; reads more of it as it goes. Eight ASCII bytes at a time:
 * transcripts are mostly ASCII, and this walk is most of the cost of
 * retrieving text. */
static gboolean
text_index_forward (TextIndex  *ti,
                    gint64      target,
                    GError    **error)
{
  while (ti->pos < target)
    {
      const char *q = ti->text + ti->p;
      gint64 pos = ti->pos;
      gsize left;

      /* Over what is read, eight bytes at a time, the ASCII bytes before
       * the first that is not at once (an accented letter in the window
       * used to cost up to eight steps). */
      if (ti->have >= 8)
        {
          const char *stop = ti->text + ti->have - 8;

          while (target - pos >= 8 && q <= stop)
            {
              guint64 word, high;
              guint ascii;

              memcpy (&word, q, sizeof word);
              high = word & G_GUINT64_CONSTANT (0x8080808080808080);
              if (high == 0)
                {
                  q += 8;
                  pos += 8;
                  continue;
                }
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
              ascii = (guint) __builtin_ctzll (high) / 8;
#else
              ascii = (guint) __builtin_clzll (high) / 8;
#endif
              if (ascii == 0)
                break;
              q += ascii;
              pos += ascii;
            }
        }
      ti->p = q - ti->text;
      ti->pos = pos;
      if (pos >= target)
        break;

      left = ti->have - ti->p;
      if (left < 8 && ti->have < ti->total)
        {
          if (!text_index_more (ti, error))
            return FALSE;
          continue;
        }
      if (left == 0)
        break;
      /* One character; one cut short at the very end counts as one. */
      ti->p += MIN ((gsize) g_utf8_skip[(guchar) ti->text[ti->p]], left);
      ti->pos++;
    }
  return TRUE;
}

/* Puts the cursor at code point pos (clamped to the end). Forward from
 * where it is, so a pass in offset order walks the text once. */
static gboolean
text_index_seek (TextIndex  *ti,
                 gint64      pos,
                 GError    **error)
{
  if (pos < ti->pos)
    {
      if (ti->pos - pos < pos)
        while (ti->pos > pos)
          {
            ti->p = g_utf8_prev_char (ti->text + ti->p) - ti->text;
            ti->pos--;
          }
      else
        {
          ti->p = 0;
          ti->pos = 0;
        }
    }
  return text_index_forward (ti, pos, error);
}

/* The text from code point start to end; the cursor stays at start. */
static char *
text_index_substring (TextIndex  *ti,
                      gint64      start,
                      gint64      end,
                      GError    **error)
{
  gsize from, to;
  gint64 from_pos;

  if (!text_index_seek (ti, start, error))
    return NULL;
  from = ti->p;
  from_pos = ti->pos;
  if (!text_index_forward (ti, end, error))
    return NULL;
  to = ti->p;
  ti->p = from;
  ti->pos = from_pos;
  return g_strndup (ti->text + from, to - from);
}

/* The byte position of code point pos in a text read whole (clamped to
 * the end): walking it reads nothing, so it cannot fail. */
static const char *
text_index_at (TextIndex *ti,
               gint64     pos)
{
  g_assert (!ti->in_pieces);
  text_index_seek (ti, pos, NULL);
  return ti->text + ti->p;
}

/* ------------------------------------------------------------------------ */
/* Sentences and lines (pure)                                               */

static gboolean
is_sentence_end (gunichar c)
{
  return c == '.' || c == '!' || c == '?' || c == 0x2026; /* … */
}

static gboolean
is_blank (gunichar c)
{
  return c != '\n' && g_unichar_isspace (c);
}

/* Expands the hit [hit_start, hit_end), whose first character is at byte
 * at of text (ending at limit), to its sentence, within [lo, hi). A
 * sentence runs from after the previous . ! ? … or the line start, leading
 * blanks skipped, to and including the next . ! ? … (and any that follow
 * at once: "?!", "...") or the line end, trailing blanks dropped.
 * Abbreviations are not special: "bijv." ends a sentence. */
static void
expand_sentence (const char *text,
                 const char *limit,
                 const char *at,
                 gint64      hit_start,
                 gint64      hit_end,
                 gint64      lo,
                 gint64      hi,
                 gint64     *out_start,
                 gint64     *out_end)
{
  const char *p = at;
  gint64 pos = hit_start;
  gunichar last = 0;
  gboolean ended = FALSE;

  while (pos > lo && p > text)
    {
      const char *prev = g_utf8_prev_char (p);
      gunichar c = g_utf8_get_char (prev);

      if (c == '\n' || is_sentence_end (c))
        break;
      p = prev;
      pos--;
    }
  while (pos < hit_start && p < limit && is_blank (g_utf8_get_char (p)))
    {
      p = g_utf8_next_char (p);
      pos++;
    }
  *out_start = pos;

  p = at;
  pos = hit_start;
  while (pos < hit_end && p < limit)
    {
      last = g_utf8_get_char (p);
      p = g_utf8_next_char (p);
      pos++;
    }
  ended = pos > hit_start && is_sentence_end (last);
  while (!ended && pos < hi && p < limit)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        break;
      p = g_utf8_next_char (p);
      pos++;
      ended = is_sentence_end (c);
    }
  if (ended)
    {
      while (pos < hi && p < limit && is_sentence_end (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          pos++;
        }
    }
  else
    {
      while (pos > hit_end && is_blank (g_utf8_get_char (g_utf8_prev_char (p))))
        {
          p = g_utf8_prev_char (p);
          pos--;
        }
    }
  *out_end = MAX (pos, hit_end);
  *out_start = MIN (*out_start, hit_start);
}

/* Expands the hit to its line (paragraph): from the line start, leading
 * blanks skipped, to the line end, trailing blanks dropped. */
static void
expand_line (const char *text,
             const char *limit,
             const char *at,
             gint64      hit_start,
             gint64      hit_end,
             gint64     *out_start,
             gint64     *out_end)
{
  const char *p = at;
  gint64 pos = hit_start;

  while (p > text && g_utf8_get_char (g_utf8_prev_char (p)) != '\n')
    {
      p = g_utf8_prev_char (p);
      pos--;
    }
  while (pos < hit_start && is_blank (g_utf8_get_char (p)))
    {
      p = g_utf8_next_char (p);
      pos++;
    }
  *out_start = pos;

  p = at;
  pos = hit_start;
  while (p < limit && (pos < hit_end || g_utf8_get_char (p) != '\n'))
    {
      p = g_utf8_next_char (p);
      pos++;
    }
  while (pos > hit_end && is_blank (g_utf8_get_char (g_utf8_prev_char (p))))
    {
      p = g_utf8_prev_char (p);
      pos--;
    }
  *out_end = MAX (pos, hit_end);
}

/* ------------------------------------------------------------------------ */
/* Fetching segments                                                        */

typedef struct
{
  gint64    document_id;
  gint64    start;
  gint64    end;
  guint     root;   /* index of the selected code it stands for */
  CwCoding *coding; /* owned; NULL without details */
} Segment;

static void
segment_clear (gpointer data)
{
  Segment *segment = data;

  g_clear_pointer (&segment->coding, cw_coding_free);
}

static void
bind_named_text (sqlite3_stmt *stmt,
                 const char   *name,
                 const char   *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static void
bind_named_int64 (sqlite3_stmt *stmt,
                  const char   *name,
                  gint64        value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_int64 (stmt, index, value);
}

enum
{
  COL_ID,
  COL_GUID,
  COL_DOCUMENT_ID,
  COL_DOCUMENT,
  COL_CODE_ID,
  COL_CODER_ID,
  COL_CODER,
  COL_START,
  COL_END,
  COL_CREATED_AT,
  COL_MEMO,
  COL_ROOT,
};

/* The codings of query (and of roots: the selected codes, or every code
 * when empty) by document, start, end. With by_root, a coding is returned
 * once per selected code it stands for (a code and its own ancestor may
 * both be selected); otherwise once. The speaker filter is applied here,
 * with the speakers of the turns. */
static GArray *
fetch_segments (CwProject               *self,
                CodeMap                 *map,
                const CwRetrievalQuery  *query,
                const GArray            *roots,
                gboolean                 by_root,
                gboolean                 details,
                GCancellable            *cancellable,
                GError                 **error)
{
  g_autoptr(GArray) segments = g_array_new (FALSE, FALSE, sizeof (Segment));
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *codes_json = NULL;
  g_autofree char *documents_json = NULL;
  TurnIndex turns;
  CaseMap cases = { 0 };
  gboolean speaker_filter = query->speaker != NULL && *query->speaker != '\0';
  gboolean has_condition = query->case_condition != NULL && !is_blank_text (query->case_condition);
  gboolean case_filter = query->case_id != NULL || has_condition;
  g_autoptr(GHashTable) matching = NULL; /* case ids satisfying the condition */
  gboolean has_codes = roots->len > 0;
  guint n_rows = 0;
  int rc;

  g_array_set_clear_func (segments, segment_clear);
  by_root = by_root && has_codes;

  g_string_append (sql, "WITH RECURSIVE ");
  if (has_codes)
    {
      /* json_each's key is the array index: the selected code's index. */
      g_string_append (sql, "sel (root, id) AS (SELECT key, value FROM json_each (:codes)");
      if (query->include_subcodes)
        g_string_append (sql, " UNION SELECT sel.root, k.id FROM codes k JOIN sel ON k.parent_id = sel.id");
      g_string_append (sql, "), ");
    }
  /* A coding's memo is its first memo (the bare column comes from the
   * row with min (id)). */
  g_string_append (sql,
                   "memo1 (coding_id, text, first) AS"
                   " (SELECT coding_id, text, min (id) FROM memos"
                   "  WHERE coding_id IS NOT NULL GROUP BY coding_id)"
                   " SELECT c.id, c.guid, c.document_id, d.name, c.code_id, c.coder_id, co.name,"
                   " c.start, c.end, c.created_at, m.text, ");
  g_string_append (sql, by_root ? "sel.root" : "0");
  g_string_append (sql,
                   " FROM codings c"
                   " JOIN documents d ON d.id = c.document_id"
                   " JOIN coders co ON co.id = c.coder_id");
  if (by_root)
    g_string_append (sql, " JOIN sel ON sel.id = c.code_id");
  g_string_append (sql, " LEFT JOIN memo1 m ON m.coding_id = c.id WHERE 1");
  if (has_codes && !by_root)
    g_string_append (sql, " AND c.code_id IN (SELECT id FROM sel)");
  if (query->document_ids != NULL && query->document_ids->len > 0)
    {
      g_string_append (sql, " AND c.document_id IN (SELECT value FROM json_each (:documents))");
      documents_json = ids_to_json (query->document_ids);
    }
  if (query->kind >= 0)
    g_string_append (sql, " AND d.kind = :kind");
  if (query->group_id > 0)
    g_string_append (sql, " AND c.document_id IN"
                          " (SELECT document_id FROM document_group_members WHERE group_id = :group)");
  if (query->coder != NULL)
    g_string_append (sql, " AND co.name = :coder");
  /* A first cut: only documents the case is linked to at all can hold its
   * codings; which of their codings are its own is decided per segment
   * below, from the speaker of its turn. */
  if (query->case_id != NULL)
    g_string_append (sql, " AND c.document_id IN (SELECT l.document_id FROM case_links l"
                          " JOIN cases k ON k.id = l.case_id WHERE k.identifier = :case)");
  if (has_condition)
    g_string_append (sql, " AND c.document_id IN (SELECT document_id FROM case_links)");
  g_string_append (sql, " ORDER BY c.document_id, c.start, c.end, c.code_id, c.id");

  stmt = _cw_project_prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  if (has_codes)
    {
      codes_json = ids_to_json (roots);
      bind_named_text (stmt, ":codes", codes_json);
    }
  if (documents_json != NULL)
    bind_named_text (stmt, ":documents", documents_json);
  if (query->kind >= 0)
    bind_named_text (stmt, ":kind", cw_document_kind_to_string (query->kind));
  bind_named_int64 (stmt, ":group", query->group_id);
  if (query->coder != NULL)
    bind_named_text (stmt, ":coder", query->coder);
  if (query->case_id != NULL)
    bind_named_text (stmt, ":case", query->case_id);

  /* The condition is evaluated once, to the set of cases it selects. */
  if (has_condition)
    {
      g_autoptr(GArray) ids = cw_project_match_cases (self, query->case_condition, NULL, cancellable, error);

      if (ids == NULL)
        return NULL;
      matching = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (matching, g_memdup2 (&g_array_index (ids, gint64, i), sizeof (gint64)));
    }
  if ((case_filter || details) && !case_map_load (&cases, self, error))
    {
      case_map_clear (&cases);
      return NULL;
    }
  turn_index_init (&turns, self, speaker_filter ? query->speaker : NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Segment segment = { 0 };
      const TurnSpan *turn = NULL;
      const CaseRef *kase = NULL;

      if ((++n_rows & 1023) == 0 && check_cancelled (cancellable, error))
        {
          turn_index_clear (&turns);
          case_map_clear (&cases);
          return NULL;
        }

      segment.document_id = sqlite3_column_int64 (stmt, COL_DOCUMENT_ID);
      segment.start = sqlite3_column_int64 (stmt, COL_START);
      segment.end = sqlite3_column_int64 (stmt, COL_END);
      segment.root = sqlite3_column_int (stmt, COL_ROOT);

      if (speaker_filter || case_filter || details)
        {
          if (!turn_index_load (&turns, segment.document_id, error))
            {
              turn_index_clear (&turns);
              case_map_clear (&cases);
              return NULL;
            }
          turn = turn_index_segment_turn (&turns, segment.start, segment.end);
          if (speaker_filter && !turn_index_matches (&turns, turn))
            continue;
        }
      if (case_filter || details)
        {
          kase = case_map_lookup (&cases, &turns, segment.document_id, turn);
          if (query->case_id != NULL && (kase == NULL || g_strcmp0 (kase->identifier, query->case_id) != 0))
            continue;
          if (matching != NULL && (kase == NULL || !g_hash_table_contains (matching, &kase->id)))
            continue;
        }

      if (details)
        {
          CwCoding *coding = g_new0 (CwCoding, 1);
          CodeInfo *code;

          coding->id = sqlite3_column_int64 (stmt, COL_ID);
          coding->guid = g_strdup ((const char *) sqlite3_column_text (stmt, COL_GUID));
          coding->document_id = segment.document_id;
          coding->document = g_strdup ((const char *) sqlite3_column_text (stmt, COL_DOCUMENT));
          coding->code_id = sqlite3_column_int64 (stmt, COL_CODE_ID);
          code = g_hash_table_lookup (map->by_id, &coding->code_id);
          if (code != NULL)
            {
              coding->code = g_strdup (code->path);
              coding->color = g_strdup (code->color);
            }
          coding->coder_id = sqlite3_column_int64 (stmt, COL_CODER_ID);
          coding->coder = g_strdup ((const char *) sqlite3_column_text (stmt, COL_CODER));
          coding->start = segment.start;
          coding->end = segment.end;
          coding->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, COL_CREATED_AT));
          coding->speaker = g_strdup (turn_index_speaker (&turns, turn));
          coding->case_id = kase != NULL ? g_strdup (kase->identifier) : NULL;
          coding->memo = g_strdup ((const char *) sqlite3_column_text (stmt, COL_MEMO));
          segment.coding = coding;
        }
      g_array_append_val (segments, segment);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      turn_index_clear (&turns);
      case_map_clear (&cases);
      return NULL;
    }
  case_map_clear (&cases);
  if (!turn_index_check (&turns, error))
    {
      turn_index_clear (&turns);
      return NULL;
    }
  turn_index_clear (&turns);
  return g_steal_pointer (&segments);
}

/* ------------------------------------------------------------------------ */
/* Combinations                                                             */

typedef struct
{
  gint64 start;
  gint64 end;
} Span;

/* Appends [start, end) to a list sorted by start, merging it into the last
 * span when they overlap or touch: the union as maximal spans. */
static void
spans_add (GArray *spans,
           gint64  start,
           gint64  end)
{
  if (spans->len > 0)
    {
      Span *last = &g_array_index (spans, Span, spans->len - 1);

      if (start <= last->end)
        {
          last->end = MAX (last->end, end);
          return;
        }
    }
  g_array_append_vals (spans, &(Span) { start, end }, 1);
}

/* Intersection of two sorted lists of disjoint spans (two pointers). */
static GArray *
spans_intersect (GArray *a,
                 GArray *b)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Span));
  guint i = 0, j = 0;

  while (i < a->len && j < b->len)
    {
      Span *x = &g_array_index (a, Span, i);
      Span *y = &g_array_index (b, Span, j);
      gint64 start = MAX (x->start, y->start);
      gint64 end = MIN (x->end, y->end);

      if (start < end)
        g_array_append_vals (out, &(Span) { start, end }, 1);
      if (x->end < y->end)
        i++;
      else
        j++;
    }
  return out;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* AND, for the segments [first, last) of one document: each maximal
 * region covered by at least one segment of every selected code. */
static void
combine_and_document (CodeMap      *map,
                      const GArray *roots,
                      const char   *code_label,
                      const char   *color,
                      GArray       *segments,
                      guint         first,
                      guint         last,
                      GPtrArray    *result)
{
  g_autoptr(GPtrArray) per_root = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_autoptr(GArray) regions = NULL;

  for (guint r = 0; r < roots->len; r++)
    g_ptr_array_add (per_root, g_array_new (FALSE, FALSE, sizeof (Span)));
  for (guint i = first; i < last; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);

      spans_add (g_ptr_array_index (per_root, segment->root), segment->start, segment->end);
    }

  regions = g_array_ref (g_ptr_array_index (per_root, 0));
  for (guint r = 1; r < roots->len && regions->len > 0; r++)
    {
      GArray *next = spans_intersect (regions, g_ptr_array_index (per_root, r));

      g_array_unref (regions);
      regions = next;
    }

  for (guint k = 0; k < regions->len; k++)
    {
      Span *region = &g_array_index (regions, Span, k);
      g_autoptr(GPtrArray) coders = g_ptr_array_new ();
      Segment *any = &g_array_index (segments, Segment, first);
      CwCoding *coding = g_new0 (CwCoding, 1);

      /* The coders of every segment that takes part in the region. */
      for (guint i = first; i < last; i++)
        {
          Segment *segment = &g_array_index (segments, Segment, i);

          if (segment->start >= region->end)
            break;
          if (segment->end > region->start &&
              !g_ptr_array_find_with_equal_func (coders, segment->coding->coder, g_str_equal, NULL))
            g_ptr_array_add (coders, segment->coding->coder);
        }
      g_ptr_array_sort (coders, compare_strings);
      g_ptr_array_add (coders, NULL);

      coding->document_id = any->document_id;
      coding->document = g_strdup (any->coding->document);
      coding->code = g_strdup (code_label);
      coding->color = g_strdup (color);
      coding->coder = g_strjoinv (", ", (char **) coders->pdata);
      coding->start = region->start;
      coding->end = region->end;
      g_ptr_array_add (result, coding);
    }
}

/* NOT, for the segments [first, last) of one document: the segments of
 * the first selected code that overlap no segment of the others. */
static void
combine_not_document (GArray    *segments,
                      guint      first,
                      guint      last,
                      GPtrArray *result)
{
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (Span));
  guint j = 0;

  for (guint i = first; i < last; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);

      if (segment->root != 0)
        spans_add (others, segment->start, segment->end);
    }
  for (guint i = first; i < last; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);

      if (segment->root != 0)
        continue;
      /* Segments come by start: the first other span not ended before
       * this segment starts only moves forward. */
      while (j < others->len && g_array_index (others, Span, j).end <= segment->start)
        j++;
      if (j < others->len && g_array_index (others, Span, j).start < segment->end)
        continue;
      g_ptr_array_add (result, g_steal_pointer (&segment->coding));
    }
}

/* Fills in text and, for AND regions, the speaker and case: one walk per
 * document, the results being sorted by document and start. */
static gboolean
fill_in (CwProject     *self,
         GPtrArray     *result,
         gboolean       text,
         gboolean       speakers,
         GCancellable  *cancellable,
         GError       **error)
{
  TextIndex texts;
  TurnIndex turns;
  CaseMap cases = { 0 };
  gboolean ok = TRUE;

  if (!text && !speakers)
    return TRUE;
  if (speakers && !case_map_load (&cases, self, error))
    {
      case_map_clear (&cases);
      return FALSE;
    }
  text_index_init_pieces (&texts, self);
  turn_index_init (&turns, self, NULL);
  for (guint i = 0; i < result->len && ok; i++)
    {
      CwCoding *coding = g_ptr_array_index (result, i);

      if (i > 0 && coding->document_id != ((CwCoding *) g_ptr_array_index (result, i - 1))->document_id &&
          check_cancelled (cancellable, error))
        ok = FALSE;
      else if (text && !text_index_load (&texts, coding->document_id, error))
        ok = FALSE;
      else if (speakers && !turn_index_load (&turns, coding->document_id, error))
        ok = FALSE;
      else
        {
          if (text && (coding->text = text_index_substring (&texts, coding->start, coding->end, error)) == NULL)
            ok = FALSE;
          if (speakers)
            {
              const TurnSpan *turn = turn_index_segment_turn (&turns, coding->start, coding->end);
              const CaseRef *kase = case_map_lookup (&cases, &turns, coding->document_id, turn);

              coding->speaker = g_strdup (turn_index_speaker (&turns, turn));
              coding->case_id = kase != NULL ? g_strdup (kase->identifier) : NULL;
            }
        }
    }
  ok = ok && turn_index_check (&turns, error);
  text_index_clear (&texts);
  turn_index_clear (&turns);
  case_map_clear (&cases);
  return ok;
}

/* The selected codes: query->code_ids without repeats, each known. */
static GArray *
query_roots (CwProject               *self,
             CodeMap                 *map,
             const CwRetrievalQuery  *query,
             GError                 **error)
{
  g_autoptr(GArray) roots = dedup_ids (query->code_ids);

  for (guint i = 0; i < roots->len; i++)
    {
      gint64 id = g_array_index (roots, gint64, i);

      if (!g_hash_table_contains (map->by_id, &id))
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                       _("%s: no code with id %lld"), cw_project_get_path (self), (long long) id);
          return NULL;
        }
    }
  return g_steal_pointer (&roots);
}

static gboolean
check_query (CwProject               *self,
             const CwRetrievalQuery  *query,
             GError                 **error)
{
  if (query->kind >= CW_N_DOCUMENT_KINDS || query->kind < -1)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: no document kind %d"), cw_project_get_path (self), query->kind);
      return FALSE;
    }
  if (query->combine != CW_COMBINE_OR && query->combine != CW_COMBINE_AND &&
      query->combine != CW_COMBINE_NOT)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: no way to combine codes numbered %d"), cw_project_get_path (self), query->combine);
      return FALSE;
    }
  return TRUE;
}

/* OR (and no codes selected, whatever combine says): every segment of
 * any of the codes, not merged, one CwCoding per coding.
 * AND: see combine_and_document (code "A & B", code_id 0, coder the
 * coders joined with ", ", no memo). With one code, AND gives the union
 * of its segments as maximal regions.
 * NOT: see combine_not_document. */
GPtrArray *
cw_project_retrieve (CwProject               *self,
                     const CwRetrievalQuery  *query,
                     GCancellable            *cancellable,
                     GError                 **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_coding_free);
  g_autoptr(CodeMap) map = NULL;
  g_autoptr(GArray) roots = NULL;
  g_autoptr(GArray) segments = NULL;
  gboolean combined;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_query (self, query, error) || check_cancelled (cancellable, error))
    return NULL;
  if ((map = code_map_load (self, error)) == NULL ||
      (roots = query_roots (self, map, query, error)) == NULL)
    return NULL;

  combined = roots->len > 0 && query->combine != CW_COMBINE_OR;
  segments = fetch_segments (self, map, query, roots, combined, TRUE, cancellable, error);
  if (segments == NULL)
    return NULL;

  if (!combined)
    {
      for (guint i = 0; i < segments->len; i++)
        g_ptr_array_add (result, g_steal_pointer (&g_array_index (segments, Segment, i).coding));
    }
  else
    {
      g_autoptr(GString) label = g_string_new (NULL);
      const char *color = NULL;

      for (guint r = 0; r < roots->len; r++)
        {
          gint64 id = g_array_index (roots, gint64, r);
          CodeInfo *code = g_hash_table_lookup (map->by_id, &id);

          if (r > 0)
            g_string_append (label, " & ");
          g_string_append (label, code->path);
          if (r == 0)
            color = code->color;
        }

      for (guint first = 0, last; first < segments->len; first = last)
        {
          gint64 document_id = g_array_index (segments, Segment, first).document_id;

          for (last = first + 1;
               last < segments->len && g_array_index (segments, Segment, last).document_id == document_id;
               last++)
            ;
          if (query->combine == CW_COMBINE_AND)
            combine_and_document (map, roots, label->str, color, segments, first, last, result);
          else
            combine_not_document (segments, first, last, result);
        }
    }

  if (!fill_in (self, result, query->with_text, combined && query->combine == CW_COMBINE_AND,
                cancellable, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* ------------------------------------------------------------------------ */
/* Each coding's case, for the cohort analyses                              */

/* One pass over every coding, by document and start, with the turn and
 * case lookups of retrieval (so a crosstab counts exactly what `codings
 * --case` retrieves), but without building CwCoding records. */
GArray *
_cw_project_coding_cases (CwProject     *self,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (CwCodingCase));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  TurnIndex turns;
  CaseMap cases = { 0 };
  guint n_rows = 0;
  int rc;

  if (!case_map_load (&cases, self, error))
    {
      case_map_clear (&cases);
      return NULL;
    }
  if (g_hash_table_size (cases.by_speaker) + g_hash_table_size (cases.by_document) == 0)
    {
      case_map_clear (&cases);
      return g_steal_pointer (&out);
    }
  /* Only documents with links can hold codings with a case. */
  stmt = _cw_project_prepare (self,
                              "SELECT c.code_id, c.document_id, c.start, c.end FROM codings c"
                              " WHERE c.document_id IN (SELECT document_id FROM case_links)"
                              " ORDER BY c.document_id",
                              error);
  if (stmt == NULL)
    {
      case_map_clear (&cases);
      return NULL;
    }
  turn_index_init (&turns, self, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 document_id = sqlite3_column_int64 (stmt, 1);
      gint64 start = sqlite3_column_int64 (stmt, 2);
      gint64 end = sqlite3_column_int64 (stmt, 3);
      const CaseRef *kase;

      if (((++n_rows & 1023) == 0 && check_cancelled (cancellable, error)) ||
          !turn_index_load (&turns, document_id, error))
        {
          turn_index_clear (&turns);
          case_map_clear (&cases);
          return NULL;
        }
      kase = case_map_lookup (&cases, &turns, document_id,
                              turn_index_segment_turn (&turns, start, end));
      if (kase != NULL)
        g_array_append_vals (out, &(CwCodingCase) { sqlite3_column_int64 (stmt, 0), kase->id }, 1);
    }
  case_map_clear (&cases);
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the codings"));
      turn_index_clear (&turns);
      return NULL;
    }
  if (!turn_index_check (&turns, error))
    {
      turn_index_clear (&turns);
      return NULL;
    }
  turn_index_clear (&turns);
  return g_steal_pointer (&out);
}

/* ------------------------------------------------------------------------ */
/* Co-occurrence                                                            */

/* With code_ids NULL every codable code is a row, in codebook order; with
 * include_subcodes each stands for its subtree as in retrieval (a segment
 * of a sub-code then also counts for its selected ancestor). Two segments
 * count once per overlapping pair, in each document separately. */
CwCooccurrence *
cw_project_cooccurrence (CwProject               *self,
                         const CwRetrievalQuery  *filter,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(CwCooccurrence) matrix = g_new0 (CwCooccurrence, 1);
  g_autoptr(CodeMap) map = NULL;
  g_autoptr(GArray) segments = NULL;
  g_autoptr(GArray) active = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 document_id = 0;
  guint n;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (filter != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_query (self, filter, error) || check_cancelled (cancellable, error))
    return NULL;
  if ((map = code_map_load (self, error)) == NULL)
    return NULL;
  if (filter->code_ids != NULL && filter->code_ids->len > 0)
    matrix->code_ids = query_roots (self, map, filter, error);
  else
    matrix->code_ids = code_map_ordered_ids (map, TRUE);
  if (matrix->code_ids == NULL)
    return NULL;
  n = matrix->code_ids->len;
  matrix->counts = g_new0 (guint, MAX ((gsize) n * n, 1));
  if (n == 0)
    return g_steal_pointer (&matrix);

  segments = fetch_segments (self, map, filter, matrix->code_ids, TRUE, FALSE, cancellable, error);
  if (segments == NULL)
    return NULL;

  /* Sweep each document by start: the active segments are those not yet
   * ended; each new segment overlaps exactly the active ones (they start
   * no later and end after its start). */
  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      guint kept = 0;

      if ((i & 4095) == 4095 && check_cancelled (cancellable, error))
        return NULL;
      if (segment->document_id != document_id)
        {
          g_array_set_size (active, 0);
          document_id = segment->document_id;
        }
      for (guint k = 0; k < active->len; k++)
        {
          guint a = g_array_index (active, guint, k);
          Segment *other = &g_array_index (segments, Segment, a);

          if (other->end <= segment->start)
            continue;
          g_array_index (active, guint, kept++) = a;
          if (other->root != segment->root)
            {
              matrix->counts[other->root * n + segment->root]++;
              matrix->counts[segment->root * n + other->root]++;
            }
        }
      g_array_set_size (active, kept);
      g_array_append_val (active, i);
      matrix->counts[segment->root * n + segment->root]++;
    }
  return g_steal_pointer (&matrix);
}

/* ------------------------------------------------------------------------ */
/* Autocoding                                                               */

static gboolean
check_codable (CwProject  *self,
               gint64      code_id,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT codable, name FROM codes WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, code_id);
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      break;
    case SQLITE_DONE:
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no code with id %lld"), cw_project_get_path (self), (long long) code_id);
      return FALSE;
    default:
      _cw_project_set_db_error (self, error, _("cannot read the codebook"));
      return FALSE;
    }
  if (sqlite3_column_int (stmt, 0) == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: “%s” is a category and cannot be applied; choose one of its codes"),
                   cw_project_get_path (self), (const char *) sqlite3_column_text (stmt, 1));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_document (CwProject  *self,
                gint64      document_id,
                GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (document_id == 0)
    return TRUE;
  stmt = _cw_project_prepare (self, "SELECT 1 FROM documents WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, document_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no document with id %lld"), cw_project_get_path (self), (long long) document_id);
  else
    _cw_project_set_db_error (self, error, _("cannot read the documents"));
  return FALSE;
}

/* Inserts codings inside the caller's step; steps do not nest, so this
 * does not go through cw_project_add_coding. */
typedef struct
{
  CwProject    *project;
  sqlite3_stmt *insert;
  gint64        code_id;
  gint64        coder_id;
  char         *created_at;
  gint64        added;
} Inserter;

static void
inserter_clear (Inserter *ins)
{
  g_clear_pointer (&ins->insert, sqlite3_finalize);
  g_clear_pointer (&ins->created_at, g_free);
}

static gboolean
inserter_init (Inserter    *ins,
               CwProject   *project,
               gint64       code_id,
               const char  *coder,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) ensure = NULL;
  g_autoptr(sqlite3_stmt) lookup = NULL;
  g_autofree char *guid = g_uuid_string_random ();

  memset (ins, 0, sizeof *ins);
  ins->project = project;
  ins->code_id = code_id;
  ins->created_at = now_iso8601 ();

  ensure = _cw_project_prepare (project,
                                "INSERT OR IGNORE INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)",
                                error);
  if (ensure == NULL)
    return FALSE;
  sqlite3_bind_text (ensure, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_text (ensure, 2, coder, -1, SQLITE_STATIC);
  sqlite3_bind_text (ensure, 3, ins->created_at, -1, SQLITE_STATIC);
  if (sqlite3_step (ensure) != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("cannot add the coder"));
      return FALSE;
    }
  lookup = _cw_project_prepare (project, "SELECT id FROM coders WHERE name = ?1", error);
  if (lookup == NULL)
    return FALSE;
  sqlite3_bind_text (lookup, 1, coder, -1, SQLITE_STATIC);
  if (sqlite3_step (lookup) != SQLITE_ROW)
    {
      _cw_project_set_db_error (project, error, _("cannot read the coders"));
      return FALSE;
    }
  ins->coder_id = sqlite3_column_int64 (lookup, 0);

  /* OR IGNORE: the same coder, code and range is one coding, so running
   * an autocode again adds nothing. */
  ins->insert = _cw_project_prepare (project,
                                     "INSERT OR IGNORE INTO codings"
                                     " (guid, document_id, code_id, coder_id, start, end, created_at)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                     error);
  return ins->insert != NULL;
}

static gboolean
inserter_add (Inserter  *ins,
              gint64     document_id,
              gint64     start,
              gint64     end,
              GError   **error)
{
  g_autofree char *guid = g_uuid_string_random ();
  sqlite3 *db = _cw_project_get_db (ins->project);

  if (end <= start)
    return TRUE;
  sqlite3_reset (ins->insert);
  sqlite3_bind_text (ins->insert, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (ins->insert, 2, document_id);
  sqlite3_bind_int64 (ins->insert, 3, ins->code_id);
  sqlite3_bind_int64 (ins->insert, 4, ins->coder_id);
  sqlite3_bind_int64 (ins->insert, 5, start);
  sqlite3_bind_int64 (ins->insert, 6, end);
  sqlite3_bind_text (ins->insert, 7, ins->created_at, -1, SQLITE_STATIC);
  if (sqlite3_step (ins->insert) != SQLITE_DONE)
    {
      _cw_project_set_db_error (ins->project, error, _("cannot add the coding"));
      sqlite3_reset (ins->insert);
      return FALSE;
    }
  ins->added += sqlite3_changes (db);
  sqlite3_reset (ins->insert);
  return TRUE;
}

/* Ends the step; a step that added nothing is rolled back, so running an
 * autocode again leaves no empty step in the history. */
static gint64
finish_step (CwProject  *self,
             Inserter   *ins,
             GError    **error)
{
  gint64 added = ins->added;

  inserter_clear (ins);
  if (added == 0)
    {
      _cw_project_abort_step (self);
      return 0;
    }
  if (!_cw_project_end_step (self, error))
    return -1;
  return added;
}

typedef struct
{
  gint64 speaker_id;
  gint64 document_id;
} SpeakerRef;

/* Returns the number of codings added, or -1 with error set. */
gint64
cw_project_autocode_speaker (CwProject     *self,
                             const char    *speaker,
                             gint64         document_id,
                             gint64         code_id,
                             const char    *coder,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GArray) matches = g_array_new (FALSE, FALSE, sizeof (SpeakerRef));
  g_autoptr(sqlite3_stmt) speakers = NULL;
  g_autoptr(sqlite3_stmt) turns = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *label = NULL;
  Inserter ins;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), -1);
  g_return_val_if_fail (speaker != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (coder == NULL || *coder == '\0')
    coder = CW_DEFAULT_CODER;
  folded = fold_name (speaker);
  if (folded == NULL || *folded == '\0')
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: which speaker? The name is empty"), cw_project_get_path (self));
      return -1;
    }
  if (!check_codable (self, code_id, error) || !check_document (self, document_id, error))
    return -1;

  /* Names and roles are matched here rather than in SQL: NOCASE folds
   * ASCII only, and "Élise" is "élise". */
  speakers = _cw_project_prepare (self,
                                  "SELECT id, document_id, name, role FROM speakers"
                                  " WHERE ?1 = 0 OR document_id = ?1 ORDER BY document_id, id",
                                  error);
  if (speakers == NULL)
    return -1;
  sqlite3_bind_int64 (speakers, 1, document_id);
  while ((rc = sqlite3_step (speakers)) == SQLITE_ROW)
    {
      if (folded_equal (folded, (const char *) sqlite3_column_text (speakers, 2)) ||
          folded_equal (folded, (const char *) sqlite3_column_text (speakers, 3)))
        {
          SpeakerRef ref = { sqlite3_column_int64 (speakers, 0), sqlite3_column_int64 (speakers, 1) };

          g_array_append_val (matches, ref);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the speakers"));
      return -1;
    }
  if (matches->len == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   document_id != 0 ? _("%s: no speaker or role “%s” in this document")
                                    : _("%s: no speaker or role “%s”"),
                   cw_project_get_path (self), speaker);
      return -1;
    }

  label = g_strdup_printf (_("Autocode speaker “%s”"), speaker);
  if (!_cw_project_begin_step (self, label, error))
    return -1;
  if (!inserter_init (&ins, self, code_id, coder, error))
    goto failed;
  turns = _cw_project_prepare (self,
                               "SELECT start, end FROM turns"
                               " WHERE document_id = ?1 AND speaker_id = ?2 AND end > start"
                               " ORDER BY idx",
                               error);
  if (turns == NULL)
    goto failed;

  for (guint i = 0; i < matches->len; i++)
    {
      SpeakerRef *ref = &g_array_index (matches, SpeakerRef, i);

      if (check_cancelled (cancellable, error))
        goto failed;
      sqlite3_reset (turns);
      /* By document and speaker: the (document_id, idx) index finds the
       * document's turns; there is no index on speaker_id. */
      sqlite3_bind_int64 (turns, 1, ref->document_id);
      sqlite3_bind_int64 (turns, 2, ref->speaker_id);
      while ((rc = sqlite3_step (turns)) == SQLITE_ROW)
        if (!inserter_add (&ins, ref->document_id, sqlite3_column_int64 (turns, 0),
                           sqlite3_column_int64 (turns, 1), error))
          goto failed;
      if (rc != SQLITE_DONE)
        {
          _cw_project_set_db_error (self, error, _("cannot read the turns"));
          goto failed;
        }
    }
  g_clear_pointer (&turns, sqlite3_finalize);
  return finish_step (self, &ins, error);

failed:
  g_clear_pointer (&turns, sqlite3_finalize);
  inserter_clear (&ins);
  _cw_project_abort_step (self);
  return -1;
}

typedef struct
{
  gint64 document_id;
  gint64 start;
  gint64 end;
} Range;

/* The ranges to code for the hits (sorted by document, then offset). */
static GArray *
autocode_ranges (CwProject        *self,
                 GPtrArray        *hits,
                 CwAutocodeScope   scope,
                 GCancellable     *cancellable,
                 GError          **error)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  TextIndex texts;
  TurnIndex turns;
  gboolean ok = TRUE;

  text_index_init (&texts, self);
  turn_index_init (&turns, self, NULL);
  for (guint i = 0; i < hits->len && ok; i++)
    {
      CwSearchHit *hit = g_ptr_array_index (hits, i);
      Range range = { hit->document_id, hit->start, hit->end };

      if (scope != CW_AUTOCODE_HIT)
        {
          const TurnSpan *turn;
          const char *at;

          if (hit->document_id != texts.document_id && check_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
          if (!text_index_load (&texts, hit->document_id, error) ||
              !turn_index_load (&turns, hit->document_id, error))
            {
              ok = FALSE;
              break;
            }
          at = text_index_at (&texts, hit->start);
          turn = turn_index_containing (&turns, hit->start);
          if (scope == CW_AUTOCODE_TURN && turn != NULL)
            {
              range.start = MIN (turn->start, hit->start);
              range.end = MAX (turn->end, hit->end);
            }
          else if (scope == CW_AUTOCODE_TURN)
            expand_line (texts.text, texts.limit, at, hit->start, hit->end, &range.start, &range.end);
          else
            expand_sentence (texts.text, texts.limit, at, hit->start, hit->end,
                             turn != NULL ? turn->start : 0,
                             turn != NULL ? turn->end : G_MAXINT64,
                             &range.start, &range.end);
        }
      g_array_append_val (ranges, range);
    }
  ok = ok && turn_index_check (&turns, error);
  text_index_clear (&texts);
  turn_index_clear (&turns);
  return ok ? g_steal_pointer (&ranges) : NULL;
}

/* Returns the number of codings added, or -1 with error set. */
gint64
cw_project_autocode_search (CwProject        *self,
                            const char       *query,
                            CwAutocodeScope   scope,
                            gint64            document_id,
                            gint64            code_id,
                            const char       *coder,
                            GCancellable     *cancellable,
                            GError          **error)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autofree char *label = NULL;
  gint64 previous_document = 0;
  Inserter ins;

  g_return_val_if_fail (CW_IS_PROJECT (self), -1);
  g_return_val_if_fail (query != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (coder == NULL || *coder == '\0')
    coder = CW_DEFAULT_CODER;
  if (scope != CW_AUTOCODE_HIT && scope != CW_AUTOCODE_SENTENCE && scope != CW_AUTOCODE_TURN)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: no autocoding scope numbered %d"), cw_project_get_path (self), scope);
      return -1;
    }
  if (!check_codable (self, code_id, error) || !check_document (self, document_id, error))
    return -1;

  hits = cw_project_search (self, query, document_id, 0, cancellable, error);
  if (hits == NULL)
    return -1;
  ranges = autocode_ranges (self, hits, scope, cancellable, error);
  if (ranges == NULL)
    return -1;
  if (ranges->len == 0)
    return 0;

  label = g_strdup_printf (_("Autocode “%s”"), query);
  if (!_cw_project_begin_step (self, label, error))
    return -1;
  if (!inserter_init (&ins, self, code_id, coder, error))
    goto failed;
  for (guint i = 0; i < ranges->len; i++)
    {
      Range *range = &g_array_index (ranges, Range, i);

      if (range->document_id != previous_document && check_cancelled (cancellable, error))
        goto failed;
      previous_document = range->document_id;
      if (!inserter_add (&ins, range->document_id, range->start, range->end, error))
        goto failed;
    }
  return finish_step (self, &ins, error);

failed:
  inserter_clear (&ins);
  _cw_project_abort_step (self);
  return -1;
}
