/* cw-window.h: a project's window. */
#pragma once

#include <adwaita.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_WINDOW (cw_window_get_type ())
G_DECLARE_FINAL_TYPE (CwWindow, cw_window, CW, WINDOW, AdwApplicationWindow)

/* application may be NULL (the tests use a window on its own). */
CwWindow  *cw_window_new          (GtkApplication *application);
/* Shows project (keeps a reference) and remembers it as recent. */
void       cw_window_set_project  (CwWindow       *self,
                                   CwProject      *project);
CwProject *cw_window_get_project  (CwWindow       *self);
/* Opens the project file and shows it; an error names the file. */
gboolean   cw_window_open_file    (CwWindow       *self,
                                   GFile          *file,
                                   GError        **error);
/* A short message at the bottom of the window. */
void       cw_window_show_toast   (CwWindow       *self,
                                   const char     *message);
/* Like cw_window_show_toast, but stays longer: the user must read it. */
void       cw_window_show_error   (CwWindow       *self,
                                   const char     *message);
/* Input that was refused (a damaged or hostile file): a dialog, since a
 * toast slips away, headed heading, with message (which names the file,
 * as the CLI's error line does) and that nothing was changed. */
void       cw_window_show_refusal (CwWindow       *self,
                                   const char     *heading,
                                   const char     *message);

G_END_DECLS
