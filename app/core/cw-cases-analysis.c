/* cw-cases-analysis.c: the analyses that join cohort records with the
 * codings — the code x value crosstab and the case x code matrix written
 * for SPSS (.sav through libreadstat) and R (read.csv2).
 *
 * Both read the cohort tables with a few plain queries and take each
 * coding's case from _cw_project_coding_cases (one pass over the codings
 * with the turn lookups of retrieval), then aggregate in C: there is no
 * per-case or per-code query, so the cost is linear in the codings.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <readstat.h>

#include "cw-cases-private.h"
#include "cw-codebook-private.h"
#include "cw-project-private.h"
#include "cw-retrieval-private.h"

/* Numeric variables with more distinct values than this are binned. */
#define MAX_UNBINNED_VALUES 8
#define MAX_BINS 1000
#define EN_DASH "\xE2\x80\x93"

void
cw_crosstab_free (CwCrosstab *crosstab)
{
  if (crosstab == NULL)
    return;
  g_free (crosstab->variable);
  g_strfreev (crosstab->values);
  g_clear_pointer (&crosstab->codes, g_ptr_array_unref);
  g_free (crosstab->codings);
  g_free (crosstab->cases);
  g_free (crosstab);
}

/* ------------------------------------------------------------------------ */
/* Reading the cohort tables                                                */

typedef struct
{
  gint64          id;
  char           *name;
  char           *label;
  CwVariableType  type;
  GArray         *label_values; /* double, ascending */
  GPtrArray      *label_texts;  /* char*, likewise */
} VarInfo;

static void
var_info_free (VarInfo *var)
{
  g_free (var->name);
  g_free (var->label);
  g_clear_pointer (&var->label_values, g_array_unref);
  g_clear_pointer (&var->label_texts, g_ptr_array_unref);
  g_free (var);
}

static CwVariableType
type_from_string (const char *text)
{
  if (g_strcmp0 (text, "numeric") == 0)
    return CW_VARIABLE_NUMERIC;
  if (g_strcmp0 (text, "date") == 0)
    return CW_VARIABLE_DATE;
  return CW_VARIABLE_TEXT;
}

/* The variables in position order, each with its value labels; or, with
 * only, the variable of that name (an exact match first, then ignoring
 * ASCII case: "iq" finds "IQ"). */
static GPtrArray *
load_variables (CwProject   *self,
                const char  *only,
                GError     **error)
{
  g_autoptr(GPtrArray) vars = g_ptr_array_new_with_free_func ((GDestroyNotify) var_info_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) labels = NULL;
  int rc;

  stmt = _cw_project_prepare (self,
                              "SELECT id, name, label, type FROM variables"
                              " WHERE ?1 IS NULL OR name = ?1 COLLATE NOCASE"
                              " ORDER BY ?1 IS NOT NULL AND name != ?1, position, id",
                              error);
  if (stmt == NULL)
    return NULL;
  if (only != NULL)
    sqlite3_bind_text (stmt, 1, only, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      VarInfo *var = g_new0 (VarInfo, 1);

      var->id = sqlite3_column_int64 (stmt, 0);
      var->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      var->label = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      var->type = type_from_string ((const char *) sqlite3_column_text (stmt, 3));
      var->label_values = g_array_new (FALSE, FALSE, sizeof (double));
      var->label_texts = g_ptr_array_new_with_free_func (g_free);
      if (var->name == NULL)
        var->name = g_strdup ("");
      g_ptr_array_add (vars, var);
      g_hash_table_insert (by_id, &var->id, var);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the variables"));
      return NULL;
    }

  labels = _cw_project_prepare (self,
                                "SELECT variable_id, value, label FROM value_labels"
                                " ORDER BY variable_id, value",
                                error);
  if (labels == NULL)
    return NULL;
  while ((rc = sqlite3_step (labels)) == SQLITE_ROW)
    {
      gint64 variable_id = sqlite3_column_int64 (labels, 0);
      VarInfo *var = g_hash_table_lookup (by_id, &variable_id);
      double value = sqlite3_column_double (labels, 1);

      if (var == NULL || sqlite3_column_type (labels, 1) == SQLITE_NULL)
        continue;
      g_array_append_val (var->label_values, value);
      g_ptr_array_add (var->label_texts, g_strdup ((const char *) sqlite3_column_text (labels, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the value labels"));
      return NULL;
    }
  return g_steal_pointer (&vars);
}

static const char *
var_value_label (const VarInfo *var,
                 double         value)
{
  for (guint i = 0; i < var->label_values->len; i++)
    if (g_array_index (var->label_values, double, i) == value)
      return g_ptr_array_index (var->label_texts, i);
  return NULL;
}

typedef struct
{
  gboolean    set;
  double      number;
  const char *text; /* owned by the table's strings */
} Value;

/* The cases (sorted naturally by identifier: P2 before P10) and their
 * values, one row of n_vars Values per case. */
typedef struct
{
  GArray     *ids;         /* gint64 case ids, in order */
  GPtrArray  *identifiers; /* char*, likewise */
  GHashTable *row_of;      /* &case id -> row + 1 */
  Value      *values;      /* rows x n_vars */
  guint       n_vars;
  GStringChunk *strings;
} CaseTable;

static void
case_table_free (CaseTable *table)
{
  if (table == NULL)
    return;
  g_clear_pointer (&table->row_of, g_hash_table_unref);
  g_clear_pointer (&table->ids, g_array_unref);
  g_clear_pointer (&table->identifiers, g_ptr_array_unref);
  g_clear_pointer (&table->strings, g_string_chunk_free);
  g_free (table->values);
  g_free (table);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CaseTable, case_table_free)

typedef struct
{
  gint64  id;
  char   *identifier;
  char   *key;
} CaseRow;

static int
compare_case_rows (gconstpointer a,
                   gconstpointer b)
{
  const CaseRow *x = a;
  const CaseRow *y = b;
  int c = strcmp (x->key, y->key);

  return c != 0 ? c : (x->id > y->id) - (x->id < y->id);
}

static CaseTable *
case_table_load (CwProject  *self,
                 GPtrArray  *vars,
                 GError    **error)
{
  g_autoptr(CaseTable) table = g_new0 (CaseTable, 1);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (CaseRow));
  g_autoptr(GHashTable) column_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) values = NULL;
  int rc;

  table->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  table->identifiers = g_ptr_array_new_with_free_func (g_free);
  table->row_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  table->strings = g_string_chunk_new (4096);
  table->n_vars = vars->len;

  stmt = _cw_project_prepare (self, "SELECT id, identifier FROM cases", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CaseRow row;
      const char *identifier = (const char *) sqlite3_column_text (stmt, 1);

      row.id = sqlite3_column_int64 (stmt, 0);
      row.identifier = g_strdup (identifier != NULL ? identifier : "");
      row.key = g_utf8_collate_key_for_filename (row.identifier, -1);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          g_free (g_array_index (rows, CaseRow, i).identifier);
          g_free (g_array_index (rows, CaseRow, i).key);
        }
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return NULL;
    }
  g_array_sort (rows, compare_case_rows);
  for (guint i = 0; i < rows->len; i++)
    {
      CaseRow *row = &g_array_index (rows, CaseRow, i);

      g_array_append_val (table->ids, row->id);
      g_ptr_array_add (table->identifiers, row->identifier);
      g_free (row->key);
    }
  /* Keys point into the ids array, which no longer grows. */
  for (guint i = 0; i < table->ids->len; i++)
    g_hash_table_insert (table->row_of, &g_array_index (table->ids, gint64, i), GUINT_TO_POINTER (i + 1));

  for (guint v = 0; v < vars->len; v++)
    {
      VarInfo *var = g_ptr_array_index (vars, v);

      g_hash_table_insert (column_of, &var->id, GUINT_TO_POINTER (v + 1));
    }
  table->values = g_new0 (Value, MAX ((gsize) table->ids->len * vars->len, 1));
  if (vars->len == 0 || table->ids->len == 0)
    return g_steal_pointer (&table);

  values = _cw_project_prepare (self, "SELECT case_id, variable_id, number, text FROM case_values", error);
  if (values == NULL)
    return NULL;
  while ((rc = sqlite3_step (values)) == SQLITE_ROW)
    {
      gint64 case_id = sqlite3_column_int64 (values, 0);
      gint64 variable_id = sqlite3_column_int64 (values, 1);
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (table->row_of, &case_id));
      guint column = GPOINTER_TO_UINT (g_hash_table_lookup (column_of, &variable_id));
      VarInfo *var;
      Value *value;

      if (row == 0 || column == 0)
        continue;
      var = g_ptr_array_index (vars, column - 1);
      value = &table->values[(gsize) (row - 1) * vars->len + column - 1];
      if (var->type == CW_VARIABLE_NUMERIC)
        {
          if (sqlite3_column_type (values, 2) == SQLITE_NULL)
            continue;
          value->number = sqlite3_column_double (values, 2);
          value->set = isfinite (value->number);
        }
      else
        {
          const char *text = (const char *) sqlite3_column_text (values, 3);

          if (text == NULL)
            continue;
          value->text = g_string_chunk_insert_const (table->strings, text);
          value->set = TRUE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the case values"));
      return NULL;
    }
  return g_steal_pointer (&table);
}

/* The codable codes in codebook order, and a map from code id to index. */
static GPtrArray *
load_codable_codes (CwProject   *self,
                    GHashTable **index_of,
                    GError     **error)
{
  g_autoptr(GPtrArray) all = _cw_project_list_codes_uncounted (self, error);
  g_autoptr(GPtrArray) codable = NULL;

  if (all == NULL)
    return NULL;
  codable = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_code_free);
  *index_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < all->len; i++)
    {
      CwCode *code = g_ptr_array_index (all, i);

      if (!code->codable)
        continue;
      g_ptr_array_add (codable, cw_code_copy (code));
    }
  for (guint i = 0; i < codable->len; i++)
    {
      CwCode *code = g_ptr_array_index (codable, i);

      g_hash_table_insert (*index_of, &code->id, GUINT_TO_POINTER (i + 1));
    }
  return g_steal_pointer (&codable);
}

/* A number as people write it in a heading: "2015", "6.5". */
static char *
format_number (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (number == 0)
    number = 0; /* no "-0" */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", number));
}

/* ------------------------------------------------------------------------ */
/* Crosstab                                                                 */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  const char *text;
  char       *key;
} TextKey;

static int
compare_text_keys (gconstpointer a,
                   gconstpointer b)
{
  const TextKey *x = a;
  const TextKey *y = b;
  int c = strcmp (x->key, y->key);

  return c != 0 ? c : strcmp (x->text, y->text);
}

/* Bins of a numeric variable: [start + i * width, start + (i + 1) * width). */
typedef struct
{
  double start;
  double width;
  guint  n;
} Bins;

static gboolean
is_whole (double x)
{
  return fabs (x - round (x)) < 1e-9 && fabs (x) < 1e15;
}

/* The default: the smallest round width (1, 2, 2.5, 5 times a power of
 * ten) that needs at most six bins, edges at its multiples. Whole-number
 * data get whole widths, so labels can name both ends ("40–59"). */
static Bins
default_bins (double   min,
              double   max,
              gboolean whole)
{
  static const double factors[] = { 1, 2, 2.5, 5 };
  Bins bins = { min, 1, 1 };
  double range = max - min;
  int exponent = (int) floor (log10 (range / 6)) - 1;

  for (int e = exponent; e <= exponent + 3; e++)
    for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
      {
        double width = factors[f] * pow (10, e);
        double first = floor (min / width + 1e-9);
        double n = floor (max / width + 1e-9) - first + 1;

        if (whole && !is_whole (width))
          continue;
        if (n <= 6)
          {
            bins.start = first * width;
            bins.width = width;
            bins.n = (guint) n;
            return bins;
          }
      }
  return bins;
}

/* --bins N: N bins of equal width from the smallest value; for whole
 * numbers a whole width, so every bin holds the same count of numbers. */
static Bins
equal_bins (double   min,
            double   max,
            gboolean whole,
            guint    n)
{
  Bins bins = { min, 1, n };

  if (whole)
    bins.width = MAX (1, ceil ((max - min + 1) / n));
  else if (max > min)
    bins.width = (max - min) / n;
  return bins;
}

static guint
bin_of (const Bins *bins,
        double      x)
{
  double i = floor ((x - bins->start) / bins->width + 1e-9);

  return (guint) CLAMP (i, 0, (double) bins->n - 1);
}

static char *
bin_label (const Bins *bins,
           guint       i,
           gboolean    whole)
{
  double lo = bins->start + i * bins->width;
  double hi = lo + bins->width;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (whole && is_whole (bins->width))
    {
      if (bins->width == 1)
        return format_number (lo);
      hi -= 1;
    }
  else
    {
      /* Rounded for the heading only; the edges stay exact. */
      lo = round (lo * 1e6) / 1e6;
      hi = round (hi * 1e6) / 1e6;
    }
  from = format_number (lo);
  to = format_number (hi);
  return g_strconcat (from, EN_DASH, to, NULL);
}

/* The columns of var and, per case row, its column (G_MAXUINT: missing). */
static GPtrArray *
crosstab_columns (const VarInfo   *var,
                  const CaseTable *table,
                  guint            var_index,
                  guint            n_bins,
                  guint           *column_of_row)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  guint n_rows = table->ids->len;

#define VALUE_AT(row) (&table->values[(gsize) (row) * table->n_vars + var_index])

  for (guint r = 0; r < n_rows; r++)
    column_of_row[r] = G_MAXUINT;

  if (var->type != CW_VARIABLE_NUMERIC)
    {
      g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (TextKey));
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint r = 0; r < n_rows; r++)
        {
          const Value *value = VALUE_AT (r);

          if (value->set && g_hash_table_add (seen, (gpointer) value->text))
            g_array_append_vals (keys, &(TextKey) { value->text,
                                                    g_utf8_collate_key_for_filename (value->text, -1) }, 1);
        }
      g_array_sort (keys, compare_text_keys);
      g_hash_table_remove_all (seen);
      for (guint i = 0; i < keys->len; i++)
        {
          TextKey *key = &g_array_index (keys, TextKey, i);

          g_ptr_array_add (columns, g_strdup (key->text));
          g_hash_table_insert (seen, (gpointer) key->text, GUINT_TO_POINTER (i));
          g_free (key->key);
        }
      for (guint r = 0; r < n_rows; r++)
        if (VALUE_AT (r)->set)
          column_of_row[r] = GPOINTER_TO_UINT (g_hash_table_lookup (seen, VALUE_AT (r)->text));
      return columns;
    }

  {
    g_autoptr(GArray) distinct = g_array_new (FALSE, FALSE, sizeof (double));
    double min = 0, max = 0;
    gboolean whole = TRUE;

    /* Value labels: every labelled code, plus any unlabelled value found. */
    for (guint i = 0; i < var->label_values->len; i++)
      g_array_append_val (distinct, g_array_index (var->label_values, double, i));
    for (guint r = 0; r < n_rows; r++)
      if (VALUE_AT (r)->set)
        g_array_append_val (distinct, VALUE_AT (r)->number);
    g_array_sort (distinct, compare_doubles);
    {
      guint kept = 0;

      for (guint i = 0; i < distinct->len; i++)
        if (kept == 0 || g_array_index (distinct, double, i) != g_array_index (distinct, double, kept - 1))
          g_array_index (distinct, double, kept++) = g_array_index (distinct, double, i);
      g_array_set_size (distinct, kept);
    }

    if (var->label_values->len > 0 || (n_bins == 0 && distinct->len <= MAX_UNBINNED_VALUES))
      {
        for (guint i = 0; i < distinct->len; i++)
          {
            double x = g_array_index (distinct, double, i);
            const char *label = var_value_label (var, x);

            g_ptr_array_add (columns, label != NULL ? g_strdup (label) : format_number (x));
          }
        for (guint r = 0; r < n_rows; r++)
          if (VALUE_AT (r)->set)
            {
              guint found = 0;

              g_array_binary_search (distinct, &VALUE_AT (r)->number, compare_doubles, &found);
              column_of_row[r] = found;
            }
        return columns;
      }

    if (distinct->len == 0)
      return columns;
    min = g_array_index (distinct, double, 0);
    max = g_array_index (distinct, double, distinct->len - 1);
    for (guint i = 0; i < distinct->len && whole; i++)
      whole = is_whole (g_array_index (distinct, double, i));
    {
      Bins bins = n_bins > 0 ? equal_bins (min, max, whole, n_bins) : default_bins (min, max, whole);

      for (guint i = 0; i < bins.n; i++)
        g_ptr_array_add (columns, bin_label (&bins, i, whole));
      for (guint r = 0; r < n_rows; r++)
        if (VALUE_AT (r)->set)
          column_of_row[r] = bin_of (&bins, VALUE_AT (r)->number);
    }
  }
#undef VALUE_AT
  return columns;
}

typedef struct
{
  guint code; /* index + 1 into the codable codes, 0 for none */
  guint row;  /* case row + 1, 0 for none */
} CodeRow;

/**
 * cw_project_crosstab:
 * Codes x values of one variable. Text and date values are the distinct
 * values in natural order; numeric values with value labels the labels in
 * code order; other numeric values each value when there are at most
 * eight, else bins (4 to 6 round bins by default, "40–59"; bins > 0: that
 * many of equal width). A coding counts in the column of its case's value;
 * a "missing" column comes last when codings have a case with no value.
 * Codings without a case are not counted.
 */
CwCrosstab *
cw_project_crosstab (CwProject   *self,
                     const char  *variable,
                     guint        bins,
                     GError     **error)
{
  g_autoptr(CwCrosstab) crosstab = NULL;
  g_autoptr(GPtrArray) vars = NULL;
  g_autoptr(CaseTable) table = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GHashTable) code_index = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GArray) pairs = NULL;
  g_autofree guint *column_of_row = NULL;
  g_autofree CodeRow *code_row = NULL;
  g_autofree guint8 *seen = NULL;
  gboolean any_missing = FALSE;
  guint n_columns, missing;
  VarInfo *var;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (variable != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (bins > MAX_BINS)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "%s: %u bin is too many (at most %d)",
                                "%s: %u bins are too many (at most %d)", bins),
                   cw_project_get_path (self), bins, MAX_BINS);
      return NULL;
    }
  vars = load_variables (self, variable, error);
  if (vars == NULL)
    return NULL;
  if (vars->len == 0)
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                   _("%s: no case variable “%s”"), cw_project_get_path (self), variable);
      return NULL;
    }
  g_ptr_array_set_size (vars, 1);
  var = g_ptr_array_index (vars, 0);
  if ((table = case_table_load (self, vars, error)) == NULL ||
      (codes = load_codable_codes (self, &code_index, error)) == NULL ||
      (pairs = _cw_project_coding_cases (self, NULL, error)) == NULL)
    return NULL;

  column_of_row = g_new (guint, MAX (table->ids->len, 1));
  columns = crosstab_columns (var, table, 0, bins, column_of_row);
  missing = columns->len;

  /* Each pair as (code, case row), 0 where it does not count: one hash
   * lookup each, and no sort (a bitmap of seen code x case cells counts
   * the distinct cases). */
  code_row = g_new (CodeRow, MAX (pairs->len, 1));
  for (guint i = 0; i < pairs->len; i++)
    {
      CwCodingCase *pair = &g_array_index (pairs, CwCodingCase, i);
      guint code = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &pair->code_id));
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (table->row_of, &pair->case_id));

      code_row[i] = (CodeRow) { code, row };
      if (code > 0 && row > 0 && column_of_row[row - 1] == G_MAXUINT)
        any_missing = TRUE;
    }
  n_columns = columns->len + (any_missing ? 1 : 0);

  crosstab = g_new0 (CwCrosstab, 1);
  crosstab->variable = g_strdup (var->name);
  crosstab->codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < codes->len; i++)
    g_ptr_array_add (crosstab->codes, g_strdup (((CwCode *) g_ptr_array_index (codes, i))->path));
  crosstab->values = g_new0 (char *, n_columns + 1);
  for (guint i = 0; i < columns->len; i++)
    crosstab->values[i] = g_strdup (g_ptr_array_index (columns, i));
  if (any_missing)
    crosstab->values[missing] = g_strdup ("missing");
  crosstab->codings = g_new0 (guint, MAX ((gsize) codes->len * n_columns, 1));
  crosstab->cases = g_new0 (guint, MAX ((gsize) codes->len * n_columns, 1));

  seen = g_new0 (guint8, MAX (((gsize) codes->len * table->ids->len + 7) / 8, 1));
  for (guint i = 0; i < pairs->len; i++)
    {
      guint code = code_row[i].code;
      guint row = code_row[i].row;
      guint column;
      gsize cell, bit;

      if (code == 0 || row == 0)
        continue;
      column = column_of_row[row - 1] == G_MAXUINT ? missing : column_of_row[row - 1];
      cell = (gsize) (code - 1) * n_columns + column;
      crosstab->codings[cell]++;
      bit = (gsize) (code - 1) * table->ids->len + (row - 1);
      if ((seen[bit / 8] & (1u << (bit % 8))) == 0)
        {
          seen[bit / 8] |= 1u << (bit % 8);
          crosstab->cases[cell]++;
        }
    }
  return g_steal_pointer (&crosstab);
}

/* ------------------------------------------------------------------------ */
/* Writing files atomically                                                 */

typedef struct
{
  GFile             *file;
  GFile             *temp;
  GFileOutputStream *stream;
  GCancellable      *cancellable;
  GError            *error;  /* the first write failure */
} AtomicFile;

/* A hidden sibling of path, renamed over it at the end: readers see the
 * old file or the whole new one, never half of one. */
static gboolean
atomic_file_open (AtomicFile    *af,
                  const char    *path,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GFile) parent = NULL;
  g_autofree char *basename = NULL;

  memset (af, 0, sizeof *af);
  af->file = g_file_new_for_path (path);
  af->cancellable = cancellable;
  parent = g_file_get_parent (af->file);
  basename = g_file_get_basename (af->file);
  if (parent == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, _("%s: not a file name"), path);
      return FALSE;
    }
  for (guint attempt = 0; af->stream == NULL; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".%s.%08x~", basename, g_random_int ());
      g_autoptr(GError) local_error = NULL;

      g_clear_object (&af->temp);
      af->temp = g_file_get_child (parent, name);
      af->stream = g_file_create (af->temp, G_FILE_CREATE_PRIVATE, cancellable, &local_error);
      if (af->stream == NULL &&
          (attempt >= 16 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)))
        {
          g_prefix_error (&local_error, "%s: ", path);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
atomic_file_write (AtomicFile    *af,
                   gconstpointer  data,
                   gsize          size)
{
  if (af->error != NULL)
    return FALSE;
  return g_output_stream_write_all (G_OUTPUT_STREAM (af->stream), data, size, NULL, af->cancellable,
                                    &af->error);
}

/* Closes and renames (ok) or throws the temporary file away. */
static gboolean
atomic_file_finish (AtomicFile  *af,
                    gboolean     ok,
                    GError     **error)
{
  if (ok && af->error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&af->error), "%s: ", g_file_peek_path (af->file));
      ok = FALSE;
    }
  if (ok && (!g_output_stream_close (G_OUTPUT_STREAM (af->stream), af->cancellable, error) ||
             !g_file_move (af->temp, af->file, G_FILE_COPY_OVERWRITE, af->cancellable, NULL, NULL, error)))
    ok = FALSE;
  if (!ok && af->stream != NULL)
    {
      /* Not cancellable: the temporary file must go whatever happens. */
      g_output_stream_close (G_OUTPUT_STREAM (af->stream), NULL, NULL);
      g_file_delete (af->temp, NULL, NULL);
    }
  g_clear_error (&af->error);
  g_clear_object (&af->stream);
  g_clear_object (&af->temp);
  g_clear_object (&af->file);
  return ok;
}

/* ------------------------------------------------------------------------ */
/* The case x code matrix                                                   */

typedef struct
{
  GPtrArray  *vars;   /* VarInfo */
  CaseTable  *table;
  GPtrArray  *codes;  /* CwCode, codable, codebook order */
  guint      *counts; /* cases x codes */
} Matrix;

static void
matrix_clear (Matrix *m)
{
  g_clear_pointer (&m->vars, g_ptr_array_unref);
  g_clear_pointer (&m->table, case_table_free);
  g_clear_pointer (&m->codes, g_ptr_array_unref);
  g_clear_pointer (&m->counts, g_free);
}

static gboolean
matrix_load (Matrix        *m,
             CwProject     *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GHashTable) code_index = NULL;
  g_autoptr(GArray) pairs = NULL;

  memset (m, 0, sizeof *m);
  if ((m->vars = load_variables (self, NULL, error)) == NULL ||
      (m->table = case_table_load (self, m->vars, error)) == NULL ||
      (m->codes = load_codable_codes (self, &code_index, error)) == NULL ||
      (pairs = _cw_project_coding_cases (self, cancellable, error)) == NULL)
    return FALSE;
  m->counts = g_new0 (guint, MAX ((gsize) m->table->ids->len * m->codes->len, 1));
  for (guint i = 0; i < pairs->len; i++)
    {
      CwCodingCase *pair = &g_array_index (pairs, CwCodingCase, i);
      guint code = GPOINTER_TO_UINT (g_hash_table_lookup (code_index, &pair->code_id));
      guint row = GPOINTER_TO_UINT (g_hash_table_lookup (m->table->row_of, &pair->case_id));

      if (code > 0 && row > 0)
        m->counts[(gsize) (row - 1) * m->codes->len + code - 1]++;
    }
  return TRUE;
}

static const Value *
matrix_value (const Matrix *m,
              guint         row,
              guint         var)
{
  return &m->table->values[(gsize) row * m->table->n_vars + var];
}

/* CSV for read.csv2 and SPSS: a field is quoted when it holds the
 * separator, a quote, a line break or edge blanks. */
static void
append_csv_field (GString    *csv,
                  const char *text)
{
  gsize length = strlen (text);

  if (strpbrk (text, ";\"\r\n") == NULL &&
      (length == 0 || (!g_ascii_isspace (text[0]) && !g_ascii_isspace (text[length - 1]))))
    {
      g_string_append_len (csv, text, length);
      return;
    }
  g_string_append_c (csv, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
append_csv_number (GString *csv,
                   double   number)
{
  g_autofree char *text = format_number (number);

  g_strdelimit (text, ".", ',');
  g_string_append (csv, text);
}

static gboolean
write_csv (const Matrix  *m,
           AtomicFile    *af)
{
  g_autoptr(GString) csv = g_string_sized_new (65536);
  guint n_codes = m->codes->len;

  g_string_append (csv, "\xEF\xBB\xBF" "id");
  for (guint v = 0; v < m->vars->len; v++)
    {
      g_string_append_c (csv, ';');
      append_csv_field (csv, ((VarInfo *) g_ptr_array_index (m->vars, v))->name);
    }
  for (guint c = 0; c < n_codes; c++)
    {
      const char *path = ((CwCode *) g_ptr_array_index (m->codes, c))->path;
      g_autofree char *presence = g_strconcat (path, " (0/1)", NULL);

      g_string_append_c (csv, ';');
      append_csv_field (csv, path);
      g_string_append_c (csv, ';');
      append_csv_field (csv, presence);
    }
  g_string_append (csv, "\r\n");

  for (guint r = 0; r < m->table->ids->len; r++)
    {
      append_csv_field (csv, g_ptr_array_index (m->table->identifiers, r));
      for (guint v = 0; v < m->vars->len; v++)
        {
          const Value *value = matrix_value (m, r, v);

          g_string_append_c (csv, ';');
          if (!value->set)
            continue;
          if (((VarInfo *) g_ptr_array_index (m->vars, v))->type == CW_VARIABLE_NUMERIC)
            append_csv_number (csv, value->number);
          else
            append_csv_field (csv, value->text);
        }
      for (guint c = 0; c < n_codes; c++)
        {
          guint n = m->counts[(gsize) r * n_codes + c];

          g_string_append_printf (csv, ";%u;%d", n, n > 0);
        }
      g_string_append (csv, "\r\n");
      if (csv->len > 60000)
        {
          if (!atomic_file_write (af, csv->str, csv->len))
            return FALSE;
          g_string_truncate (csv, 0);
        }
    }
  return atomic_file_write (af, csv->str, csv->len);
}

/* SPSS names ---------------------------------------------------------------- */

#define SPSS_NAME_MAX 64

static gboolean
spss_reserved (const char *name)
{
  static const char * const reserved[] = {
    "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
  };

  for (guint i = 0; i < G_N_ELEMENTS (reserved); i++)
    if (g_ascii_strcasecmp (name, reserved[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Letters, digits and _ . @ in ASCII (accents dropped: "é" is "e"), at
 * most max bytes, never ending in '.' or '_'. May come back empty. */
static char *
spss_sanitize (const char *text,
               gsize       max)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && out->len < max; p++)
    {
      char c = *p;

      if (g_ascii_isalnum (c) || c == '.' || c == '@')
        g_string_append_c (out, c);
      else if (out->len > 0 && out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }
  while (out->len > 0 && (out->str[out->len - 1] == '.' || out->str[out->len - 1] == '_'))
    g_string_truncate (out, out->len - 1);
  return g_string_free (out, FALSE);
}

/* Makes name valid (starts with a letter, not a reserved word) and unique
 * among used (case-insensitively), adding it there. */
static char *
spss_unique_name (const char *wanted,
                  const char *fallback,
                  GHashTable *used)
{
  g_autofree char *base = NULL;
  char *name;

  if (!g_ascii_isalpha (wanted[0]))
    base = g_strconcat (fallback, wanted[0] != '\0' ? "_" : "", wanted, NULL);
  else
    base = g_strdup (wanted);
  if (strlen (base) > SPSS_NAME_MAX - 4)
    base[SPSS_NAME_MAX - 4] = '\0';
  if (spss_reserved (base))
    {
      char *longer = g_strconcat (base, "_v", NULL);

      g_free (base);
      base = longer;
    }
  name = g_strdup (base);
  for (guint i = 2;; i++)
    {
      g_autofree char *upper = g_ascii_strup (name, -1);

      if (!g_hash_table_contains (used, upper))
        {
          g_hash_table_add (used, g_steal_pointer (&upper));
          return name;
        }
      g_free (name);
      name = g_strdup_printf ("%s_%u", base, i);
    }
}

/* SAV ----------------------------------------------------------------------- */

/* How dates are shown in SPSS: dd.mm.yyyy, as Dutch readers write them.
 * Any SPSS date format makes haven::read_sav give an R Date. */
#define SPSS_DATE_FORMAT "EDATE10"

/* A date (ISO yyyy-mm-dd, or any form _cw_cases_parse_date reads) as SPSS
 * stores it: seconds since 1582-10-14, the first day of the Gregorian
 * calendar. FALSE when text is no date. */
static gboolean
spss_seconds (const char *text,
              double     *seconds)
{
  g_autofree char *iso = NULL;
  GDate date, epoch;
  guint year, month, day;

  if (text == NULL || !_cw_cases_parse_date (text, &iso) ||
      sscanf (iso, "%4u-%2u-%2u", &year, &month, &day) != 3)
    return FALSE;
  g_date_clear (&date, 1);
  g_date_clear (&epoch, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  g_date_set_dmy (&epoch, 14, G_DATE_OCTOBER, 1582);
  *seconds = ((double) g_date_get_julian (&date) - (double) g_date_get_julian (&epoch)) * 86400.0;
  return TRUE;
}

static ssize_t
sav_write_data (const void *data,
                size_t      len,
                void       *ctx)
{
  AtomicFile *af = ctx;

  if (!atomic_file_write (af, data, len))
    return -1;
  return (ssize_t) len;
}

static gboolean
sav_check (readstat_error_t   rc,
           const char        *path,
           GError           **error)
{
  if (rc == READSTAT_OK)
    return TRUE;
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
               _("%s: cannot write the SPSS file: %s"), path, readstat_error_message (rc));
  return FALSE;
}

static gboolean
write_sav (const Matrix  *m,
           AtomicFile    *af,
           const char    *path,
           GError       **error)
{
  readstat_writer_t *writer = readstat_writer_init ();
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  guint n_cases = m->table->ids->len;
  guint n_codes = m->codes->len;
  guint digits = n_codes >= 100 ? (n_codes >= 1000 ? 4 : 3) : 2;
  readstat_variable_t *id_var;
  gboolean ok = FALSE;
  gsize width = 1;

  readstat_set_data_writer (writer, sav_write_data);

  /* The id: a string as wide as the longest identifier. */
  for (guint r = 0; r < n_cases; r++)
    width = MAX (width, strlen (g_ptr_array_index (m->table->identifiers, r)));
  g_hash_table_add (used, g_strdup ("ID"));
  id_var = readstat_add_variable (writer, "id", READSTAT_TYPE_STRING, width);
  readstat_variable_set_label (id_var, _("Case"));

  for (guint v = 0; v < m->vars->len; v++)
    {
      VarInfo *var = g_ptr_array_index (m->vars, v);
      g_autofree char *clean = spss_sanitize (var->name, SPSS_NAME_MAX);
      g_autofree char *name = spss_unique_name (clean, "V", used);
      readstat_variable_t *column;

      if (var->type == CW_VARIABLE_NUMERIC)
        {
          gboolean whole = TRUE;

          for (guint r = 0; r < n_cases && whole; r++)
            {
              const Value *value = matrix_value (m, r, v);

              whole = !value->set || is_whole (value->number);
            }
          column = readstat_add_variable (writer, name, READSTAT_TYPE_DOUBLE, 0);
          readstat_variable_set_format (column, whole ? "F8.0" : "F8.2");
          readstat_variable_set_measure (column, var->label_values->len > 0 ? READSTAT_MEASURE_NOMINAL
                                                                             : READSTAT_MEASURE_SCALE);
          if (var->label_values->len > 0)
            {
              g_autofree char *set_name = g_strdup_printf ("labels%u", v);
              readstat_label_set_t *set = readstat_add_label_set (writer, READSTAT_TYPE_DOUBLE, set_name);

              for (guint i = 0; i < var->label_values->len; i++)
                readstat_label_double_value (set, g_array_index (var->label_values, double, i),
                                             g_ptr_array_index (var->label_texts, i));
              readstat_variable_set_label_set (column, set);
            }
        }
      else if (var->type == CW_VARIABLE_DATE)
        {
          column = readstat_add_variable (writer, name, READSTAT_TYPE_DOUBLE, 0);
          readstat_variable_set_format (column, SPSS_DATE_FORMAT);
          readstat_variable_set_measure (column, READSTAT_MEASURE_SCALE);
        }
      else
        {
          gsize text_width = 1;

          for (guint r = 0; r < n_cases; r++)
            {
              const Value *value = matrix_value (m, r, v);

              if (value->set)
                text_width = MAX (text_width, strlen (value->text));
            }
          column = readstat_add_variable (writer, name, READSTAT_TYPE_STRING, text_width);
          readstat_variable_set_measure (column, READSTAT_MEASURE_NOMINAL);
        }
      readstat_variable_set_label (column, var->label != NULL && *var->label != '\0' ? var->label : var->name);
      g_ptr_array_add (columns, column);
    }

  for (guint c = 0; c < n_codes; c++)
    {
      CwCode *code = g_ptr_array_index (m->codes, c);
      g_autofree char *clean = spss_sanitize (code->name, SPSS_NAME_MAX - 12);
      g_autofree char *wanted = g_strdup_printf ("C%0*u%s%s", digits, c + 1, *clean != '\0' ? "_" : "", clean);
      g_autofree char *count_name = spss_unique_name (wanted, "C", used);
      g_autofree char *wanted_presence = g_strconcat (count_name, "_01", NULL);
      g_autofree char *presence_name = spss_unique_name (wanted_presence, "C", used);
      g_autofree char *presence_label = g_strconcat (code->path, " (0/1)", NULL);
      readstat_variable_t *count = readstat_add_variable (writer, count_name, READSTAT_TYPE_DOUBLE, 0);
      readstat_variable_t *presence = readstat_add_variable (writer, presence_name, READSTAT_TYPE_DOUBLE, 0);

      readstat_variable_set_label (count, code->path);
      readstat_variable_set_format (count, "F8.0");
      readstat_variable_set_measure (count, READSTAT_MEASURE_SCALE);
      readstat_variable_set_label (presence, presence_label);
      readstat_variable_set_format (presence, "F8.0");
      readstat_variable_set_measure (presence, READSTAT_MEASURE_NOMINAL);
      g_ptr_array_add (columns, count);
      g_ptr_array_add (columns, presence);
    }

  if (!sav_check (readstat_begin_writing_sav (writer, af, n_cases), path, error))
    goto out;
  for (guint r = 0; r < n_cases; r++)
    {
      guint k = 0;

      if (!sav_check (readstat_begin_row (writer), path, error) ||
          !sav_check (readstat_insert_string_value (writer, id_var,
                                                    g_ptr_array_index (m->table->identifiers, r)),
                      path, error))
        goto out;
      for (guint v = 0; v < m->vars->len; v++, k++)
        {
          const Value *value = matrix_value (m, r, v);
          readstat_variable_t *column = g_ptr_array_index (columns, k);
          CwVariableType type = ((VarInfo *) g_ptr_array_index (m->vars, v))->type;
          readstat_error_t rc;
          double seconds;

          if (type == CW_VARIABLE_NUMERIC)
            rc = value->set ? readstat_insert_double_value (writer, column, value->number)
                            : readstat_insert_missing_value (writer, column);
          else if (type == CW_VARIABLE_DATE)
            rc = value->set && spss_seconds (value->text, &seconds)
                   ? readstat_insert_double_value (writer, column, seconds)
                   : readstat_insert_missing_value (writer, column);
          else
            rc = readstat_insert_string_value (writer, column, value->set ? value->text : "");
          if (!sav_check (rc, path, error))
            goto out;
        }
      for (guint c = 0; c < n_codes; c++)
        {
          guint n = m->counts[(gsize) r * n_codes + c];

          if (!sav_check (readstat_insert_double_value (writer, g_ptr_array_index (columns, k++), n),
                          path, error) ||
              !sav_check (readstat_insert_double_value (writer, g_ptr_array_index (columns, k++), n > 0),
                          path, error))
            goto out;
        }
      if (!sav_check (readstat_end_row (writer), path, error))
        goto out;
    }
  ok = sav_check (readstat_end_writing (writer), path, error);

out:
  readstat_writer_free (writer);
  return ok;
}

/**
 * cw_project_export_matrix:
 * One row per case (in natural order of identifier). CSV: UTF-8 with BOM,
 * ';', decimal comma, CRLF, missing values empty; headings the variable
 * names and code paths ("Begeleiding/Jobcoach", "Begeleiding/Jobcoach
 * (0/1)"). SAV: SPSS names derived from the names ("C01_Jobcoach",
 * "C01_Jobcoach_01"), labelled with the variable labels and code paths,
 * value labels kept.
 */
gboolean
cw_project_export_matrix (CwProject     *self,
                          const char    *path,
                          GCancellable  *cancellable,
                          GError       **error)
{
  Matrix m;
  AtomicFile af;
  gboolean sav, ok;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sav = g_str_has_suffix (path, ".sav") || g_str_has_suffix (path, ".SAV");
  if (!sav && !g_str_has_suffix (path, ".csv") && !g_str_has_suffix (path, ".CSV"))
    {
      g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                   _("%s: which format? The name should end in .csv or .sav"), path);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!matrix_load (&m, self, cancellable, error))
    {
      matrix_clear (&m);
      return FALSE;
    }
  if (!atomic_file_open (&af, path, cancellable, error))
    {
      matrix_clear (&m);
      return FALSE;
    }
  if (sav)
    ok = write_sav (&m, &af, path, error);
  else
    ok = write_csv (&m, &af);
  /* A write failure reported through readstat is the stream's error. */
  if (!ok && af.error != NULL && error != NULL && *error != NULL)
    g_clear_error (error);
  if (!ok && af.error != NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&af.error), "%s: ", path);
    }
  ok = atomic_file_finish (&af, ok, error);
  matrix_clear (&m);
  return ok;
}
