/* codewerk-cli: the scripting interface. The contract (commands, JSON keys,
 * exit codes, the error line) is ../shared/CLI.md: add, never rename. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libxml/parser.h>

#include "cw-import.h"
#include "cw-json.h"
#include "cw-project.h"

#define EXIT_USAGE 2

typedef struct
{
  const char *name;
  gboolean    takes_value;
} OptionSpec;

typedef struct
{
  GPtrArray  *positional; /* borrowed strings */
  GHashTable *options;    /* name -> value ("" for flags), borrowed */
  gboolean    json;
} Args;

typedef int (*CommandFunc) (Args *args);

typedef struct
{
  const char       *name;
  const char       *usage;       /* arguments after the command */
  const char       *summary;     /* translatable */
  guint             min_args;
  guint             max_args;
  const OptionSpec *options;
  CommandFunc       run;
} Command;

static const Command *current_command;

static void
print_error (const char *message)
{
  g_printerr ("codewerk-cli: error: %s\n", message);
}

static int
fail (GError *error)
{
  print_error (error->message);
  g_error_free (error);
  return EXIT_FAILURE;
}

static int
usage_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static int
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

static const char *
option (Args       *args,
        const char *name)
{
  return g_hash_table_lookup (args->options, name);
}

static void
print_json (CwJson *json)
{
  g_autofree char *text = cw_json_free_to_string (json);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

static CwProject *
open_project (Args    *args,
              GError **error)
{
  return cw_project_open (g_ptr_array_index (args->positional, 0), error);
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
static CwProject *
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

/* The table */

static const OptionSpec json_only[] = { { "json", FALSE }, { NULL } };
static const OptionSpec new_options[] = { { "json", FALSE }, { "title", TRUE }, { NULL } };
static const OptionSpec import_options[] = { { "json", FALSE }, { "kind", TRUE }, { NULL } };
static const OptionSpec search_options[] = { { "json", FALSE }, { "doc", TRUE }, { "limit", TRUE }, { NULL } };

static const Command commands[] = {
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
};

/* Prints text wrapped at 78 columns, every line indented. */
static void
print_wrapped (const char *text,
               guint       indent)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint column = 0;

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
          g_print ("%*s%s", indent, "", words[i]);
          column = indent + width;
        }
      else
        {
          g_print (" %s", words[i]);
          column += 1 + width;
        }
    }
  g_print ("\n");
}

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: codewerk-cli COMMAND PROJECT [ARGUMENTS...] [OPTIONS]"));
  print_wrapped (_("Codewerk's scripting interface: every command works on one project file (NAME.codewerk)."), 0);
  g_print ("\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_print ("  %s %s\n", commands[i].name, commands[i].usage);
      print_wrapped (_(commands[i].summary), 6);
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

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, argv[1]) == 0)
      current_command = &commands[i];
  if (current_command == NULL)
    return usage_error (_("unknown command '%s'"), argv[1]);

  for (int i = 2; i < argc; i++)
    if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
      {
        g_print (_("Usage: codewerk-cli %s %s\n"), current_command->name, current_command->usage);
        print_wrapped (_(current_command->summary), 2);
        return EXIT_SUCCESS;
      }

  args.positional = g_ptr_array_new ();
  args.options = g_hash_table_new (g_str_hash, g_str_equal);
  status = parse_args (current_command, argc - 2, argv + 2, &args);
  if (status == EXIT_SUCCESS)
    status = current_command->run (&args);

  g_ptr_array_unref (args.positional);
  g_hash_table_unref (args.options);
  xmlCleanupParser ();
  return status;
}
