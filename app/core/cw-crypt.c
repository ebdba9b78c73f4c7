/* cw-crypt.c: encrypted copies of a project (see cw-crypt.h).
 *
 * File format, version 1 (all integers little-endian):
 *
 *   offset  size  field
 *        0     5  magic "CWENC"
 *        5     1  format version (1)
 *        6     8  Argon2id opslimit (u64)
 *       14     8  Argon2id memlimit in bytes (u64)
 *       22    16  salt (crypto_pwhash_SALTBYTES)
 *       38    24  crypto_secretstream_xchacha20poly1305 header
 *       62     …  chunks
 *
 * The plaintext (an SQLite file) is cut into chunks of 64 KiB; each is
 * pushed as one secretstream message of 64 KiB + 17 bytes. The last chunk is
 * shorter (empty when the size is a multiple of 64 KiB) and carries
 * TAG_FINAL. Fixed sizes mean no unauthenticated length fields: a reader
 * takes 64 KiB + 17 bytes at a time, and a short read can only be the last
 * chunk. The 62 header bytes are the additional data of the first chunk,
 * so a changed header (cost, salt, version) fails like a wrong passphrase.
 *
 * The passphrase is used as NFC-normalised UTF-8, so the same passphrase
 * typed on another system (macOS keyboards give NFD) opens the copy.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* renameat2 */
#endif
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "cw-crypt.h"
#include "cw-project-private.h"

G_DEFINE_QUARK (cw-crypt-error-quark, cw_crypt_error)

#define MAGIC          "CWENC"
#define MAGIC_LEN      5
#define FORMAT_VERSION 1
#define CHUNK_SIZE     (64 * 1024)
#define ABYTES         crypto_secretstream_xchacha20poly1305_ABYTES
#define KEYBYTES       crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SALT_OFFSET    (MAGIC_LEN + 1 + 8 + 8)
#define STREAM_OFFSET  (SALT_OFFSET + crypto_pwhash_SALTBYTES)
#define HEADER_LEN     (STREAM_OFFSET + crypto_secretstream_xchacha20poly1305_HEADERBYTES)

/* INTERACTIVE (2 passes over 64 MiB, about 0.1-0.2 s here): MODERATE's
 * 256 MiB would break the 200 MiB ceiling of issue 11. */
#define WRITE_OPSLIMIT ((guint64) crypto_pwhash_OPSLIMIT_INTERACTIVE)
#define WRITE_MEMLIMIT ((guint64) crypto_pwhash_MEMLIMIT_INTERACTIVE)
/* What a file may ask for: the header is only checked after the key is
 * derived, so a hostile header must not make us spend a gigabyte or
 * minutes. MODERATE's cost stays readable for later versions. */
#define MAX_OPSLIMIT   ((guint64) 16)
#define MAX_MEMLIMIT   ((guint64) 256 * 1024 * 1024)

#define MIN_PASSPHRASE_CHARS 8

/* Key material and the plaintext buffer, in sodium_malloc'd memory (kept
 * out of swap where mlock is allowed, wiped by sodium_free). */
typedef struct
{
  unsigned char                             key[KEYBYTES];
  crypto_secretstream_xchacha20poly1305_state state;
  unsigned char                             plain[CHUNK_SIZE];
} Secrets;

static Secrets *
secrets_new (GError **error)
{
  Secrets *secrets = sodium_malloc (sizeof (Secrets));

  if (secrets == NULL)
    g_set_error_literal (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_FAILED,
                         _("not enough memory to encrypt or decrypt"));
  return secrets;
}

static void
secrets_free (Secrets *secrets)
{
  sodium_free (secrets); /* zeroes the memory first */
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Secrets, secrets_free)

static gboolean
ensure_sodium (GError **error)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }
  if (!ok)
    g_set_error_literal (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_FAILED,
                         _("the encryption library (libsodium) could not be started"));
  return ok;
}

static void
put_u64 (unsigned char *p,
         guint64        value)
{
  for (guint i = 0; i < 8; i++)
    p[i] = (unsigned char) (value >> (8 * i));
}

static guint64
get_u64 (const unsigned char *p)
{
  guint64 value = 0;

  for (guint i = 0; i < 8; i++)
    value |= (guint64) p[i] << (8 * i);
  return value;
}

/* Reads until len bytes or end of file; *n_read tells how many. */
static gboolean
read_full (int          fd,
           void        *buffer,
           gsize        len,
           gsize       *n_read,
           const char  *path,
           GError     **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = read (fd, (char *) buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("%s: cannot read the file: %s"), path, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        break;
      done += n;
    }
  *n_read = done;
  return TRUE;
}

static gboolean
write_all (int          fd,
           const void  *buffer,
           gsize        len,
           const char  *path,
           GError     **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n = write (fd, (const char *) buffer + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("%s: cannot write the file: %s"), path, g_strerror (saved));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

static void
set_exists_error (GError     **error,
                  const char  *path)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               _("%s: the file already exists; choose another name"), path);
}

/* A temporary file beside path (same file system, so the final rename is
 * atomic), readable by the user only. */
static int
create_temp_beside (const char  *path,
                    char       **tmp_path,
                    GError     **error)
{
  g_autofree char *template = g_strconcat (path, ".XXXXXX.tmp", NULL);
  int fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: cannot create the file: %s"), path, g_strerror (saved));
      return -1;
    }
  *tmp_path = g_steal_pointer (&template);
  return fd;
}

/* fsync and close, reporting either failure (a full USB stick shows up
 * here on some file systems). */
static gboolean
sync_and_close (int          fd,
                const char  *path,
                GError     **error)
{
  int saved = 0;

  if (fsync (fd) != 0)
    saved = errno;
  if (close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: cannot write the file: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Renames without ever replacing an existing file. */
static gboolean
rename_no_replace (const char  *from,
                   const char  *to,
                   GError     **error)
{
  int saved = _cw_rename_no_replace (from, to);

  if (saved == 0)
    return TRUE;
  if (saved == EEXIST)
    set_exists_error (error, to);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 _("%s: cannot create the file: %s"), to, g_strerror (saved));
  return FALSE;
}

static void
remove_database_files (const char *path)
{
  static const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

gboolean
cw_crypt_check_passphrase (const char  *passphrase,
                           GError     **error)
{
  g_return_val_if_fail (passphrase != NULL, FALSE);

  glong n_chars = g_utf8_validate (passphrase, -1, NULL) ? g_utf8_strlen (passphrase, -1)
                                                         : (glong) strlen (passphrase);

  if (n_chars < MIN_PASSPHRASE_CHARS)
    {
      g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_WEAK_PASSPHRASE,
                   ngettext ("the passphrase is too short: use at least %d character",
                             "the passphrase is too short: use at least %d characters",
                             MIN_PASSPHRASE_CHARS),
                   MIN_PASSPHRASE_CHARS);
      return FALSE;
    }
  return TRUE;
}

/* Argon2id over the NFC form of the passphrase. */
static gboolean
derive_key (unsigned char        *key,
            const char           *passphrase,
            const unsigned char  *salt,
            guint64               opslimit,
            guint64               memlimit,
            GError              **error)
{
  char *normalized = NULL;
  gsize len;
  int rc;

  if (g_utf8_validate (passphrase, -1, NULL))
    normalized = g_utf8_normalize (passphrase, -1, G_NORMALIZE_NFC);
  if (normalized == NULL)
    normalized = g_strdup (passphrase);
  len = strlen (normalized);

  rc = crypto_pwhash (key, KEYBYTES, normalized, len, salt,
                      (unsigned long long) opslimit, (size_t) memlimit,
                      crypto_pwhash_ALG_ARGON2ID13);
  sodium_memzero (normalized, len);
  g_free (normalized);
  if (rc != 0)
    {
      g_autofree char *size = g_format_size_full (memlimit, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_FAILED,
                   _("not enough memory to derive the key from the passphrase (%s needed)"), size);
      return FALSE;
    }
  return TRUE;
}

gboolean
cw_crypt_is_encrypted (const char *path)
{
  guchar head[MAGIC_LEN];
  gssize n = 0;
  gint64 size = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  /* Not open() and close(): the file may be a project open in this process,
   * whose WAL guard (POSIX locks) any close() of it would drop. */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) ||
      _cw_read_file_start (path, head, sizeof head, &n, &size) != 0)
    return FALSE;
  return n == MAGIC_LEN && memcmp (head, MAGIC, MAGIC_LEN) == 0;
}

/* Encryption */

/* A consistent copy of the open project (one read transaction of the
 * online backup) at path. */
static gboolean
snapshot_project (CwProject   *self,
                  const char  *path,
                  GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  int rc;

  if (sqlite3_open_v2 (path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    goto failed;
  /* A throwaway file: no journal, no syncs. */
  if (sqlite3_exec (dest, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;
  backup = sqlite3_backup_init (dest, "main", _cw_project_get_db (self), "main");
  if (backup == NULL)
    goto failed;
  rc = sqlite3_backup_step (backup, -1);
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: cannot take a snapshot of the project: %s"),
                   cw_project_get_path (self), sqlite3_errstr (rc));
      sqlite3_close (dest);
      return FALSE;
    }
  if (sqlite3_close (dest) != SQLITE_OK)
    {
      dest = NULL;
      goto failed;
    }
  return TRUE;

failed:
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
               _("%s: cannot take a snapshot of the project: %s"),
               cw_project_get_path (self), dest != NULL ? sqlite3_errmsg (dest) : "?");
  sqlite3_close (dest);
  return FALSE;
}

/* Streams the file at in_path into out_fd (written to out_path). */
static gboolean
encrypt_stream (int            in_fd,
                const char    *in_path,
                int            out_fd,
                const char    *out_path,
                const char    *passphrase,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(Secrets) secrets = secrets_new (error);
  g_autofree unsigned char *cipher = g_malloc (CHUNK_SIZE + ABYTES);
  unsigned char header[HEADER_LEN];
  gboolean first = TRUE;

  if (secrets == NULL)
    return FALSE;

  memcpy (header, MAGIC, MAGIC_LEN);
  header[MAGIC_LEN] = FORMAT_VERSION;
  put_u64 (header + MAGIC_LEN + 1, WRITE_OPSLIMIT);
  put_u64 (header + MAGIC_LEN + 1 + 8, WRITE_MEMLIMIT);
  randombytes_buf (header + SALT_OFFSET, crypto_pwhash_SALTBYTES);

  if (!derive_key (secrets->key, passphrase, header + SALT_OFFSET, WRITE_OPSLIMIT, WRITE_MEMLIMIT, error))
    return FALSE;
  if (crypto_secretstream_xchacha20poly1305_init_push (&secrets->state, header + STREAM_OFFSET,
                                                       secrets->key) != 0)
    {
      g_set_error_literal (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_FAILED,
                           _("the encryption library (libsodium) could not be started"));
      return FALSE;
    }
  sodium_memzero (secrets->key, sizeof secrets->key);
  if (!write_all (out_fd, header, sizeof header, out_path, error))
    return FALSE;

  for (;;)
    {
      unsigned long long cipher_len = 0;
      unsigned char tag;
      gsize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!read_full (in_fd, secrets->plain, CHUNK_SIZE, &n, in_path, error))
        return FALSE;
      tag = n < CHUNK_SIZE ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                           : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
      crypto_secretstream_xchacha20poly1305_push (&secrets->state, cipher, &cipher_len,
                                                  secrets->plain, n,
                                                  first ? header : NULL, first ? sizeof header : 0,
                                                  tag);
      first = FALSE;
      if (!write_all (out_fd, cipher, (gsize) cipher_len, out_path, error))
        return FALSE;
      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        return TRUE;
    }
}

gboolean
cw_project_write_encrypted (CwProject     *self,
                            const char    *out_path,
                            const char    *passphrase,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *tmp_dir = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *tmp_path = NULL;
  gboolean ok = FALSE;
  int in_fd = -1, out_fd = -1;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cw_crypt_check_passphrase (passphrase, error) || !ensure_sodium (error))
    return FALSE;
  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      set_exists_error (error, out_path);
      return FALSE;
    }

  /* The plain snapshot lives in a directory only we can enter and is
   * removed before we return; it never lands beside the output. A copy in
   * memory instead (sqlite3_serialize) would cost the project's whole size
   * in RAM, over issue 11's ceiling for large projects. */
  tmp_dir = g_dir_make_tmp ("codewerk-crypt-XXXXXX", error);
  if (tmp_dir == NULL)
    return FALSE;
  snapshot = g_build_filename (tmp_dir, "snapshot.codewerk", NULL);

  if (!snapshot_project (self, snapshot, error))
    goto out;
  in_fd = g_open (snapshot, O_RDONLY | O_CLOEXEC, 0);
  if (in_fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: cannot read the file: %s"), snapshot, g_strerror (saved));
      goto out;
    }
  out_fd = create_temp_beside (out_path, &tmp_path, error);
  if (out_fd < 0)
    goto out;
  if (!encrypt_stream (in_fd, snapshot, out_fd, out_path, passphrase, cancellable, error))
    goto out;
  ok = sync_and_close (g_steal_fd (&out_fd), out_path, error) &&
       rename_no_replace (tmp_path, out_path, error);
  if (ok)
    _cw_sync_directory_of (out_path);

out:
  if (in_fd >= 0)
    close (in_fd);
  if (out_fd >= 0)
    close (out_fd);
  if (!ok && tmp_path != NULL)
    g_unlink (tmp_path);
  remove_database_files (snapshot);
  g_rmdir (tmp_dir);
  return ok;
}

/* Decryption */

static void
set_wrong_passphrase (GError     **error,
                      const char  *path)
{
  g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_WRONG_PASSPHRASE,
               _("%s: wrong passphrase, or the file was changed after it was encrypted"), path);
}

static void
set_damaged (GError     **error,
             const char  *path,
             const char  *why)
{
  g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_DAMAGED,
               _("%s: the encrypted copy is damaged or was changed (%s); it cannot be opened"), path, why);
}

/* Reads and checks the header: magic, version and a cost we accept. */
static gboolean
read_header (int            fd,
             const char    *path,
             unsigned char *header,
             guint64       *opslimit,
             guint64       *memlimit,
             GError       **error)
{
  gsize n = 0;

  if (!read_full (fd, header, HEADER_LEN, &n, path, error))
    return FALSE;
  if (n < MAGIC_LEN || memcmp (header, MAGIC, MAGIC_LEN) != 0)
    {
      g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_NOT_ENCRYPTED,
                   _("%s: not an encrypted copy of a Codewerk project (.codewerk-enc)"), path);
      return FALSE;
    }
  if (n > MAGIC_LEN && header[MAGIC_LEN] > FORMAT_VERSION)
    {
      g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_VERSION,
                   _("%s: made by a newer version of Codewerk (encrypted format %d, this version reads %d); please update Codewerk"),
                   path, header[MAGIC_LEN], FORMAT_VERSION);
      return FALSE;
    }
  if (n < HEADER_LEN)
    {
      set_damaged (error, path, _("it ends inside its header"));
      return FALSE;
    }
  if (header[MAGIC_LEN] != FORMAT_VERSION)
    {
      set_damaged (error, path, _("unknown format version"));
      return FALSE;
    }
  *opslimit = get_u64 (header + MAGIC_LEN + 1);
  *memlimit = get_u64 (header + MAGIC_LEN + 1 + 8);
  if (*opslimit < crypto_pwhash_OPSLIMIT_MIN || *opslimit > MAX_OPSLIMIT ||
      *memlimit < crypto_pwhash_MEMLIMIT_MIN || *memlimit > MAX_MEMLIMIT)
    {
      set_damaged (error, path, _("its header asks for an impossible key derivation"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
decrypt_stream (int            in_fd,
                const char    *in_path,
                int            out_fd,
                const char    *out_path,
                const unsigned char *header,
                guint64        opslimit,
                guint64        memlimit,
                const char    *passphrase,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(Secrets) secrets = secrets_new (error);
  g_autofree unsigned char *cipher = g_malloc (CHUNK_SIZE + ABYTES);
  gboolean first = TRUE;
  gboolean ok = FALSE;
  guint index = 0;

  if (secrets == NULL)
    return FALSE;
  if (!derive_key (secrets->key, passphrase, header + SALT_OFFSET, opslimit, memlimit, error))
    return FALSE;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&secrets->state, header + STREAM_OFFSET,
                                                       secrets->key) != 0)
    {
      set_wrong_passphrase (error, in_path);
      return FALSE;
    }
  sodium_memzero (secrets->key, sizeof secrets->key);

  for (;; index++)
    {
      unsigned long long plain_len = 0;
      unsigned char tag = 0;
      gsize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      if (!read_full (in_fd, cipher, CHUNK_SIZE + ABYTES, &n, in_path, error))
        goto out;
      if (n < ABYTES)
        {
          /* Nothing, or less than a tag: cut off before the final part. */
          set_damaged (error, in_path, _("it ends too early"));
          goto out;
        }
      if (crypto_secretstream_xchacha20poly1305_pull (&secrets->state, secrets->plain, &plain_len, &tag,
                                                      cipher, n,
                                                      first ? header : NULL, first ? HEADER_LEN : 0) != 0)
        {
          if (first)
            set_wrong_passphrase (error, in_path);
          else
            {
              g_autofree char *why = g_strdup_printf (_("part %u does not verify"), index + 1);

              set_damaged (error, in_path, why);
            }
          goto out;
        }
      first = FALSE;
      if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
          tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        {
          set_damaged (error, in_path, _("unexpected part"));
          goto out;
        }
      if (!write_all (out_fd, secrets->plain, (gsize) plain_len, out_path, error))
        goto out;
      if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL)
        {
          unsigned char extra;

          if (!read_full (in_fd, &extra, 1, &n, in_path, error))
            goto out;
          if (n != 0)
            {
              set_damaged (error, in_path, _("bytes follow its end"));
              goto out;
            }
          ok = TRUE;
          goto out;
        }
    }

out:
  sodium_memzero (cipher, CHUNK_SIZE + ABYTES);
  return ok;
}

/* Opens the decrypted file as a project (a file encrypted with the right
 * passphrase but holding something else is refused too) and checks the
 * SQLite structure. */
static gboolean
check_project (const char  *tmp_path,
               const char  *in_path,
               GError     **error)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GError) local = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  project = cw_project_open (tmp_path, &local);
  if (project == NULL)
    {
      if (g_error_matches (local, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NEWER_VERSION))
        g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_VERSION,
                     _("%s: holds a project made by a newer version of Codewerk; please update Codewerk"),
                     in_path);
      else
        g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_DAMAGED,
                     _("%s: decrypted, but what it holds is not a Codewerk project"), in_path);
      return FALSE;
    }
  ok = sqlite3_prepare_v2 (_cw_project_get_db (project), "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_ROW &&
       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  if (!ok)
    g_set_error (error, CW_CRYPT_ERROR, CW_CRYPT_ERROR_DAMAGED,
                 _("%s: decrypted, but what it holds is not a Codewerk project"), in_path);
  return ok;
}

/* Every chunk but the last is CHUNK_SIZE + ABYTES long and the last one
 * shorter but at least its tag: a length that fits no such sequence was
 * cut short, which can be said before a passphrase is asked for. */
static gboolean
check_length (int          fd,
              const char  *path,
              GError     **error)
{
  GStatBuf st;
  guint64 body;

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return TRUE; /* reading will tell */
  body = (guint64) st.st_size - MIN ((guint64) st.st_size, HEADER_LEN);
  if (body % (CHUNK_SIZE + ABYTES) < ABYTES)
    {
      set_damaged (error, path, _("it was cut short"));
      return FALSE;
    }
  return TRUE;
}

static int
open_encrypted (const char     *in_path,
                unsigned char  *header,
                guint64        *opslimit,
                guint64        *memlimit,
                GError        **error)
{
  int fd = g_open (in_path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: cannot read the file: %s"), in_path, g_strerror (saved));
      return -1;
    }
  if (!read_header (fd, in_path, header, opslimit, memlimit, error) ||
      !check_length (fd, in_path, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

gboolean
cw_crypt_check_file (const char  *in_path,
                     GError     **error)
{
  unsigned char header[HEADER_LEN];
  guint64 opslimit, memlimit;
  int fd;

  g_return_val_if_fail (in_path != NULL, FALSE);

  fd = open_encrypted (in_path, header, &opslimit, &memlimit, error);
  if (fd < 0)
    return FALSE;
  close (fd);
  return TRUE;
}

gboolean
cw_crypt_decrypt_file (const char    *in_path,
                       const char    *out_path,
                       const char    *passphrase,
                       GCancellable  *cancellable,
                       GError       **error)
{
  unsigned char header[HEADER_LEN];
  g_autofree char *tmp_path = NULL;
  guint64 opslimit = 0, memlimit = 0;
  gboolean ok = FALSE;
  int in_fd, out_fd = -1;

  g_return_val_if_fail (in_path != NULL, FALSE);
  g_return_val_if_fail (out_path != NULL, FALSE);
  g_return_val_if_fail (passphrase != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ensure_sodium (error))
    return FALSE;

  in_fd = open_encrypted (in_path, header, &opslimit, &memlimit, error);
  if (in_fd < 0)
    return FALSE;
  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      set_exists_error (error, out_path);
      goto out;
    }

  out_fd = create_temp_beside (out_path, &tmp_path, error);
  if (out_fd < 0)
    goto out;
  if (!decrypt_stream (in_fd, in_path, out_fd, out_path, header, opslimit, memlimit, passphrase,
                       cancellable, error))
    goto out;
  if (!sync_and_close (g_steal_fd (&out_fd), out_path, error))
    goto out;
  if (!check_project (tmp_path, in_path, error))
    goto out;
  ok = rename_no_replace (tmp_path, out_path, error);
  if (ok)
    _cw_sync_directory_of (out_path);

out:
  close (in_fd);
  if (out_fd >= 0)
    close (out_fd);
  if (!ok && tmp_path != NULL)
    remove_database_files (tmp_path);
  return ok;
}
