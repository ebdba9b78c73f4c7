/* cw-edit.h: correcting a document's text without losing codings.
 *
 * Every edit replaces code points [start, end) of a document's stored text
 * (NFC, LF line ends) with a replacement (NFC-normalised here; CR LF and CR
 * become LF). Codings and turns move with the words they cover:
 *
 *  Codings (as NVivo and MAXQDA users expect):
 *  - an edit wholly before a coding shifts it; wholly after leaves it;
 *  - an edit wholly inside grows or shrinks it;
 *  - text inserted exactly at a coding's start goes before it (outside),
 *    text inserted exactly at its end goes after it (outside): typing next
 *    to a coded passage never extends the coding;
 *  - a deletion overlapping an edge clips the coding; a replacement
 *    overlapping an edge takes the new text into the coding (correcting a
 *    word half inside a coding keeps the whole corrected word coded);
 *  - a coding lying wholly inside replaced text covers the replacement
 *    (replacing the coded name "Ahmet" by "Ahmed" keeps it coded);
 *  - a coding whose text is deleted entirely is removed, with its memos,
 *    and reported in CwEditResult; undo brings it back with the same id,
 *    code, coder and memos. When an edit makes two codings of the same code
 *    by the same coder cover the same range, the newer is removed and
 *    reported the same way.
 *
 *  Turns: a turn (its utterance, after the "Name:" label) grows when text
 *  is inserted at its start or end as well as inside it: typing at the end
 *  of what someone said continues their turn. A turn whose text is deleted
 *  stays, empty. Speakers, timestamps (a turn's time) and memos have no
 *  character offsets of their own and need no update.
 *
 * Edit bursts: cw_project_begin_edit_burst ... cw_project_end_edit_burst
 * makes any number of edits of one document ONE undo step, labelled
 * "Edit “document”". Each edit is committed on its own (a committed
 * keystroke survives a crash); while a burst is open, its document's
 * full-text index entry is not updated per keystroke but once when the
 * burst ends (or on cw_project_flush_edit_index). Until then a search finds
 * that document by its words as they were at the burst's start. A burst
 * interrupted by a crash is finished when the project is next opened: the
 * document is re-indexed, and the step undoes as usual.
 * Undo, redo and any other edit of the project end an open burst first.
 *
 * Signals: CwProject::document-text-changed (gint64 document id) after
 * every committed edit, replace-all, and undo or redo (id 0: any document
 * may have changed). CwProject::changed after an edit outside a burst, at
 * the end of a burst, and after replace-all, undo and redo.
 */
#pragma once

#include "cw-project.h"

G_BEGIN_DECLS

/* A coding that an edit removed, for the window's warning. */
typedef struct
{
  gint64  id;
  gint64  document_id;
  char   *code;    /* the code's path, "Parent/Child" */
  char   *coder;
  gint64  start;   /* its range just before the edit removed it */
  gint64  end;
} CwRemovedCoding;

void             cw_removed_coding_free (CwRemovedCoding *coding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwRemovedCoding, cw_removed_coding_free)

typedef struct
{
  gint64     document_id;
  /* The replacement's place in the new text: [start, start + length). */
  gint64     start;
  gint64     length;
  /* The range actually replaced, in the old text: at least [start, end)
   * as asked, wider when a combining mark at an edge had to be composed
   * with its neighbour for NFC. */
  gint64     replaced_start;
  gint64     replaced_end;
  gint64     characters; /* the document's new length */
  GPtrArray *removed;    /* CwRemovedCoding, never NULL */
} CwEditResult;

void             cw_edit_result_free (CwEditResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwEditResult, cw_edit_result_free)

typedef enum
{
  CW_REPLACE_NONE       = 0,
  CW_REPLACE_MATCH_CASE = 1 << 0, /* else letters compare case-folded */
  CW_REPLACE_WHOLE_WORD = 1 << 1, /* no letter, mark or digit just outside */
} CwReplaceFlags;

typedef struct
{
  gint64  document_id;
  char   *document;    /* name */
  guint   n_replaced;
} CwReplaceCount;

typedef struct
{
  GPtrArray *documents; /* CwReplaceCount, only documents with replacements */
  guint      n_replaced; /* in all documents */
  GPtrArray *removed;    /* CwRemovedCoding, never NULL */
} CwReplaceResult;

void             cw_replace_result_free (CwReplaceResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwReplaceResult, cw_replace_result_free)

/* Replaces code points [start, end) of the document's text with
 * replacement ("" deletes; start == end inserts) and moves codings and
 * turns as the rules above say, in one transaction. Outside a burst this is
 * one undo step ("Edit “document”") and the index is updated at once.
 * CW_PROJECT_ERROR_INVALID for invalid UTF-8 or a range outside the text,
 * CW_PROJECT_ERROR_NOT_FOUND for no such document; nothing is changed then.
 * result (nullable) receives what was done. */
gboolean  cw_project_edit_text          (CwProject      *self,
                                         gint64          document_id,
                                         gint64          start,
                                         gint64          end,
                                         const char     *replacement,
                                         CwEditResult  **result,
                                         GError        **error);

/* Opens a burst: the following edits of document_id are one undo step,
 * labelled label (NULL: "Edit “document”"). Ends a burst already open.
 * Nothing is written until the first edit, so an empty burst leaves no step.
 * Edits of another document during a burst end it and act on their own. */
gboolean  cw_project_begin_edit_burst   (CwProject      *self,
                                         gint64          document_id,
                                         const char     *label,
                                         GError        **error);
/* Ends the open burst (no-op when none): re-indexes its document, restores
 * full durability, emits CwProject::changed. */
gboolean  cw_project_end_edit_burst     (CwProject      *self,
                                         GError        **error);
/* The document of the open burst, or 0. */
gint64    cw_project_get_edit_burst     (CwProject      *self);
/* Brings the full-text index of the burst's document up to date without
 * ending the burst (for an idle callback while the user pauses, or before a
 * search in that document). Costs a re-index of the document. */
gboolean  cw_project_flush_edit_index   (CwProject      *self,
                                         GError        **error);

/* Replaces every occurrence of find in one document (document_id > 0) or in
 * all documents (0), with the same coding-safe rules, in one transaction and
 * one undo step ("Replace “find” with “replacement”"). find must not be
 * empty; both are NFC-normalised. Matching is by code point, case folded
 * one character at a time unless CW_REPLACE_MATCH_CASE. Cancelling leaves
 * the project unchanged (G_IO_ERROR_CANCELLED). A result with no
 * replacements is not an error (and leaves no undo step). */
gboolean  cw_project_replace_all        (CwProject        *self,
                                         gint64            document_id,
                                         const char       *find,
                                         const char       *replacement,
                                         CwReplaceFlags    flags,
                                         CwReplaceResult **result,
                                         GCancellable     *cancellable,
                                         GError          **error);

/* The occurrences of find in text as replace-all would find them: a
 * GArray of gint64 pairs (start, end) in code points. For the window's
 * "n matches" count and highlights, and for tests. */
GArray   *cw_edit_find_all              (const char       *text,
                                         const char       *find,
                                         CwReplaceFlags    flags);

G_END_DECLS
