/* cw-replace-bar-private.h: what the tests reach inside a CwReplaceBar. */
#pragma once

#include "cw-replace-bar.h"

G_BEGIN_DECLS

GtkEditable     *_cw_replace_bar_get_find_entry     (CwReplaceBar *self);
GtkEditable     *_cw_replace_bar_get_replace_entry  (CwReplaceBar *self);
GtkCheckButton  *_cw_replace_bar_get_case_check     (CwReplaceBar *self);
GtkCheckButton  *_cw_replace_bar_get_word_check     (CwReplaceBar *self);
GtkToggleButton *_cw_replace_bar_get_all_toggle     (CwReplaceBar *self);
GtkLabel        *_cw_replace_bar_get_status         (CwReplaceBar *self);
/* What the buttons do. */
void             _cw_replace_bar_replace            (CwReplaceBar *self);
void             _cw_replace_bar_replace_all        (CwReplaceBar *self);
/* TRUE while a Replace All runs. */
gboolean         _cw_replace_bar_is_busy            (CwReplaceBar *self);

G_END_DECLS
