/* cw-passphrase-dialog-private.h: what the tests do inside the dialog. */
#pragma once

#include "cw-passphrase-dialog.h"

G_BEGIN_DECLS

/* Types into the entries (repeat is ignored in OPEN mode). */
void        _cw_passphrase_dialog_set_text   (CwPassphraseDialog *self,
                                              const char         *passphrase,
                                              const char         *repeat);
gboolean    _cw_passphrase_dialog_can_accept (CwPassphraseDialog *self);
/* Clicks the suggested button (does nothing while it is insensitive). */
void        _cw_passphrase_dialog_accept     (CwPassphraseDialog *self);
const char *_cw_passphrase_dialog_get_hint   (CwPassphraseDialog *self);
/* The text in the first entry (empty once handed over). */
const char *_cw_passphrase_dialog_get_text   (CwPassphraseDialog *self);
gboolean    _cw_passphrase_dialog_is_busy    (CwPassphraseDialog *self);

G_END_DECLS
