/* test-builder.c: speaker labels, timestamps, NFC and turn offsets of
 * cw_parsed_document_build(), and cw_import_guess_kind(). */
#include "config.h"

#include <string.h>

#include "cw-import.h"
#include "cw-test-util.h"

/* ------------------------------------------------------------------------ */
/* cw_detect_speaker_label()                                                 */

typedef struct
{
  const char *line;
  const char *speaker;   /* NULL: must not fire */
  const char *utterance; /* what follows the label */
} LabelCase;

static const LabelCase label_cases[] = {
  /* must fire */
  { "Naam: hallo", "Naam", "hallo" },
  { "NAAM: ja", "NAAM", "ja" },
  { "I: Hoe gaat het?", "I", "Hoe gaat het?" },
  { "R: Goed.", "R", "Goed." },
  { "Leerling 2: ja hoor", "Leerling 2", "ja hoor" },
  { "Interviewer: Vertel eens", "Interviewer", "Vertel eens" },
  { "Mevrouw De Vries: ja", "Mevrouw De Vries", "ja" },
  { "Jan van Dijk: Ik weet het niet", "Jan van Dijk", "Ik weet het niet" },
  { "Jobcoach (gemeente): Nou", "Jobcoach (gemeente)", "Nou" },
  { "Deelnemer 3 (moeder van Sem): klopt", "Deelnemer 3 (moeder van Sem)", "klopt" },
  { "Docent-mentor: Ja", "Docent-mentor", "Ja" },
  { "Dhr. Jansen: Dat klopt", "Dhr. Jansen", "Dat klopt" },
  { "Resp. 1: Weet ik niet", "Resp. 1", "Weet ik niet" },
  { "Int.: Nog een vraag", "Int.", "Nog een vraag" },
  { "Mw. de Vries: hm", "Mw. de Vries", "hm" },
  { "J. de Boer: ok", "J. de Boer", "ok" },
  { "Anne-Marie:\tJa", "Anne-Marie", "Ja" },
  { "R1: ok", "R1", "ok" },
  { "Jan van 't Hof: ja", "Jan van 't Hof", "ja" },
  { "José: sí", "José", "sí" },
  { "Ömer: ja", "Ömer", "ja" },
  { "O'Neill: yes", "O'Neill", "yes" },
  { "Jan van der Berg:", "Jan van der Berg", "" },
  { "INT:   veel spaties", "INT", "veel spaties" },
  { "  I: ingesprongen", "I", "ingesprongen" },
  { "Jan : spatie voor de dubbelepunt", "Jan", "spatie voor de dubbelepunt" },
  { "Jan\t van  Dijk: ja", "Jan van Dijk", "ja" },
  { "Karim d'Hondt: nee", "Karim d'Hondt", "nee" },
  { "I: tijd 10:30 staat verderop", "I", "tijd 10:30 staat verderop" },
  { "Respondent:\xc2\xa0nbsp erna", "Respondent", "nbsp erna" },

  /* must not fire */
  { "Het punt is: we moeten door", NULL, NULL },
  { "Dat zei ik ook: nee.", NULL, NULL },
  { "Om 10:30 begon het", NULL, NULL },
  { "10:30 begon de les: vroeg", NULL, NULL },
  { "http://example.nl staat online", NULL, NULL },
  { "Zie https://example.nl", NULL, NULL },
  { "Nou ja: dat dus.", NULL, NULL },
  { "Ja. Dus: nee", NULL, NULL },
  { "Datum: 12 maart 2023", NULL, NULL },
  { "Kortom: we stoppen", NULL, NULL },
  { "Let op: dit is belangrijk", NULL, NULL },
  { "De vraag was: waarom?", NULL, NULL },
  { "Wat zei hij? Jan: niks", NULL, NULL },
  { "Nee, Jan: dat niet", NULL, NULL },
  { "Mijn advies:\tniet doen", NULL, NULL },
  { "Jan:nee zonder spatie", NULL, NULL },
  { "C:\\Users\\jan", NULL, NULL },
  { ": leeg", NULL, NULL },
  { "(lacht): ja", NULL, NULL },
  { "Een Heel Lang Verhaal Over Alles: nee", NULL, NULL },
  { "Docent mentor: ja", NULL, NULL },
  { "Jan van: ja", NULL, NULL },
  { "12: twaalf", NULL, NULL },
  { "jan: kleine letter", NULL, NULL },
  { "Ze zei: \"Kom!\"", NULL, NULL },
  { "• Jan: opsomming", NULL, NULL },
  { "Geen dubbele punt hier", NULL, NULL },
  { "", NULL, NULL },
  { "Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq: te lang", NULL, NULL },
};

static void
test_detect_label (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (label_cases); i++)
    {
      const LabelCase *c = &label_cases[i];
      g_autofree char *speaker = NULL;
      gsize offset = 0;
      gboolean fired;

      g_test_message ("label case %u: %s", i, c->line);
      fired = cw_detect_speaker_label (c->line, &speaker, &offset);
      if (c->speaker == NULL)
        {
          g_assert_false (fired);
          continue;
        }
      g_assert_true (fired);
      g_assert_cmpstr (speaker, ==, c->speaker);
      g_assert_cmpstr (c->line + offset, ==, c->utterance);
    }
}

static void
test_detect_label_line_end (void)
{
  /* A pointer into a longer text: the line ends at '\n'. */
  g_autofree char *speaker = NULL;
  gsize offset = 0;

  g_assert_false (cw_detect_speaker_label ("Het punt\nJan: ja", &speaker, &offset));
  g_assert_true (cw_detect_speaker_label ("Jan:\nvolgende regel", &speaker, &offset));
  g_assert_cmpstr (speaker, ==, "Jan");
  g_assert_cmpuint (offset, ==, 4);
}

/* ------------------------------------------------------------------------ */
/* cw_parsed_document_build()                                                */

typedef struct
{
  const char *speaker;   /* NULL: a turn without a speaker */
  const char *utterance; /* the text [start, end) must be exactly this */
  double      time;      /* < 0: unknown */
} ExpectedTurn;

typedef struct
{
  const char   *name;
  const char   *paragraphs[10]; /* NULL-terminated */
  const char   *text;
  ExpectedTurn  turns[6];      /* up to the first with utterance NULL */
} BuildCase;

static const BuildCase build_cases[] = {
  { "header lines shaped like labels are not turns",
    { "Binnenkring: vijf leerlingen. Buitenkring: een moeder.", "Locatie: Almere",
      "I: Hoe gaat het?", "Kevin: Goed.", "I: Mooi.", "Docent: Dat klopt.", NULL },
    "Binnenkring: vijf leerlingen. Buitenkring: een moeder.\nLocatie: Almere\n"
    "I: Hoe gaat het?\nKevin: Goed.\nI: Mooi.\nDocent: Dat klopt.",
    { { "I", "Hoe gaat het?", -1 }, { "Kevin", "Goed.", -1 }, { "I", "Mooi.", -1 },
      { "Docent", "Dat klopt.", -1 } } },

  { "nobody speaks twice: every label is a turn",
    { "Wethouder: Welkom.", "Jobcoach: Dank u.", NULL },
    "Wethouder: Welkom.\nJobcoach: Dank u.",
    { { "Wethouder", "Welkom.", -1 }, { "Jobcoach", "Dank u.", -1 } } },

  { "simple labels",
    { "I: Hoe gaat het?", "R: Goed.", NULL },
    "I: Hoe gaat het?\nR: Goed.",
    { { "I", "Hoe gaat het?", -1 }, { "R", "Goed.", -1 } } },

  { "f4 stamps at paragraph end time their own turn",
    { "I: Hoe gaat het? #00:00:12-3#", "R: Goed. #00:00:15-0#", "I: Mooi.", NULL },
    "I: Hoe gaat het?\nR: Goed.\nI: Mooi.",
    { { "I", "Hoe gaat het?", 12.3 }, { "R", "Goed.", 15.0 }, { "I", "Mooi.", -1 } } },

  { "f4 stamp without tenths in the middle, doubled space collapsed",
    { "I: Ja #00:01:02# en toen", NULL },
    "I: Ja en toen",
    { { "I", "Ja en toen", 62 } } },

  { "[hh:mm:ss] at the start of a line",
    { "[00:01:02] Jan: hoi", "[00:01:05] Piet: dag", NULL },
    "Jan: hoi\nPiet: dag",
    { { "Jan", "hoi", 62 }, { "Piet", "dag", 65 } } },

  { "[hh:mm:ss.d]",
    { "[01:02:03.5] R: ja", NULL },
    "R: ja",
    { { "R", "ja", 3723.5 } } },

  { "(hh:mm:ss)",
    { "(00:00:10) I: vraag", NULL },
    "I: vraag",
    { { "I", "vraag", 10 } } },

  { "[mm:ss] after the label",
    { "I: [02:05] vraag", NULL },
    "I: vraag",
    { { "I", "vraag", 125 } } },

  { "first stamp in a turn wins",
    { "I: een [00:00:01] twee", "drie [00:00:09]", NULL },
    "I: een twee\ndrie",
    { { "I", "een twee\ndrie", 1 } } },

  { "a line of only a stamp times the next turn and leaves no empty line",
    { "I: eerst", "[00:00:05]", "R: hoi", NULL },
    "I: eerst\nR: hoi",
    { { "I", "eerst", -1 }, { "R", "hoi", 5 } } },

  { "stamps that are not stamps stay",
    { "I: om [10:30 uur] en #1 en (12:00) en [99:99]", NULL },
    "I: om [10:30 uur] en #1 en (12:00) en [99:99]",
    { { "I", "om [10:30 uur] en #1 en (12:00) en [99:99]", -1 } } },

  { "text before the first label belongs to no turn",
    { "Interview met Jan", "", "I: Hoi", "R: Ja", NULL },
    "Interview met Jan\n\nI: Hoi\nR: Ja",
    { { "I", "Hoi", -1 }, { "R", "Ja", -1 } } },

  { "unlabelled paragraphs continue the turn, empty ones do not end it",
    { "I: Eerste deel.", "Tweede deel.", "", "Derde deel.  ", "R: Ja.", NULL },
    "I: Eerste deel.\nTweede deel.\n\nDerde deel.  \nR: Ja.",
    { { "I", "Eerste deel.\nTweede deel.\n\nDerde deel.", -1 }, { "R", "Ja.", -1 } } },

  { "line breaks inside a paragraph start turns too",
    { "I: vraag\nR: antwoord\nmeer", NULL },
    "I: vraag\nR: antwoord\nmeer",
    { { "I", "vraag", -1 }, { "R", "antwoord\nmeer", -1 } } },

  { "label alone on its line",
    { "Jan:", "Hallo daar", "Piet:", NULL },
    "Jan:\nHallo daar\nPiet:",
    { { "Jan", "Hallo daar", -1 }, { "Piet", "", -1 } } },

  { "leading and trailing empty lines dropped",
    { "", "  ", "\t", "I: a", "", "R: b", "", "", NULL },
    "I: a\n\nR: b",
    { { "I", "a", -1 }, { "R", "b", -1 } } },

  { "sentences with colons are no turns",
    { "Het punt is: dit", "Om 10:30 begon het", NULL },
    "Het punt is: dit\nOm 10:30 begon het",
    { { NULL, NULL, 0 } } },

  { "NFC: decomposed e + diaeresis is stored as one code point",
    { "Zoe\xcc\x88: Cafe\xcc\x81 is dicht", "R: ok", NULL },
    "Zo\xc3\xab: Caf\xc3\xa9 is dicht\nR: ok",
    { { "Zo\xc3\xab", "Caf\xc3\xa9 is dicht", -1 }, { "R", "ok", -1 } } },

  { "emoji before the turns",
    { "\xf0\x9f\x98\x80\xf0\x9f\x98\x80 intro", "I: daar \xf0\x9f\x8e\x89 gaan we", "R: ok", NULL },
    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80 intro\nI: daar \xf0\x9f\x8e\x89 gaan we\nR: ok",
    { { "I", "daar \xf0\x9f\x8e\x89 gaan we", -1 }, { "R", "ok", -1 } } },

  { "CR left by a parser is no content",
    { "I: a\r", "R: b\r", NULL },
    "I: a\nR: b",
    { { "I", "a", -1 }, { "R", "b", -1 } } },
};

static GPtrArray *
paragraphs_from (const char *const *texts)
{
  GPtrArray *paragraphs = cw_paragraph_array_new ();

  for (guint i = 0; texts[i] != NULL; i++)
    g_ptr_array_add (paragraphs, cw_paragraph_new (texts[i], -1));
  return paragraphs;
}

static void
assert_turn (const CwParsedDocument *document,
             guint                   index,
             const char             *speaker,
             const char             *utterance,
             double                  time)
{
  const CwTurn *turn;

  g_assert_cmpuint (index, <, document->turns->len);
  turn = document->turns->pdata[index];
  g_assert_cmpstr (turn->speaker, ==, speaker);
  cw_test_assert_substring (document->text, turn->start, turn->end, utterance);
  if (time < 0)
    g_assert_cmpfloat (turn->time, <, 0);
  else
    g_assert_cmpfloat_with_epsilon (turn->time, time, 1e-6);
}

static void
test_build_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (build_cases); i++)
    {
      const BuildCase *c = &build_cases[i];
      g_autoptr(GPtrArray) paragraphs = paragraphs_from (c->paragraphs);
      g_autoptr(CwParsedDocument) document = NULL;
      g_autoptr(GError) error = NULL;
      guint n_turns = 0;

      g_test_message ("build case: %s", c->name);
      document = cw_parsed_document_build (paragraphs, "case.txt", &error);
      g_assert_no_error (error);
      g_assert_nonnull (document);
      g_assert_cmpstr (document->text, ==, c->text);
      g_assert_cmpint (document->characters, ==, g_utf8_strlen (c->text, -1));

      while (n_turns < G_N_ELEMENTS (c->turns) && c->turns[n_turns].utterance != NULL)
        n_turns++;
      g_assert_cmpuint (document->turns->len, ==, n_turns);
      for (guint t = 0; t < n_turns; t++)
        assert_turn (document, t, c->turns[t].speaker, c->turns[t].utterance, c->turns[t].time);
    }
}

static void
test_build_offsets_are_code_points (void)
{
  /* "😀😀 intro\n" is 9 code points, 17 UTF-8 bytes, 11 UTF-16 units;
   * "I: " 3 more: the utterance starts at code point 12. */
  const char *texts[] = { "\xf0\x9f\x98\x80\xf0\x9f\x98\x80 intro", "I: daar", NULL };
  const char *nfc[] = { "Zoe\xcc\x88 zei", "I: ja", NULL };
  g_autoptr(GPtrArray) paragraphs = paragraphs_from (texts);
  g_autoptr(GPtrArray) decomposed = paragraphs_from (nfc);
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(CwParsedDocument) composed = NULL;
  const CwTurn *turn;

  document = cw_parsed_document_build (paragraphs, "emoji.txt", NULL);
  g_assert_nonnull (document);
  turn = document->turns->pdata[0];
  g_assert_cmpint (turn->start, ==, 12);
  g_assert_cmpint (turn->end, ==, 16);
  g_assert_cmpint (document->characters, ==, 16);

  /* "Zoë zei\n" is 8 code points once composed (9 before). */
  composed = cw_parsed_document_build (decomposed, "nfc.txt", NULL);
  g_assert_nonnull (composed);
  turn = composed->turns->pdata[0];
  g_assert_cmpint (turn->start, ==, 11);
  g_assert_cmpint (turn->end, ==, 13);
  g_assert_cmpint (composed->characters, ==, 13);
}

static void
test_build_nfc_everywhere (void)
{
  /* Every code point of the ranges the builder's NFC fast path trusts, and
   * many it does not (combining marks, compatibility characters, Hangul
   * jamo), between two letters: the stored text is always exactly NFC. */
  const gunichar ranges[][2] = {
    { 0x00A0, 0x3000 }, { 0xAC00, 0xAC40 }, { 0xF900, 0xFB50 },
    { 0xFE00, 0xFFFE }, { 0x1D15E, 0x1D1C0 }, { 0x1F000, 0x1FB00 },
  };
  g_autoptr(GPtrArray) paragraphs = cw_paragraph_array_new ();
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(CwParsedDocument) document = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (gunichar c = ranges[r][0]; c < ranges[r][1]; c++)
      {
        char line[16];
        int n;

        if (!g_unichar_validate (c))
          continue;
        line[0] = 'x';
        n = g_unichar_to_utf8 (c, line + 1);
        line[n + 1] = 'y';
        line[n + 2] = '\0';
        g_ptr_array_add (paragraphs, cw_paragraph_new (line, -1));
        if (joined->len > 0)
          g_string_append_c (joined, '\n');
        g_string_append (joined, line);
      }
  /* And a decomposed Hangul syllable. */
  g_ptr_array_add (paragraphs, cw_paragraph_new ("\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", -1));
  g_string_append (joined, "\n\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab");

  expected = g_utf8_normalize (joined->str, joined->len, G_NORMALIZE_NFC);
  g_assert_true (g_str_has_suffix (expected, "\n\xed\x95\x9c"));
  document = cw_parsed_document_build (paragraphs, "unicode.txt", &error);
  g_assert_no_error (error);
  g_assert_true (strcmp (document->text, expected) == 0);
  g_assert_cmpint (document->characters, ==, g_utf8_strlen (expected, -1));
}

static void
test_build_format_labels (void)
{
  g_autoptr(GPtrArray) paragraphs = cw_paragraph_array_new ();
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  CwParagraph *paragraph;

  /* A bold label from docx: taken even though detection would not fire. */
  paragraph = cw_paragraph_new ("de moeder: hij wil wel  ", -1);
  paragraph->label_bytes = strlen ("de moeder:");
  g_ptr_array_add (paragraphs, paragraph);
  g_ptr_array_add (paragraphs, cw_paragraph_new ("verder", -1));

  /* A voice known from the format, label given too. */
  paragraph = cw_paragraph_new ("Jose\xcc\x81 Garci\xcc\x81\x61: dag #00:00:03-0#", -1);
  paragraph->label_bytes = strlen ("Jose\xcc\x81 Garci\xcc\x81\x61:");
  paragraph->speaker = g_strdup ("Jos\xc3\xa9 Garc\xc3\xad\x61");
  g_ptr_array_add (paragraphs, paragraph);

  /* A label_bytes past the first line is ignored; detection takes over. */
  paragraph = cw_paragraph_new ("R: a\nb", -1);
  paragraph->label_bytes = 5;
  g_ptr_array_add (paragraphs, paragraph);

  /* A speaker without a visible label. */
  paragraph = cw_paragraph_new ("zonder label", -1);
  paragraph->speaker = g_strdup ("Spreker");
  g_ptr_array_add (paragraphs, paragraph);

  document = cw_parsed_document_build (paragraphs, "labels.docx", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->text, ==,
                   "de moeder: hij wil wel  \nverder\nJos\xc3\xa9 Garc\xc3\xad\x61: dag\nR: a\nb\nzonder label");
  g_assert_cmpuint (document->turns->len, ==, 4);
  assert_turn (document, 0, "de moeder", "hij wil wel  \nverder", -1);
  assert_turn (document, 1, "Jos\xc3\xa9 Garc\xc3\xad\x61", "dag", 3);
  assert_turn (document, 2, "R", "a\nb", -1);
  assert_turn (document, 3, "Spreker", "zonder label", -1);
}

static void
test_build_cues (void)
{
  g_autoptr(GPtrArray) paragraphs = cw_paragraph_array_new ();
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  CwParagraph *paragraph;

  paragraph = cw_paragraph_new ("eerste cue", -1);
  paragraph->cue = TRUE;
  paragraph->time = 1.5;
  g_ptr_array_add (paragraphs, paragraph);

  /* An unlabelled cue after it: its own turn, not a continuation. */
  paragraph = cw_paragraph_new ("tweede cue #00:09:00-0#", -1);
  paragraph->cue = TRUE;
  paragraph->time = 3;
  g_ptr_array_add (paragraphs, paragraph);

  paragraph = cw_paragraph_new ("SPREKER 2: met label", -1);
  paragraph->cue = TRUE;
  paragraph->time = 4.25;
  g_ptr_array_add (paragraphs, paragraph);

  document = cw_parsed_document_build (paragraphs, "cues.srt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->text, ==, "eerste cue\ntweede cue\nSPREKER 2: met label");
  g_assert_cmpuint (document->turns->len, ==, 3);
  assert_turn (document, 0, NULL, "eerste cue", 1.5);
  assert_turn (document, 1, NULL, "tweede cue", 3); /* the cue time wins */
  assert_turn (document, 2, "SPREKER 2", "met label", 4.25);
}

static void
test_build_errors (void)
{
  const char *empty[] = { "", "   ", "", NULL };
  const char *stamps[] = { "#00:00:01-0#", "[00:00:02]", NULL };
  const char *invalid[] = { "I: goed", "R: kapot \xc3\x28 utf-8", NULL };
  const char *const *cases[] = { empty, stamps, invalid };
  const int codes[] = { CW_IMPORT_ERROR_EMPTY, CW_IMPORT_ERROR_EMPTY, CW_IMPORT_ERROR_ENCODING };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) paragraphs = paragraphs_from (cases[i]);
      g_autoptr(CwParsedDocument) document = NULL;
      g_autoptr(GError) error = NULL;

      document = cw_parsed_document_build (paragraphs, "kapot.docx", &error);
      g_assert_null (document);
      g_assert_error (error, CW_IMPORT_ERROR, codes[i]);
      g_assert_true (g_str_has_prefix (error->message, "kapot.docx:"));
    }

  {
    g_autoptr(GPtrArray) none = cw_paragraph_array_new ();
    g_autoptr(GError) error = NULL;

    g_assert_null (cw_parsed_document_build (none, "leeg.odt", &error));
    g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_EMPTY);
  }
}

static void
test_build_large (void)
{
  /* Many turns, long lines and non-ASCII text: offsets stay exact at the end. */
  g_autoptr(GPtrArray) paragraphs = cw_paragraph_array_new ();
  g_autoptr(CwParsedDocument) document = NULL;
  const CwTurn *last;
  guint n = 20000;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s: zin %u met \xc3\xa9\xc3\xa9n caf\xc3\xa9 #00:%02u:%02u-%u#",
                                               i % 2 ? "R" : "I", i, (i / 60) % 60, i % 60, i % 10);
      g_ptr_array_add (paragraphs, cw_paragraph_new (text, -1));
    }
  document = cw_parsed_document_build (paragraphs, "groot.txt", NULL);
  g_assert_nonnull (document);
  g_assert_cmpuint (document->turns->len, ==, n);
  g_assert_cmpint (document->characters, ==, g_utf8_strlen (document->text, -1));
  last = document->turns->pdata[n - 1];
  cw_test_assert_substring (document->text, last->start, last->end, "zin 19999 met \xc3\xa9\xc3\xa9n caf\xc3\xa9");
  g_assert_cmpfloat_with_epsilon (last->time, ((19999 / 60) % 60) * 60 + 19999 % 60 + 0.9, 1e-6);
}

/* ------------------------------------------------------------------------ */
/* cw_import_guess_kind()                                                    */

typedef struct
{
  const char     *filename;
  const char     *text;
  CwDocumentKind  kind;
} KindCase;

static const KindCase kind_cases[] = {
  { "arena_2023-03-01.docx", NULL, CW_DOCUMENT_KIND_ARENA },
  { "/home/onderzoek/Arena gesprek 2.txt", NULL, CW_DOCUMENT_KIND_ARENA },
  { "Focusgroep school A.odt", NULL, CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus-group-3.txt", NULL, CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "focus_group_3.txt", NULL, CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "FG2_leerlingen.docx", NULL, CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "2023_fg_1.srt", NULL, CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "werkgeversinterview bakkerij.docx", NULL, CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "Werkgever 4.txt", NULL, CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "employer-07.vtt", NULL, CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "Interview R12.docx", NULL, CW_DOCUMENT_KIND_INTERVIEW },
  { "/data/arena/interview 3.txt", NULL, CW_DOCUMENT_KIND_INTERVIEW }, /* the name, not the folder */
  { "opname 3.txt", "Arenagesprek regio Utrecht\n\nI: welkom", CW_DOCUMENT_KIND_ARENA },
  { "opname 4.txt", "Verslag focusgroep jongeren\nI: welkom", CW_DOCUMENT_KIND_FOCUS_GROUP },
  { "opname 5.txt", "Werkgeversinterview\nI: welkom", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "opname 6.txt", "I: Wat doet u?\nWerkgever: Wij bakken brood.", CW_DOCUMENT_KIND_EMPLOYER_INTERVIEW },
  { "opname 7.txt", "Interviewer: Hoe gaat het?\nR: Goed.", CW_DOCUMENT_KIND_INTERVIEW },
  { "opname 8.txt", "I: Hoe gaat het op je werk?\nR: Mijn werkgever is aardig.", CW_DOCUMENT_KIND_OTHER },
  { "lifgang.txt", NULL, CW_DOCUMENT_KIND_OTHER },
  { "notities.txt", "Losse aantekeningen", CW_DOCUMENT_KIND_OTHER },
  { NULL, NULL, CW_DOCUMENT_KIND_OTHER },
};

static void
test_guess_kind (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    {
      const KindCase *c = &kind_cases[i];

      g_test_message ("kind case %u: %s", i, c->filename);
      g_assert_cmpstr (cw_document_kind_to_string (cw_import_guess_kind (c->filename, c->text)), ==,
                       cw_document_kind_to_string (c->kind));
    }

  /* Only the first ~2000 characters count. */
  {
    g_autofree char *filler = g_strnfill (3000, 'x');
    g_autofree char *text = g_strconcat (filler, " focusgroep", NULL);

    g_assert_cmpint (cw_import_guess_kind ("a.txt", text), ==, CW_DOCUMENT_KIND_OTHER);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/builder/label/table", test_detect_label);
  g_test_add_func ("/builder/label/line-end", test_detect_label_line_end);
  g_test_add_func ("/builder/build/table", test_build_table);
  g_test_add_func ("/builder/build/code-points", test_build_offsets_are_code_points);
  g_test_add_func ("/builder/build/nfc-everywhere", test_build_nfc_everywhere);
  g_test_add_func ("/builder/build/format-labels", test_build_format_labels);
  g_test_add_func ("/builder/build/cues", test_build_cues);
  g_test_add_func ("/builder/build/errors", test_build_errors);
  g_test_add_func ("/builder/build/large", test_build_large);
  g_test_add_func ("/builder/guess-kind", test_guess_kind);

  return g_test_run ();
}
