/* cw-cases-import.c: cohort records from CSV/TSV as Dutch spreadsheet
 * programs write them, or from SPSS .sav/.zsav (libreadstat).
 *
 * Both readers produce the same table (columns with a type, records of
 * text cells); one writer stores it in one undoable step. Every refusal
 * comes before the first write, so a refused file changes nothing. */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <readstat.h>
#include <string.h>

#include "cw-cases-private.h"
#include "cw-import.h"
#include "cw-project-private.h"

/* A .sav is read whole into memory: bound what a hostile header can ask. */
#define MAX_SAV_BYTES  (256 * 1024 * 1024)
#define MAX_CELLS      (20 * 1000 * 1000)

typedef struct
{
  char           *name;
  char           *label;
  CwVariableType  type;
  char            decimal;      /* numeric CSV columns: the style found */
  char            thousands;
  GHashTable     *value_labels; /* double* -> char*, or NULL */
} Column;

typedef struct
{
  guint   line;   /* physical line of the record's start (case number for .sav) */
  char  **cells;  /* one per column; NULL: missing */
} Record;

typedef struct
{
  const char *filename;   /* for messages */
  gboolean    sav;
  GPtrArray  *columns;    /* Column* */
  GPtrArray  *records;    /* Record* */
  guint       id_column;
} Table;

static void
column_free (Column *column)
{
  g_free (column->name);
  g_free (column->label);
  g_clear_pointer (&column->value_labels, g_hash_table_unref);
  g_free (column);
}

static Record *
record_new (guint line,
            guint n)
{
  Record *record = g_new0 (Record, 1);

  record->line = line;
  record->cells = g_new0 (char *, n + 1);
  return record;
}


static void
table_clear (Table *table)
{
  guint n = table->columns != NULL ? table->columns->len : 0;

  if (table->records != NULL)
    {
      for (guint i = 0; i < table->records->len; i++)
        {
          Record *record = table->records->pdata[i];

          for (guint j = 0; j < n; j++)
            g_free (record->cells[j]);
          g_free (record->cells);
          g_free (record);
        }
      g_ptr_array_unref (table->records);
    }
  g_clear_pointer (&table->columns, g_ptr_array_unref);
}

/* ---- CSV ---- */

typedef struct
{
  guint      line;    /* physical line where the record starts */
  GPtrArray *fields;  /* char* */
} CsvRecord;

static void
csv_record_free (CsvRecord *record)
{
  g_ptr_array_unref (record->fields);
  g_free (record);
}

/* Splits text into records of fields. Quoted fields keep their delimiters,
 * doubled quotes and newlines; unquoted ones lose surrounding spaces.
 * max_records 0: all. */
static GPtrArray *
split_csv (const char  *text,
           char         delimiter,
           guint        max_records,
           const char  *filename,
           GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) csv_record_free);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = text;
  guint line = 1;

  while (*p != '\0' && (max_records == 0 || records->len < max_records))
    {
      guint start_line = line;

      CsvRecord *record;

      fields = g_ptr_array_new_with_free_func (g_free);
      for (;;)
        {
          gboolean quoted = FALSE;

          g_string_truncate (field, 0);
          while (*p == ' ')
            p++;
          if (*p == '"')
            {
              guint quote_line = line;

              quoted = TRUE;
              p++;
              for (;;)
                {
                  if (*p == '\0')
                    {
                      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, quote_line,
                                           "a quoted field that never ends (a \" is missing)");
                      return NULL;
                    }
                  if (*p == '"' && p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                    }
                  else if (*p == '"')
                    {
                      p++;
                      break;
                    }
                  else
                    {
                      if (*p == '\n')
                        line++;
                      g_string_append_c (field, *p++);
                    }
                }
              /* Text after the closing quote is kept, as spreadsheets do. */
              while (*p != '\0' && *p != delimiter && *p != '\n')
                {
                  if (*p != ' ')
                    g_string_append_c (field, *p);
                  p++;
                }
            }
          else
            {
              while (*p != '\0' && *p != delimiter && *p != '\n')
                g_string_append_c (field, *p++);
              while (field->len > 0 && (field->str[field->len - 1] == ' ' || field->str[field->len - 1] == '\t'))
                g_string_truncate (field, field->len - 1);
            }
          if (quoted)
            {
              /* Trim spaces inside quotes too: "  P01 " is P01. */
              g_autofree char *trimmed = g_strstrip (g_strdup (field->str));

              g_ptr_array_add (fields, g_steal_pointer (&trimmed));
            }
          else
            g_ptr_array_add (fields, g_strdup (g_strstrip (field->str)));
          if (*p == delimiter)
            {
              p++;
              continue;
            }
          break;
        }
      if (*p == '\n')
        {
          p++;
          line++;
        }
      record = g_new0 (CsvRecord, 1);
      record->line = start_line;
      record->fields = g_steal_pointer (&fields);
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

/* A record that is only empty fields: a blank line or ";;;". */
static gboolean
record_is_blank (CsvRecord *record)
{
  GPtrArray *fields = record->fields;

  for (guint i = 0; i < fields->len; i++)
    if (((char *) fields->pdata[i])[0] != '\0')
      return FALSE;
  return TRUE;
}

/* The delimiter that splits the first lines into the same number (> 1) of
 * fields; the most fields wins. 0 when none does. */
static char
sniff_delimiter (const char *text)
{
  static const char candidates[] = { ';', '\t', ',' };
  char best = 0, fallback = 0;
  guint best_columns = 1, fallback_columns = 1;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      g_autoptr(GPtrArray) records = split_csv (text, candidates[c], 20, NULL, NULL);
      guint columns = 0;
      gboolean consistent = TRUE;

      if (records == NULL || records->len == 0)
        continue;
      for (guint i = 0; i < records->len; i++)
        {
          CsvRecord *record = records->pdata[i];

          if (record_is_blank (record) && record->fields->len == 1)
            continue;
          if (columns == 0)
            columns = record->fields->len;
          else if (record->fields->len != columns)
            consistent = FALSE;
        }
      if (consistent && columns > best_columns)
        best = candidates[c], best_columns = columns;
      if (columns > fallback_columns)
        fallback = candidates[c], fallback_columns = columns;
    }
  return best != 0 ? best : fallback;
}

/* A column name as identifiers are named: "Deelnemer", "Respondent-nr". */
static gboolean
looks_like_id (const char *name)
{
  static const char *const names[] = {
    "id", "deelnemer", "deelnemernummer", "deelnemernr", "deelnemerid", "respondent", "respondentnummer",
    "respondentnr", "respondentid", "respnr", "volgnummer", "volgnr", "participant", "participantid", "casus", "casusnummer", "case", "caseid",
    "nummer", "nr", "code", "pseudoniem", "pseudonym", "identifier", "ident", "leerling", "leerlingnummer",
    "studentnummer",
  };
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autofree char *lower = g_utf8_strdown (name, -1);

  for (const char *p = lower; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (plain, *p);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (plain->str, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
choose_id_column (Table       *table,
                  const char  *id_column,
                  GError     **error)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint i = 0; i < table->columns->len; i++)
    {
      Column *column = table->columns->pdata[i];

      if (id_column != NULL ? g_utf8_collate (column->name, id_column) == 0 ||
                              g_ascii_strcasecmp (column->name, id_column) == 0
                            : looks_like_id (column->name))
        {
          table->id_column = i;
          return TRUE;
        }
    }
  for (guint i = 0; i < table->columns->len; i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", ((Column *) table->columns->pdata[i])->name);
  if (id_column != NULL)
    cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, table->sav ? 0 : 1,
                         "no column “%s”: use --id with one of: %s", id_column, list->str);
  else
    cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, table->sav ? 0 : 1,
                         "no id column: use --id with one of: %s", list->str);
  return FALSE;
}

/* Number styles in order of preference: decimal, thousands. With ';' or
 * tab between fields a ',' is most likely a decimal comma. */
static const char comma_first[][2] = { { ',', 0 }, { '.', 0 }, { ',', '.' }, { '.', ',' } };
static const char point_first[][2] = { { '.', 0 }, { ',', 0 }, { '.', ',' }, { ',', '.' } };

static void
infer_type (Table  *table,
            guint   index,
            char    delimiter)
{
  Column *column = table->columns->pdata[index];
  const char (*styles)[2] = delimiter == ',' ? point_first : comma_first;
  guint filled = 0;

  for (guint i = 0; i < table->records->len; i++)
    if (((Record *) table->records->pdata[i])->cells[index] != NULL)
      filled++;
  column->type = CW_VARIABLE_TEXT;
  if (filled == 0)
    return;

  for (guint s = 0; s < 4; s++)
    {
      gboolean all = TRUE;

      /* A ',' between fields cannot also group thousands unquoted; but
       * quoted "1,234.5" can: allow it, last. */
      for (guint i = 0; i < table->records->len && all; i++)
        {
          const char *cell = ((Record *) table->records->pdata[i])->cells[index];

          all = cell == NULL || _cw_cases_parse_number (cell, styles[s][0], styles[s][1], NULL);
        }
      if (all)
        {
          column->type = CW_VARIABLE_NUMERIC;
          column->decimal = styles[s][0];
          column->thousands = styles[s][1];
          return;
        }
    }

  for (guint i = 0; i < table->records->len; i++)
    {
      const char *cell = ((Record *) table->records->pdata[i])->cells[index];

      if (cell != NULL && !_cw_cases_parse_date (cell, NULL))
        return;
    }
  column->type = CW_VARIABLE_DATE;
}

static gboolean
read_csv (Table       *table,
          const char  *text,
          GError     **error)
{
  g_autoptr(GPtrArray) records = NULL;
  CsvRecord *header;
  char delimiter;
  guint first = 0;

  delimiter = sniff_delimiter (text);
  if (delimiter == 0)
    {
      /* An unbalanced quote hides every delimiter: name its line. */
      g_autoptr(GPtrArray) whole = split_csv (text, ';', 0, table->filename, error);

      if (whole == NULL)
        return FALSE;
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, 1,
                           "not a table of cases: expected columns separated by ‘;’, ‘,’ or tabs");
      return FALSE;
    }
  records = split_csv (text, delimiter, 0, table->filename, error);
  if (records == NULL)
    return FALSE;
  /* Skip leading blank lines: the header is the first line with text. */
  while (first < records->len && record_is_blank (records->pdata[first]))
    first++;
  if (first == records->len)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, table->filename, 0, "no cases: the file is empty");
      return FALSE;
    }

  header = records->pdata[first];
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  for (guint i = 1; i <= header->fields->len; i++)
    {
      const char *name = header->fields->pdata[i - 1];
      Column *column;

      if (name[0] == '\0')
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, header->line,
                               "column %u has no name", i);
          return FALSE;
        }
      for (guint j = 0; j < table->columns->len; j++)
        if (g_ascii_strcasecmp (((Column *) table->columns->pdata[j])->name, name) == 0)
          {
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, header->line,
                                 "columns %u and %u are both named “%s”", j + 1, i, name);
            return FALSE;
          }
      column = g_new0 (Column, 1);
      column->name = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);
      g_ptr_array_add (table->columns, column);
    }
  if (table->columns->len < 2)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, header->line,
                           "not a table of cases: expected columns separated by ‘;’, ‘,’ or tabs");
      return FALSE;
    }

  table->records = g_ptr_array_new ();
  for (guint r = first + 1; r < records->len; r++)
    {
      CsvRecord *csv = records->pdata[r];
      Record *record;

      if (record_is_blank (csv))
        continue;
      if (csv->fields->len != table->columns->len)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, csv->line,
                               "%u fields where the header (line %u) has %u",
                               csv->fields->len, header->line, table->columns->len);
          return FALSE;
        }
      record = record_new (csv->line, table->columns->len);
      for (guint i = 0; i < csv->fields->len; i++)
        {
          const char *cell = csv->fields->pdata[i];

          if (cell[0] != '\0')
            record->cells[i] = g_utf8_normalize (cell, -1, G_NORMALIZE_NFC);
        }
      g_ptr_array_add (table->records, record);
    }

  for (guint i = 0; i < table->columns->len; i++)
    infer_type (table, i, delimiter);
  return TRUE;
}

/* ---- SPSS ---- */

typedef struct
{
  Table      *table;
  GHashTable *label_sets;    /* set name -> GHashTable double* -> char* */
  GPtrArray  *set_names;     /* per column: its label set's name, or NULL */
  char       *message;       /* readstat's own error text */
  gboolean    too_large;
} SavContext;

/* Days since 1582-10-14, the SPSS epoch. */
static char *
spss_date (double seconds)
{
  GDate date;
  double days = floor (seconds / 86400.0);

  if (!isfinite (days) || days < 0 || days > 3000000)
    return NULL;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 14, G_DATE_OCTOBER, 1582);
  g_date_add_days (&date, (guint) days);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

static gboolean
is_date_format (const char *format)
{
  static const char *const prefixes[] = { "DATETIME", "DATE", "ADATE", "EDATE", "SDATE", "JDATE" };

  if (format == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (format, prefixes[i], strlen (prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

static int
sav_metadata (readstat_metadata_t *metadata,
              void                *data)
{
  SavContext *ctx = data;
  int rows = readstat_get_row_count (metadata);
  int vars = readstat_get_var_count (metadata);

  if (rows > 0 && vars > 0 && (gint64) rows * vars > MAX_CELLS)
    {
      ctx->too_large = TRUE;
      return READSTAT_HANDLER_ABORT;
    }
  return READSTAT_HANDLER_OK;
}

static int
sav_variable (int                  index,
              readstat_variable_t *variable,
              const char          *val_labels,
              void                *data)
{
  SavContext *ctx = data;
  Column *column = g_new0 (Column, 1);
  const char *label = readstat_variable_get_label (variable);

  (void) index;
  column->name = g_utf8_make_valid (readstat_variable_get_name (variable), -1);
  if (label != NULL && label[0] != '\0')
    column->label = g_utf8_make_valid (label, -1);
  if (readstat_variable_get_type_class (variable) == READSTAT_TYPE_CLASS_STRING)
    column->type = CW_VARIABLE_TEXT;
  else if (is_date_format (readstat_variable_get_format (variable)))
    column->type = CW_VARIABLE_DATE;
  else
    column->type = CW_VARIABLE_NUMERIC;
  column->decimal = '.';
  g_ptr_array_add (ctx->table->columns, column);
  g_ptr_array_add (ctx->set_names, g_strdup (val_labels));
  return READSTAT_HANDLER_OK;
}

static int
sav_value (int                  obs_index,
           readstat_variable_t *variable,
           readstat_value_t     value,
           void                *data)
{
  SavContext *ctx = data;
  Table *table = ctx->table;
  int index = readstat_variable_get_index (variable);
  Column *column;
  Record *record;

  if (obs_index < 0 || index < 0 || (guint) index >= table->columns->len)
    return READSTAT_HANDLER_ABORT;
  if ((guint) obs_index >= table->records->len)
    {
      if ((guint) obs_index != table->records->len ||
          (gint64) (obs_index + 1) * table->columns->len > MAX_CELLS)
        {
          ctx->too_large = (guint) obs_index == table->records->len;
          return READSTAT_HANDLER_ABORT;
        }
      g_ptr_array_add (table->records, record_new ((guint) obs_index + 1, table->columns->len));
    }
  record = table->records->pdata[obs_index];
  column = table->columns->pdata[index];
  if (readstat_value_is_missing (value, variable))
    return READSTAT_HANDLER_OK;
  if (readstat_value_type_class (value) == READSTAT_TYPE_CLASS_STRING)
    {
      const char *text = readstat_string_value (value);

      if (text != NULL)
        {
          g_autofree char *valid = g_utf8_make_valid (text, -1);

          g_strstrip (valid);
          if (valid[0] != '\0')
            record->cells[index] = g_utf8_normalize (valid, -1, G_NORMALIZE_NFC);
        }
    }
  else
    {
      double number = readstat_double_value (value);

      if (!isfinite (number))
        return READSTAT_HANDLER_OK;
      if (column->type == CW_VARIABLE_DATE)
        record->cells[index] = spss_date (number);
      else
        record->cells[index] = _cw_cases_format_number (number);
    }
  return READSTAT_HANDLER_OK;
}

static int
sav_value_label (const char       *val_labels,
                 readstat_value_t  value,
                 const char       *label,
                 void             *data)
{
  SavContext *ctx = data;
  GHashTable *set;
  double number;

  if (val_labels == NULL || label == NULL || readstat_value_type_class (value) != READSTAT_TYPE_CLASS_NUMERIC)
    return READSTAT_HANDLER_OK;
  number = readstat_double_value (value);
  if (!isfinite (number))
    return READSTAT_HANDLER_OK;
  set = g_hash_table_lookup (ctx->label_sets, val_labels);
  if (set == NULL)
    {
      set = g_hash_table_new_full (g_double_hash, g_double_equal, g_free, g_free);
      g_hash_table_insert (ctx->label_sets, g_strdup (val_labels), set);
    }
  g_hash_table_insert (set, g_memdup2 (&number, sizeof number), g_utf8_make_valid (label, -1));
  return READSTAT_HANDLER_OK;
}

static void
sav_error (const char *message,
           void       *data)
{
  SavContext *ctx = data;

  if (ctx->message == NULL)
    ctx->message = g_strstrip (g_utf8_make_valid (message, -1));
}

static GHashTable *
copy_labels (GHashTable *set)
{
  GHashTable *copy = g_hash_table_new_full (g_double_hash, g_double_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_memdup2 (key, sizeof (double)), g_strdup (value));
  return copy;
}

static gboolean
read_sav (Table       *table,
          const char  *path,
          GError     **error)
{
  SavContext ctx = { table, NULL, NULL, NULL, FALSE };
  readstat_parser_t *parser;
  readstat_error_t rc;
  GStatBuf info;

  if (g_stat (path, &info) == 0 && info.st_size > MAX_SAV_BYTES)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, table->filename, 0, "too large for a cohort file");
      return FALSE;
    }

  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->records = g_ptr_array_new ();
  ctx.label_sets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  ctx.set_names = g_ptr_array_new_with_free_func (g_free);

  parser = readstat_parser_init ();
  readstat_set_metadata_handler (parser, sav_metadata);
  readstat_set_variable_handler (parser, sav_variable);
  readstat_set_value_handler (parser, sav_value);
  readstat_set_value_label_handler (parser, sav_value_label);
  readstat_set_error_handler (parser, sav_error);
  rc = readstat_parse_sav (parser, path, &ctx);
  readstat_parser_free (parser);

  if (rc == READSTAT_OK)
    for (guint i = 0; i < table->columns->len; i++)
      {
        Column *column = table->columns->pdata[i];
        const char *set_name = ctx.set_names->pdata[i];
        GHashTable *set = set_name != NULL ? g_hash_table_lookup (ctx.label_sets, set_name) : NULL;

        if (set != NULL && column->type == CW_VARIABLE_NUMERIC)
          column->value_labels = copy_labels (set);
      }
  g_hash_table_unref (ctx.label_sets);
  g_ptr_array_unref (ctx.set_names);

  if (rc != READSTAT_OK)
    {
      if (ctx.too_large)
        cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, table->filename, 0, "too large for a cohort file");
      else if (rc == READSTAT_ERROR_OPEN)
        cw_import_set_error (error, CW_IMPORT_ERROR_IO, table->filename, 0, "cannot read the file");
      else if (rc == READSTAT_ERROR_READ)
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                             "not a readable SPSS data file (cut short?)");
      else
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                             "not a readable SPSS data file (%s)",
                             ctx.message != NULL ? ctx.message : readstat_error_message (rc));
      g_free (ctx.message);
      return FALSE;
    }
  g_free (ctx.message);

  /* Names must be unique for us as for SPSS; it does not fold case. */
  for (guint i = 0; i < table->columns->len; i++)
    for (guint j = 0; j < i; j++)
      if (g_ascii_strcasecmp (((Column *) table->columns->pdata[i])->name,
                              ((Column *) table->columns->pdata[j])->name) == 0)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                               "variables %u and %u are both named “%s”", j + 1, i + 1,
                               ((Column *) table->columns->pdata[i])->name);
          return FALSE;
        }
  if (table->columns->len < 2)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, 0,
                           "not a table of cases: it needs an id and at least one variable");
      return FALSE;
    }
  return TRUE;
}

/* ---- checks shared by both ---- */

static gboolean
check_ids (Table   *table,
           GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *unit = table->sav ? "case " : "";

  if (table->records->len == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, table->filename, 0, "no cases: only a header");
      return FALSE;
    }
  for (guint i = 0; i < table->records->len; i++)
    {
      Record *record = table->records->pdata[i];
      const char *id = record->cells[table->id_column];
      Record *other;

      if (id == NULL)
        {
          if (table->sav)
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                                 "case %u: empty id (%s)", record->line,
                                 ((Column *) table->columns->pdata[table->id_column])->name);
          else
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, record->line,
                                 "empty id (%s)", ((Column *) table->columns->pdata[table->id_column])->name);
          return FALSE;
        }
      if ((other = g_hash_table_lookup (seen, id)) != NULL)
        {
          if (table->sav)
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                                 "case %u: id “%s” also in case %u", record->line, id, other->line);
          else
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, record->line,
                                 "id “%s” also on %sline %u", id, unit, other->line);
          return FALSE;
        }
      g_hash_table_insert (seen, (gpointer) id, record);
    }
  return TRUE;
}

/* ---- storing ---- */

typedef struct
{
  gint64          id;
  CwVariableType  type;
  gboolean        as_text;   /* stored type text, file's type not */
  Column         *column;
} Target;

/* Whether every cell of the column fits the stored type. */
static gboolean
column_fits (Table          *table,
             guint           index,
             CwVariableType  type,
             const char    **bad)
{
  Column *column = table->columns->pdata[index];

  if (type == CW_VARIABLE_TEXT || type == column->type)
    return TRUE;
  for (guint i = 0; i < table->records->len; i++)
    {
      const char *cell = ((Record *) table->records->pdata[i])->cells[index];

      if (cell == NULL)
        continue;
      if (type == CW_VARIABLE_NUMERIC ? !_cw_cases_parse_number (cell, '.', 0, NULL) &&
                                        !_cw_cases_parse_number (cell, ',', 0, NULL)
                                      : !_cw_cases_parse_date (cell, NULL))
        {
          *bad = cell;
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
run_done (CwProject     *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, "cannot store the cases");
      return FALSE;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}

static gboolean
prepare_targets (CwProject            *self,
                 Table                *table,
                 GArray               *targets,
                 CwCasesImportResult  *result,
                 GError              **error)
{
  g_autoptr(sqlite3_stmt) find = NULL;
  g_autoptr(sqlite3_stmt) add = NULL;
  g_autoptr(sqlite3_stmt) label = NULL;
  g_autoptr(sqlite3_stmt) set_label = NULL;
  gint64 position = 0;

  find = _cw_project_prepare (self, "SELECT id, type FROM variables WHERE name = ?1"
                                    " UNION ALL SELECT id, type FROM variables WHERE name = ?1 COLLATE NOCASE"
                                    " LIMIT 1", error);
  if (find == NULL)
    return FALSE;
  {
    g_autoptr(sqlite3_stmt) max = _cw_project_prepare (self, "SELECT coalesce (max (position), -1) FROM variables",
                                                       error);

    if (max == NULL || sqlite3_step (max) != SQLITE_ROW)
      {
        if (max != NULL)
          _cw_project_set_db_error (self, error, "cannot read the variables");
        return FALSE;
      }
    position = sqlite3_column_int64 (max, 0) + 1;
  }

  for (guint i = 0; i < table->columns->len; i++)
    {
      Column *column = table->columns->pdata[i];
      Target target = { 0, column->type, FALSE, column };
      int rc;

      if (i == table->id_column)
        {
          g_array_append_val (targets, target);
          continue;
        }
      sqlite3_bind_text (find, 1, column->name, -1, SQLITE_STATIC);
      rc = sqlite3_step (find);
      if (rc == SQLITE_ROW)
        {
          const char *bad = NULL;

          target.id = sqlite3_column_int64 (find, 0);
          target.type = _cw_variable_type_from_string ((const char *) sqlite3_column_text (find, 1));
          sqlite3_reset (find);
          if (!column_fits (table, i, target.type, &bad))
            {
              g_ptr_array_add (result->warnings,
                               g_strdup_printf ("%s: “%s” was %s, but “%s” is not: it is text now",
                                                table->filename, column->name,
                                                cw_variable_type_to_string (target.type), bad));
              if (!_cw_cases_convert_variable (self, target.id, CW_VARIABLE_TEXT, error))
                return FALSE;
              target.type = CW_VARIABLE_TEXT;
            }
          target.as_text = target.type == CW_VARIABLE_TEXT && column->type != CW_VARIABLE_TEXT;
          if (column->label != NULL)
            {
              if (set_label == NULL &&
                  (set_label = _cw_project_prepare (self, "UPDATE variables SET label = ?2 WHERE id = ?1"
                                                          " AND label IS NOT ?2", error)) == NULL)
                return FALSE;
              sqlite3_bind_int64 (set_label, 1, target.id);
              sqlite3_bind_text (set_label, 2, column->label, -1, SQLITE_STATIC);
              if (!run_done (self, set_label, error))
                return FALSE;
            }
        }
      else if (rc == SQLITE_DONE)
        {
          g_autofree char *guid = g_uuid_string_random ();

          sqlite3_reset (find);
          if (add == NULL &&
              (add = _cw_project_prepare (self, "INSERT INTO variables (guid, name, label, type, position)"
                                                " VALUES (?1, ?2, ?3, ?4, ?5)", error)) == NULL)
            return FALSE;
          sqlite3_bind_text (add, 1, guid, -1, SQLITE_STATIC);
          sqlite3_bind_text (add, 2, column->name, -1, SQLITE_STATIC);
          if (column->label != NULL)
            sqlite3_bind_text (add, 3, column->label, -1, SQLITE_STATIC);
          sqlite3_bind_text (add, 4, cw_variable_type_to_string (column->type), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (add, 5, position++);
          if (!run_done (self, add, error))
            return FALSE;
          target.id = sqlite3_last_insert_rowid (_cw_project_get_db (self));
        }
      else
        {
          _cw_project_set_db_error (self, error, "cannot read the variables");
          return FALSE;
        }

      if (column->value_labels != NULL)
        {
          GHashTableIter iter;
          gpointer key, value;

          if (label == NULL &&
              (label = _cw_project_prepare (self, "INSERT INTO value_labels (variable_id, value, label)"
                                                  " VALUES (?1, ?2, ?3) ON CONFLICT (variable_id, value)"
                                                  " DO UPDATE SET label = excluded.label"
                                                  " WHERE label IS NOT excluded.label", error)) == NULL)
            return FALSE;
          g_hash_table_iter_init (&iter, column->value_labels);
          while (g_hash_table_iter_next (&iter, &key, &value))
            {
              sqlite3_bind_int64 (label, 1, target.id);
              sqlite3_bind_double (label, 2, *(double *) key);
              sqlite3_bind_text (label, 3, value, -1, SQLITE_STATIC);
              if (!run_done (self, label, error))
                return FALSE;
            }
        }
      g_array_append_val (targets, target);
    }
  return TRUE;
}

/* INSERT of n rows into case_values (cached, like every statement). */
static sqlite3_stmt *
bulk_insert (CwProject  *self,
             guint       n,
             GError    **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO case_values (case_id, variable_id, number, text) VALUES ");

  for (guint i = 0; i < n; i++)
    g_string_append (sql, i == 0 ? "(?,?,?,?)" : ",(?,?,?,?)");
  return _cw_project_prepare (self, sql->str, error);
}

static gboolean
store_table (CwProject            *self,
             Table                *table,
             CwCasesImportResult  *result,
             GCancellable         *cancellable,
             GError              **error)
{
  g_autoptr(GArray) targets = g_array_new (FALSE, TRUE, sizeof (Target));
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) all = NULL;
  g_autoptr(sqlite3_stmt) add_case = NULL;
  g_autoptr(sqlite3_stmt) set = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  gint64 step = -1, first_new = 0, last_new = 0;
  int rc;

  if (!prepare_targets (self, table, targets, result, error))
    return FALSE;

  all = _cw_project_prepare (self, "SELECT identifier, id FROM cases", error);
  if (all == NULL)
    return FALSE;
  while ((rc = sqlite3_step (all)) == SQLITE_ROW)
    g_hash_table_insert (existing, g_strdup ((const char *) sqlite3_column_text (all, 0)),
                         (gpointer) (gintptr) sqlite3_column_int64 (all, 1));
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, "cannot read the cases");
      return FALSE;
    }
  g_clear_pointer (&all, _cw_statement_release);

  add_case = _cw_project_prepare (self, "INSERT INTO cases (guid, identifier) VALUES (?1, ?2)", error);
  set = _cw_project_prepare (self,
                             "INSERT INTO case_values (case_id, variable_id, number, text) VALUES (?1, ?2, ?3, ?4)"
                             " ON CONFLICT (case_id, variable_id) DO UPDATE"
                             " SET number = excluded.number, text = excluded.text"
                             " WHERE number IS NOT excluded.number OR text IS NOT excluded.text",
                             error);
  clear = _cw_project_prepare (self, "DELETE FROM case_values WHERE case_id = ?1 AND variable_id = ?2", error);
  if (add_case == NULL || set == NULL || clear == NULL)
    return FALSE;

  /* Two passes: the known cases with every change recorded, then the new
   * ones unrecorded, undone by one statement (recording 400,000 values
   * row by row would take most of the import's time). */
  for (guint pass = 0; pass < 2; pass++)
  for (guint r = 0; r < table->records->len; r++)
    {
      Record *record = table->records->pdata[r];
      const char *identifier = record->cells[table->id_column];
      gboolean is_new = !g_hash_table_contains (existing, identifier);
      gint64 case_id;

      if (is_new != (pass == 1))
        continue;
      if (r % 1000 == 999 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (is_new && step < 0 && (step = _cw_history_pause (self, error)) < 0)
        return FALSE;

      if (is_new)
        {
          g_autofree char *guid = g_uuid_string_random ();

          sqlite3_bind_text (add_case, 1, guid, -1, SQLITE_STATIC);
          sqlite3_bind_text (add_case, 2, identifier, -1, SQLITE_STATIC);
          if (!run_done (self, add_case, error))
            return FALSE;
          case_id = sqlite3_last_insert_rowid (_cw_project_get_db (self));
          result->added++;
          first_new = first_new == 0 ? case_id : MIN (first_new, case_id);
          last_new = MAX (last_new, case_id);
        }
      else
        {
          case_id = (gint64) (gintptr) g_hash_table_lookup (existing, identifier);
        }

      {
        sqlite3_stmt *stmt = set;
        guint n = 0, bound = 0;

        /* A new case's values go in by one statement of as many rows. */
        if (is_new)
          {
            for (guint i = 0; i < targets->len; i++)
              n += i != table->id_column && record->cells[i] != NULL;
            if (n == 0)
              continue;
            if (!(stmt = bulk_insert (self, n, error)))
              return FALSE;
          }
        for (guint i = 0; i < targets->len; i++)
          {
            Target *target = &g_array_index (targets, Target, i);
            const char *cell = record->cells[i];
            int base = (int) bound * 4;

            if (i == table->id_column)
              continue;
            if (cell == NULL)
              {
                if (is_new)
                  continue;
                sqlite3_bind_int64 (clear, 1, case_id);
                sqlite3_bind_int64 (clear, 2, target->id);
                if (!run_done (self, clear, error))
                  return FALSE;
                continue;
              }

            sqlite3_bind_int64 (stmt, base + 1, case_id);
            sqlite3_bind_int64 (stmt, base + 2, target->id);
            if (target->type == CW_VARIABLE_NUMERIC)
              {
                double number = 0;

                /* The stored type may be numeric where this file's column
                 * is not: column_fits accepted either decimal mark. */
                if (!_cw_cases_parse_number (cell, target->column->decimal != 0 ? target->column->decimal : '.',
                                             target->column->thousands, &number) &&
                    !_cw_cases_parse_number (cell, '.', 0, &number))
                  _cw_cases_parse_number (cell, ',', 0, &number);
                sqlite3_bind_double (stmt, base + 3, number);
              }
            else if (target->type == CW_VARIABLE_DATE)
              {
                g_autofree char *iso = NULL;

                _cw_cases_parse_date (cell, &iso);
                sqlite3_bind_text (stmt, base + 4, iso != NULL ? iso : cell, -1, SQLITE_TRANSIENT);
              }
            else
              sqlite3_bind_text (stmt, base + 4, cell, -1, SQLITE_STATIC);
            if (is_new)
              bound++;
            else if (!run_done (self, set, error))
              return FALSE;
          }
        if (is_new)
          {
            gboolean ok = run_done (self, stmt, error);

            _cw_statement_release (stmt);
            if (!ok)
              return FALSE;
          }
      }
    }
  if (step >= 0)
    {
      g_autofree char *undo = NULL;

      /* New rows take ids above every existing one, one after another. */
      if (last_new - first_new + 1 != (gint64) result->added)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                       "%s: cannot record the import for undo", cw_project_get_path (self));
          return FALSE;
        }
      undo = g_strdup_printf ("DELETE FROM \"cases\" WHERE \"id\" BETWEEN %" G_GINT64_FORMAT
                              " AND %" G_GINT64_FORMAT, first_new, last_new);
      if (!_cw_history_resume (self, step, undo, error))
        return FALSE;
    }
  result->cases = table->records->len;
  result->variables = table->columns->len - 1;
  return TRUE;
}

static gboolean
is_sav (const char *path,
        GBytes     *head)
{
  gsize size;
  const char *data = head != NULL ? g_bytes_get_data (head, &size) : NULL;

  if (data != NULL && size >= 4 && (memcmp (data, "$FL2", 4) == 0 || memcmp (data, "$FL3", 4) == 0))
    return TRUE;
  return g_str_has_suffix (path, ".sav") || g_str_has_suffix (path, ".zsav") ||
         g_str_has_suffix (path, ".SAV") || g_str_has_suffix (path, ".ZSAV");
}

CwCasesImportResult *
cw_project_import_cases (CwProject     *self,
                         const char    *path,
                         const char    *id_column,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(CwCasesImportResult) result = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Table table = { 0 };
  gboolean ok;

  g_return_val_if_fail (CW_IS_PROJECT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  basename = g_path_get_basename (path);
  table.filename = path;

  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                                                   cancellable, NULL);
    g_autoptr(GError) local = NULL;
    char *data = NULL;
    gsize length = 0;

    if (info == NULL)
      {
        cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, "cannot read the file: no such file");
        return NULL;
      }
    table.sav = is_sav (path, NULL);
    if (!table.sav)
      {
        if (g_file_info_get_size (info) > CW_IMPORT_MAX_FILE_BYTES)
          {
            cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, path, 0, "too large for a cohort file");
            return NULL;
          }
        if (!g_file_get_contents (path, &data, &length, &local))
          {
            cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, "cannot read the file: %s", local->message);
            return NULL;
          }
        bytes = g_bytes_new_take (data, length);
        table.sav = is_sav (path, bytes);
      }
  }

  if (table.sav)
    ok = read_sav (&table, path, error);
  else
    {
      g_autofree char *text = cw_import_decode_text (bytes, path, error);

      ok = text != NULL && read_csv (&table, text, error);
    }
  ok = ok && choose_id_column (&table, id_column, error) && check_ids (&table, error);
  if (!ok)
    {
      table_clear (&table);
      return NULL;
    }

  result = g_new0 (CwCasesImportResult, 1);
  result->warnings = g_ptr_array_new_with_free_func (g_free);

  label = g_strdup_printf (_("Import cases from “%s”"), basename);
  if (!_cw_project_begin_step (self, label, error))
    {
      table_clear (&table);
      return NULL;
    }
  if (!store_table (self, &table, result, cancellable, error))
    {
      _cw_project_abort_step (self);
      table_clear (&table);
      return NULL;
    }
  table_clear (&table);
  if (!_cw_project_end_step (self, error))
    return NULL;
  return g_steal_pointer (&result);
}
