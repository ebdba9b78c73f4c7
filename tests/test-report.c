/* test-report.c: CSV and .odt exports of retrieved segments.
 *
 * The segments are built by hand, so these tests do not depend on the
 * retrieval code. The .odt is read back with libarchive and libxml2 and
 * its paragraphs turned back into text, which must equal what went in.
 */
#include "config.h"

#include <string.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cw-report.h"
#include "cw-test-util.h"

#define ODT_MIMETYPE "application/vnd.oasis.opendocument.text"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

/* Segments by hand */

static void
segment_free (gpointer data)
{
  CwCoding *segment = data;

  g_free (segment->guid);
  g_free (segment->document);
  g_free (segment->code);
  g_free (segment->color);
  g_free (segment->coder);
  g_free (segment->created_at);
  g_free (segment->speaker);
  g_free (segment->case_id);
  g_free (segment->text);
  g_free (segment->memo);
  g_free (segment);
}

static void
add_segment (GPtrArray  *segments,
             const char *document,
             const char *code,
             const char *coder,
             const char *speaker,
             gint64      start,
             gint64      end,
             const char *text,
             const char *memo)
{
  CwCoding *segment = g_new0 (CwCoding, 1);

  segment->id = segments->len + 1;
  segment->document_id = 1;
  segment->document = g_strdup (document);
  segment->code_id = 1;
  segment->code = g_strdup (code);
  segment->coder = g_strdup (coder);
  segment->speaker = g_strdup (speaker);
  segment->start = start;
  segment->end = end;
  segment->text = g_strdup (text);
  segment->memo = g_strdup (memo);
  g_ptr_array_add (segments, segment);
}

static GPtrArray *
sample_segments (void)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func (segment_free);

  add_segment (segments, "interview-kevin", "Werk/Jobcoach", "Anouk", "Kevin", 120, 178,
               "Ik werk sinds maart bij de bakkerij, met een jobcoach erbij.", NULL);
  add_segment (segments, "focusgroep; ouders", "Begeleiding & \"steun\"", "Anouk, Bram", NULL, 5, 60,
               "Zij zei: \"Doe het maar\"; ik deed het.\nDaarna ging het beter.",
               "Let op: citaat in citaat");
  add_segment (segments, "arena <de brug>", "Toekomst", "Bram", "Dewi", 0, 40,
               "  Twee  spaties,\ttab en <tags> & 'quotes' 😀 café\n\n  einde  ", "memo met ; en \"");
  return segments;
}

/* A strict reader of the CSV written: ';'-separated, fields optionally in
 * double quotes (quotes doubled), records ending in CRLF. */
static GPtrArray *
parse_csv (const char *csv,
           gsize       length)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = csv;
  const char *end = csv + length;

  while (p < end)
    {
      if (*p == '"')
        {
          for (p++;; p++)
            {
              g_assert_true (p < end); /* an unterminated quote */
              if (*p == '"' && p + 1 < end && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else
        {
          while (p < end && *p != ';' && *p != '\r' && *p != '\n' && *p != '"')
            g_string_append_c (field, *p++);
        }

      g_assert_true (p < end); /* every record ends in CRLF */
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p == ';')
        p++;
      else
        {
          g_assert_cmpint (*p, ==, '\r');
          g_assert_true (p + 1 < end && p[1] == '\n');
          p += 2;
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
        }
    }

  return rows;
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) segments = sample_segments ();
  g_autoptr(GBytes) bytes = cw_report_build_csv (segments);
  gsize length = 0;
  const char *csv = g_bytes_get_data (bytes, &length);
  g_autoptr(GPtrArray) rows = NULL;
  const char *header[] = { "document", "code", "coder", "speaker", "start", "end", "text", "memo", NULL };

  /* A BOM, so that Excel reads UTF-8. */
  g_assert_cmpuint (length, >, 3);
  g_assert_cmpmem (csv, 3, "\xEF\xBB\xBF", 3);
  g_assert_true (g_utf8_validate (csv, (gssize) length, NULL));
  g_assert_true (g_str_has_prefix (csv + 3, "document;code;coder;speaker;start;end;text;memo\r\n"));
  /* Text fields are quoted, quotes doubled, numbers bare. */
  g_assert_nonnull (strstr (csv, "\"interview-kevin\";\"Werk/Jobcoach\";\"Anouk\";\"Kevin\";120;178;"));
  g_assert_nonnull (strstr (csv, "\"Begeleiding & \"\"steun\"\"\""));
  /* A newline inside a field stays a bare LF; records end in CRLF. */
  g_assert_nonnull (strstr (csv, "ik deed het.\nDaarna"));

  rows = parse_csv (csv + 3, length - 3);
  g_assert_cmpuint (rows->len, ==, segments->len + 1);
  g_assert_cmpstrv (g_ptr_array_index (rows, 0), header);
  for (guint i = 0; i < segments->len; i++)
    {
      const CwCoding *segment = g_ptr_array_index (segments, i);
      char **row = g_ptr_array_index (rows, i + 1);
      g_autofree char *start = g_strdup_printf ("%" G_GINT64_FORMAT, segment->start);
      g_autofree char *end = g_strdup_printf ("%" G_GINT64_FORMAT, segment->end);

      g_assert_cmpuint (g_strv_length (row), ==, 8);
      g_assert_cmpstr (row[0], ==, segment->document);
      g_assert_cmpstr (row[1], ==, segment->code);
      g_assert_cmpstr (row[2], ==, segment->coder);
      g_assert_cmpstr (row[3], ==, segment->speaker != NULL ? segment->speaker : "");
      g_assert_cmpstr (row[4], ==, start);
      g_assert_cmpstr (row[5], ==, end);
      g_assert_cmpstr (row[6], ==, segment->text);
      g_assert_cmpstr (row[7], ==, segment->memo != NULL ? segment->memo : "");
    }
}

static void
test_csv_empty (void)
{
  g_autoptr(GPtrArray) segments = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = cw_report_build_csv (segments);
  gsize length = 0;
  const char *csv = g_bytes_get_data (bytes, &length);
  const char expected[] = "\xEF\xBB\xBF" "document;code;coder;speaker;start;end;text;memo\r\n";

  /* No segments: just the header, still a table R can read. */
  g_assert_cmpmem (csv, length, expected, sizeof expected - 1);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in a folder, sorted. */
static char **
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
test_write_atomic (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GPtrArray) segments = sample_segments ();
  g_autofree char *missing_dir = g_build_filename (dir, "bestaat-niet", NULL);
  g_autoptr(GFile) missing = g_file_new_build_filename (dir, "bestaat-niet", "uit.csv", NULL);
  g_autoptr(GFile) missing_odt = g_file_new_build_filename (dir, "bestaat-niet", "uit.odt", NULL);
  g_autoptr(GFile) file = g_file_new_build_filename (dir, "segmenten.csv", NULL);
  g_autoptr(GFile) report = g_file_new_build_filename (dir, "rapport.odt", NULL);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(GBytes) expected = cw_report_build_csv (segments);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) names = NULL;
  gsize length = 0;
  const char *only_csv[] = { "segmenten.csv", NULL };
  const char *both[] = { "rapport.odt", "segmenten.csv", NULL };

  /* Into a folder that is not there: an error, and nothing appears. */
  g_assert_false (cw_report_write_csv (segments, missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_report_write_odt (segments, "Rapport", NULL, missing_odt, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
  names = list_dir (dir);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_clear_pointer (&names, g_strfreev);

  /* Written: exactly the bytes built. */
  g_assert_true (cw_report_write_csv (segments, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_clear_pointer (&contents, g_free);

  /* A failed (here cancelled) write leaves the old file and no leftovers. */
  g_assert_true (g_file_replace_contents (file, "oud", 3, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_cancellable_cancel (cancelled);
  g_assert_false (cw_report_write_csv (segments, file, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  g_assert_cmpmem (contents, length, "oud", 3);
  g_clear_pointer (&contents, g_free);
  names = list_dir (dir);
  g_assert_cmpstrv (names, only_csv);
  g_clear_pointer (&names, g_strfreev);

  /* Replacing an existing file works. */
  g_assert_true (cw_report_write_csv (segments, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, &length, NULL, &error));
  g_assert_cmpuint (length, ==, g_bytes_get_size (expected));
  g_assert_true (cw_report_write_odt (segments, "Rapport", "Werk", report, NULL, &error));
  g_assert_no_error (error);
  names = list_dir (dir);
  g_assert_cmpstrv (names, both);

  cw_test_remove_dir (dir);
}

/* The .odt read back */

typedef struct
{
  char   *name;
  GBytes *data;
} Entry;

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->name);
  g_bytes_unref (entry->data);
  g_free (entry);
}

/* Every entry, in archive order, read by libarchive. */
static GPtrArray *
read_zip (GBytes *zip)
{
  GPtrArray *entries = g_ptr_array_new_with_free_func (entry_free);
  struct archive *archive = archive_read_new ();
  struct archive_entry *header;
  int rc;

  archive_read_support_format_zip (archive);
  g_assert_cmpint (archive_read_open_memory (archive, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip)), ==,
                   ARCHIVE_OK);
  while ((rc = archive_read_next_header (archive, &header)) == ARCHIVE_OK)
    {
      Entry *entry = g_new0 (Entry, 1);
      GByteArray *data = g_byte_array_new ();
      char buffer[4096];
      la_ssize_t n;

      entry->name = g_strdup (archive_entry_pathname (header));
      while ((n = archive_read_data (archive, buffer, sizeof buffer)) > 0)
        g_byte_array_append (data, (guint8 *) buffer, (guint) n);
      g_assert_cmpint (n, ==, 0);
      entry->data = g_byte_array_free_to_bytes (data);
      g_ptr_array_add (entries, entry);
    }
  g_assert_cmpint (rc, ==, ARCHIVE_EOF);
  archive_read_free (archive);
  return entries;
}

static GBytes *
find_entry (GPtrArray  *entries,
            const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      if (strcmp (entry->name, name) == 0)
        return entry->data;
    }
  g_assert_not_reached ();
}

static xmlDocPtr
parse_xml (GBytes *bytes)
{
  xmlDocPtr doc = xmlReadMemory (g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes), NULL, "UTF-8",
                                 XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

  g_assert_nonnull (doc);
  return doc;
}

static gboolean
is_text_element (xmlNodePtr  node,
                 const char *name)
{
  return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
         strcmp ((const char *) node->ns->href, NS_TEXT) == 0 &&
         strcmp ((const char *) node->name, name) == 0;
}

/* A paragraph's text as a reader sees it: ODF white space rules applied
 * (runs of spaces collapse, leading ones go), text:s/tab/line-break
 * expanded. */
static void
paragraph_text (xmlNodePtr  node,
                GString    *out,
                gboolean   *after_space)
{
  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_TEXT_NODE)
        {
          for (const char *p = (const char *) child->content; *p != '\0'; p++)
            {
              gboolean space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';

              if (space && *after_space)
                continue;
              g_string_append_c (out, space ? ' ' : *p);
              *after_space = space;
            }
        }
      else if (is_text_element (child, "s"))
        {
          xmlChar *c = xmlGetNsProp (child, BAD_CAST "c", BAD_CAST NS_TEXT);
          guint64 count = c != NULL ? g_ascii_strtoull ((const char *) c, NULL, 10) : 1;

          for (guint64 i = 0; i < count; i++)
            g_string_append_c (out, ' ');
          xmlFree (c);
          *after_space = FALSE;
        }
      else if (is_text_element (child, "tab"))
        {
          g_string_append_c (out, '\t');
          *after_space = TRUE;
        }
      else if (is_text_element (child, "line-break"))
        {
          g_string_append_c (out, '\n');
          *after_space = TRUE;
        }
      else
        paragraph_text (child, out, after_space);
    }
}

/* The paragraphs of the given style, as text. */
static GPtrArray *
paragraphs (xmlDocPtr   doc,
            const char *style)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);
  xmlNodePtr node = xmlDocGetRootElement (doc);

  /* Depth-first walk without recursion into paragraphs. */
  while (node != NULL)
    {
      if ((is_text_element (node, "p") || is_text_element (node, "h")))
        {
          xmlChar *name = xmlGetNsProp (node, BAD_CAST "style-name", BAD_CAST NS_TEXT);
          GString *text = g_string_new (NULL);
          gboolean after_space = TRUE;

          paragraph_text (node, text, &after_space);
          if (name != NULL && strcmp ((const char *) name, style) == 0)
            g_ptr_array_add (texts, g_string_free (text, FALSE));
          else
            g_string_free (text, TRUE);
          xmlFree (name);
        }
      else if (node->children != NULL)
        {
          node = node->children;
          continue;
        }
      while (node != NULL && node->next == NULL)
        node = node->parent;
      if (node != NULL)
        node = node->next;
    }

  return texts;
}

static guint
read16 (const guint8 *p)
{
  return p[0] | (p[1] << 8);
}

static void
test_odt (void)
{
  g_autoptr(GPtrArray) segments = sample_segments ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) odt = cw_report_build_odt (segments, "Jobcoach & werk", "Codes: Werk/Jobcoach <of> Toekomst",
                                               &error);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  g_autoptr(GPtrArray) titles = NULL;
  g_autoptr(GPtrArray) subtitles = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint8 *raw;
  gsize size = 0;
  xmlDocPtr content, manifest, styles, meta;
  xmlNodePtr root;
  xmlChar *title;

  g_assert_no_error (error);
  g_assert_nonnull (odt);

  /* The first entry is "mimetype", stored, without extra field: its bytes
   * are at offset 38, where file managers look for them. */
  raw = g_bytes_get_data (odt, &size);
  g_assert_cmpuint (size, >, 38 + strlen (ODT_MIMETYPE));
  g_assert_cmpmem (raw, 4, "PK\003\004", 4);
  g_assert_cmpuint (read16 (raw + 8), ==, 0);  /* stored */
  g_assert_cmpuint (read16 (raw + 26), ==, 8); /* name length */
  g_assert_cmpuint (read16 (raw + 28), ==, 0); /* extra length */
  g_assert_cmpmem (raw + 30, 8, "mimetype", 8);
  g_assert_cmpmem (raw + 38, strlen (ODT_MIMETYPE), ODT_MIMETYPE, strlen (ODT_MIMETYPE));

  entries = read_zip (odt);
  g_assert_cmpuint (entries->len, ==, 5);
  g_assert_cmpstr (((Entry *) g_ptr_array_index (entries, 0))->name, ==, "mimetype");
  {
    GBytes *mimetype = find_entry (entries, "mimetype");

    g_assert_cmpmem (g_bytes_get_data (mimetype, NULL), g_bytes_get_size (mimetype), ODT_MIMETYPE,
                     strlen (ODT_MIMETYPE));
  }

  /* The manifest lists every other entry. */
  manifest = parse_xml (find_entry (entries, "META-INF/manifest.xml"));
  root = xmlDocGetRootElement (manifest);
  g_assert_cmpstr ((const char *) root->name, ==, "manifest");
  for (xmlNodePtr node = root->children; node != NULL; node = node->next)
    {
      xmlChar *path;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      path = xmlGetNsProp (node, BAD_CAST "full-path",
                           BAD_CAST "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0");
      g_assert_nonnull (path);
      g_hash_table_add (listed, g_strdup ((const char *) path));
      xmlFree (path);
    }
  g_assert_true (g_hash_table_contains (listed, "/"));
  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = ((Entry *) g_ptr_array_index (entries, i))->name;

      if (strcmp (name, "mimetype") != 0 && strcmp (name, "META-INF/manifest.xml") != 0)
        g_assert_true (g_hash_table_contains (listed, name));
    }
  g_assert_cmpuint (g_hash_table_size (listed), ==, entries->len - 1);
  xmlFreeDoc (manifest);

  styles = parse_xml (find_entry (entries, "styles.xml"));
  g_assert_cmpstr ((const char *) xmlDocGetRootElement (styles)->name, ==, "document-styles");
  xmlFreeDoc (styles);

  meta = parse_xml (find_entry (entries, "meta.xml"));
  root = xmlDocGetRootElement (meta);
  g_assert_cmpstr ((const char *) root->name, ==, "document-meta");
  title = xmlNodeGetContent (root);
  g_assert_nonnull (strstr ((const char *) title, "Jobcoach & werk"));
  xmlFree (title);
  xmlFreeDoc (meta);

  /* content.xml: every segment's text, exactly, with its layout, escaping
   * and emoji intact. */
  content = parse_xml (find_entry (entries, "content.xml"));
  g_assert_cmpstr ((const char *) xmlDocGetRootElement (content)->name, ==, "document-content");
  titles = paragraphs (content, "Title");
  g_assert_cmpuint (titles->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, "Jobcoach & werk");
  subtitles = paragraphs (content, "Subtitle");
  g_assert_cmpuint (subtitles->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (subtitles, 0), ==, "Codes: Werk/Jobcoach <of> Toekomst");

  texts = paragraphs (content, "Segment_20_text");
  headers = paragraphs (content, "Segment_20_header");
  memos = paragraphs (content, "Segment_20_memo");
  g_assert_cmpuint (texts->len, ==, segments->len);
  g_assert_cmpuint (headers->len, ==, segments->len);
  for (guint i = 0; i < segments->len; i++)
    {
      const CwCoding *segment = g_ptr_array_index (segments, i);

      g_assert_cmpstr (g_ptr_array_index (texts, i), ==, segment->text);
    }
  g_assert_cmpstr (g_ptr_array_index (headers, 0), ==, "interview-kevin · Kevin · Werk/Jobcoach · Anouk · 120–178");
  /* No speaker: left out of the header. */
  g_assert_cmpstr (g_ptr_array_index (headers, 1), ==,
                   "focusgroep; ouders · Begeleiding & \"steun\" · Anouk, Bram · 5–60");
  g_assert_cmpstr (g_ptr_array_index (headers, 2), ==, "arena <de brug> · Dewi · Toekomst · Bram · 0–40");
  g_assert_cmpuint (memos->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (memos, 0), ==, "Memo: Let op: citaat in citaat");
  xmlFreeDoc (content);
}

/* Text XML cannot carry (control characters, broken UTF-8) still gives a
 * well-formed document. */
static void
test_odt_hostile_text (void)
{
  static const struct
  {
    const char *text;
    const char *shown;
  } cases[] = {
    { "bel\x01 en \x1b[0m", "bel en [0m" },
    { "kapot \xff\xfe utf-8", "kapot \xef\xbf\xbd\xef\xbf\xbd utf-8" },
    { "]]> <!-- --> <?pi?> &amp;", "]]> <!-- --> <?pi?> &amp;" },
    { "", "" },
    { "   ", "   " },
    { "a\n\nb", "a\n\nb" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func (segment_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) odt = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GPtrArray) texts = NULL;
      xmlDocPtr content;

      add_segment (segments, "doc\x02", "code", NULL, NULL, 0, 1, cases[i].text, NULL);
      odt = cw_report_build_odt (segments, "T\x03itel", NULL, &error);
      g_assert_no_error (error);
      entries = read_zip (odt);
      content = parse_xml (find_entry (entries, "content.xml"));
      texts = paragraphs (content, "Segment_20_text");
      g_assert_cmpuint (texts->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, cases[i].shown);
      xmlFreeDoc (content);
      /* The title went into the metadata as well. */
      xmlFreeDoc (parse_xml (find_entry (entries, "meta.xml")));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  xmlInitParser ();

  g_test_add_func ("/report/csv", test_csv);
  g_test_add_func ("/report/csv-empty", test_csv_empty);
  g_test_add_func ("/report/write-atomic", test_write_atomic);
  g_test_add_func ("/report/odt", test_odt);
  g_test_add_func ("/report/odt-hostile-text", test_odt_hostile_text);

  return g_test_run ();
}
