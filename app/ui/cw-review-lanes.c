/* cw-review-lanes.c: one lane per coder beside the text under review.
 *
 * Within a coder's lane, that coder's overlapping codings sit side by side
 * in sub-lanes, assigned greedily by paragraph (as in CwCodingStripes, and
 * for the same reason: asking for display lines lays out the whole text).
 * The coders' names are drawn over the top of the lanes on every frame, so
 * that they stay in view while the text scrolls.
 */
#include "config.h"

#include "cw-code-item.h"
#include "cw-coding.h"
#include "cw-review-lanes.h"

#define PAD 8
#define BAR_WIDTH 5
#define BAR_GAP 3
#define MIN_LANE 44
#define MAX_SUB_LANES 6

typedef struct
{
  int   lane;     /* -1: not drawn */
  guint sub;
} Place;

typedef struct
{
  graphene_rect_t rect;
  guint           index;
} Hit;

struct _CwReviewLanes
{
  GtkWidget      parent_instance;

  /* borrowed */
  GtkTextView   *view;
  GtkAdjustment *vadjustment;

  /* owned */
  GStrv          coders;
  GPtrArray     *codings; /* CwCoding */
  GArray        *places;  /* Place, parallel to codings */
  guint         *n_subs;  /* per lane */
  GArray        *hits;    /* Hit */
  gint64         code_id;
  gint64         start;
  gint64         end;
};

G_DEFINE_FINAL_TYPE (CwReviewLanes, cw_review_lanes, GTK_TYPE_WIDGET)

static guint
n_lanes (CwReviewLanes *self)
{
  return self->coders != NULL ? g_strv_length (self->coders) : 0;
}

static int
name_width (CwReviewLanes *self,
            const char    *name)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static int
header_height (CwReviewLanes *self)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height + 10;
}

/* Names longer than this are ellipsized. */
#define MAX_NAME 96

static int
lane_width (CwReviewLanes *self,
            guint          lane)
{
  int bars = (int) MIN (MAX (self->n_subs[lane], 1), MAX_SUB_LANES) * (BAR_WIDTH + BAR_GAP) + 12;
  int name = MIN (name_width (self, self->coders[lane]), MAX_NAME) + 14;

  return MAX (MIN_LANE, MAX (bars, name));
}

static void
cw_review_lanes_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  CwReviewLanes *self = CW_REVIEW_LANES (widget);
  int width = 2 * PAD;

  for (guint i = 0; i < n_lanes (self); i++)
    width += lane_width (self, i);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = width;
  else
    *minimum = *natural = 0;
}

static int
paragraph_of (CwReviewLanes *self,
              gint64         offset)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (self->view), &iter, (int) offset);
  return gtk_text_iter_get_line (&iter);
}

/* Lanes by coder, sub-lanes by greedy interval colouring per lane. */
static void
lay_out (CwReviewLanes *self)
{
  guint lanes = n_lanes (self);
  g_autofree GArray **ends = g_new0 (GArray *, MAX (lanes, 1));

  g_array_set_size (self->places, 0);
  g_free (self->n_subs);
  self->n_subs = g_new0 (guint, MAX (lanes, 1));
  if (self->codings == NULL || self->view == NULL)
    return;

  for (guint l = 0; l < lanes; l++)
    ends[l] = g_array_new (FALSE, FALSE, sizeof (int));
  /* The codings come by start: greedy colouring in that order. */
  for (guint i = 0; i < self->codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);
      Place place = { -1, 0 };
      int first, last;
      guint sub;

      for (guint l = 0; l < lanes; l++)
        if (g_strcmp0 (coding->coder, self->coders[l]) == 0)
          place.lane = (int) l;
      if (place.lane >= 0)
        {
          GArray *lane_ends = ends[place.lane];

          first = paragraph_of (self, coding->start);
          last = paragraph_of (self, MAX (coding->start, coding->end - 1));
          for (sub = 0; sub < lane_ends->len; sub++)
            if (g_array_index (lane_ends, int, sub) < first)
              break;
          if (sub == lane_ends->len)
            g_array_set_size (lane_ends, sub + 1);
          g_array_index (lane_ends, int, sub) = last;
          place.sub = sub;
          self->n_subs[place.lane] = MAX (self->n_subs[place.lane], sub + 1);
        }
      g_array_append_val (self->places, place);
    }
  for (guint l = 0; l < lanes; l++)
    g_array_unref (ends[l]);
}

/* The y range of [start, end) in the margin's coordinates. */
static gboolean
range_y (CwReviewLanes *self,
         gint64         start,
         gint64         end,
         int           *y0,
         int           *y1)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  GtkTextIter first, last;
  GdkRectangle first_rect, last_rect;

  gtk_text_buffer_get_iter_at_offset (buffer, &first, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &last, (int) MAX (start, end - 1));
  gtk_text_view_get_iter_location (self->view, &first, &first_rect);
  gtk_text_view_get_iter_location (self->view, &last, &last_rect);
  gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_RIGHT, 0, first_rect.y, NULL, y0);
  gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_RIGHT, 0,
                                         last_rect.y + last_rect.height, NULL, y1);
  return *y1 > *y0;
}

static void
cw_review_lanes_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  CwReviewLanes *self = CW_REVIEW_LANES (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  guint lanes = n_lanes (self);
  g_autofree int *lane_x = g_new0 (int, lanes + 1);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int header = header_height (self);
  GdkRGBA text_color, background, accent, line;
  int x = PAD, y0, y1;

  g_array_set_size (self->hits, 0);
  if (self->view == NULL || lanes == 0)
    return;

  gtk_style_context_get_color (style, &text_color);
  if (!gtk_style_context_lookup_color (style, "view_bg_color", &background))
    background = (GdkRGBA) { 1, 1, 1, 1 };
  if (!gtk_style_context_lookup_color (style, "accent_color", &accent))
    accent = (GdkRGBA) { 0.21, 0.52, 0.89, 1 };
  line = text_color;
  line.alpha *= 0.12;

  for (guint l = 0; l < lanes; l++)
    {
      lane_x[l] = x;
      x += lane_width (self, l);
    }
  lane_x[lanes] = x;

  /* The place under review, across every lane. */
  if (self->end > self->start && range_y (self, self->start, self->end, &y0, &y1))
    {
      GdkRGBA band = accent;
      GskRoundedRect rect;

      band.alpha = 0.16;
      gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (2, y0 - 2, width - 4, y1 - y0 + 4), 6);
      gtk_snapshot_push_rounded_clip (snapshot, &rect);
      gtk_snapshot_append_color (snapshot, &band, &rect.bounds);
      gtk_snapshot_pop (snapshot);
    }

  /* Dividers between the lanes. */
  for (guint l = 1; l < lanes; l++)
    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT (lane_x[l] - 3, 0, 1, height));

  for (guint i = 0; self->codings != NULL && i < self->codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);
      const Place *place = &g_array_index (self->places, Place, i);
      GdkRGBA color;
      GskRoundedRect bar;
      Hit hit;
      int bx;

      if (place->lane < 0 || !range_y (self, coding->start, coding->end, &y0, &y1))
        continue;
      if (y1 < 0 || y0 > height)
        continue;
      bx = lane_x[place->lane] + 4 + (int) MIN (place->sub, MAX_SUB_LANES - 1) * (BAR_WIDTH + BAR_GAP);
      cw_code_parse_color (coding->color, 1.0, &color);
      /* The compared code stands out; the rest stays for context. */
      if (self->code_id != 0 && coding->code_id != self->code_id)
        color.alpha = 0.3;
      gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (bx, y0 + 2, BAR_WIDTH, MAX (y1 - y0 - 4, 4)),
                                       BAR_WIDTH / 2.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &bar);
      gtk_snapshot_append_color (snapshot, &color, &bar.bounds);
      gtk_snapshot_pop (snapshot);

      hit.rect = GRAPHENE_RECT_INIT (bx - 2, y0, BAR_WIDTH + 4, y1 - y0);
      hit.index = i;
      g_array_append_val (self->hits, hit);
    }

  /* The names, over whatever scrolled under them. */
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, header));
  gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, header - 1, width, 1));
  for (guint l = 0; l < lanes; l++)
    {
      g_autoptr(PangoLayout) name = gtk_widget_create_pango_layout (widget, self->coders[l]);
      PangoAttrList *attrs = pango_attr_list_new ();
      GdkRGBA color = text_color;

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (name, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_set_width (name, (lane_x[l + 1] - lane_x[l] - 6) * PANGO_SCALE);
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      color.alpha *= 0.8;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (lane_x[l], 5));
      gtk_snapshot_append_layout (snapshot, name, &color);
      gtk_snapshot_restore (snapshot);
    }
}

static int
find_hit (CwReviewLanes *self,
          double         x,
          double         y)
{
  for (guint i = self->hits->len; i > 0; i--)
    {
      const Hit *hit = &g_array_index (self->hits, Hit, i - 1);

      if (graphene_rect_contains_point (&hit->rect, &GRAPHENE_POINT_INIT (x, y)))
        return (int) hit->index;
    }
  return -1;
}

static gboolean
query_tooltip_cb (CwReviewLanes *self,
                  int            x,
                  int            y,
                  gboolean       keyboard,
                  GtkTooltip    *tooltip)
{
  int index = find_hit (self, x, y);
  const CwCoding *coding;
  g_autofree char *text = NULL;

  if (index < 0)
    return FALSE;
  coding = g_ptr_array_index (self->codings, index);
  text = g_strdup_printf ("%s · %s", coding->code, coding->coder != NULL ? coding->coder : "");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
queue_draw_cb (CwReviewLanes *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_vadjustment (CwReviewLanes *self,
                 GtkAdjustment *adjustment)
{
  if (self->vadjustment == adjustment)
    return;
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, queue_draw_cb, self);
  g_set_object (&self->vadjustment, adjustment);
  if (self->vadjustment != NULL)
    {
      g_signal_connect_swapped (self->vadjustment, "value-changed", G_CALLBACK (queue_draw_cb), self);
      g_signal_connect_swapped (self->vadjustment, "changed", G_CALLBACK (queue_draw_cb), self);
    }
}

static void
vadjustment_changed_cb (CwReviewLanes *self)
{
  set_vadjustment (self, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view)));
}

static void
cw_review_lanes_dispose (GObject *object)
{
  CwReviewLanes *self = CW_REVIEW_LANES (object);

  set_vadjustment (self, NULL);
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->view, vadjustment_changed_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  g_clear_pointer (&self->codings, g_ptr_array_unref);

  G_OBJECT_CLASS (cw_review_lanes_parent_class)->dispose (object);
}

static void
cw_review_lanes_finalize (GObject *object)
{
  CwReviewLanes *self = CW_REVIEW_LANES (object);

  g_strfreev (self->coders);
  g_free (self->n_subs);
  g_array_unref (self->places);
  g_array_unref (self->hits);

  G_OBJECT_CLASS (cw_review_lanes_parent_class)->finalize (object);
}

static void
cw_review_lanes_class_init (CwReviewLanesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_review_lanes_dispose;
  object_class->finalize = cw_review_lanes_finalize;
  widget_class->measure = cw_review_lanes_measure;
  widget_class->snapshot = cw_review_lanes_snapshot;

  gtk_widget_class_set_css_name (widget_class, "lanes");
}

static void
cw_review_lanes_init (CwReviewLanes *self)
{
  self->places = g_array_new (FALSE, FALSE, sizeof (Place));
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  self->n_subs = g_new0 (guint, 1);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "cw-review-lanes");
}

GtkWidget *
cw_review_lanes_new (GtkTextView *view)
{
  CwReviewLanes *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (CW_TYPE_REVIEW_LANES, NULL);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  g_signal_connect_swapped (view, "notify::vadjustment", G_CALLBACK (vadjustment_changed_cb), self);
  vadjustment_changed_cb (self);
  return GTK_WIDGET (self);
}

void
cw_review_lanes_set_codings (CwReviewLanes      *self,
                             const char * const *coders,
                             GPtrArray          *codings)
{
  g_return_if_fail (CW_IS_REVIEW_LANES (self));

  g_strfreev (self->coders);
  self->coders = g_strdupv ((char **) coders);
  if (codings != NULL)
    g_ptr_array_ref (codings);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  self->codings = codings;
  lay_out (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
cw_review_lanes_set_place (CwReviewLanes *self,
                           gint64         code_id,
                           gint64         start,
                           gint64         end)
{
  g_return_if_fail (CW_IS_REVIEW_LANES (self));

  self->code_id = code_id;
  self->start = start;
  self->end = end;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
_cw_review_lanes_get_n_lanes (CwReviewLanes *self)
{
  return n_lanes (self);
}

guint
_cw_review_lanes_count_bars (CwReviewLanes *self,
                             guint          lane)
{
  guint n = 0;

  for (guint i = 0; i < self->places->len; i++)
    n += g_array_index (self->places, Place, i).lane == (int) lane;
  return n;
}
