/* cw-agreement.h: inter-coder agreement (issue 7) — per code and overall,
 * by character, segment or document, and the places where coders differ.
 *
 * Two layers. CwAgreementData holds hand-made or loaded data (documents by
 * length, coders, codes, intervals in code points) and computes everything
 * by sorting and sweeping interval boundaries, never by walking characters;
 * cw_project_agreement loads a project's codings into one and computes.
 *
 * A statistic that is undefined (0/0: nobody used the code, no units) is
 * NAN, never 0 or 1; cw_agreement_write_json writes it as null.
 */
#pragma once

#include "cw-json.h"
#include "cw-project.h"

G_BEGIN_DECLS

typedef enum
{
  CW_AGREEMENT_UNIT_CHARACTER, /* every character is a unit (NVivo) */
  CW_AGREEMENT_UNIT_SEGMENT,   /* a segment matches by overlap / union (MAXQDA) */
  CW_AGREEMENT_UNIT_DOCUMENT,  /* whether a coder used the code in the document */
} CwAgreementUnit;

/* "character", "segment", "document" */
const char *cw_agreement_unit_to_string   (CwAgreementUnit  unit);
gboolean    cw_agreement_unit_from_string (const char      *string,
                                           CwAgreementUnit *unit);

#define CW_AGREEMENT_DEFAULT_OVERLAP 90
/* Coders are tracked in a 64-bit set. */
#define CW_AGREEMENT_MAX_CODERS 64

/* Per code, in the order the codes were given. */
typedef struct
{
  gint64  code_id;
  char   *path;
  gint64  units;             /* characters, compared segments, or documents */
  double  percent;           /* 0-100; > 2 coders: mean pairwise agreement */
  double  percent_unanimous; /* > 2 coders only, else NAN */
  double  kappa;             /* Cohen (2 coders) or Fleiss (> 2); segment: NAN */
  double  alpha;             /* Krippendorff, nominal; segment: NAN */
  double  u_alpha;           /* character unit only: unitizing alpha, else NAN */
  gint64  matched;           /* segment unit: segments matched (see README) */
  gint64  unmatched;
} CwAgreementCode;

/* Two coders' agreement over every compared code (> 2 coders). */
typedef struct
{
  guint   coder_a;  /* indices into CwAgreement.coders, coder_a < coder_b */
  guint   coder_b;
  gint64  units;
  double  percent;
  double  kappa;    /* Cohen; segment unit: Brennan & Prediger */
} CwAgreementPair;

typedef struct
{
  CwAgreementUnit  unit;
  guint            overlap;     /* segment unit: the PCT used */
  GStrv            coders;
  guint            n_coders;
  gint64          *codings;     /* per coder: its codings of the compared codes
                                 * in the compared documents, before uniting */
  guint            n_documents;
  gint64           characters;  /* of the compared documents */
  GArray          *codes;       /* CwAgreementCode */
  /* Overall: every (code, unit) pair pooled. kappa for the segment unit is
   * Brennan & Prediger's with chance 1 / number of compared codes. */
  gint64           units;
  double           percent;
  double           percent_unanimous;
  double           kappa;
  double           alpha;
  gint64           matched;
  gint64           unmatched;
  double           cu_alpha;        /* character unit; NAN with a reason */
  char            *cu_alpha_reason; /* NULL when cu_alpha is defined */
  GArray          *pairs;           /* CwAgreementPair, every pair of coders
                                     * (the JSON lists them for > 2 coders) */
} CwAgreement;

void cw_agreement_free (CwAgreement *agreement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwAgreement, cw_agreement_free)

/* One place where the coders differ: a maximal run of one code in one
 * document over which the set of coders who coded it is constant, neither
 * empty nor everyone. */
typedef struct
{
  gint64    document_id;
  char     *document;     /* name */
  gint64    code_id;
  char     *code;         /* path */
  gint64    start;        /* character offsets, end exclusive */
  gint64    end;
  guint     n_coders;
  gboolean *coded;        /* per coder (the options' order): coded it here */
  GArray  **coding_ids;   /* per coder: gint64 ids of its codings of the code
                           * overlapping [start, end); empty when not coded */
} CwDisagreement;

void cw_disagreement_free (CwDisagreement *disagreement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwDisagreement, cw_disagreement_free)

/* The pure layer: no database. */
typedef struct _CwAgreementData CwAgreementData;

/* coders: 2 to CW_AGREEMENT_MAX_CODERS names. */
CwAgreementData *cw_agreement_data_new          (const char * const *coders);
void             cw_agreement_data_free         (CwAgreementData    *data);
/* Returns the code's index. */
guint            cw_agreement_data_add_code     (CwAgreementData    *data,
                                                 gint64              code_id,
                                                 const char         *path);
/* Returns the document's index; length in code points. */
guint            cw_agreement_data_add_document (CwAgreementData    *data,
                                                 gint64              document_id,
                                                 const char         *name,
                                                 gint64              length);
/* [start, end) is clipped to the document; an empty interval is counted as
 * a coding considered but covers nothing. The same coder's overlapping or
 * adjacent intervals of one code in one document are united when
 * computing. coding_id may be 0. */
void             cw_agreement_data_add_interval (CwAgreementData    *data,
                                                 guint               coder,
                                                 guint               code,
                                                 guint               document,
                                                 gint64              start,
                                                 gint64              end,
                                                 gint64              coding_id);
/* overlap: 1..100, used by the segment unit. */
CwAgreement     *cw_agreement_data_compute      (CwAgreementData    *data,
                                                 CwAgreementUnit     unit,
                                                 guint               overlap,
                                                 GCancellable       *cancellable,
                                                 GError            **error);
/* CwDisagreement, by document (in the order added), start, end, code. */
GPtrArray       *cw_agreement_data_disagreements (CwAgreementData   *data,
                                                  GCancellable      *cancellable,
                                                  GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwAgreementData, cw_agreement_data_free)

/* The project layer. */
typedef struct
{
  GStrv            coders;       /* >= 2 coder names */
  CwAgreementUnit  unit;         /* default: character */
  guint            overlap;      /* segment unit, 1..100; default 90 */
  GArray          *code_ids;     /* gint64; NULL or empty: every codable code
                                  * of the codebook, in codebook order; each
                                  * code stands for itself (no subcodes) */
  GArray          *document_ids; /* gint64; NULL or empty: every document */
} CwAgreementOptions;

CwAgreementOptions *cw_agreement_options_new  (void);
void                cw_agreement_options_free (CwAgreementOptions *options);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwAgreementOptions, cw_agreement_options_free)

/* Errors: CW_PROJECT_ERROR_NOT_FOUND for an unknown coder (named), code
 * or document; CW_PROJECT_ERROR_INVALID for fewer than two coders, a coder
 * named twice, an overlap outside 1..100. A chosen coder with no codings
 * in the selection has coded nothing. */
CwAgreement *cw_project_agreement          (CwProject                 *self,
                                            const CwAgreementOptions  *options,
                                            GCancellable              *cancellable,
                                            GError                   **error);
/* The options' unit and overlap are ignored: character semantics. */
GPtrArray   *cw_project_list_disagreements (CwProject                 *self,
                                            const CwAgreementOptions  *options,
                                            GCancellable              *cancellable,
                                            GError                   **error);

/* The CLI's JSON (../shared/CLI.md, `agreement`). */
void         cw_agreement_write_json       (const CwAgreement         *agreement,
                                            CwJson                    *json);

/* The statistics on plain tables, for tests and for other units. Each
 * returns NAN when undefined. */

/* Cohen's kappa on an n x n table of counts (rows coder A, columns B). */
double cw_agreement_cohen_kappa    (const double *table,
                                    guint         n_categories);
/* Fleiss' kappa: counts is n_units x n_categories (raters per category,
 * every row summing to the same number of raters); weights, if not NULL,
 * count each row that many times. */
double cw_agreement_fleiss_kappa   (const double *counts,
                                    const double *weights,
                                    guint         n_units,
                                    guint         n_categories);
/* Krippendorff's coincidence matrix (n_values x n_values, added to o) of
 * data: n_coders rows of n_units values in 0..n_values-1, or missing. */
void   cw_agreement_coincidences   (const int    *data,
                                    guint         n_coders,
                                    guint         n_units,
                                    int           missing,
                                    guint         n_values,
                                    double       *o);
/* Krippendorff's alpha, nominal metric, from a coincidence matrix. */
double cw_agreement_alpha_nominal  (const double *o,
                                    guint         n_values);

G_END_DECLS
