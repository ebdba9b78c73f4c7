/* cw-memo-editor.h: a small dialog to write, edit and delete the memos of
 * a document, a code or a coding. */
#pragma once

#include <adwaita.h>

#include "cw-coding.h"

G_BEGIN_DECLS

#define CW_TYPE_MEMO_EDITOR (cw_memo_editor_get_type ())
G_DECLARE_FINAL_TYPE (CwMemoEditor, cw_memo_editor, CW, MEMO_EDITOR, AdwWindow)

/* Opens an editor on the memos of target target_id (name says what it is:
 * the document's, code's or coding's code name), modal over from's window.
 * It shows the first memo, or an empty new one. Saving and deleting go
 * through project (one undo step each), as the coder named in the
 * "coder" setting. Returns the editor (owned by GTK; it destroys itself
 * when closed), or NULL after showing why the memos cannot be read. */
CwMemoEditor *cw_memo_editor_open           (GtkWidget     *from,
                                             CwProject     *project,
                                             CwMemoTarget   target,
                                             gint64         target_id,
                                             const char    *name);
/* The memo shown, 0 for a new one. */
gint64        cw_memo_editor_get_memo_id    (CwMemoEditor  *self);
guint         cw_memo_editor_get_n_memos    (CwMemoEditor  *self);
/* What the dialog's fields hold. */
void          cw_memo_editor_set_contents   (CwMemoEditor  *self,
                                             const char    *title,
                                             const char    *text);
char         *cw_memo_editor_get_text       (CwMemoEditor  *self);
const char   *cw_memo_editor_get_title      (CwMemoEditor  *self);
/* The line under the text: author and dates, or an error. */
const char   *cw_memo_editor_get_info       (CwMemoEditor  *self);

/* The project's window's project, or NULL: for widgets that are handed
 * only documents or codings. */
CwProject    *cw_memo_editor_find_project   (GtkWidget     *widget);
/* The current coder's name: the "coder" setting, or its default when blank. */
char         *cw_memo_editor_get_coder      (void);

G_END_DECLS
