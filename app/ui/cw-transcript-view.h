/* cw-transcript-view.h: a view of one transcript, read-only unless in
 * edit mode.
 *
 * Signals: "code-requested" (gint64 code, gboolean snap), "remove-coding"
 * (gint64 coding), "message" (const char*: an error or a missing
 * dictionary, for a toast), "undoable-message" (const char*: what an edit
 * did that undo takes back, for a toast with Undo), "play-requested"
 * (double seconds: a time or a coding to hear). Properties: "editing",
 * "can-edit" (read-only), "language". */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_TRANSCRIPT_VIEW (cw_transcript_view_get_type ())
G_DECLARE_FINAL_TYPE (CwTranscriptView, cw_transcript_view, CW, TRANSCRIPT_VIEW, GtkTextView)

GtkWidget  *cw_transcript_view_new               (void);
/* Shows document (takes ownership; NULL clears). The buffer's text is the
 * stored text exactly, so buffer offsets are stored offsets. */
void        cw_transcript_view_set_document      (CwTranscriptView *self,
                                                  CwDocument       *document);
/* The shown document's id, 0 when none. */
gint64      cw_transcript_view_get_document_id   (CwTranscriptView *self);
const CwDocument *cw_transcript_view_get_document (CwTranscriptView *self);

/* Highlights the hits (CwSearchHit of this document; NULL clears). */
void        cw_transcript_view_set_matches       (CwTranscriptView *self,
                                                  GPtrArray        *hits);
guint       cw_transcript_view_get_n_matches     (CwTranscriptView *self);
/* The match that is selected, -1 when none. */
int         cw_transcript_view_get_current_match (CwTranscriptView *self);
/* Selects the first match at or after the cursor; with backward, the last
 * one before it. Wraps around. FALSE when there are no matches. */
gboolean    cw_transcript_view_move_to_match     (CwTranscriptView *self,
                                                  gboolean          backward,
                                                  gboolean          include_current);
/* The document's codings (CwCoding, by start; NULL: none): coloured
 * backgrounds and the stripes in the margin. Keeps a reference. */
void        cw_transcript_view_set_codings       (CwTranscriptView *self,
                                                  GPtrArray        *codings);
GPtrArray  *cw_transcript_view_get_codings       (CwTranscriptView *self);
/* The codebook (CwCode, as cw_project_list_codes gives it): the quick keys
 * 1 to 9 and the code chooser (Ctrl+Space). Keeps a reference. */
void        cw_transcript_view_set_codes         (CwTranscriptView *self,
                                                  GPtrArray        *codes);
/* The selection as a range to code, FALSE when nothing is selected. With
 * snap, it grows to whole words and loses surrounding white space. */
gboolean    cw_transcript_view_get_coding_range  (CwTranscriptView *self,
                                                  gboolean          snap,
                                                  gint64           *start,
                                                  gint64           *end);
/* Selects a coding's text and underlines it (0: no coding selected). */
void        cw_transcript_view_select_coding     (CwTranscriptView *self,
                                                  gint64            coding_id);
/* Selects [start, end) and scrolls it into view. */
void        cw_transcript_view_select_range      (CwTranscriptView *self,
                                                  gint64            start,
                                                  gint64            end);

/* The project the document belongs to (keeps a reference; NULL: none).
 * Needed to edit the text and for the project word list; it also lets the
 * view notice when an undo changed the text. Clears the document. */
void        cw_transcript_view_set_project       (CwTranscriptView *self,
                                                  CwProject        *project);
/* Edit mode: the text is editable, every change goes through
 * cw_project_edit_text (codings follow it), misspelled words are
 * underlined, and coding is off. Needs a document and a project. */
void        cw_transcript_view_set_editing       (CwTranscriptView *self,
                                                  gboolean          editing);
gboolean    cw_transcript_view_get_editing       (CwTranscriptView *self);
gboolean    cw_transcript_view_get_can_edit      (CwTranscriptView *self);
/* Ends the edit burst in progress (one undo step), if any: before an
 * undo, a redo, or a change made elsewhere. */
void        cw_transcript_view_end_edit_burst    (CwTranscriptView *self);
/* Replaces [start, end) of the shown document with text, as an edit
 * would (codings follow); outside edit mode it is an undo step of its
 * own. FALSE (and a "message") when the core refused it. */
gboolean    cw_transcript_view_replace_range     (CwTranscriptView *self,
                                                  gint64            start,
                                                  gint64            end,
                                                  const char       *text);
/* The document's language for spell checking ("nl", "en"; NULL without
 * a document); setting it stores it in the project. */
const char *cw_transcript_view_get_language      (CwTranscriptView *self);
void        cw_transcript_view_set_language      (CwTranscriptView *self,
                                                  const char       *language);

/* Playing the document's recording. With can_play the gutter's times are
 * clickable and codings offer "Play From Here" (both ::play-requested). */
void        cw_transcript_view_set_can_play      (CwTranscriptView *self,
                                                  gboolean          can_play);
/* "Play From Here" for the passage at offset (a coding's start, a
 * retrieved segment's): ::play-requested with its turn's time, or
 * ::message when no time is known there. */
void        cw_transcript_view_play_from_offset  (CwTranscriptView *self,
                                                  gint64            offset);
/* Where the recording is (seconds; < 0 clears): the turn spoken then is
 * highlighted and kept on screen, unless the user scrolled away in the
 * last few seconds. */
void        cw_transcript_view_set_play_position (CwTranscriptView *self,
                                                  double            seconds);
/* The index of the turn holding the cursor (CwDocument's turns), -1 when
 * there is none. */
int         cw_transcript_view_get_turn_at_cursor (CwTranscriptView *self);

G_END_DECLS
