/* cw-application.h: the Codewerk application. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CW_TYPE_APPLICATION (cw_application_get_type ())
G_DECLARE_FINAL_TYPE (CwApplication, cw_application, CW, APPLICATION, AdwApplication)

CwApplication *cw_application_new (void);
void           cw_application_choose_renderer (void);

G_END_DECLS
