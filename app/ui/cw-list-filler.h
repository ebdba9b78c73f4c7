/* cw-list-filler.h: fills a list store one batch per frame.
 *
 * GTK 4.8's list view builds and measures every new row in the next
 * frame's layout; rows of wrapped text take a millisecond or more each, so
 * a few hundred rows at once block the window for a noticeable time. A
 * filler replaces a store's items with a first small batch at once and the
 * rest one batch per frame of its widget, each batch as large as the last
 * frame's cost per item (from its update to its after-paint) lets it be
 * within a budget: small while new rows are built, large once the list
 * view has built the rows it keeps. A widget that is not mapped lays
 * nothing out: it gets every item at once.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _CwListFiller CwListFiller;

/* How many items the next frame may take, for a list filled a batch per
 * frame (CwListFiller, and the document list, which fills a tree): what
 * the last frame cost per item added for it, from the update that added
 * them to its after-paint, against a budget of 16 ms. */
typedef struct
{
  GdkFrameClock *clock;          /* while batches run: its after-paint */
  gulong         after_paint_id;
  gint64         start;          /* when items were added for this frame */
  guint          added;          /* how many: 0 once a frame has drawn them */
  guint          batch;          /* the next frame's; 0: not measured yet */
  guint          min_batch;      /* never less, once measured */
} CwFrameBudget;

/* Watches clock (NULL: stops watching; the same again: nothing). */
void cw_frame_budget_watch (CwFrameBudget *budget,
                            GdkFrameClock *clock);
/* n items were added for the frame under way. */
void cw_frame_budget_add   (CwFrameBudget *budget,
                            guint          n);
/* Stops watching and forgets the frame under way; keeps the batch. */
void cw_frame_budget_stop  (CwFrameBudget *budget);

/* Called when the last pending item has been added (not on cancel). */
typedef void (*CwListFillerDone) (gpointer user_data);

CwListFiller *cw_list_filler_new     (GtkWidget        *widget,
                                      GListStore       *store,
                                      CwListFillerDone  done,
                                      gpointer          user_data);
void          cw_list_filler_free    (CwListFiller  *self);
/* Replaces every item of the store with items (a GPtrArray of GObjects). */
void          cw_list_filler_set     (CwListFiller  *self,
                                      GPtrArray     *items);
/* Adds what is still pending now (exports, tests). */
void          cw_list_filler_flush   (CwListFiller  *self);
/* Drops what is still pending; the store keeps what it has. */
void          cw_list_filler_cancel  (CwListFiller  *self);
gboolean      cw_list_filler_is_busy (CwListFiller  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CwListFiller, cw_list_filler_free)

G_END_DECLS
