/* cw-refi-import.c: reading REFI-QDA codebooks (.qdc) and projects (.qdpx).
 *
 * Tolerant of what real exporters write (../shared/refi-qda/NOTES.md §4–§6):
 * elements are matched by local name in any urn:QDA-XML:* namespace or
 * none; deviations the schema would reject are read anyway and reported as
 * warnings. Strict about hostile input: no DOCTYPE (so no entities, XXE or
 * entity bombs), capped zip reads, no entry or path that leaves the archive.
 *
 * Positions: each text source's selections are tried under the units real
 * tools count in ({code points, UTF-16 code units} × {CRLF as 2, as 1}),
 * starting from the origin's guess, and the unit whose selection boundaries
 * fall best on word boundaries wins. Then the text is normalised (LF, NFC)
 * and every boundary converted to Codewerk's code points in the same pass.
 *
 * Reading a .qdpx (four threads, for speed; see "the streaming import"):
 * one thread reads project.qde into memory, then the texts the archive
 * likely holds (sources/NAME.txt), then makes a first SAX pass over
 * project.qde (well-formed, no DOCTYPE, the root, which files it names)
 * and reads the files it names that were not read yet; another streams
 * project.qde as soon as it is read, as small trees, one per section and
 * one per source, and prepares each text source (text, positions, turns);
 * a third builds the full-text index of the texts on the side; this one
 * makes the project meanwhile and stores. Without progress to report it
 * stores before the first pass is done: if that pass refuses the file, its
 * error is reported and nothing is kept, as if it had come first. Then the
 * streaming pass makes the first pass as it goes (the same parse, the same
 * start tags), and the reading thread parses the file itself only when
 * the stream stopped early or waits for a text that was not read ahead. The
 * other sections are small and read after the sources. Files whose
 * sections come out of the schema's order are read from a whole tree
 * instead (again, when the stream had begun). Everything goes into a new
 * project in one transaction, built under a temporary name without
 * journal or syncing and renamed into place when done (see "the new
 * project's file"); on failure nothing is left.
 *
 * Decisions worth knowing:
 *  - A CodeRef to a code the codebook lacks keeps its coding: the code is
 *    created as "Missing code (GUID)" under a category "Imported: missing
 *    codes" (with the GUID kept, so a re-export still points at it).
 *  - A selection with a Description but no Coding becomes a document memo
 *    titled with the quoted text; with codings, a memo on its first coding.
 *  - NVivo's Note-to-selection Links are read as NoteRefs; other links are
 *    dropped with a warning.
 *  - VariableValues on a source, and MAXQDA's nameless Cases with one
 *    SourceRef, become a case named after the document.
 *  - GUIDs are stored lowercase without braces (as Codewerk makes its own);
 *    the exporter writes them uppercase.
 */
#ifdef __linux__
#define _GNU_SOURCE /* sync_file_range */
#endif
#include "config.h"
/* sqlite3_preupdate_hook() (see cw-project.c). */
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <archive.h>
#include <archive_entry.h>

#include "cw-refi.h"
#include "cw-codebook.h"
#include "cw-codebook-private.h"
#include "cw-coding.h"
#include "cw-import.h"
#include "cw-import-private.h"
#include "cw-project-private.h"
#include "cw-xml.h"
#include "cw-zip.h"

/* The same palette as cw-codebook.c: new codes without a usable colour get
 * the first one no code has yet. */
static const char * const palette[] = {
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
  "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#499894", "#d37295",
};

/* Everything a .qdpx may inflate to, whatever the ratio allows. */
#define MAX_TOTAL_BYTES   ((guint64) 1 << 30)
/* Texts read before the first pass has said they are wanted (see
 * read_ahead): entries up to this size, this much in all. */
#define READ_AHEAD_ENTRY_BYTES  ((guint64) 8 << 20)
#define READ_AHEAD_TOTAL_BYTES  ((guint64) 64 << 20)
/* project.qde is handed to the stream as it is inflated, this much at a
 * time. */
#define QDE_CHUNK_BYTES ((gsize) 256 << 10)
/* Below this share of selection boundaries on word boundaries a source
 * does not "align cleanly". */
#define CLEAN_FRACTION    0.9
#define MISSING_CATEGORY  N_("Imported: missing codes")
/* Sources named in misalignment warnings; the rest are counted. */
#define MAX_MISALIGNED_WARNINGS 5
#define UNKNOWN_CODER     N_("Unknown coder")

/* ---- small helpers ---- */

static void warn (GPtrArray  *warnings,
                  const char *format,
                  ...) G_GNUC_PRINTF (2, 3);

static void
warn (GPtrArray  *warnings,
      const char *format,
      ...)
{
  va_list args;

  if (warnings == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
qda_uri (const char *uri)
{
  return uri == NULL || g_str_has_prefix (uri, "urn:QDA-XML:");
}

static gboolean
is_el (const CwXmlEl *node,
       const char    *name)
{
  return strcmp (node->name, name) == 0 && qda_uri (node->uri);
}

static CwXmlEl *
next_el (CwXmlEl    *node,
         const char *name)
{
  for (node = node->next; node != NULL; node = node->next)
    if (is_el (node, name))
      return node;
  return NULL;
}

static CwXmlEl *
first_el (CwXmlEl    *parent,
          const char *name)
{
  if (parent == NULL)
    return NULL;
  for (CwXmlEl *node = parent->children; node != NULL; node = node->next)
    if (is_el (node, name))
      return node;
  return NULL;
}

#define FOR_EACH_EL(child, parent, name) \
  for (CwXmlEl *child = first_el ((parent), (name)); child != NULL; child = next_el (child, (name)))

static guint
count_el (CwXmlEl    *parent,
          const char *name)
{
  guint n = 0;

  FOR_EACH_EL (child, parent, name)
    n++;
  return n;
}

/* Attributes are unqualified in QDA-XML. */
static char *
attr (const CwXmlEl *node,
      const char    *name)
{
  return g_strdup (cw_xml_el_get_attribute (node, name));
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static char *
element_text (CwXmlEl *node)
{
  return cw_xml_el_get_content (node);
}

/* The Description child's text, NULL when missing or blank (NVivo writes
 * empty ones everywhere). */
static char *
description_of (CwXmlEl *node)
{
  CwXmlEl *description = first_el (node, "Description");
  char *text;

  if (description == NULL)
    return NULL;
  text = element_text (description);
  if (is_blank (text))
    g_clear_pointer (&text, g_free);
  return text;
}

#define GUID_KEY_SIZE 37

/* "{6F9619FF-8B86-...}" -> "6f9619ff-8b86-..." written into key; FALSE if
 * not a GUID. Without allocating: it runs several times per coding. */
static gboolean
guid_key_into (const char *guid,
               char        key[GUID_KEY_SIZE])
{
  const char *from, *to;

  if (guid == NULL)
    return FALSE;
  /* As g_strstrip, then the braces. */
  from = guid;
  to = guid + strlen (guid);
  while (from < to && g_ascii_isspace (*from))
    from++;
  while (to > from && g_ascii_isspace (to[-1]))
    to--;
  if (to - from >= 2 && from[0] == '{' && to[-1] == '}')
    {
      from++;
      to--;
    }
  if (to - from != 36)
    return FALSE;
  for (gsize i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (from[i] != '-')
            return FALSE;
          key[i] = '-';
        }
      else if (from[i] >= '0' && from[i] <= '9')
        key[i] = from[i];
      else if ((from[i] | 0x20) >= 'a' && (from[i] | 0x20) <= 'f')
        key[i] = from[i] | 0x20;
      else
        return FALSE;
    }
  key[36] = '\0';
  return TRUE;
}

/* "{6F9619FF-8B86-...}" -> "6f9619ff-8b86-..."; NULL if not a GUID. */
static char *
guid_key (const char *guid)
{
  char key[GUID_KEY_SIZE];

  return guid_key_into (guid, key) ? g_strdup (key) : NULL;
}

/* What references resolve by: the GUID's key, or for a hand-made "code-1"
 * the string itself, so that its references still find it. */
static char *
ref_key (const char *guid)
{
  char *key = guid_key (guid);

  if (key == NULL && guid != NULL && !is_blank (guid))
    key = g_strconcat ("~", guid, NULL);
  return key;
}

/* ref_key() in buffer when guid is a GUID (the usual case), else allocated
 * in *other (free it). */
static const char *
ref_key_in (const char  *guid,
            char         buffer[GUID_KEY_SIZE],
            char       **other)
{
  *other = NULL;
  if (guid_key_into (guid, buffer))
    return buffer;
  return *other = ref_key (guid);
}

/* The GUID to store for an object: its own when valid and still free in
 * used, else a new one (counted in *bad). Adds it to used. */
static char *
take_guid (GHashTable *used,
           const char *guid,
           guint      *bad)
{
  char buffer[GUID_KEY_SIZE];
  char *key;

  if (!guid_key_into (guid, buffer) || g_hash_table_contains (used, buffer))
    {
      key = g_uuid_string_random ();
      if (bad != NULL)
        (*bad)++;
    }
  else
    key = g_strdup (buffer);
  g_hash_table_add (used, g_strdup (key));
  return key;
}

/* A name for storing: control characters (line breaks) become spaces,
 * trimmed, NFC. NULL if nothing is left. */
static char *
clean_text_name (const char *raw)
{
  g_autoptr(GString) s = NULL;
  char *normal;

  if (raw == NULL || !g_utf8_validate (raw, -1, NULL))
    return NULL;
  s = g_string_sized_new (strlen (raw));
  for (const char *p = raw; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        g_string_append_c (s, ' ');
      else
        g_string_append_unichar (s, c);
    }
  g_strstrip (s->str);
  if (s->str[0] == '\0')
    return NULL;
  normal = _cw_utf8_normalize_nfc (s->str, -1);
  return normal;
}

/* "name (2)", "name (3)", ... until it is not in taken (with
 * keep_extension, "interview (2).txt" like the document importer). */
static char *
unique_name (GHashTable *taken,
             const char *base,
             gboolean    keep_extension)
{
  const char *dot = keep_extension ? strrchr (base, '.') : NULL;
  g_autofree char *stem = NULL;
  const char *extension = "";

  if (!g_hash_table_contains (taken, base))
    return g_strdup (base);

  /* Only a short alphanumeric tail is an extension ("Mr. Smith" has none). */
  if (dot != NULL && dot != base && strlen (dot + 1) >= 1 && strlen (dot + 1) <= 5)
    {
      gboolean alnum = TRUE;

      for (const char *p = dot + 1; *p != '\0'; p++)
        alnum = alnum && g_ascii_isalnum (*p);
      if (alnum)
        extension = dot;
    }
  stem = g_strndup (base, strlen (base) - strlen (extension));

  for (guint n = 2;; n++)
    {
      char *candidate = g_strdup_printf ("%s (%u)%s", stem, n, extension);

      if (!g_hash_table_contains (taken, candidate))
        return candidate;
      g_free (candidate);
    }
}

static gboolean
parse_int64 (const char *text,
             gint64     *value)
{
  g_autofree char *s = NULL;
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  s = g_strstrip (g_strdup (text));
  if (*s == '\0')
    return FALSE;
  *value = g_ascii_strtoll (s, &end, 10);
  return end != NULL && *end == '\0';
}

/* An xsd:dateTime as Codewerk stores times ("2024-05-01T12:00:00Z", UTC);
 * NULL if it is not one. Without a zone it is taken as UTC. */
static char *
date_or_null (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) in_utc = NULL;
  g_autofree char *stripped = NULL;

  if (text == NULL || is_blank (text))
    return NULL;

  /* The usual form, as exporters (and we) write it: taken as it is, since
   * GDateTime looks at /etc/localtime on every call (20,000 codings). */
  if (strlen (text) == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
      text[13] == ':' && text[16] == ':' && text[19] == 'Z')
    {
      gboolean digits = TRUE;

      for (int i = 0; i < 19 && digits; i++)
        if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16)
          digits = g_ascii_isdigit (text[i]);
      if (digits && text[5] <= '1' && text[8] <= '3' && text[11] <= '2' && text[14] <= '5' && text[17] <= '5')
        return g_strdup (text);
    }

  stripped = g_strstrip (g_strdup (text));
  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (stripped, utc);
  if (parsed == NULL)
    return NULL;
  in_utc = g_date_time_to_utc (parsed);
  return g_date_time_format (in_utc, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
run_done (CwProject     *project,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("cannot store the imported data"));
      return FALSE;
    }
  return TRUE;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           column,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, column, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, column);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           column,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, column, id);
  else
    sqlite3_bind_null (stmt, column);
}

static gint64
last_id (CwProject *project)
{
  return sqlite3_last_insert_rowid (_cw_project_get_db (project));
}

static gint64
lookup_id (GHashTable *table,
           const char *key)
{
  return key != NULL ? (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (table, key)) : 0;
}

static void
insert_id (GHashTable *table,
           const char *key,
           gint64      id)
{
  g_hash_table_insert (table, g_strdup (key), GSIZE_TO_POINTER ((gsize) id));
}

/* g_str_hash for the tables of GUID keys, eight bytes at a time: it runs
 * a dozen times per coding on 36-character keys (g_str_hash took 7 % of
 * the storing thread). */
static guint
key_hash (gconstpointer key)
{
  const char *s = key;
  gsize len = strlen (s);
  guint64 h = 0x9e3779b97f4a7c15u ^ len, w;

  for (; len >= 8; s += 8, len -= 8)
    {
      memcpy (&w, s, 8);
      h = (h ^ w) * 0xff51afd7ed558ccdu;
      h ^= h >> 29;
    }
  w = 0;
  memcpy (&w, s, len);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
  h ^= h >> 32;
  return (guint) h;
}

static GHashTable *
key_table_new (GDestroyNotify value_free)
{
  return g_hash_table_new_full (key_hash, g_str_equal, g_free, value_free);
}

static GHashTable *
string_set_new (void)
{
  return key_table_new (NULL);
}

/* Rows of one table inserted a batch at a time: a statement per 64 rows
 * costs a fraction of a statement per row (20,000 codings). */
#define BATCH_ROWS 64

typedef struct
{
  char   *text;    /* owned; NULL for a number */
  gint64  number;
} BatchValue;

typedef struct
{
  const char *head;       /* "INSERT INTO t (a, b) VALUES " */
  int         n_columns;
  GArray     *values;     /* BatchValue, n_columns per row */
  /* The statement for BATCH_ROWS rows, prepared once and kept here rather
   * than in the project's cache, which hashes its long SQL on each use. */
  sqlite3_stmt *full;
} Batch;

static void
batch_value_clear (BatchValue *value)
{
  g_clear_pointer (&value->text, g_free);
}

static void
batch_init (Batch      *batch,
            const char *head,
            int         n_columns)
{
  batch->head = head;
  batch->n_columns = n_columns;
  batch->values = g_array_sized_new (FALSE, FALSE, sizeof (BatchValue), BATCH_ROWS * n_columns);
  g_array_set_clear_func (batch->values, (GDestroyNotify) batch_value_clear);
}

/* Before the connection closes (it stays open while a statement lives). */
static void
batch_finalize (Batch *batch)
{
  g_clear_pointer (&batch->full, sqlite3_finalize);
}

static void
batch_clear (Batch *batch)
{
  g_clear_pointer (&batch->values, g_array_unref);
  batch_finalize (batch);
}

static void
batch_number (Batch  *batch,
              gint64  number)
{
  BatchValue value = { NULL, number };

  g_array_append_val (batch->values, value);
}

/* text: transfer full. */
static void
batch_text_take (Batch *batch,
                 char  *text)
{
  BatchValue value = { text, 0 };

  g_array_append_val (batch->values, value);
}

static gboolean
batch_flush (CwProject  *project,
             Batch      *batch,
             GError    **error)
{
  guint n_rows = batch->values->len / batch->n_columns;
  sqlite3_stmt *stmt = n_rows == BATCH_ROWS ? batch->full : NULL;
  int column = 1;
  gboolean ok;

  if (n_rows == 0)
    return TRUE;
  if (stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new (batch->head);

      for (guint r = 0; r < n_rows; r++)
        {
          g_string_append (sql, r > 0 ? ", (" : "(");
          for (int c = 0; c < batch->n_columns; c++)
            g_string_append (sql, c > 0 ? ", ?" : "?");
          g_string_append_c (sql, ')');
        }
      if (sqlite3_prepare_v3 (_cw_project_get_db (project), sql->str, -1,
                              n_rows == BATCH_ROWS ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, NULL) != SQLITE_OK)
        {
          sqlite3_finalize (stmt);
          _cw_project_set_db_error (project, error, _("cannot store the imported data"));
          return FALSE;
        }
      if (n_rows == BATCH_ROWS)
        batch->full = stmt;
    }
  for (guint i = 0; i < batch->values->len; i++, column++)
    {
      BatchValue *value = &g_array_index (batch->values, BatchValue, i);

      if (value->text != NULL)
        sqlite3_bind_text (stmt, column, value->text, -1, SQLITE_STATIC);
      else
        sqlite3_bind_int64 (stmt, column, value->number);
    }
  ok = run_done (project, stmt, error);
  if (stmt == batch->full)
    sqlite3_reset (stmt);
  else
    sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;
  g_array_set_size (batch->values, 0);
  return TRUE;
}

/* Ends a row; a full batch goes in. */
static gboolean
batch_row_done (CwProject  *project,
                Batch      *batch,
                GError    **error)
{
  if (batch->values->len < (guint) (BATCH_ROWS * batch->n_columns))
    return TRUE;
  return batch_flush (project, batch, error);
}

/* ---- the codebook, shared by both imports ---- */

/* A memo to attach once the Notes are read: NoteRef targetGUID -> what. */
typedef struct
{
  char         *note;      /* ref_key of the Note */
  CwMemoTarget  target;
  gint64        target_id;
} NoteRef;

static void
note_ref_free (NoteRef *ref)
{
  g_free (ref->note);
  g_free (ref);
}

static void
add_note_ref (GPtrArray    *refs,
              const char   *note_guid,
              CwMemoTarget  target,
              gint64        target_id)
{
  NoteRef *ref;
  char *key = ref_key (note_guid);

  if (key == NULL)
    return;
  ref = g_new0 (NoteRef, 1);
  ref->note = key;
  ref->target = target;
  ref->target_id = target_id;
  g_ptr_array_add (refs, ref);
}

static void
add_note_refs_of (GPtrArray    *refs,
                  CwXmlEl      *node,
                  CwMemoTarget  target,
                  gint64        target_id)
{
  if (refs == NULL)
    return;
  FOR_EACH_EL (child, node, "NoteRef")
    {
      g_autofree char *guid = attr (child, "targetGUID");

      add_note_ref (refs, guid, target, target_id);
    }
}

typedef struct
{
  GHashTable *names; /* name -> id of the existing and added children */
  GHashTable *taken; /* names given to codes of this file */
  int         count; /* children so far: the next position */
} Siblings;

static void
siblings_free (Siblings *s)
{
  g_hash_table_unref (s->names);
  g_hash_table_unref (s->taken);
  g_free (s);
}

typedef struct
{
  CwProject  *project;
  GPtrArray  *warnings;
  GPtrArray  *note_refs;  /* project import: the codes' NoteRefs; else NULL */
  char       *now;
  GHashTable *by_guid;    /* stored GUID -> id */
  GHashTable *by_ref;     /* ref_key of a code in the file -> id */
  GHashTable *siblings;   /* parent id (0: top) -> Siblings */
  GHashTable *colors;     /* colours in use, lowercase */
  guint       n_colors;
  guint       added;
  guint       matched;
  guint       bad_guids;
} Codes;

static void
codes_clear (Codes *c)
{
  g_clear_pointer (&c->now, g_free);
  g_clear_pointer (&c->by_guid, g_hash_table_unref);
  g_clear_pointer (&c->by_ref, g_hash_table_unref);
  g_clear_pointer (&c->siblings, g_hash_table_unref);
  g_clear_pointer (&c->colors, g_hash_table_unref);
}

static Siblings *
get_siblings (Codes  *c,
              gint64  parent_id)
{
  Siblings *s = g_hash_table_lookup (c->siblings, GSIZE_TO_POINTER ((gsize) parent_id));

  if (s == NULL)
    {
      s = g_new0 (Siblings, 1);
      s->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      s->taken = string_set_new ();
      g_hash_table_insert (c->siblings, GSIZE_TO_POINTER ((gsize) parent_id), s);
    }
  return s;
}

/* Reads the project's codes so that the file's can be matched to them. */
static gboolean
codes_init (Codes       *c,
            CwProject   *project,
            GPtrArray   *warnings,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  memset (c, 0, sizeof *c);
  c->project = project;
  c->warnings = warnings;
  c->now = _cw_now_iso8601 ();
  c->by_guid = key_table_new (NULL);
  c->by_ref = key_table_new (NULL);
  c->siblings = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) siblings_free);
  c->colors = string_set_new ();

  stmt = _cw_project_prepare (project,
                              "SELECT id, lower(guid), coalesce(parent_id, 0), name, lower(color) FROM codes",
                              error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *key = guid_key ((const char *) sqlite3_column_text (stmt, 1));
      Siblings *s = get_siblings (c, sqlite3_column_int64 (stmt, 2));
      const char *color = (const char *) sqlite3_column_text (stmt, 4);

      insert_id (c->by_guid, key != NULL ? key : (const char *) sqlite3_column_text (stmt, 1), id);
      insert_id (s->names, (const char *) sqlite3_column_text (stmt, 3), id);
      s->count++;
      if (color != NULL)
        g_hash_table_add (c->colors, g_strdup (color));
      c->n_colors++;
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("cannot read the codebook"));
      return FALSE;
    }
  return TRUE;
}

static const char *
pick_color (Codes *c)
{
  for (guint i = 0; i < G_N_ELEMENTS (palette); i++)
    if (!g_hash_table_contains (c->colors, palette[i]))
      return palette[i];
  return palette[c->n_colors % G_N_ELEMENTS (palette)];
}

static gint64
insert_code (Codes       *c,
             gint64       parent_id,
             const char  *guid,
             const char  *name,
             const char  *color,
             const char  *description,
             gboolean     codable,
             GError     **error)
{
  Siblings *s = get_siblings (c, parent_id);
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (c->project,
                         "INSERT INTO codes (guid, parent_id, name, color, description, position, codable, created_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                         error);
  gint64 id;

  if (stmt == NULL)
    return 0;
  if (color == NULL)
    color = pick_color (c);
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  bind_id_or_null (stmt, 2, parent_id);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, color, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 5, description);
  sqlite3_bind_int (stmt, 6, s->count);
  sqlite3_bind_int (stmt, 7, codable ? 1 : 0);
  sqlite3_bind_text (stmt, 8, c->now, -1, SQLITE_STATIC);
  if (!run_done (c->project, stmt, error))
    return 0;
  id = last_id (c->project);

  s->count++;
  insert_id (s->names, name, id);
  insert_id (c->by_guid, guid, id);
  g_hash_table_add (c->colors, g_ascii_strdown (color, -1));
  c->n_colors++;
  return id;
}

/* The name a code from the file gets: cleaned, no '/', unique among the
 * file's codes under the same parent. */
static char *
code_name (Codes      *c,
           Siblings   *s,
           const char *raw,
           const char *guid)
{
  g_autofree char *clean = clean_text_name (raw);
  g_autofree char *unique = NULL;

  if (clean == NULL)
    {
      warn (c->warnings, _("a code without a name (GUID %s) was named “%s”"),
            guid != NULL ? guid : "-", _("Unnamed code"));
      clean = g_strdup (_("Unnamed code"));
    }
  if (strchr (clean, '/') != NULL)
    {
      /* '/' separates the levels of a code's path in Codewerk. */
      g_auto(GStrv) parts = g_strsplit (clean, "/", -1);
      g_autofree char *renamed = g_strjoinv ("\xe2\x88\x95", parts);

      warn (c->warnings, _("code “%s”: a '/' cannot be part of a code name; renamed “%s”"), clean, renamed);
      g_free (clean);
      clean = g_steal_pointer (&renamed);
    }
  unique = unique_name (s->taken, clean, FALSE);
  if (strcmp (unique, clean) != 0)
    warn (c->warnings, _("two codes named “%s” under the same parent: the second is now “%s”"), clean, unique);
  g_hash_table_add (s->taken, g_strdup (unique));
  return g_steal_pointer (&unique);
}

static gboolean
import_code (Codes       *c,
             CwXmlEl     *node,
             gint64       parent_id,
             GError     **error)
{
  g_autofree char *raw_guid = attr (node, "guid");
  g_autofree char *ref = ref_key (raw_guid);
  g_autofree char *key = guid_key (raw_guid);
  gint64 id = 0;

  if (ref != NULL && g_hash_table_contains (c->by_ref, ref))
    {
      warn (c->warnings, _("the GUID %s is used by two codes; the second was given a new one"), raw_guid);
      g_clear_pointer (&ref, g_free);
      g_clear_pointer (&key, g_free);
    }

  if (key != NULL && (id = lookup_id (c->by_guid, key)) > 0)
    c->matched++;
  else
    {
      Siblings *s = get_siblings (c, parent_id);
      g_autofree char *raw_name = attr (node, "name");
      g_autofree char *name = code_name (c, s, raw_name, raw_guid);

      id = lookup_id (s->names, name);
      if (id > 0)
        c->matched++;
      else
        {
          g_autofree char *raw_color = attr (node, "color");
          g_autofree char *color = cw_code_normalize_color (raw_color);
          g_autofree char *description = description_of (node);
          g_autofree char *codable_text = attr (node, "isCodable");
          g_autofree char *guid = NULL;
          gboolean codable = TRUE;

          if (key == NULL)
            {
              guid = g_uuid_string_random ();
              c->bad_guids++;
            }
          else
            guid = g_strdup (key);
          if (raw_color != NULL && color == NULL)
            warn (c->warnings, _("code “%s”: “%s” is not a colour (#RRGGBB); a default colour was used"),
                  name, raw_color);
          if (codable_text != NULL)
            {
              g_strstrip (codable_text);
              codable = !(g_ascii_strcasecmp (codable_text, "false") == 0 || strcmp (codable_text, "0") == 0);
            }
          id = insert_code (c, parent_id, guid, name, color, description, codable, error);
          if (id == 0)
            return FALSE;
          c->added++;
        }
    }

  if (ref != NULL)
    insert_id (c->by_ref, ref, id);
  add_note_refs_of (c->note_refs, node, CW_MEMO_CODE, id);

  FOR_EACH_EL (child, node, "Code")
    if (!import_code (c, child, id, error))
      return FALSE;
  return TRUE;
}

static gboolean
import_codes (Codes       *c,
              CwXmlEl     *codebook,
              GError     **error)
{
  CwXmlEl *codes = first_el (codebook, "Codes");

  FOR_EACH_EL (code, codes, "Code")
    if (!import_code (c, code, 0, error))
      return FALSE;
  return TRUE;
}

/* Warns about a root whose namespace is not the standard's. */
static void
check_namespace (CwXmlEl    *root,
                 const char *expected,
                 const char *what,
                 GPtrArray  *warnings)
{
  if (root->uri == NULL)
    warn (warnings, _("the %s has no namespace (expected %s); read anyway"), what, expected);
  else if (strcmp (root->uri, expected) != 0)
    warn (warnings, _("the %s uses the namespace %s instead of %s; read anyway"),
          what, root->uri, expected);
}

/* ---- .qdc ---- */

static GBytes *
read_file_capped (const char  *path,
                  gsize        cap,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local = NULL;
  char *contents = NULL;
  gsize length = 0;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local);
  if (info == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, _("cannot read the file: %s"), local->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, _("not a regular file"));
      return NULL;
    }
  if ((guint64) g_file_info_get_size (info) > cap)
    {
      g_autofree char *limit = g_format_size (cap);

      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, path, 0, _("the file is larger than %s"), limit);
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, _("cannot read the file: %s"), local->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

static void
warn_code_sets (CwXmlEl   *sets,
                gboolean   codebook,
                GPtrArray *warnings)
{
  g_autoptr(GString) names = g_string_new (NULL);
  guint n = 0;

  if (sets == NULL)
    return;
  if (first_el (sets, "Set") == NULL)
    {
      warn (warnings, _("an empty <Sets> element (not valid against the schema) was ignored"));
      return;
    }
  FOR_EACH_EL (set, sets, "Set")
    {
      g_autofree char *name = NULL;

      if (first_el (set, "MemberCode") == NULL || (!codebook && first_el (set, "MemberSource") != NULL))
        continue;
      name = attr (set, "name");
      if (n++ < 5)
        g_string_append_printf (names, "%s“%s”", names->len ? ", " : "", name != NULL ? name : "");
    }
  if (n > 0)
    warn (warnings, g_dngettext (GETTEXT_PACKAGE, "%u code group is not kept (Codewerk has none): %s%s",
                                 "%u code groups are not kept (Codewerk has none): %s%s", n),
          n, names->str, n > 5 ? ", …" : "");
}

gboolean
cw_refi_import_codebook (CwProject   *project,
                         const char  *path,
                         guint       *added,
                         guint       *matched,
                         GPtrArray   *warnings,
                         GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CwXmlTree) doc = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *label = NULL;
  CwXmlEl *root, *codebook;
  Codes c;
  gsize size;
  const char *data;

  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (added != NULL)
    *added = 0;
  if (matched != NULL)
    *matched = 0;

  if ((bytes = read_file_capped (path, CW_IMPORT_MAX_FILE_BYTES, error)) == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  if ((doc = cw_xml_parse_tree (data, size, NULL, path, error)) == NULL)
    return FALSE;

  root = cw_xml_tree_get_root (doc);
  /* A project.qde handed in as a codebook: its CodeBook is one. */
  if (root != NULL && is_el (root, "Project") && first_el (root, "CodeBook") != NULL)
    codebook = first_el (root, "CodeBook");
  else if (root != NULL && is_el (root, "CodeBook"))
    codebook = root;
  else
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, path, 0,
                           _("not a REFI-QDA codebook (the root element is <%s>, not <CodeBook>)"),
                           root != NULL ? root->name : "");
      return FALSE;
    }
  if (first_el (codebook, "Codes") == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, path, 0,
                           _("not a REFI-QDA codebook (no <Codes> element)"));
      return FALSE;
    }
  if (codebook == root)
    check_namespace (root, "urn:QDA-XML:codebook:1.0", _("codebook"), warnings);

  basename = g_path_get_basename (path);
  label = g_strdup_printf (_("Import codebook “%s”"), basename);
  if (!_cw_project_begin_step (project, label, error))
    return FALSE;
  if (!codes_init (&c, project, warnings, error))
    {
      _cw_project_abort_step (project);
      codes_clear (&c);
      return FALSE;
    }
  if (!import_codes (&c, codebook, error) || !_cw_project_end_step (project, error))
    {
      _cw_project_abort_step (project);
      codes_clear (&c);
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  if (c.bad_guids > 0)
    warn (warnings, g_dngettext (GETTEXT_PACKAGE, "%u code had no valid GUID and was given a new one",
                                 "%u codes had no valid GUID and were given new ones", c.bad_guids),
          c.bad_guids);
  warn_code_sets (codebook == root ? first_el (root, "Sets") : NULL, TRUE, warnings);

  if (added != NULL)
    *added = c.added;
  if (matched != NULL)
    *matched = c.matched;
  codes_clear (&c);
  return TRUE;
}

/* ---- text: units, alignment, normalisation ---- */

/* Word-at-a-time tests on 8 bytes (the texts are megabytes, mostly ASCII):
 * whether any byte is >= 0x80, < n (n <= 0x80), or equal to c. */
#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

static inline guint64
load_word (const char *p)
{
  guint64 w;

  memcpy (&w, p, sizeof w);
  return w;
}

static inline gboolean
word_has_high (guint64 w)
{
  return (w & HIGHS) != 0;
}

static inline gboolean
word_has_less (guint64 w,
               guint   n)
{
  return ((w - ONES * n) & ~w & HIGHS) != 0;
}

static inline gboolean
word_has_byte (guint64 w,
               guchar  c)
{
  return word_has_less (w ^ (ONES * c), 1);
}

/* Whether any byte is 0xF0 or more: a UTF-8 lead byte of a character
 * outside the BMP. */
static gboolean
has_astral (const char *s,
            gsize       len)
{
  gsize i = 0;

  for (; i + 8 <= len; i += 8)
    {
      guint64 w = load_word (s + i);

      /* Bit 7 of a byte stays set only if bits 6, 5 and 4 are set too. */
      if ((w & (w << 1) & (w << 2) & (w << 3) & HIGHS) != 0)
        return TRUE;
    }
  for (; i < len; i++)
    if ((guchar) s[i] >= 0xF0)
      return TRUE;
  return FALSE;
}

/* g_utf8_validate_len() with the ASCII between characters skipped a word
 * at a time: a valid character never contains an ASCII byte, so each run
 * of other bytes is checked on its own. NUL bytes fail, as there. */
static gboolean
utf8_validate_fast (const char *s,
                    gsize       len)
{
  const char *p = s, *end = s + len;

  while (p < end)
    {
      const char *q;

      while (end - p >= 8 && !word_has_high (load_word (p)) && !word_has_less (load_word (p), 1))
        p += 8;
      while (p < end && (guchar) *p < 0x80)
        {
          if (*p == '\0')
            return FALSE;
          p++;
        }
      for (q = p; q < end && (guchar) *q >= 0x80; q++)
        ;
      if (q > p && !g_utf8_validate_len (p, q - p, NULL))
        return FALSE;
      p = q;
    }
  return TRUE;
}

typedef struct
{
  gboolean utf16;       /* UTF-16 code units (astral characters count 2) */
  gboolean crlf_as_two; /* CRLF counts as two (else one) */
} Unit;

static char *
unit_describe (Unit unit)
{
  return g_strdup_printf ("%s, %s",
                          unit.utf16 ? _("UTF-16 code units") : _("code points"),
                          unit.crlf_as_two ? _("CRLF as two") : _("CRLF as one"));
}

static gboolean
is_word_char (gunichar c)
{
  return c != 0 && (g_unichar_isalnum (c) || g_unichar_ismark (c));
}

/* Resolves the sorted positions pos[0..n) (in unit) to indexes of code
 * points in raw: raw_index[k] (-1 past the end) and whether that spot is
 * between words (clean[k]). Stops reading once all are found. */
static void
resolve_positions (const char   *raw,
                   gsize         len,
                   Unit          unit,
                   const gint64 *pos,
                   guint         n,
                   gint64       *raw_index,
                   gboolean     *clean)
{
  const char *p = raw, *end = raw + len;
  gint64 units = 0, index = 0;
  gunichar prev = 0;
  guint k = 0;

  while (p < end && k < n)
    {
      gunichar c;
      const char *next;
      gint64 width = 1, chars = 1;

      /* Plain ASCII before the next position: a byte is a character and a
       * unit whatever the unit. */
      if (units < pos[k] && (guchar) *p < 0x80 && *p != '\r')
        {
          const char *q = p;
          const char *stop = p + (gsize) MIN ((guint64) (end - p), (guint64) (pos[k] - units));

          while (stop - q >= 8 && !word_has_high (load_word (q)) && !word_has_byte (load_word (q), '\r'))
            q += 8;
          while (q < stop && (guchar) *q < 0x80 && *q != '\r')
            q++;
          units += q - p;
          index += q - p;
          prev = (guchar) q[-1];
          p = q;
          continue;
        }
      c = g_utf8_get_char (p);
      next = g_utf8_next_char (p);

      if (c == '\r' && next < end && *next == '\n' && !unit.crlf_as_two)
        {
          next++;
          chars = 2;
        }
      else if (unit.utf16 && c > 0xFFFF)
        width = 2;

      for (; k < n && pos[k] == units; k++)
        {
          raw_index[k] = index;
          clean[k] = !(is_word_char (prev) && is_word_char (c));
        }
      /* Inside a surrogate pair: no character boundary at all. */
      for (; k < n && pos[k] < units + width; k++)
        {
          raw_index[k] = index;
          clean[k] = FALSE;
        }

      units += width;
      index += chars;
      prev = chars == 2 ? '\n' : c;
      p = next;
    }
  for (; k < n && pos[k] == units; k++)
    {
      raw_index[k] = index;
      clean[k] = TRUE;
    }
  for (; k < n; k++)
    {
      raw_index[k] = -1;
      clean[k] = FALSE;
    }
}

/* Code points NFC leaves alone whatever surrounds them (as in
 * cw-document-builder.c). */
static inline gboolean
nfc_inert (gunichar c)
{
  return c < 0x300 ||
         (c >= 0x2010 && c <= 0x205E) ||
         (c >= 0x20A0 && c <= 0x20C0) ||
         c == 0xFEFF || c == 0xFFFD ||
         (c >= 0x1F000 && c <= 0x1FAFF);
}

static inline void
append_clean_char (GString    *out,
                   const char *p,
                   gsize       n,
                   gunichar    c)
{
  /* Control characters become a space (one for one, so no offset moves);
   * form feeds and vertical tabs are line breaks, as in the importers. */
  if (c >= 0x20 && c < 0x7F)
    g_string_append_c (out, (char) c);
  else if (c == '\f' || c == '\v')
    g_string_append_c (out, '\n');
  else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0))
    g_string_append_c (out, ' ');
  else
    g_string_append_len (out, p, n);
}

/* The stored text: CRLF and CR become LF, NFC (per starter and its
 * combining marks: composition across starters, Hangul jamo, is not done),
 * control characters spaces. need[0..n) are sorted code point indexes in
 * raw; out_pos[k] receives where need[k] lands in the result. */
static char *
normalize_text (const char   *raw,
                gsize         len,
                const gint64 *need,
                guint         n,
                gint64       *out_pos,
                gint64       *characters)
{
  GString *out = g_string_sized_new (len + 1);
  const char *p = raw, *end = raw + len;
  gint64 index = 0, o = 0;
  guint k = 0;

  while (p < end)
    {
      gunichar c;
      const char *q;
      gint64 chars = 1, made;
      gboolean inert;

      for (; k < n && need[k] == index; k++)
        out_pos[k] = o;

      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          o++;
          index++;
          p++;
          if (p < end && *p == '\n')
            {
              /* Between CR and LF: after the line break. */
              for (; k < n && need[k] == index; k++)
                out_pos[k] = o;
              index++;
              p++;
            }
          continue;
        }

      /* A run of printable ASCII (none followed by a combining mark) up to
       * the next position wanted: as it is. */
      {
        const char *run = p;
        gint64 limit = k < n ? need[k] : G_MAXINT64;
        const char *stop = p + (limit > index ? (gsize) MIN ((guint64) (end - p), (guint64) (limit - index)) : 0);

        /* Eight printable bytes at a time (none of them 0x7F or more, so
         * each is followed by ASCII but perhaps the last). */
        while (run < stop)
          {
            if (stop - run >= 8)
              {
                guint64 w = load_word (run);

                if (!word_has_high (w) && !word_has_high (w + ONES) && !word_has_less (w, 0x20) &&
                    (run + 8 == end || (guchar) run[8] < 0x80))
                  {
                    run += 8;
                    continue;
                  }
              }
            if (((guchar) *run >= 0x20 || *run == '\t' || *run == '\n') && (guchar) *run < 0x7F &&
                (run + 1 == end || (guchar) run[1] < 0x80))
              run++;
            else
              break;
          }
        if (run > p)
          {
            g_string_append_len (out, p, run - p);
            o += run - p;
            index += run - p;
            p = run;
            continue;
          }
      }

      /* ASCII not followed by a combining mark: as it is. */
      if ((guchar) *p < 0x80 && (p + 1 == end || (guchar) p[1] < 0x80))
        {
          append_clean_char (out, p, 1, (guchar) *p);
          for (; k < n && need[k] == index; k++)
            out_pos[k] = o;
          o++;
          index++;
          p++;
          continue;
        }

      c = g_utf8_get_char (p);
      q = g_utf8_next_char (p);
      inert = nfc_inert (c);
      while (q < end && (guchar) *q >= 0x80)
        {
          gunichar d = g_utf8_get_char (q);

          if (g_unichar_combining_class (d) == 0)
            break;
          inert = FALSE;
          chars++;
          q = g_utf8_next_char (q);
        }

      if (inert)
        {
          append_clean_char (out, p, q - p, c);
          made = 1;
        }
      else
        {
          g_autofree char *normal = _cw_utf8_normalize_nfc (p, q - p);

          if (normal == NULL)
            normal = g_strndup (p, q - p);
          made = g_utf8_strlen (normal, -1);
          for (const char *r = normal; *r != '\0'; r = g_utf8_next_char (r))
            append_clean_char (out, r, g_utf8_next_char (r) - r, g_utf8_get_char (r));
        }

      /* Inside a sequence NFC changed in length, boundaries snap to its
       * start. */
      for (; k < n && need[k] < index + chars; k++)
        out_pos[k] = made == chars ? o + (need[k] - index) : o;

      o += made;
      index += chars;
      p = q;
    }
  for (; k < n && need[k] <= index; k++)
    out_pos[k] = o;
  for (; k < n; k++)
    out_pos[k] = -1;

  *characters = o;
  return g_string_free (out, FALSE);
}

static inline gint64
count_code_points (const char *from,
                   const char *to)
{
  const char *p = from;
  gint64 n = to - from;

  /* Bytes minus continuation bytes (10xxxxxx), eight at a time: every
   * character of every text passes here twice. */
  for (; to - p >= 8; p += 8)
    {
      guint64 w;

      memcpy (&w, p, 8);
      w = (w & ~(w << 1) & G_GUINT64_CONSTANT (0x8080808080808080)) >> 7;
      /* The bytes' sum (each 0 or 1) in the top byte. */
      n -= (gint64) ((w * G_GUINT64_CONSTANT (0x0101010101010101)) >> 56);
    }
  for (; p < to; p++)
    n -= ((guchar) *p & 0xC0) == 0x80;
  return n;
}

/* White space, and the invisible characters that are no content. */
static inline gboolean
is_blank_char (const char *p)
{
  gunichar c;

  if ((guchar) *p < 0x80)
    return *p == ' ' || (*p >= '\t' && *p <= '\r');
  c = g_utf8_get_char (p);
  return g_unichar_isspace (c) || c == 0xFEFF || c == 0x200B;
}

/* Speaker turns of the stored text, as the importers would find them
 * without removing anything: a line starting with "Name:" starts a turn,
 * other lines continue it. */
static GPtrArray *
detect_turns (const char *text)
{
  GPtrArray *turns = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_turn_free);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  CwTurn *turn = NULL;
  gboolean has_content = FALSE;
  const char *line = text;
  gint64 line_start = 0;
  guint first_recurring, drop = 0;

  for (;;)
    {
      const char *nl = strchr (line, '\n');
      const char *line_end = nl != NULL ? nl : line + strlen (line);
      g_autofree char *speaker = NULL;
      gsize utterance = 0;
      gint64 cp, content_start = -1, content_end = -1, utterance_cp;
      gboolean starts = cw_detect_speaker_label (line, &speaker, &utterance);
      const char *from = line + MIN (utterance, (gsize) (line_end - line));
      const char *first = from, *last = line_end;

      /* This sees every character of the project: count, and look at the
       * ends only. Content starts at the first non-space character after
       * the label and ends after the last one. */
      cp = count_code_points (line, line_end);
      utterance_cp = count_code_points (line, from);
      while (first < line_end && is_blank_char (first))
        first = g_utf8_next_char (first);
      if (first < line_end)
        {
          content_start = utterance_cp + count_code_points (from, first);
          do
            last = g_utf8_prev_char (last);
          while (is_blank_char (last));
          content_end = cp - count_code_points (last, line_end) + 1;
        }

      if (starts)
        {
          turn = cw_turn_new (speaker, line_start + utterance_cp, line_start + utterance_cp, -1);
          g_ptr_array_add (turns, turn);
          has_content = FALSE;
        }
      if (turn != NULL && content_start >= 0)
        {
          if (!has_content)
            turn->start = line_start + content_start;
          has_content = TRUE;
          turn->end = line_start + content_end;
        }

      if (nl == NULL)
        break;
      line_start += cp + 1;
      line = nl + 1;
    }

  /* Header lines shaped like labels ("Locatie: Almere") before anyone
   * speaks twice are no turns (as in cw-document-builder.c). */
  for (guint i = 0; i < turns->len; i++)
    {
      CwTurn *t = turns->pdata[i];

      g_hash_table_insert (counts, t->speaker,
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, t->speaker)) + 1));
    }
  first_recurring = turns->len;
  for (guint i = 0; i < turns->len && first_recurring == turns->len; i++)
    if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, ((CwTurn *) turns->pdata[i])->speaker)) > 1)
      first_recurring = i;
  if (first_recurring < turns->len)
    {
      for (guint i = 0; i < first_recurring; i++)
        {
          if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, ((CwTurn *) turns->pdata[i])->speaker)) != 1)
            break;
          drop = i + 1;
        }
      if (drop > 0)
        g_ptr_array_remove_range (turns, 0, drop);
    }
  return turns;
}

/* ---- .qdpx ---- */

typedef struct
{
  gint64  id;
  gint64  characters;
  char   *name;
} Doc;

static void
doc_free (Doc *doc)
{
  g_free (doc->name);
  g_free (doc);
}

typedef struct
{
  gint64 document_id;
  gint64 coding_id;   /* the first coding, 0 if none */
} SelectionTarget;

typedef enum
{
  STREAM_SCAN_PENDING,
  STREAM_SCAN_DONE,     /* the whole file was read: its scan is complete */
  STREAM_SCAN_FAILED,   /* the stream stopped: the reading thread scans */
} StreamScan;

static void scan_free (gpointer scan);

typedef struct
{
  gint64 id;
  char   type;        /* 'n'umeric, 't'ext, 'd'ate */
} Variable;

typedef struct
{
  CwProject      *project;
  const char     *filename;
  GPtrArray      *warnings;
  GBytes         *zip;
  GPtrArray      *entries;
  GMutex          read_lock;    /* prefetched, budget and the two below */
  GCond           read_cond;    /* an entry was read, or reading ended */
  gboolean        prefetch_done;
  GError         *prefetch_error;
  gint            abort;        /* atomic: stop reading ahead */
  GHashTable     *prefetched;   /* entry name -> GBytes, read in one pass */
  guint64         budget;       /* bytes the archive may still inflate to */
  guint64         qde_cap;      /* what project.qde alone may inflate to */
  const char     *qde_name;     /* its name in the archive (in entries) */
  GBytes         *qde;          /* project.qde, once qde_ready (NULL: unreadable) */
  gboolean        qde_ready;
  /* project.qde as it is being inflated, for the stream (read_qde_chunk) */
  gboolean        qde_publishing;
  const guchar   *qde_partial;
  gsize           qde_partial_len;
  /* Texts read ahead (see read_ahead), under read_lock. */
  GHashTable     *speculative;  /* entry name -> GBytes, not yet counted */
  GHashTable     *spec_names;   /* every name read ahead, taken or not */
  gboolean        speculative_done;
  guint64         speculative_cap;
  /* Storing before the first pass's verdict (see read_job_thread), the
   * streaming pass makes the first pass too, as it goes; under read_lock. */
  gboolean        stream_scans;   /* set before the threads start */
  StreamScan      stream_scan;
  gboolean        scan_now;       /* a text that was not read ahead is wanted */
  gpointer        stream_result;  /* Scan, once STREAM_SCAN_DONE (owned) */
  char           *now;
  Unit            guess;
  gboolean        known_unit;   /* our own export: no need to guess */
  Codes           codes;
  GPtrArray      *note_refs;    /* NoteRef */

  GHashTable     *used_coders;  /* GUIDs per table */
  GHashTable     *used_documents;
  GHashTable     *used_codings;
  GHashTable     *used_memos;
  GHashTable     *used_groups;
  GHashTable     *used_cases;
  GHashTable     *used_variables;

  GHashTable     *users;        /* ref_key -> coder id */
  GHashTable     *coder_names;
  gint64          unknown_coder;
  GHashTable     *documents;    /* ref_key -> Doc */
  GHashTable     *document_names;
  GHashTable     *selections;   /* ref_key -> SelectionTarget */
  GHashTable     *codings;      /* ref_key -> coding id */
  GHashTable     *notes;        /* ref_key of every Note */
  GHashTable     *variables;    /* ref_key -> Variable */
  GHashTable     *variable_names;
  GHashTable     *case_names;   /* identifier -> case id */
  GHashTable     *document_cases; /* document id (as string) -> case id made from a document */
  GHashTable     *case_links;   /* "case:document" */
  GHashTable     *missing;      /* ref_key -> id of a "Missing code" */
  gint64          missing_category;
  gint64          first_document;
  gboolean        indexed;      /* the parsing thread's index was copied in */
  /* The project is new: rows get ids from here on, so that codings and
   * turns can go in batches. */
  gint64          last_coding;
  gint64          last_speaker;
  GHashTable     *coding_ranges; /* CodingRange -> id: one coding per range */
  Batch           coding_rows;
  Batch           turn_rows;
  int             file_fd;      /* the new file, to start writing it out early */
  GThread        *writer;       /* does that (see start_writing_out) */
  GAsyncQueue    *write_requests;
  gsize           unwritten;    /* text stored since */

  guint           n_sources;
  guint           n_missing_refs;
  guint           n_bad_ranges;
  guint           n_no_coderef;
  guint           n_bad_guids;
  guint           n_misaligned; /* the parsing thread's while it runs */
  gint64          n_prepared;   /* text sources given an id (same) */
  guint           n_unnamed_sources;
  guint           n_unknown_variables;
  guint           n_unknown_sources;
  guint           n_dangling_notes;
  guint           n_case_refs;
  guint           n_skipped[4];     /* per skipped_kinds */
  GString        *skipped_names[4];

  /* Streaming */
  CwProgressFunc  progress;
  gpointer        progress_data;
  GCancellable   *cancellable;
  guint           n_done;
  gboolean        head_done;
} Import;

#define WRITE_OUT  GINT_TO_POINTER (1)
#define WRITE_STOP GINT_TO_POINTER (2)

static gpointer
writer_thread (gpointer data)
{
  Import *im = data;

  for (;;)
    {
      gpointer request = g_async_queue_pop (im->write_requests), more;

      /* What piled up meanwhile is one request. */
      while (request != WRITE_STOP && (more = g_async_queue_try_pop (im->write_requests)) != NULL)
        request = more;
      if (request == WRITE_STOP)
        return NULL;
#ifdef __linux__
      sync_file_range (im->file_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
    }
}

static void
stop_writer (Import *im)
{
  if (im->writer == NULL)
    return;
  g_async_queue_push (im->write_requests, WRITE_STOP);
  g_thread_join (g_steal_pointer (&im->writer));
  g_clear_pointer (&im->write_requests, g_async_queue_unref);
}

static void
import_clear (Import *im)
{
  g_clear_pointer (&im->stream_result, scan_free);
  stop_writer (im);
  if (im->file_fd >= 0)
    close (im->file_fd);
  im->file_fd = -1;
  g_mutex_clear (&im->read_lock);
  g_cond_clear (&im->read_cond);
  g_clear_error (&im->prefetch_error);
  g_clear_pointer (&im->coding_ranges, g_hash_table_unref);
  batch_clear (&im->coding_rows);
  batch_clear (&im->turn_rows);
  codes_clear (&im->codes);
  g_clear_pointer (&im->now, g_free);
  g_clear_pointer (&im->entries, g_ptr_array_unref);
  g_clear_pointer (&im->prefetched, g_hash_table_unref);
  g_clear_pointer (&im->qde, g_bytes_unref);
  g_clear_pointer (&im->speculative, g_hash_table_unref);
  g_clear_pointer (&im->spec_names, g_hash_table_unref);
  g_clear_pointer (&im->note_refs, g_ptr_array_unref);
  g_clear_pointer (&im->used_coders, g_hash_table_unref);
  g_clear_pointer (&im->used_documents, g_hash_table_unref);
  g_clear_pointer (&im->used_codings, g_hash_table_unref);
  g_clear_pointer (&im->used_memos, g_hash_table_unref);
  g_clear_pointer (&im->used_groups, g_hash_table_unref);
  g_clear_pointer (&im->used_cases, g_hash_table_unref);
  g_clear_pointer (&im->used_variables, g_hash_table_unref);
  g_clear_pointer (&im->users, g_hash_table_unref);
  g_clear_pointer (&im->coder_names, g_hash_table_unref);
  g_clear_pointer (&im->documents, g_hash_table_unref);
  g_clear_pointer (&im->document_names, g_hash_table_unref);
  g_clear_pointer (&im->selections, g_hash_table_unref);
  g_clear_pointer (&im->codings, g_hash_table_unref);
  g_clear_pointer (&im->notes, g_hash_table_unref);
  g_clear_pointer (&im->variables, g_hash_table_unref);
  g_clear_pointer (&im->variable_names, g_hash_table_unref);
  g_clear_pointer (&im->case_names, g_hash_table_unref);
  g_clear_pointer (&im->document_cases, g_hash_table_unref);
  g_clear_pointer (&im->case_links, g_hash_table_unref);
  g_clear_pointer (&im->missing, g_hash_table_unref);
  for (guint i = 0; i < G_N_ELEMENTS (im->skipped_names); i++)
    if (im->skipped_names[i] != NULL)
      g_string_free (g_steal_pointer (&im->skipped_names[i]), TRUE);
}

static GHashTable *
id_table_new (void)
{
  return key_table_new (NULL);
}

/* -- the archive -- */

static void
set_budget_error (Import  *im,
                  GError **error)
{
  cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, im->filename, 0,
                       _("the archive unpacks to more than is sane for its size; "
                         "it is damaged or a decompression bomb"));
}

/* Refuses an archive whose entries say they unpack to more than the
 * budget, before anything is inflated: sixteen entries of just under the
 * cap of one would otherwise all be read (and parsed) first. Sizes that
 * lie are caught as the data comes. */
static gboolean
check_declared_sizes (Import  *im,
                      GError **error)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  gsize size;
  const void *data = g_bytes_get_data (im->zip, &size);
  guint64 total = 0;
  gboolean ok = TRUE;

  archive_read_support_format_zip_seekable (archive);
  if (archive_read_open_memory (archive, data, size) == ARCHIVE_OK)
    while (archive_read_next_header (archive, &entry) == ARCHIVE_OK)
      if (archive_entry_filetype (entry) == AE_IFREG && archive_entry_size_is_set (entry) &&
          archive_entry_size (entry) > 0)
        {
          total += (guint64) archive_entry_size (entry);
          if (total > im->budget)
            {
              set_budget_error (im, error);
              ok = FALSE;
              break;
            }
        }
  archive_read_free (archive);
  return ok;
}

/* What one entry may inflate to. project.qde may be larger than a text:
 * 200,000 codings take 68 MB of XML, compressed to 12 MB. */
static guint64
entry_cap (Import     *im,
           const char *name)
{
  if (im->qde_name != NULL && g_strcmp0 (name, im->qde_name) == 0)
    return MIN (im->qde_cap, im->budget);
  return MIN ((guint64) CW_IMPORT_MAX_ENTRY_BYTES, im->budget);
}

static GBytes *read_entry_unread (Import *im, const char *name, GError **error);
static gboolean prefetch_entries (Import *im, GHashTable *wanted, GError **error);

static GBytes *
read_entry (Import      *im,
            const char  *name,
            GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&im->read_lock);
  GBytes *bytes;

  for (;;)
    {
      g_autofree char *key = NULL;

      if (im->prefetched != NULL &&
          g_hash_table_steal_extended (im->prefetched, name, (gpointer *) &key, (gpointer *) &bytes))
        return bytes; /* counted when it was read */
      if (im->speculative != NULL &&
          g_hash_table_steal_extended (im->speculative, name, (gpointer *) &key, (gpointer *) &bytes))
        {
          /* Read ahead, counted now: the caps prefetch_entries() applies. */
          if ((guint64) g_bytes_get_size (bytes) > MIN ((guint64) CW_IMPORT_MAX_ENTRY_BYTES, im->budget))
            {
              g_bytes_unref (bytes);
              set_budget_error (im, error);
              return NULL;
            }
          im->budget -= g_bytes_get_size (bytes);
          return bytes;
        }
      if (im->prefetch_done && (im->speculative == NULL || im->speculative_done))
        break;
      if (im->stream_scans && im->speculative_done && im->stream_scan == STREAM_SCAN_PENDING && !im->scan_now)
        {
          /* Not read ahead: the reading thread reads it after the first
           * pass, which it would take from the stream that now waits for
           * this text. It makes the pass itself instead, as it did before. */
          im->scan_now = TRUE;
          g_cond_broadcast (&im->read_cond);
        }
      /* The reading thread may be about to get to it. */
      g_cond_wait (&im->read_cond, &im->read_lock);
    }
  return read_entry_unread (im, name, error);
}

/* project.qde: read in the reading thread before any other entry. */
static GBytes *
read_project_file (Import      *im,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;
  GBytes *bytes;

  g_hash_table_add (wanted, (gpointer) name);
  if (!prefetch_entries (im, wanted, error))
    return NULL;
  locker = g_mutex_locker_new (&im->read_lock);
  if (g_hash_table_steal_extended (im->prefetched, name, (gpointer *) &key, (gpointer *) &bytes))
    return bytes;
  return read_entry_unread (im, name, error);
}

/* An entry no thread has read: from the archive, now (read_lock held). */
static GBytes *
read_entry_unread (Import      *im,
                   const char  *name,
                   GError     **error)
{
  GBytes *bytes;
  guint64 cap;

  if (im->prefetch_error != NULL)
    {
      /* Whatever is read next, the import is refused for this. */
      g_propagate_error (error, g_error_copy (im->prefetch_error));
      return NULL;
    }
  cap = entry_cap (im, name);

  bytes = cw_zip_read_entry (im->zip, name, (gsize) cap, im->filename, error);
  if (bytes == NULL)
    {
      /* The total budget ran out rather than the entry's own cap. */
      if (cap == im->budget && error != NULL && *error != NULL &&
          g_error_matches (*error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_TOO_LARGE))
        {
          g_clear_error (error);
          set_budget_error (im, error);
        }
      return NULL;
    }
  im->budget -= MIN (im->budget, g_bytes_get_size (bytes));
  {
    /* With a NUL after the end, like the prefetched ones. */
    gsize len;
    const char *data = g_bytes_get_data (bytes, &len);
    char *copy = g_malloc (len + 1);

    memcpy (copy, data, len);
    copy[len] = '\0';
    g_bytes_unref (bytes);
    return g_bytes_new_take (copy, len);
  }
}

/* Finds the archive entry a plainTextPath names. Returns FALSE with error
 * for a path that tries to leave the archive; TRUE with *entry NULL and
 * *why set when there is no such file inside the archive. */
static gboolean
locate_text (Import      *im,
             const char  *path,
             const char  *label,
             const char **entry,
             char       **why,
             GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *unescaped = NULL;
  const char *scheme_end = strstr (path, "://");
  const char *candidates[2];

  *entry = NULL;
  *why = NULL;

  if (scheme_end != NULL)
    {
      if (g_ascii_strncasecmp (path, "internal", scheme_end - path) != 0 || scheme_end - path != 8)
        {
          *why = g_strdup_printf (_("source “%s” refers to a file outside the archive (%s): skipped"), label, path);
          return TRUE;
        }
      name = g_strdup (scheme_end + 3);
    }
  else
    name = g_strdup (path); /* qc writes a bare file name */

  unescaped = g_uri_unescape_string (name, NULL);
  candidates[0] = name;
  candidates[1] = unescaped;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *in_sources = NULL;
      const char *c = candidates[i];

      if (c == NULL)
        continue;
      in_sources = g_strconcat ("sources/", c, NULL);
      /* An absolute path would stay "inside" under sources/, but it was
       * written to reach a file on this computer. */
      if (*c == '\0' || !cw_zip_entry_name_is_safe (c) || !cw_zip_entry_name_is_safe (in_sources))
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, im->filename, 0,
                               _("source “%s”: the path %s would leave the archive's sources folder"),
                               label, path);
          return FALSE;
        }
      /* cw_zip_find_entry ignores case: NVivo for Windows writes Sources/. */
      if ((*entry = cw_zip_find_entry (im->entries, in_sources)) != NULL ||
          (*entry = cw_zip_find_entry (im->entries, c)) != NULL)
        return TRUE;
    }
  *why = g_strdup_printf (_("source “%s”: its text file %s is missing from the archive: skipped"), label, path);
  return TRUE;
}

/* Reads the entries named in wanted in one pass over the archive, with
 * the caps cw_zip_read_entry() applies (per entry, and the budget for all):
 * looking each one up on its own would read the archive's directory once
 * per source. */
static gboolean
prefetch_entries (Import      *im,
                  GHashTable  *wanted,
                  GError     **error)
{
  struct archive *archive;
  struct archive_entry *entry;
  gsize size;
  const void *data = g_bytes_get_data (im->zip, &size);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;
  int rc;

  g_mutex_lock (&im->read_lock);
  if (im->prefetched == NULL)
    im->prefetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_mutex_unlock (&im->read_lock);
  if (g_hash_table_size (wanted) == 0)
    return TRUE;

  archive = archive_read_new ();
  archive_read_support_format_zip_seekable (archive);
  if (archive_read_open_memory (archive, data, size) != ARCHIVE_OK)
    {
      archive_read_free (archive);
      return TRUE; /* each read then fails with cw-zip's own message */
    }
  while (ok && ((rc = archive_read_next_header (archive, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN))
    {
      const char *name = archive_entry_pathname_utf8 (entry);
      g_autofree guchar *buffer = NULL;
      gsize alloc, len = 0;
      guint64 cap;
      gboolean read_ahead, publish;

      if (g_atomic_int_get (&im->abort))
        break;
      if (name == NULL)
        name = archive_entry_pathname (entry);
      /* The first of two same-named entries, as cw_zip_read_entry() does. */
      if (name == NULL || !g_hash_table_contains (wanted, name) || g_hash_table_contains (seen, name) ||
          archive_entry_filetype (entry) != AE_IFREG || archive_entry_is_encrypted (entry))
        continue;
      g_hash_table_add (seen, g_strdup (name));
      g_mutex_lock (&im->read_lock);
      read_ahead = im->spec_names != NULL && g_hash_table_contains (im->spec_names, name);
      cap = entry_cap (im, name);
      publish = im->qde_publishing && strcmp (name, im->qde_name) == 0;
      g_mutex_unlock (&im->read_lock);
      if (read_ahead)
        continue; /* read_entry() counts it when it takes it */

      /* Read straight into a buffer of the size the directory gives (with
       * room for a NUL after the end); sizes that lie are caught as the
       * data comes. */
      alloc = (archive_entry_size_is_set (entry) && archive_entry_size (entry) >= 0 &&
               (guint64) archive_entry_size (entry) <= cap ? (gsize) archive_entry_size (entry) : 0) + 1;
      buffer = g_malloc (alloc);
      for (;;)
        {
          la_ssize_t n;

          if (len + 1 == alloc)
            {
              guchar probe;

              if ((guint64) len >= cap)
                {
                  /* Full at the cap: one more byte is one too many. */
                  n = archive_read_data (archive, &probe, 1);
                  if (n > 0)
                    {
                      set_budget_error (im, error);
                      ok = FALSE;
                      break;
                    }
                }
              else
                {
                  alloc = (gsize) MIN ((guint64) MAX (alloc * 2, 64 * 1024), cap + 1);
                  /* Not while the stream copies from it. */
                  if (publish)
                    g_mutex_lock (&im->read_lock);
                  buffer = g_realloc (buffer, alloc);
                  if (publish)
                    {
                      im->qde_partial = buffer;
                      g_mutex_unlock (&im->read_lock);
                    }
                  continue;
                }
            }
          else
            n = archive_read_data (archive, buffer + len,
                                   publish ? MIN (alloc - 1 - len, QDE_CHUNK_BYTES) : alloc - 1 - len);
          if (n == 0)
            break;
          if (n < 0)
            {
              const char *reason = archive_error_string (archive);

              cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, im->filename, 0,
                                   _("damaged zip archive: cannot unpack %s (%s)"), name,
                                   reason ? reason : _("read error"));
              ok = FALSE;
              break;
            }
          len += n;
          if (publish)
            {
              /* What the stream may parse already. */
              g_mutex_lock (&im->read_lock);
              im->qde_partial = buffer;
              im->qde_partial_len = len;
              g_cond_broadcast (&im->read_cond);
              g_mutex_unlock (&im->read_lock);
            }
        }
      if (publish && !ok)
        {
          /* Freed below: the stream waits for the verdict instead. */
          g_mutex_lock (&im->read_lock);
          im->qde_partial = NULL;
          g_mutex_unlock (&im->read_lock);
        }
      if (!ok)
        break;
      buffer[len] = '\0';
      g_mutex_lock (&im->read_lock);
      im->budget -= MIN (im->budget, len);
      g_hash_table_insert (im->prefetched, g_strdup (name), g_bytes_new_take (g_steal_pointer (&buffer), len));
      g_cond_broadcast (&im->read_cond);
      g_mutex_unlock (&im->read_lock);
    }
  archive_read_free (archive);
  return ok;
}

/* Whether an entry likely holds a source's text: REFI-QDA exporters write
 * them as sources/NAME.txt. */
static gboolean
likely_text_entry (const char *name)
{
  gsize len = strlen (name);

  return len > 12 && g_ascii_strncasecmp (name, "sources/", 8) == 0 && g_ascii_strcasecmp (name + len - 4, ".txt") == 0;
}

/* Reads the entries that likely hold the texts, in one pass, before the
 * first pass over project.qde: the parsing thread then need not wait for
 * that pass to know which texts it wants. Only entries that inflate to
 * exactly the size their header gives, within the caps, are kept; anything
 * else is left to prefetch_entries(), which reports it. What is kept counts
 * against the budget when read_entry() takes it. */
static void
read_ahead (Import *im)
{
  struct archive *archive = archive_read_new ();
  struct archive_entry *entry;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gsize size;
  const void *zip = g_bytes_get_data (im->zip, &size);
  guint64 total = 0;
  int rc;

  archive_read_support_format_zip_seekable (archive);
  if (archive_read_open_memory (archive, zip, size) == ARCHIVE_OK)
    while (!g_atomic_int_get (&im->abort) && total < READ_AHEAD_TOTAL_BYTES &&
           ((rc = archive_read_next_header (archive, &entry)) == ARCHIVE_OK || rc == ARCHIVE_WARN))
      {
        const char *name = archive_entry_pathname_utf8 (entry);
        gint64 declared;
        guchar *buffer, probe;
        gsize len = 0;
        gboolean whole = TRUE;

        if (name == NULL)
          name = archive_entry_pathname (entry);
        /* Only the first of same-named entries is ever read. */
        if (name == NULL || g_hash_table_contains (seen, name))
          continue;
        g_hash_table_add (seen, g_strdup (name));
        if (archive_entry_filetype (entry) != AE_IFREG || archive_entry_is_encrypted (entry) ||
            !archive_entry_size_is_set (entry) || !likely_text_entry (name) || !cw_zip_entry_name_is_safe (name))
          continue;
        declared = archive_entry_size (entry);
        /* Bounded: entries nobody wants are read too, and held till the end. */
        if (declared <= 0 || (guint64) declared > MIN (im->speculative_cap, READ_AHEAD_ENTRY_BYTES) ||
            total + (guint64) declared > READ_AHEAD_TOTAL_BYTES)
          continue;
        total += (guint64) declared;
        buffer = g_malloc ((gsize) declared + 1);
        while (whole && len < (gsize) declared)
          {
            la_ssize_t n = archive_read_data (archive, buffer + len, (gsize) declared - len);

            if (n <= 0)
              whole = FALSE;
            else
              len += n;
          }
        if (!whole || archive_read_data (archive, &probe, 1) != 0)
          {
            g_free (buffer);
            continue;
          }
        buffer[len] = '\0';
        g_mutex_lock (&im->read_lock);
        g_hash_table_add (im->spec_names, g_strdup (name));
        g_hash_table_insert (im->speculative, g_strdup (name), g_bytes_new_take (buffer, len));
        g_cond_broadcast (&im->read_cond);
        g_mutex_unlock (&im->read_lock);
      }
  archive_read_free (archive);
  g_mutex_lock (&im->read_lock);
  im->speculative_done = TRUE;
  g_cond_broadcast (&im->read_cond);
  g_mutex_unlock (&im->read_lock);
}

/* The text of a source file: a leading BOM stripped, line ends kept (they
 * are counted). NULL with a warning if it cannot be read as text. */
static char *
decode_source (GBytes      *bytes,
               const char  *label,
               GPtrArray   *warnings)
{
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) local = NULL;
  g_autofree char *decoded = NULL;

  if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
    {
      decoded = g_convert ((const char *) data + 2, len - 2, "UTF-8",
                           data[0] == 0xFF ? "UTF-16LE" : "UTF-16BE", NULL, NULL, NULL);
      if (decoded != NULL && strlen (decoded) > 0)
        return g_steal_pointer (&decoded);
    }
  else
    {
      if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
        {
          data += 3;
          len -= 3;
        }
      if (utf8_validate_fast ((const char *) data, len))
        return g_strndup ((const char *) data, len);
    }

  /* Not UTF-8 (or broken UTF-16): the importers' decoder, which reads
   * Windows-1252. It normalises line ends, so CRLF can no longer be told
   * apart; the alignment check still runs. */
  decoded = cw_import_decode_text (bytes, label, &local);
  if (decoded == NULL)
    {
      warn (warnings, _("source “%s” cannot be read as text (%s): skipped"), label, local->message);
      return NULL;
    }
  warn (warnings, _("source “%s” is not UTF-8; it was read as Windows-1252"), label);
  return g_steal_pointer (&decoded);
}

/* -- users -- */

static gint64
insert_coder (Import      *im,
              const char  *guid,
              const char  *name,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (im->project, "INSERT INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)", error);
  g_autofree char *stored = take_guid (im->used_coders, guid, guid != NULL ? &im->n_bad_guids : NULL);
  g_autofree char *unique = unique_name (im->coder_names, name, FALSE);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, unique, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, im->now, -1, SQLITE_STATIC);
  if (!run_done (im->project, stmt, error))
    return 0;
  g_hash_table_add (im->coder_names, g_steal_pointer (&unique));
  return last_id (im->project);
}

static gboolean
import_users (Import      *im,
              CwXmlEl     *root,
              GError     **error)
{
  guint n = 0;

  FOR_EACH_EL (user, first_el (root, "Users"), "User")
    {
      g_autofree char *guid = attr (user, "guid");
      g_autofree char *raw_name = attr (user, "name");
      g_autofree char *raw_id = attr (user, "id");
      g_autofree char *name = clean_text_name (raw_name);
      g_autofree char *key = ref_key (guid);
      gint64 id;

      n++;
      if (name == NULL)
        name = clean_text_name (raw_id);
      if (name == NULL)
        name = g_strdup_printf (_("User %u"), n);
      if ((id = insert_coder (im, guid, name, error)) == 0)
        return FALSE;
      if (key != NULL && !g_hash_table_contains (im->users, key))
        insert_id (im->users, key, id);
    }
  return TRUE;
}

/* The coder of a coding: its creatingUser, else its selection's, else
 * "Unknown coder". A user the file does not list becomes a coder too. */
static gint64
coder_for (Import      *im,
           const char  *user,
           const char  *fallback,
           GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *name = NULL;
  gint64 id;

  if (is_blank (user))
    user = fallback;
  if (is_blank (user))
    {
      if (im->unknown_coder == 0)
        im->unknown_coder = insert_coder (im, NULL, _(UNKNOWN_CODER), error);
      return im->unknown_coder;
    }
  {
    char buffer[GUID_KEY_SIZE];
    g_autofree char *other = NULL;

    if ((id = lookup_id (im->users, ref_key_in (user, buffer, &other))) > 0)
      return id;
  }
  key = ref_key (user);
  {
    g_autofree char *start = g_utf8_validate (user, -1, NULL) ? g_utf8_substring (user, 0, 8) : g_strdup ("?");

    name = g_strdup_printf (_("User %s"), start);
  }
  if ((id = insert_coder (im, user, name, error)) == 0)
    return 0;
  insert_id (im->users, key, id);
  return id;
}

/* -- memos, codings -- */

static gint64
insert_memo (Import        *im,
             const char    *guid,
             const char    *title,
             const char    *text,
             gint64         author_id,
             const char    *created,
             const char    *modified,
             CwMemoTarget   target,
             gint64         target_id,
             GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (im->project,
                         "INSERT INTO memos (guid, title, text, author_id, created_at, modified_at,"
                         " document_id, code_id, coding_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         error);
  g_autofree char *stored = take_guid (im->used_memos, guid, NULL);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 2, title);
  sqlite3_bind_text (stmt, 3, text != NULL ? text : "", -1, SQLITE_STATIC);
  bind_id_or_null (stmt, 4, author_id);
  sqlite3_bind_text (stmt, 5, created != NULL ? created : im->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, modified != NULL ? modified : created != NULL ? created : im->now, -1, SQLITE_STATIC);
  bind_id_or_null (stmt, 7, target == CW_MEMO_DOCUMENT ? target_id : 0);
  bind_id_or_null (stmt, 8, target == CW_MEMO_CODE ? target_id : 0);
  bind_id_or_null (stmt, 9, target == CW_MEMO_CODING ? target_id : 0);
  if (!run_done (im->project, stmt, error))
    return 0;
  return last_id (im->project);
}

/* The code a CodeRef names; a missing one is made under MISSING_CATEGORY. */
static gint64
code_for (Import      *im,
          const char  *target,
          GError     **error)
{
  g_autofree char *key = ref_key (target);
  g_autofree char *stored = NULL;
  g_autofree char *name = NULL;
  Siblings *s;
  gint64 id;

  if ((id = lookup_id (im->codes.by_ref, key)) > 0 || (id = lookup_id (im->missing, key)) > 0)
    return id;

  if (im->missing_category == 0)
    {
      g_autofree char *category = NULL;

      s = get_siblings (&im->codes, 0);
      category = unique_name (s->taken, _(MISSING_CATEGORY), FALSE);
      g_hash_table_add (s->taken, g_strdup (category));
      stored = g_uuid_string_random ();
      im->missing_category = insert_code (&im->codes, 0, stored, category, "#bab0ac", NULL, FALSE, error);
      if (im->missing_category == 0)
        return 0;
      g_clear_pointer (&stored, g_free);
    }

  s = get_siblings (&im->codes, im->missing_category);
  {
    g_autofree char *base = g_strdup_printf (_("Missing code (%s)"), target);
    g_autofree char *clean = clean_text_name (base);
    g_auto(GStrv) parts = g_strsplit (clean, "/", -1);
    g_autofree char *joined = g_strjoinv ("\xe2\x88\x95", parts);

    name = unique_name (s->taken, joined, FALSE);
    g_hash_table_add (s->taken, g_strdup (name));
  }
  stored = guid_key (target);
  if (stored == NULL || g_hash_table_contains (im->codes.by_guid, stored))
    {
      g_free (stored);
      stored = g_uuid_string_random ();
    }
  id = insert_code (&im->codes, im->missing_category, stored, name, "#bab0ac", NULL, TRUE, error);
  if (id == 0)
    return 0;
  insert_id (im->missing, key, id);
  return id;
}

typedef struct
{
  gint64 document_id, code_id, coder_id, start, end;
} CodingRange;

static guint
coding_range_hash (gconstpointer p)
{
  const CodingRange *r = p;
  guint64 h = (guint64) r->document_id * 1000003u ^ (guint64) r->code_id * 7919u ^ (guint64) r->coder_id * 31u ^
              (guint64) r->start * 2654435761u ^ (guint64) r->end * 40503u;

  return (guint) (h ^ (h >> 32));
}

static gboolean
coding_range_equal (gconstpointer a,
                    gconstpointer b)
{
  return memcmp (a, b, sizeof (CodingRange)) == 0;
}

/* The last batches, and the codings from their staging table into the
 * project's: one INSERT ... SELECT of rows in id order keeps the table's
 * four indexes hot, where inserts between the documents' texts kept
 * reading them back (three times the time). */
static gboolean
store_rows (Import  *im,
            GError **error)
{
  gboolean flushed = batch_flush (im->project, &im->coding_rows, error) &&
                     batch_flush (im->project, &im->turn_rows, error);

  batch_finalize (&im->coding_rows);
  batch_finalize (&im->turn_rows);
  return flushed &&
         _cw_project_exec (im->project,
                           "INSERT INTO main.codings (id, guid, document_id, code_id, coder_id, start, end, created_at)"
                           " SELECT id, guid, document_id, code_id, coder_id, start, end, created_at FROM temp.cw_codings"
                           " ORDER BY id;"
                           "DROP TABLE temp.cw_codings",
                           error);
}

/* Stores one Coding element on [start, end) of document_id. Returns the
 * coding's id, 0 on error, -1 when the coding was skipped. */
static gint64
import_coding (Import      *im,
               CwXmlEl     *coding,
               gint64       document_id,
               gint64       start,
               gint64       end,
               const char  *selection_user,
               const char  *selection_date,
               GError     **error)
{
  CwXmlEl *code_ref = first_el (coding, "CodeRef");
  /* Borrowed from the tree, which outlives the call. */
  const char *target = code_ref != NULL ? cw_xml_el_get_attribute (code_ref, "targetGUID") : NULL;
  const char *guid = cw_xml_el_get_attribute (coding, "guid");
  const char *user = cw_xml_el_get_attribute (coding, "creatingUser");
  g_autofree char *date = date_or_null (cw_xml_el_get_attribute (coding, "creationDateTime"));
  char *stored = NULL;
  char buffer[GUID_KEY_SIZE];
  g_autofree char *other = NULL;
  gint64 code_id, coder_id, id;

  if (is_blank (target))
    {
      im->n_no_coderef++;
      return -1;
    }
  if ((code_id = lookup_id (im->codes.by_ref, ref_key_in (target, buffer, &other))) == 0)
    {
      /* Made as a "Missing code" (or found among those made before). */
      if ((code_id = code_for (im, target, error)) == 0)
        return 0;
      im->n_missing_refs++;
    }
  if ((coder_id = coder_for (im, user, selection_user, error)) == 0)
    return 0;
  if (date == NULL)
    date = date_or_null (selection_date);

  stored = take_guid (im->used_codings, guid, &im->n_bad_guids);
  {
    /* The same code, coder and range twice (NVivo repeats selections):
     * one coding. */
    CodingRange range = { document_id, code_id, coder_id, start, end };

    id = GPOINTER_TO_SIZE (g_hash_table_lookup (im->coding_ranges, &range));
    if (id == 0)
      {
        id = ++im->last_coding;
        g_hash_table_insert (im->coding_ranges, g_memdup2 (&range, sizeof range), GSIZE_TO_POINTER ((gsize) id));
        batch_number (&im->coding_rows, id);
        batch_text_take (&im->coding_rows, g_steal_pointer (&stored));
        batch_number (&im->coding_rows, document_id);
        batch_number (&im->coding_rows, code_id);
        batch_number (&im->coding_rows, coder_id);
        batch_number (&im->coding_rows, start);
        batch_number (&im->coding_rows, end);
        batch_text_take (&im->coding_rows, date != NULL ? g_steal_pointer (&date) : g_strdup (im->now));
        if (!batch_row_done (im->project, &im->coding_rows, error))
          return 0;
      }
    g_free (stored);
  }

  {
    const char *coding_key;

    g_clear_pointer (&other, g_free);
    coding_key = ref_key_in (guid, buffer, &other);
    if (coding_key != NULL && !g_hash_table_contains (im->codings, coding_key))
      insert_id (im->codings, coding_key, id);
  }
  add_note_refs_of (im->note_refs, coding, CW_MEMO_CODING, id);
  return id;
}

/* -- sources -- */

typedef struct
{
  CwXmlEl *node;
  gint64   start;     /* as in the file */
  gint64   end;
  gint64   out_start; /* Codewerk's offsets; -1 if unusable */
  gint64   out_end;
} Selection;

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static guint
find_position (const gint64 *positions,
               guint         n,
               gint64        value)
{
  const gint64 *found = bsearch (&value, positions, n, sizeof (gint64), compare_int64);

  g_assert (found != NULL);
  return found - positions;
}

/* Chooses the unit the selections of this source count in, converts them
 * and normalises the text. Returns the stored text. */
static char *
convert_positions (Import     *im,
                   const char *raw,
                   const char *label,
                   GArray     *selections,
                   GPtrArray  *warnings,
                   gint64     *characters)
{
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree gint64 *best_index = NULL;
  g_autofree gint64 *raw_index = NULL;
  g_autofree gboolean *clean = NULL;
  g_autofree gint64 *out_pos = NULL;
  gsize len = strlen (raw);
  gboolean astral = FALSE, crlf = memchr (raw, '\r', len) != NULL;
  Unit candidates[4], best = im->guess;
  guint n_candidates = 0, n, best_in_range = 0, best_clean = 0;
  char *text;

  astral = has_astral (raw, len);

  for (guint i = 0; i < selections->len; i++)
    {
      Selection *sel = &g_array_index (selections, Selection, i);

      g_array_append_val (positions, sel->start);
      g_array_append_val (positions, sel->end);
    }
  g_array_sort (positions, compare_int64);
  n = 0;
  for (guint i = 0; i < positions->len; i++)
    if (n == 0 || g_array_index (positions, gint64, i) != g_array_index (positions, gint64, n - 1))
      g_array_index (positions, gint64, n++) = g_array_index (positions, gint64, i);
  g_array_set_size (positions, n);

  /* The origin's guess first: it wins ties. Units that cannot differ on
   * this text (no emoji, no CRLF) are not tried. */
  candidates[n_candidates++] = im->guess;
  for (int u = 0; u < 2 && !im->known_unit; u++)
    for (int c = 0; c < 2; c++)
      {
        Unit unit = { u == 1, c == 0 };

        if ((unit.utf16 != im->guess.utf16 && !astral) ||
            (unit.crlf_as_two != im->guess.crlf_as_two && !crlf) ||
            (unit.utf16 == im->guess.utf16 && unit.crlf_as_two == im->guess.crlf_as_two))
          continue;
        candidates[n_candidates++] = unit;
      }

  best_index = g_new0 (gint64, MAX (n, 1));
  raw_index = g_new0 (gint64, MAX (n, 1));
  clean = g_new0 (gboolean, MAX (n, 1));
  for (guint i = 0; i < n_candidates && n > 0; i++)
    {
      guint in_range = 0, n_clean = 0;

      resolve_positions (raw, len, candidates[i], (const gint64 *) positions->data, n, raw_index, clean);
      for (guint k = 0; k < n; k++)
        {
          in_range += raw_index[k] >= 0;
          n_clean += clean[k];
        }
      if (i == 0 || in_range > best_in_range || (in_range == best_in_range && n_clean > best_clean))
        {
          best = candidates[i];
          best_in_range = in_range;
          best_clean = n_clean;
          memcpy (best_index, raw_index, sizeof (gint64) * n);
        }
      if (in_range == n && n_clean == n)
        break; /* cannot do better */
    }

  /* Codewerk's own codings need not follow words: no alarm for them. */
  if (n > 0 && (best_in_range < n || (!im->known_unit && best_clean < CLEAN_FRACTION * n)) &&
      ++im->n_misaligned <= MAX_MISALIGNED_WARNINGS)
    {
      g_autofree char *unit = unit_describe (best);

      warn (warnings,
            _("the selections in source “%s” do not line up cleanly with its text "
              "(%u of %u selection boundaries fall inside words or past the end, counted in %s); "
              "some codings may be shifted"),
            label, n - best_clean, n, unit);
    }

  /* best_index is sorted (positions are, and the walk is monotonic), with
   * -1 only at the end. */
  out_pos = g_new0 (gint64, MAX (n, 1));
  {
    guint n_valid = 0;

    while (n_valid < n && best_index[n_valid] >= 0)
      n_valid++;
    text = normalize_text (raw, len, best_index, n_valid, out_pos, characters);
    for (guint k = n_valid; k < n; k++)
      out_pos[k] = -1;
  }

  for (guint i = 0; i < selections->len; i++)
    {
      Selection *sel = &g_array_index (selections, Selection, i);

      sel->out_start = out_pos[find_position ((const gint64 *) positions->data, n, sel->start)];
      sel->out_end = out_pos[find_position ((const gint64 *) positions->data, n, sel->end)];
    }
  return text;
}

static gboolean
insert_turns (Import      *im,
              gint64       document_id,
              GPtrArray   *turns,
              GError     **error)
{
  g_autoptr(GHashTable) speakers = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < turns->len; i++)
    {
      const CwTurn *turn = turns->pdata[i];
      gint64 speaker_id = lookup_id (speakers, turn->speaker);

      if (speaker_id == 0)
        {
          g_autoptr(sqlite3_stmt) insert =
            _cw_project_prepare (im->project, "INSERT INTO speakers (id, document_id, name) VALUES (?1, ?2, ?3)",
                                 error);

          if (insert == NULL)
            return FALSE;
          speaker_id = ++im->last_speaker;
          sqlite3_bind_int64 (insert, 1, speaker_id);
          sqlite3_bind_int64 (insert, 2, document_id);
          sqlite3_bind_text (insert, 3, turn->speaker, -1, SQLITE_STATIC);
          if (!run_done (im->project, insert, error))
            return FALSE;
          g_hash_table_insert (speakers, turn->speaker, GSIZE_TO_POINTER ((gsize) speaker_id));
        }
      batch_number (&im->turn_rows, document_id);
      batch_number (&im->turn_rows, i);
      batch_number (&im->turn_rows, speaker_id);
      batch_number (&im->turn_rows, turn->start);
      batch_number (&im->turn_rows, MAX (turn->end, turn->start));
      if (!batch_row_done (im->project, &im->turn_rows, error))
        return FALSE;
    }
  return TRUE;
}

static gint64
insert_document (Import      *im,
                 gint64       id,
                 const char  *guid,
                 const char  *name,
                 const char  *original_name,
                 const char  *text,
                 gint64       characters,
                 GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (im->project,
                         "INSERT INTO documents (guid, name, kind, original_name, imported_at, text, characters, position, id)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         error);
  g_autofree char *stored = take_guid (im->used_documents, guid, &im->n_bad_guids);
  CwDocumentKind kind = cw_import_guess_kind (name, text);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, cw_document_kind_to_string (kind), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, original_name);
  sqlite3_bind_text (stmt, 5, im->now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, characters);
  sqlite3_bind_int (stmt, 8, (int) g_hash_table_size (im->documents));
  /* The id the parsing thread indexed the text under: the project is new,
   * so 1, 2, ... are free. */
  sqlite3_bind_int64 (stmt, 9, id);
  if (!run_done (im->project, stmt, error))
    return 0;
  if (im->first_document == 0)
    im->first_document = id;
  return id;
}

/* "quoted text" for a memo title: the start of the selection, on one line. */
static char *
quote (const char *text,
       gint64      start,
       gint64      end)
{
  const char *from = g_utf8_offset_to_pointer (text, start);
  glong n = (glong) MIN (end - start, 60);
  g_autofree char *slice = g_utf8_substring (from, 0, n);

  for (char *p = slice; *p != '\0'; p++)
    if (*p == '\n' || *p == '\t')
      *p = ' ';
  return g_strdup_printf ("“%s%s”", g_strstrip (slice), end - start > 60 ? "…" : "");
}

static gboolean
import_selection (Import      *im,
                  Selection   *sel,
                  gint64       document_id,
                  const char  *text,
                  GError     **error)
{
  /* Borrowed from the tree, which outlives the call. */
  const char *user = cw_xml_el_get_attribute (sel->node, "creatingUser");
  const char *date = cw_xml_el_get_attribute (sel->node, "creationDateTime");
  const char *name = cw_xml_el_get_attribute (sel->node, "name");
  char buffer[GUID_KEY_SIZE];
  g_autofree char *other = NULL;
  const char *key = ref_key_in (cw_xml_el_get_attribute (sel->node, "guid"), buffer, &other);
  g_autofree char *description = description_of (sel->node);
  gboolean usable = sel->out_start >= 0 && sel->out_end > sel->out_start;
  SelectionTarget *target = g_new0 (SelectionTarget, 1);

  target->document_id = document_id;
  if (key != NULL && !g_hash_table_contains (im->selections, key))
    g_hash_table_insert (im->selections, g_strdup (key), target);
  else
    g_clear_pointer (&target, g_free);

  if (!usable)
    im->n_bad_ranges++;
  if (usable)
    FOR_EACH_EL (coding, sel->node, "Coding")
      {
        gint64 id = import_coding (im, coding, document_id, sel->out_start, sel->out_end, user, date, error);

        if (id == 0)
          return FALSE;
        if (id > 0 && target != NULL && target->coding_id == 0)
          target->coding_id = id;
      }

  {
    gint64 first_coding = target != NULL ? target->coding_id : 0;
    CwMemoTarget kind = first_coding > 0 ? CW_MEMO_CODING : CW_MEMO_DOCUMENT;
    gint64 target_id = first_coding > 0 ? first_coding : document_id;

    if (description != NULL)
      {
        g_autofree char *title = NULL;
        g_autofree char *raw_date = date_or_null (date);
        g_autofree char *clean_name = clean_text_name (name);

        if (clean_name != NULL)
          title = g_steal_pointer (&clean_name);
        else if (usable && kind == CW_MEMO_DOCUMENT)
          title = quote (text, sel->out_start, sel->out_end);
        if (insert_memo (im, NULL, title, description, 0, raw_date, NULL, kind, target_id, error) == 0)
          return FALSE;
      }
    add_note_refs_of (im->note_refs, sel->node, kind, target_id);
  }
  return TRUE;
}

/* Cases made for a document (VariableValues on a source, nameless cases
 * with a SourceRef) share one case per document. */
static gint64 insert_case (Import *im, const char *guid, const char *identifier, GError **error);
static gboolean import_variable_values (Import *im, CwXmlEl *node, gint64 case_id, GError **error);

static gint64
document_case (Import      *im,
               const Doc   *doc,
               const char  *guid,
               GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, doc->id);
  gint64 case_id = lookup_id (im->document_cases, key);

  if (case_id > 0)
    return case_id;
  if ((case_id = insert_case (im, guid, doc->name, error)) == 0)
    return 0;
  insert_id (im->document_cases, key, case_id);
  return case_id;
}

static gboolean
link_case (Import      *im,
           gint64       case_id,
           gint64       document_id,
           GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, case_id, document_id);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (g_hash_table_contains (im->case_links, key))
    return TRUE;
  stmt = _cw_project_prepare (im->project,
                              "INSERT INTO case_links (case_id, document_id, speaker_id) VALUES (?1, ?2, NULL)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int64 (stmt, 2, document_id);
  if (!run_done (im->project, stmt, error))
    return FALSE;
  g_hash_table_add (im->case_links, g_steal_pointer (&key));
  return TRUE;
}

/* A text source read and converted away from the database: everything up
 * to the stored text and its turns (the parsing thread makes these). */
typedef struct
{
  CwXmlTree *tree;         /* owns src; NULL when src is borrowed */
  CwXmlEl   *src;
  GPtrArray *warnings;     /* the source's own, added in order when stored */
  char      *guid;
  char      *name;         /* cleaned; NULL when it has none */
  char      *file_name;
  char      *text;         /* stored text; NULL when the source is skipped */
  gint64     characters;
  GArray    *selections;   /* Selection, in the file's order */
  GPtrArray *turns;
  gint64     document_id;  /* the id it is stored under */
} Prepared;

static void
prepared_free (Prepared *p)
{
  if (p == NULL)
    return;
  cw_xml_tree_free (p->tree);
  g_ptr_array_unref (p->warnings);
  g_free (p->guid);
  g_free (p->name);
  g_free (p->file_name);
  g_free (p->text);
  g_clear_pointer (&p->selections, g_array_unref);
  g_clear_pointer (&p->turns, g_ptr_array_unref);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

/* Reads a TextSource's text and selections, picks the unit its positions
 * count in, normalises the text and finds its turns. Touches nothing of im
 * but what the parsing thread owns (see Producer). FALSE only for what
 * stops the import (a path out of the archive, a bomb). */
static Prepared *
prepare_source (Import      *im,
                CwXmlTree   *tree,
                CwXmlEl     *src,
                GError     **error)
{
  g_autoptr(Prepared) p = g_new0 (Prepared, 1);
  g_autofree char *raw_name = attr (src, "name");
  g_autofree char *path = attr (src, "plainTextPath");
  g_autofree char *label = NULL;
  g_autofree char *raw = NULL;
  CwXmlEl *content = first_el (src, "PlainTextContent");

  p->tree = tree;
  p->src = src;
  p->warnings = g_ptr_array_new_with_free_func (g_free);
  p->guid = attr (src, "guid");
  p->name = clean_text_name (raw_name);
  p->selections = g_array_new (FALSE, FALSE, sizeof (Selection));

  if (!is_blank (path))
    {
      const char *slash = strrchr (path, '/');

      p->file_name = g_uri_unescape_string (slash != NULL ? slash + 1 : path, NULL);
      if (p->file_name == NULL)
        p->file_name = g_strdup (slash != NULL ? slash + 1 : path);
    }
  label = g_strdup (p->name != NULL ? p->name : p->file_name != NULL ? p->file_name : p->guid != NULL ? p->guid : "?");

  if (!is_blank (path))
    {
      const char *entry = NULL;
      g_autofree char *why = NULL;

      if (!locate_text (im, path, label, &entry, &why, error))
        {
          p->tree = NULL; /* the caller's still */
          return NULL;
        }
      if (entry != NULL)
        {
          g_autoptr(GBytes) bytes = read_entry (im, entry, error);

          if (bytes == NULL)
            {
              p->tree = NULL;
              return NULL;
            }
          if ((raw = decode_source (bytes, label, p->warnings)) == NULL)
            return g_steal_pointer (&p);
        }
      else if (content == NULL)
        {
          warn (p->warnings, "%s", why);
          return g_steal_pointer (&p);
        }
    }
  if (raw == NULL)
    {
      if (content == NULL)
        {
          warn (p->warnings, _("source “%s” has no plain text (no plainTextPath or PlainTextContent): skipped"),
                label);
          return g_steal_pointer (&p);
        }
      raw = element_text (content);
      if (g_str_has_prefix (raw, "\xef\xbb\xbf"))
        memmove (raw, raw + 3, strlen (raw + 3) + 1);
    }
  if (*raw == '\0')
    {
      warn (p->warnings, _("source “%s” has no text: skipped"), label);
      return g_steal_pointer (&p);
    }

  FOR_EACH_EL (node, src, "PlainTextSelection")
    {
      const char *start = cw_xml_el_get_attribute (node, "startPosition");
      const char *end = cw_xml_el_get_attribute (node, "endPosition");
      Selection sel = { node, 0, 0, -1, -1 };

      if (!parse_int64 (start, &sel.start) || !parse_int64 (end, &sel.end) ||
          sel.start < 0 || sel.end <= sel.start)
        sel.start = sel.end = 0;
      g_array_append_val (p->selections, sel);
    }
  {
    /* Only well-formed ranges take part in the unit detection. */
    g_autoptr(GArray) ranged = g_array_new (FALSE, FALSE, sizeof (Selection));
    guint j = 0;

    for (guint i = 0; i < p->selections->len; i++)
      if (g_array_index (p->selections, Selection, i).end > 0)
        g_array_append_val (ranged, g_array_index (p->selections, Selection, i));
    p->text = convert_positions (im, raw, label, ranged, p->warnings, &p->characters);
    for (guint i = 0; i < p->selections->len; i++)
      if (g_array_index (p->selections, Selection, i).end > 0)
        g_array_index (p->selections, Selection, i) = g_array_index (ranged, Selection, j++);
  }
  p->turns = detect_turns (p->text);
  p->document_id = ++im->n_prepared;
  return g_steal_pointer (&p);
}

/* Every few megabytes, has the system start writing the new file out
 * (SQLite does not sync it, see create_unsynced): the one sync at the end
 * then finds most of it written while the import went on. */
static void
start_writing_out (Import *im,
                   gsize   bytes)
{
  im->unwritten += bytes;
  if (im->unwritten < 1 << 20 || im->file_fd < 0)
    return;
  im->unwritten = 0;
  /* On a thread of its own: the call waits while the disk is busy. */
  if (im->writer == NULL)
    {
      im->write_requests = g_async_queue_new ();
      im->writer = g_thread_new ("cw-refi-write", writer_thread, im);
    }
  g_async_queue_push (im->write_requests, WRITE_OUT);
}

/* Stores a prepared source (number: its place among the text sources). */
static gboolean
store_source (Import      *im,
              Prepared    *p,
              guint        number,
              GError     **error)
{
  CwXmlEl *src = p->src;
  g_autofree char *name = g_strdup (p->name);
  g_autofree char *unique = NULL;
  g_autofree char *description = NULL;
  g_autofree char *key = ref_key (p->guid);
  gint64 document_id;
  Doc *doc;

  for (guint i = 0; i < p->warnings->len; i++)
    warn (im->warnings, "%s", (const char *) p->warnings->pdata[i]);
  if (p->text == NULL)
    return TRUE;
  start_writing_out (im, strlen (p->text));

  if (name == NULL)
    {
      name = g_strdup (p->file_name != NULL ? p->file_name : "");
      if (*name == '\0')
        {
          g_free (name);
          name = g_strdup_printf (_("Document %u"), number);
        }
      im->n_unnamed_sources++;
    }
  unique = unique_name (im->document_names, name, TRUE);
  if (strcmp (unique, name) != 0)
    warn (im->warnings, _("two sources are named “%s”: the second is now “%s”"), name, unique);

  document_id = insert_document (im, p->document_id, p->guid, unique, p->file_name != NULL ? p->file_name : unique,
                                 p->text, p->characters, error);
  if (document_id == 0 || !insert_turns (im, document_id, p->turns, error))
    return FALSE;
  g_hash_table_add (im->document_names, g_strdup (unique));

  doc = g_new0 (Doc, 1);
  doc->id = document_id;
  doc->characters = p->characters;
  doc->name = g_strdup (unique);
  if (key != NULL && !g_hash_table_contains (im->documents, key))
    g_hash_table_insert (im->documents, g_strdup (key), doc);
  else
    {
      /* Not referable, but it still gets a case below if it has values. */
      g_autofree char *anonymous = g_strdup_printf ("#%" G_GINT64_FORMAT, document_id);

      g_hash_table_insert (im->documents, g_steal_pointer (&anonymous), doc);
    }

  if ((description = description_of (src)) != NULL &&
      insert_memo (im, NULL, _("Description"), description, 0, NULL, NULL, CW_MEMO_DOCUMENT, document_id, error) == 0)
    return FALSE;

  /* A Coding right under the source codes all of it. */
  FOR_EACH_EL (coding, src, "Coding")
    if (p->characters > 0 && import_coding (im, coding, document_id, 0, p->characters, NULL, NULL, error) == 0)
      return FALSE;

  for (guint i = 0; i < p->selections->len; i++)
    if (!import_selection (im, &g_array_index (p->selections, Selection, i), document_id, p->text, error))
      return FALSE;

  add_note_refs_of (im->note_refs, src, CW_MEMO_DOCUMENT, document_id);

  if (first_el (src, "VariableValue") != NULL)
    {
      gint64 case_id = document_case (im, doc, NULL, error);

      if (case_id == 0 || !link_case (im, case_id, document_id, error) ||
          !import_variable_values (im, src, case_id, error))
        return FALSE;
      warn (im->warnings, _("source “%s” carries variable values: they were given to a case named after it"),
            unique);
    }
  return TRUE;
}

static const char *const skipped_kinds[] = { "PDFSource", "PictureSource", "AudioSource", "VideoSource" };

/* Counts a source Codewerk cannot hold, for one warning per kind. */
static void
note_skipped_source (Import  *im,
                     CwXmlEl *src,
                     guint    kind)
{
  g_autofree char *name = attr (src, "name");

  if (is_blank (name))
    {
      /* ATLAS.ti puts the real name on the transcript. */
      CwXmlEl *transcript = first_el (src, "Transcript");

      g_free (name);
      name = transcript != NULL ? attr (transcript, "name") : NULL;
    }
  if (im->skipped_names[kind] == NULL)
    im->skipped_names[kind] = g_string_new (NULL);
  if (im->n_skipped[kind]++ < 5)
    g_string_append_printf (im->skipped_names[kind], "%s“%s”", im->skipped_names[kind]->len ? ", " : "",
                            name != NULL ? name : "");
}

static void
warn_skipped_sources (Import *im)
{
  for (guint i = 0; i < G_N_ELEMENTS (skipped_kinds); i++)
    {
      guint n = im->n_skipped[i];
      const char *names = im->skipped_names[i] != NULL ? im->skipped_names[i]->str : "";
      const char *more = n > 5 ? ", …" : "";

      if (n == 0)
        continue;
      switch (i)
        {
        case 0:
          warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u PDF source was skipped (Codewerk keeps text only): %s%s",
                                           "%u PDF sources were skipped (Codewerk keeps text only): %s%s", n),
                n, names, more);
          break;
        case 1:
          warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u picture source was skipped: %s%s",
                                           "%u picture sources were skipped: %s%s", n),
                n, names, more);
          break;
        case 2:
          warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u audio source was skipped: %s%s",
                                           "%u audio sources were skipped: %s%s", n),
                n, names, more);
          break;
        default:
          warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u video source was skipped: %s%s",
                                           "%u video sources were skipped: %s%s", n),
                n, names, more);
          break;
        }
    }
}

/* -- variables and cases -- */

static gboolean
import_variables (Import      *im,
                  CwXmlEl     *root,
                  GError     **error)
{
  int position = 0;

  FOR_EACH_EL (node, first_el (root, "Variables"), "Variable")
    {
      g_autofree char *guid = attr (node, "guid");
      g_autofree char *key = ref_key (guid);
      g_autofree char *raw_name = attr (node, "name");
      g_autofree char *type = attr (node, "typeOfVariable");
      g_autofree char *name = clean_text_name (raw_name);
      g_autofree char *unique = NULL;
      g_autofree char *label = description_of (node);
      g_autofree char *stored = take_guid (im->used_variables, guid, &im->n_bad_guids);
      g_autoptr(sqlite3_stmt) stmt = NULL;
      Variable *variable = g_new0 (Variable, 1);
      const char *stored_type;

      if (type != NULL)
        g_strstrip (type);
      if (type != NULL && (strcmp (type, "Integer") == 0 || strcmp (type, "Float") == 0 ||
                           strcmp (type, "Boolean") == 0))
        variable->type = 'n';
      else if (type != NULL && (strcmp (type, "Date") == 0 || strcmp (type, "DateTime") == 0))
        variable->type = 'd';
      else
        {
          variable->type = 't';
          if (type == NULL || strcmp (type, "Text") != 0)
            warn (im->warnings, _("variable “%s” has the unknown type “%s”; it is kept as text"),
                  raw_name != NULL ? raw_name : "", type != NULL ? type : "");
        }
      stored_type = variable->type == 'n' ? "numeric" : variable->type == 'd' ? "date" : "text";

      if (name == NULL)
        name = g_strdup_printf (_("Variable %d"), position + 1);
      unique = unique_name (im->variable_names, name, FALSE);
      if (strcmp (unique, name) != 0)
        warn (im->warnings, _("two variables are named “%s”: the second is now “%s”"), name, unique);

      stmt = _cw_project_prepare (im->project,
                                  "INSERT INTO variables (guid, name, label, type, position) VALUES (?1, ?2, ?3, ?4, ?5)",
                                  error);
      if (stmt == NULL)
        {
          g_free (variable);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, unique, -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 3, label);
      sqlite3_bind_text (stmt, 4, stored_type, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, position++);
      if (!run_done (im->project, stmt, error))
        {
          g_free (variable);
          return FALSE;
        }
      variable->id = last_id (im->project);
      g_hash_table_add (im->variable_names, g_steal_pointer (&unique));
      if (key != NULL && !g_hash_table_contains (im->variables, key))
        g_hash_table_insert (im->variables, g_steal_pointer (&key), variable);
      else
        g_free (variable);
    }
  return TRUE;
}

static gint64
insert_case (Import      *im,
             const char  *guid,
             const char  *identifier,
             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (im->project, "INSERT INTO cases (guid, identifier) VALUES (?1, ?2)", error);
  g_autofree char *stored = take_guid (im->used_cases, guid, guid != NULL ? &im->n_bad_guids : NULL);
  g_autofree char *unique = unique_name (im->case_names, identifier, FALSE);
  gint64 id;

  if (stmt == NULL)
    return 0;
  if (strcmp (unique, identifier) != 0)
    warn (im->warnings, _("two cases are called “%s”: the second is now “%s”"), identifier, unique);
  sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, unique, -1, SQLITE_STATIC);
  if (!run_done (im->project, stmt, error))
    return 0;
  id = last_id (im->project);
  insert_id (im->case_names, unique, id);
  return id;
}

static gboolean
import_variable_values (Import      *im,
                        CwXmlEl     *node,
                        gint64       case_id,
                        GError     **error)
{
  static const char *const value_elements[] = {
    "TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue",
  };

  FOR_EACH_EL (value, node, "VariableValue")
    {
      CwXmlEl *ref = first_el (value, "VariableRef");
      g_autofree char *target = ref != NULL ? attr (ref, "targetGUID") : NULL;
      g_autofree char *key = ref_key (target);
      Variable *variable = key != NULL ? g_hash_table_lookup (im->variables, key) : NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      g_autofree char *content = NULL;
      const char *element = NULL;
      gboolean numeric = FALSE;
      double number = 0;

      if (variable == NULL)
        {
          im->n_unknown_variables++;
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (value_elements) && element == NULL; i++)
        {
          CwXmlEl *found = first_el (value, value_elements[i]);

          if (found != NULL)
            {
              element = value_elements[i];
              content = g_strstrip (element_text (found));
            }
        }
      if (element == NULL)
        continue; /* no value: missing */

      if (strcmp (element, "BooleanValue") == 0)
        {
          numeric = TRUE;
          number = (g_ascii_strcasecmp (content, "true") == 0 || strcmp (content, "1") == 0) ? 1 : 0;
        }
      else if (strcmp (element, "IntegerValue") == 0 || strcmp (element, "FloatValue") == 0 ||
               (variable->type == 'n' && strcmp (element, "TextValue") == 0))
        {
          char *end = NULL;

          number = g_ascii_strtod (content, &end);
          numeric = *content != '\0' && end != NULL && *end == '\0';
        }

      stmt = _cw_project_prepare (im->project,
                                  "INSERT OR REPLACE INTO case_values (case_id, variable_id, number, text)"
                                  " VALUES (?1, ?2, ?3, ?4)",
                                  error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, case_id);
      sqlite3_bind_int64 (stmt, 2, variable->id);
      if (numeric)
        {
          sqlite3_bind_double (stmt, 3, number);
          sqlite3_bind_null (stmt, 4);
        }
      else
        {
          sqlite3_bind_null (stmt, 3);
          sqlite3_bind_text (stmt, 4, content, -1, SQLITE_STATIC);
        }
      if (!run_done (im->project, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static const Doc *
find_document (Import     *im,
               const char *guid)
{
  g_autofree char *key = ref_key (guid);

  return key != NULL ? g_hash_table_lookup (im->documents, key) : NULL;
}

static gboolean
import_cases (Import      *im,
              CwXmlEl     *root,
              GError     **error)
{
  guint n = 0, nameless = 0;

  FOR_EACH_EL (node, first_el (root, "Cases"), "Case")
    {
      g_autofree char *guid = attr (node, "guid");
      g_autofree char *raw_name = attr (node, "name");
      g_autofree char *name = clean_text_name (raw_name);
      const Doc *only = NULL;
      guint n_refs = count_el (node, "SourceRef");
      gint64 case_id;

      n++;
      if (n_refs == 1)
        {
          g_autofree char *target = attr (first_el (node, "SourceRef"), "targetGUID");

          only = find_document (im, target);
        }
      if (name == NULL && only != NULL)
        {
          /* MAXQDA, Quirkos: "the variables of that document". */
          nameless++;
          case_id = document_case (im, only, guid, error);
        }
      else
        {
          if (name == NULL)
            {
              nameless++;
              name = g_strdup_printf (_("Case %u"), n);
            }
          case_id = insert_case (im, guid, name, error);
        }
      if (case_id == 0)
        return FALSE;

      FOR_EACH_EL (ref, node, "SourceRef")
        {
          g_autofree char *target = attr (ref, "targetGUID");
          const Doc *doc = find_document (im, target);

          if (doc == NULL)
            im->n_unknown_sources++;
          else if (!link_case (im, case_id, doc->id, error))
            return FALSE;
        }
      if (!import_variable_values (im, node, case_id, error))
        return FALSE;
      im->n_case_refs += count_el (node, "CodeRef") + count_el (node, "SelectionRef");
    }
  if (nameless > 0)
    warn (im->warnings, g_dngettext (GETTEXT_PACKAGE,
                                     "%u case had no name; it was named after its document (or numbered)",
                                     "%u cases had no name; they were named after their document (or numbered)",
                                     nameless),
          nameless);
  return TRUE;
}

/* -- sets -- */

static gboolean
import_sets (Import      *im,
             CwXmlEl     *root,
             GError     **error)
{
  CwXmlEl *sets = first_el (root, "Sets");
  g_autoptr(GHashTable) group_names = string_set_new ();
  guint note_sets = 0;

  if (sets == NULL)
    return TRUE;
  warn_code_sets (sets, FALSE, im->warnings);

  FOR_EACH_EL (set, sets, "Set")
    {
      g_autofree char *guid = attr (set, "guid");
      g_autofree char *raw_name = attr (set, "name");
      g_autofree char *name = clean_text_name (raw_name);
      g_autofree char *unique = NULL;
      g_autofree char *description = description_of (set);
      g_autofree char *stored = NULL;
      g_autoptr(sqlite3_stmt) stmt = NULL;
      gboolean codes = first_el (set, "MemberCode") != NULL;
      gboolean sources = first_el (set, "MemberSource") != NULL;
      gint64 group_id;

      if (first_el (set, "MemberNote") != NULL && !codes && !sources)
        {
          note_sets++;
          continue;
        }
      if (codes && !sources)
        continue; /* warned above */

      if (name == NULL)
        name = g_strdup (_("Unnamed group"));
      unique = unique_name (group_names, name, FALSE);
      stored = take_guid (im->used_groups, guid, &im->n_bad_guids);
      stmt = _cw_project_prepare (im->project,
                                  "INSERT INTO document_groups (guid, name, description) VALUES (?1, ?2, ?3)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, stored, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, unique, -1, SQLITE_STATIC);
      bind_text_or_null (stmt, 3, description);
      if (!run_done (im->project, stmt, error))
        return FALSE;
      group_id = last_id (im->project);
      g_hash_table_add (group_names, g_steal_pointer (&unique));

      FOR_EACH_EL (member, set, "MemberSource")
        {
          g_autofree char *target = attr (member, "targetGUID");
          const Doc *doc;
          g_autoptr(sqlite3_stmt) add = NULL;

          if (target == NULL)
            target = attr (member, "guid");
          if ((doc = find_document (im, target)) == NULL)
            {
              im->n_unknown_sources++;
              continue;
            }
          add = _cw_project_prepare (im->project,
                                     "INSERT OR IGNORE INTO document_group_members (group_id, document_id) VALUES (?1, ?2)",
                                     error);
          if (add == NULL)
            return FALSE;
          sqlite3_bind_int64 (add, 1, group_id);
          sqlite3_bind_int64 (add, 2, doc->id);
          if (!run_done (im->project, add, error))
            return FALSE;
        }
    }
  if (note_sets > 0)
    warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u set of notes is not kept", "%u sets of notes are not kept",
                                     note_sets),
          note_sets);
  return TRUE;
}

/* -- notes and links -- */

/* A NoteRef-like target from a GUID: a code, source, selection or coding. */
static gboolean
resolve_target (Import       *im,
                const char   *guid,
                CwMemoTarget *target,
                gint64       *target_id)
{
  g_autofree char *key = ref_key (guid);
  SelectionTarget *sel;
  const Doc *doc;
  gint64 id;

  if (key == NULL)
    return FALSE;
  if ((id = lookup_id (im->codings, key)) > 0)
    *target = CW_MEMO_CODING, *target_id = id;
  else if ((sel = g_hash_table_lookup (im->selections, key)) != NULL)
    {
      *target = sel->coding_id > 0 ? CW_MEMO_CODING : CW_MEMO_DOCUMENT;
      *target_id = sel->coding_id > 0 ? sel->coding_id : sel->document_id;
    }
  else if ((doc = g_hash_table_lookup (im->documents, key)) != NULL)
    *target = CW_MEMO_DOCUMENT, *target_id = doc->id;
  else if ((id = lookup_id (im->codes.by_ref, key)) > 0)
    *target = CW_MEMO_CODE, *target_id = id;
  else
    return FALSE;
  return TRUE;
}

/* NVivo links a selection's annotation Note to it with a Link; read those
 * as NoteRefs. Other links relate things Codewerk has no place for. */
static void
import_links (Import  *im,
              CwXmlEl *root)
{
  guint dropped = 0;

  FOR_EACH_EL (link, first_el (root, "Links"), "Link")
    {
      g_autofree char *origin = attr (link, "originGUID");
      g_autofree char *target = attr (link, "targetGUID");
      g_autofree char *origin_key = ref_key (origin);
      g_autofree char *target_key = ref_key (target);
      CwMemoTarget kind;
      gint64 id;

      if (origin_key != NULL && g_hash_table_contains (im->notes, origin_key) &&
          resolve_target (im, target, &kind, &id))
        add_note_ref (im->note_refs, origin, kind, id);
      else if (target_key != NULL && g_hash_table_contains (im->notes, target_key) &&
               resolve_target (im, origin, &kind, &id))
        add_note_ref (im->note_refs, target, kind, id);
      else
        dropped++;
    }
  if (dropped > 0)
    warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u link was skipped (Codewerk has no links)",
                                     "%u links were skipped (Codewerk has no links)", dropped),
          dropped);
}

static gboolean
import_notes (Import      *im,
              CwXmlEl     *root,
              GError     **error)
{
  CwXmlEl *notes = first_el (root, "Notes");
  g_autoptr(GHashTable) by_note = g_hash_table_new (g_str_hash, g_str_equal);

  FOR_EACH_EL (note, notes, "Note")
    {
      g_autofree char *guid = attr (note, "guid");
      g_autofree char *key = ref_key (guid);

      if (key != NULL)
        g_hash_table_add (im->notes, g_steal_pointer (&key));
    }
  import_links (im, root);
  add_note_refs_of (im->note_refs, root, CW_MEMO_PROJECT, 0);

  /* Note key -> its refs (the first in the list). */
  for (guint i = 0; i < im->note_refs->len; i++)
    {
      NoteRef *ref = im->note_refs->pdata[i];

      if (!g_hash_table_contains (im->notes, ref->note))
        im->n_dangling_notes++;
    }

  FOR_EACH_EL (note, notes, "Note")
    {
      g_autofree char *guid = attr (note, "guid");
      g_autofree char *key = ref_key (guid);
      g_autofree char *raw_title = attr (note, "name");
      g_autofree char *title = clean_text_name (raw_title);
      g_autofree char *user = attr (note, "creatingUser");
      g_autofree char *created = NULL;
      g_autofree char *modified = NULL;
      g_autofree char *path = attr (note, "plainTextPath");
      g_autofree char *text = NULL;
      CwXmlEl *content = first_el (note, "PlainTextContent");
      gint64 author = 0;
      guint used = 0;

      {
        g_autofree char *c = attr (note, "creationDateTime");
        g_autofree char *m = attr (note, "modifiedDateTime");

        created = date_or_null (c);
        modified = date_or_null (m);
      }
      if (content != NULL)
        text = element_text (content);
      else if (!is_blank (path))
        {
          const char *entry = NULL;
          g_autofree char *why = NULL;

          if (!locate_text (im, path, title != NULL ? title : _("note"), &entry, &why, error))
            return FALSE;
          if (entry != NULL)
            {
              g_autoptr(GBytes) bytes = read_entry (im, entry, error);
              g_autoptr(GError) local = NULL;

              if (bytes == NULL)
                return FALSE;
              text = cw_import_decode_text (bytes, entry, &local);
            }
        }
      if (text == NULL)
        text = description_of (note);
      if (!is_blank (user))
        {
          g_autofree char *user_key = ref_key (user);

          author = lookup_id (im->users, user_key);
        }

      for (guint i = 0; key != NULL && i < im->note_refs->len; i++)
        {
          NoteRef *ref = im->note_refs->pdata[i];

          if (strcmp (ref->note, key) != 0)
            continue;
          if (insert_memo (im, used == 0 ? guid : NULL, title, text, author, created, modified,
                           ref->target, ref->target_id, error) == 0)
            return FALSE;
          used++;
        }
      /* A note nothing points at is a project memo. */
      if (used == 0 &&
          insert_memo (im, guid, title, text, author, created, modified, CW_MEMO_PROJECT, 0, error) == 0)
        return FALSE;
    }
  return TRUE;
}

/* -- the whole project -- */

static void
remove_project_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
final_warnings (Import *im)
{
  GPtrArray *w = im->warnings;

  if (im->n_missing_refs > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE,
                          "%u coding refers to a code the codebook lacks; it was kept under “%s”",
                          "%u codings refer to codes the codebook lacks; they were kept under “%s”",
                          im->n_missing_refs),
          im->n_missing_refs, _(MISSING_CATEGORY));
  if (im->n_misaligned > MAX_MISALIGNED_WARNINGS)
    warn (w, g_dngettext (GETTEXT_PACKAGE,
                          "and %u more source does not line up cleanly with its selections",
                          "and %u more sources do not line up cleanly with their selections",
                          im->n_misaligned - MAX_MISALIGNED_WARNINGS),
          im->n_misaligned - MAX_MISALIGNED_WARNINGS);
  if (im->n_bad_ranges > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE,
                          "%u selection has no usable range (missing, empty or past the end of its text); its codings were skipped",
                          "%u selections have no usable range (missing, empty or past the end of their text); their codings were skipped",
                          im->n_bad_ranges),
          im->n_bad_ranges);
  if (im->n_no_coderef > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u coding names no code (no CodeRef) and was skipped",
                          "%u codings name no code (no CodeRef) and were skipped", im->n_no_coderef),
          im->n_no_coderef);
  if (im->n_unnamed_sources > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u source had no name; it was named after its file",
                          "%u sources had no name; they were named after their files", im->n_unnamed_sources),
          im->n_unnamed_sources);
  if (im->n_unknown_variables > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u variable value refers to an unknown variable and was skipped",
                          "%u variable values refer to unknown variables and were skipped", im->n_unknown_variables),
          im->n_unknown_variables);
  if (im->n_unknown_sources > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u reference to a source that was not imported was skipped",
                          "%u references to sources that were not imported were skipped", im->n_unknown_sources),
          im->n_unknown_sources);
  if (im->n_dangling_notes > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u note reference points at no note and was skipped",
                          "%u note references point at no note and were skipped", im->n_dangling_notes),
          im->n_dangling_notes);
  if (im->n_case_refs > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u link of a case to a code or selection is not kept",
                          "%u links of cases to codes or selections are not kept", im->n_case_refs),
          im->n_case_refs);
  if (im->n_bad_guids + im->codes.bad_guids > 0)
    warn (w, g_dngettext (GETTEXT_PACKAGE, "%u object had no valid or unique GUID and was given a new one",
                          "%u objects had no valid or unique GUID and were given new ones",
                          im->n_bad_guids + im->codes.bad_guids),
          im->n_bad_guids + im->codes.bad_guids);
}

/* Users, codebook and variables: what sources refer to. */
static gboolean
import_head (Import      *im,
             CwXmlEl     *root,
             GError     **error)
{
  CwXmlEl *codebook = first_el (root, "CodeBook");

  im->head_done = TRUE;
  return import_users (im, root, error) &&
         (codebook == NULL || import_codes (&im->codes, codebook, error)) &&
         import_variables (im, root, error);
}

/* One child of Sources: a TextSource comes prepared (or with the error
 * its preparation ran into, transfer full). */
static gboolean
import_source_node (Import      *im,
                    CwXmlEl     *src,
                    Prepared    *prepared,
                    GError      *prepare_error,
                    GError     **error)
{
  if (is_el (src, "TextSource"))
    {
      if (g_cancellable_set_error_if_cancelled (im->cancellable, error))
        {
          g_clear_error (&prepare_error);
          return FALSE;
        }
      if (im->progress != NULL)
        im->progress (im->n_done, im->n_sources, cw_xml_el_get_attribute (src, "name"), im->progress_data);
      if (prepare_error != NULL)
        {
          g_propagate_error (error, prepare_error);
          return FALSE;
        }
      g_assert (prepared != NULL);
      if (!store_source (im, prepared, im->n_done + 1, error))
        return FALSE;
      im->n_done++;
      return TRUE;
    }
  g_clear_error (&prepare_error);
  for (guint i = 0; i < G_N_ELEMENTS (skipped_kinds); i++)
    if (is_el (src, skipped_kinds[i]))
      note_skipped_source (im, src, i);
  return TRUE;
}

/* Everything that refers to sources: cases, sets, notes and the rest. */
static gboolean
import_tail (Import      *im,
             CwXmlEl     *root,
             GError     **error)
{
  g_autofree char *description = NULL;

  warn_skipped_sources (im);
  if (!import_cases (im, root, error) ||
      !import_sets (im, root, error) ||
      !import_notes (im, root, error))
    return FALSE;

  if ((description = description_of (root)) != NULL &&
      insert_memo (im, NULL, _("Description"), description, 0, NULL, NULL, CW_MEMO_PROJECT, 0, error) == 0)
    return FALSE;

  if (first_el (root, "Graphs") != NULL)
    {
      guint n = count_el (first_el (root, "Graphs"), "Graph");

      warn (im->warnings, g_dngettext (GETTEXT_PACKAGE, "%u graph was skipped (Codewerk has no graphs)",
                                       "%u graphs were skipped (Codewerk has no graphs)", n),
            n);
    }
  final_warnings (im);
  return TRUE;
}

/* The whole project from a tree: for files whose sections come in an
 * order the streaming pass cannot follow. */
static gboolean
import_tree (Import      *im,
             const char  *data,
             gsize        size,
             const char  *entry,
             GError     **error)
{
  g_autoptr(CwXmlTree) doc = cw_xml_parse_tree (data, size, entry, im->filename, error);
  CwXmlEl *root;

  if (doc == NULL)
    return FALSE;
  root = cw_xml_tree_get_root (doc);
  if (!import_head (im, root, error))
    return FALSE;
  for (CwXmlEl *sources = first_el (root, "Sources"); sources != NULL; sources = next_el (sources, "Sources"))
    for (CwXmlEl *src = sources->children; src != NULL; src = src->next)
      {
        GError *prepare_error = NULL;
        g_autoptr(Prepared) prepared = is_el (src, "TextSource") ? prepare_source (im, NULL, src, &prepare_error)
                                                                  : NULL;

        if (!import_source_node (im, src, prepared, prepare_error, error))
          return FALSE;
      }
  return import_tail (im, root, error) && store_rows (im, error);
}

/* NVivo counts UTF-16 code units and writes CRLF on Windows, counted;
 * ATLAS.ti writes CRLF but counts a line break as one. */
static void
set_units (Import     *im,
           const char *origin)
{
  im->guess.utf16 = origin != NULL && g_str_has_prefix (origin, "NVivo");
  im->guess.crlf_as_two = !(origin != NULL && g_str_has_prefix (origin, "ATLAS.ti"));
  im->known_unit = origin != NULL && g_str_has_prefix (origin, "Codewerk");
}

static char *scan_attribute (int n_attributes, const xmlChar **attributes, const char *name);

/* The first pass: the root, whether the sections come in the standard's
 * order, how many text sources there are and which files they name. */
typedef struct
{
  char      *root;       /* local name */
  char      *root_uri;
  char      *name;
  char      *origin;
  gboolean   root_qda;
  char      *section;    /* the depth-1 element being read */
  gboolean   seen_sources;
  gboolean   out_of_order;
  guint      n_text_sources;
  GPtrArray *paths;      /* label, path, label, path, ... */
} Scan;

static void
scan_clear (Scan *scan)
{
  g_free (scan->root);
  g_free (scan->root_uri);
  g_free (scan->name);
  g_free (scan->origin);
  g_free (scan->section);
  g_clear_pointer (&scan->paths, g_ptr_array_unref);
}

static void
scan_free (gpointer scan)
{
  scan_clear (scan);
  g_free (scan);
}

/* -- the streaming import: a parsing thread and the database thread --
 *
 * The parsing thread reads project.qde as a stream of small trees (each
 * section, each source), prepares each text source (reads, converts and
 * normalises its text, finds its turns) and hands them over in order;
 * this thread stores them meanwhile. The parsing thread also hands each
 * text to the indexing thread, which builds the full-text index in a
 * database of its own, in memory; its rows are copied in at the end. The
 * parsing thread owns im->n_misaligned, im->n_prepared, im->guess and
 * im->known_unit while it runs and reads im->entries and the archive;
 * project.qde and the texts come from the reading thread, under
 * im->read_lock. */

/* Items waiting at most: bounds the memory whatever the file's size. */
#define PARSE_AHEAD 16

typedef enum
{
  ITEM_SECTION,   /* a child of the root (not Sources) */
  ITEM_SOURCE,    /* a child of Sources */
  ITEM_END,       /* the parse is over (error: why it failed) */
} ItemKind;

typedef struct
{
  ItemKind   kind;
  CwXmlTree *tree;      /* SECTION, and SOURCE that is not a TextSource */
  Prepared  *prepared;  /* a TextSource's (owns its tree) */
  GError    *error;     /* a TextSource that could not be prepared; END */
} Item;

static void
item_free (Item *item)
{
  cw_xml_tree_free (item->tree);
  prepared_free (item->prepared);
  g_clear_error (&item->error);
  g_free (item);
}

/* One table of the index, as rows of values. */
typedef struct
{
  char      *name;
  int        n_columns;
  GPtrArray *values;   /* sqlite3_value *, n_columns per row */
} IndexTable;

static void
index_table_free (IndexTable *table)
{
  g_free (table->name);
  g_ptr_array_unref (table->values);
  g_free (table);
}

/* The full-text index, built by a thread of its own in a database of its
 * own (in memory) while the others parse and store; its tables' rows are
 * copied into the project at the end. FTS5 writes a segment per statement,
 * so the texts go in a few at a time, about as much as FTS5 holds in
 * memory before it writes anyway. */
#define INDEX_BATCH_DOCS  32
#define INDEX_BATCH_BYTES (1 << 20)

typedef struct
{
  gint64  id;
  char   *text;    /* NULL: no more */
} IndexDoc;

typedef struct
{
  GMutex        lock;       /* sql and sql_set */
  GCond         cond;
  gboolean      sql_set;    /* the project is made (or failed): sql is final */
  char         *sql;        /* how the project declares document_index */
  GAsyncQueue  *docs;
  gint          abort;      /* atomic: the import failed, stop early */
  sqlite3      *db;
  gboolean      failed;
  GPtrArray    *tables;     /* IndexTable: the result, NULL if none */
  GThread      *thread;
} Indexer;

/* Runs one multi-row INSERT for docs[0..n). */
static gboolean
indexer_insert (Indexer   *ix,
                IndexDoc **docs,
                guint      n)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO document_index (rowid, text) VALUES ");
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  for (guint i = 0; i < n; i++)
    g_string_append (sql, i > 0 ? ", (?, ?)" : "(?, ?)");
  if (sqlite3_prepare_v2 (ix->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_int64 (stmt, 2 * i + 1, docs[i]->id);
      sqlite3_bind_text (stmt, 2 * i + 2, docs[i]->text, -1, SQLITE_STATIC);
    }
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  return ok;
}

/* Reads the index's tables out (their names are FTS5's own). */
static gboolean
indexer_read_tables (Indexer *ix)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) index_table_free);
  sqlite3_stmt *names = NULL;
  gboolean ok;

  ok = sqlite3_exec (ix->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (ix->db,
                           "SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name GLOB 'document_index_*' ORDER BY name",
                           -1, &names, NULL) == SQLITE_OK;
  while (ok && sqlite3_step (names) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (names, 0);
      g_autofree char *sql = NULL;
      sqlite3_stmt *rows = NULL;
      IndexTable *table;
      int rc;

      /* Only such names ever get into SQL text here and in copy_index. */
      for (const char *c = name; ok && *c != '\0'; c++)
        ok = g_ascii_isalnum (*c) || *c == '_';
      if (!ok)
        break;
      /* The settings stay the project's own: only the format version. */
      if (g_str_has_suffix (name, "_config"))
        sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE k = 'version'", name);
      else
        sql = g_strdup_printf ("SELECT * FROM \"%s\"", name);
      if (sqlite3_prepare_v2 (ix->db, sql, -1, &rows, NULL) != SQLITE_OK)
        {
          ok = FALSE;
          break;
        }
      table = g_new0 (IndexTable, 1);
      table->name = g_strdup (name);
      table->n_columns = sqlite3_column_count (rows);
      table->values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
      g_ptr_array_add (tables, table);
      while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
        for (int i = 0; i < table->n_columns; i++)
          g_ptr_array_add (table->values, sqlite3_value_dup (sqlite3_column_value (rows, i)));
      ok = rc == SQLITE_DONE;
      sqlite3_finalize (rows);
    }
  sqlite3_finalize (names);
  if (ok && tables->len > 0)
    ix->tables = g_steal_pointer (&tables);
  return ok;
}

static gpointer
indexer_thread (gpointer data)
{
  Indexer *ix = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  gsize bytes = 0;

  /* The texts wait in the queue while the project is being made. */
  g_mutex_lock (&ix->lock);
  while (!ix->sql_set)
    g_cond_wait (&ix->cond, &ix->lock);
  g_mutex_unlock (&ix->lock);
  ix->failed = ix->sql == NULL ||
               sqlite3_open_v2 (":memory:", &ix->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
               sqlite3_exec (ix->db, ix->sql, NULL, NULL, NULL) != SQLITE_OK ||
               sqlite3_exec (ix->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
               /* No merging of segments while they are written: it is most
                * of the work after the tokenizing, and a dozen segments
                * search about as fast as a few. Not copied (see below). */
               sqlite3_exec (ix->db, "INSERT INTO document_index (document_index, rank) VALUES ('automerge', 0)",
                             NULL, NULL, NULL) != SQLITE_OK;
  for (;;)
    {
      IndexDoc *doc = g_async_queue_pop (ix->docs);
      gboolean end = doc->text == NULL;

      if (!end)
        {
          g_ptr_array_add (batch, doc);
          bytes += strlen (doc->text);
        }
      else
        g_free (doc);
      if (g_atomic_int_get (&ix->abort))
        ix->failed = TRUE;
      if (batch->len > 0 && (end || ix->failed || batch->len >= INDEX_BATCH_DOCS || bytes >= INDEX_BATCH_BYTES))
        {
          if (!ix->failed && !indexer_insert (ix, (IndexDoc **) batch->pdata, batch->len))
            ix->failed = TRUE;
          for (guint i = 0; i < batch->len; i++)
            {
              g_free (((IndexDoc *) batch->pdata[i])->text);
              g_free (batch->pdata[i]);
            }
          g_ptr_array_set_size (batch, 0);
          bytes = 0;
        }
      if (end)
        break;
    }
  if (!ix->failed && !indexer_read_tables (ix))
    ix->failed = TRUE;
  g_clear_pointer (&ix->db, sqlite3_close);
  return NULL;
}

static Indexer *
indexer_start (void)
{
  Indexer *ix = g_new0 (Indexer, 1);

  g_mutex_init (&ix->lock);
  g_cond_init (&ix->cond);
  ix->docs = g_async_queue_new ();
  ix->thread = g_thread_new ("cw-refi-index", indexer_thread, ix);
  return ix;
}

/* sql: transfer full; NULL when there is no project to index for. */
static void
indexer_set_sql (Indexer *ix,
                 char    *sql)
{
  g_mutex_lock (&ix->lock);
  if (!ix->sql_set)
    ix->sql = sql;
  else
    g_free (sql);
  ix->sql_set = TRUE;
  g_cond_signal (&ix->cond);
  g_mutex_unlock (&ix->lock);
}

/* text: transfer full; NULL ends the input. */
static void
indexer_add (Indexer *ix,
             gint64   id,
             char    *text)
{
  IndexDoc *doc = g_new0 (IndexDoc, 1);

  doc->id = id;
  doc->text = text;
  g_async_queue_push (ix->docs, doc);
}

/* Waits for the thread (after indexer_add (ix, 0, NULL)); returns its
 * tables unless keep is FALSE or it failed. */
static GPtrArray *
indexer_finish (Indexer  *ix,
                gboolean  keep)
{
  GPtrArray *tables;

  if (!keep)
    g_atomic_int_set (&ix->abort, 1);
  indexer_set_sql (ix, NULL); /* if it still waits for one */
  g_thread_join (ix->thread);
  tables = keep && !ix->failed ? g_steal_pointer (&ix->tables) : NULL;
  g_clear_pointer (&ix->tables, g_ptr_array_unref);
  g_async_queue_unref (ix->docs);
  g_mutex_clear (&ix->lock);
  g_cond_clear (&ix->cond);
  g_free (ix->sql);
  g_free (ix);
  return tables;
}

typedef struct
{
  Import       *im;
  const char   *entry;
  GAsyncQueue  *items;
  GAsyncQueue  *credits;
  gint          stop;          /* atomic */
  gboolean      in_sources;    /* the depth-1 element open is Sources */
  Indexer      *indexer;
  GThread      *thread;
  Scan         *scan;          /* the first pass made by the stream, or NULL */
} Producer;

static void scan_start (const xmlChar *localname, const xmlChar *uri, int depth, int n_attributes,
                        const xmlChar **attributes, gpointer user_data);

static void
producer_scan_start (const xmlChar  *localname,
                     const xmlChar  *uri,
                     int             depth,
                     int             n_attributes,
                     const xmlChar **attributes,
                     gpointer        user_data)
{
  Producer *pr = user_data;

  scan_start (localname, uri, depth, n_attributes, attributes, pr->scan);
}

static gboolean
producer_split (const xmlChar  *localname,
                const xmlChar  *uri,
                int             depth,
                int             n_attributes,
                const xmlChar **attributes,
                gpointer        user_data)
{
  Producer *pr = user_data;

  if (depth == 0)
    {
      /* Before any source: how its positions count. */
      g_autofree char *origin = scan_attribute (n_attributes, attributes, "origin");

      set_units (pr->im, origin);
      return FALSE;
    }
  if (depth == 1)
    {
      /* Sources is read source by source; the other sections whole. */
      pr->in_sources = strcmp ((const char *) localname, "Sources") == 0 && qda_uri ((const char *) uri);
      return !pr->in_sources;
    }
  return TRUE;
}

/* Waits for room in the queue; FALSE once the other thread has stopped. */
static gboolean
producer_push (Producer *pr,
               Item     *item)
{
  g_async_queue_pop (pr->credits);
  if (g_atomic_int_get (&pr->stop))
    {
      item_free (item);
      return FALSE;
    }
  g_async_queue_push (pr->items, item);
  return TRUE;
}

static gboolean
producer_deliver (CwXmlTree  *tree,
                  int         depth,
                  gpointer    user_data,
                  GError    **error)
{
  Producer *pr = user_data;
  Item *item = g_new0 (Item, 1);
  CwXmlEl *root = cw_xml_tree_get_root (tree);

  item->kind = depth == 1 ? ITEM_SECTION : ITEM_SOURCE;
  if (item->kind == ITEM_SOURCE && is_el (root, "TextSource") && !g_atomic_int_get (&pr->stop))
    {
      item->prepared = prepare_source (pr->im, tree, root, &item->error);
      if (item->prepared == NULL)
        item->tree = tree;
      else if (item->prepared->text != NULL)
        indexer_add (pr->indexer, item->prepared->document_id, g_strdup (item->prepared->text));
    }
  else
    item->tree = tree;
  if (!producer_push (pr, item))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("stopped"));
      return FALSE;
    }
  return TRUE;
}

/* The stream's read of project.qde: what the reading thread has inflated
 * so far, waiting for more; then the whole file, once read (-1 if it
 * could not be: the reading thread says why). */
typedef struct
{
  Import *im;
  gsize   offset;
} QdeReader;

static int
read_qde_chunk (void *context,
                char *buffer,
                int   len)
{
  QdeReader *reader = context;
  Import *im = reader->im;
  const guchar *data = NULL;
  gsize size = 0;
  int n = -1;

  g_mutex_lock (&im->read_lock);
  for (;;)
    {
      if (im->qde_ready)
        {
          if (im->qde != NULL)
            {
              data = g_bytes_get_data (im->qde, &size);
              n = (int) MIN ((gsize) MAX (len, 0), size - MIN (size, reader->offset));
            }
          break;
        }
      if (im->qde_partial != NULL && im->qde_partial_len > reader->offset)
        {
          data = im->qde_partial;
          size = im->qde_partial_len;
          n = (int) MIN ((gsize) MAX (len, 0), size - reader->offset);
          break;
        }
      g_cond_wait (&im->read_cond, &im->read_lock);
    }
  if (n > 0)
    {
      memcpy (buffer, data + reader->offset, n);
      reader->offset += n;
    }
  g_mutex_unlock (&im->read_lock);
  return n;
}

static gpointer
producer_thread (gpointer data)
{
  Producer *pr = data;
  Import *im = pr->im;
  Item *end = g_new0 (Item, 1);
  g_autoptr(GBytes) qde = NULL;
  gboolean parsed = FALSE;

  end->kind = ITEM_END;
  if (pr->scan != NULL)
    {
      /* Parsed as the reading thread inflates it. */
      QdeReader reader = { im, 0 };

      parsed = cw_xml_parse_split_scan (read_qde_chunk, &reader, pr->entry, im->filename, producer_split,
                                        producer_deliver, producer_scan_start, pr, &end->error);
    }
  else
    {
      /* The reading thread inflates it meanwhile. */
      g_mutex_lock (&im->read_lock);
      while (!im->qde_ready)
        g_cond_wait (&im->read_cond, &im->read_lock);
      qde = im->qde != NULL ? g_bytes_ref (im->qde) : NULL;
      g_mutex_unlock (&im->read_lock);
      if (qde == NULL)
        /* Unreadable: the first pass says why. */
        g_set_error_literal (&end->error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("stopped"));
      else
        {
          gsize size;
          const char *text = g_bytes_get_data (qde, &size);

          cw_xml_parse_split (text, size, pr->entry, im->filename, producer_split, producer_deliver, pr, &end->error);
        }
    }
  if (pr->scan != NULL)
    {
      /* Read whole, the file has had its first pass: the same parse under
       * the same rules, the same start tags. */
      g_mutex_lock (&im->read_lock);
      im->stream_scan = parsed ? STREAM_SCAN_DONE : STREAM_SCAN_FAILED;
      if (parsed)
        im->stream_result = g_steal_pointer (&pr->scan);
      g_cond_broadcast (&im->read_cond);
      g_mutex_unlock (&im->read_lock);
    }
  indexer_add (pr->indexer, 0, NULL);
  g_async_queue_push (pr->items, end);
  return NULL;
}

/* Starts parsing project.qde as soon as the reading thread has it. */
static Producer *
producer_start (Import     *im,
                const char *entry)
{
  Producer *pr = g_new0 (Producer, 1);

  pr->im = im;
  pr->entry = entry;
  pr->items = g_async_queue_new ();
  pr->credits = g_async_queue_new ();
  for (guint i = 0; i < PARSE_AHEAD; i++)
    g_async_queue_push (pr->credits, GINT_TO_POINTER (1));
  pr->indexer = indexer_start ();
  if (im->stream_scans)
    {
      pr->scan = g_new0 (Scan, 1);
      pr->scan->paths = g_ptr_array_new_with_free_func (g_free);
    }
  pr->thread = g_thread_new ("cw-refi-parse", producer_thread, pr);
  return pr;
}

/* The next item, in document order. */
static Item *
producer_next (Producer *pr)
{
  Item *item = g_async_queue_pop (pr->items);

  g_async_queue_push (pr->credits, GINT_TO_POINTER (1));
  return item;
}

/* Stops the threads (wherever they are), waits for them and returns the
 * index (NULL if none, or if keep is FALSE). */
static GPtrArray *
producer_finish (Producer *pr,
                 gboolean  keep)
{
  GPtrArray *index;
  Item *item;

  g_atomic_int_set (&pr->stop, 1);
  if (!keep)
    g_atomic_int_set (&pr->im->abort, 1); /* nor wait for texts */
  /* Wake it if it waits for room; it sees stop and ends. */
  for (guint i = 0; i < 2; i++)
    g_async_queue_push (pr->credits, GINT_TO_POINTER (1));
  g_thread_join (pr->thread);
  index = indexer_finish (pr->indexer, keep);

  while ((item = g_async_queue_try_pop (pr->items)) != NULL)
    item_free (item);
  g_async_queue_unref (pr->items);
  g_async_queue_unref (pr->credits);
  g_clear_pointer (&pr->scan, scan_free);
  g_free (pr);
  return index;
}

static void
producer_cancel (Producer *pr)
{
  GPtrArray *index = producer_finish (pr, FALSE);

  g_assert (index == NULL);
}

/* Copies the index the indexing thread built into the project's (empty)
 * index tables. */
static gboolean
copy_index (Import     *im,
            GPtrArray  *index,
            GError    **error)
{
  sqlite3 *db = _cw_project_get_db (im->project);

  for (guint t = 0; t < index->len; t++)
    {
      IndexTable *table = index->pdata[t];
      g_autoptr(GString) sql = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;
      gboolean ok = TRUE;

      g_string_printf (sql, "INSERT OR REPLACE INTO main.\"%s\" VALUES (", table->name);
      for (int i = 0; i < table->n_columns; i++)
        g_string_append (sql, i > 0 ? ", ?" : "?");
      g_string_append_c (sql, ')');
      if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        {
          _cw_project_set_db_error (im->project, error, _("cannot index the documents"));
          return FALSE;
        }
      for (guint r = 0; ok && r + table->n_columns <= table->values->len; r += table->n_columns)
        {
          for (int i = 0; i < table->n_columns; i++)
            sqlite3_bind_value (stmt, i + 1, table->values->pdata[r + i]);
          ok = sqlite3_step (stmt) == SQLITE_DONE;
          sqlite3_reset (stmt);
        }
      if (!ok)
        _cw_project_set_db_error (im->project, error, _("cannot index the documents"));
      sqlite3_finalize (stmt);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* How the project declares its index, so that the copy is built alike. */
static char *
index_declaration (Import *im)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (im->project,
                         "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'document_index'", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

/* The whole project read as a stream (see above); the sections other than
 * Sources are kept under a stand-in root and read after the sources (they
 * refer to them). */
static gboolean
import_stream (Import      *im,
               Producer    *pr,
               GError     **error)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_xml_tree_free);
  g_autoptr(GPtrArray) index = NULL;
  CwXmlEl rest = { .name = "Project", .text = "" };
  CwXmlEl *last = NULL;
  gboolean ok = TRUE;

  while (ok)
    {
      Item *item = producer_next (pr);

      if (item->kind == ITEM_END)
        {
          if (item->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&item->error));
              ok = FALSE;
            }
          item_free (item);
          break;
        }
      if (item->kind == ITEM_SECTION)
        {
          CwXmlEl *root = cw_xml_tree_get_root (item->tree);

          if (last != NULL)
            last->next = root;
          else
            rest.children = root;
          last = root;
          g_ptr_array_add (sections, g_steal_pointer (&item->tree));
        }
      else
        {
          /* Users, codebook and variables come first (scan_project
           * checked). */
          CwXmlEl *src = item->prepared != NULL ? item->prepared->src : cw_xml_tree_get_root (item->tree);

          ok = (im->head_done || import_head (im, &rest, error)) &&
               import_source_node (im, src, item->prepared, g_steal_pointer (&item->error), error);
        }
      item_free (item);
    }

  ok = ok && (im->head_done || import_head (im, &rest, error)) && import_tail (im, &rest, error);
  ok = ok && store_rows (im, error);
  index = producer_finish (pr, ok);
  if (ok && im->first_document > 0 && index != NULL)
    {
      ok = copy_index (im, index, error);
      im->indexed = ok;
    }
  /* The trees under rest go last. */
  rest.children = NULL;
  return ok;
}

static gboolean
uri_is_qda (const xmlChar *uri)
{
  return uri == NULL || g_str_has_prefix ((const char *) uri, "urn:QDA-XML:");
}

/* A SAX attribute value: "&#38;" stands for '&' there. */
static char *
scan_attribute (int             n_attributes,
                const xmlChar **attributes,
                const char     *name)
{
  for (int i = 0; i < n_attributes; i++)
    {
      const xmlChar **a = attributes + 5 * i;

      if (a[2] == NULL && strcmp ((const char *) a[0], name) == 0)
        {
          g_autofree char *value = g_strndup ((const char *) a[3], a[4] - a[3]);
          g_auto(GStrv) parts = g_strsplit (value, "&#38;", -1);

          return g_strjoinv ("&", parts);
        }
    }
  return NULL;
}

static void
scan_start (const xmlChar  *localname,
            const xmlChar  *uri,
            int             depth,
            int             n_attributes,
            const xmlChar **attributes,
            gpointer        user_data)
{
  Scan *scan = user_data;
  const char *name = (const char *) localname;

  if (depth == 0)
    {
      scan->root = g_strdup (name);
      scan->root_uri = g_strdup ((const char *) uri);
      scan->root_qda = uri_is_qda (uri);
      scan->name = scan_attribute (n_attributes, attributes, "name");
      scan->origin = scan_attribute (n_attributes, attributes, "origin");
    }
  else if (depth == 1)
    {
      g_free (scan->section);
      scan->section = uri_is_qda (uri) ? g_strdup (name) : NULL;
      if (scan->section == NULL)
        return;
      if (strcmp (name, "Sources") == 0)
        scan->seen_sources = TRUE;
      else if (scan->seen_sources &&
               (strcmp (name, "Users") == 0 || strcmp (name, "CodeBook") == 0 || strcmp (name, "Variables") == 0))
        scan->out_of_order = TRUE;
    }
  else if (depth == 2 && scan->section != NULL && uri_is_qda (uri) &&
           ((strcmp (scan->section, "Sources") == 0 && strcmp (name, "TextSource") == 0) ||
            (strcmp (scan->section, "Notes") == 0 && strcmp (name, "Note") == 0)))
    {
      char *path = scan_attribute (n_attributes, attributes, "plainTextPath");

      if (strcmp (name, "TextSource") == 0)
        scan->n_text_sources++;
      if (is_blank (path))
        {
          g_free (path);
          return;
        }
      g_ptr_array_add (scan->paths, scan_attribute (n_attributes, attributes, "name"));
      g_ptr_array_add (scan->paths, path);
    }
}

/* The entries the sources and notes name; a path that leaves the archive
 * is refused here, before anything is made. */
static gboolean
collect_wanted (Import      *im,
                Scan        *scan,
                GHashTable  *wanted,
                GError     **error)
{
  for (guint i = 0; i + 1 < scan->paths->len; i += 2)
    {
      const char *name = g_ptr_array_index (scan->paths, i);
      const char *path = g_ptr_array_index (scan->paths, i + 1);
      g_autofree char *why = NULL;
      const char *entry = NULL;

      if (!locate_text (im, path, is_blank (name) ? path : name, &entry, &why, error))
        return FALSE;
      if (entry != NULL)
        g_hash_table_add (wanted, (gpointer) entry);
    }
  return TRUE;
}

/* The first pass over project.qde, on a thread of its own while the
 * streaming pass starts and the project is made: checks it (well-formed,
 * no DOCTYPE, the root, paths that stay in the archive), works out what
 * the rest needs to know (title, how many sources, whether the sections
 * come in order), then reads the texts the file names, one by one, for
 * read_entry() to pick up. */
typedef struct
{
  Import     *im;
  Scan       *scan;
  const char *qde_name;
  char       *title;
  GPtrArray  *warnings;
  GHashTable *wanted;
  gboolean    scanned;   /* under im->read_lock, with the two below */
  gboolean    ok;
  GError     *error;
  GThread    *thread;
} ReadJob;

static void
read_job_clear (ReadJob *job)
{
  if (job->thread != NULL)
    {
      g_atomic_int_set (&job->im->abort, 1);
      /* It may wait for the stream's first pass. */
      g_mutex_lock (&job->im->read_lock);
      g_cond_broadcast (&job->im->read_cond);
      g_mutex_unlock (&job->im->read_lock);
      g_thread_join (g_steal_pointer (&job->thread));
    }
  g_clear_pointer (&job->title, g_free);
  g_clear_pointer (&job->warnings, g_ptr_array_unref);
  g_clear_pointer (&job->wanted, g_hash_table_unref);
  g_clear_error (&job->error);
}

/* streamed: the scan the streaming pass made (transfer full), or NULL to
 * make it here. */
static gboolean
scan_project_file (ReadJob  *job,
                   Scan     *streamed,
                   GError  **error)
{
  Import *im = job->im;
  Scan *scan = job->scan;
  const char *qde_name = job->qde_name;
  gsize size;
  const char *data = g_bytes_get_data (im->qde, &size);

  if (streamed != NULL)
    {
      /* Read whole by the stream: well-formed, no DOCTYPE. */
      *scan = *streamed;
      g_free (streamed);
    }
  else
    {
      /* Refuses what is not well-formed or has a DOCTYPE before the
       * streaming pass could store any of it. */
      scan->paths = g_ptr_array_new_with_free_func (g_free);
      if (!cw_xml_scan_safe (data, size, qde_name, im->filename, scan_start, scan, error))
        return FALSE;
    }
  if (scan->root == NULL || strcmp (scan->root, "Project") != 0 || !scan->root_qda)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, im->filename, 0,
                           _("%s is not a REFI-QDA project (the root element is <%s>, not <Project>)"),
                           qde_name, scan->root != NULL ? scan->root : "");
      return FALSE;
    }
  if (scan->root_uri == NULL)
    warn (job->warnings, _("the %s has no namespace (expected %s); read anyway"), _("project"), "urn:QDA-XML:project:1.0");
  else if (strcmp (scan->root_uri, "urn:QDA-XML:project:1.0") != 0)
    warn (job->warnings, _("the %s uses the namespace %s instead of %s; read anyway"),
          _("project"), scan->root_uri, "urn:QDA-XML:project:1.0");

  job->title = clean_text_name (scan->name);
  if (job->title == NULL)
    {
      g_autofree char *base = g_path_get_basename (im->filename);
      char *dot = strrchr (base, '.');

      if (dot != NULL && dot != base)
        *dot = '\0';
      job->title = g_steal_pointer (&base);
    }

  /* Every path is checked before anything is stored. */
  job->wanted = g_hash_table_new (g_str_hash, g_str_equal);
  return collect_wanted (im, scan, job->wanted, error);
}

static gboolean
not_wanted (gpointer key,
            gpointer value,
            gpointer wanted)
{
  return !g_hash_table_contains (wanted, key);
}

static gpointer
read_ahead_thread (gpointer data)
{
  read_ahead (data);
  return NULL;
}

static gboolean
read_ahead_already (gpointer key,
                    gpointer value,
                    gpointer spec_names)
{
  return g_hash_table_contains (spec_names, key);
}

static gpointer
read_job_thread (gpointer data)
{
  ReadJob *job = data;
  Import *im = job->im;
  GError *local = NULL;
  GBytes *qde;
  gboolean ok;
  Scan *streamed = NULL;
  GThread *ahead;

  /* project.qde first: the parsing thread waits for it, or parses it as
   * it comes when it makes the first pass. */
  g_mutex_lock (&im->read_lock);
  im->qde_publishing = im->stream_scans;
  g_mutex_unlock (&im->read_lock);
  ahead = g_thread_new ("cw-refi-ahead", read_ahead_thread, im);
  qde = read_project_file (im, job->qde_name, &local);
  ok = qde != NULL;

  g_mutex_lock (&im->read_lock);
  im->qde = qde;
  im->qde_ready = TRUE;
  im->qde_publishing = FALSE;
  im->qde_partial = NULL;
  g_cond_broadcast (&im->read_cond);
  g_mutex_unlock (&im->read_lock);

  /* Then the texts, which the parsing thread soon wants (read meanwhile
   * by a thread of their own: the first source's text was waiting for all
   * of project.qde), then the pass. */
  g_thread_join (ahead);
  if (ok && im->stream_scans)
    {
      /* Storing before the verdict, the streaming pass makes the first
       * pass as it goes (one parse of the file instead of two); this
       * thread makes it only if the stream stopped before the end, or
       * waits for a text that was not read ahead. */
      g_mutex_lock (&im->read_lock);
      while (im->stream_scan == STREAM_SCAN_PENDING && !im->scan_now && !g_atomic_int_get (&im->abort))
        g_cond_wait (&im->read_cond, &im->read_lock);
      if (im->stream_scan == STREAM_SCAN_DONE)
        streamed = g_steal_pointer (&im->stream_result);
      g_mutex_unlock (&im->read_lock);
    }
  ok = ok && scan_project_file (job, g_steal_pointer (&streamed), &local);
  g_mutex_lock (&im->read_lock);
  job->scanned = TRUE;
  job->ok = ok;
  if (!ok)
    {
      job->error = g_error_copy (local);
      /* Nothing will be read: whoever waits for a text gets why. */
      im->prefetch_done = TRUE;
      im->prefetch_error = g_steal_pointer (&local);
    }
  g_cond_broadcast (&im->read_cond);
  g_mutex_unlock (&im->read_lock);
  if (!ok)
    return NULL;

  /* Texts read ahead that no source names are of no use; those it names
   * need no second look (prefetch_entries would skip them): with none
   * left, the archive is not walked again. */
  g_mutex_lock (&im->read_lock);
  g_hash_table_foreach_remove (im->speculative, not_wanted, job->wanted);
  g_hash_table_foreach_remove (job->wanted, read_ahead_already, im->spec_names);
  g_mutex_unlock (&im->read_lock);
  ok = prefetch_entries (im, job->wanted, &local);
  g_mutex_lock (&im->read_lock);
  im->prefetch_done = TRUE;
  if (!ok)
    im->prefetch_error = g_steal_pointer (&local);
  g_cond_broadcast (&im->read_cond);
  g_mutex_unlock (&im->read_lock);
  return NULL;
}

/* Waits for the first pass; FALSE with its error if it failed. */
static gboolean
read_job_wait_scanned (ReadJob  *job,
                       GError  **error)
{
  Import *im = job->im;
  gboolean ok;

  g_mutex_lock (&im->read_lock);
  while (!job->scanned)
    g_cond_wait (&im->read_cond, &im->read_lock);
  ok = job->ok;
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&job->error));
  g_mutex_unlock (&im->read_lock);
  return ok;
}

/* Waits for the reading to end; FALSE with its error if it failed. */
static gboolean
read_job_finish (ReadJob  *job,
                 GError  **error)
{
  Import *im = job->im;

  if (job->thread != NULL)
    g_thread_join (g_steal_pointer (&job->thread));
  if (im->prefetch_error != NULL)
    {
      g_propagate_error (error, g_error_copy (im->prefetch_error));
      return FALSE;
    }
  return TRUE;
}

/* -- the new project's file --
 *
 * The project is built under a temporary name beside its own, without a
 * journal on disk and without syncing: a failed import removes it anyway,
 * so neither buys anything. At the end it goes back to WAL, is synced
 * once and renamed into place without replacing anything. Nothing claims
 * project_path before that: a crash would leave the claim there, a file
 * that is no project and blocks the next attempt (test-crash). */

/* Moves the finished project to project_path unless a file appeared there
 * meanwhile (as cw_project_create never overwrites one). */
static gboolean
rename_noreplace (const char  *temp_path,
                  const char  *project_path,
                  GError     **error)
{
  int saved = _cw_rename_no_replace (temp_path, project_path);

  if (saved == 0)
    return TRUE;
  if (saved == EEXIST)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                 _("%s: the file already exists; choose another name"), project_path);
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 _("%s: cannot create the project: %s"), project_path, g_strerror (saved));
  return FALSE;
}

/* Removes what crashed imports left beside project_path: NAME.importing-
 * XXXXXXXX files and their -wal and -shm, copies of the data that nobody
 * will use. A running import holds a lock on its file (flock, apart from
 * SQLite's locks); a file changed in the last minute is left alone too,
 * since one that is being created has no lock yet. */
static void
remove_stale_imports (const char *project_path)
{
  g_autofree char *dir = g_path_get_dirname (project_path);
  g_autofree char *base = g_path_get_basename (project_path);
  g_autofree char *prefix = g_strconcat (base, ".importing-", NULL);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      const char *tail;
      g_autofree char *path = NULL;
      g_autofree char *main_path = NULL;
      struct stat st;
      int fd;

      if (!g_str_has_prefix (name, prefix))
        continue;
      tail = name + strlen (prefix);
      if (strspn (tail, "0123456789abcdef") != 8 ||
          (tail[8] != '\0' && !g_str_equal (tail + 8, "-wal") && !g_str_equal (tail + 8, "-shm") &&
           !g_str_equal (tail + 8, "-journal")))
        continue;
      path = g_build_filename (dir, name, NULL);
      main_path = g_strndup (path, strlen (path) - strlen (tail + 8));
      fd = g_open (main_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
      if (fd < 0)
        {
          /* A -wal or -shm whose project is gone. */
          if (errno == ENOENT && g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && now - st.st_mtime >= 60)
            g_ptr_array_add (stale, g_steal_pointer (&path));
          continue;
        }
      if (tail[8] == '\0' && fstat (fd, &st) == 0 && S_ISREG (st.st_mode) && now - st.st_mtime >= 60 &&
          flock (fd, LOCK_EX | LOCK_NB) == 0)
        g_ptr_array_add (stale, g_steal_pointer (&main_path));
      close (fd);
    }
  for (guint i = 0; i < stale->len; i++)
    remove_project_files (stale->pdata[i]);
}

static CwProject *
create_unsynced (const char  *project_path,
                 const char  *title,
                 guint64      archive_bytes,
                 char       **temp_path,
                 GError     **error)
{
  g_autoptr(CwProject) project = NULL;
  /* The indexes that grow in random order (the codings' GUIDs, the codes,
   * the documents) must fit in the page cache, or their pages are written
   * out and read back again and again: 2 MB wrote each page five times for
   * 2,000 transcripts (178,000 page writes for a 37,000-page file). A
   * cache larger than that made a 200-transcript import slower (0.42 ->
   * 0.50 s), so about a sixth of the archive, 2 to 16 MB. */
  g_autofree char *cache_pragma =
    g_strdup_printf ("PRAGMA cache_size = -%" G_GUINT64_FORMAT,
                     CLAMP (archive_bytes / 6 / 1024, (guint64) 2000, (guint64) 16000));

  for (guint attempt = 0; project == NULL; attempt++)
    {
      g_autoptr(GError) local = NULL;

      g_free (*temp_path);
      *temp_path = g_strdup_printf ("%s.importing-%08x", project_path, g_random_int ());
      project = _cw_project_create_in_place (*temp_path, title, &local);
      if (project == NULL && (attempt >= 3 || !g_error_matches (local, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS)))
        {
          g_clear_pointer (temp_path, g_free);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  /* Nothing to check either: the importer makes every reference itself. */
  if (!_cw_project_exec (project,
                         /* As _cw_project_create_in_place already left it. */
                         "PRAGMA synchronous = OFF; PRAGMA journal_mode = MEMORY; PRAGMA foreign_keys = OFF;"
                         /* As cw_project_open() makes it (ensure_listing_index
                          * in cw-project.c, keep the two alike), made while
                          * empty: made on opening, it would read every text
                          * back. */
                         "CREATE INDEX IF NOT EXISTS documents_listing ON documents"
                         " (id, guid, name, kind, original_name, imported_at, characters, language, media_path, position)",
                         error) ||
      !_cw_project_exec (project, cache_pragma, error))
    {
      g_clear_object (&project);
      remove_project_files (*temp_path);
      g_clear_pointer (temp_path, g_free);
      return NULL;
    }
  /* The window's record of which codings a transaction touched is of no
   * use on this connection, which nobody watches and which is closed
   * before the project is opened; SQLite does less per row without it. */
  sqlite3_preupdate_hook (_cw_project_get_db (project), NULL, NULL);
  return g_steal_pointer (&project);
}

/* A new project has nothing to undo, and the undo history's insert
 * triggers still run a query per row to find that out (a quarter of what
 * a coding's insert costs): they are set aside during the import and put
 * back as they were declared before it commits. Returns their SQL. */
static GPtrArray *
suspend_history_triggers (CwProject  *project,
                          GError    **error)
{
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (project,
                         "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_history_insert'",
                         error);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      gboolean plain = TRUE;

      for (const char *c = name; *c != '\0'; c++)
        plain = plain && (g_ascii_isalnum (*c) || *c == '_');
      if (!plain || sqlite3_column_text (stmt, 1) == NULL)
        continue;
      g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_add (sql, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (project, error, _("cannot write the project"));
      return NULL;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"", (const char *) names->pdata[i]);

      if (!_cw_project_exec (project, drop, error))
        return NULL;
    }
  return g_steal_pointer (&sql);
}

static gboolean
restore_triggers (CwProject  *project,
                  GPtrArray  *sql,
                  GError    **error)
{
  for (guint i = 0; i < sql->len; i++)
    if (!_cw_project_exec (project, sql->pdata[i], error))
      return FALSE;
  return TRUE;
}

/* The title is known once the file has been read; it is read from the
 * file when the project is opened at the end. */
static gboolean
set_title (CwProject   *project,
           const char  *title,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (project, "UPDATE project SET value = ?1 WHERE key = 'title'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, title, -1, SQLITE_STATIC);
  return run_done (project, stmt, error);
}

static gboolean
sync_path (const char  *path,
           gboolean     directory,
           GError     **error)
{
  int fd = g_open (path, directory ? O_RDONLY | O_DIRECTORY : O_RDONLY, 0);
  int saved;

  if (fd < 0 || fsync (fd) != 0)
    {
      saved = errno;
      if (fd >= 0)
        close (fd);
      /* Some file systems cannot sync a directory; the file is what counts. */
      if (directory && (saved == EINVAL || saved == EBADF || saved == EACCES))
        return TRUE;
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot write the project: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* Back to WAL (a setting kept in the file), closed, synced and renamed
 * into place; then opened as any project. */
static CwProject *
install_project (CwProject   *project,
                 const char  *temp_path,
                 const char  *project_path,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (project_path);
  gboolean wal = FALSE;

  {
    g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (project, "PRAGMA journal_mode = WAL", error);

    if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
    if (stmt != NULL && !wal)
      _cw_project_set_db_error (project, error, _("cannot write the project"));
  }
  /* The last reference: closing checkpoints the (empty) WAL and removes it. */
  g_object_unref (project);
  if (!wal ||
      !sync_path (temp_path, FALSE, error))
    return NULL;
  if (!rename_noreplace (temp_path, project_path, error))
    return NULL;
  if (!sync_path (dir, TRUE, error))
    return NULL;
  return cw_project_open (project_path, error);
}

/* One attempt: force_tree reads the file from a tree; *retry says that
 * it must be (the sections came out of order). Without progress to report
 * (which needs the number of sources first) the project is stored while
 * the first pass still runs. */
static CwProject *
import_project (const char      *qdpx_path,
                const char      *project_path,
                GPtrArray       *warnings,
                CwProgressFunc   progress,
                gpointer         progress_data,
                GCancellable    *cancellable,
                gboolean         force_tree,
                gboolean        *retry,
                GError         **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) zip = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(CwProject) project = NULL;
  g_autofree char *title = NULL;
  const char *qde_name;
  g_autofree char *temp_path = NULL;
  Import im = { 0 };
  Scan scan = { 0 };
  gboolean imported;
  gboolean early = progress == NULL && !force_tree;
  guint first_warning = 0;
  ReadJob job = { 0 };
  Producer *producer = NULL;
  g_autoptr(GError) create_error = NULL;
  g_autoptr(GPtrArray) triggers = NULL;

  g_mutex_init (&im.read_lock);
  im.file_fd = -1;
  g_cond_init (&im.read_cond);

  if (g_file_test (project_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS,
                   _("%s: the file already exists; choose another name"), project_path);
      return NULL;
    }
  remove_stale_imports (project_path);

  /* Mapped, not read: a project with media can be large, and only the
   * entries we need are ever inflated. */
  mapped = g_mapped_file_new (qdpx_path, FALSE, &local);
  if (mapped == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, qdpx_path, 0, _("cannot read the file: %s"), local->message);
      return NULL;
    }
  zip = g_mapped_file_get_bytes (mapped);

  im.filename = qdpx_path;
  im.warnings = warnings;
  im.zip = zip;
  im.progress = progress;
  im.progress_data = progress_data;
  im.cancellable = cancellable;
  im.budget = MIN (MAX_TOTAL_BYTES, (guint64) CW_IMPORT_MAX_RATIO * MAX (g_bytes_get_size (zip), 1));
  if ((im.entries = cw_zip_list_entries (zip, qdpx_path, error)) == NULL ||
      !cw_zip_check_entries (zip, qdpx_path, error) ||
      !check_declared_sizes (&im, error))
    goto failed;
  if ((qde_name = cw_zip_find_entry (im.entries, "project.qde")) == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, qdpx_path, 0,
                           _("not a REFI-QDA project (the archive has no project.qde)"));
      goto failed;
    }
  /* A text's cap, or 16 times the archive for a large project: a small
   * bomb stays at the text cap, the ratio budget bounds the rest. */
  im.qde_name = qde_name;
  im.qde_cap = MAX ((guint64) CW_IMPORT_MAX_ENTRY_BYTES, (guint64) 16 * g_bytes_get_size (im.zip));
  /* Three threads besides this one: one reads project.qde, then the texts
   * the archive likely holds, makes the first pass over project.qde and
   * reads the texts it names that were not read yet; one streams
   * project.qde (see import_stream) as soon as it is read, and one indexes
   * the texts. This one makes the project meanwhile. */
  im.speculative = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  im.spec_names = string_set_new ();
  im.speculative_cap = MIN ((guint64) CW_IMPORT_MAX_ENTRY_BYTES, im.budget);
  job.im = &im;
  job.scan = &scan;
  job.qde_name = qde_name;
  job.warnings = g_ptr_array_new_with_free_func (g_free);
  im.stream_scans = early;
  job.thread = g_thread_new ("cw-refi-read", read_job_thread, &job);
  if (!force_tree)
    producer = producer_start (&im, qde_name);

  {
    g_autofree char *for_now = g_path_get_basename (project_path);

    project = create_unsynced (project_path, for_now, g_bytes_get_size (zip), &temp_path, &create_error);
  }
  if (project != NULL)
    {
      im.project = project;
      im.file_fd = g_open (temp_path, O_RDONLY, 0);
      /* Tells remove_stale_imports in another import that this one runs. */
      if (im.file_fd >= 0)
        flock (im.file_fd, LOCK_EX | LOCK_NB);
    }
  if (producer != NULL)
    indexer_set_sql (producer->indexer, project != NULL ? index_declaration (&im) : NULL);

  /* What does not need the first pass, meanwhile. */
  im.now = _cw_now_iso8601 ();
  im.note_refs = g_ptr_array_new_with_free_func ((GDestroyNotify) note_ref_free);
  im.used_coders = string_set_new ();
  im.used_documents = string_set_new ();
  im.used_codings = string_set_new ();
  im.used_memos = string_set_new ();
  im.used_groups = string_set_new ();
  im.used_cases = string_set_new ();
  im.used_variables = string_set_new ();
  im.users = id_table_new ();
  im.coder_names = string_set_new ();
  im.documents = key_table_new ((GDestroyNotify) doc_free);
  im.document_names = string_set_new ();
  im.selections = key_table_new (g_free);
  im.codings = id_table_new ();
  im.notes = string_set_new ();
  im.variables = key_table_new (g_free);
  im.variable_names = string_set_new ();
  im.case_names = id_table_new ();
  im.document_cases = id_table_new ();
  im.case_links = string_set_new ();
  im.missing = id_table_new ();
  im.coding_ranges = g_hash_table_new_full (coding_range_hash, coding_range_equal, g_free, NULL);
  batch_init (&im.coding_rows,
              "INSERT INTO temp.cw_codings (id, guid, document_id, code_id, coder_id, start, end, created_at) VALUES ",
              8);
  batch_init (&im.turn_rows, "INSERT INTO turns (document_id, idx, speaker_id, start, end) VALUES ", 5);

  if (project != NULL &&
      (!_cw_project_begin (project, &create_error) ||
       (triggers = suspend_history_triggers (project, &create_error)) == NULL ||
       !_cw_project_exec (project,
                          "CREATE TEMP TABLE cw_codings (id INTEGER PRIMARY KEY, guid, document_id, code_id, coder_id,"
                          " start, end, created_at)", &create_error) ||
       !codes_init (&im.codes, project, warnings, &create_error)))
    g_clear_pointer (&producer, producer_cancel);
  im.codes.note_refs = im.note_refs;
  first_warning = warnings != NULL ? warnings->len : 0;

  if (early && create_error == NULL)
    {
      /* Stored as it streams in, before the first pass's verdict: the
       * project is thrown away if that refuses the file, and its error is
       * the one reported, as if it had come first. */
      g_autoptr(GError) stream_error = NULL;

      imported = import_stream (&im, g_steal_pointer (&producer), &stream_error);
      if (!read_job_wait_scanned (&job, error))
        goto failed_transaction;
      if (scan.out_of_order)
        {
          /* Its head came after the sources: read again, from a tree. */
          *retry = TRUE;
          goto failed_transaction;
        }
      if (!imported)
        {
          g_propagate_error (error, g_steal_pointer (&stream_error));
          goto failed_transaction;
        }
      /* The first pass's warnings go first, as they came first. */
      for (guint i = 0; warnings != NULL && i < job.warnings->len; i++)
        g_ptr_array_insert (warnings, first_warning + i, g_strdup (job.warnings->pdata[i]));
      title = g_steal_pointer (&job.title);
      im.n_sources = scan.n_text_sources;
      if (!set_title (project, title, error))
        goto failed_transaction;
    }
  else
    {
      /* The first pass's verdict comes first, then any trouble making the
       * project. */
      if (!read_job_wait_scanned (&job, error) || create_error != NULL)
        {
          if (create_error != NULL && (error == NULL || *error == NULL))
            g_propagate_error (error, g_steal_pointer (&create_error));
          if (project != NULL)
            goto failed_transaction;
          goto failed_project;
        }
      for (guint i = 0; i < job.warnings->len; i++)
        warn (warnings, "%s", (const char *) job.warnings->pdata[i]);
      title = g_steal_pointer (&job.title);
      im.n_sources = scan.n_text_sources;
      if (!set_title (project, title, error))
        goto failed_transaction;

      if (scan.out_of_order || force_tree)
        {
          gsize size;
          const char *data = g_bytes_get_data (im.qde, &size);

          /* A file whose sections come out of the schema's order is read
           * from a tree. */
          g_clear_pointer (&producer, producer_cancel);
          set_units (&im, scan.origin);
          imported = import_tree (&im, data, size, qde_name, error);
        }
      else
        imported = import_stream (&im, g_steal_pointer (&producer), error);
    }
  imported = imported && read_job_finish (&job, error);
  if (!imported ||
      !restore_triggers (project, triggers, error) ||
      (im.first_document > 0 && !im.indexed && !_cw_project_index_new_documents (project, im.first_document, error)) ||
      !_cw_history_clear (project, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !_cw_project_commit (project, error))
    goto failed_transaction;
  start_writing_out (&im, G_MAXSIZE / 2);
  if ((project = install_project (g_steal_pointer (&project), temp_path, project_path, error)) == NULL)
    goto failed_project;

  if (progress != NULL)
    progress (im.n_sources, im.n_sources, NULL, progress_data);
  read_job_clear (&job);
  import_clear (&im);
  scan_clear (&scan);
  return g_steal_pointer (&project);

failed_transaction:
  _cw_project_rollback (project);
failed_project:
  g_clear_pointer (&producer, producer_cancel);
  batch_finalize (&im.coding_rows);
  batch_finalize (&im.turn_rows);
  g_clear_object (&project);
  if (temp_path != NULL)
    remove_project_files (temp_path);
failed:
  read_job_clear (&job);
  import_clear (&im);
  scan_clear (&scan);
  if (error != NULL && *error != NULL && temp_path != NULL && strstr ((*error)->message, temp_path) != NULL)
    {
      /* The user knows the project by its own name. */
      g_auto(GStrv) parts = g_strsplit ((*error)->message, temp_path, -1);

      g_free ((*error)->message);
      (*error)->message = g_strjoinv (project_path, parts);
    }
  /* Database errors name the new project; say which import failed. */
  if (error != NULL && *error != NULL && g_error_matches (*error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE))
    g_prefix_error (error, "%s: ", qdpx_path);
  return NULL;
}

CwProject *
cw_refi_import_project (const char      *qdpx_path,
                        const char      *project_path,
                        GPtrArray       *warnings,
                        CwProgressFunc   progress,
                        gpointer         progress_data,
                        GCancellable    *cancellable,
                        GError         **error)
{
  guint n_warnings = warnings != NULL ? warnings->len : 0;
  gboolean retry = FALSE;
  CwProject *project;

  g_return_val_if_fail (qdpx_path != NULL, NULL);
  g_return_val_if_fail (project_path != NULL, NULL);

  project = import_project (qdpx_path, project_path, warnings, progress, progress_data, cancellable, FALSE, &retry,
                            error);
  if (project == NULL && retry)
    {
      /* Nothing of the first attempt is kept, its warnings neither. */
      if (warnings != NULL)
        g_ptr_array_set_size (warnings, n_warnings);
      project = import_project (qdpx_path, project_path, warnings, progress, progress_data, cancellable, TRUE, &retry,
                                error);
    }
  return project;
}
