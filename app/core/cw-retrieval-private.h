/* cw-retrieval-private.h: what retrieval shares with the cohort analyses. */
#pragma once

#include "cw-retrieval.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 code_id;
  gint64 case_id; /* cases.id */
} CwCodingCase;

/* Every coding that has a case (see cw_project_link_case: the case linked
 * to the speaker of the turn where it starts, else the case linked to its
 * document; among several, the lowest case id), as (code, case) pairs. */
GArray *_cw_project_coding_cases (CwProject     *self,
                                  GCancellable  *cancellable,
                                  GError       **error);

G_END_DECLS
