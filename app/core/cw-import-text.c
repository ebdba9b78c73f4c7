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

/* A line longer than CW_IMPORT_MAX_LINE_BYTES: no transcript, subtitle
 * file or cohort table has one, and the text view cannot lay one out. */
static gboolean
check_line_length (gsize        line_start,
                   gsize        line_end,
                   guint        line,
                   const char  *filename,
                   GError     **error)
{
  if (line_end - line_start <= CW_IMPORT_MAX_LINE_BYTES)
    return TRUE;
  cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, filename, line, _("a line longer than %d MiB"),
                       CW_IMPORT_MAX_LINE_BYTES / (1024 * 1024));
  return FALSE;
}

/* The common last pass over valid UTF-8: CRLF and CR become LF, form feeds and
 * vertical tabs (Word's page and line breaks) become LF, other control
 * characters are dropped but counted: many of them mean binary data. Lines
 * are capped (CW_IMPORT_MAX_LINE_BYTES). */
static char *
finish_text (const char  *data,
             gsize        len,
             const char  *filename,
             GError     **error)
{
  g_autoptr(GString) out = g_string_sized_new (len + 1);
  gsize run = 0, chars = 0, controls = 0, line_start = 0;
  guint line = 1;

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
      else if (c == '\r' || c == '\n' || c == '\f' || c == '\v')
        {
          if (!check_line_length (line_start, i, line, filename, error))
            return NULL;
          g_string_append_c (out, '\n');
          if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
            i++;
          /* Numbered as editors do: CRLF, CR and LF end a line. */
          if (c == '\r' || c == '\n')
            line++;
          line_start = i + 1;
        }
      else if (c == '\t')
        g_string_append_c (out, c);
      else if (c == 0)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_BINARY, filename, 0, _("binary data, not text"));
          return NULL;
        }
      else
        controls++;

      run = i + 1;
    }
  if (!check_line_length (line_start, len, line, filename, error))
    return NULL;
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

/* The line of data[offset], numbered as finish_text() numbers them. */
static guint
line_of (const guchar *data,
         gsize         offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n' || (data[i] == '\r' && (i + 1 >= offset || data[i + 1] != '\n')))
      line++;
  return line;
}

/* Text in UTF-16 without a byte order mark: in the first KiB, nearly every
 * other byte is NUL (ASCII letters) and the bytes between are not. */
static gboolean
looks_like_utf16_without_bom (const guchar *data,
                              gsize         len)
{
  gsize n = MIN (len, 1024) & ~(gsize) 1;
  guint zero[2] = { 0, 0 };

  if (n < 8)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    zero[i % 2] += data[i] == 0;
  return (zero[0] * 10 >= n / 2 * 9 && zero[1] == 0) || (zero[1] * 10 >= n / 2 * 9 && zero[0] == 0);
}

/* A few bytes that Windows-1252 leaves undefined become U+FFFD; more than
 * this many mean the file is in an encoding that is not read here (Mac
 * Roman, Shift-JIS, ...), and reading on would garble its letters. */
#define MAX_UNDEFINED_BYTES 8

char *
cw_import_decode_text (GBytes      *bytes,
                       const char  *filename,
                       GError     **error)
{
  const guchar *data, *end, *p, *first_undefined = NULL;
  g_autoptr(GString) decoded = NULL;
  guint undefined = 0;
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

  if (looks_like_utf16_without_bom (data, len))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_ENCODING, filename, 0,
                           _("UTF-16 text without a byte order mark (save it as UTF-8)"));
      return NULL;
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
        {
          if (cp1252_high[b - 0x80] == 0xFFFD)
            {
              if (undefined == 0)
                first_undefined = p - 1;
              if (++undefined > MAX_UNDEFINED_BYTES)
                {
                  cw_import_set_error (error, CW_IMPORT_ERROR_ENCODING, filename,
                                       line_of (data, first_undefined - data),
                                       _("neither UTF-8 nor Windows-1252 (byte 0x%02X is undefined in Windows-1252)"),
                                       *first_undefined);
                  return NULL;
                }
            }
          append_unichar (decoded, cp1252_high[b - 0x80]);
        }
      else
        append_unichar (decoded, b);

      g_utf8_validate_len ((const char *) p, end - p, (const char **) &valid_end);
      g_string_append_len (decoded, (const char *) p, valid_end - p);
      p = valid_end;
    }

  return finish_text (decoded->str, decoded->len, filename, error);
}

/* f4/f5 stamps. A valid one is #h:mm:ss#, #hh:mm:ss-d# or #hh:mm:ss-dd#
 * (what the builder reads); returns its length, else 0. */
static gsize
valid_f4_stamp (const char *p)
{
  const char *s = p + 1;
  guint digits;

  for (digits = 0; g_ascii_isdigit (*s); s++)
    digits++;
  if (digits < 1 || digits > 2 || *s != ':')
    return 0;
  for (guint field = 0; field < 2; field++)
    {
      if (*s++ != ':' || !g_ascii_isdigit (s[0]) || !g_ascii_isdigit (s[1]) || g_ascii_isdigit (s[2]) ||
          s[0] >= '6')
        return 0;
      s += 2;
    }
  if (*s == '-')
    {
      for (s++, digits = 0; g_ascii_isdigit (*s); s++)
        digits++;
      if (digits < 1 || digits > 2)
        return 0;
    }
  return *s == '#' ? (gsize) (s + 1 - p) : 0;
}

/* Whether p starts something only a stamp looks like: '#', digits and
 * colons (and a '-' fraction), '#'. With three fields ("#00:75:20-1#") it
 * can be nothing else; with two ("#12:61#") only in a file that has
 * valid stamps. Returns its length, else 0. */
static gsize
stamp_like (const char *p,
            gboolean    in_f4)
{
  const char *s = p + 1;
  guint fields = 0;

  for (;;)
    {
      const char *digits = s;

      while (g_ascii_isdigit (*s) && s - digits < 32)
        s++;
      if (s == digits)
        return 0;
      fields++;
      if (*s != ':')
        break;
      s++;
    }
  if (*s == '-' && g_ascii_isdigit (s[1]))
    for (s++; g_ascii_isdigit (*s); s++)
      ;
  if (*s != '#' || fields < 2 || fields > 3 || (fields == 2 && !in_f4))
    return 0;
  return s + 1 - p;
}

/* An f4/f5 stamp that cannot be read is refused with its line: dropping
 * it would lose the time a researcher relies on, keeping it as text would
 * hide the mistake. */
static gboolean
check_f4_stamps (const char  *text,
                 const char  *filename,
                 GError     **error)
{
  gboolean in_f4 = FALSE;
  guint line = 1;

  for (const char *p = strchr (text, '#'); p != NULL && !in_f4; p = strchr (p + 1, '#'))
    in_f4 = valid_f4_stamp (p) > 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      gsize n;

      if (*p == '\n')
        line++;
      if (*p != '#')
        continue;
      if ((n = valid_f4_stamp (p)) > 0)
        {
          p += n - 1;
          continue;
        }
      if ((n = stamp_like (p, in_f4)) > 0)
        {
          g_autofree char *stamp = g_strndup (p, n);

          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, line,
                               _("a timestamp that cannot be read: “%s” (expected #hh:mm:ss-d#)"), stamp);
          return FALSE;
        }
    }
  return TRUE;
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
  if (text == NULL || !check_f4_stamps (text, filename, error))
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
