/* test-case-condition.c: the condition language over case variables
 * (parse, canonical form, evaluation with missing values, value labels,
 * dates, decimal commas), every error with its column, and retrieval and
 * co-occurrence filtered by a condition. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cw-case-condition.h"
#include "cw-codebook.h"
#include "cw-project-private.h"
#include "cw-retrieval.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  GPtrArray *variables;
  GPtrArray *cases;
} Fixture;

static void
exec (CwProject  *project,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_cw_project_exec (project, sql, &error));
  g_assert_no_error (error);
}

/* Six cases: P3 misses most values (its school an empty text), P6 its
 * status; status is numeric with value labels. */
static void
add_cohort (CwProject *project)
{
  exec (project,
        "INSERT INTO variables (id, guid, name, label, type, position) VALUES"
        " (1, 'a0000000-0000-4000-8000-000000000001', 'naam', NULL, 'text', 0),"
        " (2, 'a0000000-0000-4000-8000-000000000002', 'status', 'Status na een jaar', 'numeric', 1),"
        " (3, 'a0000000-0000-4000-8000-000000000003', 'iq', NULL, 'numeric', 2),"
        " (4, 'a0000000-0000-4000-8000-000000000004', 'gemiddelde', NULL, 'numeric', 3),"
        " (5, 'a0000000-0000-4000-8000-000000000005', 'start', NULL, 'date', 4),"
        " (6, 'a0000000-0000-4000-8000-000000000006', 'Soort school', NULL, 'text', 5);"
        "INSERT INTO value_labels (variable_id, value, label) VALUES"
        " (2, 1, 'baan'), (2, 2, 'school'), (2, 3, 'thuis');"
        "INSERT INTO cases (id, guid, identifier) VALUES"
        " (1, 'b0000000-0000-4000-8000-000000000001', 'P1'),"
        " (2, 'b0000000-0000-4000-8000-000000000002', 'P2'),"
        " (3, 'b0000000-0000-4000-8000-000000000003', 'P3'),"
        " (4, 'b0000000-0000-4000-8000-000000000004', 'P4'),"
        " (5, 'b0000000-0000-4000-8000-000000000005', 'P5'),"
        " (6, 'b0000000-0000-4000-8000-000000000006', 'P6');"
        "INSERT INTO case_values (case_id, variable_id, number, text) VALUES"
        " (1, 1, NULL, 'Kevin'), (1, 2, 1, NULL), (1, 3, 82, NULL), (1, 4, 6.8, NULL),"
        " (1, 5, NULL, '2015-09-01'), (1, 6, NULL, 'PrO'),"
        " (2, 1, NULL, 'Sanne'), (2, 2, 2, NULL), (2, 3, 74.5, NULL), (2, 4, 6.4, NULL),"
        " (2, 5, NULL, '2016-08-15'), (2, 6, NULL, 'VSO'),"
        " (3, 1, NULL, 'Daan'), (3, 2, 3, NULL), (3, 6, NULL, ''),"
        " (4, 1, NULL, 'Noor'), (4, 2, 2, NULL), (4, 3, 91, NULL), (4, 4, 7.1, NULL),"
        " (4, 5, NULL, '2017-01-10'), (4, 6, NULL, 'Entree'),"
        " (5, 1, NULL, 'Élise'), (5, 2, 1, NULL), (5, 3, 68, NULL), (5, 4, 5.5, NULL),"
        " (5, 5, NULL, '2014-12-31'), (5, 6, NULL, 'pro'),"
        " (6, 1, NULL, 'Sem'), (6, 3, 77, NULL), (6, 4, 6.0, NULL), (6, 5, NULL, '2016-03-01');");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = cw_test_make_dir ();
  fixture->project = cw_test_new_project (fixture->dir);
  add_cohort (fixture->project);
  fixture->variables = cw_project_list_variables (fixture->project, &error);
  g_assert_no_error (error);
  fixture->cases = cw_project_list_cases (fixture->project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->variables->len, ==, 6);
  g_assert_cmpuint (fixture->cases->len, ==, 6);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_ptr_array_unref (fixture->cases);
  g_ptr_array_unref (fixture->variables);
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The identifiers of the cases that satisfy condition, space-separated. */
static char *
matching (Fixture               *fixture,
          const CwCaseCondition *condition)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < fixture->cases->len; i++)
    {
      const CwCase *kase = g_ptr_array_index (fixture->cases, i);

      if (cw_case_condition_matches (condition, kase))
        g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", kase->identifier);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const struct
{
  const char *text;
  const char *cases;     /* identifiers, in order */
  const char *canonical; /* NULL: the text itself */
} valid[] = {
  /* Numbers: decimal point or comma; a missing value never compares. */
  { "iq < 70", "P5", NULL },
  { "IQ<70", "P5", "iq < 70" },
  { "iq >= 74,5", "P1 P2 P4 P6", "iq >= 74.5" },
  { "iq ≥ 74.5", "P1 P2 P4 P6", "iq >= 74.5" },
  { "iq != 82", "P2 P4 P5 P6", NULL },
  { "iq ≠ 82", "P2 P4 P5 P6", "iq != 82" },
  { "iq <> 82", "P2 P4 P5 P6", "iq != 82" },
  { "iq == 82", "P1", "iq = 82" },
  { "iq ≤ 68", "P5", "iq <= 68" },
  { "iq > 100", "", NULL },
  { "gemiddelde = 6,8", "P1", "gemiddelde = 6.8" },
  { "gemiddelde > -1", "P1 P2 P4 P5 P6", NULL },
  /* SQL's three values: NOT of an unknown comparison is unknown too. */
  { "NOT iq < 70", "P1 P2 P4 P6", NULL },
  { "niet iq < 70 of iq is missing", "P1 P2 P3 P4 P6", "NOT iq < 70 OR iq is missing" },
  { "iq is missing", "P3", NULL },
  { "IQ IS NOT MISSING", "P1 P2 P4 P5 P6", "iq is not missing" },
  { "iq is niet missing", "P1 P2 P4 P5 P6", "iq is not missing" },
  /* Value labels, spelled as the variable does; or the code itself. */
  { "status = baan", "P1 P5", NULL },
  { "Status = BAAN", "P1 P5", "status = baan" },
  { "status = 2", "P2 P4", NULL },
  { "status > baan", "P2 P3 P4", NULL },
  { "status != baan", "P2 P3 P4", NULL },
  { "NOT status = baan", "P2 P3 P4", NULL },
  { "status = school OR status = thuis", "P2 P3 P4", NULL },
  /* Text: case-insensitive, also beyond ASCII; an empty text is missing. */
  { "naam = kevin", "P1", NULL },
  { "naam = ÉLISE", "P5", NULL },
  { "naam = elise", "", NULL },
  { "naam < M", "P1 P3", NULL },
  { "\"Soort school\" = pro", "P1 P5", NULL },
  { "'soort school' is missing", "P3 P6", "\"Soort school\" is missing" },
  { "Soort school = vso", "P2", "\"Soort school\" = vso" },
  { "naam = 'O''Neill'", "", "naam = O'Neill" },
  { "naam = \"say \"\"hi\"\"\"", "", "naam = \"say \"\"hi\"\"\"" },
  { "naam = \"Kevin\"", "P1", "naam = Kevin" },
  /* Dates: yyyy-mm-dd, or dd-mm-yyyy and d-m-yyyy. */
  { "start < 2016-01-01", "P1 P5", NULL },
  { "start >= 01-01-2016", "P2 P4 P6", "start >= 2016-01-01" },
  { "start = 1-3-2016", "P6", "start = 2016-03-01" },
  { "start is missing", "P3", NULL },
  /* AND binds tighter than OR; parentheses; Dutch keywords. */
  { "iq < 70 or status = school and gemiddelde > 7", "P4 P5", "iq < 70 OR status = school AND gemiddelde > 7" },
  { "(iq < 70 or status = school) and gemiddelde > 7", "P4", "(iq < 70 OR status = school) AND gemiddelde > 7" },
  { "iq < 70 OF status = school EN gemiddelde > 7", "P4 P5", "iq < 70 OR status = school AND gemiddelde > 7" },
  { "NIET (iq < 70 OF iq is missing)", "P1 P2 P4 P6", "NOT (iq < 70 OR iq is missing)" },
  { "NOT NOT iq < 70", "P5", NULL },
  { "((iq < 70))", "P5", "iq < 70" },
  { "iq < 70 AND (status = baan AND gemiddelde < 6)", "P5", "iq < 70 AND status = baan AND gemiddelde < 6" },
  { "status = baan AND NOT iq is missing", "P1 P5", NULL },
  { "  iq\t<\n70  ", "P5", "iq < 70" },
};

static void
test_valid (Fixture       *fixture,
            gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwCaseCondition) condition = NULL;
      g_autoptr(CwCaseCondition) again = NULL;
      g_autofree char *cases = NULL;
      g_autofree char *canonical = NULL;
      g_autofree char *cases_again = NULL;
      g_autofree char *canonical_again = NULL;

      g_test_message ("%s", valid[i].text);
      condition = cw_case_condition_parse (valid[i].text, fixture->variables, &error);
      g_assert_no_error (error);
      g_assert_nonnull (condition);
      cases = matching (fixture, condition);
      g_assert_cmpstr (cases, ==, valid[i].cases);
      canonical = cw_case_condition_to_string (condition);
      g_assert_cmpstr (canonical, ==, valid[i].canonical != NULL ? valid[i].canonical : valid[i].text);

      /* The canonical form means the same and prints the same. */
      again = cw_case_condition_parse (canonical, fixture->variables, &error);
      g_assert_no_error (error);
      cases_again = matching (fixture, again);
      canonical_again = cw_case_condition_to_string (again);
      g_assert_cmpstr (cases_again, ==, cases);
      g_assert_cmpstr (canonical_again, ==, canonical);
    }
}

static const struct
{
  const char *text;
  int         code;
  const char *message;
} invalid[] = {
  { "", CW_CASE_CONDITION_ERROR_SYNTAX, "column 1: a condition is expected" },
  { "   ", CW_CASE_CONDITION_ERROR_SYNTAX, "column 4: a condition is expected" },
  { "IQ <", CW_CASE_CONDITION_ERROR_SYNTAX, "column 5: a value is expected after “<”" },
  { "iq < < 70", CW_CASE_CONDITION_ERROR_SYNTAX, "column 6: a value is expected after “<”" },
  { "iq <= )", CW_CASE_CONDITION_ERROR_SYNTAX, "column 7: a value is expected after “<=”" },
  { "iq", CW_CASE_CONDITION_ERROR_SYNTAX,
    "column 3: an operator (=, !=, <, <=, >, >=) or “is missing” is expected after “iq”" },
  { "iq 70", CW_CASE_CONDITION_ERROR_SYNTAX,
    "column 6: an operator (=, !=, <, <=, >, >=) or “is missing” is expected after “iq 70”" },
  { "iq AND status = 1", CW_CASE_CONDITION_ERROR_SYNTAX,
    "column 4: an operator (=, !=, <, <=, >, >=) or “is missing” is expected after “iq”" },
  { "iq =< 70", CW_CASE_CONDITION_ERROR_SYNTAX, "column 4: “=<” is not an operator (use =, !=, <, <=, > or >=)" },
  { "< 70", CW_CASE_CONDITION_ERROR_SYNTAX, "column 1: a variable is expected before “<”" },
  { "iq < 70 AND", CW_CASE_CONDITION_ERROR_SYNTAX, "column 12: a comparison is expected after “AND”" },
  { "iq < 70 AND AND iq > 1", CW_CASE_CONDITION_ERROR_SYNTAX, "column 13: a comparison is expected after “AND”" },
  { "iq < 70 of", CW_CASE_CONDITION_ERROR_SYNTAX, "column 11: a comparison is expected after “of”" },
  { "OR iq < 70", CW_CASE_CONDITION_ERROR_SYNTAX, "column 1: a condition is expected" },
  { "NOT", CW_CASE_CONDITION_ERROR_SYNTAX, "column 4: a comparison is expected after “NOT”" },
  { "()", CW_CASE_CONDITION_ERROR_SYNTAX, "column 2: a comparison is expected after “(”" },
  { "(iq < 70", CW_CASE_CONDITION_ERROR_SYNTAX, "column 9: “)” is expected to close the “(” at column 1" },
  { "(iq < 70 naam = x)", CW_CASE_CONDITION_ERROR_SYNTAX, "column 10: AND, OR or “)” is expected before “naam”" },
  { "iq < 70)", CW_CASE_CONDITION_ERROR_SYNTAX, "column 8: “)” without a matching “(”" },
  { "iq < 70 naam = x", CW_CASE_CONDITION_ERROR_SYNTAX, "column 9: AND or OR is expected before “naam”" },
  { "naam = geen baan", CW_CASE_CONDITION_ERROR_SYNTAX,
    "column 13: AND or OR is expected before “baan” (quote a value with spaces: \"geen baan\")" },
  { "\"Soort school = vso", CW_CASE_CONDITION_ERROR_SYNTAX, "column 1: the quote opened here is not closed" },
  { "naam = 'Kevin", CW_CASE_CONDITION_ERROR_SYNTAX, "column 8: the quote opened here is not closed" },
  { "iq is", CW_CASE_CONDITION_ERROR_SYNTAX, "column 6: “missing” or “not missing” is expected after “is”" },
  { "iq is not", CW_CASE_CONDITION_ERROR_SYNTAX, "column 10: “missing” is expected after “is not”" },
  { "iq is leeg", CW_CASE_CONDITION_ERROR_SYNTAX, "column 7: “missing” or “not missing” is expected after “is”" },
  /* Character columns, not bytes. */
  { "naam = Élise AND", CW_CASE_CONDITION_ERROR_SYNTAX, "column 17: a comparison is expected after “AND”" },
  { "iq < 7\xff", CW_CASE_CONDITION_ERROR_SYNTAX, "column 7: the condition is not valid UTF-8" },
  { "iqq < 70", CW_CASE_CONDITION_ERROR_VARIABLE,
    "column 1: no variable “iqq”; the variables are: naam, status, iq, gemiddelde, start, Soort school" },
  { "iq < 70 AND (Soort = x)", CW_CASE_CONDITION_ERROR_VARIABLE,
    "column 14: no variable “Soort”; the variables are: naam, status, iq, gemiddelde, start, Soort school" },
  { "iq < abc", CW_CASE_CONDITION_ERROR_VALUE, "column 6: “abc” is not a number, and “iq” is numeric" },
  { "iq < 7,0,1", CW_CASE_CONDITION_ERROR_VALUE, "column 6: “7,0,1” is not a number, and “iq” is numeric" },
  { "status = werk", CW_CASE_CONDITION_ERROR_VALUE,
    "column 10: “werk” is neither a number nor a value label of “status” (baan, school, thuis)" },
  { "start < 2016-13-01", CW_CASE_CONDITION_ERROR_VALUE,
    "column 9: “2016-13-01” is not a date (yyyy-mm-dd or dd-mm-yyyy), and “start” is a date" },
  { "start < 31-02-2016", CW_CASE_CONDITION_ERROR_VALUE,
    "column 9: “31-02-2016” is not a date (yyyy-mm-dd or dd-mm-yyyy), and “start” is a date" },
  { "naam = ''", CW_CASE_CONDITION_ERROR_VALUE, "column 8: an empty value never matches: use “naam is missing”" },
};

static void
test_invalid (Fixture       *fixture,
              gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwCaseCondition) condition = NULL;

      g_test_message ("%s", invalid[i].text);
      condition = cw_case_condition_parse (invalid[i].text, fixture->variables, &error);
      g_assert_null (condition);
      g_assert_error (error, CW_CASE_CONDITION_ERROR, invalid[i].code);
      g_assert_cmpstr (error->message, ==, invalid[i].message);
    }
}

/* Hostile input: deep nesting is refused, long input is fine. */
static void
test_limits (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) nots = g_string_new (NULL);
  g_autoptr(GString) longer = g_string_new ("iq < 70");
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCaseCondition) condition = NULL;
  g_autofree char *cases = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "iq < 70");
  g_assert_null (cw_case_condition_parse (deep->str, fixture->variables, &error));
  g_assert_error (error, CW_CASE_CONDITION_ERROR, CW_CASE_CONDITION_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "column 65: the condition is nested too deeply (at most 64 levels)");
  g_clear_error (&error);

  for (guint i = 0; i < 10000; i++)
    g_string_append (nots, "NOT ");
  g_string_append (nots, "iq < 70");
  g_assert_null (cw_case_condition_parse (nots->str, fixture->variables, &error));
  g_assert_error (error, CW_CASE_CONDITION_ERROR, CW_CASE_CONDITION_ERROR_SYNTAX);
  g_clear_error (&error);

  /* A thousand comparisons are fine; more are refused, as the tree is
   * walked recursively. */
  for (guint i = 1; i < 1000; i++)
    g_string_append (longer, " OR status = thuis");
  condition = cw_case_condition_parse (longer->str, fixture->variables, &error);
  g_assert_no_error (error);
  cases = matching (fixture, condition);
  g_assert_cmpstr (cases, ==, "P3 P5");
  g_string_append (longer, " OR status = thuis");
  g_assert_null (cw_case_condition_parse (longer->str, fixture->variables, &error));
  g_assert_error (error, CW_CASE_CONDITION_ERROR, CW_CASE_CONDITION_ERROR_SYNTAX);
  g_assert_true (g_str_has_suffix (error->message, ": the condition has too many comparisons (at most 1000)"));
  g_clear_error (&error);

  /* No variables at all: the message says so. */
  {
    g_autoptr(GPtrArray) none = g_ptr_array_new ();

    g_assert_null (cw_case_condition_parse ("iq < 70", none, &error));
    g_assert_error (error, CW_CASE_CONDITION_ERROR, CW_CASE_CONDITION_ERROR_VARIABLE);
    g_assert_cmpstr (error->message, ==,
                     "column 1: no variable “iq”: the project has no case variables (import cohort records first)");
  }
}

/* Flat conditions come apart into terms for the builder; others do not. */
static void
test_terms (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCaseCondition) any = cw_case_condition_parse ("IQ < 70,5 of status = BAAN of 'soort school' is missing",
                                                            fixture->variables, &error);
  g_autoptr(CwCaseCondition) all = cw_case_condition_parse ("iq < 70", fixture->variables, &error);
  g_autoptr(CwCaseCondition) mixed = cw_case_condition_parse ("iq < 70 OR iq > 90 AND status = 1",
                                                              fixture->variables, &error);
  g_autoptr(CwCaseCondition) negated = cw_case_condition_parse ("NOT iq < 70", fixture->variables, &error);
  g_autoptr(GPtrArray) terms = NULL;
  g_autofree char *formatted = NULL;
  gboolean is_any = FALSE;
  CwConditionTerm *term;

  g_assert_no_error (error);
  terms = cw_case_condition_get_terms (any, &is_any);
  g_assert_nonnull (terms);
  g_assert_true (is_any);
  g_assert_cmpuint (terms->len, ==, 3);
  term = g_ptr_array_index (terms, 0);
  g_assert_cmpstr (term->variable, ==, "iq");
  g_assert_cmpint (term->op, ==, CW_CONDITION_LESS);
  g_assert_cmpstr (term->value, ==, "70.5");
  term = g_ptr_array_index (terms, 1);
  g_assert_cmpstr (term->variable, ==, "status");
  g_assert_cmpstr (term->value, ==, "baan");
  term = g_ptr_array_index (terms, 2);
  g_assert_cmpstr (term->variable, ==, "Soort school");
  g_assert_cmpint (term->op, ==, CW_CONDITION_MISSING);
  g_assert_null (term->value);
  g_clear_pointer (&terms, g_ptr_array_unref);

  terms = cw_case_condition_get_terms (all, &is_any);
  g_assert_nonnull (terms);
  g_assert_false (is_any);
  g_assert_cmpuint (terms->len, ==, 1);
  g_clear_pointer (&terms, g_ptr_array_unref);

  g_assert_null (cw_case_condition_get_terms (mixed, &is_any));
  g_assert_null (cw_case_condition_get_terms (negated, &is_any));

  formatted = cw_case_condition_format_term ("Soort school", CW_CONDITION_EQUAL, "geen baan");
  g_assert_cmpstr (formatted, ==, "\"Soort school\" = \"geen baan\"");
  g_clear_pointer (&formatted, g_free);
  formatted = cw_case_condition_format_term ("naam", CW_CONDITION_NOT_MISSING, "ignored");
  g_assert_cmpstr (formatted, ==, "naam is not missing");
  g_clear_pointer (&formatted, g_free);
  formatted = cw_case_condition_format_term ("or", CW_CONDITION_EQUAL, ">3");
  g_assert_cmpstr (formatted, ==, "\"or\" = \">3\"");
  g_assert_cmpstr (cw_condition_operator_to_string (CW_CONDITION_GREATER_EQUAL), ==, ">=");
}

/* A project with a transcript whose speakers are linked to the cases:
 * retrieval keeps the codings of the cases that satisfy the condition. */
static void
test_retrieve (Fixture       *fixture,
               gconstpointer  data)
{
  static const char transcript[] =
    "Gespreksleider: Hoe gaat het?\n"
    "Kevin: Ik heb een baan bij de bakker.\n"
    "Sanne: Ik zit nog op school.\n"
    "Élise: Ik werk in de zorg.\n"
    "Daan: Ik ben thuis.\n";
  static const char *const speakers[] = { "Kevin", "Sanne", "Élise", "Daan" };
  static const gint64 case_ids[] = { 1, 2, 5, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) documents = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(CwCooccurrence) matrix = NULL;
  g_autoptr(GArray) ids = NULL;
  gint64 document, werk, steun;
  guint n_cases = 0;

  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "arena.txt", transcript));
  documents = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  document = g_array_index (documents, gint64, 0);
  werk = cw_project_add_code (fixture->project, "Werk", NULL, NULL, &error);
  g_assert_no_error (error);
  steun = cw_project_add_code (fixture->project, "Steun", NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (speakers); i++)
    {
      g_assert_true (cw_project_link_case (fixture->project, case_ids[i], document, speakers[i], &error));
      g_assert_no_error (error);
    }
  /* Each case's turn coded Werk; Kevin's and Élise's also Steun. */
  turns = cw_project_get_turns (fixture->project, document, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (turns, i);

      if (g_strcmp0 (turn->speaker, "Gespreksleider") == 0)
        continue;
      cw_project_add_coding (fixture->project, document, werk, turn->start, turn->end, NULL, NULL, &error);
      g_assert_no_error (error);
      if (g_strcmp0 (turn->speaker, "Kevin") == 0 || g_strcmp0 (turn->speaker, "Élise") == 0)
        {
          cw_project_add_coding (fixture->project, document, steun, turn->start, turn->end, NULL, NULL, &error);
          g_assert_no_error (error);
        }
    }
  /* And one coding of the interviewer: no case. */
  cw_project_add_coding (fixture->project, document, werk, 0, 10, NULL, NULL, &error);
  g_assert_no_error (error);

  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 7);
  g_clear_pointer (&result, g_ptr_array_unref);

  query->case_condition = g_strdup ("iq < 70");
  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 2);
  for (guint i = 0; i < result->len; i++)
    g_assert_cmpstr (((CwCoding *) g_ptr_array_index (result, i))->case_id, ==, "P5");
  g_clear_pointer (&result, g_ptr_array_unref);

  /* The same as --case for each matching case, together. */
  g_free (query->case_condition);
  query->case_condition = g_strdup ("status = baan OR iq is missing");
  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 5);
  for (guint i = 0; i < result->len; i++)
    {
      const char *kase = ((CwCoding *) g_ptr_array_index (result, i))->case_id;

      g_assert_true (g_strcmp0 (kase, "P1") == 0 || g_strcmp0 (kase, "P5") == 0 || g_strcmp0 (kase, "P3") == 0);
    }
  g_clear_pointer (&result, g_ptr_array_unref);

  /* With the other filters: AND of two codes within the cases. */
  query->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (query->code_ids, werk);
  g_array_append_val (query->code_ids, steun);
  query->combine = CW_COMBINE_AND;
  g_free (query->case_condition);
  query->case_condition = g_strdup ("naam = kevin");
  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 1);
  g_clear_pointer (&result, g_ptr_array_unref);

  /* Co-occurrence within the cases. */
  g_free (query->case_condition);
  query->case_condition = g_strdup ("status != thuis");
  matrix = cw_project_cooccurrence (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matrix->counts[0], ==, 3); /* Werk: Kevin, Sanne, Élise */
  g_assert_cmpuint (matrix->counts[1], ==, 2); /* Werk with Steun */
  g_assert_cmpuint (matrix->counts[3], ==, 2); /* Steun */
  g_clear_pointer (&query->code_ids, g_array_unref);
  query->combine = CW_COMBINE_OR;

  /* No case matches: nothing. A blank condition: everything. */
  g_free (query->case_condition);
  query->case_condition = g_strdup ("iq > 200");
  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 0);
  g_clear_pointer (&result, g_ptr_array_unref);
  g_free (query->case_condition);
  query->case_condition = g_strdup (" \t");
  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->len, ==, 7);
  g_clear_pointer (&result, g_ptr_array_unref);

  /* A bad condition is the condition's error. */
  g_free (query->case_condition);
  query->case_condition = g_strdup ("iq <");
  result = cw_project_retrieve (fixture->project, query, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CW_CASE_CONDITION_ERROR, CW_CASE_CONDITION_ERROR_SYNTAX);
  g_assert_cmpstr (error->message, ==, "column 5: a value is expected after “<”");
  g_clear_error (&error);

  ids = cw_project_match_cases (fixture->project, "iq < 80", &n_cases, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_cases, ==, 6);
  g_assert_cmpuint (ids->len, ==, 3);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 2);
  g_assert_cmpint (g_array_index (ids, gint64, 1), ==, 5);
  g_assert_cmpint (g_array_index (ids, gint64, 2), ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  /* Text order is the locale's collation: pin it. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/case-condition/valid", Fixture, NULL, fixture_set_up, test_valid, fixture_tear_down);
  g_test_add ("/case-condition/invalid", Fixture, NULL, fixture_set_up, test_invalid, fixture_tear_down);
  g_test_add ("/case-condition/limits", Fixture, NULL, fixture_set_up, test_limits, fixture_tear_down);
  g_test_add ("/case-condition/terms", Fixture, NULL, fixture_set_up, test_terms, fixture_tear_down);
  g_test_add ("/case-condition/retrieve", Fixture, NULL, fixture_set_up, test_retrieve, fixture_tear_down);

  return g_test_run ();
}
