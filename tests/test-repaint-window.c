/* test-repaint-window.c: after an edit of a few codings the window updates
 * only what they touch (issue 12: the repaint after one coding). Whatever
 * the edit, what it shows must be what a full reload shows: the transcript's
 * codings, the colour behind every character, the stripes' lanes and the
 * codebook's counts. Each step below is checked against a second transcript
 * view that reads everything afresh.
 *
 * Like test-window, it needs a display and fails without one.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "cw-codebook.h"
#include "cw-codebook-panel.h"
#include "cw-coding.h"
#include "cw-history.h"
#include "cw-coding-stripes-private.h"
#include "cw-transcript-view-private.h"
#include "cw-window-private.h"
#include "cw-test-gui.h"
#include "cw-test-util.h"

typedef struct
{
  char      *dir;
  CwProject *project;
  gint64     document;
  gint64     other;     /* a second document, not shown */
  gint64     codes[4];
  CwWindow  *window;
  guint64    state;     /* the pseudo-random ranges */
  gboolean   known;     /* the last "changed" listed its codings */
} Fixture;

static void
changed_cb (CwProject *project,
            Fixture   *fixture)
{
  fixture->known = cw_project_get_coding_changes (project) != NULL;
}

static const char *words[] = {
  "stage", "werkgever", "begeleiding", "jobcoach", "school", "diploma", "uitkering",
  "afspraak", "moeilijk", "leuk", "eigenlijk", "gewoon", "toen", "daarna", "ik", "je",
};

/* Turns of two speakers, long enough to wrap. */
static char *
make_text (guint turns)
{
  GString *text = g_string_new (NULL);
  guint64 state = 42;

  for (guint t = 0; t < turns; t++)
    {
      g_string_append (text, t % 2 == 0 ? "Interviewer: " : "Deelnemer: ");
      for (guint w = 0; w < 12 + (t * 7) % 40; w++)
        {
          state = state * 6364136223846793005ull + 1442695040888963407ull;
          g_string_append_printf (text, "%s%s", w > 0 ? " " : "", words[(state >> 33) % G_N_ELEMENTS (words)]);
        }
      g_string_append (text, ".\n");
    }
  return g_string_free (text, FALSE);
}

static guint
next_random (Fixture *fixture,
             guint    bound)
{
  fixture->state ^= fixture->state << 13;
  fixture->state ^= fixture->state >> 7;
  fixture->state ^= fixture->state << 17;
  return (guint) (fixture->state % bound);
}

static gboolean
document_shown (gpointer data)
{
  Fixture *fixture = data;

  return cw_transcript_view_get_document_id (_cw_window_get_transcript_view (fixture->window)) == fixture->document &&
         !_cw_window_is_busy (fixture->window) &&
         gtk_widget_get_mapped (GTK_WIDGET (_cw_window_get_transcript_view (fixture->window)));
}

static gint64
add_random_coding (Fixture *fixture,
                   gint64   document,
                   gint64   length)
{
  g_autoptr(GError) error = NULL;
  gint64 start = next_random (fixture, (guint) (length - 60));
  gint64 id = cw_project_add_coding (fixture->project, document, fixture->codes[next_random (fixture, 4)],
                                     start, start + 5 + next_random (fixture, 50), "Anouk", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  static const char *names[] = { "Stage", "Werk", "Begeleiding/Jobcoach", "School" };
  static const char *colors[] = { "#3584e4", "#2ec27e", "#e66100", "#9141ac" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) ids = NULL;
  g_autofree char *text = make_text (40);
  g_autofree char *path = NULL;
  g_autoptr(CwDocumentInfo) info = NULL;

  fixture->state = 0x9E3779B97F4A7C15ull;
  fixture->dir = cw_test_make_dir ();
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "interview.txt", text));
  g_ptr_array_add (files, cw_test_write_file (fixture->dir, "tweede.txt", text));
  path = g_build_filename (fixture->dir, "test.codewerk", NULL);
  fixture->project = cw_project_create (path, "Repaint", &error);
  g_assert_no_error (error);
  ids = cw_project_import (fixture->project, files, -1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->document = g_array_index (ids, gint64, 0);
  fixture->other = g_array_index (ids, gint64, 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      fixture->codes[i] = cw_project_add_code (fixture->project, names[i], colors[i], NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpint (cw_project_ensure_coder (fixture->project, "Anouk", &error), >, 0);
  g_assert_no_error (error);

  /* Overlapping codings, as coders make them. */
  info = cw_project_get_document_info (fixture->project, fixture->document, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 120; i++)
    add_random_coding (fixture, fixture->document, info->characters);

  fixture->window = cw_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  cw_window_set_project (fixture->window, fixture->project);
  g_signal_emit_by_name (_cw_window_get_document_list (fixture->window), "document-selected", fixture->document);
  g_assert_true (cw_test_wait_until (document_shown, fixture));
  g_signal_connect (fixture->project, "changed", G_CALLBACK (changed_cb), fixture);
}

static gboolean
window_idle (gpointer data)
{
  return !_cw_window_is_busy (data);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
project_released (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gpointer weak = fixture->window;

  g_signal_handlers_disconnect_by_data (fixture->project, fixture);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));
  g_object_add_weak_pointer (G_OBJECT (fixture->window), &weak);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (cw_test_wait_until (window_gone, &weak));
  cw_test_wait_until (project_released, fixture->project);
  g_assert_finalize_object (fixture->project);
  cw_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* The background behind offset, as a string (empty: none). */
static char *
background_at (CwTranscriptView *view,
               gint64            offset)
{
  GtkTextTag *tag = _cw_transcript_view_get_coding_tag_at (view, offset);
  g_autoptr(GdkRGBA) rgba = NULL;

  if (tag == NULL)
    return g_strdup ("");
  g_object_get (tag, "background-rgba", &rgba, NULL);
  return gdk_rgba_to_string (rgba);
}

static void
assert_same_coding (const CwCoding *a,
                    const CwCoding *b)
{
  g_assert_cmpint (a->id, ==, b->id);
  g_assert_cmpint (a->start, ==, b->start);
  g_assert_cmpint (a->end, ==, b->end);
  g_assert_cmpint (a->code_id, ==, b->code_id);
  g_assert_cmpstr (a->code, ==, b->code);
  g_assert_cmpstr (a->color, ==, b->color);
  g_assert_cmpstr (a->coder, ==, b->coder);
  g_assert_cmpstr (a->memo, ==, b->memo);
  g_assert_cmpstr (a->speaker, ==, b->speaker);
}

/* The counts the codebook's rows show, by code name. */
static void
collect_counts (GtkWidget  *widget,
                GHashTable *counts)
{
  GtkWidget *name = g_object_get_data (G_OBJECT (widget), "name");
  GtkWidget *count = g_object_get_data (G_OBJECT (widget), "count");

  if (GTK_IS_LABEL (name) && GTK_IS_INSCRIPTION (count))
    g_hash_table_insert (counts, g_strdup (gtk_label_get_text (GTK_LABEL (name))),
                         g_strdup (gtk_inscription_get_text (GTK_INSCRIPTION (count))));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_counts (child, counts);
}

typedef struct
{
  int   first;
  int   last;
  guint index;
} Span;

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *sa = a, *sb = b;

  if (sa->first != sb->first)
    return sa->first < sb->first ? -1 : 1;
  if (sa->last != sb->last)
    return sa->last > sb->last ? -1 : 1;
  return sa->index < sb->index ? -1 : 1;
}

/* The stripes' lanes as documented, worked out the plain way: by the
 * paragraph where each coding starts (the longer first), the lowest lane
 * whose last coding ended in an earlier paragraph. */
static void
assert_lanes (CwTranscriptView *view,
              GArray           *bars,
              const char       *step)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GPtrArray *codings = cw_transcript_view_get_codings (view);
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GArray) lane_ends = g_array_new (FALSE, FALSE, sizeof (int));
  g_autofree guint *lanes = g_new0 (guint, codings->len);

  for (guint i = 0; i < codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (codings, i);
      GtkTextIter iter;
      Span span = { 0, 0, i };

      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) coding->start);
      span.first = gtk_text_iter_get_line (&iter);
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) MAX (coding->start, coding->end - 1));
      span.last = gtk_text_iter_get_line (&iter);
      g_array_append_val (spans, span);
    }
  g_array_sort (spans, compare_spans);
  for (guint k = 0; k < spans->len; k++)
    {
      const Span *span = &g_array_index (spans, Span, k);
      guint lane;

      for (lane = 0; lane < lane_ends->len; lane++)
        if (g_array_index (lane_ends, int, lane) < span->first)
          break;
      if (lane == lane_ends->len)
        g_array_set_size (lane_ends, lane + 1);
      g_array_index (lane_ends, int, lane) = span->last;
      lanes[span->index] = lane;
    }

  g_assert_cmpuint (bars->len, ==, codings->len);
  for (guint i = 0; i < bars->len; i++)
    if (g_array_index (bars, CwStripeBar, i).lane != lanes[i])
      g_error ("%s: coding %u is in lane %u, not %u", step, i, g_array_index (bars, CwStripeBar, i).lane, lanes[i]);
}

/* What the window shows is what a fresh read of everything shows. */
static void
assert_like_reload (Fixture    *fixture,
                    const char *step)
{
  g_autoptr(GError) error = NULL;
  CwTranscriptView *view = _cw_window_get_transcript_view (fixture->window);
  CwTranscriptView *fresh = g_object_ref_sink (CW_TRANSCRIPT_VIEW (cw_transcript_view_new ()));
  g_autoptr(GPtrArray) codings = cw_project_list_document_codings (fixture->project, fixture->document, &error);
  g_autoptr(GPtrArray) codes = cw_project_list_codes (fixture->project, &error);
  g_autoptr(GArray) bars = NULL;
  g_autoptr(GArray) fresh_bars = NULL;
  GPtrArray *shown = cw_transcript_view_get_codings (view);
  GPtrArray *panel_codes = cw_codebook_panel_get_codes (_cw_window_get_codebook_panel (fixture->window));
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  CwDocument *document;
  gint64 length;

  g_test_message ("%s", step);
  g_assert_no_error (error);
  g_assert_true (cw_test_wait_until (window_idle, fixture->window));

  /* The codings, in the order the view keeps them. */
  g_assert_nonnull (shown);
  g_assert_cmpuint (shown->len, ==, codings->len);
  for (guint i = 0; i < codings->len; i++)
    assert_same_coding (g_ptr_array_index (shown, i), g_ptr_array_index (codings, i));

  /* The colour behind every character. */
  document = cw_project_load_document (fixture->project, fixture->document, &error);
  g_assert_no_error (error);
  length = document->info->characters;
  cw_transcript_view_set_project (fresh, fixture->project);
  cw_transcript_view_set_document (fresh, document);
  cw_transcript_view_set_codings (fresh, codings);
  for (gint64 offset = 0; offset < length; offset++)
    {
      g_autofree char *got = background_at (view, offset);
      g_autofree char *expected = background_at (fresh, offset);

      if (g_strcmp0 (got, expected) != 0)
        g_error ("%s: at %" G_GINT64_FORMAT " the background is '%s', a reload gives '%s'", step, offset, got, expected);
    }

  /* The stripes' lanes. */
  bars = _cw_coding_stripes_get_bars (_cw_transcript_view_get_stripes (view));
  fresh_bars = _cw_coding_stripes_get_bars (_cw_transcript_view_get_stripes (fresh));
  g_assert_cmpuint (bars->len, ==, fresh_bars->len);
  for (guint i = 0; i < bars->len; i++)
    {
      const CwStripeBar *a = &g_array_index (bars, CwStripeBar, i);
      const CwStripeBar *b = &g_array_index (fresh_bars, CwStripeBar, i);

      g_assert_cmpint (a->coding_id, ==, b->coding_id);
      g_assert_cmpuint (a->lane, ==, b->lane);
      g_assert_cmpint (a->has_memo, ==, b->has_memo);
    }
  g_assert_cmpuint (_cw_coding_stripes_get_n_lanes (_cw_transcript_view_get_stripes (view)), ==,
                    _cw_coding_stripes_get_n_lanes (_cw_transcript_view_get_stripes (fresh)));
  assert_lanes (view, bars, step);

  /* The codebook's counts. */
  g_assert_nonnull (panel_codes);
  g_assert_cmpuint (panel_codes->len, ==, codes->len);
  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *a = g_ptr_array_index (panel_codes, i);
      const CwCode *b = g_ptr_array_index (codes, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpuint (a->n_codings, ==, b->n_codings);
      g_assert_cmpstr (a->color, ==, b->color);
    }
  /* ...and what its rows say (the categories show no count at 0). */
  collect_counts (GTK_WIDGET (_cw_window_get_codebook_panel (fixture->window)), counts);
  g_assert_cmpuint (g_hash_table_size (counts), >=, 4);
  for (guint i = 0; i < codes->len; i++)
    {
      const CwCode *code = g_ptr_array_index (codes, i);
      const char *shown_count = g_hash_table_lookup (counts, code->name);
      g_autofree char *expected = g_strdup_printf ("%u", code->n_codings);

      if (code->codable)
        g_assert_cmpstr (shown_count, ==, expected);
    }

  cw_transcript_view_set_project (fresh, NULL);
  g_assert_finalize_object (fresh);
}

/* Whether the coding's text carries the selected coding's underline. */
static gboolean
underlined (CwTranscriptView *view,
            gint64            coding_id)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "selected-coding");
  GPtrArray *codings = cw_transcript_view_get_codings (view);
  GtkTextIter iter;

  for (guint i = 0; i < codings->len; i++)
    {
      const CwCoding *coding = g_ptr_array_index (codings, i);

      if (coding->id != coding_id)
        continue;
      gtk_text_buffer_get_iter_at_offset (buffer, &iter, (int) coding->start);
      return tag != NULL && gtk_text_iter_has_tag (&iter, tag);
    }
  return FALSE;
}

static gint64
shown_length (Fixture *fixture)
{
  return cw_transcript_view_get_document (_cw_window_get_transcript_view (fixture->window))->info->characters;
}

/* Codings applied, removed, undone and redone one at a time, in the shown
 * document and in another: the quick path. */
static void
test_codings (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CwTranscriptView *view = _cw_window_get_transcript_view (fixture->window);
  gint64 length = shown_length (fixture);
  gint64 kept, removed;

  assert_like_reload (fixture, "opened");
  /* The first change after a document's first opening carries the
   * language the view detected and stored: that one is read in full. */
  add_random_coding (fixture, fixture->document, length);
  assert_like_reload (fixture, "first coding");

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *step = g_strdup_printf ("coding %u", i);

      add_random_coding (fixture, fixture->document, length);
      /* The quick way is the one tested here. */
      g_assert_true (fixture->known);
      assert_like_reload (fixture, step);
    }

  /* One selected, another removed: the selection stays. */
  kept = ((CwCoding *) g_ptr_array_index (cw_transcript_view_get_codings (view), 3))->id;
  removed = ((CwCoding *) g_ptr_array_index (cw_transcript_view_get_codings (view), 7))->id;
  cw_transcript_view_select_coding (view, kept);
  g_assert_true (cw_project_remove_coding (fixture->project, removed, &error));
  g_assert_no_error (error);
  g_assert_true (fixture->known);
  assert_like_reload (fixture, "removed");
  g_assert_true (underlined (view, kept));

  for (guint i = 0; i < 5; i++)
    {
      g_assert_true (cw_project_undo (fixture->project, &error));
      g_assert_no_error (error);
      g_assert_true (fixture->known);
      assert_like_reload (fixture, "undo");
    }
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (cw_project_redo (fixture->project, &error));
      g_assert_no_error (error);
      assert_like_reload (fixture, "redo");
    }

  /* In the other document: nothing here changes but the counts. */
  add_random_coding (fixture, fixture->other, length);
  g_assert_true (fixture->known);
  assert_like_reload (fixture, "other document");
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  assert_like_reload (fixture, "other document undone");

  /* A memo (not only codings): everything read again. */
  g_assert_cmpint (cw_project_add_memo (fixture->project, CW_MEMO_CODING, kept, NULL, "Eerste dag.", "Anouk", &error),
                   >, 0);
  g_assert_no_error (error);
  g_assert_false (fixture->known);
  assert_like_reload (fixture, "memo");
  add_random_coding (fixture, fixture->document, length);
  assert_like_reload (fixture, "coding after a memo");
}

/* Changes that are not only codings go the long way, and the quick way
 * still works after them. */
static void
test_other_changes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CwProject) other = NULL;
  gint64 length = shown_length (fixture);

  g_assert_true (cw_project_set_code_color (fixture->project, fixture->codes[1], "#c01c28", &error));
  g_assert_no_error (error);
  assert_like_reload (fixture, "recoloured");
  add_random_coding (fixture, fixture->document, length);
  assert_like_reload (fixture, "coding after recolouring");

  g_assert_true (cw_project_delete_code (fixture->project, fixture->codes[2], &error));
  g_assert_no_error (error);
  assert_like_reload (fixture, "code deleted");
  g_assert_true (cw_project_undo (fixture->project, &error));
  g_assert_no_error (error);
  assert_like_reload (fixture, "code deletion undone");

  /* A coding by a new coder. */
  g_assert_cmpint (cw_project_add_coding (fixture->project, fixture->document, fixture->codes[0], 10, 30,
                                          "Bram", NULL, &error), >, 0);
  g_assert_no_error (error);
  assert_like_reload (fixture, "new coder");

  /* Another program codes, then this window does before it polls. */
  other = cw_project_open (cw_project_get_path (fixture->project), &error);
  g_assert_no_error (error);
  g_assert_cmpint (cw_project_add_coding (other, fixture->document, fixture->codes[3], 40, 90, "Bram", NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  add_random_coding (fixture, fixture->document, length);
  assert_like_reload (fixture, "outside coding, then ours");
  g_assert_cmpint (cw_project_add_coding (other, fixture->document, fixture->codes[3], 100, 130, "Bram", NULL, &error),
                   >, 0);
  g_assert_no_error (error);
  cw_project_poll_external_change (fixture->project);
  assert_like_reload (fixture, "outside coding polled");
  g_assert_finalize_object (g_steal_pointer (&other));

  /* "changed" by hand, as some views send it. */
  g_signal_emit_by_name (fixture->project, "changed");
  assert_like_reload (fixture, "by hand");
}

int
main (int   argc,
      char *argv[])
{
  cw_test_gui_init (&argc, &argv);

  g_test_add ("/repaint-window/codings", Fixture, NULL, fixture_set_up, test_codings, fixture_tear_down);
  g_test_add ("/repaint-window/other-changes", Fixture, NULL, fixture_set_up, test_other_changes, fixture_tear_down);

  return g_test_run ();
}
