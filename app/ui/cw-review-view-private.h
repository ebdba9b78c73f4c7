/* cw-review-view-private.h: what the tests reach inside the review. */
#pragma once

#include "cw-review-lanes.h"
#include "cw-review-view.h"

G_BEGIN_DECLS

/* TRUE while the list or the document loads. */
gboolean              _cw_review_view_is_busy            (CwReviewView *self);
/* "empty", "loading" or "review". */
const char           *_cw_review_view_get_page           (CwReviewView *self);
guint                 _cw_review_view_get_n_disagreements (CwReviewView *self);
const CwDisagreement *_cw_review_view_get_disagreement   (CwReviewView *self,
                                                          guint         index);
/* 0 none, 1 partly, 2 entirely: how far the consensus coder covers it. */
int                   _cw_review_view_get_coverage       (CwReviewView *self,
                                                          guint         index);
/* The selected disagreement, -1 when none. */
int                   _cw_review_view_get_selected       (CwReviewView *self);
GtkListView          *_cw_review_view_get_list_view      (CwReviewView *self);
GtkTextView          *_cw_review_view_get_text_view      (CwReviewView *self);
CwReviewLanes        *_cw_review_view_get_lanes          (CwReviewView *self);
/* The id of the document shown, 0 when none. */
gint64                _cw_review_view_get_document_id    (CwReviewView *self);
const char           *_cw_review_view_get_consensus      (CwReviewView *self);

G_END_DECLS
