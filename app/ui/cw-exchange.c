/* cw-exchange.c: REFI-QDA exchange off the main thread.
 *
 * Every operation is one GTask whose worker opens its own connection, runs
 * one cw_refi_* call and returns a finished result. Tasks do not check the
 * cancellable on return: an import that committed just before Cancel is
 * reported as done, so the caller never loses sight of a file it made.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cw-crypt.h"
#include "cw-exchange.h"
#include "cw-passphrase-dialog.h"
#include "cw-pseudonym.h"
#include "cw-refi.h"

/* Progress, shared by the worker's reports and the task's callback. */
typedef struct
{
  CwProgressFunc  func;
  gpointer        data;
  GMainContext   *context;
  gboolean        finished; /* main context only: the callback has run */
} Progress;

typedef struct
{
  Progress *progress;
  guint     done;
  guint     total;
  char     *current;
} Report;

static void
progress_clear (Progress *progress)
{
  g_main_context_unref (progress->context);
}

static void
progress_unref (Progress *progress)
{
  g_atomic_rc_box_release_full (progress, (GDestroyNotify) progress_clear);
}

static void
report_free (Report *report)
{
  progress_unref (report->progress);
  g_free (report->current);
  g_free (report);
}

static gboolean
deliver_report (gpointer user_data)
{
  Report *report = user_data;

  /* Reports queued behind the callback would reach a caller that has moved
   * on (and may be gone). */
  if (!report->progress->finished)
    report->progress->func (report->done, report->total, report->current, report->progress->data);
  return G_SOURCE_REMOVE;
}

/* In the worker. */
static void
forward_progress (guint       done,
                  guint       total,
                  const char *current,
                  gpointer    user_data)
{
  Progress *progress = user_data;
  Report *report = g_new0 (Report, 1);

  report->progress = g_atomic_rc_box_acquire (progress);
  report->done = done;
  report->total = total;
  report->current = g_strdup (current);
  g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT, deliver_report, report,
                              (GDestroyNotify) report_free);
}

typedef struct
{
  char                *project_path; /* export, import codebook */
  char                *file_path;    /* the .qdpx or .qdc */
  char                *target_path;  /* import project */
  Progress            *progress;     /* NULL without a progress function */
  GAsyncReadyCallback  callback;
  gpointer             user_data;
  guint                added;
  guint                matched;
  GPtrArray           *warnings;
  char                *passphrase;   /* encrypted copy; wiped when freed */
  gboolean             codebook_only; /* pseudonymised export: .qdc, not .qdpx */
} Job;

static void
job_free (Job *job)
{
  g_free (job->project_path);
  g_free (job->file_path);
  g_free (job->target_path);
  g_clear_pointer (&job->progress, progress_unref);
  g_clear_pointer (&job->warnings, g_ptr_array_unref);
  g_clear_pointer (&job->passphrase, cw_passphrase_free);
  g_free (job);
}

/* Marks the progress finished, then hands over to the caller. */
static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;

  if (job->progress != NULL)
    job->progress->finished = TRUE;
  if (job->callback != NULL)
    job->callback (object, result, job->user_data);
}

static char *
local_path (GFile   *file,
            GError **error)
{
  char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s: only local files can be used"), uri);
    }
  return path;
}

/* A job for file, or NULL after reporting the error to callback. */
static Job *
job_new (gpointer             source_object,
         gpointer             source_tag,
         CwProject           *project,
         GFile               *file,
         CwProgressFunc       progress,
         gpointer             progress_data,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = local_path (file, &error);
  Job *job;

  if (path == NULL)
    {
      g_task_report_error (source_object, callback, user_data, source_tag, g_steal_pointer (&error));
      return NULL;
    }

  job = g_new0 (Job, 1);
  job->project_path = project != NULL ? g_strdup (cw_project_get_path (project)) : NULL;
  job->file_path = g_steal_pointer (&path);
  job->callback = callback;
  job->user_data = user_data;
  job->warnings = g_ptr_array_new_with_free_func (g_free);
  if (progress != NULL)
    {
      job->progress = g_atomic_rc_box_new0 (Progress);
      job->progress->func = progress;
      job->progress->data = progress_data;
      job->progress->context = g_main_context_ref_thread_default ();
    }
  return job;
}

static void
job_run (gpointer           source_object,
         gpointer           source_tag,
         Job               *job,
         GCancellable      *cancellable,
         GTaskThreadFunc    func)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, job_done_cb, job);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, func);
}

static gboolean
job_finish (GAsyncResult  *result,
            gpointer       source_tag,
            GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, source_tag), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Export project */

static void
export_project_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = cw_project_open (job->project_path, &error);
  if (project == NULL ||
      !cw_refi_export_project (project, job->file_path,
                               job->progress != NULL ? forward_progress : NULL, job->progress,
                               cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_export_project_async (CwProject           *project,
                                  GFile               *file,
                                  CwProgressFunc       progress,
                                  gpointer             progress_data,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (project, cw_exchange_export_project_async, project, file,
                 progress, progress_data, callback, user_data);
  if (job != NULL)
    job_run (project, cw_exchange_export_project_async, job, cancellable, export_project_thread);
}

gboolean
cw_exchange_export_project_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return job_finish (result, cw_exchange_export_project_async, error);
}

/* Export codebook */

static void
export_codebook_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = cw_project_open (job->project_path, &error);
  if (project == NULL || !cw_refi_export_codebook (project, job->file_path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_export_codebook_async (CwProject           *project,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (project, cw_exchange_export_codebook_async, project, file,
                 NULL, NULL, callback, user_data);
  if (job != NULL)
    job_run (project, cw_exchange_export_codebook_async, job, cancellable, export_codebook_thread);
}

gboolean
cw_exchange_export_codebook_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return job_finish (result, cw_exchange_export_codebook_async, error);
}

/* Import codebook */

static void
import_codebook_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = cw_project_open (job->project_path, &error);
  if (project == NULL ||
      !cw_refi_import_codebook (project, job->file_path, &job->added, &job->matched,
                                job->warnings, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_import_codebook_async (CwProject           *project,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (project, cw_exchange_import_codebook_async, project, file,
                 NULL, NULL, callback, user_data);
  if (job != NULL)
    job_run (project, cw_exchange_import_codebook_async, job, cancellable, import_codebook_thread);
}

gboolean
cw_exchange_import_codebook_finish (GAsyncResult  *result,
                                    guint         *added,
                                    guint         *matched,
                                    GPtrArray    **warnings,
                                    GError       **error)
{
  Job *job;

  if (!job_finish (result, cw_exchange_import_codebook_async, error))
    return FALSE;

  job = g_task_get_task_data (G_TASK (result));
  if (added != NULL)
    *added = job->added;
  if (matched != NULL)
    *matched = job->matched;
  if (warnings != NULL)
    *warnings = g_ptr_array_ref (job->warnings);
  return TRUE;
}

/* Import project */

static void
import_project_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = cw_refi_import_project (job->file_path, job->target_path, job->warnings,
                                    job->progress != NULL ? forward_progress : NULL, job->progress,
                                    cancellable, &error);
  /* The connection stays in this thread: the caller opens its own. */
  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_import_project_async (GFile               *qdpx,
                                  GFile               *target,
                                  CwProgressFunc       progress,
                                  gpointer             progress_data,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target_path = NULL;
  Job *job;

  g_return_if_fail (G_IS_FILE (qdpx));
  g_return_if_fail (G_IS_FILE (target));

  target_path = local_path (target, &error);
  if (target_path == NULL)
    {
      g_task_report_error (NULL, callback, user_data, cw_exchange_import_project_async,
                           g_steal_pointer (&error));
      return;
    }

  job = job_new (NULL, cw_exchange_import_project_async, NULL, qdpx,
                 progress, progress_data, callback, user_data);
  if (job == NULL)
    return;
  job->target_path = g_steal_pointer (&target_path);
  job_run (NULL, cw_exchange_import_project_async, job, cancellable, import_project_thread);
}

CwProject *
cw_exchange_import_project_finish (GAsyncResult  *result,
                                   GPtrArray    **warnings,
                                   GError       **error)
{
  Job *job;

  if (!job_finish (result, cw_exchange_import_project_async, error))
    return NULL;

  job = g_task_get_task_data (G_TASK (result));
  if (warnings != NULL)
    *warnings = g_ptr_array_ref (job->warnings);
  return cw_project_open (job->target_path, error);
}

/* Privacy (issue 10) */

static gboolean
same_file (const char *a,
           const char *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Where to write path's new content: path itself, or (when the user chose
 * to replace a file, which the core never does) a new name beside it that
 * finish_target renames over it. NULL for the open project itself. */
static char *
begin_target (const char  *project_path,
              const char  *path,
              GError     **error)
{
  if (project_path != NULL && same_file (project_path, path))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                           _("A copy cannot replace the project it is made from: choose another name"));
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_strdup (path);
  return g_strdup_printf ("%s.new-%08x", path, g_random_int ());
}

static gboolean
finish_target (const char  *target,
               const char  *path,
               GError     **error)
{
  if (strcmp (target, path) == 0)
    return TRUE;
  if (g_rename (target, path) != 0)
    {
      int saved = errno;
      g_autofree char *name = g_path_get_basename (path);

      g_unlink (target);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a file name, then the system's reason. */
                   _("Could not replace “%s”: %s"), name, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

CwProject *
cw_exchange_open_pseudonymised (CwProject     *project,
                                char         **temp_dir,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autofree char *copy = NULL;

  g_return_val_if_fail (CW_IS_PROJECT (project), NULL);
  g_return_val_if_fail (temp_dir != NULL, NULL);

  *temp_dir = g_dir_make_tmp ("codewerk-pseudonymised-XXXXXX", error);
  if (*temp_dir == NULL)
    return NULL;
  copy = g_build_filename (*temp_dir, "pseudonymised.codewerk", NULL);
  if (!cw_project_write_pseudonymised_copy (project, copy, cancellable, error))
    return NULL;
  return cw_project_open (copy, error);
}

void
cw_exchange_close_pseudonymised (CwProject *copy,
                                 char      *temp_dir)
{
  /* Closed first: its -wal and -shm go with the connection. */
  g_clear_object (&copy);
  if (temp_dir != NULL)
    remove_temp_dir (temp_dir);
  g_free (temp_dir);
}

void
cw_exchange_add_pseudonymise_choice (GtkFileChooser *chooser,
                                     CwProject      *project)
{
  g_autoptr(GPtrArray) rows = NULL;

  g_return_if_fail (GTK_IS_FILE_CHOOSER (chooser));
  g_return_if_fail (CW_IS_PROJECT (project));

  /* The safe default whenever there is something to hide: a researcher
   * who keeps a table means it for everything that leaves the project. */
  rows = cw_project_list_pseudonyms (project, NULL);
  gtk_file_chooser_add_choice (chooser, "pseudonymise", _("Pseudonymise with the pseudonym table"), NULL, NULL);
  gtk_file_chooser_set_choice (chooser, "pseudonymise", rows != NULL && rows->len > 0 ? "true" : "false");
}

gboolean
cw_exchange_get_pseudonymise_choice (GtkFileChooser *chooser)
{
  g_return_val_if_fail (GTK_IS_FILE_CHOOSER (chooser), FALSE);

  return g_strcmp0 (gtk_file_chooser_get_choice (chooser, "pseudonymise"), "true") == 0;
}

static void
export_pseudonymised_thread (GTask        *task,
                             gpointer      source_object,
                             gpointer      task_data,
                             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  CwProject *copy = NULL;
  char *temp_dir = NULL;
  GError *error = NULL;
  gboolean ok;

  project = cw_project_open (job->project_path, &error);
  copy = project != NULL ? cw_exchange_open_pseudonymised (project, &temp_dir, cancellable, &error) : NULL;
  if (copy == NULL)
    ok = FALSE;
  else if (job->codebook_only)
    ok = cw_refi_export_codebook (copy, job->file_path, &error);
  else
    ok = cw_refi_export_project (copy, job->file_path,
                                 job->progress != NULL ? forward_progress : NULL, job->progress,
                                 cancellable, &error);
  cw_exchange_close_pseudonymised (copy, temp_dir);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_export_pseudonymised_codebook_async (CwProject           *project,
                                                 GFile               *file,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (project, cw_exchange_export_pseudonymised_codebook_async, project, file,
                 NULL, NULL, callback, user_data);
  if (job == NULL)
    return;
  job->codebook_only = TRUE;
  job_run (project, cw_exchange_export_pseudonymised_codebook_async, job, cancellable,
           export_pseudonymised_thread);
}

gboolean
cw_exchange_export_pseudonymised_codebook_finish (GAsyncResult  *result,
                                                  GError       **error)
{
  return job_finish (result, cw_exchange_export_pseudonymised_codebook_async, error);
}

void
cw_exchange_export_pseudonymised_async (CwProject           *project,
                                        GFile               *file,
                                        CwProgressFunc       progress,
                                        gpointer             progress_data,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (project, cw_exchange_export_pseudonymised_async, project, file,
                 progress, progress_data, callback, user_data);
  if (job != NULL)
    job_run (project, cw_exchange_export_pseudonymised_async, job, cancellable, export_pseudonymised_thread);
}

gboolean
cw_exchange_export_pseudonymised_finish (GAsyncResult  *result,
                                         GError       **error)
{
  return job_finish (result, cw_exchange_export_pseudonymised_async, error);
}

static void
write_pseudonymised_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  g_autofree char *target = NULL;
  GError *error = NULL;

  project = cw_project_open (job->project_path, &error);
  if (project != NULL)
    target = begin_target (job->project_path, job->file_path, &error);
  if (target == NULL ||
      !cw_project_write_pseudonymised_copy (project, target, cancellable, &error) ||
      !finish_target (target, job->file_path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_write_pseudonymised_async (CwProject           *project,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));

  job = job_new (project, cw_exchange_write_pseudonymised_async, project, file,
                 NULL, NULL, callback, user_data);
  if (job != NULL)
    job_run (project, cw_exchange_write_pseudonymised_async, job, cancellable, write_pseudonymised_thread);
}

gboolean
cw_exchange_write_pseudonymised_finish (GAsyncResult  *result,
                                        GError       **error)
{
  return job_finish (result, cw_exchange_write_pseudonymised_async, error);
}

static void
write_encrypted_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(CwProject) project = NULL;
  g_autofree char *target = NULL;
  GError *error = NULL;
  gboolean ok;

  project = cw_project_open (job->project_path, &error);
  if (project != NULL)
    target = begin_target (job->project_path, job->file_path, &error);
  ok = target != NULL && cw_project_write_encrypted (project, target, job->passphrase, cancellable, &error);
  /* Done with it: not kept until the window reads the result. */
  g_clear_pointer (&job->passphrase, cw_passphrase_free);
  if (!ok || !finish_target (target, job->file_path, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cw_exchange_write_encrypted_async (CwProject           *project,
                                   GFile               *file,
                                   const char          *passphrase,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (CW_IS_PROJECT (project));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (passphrase != NULL);

  job = job_new (project, cw_exchange_write_encrypted_async, project, file,
                 NULL, NULL, callback, user_data);
  if (job == NULL)
    return;
  job->passphrase = g_strdup (passphrase);
  job_run (project, cw_exchange_write_encrypted_async, job, cancellable, write_encrypted_thread);
}

gboolean
cw_exchange_write_encrypted_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return job_finish (result, cw_exchange_write_encrypted_async, error);
}
