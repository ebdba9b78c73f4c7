/* cw-timestamp-gutter.c: the turns' times beside a transcript.
 *
 * The times are drawn, not inserted in the buffer, so that the buffer's
 * character offsets stay equal to the stored ones. Only the turns in the
 * visible range are drawn: a binary search finds the first one.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cw-timestamp-gutter.h"
#include "cw-types.h"

#define GUTTER_PADDING 12

struct _CwTimestampGutter
{
  GtkWidget      parent_instance;

  /* borrowed */
  GtkTextView   *view;
  GtkAdjustment *vadjustment;

  /* owned */
  GPtrArray     *turns;
  gboolean       clickable; /* there is a recording: a time plays from there */
};

enum {
  TIME_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwTimestampGutter, cw_timestamp_gutter, GTK_TYPE_WIDGET)

char *
cw_timestamp_gutter_format (double seconds)
{
  guint64 total;

  if (seconds < 0)
    return g_strdup ("");

  total = (guint64) (seconds + 0.5);
  return g_strdup_printf ("%02u:%02u:%02u",
                          (guint) (total / 3600),
                          (guint) (total / 60 % 60),
                          (guint) (total % 60));
}

static PangoLayout *
create_layout (CwTimestampGutter *self,
               const char        *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  /* Tabular figures keep the times in one column. */
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (layout, attrs);
  return layout;
}

static void
cw_timestamp_gutter_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  CwTimestampGutter *self = CW_TIMESTAMP_GUTTER (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      g_autoptr(PangoLayout) layout = create_layout (self, "00:00:00");
      int width;

      pango_layout_get_pixel_size (layout, &width, NULL);
      *minimum = *natural = width + 2 * GUTTER_PADDING;
    }
  else
    {
      *minimum = *natural = 0;
    }
}

/* The first turn whose start is at or after offset. */
static guint
find_turn (GPtrArray *turns,
           gint64     offset)
{
  guint lo = 0, hi = turns->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const CwTurn *turn = g_ptr_array_index (turns, mid);

      if (turn->start < offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
cw_timestamp_gutter_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  CwTimestampGutter *self = CW_TIMESTAMP_GUTTER (widget);
  GtkTextBuffer *buffer;
  GdkRectangle visible;
  GtkTextIter top, bottom;
  GdkRGBA color;
  int width;
  gint64 top_offset, bottom_offset;
  gint64 last_line = -1;

  if (self->turns == NULL || self->turns->len == 0)
    return;

  buffer = gtk_text_view_get_buffer (self->view);
  width = gtk_widget_get_width (widget);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  gtk_text_view_get_visible_rect (self->view, &visible);
  gtk_text_view_get_line_at_y (self->view, &top, visible.y, NULL);
  gtk_text_view_get_line_at_y (self->view, &bottom, visible.y + visible.height, NULL);
  gtk_text_iter_forward_to_line_end (&bottom);
  top_offset = gtk_text_iter_get_offset (&top);
  bottom_offset = gtk_text_iter_get_offset (&bottom);

  for (guint i = find_turn (self->turns, top_offset); i < self->turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (self->turns, i);
      g_autoptr(PangoLayout) layout = NULL;
      g_autofree char *text = NULL;
      GtkTextIter iter;
      GdkRectangle location;
      int window_y, text_width;

      if (turn->start > bottom_offset)
        break;
      if (turn->time < 0)
        continue;

      /* At the start of the turn's line, where its speaker label is. */
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) turn->start);
      if (gtk_text_iter_get_line (&iter) == last_line)
        continue;
      last_line = gtk_text_iter_get_line (&iter);
      gtk_text_iter_set_line_offset (&iter, 0);
      gtk_text_view_get_iter_location (self->view, &iter, &location);
      gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_LEFT,
                                             0, location.y, NULL, &window_y);

      text = cw_timestamp_gutter_format (turn->time);
      layout = create_layout (self, text);
      pango_layout_get_pixel_size (layout, &text_width, NULL);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (width - GUTTER_PADDING - text_width, window_y));
      gtk_snapshot_append_layout (snapshot, layout, &color);
      gtk_snapshot_restore (snapshot);
    }
}

/* The first turn with a time on the line at y (the gutter's coordinates):
 * its index, or -1. */
static int
turn_at_y (CwTimestampGutter *self,
           double             y)
{
  GtkTextIter line_start, line_end;
  int buffer_y;
  gint64 start, end;

  if (self->view == NULL || self->turns == NULL || self->turns->len == 0)
    return -1;

  gtk_text_view_window_to_buffer_coords (self->view, GTK_TEXT_WINDOW_LEFT, 0, (int) y, NULL, &buffer_y);
  gtk_text_view_get_line_at_y (self->view, &line_start, buffer_y, NULL);
  gtk_text_iter_set_line_offset (&line_start, 0);
  line_end = line_start;
  if (!gtk_text_iter_ends_line (&line_end))
    gtk_text_iter_forward_to_line_end (&line_end);
  start = gtk_text_iter_get_offset (&line_start);
  end = gtk_text_iter_get_offset (&line_end);

  for (guint i = find_turn (self->turns, start); i < self->turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (self->turns, i);

      if (turn->start > end)
        break;
      if (turn->time >= 0)
        return (int) i;
    }
  return -1;
}

gboolean
cw_timestamp_gutter_activate_at (CwTimestampGutter *self,
                                 double             y)
{
  const CwTurn *turn;
  int index;

  g_return_val_if_fail (CW_IS_TIMESTAMP_GUTTER (self), FALSE);

  if (!self->clickable || (index = turn_at_y (self, y)) < 0)
    return FALSE;
  turn = g_ptr_array_index (self->turns, index);
  g_signal_emit (self, signals[TIME_ACTIVATED], 0, (guint) index, turn->time);
  return TRUE;
}

static void
pressed_cb (CwTimestampGutter *self,
            int                n_press,
            double             x,
            double             y,
            GtkGestureClick   *gesture)
{
  if (cw_timestamp_gutter_activate_at (self, y))
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
motion_cb (CwTimestampGutter *self,
           double             x,
           double             y)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   self->clickable && turn_at_y (self, y) >= 0 ? "pointer" : NULL);
}

void
cw_timestamp_gutter_set_clickable (CwTimestampGutter *self,
                                   gboolean           clickable)
{
  g_return_if_fail (CW_IS_TIMESTAMP_GUTTER (self));

  self->clickable = clickable;
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), clickable ? _("Click a time to play from there") : NULL);
  if (!clickable)
    gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static void
queue_draw_cb (CwTimestampGutter *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_vadjustment (CwTimestampGutter *self,
                 GtkAdjustment     *adjustment)
{
  if (self->vadjustment == adjustment)
    return;

  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, queue_draw_cb, self);
  g_set_object (&self->vadjustment, adjustment);
  if (self->vadjustment != NULL)
    {
      /* value-changed: scrolling; changed: the layout grew while the view
       * validated it in the background. */
      g_signal_connect_swapped (self->vadjustment, "value-changed", G_CALLBACK (queue_draw_cb), self);
      g_signal_connect_swapped (self->vadjustment, "changed", G_CALLBACK (queue_draw_cb), self);
    }
}

static void
vadjustment_changed_cb (CwTimestampGutter *self)
{
  set_vadjustment (self, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view)));
}

void
cw_timestamp_gutter_set_turns (CwTimestampGutter *self,
                               GPtrArray         *turns)
{
  g_return_if_fail (CW_IS_TIMESTAMP_GUTTER (self));

  if (turns != NULL)
    g_ptr_array_ref (turns);
  g_clear_pointer (&self->turns, g_ptr_array_unref);
  self->turns = turns;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
cw_timestamp_gutter_dispose (GObject *object)
{
  CwTimestampGutter *self = CW_TIMESTAMP_GUTTER (object);

  set_vadjustment (self, NULL);
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->view, vadjustment_changed_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  g_clear_pointer (&self->turns, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_timestamp_gutter_parent_class)->dispose (object);
}

static void
cw_timestamp_gutter_class_init (CwTimestampGutterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_timestamp_gutter_dispose;
  widget_class->measure = cw_timestamp_gutter_measure;
  widget_class->snapshot = cw_timestamp_gutter_snapshot;

  /**
   * CwTimestampGutter::time-activated:
   * @turn: the turn's index
   * @seconds: its time
   *
   * A time was clicked: play from there.
   */
  signals[TIME_ACTIVATED] =
    g_signal_new ("time-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_DOUBLE);

  gtk_widget_class_set_css_name (widget_class, "timestamps");
}

static void
cw_timestamp_gutter_init (CwTimestampGutter *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_add_css_class (GTK_WIDGET (self), "cw-timestamps");
}

GtkWidget *
cw_timestamp_gutter_new (GtkTextView *view)
{
  CwTimestampGutter *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (CW_TYPE_TIMESTAMP_GUTTER, NULL);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  g_signal_connect_swapped (view, "notify::vadjustment", G_CALLBACK (vadjustment_changed_cb), self);
  vadjustment_changed_cb (self);

  return GTK_WIDGET (self);
}
