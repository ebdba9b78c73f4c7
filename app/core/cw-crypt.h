/* cw-crypt.h: encrypted copies of a project (.codewerk-enc) for sending
 * and archiving. The working file stays plain SQLite (see the README on
 * SQLCipher).
 *
 * A copy is a consistent snapshot (SQLite online backup of the open
 * project) sealed with libsodium: the passphrase is stretched with
 * crypto_pwhash (Argon2id, a random salt, the cost stored in the header)
 * and the snapshot encrypted in chunks with crypto_secretstream
 * (XChaCha20-Poly1305), the last chunk tagged final, the header bound to
 * the stream as additional data. A wrong passphrase, a changed byte
 * anywhere, a truncated or extended file are all refused. Passphrases are
 * never stored or logged; the memory holding keys is wiped.
 */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_CRYPT_ERROR (cw_crypt_error_quark ())

typedef enum
{
  CW_CRYPT_ERROR_NOT_ENCRYPTED,   /* not a .codewerk-enc file (no magic) */
  CW_CRYPT_ERROR_VERSION,         /* made by a newer Codewerk */
  CW_CRYPT_ERROR_WRONG_PASSPHRASE,/* the first chunk does not open */
  CW_CRYPT_ERROR_DAMAGED,         /* a later chunk, truncation or trailing bytes */
  CW_CRYPT_ERROR_WEAK_PASSPHRASE, /* empty or shorter than 8 characters */
  CW_CRYPT_ERROR_FAILED,          /* libsodium could not start, out of memory */
} CwCryptError;

GQuark    cw_crypt_error_quark           (void);

/* TRUE when path starts with the magic of an encrypted copy (reads a few
 * bytes; FALSE for missing files). */
gboolean  cw_crypt_is_encrypted          (const char    *path);

/* Added by the core (crypt): checks before asking for or using a
 * passphrase. check_passphrase: CW_CRYPT_ERROR_WEAK_PASSPHRASE when it is
 * shorter than 8 characters (what cw_project_write_encrypted refuses).
 * check_file: reads the header of in_path (no passphrase needed) and gives
 * the error cw_crypt_decrypt_file would give for a missing file, one that
 * is not encrypted (NOT_ENCRYPTED), a newer format (VERSION) or a broken
 * header (DAMAGED). */
gboolean  cw_crypt_check_passphrase      (const char    *passphrase,
                                          GError       **error);
gboolean  cw_crypt_check_file            (const char    *in_path,
                                          GError       **error);

/* Writes an encrypted copy of the open project to out_path (refuses to
 * overwrite; written to a temporary file beside it and renamed, so a
 * failure leaves nothing). The project is not changed. */
gboolean  cw_project_write_encrypted     (CwProject     *self,
                                          const char    *out_path,
                                          const char    *passphrase,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Restores the project in in_path to out_path (a new .codewerk file;
 * refuses to overwrite). On any error nothing is left at out_path. */
gboolean  cw_crypt_decrypt_file          (const char    *in_path,
                                          const char    *out_path,
                                          const char    *passphrase,
                                          GCancellable  *cancellable,
                                          GError       **error);

G_END_DECLS
