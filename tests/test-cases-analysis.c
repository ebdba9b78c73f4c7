/* Cohort analyses: a coding's case (speaker link before document link),
 * retrieval by case, the code x value crosstab and the case x code matrix
 * (CSV parsed back, SAV read back with libreadstat). The cohort rows are
 * written with SQL so these tests do not depend on the importer. */
#include "config.h"

#include <string.h>
#include <readstat.h>

#include "cw-cases.h"
#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-project-private.h"
#include "cw-retrieval.h"
#include "cw-test-util.h"

/* ------------------------------------------------------------------------ */
/* The fixture                                                              */

static const char interview[] =
  "Interviewer: Hoe ging de stage bij de bakker?\n"
  "Kevin: De stage was zwaar. Mijn jobcoach hielp mij wel.\n";
static const char focus[] =
  "Gespreksleider: Wat vinden jullie van school?\n"
  "Sanne: Ik had geen geduld. De stage was kort.\n"
  "Dewi: Stage is leuk en de jobcoach is aardig. De jobcoach belt vaak.\n";
static const char other[] =
  "Interviewer: Nog een vraag over de stage.\n"
  "Yusuf: Ja, ga je gang.\n";

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     docs[3];
  gint64     begeleiding, jobcoach, stage, motivatie, uitval;
} Fixture;

static gint64
offset_of (const char *text,
           const char *needle,
           guint       nth)
{
  const char *p = text;

  for (guint i = 0; i <= nth; i++)
    {
      p = strstr (i == 0 ? p : p + 1, needle);
      g_assert_nonnull (p);
    }
  return g_utf8_pointer_to_offset (text, p);
}

static void
code_word (Fixture    *fx,
           guint       doc,
           const char *text,
           const char *word,
           guint       nth,
           gint64      code_id)
{
  g_autoptr(GError) error = NULL;
  gint64 start = offset_of (text, word, nth);
  gint64 id = cw_project_add_coding (fx->project, fx->docs[doc], code_id, start,
                                     start + g_utf8_strlen (word, -1), NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
}

static void
sql (Fixture    *fx,
     const char *statement)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_cw_project_exec (fx->project, statement, &error));
  g_assert_no_error (error);
}

static gint64
add_code (Fixture    *fx,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  gint64 id = cw_project_add_code (fx->project, path, NULL, NULL, &error);

  g_assert_no_error (error);
  return id;
}

/* Cases P1..P10 (ids 1..10). Links: P1 to the interview as a whole;
 * in the focus group Sanne is P2, Dewi P3, and the document as a whole is
 * P5 (linked first) and P4: P4 wins, being the lower case id. The third
 * document has no links. */
static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *links = NULL;

  (void) data;
  fx->dir = cw_test_make_dir ();
  fx->project = cw_test_new_project (fx->dir);
  g_ptr_array_add (files, cw_test_write_file (fx->dir, "interview-kevin.txt", interview));
  g_ptr_array_add (files, cw_test_write_file (fx->dir, "focusgroep.txt", focus));
  g_ptr_array_add (files, cw_test_write_file (fx->dir, "interview-yusuf.txt", other));
  ids = cw_project_import (fx->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    fx->docs[i] = g_array_index (ids, gint64, i);

  fx->begeleiding = add_code (fx, "Begeleiding");
  fx->jobcoach = add_code (fx, "Begeleiding/Jobcoach");
  fx->stage = add_code (fx, "Stage");
  fx->motivatie = add_code (fx, "Motivatie");
  fx->uitval = add_code (fx, "Uitval & terugval");

  /* P1 (document link): two Stage in Kevin's turn, Jobcoach in the
   * interviewer's turn (the document's case all the same). */
  code_word (fx, 0, interview, "stage", 1, fx->stage);
  code_word (fx, 0, interview, "zwaar", 0, fx->stage);
  code_word (fx, 0, interview, "bakker", 0, fx->jobcoach);
  /* Focus group: Sanne (P2) Stage; Dewi (P3) Stage and Jobcoach twice;
   * the moderator (document: P4) Motivatie. */
  code_word (fx, 1, focus, "stage", 0, fx->stage);
  code_word (fx, 1, focus, "Stage", 0, fx->stage);
  code_word (fx, 1, focus, "jobcoach", 0, fx->jobcoach);
  code_word (fx, 1, focus, "jobcoach", 1, fx->jobcoach);
  code_word (fx, 1, focus, "school", 0, fx->motivatie);
  /* No case. */
  code_word (fx, 2, other, "stage", 0, fx->stage);

  sql (fx, "INSERT INTO cases (id, guid, identifier) VALUES"
           " (1, 'g1', 'P1'), (2, 'g2', 'P2'), (3, 'g3', 'P3'), (4, 'g4', 'P4'), (5, 'g5', 'P5'),"
           " (6, 'g6', 'P6'), (7, 'g7', 'P7'), (8, 'g8', 'P8'), (9, 'g9', 'P9'), (10, 'g10', 'P10')");
  sql (fx, "INSERT INTO variables (id, guid, name, label, type, position) VALUES"
           " (1, 'v1', 'school', 'Opleiding', 'text', 0),"
           " (2, 'v2', 'uitkomst', 'Uitkomst na een jaar', 'numeric', 1),"
           " (3, 'v3', 'iq', NULL, 'numeric', 2),"
           " (4, 'v4', 'stages', 'Aantal stages', 'numeric', 3),"
           " (5, 'v5', 'opmerking', NULL, 'text', 4),"
           " (6, 'v6', 'by', NULL, 'numeric', 5),"
           " (7, 'v7', '1e meting', NULL, 'date', 6),"
           " (8, 'v8', 'Stages', 'Stages (tweede telling)', 'numeric', 7)");
  sql (fx, "INSERT INTO value_labels (variable_id, value, label) VALUES"
           " (2, 1, 'baan'), (2, 2, 'geen baan'), (2, 3, 'opleiding')");
  sql (fx, "INSERT INTO case_values (case_id, variable_id, number, text) VALUES"
           " (1, 1, NULL, 'vmbo'), (2, 1, NULL, 'pro'), (3, 1, NULL, 'vmbo'), (5, 1, NULL, 'pro'),"
           " (6, 1, NULL, 'mbo'),"
           " (1, 2, 1, NULL), (2, 2, 2, NULL), (3, 2, 1, NULL), (4, 2, 3, NULL),"
           " (1, 3, 55, NULL), (2, 3, 62, NULL), (3, 3, 71, NULL), (4, 3, 88, NULL), (5, 3, 95, NULL),"
           " (6, 3, 101, NULL), (7, 3, 110, NULL), (8, 3, 67, NULL), (9, 3, 79, NULL), (10, 3, 120, NULL),"
           " (1, 4, 0, NULL), (2, 4, 3, NULL), (3, 4, 1, NULL), (4, 4, 3, NULL), (5, 4, 2.5, NULL),"
           " (1, 5, NULL, 'zegt: \"prima\"; verder niets'), (2, 5, NULL, 'regel 1\nregel 2'),"
           " (1, 6, 7, NULL), (1, 7, NULL, '2015-09-01'), (1, 8, 4, NULL)");
  links = g_strdup_printf ("INSERT INTO case_links (case_id, document_id, speaker_id) VALUES"
                           " (5, %1$" G_GINT64_FORMAT ", NULL),"
                           " (1, %2$" G_GINT64_FORMAT ", NULL),"
                           " (2, %1$" G_GINT64_FORMAT ", (SELECT id FROM speakers WHERE name = 'Sanne')),"
                           " (3, %1$" G_GINT64_FORMAT ", (SELECT id FROM speakers WHERE name = 'Dewi')),"
                           " (4, %1$" G_GINT64_FORMAT ", NULL)",
                           fx->docs[1], fx->docs[0]);
  sql (fx, links);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  (void) data;
  g_assert_finalize_object (fx->project);
  cw_test_remove_dir (fx->dir);
  g_free (fx->dir);
}

/* ------------------------------------------------------------------------ */
/* Retrieval by case                                                        */

static char *
retrieve_cases (Fixture    *fx,
                const char *case_id)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  GString *out = g_string_new (NULL);

  query->case_id = g_strdup (case_id);
  codings = cw_project_retrieve (fx->project, query, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);

      g_string_append_printf (out, "%s%s:%s:%s", i > 0 ? "|" : "", coding->code,
                              coding->speaker != NULL ? coding->speaker : "-",
                              coding->case_id != NULL ? coding->case_id : "-");
    }
  return g_string_free (out, FALSE);
}

static void
test_retrieve_by_case (Fixture       *fx,
                       gconstpointer  data)
{
  struct { const char *case_id; const char *expected; } cases[] = {
    { "P1", "Begeleiding/Jobcoach:Interviewer:P1|Stage:Kevin:P1|Stage:Kevin:P1" },
    { "P2", "Stage:Sanne:P2" },
    { "P3", "Stage:Dewi:P3|Begeleiding/Jobcoach:Dewi:P3|Begeleiding/Jobcoach:Dewi:P3" },
    /* The speaker links beat the document link: only the moderator's. */
    { "P4", "Motivatie:Gespreksleider:P4" },
    /* Linked to the same document as a whole, but P4 has the lower id. */
    { "P5", "" },
    { "P9", "" },
    { "nobody", "" },
    /* Every coding, each with its case (none in the third document). */
    { NULL, "Begeleiding/Jobcoach:Interviewer:P1|Stage:Kevin:P1|Stage:Kevin:P1|"
            "Motivatie:Gespreksleider:P4|Stage:Sanne:P2|Stage:Dewi:P3|"
            "Begeleiding/Jobcoach:Dewi:P3|Begeleiding/Jobcoach:Dewi:P3|Stage:Interviewer:-" },
  };

  (void) data;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = retrieve_cases (fx, cases[i].case_id);

      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

/* AND regions carry the case of where they start. */
static void
test_retrieve_and_case (Fixture       *fx,
                        gconstpointer  data)
{
  g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = offset_of (focus, "leuk", 0);

  (void) data;
  g_assert_cmpint (cw_project_add_coding (fx->project, fx->docs[1], fx->motivatie, start, start + 4,
                                          NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  query->code_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (query->code_ids, fx->motivatie);
  g_array_append_val (query->code_ids, fx->stage);
  query->combine = CW_COMBINE_AND;
  query->case_id = g_strdup ("P3");
  codings = cw_project_retrieve (fx->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, 0); /* Dewi's Stage does not reach "leuk" */

  g_clear_pointer (&codings, g_ptr_array_unref);
  g_array_index (query->code_ids, gint64, 1) = fx->jobcoach;
  g_clear_pointer (&query->case_id, g_free);
  start = offset_of (focus, "jobcoach", 0);
  g_assert_cmpint (cw_project_add_coding (fx->project, fx->docs[1], fx->motivatie, start - 3, start + 3,
                                          NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  codings = cw_project_retrieve (fx->project, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codings->len, ==, 1);
  g_assert_cmpstr (((CwCoding *) g_ptr_array_index (codings, 0))->case_id, ==, "P3");
  g_assert_cmpstr (((CwCoding *) g_ptr_array_index (codings, 0))->speaker, ==, "Dewi");
}

/* ------------------------------------------------------------------------ */
/* Crosstab                                                                 */

/* "code: value=codings/cases ..." per row, zero cells left out. */
static char *
crosstab_string (CwCrosstab *crosstab)
{
  GString *out = g_string_new (NULL);
  guint n = g_strv_length (crosstab->values);

  for (guint r = 0; r < crosstab->codes->len; r++)
    {
      g_string_append_printf (out, "%s%s:", r > 0 ? "\n" : "", (char *) g_ptr_array_index (crosstab->codes, r));
      for (guint c = 0; c < n; c++)
        if (crosstab->codings[r * n + c] > 0)
          g_string_append_printf (out, " %s=%u/%u", crosstab->values[c], crosstab->codings[r * n + c],
                                  crosstab->cases[r * n + c]);
    }
  return g_string_free (out, FALSE);
}

static void
test_crosstab (Fixture       *fx,
               gconstpointer  data)
{
  struct
  {
    const char *variable;
    guint       bins;
    const char *values;
    const char *cells;
  } cases[] = {
    /* Text: natural order; P4 has no school and has a coding: "missing". */
    { "school", 0, "mbo|pro|vmbo|missing",
      "Begeleiding:\nBegeleiding/Jobcoach: vmbo=3/2\nStage: pro=1/1 vmbo=3/2\nMotivatie: missing=1/1\n"
      "Uitval & terugval:" },
    /* Value labels in code order; P5 (no value) has no codings: no "missing". */
    { "uitkomst", 0, "baan|geen baan|opleiding",
      "Begeleiding:\nBegeleiding/Jobcoach: baan=3/2\nStage: baan=3/2 geen baan=1/1\nMotivatie: opleiding=1/1\n"
      "Uitval & terugval:" },
    /* Ten distinct values 55..120: round bins of 20. */
    { "iq", 0, "40–59|60–79|80–99|100–119|120–139",
      "Begeleiding:\nBegeleiding/Jobcoach: 40–59=1/1 60–79=2/1\nStage: 40–59=2/1 60–79=2/2\n"
      "Motivatie: 80–99=1/1\nUitval & terugval:" },
    /* Three equal bins of whole numbers: 66 numbers, 22 each. */
    { "iq", 3, "55–76|77–98|99–120",
      "Begeleiding:\nBegeleiding/Jobcoach: 55–76=3/2\nStage: 55–76=4/3\nMotivatie: 77–98=1/1\n"
      "Uitval & terugval:" },
    /* Few values: each its own column. */
    { "stages", 0, "0|1|2.5|3",
      "Begeleiding:\nBegeleiding/Jobcoach: 0=1/1 1=2/1\nStage: 0=2/1 1=1/1 3=1/1\nMotivatie: 3=1/1\n"
      "Uitval & terugval:" },
  };

  (void) data;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CwCrosstab) crosstab = cw_project_crosstab (fx->project, cases[i].variable, cases[i].bins, &error);
      g_autofree char *values = NULL;
      g_autofree char *cells = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (crosstab->variable, ==, cases[i].variable);
      values = g_strjoinv ("|", crosstab->values);
      g_assert_cmpstr (values, ==, cases[i].values);
      cells = crosstab_string (crosstab);
      g_assert_cmpstr (cells, ==, cases[i].cells);
    }
}

static void
test_crosstab_errors (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwCrosstab) crosstab = NULL;

  (void) data;
  crosstab = cw_project_crosstab (fx->project, "lengte", 0, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_assert_null (crosstab);
  g_assert_nonnull (strstr (error->message, "lengte"));
  g_clear_error (&error);
  /* Case is forgiven, but an exact match comes first. */
  crosstab = cw_project_crosstab (fx->project, "IQ", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crosstab->variable, ==, "iq");
  g_clear_pointer (&crosstab, cw_crosstab_free);
  crosstab = cw_project_crosstab (fx->project, "Stages", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (crosstab->variable, ==, "Stages");
  g_assert_cmpstr (crosstab->values[0], ==, "4");
  g_clear_pointer (&crosstab, cw_crosstab_free);
  crosstab = cw_project_crosstab (fx->project, "iq", 100000, &error);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_null (crosstab);
}

/* ------------------------------------------------------------------------ */
/* Matrix: CSV                                                              */

/* Splits CSV (';', '"' quoting, CRLF) into rows of fields. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *row = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          for (p++; *p != '\0'; p++)
            {
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          g_assert_cmpint (*p, ==, '"');
          p++;
        }
      else if (*p == ';')
        {
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          p++;
        }
      else if (*p == '\r')
        {
          g_assert_cmpint (p[1], ==, '\n');
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          g_ptr_array_add (rows, row);
          row = g_ptr_array_new_with_free_func (g_free);
          p += 2;
        }
      else
        {
          g_assert_cmpint (*p, !=, '\n'); /* bare LF only inside quotes */
          g_string_append_c (field, *p++);
        }
    }
  g_assert_cmpuint (row->len, ==, 0); /* ends with CRLF */
  g_ptr_array_unref (row);
  g_string_free (field, TRUE);
  return rows;
}

static const char *
cell (GPtrArray *rows,
      guint      r,
      guint      c)
{
  GPtrArray *row = g_ptr_array_index (rows, r);

  g_assert_cmpuint (c, <, row->len);
  return g_ptr_array_index (row, c);
}

static void
test_matrix_csv (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "matrix.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *header = "id|school|uitkomst|iq|stages|opmerking|by|1e meting|Stages|"
                       "Begeleiding|Begeleiding (0/1)|Begeleiding/Jobcoach|Begeleiding/Jobcoach (0/1)|"
                       "Stage|Stage (0/1)|Motivatie|Motivatie (0/1)|Uitval & terugval|Uitval & terugval (0/1)";
  const char *expected[] = {
    "P1|vmbo|1|55|0|zegt: \"prima\"; verder niets|7|2015-09-01|4|0|0|1|1|2|1|0|0|0|0",
    "P2|pro|2|62|3|regel 1\nregel 2||||0|0|0|0|1|1|0|0|0|0",
    "P3|vmbo|1|71|1|||||0|0|2|1|1|1|0|0|0|0",
    "P4||3|88|3|||||0|0|0|0|0|0|1|1|0|0",
    "P5|pro||95|2,5|||||0|0|0|0|0|0|0|0|0|0",
    "P6|mbo||101||||||0|0|0|0|0|0|0|0|0|0",
  };

  (void) data;
  g_assert_true (cw_project_export_matrix (fx->project, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBF"));
  rows = parse_csv (contents + 3);
  /* A header and ten cases, P10 after P9. */
  g_assert_cmpuint (rows->len, ==, 11);
  {
    GPtrArray *first = g_ptr_array_index (rows, 0);
    g_autofree char *joined = NULL;

    g_ptr_array_add (first, NULL);
    joined = g_strjoinv ("|", (char **) first->pdata);
    g_ptr_array_remove_index (first, first->len - 1);
    g_assert_cmpstr (joined, ==, header);
  }
  for (guint r = 0; r < G_N_ELEMENTS (expected); r++)
    {
      GPtrArray *row = g_ptr_array_index (rows, r + 1);
      g_autofree char *joined = NULL;

      g_ptr_array_add (row, NULL);
      joined = g_strjoinv ("|", (char **) row->pdata);
      g_ptr_array_remove_index (row, row->len - 1);
      g_assert_cmpstr (joined, ==, expected[r]);
    }
  g_assert_cmpstr (cell (rows, 9, 0), ==, "P9");
  g_assert_cmpstr (cell (rows, 10, 0), ==, "P10");
  g_assert_cmpstr (cell (rows, 10, 3), ==, "120");
  /* Quoted where needed only. */
  g_assert_nonnull (strstr (contents, "\r\nP1;vmbo;1;55;0;\"zegt: \"\"prima\"\"; verder niets\";7;"));
  g_assert_nonnull (strstr (contents, ";Uitval & terugval;Uitval & terugval (0/1)\r\n"));

  /* Atomic: nothing but the file is left in the folder. */
  dir = g_dir_open (fx->dir, 0, &error);
  g_assert_no_error (error);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    g_assert_false (g_str_has_prefix (name, ".matrix"));
}

static void
test_matrix_refusals (Fixture       *fx,
                      gconstpointer  data)
{
  g_autofree char *xlsx = g_build_filename (fx->dir, "matrix.xlsx", NULL);
  g_autofree char *missing = g_build_filename (fx->dir, "no-such-folder", "matrix.csv", NULL);
  g_autofree char *existing = g_build_filename (fx->dir, "old.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  (void) data;
  g_assert_false (cw_project_export_matrix (fx->project, xlsx, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_assert_false (g_file_test (xlsx, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_false (cw_project_export_matrix (fx->project, missing, NULL, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "matrix.csv"));
  g_clear_error (&error);

  /* A cancelled export leaves the old file as it was. */
  g_assert_true (g_file_set_contents (existing, "oud", -1, NULL));
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (cw_project_export_matrix (fx->project, existing, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "oud");
}

/* ------------------------------------------------------------------------ */
/* Matrix: SAV, read back with libreadstat                                  */

typedef struct
{
  GPtrArray  *names;   /* char* */
  GPtrArray  *labels;  /* char* */
  GPtrArray  *formats; /* char* */
  GPtrArray  *label_sets; /* char* or "" */
  GPtrArray  *cells;   /* char*: values as text, rows x columns */
  GHashTable *value_labels; /* "set:value" -> label */
  int         n_rows;
} SavRead;

static int
sav_on_metadata (readstat_metadata_t *metadata,
                 void                *ctx)
{
  SavRead *sav = ctx;

  sav->n_rows = readstat_get_row_count (metadata);
  return READSTAT_HANDLER_OK;
}

static int
sav_on_variable (int                  index,
                 readstat_variable_t *variable,
                 const char          *val_labels,
                 void                *ctx)
{
  SavRead *sav = ctx;
  const char *label = readstat_variable_get_label (variable);
  const char *format = readstat_variable_get_format (variable);

  g_assert_cmpint (index, ==, (int) sav->names->len);
  g_ptr_array_add (sav->names, g_strdup (readstat_variable_get_name (variable)));
  g_ptr_array_add (sav->labels, g_strdup (label != NULL ? label : ""));
  g_ptr_array_add (sav->formats, g_strdup (format != NULL ? format : ""));
  g_ptr_array_add (sav->label_sets, g_strdup (val_labels != NULL ? val_labels : ""));
  return READSTAT_HANDLER_OK;
}

static int
sav_on_value (int                  obs_index,
              readstat_variable_t *variable,
              readstat_value_t     value,
              void                *ctx)
{
  SavRead *sav = ctx;
  guint n = sav->names->len;
  guint index = (guint) readstat_variable_get_index (variable);
  char *text;

  if (sav->cells->len < (guint) (obs_index + 1) * n)
    g_ptr_array_set_size (sav->cells, (obs_index + 1) * n);
  if (readstat_value_is_system_missing (value))
    text = g_strdup ("");
  else if (readstat_value_type (value) == READSTAT_TYPE_STRING)
    text = g_strdup (readstat_string_value (value));
  else
    text = g_strdup_printf ("%.15g", readstat_double_value (value));
  g_free (sav->cells->pdata[obs_index * n + index]);
  sav->cells->pdata[obs_index * n + index] = text;
  return READSTAT_HANDLER_OK;
}

static int
sav_on_value_label (const char       *val_labels,
                    readstat_value_t  value,
                    const char       *label,
                    void             *ctx)
{
  SavRead *sav = ctx;

  g_hash_table_insert (sav->value_labels,
                       g_strdup_printf ("%s:%g", val_labels, readstat_double_value (value)),
                       g_strdup (label));
  return READSTAT_HANDLER_OK;
}

static const char *
sav_cell (SavRead    *sav,
          guint       row,
          const char *name)
{
  for (guint i = 0; i < sav->names->len; i++)
    if (strcmp (g_ptr_array_index (sav->names, i), name) == 0)
      return g_ptr_array_index (sav->cells, row * sav->names->len + i);
  g_assert_not_reached ();
}

static guint
sav_index (SavRead    *sav,
           const char *name)
{
  for (guint i = 0; i < sav->names->len; i++)
    if (strcmp (g_ptr_array_index (sav->names, i), name) == 0)
      return i;
  g_error ("no SPSS variable %s", name);
}

static gboolean
spss_name_valid (const char *name)
{
  static const char * const reserved[] = {
    "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
  };
  gsize length = strlen (name);

  if (length == 0 || length > 64 || !g_ascii_isalpha (name[0]) || name[length - 1] == '.')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '@')
      return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_ascii_strcasecmp (name, reserved[i]) == 0)
      return FALSE;
  return TRUE;
}

static void
test_matrix_sav (Fixture       *fx,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fx->dir, "matrix.sav", NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  SavRead sav = { 0 };
  readstat_parser_t *parser;
  readstat_error_t rc;
  const char *expected_labels[] = {
    "C01_Begeleiding", "Begeleiding",
    "C01_Begeleiding_01", "Begeleiding (0/1)",
    "C02_Jobcoach", "Begeleiding/Jobcoach",
    "C02_Jobcoach_01", "Begeleiding/Jobcoach (0/1)",
    "C03_Stage", "Stage",
    "C04_Motivatie", "Motivatie",
    "C05_Uitval_terugval", "Uitval & terugval",
    "school", "Opleiding",
    "iq", "iq",
  };
  guint uitkomst;

  (void) data;
  g_assert_true (cw_project_export_matrix (fx->project, path, NULL, &error));
  g_assert_no_error (error);

  sav.names = g_ptr_array_new_with_free_func (g_free);
  sav.labels = g_ptr_array_new_with_free_func (g_free);
  sav.formats = g_ptr_array_new_with_free_func (g_free);
  sav.label_sets = g_ptr_array_new_with_free_func (g_free);
  sav.cells = g_ptr_array_new_with_free_func (g_free);
  sav.value_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parser = readstat_parser_init ();
  readstat_set_metadata_handler (parser, sav_on_metadata);
  readstat_set_variable_handler (parser, sav_on_variable);
  readstat_set_value_handler (parser, sav_on_value);
  readstat_set_value_label_handler (parser, sav_on_value_label);
  rc = readstat_parse_sav (parser, path, &sav);
  readstat_parser_free (parser);
  g_assert_cmpint (rc, ==, READSTAT_OK);

  /* id, 8 variables, 5 codes x 2. */
  g_assert_cmpuint (sav.names->len, ==, 19);
  g_assert_cmpint (sav.n_rows, ==, 10);
  for (guint i = 0; i < sav.names->len; i++)
    {
      const char *name = g_ptr_array_index (sav.names, i);

      if (!spss_name_valid (name))
        g_error ("invalid SPSS name “%s”", name);
      g_assert_true (g_hash_table_add (seen, g_ascii_strup (name, -1)));
    }
  g_assert_cmpstr (g_ptr_array_index (sav.names, 0), ==, "id");
  for (guint i = 0; i < G_N_ELEMENTS (expected_labels); i += 2)
    g_assert_cmpstr (g_ptr_array_index (sav.labels, sav_index (&sav, expected_labels[i])), ==,
                     expected_labels[i + 1]);
  /* "by" is reserved, "1e meting" starts with a digit, "Stages" and
   * "stages" are one name to SPSS. */
  g_assert_cmpstr (g_ptr_array_index (sav.labels, 6), ==, "by");
  g_assert_cmpstr (g_ptr_array_index (sav.labels, 7), ==, "1e meting");
  g_assert_cmpstr (g_ptr_array_index (sav.labels, 8), ==, "Stages (tweede telling)");
  g_assert_cmpstr (g_ptr_array_index (sav.names, 4), ==, "stages");
  g_assert_cmpstr (g_ptr_array_index (sav.names, 8), !=, "Stages");

  /* Formats: whole numbers 8.0, others 8.2. */
  g_assert_cmpstr (g_ptr_array_index (sav.formats, sav_index (&sav, "iq")), ==, "F8.0");
  g_assert_cmpstr (g_ptr_array_index (sav.formats, sav_index (&sav, "stages")), ==, "F8.2");
  g_assert_cmpstr (g_ptr_array_index (sav.formats, sav_index (&sav, "C03_Stage")), ==, "F8.0");

  /* Value labels of uitkomst. */
  uitkomst = sav_index (&sav, "uitkomst");
  {
    const char *set = g_ptr_array_index (sav.label_sets, uitkomst);
    g_autofree char *key1 = g_strdup_printf ("%s:1", set);
    g_autofree char *key3 = g_strdup_printf ("%s:3", set);

    g_assert_cmpstr (set, !=, "");
    g_assert_cmpstr (g_hash_table_lookup (sav.value_labels, key1), ==, "baan");
    g_assert_cmpstr (g_hash_table_lookup (sav.value_labels, key3), ==, "opleiding");
  }

  /* Values. */
  g_assert_cmpstr (sav_cell (&sav, 0, "id"), ==, "P1");
  g_assert_cmpstr (sav_cell (&sav, 9, "id"), ==, "P10");
  g_assert_cmpstr (sav_cell (&sav, 0, "school"), ==, "vmbo");
  g_assert_cmpstr (sav_cell (&sav, 3, "school"), ==, "");
  g_assert_cmpstr (sav_cell (&sav, 0, "uitkomst"), ==, "1");
  g_assert_cmpstr (sav_cell (&sav, 4, "uitkomst"), ==, ""); /* system missing */
  g_assert_cmpstr (sav_cell (&sav, 4, "stages"), ==, "2.5");
  g_assert_cmpstr (sav_cell (&sav, 1, "opmerking"), ==, "regel 1\nregel 2");
  g_assert_cmpstr (sav_cell (&sav, 0, "C03_Stage"), ==, "2");
  g_assert_cmpstr (sav_cell (&sav, 0, "C02_Jobcoach"), ==, "1");
  g_assert_cmpstr (sav_cell (&sav, 2, "C02_Jobcoach"), ==, "2");
  g_assert_cmpstr (sav_cell (&sav, 2, "C02_Jobcoach_01"), ==, "1");
  g_assert_cmpstr (sav_cell (&sav, 3, "C04_Motivatie"), ==, "1");
  g_assert_cmpstr (sav_cell (&sav, 4, "C03_Stage"), ==, "0");
  g_assert_cmpstr (sav_cell (&sav, 4, "C03_Stage_01"), ==, "0");

  /* A date: an SPSS date (seconds since 1582-10-14) with a date format,
   * which haven::read_sav reads as an R Date. 2015-09-01 is 158,107 days
   * after the epoch. */
  {
    const char *name = g_ptr_array_index (sav.names, 7);

    g_assert_true (g_str_has_prefix (g_ptr_array_index (sav.formats, 7), "EDATE"));
    g_assert_cmpstr (sav_cell (&sav, 0, name), ==, "13660444800");
    g_assert_cmpstr (sav_cell (&sav, 1, name), ==, "");
  }

  /* Read back by our own import: the date is a date again. */
  {
    g_autofree char *dir = cw_test_make_dir ();
    g_autoptr(CwProject) other = cw_test_new_project (dir);
    g_autoptr(CwCasesImportResult) result = cw_project_import_cases (other, path, NULL, NULL, &error);
    g_autoptr(GPtrArray) variables = NULL;
    g_autoptr(GPtrArray) cases = NULL;
    guint date = G_MAXUINT;

    g_assert_no_error (error);
    variables = cw_project_list_variables (other, &error);
    cases = cw_project_list_cases (other, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < variables->len; i++)
      if (strcmp (((CwVariable *) variables->pdata[i])->name, g_ptr_array_index (sav.names, 7)) == 0)
        date = i;
    g_assert_cmpuint (date, <, variables->len);
    g_assert_cmpint (((CwVariable *) variables->pdata[date])->type, ==, CW_VARIABLE_DATE);
    for (guint c = 0; c < cases->len; c++)
      {
        CwCase *kase = cases->pdata[c];
        GVariant *value = kase->values->pdata[date];

        if (strcmp (kase->identifier, "P1") == 0)
          g_assert_cmpstr (g_variant_get_string (value, NULL), ==, "2015-09-01");
        else
          g_assert_null (value);
      }
    g_assert_finalize_object (g_steal_pointer (&other));
    cw_test_remove_dir (dir);
  }

  g_ptr_array_unref (sav.names);
  g_ptr_array_unref (sav.labels);
  g_ptr_array_unref (sav.formats);
  g_ptr_array_unref (sav.label_sets);
  g_ptr_array_unref (sav.cells);
  g_hash_table_unref (sav.value_labels);
}

/* ------------------------------------------------------------------------ */
/* Speed                                                                    */

/* 200 cases x 30 codes over 20,000 codings: the matrix in well under a
 * second even under sanitizers (the target, 0.1 s, is for a normal
 * build; the figure is printed). */
static void
test_matrix_speed (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, "matrix.sav", NULL);
  g_autofree char *csv = g_build_filename (dir, "matrix.csv", NULL);
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = NULL;
  GString *statement;
  gint64 codes[30];
  double seconds;

  /* 40 documents, each with 5 speakers of 20 turns: 200 speakers. */
  for (guint d = 0; d < 40; d++)
    {
      g_autofree char *name = g_strdup_printf ("doc%02u.txt", d);

      g_string_truncate (text, 0);
      for (guint t = 0; t < 100; t++)
        g_string_append_printf (text, "Spreker%u: dit is zin %u van het gesprek over werk en school.\n", t % 5, t);
      g_ptr_array_add (files, cw_test_write_file (dir, name, text->str));
    }
  docs = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint c = 0; c < 30; c++)
    {
      g_autofree char *code = g_strdup_printf ("Code %u", c);

      codes[c] = cw_project_add_code (project, code, NULL, NULL, &error);
      g_assert_no_error (error);
    }

  statement = g_string_new ("BEGIN;");
  for (guint k = 1; k <= 200; k++)
    g_string_append_printf (statement, "INSERT INTO cases (id, guid, identifier) VALUES (%u, 'g%u', 'D%03u');", k, k, k);
  g_string_append (statement, "INSERT INTO variables (id, guid, name, type, position) VALUES"
                              " (1, 'v1', 'iq', 'numeric', 0), (2, 'v2', 'school', 'text', 1);");
  g_string_append (statement, "INSERT INTO case_values SELECT id, 1, 60 + id % 50, NULL FROM cases;"
                              "INSERT INTO case_values SELECT id, 2, NULL, 'school ' || (id % 7) FROM cases;"
                              "INSERT INTO case_links (case_id, document_id, speaker_id)"
                              " SELECT row_number () OVER (ORDER BY id), document_id, id FROM speakers;");
  /* 20,000 codings: 500 per document, on words spread over the turns. */
  g_string_append (statement, "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999),"
                              " d (id, r) AS (SELECT id, row_number () OVER (ORDER BY id) - 1 FROM documents),"
                              " k (id, r) AS (SELECT id, row_number () OVER (ORDER BY id) - 1 FROM codes)"
                              " INSERT INTO codings (guid, document_id, code_id, coder_id, start, end, created_at)"
                              " SELECT 'c' || i, d.id, k.id, (SELECT id FROM coders LIMIT 1),"
                              "  (i / 40) * 11, (i / 40) * 11 + 5, '2024-01-01'"
                              " FROM n JOIN d ON d.r = i % 40 JOIN k ON k.r = (i / 40) % 30;");
  g_string_append (statement, "COMMIT;");
  /* The codings need a coder. */
  g_assert_cmpint (cw_project_ensure_coder (project, "Codeur", &error), >, 0);
  g_assert_no_error (error);
  _cw_project_exec (project, statement->str, &error);
  g_assert_no_error (error);
  g_string_free (statement, TRUE);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM codings"), ==, 20000);
  (void) codes;

  timer = g_timer_new ();
  g_assert_true (cw_project_export_matrix (project, path, NULL, &error));
  g_assert_no_error (error);
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("matrix .sav, 200 cases x 30 codes over 20,000 codings: %.3f s", seconds);
  g_printerr ("# matrix .sav, 200 cases x 30 codes, 20,000 codings: %.3f s\n", seconds);
  g_assert_cmpfloat (seconds, <, 1.0);
  g_timer_start (timer);
  g_assert_true (cw_project_export_matrix (project, csv, NULL, &error));
  g_assert_no_error (error);
  seconds = g_timer_elapsed (timer, NULL);
  g_printerr ("# matrix .csv: %.3f s\n", seconds);
  g_assert_cmpfloat (seconds, <, 1.0);
  {
    g_autoptr(CwCrosstab) crosstab = NULL;
    guint total = 0, n;

    g_timer_start (timer);
    crosstab = cw_project_crosstab (project, "iq", 0, &error);
    g_assert_no_error (error);
    g_printerr ("# crosstab: %.3f s\n", g_timer_elapsed (timer, NULL));
    n = g_strv_length (crosstab->values);
    g_assert_cmpuint (crosstab->codes->len, ==, 30);
    for (guint i = 0; i < crosstab->codes->len * n; i++)
      total += crosstab->codings[i];
    /* The crosstab counts exactly the codings retrieval gives a case
     * (those wholly inside a "SprekerN: " label have no speaker). */
    {
      g_autoptr(CwRetrievalQuery) query = cw_retrieval_query_new ();
      g_autoptr(GPtrArray) codings = cw_project_retrieve (project, query, NULL, &error);
      guint with_case = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < codings->len; i++)
        with_case += ((CwCoding *) g_ptr_array_index (codings, i))->case_id != NULL;
      g_assert_cmpuint (total, ==, with_case);
      g_assert_cmpuint (total, >, 15000);
    }
  }

  g_assert_finalize_object (g_steal_pointer (&project));
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

  FIXTURE_TEST ("/cases-analysis/retrieve-by-case", test_retrieve_by_case);
  FIXTURE_TEST ("/cases-analysis/retrieve-and-case", test_retrieve_and_case);
  FIXTURE_TEST ("/cases-analysis/crosstab", test_crosstab);
  FIXTURE_TEST ("/cases-analysis/crosstab-errors", test_crosstab_errors);
  FIXTURE_TEST ("/cases-analysis/matrix-csv", test_matrix_csv);
  FIXTURE_TEST ("/cases-analysis/matrix-refusals", test_matrix_refusals);
  FIXTURE_TEST ("/cases-analysis/matrix-sav", test_matrix_sav);
  g_test_add_func ("/cases-analysis/matrix-speed", test_matrix_speed);
  return g_test_run ();
}
