/* What the command files of codewerk-cli share: argument parsing, the error
 * line and JSON output. The contract is ../shared/CLI.md. */
#pragma once

#include <glib.h>

#include "cw-json.h"
#include "cw-merge.h"
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
extern const CommandTable cli_media_commands;
extern const CommandTable cli_overview_commands;
extern const CommandTable cli_crypt_commands;
extern const CommandTable cli_privacy_commands;
extern const CommandTable cli_backup_commands;

/* --pseudonymise (cli-privacy.c): a pseudonymised copy of project in a new
 * private (0700) temporary folder, opened; close_pseudonymised_copy closes
 * it and deletes the folder (takes both; either may be NULL). */
CwProject  *open_pseudonymised_copy  (CwProject  *project,
                                      char      **tmpdir,
                                      GError    **error);
void        close_pseudonymised_copy (CwProject  *copy,
                                      char       *tmpdir);

/* Passphrases (cli-crypt.c): $CODEWERK_PASSPHRASE or the terminal, never
 * an argument. NULL after printing the error, with *status set; free with
 * passphrase_free, which wipes it. */
char       *read_passphrase     (const char  *file,
                                 gboolean     confirm,
                                 int         *status);
void        passphrase_free     (char        *passphrase);

/* merge's encrypted inputs (.codewerk-enc), decrypted into a private
 * temporary directory that cli_decrypted_free removes. */
typedef struct _CliDecrypted CliDecrypted;
CliDecrypted *cli_decrypt_inputs (const char * const *paths,
                                  int                *status);
const char * const *cli_decrypted_paths (CliDecrypted *self);
/* Errors and results name the files as given, not the decrypted ones. */
void        cli_decrypted_fix_error  (CliDecrypted  *self,
                                      GError        *error);
void        cli_decrypted_fix_result (CliDecrypted  *self,
                                      CwMergeResult *result);
void        cli_decrypted_free  (CliDecrypted *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliDecrypted, cli_decrypted_free)

G_END_DECLS
