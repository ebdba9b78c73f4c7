/* cw-coding-stripes.c: the codings as bars in a margin beside a transcript.
 *
 * One bar per coding, in its code's colour, from the display line where
 * the coding starts to the one where it ends. Overlapping codings sit side
 * by side in lanes, assigned greedily by display line; beyond MAX_LANES
 * they share the last lane, in grey. The lanes depend on
 * the layout (where lines wrap), so they are computed once per set of
 * codings and text width, not per frame; each frame computes y positions
 * only for the codings on screen. Where each paragraph starts is kept
 * until the text changes, and the bars' labels until their text or
 * length does: a new coding then costs a sort, not 4,000 look-ups in the
 * text and a label shaped anew for every bar on screen.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cw-code-item.h"
#include "cw-coding.h"
#include "cw-coding-stripes-private.h"
#include "cw-memo-editor.h"

#define PAD_START 6
#define PAD_END 4
#define BAR_WIDTH 4
#define MAX_LANES 8
/* Below this height a bar has no room for its label. */
#define MIN_LABEL_HEIGHT 28
/* The memo mark's diameter. */
#define MEMO_DOT 8

/* A place in the layout: the buffer line (paragraph) and the y of the
 * display line within it. Comparable without validating the whole layout. */
typedef struct
{
  int line;
  int y;
} Key;

typedef struct
{
  Key   first;
  Key   last;
  guint lane;
} Layout;

/* Where a coding's bar sits within the paragraphs where it starts and
 * ends, and what that was measured for. */
typedef struct
{
  gint64 start;
  gint64 end;
  int    width;             /* the view's */
  int    start_line_height; /* the paragraphs' */
  int    last_line_height;
  int    top;               /* from the top of the start paragraph */
  int    bottom;            /* from the top of the last paragraph */
} BarPlace;

/* A bar's label, turned a quarter, as last drawn: the same node again
 * in the next frame lets GSK see that nothing changed there (a rotated
 * node made anew always counts as changed, and with many of them the whole
 * margin and the text beside it would be painted again). */
typedef struct
{
  PangoLayout   *layout;
  GskRenderNode *node;  /* NULL: to make */
  GdkRGBA        color;
} Label;

static void
label_free (gpointer data)
{
  Label *label = data;

  g_clear_object (&label->layout);
  g_clear_pointer (&label->node, gsk_render_node_unref);
  g_free (label);
}

/* A bar as drawn on the last frame, for pointing at it. */
typedef struct
{
  graphene_rect_t rect;
  guint           index;
} Hit;

struct _CwCodingStripes
{
  GtkWidget       parent_instance;

  /* borrowed */
  GtkTextView    *view;
  GtkAdjustment  *vadjustment;

  /* owned */
  GtkTextBuffer  *buffer;   /* whose paragraphs line_starts holds */
  GArray         *line_starts; /* gint64 offset of each paragraph, NULL: to find */
  GHashTable     *labels;   /* coding id -> Label */
  GHashTable     *places;   /* coding id -> BarPlace */
  int             label_height; /* 0: to measure */
  GPtrArray      *codings;  /* CwCoding */
  GArray         *layout;   /* Layout, parallel to codings */
  GArray         *hits;     /* Hit */
  GtkWidget      *menu;     /* GtkPopoverMenu */
  gint64          selected;
  int             layout_width; /* the view's width the lanes were made for */
  guint           n_lanes;
  guint           n_lanes_shown; /* only grows per document: no reflow loop */
  guint           resize_idle;
  gboolean        dirty;
  gboolean        can_play; /* the document has a recording to play */
};

enum {
  CODING_ACTIVATED,
  REMOVE_CODING,
  PLAY_CODING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwCodingStripes, cw_coding_stripes, GTK_TYPE_WIDGET)

static int
compare_keys (const Key *a,
              const Key *b)
{
  if (a->line != b->line)
    return a->line < b->line ? -1 : 1;
  if (a->y != b->y)
    return a->y < b->y ? -1 : 1;
  return 0;
}

static void
text_changed_cb (CwCodingStripes *self)
{
  g_clear_pointer (&self->line_starts, g_array_unref);
  g_hash_table_remove_all (self->places);
  self->dirty = TRUE;
}

static void
set_buffer (CwCodingStripes *self,
            GtkTextBuffer   *buffer)
{
  if (self->buffer == buffer)
    return;
  if (self->buffer != NULL)
    g_signal_handlers_disconnect_by_func (self->buffer, text_changed_cb, self);
  g_set_object (&self->buffer, buffer);
  if (self->buffer != NULL)
    g_signal_connect_swapped (self->buffer, "changed", G_CALLBACK (text_changed_cb), self);
  text_changed_cb (self);
}

/* Where each paragraph of the view's text starts: one walk over the lines
 * per text, kept until it changes. */
static GArray *
get_line_starts (CwCodingStripes *self)
{
  GtkTextIter iter;

  set_buffer (self, gtk_text_view_get_buffer (self->view));
  if (self->line_starts != NULL)
    return self->line_starts;

  self->line_starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  gtk_text_buffer_get_start_iter (self->buffer, &iter);
  do
    {
      gint64 offset = gtk_text_iter_get_offset (&iter);

      g_array_append_val (self->line_starts, offset);
    }
  while (gtk_text_iter_forward_line (&iter));
  return self->line_starts;
}

/* Lanes are assigned by paragraph, not by display line: two codings in one
 * paragraph never share a lane even when they sit on different display
 * lines. That costs a lane now and then, but asking for display lines lays
 * out the whole document at once, which made opening a document with
 * 2,000 codings several times slower. */
static Key
key_at (GArray *line_starts,
        gint64  offset)
{
  guint low = 0, high = line_starts->len;
  Key key;

  /* The last paragraph starting at or before offset. */
  while (high - low > 1)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (line_starts, gint64, middle) <= offset)
        low = middle;
      else
        high = middle;
    }
  key.line = (int) low;
  key.y = 0;
  return key;
}

static int
compare_by_first (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  Layout *layout = user_data;
  const Layout *la = &layout[*(const guint *) a];
  const Layout *lb = &layout[*(const guint *) b];
  int cmp = compare_keys (&la->first, &lb->first);

  if (cmp != 0)
    return cmp;
  /* Longer first: the outer coding of a nested pair keeps the inner lane. */
  cmp = compare_keys (&lb->last, &la->last);
  if (cmp != 0)
    return cmp;
  return *(const guint *) a < *(const guint *) b ? -1 : 1;
}

static gboolean
resize_idle_cb (gpointer data)
{
  CwCodingStripes *self = data;

  self->resize_idle = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

/* A lane in use, and the paragraph where its last coding ends. */
typedef struct
{
  Key   end;
  guint lane;
} LaneEnd;

static int
compare_lane_ends (gconstpointer a,
                   gconstpointer b)
{
  const LaneEnd *la = a, *lb = b;
  int cmp = compare_keys (&la->end, &lb->end);

  return cmp != 0 ? cmp : (la->lane > lb->lane) - (la->lane < lb->lane);
}

static int
compare_lanes (gconstpointer a,
               gconstpointer b)
{
  guint la = *(const guint *) a, lb = *(const guint *) b;

  return (la > lb) - (la < lb);
}

/* A binary min-heap in a GArray of elements of size bytes. */
static void
heap_swap (GArray *heap,
           guint   i,
           guint   j,
           gsize   size)
{
  guint8 tmp[sizeof (LaneEnd)];
  guint8 *data = (guint8 *) heap->data;

  g_assert (size <= sizeof tmp);
  memcpy (tmp, data + i * size, size);
  memcpy (data + i * size, data + j * size, size);
  memcpy (data + j * size, tmp, size);
}

static void
heap_push (GArray        *heap,
           gconstpointer  element,
           gsize          size,
           GCompareFunc   compare)
{
  guint i = heap->len;

  g_array_append_vals (heap, element, 1);
  while (i > 0 && compare (heap->data + i * size, heap->data + ((i - 1) / 2) * size) < 0)
    {
      heap_swap (heap, i, (i - 1) / 2, size);
      i = (i - 1) / 2;
    }
}

static void
heap_pop (GArray       *heap,
          gsize         size,
          GCompareFunc  compare)
{
  guint i = 0;

  heap_swap (heap, 0, heap->len - 1, size);
  g_array_set_size (heap, heap->len - 1);
  for (;;)
    {
      guint smallest = i, left = 2 * i + 1, right = 2 * i + 2;

      if (left < heap->len && compare (heap->data + left * size, heap->data + smallest * size) < 0)
        smallest = left;
      if (right < heap->len && compare (heap->data + right * size, heap->data + smallest * size) < 0)
        smallest = right;
      if (smallest == i)
        break;
      heap_swap (heap, i, smallest, size);
      i = smallest;
    }
}

/* Assigns lanes for the current codings and text width. */
static void
ensure_layout (CwCodingStripes *self)
{
  g_autoptr(GArray) order = NULL;
  g_autoptr(GArray) busy = NULL;
  g_autoptr(GArray) free_lanes = NULL;
  guint n_lanes = 0;
  GArray *line_starts;
  gboolean sorted = TRUE;
  int width;

  if (self->view == NULL)
    return;
  line_starts = get_line_starts (self);

  width = gtk_widget_get_width (GTK_WIDGET (self->view));
  if (!self->dirty && width == self->layout_width)
    return;

  self->dirty = FALSE;
  self->layout_width = width;
  self->n_lanes = 0;
  g_array_set_size (self->layout, 0);
  if (self->codings == NULL || self->codings->len == 0)
    return;

  g_array_set_size (self->layout, self->codings->len);
  order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->codings->len);
  for (guint i = 0; i < self->codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);
      Layout *layout = &g_array_index (self->layout, Layout, i);

      layout->first = key_at (line_starts, coding->start);
      /* The last coded character, so that a coding ending at a line's end
       * does not reach into the next line. */
      layout->last = key_at (line_starts, MAX (coding->start, coding->end - 1));
      if (i > 0 && compare_keys (&g_array_index (self->layout, Layout, i - 1).first, &layout->first) > 0)
        sorted = FALSE;
      g_array_append_val (order, i);
    }
  /* Codings come by start, so only those starting in the same paragraph
   * need sorting among themselves: a short sort per paragraph. */
  for (guint a = 0, b; sorted && a < order->len; a = b)
    {
      const Key *first = &g_array_index (self->layout, Layout, a).first;

      for (b = a + 1; b < order->len && compare_keys (&g_array_index (self->layout, Layout, b).first, first) == 0; b++)
        ;
      if (b - a > 1)
        g_qsort_with_data (&g_array_index (order, guint, a), (int) (b - a), sizeof (guint),
                           compare_by_first, self->layout->data);
    }
  if (!sorted)
    g_array_sort_with_data (order, compare_by_first, self->layout->data);

  /* Greedy interval colouring: the lowest lane free at this line. Lanes
   * still taken wait in a heap by where they end, the free ones in a heap
   * by number: where hundreds of codings overlap, looking through every
   * lane for each of them would cost more than all the rest. */
  busy = g_array_new (FALSE, FALSE, sizeof (LaneEnd));
  free_lanes = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < order->len; k++)
    {
      Layout *layout = &g_array_index (self->layout, Layout, g_array_index (order, guint, k));
      LaneEnd taken;

      while (busy->len > 0 && compare_keys (&g_array_index (busy, LaneEnd, 0).end, &layout->first) < 0)
        {
          guint lane = g_array_index (busy, LaneEnd, 0).lane;

          heap_pop (busy, sizeof (LaneEnd), compare_lane_ends);
          heap_push (free_lanes, &lane, sizeof (guint), compare_lanes);
        }
      if (free_lanes->len > 0)
        {
          layout->lane = g_array_index (free_lanes, guint, 0);
          heap_pop (free_lanes, sizeof (guint), compare_lanes);
        }
      else
        {
          layout->lane = n_lanes++;
        }
      taken.end = layout->last;
      taken.lane = layout->lane;
      heap_push (busy, &taken, sizeof (LaneEnd), compare_lane_ends);
    }
  self->n_lanes = n_lanes;

  if (MIN (self->n_lanes, MAX_LANES) > self->n_lanes_shown)
    {
      self->n_lanes_shown = MIN (self->n_lanes, MAX_LANES);
      /* Not from inside a snapshot: on the next idle. */
      if (self->resize_idle == 0)
        self->resize_idle = g_idle_add (resize_idle_cb, self);
    }
}

/* A line of label text, measured once per font. */
static int
label_height (CwCodingStripes *self)
{
  if (self->label_height == 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), "Ag");

      pango_layout_get_pixel_size (layout, NULL, &self->label_height);
    }
  return self->label_height;
}

static int
lane_width (CwCodingStripes *self)
{
  return BAR_WIDTH + 3 + label_height (self) + 2;
}

static void
cw_coding_stripes_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CwCodingStripes *self = CW_CODING_STRIPES (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = PAD_START + MAX (self->n_lanes_shown, 1) * lane_width (self) + PAD_END;
  else
    *minimum = *natural = 0;
}

static void
cw_coding_stripes_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  CwCodingStripes *self = CW_CODING_STRIPES (widget);

  if (self->menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->menu));
}

static const char *
coding_name (const CwCoding *coding)
{
  return cw_code_path_basename (coding->code);
}

/* A bar's label, shaped once and kept (with its node) while its text,
 * length and colour stay: a node at the origin, reading from top to
 * bottom, text_height wide. */
static GskRenderNode *
get_label_node (CwCodingStripes *self,
                const CwCoding  *coding,
                int              width,
                const GdkRGBA   *color,
                int             *text_height)
{
  Label *label = g_hash_table_lookup (self->labels, &coding->id);
  const char *name = coding_name (coding);

  if (label == NULL || g_strcmp0 (pango_layout_get_text (label->layout), name) != 0)
    {
      label = g_new0 (Label, 1);
      label->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
      pango_layout_set_ellipsize (label->layout, PANGO_ELLIPSIZE_END);
      g_hash_table_insert (self->labels, g_memdup2 (&coding->id, sizeof coding->id), label);
    }
  if (pango_layout_get_width (label->layout) != width)
    {
      pango_layout_set_width (label->layout, width);
      g_clear_pointer (&label->node, gsk_render_node_unref);
    }
  if (!gdk_rgba_equal (&label->color, color))
    {
      label->color = *color;
      g_clear_pointer (&label->node, gsk_render_node_unref);
    }
  pango_layout_get_pixel_size (label->layout, NULL, text_height);
  if (label->node == NULL)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (*text_height, 0));
      gtk_snapshot_rotate (snapshot, 90);
      gtk_snapshot_append_layout (snapshot, label->layout, color);
      label->node = gtk_snapshot_free_to_node (snapshot);
    }
  return label->node;
}

/* Where a bar goes, in buffer coordinates: from the top of the display
 * line where the coding starts to the bottom of the one where it ends.
 * Finding the display line means laying out the paragraph's text: the
 * place within the paragraph is kept, and the paragraph's top (which moves
 * as the text above is laid out) asked for each frame. A paragraph laid
 * out anew (another height, another width, other text) is measured again. */
static void
bar_extent (CwCodingStripes *self,
            const CwCoding  *coding,
            int             *top_y,
            int             *bottom_y)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->view);
  BarPlace *place = g_hash_table_lookup (self->places, &coding->id);
  GtkTextIter start, last;
  int start_line_y, start_line_height, last_line_y, last_line_height;
  int width = gtk_widget_get_width (GTK_WIDGET (self->view));

  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) coding->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &last, (int) MAX (coding->start, coding->end - 1));
  gtk_text_view_get_line_yrange (self->view, &start, &start_line_y, &start_line_height);
  gtk_text_view_get_line_yrange (self->view, &last, &last_line_y, &last_line_height);

  if (place == NULL)
    {
      place = g_new0 (BarPlace, 1);
      g_hash_table_insert (self->places, g_memdup2 (&coding->id, sizeof coding->id), place);
      place->start = -1;
    }
  if (place->start != coding->start || place->end != coding->end || place->width != width ||
      place->start_line_height != start_line_height || place->last_line_height != last_line_height)
    {
      GdkRectangle start_rect, last_rect;

      gtk_text_view_get_iter_location (self->view, &start, &start_rect);
      gtk_text_view_get_iter_location (self->view, &last, &last_rect);
      /* Laying out may have moved the paragraphs. */
      gtk_text_view_get_line_yrange (self->view, &start, &start_line_y, &start_line_height);
      gtk_text_view_get_line_yrange (self->view, &last, &last_line_y, &last_line_height);
      place->start = coding->start;
      place->end = coding->end;
      place->width = width;
      place->start_line_height = start_line_height;
      place->last_line_height = last_line_height;
      place->top = start_rect.y - start_line_y;
      place->bottom = last_rect.y + last_rect.height - last_line_y;
    }
  *top_y = start_line_y + place->top;
  *bottom_y = last_line_y + place->bottom;
}

static void
cw_coding_stripes_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CwCodingStripes *self = CW_CODING_STRIPES (widget);
  GdkRectangle visible;
  GtkTextIter top, bottom;
  GdkRGBA text_color, background;
  gint64 top_offset, bottom_offset;
  int height, lane_w;

  g_array_set_size (self->hits, 0);
  if (self->view == NULL || self->codings == NULL || self->codings->len == 0)
    return;

  ensure_layout (self);
  height = gtk_widget_get_height (widget);
  lane_w = lane_width (self);
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &text_color);
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "view_bg_color", &background))
    background = (GdkRGBA) { 1, 1, 1, 1 };

  gtk_text_view_get_visible_rect (self->view, &visible);
  gtk_text_view_get_line_at_y (self->view, &top, visible.y, NULL);
  gtk_text_view_get_line_at_y (self->view, &bottom, visible.y + visible.height, NULL);
  gtk_text_iter_forward_to_line_end (&bottom);
  top_offset = gtk_text_iter_get_offset (&top);
  bottom_offset = gtk_text_iter_get_offset (&bottom);

  for (guint i = 0; i < self->codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);
      const Layout *layout = &g_array_index (self->layout, Layout, i);
      GdkRGBA color;
      GskRoundedRect bar;
      Hit hit;
      int y0, y1, x, top_y, bottom_y;
      float bar_width;
      gboolean selected = coding->id == self->selected;
      /* More lanes than fit: the rest share the last one, in grey. */
      gboolean overflow = self->n_lanes > MAX_LANES && layout->lane >= MAX_LANES - 1;

      /* Codings are by start: none further down is on screen. */
      if (coding->start > bottom_offset)
        break;
      if (coding->end < top_offset)
        continue;

      bar_extent (self, coding, &top_y, &bottom_y);
      gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_RIGHT,
                                             0, top_y, NULL, &y0);
      gtk_text_view_buffer_to_window_coords (self->view, GTK_TEXT_WINDOW_RIGHT,
                                             0, bottom_y, NULL, &y1);
      y0 = MAX (y0, -8);
      y1 = MIN (y1, height + 8);
      if (y1 <= y0)
        continue;

      x = PAD_START + (int) MIN (layout->lane, MAX_LANES - 1) * lane_w;
      if (overflow && !selected)
        {
          color = text_color;
          color.alpha *= 0.3;
        }
      else
        {
          cw_code_parse_color (coding->color, 1.0, &color);
        }
      bar_width = selected ? BAR_WIDTH + 2 : BAR_WIDTH;
      gsk_rounded_rect_init_from_rect (&bar,
                                       &GRAPHENE_RECT_INIT (x - (bar_width - BAR_WIDTH) / 2, y0 + 2,
                                                            bar_width, y1 - y0 - 4),
                                       bar_width / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &bar);
      gtk_snapshot_append_color (snapshot, &color, &bar.bounds);
      gtk_snapshot_pop (snapshot);

      /* A coding with a memo: a bead at the top of its bar, ringed in the
       * background so that it stands out from the bar itself. */
      if (coding->memo != NULL)
        {
          float cx = x + BAR_WIDTH / 2.0f;
          float cy = y0 + 2 + MEMO_DOT / 2.0f;
          GskRoundedRect ring, dot;

          gsk_rounded_rect_init_from_rect (&ring,
                                           &GRAPHENE_RECT_INIT (cx - MEMO_DOT / 2.0f - 1.5f, cy - MEMO_DOT / 2.0f - 1.5f,
                                                                MEMO_DOT + 3, MEMO_DOT + 3),
                                           MEMO_DOT / 2.0f + 1.5f);
          gsk_rounded_rect_init_from_rect (&dot,
                                           &GRAPHENE_RECT_INIT (cx - MEMO_DOT / 2.0f, cy - MEMO_DOT / 2.0f,
                                                                MEMO_DOT, MEMO_DOT),
                                           MEMO_DOT / 2.0f);
          gtk_snapshot_push_rounded_clip (snapshot, &ring);
          gtk_snapshot_append_color (snapshot, &background, &ring.bounds);
          gtk_snapshot_pop (snapshot);
          gtk_snapshot_push_rounded_clip (snapshot, &dot);
          gtk_snapshot_append_color (snapshot, &color, &dot.bounds);
          gtk_snapshot_pop (snapshot);
        }

      if (y1 - y0 >= MIN_LABEL_HEIGHT && !overflow)
        {
          GdkRGBA label_color = text_color;
          GskRenderNode *label;
          int text_height;

          label_color.alpha *= selected ? 1.0 : 0.7;
          /* Rotated a quarter turn: read from top to bottom. */
          label = get_label_node (self, coding, (y1 - y0 - 6) * PANGO_SCALE, &label_color, &text_height);
          if (label != NULL)
            {
              gtk_snapshot_save (snapshot);
              gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + BAR_WIDTH + 3, y0 + 3));
              gtk_snapshot_append_node (snapshot, label);
              gtk_snapshot_restore (snapshot);
            }
        }

      hit.rect = GRAPHENE_RECT_INIT (x - 3, y0, lane_w, y1 - y0);
      hit.index = i;
      g_array_append_val (self->hits, hit);
    }
}

/* The coding under (x, y), -1 if none; later (nested, inner) bars win. */
static int
find_hit (CwCodingStripes *self,
          double           x,
          double           y)
{
  for (guint i = self->hits->len; i > 0; i--)
    {
      const Hit *hit = &g_array_index (self->hits, Hit, i - 1);

      if (graphene_rect_contains_point (&hit->rect, &GRAPHENE_POINT_INIT (x, y)))
        return (int) hit->index;
    }
  return -1;
}

static const CwCoding *
find_coding (CwCodingStripes *self,
             gint64           id)
{
  for (guint i = 0; self->codings != NULL && i < self->codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);

      if (coding->id == id)
        return coding;
    }
  return NULL;
}

static char *
describe (const CwCoding *coding)
{
  g_autoptr(GString) text = g_string_new (coding->code);

  g_string_append_printf (text, " · %s", coding->coder != NULL ? coding->coder : "");
  if (coding->memo != NULL && coding->memo[0] != '\0')
    {
      g_autofree char *memo = g_utf8_substring (coding->memo, 0, MIN (g_utf8_strlen (coding->memo, -1), 300));

      g_string_append_printf (text, " · %s", memo);
      if (g_utf8_strlen (coding->memo, -1) > 300)
        g_string_append (text, "…");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
query_tooltip_cb (CwCodingStripes *self,
                  int              x,
                  int              y,
                  gboolean         keyboard,
                  GtkTooltip      *tooltip)
{
  int index = find_hit (self, x, y);
  g_autofree char *text = NULL;

  if (index < 0)
    return FALSE;

  text = describe (g_ptr_array_index (self->codings, index));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
motion_cb (CwCodingStripes *self,
           double           x,
           double           y)
{
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), find_hit (self, x, y) >= 0 ? "pointer" : NULL);
}

static void
show_menu (CwCodingStripes *self,
           const CwCoding  *coding,
           double           x,
           double           y)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  g_autoptr(GMenuItem) select = g_menu_item_new (_("_Select Coded Text"), NULL);
  g_autoptr(GMenuItem) memo = g_menu_item_new (_("_Memo…"), NULL);
  g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove Coding"), NULL);

  g_menu_item_set_action_and_target_value (select, "stripes.select-coding", g_variant_new_int64 (coding->id));
  g_menu_item_set_action_and_target_value (memo, "stripes.memo", g_variant_new_int64 (coding->id));
  g_menu_item_set_action_and_target_value (remove, "stripes.remove-coding", g_variant_new_int64 (coding->id));
  g_menu_append_item (edit, select);
  g_menu_append_item (edit, memo);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  /* Hearing a fragment: from its turn's time, when there is a recording. */
  if (self->can_play)
    {
      g_autoptr(GMenu) listen = g_menu_new ();
      g_autoptr(GMenuItem) play = g_menu_item_new (_("_Play From Here"), NULL);

      g_menu_item_set_action_and_target_value (play, "stripes.play-coding", g_variant_new_int64 (coding->id));
      g_menu_append_item (listen, play);
      g_menu_prepend_section (menu, NULL, G_MENU_MODEL (listen));
    }
  g_menu_append_item (menu, remove);

  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->menu), G_MENU_MODEL (menu));
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
pressed_cb (CwCodingStripes *self,
            int              n_press,
            double           x,
            double           y,
            GtkGestureClick *gesture)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));
  int index = find_hit (self, x, y);
  const CwCoding *coding;

  if (index < 0)
    return;

  coding = g_ptr_array_index (self->codings, index);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (button == GDK_BUTTON_SECONDARY || (event != NULL && gdk_event_triggers_context_menu (event)))
    show_menu (self, coding, x, y);
  else if (button == GDK_BUTTON_PRIMARY)
    g_signal_emit (self, signals[CODING_ACTIVATED], 0, coding->id);
}

static void
select_coding_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_signal_emit (widget, signals[CODING_ACTIVATED], 0, g_variant_get_int64 (parameter));
}

static void
play_coding_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_signal_emit (widget, signals[PLAY_CODING], 0, g_variant_get_int64 (parameter));
}

void
cw_coding_stripes_set_can_play (CwCodingStripes *self,
                                gboolean         can_play)
{
  g_return_if_fail (CW_IS_CODING_STRIPES (self));

  self->can_play = can_play;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stripes.play-coding", can_play);
}

static void
remove_coding_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE_CODING], 0, g_variant_get_int64 (parameter));
}

/* The coding's memos, in the editor; the project is the window's (the
 * stripes are handed only codings). */
static void
memo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CwCodingStripes *self = CW_CODING_STRIPES (widget);
  const CwCoding *coding = find_coding (self, g_variant_get_int64 (parameter));
  CwProject *project = cw_memo_editor_find_project (widget);
  g_autofree char *name = NULL;

  if (coding == NULL || project == NULL)
    return;
  /* Translators: a coding, as its code and the document it is in. */
  name = g_strdup_printf (_("“%s” in %s"), coding->code, coding->document != NULL ? coding->document : "");
  cw_memo_editor_open (widget, project, CW_MEMO_CODING, coding->id, name);
}

static void
queue_draw_cb (CwCodingStripes *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_vadjustment (CwCodingStripes *self,
                 GtkAdjustment   *adjustment)
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
vadjustment_changed_cb (CwCodingStripes *self)
{
  set_vadjustment (self, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view)));
}

static void
cw_coding_stripes_dispose (GObject *object)
{
  CwCodingStripes *self = CW_CODING_STRIPES (object);

  set_vadjustment (self, NULL);
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->view, vadjustment_changed_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  g_clear_handle_id (&self->resize_idle, g_source_remove);
  g_clear_pointer (&self->menu, gtk_widget_unparent);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  set_buffer (self, NULL);
  g_hash_table_remove_all (self->labels);
  g_hash_table_remove_all (self->places);

  G_OBJECT_CLASS (cw_coding_stripes_parent_class)->dispose (object);
}

static void
cw_coding_stripes_finalize (GObject *object)
{
  CwCodingStripes *self = CW_CODING_STRIPES (object);

  g_array_unref (self->layout);
  g_array_unref (self->hits);
  g_hash_table_unref (self->labels);
  g_hash_table_unref (self->places);

  G_OBJECT_CLASS (cw_coding_stripes_parent_class)->finalize (object);
}

/* Another font or theme: labels and places are measured again. */
static void
cw_coding_stripes_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  CwCodingStripes *self = CW_CODING_STRIPES (widget);

  GTK_WIDGET_CLASS (cw_coding_stripes_parent_class)->css_changed (widget, change);
  g_hash_table_remove_all (self->labels);
  g_hash_table_remove_all (self->places);
  self->label_height = 0;
}

static void
cw_coding_stripes_class_init (CwCodingStripesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_coding_stripes_dispose;
  object_class->finalize = cw_coding_stripes_finalize;
  widget_class->measure = cw_coding_stripes_measure;
  widget_class->size_allocate = cw_coding_stripes_size_allocate;
  widget_class->snapshot = cw_coding_stripes_snapshot;
  widget_class->css_changed = cw_coding_stripes_css_changed;

  /**
   * CwCodingStripes::coding-activated:
   * @id: the coding's id
   *
   * The user clicked a coding's bar.
   */
  signals[CODING_ACTIVATED] =
    g_signal_new ("coding-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CwCodingStripes::remove-coding:
   * @id: the coding's id
   *
   * The user chose to remove a coding.
   */
  signals[REMOVE_CODING] =
    g_signal_new ("remove-coding", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * CwCodingStripes::play-coding:
   * @id: the coding's id
   *
   * The user wants to hear a coding (from its turn's time).
   */
  signals[PLAY_CODING] =
    g_signal_new ("play-coding", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "stripes.select-coding", "x", select_coding_action);
  gtk_widget_class_install_action (widget_class, "stripes.remove-coding", "x", remove_coding_action);
  gtk_widget_class_install_action (widget_class, "stripes.memo", "x", memo_action);
  gtk_widget_class_install_action (widget_class, "stripes.play-coding", "x", play_coding_action);

  gtk_widget_class_set_css_name (widget_class, "stripes");
}

static void
cw_coding_stripes_init (CwCodingStripes *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->layout = g_array_new (FALSE, TRUE, sizeof (Layout));
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  self->labels = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, label_free);
  self->places = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->dirty = TRUE;

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "stripes.play-coding", FALSE);

  self->menu = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (self->menu, GTK_ALIGN_START);
  gtk_widget_set_parent (self->menu, GTK_WIDGET (self));

  gtk_widget_add_css_class (GTK_WIDGET (self), "cw-stripes");
}

GtkWidget *
cw_coding_stripes_new (GtkTextView *view)
{
  CwCodingStripes *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (CW_TYPE_CODING_STRIPES, NULL);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  g_signal_connect_swapped (view, "notify::vadjustment", G_CALLBACK (vadjustment_changed_cb), self);
  vadjustment_changed_cb (self);

  return GTK_WIDGET (self);
}

void
cw_coding_stripes_set_codings (CwCodingStripes *self,
                               GPtrArray       *codings)
{
  g_return_if_fail (CW_IS_CODING_STRIPES (self));

  if (codings != NULL)
    g_ptr_array_ref (codings);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  self->codings = codings;
  self->dirty = TRUE;
  g_array_set_size (self->hits, 0);
  if (codings == NULL)
    {
      self->n_lanes_shown = 0;
      /* Another document: its codings have other ids. */
      g_hash_table_remove_all (self->labels);
      g_hash_table_remove_all (self->places);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cw_coding_stripes_set_selected (CwCodingStripes *self,
                                gint64           coding_id)
{
  g_return_if_fail (CW_IS_CODING_STRIPES (self));

  self->selected = coding_id;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* For the tests */

GArray *
_cw_coding_stripes_get_bars (CwCodingStripes *self)
{
  GArray *bars = g_array_new (FALSE, FALSE, sizeof (CwStripeBar));

  ensure_layout (self);
  for (guint i = 0; self->codings != NULL && i < self->layout->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);
      CwStripeBar bar = { coding->id, g_array_index (self->layout, Layout, i).lane, coding->memo != NULL };

      g_array_append_val (bars, bar);
    }
  return bars;
}

guint
_cw_coding_stripes_get_n_lanes (CwCodingStripes *self)
{
  ensure_layout (self);
  return self->n_lanes;
}

char *
_cw_coding_stripes_describe (CwCodingStripes *self,
                             gint64           coding_id)
{
  const CwCoding *coding = find_coding (self, coding_id);

  return coding != NULL ? describe (coding) : NULL;
}
