/* cw-merge.c: merging other coders' copies of a project (see cw-merge.h).
 *
 * The other project is read through its own read-only SQLite connection
 * (a URI with mode=ro: it is never written, migrated or checkpointed) in
 * one read transaction, so it is read as one snapshot even while another
 * Codewerk has it open. A .qdpx is first imported into a temporary project
 * with the REFI importer and read the same way.
 *
 * Order per file: codes (parents first), then per document its codings,
 * then memos, groups and the cohort tables, which refer to all of those.
 * Every mapping (their id -> our id) lives for one file only.
 *
 * Undo: the tracked tables (codes, codings, memos, groups, cohort) are
 * recorded by the history's triggers as usual. Documents and coders are
 * not tracked, so the merge writes one more statement at the start of its
 * step, which undo runs last: it deletes the documents and coders the
 * merge added and drops the redo step being recorded, which could not put
 * them back.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cw-codebook-private.h"
#include "cw-import.h"
#include "cw-merge.h"
#include "cw-project-private.h"
#include "cw-refi.h"

/* ---- results ---- */

static const char *const conflict_kinds[] = {
  "code-renamed", "document-text", "memo-text", "case-value",
  "variable-type", "value-label", "case-link",
};

const char *
cw_merge_conflict_kind_to_string (CwMergeConflictKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (conflict_kinds), NULL);
  return conflict_kinds[kind];
}

void
cw_merge_conflict_free (CwMergeConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->file);
  g_free (conflict->guid);
  g_free (conflict->name);
  g_free (conflict->document);
  g_free (conflict->variable);
  g_free (conflict->ours);
  g_free (conflict->theirs);
  g_free (conflict);
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

char *
cw_merge_conflict_describe (const CwMergeConflict *c)
{
  g_autofree char *file = NULL;

  g_return_val_if_fail (c != NULL, NULL);

  file = g_path_get_basename (or_empty (c->file));
  switch (c->kind)
    {
    case CW_MERGE_CONFLICT_CODE_RENAMED:
      return g_strdup_printf (_("Code “%s” is called “%s” in %s; it keeps its name here and its codings were merged."),
                              or_empty (c->ours), or_empty (c->theirs), file);
    case CW_MERGE_CONFLICT_DOCUMENT_TEXT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "The text of “%s” differs in %s; its %u coding there was not merged.",
                                           "The text of “%s” differs in %s; its %u codings there were not merged.",
                                           c->n_codings),
                              or_empty (c->name), file, c->n_codings);
    case CW_MERGE_CONFLICT_MEMO_TEXT:
      return g_strdup_printf (_("Memo “%s” has another text in %s; this one was kept."),
                              c->name != NULL ? c->name : or_empty (c->guid), file);
    case CW_MERGE_CONFLICT_CASE_VALUE:
      return g_strdup_printf (_("Case “%s”, variable “%s”: “%s” here, “%s” in %s; this value was kept."),
                              or_empty (c->name), or_empty (c->variable), or_empty (c->ours),
                              or_empty (c->theirs), file);
    case CW_MERGE_CONFLICT_VARIABLE_TYPE:
      return g_strdup_printf (_("Variable “%s” is %s here and %s in %s; its values were not merged."),
                              or_empty (c->variable), or_empty (c->ours), or_empty (c->theirs), file);
    case CW_MERGE_CONFLICT_VALUE_LABEL:
      return g_strdup_printf (_("Variable “%s”, value %s: label “%s” here, “%s” in %s; this label was kept."),
                              or_empty (c->variable), or_empty (c->name), or_empty (c->ours),
                              or_empty (c->theirs), file);
    case CW_MERGE_CONFLICT_CASE_LINK:
      return g_strdup_printf (_("Case “%s” is linked to speaker “%s” of “%s” in %s, who is not in that document here; the link was not merged."),
                              or_empty (c->name), or_empty (c->theirs), or_empty (c->document), file);
    default:
      g_return_val_if_reached (NULL);
    }
}

void
cw_merge_result_free (CwMergeResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_strfreev (result->files);
  g_free (result);
}

static CwMergeResult *
merge_result_new (const char * const *paths)
{
  CwMergeResult *result = g_new0 (CwMergeResult, 1);

  result->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_merge_conflict_free);
  result->warnings = g_ptr_array_new_with_free_func (g_free);
  result->files = g_strdupv ((char **) paths);
  return result;
}

static void
json_opt_string (CwJson     *json,
                 const char *key,
                 const char *value)
{
  if (value == NULL)
    return;
  cw_json_key (json, key);
  cw_json_string (json, value);
}

static void
write_conflict (const CwMergeConflict *c,
                CwJson                *json)
{
  cw_json_begin_object (json);
  cw_json_key (json, "kind");
  cw_json_string (json, cw_merge_conflict_kind_to_string (c->kind));
  cw_json_key (json, "file");
  cw_json_string (json, c->file);
  switch (c->kind)
    {
    case CW_MERGE_CONFLICT_CODE_RENAMED:
      json_opt_string (json, "guid", c->guid);
      json_opt_string (json, "ours", c->ours);
      json_opt_string (json, "theirs", c->theirs);
      break;
    case CW_MERGE_CONFLICT_DOCUMENT_TEXT:
      json_opt_string (json, "document", c->name);
      json_opt_string (json, "guid", c->guid);
      cw_json_key (json, "codings_skipped");
      cw_json_int (json, c->n_codings);
      break;
    case CW_MERGE_CONFLICT_MEMO_TEXT:
      json_opt_string (json, "guid", c->guid);
      json_opt_string (json, "title", c->name);
      json_opt_string (json, "ours", c->ours);
      json_opt_string (json, "theirs", c->theirs);
      break;
    case CW_MERGE_CONFLICT_CASE_VALUE:
      json_opt_string (json, "case", c->name);
      json_opt_string (json, "variable", c->variable);
      json_opt_string (json, "ours", c->ours);
      json_opt_string (json, "theirs", c->theirs);
      break;
    case CW_MERGE_CONFLICT_VARIABLE_TYPE:
      json_opt_string (json, "variable", c->variable);
      json_opt_string (json, "ours", c->ours);
      json_opt_string (json, "theirs", c->theirs);
      break;
    case CW_MERGE_CONFLICT_VALUE_LABEL:
      json_opt_string (json, "variable", c->variable);
      json_opt_string (json, "value", c->name);
      json_opt_string (json, "ours", c->ours);
      json_opt_string (json, "theirs", c->theirs);
      break;
    case CW_MERGE_CONFLICT_CASE_LINK:
      json_opt_string (json, "case", c->name);
      json_opt_string (json, "document", c->document);
      json_opt_string (json, "speaker", c->theirs);
      break;
    default:
      break;
    }
  cw_json_end_object (json);
}

void
cw_merge_result_write_json (const CwMergeResult *result,
                            CwJson              *json)
{
  const struct { const char *key; guint value; } counts[] = {
    { "documents", result->documents_added },
    { "codes", result->codes_added },
    { "codings_added", result->codings_added },
    { "codings_skipped", result->codings_skipped },
    { "documents_matched", result->documents_matched },
    { "codes_matched", result->codes_matched },
    { "memos_added", result->memos_added },
    { "groups_added", result->groups_added },
    { "coders_added", result->coders_added },
    { "cases_added", result->cases_added },
    { "variables_added", result->variables_added },
    { "case_values_added", result->case_values_added },
    { "case_links_added", result->case_links_added },
  };

  g_return_if_fail (result != NULL);
  g_return_if_fail (json != NULL);

  cw_json_begin_object (json);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      cw_json_key (json, counts[i].key);
      cw_json_int (json, counts[i].value);
    }
  cw_json_key (json, "conflicts");
  cw_json_begin_array (json);
  for (guint i = 0; i < result->conflicts->len; i++)
    write_conflict (g_ptr_array_index (result->conflicts, i), json);
  cw_json_end_array (json);
  cw_json_key (json, "warnings");
  cw_json_begin_array (json);
  for (guint i = 0; i < result->warnings->len; i++)
    cw_json_string (json, g_ptr_array_index (result->warnings, i));
  cw_json_end_array (json);
  cw_json_key (json, "files");
  cw_json_begin_array (json);
  for (guint i = 0; result->files != NULL && result->files[i] != NULL; i++)
    cw_json_string (json, result->files[i]);
  cw_json_end_array (json);
  cw_json_end_object (json);
}

/* ---- id maps: their id -> our id, per file ---- */

static GHashTable *
idmap_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

static void
idmap_set (GHashTable *map,
           gint64      from,
           gint64      to)
{
  g_hash_table_insert (map, g_memdup2 (&from, sizeof from), g_memdup2 (&to, sizeof to));
}

static gint64
idmap_get (GHashTable *map,
           gint64      from)
{
  gint64 *to = g_hash_table_lookup (map, &from);

  return to != NULL ? *to : 0;
}

/* ---- the other project ---- */

typedef struct
{
  char    *path;    /* as given: what conflicts and errors name */
  char    *tmp_dir; /* a .qdpx's temporary project lives here */
  gboolean refi;    /* read from a .qdpx */
  sqlite3 *db;
  guint    n_documents;
} Source;

static void
remove_tmp_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

static void
source_free (Source *src)
{
  if (src == NULL)
    return;
  if (src->db != NULL)
    {
      sqlite3_exec (src->db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close_v2 (src->db);
    }
  if (src->tmp_dir != NULL)
    remove_tmp_dir (src->tmp_dir);
  g_free (src->tmp_dir);
  g_free (src->path);
  g_free (src);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Source, source_free)

/* A failure reading the other file, named after it. */
static void
source_error (Source      *src,
              GError     **error,
              const char  *what)
{
  int code = src->db != NULL ? sqlite3_errcode (src->db) : SQLITE_ERROR;

  if (code == SQLITE_NOTADB)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                 _("%s: not a Codewerk project (not an SQLite database)"), src->path);
  else if (code == SQLITE_CORRUPT)
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                 _("%s: the project file is damaged (%s)"), src->path, sqlite3_errmsg (src->db));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                 "%s: %s: %s", src->path, what,
                 src->db != NULL ? sqlite3_errmsg (src->db) : _("cannot open"));
}

static sqlite3_stmt *
source_prepare (Source      *src,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (src->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      source_error (src, error, _("cannot read the project"));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* A step of a statement on the other file: TRUE for a row, FALSE at the
 * end or on error (then *error is set). */
static gboolean
source_row (Source        *src,
            sqlite3_stmt  *stmt,
            gboolean      *failed,
            GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    {
      source_error (src, error, _("cannot read the project"));
      *failed = TRUE;
    }
  return FALSE;
}

static gint64
source_int (Source      *src,
            const char  *sql,
            GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = source_prepare (src, sql, error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      source_error (src, error, _("cannot read the project"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

typedef enum
{
  FORMAT_UNKNOWN,
  FORMAT_SQLITE,
  FORMAT_ZIP,
} Format;

static Format
sniff_format (const char  *path,
              GError     **error)
{
  char head[16] = { 0 };
  size_t n;
  FILE *file = g_fopen (path, "rb");

  if (file == NULL)
    {
      int saved = errno;

      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: cannot read the file: %s"), path, g_strerror (saved));
      return FORMAT_UNKNOWN;
    }
  n = fread (head, 1, sizeof head, file);
  fclose (file);

  if (n == sizeof head && memcmp (head, "SQLite format 3", 16) == 0)
    return FORMAT_SQLITE;
  if (n >= 4 && memcmp (head, "PK\003\004", 4) == 0)
    return FORMAT_ZIP;
  if (g_str_has_suffix (path, ".qdpx") || g_str_has_suffix (path, ".QDPX"))
    return FORMAT_ZIP; /* let the REFI importer say what is wrong with it */
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
               _("%s: neither a Codewerk project nor a REFI-QDA project (.qdpx)"), path);
  return FORMAT_UNKNOWN;
}

/* Imports a .qdpx into a temporary project; returns that project's path. */
static char *
import_qdpx (Source        *src,
             GPtrArray     *warnings,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GPtrArray) local = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(CwProject) project = NULL;
  g_autofree char *basename = g_path_get_basename (src->path);
  g_autofree char *path = NULL;

  src->tmp_dir = g_dir_make_tmp ("codewerk-merge-XXXXXX", error);
  if (src->tmp_dir == NULL)
    {
      g_prefix_error (error, "%s: ", src->path);
      return NULL;
    }
  path = g_build_filename (src->tmp_dir, "merge.codewerk", NULL);
  project = cw_refi_import_project (src->path, path, local, NULL, NULL, cancellable, error);
  if (project == NULL)
    return NULL;
  for (guint i = 0; i < local->len; i++)
    g_ptr_array_add (warnings, g_strdup_printf ("%s: %s", basename, (char *) local->pdata[i]));
  /* Closing it writes the WAL back, so the read-only connection below
   * needs nothing else. */
  g_clear_object (&project);
  return g_steal_pointer (&path);
}

static Source *
source_open (const char    *path,
             GPtrArray     *warnings,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(Source) src = g_new0 (Source, 1);
  g_autofree char *db_path = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *ro_uri = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 application_id, version;
  Format format;

  src->path = g_strdup (path);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no such project file"), path);
      return NULL;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project (not a regular file)"), path);
      return NULL;
    }

  format = sniff_format (path, error);
  if (format == FORMAT_UNKNOWN)
    return NULL;
  src->refi = format == FORMAT_ZIP;
  if (src->refi)
    db_path = import_qdpx (src, warnings, cancellable, error);
  else
    db_path = g_strdup (path);
  if (db_path == NULL)
    return NULL;

  /* mode=ro: the other coder's file is only ever read. */
  absolute = g_canonicalize_filename (db_path, NULL);
  uri = g_filename_to_uri (absolute, NULL, error);
  if (uri == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  /* A read-only connection to a WAL database leaves -wal and -shm files
   * beside it; with no -wal there (the copy is closed and checkpointed)
   * immutable=1 reads the file without creating any. */
  {
    g_autofree char *wal = g_strconcat (absolute, "-wal", NULL);

    ro_uri = g_strconcat (uri, g_file_test (wal, G_FILE_TEST_EXISTS) ? "?mode=ro" : "?mode=ro&immutable=1", NULL);
  }
  if (sqlite3_open_v2 (ro_uri, &src->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    {
      source_error (src, error, _("cannot open the project"));
      return NULL;
    }
  sqlite3_busy_timeout (src->db, 10000);
  sqlite3_extended_result_codes (src->db, FALSE);

  /* -1 is also a value a hostile file can store: errors are told apart by
   * the GError, not by the number. */
  application_id = source_int (src, "PRAGMA application_id", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (application_id != CW_PROJECT_APPLICATION_ID)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project"), path);
      return NULL;
    }
  version = source_int (src, "PRAGMA user_version", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (version > CW_PROJECT_SCHEMA_VERSION)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NEWER_VERSION,
                   _("%s: made by a newer version of Codewerk (project format %lld, this version reads up to %d); please update Codewerk"),
                   path, (long long) version, CW_PROJECT_SCHEMA_VERSION);
      return NULL;
    }
  if (version < 1)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project (incomplete project file)"), path);
      return NULL;
    }

  /* One snapshot for everything read below. */
  if (sqlite3_exec (src->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    {
      source_error (src, error, _("cannot read the project"));
      return NULL;
    }

  /* A truncated or damaged file is refused before anything is merged,
   * not found halfway through a table. */
  {
    g_autoptr(sqlite3_stmt) check = source_prepare (src, "PRAGMA quick_check", error);
    const char *verdict;

    if (check == NULL)
      return NULL;
    if (sqlite3_step (check) != SQLITE_ROW)
      {
        source_error (src, error, _("cannot check the project"));
        return NULL;
      }
    verdict = (const char *) sqlite3_column_text (check, 0);
    if (g_strcmp0 (verdict, "ok") != 0)
      {
        g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                     _("%s: the project file is damaged (%s)"), path, verdict != NULL ? verdict : "?");
        return NULL;
      }
  }
  if (source_int (src, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                  " name IN ('project', 'documents', 'turns', 'codes', 'codings')", NULL) != 5)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: not a Codewerk project (incomplete project file)"), path);
      return NULL;
    }

  {
    gint64 n = source_int (src, "SELECT count(*) FROM documents", error);

    if (n < 0)
      return NULL;
    src->n_documents = (guint) MIN (n, G_MAXUINT);
  }

  return g_steal_pointer (&src);
}

/* ---- the merge ---- */

typedef struct
{
  CwProject      *self;
  sqlite3        *db;
  CwMergeResult  *result;
  GCancellable   *cancellable;
  CwProgressFunc  progress;
  gpointer        progress_data;
  guint           done;
  guint           total;

  /* ours, across files */
  GHashTable *doc_names;   /* names in use */
  GHashTable *doc_guids;   /* guid -> gint64* id */
  GHashTable *doc_texts;   /* SHA-256 of text -> gint64* id; NULL until needed */
  GHashTable *code_guids;  /* guid -> gint64* id */
  GHashTable *code_paths;  /* path -> gint64* id */
  GHashTable *path_of;     /* gint64* id -> path */
  GArray     *new_documents;
  GArray     *new_coders;
  gint64      first_new_document;
  char       *now;

  /* per file */
  Source     *src;
  GHashTable *code_map;    /* their code -> ours */
  GHashTable *doc_map;     /* their document -> ours (conflicting ones too) */
  GHashTable *doc_conflict;/* their document -> CwMergeConflict* (borrowed) */
  GHashTable *coding_map;  /* their coding -> ours */
  GHashTable *coder_map;   /* their coder -> ours */
  GHashTable *coder_names; /* their coder id (gint64*) -> name */
  GHashTable *group_map;
  GHashTable *case_map;
  GHashTable *variable_map;/* their variable -> ours; absent when the types differ */
} Merge;

static void
merge_clear_file (Merge *m)
{
  m->src = NULL;
  g_clear_pointer (&m->code_map, g_hash_table_unref);
  g_clear_pointer (&m->doc_map, g_hash_table_unref);
  g_clear_pointer (&m->doc_conflict, g_hash_table_unref);
  g_clear_pointer (&m->coding_map, g_hash_table_unref);
  g_clear_pointer (&m->coder_map, g_hash_table_unref);
  g_clear_pointer (&m->coder_names, g_hash_table_unref);
  g_clear_pointer (&m->group_map, g_hash_table_unref);
  g_clear_pointer (&m->case_map, g_hash_table_unref);
  g_clear_pointer (&m->variable_map, g_hash_table_unref);
}

static void
merge_clear (Merge *m)
{
  merge_clear_file (m);
  g_clear_pointer (&m->doc_names, g_hash_table_unref);
  g_clear_pointer (&m->doc_guids, g_hash_table_unref);
  g_clear_pointer (&m->doc_texts, g_hash_table_unref);
  g_clear_pointer (&m->code_guids, g_hash_table_unref);
  g_clear_pointer (&m->code_paths, g_hash_table_unref);
  g_clear_pointer (&m->path_of, g_hash_table_unref);
  g_clear_pointer (&m->new_documents, g_array_unref);
  g_clear_pointer (&m->new_coders, g_array_unref);
  g_clear_pointer (&m->now, g_free);
}

static void
merge_begin_file (Merge  *m,
                  Source *src)
{
  m->src = src;
  m->code_map = idmap_new ();
  m->doc_map = idmap_new ();
  m->doc_conflict = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  m->coding_map = idmap_new ();
  m->coder_map = idmap_new ();
  m->coder_names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  m->group_map = idmap_new ();
  m->case_map = idmap_new ();
  m->variable_map = idmap_new ();
}

static void
str_map_set (GHashTable *map,
             const char *key,
             gint64      id)
{
  g_hash_table_insert (map, g_strdup (key), g_memdup2 (&id, sizeof id));
}

static gint64
str_map_get (GHashTable *map,
             const char *key)
{
  gint64 *id = key != NULL ? g_hash_table_lookup (map, key) : NULL;

  return id != NULL ? *id : 0;
}

static CwMergeConflict *
add_conflict (Merge               *m,
              CwMergeConflictKind  kind)
{
  CwMergeConflict *c = g_new0 (CwMergeConflict, 1);

  c->kind = kind;
  c->file = g_strdup (m->src->path);
  g_ptr_array_add (m->result->conflicts, c);
  return c;
}

/* Our statements: prepared through the project's cache. */
static gboolean
our_done (Merge         *m,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (m->self, error, _("cannot merge into the project"));
      return FALSE;
    }
  return TRUE;
}

/* 1 and *id for a row, 0 for none, -1 on error. sql takes ?1 (text or
 * int as given) and optionally ?2... through the caller's bindings. */
static int
our_lookup (Merge         *m,
            sqlite3_stmt  *stmt,
            gint64        *id,
            GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      if (id != NULL)
        *id = sqlite3_column_int64 (stmt, 0);
      return 1;
    }
  if (rc == SQLITE_DONE)
    return 0;
  _cw_project_set_db_error (m->self, error, _("cannot read the project"));
  return -1;
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_id_or_null (sqlite3_stmt *stmt,
                 int           index,
                 gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  if (text == NULL)
    return NULL;
  return g_strndup (text, sqlite3_column_bytes (stmt, column));
}

/* Text from the other file into *out (NULL for NULL): FALSE and a clean
 * error when it is not valid UTF-8. */
static gboolean
column_text_checked (Merge         *m,
                     sqlite3_stmt  *stmt,
                     int            column,
                     const char    *what,
                     char         **out,
                     GError       **error)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  int len = sqlite3_column_bytes (stmt, column);

  *out = NULL;
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate_len (text, len, NULL))
    {
      /* Translators: the other project's file, then what was read, such
       * as “a document name”. */
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: %s is not valid text"), m->src->path, what);
      return FALSE;
    }
  *out = g_strndup (text, len);
  return TRUE;
}

/* Like column_text_checked, and NULL is damage too. */
static char *
column_name_checked (Merge         *m,
                     sqlite3_stmt  *stmt,
                     int            column,
                     const char    *what,
                     GError       **error)
{
  char *text = NULL;

  if (!column_text_checked (m, stmt, column, what, &text, error))
    return NULL;
  if (text == NULL)
    /* Translators: the other project's file, then what is missing, such
     * as “a group's name”. */
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                 _("%s: damaged project: %s is missing"), m->src->path, what);
  return text;
}

static char *
lower_guid (const char *guid)
{
  return guid != NULL ? g_ascii_strdown (guid, -1) : g_uuid_string_random ();
}

/* Names are how researchers refer to documents: a second "x.txt" becomes
 * "x (2).txt", as on import. */
static char *
unique_name (GHashTable *names,
             const char *base)
{
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = NULL;

  if (!g_hash_table_contains (names, base))
    return g_strdup (base);
  if (dot == NULL || dot == base)
    dot = base + strlen (base);
  stem = g_strndup (base, dot - base);
  for (guint n = 2;; n++)
    {
      char *candidate = g_strdup_printf ("%s (%u)%s", stem, n, dot);

      if (!g_hash_table_contains (names, candidate))
        return candidate;
      g_free (candidate);
    }
}

static gboolean
cancelled (Merge   *m,
           GError **error)
{
  return g_cancellable_set_error_if_cancelled (m->cancellable, error);
}

/* ---- ours: loaded once ---- */

static gboolean
load_ours (Merge   *m,
           GError **error)
{
  g_autoptr(sqlite3_stmt) docs = NULL;
  g_autoptr(sqlite3_stmt) codes = NULL;
  GHashTableIter iter;
  gpointer key, value;
  int rc;

  m->doc_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->doc_guids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m->code_guids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m->code_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  docs = _cw_project_prepare (m->self, "SELECT id, lower(guid), name FROM documents", error);
  if (docs == NULL)
    return FALSE;
  while ((rc = sqlite3_step (docs)) == SQLITE_ROW)
    {
      str_map_set (m->doc_guids, (const char *) sqlite3_column_text (docs, 1), sqlite3_column_int64 (docs, 0));
      g_hash_table_add (m->doc_names, g_strdup ((const char *) sqlite3_column_text (docs, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (m->self, error, _("cannot read the documents"));
      return FALSE;
    }

  m->path_of = _cw_project_code_paths (m->self, error);
  if (m->path_of == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, m->path_of);
  while (g_hash_table_iter_next (&iter, &key, &value))
    str_map_set (m->code_paths, value, *(gint64 *) key);

  codes = _cw_project_prepare (m->self, "SELECT id, lower(guid) FROM codes", error);
  if (codes == NULL)
    return FALSE;
  while ((rc = sqlite3_step (codes)) == SQLITE_ROW)
    str_map_set (m->code_guids, (const char *) sqlite3_column_text (codes, 1), sqlite3_column_int64 (codes, 0));
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (m->self, error, _("cannot read the codes"));
      return FALSE;
    }
  return TRUE;
}

static char *
text_digest (const char *text,
             gsize       len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) text, len);
}

/* Matching by text hashes every document of ours once, the first time a
 * document is not found by its GUID. */
static gboolean
load_text_digests (Merge   *m,
                   GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (m->doc_texts != NULL)
    return TRUE;
  m->doc_texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  stmt = _cw_project_prepare (m->self, "SELECT id, text FROM documents ORDER BY id DESC", error);
  if (stmt == NULL)
    return FALSE;
  /* Newest first, so the oldest document with a text wins. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *digest = text_digest ((const char *) sqlite3_column_text (stmt, 1),
                                             sqlite3_column_bytes (stmt, 1));
      str_map_set (m->doc_texts, digest, sqlite3_column_int64 (stmt, 0));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (m->self, error, _("cannot read the documents"));
      return FALSE;
    }
  return TRUE;
}

/* 1 when our document id has exactly this text, 0 when not, -1 on error. */
static int
same_text (Merge       *m,
           gint64       id,
           const char  *text,
           gsize        len,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (m->self, "SELECT text FROM documents WHERE id = ?1", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (m->self, error, _("cannot read the documents"));
      return -1;
    }
  return (gsize) sqlite3_column_bytes (stmt, 0) == len &&
         memcmp (sqlite3_column_blob (stmt, 0), text, len) == 0;
}

/* ---- coders ---- */

static gboolean
load_their_coders (Merge   *m,
                   GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = source_prepare (m->src, "SELECT id, name FROM coders", error);
  gboolean failed = FALSE;

  if (stmt == NULL)
    return FALSE;
  while (source_row (m->src, stmt, &failed, error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autoptr(GError) local = NULL;
      char *name = _cw_clean_name ((const char *) sqlite3_column_text (stmt, 1), "coder", TRUE, &local);

      if (name == NULL)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       "%s: %s", m->src->path, local->message);
          return FALSE;
        }
      g_hash_table_insert (m->coder_names, g_memdup2 (&id, sizeof id), name);
    }
  return !failed;
}

/* Our coder for theirs, by name; created on first use, so a coder who
 * added nothing is not added either. 0 on error. */
static gint64
our_coder (Merge   *m,
           gint64   their_id,
           GError **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autofree char *guid = NULL;
  const char *name;
  gint64 id;
  int found;

  if ((id = idmap_get (m->coder_map, their_id)) > 0)
    return id;
  name = g_hash_table_lookup (m->coder_names, &their_id);
  if (name == NULL)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                   _("%s: damaged project: a coding or memo names a coder that is not there"), m->src->path);
      return 0;
    }

  find = _cw_project_prepare (m->self, "SELECT id FROM coders WHERE name = ?1", error);
  if (find == NULL)
    return 0;
  sqlite3_bind_text (find, 1, name, -1, SQLITE_STATIC);
  found = our_lookup (m, find, &id, error);
  if (found < 0)
    return 0;
  if (found == 0)
    {
      insert = _cw_project_prepare (m->self, "INSERT INTO coders (guid, name, created_at) VALUES (?1, ?2, ?3)", error);
      if (insert == NULL)
        return 0;
      guid = g_uuid_string_random ();
      sqlite3_bind_text (insert, 1, guid, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, m->now, -1, SQLITE_STATIC);
      if (!our_done (m, insert, error))
        return 0;
      id = sqlite3_last_insert_rowid (m->db);
      g_array_append_val (m->new_coders, id);
      m->result->coders_added++;
    }
  idmap_set (m->coder_map, their_id, id);
  return id;
}

/* ---- codes ---- */

typedef struct
{
  gint64    id;
  gint64    parent_id;
  char     *guid;
  char     *name;
  char     *color;
  char     *description;
  gboolean  codable;
  char     *created_at;
  char     *path;  /* computed */
  guint     depth;
} TheirCode;

static void
their_code_free (TheirCode *c)
{
  g_free (c->guid);
  g_free (c->name);
  g_free (c->color);
  g_free (c->description);
  g_free (c->created_at);
  g_free (c->path);
  g_free (c);
}

static int
compare_depth (gconstpointer a,
               gconstpointer b)
{
  const TheirCode *x = *(TheirCode * const *) a;
  const TheirCode *y = *(TheirCode * const *) b;

  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Paths from the parent links; a cycle or a dangling parent is damage. */
static gboolean
their_code_paths (Merge      *m,
                  GPtrArray  *codes,
                  GError    **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < codes->len; i++)
    {
      TheirCode *c = g_ptr_array_index (codes, i);
      g_hash_table_insert (by_id, &c->id, c);
    }
  for (guint i = 0; i < codes->len; i++)
    {
      TheirCode *c = g_ptr_array_index (codes, i);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      TheirCode *at = c;

      while (at != NULL)
        {
          if (names->len > codes->len)
            {
              g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                           _("%s: damaged project: the codebook has a cycle"), m->src->path);
              return FALSE;
            }
          g_ptr_array_insert (names, 0, at->name);
          if (at->parent_id == 0)
            break;
          at = g_hash_table_lookup (by_id, &at->parent_id);
          if (at == NULL)
            {
              g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                           _("%s: damaged project: code “%s” has no parent"), m->src->path, c->name);
              return FALSE;
            }
        }
      c->depth = names->len - 1;
      g_ptr_array_add (names, NULL);
      c->path = g_strjoinv ("/", (char **) names->pdata);
    }
  return TRUE;
}

static gint64
insert_code (Merge      *m,
             TheirCode  *c,
             gint64      parent_id,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (m->self,
                         "INSERT INTO codes (guid, parent_id, name, color, description, position, codable, created_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5,"
                         "  (SELECT coalesce (max (position) + 1, 0) FROM codes WHERE parent_id IS ?2), ?6, ?7)",
                         error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, c->guid, -1, SQLITE_STATIC);
  bind_id_or_null (stmt, 2, parent_id);
  sqlite3_bind_text (stmt, 3, c->name, -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, c->color);
  bind_text_or_null (stmt, 5, c->description);
  sqlite3_bind_int (stmt, 6, c->codable);
  sqlite3_bind_text (stmt, 7, c->created_at != NULL ? c->created_at : m->now, -1, SQLITE_STATIC);
  if (!our_done (m, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (m->db);
}

static gboolean
merge_codes (Merge   *m,
             GError **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func ((GDestroyNotify) their_code_free);
  g_autoptr(sqlite3_stmt) stmt =
    source_prepare (m->src,
                    "SELECT id, coalesce (parent_id, 0), guid, name, color, description, codable, created_at"
                    " FROM codes",
                    error);
  gboolean failed = FALSE;

  if (stmt == NULL)
    return FALSE;
  while (source_row (m->src, stmt, &failed, error))
    {
      TheirCode *c = g_new0 (TheirCode, 1);
      g_autoptr(GError) local = NULL;

      g_ptr_array_add (codes, c);
      c->id = sqlite3_column_int64 (stmt, 0);
      c->parent_id = sqlite3_column_int64 (stmt, 1);
      c->guid = lower_guid ((const char *) sqlite3_column_text (stmt, 2));
      c->name = _cw_clean_name ((const char *) sqlite3_column_text (stmt, 3), "code", FALSE, &local);
      if (c->name == NULL)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       "%s: %s", m->src->path, local->message);
          return FALSE;
        }
      c->color = column_dup (stmt, 4);
      c->description = column_dup (stmt, 5);
      c->codable = sqlite3_column_int (stmt, 6) != 0;
      c->created_at = column_dup (stmt, 7);
    }
  if (failed || !their_code_paths (m, codes, error))
    return FALSE;

  /* Parents before their children: a child finds its parent mapped. */
  g_ptr_array_sort (codes, compare_depth);

  for (guint i = 0; i < codes->len; i++)
    {
      TheirCode *c = g_ptr_array_index (codes, i);
      gint64 ours = str_map_get (m->code_guids, c->guid);

      if (ours > 0)
        {
          const char *our_path = g_hash_table_lookup (m->path_of, &ours);

          if (g_strcmp0 (our_path, c->path) != 0)
            {
              CwMergeConflict *conflict = add_conflict (m, CW_MERGE_CONFLICT_CODE_RENAMED);

              conflict->guid = g_strdup (c->guid);
              conflict->ours = g_strdup (our_path);
              conflict->theirs = g_strdup (c->path);
            }
        }
      if (ours == 0)
        ours = str_map_get (m->code_paths, c->path);
      if (ours == 0)
        {
          /* Under the parent it matched, which may be called otherwise
           * here: then the same name there is the same code. */
          gint64 parent = c->parent_id > 0 ? idmap_get (m->code_map, c->parent_id) : 0;
          const char *parent_path = parent > 0 ? g_hash_table_lookup (m->path_of, &parent) : NULL;
          g_autofree char *path = parent_path != NULL ? g_strconcat (parent_path, "/", c->name, NULL)
                                                      : g_strdup (c->name);

          ours = str_map_get (m->code_paths, path);
          if (ours == 0)
            {
              ours = insert_code (m, c, parent, error);
              if (ours == 0)
                return FALSE;
              str_map_set (m->code_guids, c->guid, ours);
              str_map_set (m->code_paths, path, ours);
              g_hash_table_insert (m->path_of, g_memdup2 (&ours, sizeof ours), g_strdup (path));
              m->result->codes_added++;
              idmap_set (m->code_map, c->id, ours);
              continue;
            }
        }
      m->result->codes_matched++;
      idmap_set (m->code_map, c->id, ours);
    }
  return TRUE;
}

/* ---- documents, with their turns and codings ---- */

static gint64
insert_document (Merge         *m,
                 sqlite3_stmt  *their,
                 const char    *guid,
                 const char    *text,
                 gsize          len,
                 GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) speakers = NULL;
  g_autoptr(sqlite3_stmt) turns = NULL;
  g_autoptr(sqlite3_stmt) add_speaker = NULL;
  g_autoptr(sqlite3_stmt) add_turn = NULL;
  g_autoptr(GHashTable) speaker_ids = idmap_new ();
  g_autofree char *their_name = NULL;
  g_autofree char *name = NULL;
  const char *kind = (const char *) sqlite3_column_text (their, 3);
  CwDocumentKind parsed_kind;
  gint64 their_id = sqlite3_column_int64 (their, 0);
  gint64 characters = g_utf8_strlen (text, len);
  gint64 id;
  gboolean failed = FALSE;

  if (!column_text_checked (m, their, 2, _("a document name"), &their_name, error))
    return 0;
  name = unique_name (m->doc_names, their_name != NULL && *their_name != '\0' ? their_name : "document");
  if (kind == NULL || !cw_document_kind_from_string (kind, &parsed_kind))
    parsed_kind = CW_DOCUMENT_KIND_OTHER;

  stmt = _cw_project_prepare (m->self,
                              "INSERT INTO documents (guid, name, kind, original_name, imported_at, text, characters,"
                              " language, media_path, position)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                              "  (SELECT coalesce (max (position) + 1, 0) FROM documents))",
                              error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, cw_document_kind_to_string (parsed_kind), -1, SQLITE_STATIC);
  bind_text_or_null (stmt, 4, (const char *) sqlite3_column_text (their, 4));
  bind_text_or_null (stmt, 5, sqlite3_column_text (their, 5) != NULL
                              ? (const char *) sqlite3_column_text (their, 5) : m->now);
  sqlite3_bind_text (stmt, 6, text, len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, characters);
  bind_text_or_null (stmt, 8, (const char *) sqlite3_column_text (their, 7));
  bind_text_or_null (stmt, 9, (const char *) sqlite3_column_text (their, 8));
  if (!our_done (m, stmt, error))
    return 0;
  id = sqlite3_last_insert_rowid (m->db);
  g_array_append_val (m->new_documents, id);
  if (m->first_new_document == 0)
    m->first_new_document = id;
  str_map_set (m->doc_guids, guid, id);
  g_hash_table_add (m->doc_names, g_steal_pointer (&name));
  if (m->doc_texts != NULL)
    {
      g_autofree char *digest = text_digest (text, len);

      if (!g_hash_table_contains (m->doc_texts, digest))
        str_map_set (m->doc_texts, digest, id);
    }

  /* Speakers and turns as the other copy has them. */
  speakers = source_prepare (m->src, "SELECT id, name, role FROM speakers WHERE document_id = ?1 ORDER BY id", error);
  add_speaker = _cw_project_prepare (m->self, "INSERT INTO speakers (document_id, name, role) VALUES (?1, ?2, ?3)", error);
  if (speakers == NULL || add_speaker == NULL)
    return 0;
  sqlite3_bind_int64 (speakers, 1, their_id);
  while (source_row (m->src, speakers, &failed, error))
    {
      g_autofree char *speaker = column_name_checked (m, speakers, 1, _("a speaker's name"), error);

      if (speaker == NULL)
        return 0;
      sqlite3_bind_int64 (add_speaker, 1, id);
      sqlite3_bind_text (add_speaker, 2, speaker, -1, SQLITE_STATIC);
      bind_text_or_null (add_speaker, 3, (const char *) sqlite3_column_text (speakers, 2));
      if (!our_done (m, add_speaker, error))
        return 0;
      sqlite3_reset (add_speaker);
      sqlite3_clear_bindings (add_speaker);
      idmap_set (speaker_ids, sqlite3_column_int64 (speakers, 0), sqlite3_last_insert_rowid (m->db));
    }
  if (failed)
    return 0;

  turns = source_prepare (m->src,
                          "SELECT idx, coalesce (speaker_id, 0), start, end, time FROM turns"
                          " WHERE document_id = ?1 ORDER BY idx",
                          error);
  add_turn = _cw_project_prepare (m->self,
                                  "INSERT INTO turns (document_id, idx, speaker_id, start, end, time)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                  error);
  if (turns == NULL || add_turn == NULL)
    return 0;
  sqlite3_bind_int64 (turns, 1, their_id);
  while (source_row (m->src, turns, &failed, error))
    {
      gint64 start = sqlite3_column_int64 (turns, 2);
      gint64 end = sqlite3_column_int64 (turns, 3);
      gint64 speaker = sqlite3_column_int64 (turns, 1);

      if (start < 0 || end < start || end > characters)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       _("%s: damaged project: a turn of “%s” lies outside its text"), m->src->path, their_name);
          return 0;
        }
      sqlite3_bind_int64 (add_turn, 1, id);
      sqlite3_bind_int64 (add_turn, 2, sqlite3_column_int64 (turns, 0));
      bind_id_or_null (add_turn, 3, speaker > 0 ? idmap_get (speaker_ids, speaker) : 0);
      sqlite3_bind_int64 (add_turn, 4, start);
      sqlite3_bind_int64 (add_turn, 5, end);
      if (sqlite3_column_type (turns, 4) != SQLITE_NULL)
        sqlite3_bind_double (add_turn, 6, sqlite3_column_double (turns, 4));
      if (!our_done (m, add_turn, error))
        return 0;
      sqlite3_reset (add_turn);
      sqlite3_clear_bindings (add_turn);
    }
  if (failed)
    return 0;

  m->result->documents_added++;
  return id;
}

static gboolean
merge_codings (Merge                 *m,
               gint64                 their_doc,
               gint64                 our_doc,
               gint64                 characters,
               CwMergeConflict       *conflict,
               const char            *doc_name,
               GError               **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    source_prepare (m->src,
                    "SELECT id, guid, code_id, coder_id, start, end, created_at FROM codings"
                    " WHERE document_id = ?1 ORDER BY id",
                    error);
  gboolean failed = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, their_doc);
  while (source_row (m->src, stmt, &failed, error))
    {
      g_autoptr(sqlite3_stmt) find = NULL;
      g_autoptr(sqlite3_stmt) guid_used = NULL;
      g_autoptr(sqlite3_stmt) insert = NULL;
      g_autofree char *guid = NULL;
      gint64 their_id = sqlite3_column_int64 (stmt, 0);
      gint64 start = sqlite3_column_int64 (stmt, 4);
      gint64 end = sqlite3_column_int64 (stmt, 5);
      gint64 code, coder, existing;
      int found;

      if (conflict != NULL)
        {
          conflict->n_codings++;
          m->result->codings_skipped++;
          continue;
        }
      if (start < 0 || end <= start || end > characters)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       _("%s: damaged project: a coding of “%s” lies outside its text"), m->src->path, doc_name);
          return FALSE;
        }
      code = idmap_get (m->code_map, sqlite3_column_int64 (stmt, 2));
      if (code == 0)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       _("%s: damaged project: a coding of “%s” has no code"), m->src->path, doc_name);
          return FALSE;
        }
      coder = our_coder (m, sqlite3_column_int64 (stmt, 3), error);
      if (coder == 0)
        return FALSE;

      find = _cw_project_prepare (m->self,
                                  "SELECT id FROM codings WHERE document_id = ?1 AND code_id = ?2"
                                  " AND coder_id = ?3 AND start = ?4 AND end = ?5",
                                  error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_int64 (find, 1, our_doc);
      sqlite3_bind_int64 (find, 2, code);
      sqlite3_bind_int64 (find, 3, coder);
      sqlite3_bind_int64 (find, 4, start);
      sqlite3_bind_int64 (find, 5, end);
      found = our_lookup (m, find, &existing, error);
      if (found < 0)
        return FALSE;
      if (found > 0)
        {
          idmap_set (m->coding_map, their_id, existing);
          m->result->codings_skipped++;
          continue;
        }

      /* Their GUID when it is free, so that a later merge of the same file
       * finds this coding by it. */
      guid = lower_guid ((const char *) sqlite3_column_text (stmt, 1));
      guid_used = _cw_project_prepare (m->self, "SELECT id FROM codings WHERE guid = ?1", error);
      if (guid_used == NULL)
        return FALSE;
      sqlite3_bind_text (guid_used, 1, guid, -1, SQLITE_STATIC);
      found = our_lookup (m, guid_used, NULL, error);
      if (found < 0)
        return FALSE;
      if (found > 0)
        {
          g_free (guid);
          guid = g_uuid_string_random ();
        }

      insert = _cw_project_prepare (m->self,
                                    "INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                    error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_text (insert, 1, guid, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 2, our_doc);
      sqlite3_bind_int64 (insert, 3, code);
      sqlite3_bind_int64 (insert, 4, coder);
      sqlite3_bind_int64 (insert, 5, start);
      sqlite3_bind_int64 (insert, 6, end);
      bind_text_or_null (insert, 7, sqlite3_column_text (stmt, 6) != NULL
                                    ? (const char *) sqlite3_column_text (stmt, 6) : m->now);
      if (!our_done (m, insert, error))
        return FALSE;
      idmap_set (m->coding_map, their_id, sqlite3_last_insert_rowid (m->db));
      m->result->codings_added++;
    }
  return !failed;
}

static gboolean
merge_documents (Merge   *m,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    source_prepare (m->src,
                    "SELECT id, guid, name, kind, original_name, imported_at, text, language, media_path"
                    " FROM documents ORDER BY id",
                    error);
  gboolean failed = FALSE;

  if (stmt == NULL)
    return FALSE;
  while (source_row (m->src, stmt, &failed, error))
    {
      g_autofree char *guid = lower_guid ((const char *) sqlite3_column_text (stmt, 1));
      /* Only for progress and messages, which must be valid text. */
      g_autofree char *name = sqlite3_column_text (stmt, 2) != NULL
                              ? g_utf8_make_valid ((const char *) sqlite3_column_text (stmt, 2),
                                                   sqlite3_column_bytes (stmt, 2))
                              : NULL;
      const char *text = (const char *) sqlite3_column_text (stmt, 6);
      gsize len = sqlite3_column_bytes (stmt, 6);
      gint64 their_id = sqlite3_column_int64 (stmt, 0);
      CwMergeConflict *conflict = NULL;
      gint64 ours;
      int same;

      if (cancelled (m, error))
        return FALSE;
      if (m->progress != NULL)
        m->progress (m->done, m->total, name, m->progress_data);
      m->done++;

      if (text == NULL || !g_utf8_validate_len (text, len, NULL))
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       _("%s: damaged project: the text of a document is not valid UTF-8"), m->src->path);
          return FALSE;
        }

      ours = str_map_get (m->doc_guids, guid);
      if (ours > 0)
        {
          if ((same = same_text (m, ours, text, len, error)) < 0)
            return FALSE;
          if (!same)
            {
              g_autoptr(sqlite3_stmt) our_name =
                _cw_project_prepare (m->self, "SELECT name FROM documents WHERE id = ?1", error);

              if (our_name == NULL)
                return FALSE;
              sqlite3_bind_int64 (our_name, 1, ours);
              conflict = add_conflict (m, CW_MERGE_CONFLICT_DOCUMENT_TEXT);
              conflict->guid = g_strdup (guid);
              if (sqlite3_step (our_name) == SQLITE_ROW)
                conflict->name = column_dup (our_name, 0);
              g_hash_table_insert (m->doc_conflict, g_memdup2 (&their_id, sizeof their_id), conflict);
            }
          else
            m->result->documents_matched++;
        }
      else
        {
          g_autofree char *digest = NULL;

          if (!load_text_digests (m, error))
            return FALSE;
          digest = text_digest (text, len);
          ours = str_map_get (m->doc_texts, digest);
          if (ours > 0)
            {
              if ((same = same_text (m, ours, text, len, error)) < 0)
                return FALSE;
              if (!same)
                ours = 0; /* a SHA-256 collision: not the same after all */
            }
          if (ours > 0)
            m->result->documents_matched++;
          else if ((ours = insert_document (m, stmt, guid, text, len, error)) == 0)
            return FALSE;
        }
      idmap_set (m->doc_map, their_id, ours);

      if (!merge_codings (m, their_id, ours, g_utf8_strlen (text, len), conflict,
                          name != NULL ? name : guid, error))
        return FALSE;
    }
  return !failed;
}

/* ---- memos ---- */

static gboolean
merge_memos (Merge   *m,
             GError **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    source_prepare (m->src,
                    "SELECT guid, title, text, coalesce (author_id, 0), created_at, modified_at,"
                    " coalesce (document_id, 0), coalesce (code_id, 0), coalesce (coding_id, 0)"
                    " FROM memos ORDER BY id",
                    error);
  gboolean failed = FALSE;

  if (stmt == NULL)
    return FALSE;
  while (source_row (m->src, stmt, &failed, error))
    {
      g_autoptr(sqlite3_stmt) by_guid = NULL;
      g_autoptr(sqlite3_stmt) by_target = NULL;
      g_autoptr(sqlite3_stmt) insert = NULL;
      g_autofree char *guid = lower_guid ((const char *) sqlite3_column_text (stmt, 0));
      g_autofree char *title = NULL;
      g_autofree char *text = NULL;
      gint64 their_author = sqlite3_column_int64 (stmt, 3);
      gint64 their_doc = sqlite3_column_int64 (stmt, 6);
      gint64 their_code = sqlite3_column_int64 (stmt, 7);
      gint64 their_coding = sqlite3_column_int64 (stmt, 8);
      gint64 doc = 0, code = 0, coding = 0, author = 0;
      int found;

      if (!column_text_checked (m, stmt, 1, _("a memo's title"), &title, error) ||
          !column_text_checked (m, stmt, 2, _("a memo"), &text, error))
        return FALSE;
      if (text == NULL)
        text = g_strdup ("");

      /* A memo on a coding that was not merged (its document conflicts)
       * has nothing to sit on. */
      if (their_coding > 0 && (coding = idmap_get (m->coding_map, their_coding)) == 0)
        continue;
      if (their_code > 0 && (code = idmap_get (m->code_map, their_code)) == 0)
        continue;
      if (their_doc > 0 && (doc = idmap_get (m->doc_map, their_doc)) == 0)
        continue;

      by_guid = _cw_project_prepare (m->self, "SELECT text FROM memos WHERE lower (guid) = ?1", error);
      if (by_guid == NULL)
        return FALSE;
      sqlite3_bind_text (by_guid, 1, guid, -1, SQLITE_STATIC);
      found = sqlite3_step (by_guid);
      if (found == SQLITE_ROW)
        {
          const char *ours = (const char *) sqlite3_column_text (by_guid, 0);

          if (g_strcmp0 (ours != NULL ? ours : "", text) != 0)
            {
              CwMergeConflict *c = add_conflict (m, CW_MERGE_CONFLICT_MEMO_TEXT);

              c->guid = g_strdup (guid);
              c->name = g_strdup (title);
              c->ours = g_strdup (ours);
              c->theirs = g_strdup (text);
            }
          continue;
        }
      if (found != SQLITE_DONE)
        {
          _cw_project_set_db_error (m->self, error, _("cannot read the memos"));
          return FALSE;
        }

      by_target = _cw_project_prepare (m->self,
                                       "SELECT id FROM memos WHERE document_id IS ?1 AND code_id IS ?2"
                                       " AND coding_id IS ?3 AND text = ?4",
                                       error);
      if (by_target == NULL)
        return FALSE;
      bind_id_or_null (by_target, 1, doc);
      bind_id_or_null (by_target, 2, code);
      bind_id_or_null (by_target, 3, coding);
      sqlite3_bind_text (by_target, 4, text, -1, SQLITE_STATIC);
      if ((found = our_lookup (m, by_target, NULL, error)) < 0)
        return FALSE;
      if (found > 0)
        continue;

      if (their_author > 0 && (author = our_coder (m, their_author, error)) == 0)
        return FALSE;
      insert = _cw_project_prepare (m->self,
                                    "INSERT INTO memos (guid, title, text, author_id, created_at, modified_at,"
                                    " document_id, code_id, coding_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                    error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_text (insert, 1, guid, -1, SQLITE_STATIC);
      bind_text_or_null (insert, 2, title);
      sqlite3_bind_text (insert, 3, text, -1, SQLITE_STATIC);
      bind_id_or_null (insert, 4, author);
      bind_text_or_null (insert, 5, sqlite3_column_text (stmt, 4) != NULL
                                    ? (const char *) sqlite3_column_text (stmt, 4) : m->now);
      bind_text_or_null (insert, 6, sqlite3_column_text (stmt, 5) != NULL
                                    ? (const char *) sqlite3_column_text (stmt, 5) : m->now);
      bind_id_or_null (insert, 7, doc);
      bind_id_or_null (insert, 8, code);
      bind_id_or_null (insert, 9, coding);
      if (!our_done (m, insert, error))
        return FALSE;
      m->result->memos_added++;
    }
  return !failed;
}

/* ---- groups and the cohort tables: by GUID, then by name ---- */

/* Our row's id for (guid, then name) in table; 0 if none, -1 on error. */
static gint64
find_by_guid_or_name (Merge       *m,
                      const char  *table,
                      const char  *name_column,
                      const char  *guid,
                      const char  *name,
                      GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE lower (guid) = ?1"
                                          " UNION ALL SELECT id FROM %s WHERE %s = ?2 LIMIT 1",
                                          table, table, name_column);
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (m->self, sql, error);
  gint64 id = 0;
  int found;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  found = our_lookup (m, stmt, &id, error);
  return found < 0 ? -1 : id;
}

/* A GUID for a new row: theirs unless ours has it (on another name). */
static char *
free_guid (Merge       *m,
           const char  *table,
           const char  *guid,
           GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE lower (guid) = ?1", table);
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (m->self, sql, error);
  int found;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, guid, -1, SQLITE_STATIC);
  found = our_lookup (m, stmt, NULL, error);
  if (found < 0)
    return NULL;
  return found > 0 ? g_uuid_string_random () : g_strdup (guid);
}

static gboolean
merge_groups (Merge   *m,
              GError **error)
{
  g_autoptr(sqlite3_stmt) groups = source_prepare (m->src, "SELECT id, guid, name, description FROM document_groups", error);
  g_autoptr(sqlite3_stmt) members = NULL;
  gboolean failed = FALSE;

  if (groups == NULL)
    return FALSE;
  while (source_row (m->src, groups, &failed, error))
    {
      g_autofree char *guid = lower_guid ((const char *) sqlite3_column_text (groups, 1));
      g_autofree char *name = column_name_checked (m, groups, 2, _("a group's name"), error);
      gint64 ours;

      if (name == NULL)
        return FALSE;
      if ((ours = find_by_guid_or_name (m, "document_groups", "name", guid, name, error)) < 0)
        return FALSE;
      if (ours == 0)
        {
          g_autoptr(sqlite3_stmt) insert =
            _cw_project_prepare (m->self, "INSERT INTO document_groups (guid, name, description) VALUES (?1, ?2, ?3)", error);
          g_autofree char *stored = free_guid (m, "document_groups", guid, error);

          if (insert == NULL || stored == NULL)
            return FALSE;
          sqlite3_bind_text (insert, 1, stored, -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
          bind_text_or_null (insert, 3, (const char *) sqlite3_column_text (groups, 3));
          if (!our_done (m, insert, error))
            return FALSE;
          ours = sqlite3_last_insert_rowid (m->db);
          m->result->groups_added++;
        }
      idmap_set (m->group_map, sqlite3_column_int64 (groups, 0), ours);
    }
  if (failed)
    return FALSE;

  members = source_prepare (m->src, "SELECT group_id, document_id FROM document_group_members", error);
  if (members == NULL)
    return FALSE;
  while (source_row (m->src, members, &failed, error))
    {
      g_autoptr(sqlite3_stmt) insert = NULL;
      gint64 group = idmap_get (m->group_map, sqlite3_column_int64 (members, 0));
      gint64 doc = idmap_get (m->doc_map, sqlite3_column_int64 (members, 1));

      if (group == 0 || doc == 0)
        continue;
      insert = _cw_project_prepare (m->self,
                                    "INSERT OR IGNORE INTO document_group_members (group_id, document_id) VALUES (?1, ?2)",
                                    error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, group);
      sqlite3_bind_int64 (insert, 2, doc);
      if (!our_done (m, insert, error))
        return FALSE;
    }
  return !failed;
}

/* A value as the conflict shows it. */
static char *
value_string (sqlite3_stmt *stmt,
              int           number_column,
              int           text_column)
{
  if (sqlite3_column_type (stmt, text_column) != SQLITE_NULL)
    return column_dup (stmt, text_column);
  if (sqlite3_column_type (stmt, number_column) != SQLITE_NULL)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", sqlite3_column_double (stmt, number_column)));
    }
  return NULL;
}

static gboolean
merge_variables (Merge   *m,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = source_prepare (m->src, "SELECT id, guid, name, label, type FROM variables ORDER BY position, id", error);
  g_autoptr(sqlite3_stmt) labels = NULL;
  gboolean failed = FALSE;

  if (stmt == NULL)
    return FALSE;
  while (source_row (m->src, stmt, &failed, error))
    {
      g_autofree char *guid = lower_guid ((const char *) sqlite3_column_text (stmt, 1));
      g_autofree char *name = column_name_checked (m, stmt, 2, _("a variable's name"), error);
      const char *type = (const char *) sqlite3_column_text (stmt, 4);
      gint64 ours;

      if (name == NULL)
        return FALSE;
      if ((ours = find_by_guid_or_name (m, "variables", "name", guid, name, error)) < 0)
        return FALSE;
      if (ours > 0)
        {
          g_autoptr(sqlite3_stmt) our_type =
            _cw_project_prepare (m->self, "SELECT type, name FROM variables WHERE id = ?1", error);

          if (our_type == NULL)
            return FALSE;
          sqlite3_bind_int64 (our_type, 1, ours);
          if (sqlite3_step (our_type) == SQLITE_ROW &&
              g_strcmp0 ((const char *) sqlite3_column_text (our_type, 0), type) != 0)
            {
              CwMergeConflict *c = add_conflict (m, CW_MERGE_CONFLICT_VARIABLE_TYPE);

              c->variable = column_dup (our_type, 1);
              c->ours = column_dup (our_type, 0);
              c->theirs = g_strdup (type);
              continue; /* unmapped: its values and labels are not merged */
            }
        }
      else
        {
          g_autoptr(sqlite3_stmt) insert =
            _cw_project_prepare (m->self,
                                 "INSERT INTO variables (guid, name, label, type, position)"
                                 " VALUES (?1, ?2, ?3, ?4, (SELECT coalesce (max (position) + 1, 0) FROM variables))",
                                 error);
          g_autofree char *stored = free_guid (m, "variables", guid, error);

          if (insert == NULL || stored == NULL)
            return FALSE;
          sqlite3_bind_text (insert, 1, stored, -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 2, name, -1, SQLITE_STATIC);
          bind_text_or_null (insert, 3, (const char *) sqlite3_column_text (stmt, 3));
          bind_text_or_null (insert, 4, type);
          if (!our_done (m, insert, error))
            return FALSE;
          ours = sqlite3_last_insert_rowid (m->db);
          m->result->variables_added++;
        }
      idmap_set (m->variable_map, sqlite3_column_int64 (stmt, 0), ours);
    }
  if (failed)
    return FALSE;

  labels = source_prepare (m->src, "SELECT variable_id, value, label FROM value_labels", error);
  if (labels == NULL)
    return FALSE;
  while (source_row (m->src, labels, &failed, error))
    {
      g_autoptr(sqlite3_stmt) find = NULL;
      g_autoptr(sqlite3_stmt) insert = NULL;
      gint64 variable = idmap_get (m->variable_map, sqlite3_column_int64 (labels, 0));
      double value = sqlite3_column_double (labels, 1);
      const char *label = (const char *) sqlite3_column_text (labels, 2);

      if (variable == 0 || label == NULL)
        continue;
      find = _cw_project_prepare (m->self,
                                  "SELECT l.label, v.name FROM value_labels l JOIN variables v ON v.id = l.variable_id"
                                  " WHERE l.variable_id = ?1 AND l.value = ?2",
                                  error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_int64 (find, 1, variable);
      sqlite3_bind_double (find, 2, value);
      if (sqlite3_step (find) == SQLITE_ROW)
        {
          if (g_strcmp0 ((const char *) sqlite3_column_text (find, 0), label) != 0)
            {
              CwMergeConflict *c = add_conflict (m, CW_MERGE_CONFLICT_VALUE_LABEL);
              char buffer[G_ASCII_DTOSTR_BUF_SIZE];

              c->variable = column_dup (find, 1);
              c->name = g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", value));
              c->ours = column_dup (find, 0);
              c->theirs = g_strdup (label);
            }
          continue;
        }
      insert = _cw_project_prepare (m->self, "INSERT INTO value_labels (variable_id, value, label) VALUES (?1, ?2, ?3)", error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, variable);
      sqlite3_bind_double (insert, 2, value);
      sqlite3_bind_text (insert, 3, label, -1, SQLITE_STATIC);
      if (!our_done (m, insert, error))
        return FALSE;
    }
  return !failed;
}

static gboolean
merge_cases (Merge   *m,
             GError **error)
{
  g_autoptr(sqlite3_stmt) cases = source_prepare (m->src, "SELECT id, guid, identifier FROM cases ORDER BY id", error);
  g_autoptr(sqlite3_stmt) values = NULL;
  g_autoptr(sqlite3_stmt) links = NULL;
  gboolean failed = FALSE;

  if (cases == NULL)
    return FALSE;
  while (source_row (m->src, cases, &failed, error))
    {
      g_autofree char *guid = lower_guid ((const char *) sqlite3_column_text (cases, 1));
      g_autofree char *identifier = column_name_checked (m, cases, 2, _("a case identifier"), error);
      gint64 ours;

      if (identifier == NULL)
        return FALSE;
      if ((ours = find_by_guid_or_name (m, "cases", "identifier", guid, identifier, error)) < 0)
        return FALSE;
      if (ours == 0)
        {
          g_autoptr(sqlite3_stmt) insert =
            _cw_project_prepare (m->self, "INSERT INTO cases (guid, identifier) VALUES (?1, ?2)", error);
          g_autofree char *stored = free_guid (m, "cases", guid, error);

          if (insert == NULL || stored == NULL)
            return FALSE;
          sqlite3_bind_text (insert, 1, stored, -1, SQLITE_STATIC);
          sqlite3_bind_text (insert, 2, identifier, -1, SQLITE_STATIC);
          if (!our_done (m, insert, error))
            return FALSE;
          ours = sqlite3_last_insert_rowid (m->db);
          m->result->cases_added++;
        }
      idmap_set (m->case_map, sqlite3_column_int64 (cases, 0), ours);
    }
  if (failed)
    return FALSE;

  values = source_prepare (m->src, "SELECT case_id, variable_id, number, text FROM case_values", error);
  if (values == NULL)
    return FALSE;
  while (source_row (m->src, values, &failed, error))
    {
      g_autoptr(sqlite3_stmt) find = NULL;
      g_autoptr(sqlite3_stmt) set = NULL;
      gint64 kase = idmap_get (m->case_map, sqlite3_column_int64 (values, 0));
      gint64 variable = idmap_get (m->variable_map, sqlite3_column_int64 (values, 1));
      gboolean has_number = sqlite3_column_type (values, 2) != SQLITE_NULL;
      gboolean has_text = sqlite3_column_type (values, 3) != SQLITE_NULL;
      const char *text = (const char *) sqlite3_column_text (values, 3);
      double number = sqlite3_column_double (values, 2);

      if (kase == 0 || variable == 0 || (!has_number && !has_text))
        continue;
      if (has_text && !g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_A_PROJECT,
                       _("%s: damaged project: a case value is not valid text"), m->src->path);
          return FALSE;
        }
      find = _cw_project_prepare (m->self,
                                  "SELECT cv.number, cv.text, c.identifier, v.name FROM case_values cv"
                                  " JOIN cases c ON c.id = cv.case_id JOIN variables v ON v.id = cv.variable_id"
                                  " WHERE cv.case_id = ?1 AND cv.variable_id = ?2"
                                  " AND (cv.number IS NOT NULL OR cv.text IS NOT NULL)",
                                  error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_int64 (find, 1, kase);
      sqlite3_bind_int64 (find, 2, variable);
      if (sqlite3_step (find) == SQLITE_ROW)
        {
          gboolean same = (sqlite3_column_type (find, 0) != SQLITE_NULL) == has_number &&
                          (!has_number || sqlite3_column_double (find, 0) == number) &&
                          (sqlite3_column_type (find, 1) != SQLITE_NULL) == has_text &&
                          (!has_text || g_strcmp0 ((const char *) sqlite3_column_text (find, 1), text) == 0);

          if (!same)
            {
              CwMergeConflict *c = add_conflict (m, CW_MERGE_CONFLICT_CASE_VALUE);

              c->name = column_dup (find, 2);
              c->variable = column_dup (find, 3);
              c->ours = value_string (find, 0, 1);
              c->theirs = value_string (values, 2, 3);
            }
          continue;
        }

      /* A missing value here is filled in; that overwrites nothing. */
      set = _cw_project_prepare (m->self,
                                 "INSERT INTO case_values (case_id, variable_id, number, text) VALUES (?1, ?2, ?3, ?4)"
                                 " ON CONFLICT (case_id, variable_id) DO UPDATE SET number = excluded.number,"
                                 " text = excluded.text",
                                 error);
      if (set == NULL)
        return FALSE;
      sqlite3_bind_int64 (set, 1, kase);
      sqlite3_bind_int64 (set, 2, variable);
      if (has_number)
        sqlite3_bind_double (set, 3, number);
      bind_text_or_null (set, 4, has_text ? text : NULL);
      if (!our_done (m, set, error))
        return FALSE;
      m->result->case_values_added++;
    }
  if (failed)
    return FALSE;

  links = source_prepare (m->src,
                          "SELECT l.case_id, l.document_id, s.name, c.identifier, d.name FROM case_links l"
                          " JOIN cases c ON c.id = l.case_id JOIN documents d ON d.id = l.document_id"
                          " LEFT JOIN speakers s ON s.id = l.speaker_id ORDER BY l.id",
                          error);
  if (links == NULL)
    return FALSE;
  while (source_row (m->src, links, &failed, error))
    {
      g_autoptr(sqlite3_stmt) find = NULL;
      g_autoptr(sqlite3_stmt) insert = NULL;
      gint64 kase = idmap_get (m->case_map, sqlite3_column_int64 (links, 0));
      gint64 doc = idmap_get (m->doc_map, sqlite3_column_int64 (links, 1));
      const char *speaker_name = (const char *) sqlite3_column_text (links, 2);
      gint64 speaker = 0;
      int found;

      if (kase == 0 || doc == 0)
        continue;
      if (speaker_name != NULL)
        {
          g_autoptr(sqlite3_stmt) our_speaker =
            _cw_project_prepare (m->self, "SELECT id FROM speakers WHERE document_id = ?1 AND name = ?2", error);

          if (our_speaker == NULL)
            return FALSE;
          sqlite3_bind_int64 (our_speaker, 1, doc);
          sqlite3_bind_text (our_speaker, 2, speaker_name, -1, SQLITE_STATIC);
          if ((found = our_lookup (m, our_speaker, &speaker, error)) < 0)
            return FALSE;
          if (found == 0)
            {
              CwMergeConflict *c = add_conflict (m, CW_MERGE_CONFLICT_CASE_LINK);
              g_autoptr(sqlite3_stmt) doc_name =
                _cw_project_prepare (m->self, "SELECT name FROM documents WHERE id = ?1", error);

              c->name = column_dup (links, 3);
              c->theirs = g_strdup (speaker_name);
              if (doc_name == NULL)
                return FALSE;
              sqlite3_bind_int64 (doc_name, 1, doc);
              if (sqlite3_step (doc_name) == SQLITE_ROW)
                c->document = column_dup (doc_name, 0);
              continue;
            }
        }
      /* speaker_id IS ?3: NULLs are distinct in a UNIQUE constraint.
       * REFI has no speakers: the exporter turns a link to a speaker into
       * one to the whole document, so from a .qdpx that is present when
       * the case is linked to the document at all. */
      find = _cw_project_prepare (m->self,
                                  m->src->refi && speaker == 0
                                  ? "SELECT id FROM case_links WHERE case_id = ?1 AND document_id = ?2"
                                  : "SELECT id FROM case_links WHERE case_id = ?1 AND document_id = ?2 AND speaker_id IS ?3",
                                  error);
      if (find == NULL)
        return FALSE;
      sqlite3_bind_int64 (find, 1, kase);
      sqlite3_bind_int64 (find, 2, doc);
      if (!m->src->refi || speaker != 0)
        bind_id_or_null (find, 3, speaker);
      if ((found = our_lookup (m, find, NULL, error)) < 0)
        return FALSE;
      if (found > 0)
        continue;
      insert = _cw_project_prepare (m->self,
                                    "INSERT INTO case_links (case_id, document_id, speaker_id) VALUES (?1, ?2, ?3)",
                                    error);
      if (insert == NULL)
        return FALSE;
      sqlite3_bind_int64 (insert, 1, kase);
      sqlite3_bind_int64 (insert, 2, doc);
      bind_id_or_null (insert, 3, speaker);
      if (!our_done (m, insert, error))
        return FALSE;
      m->result->case_links_added++;
    }
  return !failed;
}

static gint64
max_coding_id (Merge   *m,
               GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (m->self, "SELECT coalesce (max (id), 0) FROM codings", error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (m->self, error, _("cannot read the codings"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* The documents with their codings, the bulk of a merge. Recording every
 * new coding as its own undo statement made undoing 20,000 of them take
 * seconds; new rows get consecutive ids, so one statement takes them all
 * back. Codes are recorded before and memos after, so undo still runs in
 * the right order. */
static gboolean
merge_documents_recorded_once (Merge   *m,
                               GError **error)
{
  g_autofree char *undo = NULL;
  gint64 step, before, after;

  if ((before = max_coding_id (m, error)) < 0 ||
      (step = _cw_history_pause (m->self, error)) < 0 ||
      !merge_documents (m, error) ||
      (after = max_coding_id (m, error)) < 0)
    return FALSE;
  if (after > before)
    undo = g_strdup_printf ("DELETE FROM codings WHERE id > %" G_GINT64_FORMAT " AND id <= %" G_GINT64_FORMAT,
                            before, after);
  return _cw_history_resume (m->self, step, undo, error);
}

static gboolean
merge_file (Merge   *m,
            Source  *src,
            GError **error)
{
  gboolean ok;

  merge_begin_file (m, src);
  ok = load_their_coders (m, error) &&
       merge_codes (m, error) &&
       merge_documents_recorded_once (m, error) &&
       merge_memos (m, error) &&
       merge_groups (m, error) &&
       merge_variables (m, error) &&
       merge_cases (m, error) &&
       !cancelled (m, error);
  merge_clear_file (m);
  return ok;
}

/* ---- undo of what the history does not track ---- */

static void
append_ids (GString    *sql,
            const char *table,
            GArray     *ids)
{
  if (ids->len == 0)
    return;
  g_string_append_printf (sql, "DELETE FROM %s WHERE id IN (", table);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (sql, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (ids, gint64, i));
  g_string_append (sql, ");");
}

/* The first row of the step, run last on undo: set now, filled in (or
 * dropped) at the end. Returns its id, 0 when there is no step, -1 on
 * error. */
static gint64
reserve_undo_row (Merge   *m,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 step = _cw_history_pause (m->self, error);

  if (step < 0)
    return -1;
  if (step == 0)
    return 0;
  if (!_cw_history_resume (m->self, step, "SELECT 1", error))
    return -1;
  stmt = _cw_project_prepare (m->self, "SELECT max (id) FROM history WHERE step_id = ?1", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, step);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _cw_project_set_db_error (m->self, error, _("cannot read the history"));
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
finish_undo_row (Merge   *m,
                 gint64   row,
                 GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);

  if (row <= 0)
    return TRUE;
  if (m->new_documents->len == 0 && m->new_coders->len == 0)
    {
      stmt = _cw_project_prepare (m->self, "DELETE FROM history WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, row);
      return our_done (m, stmt, error);
    }

  /* Documents first: deleting them cascades to speakers and turns (and
   * the index), and nothing merged refers to the coders after that. The
   * redo step that undo is recording could not put the documents back,
   * so it goes. */
  append_ids (sql, "documents", m->new_documents);
  append_ids (sql, "coders", m->new_coders);
  g_string_append (sql, "DELETE FROM history_steps WHERE id = (SELECT recording FROM history_state WHERE id = 1);");
  stmt = _cw_project_prepare (m->self, "UPDATE history SET sql = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row);
  sqlite3_bind_text (stmt, 2, sql->str, -1, SQLITE_STATIC);
  return our_done (m, stmt, error);
}

/* ---- the public function ---- */

CwMergeResult *
cw_project_merge (CwProject           *self,
                  const char * const  *paths,
                  CwProgressFunc       progress,
                  gpointer             progress_data,
                  GCancellable        *cancellable,
                  GError             **error)
{
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) source_free);
  g_autofree char *label = NULL;
  Merge m = { 0 };
  guint n_paths;
  gint64 undo_row;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (paths != NULL && paths[0] != NULL, NULL);

  n_paths = g_strv_length ((char **) paths);
  result = merge_result_new (paths);

  /* Open (and import) every file before taking the write lock: a bad file
   * is refused before anything starts, and a long .qdpx import does not
   * block other writers. */
  for (guint i = 0; i < n_paths; i++)
    {
      Source *src;
      g_autofree char *basename = g_path_get_basename (paths[i]);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (progress != NULL)
        progress (i, n_paths, basename, progress_data);
      src = source_open (paths[i], result->warnings, cancellable, error);
      if (src == NULL)
        return NULL;
      g_ptr_array_add (sources, src);
      m.total += src->n_documents;
    }

  if (n_paths == 1)
    {
      g_autofree char *basename = g_path_get_basename (paths[0]);
      label = g_strdup_printf (_("Merge “%s”"), basename);
    }
  else
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Merge %u project", "Merge %u projects", n_paths),
                             n_paths);

  m.self = self;
  m.db = _cw_project_get_db (self);
  m.result = result;
  m.cancellable = cancellable;
  m.progress = progress;
  m.progress_data = progress_data;
  m.new_documents = g_array_new (FALSE, FALSE, sizeof (gint64));
  m.new_coders = g_array_new (FALSE, FALSE, sizeof (gint64));
  m.now = _cw_now_iso8601 ();

  if (!_cw_project_begin_step (self, label, error))
    {
      merge_clear (&m);
      return NULL;
    }
  if ((undo_row = reserve_undo_row (&m, error)) < 0 || !load_ours (&m, error))
    goto failed;

  for (guint i = 0; i < sources->len; i++)
    if (!merge_file (&m, g_ptr_array_index (sources, i), error))
      goto failed;

  if ((m.first_new_document > 0 && !_cw_project_index_new_documents (self, m.first_new_document, error)) ||
      !finish_undo_row (&m, undo_row, error) ||
      g_cancellable_set_error_if_cancelled (cancellable, error) ||
      !_cw_project_end_step (self, error))
    goto failed;

  merge_clear (&m);
  if (progress != NULL)
    progress (m.total, m.total, NULL, progress_data);
  return g_steal_pointer (&result);

failed:
  _cw_project_abort_step (self);
  merge_clear (&m);
  return NULL;
}

/* ---- off the main thread ---- */

typedef struct
{
  char           *project_path;
  GStrv           paths;
  CwProgressFunc  progress;
  gpointer        progress_data;
  GMainContext   *context;
} MergeTask;

static void
merge_task_free (MergeTask *task)
{
  g_free (task->project_path);
  g_strfreev (task->paths);
  g_clear_pointer (&task->context, g_main_context_unref);
  g_free (task);
}

typedef struct
{
  CwProgressFunc  func;
  gpointer        user_data;
  guint           done;
  guint           total;
  char           *current;
} ProgressReport;

static gboolean
deliver_progress (gpointer user_data)
{
  ProgressReport *report = user_data;

  report->func (report->done, report->total, report->current, report->user_data);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (ProgressReport *report)
{
  g_free (report->current);
  g_free (report);
}

static void
forward_progress (guint       done,
                  guint       total,
                  const char *current,
                  gpointer    user_data)
{
  MergeTask *task = user_data;
  ProgressReport *report = g_new0 (ProgressReport, 1);

  report->func = task->progress;
  report->user_data = task->progress_data;
  report->done = done;
  report->total = total;
  report->current = g_strdup (current);
  g_main_context_invoke_full (task->context, G_PRIORITY_DEFAULT, deliver_progress, report,
                              (GDestroyNotify) progress_report_free);
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MergeTask *data = task_data;
  g_autoptr(CwProject) project = NULL;
  CwMergeResult *result = NULL;
  GError *error = NULL;

  /* A connection of its own: no statement crosses threads. */
  project = cw_project_open (data->project_path, &error);
  if (project != NULL)
    result = cw_project_merge (project, (const char * const *) data->paths,
                               data->progress != NULL ? forward_progress : NULL, data,
                               cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) cw_merge_result_free);
}

void
cw_project_merge_async (CwProject           *self,
                        const char * const  *paths,
                        CwProgressFunc       progress,
                        gpointer             progress_data,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  MergeTask *data;

  g_return_if_fail (CW_IS_PROJECT (self));
  g_return_if_fail (paths != NULL && paths[0] != NULL);

  data = g_new0 (MergeTask, 1);
  data->project_path = g_strdup (cw_project_get_path (self));
  data->paths = g_strdupv ((char **) paths);
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cw_project_merge_async);
  g_task_set_task_data (task, data, (GDestroyNotify) merge_task_free);
  g_task_run_in_thread (task, merge_thread);
}

CwMergeResult *
cw_project_merge_finish (CwProject     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  CwMergeResult *merged;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cw_project_merge_async, NULL);

  merged = g_task_propagate_pointer (G_TASK (result), error);
  /* The worker's connection signalled nobody; this object's users want to
   * know. */
  if (merged != NULL)
    _cw_project_emit_changed (self);
  return merged;
}
