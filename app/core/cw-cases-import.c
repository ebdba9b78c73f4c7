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
#include "cw-import-private.h"
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
  GArray         *numbers;      /* numeric: per record its value, read once; or NULL */
  GPtrArray      *isos;         /* per record the ISO form of a date not written so
                                 * (made when stored, kept in the table), or NULL */
} Column;

typedef struct
{
  guint         line;   /* physical line of the record's start (case number for .sav) */
  const char  **cells;  /* one per column, owned by the table; NULL: missing */
} Record;

typedef struct
{
  const char   *filename;   /* for messages */
  gboolean      sav;
  GPtrArray    *columns;    /* Column* */
  GPtrArray    *records;    /* Record* */
  guint         id_column;
  char         *text;       /* CSV: the decoded file, the cells split out in place */
  GStringChunk *strings;    /* every other cell's text */
} Table;

static void
column_free (Column *column)
{
  g_free (column->name);
  g_free (column->label);
  g_clear_pointer (&column->value_labels, g_hash_table_unref);
  g_clear_pointer (&column->numbers, g_array_unref);
  g_clear_pointer (&column->isos, g_ptr_array_unref);
  g_free (column);
}

/* One block for the record and its cells. */
static Record *
record_new (guint line,
            guint n)
{
  Record *record = g_malloc0 (sizeof (Record) + (n + 1) * sizeof (char *));

  record->line = line;
  record->cells = (const char **) (record + 1);
  return record;
}

/* A copy of text kept with the table for as long as it lives. */
static const char *
table_keep (Table      *table,
            const char *text)
{
  if (table->strings == NULL)
    table->strings = g_string_chunk_new (65536);
  return g_string_chunk_insert (table->strings, text);
}

/* Likewise, taking owned text (may be NULL). */
static const char *
table_take (Table *table,
            char  *owned)
{
  const char *kept;

  if (owned == NULL)
    return NULL;
  kept = table_keep (table, owned);
  g_free (owned);
  return kept;
}

static void
table_clear (Table *table)
{
  if (table->records != NULL)
    g_ptr_array_set_free_func (table->records, g_free);
  g_clear_pointer (&table->records, g_ptr_array_unref);
  g_clear_pointer (&table->columns, g_ptr_array_unref);
  g_clear_pointer (&table->text, g_free);
  g_clear_pointer (&table->strings, g_string_chunk_free);
}

/* ---- CSV ---- */

/* A record of the split text: fields[first .. first + n). */
typedef struct
{
  guint line;   /* physical line where the record starts */
  guint first;
  guint n;
} CsvSpan;

/* Splits text in place into records of fields, each field NUL-terminated
 * where it lies (unquoting only ever shortens a field), so a file of
 * 400,000 cells costs no allocation per cell. Quoted fields keep their
 * delimiters, doubled quotes and newlines; every field loses surrounding
 * blanks. max_records 0: all. On success *end (may be NULL) is where it
 * stopped. */
static gboolean
split_csv (char         *text,
           char          delimiter,
           guint         max_records,
           const char   *filename,
           GPtrArray    *fields,
           GArray       *spans,
           char        **end,
           GError      **error)
{
  char *p = text;
  guint line = 1;

  while (*p != '\0' && (max_records == 0 || spans->len < max_records))
    {
      CsvSpan span = { line, fields->len, 0 };
      char terminator;

      for (;;)
        {
          char *start, *stop;

          while (*p == ' ')
            p++;
          start = p;
          if (*p == '"')
            {
              guint quote_line = line;
              char *out = p;

              p++;
              for (;;)
                {
                  if (*p == '\0')
                    {
                      cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, filename, quote_line,
                                           _("a quoted field that never ends (a \" is missing)"));
                      return FALSE;
                    }
                  if (*p == '"' && p[1] == '"')
                    {
                      *out++ = '"';
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
                      *out++ = *p++;
                    }
                }
              /* Text after the closing quote is kept, as spreadsheets do. */
              while (*p != '\0' && *p != delimiter && *p != '\n')
                {
                  if (*p != ' ')
                    *out++ = *p;
                  p++;
                }
              stop = out; /* at least two bytes (the quotes) before p */
            }
          else
            {
              while (*p != '\0' && *p != delimiter && *p != '\n')
                p++;
              stop = p;
            }
          /* Blanks trimmed, inside quotes too: "  P01 " is P01. */
          while (start < stop && g_ascii_isspace (*start))
            start++;
          while (stop > start && g_ascii_isspace (stop[-1]))
            stop--;
          terminator = *p;
          *stop = '\0'; /* may be the delimiter itself, read just above */
          g_ptr_array_add (fields, start);
          span.n++;
          if (terminator == delimiter)
            {
              p++;
              continue;
            }
          break;
        }
      if (terminator == '\n')
        {
          p++;
          line++;
        }
      g_array_append_val (spans, span);
    }
  if (end != NULL)
    *end = p;
  return TRUE;
}

/* A record that is only empty fields: a blank line or ";;;". */
static gboolean
span_is_blank (GPtrArray     *fields,
               const CsvSpan *span)
{
  for (guint i = 0; i < span->n; i++)
    if (((char *) fields->pdata[span->first + i])[0] != '\0')
      return FALSE;
  return TRUE;
}

/* The delimiter that splits the first lines into the same number (> 1) of
 * fields; the most fields wins. 0 when none does. */
static char
sniff_delimiter (const char *text)
{
  static const char candidates[] = { ';', '\t', ',' };
  g_autofree char *copy = g_strdup (text); /* split in place, restored after each try */
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (CsvSpan));
  char best = 0, fallback = 0;
  guint best_columns = 1, fallback_columns = 1;

  for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint columns = 0;
      gboolean consistent = TRUE, ok;
      char *end = NULL;

      g_ptr_array_set_size (fields, 0);
      g_array_set_size (spans, 0);
      ok = split_csv (copy, candidates[c], 20, NULL, fields, spans, &end, NULL);
      for (guint i = 0; ok && i < spans->len; i++)
        {
          const CsvSpan *span = &g_array_index (spans, CsvSpan, i);

          if (span_is_blank (fields, span) && span->n == 1)
            continue;
          if (columns == 0)
            columns = span->n;
          else if (span->n != columns)
            consistent = FALSE;
        }
      /* The split wrote only before its end (anywhere, on failure). */
      memcpy (copy, text, ok ? (gsize) (end - copy) : strlen (text));
      if (!ok || spans->len == 0)
        continue;
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
                         _("no column “%s”: use --id with one of: %s"), id_column, list->str);
  else
    cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, table->sav ? 0 : 1,
                         _("no id column: use --id with one of: %s"), list->str);
  return FALSE;
}

/* Number styles in order of preference: decimal, thousands. With ';' or
 * tab between fields a ',' is most likely a decimal comma. */
static const char comma_first[][2] = { { ',', 0 }, { '.', 0 }, { ',', '.' }, { '.', ',' } };
static const char point_first[][2] = { { '.', 0 }, { ',', 0 }, { '.', ',' }, { ',', '.' } };

/* _cw_cases_parse_number without its allocations, for the plain numbers
 * that make up most columns ("42", "-3,5"): at most 15 digits, no
 * thousands separator. Such a number is exact as an integer and a power
 * of ten up to 10^22 is exact, so one division is correctly rounded: the
 * same double as strtod gives. Anything else goes to the full reader. */
static gboolean
parse_number (const char *text,
              char        decimal,
              char        thousands,
              double     *number)
{
  static const double powers[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
                                   1e13, 1e14, 1e15 };
  const char *p = text;
  gboolean negative = FALSE;
  guint64 mantissa = 0;
  guint digits = 0, decimals = 0;
  double value;

  if (thousands != 0)
    return _cw_cases_parse_number (text, decimal, thousands, number);
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  for (; g_ascii_isdigit (*p); p++, digits++)
    mantissa = mantissa * 10 + (guint64) (*p - '0');
  if (*p == decimal && digits > 0)
    for (p++; g_ascii_isdigit (*p); p++, decimals++)
      mantissa = mantissa * 10 + (guint64) (*p - '0');
  if (*p != '\0' || digits + decimals > 15)
    return _cw_cases_parse_number (text, decimal, thousands, number);
  if (digits == 0 || p[-1] == decimal) /* "", "-", "3," */
    return FALSE;
  value = (double) mantissa / powers[decimals];
  if (number != NULL)
    *number = negative ? -value : value;
  return TRUE;
}

/* Numeric when every value reads as a number in one style (the values
 * kept, so storing does not read them again), else a date when every
 * value is one, else text. Most columns take one pass: the first style
 * fits, or the first value is not a number. */
static void
infer_type (Table  *table,
            guint   index,
            char    delimiter)
{
  Column *column = table->columns->pdata[index];
  const char (*styles)[2] = delimiter == ',' ? point_first : comma_first;
  guint n = table->records->len;
  guint filled = 0;

  for (guint i = 0; i < n; i++)
    if (((Record *) table->records->pdata[i])->cells[index] != NULL)
      filled++;
  column->type = CW_VARIABLE_TEXT;
  if (filled == 0)
    return;

  column->numbers = g_array_sized_new (FALSE, TRUE, sizeof (double), n);
  g_array_set_size (column->numbers, n);
  for (guint s = 0; s < 4; s++)
    {
      gboolean all = TRUE;

      /* A ',' between fields cannot also group thousands unquoted; but
       * quoted "1,234.5" can: allow it, last. */
      for (guint i = 0; i < n && all; i++)
        {
          const char *cell = ((Record *) table->records->pdata[i])->cells[index];

          all = cell == NULL ||
                parse_number (cell, styles[s][0], styles[s][1], &g_array_index (column->numbers, double, i));
        }
      if (all)
        {
          column->type = CW_VARIABLE_NUMERIC;
          column->decimal = styles[s][0];
          column->thousands = styles[s][1];
          return;
        }
    }
  g_clear_pointer (&column->numbers, g_array_unref);

  for (guint i = 0; i < n; i++)
    {
      const char *cell = ((Record *) table->records->pdata[i])->cells[index];

      if (cell != NULL && !_cw_cases_parse_date (cell, NULL))
        return;
    }
  column->type = CW_VARIABLE_DATE;
}

/* Whether a cell holds only ASCII, which NFC leaves as it is. */
static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

static gboolean
read_csv (Table       *table,
          char        *text,
          GError     **error)
{
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (CsvSpan));
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  CsvSpan *header;
  char delimiter;
  guint first = 0;

  /* The cells are split out of text in place and point into it. */
  table->text = text;
  delimiter = sniff_delimiter (text);
  if (delimiter == 0)
    {
      /* An unbalanced quote hides every delimiter: name its line. */
      fields = g_ptr_array_new ();
      if (!split_csv (text, ';', 0, table->filename, fields, spans, NULL, error))
        return FALSE;
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, 1,
                           _("not a table of cases: expected columns separated by ‘;’, ‘,’ or tabs"));
      return FALSE;
    }
  /* About one field per delimiter: the array seldom grows. */
  {
    guint estimate = 1;

    for (const char *p = text; *p != '\0'; p++)
      estimate += *p == delimiter || *p == '\n';
    fields = g_ptr_array_sized_new (estimate);
  }
  if (!split_csv (text, delimiter, 0, table->filename, fields, spans, NULL, error))
    return FALSE;
  /* Skip leading blank lines: the header is the first line with text. */
  while (first < spans->len && span_is_blank (fields, &g_array_index (spans, CsvSpan, first)))
    first++;
  if (first == spans->len)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, table->filename, 0, _("no cases: the file is empty"));
      return FALSE;
    }

  header = &g_array_index (spans, CsvSpan, first);
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  for (guint i = 1; i <= header->n; i++)
    {
      const char *name = fields->pdata[header->first + i - 1];
      Column *column;

      if (name[0] == '\0')
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, header->line,
                               _("column %u has no name"), i);
          return FALSE;
        }
      /* Looked up, not compared with each earlier name: that was quadratic
       * in the columns (fuzzing: a header of 200,000 names took minutes). */
      {
        g_autofree char *folded = g_ascii_strdown (name, -1);
        guint earlier = GPOINTER_TO_UINT (g_hash_table_lookup (names, folded));

        if (earlier > 0)
          {
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, header->line,
                                 _("columns %u and %u are both named “%s”"), earlier, i, name);
            return FALSE;
          }
      }
      column = g_new0 (Column, 1);
      column->name = _cw_utf8_normalize_nfc (name, -1);
      g_ptr_array_add (table->columns, column);
      {
        char *folded = g_ascii_strdown (column->name, -1);

        if (!g_hash_table_contains (names, folded))
          g_hash_table_insert (names, folded, GUINT_TO_POINTER (i));
        else
          g_free (folded);
      }
    }
  if (table->columns->len < 2)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, header->line,
                           _("not a table of cases: expected columns separated by ‘;’, ‘,’ or tabs"));
      return FALSE;
    }

  table->records = g_ptr_array_sized_new (spans->len - first);
  for (guint r = first + 1; r < spans->len; r++)
    {
      const CsvSpan *span = &g_array_index (spans, CsvSpan, r);
      Record *record;

      if (span_is_blank (fields, span))
        continue;
      if (span->n != table->columns->len)
        {
          cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, span->line,
                               /* Translators: the fields on this line, the header's line, its fields. */
                               g_dngettext (GETTEXT_PACKAGE, "%u field where the header (line %u) has %u",
                                            "%u fields where the header (line %u) has %u", span->n),
                               span->n, header->line, table->columns->len);
          return FALSE;
        }
      record = record_new (span->line, table->columns->len);
      for (guint i = 0; i < span->n; i++)
        {
          const char *cell = fields->pdata[span->first + i];

          if (cell[0] == '\0')
            continue;
          /* NFC only where it can change something. */
          record->cells[i] = is_ascii (cell) ? cell
                                             : table_take (table, _cw_utf8_normalize_nfc (cell, -1));
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
            record->cells[index] = table_take (table, _cw_utf8_normalize_nfc (valid, -1));
        }
    }
  else
    {
      double number = readstat_double_value (value);

      if (!isfinite (number))
        return READSTAT_HANDLER_OK;
      if (column->type == CW_VARIABLE_DATE)
        record->cells[index] = table_take (table, spss_date (number));
      else
        {
          /* Stored exactly; the text is for the checks and text variables. */
          record->cells[index] = table_take (table, _cw_cases_format_number (number));
          if (column->numbers == NULL)
            column->numbers = g_array_new (FALSE, TRUE, sizeof (double));
          if (column->numbers->len <= (guint) obs_index)
            g_array_set_size (column->numbers, (guint) obs_index + 1);
          g_array_index (column->numbers, double, obs_index) = number;
        }
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
      cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, table->filename, 0, _("too large for a cohort file"));
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
        cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, table->filename, 0, _("too large for a cohort file"));
      else if (rc == READSTAT_ERROR_OPEN)
        cw_import_set_error (error, CW_IMPORT_ERROR_IO, table->filename, 0, _("cannot read the file"));
      else if (rc == READSTAT_ERROR_READ)
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                             _("not a readable SPSS data file (cut short?)"));
      else
        cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                             _("not a readable SPSS data file (%s)"),
                             ctx.message != NULL ? ctx.message : readstat_error_message (rc));
      g_free (ctx.message);
      return FALSE;
    }
  g_free (ctx.message);

  /* Names must be unique for us as for SPSS; it does not fold case.
   * Looked up, not compared pairwise (quadratic in the variables). */
  {
    g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

    for (guint i = 0; i < table->columns->len; i++)
      {
        const char *name = ((Column *) table->columns->pdata[i])->name;
        char *folded = g_ascii_strdown (name, -1);
        guint earlier = GPOINTER_TO_UINT (g_hash_table_lookup (names, folded));

        if (earlier > 0)
          {
            g_free (folded);
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                                 _("variables %u and %u are both named “%s”"), earlier, i + 1, name);
            return FALSE;
          }
        g_hash_table_insert (names, folded, GUINT_TO_POINTER (i + 1));
      }
  }
  if (table->columns->len < 2)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, table->filename, 0,
                           _("not a table of cases: it needs an id and at least one variable"));
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

  if (table->records->len == 0)
    {
      cw_import_set_error (error, CW_IMPORT_ERROR_EMPTY, table->filename, 0, _("no cases: only a header"));
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
                                 _("case %u: empty id (%s)"), record->line,
                                 ((Column *) table->columns->pdata[table->id_column])->name);
          else
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, record->line,
                                 _("empty id (%s)"), ((Column *) table->columns->pdata[table->id_column])->name);
          return FALSE;
        }
      if ((other = g_hash_table_lookup (seen, id)) != NULL)
        {
          if (table->sav)
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, 0,
                                 _("case %u: id “%s” also in case %u"), record->line, id, other->line);
          else
            cw_import_set_error (error, CW_IMPORT_ERROR_CORRUPT, table->filename, record->line,
                                 _("id “%s” also on line %u"), id, other->line);
          return FALSE;
        }
      g_hash_table_insert (seen, (gpointer) id, record);
    }
  return TRUE;
}

/* Everything cw_project_import_cases() does to a CSV/TSV before it stores
 * anything, from bytes and without a project (tests/fuzz/fuzz-csv.c). */
gboolean
_cw_cases_check_csv (GBytes      *bytes,
                     const char  *filename,
                     const char  *id_column,
                     GError     **error)
{
  Table table = { 0 };
  char *text;
  gboolean ok;

  table.filename = filename;
  text = cw_import_decode_text (bytes, filename, error);
  /* read_csv() hands text to the table, which table_clear() frees. */
  ok = text != NULL && read_csv (&table, text, error) && choose_id_column (&table, id_column, error) &&
       check_ids (&table, error);
  table_clear (&table);
  return ok;
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
      _cw_project_set_db_error (self, error, _("cannot store the cases"));
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
          _cw_project_set_db_error (self, error, _("cannot read the variables"));
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
                               /* Translators: the file, the variable, then the value that did not fit. */
                               g_strdup_printf (target.type == CW_VARIABLE_DATE
                                                  ? _("%s: “%s” was a date, but “%s” is not: it is text now")
                                                  : _("%s: “%s” was numeric, but “%s” is not: it is text now"),
                                                table->filename, column->name, bad));
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
          _cw_project_set_db_error (self, error, _("cannot read the variables"));
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

/* A cell as stored for its target: a number, or text (a date in ISO
 * form), or missing. */
typedef struct
{
  gboolean    missing;
  double      number;
  const char *text;    /* NULL for a number; borrowed from the table */
} CellValue;

/* A date _cw_cases_parse_date accepts in the form d-m-yyyy, dd-mm-yyyy or
 * dd/mm/yyyy, as yyyy-mm-dd, without an allocation. */
static gboolean
reformat_date (const char *cell,
               char        iso[11])
{
  guint part[3] = { 0, 0, 0 }, digits[3] = { 0, 0, 0 }, k = 0;

  for (const char *p = cell; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && digits[k] < 4)
      {
        part[k] = part[k] * 10 + (guint) (*p - '0');
        digits[k]++;
      }
    else if ((*p == '-' || *p == '/') && k < 2)
      k++;
    else
      return FALSE;
  if (k != 2 || digits[0] == 0 || digits[0] > 2 || digits[1] == 0 || digits[1] > 2 || digits[2] != 4)
    return FALSE;
  for (int i = 3; i >= 0; i--, part[2] /= 10)
    iso[i] = (char) ('0' + part[2] % 10);
  iso[4] = '-';
  iso[5] = (char) ('0' + part[1] / 10);
  iso[6] = (char) ('0' + part[1] % 10);
  iso[7] = '-';
  iso[8] = (char) ('0' + part[0] / 10);
  iso[9] = (char) ('0' + part[0] % 10);
  iso[10] = '\0';
  return TRUE;
}

/* The ISO form of a date cell, made once and kept with the table (the
 * text must outlive the statements it is bound to). */
static const char *
date_text (Table      *table,
           Column     *column,
           guint       r,
           const char *cell)
{
  char iso[11];

  if (strlen (cell) == 10 && cell[4] == '-')
    return cell;
  if (column->isos == NULL)
    {
      column->isos = g_ptr_array_sized_new (table->records->len);
      g_ptr_array_set_size (column->isos, (int) table->records->len);
    }
  if (column->isos->pdata[r] == NULL)
    {
      g_autofree char *parsed = NULL;

      if (!_cw_cases_parse_date (cell, NULL))
        return cell;
      if (reformat_date (cell, iso))
        column->isos->pdata[r] = (gpointer) table_keep (table, iso);
      else if (_cw_cases_parse_date (cell, &parsed))
        column->isos->pdata[r] = (gpointer) table_take (table, g_steal_pointer (&parsed));
    }
  return column->isos->pdata[r] != NULL ? column->isos->pdata[r] : cell;
}

static void
cell_value (Table    *table,
            Target   *target,
            guint     r,
            guint     i,
            CellValue *value)
{
  Column *column = target->column;
  const char *cell = ((Record *) table->records->pdata[r])->cells[i];

  value->missing = cell == NULL;
  value->number = 0;
  value->text = NULL;
  if (cell == NULL)
    return;
  switch (target->type)
    {
    case CW_VARIABLE_NUMERIC:
      if (column->type == CW_VARIABLE_NUMERIC && column->numbers != NULL && r < column->numbers->len)
        value->number = g_array_index (column->numbers, double, r);
      /* The stored type may be numeric where this file's column is not:
       * column_fits accepted either decimal mark. */
      else if (!_cw_cases_parse_number (cell, column->decimal != 0 ? column->decimal : '.', column->thousands,
                                        &value->number) &&
               !_cw_cases_parse_number (cell, '.', 0, &value->number))
        _cw_cases_parse_number (cell, ',', 0, &value->number);
      break;
    case CW_VARIABLE_DATE:
      value->text = date_text (table, column, r, cell);
      break;
    case CW_VARIABLE_TEXT:
    default:
      value->text = cell;
      break;
    }
}

/* Binds one (case_id, variable_id, number, text) row from parameter base + 1. */
static void
bind_value (sqlite3_stmt    *stmt,
            int              base,
            gint64           case_id,
            gint64           variable_id,
            const CellValue *value)
{
  sqlite3_bind_int64 (stmt, base + 1, case_id);
  sqlite3_bind_int64 (stmt, base + 2, variable_id);
  if (value->text == NULL)
    {
      sqlite3_bind_double (stmt, base + 3, value->number);
      sqlite3_bind_null (stmt, base + 4);
    }
  else
    {
      sqlite3_bind_null (stmt, base + 3);
      sqlite3_bind_text (stmt, base + 4, value->text, -1, SQLITE_STATIC);
    }
}

/* Whether the row (case_id, variable_id, number, text) holds value. */
static gboolean
same_value (sqlite3_stmt    *row,
            const CellValue *value)
{
  const char *text;

  if (value->text == NULL)
    return sqlite3_column_type (row, 3) == SQLITE_NULL && sqlite3_column_type (row, 2) != SQLITE_NULL &&
           sqlite3_column_double (row, 2) == value->number;
  text = (const char *) sqlite3_column_text (row, 3);
  return sqlite3_column_type (row, 2) == SQLITE_NULL && text != NULL && strcmp (text, value->text) == 0;
}

/* Cases already in the project: their stored values are read in one scan
 * and compared in memory, so only the values that change are written
 * (each recorded for undo by the history's triggers). */
#define CELL_STORED 1
#define CELL_SAME   2

static gboolean
update_known_cases (CwProject     *self,
                    Table         *table,
                    GArray        *targets,
                    GArray        *known,   /* guint record index */
                    GArray        *known_ids,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GHashTable) row_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GHashTable) column_of = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(sqlite3_stmt) scan = NULL;
  g_autoptr(sqlite3_stmt) set = NULL;
  g_autoptr(sqlite3_stmt) clear = NULL;
  g_autofree guint8 *flags = NULL;
  guint n_columns = targets->len;
  guint rows = 0;
  int rc;

  for (guint k = 0; k < known->len; k++)
    g_hash_table_insert (row_of, &g_array_index (known_ids, gint64, k), GUINT_TO_POINTER (k + 1));
  for (guint i = 0; i < n_columns; i++)
    if (i != table->id_column)
      g_hash_table_insert (column_of, &g_array_index (targets, Target, i).id, GUINT_TO_POINTER (i + 1));
  flags = g_new0 (guint8, (gsize) known->len * n_columns);

  scan = _cw_project_prepare (self, "SELECT case_id, variable_id, number, text FROM case_values", error);
  if (scan == NULL)
    return FALSE;
  while ((rc = sqlite3_step (scan)) == SQLITE_ROW)
    {
      gint64 case_id = sqlite3_column_int64 (scan, 0);
      gint64 variable_id = sqlite3_column_int64 (scan, 1);
      guint k = GPOINTER_TO_UINT (g_hash_table_lookup (row_of, &case_id));
      guint i = GPOINTER_TO_UINT (g_hash_table_lookup (column_of, &variable_id));
      CellValue value;
      guint8 *flag;

      if ((++rows & 0xFFFF) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (k-- == 0 || i-- == 0)
        continue;
      flag = &flags[(gsize) k * n_columns + i];
      *flag = CELL_STORED;
      cell_value (table, &g_array_index (targets, Target, i), g_array_index (known, guint, k), i, &value);
      if (!value.missing && same_value (scan, &value))
        *flag |= CELL_SAME;
    }
  if (rc != SQLITE_DONE)
    {
      _cw_project_set_db_error (self, error, _("cannot read the case values"));
      return FALSE;
    }
  g_clear_pointer (&scan, _cw_statement_release);

  set = _cw_project_prepare (self,
                             "INSERT INTO case_values (case_id, variable_id, number, text) VALUES (?1, ?2, ?3, ?4)"
                             " ON CONFLICT (case_id, variable_id) DO UPDATE"
                             " SET number = excluded.number, text = excluded.text",
                             error);
  clear = _cw_project_prepare (self, "DELETE FROM case_values WHERE case_id = ?1 AND variable_id = ?2", error);
  if (set == NULL || clear == NULL)
    return FALSE;
  for (guint k = 0; k < known->len; k++)
    {
      gint64 case_id = g_array_index (known_ids, gint64, k);

      if (k % 1000 == 999 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      for (guint i = 0; i < n_columns; i++)
        {
          Target *target = &g_array_index (targets, Target, i);
          guint8 flag = flags[(gsize) k * n_columns + i];
          CellValue value;

          if (i == table->id_column)
            continue;
          cell_value (table, target, g_array_index (known, guint, k), i, &value);
          if (value.missing && (flag & CELL_STORED))
            {
              sqlite3_bind_int64 (clear, 1, case_id);
              sqlite3_bind_int64 (clear, 2, target->id);
              if (!run_done (self, clear, error))
                return FALSE;
            }
          else if (!value.missing && !(flag & CELL_SAME))
            {
              bind_value (set, 0, case_id, target->id, &value);
              if (!run_done (self, set, error))
                return FALSE;
            }
        }
    }
  return TRUE;
}

/* Rows of case_values per INSERT for new cases: fewer statements to run,
 * within SQLite's limit on parameters (4 per row). */
#define INSERT_ROWS 128

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

typedef struct
{
  gint64    case_id;
  gint64    variable_id;
  CellValue value;
} PendingRow;

static gboolean
flush_rows (CwProject     *self,
            sqlite3_stmt  *full,
            PendingRow    *rows,
            guint          n,
            GError       **error)
{
  g_autoptr(sqlite3_stmt) tail = NULL;
  sqlite3_stmt *stmt = full;

  if (n == 0)
    return TRUE;
  if (n < INSERT_ROWS && (stmt = tail = bulk_insert (self, n, error)) == NULL)
    return FALSE;
  for (guint j = 0; j < n; j++)
    bind_value (stmt, (int) j * 4, rows[j].case_id, rows[j].variable_id, &rows[j].value);
  return run_done (self, stmt, error);
}

/* New cases, unrecorded (the caller records one statement that deletes
 * them all): each case, then its values in INSERTs of INSERT_ROWS rows. */
static gboolean
insert_new_cases (CwProject            *self,
                  Table                *table,
                  GArray               *targets,
                  GArray               *fresh,  /* guint record index */
                  CwCasesImportResult  *result,
                  gint64               *first_new,
                  gint64               *last_new,
                  GCancellable         *cancellable,
                  GError              **error)
{
  g_autoptr(sqlite3_stmt) add_case = NULL;
  g_autoptr(sqlite3_stmt) full = NULL;
  g_autofree PendingRow *rows = g_new (PendingRow, INSERT_ROWS);
  sqlite3 *db = _cw_project_get_db (self);
  guint pending = 0;

  add_case = _cw_project_prepare (self, "INSERT INTO cases (guid, identifier) VALUES (?1, ?2)", error);
  full = bulk_insert (self, INSERT_ROWS, error);
  if (add_case == NULL || full == NULL)
    return FALSE;

  for (guint k = 0; k < fresh->len; k++)
    {
      guint r = g_array_index (fresh, guint, k);
      Record *record = table->records->pdata[r];
      g_autofree char *guid = g_uuid_string_random ();
      gint64 case_id;

      if (k % 1000 == 999 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      sqlite3_bind_text (add_case, 1, guid, -1, SQLITE_STATIC);
      sqlite3_bind_text (add_case, 2, record->cells[table->id_column], -1, SQLITE_STATIC);
      if (!run_done (self, add_case, error))
        return FALSE;
      case_id = sqlite3_last_insert_rowid (db);
      result->added++;
      *first_new = *first_new == 0 ? case_id : MIN (*first_new, case_id);
      *last_new = MAX (*last_new, case_id);

      for (guint i = 0; i < targets->len; i++)
        {
          Target *target = &g_array_index (targets, Target, i);
          PendingRow *row = &rows[pending];

          if (i == table->id_column)
            continue;
          cell_value (table, target, r, i, &row->value);
          if (row->value.missing)
            continue;
          row->case_id = case_id;
          row->variable_id = target->id;
          if (++pending == INSERT_ROWS)
            {
              if (!flush_rows (self, full, rows, pending, error))
                return FALSE;
              pending = 0;
            }
        }
    }
  return flush_rows (self, full, rows, pending, error);
}

/* While new cases go in, the connection runs without triggers and without
 * foreign key checks: the only triggers on these tables are the history's,
 * paused then anyway (yet each still costs as much per row as the insert),
 * and every row points at a case and a variable this step just made or
 * found. Skipped when some other trigger watches the tables. */
typedef struct
{
  int triggers;
  int foreign_keys;
  gboolean active;
} BulkMode;

static gboolean
bulk_mode_begin (CwProject  *self,
                 BulkMode   *mode,
                 GError    **error)
{
  g_autoptr(sqlite3_stmt) others =
    _cw_project_prepare (self,
                         "SELECT count(*) FROM (SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'"
                         " UNION ALL SELECT name, tbl_name FROM sqlite_temp_master WHERE type = 'trigger')"
                         " WHERE tbl_name IN ('cases', 'case_values') AND name NOT GLOB '*_history_*'",
                         error);
  sqlite3 *db = _cw_project_get_db (self);

  memset (mode, 0, sizeof *mode);
  if (others == NULL)
    return FALSE;
  if (sqlite3_step (others) != SQLITE_ROW)
    {
      _cw_project_set_db_error (self, error, _("cannot read the project"));
      return FALSE;
    }
  if (sqlite3_column_int64 (others, 0) > 0)
    return TRUE;
  g_clear_pointer (&others, _cw_statement_release);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &mode->triggers);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &mode->foreign_keys);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_FKEY, 0, NULL);
  mode->active = TRUE;
  return TRUE;
}

static void
bulk_mode_end (CwProject *self,
               BulkMode  *mode)
{
  sqlite3 *db = _cw_project_get_db (self);

  if (!mode->active)
    return;
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, mode->triggers, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_FKEY, mode->foreign_keys, NULL);
  mode->active = FALSE;
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
  g_autoptr(GArray) known = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) known_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(sqlite3_stmt) all = NULL;
  gint64 first_new = 0, last_new = 0;
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
      _cw_project_set_db_error (self, error, _("cannot read the cases"));
      return FALSE;
    }
  g_clear_pointer (&all, _cw_statement_release);

  for (guint r = 0; r < table->records->len; r++)
    {
      const char *identifier = ((Record *) table->records->pdata[r])->cells[table->id_column];
      gpointer id;

      if (g_hash_table_lookup_extended (existing, identifier, NULL, &id))
        {
          gint64 case_id = (gint64) (gintptr) id;

          g_array_append_val (known, r);
          g_array_append_val (known_ids, case_id);
        }
      else
        g_array_append_val (fresh, r);
    }

  /* The known cases with every change recorded, then the new ones
   * unrecorded, undone by one statement (recording 400,000 values row by
   * row would take most of the import's time). */
  if (known->len > 0 &&
      !update_known_cases (self, table, targets, known, known_ids, cancellable, error))
    return FALSE;

  if (fresh->len > 0)
    {
      g_autofree char *undo = NULL;
      BulkMode mode;
      gint64 step;
      gboolean ok;

      if ((step = _cw_history_pause (self, error)) < 0 ||
          !bulk_mode_begin (self, &mode, error))
        return FALSE;
      ok = insert_new_cases (self, table, targets, fresh, result, &first_new, &last_new, cancellable, error);
      bulk_mode_end (self, &mode);
      if (!ok)
        return FALSE;

      /* New rows take ids above every existing one, one after another. */
      if (last_new - first_new + 1 != (gint64) result->added)
        {
          g_set_error (error, CW_PROJECT_ERROR, CW_PROJECT_ERROR_DATABASE,
                       _("%s: cannot record the import for undo"), cw_project_get_path (self));
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
    g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                   G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                                                   cancellable, NULL);
    g_autoptr(GError) local = NULL;
    char *data = NULL;
    gsize length = 0;

    if (info == NULL)
      {
        cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, _("cannot read the file: no such file"));
        return NULL;
      }
    /* A device never ends and a pipe blocks: only files are read. */
    if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
      {
        cw_import_set_error (error, CW_IMPORT_ERROR_UNSUPPORTED, path, 0, _("not a regular file"));
        return NULL;
      }
    table.sav = is_sav (path, NULL);
    if (!table.sav)
      {
        if (g_file_info_get_size (info) > CW_IMPORT_MAX_FILE_BYTES)
          {
            cw_import_set_error (error, CW_IMPORT_ERROR_TOO_LARGE, path, 0, _("too large for a cohort file"));
            return NULL;
          }
        if (!g_file_get_contents (path, &data, &length, &local))
          {
            cw_import_set_error (error, CW_IMPORT_ERROR_IO, path, 0, _("cannot read the file: %s"), local->message);
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
      char *text = cw_import_decode_text (bytes, path, error);

      g_clear_pointer (&bytes, g_bytes_unref);
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
