/* test-backup-window.c: backups from the window (issue 11), under Xvfb.
 * Opening a copy of the example project makes a backup in a worker;
 * opening it again unchanged makes none; a coding made afterwards is gone
 * once the backup is restored through the dialog and its confirmation, and
 * the window shows the restored project with a toast; backup-count 0 makes
 * none. Screenshots of the dialog and the confirmation.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <adwaita.h>

#include "cw-backup.h"
#include "cw-backup-dialog-private.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-window-private.h"
#include "cw-test-util.h"
#include "cw-test-gui.h"

typedef struct
{
  char     *dir;
  char     *path;
  CwWindow *window;
} Fixture;

static gboolean
window_settled (gpointer data)
{
  return !_cw_window_is_busy (data) && !_cw_window_is_backing_up (data);
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static guint
n_backups (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = cw_backup_list (path, &error);

  g_assert_no_error (error);
  return backups->len;
}

static CwWindow *
open_window (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  CwWindow *window = cw_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 720);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (cw_window_open_file (window, file, &error));
  g_assert_no_error (error);
  return window;
}

static void
close_window (CwWindow *window)
{
  gpointer weak = window;

  g_assert_true (cw_test_wait_until (window_settled, window));
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = cw_test_make_dir ();
  f->path = cw_test_copy_example (f->dir, "studie.codewerk");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    close_window (f->window);
  cw_test_remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

typedef struct
{
  const char *path;
  CwWindow   *window;
  guint       n;
} BackupWait;

static gboolean
backups_are (gpointer data)
{
  BackupWait *wait = data;

  return window_settled (wait->window) && n_backups (wait->path) == wait->n;
}

static gint64
count_codings (const char *path)
{
  sqlite3 *db;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n = cw_test_sql_int (db, "SELECT count(*) FROM codings");
  sqlite3_close (db);
  return n;
}

/* The visible toplevel of type type over window, or NULL. */
static gpointer
find_toplevel (GType      type,
               GtkWindow *parent)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  gpointer found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == parent)
      found = l->data;
  return found;
}

static gboolean
toast_shown (gpointer data)
{
  const char *toast = _cw_window_get_last_toast (data);

  return window_settled (data) && toast != NULL && strstr (toast, "restored") != NULL;
}

static void
test_backup_and_restore (Fixture       *f,
                         gconstpointer  data)
{
  BackupWait wait = { f->path, NULL, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  CwProject *project;
  CwProject *old_project;
  CwBackupDialog *dialog;
  AdwMessageDialog *confirm;
  gpointer weak_dialog, weak_project;
  gint64 before, code, coding;

  /* Opening: one backup, made off the main loop. */
  f->window = open_window (f->path);
  wait.window = f->window;
  g_assert_true (cw_test_wait_until (backups_are, &wait));
  before = count_codings (f->path);

  /* Closed and opened again unchanged: no new one. (The first showing of a
   * document stores its detected language, a change: the second open may
   * back that up, the third has nothing new.) */
  close_window (f->window);
  f->window = open_window (f->path);
  wait.window = f->window;
  g_assert_true (cw_test_wait_until (window_settled, f->window));
  wait.n = n_backups (f->path);
  g_assert_cmpuint (wait.n, <=, 2);
  close_window (f->window);
  f->window = open_window (f->path);
  wait.window = f->window;
  g_assert_true (cw_test_wait_until (window_settled, f->window));
  g_assert_cmpuint (n_backups (f->path), ==, wait.n);

  /* A coding after the backup. */
  project = cw_window_get_project (f->window);
  documents = cw_project_list_documents (project, &error);
  g_assert_no_error (error);
  code = cw_project_add_code (project, "Na de back-up", NULL, NULL, &error);
  g_assert_no_error (error);
  coding = cw_project_add_coding (project, ((CwDocumentInfo *) documents->pdata[0])->id, code, 0, 10,
                                  "Tester", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (coding, >, 0);
  g_assert_cmpint (count_codings (f->path), ==, before + 1);

  /* The dialog lists the backup; Restore asks first. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.restore-backup", NULL);
  dialog = find_toplevel (CW_TYPE_BACKUP_DIALOG, GTK_WINDOW (f->window));
  g_assert_nonnull (dialog);
  g_assert_cmpuint (_cw_backup_dialog_get_n_backups (dialog), ==, wait.n);
  cw_test_wait_ms (300);
  cw_test_save_screenshot (GTK_WIDGET (dialog), "backup-dialog.png");

  confirm = _cw_backup_dialog_choose (dialog, 0);
  g_assert_nonnull (confirm);
  cw_test_wait_ms (300);
  cw_test_save_screenshot (GTK_WIDGET (confirm), "backup-confirm.png");

  /* Cancel changes nothing. */
  adw_message_dialog_response (confirm, "cancel");
  gtk_window_close (GTK_WINDOW (confirm));
  g_assert_true (cw_test_wait_until (window_settled, f->window));
  g_assert_cmpint (count_codings (f->path), ==, before + 1);
  g_assert_true (find_toplevel (CW_TYPE_BACKUP_DIALOG, GTK_WINDOW (f->window)) == dialog);

  old_project = cw_window_get_project (f->window);
  weak_project = old_project;
  g_object_add_weak_pointer (G_OBJECT (old_project), &weak_project);
  weak_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak_dialog);
  confirm = _cw_backup_dialog_choose (dialog, 0);
  adw_message_dialog_response (confirm, "restore");
  gtk_window_close (GTK_WINDOW (confirm));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak_dialog));

  /* Restored: the coding is gone, the window shows the project afresh. */
  g_assert_true (cw_test_wait_until (toast_shown, f->window));
  g_assert_cmpint (count_codings (f->path), ==, before);
  project = cw_window_get_project (f->window);
  g_assert_nonnull (project);
  g_assert_cmpint (cw_project_lookup_code (project, "Na de back-up", NULL), <=, 0);
  g_assert_null (cw_project_get_coding (project, coding, NULL));
  /* The old connection is gone with the old project object. */
  g_assert_true (cw_test_wait_until (pointer_gone, &weak_project));

  /* The state before the restore is a backup too; reopening the restored
   * project made none. */
  wait.n++;
  g_assert_true (cw_test_wait_until (backups_are, &wait));
  cw_test_wait_ms (200);
  cw_test_save_screenshot (GTK_WIDGET (f->window), "backup-restored.png");
}

/* backup-count 0: no folder, no backup. */
static void
test_backups_off (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *folder = cw_backup_get_folder (f->path);

  g_settings_set_int (settings, "backup-count", 0);
  f->window = open_window (f->path);
  g_assert_true (cw_test_wait_until (window_settled, f->window));
  g_assert_false (g_file_test (folder, G_FILE_TEST_EXISTS));
  g_settings_reset (settings, "backup-count");
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/backup-window/backup-and-restore", Fixture, NULL, fixture_set_up, test_backup_and_restore,
              fixture_tear_down);
  g_test_add ("/backup-window/off", Fixture, NULL, fixture_set_up, test_backups_off, fixture_tear_down);

  return g_test_run ();
}
