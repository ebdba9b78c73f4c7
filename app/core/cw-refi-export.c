/* cw-refi-export.c: writing REFI-QDA codebooks (.qdc) and projects (.qdpx).
 *
 * The XML is streamed with xmlTextWriter (no DOM) while each table is read
 * with one query, in the order Project.xsd's sequences want it. project.qde
 * is built in memory (a few MB for a large project) so that its zip entry
 * has a known size; the source texts then go straight from SQLite into the
 * zip, one entry per document. Both files are written to a temporary file
 * beside the target and renamed over it, so a failure leaves nothing.
 *
 * Choices worth knowing (NOTES.md §3, §7):
 * - GUIDs are the database's, uppercased, braces dropped; a GUID that is
 *   not in 8-4-4-4-12 form gets a name-based one derived from it, so the
 *   output is valid and still stable across exports.
 * - Codings of the same range in a document share one PlainTextSelection
 *   with a Coding per code and coder. The selection's GUID is derived
 *   (name-based, SHA-1) from its first coding's GUID rather than equal to
 *   it: stable across exports, yet no GUID names two objects, which tools
 *   that keep one GUID map would trip over.
 * - A numeric variable is written as Integer when it has values and every
 *   one is a whole number (ages, years, counts, SPSS codes), else as Float;
 *   FloatValue is xsd:decimal, so never in exponent form.
 * - A case linked to one speaker of a document becomes a SourceRef to the
 *   whole document: REFI has no speakers, and a SelectionRef would need a
 *   selection per turn.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libxml/xmlwriter.h>

#include "cw-codebook.h"
#include "cw-import.h"
#include "cw-project-private.h"
#include "cw-refi.h"

#define NS_CODEBOOK "urn:QDA-XML:codebook:1.0"
#define NS_PROJECT  "urn:QDA-XML:project:1.0"
#define GUID_LEN    36
/* Deflate level 4 rather than zlib's default 6: on the benchmark project
 * (14 MB of XML and text) the archive is 4 % larger and written 35 % faster,
 * which keeps export ahead of `zip -r` of the same files (tests/bench). */
#define ZIP_LEVEL   "4"
#define XML_DECLARATION       "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
#define XML_DECLARATION_UPPER "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

typedef char CwGuid[GUID_LEN + 1];

/* Writing the temporary file beside the target, then renaming it. */

typedef struct
{
  char *path;
  char *tmp;
  int   fd;
} AtomicFile;

static void
set_file_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("%s: cannot write: %s"), path, g_strerror (saved_errno));
}

static gboolean
atomic_open (AtomicFile  *file,
             const char  *path,
             GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);

  file->path = g_strdup (path);
  file->tmp = g_strdup_printf ("%s%s.%s.XXXXXX", dir, G_DIR_SEPARATOR_S, base);
  file->fd = g_mkstemp_full (file->tmp, O_RDWR | O_CLOEXEC, 0666);
  if (file->fd < 0)
    {
      set_file_error (error, path, errno);
      g_clear_pointer (&file->tmp, g_free);
      g_clear_pointer (&file->path, g_free);
      return FALSE;
    }
  return TRUE;
}

static void
atomic_abort (AtomicFile *file)
{
  if (file->fd >= 0)
    close (file->fd);
  file->fd = -1;
  if (file->tmp != NULL)
    g_unlink (file->tmp);
  g_clear_pointer (&file->tmp, g_free);
  g_clear_pointer (&file->path, g_free);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len)
{
  while (len > 0)
    {
      gssize n = write (fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      len -= n;
    }
  return TRUE;
}

/* Like g_file_set_contents(): the data reach the disk before the rename
 * only when an existing file is replaced, so an old export is never lost
 * to a crash, and a new one costs no sync. */
static gboolean
atomic_commit (AtomicFile  *file,
               GError     **error)
{
  int fd = file->fd;

  file->fd = -1;
  if ((g_file_test (file->path, G_FILE_TEST_EXISTS) && fsync (fd) != 0) || close (fd) != 0 ||
      g_rename (file->tmp, file->path) != 0)
    {
      set_file_error (error, file->path, errno);
      atomic_abort (file);
      return FALSE;
    }
  g_clear_pointer (&file->tmp, g_free);
  g_clear_pointer (&file->path, g_free);
  return TRUE;
}

/* GUIDs, dates, numbers */

static gboolean
is_guid (const char *s,
         gsize       len)
{
  if (len != GUID_LEN)
    return FALSE;
  for (gsize i = 0; i < GUID_LEN; i++)
    {
      gboolean dash = i == 8 || i == 13 || i == 18 || i == 23;

      if (dash ? s[i] != '-' : !g_ascii_isxdigit (s[i]))
        return FALSE;
    }
  return TRUE;
}

/* A name-based GUID (version 5 layout over SHA-1), uppercase. */
static void
derive_guid (const char *salt,
             const char *name,
             CwGuid      out)
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 d[20];
  gsize len = sizeof d;

  g_checksum_update (sha1, (const guchar *) salt, -1);
  g_checksum_update (sha1, (const guchar *) (name != NULL ? name : ""), -1);
  g_checksum_get_digest (sha1, d, &len);
  d[6] = (d[6] & 0x0F) | 0x50;
  d[8] = (d[8] & 0x3F) | 0x80;
  g_snprintf (out, GUID_LEN + 1,
              "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
              d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]);
}

/* The database's GUID as REFI wants it: uppercase, hyphenated, no braces. */
static void
refi_guid (const char *guid,
           CwGuid      out)
{
  const char *s = guid != NULL ? guid : "";
  gsize len = strlen (s);

  if (len == GUID_LEN + 2 && s[0] == '{' && s[len - 1] == '}')
    {
      s++;
      len -= 2;
    }
  if (!is_guid (s, len))
    {
      derive_guid ("codewerk:guid:", guid, out);
      return;
    }
  for (gsize i = 0; i < GUID_LEN; i++)
    out[i] = g_ascii_toupper (s[i]);
  out[GUID_LEN] = '\0';
}

static char *
refi_guid_dup (const char *guid)
{
  CwGuid out;

  refi_guid (guid, out);
  return g_strdup (out);
}

/* An xsd:dateTime in UTC with a trailing Z, or FALSE when the stored value
 * is no date (then the optional attribute is left out). */
static gboolean
refi_datetime (const char *value,
               char        out[32])
{
  static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;
  gboolean plain = value != NULL && strlen (value) == sizeof shape - 1;

  if (value == NULL)
    return FALSE;
  /* What the core writes: copy it as it is. */
  for (gsize i = 0; plain && i < sizeof shape - 1; i++)
    plain = shape[i] == 'd' ? g_ascii_isdigit (value[i]) : value[i] == shape[i];
  if (plain)
    {
      memcpy (out, value, sizeof shape);
      return TRUE;
    }
  utc = g_time_zone_new_utc ();
  time = g_date_time_new_from_iso8601 (value, utc);
  if (time == NULL)
    return FALSE;
  text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_strlcpy (out, text, 32);
  return TRUE;
}

/* A finite double as xsd:decimal: shortest round-trip digits, never an
 * exponent. */
static char *
refi_decimal (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_autoptr(GString) digits = g_string_new (NULL);
  GString *out;
  char *e;
  gboolean negative;
  int exponent, point;

  g_ascii_formatd (buf, sizeof buf, "%.15g", value);
  if (g_ascii_strtod (buf, NULL) != value)
    g_ascii_formatd (buf, sizeof buf, "%.17g", value);
  e = strchr (buf, 'e');
  if (e == NULL)
    return g_strdup (buf);

  exponent = atoi (e + 1);
  *e = '\0';
  negative = buf[0] == '-';
  for (const char *p = buf + (negative ? 1 : 0); *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  while (digits->len > 1 && digits->str[digits->len - 1] == '0')
    g_string_truncate (digits, digits->len - 1);
  point = 1 + exponent; /* digits before the decimal point */

  out = g_string_new (negative ? "-" : "");
  if (point <= 0)
    {
      g_string_append (out, "0.");
      for (int i = 0; i < -point; i++)
        g_string_append_c (out, '0');
      g_string_append (out, digits->str);
    }
  else if ((gsize) point >= digits->len)
    {
      g_string_append (out, digits->str);
      for (gsize i = digits->len; i < (gsize) point; i++)
        g_string_append_c (out, '0');
    }
  else
    {
      g_string_append_len (out, digits->str, point);
      g_string_append_c (out, '.');
      g_string_append (out, digits->str + point);
    }
  return g_string_free (out, FALSE);
}

/* "#RRGGBB" or NULL: the only colour form we write. */
static char *
refi_color (const char *color)
{
  char *normal = cw_code_normalize_color (color);

  if (normal != NULL)
    for (char *p = normal; *p != '\0'; p++)
      *p = g_ascii_toupper (*p);
  return normal;
}

/* The XML writer */

typedef struct
{
  CwProject        *project;
  xmlTextWriterPtr  writer;
  GString          *out;      /* the document being written */
  GString          *scratch;  /* cleaned text, valid until the next write */
  char             *invalid;  /* a made-valid copy, likewise */
} Writer;

static int
writer_write (void       *context,
              const char *buffer,
              int         len)
{
  g_string_append_len (context, buffer, len);
  return len;
}

static void
writer_init (Writer    *w,
             CwProject *project)
{
  xmlOutputBufferPtr output;

  w->project = project;
  w->out = g_string_sized_new (64 * 1024);
  w->scratch = g_string_new (NULL);
  output = xmlOutputBufferCreateIO (writer_write, NULL, w->out, NULL);
  w->writer = xmlNewTextWriter (output);
  xmlTextWriterSetIndent (w->writer, 1);
  xmlTextWriterSetIndentString (w->writer, BAD_CAST "  ");
  xmlTextWriterStartDocument (w->writer, "1.0", "utf-8", NULL);
}

static void
writer_clear (Writer *w)
{
  g_clear_pointer (&w->writer, xmlFreeTextWriter);
  if (w->out != NULL)
    g_string_free (w->out, TRUE);
  w->out = NULL;
  if (w->scratch != NULL)
    g_string_free (w->scratch, TRUE);
  w->scratch = NULL;
  g_clear_pointer (&w->invalid, g_free);
}

/* Finishes the document; the text stays in w->out. */
static gboolean
writer_finish (Writer     *w,
               const char *path,
               GError    **error)
{
  if (xmlTextWriterEndDocument (w->writer) < 0 || xmlTextWriterFlush (w->writer) < 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, _("%s: cannot write the XML"), path);
      return FALSE;
    }
  /* libxml2 names the encoding after its handler, "UTF-8"; REFI files
   * (and NOTES.md §7) spell it in lowercase. Telling the writer the
   * encoding is what keeps non-ASCII attributes as UTF-8, not &#...;. */
  if (g_str_has_prefix (w->out->str, XML_DECLARATION_UPPER))
    memcpy (w->out->str, XML_DECLARATION, strlen (XML_DECLARATION));
  return TRUE;
}

/* Text XML 1.0 can carry: valid UTF-8 without the control characters
 * (other than tab, LF, CR) and U+FFFE/U+FFFF that a pasted memo may hold. */
static const char *
xml_text (Writer     *w,
          const char *text)
{
  const guchar *p;

  if (text == NULL)
    return "";
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_free (w->invalid);
      text = w->invalid = g_utf8_make_valid (text, -1);
    }
  for (p = (const guchar *) text; *p != '\0'; p++)
    if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
        (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)))
      break;
  if (*p == '\0')
    return text;

  g_string_truncate (w->scratch, 0);
  g_string_append_len (w->scratch, text, (const char *) p - text);
  for (; *p != '\0'; p++)
    {
      if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
        continue;
      if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
        {
          p += 2;
          continue;
        }
      g_string_append_c (w->scratch, *p);
    }
  return w->scratch->str;
}

static void
start (Writer     *w,
       const char *name)
{
  xmlTextWriterStartElement (w->writer, BAD_CAST name);
}

static void
end (Writer *w)
{
  xmlTextWriterEndElement (w->writer);
}

static void
attr (Writer     *w,
      const char *name,
      const char *value)
{
  xmlTextWriterWriteAttribute (w->writer, BAD_CAST name, BAD_CAST xml_text (w, value));
}

static void
attr_int (Writer     *w,
          const char *name,
          gint64      value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  xmlTextWriterWriteAttribute (w->writer, BAD_CAST name, BAD_CAST buf);
}

static void
attr_date (Writer     *w,
           const char *name,
           const char *value)
{
  char buf[32];

  if (refi_datetime (value, buf))
    xmlTextWriterWriteAttribute (w->writer, BAD_CAST name, BAD_CAST buf);
}

/* <name>text</name> */
static void
element_text (Writer     *w,
              const char *name,
              const char *text)
{
  xmlTextWriterWriteElement (w->writer, BAD_CAST name, BAD_CAST xml_text (w, text));
}

/* <name targetGUID="..."/> */
static void
element_ref (Writer     *w,
             const char *name,
             const char *guid)
{
  start (w, name);
  attr (w, "targetGUID", guid);
  end (w);
}

static gboolean
step_error (CwProject  *project,
            int         rc,
            GError    **error)
{
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  _cw_project_set_db_error (project, error, _("cannot read the project"));
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The codebook, shared by both formats */

typedef struct
{
  gint64     id;
  gint64     parent_id;
  char      *guid;  /* REFI form */
  char      *name;
  char      *color; /* "#RRGGBB" or NULL */
  char      *description;
  gboolean   codable;
  GPtrArray *children; /* Code *, borrowed */
} Code;

static void
code_free (Code *code)
{
  g_free (code->guid);
  g_free (code->name);
  g_free (code->color);
  g_free (code->description);
  g_ptr_array_unref (code->children);
  g_free (code);
}

/* The roots (Code *, owning the whole tree through all) in display order. */
static GPtrArray *
load_codes (CwProject  *project,
            GPtrArray **all,
            GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (project,
                         "SELECT id, guid, parent_id, name, color, description, codable FROM codes"
                         " ORDER BY position, id",
                         error);
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func ((GDestroyNotify) code_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) roots = g_ptr_array_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Code *code = g_new0 (Code, 1);

      code->id = sqlite3_column_int64 (stmt, 0);
      code->guid = refi_guid_dup (column_text (stmt, 1));
      code->parent_id = sqlite3_column_int64 (stmt, 2);
      code->name = g_strdup (column_text (stmt, 3));
      code->color = refi_color (column_text (stmt, 4));
      code->description = g_strdup (column_text (stmt, 5));
      code->codable = sqlite3_column_int (stmt, 6) != 0;
      code->children = g_ptr_array_new ();
      g_ptr_array_add (codes, code);
      g_hash_table_insert (by_id, &code->id, code);
    }
  if (!step_error (project, rc, error))
    return NULL;

  /* Rows come by position, so children land in sibling order. */
  for (guint i = 0; i < codes->len; i++)
    {
      Code *code = codes->pdata[i];
      Code *parent = code->parent_id != 0 ? g_hash_table_lookup (by_id, &code->parent_id) : NULL;

      g_ptr_array_add (parent != NULL ? parent->children : roots, code);
    }
  *all = g_steal_pointer (&codes);
  return g_steal_pointer (&roots);
}

/* memo_refs (project format only): code id -> GPtrArray of Note GUIDs. */
static void
write_code (Writer     *w,
            Code       *code,
            GHashTable *memo_refs)
{
  GPtrArray *notes = memo_refs != NULL ? g_hash_table_lookup (memo_refs, &code->id) : NULL;

  start (w, "Code");
  attr (w, "guid", code->guid);
  attr (w, "name", code->name);
  attr (w, "isCodable", code->codable ? "true" : "false");
  if (code->color != NULL)
    attr (w, "color", code->color);
  if (code->description != NULL && *code->description != '\0')
    element_text (w, "Description", code->description);
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    element_ref (w, "NoteRef", notes->pdata[i]);
  for (guint i = 0; i < code->children->len; i++)
    write_code (w, code->children->pdata[i], memo_refs);
  end (w);
}

static void
write_codes (Writer     *w,
             GPtrArray  *roots,
             GHashTable *memo_refs)
{
  start (w, "Codes");
  for (guint i = 0; i < roots->len; i++)
    write_code (w, roots->pdata[i], memo_refs);
  end (w);
}

static gboolean
write_bytes_atomically (const char  *path,
                        const char  *data,
                        gsize        len,
                        GError     **error)
{
  AtomicFile file = { NULL, NULL, -1 };

  if (!atomic_open (&file, path, error))
    return FALSE;
  if (!write_all (file.fd, data, len))
    {
      set_file_error (error, path, errno != 0 ? errno : EIO);
      atomic_abort (&file);
      return FALSE;
    }
  return atomic_commit (&file, error);
}

gboolean
cw_refi_export_codebook (CwProject   *project,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  Writer w = { 0 };
  gboolean ok;

  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  roots = load_codes (project, &all, error);
  if (roots == NULL)
    return FALSE;
  if (roots->len == 0)
    {
      /* Codebook.xsd wants at least one Code. */
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the codebook is empty: nothing to export"), cw_project_get_path (project));
      return FALSE;
    }

  writer_init (&w, project);
  start (&w, "CodeBook");
  attr (&w, "xmlns", NS_CODEBOOK);
  attr (&w, "origin", "Codewerk " PACKAGE_VERSION);
  write_codes (&w, roots, NULL);
  /* Sets would hold code groups, which Codewerk does not have. */
  end (&w);
  ok = writer_finish (&w, path, error) && write_bytes_atomically (path, w.out->str, w.out->len, error);
  writer_clear (&w);
  return ok;
}

/* The project */

typedef struct
{
  Writer      w;
  GHashTable *users;         /* coder id -> REFI GUID */
  GPtrArray  *memos;         /* Memo * */
  GHashTable *document_memos; /* document id -> GPtrArray of Note GUIDs */
  GHashTable *code_memos;
  GHashTable *coding_memos;
  GPtrArray  *project_memos; /* Note GUIDs */
  GHashTable *whole_variables; /* ids of Integer variables */
} Export;

typedef struct
{
  char   *guid;
  char   *title;
  char   *text;
  gint64  author_id;
  char   *created_at;
  char   *modified_at;
} Memo;

static void
memo_free (Memo *memo)
{
  g_free (memo->guid);
  g_free (memo->title);
  g_free (memo->text);
  g_free (memo->created_at);
  g_free (memo->modified_at);
  g_free (memo);
}

static GHashTable *
id_table (GDestroyNotify value_free)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, value_free);
}

static void
add_ref (GHashTable *table,
         gint64      id,
         const char *guid)
{
  GPtrArray *refs = g_hash_table_lookup (table, &id);

  if (refs == NULL)
    {
      refs = g_ptr_array_new ();
      g_hash_table_insert (table, g_memdup2 (&id, sizeof id), refs);
    }
  g_ptr_array_add (refs, (gpointer) guid);
}

static void
export_clear (Export *ex)
{
  writer_clear (&ex->w);
  g_clear_pointer (&ex->users, g_hash_table_unref);
  g_clear_pointer (&ex->document_memos, g_hash_table_unref);
  g_clear_pointer (&ex->code_memos, g_hash_table_unref);
  g_clear_pointer (&ex->coding_memos, g_hash_table_unref);
  g_clear_pointer (&ex->project_memos, g_ptr_array_unref);
  g_clear_pointer (&ex->memos, g_ptr_array_unref);
  g_clear_pointer (&ex->whole_variables, g_hash_table_unref);
}

static const char *
user_guid (Export *ex,
           gint64  coder_id)
{
  return g_hash_table_lookup (ex->users, &coder_id);
}

static gboolean
write_users (Export  *ex,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (ex->w.project, "SELECT id, guid, name FROM coders ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      char *guid = refi_guid_dup (column_text (stmt, 1));

      if (g_hash_table_size (ex->users) == 0)
        start (&ex->w, "Users");
      g_hash_table_insert (ex->users, g_memdup2 (&id, sizeof id), guid);
      start (&ex->w, "User");
      attr (&ex->w, "guid", guid);
      attr (&ex->w, "name", column_text (stmt, 2));
      end (&ex->w);
    }
  if (g_hash_table_size (ex->users) > 0)
    end (&ex->w);
  return step_error (ex->w.project, rc, error);
}

/* Every memo, read before anything is written: the NoteRefs come long
 * before the Notes. */
static gboolean
load_memos (Export  *ex,
            GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (ex->w.project,
                         "SELECT guid, title, text, author_id, created_at, modified_at,"
                         " document_id, code_id, coding_id FROM memos ORDER BY id",
                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Memo *memo = g_new0 (Memo, 1);

      memo->guid = refi_guid_dup (column_text (stmt, 0));
      memo->title = g_strdup (column_text (stmt, 1));
      memo->text = g_strdup (column_text (stmt, 2));
      memo->author_id = sqlite3_column_int64 (stmt, 3);
      memo->created_at = g_strdup (column_text (stmt, 4));
      memo->modified_at = g_strdup (column_text (stmt, 5));
      g_ptr_array_add (ex->memos, memo);

      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        add_ref (ex->coding_memos, sqlite3_column_int64 (stmt, 8), memo->guid);
      else if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        add_ref (ex->code_memos, sqlite3_column_int64 (stmt, 7), memo->guid);
      else if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        add_ref (ex->document_memos, sqlite3_column_int64 (stmt, 6), memo->guid);
      else
        g_ptr_array_add (ex->project_memos, memo->guid);
    }
  return step_error (ex->w.project, rc, error);
}

static gboolean
write_codebook (Export  *ex,
                GError **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) roots = load_codes (ex->w.project, &all, error);

  if (roots == NULL)
    return FALSE;
  if (roots->len > 0)
    {
      start (&ex->w, "CodeBook");
      write_codes (&ex->w, roots, ex->code_memos);
      end (&ex->w);
    }
  return TRUE;
}

/* Which numeric variables hold only whole numbers (and at least one):
 * one pass over case_values, grouped. */
static gboolean
load_whole_variables (Export  *ex,
                      GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (ex->w.project,
                         "SELECT variable_id FROM case_values WHERE number IS NOT NULL GROUP BY variable_id"
                         " HAVING max (number <> round (number) OR abs (number) > 9.0e15) = 0",
                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (ex->whole_variables, g_memdup2 (&id, sizeof id));
    }
  return step_error (ex->w.project, rc, error);
}

static gboolean
write_variables (Export  *ex,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean any = FALSE;
  int rc;

  if (!load_whole_variables (ex, error))
    return FALSE;
  stmt = _cw_project_prepare (ex->w.project,
                              "SELECT id, guid, name, label, type FROM variables ORDER BY position, id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *type = column_text (stmt, 4);
      const char *label = column_text (stmt, 3);
      CwGuid guid;

      if (!any)
        start (&ex->w, "Variables");
      any = TRUE;
      refi_guid (column_text (stmt, 1), guid);
      start (&ex->w, "Variable");
      attr (&ex->w, "guid", guid);
      attr (&ex->w, "name", column_text (stmt, 2));
      if (g_strcmp0 (type, "numeric") == 0)
        attr (&ex->w, "typeOfVariable", g_hash_table_contains (ex->whole_variables, &id) ? "Integer" : "Float");
      else if (g_strcmp0 (type, "date") == 0)
        attr (&ex->w, "typeOfVariable", "Date");
      else
        attr (&ex->w, "typeOfVariable", "Text");
      if (label != NULL && *label != '\0')
        element_text (&ex->w, "Description", label);
      end (&ex->w);
    }
  if (any)
    end (&ex->w);
  return step_error (ex->w.project, rc, error);
}

/* "YYYY-MM-DD" from the start of text, if it is a real date. */
static gboolean
date_value (const char *text,
            char        out[11])
{
  guint year, month, day;

  if (text == NULL || strlen (text) < 10 || !g_ascii_isdigit (text[0]) || text[4] != '-' || text[7] != '-' ||
      (text[10] != '\0' && text[10] != 'T' && text[10] != ' ') ||
      sscanf (text, "%4u-%2u-%2u", &year, &month, &day) != 3 || month < 1 || month > 12 || day < 1 ||
      year < 1 || day > g_date_get_days_in_month (month, year))
    return FALSE;
  g_snprintf (out, 11, "%04u-%02u-%02u", year, month, day);
  return TRUE;
}

/* One VariableValue, or nothing for a missing value. */
static void
write_value (Export       *ex,
             sqlite3_stmt *stmt,
             gboolean      whole)
{
  /* columns: 1 variable guid, 2 type, 3 number, 4 text */
  const char *type = column_text (stmt, 2);
  const char *text = column_text (stmt, 4);
  gboolean has_number = sqlite3_column_type (stmt, 3) != SQLITE_NULL;
  double number = sqlite3_column_double (stmt, 3);
  g_autofree char *formatted = NULL;
  const char *element = NULL;
  char date[11];
  CwGuid guid;

  if (g_strcmp0 (type, "numeric") == 0)
    {
      if (!has_number || !isfinite (number))
        return;
      element = whole ? "IntegerValue" : "FloatValue";
      formatted = whole ? g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) number) : refi_decimal (number);
    }
  else if (g_strcmp0 (type, "date") == 0 && date_value (text, date))
    {
      element = "DateValue";
      formatted = g_strdup (date);
    }
  else if (text != NULL)
    {
      /* A text value, or a date we could not read: kept as text. */
      element = "TextValue";
      formatted = g_strdup (text);
    }
  else if (has_number && isfinite (number))
    {
      element = "TextValue";
      formatted = refi_decimal (number);
    }
  else
    return;

  refi_guid (column_text (stmt, 1), guid);
  start (&ex->w, "VariableValue");
  element_ref (&ex->w, "VariableRef", guid);
  element_text (&ex->w, element, formatted);
  end (&ex->w);
}

static gboolean
write_cases (Export  *ex,
             GError **error)
{
  CwProject *project = ex->w.project;
  g_autoptr(sqlite3_stmt) cases =
    _cw_project_prepare (project, "SELECT id, guid, identifier FROM cases ORDER BY id", error);
  g_autoptr(sqlite3_stmt) values = cases == NULL ? NULL :
    _cw_project_prepare (project,
                         "SELECT cv.case_id, v.guid, v.type, cv.number, cv.text, v.id"
                         " FROM case_values cv JOIN variables v ON v.id = cv.variable_id"
                         " ORDER BY cv.case_id, v.position, v.id",
                         error);
  /* Whole-document and speaker links alike (see the top of the file). */
  g_autoptr(sqlite3_stmt) links = values == NULL ? NULL :
    _cw_project_prepare (project,
                         "SELECT DISTINCT l.case_id, d.id, d.guid FROM case_links l"
                         " JOIN documents d ON d.id = l.document_id ORDER BY l.case_id, d.id",
                         error);
  int rc, value_rc, link_rc;
  gboolean any = FALSE;

  if (links == NULL)
    return FALSE;
  value_rc = sqlite3_step (values);
  link_rc = sqlite3_step (links);
  while ((rc = sqlite3_step (cases)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (cases, 0);
      CwGuid guid;

      if (!any)
        start (&ex->w, "Cases");
      any = TRUE;
      refi_guid (column_text (cases, 1), guid);
      start (&ex->w, "Case");
      attr (&ex->w, "guid", guid);
      attr (&ex->w, "name", column_text (cases, 2));
      /* Both cursors run in case id order beside this one. */
      while (value_rc == SQLITE_ROW && sqlite3_column_int64 (values, 0) < id)
        value_rc = sqlite3_step (values);
      for (; value_rc == SQLITE_ROW && sqlite3_column_int64 (values, 0) == id; value_rc = sqlite3_step (values))
        {
          gint64 variable = sqlite3_column_int64 (values, 5);

          write_value (ex, values, g_hash_table_contains (ex->whole_variables, &variable));
        }
      while (link_rc == SQLITE_ROW && sqlite3_column_int64 (links, 0) < id)
        link_rc = sqlite3_step (links);
      for (; link_rc == SQLITE_ROW && sqlite3_column_int64 (links, 0) == id; link_rc = sqlite3_step (links))
        {
          CwGuid source;

          refi_guid (column_text (links, 2), source);
          element_ref (&ex->w, "SourceRef", source);
        }
      end (&ex->w);
    }
  if (any)
    end (&ex->w);
  return step_error (project, rc, error) && step_error (project, value_rc, error) &&
         step_error (project, link_rc, error);
}

static void
write_note_refs (Export     *ex,
                 GHashTable *table,
                 gint64      id)
{
  GPtrArray *refs = g_hash_table_lookup (table, &id);

  for (guint i = 0; refs != NULL && i < refs->len; i++)
    element_ref (&ex->w, "NoteRef", refs->pdata[i]);
}

static gboolean
write_sources (Export  *ex,
               GError **error)
{
  CwProject *project = ex->w.project;
  g_autoptr(sqlite3_stmt) documents =
    _cw_project_prepare (project, "SELECT id, guid, name, imported_at FROM documents ORDER BY id", error);
  /* Ranges in order, the codings of one range by id: the first is the
   * oldest, whose coder and time the selection takes. */
  g_autoptr(sqlite3_stmt) codings = documents == NULL ? NULL :
    _cw_project_prepare (project,
                         "SELECT c.document_id, c.id, c.guid, c.start, c.end, c.coder_id, c.created_at, k.guid"
                         " FROM codings c JOIN codes k ON k.id = c.code_id"
                         " ORDER BY c.document_id, c.start, c.end, c.id",
                         error);
  int rc, coding_rc;
  gboolean any = FALSE;

  if (codings == NULL)
    return FALSE;
  coding_rc = sqlite3_step (codings);
  while ((rc = sqlite3_step (documents)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (documents, 0);
      g_autofree char *path = NULL;
      gboolean in_selection = FALSE;
      gint64 sel_start = -1, sel_end = -1;
      CwGuid guid;

      if (!any)
        start (&ex->w, "Sources");
      any = TRUE;
      refi_guid (column_text (documents, 1), guid);
      path = g_strdup_printf ("internal://%s.txt", guid);
      start (&ex->w, "TextSource");
      attr (&ex->w, "guid", guid);
      attr (&ex->w, "name", column_text (documents, 2));
      attr (&ex->w, "plainTextPath", path);
      attr_date (&ex->w, "creationDateTime", column_text (documents, 3));

      while (coding_rc == SQLITE_ROW && sqlite3_column_int64 (codings, 0) < id)
        coding_rc = sqlite3_step (codings);
      for (; coding_rc == SQLITE_ROW && sqlite3_column_int64 (codings, 0) == id; coding_rc = sqlite3_step (codings))
        {
          gint64 coding_id = sqlite3_column_int64 (codings, 1);
          gint64 s = sqlite3_column_int64 (codings, 3), e = sqlite3_column_int64 (codings, 4);
          const char *coder = user_guid (ex, sqlite3_column_int64 (codings, 5));
          const char *created = column_text (codings, 6);
          CwGuid coding_guid, code_guid;

          refi_guid (column_text (codings, 2), coding_guid);
          refi_guid (column_text (codings, 7), code_guid);
          if (!in_selection || s != sel_start || e != sel_end)
            {
              CwGuid selection_guid;

              if (in_selection)
                end (&ex->w);
              derive_guid ("codewerk:selection:", coding_guid, selection_guid);
              start (&ex->w, "PlainTextSelection");
              attr (&ex->w, "guid", selection_guid);
              attr_int (&ex->w, "startPosition", s);
              attr_int (&ex->w, "endPosition", e);
              if (coder != NULL)
                attr (&ex->w, "creatingUser", coder);
              attr_date (&ex->w, "creationDateTime", created);
              in_selection = TRUE;
              sel_start = s;
              sel_end = e;
            }
          start (&ex->w, "Coding");
          attr (&ex->w, "guid", coding_guid);
          if (coder != NULL)
            attr (&ex->w, "creatingUser", coder);
          attr_date (&ex->w, "creationDateTime", created);
          element_ref (&ex->w, "CodeRef", code_guid);
          write_note_refs (ex, ex->coding_memos, coding_id);
          end (&ex->w);
        }
      if (in_selection)
        end (&ex->w);
      write_note_refs (ex, ex->document_memos, id);
      end (&ex->w);
    }
  if (any)
    end (&ex->w);
  return step_error (project, rc, error) && step_error (project, coding_rc, error);
}

static void
write_notes (Export *ex)
{
  if (ex->memos->len == 0)
    return;
  start (&ex->w, "Notes");
  for (guint i = 0; i < ex->memos->len; i++)
    {
      Memo *memo = ex->memos->pdata[i];
      const char *author = memo->author_id != 0 ? user_guid (ex, memo->author_id) : NULL;

      start (&ex->w, "Note");
      attr (&ex->w, "guid", memo->guid);
      if (memo->title != NULL && *memo->title != '\0')
        attr (&ex->w, "name", memo->title);
      if (author != NULL)
        attr (&ex->w, "creatingUser", author);
      attr_date (&ex->w, "creationDateTime", memo->created_at);
      /* Who last edited a memo is not recorded: only when. */
      attr_date (&ex->w, "modifiedDateTime", memo->modified_at);
      element_text (&ex->w, "PlainTextContent", memo->text);
      end (&ex->w);
    }
  end (&ex->w);
}

/* Document groups as Sets of MemberSource. */
static gboolean
write_sets (Export  *ex,
            GError **error)
{
  CwProject *project = ex->w.project;
  g_autoptr(sqlite3_stmt) groups =
    _cw_project_prepare (project, "SELECT id, guid, name, description FROM document_groups ORDER BY id", error);
  g_autoptr(sqlite3_stmt) members = groups == NULL ? NULL :
    _cw_project_prepare (project,
                         "SELECT m.group_id, d.guid FROM document_group_members m"
                         " JOIN documents d ON d.id = m.document_id ORDER BY m.group_id, d.id",
                         error);
  int rc, member_rc;
  gboolean any = FALSE;

  if (members == NULL)
    return FALSE;
  member_rc = sqlite3_step (members);
  while ((rc = sqlite3_step (groups)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (groups, 0);
      const char *description = column_text (groups, 3);
      CwGuid guid;

      if (!any)
        start (&ex->w, "Sets");
      any = TRUE;
      refi_guid (column_text (groups, 1), guid);
      start (&ex->w, "Set");
      attr (&ex->w, "guid", guid);
      attr (&ex->w, "name", column_text (groups, 2));
      if (description != NULL && *description != '\0')
        element_text (&ex->w, "Description", description);
      while (member_rc == SQLITE_ROW && sqlite3_column_int64 (members, 0) < id)
        member_rc = sqlite3_step (members);
      for (; member_rc == SQLITE_ROW && sqlite3_column_int64 (members, 0) == id; member_rc = sqlite3_step (members))
        {
          CwGuid source;

          refi_guid (column_text (members, 1), source);
          element_ref (&ex->w, "MemberSource", source);
        }
      end (&ex->w);
    }
  if (any)
    end (&ex->w);
  return step_error (project, rc, error) && step_error (project, member_rc, error);
}

static char *
project_created_at (CwProject *project)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (project, "SELECT value FROM project WHERE key = 'created_at'", NULL);

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup (column_text (stmt, 0));
  return NULL;
}

/* project.qde, into ex->w.out. */
static gboolean
write_qde (Export      *ex,
           const char  *path,
           GError     **error)
{
  g_autofree char *created = project_created_at (ex->w.project);

  start (&ex->w, "Project");
  attr (&ex->w, "xmlns", NS_PROJECT);
  attr (&ex->w, "name", cw_project_get_title (ex->w.project));
  attr (&ex->w, "origin", "Codewerk " PACKAGE_VERSION);
  attr_date (&ex->w, "creationDateTime", created);
  if (!write_users (ex, error) || !load_memos (ex, error) || !write_codebook (ex, error) ||
      !write_variables (ex, error) || !write_cases (ex, error) || !write_sources (ex, error))
    return FALSE;
  write_notes (ex);
  if (!write_sets (ex, error))
    return FALSE;
  for (guint i = 0; i < ex->project_memos->len; i++)
    element_ref (&ex->w, "NoteRef", ex->project_memos->pdata[i]);
  end (&ex->w);
  return writer_finish (&ex->w, path, error);
}

static gboolean
archive_failed (struct archive  *archive,
                const char      *path,
                GError         **error)
{
  const char *message = archive_error_string (archive);
  int saved_errno = archive_errno (archive);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno > 0 ? saved_errno : EIO),
               _("%s: cannot write: %s"), path,
               message != NULL ? message : g_strerror (saved_errno > 0 ? saved_errno : EIO));
  return FALSE;
}

static gboolean
add_entry (struct archive  *archive,
           const char      *name,
           const char      *data,
           gsize            len,
           time_t           mtime,
           const char      *path,
           GError         **error)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_size (entry, len);
  archive_entry_set_mtime (entry, mtime, 0);
  ok = archive_write_header (archive, entry) == ARCHIVE_OK &&
       (len == 0 || archive_write_data (archive, data, len) == (la_ssize_t) len) &&
       archive_write_finish_entry (archive) == ARCHIVE_OK;
  archive_entry_free (entry);
  return ok || archive_failed (archive, path, error);
}

/* The zip: project.qde, then sources/<GUID>.txt straight from SQLite. */
static gboolean
write_zip (CwProject       *project,
           int              fd,
           const char      *path,
           GString         *qde,
           CwProgressFunc   progress,
           gpointer         progress_data,
           GCancellable    *cancellable,
           GError         **error)
{
  struct archive *archive = archive_write_new ();
  g_autoptr(sqlite3_stmt) count = NULL;
  g_autoptr(sqlite3_stmt) texts = NULL;
  time_t now = (time_t) (g_get_real_time () / G_USEC_PER_SEC);
  guint total = 0, done = 0;
  gboolean ok = FALSE;
  int rc;

  if (archive_write_set_format_zip (archive) != ARCHIVE_OK ||
      archive_write_zip_set_compression_deflate (archive) != ARCHIVE_OK ||
      archive_write_set_format_option (archive, "zip", "compression-level", ZIP_LEVEL) != ARCHIVE_OK ||
      archive_write_set_bytes_in_last_block (archive, 1) != ARCHIVE_OK ||
      archive_write_open_fd (archive, fd) != ARCHIVE_OK)
    {
      archive_failed (archive, path, error);
      goto out;
    }
  if (!add_entry (archive, "project.qde", qde->str, qde->len, now, path, error))
    goto out;

  count = _cw_project_prepare (project, "SELECT count(*) FROM documents", error);
  if (count == NULL || !step_error (project, sqlite3_step (count), error))
    goto out;
  total = sqlite3_column_int (count, 0);
  texts = _cw_project_prepare (project, "SELECT guid, name, text FROM documents ORDER BY id", error);
  if (texts == NULL)
    goto out;
  while ((rc = sqlite3_step (texts)) == SQLITE_ROW)
    {
      const char *text = column_text (texts, 2);
      g_autofree char *name = NULL;
      CwGuid guid;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      refi_guid (column_text (texts, 0), guid);
      name = g_strdup_printf ("sources/%s.txt", guid);
      if (!add_entry (archive, name, text != NULL ? text : "", sqlite3_column_bytes (texts, 2), now, path, error))
        goto out;
      done++;
      if (progress != NULL)
        progress (done, total, column_text (texts, 1), progress_data);
    }
  if (!step_error (project, rc, error))
    goto out;
  if (archive_write_close (archive) != ARCHIVE_OK)
    {
      archive_failed (archive, path, error);
      goto out;
    }
  ok = TRUE;

out:
  archive_write_free (archive);
  return ok;
}

gboolean
cw_refi_export_project (CwProject       *project,
                        const char      *path,
                        CwProgressFunc   progress,
                        gpointer         progress_data,
                        GCancellable    *cancellable,
                        GError         **error)
{
  Export ex = { 0 };
  AtomicFile file = { NULL, NULL, -1 };
  gboolean ok = FALSE, in_read = FALSE;

  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  writer_init (&ex.w, project);
  ex.users = id_table (g_free);
  ex.memos = g_ptr_array_new_with_free_func ((GDestroyNotify) memo_free);
  ex.document_memos = id_table ((GDestroyNotify) g_ptr_array_unref);
  ex.code_memos = id_table ((GDestroyNotify) g_ptr_array_unref);
  ex.coding_memos = id_table ((GDestroyNotify) g_ptr_array_unref);
  ex.project_memos = g_ptr_array_new ();
  ex.whole_variables = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  /* One read transaction: the XML and the texts are one snapshot. */
  if (!_cw_project_exec (project, "SAVEPOINT refi_export", error))
    goto out;
  in_read = TRUE;
  if (!write_qde (&ex, path, error) || !atomic_open (&file, path, error))
    goto out;
  if (!write_zip (project, file.fd, path, ex.w.out, progress, progress_data, cancellable, error))
    {
      atomic_abort (&file);
      goto out;
    }
  ok = atomic_commit (&file, error);

out:
  if (in_read)
    _cw_project_exec (project, "RELEASE refi_export", NULL);
  export_clear (&ex);
  return ok;
}
