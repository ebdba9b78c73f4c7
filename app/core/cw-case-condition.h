/* cw-case-condition.h: conditions over case variables, such as
 * `IQ < 70 AND (Uitkomst = baan OR "Soort school" = vso)`, parsed into a
 * tree and evaluated to the cases that satisfy them (cohort issue).
 *
 * Grammar (keywords case-insensitive, Dutch in brackets):
 *   condition  := and-group (OR [OF] and-group)*
 *   and-group  := unary (AND [EN] unary)*          AND binds tighter
 *   unary      := NOT [NIET] unary | '(' condition ')' | comparison
 *   comparison := VAR OP VALUE | VAR is [not] missing
 *   OP         := = | != | <> | < | <= | > | >= | ≠ | ≤ | ≥
 * VAR and VALUE may be quoted with " or ' (a quote doubled inside stands
 * for itself). An unquoted VAR may be several words and ends at an
 * operator; an unquoted VALUE ends at whitespace or a parenthesis.
 *
 * Semantics: variables are matched case-insensitively. Numeric values take
 * a decimal point or comma, or a value label of the variable. Text
 * compares case-insensitively for = and !=, by collation for < and >.
 * Dates compare as yyyy-mm-dd (dd-mm-yyyy is accepted too). A missing
 * value (an empty text counts as missing) makes a comparison unknown, as
 * NULL does in SQL: neither the comparison nor its NOT holds; `is missing`
 * asks for it.
 *
 * Errors are CW_CASE_CONDITION_ERROR, their message starting with
 * "column N: " (N counts characters from 1). */
#pragma once

#include "cw-cases.h"

G_BEGIN_DECLS

#define CW_CASE_CONDITION_ERROR (cw_case_condition_error_quark ())

typedef enum
{
  CW_CASE_CONDITION_ERROR_SYNTAX,   /* not a condition */
  CW_CASE_CONDITION_ERROR_VARIABLE, /* no such variable */
  CW_CASE_CONDITION_ERROR_VALUE,    /* a value that does not fit the variable */
} CwCaseConditionError;

GQuark cw_case_condition_error_quark (void);

typedef enum
{
  CW_CONDITION_EQUAL,
  CW_CONDITION_NOT_EQUAL,
  CW_CONDITION_LESS,
  CW_CONDITION_LESS_EQUAL,
  CW_CONDITION_GREATER,
  CW_CONDITION_GREATER_EQUAL,
  CW_CONDITION_MISSING,
  CW_CONDITION_NOT_MISSING,
} CwConditionOperator;

/* "=", "!=", "<", "<=", ">", ">=", "is missing", "is not missing". */
const char *cw_condition_operator_to_string (CwConditionOperator op);

typedef struct _CwCaseCondition CwCaseCondition;

/* Parses text against variables (CwVariable, as cw_project_list_variables
 * lists them: evaluation reads a case's values in that order). */
CwCaseCondition *cw_case_condition_parse     (const char  *text,
                                              GPtrArray   *variables,
                                              GError     **error);
void             cw_case_condition_free      (CwCaseCondition *condition);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCaseCondition, cw_case_condition_free)

/* The canonical form: the variables' own spelling, quoted where needed,
 * ASCII operators, AND/OR/NOT, numbers with a point, dates yyyy-mm-dd,
 * labels as the variable spells them, parentheses only where needed. It
 * parses back to the same condition. */
char            *cw_case_condition_to_string (const CwCaseCondition *condition);

/* Whether kase (listed with the same variables) satisfies the condition. */
gboolean         cw_case_condition_matches   (const CwCaseCondition *condition,
                                              const CwCase          *kase);

/* One comparison of a flat condition, for a condition builder. */
typedef struct
{
  char                *variable; /* as the variable spells it */
  CwConditionOperator  op;
  char                *value;    /* canonical; NULL for (not) missing */
} CwConditionTerm;

void cw_condition_term_free (CwConditionTerm *term);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwConditionTerm, cw_condition_term_free)

/* When the condition is comparisons joined by only AND or only OR (no
 * NOT, no nested group), its CwConditionTerms in order, *any TRUE for OR;
 * otherwise NULL. */
GPtrArray *cw_case_condition_get_terms (const CwCaseCondition *condition,
                                        gboolean              *any);

/* One comparison as condition text, quoting what needs it; value is
 * ignored for (not) missing. */
char      *cw_case_condition_format_term (const char          *variable,
                                          CwConditionOperator  op,
                                          const char          *value);

/* The ids (ascending) of the cases that satisfy condition; *n_cases (may
 * be NULL) is set to the number of cases in the project. */
GArray    *cw_project_match_cases (CwProject     *self,
                                   const char    *condition,
                                   guint         *n_cases,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
