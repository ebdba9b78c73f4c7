/* test-autolink.c: proposing links of cases to documents and speakers
 * (table-driven over the matcher) and linking many of them as one
 * undoable step. */
#include "config.h"

#include <string.h>

#include "cw-cases.h"
#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-test-util.h"

typedef struct
{
  char       *dir;
  CwProject  *project;
  GHashTable *documents;  /* name -> gint64* id */
} Fixture;

/* A document named name, then its speakers: "name|speaker|speaker". The
 * speakers go in through SQL, so the names need not look like labels. */
static void
add_document (Fixture    *fixture,
              const char *spec)
{
  g_auto(GStrv) parts = g_strsplit (spec, "|", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *file_name = g_strconcat (parts[0], ".txt", NULL);
  g_autoptr(GArray) ids = NULL;
  gint64 id;

  g_ptr_array_add (files, cw_test_write_file (fixture->dir, file_name, "Een tekst zonder sprekers.\n"));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  id = g_array_index (ids, gint64, 0);
  g_hash_table_insert (fixture->documents, g_strdup (parts[0]), g_memdup2 (&id, sizeof id));

  for (guint i = 1; parts[i] != NULL; i++)
    {
      g_autoptr(sqlite3_stmt) stmt =
        _cw_project_prepare (fixture->project, "INSERT INTO speakers (document_id, name) VALUES (?1, ?2)", &error);

      g_assert_no_error (error);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, parts[i], -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
    }
}

static gint64
document_id (Fixture    *fixture,
             const char *name)
{
  gint64 *id = g_hash_table_lookup (fixture->documents, name);

  g_assert_nonnull (id);
  return *id;
}

static void
import_cases (Fixture    *fixture,
              const char *csv)
{
  g_autoptr(GFile) file = cw_test_write_file (fixture->dir, "cohort.csv", csv);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCasesImportResult) result = cw_project_import_cases (fixture->project, path, "id", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
}

/* "P07@groep#P07": case P07 to the speaker P07 of the document groep;
 * "P07@groep": to the whole document. */
static CwCaseLink *
parse_link (Fixture    *fixture,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  const char *at = strchr (text, '@');
  const char *hash = strchr (text, '#');
  CwCaseLink *link = g_new0 (CwCaseLink, 1);
  g_autofree char *document = NULL;

  g_assert_nonnull (at);
  link->case_identifier = g_strndup (text, (gsize) (at - text));
  link->case_id = cw_project_lookup_case (fixture->project, link->case_identifier, &error);
  g_assert_no_error (error);
  document = hash != NULL ? g_strndup (at + 1, (gsize) (hash - at - 1)) : g_strdup (at + 1);
  link->document_id = document_id (fixture, document);
  link->document = g_steal_pointer (&document);
  link->speaker = hash != NULL ? g_strdup (hash + 1) : NULL;
  return link;
}

static GPtrArray *
parse_links (Fixture    *fixture,
             const char *texts)
{
  g_auto(GStrv) parts = g_strsplit (texts, ", ", -1);
  GPtrArray *links = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_case_link_free);

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (links, parse_link (fixture, parts[i]));
  return links;
}

/* The links as "P07@groep#P07, P08@groep", in their order. */
static char *
format_links (GPtrArray *links)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < links->len; i++)
    {
      const CwCaseLink *link = links->pdata[i];
      /* The documents are files "NAME.txt": the name as the table has it. */
      gsize length = g_str_has_suffix (link->document, ".txt") ? strlen (link->document) - 4 : strlen (link->document);

      g_string_append_printf (text, "%s%s@%.*s", i > 0 ? ", " : "", link->case_identifier, (int) length,
                              link->document);
      if (link->speaker != NULL)
        g_string_append_printf (text, "#%s", link->speaker);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
fixture_set_up (Fixture *fixture)
{
  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  fixture->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
fixture_tear_down (Fixture *fixture)
{
  g_hash_table_unref (fixture->documents);
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* ---- the matcher ---- */

typedef struct
{
  const char *name;
  const char *documents[5];  /* "name|speaker|speaker" */
  const char *cases;         /* CSV with an "id" column */
  const char *variable;      /* NULL: the case identifiers */
  const char *existing;      /* links made first */
  const char *expected;      /* in order: by case, then document */
} ProposalTest;

static const ProposalTest proposal_tests[] = {
  { "identifiers: speaker and document name",
    { "Interview P07 werkgever|Interviewer|Werkgever", "groep|Gespreksleider|P07|P08" },
    "id;golf\nP07;1\nP08;1\nP09;1\n", NULL, "",
    "P07@Interview P07 werkgever, P07@groep#P07, P08@groep#P08" },
  { "identifiers: case-insensitive, accents folded the same",
    { "interview p07|p07|Interviewer", "Gesprek ZOË|ZOE\xcc\x88" },
    "id;golf\nP07;1\nZoë;1\n", NULL, "",
    "P07@interview p07, P07@interview p07#p07, Zoë@Gesprek ZOË, Zoë@Gesprek ZOË#ZOE\xcc\x88" },
  { "identifiers: whole words, \"1\" is not in \"12\"",
    { "groep|Deelnemer 1|Deelnemer 12|Deelnemer 21" },
    "id;golf\n1;1\n12;1\n2;1\n", NULL, "",
    "1@groep#Deelnemer 1, 12@groep#Deelnemer 12" },
  { "identifiers: a bare number is not part of a date, time or version",
    { "Interview 1-3-2021", "Opname 10.30 uur", "Transcript versie 2.1", "Gesprek 3" },
    "id;golf\n1;1\n3;1\n30;1\n2;1\n", NULL, "",
    "3@Gesprek 3" },
  { "identifiers: a letter-and-number id keeps its wave suffix",
    { "Interview P07-2" },
    "id;golf\nP07;1\n2;1\n", NULL, "",
    "P07@Interview P07-2" },
  { "identifiers: nothing matches",
    { "arena|Kevin|Sanne" },
    "id;golf\nD001;1\nD002;1\n", NULL, "",
    "" },
  { "name variable: one name in two documents gives two proposals",
    { "een|Interviewer|Sam", "twee|Sam|Begeleider", "verslag P02" },
    "id;naam\nP01;Sam\nP02;Noor\n", "naam", "",
    "P01@een#Sam, P01@twee#Sam" },
  { "name variable: whole words only",
    { "een|Samira|Samsung|Alina|Sam (deelnemer)" },
    "id;naam\nP01;Sam\nP02;Ali\n", "naam", "",
    "P01@een#Sam (deelnemer)" },
  { "name variable: the variable's name in any case",
    { "een|Sam" },
    "id;Naam\nP01;Sam\n", "naam", "",
    "P01@een#Sam" },
  { "name variable: two cases with one name claim nothing",
    { "een|Sam|Noor", "Gesprek Sam" },
    "id;naam\nP01;Sam\nP02;Sam\nP03;Noor\n", "naam", "",
    "P03@een#Noor" },
  { "name variable: the longer name wins",
    { "een|Sam de Vries|Sam", "Gesprek Sam de Vries en Noor" },
    "id;naam\nP01;Sam\nP02;Sam de Vries\nP03;Noor\n", "naam", "",
    "P01@een#Sam, P02@een#Sam de Vries, P02@Gesprek Sam de Vries en Noor, P03@Gesprek Sam de Vries en Noor" },
  { "name variable: missing-value marks match nothing",
    { "Interview - deel 2|?|-", "Gesprek (n.v.t.)" },
    "id;naam\nP01;-\nP02;?\nP03;\n", "naam", "",
    "" },
  { "identifiers: a speaker of two cases is not guessed, a document of two cases is",
    { "Groepsgesprek P01 P02|P01 en P02|P01" },
    "id;golf\nP01;1\nP02;1\n", NULL, "",
    "P01@Groepsgesprek P01 P02, P01@Groepsgesprek P01 P02#P01, P02@Groepsgesprek P01 P02" },
  { "numeric variable: its values as people write them",
    { "Interview 7", "Interview 7.5" },
    "id;nummer\nA;7\nB;8\n", "nummer", "",
    "A@Interview 7" },
  { "existing links are not proposed; a linked speaker not for another case",
    { "groep|Sam|Bo", "twee|Sam" },
    "id;naam\nP07;Sam\nP08;Bo\nP09;Kim\n", "naam", "P09@groep#Sam, P08@groep#Bo",
    "P07@twee#Sam" },
};

static void
test_proposals (gconstpointer data)
{
  const ProposalTest *test = data;
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  fixture_set_up (&fixture);
  for (guint i = 0; i < G_N_ELEMENTS (test->documents) && test->documents[i] != NULL; i++)
    add_document (&fixture, test->documents[i]);
  import_cases (&fixture, test->cases);
  existing = parse_links (&fixture, test->existing);
  for (guint i = 0; i < existing->len; i++)
    {
      const CwCaseLink *link = existing->pdata[i];

      g_assert_true (cw_project_link_case (fixture.project, link->case_id, link->document_id, link->speaker, &error));
      g_assert_no_error (error);
    }

  proposals = cw_project_propose_case_links_by (fixture.project, test->variable, &error);
  g_assert_no_error (error);
  got = format_links (proposals);
  g_assert_cmpstr (got, ==, test->expected);
  fixture_tear_down (&fixture);
}

/* The older call matches identifiers and names together. */
static void
test_identifiers_and_names (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;

  fixture_set_up (&fixture);
  add_document (&fixture, "groep|P01|Noor");
  import_cases (&fixture, "id;naam\nP01;Sam\nP02;Noor\n");
  proposals = cw_project_propose_case_links (fixture.project, "naam", &error);
  g_assert_no_error (error);
  got = format_links (proposals);
  g_assert_cmpstr (got, ==, "P01@groep#P01, P02@groep#Noor");
  fixture_tear_down (&fixture);
}

static void
test_unknown_variable (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fixture);
  add_document (&fixture, "groep|Sam");
  import_cases (&fixture, "id;naam\nP01;Sam\n");
  proposals = cw_project_propose_case_links_by (fixture.project, "roepnaam", &error);
  g_assert_null (proposals);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "roepnaam"));
  fixture_tear_down (&fixture);
}

/* ---- linking many ---- */

static guint
count_links (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) links = cw_project_list_case_links (fixture->project, 0, &error);

  g_assert_no_error (error);
  return links->len;
}

static void
test_link_cases (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *redo = NULL;
  g_autofree char *linked = NULL;
  int added;

  fixture_set_up (&fixture);
  add_document (&fixture, "een|Interviewer|Sam");
  add_document (&fixture, "twee|Sam|Begeleider|Noor");
  add_document (&fixture, "Interview Bo");
  import_cases (&fixture, "id;naam\nP01;Sam\nP02;Noor\nP03;Bo\n");
  g_assert_true (cw_project_link_case (fixture.project, cw_project_lookup_case (fixture.project, "P02", NULL),
                                       document_id (&fixture, "een"), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_links (&fixture), ==, 1);

  proposals = cw_project_propose_case_links_by (fixture.project, "naam", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (proposals->len, ==, 4);

  /* One of them twice, and one that exists: both skipped. */
  g_ptr_array_add (proposals, parse_link (&fixture, "P01@een#Sam"));
  g_ptr_array_add (proposals, parse_link (&fixture, "P02@een"));
  added = cw_project_link_cases (fixture.project, proposals, &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, ==, 4);
  g_assert_cmpuint (count_links (&fixture), ==, 5);
  label = cw_project_get_undo_label (fixture.project);
  g_assert_cmpstr (label, ==, "Link 3 cases");

  /* Linked ones are proposed no more; linking them again adds nothing
   * and leaves no step behind. */
  again = cw_project_propose_case_links_by (fixture.project, "naam", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 0);
  g_assert_cmpint (cw_project_link_cases (fixture.project, proposals, &error), ==, 0);
  g_assert_no_error (error);
  g_clear_pointer (&label, g_free);
  label = cw_project_get_undo_label (fixture.project);
  g_assert_cmpstr (label, ==, "Link 3 cases");

  /* One undo takes all four back, one redo brings them again. */
  g_assert_true (cw_project_undo (fixture.project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_links (&fixture), ==, 1);
  redo = cw_project_get_redo_label (fixture.project);
  g_assert_cmpstr (redo, ==, "Link 3 cases");
  g_assert_true (cw_project_redo (fixture.project, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_links (&fixture), ==, 5);
  {
    g_autoptr(GPtrArray) links = cw_project_list_case_links (fixture.project, 0, &error);

    linked = format_links (links);
  }
  g_assert_cmpstr (linked, ==, "P01@een#Sam, P01@twee#Sam, P02@een, P02@twee#Noor, P03@Interview Bo");
  fixture_tear_down (&fixture);
}

/* A link to something that is not there refuses the whole batch. */
static void
test_link_cases_refused (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  CwCaseLink *bad;

  fixture_set_up (&fixture);
  add_document (&fixture, "een|Sam");
  import_cases (&fixture, "id;naam\nP01;Sam\nP02;Noor\n");
  before = cw_test_dump (cw_project_get_path (fixture.project));

  links = parse_links (&fixture, "P01@een#Sam, P02@een#Noor");
  g_assert_cmpint (cw_project_link_cases (fixture.project, links, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Noor"));
  g_clear_error (&error);

  bad = links->pdata[1];
  g_clear_pointer (&bad->speaker, g_free);
  bad->case_id = 9999;
  g_assert_cmpint (cw_project_link_cases (fixture.project, links, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  bad->case_id = cw_project_lookup_case (fixture.project, "P02", NULL);
  bad->document_id = 9999;
  g_assert_cmpint (cw_project_link_cases (fixture.project, links, &error), ==, -1);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  after = cw_test_dump (cw_project_get_path (fixture.project));
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (count_links (&fixture), ==, 0);
  fixture_tear_down (&fixture);
}

static void
test_link_cases_empty (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_case_link_free);
  g_autoptr(GError) error = NULL;

  fixture_set_up (&fixture);
  import_cases (&fixture, "id;golf\nP01;1\n");
  g_assert_cmpint (cw_project_link_cases (fixture.project, links, &error), ==, 0);
  g_assert_no_error (error);
  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (proposal_tests); i++)
    {
      g_autofree char *path = g_strdup_printf ("/autolink/propose/%u", i);

      g_test_add_data_func (path, &proposal_tests[i], test_proposals);
    }
  g_test_add_func ("/autolink/propose/identifiers-and-names", test_identifiers_and_names);
  g_test_add_func ("/autolink/propose/unknown-variable", test_unknown_variable);
  g_test_add_func ("/autolink/link-cases", test_link_cases);
  g_test_add_func ("/autolink/link-cases/refused", test_link_cases_refused);
  g_test_add_func ("/autolink/link-cases/empty", test_link_cases_empty);
  return g_test_run ();
}
