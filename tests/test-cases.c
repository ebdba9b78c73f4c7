/* Cohort records: importing CSV/TSV in the shapes spreadsheets write and
 * SPSS .sav, refusals, re-import, links and proposals, undo. */
#include "config.h"

#include <readstat.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include "cw-cases-private.h"
#include "cw-history.h"
#include "cw-project-private.h"
#include "cw-test-util.h"

/* The value of case identifier's variable name, as text ("" when missing;
 * numbers as %g). */
static char *
value_of (CwProject  *project,
          const char *identifier,
          const char *name)
{
  g_autoptr(GPtrArray) variables = cw_project_list_variables (project, NULL);
  g_autoptr(GPtrArray) cases = cw_project_list_cases (project, NULL);

  g_assert_nonnull (variables);
  g_assert_nonnull (cases);
  for (guint c = 0; c < cases->len; c++)
    {
      CwCase *kase = cases->pdata[c];

      if (strcmp (kase->identifier, identifier) != 0)
        continue;
      for (guint v = 0; v < variables->len; v++)
        {
          CwVariable *variable = variables->pdata[v];
          GVariant *value = kase->values->pdata[v];

          if (strcmp (variable->name, name) != 0)
            continue;
          if (value == NULL)
            return g_strdup ("");
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
            return g_strdup_printf ("%g", g_variant_get_double (value));
          return g_variant_dup_string (value, NULL);
        }
      g_assert_not_reached ();
    }
  g_assert_not_reached ();
  return NULL;
}

static const char *
type_of (CwProject  *project,
         const char *name)
{
  g_autoptr(GPtrArray) variables = cw_project_list_variables (project, NULL);

  for (guint v = 0; v < variables->len; v++)
    if (strcmp (((CwVariable *) variables->pdata[v])->name, name) == 0)
      return cw_variable_type_to_string (((CwVariable *) variables->pdata[v])->type);
  g_assert_not_reached ();
  return NULL;
}

/* The project's data without the undo history, which undo itself changes. */
static char *
dump_data (CwProject *project)
{
  g_autofree char *dump = cw_test_dump (cw_project_get_path (project));
  g_auto(GStrv) lines = g_strsplit (dump, "\n", -1);
  g_autoptr(GString) data = g_string_new (NULL);

  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "history") && !g_str_has_prefix (lines[i], "schema "))
      g_string_append_printf (data, "%s\n", lines[i]);
  return g_string_free (g_steal_pointer (&data), FALSE);
}

typedef struct
{
  const char *name;
  const char *file;       /* the file name decides nothing for CSV */
  const char *content;
  gssize      length;     /* -1: NUL-terminated */
  const char *id_column;
  guint       cases;
  guint       variables;
  /* Expectations: CASE, VARIABLE, VALUE ("" missing), TYPE. */
  const char *checks[6][4];
} Shape;

static const Shape shapes[] = {
  { "semicolon-bom-crlf-comma", "a.csv",
    "\xef\xbb\xbf" "Deelnemer;Naam;IQ;Gemiddelde\r\nD001;Kevin;68;6,8\r\nD002;Sanne;;6,4\r\n", -1, NULL, 2, 3,
    { { "D001", "Gemiddelde", "6.8", "numeric" }, { "D002", "IQ", "", "numeric" },
      { "D001", "Naam", "Kevin", "text" }, { NULL } } },
  { "comma-point", "b.csv",
    "id,score,city\nP1,3.5,Zwolle\nP2,10,\"Almere, Haven\"\n", -1, NULL, 2, 2,
    { { "P1", "score", "3.5", "numeric" }, { "P2", "city", "Almere, Haven", "text" }, { NULL } } },
  { "tab", "c.tsv",
    "Respondent\tleeftijd\tstart\nR1\t19\t2016-09-01\nR2\t20\t01-02-2017\nR3\t21\t3-4-2015\nR4\t22\t05/06/2018\n", -1,
    NULL, 4, 2,
    { { "R1", "start", "2016-09-01", "date" }, { "R2", "start", "2017-02-01", "date" },
      { "R3", "start", "2015-04-03", "date" }, { "R4", "start", "2018-06-05", "date" },
      { "R4", "leeftijd", "22", "numeric" }, { NULL } } },
  { "cp1252", "d.csv",
    "nummer;naam\nN1;Ren\xe9\nN2;Ze\xefnab\n", -1, NULL, 2, 1,
    { { "N1", "naam", "René", "text" }, { "N2", "naam", "Zeïnab", "text" }, { NULL } } },
  { "quotes-newlines", "e.csv",
    "code;opmerking;n\nC1;\"zei \"\"nee\"\"; toen\";1\nC2;\"twee\nregels\";2\n", -1, NULL, 2, 2,
    { { "C1", "opmerking", "zei \"nee\"; toen", "text" }, { "C2", "opmerking", "twee\nregels", "text" },
      { NULL } } },
  { "thousands", "f.csv",
    "id;inkomen\nA;1.234,5\nB;12,25\nC;999\n", -1, NULL, 3, 1,
    { { "A", "inkomen", "1234.5", "numeric" }, { "B", "inkomen", "12.25", "numeric" }, { NULL } } },
  { "inconsistent-numbers-are-text", "g.csv",
    "id,x\nA,\"1,5\"\nB,1.5x\n", -1, NULL, 2, 1,
    { { "A", "x", "1,5", "text" }, { NULL } } },
  { "explicit-id-spaces", "h.csv",
    "naam ; leerlingcode ; stad \n  Kevin ; K-01 ; Zwolle \nSanne;K-02;\n", -1, "LEERLINGCODE", 2, 2,
    { { "K-01", "naam", "Kevin", "text" }, { "K-02", "stad", "", "text" }, { NULL } } },
  { "blank-lines", "i.csv",
    "\nid;v\n\nA;1\n;\nB;2\n\n", -1, NULL, 2, 1,
    { { "B", "v", "2", "numeric" }, { NULL } } },
};

static void
test_import_shape (gconstpointer data)
{
  const Shape *shape = data;
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) file = cw_test_write_bytes (dir, shape->file, shape->content,
                                               shape->length < 0 ? strlen (shape->content) : (gsize) shape->length);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = cw_project_import_cases (project, path, shape->id_column, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->cases, ==, shape->cases);
  g_assert_cmpuint (result->added, ==, shape->cases);
  g_assert_cmpuint (result->variables, ==, shape->variables);
  for (guint i = 0; i < G_N_ELEMENTS (shape->checks) && shape->checks[i][0] != NULL; i++)
    {
      g_autofree char *value = value_of (project, shape->checks[i][0], shape->checks[i][1]);

      g_assert_cmpstr (value, ==, shape->checks[i][2]);
      g_assert_cmpstr (type_of (project, shape->checks[i][1]), ==, shape->checks[i][3]);
    }
  cw_test_remove_dir (dir);
}

typedef struct
{
  const char *name;
  const char *content;
  gsize       length;     /* 0: NUL-terminated */
  const char *id_column;
  const char *message;    /* expected in the error, after the file name */
} Refusal;

static const Refusal refusals[] = {
  { "ragged", "id;a;b\nA;1;2\nB;1\n", 0, NULL, ":3: 2 fields where the header (line 1) has 3" },
  { "duplicate-id", "id;a\nA;1\nB;2\nA;3\n", 0, NULL, ":4: id “A” also on line 2" },
  { "empty-id", "id;a\nA;1\n;2\n", 0, NULL, ":3: empty id (id)" },
  { "no-id-column", "naam;leeftijd\nKevin;18\n", 0, NULL, ": no id column: use --id with one of: naam, leeftijd" },
  { "unknown-id-column", "naam;leeftijd\nKevin;18\n", 0, "nummer", ": no column “nummer”: use --id with one of: naam, leeftijd" },
  { "empty-file", "", 0, NULL, "" },
  { "header-only", "id;a\n", 0, NULL, ": no cases: only a header" },
  { "binary", "id;a\n\x01\x02\x00\x03\x00\x00\xff", 12, NULL, "" },
  { "duplicate-column", "id;a;A\nX;1;2\n", 0, NULL, ":1: columns 2 and 3 are both named “A”" },
  { "empty-column-name", "id;;b\nX;1;2\n", 0, NULL, ":1: column 2 has no name" },
  { "unterminated-quote", "id;a\nX;1\nY;\"open\nZ;3\n", 0, NULL, ":3: a quoted field that never ends" },
  { "one-column", "id\nA\nB\n", 0, NULL, "not a table of cases" },
  { "not-spss", "$FL2 this is not really SPSS", 0, NULL, "not a readable SPSS data file" },
};

static void
test_refusal (gconstpointer data)
{
  const Refusal *refusal = data;
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) seed = cw_test_write_file (dir, "seed.csv", "id;a\nA;1\n");
  g_autofree char *seed_path = g_file_get_path (seed);
  g_autoptr(GFile) file = cw_test_write_bytes (dir, "refused.csv", refusal->content,
                                               refusal->length ? refusal->length : strlen (refusal->content));
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(CwCasesImportResult) seeded = NULL;
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *expected = NULL;

  seeded = cw_project_import_cases (project, seed_path, NULL, NULL, &error);
  g_assert_no_error (error);
  before = cw_test_dump (cw_project_get_path (project));

  result = cw_project_import_cases (project, path, refusal->id_column, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, CW_IMPORT_ERROR, error->code);
  expected = g_strconcat (path, refusal->message, NULL);
  if (!g_str_has_prefix (error->message, expected) && strstr (error->message, refusal->message) == NULL)
    g_error ("“%s” does not hold “%s”", error->message, expected);
  g_assert_true (g_str_has_prefix (error->message, path));

  after = cw_test_dump (cw_project_get_path (project));
  g_assert_cmpstr (before, ==, after);
  cw_test_remove_dir (dir);
}

static void
test_reimport (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) first = cw_test_write_file (dir, "first.csv", "id;iq;wave\nA;60;1\nB;70;1\n");
  g_autoptr(GFile) second = cw_test_write_file (dir, "second.csv", "ID;iq;school\nB;75;PrO\nC;;VSO\n");
  g_autoptr(GFile) third = cw_test_write_file (dir, "third.csv", "id;iq\nA;onbekend\n");
  g_autofree char *first_path = g_file_get_path (first);
  g_autofree char *second_path = g_file_get_path (second);
  g_autofree char *third_path = g_file_get_path (third);
  g_autoptr(CwCasesImportResult) r1 = NULL;
  g_autoptr(CwCasesImportResult) r2 = NULL;
  g_autoptr(CwCasesImportResult) r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL, *v5 = NULL, *v6 = NULL;

  r1 = cw_project_import_cases (project, first_path, NULL, NULL, &error);
  g_assert_no_error (error);
  r2 = cw_project_import_cases (project, second_path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r2->cases, ==, 2);
  g_assert_cmpuint (r2->added, ==, 1);
  g_assert_cmpuint (r2->warnings->len, ==, 0);

  /* B updated, A kept, C added; wave kept, school added. */
  g_assert_cmpstr ((v1 = value_of (project, "B", "iq")), ==, "75");
  g_assert_cmpstr ((v2 = value_of (project, "A", "iq")), ==, "60");
  g_assert_cmpstr ((v3 = value_of (project, "B", "wave")), ==, "1");
  g_assert_cmpstr ((v4 = value_of (project, "C", "school")), ==, "VSO");
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM cases"), ==, 3);

  /* A text value in a numeric variable: a warning, and text. */
  r3 = cw_project_import_cases (project, third_path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r3->warnings->len, ==, 1);
  g_assert_nonnull (strstr (r3->warnings->pdata[0], "onbekend"));
  g_assert_cmpstr (type_of (project, "iq"), ==, "text");
  g_assert_cmpstr ((v5 = value_of (project, "A", "iq")), ==, "onbekend");
  g_assert_cmpstr ((v6 = value_of (project, "B", "iq")), ==, "75");
  cw_test_remove_dir (dir);
}

static void
test_undo_import (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) first = cw_test_write_file (dir, "first.csv", "id;iq\nA;60\n");
  g_autoptr(GFile) second = cw_test_write_file (dir, "second.csv", "id;iq;extra\nA;65;x\nB;70;y\n");
  g_autofree char *first_path = g_file_get_path (first);
  g_autofree char *second_path = g_file_get_path (second);
  g_autoptr(CwCasesImportResult) r1 = NULL;
  g_autoptr(CwCasesImportResult) r2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty = dump_data (project);
  g_autofree char *after_first = NULL;
  g_autofree char *after_second = NULL;
  g_autofree char *label = NULL;
  g_autofree char *dump = NULL;

  r1 = cw_project_import_cases (project, first_path, NULL, NULL, &error);
  g_assert_no_error (error);
  after_first = dump_data (project);
  r2 = cw_project_import_cases (project, second_path, NULL, NULL, &error);
  g_assert_no_error (error);
  after_second = dump_data (project);

  g_assert_true (cw_project_can_undo (project));
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  dump = dump_data (project);
  g_assert_cmpstr (dump, ==, after_first);
  g_clear_pointer (&dump, g_free);

  g_assert_true (cw_project_redo (project, &error));
  g_assert_no_error (error);
  dump = dump_data (project);
  g_assert_cmpstr (dump, ==, after_second);
  g_clear_pointer (&dump, g_free);

  g_assert_true (cw_project_undo (project, &error));
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM cases"), ==, 0);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM variables"), ==, 0);
  (void) label;
  (void) empty;
  cw_test_remove_dir (dir);
}

/* ---- SPSS ---- */

static ssize_t
write_fd (const void *data,
          size_t      length,
          void       *ctx)
{
  return write (*(int *) ctx, data, length);
}

static void
write_sav (const char *path)
{
  readstat_writer_t *writer = readstat_writer_init ();
  readstat_label_set_t *sexes;
  readstat_variable_t *id, *sex, *iq, *start, *name;
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  /* 2016-09-01 in seconds since 1582-10-14. */
  double start_seconds = 13692067200.0;

  g_assert_cmpint (fd, >=, 0);
  readstat_set_data_writer (writer, write_fd);
  sexes = readstat_add_label_set (writer, READSTAT_TYPE_DOUBLE, "sexes");
  readstat_label_double_value (sexes, 1, "man");
  readstat_label_double_value (sexes, 2, "vrouw");

  id = readstat_add_variable (writer, "respnr", READSTAT_TYPE_DOUBLE, 0);
  sex = readstat_add_variable (writer, "geslacht", READSTAT_TYPE_DOUBLE, 0);
  readstat_variable_set_label (sex, "Geslacht van de deelnemer");
  readstat_variable_set_label_set (sex, sexes);
  iq = readstat_add_variable (writer, "iq", READSTAT_TYPE_DOUBLE, 0);
  readstat_variable_add_missing_double_value (iq, 999);
  start = readstat_add_variable (writer, "start", READSTAT_TYPE_DOUBLE, 0);
  readstat_variable_set_format (start, "DATE11");
  name = readstat_add_variable (writer, "naam", READSTAT_TYPE_STRING, 16);

  g_assert_cmpint (readstat_begin_writing_sav (writer, &fd, 3), ==, READSTAT_OK);
  for (int row = 0; row < 3; row++)
    {
      readstat_begin_row (writer);
      readstat_insert_double_value (writer, id, 101 + row);
      readstat_insert_double_value (writer, sex, row == 1 ? 2 : 1);
      if (row == 2)
        readstat_insert_missing_value (writer, iq);
      else
        readstat_insert_double_value (writer, iq, row == 0 ? 68 : 999);
      readstat_insert_double_value (writer, start, start_seconds);
      readstat_insert_string_value (writer, name, row == 0 ? "Kevin" : row == 1 ? "Sanne" : "");
      readstat_end_row (writer);
    }
  g_assert_cmpint (readstat_end_writing (writer), ==, READSTAT_OK);
  readstat_writer_free (writer);
  close (fd);
}

static void
test_import_sav (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autofree char *path = g_build_filename (dir, "cohort.sav", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.sav", NULL);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL, *v5 = NULL, *v6 = NULL;
  gsize length;
  CwVariable *sex = NULL;
  double one = 1, two = 2;

  write_sav (path);
  result = cw_project_import_cases (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->cases, ==, 3);
  g_assert_cmpuint (result->variables, ==, 4);

  g_assert_cmpstr ((v1 = value_of (project, "101", "iq")), ==, "68");
  g_assert_cmpstr ((v2 = value_of (project, "102", "iq")), ==, "");  /* user-missing 999 */
  g_assert_cmpstr ((v3 = value_of (project, "103", "iq")), ==, "");  /* system-missing */
  g_assert_cmpstr ((v4 = value_of (project, "101", "start")), ==, "2016-09-01");
  g_assert_cmpstr ((v5 = value_of (project, "102", "naam")), ==, "Sanne");
  g_assert_cmpstr ((v6 = value_of (project, "103", "naam")), ==, "");
  g_assert_cmpstr (type_of (project, "start"), ==, "date");
  g_assert_cmpstr (type_of (project, "naam"), ==, "text");

  variables = cw_project_list_variables (project, &error);
  for (guint i = 0; i < variables->len; i++)
    if (strcmp (((CwVariable *) variables->pdata[i])->name, "geslacht") == 0)
      sex = variables->pdata[i];
  g_assert_nonnull (sex);
  g_assert_cmpstr (sex->label, ==, "Geslacht van de deelnemer");
  g_assert_nonnull (sex->value_labels);
  g_assert_cmpstr (g_hash_table_lookup (sex->value_labels, &one), ==, "man");
  g_assert_cmpstr (g_hash_table_lookup (sex->value_labels, &two), ==, "vrouw");

  /* Cut short: a clean error, nothing changed. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) (length / 2), NULL));
  {
    g_autofree char *before = cw_test_dump (cw_project_get_path (project));
    g_autofree char *after = NULL;
    g_autoptr(CwCasesImportResult) none = cw_project_import_cases (project, truncated, NULL, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, CW_IMPORT_ERROR, CW_IMPORT_ERROR_CORRUPT);
    g_assert_true (g_str_has_prefix (error->message, truncated));
    after = cw_test_dump (cw_project_get_path (project));
    g_assert_cmpstr (before, ==, after);
  }
  cw_test_remove_dir (dir);
}

/* Every SPSS date format gives a date variable (yyyy-mm-dd); a date-time
 * keeps its day. Values are seconds since 1582-10-14 whatever the format. */
static void
test_import_sav_dates (void)
{
  static const struct { const char *name; const char *format; double seconds; const char *iso; } columns[] = {
    { "d_date", "DATE11", 13692067200.0, "2016-09-01" },
    { "d_adate", "ADATE10", 13692067200.0, "2016-09-01" },
    { "d_edate", "EDATE10", 13692153600.0, "2016-09-02" },
    { "d_sdate", "SDATE10", 13660444800.0, "2015-09-01" },
    { "d_jdate", "JDATE7", 13692067200.0, "2016-09-01" },
    { "d_datetime", "DATETIME20", 13692067200.0 + 13 * 3600 + 45 * 60, "2016-09-01" },
    { "d_epoch", "DATE11", 0.0, "1582-10-14" },
  };
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autofree char *path = g_build_filename (dir, "dates.sav", NULL);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  readstat_writer_t *writer = readstat_writer_init ();
  readstat_variable_t *id, *score, *vars[G_N_ELEMENTS (columns)];
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  g_assert_cmpint (fd, >=, 0);
  readstat_set_data_writer (writer, write_fd);
  id = readstat_add_variable (writer, "id", READSTAT_TYPE_STRING, 8);
  score = readstat_add_variable (writer, "score", READSTAT_TYPE_DOUBLE, 0);
  readstat_variable_set_format (score, "F8.2");
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      vars[i] = readstat_add_variable (writer, columns[i].name, READSTAT_TYPE_DOUBLE, 0);
      readstat_variable_set_format (vars[i], columns[i].format);
    }
  g_assert_cmpint (readstat_begin_writing_sav (writer, &fd, 2), ==, READSTAT_OK);
  for (int row = 0; row < 2; row++)
    {
      readstat_begin_row (writer);
      readstat_insert_string_value (writer, id, row == 0 ? "P1" : "P2");
      readstat_insert_double_value (writer, score, 6.8);
      for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
        if (row == 0)
          readstat_insert_double_value (writer, vars[i], columns[i].seconds);
        else
          readstat_insert_missing_value (writer, vars[i]);
      readstat_end_row (writer);
    }
  g_assert_cmpint (readstat_end_writing (writer), ==, READSTAT_OK);
  readstat_writer_free (writer);
  close (fd);

  result = cw_project_import_cases (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (type_of (project, "score"), ==, "numeric");
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *p1 = value_of (project, "P1", columns[i].name);
      g_autofree char *p2 = value_of (project, "P2", columns[i].name);

      g_assert_cmpstr (type_of (project, columns[i].name), ==, "date");
      g_assert_cmpstr (p1, ==, columns[i].iso);
      g_assert_cmpstr (p2, ==, "");
    }
  cw_test_remove_dir (dir);
}

/* ---- links ---- */

static gint64
add_document (CwProject  *project,
              const char *name,
              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dir = cw_test_make_dir ();
  GArray *ids;
  gint64 id;

  g_ptr_array_add (files, cw_test_write_file (dir, name, text));
  ids = cw_project_import (project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 1);
  id = g_array_index (ids, gint64, 0);
  g_array_unref (ids);
  cw_test_remove_dir (dir);
  return id;
}

static void
test_links (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) csv = cw_test_write_file (dir, "cohort.csv",
                                             "Deelnemer;Naam\nD001;Kevin\nD002;Sanne\nD007;Bram\n");
  g_autofree char *csv_path = g_file_get_path (csv);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;
  gint64 arena, bakery, kevin, sanne, bram;
  gboolean found_kevin = FALSE, found_bram = FALSE;

  arena = add_document (project, "arena.txt",
                        "Gespreksleider: Welkom.\nKevin: Hoi.\nSanne: Hallo.\nMoeder van Kevin: Dag.\n");
  bakery = add_document (project, "interview bakkerij Bram.txt", "Interviewer: Vertel.\nWerkgever: Ja.\n");
  result = cw_project_import_cases (project, csv_path, NULL, NULL, &error);
  g_assert_no_error (error);
  kevin = cw_project_lookup_case (project, "D001", &error);
  sanne = cw_project_lookup_case (project, "d002", &error);
  bram = cw_project_lookup_case (project, "D007", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kevin, >, 0);
  g_assert_cmpint (sanne, >, 0);
  g_assert_cmpint (cw_project_lookup_case (project, "D999", &error), ==, 0);
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cw_project_link_case (project, kevin, arena, "Kevin", &error));
  g_assert_no_error (error);
  g_assert_true (cw_project_link_case (project, kevin, arena, "Kevin", &error));  /* idempotent */
  g_assert_true (cw_project_link_case (project, kevin, arena, NULL, &error));
  g_assert_true (cw_project_link_case (project, kevin, arena, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cw_project_link_case (project, kevin, arena, "Bram", &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_link_case (project, 9999, arena, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (cw_project_link_case (project, kevin, 9999, NULL, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  links = cw_project_list_case_links (project, kevin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 2);

  /* Proposals: by identifier or by name; Kevin's speaker link exists. */
  proposals = cw_project_propose_case_links (project, "naam", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < proposals->len; i++)
    {
      CwCaseLink *link = proposals->pdata[i];

      g_assert_false (link->case_id == kevin && link->speaker != NULL && strcmp (link->speaker, "Kevin") == 0);
      if (link->case_id == kevin && g_strcmp0 (link->speaker, "Moeder van Kevin") == 0)
        found_kevin = TRUE;
      if (link->case_id == bram && link->document_id == bakery && link->speaker == NULL)
        found_bram = TRUE;
      g_assert_false (link->case_id == sanne && link->document_id == bakery);
    }
  g_assert_true (found_kevin);
  g_assert_true (found_bram);
  g_clear_pointer (&proposals, g_ptr_array_unref);
  proposals = cw_project_propose_case_links (project, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (proposals->len, ==, 0);  /* no identifier appears anywhere */

  /* Unlink, and undo that. */
  g_assert_true (cw_project_unlink_case (project, kevin, arena, "Kevin", &error));
  g_assert_no_error (error);
  g_clear_pointer (&links, g_ptr_array_unref);
  links = cw_project_list_case_links (project, 0, &error);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_true (cw_project_undo (project, &error));
  g_clear_pointer (&links, g_ptr_array_unref);
  links = cw_project_list_case_links (project, 0, &error);
  g_assert_cmpuint (links->len, ==, 2);
  cw_test_remove_dir (dir);
}

static void
test_set_value_and_type (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) csv = cw_test_write_file (dir, "c.csv", "id;code;datum\nA;1;2016-01-02\nB;x;\n");
  g_autofree char *path = g_file_get_path (csv);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL;
  gint64 a, b, code = 0, datum = 0;

  result = cw_project_import_cases (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  variables = cw_project_list_variables (project, &error);
  for (guint i = 0; i < variables->len; i++)
    {
      CwVariable *variable = variables->pdata[i];

      if (strcmp (variable->name, "code") == 0)
        code = variable->id;
      if (strcmp (variable->name, "datum") == 0)
        datum = variable->id;
    }
  a = cw_project_lookup_case (project, "A", &error);
  b = cw_project_lookup_case (project, "B", &error);

  /* "x" is not a number: the type stays. */
  g_assert_false (cw_project_set_variable_type (project, code, CW_VARIABLE_NUMERIC, &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpstr (type_of (project, "code"), ==, "text");
  g_assert_true (cw_project_set_case_value (project, b, code, NULL, &error));
  g_assert_true (cw_project_set_variable_type (project, code, CW_VARIABLE_NUMERIC, &error));
  g_assert_no_error (error);
  g_assert_cmpstr ((v1 = value_of (project, "A", "code")), ==, "1");

  g_assert_false (cw_project_set_case_value (project, a, code, g_variant_new_string ("nee"), &error));
  g_assert_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (cw_project_set_case_value (project, a, code, g_variant_new_double (2.5), &error));
  g_assert_false (cw_project_set_case_value (project, a, datum, g_variant_new_string ("31-02-2016"), &error));
  g_clear_error (&error);
  g_assert_true (cw_project_set_case_value (project, b, datum, g_variant_new_string ("3-4-2015"), &error));
  g_assert_no_error (error);
  g_assert_cmpstr ((v2 = value_of (project, "B", "datum")), ==, "2015-04-03");
  g_assert_true (cw_project_undo (project, &error));
  g_assert_cmpstr ((v3 = value_of (project, "B", "datum")), ==, "");
  cw_test_remove_dir (dir);
}

static void
test_parse_number (void)
{
  static const struct { const char *text; char decimal, thousands; gboolean ok; double value; } cases[] = {
    { "3,5", ',', 0, TRUE, 3.5 }, { "3.5", '.', 0, TRUE, 3.5 }, { "-12", ',', 0, TRUE, -12 },
    { "1.234,5", ',', '.', TRUE, 1234.5 }, { "1.234.567", ',', '.', TRUE, 1234567 },
    { "1.23,5", ',', '.', FALSE, 0 }, { "12.3456", ',', '.', FALSE, 0 }, { "3,", ',', 0, FALSE, 0 },
    { "abc", '.', 0, FALSE, 0 }, { "", '.', 0, FALSE, 0 }, { "1e5", '.', 0, FALSE, 0 },
    { "1,234.5", '.', ',', TRUE, 1234.5 }, { "3.5", ',', 0, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double value = 0;
      gboolean ok = _cw_cases_parse_number (cases[i].text, cases[i].decimal, cases[i].thousands, &value);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpfloat_with_epsilon (value, cases[i].value, 1e-9);
    }
}

/* ---- speed paths: plain numbers read once, values written only when changed ---- */

/* Numbers read on the fast path give exactly the double strtod gives;
 * the others fall back to the full reader or make the column text. */
static void
test_plain_numbers (void)
{
  static const struct { const char *text; gboolean numeric; } cells[] = {
    { "0,1", TRUE }, { "-0,5", TRUE }, { "6,8", TRUE }, { "+7", TRUE }, { "007", TRUE },
    { "123456789012345", TRUE }, { "1234567890123456", TRUE }, { "12345678901234,5", TRUE },
    { "0,000000000000001", TRUE }, { "0,12345678901234567891", TRUE }, { "99999999999999999999", TRUE },
    { "2,675", TRUE }, { "1.234,5", TRUE },
    { "3,", FALSE }, { ",5", FALSE }, { "1e5", FALSE }, { "-", FALSE }, { "1,2,3", FALSE },
  };
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GString) csv = g_string_new ("id");
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_string_append_printf (csv, ";n%02u", i);
  g_string_append (csv, "\nA");
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_string_append_printf (csv, ";%s", cells[i].text);
  g_string_append (csv, "\n");
  file = cw_test_write_file (dir, "numbers.csv", csv->str);
  path = g_file_get_path (file);
  result = cw_project_import_cases (project, path, NULL, NULL, &error);
  g_assert_no_error (error);

  variables = cw_project_list_variables (project, &error);
  cases = cw_project_list_cases (project, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (variables->len, ==, G_N_ELEMENTS (cells));
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      CwVariable *variable = variables->pdata[i];
      GVariant *value = ((CwCase *) cases->pdata[0])->values->pdata[i];

      g_assert_cmpint (variable->type == CW_VARIABLE_NUMERIC, ==, cells[i].numeric);
      if (cells[i].numeric)
        {
          g_autofree char *plain = g_strdup (cells[i].text);
          double expected;

          /* What strtod makes of the number written with a point. */
          if (strchr (plain, '.') != NULL)
            {
              char *dot;

              while ((dot = strchr (plain, '.')) != NULL)
                memmove (dot, dot + 1, strlen (dot));
            }
          g_strdelimit (plain, ",", '.');
          expected = g_ascii_strtod (plain, NULL);
          g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE));
          if (g_variant_get_double (value) != expected)
            g_error ("%s: %.17g, not %.17g", cells[i].text, g_variant_get_double (value), expected);
        }
      else
        g_assert_cmpstr (g_variant_get_string (value, NULL), ==, cells[i].text);
    }
  cw_test_remove_dir (dir);
}

/* Importing the same file again writes nothing (no undo step); a changed
 * and an emptied value are the only rows written, and undo restores them. */
static void
test_reimport_writes_changes_only (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) first = cw_test_write_file (dir, "cohort.csv",
                                               "id;iq;start;school\nA;60;01-09-2016;vmbo\nB;70,5;2016-09-02;pro\n");
  g_autoptr(GFile) changed = cw_test_write_file (dir, "changed.csv",
                                                 "id;iq;start;school\nA;61;01-09-2016;vmbo\nB;70,5;2016-09-02;\n");
  g_autofree char *first_path = g_file_get_path (first);
  g_autofree char *changed_path = g_file_get_path (changed);
  g_autoptr(GError) error = NULL;
  g_autofree char *after_first = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL;
  sqlite3 *db = _cw_project_get_db (project);
  gint64 steps, rows;

  {
    g_autoptr(CwCasesImportResult) result = cw_project_import_cases (project, first_path, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (result->added, ==, 2);
  }
  after_first = dump_data (project);
  steps = cw_test_sql_int (db, "SELECT count(*) FROM history_steps");
  rows = cw_test_sql_int (db, "SELECT count(*) FROM history");

  {
    g_autoptr(CwCasesImportResult) again = cw_project_import_cases (project, first_path, NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (again->cases, ==, 2);
    g_assert_cmpuint (again->added, ==, 0);
  }
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM history_steps"), ==, steps);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM history"), ==, rows);
  dump = dump_data (project);
  g_assert_cmpstr (dump, ==, after_first);
  g_clear_pointer (&dump, g_free);

  {
    g_autoptr(CwCasesImportResult) update = cw_project_import_cases (project, changed_path, NULL, NULL, &error);

    g_assert_no_error (error);
  }
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM history_steps"), ==, steps + 1);
  g_assert_cmpint (cw_test_sql_int (db, "SELECT count(*) FROM history"), ==, rows + 2);
  g_assert_cmpstr ((v1 = value_of (project, "A", "iq")), ==, "61");
  g_assert_cmpstr ((v2 = value_of (project, "B", "school")), ==, "");
  g_assert_true (cw_project_undo (project, &error));
  g_assert_no_error (error);
  dump = dump_data (project);
  g_assert_cmpstr (dump, ==, after_first);
  cw_test_remove_dir (dir);
}

/* New cases go in with the connection's triggers and foreign keys off:
 * both are back on afterwards, so the next edit is recorded for undo. */
static void
test_import_restores_connection (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) file = cw_test_write_file (dir, "cohort.csv", "id;iq\nA;60\nB;70\n");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL;
  sqlite3 *db = _cw_project_get_db (project);
  int triggers = -1, foreign_keys = -1;
  gint64 a, iq;

  result = cw_project_import_cases (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &triggers);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &foreign_keys);
  g_assert_cmpint (triggers, ==, 1);
  g_assert_cmpint (foreign_keys, ==, 1);
  g_assert_cmpint (cw_test_sql_int (db, "PRAGMA foreign_keys"), ==, 1);

  a = cw_project_lookup_case (project, "A", &error);
  iq = cw_test_sql_int (db, "SELECT id FROM variables WHERE name = 'iq'");
  g_assert_true (cw_project_set_case_value (project, a, iq, g_variant_new_double (99), &error));
  g_assert_no_error (error);
  g_assert_cmpstr ((v1 = value_of (project, "A", "iq")), ==, "99");
  g_assert_true (cw_project_undo (project, &error));
  g_assert_cmpstr ((v2 = value_of (project, "A", "iq")), ==, "60");
  cw_test_remove_dir (dir);
}

/* Another trigger on the tables (a plug-in's, a user's) still sees every
 * row: then the import leaves the triggers on. */
static void
test_import_keeps_other_triggers (void)
{
  g_autofree char *dir = cw_test_make_dir ();
  g_autoptr(CwProject) project = cw_test_new_project (dir);
  g_autoptr(GFile) file = cw_test_write_file (dir, "cohort.csv", "id;iq;school\nA;60;vmbo\nB;70;\nC;;pro\n");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (_cw_project_exec (project,
                                   "CREATE TABLE seen (n INTEGER);"
                                   "CREATE TRIGGER count_values AFTER INSERT ON case_values"
                                   " BEGIN INSERT INTO seen VALUES (new.case_id); END;",
                                   &error));
  g_assert_no_error (error);
  result = cw_project_import_cases (project, path, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM seen"), ==, 4);
  g_assert_true (cw_project_undo (project, &error));
  g_assert_cmpint (cw_test_sql_int (_cw_project_get_db (project), "SELECT count(*) FROM cases"), ==, 0);
  cw_test_remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cases/import/%s", shapes[i].name);
      g_test_add_data_func (name, &shapes[i], test_import_shape);
    }
  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cases/refuse/%s", refusals[i].name);
      g_test_add_data_func (name, &refusals[i], test_refusal);
    }
  g_test_add_func ("/cases/parse-number", test_parse_number);
  g_test_add_func ("/cases/reimport", test_reimport);
  g_test_add_func ("/cases/undo-import", test_undo_import);
  g_test_add_func ("/cases/sav", test_import_sav);
  g_test_add_func ("/cases/sav-dates", test_import_sav_dates);
  g_test_add_func ("/cases/links", test_links);
  g_test_add_func ("/cases/set-value-and-type", test_set_value_and_type);
  g_test_add_func ("/cases/plain-numbers", test_plain_numbers);
  g_test_add_func ("/cases/reimport-writes-changes-only", test_reimport_writes_changes_only);
  g_test_add_func ("/cases/import-restores-connection", test_import_restores_connection);
  g_test_add_func ("/cases/import-keeps-other-triggers", test_import_keeps_other_triggers);
  return g_test_run ();
}
