/* cw-list-filler.c: fills a list store one batch per frame. */
#include "config.h"

#include "cw-list-filler.h"

/* Added at once; the frame that lays them out (with the list's first
 * layout when it was empty) tells what a row costs here. */
#define FIRST_BATCH 2
#define MAX_BATCH 1024
/* The work a batch may add to its frame (update, layout and paint): the
 * window's stalls are to stay under 50 ms with room for the frame's own
 * cost and a busy machine. */
#define FRAME_BUDGET_USEC 16000
/* The most a batch grows from one frame to the next: rows past the list
 * view's built ones cost next to nothing, the first after them again do. */
#define MAX_GROWTH 4

struct _CwListFiller
{
  GtkWidget        *widget;  /* not owned: the filler lives as long as it */
  GListStore       *store;
  CwListFillerDone  done;
  gpointer          user_data;
  GPtrArray        *pending; /* set, not yet added from next on */
  guint             next;
  guint             tick_id;
  CwFrameBudget     budget;
};

CwListFiller *
cw_list_filler_new (GtkWidget        *widget,
                    GListStore       *store,
                    CwListFillerDone  done,
                    gpointer          user_data)
{
  CwListFiller *self = g_new0 (CwListFiller, 1);

  self->widget = widget;
  self->store = g_object_ref (store);
  self->done = done;
  self->user_data = user_data;
  self->budget.min_batch = 1;
  return self;
}

void
cw_list_filler_cancel (CwListFiller *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
  cw_frame_budget_stop (&self->budget);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  self->next = 0;
}

void
cw_list_filler_free (CwListFiller *self)
{
  cw_list_filler_cancel (self);
  g_clear_object (&self->store);
  g_free (self);
}

static void
add (CwListFiller *self,
     guint         n)
{
  guint left = self->pending != NULL ? self->pending->len - self->next : 0;

  n = MIN (n, left);
  if (n > 0)
    {
      g_list_store_splice (self->store, g_list_model_get_n_items (G_LIST_MODEL (self->store)), 0,
                           self->pending->pdata + self->next, n);
      self->next += n;
    }
  if (self->pending != NULL && self->next >= self->pending->len)
    {
      cw_list_filler_cancel (self);
      if (self->done != NULL)
        self->done (self->user_data);
    }
}

/* The frame that took the last batch is done: what it cost (the batch's
 * rows built, bound, measured and drawn, and the frame's own work: an
 * overestimate) sets the next batch, so that a frame stays within the
 * budget whatever a row costs on this machine. */
static void
budget_after_paint_cb (GdkFrameClock *clock,
                       gpointer       data)
{
  CwFrameBudget *budget = data;
  gint64 work;
  guint64 batch;

  if (budget->added == 0)
    return;
  work = MAX (g_get_monotonic_time () - budget->start, 1);
  batch = (guint64) budget->added * FRAME_BUDGET_USEC / (guint64) work;
  batch = MIN (batch, (guint64) budget->added * MAX_GROWTH);
  budget->batch = (guint) CLAMP (batch, MAX (budget->min_batch, 1), MAX_BATCH);
  budget->added = 0;
}

void
cw_frame_budget_watch (CwFrameBudget *budget,
                       GdkFrameClock *clock)
{
  if (budget->clock == clock)
    return;
  if (budget->clock != NULL)
    g_clear_signal_handler (&budget->after_paint_id, budget->clock);
  g_set_object (&budget->clock, clock);
  if (clock != NULL)
    budget->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (budget_after_paint_cb), budget);
}

void
cw_frame_budget_add (CwFrameBudget *budget,
                     guint          n)
{
  if (budget->added == 0)
    budget->start = g_get_monotonic_time ();
  budget->added += n;
}

void
cw_frame_budget_stop (CwFrameBudget *budget)
{
  cw_frame_budget_watch (budget, NULL);
  budget->added = 0;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  CwListFiller *self = user_data;
  guint id = self->tick_id;
  guint n;

  cw_frame_budget_watch (&self->budget, clock);
  /* Nothing until a frame has measured what a row costs. */
  if (self->budget.batch == 0)
    return G_SOURCE_CONTINUE;
  n = MIN (self->budget.batch, self->pending->len - self->next);
  cw_frame_budget_add (&self->budget, n);

  /* add() ends the batches itself when it adds the last item: not by
   * removing this callback while it runs. */
  self->tick_id = 0;
  add (self, n);
  if (self->pending == NULL)
    return G_SOURCE_REMOVE;
  self->tick_id = id;
  return G_SOURCE_CONTINUE;
}

void
cw_list_filler_set (CwListFiller *self,
                    GPtrArray    *items)
{
  guint first;

  cw_list_filler_cancel (self);
  first = gtk_widget_get_mapped (self->widget) ? MIN (items->len, FIRST_BATCH) : items->len;
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, first);
  if (items->len > first)
    {
      self->pending = g_ptr_array_ref (items);
      self->next = first;
      self->budget.batch = 0;
      cw_frame_budget_add (&self->budget, first);
      cw_frame_budget_watch (&self->budget, gtk_widget_get_frame_clock (self->widget));
      self->tick_id = gtk_widget_add_tick_callback (self->widget, tick_cb, self, NULL);
    }
}

void
cw_list_filler_flush (CwListFiller *self)
{
  if (self->pending != NULL)
    add (self, G_MAXUINT);
}

gboolean
cw_list_filler_is_busy (CwListFiller *self)
{
  return self->pending != NULL;
}
