/* test-pseudonym.c: the pseudonym table (validation, order, undo), the
 * matching rules of pseudonymised copies (table-driven), codings and
 * turns moved as cw-edit.h's replace-all moves them, the example project
 * pseudonymised with every real name of its texts (no real name left in
 * the file's bytes, codings on the same words, no key, no history, the
 * working project unchanged), the key and proposals. */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-edit.h"
#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-pseudonym.h"
#include "cw-retrieval.h"
#include "cw-spell.h"
#include "cw-test-util.h"

/* A project with one document of text. */
static CwProject *
project_with_text (const char *dir,
                   const char *text,
                   gint64     *document_id)
{
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) file = cw_test_write_file (dir, "interview.txt", text);
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (files, file);
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  *document_id = g_array_index (ids, gint64, 0);
  return g_steal_pointer (&project);
}

static gint64
add (CwProject  *project,
     const char *real,
     const char *pseudonym,
     const char *category)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_pseudonym (project, real, pseudonym, category, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static char *
list_as_text (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = cw_project_list_pseudonyms (project, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      const CwPseudonym *row = rows->pdata[i];

      g_string_append_printf (out, "%s=%s(%s);", row->real, row->pseudonym, row->category ? row->category : "-");
    }
  return g_string_free (out, FALSE);
}

/* Validation, order, update, remove, and each a step that undo takes back. */
static void
test_table (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;
  gint64 kevin, brug;

  kevin = add (project, "  Kevin ", "[Persoon 1]", "person");
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Add pseudonym for “Kevin”");
  brug = add (project, "De Brug", "[School A]", "school");
  add (project, "Almere", "[Plaats A]", "");
  add (project, "Zwolle", "[Plaats B]", "place");
  add (project, "Ahmeds", "[Persoon 2]s", "person");

  /* By category (none last), then pseudonym, then real. */
  text = list_as_text (project);
  g_assert_cmpstr (text, ==, "Kevin=[Persoon 1](person);Ahmeds=[Persoon 2]s(person);Zwolle=[Plaats B](place);"
                             "De Brug=[School A](school);Almere=[Plaats A](-);");
  g_clear_pointer (&text, g_free);

  /* Refusals change nothing and leave no step. */
  {
    static const struct { const char *real; const char *pseudonym; int code; } bad[] = {
      { "", "[P]", CW_PROJECT_ERROR_INVALID },
      { "   ", "[P]", CW_PROJECT_ERROR_INVALID },
      { "Sanne", "", CW_PROJECT_ERROR_INVALID },
      { "Sanne", " \t", CW_PROJECT_ERROR_INVALID },
      { "San\nne", "[P]", CW_PROJECT_ERROR_INVALID },
      { "Sanne", "[P\r]", CW_PROJECT_ERROR_INVALID },
      { "\xcc\x81" "Sanne", "[P]", CW_PROJECT_ERROR_INVALID },
      { "Kevin", "[Persoon 9]", CW_PROJECT_ERROR_EXISTS },
      { " Kevin\t", "[Persoon 9]", CW_PROJECT_ERROR_EXISTS },
      { "\xff", "[P]", CW_PROJECT_ERROR_INVALID },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autofree char *before = list_as_text (project);
        g_autofree char *after = NULL;
        g_autofree char *undo_label = NULL;

        g_assert_cmpint (cw_project_add_pseudonym (project, bad[i].real, bad[i].pseudonym, NULL, &error), ==, 0);
        g_assert_error (error, CW_PROJECT_ERROR, bad[i].code);
        g_clear_error (&error);
        after = list_as_text (project);
        g_assert_cmpstr (before, ==, after);
        undo_label = cw_project_get_undo_label (project);
        g_assert_cmpstr (undo_label, ==, "Add pseudonym for “Ahmeds”");
      }
  }
  /* The same spelling is one row; another spelling is its own row. */
  add (project, "kevin", "[Persoon 1]", "person");

  /* Update: NULL keeps a field, "" clears the category; the real may not
   * become another row's. */
  g_assert_true (cw_project_update_pseudonym (project, brug, NULL, "[School B]", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cw_project_update_pseudonym (project, brug, "Kevin", NULL, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cw_project_update_pseudonym (project, 999, NULL, "[X]", NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (cw_project_update_pseudonym (project, brug, "Praktijkschool De Brug", NULL, "", &error));
  g_assert_no_error (error);
  text = list_as_text (project);
  g_assert_nonnull (strstr (text, "Praktijkschool De Brug=[School B](-);"));
  g_clear_pointer (&text, g_free);

  /* Undo, step by step. */
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  text = list_as_text (project);
  g_assert_nonnull (strstr (text, "De Brug=[School B](school);"));
  g_clear_pointer (&text, g_free);
  g_assert_true (cw_project_undo (project, &error));
  text = list_as_text (project);
  g_assert_nonnull (strstr (text, "De Brug=[School A](school);"));
  g_clear_pointer (&text, g_free);

  g_assert_true (cw_project_remove_pseudonym (project, kevin, &error));
  g_assert_no_error (error);
  g_clear_pointer (&label, g_free);
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Remove pseudonym for “Kevin”");
  text = list_as_text (project);
  g_assert_null (strstr (text, "Kevin="));
  g_clear_pointer (&text, g_free);
  g_assert_false (cw_project_remove_pseudonym (project, kevin, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  text = list_as_text (project);
  g_assert_nonnull (strstr (text, "Kevin=[Persoon 1](person);"));
  g_clear_pointer (&text, g_free);
  g_assert_true (cw_project_redo (project, &error));
  text = list_as_text (project);
  g_assert_null (strstr (text, "Kevin="));
  g_clear_pointer (&text, g_free);

  /* Undo of the adds, back to an empty table. */
  g_assert_true (cw_project_undo (project, &error)); /* the remove */
  for (int i = 0; i < 6; i++)
    {
      g_assert_true (cw_project_undo (project, &error));
      g_assert_no_error (error);
    }
  text = list_as_text (project);
  g_assert_cmpstr (text, ==, "");
  g_assert_false (cw_project_can_undo (project));

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

/* A file made before the table was tracked gets the triggers on its first
 * edit; the edit is undoable. */
static void
test_untracked_file (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autofree char *path = g_strdup (cw_project_get_path (project));
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_clear_object (&project);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER pseudonyms_history_insert; DROP TRIGGER pseudonyms_history_delete;"
                                     "DROP TRIGGER pseudonyms_history_update;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  add (project, "Sanne", "[Persoon 2]", "person");
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM pseudonyms"), ==, 0);
  g_assert_true (cw_project_redo (project, &error));
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM pseudonyms"), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

static char *
write_copy (CwProject  *project,
            const char *dir,
            const char *name)
{
  g_autofree char *out = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (cw_project_write_pseudonymised_copy (project, out, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

static char *
copy_text (const char *path,
           gint64      document_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) copy = cw_project_open (path, &error);
  char *text;

  g_assert_no_error (error);
  text = cw_project_get_text (copy, document_id, &error);
  g_assert_no_error (error);
  return text;
}

/* The matching rules: whole words, case as written, the longest first, a
 * pseudonym never matched again, marks and digits as word characters. */
static void
test_matching (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "Kevin zei: Kevin.", "[P1] zei: [P1]." },
    { "Kevins fiets, Kevin's jas", "[P1]s fiets, [P1]'s jas" },     /* variants are rows of their own */
    { "kevin en KEVIN", "kevin en KEVIN" },                         /* case as written */
    { "Kevinus, Kevin2, 2Kevin, Kevín", "Kevinus, Kevin2, 2Kevin, Kevín" }, /* not inside words */
    { "Kevin\xcc\xb4 bleef", "Kevin\xcc\xb4 bleef" },                /* a mark after: part of the word */
    { "op Praktijkschool De Brug en De Brug", "op [School A] en [School A]" },
    { "De Bruggen", "De Bruggen" },
    { "Almere Buiten en Almere", "[Plaats B] en [Plaats A]" },      /* longest first */
    { "(Kevin) “Kevin” Kevin-Jan", "([P1]) “[P1]” [P1]-Jan" },
    { "Persoon Kevin", "Persoon [P1]" },                            /* no match inside a pseudonym */
    { "Zoë en Zoë", "[P3] en [P3]" },
    { "Niets te vervangen.", "Niets te vervangen." },
  };
  g_autofree char *dir = cw_test_make_dir ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sub = g_strdup_printf ("%s/%u", dir, i);
      g_autoptr(CwProject) project = NULL;
      g_autofree char *out = NULL;
      g_autofree char *text = NULL;
      g_autofree char *content = g_strdup_printf ("%s\n", cases[i].text);
      g_autofree char *expected = g_strdup_printf ("%s", cases[i].expected);
      gint64 doc;

      g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
      project = project_with_text (sub, content, &doc);
      add (project, "Kevin", "[P1]", "person");
      add (project, "Kevins", "[P1]s", "person");
      add (project, "Kevin's", "[P1]'s", "person");
      add (project, "Persoon", "Kevin", NULL);
      add (project, "De Brug", "[School A]", "school");
      add (project, "Praktijkschool De Brug", "[School A]", "school");
      add (project, "Almere", "[Plaats A]", "place");
      add (project, "Almere Buiten", "[Plaats B]", "place");
      add (project, "Zoe\xcc\x88", "[P3]", "person"); /* stored NFC: Zoë */
      out = write_copy (project, sub, "copy.codewerk");
      text = copy_text (out, doc);
      g_strchomp (text);
      /* "Persoon" -> "Kevin" is replaced once, and not again. */
      if (i == 9)
        g_assert_cmpstr (text, ==, "Kevin [P1]");
      else
        g_assert_cmpstr (text, ==, expected);
      g_assert_finalize_object (g_steal_pointer (&project));
    }
  cw_test_remove_dir (dir);
}

typedef struct
{
  gint64  start;
  gint64  end;
  char   *code;
} Span;

static GPtrArray *
codings_of (const char *path,
            const char *order)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  GPtrArray *spans = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = g_strdup_printf ("SELECT k.name || ':' || c.start || '-' || c.\"end\" FROM codings c"
                                          " JOIN codes k ON k.id = c.code_id ORDER BY %s", order);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (spans, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT start || '-' || \"end\" FROM turns ORDER BY idx", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (spans, g_strdup_printf ("turn:%s", sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return spans;
}

/* Codings and turns end where cw_project_replace_all (the same rules the
 * window's replace uses) puts them, for every kind of overlap with a
 * replaced name. */
static void
test_codings_follow_edit_rules (void)
{
  static const char text[] =
    "Interviewer: Hoe ging het met Kevin?\n"
    "Kevin: Goed. Kevin werkt nu. Kevin, Kevin en Kevin.\n";
  /* Start, end of codings (code points), with their overlap. */
  static const gint64 spans[][2] = {
    { 30, 35 },  /* exactly "Kevin" */
    { 31, 34 },  /* inside it */
    { 28, 33 },  /* starts before, ends inside */
    { 32, 36 },  /* starts inside, ends after */
    { 13, 36 },  /* around it */
    { 37, 42 },  /* the label */
    { 44, 48 },  /* before a name */
    { 49, 54 },
    { 49, 50 },  /* the first letter */
    { 53, 54 },  /* the last letter */
    { 66, 88 },  /* several names */
    { 35, 36 },  /* just after */
  };
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *a_dir = g_build_filename (dir, "a", NULL);
  g_autofree char *b_dir = g_build_filename (dir, "b", NULL);
  g_autoptr(CwProject) a = NULL;
  g_autoptr(CwProject) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) want = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *out = NULL;
  gint64 doc_a, doc_b, code_a, code_b;

  g_assert_cmpint (g_mkdir (a_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (b_dir, 0700), ==, 0);
  a = project_with_text (a_dir, text, &doc_a);
  b = project_with_text (b_dir, text, &doc_b);
  code_a = cw_project_add_code (a, "Naam", NULL, NULL, &error);
  code_b = cw_project_add_code (b, "Naam", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (spans); i++)
    {
      g_assert_cmpint (cw_project_add_coding (a, doc_a, code_a, spans[i][0], spans[i][1], "Lotte", NULL, &error), >, 0);
      g_assert_cmpint (cw_project_add_coding (b, doc_b, code_b, spans[i][0], spans[i][1], "Lotte", NULL, &error), >, 0);
      g_assert_no_error (error);
    }

  /* A: the pseudonymised copy. B: replace-all in place. */
  add (a, "Kevin", "[Leerling 12]", "person");
  out = write_copy (a, a_dir, "copy.codewerk");
  g_assert_true (cw_project_replace_all (b, 0, "Kevin", "[Leerling 12]", CW_REPLACE_MATCH_CASE | CW_REPLACE_WHOLE_WORD,
                                         NULL, NULL, &error));
  g_assert_no_error (error);

  want = codings_of (cw_project_get_path (b), "c.id");
  got = codings_of (out, "c.id");
  g_assert_cmpuint (got->len, ==, want->len);
  for (guint i = 0; i < want->len; i++)
    g_assert_cmpstr (got->pdata[i], ==, want->pdata[i]);
  {
    g_autofree char *text_b = cw_project_get_text (b, doc_b, &error);
    g_autofree char *text_a = copy_text (out, doc_a);

    g_assert_cmpstr (text_a, ==, text_b);
  }

  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
  cw_test_remove_dir (dir);
}

/* Every real string of the example's texts, cohort and memos that a
 * researcher would put in the table. */
static const struct
{
  const char *real;
  const char *pseudonym;
  const char *category;
} example_table[] = {
  { "Kevin", "[Persoon 1]", "person" }, { "Kevins", "[Persoon 1]s", "person" },
  { "Sanne", "[Persoon 2]", "person" }, { "Mohammed", "[Persoon 3]", "person" },
  { "Dewi", "[Persoon 4]", "person" }, { "Jordy", "[Persoon 5]", "person" },
  { "Tim", "[Persoon 6]", "person" }, { "Bram", "[Persoon 7]", "person" },
  { "Henk", "[Persoon 8]", "person" }, { "Anouk", "[Persoon 9]", "person" },
  { "Erik", "[Persoon 10]", "person" }, { "Bakker", "[Persoon 11]", "person" },
  { "Marieke", "[Persoon 12]", "person" }, { "El Amrani", "[Persoon 13]", "person" },
  { "Pinas", "[Persoon 14]", "person" }, { "Sandra", "[Persoon 15]", "person" },
  { "Rick", "[Persoon 16]", "person" }, { "Ayoub", "[Persoon 17]", "person" },
  { "Gerard", "[Persoon 18]", "person" }, { "Petra", "[Persoon 19]", "person" },
  { "Marloes", "[Persoon 20]", "person" }, { "Naomi", "[Persoon 21]", "person" },
  { "de Vries", "[Persoon 22]", "person" }, { "Ronald", "[Persoon 23]", "person" },
  { "Wim", "[Persoon 24]", "person" }, { "Martin", "[Persoon 25]", "person" },
  { "Gert-Jan", "[Persoon 26]", "person" }, { "Ilse", "[Persoon 27]", "person" },
  { "Ineke", "[Persoon 28]", "person" }, { "Jesse", "[Persoon 29]", "person" },
  { "Chantal", "[Persoon 30]", "person" }, { "Dylan", "[Persoon 31]", "person" },
  { "Esra", "[Persoon 32]", "person" }, { "Fatima", "[Persoon 33]", "person" },
  { "Joyce", "[Persoon 34]", "person" }, { "Kim", "[Persoon 35]", "person" },
  { "Lisa", "[Persoon 36]", "person" }, { "Niels", "[Persoon 37]", "person" },
  { "Romano", "[Persoon 38]", "person" }, { "Sem", "[Persoon 39]", "person" },
  { "Stefan", "[Persoon 40]", "person" }, { "Yasmina", "[Persoon 41]", "person" },
  { "Zoë", "[Persoon 42]", "person" },
  { "De Brug", "[School A]", "school" }, { "Praktijkschool De Brug", "[School A]", "school" },
  { "de-brug", "school-a", "school" },
  { "De Wissel", "[School B]", "school" }, { "Het Spoor", "[School C]", "school" },
  { "Almere", "[Plaats A]", "place" }, { "almere", "plaats-a", "place" },
  { "Almere Buiten", "[Plaats A]", "place" }, { "Almere Haven", "[Plaats A]", "place" },
  { "Almere Poort", "[Plaats A]", "place" }, { "Zwolle", "[Plaats B]", "place" },
  { "zwolle", "plaats-b", "place" }, { "Zwolle-Zuid", "[Plaats B]", "place" },
  { "Lelystad", "[Plaats C]", "place" }, { "Dalfsen", "[Plaats D]", "place" },
  { "Berkel-Enschot", "[Plaats E]", "place" }, { "Tilburg", "[Plaats F]", "place" },
  { "Zeewolde", "[Plaats G]", "place" },
};

static gboolean
is_word_byte_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* Whether word occurs in data as a whole word (UTF-8 neighbours decoded;
 * raw SQLite pages are not all text, so anything else counts as a
 * boundary). "Bakker" in "Bakkerij" is not a leak. */
static gboolean
contains_word (const char *data,
               gsize       len,
               const char *word)
{
  gsize n = strlen (word);

  for (const char *p = data; (p = memmem (p, len - (p - data), word, n)) != NULL; p++)
    {
      gboolean before_ok = TRUE, after_ok = TRUE;

      if (p > data)
        {
          const char *q = p - 1;
          gunichar c;

          while (q > data && p - q < 4 && ((guchar) *q & 0xC0) == 0x80)
            q--;
          c = g_utf8_get_char_validated (q, p - q);
          before_ok = c == (gunichar) -1 || c == (gunichar) -2 || !is_word_byte_char (c);
        }
      if ((gsize) (p - data) + n < len)
        {
          gunichar c = g_utf8_get_char_validated (p + n, MIN (4, len - (p - data) - n));

          after_ok = c == (gunichar) -1 || c == (gunichar) -2 || !is_word_byte_char (c);
        }
      if (before_ok && after_ok)
        return TRUE;
    }
  return FALSE;
}

static void
assert_no_real_in (const char *what,
                   const char *data,
                   gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (example_table); i++)
    if (contains_word (data, len, example_table[i].real))
      g_error ("%s still holds “%s”", what, example_table[i].real);
}

static char *
dump_without_case_ids (const char *path)
{
  g_autofree char *dump = cw_test_dump (path);
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "case_pseudonyms:") && !g_str_has_prefix (lines[i], "schema case_pseudonyms") &&
        !g_str_has_prefix (lines[i], "schema sqlite_autoindex_case_pseudonyms"))
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_string_free (out, FALSE);
}

/* The table applied by hand: a regular expression of every real, longest
 * first, as whole words. */
static char *
replace_by_hand (const char *text)
{
  static GRegex *regex;
  static GHashTable *map;

  if (regex == NULL)
    {
      g_autoptr(GPtrArray) reals = g_ptr_array_new ();
      g_autoptr(GString) pattern = g_string_new ("(?<![\\p{L}\\p{M}\\p{N}])(?:");

      map = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < G_N_ELEMENTS (example_table); i++)
        {
          g_ptr_array_add (reals, (gpointer) example_table[i].real);
          g_hash_table_insert (map, (gpointer) example_table[i].real, (gpointer) example_table[i].pseudonym);
        }
      for (guint i = 0; i < reals->len; i++)
        for (guint j = i + 1; j < reals->len; j++)
          if (strlen (reals->pdata[j]) > strlen (reals->pdata[i]))
            {
              gpointer t = reals->pdata[i];
              reals->pdata[i] = reals->pdata[j];
              reals->pdata[j] = t;
            }
      for (guint i = 0; i < reals->len; i++)
        {
          g_autofree char *escaped = g_regex_escape_string (reals->pdata[i], -1);

          g_string_append_printf (pattern, "%s%s", i ? "|" : "", escaped);
        }
      g_string_append (pattern, ")(?![\\p{L}\\p{M}\\p{N}])");
      regex = g_regex_new (pattern->str, G_REGEX_OPTIMIZE, 0, NULL);
      g_assert_nonnull (regex);
    }
  {
    g_autoptr(GMatchInfo) info = NULL;
    GString *out = g_string_new (NULL);
    const char *p = text;

    g_regex_match (regex, text, 0, &info);
    while (g_match_info_matches (info))
      {
        int s, e;
        g_autofree char *word = g_match_info_fetch (info, 0);

        g_match_info_fetch_pos (info, 0, &s, &e);
        g_string_append_len (out, p, text + s - p);
        g_string_append (out, g_hash_table_lookup (map, word));
        p = text + e;
        g_match_info_next (info, NULL);
      }
    g_string_append (out, p);
    return g_string_free (out, FALSE);
  }
}

/* guid -> the coding's text, from a project file. */
static GHashTable *
coded_texts (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) project = cw_project_open (path, &error);
  GHashTable *texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_cw_project_get_db (project),
                                       "SELECT c.guid, substr (d.text, c.start + 1, c.\"end\" - c.start)"
                                       " FROM codings c JOIN documents d ON d.id = c.document_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (texts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return texts;
}

static void
test_example_copy (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = cw_test_copy_example (dir, "example.codewerk");
  g_autofree char *out = g_build_filename (dir, "gedeeld.codewerk", NULL);
  g_autofree char *key = g_build_filename (dir, "sleutel.csv", NULL);
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwProject) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(GHashTable) original = NULL;
  g_autoptr(GHashTable) pseudonymised = NULL;
  g_autoptr(GDir) listing = NULL;
  GHashTableIter iter;
  gpointer guid, text;
  gsize len;
  sqlite3 *db;

  project = cw_project_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (example_table); i++)
    add (project, example_table[i].real, example_table[i].pseudonym, example_table[i].category);
  /* The history now holds the real names too: the copy must not. */
  g_assert_true (cw_project_can_undo (project));

  before = dump_without_case_ids (path);
  g_assert_true (cw_project_write_pseudonymised_copy (project, out, NULL, &error));
  g_assert_no_error (error);
  after = dump_without_case_ids (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM case_pseudonyms"), ==, 24);

  /* Nothing of the work left beside either file. */
  listing = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (listing)) != NULL;)
    g_assert_true (g_str_has_prefix (name, "example.codewerk") || strcmp (name, "gedeeld.codewerk") == 0);

  /* The raw bytes: every page, free or not, the index and any history
   * (the working file does hold the names: the search can find them). */
  g_assert_true (g_file_get_contents (path, &bytes, &len, &error));
  g_assert_true (contains_word (bytes, len, "El Amrani"));
  g_assert_true (contains_word (bytes, len, "Zoë"));
  g_assert_false (contains_word (bytes, len, "Bakk"));
  g_clear_pointer (&bytes, g_free);
  g_assert_true (g_file_get_contents (out, &bytes, &len, &error));
  assert_no_real_in ("the copy's file", bytes, len);
  g_assert_nonnull (memmem (bytes, len, "[Persoon 1]", strlen ("[Persoon 1]")));
  /* The key is not inside, nor the undo history. */
  copy = cw_project_open (out, &error);
  g_assert_no_error (error);
  db = _cw_project_get_db (copy);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM sqlite_master WHERE name IN ('pseudonyms', 'case_pseudonyms')"), ==, 0);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM history"), ==, 0);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM history_steps"), ==, 0);
  g_assert_false (cw_project_can_undo (copy));
  g_assert_cmpint (cw_test_sql_int (db, "PRAGMA freelist_count"), ==, 0);
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA journal_mode"), ==, "wal");
  g_assert_cmpstr (cw_test_sql_text (db, "PRAGMA integrity_check"), ==, "ok");
  /* The index finds the pseudonyms, not the names (tokens are lower case). */
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM document_index WHERE document_index MATCH 'kevin'"), ==, 0);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM document_index WHERE document_index MATCH 'almere'"), ==, 0);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM document_index WHERE document_index MATCH 'persoon'"), >, 0);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO document_index (document_index) VALUES ('integrity-check')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  /* Stable case ids, in the cases' order; the names in the cohort gone. */
  g_assert_cmpstr (cw_test_sql_text (db, "SELECT group_concat (identifier, ',') FROM (SELECT identifier FROM cases ORDER BY id LIMIT 3)"),
                   ==, "C001,C002,C003");
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM case_values WHERE text = 'Kevin'"), ==, 0);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM case_values WHERE text = '[Persoon 1]'"), ==, 1);
  /* Speakers, their links and document names. */
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM speakers WHERE name = 'Moeder van [Persoon 4]'"), ==, 1);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM documents WHERE name = 'arena-praktijkschool-school-a.txt'"), ==, 1);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM case_links"), ==,
                   cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM case_links"));

  /* Every coding covers the same words, names replaced. */
  original = coded_texts (path);
  pseudonymised = coded_texts (out);
  g_assert_cmpuint (g_hash_table_size (pseudonymised), ==, g_hash_table_size (original));
  g_assert_cmpuint (g_hash_table_size (original), >, 50);
  g_hash_table_iter_init (&iter, original);
  while (g_hash_table_iter_next (&iter, &guid, &text))
    {
      g_autofree char *expected = replace_by_hand (text);

      g_assert_cmpstr (g_hash_table_lookup (pseudonymised, guid), ==, expected);
    }
  /* Turns too: each still starts after its (replaced) label. */
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM turns t JOIN speakers s ON s.id = t.speaker_id"
                                        " JOIN documents d ON d.id = t.document_id"
                                        " WHERE t.start >= length (s.name) + 2"
                                        " AND substr (d.text, t.start - length (s.name) - 1, length (s.name) + 2) != s.name || ': '"
                                        " AND d.kind != 'employer-interview'"), ==, 0);

  /* The key, separately: the table and the case ids. */
  g_assert_true (cw_project_export_pseudonym_key (project, key, &error));
  g_assert_no_error (error);
  {
    g_autofree char *csv = NULL;

    g_assert_true (g_file_get_contents (key, &csv, NULL, &error));
    g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "real;pseudonym;category\r\n"));
    g_assert_nonnull (strstr (csv, "\r\nKevin;[Persoon 1];person\r\n"));
    g_assert_nonnull (strstr (csv, "\r\nPraktijkschool De Brug;[School A];school\r\n"));
    g_assert_nonnull (strstr (csv, "\r\nD001;C001;case id\r\n"));
    g_assert_nonnull (strstr (csv, "\r\nD024;C024;case id\r\n"));
    g_assert_false (cw_project_export_pseudonym_key (project, key, &error));
    g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
    g_clear_error (&error);
  }

  /* Refuses to overwrite; a second copy gives the same case ids. */
  g_assert_false (cw_project_write_pseudonymised_copy (project, out, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_clear_error (&error);
  {
    g_autofree char *again = write_copy (project, dir, "opnieuw.codewerk");
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autoptr(CwProject) second = cw_project_open (again, &error);

    g_assert_no_error (error);
    a = g_strdup (cw_test_sql_text (db, "SELECT group_concat (identifier, ',') FROM (SELECT identifier FROM cases ORDER BY id)"));
    b = g_strdup (cw_test_sql_text (_cw_project_get_db (second), "SELECT group_concat (identifier, ',') FROM (SELECT identifier FROM cases ORDER BY id)"));
    g_assert_cmpstr (a, ==, b);
  }

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

/* Cancelled: nothing at out_path and no temporary file anywhere near. */
static void
test_cancel (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = cw_test_copy_example (dir, "example.codewerk");
  g_autofree char *out = g_build_filename (dir, "gedeeld.codewerk", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CwProject) project = cw_project_open (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;

  add (project, "Kevin", "[Persoon 1]", "person");
  g_cancellable_cancel (cancellable);
  g_assert_false (cw_project_write_pseudonymised_copy (project, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  listing = g_dir_open (dir, 0, NULL);
  for (const char *name; (name = g_dir_read_name (listing)) != NULL;)
    g_assert_true (g_str_has_prefix (name, "example.codewerk"));
  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

static const CwPseudonymCandidate *
find_candidate (GPtrArray  *candidates,
                const char *real)
{
  for (guint i = 0; i < candidates->len; i++)
    if (strcmp (((CwPseudonymCandidate *) candidates->pdata[i])->real, real) == 0)
      return candidates->pdata[i];
  return NULL;
}

static void
test_propose_example (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = cw_test_copy_example (dir, "example.codewerk");
  g_autoptr(CwProject) project = cw_project_open (path, NULL);
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  const CwPseudonymCandidate *c;
  static const char *const names[] = {
    "Kevin", "Sanne", "Mohammed", "Dewi", "Jordy", "Almere", "De Brug", "De Wissel", "Lelystad", "Zwolle",
    "Marloes", "El Amrani", "Pinas", "Almere Buiten", "Praktijkschool De Brug", "Naomi", "Kevins",
    /* Names the Dutch dictionary has: "En Wim zei" (also a word, "wim"),
     * "Frank" at a turn's start. */
    "Wim", "Frank",
  };
  static const char *const not_names[] = {
    "Gespreksleider", "Interviewer", "INTERVIEWER", "Werkgever", "Docent", "Stagebegeleider", "Moeder",
    "Moeder van Dewi", "Mevrouw Bakker", "Ja", "Oké", "Eh", "Nee", "Dus", "I", "R", "VSO", "ROC", "PrO",
    "Entree", "Kevin:", "Toen", "Mijn",
    /* After "[lacht]" or an opening quote a sentence starts; English's
     * "Dan", "In" and "Van" are Dutch words. */
    "Dan", "Dat", "Van", "In", "Maar", "Ik", "En",
  };

  add (project, "Jordy", "[Persoon 7]", "person");
  add (project, "Zwolle", "[Plaats C]", "place");
  candidates = cw_project_propose_pseudonyms (project, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i], "Jordy") != 0 && strcmp (names[i], "Zwolle") != 0 && find_candidate (candidates, names[i]) == NULL)
      g_error ("“%s” was not proposed", names[i]);
  /* Already in the table. */
  g_assert_null (find_candidate (candidates, "Jordy"));
  g_assert_null (find_candidate (candidates, "Zwolle"));
  for (guint i = 0; i < G_N_ELEMENTS (not_names); i++)
    if (find_candidate (candidates, not_names[i]) != NULL)
      g_error ("“%s” was proposed", not_names[i]);

  c = find_candidate (candidates, "Kevin");
  g_assert_cmpstr (c->source, ==, "speaker");
  g_assert_cmpstr (c->category, ==, "person");
  g_assert_cmpuint (c->occurrences, ==, 42);
  /* Most occurrences first, numbered after the table's own. */
  g_assert_true (candidates->pdata[0] == c);
  g_assert_cmpstr (c->suggested_pseudonym, ==, "[Persoon 8]");
  g_assert_cmpstr (find_candidate (candidates, "Kevins")->suggested_pseudonym, ==, "[Persoon 8]s");
  g_assert_cmpstr (find_candidate (candidates, "Dewi")->source, ==, "speaker"); /* "Moeder van Dewi" too */
  g_assert_cmpstr (find_candidate (candidates, "Naomi")->source, ==, "variable:Naam");
  c = find_candidate (candidates, "De Brug");
  g_assert_cmpstr (c->source, ==, "capitalised");
  g_assert_cmpstr (c->category, ==, "school");
  g_assert_true (g_str_has_prefix (c->suggested_pseudonym, "[School "));
  c = find_candidate (candidates, "Almere");
  g_assert_cmpstr (c->category, ==, "place");
  g_assert_cmpstr (find_candidate (candidates, "Lelystad")->category, ==, "place");
  /* Places are lettered after the table's [Plaats C]. */
  for (guint i = 0; i < candidates->len; i++)
    {
      const CwPseudonymCandidate *p = candidates->pdata[i];

      g_assert_cmpstr (p->suggested_pseudonym, !=, "[Plaats A]");
      g_assert_cmpstr (p->suggested_pseudonym, !=, "[Plaats C]");
      g_assert_cmpstr (p->suggested_pseudonym, !=, "[Persoon 7]");
      if (i > 0)
        g_assert_cmpuint (((CwPseudonymCandidate *) candidates->pdata[i - 1])->occurrences, >=, p->occurrences);
    }

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

/* Two names that become the same pseudonym in a UNIQUE column (document
 * names) are told apart, not refused. */
static void
test_unique_clash (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) a = cw_test_write_file (dir, "Kevin.txt", "Kevin: Ja.\n");
  g_autoptr(GFile) b = cw_test_write_file (dir, "Sanne.txt", "Sanne: Nee.\n");
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) copy = NULL;
  g_autofree char *out = NULL;

  g_ptr_array_add (files, a);
  g_ptr_array_add (files, b);
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  add (project, "Kevin", "[Jongere]", "person");
  add (project, "Sanne", "[Jongere]", "person");
  out = write_copy (project, dir, "copy.codewerk");
  copy = cw_project_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cw_test_sql_text (_cw_project_get_db (copy), "SELECT group_concat (name, '|') FROM (SELECT name FROM documents ORDER BY id)"),
                   ==, "[Jongere].txt|[Jongere].txt (2)");
  g_assert_cmpstr (cw_test_sql_text (_cw_project_get_db (copy), "SELECT group_concat (name, '|') FROM (SELECT name FROM speakers ORDER BY id)"),
                   ==, "[Jongere]|[Jongere]");
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

/* A small project: speakers with roles, a sentence-start word that also
 * appears in lower case, a name only at sentences' starts. */
static void
test_propose_rules (void)
{
  static const char text[] =
    "Interviewer: Waar woon je?\n"
    "Vader van Bilal: Wij wonen in Ommen. Toen kwam meneer Jansen langs.\n"
    "Leerling 3: Ik ben Noor. Dus ik zei dus niks. Bij Hoveniersbedrijf Groenrijk werk ik.\n"
    "Mevrouw van der Berg: Goed.\n"
    "R: Brommel zei het al.\n";
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 doc;

  project = project_with_text (dir, text, &doc);
  candidates = cw_project_propose_pseudonyms (project, NULL, &error);
  g_assert_no_error (error);

  g_assert_nonnull (find_candidate (candidates, "Bilal"));
  g_assert_cmpstr (find_candidate (candidates, "Bilal")->source, ==, "speaker");
  g_assert_nonnull (find_candidate (candidates, "Ommen"));
  g_assert_cmpstr (find_candidate (candidates, "Ommen")->category, ==, "place");
  g_assert_nonnull (find_candidate (candidates, "Noor"));
  g_assert_nonnull (find_candidate (candidates, "van der Berg"));
  g_assert_nonnull (find_candidate (candidates, "Hoveniersbedrijf Groenrijk"));
  g_assert_cmpstr (find_candidate (candidates, "Hoveniersbedrijf Groenrijk")->category, ==, "employer");
  g_assert_null (find_candidate (candidates, "Dus"));        /* also in lower case */
  g_assert_null (find_candidate (candidates, "Brommel"));    /* only at a sentence's start, unknown */
  g_assert_null (find_candidate (candidates, "Interviewer"));
  g_assert_null (find_candidate (candidates, "Leerling"));
  g_assert_null (find_candidate (candidates, "Vader"));
  g_assert_null (find_candidate (candidates, "Mevrouw"));
  g_assert_null (find_candidate (candidates, "R"));

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

/* First names the Dutch dictionary knows with a capital are proposed even
 * when they only open sentences; sentence-initial words are not. Table:
 * each line of the transcript, and whether its name is proposed. */
static void
test_propose_dictionary_names (void)
{
  static const struct
  {
    const char *line;
    const char *word;
    gboolean    proposed;
  } cases[] = {
    { "Jongere: Ahmed hielp me.\n", "Ahmed", TRUE },             /* "ahmed" is no word */
    { "Jongere: Fatima ook.\n", "Fatima", TRUE },
    { "Jongere: Pieter zei niets.\n", "Pieter", TRUE },
    { "Jongere: Ja. Sanne belde.\n", "Sanne", TRUE },
    { "Jongere: En toen zei Wim dat het goed was.\n", "Wim", TRUE }, /* mid-sentence, though "wim" is a word */
    { "Jongere: Roos zei dat.\n", "Roos", FALSE },               /* "roos": only at a start, no evidence */
    { "Jongere: Dat klopt.\n", "Dat", FALSE },
    { "Jongere: Maar ik weet het niet.\n", "Maar", FALSE },
    { "Jongere: Ik denk het.\n", "Ik", FALSE },
    { "Jongere: Toen ging het beter.\n", "Toen", FALSE },
    { "Jongere: Klaar. [lacht] Dan gaan we.\n", "Dan", FALSE },  /* a note does not end the sentence's start */
    { "Jongere: Hij zei: \u201cVan school naar werk.\u201d\n", "Van", FALSE },
    { "Jongere: Brommel zei het.\n", "Brommel", FALSE },          /* unknown, only at a start */
  };
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(GString) text = g_string_new ("Interviewer: Wie hielp je toen?\n");
  g_autoptr(CwProject) project = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GError) error = NULL;
  gint64 doc;

  /* hunspell-nl is a build dependency: without it this rule cannot work. */
  g_assert_true (cw_spell_checker_load (cw_spell_checker_get_default (), "nl", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append (text, cases[i].line);
  project = project_with_text (dir, text->str, &doc);
  candidates = cw_project_propose_pseudonyms (project, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const CwPseudonymCandidate *c = find_candidate (candidates, cases[i].word);

      if (cases[i].proposed && c == NULL)
        g_error ("“%s” was not proposed (%s)", cases[i].word, cases[i].line);
      if (!cases[i].proposed && c != NULL)
        g_error ("“%s” was proposed (%s)", cases[i].word, cases[i].line);
      if (c != NULL)
        g_assert_cmpstr (c->category, ==, "person");
    }
  g_assert_null (find_candidate (candidates, "Jongere"));

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

static guint
n_pseudonyms (CwProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = cw_project_list_pseudonyms (project, &error);

  g_assert_no_error (error);
  return rows->len;
}

/* Many rows at once: one undo step takes them all back; a refused row
 * adds none. */
static void
test_add_batch (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GError) error = NULL;
  CwPseudonym rows[] = {
    { 0, "Kevin", "[Persoon 1]", "person" },
    { 0, "Kevins", "[Persoon 1]s", "person" },
    { 0, "Praktijkschool De Brug", "[School A]", "school" },
    { 0, "Almere", "[Plaats A]", NULL },
  };
  const CwPseudonym *all[] = { &rows[0], &rows[1], &rows[2], &rows[3] };
  CwPseudonym clash = { 0, "Almere", "[Plaats B]", "place" };
  CwPseudonym fresh = { 0, "Sanne", "[Persoon 2]", "person" };
  CwPseudonym empty = { 0, "Dewi", "  ", "person" };
  const CwPseudonym *with_clash[] = { &fresh, &clash };
  const CwPseudonym *with_empty[] = { &fresh, &empty };
  const CwPseudonym *twice[] = { &fresh, &fresh };
  g_autofree char *listed = NULL;
  g_autofree char *label = NULL;

  g_assert_true (cw_project_add_pseudonyms (project, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_false (cw_project_can_undo (project));

  g_assert_true (cw_project_add_pseudonyms (project, all, G_N_ELEMENTS (all), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_pseudonyms (project), ==, 4);
  listed = list_as_text (project);
  g_assert_true (strstr (listed, "Almere=[Plaats A](-);") != NULL);
  g_assert_true (strstr (listed, "Praktijkschool De Brug=[School A](school);") != NULL);
  label = cw_project_get_undo_label (project);
  g_assert_cmpstr (label, ==, "Add 4 pseudonyms");

  /* All or none: a clash with the table, a blank pseudonym, a real name
   * twice in the batch. */
  g_assert_false (cw_project_add_pseudonyms (project, with_clash, 2, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (cw_project_add_pseudonyms (project, with_empty, 2, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cw_project_add_pseudonyms (project, twice, 2, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (n_pseudonyms (project), ==, 4);

  /* One undo removes the four; redo brings them back. */
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_pseudonyms (project), ==, 0);
  g_assert_false (cw_project_can_undo (project));
  g_assert_true (cw_project_redo (project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_pseudonyms (project), ==, 4);

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

/* Retrieved segments pseudonymised for an export: texts as a copy has
 * them, offsets into that text, names in every field. */
static void
test_segments (void)
{
  static const char text[] =
    "Interviewer: Waar werk je?\n"
    "Kevin: Bij Bakkerij Jansen in Almere. Kevin vindt het leuk.\n";
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = NULL;
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = NULL;
  g_autofree char *pseudonymised = NULL;
  g_autofree char *described = NULL;
  gint64 doc, code;
  const char *from;

  project = project_with_text (dir, text, &doc);
  full = cw_project_get_text (project, doc, &error);
  g_assert_no_error (error);
  code = cw_project_add_code (project, "Werk/Almere-stage", NULL, NULL, &error);
  g_assert_no_error (error);
  /* "Bakkerij Jansen in Almere", and one that starts inside "Jansen". */
  from = strstr (full, "Bakkerij");
  g_assert_cmpint (cw_project_add_coding (project, doc, code, g_utf8_pointer_to_offset (full, from),
                                          g_utf8_pointer_to_offset (full, strstr (full, ". Kevin")),
                                          "Anouk", "Jansen is de baas", &error), >, 0);
  g_assert_no_error (error);
  from = strstr (full, "nsen in");
  g_assert_cmpint (cw_project_add_coding (project, doc, code, g_utf8_pointer_to_offset (full, from),
                                          g_utf8_pointer_to_offset (full, from) + 7, "Anouk", NULL, &error), >, 0);
  g_assert_no_error (error);
  add (project, "Kevin", "[Persoon 1]", "person");
  add (project, "Jansen", "[Werkgever 1]", "employer");
  add (project, "Almere", "[Plaats A]", "place");

  query->with_text = TRUE;
  segments = cw_project_retrieve (project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (segments->len, ==, 2);
  g_assert_true (cw_project_pseudonymise_segments (project, segments, NULL, &error));
  g_assert_no_error (error);

  pseudonymised = cw_project_pseudonymise_text (project, full, &error);
  g_assert_no_error (error);
  g_assert_true (strstr (pseudonymised, "[Persoon 1]: Bij Bakkerij [Werkgever 1] in [Plaats A].") != NULL);
  for (guint i = 0; i < segments->len; i++)
    {
      const CwCoding *s = g_ptr_array_index (segments, i);
      g_autofree char *there = g_utf8_substring (pseudonymised, (glong) s->start, (glong) s->end);

      /* Offsets into the pseudonymised text, which the text matches. */
      g_assert_cmpstr (s->text, ==, there);
      g_assert_cmpstr (s->speaker, ==, "[Persoon 1]");
      g_assert_cmpstr (s->code, ==, "Werk/[Plaats A]-stage");
      g_assert_cmpstr (s->coder, ==, "Anouk");
    }
  g_assert_cmpstr (((CwCoding *) segments->pdata[0])->text, ==, "Bakkerij [Werkgever 1] in [Plaats A]");
  g_assert_cmpstr (((CwCoding *) segments->pdata[0])->memo, ==, "[Werkgever 1] is de baas");
  /* Started inside "Jansen": covers the whole pseudonym. */
  g_assert_cmpstr (((CwCoding *) segments->pdata[1])->text, ==, "[Werkgever 1] in");

  described = cw_project_pseudonymise_text (project, "Spreker: Kevin; code Werk/Almere-stage", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (described, ==, "Spreker: [Persoon 1]; code Werk/[Plaats A]-stage");

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pseudonym/table", test_table);
  g_test_add_func ("/pseudonym/untracked-file", test_untracked_file);
  g_test_add_func ("/pseudonym/matching", test_matching);
  g_test_add_func ("/pseudonym/codings-follow-edit-rules", test_codings_follow_edit_rules);
  g_test_add_func ("/pseudonym/example-copy", test_example_copy);
  g_test_add_func ("/pseudonym/cancel", test_cancel);
  g_test_add_func ("/pseudonym/unique-clash", test_unique_clash);
  g_test_add_func ("/pseudonym/propose-example", test_propose_example);
  g_test_add_func ("/pseudonym/propose-rules", test_propose_rules);
  g_test_add_func ("/pseudonym/propose-dictionary-names", test_propose_dictionary_names);
  g_test_add_func ("/pseudonym/add-batch", test_add_batch);
  g_test_add_func ("/pseudonym/segments", test_segments);
  return g_test_run ();
}
