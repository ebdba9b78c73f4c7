/* cw-replace-bar.h: find and replace in a document or in all documents,
 * with the coding-safe edits of the core (codings follow the text). */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"
#include "cw-transcript-view.h"

G_BEGIN_DECLS

#define CW_TYPE_REPLACE_BAR (cw_replace_bar_get_type ())
G_DECLARE_FINAL_TYPE (CwReplaceBar, cw_replace_bar, CW, REPLACE_BAR, GtkWidget)

GtkWidget *cw_replace_bar_new          (void);
/* The project to replace in (keeps a reference; NULL: none). */
void       cw_replace_bar_set_project  (CwReplaceBar     *self,
                                        CwProject        *project);
/* The view showing "this document" (borrowed). */
void       cw_replace_bar_set_view     (CwReplaceBar     *self,
                                        CwTranscriptView *view);
/* Shows the bar with the find entry focused; find (may be NULL) fills it. */
void       cw_replace_bar_open         (CwReplaceBar     *self,
                                        const char       *find);
void       cw_replace_bar_close        (CwReplaceBar     *self);
gboolean   cw_replace_bar_get_open     (CwReplaceBar     *self);

G_END_DECLS
