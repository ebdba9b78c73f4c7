/* cw-media.h: recordings of documents (audio or video files, referenced,
 * never copied into the project) and the mapping between a recording's
 * time and the transcript's turns.
 *
 * A document has at most one recording. Its path is stored relative to the
 * project file's folder when the recording lies in that folder or below it
 * ("audio/arena-1.m4a"), else absolute; the absolute path at attach time
 * is kept too, so a project moved without its recordings still finds them.
 * Resolving tries the relative path first, then the absolute one.
 *
 * Attaching, detaching, relocating and setting a turn's time are project
 * edits: one transaction and one undo step each (history in cw-history.c),
 * and CwProject::changed.
 */
#pragma once

#include "cw-project.h"

G_BEGIN_DECLS

typedef enum
{
  CW_MEDIA_AUDIO,
  CW_MEDIA_VIDEO,
} CwMediaKind;

typedef struct
{
  gint64       document_id;
  char        *stored_path;  /* as stored: relative to the project's folder, or absolute */
  char        *resolved_path; /* absolute path of the file found, NULL when it is missing */
  char        *original_path; /* the absolute path when it was attached */
  CwMediaKind  kind;
  char        *content_type;  /* "audio/x-wav", "video/mp4", ... as recognised at attach */
} CwRecording;

void          cw_recording_free            (CwRecording *recording);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwRecording, cw_recording_free)

/* Recognises a recording by its first bytes (RIFF/WAVE, ID3 or an MPEG
 * audio frame, OggS, an ISO-BMFF "ftyp" box, FLAC, WebM/Matroska), not by
 * its name: a text file renamed .mp3 is refused with
 * CW_PROJECT_ERROR_INVALID naming the file. Missing or unreadable files:
 * the GIO error, prefixed with the path. Fills kind and content type. */
gboolean      cw_media_sniff               (const char   *path,
                                            CwMediaKind  *kind,
                                            char        **content_type,
                                            GError      **error);

/* Attaches (or replaces) the recording of a document. The file must exist
 * and be a recording (cw_media_sniff). */
gboolean      cw_project_attach_recording  (CwProject    *self,
                                            gint64        document_id,
                                            const char   *path,
                                            GError      **error);
/* Removes the reference (the file is not touched). No recording: TRUE. */
gboolean      cw_project_detach_recording  (CwProject    *self,
                                            gint64        document_id,
                                            GError      **error);
/* The document's recording, resolved; NULL with no error when it has none.
 * A recording that cannot be found is returned with resolved_path NULL
 * (the window then asks where it went). */
CwRecording  *cw_project_get_recording     (CwProject    *self,
                                            gint64        document_id,
                                            GError      **error);
/* After the user found a missing recording at new_path: re-points it, and
 * every other missing recording of the project whose file name is present
 * in new_path's folder (a folder of recordings moved at once). Returns the
 * number of recordings re-pointed (at least 1) or -1 on error. One undo
 * step. */
int           cw_project_relocate_recording (CwProject   *self,
                                             gint64       document_id,
                                             const char  *new_path,
                                             GError     **error);

/* Sets (seconds >= 0) or clears (seconds < 0) the time of a document's
 * turn turn_index (0-based, as cw_document's turns are ordered). One undo
 * step. */
gboolean      cw_project_set_turn_time     (CwProject    *self,
                                            gint64        document_id,
                                            guint         turn_index,
                                            double        seconds,
                                            GError      **error);

/* Time to text: the index of the turn being spoken at seconds, i.e. the
 * last turn (in order) whose time is known and <= seconds; -1 when no turn
 * has a known time that early. Turns without a time are skipped. turns:
 * CwTurn in text order. */
int           cw_turns_index_at_time       (GPtrArray    *turns,
                                            double        seconds);
/* Text to time: the time to play an offset from: the time of the turn
 * holding offset, else of the nearest turn before it with a known time;
 * -1 when there is none. (Turn ranges exclude the label; an offset in a
 * label belongs to the turn it introduces.) */
double        cw_turns_time_at_offset      (GPtrArray    *turns,
                                            gint64        offset);
/* The index of the turn holding offset (or whose label holds it), -1 for
 * an offset before the first turn. */
int           cw_turns_index_at_offset     (GPtrArray    *turns,
                                            gint64        offset);

G_END_DECLS
