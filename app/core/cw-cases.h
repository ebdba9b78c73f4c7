/* cw-cases.h: cohort records — cases (participants) with variables, their
 * links to documents and speakers, and the analyses that join them with
 * the codings (crosstab, case x code matrix for SPSS and R).
 *
 * This is sensitive data (IQ, police contacts): it leaves the project only
 * through an explicit export. */
#pragma once

#include "cw-retrieval.h"

G_BEGIN_DECLS

typedef enum
{
  CW_VARIABLE_NUMERIC,
  CW_VARIABLE_TEXT,
  CW_VARIABLE_DATE,  /* stored as ISO 8601 text, yyyy-mm-dd */
} CwVariableType;

const char *cw_variable_type_to_string (CwVariableType type); /* "numeric", "text", "date" */

typedef struct
{
  gint64          id;
  char           *guid;
  char           *name;
  char           *label;        /* SPSS variable label, or NULL */
  CwVariableType  type;
  int             position;
  GHashTable     *value_labels; /* double* -> char* (numeric codes' labels), or NULL */
} CwVariable;

void cw_variable_free (CwVariable *variable);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwVariable, cw_variable_free)

typedef struct
{
  gint64  id;
  char   *guid;
  char   *identifier;
  /* One value per variable of cw_project_list_variables, in that order:
   * each a GVariant "d" (numeric), "s" (text or date), or NULL (missing). */
  GPtrArray *values;
} CwCase;

void cw_case_free (CwCase *kase);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCase, cw_case_free)

typedef struct
{
  guint      cases;      /* cases in the file */
  guint      added;      /* of which new */
  guint      variables;  /* variables in the file, the id column not counted */
  GPtrArray *warnings;   /* char* */
} CwCasesImportResult;

void cw_cases_import_result_free (CwCasesImportResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCasesImportResult, cw_cases_import_result_free)

/* Imports cohort records from CSV/TSV (delimiter sniffed; UTF-8 with or
 * without BOM, or Windows-1252; decimal comma or point; quoted fields) or
 * SPSS .sav/.zsav (libreadstat; variable and value labels kept). id_column
 * NULL: a column named like an identifier. Re-importing updates cases by id
 * and adds new variables; nothing is dropped. One undoable step; refusals
 * ("FILE:LINE: reason", CW_IMPORT_ERROR) change nothing. */
CwCasesImportResult *cw_project_import_cases (CwProject     *self,
                                              const char    *path,
                                              const char    *id_column,
                                              GCancellable  *cancellable,
                                              GError       **error);

GPtrArray *cw_project_list_variables (CwProject  *self,
                                      GError    **error);
GPtrArray *cw_project_list_cases     (CwProject  *self,
                                      GError    **error);
gint64     cw_project_lookup_case    (CwProject   *self,
                                      const char  *identifier,
                                      GError     **error);
/* Sets one value (NULL: missing), checked against the variable's type. */
gboolean   cw_project_set_case_value (CwProject   *self,
                                      gint64       case_id,
                                      gint64       variable_id,
                                      GVariant    *value,
                                      GError     **error);
gboolean   cw_project_set_variable_type (CwProject      *self,
                                         gint64          variable_id,
                                         CwVariableType  type,
                                         GError        **error);

/* Links: a case to a document, or to one speaker in it (speaker NULL for
 * the whole document). A coding's case is the case linked to the speaker
 * of its turn, else the case linked to its document. */
gboolean   cw_project_link_case   (CwProject   *self,
                                   gint64       case_id,
                                   gint64       document_id,
                                   const char  *speaker,
                                   GError     **error);
gboolean   cw_project_unlink_case (CwProject   *self,
                                   gint64       case_id,
                                   gint64       document_id,
                                   const char  *speaker,
                                   GError     **error);

typedef struct
{
  gint64  case_id;
  char   *case_identifier;
  gint64  document_id;
  char   *document;
  char   *speaker;   /* NULL: the whole document */
} CwCaseLink;

void cw_case_link_free (CwCaseLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCaseLink, cw_case_link_free)

/* case_id 0: every link. */
GPtrArray *cw_project_list_case_links (CwProject  *self,
                                       gint64      case_id,
                                       GError    **error);

/* Proposals for auto-linking: case identifiers, or the values of
 * name_variable (may be NULL), matched (case-insensitively, whole words)
 * to speaker names and document names. Nothing is linked: the caller
 * confirms and calls cw_project_link_case. */
GPtrArray *cw_project_propose_case_links (CwProject   *self,
                                          const char  *name_variable,
                                          GError     **error);
/* The same, matching one thing only: the case identifiers (variable NULL)
 * or the values of variable (CW_PROJECT_ERROR_NOT_FOUND when there is no
 * such variable). In both: values without a letter or digit ("-", "?")
 * match nothing; a bare number does not match inside a date, time or
 * version ("1" in "1-3-2021"); a mention claimed by two cases, or inside a
 * longer mention of another case ("Sam" in "Sam de Vries"), goes to
 * neither resp. the longer one; a speaker already linked to a case, or
 * matching two cases, is not proposed; existing links are not proposed. */
GPtrArray *cw_project_propose_case_links_by (CwProject   *self,
                                             const char  *variable,
                                             GError     **error);

/* Links every CwCaseLink in links (case_id, document_id and speaker are
 * read) in one transaction and one undoable step ("Link 7 cases"); links
 * that exist already are skipped. Returns the number added (0: no step),
 * or -1 with an error, changing nothing, when a case, document or speaker
 * does not exist. */
int        cw_project_link_cases            (CwProject   *self,
                                             GPtrArray   *links,
                                             GError     **error);

/* Codes x values of one variable: per code and value, the number of
 * codings and of distinct cases. Numeric variables with value labels use
 * the labels; other numeric ones are binned (bins 0: a sensible default). */
typedef struct
{
  char      *variable;
  GStrv      values;     /* column headings, in order; "missing" last if any */
  GPtrArray *codes;      /* char* code paths, rows in codebook order */
  guint     *codings;    /* rows x columns */
  guint     *cases;      /* rows x columns */
} CwCrosstab;

void cw_crosstab_free (CwCrosstab *crosstab);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCrosstab, cw_crosstab_free)

CwCrosstab *cw_project_crosstab (CwProject   *self,
                                 const char  *variable,
                                 guint        bins,
                                 GError     **error);

/* One row per case: its id, its variables, then per codable code the
 * number of codings and a 0/1 presence column. .csv (for read.csv2: ';',
 * decimal comma, UTF-8 with BOM) or .sav (valid SPSS names, labelled with
 * the full code path), chosen by the file name. Written atomically. */
gboolean cw_project_export_matrix (CwProject     *self,
                                   const char    *path,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
