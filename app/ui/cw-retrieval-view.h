/* cw-retrieval-view.h: coded segments back out: choose codes and filters,
 * read the segments with a little context, open one in its document, export
 * them as a CSV table or an .odt report.
 *
 * Signals:
 *   "segment-activated" (gint64 document_id, gint64 start, gint64 end):
 *     the user clicked a segment; the window opens the document there.
 *   "play-requested" (gint64 document_id, gint64 start, gint64 end): the
 *     user chose "Play From Here" on a segment (its document has a
 *     recording and its turn a time); the window opens the document there
 *     and plays from the turn's time.
 *   "message" (const char *text): something to tell the user (an export
 *     done or failed); the window shows it as a toast.
 */
#pragma once

#include <gtk/gtk.h>

#include "cw-project.h"

G_BEGIN_DECLS

#define CW_TYPE_RETRIEVAL_VIEW (cw_retrieval_view_get_type ())
G_DECLARE_FINAL_TYPE (CwRetrievalView, cw_retrieval_view, CW, RETRIEVAL_VIEW, GtkWidget)

CwRetrievalView *cw_retrieval_view_new         (void);
/* project may be NULL. Setting the same project again reloads the codes,
 * coders, groups and speakers (the view also follows ::changed). */
void             cw_retrieval_view_set_project (CwRetrievalView *self,
                                                CwProject       *project);
CwProject       *cw_retrieval_view_get_project (CwRetrievalView *self);
/* Chooses these codes (in this order: for NOT the first is kept, the
 * others excluded) and retrieves their segments. n 0: every code. */
void             cw_retrieval_view_set_codes   (CwRetrievalView *self,
                                                const gint64    *code_ids,
                                                guint            n);

/* Only the segments of one document (0: every document), shown as a
 * button that takes the filter off. */
void             cw_retrieval_view_set_document (CwRetrievalView *self,
                                                 gint64           document_id);
gint64           cw_retrieval_view_get_document (CwRetrievalView *self);

G_END_DECLS
