/* codewerk-cli: spell checking, the project word list, a document's
 * language, and correcting text (cw-spell.h, cw-edit.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cli-private.h"
#include "cw-edit.h"
#include "cw-spell.h"

static const char *
check_language (const char *language)
{
  if (g_strcmp0 (language, "nl") == 0 || g_strcmp0 (language, "en") == 0)
    return language;
  return NULL;
}

static void
json_removed (CwJson    *json,
              GPtrArray *removed)
{
  cw_json_key (json, "removed");
  cw_json_begin_array (json);
  for (guint i = 0; i < removed->len; i++)
    {
      const CwRemovedCoding *coding = removed->pdata[i];

      cw_json_begin_object (json);
      cw_json_key (json, "id");
      cw_json_int (json, coding->id);
      cw_json_key (json, "code");
      cw_json_string (json, coding->code);
      cw_json_key (json, "coder");
      cw_json_string (json, coding->coder);
      cw_json_key (json, "start");
      cw_json_int (json, coding->start);
      cw_json_key (json, "end");
      cw_json_int (json, coding->end);
      cw_json_end_object (json);
    }
  cw_json_end_array (json);
}

/* A coding whose text was deleted is gone (undo brings it back): said on
 * stderr as a warning, as the window says it with a toast. */
static void
warn_removed (GPtrArray *removed)
{
  for (guint i = 0; i < removed->len; i++)
    {
      const CwRemovedCoding *coding = removed->pdata[i];

      /* Translators: a coding removed by a text correction; the numbers are
       * character offsets. */
      g_autofree char *line = g_strdup_printf (_("coding %lld (%s, %s, %lld–%lld) was removed: its text was deleted (undo brings it back)"),
                                               (long long) coding->id, coding->code, coding->coder,
                                               (long long) coding->start, (long long) coding->end);

      g_printerr ("codewerk-cli: warning: %s\n", line);
    }
}

static int
cmd_spell (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stored_language = NULL;
  g_autoptr(GHashTable) words = NULL;
  g_autoptr(GArray) misspelled = NULL;
  CwSpellChecker *checker = cw_spell_checker_get_default ();
  const char *language = option (args, "language");
  gboolean suggest = option (args, "suggest") != NULL;
  GError *error = NULL;
  CwJson *json = NULL;
  gint64 id;
  glong n_chars;

  if (language != NULL && check_language (language) == NULL)
    return usage_error (_("LANGUAGE is nl or en, not '%s'"), language);

  project = open_with_document (args, &id, &error);
  if (project == NULL || !(text = cw_project_get_text (project, id, &error)))
    return fail (error);
  if (language == NULL)
    {
      if (!(stored_language = cw_project_get_document_language (project, id, &error)))
        return fail (error);
      language = stored_language;
    }
  if (!cw_spell_checker_load (checker, language, &error) ||
      !(words = cw_project_get_word_set (project, &error)))
    return fail (error);

  misspelled = cw_spell_find_misspellings (checker, words, language, text, 0, -1);
  n_chars = g_utf8_strlen (text, -1);
  if (args->json)
    {
      json = cw_json_new ();
      cw_json_begin_array (json);
    }

  /* Offsets walk forward through the text once. */
  {
    const char *p = text;
    gint64 at = 0;

    for (guint i = 0; i < misspelled->len; i++)
      {
        const CwSpellRange *range = &g_array_index (misspelled, CwSpellRange, i);
        const char *word_start, *word_end;
        g_autofree char *word = NULL;
        g_auto(GStrv) suggestions = NULL;

        if (range->start < at || range->end > n_chars)
          continue;
        word_start = g_utf8_offset_to_pointer (p, range->start - at);
        word_end = g_utf8_offset_to_pointer (word_start, range->end - range->start);
        word = g_strndup (word_start, word_end - word_start);
        p = word_start;
        at = range->start;
        if (suggest)
          suggestions = cw_spell_checker_suggest (checker, language, word);

        if (json != NULL)
          {
            cw_json_begin_object (json);
            cw_json_key (json, "start");
            cw_json_int (json, range->start);
            cw_json_key (json, "end");
            cw_json_int (json, range->end);
            cw_json_key (json, "word");
            cw_json_string (json, word);
            if (suggest)
              {
                cw_json_key (json, "suggestions");
                cw_json_begin_array (json);
                for (guint k = 0; suggestions[k] != NULL; k++)
                  cw_json_string (json, suggestions[k]);
                cw_json_end_array (json);
              }
            cw_json_end_object (json);
          }
        else if (suggest)
          {
            g_autofree char *joined = g_strjoinv (", ", suggestions);

            g_print ("%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\t%s\n",
                     range->start, range->end, word, joined);
          }
        else
          g_print ("%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%s\n", range->start, range->end, word);
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
cmd_words (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_auto(GStrv) words = NULL;
  GPtrArray *add = option_list (args, "add");
  GPtrArray *remove = option_list (args, "remove");
  GError *error = NULL;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);

  if (add != NULL)
    g_ptr_array_add (add, NULL);
  if (remove != NULL)
    g_ptr_array_add (remove, NULL);
  if (!cw_project_change_words (project, add != NULL ? (const char * const *) add->pdata : NULL,
                                remove != NULL ? (const char * const *) remove->pdata : NULL, &error))
    return fail (error);

  if (!(words = cw_project_list_words (project, &error)))
    return fail (error);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_array (json);
      for (guint i = 0; words[i] != NULL; i++)
        cw_json_string (json, words[i]);
      cw_json_end_array (json);
      print_json (json);
    }
  else
    for (guint i = 0; words[i] != NULL; i++)
      g_print ("%s\n", words[i]);
  return EXIT_SUCCESS;
}

static int
cmd_language (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwDocumentInfo) info = NULL;
  g_autofree char *language = NULL;
  const char *wanted = args->positional->len > 2 ? g_ptr_array_index (args->positional, 2) : NULL;
  GError *error = NULL;
  gint64 id;

  if (wanted != NULL && check_language (wanted) == NULL)
    return usage_error (_("LANGUAGE is nl or en, not '%s'"), wanted);

  project = open_with_document (args, &id, &error);
  if (project == NULL)
    return fail (error);
  if (wanted != NULL && !cw_project_set_document_language (project, id, wanted, &error))
    return fail (error);
  if (!(language = cw_project_get_document_language (project, id, &error)) ||
      !(info = cw_project_get_document_info (project, id, &error)))
    return fail (error);

  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "document");
      cw_json_string (json, info->name);
      cw_json_key (json, "language");
      cw_json_string (json, language);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    g_print ("%s\n", language);
  return EXIT_SUCCESS;
}

static int
cmd_edit (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwEditResult) result = NULL;
  g_autoptr(CwDocumentInfo) info = NULL;
  const char *replacement = g_ptr_array_index (args->positional, 4);
  GError *error = NULL;
  gint64 id, start, end;

  if (!parse_integer (g_ptr_array_index (args->positional, 2), &start) || start < 0)
    return usage_error (_("START must be a number of characters, not '%s'"),
                        (const char *) g_ptr_array_index (args->positional, 2));
  if (!parse_integer (g_ptr_array_index (args->positional, 3), &end) || end < start)
    return usage_error (_("END must be a number of characters not below START, not '%s'"),
                        (const char *) g_ptr_array_index (args->positional, 3));

  project = open_with_document (args, &id, &error);
  if (project == NULL ||
      !cw_project_edit_text (project, id, start, end, replacement, &result, &error) ||
      !(info = cw_project_get_document_info (project, id, &error)))
    return fail (error);

  warn_removed (result->removed);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "document");
      cw_json_string (json, info->name);
      cw_json_key (json, "start");
      cw_json_int (json, result->start);
      cw_json_key (json, "end");
      cw_json_int (json, result->start + result->length);
      cw_json_key (json, "characters");
      cw_json_int (json, result->characters);
      json_removed (json, result->removed);
      cw_json_end_object (json);
      print_json (json);
    }
  return EXIT_SUCCESS;
}

static int
cmd_replace (Args *args)
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwReplaceResult) result = NULL;
  const char *find = g_ptr_array_index (args->positional, 1);
  const char *replacement = g_ptr_array_index (args->positional, 2);
  const char *doc = option (args, "doc");
  CwReplaceFlags flags = CW_REPLACE_NONE;
  GError *error = NULL;
  gint64 id = 0;

  if (*find == '\0')
    return usage_error (_("FIND must not be empty"));
  if (option (args, "match-case") != NULL)
    flags |= CW_REPLACE_MATCH_CASE;
  if (option (args, "whole-word") != NULL)
    flags |= CW_REPLACE_WHOLE_WORD;

  project = open_project (args, &error);
  if (project == NULL)
    return fail (error);
  if (doc != NULL && (id = cw_project_lookup_document (project, doc, &error)) == 0)
    return fail (error);
  if (!cw_project_replace_all (project, id, find, replacement, flags, &result, NULL, &error))
    return fail (error);

  warn_removed (result->removed);
  if (args->json)
    {
      CwJson *json = cw_json_new ();

      cw_json_begin_object (json);
      cw_json_key (json, "replaced");
      cw_json_int (json, result->n_replaced);
      cw_json_key (json, "documents");
      cw_json_begin_array (json);
      for (guint i = 0; i < result->documents->len; i++)
        {
          const CwReplaceCount *count = result->documents->pdata[i];

          cw_json_begin_object (json);
          cw_json_key (json, "document");
          cw_json_string (json, count->document);
          cw_json_key (json, "replaced");
          cw_json_int (json, count->n_replaced);
          cw_json_end_object (json);
        }
      cw_json_end_array (json);
      json_removed (json, result->removed);
      cw_json_end_object (json);
      print_json (json);
    }
  else
    {
      for (guint i = 0; i < result->documents->len; i++)
        {
          const CwReplaceCount *count = result->documents->pdata[i];

          g_print ("%s\t%u\n", count->document, count->n_replaced);
        }
      g_print (ngettext ("%u replacement\n", "%u replacements\n", result->n_replaced), result->n_replaced);
    }
  return EXIT_SUCCESS;
}

static const OptionSpec spell_options[] = {
  { "json", FALSE }, { "language", TRUE }, { "suggest", FALSE }, { NULL }
};
static const OptionSpec words_options[] = { { "json", FALSE }, { "add", TRUE }, { "remove", TRUE }, { NULL } };
static const OptionSpec edit_options[] = { { "json", FALSE }, { NULL } };
static const OptionSpec replace_options[] = {
  { "json", FALSE }, { "doc", TRUE }, { "match-case", FALSE }, { "whole-word", FALSE }, { NULL }
};

static const Command commands[] = {
  { "spell", "PROJECT DOC [--language nl|en] [--suggest] [--json]",
    N_("List the misspelled words of a document with their offsets, checked with Hunspell in the document's language (or LANGUAGE) and the project word list; with --suggest also Hunspell's suggestions (slower). Speaker labels, abbreviations in capitals, words with digits, URLs and e-mail addresses are not checked."),
    2, 2, spell_options, cmd_spell },
  { "words", "PROJECT [--add WORD]... [--remove WORD]... [--json]",
    N_("Show the project word list, the words every coder's spell check accepts (names of schools and places, compounds); add or remove words first, all or none."),
    1, 1, words_options, cmd_words },
  { "language", "PROJECT DOC [nl|en] [--json]",
    N_("Show a document's language for spell checking (detected from its text when it was never set), or set it."),
    2, 3, edit_options, cmd_language },
  { "edit", "PROJECT DOC START END TEXT [--json]",
    N_("Correct a document's text: replace characters START to END (end exclusive) with TEXT (\"\" deletes, START = END inserts). Codings, turns and the search index follow the words; a coding whose text is deleted entirely is removed with a warning. One undo step."),
    5, 5, edit_options, cmd_edit },
  { "replace", "PROJECT FIND REPLACEMENT [--doc DOC] [--match-case] [--whole-word] [--json]",
    N_("Replace every FIND with REPLACEMENT in all documents, or in DOC, keeping codings on their words as edit does; case is ignored unless --match-case, and --whole-word skips FIND inside longer words. One transaction and one undo step; prints the replacements per document."),
    3, 3, replace_options, cmd_replace },
};

const CommandTable cli_edit_commands = { commands, G_N_ELEMENTS (commands) };
