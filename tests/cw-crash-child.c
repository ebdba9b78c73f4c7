/* cw-crash-child: runs one long operation through the core API, as
 * codewerk-cli does, and kills itself with SIGKILL at the Nth write.
 *
 *   cw-crash-child N import PROJECT FILE...
 *   cw-crash-child N merge PROJECT OTHER
 *   cw-crash-child N import-project IN.qdpx PROJECT
 *
 * Every SQLite connection goes through a VFS shim registered as the
 * default before any project is opened; it counts each xWrite, xSync and
 * xTruncate on any file and each xDelete of a journal or WAL, and raises
 * SIGKILL before the Nth of them reaches the disk. N = 0 never kills; the
 * child then prints "writes T" with the total T, so that test-crash can
 * kill it at 1..T. The production code has no hook for any of this.
 */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cw-merge.h"
#include "cw-project.h"
#include "cw-refi.h"

static sqlite3_vfs *real_vfs;
static gint64 kill_at;
static gint count; /* atomic: the import-project reader threads write too */

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real; /* in the same allocation, after this struct */
} ShimFile;

/* One more write-like call; dies before it when it is the one asked for. */
static void
tick (void)
{
  gint n = g_atomic_int_add (&count, 1) + 1;

  if (kill_at > 0 && n >= kill_at)
    raise (SIGKILL);
}

#define REAL(f) (((ShimFile *) (f))->real)

static int
shim_close (sqlite3_file *file)
{
  return REAL (file)->pMethods->xClose (REAL (file));
}

static int
shim_read (sqlite3_file      *file,
           void              *buffer,
           int                amount,
           sqlite3_int64      offset)
{
  return REAL (file)->pMethods->xRead (REAL (file), buffer, amount, offset);
}

static int
shim_write (sqlite3_file   *file,
            const void     *buffer,
            int             amount,
            sqlite3_int64   offset)
{
  tick ();
  return REAL (file)->pMethods->xWrite (REAL (file), buffer, amount, offset);
}

static int
shim_truncate (sqlite3_file  *file,
               sqlite3_int64  size)
{
  tick ();
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
shim_sync (sqlite3_file *file,
           int           flags)
{
  tick ();
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
shim_file_size (sqlite3_file  *file,
                sqlite3_int64 *size)
{
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
shim_lock (sqlite3_file *file,
           int           level)
{
  return REAL (file)->pMethods->xLock (REAL (file), level);
}

static int
shim_unlock (sqlite3_file *file,
             int           level)
{
  return REAL (file)->pMethods->xUnlock (REAL (file), level);
}

static int
shim_check_reserved_lock (sqlite3_file *file,
                          int          *result)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), result);
}

static int
shim_file_control (sqlite3_file *file,
                   int           op,
                   void         *arg)
{
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
shim_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
shim_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
shim_shm_map (sqlite3_file  *file,
              int            page,
              int            page_size,
              int            extend,
              void volatile **pointer)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, page_size, extend, pointer);
}

static int
shim_shm_lock (sqlite3_file *file,
               int           offset,
               int           n,
               int           flags)
{
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

static void
shim_shm_barrier (sqlite3_file *file)
{
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
shim_shm_unmap (sqlite3_file *file,
                int           delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
shim_fetch (sqlite3_file  *file,
            sqlite3_int64  offset,
            int            amount,
            void         **pointer)
{
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, pointer);
}

static int
shim_unfetch (sqlite3_file  *file,
              sqlite3_int64  offset,
              void          *pointer)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, pointer);
}

/* Version 3 as the unix VFS's: shared memory for WAL, memory mapping. */
static const sqlite3_io_methods shim_io_methods = {
  3,
  shim_close,
  shim_read,
  shim_write,
  shim_truncate,
  shim_sync,
  shim_file_size,
  shim_lock,
  shim_unlock,
  shim_check_reserved_lock,
  shim_file_control,
  shim_sector_size,
  shim_device_characteristics,
  shim_shm_map,
  shim_shm_lock,
  shim_shm_barrier,
  shim_shm_unmap,
  shim_fetch,
  shim_unfetch,
};

static int
shim_open (sqlite3_vfs  *vfs,
           const char   *name,
           sqlite3_file *file,
           int           flags,
           int          *out_flags)
{
  ShimFile *shim = (ShimFile *) file;
  int rc;

  shim->real = (sqlite3_file *) (shim + 1);
  rc = real_vfs->xOpen (real_vfs, name, shim->real, flags, out_flags);
  /* SQLite calls xClose only when pMethods is set: mirror the real one. */
  shim->base.pMethods = shim->real->pMethods != NULL ? &shim_io_methods : NULL;
  (void) vfs;
  return rc;
}

static int
shim_delete (sqlite3_vfs *vfs,
             const char  *name,
             int          sync_dir)
{
  /* Removing a rollback journal commits; removing a WAL ends a checkpoint. */
  if (g_str_has_suffix (name, "-journal") || g_str_has_suffix (name, "-wal"))
    tick ();
  (void) vfs;
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
shim_access (sqlite3_vfs *vfs,
             const char  *name,
             int          flags,
             int         *result)
{
  (void) vfs;
  return real_vfs->xAccess (real_vfs, name, flags, result);
}

static int
shim_full_pathname (sqlite3_vfs *vfs,
                    const char  *name,
                    int          n_out,
                    char        *out)
{
  (void) vfs;
  return real_vfs->xFullPathname (real_vfs, name, n_out, out);
}

static int
shim_randomness (sqlite3_vfs *vfs,
                 int          n,
                 char        *out)
{
  (void) vfs;
  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
shim_sleep (sqlite3_vfs *vfs,
            int          microseconds)
{
  (void) vfs;
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
shim_current_time (sqlite3_vfs *vfs,
                   double      *now)
{
  (void) vfs;
  return real_vfs->xCurrentTime (real_vfs, now);
}

static int
shim_get_last_error (sqlite3_vfs *vfs,
                     int          n,
                     char        *out)
{
  (void) vfs;
  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
shim_current_time_int64 (sqlite3_vfs   *vfs,
                         sqlite3_int64 *now)
{
  (void) vfs;
  return real_vfs->xCurrentTimeInt64 (real_vfs, now);
}

static sqlite3_vfs shim_vfs = {
  .iVersion = 2,
  .mxPathname = 0,  /* from the real one */
  .zName = "cw-crash",
  .xOpen = shim_open,
  .xDelete = shim_delete,
  .xAccess = shim_access,
  .xFullPathname = shim_full_pathname,
  .xRandomness = shim_randomness,
  .xSleep = shim_sleep,
  .xCurrentTime = shim_current_time,
  .xGetLastError = shim_get_last_error,
  .xCurrentTimeInt64 = shim_current_time_int64,
};

static void
register_shim (void)
{
  real_vfs = sqlite3_vfs_find ("unix");
  g_assert (real_vfs != NULL && real_vfs->iVersion >= 2);
  shim_vfs.mxPathname = real_vfs->mxPathname;
  shim_vfs.szOsFile = (int) sizeof (ShimFile) + real_vfs->szOsFile;
  g_assert (sqlite3_vfs_register (&shim_vfs, 1) == SQLITE_OK);
}

static gboolean
run_import (int      argc,
            char   **argv,
            GError **error)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;

  if (argc < 2)
    return FALSE;
  if ((project = cw_project_open (argv[0], error)) == NULL)
    return FALSE;
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, error);
  return ids != NULL;
}

static gboolean
run_merge (int      argc,
           char   **argv,
           GError **error)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwMergeResult) result = NULL;

  if (argc < 2)
    return FALSE;
  if ((project = cw_project_open (argv[0], error)) == NULL)
    return FALSE;
  result = cw_project_merge (project, (const char * const *) argv + 1, NULL, NULL, NULL, error);
  return result != NULL;
}

static gboolean
run_import_project (int      argc,
                    char   **argv,
                    GError **error)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  if (argc != 2)
    return FALSE;
  project = cw_refi_import_project (argv[0], argv[1], warnings, NULL, NULL, NULL, error);
  return project != NULL;
}

static gboolean
run_new (int      argc,
         char   **argv,
         GError **error)
{
  g_autoptr(CwProject) project = NULL;

  if (argc != 1)
    return FALSE;
  project = cw_project_create (argv[0], "Nieuw", error);
  return project != NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  char *end;

  if (argc < 3)
    {
      g_printerr ("usage: %s N import|merge|import-project|new ARGS...\n", argv[0]);
      return 2;
    }
  kill_at = g_ascii_strtoll (argv[1], &end, 10);
  if (*end != '\0' || kill_at < 0)
    {
      g_printerr ("%s: not a count: %s\n", argv[0], argv[1]);
      return 2;
    }
  /* Before anything can open a project. */
  register_shim ();

  if (g_str_equal (argv[2], "import"))
    ok = run_import (argc - 3, argv + 3, &error);
  else if (g_str_equal (argv[2], "merge"))
    ok = run_merge (argc - 3, argv + 3, &error);
  else if (g_str_equal (argv[2], "import-project"))
    ok = run_import_project (argc - 3, argv + 3, &error);
  else if (g_str_equal (argv[2], "new"))
    ok = run_new (argc - 3, argv + 3, &error);
  else
    ok = FALSE;

  if (!ok)
    {
      g_printerr ("%s: %s\n", argv[0], error != NULL ? error->message : "wrong arguments");
      return 1;
    }
  g_print ("writes %d\n", g_atomic_int_get (&count));
  return 0;
}
