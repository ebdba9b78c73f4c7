/* cw-code-item.h: a row of the codebook: one code and its children. */
#pragma once

#include <gtk/gtk.h>

#include "cw-codebook.h"

G_BEGIN_DECLS

/* Codes 1 to 9 of the quick keys. */
#define CW_N_QUICK_KEYS 9

#define CW_TYPE_CODE_ITEM (cw_code_item_get_type ())
G_DECLARE_FINAL_TYPE (CwCodeItem, cw_code_item, CW, CODE_ITEM, GObject)

/* code is copied. */
CwCodeItem   *cw_code_item_new            (const CwCode *code);
const CwCode *cw_code_item_get_code       (CwCodeItem   *self);
gint64        cw_code_item_get_id         (CwCodeItem   *self);
/* Replaces the code (same id); notifies "code" so bound rows redraw. */
void          cw_code_item_set_code       (CwCodeItem   *self,
                                           const CwCode *code);
/* The children (CwCodeItem), always a store, possibly empty. */
GListStore   *cw_code_item_get_children   (CwCodeItem   *self);
/* 1 to 9, or 0 when the code has no quick key. */
guint         cw_code_item_get_quick_key  (CwCodeItem   *self);
void          cw_code_item_set_quick_key  (CwCodeItem   *self,
                                           guint         key);

/* The pinned codes behind the quick keys 1 to 9: the first nine codable
 * codes in the codebook's order (codes as cw_project_list_codes returns
 * them). Returns their ids (gint64), at most CW_N_QUICK_KEYS. */
GArray       *cw_code_quick_keys          (GPtrArray    *codes);
/* The last part of a code's path: what a code is called on its own. */
const char   *cw_code_path_basename       (const char   *path);
/* "#rrggbb" as a colour with alpha; grey when the string is no colour. */
void          cw_code_parse_color         (const char   *color,
                                           double        alpha,
                                           GdkRGBA      *rgba);

/* A small rounded square in a code's colour; hollow for a category. */
GtkWidget    *cw_code_swatch_new          (void);
void          cw_code_swatch_set_color    (GtkWidget    *swatch,
                                           const char   *color,
                                           gboolean      filled);

G_END_DECLS
