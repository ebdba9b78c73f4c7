/* cw-timestamp-gutter.h: the turns' times beside a transcript. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CW_TYPE_TIMESTAMP_GUTTER (cw_timestamp_gutter_get_type ())
G_DECLARE_FINAL_TYPE (CwTimestampGutter, cw_timestamp_gutter, CW, TIMESTAMP_GUTTER, GtkWidget)

/* A gutter for view's left border window (gtk_text_view_set_gutter). */
GtkWidget *cw_timestamp_gutter_new       (GtkTextView *view);
/* turns: CwTurn, in document order; NULL for none. Keeps a reference. */
void       cw_timestamp_gutter_set_turns (CwTimestampGutter *self,
                                          GPtrArray         *turns);
/* With a recording, a click on a time emits ::time-activated (guint turn
 * index, double seconds): play from there. */
void       cw_timestamp_gutter_set_clickable (CwTimestampGutter *self,
                                              gboolean           clickable);
/* What a click at y (the gutter's coordinates) does; FALSE when there is
 * no time on that line or the gutter is not clickable. */
gboolean   cw_timestamp_gutter_activate_at   (CwTimestampGutter *self,
                                              double             y);
/* "00:03:15"; exposed for the tests. */
char      *cw_timestamp_gutter_format    (double             seconds);

G_END_DECLS
