/* cw-review-view.h: reviewing the places where coders disagree, side by
 * side: the document with each coder's codings in a lane of its own, the
 * list of disagreements with next and previous, and accepting one coder's
 * version (or all) into a consensus coder, undoable with the window's undo.
 *
 * Signals: "message" (const char *) for a toast; "accepted" (const char *)
 * after an accept changed the project, for a toast with Undo.
 */
#pragma once

#include <gtk/gtk.h>

#include "cw-agreement.h"

G_BEGIN_DECLS

#define CW_TYPE_REVIEW_VIEW (cw_review_view_get_type ())
G_DECLARE_FINAL_TYPE (CwReviewView, cw_review_view, CW, REVIEW_VIEW, GtkWidget)

CwReviewView *cw_review_view_new         (void);
/* Follows the project's ::changed (keeps a reference); a new project
 * forgets the comparison. */
void          cw_review_view_set_project (CwReviewView             *self,
                                          CwProject                *project);
/* Reviews the disagreements of options' coders, codes and documents (unit
 * and overlap do not matter); accepted versions go to the coder named
 * consensus. Copies both. */
void          cw_review_view_set_options (CwReviewView             *self,
                                          const CwAgreementOptions *options,
                                          const char               *consensus);
gboolean      cw_review_view_has_options (CwReviewView             *self);

G_END_DECLS
