/* cw-coding-stripes-private.h: what the tests look at in the stripes. */
#pragma once

#include "cw-coding-stripes.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 coding_id;
  guint  lane;        /* 0 is nearest the text */
  gboolean has_memo;  /* drawn with a memo mark */
} CwStripeBar;

/* One bar per coding, in the codings' order (lays them out if needed). */
GArray *_cw_coding_stripes_get_bars  (CwCodingStripes *self);
guint   _cw_coding_stripes_get_n_lanes (CwCodingStripes *self);
/* The tooltip shown over the coding's bar. */
char   *_cw_coding_stripes_describe  (CwCodingStripes *self,
                                      gint64           coding_id);

G_END_DECLS
