/* cw-edit-banner.h: the bar above a transcript in edit mode. */
#pragma once

#include <gtk/gtk.h>

#include "cw-transcript-view.h"

G_BEGIN_DECLS

#define CW_TYPE_EDIT_BANNER (cw_edit_banner_get_type ())
G_DECLARE_FINAL_TYPE (CwEditBanner, cw_edit_banner, CW, EDIT_BANNER, GtkWidget)

GtkWidget        *cw_edit_banner_new      (void);
/* The view whose edit mode the banner shows (borrowed: the banner lives
 * beside it in the same window). */
void              cw_edit_banner_set_view (CwEditBanner     *self,
                                           CwTranscriptView *view);
CwTranscriptView *cw_edit_banner_get_view (CwEditBanner     *self);
/* For the tests: the language chooser and whether the banner shows. */
GtkDropDown      *_cw_edit_banner_get_language_dropdown (CwEditBanner *self);
gboolean          _cw_edit_banner_get_revealed          (CwEditBanner *self);

G_END_DECLS
