/* cw-transcript-view.c: a read-only view of one transcript.
 *
 * Speaker labels get a bold colour per speaker (recoloured when the style
 * switches between light and dark); the turns' times live in a gutter on
 * the left, the codings' stripes in one on the right.
 *
 * Coded text gets its code's colour as a translucent background. A text
 * tag has one background, and where tags overlap the one with the highest
 * priority wins: so the text is cut into segments with the same set of
 * codes, and each set gets one tag with the colours blended, so that
 * overlapping codings show as a darker mix of both.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "cw-code-item.h"
#include "cw-coding.h"
#include "cw-coding-stripes.h"
#include "cw-speaker-color.h"
#include "cw-timestamp-gutter.h"
#include "cw-transcript-view-private.h"

/* How much of a code's colour shows behind its text. */
#define CODING_ALPHA_LIGHT 0.30
#define CODING_ALPHA_DARK 0.38

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
  GtkWidget     *stripes;
  GtkDropTarget *drop_target;
  GtkWidget     *chooser_entry;
  GtkListBox    *chooser_list;

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

  GPtrArray     *codings;      /* CwCoding */
  GPtrArray     *codes;        /* CwCode */
  GArray        *quick_keys;   /* gint64 code ids for the keys 1 to 9 */
  GHashTable    *coding_tags;  /* "id,id,..." -> GtkTextTag (borrowed from the table) */
  GtkTextTag    *selected_tag;
  gint64         selected_coding;
  GtkWidget     *chooser;      /* GtkPopover: choose a code by name */
  gboolean       chooser_snap;
};

enum {
  CODE_REQUESTED,
  REMOVE_CODING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwTranscriptView, cw_transcript_view, GTK_TYPE_TEXT_VIEW)

static void stop_scrolling (CwTranscriptView *self);
static void apply_codings  (CwTranscriptView *self);

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

  /* The codings' blends depend on light or dark: make them anew (rare). */
  if (g_hash_table_size (self->coding_tags) > 0)
    {
      GtkTextTagTable *table = gtk_text_buffer_get_tag_table (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)));

      g_hash_table_iter_init (&iter, self->coding_tags);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        gtk_text_tag_table_remove (table, value);
      g_hash_table_remove_all (self->coding_tags);
    }

  apply_codings (self);
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

static void
clear_selected_coding (CwTranscriptView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;

  if (self->selected_coding == 0)
    return;

  self->selected_coding = 0;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_remove_tag (buffer, self->selected_tag, &start, &end);
  cw_coding_stripes_set_selected (CW_CODING_STRIPES (self->stripes), 0);
}

static const CwCoding *
find_coding (CwTranscriptView *self,
             gint64            id)
{
  for (guint i = 0; self->codings != NULL && i < self->codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (self->codings, i);

      if (coding->id == id)
        return coding;
    }
  return NULL;
}

/* Selecting other text lets go of the selected coding. */
static void
mark_set_cb (CwTranscriptView *self,
             GtkTextIter      *location,
             GtkTextMark      *mark)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  const CwCoding *coding;
  GtkTextIter start, end;

  if (self->selected_coding == 0 || mark != gtk_text_buffer_get_insert (buffer))
    return;

  coding = find_coding (self, self->selected_coding);
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (coding == NULL ||
      gtk_text_iter_get_offset (&start) != coding->start ||
      gtk_text_iter_get_offset (&end) != coding->end)
    clear_selected_coding (self);
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
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  g_hash_table_remove_all (self->coding_tags);
  self->selected_coding = 0;
  cw_coding_stripes_set_codings (CW_CODING_STRIPES (self->stripes), NULL);
  cw_coding_stripes_set_selected (CW_CODING_STRIPES (self->stripes), 0);

  /* A fresh buffer and tag table per document: no tag outlives its text. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  self->match_tag = gtk_text_buffer_create_tag (buffer, "match", NULL);
  self->current_tag = gtk_text_buffer_create_tag (buffer, "current-match", NULL);
  self->selected_tag = gtk_text_buffer_create_tag (buffer, "selected-coding",
                                                   "underline", PANGO_UNDERLINE_SINGLE,
                                                   NULL);
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (mark_set_cb), self, G_CONNECT_SWAPPED);
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

/* Codings */

typedef struct
{
  gint64 offset;
  gint64 code_id;
  int    delta;
} Event;

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *ea = a, *eb = b;

  return ea->offset < eb->offset ? -1 : ea->offset > eb->offset ? 1 : 0;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 ia = *(const gint64 *) a, ib = *(const gint64 *) b;

  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/* The codes' colours laid over each other, each with alpha: "over" in
 * premultiplied form, so two codes give a darker mix of both. */
static void
blend_colors (GArray     *ids,
              GHashTable *colors,
              double      alpha,
              GdkRGBA    *result)
{
  double r = 0, g = 0, b = 0, a = 0;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      GdkRGBA color;

      cw_code_parse_color (g_hash_table_lookup (colors, &id), 1.0, &color);
      r = color.red * alpha + r * (1 - alpha);
      g = color.green * alpha + g * (1 - alpha);
      b = color.blue * alpha + b * (1 - alpha);
      a = alpha + a * (1 - alpha);
    }

  if (a <= 0)
    {
      *result = (GdkRGBA) { 0, 0, 0, 0 };
      return;
    }
  *result = (GdkRGBA) { r / a, g / a, b / a, a };
}

static GtkTextTag *
get_coding_tag (CwTranscriptView *self,
                GtkTextBuffer    *buffer,
                GHashTable       *active,
                GHashTable       *colors)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) key = g_string_new (NULL);
  GHashTableIter iter;
  gpointer id;
  GtkTextTag *tag;

  g_hash_table_iter_init (&iter, active);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_array_append_val (ids, *(gint64 *) id);
  g_array_sort (ids, compare_ids);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (key, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", g_array_index (ids, gint64, i));

  tag = g_hash_table_lookup (self->coding_tags, key->str);
  if (tag == NULL)
    {
      GdkRGBA color;

      blend_colors (ids, colors, is_dark () ? CODING_ALPHA_DARK : CODING_ALPHA_LIGHT, &color);
      /* Priorities are put right once all tags exist (raise_overlay_tags):
       * setting each new tag's priority here would shuffle the whole table
       * every time. */
      tag = gtk_text_buffer_create_tag (buffer, NULL, "background-rgba", &color, NULL);
      g_hash_table_insert (self->coding_tags, g_strdup (key->str), tag);
    }

  return tag;
}

/* The search highlights and the selected coding's underline stay above the
 * codings' backgrounds. */
static void
raise_overlay_tags (CwTranscriptView *self,
                    GtkTextBuffer    *buffer)
{
  int top = gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (buffer)) - 1;

  gtk_text_tag_set_priority (self->match_tag, top);
  gtk_text_tag_set_priority (self->current_tag, top);
  gtk_text_tag_set_priority (self->selected_tag, top);
}

/* Colours the coded text: one tag per set of overlapping codes. Tags are
 * kept for the document's lifetime and only their ranges change: taking a
 * tag out of the table walks the whole buffer. */
static void
apply_codings (CwTranscriptView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GArray) events = NULL;
  g_autoptr(GHashTable) active = NULL;
  g_autoptr(GHashTable) colors = NULL;
  GtkTextIter text_start, text_end;
  GHashTableIter iter;
  gpointer tag;
  gint64 length, previous;
  guint n_tags = g_hash_table_size (self->coding_tags);

  gtk_text_buffer_get_bounds (buffer, &text_start, &text_end);
  g_hash_table_iter_init (&iter, self->coding_tags);
  while (g_hash_table_iter_next (&iter, NULL, &tag))
    gtk_text_buffer_remove_tag (buffer, tag, &text_start, &text_end);

  if (self->codings == NULL || self->codings->len == 0 || self->document == NULL)
    return;

  length = gtk_text_buffer_get_char_count (buffer);
  events = g_array_sized_new (FALSE, FALSE, sizeof (Event), self->codings->len * 2);
  colors = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < self->codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (self->codings, i);
      Event start = { CLAMP (coding->start, 0, length), coding->code_id, +1 };
      Event end = { CLAMP (coding->end, 0, length), coding->code_id, -1 };

      if (start.offset >= end.offset)
        continue;
      g_array_append_val (events, start);
      g_array_append_val (events, end);
      g_hash_table_insert (colors, &coding->code_id, coding->color);
    }
  g_array_sort (events, compare_events);

  /* code id -> how many of its codings cover the current point */
  active = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  previous = 0;
  for (guint i = 0; i < events->len;)
    {
      gint64 offset = g_array_index (events, Event, i).offset;

      if (offset > previous && g_hash_table_size (active) > 0)
        {
          GtkTextIter start, end;

          gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) previous);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) offset);
          gtk_text_buffer_apply_tag (buffer, get_coding_tag (self, buffer, active, colors), &start, &end);
        }

      for (; i < events->len && g_array_index (events, Event, i).offset == offset; i++)
        {
          const Event *event = &g_array_index (events, Event, i);
          int count = GPOINTER_TO_INT (g_hash_table_lookup (active, &event->code_id)) + event->delta;

          if (count > 0)
            g_hash_table_insert (active, g_memdup2 (&event->code_id, sizeof (gint64)), GINT_TO_POINTER (count));
          else
            g_hash_table_remove (active, &event->code_id);
        }
      previous = offset;
    }

  if (g_hash_table_size (self->coding_tags) != n_tags)
    raise_overlay_tags (self, buffer);
}

void
cw_transcript_view_set_codings (CwTranscriptView *self,
                                GPtrArray        *codings)
{
  gint64 selected;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  if (codings != NULL)
    g_ptr_array_ref (codings);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  self->codings = codings;

  apply_codings (self);
  cw_coding_stripes_set_codings (CW_CODING_STRIPES (self->stripes), codings);

  /* The selected coding stays selected while it exists. */
  selected = self->selected_coding;
  clear_selected_coding (self);
  if (selected != 0 && find_coding (self, selected) != NULL)
    {
      const CwCoding *coding = find_coding (self, selected);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
      GtkTextIter start, end;
      GdkRGBA color;

      self->selected_coding = selected;
      cw_code_parse_color (coding->color, 1.0, &color);
      g_object_set (self->selected_tag, "underline-rgba", &color, NULL);
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) coding->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) coding->end);
      gtk_text_buffer_apply_tag (buffer, self->selected_tag, &start, &end);
      cw_coding_stripes_set_selected (CW_CODING_STRIPES (self->stripes), selected);
    }
}

GPtrArray *
cw_transcript_view_get_codings (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), NULL);

  return self->codings;
}

void
cw_transcript_view_select_coding (CwTranscriptView *self,
                                  gint64            coding_id)
{
  const CwCoding *coding;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GdkRGBA color;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  clear_selected_coding (self);
  coding = find_coding (self, coding_id);
  if (coding == NULL)
    return;

  cw_transcript_view_select_range (self, coding->start, coding->end);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  self->selected_coding = coding_id;
  cw_code_parse_color (coding->color, 1.0, &color);
  g_object_set (self->selected_tag, "underline-rgba", &color, NULL);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) coding->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) coding->end);
  gtk_text_buffer_apply_tag (buffer, self->selected_tag, &start, &end);
  cw_coding_stripes_set_selected (CW_CODING_STRIPES (self->stripes), coding_id);
}

void
cw_transcript_view_set_codes (CwTranscriptView *self,
                              GPtrArray        *codes)
{
  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  if (codes != NULL)
    g_ptr_array_ref (codes);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  self->codes = codes;
  g_clear_pointer (&self->quick_keys, g_array_unref);
  self->quick_keys = cw_code_quick_keys (codes);
}

gboolean
cw_transcript_view_get_coding_range (CwTranscriptView *self,
                                     gboolean          snap,
                                     gint64           *start,
                                     gint64           *end)
{
  GtkTextBuffer *buffer;
  GtkTextIter s, e;

  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), FALSE);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  if (self->document == NULL || !gtk_text_buffer_get_selection_bounds (buffer, &s, &e))
    return FALSE;

  if (snap)
    {
      /* No white space at either end... */
      while (gtk_text_iter_compare (&s, &e) < 0 && g_unichar_isspace (gtk_text_iter_get_char (&s)))
        gtk_text_iter_forward_char (&s);
      while (gtk_text_iter_compare (&s, &e) < 0)
        {
          GtkTextIter before = e;

          gtk_text_iter_backward_char (&before);
          if (!g_unichar_isspace (gtk_text_iter_get_char (&before)))
            break;
          e = before;
        }
      if (gtk_text_iter_compare (&s, &e) >= 0)
        return FALSE;

      /* ...and no word cut in half. */
      if (gtk_text_iter_inside_word (&s) && !gtk_text_iter_starts_word (&s))
        gtk_text_iter_backward_word_start (&s);
      if (gtk_text_iter_inside_word (&e) && !gtk_text_iter_starts_word (&e) && !gtk_text_iter_ends_word (&e))
        gtk_text_iter_forward_word_end (&e);
    }

  *start = gtk_text_iter_get_offset (&s);
  *end = gtk_text_iter_get_offset (&e);
  return *start < *end;
}

void
_cw_transcript_view_code_selection (CwTranscriptView *self,
                                    gint64            code_id,
                                    gboolean          snap)
{
  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  if (self->document == NULL || code_id <= 0)
    return;
  g_signal_emit (self, signals[CODE_REQUESTED], 0, code_id, snap);
}

static void
coding_activated_cb (CwTranscriptView *self,
                     gint64            coding_id)
{
  cw_transcript_view_select_coding (self, coding_id);
}

static void
remove_coding_cb (CwTranscriptView *self,
                  gint64            coding_id)
{
  g_signal_emit (self, signals[REMOVE_CODING], 0, coding_id);
}

/* Dropping a code from the codebook on the text codes the selection. */
static gboolean
drop_cb (CwTranscriptView *self,
         const GValue     *value,
         double            x,
         double            y,
         GtkDropTarget    *target)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GdkModifierType state;
  CwCodeItem *item;

  if (!G_VALUE_HOLDS (value, CW_TYPE_CODE_ITEM) || (item = g_value_get_object (value)) == NULL)
    return FALSE;
  if (!gtk_text_buffer_get_has_selection (buffer) || !cw_code_item_get_code (item)->codable)
    return FALSE;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (target));
  _cw_transcript_view_code_selection (self, cw_code_item_get_id (item), (state & GDK_ALT_MASK) == 0);
  return TRUE;
}

/* The code chooser */

static gint64
row_code_id (GtkListBoxRow *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), "cw-code-id");

  return id != NULL ? *id : 0;
}

static gboolean
chooser_filter (GtkListBoxRow *row,
                gpointer       user_data)
{
  CwTranscriptView *self = user_data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->chooser_entry));
  g_autofree char *needle = NULL;
  const char *haystack;

  if (text == NULL || text[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (text, -1);
  haystack = g_object_get_data (G_OBJECT (row), "cw-folded-path");
  return haystack != NULL && strstr (haystack, needle) != NULL;
}

static GtkListBoxRow *
first_visible_row (CwTranscriptView *self,
                   GtkListBoxRow    *after,
                   gboolean          backward)
{
  GtkWidget *child;

  if (after != NULL)
    child = backward ? gtk_widget_get_prev_sibling (GTK_WIDGET (after))
                     : gtk_widget_get_next_sibling (GTK_WIDGET (after));
  else
    child = backward ? gtk_widget_get_last_child (GTK_WIDGET (self->chooser_list))
                     : gtk_widget_get_first_child (GTK_WIDGET (self->chooser_list));

  for (; child != NULL; child = backward ? gtk_widget_get_prev_sibling (child) : gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child) && chooser_filter (GTK_LIST_BOX_ROW (child), self))
      return GTK_LIST_BOX_ROW (child);

  return NULL;
}

static void
chooser_search_changed_cb (CwTranscriptView *self)
{
  gtk_list_box_invalidate_filter (self->chooser_list);
  gtk_list_box_select_row (self->chooser_list, first_visible_row (self, NULL, FALSE));
}

static void
choose_row (CwTranscriptView *self,
            GtkListBoxRow    *row)
{
  gint64 id;

  if (row == NULL)
    return;

  id = row_code_id (row);
  gtk_popover_popdown (GTK_POPOVER (self->chooser));
  _cw_transcript_view_code_selection (self, id, self->chooser_snap);
}

static void
chooser_activate_cb (CwTranscriptView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->chooser_list);

  if (row == NULL || !chooser_filter (row, self))
    row = first_visible_row (self, NULL, FALSE);
  choose_row (self, row);
}

static void
chooser_row_activated_cb (CwTranscriptView *self,
                          GtkListBoxRow    *row)
{
  choose_row (self, row);
}

/* Up and Down in the entry move through the codes; typing stays there. */
static gboolean
chooser_key_pressed_cb (CwTranscriptView *self,
                        guint             keyval,
                        guint             keycode,
                        GdkModifierType   state)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->chooser_list);
  GtkListBoxRow *next;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_Up && keyval != GDK_KEY_KP_Down && keyval != GDK_KEY_KP_Up)
    return FALSE;

  next = first_visible_row (self, row, keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up);
  if (next != NULL)
    {
      gtk_list_box_select_row (self->chooser_list, next);
      gtk_widget_grab_focus (self->chooser_entry);
    }
  return TRUE;
}

static void
fill_chooser (CwTranscriptView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chooser_list))) != NULL)
    gtk_list_box_remove (self->chooser_list, child);

  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (self->codes, i);
      GtkWidget *row, *box, *swatch, *label;

      if (!code->codable)
        continue;

      row = gtk_list_box_row_new ();
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      swatch = cw_code_swatch_new ();
      label = gtk_label_new (code->name);
      cw_code_swatch_set_color (swatch, code->color, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), swatch);
      gtk_box_append (GTK_BOX (box), label);
      /* Where it sits in the codebook, quietly. */
      if (code->depth > 0 && strrchr (code->path, '/') != NULL)
        {
          g_autofree char *parent = g_strndup (code->path, strrchr (code->path, '/') - code->path);
          GtkWidget *parent_label = gtk_label_new (parent);

          gtk_label_set_ellipsize (GTK_LABEL (parent_label), PANGO_ELLIPSIZE_START);
          gtk_label_set_max_width_chars (GTK_LABEL (parent_label), 16);
          gtk_widget_add_css_class (parent_label, "dim-label");
          gtk_widget_add_css_class (parent_label, "caption");
          gtk_box_append (GTK_BOX (box), parent_label);
        }
      for (guint k = 0; self->quick_keys != NULL && k < self->quick_keys->len; k++)
        if (g_array_index (self->quick_keys, gint64, k) == code->id)
          {
            g_autofree char *key = g_strdup_printf ("%u", k + 1);
            GtkWidget *key_label = gtk_label_new (key);

            gtk_widget_add_css_class (key_label, "cw-quick-key");
            gtk_box_append (GTK_BOX (box), key_label);
          }
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "cw-code-id", g_memdup2 (&code->id, sizeof code->id), g_free);
      g_object_set_data_full (G_OBJECT (row), "cw-folded-path", g_utf8_casefold (code->path, -1), g_free);
      gtk_list_box_append (self->chooser_list, row);
    }
}

static void
open_chooser (CwTranscriptView *self,
              gboolean          snap)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;
  GdkRectangle rect;
  int x, y;

  if (self->document == NULL)
    return;

  self->chooser_snap = snap;
  fill_chooser (self);
  gtk_editable_set_text (GTK_EDITABLE (self->chooser_entry), "");
  gtk_list_box_invalidate_filter (self->chooser_list);
  gtk_list_box_select_row (self->chooser_list, first_visible_row (self, NULL, FALSE));

  /* Below the selection's end, where the eye is. */
  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self), &end, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x, rect.y, &x, &y);
  rect.x = x;
  rect.y = y;
  rect.width = MAX (rect.width, 1);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->chooser), &rect);
  gtk_popover_popup (GTK_POPOVER (self->chooser));
  gtk_widget_grab_focus (self->chooser_entry);
}

void
_cw_transcript_view_open_code_chooser (CwTranscriptView *self)
{
  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  open_chooser (self, TRUE);
}

static void
build_chooser (CwTranscriptView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->chooser = gtk_popover_new ();
  gtk_widget_add_css_class (self->chooser, "cw-code-chooser");
  gtk_popover_set_position (GTK_POPOVER (self->chooser), GTK_POS_BOTTOM);

  self->chooser_entry = gtk_search_entry_new ();
  g_object_set (self->chooser_entry, "placeholder-text", _("Code the selection with…"), NULL);
  g_signal_connect_swapped (self->chooser_entry, "search-changed", G_CALLBACK (chooser_search_changed_cb), self);
  g_signal_connect_swapped (self->chooser_entry, "activate", G_CALLBACK (chooser_activate_cb), self);
  g_signal_connect_swapped (self->chooser_entry, "stop-search", G_CALLBACK (gtk_popover_popdown), self->chooser);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (chooser_key_pressed_cb), self);
  gtk_widget_add_controller (self->chooser_entry, keys);

  self->chooser_list = GTK_LIST_BOX (list);
  gtk_list_box_set_filter_func (self->chooser_list, chooser_filter, self, NULL);
  gtk_list_box_set_activate_on_single_click (self->chooser_list, TRUE);
  gtk_widget_add_css_class (list, "navigation-sidebar");
  g_signal_connect_swapped (list, "row-activated", G_CALLBACK (chooser_row_activated_cb), self);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_widget_set_size_request (box, 340, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);

  gtk_box_append (GTK_BOX (box), self->chooser_entry);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_popover_set_child (GTK_POPOVER (self->chooser), box);
  gtk_widget_set_parent (self->chooser, GTK_WIDGET (self));
}

/* Quick keys: 1 to 9 code the selection with a pinned code, Ctrl+Space
 * opens the code chooser; Alt keeps the selection exactly as it is. */
static gboolean
key_pressed_cb (CwTranscriptView *self,
                guint             keyval,
                guint             keycode,
                GdkModifierType   state)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  gboolean snap = (mods & GDK_ALT_MASK) == 0;
  guint n = 0;

  if (self->document == NULL)
    return FALSE;

  if (keyval == GDK_KEY_space && (mods & ~GDK_ALT_MASK) == GDK_CONTROL_MASK)
    {
      open_chooser (self, snap);
      return TRUE;
    }

  if ((mods & ~GDK_ALT_MASK) != 0)
    return FALSE;
  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    n = keyval - GDK_KEY_1 + 1;
  else if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    n = keyval - GDK_KEY_KP_1 + 1;
  if (n == 0 || self->quick_keys == NULL || n > self->quick_keys->len)
    return FALSE;

  _cw_transcript_view_code_selection (self, g_array_index (self->quick_keys, gint64, n - 1), snap);
  return TRUE;
}

static void
cw_transcript_view_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (widget);

  GTK_WIDGET_CLASS (cw_transcript_view_parent_class)->size_allocate (widget, width, height, baseline);
  if (self->chooser != NULL)
    gtk_popover_present (GTK_POPOVER (self->chooser));
}

/* For the window and the tests */

CwCodingStripes *
_cw_transcript_view_get_stripes (CwTranscriptView *self)
{
  return CW_CODING_STRIPES (self->stripes);
}

GtkDropTarget *
_cw_transcript_view_get_drop_target (CwTranscriptView *self)
{
  return self->drop_target;
}

GtkPopover *
_cw_transcript_view_get_code_chooser (CwTranscriptView *self)
{
  return GTK_POPOVER (self->chooser);
}

GtkEditable *
_cw_transcript_view_get_chooser_entry (CwTranscriptView *self)
{
  return GTK_EDITABLE (self->chooser_entry);
}

guint
_cw_transcript_view_get_n_coding_tags (CwTranscriptView *self)
{
  return g_hash_table_size (self->coding_tags);
}

GtkTextTag *
_cw_transcript_view_get_coding_tag_at (CwTranscriptView *self,
                                       gint64            offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GSList) tags = NULL;
  GtkTextIter iter;
  GHashTableIter hash_iter;
  gpointer value;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      g_hash_table_iter_init (&hash_iter, self->coding_tags);
      while (g_hash_table_iter_next (&hash_iter, NULL, &value))
        if (value == l->data)
          return l->data;
    }
  return NULL;
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
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->chooser, gtk_widget_unparent);
  self->gutter = NULL;
  self->stripes = NULL;

  G_OBJECT_CLASS (cw_transcript_view_parent_class)->dispose (object);
}

static void
cw_transcript_view_finalize (GObject *object)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (object);

  g_hash_table_unref (self->speaker_tags);
  g_clear_pointer (&self->speaker_colors, g_hash_table_unref);
  g_array_unref (self->matches);
  g_clear_pointer (&self->quick_keys, g_array_unref);
  g_hash_table_unref (self->coding_tags);

  G_OBJECT_CLASS (cw_transcript_view_parent_class)->finalize (object);
}

static void
cw_transcript_view_class_init (CwTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_transcript_view_dispose;
  object_class->finalize = cw_transcript_view_finalize;
  widget_class->size_allocate = cw_transcript_view_size_allocate;

  /**
   * CwTranscriptView::code-requested:
   * @code_id: the code
   * @snap: whether to snap the selection to whole words
   *
   * The user chose a code for the selection (quick key, code chooser, or a
   * code dropped on the text).
   */
  signals[CODE_REQUESTED] =
    g_signal_new ("code-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);
  /**
   * CwTranscriptView::remove-coding:
   * @coding_id: the coding
   *
   * The user chose to remove a coding (in the stripes' menu).
   */
  signals[REMOVE_CODING] =
    g_signal_new ("remove-coding", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_css_name (widget_class, "textview");
}

static void
cw_transcript_view_init (CwTranscriptView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);

  GtkEventController *keys;

  self->speaker_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->coding_tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->quick_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
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

  self->stripes = cw_coding_stripes_new (view);
  gtk_text_view_set_gutter (view, GTK_TEXT_WINDOW_RIGHT, self->stripes);
  g_signal_connect_swapped (self->stripes, "coding-activated", G_CALLBACK (coding_activated_cb), self);
  g_signal_connect_swapped (self->stripes, "remove-coding", G_CALLBACK (remove_coding_cb), self);

  self->drop_target = gtk_drop_target_new (CW_TYPE_CODE_ITEM, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  g_signal_connect_swapped (self->drop_target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  build_chooser (self);

  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (update_colors), self);

  cw_transcript_view_set_document (self, NULL);
}

GtkWidget *
cw_transcript_view_new (void)
{
  return g_object_new (CW_TYPE_TRANSCRIPT_VIEW, NULL);
}
