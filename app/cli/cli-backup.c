/* codewerk-cli: backups beside the project (cw-backup.h): backups, backup,
 * restore.
 *
 * The CLI makes no backup by itself: scripts run it hundreds of times, and
 * the window backs up on every open. `backup` makes one on demand. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cli-private.h"
#include "cw-backup.h"

/* The window's default for its "backup-count" setting. */
#define DEFAULT_KEEP 5

static char *
format_time (GDateTime *time)
{
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static int
cmd_backups (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) backups = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL || !(backups = cw_backup_list (cw_project_get_path (project), &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < backups->len; i++)
        {
          const CwBackupInfo *info = backups->pdata[i];
          g_autofree char *time = g_date_time_format_iso8601 (info->time);

          cw_json_begin_object (json);
          cw_json_key (json, "path");
          cw_json_string (json, info->path);
          cw_json_key (json, "time");
          cw_json_string (json, time);
          cw_json_key (json, "size");
          cw_json_int (json, info->size);
          cw_json_key (json, "documents");
          if (info->documents >= 0)
            cw_json_int (json, info->documents);
          else
            cw_json_null (json);
          cw_json_key (json, "codings");
          if (info->codings >= 0)
            cw_json_int (json, info->codings);
          else
            cw_json_null (json);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; i < backups->len; i++)
    {
      const CwBackupInfo *info = backups->pdata[i];
      g_autofree char *time = format_time (info->time);
      g_autofree char *size = g_format_size (info->size);
      g_autofree char *counts = NULL;

      if (info->documents >= 0)
        {
          g_autofree char *documents =
            g_strdup_printf (ngettext ("%lld document", "%lld documents", info->documents),
                             (long long) info->documents);
          g_autofree char *codings =
            g_strdup_printf (ngettext ("%lld coding", "%lld codings", info->codings),
                             (long long) info->codings);

          /* Translators: "5 documents, 120 codings" in the list of backups. */
          counts = g_strdup_printf (_("%s, %s"), documents, codings);
        }
      else
        counts = g_strdup (_("cannot be read"));
      g_print ("%u\t%s\t%s\t%s\t%s\n", i + 1, time, size, counts, info->path);
    }
  return EXIT_SUCCESS;
}

static const OptionSpec backup_options[] = {
  { "keep", TRUE },
  { "json", FALSE },
  { NULL }
};

static int
cmd_backup (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autofree char *path = NULL;
  const char *keep_text = option (args, "keep");
  gint64 keep = DEFAULT_KEEP;
  GError *error = NULL;

  if (keep_text != NULL && (!parse_integer (keep_text, &keep) || keep < 1 || keep > 10000))
    return usage_error (_("--keep needs a number from 1 to 10000, not '%s'"), keep_text);

  project = open_project (args, &error);
  if (project == NULL ||
      !cw_backup_make (project, (guint) keep, CW_BACKUP_FLAGS_FORCE, &path, NULL, &error))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "path");
      cw_json_string (json, path);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print ("%s\n", path);
  return EXIT_SUCCESS;
}

/* BACKUP as given: a file, or a number from the list of `backups` (1 is
 * the newest) when no file has that name. */
static char *
resolve_backup (CwProject   *project,
                const char  *given,
                GError     **error)
{
  g_autoptr(GPtrArray) backups = NULL;
  gint64 n;

  if (g_file_test (given, G_FILE_TEST_EXISTS) || !parse_integer (given, &n))
    return g_strdup (given);
  backups = cw_backup_list (cw_project_get_path (project), error);
  if (backups == NULL)
    return NULL;
  if (n < 1 || n > (gint64) backups->len)
    {
      g_set_error (error, CW_BACKUP_ERROR, CW_BACKUP_ERROR_NOT_FOUND,
                   ngettext ("%s: no backup number %s: the project has %u backup",
                             "%s: no backup number %s: the project has %u backups", backups->len),
                   cw_project_get_path (project), given, backups->len);
      return NULL;
    }
  return g_strdup (((CwBackupInfo *) backups->pdata[n - 1])->path);
}

static int
cmd_restore (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *undo = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !(backup = resolve_backup (project, g_ptr_array_index (args->positional, 1), &error)) ||
      !cw_backup_restore (project, backup, &undo, NULL, &error))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "restored");
      cw_json_string (json, backup);
      cw_json_key (json, "undo");
      cw_json_string (json, undo);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    /* Translators: %s are two backups' paths. */
    g_print (_("Restored %s. The state before is in %s; restore that to undo.\n"), backup, undo);
  return EXIT_SUCCESS;
}

static const OptionSpec json_only[] = { { "json", FALSE }, { NULL } };

static const Command commands[] = {
  { "backups", "PROJECT [--json]",
    N_("List the backups of PROJECT, newest first: number, time, size, documents and codings, path. Backups are complete project files in PROJECT-backups/ beside it (NAME YYYY-MM-DD HH.MM.SS.codewerk, readable only by you); the window makes one each time it opens a project that has changed, and keeps the newest 5 (setting backup-count)."),
    1, 1, json_only, cmd_backups },
  { "backup", "PROJECT [--keep N] [--json]",
    N_("Make a backup of PROJECT now (a consistent snapshot, also while another program writes) and keep only the newest N backups (default 5). Prints the backup's path. Other commands never make backups."),
    1, 1, backup_options, cmd_backup },
  { "restore", "PROJECT BACKUP [--json]",
    N_("Replace PROJECT's contents by a backup of it: BACKUP is a backup's path or its number in 'backups' (1 is the newest). The backup must be sound (integrity check) and of this project. The current state is backed up first, so a restore is undone by restoring that backup; the restore itself is one transaction, and programs that have the project open go on working with the restored contents."),
    2, 2, json_only, cmd_restore },
};

const CommandTable cli_backup_commands = { commands, G_N_ELEMENTS (commands) };
