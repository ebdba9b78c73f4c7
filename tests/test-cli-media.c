/* test-cli-media.c: recordings and turn times as a user drives
 * codewerk-cli: attach (relative and absolute storage, the JSON, refusals
 * that change nothing), recording (found, moved with the project, missing,
 * none), detach and undo, turn-time (the time formats, clearing, errors)
 * and at-time on the example's subtitle interview, on copies of the
 * example project. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"

#define SRT_DOC "werkgever-interview-supermarkt.srt"
#define TXT_DOC "arena-praktijkschool-de-brug.txt"

typedef struct
{
  char *dir;
  char *folder;  /* dir/project: the project and its audio folder */
  char *path;    /* the project file */
  char *wav;     /* dir/project/audio/supermarkt.wav */
} Fixture;

static void
put_le (GByteArray *bytes,
        guint32     value,
        guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      guint8 b = (value >> (8 * i)) & 0xFF;

      g_byte_array_append (bytes, &b, 1);
    }
}

/* A small real WAV file: 0.1 s of 440 Hz, mono, 16 bit, 8 kHz. */
static char *
write_wav (const char *dir,
           const char *name)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_byte_array_append (bytes, (const guint8 *) "RIFF", 4);
  put_le (bytes, 36 + 1600, 4);
  g_byte_array_append (bytes, (const guint8 *) "WAVEfmt ", 8);
  put_le (bytes, 16, 4);
  put_le (bytes, 1, 2);
  put_le (bytes, 1, 2);
  put_le (bytes, 8000, 4);
  put_le (bytes, 16000, 4);
  put_le (bytes, 2, 2);
  put_le (bytes, 16, 2);
  g_byte_array_append (bytes, (const guint8 *) "data", 4);
  put_le (bytes, 1600, 4);
  for (guint i = 0; i < 800; i++)
    put_le (bytes, (guint16) (gint16) (8000 * sin (2 * G_PI * 440 * i / 8000.0)), 2);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cw_test_make_dir ();
  f->folder = g_build_filename (f->dir, "project", NULL);
  g_assert_cmpint (g_mkdir (f->folder, 0755), ==, 0);
  f->path = cw_test_copy_example (f->folder, "supermarkt.codewerk");
  f->wav = write_wav (f->folder, "audio/supermarkt.wav");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->folder);
  g_free (f->path);
  g_free (f->wav);
}

/* Runs a command that must succeed with nothing on stdout or stderr. */
static void
run_quiet (const char *first,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list ap;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("CODEWERK_CLI"));
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  status = cw_test_run ((const char * const *) argv->pdata, &out, &err);
  if (status != 0)
    g_error ("codewerk-cli %s failed (%d): %s", first, status, err);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpstr (out, ==, "");
}

static gboolean
json_bool (GVariant   *object,
           const char *key)
{
  g_autoptr(GVariant) value = cw_test_json_get (object, key);

  return g_variant_get_boolean (value);
}

static void
test_help (void)
{
  g_auto(CwCliResult) r = cw_test_cli ("--help", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "attach PROJECT DOC FILE"));
  g_assert_nonnull (strstr (r.out, "detach PROJECT DOC"));
  g_assert_nonnull (strstr (r.out, "recording PROJECT DOC"));
  g_assert_nonnull (strstr (r.out, "turn-time PROJECT DOC INDEX SECONDS|none"));
  g_assert_nonnull (strstr (r.out, "at-time PROJECT DOC SECONDS"));
}

static void
test_attach (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GVariant) attached = NULL;
  g_autoptr(GVariant) shown = NULL;
  g_autoptr(GVariant) other = NULL;
  g_autofree char *outside_dir = g_build_filename (f->dir, "opnamen", NULL);
  g_autofree char *outside = write_wav (outside_dir, "brug.wav");
  g_autofree char *expected_line = NULL;

  attached = cw_test_cli_json ("attach", f->path, SRT_DOC, f->wav, "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (attached, "document"), ==, SRT_DOC);
  g_assert_cmpstr (cw_test_json_str (attached, "path"), ==, "audio/supermarkt.wav");
  g_assert_cmpstr (cw_test_json_str (attached, "resolved"), ==, f->wav);
  g_assert_cmpstr (cw_test_json_str (attached, "kind"), ==, "audio");
  g_assert_cmpstr (cw_test_json_str (attached, "content_type"), ==, "audio/x-wav");

  shown = cw_test_cli_json ("recording", f->path, SRT_DOC, "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (shown, "path"), ==, "audio/supermarkt.wav");
  g_assert_cmpstr (cw_test_json_str (shown, "resolved"), ==, f->wav);
  g_assert_true (json_bool (shown, "exists"));

  /* Plain: path, where found, kind, content type. */
  {
    g_auto(CwCliResult) r = cw_test_cli ("recording", f->path, SRT_DOC, NULL);

    expected_line = g_strdup_printf ("audio/supermarkt.wav\t%s\taudio\taudio/x-wav\n", f->wav);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, expected_line);
    g_assert_cmpstr (r.err, ==, "");
  }

  /* Outside the project's folder: absolute. By document id as well. */
  run_quiet ("attach", f->path, TXT_DOC, outside, NULL);
  other = cw_test_cli_json ("recording", f->path, TXT_DOC, "--json", NULL);
  g_assert_cmpstr (cw_test_json_str (other, "path"), ==, outside);
  g_assert_cmpstr (cw_test_json_str (other, "resolved"), ==, outside);

  /* A document without a recording: null, or nothing, and success. */
  {
    g_auto(CwCliResult) json = cw_test_cli ("recording", f->path, "werkgever-interview-bakkerij.txt", "--json", NULL);
    g_auto(CwCliResult) plain = cw_test_cli ("recording", f->path, "werkgever-interview-bakkerij.txt", NULL);

    g_assert_cmpint (json.status, ==, 0);
    g_assert_cmpstr (json.out, ==, "null\n");
    g_assert_cmpstr (json.err, ==, "");
    g_assert_cmpint (plain.status, ==, 0);
    g_assert_cmpstr (plain.out, ==, "");
    g_assert_cmpstr (plain.err, ==, "");
  }
}

/* Refused attachments: the error line names the file; nothing changes. */
static void
test_attach_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = g_build_filename (f->folder, "audio", "geen-opname.mp3", NULL);
  g_autofree char *empty = g_build_filename (f->folder, "audio", "leeg.wav", NULL);
  g_autofree char *missing = g_build_filename (f->folder, "audio", "weg.m4a", NULL);
  g_autofree char *other_project = g_build_filename (f->dir, "bestaat-niet.codewerk", NULL);

  run_quiet ("attach", f->path, SRT_DOC, f->wav, NULL);
  g_assert_true (g_file_set_contents (text, "INTERVIEWER: dit is tekst, geen geluid.\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  before = cw_test_dump (f->path);

  {
    g_auto(CwCliResult) r = cw_test_cli ("attach", f->path, TXT_DOC, text, NULL);
    g_autofree char *start = g_strdup_printf ("codewerk-cli: error: %s: not an audio or video file", text);

    cw_test_assert_cli_failure (&r, 1, text);
    g_assert_true (g_str_has_prefix (r.err, start));
  }
  {
    /* Replacing a good recording with an empty file keeps the good one. */
    g_auto(CwCliResult) r = cw_test_cli ("attach", f->path, SRT_DOC, empty, "--json", NULL);

    cw_test_assert_cli_failure (&r, 1, empty);
    g_assert_nonnull (strstr (r.err, "empty"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("attach", f->path, TXT_DOC, missing, NULL);

    cw_test_assert_cli_failure (&r, 1, missing);
    g_assert_nonnull (strstr (r.err, "no such file"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("attach", f->path, TXT_DOC, f->folder, NULL);

    cw_test_assert_cli_failure (&r, 1, f->folder);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("attach", f->path, "geen-document.txt", f->wav, NULL);

    cw_test_assert_cli_failure (&r, 1, "geen-document.txt");
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("attach", other_project, SRT_DOC, f->wav, NULL);

    cw_test_assert_cli_failure (&r, 1, other_project);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("attach", f->path, SRT_DOC, NULL);

    g_assert_cmpint (r.status, ==, 2);
    g_assert_cmpstr (r.out, ==, "");
    g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: error: "));
  }

  after = cw_test_dump (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* The project's folder moved with its recordings, then the recordings
 * moved away; detach and undo. */
static void
test_moved (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *moved = g_build_filename (f->dir, "verhuisd", NULL);
  g_autofree char *moved_path = g_build_filename (moved, "supermarkt.codewerk", NULL);
  g_autofree char *moved_wav = g_build_filename (moved, "audio", "supermarkt.wav", NULL);
  g_autofree char *moved_audio = g_build_filename (moved, "audio", NULL);
  g_autofree char *gone_audio = g_build_filename (f->dir, "ergens", NULL);

  run_quiet ("attach", f->path, SRT_DOC, f->wav, NULL);
  g_assert_cmpint (g_rename (f->folder, moved), ==, 0);
  {
    g_autoptr(GVariant) shown = cw_test_cli_json ("recording", moved_path, SRT_DOC, "--json", NULL);

    g_assert_cmpstr (cw_test_json_str (shown, "resolved"), ==, moved_wav);
  }

  /* Missing: still listed, resolved null, and a warning on stderr. */
  g_assert_cmpint (g_rename (moved_audio, gone_audio), ==, 0);
  {
    g_auto(CwCliResult) r = cw_test_cli ("recording", moved_path, SRT_DOC, "--json", NULL);
    g_autoptr(GVariant) shown = NULL;

    g_assert_cmpint (r.status, ==, 0);
    shown = cw_test_parse_json (r.out);
    g_assert_true (cw_test_json_is_null (shown, "resolved"));
    g_assert_false (json_bool (shown, "exists"));
    g_assert_cmpstr (cw_test_json_str (shown, "path"), ==, "audio/supermarkt.wav");
    g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: warning: "));
    g_assert_nonnull (strstr (r.err, "missing"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("recording", moved_path, SRT_DOC, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_cmpstr (r.out, ==, "audio/supermarkt.wav\t-\taudio\taudio/x-wav\n");
  }

  /* Attaching it where it is now finds it again; detach and undo. */
  {
    g_autofree char *there = g_build_filename (gone_audio, "supermarkt.wav", NULL);
    g_autoptr(GVariant) attached = cw_test_cli_json ("attach", moved_path, SRT_DOC, there, "--json", NULL);

    g_assert_cmpstr (cw_test_json_str (attached, "path"), ==, there);
  }
  run_quiet ("detach", moved_path, SRT_DOC, NULL);
  {
    g_auto(CwCliResult) r = cw_test_cli ("recording", moved_path, SRT_DOC, "--json", NULL);

    g_assert_cmpstr (r.out, ==, "null\n");
  }
  /* Detaching again is no error. */
  run_quiet ("detach", moved_path, SRT_DOC, NULL);
  {
    g_auto(CwCliResult) r = cw_test_cli ("undo", moved_path, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Detach recording from “" SRT_DOC "”"));
  }
  {
    g_autoptr(GVariant) shown = cw_test_cli_json ("recording", moved_path, SRT_DOC, "--json", NULL);

    g_assert_true (json_bool (shown, "exists"));
  }
}

static double
turn_time (const char *path,
           const char *doc,
           gsize       index)
{
  g_autoptr(GVariant) turns = cw_test_cli_json ("turns", path, doc, "--json", NULL);
  g_autoptr(GVariant) turn = cw_test_json_at (turns, index);
  g_autoptr(GVariant) time = NULL;

  if (cw_test_json_is_null (turn, "time"))
    return -1;
  time = cw_test_json_get (turn, "time");
  return g_variant_get_double (time);
}

static void
test_turn_time (Fixture       *f,
                gconstpointer  data)
{
  static const struct
  {
    const char *text;
    double      seconds;
  } times[] = {
    { "83.5", 83.5 },
    { "83", 83 },
    { "0", 0 },
    { "1:02.5", 62.5 },
    { "01:02", 62 },
    { "1:00:00", 3600 },
    { "01:02:03.250", 3723.25 },
    { "00:00:12,693", 12.693 },
    { ".5", 0.5 },
  };
  static const char *const bad[] = {
    "-3", "abc", "1:75", "1:00:75", "1:2:3:4", "", "12.", "1e3", "inf", "nan", "1::2", " 12", "0x10",
  };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpfloat (turn_time (f->path, TXT_DOC, 2), <, 0);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_test_message ("%s", times[i].text);
      run_quiet ("turn-time", f->path, TXT_DOC, "2", times[i].text, NULL);
      g_assert_cmpfloat (fabs (turn_time (f->path, TXT_DOC, 2) - times[i].seconds), <, 1e-9);
    }

  /* --json prints the turn. */
  {
    g_autoptr(GVariant) turn = cw_test_cli_json ("turn-time", f->path, TXT_DOC, "2", "2:00", "--json", NULL);
    g_autoptr(GVariant) time = cw_test_json_get (turn, "time");

    g_assert_cmpint (cw_test_json_int (turn, "index"), ==, 2);
    g_assert_cmpfloat (g_variant_get_double (time), ==, 120);
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("undo", f->path, NULL);

    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Set a turn's time in “" TXT_DOC "”"));
  }
  g_assert_cmpfloat (fabs (turn_time (f->path, TXT_DOC, 2) - 0.5), <, 1e-9);

  run_quiet ("turn-time", f->path, TXT_DOC, "2", "none", NULL);
  g_assert_cmpfloat (turn_time (f->path, TXT_DOC, 2), <, 0);

  /* Refusals: usage (2) for what is not a time or an index, failure (1)
   * for a turn the document does not have; nothing changes. */
  before = cw_test_dump (f->path);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(CwCliResult) r = cw_test_cli ("turn-time", f->path, TXT_DOC, "2", bad[i], NULL);

      g_test_message ("'%s'", bad[i]);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: error: SECONDS"));
    }
  {
    g_auto(CwCliResult) r = cw_test_cli ("turn-time", f->path, TXT_DOC, "twee", "12", NULL);

    g_assert_cmpint (r.status, ==, 2);
    g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: error: INDEX"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("turn-time", f->path, TXT_DOC, "100000", "12", NULL);

    cw_test_assert_cli_failure (&r, 1, f->path);
    g_assert_nonnull (strstr (r.err, "no turn 100000"));
  }
  {
    g_auto(CwCliResult) r = cw_test_cli ("turn-time", f->path, "geen-document.txt", "0", "12", NULL);

    cw_test_assert_cli_failure (&r, 1, "geen-document.txt");
  }
  after = cw_test_dump (f->path);
  g_assert_cmpstr (after, ==, before);
}

/* at-time on the subtitle interview, whose cues start at 1.000, 5.779 and
 * 12.693 seconds. */
static void
test_at_time (Fixture       *f,
              gconstpointer  data)
{
  static const struct
  {
    const char *time;
    int         index;
  } cases[] = {
    { "0", -1 },
    { "0.999", -1 },
    { "1", 0 },
    { "5.7", 0 },
    { "5.779", 1 },
    { "00:00:06", 1 },
    { "00:00:12,693", 2 },
    { "12.7", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CwCliResult) r = cw_test_cli ("at-time", f->path, SRT_DOC, cases[i].time, "--json", NULL);
      g_autoptr(GVariant) turn = NULL;

      g_test_message ("%s", cases[i].time);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      if (cases[i].index < 0)
        {
          g_assert_cmpstr (r.out, ==, "null\n");
          continue;
        }
      turn = cw_test_parse_json (r.out);
      g_assert_cmpint (cw_test_json_int (turn, "index"), ==, cases[i].index);
    }

  {
    g_autoptr(GVariant) turn = cw_test_cli_json ("at-time", f->path, SRT_DOC, "6", "--json", NULL);
    g_autoptr(GVariant) time = cw_test_json_get (turn, "time");
    g_auto(CwCliResult) plain = cw_test_cli ("at-time", f->path, SRT_DOC, "6", NULL);
    g_auto(CwCliResult) before = cw_test_cli ("at-time", f->path, SRT_DOC, "0.5", NULL);
    g_autofree char *line = g_strdup_printf ("1\tWERKGEVER\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t00:00:05.779\n",
                                             cw_test_json_int (turn, "start"), cw_test_json_int (turn, "end"));

    g_assert_cmpstr (cw_test_json_str (turn, "speaker"), ==, "WERKGEVER");
    g_assert_cmpfloat (g_variant_get_double (time), ==, 5.779);
    g_assert_cmpint (plain.status, ==, 0);
    g_assert_cmpstr (plain.out, ==, line);
    g_assert_cmpint (before.status, ==, 0);
    g_assert_cmpstr (before.out, ==, "");
  }

  /* A time set by hand counts at once. */
  run_quiet ("turn-time", f->path, TXT_DOC, "3", "0:30", NULL);
  {
    g_autoptr(GVariant) turn = cw_test_cli_json ("at-time", f->path, TXT_DOC, "45", "--json", NULL);

    g_assert_cmpint (cw_test_json_int (turn, "index"), ==, 3);
  }

  {
    g_auto(CwCliResult) r = cw_test_cli ("at-time", f->path, SRT_DOC, "soon", NULL);

    g_assert_cmpint (r.status, ==, 2);
    g_assert_true (g_str_has_prefix (r.err, "codewerk-cli: error: SECONDS"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-media/help", test_help);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli-media/attach", test_attach);
  ADD ("/cli-media/attach-refused", test_attach_refused);
  ADD ("/cli-media/moved", test_moved);
  ADD ("/cli-media/turn-time", test_turn_time);
  ADD ("/cli-media/at-time", test_at_time);
#undef ADD

  return g_test_run ();
}
