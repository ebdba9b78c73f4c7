/* cw-review-lanes.h: the margin of the review of disagreements: one lane
 * per coder, each with that coder's codings as bars in their code's
 * colour and the coder's name on top. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CW_TYPE_REVIEW_LANES (cw_review_lanes_get_type ())
G_DECLARE_FINAL_TYPE (CwReviewLanes, cw_review_lanes, CW, REVIEW_LANES, GtkWidget)

/* A margin for view's right border window (gtk_text_view_set_gutter). */
GtkWidget *cw_review_lanes_new         (GtkTextView        *view);
/* coders: the lanes, in order; codings: CwCoding of the view's document
 * (set its text first), by start; a coding by a coder who has no lane is
 * not drawn. Keeps a reference to codings. */
void       cw_review_lanes_set_codings (CwReviewLanes      *self,
                                        const char * const *coders,
                                        GPtrArray          *codings);
/* The place under review, marked across the lanes; codings of other codes
 * than code_id are drawn faint. start >= end: none. */
void       cw_review_lanes_set_place   (CwReviewLanes      *self,
                                        gint64              code_id,
                                        gint64              start,
                                        gint64              end);

/* For the tests: the number of lanes, and the codings drawn in one. */
guint      _cw_review_lanes_get_n_lanes (CwReviewLanes     *self);
guint      _cw_review_lanes_count_bars  (CwReviewLanes     *self,
                                         guint              lane);

G_END_DECLS
