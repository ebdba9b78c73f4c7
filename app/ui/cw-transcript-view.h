/* cw-transcript-view.h: a read-only view of one transcript. */
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

G_END_DECLS
