/* cw-import.c: shared pieces of the importers and the dispatch by format. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-import.h"

G_DEFINE_QUARK (cw-import-error-quark, cw_import_error)

CwParagraph *
cw_paragraph_new (const char *text,
                  gssize      len)
{
  CwParagraph *paragraph = g_new0 (CwParagraph, 1);

  paragraph->text = g_strndup (text, len < 0 ? strlen (text) : (gsize) len);
  paragraph->time = -1;
  return paragraph;
}

void
cw_paragraph_free (CwParagraph *paragraph)
{
  if (paragraph == NULL)
    return;
  g_free (paragraph->text);
  g_free (paragraph->speaker);
  g_free (paragraph);
}

GPtrArray *
cw_paragraph_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cw_paragraph_free);
}

void
cw_parsed_document_free (CwParsedDocument *document)
{
  if (document == NULL)
    return;
  g_free (document->text);
  g_clear_pointer (&document->turns, g_ptr_array_unref);
  g_free (document);
}

void
cw_import_set_error (GError      **error,
                     CwImportError code,
                     const char   *filename,
                     guint         line,
                     const char   *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* What the file itself put in the message (libxml2 quotes the broken
   * bytes, a cell may hold a newline) must still read as one line of
   * valid UTF-8 (found by fuzzing). */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }
  for (char *p = message; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7F)
      *p = ' ';

  if (line > 0)
    g_set_error (error, CW_IMPORT_ERROR, code, "%s:%u: %s", filename, line, message);
  else
    g_set_error (error, CW_IMPORT_ERROR, code, "%s: %s", filename, message);
}

typedef GPtrArray *(*ParseFunc) (GBytes *, const char *, GError **);

static gboolean
has_suffix (const char *name,
            const char *suffix)
{
  gsize n = strlen (name), s = strlen (suffix);

  return n >= s && g_ascii_strcasecmp (name + n - s, suffix) == 0;
}

static gboolean
is_zip (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return size >= 4 && memcmp (data, "PK\003\004", 4) == 0;
}

CwParsedDocument *
cw_import_bytes (GBytes      *bytes,
                 const char  *filename,
                 GError     **error)
{
  g_autoptr(GPtrArray) paragraphs = NULL;
  ParseFunc parse;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  if (g_bytes_get_size (bytes) == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, filename, 0, _("the file is empty"));
      return NULL;
    }

  if (has_suffix (filename, ".docx"))
    parse = cw_import_parse_docx;
  else if (has_suffix (filename, ".odt"))
    parse = cw_import_parse_odt;
  else if (has_suffix (filename, ".srt"))
    parse = cw_import_parse_srt;
  else if (has_suffix (filename, ".vtt"))
    parse = cw_import_parse_vtt;
  else if (is_zip (bytes))
    {
      /* A zip under another name: an office file renamed, or an archive. */
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           _("this is a zip archive, not a transcript (rename a Word file to .docx or an OpenDocument file to .odt)"));
      return NULL;
    }
  else if (has_suffix (filename, ".doc") || has_suffix (filename, ".pdf") ||
           has_suffix (filename, ".rtf") || has_suffix (filename, ".qdpx") ||
           has_suffix (filename, ".codewerk"))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                           _("this kind of file cannot be imported as a transcript (use .txt, .docx, .odt, .srt or .vtt)"));
      return NULL;
    }
  else
    parse = cw_import_parse_txt;

  paragraphs = parse (bytes, filename, error);
  if (paragraphs == NULL)
    return NULL;

  return cw_parsed_document_build (paragraphs, filename, error);
}

CwParsedDocument *
cw_import_file (GFile         *file,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  display = g_file_get_path (file);
  if (display == NULL)
    display = g_file_get_uri (file);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, display, 0, "%s", local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, display, 0, _("not a regular file"));
      return NULL;
    }
  if (g_file_info_get_size (info) > CW_IMPORT_MAX_FILE_BYTES)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, display, 0,
                           _("the file is larger than %d MiB"), CW_IMPORT_MAX_FILE_BYTES / (1024 * 1024));
      return NULL;
    }

  /* Read with the cap applied again: a file that grows after the check
   * (or was swapped for another) is still never read past it. */
  stream = G_INPUT_STREAM (g_file_read (file, cancellable, &local_error));
  if (stream == NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_IO, display, 0, "%s", local_error->message);
      return NULL;
    }
  buffer = g_byte_array_sized_new ((guint) g_file_info_get_size (info) + 1);
  for (;;)
    {
      guint8 chunk[65536];
      gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable, &local_error);

      if (n < 0)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_IO, display, 0, "%s", local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (buffer->len + (gsize) n > CW_IMPORT_MAX_FILE_BYTES)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, display, 0,
                               _("the file is larger than %d MiB"), CW_IMPORT_MAX_FILE_BYTES / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (buffer, chunk, (guint) n);
    }

  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
  return cw_import_bytes (bytes, display, error);
}
