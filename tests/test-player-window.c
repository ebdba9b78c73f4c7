/* test-player-window.c: a document's recording in the window, driven
 * in-process under Xvfb with a WAV the test writes itself: attaching
 * (the bar appears), the turn being heard highlighted, F8 setting a turn's
 * time (undo clears it), a click on a time in the gutter, "Play From Here"
 * on a coding and on a retrieved segment, speed and skips, a recording that moved (not found, then
 * located), and a file GStreamer cannot decode (a message, no crash).
 *
 * GStreamer plays into a fake sink here (see main): position runs in real
 * time without an audio device and without a sound on a desktop.
 *
 * Like the other GUI tests it needs a display and fails without one.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-coding.h"
#include "cw-media.h"
#include "cw-player-bar.h"
#include "cw-retrieval-view-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"

/* Times 1, 3 and 5 s; the fourth turn has none yet (F8 gives it one). */
static const char interview[] =
  "[00:00:01] Interviewer: Hoe ging het op je stage?\n"
  "[00:00:03] Kevin: Eerst was het moeilijk. Op mijn stageplek kende ik niemand, "
  "maar de jobcoach kwam elke week langs en toen ging het beter.\n"
  "[00:00:05] Interviewer: En nu?\n"
  "Kevin: Nu heb ik een baan. Mijn leidinggevende wil me houden "
  "als ik mijn diploma haal.\n";

static const char other[] =
  "Gespreksleider: Hoe is het na school gegaan?\n"
  "Sanne: Ik heb nu een vaste baan bij de bakkerij.\n";

#define WAV_SECONDS 8
#define WAV_RATE 8000

typedef struct
{
  char      *dir;
  char      *wav;      /* the recording, in a subfolder of the project's */
  CwProject *project;
  CwWindow  *window;
  gint64     kevin, group;
} Fixture;

/* A mono 16-bit PCM WAV of a soft 440 Hz tone: the RIFF header by hand. */
static char *
write_wav (const char *dir,
           const char *name,
           guint       seconds)
{
  guint n = seconds * WAV_RATE;
  guint data_size = n * 2;
  g_autoptr(GByteArray) wav = g_byte_array_sized_new (44 + data_size);
  g_autoptr(GFile) file = NULL;
  guint32 u32;
  guint16 u16;

#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u16, 2))
  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  PUT32 (36 + data_size);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  PUT32 (16);
  PUT16 (1);            /* PCM */
  PUT16 (1);            /* mono */
  PUT32 (WAV_RATE);
  PUT32 (WAV_RATE * 2); /* bytes per second */
  PUT16 (2);            /* block align */
  PUT16 (16);           /* bits per sample */
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  PUT32 (data_size);
  for (guint i = 0; i < n; i++)
    PUT16 ((guint16) (gint16) (3000 * sin (2 * G_PI * 440 * i / WAV_RATE)));
#undef PUT32
#undef PUT16

  file = cw_test_write_bytes (dir, name, wav->data, wav->len);
  return g_file_get_path (file);
}

/* Toasts cover the bar: screenshots wait until they are gone. */
static gboolean
no_toasts (gpointer data)
{
  GType type = g_type_from_name ("AdwToastWidget");
  GPtrArray *stack = g_ptr_array_new ();
  gboolean none = TRUE;

  g_ptr_array_add (stack, data);
  while (none && stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);

      if (type != 0 && G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
        none = FALSE;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_ptr_array_unref (stack);
  return none;
}

static void
screenshot (Fixture    *fixture,
            const char *name)
{
  g_assert_true (cw_test_wait_until (no_toasts, fixture->window));
  cw_test_save_screenshot (GTK_WIDGET (fixture->window), name);
}

static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}

static gboolean
pointer_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static CwPlayerBar *
bar_of (Fixture *fixture)
{
  GtkWidget *bar = find_widget (GTK_WIDGET (fixture->window), CW_TYPE_PLAYER_BAR);

  g_assert_nonnull (bar);
  return CW_PLAYER_BAR (bar);
}

static CwTranscriptView *
view_of (Fixture *fixture)
{
  return _cw_window_get_transcript_view (fixture->window);
}

typedef struct
{
  CwWindow *window;
  gint64    id;
} DocumentWait;

static gboolean
document_shown (gpointer data)
{
  DocumentWait *wait = data;
  CwTranscriptView *view = _cw_window_get_transcript_view (wait->window);

  return cw_transcript_view_get_document_id (view) == wait->id &&
         !_cw_window_is_busy (wait->window) &&
         gtk_widget_get_mapped (GTK_WIDGET (view));
}

static void
show_document (Fixture *fixture,
               gint64   id)
{
  DocumentWait wait = { fixture->window, id };

  cw_document_list_select_document (_cw_window_get_document_list (fixture->window), id);
  g_signal_emit_by_name (_cw_window_get_document_list (fixture->window), "document-selected", id);
  g_assert_true (cw_test_wait_until (document_shown, &wait));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *path = NULL;
  g_autofree char *audio = NULL;

  fixture->dir = cw_test_make_dir ();
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview-kevin.txt", interview));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "focusgroep.txt", other));
  path = g_build_filename (fixture->dir, "player.codewerk", NULL);
  fixture->project = cw_project_create (path, "Opnamen", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->kevin = g_array_index (ids, gint64, 0);
  fixture->group = g_array_index (ids, gint64, 1);

  audio = g_build_filename (fixture->dir, "audio", NULL);
  g_assert_cmpint (g_mkdir (audio, 0755), ==, 0);
  fixture->wav = write_wav (audio, "interview-kevin.wav", WAV_SECONDS);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1180, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  show_document (fixture, fixture->kevin);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;

  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (cw_test_wait_until (pointer_gone, &weak));
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->wav);
  g_free (fixture->dir);
}

/* Helpers */

static gboolean
player_ready (gpointer data)
{
  return cw_player_bar_get_state (data) == CW_PLAYER_READY;
}

static gboolean
player_failed (gpointer data)
{
  return cw_player_bar_get_state (data) == CW_PLAYER_ERROR;
}

static void
attach (Fixture    *fixture,
        const char *path)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.attach-recording-file", "s", path);
}

static void
attach_and_wait (Fixture *fixture)
{
  CwPlayerBar *bar = bar_of (fixture);

  attach (fixture, fixture->wav);
  g_assert_true (cw_test_wait_until (player_ready, bar));
}

typedef struct
{
  CwPlayerBar *bar;
  double       from;
  double       to;
} PositionWait;

static gboolean
position_between (gpointer data)
{
  PositionWait *wait = data;
  double position = cw_player_bar_get_position (wait->bar);

  return position >= wait->from && position <= wait->to;
}

static void
wait_for_position (CwPlayerBar *bar,
                   double       from,
                   double       to)
{
  PositionWait wait = { bar, from, to };

  if (!cw_test_wait_until (position_between, &wait))
    g_error ("the position is %.2f s, expected %.2f to %.2f", cw_player_bar_get_position (bar), from, to);
}

static gint64
turn_start (Fixture *fixture,
            guint    index)
{
  const CwDocument *document = cw_transcript_view_get_document (view_of (fixture));

  g_assert_cmpuint (index, <, document->turns->len);
  return ((const CwTurn *) g_ptr_array_index (document->turns, index))->start;
}

static gboolean
has_playing_tag (Fixture *fixture,
                 gint64   offset)
{
  CwTranscriptView *view = view_of (fixture);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) offset);
  return gtk_text_iter_has_tag (&iter, _cw_transcript_view_get_playing_tag (view));
}

/* Tests */

static void
test_attach (Fixture       *fixture,
             gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  g_autoptr(CwRecording) recording = NULL;
  g_autoptr(GError) error = NULL;

  /* No recording: no bar. */
  g_assert_cmpint (cw_player_bar_get_state (bar), ==, CW_PLAYER_NONE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_cmpfloat (cw_player_bar_get_position (bar), <, 0);

  attach_and_wait (fixture);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bar)));
  g_assert_cmpint (cw_player_bar_get_document_id (bar), ==, fixture->kevin);
  g_assert_cmpfloat_with_epsilon (gtk_media_stream_get_duration (cw_player_bar_get_stream (bar)) / 1e6,
                                  WAV_SECONDS, 0.1);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Recording “interview-kevin.wav” attached");

  /* Stored relative to the project, as the core promises. */
  recording = cw_project_get_recording (fixture->project, fixture->kevin, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recording);
  g_assert_cmpstr (recording->stored_path, ==, "audio/interview-kevin.wav");

  /* Plays, and the position runs without an audio device. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.play-pause", NULL);
  g_assert_true (cw_player_bar_get_playing (bar));
  wait_for_position (bar, 0.6, WAV_SECONDS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.play-pause", NULL);
  g_assert_false (cw_player_bar_get_playing (bar));
  cw_player_bar_seek (bar, 4.0);
  wait_for_position (bar, 3.95, 4.05);
  screenshot (fixture, "player-window.png");

  /* Another document has none: the bar goes; back again, it returns. */
  show_document (fixture, fixture->group);
  g_assert_cmpint (cw_player_bar_get_state (bar), ==, CW_PLAYER_NONE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));
  show_document (fixture, fixture->kevin);
  g_assert_true (cw_test_wait_until (player_ready, bar));

  /* Detach, and undo brings it back. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.detach-recording", NULL);
  g_assert_cmpint (cw_player_bar_get_state (bar), ==, CW_PLAYER_NONE);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Recording detached");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  g_assert_true (cw_test_wait_until (player_ready, bar));
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  g_autoptr(GFile) text = cw_test_write_file (fixture->dir, "geen-opname.mp3", "Dit is tekst, geen geluid.\n");
  g_autofree char *path = g_file_get_path (text);
  const char *toast;

  /* A text file renamed .mp3: refused, with its name in the message. */
  attach (fixture, path);
  g_assert_cmpint (cw_player_bar_get_state (bar), ==, CW_PLAYER_NONE);
  toast = _cw_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (toast, "geen-opname.mp3"));
}

static void
test_highlight (Fixture       *fixture,
                gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  CwTranscriptView *view = view_of (fixture);

  attach_and_wait (fixture);

  /* Before the first time: nothing highlighted. */
  cw_player_bar_seek (bar, 0.5);
  wait_for_position (bar, 0.45, 0.55);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, -1);

  /* 4 s is in the second turn (3 s), label included. */
  cw_player_bar_seek (bar, 4.0);
  wait_for_position (bar, 3.95, 4.05);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, 1);
  g_assert_true (has_playing_tag (fixture, turn_start (fixture, 1)));
  g_assert_true (has_playing_tag (fixture, turn_start (fixture, 1) - 3)); /* "Kevin: " */
  g_assert_false (has_playing_tag (fixture, turn_start (fixture, 0)));
  g_assert_false (has_playing_tag (fixture, turn_start (fixture, 2)));

  /* Playing on into the third turn (5 s) moves the highlight with it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.play-pause", NULL);
  wait_for_position (bar, 5.2, WAV_SECONDS);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, 2);
  g_assert_true (has_playing_tag (fixture, turn_start (fixture, 2)));
  g_assert_false (has_playing_tag (fixture, turn_start (fixture, 1)));
  cw_player_bar_pause (bar);
}

static void
test_turn_time (Fixture       *fixture,
                gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  CwTranscriptView *view = view_of (fixture);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autoptr(GPtrArray) turns = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter iter;
  const CwTurn *turn;

  attach_and_wait (fixture);
  turns = cw_project_get_turns (fixture->project, fixture->kevin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (turns->len, ==, 4);
  g_assert_cmpfloat (((const CwTurn *) g_ptr_array_index (turns, 3))->time, <, 0);
  g_clear_pointer (&turns, g_ptr_array_unref);

  /* The cursor in the fourth turn, listening at 6.5 s: F8. */
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) turn_start (fixture, 3) + 4);
  gtk_text_buffer_place_cursor (buffer, &iter);
  g_assert_cmpint (cw_transcript_view_get_turn_at_cursor (view), ==, 3);
  cw_player_bar_seek (bar, 6.5);
  wait_for_position (bar, 6.45, 6.55);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.set-turn-time", NULL);

  /* Stored, shown in the gutter's turns, and highlighted as the turn
   * being heard. */
  turns = cw_project_get_turns (fixture->project, fixture->kevin, &error);
  g_assert_no_error (error);
  turn = g_ptr_array_index (turns, 3);
  g_assert_cmpfloat_with_epsilon (turn->time, 6.5, 0.06);
  turn = g_ptr_array_index (cw_transcript_view_get_document (view)->turns, 3);
  g_assert_cmpfloat_with_epsilon (turn->time, 6.5, 0.06);
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==, "Turn 4 starts at 00:00:07");
  cw_player_bar_seek (bar, 7.0);
  wait_for_position (bar, 6.95, 7.05);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, 3);
  g_clear_pointer (&turns, g_ptr_array_unref);

  /* Undo clears it again, in the project and in the view. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  turns = cw_project_get_turns (fixture->project, fixture->kevin, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (((const CwTurn *) g_ptr_array_index (turns, 3))->time, <, 0);
  turn = g_ptr_array_index (cw_transcript_view_get_document (view)->turns, 3);
  g_assert_cmpfloat (turn->time, <, 0);

  /* The first turn's label belongs to the first turn. */
  gtk_text_buffer_get_start_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  g_assert_cmpint (cw_transcript_view_get_turn_at_cursor (view), ==, 0);
}

static void
test_gutter_click (Fixture       *fixture,
                   gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  CwTranscriptView *view = view_of (fixture);
  GtkTextView *text_view = GTK_TEXT_VIEW (view);
  CwTimestampGutter *gutter = _cw_transcript_view_get_gutter (view);
  GtkTextIter iter;
  GdkRectangle location;
  int y;

  /* Without a recording the times are only times. */
  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (text_view), &iter, (int) turn_start (fixture, 2));
  gtk_text_view_get_iter_location (text_view, &iter, &location);
  gtk_text_view_buffer_to_window_coords (text_view, GTK_TEXT_WINDOW_LEFT, 0, location.y + location.height / 2,
                                         NULL, &y);
  g_assert_false (cw_timestamp_gutter_activate_at (gutter, y));

  attach_and_wait (fixture);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gutter)));
  /* The player bar takes room and may scroll the view: where the third
   * turn is now, once the window has laid itself out again. */
  cw_test_wait_ms (200);
  gtk_text_view_get_iter_location (text_view, &iter, &location);
  gtk_text_view_buffer_to_window_coords (text_view, GTK_TEXT_WINDOW_LEFT, 0, location.y + location.height / 2,
                                         NULL, &y);
  /* A click beside the third turn plays from its time, 5 s. */
  g_assert_true (cw_timestamp_gutter_activate_at (gutter, y));
  g_assert_true (cw_player_bar_get_playing (bar));
  wait_for_position (bar, 5.0, 6.5);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, 2);
  cw_player_bar_pause (bar);

  /* Far below the text there is no time to click. */
  g_assert_false (cw_timestamp_gutter_activate_at (gutter, gtk_widget_get_height (GTK_WIDGET (gutter)) - 2));
}

static void
test_play_coding (Fixture       *fixture,
                  gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  CwCodingStripes *stripes = _cw_transcript_view_get_stripes (view_of (fixture));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, fixture->kevin, &error);
  const char *found = strstr (text, "de jobcoach kwam");
  gint64 code, start, coding;

  g_assert_nonnull (found);
  code = cw_project_add_code (fixture->project, "Begeleiding", "#e66100", NULL, &error);
  g_assert_no_error (error);
  start = g_utf8_pointer_to_offset (text, found);
  coding = cw_project_add_coding (fixture->project, fixture->kevin, code, start, start + 16, NULL, NULL, &error);
  g_assert_no_error (error);

  attach_and_wait (fixture);
  /* "Play From Here" in the stripes' menu: from the turn's time, 3 s. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (stripes), "stripes.play-coding", "x", coding));
  g_assert_true (cw_player_bar_get_playing (bar));
  wait_for_position (bar, 3.0, 4.5);
  cw_player_bar_pause (bar);
}

typedef struct
{
  CwRetrievalView *view;
  gint64           document_id;
  gboolean         playable;
} RetrievedWait;

/* The two segments are retrieved, the one of document_id playable or not. */
static gboolean
retrieved (gpointer data)
{
  RetrievedWait *wait = data;
  GListModel *segments = _cw_retrieval_view_get_segments (wait->view);
  gboolean found = FALSE;

  if (_cw_retrieval_view_is_busy (wait->view) || g_list_model_get_n_items (segments) != 2)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CwSegmentItem) item = g_list_model_get_item (segments, i);

      if (_cw_segment_item_get_segment (item)->document_id == wait->document_id)
        found = (_cw_segment_item_get_play_time (item) >= 0) == wait->playable;
    }
  return found;
}

typedef struct
{
  Fixture     *fixture;
  CwPlayerBar *bar;
} PlayingWait;

static gboolean
playing_kevin (gpointer data)
{
  PlayingWait *wait = data;
  DocumentWait shown = { wait->fixture->window, wait->fixture->kevin };

  return document_shown (&shown) && cw_player_bar_get_state (wait->bar) == CW_PLAYER_READY &&
         cw_player_bar_get_playing (wait->bar);
}

/* "Play From Here" on a retrieved segment: only where its document has a
 * recording; it opens the document and plays from the segment's turn. */
static void
test_play_retrieved (Fixture       *fixture,
                     gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  CwRetrievalView *retrieval = _cw_window_get_retrieval_view (fixture->window);
  AdwViewStack *stack = _cw_window_get_view_stack (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = cw_project_get_text (fixture->project, fixture->kevin, &error);
  g_autofree char *other_text = cw_project_get_text (fixture->project, fixture->group, &error);
  const char *found = strstr (text, "de jobcoach kwam");
  RetrievedWait wait = { retrieval, fixture->kevin, FALSE };
  PlayingWait playing = { fixture, bar };
  gint64 code, start, other_start;
  double time = -1;

  g_assert_nonnull (found);
  code = cw_project_add_code (fixture->project, "Begeleiding", "#e66100", NULL, &error);
  g_assert_no_error (error);
  start = g_utf8_pointer_to_offset (text, found);
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->kevin, code, start, start + 16,
                                          NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  other_start = g_utf8_pointer_to_offset (other_text, strstr (other_text, "vaste baan"));
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->group, code, other_start, other_start + 10,
                                          NULL, NULL, &error), >, 0);
  g_assert_no_error (error);

  /* No recording yet: no segment can play. */
  adw_view_stack_set_visible_child_name (stack, "retrieval");
  cw_retrieval_view_set_codes (retrieval, &code, 1);
  g_assert_true (cw_test_wait_until (retrieved, &wait));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CwSegmentItem) item = g_list_model_get_item (_cw_retrieval_view_get_segments (retrieval), i);

      g_assert_cmpfloat (_cw_segment_item_get_play_time (item), <, 0);
    }

  /* Attached: the Kevin interview's segment plays from its turn (3 s);
   * the focus group has no recording. */
  adw_view_stack_set_visible_child_name (stack, "documents");
  attach_and_wait (fixture);
  adw_view_stack_set_visible_child_name (stack, "retrieval");
  wait.playable = TRUE;
  g_assert_true (cw_test_wait_until (retrieved, &wait));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CwSegmentItem) item = g_list_model_get_item (_cw_retrieval_view_get_segments (retrieval), i);
      const CwCoding *segment = _cw_segment_item_get_segment (item);

      if (segment->document_id == fixture->kevin)
        time = _cw_segment_item_get_play_time (item);
      else
        g_assert_cmpfloat (_cw_segment_item_get_play_time (item), <, 0);
    }
  g_assert_cmpfloat_with_epsilon (time, 3.0, 0.001);
  cw_test_wait_ms (50);
  screenshot (fixture, "retrieval-play.png");

  /* Another document is open: the segment's opens, then plays. */
  adw_view_stack_set_visible_child_name (stack, "documents");
  show_document (fixture, fixture->group);
  g_assert_cmpint (cw_player_bar_get_state (bar), ==, CW_PLAYER_NONE);
  adw_view_stack_set_visible_child_name (stack, "retrieval");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (retrieval), "retrieval.play-segment", "(xxx)",
                                             fixture->kevin, start, start + 16));
  g_assert_true (cw_test_wait_until (playing_kevin, &playing));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "documents");
  wait_for_position (bar, 3.0, 4.5);
  /* The segment is selected in the transcript, as a click on it does. */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view_of (fixture)));
    GtkTextIter a, b;

    g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &a, &b));
    g_assert_cmpint (gtk_text_iter_get_offset (&a), ==, start);
    g_assert_cmpint (gtk_text_iter_get_offset (&b), ==, start + 16);
  }
  cw_player_bar_pause (bar);

  /* The document already shown: it plays at once, from the start again. */
  cw_player_bar_seek (bar, 7.0);
  adw_view_stack_set_visible_child_name (stack, "retrieval");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (retrieval), "retrieval.play-segment", "(xxx)",
                                             fixture->kevin, start, start + 16));
  g_assert_true (cw_player_bar_get_playing (bar));
  wait_for_position (bar, 3.0, 4.5);
  cw_player_bar_pause (bar);
}

static void
test_speed_and_skip (Fixture       *fixture,
                     gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  GtkWidget *window = GTK_WIDGET (fixture->window);

  attach_and_wait (fixture);
  g_assert_true (cw_player_bar_can_change_speed (bar));
  g_assert_cmpfloat (cw_player_bar_get_speed (bar), ==, 1.0);
  gtk_widget_activate_action (window, "win.faster", NULL);
  g_assert_cmpfloat (cw_player_bar_get_speed (bar), ==, 1.25);
  for (guint i = 0; i < 10; i++)
    gtk_widget_activate_action (window, "win.faster", NULL);
  g_assert_cmpfloat (cw_player_bar_get_speed (bar), ==, 2.0);
  for (guint i = 0; i < 10; i++)
    gtk_widget_activate_action (window, "win.slower", NULL);
  g_assert_cmpfloat (cw_player_bar_get_speed (bar), ==, 0.5);

  /* Twice as fast: a second of playing moves about two. */
  cw_player_bar_set_speed (bar, 2.0);
  cw_player_bar_play_from (bar, 0.0);
  wait_for_position (bar, 0.0, 0.3);
  {
    gint64 t0 = g_get_monotonic_time ();
    double p0 = cw_player_bar_get_position (bar);
    double rate;

    wait_for_position (bar, p0 + 2.0, WAV_SECONDS);
    rate = (cw_player_bar_get_position (bar) - p0) / ((g_get_monotonic_time () - t0) / 1e6);
    g_test_message ("at 2x the position ran %.2f s per second", rate);
    g_assert_cmpfloat (rate, >, 1.4);
  }
  cw_player_bar_pause (bar);
  cw_player_bar_set_speed (bar, 1.0);

  /* Skips of 5 s, clamped to the recording. */
  cw_player_bar_seek (bar, 2.0);
  wait_for_position (bar, 1.95, 2.05);
  gtk_widget_activate_action (window, "win.skip-forward", NULL);
  wait_for_position (bar, 6.95, 7.05);
  gtk_widget_activate_action (window, "win.skip-forward", NULL);
  wait_for_position (bar, WAV_SECONDS - 0.3, WAV_SECONDS);
  gtk_widget_activate_action (window, "win.skip-back", NULL);
  wait_for_position (bar, WAV_SECONDS - 5.3, WAV_SECONDS - 4.9);
  gtk_widget_activate_action (window, "win.skip-back", NULL);
  wait_for_position (bar, 0.0, 0.05);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  g_autofree char *moved_dir = g_build_filename (fixture->dir, "verplaatst", NULL);
  g_autofree char *moved = g_build_filename (moved_dir, "interview-kevin.wav", NULL);
  const char *message;

  attach_and_wait (fixture);

  /* The recordings' folder moved: opening the document says so. */
  g_assert_cmpint (g_mkdir (moved_dir, 0755), ==, 0);
  g_assert_cmpint (g_rename (fixture->wav, moved), ==, 0);
  show_document (fixture, fixture->group);
  show_document (fixture, fixture->kevin);
  g_assert_cmpint (cw_player_bar_get_state (bar), ==, CW_PLAYER_MISSING);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  message = cw_player_bar_get_message (bar);
  g_assert_cmpstr (message, ==, "Recording not found: interview-kevin.wav");
  g_assert_cmpfloat (cw_player_bar_get_position (bar), <, 0);
  screenshot (fixture, "player-missing.png");

  /* Nothing to play: the keys do nothing, and no crash. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.play-pause", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.set-turn-time", NULL);
  g_assert_false (cw_player_bar_get_playing (bar));

  /* Locate…: pointed at its new place, it plays. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.locate-recording-file", "s", moved);
  g_assert_true (cw_test_wait_until (player_ready, bar));
  g_assert_cmpstr (_cw_window_get_last_toast (fixture->window), ==,
                   "Recording found: 1 recording points to its new place");
  cw_player_bar_play_from (bar, 1.0);
  wait_for_position (bar, 1.3, WAV_SECONDS);
  cw_player_bar_pause (bar);
}

static void
test_undecodable (Fixture       *fixture,
                  gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  const char *message;

  /* An Ogg page header, then noise: the sniffer takes it, GStreamer not. */
  g_byte_array_append (bytes, (const guint8 *) "OggS", 4);
  for (guint i = 0; i < 8192; i++)
    {
      guint8 b = (guint8) (i * 7919 % 251);

      g_byte_array_append (bytes, &b, 1);
    }
  file = cw_test_write_bytes (fixture->dir, "kapot.ogg", bytes->data, bytes->len);
  path = g_file_get_path (file);

  attach (fixture, path);
  g_assert_true (cw_test_wait_until (player_failed, bar));
  message = cw_player_bar_get_message (bar);
  g_test_message ("%s", message);
  g_assert_true (g_str_has_prefix (message, "Cannot play “kapot.ogg”: "));
  g_assert_null (strstr (message, "GstPlayBin")); /* no element paths */
  g_assert_cmpfloat (cw_player_bar_get_position (bar), <, 0);

  /* The keys do nothing; the highlight stays off. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.play-pause", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.skip-forward", NULL);
  g_assert_false (cw_player_bar_get_playing (bar));
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view_of (fixture)), ==, -1);
  screenshot (fixture, "player-error.png");

  /* A good file replaces it. */
  attach_and_wait (fixture);
}

static gboolean
offset_on_screen (Fixture *fixture,
                  gint64   offset)
{
  GtkTextView *view = GTK_TEXT_VIEW (view_of (fixture));
  GtkTextIter iter;
  GdkRectangle location, visible;

  gtk_text_buffer_get_iter_at_offset (gtk_text_view_get_buffer (view), &iter, (int) offset);
  gtk_text_view_get_iter_location (view, &iter, &location);
  gtk_text_view_get_visible_rect (view, &visible);
  return location.y >= visible.y && location.y + location.height <= visible.y + visible.height;
}

typedef struct
{
  Fixture *fixture;
  gint64   offset;
} OffsetWait;

static gboolean
offset_shown (gpointer data)
{
  OffsetWait *wait = data;

  return offset_on_screen (wait->fixture, wait->offset);
}

/* A long document: the view follows the turn being heard, but not while
 * the user has just scrolled elsewhere. */
static void
test_follow (Fixture       *fixture,
             gconstpointer  data)
{
  CwPlayerBar *bar = bar_of (fixture);
  CwTranscriptView *view = view_of (fixture);
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wav = NULL;
  OffsetWait wait = { fixture, 0 };
  gint64 document;

  for (guint i = 0; i < WAV_SECONDS; i++)
    {
      g_string_append_printf (text, "[00:00:%02u] %s: ", i, i % 2 ? "Kevin" : "Interviewer");
      for (guint j = 0; j < 30; j++)
        g_string_append (text, "Ik vertel nog wat over mijn stage en de begeleiding. ");
      g_string_append (text, "\n");
    }
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "lang.txt", text->str));
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  document = g_array_index (ids, gint64, 0);
  show_document (fixture, document);
  wav = write_wav (fixture->dir, "lang.wav", WAV_SECONDS);
  attach (fixture, wav);
  g_assert_true (cw_test_wait_until (player_ready, bar));
  cw_test_wait_ms (1100); /* past the layout's settling */
  g_assert_false (offset_on_screen (fixture, turn_start (fixture, 7)));

  /* Heard far below: the view goes there. */
  cw_player_bar_seek (bar, 7.5);
  wait_for_position (bar, 7.45, 7.55);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, 7);
  wait.offset = turn_start (fixture, 7);
  g_assert_true (cw_test_wait_until (offset_shown, &wait));

  /* The user scrolls back to the top to read: the view stays there while
   * the recording goes on elsewhere. */
  gtk_adjustment_set_value (adjustment, 0);
  cw_player_bar_seek (bar, 4.5);
  wait_for_position (bar, 4.45, 4.55);
  g_assert_cmpint (_cw_transcript_view_get_playing_turn (view), ==, 4);
  cw_test_wait_ms (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
  g_assert_false (offset_on_screen (fixture, turn_start (fixture, 4)));

  /* The highlight in the dark style, for the eye. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  cw_player_bar_seek (bar, 0.5);
  wait_for_position (bar, 0.45, 0.55);
  screenshot (fixture, "player-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_format (void)
{
  static const struct { double seconds; const char *text; } cases[] = {
    { 0, "0:00" }, { 5.9, "0:05" }, { 65, "1:05" }, { 754, "12:34" },
    { 3723, "1:02:03" }, { -1, "0:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cw_player_bar_format_time (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;
  GdkDisplay *display;

  /* No real audio sink: autoaudiosink then plays into a fake sink that
   * keeps time, as on a machine without a sound device (and silently on
   * a desktop). Set before GStreamer starts, with the media module. */
  g_setenv ("GST_PLUGIN_FEATURE_RANK",
            "pulsesink:NONE,alsasink:NONE,jackaudiosink:NONE,oss4sink:NONE,osssink:NONE,pipewiresink:NONE",
            TRUE);

  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    g_error ("no display: the GUI tests need one (DISPLAY, e.g. from Xvfb)");
  adw_init ();

  display = gdk_display_get_default ();
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, RESOURCE_BASE "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display), RESOURCE_BASE "/icons");

  g_test_add_func ("/player-window/format", test_format);
  g_test_add ("/player-window/attach", Fixture, NULL, fixture_set_up, test_attach, fixture_tear_down);
  g_test_add ("/player-window/refused", Fixture, NULL, fixture_set_up, test_refused, fixture_tear_down);
  g_test_add ("/player-window/highlight", Fixture, NULL, fixture_set_up, test_highlight, fixture_tear_down);
  g_test_add ("/player-window/turn-time", Fixture, NULL, fixture_set_up, test_turn_time, fixture_tear_down);
  g_test_add ("/player-window/follow", Fixture, NULL, fixture_set_up, test_follow, fixture_tear_down);
  g_test_add ("/player-window/gutter-click", Fixture, NULL, fixture_set_up, test_gutter_click, fixture_tear_down);
  g_test_add ("/player-window/play-coding", Fixture, NULL, fixture_set_up, test_play_coding, fixture_tear_down);
  g_test_add ("/player-window/play-retrieved", Fixture, NULL, fixture_set_up, test_play_retrieved, fixture_tear_down);
  g_test_add ("/player-window/speed-and-skip", Fixture, NULL, fixture_set_up, test_speed_and_skip, fixture_tear_down);
  g_test_add ("/player-window/missing", Fixture, NULL, fixture_set_up, test_missing, fixture_tear_down);
  g_test_add ("/player-window/undecodable", Fixture, NULL, fixture_set_up, test_undecodable, fixture_tear_down);

  return g_test_run ();
}
