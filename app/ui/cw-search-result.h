/* cw-search-result.h: one search hit as a list item. */
#pragma once

#include <gio/gio.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_SEARCH_RESULT (cw_search_result_get_type ())
G_DECLARE_FINAL_TYPE (CwSearchResult, cw_search_result, CW, SEARCH_RESULT, GObject)

/* Takes ownership of hit. */
CwSearchResult    *cw_search_result_new            (CwSearchHit    *hit);
const CwSearchHit *cw_search_result_get_hit        (CwSearchResult *self);
/* The snippet as Pango markup, the hit in bold. */
char              *cw_search_result_dup_markup     (CwSearchResult *self);

G_END_DECLS
