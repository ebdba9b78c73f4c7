/* cw-import-subtitles.c: SubRip (.srt) and WebVTT (.vtt) files, as written by
 * automatic transcription services.
 *
 * Each cue becomes one CwParagraph with cue = TRUE and time = the cue's start.
 * The lines of a cue are joined with a single space: subtitle line breaks
 * only wrap text for the screen, they carry no meaning, and a cue is one
 * turn. Markup (<i>, <c.class>, <00:00:01.000>, SubRip's {\an8}) is removed
 * and the common HTML entities are decoded. A WebVTT voice (<v Name>) becomes
 * the paragraph's speaker and a visible "Name: " label in its text.
 *
 * Parsing is tolerant of what real files contain (a BOM, CRLF, missing cue
 * numbers, extra blank lines, a blank line inside a cue) but a timing line
 * that cannot be read is an error naming its line: silently dropping cues
 * would lose text the researcher expects to code.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-import.h"

typedef enum
{
  STATE_OUTSIDE,       /* between cues */
  STATE_EXPECT_TIMING, /* after a cue identifier */
  STATE_IN_CUE,        /* reading cue text */
  STATE_SKIP_BLOCK,    /* inside a WebVTT NOTE, STYLE or REGION block */
} ParseState;

typedef struct
{
  const char *filename;
  gboolean    vtt;
  GPtrArray  *paragraphs;
  GString    *cue_text; /* raw lines of the current cue, joined by spaces */
  double      cue_time;
  gboolean    have_cue;
} SubtitleParser;

static gboolean
is_blank (const char *line)
{
  for (; *line != '\0'; line++)
    if (*line != ' ' && *line != '\t')
      return FALSE;
  return TRUE;
}

static gboolean
is_all_digits (const char *line)
{
  const char *p = line;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    p++;
  while (*p == ' ' || *p == '\t')
    p++;
  return *p == '\0';
}

static gboolean
starts_with_keyword (const char *line,
                     const char *keyword)
{
  gsize n = strlen (keyword);

  return strncmp (line, keyword, n) == 0 &&
         (line[n] == '\0' || line[n] == ' ' || line[n] == '\t');
}

/* [hh:]mm:ss[.,fff]; hours of any width, minutes and seconds below 60.
 * Advances *p past the timestamp. */
static gboolean
parse_timestamp (const char **p,
                 double      *seconds)
{
  const char *s = *p;
  guint64 fields[3];
  guint n_fields = 0;
  double fraction = 0;

  for (;;)
    {
      guint64 value = 0;
      guint digits = 0;

      while (g_ascii_isdigit (*s) && digits < 10)
        {
          value = value * 10 + (guint64) (*s - '0');
          s++;
          digits++;
        }
      if (digits == 0 || g_ascii_isdigit (*s))
        return FALSE;
      /* Minutes and seconds are two digits; the first field may be wider. */
      if (n_fields > 0 && digits != 2)
        return FALSE;
      fields[n_fields++] = value;
      if (*s != ':' || n_fields == 3)
        break;
      s++;
    }

  if (n_fields < 2)
    return FALSE;

  if (*s == '.' || *s == ',')
    {
      double scale = 0.1;
      guint digits = 0;

      s++;
      while (g_ascii_isdigit (*s))
        {
          if (digits < 9)
            fraction += (*s - '0') * scale;
          scale /= 10;
          s++;
          digits++;
        }
      if (digits == 0)
        return FALSE;
    }

  if (n_fields == 3)
    {
      if (fields[1] >= 60 || fields[2] >= 60)
        return FALSE;
      *seconds = (double) fields[0] * 3600 + (double) fields[1] * 60 + (double) fields[2] + fraction;
    }
  else
    {
      if (fields[1] >= 60)
        return FALSE;
      *seconds = (double) fields[0] * 60 + (double) fields[1] + fraction;
    }

  *p = s;
  return TRUE;
}

/* "start --> end [settings]"; settings (WebVTT) and coordinates (SubRip
 * X1:... Y1:...) after the end time are ignored. */
static gboolean
parse_timing_line (const char *line,
                   double     *start,
                   double     *end)
{
  const char *p = line;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!parse_timestamp (&p, start))
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  if (strncmp (p, "-->", 3) != 0)
    return FALSE;
  p += 3;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!parse_timestamp (&p, end))
    return FALSE;
  return *p == '\0' || *p == ' ' || *p == '\t';
}

/* Whether a line outside a cue is meant as a timing line, so that a broken
 * one is reported instead of being taken for text: it has an arrow, or it
 * starts with a time and holds a second one ("00:01:02,000 -> 00:01:04,000"). */
static gboolean
looks_like_timing (const char *line)
{
  const char *p = line;
  int times = 0;

  if (strstr (line, "-->") != NULL)
    return TRUE;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;

  for (; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (p[0]) && p[1] == ':' && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]))
        {
          times++;
          p += 3;
          while (*p == ':' || g_ascii_isdigit (*p) || *p == ',' || *p == '.')
            p++;
          if (*p == '\0')
            break;
        }
    }
  return times >= 2;
}

typedef struct
{
  const char *name;
  gunichar    c;
} Entity;

static const Entity entities[] = {
  { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "nbsp", 0x00A0 },
  { "quot", '"' }, { "apos", '\'' }, { "lrm", 0x200E }, { "rlm", 0x200F },
};

/* Decodes the entity at *p (pointing at '&'); returns FALSE for a lone '&'. */
static gboolean
decode_entity (const char **p,
               gunichar    *c)
{
  const char *s = *p + 1;
  const char *semi;

  semi = s;
  while (semi - s < 12 && (g_ascii_isalnum (*semi) || *semi == '#'))
    semi++;
  if (*semi != ';' || semi == s)
    return FALSE;

  if (*s == '#')
    {
      guint64 value;
      char *end;

      if (s[1] == 'x' || s[1] == 'X')
        value = g_ascii_strtoull (s + 2, &end, 16);
      else
        value = g_ascii_strtoull (s + 1, &end, 10);
      if (end != semi || value == 0 || value > 0x10FFFF || !g_unichar_validate ((gunichar) value))
        return FALSE;
      /* &#13; and the like would put a CR (or another control character)
       * into the stored text, which has only LF (found by fuzzing). */
      *c = g_unichar_iscntrl ((gunichar) value) ? ' ' : (gunichar) value;
      *p = semi + 1;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      gsize n = strlen (entities[i].name);

      if ((gsize) (semi - s) == n && strncmp (s, entities[i].name, n) == 0)
        {
          *c = entities[i].c;
          *p = semi + 1;
          return TRUE;
        }
    }
  return FALSE;
}

static void
append_space (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
}

/* Text of a voice tag's annotation: "v.loud Jan de Vries" -> "Jan de Vries". */
static char *
voice_name (const char *tag,
            gsize       len)
{
  const char *p = tag + 1, *end = tag + len;
  g_autoptr(GString) name = g_string_new (NULL);

  if (p < end && *p == '.')
    while (p < end && *p != ' ' && *p != '\t')
      p++;

  while (p < end)
    {
      gunichar c;

      if (*p == ' ' || *p == '\t')
        {
          append_space (name);
          p++;
        }
      else if (*p == '&' && decode_entity (&p, &c))
        {
          char buf[6];

          if (c == 0x00A0)
            append_space (name);
          else
            g_string_append_len (name, buf, g_unichar_to_utf8 (c, buf));
        }
      else
        g_string_append_c (name, *p++);
    }

  while (name->len > 0 && name->str[name->len - 1] == ' ')
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&name), FALSE);
}

/* Length of the markup tag at p ('<'), or 0 if the '<' is text: WebVTT and
 * SubRip tags are a short name (c, i, b, u, v, ruby, rt, lang, font) or a
 * timestamp (<00:00:01.000>); "a < b" stays. */
static gsize
tag_length (const char *p)
{
  const char *q = p + 1;
  const char *close;

  if (*q == '/')
    q++;
  if (g_ascii_isdigit (*q))
    {
      while (g_ascii_isdigit (*q) || *q == ':' || *q == '.')
        q++;
      return *q == '>' ? (gsize) (q + 1 - p) : 0;
    }
  if (!g_ascii_isalpha (*q))
    return 0;
  while (g_ascii_isalpha (*q) && q - p < 8)
    q++;
  if (*q != '>' && *q != ' ' && *q != '\t' && *q != '.' && *q != '/')
    return 0;
  close = strchr (q, '>');
  if (close == NULL || memchr (q, '<', close - q) != NULL)
    return 0;
  return close + 1 - p;
}

/* Strips markup, decodes entities and collapses spaces. The first voice
 * before any text becomes *speaker; a later, different voice in the same
 * cue is written inline as "Name: " so no attribution is lost. */
static char *
clean_cue_text (const char  *raw,
                char       **speaker)
{
  g_autoptr(GString) out = g_string_sized_new (strlen (raw) + 1);
  g_autofree char *current_voice = NULL;
  const char *p = raw;

  *speaker = NULL;
  while (*p != '\0')
    {
      gsize tag_len = *p == '<' ? tag_length (p) : 0;

      if (tag_len > 0)
        {
          const char *tag = p + 1;
          gsize len = tag_len - 2;

          if (tag[0] == 'v' && (len == 1 || tag[1] == '.' || tag[1] == ' ' || tag[1] == '\t'))
            {
              g_autofree char *name = voice_name (tag, len);

              if (name != NULL && g_strcmp0 (name, current_voice) != 0)
                {
                  if (out->len == 0 && *speaker == NULL)
                    *speaker = g_strdup (name);
                  else
                    {
                      append_space (out);
                      g_string_append_printf (out, "%s: ", name);
                    }
                  g_free (current_voice);
                  current_voice = g_steal_pointer (&name);
                }
            }
          p += tag_len;
          continue;
        }
      else if (*p == '{' && p[1] == '\\')
        {
          const char *close = strchr (p, '}');

          if (close != NULL)
            {
              p = close + 1;
              continue;
            }
        }
      else if (*p == '&')
        {
          gunichar c;

          if (decode_entity (&p, &c))
            {
              char buf[6];

              g_string_append_len (out, buf, g_unichar_to_utf8 (c, buf));
              continue;
            }
        }

      if (*p == ' ' || *p == '\t')
        append_space (out);
      else
        g_string_append_c (out, *p);
      p++;
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
flush_cue (SubtitleParser *self)
{
  g_autofree char *speaker = NULL;
  g_autofree char *text = NULL;
  CwParagraph *paragraph;

  if (!self->have_cue)
    return;
  self->have_cue = FALSE;

  text = clean_cue_text (self->cue_text->str, &speaker);
  g_string_truncate (self->cue_text, 0);
  /* A cue with nothing to read (only markup, or a voice saying nothing)
   * would be an empty turn: leave it out. */
  if (is_blank (text))
    return;

  if (speaker != NULL)
    {
      g_autofree char *labelled = g_strdup_printf ("%s: %s", speaker, text);

      paragraph = cw_paragraph_new (labelled, -1);
      paragraph->label_bytes = strlen (speaker) + 1;
      paragraph->speaker = g_steal_pointer (&speaker);
    }
  else
    paragraph = cw_paragraph_new (text, -1);

  paragraph->time = self->cue_time;
  paragraph->cue = TRUE;
  g_ptr_array_add (self->paragraphs, paragraph);
}

static void
append_cue_line (SubtitleParser *self,
                 const char     *line)
{
  if (self->cue_text->len > 0)
    g_string_append_c (self->cue_text, ' ');
  g_string_append (self->cue_text, line);
}

static gboolean
start_cue (SubtitleParser  *self,
           const char      *line,
           guint            line_number,
           GError         **error)
{
  double start, end;

  if (!parse_timing_line (line, &start, &end))
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, self->filename, line_number,
                           self->vtt ? _("malformed cue timing line (expected 00:00:01.000 --> 00:00:04.000)")
                                     : _("malformed timing line (expected 00:00:01,000 --> 00:00:04,000)"));
      return FALSE;
    }
  /* A cue that ends before it starts is a broken file, not a turn. */
  if (end < start)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, self->filename, line_number,
                           _("the cue ends before it starts"));
      return FALSE;
    }
  flush_cue (self);
  self->have_cue = TRUE;
  self->cue_time = start;
  return TRUE;
}

static GPtrArray *
parse_subtitles (GBytes      *bytes,
                 const char  *filename,
                 gboolean     vtt,
                 GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GString) cue_text = NULL;
  g_autoptr(GPtrArray) paragraphs = NULL;
  SubtitleParser self = { 0 };
  ParseState state = STATE_OUTSIDE;
  guint first = 0;
  char *p;

  text = cw_import_decode_text (bytes, filename, error);
  if (text == NULL)
    return NULL;

  /* Split in place: the lines point into text. */
  lines = g_ptr_array_new ();
  p = text;
  for (;;)
    {
      char *nl = strchr (p, '\n');

      g_ptr_array_add (lines, p);
      if (nl == NULL)
        break;
      *nl = '\0';
      p = nl + 1;
    }

  paragraphs = cw_paragraph_array_new ();
  cue_text = g_string_new (NULL);
  self.filename = filename;
  self.vtt = vtt;
  self.paragraphs = paragraphs;
  self.cue_text = cue_text;

  if (vtt)
    {
      const char *header = lines->pdata[0];

      if (!starts_with_keyword (header, "WEBVTT"))
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, filename, 0,
                               _("not a WebVTT file (the first line must be WEBVTT)"));
          return NULL;
        }
      /* The header block runs to the first blank line. */
      for (first = 1; first < lines->len && !is_blank (lines->pdata[first]); first++)
        ;
    }

  for (guint i = first; i < lines->len; i++)
    {
      const char *line = lines->pdata[i];
      const char *next = i + 1 < lines->len ? lines->pdata[i + 1] : NULL;
      guint line_number = i + 1;

      if (is_blank (line))
        {
          if (state != STATE_EXPECT_TIMING)
            state = STATE_OUTSIDE;
          continue;
        }

      switch (state)
        {
        case STATE_SKIP_BLOCK:
          break;

        case STATE_EXPECT_TIMING:
          if (!start_cue (&self, line, line_number, error))
            return NULL;
          state = STATE_IN_CUE;
          break;

        case STATE_IN_CUE:
          if (strstr (line, "-->") != NULL)
            {
              /* A new cue without the blank line before it. */
              if (!start_cue (&self, line, line_number, error))
                return NULL;
            }
          else if (!vtt && is_all_digits (line) && next != NULL && strstr (next, "-->") != NULL)
            state = STATE_EXPECT_TIMING;
          else
            append_cue_line (&self, line);
          break;

        case STATE_OUTSIDE:
          if (vtt && (starts_with_keyword (line, "NOTE") || starts_with_keyword (line, "STYLE") ||
                      starts_with_keyword (line, "REGION")))
            state = STATE_SKIP_BLOCK;
          else if (looks_like_timing (line))
            {
              if (!start_cue (&self, line, line_number, error))
                return NULL;
              state = STATE_IN_CUE;
            }
          else if (!vtt && is_all_digits (line))
            state = STATE_EXPECT_TIMING; /* the cue number */
          else if (vtt && next != NULL && !is_blank (next) && looks_like_timing (next))
            state = STATE_EXPECT_TIMING; /* a cue identifier */
          else if (self.have_cue)
            {
              /* Text after a blank line inside a cue: keep it with the cue
               * rather than lose it. */
              append_cue_line (&self, line);
              state = STATE_IN_CUE;
            }
          else
            {
              cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, line_number,
                                   vtt ? _("expected a cue timing line (00:00:01.000 --> 00:00:04.000)")
                                       : _("expected a subtitle number or timing line (00:00:01,000 --> 00:00:04,000)"));
              return NULL;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (state == STATE_EXPECT_TIMING)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, lines->len,
                           _("the file ends before the cue's timing line"));
      return NULL;
    }
  flush_cue (&self);

  if (paragraphs->len == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, filename, 0, _("the file has no subtitles"));
      return NULL;
    }

  return g_steal_pointer (&paragraphs);
}

GPtrArray *
cw_import_parse_srt (GBytes      *bytes,
                     const char  *filename,
                     GError     **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  return parse_subtitles (bytes, filename, FALSE, error);
}

GPtrArray *
cw_import_parse_vtt (GBytes      *bytes,
                     const char  *filename,
                     GError     **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (filename != NULL, NULL);

  return parse_subtitles (bytes, filename, TRUE, error);
}
