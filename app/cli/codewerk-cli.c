/* codewerk-cli: the scripting interface. The contract (commands, JSON keys,
 * exit codes, the error line) is ../shared/CLI.md: add, never rename. */
#include "config.h"

#include <locale.h>
#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>

#include "cw-case-condition.h"
#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-import.h"
#include "cw-json.h"
#include "cw-merge.h"
#include "cw-agreement.h"
#include "cw-project.h"
#include "cw-refi.h"
#include "cw-retrieval.h"

#include "cli-private.h"

static const Command *current_command;

/* The positional arguments as the user typed them: an error names a file
 * the way it was given, not as the core resolved it. */
static GPtrArray *given_paths;

/* message with a leading absolute path that is the resolved form of an
 * argument given otherwise ("../x.txt", "./x.txt") put back as given. */
static char *
as_given (const char *message)
{
  for (guint i = 0; given_paths != NULL && i < given_paths->len; i++)
    {
      const char *given = given_paths->pdata[i];
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (given);
      g_autofree char *resolved = g_file_get_path (file);
      gsize n = resolved != NULL ? strlen (resolved) : 0;

      if (n > 0 && strcmp (resolved, given) != 0 && strncmp (message, resolved, n) == 0 && message[n] == ':')
        return g_strconcat (given, message + n, NULL);
    }
  return g_strdup (message);
}

/* The contract is one line: newlines and other control characters in a
 * message (a file name, a cell of the file) become spaces, so neither a
 * second line nor a terminal escape can reach stderr. */
static void
print_error (const char *message)
{
  g_autofree char *given = as_given (message);
  g_autofree char *valid = g_utf8_make_valid (given, -1);
  g_autoptr(GString) line = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029)
        g_string_append_c (line, ' ');
      else
        g_string_append_len (line, p, g_utf8_next_char (p) - p);
    }
  g_printerr ("codewerk-cli: error: %s\n", line->str);
}

/* The project file of the command, once opened: errors of the project
 * itself name it when the core's message does not. */
static char *current_project_path;

int
fail (GError *error)
{
  if (current_project_path != NULL && error->domain == CW_PROJECT_ERROR &&
      !g_str_has_prefix (error->message, current_project_path))
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", current_project_path, error->message);
      print_error (message);
    }
  else
    print_error (error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("codewerk-cli: error: %s\n", message);
  if (current_command != NULL)
    g_printerr (_("Usage: codewerk-cli %s %s\n"), current_command->name, current_command->usage);
  g_printerr (_("Run 'codewerk-cli --help' for all commands.\n"));
  return EXIT_USAGE;
}

const char *
option (Args       *args,
        const char *name)
{
  return g_hash_table_lookup (args->options, name);
}

/* Every value of a repeatable option, or NULL. */
GPtrArray *
option_list (Args       *args,
             const char *name)
{
  return g_hash_table_lookup (args->lists, name);
}

void
print_json (CwJson *json)
{
  g_autofree char *text = cw_json_free_to_string (json);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

CwProject *
open_project (Args    *args,
              GError **error)
{
  CwProject *project = cw_project_open (g_ptr_array_index (args->positional, 0), error);

  if (project != NULL)
    {
      g_free (current_project_path);
      current_project_path = g_strdup (cw_project_get_path (project));
    }
  return project;
}

static void
json_document (CwJson               *json,
               const CwDocumentInfo *info)
{
  cw_json_begin_object (json);
  cw_json_key (json, "id");
  cw_json_int (json, info->id);
  cw_json_key (json, "name");
  cw_json_string (json, info->name);
  cw_json_key (json, "kind");
  cw_json_string (json, cw_document_kind_to_string (info->kind));
  cw_json_key (json, "characters");
  cw_json_int (json, info->characters);
  cw_json_key (json, "turns");
  cw_json_int (json, info->n_turns);
  cw_json_key (json, "speakers");
  cw_json_begin_array (json);
  for (guint i = 0; info->speakers != NULL && info->speakers[i] != NULL; i++)
    cw_json_string (json, info->speakers[i]);
  cw_json_end_array (json);
  cw_json_key (json, "original_name");
  cw_json_string (json, info->original_name);
  cw_json_key (json, "imported_at");
  cw_json_string (json, info->imported_at);
  cw_json_end_object (json);
}

static void
print_document_line (const CwDocumentInfo *info)
{
  g_autofree char *speakers = g_strjoinv (", ", info->speakers);

  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%" G_GINT64_FORMAT "\t%u\t%s\n",
           info->id, info->name, cw_document_kind_to_string (info->kind),
           info->characters, info->n_turns, speakers);
}

static int
print_documents (Args      *args,
                 GPtrArray *infos)
{
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < infos->len; i++)
        json_document (json, g_ptr_array_index (infos, i));
      cw_json_end_array (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < infos->len; i++)
        print_document_line (g_ptr_array_index (infos, i));
    }
  return EXIT_SUCCESS;
}

/* Commands */

static int
cmd_new (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = cw_project_create (g_ptr_array_index (args->positional, 0), option (args, "title"), &error);
  if (project == NULL)
    return fail (error);
  return EXIT_SUCCESS;
}

static int
cmd_import (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) infos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_document_info_free);
  g_autoptr(GArray) ids = NULL;
  const char *kind_name = option (args, "kind");
  CwDocumentKind kind;
  GError *error = NULL;

  if (kind_name != NULL && !cw_document_kind_from_string (kind_name, &kind))
    return usage_error (_("unknown kind '%s' (use arena, focus-group, employer-interview, interview or other)"),
                        kind_name);

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);

  for (guint i = 1; i < args->positional->len; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (g_ptr_array_index (args->positional, i)));

  ids = cw_project_import (project, files, kind_name != NULL ? (int) kind : -1, NULL, NULL, NULL, &error);
  if (ids == NULL)
    return fail (error);

  for (guint i = 0; i < ids->len; i++)
    {
      CwDocumentInfo *info = cw_project_get_document_info (project, g_array_index (ids, gint64, i), &error);

      if (info == NULL)
        return fail (error);
      g_ptr_array_add (infos, info);
    }
  return print_documents (args, infos);
}

static int
cmd_documents (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL || !(infos = cw_project_list_documents (project, &error)))
    return fail (error);
  return print_documents (args, infos);
}

/* Opens PROJECT and finds the DOC given as positional argument 1. */
CwProject *
open_with_document (Args    *args,
                    gint64  *id,
                    GError **error)
{
  g_autoptr(CwProject) project = open_project (args, error);

  if (project == NULL)
    return NULL;
  *id = cw_project_lookup_document (project, g_ptr_array_index (args->positional, 1), error);
  if (*id == 0)
    return NULL;
  return g_steal_pointer (&project);
}

static int
cmd_text (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;
  gint64 id;

  project = open_with_document (args, &id, &error);
  if (project == NULL || !(text = cw_project_get_text (project, id, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_string (json, text);
      print_json (json);
    }
  else
    fwrite (text, 1, strlen (text), stdout);
  return EXIT_SUCCESS;
}

static char *
format_time (double seconds)
{
  gint64 tenths = (gint64) (seconds * 10 + 0.5);

  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                          tenths / 36000, tenths / 600 % 60, tenths / 10 % 60, tenths % 10);
}

static int
cmd_turns (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  GError *error = NULL;
  gint64 id;

  project = open_with_document (args, &id, &error);
  if (project == NULL || !(turns = cw_project_get_turns (project, id, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < turns->len; i++)
        {
          const CwTurn *turn = g_ptr_array_index (turns, i);

          cw_json_begin_object (json);
          cw_json_key (json, "index");
          cw_json_int (json, i);
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
      cw_json_end_array (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < turns->len; i++)
        {
          const CwTurn *turn = g_ptr_array_index (turns, i);
          g_autofree char *time = turn->time >= 0 ? format_time (turn->time) : g_strdup ("-");

          g_print ("%u\t%s\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n",
                   i, turn->speaker != NULL ? turn->speaker : "-", turn->start, turn->end, time);
        }
    }
  return EXIT_SUCCESS;
}

static int
cmd_search (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  const char *doc = option (args, "doc");
  const char *limit_text = option (args, "limit");
  guint64 limit = 0;
  gint64 document_id = 0;
  GError *error = NULL;

  if (limit_text != NULL && !g_ascii_string_to_unsigned (limit_text, 10, 0, G_MAXUINT, &limit, NULL))
    return usage_error (_("--limit needs a number, not '%s'"), limit_text);

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  if (doc != NULL && (document_id = cw_project_lookup_document (project, doc, &error)) == 0)
    return fail (error);

  hits = cw_project_search (project, g_ptr_array_index (args->positional, 1), document_id,
                            (guint) limit, NULL, &error);
  if (hits == NULL)
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < hits->len; i++)
        {
          const CwSearchHit *hit = g_ptr_array_index (hits, i);

          cw_json_begin_object (json);
          cw_json_key (json, "document");
          cw_json_string (json, hit->document);
          cw_json_key (json, "start");
          cw_json_int (json, hit->start);
          cw_json_key (json, "end");
          cw_json_int (json, hit->end);
          cw_json_key (json, "snippet");
          cw_json_string (json, hit->snippet);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < hits->len; i++)
        {
          const CwSearchHit *hit = g_ptr_array_index (hits, i);

          g_print ("%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT ": %s\n",
                   hit->document, hit->start, hit->end, hit->snippet);
        }
    }
  return EXIT_SUCCESS;
}

/* Coding commands */

/* --coder/--author NAME, else $CODEWERK_CODER, else the default. */
const char *
coder_name (Args       *args,
            const char *option_name)
{
  const char *name = option (args, option_name);

  if (name == NULL)
    name = g_getenv ("CODEWERK_CODER");
  if (name == NULL || *name == '\0')
    name = CLI_DEFAULT_CODER;
  return name;
}

/* An empty --coder would make a nameless coder: wrong usage, not a failure. */
gboolean
check_names (Args        *args,
             const char **names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *value = option (args, names[i]);

      if (value != NULL && *value == '\0')
        {
          usage_error (_("option '--%s' needs a non-empty value"), names[i]);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
parse_integer (const char *text,
               gint64     *value)
{
  return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

/* Finds CODE by path; an unknown code says how to add it. */
gint64
lookup_code (CwProject   *project,
             const char  *path,
             GError     **error)
{
  GError *local = NULL;
  gint64 id = cw_project_lookup_code (project, path, &local);

  if (id != 0)
    return id;
  if (local == NULL || g_error_matches (local, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND))
    {
      g_clear_error (&local);
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no code '%s' (add it first with 'codewerk-cli code-add')"),
                   cw_project_get_path (project), path);
    }
  else
    g_propagate_error (error, local);
  return 0;
}

int
project_error (CwProject  *project,
               const char *message)
{
  g_autofree char *line = g_strdup_printf ("%s: %s", cw_project_get_path (project), message);

  print_error (line);
  return EXIT_FAILURE;
}

/* One line for plain output: newlines and tabs become spaces. */
static char *
one_line (const char *text)
{
  char *line = g_strdup (text != NULL ? text : "");

  g_strdelimit (line, "\n\r\t", ' ');
  return line;
}

static int
cmd_code_add (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwCode) code = NULL;
  g_autofree char *color = NULL;
  const char *color_text = option (args, "color");
  GError *error = NULL;
  gint64 id;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  /* A bad colour is a failure naming the value, like a bad offset. */
  if (color_text != NULL && (color = cw_code_normalize_color (color_text)) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("'%s' is not a colour (use #RRGGBB, e.g. #3465a4)"),
                                                  color_text);
      return project_error (project, message);
    }

  id = cw_project_add_code (project, g_ptr_array_index (args->positional, 1), color,
                            option (args, "description"), &error);
  if (id == 0 || !(code = cw_project_get_code (project, id, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "id");
      cw_json_int (json, code->id);
      cw_json_key (json, "path");
      cw_json_string (json, code->path);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print ("%" G_GINT64_FORMAT "\t%s\n", code->id, code->path);
  return EXIT_SUCCESS;
}

static int
cmd_codes (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new (g_int64_hash, g_int64_equal);
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL || !(codes = cw_project_list_codes (project, &error)))
    return fail (error);

  for (guint i = 0; i < codes->len; i++)
    {
      CwCode *code = g_ptr_array_index (codes, i);

      g_hash_table_insert (paths, &code->id, code->path);
    }

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < codes->len; i++)
        {
          const CwCode *code = g_ptr_array_index (codes, i);

          cw_json_begin_object (json);
          cw_json_key (json, "id");
          cw_json_int (json, code->id);
          cw_json_key (json, "path");
          cw_json_string (json, code->path);
          cw_json_key (json, "name");
          cw_json_string (json, code->name);
          cw_json_key (json, "parent");
          cw_json_string (json, code->parent_id != 0 ? g_hash_table_lookup (paths, &code->parent_id) : NULL);
          cw_json_key (json, "color");
          cw_json_string (json, code->color);
          cw_json_key (json, "description");
          cw_json_string (json, code->description);
          cw_json_key (json, "codings");
          cw_json_int (json, code->n_codings);
          cw_json_key (json, "codable");
          cw_json_bool (json, code->codable);
          cw_json_key (json, "guid");
          cw_json_string (json, code->guid);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < codes->len; i++)
        {
          const CwCode *code = g_ptr_array_index (codes, i);

          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%u%s%s\n", code->id, code->path,
                   code->color != NULL ? code->color : "-", code->n_codings,
                   code->codable ? "" : "\t", code->codable ? "" : _("category"));
        }
    }
  return EXIT_SUCCESS;
}

static int
cmd_code (Args *args)
{
  static const char *names[] = { "coder", NULL };
  g_autoptr(CwProject) project = NULL;
  const char *start_text = g_ptr_array_index (args->positional, 2);
  const char *end_text = g_ptr_array_index (args->positional, 3);
  GError *error = NULL;
  gint64 document_id, code_id, start, end, id;

  if (!parse_integer (start_text, &start))
    return usage_error (_("START must be a whole number of characters, not '%s'"), start_text);
  if (!parse_integer (end_text, &end))
    return usage_error (_("END must be a whole number of characters, not '%s'"), end_text);
  if (!check_names (args, names))
    return EXIT_USAGE;

  project = open_with_document (args, &document_id, &error);
  if (project == NULL || !(code_id = lookup_code (project, g_ptr_array_index (args->positional, 4), &error)))
    return fail (error);

  id = cw_project_add_coding (project, document_id, code_id, start, end, coder_name (args, "coder"),
                              option (args, "memo"), &error);
  if (id == 0)
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "id");
      cw_json_int (json, id);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_SUCCESS;
}

static void
append_id (GArray **array,
           gint64   id)
{
  if (*array == NULL)
    *array = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (*array, id);
}

static int
cmd_codings (Args *args)
{
  static const char *names[] = { "coder", "speaker", "case", NULL };
  static const char *combiners[] = { "and", "or", "not" };
  static const CwCombine combines[] = { CW_COMBINE_AND, CW_COMBINE_OR, CW_COMBINE_NOT };
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) segments = NULL;
  const char *code = option (args, "code");
  const char *doc = option (args, "doc");
  const char *kind_name = option (args, "kind");
  const char *group = option (args, "group");
  g_autofree char *where = NULL;
  GPtrArray *others = NULL;
  CwCombine combine = CW_COMBINE_OR;
  CwDocumentKind kind;
  GError *error = NULL;

  if (!check_names (args, names))
    return EXIT_USAGE;
  if (kind_name != NULL && !cw_document_kind_from_string (kind_name, &kind))
    return usage_error (_("unknown kind '%s' (use arena, focus-group, employer-interview, interview or other)"),
                        kind_name);
  for (guint i = 0; i < G_N_ELEMENTS (combiners); i++)
    {
      GPtrArray *list = option_list (args, combiners[i]);

      if (list == NULL)
        continue;
      if (others != NULL)
        return usage_error (_("use one of --and, --or and --not at a time"));
      others = list;
      combine = combines[i];
    }
  if (others != NULL && code == NULL)
    return usage_error (_("--and, --or and --not combine with the code given by --code"));

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);

  if (code != NULL)
    {
      gint64 id = lookup_code (project, code, &error);

      if (id == 0)
        return fail (error);
      append_id (&query->code_ids, id);
    }
  for (guint i = 0; others != NULL && i < others->len; i++)
    {
      gint64 id = lookup_code (project, g_ptr_array_index (others, i), &error);

      if (id == 0)
        return fail (error);
      append_id (&query->code_ids, id);
    }
  if (doc != NULL)
    {
      gint64 id = cw_project_lookup_document (project, doc, &error);

      if (id == 0)
        return fail (error);
      append_id (&query->document_ids, id);
    }
  if (group != NULL && (query->group_id = cw_project_lookup_group (project, group, &error)) == 0)
    return fail (error);
  query->include_subcodes = option (args, "subcodes") != NULL;
  query->combine = combine;
  query->kind = kind_name != NULL ? (int) kind : -1;
  query->coder = g_strdup (option (args, "coder"));
  query->speaker = g_strdup (option (args, "speaker"));
  query->case_id = g_strdup (option (args, "case"));
  query->case_condition = g_strdup (option (args, "where"));
  /* Retrieval reads a blank condition as none; here it is a mistake. */
  where = g_strstrip (g_strdup (query->case_condition != NULL ? query->case_condition : "x"));
  if (where[0] == '\0')
    {
      g_autoptr(GPtrArray) none = g_ptr_array_new ();
      g_autoptr(CwCaseCondition) condition = cw_case_condition_parse (query->case_condition, none, &error);

      g_assert (condition == NULL);
      g_prefix_error (&error, "--where: ");
      return fail (error);
    }
  query->with_text = TRUE;

  segments = cw_project_retrieve (project, query, NULL, &error);
  if (segments == NULL && error->domain == CW_CASE_CONDITION_ERROR)
    {
      /* "--where: column 5: a value is expected after '<'" */
      g_prefix_error (&error, "--where: ");
      return fail (error);
    }
  if (segments == NULL)
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < segments->len; i++)
        {
          const CwCoding *c = g_ptr_array_index (segments, i);

          cw_json_begin_object (json);
          cw_json_key (json, "id");
          /* An AND segment is an overlap, not a stored coding. */
          if (c->id != 0)
            cw_json_int (json, c->id);
          else
            cw_json_null (json);
          cw_json_key (json, "document");
          cw_json_string (json, c->document);
          cw_json_key (json, "start");
          cw_json_int (json, c->start);
          cw_json_key (json, "end");
          cw_json_int (json, c->end);
          cw_json_key (json, "code");
          cw_json_string (json, c->code);
          cw_json_key (json, "coder");
          cw_json_string (json, c->coder);
          cw_json_key (json, "speaker");
          cw_json_string (json, c->speaker);
          cw_json_key (json, "case");
          cw_json_string (json, c->case_id);
          cw_json_key (json, "text");
          cw_json_string (json, c->text);
          cw_json_key (json, "memo");
          cw_json_string (json, c->memo);
          cw_json_key (json, "created_at");
          cw_json_string (json, c->created_at);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < segments->len; i++)
        {
          const CwCoding *c = g_ptr_array_index (segments, i);
          g_autofree char *text = one_line (c->text);

          g_print ("%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n",
                   c->document, c->start, c->end, c->code, c->coder != NULL ? c->coder : "-",
                   c->speaker != NULL ? c->speaker : "-", text);
        }
    }
  return EXIT_SUCCESS;
}

static int
cmd_autocode (Args *args)
{
  static const char *names[] = { "coder", "speaker", NULL };
  g_autoptr(CwProject) project = NULL;
  const char *speaker = option (args, "speaker");
  const char *query = option (args, "search");
  const char *scope_name = option (args, "scope");
  const char *doc = option (args, "doc");
  CwAutocodeScope scope = CW_AUTOCODE_HIT;
  gint64 code_id, document_id = 0, added;
  GError *error = NULL;

  if (!check_names (args, names))
    return EXIT_USAGE;
  if ((speaker == NULL) == (query == NULL))
    return usage_error (_("give either --speaker or --search"));
  if (scope_name != NULL && query == NULL)
    return usage_error (_("--scope goes with --search"));
  if (scope_name == NULL || strcmp (scope_name, "hit") == 0)
    scope = CW_AUTOCODE_HIT;
  else if (strcmp (scope_name, "sentence") == 0)
    scope = CW_AUTOCODE_SENTENCE;
  else if (strcmp (scope_name, "turn") == 0)
    scope = CW_AUTOCODE_TURN;
  else
    return usage_error (_("unknown scope '%s' (use hit, sentence or turn)"), scope_name);

  project = open_project (args, &error);
  if (project == NULL || !(code_id = lookup_code (project, g_ptr_array_index (args->positional, 1), &error)))
    return fail (error);
  if (doc != NULL && (document_id = cw_project_lookup_document (project, doc, &error)) == 0)
    return fail (error);

  if (speaker != NULL)
    added = cw_project_autocode_speaker (project, speaker, document_id, code_id,
                                         coder_name (args, "coder"), NULL, &error);
  else
    added = cw_project_autocode_search (project, query, scope, document_id, code_id,
                                        coder_name (args, "coder"), NULL, &error);
  if (added < 0 || error != NULL)
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "added");
      cw_json_int (json, added);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print (ngettext ("%lu coding added\n", "%lu codings added\n", (gulong) added), (gulong) added);
  return EXIT_SUCCESS;
}

static const char * const memo_targets[] = { "project", "document", "code", "coding" };

/* The one memo target among --project, --doc, --code and --coding. With
 * required FALSE, no target means every memo (*target -1). FALSE after a
 * usage error or a failure (*status says which). */
static gboolean
memo_target (Args          *args,
             CwProject     *project,
             gboolean       required,
             int           *target,
             gint64        *target_id,
             int           *status)
{
  const char *doc = option (args, "doc");
  const char *code = option (args, "code");
  const char *coding = option (args, "coding");
  GError *error = NULL;
  guint given = (doc != NULL) + (code != NULL) + (coding != NULL) + (option (args, "project") != NULL);

  *target = -1;
  *target_id = 0;
  if (given > 1 || (required && given == 0))
    {
      *status = usage_error (_("give one of --doc, --code, --coding and --project"));
      return FALSE;
    }
  if (given == 0)
    return TRUE;

  if (doc != NULL)
    {
      *target = CW_MEMO_DOCUMENT;
      *target_id = cw_project_lookup_document (project, doc, &error);
    }
  else if (code != NULL)
    {
      *target = CW_MEMO_CODE;
      *target_id = lookup_code (project, code, &error);
    }
  else if (coding != NULL)
    {
      g_autoptr(CwCoding) found = NULL;

      *target = CW_MEMO_CODING;
      if (!parse_integer (coding, target_id) || *target_id <= 0)
        {
          *status = usage_error (_("--coding needs a coding's id, not '%s'"), coding);
          return FALSE;
        }
      found = cw_project_get_coding (project, *target_id, &error);
      if (found == NULL)
        *target_id = 0;
    }
  else
    *target = CW_MEMO_PROJECT;

  if (*target != CW_MEMO_PROJECT && *target_id == 0)
    {
      *status = fail (error);
      return FALSE;
    }
  return TRUE;
}

static int
cmd_memo (Args *args)
{
  static const char *names[] = { "author", NULL };
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;
  gint64 target_id, id;
  int target, status;

  if (!check_names (args, names))
    return EXIT_USAGE;
  /* Usage first: a wrong call fails alike for any project. */
  if ((option (args, "doc") != NULL) + (option (args, "code") != NULL) + (option (args, "coding") != NULL)
      + (option (args, "project") != NULL) != 1)
    return usage_error (_("give one of --doc, --code, --coding and --project"));

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  if (!memo_target (args, project, TRUE, &target, &target_id, &status))
    return status;

  id = cw_project_add_memo (project, target, target_id, option (args, "title"),
                            g_ptr_array_index (args->positional, 1), coder_name (args, "author"), &error);
  if (id == 0)
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "id");
      cw_json_int (json, id);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print ("%" G_GINT64_FORMAT "\n", id);
  return EXIT_SUCCESS;
}

/* What a memo is about, for people: a document's name, a code's path, a
 * coding's place; NULL for the project. */
static char *
memo_about (CwProject    *project,
            const CwMemo *memo)
{
  switch (memo->target)
    {
    case CW_MEMO_DOCUMENT:
      {
        g_autoptr(CwDocumentInfo) info = cw_project_get_document_info (project, memo->target_id, NULL);

        return info != NULL ? g_strdup (info->name) : NULL;
      }
    case CW_MEMO_CODE:
      {
        g_autoptr(CwCode) code = cw_project_get_code (project, memo->target_id, NULL);

        return code != NULL ? g_strdup (code->path) : NULL;
      }
    case CW_MEMO_CODING:
      {
        g_autoptr(CwCoding) coding = cw_project_get_coding (project, memo->target_id, NULL);

        if (coding == NULL)
          return NULL;
        return g_strdup_printf ("%s:%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s", coding->document,
                                coding->start, coding->end, coding->code);
      }
    case CW_MEMO_PROJECT:
    default:
      return NULL;
    }
}

static int
cmd_memos (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) memos = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_memo_free);
  GError *error = NULL;
  gint64 target_id;
  int target, status;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  if (!memo_target (args, project, FALSE, &target, &target_id, &status))
    return status;

  for (int t = CW_MEMO_PROJECT; t <= CW_MEMO_CODING; t++)
    {
      g_autoptr(GPtrArray) some = NULL;

      if (target >= 0 && t != target)
        continue;
      some = cw_project_list_memos (project, t, target_id, &error);
      if (some == NULL)
        return fail (error);
      for (guint i = 0; i < some->len; i++)
        g_ptr_array_add (memos, g_steal_pointer (&some->pdata[i]));
      g_ptr_array_set_free_func (some, NULL);
    }

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < memos->len; i++)
        {
          const CwMemo *memo = g_ptr_array_index (memos, i);
          g_autofree char *about = memo_about (project, memo);

          cw_json_begin_object (json);
          cw_json_key (json, "id");
          cw_json_int (json, memo->id);
          cw_json_key (json, "target");
          cw_json_string (json, memo_targets[memo->target]);
          cw_json_key (json, "target_id");
          if (memo->target != CW_MEMO_PROJECT)
            cw_json_int (json, memo->target_id);
          else
            cw_json_null (json);
          cw_json_key (json, "about");
          cw_json_string (json, about);
          cw_json_key (json, "title");
          cw_json_string (json, memo->title);
          cw_json_key (json, "text");
          cw_json_string (json, memo->text);
          cw_json_key (json, "author");
          cw_json_string (json, memo->author);
          cw_json_key (json, "created_at");
          cw_json_string (json, memo->created_at);
          cw_json_key (json, "modified_at");
          cw_json_string (json, memo->modified_at);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < memos->len; i++)
        {
          const CwMemo *memo = g_ptr_array_index (memos, i);
          g_autofree char *about = memo_about (project, memo);
          g_autofree char *title = one_line (memo->title);
          g_autofree char *text = one_line (memo->text);

          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\n", memo->id, memo_targets[memo->target],
                   about != NULL ? about : "-", memo->author != NULL ? memo->author : "-",
                   *title != '\0' ? title : "-", text);
        }
    }
  return EXIT_SUCCESS;
}

/* undo and redo print the label of the step they acted on. */
static int
undo_or_redo (Args     *args,
              gboolean  redo)
{
  g_autoptr(CwProject) project = NULL;
  g_autofree char *label = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  if (!(redo ? cw_project_can_redo (project) : cw_project_can_undo (project)))
    return project_error (project, redo ? _("nothing to redo") : _("nothing to undo"));

  label = redo ? cw_project_get_redo_label (project) : cw_project_get_undo_label (project);
  if (!(redo ? cw_project_redo (project, &error) : cw_project_undo (project, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, redo ? "redone" : "undone");
      cw_json_string (json, label);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print ("%s\n", label != NULL ? label : "");
  return EXIT_SUCCESS;
}

static int
cmd_undo (Args *args)
{
  return undo_or_redo (args, FALSE);
}

static int
cmd_redo (Args *args)
{
  return undo_or_redo (args, TRUE);
}

/* Document groups: `group` creates the group if needed and adds (or with
 * --remove takes out) the documents; every DOC is found first, so a wrong
 * one changes nothing. */
static int
cmd_group (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *name = g_ptr_array_index (args->positional, 1);
  gboolean remove = g_hash_table_contains (args->options, "remove");
  GError *error = NULL;
  gint64 group;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  for (guint i = 2; i < args->positional->len; i++)
    {
      gint64 id = cw_project_lookup_document (project, g_ptr_array_index (args->positional, i), &error);

      if (id == 0)
        return fail (error);
      g_array_append_val (ids, id);
    }

  group = cw_project_lookup_group (project, name, NULL);
  if (group == 0)
    {
      if (remove)
        {
          g_set_error (&error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND, "no group '%s'", name);
          return fail (error);
        }
      if ((group = cw_project_add_group (project, name, &error)) == 0)
        return fail (error);
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (!(remove ? cw_project_group_remove_document (project, group, id, &error)
                   : cw_project_group_add_document (project, group, id, &error)))
        return fail (error);
    }

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "id");
      cw_json_int (json, group);
      cw_json_end_object (json);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
cmd_groups (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) documents = NULL;
  GError *error = NULL;
  CwJson *json = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !(groups = cw_project_list_groups (project, &error)) ||
      !(documents = cw_project_list_documents (project, &error)))
    return fail (error);
  for (guint i = 0; i < documents->len; i++)
    {
      const CwDocumentInfo *info = g_ptr_array_index (documents, i);
      g_hash_table_insert (names, g_memdup2 (&info->id, sizeof info->id), g_strdup (info->name));
    }

  if (args->json)
    {
      json = cw_json_new ();
      cw_json_begin_array (json);
    }
  for (guint i = 0; i < groups->len; i++)
    {
      const CwDocumentGroup *group = g_ptr_array_index (groups, i);

      if (json != NULL)
        {
          cw_json_begin_object (json);
          cw_json_key (json, "id");
          cw_json_int (json, group->id);
          cw_json_key (json, "name");
          cw_json_string (json, group->name);
          cw_json_key (json, "documents");
          cw_json_begin_array (json);
        }
      else
        g_print ("%" G_GINT64_FORMAT "\t%s", group->id, group->name);
      for (guint d = 0; d < group->document_ids->len; d++)
        {
          gint64 id = g_array_index (group->document_ids, gint64, d);
          const char *document = g_hash_table_lookup (names, &id);

          if (json != NULL)
            cw_json_string (json, document);
          else
            g_print ("%s%s", d == 0 ? "\t" : ", ", document);
        }
      if (json != NULL)
        {
          cw_json_end_array (json);
          cw_json_end_object (json);
        }
      else
        g_print ("\n");
    }
  if (json != NULL)
    {
      cw_json_end_array (json);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
cmd_group_delete (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;
  gint64 group;

  project = open_project (args, &error);
  if (project == NULL ||
      (group = cw_project_lookup_group (project, g_ptr_array_index (args->positional, 1), &error)) == 0 ||
      !cw_project_delete_group (project, group, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

/* REFI-QDA exchange (cw-refi.h). Import warnings are not failures: they go
 * to stderr as "codewerk-cli: warning: ..." lines, or with --json into the
 * "warnings" array of the JSON, and the exit status stays 0. */

void
print_warnings (GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    g_printerr ("codewerk-cli: warning: %s\n", (const char *) warnings->pdata[i]);
}

void
json_warnings (CwJson    *json,
               GPtrArray *warnings)
{
  cw_json_key (json, "warnings");
  cw_json_begin_array (json);
  for (guint i = 0; i < warnings->len; i++)
    cw_json_string (json, warnings->pdata[i]);
  cw_json_end_array (json);
}

/* The project to export from: the one opened, or with --pseudonymise a
 * pseudonymised copy of it (*tmpdir set; close_pseudonymised_copy). */
static CwProject *
export_source (Args       *args,
               CwProject  *project,
               char      **tmpdir,
               GError    **error)
{
  *tmpdir = NULL;
  if (option (args, "pseudonymise") == NULL)
    return g_object_ref (project);
  return open_pseudonymised_copy (project, tmpdir, error);
}

static int
cmd_codebook_export (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  CwProject *source = NULL;
  char *tmpdir = NULL;
  GError *error = NULL;
  gboolean ok;

  project = open_project (args, &error);
  if (project == NULL || (source = export_source (args, project, &tmpdir, &error)) == NULL)
    return fail (error);
  ok = cw_refi_export_codebook (source, g_ptr_array_index (args->positional, 1), &error);
  close_pseudonymised_copy (source, tmpdir);
  return ok ? EXIT_SUCCESS : fail (error);
}

static int
cmd_export (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  CwProject *source = NULL;
  char *tmpdir = NULL;
  GError *error = NULL;
  gboolean ok;

  project = open_project (args, &error);
  if (project == NULL || (source = export_source (args, project, &tmpdir, &error)) == NULL)
    return fail (error);
  ok = cw_refi_export_project (source, g_ptr_array_index (args->positional, 1), NULL, NULL, NULL, &error);
  close_pseudonymised_copy (source, tmpdir);
  return ok ? EXIT_SUCCESS : fail (error);
}

static int
cmd_codebook_import (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  guint added = 0, matched = 0;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !cw_refi_import_codebook (project, g_ptr_array_index (args->positional, 1), &added, &matched, warnings,
                                &error))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "added");
      cw_json_int (json, added);
      cw_json_key (json, "matched");
      cw_json_int (json, matched);
      json_warnings (json, warnings);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    {
      print_warnings (warnings);
      g_print (ngettext ("%u code added", "%u codes added", added), added);
      g_print (", ");
      g_print (ngettext ("%u matched an existing code\n", "%u matched existing codes\n", matched), matched);
    }
  return EXIT_SUCCESS;
}

/* What the new project holds, for import-project's report. */
static gboolean
count_project (CwProject  *project,
               gint64     *documents,
               gint64     *codes,
               gint64     *codings,
               GError    **error)
{
  g_autoptr(GPtrArray) document_list = cw_project_list_documents (project, error);
  g_autoptr(GPtrArray) code_list = document_list != NULL ? cw_project_list_codes (project, error) : NULL;

  if (code_list == NULL)
    return FALSE;
  *documents = document_list->len;
  *codes = code_list->len;
  *codings = 0;
  for (guint i = 0; i < code_list->len; i++)
    *codings += ((CwCode *) code_list->pdata[i])->n_codings;
  return TRUE;
}

static int
cmd_import_project (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  gint64 documents, codes, codings;
  GError *error = NULL;

  project = cw_refi_import_project (g_ptr_array_index (args->positional, 1), g_ptr_array_index (args->positional, 0),
                                    warnings, NULL, NULL, NULL, &error);
  if (project == NULL)
    return fail (error);

  if (!count_project (project, &documents, &codes, &codings, &error))
    return fail (error);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "documents");
      cw_json_int (json, documents);
      cw_json_key (json, "codes");
      cw_json_int (json, codes);
      cw_json_key (json, "codings");
      cw_json_int (json, codings);
      json_warnings (json, warnings);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    {
      print_warnings (warnings);
      g_print (ngettext ("%lu document", "%lu documents", (gulong) documents), (gulong) documents);
      g_print (", ");
      g_print (ngettext ("%lu code", "%lu codes", (gulong) codes), (gulong) codes);
      g_print (", ");
      g_print (ngettext ("%lu coding imported\n", "%lu codings imported\n", (gulong) codings), (gulong) codings);
    }
  return EXIT_SUCCESS;
}

/* Cohort records */

static int
cmd_cases_import (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwCasesImportResult) result = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !(result = cw_project_import_cases (project, g_ptr_array_index (args->positional, 1), option (args, "id"),
                                          NULL, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "cases");
      cw_json_int (json, result->cases);
      cw_json_key (json, "variables");
      cw_json_int (json, result->variables);
      cw_json_key (json, "added");
      cw_json_int (json, result->added);
      json_warnings (json, result->warnings);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    {
      print_warnings (result->warnings);
      g_print (ngettext ("%u case", "%u cases", result->cases), result->cases);
      g_print (" (");
      g_print (ngettext ("%u new", "%u new", result->added), result->added);
      g_print ("), ");
      g_print (ngettext ("%u variable imported\n", "%u variables imported\n", result->variables),
               result->variables);
    }
  return EXIT_SUCCESS;
}

/* A value as the cases command shows it: numbers without needless
 * decimals. */
static char *
case_value_text (GVariant *value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == NULL)
    return g_strdup ("");
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", g_variant_get_double (value)));
  return g_variant_dup_string (value, NULL);
}

static int
cmd_cases (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) links = NULL;
  GError *error = NULL;
  CwJson *json = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !(variables = cw_project_list_variables (project, &error)) ||
      !(cases = cw_project_list_cases (project, &error)) ||
      !(links = cw_project_list_case_links (project, 0, &error)))
    return fail (error);

  if (args->json)
    {
      json = cw_json_new ();
      cw_json_begin_array (json);
    }
  else
    {
      g_print ("id");
      for (guint v = 0; v < variables->len; v++)
        g_print ("\t%s", ((CwVariable *) variables->pdata[v])->name);
      g_print ("\n");
    }
  for (guint i = 0; i < cases->len; i++)
    {
      const CwCase *kase = cases->pdata[i];

      if (json != NULL)
        {
          cw_json_begin_object (json);
          cw_json_key (json, "id");
          cw_json_string (json, kase->identifier);
          cw_json_key (json, "variables");
          cw_json_begin_object (json);
          for (guint v = 0; v < variables->len; v++)
            {
              GVariant *value = kase->values->pdata[v];

              cw_json_key (json, ((CwVariable *) variables->pdata[v])->name);
              if (value == NULL)
                cw_json_null (json);
              else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE) &&
                       g_variant_get_double (value) == (double) (gint64) g_variant_get_double (value) &&
                       fabs (g_variant_get_double (value)) < 1e15)
                cw_json_int (json, (gint64) g_variant_get_double (value));
              else if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
                cw_json_double (json, g_variant_get_double (value));
              else
                cw_json_string (json, g_variant_get_string (value, NULL));
            }
          cw_json_end_object (json);
          cw_json_key (json, "documents");
          cw_json_begin_array (json);
          for (guint l = 0; l < links->len; l++)
            {
              const CwCaseLink *link = links->pdata[l];

              if (link->case_id != kase->id)
                continue;
              cw_json_begin_object (json);
              cw_json_key (json, "document");
              cw_json_string (json, link->document);
              cw_json_key (json, "speaker");
              if (link->speaker != NULL)
                cw_json_string (json, link->speaker);
              else
                cw_json_null (json);
              cw_json_end_object (json);
            }
          cw_json_end_array (json);
          cw_json_end_object (json);
        }
      else
        {
          g_print ("%s", kase->identifier);
          for (guint v = 0; v < variables->len; v++)
            {
              g_autofree char *text = case_value_text (kase->values->pdata[v]);

              g_print ("\t%s", text);
            }
          g_print ("\n");
        }
    }
  if (json != NULL)
    {
      cw_json_end_array (json);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  double x = **(double **) a, y = **(double **) b;

  return (x > y) - (x < y);
}

/* The value codes of a variable's labels, in order. */
static GPtrArray *
sorted_label_values (const CwVariable *variable)
{
  GPtrArray *values = g_ptr_array_new ();

  if (variable->value_labels != NULL)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, variable->value_labels);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (values, key);
      g_ptr_array_sort (values, compare_labels);
    }
  return values;
}

static int
cmd_variables (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  GError *error = NULL;
  CwJson *json = NULL;

  project = open_project (args, &error);
  if (project == NULL || !(variables = cw_project_list_variables (project, &error)))
    return fail (error);

  if (args->json)
    {
      json = cw_json_new ();
      cw_json_begin_array (json);
    }
  for (guint i = 0; i < variables->len; i++)
    {
      const CwVariable *variable = variables->pdata[i];
      g_autoptr(GPtrArray) values = sorted_label_values (variable);

      if (json != NULL)
        {
          cw_json_begin_object (json);
          cw_json_key (json, "name");
          cw_json_string (json, variable->name);
          cw_json_key (json, "label");
          if (variable->label != NULL)
            cw_json_string (json, variable->label);
          else
            cw_json_null (json);
          cw_json_key (json, "type");
          cw_json_string (json, cw_variable_type_to_string (variable->type));
          cw_json_key (json, "value_labels");
          cw_json_begin_array (json);
          for (guint v = 0; v < values->len; v++)
            {
              cw_json_begin_object (json);
              cw_json_key (json, "value");
              cw_json_double (json, *(double *) values->pdata[v]);
              cw_json_key (json, "label");
              cw_json_string (json, g_hash_table_lookup (variable->value_labels, values->pdata[v]));
              cw_json_end_object (json);
            }
          cw_json_end_array (json);
          cw_json_end_object (json);
        }
      else
        {
          g_print ("%s\t%s\t%s", variable->name, cw_variable_type_to_string (variable->type),
                   variable->label != NULL ? variable->label : "");
          for (guint v = 0; v < values->len; v++)
            {
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              g_print ("%s%s=%s", v == 0 ? "\t" : ", ",
                       g_ascii_formatd (buffer, sizeof buffer, "%.15g", *(double *) values->pdata[v]),
                       (const char *) g_hash_table_lookup (variable->value_labels, values->pdata[v]));
            }
          g_print ("\n");
        }
    }
  if (json != NULL)
    {
      cw_json_end_array (json);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
cmd_link (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  const char *speaker = option (args, "speaker");
  GError *error = NULL;
  gint64 case_id, document_id;

  project = open_project (args, &error);
  if (project == NULL ||
      (case_id = cw_project_lookup_case (project, g_ptr_array_index (args->positional, 1), &error)) == 0 ||
      (document_id = cw_project_lookup_document (project, g_ptr_array_index (args->positional, 2), &error)) == 0)
    return fail (error);
  if (g_hash_table_contains (args->options, "remove")
      ? !cw_project_unlink_case (project, case_id, document_id, speaker, &error)
      : !cw_project_link_case (project, case_id, document_id, speaker, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

/* The table */

/* crosstab and matrix (cohort analyses) ------------------------------------ */

static int
cmd_crosstab (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwCrosstab) crosstab = NULL;
  const char *bins_text = option (args, "bins");
  GError *error = NULL;
  gint64 bins = 0;
  guint n;

  if (bins_text != NULL &&
      (!parse_integer (bins_text, &bins) || bins < 1 || bins > 1000))
    return usage_error (_("--bins needs a whole number from 1 to 1000, not '%s'"), bins_text);
  project = open_project (args, &error);
  if (project == NULL ||
      !(crosstab = cw_project_crosstab (project, g_ptr_array_index (args->positional, 1), (guint) bins, &error)))
    return fail (error);
  n = g_strv_length (crosstab->values);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "variable");
      cw_json_string (json, crosstab->variable);
      cw_json_key (json, "values");
      cw_json_begin_array (json);
      for (guint c = 0; c < n; c++)
        cw_json_string (json, crosstab->values[c]);
      cw_json_end_array (json);
      cw_json_key (json, "rows");
      cw_json_begin_array (json);
      for (guint r = 0; r < crosstab->codes->len; r++)
        {
          cw_json_begin_object (json);
          cw_json_key (json, "code");
          cw_json_string (json, g_ptr_array_index (crosstab->codes, r));
          cw_json_key (json, "codings");
          cw_json_begin_object (json);
          for (guint c = 0; c < n; c++)
            {
              cw_json_key (json, crosstab->values[c]);
              cw_json_int (json, crosstab->codings[r * n + c]);
            }
          cw_json_end_object (json);
          cw_json_key (json, "cases");
          cw_json_begin_object (json);
          for (guint c = 0; c < n; c++)
            {
              cw_json_key (json, crosstab->values[c]);
              cw_json_int (json, crosstab->cases[r * n + c]);
            }
          cw_json_end_object (json);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      cw_json_end_object (json);
      print_json (json);
      return EXIT_SUCCESS;
    }

  /* Tab-separated: codings, and in parentheses the distinct cases. */
  g_print ("%s", _("code"));
  for (guint c = 0; c < n; c++)
    g_print ("\t%s", crosstab->values[c]);
  g_print ("\n");
  for (guint r = 0; r < crosstab->codes->len; r++)
    {
      g_print ("%s", (const char *) g_ptr_array_index (crosstab->codes, r));
      for (guint c = 0; c < n; c++)
        g_print ("\t%u (%u)", crosstab->codings[r * n + c], crosstab->cases[r * n + c]);
      g_print ("\n");
    }
  return EXIT_SUCCESS;
}

static int
cmd_matrix (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  CwProject *source = NULL;
  char *tmpdir = NULL;
  GError *error = NULL;
  gboolean ok;

  project = open_project (args, &error);
  if (project == NULL || (source = export_source (args, project, &tmpdir, &error)) == NULL)
    return fail (error);
  ok = cw_project_export_matrix (source, g_ptr_array_index (args->positional, 1), NULL, &error);
  close_pseudonymised_copy (source, tmpdir);
  return ok ? EXIT_SUCCESS : fail (error);
}

/* Several coders */

static void
print_merge_conflicts (const CwMergeResult *result)
{
  for (guint i = 0; i < result->conflicts->len; i++)
    {
      g_autofree char *text = cw_merge_conflict_describe (result->conflicts->pdata[i]);

      g_printerr ("codewerk-cli: %s %s\n", _("conflict:"), text);
    }
}

static int
cmd_merge (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(CliDecrypted) decrypted = NULL;
  GError *error = NULL;
  int status;

  for (guint i = 1; i < args->positional->len; i++)
    g_ptr_array_add (paths, args->positional->pdata[i]);
  g_ptr_array_add (paths, NULL);

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  /* Encrypted copies (.codewerk-enc) are decrypted to a private temporary
   * folder first and merged from there (cli-crypt.c). */
  decrypted = cli_decrypt_inputs ((const char * const *) paths->pdata, &status);
  if (decrypted == NULL)
    return status;
  result = cw_project_merge (project, cli_decrypted_paths (decrypted), NULL, NULL, NULL, &error);
  if (result == NULL)
    {
      cli_decrypted_fix_error (decrypted, error);
      /* An error that names the other file is about that file: prefixing
       * our project's path would blame the wrong one. */
      for (guint i = 0; paths->pdata[i] != NULL; i++)
        if (g_str_has_prefix (error->message, paths->pdata[i]))
          {
            print_error (error->message);
            g_error_free (error);
            return EXIT_FAILURE;
          }
      return fail (error);
    }
  cli_decrypted_fix_result (decrypted, result);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_merge_result_write_json (result, json);
      print_json (json);
      return EXIT_SUCCESS;
    }
  print_warnings (result->warnings);
  print_merge_conflicts (result);
  g_print (ngettext ("%u document added", "%u documents added", result->documents_added), result->documents_added);
  g_print (", ");
  g_print (ngettext ("%u code added", "%u codes added", result->codes_added), result->codes_added);
  g_print (", ");
  g_print (ngettext ("%u coding added", "%u codings added", result->codings_added), result->codings_added);
  g_print (", ");
  g_print (ngettext ("%u coding skipped\n", "%u codings skipped\n", result->codings_skipped), result->codings_skipped);
  return EXIT_SUCCESS;
}

/* Splits "A,B,C" and repeated options into one list of names. */
static GStrv
coder_names (Args *args)
{
  GPtrArray *given = option_list (args, "coders");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; given != NULL && i < given->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (given->pdata[i], ",", -1);

      for (guint p = 0; parts[p] != NULL; p++)
        {
          g_strstrip (parts[p]);
          if (*parts[p] != '\0')
            g_strv_builder_add (builder, parts[p]);
        }
    }
  return g_strv_builder_end (builder);
}

static char *
format_statistic (double value,
                  int    digits)
{
  if (isnan (value))
    return g_strdup ("-");
  return g_strdup_printf ("%.*f", digits, value);
}

/* One line of the plain agreement table. */
static void
print_agreement_row (const char *name,
                     gint64      units,
                     double      percent,
                     gboolean    many,
                     double      unanimous,
                     double      kappa,
                     double      alpha,
                     gboolean    segment,
                     gint64      matched,
                     gint64      unmatched)
{
  g_autofree char *percent_text = format_statistic (percent, 1);
  g_autofree char *kappa_text = format_statistic (kappa, 3);
  g_autofree char *alpha_text = format_statistic (alpha, 3);

  g_print ("%s\t%" G_GINT64_FORMAT "\t%s", name, units, percent_text);
  if (many)
    {
      g_autofree char *unanimous_text = format_statistic (unanimous, 1);

      g_print ("\t%s", unanimous_text);
    }
  g_print ("\t%s\t%s", kappa_text, alpha_text);
  if (segment)
    g_print ("\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT, matched, unmatched);
  g_print ("\n");
}

static int
cmd_agreement (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwAgreementOptions) options = cw_agreement_options_new ();
  g_autoptr(CwAgreement) agreement = NULL;
  GPtrArray *codes = option_list (args, "code");
  GPtrArray *docs = option_list (args, "doc");
  const char *unit = option (args, "unit");
  const char *overlap = option (args, "overlap");
  gboolean many, segment;
  GError *error = NULL;

  options->coders = coder_names (args);
  if (g_strv_length (options->coders) < 2)
    return usage_error (_("--coders needs at least two coder names, such as --coders Lotte,Ruben"));
  for (guint i = 1; options->coders[i] != NULL; i++)
    for (guint j = 0; j < i; j++)
      if (g_strcmp0 (options->coders[i], options->coders[j]) == 0)
        return usage_error (_("--coders names '%s' twice"), options->coders[i]);
  if (unit != NULL && !cw_agreement_unit_from_string (unit, &options->unit))
    return usage_error (_("--unit is character, segment or document, not '%s'"), unit);
  if (overlap != NULL)
    {
      gint64 value;

      if (!parse_integer (overlap, &value) || value < 1 || value > 100)
        return usage_error (_("--overlap needs a whole number from 1 to 100, not '%s'"), overlap);
      options->overlap = (guint) value;
    }

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  for (guint i = 0; codes != NULL && i < codes->len; i++)
    {
      gint64 id = lookup_code (project, codes->pdata[i], &error);

      if (id == 0)
        return fail (error);
      if (options->code_ids == NULL)
        options->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (options->code_ids, id);
    }
  for (guint i = 0; docs != NULL && i < docs->len; i++)
    {
      gint64 id = cw_project_lookup_document (project, docs->pdata[i], &error);

      if (id == 0)
        return fail (error);
      if (options->document_ids == NULL)
        options->document_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (options->document_ids, id);
    }

  agreement = cw_project_agreement (project, options, NULL, &error);
  if (agreement == NULL)
    return fail (error);
  many = agreement->n_coders > 2;
  segment = agreement->unit == CW_AGREEMENT_UNIT_SEGMENT;

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_agreement_write_json (agreement, json);
      print_json (json);
      return EXIT_SUCCESS;
    }

  /* Tab-separated, a header line first; "-" where a statistic is undefined.
   * More than two coders add the unanimous percent and, after a blank line,
   * a line per pair of coders; the segment unit adds its comparisons. */
  g_print ("%s\t%s\t%s", _("code"), _("units"), _("percent"));
  if (many)
    g_print ("\t%s", _("unanimous"));
  g_print ("\tkappa\talpha");
  if (segment)
    g_print ("\t%s\t%s", _("matched"), _("unmatched"));
  g_print ("\n");
  for (guint i = 0; i < agreement->codes->len; i++)
    {
      const CwAgreementCode *row = &g_array_index (agreement->codes, CwAgreementCode, i);

      print_agreement_row (row->path, row->units, row->percent, many, row->percent_unanimous, row->kappa,
                           row->alpha, segment, row->matched, row->unmatched);
    }
  print_agreement_row (_("overall"), agreement->units, agreement->percent, many, agreement->percent_unanimous,
                       agreement->kappa, agreement->alpha, segment, agreement->matched, agreement->unmatched);
  if (many)
    {
      g_print ("\n%s\t%s\t%s\t%s\tkappa\n", _("coder"), _("coder"), _("units"), _("percent"));
      for (guint p = 0; p < agreement->pairs->len; p++)
        {
          const CwAgreementPair *pair = &g_array_index (agreement->pairs, CwAgreementPair, p);
          g_autofree char *percent = format_statistic (pair->percent, 1);
          g_autofree char *kappa = format_statistic (pair->kappa, 3);

          g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%s\t%s\n", agreement->coders[pair->coder_a],
                   agreement->coders[pair->coder_b], pair->units, percent, kappa);
        }
    }
  return EXIT_SUCCESS;
}

static int
cmd_variable_type (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  const char *name = g_ptr_array_index (args->positional, 1);
  const char *type_name = g_ptr_array_index (args->positional, 2);
  CwVariableType type;
  GError *error = NULL;

  if (g_strcmp0 (type_name, "numeric") == 0)
    type = CW_VARIABLE_NUMERIC;
  else if (g_strcmp0 (type_name, "text") == 0)
    type = CW_VARIABLE_TEXT;
  else if (g_strcmp0 (type_name, "date") == 0)
    type = CW_VARIABLE_DATE;
  else
    return usage_error (_("TYPE is numeric, text or date, not '%s'"), type_name);

  project = open_project (args, &error);
  if (project == NULL || !(variables = cw_project_list_variables (project, &error)))
    return fail (error);
  /* The exact name, else regardless of (ASCII) case, as crosstab and
   * --where find a variable. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < variables->len; i++)
      {
        const CwVariable *variable = variables->pdata[i];

        if (pass == 0 ? strcmp (variable->name, name) != 0 : g_ascii_strcasecmp (variable->name, name) != 0)
          continue;
        if (!cw_project_set_variable_type (project, variable->id, type, &error))
          return fail (error);
        return EXIT_SUCCESS;
      }
  {
    g_autofree char *message = g_strdup_printf (_("no case variable '%s' (see 'codewerk-cli variables')"), name);

    return project_error (project, message);
  }
}

static const OptionSpec json_only[] = { { "json", FALSE }, { NULL } };
static const OptionSpec export_options[] = { { "json", FALSE }, { "pseudonymise", FALSE }, { NULL } };
static const OptionSpec new_options[] = { { "json", FALSE }, { "title", TRUE }, { NULL } };
static const OptionSpec import_options[] = { { "json", FALSE }, { "kind", TRUE }, { NULL } };
static const OptionSpec search_options[] = { { "json", FALSE }, { "doc", TRUE }, { "limit", TRUE }, { NULL } };
static const OptionSpec code_add_options[] = {
  { "json", FALSE }, { "color", TRUE }, { "description", TRUE }, { NULL }
};
static const OptionSpec code_options[] = { { "json", FALSE }, { "coder", TRUE }, { "memo", TRUE }, { NULL } };
static const OptionSpec codings_options[] = {
  { "json", FALSE }, { "doc", TRUE }, { "code", TRUE }, { "subcodes", FALSE }, { "and", TRUE }, { "or", TRUE },
  { "not", TRUE }, { "coder", TRUE }, { "speaker", TRUE }, { "kind", TRUE }, { "group", TRUE }, { "case", TRUE },
  { "where", TRUE }, { NULL }
};
static const OptionSpec autocode_options[] = {
  { "json", FALSE }, { "speaker", TRUE }, { "search", TRUE }, { "scope", TRUE }, { "doc", TRUE },
  { "coder", TRUE }, { NULL }
};
static const OptionSpec memo_options[] = {
  { "json", FALSE }, { "doc", TRUE }, { "code", TRUE }, { "coding", TRUE }, { "project", FALSE },
  { "title", TRUE }, { "author", TRUE }, { NULL }
};
static const OptionSpec group_options[] = { { "json", FALSE }, { "remove", FALSE }, { NULL } };
static const OptionSpec memos_options[] = {
  { "json", FALSE }, { "doc", TRUE }, { "code", TRUE }, { "coding", TRUE }, { "project", FALSE }, { NULL }
};

static const OptionSpec cases_import_options[] = { { "json", FALSE }, { "id", TRUE }, { NULL } };
static const OptionSpec link_options[] = { { "speaker", TRUE }, { "remove", FALSE }, { NULL } };

static const OptionSpec agreement_options[] = {
  { "json", FALSE }, { "coders", TRUE }, { "unit", TRUE }, { "overlap", TRUE }, { "code", TRUE }, { "doc", TRUE }, { NULL }
};
static const OptionSpec crosstab_options[] = { { "json", FALSE }, { "bins", TRUE }, { NULL } };
static const Command core_commands[] = {
  { "new", "PROJECT [--title T]",
    N_("Create an empty project (never overwrites a file)."),
    1, 1, new_options, cmd_new },
  { "import", "PROJECT FILE... [--kind K] [--json]",
    N_("Import transcripts (.txt, .docx, .odt, .srt, .vtt), all or none. K is arena, focus-group, employer-interview, interview or other; by default it is guessed from the file name and the text."),
    2, G_MAXUINT, import_options, cmd_import },
  { "documents", "PROJECT [--json]",
    N_("List the documents with their kind, size, turns and speakers."),
    1, 1, json_only, cmd_documents },
  { "text", "PROJECT DOC [--json]",
    N_("Print a document's plain text exactly as stored. DOC is an id or a name."),
    2, 2, json_only, cmd_text },
  { "turns", "PROJECT DOC [--json]",
    N_("List a document's speaker turns: speaker, start, end and time in seconds."),
    2, 2, json_only, cmd_turns },
  { "search", "PROJECT QUERY [--doc DOC] [--limit N] [--json]",
    N_("Search all documents, or one: words, \"a phrase\", prefix*, OR, NOT. Diacritics are ignored: ideeen finds ideeën."),
    2, 2, search_options, cmd_search },
  { "code-add", "PROJECT CODE [--color #RRGGBB] [--description T] [--json]",
    N_("Add a code to the codebook, and any missing codes above it. CODE is a path such as Begeleiding/Jobcoach. Without --color a colour is picked."),
    2, 2, code_add_options, cmd_code_add },
  { "codes", "PROJECT [--json]",
    N_("List the codebook, a code before the codes below it: id, path, colour and the number of codings of the code itself. Categories, which cannot be applied, are marked."),
    1, 1, json_only, cmd_codes },
  { "code", "PROJECT DOC START END CODE [--coder NAME] [--memo T] [--json]",
    N_("Code the characters START to END (end exclusive) of a document with an existing code, and print the coding's id. The coder is NAME, else $CODEWERK_CODER, else Codeur. The same coder coding the same fragment with the same code twice makes one coding."),
    5, 5, code_options, cmd_code },
  { "codings", "PROJECT [--doc DOC] [--code CODE [--subcodes] [--and CODE | --or CODE | --not CODE]...] [--coder NAME] [--speaker S] [--kind K] [--group G] [--case CASE] [--where EXPR] [--json]",
    N_("Retrieve coded fragments with their text, by document and place. --code takes one code; with --subcodes also the codes below it. Add --and CODE (repeatable) for only the overlaps of segments of every code, --or CODE for the segments of other codes too, or --not CODE for the segments of --code that overlap none of these; one of the three at a time. The other options filter. --where keeps the codings of cases whose variables satisfy EXPR, e.g. 'IQ < 70 AND (Uitkomst = baan OR \"Soort school\" = vso)': = != < <= > >=, is missing, is not missing, AND, OR, NOT (or EN, OF, NIET) and parentheses; quote names and values with spaces."),
    1, 1, codings_options, cmd_codings },
  { "autocode", "PROJECT CODE (--speaker NAME | --search QUERY [--scope hit|sentence|turn]) [--doc DOC] [--coder NAME] [--json]",
    N_("Code every turn of a speaker (in one document, or of every speaker or role of that name), or every search hit: just the words found (hit, the default), their sentence or their whole turn. Prints the number of codings added; existing ones are kept."),
    2, 2, autocode_options, cmd_autocode },
  { "memo", "PROJECT (--doc DOC | --code CODE | --coding ID | --project) [--title T] [--author NAME] TEXT [--json]",
    N_("Add a memo to a document, a code, a coding or the project, and print its id. The author is NAME, else $CODEWERK_CODER, else Codeur."),
    2, 2, memo_options, cmd_memo },
  { "memos", "PROJECT [--doc DOC | --code CODE | --coding ID | --project] [--json]",
    N_("List the memos: all, or those of one document, code, coding or the project."),
    1, 1, memos_options, cmd_memos },
  { "undo", "PROJECT [--json]",
    N_("Undo the last edit of the codebook, codings or memos (made in the window or here) and print what it was."),
    1, 1, json_only, cmd_undo },
  { "redo", "PROJECT [--json]",
    N_("Redo the last undone edit and print what it was."),
    1, 1, json_only, cmd_redo },
  { "group", "PROJECT NAME [DOC...] [--remove] [--json]",
    N_("Add documents to a document group (a school, region or wave), creating the group if needed; with --remove take them out. Groups filter the codings like document kinds do."),
    2, G_MAXUINT, group_options, cmd_group },
  { "groups", "PROJECT [--json]",
    N_("List the document groups with their documents."),
    1, 1, json_only, cmd_groups },
  { "group-delete", "PROJECT NAME",
    N_("Delete a document group (its documents stay)."),
    2, 2, json_only, cmd_group_delete },
  { "codebook-export", "PROJECT OUT.qdc [--pseudonymise]",
    N_("Write the codebook as a REFI-QDA codebook (.qdc) for MAXQDA, ATLAS.ti, NVivo, QualCoder and others: the code tree with colours and descriptions. With --pseudonymise, from a pseudonymised copy (see pseudonymise)."),
    2, 2, export_options, cmd_codebook_export },
  { "codebook-import", "PROJECT IN.qdc [--json]",
    N_("Add the codes of a REFI-QDA codebook (.qdc). A code that exists already (the same GUID, else the same path) is matched, not added. Prints how many codes were added and matched. What could not be kept is reported as warnings: lines 'codewerk-cli: warning: ...' on stderr, or with --json the \"warnings\" array; warnings do not fail the command."),
    2, 2, json_only, cmd_codebook_import },
  { "export", "PROJECT OUT.qdpx [--pseudonymise]",
    N_("Write the whole project as a REFI-QDA project (.qdpx): texts, codebook, codings with their coders, memos, cases with their variables, document groups. With --pseudonymise, from a pseudonymised copy: every real string of the pseudonym table replaced, codings on the same words, case ids replaced by stable ids, no key inside."),
    2, 2, export_options, cmd_export },
  { "import-project", "PROJECT IN.qdpx [--json]",
    N_("Create PROJECT (a new file) from a REFI-QDA project (.qdpx) written by Codewerk or another program, and print how many documents, codes and codings it holds. What could not be kept (PDFs, pictures, audio, video, links, positions that do not fit the text) is reported as warnings, as with codebook-import."),
    2, 2, json_only, cmd_import_project },
  { "cases-import", "PROJECT FILE [--id COLUMN] [--json]",
    N_("Import cohort records (one row per participant) from CSV or TSV as spreadsheets write them, or from SPSS .sav/.zsav with variable and value labels. The id column is COLUMN, else a column named like an identifier (Deelnemer, Respondent, ID, ...). Importing again updates the cases by id and adds new cases and variables; nothing is deleted. Prints how many cases and variables the file holds."),
    2, 2, cases_import_options, cmd_cases_import },
  { "cases", "PROJECT [--json]",
    N_("List the cohort records: each case's id, its variables and the documents and speakers linked to it."),
    1, 1, json_only, cmd_cases },
  { "variables", "PROJECT [--json]",
    N_("List the case variables: name, type (numeric, text or date), label and value labels."),
    1, 1, json_only, cmd_variables },
  { "link", "PROJECT CASE DOC [--speaker NAME] [--remove]",
    N_("Link a case to a document, or to one speaker in it; with --remove undo the link. A case may have several links. Codings then belong to the case linked to the speaker of their turn, else to the case linked to their document."),
    3, 3, link_options, cmd_link },
  { "crosstab", "PROJECT VARIABLE [--bins N] [--json]",
    N_("Count codings per code and per value of one case variable, and the distinct cases behind them. Numeric variables with value labels show the labels; other numeric ones with many values are put in bins (4 to 6 round ones, or N of equal width with --bins). A coding belongs to the case linked to its speaker, else to its document; codings without a case are not counted."),
    2, 2, crosstab_options, cmd_crosstab },
  { "matrix", "PROJECT OUT.csv|OUT.sav [--pseudonymise]",
    N_("Write one row per case: its id, its variables, then per code the number of codings and a 0/1 column for whether there are any. A .csv is for R's read.csv2 and SPSS (';', decimal comma, UTF-8); a .sav has SPSS names labelled with the code path, and the value labels. With --pseudonymise, from a pseudonymised copy: case ids become stable pseudonymous ids (C001, ...), names in values and code paths are replaced."),
    2, 2, export_options, cmd_matrix },
  { "variable-type", "PROJECT VARIABLE TYPE",
    N_("Change the type of a case variable to numeric, text or date; values that do not fit the new type are refused, and nothing changes. Undoable."),
    3, 3, json_only, cmd_variable_type },
  { "merge", "PROJECT OTHER... [--json]",
    N_("Merge other coders' copies of the project (.codewerk; .codewerk-enc, an encrypted copy, whose passphrase is read as decrypt reads it; or .qdpx from Codewerk or another program) into PROJECT, all in one step that undo takes back. Documents are matched by GUID, then by identical text; codes by GUID, then by path; codings keep their coder, and a coding that is already there is skipped, so merging the same file twice adds nothing. A code renamed or moved in the other copy, or a document whose text differs, is a conflict: reported (lines 'codewerk-cli: conflict: ...' on stderr, or the \"conflicts\" array with --json), never overwritten."),
    2, G_MAXUINT, json_only, cmd_merge },
  { "agreement", "PROJECT --coders A,B[,C...] [--unit character|segment|document] [--overlap PCT] [--code CODE]... [--doc DOC]... [--json]",
    N_("Inter-coder agreement between the coders, per code and overall: percent agreement, Cohen's kappa (Fleiss' with more than two coders) and Krippendorff's alpha. --unit character (the default) compares every character, segment compares coded segments as MAXQDA does (a segment agrees when the other coder's segment of the same code overlaps at least PCT percent, default 90, of their union), document compares whether each coder used a code in a document. A statistic that is undefined, such as kappa for a code nobody used, is printed as - (null with --json)."),
    1, 1, agreement_options, cmd_agreement },
};

static const CommandTable core_table = { core_commands, G_N_ELEMENTS (core_commands) };

/* Every command, area by area, in the order --help lists them. */
static const CommandTable *const tables[] = { &core_table, &cli_edit_commands, &cli_media_commands, &cli_overview_commands, &cli_crypt_commands, &cli_privacy_commands, &cli_backup_commands };

/* Prints text wrapped at 78 columns: the first line indented by first,
 * the others by indent. */
static void
print_wrapped_hanging (const char *text,
                       guint       first,
                       guint       indent)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint column = 0;
  gboolean first_line = TRUE;

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint width = g_utf8_strlen (words[i], -1);

      if (column > 0 && column + 1 + width > 78)
        {
          g_print ("\n");
          column = 0;
        }
      if (column == 0)
        {
          guint pad = first_line ? first : indent;

          g_print ("%*s%s", pad, "", words[i]);
          column = pad + width;
          first_line = FALSE;
        }
      else
        {
          g_print (" %s", words[i]);
          column += 1 + width;
        }
    }
  g_print ("\n");
}

/* Prints text wrapped at 78 columns, every line indented. */
static void
print_wrapped (const char *text,
               guint       indent)
{
  print_wrapped_hanging (text, indent, indent);
}

/* "  name usage", wrapped with the continuation under the usage. */
static void
print_usage_line (const Command *command)
{
  g_autofree char *line = g_strdup_printf ("%s %s", command->name, command->usage);

  print_wrapped_hanging (line, 2, 4 + strlen (command->name));
}

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: codewerk-cli COMMAND PROJECT [ARGUMENTS...] [OPTIONS]"));
  print_wrapped (_("Codewerk's scripting interface: every command works on one project file (NAME.codewerk)."), 0);
  g_print ("\n%s\n", _("Commands:"));
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint i = 0; i < tables[t]->n_commands; i++)
      {
        print_usage_line (&tables[t]->commands[i]);
        print_wrapped (_(tables[t]->commands[i].summary), 6);
      }
  g_print ("\n%s\n", _("Conventions:"));
  print_wrapped (_("Offsets are character offsets: 0-based counts of Unicode code points into the document's stored text (what 'text' prints), end exclusive."), 2);
  print_wrapped (_("--json prints one JSON value on stdout and nothing else."), 2);
  print_wrapped (_("Exit status: 0 success; 1 failure, with one line 'codewerk-cli: error: ...' on stderr naming the file; 2 wrong usage. A command that fails changes nothing."), 2);
}

static int
parse_args (const Command *command,
            int            argc,
            char         **argv,
            Args          *args)
{
  gboolean options_done = FALSE;

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];

      if (!options_done && strcmp (arg, "--") == 0)
        {
          options_done = TRUE;
          continue;
        }
      if (!options_done && g_str_has_prefix (arg, "--") )
        {
          g_autofree char *name = g_strdup (arg + 2);
          char *equals = strchr (name, '=');
          const OptionSpec *spec = NULL;
          const char *value = "";

          if (equals != NULL)
            *equals = '\0';
          for (const OptionSpec *s = command->options; s->name != NULL; s++)
            if (strcmp (s->name, name) == 0)
              spec = s;
          if (spec == NULL)
            return usage_error (_("unknown option '%s' for '%s'"), arg, command->name);
          if (spec->takes_value)
            {
              if (equals != NULL)
                value = arg + 2 + (equals - name) + 1;
              else if (i + 1 < argc)
                value = argv[++i];
              else
                return usage_error (_("option '--%s' needs a value"), spec->name);
            }
          else if (equals != NULL)
            return usage_error (_("option '--%s' takes no value"), spec->name);
          g_hash_table_insert (args->options, (gpointer) spec->name, (gpointer) value);
          if (!g_hash_table_contains (args->lists, spec->name))
            g_hash_table_insert (args->lists, (gpointer) spec->name, g_ptr_array_new ());
          g_ptr_array_add (g_hash_table_lookup (args->lists, spec->name), (gpointer) value);
          continue;
        }
      g_ptr_array_add (args->positional, (gpointer) arg);
    }

  if (args->positional->len < command->min_args)
    return usage_error (_("'%s' needs more arguments"), command->name);
  if (args->positional->len > command->max_args)
    return usage_error (_("'%s' takes fewer arguments"), command->name);
  args->json = g_hash_table_contains (args->options, "json");
  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("CODEWERK_LOCALEDIR");
  Args args = { 0 };
  int status;

#ifdef __GLIBC__
  /* libarchive sets up a new deflate stream (about 270 KB) for every zip
   * entry of an export; with glibc's default 128 KB trim threshold each one
   * goes back to the kernel and is faulted in again, which took a third of
   * the time of exporting 200 documents. */
  mallopt (M_TRIM_THRESHOLD, 8 * 1024 * 1024);
#endif
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  xmlInitParser ();

  if (argc < 2)
    {
      print_help ();
      return EXIT_USAGE;
    }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      print_help ();
      return EXIT_SUCCESS;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      g_print ("codewerk-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint i = 0; i < tables[t]->n_commands; i++)
      if (strcmp (tables[t]->commands[i].name, argv[1]) == 0)
        current_command = &tables[t]->commands[i];
  if (current_command == NULL)
    return usage_error (_("unknown command '%s'"), argv[1]);

  for (int i = 2; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      {
        g_autofree char *usage = g_strdup_printf (_("Usage: codewerk-cli %s %s\n"),
                                                  current_command->name, current_command->usage);

        g_strchomp (usage);
        print_wrapped_hanging (usage, 0, 4);
        print_wrapped (_(current_command->summary), 2);
        return EXIT_SUCCESS;
      }

  args.positional = g_ptr_array_new ();
  args.options = g_hash_table_new (g_str_hash, g_str_equal);
  args.lists = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  status = parse_args (current_command, argc - 2, argv + 2, &args);
  given_paths = args.positional;
  if (status == EXIT_SUCCESS)
    status = current_command->run (&args);
  given_paths = NULL;

  g_ptr_array_unref (args.positional);
  g_clear_pointer (&current_project_path, g_free);
  g_hash_table_unref (args.options);
  g_hash_table_unref (args.lists);
  xmlCleanupParser ();
  return status;
}
