/* cw-apply-codings PROJECT CODEBOOK.tsv CODINGS.tsv [MEMOS.tsv]: gives the
 * example project its codebook, two coders' codings and a few memos,
 * through the same core API as the window, at build time.
 *
 * A coding names its fragment by text, not by offsets, so that the tsv
 * stays readable and a change in an importer that moves the text shows up
 * as a build error naming the tsv line instead of codings on wrong words.
 * The formats are described in the header lines of each tsv. */
#include "config.h"

#include <string.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-project-private.h"

typedef struct
{
  CwProject  *project;
  GHashTable *codes;     /* path -> gint64 id */
  GHashTable *documents; /* name -> gint64 id */
  GHashTable *texts;     /* name -> stored text */
} Apply;

static gboolean
line_error (GError     **error,
            const char  *file,
            guint        line,
            const char  *format,
            ...) G_GNUC_PRINTF (4, 5);

static gboolean
line_error (GError     **error,
            const char  *file,
            guint        line,
            const char  *format,
            ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID, "%s:%u: %s", file, line, message);
  return FALSE;
}

/* "\n", "\t" and "\\" in a field. */
static char *
unescape (const char *field)
{
  GString *out = g_string_new (NULL);

  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          g_string_append_c (out, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

typedef gboolean (*RowFunc) (Apply       *apply,
                             const char  *file,
                             guint        line,
                             char       **fields,
                             guint        n_fields,
                             GError     **error);

/* Calls row for every line that is neither empty nor a # comment. */
static gboolean
for_each_row (Apply       *apply,
              const char  *path,
              guint        min_fields,
              RowFunc      row,
              GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, error))
    return FALSE;
  if (!g_utf8_validate (contents, -1, NULL))
    return line_error (error, name, 0, "not UTF-8");

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      guint n;

      g_strchomp (lines[i]); /* a stray \r */
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      n = g_strv_length (fields);
      if (n < min_fields)
        return line_error (error, name, i + 1, "%u columns, expected at least %u", n, min_fields);
      if (!row (apply, name, i + 1, fields, n, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
codebook_row (Apply       *apply,
              const char  *file,
              guint        line,
              char       **fields,
              guint        n_fields,
              GError     **error)
{
  const char *path = fields[0];
  const char *slash = strrchr (path, '/');
  g_autofree char *parent = slash != NULL ? g_strndup (path, slash - path) : NULL;
  g_autofree char *description = n_fields > 3 && fields[3][0] != '\0' ? unescape (fields[3]) : NULL;
  gint64 parent_id = 0, id;
  gboolean codable;

  if (parent != NULL)
    {
      gint64 *found = g_hash_table_lookup (apply->codes, parent);

      if (found == NULL)
        return line_error (error, file, line, "'%s' comes before its parent '%s'", path, parent);
      parent_id = *found;
    }
  if (strcmp (fields[2], "yes") != 0 && strcmp (fields[2], "no") != 0)
    return line_error (error, file, line, "codable is 'yes' or 'no', not '%s'", fields[2]);
  codable = strcmp (fields[2], "yes") == 0;

  id = cw_project_create_code (apply->project, parent_id, slash != NULL ? slash + 1 : path,
                               fields[1][0] != '\0' ? fields[1] : NULL, description, codable, error);
  if (id == 0)
    {
      g_prefix_error (error, "%s:%u: ", file, line);
      return FALSE;
    }
  g_hash_table_insert (apply->codes, g_strdup (path), g_memdup2 (&id, sizeof id));
  return TRUE;
}

/* The document's id and stored text, looked up once. */
static const char *
document_text (Apply       *apply,
               const char  *name,
               gint64      *id,
               GError     **error)
{
  gint64 *found = g_hash_table_lookup (apply->documents, name);
  char *text;

  if (found != NULL)
    {
      *id = *found;
      return g_hash_table_lookup (apply->texts, name);
    }
  *id = cw_project_lookup_document (apply->project, name, error);
  if (*id == 0 || (text = cw_project_get_text (apply->project, *id, error)) == NULL)
    return NULL;
  g_hash_table_insert (apply->documents, g_strdup (name), g_memdup2 (id, sizeof *id));
  g_hash_table_insert (apply->texts, g_strdup (name), text);
  return text;
}

static gint64
code_id (Apply       *apply,
         const char  *path,
         GError     **error)
{
  gint64 *found = g_hash_table_lookup (apply->codes, path);

  return found != NULL ? *found : cw_project_lookup_code (apply->project, path, error);
}

static gboolean
codings_row (Apply       *apply,
             const char  *file,
             guint        line,
             char       **fields,
             guint        n_fields,
             GError     **error)
{
  const char *fragment = fields[3];
  const char *text, *hit;
  g_autofree char *memo = n_fields > 5 && fields[5][0] != '\0' ? unescape (fields[5]) : NULL;
  guint64 nth = 1;
  gint64 document_id, code, start, end;
  GError *local = NULL;

  if (n_fields > 4 && fields[4][0] != '\0'
      && !g_ascii_string_to_unsigned (fields[4], 10, 1, G_MAXUINT, &nth, NULL))
    return line_error (error, file, line, "occurrence is a number from 1, not '%s'", fields[4]);
  if (fragment[0] == '\0')
    return line_error (error, file, line, "empty fragment");

  if ((text = document_text (apply, fields[0], &document_id, &local)) == NULL
      || (code = code_id (apply, fields[1], &local)) == 0)
    {
      g_propagate_prefixed_error (error, local, "%s:%u: ", file, line);
      return FALSE;
    }

  hit = text;
  for (guint64 i = 0; hit != NULL && i < nth; i++)
    hit = strstr (i == 0 ? hit : hit + 1, fragment);
  if (hit == NULL)
    return line_error (error, file, line, "fragment not found (occurrence %" G_GUINT64_FORMAT ") in %s: '%s'",
                       nth, fields[0], fragment);

  start = g_utf8_pointer_to_offset (text, hit);
  end = start + g_utf8_strlen (fragment, -1);
  if (cw_project_add_coding (apply->project, document_id, code, start, end, fields[2], memo, &local) == 0)
    {
      g_propagate_prefixed_error (error, local, "%s:%u: ", file, line);
      return FALSE;
    }
  return TRUE;
}

static gboolean
memos_row (Apply       *apply,
           const char  *file,
           guint        line,
           char       **fields,
           guint        n_fields,
           GError     **error)
{
  g_autofree char *text = unescape (fields[4]);
  CwMemoTarget target;
  gint64 target_id = 0;
  GError *local = NULL;

  if (strcmp (fields[0], "project") == 0)
    target = CW_MEMO_PROJECT;
  else if (strcmp (fields[0], "document") == 0)
    {
      target = CW_MEMO_DOCUMENT;
      if (document_text (apply, fields[1], &target_id, &local) == NULL)
        target_id = 0;
    }
  else if (strcmp (fields[0], "code") == 0)
    {
      target = CW_MEMO_CODE;
      target_id = code_id (apply, fields[1], &local);
    }
  else
    return line_error (error, file, line, "target is project, document or code, not '%s'", fields[0]);

  if ((target != CW_MEMO_PROJECT && target_id == 0)
      || cw_project_add_memo (apply->project, target, target_id, fields[3][0] != '\0' ? fields[3] : NULL,
                              text, fields[2], &local) == 0)
    {
      g_propagate_prefixed_error (error, local, "%s:%u: ", file, line);
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GHashTable) codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  Apply apply = { NULL, codes, documents, texts };
  GError *error = NULL;

  if (argc < 4 || argc > 5)
    {
      g_printerr ("Usage: cw-apply-codings PROJECT CODEBOOK.tsv CODINGS.tsv [MEMOS.tsv]\n");
      return 2;
    }

  project = cw_project_open (argv[1], &error);
  apply.project = project;
  /* A build artefact: every edit is its own transaction, and syncing each
   * one to disk would make the example slow to build for nothing. */
  if (project == NULL
      || !_cw_project_exec (project, "PRAGMA synchronous = OFF", &error)
      || !for_each_row (&apply, argv[2], 3, codebook_row, &error)
      || !for_each_row (&apply, argv[3], 4, codings_row, &error)
      || (argc > 4 && !for_each_row (&apply, argv[4], 5, memos_row, &error))
      /* The example opens with nothing to undo: its making is not the
       * researcher's first edit. */
      || !_cw_history_clear (project, &error))
    {
      g_printerr ("cw-apply-codings: error: %s\n", error->message);
      g_error_free (error);
      return 1;
    }
  return 0;
}
