/* cw-autocode-dialog-private.h: what the tests reach inside the dialog. */
#pragma once

#include "cw-autocode-dialog.h"

G_BEGIN_DECLS

/* The codes offered (CwCodeItem): codable codes only. */
GtkDropDown     *_cw_autocode_dialog_get_code_dropdown    (CwAutocodeDialog *self);
GtkToggleButton *_cw_autocode_dialog_get_speaker_toggle   (CwAutocodeDialog *self);
GtkToggleButton *_cw_autocode_dialog_get_search_toggle    (CwAutocodeDialog *self);
/* The speakers offered (GtkStringObject). */
GtkDropDown     *_cw_autocode_dialog_get_speaker_dropdown (CwAutocodeDialog *self);
GtkEditable     *_cw_autocode_dialog_get_query            (CwAutocodeDialog *self);
/* 0: only the words found, 1: the sentence, 2: the turn (CwAutocodeScope). */
AdwComboRow     *_cw_autocode_dialog_get_extent_row       (CwAutocodeDialog *self);
/* 0: this document, 1: all documents. */
AdwComboRow     *_cw_autocode_dialog_get_documents_row    (CwAutocodeDialog *self);
/* The preview or the reason Autocode cannot run. */
GtkLabel        *_cw_autocode_dialog_get_status           (CwAutocodeDialog *self);
GtkLabel        *_cw_autocode_dialog_get_coder_label      (CwAutocodeDialog *self);
GtkButton       *_cw_autocode_dialog_get_autocode_button  (CwAutocodeDialog *self);
GtkButton       *_cw_autocode_dialog_get_cancel_button    (CwAutocodeDialog *self);
/* TRUE while the worker runs. */
gboolean         _cw_autocode_dialog_is_running           (CwAutocodeDialog *self);
/* TRUE while the preview search is pending or runs. */
gboolean         _cw_autocode_dialog_is_previewing        (CwAutocodeDialog *self);

G_END_DECLS
