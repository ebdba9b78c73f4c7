/* cw-retrieval.h: coded segments back out, filtered and combined; the code
 * co-occurrence matrix; autocoding. */
#pragma once

#include "cw-coding.h"

G_BEGIN_DECLS

typedef enum
{
  CW_COMBINE_OR,  /* segments of any of the codes */
  CW_COMBINE_AND, /* where segments of every code overlap: the overlap */
  CW_COMBINE_NOT, /* segments of the first code overlapping none of the others */
} CwCombine;

typedef struct
{
  GArray    *code_ids;         /* gint64; NULL or empty: every code */
  gboolean   include_subcodes; /* a code stands for itself and its descendants */
  CwCombine  combine;
  GArray    *document_ids;     /* gint64; NULL or empty: every document */
  int        kind;             /* a CwDocumentKind, or -1 for any */
  gint64     group_id;         /* 0: any */
  char      *coder;            /* NULL: any */
  char      *speaker;          /* NULL: any (the turn where a segment starts) */
  char      *case_id;          /* NULL: any (cohort issue) */
  char      *case_condition;   /* NULL or blank: any; else only codings whose
                                * case satisfies it (cw-case-condition.h; a
                                * bad one fails with CW_CASE_CONDITION_ERROR) */
  gboolean   with_text;        /* fill in CwCoding.text */
} CwRetrievalQuery;

CwRetrievalQuery *cw_retrieval_query_new  (void);
void              cw_retrieval_query_free (CwRetrievalQuery *query);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwRetrievalQuery, cw_retrieval_query_free)

/* Coded segments as CwCoding, by document then start. For AND the result
 * holds one segment per overlap region, with code "A & B" and code_id 0,
 * coder the coders joined with ", ". */
GPtrArray *cw_project_retrieve (CwProject               *self,
                                const CwRetrievalQuery  *query,
                                GCancellable            *cancellable,
                                GError                 **error);

/* Codes x codes: cell (i, j) counts pairs of overlapping segments of code i
 * and code j (i != j) within the filter; the diagonal counts segments of
 * the code. code_ids may be NULL for every codable code. */
typedef struct
{
  GArray *code_ids; /* gint64, n */
  guint  *counts;   /* n * n, row-major */
} CwCooccurrence;

void            cw_cooccurrence_free (CwCooccurrence *matrix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwCooccurrence, cw_cooccurrence_free)

CwCooccurrence *cw_project_cooccurrence (CwProject               *self,
                                         const CwRetrievalQuery  *filter,
                                         GCancellable            *cancellable,
                                         GError                 **error);

typedef enum
{
  CW_AUTOCODE_HIT,      /* exactly the words found */
  CW_AUTOCODE_SENTENCE, /* the sentence around each hit */
  CW_AUTOCODE_TURN,     /* the whole turn (utterance) around each hit */
} CwAutocodeScope;

/* Codes every turn (utterance) of the speaker: in one document, or
 * (document_id 0) every speaker of that name or role in any document.
 * Returns the number of codings added (existing ones are not counted). */
gint64 cw_project_autocode_speaker (CwProject     *self,
                                    const char    *speaker,
                                    gint64         document_id,
                                    gint64         code_id,
                                    const char    *coder,
                                    GCancellable  *cancellable,
                                    GError       **error);
/* Codes every search hit (cw_project_search syntax) with scope. */
gint64 cw_project_autocode_search  (CwProject        *self,
                                    const char       *query,
                                    CwAutocodeScope   scope,
                                    gint64            document_id,
                                    gint64            code_id,
                                    const char       *coder,
                                    GCancellable     *cancellable,
                                    GError          **error);

G_END_DECLS
