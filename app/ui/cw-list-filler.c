/* cw-list-filler.c: fills a list store one batch per frame. */
#include "config.h"

#include "cw-list-filler.h"

#define FIRST_BATCH 8
#define MAX_BATCH 1024
/* A frame within this keeps growing the batch; beyond the other, it shrinks. */
#define FAST_FRAME_USEC 20000
#define SLOW_FRAME_USEC 34000

struct _CwListFiller
{
  GtkWidget        *widget;  /* not owned: the filler lives as long as it */
  GListStore       *store;
  CwListFillerDone  done;
  gpointer          user_data;
  GPtrArray        *pending; /* set, not yet added from next on */
  guint             next;
  guint             batch;
  guint             tick_id;
  gint64            last_tick;
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
  return self;
}

void
cw_list_filler_cancel (CwListFiller *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (self->widget, self->tick_id);
  self->tick_id = 0;
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

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  CwListFiller *self = user_data;
  gint64 now = g_get_monotonic_time ();
  guint id = self->tick_id;

  if (self->last_tick != 0)
    {
      gint64 interval = now - self->last_tick;

      if (interval < FAST_FRAME_USEC && self->batch < MAX_BATCH)
        self->batch *= 2;
      else if (interval > SLOW_FRAME_USEC && self->batch > 1)
        self->batch /= 2;
    }
  self->last_tick = now;

  /* add() ends the batches itself when it adds the last item: not by
   * removing this callback while it runs. */
  self->tick_id = 0;
  add (self, self->batch);
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
      self->batch = FIRST_BATCH;
      self->last_tick = 0;
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
