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

/* What opening an encrypted copy does once the decrypted project's file
 * is chosen: asks the passphrase in a free window (again after a wrong
 * one), decrypts in a worker, then shows the project there. */
void _cw_application_open_encrypted (CwApplication *self,
                                     GFile         *encrypted,
                                     GFile         *target);

G_END_DECLS
