/* cw-backup.c: backups of a project beside it (see cw-backup.h for where,
 * how and why). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "cw-backup.h"
#include "cw-project-private.h"

G_DEFINE_QUARK (cw-backup-error-quark, cw_backup_error)

#define TMP_PREFIX       ".cw-tmp-"
#define RECORD_NAME      ".cw-last-backup"
#define BACKUP_SUFFIX    ".codewerk"
/* A temporary file younger than this may be one another process has just
 * created and not yet locked. */
#define STALE_SECONDS    60
/* Tries of a snapshot whose source is briefly busy (WAL recovery). */
#define BUSY_RETRIES     100

void
cw_backup_info_free (CwBackupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->path);
  g_clear_pointer (&info->time, g_date_time_unref);
  g_free (info);
}

char *
cw_backup_get_folder (const char *project_path)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (project_path != NULL, NULL);

  dir = g_path_get_dirname (project_path);
  base = g_path_get_basename (project_path);
  name = g_strconcat (base, "-backups", NULL);
  /* Relative as given: "study.codewerk" -> "study.codewerk-backups". */
  if (strchr (project_path, G_DIR_SEPARATOR) == NULL)
    return g_steal_pointer (&name);
  return g_build_filename (dir, name, NULL);
}

/* The project's file name without ".codewerk": the start of every backup's
 * name. */
static char *
backup_stem (const char *project_path)
{
  char *base = g_path_get_basename (project_path);
  gsize len = strlen (base);

  if (len > strlen (BACKUP_SUFFIX) && g_str_has_suffix (base, BACKUP_SUFFIX))
    base[len - strlen (BACKUP_SUFFIX)] = '\0';
  return base;
}

/* Names of backups, newest first */

typedef struct
{
  char      *name;
  char      *path;
  GDateTime *time;
  guint      counter; /* 1 for "NAME TIME.codewerk", n for " (n)" */
} Entry;

static void
entry_free (Entry *entry)
{
  g_free (entry->name);
  g_free (entry->path);
  g_date_time_unref (entry->time);
  g_free (entry);
}

static int
entry_compare_newest_first (gconstpointer a,
                            gconstpointer b)
{
  const Entry *x = *(const Entry * const *) a;
  const Entry *y = *(const Entry * const *) b;
  int by_time = g_date_time_compare (y->time, x->time);

  if (by_time != 0)
    return by_time;
  return (y->counter > x->counter) - (y->counter < x->counter);
}

static GRegex *
backup_name_regex (const char *stem)
{
  g_autofree char *escaped = g_regex_escape_string (stem, -1);
  g_autofree char *pattern =
    g_strdup_printf ("^%s (\\d{4})-(\\d{2})-(\\d{2}) (\\d{2})\\.(\\d{2})\\.(\\d{2})(?: \\((\\d{1,4})\\))?\\.codewerk$",
                     escaped);

  /* Bytes, not UTF-8: file names need not be valid UTF-8. */
  return g_regex_new (pattern, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, NULL);
}

static int
match_int (GMatchInfo *match,
           int         group)
{
  g_autofree char *text = g_match_info_fetch (match, group);

  return text != NULL && *text != '\0' ? (int) g_ascii_strtoll (text, NULL, 10) : 0;
}

/* Parses name as one of stem's backups; NULL when it is not one. */
static Entry *
parse_entry (GRegex     *regex,
             const char *folder,
             const char *name)
{
  g_autoptr(GMatchInfo) match = NULL;
  GDateTime *time;
  Entry *entry;

  if (!g_regex_match (regex, name, 0, &match))
    return NULL;
  time = g_date_time_new_local (match_int (match, 1), match_int (match, 2), match_int (match, 3),
                                match_int (match, 4), match_int (match, 5), match_int (match, 6));
  if (time == NULL)
    return NULL;
  entry = g_new0 (Entry, 1);
  entry->name = g_strdup (name);
  entry->path = g_build_filename (folder, name, NULL);
  entry->time = time;
  entry->counter = MAX (1, match_int (match, 7));
  return entry;
}

static gboolean
is_regular_file (const char *path,
                 GStatBuf   *out)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  if (out != NULL)
    *out = st;
  return TRUE;
}

/* The backups in folder (regular files with a backup's name), newest
 * first; an empty array when the folder does not exist. */
static GPtrArray *
list_entries (const char  *folder,
              const char  *stem,
              GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  g_autoptr(GRegex) regex = backup_name_regex (stem);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &local_error);
  const char *name;

  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&entries);
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                   _("%s: cannot read the backups folder: %s"), folder, local_error->message);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      Entry *entry = regex != NULL ? parse_entry (regex, folder, name) : NULL;

      if (entry == NULL)
        continue;
      if (!is_regular_file (entry->path, NULL))
        {
          entry_free (entry);
          continue;
        }
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, entry_compare_newest_first);
  return g_steal_pointer (&entries);
}

/* The fingerprint: what changes with every commit (cw-backup.h) */

static void
append_stat (GString    *out,
             const char *label,
             GStatBuf   *full)
{
  g_string_append_printf (out, "%s %" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT " %" G_GINT64_FORMAT
                          " %" G_GINT64_FORMAT ".%09ld %" G_GINT64_FORMAT ".%09ld;",
                          label, (guint64) full->st_dev, (guint64) full->st_ino, (gint64) full->st_size,
                          (gint64) full->st_mtim.tv_sec, (long) full->st_mtim.tv_nsec,
                          (gint64) full->st_ctim.tv_sec, (long) full->st_ctim.tv_nsec);
}

static char *
project_fingerprint (const char *project_path)
{
  g_autofree char *wal = g_strconcat (project_path, "-wal", NULL);
  GString *out = g_string_new (NULL);
  GStatBuf st;

  if (g_stat (project_path, &st) != 0)
    return g_string_free (out, TRUE);
  append_stat (out, "db", &st);
  /* An empty -wal, or none, is the same state: opening creates one, closing
   * deletes it, neither changes the data. */
  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    append_stat (out, "wal", &st);
  return g_string_free (out, FALSE);
}

/* The record of the last backup: the fingerprint, then the backup's name. */
static gboolean
read_record (const char  *folder,
             char       **fingerprint,
             char       **name)
{
  g_autofree char *path = g_build_filename (folder, RECORD_NAME, NULL);
  g_autofree char *contents = NULL;
  char *split;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  split = strstr (contents, "\n\n");
  if (split == NULL)
    return FALSE;
  *split = '\0';
  *fingerprint = g_strdup (contents);
  *name = g_strdup (g_strchomp (split + 2));
  return TRUE;
}

static void
write_record (const char *folder,
              const char *fingerprint,
              const char *name)
{
  g_autofree char *path = g_build_filename (folder, RECORD_NAME, NULL);
  g_autofree char *contents = g_strdup_printf ("%s\n\n%s\n", fingerprint, name);
  g_autoptr(GError) error = NULL;

  /* Losing it costs one backup too many at the next open, nothing more. */
  if (!g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("%s", error->message);
}

/* Temporary files */

static void
unlink_database (const char *path)
{
  static const char *suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

/* Deletes the temporary files of writers that are gone: older than a
 * minute and not locked (a lock dies with its process). */
static void
remove_stale_temporaries (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;
      int fd;

      const char *dash;

      if (!g_str_has_prefix (name, TMP_PREFIX))
        continue;
      path = g_build_filename (folder, name, NULL);
      if (!is_regular_file (path, &st) || now - (gint64) st.st_mtime < STALE_SECONDS)
        continue;
      /* The main temporary file decides for its -journal, -wal and -shm;
       * those left without one go. */
      dash = strchr (name + strlen (TMP_PREFIX), '-');
      if (dash != NULL)
        {
          g_autofree char *main_path = g_strndup (path, strlen (path) - strlen (dash));

          if (!g_file_test (main_path, G_FILE_TEST_EXISTS))
            g_ptr_array_add (stale, g_steal_pointer (&path));
          continue;
        }
      fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        g_ptr_array_add (stale, g_steal_pointer (&path));
      close (fd);
    }
  for (guint i = 0; i < stale->len; i++)
    unlink_database (stale->pdata[i]);
}

/* A new temporary file in folder, 0600, locked; its descriptor in *fd. */
static char *
create_temporary (const char  *folder,
                  int         *fd,
                  GError     **error)
{
  char *path = g_build_filename (folder, TMP_PREFIX "XXXXXX", NULL);

  *fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (*fd < 0 || flock (*fd, LOCK_EX) != 0)
    {
      int saved = errno;

      if (*fd >= 0)
        {
          close (*fd);
          g_unlink (path);
          *fd = -1;
        }
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                   _("%s: cannot write a backup: %s"), folder, g_strerror (saved));
      g_free (path);
      return NULL;
    }
  return path;
}

static gboolean
ensure_folder (const char  *folder,
               GError     **error)
{
  GStatBuf st;

  if (g_mkdir (folder, 0700) == 0)
    return TRUE;
  if (errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                   _("%s: cannot create the backups folder: %s"), folder, g_strerror (saved));
      return FALSE;
    }
  if (g_stat (folder, &st) != 0 || !S_ISDIR (st.st_mode))
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                   _("%s: cannot create the backups folder: %s"), folder, g_strerror (ENOTDIR));
      return FALSE;
    }
  return TRUE;
}

static void
sync_folder (const char *folder)
{
  int fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Copying a database */

static void
set_sqlite_error (GError     **error,
                  const char  *path,
                  sqlite3     *db,
                  int          rc)
{
  g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
               _("%s: cannot write a backup: %s"), path,
               db != NULL && sqlite3_errcode (db) != SQLITE_OK ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* Runs a whole online backup from src into dest (one step, so one read
 * transaction on src: a consistent snapshot), retrying up to retries times
 * while src is briefly busy (its busy handler is not called). Returns the
 * SQLite result. */
static int
online_backup (sqlite3 *dest,
               sqlite3 *src,
               guint    retries)
{
  for (guint tries = 0;; tries++)
    {
      sqlite3_backup *backup = sqlite3_backup_init (dest, "main", src, "main");
      int rc;

      if (backup == NULL)
        return sqlite3_errcode (dest);
      rc = sqlite3_backup_step (backup, -1);
      sqlite3_backup_finish (backup);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || tries >= retries)
        return rc;
      g_usleep (100 * 1000);
    }
}

/* Copies src into the empty file dest_path (descriptor fd) as a project
 * file on its own: rollback journal, nothing beside it, synced. */
static gboolean
copy_database (sqlite3     *src,
               const char  *dest_path,
               int          fd,
               GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean converted;
  int rc;

  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  /* Written once and renamed: no journal, no syncs until the end. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (dest, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = online_backup (dest, src, BUSY_RETRIES);
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, dest_path, dest, rc);
      sqlite3_close (dest);
      return FALSE;
    }
  sqlite3_close (dest);
  dest = NULL;

  /* The copy says WAL in its header, as the project does: make it a file
   * that stands alone, so that reading it never leaves -wal or -shm. */
  rc = sqlite3_open_v2 (dest_path, &dest, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (dest, "PRAGMA journal_mode = DELETE", -1, &stmt, NULL);
  converted = rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW &&
              g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "delete") == 0;
  sqlite3_finalize (stmt);
  if (!converted)
    {
      set_sqlite_error (error, dest_path, dest, rc != SQLITE_OK ? rc : SQLITE_ERROR);
      sqlite3_close (dest);
      return FALSE;
    }
  if (sqlite3_close (dest) != SQLITE_OK || fsync (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                   _("%s: cannot write a backup: %s"), dest_path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Gives the finished temporary file its backup name, never replacing a
 * file; the new name in *name. */
static gboolean
publish (const char  *tmp_path,
         const char  *folder,
         const char  *stem,
         char       **name,
         GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M.%S");
  g_autoptr(GPtrArray) entries = list_entries (folder, stem, NULL);
  guint first = 1;

  /* Above every backup of this second, also deleted ones' neighbours:
   * the number orders backups made within one second. */
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];
      g_autofree char *entry_stamp = g_date_time_format (entry->time, "%Y-%m-%d %H.%M.%S");

      if (strcmp (entry_stamp, stamp) == 0)
        first = MAX (first, entry->counter + 1);
    }

  for (guint n = first; n < first + 1000; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup_printf ("%s %s" BACKUP_SUFFIX, stem, stamp)
                                          : g_strdup_printf ("%s %s (%u)" BACKUP_SUFFIX, stem, stamp, n);
      g_autofree char *path = g_build_filename (folder, candidate, NULL);
      int rc = link (tmp_path, path);

      /* A file system without hard links: look, then rename. */
      if (rc != 0 && (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP || errno == EMLINK))
        rc = g_file_test (path, G_FILE_TEST_EXISTS) ? (errno = EEXIST, -1) : g_rename (tmp_path, path);
      if (rc == 0)
        {
          g_unlink (tmp_path);
          sync_folder (folder);
          *name = g_steal_pointer (&candidate);
          return TRUE;
        }
      if (errno != EEXIST)
        {
          int saved = errno;

          g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                       _("%s: cannot write a backup: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
               _("%s: cannot write a backup: %s"), folder, g_strerror (EEXIST));
  return FALSE;
}

/* Deletes all but the newest keep backups (never the one just made). */
static void
rotate (const char *folder,
        const char *stem,
        guint       keep,
        const char *just_made)
{
  g_autoptr(GPtrArray) entries = list_entries (folder, stem, NULL);

  for (guint i = keep; entries != NULL && i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];

      if (g_strcmp0 (entry->name, just_made) != 0)
        g_unlink (entry->path);
    }
}

/* A copy of src (the open project, or a backup) as a new temporary file in
 * folder; the folder is made first, stale temporaries removed. *out_fd
 * holds the file's lock: close it when done with the file. */
static char *
snapshot_to_temporary (sqlite3     *src,
                       const char  *folder,
                       int         *out_fd,
                       GError     **error)
{
  g_autofree char *tmp_path = NULL;
  int fd = -1;

  if (!ensure_folder (folder, error))
    return NULL;
  remove_stale_temporaries (folder);
  tmp_path = create_temporary (folder, &fd, error);
  if (tmp_path == NULL)
    return NULL;
  if (!copy_database (src, tmp_path, fd, error))
    {
      unlink_database (tmp_path);
      close (fd);
      return NULL;
    }
  *out_fd = fd;
  return g_steal_pointer (&tmp_path);
}

static gboolean
make_backup (CwProject      *project,
             guint           keep,
             CwBackupFlags   flags,
             char          **out_path,
             GCancellable   *cancellable,
             GError        **error)
{
  const char *project_path = cw_project_get_path (project);
  g_autofree char *folder = cw_backup_get_folder (project_path);
  g_autofree char *stem = backup_stem (project_path);
  /* Before the copy: a commit during it makes the next fingerprint differ. */
  g_autofree char *fingerprint = project_fingerprint (project_path);
  g_autofree char *tmp_path = NULL;
  g_autofree char *name = NULL;
  gboolean published;
  int fd = -1;

  if (out_path != NULL)
    *out_path = NULL;

  if (!(flags & CW_BACKUP_FLAGS_FORCE) && *fingerprint != '\0')
    {
      g_autofree char *last_fingerprint = NULL;
      g_autofree char *last_name = NULL;

      if (read_record (folder, &last_fingerprint, &last_name) &&
          strcmp (fingerprint, last_fingerprint) == 0)
        {
          g_autoptr(GRegex) regex = backup_name_regex (stem);
          g_autofree char *last_path = g_build_filename (folder, last_name, NULL);

          if (regex != NULL && g_regex_match (regex, last_name, 0, NULL) &&
              is_regular_file (last_path, NULL))
            return TRUE;
        }
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  tmp_path = snapshot_to_temporary (_cw_project_get_db (project), folder, &fd, error);
  if (tmp_path == NULL)
    return FALSE;
  published = !g_cancellable_set_error_if_cancelled (cancellable, error) &&
              publish (tmp_path, folder, stem, &name, error);
  if (!published)
    unlink_database (tmp_path);
  close (fd);
  if (!published)
    return FALSE;
  if (*fingerprint != '\0')
    write_record (folder, fingerprint, name);
  if (keep != G_MAXUINT)
    rotate (folder, stem, keep, name);
  if (out_path != NULL)
    *out_path = g_build_filename (folder, name, NULL);
  return TRUE;
}

gboolean
cw_backup_make (CwProject      *project,
                guint           keep,
                CwBackupFlags   flags,
                char          **out_path,
                GCancellable   *cancellable,
                GError        **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_path != NULL)
    *out_path = NULL;
  if (keep == 0)
    return TRUE;
  return make_backup (project, keep, flags, out_path, cancellable, error);
}

/* Reading backups */

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Opens path read-only, creating nothing; NULL when it is not a database. */
static sqlite3 *
open_read_only (const char *path)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 2000);
  return db;
}

static void
read_counts (CwBackupInfo *info)
{
  sqlite3 *db = open_read_only (info->path);

  info->documents = info->codings = -1;
  if (db == NULL)
    return;
  if (query_int (db, "PRAGMA application_id") == CW_PROJECT_APPLICATION_ID)
    {
      info->documents = query_int (db, "SELECT count(*) FROM documents");
      info->codings = query_int (db, "SELECT count(*) FROM codings");
      if (info->documents < 0 || info->codings < 0)
        info->documents = info->codings = -1;
    }
  sqlite3_close (db);
}

GPtrArray *
cw_backup_list (const char  *project_path,
                GError     **error)
{
  g_autofree char *folder = NULL;
  g_autofree char *stem = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GPtrArray *infos;

  g_return_val_if_fail (project_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  folder = cw_backup_get_folder (project_path);
  stem = backup_stem (project_path);
  entries = list_entries (folder, stem, error);
  if (entries == NULL)
    return NULL;

  infos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_backup_info_free);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = entries->pdata[i];
      CwBackupInfo *info = g_new0 (CwBackupInfo, 1);
      GStatBuf st;

      info->path = g_strdup (entry->path);
      info->time = g_date_time_ref (entry->time);
      info->size = g_stat (entry->path, &st) == 0 ? (gint64) st.st_size : 0;
      read_counts (info);
      g_ptr_array_add (infos, info);
    }
  return infos;
}

/* Restoring */

/* The backup must be a sound copy of this project, not newer than us. */
static gboolean
check_backup (CwProject   *project,
              const char  *backup_path,
              sqlite3     *backup,
              GError     **error)
{
  g_autofree char *check = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *theirs = NULL;
  gint64 version;

  if (query_int (backup, "PRAGMA application_id") != CW_PROJECT_APPLICATION_ID)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_A_BACKUP,
                   _("%s: not a backup of a Codewerk project"), backup_path);
      return FALSE;
    }
  version = query_int (backup, "PRAGMA user_version");
  if (version > CW_PROJECT_SCHEMA_VERSION)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NEWER_VERSION,
                   _("%s: made by a newer version of Codewerk (project format %lld, this version reads up to %d); please update Codewerk"),
                   backup_path, (long long) version, CW_PROJECT_SCHEMA_VERSION);
      return FALSE;
    }
  if (version < 1)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_A_BACKUP,
                   _("%s: not a backup of a Codewerk project"), backup_path);
      return FALSE;
    }
  /* The whole file, not a quick look: a restore replaces everything. */
  check = query_text (backup, "PRAGMA integrity_check");
  if (g_strcmp0 (check, "ok") != 0)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_A_BACKUP,
                   _("%s: the backup is damaged (%s)"), backup_path,
                   check != NULL ? check : sqlite3_errmsg (backup));
      return FALSE;
    }
  ours = query_text (_cw_project_get_db (project), "SELECT value FROM project WHERE key = 'guid'");
  theirs = query_text (backup, "SELECT value FROM project WHERE key = 'guid'");
  if (ours != NULL && theirs != NULL && strcmp (ours, theirs) != 0)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_A_BACKUP,
                   _("%s: a backup of another project; open it as a project of its own instead"),
                   backup_path);
      return FALSE;
    }
  return TRUE;
}

/* Names the backup in the record when it lies in the project's backups
 * folder: the restored state is in it, so the next open makes none. */
static void
record_restored (CwProject  *project,
                 const char *backup_path)
{
  const char *project_path = cw_project_get_path (project);
  g_autofree char *folder = cw_backup_get_folder (project_path);
  g_autofree char *stem = backup_stem (project_path);
  g_autofree char *dir = g_path_get_dirname (backup_path);
  g_autofree char *name = g_path_get_basename (backup_path);
  g_autofree char *fingerprint = NULL;
  g_autoptr(GRegex) regex = backup_name_regex (stem);
  GStatBuf in_folder, backup_dir;

  if (g_stat (folder, &in_folder) != 0 || g_stat (dir, &backup_dir) != 0 ||
      in_folder.st_dev != backup_dir.st_dev || in_folder.st_ino != backup_dir.st_ino ||
      regex == NULL || !g_regex_match (regex, name, 0, NULL))
    return;
  /* Into the file now, so closing the other connections writes nothing
   * that would change the fingerprint (best effort: a reader may hold the
   * WAL; the next open then makes one backup too many). */
  sqlite3_exec (_cw_project_get_db (project), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  fingerprint = project_fingerprint (project_path);
  if (*fingerprint != '\0')
    write_record (folder, fingerprint, name);
}

gboolean
cw_backup_restore (CwProject     *project,
                   const char    *backup_path,
                   char         **undo_path,
                   GCancellable  *cancellable,
                   GError       **error)
{
  const char *project_path;
  g_autofree char *folder = NULL;
  g_autofree char *tmp_path = NULL;
  g_autofree char *made = NULL;
  g_autoptr(CwProject) copy = NULL;
  sqlite3 *backup = NULL;
  gboolean ok = FALSE;
  int tmp_fd = -1;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (backup_path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (undo_path != NULL)
    *undo_path = NULL;
  project_path = cw_project_get_path (project);
  folder = cw_backup_get_folder (project_path);

  if (!is_regular_file (backup_path, NULL))
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_FOUND,
                   _("%s: no such backup"), backup_path);
      return FALSE;
    }
  if (!sqlite3_get_autocommit (_cw_project_get_db (project)))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                   _("%s: the project is busy in another program; try again"), project_path);
      return FALSE;
    }

  backup = open_read_only (backup_path);
  if (backup == NULL)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_A_BACKUP,
                   _("%s: not a backup of a Codewerk project"), backup_path);
      return FALSE;
    }
  if (!check_backup (project, backup_path, backup, error))
    goto out;

  /* A copy, opened as a project: an older format is updated there, and the
   * backup itself is never written. */
  tmp_path = snapshot_to_temporary (backup, folder, &tmp_fd, error);
  sqlite3_close (backup);
  backup = NULL;
  if (tmp_path == NULL)
    goto out;
  copy = cw_project_open (tmp_path, error);
  if (copy == NULL)
    {
      g_clear_error (error);
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_A_BACKUP,
                   _("%s: not a backup of a Codewerk project"), backup_path);
      goto out;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  /* The state before, so that the restore can be undone by restoring it.
   * Never rotated: the chosen backup may be the oldest. */
  if (!make_backup (project, G_MAXUINT, CW_BACKUP_FLAGS_FORCE, &made, NULL, error))
    goto out;

  /* One write transaction on the project's own connection; its busy
   * handler has waited for other writers already. */
  rc = online_backup (_cw_project_get_db (project), _cw_project_get_db (copy), 0);
  if (rc != SQLITE_DONE)
    {
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                     _("%s: the project is busy in another program; try again"), project_path);
      else
        g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_FAILED,
                     _("%s: cannot restore the backup: %s"), project_path,
                     sqlite3_errcode (_cw_project_get_db (project)) != SQLITE_OK
                       ? sqlite3_errmsg (_cw_project_get_db (project)) : sqlite3_errstr (rc));
      goto out;
    }
  g_clear_object (&copy);
  record_restored (project, backup_path);
  if (undo_path != NULL)
    *undo_path = g_steal_pointer (&made);
  ok = TRUE;

out:
  if (backup != NULL)
    sqlite3_close (backup);
  g_clear_object (&copy);
  if (tmp_path != NULL)
    unlink_database (tmp_path);
  if (tmp_fd >= 0)
    close (tmp_fd);
  return ok;
}

/* Off the main thread */

typedef struct
{
  char          *project_path;
  char          *backup_path;
  guint          keep;
  CwBackupFlags  flags;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->project_path);
  g_free (data->backup_path);
  g_free (data);
}

static void
make_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  char *path = NULL;
  GError *error = NULL;

  project = cw_project_open (data->project_path, &error);
  if (project == NULL ||
      !cw_backup_make (project, data->keep, data->flags, &path, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

void
cw_backup_make_async (const char          *project_path,
                      guint                keep,
                      CwBackupFlags        flags,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (project_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_backup_make_async);
  data = g_new0 (TaskData, 1);
  data->project_path = g_strdup (project_path);
  data->keep = keep;
  data->flags = flags;
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, make_thread);
}

static gboolean
finish_path (GAsyncResult  *result,
             gpointer       source_tag,
             char         **out_path,
             GError       **error)
{
  GError *local_error = NULL;
  char *path;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  path = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (out_path != NULL)
    *out_path = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (out_path != NULL)
    *out_path = path;
  else
    g_free (path);
  return TRUE;
}

gboolean
cw_backup_make_finish (GAsyncResult  *result,
                       char         **out_path,
                       GError       **error)
{
  return finish_path (result, cw_backup_make_async, out_path, error);
}

static void
restore_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(CwProject) project = NULL;
  char *undo = NULL;
  GError *error = NULL;

  project = cw_project_open (data->project_path, &error);
  if (project == NULL ||
      !cw_backup_restore (project, data->backup_path, &undo, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, undo, g_free);
}

void
cw_backup_restore_async (const char          *project_path,
                         const char          *backup_path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (project_path != NULL);
  g_return_if_fail (backup_path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_backup_restore_async);
  data = g_new0 (TaskData, 1);
  data->project_path = g_strdup (project_path);
  data->backup_path = g_strdup (backup_path);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, restore_thread);
}

gboolean
cw_backup_restore_finish (GAsyncResult  *result,
                          char         **undo_path,
                          GError       **error)
{
  return finish_path (result, cw_backup_restore_async, undo_path, error);
}
