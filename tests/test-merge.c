/* Merging coders' copies of a project (cw-merge.h): two copies of one base
 * project, coded differently by Anna (A) and Bram (B), merged B -> A. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-merge.h"
#include "cw-refi.h"
#include "cw-test-util.h"

/* Code points: "Interviewer: " 0-13, ...; Kevin's answer starts at 53. */
static const char interview_text[] =
  "Interviewer: Hoe ging je stage bij de bakker?\n"
  "Kevin: Die stage is mislukt. Ik kwam steeds te laat en de jobcoach belde niet.\n"
  "Interviewer: En nu?\n"
  "Kevin: Nu werk ik bij een hovenier, dat gaat goed.\n";

static const char emoji_text[] =
  "Dewi: 😀😀 Stage is leuk 👍🏽 en op tijd komen is moeilijk.\n";

static const char extra_text[] =
  "Interviewer: Wat doe je nu?\n"
  "Soufiane: Ik zit op de entreeopleiding 🎓 in Tilburg, de werkplaats bevalt me.\n";

typedef struct
{
  char   *dir;
  char   *base;
  char   *a;
  char   *b;
  gint64  doc;    /* interview.txt (the same id in every copy) */
  gint64  doc2;   /* emoji.txt */
  gint64  stage;  /* Stage/Mislukt */
  gint64  werk;   /* Werk */
  gint64  memo;   /* a memo on interview.txt */
} Fixture;

static gint64
offset_of (const char *text,
           const char *needle)
{
  const char *at = strstr (text, needle);

  g_assert_nonnull (at);
  return g_utf8_pointer_to_offset (text, at);
}

static CwProject *
open_project (const char *path)
{
  g_autoptr(GError) error = NULL;
  CwProject *project = cw_project_open (path, &error);

  g_assert_no_error (error);
  return project;
}

/* Codes the first occurrence of needle in text. */
static gint64
code_text (CwProject  *project,
           gint64      doc,
           const char *text,
           gint64      code,
           const char *needle,
           const char *coder)
{
  g_autoptr(GError) error = NULL;
  gint64 start = offset_of (text, needle);
  gint64 id = cw_project_add_coding (project, doc, code, start, start + g_utf8_strlen (needle, -1),
                                     coder, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, len, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCasesImportResult) cases = NULL;
  g_autofree char *csv = NULL;
  CwProject *base;
  gint64 group, kase;

  f->dir = cw_test_make_dir ();
  f->base = g_build_filename (f->dir, "base.codewerk", NULL);
  f->a = g_build_filename (f->dir, "anna.codewerk", NULL);
  f->b = g_build_filename (f->dir, "bram.codewerk", NULL);

  base = cw_project_create (f->base, "Schoolverlaters", &error);
  g_assert_no_error (error);
  g_ptr_array_add (files, cw_test_write_file (f->dir, "interview.txt", interview_text));
  g_ptr_array_add (files, cw_test_write_file (f->dir, "emoji.txt", emoji_text));
  ids = cw_project_import (base, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  f->doc = g_array_index (ids, gint64, 0);
  f->doc2 = g_array_index (ids, gint64, 1);
  f->stage = cw_project_add_code (base, "Stage/Mislukt", "#e15759", NULL, &error);
  g_assert_no_error (error);
  f->werk = cw_project_add_code (base, "Werk", "#59a14f", NULL, &error);
  g_assert_no_error (error);
  /* Coded before the copies were made: both copies have it. */
  code_text (base, f->doc, interview_text, f->stage, "Die stage is mislukt", "Codeur");
  f->memo = cw_project_add_memo (base, CW_MEMO_DOCUMENT, f->doc, "Eerste indruk", "Kevin twijfelt.", NULL, &error);
  g_assert_no_error (error);
  group = cw_project_add_group (base, "Cohort 2023", &error);
  g_assert_no_error (error);
  cw_project_group_add_document (base, group, f->doc, &error);
  g_assert_no_error (error);

  csv = g_build_filename (f->dir, "cohort.csv", NULL);
  g_file_set_contents (csv, "id;leeftijd;school\nP01;19;Koning Willem I\nP02;17;ROC Tilburg\n", -1, &error);
  g_assert_no_error (error);
  cases = cw_project_import_cases (base, csv, "id", NULL, &error);
  g_assert_no_error (error);
  kase = cw_project_lookup_case (base, "P01", &error);
  g_assert_no_error (error);
  cw_project_link_case (base, kase, f->doc, "Kevin", &error);
  g_assert_no_error (error);

  g_assert_finalize_object (base);
  copy_file (f->base, f->a);
  copy_file (f->base, f->b);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cw_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->base);
  g_free (f->a);
  g_free (f->b);
}

/* Bram's work in his copy: two codings on interview.txt, one on the emoji
 * document, one the same as Anna's. Returns how many. */
static guint
code_as_bram (Fixture *f)
{
  CwProject *b = open_project (f->b);

  code_text (b, f->doc, interview_text, f->stage, "Ik kwam steeds te laat", "Bram");
  code_text (b, f->doc, interview_text, f->werk, "Nu werk ik bij een hovenier", "Bram");
  code_text (b, f->doc2, emoji_text, f->stage, "😀😀 Stage", "Bram");
  code_text (b, f->doc2, emoji_text, f->werk, "op tijd komen", "Bram");
  g_assert_finalize_object (b);
  return 4;
}

static void
code_as_anna (Fixture *f)
{
  CwProject *a = open_project (f->a);

  code_text (a, f->doc, interview_text, f->stage, "Die stage is mislukt", "Anna");
  code_text (a, f->doc2, emoji_text, f->werk, "op tijd komen", "Anna");
  g_assert_finalize_object (a);
}

static CwMergeResult *
merge (const char *into,
       const char *other)
{
  g_autoptr(GError) error = NULL;
  const char *paths[] = { other, NULL };
  CwProject *project = open_project (into);
  CwMergeResult *result = cw_project_merge (project, paths, NULL, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_finalize_object (project);
  return result;
}

/* What a user sees of a project, independent of row ids: documents,
 * turns, codes by path, codings by document, code, coder and range,
 * memos, groups and the cohort tables. */
static char *
semantic_dump (const char *path)
{
  static const char *const queries[] = {
    "SELECT guid, name, kind, text, characters FROM documents ORDER BY guid",
    "SELECT d.guid, t.idx, s.name, t.start, t.end FROM turns t JOIN documents d ON d.id = t.document_id"
    " LEFT JOIN speakers s ON s.id = t.speaker_id ORDER BY 1, 2",
    "WITH RECURSIVE p (id, path) AS (SELECT id, name FROM codes WHERE parent_id IS NULL"
    " UNION ALL SELECT c.id, p.path || '/' || c.name FROM codes c JOIN p ON c.parent_id = p.id)"
    " SELECT p.path, c.guid, c.codable FROM p JOIN codes c ON c.id = p.id ORDER BY 1",
    "WITH RECURSIVE p (id, path) AS (SELECT id, name FROM codes WHERE parent_id IS NULL"
    " UNION ALL SELECT c.id, p.path || '/' || c.name FROM codes c JOIN p ON c.parent_id = p.id)"
    " SELECT d.guid, p.path, r.name, x.start, x.end FROM codings x JOIN documents d ON d.id = x.document_id"
    " JOIN p ON p.id = x.code_id JOIN coders r ON r.id = x.coder_id ORDER BY 1, 2, 3, 4, 5",
    "SELECT guid, title, text FROM memos ORDER BY guid",
    "SELECT g.name, d.guid FROM document_group_members m JOIN document_groups g ON g.id = m.group_id"
    " JOIN documents d ON d.id = m.document_id ORDER BY 1, 2",
    "SELECT c.identifier, v.name, cv.number, cv.text FROM case_values cv JOIN cases c ON c.id = cv.case_id"
    " JOIN variables v ON v.id = cv.variable_id ORDER BY 1, 2",
    "SELECT c.identifier, d.guid, s.name FROM case_links l JOIN cases c ON c.id = l.case_id"
    " JOIN documents d ON d.id = l.document_id LEFT JOIN speakers s ON s.id = l.speaker_id ORDER BY 1, 2, 3",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[i], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *v = (const char *) sqlite3_column_text (stmt, c);
              g_string_append_printf (out, " [%s]", v != NULL ? v : "NULL");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_finalize (stmt);
      g_string_append (out, "--\n");
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* The whole file's rows but the full-text index's internals, which an
 * insert followed by a delete leaves different though equivalent. */
static char *
dump_without_index (const char *path)
{
  g_autofree char *dump = cw_test_dump (path);
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "document_index"))
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}

static gint64
sql_int (const char *path,
         const char *sql)
{
  sqlite3 *db;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  n = cw_test_sql_int (db, sql);
  sqlite3_close (db);
  return n;
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static GVariant *
result_json (const CwMergeResult *result)
{
  CwJson *json = cw_json_new ();
  g_autofree char *text = NULL;

  cw_merge_result_write_json (result, json);
  text = cw_json_free_to_string (json);
  return cw_test_parse_json (text);
}

/* ---- tests ---- */

static void
test_two_coders (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *b_before = NULL;
  g_autofree char *b_after = NULL;
  g_auto(GStrv) coders = NULL;
  const char *keys[] = { "documents", "codes", "codings_added", "codings_skipped" };
  guint bram = 0, anna = 0, codeur = 0;
  gsize len;
  CwProject *a;

  guint n = code_as_bram (f);
  code_as_anna (f);
  g_file_get_contents (f->b, &b_before, &len, &error);
  g_assert_no_error (error);

  result = merge (f->a, f->b);
  g_assert_cmpuint (result->documents_added, ==, 0);
  g_assert_cmpuint (result->documents_matched, ==, 2);
  g_assert_cmpuint (result->codes_added, ==, 0);
  g_assert_cmpuint (result->codes_matched, ==, 3); /* Stage, Stage/Mislukt, Werk */
  g_assert_cmpuint (result->codings_added, ==, n);
  g_assert_cmpuint (result->codings_skipped, ==, 1); /* the base coding both copies have */
  g_assert_cmpuint (result->coders_added, ==, 1);
  g_assert_cmpuint (result->memos_added, ==, 0);
  g_assert_cmpuint (result->conflicts->len, ==, 0);

  /* The JSON: the CLI contract's keys, first. */
  {
    CwJson *writer = cw_json_new ();
    g_autofree char *text = NULL;

    cw_merge_result_write_json (result, writer);
    text = cw_json_free_to_string (writer);
    g_assert_true (g_str_has_prefix (text, "{\"documents\":0,\"codes\":0,\"codings_added\":4,\"codings_skipped\":1,"));
  }
  json = result_json (result);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GVariant) value = cw_test_json_get (json, keys[i]);
      g_assert_nonnull (value);
    }
  g_assert_cmpint (cw_test_json_int (json, "documents"), ==, 0);
  g_assert_cmpint (cw_test_json_int (json, "codings_added"), ==, n);
  g_assert_cmpint (cw_test_json_int (json, "codings_skipped"), ==, 1);
  g_assert_cmpint (cw_test_json_int (json, "documents_matched"), ==, 2);
  files = cw_test_json_get (json, "files");
  g_assert_cmpuint (g_variant_n_children (files), ==, 1);

  /* Both coders' codings, Anna's untouched; the other file unchanged. */
  a = open_project (f->a);
  coders = cw_project_list_coders (a, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) coders, "Anna"));
  g_assert_true (g_strv_contains ((const char * const *) coders, "Bram"));
  codings = cw_project_list_document_codings (a, f->doc2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *c = g_ptr_array_index (codings, i);

      if (g_str_equal (c->coder, "Bram"))
        bram++;
      else if (g_str_equal (c->coder, "Anna"))
        anna++;
      if (g_str_equal (c->coder, "Bram") && g_str_equal (c->code, "Stage/Mislukt"))
        {
          g_autofree char *text = cw_project_get_text (a, f->doc2, NULL);
          /* Offsets are code points: the emoji count one each. */
          cw_test_assert_substring (text, c->start, c->end, "😀😀 Stage");
          g_assert_cmpint (c->start, ==, 6);
        }
    }
  g_assert_cmpuint (bram, ==, 2);
  g_assert_cmpuint (anna, ==, 1);
  g_clear_pointer (&codings, g_ptr_array_unref);
  codings = cw_project_list_document_codings (a, f->doc, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < codings->len; i++)
    if (g_str_equal (((CwCoding *) g_ptr_array_index (codings, i))->coder, "Codeur"))
      codeur++;
  g_assert_cmpuint (codeur, ==, 1);
  g_assert_cmpuint (codings->len, ==, 4); /* Codeur, Anna, Bram x2 */
  g_assert_finalize_object (a);

  g_file_get_contents (f->b, &b_after, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b_before, ==, b_after);
}

static void
test_idempotent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CwMergeResult) first = NULL;
  g_autoptr(CwMergeResult) second = NULL;
  g_autoptr(CwMergeResult) third = NULL;
  g_autofree char *after_first = NULL;
  g_autofree char *after_second = NULL;
  g_autofree char *after_third = NULL;
  CwProject *b;
  g_autoptr(GError) error = NULL;
  gint64 extra;

  code_as_bram (f);
  /* A new document and code in B too, so the second merge has to match
   * what the first added. */
  b = open_project (f->b);
  {
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(GArray) ids = NULL;
    gint64 code;

    g_ptr_array_add (files, cw_test_write_file (f->dir, "extra.txt", extra_text));
    ids = cw_project_import (b, files, -1, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    extra = g_array_index (ids, gint64, 0);
    code = cw_project_add_code (b, "Opleiding/Entree", NULL, NULL, &error);
    g_assert_no_error (error);
    code_text (b, extra, extra_text, code, "entreeopleiding 🎓", "Bram");
    cw_project_add_memo (b, CW_MEMO_CODE, code, NULL, "Nieuwe code van Bram", "Bram", &error);
    g_assert_no_error (error);
  }
  g_assert_finalize_object (b);

  first = merge (f->a, f->b);
  g_assert_cmpuint (first->documents_added, ==, 1);
  g_assert_cmpuint (first->codes_added, ==, 2);
  g_assert_cmpuint (first->codings_added, ==, 5);
  g_assert_cmpuint (first->memos_added, ==, 1);
  after_first = cw_test_dump (f->a);

  second = merge (f->a, f->b);
  g_assert_cmpuint (second->documents_added, ==, 0);
  g_assert_cmpuint (second->documents_matched, ==, 3);
  g_assert_cmpuint (second->codes_added, ==, 0);
  g_assert_cmpuint (second->codings_added, ==, 0);
  g_assert_cmpuint (second->codings_skipped, ==, 6);
  g_assert_cmpuint (second->memos_added, ==, 0);
  g_assert_cmpuint (second->coders_added, ==, 0);
  g_assert_cmpuint (second->groups_added + second->cases_added + second->variables_added +
                    second->case_values_added + second->case_links_added, ==, 0);
  g_assert_cmpuint (second->conflicts->len, ==, 0);
  after_second = cw_test_dump (f->a);
  /* Not a row changed, the history included. */
  g_assert_cmpstr (after_first, ==, after_second);

  /* A project merged into itself gains nothing either. */
  third = merge (f->a, f->a);
  g_assert_cmpuint (third->codings_added + third->documents_added + third->codes_added, ==, 0);
  after_third = cw_test_dump (f->a);
  g_assert_cmpstr (after_first, ==, after_third);
}

static void
test_code_renamed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) conflicts = NULL;
  g_autoptr(GVariant) conflict = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCode) werk = NULL;
  g_autofree char *guid = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *sql = NULL;
  CwMergeConflict *c;
  CwProject *project;
  gint64 arbeid;

  /* B renames Werk to Arbeid and moves Mislukt to the top level. */
  project = open_project (f->b);
  cw_project_rename_code (project, f->werk, "Arbeid", &error);
  g_assert_no_error (error);
  cw_project_move_code (project, f->stage, 0, -1, &error);
  g_assert_no_error (error);
  code_text (project, f->doc, interview_text, f->werk, "Nu werk ik bij een hovenier", "Bram");
  werk = cw_project_get_code (project, f->werk, &error);
  g_assert_no_error (error);
  guid = g_strdup (werk->guid);
  g_assert_finalize_object (project);

  result = merge (f->a, f->b);
  g_assert_cmpuint (result->conflicts->len, ==, 2);
  g_assert_cmpuint (result->codes_added, ==, 0);
  g_assert_cmpuint (result->codings_added, ==, 1);
  /* In B all three are top-level codes now, taken in id order. */
  c = g_ptr_array_index (result->conflicts, 0);
  g_assert_cmpint (c->kind, ==, CW_MERGE_CONFLICT_CODE_RENAMED);
  g_assert_cmpstr (c->ours, ==, "Stage/Mislukt");
  g_assert_cmpstr (c->theirs, ==, "Mislukt");
  c = g_ptr_array_index (result->conflicts, 1);
  g_assert_cmpint (c->kind, ==, CW_MERGE_CONFLICT_CODE_RENAMED);
  g_assert_cmpstr (c->ours, ==, "Werk");
  g_assert_cmpstr (c->theirs, ==, "Arbeid");
  g_assert_cmpstr (c->guid, ==, guid);
  g_assert_cmpstr (c->file, ==, f->b);
  sentence = cw_merge_conflict_describe (c);
  g_assert_nonnull (strstr (sentence, "“Arbeid”"));
  g_assert_nonnull (strstr (sentence, "bram.codewerk"));

  json = result_json (result);
  conflicts = cw_test_json_get (json, "conflicts");
  g_assert_cmpuint (g_variant_n_children (conflicts), ==, 2);
  conflict = cw_test_json_at (conflicts, 1);
  g_assert_cmpstr (cw_test_json_str (conflict, "kind"), ==, "code-renamed");
  g_assert_cmpstr (cw_test_json_str (conflict, "guid"), ==, guid);
  g_assert_cmpstr (cw_test_json_str (conflict, "ours"), ==, "Werk");
  g_assert_cmpstr (cw_test_json_str (conflict, "theirs"), ==, "Arbeid");
  g_assert_cmpstr (cw_test_json_str (conflict, "file"), ==, f->b);

  /* Nothing renamed or moved here; Bram's coding is on our Werk. */
  project = open_project (f->a);
  g_assert_cmpint (cw_project_lookup_code (project, "Werk", &error), ==, f->werk);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_lookup_code (project, "Stage/Mislukt", &error), ==, f->stage);
  g_assert_no_error (error);
  arbeid = cw_project_lookup_code (project, "Arbeid", &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_cmpint (arbeid, ==, 0);
  g_assert_finalize_object (project);
  sql = g_strdup_printf ("SELECT count(*) FROM codings x JOIN coders c ON c.id = x.coder_id"
                         " WHERE c.name = 'Bram' AND x.code_id = %" G_GINT64_FORMAT, f->werk);
  g_assert_cmpint (sql_int (f->a, sql), ==, 1);
}

static void
test_document_text (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) conflict = NULL;
  g_autoptr(GVariant) conflicts = NULL;
  g_autofree char *before = NULL;
  g_autofree char *text = NULL;
  g_autofree char *sql = NULL;
  CwMergeConflict *c;
  CwProject *a;

  code_as_bram (f);
  /* Bram's copy of interview.txt got a typo fixed (there is no text editing
   * in Codewerk, but another tool or an old version may have). */
  sql_exec (f->b, "UPDATE documents SET text = replace (text, 'bakker', 'bakkerij'),"
                  " characters = characters + 2 WHERE name = 'interview.txt'");
  a = open_project (f->a);
  before = cw_project_get_text (a, f->doc, NULL);
  g_assert_finalize_object (a);

  result = merge (f->a, f->b);
  g_assert_cmpuint (result->conflicts->len, ==, 1);
  c = g_ptr_array_index (result->conflicts, 0);
  g_assert_cmpint (c->kind, ==, CW_MERGE_CONFLICT_DOCUMENT_TEXT);
  g_assert_cmpstr (c->name, ==, "interview.txt");
  g_assert_cmpuint (c->n_codings, ==, 3); /* the base coding and Bram's two */
  g_assert_cmpuint (result->codings_skipped, ==, 3);
  g_assert_cmpuint (result->codings_added, ==, 2); /* those on emoji.txt */
  g_assert_cmpuint (result->documents_matched, ==, 1);
  g_assert_cmpuint (result->documents_added, ==, 0);

  json = result_json (result);
  conflicts = cw_test_json_get (json, "conflicts");
  conflict = cw_test_json_at (conflicts, 0);
  g_assert_cmpstr (cw_test_json_str (conflict, "kind"), ==, "document-text");
  g_assert_cmpstr (cw_test_json_str (conflict, "document"), ==, "interview.txt");
  g_assert_cmpint (cw_test_json_int (conflict, "codings_skipped"), ==, 3);

  a = open_project (f->a);
  text = cw_project_get_text (a, f->doc, NULL);
  g_assert_cmpstr (text, ==, before);
  g_assert_finalize_object (a);
  sql = g_strdup_printf ("SELECT count(*) FROM codings x JOIN coders c ON c.id = x.coder_id"
                         " WHERE c.name = 'Bram' AND x.document_id = %" G_GINT64_FORMAT, f->doc);
  g_assert_cmpint (sql_int (f->a, sql), ==, 0);
}

static void
test_new_document_and_code (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) our_ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autofree char *text = NULL;
  g_autofree char *b_text = NULL;
  g_autofree char *other_dir = g_build_filename (f->dir, "other", NULL);
  CwProject *project;
  gint64 code, merged, start;
  CwCoding *coding;

  /* Anna imported another file called extra.txt: the name stays hers. */
  project = open_project (f->a);
  g_ptr_array_add (ours, cw_test_write_file (f->dir, "extra.txt", "Iets heel anders.\n"));
  our_ids = cw_project_import (project, ours, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (project);

  g_assert_cmpint (g_mkdir (other_dir, 0700), ==, 0);
  project = open_project (f->b);
  g_ptr_array_add (files, cw_test_write_file (other_dir, "extra.txt", extra_text));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  b_text = cw_project_get_text (project, g_array_index (ids, gint64, 0), &error);
  g_assert_no_error (error);
  code = cw_project_add_code (project, "Opleiding/Entree", "#4e79a7", NULL, &error);
  g_assert_no_error (error);
  code_text (project, g_array_index (ids, gint64, 0), extra_text, code, "entreeopleiding 🎓 in Tilburg", "Bram");
  code_text (project, g_array_index (ids, gint64, 0), extra_text, f->werk, "de werkplaats bevalt me", "Bram");
  g_assert_finalize_object (project);

  result = merge (f->a, f->b);
  g_assert_cmpuint (result->documents_added, ==, 1);
  g_assert_cmpuint (result->documents_matched, ==, 2);
  g_assert_cmpuint (result->codes_added, ==, 2); /* Opleiding (the missing parent) and Entree */
  g_assert_cmpuint (result->codings_added, ==, 2);

  project = open_project (f->a);
  merged = cw_project_lookup_document (project, "extra (2).txt", &error);
  g_assert_no_error (error);
  text = cw_project_get_text (project, merged, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, b_text);
  turns = cw_project_get_turns (project, merged, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (turns->len, ==, 2);
  g_assert_cmpstr (((CwTurn *) g_ptr_array_index (turns, 1))->speaker, ==, "Soufiane");

  g_assert_cmpint (cw_project_lookup_code (project, "Opleiding/Entree", &error), >, 0);
  g_assert_no_error (error);
  codings = cw_project_list_document_codings (project, merged, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, 2);
  coding = g_ptr_array_index (codings, 0);
  g_assert_cmpstr (coding->code, ==, "Opleiding/Entree");
  g_assert_cmpstr (coding->coder, ==, "Bram");
  start = offset_of (extra_text, "entreeopleiding");
  g_assert_cmpint (coding->start, ==, start);
  cw_test_assert_substring (text, coding->start, coding->end, "entreeopleiding 🎓 in Tilburg");
  coding = g_ptr_array_index (codings, 1);
  g_assert_cmpstr (coding->code, ==, "Werk");
  cw_test_assert_substring (text, coding->start, coding->end, "de werkplaats bevalt me");

  /* The search index has the new document. */
  hits = cw_project_search (project, "werkplaats", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (((CwSearchHit *) g_ptr_array_index (hits, 0))->document_id, ==, merged);
  g_assert_finalize_object (project);
}

static void
test_qdpx (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CwMergeResult) from_project = NULL;
  g_autoptr(CwMergeResult) from_qdpx = NULL;
  g_autoptr(CwMergeResult) again = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a2 = g_build_filename (f->dir, "anna2.codewerk", NULL);
  g_autofree char *qdpx = g_build_filename (f->dir, "bram.qdpx", NULL);
  g_autofree char *dump1 = NULL;
  g_autofree char *dump2 = NULL;
  g_autofree char *dump_again = NULL;
  g_autofree char *tmp_before = NULL;
  CwProject *b;
  gint64 code;

  code_as_bram (f);
  code_as_anna (f);
  b = open_project (f->b);
  g_ptr_array_add (files, cw_test_write_file (f->dir, "extra.txt", extra_text));
  ids = cw_project_import (b, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  code = cw_project_add_code (b, "Opleiding/Entree", NULL, NULL, &error);
  g_assert_no_error (error);
  code_text (b, g_array_index (ids, gint64, 0), extra_text, code, "entreeopleiding 🎓", "Bram");
  g_assert_true (cw_refi_export_project (b, qdpx, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (b);
  copy_file (f->a, a2);

  from_project = merge (f->a, f->b);
  from_qdpx = merge (a2, qdpx);
  g_assert_cmpuint (from_qdpx->documents_added, ==, from_project->documents_added);
  g_assert_cmpuint (from_qdpx->documents_matched, ==, from_project->documents_matched);
  g_assert_cmpuint (from_qdpx->codes_added, ==, from_project->codes_added);
  g_assert_cmpuint (from_qdpx->codings_added, ==, from_project->codings_added);
  g_assert_cmpuint (from_qdpx->codings_skipped, ==, from_project->codings_skipped);
  g_assert_cmpuint (from_qdpx->conflicts->len, ==, 0);
  g_assert_cmpuint (from_project->documents_added, ==, 1);
  g_assert_cmpuint (from_project->codings_added, ==, 5);

  /* The same documents, codes, codings (by GUID and path), memos. */
  dump1 = semantic_dump (f->a);
  dump2 = semantic_dump (a2);
  g_assert_cmpstr (dump1, ==, dump2);

  /* And the .qdpx merged again adds nothing. */
  again = merge (a2, qdpx);
  g_assert_cmpuint (again->documents_added + again->codes_added + again->codings_added + again->memos_added, ==, 0);
  g_assert_cmpuint (again->conflicts->len, ==, 0);
  dump_again = semantic_dump (a2);
  g_assert_cmpstr (dump2, ==, dump_again);
}

/* ---- refusals: the project stays byte for byte as it was ---- */

typedef enum
{
  BROKEN_TRUNCATED,
  BROKEN_NOT_SQLITE,
  BROKEN_NEWER,
  BROKEN_FOREIGN_SQLITE,
  BROKEN_MISSING,
  BROKEN_EMPTY,
  BROKEN_QDPX,
  BROKEN_CODE_CYCLE,
  BROKEN_CODING_OUTSIDE,
  BROKEN_TEXT_NOT_UTF8,
} Broken;

typedef struct
{
  const char *name;
  Broken      kind;
  int         code;     /* CW_PROJECT_ERROR_* or -1 for CW_IMPORT_ERROR */
  const char *message;  /* a part of the message */
} BrokenCase;

static const BrokenCase broken_cases[] = {
  { "truncated", BROKEN_TRUNCATED, CW_PROJECT_ERROR_NOT_A_PROJECT, "damaged" },
  { "not-sqlite", BROKEN_NOT_SQLITE, CW_PROJECT_ERROR_NOT_A_PROJECT, "neither a Codewerk project" },
  { "newer", BROKEN_NEWER, CW_PROJECT_ERROR_NEWER_VERSION, "newer version of Codewerk" },
  { "foreign-sqlite", BROKEN_FOREIGN_SQLITE, CW_PROJECT_ERROR_NOT_A_PROJECT, "not a Codewerk project" },
  { "missing", BROKEN_MISSING, CW_PROJECT_ERROR_NOT_FOUND, "no such project file" },
  { "empty", BROKEN_EMPTY, CW_PROJECT_ERROR_NOT_A_PROJECT, "neither a Codewerk project" },
  { "bad-qdpx", BROKEN_QDPX, -1, "" },
  /* Hand-edited or hostile projects: refused, not half merged. */
  { "code-cycle", BROKEN_CODE_CYCLE, CW_PROJECT_ERROR_NOT_A_PROJECT, "cycle" },
  { "coding-outside", BROKEN_CODING_OUTSIDE, CW_PROJECT_ERROR_NOT_A_PROJECT, "lies outside its text" },
  { "text-not-utf8", BROKEN_TEXT_NOT_UTF8, CW_PROJECT_ERROR_NOT_A_PROJECT, "not valid UTF-8" },
};

static void
test_broken (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  code_as_bram (f);
  before = cw_test_dump (f->a);

  for (guint i = 0; i < G_N_ELEMENTS (broken_cases); i++)
    {
      const BrokenCase *bc = &broken_cases[i];
      g_autofree char *name = g_strdup_printf ("broken-%s.%s", bc->name, bc->kind == BROKEN_QDPX ? "qdpx" : "codewerk");
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *broken_before = NULL;
      g_autofree char *broken_after = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CwMergeResult) result = NULL;
      const char *paths[] = { f->b, path, NULL };
      gsize len, broken_len = 0;
      CwProject *a;

      g_test_message ("broken file: %s", bc->name);
      switch (bc->kind)
        {
        case BROKEN_TRUNCATED:
          g_file_get_contents (f->b, &contents, &len, &error);
          g_assert_no_error (error);
          g_file_set_contents (path, contents, len / 2, &error);
          break;
        case BROKEN_NOT_SQLITE:
          g_file_set_contents (path, "Dit is geen project.\n", -1, &error);
          break;
        case BROKEN_NEWER:
          copy_file (f->b, path);
          sql_exec (path, "PRAGMA user_version = 99");
          break;
        case BROKEN_FOREIGN_SQLITE:
          sql_exec (path, "CREATE TABLE t (x); INSERT INTO t VALUES (1)");
          break;
        case BROKEN_MISSING:
          break;
        case BROKEN_EMPTY:
          g_file_set_contents (path, "", 0, &error);
          break;
        case BROKEN_QDPX:
          g_file_set_contents (path, "PK\003\004 not really a zip", -1, &error);
          break;
        case BROKEN_CODE_CYCLE:
          copy_file (f->b, path);
          sql_exec (path, "UPDATE codes SET parent_id = (SELECT id FROM codes WHERE name = 'Mislukt')"
                          " WHERE name = 'Stage'");
          break;
        case BROKEN_CODING_OUTSIDE:
          copy_file (f->b, path);
          sql_exec (path, "UPDATE codings SET end = 100000 WHERE id = (SELECT max (id) FROM codings)");
          break;
        case BROKEN_TEXT_NOT_UTF8:
          copy_file (f->b, path);
          sql_exec (path, "UPDATE documents SET text = CAST (X'4B6576696EFF0A' AS TEXT) WHERE name = 'emoji.txt'");
          break;
        default:
          g_assert_not_reached ();
        }
      g_assert_no_error (error);
      if (bc->kind != BROKEN_MISSING)
        {
          g_file_get_contents (path, &broken_before, &broken_len, &error);
          g_assert_no_error (error);
        }

      a = open_project (f->a);
      result = cw_project_merge (a, paths, NULL, NULL, NULL, &error);
      g_assert_null (result);
      if (bc->code >= 0)
        g_assert_error (error, CW_PROJECT_ERROR, bc->code);
      else
        g_assert_true (error != NULL && error->domain == CW_IMPORT_ERROR);
      /* The message names the broken file, not the good one before it. */
      g_assert_nonnull (strstr (error->message, name));
      g_assert_nonnull (strstr (error->message, bc->message));
      g_assert_finalize_object (a);

      after = cw_test_dump (f->a);
      g_assert_cmpstr (before, ==, after);
      g_clear_pointer (&after, g_free);

      /* The broken file is left as it was, too. */
      if (bc->kind != BROKEN_MISSING)
        {
          g_autoptr(GError) read_error = NULL;
          gsize now_len;

          g_file_get_contents (path, &broken_after, &now_len, &read_error);
          g_assert_no_error (read_error);
          g_assert_cmpmem (broken_before, broken_len, broken_after, now_len);
        }
    }
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
  guint         cancel_at;
  guint         last_done;
  guint         last_total;
  gboolean      finished;
} Progress;

static void
on_progress (guint       done,
             guint       total,
             const char *current,
             gpointer    user_data)
{
  Progress *p = user_data;

  p->calls++;
  p->last_done = done;
  p->last_total = total;
  p->finished = current == NULL && done == total;
  if (p->cancellable != NULL && p->calls == p->cancel_at)
    g_cancellable_cancel (p->cancellable);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CwMergeResult) result = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *paths[] = { f->b, NULL };
  Progress progress = { .cancellable = cancellable, .cancel_at = 3 };
  CwProject *a;

  code_as_bram (f);
  before = cw_test_dump (f->a);

  /* Call 1 opens the file, 2 is the first document, 3 the second: by then
   * the first document's codings are in, and must go again. */
  a = open_project (f->a);
  result = cw_project_merge (a, paths, on_progress, &progress, cancellable, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, ==, 3);
  g_assert_finalize_object (a);
  after = cw_test_dump (f->a);
  g_assert_cmpstr (before, ==, after);

  /* Not cancelled: progress per file and per document, then done. */
  g_clear_error (&error);
  progress = (Progress) { 0 };
  a = open_project (f->a);
  result = cw_project_merge (a, paths, on_progress, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress.calls, ==, 1 + 2 + 1);
  g_assert_true (progress.finished);
  g_assert_cmpuint (progress.last_total, ==, 2);
  g_assert_finalize_object (a);
}

static void
test_undo (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *label = NULL;
  const char *paths[] = { f->b, NULL };
  CwProject *project;

  code_as_bram (f);
  project = open_project (f->b);
  g_ptr_array_add (files, cw_test_write_file (f->dir, "extra.txt", extra_text));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  code_text (project, g_array_index (ids, gint64, 0), extra_text, f->werk, "de werkplaats bevalt me", "Bram");
  g_assert_finalize_object (project);

  before = dump_without_index (f->a);
  project = open_project (f->a);
  result = cw_project_merge (project, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->documents_added, ==, 1);
  g_assert_cmpuint (result->coders_added, ==, 1);
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Merge “bram.codewerk”");

  /* Undo takes everything back, the new document and coder too. */
  cw_project_undo (project, &error);
  g_assert_no_error (error);
  g_assert_false (cw_project_can_redo (project));
  hits = cw_project_search (project, "werkplaats", 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_finalize_object (project);
  after = dump_without_index (f->a);
  g_assert_cmpstr (before, ==, after);
}

static void
test_undo_redo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwMergeResult) result = NULL;
  g_autofree char *before = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  const char *paths[] = { f->b, NULL };
  CwProject *project;

  code_as_bram (f);
  /* Bram is known here already: the merge adds only tracked rows, so
   * it can be redone as well. */
  project = open_project (f->a);
  cw_project_ensure_coder (project, "Bram", &error);
  g_assert_no_error (error);
  before = semantic_dump (f->a);

  result = cw_project_merge (project, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->coders_added, ==, 0);
  g_assert_cmpuint (result->codings_added, ==, 4);
  merged = semantic_dump (f->a);
  g_assert_cmpstr (before, !=, merged);

  cw_project_undo (project, &error);
  g_assert_no_error (error);
  undone = semantic_dump (f->a);
  g_assert_cmpstr (before, ==, undone);
  g_assert_true (cw_project_can_redo (project));
  cw_project_redo (project, &error);
  g_assert_no_error (error);
  redone = semantic_dump (f->a);
  g_assert_cmpstr (merged, ==, redone);
  g_assert_finalize_object (project);
}

static void
test_cases_memos_groups (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwMergeResult) result = NULL;
  g_autoptr(CwMergeResult) again = NULL;
  g_autoptr(GVariant) json = NULL;
  g_autoptr(GVariant) conflicts = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) memos = NULL;
  CwProject *project;
  gint64 p01, p02, leeftijd = 0, school = 0, group;
  gboolean saw_value = FALSE, saw_memo = FALSE;

  project = open_project (f->b);
  variables = cw_project_list_variables (project, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < variables->len; i++)
    {
      CwVariable *v = g_ptr_array_index (variables, i);

      if (g_str_equal (v->name, "leeftijd"))
        leeftijd = v->id;
      else if (g_str_equal (v->name, "school"))
        school = v->id;
    }
  g_assert_cmpint (leeftijd, >, 0);
  g_assert_cmpint (school, >, 0);
  p01 = cw_project_lookup_case (project, "P01", &error);
  g_assert_no_error (error);
  p02 = cw_project_lookup_case (project, "P02", &error);
  g_assert_no_error (error);
  /* B: P01 is 20 (a conflict), P02's school was cleared (missing: no
   * conflict), Dewi is linked to emoji.txt, the memo was edited, a new
   * memo, a new group. */
  cw_project_set_case_value (project, p01, leeftijd, g_variant_new_double (20), &error);
  g_assert_no_error (error);
  cw_project_set_case_value (project, p02, school, NULL, &error);
  g_assert_no_error (error);
  cw_project_link_case (project, p02, f->doc2, "Dewi", &error);
  g_assert_no_error (error);
  cw_project_update_memo (project, f->memo, "Eerste indruk", "Kevin twijfelt niet meer.", &error);
  g_assert_no_error (error);
  cw_project_add_memo (project, CW_MEMO_DOCUMENT, f->doc2, NULL, "Dewi is positief.", "Bram", &error);
  g_assert_no_error (error);
  group = cw_project_add_group (project, "Tilburg", &error);
  g_assert_no_error (error);
  cw_project_group_add_document (project, group, f->doc2, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (project);

  /* A still has P02's school: a value missing in B is no conflict. */
  result = merge (f->a, f->b);
  g_assert_cmpuint (result->memos_added, ==, 1);
  g_assert_cmpuint (result->groups_added, ==, 1);
  g_assert_cmpuint (result->case_links_added, ==, 1);
  g_assert_cmpuint (result->cases_added, ==, 0);
  g_assert_cmpuint (result->case_values_added, ==, 0);
  g_assert_cmpuint (result->conflicts->len, ==, 2);
  for (guint i = 0; i < result->conflicts->len; i++)
    {
      CwMergeConflict *c = g_ptr_array_index (result->conflicts, i);
      g_autofree char *sentence = cw_merge_conflict_describe (c);

      g_assert_nonnull (sentence);
      if (c->kind == CW_MERGE_CONFLICT_CASE_VALUE)
        {
          g_assert_cmpstr (c->name, ==, "P01");
          g_assert_cmpstr (c->variable, ==, "leeftijd");
          g_assert_cmpstr (c->ours, ==, "19");
          g_assert_cmpstr (c->theirs, ==, "20");
          saw_value = TRUE;
        }
      else if (c->kind == CW_MERGE_CONFLICT_MEMO_TEXT)
        {
          g_assert_cmpstr (c->ours, ==, "Kevin twijfelt.");
          g_assert_cmpstr (c->theirs, ==, "Kevin twijfelt niet meer.");
          saw_memo = TRUE;
        }
    }
  g_assert_true (saw_value && saw_memo);
  json = result_json (result);
  conflicts = cw_test_json_get (json, "conflicts");
  g_assert_cmpuint (g_variant_n_children (conflicts), ==, 2);

  /* Nothing overwritten. */
  g_assert_cmpint (sql_int (f->a, "SELECT number FROM case_values cv JOIN cases c ON c.id = cv.case_id"
                                  " JOIN variables v ON v.id = cv.variable_id"
                                  " WHERE c.identifier = 'P01' AND v.name = 'leeftijd'"), ==, 19);
  g_assert_cmpint (sql_int (f->a, "SELECT count(*) FROM case_values cv JOIN cases c ON c.id = cv.case_id"
                                  " JOIN variables v ON v.id = cv.variable_id"
                                  " WHERE c.identifier = 'P02' AND v.name = 'school' AND cv.text = 'ROC Tilburg'"), ==, 1);
  project = open_project (f->a);
  memos = cw_project_list_memos (project, CW_MEMO_DOCUMENT, f->doc, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->text, ==, "Kevin twijfelt.");
  g_clear_pointer (&memos, g_ptr_array_unref);
  memos = cw_project_list_memos (project, CW_MEMO_DOCUMENT, f->doc2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (memos->len, ==, 1);
  g_assert_cmpstr (((CwMemo *) g_ptr_array_index (memos, 0))->author, ==, "Bram");
  g_assert_cmpint (cw_project_lookup_group (project, "Tilburg", &error), >, 0);
  g_assert_no_error (error);
  g_assert_finalize_object (project);
  g_assert_cmpint (sql_int (f->a, "SELECT count(*) FROM case_links l JOIN speakers s ON s.id = l.speaker_id"
                                  " WHERE s.name = 'Dewi'"), ==, 1);

  /* Merged again: the same conflicts, nothing added. */
  again = merge (f->a, f->b);
  g_assert_cmpuint (again->memos_added + again->groups_added + again->case_links_added, ==, 0);
  g_assert_cmpuint (again->conflicts->len, ==, 2);
}

static void
test_several_files (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *c_path = g_build_filename (f->dir, "chantal.codewerk", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwMergeResult) result = NULL;
  g_autofree char *label = NULL;
  g_auto(GStrv) coders = NULL;
  const char *paths[] = { NULL, NULL, NULL };
  CwProject *project;

  copy_file (f->base, c_path);
  code_as_bram (f);
  project = open_project (c_path);
  code_text (project, f->doc, interview_text, f->stage, "Ik kwam steeds te laat", "Chantal");
  g_assert_finalize_object (project);

  paths[0] = f->b;
  paths[1] = c_path;
  project = open_project (f->a);
  result = cw_project_merge (project, paths, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->codings_added, ==, 5);
  g_assert_cmpuint (result->codings_skipped, ==, 2); /* the base coding, once per file */
  g_assert_cmpuint (result->coders_added, ==, 2);
  g_assert_cmpuint (g_strv_length (result->files), ==, 2);
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Merge 2 projects");
  coders = cw_project_list_coders (project, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) coders, "Chantal"));
  g_assert_finalize_object (project);
}

typedef struct
{
  GMainLoop     *loop;
  CwMergeResult *result;
  GError        *error;
  guint          changed;
  guint          progress;
  gpointer       task;    /* weak */
} AsyncState;

static void
on_merged (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  AsyncState *state = user_data;

  state->result = cw_project_merge_finish (CW_PROJECT (source), res, &state->error);
  state->task = res;
  g_object_add_weak_pointer (G_OBJECT (res), &state->task);
  g_main_loop_quit (state->loop);
}

static void
on_changed (CwProject *project,
            gpointer   user_data)
{
  ((AsyncState *) user_data)->changed++;
}

static void
on_async_progress (guint       done,
                   guint       total,
                   const char *current,
                   gpointer    user_data)
{
  ((AsyncState *) user_data)->progress++;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  AsyncState state = { 0 };
  const char *paths[] = { f->b, NULL };
  CwProject *project;

  code_as_bram (f);
  project = open_project (f->a);
  state.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (project, "changed", G_CALLBACK (on_changed), &state);
  cw_project_merge_async (project, paths, on_async_progress, &state, NULL, on_merged, &state);
  g_main_loop_run (state.loop);
  g_assert_no_error (state.error);
  g_assert_nonnull (state.result);
  g_assert_cmpuint (state.result->codings_added, ==, 4);
  g_assert_cmpuint (state.changed, ==, 1);
  /* Progress is delivered from idles that may still be queued, and the
   * worker lets go of the task (and the project) a moment later. */
  while (state.task != NULL || g_main_context_pending (NULL))
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (state.progress, ==, 4);
  g_assert_true (cw_project_can_undo (project));
  cw_merge_result_free (state.result);
  g_main_loop_unref (state.loop);
  g_assert_finalize_object (project);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/merge/two-coders", test_two_coders);
  ADD ("/merge/idempotent", test_idempotent);
  ADD ("/merge/code-renamed", test_code_renamed);
  ADD ("/merge/document-text", test_document_text);
  ADD ("/merge/new-document-and-code", test_new_document_and_code);
  ADD ("/merge/qdpx", test_qdpx);
  ADD ("/merge/broken", test_broken);
  ADD ("/merge/cancel", test_cancel);
  ADD ("/merge/undo", test_undo);
  ADD ("/merge/undo-redo", test_undo_redo);
  ADD ("/merge/cases-memos-groups", test_cases_memos_groups);
  ADD ("/merge/several-files", test_several_files);
  ADD ("/merge/async", test_async);

  return g_test_run ();
}
