/* cw-coding-stripes.h: the codings as bars in a margin beside a transcript. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CW_TYPE_CODING_STRIPES (cw_coding_stripes_get_type ())
G_DECLARE_FINAL_TYPE (CwCodingStripes, cw_coding_stripes, CW, CODING_STRIPES, GtkWidget)

/* A margin for view's right border window (gtk_text_view_set_gutter). */
GtkWidget *cw_coding_stripes_new          (GtkTextView     *view);
/* codings: CwCoding of the view's document, by start; NULL for none.
 * Keeps a reference. */
void       cw_coding_stripes_set_codings  (CwCodingStripes *self,
                                           GPtrArray       *codings);
/* The coding drawn as selected (0: none). */
void       cw_coding_stripes_set_selected (CwCodingStripes *self,
                                           gint64           coding_id);
/* Whether the menu offers "Play From Here" (::play-coding, gint64 id):
 * the document has a recording. */
void       cw_coding_stripes_set_can_play (CwCodingStripes *self,
                                           gboolean         can_play);

G_END_DECLS
