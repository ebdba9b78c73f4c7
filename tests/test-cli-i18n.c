/* test-cli-i18n.c: codewerk-cli under Dutch. --help is translated (the
 * command lines themselves, the contract, are not); the error prefix stays
 * "codewerk-cli: error:"; JSON and exported files are the same bytes in
 * Dutch (decimal comma locale) as in English.
 *
 * Runs with LANGUAGE=nl, LC_ALL=nl_NL.UTF-8 (compiled into the build
 * directory, LOCPATH) and CODEWERK_LOCALEDIR at the build's .mo files.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-test-util.h"

typedef enum
{
  ENGLISH,
  DUTCH,
} Language;

/* Runs the CLI with args in language; returns the exit status. */
static int
run_cli (Language            language,
         const char * const *args,
         char              **out,
         char              **err)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (language == ENGLISH)
    {
      envp = g_environ_unsetenv (envp, "LANGUAGE");
      envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
      envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
      envp = g_environ_unsetenv (envp, "LOCPATH");
    }
  g_strv_builder_add (builder, g_getenv ("CODEWERK_CLI"));
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

/* The lines of text indented by exactly indent spaces. */
static GPtrArray *
lines_indented (const char *text,
                guint       indent)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strspn (lines[i], " ") == indent && lines[i][indent] != '\0')
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

/* The summaries: each command's indented paragraph, joined. */
static GPtrArray *
summaries (const char *help)
{
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  GString *current = NULL;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "      "))
        {
          if (current == NULL)
            current = g_string_new (NULL);
          g_string_append_printf (current, "%s ", lines[i] + 6);
        }
      else if (current != NULL)
        {
          g_ptr_array_add (out, g_string_free (current, FALSE));
          current = NULL;
        }
    }
  if (current != NULL)
    g_ptr_array_add (out, g_string_free (current, FALSE));
  return out;
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *english = NULL;
  g_autofree char *dutch = NULL;
  g_autoptr(GPtrArray) english_commands = NULL;
  g_autoptr(GPtrArray) dutch_commands = NULL;
  g_autoptr(GPtrArray) english_summaries = NULL;
  g_autoptr(GPtrArray) dutch_summaries = NULL;

  g_assert_cmpint (run_cli (ENGLISH, args, &english, NULL), ==, 0);
  g_assert_cmpint (run_cli (DUTCH, args, &dutch, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (english, "Usage: codewerk-cli COMMAND PROJECT"));
  g_assert_true (g_str_has_prefix (dutch, "Gebruik: codewerk-cli OPDRACHT PROJECT"));
  g_assert_nonnull (strstr (dutch, "\nOpdrachten:\n"));

  /* The commands and their arguments are the contract: the same lines. */
  /* The commands, before the conventions (after the last blank line). */
  *strrchr (english, '\n') = '\0';
  *g_strrstr (english, "\n\n") = '\0';
  *strrchr (dutch, '\n') = '\0';
  *g_strrstr (dutch, "\n\n") = '\0';
  english_commands = lines_indented (english, 2);
  dutch_commands = lines_indented (dutch, 2);
  g_assert_cmpuint (english_commands->len, >, 25);
  english_summaries = summaries (english);
  dutch_summaries = summaries (dutch);
  g_assert_cmpuint (dutch_summaries->len, ==, english_summaries->len);
  /* Every summary in Dutch: none left as the English text. */
  for (guint i = 0; i < english_summaries->len; i++)
    {
      g_test_message ("%s\n-> %s", (char *) english_summaries->pdata[i], (char *) dutch_summaries->pdata[i]);
      g_assert_cmpstr (dutch_summaries->pdata[i], !=, english_summaries->pdata[i]);
    }
  /* Each command line ("  code-add PROJECT CODE [--color #RRGGBB] ...")
   * is in the Dutch help as it is in the English one. */
  for (guint i = 0; i < english_commands->len; i++)
    {
      const char *line = english_commands->pdata[i];

      if (g_ascii_islower (line[2]))
        g_assert_true (g_ptr_array_find_with_equal_func (dutch_commands, line, g_str_equal, NULL));
    }
}

static void
test_command_help (void)
{
  const char *args[] = { "code-add", "--help", NULL };
  g_autofree char *english = NULL;
  g_autofree char *dutch = NULL;

  g_assert_cmpint (run_cli (ENGLISH, args, &english, NULL), ==, 0);
  g_assert_cmpint (run_cli (DUTCH, args, &dutch, NULL), ==, 0);
  g_assert_true (g_str_has_prefix (english, "Usage: codewerk-cli code-add PROJECT CODE"));
  g_assert_true (g_str_has_prefix (dutch, "Gebruik: codewerk-cli code-add PROJECT CODE"));
  g_assert_nonnull (strstr (dutch, "codeboek"));
}

/* The prefix is for scripts (grep), the message for people. */
static void
test_error_prefix (void)
{
  const char *unknown[] = { "bogus", NULL };
  const char *missing[] = { "documents", "/nonexistent/codewerk/x.codewerk", NULL };
  g_autofree char *err = NULL;
  g_autofree char *english = NULL;
  g_autofree char *err2 = NULL;

  g_assert_cmpint (run_cli (DUTCH, unknown, NULL, &err), ==, 2);
  g_test_message ("%s", err);
  g_assert_true (g_str_has_prefix (err, "codewerk-cli: error: "));
  g_assert_nonnull (strstr (err, "onbekende opdracht"));
  g_assert_cmpint (run_cli (ENGLISH, unknown, NULL, &english), ==, 2);
  g_assert_true (g_str_has_prefix (english, "codewerk-cli: error: unknown command 'bogus'"));

  g_assert_cmpint (run_cli (DUTCH, missing, NULL, &err2), ==, 1);
  g_assert_true (g_str_has_prefix (err2, "codewerk-cli: error: "));
  g_assert_nonnull (strstr (err2, "/nonexistent/codewerk/x.codewerk"));
}

/* What scripts and other programs read is the same in a Dutch locale:
 * JSON numbers with a point, keys in English, the same matrix file. */
static void
test_output_locale_independent (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("CODEWERK_BUILD_ROOT"), "examples", "example.codewerk",
                                               NULL);
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *project = g_build_filename (dir, "example.codewerk", NULL);
  g_autofree char *matrix_en = g_build_filename (dir, "matrix-en.csv", NULL);
  g_autofree char *matrix_nl = g_build_filename (dir, "matrix-nl.csv", NULL);
  g_autofree char *csv_en = NULL;
  g_autofree char *csv_nl = NULL;
  g_autoptr(GFile) source = g_file_new_for_path (example);
  g_autoptr(GFile) copy = g_file_new_for_path (project);
  g_autoptr(GError) error = NULL;
  const char *commands[][8] = {
    { "documents", project, "--json", NULL },
    { "codes", project, "--json", NULL },
    { "cases", project, "--json", NULL },
    { "variables", project, "--json", NULL },
    { "crosstab", project, "Gemiddelde", "--json", NULL },
    { "agreement", project, "--coders", "Lotte,Ruben", "--json", NULL },
    { "agreement", project, "--coders", "Lotte,Ruben", "--unit", "segment", "--json", NULL },
  };

  g_assert_true (g_file_copy (source, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *english = NULL;
      g_autofree char *dutch = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GVariant) parsed = NULL;

      g_assert_cmpint (run_cli (ENGLISH, commands[i], &english, &err), ==, 0);
      g_assert_cmpint (run_cli (DUTCH, commands[i], &dutch, NULL), ==, 0);
      /* A message for people (why a statistic is undefined) is in the
       * user's language; everything else is the same bytes. */
      if (strstr (english, "\"cu_alpha_reason\":\"") != NULL)
        {
          g_autoptr(GRegex) reason = g_regex_new ("\"cu_alpha_reason\":\"[^\"]*\"", 0, 0, NULL);
          g_autofree char *english_reason = NULL;
          g_autofree char *dutch_reason = NULL;

          g_assert_true (g_regex_match_simple ("\"cu_alpha_reason\":\"[^\"]* codings of ", english, 0, 0));
          g_assert_true (g_regex_match_simple ("\"cu_alpha_reason\":\"de coderingen van ", dutch, 0, 0));
          english_reason = g_regex_replace_literal (reason, english, -1, 0, "\"cu_alpha_reason\":\"-\"", 0, NULL);
          dutch_reason = g_regex_replace_literal (reason, dutch, -1, 0, "\"cu_alpha_reason\":\"-\"", 0, NULL);
          g_free (english);
          g_free (dutch);
          english = g_steal_pointer (&english_reason);
          dutch = g_steal_pointer (&dutch_reason);
        }
      g_assert_true (g_str_equal (dutch, english));
      parsed = cw_test_parse_json (dutch);
      g_assert_nonnull (parsed);
    }
  /* The crosstab and the agreement have fractions: a point, never a comma
   * between digits. */
  {
    g_autofree char *dutch = NULL;

    g_assert_cmpint (run_cli (DUTCH, commands[5], &dutch, NULL), ==, 0);
    g_assert_true (g_regex_match_simple ("\\d\\.\\d", dutch, 0, 0));
    g_assert_false (g_regex_match_simple ("\\d,\\d", dutch, 0, 0));
  }

  {
    const char *en[] = { "matrix", project, matrix_en, NULL };
    const char *nl[] = { "matrix", project, matrix_nl, NULL };

    g_assert_cmpint (run_cli (ENGLISH, en, NULL, NULL), ==, 0);
    g_assert_cmpint (run_cli (DUTCH, nl, NULL, NULL), ==, 0);
    g_assert_true (g_file_get_contents (matrix_en, &csv_en, NULL, NULL));
    g_assert_true (g_file_get_contents (matrix_nl, &csv_nl, NULL, NULL));
    g_assert_cmpstr (csv_nl, ==, csv_en);
  }
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("CODEWERK_CLI"));
  g_assert_cmpstr (g_getenv ("LANGUAGE"), ==, "nl");

  g_test_add_func ("/cli-i18n/help", test_help);
  g_test_add_func ("/cli-i18n/command-help", test_command_help);
  g_test_add_func ("/cli-i18n/error-prefix", test_error_prefix);
  g_test_add_func ("/cli-i18n/output-locale-independent", test_output_locale_independent);
  return g_test_run ();
}
