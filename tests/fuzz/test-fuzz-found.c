/* test-fuzz-found.c: what fuzzing found (issue 11), kept as plain tests.
 * The inputs that took minutes are built here (too big for the seed
 * corpus); each must now take well under the limit. */
#include "config.h"

#include <string.h>

#include "cw-cases-private.h"
#include "cw-import.h"
#include "cw-import-private.h"

/* Generous: linear work takes about a second even under ASan on a loaded
 * machine; the quadratic versions took minutes. */
#define LIMIT_SECONDS 30.0

static char *
repeat (const char *piece,
        gsize       bytes)
{
  GString *s = g_string_sized_new (bytes + strlen (piece));

  while (s->len < bytes)
    g_string_append (s, piece);
  return g_string_free (s, FALSE);
}

/* The fast NFC gives GLib's result: text that composes, decomposes,
 * reorders, across the places where it cuts (every 256 bytes). */
static void
test_nfc_same_as_glib (void)
{
  static const char *const pieces[] = {
    "e\xcc\x81 ",                   /* e + acute: composes */
    "caf\xc3\xa9 ",                 /* precomposed stays */
    "a\xcc\x96\xcc\x81",            /* marks out of order */
    "\xea\xb0\x80\xe1\x86\xa8",     /* Hangul LV + trailing jamo T: composes */
    "\xe1\x84\x80\xe1\x85\xa1",     /* leading + vowel jamo */
    "\xe0\xa7\x87\xe0\xa6\xbe",     /* Bengali: U+09C7 + U+09BE composes (second half a starter) */
    "\xe2\x84\xab",                 /* ANGSTROM SIGN: a singleton */
    "\xe0\xbd\xb3",                 /* U+0F73: decomposes to non-starters */
    "\xd0\xb8\xcc\x86",             /* Cyrillic i + breve */
    "\xe3\x81\x8b\xe3\x82\x99",     /* ka + voiced mark */
  };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    for (gsize bytes = 1; bytes < 3000; bytes = bytes * 3 + 7)
      {
        g_autofree char *text = repeat (pieces[i], bytes);
        g_autofree char *expected = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
        g_autofree char *got = _cw_utf8_normalize_nfc (text, -1);

        g_test_message ("piece %u, %" G_GSIZE_FORMAT " bytes", i, bytes);
        g_assert_cmpstr (got, ==, expected);
      }
  /* Mixed: each piece after each other one. */
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    for (guint j = 0; j < G_N_ELEMENTS (pieces); j++)
      {
        g_autofree char *a = repeat (pieces[i], 250);
        g_autofree char *b = repeat (pieces[j], 250);
        g_autofree char *text = g_strconcat (a, b, a, NULL);
        g_autofree char *expected = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
        g_autofree char *got = _cw_utf8_normalize_nfc (text, -1);

        g_assert_cmpstr (got, ==, expected);
      }
  g_assert_null (_cw_utf8_normalize_nfc ("\xff\xfe", 2));
}

/* 300 marks in a row: a grapheme joiner after each 30, as the Stream-Safe
 * Text Format does; the result is NFC all the same. (Texts of at most 256
 * bytes go to GLib whole: short, so never slow.) */
static void
test_nfc_stream_safe (void)
{
  g_autofree char *marks = repeat ("\xcc\x81", 600);
  g_autofree char *text = g_strconcat ("a", marks, NULL);
  g_autofree char *got = _cw_utf8_normalize_nfc (text, -1);
  g_autofree char *again = NULL;
  const char *cgj;

  g_assert_nonnull (got);
  cgj = strstr (got, "\xcd\x8f");
  g_assert_nonnull (cgj);
  /* á, then 29 more marks, then the joiner */
  g_assert_cmpint (g_utf8_strlen (got, cgj - got), ==, 30);
  /* a and 300 marks, less the one composed, and 9 joiners */
  g_assert_cmpint (g_utf8_strlen (got, -1), ==, 1 + 300 - 1 + 9);
  again = g_utf8_normalize (got, -1, G_NORMALIZE_NFC);
  g_assert_cmpstr (again, ==, got);
}

typedef struct
{
  const char *name;
  const char *piece;  /* repeated into one line of about 4 MiB */
  const char *first;  /* what the stored text starts with */
} LongLine;

static const LongLine long_lines[] = {
  { "decomposed", "e\xcc\x81", "\xc3\xa9\xc3\xa9" },
  /* sorted by combining class within each run of 30 */
  { "marks", "\xcc\x81\xcc\x96", "\xcc\x96\xcc\x96" },
  { "bengali-o", "\xe0\xa7\x87\xe0\xa6\xbe", "\xe0\xa7\x8b\xe0\xa7\x8b" },
  { "hangul-jamo", "\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "\xed\x95\x9c\xed\x95\x9c" },
};

/* A transcript of one 4 MiB line that NFC changes everywhere. */
static void
test_builder_long_line (gconstpointer data)
{
  const LongLine *c = data;
  g_autofree char *text = repeat (c->piece, 4 * 1024 * 1024 - 16);
  g_autoptr(GPtrArray) paragraphs = cw_paragraph_array_new ();
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();

  g_ptr_array_add (paragraphs, cw_paragraph_new (text, -1));
  document = cw_parsed_document_build (paragraphs, "lang.txt", &error);
  g_assert_no_error (error);
  g_assert_nonnull (document);
  g_assert_true (g_str_has_prefix (document->text, c->first));
  g_assert_cmpint (g_utf8_strlen (document->text, -1), ==, document->characters);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, LIMIT_SECONDS);
}

/* A header of 100,000 columns: the duplicate check was quadratic. */
static void
test_csv_many_columns (void)
{
  g_autoptr(GString) csv = g_string_new ("id");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();

  for (guint i = 1; i < 100000; i++)
    g_string_append_printf (csv, ";kolom%u", i);
  g_string_append (csv, ";KOLOM7\n1");
  for (guint i = 1; i <= 100000; i++)
    g_string_append (csv, ";1");
  g_string_append_c (csv, '\n');
  bytes = g_bytes_new (csv->str, csv->len);

  g_assert_false (_cw_cases_check_csv (bytes, "breed.csv", NULL, &error));
  g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==, "breed.csv:1: columns 8 and 100001 are both named “KOLOM7”");
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, LIMIT_SECONDS);
}

/* A CR or another control character inside a line ("&#13;" in Word's
 * XML or a subtitle) is a space in the stored text, which has only LF. */
static void
test_control_characters (void)
{
  static const char srt[] = "1\n00:00:01,000 --> 00:00:02,000\nja&#13;nee&#x1;!\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (srt, sizeof srt - 1);
  g_autoptr(GPtrArray) cues = NULL;
  g_autoptr(GPtrArray) paragraphs = cw_paragraph_array_new ();
  g_autoptr(CwParsedDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  cues = cw_import_parse_srt (bytes, "s.srt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cues->len, ==, 1);
  g_assert_cmpstr (((CwParagraph *) cues->pdata[0])->text, ==, "ja nee !");

  g_ptr_array_add (paragraphs, cw_paragraph_new ("I: a\rb\x01" "c\x7f", -1));
  document = cw_parsed_document_build (paragraphs, "w.docx", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->text, ==, "I: a b c ");
}

/* libxml2 quotes the broken bytes in its messages; a CSV cell may hold a
 * newline: the error is still one line of valid UTF-8. */
static void
test_error_one_valid_line (void)
{
  g_autoptr(GError) error = NULL;

  cw_import_set_error (&error, CW_IMPORT_ERROR_CORRUPT, "a.odt", 3, "not well-formed XML (%s)",
                       "Comment not terminated \n<!--x\xc6)\t\r");
  g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, ==, "a.odt:3: not well-formed XML (Comment not terminated  <!--x\xef\xbf\xbd)  )");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fuzz-found/nfc/same-as-glib", test_nfc_same_as_glib);
  g_test_add_func ("/fuzz-found/nfc/stream-safe", test_nfc_stream_safe);
  for (guint i = 0; i < G_N_ELEMENTS (long_lines); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fuzz-found/builder/long-line/%s", long_lines[i].name);

      g_test_add_data_func (path, &long_lines[i], test_builder_long_line);
    }
  g_test_add_func ("/fuzz-found/csv/many-columns", test_csv_many_columns);
  g_test_add_func ("/fuzz-found/error/one-valid-line", test_error_one_valid_line);
  g_test_add_func ("/fuzz-found/control-characters", test_control_characters);
  return g_test_run ();
}
