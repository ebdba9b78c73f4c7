/* cw-media.c: recordings of documents and the mapping between a
 * recording's time and the transcript's turns (see cw-media.h).
 *
 * Paths are kept in the table recordings (schema 5) as UTF-8: stored_path
 * relative to the project file's folder when the recording lies inside it,
 * else absolute, and original_path, the absolute path at attach time. The
 * triggers of cw-history.c make every change undoable.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "cw-media.h"
#include "cw-project-private.h"

/* The longest signature we look at, with the Ogg page that may name
 * Theora and the EBML header that names the DocType. */
#define SNIFF_BYTES 64

void
cw_recording_free (CwRecording *recording)
{
  if (recording == NULL)
    return;
  g_free (recording->stored_path);
  g_free (recording->resolved_path);
  g_free (recording->original_path);
  g_free (recording->content_type);
  g_free (recording);
}

/* ------------------------------------------------------------------------ */
/* Recognising a recording                                                    */

static gboolean
has_bytes (const guchar *buffer,
           gsize         length,
           gsize         at,
           const char   *bytes,
           gsize         n)
{
  return length >= at + n && memcmp (buffer + at, bytes, n) == 0;
}

static gboolean
contains (const guchar *buffer,
          gsize         length,
          const char   *bytes,
          gsize         n)
{
  for (gsize at = 0; at + n <= length; at++)
    if (memcmp (buffer + at, bytes, n) == 0)
      return TRUE;
  return FALSE;
}

/* An MPEG audio frame header (layer I-III) or an ADTS (AAC) one: a text
 * file never starts with 0xFF, and the reserved values rule out most
 * other binaries. */
static const char *
mpeg_frame_type (const guchar *b,
                 gsize         length)
{
  guint version, layer, bitrate, rate;

  if (length < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0)
    return NULL;
  version = (b[1] >> 3) & 3;
  layer = (b[1] >> 1) & 3;
  if (layer == 0)
    return (b[1] & 0xF6) == 0xF0 ? "audio/aac" : NULL;
  bitrate = b[2] >> 4;
  rate = (b[2] >> 2) & 3;
  if (version == 1 || bitrate == 15 || rate == 3)
    return NULL;
  return "audio/mpeg";
}

/* The content type and kind of the first bytes, or NULL. */
static const char *
sniff_buffer (const guchar *b,
              gsize         n,
              CwMediaKind  *kind)
{
  const char *type;

  *kind = CW_MEDIA_AUDIO;
  if ((has_bytes (b, n, 0, "RIFF", 4) || has_bytes (b, n, 0, "RF64", 4)) && has_bytes (b, n, 8, "WAVE", 4))
    return "audio/x-wav";
  if (has_bytes (b, n, 0, "ID3", 3))
    return "audio/mpeg";
  if (has_bytes (b, n, 0, "OggS", 4))
    {
      /* The first page holds the first stream's identification header. */
      if (contains (b, n, "\x80theora", 7))
        {
          *kind = CW_MEDIA_VIDEO;
          return "video/ogg";
        }
      return "audio/ogg";
    }
  if (has_bytes (b, n, 0, "fLaC", 4))
    return "audio/flac";
  if (has_bytes (b, n, 4, "ftyp", 4) && n >= 12)
    {
      if (has_bytes (b, n, 8, "M4A ", 4) || has_bytes (b, n, 8, "M4B ", 4) || has_bytes (b, n, 8, "M4P ", 4))
        return "audio/mp4";
      *kind = CW_MEDIA_VIDEO;
      return "video/mp4";
    }
  if (has_bytes (b, n, 0, "\x1A\x45\xDF\xA3", 4))
    {
      *kind = CW_MEDIA_VIDEO;
      return contains (b, n, "matroska", 8) ? "video/x-matroska" : "video/webm";
    }
  if ((type = mpeg_frame_type (b, n)) != NULL)
    return type;
  return NULL;
}

/* A GIO error about path, in the same domain and code, with a message
 * that starts with the path (GIO's own repeat it inside). */
static void
set_file_error (GError     **error,
                const char  *path,
                GError      *local)
{
  if (local->domain != G_IO_ERROR)
    {
      g_propagate_prefixed_error (error, local, "%s: ", path);
      return;
    }
  switch (local->code)
    {
    case G_IO_ERROR_NOT_FOUND:
      g_set_error (error, G_IO_ERROR, local->code, _("%s: no such file"), path);
      break;
    case G_IO_ERROR_IS_DIRECTORY:
      g_set_error (error, G_IO_ERROR, local->code, _("%s: is a folder, not an audio or video file"), path);
      break;
    case G_IO_ERROR_PERMISSION_DENIED:
      g_set_error (error, G_IO_ERROR, local->code, _("%s: cannot be read (permission denied)"), path);
      break;
    default:
      g_set_error (error, G_IO_ERROR, local->code, _("%s: cannot be read: %s"), path, local->message);
      break;
    }
  g_error_free (local);
}

gboolean
cw_media_sniff (const char   *path,
                CwMediaKind  *kind,
                char        **content_type,
                GError      **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  guchar buffer[SNIFF_BYTES];
  CwMediaKind found_kind;
  const char *type;
  GError *local = NULL;
  gsize n = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  file = g_file_new_for_path (path);
  /* Only regular files are opened: a FIFO would block the open, a device
   * never ends. */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, NULL, &local);
  if (info == NULL)
    {
      set_file_error (error, path, local);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      set_file_error (error, path, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, ""));
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: not an audio or video file Codewerk can play (not a regular file)"), path);
      return FALSE;
    }
  stream = g_file_read (file, NULL, &local);
  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, sizeof buffer, &n, NULL, &local))
    {
      set_file_error (error, path, local);
      return FALSE;
    }

  if (n == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: not an audio or video file Codewerk can play (the file is empty)"), path);
      return FALSE;
    }
  type = sniff_buffer (buffer, n, &found_kind);
  if (type == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: not an audio or video file Codewerk can play (not WAV, MP3, AAC, Ogg, Opus, FLAC, MP4, M4A or WebM, whatever its name says)"),
                   path);
      return FALSE;
    }
  if (kind != NULL)
    *kind = found_kind;
  if (content_type != NULL)
    *content_type = g_strdup (type);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Paths                                                                      */

/* The absolute folder of the project file (its path may be relative to
 * the working directory, as the CLI is given it). */
static char *
project_folder (CwProject *self)
{
  g_autofree char *absolute = g_canonicalize_filename (cw_project_get_path (self), NULL);

  return g_path_get_dirname (absolute);
}

/* How a recording at the absolute file name is stored: relative to the
 * project's folder when inside it, else absolute; both as UTF-8. */
static gboolean
storage_paths (CwProject   *self,
               const char  *absolute,
               const char  *display,
               char       **stored,
               char       **original,
               GError     **error)
{
  g_autofree char *folder = project_folder (self);
  g_autoptr(GFile) folder_file = g_file_new_for_path (folder);
  g_autoptr(GFile) file = g_file_new_for_path (absolute);
  g_autofree char *relative = g_file_get_relative_path (folder_file, file);
  g_autofree char *stored_utf8 = g_filename_to_utf8 (relative != NULL ? relative : absolute, -1, NULL, NULL, NULL);
  g_autofree char *original_utf8 = g_filename_to_utf8 (absolute, -1, NULL, NULL, NULL);

  if (stored_utf8 == NULL || original_utf8 == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: the file's name or folder is not valid UTF-8; rename it first"), display);
      return FALSE;
    }
  *stored = g_steal_pointer (&stored_utf8);
  *original = g_steal_pointer (&original_utf8);
  return TRUE;
}

/* A recording is a regular file (or a link to one). */
static gboolean
is_file (const char *filename)
{
  return g_file_test (filename, G_FILE_TEST_IS_REGULAR);
}

/* The absolute path of a stored recording (UTF-8), or NULL: the relative
 * path first (the project moved together with its recordings), then the
 * original one (the project moved alone). */
static char *
resolve (const char *folder,
         const char *stored,
         const char *original)
{
  g_autofree char *stored_fs = g_filename_from_utf8 (stored, -1, NULL, NULL, NULL);
  g_autofree char *original_fs = g_filename_from_utf8 (original, -1, NULL, NULL, NULL);

  if (stored_fs != NULL)
    {
      g_autofree char *candidate = g_canonicalize_filename (stored_fs, folder);

      if (is_file (candidate))
        return g_filename_to_utf8 (candidate, -1, NULL, NULL, NULL);
    }
  if (original_fs != NULL && g_path_is_absolute (original_fs) && is_file (original_fs))
    {
      g_autofree char *candidate = g_canonicalize_filename (original_fs, NULL);

      return g_filename_to_utf8 (candidate, -1, NULL, NULL, NULL);
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Reading and writing the table                                              */

/* The document's name, for labels; NULL with NOT_FOUND when none. */
static char *
document_name (CwProject  *self,
               gint64      document_id,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "SELECT name FROM documents WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no document with id %lld"), cw_project_get_path (self), (long long) document_id);
  else
    _cw_project_set_db_error (self, error, _("cannot read the documents"));
  return NULL;
}

static CwRecording *
recording_from_row (sqlite3_stmt *stmt,
                    const char   *folder)
{
  CwRecording *recording = g_new0 (CwRecording, 1);

  recording->document_id = sqlite3_column_int64 (stmt, 0);
  recording->stored_path = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  recording->original_path = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  recording->kind = sqlite3_column_int (stmt, 3) == CW_MEDIA_VIDEO ? CW_MEDIA_VIDEO : CW_MEDIA_AUDIO;
  recording->content_type = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  recording->resolved_path = resolve (folder, recording->stored_path, recording->original_path);
  return recording;
}

#define RECORDING_COLUMNS "document_id, stored_path, original_path, kind, content_type"

/* Inserts or updates the row with UPDATE or INSERT, never INSERT OR
 * REPLACE: a replaced row would be deleted without a trigger, and undo
 * could not bring it back. */
static gboolean
write_recording (CwProject   *self,
                 gint64       document_id,
                 const char  *stored,
                 const char  *original,
                 CwMediaKind  kind,
                 const char  *content_type,
                 GError     **error)
{
  static const char *const statements[] = {
    "UPDATE recordings SET stored_path = ?2, original_path = ?3, kind = ?4, content_type = ?5"
    " WHERE document_id = ?1 AND (stored_path, original_path, kind, content_type) IS NOT (?2, ?3, ?4, ?5)",
    "INSERT INTO recordings (" RECORDING_COLUMNS ") SELECT ?1, ?2, ?3, ?4, ?5"
    " WHERE NOT EXISTS (SELECT 1 FROM recordings WHERE document_id = ?1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    {
      g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, statements[i], error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, document_id);
      sqlite3_bind_text (stmt, 2, stored, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, original, -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 4, kind);
      sqlite3_bind_text (stmt, 5, content_type, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _cw_project_set_db_error (self, error, _("cannot store the recording"));
          return FALSE;
        }
    }
  return TRUE;
}

/* A recording file checked and described for storing. */
typedef struct
{
  char        *stored;
  char        *original;
  CwMediaKind  kind;
  char        *content_type;
} Candidate;

static void
candidate_clear (Candidate *candidate)
{
  g_clear_pointer (&candidate->stored, g_free);
  g_clear_pointer (&candidate->original, g_free);
  g_clear_pointer (&candidate->content_type, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Candidate, candidate_clear)

static gboolean
check_candidate (CwProject   *self,
                 const char  *path,
                 Candidate   *candidate,
                 GError     **error)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);

  return cw_media_sniff (path, &candidate->kind, &candidate->content_type, error) &&
         storage_paths (self, absolute, path, &candidate->stored, &candidate->original, error);
}

gboolean
cw_project_attach_recording (CwProject   *self,
                             gint64       document_id,
                             const char  *path,
                             GError     **error)
{
  g_auto(Candidate) candidate = { 0 };
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* The file is read before the transaction: no lock is held on disk I/O. */
  if (!check_candidate (self, path, &candidate, error) ||
      !(name = document_name (self, document_id, error)))
    return FALSE;

  /* Translators: an undo step; %s is a document's name. */
  label = g_strdup_printf (_("Attach recording to “%s”"), name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!write_recording (self, document_id, candidate.stored, candidate.original,
                        candidate.kind, candidate.content_type, error) ||
      !_cw_project_end_step (self, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
cw_project_detach_recording (CwProject  *self,
                             gint64      document_id,
                             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!(name = document_name (self, document_id, error)))
    return FALSE;

  /* Translators: an undo step; %s is a document's name. */
  label = g_strdup_printf (_("Detach recording from “%s”"), name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  stmt = _cw_project_prepare (self, "DELETE FROM recordings WHERE document_id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, document_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot remove the recording"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  if (!_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

CwRecording *
cw_project_get_recording (CwProject  *self,
                          gint64      document_id,
                          GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *folder = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self, "SELECT " RECORDING_COLUMNS " FROM recordings WHERE document_id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the recording"));
      return NULL;
    }
  folder = project_folder (self);
  return recording_from_row (stmt, folder);
}

int
cw_project_relocate_recording (CwProject   *self,
                               gint64       document_id,
                               const char  *new_path,
                               GError     **error)
{
  g_auto(Candidate) candidate = { 0 };
  g_autoptr(GPtrArray) others = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_recording_free);
  g_autoptr(CwRecording) current = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *new_folder = NULL;
  GError *local = NULL;
  int rc, n = 1;

  g_return_val_if_fail (CW_IS_PROJECT (self), -1);
  g_return_val_if_fail (new_path != NULL, -1);

  if (!(name = document_name (self, document_id, error)))
    return -1;
  current = cw_project_get_recording (self, document_id, &local);
  if (current == NULL)
    {
      if (local != NULL)
        g_propagate_error (error, local);
      else
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                     _("%s: “%s” has no recording to look for; attach one"), cw_project_get_path (self), name);
      return -1;
    }
  if (!check_candidate (self, new_path, &candidate, error))
    return -1;

  /* Translators: an undo step; %s is a document's name. */
  label = g_strdup_printf (_("Relocate the recording of “%s”"), name);
  if (!_cw_project_begin_step (self, label, error))
    return -1;
  if (!write_recording (self, document_id, candidate.stored, candidate.original,
                        candidate.kind, candidate.content_type, error))
    goto failed;

  /* The other missing recordings: a folder of recordings moved at once is
   * found by their names in the new folder. */
  stmt = _cw_project_prepare (self, "SELECT " RECORDING_COLUMNS " FROM recordings WHERE document_id != ?1"
                                    " ORDER BY document_id", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, document_id);
  folder = project_folder (self);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwRecording *other = recording_from_row (stmt, folder);

      if (other->resolved_path == NULL)
        g_ptr_array_add (others, other);
      else
        cw_recording_free (other);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the recordings"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  absolute = g_canonicalize_filename (new_path, NULL);
  new_folder = g_path_get_dirname (absolute);
  for (guint i = 0; i < others->len; i++)
    {
      const CwRecording *other = others->pdata[i];
      g_autofree char *stored_fs = g_filename_from_utf8 (other->stored_path, -1, NULL, NULL, NULL);
      g_autofree char *base = NULL;
      g_autofree char *sibling = NULL;
      g_auto(Candidate) found = { 0 };

      if (stored_fs == NULL)
        continue;
      base = g_path_get_basename (stored_fs);
      sibling = g_build_filename (new_folder, base, NULL);
      /* Not there, or no longer a recording: left missing, not an error. */
      if (!is_file (sibling) || !check_candidate (self, sibling, &found, NULL))
        continue;
      if (!write_recording (self, other->document_id, found.stored, found.original,
                            found.kind, found.content_type, error))
        goto failed;
      n++;
    }

  if (!_cw_project_end_step (self, error))
    goto failed;
  return n;

failed:
  _cw_project_abort_step (self);
  return -1;
}

/* ------------------------------------------------------------------------ */
/* Turn times                                                                 */

gboolean
cw_project_set_turn_time (CwProject   *self,
                          gint64       document_id,
                          guint        turn_index,
                          double       seconds,
                          GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  gint64 n_turns;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!isfinite (seconds))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: a turn's time must be a number of seconds"), cw_project_get_path (self));
      return FALSE;
    }
  if (!(name = document_name (self, document_id, error)))
    return FALSE;

  label = seconds >= 0
    /* Translators: an undo step; %s is a document's name. */
    ? g_strdup_printf (_("Set a turn's time in “%s”"), name)
    /* Translators: an undo step; %s is a document's name. */
    : g_strdup_printf (_("Clear a turn's time in “%s”"), name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;

  stmt = _cw_project_prepare (self, "SELECT count(*) FROM turns WHERE document_id = ?1", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, document_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the turns"));
      goto failed;
    }
  n_turns = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, _cw_statement_release);
  if ((gint64) turn_index >= n_turns)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s: “%s” has no turn %u: it has %lld turn, numbered from 0",
                                "%s: “%s” has no turn %u: it has %lld turns, numbered from 0",
                                (gulong) n_turns),
                   cw_project_get_path (self), name, turn_index, (long long) n_turns);
      goto failed;
    }

  /* Turns are ordered by idx, which need not count from 0 without gaps.
   * An unchanged time writes nothing, so it leaves no undo step. */
  stmt = _cw_project_prepare (self,
                              "UPDATE turns SET time = ?1 WHERE time IS NOT ?1 AND id ="
                              " (SELECT id FROM turns WHERE document_id = ?2 ORDER BY idx LIMIT 1 OFFSET ?3)",
                              error);
  if (stmt == NULL)
    goto failed;
  if (seconds >= 0)
    sqlite3_bind_double (stmt, 1, seconds);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, document_id);
  sqlite3_bind_int64 (stmt, 3, turn_index);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot set the turn's time"));
      goto failed;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  if (!_cw_project_end_step (self, error))
    goto failed;
  return TRUE;

failed:
  _cw_project_abort_step (self);
  return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Time and text                                                              */

int
cw_turns_index_at_time (GPtrArray *turns,
                        double     seconds)
{
  g_return_val_if_fail (turns != NULL, -1);

  if (isnan (seconds))
    return -1;
  /* From the end, linearly: times set by hand need not rise with the
   * turns, so a binary search could miss the last one that matches. A
   * transcript's few thousand turns cost microseconds. */
  for (guint i = turns->len; i-- > 0;)
    {
      const CwTurn *turn = turns->pdata[i];

      if (turn->time >= 0 && turn->time <= seconds)
        return (int) i;
    }
  return -1;
}

/* Where the first turn's label begins: its speaker's name, a colon and a
 * space before the utterance ("Anna: "). Later turns' labels lie between
 * the previous turn's end and their start, which is exact. */
static gint64
first_label_start (const CwTurn *turn)
{
  gint64 label = turn->speaker != NULL ? g_utf8_strlen (turn->speaker, -1) + 2 : 0;

  return MAX (0, turn->start - label);
}

int
cw_turns_index_at_offset (GPtrArray *turns,
                          gint64     offset)
{
  guint low = 1, high;

  g_return_val_if_fail (turns != NULL, -1);

  if (turns->len == 0 || offset < first_label_start (turns->pdata[0]))
    return -1;
  /* The last turn i whose predecessor ended at or before offset: from
   * there on the text is turn i's label or utterance. Turns are in text
   * order and do not overlap, so those ends rise. */
  high = turns->len;
  while (low < high)
    {
      guint mid = low + (high - low) / 2;
      const CwTurn *previous = turns->pdata[mid - 1];

      if (previous->end <= offset)
        low = mid + 1;
      else
        high = mid;
    }
  return (int) low - 1;
}

double
cw_turns_time_at_offset (GPtrArray *turns,
                         gint64     offset)
{
  int i;

  g_return_val_if_fail (turns != NULL, -1);

  for (i = cw_turns_index_at_offset (turns, offset); i >= 0; i--)
    {
      const CwTurn *turn = turns->pdata[i];

      if (turn->time >= 0)
        return turn->time;
    }
  return -1;
}
