/* cw-report.c: CSV tables and OpenDocument reports of retrieved segments.
 *
 * The .odt zip is written here rather than by libarchive: ODF requires the
 * first entry, "mimetype", to be stored with no extra field, so that file
 * managers recognise it by its bytes at offset 38; libarchive always adds
 * extra fields and a data descriptor. All data is in memory, so sizes and
 * CRCs go straight into the headers. The XML is written by libxml2's
 * xmlTextWriter, which does the escaping.
 */
#include "config.h"

#include <string.h>
#include <libxml/xmlwriter.h>
#include <glib/gi18n-lib.h>

#include "cw-report.h"

G_DEFINE_QUARK (cw-report-error-quark, cw_report_error)

#define ODT_MIMETYPE "application/vnd.oasis.opendocument.text"
#define ODF_VERSION "1.2"

/* Writing the file */

/* Writes bytes to a hidden sibling of file and renames it over file: the
 * rename is atomic, so readers see the old file or the whole new one, and a
 * failure leaves no half file behind. */
static gboolean
write_atomically (GFile         *file,
                  GBytes        *bytes,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *basename = g_file_get_basename (file);
  g_autoptr(GFile) temp = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);
  gsize written = 0;

  if (parent == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("Cannot write “%s”: not a file name"), basename);
      return FALSE;
    }

  for (guint attempt = 0; stream == NULL; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x~", basename, g_random_int ());
      g_autoptr(GError) local_error = NULL;

      g_clear_object (&temp);
      temp = g_file_get_child (parent, name);
      stream = g_file_create (temp, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream == NULL &&
          (attempt >= 16 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), data, size, &written, cancellable, error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, error) ||
      !g_file_move (temp, file, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, error))
    {
      /* Not cancellable: the temporary file must go whatever happens. */
      g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL);
      g_file_delete (temp, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* CSV */

static void
append_csv_text (GString    *csv,
                 const char *text)
{
  g_string_append_c (csv, '"');
  for (const char *p = or_empty (text); *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

GBytes *
cw_report_build_csv (GPtrArray *segments)
{
  GString *csv = g_string_new ("\xEF\xBB\xBF" "document;code;coder;speaker;start;end;text;memo\r\n");

  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      const CwCoding *segment = g_ptr_array_index (segments, i);

      append_csv_text (csv, segment->document);
      g_string_append_c (csv, ';');
      append_csv_text (csv, segment->code);
      g_string_append_c (csv, ';');
      append_csv_text (csv, segment->coder);
      g_string_append_c (csv, ';');
      append_csv_text (csv, segment->speaker);
      g_string_append_printf (csv, ";%" G_GINT64_FORMAT ";%" G_GINT64_FORMAT ";", segment->start, segment->end);
      append_csv_text (csv, segment->text);
      g_string_append_c (csv, ';');
      append_csv_text (csv, segment->memo);
      g_string_append (csv, "\r\n");
    }

  return g_string_free_to_bytes (csv);
}

gboolean
cw_report_write_csv (GPtrArray     *segments,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = cw_report_build_csv (segments);
  return write_atomically (file, bytes, cancellable, error);
}

/* XML through xmlTextWriter. The first failure sticks; xml_finish reports
 * it. */

typedef struct
{
  xmlBufferPtr     buffer;
  xmlTextWriterPtr writer;
  gboolean         failed;
} Xml;

static void
xml_check (Xml *xml,
           int  rc)
{
  if (rc < 0)
    xml->failed = TRUE;
}

static gboolean
xml_init (Xml *xml)
{
  xml->failed = FALSE;
  xml->buffer = xmlBufferCreate ();
  xml->writer = xml->buffer != NULL ? xmlNewTextWriterMemory (xml->buffer, 0) : NULL;
  if (xml->writer == NULL)
    {
      xml->failed = TRUE;
      return FALSE;
    }
  xml_check (xml, xmlTextWriterStartDocument (xml->writer, NULL, "UTF-8", NULL));
  return TRUE;
}

static void
xml_start (Xml        *xml,
           const char *name)
{
  if (!xml->failed)
    xml_check (xml, xmlTextWriterStartElement (xml->writer, BAD_CAST name));
}

static void
xml_end (Xml *xml)
{
  if (!xml->failed)
    xml_check (xml, xmlTextWriterEndElement (xml->writer));
}

static void
xml_attr (Xml        *xml,
          const char *name,
          const char *value)
{
  if (!xml->failed)
    xml_check (xml, xmlTextWriterWriteAttribute (xml->writer, BAD_CAST name, BAD_CAST value));
}

/* Characters XML 1.0 cannot hold at all. */
static gboolean
is_xml_char (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD ||
         (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

/* Broken UTF-8 becomes U+FFFD; control characters (which a transcript may
 * carry from a bad import) are left out: XML cannot carry them. */
static char *
xml_clean (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (or_empty (text), -1);
  GString *clean = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_xml_char (c))
        g_string_append_unichar (clean, c);
    }
  return g_string_free (clean, FALSE);
}

static void
xml_text (Xml        *xml,
          const char *text)
{
  g_autofree char *clean = NULL;

  if (xml->failed || text == NULL || text[0] == '\0')
    return;
  clean = xml_clean (text);
  xml_check (xml, xmlTextWriterWriteString (xml->writer, BAD_CAST clean));
}

static void
xml_element_text (Xml        *xml,
                  const char *name,
                  const char *text)
{
  xml_start (xml, name);
  xml_text (xml, text);
  xml_end (xml);
}

static void
xml_namespaces (Xml                *xml,
                const char * const *prefixes)
{
  static const struct
  {
    const char *prefix;
    const char *uri;
  } namespaces[] = {
    { "office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0" },
    { "style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0" },
    { "text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0" },
    { "fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" },
    { "meta", "urn:oasis:names:tc:opendocument:xmlns:meta:1.0" },
    { "dc", "http://purl.org/dc/elements/1.1/" },
  };

  for (guint i = 0; prefixes[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (namespaces); j++)
      if (strcmp (prefixes[i], namespaces[j].prefix) == 0)
        {
          g_autofree char *attr = g_strconcat ("xmlns:", prefixes[i], NULL);

          xml_attr (xml, attr, namespaces[j].uri);
        }
}

static GBytes *
xml_finish (Xml         *xml,
            const char  *part,
            GError     **error)
{
  GBytes *bytes = NULL;

  if (!xml->failed)
    xml_check (xml, xmlTextWriterEndDocument (xml->writer));
  /* Freeing the writer flushes it into the buffer. */
  g_clear_pointer (&xml->writer, xmlFreeTextWriter);
  if (xml->failed)
    /* Translators: %s names a part of the ODF file: content, styles,
     * metadata or manifest (left in English). */
    g_set_error (error, CW_REPORT_ERROR, CW_REPORT_ERROR_FAILED,
                 _("Could not write the report’s %s"), part);
  else
    bytes = g_bytes_new (xmlBufferContent (xml->buffer), (gsize) xmlBufferLength (xml->buffer));
  g_clear_pointer (&xml->buffer, xmlBufferFree);
  return bytes;
}

static void
flush_run (Xml     *xml,
           GString *run)
{
  xml_text (xml, run->str);
  g_string_truncate (run, 0);
}

static void
write_spaces (Xml   *xml,
              guint  count)
{
  g_autofree char *c = g_strdup_printf ("%u", count);

  xml_start (xml, "text:s");
  if (count > 1)
    xml_attr (xml, "text:c", c);
  xml_end (xml);
}

/* Paragraph content keeping the text's layout: ODF collapses white space,
 * so newlines become text:line-break, tabs text:tab, and runs of spaces
 * (and spaces where a reader would drop them: at the start or end of a
 * line) text:s. */
static void
write_odf_text (Xml        *xml,
                const char *text)
{
  g_autofree char *clean = xml_clean (text);
  g_autoptr(GString) run = g_string_new (NULL);
  gboolean line_start = TRUE;
  const char *p = clean;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        {
          flush_run (xml, run);
          xml_start (xml, "text:line-break");
          xml_end (xml);
          line_start = TRUE;
          p++;
        }
      else if (c == '\t')
        {
          flush_run (xml, run);
          xml_start (xml, "text:tab");
          xml_end (xml);
          line_start = TRUE;
          p++;
        }
      else if (c == ' ')
        {
          guint count = 0;

          while (*p == ' ')
            {
              count++;
              p++;
            }
          if (line_start || *p == '\0' || *p == '\n' || *p == '\t')
            {
              flush_run (xml, run);
              write_spaces (xml, count);
            }
          else
            {
              g_string_append_c (run, ' ');
              if (count > 1)
                {
                  flush_run (xml, run);
                  write_spaces (xml, count - 1);
                }
            }
          line_start = FALSE;
        }
      else
        {
          /* CR (which stored text has not) would read as a space. */
          if (c != '\r')
            g_string_append_unichar (run, c);
          line_start = FALSE;
          p = g_utf8_next_char (p);
        }
    }
  flush_run (xml, run);
}

static void
write_paragraph (Xml        *xml,
                 const char *style,
                 const char *text)
{
  xml_start (xml, "text:p");
  xml_attr (xml, "text:style-name", style);
  write_odf_text (xml, text);
  xml_end (xml);
}

static char *
segment_header (const CwCoding *segment)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  g_autofree char *range = g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, segment->start, segment->end);
  const char *fields[] = { segment->document, segment->speaker, segment->code, segment->coder };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL && fields[i][0] != '\0')
      g_ptr_array_add (parts, (gpointer) fields[i]);
  g_ptr_array_add (parts, range);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static GBytes *
build_content (GPtrArray   *segments,
               const char  *title,
               const char  *subtitle,
               const char  *date,
               GError     **error)
{
  static const char * const prefixes[] = { "office", "style", "text", "fo", NULL };
  Xml xml;

  if (!xml_init (&xml))
    return xml_finish (&xml, "content", error);

  xml_start (&xml, "office:document-content");
  xml_namespaces (&xml, prefixes);
  xml_attr (&xml, "office:version", ODF_VERSION);
  xml_start (&xml, "office:body");
  xml_start (&xml, "office:text");

  xml_start (&xml, "text:h");
  xml_attr (&xml, "text:style-name", "Title");
  xml_attr (&xml, "text:outline-level", "1");
  write_odf_text (&xml, title);
  xml_end (&xml);
  if (subtitle != NULL && subtitle[0] != '\0')
    write_paragraph (&xml, "Subtitle", subtitle);
  write_paragraph (&xml, "Report_20_date", date);

  for (guint i = 0; segments != NULL && i < segments->len; i++)
    {
      const CwCoding *segment = g_ptr_array_index (segments, i);
      g_autofree char *header = segment_header (segment);

      write_paragraph (&xml, "Segment_20_header", header);
      write_paragraph (&xml, "Segment_20_text", segment->text);
      if (segment->memo != NULL && segment->memo[0] != '\0')
        {
          /* Translators: a coded segment's memo in a report. */
          g_autofree char *memo = g_strdup_printf (_("Memo: %s"), segment->memo);

          write_paragraph (&xml, "Segment_20_memo", memo);
        }
    }

  xml_end (&xml); /* office:text */
  xml_end (&xml); /* office:body */
  xml_end (&xml); /* office:document-content */
  return xml_finish (&xml, "content", error);
}

typedef struct
{
  const char *name;
  const char *display_name;
  const char *paragraph[12]; /* attribute, value pairs, NULL-terminated */
  const char *text[8];
} ParagraphStyle;

/* Named styles, so that a researcher can restyle the whole report in
 * Writer by editing one style. */
static const ParagraphStyle paragraph_styles[] = {
  { "Title", NC_("report style", "Title"),
    { "fo:margin-top", "0cm", "fo:margin-bottom", "0.2cm", NULL },
    { "fo:font-size", "20pt", "fo:font-weight", "bold", NULL } },
  { "Subtitle", NC_("report style", "Subtitle"),
    { "fo:margin-bottom", "0.1cm", NULL },
    { "fo:font-size", "13pt", "fo:color", "#3d3846", NULL } },
  { "Report_20_date", NC_("report style", "Report date"),
    { "fo:margin-bottom", "0.6cm", NULL },
    { "fo:font-size", "9pt", "fo:color", "#77767b", NULL } },
  { "Segment_20_header", NC_("report style", "Segment header"),
    { "fo:margin-top", "0.45cm", "fo:margin-bottom", "0.1cm", "fo:keep-with-next", "always", NULL },
    { "fo:font-size", "9pt", "fo:font-weight", "bold", "fo:color", "#5e5c64", NULL } },
  { "Segment_20_text", NC_("report style", "Segment text"),
    { "fo:margin-left", "0.6cm", "fo:margin-right", "0.6cm", "fo:padding-left", "0.25cm",
      "fo:border-left", "0.06cm solid #c0bfbc", NULL },
    { "fo:font-style", "italic", NULL } },
  { "Segment_20_memo", NC_("report style", "Segment memo"),
    { "fo:margin-left", "0.6cm", "fo:margin-top", "0.1cm", NULL },
    { "fo:font-size", "9pt", "fo:color", "#5e5c64", NULL } },
};

static void
write_properties (Xml                *xml,
                  const char         *element,
                  const char * const *pairs)
{
  xml_start (xml, element);
  for (guint i = 0; pairs[i] != NULL; i += 2)
    xml_attr (xml, pairs[i], pairs[i + 1]);
  xml_end (xml);
}

static GBytes *
build_styles (GError **error)
{
  static const char * const prefixes[] = { "office", "style", "text", "fo", NULL };
  static const char * const default_paragraph[] = { "fo:margin-top", "0cm", "fo:margin-bottom", "0.15cm", NULL };
  static const char * const default_text[] = { "fo:font-size", "11pt", NULL };
  static const char * const page[] = { "fo:page-width", "21cm", "fo:page-height", "29.7cm",
                                       "style:print-orientation", "portrait",
                                       "fo:margin-top", "2cm", "fo:margin-bottom", "2cm",
                                       "fo:margin-left", "2.2cm", "fo:margin-right", "2.2cm", NULL };
  Xml xml;

  if (!xml_init (&xml))
    return xml_finish (&xml, "styles", error);

  xml_start (&xml, "office:document-styles");
  xml_namespaces (&xml, prefixes);
  xml_attr (&xml, "office:version", ODF_VERSION);

  xml_start (&xml, "office:styles");
  xml_start (&xml, "style:default-style");
  xml_attr (&xml, "style:family", "paragraph");
  write_properties (&xml, "style:paragraph-properties", default_paragraph);
  write_properties (&xml, "style:text-properties", default_text);
  xml_end (&xml);

  xml_start (&xml, "style:style");
  xml_attr (&xml, "style:name", "Standard");
  xml_attr (&xml, "style:family", "paragraph");
  xml_attr (&xml, "style:class", "text");
  xml_end (&xml);

  for (guint i = 0; i < G_N_ELEMENTS (paragraph_styles); i++)
    {
      const ParagraphStyle *style = &paragraph_styles[i];

      xml_start (&xml, "style:style");
      xml_attr (&xml, "style:name", style->name);
      /* Writer lists the styles by these names. */
      xml_attr (&xml, "style:display-name", g_dpgettext2 (GETTEXT_PACKAGE, "report style", style->display_name));
      xml_attr (&xml, "style:family", "paragraph");
      xml_attr (&xml, "style:parent-style-name", "Standard");
      write_properties (&xml, "style:paragraph-properties", style->paragraph);
      write_properties (&xml, "style:text-properties", style->text);
      xml_end (&xml);
    }
  xml_end (&xml); /* office:styles */

  /* A4: the report is printed in the Netherlands. */
  xml_start (&xml, "office:automatic-styles");
  xml_start (&xml, "style:page-layout");
  xml_attr (&xml, "style:name", "Page");
  write_properties (&xml, "style:page-layout-properties", page);
  xml_end (&xml);
  xml_end (&xml);

  xml_start (&xml, "office:master-styles");
  xml_start (&xml, "style:master-page");
  xml_attr (&xml, "style:name", "Standard");
  xml_attr (&xml, "style:page-layout-name", "Page");
  xml_end (&xml);
  xml_end (&xml);

  xml_end (&xml); /* office:document-styles */
  return xml_finish (&xml, "styles", error);
}

static GBytes *
build_meta (const char  *title,
            const char  *subtitle,
            const char  *timestamp,
            GError     **error)
{
  static const char * const prefixes[] = { "office", "meta", "dc", NULL };
  Xml xml;

  if (!xml_init (&xml))
    return xml_finish (&xml, "metadata", error);

  xml_start (&xml, "office:document-meta");
  xml_namespaces (&xml, prefixes);
  xml_attr (&xml, "office:version", ODF_VERSION);
  xml_start (&xml, "office:meta");
  xml_element_text (&xml, "meta:generator", "Codewerk/" PACKAGE_VERSION);
  xml_element_text (&xml, "dc:title", title);
  if (subtitle != NULL && subtitle[0] != '\0')
    xml_element_text (&xml, "dc:description", subtitle);
  xml_element_text (&xml, "meta:creation-date", timestamp);
  xml_element_text (&xml, "dc:date", timestamp);
  xml_end (&xml);
  xml_end (&xml);
  return xml_finish (&xml, "metadata", error);
}

static GBytes *
build_manifest (GError **error)
{
  static const char * const entries[] = {
    "/", ODT_MIMETYPE,
    "content.xml", "text/xml",
    "styles.xml", "text/xml",
    "meta.xml", "text/xml",
    NULL
  };
  Xml xml;

  if (!xml_init (&xml))
    return xml_finish (&xml, "manifest", error);

  xml_start (&xml, "manifest:manifest");
  xml_attr (&xml, "xmlns:manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0");
  xml_attr (&xml, "manifest:version", ODF_VERSION);
  for (guint i = 0; entries[i] != NULL; i += 2)
    {
      xml_start (&xml, "manifest:file-entry");
      xml_attr (&xml, "manifest:full-path", entries[i]);
      if (i == 0)
        xml_attr (&xml, "manifest:version", ODF_VERSION);
      xml_attr (&xml, "manifest:media-type", entries[i + 1]);
      xml_end (&xml);
    }
  xml_end (&xml);
  return xml_finish (&xml, "manifest", error);
}

/* A small zip writer: stored or deflated entries, no extra fields, no data
 * descriptors, no zip64 (a report is far below 4 GiB). */

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  static guint32 table[256];
  static gsize initialized = 0;
  guint32 crc = 0xFFFFFFFF;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320 ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }

  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFF;
}

static GBytes *
deflate_bytes (GBytes  *bytes,
               GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) stream = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (!g_output_stream_write_all (stream, data, size, NULL, NULL, error) ||
      !g_output_stream_close (stream, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
put16 (GByteArray *out,
       guint       value)
{
  guint8 b[2] = { value & 0xFF, (value >> 8) & 0xFF };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 b[4] = { value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF, (value >> 24) & 0xFF };

  g_byte_array_append (out, b, 4);
}

typedef struct
{
  const char *name;
  GBytes     *data;
  gboolean    store;
} ZipEntry;

static GBytes *
build_zip (const ZipEntry  *entries,
           guint            n_entries,
           GDateTime       *now,
           GError         **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GByteArray) directory = g_byte_array_new ();
  guint dos_time = (g_date_time_get_hour (now) << 11) | (g_date_time_get_minute (now) << 5) |
                   (g_date_time_get_second (now) / 2);
  guint dos_date = ((MAX (g_date_time_get_year (now), 1980) - 1980) << 9) |
                   (g_date_time_get_month (now) << 5) | g_date_time_get_day_of_month (now);

  for (guint i = 0; i < n_entries; i++)
    {
      const ZipEntry *entry = &entries[i];
      g_autoptr(GBytes) packed = entry->store ? g_bytes_ref (entry->data) : deflate_bytes (entry->data, error);
      gsize name_length = strlen (entry->name);
      gsize size = 0, packed_size;
      const guint8 *data = g_bytes_get_data (entry->data, &size);
      guint32 crc = crc32_of (data, size);
      guint32 offset = out->len;
      guint method = entry->store ? 0 : 8;
      guint version = entry->store ? 10 : 20;

      if (packed == NULL)
        return NULL;
      packed_size = g_bytes_get_size (packed);
      if (size >= G_MAXUINT32 || packed_size >= G_MAXUINT32 || (guint64) out->len + packed_size >= G_MAXUINT32)
        {
          g_set_error (error, CW_REPORT_ERROR, CW_REPORT_ERROR_FAILED, _("The report is too large"));
          return NULL;
        }

      put32 (out, 0x04034b50);
      put16 (out, version);
      put16 (out, 0);        /* flags */
      put16 (out, method);
      put16 (out, dos_time);
      put16 (out, dos_date);
      put32 (out, crc);
      put32 (out, (guint32) packed_size);
      put32 (out, (guint32) size);
      put16 (out, (guint) name_length);
      put16 (out, 0);        /* no extra field */
      g_byte_array_append (out, (const guint8 *) entry->name, (guint) name_length);
      g_byte_array_append (out, g_bytes_get_data (packed, NULL), (guint) packed_size);

      put32 (directory, 0x02014b50);
      put16 (directory, 20);  /* made by: MS-DOS, zip 2.0 */
      put16 (directory, version);
      put16 (directory, 0);
      put16 (directory, method);
      put16 (directory, dos_time);
      put16 (directory, dos_date);
      put32 (directory, crc);
      put32 (directory, (guint32) packed_size);
      put32 (directory, (guint32) size);
      put16 (directory, (guint) name_length);
      put16 (directory, 0);   /* extra */
      put16 (directory, 0);   /* comment */
      put16 (directory, 0);   /* disk */
      put16 (directory, 0);   /* internal attributes */
      put32 (directory, 0);   /* external attributes */
      put32 (directory, offset);
      g_byte_array_append (directory, (const guint8 *) entry->name, (guint) name_length);
    }

  {
    guint32 directory_offset = out->len;
    guint32 directory_size = directory->len;

    g_byte_array_append (out, directory->data, directory->len);
    put32 (out, 0x06054b50);
    put16 (out, 0);
    put16 (out, 0);
    put16 (out, n_entries);
    put16 (out, n_entries);
    put32 (out, directory_size);
    put32 (out, directory_offset);
    put16 (out, 0);
  }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
cw_report_build_odt (GPtrArray   *segments,
                     const char  *title,
                     const char  *subtitle,
                     GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autofree char *timestamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  g_autoptr(GBytes) mimetype = g_bytes_new_static (ODT_MIMETYPE, strlen (ODT_MIMETYPE));
  g_autoptr(GBytes) manifest = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) styles = NULL;
  g_autoptr(GBytes) meta = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (title == NULL)
    title = "";
  if ((content = build_content (segments, title, subtitle, date, error)) == NULL ||
      (styles = build_styles (error)) == NULL ||
      (meta = build_meta (title, subtitle, timestamp, error)) == NULL ||
      (manifest = build_manifest (error)) == NULL)
    return NULL;

  {
    /* mimetype first and stored: that is how readers recognise the file. */
    const ZipEntry entries[] = {
      { "mimetype", mimetype, TRUE },
      { "META-INF/manifest.xml", manifest, FALSE },
      { "content.xml", content, FALSE },
      { "styles.xml", styles, FALSE },
      { "meta.xml", meta, FALSE },
    };

    return build_zip (entries, G_N_ELEMENTS (entries), now, error);
  }
}

gboolean
cw_report_write_odt (GPtrArray     *segments,
                     const char    *title,
                     const char    *subtitle,
                     GFile         *file,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  bytes = cw_report_build_odt (segments, title, subtitle, error);
  if (bytes == NULL)
    return FALSE;
  return write_atomically (file, bytes, cancellable, error);
}
