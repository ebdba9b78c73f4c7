/* gen-archive.c: the archive half of the hostile corpus (see cw-hostile-gen.h).
 *
 * Zips (.docx, .odt, .qdpx) whose XML carries external entities, entity
 * bombs, truncation or the wrong root; zips that are damaged, truncated,
 * text, decompression bombs or have 100,000 entries; entries that would
 * land outside the extraction folder; codebooks (.qdc) of the same kinds;
 * encrypted copies (.codewerk-enc) that are cut short or garbage.
 *
 * Every entry that tries to escape is named codewerk-hostile-escape-*, so
 * that the test can look for it under /tmp and in its work folder.
 * Self-contained (libarchive only) and deterministic: no clock, no random.
 */
#include <errno.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cw-hostile-gen.h"

#define ESCAPE "codewerk-hostile-escape"
#define GUID(n) "6F9619FF-8B86-4011-B42D-00C0" n

/* About 1 GiB of text inflated from about 1 MiB: deflate's ratio tops out
 * near 1030:1, reached by a filler whose period is at most 4 bytes (the
 * match distance then needs no extra bits). */
#define BOMB_BYTES   ((guint64) 1 << 30)
#define MANY_ENTRIES 100000

typedef struct
{
  const char *name;
  const char *data;    /* NULL: a directory, or the target when symlink */
  gssize      length;  /* -1: data is a string */
  gboolean    symlink;
} Entry;

/* ---- writing zips ---- */

static la_ssize_t
write_to_array (struct archive *archive,
                void           *user_data,
                const void     *buffer,
                size_t          length)
{
  g_byte_array_append (user_data, buffer, (guint) length);
  return (la_ssize_t) length;
}

static gboolean
archive_failed (struct archive  *archive,
                const char      *what,
                GError         **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
               archive_error_string (archive) ? archive_error_string (archive) : "libarchive error");
  return FALSE;
}

static struct archive *
zip_writer_new (gboolean level9)
{
  struct archive *archive = archive_write_new ();

  archive_write_set_format_zip (archive);
  /* Not every libarchive knows the level; deflate's default does too. */
  if (level9)
    archive_write_set_options (archive, "zip:compression-level=9");
  /* Whole blocks would pad the archive with zeros after its end. */
  archive_write_set_bytes_in_last_block (archive, 1);
  return archive;
}

static gboolean
write_entry_header (struct archive  *archive,
                    const char      *name,
                    const char      *symlink,
                    gboolean         directory,
                    guint64          size,
                    GError         **error)
{
  struct archive_entry *entry = archive_entry_new ();
  int rc;

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_mtime (entry, 1700000000, 0);
  if (symlink != NULL)
    {
      archive_entry_set_filetype (entry, AE_IFLNK);
      archive_entry_set_perm (entry, 0777);
      archive_entry_set_symlink (entry, symlink);
    }
  else if (directory)
    {
      archive_entry_set_filetype (entry, AE_IFDIR);
      archive_entry_set_perm (entry, 0755);
    }
  else
    {
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, (la_int64_t) size);
    }
  rc = archive_write_header (archive, entry);
  archive_entry_free (entry);
  if (rc != ARCHIVE_OK)
    return archive_failed (archive, name, error);
  return TRUE;
}

static gboolean
write_all (struct archive  *archive,
           const char      *data,
           gsize            length,
           GError         **error)
{
  /* archive_write_data may take less than offered. */
  for (gsize done = 0; done < length;)
    {
      la_ssize_t n = archive_write_data (archive, data + done, MIN (length - done, 1024 * 1024));

      if (n <= 0)
        return archive_failed (archive, "write", error);
      done += (gsize) n;
    }
  return TRUE;
}

static gboolean
write_entries (struct archive  *archive,
               const Entry     *entries,
               guint            n_entries,
               GError         **error)
{
  for (guint i = 0; i < n_entries; i++)
    {
      const Entry *e = &entries[i];
      gsize length = e->data == NULL || e->symlink ? 0 : e->length < 0 ? strlen (e->data) : (gsize) e->length;

      if (!write_entry_header (archive, e->name, e->symlink ? e->data : NULL, e->data == NULL, length, error) ||
          !write_all (archive, e->data, length, error))
        return FALSE;
    }
  return TRUE;
}

static GBytes *
zip_new (const Entry  *entries,
         guint         n_entries,
         GError      **error)
{
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  struct archive *archive = zip_writer_new (FALSE);
  gboolean ok;

  ok = archive_write_open (archive, buffer, NULL, write_to_array, NULL) == ARCHIVE_OK ||
       archive_failed (archive, "open", error);
  ok = ok && write_entries (archive, entries, n_entries, error);
  ok = ok && (archive_write_close (archive) == ARCHIVE_OK || archive_failed (archive, "close", error));
  archive_write_free (archive);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static gboolean
add_bytes (CwHostileCorpus  *corpus,
           const char       *name,
           const char       *command,
           int               line,
           const char       *reason,
           GBytes           *bytes,
           GError          **error)
{
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  return cw_hostile_add (corpus, name, command, line, reason, data, size, error);
}

static gboolean
add_zip (CwHostileCorpus  *corpus,
         const char       *name,
         const char       *command,
         const char       *reason,
         const Entry      *entries,
         guint             n_entries,
         GError          **error)
{
  g_autoptr(GBytes) zip = zip_new (entries, n_entries, error);

  return zip != NULL && add_bytes (corpus, name, command, 0, reason, zip, error);
}

/* The first half of zip: the central directory at the end is gone. */
static GBytes *
truncated (GBytes *zip)
{
  return g_bytes_new_from_bytes (zip, 0, g_bytes_get_size (zip) / 2);
}

/* zip with its end record pointing the central directory into the
 * middle of the data, and the directory's own signatures overwritten. */
static GBytes *
bad_directory (GBytes *zip)
{
  gsize size;
  const guchar *data = g_bytes_get_data (zip, &size);
  guchar *copy = g_memdup2 (data, size);

  for (gsize i = 0; i + 4 <= size; i++)
    if (memcmp (copy + i, "PK\001\002", 4) == 0)
      memcpy (copy + i, "XX\001\002", 4);
  if (size >= 22 && memcmp (copy + size - 22, "PK\005\006", 4) == 0)
    {
      guint32 offset = (guint32) (size / 3);

      copy[size - 22 + 16] = offset & 0xff;
      copy[size - 22 + 17] = (offset >> 8) & 0xff;
      copy[size - 22 + 18] = (offset >> 16) & 0xff;
      copy[size - 22 + 19] = (offset >> 24) & 0xff;
    }
  return g_bytes_new_take (copy, size);
}

/* ---- the documents inside ---- */

#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define W_NS "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#define XXE_DTD(root) "<!DOCTYPE " root " [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
#define LAUGHS_DTD(root)                                                                      \
  "<!DOCTYPE " root " [\n"                                                                    \
  " <!ENTITY lol \"lol\">\n"                                                                  \
  " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"                  \
  " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"        \
  " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"        \
  " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"        \
  " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"        \
  " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"        \
  " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"        \
  " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"        \
  " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"        \
  "]>\n"

static const char content_types[] =
  XML_DECL
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
  "<Override PartName=\"/word/document.xml\" "
  "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
  "</Types>";

static const char rels[] =
  XML_DECL
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" "
  "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
  "Target=\"word/document.xml\"/></Relationships>";

#define DOCX_OPEN "<w:document xmlns:w=\"" W_NS "\"><w:body>\n"
#define DOCX_CLOSE "</w:body></w:document>\n"
#define DOCX_PARA(text) "<w:p><w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r></w:p>\n"

static const char docx_ok[] =
  XML_DECL DOCX_OPEN
  DOCX_PARA ("Interviewer: Hoe ging de stage?")
  DOCX_PARA ("Sanne: Goed, ik mocht blijven.")
  DOCX_CLOSE;

static const char docx_xxe[] =
  XML_DECL XXE_DTD ("w:document") DOCX_OPEN DOCX_PARA ("Sanne: &x;") DOCX_CLOSE;

static const char docx_laughs[] =
  XML_DECL LAUGHS_DTD ("w:document") DOCX_OPEN DOCX_PARA ("Sanne: &lol9;") DOCX_CLOSE;

/* Cut off in the middle of a run. */
static const char docx_truncated[] =
  XML_DECL DOCX_OPEN DOCX_PARA ("Interviewer: Hoe ging de stage?") "<w:p><w:r><w:t>Sanne: Go";

static const char docx_not_well_formed[] =
  XML_DECL DOCX_OPEN "<w:p><w:r><w:t>Sanne: goed</w:r></w:t></w:p>\n" DOCX_CLOSE;

static const char docx_wrong_root[] =
  XML_DECL "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>Sanne: goed</p></body></html>\n";

#define ODT_MIMETYPE "application/vnd.oasis.opendocument.text"
#define ODT_OPEN                                                                   \
  "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " \
  "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"       \
  "<office:body><office:text>\n"
#define ODT_CLOSE "</office:text></office:body></office:document-content>\n"
#define ODT_PARA(text) "<text:p>" text "</text:p>\n"

static const char odt_manifest[] =
  XML_DECL
  "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
  "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" ODT_MIMETYPE "\"/>"
  "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
  "</manifest:manifest>";

static const char odt_ok[] =
  XML_DECL ODT_OPEN ODT_PARA ("Interviewer: Hoe ging de stage?") ODT_PARA ("Sanne: Goed.") ODT_CLOSE;

static const char odt_xxe[] =
  XML_DECL XXE_DTD ("office:document-content") ODT_OPEN ODT_PARA ("Sanne: &x;") ODT_CLOSE;

static const char odt_laughs[] =
  XML_DECL LAUGHS_DTD ("office:document-content") ODT_OPEN ODT_PARA ("Sanne: &lol9;") ODT_CLOSE;

static const char odt_truncated[] =
  XML_DECL ODT_OPEN ODT_PARA ("Interviewer: Hoe ging de stage?") "<text:p>Sanne: Go";

static const char odt_not_well_formed[] =
  XML_DECL ODT_OPEN "<text:p>Sanne: <text:span>goed</text:p></text:span>\n" ODT_CLOSE;

static const char odt_wrong_root[] =
  XML_DECL "<office:document-styles xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
  "office:version=\"1.2\"><office:styles/></office:document-styles>\n";

/* ---- REFI-QDA ---- */

#define QDE_OPEN                                                                    \
  "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Vijandig\" origin=\"codewerk-hostile\">\n"
#define QDE_CLOSE "</Project>\n"
#define QDE_USERS "<Users><User guid=\"" GUID ("0000A001") "\" name=\"Codeur\"/></Users>\n"
#define QDE_CODEBOOK                                                                \
  "<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"/></Codes></CodeBook>\n"
#define QDE_SOURCE(path, extra)                                                     \
  "<Sources><TextSource guid=\"" GUID ("0000B001") "\" name=\"Sanne\" plainTextPath=\"" path "\"" extra "/></Sources>\n"

static const char qde_ok[] =
  XML_DECL QDE_OPEN QDE_USERS QDE_CODEBOOK QDE_SOURCE ("internal://" GUID ("0000B001") ".txt", "") QDE_CLOSE;

static const char qde_xxe[] =
  XML_DECL XXE_DTD ("Project") QDE_OPEN QDE_USERS
  "<Description>&x;</Description>\n" QDE_CODEBOOK QDE_CLOSE;

static const char qde_laughs[] =
  XML_DECL LAUGHS_DTD ("Project") QDE_OPEN QDE_USERS "<Description>&lol9;</Description>\n" QDE_CODEBOOK QDE_CLOSE;

static const char qde_truncated[] =
  XML_DECL QDE_OPEN QDE_USERS "<CodeBook><Codes><Code guid=\"" GUID ("00000001") "\" name=\"We";

static const char qde_wrong_root[] =
  XML_DECL "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes/></CodeBook>\n";

static const char source_text[] = "Interviewer: Hoe ging de stage?\nSanne: Goed, ik mocht blijven.\n";

/* A project whose one source's text lies where plainTextPath says. */
#define QDE_WITH_PATH(path, extra) XML_DECL QDE_OPEN QDE_USERS QDE_CODEBOOK QDE_SOURCE (path, extra) QDE_CLOSE

static const char qde_escape_internal[] = QDE_WITH_PATH ("internal://../../" ESCAPE "-plaintext.txt", "");
static const char qde_escape_bare[] = QDE_WITH_PATH ("../../" ESCAPE "-plaintext.txt", "");
static const char qde_escape_absolute[] = QDE_WITH_PATH ("/tmp/" ESCAPE "-plaintext.txt", "");
static const char qde_escape_encoded[] = QDE_WITH_PATH ("internal://%2e%2e/%2e%2e/" ESCAPE "-plaintext.txt", "");

/* ---- .qdc ---- */

#define QDC_OPEN "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"codewerk-hostile\">\n"

static const char qdc_xxe[] =
  XML_DECL XXE_DTD ("CodeBook") QDC_OPEN
  "<Codes><Code guid=\"" GUID ("00000001") "\" name=\"Werk\" isCodable=\"true\"><Description>&x;</Description></Code></Codes>\n"
  "</CodeBook>\n";

static const char qdc_laughs[] =
  XML_DECL LAUGHS_DTD ("CodeBook") QDC_OPEN
  "<Codes><Code guid=\"" GUID ("00000001") "\" name=\"&lol9;\" isCodable=\"true\"/></Codes>\n"
  "</CodeBook>\n";

/* Line 4 ends inside a start tag: the parser stops there. The line is
 * in the reason ("FILE: line 4: ..."), as for an entry in an archive. */
static const char qdc_truncated[] =
  XML_DECL QDC_OPEN
  "<Codes>\n"
  "<Code guid=\"" GUID ("00000001") "\" name=\"Wer";

static const char qdc_wrong_root[] =
  XML_DECL "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"Geen codeboek\">\n<Sources/>\n</Project>\n";

static const char qdc_not_xml[] =
  "Werk\n  Stage\n  Baan\nSchool\n";

/* ---- encrypted copies (layout in app/core/cw-crypt.c) ---- */

#define ENC_HEADER_LEN 62
#define ENC_CHUNK      (64 * 1024 + 17)

/* A header a reader accepts until the passphrase is tried: format 1, the
 * INTERACTIVE Argon2id cost, a salt and a stream header. */
static void
enc_header (guchar *p)
{
  static const guint64 opslimit = 2, memlimit = 64 * 1024 * 1024;

  memcpy (p, "CWENC", 5);
  p[5] = 1;
  for (guint i = 0; i < 8; i++)
    {
      p[6 + i] = (guchar) (opslimit >> (8 * i));
      p[14 + i] = (guchar) (memlimit >> (8 * i));
    }
  for (guint i = 22; i < ENC_HEADER_LEN; i++)
    p[i] = (guchar) (i * 37 + 11);
}

/* Deterministic noise. */
static void
fill_noise (guchar *p,
            gsize   n,
            guint32 seed)
{
  for (gsize i = 0; i < n; i++)
    {
      seed = seed * 1103515245u + 12345u;
      p[i] = (guchar) (seed >> 16);
    }
}

static GBytes *
enc_cut_in_header (void)
{
  guchar *p = g_malloc (40);
  guchar header[ENC_HEADER_LEN];

  enc_header (header);
  memcpy (p, header, 40);
  return g_bytes_new_take (p, 40);
}

/* One whole chunk and then 5 bytes: a chunk is never shorter than its
 * 17-byte tag, so the file was cut. */
static GBytes *
enc_cut_in_chunk (void)
{
  gsize size = ENC_HEADER_LEN + ENC_CHUNK + 5;
  guchar *p = g_malloc (size);

  enc_header (p);
  fill_noise (p + ENC_HEADER_LEN, size - ENC_HEADER_LEN, 7);
  return g_bytes_new_take (p, size);
}

/* The magic, then noise: its "cost" fields ask for absurd work. */
static GBytes *
enc_garbage (void)
{
  gsize size = 4096;
  guchar *p = g_malloc (size);

  fill_noise (p, size, 11);
  memcpy (p, "CWENC", 5);
  p[5] = 1;
  return g_bytes_new_take (p, size);
}

/* ---- big ones, written straight to disk ---- */

/* A zip of the entries, then an entry of about 1 GiB: prefix, filler
 * repeated, suffix (so that the whole would even be a valid document). */
static gboolean
write_bomb (CwHostileCorpus  *corpus,
            const char       *name,
            const Entry      *entries,
            guint             n_entries,
            const char       *bomb_name,
            const char       *prefix,
            const char       *filler,
            const char       *suffix,
            GError          **error)
{
  g_autofree char *path = g_build_filename (cw_hostile_corpus_get_dir (corpus), name, NULL);
  struct archive *archive = zip_writer_new (TRUE);
  g_autofree char *block = NULL;
  gsize filler_len = strlen (filler), block_len;
  guint64 body = BOMB_BYTES - strlen (prefix) - strlen (suffix);
  gboolean ok;

  /* A 1 MiB block of whole fillers. */
  block_len = (1024 * 1024 / filler_len) * filler_len;
  block = g_malloc (block_len);
  for (gsize i = 0; i < block_len; i += filler_len)
    memcpy (block + i, filler, filler_len);
  body -= body % filler_len;

  ok = archive_write_open_filename (archive, path) == ARCHIVE_OK || archive_failed (archive, path, error);
  ok = ok && write_entries (archive, entries, n_entries, error);
  ok = ok && write_entry_header (archive, bomb_name, NULL, FALSE, strlen (prefix) + body + strlen (suffix), error);
  ok = ok && write_all (archive, prefix, strlen (prefix), error);
  for (guint64 done = 0; ok && done < body; done += MIN (block_len, body - done))
    ok = write_all (archive, block, (gsize) MIN (block_len, body - done), error);
  ok = ok && write_all (archive, suffix, strlen (suffix), error);
  ok = ok && (archive_write_close (archive) == ARCHIVE_OK || archive_failed (archive, path, error));
  archive_write_free (archive);
  return ok;
}

/* The same 1 GiB spread over SPREAD sources of just under the cap of
 * one entry (64 MiB): only the cap on the whole archive stops it. */
#define SPREAD 16

static gboolean
write_spread_bomb (CwHostileCorpus  *corpus,
                   const char       *name,
                   GError          **error)
{
  g_autofree char *path = g_build_filename (cw_hostile_corpus_get_dir (corpus), name, NULL);
  g_autoptr(GString) qde = g_string_new (XML_DECL QDE_OPEN QDE_USERS QDE_CODEBOOK "<Sources>\n");
  struct archive *archive = zip_writer_new (TRUE);
  g_autofree char *block = g_malloc (1024 * 1024);
  guint64 each = ((guint64) 64 << 20) - 4096;
  gboolean ok;

  for (gsize i = 0; i < 1024 * 1024; i += 4)
    memcpy (block + i, "bla ", 4);
  for (guint i = 0; i < SPREAD; i++)
    g_string_append_printf (qde, "<TextSource guid=\"6F9619FF-8B86-4011-B42D-00C00000C%03u\" name=\"Deel %u\" "
                            "plainTextPath=\"internal://deel-%u.txt\"/>\n", i, i, i);
  g_string_append (qde, "</Sources>\n" QDE_CLOSE);

  ok = archive_write_open_filename (archive, path) == ARCHIVE_OK || archive_failed (archive, path, error);
  ok = ok && write_entry_header (archive, "project.qde", NULL, FALSE, qde->len, error) &&
       write_all (archive, qde->str, qde->len, error);
  for (guint i = 0; ok && i < SPREAD; i++)
    {
      g_autofree char *entry = g_strdup_printf ("sources/deel-%u.txt", i);

      ok = write_entry_header (archive, entry, NULL, FALSE, each, error);
      for (guint64 done = 0; ok && done < each; done += MIN (1024 * 1024, each - done))
        ok = write_all (archive, block, (gsize) MIN (1024 * 1024, each - done), error);
    }
  ok = ok && (archive_write_close (archive) == ARCHIVE_OK || archive_failed (archive, path, error));
  archive_write_free (archive);
  return ok;
}

/* entries, then MANY_ENTRIES small files. */
static gboolean
write_many (CwHostileCorpus  *corpus,
            const char       *name,
            const Entry      *entries,
            guint             n_entries,
            GError          **error)
{
  g_autofree char *path = g_build_filename (cw_hostile_corpus_get_dir (corpus), name, NULL);
  struct archive *archive = zip_writer_new (FALSE);
  gboolean ok;

  ok = archive_write_set_options (archive, "zip:compression=store") == ARCHIVE_OK ||
       archive_failed (archive, "store", error);
  ok = ok && (archive_write_open_filename (archive, path) == ARCHIVE_OK || archive_failed (archive, path, error));
  ok = ok && write_entries (archive, entries, n_entries, error);
  for (guint i = 0; ok && i < MANY_ENTRIES; i++)
    {
      char entry[32];

      g_snprintf (entry, sizeof entry, "x/%06u", i);
      ok = write_entry_header (archive, entry, NULL, FALSE, 1, error) && write_all (archive, "x", 1, error);
    }
  ok = ok && (archive_write_close (archive) == ARCHIVE_OK || archive_failed (archive, path, error));
  archive_write_free (archive);
  return ok;
}

/* Copies corpus file from to to, for a second command on the same bytes. */
static gboolean
copy_as (CwHostileCorpus  *corpus,
         const char       *from,
         const char       *to,
         const char       *command,
         const char       *reason,
         GError          **error)
{
  g_autofree char *from_path = g_build_filename (cw_hostile_corpus_get_dir (corpus), from, NULL);
  g_autofree char *to_path = g_build_filename (cw_hostile_corpus_get_dir (corpus), to, NULL);
  g_autoptr(GFile) source = g_file_new_for_path (from_path);
  g_autoptr(GFile) dest = g_file_new_for_path (to_path);

  return g_file_copy (source, dest, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error) &&
         cw_hostile_add_written (corpus, to, command, 0, reason, error);
}

/* ---- the office formats ---- */

typedef struct
{
  const char *ext;        /* "docx" */
  const char *main_entry; /* "word/document.xml" */
  const char *ok;
  const char *xxe;
  const char *laughs;
  const char *truncated;
  const char *not_well_formed;
  const char *wrong_root;
  const char *wrong_root_reason;
  const char *other_ext;  /* what the other format's reason names */
} Office;

/* The entries of a valid file of this format, with main replaced. */
static guint
office_entries (const Office *office,
                const char   *main,
                Entry        *out)
{
  guint n = 0;

  if (strcmp (office->ext, "docx") == 0)
    {
      out[n++] = (Entry) { "[Content_Types].xml", content_types, -1, FALSE };
      out[n++] = (Entry) { "_rels/.rels", rels, -1, FALSE };
      out[n++] = (Entry) { "word/document.xml", main, -1, FALSE };
    }
  else
    {
      out[n++] = (Entry) { "mimetype", ODT_MIMETYPE, -1, FALSE };
      out[n++] = (Entry) { "META-INF/manifest.xml", odt_manifest, -1, FALSE };
      out[n++] = (Entry) { "content.xml", main, -1, FALSE };
    }
  return n;
}

static gboolean
gen_office (CwHostileCorpus  *corpus,
            const Office     *office,
            const Office     *other,
            GError          **error)
{
  static const char *const escapes[][2] = {
    /* suffix, entry name */
    { "escape-dotdot", "../../" ESCAPE "-dotdot.xml" },
    { "escape-absolute", "/tmp/" ESCAPE "-absolute.xml" },
  };
  struct { const char *suffix; const char *xml; int line; const char *reason; } xmls[] = {
    { "xxe", office->xxe, 0, "document type declaration" },
    { "billion-laughs", office->laughs, 0, "document type declaration" },
    { "truncated-xml", office->truncated, 0, "not well-formed" },
    { "not-well-formed", office->not_well_formed, 0, "not well-formed" },
    { "wrong-root", office->wrong_root, 0, office->wrong_root_reason },
  };
  Entry entries[8];
  guint n;
  g_autoptr(GBytes) good = NULL;
  g_autofree char *name = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (xmls); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%s.%s", office->ext, xmls[i].suffix, office->ext);

      n = office_entries (office, xmls[i].xml, entries);
      if (!add_zip (corpus, file, "import", xmls[i].reason, entries, n, error))
        return FALSE;
    }

  /* Without its main part. */
  n = office_entries (office, office->ok, entries);
  name = g_strdup_printf ("%s-no-%s.%s", office->ext, strcmp (office->ext, "docx") == 0 ? "document" : "content",
                          office->ext);
  if (!add_zip (corpus, name, "import", office->wrong_root_reason, entries, n - 1, error))
    return FALSE;
  g_clear_pointer (&name, g_free);

  /* Damaged zips. */
  good = zip_new (entries, n, error);
  if (good == NULL)
    return FALSE;
  {
    g_autoptr(GBytes) cut = truncated (good);
    g_autoptr(GBytes) bad = bad_directory (good);
    g_autofree char *cut_name = g_strdup_printf ("%s-zip-truncated.%s", office->ext, office->ext);
    g_autofree char *bad_name = g_strdup_printf ("%s-zip-bad-directory.%s", office->ext, office->ext);
    g_autofree char *text_name = g_strdup_printf ("%s-is-text.%s", office->ext, office->ext);
    static const char text[] = "Interviewer: Dit is gewoon tekst.\nSanne: Met een verkeerde extensie.\n";

    if (!add_bytes (corpus, cut_name, "import", 0, "damaged", cut, error) ||
        !add_bytes (corpus, bad_name, "import", 0, "damaged", bad, error) ||
        !cw_hostile_add (corpus, text_name, "import", 0, "not a zip archive", text, sizeof text - 1, error))
      return FALSE;
  }

  /* The document part stored where it would land outside, or as a link.
   * An office file is never extracted and only its document part is read:
   * an escaping entry beside a good part is ignored (see test-import-office,
   * "odd but fine"); as the part itself it is never found, so the file is
   * refused as no document of its kind. */
  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    {
      g_autofree char *file = g_strdup_printf ("%s-%s.%s", office->ext, escapes[i][0], office->ext);

      n = office_entries (office, office->ok, entries);
      entries[n - 1].name = escapes[i][1];
      if (!add_zip (corpus, file, "import", office->wrong_root_reason, entries, n, error))
        return FALSE;
    }
  {
    g_autofree char *file = g_strdup_printf ("%s-escape-symlink.%s", office->ext, office->ext);

    n = office_entries (office, office->ok, entries);
    entries[n - 1] = (Entry) { office->main_entry, "/etc/passwd", -1, TRUE };
    entries[n++] = (Entry) { ESCAPE "-symlink", "../../../../tmp/" ESCAPE "-symlink-target", -1, TRUE };
    if (!add_zip (corpus, file, "import", office->wrong_root_reason, entries, n, error))
      return FALSE;
  }

  /* The other format under this one's extension. */
  {
    g_autofree char *file = g_strdup_printf ("%s-is-%s.%s", office->ext, other->ext, office->ext);

    n = office_entries (other, other->ok, entries);
    if (!add_zip (corpus, file, "import", office->other_ext, entries, n, error))
      return FALSE;
  }

  /* A decompression bomb: the main part is about 1 GiB. */
  {
    g_autofree char *file = g_strdup_printf ("%s-bomb.%s", office->ext, office->ext);
    gboolean docx = strcmp (office->ext, "docx") == 0;

    n = office_entries (office, office->ok, entries) - 1;
    if (!write_bomb (corpus, file, entries, n, office->main_entry,
                     docx ? XML_DECL DOCX_OPEN "<w:p><w:r><w:t>" : XML_DECL ODT_OPEN "<text:p>",
                     "bla ",
                     docx ? "</w:t></w:r></w:p>" DOCX_CLOSE : "</text:p>" ODT_CLOSE, error) ||
        !cw_hostile_add_written (corpus, file, "import", 0, "decompression bomb", error))
      return FALSE;
  }

  /* 100,000 entries beside a valid document. */
  {
    g_autofree char *file = g_strdup_printf ("%s-100000-entries.%s", office->ext, office->ext);

    n = office_entries (office, office->ok, entries);
    if (!write_many (corpus, file, entries, n, error) ||
        !cw_hostile_add_written (corpus, file, "import", 0, "entries", error))
      return FALSE;
  }
  return TRUE;
}

/* ---- .qdpx, for import-project and for merge ---- */

static gboolean
add_qdpx_both (CwHostileCorpus  *corpus,
               const char       *stem,
               const char       *reason,
               GBytes           *bytes,
               GError          **error)
{
  g_autofree char *as_import = g_strdup_printf ("qdpx-%s.qdpx", stem);
  g_autofree char *as_merge = g_strdup_printf ("merge-qdpx-%s.qdpx", stem);

  return add_bytes (corpus, as_import, "import-project", 0, reason, bytes, error) &&
         add_bytes (corpus, as_merge, "merge", 0, reason, bytes, error);
}

static gboolean
add_qdpx_zip (CwHostileCorpus  *corpus,
              const char       *stem,
              const char       *reason,
              const Entry      *entries,
              guint             n_entries,
              GError          **error)
{
  g_autoptr(GBytes) zip = zip_new (entries, n_entries, error);

  return zip != NULL && add_qdpx_both (corpus, stem, reason, zip, error);
}

#define QDPX_SOURCE_ENTRY "sources/" GUID ("0000B001") ".txt"

static gboolean
gen_qdpx (CwHostileCorpus  *corpus,
          GError          **error)
{
  struct { const char *stem; const char *qde; const char *reason; } qdes[] = {
    { "qde-xxe", qde_xxe, "document type declaration" },
    { "qde-billion-laughs", qde_laughs, "document type declaration" },
    { "qde-truncated", qde_truncated, "not well-formed" },
    { "qde-wrong-root", qde_wrong_root, "not a REFI-QDA project" },
    { "plaintextpath-escape-internal", qde_escape_internal, "would leave the archive" },
    { "plaintextpath-escape-bare", qde_escape_bare, "would leave the archive" },
    { "plaintextpath-escape-absolute", qde_escape_absolute, "would leave the archive" },
    { "plaintextpath-escape-encoded", qde_escape_encoded, "would leave the archive" },
  };
  Entry entries[6];
  g_autoptr(GBytes) good = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (qdes); i++)
    {
      entries[0] = (Entry) { "project.qde", qdes[i].qde, -1, FALSE };
      entries[1] = (Entry) { QDPX_SOURCE_ENTRY, source_text, -1, FALSE };
      if (!add_qdpx_zip (corpus, qdes[i].stem, qdes[i].reason, entries, 2, error))
        return FALSE;
    }

  entries[0] = (Entry) { QDPX_SOURCE_ENTRY, source_text, -1, FALSE };
  if (!add_qdpx_zip (corpus, "no-project-qde", "no project.qde", entries, 1, error))
    return FALSE;

  /* Damaged archives. */
  entries[0] = (Entry) { "project.qde", qde_ok, -1, FALSE };
  entries[1] = (Entry) { QDPX_SOURCE_ENTRY, source_text, -1, FALSE };
  good = zip_new (entries, 2, error);
  if (good == NULL)
    return FALSE;
  {
    g_autoptr(GBytes) cut = truncated (good);
    g_autoptr(GBytes) bad = bad_directory (good);
    g_autoptr(GBytes) text = g_bytes_new_static (source_text, sizeof source_text - 1);

    if (!add_qdpx_both (corpus, "zip-truncated", "damaged", cut, error) ||
        !add_qdpx_both (corpus, "zip-bad-directory", "damaged", bad, error) ||
        !add_qdpx_both (corpus, "is-text", "not a zip archive", text, error))
      return FALSE;
  }

  /* Entries that would land outside, beside a valid project. */
  {
    struct { const char *stem; Entry entry; const char *reason; } escapes[] = {
      { "escape-dotdot", { "../../" ESCAPE "-dotdot.txt", "escaped\n", -1, FALSE }, "unsafe name" },
      { "escape-sources-dotdot", { "sources/../../" ESCAPE "-sources.txt", "escaped\n", -1, FALSE }, "unsafe name" },
      { "escape-absolute", { "/tmp/" ESCAPE "-absolute.txt", "escaped\n", -1, FALSE }, "unsafe name" },
      { "escape-symlink", { "sources/" ESCAPE "-symlink.txt", "/etc/passwd", -1, TRUE }, "symbolic link" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
      {
        entries[2] = escapes[i].entry;
        if (!add_qdpx_zip (corpus, escapes[i].stem, escapes[i].reason, entries, 3, error))
          return FALSE;
      }
    /* The source's own text is the link. */
    entries[1] = (Entry) { QDPX_SOURCE_ENTRY, "/etc/passwd", -1, TRUE };
    entries[2] = (Entry) { ESCAPE "-symlink-dir", "../../../../tmp", -1, TRUE };
    if (!add_qdpx_zip (corpus, "escape-symlink-source", "symbolic link", entries, 3, error))
      return FALSE;
  }

  /* A decompression bomb as the source's text, and as project.qde. */
  entries[0] = (Entry) { "project.qde", qde_ok, -1, FALSE };
  if (!write_bomb (corpus, "qdpx-bomb.qdpx", entries, 1, QDPX_SOURCE_ENTRY,
                   "Sanne: ", "bla ", "\n", error) ||
      !cw_hostile_add_written (corpus, "qdpx-bomb.qdpx", "import-project", 0, "decompression bomb", error) ||
      !copy_as (corpus, "qdpx-bomb.qdpx", "merge-qdpx-bomb.qdpx", "merge", "decompression bomb", error))
    return FALSE;
  if (!write_bomb (corpus, "qdpx-qde-bomb.qdpx", NULL, 0, "project.qde",
                   XML_DECL QDE_OPEN QDE_USERS "<Description>", "bla ", "</Description>" QDE_CLOSE,
                   error) ||
      !cw_hostile_add_written (corpus, "qdpx-qde-bomb.qdpx", "import-project", 0, "decompression bomb", error) ||
      !copy_as (corpus, "qdpx-qde-bomb.qdpx", "merge-qdpx-qde-bomb.qdpx", "merge", "decompression bomb", error))
    return FALSE;

  if (!write_spread_bomb (corpus, "qdpx-bomb-spread.qdpx", error) ||
      !cw_hostile_add_written (corpus, "qdpx-bomb-spread.qdpx", "import-project", 0, "decompression bomb", error) ||
      !copy_as (corpus, "qdpx-bomb-spread.qdpx", "merge-qdpx-bomb-spread.qdpx", "merge", "decompression bomb", error))
    return FALSE;

  /* 100,000 entries beside a valid project. */
  entries[0] = (Entry) { "project.qde", qde_ok, -1, FALSE };
  entries[1] = (Entry) { QDPX_SOURCE_ENTRY, source_text, -1, FALSE };
  if (!write_many (corpus, "qdpx-100000-entries.qdpx", entries, 2, error) ||
      !cw_hostile_add_written (corpus, "qdpx-100000-entries.qdpx", "import-project", 0, "entries", error) ||
      !copy_as (corpus, "qdpx-100000-entries.qdpx", "merge-qdpx-100000-entries.qdpx", "merge", "entries", error))
    return FALSE;
  return TRUE;
}

/* ---- .qdc ---- */

/* CodeBook, Codes, then Code elements nested 10,000 deep on line 3. */
static GBytes *
qdc_deep (void)
{
  GString *xml = g_string_new (XML_DECL QDC_OPEN "<Codes>");

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (xml, "<Code guid=\"6F9619FF-8B86-4011-B42D-%012X\" name=\"c%u\" isCodable=\"true\">",
                            i, i);
  for (guint i = 0; i < 10000; i++)
    g_string_append (xml, "</Code>");
  g_string_append (xml, "</Codes>\n</CodeBook>\n");
  return g_string_free_to_bytes (xml);
}

static gboolean
gen_qdc (CwHostileCorpus  *corpus,
         GError          **error)
{
  struct { const char *name; const char *xml; int line; const char *reason; } qdcs[] = {
    { "qdc-xxe.qdc", qdc_xxe, 0, "document type declaration" },
    { "qdc-billion-laughs.qdc", qdc_laughs, 0, "document type declaration" },
    { "qdc-truncated.qdc", qdc_truncated, 0, "line 4: not well-formed" },
    { "qdc-wrong-root.qdc", qdc_wrong_root, 0, "not a REFI-QDA codebook" },
    { "qdc-not-xml.qdc", qdc_not_xml, 0, "not XML" },
  };
  g_autoptr(GBytes) deep = qdc_deep ();
  guchar binary[4096];

  for (guint i = 0; i < G_N_ELEMENTS (qdcs); i++)
    if (!cw_hostile_add (corpus, qdcs[i].name, "codebook-import", qdcs[i].line, qdcs[i].reason,
                         qdcs[i].xml, strlen (qdcs[i].xml), error))
      return FALSE;
  if (!add_bytes (corpus, "qdc-nested-10000.qdc", "codebook-import", 0, "line 3: not well-formed XML (elements nested too deeply)", deep, error))
    return FALSE;
  /* A PNG's signature, then noise with NUL bytes. */
  fill_noise (binary, sizeof binary, 3);
  memcpy (binary, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  return cw_hostile_add (corpus, "qdc-binary.qdc", "codebook-import", 0, "not XML", binary, sizeof binary, error);
}

/* ---- .codewerk-enc ---- */

static gboolean
gen_encrypted (CwHostileCorpus  *corpus,
               GError          **error)
{
  struct { const char *stem; GBytes *bytes; const char *reason; } encs[] = {
    { "cut-in-header", enc_cut_in_header (), "damaged" },
    { "cut-in-chunk", enc_cut_in_chunk (), "damaged" },
    { "garbage", enc_garbage (), "damaged" },
  };
  gboolean ok = TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (encs); i++)
    {
      g_autofree char *as_merge = g_strdup_printf ("merge-enc-%s.codewerk-enc", encs[i].stem);
      g_autofree char *as_decrypt = g_strdup_printf ("decrypt-enc-%s.codewerk-enc", encs[i].stem);

      ok = ok && add_bytes (corpus, as_merge, "merge", 0, encs[i].reason, encs[i].bytes, error) &&
           add_bytes (corpus, as_decrypt, "decrypt", 0, encs[i].reason, encs[i].bytes, error);
      g_bytes_unref (encs[i].bytes);
    }
  return ok;
}

gboolean
cw_hostile_gen_archive (CwHostileCorpus *corpus,
                        GError         **error)
{
  static const Office docx = {
    "docx", "word/document.xml", docx_ok, docx_xxe, docx_laughs, docx_truncated, docx_not_well_formed,
    docx_wrong_root, "not a Word document", "OpenDocument",
  };
  static const Office odt = {
    "odt", "content.xml", odt_ok, odt_xxe, odt_laughs, odt_truncated, odt_not_well_formed,
    odt_wrong_root, "not an OpenDocument text", "Word document",
  };

  return gen_office (corpus, &docx, &odt, error) &&
         gen_office (corpus, &odt, &docx, error) &&
         gen_qdpx (corpus, error) &&
         gen_qdc (corpus, error) &&
         gen_encrypted (corpus, error);
}
