/* cw-application-private.h: what the tests call inside a CwApplication. */
#pragma once

#include "cw-application.h"

G_BEGIN_DECLS

/* What app.import-project does once both files are chosen: creates the
 * project target from the exchange file qdpx in a free window (a new one
 * if every window shows a project) and shows it there. */
void _cw_application_import_project (CwApplication *self,
                                     GFile         *qdpx,
                                     GFile         *target);

G_END_DECLS
