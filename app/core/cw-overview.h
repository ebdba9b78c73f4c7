/* cw-overview.h: the numbers behind the overview pictures — the code map
 * (documents x codes), code frequencies per document kind and per value
 * of a case variable, and the co-occurrence of codes.
 *
 * Thin wrappers over the existing queries (cw_project_retrieve,
 * cw_project_crosstab, cw_project_cooccurrence) that put each answer in
 * one shape, a labelled table of counts, so that one drawing module
 * (cw-overview-chart.h) and one CLI printer serve all four. */
#pragma once

#include "cw-retrieval.h"

G_BEGIN_DECLS

typedef enum
{
  CW_OVERVIEW_CODE_MAP,     /* rows: documents; columns: codes */
  CW_OVERVIEW_KINDS,        /* rows: codes; columns: document kinds */
  CW_OVERVIEW_VARIABLE,     /* rows: codes; columns: values of a case variable */
  CW_OVERVIEW_COOCCURRENCE, /* rows and columns: codes */
} CwOverviewType;

typedef struct
{
  CwOverviewType  type;
  char           *by;          /* "kind", the variable's name, or NULL */
  char           *coder;       /* the coder counted, NULL: every coder */
  GPtrArray      *rows;        /* char*: document names, or code paths */
  GArray         *row_ids;     /* gint64: document ids, or code ids */
  GPtrArray      *columns;     /* char*: code paths; kind strings
                                * ("arena", ...); or the variable's values
                                * ("missing" last, as cw_project_crosstab) */
  GArray         *column_ids;  /* gint64: code ids; the CwDocumentKind; or
                                * the column's index */
  GPtrArray      *colors;      /* char* "#rrggbb" of the codes on the code
                                * axis (the columns of a code map, else the
                                * rows) */
  guint          *counts;      /* rows x columns, row-major */
  guint           max;         /* the largest count (off the diagonal of a
                                * co-occurrence matrix) */
} CwOverview;

void        cw_overview_free  (CwOverview       *overview);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwOverview, cw_overview_free)

guint       cw_overview_count (const CwOverview *overview,
                               guint             row,
                               guint             column);

/* Every document (rows, in the documents list's order) x every codable
 * code (columns, codebook order): the codings of the code itself in the
 * document, by coder (NULL: every coder). */
CwOverview *cw_project_code_map          (CwProject     *self,
                                          const char    *coder,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* Codable codes x the document kinds that the project has documents of
 * (arena, focus-group, employer-interview, interview, other, in that
 * order): codings of the code in documents of the kind. */
CwOverview *cw_project_frequencies_by_kind (CwProject     *self,
                                            const char    *coder,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Codable codes x values of a case variable: cw_project_crosstab's
 * codings (value labels, bins; codings without a case not counted). */
CwOverview *cw_project_frequencies_by_variable (CwProject   *self,
                                                const char  *variable,
                                                guint        bins,
                                                GError     **error);
/* Codable codes x codable codes: cw_project_cooccurrence (the diagonal
 * holds the segments of the code, the other cells pairs of overlapping
 * segments). */
CwOverview *cw_project_code_cooccurrence (CwProject     *self,
                                          const char    *coder,
                                          GCancellable  *cancellable,
                                          GError       **error);

G_END_DECLS
