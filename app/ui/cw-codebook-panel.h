/* cw-codebook-panel.h: the codebook beside a transcript: the tree of
 * codes, search, and the selected code's details. */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_CODEBOOK_PANEL (cw_codebook_panel_get_type ())
G_DECLARE_FINAL_TYPE (CwCodebookPanel, cw_codebook_panel, CW, CODEBOOK_PANEL, GtkWidget)

GtkWidget *cw_codebook_panel_new          (void);
/* Shows project's codebook (keeps a reference; NULL clears) and follows
 * its changes. Edits of the codebook go to project directly. */
void       cw_codebook_panel_set_project  (CwCodebookPanel *self,
                                           CwProject       *project);
/* Reads the codebook again (done on every CwProject::changed). */
void       cw_codebook_panel_reload       (CwCodebookPanel *self);
/* The selected code's id, 0 when none. */
gint64     cw_codebook_panel_get_selected (CwCodebookPanel *self);
/* Selects the code (unfolding its parents); FALSE if it is not shown. */
gboolean   cw_codebook_panel_select_code  (CwCodebookPanel *self,
                                           gint64           code_id);
/* The codes as last read (CwCode, in tree order), or NULL. */
GPtrArray *cw_codebook_panel_get_codes    (CwCodebookPanel *self);

G_END_DECLS
