/* cw-cases-private.h: what cw-cases.c and cw-cases-import.c share. */
#pragma once

#include "cw-cases.h"

G_BEGIN_DECLS

/* A number as spreadsheets write it: decimal is '.' or ','; thousands the
 * other one or 0 for none (then groups of exactly three digits). */
gboolean _cw_cases_parse_number (const char *text,
                                 char        decimal,
                                 char        thousands,
                                 double     *number);
/* yyyy-mm-dd, dd-mm-yyyy, d-m-yyyy, dd/mm/yyyy, d/m/yyyy: a real date, as
 * ISO yyyy-mm-dd. */
gboolean _cw_cases_parse_date   (const char *text,
                                 char      **iso);
/* A number as text, without needless decimals ("2015", "6.8"). */
char    *_cw_cases_format_number (double number);

/* Converts a variable's stored values to type inside the caller's step;
 * fails (changing nothing when the caller rolls back) when a value does
 * not fit. */
gboolean _cw_cases_convert_variable (CwProject       *self,
                                     gint64           variable_id,
                                     CwVariableType   type,
                                     GError         **error);

CwVariableType _cw_variable_type_from_string (const char *text);

/* Reads a CSV/TSV as cw_project_import_cases() does, up to and including
 * its checks, storing nothing: for the fuzzer. */
gboolean _cw_cases_check_csv (GBytes      *bytes,
                              const char  *filename,
                              const char  *id_column,
                              GError     **error);

G_END_DECLS
