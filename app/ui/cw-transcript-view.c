/* cw-transcript-view.c: a read-only view of one transcript.
 *
 * Speaker labels get a bold colour per speaker (recoloured when the style
 * switches between light and dark); the turns' times live in a gutter.
 */
#include "config.h"

#include <adwaita.h>

#include "cw-speaker-color.h"
#include "cw-timestamp-gutter.h"
#include "cw-transcript-view.h"

typedef struct
{
  gint64 start;
  gint64 end;
} Range;

struct _CwTranscriptView
{
  GtkTextView    parent_instance;

  /* borrowed */
  GtkWidget     *gutter;

  /* owned */
  CwDocument    *document;
  GHashTable    *speaker_tags; /* speaker name -> GtkTextTag (borrowed from the table) */
  GHashTable    *speaker_colors; /* speaker name -> palette index + 1 */
  GtkTextTag    *match_tag;
  GtkTextTag    *current_tag;
  GtkTextMark   *scroll_mark;
  GArray        *matches;      /* Range, in order */
  int            current_match;
  guint          scroll_tick;
  guint          scroll_frames;
};

G_DEFINE_FINAL_TYPE (CwTranscriptView, cw_transcript_view, GTK_TYPE_TEXT_VIEW)

static void stop_scrolling (CwTranscriptView *self);

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static const char *
speaker_color (CwTranscriptView *self,
               const char       *speaker,
               gboolean          dark)
{
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (self->speaker_colors, speaker));

  if (index == 0)
    return cw_speaker_color (speaker, dark);
  return cw_speaker_color_at (index - 1, dark);
}

static void
update_colors (CwTranscriptView *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean dark = is_dark ();

  g_hash_table_iter_init (&iter, self->speaker_tags);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_object_set (value, "foreground", speaker_color (self, key, dark), NULL);

  if (self->match_tag != NULL)
    {
      g_object_set (self->match_tag,
                    "background", dark ? "rgba(246,211,45,0.35)" : "rgba(246,211,45,0.55)",
                    NULL);
      g_object_set (self->current_tag,
                    "background", dark ? "rgba(255,120,0,0.65)" : "rgba(255,163,72,0.9)",
                    NULL);
    }
}

static GtkTextTag *
get_speaker_tag (CwTranscriptView *self,
                 GtkTextBuffer    *buffer,
                 const char       *speaker)
{
  GtkTextTag *tag = g_hash_table_lookup (self->speaker_tags, speaker);

  if (tag == NULL)
    {
      tag = gtk_text_buffer_create_tag (buffer, NULL,
                                        "weight", PANGO_WEIGHT_BOLD,
                                        "foreground", speaker_color (self, speaker, is_dark ()),
                                        NULL);
      g_hash_table_insert (self->speaker_tags, g_strdup (speaker), tag);
    }

  return tag;
}

static void
tag_speaker_labels (CwTranscriptView *self,
                    GtkTextBuffer    *buffer)
{
  GPtrArray *turns = self->document->turns;

  for (guint i = 0; turns != NULL && i < turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (turns, i);
      g_autofree char *label = NULL;
      GtkTextIter line_start, start;

      if (turn->speaker == NULL || turn->speaker[0] == '\0')
        continue;

      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) turn->start);
      line_start = start;
      gtk_text_iter_set_line_offset (&line_start, 0);
      if (gtk_text_iter_equal (&line_start, &start))
        continue; /* no visible label: a speaker the format named */

      /* Only what is the label: from the line start up to the utterance. */
      label = gtk_text_buffer_get_text (buffer, &line_start, &start, FALSE);
      if (!g_str_has_prefix (label, turn->speaker))
        continue;

      gtk_text_buffer_apply_tag (buffer, get_speaker_tag (self, buffer, turn->speaker),
                                 &line_start, &start);
    }
}

static void
clear_matches (CwTranscriptView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  if (self->match_tag != NULL)
    {
      gtk_text_buffer_remove_tag (buffer, self->match_tag, &start, &end);
      gtk_text_buffer_remove_tag (buffer, self->current_tag, &start, &end);
    }
  g_array_set_size (self->matches, 0);
  self->current_match = -1;
}

void
cw_transcript_view_set_document (CwTranscriptView *self,
                                 CwDocument       *document)
{
  g_autoptr(GtkTextBuffer) buffer = gtk_text_buffer_new (NULL);
  GtkTextIter start;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  stop_scrolling (self);
  g_clear_pointer (&self->document, cw_document_free);
  self->document = document;
  g_hash_table_remove_all (self->speaker_tags);
  g_clear_pointer (&self->speaker_colors, g_hash_table_unref);
  self->speaker_colors = cw_speaker_color_assign (document != NULL
                                                  ? (const char * const *) document->info->speakers
                                                  : NULL);
  g_array_set_size (self->matches, 0);
  self->current_match = -1;

  /* A fresh buffer and tag table per document: no tag outlives its text. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  self->match_tag = gtk_text_buffer_create_tag (buffer, "match", NULL);
  self->current_tag = gtk_text_buffer_create_tag (buffer, "current-match", NULL);
  update_colors (self);

  if (document != NULL)
    {
      gtk_text_buffer_set_text (buffer, document->text, -1);
      tag_speaker_labels (self, buffer);
    }

  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  self->scroll_mark = gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self), buffer);

  cw_timestamp_gutter_set_turns (CW_TIMESTAMP_GUTTER (self->gutter),
                                 document != NULL ? document->turns : NULL);
  gtk_widget_set_visible (self->gutter, FALSE);
  for (guint i = 0; document != NULL && document->turns != NULL && i < document->turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (document->turns, i);

      if (turn->time >= 0)
        {
          gtk_widget_set_visible (self->gutter, TRUE);
          break;
        }
    }

  if (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self)) != NULL)
    gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self)), 0);
}

gint64
cw_transcript_view_get_document_id (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), 0);

  return self->document != NULL ? self->document->info->id : 0;
}

const CwDocument *
cw_transcript_view_get_document (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), NULL);

  return self->document;
}

void
cw_transcript_view_set_matches (CwTranscriptView *self,
                                GPtrArray        *hits)
{
  GtkTextBuffer *buffer;
  gint64 id;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  clear_matches (self);
  if (hits == NULL || self->document == NULL)
    return;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  id = self->document->info->id;
  for (guint i = 0; i < hits->len; i++)
    {
      const CwSearchHit *hit = g_ptr_array_index (hits, i);
      Range range = { hit->start, hit->end };
      GtkTextIter start, end;

      if (hit->document_id != id)
        continue;

      g_array_append_val (self->matches, range);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) hit->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) hit->end);
      gtk_text_buffer_apply_tag (buffer, self->match_tag, &start, &end);
    }
}

guint
cw_transcript_view_get_n_matches (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), 0);

  return self->matches->len;
}

int
cw_transcript_view_get_current_match (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), -1);

  return self->current_match;
}

static void
select_match (CwTranscriptView *self,
              int               index)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const Range *range = &g_array_index (self->matches, Range, index);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->current_tag, &start, &end);

  self->current_match = index;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) range->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) range->end);
  gtk_text_buffer_apply_tag (buffer, self->current_tag, &start, &end);
  cw_transcript_view_select_range (self, range->start, range->end);
}

gboolean
cw_transcript_view_move_to_match (CwTranscriptView *self,
                                  gboolean          backward,
                                  gboolean          include_current)
{
  GtkTextBuffer *buffer;
  GtkTextIter sel_start, sel_end;
  gint64 from;
  int n, index;

  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), FALSE);

  n = (int) self->matches->len;
  if (n == 0)
    return FALSE;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_selection_bounds (buffer, &sel_start, &sel_end);
  from = gtk_text_iter_get_offset (&sel_start);

  if (!backward)
    {
      /* The first match starting at the selection (if it may stay) or after. */
      for (index = 0; index < n; index++)
        {
          const Range *range = &g_array_index (self->matches, Range, index);

          if (include_current ? range->start >= from : range->start > from)
            break;
        }
      if (index == n)
        index = 0;
    }
  else
    {
      for (index = n - 1; index >= 0; index--)
        {
          const Range *range = &g_array_index (self->matches, Range, index);

          if (include_current ? range->start <= from : range->start < from)
            break;
        }
      if (index < 0)
        index = n - 1;
    }

  select_match (self, index);
  return TRUE;
}

/* Whether the scroll mark is on screen. */
static gboolean
mark_is_visible (CwTranscriptView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextIter iter;
  GdkRectangle location, visible;

  gtk_text_buffer_get_iter_at_mark (gtk_text_view_get_buffer (view), &iter, self->scroll_mark);
  gtk_text_view_get_iter_location (view, &iter, &location);
  gtk_text_view_get_visible_rect (view, &visible);

  return visible.height > 0 &&
         location.y >= visible.y &&
         location.y + location.height <= visible.y + visible.height;
}

/* A freshly loaded document is laid out in idle chunks, its wrapped lines
 * growing as they are measured, and the view may not be allocated yet: ask
 * again on each frame until the mark is on screen (for a second at most). */
static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (widget);

  if ((gtk_widget_get_mapped (widget) && mark_is_visible (self)) || ++self->scroll_frames > 60)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }

  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self), self->scroll_mark, 0.1, TRUE, 0.0, 0.3);
  return G_SOURCE_CONTINUE;
}

static void
stop_scrolling (CwTranscriptView *self)
{
  if (self->scroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick);
      self->scroll_tick = 0;
    }
}

void
cw_transcript_view_select_range (CwTranscriptView *self,
                                 gint64            start,
                                 gint64            end)
{
  GtkTextBuffer *buffer;
  GtkTextIter start_iter, end_iter;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_offset (buffer, &start_iter, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, (int) end);
  gtk_text_buffer_select_range (buffer, &start_iter, &end_iter);

  gtk_text_buffer_move_mark (buffer, self->scroll_mark, &start_iter);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self), self->scroll_mark, 0.1, TRUE, 0.0, 0.3);

  self->scroll_frames = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

static void
cw_transcript_view_dispose (GObject *object)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (object);

  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), update_colors, self);
  stop_scrolling (self);
  g_clear_pointer (&self->document, cw_document_free);
  self->gutter = NULL;

  G_OBJECT_CLASS (cw_transcript_view_parent_class)->dispose (object);
}

static void
cw_transcript_view_finalize (GObject *object)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (object);

  g_hash_table_unref (self->speaker_tags);
  g_clear_pointer (&self->speaker_colors, g_hash_table_unref);
  g_array_unref (self->matches);

  G_OBJECT_CLASS (cw_transcript_view_parent_class)->finalize (object);
}

static void
cw_transcript_view_class_init (CwTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_transcript_view_dispose;
  object_class->finalize = cw_transcript_view_finalize;

  gtk_widget_class_set_css_name (widget_class, "textview");
}

static void
cw_transcript_view_init (CwTranscriptView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);

  self->speaker_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->matches = g_array_new (FALSE, FALSE, sizeof (Range));
  self->current_match = -1;

  gtk_text_view_set_editable (view, FALSE);
  gtk_text_view_set_cursor_visible (view, FALSE);
  gtk_text_view_set_wrap_mode (view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (view, 18);
  gtk_text_view_set_right_margin (view, 32);
  gtk_text_view_set_top_margin (view, 24);
  gtk_text_view_set_bottom_margin (view, 48);
  gtk_text_view_set_pixels_below_lines (view, 8);
  gtk_text_view_set_pixels_inside_wrap (view, 3);
  gtk_widget_add_css_class (GTK_WIDGET (self), "cw-transcript");

  self->gutter = cw_timestamp_gutter_new (view);
  gtk_text_view_set_gutter (view, GTK_TEXT_WINDOW_LEFT, self->gutter);
  gtk_widget_set_visible (self->gutter, FALSE);

  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (update_colors), self);

  cw_transcript_view_set_document (self, NULL);
}

GtkWidget *
cw_transcript_view_new (void)
{
  return g_object_new (CW_TYPE_TRANSCRIPT_VIEW, NULL);
}
