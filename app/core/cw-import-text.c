/* cw-import-text.c: decoding plain-text transcripts and splitting them into
 * paragraphs.
 *
 * Researchers bring text from everywhere: UTF-8 from modern editors (with or
 * without a BOM), UTF-16 from Windows "Unicode" exports, and Windows-1252 from
 * old Word exports. Decoding never guesses exotic encodings; anything that is
 * not valid UTF-8 is read byte by byte as Windows-1252.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-import.h"

/* Windows-1252 0x80..0x9F; the five bytes the code page leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD so a stray one cannot make a
 * whole transcript unreadable. 0xA0..0xFF equal their Latin-1 code points. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static void
append_unichar (GString  *out,
                gunichar  c)
{
  char buf[6];
  int n = g_unichar_to_utf8 (c, buf);

  g_string_append_len (out, buf, n);
}

static gboolean
has_visible_text (const char *text,
                  gsize       len)
{
  const char *end = text + len;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* A BOM repeated inside the text or a zero-width space is not text. */
      if (!g_unichar_isspace (c) && c != 0xFEFF && c != 0x200B)
        return TRUE;
    }
  return FALSE;
}

/* The common last pass over valid UTF-8: CRLF and CR become LF, form feeds and
 * vertical tabs (Word's page and line breaks) become LF, other control
 * characters are dropped but counted: many of them mean binary data. */
static char *
finish_text (const char  *data,
             gsize        len,
             const char  *filename,
             GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (len + 1);
  gsize run = 0, chars = 0, controls = 0;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) data[i];
      gboolean c1 = FALSE;

      if (c >= 0x20 && c != 0x7F)
        {
          chars += (c & 0xC0) != 0x80;
          /* U+0080..U+009F (C1 controls) are encoded C2 80..C2 9F. */
          if (c != 0xC2 || i + 1 >= len || (guchar) data[i + 1] >= 0xA0)
            continue;
          c1 = TRUE;
        }

      g_string_append_len (out, data + run, i - run);
      if (!c1)
        chars++;

      if (c1)
        {
          controls++;
          i++;
        }
      else if (c == '\r')
        {
          g_string_append_c (out, '\n');
          if (i + 1 < len && data[i + 1] == '\n')
            i++;
        }
      else if (c == '\n' || c == '\t')
        g_string_append_c (out, c);
      else if (c == '\f' || c == '\v')
        g_string_append_c (out, '\n');
      else if (c == 0)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_BINARY, filename, 0, _("binary data, not text"));
          return NULL;
        }
      else
        controls++;

      run = i + 1;
    }
  g_string_append_len (out, data + run, len - run);

  /* A stray control character in a Word export is no reason to refuse a
   * transcript; one in twenty characters is. */
  if (controls > 0 && controls * 20 > chars)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_BINARY, filename, 0, _("binary data, not text"));
      return NULL;
    }

  if (!has_visible_text (out->str, out->len))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, filename, 0, _("the file is empty"));
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
decode_utf16 (const guchar  *data,
              gsize          len,
              gboolean       big_endian,
              const char    *filename,
              GError       **error)
{
  g_autoptr(GString) out = NULL;
  guint line = 1;

  if (len % 2 != 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_ENCODING, filename, 0,
                           _("invalid UTF-16: the file has an odd number of bytes"));
      return NULL;
    }

  out = g_string_sized_new (len + len / 2 + 1);
  for (gsize i = 0; i < len; i += 2)
    {
      gunichar u = big_endian ? (gunichar) (data[i] << 8 | data[i + 1])
                              : (gunichar) (data[i + 1] << 8 | data[i]);

      if (u == 0)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_BINARY, filename, 0, _("binary data, not text"));
          return NULL;
        }
      if (u >= 0xD800 && u <= 0xDBFF)
        {
          gunichar low = 0;

          if (i + 3 < len)
            low = big_endian ? (gunichar) (data[i + 2] << 8 | data[i + 3])
                             : (gunichar) (data[i + 3] << 8 | data[i + 2]);
          if (low < 0xDC00 || low > 0xDFFF)
            {
              cw_import_set_error (error, CW_IMPORT_ERROR_ENCODING, filename,
                                   line, _("invalid UTF-16: unpaired surrogate"));
              return NULL;
            }
          u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
          i += 2;
        }
      else if (u >= 0xDC00 && u <= 0xDFFF)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_ENCODING, filename,
                               line, _("invalid UTF-16: unpaired surrogate"));
          return NULL;
        }

      /* Counted as finish_text() will split lines: CRLF, CR, LF. */
      if (u == '\n' && !(out->len > 0 && out->str[out->len - 1] == '\r'))
        line++;
      else if (u == '\r')
        line++;

      if (u < 0x80)
        g_string_append_c (out, (char) u);
      else
        append_unichar (out, u);
    }

  return finish_text (out->str, out->len, filename, error);
}

char *
cw_import_decode_text (GBytes      *bytes,
                       const char  *filename,
                       GError     **error)
{
  const guchar *data, *end, *p;
  g_autoptr(GString) decoded = NULL;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, filename, 0, _("the file is empty"));
      return NULL;
    }

  if (len >= 2 && data[0] == 0xFF && data[1] == 0xFE)
    return decode_utf16 (data + 2, len - 2, FALSE, filename, error);
  if (len >= 2 && data[0] == 0xFE && data[1] == 0xFF)
    return decode_utf16 (data + 2, len - 2, TRUE, filename, error);

  if (len >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      data += 3;
      len -= 3;
    }

  /* Without a UTF-16 BOM a NUL byte is never text. */
  if (memchr (data, 0, len) != NULL)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_BINARY, filename, 0, _("binary data, not text"));
      return NULL;
    }

  end = data + len;
  if (g_utf8_validate_len ((const char *) data, len, (const char **) &p))
    return finish_text ((const char *) data, len, filename, error);

  /* Not UTF-8: each valid UTF-8 sequence stays as it is and each byte that is
   * not one is read as Windows-1252. For a pure Windows-1252 file this is
   * plain Windows-1252 (its accented letters are never followed by the bytes
   * a UTF-8 sequence would need); a UTF-8 file with pasted-in Windows-1252
   * bits keeps its UTF-8 text instead of turning it into mojibake. */
  decoded = g_string_sized_new (len + len / 8 + 1);
  g_string_append_len (decoded, (const char *) data, p - data);
  while (p < end)
    {
      const guchar *valid_end;
      guchar b = *p++;

      if (b < 0x80)
        g_string_append_c (decoded, (char) b);
      else if (b < 0xA0)
        append_unichar (decoded, cp1252_high[b - 0x80]);
      else
        append_unichar (decoded, b);

      g_utf8_validate_len ((const char *) p, end - p, (const char **) &valid_end);
      g_string_append_len (decoded, (const char *) p, valid_end - p);
      p = valid_end;
    }

  return finish_text (decoded->str, decoded->len, filename, error);
}

GPtrArray *
cw_import_parse_txt (GBytes      *bytes,
                     const char  *filename,
                     GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) paragraphs = NULL;
  const char *line;

  text = cw_import_decode_text (bytes, filename, error);
  if (text == NULL)
    return NULL;

  /* One paragraph per line: plain text has no other paragraph structure, and
   * the builder joins them with "\n" again, so the text is kept as it is. */
  paragraphs = cw_paragraph_array_new ();
  line = text;
  for (;;)
    {
      const char *nl = strchr (line, '\n');

      if (nl == NULL)
        {
          g_ptr_array_add (paragraphs, cw_paragraph_new (line, -1));
          break;
        }
      g_ptr_array_add (paragraphs, cw_paragraph_new (line, nl - line));
      line = nl + 1;
    }

  return g_steal_pointer (&paragraphs);
}
