/* codewerk-cli: the pseudonym table, pseudonymised copies and the key
 * (cw-pseudonym.h), and the --pseudonymise option of the exports. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cli-private.h"
#include "cw-pseudonym.h"

CwProject *
open_pseudonymised_copy (CwProject  *project,
                         char      **tmpdir,
                         GError    **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  CwProject *copy;

  /* A private (0700) folder: the copy holds no key, but it is still the
   * researchers' data. */
  if ((dir = g_dir_make_tmp ("codewerk-pseudonymised-XXXXXX", error)) == NULL)
    return NULL;
  path = g_build_filename (dir, "copy.codewerk", NULL);
  if (!cw_project_write_pseudonymised_copy (project, path, NULL, error) ||
      (copy = cw_project_open (path, error)) == NULL)
    {
      close_pseudonymised_copy (NULL, g_steal_pointer (&dir));
      return NULL;
    }
  *tmpdir = g_steal_pointer (&dir);
  return copy;
}

void
close_pseudonymised_copy (CwProject *copy,
                          char      *tmpdir)
{
  static const char *const files[] = { "copy.codewerk", "copy.codewerk-wal", "copy.codewerk-shm",
                                       "copy.codewerk-journal" };

  if (copy != NULL)
    g_object_unref (copy);
  if (tmpdir == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (tmpdir, files[i], NULL);
      g_unlink (path);
    }
  g_rmdir (tmpdir);
  g_free (tmpdir);
}

/* The row of real, or NULL with an error naming it. */
static CwPseudonym *
find_row (CwProject   *project,
          const char  *real,
          GError     **error)
{
  g_autoptr(GPtrArray) rows = cw_project_list_pseudonyms (project, error);
  g_autofree char *trimmed = NULL;
  g_autofree char *normal = NULL;

  if (rows == NULL)
    return NULL;
  if (g_utf8_validate (real, -1, NULL))
    {
      trimmed = g_strstrip (g_strdup (real));
      normal = g_utf8_normalize (trimmed, -1, G_NORMALIZE_NFC);
      for (guint i = 0; i < rows->len; i++)
        {
          CwPseudonym *row = rows->pdata[i];

          if (g_strcmp0 (row->real, normal) == 0)
            return g_ptr_array_steal_index (rows, i);
        }
    }
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
               _("“%s” is not in the pseudonym table"), real);
  return NULL;
}

static int
cmd_pseudonym_add (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;
  gint64 id;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  id = cw_project_add_pseudonym (project, g_ptr_array_index (args->positional, 1),
                                 g_ptr_array_index (args->positional, 2), option (args, "category"), &error);
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

static int
cmd_pseudonyms (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL || (rows = cw_project_list_pseudonyms (project, &error)) == NULL)
    return fail (error);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < rows->len; i++)
        {
          const CwPseudonym *row = rows->pdata[i];

          cw_json_begin_object (json);
          cw_json_key (json, "id");
          cw_json_int (json, row->id);
          cw_json_key (json, "real");
          cw_json_string (json, row->real);
          cw_json_key (json, "pseudonym");
          cw_json_string (json, row->pseudonym);
          cw_json_key (json, "category");
          if (row->category != NULL)
            cw_json_string (json, row->category);
          else
            cw_json_null (json);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
    }
  else
    for (guint i = 0; i < rows->len; i++)
      {
        const CwPseudonym *row = rows->pdata[i];

        g_print ("%s\t%s\t%s\n", row->real, row->pseudonym, row->category != NULL ? row->category : "");
      }
  return EXIT_SUCCESS;
}

static int
cmd_pseudonym_remove (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwPseudonym) row = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      (row = find_row (project, g_ptr_array_index (args->positional, 1), &error)) == NULL ||
      !cw_project_remove_pseudonym (project, row->id, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

static int
cmd_pseudonym_propose (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL || (candidates = cw_project_propose_pseudonyms (project, NULL, &error)) == NULL)
    return fail (error);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; i < candidates->len; i++)
        {
          const CwPseudonymCandidate *candidate = candidates->pdata[i];

          cw_json_begin_object (json);
          cw_json_key (json, "real");
          cw_json_string (json, candidate->real);
          cw_json_key (json, "source");
          cw_json_string (json, candidate->source);
          cw_json_key (json, "category");
          if (candidate->category != NULL)
            cw_json_string (json, candidate->category);
          else
            cw_json_null (json);
          cw_json_key (json, "pseudonym");
          cw_json_string (json, candidate->suggested_pseudonym);
          cw_json_key (json, "occurrences");
          cw_json_int (json, candidate->occurrences);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      print_json (json);
    }
  else
    for (guint i = 0; i < candidates->len; i++)
      {
        const CwPseudonymCandidate *candidate = candidates->pdata[i];

        g_print ("%s\t%s\t%s\t%s\t%u\n", candidate->real, candidate->suggested_pseudonym,
                 candidate->category != NULL ? candidate->category : "", candidate->source,
                 candidate->occurrences);
      }
  return EXIT_SUCCESS;
}

static int
cmd_pseudonymise (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !cw_project_write_pseudonymised_copy (project, g_ptr_array_index (args->positional, 1), NULL, &error))
    return fail (error);
  return EXIT_SUCCESS;
}

static int
cmd_pseudonym_key (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL ||
      !cw_project_export_pseudonym_key (project, g_ptr_array_index (args->positional, 1), &error))
    return fail (error);
  return EXIT_SUCCESS;
}

static const OptionSpec json_only[] = { { "json", FALSE }, { NULL } };
static const OptionSpec add_options[] = { { "json", FALSE }, { "category", TRUE }, { NULL } };

static const Command commands[] = {
  { "pseudonym-add", "PROJECT REAL PSEUDONYM [--category C] [--json]",
    N_("Add a row to the pseudonym table: every REAL (a name, school, place or employer, as written) becomes PSEUDONYM, e.g. [Persoon 1], in pseudonymised copies and exports. Each spelling variant (Ahmed, Ahmeds) is a row of its own. C is person, school, place, employer or anything else. Prints the row's id. One undo step."),
    3, 3, add_options, cmd_pseudonym_add },
  { "pseudonyms", "PROJECT [--json]",
    N_("List the pseudonym table: real string, pseudonym and category, by category."),
    1, 1, json_only, cmd_pseudonyms },
  { "pseudonym-remove", "PROJECT REAL",
    N_("Remove the row of REAL from the pseudonym table. One undo step."),
    2, 2, json_only, cmd_pseudonym_remove },
  { "pseudonym-propose", "PROJECT [--json]",
    N_("Propose strings that may need a pseudonym, most frequent first: speakers' names (not roles such as Interviewer), text values of case variables that look like names, and capitalised words and runs that are not common words (checked with the Hunspell dictionaries) and not only at a sentence's start, or that the Dutch dictionary knows as names (Ahmed, Pieter; Wim in mid-sentence). Each comes with its source, a guessed category, a suggested pseudonym and its number of occurrences. Nothing is added: confirm with pseudonym-add."),
    1, 1, json_only, cmd_pseudonym_propose },
  { "pseudonymise", "PROJECT OUT.codewerk",
    N_("Write a pseudonymised copy of the project (never overwrites a file): every real string of the table replaced, as a whole word and case as written, the longest first, in texts, document and speaker names, memos, codes, case values, groups and the title; codings still cover the same words; case ids become stable ids (C001, ...). The copy holds no pseudonym table, no undo history, no links to recordings and no trace of the old text."),
    2, 2, json_only, cmd_pseudonymise },
  { "pseudonym-key", "PROJECT OUT.csv",
    N_("Write the key, for separate safekeeping: the pseudonym table and the stable case ids as CSV (real;pseudonym;category, UTF-8). Never overwrites a file."),
    2, 2, json_only, cmd_pseudonym_key },
};

const CommandTable cli_privacy_commands = { commands, G_N_ELEMENTS (commands) };
