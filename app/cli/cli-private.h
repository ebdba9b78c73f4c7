/* What the command files of codewerk-cli share: argument parsing, the error
 * line and JSON output. The contract is ../shared/CLI.md. */
#pragma once

#include <glib.h>

#include "cw-json.h"
#include "cw-project.h"

G_BEGIN_DECLS

#define EXIT_USAGE 2

/* The coder when neither --coder nor $CODEWERK_CODER names one: the same
 * default as the "coder" setting (see cw-coding.h). */
#define CLI_DEFAULT_CODER "Codeur"

typedef struct
{
  const char *name;
  gboolean    takes_value;
} OptionSpec;

typedef struct
{
  GPtrArray  *positional; /* borrowed strings */
  GHashTable *options;    /* name -> value ("" for flags), borrowed */
  GHashTable *lists;      /* name -> GPtrArray of every value given, in order */
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


/* Each area's commands, in the order --help lists them. */
typedef struct
{
  const Command *commands;
  guint          n_commands;
} CommandTable;

int         fail                (GError      *error);
int         usage_error         (const char  *format,
                                 ...) G_GNUC_PRINTF (1, 2);
int         project_error       (CwProject   *project,
                                 const char  *message);
const char *option              (Args        *args,
                                 const char  *name);
GPtrArray  *option_list         (Args        *args,
                                 const char  *name);
void        print_json          (CwJson      *json);
void        print_warnings      (GPtrArray   *warnings);
void        json_warnings       (CwJson      *json,
                                 GPtrArray   *warnings);
CwProject  *open_project        (Args        *args,
                                 GError     **error);
CwProject  *open_with_document  (Args        *args,
                                 gint64      *id,
                                 GError     **error);
const char *coder_name          (Args        *args,
                                 const char  *option_name);
gboolean    check_names         (Args        *args,
                                 const char **names);
gboolean    parse_integer       (const char  *text,
                                 gint64      *value);
gint64      lookup_code         (CwProject   *project,
                                 const char  *path,
                                 GError     **error);

/* Command tables of the other files (cli-*.c). */
extern const CommandTable cli_edit_commands;

G_END_DECLS
