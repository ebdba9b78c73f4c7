/* Helpers shared by the tests: temporary folders, files, projects, SQL. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "cw-project.h"
#include "cw-import.h"

G_BEGIN_DECLS

char      *cw_test_make_dir          (void);
void       cw_test_remove_dir        (const char *dir);
/* Writes content (NUL-terminated) to dir/name and returns the file. */
GFile     *cw_test_write_file        (const char *dir,
                                      const char *name,
                                      const char *content);
GFile     *cw_test_write_bytes       (const char *dir,
                                      const char *name,
                                      const void *data,
                                      gsize       len);
CwProject *cw_test_new_project       (const char *dir);
gint64     cw_test_sql_int           (sqlite3    *db,
                                      const char *sql);
/* Valid until the next call. */
const char *cw_test_sql_text         (sqlite3    *db,
                                      const char *sql);
/* Every row of every table, in a stable order: equal dumps, equal projects. */
char      *cw_test_dump              (const char *path);
/* Asserts that the code points [start, end) of text are expected. */
void       cw_test_assert_substring  (const char *text,
                                      gint64      start,
                                      gint64      end,
                                      const char *expected);
/* Runs a program; returns its exit status and stdout/stderr. */
int        cw_test_run               (const char * const *argv,
                                      char      **out,
                                      char      **err);

G_END_DECLS

G_BEGIN_DECLS
/* A strict JSON parser for checking the CLI's output: objects become
 * a{sv}, arrays av, strings s, integers x, other numbers d, booleans b,
 * null the empty maybe "mv". Fails the test on invalid JSON. */
GVariant  *cw_test_parse_json        (const char *text);
/* Shorthands on parsed JSON. */
GVariant  *cw_test_json_get          (GVariant   *object,
                                      const char *key);
gint64     cw_test_json_int          (GVariant   *object,
                                      const char *key);
const char *cw_test_json_str         (GVariant   *object,
                                      const char *key);
/* The i-th element of a parsed array, unboxed. */
GVariant  *cw_test_json_at           (GVariant   *array,
                                      gsize       i);
gboolean   cw_test_json_is_null      (GVariant   *object,
                                      const char *key);

/* Driving codewerk-cli ($CODEWERK_CLI) as a user does. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} CwCliResult;

void        cw_cli_result_clear      (CwCliResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CwCliResult, cw_cli_result_clear)

/* Runs codewerk-cli with the arguments up to NULL. */
CwCliResult cw_test_cli              (const char *first,
                                      ...) G_GNUC_NULL_TERMINATED;
/* Runs it, asserts success with nothing on stderr, parses stdout as JSON. */
GVariant   *cw_test_cli_json         (const char *first,
                                      ...) G_GNUC_NULL_TERMINATED;
/* Asserts the exit status, nothing on stdout and one error line on stderr
 * ("codewerk-cli: error: ...") that contains names (when not NULL). */
void        cw_test_assert_cli_failure (const CwCliResult *result,
                                        int                status,
                                        const char        *names);
/* A copy of the example project (built with the tests) as dir/name. */
char       *cw_test_copy_example     (const char *dir,
                                      const char *name);

G_END_DECLS
