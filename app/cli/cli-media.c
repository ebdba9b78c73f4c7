/* codewerk-cli: recordings of documents and the times of turns
 * (cw-media.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cli-private.h"
#include "cw-media.h"

/* Seconds as 12.5, or a clock time mm:ss or hh:mm:ss with an optional
 * fraction (hh:mm:ss.mmm; a comma as subtitle files write it is fine).
 * Never locale-dependent, never negative, never inf or nan. */
static gboolean
parse_time (const char *text,
            double     *seconds)
{
  g_autofree char *copy = g_strdup (text);
  g_auto(GStrv) parts = NULL;
  double total = 0;
  guint n;

  g_strdelimit (copy, ",", '.');
  parts = g_strsplit (copy, ":", -1);
  n = g_strv_length (parts);
  if (n < 1 || n > 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const char *part = parts[i];
      gboolean last = i == n - 1;
      guint digits = 0, points = 0;
      double value;

      for (const char *p = part; *p != '\0'; p++)
        {
          if (g_ascii_isdigit (*p))
            digits++;
          else if (*p == '.' && last && points == 0)
            points++;
          else
            return FALSE;
        }
      if (digits == 0 || (points == 1 && !g_ascii_isdigit (part[strlen (part) - 1])))
        return FALSE;
      value = g_ascii_strtod (part, NULL);
      /* Minutes and seconds under an hour or minute part count to 59. */
      if (i > 0 && value >= 60)
        return FALSE;
      total = total * 60 + value;
    }
  if (!isfinite (total))
    return FALSE;
  *seconds = total;
  return TRUE;
}

static const char *
kind_name (CwMediaKind kind)
{
  return kind == CW_MEDIA_VIDEO ? "video" : "audio";
}

static void
json_recording (CwJson            *json,
                const char        *document,
                const CwRecording *recording)
{
  cw_json_begin_object (json);
  cw_json_key (json, "document");
  cw_json_string (json, document);
  cw_json_key (json, "path");
  cw_json_string (json, recording->stored_path);
  cw_json_key (json, "resolved");
  if (recording->resolved_path != NULL)
    cw_json_string (json, recording->resolved_path);
  else
    cw_json_null (json);
  cw_json_key (json, "exists");
  cw_json_bool (json, recording->resolved_path != NULL);
  cw_json_key (json, "original");
  cw_json_string (json, recording->original_path);
  cw_json_key (json, "kind");
  cw_json_string (json, kind_name (recording->kind));
  cw_json_key (json, "content_type");
  cw_json_string (json, recording->content_type);
  cw_json_end_object (json);
}

static void
print_recording (const CwRecording *recording)
{
  g_print ("%s\t%s\t%s\t%s\n", recording->stored_path,
           recording->resolved_path != NULL ? recording->resolved_path : "-",
           kind_name (recording->kind), recording->content_type != NULL ? recording->content_type : "-");
}

/* An error about the recording FILE itself is said as "FILE: ...", not
 * behind the project's path as fail() puts the project's errors. */
static int
fail_file (GError     *error,
           const char *file)
{
  if (!g_str_has_prefix (error->message, file))
    return fail (error);
  g_printerr ("codewerk-cli: error: %s\n", error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

static int
cmd_attach (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwDocumentInfo) info = NULL;
  g_autoptr(CwRecording) recording = NULL;
  const char *path = g_ptr_array_index (args->positional, 2);
  GError *error = NULL;
  gint64 id;

  project = open_with_document (args, &id, &error);
  if (project == NULL)
    return fail (error);
  if (!cw_project_attach_recording (project, id, path, &error))
    return fail_file (error, path);
  if (!(info = cw_project_get_document_info (project, id, &error)) ||
      !(recording = cw_project_get_recording (project, id, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      json_recording (json, info->name, recording);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
cmd_detach (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;
  gint64 id;

  project = open_with_document (args, &id, &error);
  if (project == NULL || !cw_project_detach_recording (project, id, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

static int
cmd_recording (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwDocumentInfo) info = NULL;
  g_autoptr(CwRecording) recording = NULL;
  GError *error = NULL;
  gint64 id;

  project = open_with_document (args, &id, &error);
  if (project == NULL || !(info = cw_project_get_document_info (project, id, &error)))
    return fail (error);
  recording = cw_project_get_recording (project, id, &error);
  if (error != NULL)
    return fail (error);

  if (recording != NULL && recording->resolved_path == NULL)
    {
      /* Translators: %s are a document's name and a file's path. */
      g_autofree char *line = g_strdup_printf (_("the recording of “%s” is missing: not at %s nor at %s (attach it again where it is now)"),
                                               info->name, recording->stored_path, recording->original_path);

      g_printerr ("codewerk-cli: warning: %s\n", line);
    }

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      if (recording != NULL)
        json_recording (json, info->name, recording);
      else
        cw_json_null (json);
      print_json (json);
    }
  else if (recording != NULL)
    print_recording (recording);
  return EXIT_SUCCESS;
}

static void
json_turn (CwJson       *json,
           int           index,
           const CwTurn *turn)
{
  cw_json_begin_object (json);
  cw_json_key (json, "index");
  cw_json_int (json, index);
  cw_json_key (json, "speaker");
  cw_json_string (json, turn->speaker);
  cw_json_key (json, "start");
  cw_json_int (json, turn->start);
  cw_json_key (json, "end");
  cw_json_int (json, turn->end);
  cw_json_key (json, "time");
  if (turn->time >= 0)
    cw_json_double (json, turn->time);
  else
    cw_json_null (json);
  cw_json_end_object (json);
}

/* hh:mm:ss.mmm, as turn-time takes it back. */
static char *
format_clock (double seconds)
{
  gint64 ms = (gint64) llround (seconds * 1000);

  return g_strdup_printf ("%02lld:%02lld:%02lld.%03lld", (long long) (ms / 3600000),
                          (long long) (ms / 60000 % 60), (long long) (ms / 1000 % 60), (long long) (ms % 1000));
}

static void
print_turn (int           index,
            const CwTurn *turn)
{
  g_autofree char *time = turn->time >= 0 ? format_clock (turn->time) : g_strdup ("-");

  g_print ("%d\t%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n",
           index, turn->speaker != NULL ? turn->speaker : "-", turn->start, turn->end, time);
}

static int
cmd_turn_time (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  const char *index_text = g_ptr_array_index (args->positional, 2);
  const char *time_text = g_ptr_array_index (args->positional, 3);
  GError *error = NULL;
  double seconds = -1;
  gint64 index, id;

  if (!parse_integer (index_text, &index) || index < 0 || index > G_MAXUINT)
    return usage_error (_("INDEX must be a turn's number as turns lists it (from 0), not '%s'"), index_text);
  if (g_ascii_strcasecmp (time_text, "none") != 0 && !parse_time (time_text, &seconds))
    return usage_error (_("SECONDS must be seconds (83.5), mm:ss, hh:mm:ss or hh:mm:ss.mmm, or none, not '%s'"),
                        time_text);

  project = open_with_document (args, &id, &error);
  if (project == NULL ||
      !cw_project_set_turn_time (project, id, (guint) index, seconds, &error) ||
      !(turns = cw_project_get_turns (project, id, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      json_turn (json, (int) index, turns->pdata[index]);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
cmd_at_time (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  const char *time_text = g_ptr_array_index (args->positional, 2);
  GError *error = NULL;
  double seconds;
  gint64 id;
  int index;

  if (!parse_time (time_text, &seconds))
    return usage_error (_("SECONDS must be seconds (83.5), mm:ss, hh:mm:ss or hh:mm:ss.mmm, not '%s'"), time_text);

  project = open_with_document (args, &id, &error);
  if (project == NULL || !(turns = cw_project_get_turns (project, id, &error)))
    return fail (error);

  index = cw_turns_index_at_time (turns, seconds);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      if (index >= 0)
        json_turn (json, index, turns->pdata[index]);
      else
        cw_json_null (json);
      print_json (json);
    }
  else if (index >= 0)
    print_turn (index, turns->pdata[index]);
  return EXIT_SUCCESS;
}

static const OptionSpec media_options[] = { { "json", FALSE }, { NULL } };

static const Command commands[] = {
  { "attach", "PROJECT DOC FILE [--json]",
    N_("Attach an audio or video recording (WAV, MP3, AAC, Ogg, Opus, FLAC, MP4, M4A, WebM; recognised by its content, not its name) to a document, or replace its recording. The file is referenced, not copied: stored relative to the project's folder when it lies inside it, else as an absolute path, and the absolute path is kept too, so moving the project with or without its recordings keeps them found. One undo step."),
    3, 3, media_options, cmd_attach },
  { "detach", "PROJECT DOC",
    N_("Remove a document's recording from the project (the file itself is not touched); a document without one is left as it is. One undo step."),
    2, 2, media_options, cmd_detach },
  { "recording", "PROJECT DOC [--json]",
    N_("Show a document's recording: the path as stored, where it was found (\"-\", or null with --json, and a warning when it is missing), audio or video and its content type. A document without a recording prints nothing, or null with --json, and is not an error."),
    2, 2, media_options, cmd_recording },
  { "turn-time", "PROJECT DOC INDEX SECONDS|none [--json]",
    N_("Set where turn INDEX (from 0, as turns lists them) begins in the recording: seconds (83.5), mm:ss, hh:mm:ss or hh:mm:ss.mmm; none clears it. One undo step."),
    4, 4, media_options, cmd_turn_time },
  { "at-time", "PROJECT DOC SECONDS [--json]",
    N_("Show the turn being spoken at a time of the recording: the last turn whose time is known and not later (turns without a time are skipped). Before the first known time it prints nothing, or null with --json."),
    3, 3, media_options, cmd_at_time },
};

const CommandTable cli_media_commands = { commands, G_N_ELEMENTS (commands) };
