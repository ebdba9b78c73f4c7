/* test-media.c: recordings of documents (cw-media.h): recognising files by
 * their first bytes, where a recording's path is stored and how it is found
 * again after the project or the recordings moved, relocating a folder of
 * recordings, undo of every change, turn times, the mapping between time
 * and text, and the migration of a version 4 project. */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "cw-history.h"
#include "cw-media.h"
#include "cw-test-util.h"

/* ------------------------------------------------------------------------ */
/* Files the tests write                                                      */

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

/* A real WAV file: RIFF header, fmt chunk (PCM, mono, 16 bit, 8 kHz) and
 * a tenth of a second of a 440 Hz tone. */
static GBytes *
make_wav (void)
{
  GByteArray *bytes = g_byte_array_new ();
  const guint rate = 8000, n_samples = 800;

  g_byte_array_append (bytes, (const guint8 *) "RIFF", 4);
  put_le (bytes, 36 + n_samples * 2, 4);
  g_byte_array_append (bytes, (const guint8 *) "WAVEfmt ", 8);
  put_le (bytes, 16, 4);
  put_le (bytes, 1, 2);           /* PCM */
  put_le (bytes, 1, 2);           /* channels */
  put_le (bytes, rate, 4);
  put_le (bytes, rate * 2, 4);    /* bytes per second */
  put_le (bytes, 2, 2);           /* block align */
  put_le (bytes, 16, 2);          /* bits per sample */
  g_byte_array_append (bytes, (const guint8 *) "data", 4);
  put_le (bytes, n_samples * 2, 4);
  for (guint i = 0; i < n_samples; i++)
    put_le (bytes, (guint16) (gint16) (8000 * sin (2 * G_PI * 440 * i / rate)), 2);
  return g_byte_array_free_to_bytes (bytes);
}

static GBytes *
make_padded (const char *head,
             gsize       head_len,
             gsize       total)
{
  guint8 *data = g_malloc0 (total);

  if (total > 0)
    memcpy (data, head, MIN (head_len, total));
  return g_bytes_new_take (data, total);
}

/* An MPEG-1 layer III frame header (128 kbit/s, 44.1 kHz) and its frame. */
#define MP3_FRAME "\xFF\xFB\x90\x64"
#define ID3_TAG "ID3\x03\x00\x00\x00\x00\x00\x21"
#define OGG_VORBIS "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x11\x22\x33\x44\x01\x1E\x01vorbis\x00\x00\x00\x00\x02\x44\xAC\x00\x00"
#define OGG_OPUS "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x11\x22\x33\x44\x01\x13OpusHead\x01\x02\x38\x01\x80\xBB\x00\x00"
#define OGG_THEORA "OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x00\x00\x00\x00\x11\x22\x33\x44\x01\x2A\x80theora\x03\x02\x01\x00\x14\x00\x0F"
#define FLAC "fLaC\x00\x00\x00\x22\x10\x00\x10\x00"
#define FTYP_M4A "\x00\x00\x00\x20" "ftypM4A \x00\x00\x00\x00M4A mp42isom\x00\x00\x00\x00"
#define FTYP_MP4 "\x00\x00\x00\x18" "ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08" "free"
#define WEBM "\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81\x04\x42\xF3\x81\x08\x42\x82\x84webm"
#define MATROSKA "\x1A\x45\xDF\xA3\xA3\x42\x86\x81\x01\x42\xF7\x81\x01\x42\xF2\x81\x04\x42\xF3\x81\x08\x42\x82\x88matroska"
#define ADTS "\xFF\xF1\x50\x80\x02\x1F\xFC"

typedef struct
{
  const char  *name;
  const char  *head;      /* NULL: the generated WAV */
  gsize        head_len;
  gsize        size;      /* 0: head_len */
  const char  *type;      /* NULL: refused */
  CwMediaKind  kind;
  const char  *message;   /* in the refusal */
} SniffCase;

#define HEAD(s) s, sizeof (s) - 1

static const SniffCase sniff_cases[] = {
  { "toon.wav", NULL, 0, 0, "audio/x-wav", CW_MEDIA_AUDIO, NULL },
  /* The name does not matter, only the content. */
  { "toon-zonder-extensie", NULL, 0, 0, "audio/x-wav", CW_MEDIA_AUDIO, NULL },
  { "frame.mp3", HEAD (MP3_FRAME), 417, "audio/mpeg", CW_MEDIA_AUDIO, NULL },
  { "tag.mp3", HEAD (ID3_TAG), 200, "audio/mpeg", CW_MEDIA_AUDIO, NULL },
  { "adts.aac", HEAD (ADTS), 100, "audio/aac", CW_MEDIA_AUDIO, NULL },
  { "vorbis.ogg", HEAD (OGG_VORBIS), 120, "audio/ogg", CW_MEDIA_AUDIO, NULL },
  { "spraak.opus", HEAD (OGG_OPUS), 120, "audio/ogg", CW_MEDIA_AUDIO, NULL },
  { "film.ogv", HEAD (OGG_THEORA), 120, "video/ogg", CW_MEDIA_VIDEO, NULL },
  { "verlies.flac", HEAD (FLAC), 60, "audio/flac", CW_MEDIA_AUDIO, NULL },
  { "gesprek.m4a", HEAD (FTYP_M4A), 0, "audio/mp4", CW_MEDIA_AUDIO, NULL },
  { "arena.mp4", HEAD (FTYP_MP4), 0, "video/mp4", CW_MEDIA_VIDEO, NULL },
  { "arena.webm", HEAD (WEBM), 0, "video/webm", CW_MEDIA_VIDEO, NULL },
  { "arena.mkv", HEAD (MATROSKA), 0, "video/x-matroska", CW_MEDIA_VIDEO, NULL },
  /* Four bytes are enough to recognise; fewer than the signature are not. */
  { "kort.mp3", HEAD (MP3_FRAME), 0, "audio/mpeg", CW_MEDIA_AUDIO, NULL },
  { "half.wav", HEAD ("RIFF\x24\x00\x00\x00WAV"), 0, NULL, 0, "not an audio or video file" },
  { "tekst.mp3", HEAD ("Anna: dit is een transcript, geen opname.\n"), 0, NULL, 0, "not an audio or video file" },
  { "leeg.wav", HEAD (""), 0, NULL, 0, "empty" },
  { "plaatje.mp4", HEAD ("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR"), 0, NULL, 0, "not an audio or video file" },
  /* 0xFF 0xFF: a frame sync, but a reserved bit rate. */
  { "ruis.mp3", HEAD ("\xFF\xFF\xFF\xFF\x00\x00"), 0, NULL, 0, "not an audio or video file" },
  { "riff.avi", HEAD ("RIFF\x24\x00\x00\x00" "AVI LIST"), 0, NULL, 0, "not an audio or video file" },
};

static char *
write_case (const char      *dir,
            const SniffCase *c)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;

  if (c->head == NULL)
    bytes = make_wav ();
  else
    bytes = make_padded (c->head, c->head_len, c->size != 0 ? c->size : c->head_len);
  file = cw_test_write_bytes (dir, c->name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return g_file_get_path (file);
}

static void
test_sniff (void)
{
  g_autofree char *dir = cw_test_make_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (sniff_cases); i++)
    {
      const SniffCase *c = &sniff_cases[i];
      g_autofree char *path = write_case (dir, c);
      g_autofree char *type = NULL;
      g_autoptr(GError) error = NULL;
      CwMediaKind kind = 99;
      gboolean ok;

      g_test_message ("%s", c->name);
      ok = cw_media_sniff (path, &kind, &type, &error);
      if (c->type != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (type, ==, c->type);
          g_assert_cmpint (kind, ==, c->kind);
        }
      else
        {
          g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
          g_assert_false (ok);
          g_assert_null (type);
          /* The message starts with the file and says what is wrong. */
          g_assert_true (g_str_has_prefix (error->message, path));
          g_assert_nonnull (strstr (error->message, c->message));
        }
    }

  /* A folder and a missing file: GIO's errors, naming the path. */
  {
    g_autofree char *folder = g_build_filename (dir, "opnamen.mp3", NULL);
    g_autofree char *missing = g_build_filename (dir, "weg.wav", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (g_mkdir (folder, 0755), ==, 0);
    g_assert_false (cw_media_sniff (folder, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
    g_assert_true (g_str_has_prefix (error->message, folder));
    g_clear_error (&error);
    g_assert_false (cw_media_sniff (missing, NULL, NULL, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_true (g_str_has_prefix (error->message, missing));
    g_clear_error (&error);
  }

  /* Special files are refused without opening them: a FIFO would block. */
  {
    g_autofree char *fifo = g_build_filename (dir, "pijp.wav", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
    g_assert_false (cw_media_sniff (fifo, NULL, NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "not a regular file"));
    g_clear_error (&error);
    g_assert_false (cw_media_sniff ("/dev/zero", NULL, NULL, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  }

  cw_test_remove_dir (dir);
}

/* ------------------------------------------------------------------------ */
/* Projects with recordings                                                   */

static const char transcript[] =
  "Arena Praktijkschool, 12 maart\n"
  "\n"
  "Anna: Hoe ging de stage?\n"
  "Ben: Goed, ik mag blijven.\n"
  "Anna: Mooi zo.\n";

typedef struct
{
  char      *dir;     /* the test's folder */
  char      *folder;  /* the project's folder, dir/project */
  CwProject *project;
  gint64     docs[4];
  guint      changed;
} Fixture;

static void
on_changed (CwProject *project,
            Fixture   *fixture)
{
  fixture->changed++;
}

static void
fixture_open (Fixture    *fixture,
              const char *path)
{
  g_autoptr(GError) error = NULL;

  fixture->project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_signal_connect (fixture->project, "changed", G_CALLBACK (on_changed), fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *path = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->folder = g_build_filename (fixture->dir, "project", NULL);
  g_assert_cmpint (g_mkdir (fixture->folder, 0755), ==, 0);
  path = g_build_filename (fixture->folder, "arena.codewerk", NULL);
  project = cw_project_create (path, "Arena", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->docs); i++)
    {
      g_autofree char *name = g_strdup_printf ("arena-%u.txt", i + 1);

      g_ptr_array_add (files, cw_test_write_file (fixture->dir, name, transcript));
    }
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (fixture->docs); i++)
    fixture->docs[i] = g_array_index (ids, gint64, i);
  g_clear_object (&project);
  fixture_open (fixture, path);
}

static void
fixture_close (Fixture *fixture)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->project));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->project != NULL)
    fixture_close (fixture);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->folder);
}

/* Writes the generated WAV at dir/relative (folders made as needed). */
static char *
write_wav (const char *dir,
           const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GBytes) wav = make_wav ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, g_bytes_get_data (wav, NULL), g_bytes_get_size (wav), &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
attach (Fixture    *fixture,
        gint64      doc,
        const char *path)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_attach_recording (fixture->project, doc, path, &error));
  g_assert_no_error (error);
}

static CwRecording *
get (Fixture *fixture,
     gint64   doc)
{
  g_autoptr(GError) error = NULL;
  CwRecording *recording = cw_project_get_recording (fixture->project, doc, &error);

  g_assert_no_error (error);
  return recording;
}

/* The recording's resolved path, "" when missing, NULL when none. */
static char *
resolved (Fixture *fixture,
          gint64   doc)
{
  g_autoptr(CwRecording) recording = get (fixture, doc);

  if (recording == NULL)
    return NULL;
  return g_strdup (recording->resolved_path != NULL ? recording->resolved_path : "");
}

static char *
dump (Fixture *fixture)
{
  return cw_test_dump (cw_project_get_path (fixture->project));
}

static gint64
recording_rows (Fixture *fixture)
{
  sqlite3 *db;
  gint64 n;

  g_assert_cmpint (sqlite3_open (cw_project_get_path (fixture->project), &db), ==, SQLITE_OK);
  n = cw_test_sql_int (db, "SELECT count(*) FROM recordings");
  sqlite3_close (db);
  return n;
}

static void
undo (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
}

static void
redo (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_redo (fixture->project, &error));
  g_assert_no_error (error);
}

static void
test_attach_paths (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *inside = write_wav (fixture->folder, "audio/arena 1.wav");
  g_autofree char *outside_dir = g_build_filename (fixture->dir, "elders", NULL);
  g_autofree char *outside = write_wav (outside_dir, "arena-2.wav");
  g_autofree char *video = NULL;
  g_autoptr(CwRecording) first = NULL;
  g_autoptr(CwRecording) second = NULL;
  g_autoptr(CwRecording) third = NULL;

  g_assert_null (get (fixture, fixture->docs[0]));

  /* Inside the project's folder: relative; the absolute path is kept. */
  attach (fixture, fixture->docs[0], inside);
  g_assert_cmpuint (fixture->changed, ==, 1);
  first = get (fixture, fixture->docs[0]);
  g_assert_cmpint (first->document_id, ==, fixture->docs[0]);
  g_assert_cmpstr (first->stored_path, ==, "audio/arena 1.wav");
  g_assert_cmpstr (first->original_path, ==, inside);
  g_assert_cmpstr (first->resolved_path, ==, inside);
  g_assert_cmpint (first->kind, ==, CW_MEDIA_AUDIO);
  g_assert_cmpstr (first->content_type, ==, "audio/x-wav");

  /* Elsewhere: absolute. A path with ".." is made canonical first. */
  {
    g_autofree char *roundabout = g_build_filename (fixture->folder, "..", "elders", "arena-2.wav", NULL);

    attach (fixture, fixture->docs[1], roundabout);
  }
  second = get (fixture, fixture->docs[1]);
  g_assert_cmpstr (second->stored_path, ==, outside);
  g_assert_cmpstr (second->original_path, ==, outside);
  g_assert_cmpstr (second->resolved_path, ==, outside);

  /* A video, recognised by its bytes. */
  {
    g_autoptr(GFile) file = cw_test_write_bytes (fixture->folder, "video.bin", FTYP_MP4, sizeof FTYP_MP4 - 1);

    video = g_file_get_path (file);
  }
  attach (fixture, fixture->docs[2], video);
  third = get (fixture, fixture->docs[2]);
  g_assert_cmpstr (third->stored_path, ==, "video.bin");
  g_assert_cmpint (third->kind, ==, CW_MEDIA_VIDEO);
  g_assert_cmpstr (third->content_type, ==, "video/mp4");
  g_assert_null (get (fixture, fixture->docs[3]));
}

/* A project opened by a relative path (as the CLI is given one) and a
 * recording named relative to the working directory. */
static void
test_attach_relative_names (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *wav = write_wav (fixture->folder, "audio/a.wav");
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(CwRecording) recording = NULL;

  fixture_close (fixture);
  g_assert_cmpint (g_chdir (fixture->dir), ==, 0);
  fixture_open (fixture, "project/arena.codewerk");
  attach (fixture, fixture->docs[0], "project/audio/../audio/a.wav");
  recording = get (fixture, fixture->docs[0]);
  g_assert_cmpstr (recording->stored_path, ==, "audio/a.wav");
  g_assert_cmpstr (recording->original_path, ==, wav);
  g_assert_cmpstr (recording->resolved_path, ==, wav);
  g_assert_cmpint (g_chdir (cwd), ==, 0);
}

/* Refusals change nothing in the project file. */
static void
test_attach_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *wav = write_wav (fixture->folder, "audio/a.wav");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text_path = NULL;
  g_autofree char *empty_path = NULL;
  g_autofree char *missing = g_build_filename (fixture->folder, "audio", "weg.wav", NULL);
  g_autoptr(GError) error = NULL;

  attach (fixture, fixture->docs[0], wav);
  before = dump (fixture);
  fixture->changed = 0;

  {
    g_autoptr(GFile) text = cw_test_write_file (fixture->folder, "audio/b.mp3", "Anna: geen opname\n");
    g_autoptr(GFile) empty = cw_test_write_file (fixture->folder, "audio/c.wav", "");

    text_path = g_file_get_path (text);
    empty_path = g_file_get_path (empty);
  }

  g_assert_false (cw_project_attach_recording (fixture->project, fixture->docs[1], text_path, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, text_path));
  g_clear_error (&error);
  /* Replacing an attached recording with a bad file keeps the old one. */
  g_assert_false (cw_project_attach_recording (fixture->project, fixture->docs[0], empty_path, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_attach_recording (fixture->project, fixture->docs[1], missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_attach_recording (fixture->project, fixture->docs[1], fixture->folder, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  g_clear_error (&error);
  g_assert_false (cw_project_attach_recording (fixture->project, 999, wav, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_relocate_recording (fixture->project, fixture->docs[1], wav, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (cw_project_relocate_recording (fixture->project, fixture->docs[0], text_path, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);

  after = dump (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (fixture->changed, ==, 0);
  {
    g_autofree char *label = cw_project_get_undo_label (fixture->project);

    g_assert_cmpstr (label, ==, "Attach recording to “arena-1.txt”");
  }
}

static void
test_undo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *a = write_wav (fixture->folder, "audio/a.wav");
  g_autofree char *b = write_wav (fixture->folder, "audio/b.wav");
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;
  char *path;

  attach (fixture, fixture->docs[0], a);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Attach recording to “arena-1.txt”");
  undo (fixture);
  g_assert_null (get (fixture, fixture->docs[0]));
  g_assert_cmpint (recording_rows (fixture), ==, 0);
  redo (fixture);
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, a);
  g_free (path);

  /* Replacing is one step; undo brings the first file back. */
  attach (fixture, fixture->docs[0], b);
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, b);
  g_free (path);
  undo (fixture);
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, a);
  g_free (path);

  g_assert_true (cw_project_detach_recording (fixture->project, fixture->docs[0], &error));
  g_assert_no_error (error);
  g_assert_null (get (fixture, fixture->docs[0]));
  g_clear_pointer (&label, g_free);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Detach recording from “arena-1.txt”");
  undo (fixture);
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, a);
  g_free (path);
  redo (fixture);
  g_assert_null (get (fixture, fixture->docs[0]));

  /* Detaching what is not there succeeds and leaves no step. */
  g_clear_pointer (&label, g_free);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_true (cw_project_detach_recording (fixture->project, fixture->docs[1], &error));
  g_assert_no_error (error);
  {
    g_autofree char *same = cw_project_get_undo_label (fixture->project);

    g_assert_cmpstr (same, ==, label);
  }
}

/* Moving the project's folder with its recordings: the relative path
 * finds them. Moving the project alone: the absolute one does. */
static void
test_moved_project (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *inside = write_wav (fixture->folder, "audio/a.wav");
  g_autofree char *outside_dir = g_build_filename (fixture->dir, "opnamen", NULL);
  g_autofree char *outside = write_wav (outside_dir, "b.wav");
  g_autofree char *moved = g_build_filename (fixture->dir, "verhuisd", NULL);
  g_autofree char *moved_project = g_build_filename (moved, "arena.codewerk", NULL);
  g_autofree char *moved_inside = g_build_filename (moved, "audio", "a.wav", NULL);
  g_autofree char *alone = g_build_filename (fixture->dir, "alleen", NULL);
  g_autofree char *alone_project = g_build_filename (alone, "arena.codewerk", NULL);
  char *path;

  attach (fixture, fixture->docs[0], inside);
  attach (fixture, fixture->docs[1], outside);
  fixture_close (fixture);

  g_assert_cmpint (g_rename (fixture->folder, moved), ==, 0);
  fixture_open (fixture, moved_project);
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, moved_inside);
  g_free (path);
  path = resolved (fixture, fixture->docs[1]);
  g_assert_cmpstr (path, ==, outside);
  g_free (path);
  fixture_close (fixture);

  /* Only the project file moves: the relative path fails, the original
   * absolute one (in the old folder, which we put back) is found. */
  g_assert_cmpint (g_rename (moved, fixture->folder), ==, 0);
  g_assert_cmpint (g_mkdir (alone, 0755), ==, 0);
  {
    g_autofree char *old_project = g_build_filename (fixture->folder, "arena.codewerk", NULL);

    g_assert_cmpint (g_rename (old_project, alone_project), ==, 0);
  }
  fixture_open (fixture, alone_project);
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, inside);
  g_free (path);

  /* The recordings moved away as well: missing, but still there to see. */
  {
    g_autofree char *gone = g_build_filename (fixture->dir, "weg", NULL);
    g_autoptr(CwRecording) recording = NULL;

    g_assert_cmpint (g_rename (fixture->folder, gone), ==, 0);
    recording = get (fixture, fixture->docs[0]);
    g_assert_nonnull (recording);
    g_assert_null (recording->resolved_path);
    g_assert_cmpstr (recording->stored_path, ==, "audio/a.wav");
    g_assert_cmpstr (recording->original_path, ==, inside);
  }
  path = resolved (fixture, fixture->docs[1]);
  g_assert_cmpstr (path, ==, outside);
  g_free (path);
}

/* A folder of recordings moved at once: finding one finds the others. */
static void
test_relocate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *a = write_wav (fixture->folder, "audio/a.wav");
  g_autofree char *b = write_wav (fixture->folder, "audio/b.wav");
  g_autofree char *c = write_wav (fixture->folder, "audio/c.wav");
  g_autofree char *other_dir = g_build_filename (fixture->dir, "elders", NULL);
  g_autofree char *d = write_wav (other_dir, "d.wav");
  g_autofree char *old_audio = g_build_filename (fixture->folder, "audio", NULL);
  g_autofree char *new_audio = g_build_filename (fixture->dir, "archief", "2024", NULL);
  g_autofree char *new_a = g_build_filename (new_audio, "a.wav", NULL);
  g_autofree char *new_b = g_build_filename (new_audio, "b.wav", NULL);
  g_autofree char *new_c = g_build_filename (new_audio, "c.wav", NULL);
  g_autofree char *label = NULL;
  g_autoptr(GError) error = NULL;
  char *path;

  attach (fixture, fixture->docs[0], a);
  attach (fixture, fixture->docs[1], b);
  attach (fixture, fixture->docs[2], c);
  attach (fixture, fixture->docs[3], d);

  {
    g_autofree char *archive = g_build_filename (fixture->dir, "archief", NULL);

    g_assert_cmpint (g_mkdir (archive, 0755), ==, 0);
    g_assert_cmpint (g_rename (old_audio, new_audio), ==, 0);
  }
  /* c.wav is no recording any more at its new place: left missing. */
  g_assert_cmpint (g_unlink (new_c), ==, 0);
  {
    g_autoptr(GFile) text = cw_test_write_file (new_audio, "c.wav", "geen opname");
  }
  for (guint i = 0; i < 3; i++)
    {
      path = resolved (fixture, fixture->docs[i]);
      g_assert_cmpstr (path, ==, "");
      g_free (path);
    }

  g_assert_cmpint (cw_project_relocate_recording (fixture->project, fixture->docs[0], new_a, &error), ==, 2);
  g_assert_no_error (error);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Relocate the recording of “arena-1.txt”");
  path = resolved (fixture, fixture->docs[0]);
  g_assert_cmpstr (path, ==, new_a);
  g_free (path);
  path = resolved (fixture, fixture->docs[1]);
  g_assert_cmpstr (path, ==, new_b);
  g_free (path);
  path = resolved (fixture, fixture->docs[2]);
  g_assert_cmpstr (path, ==, "");
  g_free (path);
  path = resolved (fixture, fixture->docs[3]);
  g_assert_cmpstr (path, ==, d);
  g_free (path);

  /* Outside the project's folder now: stored absolute. */
  {
    g_autoptr(CwRecording) recording = get (fixture, fixture->docs[1]);

    g_assert_cmpstr (recording->stored_path, ==, new_b);
    g_assert_cmpstr (recording->original_path, ==, new_b);
  }

  /* One step for all of them. */
  undo (fixture);
  for (guint i = 0; i < 3; i++)
    {
      path = resolved (fixture, fixture->docs[i]);
      g_assert_cmpstr (path, ==, "");
      g_free (path);
    }
  redo (fixture);
  path = resolved (fixture, fixture->docs[1]);
  g_assert_cmpstr (path, ==, new_b);
  g_free (path);

  /* Once the file is a recording again, relocating c finds it alone. */
  g_assert_cmpint (g_unlink (new_c), ==, 0);
  g_free (write_wav (new_audio, "c.wav"));
  g_assert_cmpint (cw_project_relocate_recording (fixture->project, fixture->docs[2], new_c, &error), ==, 1);
  g_assert_no_error (error);
  path = resolved (fixture, fixture->docs[2]);
  g_assert_cmpstr (path, ==, new_c);
  g_free (path);
}

static GPtrArray *
turns_of (Fixture *fixture,
          gint64   doc)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *turns = cw_project_get_turns (fixture->project, doc, &error);

  g_assert_no_error (error);
  return turns;
}

static double
time_of (Fixture *fixture,
         gint64   doc,
         guint    index)
{
  g_autoptr(GPtrArray) turns = turns_of (fixture, doc);
  const CwTurn *turn = turns->pdata[index];

  return turn->time;
}

static void
test_turn_time (Fixture       *fixture,
                gconstpointer  data)
{
  gint64 doc = fixture->docs[0];
  g_autofree char *label = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GPtrArray) turns = turns_of (fixture, doc);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (turns->len, ==, 3);
  g_assert_cmpfloat (time_of (fixture, doc, 1), <, 0);

  g_assert_true (cw_project_set_turn_time (fixture->project, doc, 1, 12.25, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (time_of (fixture, doc, 1), ==, 12.25);
  g_assert_cmpfloat (time_of (fixture, doc, 0), <, 0);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Set a turn's time in “arena-1.txt”");
  undo (fixture);
  g_assert_cmpfloat (time_of (fixture, doc, 1), <, 0);
  redo (fixture);
  g_assert_cmpfloat (time_of (fixture, doc, 1), ==, 12.25);

  /* The same time again changes nothing and adds no step. */
  g_assert_true (cw_project_set_turn_time (fixture->project, doc, 0, 3, &error));
  g_assert_true (cw_project_set_turn_time (fixture->project, doc, 0, 3, &error));
  g_assert_no_error (error);
  undo (fixture);
  g_assert_cmpfloat (time_of (fixture, doc, 0), <, 0);
  g_assert_cmpfloat (time_of (fixture, doc, 1), ==, 12.25);

  /* Clearing. */
  g_assert_true (cw_project_set_turn_time (fixture->project, doc, 1, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (time_of (fixture, doc, 1), <, 0);
  g_clear_pointer (&label, g_free);
  label = cw_project_get_undo_label (fixture->project);
  g_assert_cmpstr (label, ==, "Clear a turn's time in “arena-1.txt”");
  undo (fixture);
  g_assert_cmpfloat (time_of (fixture, doc, 1), ==, 12.25);

  /* Refusals: no such turn, not a number, no such document. */
  before = dump (fixture);
  fixture->changed = 0;
  g_assert_false (cw_project_set_turn_time (fixture->project, doc, 3, 1, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no turn 3"));
  g_clear_error (&error);
  g_assert_false (cw_project_set_turn_time (fixture->project, doc, G_MAXUINT, 1, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_set_turn_time (fixture->project, doc, 0, NAN, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_set_turn_time (fixture->project, doc, 0, INFINITY, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_set_turn_time (fixture->project, 999, 0, 1, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  after = dump (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (fixture->changed, ==, 0);

  /* A hand-set time is what the time-to-text mapping then uses. */
  g_clear_pointer (&turns, g_ptr_array_unref);
  turns = turns_of (fixture, doc);
  g_assert_cmpint (cw_turns_index_at_time (turns, 12.0), ==, -1);
  g_assert_cmpint (cw_turns_index_at_time (turns, 13.0), ==, 1);
}

/* A version 4 file (before recordings) opens as version 5 with an
 * undoable recordings table. */
static void
test_migration_from_version_4 (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = NULL;
  g_autofree char *wav = write_wav (dir, "a.wav");
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(CwRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;
  gint64 doc;

  g_ptr_array_add (files, cw_test_write_file (dir, "a.txt", transcript));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  doc = g_array_index (ids, gint64, 0);
  path = g_strdup (cw_project_get_path (project));
  g_assert_finalize_object (g_steal_pointer (&project));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP TRIGGER recordings_history_insert; DROP TRIGGER recordings_history_delete;"
                                 "DROP TRIGGER recordings_history_update; DROP TABLE recordings;"
                                 "PRAGMA user_version = 4;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'recordings%'"), ==, 0);
  sqlite3_close (db);

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (CW_PROJECT_SCHEMA_VERSION, ==, 5);
  g_assert_true (cw_project_attach_recording (project, doc, wav, &error));
  g_assert_no_error (error);
  recording = cw_project_get_recording (project, doc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (recording->stored_path, ==, "a.wav");
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  g_assert_null (cw_project_get_recording (project, doc, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&project));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (cw_test_sql_int (db, "PRAGMA user_version"), ==, 5);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name LIKE 'recordings_history_%'"), ==, 3);
  sqlite3_close (db);
  cw_test_remove_dir (dir);
}

/* Deleting a document takes its recording along (ON DELETE CASCADE). */
static void
test_cascade (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *wav = write_wav (fixture->folder, "a.wav");
  sqlite3 *db;

  attach (fixture, fixture->docs[0], wav);
  fixture_close (fixture);
  {
    g_autofree char *path = g_build_filename (fixture->folder, "arena.codewerk", NULL);

    g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON; DELETE FROM documents WHERE id = 1;",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM recordings"), ==, 0);
    sqlite3_close (db);
  }
}

/* ------------------------------------------------------------------------ */
/* Time and text                                                              */

/* The text the turns below describe, with its offsets:
 *
 *   0  "Arena, 12 maart\n\n"    a header, before any turn (17 characters)
 *   17 "Anna: "                 the first turn's label
 *   23 "Hoe ging het?"          turn 0 [23, 36), time 10
 *   36 "\n"
 *   37 "Ben: "                  turn 1's label
 *   42 "Goed."                  turn 1 [42, 47), no time
 *   47 "\n"
 *   48 "Anna: "
 *   54 "Mooi."                  turn 2 [54, 59), time 30
 *   59 "\n"                     after the last turn */
static GPtrArray *
sample_turns (double t0,
              double t1,
              double t2)
{
  GPtrArray *turns = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_turn_free);

  g_ptr_array_add (turns, cw_turn_new ("Anna", 23, 36, t0));
  g_ptr_array_add (turns, cw_turn_new ("Ben", 42, 47, t1));
  g_ptr_array_add (turns, cw_turn_new ("Anna", 54, 59, t2));
  return turns;
}

static void
test_turns_at_offset (void)
{
  static const struct
  {
    gint64      offset;
    int         index;
    double      time;
    const char *why;
  } cases[] = {
    { 0, -1, -1, "in the header, before the first turn" },
    { 16, -1, -1, "the header's last character" },
    { 17, 0, 10, "the first label's first character" },
    { 22, 0, 10, "the first label's space" },
    { 23, 0, 10, "the first turn's first character" },
    { 35, 0, 10, "the first turn's last character" },
    { 36, 1, 10, "the newline after it belongs to the next turn" },
    { 38, 1, 10, "in Ben's label; Ben's turn has no time: Anna's before" },
    { 42, 1, 10, "Ben's turn, no time of its own" },
    { 46, 1, 10, "Ben's last character" },
    { 47, 2, 30, "after Ben: the next turn's label" },
    { 50, 2, 30, "in the last label" },
    { 54, 2, 30, "the last turn" },
    { 59, 2, 30, "the end of the last turn" },
    { 1000, 2, 30, "far after the last turn" },
  };
  g_autoptr(GPtrArray) turns = sample_turns (10, -1, 30);
  g_autoptr(GPtrArray) untimed = sample_turns (-1, -1, -1);
  g_autoptr(GPtrArray) late = sample_turns (-1, -1, 30);
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("offset %" G_GINT64_FORMAT ": %s", cases[i].offset, cases[i].why);
      g_assert_cmpint (cw_turns_index_at_offset (turns, cases[i].offset), ==, cases[i].index);
      g_assert_cmpfloat (cw_turns_time_at_offset (turns, cases[i].offset), ==, cases[i].time);
      /* Without times the turn is the same, but there is no time to play from. */
      g_assert_cmpint (cw_turns_index_at_offset (untimed, cases[i].offset), ==, cases[i].index);
      g_assert_cmpfloat (cw_turns_time_at_offset (untimed, cases[i].offset), ==, -1);
      g_assert_cmpint (cw_turns_index_at_offset (none, cases[i].offset), ==, -1);
      g_assert_cmpfloat (cw_turns_time_at_offset (none, cases[i].offset), ==, -1);
    }
  /* Only the last turn has a time: nothing earlier to play from. */
  g_assert_cmpfloat (cw_turns_time_at_offset (late, 40), ==, -1);
  g_assert_cmpfloat (cw_turns_time_at_offset (late, 50), ==, 30);

  /* Subtitle cues have no speaker and no label: a cue starting at 0 owns
   * offset 0; the gap between cues belongs to the next. */
  {
    g_autoptr(GPtrArray) cues = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_turn_free);

    g_ptr_array_add (cues, cw_turn_new (NULL, 0, 5, 1.0));
    g_ptr_array_add (cues, cw_turn_new (NULL, 7, 12, 4.5));
    g_assert_cmpint (cw_turns_index_at_offset (cues, 0), ==, 0);
    g_assert_cmpint (cw_turns_index_at_offset (cues, 5), ==, 1);
    g_assert_cmpfloat (cw_turns_time_at_offset (cues, 6), ==, 4.5);
    g_assert_cmpint (cw_turns_index_at_offset (cues, -3), ==, -1);
  }
}

static void
test_turns_at_time (void)
{
  static const struct
  {
    double t0, t1, t2;
    double seconds;
    int    index;
    const char *why;
  } cases[] = {
    { 10, -1, 30, -1, -1, "before the recording" },
    { 10, -1, 30, 0, -1, "before the first known time" },
    { 10, -1, 30, 9.999, -1, "just before it" },
    { 10, -1, 30, 10, 0, "exactly at the first turn" },
    { 10, -1, 30, 20, 0, "Ben's turn has no time: Anna is still speaking" },
    { 10, -1, 30, 29.9, 0, "just before the last turn" },
    { 10, -1, 30, 30, 2, "the last turn" },
    { 10, -1, 30, 1e9, 2, "long after it" },
    { 10, 20, 30, 20, 1, "all times known" },
    { 10, 20, 30, 25, 1, "between the second and third" },
    { 10, 20, 20, 20, 2, "two turns at one time: the later one" },
    { -1, -1, -1, 50, -1, "no times at all" },
    { -1, 5, -1, 1000, 1, "one time, in the middle" },
    /* Times set by hand out of order: the last turn, in text order, whose
     * time is not later than the moment. */
    { 50, 20, -1, 25, 1, "out of order" },
    { 50, 20, -1, 60, 1, "out of order, later than both" },
    { 50, 20, -1, 10, -1, "out of order, earlier than both" },
  };
  g_autoptr(GPtrArray) none = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) turns = sample_turns (cases[i].t0, cases[i].t1, cases[i].t2);

      g_test_message ("%g s: %s", cases[i].seconds, cases[i].why);
      g_assert_cmpint (cw_turns_index_at_time (turns, cases[i].seconds), ==, cases[i].index);
    }
  {
    g_autoptr(GPtrArray) turns = sample_turns (10, -1, 30);

    g_assert_cmpint (cw_turns_index_at_time (turns, NAN), ==, -1);
    g_assert_cmpint (cw_turns_index_at_time (turns, INFINITY), ==, 2);
  }
  g_assert_cmpint (cw_turns_index_at_time (none, 5), ==, -1);
}

/* The turns of a real import: a subtitle file with times, and the mapping
 * both ways agrees with them. */
static void
test_turns_of_subtitles (void)
{
  static const char srt[] =
    "1\n00:00:01,000 --> 00:00:04,000\nINTERVIEWER: Dank u wel.\n\n"
    "2\n00:00:05,500 --> 00:00:09,000\nWERKGEVER: Geen probleem.\n\n"
    "3\n00:01:02,250 --> 00:01:05,000\nINTERVIEWER: Prima.\n";
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (files, cw_test_write_file (dir, "werkgever.srt", srt));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  turns = cw_project_get_turns (project, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (turns->len, ==, 3);

  g_assert_cmpint (cw_turns_index_at_time (turns, 0.5), ==, -1);
  g_assert_cmpint (cw_turns_index_at_time (turns, 4.5), ==, 0);
  g_assert_cmpint (cw_turns_index_at_time (turns, 5.5), ==, 1);
  g_assert_cmpint (cw_turns_index_at_time (turns, 62.25), ==, 2);
  for (guint i = 0; i < turns->len; i++)
    {
      const CwTurn *turn = turns->pdata[i];

      g_assert_cmpint (cw_turns_index_at_offset (turns, turn->start), ==, (int) i);
      g_assert_cmpfloat (cw_turns_time_at_offset (turns, turn->start), ==, turn->time);
      g_assert_cmpint (cw_turns_index_at_time (turns, turn->time), ==, (int) i);
    }

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/media/sniff", test_sniff);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/media/attach/paths", test_attach_paths);
  ADD ("/media/attach/relative-names", test_attach_relative_names);
  ADD ("/media/attach/refused", test_attach_refused);
  ADD ("/media/attach/undo", test_undo);
  ADD ("/media/attach/cascade", test_cascade);
  ADD ("/media/moved/project", test_moved_project);
  ADD ("/media/moved/relocate", test_relocate);
  ADD ("/media/turn-time", test_turn_time);
#undef ADD
  g_test_add_func ("/media/migration/from-version-4", test_migration_from_version_4);
  g_test_add_func ("/media/turns/at-offset", test_turns_at_offset);
  g_test_add_func ("/media/turns/at-time", test_turns_at_time);
  g_test_add_func ("/media/turns/subtitles", test_turns_of_subtitles);

  return g_test_run ();
}
