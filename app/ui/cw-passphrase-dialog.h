/* cw-passphrase-dialog.h: asks for the passphrase of an encrypted copy.
 *
 * Two modes: OPEN (one entry, for a .codewerk-enc being opened or merged)
 * and NEW (a passphrase and its repetition, for writing an encrypted copy;
 * the button stays insensitive until both match and are long enough).
 * The passphrase is handed over once through ::passphrase-entered and the
 * entries are cleared right after: the dialog keeps no copy.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef enum
{
  CW_PASSPHRASE_MODE_OPEN,
  CW_PASSPHRASE_MODE_NEW,
} CwPassphraseMode;

/* What the core refuses as weak (cw-crypt.h), in characters. */
#define CW_PASSPHRASE_MIN_LENGTH 8

#define CW_TYPE_PASSPHRASE_DIALOG (cw_passphrase_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CwPassphraseDialog, cw_passphrase_dialog, CW, PASSPHRASE_DIALOG, AdwWindow)

/* file_name: the copy's name, shown in the text. */
CwPassphraseDialog *cw_passphrase_dialog_new       (GtkWindow          *parent,
                                                    CwPassphraseMode    mode,
                                                    const char         *file_name);
CwPassphraseMode    cw_passphrase_dialog_get_mode  (CwPassphraseDialog *self);
/* OPEN mode: after ::passphrase-entered the dialog waits (a spinner)
 * until its owner either closes it or calls this with the reason (a
 * wrong passphrase): the dialog says so and asks again. */
void                cw_passphrase_dialog_set_error (CwPassphraseDialog *self,
                                                    const char         *message);

/* Overwrites passphrase's bytes, then frees it. */
void                cw_passphrase_free             (char               *passphrase);

/* Opening a copy: asks the passphrase (parent's modal dialog), decrypts
 * in_file to out_file in a worker, and asks again after a wrong
 * passphrase. Finishes with TRUE once out_file is written, FALSE with
 * G_IO_ERROR_CANCELLED when the user gave up, or another error (a
 * damaged file; the dialog is closed then). */
void                cw_passphrase_dialog_decrypt_async  (GtkWindow           *parent,
                                                         GFile               *in_file,
                                                         GFile               *out_file,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            cw_passphrase_dialog_decrypt_finish (GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
