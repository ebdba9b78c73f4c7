/* test-import-text.c: decoding of plain-text files, .txt paragraphs, and the
 * SubRip and WebVTT parsers. All input bytes are built here. */
#include "config.h"

#include <string.h>

#include "cw-import.h"
#include "cw-test-util.h"

#define NO_ERROR (-1)

/* ------------------------------------------------------------------------ */
/* cw_import_decode_text()                                                   */

typedef struct
{
  const char *name;
  const char *data;
  gssize      len;      /* -1: strlen */
  const char *expected; /* decoded text, or NULL on error */
  int         code;     /* CwImportError, or NO_ERROR */
  const char *message;  /* the whole error message, with the file name */
} DecodeCase;

static const DecodeCase decode_cases[] = {
  { "plain UTF-8", "Hallo w\xc3\xa9reld\n", -1, "Hallo w\xc3\xa9reld\n", NO_ERROR, NULL },
  { "UTF-8 with BOM", "\xef\xbb\xbfH\xc3\xa9 \xe2\x82\xac", -1, "H\xc3\xa9 \xe2\x82\xac", NO_ERROR, NULL },
  { "UTF-16LE with BOM, CRLF and an astral code point",
    "\xff\xfe" "H\0\xe9\0\r\0\n\0x\0=\xd8\0\xde", 16,
    "H\xc3\xa9\nx\xf0\x9f\x98\x80", NO_ERROR, NULL },
  { "UTF-16BE with BOM and lone CR",
    "\xfe\xff" "\0H\0\xeb\0\r\0x\x20\xac", 12,
    "H\xc3\xab\nx\xe2\x82\xac", NO_ERROR, NULL },
  { "Windows-1252 with e-acute, e-diaeresis, euro and right quote",
    "caf\xe9 \xebn \x80 5 \x92s avonds\r\n", -1,
    "caf\xc3\xa9 \xc3\xabn \xe2\x82\xac 5 \xe2\x80\x99s avonds\n", NO_ERROR, NULL },
  { "Windows-1252 undefined bytes do not fail",
    "a\x81 b\x8d c\x8f d\x90 e\x9d", -1,
    "a\xef\xbf\xbd b\xef\xbf\xbd c\xef\xbf\xbd d\xef\xbf\xbd e\xef\xbf\xbd", NO_ERROR, NULL },
  { "UTF-8 with a stray Windows-1252 byte keeps its UTF-8",
    "Caf\xc3\xa9 en \xe9\xe9n", -1, "Caf\xc3\xa9 en \xc3\xa9\xc3\xa9n", NO_ERROR, NULL },
  { "CRLF, CR and LF", "a\r\nb\rc\nd\r\r\ne", -1, "a\nb\nc\nd\n\ne", NO_ERROR, NULL },
  { "form feed and vertical tab become line breaks, a stray bell is dropped",
    "pagina 1\fpagina 2\vregel\x07 en nog veel meer tekst erachter", -1,
    "pagina 1\npagina 2\nregel en nog veel meer tekst erachter", NO_ERROR, NULL },

  { "empty", "", 0, NULL, CW_IMPORT_ERROR_EMPTY, "leeg.txt: the file is empty" },
  { "only whitespace", "  \r\n\t\n ", -1, NULL, CW_IMPORT_ERROR_EMPTY, "leeg.txt: the file is empty" },
  { "only a UTF-8 BOM", "\xef\xbb\xbf", -1, NULL, CW_IMPORT_ERROR_EMPTY, "leeg.txt: the file is empty" },
  { "only a UTF-16 BOM", "\xff\xfe", 2, NULL, CW_IMPORT_ERROR_EMPTY, "leeg.txt: the file is empty" },
  { "UTF-16 spaces only", "\xfe\xff\0 \0\n", 6, NULL, CW_IMPORT_ERROR_EMPTY, "leeg.txt: the file is empty" },
  { "NUL bytes", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL, CW_IMPORT_ERROR_BINARY,
    "leeg.txt: binary data, not text" },
  { "many control characters", "\x01\x02\x03\x04 abc \x05\x06", -1, NULL, CW_IMPORT_ERROR_BINARY,
    "leeg.txt: binary data, not text" },
  { "NUL inside UTF-16", "\xff\xfe" "a\0\0\0b\0", 8, NULL, CW_IMPORT_ERROR_BINARY,
    "leeg.txt: binary data, not text" },
  { "UTF-16 with an odd number of bytes", "\xff\xfe" "a\0b", 5, NULL, CW_IMPORT_ERROR_ENCODING,
    "leeg.txt: invalid UTF-16: the file has an odd number of bytes" },
  { "UTF-16 unpaired surrogate on line 3", "\xff\xfe" "a\0\r\0\n\0b\0\n\0\x00\xd8" "c\0", 16, NULL,
    CW_IMPORT_ERROR_ENCODING, "leeg.txt:3: invalid UTF-16: unpaired surrogate" },
  { "UTF-16BE lone low surrogate on line 1", "\xfe\xff\xdc\x00\0a", 6, NULL,
    CW_IMPORT_ERROR_ENCODING, "leeg.txt:1: invalid UTF-16: unpaired surrogate" },
};

static GBytes *
case_bytes (const char *data,
            gssize      len)
{
  return g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
}

static void
test_decode_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (decode_cases); i++)
    {
      const DecodeCase *c = &decode_cases[i];
      g_autoptr(GBytes) bytes = case_bytes (c->data, c->len);
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      g_test_message ("decode case: %s", c->name);
      text = cw_import_decode_text (bytes, "leeg.txt", &error);
      if (c->code == NO_ERROR)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (text, ==, c->expected);
          g_assert_true (g_utf8_validate (text, -1, NULL));
        }
      else
        {
          g_assert_null (text);
          g_assert_error (error, CW_IMPORT_ERROR, c->code);
          g_assert_cmpstr (error->message, ==, c->message);
        }
    }
}

static void
test_parse_txt (void)
{
  g_autoptr(GBytes) bytes = case_bytes ("\xef\xbb\xbfI: Hoe gaat het?\r\n\r\nR: Goed, dank je.\r\nEcht.\r\n", -1);
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = { "I: Hoe gaat het?", "", "R: Goed, dank je.", "Echt.", "" };

  paragraphs = cw_import_parse_txt (bytes, "interview.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paragraphs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < paragraphs->len; i++)
    {
      const CwParagraph *paragraph = paragraphs->pdata[i];

      g_assert_cmpstr (paragraph->text, ==, expected[i]);
      g_assert_cmpuint (paragraph->label_bytes, ==, 0);
      g_assert_null (paragraph->speaker);
      g_assert_false (paragraph->cue);
      g_assert_cmpfloat (paragraph->time, <, 0);
    }

  /* End to end, as the app imports it. */
  document = cw_import_bytes (bytes, "interview.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->text, ==, "I: Hoe gaat het?\n\nR: Goed, dank je.\nEcht.");
  g_assert_cmpuint (document->turns->len, ==, 2);
  cw_test_assert_substring (document->text, ((CwTurn *) document->turns->pdata[1])->start,
                            ((CwTurn *) document->turns->pdata[1])->end, "Goed, dank je.\nEcht.");
}

static void
test_parse_txt_cp1252 (void)
{
  /* An old Word export: Windows-1252, CRLF, f4 stamps. */
  g_autoptr(GBytes) bytes = case_bytes ("I: Wat vond je van de caf\xe9? #00:00:04-2#\r\n"
                                        "R: Ge\xefnteresseerd, \x93" "echt\x94 \x80 5. #00:00:09-0#\r\n", -1);
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  const CwTurn *turn;

  document = cw_import_bytes (bytes, "oud.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->text, ==,
                   "I: Wat vond je van de caf\xc3\xa9?\n"
                   "R: Ge\xc3\xafnteresseerd, \xe2\x80\x9c" "echt\xe2\x80\x9d \xe2\x82\xac 5.");
  g_assert_cmpuint (document->turns->len, ==, 2);
  turn = document->turns->pdata[1];
  g_assert_cmpstr (turn->speaker, ==, "R");
  g_assert_cmpfloat_with_epsilon (turn->time, 9.0, 1e-9);
  cw_test_assert_substring (document->text, turn->start, turn->end,
                            "Ge\xc3\xafnteresseerd, \xe2\x80\x9c" "echt\xe2\x80\x9d \xe2\x82\xac 5.");
}

static void
test_parse_txt_errors_name_file (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) binary = case_bytes ("PK\x01\x02\0\0garbage", 13);
  g_autoptr(GError) error = NULL;

  g_assert_null (cw_import_parse_txt (empty, "/tmp/x/leeg bestand.txt", &error));
  g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_EMPTY);
  g_assert_cmpstr (error->message, ==, "/tmp/x/leeg bestand.txt: the file is empty");
  g_clear_error (&error);

  g_assert_null (cw_import_parse_txt (binary, "foto.txt", &error));
  g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_BINARY);
  g_assert_cmpstr (error->message, ==, "foto.txt: binary data, not text");
}

/* ------------------------------------------------------------------------ */
/* SubRip and WebVTT                                                         */

typedef struct
{
  const char *text;
  const char *speaker; /* from a WebVTT voice */
  double      time;
} ExpectedCue;

typedef struct
{
  const char  *name;
  gboolean     vtt;
  const char  *data;
  ExpectedCue  cues[5];   /* up to the first with text NULL */
  int          code;      /* NO_ERROR or the CwImportError */
  const char  *message;   /* the whole error message (file "s.srt"/"s.vtt") */
} SubtitleCase;

static const SubtitleCase subtitle_cases[] = {
  { "srt basic, multi-line cue joined with a space", FALSE,
    "1\n00:00:01,000 --> 00:00:04,000\nHallo daar\nhoe gaat het?\n\n"
    "2\n00:01:02,500 --> 00:01:05,000\nGoed.\n",
    { { "Hallo daar hoe gaat het?", NULL, 1.0 }, { "Goed.", NULL, 62.5 } }, NO_ERROR, NULL },

  { "srt BOM, CRLF, missing numbers, extra blank lines, tags, coordinates", FALSE,
    "\xef\xbb\xbf\r\n\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Ja</i> &amp; <font color=\"red\">nee</font>\r\n\r\n\r\n\r\n"
    "3\r\n00:00:03,000 --> 00:00:04,000 X1:10 X2:20 Y1:5 Y2:6\r\n{\\an8}SPREKER 1: ok\r\n",
    { { "Ja & nee", NULL, 1.0 }, { "SPREKER 1: ok", NULL, 3.0 } }, NO_ERROR, NULL },

  { "srt without the blank line between cues", FALSE,
    "1\n00:00:01,000 --> 00:00:02,000\nEen\n2\n00:00:02,000 --> 00:00:03,000\nTwee\n",
    { { "Een", NULL, 1.0 }, { "Twee", NULL, 2.0 } }, NO_ERROR, NULL },

  { "srt blank line inside a cue", FALSE,
    "1\n00:00:01,000 --> 00:00:02,000\nEen\n\nnog wat\n\n2\n00:00:05,000 --> 00:00:06,000\nTwee",
    { { "Een nog wat", NULL, 1.0 }, { "Twee", NULL, 5.0 } }, NO_ERROR, NULL },

  { "srt entities, literal <, empty cue left out, long hours", FALSE,
    "1\n00:00:01,000 --> 00:00:02,000\n1 < 2 &lt;3 &gt; &#233;&#x20AC;\n\n"
    "2\n00:00:03,000 --> 00:00:04,000\n<i></i>\n\n"
    "3\n100:00:00.5 --> 100:00:01,000\nlaat\n",
    { { "1 < 2 <3 > \xc3\xa9\xe2\x82\xac", NULL, 1.0 }, { "laat", NULL, 360000.5 } }, NO_ERROR, NULL },

  { "srt malformed timing line", FALSE,
    "1\n00:00:01,000 --> 00:00:02,000\nEen\n\n2\n00:00:0x,000 --> 00:00:03,000\nTwee\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT,
    "s.srt:6: malformed timing line (expected 00:00:01,000 --> 00:00:04,000)" },

  { "srt arrow missing", FALSE,
    "1\n00:00:01,000 -> 00:00:02,000\nEen\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT,
    "s.srt:2: malformed timing line (expected 00:00:01,000 --> 00:00:04,000)" },

  { "srt seconds out of range", FALSE,
    "\n\n1\n00:00:61,000 --> 00:01:02,000\nEen\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT,
    "s.srt:4: malformed timing line (expected 00:00:01,000 --> 00:00:04,000)" },

  { "srt ends after a cue number", FALSE,
    "1\n00:00:01,000 --> 00:00:02,000\nEen\n\n2\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT, "s.srt:6: the file ends before the cue's timing line" },

  { "text is not srt", FALSE,
    "Dit is gewoon tekst\nmet twee regels\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT,
    "s.srt:1: expected a subtitle number or timing line (00:00:01,000 --> 00:00:04,000)" },

  { "srt with only numbers and times", FALSE,
    "1\n00:00:01,000 --> 00:00:02,000\n\n",
    { { NULL } }, CW_IMPORT_ERROR_EMPTY, "s.srt: the file has no subtitles" },

  { "vtt header, metadata, NOTE, STYLE, REGION, identifiers, settings, voices", TRUE,
    "WEBVTT - interview 3\nKind: captions\nLanguage: nl\n\n"
    "NOTE dit is\neen notitie --> met pijl\n\n"
    "STYLE\n::cue { color: red }\n\n"
    "REGION\nid:fred width:40%\n\n"
    "intro\n00:01.000 --> 00:04.000 align:start position:10%\n<v Jan de Vries>Hallo <b>daar</b></v>\n\n"
    "00:00:05.500 --> 00:00:07.000\n<v.loud Mevrouw De Vries>Ja &amp; <c.yellow>nee</c>&nbsp;hoor\n\n"
    "42\n00:00:08.000 --> 00:00:09.000 line:0\n<00:00:08.000><c> karaoke</c><00:00:08.500><c> woorden</c>\n",
    { { "Jan de Vries: Hallo daar", "Jan de Vries", 1.0 },
      { "Mevrouw De Vries: Ja & nee\xc2\xa0hoor", "Mevrouw De Vries", 5.5 },
      { "karaoke woorden", NULL, 8.0 } }, NO_ERROR, NULL },

  { "vtt two voices in one cue, lines joined", TRUE,
    "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>hoi</v>\n<v B>dag\n",
    { { "A: hoi B: dag", "A", 1.0 } }, NO_ERROR, NULL },

  { "vtt BOM, CRLF, label in the text left to the builder", TRUE,
    "\xef\xbb\xbfWEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nJAN: hoi\r\n",
    { { "JAN: hoi", NULL, 1.0 } }, NO_ERROR, NULL },

  { "vtt without header", TRUE,
    "00:00:01.000 --> 00:00:02.000\nhoi\n",
    { { NULL } }, CW_IMPORT_ERROR_UNSUPPORTED, "s.vtt: not a WebVTT file (the first line must be WEBVTT)" },

  { "vtt with a header that only looks right", TRUE,
    "WEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nhoi\n",
    { { NULL } }, CW_IMPORT_ERROR_UNSUPPORTED, "s.vtt: not a WebVTT file (the first line must be WEBVTT)" },

  { "vtt malformed timing line after an identifier", TRUE,
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:xx.000\nhoi\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT,
    "s.vtt:4: malformed cue timing line (expected 00:00:01.000 --> 00:00:04.000)" },

  { "vtt text where a cue should start", TRUE,
    "WEBVTT\n\nzomaar tekst\n",
    { { NULL } }, CW_IMPORT_ERROR_CORRUPT,
    "s.vtt:3: expected a cue timing line (00:00:01.000 --> 00:00:04.000)" },
};

static void
test_subtitle_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (subtitle_cases); i++)
    {
      const SubtitleCase *c = &subtitle_cases[i];
      g_autoptr(GBytes) bytes = case_bytes (c->data, -1);
      g_autoptr(GPtrArray) paragraphs = NULL;
      g_autoptr(GError) error = NULL;
      guint n = 0;

      g_test_message ("subtitle case: %s", c->name);
      if (c->vtt)
        paragraphs = cw_import_parse_vtt (bytes, "s.vtt", &error);
      else
        paragraphs = cw_import_parse_srt (bytes, "s.srt", &error);

      if (c->code != NO_ERROR)
        {
          g_assert_null (paragraphs);
          g_assert_error (error, CW_IMPORT_ERROR, c->code);
          g_assert_cmpstr (error->message, ==, c->message);
          continue;
        }

      g_assert_no_error (error);
      while (n < G_N_ELEMENTS (c->cues) && c->cues[n].text != NULL)
        n++;
      g_assert_cmpuint (paragraphs->len, ==, n);
      for (guint j = 0; j < n; j++)
        {
          const CwParagraph *paragraph = paragraphs->pdata[j];

          g_assert_cmpstr (paragraph->text, ==, c->cues[j].text);
          g_assert_cmpstr (paragraph->speaker, ==, c->cues[j].speaker);
          g_assert_cmpuint (paragraph->label_bytes, ==,
                            c->cues[j].speaker ? strlen (c->cues[j].speaker) + 1 : 0);
          g_assert_true (paragraph->cue);
          g_assert_cmpfloat_with_epsilon (paragraph->time, c->cues[j].time, 1e-9);
        }
    }
}

static void
test_vtt_document (void)
{
  /* End to end: voices become turns with their speaker, the label visible
   * in the text; a cue without a voice is a turn without a speaker; a
   * "NAME:" in the text is found by the builder. */
  g_autoptr(GBytes) bytes = case_bytes ("WEBVTT\n\n"
                                        "00:00:01.000 --> 00:00:02.000\n<v Interviewer>Hoe gaat \xe2\x80\x99t?\n\n"
                                        "00:00:02.500 --> 00:00:04.000\n<v Leerling 2>Goed hoor.\n\n"
                                        "00:00:04.000 --> 00:00:05.000\nonduidelijk\n\n"
                                        "00:00:06.000 --> 00:00:07.000\nMENTOR: klopt\n", -1);
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  const struct { const char *speaker, *utterance; double time; } expected[] = {
    { "Interviewer", "Hoe gaat \xe2\x80\x99t?", 1.0 },
    { "Leerling 2", "Goed hoor.", 2.5 },
    { NULL, "onduidelijk", 4.0 },
    { "MENTOR", "klopt", 6.0 },
  };

  document = cw_import_bytes (bytes, "gesprek.vtt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->text, ==,
                   "Interviewer: Hoe gaat \xe2\x80\x99t?\nLeerling 2: Goed hoor.\nonduidelijk\nMENTOR: klopt");
  g_assert_cmpuint (document->turns->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const CwTurn *turn = document->turns->pdata[i];

      g_assert_cmpstr (turn->speaker, ==, expected[i].speaker);
      cw_test_assert_substring (document->text, turn->start, turn->end, expected[i].utterance);
      g_assert_cmpfloat_with_epsilon (turn->time, expected[i].time, 1e-9);
    }
}

static void
test_srt_utf16 (void)
{
  /* Some Windows tools write subtitles as UTF-16LE with a BOM. */
  const char *utf8 = "1\r\n00:00:01,000 --> 00:00:02,000\r\nCaf\xc3\xa9\r\n";
  g_autofree gunichar2 *units = NULL;
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) paragraphs = NULL;
  g_autoptr(GError) error = NULL;
  glong n = 0;

  units = g_utf8_to_utf16 (utf8, -1, NULL, &n, NULL);
  g_byte_array_append (raw, (const guint8 *) "\xff\xfe", 2);
  for (glong i = 0; i < n; i++)
    {
      guint8 pair[2] = { units[i] & 0xFF, units[i] >> 8 };
      g_byte_array_append (raw, pair, 2);
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&raw));

  paragraphs = cw_import_parse_srt (bytes, "w.srt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (paragraphs->len, ==, 1);
  g_assert_cmpstr (((CwParagraph *) paragraphs->pdata[0])->text, ==, "Caf\xc3\xa9");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-text/decode/table", test_decode_table);
  g_test_add_func ("/import-text/txt/paragraphs", test_parse_txt);
  g_test_add_func ("/import-text/txt/cp1252", test_parse_txt_cp1252);
  g_test_add_func ("/import-text/txt/errors", test_parse_txt_errors_name_file);
  g_test_add_func ("/import-text/subtitles/table", test_subtitle_table);
  g_test_add_func ("/import-text/subtitles/vtt-document", test_vtt_document);
  g_test_add_func ("/import-text/subtitles/srt-utf16", test_srt_utf16);

  return g_test_run ();
}
