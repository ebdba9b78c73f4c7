/* gen-text.c: the text half of the hostile corpus (see cw-hostile-gen.h):
 * transcripts (txt, f4, srt, vtt), cohort files (csv, tsv, sav) and files
 * posing as projects (open, merge). Every file is made here, byte by byte,
 * so the corpus is the same on every run. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <readstat.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cw-hostile-gen.h"

#define MIB (1024 * 1024)
/* A string literal with its NUL bytes: data and length for cw_hostile_add. */
#define BYTES(literal) (literal), (sizeof (literal) - 1)

/* "CWRK", as app/core/cw-project.h; the generator does not link the core. */
#define CODEWERK_APPLICATION_ID 0x4357524B

static char *
corpus_path (CwHostileCorpus *corpus,
             const char      *name)
{
  return g_build_filename (cw_hostile_corpus_get_dir (corpus), name, NULL);
}

static gboolean
add_text (CwHostileCorpus *corpus,
          const char      *name,
          const char      *command,
          int              line,
          const char      *reason,
          const char      *text,
          GError         **error)
{
  return cw_hostile_add (corpus, name, command, line, reason, text, strlen (text), error);
}

static gboolean
set_io_error (GError     **error,
              const char  *path,
              int          saved_errno)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

/* A fixed xorshift generator: the same "random" bytes on every machine. */
static void
fill_random (guchar  *data,
             gsize    length,
             guint32  seed,
             gboolean no_nul)
{
  guint32 x = seed != 0 ? seed : 0x9E3779B9u;

  for (gsize i = 0; i < length; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      data[i] = (guchar) (x >> 24);
      if (no_nul && data[i] == 0)
        data[i] = 0x01;
    }
}

static gboolean
add_random (CwHostileCorpus *corpus,
            const char      *name,
            const char      *command,
            int              line,
            const char      *reason,
            const char      *prefix,
            gsize            length,
            guint32          seed,
            gboolean         no_nul,
            GError         **error)
{
  gsize prefix_len = prefix != NULL ? strlen (prefix) : 0;
  g_autofree guchar *data = g_malloc (prefix_len + length);

  if (prefix_len > 0)
    memcpy (data, prefix, prefix_len);
  fill_random (data + prefix_len, length, seed, no_nul);
  return cw_hostile_add (corpus, name, command, line, reason, data, prefix_len + length, error);
}

/* Letters with control characters between them (no NUL, no line breaks):
 * one in two, where a stray one in a Word export is forgiven. */
static gboolean
add_controls (CwHostileCorpus *corpus,
              const char      *name,
              GError         **error)
{
  guchar data[16384];

  fill_random (data, sizeof data, 13, FALSE);
  for (gsize i = 0; i < sizeof data; i++)
    data[i] = data[i] < 0x80 ? (guchar) (0x01 + data[i] % 8) : (guchar) ('a' + data[i] % 26);
  return cw_hostile_add (corpus, name, "import", 0, "binary", data, sizeof data, error);
}

/* Writes head, then `count` copies of unit, then tail, streaming: the big
 * files are never held in memory here either. */
static gboolean
add_repeated (CwHostileCorpus *corpus,
              const char      *name,
              const char      *command,
              int              line,
              const char      *reason,
              const char      *head,
              const char      *unit,
              gsize            count,
              const char      *tail,
              GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);
  gsize unit_len = strlen (unit);
  g_autoptr(GString) block = g_string_new (NULL);
  FILE *out = fopen (path, "wb");
  gboolean ok;

  if (out == NULL)
    return set_io_error (error, path, errno);
  /* Units in blocks of about 1 MiB. */
  while (block->len < MIB && block->len / unit_len < count)
    g_string_append (block, unit);
  ok = fputs (head, out) >= 0;
  for (gsize done = 0; ok && done < count;)
    {
      gsize n = MIN (count - done, block->len / unit_len);

      ok = fwrite (block->str, unit_len, n, out) == n;
      done += n;
    }
  ok = ok && fputs (tail, out) >= 0;
  if (fclose (out) != 0 || !ok)
    return set_io_error (error, path, errno != 0 ? errno : EIO);
  return cw_hostile_add_written (corpus, name, command, line, reason, error);
}

/* A file of `size` bytes that takes no room on disk: reads give zeros,
 * but nobody should read it, its size alone is refused. */
static gboolean
add_sparse (CwHostileCorpus *corpus,
            const char      *name,
            const char      *command,
            const char      *reason,
            goffset          size,
            GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  if (fd < 0)
    return set_io_error (error, path, errno);
  if (ftruncate (fd, size) != 0)
    {
      int saved = errno;

      close (fd);
      return set_io_error (error, path, saved);
    }
  close (fd);
  return cw_hostile_add_written (corpus, name, command, 0, reason, error);
}

/* NAME as a symbolic link to target (a device: reading never ends). */
static gboolean
add_symlink (CwHostileCorpus *corpus,
             const char      *name,
             const char      *command,
             const char      *reason,
             const char      *target,
             GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);

  g_unlink (path);
  if (symlink (target, path) != 0)
    return set_io_error (error, path, errno);
  return cw_hostile_add_written (corpus, name, command, 0, reason, error);
}

/* A named pipe: opening it for reading blocks until someone writes. */
static gboolean
add_fifo (CwHostileCorpus *corpus,
          const char      *name,
          const char      *command,
          const char      *reason,
          GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);

  g_unlink (path);
  if (mkfifo (path, 0644) != 0)
    return set_io_error (error, path, errno);
  return cw_hostile_add_written (corpus, name, command, 0, reason, error);
}

static gboolean
add_directory (CwHostileCorpus *corpus,
               const char      *name,
               const char      *command,
               const char      *reason,
               GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);

  if (g_mkdir_with_parents (path, 0755) != 0)
    return set_io_error (error, path, errno);
  return cw_hostile_add_written (corpus, name, command, 0, reason, error);
}

/* ---- transcripts ---- */

/* A whole 1x1 PNG, as an image editor writes it. */
static const guchar png_1x1[] = {
  0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
  0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
  0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
  0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
};

/* Text in UTF-16 without the byte order mark that says so. */
static gboolean
add_utf16_without_bom (CwHostileCorpus *corpus,
                       const char      *name,
                       gboolean         big_endian,
                       GError         **error)
{
  static const char text[] = "Interviewer: Hoe ging de stage?\r\nRespondent: Goed, ik mag blijven.\r\n";
  g_autoptr(GByteArray) data = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 pair[2] = { big_endian ? 0 : (guint8) *p, big_endian ? (guint8) *p : 0 };

      g_byte_array_append (data, pair, 2);
    }
  return cw_hostile_add (corpus, name, "import", 0, "UTF-16", data->data, data->len, error);
}

static gboolean
gen_transcripts (CwHostileCorpus *corpus,
                 GError         **error)
{
  return
    /* Nothing, or nothing to read. */
    add_text (corpus, "txt-empty.txt", "import", 0, "empty", "", error) &&
    add_text (corpus, "txt-blank.txt", "import", 0, "empty", "\n\n   \r\n\t\n\xef\xbb\xbf \n", error) &&
    /* Binary data under a text name: a NUL byte is never text (no line:
     * binary data has none), nor is a file full of control characters. */
    cw_hostile_add (corpus, "txt-nul-bytes.txt", "import", 0, "binary",
                    BYTES ("Interviewer: Hoe gaat het?\nRespondent: Goed.\nI: En\0\0\0 dan?\n"), error) &&
    cw_hostile_add (corpus, "txt-png.txt", "import", 0, "binary", png_1x1, sizeof png_1x1, error) &&
    add_random (corpus, "txt-random.txt", "import", 0, "binary", NULL, 65536, 11, FALSE, error) &&
    add_controls (corpus, "txt-control-characters.txt", error) &&
    /* Not UTF-8, and not Windows-1252 either: the five bytes that code page
     * leaves undefined, more than the eight strays the decoder forgives
     * (Mac Roman, Shift-JIS and the like). Line 3 has the first. */
    add_text (corpus, "txt-not-windows-1252.txt", "import", 3, "Windows-1252",
              "Interviewer: Vertel eens over je stage.\n"
              "Respondent: Dat was bij de bakker.\n"
              "I: En \x81\x8d\x8f\x90\x9d daarna \x81\x8d\x8f\x90\x9d?\n"
              "R: Toen \x81\x8d\x8f\x90\x9d ging ik naar het ROC.\n", error) &&
    add_utf16_without_bom (corpus, "txt-utf16le-no-bom.txt", FALSE, error) &&
    add_utf16_without_bom (corpus, "txt-utf16be-no-bom.txt", TRUE, error) &&
    cw_hostile_add (corpus, "txt-utf16-odd-length.txt", "import", 0, "odd number of bytes",
                    BYTES ("\xff\xfe" "I\0:\0 \0h\0o\0i\0!"), error) &&
    cw_hostile_add (corpus, "txt-utf16-lone-surrogate.txt", "import", 2, "surrogate",
                    BYTES ("\xff\xfe" "I\0:\0 \0h\0o\0i\0\r\0\n\0R\0:\0 \0\x00\xd8" "a\0"), error) &&
    /* A line no transcript has: 5 MiB without a newline, on line 3. */
    add_repeated (corpus, "txt-long-line.txt", "import", 3, "longer than",
                  "Interviewer: Vertel.\nRespondent: Nou,\n", "en toen ", 5 * MIB / 8, "\nI: Dank je.\n", error) &&
    /* Over the size cap: 64 MiB on one line, and 4 GiB that takes no disk. */
    add_repeated (corpus, "txt-64mib-one-line.txt", "import", 0, "larger than",
                  "", "blablabla ", 64 * MIB / 10 + 1, "", error) &&
    add_sparse (corpus, "txt-4gib-sparse.txt", "import", "larger than", (goffset) 4 * 1024 * MIB, error) &&
    /* Not files: a device (reading never ends), a pipe (reading blocks), a folder. */
    add_symlink (corpus, "txt-dev-zero.txt", "import", "regular file", "/dev/zero", error) &&
    add_fifo (corpus, "txt-fifo.txt", "import", "regular file", error) &&
    add_directory (corpus, "txt-folder.txt", "import", "regular file", error);
}

/* f4/f5 transcripts: #hh:mm:ss-d# stamps that cannot be read. */
static gboolean
gen_f4 (CwHostileCorpus *corpus,
        GError         **error)
{
  return
    add_text (corpus, "f4-minutes-out-of-range.txt", "import", 2, "timestamp",
              "I: Hoe gaat het op school? #00:00:12-3#\n"
              "R: Goed, ik heb een stage. #00:75:20-1#\n"
              "I: Waar? #00:01:02-0#\n", error) &&
    add_text (corpus, "f4-seconds-one-digit.txt", "import", 3, "timestamp",
              "I: Hoe gaat het? #00:00:12-3#\n"
              "R: Goed. #00:00:15-8#\n"
              "I: En thuis? #00:00:2-1#\n", error) &&
    add_text (corpus, "f4-hours-huge.txt", "import", 1, "timestamp",
              "I: Vertel. #123456789012:00:00-0#\nR: Nee.\n", error) &&
    add_text (corpus, "f4-two-fields.txt", "import", 4, "timestamp",
              "#00:00:01-0#\nI: Begin.\n"
              "R: Ja.\n"
              "I: En toen? #12:61#\n", error);
}

static gboolean
gen_subtitles (CwHostileCorpus *corpus,
               GError         **error)
{
  return
    add_text (corpus, "srt-bad-timestamp.srt", "import", 6, "timing line",
              "1\n00:00:01,000 --> 00:00:04,000\nHallo.\n\n"
              "2\n00:00:0x,000 --> 00:00:06,000\nDag.\n", error) &&
    add_text (corpus, "srt-end-before-start.srt", "import", 6, "ends before it starts",
              "1\n00:00:01,000 --> 00:00:04,000\nHallo.\n\n"
              "2\n00:00:09,000 --> 00:00:05,000\nDag.\n", error) &&
    add_text (corpus, "srt-minutes-60.srt", "import", 2, "timing line",
              "1\n00:60:00,000 --> 00:61:00,000\nHallo.\n", error) &&
    add_text (corpus, "srt-seconds-99.srt", "import", 2, "timing line",
              "1\n00:00:99,000 --> 00:01:00,000\nHallo.\n", error) &&
    add_text (corpus, "srt-hours-overflow.srt", "import", 2, "timing line",
              "1\n99999999999999999999:00:00,000 --> 99999999999999999999:00:01,000\nHallo.\n", error) &&
    add_text (corpus, "srt-negative.srt", "import", 2, "timing line",
              "1\n-00:00:01,000 --> 00:00:02,000\nHallo.\n", error) &&
    add_text (corpus, "srt-no-cues.srt", "import", 1, "subtitle number or timing line",
              "Dit is gewoon tekst, geen ondertitels.\nNog een regel.\n", error) &&
    add_text (corpus, "srt-ends-after-number.srt", "import", 6, "ends before",
              "1\n00:00:01,000 --> 00:00:02,000\nHoi.\n\n2\n", error) &&
    add_random (corpus, "srt-binary.srt", "import", 0, "binary", "1\n00:00:01,000 --> 00:00:02,000\n",
                4096, 21, FALSE, error) &&
    add_text (corpus, "srt-empty.srt", "import", 0, "empty", "", error) &&
    add_text (corpus, "vtt-no-header.vtt", "import", 0, "WEBVTT",
              "00:00:01.000 --> 00:00:02.000\nHoi.\n", error) &&
    add_text (corpus, "vtt-header-lookalike.vtt", "import", 0, "WEBVTT",
              "\xef\xbb\xbfWEBVTTX\n\n00:00:01.000 --> 00:00:02.000\nHoi.\n", error) &&
    add_text (corpus, "vtt-bad-timestamp.vtt", "import", 4, "timing line",
              "WEBVTT\n\n1\n00:00:01.000 --> 00:00:xx.000\nHoi.\n", error) &&
    add_text (corpus, "vtt-end-before-start.vtt", "import", 6, "ends before it starts",
              "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHoi.\n\n"
              "01:00:00.000 --> 00:59:59.999\nDag.\n", error) &&
    add_text (corpus, "vtt-header-only.vtt", "import", 0, "no subtitles", "WEBVTT\n\n", error) &&
    cw_hostile_add (corpus, "vtt-nul.vtt", "import", 0, "binary",
                    BYTES ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHa\0llo\n"), error) &&
    add_repeated (corpus, "vtt-long-cue.vtt", "import", 4, "longer than",
                  "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n", "<v Jan>hoi ", 5 * MIB / 11, "\n", error);
}

/* ---- cohort files ---- */

static gboolean
gen_csv (CwHostileCorpus *corpus,
         GError         **error)
{
  return
    add_text (corpus, "csv-ragged-short.csv", "cases-import", 3, "2 fields where the header",
              "id;leeftijd;school\nP01;17;ROC Zwolle\nP02;18\nP03;19;Praktijkschool\n", error) &&
    add_text (corpus, "csv-ragged-long.csv", "cases-import", 4, "5 fields where the header",
              "id,leeftijd,school\nP01,17,ROC\nP02,18,MBO\nP03,19,ROC,extra,meer\n", error) &&
    add_text (corpus, "tsv-ragged.tsv", "cases-import", 3, "1 field where the header",
              "respnr\tiq\tpolitie\n101\t68\tja\n102\n103\t71\tnee\n", error) &&
    add_text (corpus, "csv-duplicate-id.csv", "cases-import", 4, "also on line 2",
              "id;leeftijd\nP01;17\nP02;18\nP01;19\n", error) &&
    /* The id repeated holds a newline: the error line must stay one line. */
    add_text (corpus, "csv-duplicate-id-newline.csv", "cases-import", 4, "also on line 2",
              "id;leeftijd\n\"P\n01\";17\n\"P\n01\";18\n", error) &&
    add_text (corpus, "csv-empty-id.csv", "cases-import", 3, "empty id",
              "id;leeftijd\nP01;17\n;18\nP03;19\n", error) &&
    add_text (corpus, "csv-no-id-column.csv", "cases-import", 1, "no id column",
              "naam;leeftijd\nJan;17\nPiet;18\n", error) &&
    add_text (corpus, "csv-no-header.csv", "cases-import", 1, "no id column",
              "P01;17;ROC\nP02;18;MBO\n", error) &&
    add_text (corpus, "csv-only-header.csv", "cases-import", 0, "only a header",
              "id;leeftijd;school\n", error) &&
    add_text (corpus, "csv-empty.csv", "cases-import", 0, "empty", "", error) &&
    add_text (corpus, "csv-one-column.csv", "cases-import", 1, "not a table of cases",
              "id\nP01\nP02\n", error) &&
    add_text (corpus, "csv-unnamed-column.csv", "cases-import", 1, "has no name",
              "id;;school\nP01;17;ROC\n", error) &&
    add_text (corpus, "csv-duplicate-column.csv", "cases-import", 1, "both named",
              "id;iq;IQ\nP01;68;70\n", error) &&
    add_text (corpus, "csv-unterminated-quote.csv", "cases-import", 3, "never ends",
              "id;naam\nP01;Jan\nP02;\"Piet\nP03;Kees\n", error) &&
    add_random (corpus, "csv-binary.csv", "cases-import", 0, "binary", "id;x\n", 8192, 31, FALSE, error) &&
    cw_hostile_add (corpus, "csv-nul.csv", "cases-import", 0, "binary",
                    BYTES ("id;leeftijd\nP01;17\nP\0002;18\n"), error) &&
    add_text (corpus, "csv-not-windows-1252.csv", "cases-import", 3, "Windows-1252",
              "id;naam\nP01;Jan\nP02;\x81\x8d\x8f\x90\x9d\x81\x8d\x8f\x90\x9d\n", error) &&
    add_repeated (corpus, "csv-10mib-line.csv", "cases-import", 2, "longer than",
                  "id;opmerking\nP01;", "x", 10 * MIB, "\nP02;kort\n", error) &&
    add_sparse (corpus, "csv-4gib-sparse.csv", "cases-import", "too large", (goffset) 4 * 1024 * MIB, error) &&
    add_symlink (corpus, "csv-dev-zero.csv", "cases-import", "regular file", "/dev/zero", error) &&
    add_fifo (corpus, "csv-fifo.csv", "cases-import", "regular file", error) &&
    add_directory (corpus, "csv-folder.csv", "cases-import", "regular file", error);
}

static ssize_t
write_to_array (const void *data,
                size_t      length,
                void       *ctx)
{
  g_byte_array_append (ctx, data, (guint) length);
  return (ssize_t) length;
}

/* A small valid .sav from libreadstat's own writer (dated 1 January 1970,
 * so the bytes never change). */
static GByteArray *
valid_sav (GError **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  readstat_writer_t *writer = readstat_writer_init ();
  readstat_variable_t *id, *iq, *name;
  readstat_error_t rc;

  readstat_set_data_writer (writer, write_to_array);
  readstat_writer_set_file_timestamp (writer, 0);
  readstat_writer_set_file_label (writer, "Cohort");
  id = readstat_add_variable (writer, "respnr", READSTAT_TYPE_DOUBLE, 0);
  iq = readstat_add_variable (writer, "iq", READSTAT_TYPE_DOUBLE, 0);
  name = readstat_add_variable (writer, "naam", READSTAT_TYPE_STRING, 16);
  rc = readstat_begin_writing_sav (writer, data, 40);
  for (int row = 0; rc == READSTAT_OK && row < 40; row++)
    {
      rc = readstat_begin_row (writer);
      if (rc == READSTAT_OK)
        rc = readstat_insert_double_value (writer, id, 101 + row);
      if (rc == READSTAT_OK)
        rc = readstat_insert_double_value (writer, iq, 60 + row);
      if (rc == READSTAT_OK)
        rc = readstat_insert_string_value (writer, name, "Deelnemer");
      if (rc == READSTAT_OK)
        rc = readstat_end_row (writer);
    }
  if (rc == READSTAT_OK)
    rc = readstat_end_writing (writer);
  readstat_writer_free (writer);
  if (rc != READSTAT_OK)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "readstat: %s", readstat_error_message (rc));
      return NULL;
    }
  return g_steal_pointer (&data);
}

static gboolean
gen_sav (CwHostileCorpus *corpus,
         GError         **error)
{
  g_autoptr(GByteArray) sav = valid_sav (error);
  g_autoptr(GByteArray) huge = NULL;
  gint32 cases = 2000000000;

  if (sav == NULL)
    return FALSE;
  /* The file header is 176 bytes; its case count sits at byte 80. */
  g_assert (sav->len > 400);
  huge = g_byte_array_sized_new (sav->len);
  g_byte_array_append (huge, sav->data, sav->len);
  memcpy (huge->data + 80, &cases, sizeof cases);

  return
    add_text (corpus, "sav-empty.sav", "cases-import", 0, "SPSS", "", error) &&
    cw_hostile_add (corpus, "sav-header-only.sav", "cases-import", 0, "SPSS", sav->data, 176, error) &&
    cw_hostile_add (corpus, "sav-cut-in-dictionary.sav", "cases-import", 0, "SPSS", sav->data, 300, error) &&
    cw_hostile_add (corpus, "sav-cut-in-data.sav", "cases-import", 0, "SPSS", sav->data, sav->len - 37, error) &&
    add_random (corpus, "sav-random-fl2.sav", "cases-import", 0, "SPSS", "$FL2", 4096, 41, FALSE, error) &&
    /* Magic bytes decide, not the name. */
    add_random (corpus, "sav-random-fl2.csv", "cases-import", 0, "SPSS", "$FL2", 4096, 42, FALSE, error) &&
    cw_hostile_add (corpus, "sav-two-billion-cases.sav", "cases-import", 0, "too large", huge->data, huge->len,
                    error) &&
    add_text (corpus, "sav-text.sav", "cases-import", 0, "SPSS", "id;leeftijd\nP01;17\n", error);
}

/* ---- files posing as projects ---- */

static gboolean
sql_error (GError  **error,
           sqlite3  *db,
           const char *path)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (db));
  sqlite3_close (db);
  return FALSE;
}

/* An SQLite file made with sql (a fresh file each run). */
static gboolean
write_sqlite (const char  *path,
              const char  *sql,
              GError     **error)
{
  sqlite3 *db = NULL;

  g_unlink (path);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    return sql_error (error, db, path);
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (error, db, path);
  sqlite3_close (db);
  return TRUE;
}

/* Tables that look like a project's, with a few pages of text. Left in
 * WAL mode as Codewerk leaves its projects. */
#define LOOKS_LIKE_A_PROJECT \
  "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL;" \
  "CREATE TABLE project (key TEXT PRIMARY KEY, value TEXT);" \
  "INSERT INTO project VALUES ('title', 'Onderzoek');" \
  "CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT, text TEXT);" \
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)" \
  " INSERT INTO documents SELECT i, 'interview-' || i || '.txt', hex(zeroblob(1000)) FROM n;"

static gboolean
add_sqlite (CwHostileCorpus *corpus,
            const char      *name,
            const char      *command,
            const char      *reason,
            const char      *sql,
            GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);

  return write_sqlite (path, sql, error) && cw_hostile_add_written (corpus, name, command, 0, reason, error);
}

/* A project-like file cut to `keep` bytes. (Damaged real projects are
 * made by the test from the example project.) */
static gboolean
add_truncated_sqlite (CwHostileCorpus *corpus,
                      const char      *name,
                      const char      *command,
                      const char      *reason,
                      gsize            keep,
                      GError         **error)
{
  g_autofree char *path = corpus_path (corpus, name);
  g_autofree char *sql = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 5;" LOOKS_LIKE_A_PROJECT,
                                          CODEWERK_APPLICATION_ID);
  g_autofree char *data = NULL;
  gsize length;

  if (!write_sqlite (path, sql, error) || !g_file_get_contents (path, &data, &length, error))
    return FALSE;
  if (keep < length)
    length = keep;
  return cw_hostile_add (corpus, name, command, 0, reason, data, length, error);
}

static gboolean
gen_projects_for (CwHostileCorpus *corpus,
                  const char      *command,
                  GError         **error)
{
  g_autofree char *newer = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 999;"
                                            LOOKS_LIKE_A_PROJECT, CODEWERK_APPLICATION_ID);
  g_autofree char *version0 = g_strdup_printf ("PRAGMA application_id = %d;" LOOKS_LIKE_A_PROJECT,
                                               CODEWERK_APPLICATION_ID);
  g_autofree char *negative_version = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = -3;"
                                                       LOOKS_LIKE_A_PROJECT, CODEWERK_APPLICATION_ID);
  g_autofree char *no_tables = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = 5;"
                                                "PRAGMA journal_mode = WAL; CREATE TABLE leeg (x);",
                                                CODEWERK_APPLICATION_ID);
  /* merge also takes .qdpx, and says so. */
  const char *not_sqlite = strcmp (command, "merge") == 0 ? "neither a Codewerk project nor a REFI-QDA project"
                                                          : "not a Codewerk project";
  guchar sqlite_header[60] = "SQLite format 3";
  struct
  {
    const char *suffix;
    char       *name;
  } names[] = {
    { "text" }, { "empty" }, { "header-only" }, { "other-sqlite" }, { "wrong-application-id" },
    { "negative-application-id" }, { "newer-schema" }, { "version-0" }, { "negative-version" },
    { "no-tables" }, { "truncated" }, { "dev-zero" }, { "folder" },
  };
  gboolean ok;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    names[i].name = g_strdup_printf ("project-%s-%s.codewerk", command, names[i].suffix);
  fill_random (sqlite_header + 16, sizeof sqlite_header - 16, 61, FALSE);

  ok =
    add_text (corpus, names[0].name, command, 0, not_sqlite, "Dit is een tekstbestand, geen project.\n", error) &&
    add_text (corpus, names[1].name, command, 0, not_sqlite, "", error) &&
    cw_hostile_add (corpus, names[2].name, command, 0, "not a Codewerk project", sqlite_header,
                    sizeof sqlite_header, error) &&
    add_sqlite (corpus, names[3].name, command, "not a Codewerk project",
                "CREATE TABLE adressen (naam TEXT, straat TEXT);"
                "INSERT INTO adressen VALUES ('Jan', 'Dorpsstraat 1');", error) &&
    add_sqlite (corpus, names[4].name, command, "not a Codewerk project",
                "PRAGMA application_id = 1397310540; PRAGMA user_version = 5;" LOOKS_LIKE_A_PROJECT, error) &&
    add_sqlite (corpus, names[5].name, command, "not a Codewerk project",
                "PRAGMA application_id = -1; PRAGMA user_version = 5;" LOOKS_LIKE_A_PROJECT, error) &&
    add_sqlite (corpus, names[6].name, command, "newer version", newer, error) &&
    add_sqlite (corpus, names[7].name, command, "not a Codewerk project", version0, error) &&
    add_sqlite (corpus, names[8].name, command, "not a Codewerk project", negative_version, error) &&
    add_sqlite (corpus, names[9].name, command, "not a Codewerk project", no_tables, error) &&
    add_truncated_sqlite (corpus, names[10].name, command, "damaged", 3 * 4096, error) &&
    add_symlink (corpus, names[11].name, command, "regular file", "/dev/zero", error) &&
    add_directory (corpus, names[12].name, command, "regular file", error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_free (names[i].name);
  return ok;
}

gboolean
cw_hostile_gen_text (CwHostileCorpus *corpus,
                     GError         **error)
{
  return gen_transcripts (corpus, error) &&
         gen_f4 (corpus, error) &&
         gen_subtitles (corpus, error) &&
         gen_csv (corpus, error) &&
         gen_sav (corpus, error) &&
         gen_projects_for (corpus, "open", error) &&
         gen_projects_for (corpus, "merge", error);
}
