/* cw-cases.c: cohort records — listing and editing cases and variables,
 * and the links of cases to documents and speakers.
 *
 * A value is stored in case_values.number for numeric variables and in
 * case_values.text for text and date (ISO yyyy-mm-dd) ones; a missing value
 * has no row. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "cw-cases-private.h"
#include "cw-project-private.h"

const char *
cw_variable_type_to_string (CwVariableType type)
{
  switch (type)
    {
    case CW_VARIABLE_NUMERIC:
      return "numeric";
    case CW_VARIABLE_DATE:
      return "date";
    case CW_VARIABLE_TEXT:
    default:
      return "text";
    }
}

CwVariableType
_cw_variable_type_from_string (const char *text)
{
  if (g_strcmp0 (text, "numeric") == 0)
    return CW_VARIABLE_NUMERIC;
  if (g_strcmp0 (text, "date") == 0)
    return CW_VARIABLE_DATE;
  return CW_VARIABLE_TEXT;
}

void
cw_variable_free (CwVariable *variable)
{
  if (variable == NULL)
    return;
  g_free (variable->guid);
  g_free (variable->name);
  g_free (variable->label);
  g_clear_pointer (&variable->value_labels, g_hash_table_unref);
  g_free (variable);
}

void
cw_case_free (CwCase *kase)
{
  if (kase == NULL)
    return;
  g_free (kase->guid);
  g_free (kase->identifier);
  g_clear_pointer (&kase->values, g_ptr_array_unref);
  g_free (kase);
}

void
cw_cases_import_result_free (CwCasesImportResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->warnings, g_ptr_array_unref);
  g_free (result);
}

void
cw_case_link_free (CwCaseLink *link)
{
  if (link == NULL)
    return;
  g_free (link->case_identifier);
  g_free (link->document);
  g_free (link->speaker);
  g_free (link);
}

/* ---- parsing shared with the importer ---- */

gboolean
_cw_cases_parse_number (const char *text,
                        char        decimal,
                        char        thousands,
                        double     *number)
{
  g_autoptr(GString) plain = g_string_new (NULL);
  const char *p = text;
  guint digits = 0, group = 0;
  gboolean grouped = FALSE;
  char *end = NULL;
  double value;

  if (*p == '-' || *p == '+')
    g_string_append_c (plain, *p++);
  for (; *p != '\0' && *p != decimal; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (plain, *p);
          digits++;
          group++;
        }
      else if (thousands != 0 && *p == thousands)
        {
          /* The first group 1 to 3 digits, the others exactly 3. */
          if (group == 0 || group > 3 || (grouped && group != 3))
            return FALSE;
          grouped = TRUE;
          group = 0;
        }
      else
        return FALSE;
    }
  if (digits == 0 || (grouped && group != 3))
    return FALSE;
  if (*p == decimal)
    {
      guint decimals = 0;

      g_string_append_c (plain, '.');
      for (p++; *p != '\0'; p++, decimals++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          g_string_append_c (plain, *p);
        }
      if (decimals == 0)
        return FALSE;
    }
  value = g_ascii_strtod (plain->str, &end);
  if (end == NULL || *end != '\0' || !isfinite (value))
    return FALSE;
  if (number != NULL)
    *number = value;
  return TRUE;
}

/* Reads digits [min, max] of them. */
static gboolean
read_digits (const char **p,
             guint        min,
             guint        max,
             guint       *value)
{
  guint n = 0, v = 0;

  while (g_ascii_isdigit (**p) && n < max)
    {
      v = v * 10 + (guint) (**p - '0');
      (*p)++;
      n++;
    }
  if (n < min || g_ascii_isdigit (**p))
    return FALSE;
  *value = v;
  return TRUE;
}

gboolean
_cw_cases_parse_date (const char  *text,
                      char       **iso)
{
  const char *p = text;
  guint a, b, c;
  guint day, month, year;
  char sep;

  if (!read_digits (&p, 1, 4, &a))
    return FALSE;
  sep = *p;
  if (sep != '-' && sep != '/')
    return FALSE;
  if (p - text == 4)
    {
      /* yyyy-mm-dd */
      if (sep != '-')
        return FALSE;
      p++;
      if (!read_digits (&p, 2, 2, &b) || *p++ != '-' || !read_digits (&p, 2, 2, &c) || *p != '\0')
        return FALSE;
      year = a, month = b, day = c;
    }
  else
    {
      if (p - text > 2)
        return FALSE;
      p++;
      if (!read_digits (&p, 1, 2, &b) || *p++ != sep || !read_digits (&p, 4, 4, &c) || *p != '\0')
        return FALSE;
      day = a, month = b, year = c;
    }
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;
  if (iso != NULL)
    *iso = g_strdup_printf ("%04u-%02u-%02u", year, month, day);
  return TRUE;
}

char *
_cw_cases_format_number (double number)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (number == (double) (gint64) number && number > -1e15 && number < 1e15)
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) number);
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", number));
}

/* A text value as a number: point or comma decimals, either grouping. */
static gboolean
parse_any_number (const char *text,
                  double     *number)
{
  return _cw_cases_parse_number (text, '.', 0, number) ||
         _cw_cases_parse_number (text, ',', 0, number) ||
         _cw_cases_parse_number (text, ',', '.', number) ||
         _cw_cases_parse_number (text, '.', ',', number);
}

/* ---- listing ---- */

static GHashTable *
new_value_labels (void)
{
  return g_hash_table_new_full (g_double_hash, g_double_equal, g_free, g_free);
}

GPtrArray *
cw_project_list_variables (CwProject  *self,
                           GError    **error)
{
  g_autoptr(GPtrArray) variables = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_variable_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) labels = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self,
                              "SELECT id, guid, name, label, type, position FROM variables"
                              " ORDER BY position, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwVariable *variable = g_new0 (CwVariable, 1);

      variable->id = sqlite3_column_int64 (stmt, 0);
      variable->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      variable->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      variable->label = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      variable->type = _cw_variable_type_from_string ((const char *) sqlite3_column_text (stmt, 4));
      variable->position = sqlite3_column_int (stmt, 5);
      g_ptr_array_add (variables, variable);
      g_hash_table_insert (by_id, &variable->id, variable);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the variables"));
      return NULL;
    }

  labels = _cw_project_prepare (self, "SELECT variable_id, value, label FROM value_labels ORDER BY variable_id, value",
                                error);
  if (labels == NULL)
    return NULL;
  while ((rc = sqlite3_step (labels)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (labels, 0);
      CwVariable *variable = g_hash_table_lookup (by_id, &id);

      if (variable == NULL)
        continue;
      if (variable->value_labels == NULL)
        variable->value_labels = new_value_labels ();
      g_hash_table_insert (variable->value_labels,
                           g_memdup2 ((double[]) { sqlite3_column_double (labels, 1) }, sizeof (double)),
                           g_strdup ((const char *) sqlite3_column_text (labels, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the value labels"));
      return NULL;
    }
  return g_steal_pointer (&variables);
}

static void
value_free (gpointer value)
{
  if (value != NULL)
    g_variant_unref (value);
}

GPtrArray *
cw_project_list_cases (CwProject  *self,
                       GError    **error)
{
  g_autoptr(GPtrArray) variables = NULL;
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_case_free);
  g_autoptr(GHashTable) column = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) values = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  variables = cw_project_list_variables (self, error);
  if (variables == NULL)
    return NULL;
  for (guint i = 0; i < variables->len; i++)
    {
      CwVariable *variable = variables->pdata[i];

      g_hash_table_insert (column, &variable->id, GUINT_TO_POINTER (i + 1));
    }

  stmt = _cw_project_prepare (self, "SELECT id, guid, identifier FROM cases ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwCase *kase = g_new0 (CwCase, 1);

      kase->id = sqlite3_column_int64 (stmt, 0);
      kase->guid = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      kase->identifier = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      kase->values = g_ptr_array_new_full (variables->len, value_free);
      g_ptr_array_set_size (kase->values, (int) variables->len);
      g_ptr_array_add (cases, kase);
      g_hash_table_insert (by_id, &kase->id, kase);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return NULL;
    }

  values = _cw_project_prepare (self, "SELECT case_id, variable_id, number, text FROM case_values", error);
  if (values == NULL)
    return NULL;
  while ((rc = sqlite3_step (values)) == SQLITE_ROW)
    {
      gint64 case_id = sqlite3_column_int64 (values, 0);
      gint64 variable_id = sqlite3_column_int64 (values, 1);
      CwCase *kase = g_hash_table_lookup (by_id, &case_id);
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (column, &variable_id));
      CwVariable *variable;
      GVariant *value = NULL;

      if (kase == NULL || index == 0)
        continue;
      variable = variables->pdata[index - 1];
      if (variable->type == CW_VARIABLE_NUMERIC && sqlite3_column_type (values, 2) != SQLITE_NULL)
        value = g_variant_new_double (sqlite3_column_double (values, 2));
      else if (sqlite3_column_type (values, 3) != SQLITE_NULL)
        value = g_variant_new_string ((const char *) sqlite3_column_text (values, 3));
      else if (sqlite3_column_type (values, 2) != SQLITE_NULL)
        value = g_variant_new_take_string (_cw_cases_format_number (sqlite3_column_double (values, 2)));
      if (value != NULL)
        {
          value_free (kase->values->pdata[index - 1]);
          kase->values->pdata[index - 1] = g_variant_ref_sink (value);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the case values"));
      return NULL;
    }
  return g_steal_pointer (&cases);
}

gint64
cw_project_lookup_case (CwProject   *self,
                        const char  *identifier,
                        GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *nfc = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), 0);
  g_return_val_if_fail (identifier != NULL, 0);

  nfc = g_utf8_normalize (identifier, -1, G_NORMALIZE_NFC);
  stmt = _cw_project_prepare (self,
                              "SELECT id FROM cases WHERE identifier = ?1"
                              " UNION ALL SELECT id FROM cases WHERE identifier = ?1 COLLATE NOCASE"
                              " LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, nfc != NULL ? nfc : identifier, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return 0;
    }
  g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
               _("%s: no case “%s”"), cw_project_get_path (self), identifier);
  return 0;
}

/* ---- editing ---- */

/* The variable's type; FALSE and an error when there is none. */
static gboolean
lookup_variable (CwProject       *self,
                 gint64           variable_id,
                 CwVariableType  *type,
                 char           **name,
                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT type, name FROM variables WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, variable_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *type = _cw_variable_type_from_string ((const char *) sqlite3_column_text (stmt, 0));
      if (name != NULL)
        *name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    _cw_project_set_db_error (self, error, _("cannot read the variables"));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no variable %lld"), cw_project_get_path (self), (long long) variable_id);
  return FALSE;
}

static gboolean
case_exists (CwProject  *self,
             gint64      case_id,
             char      **identifier,
             GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self, "SELECT identifier FROM cases WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, case_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (identifier != NULL)
        *identifier = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    _cw_project_set_db_error (self, error, _("cannot read the cases"));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no case %lld"), cw_project_get_path (self), (long long) case_id);
  return FALSE;
}

static gboolean
step_done (CwProject     *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
cw_project_set_case_value (CwProject   *self,
                           gint64       case_id,
                           gint64       variable_id,
                           GVariant    *value,
                           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *identifier = NULL;
  g_autofree char *label = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GVariant) owned = value != NULL ? g_variant_ref_sink (value) : NULL;
  CwVariableType type;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!case_exists (self, case_id, &identifier, error) ||
      !lookup_variable (self, variable_id, &type, &name, error))
    return FALSE;

  if (value != NULL)
    {
      gboolean fits;

      if (type == CW_VARIABLE_NUMERIC)
        fits = g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE);
      else if (type == CW_VARIABLE_DATE)
        fits = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) &&
               _cw_cases_parse_date (g_variant_get_string (value, NULL), &date);
      else
        fits = g_variant_is_of_type (value, G_VARIANT_TYPE_STRING);
      if (!fits)
        {
          /* One message per type: the type's name does not translate well
           * on its own. */
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                       type == CW_VARIABLE_NUMERIC ? _("%s: “%s” is a numeric variable: the value does not fit")
                       : type == CW_VARIABLE_DATE ? _("%s: “%s” is a date variable: the value does not fit")
                       : _("%s: “%s” is a text variable: the value does not fit"),
                       cw_project_get_path (self), name);
          return FALSE;
        }
    }

  label = g_strdup_printf (_("Set “%s” of “%s”"), name, identifier);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (value == NULL)
    stmt = _cw_project_prepare (self, "DELETE FROM case_values WHERE case_id = ?1 AND variable_id = ?2", error);
  else
    stmt = _cw_project_prepare (self,
                                "INSERT INTO case_values (case_id, variable_id, number, text)"
                                " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (case_id, variable_id)"
                                " DO UPDATE SET number = excluded.number, text = excluded.text",
                                error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int64 (stmt, 2, variable_id);
  if (value != NULL && type == CW_VARIABLE_NUMERIC)
    sqlite3_bind_double (stmt, 3, g_variant_get_double (value));
  else if (value != NULL)
    {
      g_autofree char *nfc = g_utf8_normalize (g_variant_get_string (value, NULL), -1, G_NORMALIZE_NFC);

      sqlite3_bind_text (stmt, 4, date != NULL ? date : nfc != NULL ? nfc : "", -1, SQLITE_TRANSIENT);
    }
  if (!step_done (self, stmt, _("cannot set the value"), error))
    goto failed;
  g_clear_pointer (&stmt, _cw_statement_release);
  return _cw_project_end_step (self, error);

failed:
  g_clear_pointer (&stmt, _cw_statement_release);
  _cw_project_abort_step (self);
  return FALSE;
}

gboolean
_cw_cases_convert_variable (CwProject       *self,
                            gint64           variable_id,
                            CwVariableType   type,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(GArray) case_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *name = NULL;
  CwVariableType from;
  int rc;

  if (!lookup_variable (self, variable_id, &from, &name, error))
    return FALSE;
  if (from == type)
    return TRUE;

  read = _cw_project_prepare (self, "SELECT case_id, number, text FROM case_values WHERE variable_id = ?1", error);
  if (read == NULL)
    return FALSE;
  sqlite3_bind_int64 (read, 1, variable_id);
  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      gint64 case_id = sqlite3_column_int64 (read, 0);
      g_autofree char *text = NULL;
      double number = 0;

      if (sqlite3_column_type (read, 2) != SQLITE_NULL)
        text = g_strdup ((const char *) sqlite3_column_text (read, 2));
      else if (sqlite3_column_type (read, 1) != SQLITE_NULL)
        text = _cw_cases_format_number (sqlite3_column_double (read, 1));
      else
        continue;

      if (type == CW_VARIABLE_NUMERIC)
        {
          if (!parse_any_number (text, &number))
            {
              g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           _("%s: “%s” cannot become numeric: “%s” is not a number"),
                           cw_project_get_path (self), name, text);
              return FALSE;
            }
          g_clear_pointer (&text, g_free);
        }
      else if (type == CW_VARIABLE_DATE)
        {
          g_autofree char *iso = NULL;

          if (!_cw_cases_parse_date (text, &iso))
            {
              g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_INVALID,
                           _("%s: “%s” cannot become a date: “%s” is not a date"),
                           cw_project_get_path (self), name, text);
              return FALSE;
            }
          g_free (text);
          text = g_steal_pointer (&iso);
        }
      g_array_append_val (case_ids, case_id);
      g_array_append_val (numbers, number);
      g_ptr_array_add (texts, g_steal_pointer (&text));
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the case values"));
      return FALSE;
    }
  g_clear_pointer (&read, _cw_statement_release);

  for (guint i = 0; i < case_ids->len; i++)
    {
      g_autoptr(sqlite3_stmt) write =
        _cw_project_prepare (self, "UPDATE case_values SET number = ?3, text = ?4"
                                   " WHERE case_id = ?1 AND variable_id = ?2", error);

      if (write == NULL)
        return FALSE;
      sqlite3_bind_int64 (write, 1, g_array_index (case_ids, gint64, i));
      sqlite3_bind_int64 (write, 2, variable_id);
      if (texts->pdata[i] == NULL)
        sqlite3_bind_double (write, 3, g_array_index (numbers, double, i));
      else
        sqlite3_bind_text (write, 4, texts->pdata[i], -1, SQLITE_STATIC);
      if (!step_done (self, write, _("cannot convert the values"), error))
        return FALSE;
    }

  {
    g_autoptr(sqlite3_stmt) update =
      _cw_project_prepare (self, "UPDATE variables SET type = ?2 WHERE id = ?1", error);

    if (update == NULL)
      return FALSE;
    sqlite3_bind_int64 (update, 1, variable_id);
    sqlite3_bind_text (update, 2, cw_variable_type_to_string (type), -1, SQLITE_STATIC);
    return step_done (self, update, _("cannot change the variable"), error);
  }
}

gboolean
cw_project_set_variable_type (CwProject       *self,
                              gint64           variable_id,
                              CwVariableType   type,
                              GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  CwVariableType from;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!lookup_variable (self, variable_id, &from, &name, error))
    return FALSE;
  if (from == type)
    return TRUE;
  if (type == CW_VARIABLE_NUMERIC)
    label = g_strdup_printf (_("Make “%s” numeric"), name);
  else if (type == CW_VARIABLE_DATE)
    label = g_strdup_printf (_("Make “%s” a date"), name);
  else
    label = g_strdup_printf (_("Make “%s” text"), name);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;
  if (!_cw_cases_convert_variable (self, variable_id, type, error))
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  return _cw_project_end_step (self, error);
}

/* ---- links ---- */

/* The speaker's id in the document; 0 with an error when there is none. */
static gint64
lookup_speaker (CwProject   *self,
                gint64       document_id,
                const char  *speaker,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *nfc = g_utf8_normalize (speaker, -1, G_NORMALIZE_NFC);
  int rc;

  stmt = _cw_project_prepare (self,
                              "SELECT id FROM speakers WHERE document_id = ?1 AND name = ?2"
                              " UNION ALL SELECT id FROM speakers WHERE document_id = ?1 AND name = ?2 COLLATE NOCASE"
                              " LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, document_id);
  sqlite3_bind_text (stmt, 2, nfc != NULL ? nfc : speaker, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    _cw_project_set_db_error (self, error, _("cannot read the speakers"));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no speaker “%s” in document %lld"),
                 cw_project_get_path (self), speaker, (long long) document_id);
  return 0;
}

static char *
document_name (CwProject  *self,
               gint64      document_id,
               GError    **error)
{
  g_autoptr(sqlite3_stmt) stmt = _cw_project_prepare (self, "SELECT name FROM documents WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, document_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _cw_project_set_db_error (self, error, _("cannot read the documents"));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no document %lld"), cw_project_get_path (self), (long long) document_id);
  return NULL;
}

static gboolean
change_link (CwProject   *self,
             gint64       case_id,
             gint64       document_id,
             const char  *speaker,
             gboolean     add,
             GError     **error)
{
  g_autofree char *identifier = NULL;
  g_autofree char *document = NULL;
  g_autofree char *label = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 speaker_id = 0;

  g_return_val_if_fail (CW_IS_PROJECT (self), FALSE);

  if (!case_exists (self, case_id, &identifier, error) ||
      (document = document_name (self, document_id, error)) == NULL)
    return FALSE;
  if (speaker != NULL && (speaker_id = lookup_speaker (self, document_id, speaker, error)) == 0)
    return FALSE;

  if (add)
    label = g_strdup_printf (_("Link “%s” to “%s”"), identifier, document);
  else
    label = g_strdup_printf (_("Unlink “%s” from “%s”"), identifier, document);
  if (!_cw_project_begin_step (self, label, error))
    return FALSE;

  /* UNIQUE does not see two NULL speakers as equal: IS does. */
  if (add)
    stmt = _cw_project_prepare (self,
                                "INSERT INTO case_links (case_id, document_id, speaker_id)"
                                " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM case_links"
                                " WHERE case_id = ?1 AND document_id = ?2 AND speaker_id IS ?3)",
                                error);
  else
    stmt = _cw_project_prepare (self,
                                "DELETE FROM case_links WHERE case_id = ?1 AND document_id = ?2"
                                " AND speaker_id IS ?3", error);
  if (stmt == NULL)
    {
      _cw_project_abort_step (self);
      return FALSE;
    }
  sqlite3_bind_int64 (stmt, 1, case_id);
  sqlite3_bind_int64 (stmt, 2, document_id);
  if (speaker_id > 0)
    sqlite3_bind_int64 (stmt, 3, speaker_id);
  if (!step_done (self, stmt, _("cannot change the links"), error))
    {
      g_clear_pointer (&stmt, _cw_statement_release);
      _cw_project_abort_step (self);
      return FALSE;
    }
  g_clear_pointer (&stmt, _cw_statement_release);
  return _cw_project_end_step (self, error);
}

gboolean
cw_project_link_case (CwProject   *self,
                      gint64       case_id,
                      gint64       document_id,
                      const char  *speaker,
                      GError     **error)
{
  return change_link (self, case_id, document_id, speaker, TRUE, error);
}

gboolean
cw_project_unlink_case (CwProject   *self,
                        gint64       case_id,
                        gint64       document_id,
                        const char  *speaker,
                        GError     **error)
{
  return change_link (self, case_id, document_id, speaker, FALSE, error);
}

GPtrArray *
cw_project_list_case_links (CwProject  *self,
                            gint64      case_id,
                            GError    **error)
{
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_case_link_free);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  stmt = _cw_project_prepare (self,
                              "SELECT l.case_id, c.identifier, l.document_id, d.name, s.name"
                              " FROM case_links l JOIN cases c ON c.id = l.case_id"
                              " JOIN documents d ON d.id = l.document_id"
                              " LEFT JOIN speakers s ON s.id = l.speaker_id"
                              " WHERE ?1 = 0 OR l.case_id = ?1"
                              " ORDER BY l.case_id, d.position, d.id, s.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, case_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CwCaseLink *link = g_new0 (CwCaseLink, 1);

      link->case_id = sqlite3_column_int64 (stmt, 0);
      link->case_identifier = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      link->document_id = sqlite3_column_int64 (stmt, 2);
      link->document = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      link->speaker = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (links, link);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the case links"));
      return NULL;
    }
  return g_steal_pointer (&links);
}

/* ---- auto-linking ---- */

/* Case-folded NFC, for matching. */
static char *
fold (const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_autofree char *folded = g_utf8_casefold (nfc != NULL ? nfc : "", -1);

  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFC);
}

/* A value worth matching: "", "-" or "?" (missing-value marks) would
 * match punctuation in any name. */
static gboolean
has_alnum (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static gboolean
all_digits (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return *text != '\0';
}

static gboolean
is_number_joint (gunichar c)
{
  return c == '.' || c == ',' || c == '-' || c == '/' || c == ':';
}

/* Whether a word ends before p (p at the start of text counts). A bare
 * number also does not start right after "3-" or "2.": that is a date, a
 * time or a version, not a participant "1". */
static gboolean
word_starts (const char *text,
             const char *p,
             gboolean    number)
{
  const char *prev;
  gunichar c;

  if (p == text)
    return TRUE;
  prev = g_utf8_find_prev_char (text, p);
  c = g_utf8_get_char (prev);
  if (g_unichar_isalnum (c))
    return FALSE;
  if (number && is_number_joint (c) && prev != text)
    return !g_unichar_isdigit (g_utf8_get_char (g_utf8_find_prev_char (text, prev)));
  return TRUE;
}

static gboolean
word_ends (const char *after,
           gboolean    number)
{
  gunichar c;

  if (*after == '\0')
    return TRUE;
  c = g_utf8_get_char (after);
  if (g_unichar_isalnum (c))
    return FALSE;
  if (number && is_number_joint (c))
    return !g_unichar_isdigit (g_utf8_get_char (g_utf8_next_char (after)));
  return TRUE;
}

typedef struct
{
  guint case_index;
  gsize start, end;  /* bytes into the folded target */
} Span;

/* Adds a span for each whole-word occurrence of needle in haystack (both
 * folded). */
static void
find_words (GArray     *spans,
            guint       case_index,
            const char *haystack,
            const char *needle)
{
  gsize length = strlen (needle);
  gboolean number = all_digits (needle);
  const char *p = haystack;

  if (length == 0)
    return;
  while ((p = strstr (p, needle)) != NULL)
    {
      if (word_starts (haystack, p, number) && word_ends (p + length, number))
        {
          Span span = { case_index, (gsize) (p - haystack), (gsize) (p - haystack) + length };

          g_array_append_val (spans, span);
        }
      p = g_utf8_next_char (p);
    }
}

/* A mention claimed by two cases belongs to neither, and one inside a
 * longer mention of another case ("Sam" in "Sam de Vries") belongs to the
 * longer one. */
static gboolean
span_dominated (GArray     *spans,
                const Span *span)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *other = &g_array_index (spans, Span, i);

      if (other->case_index != span->case_index && other->start <= span->start && other->end >= span->end)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  gint64  document_id;
  char   *document;
  char   *speaker;   /* NULL: the document itself */
  char   *folded;
} Target;

static void
target_free (Target *target)
{
  g_free (target->document);
  g_free (target->speaker);
  g_free (target->folded);
  g_free (target);
}

typedef struct
{
  gint64     id;
  char      *identifier;
  GPtrArray *needles;    /* folded, each with a letter or digit */
  GPtrArray *proposals;  /* CwCaseLink */
} Candidate;

static void
candidate_free (Candidate *candidate)
{
  g_free (candidate->identifier);
  g_ptr_array_unref (candidate->needles);
  g_ptr_array_unref (candidate->proposals);
  g_free (candidate);
}

static void
add_needle (Candidate  *candidate,
            const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *stripped = NULL;

  if (text == NULL)
    return;
  stripped = g_strstrip (g_strdup (text));
  if (!has_alnum (stripped))
    return;
  folded = fold (stripped);
  if (folded != NULL && *folded != '\0')
    g_ptr_array_add (candidate->needles, g_steal_pointer (&folded));
}

static char *
link_key (gint64      case_id,
          gint64      document_id,
          const char *speaker)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %s", case_id, document_id,
                          speaker != NULL ? speaker : "");
}

/* The variable's id, matched as the importer names them (case-insensitive);
 * 0 with an error when there is none. */
static gint64
lookup_variable_by_name (CwProject   *self,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _cw_project_prepare (self,
                         "SELECT id FROM variables WHERE name = ?1"
                         " UNION ALL SELECT id FROM variables WHERE name = ?1 COLLATE NOCASE LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  if (rc != SQLITE_DONE)
    _cw_project_set_db_error (self, error, _("cannot read the variables"));
  else
    g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_NOT_FOUND,
                 _("%s: no variable “%s”"), cw_project_get_path (self), name);
  return 0;
}

static GPtrArray *
propose_links (CwProject   *self,
               const char  *variable,
               gboolean     identifiers,
               GError     **error)
{
  g_autoptr(GPtrArray) proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_case_link_free);
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GHashTable) linked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) linked_speakers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 variable_id = 0;
  int rc;

  if (variable != NULL && (variable_id = lookup_variable_by_name (self, variable, error)) == 0)
    return NULL;

  links = cw_project_list_case_links (self, 0, error);
  if (links == NULL)
    return NULL;
  for (guint i = 0; i < links->len; i++)
    {
      CwCaseLink *link = links->pdata[i];

      g_hash_table_add (linked, link_key (link->case_id, link->document_id, link->speaker));
      if (link->speaker != NULL)
        g_hash_table_add (linked_speakers, link_key (0, link->document_id, link->speaker));
    }

  stmt = _cw_project_prepare (self,
                              "SELECT d.id, d.name, NULL, d.position, 0 FROM documents d"
                              " UNION ALL SELECT s.document_id, d.name, s.name, d.position, s.id FROM speakers s"
                              " JOIN documents d ON d.id = s.document_id"
                              " ORDER BY 4, 1, 5", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Target *target = g_new0 (Target, 1);

      target->document_id = sqlite3_column_int64 (stmt, 0);
      target->document = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      target->speaker = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      target->folded = fold (target->speaker != NULL ? target->speaker : target->document);
      g_ptr_array_add (targets, target);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the documents"));
      return NULL;
    }
  g_clear_pointer (&stmt, _cw_statement_release);

  stmt = _cw_project_prepare (self,
                              "SELECT c.id, c.identifier, v.text, v.number FROM cases c"
                              " LEFT JOIN case_values v ON v.case_id = c.id AND v.variable_id = ?1"
                              " ORDER BY c.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, variable_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Candidate *candidate = g_new0 (Candidate, 1);

      candidate->id = sqlite3_column_int64 (stmt, 0);
      candidate->identifier = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      candidate->needles = g_ptr_array_new_with_free_func (g_free);
      candidate->proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_case_link_free);
      if (identifiers)
        add_needle (candidate, candidate->identifier);
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        add_needle (candidate, (const char *) sqlite3_column_text (stmt, 2));
      else if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        {
          g_autofree char *number = _cw_cases_format_number (sqlite3_column_double (stmt, 3));

          add_needle (candidate, number);
        }
      g_ptr_array_add (candidates, candidate);
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return NULL;
    }

  for (guint t = 0; t < targets->len; t++)
    {
      Target *target = targets->pdata[t];

      /* A speaker is one person: once linked, not proposed again. */
      if (target->speaker != NULL)
        {
          g_autofree char *key = link_key (0, target->document_id, target->speaker);

          if (g_hash_table_contains (linked_speakers, key))
            continue;
        }

      g_array_set_size (spans, 0);
      for (guint c = 0; c < candidates->len; c++)
        {
          Candidate *candidate = candidates->pdata[c];

          for (guint n = 0; n < candidate->needles->len; n++)
            find_words (spans, c, target->folded, candidate->needles->pdata[n]);
        }

      g_array_set_size (kept, 0);
      for (guint s = 0; s < spans->len; s++)
        {
          const Span *span = &g_array_index (spans, Span, s);
          gboolean seen = FALSE;

          if (span_dominated (spans, span))
            continue;
          for (guint k = 0; k < kept->len && !seen; k++)
            seen = g_array_index (kept, guint, k) == span->case_index;
          if (!seen)
            g_array_append_val (kept, span->case_index);
        }
      /* Two cases in one speaker's name ("P01 en P02"): no guess. */
      if (target->speaker != NULL && kept->len > 1)
        continue;

      for (guint k = 0; k < kept->len; k++)
        {
          Candidate *candidate = candidates->pdata[g_array_index (kept, guint, k)];
          g_autofree char *key = link_key (candidate->id, target->document_id, target->speaker);
          CwCaseLink *proposal;

          if (!g_hash_table_add (linked, g_steal_pointer (&key)))
            continue;
          proposal = g_new0 (CwCaseLink, 1);
          proposal->case_id = candidate->id;
          proposal->case_identifier = g_strdup (candidate->identifier);
          proposal->document_id = target->document_id;
          proposal->document = g_strdup (target->document);
          proposal->speaker = g_strdup (target->speaker);
          g_ptr_array_add (candidate->proposals, proposal);
        }
    }

  /* By case, then in document order. */
  for (guint c = 0; c < candidates->len; c++)
    {
      Candidate *candidate = candidates->pdata[c];

      for (guint i = 0; i < candidate->proposals->len; i++)
        g_ptr_array_add (proposals, g_steal_pointer (&candidate->proposals->pdata[i]));
      g_ptr_array_set_size (candidate->proposals, 0);
    }
  return g_steal_pointer (&proposals);
}

GPtrArray *
cw_project_propose_case_links (CwProject   *self,
                               const char  *name_variable,
                               GError     **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  return propose_links (self, name_variable, TRUE, error);
}

GPtrArray *
cw_project_propose_case_links_by (CwProject   *self,
                                  const char  *variable,
                                  GError     **error)
{
  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);

  return propose_links (self, variable, variable == NULL, error);
}

int
cw_project_link_cases (CwProject  *self,
                       GPtrArray  *links,
                       GError    **error)
{
  g_autoptr(GArray) todo = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) speaker_ids = g_array_new (FALSE, TRUE, sizeof (gint64));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) cases = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *label = NULL;
  int added = 0;

  g_return_val_if_fail (CW_IS_PROJECT (self), -1);
  g_return_val_if_fail (links != NULL, -1);

  /* Checked before the step: a link to something gone changes nothing,
   * and one already there does not count. */
  g_array_set_size (speaker_ids, links->len);
  for (guint i = 0; i < links->len; i++)
    {
      const CwCaseLink *link = links->pdata[i];
      g_autofree char *document = NULL;
      g_autoptr(sqlite3_stmt) exists = NULL;
      gint64 speaker_id = 0;
      int rc;

      if (!case_exists (self, link->case_id, NULL, error) ||
          (document = document_name (self, link->document_id, error)) == NULL)
        return -1;
      if (link->speaker != NULL && (speaker_id = lookup_speaker (self, link->document_id, link->speaker, error)) == 0)
        return -1;
      g_array_index (speaker_ids, gint64, i) = speaker_id;

      if (!g_hash_table_add (seen, g_strdup_printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                                                    link->case_id, link->document_id, speaker_id)))
        continue;
      exists = _cw_project_prepare (self,
                                    "SELECT 1 FROM case_links WHERE case_id = ?1 AND document_id = ?2"
                                    " AND speaker_id IS ?3", error);
      if (exists == NULL)
        return -1;
      sqlite3_bind_int64 (exists, 1, link->case_id);
      sqlite3_bind_int64 (exists, 2, link->document_id);
      if (speaker_id > 0)
        sqlite3_bind_int64 (exists, 3, speaker_id);
      rc = sqlite3_step (exists);
      if (rc == SQLITE_ROW)
        continue;
      if (rc != SQLITE_DONE)
        {
          _cw_project_set_db_error (self, error, _("cannot read the case links"));
          return -1;
        }
      g_array_append_val (todo, i);
      g_hash_table_add (cases, g_memdup2 (&link->case_id, sizeof link->case_id));
    }
  if (todo->len == 0)
    return 0;

  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Link %u case", "Link %u cases", g_hash_table_size (cases)),
                           g_hash_table_size (cases));
  if (!_cw_project_begin_step (self, label, error))
    return -1;
  for (guint t = 0; t < todo->len; t++)
    {
      guint i = g_array_index (todo, guint, t);
      const CwCaseLink *link = links->pdata[i];
      gint64 speaker_id = g_array_index (speaker_ids, gint64, i);
      g_autoptr(sqlite3_stmt) stmt =
        _cw_project_prepare (self,
                             "INSERT INTO case_links (case_id, document_id, speaker_id)"
                             " SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM case_links"
                             " WHERE case_id = ?1 AND document_id = ?2 AND speaker_id IS ?3)",
                             error);

      if (stmt == NULL)
        {
          _cw_project_abort_step (self);
          return -1;
        }
      sqlite3_bind_int64 (stmt, 1, link->case_id);
      sqlite3_bind_int64 (stmt, 2, link->document_id);
      if (speaker_id > 0)
        sqlite3_bind_int64 (stmt, 3, speaker_id);
      if (!step_done (self, stmt, _("cannot change the links"), error))
        {
          g_clear_pointer (&stmt, _cw_statement_release);
          _cw_project_abort_step (self);
          return -1;
        }
      added += sqlite3_changes (_cw_project_get_db (self));
    }
  if (!_cw_project_end_step (self, error))
    return -1;
  return added;
}
