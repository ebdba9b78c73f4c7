/* cw-codebook-panel-private.h: what the tests reach inside the panel. */
#pragma once

#include <adwaita.h>

#include "cw-codebook-panel.h"

G_BEGIN_DECLS

typedef enum
{
  CW_DROP_BEFORE, /* above the row: a sibling before it */
  CW_DROP_INTO,   /* on the row: its last child (or code text with it) */
  CW_DROP_AFTER,  /* below the row: a sibling after it */
} CwDropZone;

/* What a drop on the row of code_id does with value: a CwCodeItem moves,
 * a GtkTextBuffer (text dragged from the transcript) asks for its
 * selection to be coded (::code-chosen). */
gboolean            _cw_codebook_panel_drop            (CwCodebookPanel *self,
                                                        gint64           code_id,
                                                        const GValue    *value,
                                                        CwDropZone       zone,
                                                        gboolean         snap);
/* What a click on the row of code_id does. */
void                _cw_codebook_panel_click           (CwCodebookPanel *self,
                                                        gint64           code_id,
                                                        gboolean         snap);
GtkSingleSelection *_cw_codebook_panel_get_selection   (CwCodebookPanel *self);
/* TRUE while a worker counts the codings of a project just opened. */
gboolean            _cw_codebook_panel_is_counting     (CwCodebookPanel *self);
GtkListView        *_cw_codebook_panel_get_list_view   (CwCodebookPanel *self);
GtkEditable        *_cw_codebook_panel_get_search_entry (CwCodebookPanel *self);
GtkTextView        *_cw_codebook_panel_get_description (CwCodebookPanel *self);
GtkLabel           *_cw_codebook_panel_get_details_path (CwCodebookPanel *self);
/* The rename entry of the selected code's row while it is being renamed. */
GtkEditable        *_cw_codebook_panel_get_rename_entry (CwCodebookPanel *self);
/* The last confirmation shown (delete), or NULL. */
AdwMessageDialog   *_cw_codebook_panel_get_dialog      (CwCodebookPanel *self);
/* The details' memo button (its label counts the code's memos). */
GtkWidget          *_cw_codebook_panel_get_memo_button  (CwCodebookPanel *self);
/* The rows' context menu (Shift+F10 opens it on the selected code). */
GtkPopover         *_cw_codebook_panel_get_context_menu (CwCodebookPanel *self);
/* Writes a pending description now. */
void                _cw_codebook_panel_flush           (CwCodebookPanel *self);

G_END_DECLS
