/* cw-document-builder.c: what every transcript format shares once its
 * parser has produced paragraphs: timestamps, speaker labels, NFC and the
 * code-point offsets of the turns.
 *
 * The builder works line by line in one pass and appends straight into the
 * final text, so a 7-million-character transcript costs a few linear scans
 * and one small allocation per turn.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-import.h"
#include "cw-import-private.h"

/* ------------------------------------------------------------------------ */
/* Speaker labels                                                            */

/* Lowercase words allowed inside a name ("Jan van der Berg", "Mw. de Vries"),
 * never as its first or last word. */
static const char *const name_particles[] = {
  "van", "de", "der", "den", "het", "ten", "ter", "te", "'t", "\xe2\x80\x99t",
  "op", "in", "von", "le", "la", "du", "d'", "da", "di", "del", "dos", "el", "al", "bin",
};

/* Abbreviations that may end with a full stop in a name ("Dhr. Jansen"). */
static const char *const name_abbreviations[] = {
  "Dhr", "Mw", "Mevr", "Mvr", "Mr", "Mrs", "Ms", "Dr", "Drs", "Ir", "Ing", "Prof", "St", "Jr", "Sr",
  "Resp", "Int", "Interv", "Part", "Deeln", "Begel", "Doc",
};

/* Capitalised words that start a line with a colon without naming anyone:
 * transcript headers ("Datum: 12 maart") and discourse words ("Kortom: ..."). */
static const char *const not_speakers[] = {
  "datum", "date", "tijd", "time", "tijdstip", "duur", "duration", "lengte", "length",
  "locatie", "location", "plaats", "place", "onderwerp", "subject", "titel", "title",
  "thema", "theme", "transcript", "transcriptie", "transcribent", "opmerking", "opmerkingen",
  "noot", "note", "notitie", "nb", "n.b.", "ps", "p.s.", "bron", "source", "project",
  "bestand", "file", "audio", "opname", "recording", "deelnemers", "aanwezig", "aanwezigen",
  "participants", "interview", "code", "codes", "link", "url", "e-mail", "email", "tel",
  "telefoon", "adres", "leeftijd", "age", "geslacht", "opleiding", "niveau", "klas",
  "samenvatting", "summary", "inleiding", "introductie", "conclusie", "toelichting",
  "achtergrond", "context", "kortom", "dus", "maar", "en", "ook", "nou", "ja", "nee",
  "oftewel", "eerst", "daarna", "toen", "voorbeeld", "bijvoorbeeld", "samengevat", "tip",
  "stelling", "opdracht", "resultaat", "resultaten", "doel", "vervolg", "actiepunten",
  "actie", "afspraken", "agenda", "let op", "let wel", "update", "edit", "https", "http",
};

#define MAX_NAME_CHARS 40
#define MAX_NAME_WORDS 5

/* Case-sensitive: list entries are compared byte for byte. */
static gboolean
in_list (const char        *word,
         gsize              len,
         const char *const *list,
         gsize              n)
{
  for (gsize i = 0; i < n; i++)
    {
      /* The first byte filters out almost every entry before strlen(). */
      if (list[i][0] == word[0] && strlen (list[i]) == len && memcmp (list[i], word, len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether the name is one of not_speakers, ignoring ASCII case. */
static gboolean
is_not_speaker (const char *name,
                gsize       len)
{
  char lower[16];

  if (len >= sizeof lower)
    return FALSE; /* longer than any entry */
  for (gsize i = 0; i < len; i++)
    lower[i] = name[i] >= 'A' && name[i] <= 'Z' ? name[i] + ('a' - 'A') : name[i];
  return in_list (lower, len, not_speakers, G_N_ELEMENTS (not_speakers));
}

typedef enum
{
  WORD_INVALID,
  WORD_NAME,     /* "Jan", "NAAM", "Anne-Marie", "R1", "Dhr.", "J." */
  WORD_NUMBER,   /* "2" */
  WORD_PARTICLE, /* "van", "de" */
} WordClass;

static gboolean
is_initials (const char *word,
             const char *end)
{
  /* "J." or "J.P." */
  const char *p = word;

  if (p == end)
    return FALSE;
  while (p < end)
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isupper (c))
        return FALSE;
      p = g_utf8_next_char (p);
      if (p >= end || *p != '.')
        return FALSE;
      p++;
    }
  return TRUE;
}

static WordClass
classify_word (const char *word,
               const char *end)
{
  const char *stop = end;
  gunichar first;

  if (in_list (word, end - word, name_particles, G_N_ELEMENTS (name_particles)))
    return WORD_PARTICLE;

  /* d'Hondt, l'Amour: an elided particle glued to a capitalised name. */
  if ((word[0] == 'd' || word[0] == 'l') && end - word > 2 && word[1] == '\'')
    word += 2;
  first = g_utf8_get_char (word);

  if (g_unichar_isdigit (first))
    {
      for (const char *p = word; p < end; p = g_utf8_next_char (p))
        if (!g_unichar_isalnum (g_utf8_get_char (p)))
          return WORD_INVALID;
      return WORD_NUMBER;
    }

  if (!g_unichar_isupper (first) && !g_unichar_istitle (first))
    return WORD_INVALID;

  /* A full stop only in initials or after a known abbreviation: "Ja. Dus:"
   * is a sentence, "Dhr. Jansen:" and "J. de Vries:" are names. */
  if (is_initials (word, end))
    return WORD_NAME;
  if (end[-1] == '.')
    {
      if (!in_list (word, end - word - 1, name_abbreviations, G_N_ELEMENTS (name_abbreviations)))
        return WORD_INVALID;
      stop = end - 1;
    }

  for (const char *p = word; p < stop; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && !g_unichar_ismark (c) && c != '-' && c != '\'' && c != 0x2019)
        return WORD_INVALID;
    }
  return WORD_NAME;
}

/* "(gemeente)", "(moeder van Jan)": a role after the name; letters, digits
 * and a few joiners, no sentence punctuation. */
static gboolean
is_role (const char *start,
         const char *end)
{
  if (end - start < 3 || *start != '(' || end[-1] != ')')
    return FALSE;
  for (const char *p = start + 1; p < end - 1; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalnum (c) && !g_unichar_ismark (c) && c != ' ' && c != '-' &&
          c != '\'' && c != 0x2019 && c != '/' && c != '&' && c != '.')
        return FALSE;
    }
  return TRUE;
}

/* Rules: at most MAX_NAME_WORDS words and MAX_NAME_CHARS characters before
 * the colon (an optional space before it is allowed); the first word is
 * capitalised (a letter, not a number); other words are capitalised, a
 * number ("Leerling 2"), a name particle ("Jan van Dijk") or one role in
 * parentheses ("Jobcoach (gemeente)"); the last word is not a particle;
 * no sentence punctuation; the colon is followed by a space, a tab or the
 * end of the line (so "10:30" and "http://" never fire). A lowercase word
 * ends it: "Het punt is:", also "Docent mentor:" (write "Docent-mentor:").
 * The line may be a pointer into a longer text: it ends at '\n' or '\0'. */
gboolean
cw_detect_speaker_label (const char  *line,
                         char       **speaker,
                         gsize       *utterance_offset)
{
  const char *p = line, *name_start, *name_end, *colon = NULL;
  g_autoptr(GString) name = NULL;
  guint words = 0, chars = 0;
  gboolean had_role = FALSE;
  WordClass last = WORD_INVALID;

  g_return_val_if_fail (line != NULL, FALSE);

  while (*p == ' ' || *p == '\t')
    p++;
  name_start = p;

  /* The first colon decides: "Om 10:30 begon het: ja" does not fire. */
  for (; *p != '\0' && *p != '\n'; p = g_utf8_next_char (p))
    {
      if (*p == ':')
        {
          colon = p;
          break;
        }
      if (++chars > MAX_NAME_CHARS + 1)
        return FALSE;
    }
  if (colon == NULL || colon == name_start)
    return FALSE;

  p = colon + 1;
  if (!(*p == '\0' || *p == '\n' || *p == ' ' || *p == '\t' || *p == '\r' ||
        ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0)))
    return FALSE;

  name_end = colon;
  if (name_end[-1] == ' ' || name_end[-1] == '\t') /* "Jan :" */
    name_end--;
  if (name_end == name_start || name_end[-1] == ' ' || name_end[-1] == '\t')
    return FALSE;

  if (is_not_speaker (name_start, name_end - name_start))
    return FALSE;

  name = g_string_sized_new (name_end - name_start);
  for (p = name_start; p < name_end;)
    {
      const char *word = p, *word_end;
      WordClass class;

      if (*p == '(')
        {
          /* A role: up to the closing parenthesis, spaces allowed. */
          const char *close = memchr (p, ')', name_end - p);

          if (words == 0 || had_role || close == NULL)
            return FALSE;
          word_end = close + 1;
          if (!is_role (word, word_end))
            return FALSE;
          had_role = TRUE;
          class = WORD_NAME;
        }
      else
        {
          word_end = p;
          while (word_end < name_end && *word_end != ' ' && *word_end != '\t')
            word_end++;
          class = classify_word (word, word_end);
          if (class == WORD_INVALID || (words == 0 && class != WORD_NAME))
            return FALSE;
          if (++words > MAX_NAME_WORDS)
            return FALSE;
        }
      last = class;

      if (name->len > 0)
        g_string_append_c (name, ' ');
      g_string_append_len (name, word, word_end - word);

      p = word_end;
      if (p < name_end && *p != ' ' && *p != '\t')
        return FALSE; /* "Jan(x)" */
      while (p < name_end && (*p == ' ' || *p == '\t'))
        p++;
    }

  if (last == WORD_PARTICLE)
    return FALSE;

  p = colon + 1;
  for (;;)
    {
      if (*p == ' ' || *p == '\t')
        p++;
      else if ((guchar) p[0] == 0xC2 && (guchar) p[1] == 0xA0)
        p += 2;
      else
        break;
    }

  if (speaker != NULL)
    *speaker = g_string_free (g_steal_pointer (&name), FALSE);
  if (utterance_offset != NULL)
    *utterance_offset = p - line;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Timestamps                                                                */

static gboolean
read_digits (const char **p,
             const char  *end,
             guint        min,
             guint        max,
             guint       *value)
{
  const char *s = *p;
  guint n = 0;

  *value = 0;
  while (s < end && g_ascii_isdigit (*s) && n < max)
    {
      *value = *value * 10 + (guint) (*s - '0');
      s++;
      n++;
    }
  if (n < min || (s < end && g_ascii_isdigit (*s)))
    return FALSE;
  *p = s;
  return TRUE;
}

/* The stamp at p, if any: #hh:mm:ss-d#, #hh:mm:ss# (f4/f5), [hh:mm:ss],
 * [hh:mm:ss.d], [mm:ss] (MAXQDA and others), (hh:mm:ss). Returns its length
 * in bytes, 0 if p does not start a stamp. */
static gsize
parse_stamp (const char *p,
             const char *end,
             double     *seconds)
{
  const char *s = p + 1;
  char open = *p, close;
  guint a, b, c = 0, fraction = 0, fraction_digits = 0;
  gboolean three;

  switch (open)
    {
    case '#': close = '#'; break;
    case '[': close = ']'; break;
    case '(': close = ')'; break;
    default: return 0;
    }

  if (!read_digits (&s, end, 1, 2, &a) || s >= end || *s++ != ':' ||
      !read_digits (&s, end, 2, 2, &b))
    return 0;

  three = s < end && *s == ':';
  if (three)
    {
      s++;
      if (!read_digits (&s, end, 2, 2, &c))
        return 0;
    }
  else if (open != '[')
    return 0; /* only [mm:ss] has two fields */

  if (s < end && open == '#' && *s == '-')
    {
      s++;
      if (!read_digits (&s, end, 1, 2, &fraction))
        return 0;
      fraction_digits = s[-2] == '-' ? 1 : 2;
    }
  else if (s < end && open != '#' && (*s == '.' || *s == ','))
    {
      const char *f = ++s;

      if (!read_digits (&s, end, 1, 3, &fraction))
        return 0;
      fraction_digits = s - f;
    }

  if (s >= end || *s != close)
    return 0;

  if (three)
    {
      if (b >= 60 || c >= 60)
        return 0;
      *seconds = a * 3600.0 + b * 60.0 + c;
    }
  else
    {
      if (b >= 60)
        return 0;
      *seconds = a * 60.0 + b;
    }
  if (fraction_digits > 0)
    {
      static const double scale[] = { 0.1, 0.01, 0.001 };

      *seconds += fraction * scale[fraction_digits - 1];
    }

  return s + 1 - p;
}

/* ------------------------------------------------------------------------ */
/* The builder                                                               */

typedef struct
{
  GString    *text;
  gint64      characters;     /* code points in text */
  guint       pending_empty;  /* empty lines not yet written (maybe trailing) */
  GPtrArray  *turns;
  CwTurn     *turn;           /* the open turn (owned by turns), or NULL */
  gboolean    turn_has_content;
  double      pending_time;   /* from a line holding only a stamp */
  GString    *line;           /* scratch: the line being built */
} Builder;

/* Code points that NFC leaves alone whatever surrounds them: no canonical
 * decomposition, combining class 0, never the second half of a composition.
 * Below U+0300 (that covers every Dutch letter) plus the quotes, dashes,
 * currency signs and emoji that transcripts are full of; anything else
 * sends the line through g_utf8_normalize(). test-builder checks the list. */
static inline gboolean
nfc_inert (gunichar c)
{
  return c < 0x300 ||
         (c >= 0x2010 && c <= 0x205E) ||
         (c >= 0x20A0 && c <= 0x20C0) ||
         c == 0xFEFF || c == 0xFFFD ||
         (c >= 0x1F000 && c <= 0x1FAFF);
}

/* The starters (combining class 0) that can still be the second half of a
 * composition: those of Unicode's NFC_Quick_Check=Maybe. */
static gboolean
nfc_second_half (gunichar c)
{
  switch (c)
    {
    case 0x09BE: case 0x09D7: case 0x0B3E: case 0x0B56: case 0x0B57: case 0x0BBE: case 0x0BD7:
    case 0x0CC2: case 0x0CD5: case 0x0CD6: case 0x0D3E: case 0x0D57: case 0x0DCF: case 0x0DDF:
    case 0x102E: case 0x1B35: case 0x11127: case 0x1133E: case 0x11357: case 0x114B0: case 0x114BA:
    case 0x114BD: case 0x115AF: case 0x11930:
      return TRUE;
    default:
      return (c >= 0x1161 && c <= 0x1175) || (c >= 0x11A8 && c <= 0x11C2); /* Hangul V and T jamo */
    }
}

/* Whether NFC of a text is NFC of its part before c followed by NFC of
 * the rest: c and the first character of its decomposition are starters
 * that nothing before them can combine with. */
static gboolean
nfc_boundary (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (c < 0x300)
    return TRUE;
  if (g_unichar_combining_class (c) != 0 || nfc_second_half (c))
    return FALSE;
  return g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed)) == 0 ||
         (g_unichar_combining_class (decomposed[0]) == 0 && !nfc_second_half (decomposed[0]));
}

#define NFC_PIECE_BYTES 256
#define NFC_MAX_MARKS   30

static void
nfc_flush (GString *out,
           GString *piece)
{
  g_autofree char *normal = NULL;

  if (piece->len == 0)
    return;
  normal = g_utf8_normalize (piece->str, piece->len, G_NORMALIZE_NFC);
  g_string_append (out, normal);
  g_string_truncate (piece, 0);
}

char *
_cw_utf8_normalize_nfc (const char *str,
                        gssize      len)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) piece = NULL;
  const char *end;
  guint marks = 0;

  if (len < 0)
    len = strlen (str);
  if (!g_utf8_validate_len (str, len, NULL))
    return NULL;
  if ((gsize) len <= NFC_PIECE_BYTES)
    return g_utf8_normalize (str, len, G_NORMALIZE_NFC);

  out = g_string_sized_new (len + 1);
  piece = g_string_sized_new (2 * NFC_PIECE_BYTES);
  end = str + len;
  for (const char *p = str; p < end;)
    {
      const char *next = g_utf8_next_char (p);
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_combining_class (c) == 0)
        marks = 0;
      else if (++marks > NFC_MAX_MARKS)
        {
          /* U+034F COMBINING GRAPHEME JOINER: a starter that never
           * combines, so a place to cut as well. */
          if (piece->len >= NFC_PIECE_BYTES)
            nfc_flush (out, piece);
          g_string_append (piece, "\xcd\x8f");
          marks = 1;
        }
      if (piece->len >= NFC_PIECE_BYTES && nfc_boundary (c))
        nfc_flush (out, piece);
      g_string_append_len (piece, p, next - p);
      p = next;
    }
  nfc_flush (out, piece);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Copies [text, text + len) into the scratch line without its stamps.
 * Returns whether a stamp was removed; *time gets the first one. */
static gboolean
strip_stamps (Builder    *self,
              const char *text,
              gsize       len,
              double     *time)
{
  const char *p = text, *end = text + len, *run = text;
  GString *out = self->line;
  gsize prefix = out->len; /* a format-given label already in the line */
  gsize after_last_stamp = 0;
  gboolean removed = FALSE;

  *time = -1;
  while (p < end)
    {
      double seconds;
      gsize n;

      if (*p != '#' && *p != '[' && *p != '(')
        {
          p++;
          continue;
        }
      n = parse_stamp (p, end, &seconds);
      if (n == 0)
        {
          p++;
          continue;
        }

      g_string_append_len (out, run, p - run);
      p += n;
      if (!removed)
        *time = seconds;
      removed = TRUE;

      /* "woord #00:01:02-3# woord" keeps one space; a stamp at the start
       * of the line takes the spaces after it along. */
      if (out->len == prefix || out->str[out->len - 1] == ' ' || out->str[out->len - 1] == '\t')
        while (p < end && (*p == ' ' || *p == '\t'))
          p++;
      run = p;
      after_last_stamp = out->len;
    }
  g_string_append_len (out, run, end - run);

  if (removed)
    {
      /* A stamp at the end of the line ("Hoe gaat het? #00:00:12-3#")
       * takes the spaces before it along. */
      gboolean only_space_after = TRUE;

      for (gsize i = after_last_stamp; i < out->len; i++)
        if (out->str[i] != ' ' && out->str[i] != '\t')
          only_space_after = FALSE;
      if (only_space_after)
        {
          gsize keep = after_last_stamp;

          while (keep > prefix && (out->str[keep - 1] == ' ' || out->str[keep - 1] == '\t'))
            keep--;
          g_string_truncate (out, keep);
        }
    }
  return removed;
}

static void
normalize_scratch (Builder *self,
                   gsize   *label_len)
{
  GString *line = self->line;
  g_autofree char *label = NULL;
  g_autofree char *rest = NULL;

  /* The label and the rest separately, so label_len stays exact; the label
   * ends in ':', which composes with nothing. */
  if (*label_len > 0)
    label = _cw_utf8_normalize_nfc (line->str, *label_len);
  rest = _cw_utf8_normalize_nfc (line->str + *label_len, line->len - *label_len);
  g_assert (rest != NULL);

  g_string_truncate (line, 0);
  if (label != NULL)
    {
      g_string_append (line, label);
      *label_len = line->len;
    }
  g_string_append (line, rest);
}

typedef struct
{
  gint64   length;      /* code points in the line */
  gint64   content_end; /* after the last non-space, or -1 for a blank line */
  gboolean needs_nfc;
} LineScan;

static inline gboolean
is_space_byte (guchar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline gboolean
is_space_char (gunichar c)
{
  return g_unichar_isspace (c) || c == 0xFEFF || c == 0x200B;
}

/* One pass over the line: its length in code points, where its text ends,
 * and whether NFC could change it. */
static void
scan_line (const char *line,
           gsize       len,
           LineScan   *scan)
{
  gint64 cp = 0;

  scan->content_end = -1;
  scan->needs_nfc = FALSE;

  for (gsize i = 0; i < len;)
    {
      guchar c = (guchar) line[i];

      if (c < 0x80)
        {
          if (!is_space_byte (c))
            scan->content_end = cp + 1;
          i++;
        }
      else
        {
          gunichar u = g_utf8_get_char (line + i);

          if (!is_space_char (u))
            scan->content_end = cp + 1;
          if (!nfc_inert (u))
            scan->needs_nfc = TRUE;
          i += g_utf8_skip[c];
        }
      cp++;
    }
  scan->length = cp;
}

/* From byte offset utterance: its code point offset, and the code point of
 * the first non-space after it (-1 if none). Labels are short, so this is. */
static void
scan_utterance (const char *line,
                gsize       len,
                gsize       utterance,
                gint64     *offset,
                gint64     *content_start)
{
  gint64 cp = 0;
  gsize i = 0;

  for (; i < utterance; i = g_utf8_next_char (line + i) - line)
    cp++;
  *offset = cp;

  for (; i < len; i = g_utf8_next_char (line + i) - line, cp++)
    {
      guchar c = (guchar) line[i];

      if (c < 0x80 ? !is_space_byte (c) : !is_space_char (g_utf8_get_char (line + i)))
        {
          *content_start = cp;
          return;
        }
    }
  *content_start = -1;
}

static void
start_turn (Builder    *self,
            const char *speaker,
            double      time)
{
  self->turn = cw_turn_new (speaker, 0, 0, time);
  self->turn_has_content = FALSE;
  g_ptr_array_add (self->turns, self->turn);
}

static char *
label_name (const char *label,
            gsize       len)
{
  g_autofree char *name = g_strndup (label, len);

  g_strstrip (name);
  if (*name != '\0' && name[strlen (name) - 1] == ':')
    name[strlen (name) - 1] = '\0';
  g_strstrip (name);
  return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

/* Handles one line of a paragraph, [text, text + len) of its original text.
 * first: the paragraph's first line, which may carry a format label
 * (label_bytes), voice or cue. */
static void
add_line (Builder           *self,
          const CwParagraph *paragraph,
          const char        *text,
          gsize              len,
          gboolean           first,
          gsize              label_bytes)
{
  GString *line = self->line;
  gsize label_len = 0, utterance = 0;
  g_autofree char *speaker = NULL;
  gboolean starts_turn = FALSE, had_stamp;
  double stamp_time, line_time;
  LineScan scan;
  gint64 line_start, offset, content_start;

  if (!(first && label_bytes > 0))
    label_bytes = 0;
  if (len > label_bytes && text[len - 1] == '\r')
    len--;

  g_string_truncate (line, 0);
  if (label_bytes > 0)
    {
      label_len = label_bytes;
      g_string_append_len (line, text, label_len);
    }
  had_stamp = strip_stamps (self, text + label_len, len - label_len, &stamp_time);
  /* A control character inside a line (a CR from "&#13;" in Word's XML)
   * becomes a space: the stored text holds only LF and tabs (found by
   * fuzzing). One byte for one, so label_len stays right. */
  for (gsize i = 0; i < line->len; i++)
    if (((guchar) line->str[i] < 0x20 && line->str[i] != '\t') || line->str[i] == 0x7F)
      line->str[i] = ' ';
  scan_line (line->str, line->len, &scan);
  if (scan.needs_nfc)
    {
      normalize_scratch (self, &label_len);
      scan_line (line->str, line->len, &scan);
    }

  /* Which turn the line belongs to. */
  if (first && label_len > 0)
    speaker = paragraph->speaker != NULL ? g_strdup (paragraph->speaker)
                                         : label_name (line->str, label_len);
  if (speaker != NULL)
    {
      utterance = label_len;
      while (utterance < line->len && (line->str[utterance] == ' ' || line->str[utterance] == '\t'))
        utterance++;
      starts_turn = TRUE;
    }
  else if (first && paragraph->speaker != NULL)
    {
      speaker = g_strdup (paragraph->speaker);
      starts_turn = TRUE;
    }
  else if (paragraph->cue && !first)
    starts_turn = FALSE; /* a cue's further lines stay in the cue's turn */
  else if (cw_detect_speaker_label (line->str, &speaker, &utterance))
    starts_turn = TRUE;
  if (first && paragraph->cue)
    starts_turn = TRUE;

  if (scan.content_end < 0)
    {
      /* A line that held only stamps goes, its time kept for the next
       * turn; an empty or whitespace-only line stays as an empty line
       * (layout) but does not end a turn. */
      if (had_stamp)
        self->pending_time = stamp_time;
      else if (self->text->len > 0)
        self->pending_empty++;
      return;
    }

  /* A stamp times the turn its own line belongs to: in f4 it ends the
   * paragraph it stamps, elsewhere it starts it; either way it sits in
   * that turn's text. The first stamp in a turn wins; a cue's own time
   * wins over stamps. */
  line_time = had_stamp ? stamp_time : self->pending_time;
  if (first && paragraph->time >= 0)
    line_time = paragraph->time;
  self->pending_time = -1;

  if (starts_turn)
    start_turn (self, speaker, line_time);
  else if (self->turn != NULL && self->turn->time < 0)
    self->turn->time = line_time;

  /* Write the line. */
  if (self->text->len > 0)
    {
      for (guint i = 0; i <= self->pending_empty; i++)
        g_string_append_c (self->text, '\n');
      self->characters += self->pending_empty + 1;
    }
  self->pending_empty = 0;
  line_start = self->characters;
  g_string_append_len (self->text, line->str, line->len);
  self->characters += scan.length;

  if (self->turn == NULL)
    return;
  scan_utterance (line->str, line->len, utterance, &offset, &content_start);
  if (starts_turn)
    self->turn->start = self->turn->end = line_start + offset;
  if (content_start >= 0)
    {
      if (!self->turn_has_content)
        self->turn->start = line_start + content_start;
      self->turn_has_content = TRUE;
      self->turn->end = line_start + scan.content_end;
    }
}

/* A transcript's header often has lines like "Binnenkring: vijf leerlingen"
 * or "Locatie: Almere": shaped like a label, but nobody speaks. They are
 * labels used once that come before anyone has spoken twice; real speakers
 * recur, or appear later in the conversation. Their text stays, outside any
 * turn. */
static void
drop_header_labels (GPtrArray *turns)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  guint first_recurring = turns->len, drop = 0;

  for (guint i = 0; i < turns->len; i++)
    {
      const CwTurn *turn = turns->pdata[i];

      if (turn->speaker != NULL)
        g_hash_table_insert (counts, turn->speaker,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, turn->speaker)) + 1));
    }
  for (guint i = 0; i < turns->len && first_recurring == turns->len; i++)
    {
      const CwTurn *turn = turns->pdata[i];

      if (turn->speaker != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (counts, turn->speaker)) > 1)
        first_recurring = i;
    }
  if (first_recurring == turns->len)
    return; /* nobody speaks twice: too little to tell a header from a talk */

  for (guint i = 0; i < first_recurring; i++)
    {
      const CwTurn *turn = turns->pdata[i];

      if (turn->speaker == NULL || GPOINTER_TO_UINT (g_hash_table_lookup (counts, turn->speaker)) != 1)
        break;
      drop = i + 1;
    }
  if (drop > 0)
    g_ptr_array_remove_range (turns, 0, drop);
}

CwParsedDocument *
cw_parsed_document_build (GPtrArray   *paragraphs,
                          const char  *filename,
                          GError     **error)
{
  g_autoptr(GString) text = NULL;
  g_autoptr(GString) line = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  CwParsedDocument *document;
  Builder self = { 0 };
  gsize total = 0;

  g_return_val_if_fail (paragraphs != NULL, NULL);
  if (filename == NULL)
    filename = "document";

  for (guint i = 0; i < paragraphs->len; i++)
    {
      const CwParagraph *paragraph = paragraphs->pdata[i];

      if (paragraph->text != NULL)
        total += strlen (paragraph->text) + 1;
    }

  text = g_string_sized_new (total + 1);
  line = g_string_sized_new (256);
  turns = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_turn_free);
  self.text = text;
  self.turns = turns;
  self.line = line;
  self.pending_time = -1;

  for (guint i = 0; i < paragraphs->len; i++)
    {
      const CwParagraph *paragraph = paragraphs->pdata[i];
      const char *p = paragraph->text != NULL ? paragraph->text : "";
      gsize len = strlen (p), label_bytes;
      const char *end = p + len;
      gboolean first = TRUE;

      if (!g_utf8_validate_len (p, len, NULL))
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_ENCODING, filename, 0,
                               _("paragraph %u is not valid UTF-8 text"), i + 1);
          return NULL;
        }

      /* A label must end inside the first line, on a character boundary;
       * if a parser got that wrong, fall back to finding the label. */
      label_bytes = paragraph->label_bytes;
      if (label_bytes > 0)
        {
          const char *nl = memchr (p, '\n', len);
          gsize first_len = nl != NULL ? (gsize) (nl - p) : len;

          if (label_bytes > first_len || (label_bytes < len && ((guchar) p[label_bytes] & 0xC0) == 0x80))
            label_bytes = 0;
        }

      for (const char *nl; (nl = memchr (p, '\n', end - p)) != NULL; p = nl + 1)
        {
          add_line (&self, paragraph, p, nl - p, first, label_bytes);
          first = FALSE;
        }
      add_line (&self, paragraph, p, end - p, first, label_bytes);

      /* A cue is a turn of its own: what follows does not continue it. */
      if (paragraph->cue)
        self.turn = NULL;
    }

  if (text->len == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, filename, 0, _("the document contains no text"));
      return NULL;
    }

  drop_header_labels (turns);

  document = g_new0 (CwParsedDocument, 1);
  document->characters = self.characters;
  document->text = g_string_free (g_steal_pointer (&text), FALSE);
  document->turns = g_steal_pointer (&turns);
  return document;
}

/* ------------------------------------------------------------------------ */
/* Document kinds                                                            */

typedef struct
{
  const char     *needle;
  CwDocumentKind  kind;
} KindClue;

/* In order: "werkgeversinterview" is an employer interview, not just an
 * interview. */
static const KindClue name_clues[] = {
  { "arena", CW_DOCUMENT_KIND_ARENA },
  { "focusgroep", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focusgroup", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus-group", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus_group", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus group", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus-groep", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus_groep", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { NULL, CW_DOCUMENT_KIND_FOCUS_GROUP }, /* "fg" as a token */
  { "werkgever", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "employer", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "interview", CW_DOCUMENT_KIND_INTERVIEW },
};

/* The text is a young person's own words too ("mijn werkgever zei"), so
 * only phrases that name the kind of conversation count. */
static const KindClue text_clues[] = {
  { "arenagesprek", CW_DOCUMENT_KIND_ARENA },
  { "arena-gesprek", CW_DOCUMENT_KIND_ARENA },
  { "arena gesprek", CW_DOCUMENT_KIND_ARENA },
  { "arenabijeenkomst", CW_DOCUMENT_KIND_ARENA },
  { "focusgroep", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus group", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus-group", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focusgroup", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "werkgeversinterview", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "werkgeversgesprek", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "interview werkgever", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "interview met werkgever", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "interview met de werkgever", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "employer interview", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "\nwerkgever:", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "interview", CW_DOCUMENT_KIND_INTERVIEW },
};

#define KIND_TEXT_PREFIX 2000

/* "fg", "FG2", "fg_3" as a token of its own, not inside "lifgang". */
static gboolean
has_fg_token (const char *name)
{
  for (const char *p = name; (p = strstr (p, "fg")) != NULL; p++)
    {
      gboolean before = p == name || !g_ascii_isalpha (p[-1]);
      gboolean after = !g_ascii_isalpha (p[2]);

      if (before && after)
        return TRUE;
    }
  return FALSE;
}

CwDocumentKind
cw_import_guess_kind (const char *filename,
                      const char *text)
{
  if (filename != NULL)
    {
      g_autofree char *base = g_path_get_basename (filename);
      g_autofree char *lower = g_ascii_strdown (base, -1);

      for (guint i = 0; i < G_N_ELEMENTS (name_clues); i++)
        {
          if (name_clues[i].needle == NULL ? has_fg_token (lower)
                                           : strstr (lower, name_clues[i].needle) != NULL)
            return name_clues[i].kind;
        }
    }

  if (text != NULL)
    {
      g_autofree char *lower = NULL;
      gsize len = strnlen (text, KIND_TEXT_PREFIX);

      /* A leading newline lets "\nwerkgever:" match the first line too. */
      lower = g_malloc (len + 2);
      lower[0] = '\n';
      for (gsize i = 0; i < len; i++)
        lower[i + 1] = g_ascii_tolower (text[i]);
      lower[len + 1] = '\0';

      for (guint i = 0; i < G_N_ELEMENTS (text_clues); i++)
        if (strstr (lower, text_clues[i].needle) != NULL)
          return text_clues[i].kind;
    }

  return CW_DOCUMENT_KIND_OTHER;
}
