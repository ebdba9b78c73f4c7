/* cw-transcript-view.c: a view of one transcript, read-only unless in
 * edit mode (see "Editing the text" and "Spell checking" below).
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
#include "cw-edit.h"
#include "cw-media.h"
#include "cw-spell.h"
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
  GHashTable    *coding_tags;  /* "id#colour,id#colour,..." -> GtkTextTag (borrowed from the table) */
  GtkTextTag    *selected_tag;
  gboolean       overlays_low; /* coding tags made since the overlays were raised */
  gint64         selected_coding;
  GtkWidget     *chooser;      /* GtkPopover: choose a code by name */
  gboolean       chooser_snap;

  /* Editing the text (edit mode) */
  CwProject     *project;
  gboolean       editing;
  gboolean       in_burst;
  guint          burst_timeout;
  guint          applying;     /* > 0: the view itself changes the buffer */
  guint          own_edit;     /* > 0: inside our own cw_project_edit_text */

  /* Spell checking */
  char          *language;     /* "nl" or "en"; NULL without a document */
  GtkTextTag    *spell_tag;
  GCancellable  *spell_cancellable;
  guint          spell_generation; /* bumped by every change of the text */
  guint          spell_restart;
  gboolean       spell_ready;  /* the language's dictionary is loaded */
  Range          pending_word; /* a word being typed, checked once left */
  GMenu         *spell_menu;   /* suggestions, word list, ignore */
  GtkWidget     *spell_popover; /* GtkPopoverMenu of spell_menu */
  GHashTable    *word_set;     /* the project word list */
  char          *menu_word;
  GCancellable  *suggest_cancellable; /* suggestions on their way */
  Range          menu_range;

  /* Playing the recording */
  GtkTextTag    *playing_tag;  /* the turn being heard */
  int            playing_turn; /* its index, -1: none */
  Range          playing_range;
  GtkAdjustment *follow_adjustment;
  guint          following;    /* > 0: the view itself scrolls to the turn */
  gint64         user_scrolled_at; /* monotonic time of a scroll not ours */
  gint64         loaded_at;    /* monotonic time the document was shown */
};

enum {
  PROP_0,
  PROP_EDITING,
  PROP_CAN_EDIT,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CODE_REQUESTED,
  REMOVE_CODING,
  MESSAGE,
  UNDOABLE_MESSAGE,
  PLAY_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CwTranscriptView, cw_transcript_view, GTK_TYPE_TEXT_VIEW)

static void stop_scrolling      (CwTranscriptView *self);
static void ensure_overlays_on_top (CwTranscriptView *self);
static void apply_codings       (CwTranscriptView *self);
static void spell_cursor_moved  (CwTranscriptView *self,
                                 const GtkTextIter *location);
static void spell_reset         (CwTranscriptView *self);
static void load_language       (CwTranscriptView *self);
static void reload_text         (CwTranscriptView *self,
                                 char             *text);
static void refresh_word_set    (CwTranscriptView *self);
static void emit_error          (CwTranscriptView *self,
                                 const GError     *error);
static void spell_start         (CwTranscriptView *self);
static void insert_text_cb      (CwTranscriptView *self,
                                 GtkTextIter      *location,
                                 const char       *text,
                                 int               len,
                                 GtkTextBuffer    *buffer);
static void delete_range_cb     (CwTranscriptView *self,
                                 GtkTextIter      *start,
                                 GtkTextIter      *end,
                                 GtkTextBuffer    *buffer);

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

  if (self->spell_tag != NULL)
    {
      GdkRGBA red;

      gdk_rgba_parse (&red, dark ? "#ff7b63" : "#e01b24");
      g_object_set (self->spell_tag, "underline-rgba", &red, NULL);
    }

  /* The turn being heard: a quiet wash of the accent colour, under the
   * codings' colours, readable on either background. */
  if (self->playing_tag != NULL)
    {
      GdkRGBA wash;

      gdk_rgba_parse (&wash, dark ? "rgba(120,174,237,0.16)" : "rgba(53,132,228,0.12)");
      g_object_set (self->playing_tag, "paragraph-background-rgba", &wash, NULL);
    }

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

/* The labels of the turns that start in [from, to]. */
static void
tag_speaker_labels_in (CwTranscriptView *self,
                       GtkTextBuffer    *buffer,
                       gint64            from,
                       gint64            to)
{
  GPtrArray *turns = self->document->turns;

  for (guint i = 0; turns != NULL && i < turns->len; i++)
    {
      const CwTurn *turn = g_ptr_array_index (turns, i);
      g_autofree char *label = NULL;
      GtkTextIter line_start, start;

      if (turn->speaker == NULL || turn->speaker[0] == '\0' || turn->start < from || turn->start > to)
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

/* Underlines coding (one of self->codings) in its code's colour. */
static void
mark_selected_coding (CwTranscriptView *self,
                      const CwCoding   *coding)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;
  GdkRGBA color;

  self->selected_coding = coding->id;
  cw_code_parse_color (coding->color, 1.0, &color);
  g_object_set (self->selected_tag, "underline-rgba", &color, NULL);
  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) coding->start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) coding->end);
  ensure_overlays_on_top (self);
  gtk_text_buffer_apply_tag (buffer, self->selected_tag, &start, &end);
  cw_coding_stripes_set_selected (CW_CODING_STRIPES (self->stripes), coding->id);
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

  if (mark != gtk_text_buffer_get_insert (buffer))
    return;
  spell_cursor_moved (self, location);
  if (self->selected_coding == 0)
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

  /* The last keystrokes in the old document are one undo step. */
  cw_transcript_view_end_edit_burst (self);
  spell_reset (self);
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
  self->spell_tag = gtk_text_buffer_create_tag (buffer, "misspelled",
                                                "underline", PANGO_UNDERLINE_ERROR,
                                                NULL);
  self->playing_tag = gtk_text_buffer_create_tag (buffer, "playing-turn", NULL);
  self->playing_turn = -1;
  self->playing_range = (Range) { -1, -1 };
  self->loaded_at = g_get_monotonic_time ();
  g_signal_connect_object (buffer, "mark-set", G_CALLBACK (mark_set_cb), self, G_CONNECT_SWAPPED);
  /* Before the buffer's own handlers: every change goes through the core
   * first, and is refused when the core refuses it. */
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (insert_text_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "delete-range", G_CALLBACK (delete_range_cb), self, G_CONNECT_SWAPPED);
  update_colors (self);

  if (document != NULL)
    {
      /* Loading is not editing. */
      self->applying++;
      gtk_text_buffer_set_text (buffer, document->text, -1);
      self->applying--;
      tag_speaker_labels_in (self, buffer, 0, G_MAXINT);
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

  /* Edit mode lasts from document to document, but not into none. */
  if (document == NULL || self->project == NULL)
    cw_transcript_view_set_editing (self, FALSE);
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self), self->editing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_EDIT]);
  load_language (self);
  spell_start (self);
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
      ensure_overlays_on_top (self);
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
  ensure_overlays_on_top (self);
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

/* Marks the tags that show codings (the values of coding_tags). */
static GQuark
coding_tag_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("cw-coding-tag");
  return quark;
}

static gboolean
is_coding_tag (gpointer tag)
{
  return g_object_get_qdata (G_OBJECT (tag), coding_tag_quark ()) != NULL;
}

/* Beyond this many characters, a range loses every coding tag at once
 * rather than looking first which of them are there. */
#define FIND_TAGS_MAX_CHARS 20000

/* Takes the codings' backgrounds off [start, end). In a short range only
 * the tags found there are removed: every removal walks the tag's toggles
 * and asks for a redraw, and a document has hundreds of coding tags (one
 * per set of overlapping codes), of which a sentence has a few. */
static void
remove_coding_tags (CwTranscriptView  *self,
                    GtkTextBuffer     *buffer,
                    const GtkTextIter *start,
                    const GtkTextIter *end)
{
  g_autoptr(GPtrArray) found = NULL;
  GtkTextIter iter = *start;
  GSList *tags;

  if (gtk_text_iter_get_offset (end) - gtk_text_iter_get_offset (start) > FIND_TAGS_MAX_CHARS)
    {
      GHashTableIter hash_iter;
      gpointer tag;

      g_hash_table_iter_init (&hash_iter, self->coding_tags);
      while (g_hash_table_iter_next (&hash_iter, NULL, &tag))
        gtk_text_buffer_remove_tag (buffer, tag, start, end);
      return;
    }

  found = g_ptr_array_new ();
  /* The tags on at the start, then each one that starts inside. */
  tags = gtk_text_iter_get_tags (&iter);
  do
    {
      for (GSList *l = tags; l != NULL; l = l->next)
        if (is_coding_tag (l->data) && !g_ptr_array_find (found, l->data, NULL))
          g_ptr_array_add (found, l->data);
      g_slist_free (tags);
      tags = NULL;
      if (!gtk_text_iter_forward_to_tag_toggle (&iter, NULL) || gtk_text_iter_compare (&iter, end) >= 0)
        break;
      tags = gtk_text_iter_get_toggled_tags (&iter, TRUE);
    }
  while (TRUE);

  for (guint i = 0; i < found->len; i++)
    gtk_text_buffer_remove_tag (buffer, g_ptr_array_index (found, i), start, end);
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
  /* The colours are part of the key: a recoloured code gets a new tag. */
  for (guint i = 0; i < ids->len; i++)
    {
      const char *color = g_hash_table_lookup (colors, &g_array_index (ids, gint64, i));

      g_string_append_printf (key, "%s%" G_GINT64_FORMAT "%s", i > 0 ? "," : "", g_array_index (ids, gint64, i),
                              color != NULL ? color : "");
    }

  tag = g_hash_table_lookup (self->coding_tags, key->str);
  if (tag == NULL)
    {
      GdkRGBA color;

      blend_colors (ids, colors, is_dark () ? CODING_ALPHA_DARK : CODING_ALPHA_LIGHT, &color);
      /* Priorities are put right once all tags exist (raise_overlay_tags):
       * setting each new tag's priority here would shuffle the whole table
       * every time. */
      tag = gtk_text_buffer_create_tag (buffer, NULL, "background-rgba", &color, NULL);
      g_object_set_qdata (G_OBJECT (tag), coding_tag_quark (), GINT_TO_POINTER (TRUE));
      g_hash_table_insert (self->coding_tags, g_strdup (key->str), tag);
    }

  return tag;
}

/* The search highlights and the selected coding's underline stay above the
 * codings' backgrounds. A tag's new priority redraws the whole text (GTK
 * lays out every line on screen again): so they are raised only when they
 * are about to show, not for each new set of codes while coding. */
static void
raise_overlay_tags (CwTranscriptView *self,
                    GtkTextBuffer    *buffer)
{
  int top = gtk_text_tag_table_get_size (gtk_text_buffer_get_tag_table (buffer)) - 1;

  self->overlays_low = FALSE;
  gtk_text_tag_set_priority (self->match_tag, top);
  gtk_text_tag_set_priority (self->current_tag, top);
  gtk_text_tag_set_priority (self->selected_tag, top);
}

/* Before the overlays are applied. */
static void
ensure_overlays_on_top (CwTranscriptView *self)
{
  if (self->overlays_low)
    raise_overlay_tags (self, gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)));
}

/* Colours the coded text in [from, to): one tag per set of overlapping
 * codes. Tags are kept for the document's lifetime and only their ranges
 * change: taking a tag out of the table walks the whole buffer. Every
 * coding takes part in the sweep (cheap), but only the range is retagged,
 * so that an edit or one new coding does not repaint a whole document. */
static void
apply_codings_range (CwTranscriptView *self,
                     gint64            from,
                     gint64            to)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GArray) events = NULL;
  g_autoptr(GHashTable) active = NULL;
  g_autoptr(GHashTable) colors = NULL;
  GtkTextIter range_start, range_end;
  gint64 length, previous;
  guint n_tags = g_hash_table_size (self->coding_tags);

  length = gtk_text_buffer_get_char_count (buffer);
  from = CLAMP (from, 0, length);
  to = CLAMP (to, from, length);
  gtk_text_buffer_get_iter_at_offset (buffer, &range_start, (int) from);
  gtk_text_buffer_get_iter_at_offset (buffer, &range_end, (int) to);
  remove_coding_tags (self, buffer, &range_start, &range_end);

  if (self->codings == NULL || self->codings->len == 0 || self->document == NULL || from >= to)
    return;

  events = g_array_sized_new (FALSE, FALSE, sizeof (Event), self->codings->len * 2);
  colors = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < self->codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (self->codings, i);
      Event start = { CLAMP (coding->start, 0, length), coding->code_id, +1 };
      Event end = { CLAMP (coding->end, 0, length), coding->code_id, -1 };

      if (start.offset >= end.offset || end.offset <= from || start.offset >= to)
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
      gint64 a = MAX (previous, from), b = MIN (offset, to);

      if (a < b && g_hash_table_size (active) > 0)
        {
          GtkTextIter start, end;

          gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) a);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) b);
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
    {
      /* Search hits on show must stay above the new backgrounds now (the
       * selected coding's underline is no background: it may wait). */
      self->overlays_low = TRUE;
      if (self->matches->len > 0)
        raise_overlay_tags (self, buffer);
    }
}

static void
apply_codings (CwTranscriptView *self)
{
  apply_codings_range (self, 0, G_MAXINT);
}

static gboolean
same_coding (const CwCoding *a,
             const CwCoding *b)
{
  return a->start == b->start && a->end == b->end && a->code_id == b->code_id &&
         g_strcmp0 (a->color, b->color) == 0;
}

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const Range *ra = a, *rb = b;

  return ra->start < rb->start ? -1 : ra->start > rb->start ? 1 : 0;
}

/* The ranges (merged, in order) whose colouring differs between the
 * codings shown and codings: where a coding came, went or changed. */
static GArray *
changed_ranges (GPtrArray *old,
                GPtrArray *codings)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  GArray *merged = g_array_new (FALSE, FALSE, sizeof (Range));

  for (guint i = 0; old != NULL && i < old->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (old, i);

      g_hash_table_insert (by_id, &coding->id, coding);
    }
  for (guint i = 0; codings != NULL && i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);
      CwCoding *before = g_hash_table_lookup (by_id, &coding->id);
      Range range = { coding->start, coding->end };

      if (before != NULL)
        {
          g_hash_table_remove (by_id, &coding->id);
          if (same_coding (before, coding))
            continue;
          g_array_append_val (ranges, ((Range) { before->start, before->end }));
        }
      g_array_append_val (ranges, range);
    }
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, by_id);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        CwCoding *gone = value;

        g_array_append_val (ranges, ((Range) { gone->start, gone->end }));
      }
  }

  g_array_sort (ranges, compare_ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      Range range = g_array_index (ranges, Range, i);
      Range *last = merged->len > 0 ? &g_array_index (merged, Range, merged->len - 1) : NULL;

      if (last != NULL && range.start <= last->end)
        last->end = MAX (last->end, range.end);
      else
        g_array_append_val (merged, range);
    }
  return merged;
}

/* Shows codings and repaints only where they differ from those shown. */
static void
update_codings (CwTranscriptView *self,
                GPtrArray        *codings)
{
  g_autoptr(GPtrArray) old = self->codings;
  g_autoptr(GArray) ranges = NULL;

  self->codings = codings != NULL ? g_ptr_array_ref (codings) : NULL;
  ranges = changed_ranges (old, codings);
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *range = &g_array_index (ranges, Range, i);

      apply_codings_range (self, range->start, range->end);
    }
}

void
cw_transcript_view_set_codings (CwTranscriptView *self,
                                GPtrArray        *codings)
{
  gint64 selected;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  /* During an edit of our own the window reads codings for a text the
   * buffer has not taken yet; after_edit reads them again itself. */
  if (self->own_edit > 0)
    return;

  update_codings (self, codings);
  cw_coding_stripes_set_codings (CW_CODING_STRIPES (self->stripes), codings);

  /* The selected coding stays selected while it exists. */
  selected = self->selected_coding;
  clear_selected_coding (self);
  if (selected != 0 && find_coding (self, selected) != NULL)
    mark_selected_coding (self, find_coding (self, selected));
}

/* Where coding goes in codings (by start, end, id), as listed. */
static guint
coding_position (GPtrArray      *codings,
                 const CwCoding *coding)
{
  guint low = 0, high = codings->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      const CwCoding *other = g_ptr_array_index (codings, middle);
      int cmp = other->start != coding->start ? (other->start < coding->start ? -1 : 1)
                : other->end != coding->end ? (other->end < coding->end ? -1 : 1)
                : other->id != coding->id ? (other->id < coding->id ? -1 : 1) : 0;

      if (cmp < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

static void
add_range (GArray *ranges,
           gint64  start,
           gint64  end)
{
  Range range = { start, end };

  g_array_append_val (ranges, range);
}

void
_cw_transcript_view_update_codings (CwTranscriptView *self,
                                    GArray           *ids,
                                    GPtrArray        *codings)
{
  g_autoptr(GArray) ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  g_autoptr(GArray) merged = g_array_new (FALSE, FALSE, sizeof (Range));
  gboolean selected_changed = FALSE;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (ids != NULL && codings != NULL);

  if (self->own_edit > 0 || self->document == NULL)
    return;
  if (self->codings == NULL)
    self->codings = g_ptr_array_new_with_free_func ((GDestroyNotify) cw_coding_free);

  /* The array is changed in place (the stripes share it): the rest of a
   * document's 2,000 codings stay as they are. */
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (id == self->selected_coding)
        selected_changed = TRUE;
      for (guint k = 0; k < self->codings->len; k++)
        {
          CwCoding *old = g_ptr_array_index (self->codings, k);

          if (old->id != id)
            continue;
          add_range (ranges, old->start, old->end);
          g_ptr_array_remove_index (self->codings, k);
          break;
        }
    }
  for (guint i = 0; i < codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (codings, i);

      if (coding->id == self->selected_coding)
        selected_changed = TRUE;
      add_range (ranges, coding->start, coding->end);
      g_ptr_array_insert (self->codings, (int) coding_position (self->codings, coding), coding);
    }
  /* Taken: emptied without freeing them. */
  g_free (g_ptr_array_steal (codings, NULL));

  g_array_sort (ranges, compare_ranges);
  for (guint i = 0; i < ranges->len; i++)
    {
      Range range = g_array_index (ranges, Range, i);
      Range *last = merged->len > 0 ? &g_array_index (merged, Range, merged->len - 1) : NULL;

      if (last != NULL && range.start <= last->end)
        last->end = MAX (last->end, range.end);
      else
        g_array_append_val (merged, range);
    }
  for (guint i = 0; i < merged->len; i++)
    apply_codings_range (self, g_array_index (merged, Range, i).start, g_array_index (merged, Range, i).end);
  cw_coding_stripes_set_codings (CW_CODING_STRIPES (self->stripes), self->codings);

  /* The selected coding stays selected while it exists, with its colour
   * and range as they are now. */
  if (selected_changed)
    {
      gint64 selected = self->selected_coding;
      const CwCoding *coding;

      clear_selected_coding (self);
      coding = find_coding (self, selected);
      if (coding != NULL)
        mark_selected_coding (self, coding);
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
  ensure_overlays_on_top (self);
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

  /* No coding while editing: the text is not settled. */
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  if (self->document == NULL || self->editing || !gtk_text_buffer_get_selection_bounds (buffer, &s, &e))
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

  if (self->document == NULL || self->editing || code_id <= 0)
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

  if (self->editing || !G_VALUE_HOLDS (value, CW_TYPE_CODE_ITEM) || (item = g_value_get_object (value)) == NULL)
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

  if (self->document == NULL || self->editing)
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

static gboolean menu_key_pressed_cb (CwTranscriptView *self,
                                     guint             keyval,
                                     guint             keycode,
                                     GdkModifierType   state);

/* Quick keys: 1 to 9 code the selection with a pinned code, Ctrl+Space
 * opens the code chooser; Alt keeps the selection exactly as it is. The
 * Menu key on a misspelled word opens the spelling menu. */
static gboolean
key_pressed_cb (CwTranscriptView *self,
                guint             keyval,
                guint             keycode,
                GdkModifierType   state)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  gboolean snap = (mods & GDK_ALT_MASK) == 0;
  guint n = 0;

  if (menu_key_pressed_cb (self, keyval, keycode, state))
    return TRUE;

  /* In edit mode digits are text and Ctrl+Space is for input methods. */
  if (self->document == NULL || self->editing)
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
  if (self->spell_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->spell_popover));
}

/* Spell checking
 *
 * While editing, misspelled words get a red wavy underline. The whole
 * document is checked in a worker when editing starts (the dictionary is
 * loaded off the main thread first); after that each change re-checks only
 * the words it touched, here. The word being typed at the cursor is left
 * alone until the cursor leaves it. */

#define BURST_IDLE_MS 1000 /* a pause in typing that ends an edit burst */
#define SPELL_CHUNK 16384 /* characters a worker checks between cancellation checks */
#define MAX_SUGGESTIONS 6

static gboolean
spell_active (CwTranscriptView *self)
{
  return self->editing && self->document != NULL && self->project != NULL && self->language != NULL;
}

static void
spell_clear (CwTranscriptView *self,
             gint64            from,
             gint64            to)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;

  if (self->spell_tag == NULL)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) from);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) to);
  gtk_text_buffer_remove_tag (buffer, self->spell_tag, &start, &end);
}

static void
spell_reset (CwTranscriptView *self)
{
  if (self->spell_cancellable != NULL)
    {
      g_cancellable_cancel (self->spell_cancellable);
      g_clear_object (&self->spell_cancellable);
    }
  g_clear_handle_id (&self->spell_restart, g_source_remove);
  self->pending_word = (Range) { -1, -1 };
  spell_clear (self, 0, G_MAXINT);
}

static void
spell_tag_ranges (CwTranscriptView *self,
                  GArray           *ranges,
                  gint64            skip_end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));

  for (guint i = 0; ranges != NULL && i < ranges->len; i++)
    {
      const CwSpellRange *range = &g_array_index (ranges, CwSpellRange, i);
      GtkTextIter start, end;

      if (range->end == skip_end)
        {
          self->pending_word = (Range) { range->start, range->end };
          continue;
        }
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) range->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) range->end);
      gtk_text_buffer_apply_tag (buffer, self->spell_tag, &start, &end);
    }
}

static gboolean
is_word_boundary (gunichar c)
{
  return g_unichar_isspace (c) || c == 0;
}

/* Re-checks the words in [from, to), grown to whole words. With
 * skip_typed, a misspelling ending at the cursor is the word being typed:
 * remembered, not underlined. */
static void
spell_check_range (CwTranscriptView *self,
                   gint64            from,
                   gint64            to,
                   gboolean          skip_typed)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GArray) ranges = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end, cursor;
  gint64 skip_end = -1;

  if (!spell_active (self) || !cw_spell_checker_is_loaded (cw_spell_checker_get_default (), self->language))
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) from);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) to);
  /* Whole words: out to white space, a line at most. */
  for (int n = 0; n < 200 && !gtk_text_iter_starts_line (&start); n++)
    {
      GtkTextIter before = start;

      gtk_text_iter_backward_char (&before);
      if (is_word_boundary (gtk_text_iter_get_char (&before)))
        break;
      start = before;
    }
  for (int n = 0; n < 200 && !gtk_text_iter_is_end (&end) && !is_word_boundary (gtk_text_iter_get_char (&end)); n++)
    gtk_text_iter_forward_char (&end);

  from = gtk_text_iter_get_offset (&start);
  to = gtk_text_iter_get_offset (&end);
  spell_clear (self, from, to);
  if (from >= to)
    return;

  if (skip_typed)
    {
      gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
      if (gtk_text_view_get_editable (GTK_TEXT_VIEW (self)) &&
          gtk_text_iter_get_offset (&cursor) == to)
        skip_end = to;
    }

  text = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
  ranges = cw_spell_find_misspellings (cw_spell_checker_get_default (), self->word_set,
                                       self->language, text, 0, -1);
  for (guint i = 0; i < ranges->len; i++)
    {
      g_array_index (ranges, CwSpellRange, i).start += from;
      g_array_index (ranges, CwSpellRange, i).end += from;
    }
  spell_tag_ranges (self, ranges, skip_end);
}

static void
spell_check_edit (CwTranscriptView *self,
                  gint64            start,
                  gint64            end)
{
  spell_check_range (self, start, end, TRUE);
}

static void
spell_cursor_moved (CwTranscriptView  *self,
                    const GtkTextIter *location)
{
  gint64 offset = gtk_text_iter_get_offset (location);
  Range word = self->pending_word;

  /* The cursor moves with our own insertions: after_edit sees to those. */
  if (self->applying > 0 || word.start < 0)
    return;
  if (offset >= word.start && offset <= word.end)
    return;

  self->pending_word = (Range) { -1, -1 };
  spell_check_range (self, word.start, word.end, FALSE);
}

/* The whole document, in a worker */

/* Workers hold the view weakly: a closed window goes at once, and what
 * comes back for it is dropped. */
static GWeakRef *
weak_ref_new (gpointer object)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, object);
  return ref;
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

typedef struct
{
  GWeakRef   view;
  char      *text;
  char      *language;
  GHashTable *words; /* the project's word list, shared read-only */
  guint      generation;
} SpellJob;

static void
spell_job_free (SpellJob *job)
{
  g_weak_ref_clear (&job->view);
  g_free (job->text);
  g_free (job->language);
  g_clear_pointer (&job->words, g_hash_table_unref);
  g_free (job);
}

static void
spell_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SpellJob *job = task_data;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (CwSpellRange));
  const char *p = job->text;
  gint64 offset = 0;

  /* In chunks cut at white space, looking for cancellation in between. */
  while (*p != '\0')
    {
      const char *q = p;
      g_autoptr(GArray) ranges = NULL;
      g_autofree char *chunk = NULL;
      gint64 n = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, NULL))
        break;
      while (*q != '\0' && (n < SPELL_CHUNK || !g_unichar_isspace (g_utf8_get_char (q))))
        {
          q = g_utf8_next_char (q);
          n++;
        }
      chunk = g_strndup (p, q - p);
      ranges = cw_spell_find_misspellings (cw_spell_checker_get_default (), job->words,
                                           job->language, chunk, 0, -1);
      for (guint i = 0; i < ranges->len; i++)
        {
          CwSpellRange range = g_array_index (ranges, CwSpellRange, i);

          range.start += offset;
          range.end += offset;
          g_array_append_val (all, range);
        }
      offset += n;
      p = q;
    }

  if (g_cancellable_is_cancelled (cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, g_steal_pointer (&all), (GDestroyNotify) g_array_unref);
}

static void
spell_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SpellJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(CwTranscriptView) self = g_weak_ref_get (&job->view);
  g_autoptr(GArray) ranges = g_task_propagate_pointer (G_TASK (result), NULL);

  if (ranges == NULL || self == NULL)
    return; /* cancelled: a newer check or none is wanted */

  g_clear_object (&self->spell_cancellable);
  if (job->generation != self->spell_generation)
    {
      /* Typed while it ran: its offsets are stale. Once typing pauses,
       * check again. */
      spell_start (self);
      return;
    }

  spell_clear (self, 0, G_MAXINT);
  self->pending_word = (Range) { -1, -1 };
  spell_tag_ranges (self, ranges, -1);
}

static void
spell_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CwTranscriptView) self = g_weak_ref_get (user_data);
  g_autoptr(GError) error = NULL;
  gboolean loaded = cw_spell_checker_load_finish (CW_SPELL_CHECKER (object), result, &error);

  weak_ref_free (user_data);
  if (self == NULL)
    return;
  if (!loaded)
    {
      static GHashTable *reported = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->spell_cancellable);
      /* Once per language and session: the app works on without it. */
      if (reported == NULL)
        reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (g_hash_table_add (reported, g_strdup (error->message)))
        emit_error (self, error);
      return;
    }

  g_clear_object (&self->spell_cancellable);
  spell_start (self);
}

static gboolean
spell_restart_cb (gpointer data)
{
  CwTranscriptView *self = data;

  self->spell_restart = 0;
  spell_start (self);
  return G_SOURCE_REMOVE;
}

static void
spell_start (CwTranscriptView *self)
{
  CwSpellChecker *checker = cw_spell_checker_get_default ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GTask) task = NULL;
  GtkTextIter start, end;
  SpellJob *job;

  if (!spell_active (self))
    return;

  if (self->spell_cancellable != NULL)
    g_cancellable_cancel (self->spell_cancellable);
  g_clear_object (&self->spell_cancellable);
  self->spell_cancellable = g_cancellable_new ();

  if (!cw_spell_checker_is_loaded (checker, self->language))
    {
      cw_spell_checker_load_async (checker, self->language, self->spell_cancellable,
                                   spell_loaded_cb, weak_ref_new (self));
      return;
    }

  /* A check while typing goes on would be stale at once: wait for a pause. */
  if (self->in_burst && self->burst_timeout != 0)
    {
      g_clear_handle_id (&self->spell_restart, g_source_remove);
      self->spell_restart = g_timeout_add (BURST_IDLE_MS / 2, spell_restart_cb, self);
      return;
    }

  job = g_new0 (SpellJob, 1);
  g_weak_ref_init (&job->view, self);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  job->text = gtk_text_buffer_get_slice (buffer, &start, &end, TRUE);
  job->language = g_strdup (self->language);
  job->words = self->word_set != NULL ? g_hash_table_ref (self->word_set) : NULL;
  job->generation = self->spell_generation;

  task = g_task_new (NULL, self->spell_cancellable, spell_checked_cb, NULL);
  g_task_set_source_tag (task, spell_start);
  g_task_set_task_data (task, job, (GDestroyNotify) spell_job_free);
  g_task_run_in_thread (task, spell_thread);
}

static void
refresh_word_set (CwTranscriptView *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->word_set, g_hash_table_unref);
  if (self->project == NULL)
    return;
  self->word_set = cw_project_get_word_set (self->project, &error);
  if (self->word_set == NULL)
    emit_error (self, error);
}

/* The document's language */

static void
load_language (CwTranscriptView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;

  if (self->document != NULL && self->project != NULL)
    {
      language = cw_project_get_document_language (self->project, self->document->info->id, &error);
      if (language == NULL)
        emit_error (self, error);
    }

  if (g_strcmp0 (language, self->language) != 0)
    {
      g_free (self->language);
      self->language = g_steal_pointer (&language);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
    }
}

const char *
cw_transcript_view_get_language (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), NULL);

  return self->language;
}

void
cw_transcript_view_set_language (CwTranscriptView *self,
                                 const char       *language)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (language != NULL);

  if (self->document == NULL || self->project == NULL || g_strcmp0 (language, self->language) == 0)
    return;

  self->own_edit++;
  if (!cw_project_set_document_language (self->project, self->document->info->id, language, &error))
    {
      self->own_edit--;
      emit_error (self, error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
      return;
    }
  self->own_edit--;

  g_free (self->language);
  self->language = g_strdup (language);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
  spell_reset (self);
  spell_start (self);
}

/* The context menu: suggestions, the word list, ignore */

/* Takes the underline off every occurrence of word (now accepted). */
static void
spell_accept_word (CwTranscriptView *self,
                   const char       *word)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter iter, end;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  while (gtk_text_iter_starts_tag (&iter, self->spell_tag) ||
         gtk_text_iter_forward_to_tag_toggle (&iter, self->spell_tag))
    {
      g_autofree char *text = NULL;

      if (!gtk_text_iter_starts_tag (&iter, self->spell_tag))
        continue; /* an end: go on to the next start */
      end = iter;
      gtk_text_iter_forward_to_tag_toggle (&end, self->spell_tag);
      text = gtk_text_iter_get_slice (&iter, &end);
      if (strcmp (text, word) == 0)
        gtk_text_buffer_remove_tag (buffer, self->spell_tag, &iter, &end);
      iter = end;
      if (gtk_text_iter_is_end (&iter))
        break;
    }
}

/* The suggestions replace the placeholder, the first section. */
static void
suggest_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(CwTranscriptView) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMenu) suggestions = NULL;
  g_auto(GStrv) words = cw_spell_checker_suggest_finish (CW_SPELL_CHECKER (source), result, &error);

  /* The view may be gone: it does not wait for Hunspell to close. */
  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->spell_menu == NULL ||
      g_menu_model_get_n_items (G_MENU_MODEL (self->spell_menu)) == 0)
    return;
  g_clear_object (&self->suggest_cancellable);

  suggestions = g_menu_new ();
  for (guint i = 0; words != NULL && words[i] != NULL && i < MAX_SUGGESTIONS; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (words[i], NULL);

      g_menu_item_set_action_and_target_value (item, "spell.replace", g_variant_new_string (words[i]));
      g_menu_append_item (suggestions, item);
    }
  if (words == NULL || words[0] == NULL)
    g_menu_append (suggestions, _("No Suggestions"), "spell.none");
  g_menu_remove (self->spell_menu, 0);
  g_menu_insert_section (self->spell_menu, 0, NULL, G_MENU_MODEL (suggestions));
}

/* Fills the spelling section for the misspelled word at iter, or empties
 * it when there is none. */
static void
prepare_spell_menu (CwTranscriptView  *self,
                    const GtkTextIter *iter)
{
  g_autoptr(GMenu) suggestions = NULL;
  g_autoptr(GMenu) actions = NULL;
  GtkTextIter start = *iter, end = *iter;
  GWeakRef *ref;

  g_cancellable_cancel (self->suggest_cancellable);
  g_clear_object (&self->suggest_cancellable);
  g_menu_remove_all (self->spell_menu);
  g_clear_pointer (&self->menu_word, g_free);
  if (self->spell_tag == NULL || !spell_active (self))
    return;
  if (!gtk_text_iter_has_tag (iter, self->spell_tag))
    {
      /* Right after the word, as a click past its end lands. */
      if (gtk_text_iter_is_start (&start) || !gtk_text_iter_backward_char (&start) ||
          !gtk_text_iter_has_tag (&start, self->spell_tag))
        return;
      end = start;
    }
  if (!gtk_text_iter_starts_tag (&start, self->spell_tag))
    gtk_text_iter_backward_to_tag_toggle (&start, self->spell_tag);
  gtk_text_iter_forward_to_tag_toggle (&end, self->spell_tag);

  self->menu_word = gtk_text_iter_get_slice (&start, &end);
  self->menu_range = (Range) { gtk_text_iter_get_offset (&start), gtk_text_iter_get_offset (&end) };

  /* Hunspell takes up to a tenth of a second to suggest for a long Dutch
   * compound: the menu opens at once and the suggestions follow. */
  suggestions = g_menu_new ();
  g_menu_append (suggestions, _("Looking for Suggestions…"), "spell.none");
  g_menu_append_section (self->spell_menu, NULL, G_MENU_MODEL (suggestions));

  actions = g_menu_new ();
  g_menu_append (actions, _("_Add to Project Word List"), "spell.add-word");
  g_menu_append (actions, _("_Ignore"), "spell.ignore");
  g_menu_append_section (self->spell_menu, NULL, G_MENU_MODEL (actions));

  self->suggest_cancellable = g_cancellable_new ();
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  cw_spell_checker_suggest_async (cw_spell_checker_get_default (), self->language, self->menu_word,
                                  self->suggest_cancellable, suggest_cb, ref);
}

/* Pops the spelling menu up under the word it was prepared for. */
static void
popup_spell_menu (CwTranscriptView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter start, end;
  GdkRectangle first, last, rect;
  int x, y;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) self->menu_range.start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) self->menu_range.end);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self), &start, &first);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self), &end, &last);
  rect = first;
  if (last.y == first.y)
    rect.width = MAX (last.x - first.x, 1);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x, rect.y, &x, &y);
  rect.x = x;
  rect.y = y;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->spell_popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->spell_popover));
}

/* A right-click on a misspelled word opens the spelling menu instead of
 * the text view's own. */
static void
context_pressed_cb (CwTranscriptView *self,
                    int               n_press,
                    double            x,
                    double            y,
                    GtkGestureClick  *gesture)
{
  GtkTextIter iter;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self), GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self), &iter, bx, by);
  prepare_spell_menu (self, &iter);
  if (self->menu_word == NULL)
    return;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_text_buffer_place_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)), &iter);
  popup_spell_menu (self);
}

/* Shift+F10 and the Menu key open the menu at the cursor. */
static gboolean
menu_key_pressed_cb (CwTranscriptView *self,
                     guint             keyval,
                     guint             keycode,
                     GdkModifierType   state)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  if (!(keyval == GDK_KEY_Menu && mods == 0) && !(keyval == GDK_KEY_F10 && mods == GDK_SHIFT_MASK))
    return FALSE;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  prepare_spell_menu (self, &iter);
  if (self->menu_word == NULL)
    return FALSE;
  popup_spell_menu (self);
  return TRUE;
}

static void
spell_replace_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (widget);
  const char *word = g_variant_get_string (parameter, NULL);

  if (self->menu_word == NULL)
    return;
  cw_transcript_view_replace_range (self, self->menu_range.start, self->menu_range.end, word);
  g_clear_pointer (&self->menu_word, g_free);
}

static void
spell_add_word_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *word = g_steal_pointer (&self->menu_word);
  gboolean ok;

  if (word == NULL || self->project == NULL)
    return;

  self->own_edit++;
  ok = cw_project_add_word (self->project, word, &error);
  self->own_edit--;
  if (!ok)
    {
      emit_error (self, error);
      return;
    }
  refresh_word_set (self);
  spell_accept_word (self, word);
}

static void
spell_ignore_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (widget);
  g_autofree char *word = g_steal_pointer (&self->menu_word);

  if (word == NULL)
    return;
  cw_spell_checker_ignore (cw_spell_checker_get_default (), word);
  spell_accept_word (self, word);
}

static void
spell_none_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
}

/* Editing the text
 *
 * In edit mode the buffer is editable, but no change reaches it on its
 * own: the "insert-text" and "delete-range" handlers stop the buffer's
 * emission, hand the change to cw_project_edit_text and, when the core
 * took it, make it in the buffer themselves. So the buffer is always the
 * stored text, and the core's offsets are the truth: after each change
 * the codings and turns are read back and only the part of the text where
 * they differ is coloured again. Keystrokes form an edit burst, one undo
 * step, that ends after a second without typing. */

static gboolean
burst_timeout_cb (gpointer data)
{
  CwTranscriptView *self = data;

  self->burst_timeout = 0;
  cw_transcript_view_end_edit_burst (self);
  return G_SOURCE_REMOVE;
}

static void
emit_error (CwTranscriptView *self,
            const GError     *error)
{
  g_signal_emit (self, signals[MESSAGE], 0, error->message);
}

void
cw_transcript_view_end_edit_burst (CwTranscriptView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  g_clear_handle_id (&self->burst_timeout, g_source_remove);
  if (!self->in_burst)
    return;

  self->in_burst = FALSE;
  self->own_edit++;
  if (!cw_project_end_edit_burst (self->project, &error))
    emit_error (self, error);
  self->own_edit--;
}

static gboolean
begin_burst (CwTranscriptView *self,
             GError          **error)
{
  g_clear_handle_id (&self->burst_timeout, g_source_remove);
  if (!self->in_burst)
    {
      gboolean ok;

      self->own_edit++;
      ok = cw_project_begin_edit_burst (self->project, self->document->info->id, NULL, error);
      self->own_edit--;
      if (!ok)
        return FALSE;
      self->in_burst = TRUE;
    }
  self->burst_timeout = g_timeout_add (BURST_IDLE_MS, burst_timeout_cb, self);
  return TRUE;
}

/* The speaker labels on the lines of [start, end), tagged again. */
static void
retag_speakers (CwTranscriptView *self,
                gint64            start,
                gint64            end)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkTextIter line_start, line_end;
  GHashTableIter iter;
  gpointer tag;

  gtk_text_buffer_get_iter_at_offset (buffer, &line_start, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &line_end, (int) end);
  gtk_text_iter_set_line_offset (&line_start, 0);
  if (!gtk_text_iter_ends_line (&line_end))
    gtk_text_iter_forward_to_line_end (&line_end);

  g_hash_table_iter_init (&iter, self->speaker_tags);
  while (g_hash_table_iter_next (&iter, NULL, &tag))
    gtk_text_buffer_remove_tag (buffer, tag, &line_start, &line_end);
  tag_speaker_labels_in (self, buffer,
                         gtk_text_iter_get_offset (&line_start),
                         gtk_text_iter_get_offset (&line_end));
}

/* The codings whose text the edit deleted, in a toast with Undo. */
static void
report_removed (CwTranscriptView   *self,
                const CwEditResult *result)
{
  g_autofree char *message = NULL;
  guint n = result != NULL ? result->removed->len : 0;

  if (n == 0)
    return;

  if (n == 1)
    {
      const CwRemovedCoding *removed = g_ptr_array_index (result->removed, 0);
      const char *name = removed->code != NULL && strrchr (removed->code, '/') != NULL
                         ? strrchr (removed->code, '/') + 1 : removed->code;

      /* Translators: a code's name; the coded text was deleted. */
      message = g_strdup_printf (_("Coding “%s” removed with its text"), name != NULL ? name : "");
    }
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u coding removed with its text",
                                            "%u codings removed with their text", n),
                               n);
  g_signal_emit (self, signals[UNDOABLE_MESSAGE], 0, message);
}

/* After the core and the buffer took a change of [start, old_end) into
 * n_chars characters: codings, turns, labels and spelling follow. */
static void
after_edit (CwTranscriptView *self,
            gint64            start,
            gint64            old_end,
            gint64            n_chars)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GArray) ranges = NULL;
  gint64 delta = n_chars - (old_end - start);
  gint64 id = self->document->info->id;
  Range edited = { start, start + n_chars };

  Range pending = self->pending_word;

  self->spell_generation++;
  self->pending_word = (Range) { -1, -1 };
  if (pending.start >= old_end)
    {
      pending.start += delta;
      pending.end += delta;
    }
  /* A word left unchecked while typed, and now edited away from: check it
   * (a change touching it checks it below anyway). */
  if (pending.start >= 0 && (pending.end < start || pending.start > start + n_chars))
    spell_check_range (self, pending.start, pending.end, FALSE);

  /* What the buffer did on its own: the text after the change moved.
   * Shifting the shown codings the same way leaves, in the comparison
   * below, only those whose colouring really changed. */
  for (guint i = 0; self->codings != NULL && i < self->codings->len; i++)
    {
      CwCoding *coding = g_ptr_array_index (self->codings, i);

      if (coding->start >= old_end)
        {
          coding->start += delta;
          coding->end += delta;
        }
    }

  codings = cw_project_list_document_codings (self->project, id, &error);
  if (codings == NULL)
    {
      emit_error (self, error);
      return;
    }
  ranges = changed_ranges (self->codings, codings);
  g_array_append_val (ranges, edited);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  self->codings = g_ptr_array_ref (codings);
  for (guint i = 0; i < ranges->len; i++)
    {
      const Range *range = &g_array_index (ranges, Range, i);

      apply_codings_range (self, range->start, range->end);
    }
  cw_coding_stripes_set_codings (CW_CODING_STRIPES (self->stripes), codings);

  turns = cw_project_get_turns (self->project, id, &error);
  if (turns == NULL)
    {
      emit_error (self, error);
      return;
    }
  g_clear_pointer (&self->document->turns, g_ptr_array_unref);
  self->document->turns = g_ptr_array_ref (turns);
  self->document->info->characters += delta;
  cw_timestamp_gutter_set_turns (CW_TIMESTAMP_GUTTER (self->gutter), turns);
  retag_speakers (self, start, start + n_chars);

  /* Search hits no longer fit the text: the next search finds them anew. */
  clear_matches (self);

  spell_check_edit (self, start, start + n_chars);
}

/* Replaces [start, end) with text through the core, then in the buffer.
 * start is left at the end of the new text, end with it. */
static gboolean
apply_edit (CwTranscriptView *self,
            GtkTextIter      *start,
            GtkTextIter      *end,
            const char       *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(CwEditResult) result = NULL;
  g_autofree char *normal = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  gint64 s = gtk_text_iter_get_offset (start);
  gint64 e = gtk_text_iter_get_offset (end);
  gboolean ok;

  if (normal == NULL)
    return FALSE; /* not UTF-8: nothing a keyboard sends */
  if (s == e && normal[0] == '\0')
    return TRUE;

  if (!begin_burst (self, &error))
    {
      emit_error (self, error);
      return FALSE;
    }

  self->own_edit++;
  ok = cw_project_edit_text (self->project, self->document->info->id, s, e, normal, &result, &error);
  self->own_edit--;
  if (!ok)
    {
      emit_error (self, error);
      return FALSE;
    }

  /* Rarely the core changes more than asked: a combining mark composed
   * with its neighbour. Then the buffer takes the stored text whole. */
  if (result->replaced_start != s || result->replaced_end != e ||
      result->length != g_utf8_strlen (normal, -1))
    {
      char *stored = cw_project_get_text (self->project, self->document->info->id, &error);

      if (stored == NULL)
        emit_error (self, error);
      else
        reload_text (self, stored);
      gtk_text_buffer_get_iter_at_offset (buffer, start, (int) (result->start + result->length));
      *end = *start;
      report_removed (self, result);
      return TRUE;
    }

  self->applying++;
  if (s != e)
    gtk_text_buffer_delete (buffer, start, end);
  if (normal[0] != '\0')
    gtk_text_buffer_insert (buffer, start, normal, -1);
  *end = *start;
  self->applying--;

  after_edit (self, s, e, g_utf8_strlen (normal, -1));
  report_removed (self, result);
  return TRUE;
}

static gboolean
takes_edits (CwTranscriptView *self,
             GtkTextBuffer    *buffer)
{
  return self->editing && self->applying == 0 && self->project != NULL && self->document != NULL &&
         buffer == gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
}

static void
insert_text_cb (CwTranscriptView *self,
                GtkTextIter      *location,
                const char       *text,
                int               len,
                GtkTextBuffer    *buffer)
{
  g_autofree char *copy = NULL;
  GtkTextIter end;

  if (!takes_edits (self, buffer))
    return;

  g_signal_stop_emission_by_name (buffer, "insert-text");
  copy = g_strndup (text, len);
  end = *location;
  apply_edit (self, location, &end, copy);
}

static void
delete_range_cb (CwTranscriptView *self,
                 GtkTextIter      *start,
                 GtkTextIter      *end,
                 GtkTextBuffer    *buffer)
{
  if (!takes_edits (self, buffer))
    return;

  g_signal_stop_emission_by_name (buffer, "delete-range");
  gtk_text_iter_order (start, end);
  apply_edit (self, start, end, "");
}

gboolean
cw_transcript_view_replace_range (CwTranscriptView *self,
                                  gint64            start,
                                  gint64            end,
                                  const char       *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start_iter, end_iter;
  gboolean ok;

  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (self->project == NULL || self->document == NULL)
    return FALSE;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_offset (buffer, &start_iter, (int) start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end_iter, (int) end);
  ok = apply_edit (self, &start_iter, &end_iter, text);
  /* Outside edit mode a single replacement is its own step. */
  if (!self->editing)
    cw_transcript_view_end_edit_burst (self);
  return ok;
}

/* The text changed under the view (an undo, a replace in all documents):
 * the buffer takes the stored text again, keeping the cursor and the
 * scroll position. */
static void
reload_text (CwTranscriptView *self,
             char             *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self));
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GPtrArray) codings = NULL;
  double scroll = vadjustment != NULL ? gtk_adjustment_get_value (vadjustment) : 0;
  GtkTextIter iter;
  int cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  cursor = gtk_text_iter_get_offset (&iter);

  self->spell_generation++;
  self->applying++;
  gtk_text_buffer_set_text (buffer, text, -1);
  self->applying--;
  /* The highlight of the turn being heard went with the old text. */
  self->playing_turn = -1;
  self->playing_range = (Range) { -1, -1 };

  g_free (self->document->text);
  self->document->text = text;
  self->document->info->characters = gtk_text_buffer_get_char_count (buffer);
  turns = cw_project_get_turns (self->project, self->document->info->id, NULL);
  if (turns != NULL)
    {
      g_clear_pointer (&self->document->turns, g_ptr_array_unref);
      self->document->turns = g_ptr_array_ref (turns);
      cw_timestamp_gutter_set_turns (CW_TIMESTAMP_GUTTER (self->gutter), turns);
    }
  tag_speaker_labels_in (self, buffer, 0, G_MAXINT);

  g_array_set_size (self->matches, 0);
  self->current_match = -1;
  codings = cw_project_list_document_codings (self->project, self->document->info->id, NULL);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  self->codings = codings != NULL ? g_ptr_array_ref (codings) : NULL;
  apply_codings (self);
  cw_coding_stripes_set_codings (CW_CODING_STRIPES (self->stripes), codings);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, cursor);
  gtk_text_buffer_place_cursor (buffer, &iter);
  if (vadjustment != NULL)
    gtk_adjustment_set_value (vadjustment, scroll);

  spell_reset (self);
  spell_start (self);
}

/* A change of the text not made here (an undo, a redo, a replace from
 * the replace bar): the text is read again when it differs. */
static void
document_text_changed_cb (CwTranscriptView *self,
                          gint64            document_id)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  g_autofree char *stored = NULL;
  g_autofree char *shown = NULL;
  GtkTextIter start, end;

  if (self->own_edit > 0 || self->document == NULL ||
      (document_id != 0 && document_id != self->document->info->id))
    return;

  stored = cw_project_get_text (self->project, self->document->info->id, NULL);
  if (stored == NULL)
    return; /* gone: the window notices and shows another document */

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  if (strcmp (stored, shown) != 0)
    reload_text (self, g_steal_pointer (&stored));
}

static void refresh_turn_times (CwTranscriptView *self);

/* The project word list may have grown elsewhere (another window); a
 * turn's time may have been set. */
static void
project_changed_cb (CwTranscriptView *self)
{
  if (self->own_edit > 0)
    return;
  /* Only codings changed (one applied, removed, undone): neither. */
  if (cw_project_get_coding_changes (self->project) != NULL)
    return;
  refresh_word_set (self);
  refresh_turn_times (self);
}

void
cw_transcript_view_set_project (CwTranscriptView *self,
                                CwProject        *project)
{
  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (project == NULL || CW_IS_PROJECT (project));

  if (self->project == project)
    return;

  cw_transcript_view_set_document (self, NULL);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    {
      g_signal_connect_swapped (project, "changed", G_CALLBACK (project_changed_cb), self);
      g_signal_connect_swapped (project, "document-text-changed", G_CALLBACK (document_text_changed_cb), self);
    }
  refresh_word_set (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_EDIT]);
}

gboolean
cw_transcript_view_get_can_edit (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), FALSE);

  return self->project != NULL && self->document != NULL;
}

void
cw_transcript_view_set_editing (CwTranscriptView *self,
                                gboolean          editing)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  editing = editing && cw_transcript_view_get_can_edit (self);
  if (self->editing == editing)
    return;

  if (!editing)
    cw_transcript_view_end_edit_burst (self);
  self->editing = editing;
  gtk_text_view_set_editable (view, editing);
  gtk_text_view_set_cursor_visible (view, editing);
  if (editing)
    {
      gtk_popover_popdown (GTK_POPOVER (self->chooser));
      gtk_widget_add_css_class (GTK_WIDGET (self), "cw-editing");
      gtk_widget_grab_focus (GTK_WIDGET (self));
      spell_start (self);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "cw-editing");
      spell_reset (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

gboolean
cw_transcript_view_get_editing (CwTranscriptView *self)
{
  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), FALSE);

  return self->editing;
}

gboolean
_cw_transcript_view_is_applying_edit (CwTranscriptView *self)
{
  return self->own_edit > 0;
}

gboolean
_cw_transcript_view_in_burst (CwTranscriptView *self)
{
  return self->in_burst;
}

GtkTextTag *
_cw_transcript_view_get_spell_tag (CwTranscriptView *self)
{
  return self->spell_tag;
}

GMenuModel *
_cw_transcript_view_get_spell_menu (CwTranscriptView *self)
{
  return G_MENU_MODEL (self->spell_menu);
}

GtkPopover *
_cw_transcript_view_open_spell_menu (CwTranscriptView *self,
                                     gint64            offset)
{
  _cw_transcript_view_prepare_spell_menu (self, offset);
  if (self->menu_word == NULL)
    return NULL;
  popup_spell_menu (self);
  return GTK_POPOVER (self->spell_popover);
}

void
_cw_transcript_view_prepare_spell_menu (CwTranscriptView *self,
                                        gint64            offset)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self)), &iter, (int) offset);
  prepare_spell_menu (self, &iter);
}

gboolean
_cw_transcript_view_is_suggesting (CwTranscriptView *self)
{
  return self->suggest_cancellable != NULL;
}

gboolean
_cw_transcript_view_is_checking_spelling (CwTranscriptView *self)
{
  return self->spell_cancellable != NULL || self->spell_restart != 0;
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

/* Playing the recording
 *
 * The window tells the view where the recording is; the view highlights
 * the turn being spoken then and keeps it on screen, unless the user
 * scrolled elsewhere a moment ago (then reading wins). */

#define FOLLOW_PAUSE_US (5 * G_USEC_PER_SEC) /* after a scroll of the user's own */
#define SETTLE_US (G_USEC_PER_SEC)            /* a new document's layout settling */

static void
follow_value_changed_cb (CwTranscriptView *self)
{
  gint64 now = g_get_monotonic_time ();

  /* A fresh document moves while it is laid out: that is no one's scroll. */
  if (self->following > 0 || now - self->loaded_at < SETTLE_US)
    return;
  self->user_scrolled_at = now;
}

static void
follow_adjustment_cb (CwTranscriptView *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self));

  if (self->follow_adjustment == adjustment)
    return;
  if (self->follow_adjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->follow_adjustment, follow_value_changed_cb, self);
  g_set_object (&self->follow_adjustment, adjustment);
  if (adjustment != NULL)
    g_signal_connect_swapped (adjustment, "value-changed", G_CALLBACK (follow_value_changed_cb), self);
}

/* Keeps the turn being heard on screen: when it is not, it moves to a
 * fifth of the way down, so that what follows is in view too. */
static void
follow_playing_turn (CwTranscriptView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkAdjustment *adjustment = self->follow_adjustment;
  GtkTextIter start, end;
  GdkRectangle visible, first, last;
  double target;

  if (adjustment == NULL || self->playing_range.start < 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (self->user_scrolled_at != 0 && g_get_monotonic_time () - self->user_scrolled_at < FOLLOW_PAUSE_US)
    return;

  gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) self->playing_range.start);
  gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) self->playing_range.end);
  gtk_text_view_get_iter_location (view, &start, &first);
  gtk_text_view_get_iter_location (view, &end, &last);
  gtk_text_view_get_visible_rect (view, &visible);
  if (visible.height <= 0)
    return;

  /* On screen: its start, and its end too unless it is longer than the
   * screen and already starts in the upper half. */
  if (first.y >= visible.y && first.y + first.height <= visible.y + visible.height &&
      (last.y + last.height <= visible.y + visible.height || first.y <= visible.y + visible.height / 2))
    return;

  target = gtk_adjustment_get_value (adjustment) + (first.y - visible.y) - visible.height * 0.2;
  target = CLAMP (target, gtk_adjustment_get_lower (adjustment),
                  MAX (gtk_adjustment_get_lower (adjustment),
                       gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment)));
  self->following++;
  gtk_adjustment_set_value (adjustment, target);
  self->following--;
}

void
cw_transcript_view_set_play_position (CwTranscriptView *self,
                                      double            seconds)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  Range range = { -1, -1 };
  int index = -1;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  if (self->document != NULL && self->document->turns != NULL && seconds >= 0)
    index = cw_turns_index_at_time (self->document->turns, seconds);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  if (index >= 0)
    {
      const CwTurn *turn = g_ptr_array_index (self->document->turns, index);

      /* From the start of its line, so that the speaker's label is in it. */
      gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) turn->start);
      gtk_text_iter_set_line_offset (&start, 0);
      range.start = gtk_text_iter_get_offset (&start);
      range.end = MAX (turn->end, range.start);
    }

  if (index != self->playing_turn || range.start != self->playing_range.start ||
      range.end != self->playing_range.end)
    {
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      gtk_text_buffer_remove_tag (buffer, self->playing_tag, &start, &end);
      if (range.start >= 0)
        {
          gtk_text_buffer_get_iter_at_offset (buffer, &start, (int) range.start);
          gtk_text_buffer_get_iter_at_offset (buffer, &end, (int) range.end);
          gtk_text_buffer_apply_tag (buffer, self->playing_tag, &start, &end);
        }
      self->playing_turn = index;
      self->playing_range = range;
    }

  follow_playing_turn (self);
}

int
cw_transcript_view_get_turn_at_cursor (CwTranscriptView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_val_if_fail (CW_IS_TRANSCRIPT_VIEW (self), -1);

  if (self->document == NULL || self->document->turns == NULL)
    return -1;

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self));
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  return cw_turns_index_at_offset (self->document->turns, gtk_text_iter_get_offset (&iter));
}

void
cw_transcript_view_set_can_play (CwTranscriptView *self,
                                 gboolean          can_play)
{
  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  cw_timestamp_gutter_set_clickable (CW_TIMESTAMP_GUTTER (self->gutter), can_play);
  cw_coding_stripes_set_can_play (CW_CODING_STRIPES (self->stripes), can_play);
}

static void
time_activated_cb (CwTranscriptView *self,
                   guint             turn,
                   double            seconds)
{
  g_signal_emit (self, signals[PLAY_REQUESTED], 0, seconds);
}

void
cw_transcript_view_play_from_offset (CwTranscriptView *self,
                                     gint64            offset)
{
  double seconds;

  g_return_if_fail (CW_IS_TRANSCRIPT_VIEW (self));

  if (self->document == NULL || self->document->turns == NULL)
    return;

  seconds = cw_turns_time_at_offset (self->document->turns, offset);
  if (seconds < 0)
    {
      g_signal_emit (self, signals[MESSAGE], 0,
                     _("No time is known for this passage: set its turn’s time with F8 while listening"));
      return;
    }
  g_signal_emit (self, signals[PLAY_REQUESTED], 0, seconds);
}

static void
play_coding_cb (CwTranscriptView *self,
                gint64            coding_id)
{
  const CwCoding *coding = find_coding (self, coding_id);

  if (coding != NULL)
    cw_transcript_view_play_from_offset (self, coding->start);
}

/* A turn's time set or cleared (F8, its undo): the gutter shows it. */
static void
refresh_turn_times (CwTranscriptView *self)
{
  g_autoptr(GPtrArray) turns = NULL;
  GPtrArray *shown;
  gboolean same, any_time = FALSE;

  if (self->document == NULL || self->project == NULL)
    return;
  turns = cw_project_get_turns (self->project, self->document->info->id, NULL);
  if (turns == NULL)
    return;

  shown = self->document->turns;
  same = shown != NULL && shown->len == turns->len;
  for (guint i = 0; same && i < turns->len; i++)
    {
      const CwTurn *a = g_ptr_array_index (shown, i);
      const CwTurn *b = g_ptr_array_index (turns, i);

      same = a->start == b->start && a->end == b->end && a->time == b->time;
    }
  if (same)
    return;

  g_clear_pointer (&self->document->turns, g_ptr_array_unref);
  self->document->turns = g_ptr_array_ref (turns);
  cw_timestamp_gutter_set_turns (CW_TIMESTAMP_GUTTER (self->gutter), turns);
  for (guint i = 0; i < turns->len && !any_time; i++)
    any_time = ((const CwTurn *) g_ptr_array_index (turns, i))->time >= 0;
  gtk_widget_set_visible (self->gutter, any_time);
}

int
_cw_transcript_view_get_playing_turn (CwTranscriptView *self)
{
  return self->playing_turn;
}

GtkTextTag *
_cw_transcript_view_get_playing_tag (CwTranscriptView *self)
{
  return self->playing_tag;
}

CwTimestampGutter *
_cw_transcript_view_get_gutter (CwTranscriptView *self)
{
  return CW_TIMESTAMP_GUTTER (self->gutter);
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
  /* Closing the window: the last keystrokes are one undo step. */
  cw_transcript_view_end_edit_burst (self);
  spell_reset (self);
  g_cancellable_cancel (self->suggest_cancellable);
  g_clear_object (&self->suggest_cancellable);
  if (self->project != NULL)
    g_signal_handlers_disconnect_by_data (self->project, self);
  g_clear_object (&self->project);
  g_clear_object (&self->spell_menu);
  g_clear_pointer (&self->word_set, g_hash_table_unref);
  stop_scrolling (self);
  g_clear_pointer (&self->document, cw_document_free);
  g_clear_pointer (&self->codings, g_ptr_array_unref);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->chooser, gtk_widget_unparent);
  g_clear_pointer (&self->spell_popover, gtk_widget_unparent);
  if (self->follow_adjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->follow_adjustment, follow_value_changed_cb, self);
  g_clear_object (&self->follow_adjustment);
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
  g_free (self->language);
  g_free (self->menu_word);

  G_OBJECT_CLASS (cw_transcript_view_parent_class)->finalize (object);
}

static void
cw_transcript_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;
    case PROP_CAN_EDIT:
      g_value_set_boolean (value, cw_transcript_view_get_can_edit (self));
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_transcript_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CwTranscriptView *self = CW_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      cw_transcript_view_set_editing (self, g_value_get_boolean (value));
      break;
    case PROP_LANGUAGE:
      if (g_value_get_string (value) != NULL)
        cw_transcript_view_set_language (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cw_transcript_view_class_init (CwTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cw_transcript_view_dispose;
  object_class->finalize = cw_transcript_view_finalize;
  object_class->get_property = cw_transcript_view_get_property;
  object_class->set_property = cw_transcript_view_set_property;
  widget_class->size_allocate = cw_transcript_view_size_allocate;

  /* Edit mode: the text can be changed; coding is off meanwhile. */
  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether there is a document to edit. */
  properties[PROP_CAN_EDIT] =
    g_param_spec_boolean ("can-edit", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The document's language for spell checking, "nl" or "en". */
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CwTranscriptView::message:
   * @message: what to tell the user (an error, a missing dictionary)
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CwTranscriptView::undoable-message:
   * @message: what an edit did that undo can take back ("Coding “Stage”
   *   removed with its text")
   */
  signals[UNDOABLE_MESSAGE] =
    g_signal_new ("undoable-message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * CwTranscriptView::play-requested:
   * @seconds: where in the recording
   *
   * A time in the gutter was clicked, or "Play From Here" chosen for a
   * coding: play the recording from seconds.
   */
  signals[PLAY_REQUESTED] =
    g_signal_new ("play-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_DOUBLE);

  gtk_widget_class_install_action (widget_class, "spell.replace", "s", spell_replace_action);
  gtk_widget_class_install_action (widget_class, "spell.add-word", NULL, spell_add_word_action);
  gtk_widget_class_install_action (widget_class, "spell.ignore", NULL, spell_ignore_action);
  gtk_widget_class_install_action (widget_class, "spell.none", NULL, spell_none_action);

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
  GtkGesture *gesture;

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
  g_signal_connect_swapped (self->gutter, "time-activated", G_CALLBACK (time_activated_cb), self);
  self->playing_turn = -1;
  self->playing_range = (Range) { -1, -1 };
  g_signal_connect (self, "notify::vadjustment", G_CALLBACK (follow_adjustment_cb), NULL);

  self->stripes = cw_coding_stripes_new (view);
  gtk_text_view_set_gutter (view, GTK_TEXT_WINDOW_RIGHT, self->stripes);
  g_signal_connect_swapped (self->stripes, "coding-activated", G_CALLBACK (coding_activated_cb), self);
  g_signal_connect_swapped (self->stripes, "remove-coding", G_CALLBACK (remove_coding_cb), self);
  g_signal_connect_swapped (self->stripes, "play-coding", G_CALLBACK (play_coding_cb), self);

  self->drop_target = gtk_drop_target_new (CW_TYPE_CODE_ITEM, GDK_ACTION_COPY | GDK_ACTION_MOVE);
  g_signal_connect_swapped (self->drop_target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drop_target));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  build_chooser (self);

  /* Right-click on a misspelled word: suggestions first, where the eye is. */
  self->spell_menu = g_menu_new ();
  self->spell_popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (self->spell_menu));
  gtk_popover_set_position (GTK_POPOVER (self->spell_popover), GTK_POS_BOTTOM);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->spell_popover), FALSE);
  gtk_widget_set_halign (self->spell_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->spell_popover, GTK_WIDGET (self));
  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (gesture));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "spell.none", FALSE);
  self->pending_word = (Range) { -1, -1 };

  g_signal_connect_swapped (adw_style_manager_get_default (), "notify::dark",
                            G_CALLBACK (update_colors), self);

  cw_transcript_view_set_document (self, NULL);
}

GtkWidget *
cw_transcript_view_new (void)
{
  return g_object_new (CW_TYPE_TRANSCRIPT_VIEW, NULL);
}
