/* cw-report.h: retrieved segments written out for other programs: a CSV
 * table (Excel, LibreOffice, R, SPSS) and an OpenDocument text report.
 *
 * Both take CwCoding segments (as cw_project_retrieve returns them, with
 * text filled in) and write the file atomically: the whole file appears at
 * once, or nothing changes (an existing file stays as it was).
 */
#pragma once

#include <gio/gio.h>

#include "cw-coding.h"

G_BEGIN_DECLS

#define CW_REPORT_ERROR (cw_report_error_quark ())

typedef enum
{
  CW_REPORT_ERROR_FAILED, /* the document could not be put together */
} CwReportError;

GQuark   cw_report_error_quark (void);

/* A table with one row per segment: UTF-8 with a byte order mark,
 * ';'-separated (what Dutch Excel expects; R's read.csv2 reads it), CRLF
 * line ends, every text field in double quotes (quotes doubled; newlines
 * inside a field kept). Columns:
 * document;code;coder;speaker;start;end;text;memo */
gboolean cw_report_write_csv (GPtrArray     *segments,
                              GFile         *file,
                              GCancellable  *cancellable,
                              GError       **error);

/* The same as bytes, for the tests and for callers that send it on. */
GBytes  *cw_report_build_csv (GPtrArray     *segments);

/* An .odt report: title, subtitle (the query in words; may be NULL) and
 * the date, then per segment a header line (document · speaker · code ·
 * coder · start–end), the segment's text as a quotation and its memo. */
gboolean cw_report_write_odt (GPtrArray     *segments,
                              const char    *title,
                              const char    *subtitle,
                              GFile         *file,
                              GCancellable  *cancellable,
                              GError       **error);

GBytes  *cw_report_build_odt (GPtrArray     *segments,
                              const char    *title,
                              const char    *subtitle,
                              GError       **error);

G_END_DECLS
