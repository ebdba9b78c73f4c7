/* cw-transcript-view-private.h: what the window and the tests reach inside
 * a CwTranscriptView. */
#pragma once

#include "cw-coding-stripes.h"
#include "cw-timestamp-gutter.h"
#include "cw-transcript-view.h"

G_BEGIN_DECLS

/* What a quick key, the code chooser or a drop does: asks (through
 * ::code-requested) for the selection to be coded with code_id. */
void             _cw_transcript_view_code_selection   (CwTranscriptView *self,
                                                       gint64            code_id,
                                                       gboolean          snap);
CwCodingStripes *_cw_transcript_view_get_stripes      (CwTranscriptView *self);
/* Follows a change of a few codings, repainting only where they lie: the
 * codings with these ids (gint64) are shown no more as they were, and
 * codings (CwCoding of the shown document, as cw_project_get_coding gives
 * them) are shown instead; codings is emptied, its codings taken. */
void             _cw_transcript_view_update_codings   (CwTranscriptView *self,
                                                       GArray           *ids,
                                                       GPtrArray        *codings);
GtkDropTarget   *_cw_transcript_view_get_drop_target  (CwTranscriptView *self);
/* The code chooser (Ctrl+Space) and its search entry. */
void             _cw_transcript_view_open_code_chooser (CwTranscriptView *self);
GtkPopover      *_cw_transcript_view_get_code_chooser (CwTranscriptView *self);
GtkEditable     *_cw_transcript_view_get_chooser_entry (CwTranscriptView *self);
/* The number of distinct backgrounds (sets of overlapping codes) in use. */
guint            _cw_transcript_view_get_n_coding_tags (CwTranscriptView *self);
/* The tag that shows the codings over offset (NULL: not coded). */
GtkTextTag      *_cw_transcript_view_get_coding_tag_at (CwTranscriptView *self,
                                                        gint64            offset);
/* TRUE while the view's own cw_project_edit_text runs (the project's
 * ::changed then comes from typing: the view updates itself). */
gboolean         _cw_transcript_view_is_applying_edit (CwTranscriptView *self);
/* TRUE while an edit burst is open. */
gboolean         _cw_transcript_view_in_burst         (CwTranscriptView *self);
/* Spelling: the tag of misspelled words, the context menu's spelling
 * section as last prepared, and preparing it for the word at offset (what
 * a right-click does). */
GtkTextTag      *_cw_transcript_view_get_spell_tag    (CwTranscriptView *self);
GMenuModel      *_cw_transcript_view_get_spell_menu   (CwTranscriptView *self);
void             _cw_transcript_view_prepare_spell_menu (CwTranscriptView *self,
                                                         gint64            offset);
/* What a right-click on the word at offset does: the spelling menu pops
 * up (NULL when the word there is not underlined). */
GtkPopover      *_cw_transcript_view_open_spell_menu  (CwTranscriptView *self,
                                                       gint64            offset);
/* TRUE while the whole document's spelling is being checked or its
 * dictionary loaded. */
gboolean         _cw_transcript_view_is_checking_spelling (CwTranscriptView *self);
/* TRUE while the spelling menu waits for its suggestions. */
gboolean         _cw_transcript_view_is_suggesting (CwTranscriptView *self);
/* Playing: the index of the highlighted turn (-1: none), its tag, and
 * the gutter of times. */
int                _cw_transcript_view_get_playing_turn (CwTranscriptView *self);
GtkTextTag        *_cw_transcript_view_get_playing_tag  (CwTranscriptView *self);
CwTimestampGutter *_cw_transcript_view_get_gutter       (CwTranscriptView *self);

G_END_DECLS
