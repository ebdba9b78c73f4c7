/* test-backup.c: backups beside the project (cw-backup.h), on copies of
 * the example project: a backup is a private, complete project of its own;
 * an unchanged project makes none, a changed one does; only the newest N
 * stay and nothing else in the folder is touched; restoring gives back
 * exactly the earlier state (a dump of every row) in the open project and
 * is undone by restoring the backup it made; bad backups are refused with
 * the project unchanged; a backup killed halfway never shows under a
 * backup's name, and its leftovers are cleaned up. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "cw-backup.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  char      *path;    /* a copy of the example */
  char      *folder;  /* its backups folder */
  CwProject *project; /* open on path */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  (void) data;
  f->dir = cw_test_make_dir ();
  f->path = cw_test_copy_example (f->dir, "studie.codewerk");
  f->folder = g_build_filename (f->dir, "studie.codewerk-backups", NULL);
  f->project = cw_project_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  (void) data;
  if (f->project != NULL)
    g_assert_finalize_object (f->project);
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->folder);
}

static char *
make (Fixture       *f,
      guint          keep,
      CwBackupFlags  flags)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;

  g_assert_true (cw_backup_make (f->project, keep, flags, &path, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static GPtrArray *
list (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *backups = cw_backup_list (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (backups);
  return backups;
}

static gint64
count (const char *path,
       const char *sql)
{
  sqlite3 *db;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n = cw_test_sql_int (db, sql);
  sqlite3_close (db);
  return n;
}

/* A change a user would make: one more coding of the first document. */
static void
add_coding (Fixture *f,
            gint64   start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = cw_project_list_documents (f->project, &error);
  gint64 code;

  g_assert_no_error (error);
  code = cw_project_lookup_code (f->project, "Backup-test", NULL);
  if (code <= 0)
    code = cw_project_add_code (f->project, "Backup-test", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_coding (f->project, ((CwDocumentInfo *) documents->pdata[0])->id, code,
                                          start, start + 5, "Tester", NULL, &error), >, 0);
  g_assert_no_error (error);
}

static guint
count_files (const char *folder,
             const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

/* A backup: a private, standalone copy of the project, listed with its
 * time, size and counts. */
static void
test_backup_made (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_autofree char *name = NULL;
  g_autofree char *dump = cw_test_dump (f->path);
  g_autofree char *backup_dump = NULL;
  g_autofree char *header = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *journal = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GRegex) pattern = g_regex_new ("^studie \\d{4}-\\d\\d-\\d\\d \\d\\d\\.\\d\\d\\.\\d\\d\\.codewerk$", 0, 0, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const CwBackupInfo *info;
  gsize len;
  GStatBuf st;

  (void) data;
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, f->folder));
  name = g_path_get_basename (path);
  g_assert_true (g_regex_match (pattern, name, 0, NULL));

  /* Personal data: only the owner may read the folder and the file. */
  g_assert_cmpint (g_stat (f->folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* A file that stands alone: rollback journal in the header (bytes 18 and
   * 19 are 1, not 2 for WAL), nothing beside it, every row of the project. */
  g_assert_true (g_file_get_contents (path, &header, &len, NULL));
  g_assert_cmpuint (len, ==, (gsize) st.st_size);
  g_assert_cmpint (header[18], ==, 1);
  g_assert_cmpint (header[19], ==, 1);
  backup_dump = cw_test_dump (path);
  g_assert_cmpstr (backup_dump, ==, dump);
  wal = g_strconcat (path, "-wal", NULL);
  journal = g_strconcat (path, "-journal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->folder, ".cw-tmp-"), ==, 0);

  backups = list (f);
  g_assert_cmpuint (backups->len, ==, 1);
  info = backups->pdata[0];
  g_assert_cmpstr (info->path, ==, path);
  g_assert_cmpint (info->size, ==, st.st_size);
  g_assert_cmpint (info->documents, ==, count (f->path, "SELECT count(*) FROM documents"));
  g_assert_cmpint (info->codings, ==, count (f->path, "SELECT count(*) FROM codings"));
  g_assert_cmpint (info->documents, >, 0);
  g_assert_cmpint (info->codings, >, 0);
  g_assert_cmpint (ABS (g_date_time_difference (now, info->time)), <, 5 * G_TIME_SPAN_SECOND);

  /* Reading the list wrote nothing beside the backup. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* No backup of an unchanged project, also after closing and opening it;
 * one after a change; FORCE makes one regardless. */
static void
test_unchanged_skipped (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *first = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_autofree char *again = NULL;
  g_autofree char *reopened = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *forced = NULL;
  g_autofree char *deleted = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;

  (void) data;
  g_assert_nonnull (first);
  again = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_assert_null (again);

  g_assert_finalize_object (f->project);
  f->project = cw_project_open (f->path, &error);
  g_assert_no_error (error);
  reopened = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_assert_null (reopened);
  backups = list (f);
  g_assert_cmpuint (backups->len, ==, 1);
  g_clear_pointer (&backups, g_ptr_array_unref);

  add_coding (f, 0);
  changed = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_assert_nonnull (changed);
  g_assert_cmpstr (changed, !=, first);
  backups = list (f);
  g_assert_cmpuint (backups->len, ==, 2);
  /* Newest first, with the new coding. */
  g_assert_cmpstr (((CwBackupInfo *) backups->pdata[0])->path, ==, changed);
  g_assert_cmpint (((CwBackupInfo *) backups->pdata[0])->codings, ==,
                   ((CwBackupInfo *) backups->pdata[1])->codings + 1);
  g_clear_pointer (&backups, g_ptr_array_unref);

  forced = make (f, 5, CW_BACKUP_FLAGS_FORCE);
  g_assert_nonnull (forced);
  g_clear_pointer (&forced, g_free);

  /* The backup that holds this state deleted by hand: a new one is made. */
  g_assert_cmpint (g_unlink (changed), ==, 0);
  backups = list (f);
  for (guint i = 0; i < backups->len; i++)
    g_unlink (((CwBackupInfo *) backups->pdata[i])->path);
  deleted = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_assert_nonnull (deleted);

  /* Off: none made. */
  g_clear_pointer (&deleted, g_free);
  add_coding (f, 10);
  deleted = make (f, 0, CW_BACKUP_FLAGS_FORCE);
  g_assert_null (deleted);
}

/* The newest keep stay; files that are not this project's backups are
 * never touched. */
static void
test_rotation (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GPtrArray) made = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *notes = g_build_filename (f->folder, "notities.txt", NULL);
  g_autofree char *other = g_build_filename (f->folder, "ander 2001-01-01 10.00.00.codewerk", NULL);
  g_autofree char *old_style = g_build_filename (f->folder, "studie 2001-01-01 10.00.00.codewerk.bak", NULL);
  gint64 base = count (f->path, "SELECT count(*) FROM codings");

  (void) data;
  g_ptr_array_add (made, make (f, 3, CW_BACKUP_FLAGS_NONE));
  g_assert_true (g_file_set_contents (notes, "mijn aantekeningen", -1, NULL));
  g_assert_true (g_file_set_contents (other, "x", -1, NULL));
  g_assert_true (g_file_set_contents (old_style, "x", -1, NULL));

  for (int i = 1; i <= 5; i++)
    {
      add_coding (f, 20 * i);
      g_ptr_array_add (made, make (f, 3, CW_BACKUP_FLAGS_NONE));
      g_assert_nonnull (made->pdata[i]);
    }

  backups = list (f);
  g_assert_cmpuint (backups->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const CwBackupInfo *info = backups->pdata[i];

      /* The three newest, newest first (several fall in one second). */
      g_assert_cmpstr (info->path, ==, made->pdata[5 - i]);
      g_assert_cmpint (info->codings, ==, base + 5 - i);
    }
  for (guint i = 0; i < 3; i++)
    g_assert_false (g_file_test (made->pdata[i], G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (notes, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (old_style, G_FILE_TEST_EXISTS));
}

/* Restoring puts back every row as it was, in the open project, and the
 * backup made before it takes the restore back. */
static void
test_restore_exact (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *backup = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_autofree char *before = cw_test_dump (f->path);
  g_autofree char *changed = NULL;
  g_autofree char *undo = NULL;
  g_autofree char *undo_again = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *skipped = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) other = NULL;
  gint64 codings_before = count (f->path, "SELECT count(*) FROM codings");
  sqlite3 *db;

  (void) data;
  /* Changes of several kinds: a code, codings, the title. */
  add_coding (f, 0);
  add_coding (f, 40);
  g_assert_true (cw_project_set_title (f->project, "Andere titel", &error));
  g_assert_no_error (error);
  changed = cw_test_dump (f->path);
  g_assert_cmpstr (changed, !=, before);

  /* Another connection open meanwhile, as the window's is. */
  other = cw_project_open (f->path, &error);
  g_assert_no_error (error);

  g_assert_true (cw_backup_restore (f->project, backup, &undo, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (undo);
  restored = cw_test_dump (f->path);
  g_assert_cmpstr (restored, ==, before);
  g_assert_cmpuint (count_files (f->folder, ".cw-tmp-"), ==, 0);

  /* The restored state is in a backup already: opening makes none. */
  skipped = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_assert_null (skipped);

  /* The backup made first takes it back: every change is there again. */
  g_assert_true (cw_backup_restore (f->project, undo, &undo_again, NULL, &error));
  g_assert_no_error (error);
  undone = cw_test_dump (f->path);
  g_assert_cmpstr (undone, ==, changed);
  backups = list (f);
  g_assert_cmpuint (backups->len, ==, 3);
  g_assert_cmpstr (((CwBackupInfo *) backups->pdata[0])->path, ==, undo_again);

  /* Both connections go on working and see the restored rows; undo works
   * on the restored history. */
  g_clear_pointer (&undo_again, g_free);
  g_assert_true (cw_backup_restore (f->project, backup, &undo_again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_lookup_code (f->project, "Backup-test", NULL), <=, 0);
  g_assert_cmpint (cw_project_lookup_code (other, "Backup-test", NULL), <=, 0);
  add_coding (f, 80);
  g_assert_cmpint (count (f->path, "SELECT count(*) FROM codings"), ==, codings_before + 1);
  g_assert_true (cw_project_undo (other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f->path, "SELECT count(*) FROM codings"), ==, codings_before);
  g_assert_finalize_object (g_steal_pointer (&other));

  /* Still a WAL project, sound. */
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
  sqlite3_close (db);
}

static void
assert_refused (Fixture    *f,
                const char *backup,
                int         code,
                const char *dump)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = list (f);
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *now = NULL;
  char *undo = (char *) "not set";

  g_assert_false (cw_backup_restore (f->project, backup, &undo, NULL, &error));
  g_assert_error (error, CW_BACKUP_ERROR, code);
  /* The message names the file the user chose. */
  g_assert_true (g_str_has_prefix (error->message, backup));
  g_assert_null (undo);
  now = cw_test_dump (f->path);
  g_assert_cmpstr (now, ==, dump);
  after = list (f);
  g_assert_cmpuint (after->len, ==, before->len);
  if (g_file_test (f->folder, G_FILE_TEST_IS_DIR))
    g_assert_cmpuint (count_files (f->folder, ".cw-tmp-"), ==, 0);
}

static char *
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (to, contents, len, NULL));
  return g_strdup (to);
}

/* What is not a sound backup of this project is refused, and nothing
 * changes: no such file, not a database, a damaged one, a newer format,
 * another project's backup. */
static void
test_restore_refused (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dump = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "weg.codewerk", NULL);
  g_autofree char *text = g_build_filename (f->dir, "tekst.codewerk", NULL);
  g_autofree char *backup = make (f, 5, CW_BACKUP_FLAGS_NONE);
  g_autofree char *damaged = NULL;
  g_autofree char *newer = NULL;
  g_autofree char *damaged_path = g_build_filename (f->dir, "kapot.codewerk", NULL);
  g_autofree char *newer_path = g_build_filename (f->dir, "nieuwer.codewerk", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *other_dir = cw_test_make_dir ();
  g_autoptr(CwProject) other = cw_test_new_project (other_dir);
  g_autofree char *other_backup = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  sqlite3 *db;

  (void) data;
  add_coding (f, 0);
  dump = cw_test_dump (f->path);

  assert_refused (f, missing, CW_BACKUP_ERROR_NOT_FOUND, dump);
  g_assert_true (g_file_set_contents (text, "Dit is geen project.\n", -1, NULL));
  assert_refused (f, text, CW_BACKUP_ERROR_NOT_A_BACKUP, dump);
  assert_refused (f, f->dir, CW_BACKUP_ERROR_NOT_FOUND, dump);

  /* The b-tree headers of pages 2 to 8 overwritten: integrity_check finds
   * it (changed bytes inside a text are not found: SQLite keeps no
   * checksums). */
  damaged = copy_file (backup, damaged_path);
  g_assert_true (g_file_get_contents (damaged, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 9 * 4096);
  for (int page = 2; page <= 8; page++)
    memset (contents + (page - 1) * 4096, 0x5a, 12);
  g_assert_true (g_file_set_contents (damaged, contents, len, NULL));
  assert_refused (f, damaged, CW_BACKUP_ERROR_NOT_A_BACKUP, dump);

  newer = copy_file (backup, newer_path);
  g_assert_cmpint (sqlite3_open_v2 (newer, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_refused (f, newer, CW_BACKUP_ERROR_NEWER_VERSION, dump);

  g_assert_true (cw_backup_make (other, 5, CW_BACKUP_FLAGS_NONE, &other_backup, NULL, &error));
  g_assert_no_error (error);
  assert_refused (f, other_backup, CW_BACKUP_ERROR_NOT_A_BACKUP, dump);

  g_assert_finalize_object (g_steal_pointer (&other));
  cw_test_remove_dir (other_dir);
}

/* A backup killed at any moment leaves no file under a backup's name that
 * is not a whole backup; what it leaves is cleaned up once its writer is
 * gone, and only then. */
static void
test_killed (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *stale = g_build_filename (f->folder, ".cw-tmp-AbC123", NULL);
  g_autofree char *stale_wal = g_build_filename (f->folder, ".cw-tmp-AbC123-journal", NULL);
  g_autofree char *orphan = g_build_filename (f->folder, ".cw-tmp-Gone99-wal", NULL);
  g_autofree char *young = g_build_filename (f->folder, ".cw-tmp-Young1", NULL);
  g_autofree char *locked = g_build_filename (f->folder, ".cw-tmp-Lock42", NULL);
  g_autofree char *first = make (f, 50, CW_BACKUP_FLAGS_NONE);
  g_autofree char *next = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  gint64 documents = count (f->path, "SELECT count(*) FROM documents");
  gint64 codings = count (f->path, "SELECT count(*) FROM codings");
  struct utimbuf old = { 0 };
  int lock_fd;

  (void) data;
  g_assert_nonnull (first);

  /* Children make backups in a loop and are killed after 1 to 40 ms. */
  for (guint round = 0; round < 8; round++)
    {
      int status;
      pid_t pid = fork ();

      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          CwProject *project = cw_project_open (f->path, NULL);

          for (;;)
            if (project == NULL || !cw_backup_make (project, 50, CW_BACKUP_FLAGS_FORCE, NULL, NULL, NULL))
              _exit (3);
        }
      g_usleep ((1 + round * 5) * 1000);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status));
    }

  backups = list (f);
  g_assert_cmpuint (backups->len, >=, 1);
  for (guint i = 0; i < backups->len; i++)
    {
      const CwBackupInfo *info = backups->pdata[i];
      sqlite3 *db;

      g_assert_cmpint (info->documents, ==, documents);
      g_assert_cmpint (info->codings, ==, codings);
      g_assert_cmpint (sqlite3_open_v2 (info->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
      sqlite3_close (db);
    }
  g_clear_pointer (&backups, g_ptr_array_unref);

  /* Leftovers: a minute old and unlocked go; young or locked ones stay. */
  g_assert_true (g_file_set_contents (stale, "half", -1, NULL));
  g_assert_true (g_file_set_contents (stale_wal, "half", -1, NULL));
  g_assert_true (g_file_set_contents (orphan, "half", -1, NULL));
  g_assert_true (g_file_set_contents (young, "half", -1, NULL));
  g_assert_true (g_file_set_contents (locked, "half", -1, NULL));
  old.actime = old.modtime = time (NULL) - 3600;
  g_assert_cmpint (utime (stale, &old), ==, 0);
  g_assert_cmpint (utime (stale_wal, &old), ==, 0);
  g_assert_cmpint (utime (orphan, &old), ==, 0);
  g_assert_cmpint (utime (locked, &old), ==, 0);
  lock_fd = g_open (locked, O_RDONLY, 0);
  g_assert_cmpint (flock (lock_fd, LOCK_EX), ==, 0);
  /* The killed children's leftovers are old too now. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->folder, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, ".cw-tmp-") && strcmp (name, ".cw-tmp-Young1") != 0)
        {
          g_autofree char *path = g_build_filename (f->folder, name, NULL);

          g_assert_cmpint (utime (path, &old), ==, 0);
        }
  }

  add_coding (f, 0);
  next = make (f, 50, CW_BACKUP_FLAGS_NONE);
  g_assert_nonnull (next);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale_wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (orphan, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (locked, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (f->folder, ".cw-tmp-"), ==, 2);
  close (lock_fd);
}

/* A project name with spaces, brackets and no .codewerk: its own folder,
 * found again by the list. */
static void
test_odd_names (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = cw_test_copy_example (dir, "Studie (2024) [v2].db");
  g_autofree char *folder = cw_backup_get_folder (path);
  g_autofree char *expected = g_build_filename (dir, "Studie (2024) [v2].db-backups", NULL);
  g_autofree char *made = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (path, &error);
  g_autoptr(GPtrArray) backups = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (folder, ==, expected);
  g_assert_true (cw_backup_make (project, 2, CW_BACKUP_FLAGS_NONE, &made, NULL, &error));
  g_assert_no_error (error);
  name = g_path_get_basename (made);
  g_assert_true (g_str_has_prefix (name, "Studie (2024) [v2].db 2"));
  g_assert_true (g_str_has_suffix (name, ".codewerk"));
  backups = cw_backup_list (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (backups->len, ==, 1);
  g_assert_cmpstr (((CwBackupInfo *) backups->pdata[0])->path, ==, made);

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/backup/made", Fixture, NULL, fixture_set_up, test_backup_made, fixture_tear_down);
  g_test_add ("/backup/unchanged-skipped", Fixture, NULL, fixture_set_up, test_unchanged_skipped, fixture_tear_down);
  g_test_add ("/backup/rotation", Fixture, NULL, fixture_set_up, test_rotation, fixture_tear_down);
  g_test_add ("/backup/restore-exact", Fixture, NULL, fixture_set_up, test_restore_exact, fixture_tear_down);
  g_test_add ("/backup/restore-refused", Fixture, NULL, fixture_set_up, test_restore_refused, fixture_tear_down);
  g_test_add ("/backup/killed", Fixture, NULL, fixture_set_up, test_killed, fixture_tear_down);
  g_test_add_func ("/backup/odd-names", test_odd_names);

  return g_test_run ();
}
